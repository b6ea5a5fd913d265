use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::{Args, Subcommand};
use roster_core::{AuditQuery, ChainAnchor, Origin, UserRef};
use roster_csv::{AuditFormat, FileExport};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// The newest entries first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        filter: AuditFilter,
    },
    /// Every entry the filters match, newest first, to a file (it appears only once
    /// complete).
    Export {
        file: PathBuf,
        /// csv (for a spreadsheet, formula-looking cells guarded) or jsonl (one JSON entry
        /// per line).
        #[arg(long, default_value = "csv", value_parser = parse_format)]
        format: AuditFormat,
        /// Start a CSV with a byte order mark, so Excel reads it as UTF-8.
        #[arg(long)]
        bom: bool,
        #[command(flatten)]
        filter: AuditFilter,
    },
    /// Walks the hash chain and reports the first entry changed, removed or inserted behind
    /// Roster's back, or that the log is intact. Exits with 1 when it is not.
    Verify {
        /// A file holding an anchor saved earlier (--save-anchor): also checks the log was
        /// not rewritten since.
        #[arg(long)]
        anchor: Option<PathBuf>,
        /// Saves the newest entry's anchor to this file; keep it where the database's
        /// administrators cannot write.
        #[arg(long)]
        save_anchor: Option<PathBuf>,
    },
    /// Removes audit entries and sign-in events older than the retention setting (or
    /// --older-than-days), recording the purge as an entry.
    Purge {
        #[arg(long)]
        older_than_days: Option<u32>,
    },
}

#[derive(Args)]
pub struct AuditFilter {
    /// Only entries about this user (ID, username or email).
    #[arg(long)]
    user: Option<String>,
    /// Who acted: a console username, or the OS account of a CLI operator.
    #[arg(long)]
    actor: Option<String>,
    /// A stable action name, e.g. user.suspend.
    #[arg(long)]
    action: Option<String>,
    /// user, group, role, token, settings, import, audit, mail.
    #[arg(long)]
    kind: Option<String>,
    /// desktop, cli or import.
    #[arg(long, value_parser = parse_origin)]
    origin: Option<Origin>,
    #[arg(long)]
    workstation: Option<String>,
    /// Only entries about this organization's users, groups and devices.
    #[arg(long)]
    org: Option<String>,
    /// Written on or after: YYYY-MM-DD (local time) or an RFC 3339 time.
    #[arg(long, value_parser = parse_start)]
    since: Option<DateTime<Utc>>,
    /// Written on or before: YYYY-MM-DD (that whole day, local time) or an RFC 3339 time.
    #[arg(long, value_parser = parse_end)]
    until: Option<DateTime<Utc>>,
    /// Found in a target's name or a changed value.
    #[arg(long)]
    search: Option<String>,
}

impl AuditFilter {
    async fn query(self, ctx: &Context, limit: u32) -> Result<AuditQuery, CliError> {
        let user = match self.user {
            Some(user) => Some(
                ctx.roster
                    .find_user(&ctx.actor, &UserRef::parse(&user))
                    .await?
                    .id,
            ),
            None => None,
        };
        Ok(AuditQuery {
            user,
            actor: self.actor,
            action: self.action,
            target_kind: self.kind,
            origin: self.origin,
            workstation: self.workstation,
            organization: self.org,
            from: self.since,
            until: self.until,
            text: self.search,
            limit,
            ..AuditQuery::default()
        })
    }
}

fn parse_format(text: &str) -> Result<AuditFormat, String> {
    text.parse()
}

fn parse_origin(text: &str) -> Result<Origin, String> {
    Origin::parse(text).ok_or_else(|| format!("unknown origin '{text}': desktop, cli or import"))
}

/// A day's start in local time, or an exact time.
fn parse_start(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, 0)
}

/// The end of a day given as a date (the next midnight), or an exact time.
fn parse_end(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, 1)
}

fn parse_time(text: &str, days_after: u64) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date: write YYYY-MM-DD or an RFC 3339 time"))?;
    let midnight = day
        .checked_add_days(chrono::Days::new(days_after))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| Local.from_local_datetime(&t).earliest())
        .ok_or_else(|| format!("'{text}' has no midnight in this time zone"))?;
    Ok(midnight.with_timezone(&Utc))
}

pub async fn run(command: AuditCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        AuditCommand::List { limit, filter } => list(filter.query(ctx, limit).await?, ctx).await,
        AuditCommand::Export {
            file,
            format,
            bom,
            filter,
        } => export(file, format, bom, filter.query(ctx, 1).await?, ctx).await,
        AuditCommand::Verify {
            anchor,
            save_anchor,
        } => verify(anchor, save_anchor, ctx).await,
        AuditCommand::Purge { older_than_days } => purge(older_than_days, ctx).await,
    }
}

