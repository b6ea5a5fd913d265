//! Passwords, second factors and one-time codes, set by an admin or by the account holder.

use super::users::{user_changes, user_target};
use super::*;
use crate::account::{AccountChange, Credentials};
use crate::credentials::{self, password, qr, totp};
use crate::mail::{MailKind, OutgoingMail, texts};
use crate::session::SessionStage;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// A recovery code is good for a day; an invitation for a week (people start on Mondays).
const RECOVERY_CODE_HOURS: i64 = 24;
const INVITATION_CODE_DAYS: i64 = 7;

/// What an admin chose in the Set password dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct SetPassword {
    /// The password the admin typed; ignored when `generate` is set.
    pub password: Option<String>,
    pub generate: bool,
    /// The user must choose their own password at the next sign-in.
    pub must_change: bool,
    /// Tell the account holder by email that their password was set.
    pub notify: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PasswordSet {
    pub user: User,
    /// The generated password, shown once.
    pub generated_password: Option<String>,
}

/// What a person needs to add their account to an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Enrollment {
    pub user_id: UserId,
    pub username: String,
    pub issuer: String,
    /// The `otpauth://` Key URI the QR code holds.
    pub uri: String,
    /// The base32 key in groups of four, for typing by hand.
    pub key: String,
    pub qr_svg: String,
}

