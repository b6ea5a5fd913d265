//! One-time codes: invitations for new accounts and recovery codes, and redeeming them.

use super::credentials::*;
use super::users::{self, user_changes, user_target, user_write_error};
use super::*;
use crate::account::{AccountChange, Credentials};
use crate::credentials::{self};
use crate::mail::{MailKind, OutgoingMail, texts};
use chrono::Duration;
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
            let mut secrets = self.credentials(before.id).await?;
            secrets.code_hash = Some(credentials::sha256_hex(&code));
            secrets.code_expires_at = Some(now + Duration::hours(RECOVERY_CODE_HOURS));
            let mut after = before.clone();
            after.status = to;
            after.modified_at = now;
            let (subject, body) = texts::recovery(
                &settings.organization_name,
                &before.display_name(),
                &before.username,
                &credentials::group_in_fours(&code),
            );
            changes.push(AccountChange {
                user: Some(after.clone()),
                credentials: Some((before.id, secrets)),
                failures_read: None,
                audit: vec![self.record(
                    actor,
                    "user.start_recovery",
                    user_target(before),
                    user_changes(before, &after),
                )],
                sign_in: None,
                mail: vec![mail_to(before, MailKind::Recovery, subject, body, now)],
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
        let mut secrets = self.credentials(user.id).await?;
        let organization = self.current_settings().await?.organization_name;
        let (audit, mail) = self.invitation(actor, &user, &organization, &mut secrets);
        self.save_account(AccountChange {
            user: None,
            credentials: Some((user.id, secrets)),
            failures_read: None,
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
        let mut secrets = Credentials::default();
        let organization = self.current_settings().await?.organization_name;
        let (audit, mail) = self.invitation(actor, &user, &organization, &mut secrets);
        account.credentials = Some(secrets);
        account.audit.push(audit);
        account.mail.push(mail);
        self.create_account(account).await
    }

    /// A new invitation code in `secrets`, its audit entry and the message carrying it, sent
    /// in the name of `organization` (the settings' name, read once by the caller).
    pub(super) fn invitation(
        &self,
        actor: &Actor,
        user: &User,
        organization: &str,
        secrets: &mut Credentials,
    ) -> (AuditRecord, OutgoingMail) {
        let code = credentials::new_one_time_code();
        let now = self.clock.now();
        secrets.code_hash = Some(credentials::sha256_hex(&code));
        secrets.code_expires_at = Some(now + Duration::days(INVITATION_CODE_DAYS));
        let (subject, body) = texts::invitation(
            organization,
            &user.display_name(),
            &user.username,
            &credentials::group_in_fours(&code),
            INVITATION_CODE_DAYS,
        );
        let audit = self.record(
            actor,
            "user.invite",
            user_target(user),
            vec![FieldChange {
                field: "invitation".into(),
                before: None,
                after: Some(format!("sent to {}", user.email)),
            }],
        );
        (
            audit,
            mail_to(user, MailKind::Invitation, subject, body, now),
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
                "this code is not valid: check the username and the code; codes work once and expire (recovery codes after 24 hours), so ask the helpdesk for a new one".into(),
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
        let valid = secrets.code_hash.as_deref()
            == Some(credentials::sha256_hex(&credentials::clean_code(&request.code)).as_str())
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
            (secrets, hash),
        );
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
