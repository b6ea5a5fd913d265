use crate::output::say;
use crate::output::{CliError, Output, local_time};
use clap::Subcommand;
use roster_core::{BackupContents, Roster, SystemClock};
use roster_store::{Database, OpenMode};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Create the database (if missing) and its schema.
    Init,
    /// Apply schema migrations this version of roster brings.
    Migrate,
    /// Show the backend, location and schema version.
    Status,
    /// Take a backup while the database stays in use, check it (SQLite's integrity check
    /// and the audit chain), and delete the ones the settings no longer keep. Without FILE
    /// it goes into the backups folder (Settings → Backups).
    Backup {
        file: Option<PathBuf>,
        /// Encrypt FILE with a passphrase (the age format: `age -d FILE` opens it too), for a
        /// copy that leaves this computer. The passphrase is asked for on the terminal, or
        /// read as the first line of standard input.
        #[arg(long, requires = "file")]
        encrypt: bool,
    },
    /// List the backups in the backups folder.
    Backups,
    /// Replace the whole directory with a backup's, after checking it and keeping the
    /// directory as it is aside as a backup of its own. Shows what the backup holds and
    /// asks first, unless --yes. An encrypted backup's passphrase is asked for on the
    /// terminal, or read as the first line of standard input.
    Restore {
        file: PathBuf,
        /// Restore without asking (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Copy the whole directory (users, groups, roles, credentials, tokens, audit, outbox,
    /// settings) into another database of any backend, e.g. the office's SQLite file onto
    /// a new server. Stop other workstations first: a change made meanwhile fails the
    /// final count check, and nothing is copied.
    Copy {
        /// The database to copy from (default: --db, ROSTER_DATABASE_URL or the default file).
        #[arg(long)]
        from: Option<String>,
        /// The database to copy into: an empty one (a new SQLite file is created).
        #[arg(long)]
        to: String,
        /// Delete what the target holds first (in the same transaction as the copy).
        #[arg(long)]
        replace: bool,
    },
}

pub async fn run(command: DbCommand, db: Option<&str>, out: &Output) -> Result<(), CliError> {
    let db = match &command {
        DbCommand::Copy {
            from: Some(from), ..
        } => Some(from.as_str()),
        _ => db,
    };
    let (url, default_mode) = roster_store::resolve_url(db).map_err(CliError::open)?;
    match command {
        DbCommand::Init => {
            let database = Database::connect(&url, OpenMode::CreateIfMissing)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&database);
            let applied = database.migrate().await.map_err(CliError::open)?;
            let status = database.status().await.map_err(CliError::open)?;
            let body = serde_json::json!({
                "backend": status.backend,
                "location": status.location,
                "version": status.version,
                "applied": applied,
            });
            out.print(&body, || {
                say!(
                    "Database ready at {} (schema {}).",
                    status.location,
                    status.latest
                )
            });
        }
        DbCommand::Migrate => {
            let database = Database::connect(&url, default_mode)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&database);
            let applied = database.migrate().await.map_err(CliError::open)?;
            let body = serde_json::json!({ "applied": applied });
            out.print(&body, || match applied.as_slice() {
                [] => say!("The schema is up to date."),
                versions => say!("Applied migrations {versions:?}."),
            });
        }
        DbCommand::Status => {
            let database = Database::connect(&url, default_mode)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&database);
            let status = database.status().await.map_err(CliError::open)?;
            let pending: Vec<_> = status
                .pending
                .iter()
                .map(|(version, description)| serde_json::json!({"version": version, "description": description}))
                .collect();
            let body = serde_json::json!({
                "backend": status.backend,
                "location": status.location,
                "version": status.version,
                "latest": status.latest,
                "pending": pending,
            });
            out.print(&body, || {
                say!("Backend:  {}", status.backend);
                say!("Location: {}", status.location);
                match status.version {
                    Some(v) => {
                        say!("Schema:   {v} (this roster knows up to {})", status.latest)
                    }
                    None => say!("Schema:   none yet; run `roster db init`"),
                }
                for (version, description) in &status.pending {
                    say!("Pending:  {version} {description}");
                }
            });
        }
        DbCommand::Backup { file, encrypt } => {
            let roster = open_roster(&url, default_mode).await?;
            let passphrase = if encrypt {
                Some(new_passphrase()?)
            } else {
                None
            };
            let contents = roster
                .back_up(&crate::actor(), file.as_deref(), passphrase.as_deref())
                .await?;
            out.print(&contents, || {
                say!("Backup written to {}.", contents.file.name);
                print_contents(&contents);
            });
        }
        DbCommand::Backups => {
            let roster = open_roster(&url, default_mode).await?;
            let actor = crate::actor();
            let list = roster.backups(&actor).await?;
            out.print(&list, || {
                say!("Backups in {}:", list.folder);
                if list.backups.is_empty() {
                    say!("  none yet");
                }
                for backup in list.backups.iter().rev() {
                    say!(
                        "  {}  {}  {}",
                        backup.name,
                        local_time(backup.taken_at),
                        size(backup.bytes)
                    );
                }
            });
        }
        DbCommand::Restore { file, yes } => {
            // Refused before anything is touched: no damaged file moved, no database made.
            if !yes && (out.json || !std::io::stdin().is_terminal()) {
                return Err(CliError::new(
                    "confirmation_required",
                    "a restore replaces the whole directory; pass --yes to restore without asking",
                ));
            }
            // The database may be missing or damaged: that is when a restore is needed most.
            let (database, damaged) = Database::open_for_restore(&url)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&database);
            if let Some(damaged) = damaged {
                eprintln!(
                    "roster: the database was damaged; it is kept as {} and a new one made for the restore",
                    damaged.display()
                );
            }
            let roster = Roster::new(database.repository(), Arc::new(SystemClock));
            let actor = crate::actor();
            let mut passphrase = None;
            if !yes {
                let contents = match roster.inspect_backup(&actor, &file, None).await {
                    Err(e) if asks_for_passphrase(&e) => {
                        passphrase = Some(passphrase_for(&file)?);
                        roster
                            .inspect_backup(&actor, &file, passphrase.as_deref())
                            .await?
                    }
                    checked => checked?,
                };
                say!("{} holds:", file.display());
                print_contents(&contents);
                if !confirm(&format!(
                    "Replace the whole directory at {} with it? [y/N] ",
                    roster.location()
                )) {
                    return Err(CliError::new("cancelled", "nothing was restored"));
                }
            }
            let restored = match roster
                .restore_backup(&actor, &file, passphrase.as_deref())
                .await
            {
                Err(e) if passphrase.is_none() && asks_for_passphrase(&e) => {
                    let passphrase = passphrase_for(&file)?;
                    roster
                        .restore_backup(&actor, &file, Some(&passphrase))
                        .await?
                }
                restored => restored?,
            };
            out.print(&restored, || {
                say!("Restored {}.", restored.from.file.name);
                print_contents(&restored.from);
                say!(
                    "The directory as it was is kept as {}; restore that to undo.",
                    restored.kept_aside.name
                );
            });
        }
        DbCommand::Copy { to, replace, .. } => {
            let source = Database::open(&url, default_mode)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&source);
            let target = Database::open(&to, OpenMode::CreateIfMissing)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&target);
            let copied = source
                .copy_to(&target, replace)
                .await
                .map_err(CliError::open)?;
            let to = target.status().await.map_err(CliError::open)?.location;
            let tables: serde_json::Map<String, serde_json::Value> = copied
                .iter()
                .map(|(table, rows)| ((*table).to_owned(), (*rows).into()))
                .collect();
            let body = serde_json::json!({ "to": to, "rows": tables });
            out.print(&body, || {
                say!("Copied into {to}:");
                for (table, rows) in &copied {
                    say!("  {table:<18} {rows}");
                }
            });
        }
    }
    Ok(())
}