/// The first Owner, created on an empty database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct FirstOwner {
    pub user: NewUser,
    pub password: String,
}

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
    pub async fn settings(&self) -> Result<Settings, Error> {
        Ok(self
            .repo
            .settings()
            .await
            .map_err(storage)?
            .unwrap_or_default())
    }

    pub(super) async fn credentials(&self, user: UserId) -> Result<Credentials, Error> {
        self.repo.credentials(user).await.map_err(storage)
    }

    /// Checks a new password against the policy (it may not contain the username or the
    /// email's local part) and hashes it off the async runtime.
    pub(super) async fn new_password_hash(
        &self,
        password: &str,
        username: &str,
        email: &str,
    ) -> Result<String, Error> {
        let settings = self.settings().await?;
        let local_part = email.split('@').next().unwrap_or_default();
        let normalized = password::check(
            password,
            settings.min_password_chars,
            &[username, local_part],
        )
        .map_err(|e| Error::Validation(vec![e]))?;
        blocking(move || password::hash(&normalized)).await
    }

    pub(super) async fn save_account(&self, change: AccountChange) -> Result<Option<User>, Error> {
        let has_user = change.user.is_some();
        let mut users = self
            .repo
            .save_accounts(vec![change])
            .await
            .map_err(account_write_error)?;
        Ok(if has_user { users.pop() } else { None })
    }

    /// The writes of a new password: the hash stored, failures and any pending one-time
    /// code cleared, the time recorded, and one audit entry saying how it was set.
    fn password_change(
        &self,
        actor: &Actor,
        (action, how): (&str, &str),
        before: &User,
        mut after: User,
        (mut secrets, hash): (Credentials, String),
    ) -> AccountChange {
        secrets.password_hash = Some(hash);
        secrets.failed_sign_ins = 0;
        secrets.code_hash = None;
        secrets.code_expires_at = None;
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
            credentials: Some((before.id, secrets)),
            audit: vec![self.record(actor, action, user_target(before), changes)],
            sign_in: None,
            mail: Vec::new(),
        }
    }

    /// An admin sets (types or generates) a user's password.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user: &UserRef,
        choice: SetPassword,
    ) -> Result<PasswordSet, Error> {
        let before = self.find_user(user).await?;
        let generated = choice.generate.then(password::generate);
        let text = match (&generated, &choice.password) {
            (Some(generated), _) => generated.clone(),
            (None, Some(typed)) => typed.clone(),
            (None, None) => {
                return Err(Error::invalid(
                    "password",
                    "type a password or choose Generate",
                ));
            }
        };
        let mut after = before.clone();
        if choice.must_change {
            after.status =
                transition(before.status, StatusAction::RequirePasswordChange).map_err(|why| {
                    Error::IllegalTransition(format!(
                        "{} {why}; the password was not changed",
                        before.username
                    ))
                })?;
        } else if matches!(
            before.status,
            Status::AwaitingNewPassword | Status::Recovery
        ) {
            after.status = Status::Active;
        }
        let hash = self
            .new_password_hash(&text, &before.username, &before.email)
            .await?;
        let secrets = self.credentials(before.id).await?;
        let how = if choice.must_change {
            "set (must change at next sign-in)"
        } else {
            "set"
        };
        let mut change = self.password_change(
            actor,
            ("user.set_password", how),
            &before,
            after,
            (secrets, hash),
        );
        if choice.notify {
            let settings = self.settings().await?;
            let (subject, body) = texts::password_set(
                &settings.organization_name,
                &before.display_name(),
                &before.username,
                choice.must_change,
            );
            change.mail.push(mail_to(
                &before,
                MailKind::PasswordSet,
                subject,
                body,
                self.clock.now(),
            ));
        }
        let user = self
            .save_account(change)
            .await?
            .expect("the user was written");
        Ok(PasswordSet {
            user,
            generated_password: generated,
        })
    }

    /// The signed-in person changes their own password. The current password is needed
    /// unless they were told to choose a new one at this sign-in.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        user: UserId,
        current: Option<&str>,
        new: &str,
    ) -> Result<User, Error> {
        let before = self.find_user(&UserRef::Id(user)).await?;
        let secrets = self.credentials(user).await?;
        let forced = matches!(
            before.status,
            Status::AwaitingNewPassword | Status::Recovery
        );
        match (current, &secrets.password_hash) {
            (Some(current), Some(phc)) => {
                let (phc, current) = (phc.clone(), current.to_owned());
                if !blocking(move || password::verify(&phc, &current).matches).await? {
                    return Err(Error::invalid(
                        "current_password",
                        "this is not your current password",
                    ));
                }
            }
            _ if forced => {}
            _ => {
                return Err(Error::invalid(
                    "current_password",
                    "enter your current password",
                ));
            }
        }
        let hash = self
            .new_password_hash(new, &before.username, &before.email)
            .await?;
        let mut after = before.clone();
        if forced {
            after.status = Status::Active;
        }
        let change = self.password_change(
            actor,
            ("user.change_password", "changed by the account holder"),
            &before,
            after,
            (secrets, hash),
        );
        Ok(self
            .save_account(change)
            .await?
            .expect("the user was written"))
    }

    /// Clears each user's second factor and issues a new secret, to be activated with a
    /// code at their next sign-in. One transaction for all; the holders are notified.
    pub async fn reset_two_factor(
        &self,
        actor: &Actor,
        users: &[UserRef],
    ) -> Result<Vec<Enrollment>, Error> {
        let found = self.find_users(users).await?;
        let excluded: Vec<&str> = found
            .iter()
            .filter(|u| u.two_factor == TwoFactorState::NotAvailable)
            .map(|u| u.username.as_str())
            .collect();
        if !excluded.is_empty() {
            return Err(Error::IllegalTransition(format!(
                "2FA is not available to {} by policy; nothing was changed",
                excluded.join(", ")
            )));
        }
        let settings = self.settings().await?;
        let now = self.clock.now();
        let mut changes = Vec::with_capacity(found.len());
        let mut enrollments = Vec::with_capacity(found.len());
        for before in &found {
            let mut secrets = self.credentials(before.id).await?;
            let secret = totp::new_secret();
            enrollments.push(enrollment(before, &secret, &settings.organization_name));
            secrets.totp_secret = Some(secret);
            secrets.totp_last_step = None;
            let mut after = before.clone();
            after.two_factor = TwoFactorState::PendingActivation;
            after.modified_at = now;
            let mut fields = user_changes(before, &after);
            fields.push(FieldChange {
                field: "totp_secret".into(),
                before: None,
                after: Some("new secret issued".into()),
            });
            let (subject, body) = texts::two_factor_reset(
                &settings.organization_name,
                &before.display_name(),
                &before.username,
            );
            changes.push(AccountChange {
                user: Some(after),
                credentials: Some((before.id, secrets)),
                audit: vec![self.record(actor, "user.reset_2fa", user_target(before), fields)],
                sign_in: None,
                mail: vec![mail_to(
                    before,
                    MailKind::TwoFactorReset,
                    subject,
                    body,
                    now,
                )],
            });
        }
        self.repo
            .save_accounts(changes)
            .await
            .map_err(account_write_error)?;
        Ok(enrollments)
    }

    /// The QR code and key of a second factor waiting to be activated.
    pub async fn enrollment(&self, user: &UserRef) -> Result<Enrollment, Error> {
        let user = self.find_user(user).await?;
        let secret = match (
            user.two_factor,
            self.credentials(user.id).await?.totp_secret,
        ) {
            (TwoFactorState::PendingActivation, Some(secret)) => secret,
            _ => {
                return Err(Error::IllegalTransition(format!(
                    "{} has no 2FA waiting to be activated; reset 2FA first",
                    user.username
                )));
            }
        };
        let settings = self.settings().await?;
        Ok(enrollment(&user, &secret, &settings.organization_name))
    }

    /// A correct code from the authenticator app activates the pending second factor.
    /// Wrong codes count like wrong passwords.
    pub async fn activate_two_factor(
        &self,
        actor: &Actor,
        user: &UserRef,
        code: &str,
    ) -> Result<User, Error> {
        let before = self.find_user(user).await?;
        let mut secrets = self.credentials(before.id).await?;
        let secret = match (before.two_factor, &secrets.totp_secret) {
            (TwoFactorState::PendingActivation, Some(secret)) => secret.clone(),
            _ => {
                return Err(Error::IllegalTransition(format!(
                    "{} has no 2FA waiting to be activated; reset 2FA first",
                    before.username
                )));
            }
        };
        let now = self.clock.now();
        match totp::verify(&secret, code, unix_seconds(now), secrets.totp_last_step) {
            Ok(step) => {
                secrets.totp_last_step = Some(step);
                secrets.failed_sign_ins = 0;
                let mut after = before.clone();
                after.two_factor = TwoFactorState::Active;
                after.modified_at = now;
                let audit = self.record(
                    actor,
                    "user.activate_2fa",
                    user_target(&before),
                    user_changes(&before, &after),
                );
                Ok(self
                    .save_account(AccountChange {
                        user: Some(after),
                        credentials: Some((before.id, secrets)),
                        audit: vec![audit],
                        ..AccountChange::default()
                    })
                    .await?
                    .expect("the user was written"))
            }
            Err(problem) => {
                let error = code_error(problem);
                self.count_failure(
                    actor,
                    &before,
                    secrets,
                    code_reason(problem),
                    &before.username,
                )
                .await?;
                Err(error)
            }
        }
    }

    /// Starts password recovery: status `recovery` and a one-time code by email.
    pub async fn start_recovery(
        &self,
        actor: &Actor,
        users: &[UserRef],
    ) -> Result<Vec<User>, Error> {
        let found = self.find_users(users).await?;
        let settings = self.settings().await?;
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
            .map_err(account_write_error)
    }

    /// Sends (again) the new-user message with a one-time code to choose a password.
    pub async fn invite(&self, actor: &Actor, user: &UserRef) -> Result<User, Error> {
        let user = self.find_user(user).await?;
        if !matches!(user.status, Status::Staged | Status::Active) {
            return Err(Error::IllegalTransition(format!(
                "{} is {}; invitations are for new accounts",
                user.username, user.status
            )));
        }
        let settings = self.settings().await?;
        let code = credentials::new_one_time_code();
        let now = self.clock.now();
        let mut secrets = self.credentials(user.id).await?;
        secrets.code_hash = Some(credentials::sha256_hex(&code));
        secrets.code_expires_at = Some(now + Duration::days(INVITATION_CODE_DAYS));
        let (subject, body) = texts::invitation(
            &settings.organization_name,
            &user.display_name(),
            &user.username,
            &credentials::group_in_fours(&code),
            INVITATION_CODE_DAYS,
        );
        let audit = self.record(
            actor,
            "user.invite",
            user_target(&user),
            vec![FieldChange {
                field: "invitation".into(),
                before: None,
                after: Some(format!("sent to {}", user.email)),
            }],
        );
        self.save_account(AccountChange {
            user: None,
            credentials: Some((user.id, secrets)),
            audit: vec![audit],
            sign_in: None,
            mail: vec![mail_to(&user, MailKind::Invitation, subject, body, now)],
        })
        .await?;
        Ok(user)
    }

    /// Creates a user and sends the invitation, for the create form's "send invitation".
    pub async fn add_user_and_invite(&self, actor: &Actor, input: NewUser) -> Result<User, Error> {
        let user = self.add_user(actor, input).await?;
        self.invite(actor, &UserRef::Id(user.id)).await
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
        let actor = Actor {
            name: login.to_owned(),
            workstation: workstation.to_owned(),
            origin,
        };
        let Some(before) = self
            .repo
            .find_user(&login_ref(login))
            .await
            .map_err(storage)?
        else {
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

    /// True until an Owner with a password exists: the console then asks for the first one.
    pub async fn needs_first_owner(&self) -> Result<bool, Error> {
        Ok(!self
            .repo
            .owner_with_password_exists()
            .await
            .map_err(storage)?)
    }

    /// Creates the first Owner (active, with the given password). Refused once one exists.
    pub async fn create_first_owner(
        &self,
        input: FirstOwner,
        workstation: &str,
        origin: Origin,
    ) -> Result<SignedInUser, Error> {
        if !self.needs_first_owner().await? {
            return Err(Error::Forbidden(
                "an Owner already exists; sign in, or ask an Owner for an account".into(),
            ));
        }
        let mut new_user = input.user;
        new_user.role = Some("owner".into());
        new_user.status = Some(Status::Active);
        let actor = Actor {
            name: new_user
                .username
                .clone()
                .unwrap_or_else(|| new_user.email.clone()),
            workstation: workstation.to_owned(),
            origin,
        };
        // Check the password before creating anything, so a refusal leaves no half-made owner.
        let errors = crate::validate::check_new_user(&new_user);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let username = new_user.username.clone().unwrap_or_default();
        let hash = self
            .new_password_hash(&input.password, &username, &new_user.email)
            .await?;
        let created = self.add_user(&actor, new_user).await?;
        let secrets = Credentials {
            password_hash: Some(hash),
            ..Credentials::default()
        };
        let mut after = created.clone();
        after.password_changed_at = Some(self.clock.now());
        let audit = self.record(
            &actor,
            "user.set_password",
            user_target(&created),
            vec![FieldChange {
                field: "password".into(),
                before: None,
                after: Some("set by the first Owner".into()),
            }],
        );
        let user = self
            .save_account(AccountChange {
                user: Some(after),
                credentials: Some((created.id, secrets)),
                audit: vec![audit],
                ..AccountChange::default()
            })
            .await?
            .expect("the user was written");
        Ok(SignedInUser {
            user,
            stage: SessionStage::Ready,
        })
    }
}

/// The signed-in user and what they must do first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedInUser {
    pub user: User,
    pub stage: SessionStage,
}

