//! Console sign-in (and `roster user verify-login`): password, then the second factor;
//! failed attempts are counted and lock the account; every attempt is recorded.

use super::credentials::{
    SignedInUser, blocking, code_error, code_reason, login_ref, refuse_blocked, unix_seconds,
};
use super::*;
use crate::account::{AccountChange, Credentials, SecretChange, SignInEntry, SignInEvent};
use crate::credentials::{password, totp};
use crate::message;
use crate::session::SessionStage;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Failures under a name that matches no account are counted over this window, so the
/// answer after many tries is "locked" whether or not the account exists.
const UNKNOWN_NAME_WINDOW_HOURS: i64 = 24;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct SignInRequest {
    /// Username or email.
    pub login: String,
    pub password: String,
    /// The authenticator code, when the account has 2FA.
    pub code: Option<String>,
}

fn bad_credentials() -> Error {
    Error::SignIn(
        ErrorCode::BadCredentials,
        message!("sign-in-bad-credentials"),
    )
}

fn locked_now() -> Error {
    Error::SignIn(ErrorCode::AccountLocked, message!("sign-in-locked-now"))
}

/// How many times a failed attempt is counted again after another attempt counted first;
/// each retry means another workstation just wrote, so a handful is plenty.
const MAX_COUNT_RETRIES: u32 = 20;

impl Roster {
    /// Checks the credentials and records the attempt. `Err(SecondFactorRequired)` means
    /// the password was right and the authenticator code is needed too.
    pub async fn sign_in(
        &self,
        request: &SignInRequest,
        workstation: &str,
        origin: Origin,
    ) -> Result<SignedInUser, Error> {
        let login = request.login.trim();
        if login.is_empty() {
            return Err(Error::invalid("login", "enter your username or email"));
        }
        if request.password.is_empty() {
            return Err(Error::invalid("password", "enter your password"));
        }
        let actor = Actor::signing_in(login, workstation, origin);
        let found = self.repo.find_user(&login_ref(login)).await?;
        let Some(user) = found else {
            // Same work and the same answers as for a real account.
            let typed = request.password.clone();
            blocking(move || password::verify(password::decoy_hash(), &typed)).await?;
            let settings = self.current_settings().await?;
            let since = self.clock.now() - Duration::hours(UNKNOWN_NAME_WINDOW_HOURS);
            let failures = self
                .repo
                .unknown_login_failures(&normalize_key(login), since)
                .await?;
            self.record_sign_in(&actor, None, login, false, "unknown account")
                .await?;
            return Err(if failures + 1 >= u64::from(settings.max_failed_sign_ins) {
                locked_now()
            } else {
                bad_credentials()
            });
        };
        let secrets = self.credentials(user.id).await?;
        let settings = self.current_settings().await?;
        // After too many failures the password is not even checked: the answer is the one
        // a name that matches nobody gets after as many tries, so it tells nothing, and no
        // number of guesses can tell a right one from a wrong one.
        if user.status == Status::AutoLocked
            || secrets.failed_sign_ins >= settings.max_failed_sign_ins
        {
            self.record_sign_in(&actor, Some(user.id), login, false, "account locked")
                .await?;
            return Err(locked_now());
        }
        let phc = secrets
            .password_hash
            .clone()
            .unwrap_or_else(|| password::decoy_hash().to_owned());
        let typed = request.password.clone();
        let verified = blocking(move || password::verify(&phc, &typed)).await?;
        if !verified.matches || secrets.password_hash.is_none() {
            return Err(self
                .count_failure(&actor, &user, secrets, "wrong password", login)
                .await?
                .unwrap_or_else(bad_credentials));
        }
        // Only someone who proved the password learns that the account is blocked.
        if let Err(refusal) = refuse_blocked(&user) {
            let reason = if user.status == Status::Suspended {
                "account suspended"
            } else {
                "account locked"
            };
            self.record_sign_in(&actor, Some(user.id), login, false, reason)
                .await?;
            return Err(refusal);
        }
        let now = self.clock.now();
        let mut changes = vec![SecretChange::ClearFailures];
        if user.two_factor == TwoFactorState::Active {
            let Some(code) = request.code.as_deref().filter(|c| !c.trim().is_empty()) else {
                return Err(Error::SignIn(
                    ErrorCode::SecondFactorRequired,
                    message!("sign-in-code-required"),
                ));
            };
            let secret = secrets.totp_secret.clone().unwrap_or_default();
            match totp::verify(&secret, code, unix_seconds(now), secrets.totp_last_step) {
                Ok(step) => changes.push(SecretChange::TotpStep(step)),
                Err(problem) => {
                    let error = code_error(problem);
                    return Err(self
                        .count_failure(&actor, &user, secrets, code_reason(problem), login)
                        .await?
                        .unwrap_or(error));
                }
            }
        }
        if verified.outdated
            && let Some(verified) = secrets.password_hash.clone()
        {
            let typed = password::normalize(&request.password);
            let hash = blocking(move || password::hash(&typed)).await?;
            changes.push(SecretChange::Rehash { verified, hash });
        }
        let mut after = user.clone();
        after.last_sign_in_at = Some(now);
        let mut audit = Vec::new();
        if user.status == Status::Staged {
            after.status = Status::Active;
            audit.push(self.record(
                &actor,
                StatusAction::Activate.audit_action(),
                AuditTarget::user(&user),
                vec![FieldChange {
                    field: "status".into(),
                    before: Some(user.status.to_string()),
                    after: Some(Status::Active.to_string()),
                }],
            ));
        }
        let stage = SessionStage::of(&user);
        let reason = match stage {
            SessionStage::Ready => "signed in",
            SessionStage::MustChangePassword => "signed in; must set a new password",
            SessionStage::MustActivateTwoFactor => "signed in; must activate 2FA",
        };
        let event = self.sign_in_event(&actor, Some(user.id), login, true, reason);
        let user = self
            .save_account(AccountChange {
                user: Some(after),
                secrets: Some((user.id, changes)),
                audit,
                sign_in: Some(event),
                mail: Vec::new(),
            })
            .await?
            .expect("the user was written");
        Ok(SignedInUser { user, stage })
    }

