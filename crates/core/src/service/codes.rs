//! One-time codes: invitations for new accounts and recovery codes, and redeeming them.

use super::credentials::*;
use super::users::{self, user_changes, user_write_error};
use super::*;
use crate::Settings;
use crate::account::{AccountChange, Credentials, SecretChange};
use crate::credentials::{self};
use crate::mail::{MailKind, OutgoingMail, texts};
use crate::message;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A recovery code is good for a day; an invitation for a week (people start on Mondays).
const RECOVERY_CODE_HOURS: i64 = 24;
const INVITATION_CODE_DAYS: i64 = 7;

/// "I have a code": an invitation or recovery code and the new password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct RedeemCode {
    pub login: String,
    pub code: String,
    pub new_password: String,
}

impl Roster {
    /// Starts password recovery: status `recovery` and a one-time code by email.
    pub async fn start_recovery(
        &self,
        actor: &Actor,
        users: &[UserRef],
    ) -> Result<Vec<User>, Error> {
        let found = self
            .users_to_manage(actor, Permission::ResetCredentials, users)
            .await?;
        let settings = self.current_settings().await?;
        let now = self.clock.now();
        let mut refused = Vec::new();
        let mut changes = Vec::with_capacity(found.len());
        for before in &found {
            let to = match transition(before.status, StatusAction::StartRecovery) {
                Ok(to) => to,
                Err(why) => {
                    refused.push(format!("{} {why}", before.username));
                    continue;
                }
            };
            let code = credentials::new_one_time_code();
            let secret = StoredCode {
                hash: credentials::sha256_hex(&code),
                expires_at: now + Duration::hours(RECOVERY_CODE_HOURS),
            }
            .change();
            let mut after = before.clone();
            after.status = to;
            after.modified_at = now;
            let shown = credentials::group_in_fours(&code);
            let (subject, body) = texts::recovery(
                &settings.mail_language,
                &settings.organization_name,
                &before.display_name(),
                &before.username,
                &shown,
            );
            changes.push(AccountChange {
                user: Some(after.clone()),
                secrets: Some((before.id, vec![secret])),
                audit: vec![self.record(
                    actor,
                    "user.start_recovery",
                    AuditTarget::user(before),
                    user_changes(before, &after),
                )],
                sign_in: None,
                mail: vec![OutgoingMail {
                    secret: Some(shown),
                    ..mail_to(before, MailKind::Recovery, subject, body, now)
                }],
            });
        }
        if !refused.is_empty() {
            return Err(Error::IllegalTransition(format!(
                "cannot start password recovery: {}; nothing was changed",
                refused.join("; ")
            )));
        }
        self.repo
            .save_accounts(changes)
            .await
            .map_err(user_write_error)
    }

    /// Sends (again) the new-user message with a one-time code to choose a password.
    pub async fn invite(&self, actor: &Actor, user: &UserRef) -> Result<User, Error> {
        let user = self
            .user_to_manage(actor, Permission::ResetCredentials, user)
            .await?;
        refuse_uninvitable(&user)?;
        let settings = self.current_settings().await?;
        let (code, audit, mail) = self.invitation(actor, &user, &settings);
        self.save_account(AccountChange {
            user: None,
            secrets: Some((user.id, vec![code.change()])),
            audit: vec![audit],
            sign_in: None,
            mail: vec![mail],
        })
        .await?;
        Ok(user)
    }

    /// Creates a user and sends the invitation, for the create form's "send invitation":
    /// one transaction, so there is never a new user whose invitation was lost.
    pub async fn add_user_and_invite(&self, actor: &Actor, input: NewUser) -> Result<User, Error> {
        actor.require(Permission::ManageUsers)?;
        let mut account = self.new_account(actor, input).await?;
        let user = users::provisional_user(&account.user);
        refuse_uninvitable(&user)?;
        let settings = self.current_settings().await?;
        let (code, audit, mail) = self.invitation(actor, &user, &settings);
        account.credentials = Some(code.credentials());
        account.audit.push(audit);
        account.mail.push(mail);
        self.create_account(account).await
    }

