//! The use cases. Front ends (desktop, CLI, import) call these and nothing else writes.

use crate::access::{Actor, Rights};
use crate::account::NewAccount;
use crate::audit::Origin;
use crate::audit::{AuditEntry, AuditQuery, AuditRecord, AuditTarget, FieldChange};
use crate::clock::Clock;
use crate::error::{Error, ErrorCode, FieldError, StoreError};
use crate::field::UserField;
use crate::group::{Group, GroupId, GroupPatch, NewGroup};
use crate::query::{Count, UserPage, UserQuery, UserRows};
use crate::rbac::Permission;
use crate::repository::{GroupMembershipChange, Repository};
use crate::status::{StatusAction, transition};
use crate::user::{
    BulkEdit, NewUser, NewUserRecord, OWNER_ROLE, Status, TwoFactorState, User, UserId, UserPatch,
    UserRef,
};
use crate::validate::{self, lookalike_key, normalize_key};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

mod admin;
mod attributes;
mod audit;
mod backups;
mod changes;
mod codes;
mod credentials;
mod devices;
mod diagnostics;
mod end_dates;
mod export;
mod first_owner;
mod groups;
mod import;
mod mail;
mod memberships;
mod organizations;
mod overview;
mod passwords;
mod sessions;
mod sign_in;
mod tokens;
mod two_factor;
mod users;

pub use admin::Welcome;
pub use backups::Restored;
pub use changes::ChangeWatch;
pub use codes::RedeemCode;
pub use credentials::SignedInUser;
pub use end_dates::{DueReport, END_DATE_ACTOR};
pub use export::{ExportColumns, Transfer};
pub use first_owner::FirstOwner;
pub use passwords::{PasswordSet, SetPassword};
pub use sign_in::SignInRequest;
pub use tokens::{IssuedToken, TokenQuery, TokenView};
pub use two_factor::Enrollment;

const DEFAULT_ROLE: &str = "user";
const DEFAULT_IDENTITY_PROVIDER: &str = "local";
/// The most users one bulk action may select.
pub const MAX_SELECTION: u64 = 1_000_000;
/// The most entries one read of the audit trail, the sign-ins or the outbox returns.
pub const MAX_ENTRIES: u32 = 10_000;

/// Refuses a `limit` outside 1..=[`MAX_ENTRIES`].
fn check_limit(limit: u32) -> Result<(), Error> {
    if limit == 0 || limit > MAX_ENTRIES {
        return Err(Error::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_ENTRIES}"),
        ));
    }
    Ok(())
}

/// A change of one field of a record for its audit entry; an empty value is recorded as
/// none.
fn field_change(field: &str, before: &str, after: &str) -> FieldChange {
    let value = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
    FieldChange {
        field: field.into(),
        before: value(before),
        after: value(after),
    }
}

/// A user just created by [`Roster::add_users`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    pub id: UserId,
    pub username: String,
}

/// Roster's services over one repository and one clock.
#[derive(Clone)]
pub struct Roster {
    repo: Arc<dyn Repository>,
    clock: Arc<dyn Clock>,
}

impl Roster {
    pub fn new(repo: Arc<dyn Repository>, clock: Arc<dyn Clock>) -> Self {
        Self { repo, clock }
    }

    pub fn backend(&self) -> &'static str {
        self.repo.backend()
    }

    pub fn location(&self) -> String {
        self.repo.location()
    }

    /// A save over another admin's change, refused: says who last changed `what`, when,
    /// and which fields (to a person who may read the audit trail), and what can be done.
    /// `history` finds the record's entries; `about` keeps those about this record where
    /// the query alone cannot tell.
    async fn changed_meanwhile(
        &self,
        actor: &Actor,
        what: &str,
        history: AuditQuery,
        about: impl Fn(&AuditEntry) -> bool,
    ) -> Error {
        let mut message = format!("{what} was changed by someone else since you opened it");
        let history = AuditQuery {
            limit: 20,
            ..history
        };
        if actor.may(Permission::ViewAudit)
            && let Ok(entries) = self.repo.list_audit(&history).await
            && let Some(last) = entries.iter().find(|e| about(e))
        {
            let fields: Vec<&str> = last.changes.iter().map(|c| c.field.as_str()).collect();
            message.push_str(&format!(
                " ({} at {} UTC, from {}{}{})",
                last.actor,
                last.at.format("%Y-%m-%d %H:%M"),
                last.workstation,
                if fields.is_empty() { "" } else { ": " },
                fields.join(", ")
            ));
        }
        message.push_str(
            "; reload to see their changes, or keep yours: only the fields you changed are saved over theirs",
        );
        Error::VersionConflict(message)
    }

    fn record(
        &self,
        actor: &Actor,
        action: &str,
        target: AuditTarget,
        changes: Vec<FieldChange>,
    ) -> AuditRecord {
        AuditRecord {
            at: self.clock.now(),
            actor: actor.name.clone(),
            workstation: actor.workstation.clone(),
            origin: actor.origin,
            action: action.to_owned(),
            target,
            changes,
        }
    }
}
