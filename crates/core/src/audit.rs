use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which front end a change came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Origin {
    Desktop,
    Cli,
    Import,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Desktop => "desktop",
            Origin::Cli => "cli",
            Origin::Import => "import",
        }
    }

    pub fn parse(text: &str) -> Option<Origin> {
        [Origin::Desktop, Origin::Cli, Origin::Import]
            .into_iter()
            .find(|o| o.as_str() == text)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is acting, from where. Every service call takes one and records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The person: a Roster username once signed in, the OS account for the CLI.
    pub name: String,
    pub workstation: String,
    pub origin: Origin,
}

/// What an audit entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditTarget {
    /// `user`, `group`, …
    pub kind: String,
    pub id: i64,
    /// The name when the entry was written; a deleted user is shown as
    /// "Deleted User (ID: …)" instead.
    pub name: String,
}

/// One field's value before and after a change (`None` = empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An audit entry about to be written, in the same transaction as the change it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub workstation: String,
    pub origin: Origin,
    pub action: String,
    pub target: AuditTarget,
    pub changes: Vec<FieldChange>,
}

/// An audit entry as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub workstation: String,
    pub origin: Origin,
    pub action: String,
    pub target: AuditTarget,
    pub changes: Vec<FieldChange>,
}

/// Newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditQuery {
    /// Only entries about this user.
    pub user: Option<crate::UserId>,
    pub limit: u32,
}

/// How the audit trail names a user who no longer exists.
pub fn deleted_user_label(id: crate::UserId) -> String {
    format!("Deleted User (ID: {id})")
}
