use crate::user::User;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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

impl AuditTarget {
    pub fn user(user: &User) -> AuditTarget {
        AuditTarget {
            kind: "user".into(),
            id: user.id.0,
            name: format!("{} <{}>", user.display_name(), user.username),
        }
    }
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
    /// Stable name, e.g. `user.suspend`.
    pub action: String,
    /// How people read it, e.g. "Suspended" (see [`action_label`]).
    pub label: String,
    pub target: AuditTarget,
    pub changes: Vec<FieldChange>,
}

/// Which entries to read, newest first. Every filter given must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct AuditQuery {
    /// Only entries about this user.
    pub user: Option<crate::UserId>,
    /// Who acted (a console account's username, or the CLI's operator).
    pub actor: Option<String>,
    /// A stable action name, e.g. `user.suspend`.
    pub action: Option<String>,
    /// `user`, `group`, `role`, `token`, `settings`, `import`, `audit`, `mail`, `backup`.
    pub target_kind: Option<String>,
    /// With `target_kind`: one record.
    pub target_id: Option<i64>,
    pub origin: Option<Origin>,
    pub workstation: Option<String>,
    /// Written at or after.
    pub from: Option<DateTime<Utc>>,
    /// Written before.
    pub until: Option<DateTime<Utc>>,
    /// Found in the target's name or in a changed value (case-insensitive).
    pub text: Option<String>,
    /// Only entries older than this one: the next page of a list.
    /// Only entries about what this organization holds (the window's switcher).
    pub organization: Option<String>,
    pub before: Option<i64>,
    pub limit: u32,
    /// Only entries about users, groups and organizations in these organizations: set by
    /// the services from the actor's scope, never taken from a front end.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub within: Option<Vec<crate::OrganizationId>>,
}

/// What purging the entries written before a date removes (or removed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditPurge {
    /// Entries and sign-in events written before this go.
    pub before: DateTime<Utc>,
    /// The newest audit entry removed (`None`: no entry is that old).
    pub last_entry: Option<i64>,
    pub entries: u64,
    pub sign_ins: u64,
}

/// How the audit trail names a user who no longer exists.
pub fn deleted_user_label(id: crate::UserId) -> String {
    format!("Deleted User (ID: {id})")
}

/// The catalogue message (`locales/*.ftl`) naming an action for people: `user.reset_2fa` is
/// `action-user-reset-2fa`. The window renders it in its reader's language.
pub fn action_message_id(action: &str) -> String {
    format!("action-{}", action.replace(['.', '_'], "-"))
}

/// How the audit trail names an action for people, in English. An action this version does
/// not know (written by a newer one) is shown by its stable name.
pub fn action_label(action: &str) -> String {
    // An export reads millions of entries and a few dozen actions: each is rendered once.
    static LABELS: std::sync::RwLock<BTreeMap<String, String>> =
        std::sync::RwLock::new(BTreeMap::new());
    if let Some(label) = LABELS.read().unwrap_or_else(|e| e.into_inner()).get(action) {
        return label.clone();
    }
    let id = action_message_id(action);
    let label = roster_l10n::render(roster_l10n::ENGLISH, &id, &roster_l10n::Args::new())
        .unwrap_or_else(|| action.to_owned());
    LABELS
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(action.to_owned(), label.clone());
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action a service records has words for people.
    #[test]
    fn every_recorded_action_has_a_label() {
        let sources = [
            include_str!("service/users.rs"),
            include_str!("service/groups.rs"),
            include_str!("service/admin.rs"),
            include_str!("service/mail.rs"),
            include_str!("service/tokens.rs"),
            include_str!("service/passwords.rs"),
            include_str!("service/two_factor.rs"),
            include_str!("service/codes.rs"),
            include_str!("service/first_owner.rs"),
            include_str!("service/sign_in.rs"),
            include_str!("service/import.rs"),
            include_str!("service/memberships.rs"),
            include_str!("service/organizations.rs"),
            include_str!("service/devices.rs"),
            include_str!("service/audit.rs"),
            include_str!("service/backups.rs"),
            include_str!("service/credentials.rs"),
            include_str!("status.rs"),
        ];
        let mut seen = 0;
        for source in sources {
            for piece in source.split('"').skip(1).step_by(2) {
                let recorded = [
                    "user.",
                    "group.",
                    "role.",
                    "settings.",
                    "mail.",
                    "token.",
                    "device.",
                    "organization.",
                    "import.",
                    "audit.",
                    "session.",
                    "backup.",
                ]
                .iter()
                .any(|kind| piece.starts_with(kind))
                    && piece.chars().all(|c| {
                        c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit()
                    });
                if recorded {
                    seen += 1;
                    assert_ne!(action_label(piece), piece, "{piece} has no label");
                }
            }
        }
        assert!(seen > 25, "found {seen} recorded actions");
    }
}