fn enrollment(user: &User, secret: &[u8], issuer: &str) -> Enrollment {
    let uri = totp::key_uri(secret, issuer, &user.username);
    Enrollment {
        user_id: user.id,
        username: user.username.clone(),
        issuer: issuer.to_owned(),
        key: credentials::group_in_fours(&credentials::base32(secret)),
        qr_svg: qr::qr_svg(&uri),
        uri,
    }
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
        to_address: user.email.clone(),
        to_name: user.display_name(),
        subject,
        body,
    }
}

/// Suspended and locked accounts cannot sign in or redeem codes.
pub(super) fn refuse_blocked(user: &User) -> Result<(), Error> {
    match user.status {
        Status::Locked | Status::AutoLocked => Err(Error::SignIn(
            ErrorCode::AccountLocked,
            "this account is locked; ask an administrator to unlock it".into(),
        )),
        Status::Suspended => Err(Error::SignIn(
            ErrorCode::AccountSuspended,
            "this account is suspended; ask an administrator".into(),
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
        totp::CodeProblem::Malformed => "enter the 6-digit code your authenticator app shows",
        totp::CodeProblem::Wrong => {
            "this code is not right; check the device's clock and enter the code shown now"
        }
        totp::CodeProblem::Reused => {
            "this code was already used; wait for the app to show the next one"
        }
    };
    Error::SignIn(ErrorCode::BadCode, message.into())
}

pub(super) fn code_reason(problem: totp::CodeProblem) -> &'static str {
    match problem {
        totp::CodeProblem::Malformed | totp::CodeProblem::Wrong => "wrong authenticator code",
        totp::CodeProblem::Reused => "authenticator code used twice",
    }
}

fn account_write_error(error: StoreError) -> Error {
    match error {
        StoreError::Stale => Error::VersionConflict(
            "the account was changed by someone else meanwhile; nothing was changed, try again"
                .into(),
        ),
        other => storage(other),
    }
}
