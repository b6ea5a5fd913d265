use crate::output::say;
use crate::output::{CliError, Output};
use clap::Subcommand;
use roster_store::{Database, OpenMode};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Create the database (if missing) and its schema.
    Init,
    /// Apply schema migrations this version of roster brings.
    Migrate,
    /// Show the backend, location and schema version.
    Status,
    /// Write a consistent copy of the database to FILE while it stays in use.
    Backup { file: PathBuf },
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
        DbCommand::Backup { file } => {
            let database = Database::open(&url, default_mode)
                .await
                .map_err(CliError::open)?;
            crate::warn_about(&database);
            database.backup(&file).await.map_err(CliError::open)?;
            let body = serde_json::json!({ "backup": file });
            out.print(&body, || say!("Backup written to {}.", file.display()));
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
