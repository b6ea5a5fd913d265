//! What the credential services share: the account's secrets, the password policy's
//! hashing, one transaction per account change, and the sign-in answers. The services
//! themselves are in passwords.rs, two_factor.rs, codes.rs and first_owner.rs.

use super::users::{user_changes, user_write_error};
use super::*;
use crate::account::{AccountChange, Credentials, SecretChange, SignInEvent};
use crate::credentials::{password, totp};
use crate::mail::{MailKind, OutgoingMail};
use crate::message;
use crate::session::SessionStage;
use serde::{Deserialize, Serialize};

impl Roster {
    pub(super) async fn credentials(&self, user: UserId) -> Result<Credentials, Error> {
        self.repo.credentials(user).await.map_err(Error::from)
    }

    /// Checks a new password against the policy (it may not contain the username or the
    /// email's local part) and hashes it off the async runtime.
    pub(super) async fn new_password_hash(
        &self,
        password: &str,
        username: &str,
        email: &str,
    ) -> Result<String, Error> {
        let settings = self.current_settings().await?;
        let local_part = email.split('@').next().unwrap_or_default();
        let normalized = password::check(
            password,
            settings.min_password_chars,
            &[username, local_part],
        )
        .map_err(|e| Error::Validation(vec![e]))?;
        blocking(move || password::hash(&normalized)).await
    }

    /// Writes one account's change. A sign-in attempt in it is also an audit entry, so
    /// attempts are in the tamper-evident chain, not only in the table lockouts count from.
    pub(super) async fn save_account(
        &self,
        mut change: AccountChange,
    ) -> Result<Option<User>, Error> {
        if let Some(event) = &change.sign_in {
            change.audit.push(sign_in_record(event));
        }
        let has_user = change.user.is_some();
        let mut users = self
            .repo
            .save_accounts(vec![change])
            .await
            .map_err(user_write_error)?;
        Ok(if has_user { users.pop() } else { None })
    }

    /// The writes of a new password: the hash stored (failures and any pending one-time
    /// code cleared with it), the time recorded, and one audit entry saying how it was set.
    pub(super) fn password_change(
        &self,
        actor: &Actor,
        (action, how): (&str, &str),
        before: &User,
        mut after: User,
        hash: String,
    ) -> AccountChange {
        let now = self.clock.now();
        after.password_changed_at = Some(now);
        after.modified_at = now;
        let mut changes = user_changes(before, &after);
        changes.push(FieldChange {
            field: "password".into(),
            before: None,
            after: Some(how.to_owned()),
        });
        AccountChange {
            user: Some(after),
            secrets: Some((before.id, vec![SecretChange::Password(hash)])),
            audit: vec![self.record(actor, action, AuditTarget::user(before), changes)],
            sign_in: None,
            mail: Vec::new(),
        }
    }
}

/// A sign-in attempt as the audit trail keeps it: by whom (the name typed), where, and with
/// what result. Its target is the account tried (id 0: no such account).
fn sign_in_record(event: &SignInEvent) -> AuditRecord {
    AuditRecord {
        at: event.at,
        actor: event.login.clone(),
        workstation: event.workstation.clone(),
        origin: event.origin,
        action: if event.success {
            "session.sign_in"
        } else {
            "session.sign_in_failed"
        }
        .into(),
        target: AuditTarget {
            kind: "sign_in".into(),
            id: event.user.map_or(0, |user| user.0),
            name: event.login.clone(),
        },
        changes: vec![FieldChange {
            field: "result".into(),
            before: None,
            after: Some(event.reason.clone()),
        }],
    }
}

/// The signed-in user and what they must do first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedInUser {
    pub user: User,
    pub stage: SessionStage,
}

pub(super) fn mail_to(
    user: &User,
    kind: MailKind,
    subject: String,
    body: String,
    queued_at: chrono::DateTime<chrono::Utc>,
) -> OutgoingMail {
    OutgoingMail {
        queued_at,
        kind,
        user: Some(user.id),
        to_address: user.email.clone(),
        to_name: user.display_name(),
        subject,
        body,
        secret: None,
    }
}

/// Suspended and locked accounts cannot sign in or redeem codes.
pub(super) fn refuse_blocked(user: &User) -> Result<(), Error> {
    match user.status {
        Status::Locked | Status::AutoLocked => Err(Error::SignIn(
            ErrorCode::AccountLocked,
            message!("sign-in-locked"),
        )),
        Status::Suspended => Err(Error::SignIn(
            ErrorCode::AccountSuspended,
            message!("sign-in-suspended"),
        )),
        _ => Ok(()),
    }
}

/// Runs slow work (password hashing) on tokio's blocking pool, never on the runtime's
/// core threads or the UI thread.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Storage(format!("a background task failed: {e}")))
}

pub(super) fn unix_seconds(at: chrono::DateTime<chrono::Utc>) -> u64 {
    at.timestamp().max(0) as u64
}

/// A sign-in name is an email when it has an `@`, else a username (never an id).
pub(super) fn login_ref(login: &str) -> UserRef {
    if login.contains('@') {
        UserRef::Email(login.to_owned())
    } else {
        UserRef::Username(login.to_owned())
    }
}

pub(super) fn code_error(problem: totp::CodeProblem) -> Error {
    let message = match problem {
        totp::CodeProblem::Malformed => message!("sign-in-code-malformed"),
        totp::CodeProblem::Wrong => message!("sign-in-code-wrong"),
        totp::CodeProblem::Reused => message!("sign-in-code-reused"),
    };
    Error::SignIn(ErrorCode::BadCode, message)
}

pub(super) fn code_reason(problem: totp::CodeProblem) -> &'static str {
    match problem {
        totp::CodeProblem::Malformed | totp::CodeProblem::Wrong => "wrong authenticator code",
        totp::CodeProblem::Reused => "authenticator code used twice",
    }
}