async fn list(query: AuditQuery, ctx: &Context) -> Result<(), CliError> {
    let entries = ctx.roster.audit(&ctx.actor, &query).await?;
    ctx.out.print(&entries, || {
        for entry in &entries {
            say!(
                "{}  {}@{} ({})  {}  {} #{} {}",
                local_time(entry.at),
                entry.actor,
                entry.workstation,
                entry.origin,
                entry.action,
                entry.target.kind,
                entry.target.id,
                entry.target.name
            );
            for change in &entry.changes {
                say!(
                    "    {}: {} → {}",
                    change.field,
                    change.before.as_deref().unwrap_or("∅"),
                    change.after.as_deref().unwrap_or("∅")
                );
            }
        }
        if entries.is_empty() {
            say!("No audit entries.");
        }
    });
    Ok(())
}

async fn export(
    path: PathBuf,
    format: AuditFormat,
    bom: bool,
    query: AuditQuery,
    ctx: &Context,
) -> Result<(), CliError> {
    let mut file = FileExport::audit(&path, format, bom).map_err(|e| CliError::new("io", e))?;
    let bar = ctx.out.progress("entries written");
    let exported = ctx
        .roster
        .export_audit(&ctx.actor, &query, &mut |entry| {
            bar.inc(1);
            file.write(entry)
        })
        .await;
    bar.finish_and_clear();
    let entries = exported?;
    file.finish().map_err(|e| CliError::new("io", e))?;
    let file = path.display().to_string();
    ctx.out.print(
        &serde_json::json!({ "file": file, "entries": entries }),
        || say!("Exported {entries} audit entries to {file}."),
    );
    Ok(())
}

async fn verify(
    anchor: Option<PathBuf>,
    save_anchor: Option<PathBuf>,
    ctx: &Context,
) -> Result<(), CliError> {
    let anchor = match anchor {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| CliError::new("io", format!("cannot read {}: {e}", path.display())))?;
            Some(ChainAnchor::parse(&text).ok_or_else(|| {
                CliError::new(
                    "invalid",
                    format!(
                        "{} holds no anchor: save one with `roster audit verify --save-anchor FILE`",
                        path.display()
                    ),
                )
            })?)
        }
        None => None,
    };
    let report = ctx.roster.verify_audit(&ctx.actor, anchor).await?;
    if let (Some(path), Some(text)) = (&save_anchor, &report.anchor)
        && report.problem.is_none()
    {
        roster_csv::write_private(path, format!("{text}\n").as_bytes())
            .map_err(|e| CliError::new("io", format!("cannot write {}: {e}", path.display())))?;
    }
    ctx.out.print(&report, || {
        say!("Audit log {}.", report.summary());
        if let Some(purged) = report.purged_through {
            say!(
                "Entries written up to {} were purged by the retention setting.",
                local_time(purged)
            );
        }
        match report.anchor_check {
            Some(roster_core::AnchorCheck::Confirmed) => {
                say!("The anchor matches: the log was not rewritten since it was saved.")
            }
            Some(roster_core::AnchorCheck::Purged) => say!(
                "The anchor CANNOT BE CHECKED: its entry was purged since. Save a new anchor after each purge."
            ),
            Some(roster_core::AnchorCheck::Rewritten) => {
                say!("The anchor does NOT match: the log was rewritten after the anchor was saved.")
            }
            None => {}
        }
        if let Some(anchor) = &report.anchor {
            say!("Anchor (keep it where the database's administrators cannot write): {anchor}");
        }
    });
    match (&report.problem, report.anchor_check) {
        (Some(_), _) | (None, Some(roster_core::AnchorCheck::Rewritten)) => Err(CliError::new(
            "tampered",
            "the audit log is not as Roster wrote it (see above)",
        )),
        (None, Some(roster_core::AnchorCheck::Purged)) => Err(CliError::new(
            "anchor_unchecked",
            "the anchor's entry was purged, so the log cannot be checked against it; save a new anchor after each purge",
        )),
        _ => Ok(()),
    }
}

async fn purge(older_than_days: Option<u32>, ctx: &Context) -> Result<(), CliError> {
    let purged = match older_than_days {
        Some(days) => {
            let before = Utc::now() - chrono::Duration::days(i64::from(days));
            Some(ctx.roster.purge_audit(&ctx.actor, before).await?)
        }
        None => ctx.roster.apply_audit_retention(&ctx.actor).await?,
    };
    let Some(purged) = purged else {
        return Err(CliError::new(
            "invalid",
            "audit entries are kept forever: set a retention (`roster settings set \
             --audit-retention-days N`) or pass --older-than-days N",
        ));
    };
    ctx.out.print(&purged, || {
        say!(
            "Purged {} audit entries and {} sign-in events written before {}.",
            purged.entries,
            purged.sign_ins,
            local_time(purged.before)
        )
    });
    Ok(())
}