async fn open_roster(url: &str, mode: OpenMode) -> Result<Roster, CliError> {
    let database = Database::open(url, mode).await.map_err(CliError::open)?;
    crate::warn_about(&database);
    Ok(Roster::new(database.repository(), Arc::new(SystemClock)))
}

pub(crate) fn print_contents(contents: &BackupContents) {
    say!("  Taken:      {}", local_time(contents.file.taken_at));
    say!("  Size:       {}", size(contents.file.bytes));
    say!("  Users:      {}", contents.users);
    match &contents.last_entry {
        Some(entry) => say!(
            "  Last entry: {} {} {} by {}",
            local_time(entry.at),
            entry.label,
            entry.target.name,
            entry.actor
        ),
        None => say!("  Last entry: none"),
    }
    say!("  Audit:      {}", contents.chain.summary());
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b => format!("{:.0} kB", (b as f64 / 1024.0).ceil()),
    }
}

/// Whether a backup was refused for want of its passphrase (it is encrypted).
fn asks_for_passphrase(error: &roster_core::Error) -> bool {
    error.fields().iter().any(|f| f.field == "passphrase")
}

/// The passphrase of the encrypted backup `file`: typed on the terminal without echo, or
/// the first line of standard input.
fn passphrase_for(file: &std::path::Path) -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Passphrase of {}: ", file.display()))
            .map_err(|e| CliError::new("usage", format!("cannot read the passphrase: {e}")))
    } else {
        crate::credentials::line_from_stdin("passphrase")
    }
}

/// A passphrase for a new encrypted backup: typed twice on the terminal, or the first line
/// of standard input.
fn new_passphrase() -> Result<String, CliError> {
    if !std::io::stdin().is_terminal() {
        return crate::credentials::line_from_stdin("passphrase");
    }
    let read = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map_err(|e| CliError::new("usage", format!("cannot read the passphrase: {e}")))
    };
    let first = read("Passphrase for the backup: ")?;
    if read("The same passphrase again: ")? != first {
        return Err(CliError::new(
            "usage",
            "the two passphrases differ; nothing was written",
        ));
    }
    Ok(first)
}

fn confirm(question: &str) -> bool {
    eprint!("{question}");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}
