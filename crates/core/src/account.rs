//! What the credential services hand the store: a user's secrets, sign-in events, tokens,
//! and one bundle of writes ([`AccountChange`]) that must land in one transaction.

use crate::audit::{AuditRecord, Origin};
use crate::group::GroupId;
use crate::mail::OutgoingMail;
use crate::organization::OrganizationId;
use crate::user::{NewUserRecord, Status, User, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A user's secrets. Absent fields were never set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// Argon2id PHC string.
    pub password_hash: Option<String>,
    pub totp_secret: Option<Vec<u8>>,
    /// The last TOTP step used, so a code cannot be used twice.
    pub totp_last_step: Option<i64>,
    pub failed_sign_ins: u32,
    /// SHA-256 of the pending invitation or recovery code.
    pub code_hash: Option<String>,
    pub code_expires_at: Option<DateTime<Utc>>,
}

/// A sign-in attempt as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInEvent {
    pub at: DateTime<Utc>,
    /// `None` when the name matched no account.
    pub user: Option<UserId>,
    /// What was typed as username or email.
    pub login: String,
    pub workstation: String,
    pub origin: Origin,
    pub success: bool,
    pub reason: String,
}

/// A sign-in attempt as the Activity tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignInEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub login: String,
    pub workstation: String,
    pub origin: Origin,
    pub success: bool,
    pub reason: String,
}

/// One change to a user's secrets. The store writes each as an update of only the columns
/// it names, never the row as it was read: a failed sign-in counted on one workstation
/// while a helpdesk sets a new password on another must not write the old password back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretChange {
    /// A new password (Argon2id PHC string): failed attempts and any pending one-time code
    /// are cleared with it.
    Password(String),
    /// The same password hashed with today's parameters, kept only if the stored hash is
    /// still `verified`, the one just checked.
    Rehash { verified: String, hash: String },
    /// One more failed attempt, counted only if the count is still `read`: two attempts at
    /// once from two workstations then each count (the later one is refused as stale and
    /// counted again).
    Failure { read: u32 },
    /// A successful sign-in or activation: no failed attempts in a row any more.
    ClearFailures,
    /// The TOTP step a code was just accepted for; refused as stale if that step or a
    /// later one was used meanwhile, so one code never signs in twice.
    TotpStep(i64),
    /// A new second-factor secret, waiting to be activated.
    TotpSecret(Vec<u8>),
    /// A new one-time code (its SHA-256), replacing any pending one.
    Code {
        hash: String,
        expires_at: DateTime<Utc>,
    },
    /// The pending one-time code `hash` is used up; refused as stale if it is no longer
    /// the pending one, so a code works once.
    UseCode { hash: String },
}

impl SecretChange {
    /// Whether the change replaces what a signed-in session of the account proved it knew
    /// (its password or its second factor): such a session then ends.
    pub fn ends_sessions(&self) -> bool {
        matches!(
            self,
            SecretChange::Password(_) | SecretChange::TotpSecret(_)
        )
    }
}

/// Writes that belong together: a user's new state (only if its version is unchanged),
/// changes to their secrets, the audit records, the sign-in event and the messages to send.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountChange {
    pub user: Option<User>,
    pub secrets: Option<(UserId, Vec<SecretChange>)>,
    pub audit: Vec<AuditRecord>,
    pub sign_in: Option<SignInEvent>,
    pub mail: Vec<OutgoingMail>,
}

/// What a signed-in session is checked against on every command (see
/// `Roster::check_session`): the directory's identity and the account as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAccount {
    pub directory: String,
    /// `None` once the account was deleted.
    pub account: Option<AccountState>,
}

/// The parts of an account a session depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub status: Status,
    pub role: String,
    /// Moves with every change of the account's status, role, scope, role permissions or
    /// secrets.
    pub generation: i64,
}

/// A user to create with everything that comes with it (first secrets, the audit
/// entries about it, messages to send), written in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAccount {
    pub user: NewUserRecord,
    /// Written when a secret is set from the start (a password, an invitation code).
    pub credentials: Option<Credentials>,
    /// Entries about the new user: the store fills in each target's id.
    pub audit: Vec<AuditRecord>,
    pub mail: Vec<OutgoingMail>,
    /// Groups to add the user to, as core chose them.
    pub groups: Vec<GroupChoice>,
}

/// A group an import puts a user in, as core chose it after the checks the Groups screen
/// applies: one that exists, or one to create by this name in this organization (the same
/// name and organization in one import make one group).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupChoice {
    Existing(GroupId),
    New {
        name: String,
        organization: Option<OrganizationId>,
    },
}

/// A token about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTokenRecord {
    pub user: UserId,
    pub hash: String,
    pub last4: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub expires_at: DateTime<Utc>,
}

/// A stored token (never its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub user: UserId,
    pub username: String,
    pub last4: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last enrolled a device.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Which tokens to read, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenFilter {
    pub user: Option<UserId>,
    pub revoked: Option<bool>,
    pub expires_after: Option<DateTime<Utc>>,
    pub expires_before: Option<DateTime<Utc>>,
    pub limit: u32,
    /// Only tokens of users in these organizations (`None`: anyone's).
    pub within: Option<Vec<crate::OrganizationId>>,
}