    /// A new invitation code, its audit entry and the message carrying it, sent in the
    /// name and language of `settings` (read once by the caller).
    pub(super) fn invitation(
        &self,
        actor: &Actor,
        user: &User,
        settings: &Settings,
    ) -> (StoredCode, AuditRecord, OutgoingMail) {
        let code = credentials::new_one_time_code();
        let now = self.clock.now();
        let stored = StoredCode {
            hash: credentials::sha256_hex(&code),
            expires_at: now + Duration::days(INVITATION_CODE_DAYS),
        };
        let shown = credentials::group_in_fours(&code);
        let (subject, body) = texts::invitation(
            &settings.mail_language,
            &settings.organization_name,
            &user.display_name(),
            &user.username,
            &shown,
            INVITATION_CODE_DAYS,
        );
        let audit = self.record(
            actor,
            "user.invite",
            AuditTarget::user(user),
            vec![FieldChange {
                field: "invitation".into(),
                before: None,
                after: Some(format!("sent to {}", user.email)),
            }],
        );
        (
            stored,
            audit,
            OutgoingMail {
                secret: Some(shown),
                ..mail_to(user, MailKind::Invitation, subject, body, now)
            },
        )
    }

    /// Redeems an invitation or recovery code with a new password. The person then signs
    /// in as usual (with their second factor, if they have one).
    pub async fn redeem_code(
        &self,
        request: &RedeemCode,
        workstation: &str,
        origin: Origin,
    ) -> Result<User, Error> {
        let login = request.login.trim();
        let invalid = || {
            Error::SignIn(
                ErrorCode::BadCode,
                message!("sign-in-one-time-code-invalid"),
            )
        };
        let actor = Actor::signing_in(login, workstation, origin);
        let Some(before) = self.repo.find_user(&login_ref(login)).await? else {
            self.record_sign_in(&actor, None, login, false, "code for an unknown account")
                .await?;
            return Err(invalid());
        };
        let secrets = self.credentials(before.id).await?;
        let now = self.clock.now();
        let typed = credentials::sha256_hex(&credentials::clean_code(&request.code));
        let valid = secrets.code_hash.as_deref() == Some(typed.as_str())
            && secrets.code_expires_at.is_some_and(|at| at > now);
        if !valid {
            self.count_failure(
                &actor,
                &before,
                secrets,
                "wrong or expired one-time code",
                login,
            )
            .await?;
            return Err(invalid());
        }
        refuse_blocked(&before)?;
        let hash = self
            .new_password_hash(&request.new_password, &before.username, &before.email)
            .await?;
        let mut after = before.clone();
        after.status = match before.status {
            Status::Staged | Status::AwaitingNewPassword | Status::Recovery => Status::Active,
            other => other,
        };
        let mut change = self.password_change(
            &actor,
            ("user.redeem_code", "set with a one-time code"),
            &before,
            after,
            hash,
        );
        // The code works once: a second redemption at the same moment is refused.
        if let Some((_, changes)) = &mut change.secrets {
            changes.insert(0, SecretChange::UseCode { hash: typed });
        }
        change.sign_in = Some(self.sign_in_event(
            &actor,
            Some(before.id),
            login,
            true,
            "one-time code redeemed; password set",
        ));
        Ok(self
            .save_account(change)
            .await?
            .expect("the user was written"))
    }
}

/// A one-time code as it is kept: its SHA-256 and when it expires (the code itself only
/// travels in its message).
pub(super) struct StoredCode {
    hash: String,
    expires_at: DateTime<Utc>,
}

impl StoredCode {
    /// The first secrets of a new account.
    pub(super) fn credentials(self) -> Credentials {
        Credentials {
            code_hash: Some(self.hash),
            code_expires_at: Some(self.expires_at),
            ..Credentials::default()
        }
    }

    /// The code replacing any pending one of an existing account.
    fn change(self) -> SecretChange {
        SecretChange::Code {
            hash: self.hash,
            expires_at: self.expires_at,
        }
    }
}

fn refuse_uninvitable(user: &User) -> Result<(), Error> {
    if matches!(user.status, Status::Staged | Status::Active) {
        Ok(())
    } else {
        Err(Error::IllegalTransition(format!(
            "{} is {}; invitations are for new accounts",
            user.username, user.status
        )))
    }
}