    /// Counts a failed password or code, locking the account when the policy's limit is
    /// reached. Returns the error to show when the account was just locked.
    ///
    /// Attempts on several workstations at once each count: the count is refused as stale if
    /// another attempt was counted since `secrets` was read, and is then taken again.
    pub(super) async fn count_failure(
        &self,
        actor: &Actor,
        user: &User,
        secrets: Credentials,
        reason: &str,
        login: &str,
    ) -> Result<Option<Error>, Error> {
        let (mut user, mut secrets) = (user.clone(), secrets);
        let mut tries = 0;
        loop {
            let (change, locks) = self
                .failure_change(actor, &user, secrets, reason, login)
                .await?;
            match self.save_account(change).await {
                Err(Error::VersionConflict(_)) if tries < MAX_COUNT_RETRIES => {
                    tries += 1;
                    user = self
                        .repo
                        .find_user(&UserRef::Id(user.id))
                        .await?
                        .ok_or_else(|| Error::NotFound("the account no longer exists".into()))?;
                    secrets = self.credentials(user.id).await?;
                }
                Err(e) => return Err(e),
                Ok(_) => return Ok(locks.then(locked_now)),
            }
        }
    }

    /// One more failed attempt on `user`, whose secrets are `secrets`: the count, the
    /// lock when it reaches the policy's limit, the audit entry and the sign-in event; and
    /// whether it locks the account.
    async fn failure_change(
        &self,
        actor: &Actor,
        user: &User,
        secrets: Credentials,
        reason: &str,
        login: &str,
    ) -> Result<(AccountChange, bool), Error> {
        let settings = self.current_settings().await?;
        let read = secrets.failed_sign_ins;
        let failures = read + 1;
        let mut change = AccountChange {
            secrets: Some((user.id, vec![SecretChange::Failure { read }])),
            ..AccountChange::default()
        };
        let mut reason = reason.to_owned();
        if failures >= settings.max_failed_sign_ins
            && let Ok(to) = transition(user.status, StatusAction::AutoLock)
        {
            let mut after = user.clone();
            after.status = to;
            after.modified_at = self.clock.now();
            change.audit.push(self.record(
                actor,
                StatusAction::AutoLock.audit_action(),
                AuditTarget::user(user),
                vec![FieldChange {
                    field: "status".into(),
                    before: Some(user.status.to_string()),
                    after: Some(to.to_string()),
                }],
            ));
            change.user = Some(after);
            reason = format!("{reason}; locked after {failures} failed attempts in a row");
        }
        let locks = change.user.is_some();
        change.sign_in = Some(self.sign_in_event(actor, Some(user.id), login, false, &reason));
        Ok((change, locks))
    }

    pub(super) fn sign_in_event(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        login: &str,
        success: bool,
        reason: &str,
    ) -> SignInEvent {
        SignInEvent {
            at: self.clock.now(),
            user,
            login: login.to_owned(),
            workstation: actor.workstation.clone(),
            origin: actor.origin,
            success,
            reason: reason.to_owned(),
        }
    }

    /// Records an attempt that changes nothing else (unknown name, locked, suspended).
    pub(super) async fn record_sign_in(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        login: &str,
        success: bool,
        reason: &str,
    ) -> Result<(), Error> {
        let event = self.sign_in_event(actor, user, login, success, reason);
        self.save_account(AccountChange {
            sign_in: Some(event),
            ..AccountChange::default()
        })
        .await
        .map(|_| ())
    }

    /// A user's sign-in attempts, newest first, for the Activity tab.
    /// A user's sign-in attempts are part of the audit trail.
    pub async fn sign_ins(
        &self,
        actor: &Actor,
        user: UserId,
        limit: u32,
    ) -> Result<Vec<SignInEntry>, Error> {
        actor.require(Permission::ViewAudit)?;
        check_limit(limit)?;
        // A deleted user's attempts stay readable to whoever sees the whole directory.
        if actor.scope().is_some() {
            self.user_within(actor, &UserRef::Id(user)).await?;
        }
        self.repo.sign_ins(user, limit).await.map_err(Error::from)
    }
}
