//! What a support person needs to see of a Roster installation, in one file an admin can
//! send: versions, the database's kind, schema, size and counts, settings, backups, and the
//! program's recent problems. Nothing secret is in it, by construction: the settings are
//! copied field by field (the SMTP sign-in only as whether there is one; its password is
//! in the OS keyring and never here), the database is named by its secret-free location,
//! and the log lines are the program's own, which never carry a password, code or key.

use crate::backup::BackupFile;
use crate::settings::{Settings, SmtpSecurity};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostics {
    pub generated_at: DateTime<Utc>,
    pub program: Program,
    pub system: System,
    pub directory: DirectorySection,
    pub log: LogExcerpt,
}

/// What the directory open holds, or why the report leaves it out: no directory could be
/// opened, or nobody is signed in who may see its settings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectorySection {
    Included(Box<DirectoryDiagnostics>),
    NotIncluded { reason: String },
}

impl From<Result<DirectoryDiagnostics, crate::Error>> for DirectorySection {
    fn from(result: Result<DirectoryDiagnostics, crate::Error>) -> Self {
        match result {
            Ok(directory) => DirectorySection::Included(Box::new(directory)),
            Err(e) => DirectorySection::NotIncluded {
                reason: e.to_string(),
            },
        }
    }
}

/// Which program wrote the report.
#[derive(Debug, Clone, Serialize)]
pub struct Program {
    /// e.g. "Roster desktop".
    pub name: String,
    pub version: String,
}

/// The computer the program runs on.
#[derive(Debug, Clone, Serialize)]
pub struct System {
    /// The OS and its version, e.g. "Debian 12 (bookworm)".
    pub os: String,
    pub architecture: String,
    /// The engine drawing the window (WebKitGTK, WebView2, WKWebView) and its version;
    /// `None` where it cannot tell.
    pub webview: Option<String>,
}

/// The end of the program's log: the lines about problems, newest last.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogExcerpt {
    /// Where the whole log is, on this computer.
    pub file: Option<String>,
    pub recent_problems: Vec<String>,
}

/// What the store says of the database it keeps the directory in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Census {
    /// "sqlite", "postgres" or "mysql".
    pub backend: String,
    /// The file, or the server as `user@host:port/database` (never a password).
    pub location: String,
    /// The newest migration applied.
    pub schema_version: Option<i64>,
    /// The space the database takes (SQLite: the file, without its write-ahead log).
    pub bytes: Option<u64>,
    pub users: u64,
    pub groups: u64,
    pub organizations: u64,
    pub devices: u64,
    pub user_tokens: u64,
    pub audit_entries: u64,
    /// Messages in the outbox not sent yet.
    pub queued_messages: u64,
}

/// The directory's part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryDiagnostics {
    pub database: Census,
    pub settings: SettingsReport,
    /// SQLite only: where backups go and the newest one.
    pub backups: Option<BackupsReport>,
}

/// The settings, without anything that would let someone sign in anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingsReport {
    pub organization_name: String,
    pub min_password_chars: u32,
    pub max_failed_sign_ins: u32,
    pub session_idle_minutes: u32,
    pub audit_retention_days: u32,
    pub smtp: Option<SmtpReport>,
    pub automatic_backups: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmtpReport {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub from_address: String,
    /// Whether Roster signs in to the server (who as, and the password, are left out).
    pub signs_in: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupsReport {
    pub folder: String,
    pub count: usize,
    /// The newest backup (not counting a directory kept aside by a restore).
    pub newest: Option<BackupFile>,
    /// Why the folder could not be read, if it could not.
    pub problem: Option<String>,
}

impl From<&Settings> for SettingsReport {
    fn from(settings: &Settings) -> Self {
        SettingsReport {
            organization_name: settings.organization_name.clone(),
            min_password_chars: settings.min_password_chars,
            max_failed_sign_ins: settings.max_failed_sign_ins,
            session_idle_minutes: settings.session_idle_minutes,
            audit_retention_days: settings.audit_retention_days,
            smtp: settings.smtp.as_ref().map(|smtp| SmtpReport {
                host: smtp.host.clone(),
                port: smtp.port,
                security: smtp.security,
                from_address: smtp.from_address.clone(),
                signs_in: !smtp.username.is_empty(),
            }),
            automatic_backups: settings.backups.automatic,
            version: settings.version,
        }
    }
}

/// How many of the log's last lines about problems a report carries.
pub const RECENT_PROBLEMS: usize = 200;

impl Diagnostics {
    /// The name a report is saved under, e.g. `roster-diagnostics-2026-12-07T091500Z.json`.
    pub fn file_name(&self) -> String {
        format!(
            "roster-diagnostics-{}.json",
            self.generated_at.format(crate::backup::FILE_STAMP)
        )
    }

    /// The report as the file holds it: JSON, indented for a person to read.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("diagnostics are plain data")
    }
}
