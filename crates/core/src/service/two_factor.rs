//! Second factors: reset by an admin, enrolled and activated by the account holder.

use super::credentials::*;
use super::users::{user_changes, user_write_error};
use super::*;
use crate::account::{AccountChange, SecretChange};
use crate::credentials::{self, qr, totp};
use crate::mail::{MailKind, texts};
use serde::{Deserialize, Serialize};

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

impl Roster {
    /// Clears each user's second factor and issues a new secret, to be activated with a
    /// code at their next sign-in. One transaction for all; the holders are notified.
    pub async fn reset_two_factor(
        &self,
        actor: &Actor,
        users: &[UserRef],
    ) -> Result<Vec<Enrollment>, Error> {
        let found = self
            .users_to_manage(actor, Permission::ResetCredentials, users)
            .await?;
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
        let settings = self.current_settings().await?;
        let now = self.clock.now();
        let mut changes = Vec::with_capacity(found.len());
        let mut enrollments = Vec::with_capacity(found.len());
        for before in &found {
            let secret = totp::new_secret();
            enrollments.push(enrollment(before, &secret, &settings.organization_name)?);
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
                &settings.mail_language,
                &settings.organization_name,
                &before.display_name(),
                &before.username,
            );
            changes.push(AccountChange {
                user: Some(after),
                secrets: Some((before.id, vec![SecretChange::TotpSecret(secret)])),
                audit: vec![self.record(
                    actor,
                    "user.reset_2fa",
                    AuditTarget::user(before),
                    fields,
                )],
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
            .map_err(user_write_error)?;
        Ok(enrollments)
    }

    /// The QR code and key of a second factor waiting to be activated: the account's
    /// own, or one the helpdesk shows at the desk.
    pub async fn enrollment(&self, actor: &Actor, user: &UserRef) -> Result<Enrollment, Error> {
        let user = self
            .own_or_managed_user(actor, Permission::ResetCredentials, user)
            .await?;
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
        let settings = self.current_settings().await?;
        enrollment(&user, &secret, &settings.organization_name)
    }

    /// A correct code from the authenticator app activates the pending second factor.
    /// Wrong codes count like wrong passwords.
    pub async fn activate_two_factor(
        &self,
        actor: &Actor,
        user: &UserRef,
        code: &str,
    ) -> Result<User, Error> {
        let before = self
            .own_or_managed_user(actor, Permission::ResetCredentials, user)
            .await?;
        let secrets = self.credentials(before.id).await?;
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
                let mut after = before.clone();
                after.two_factor = TwoFactorState::Active;
                after.modified_at = now;
                let audit = self.record(
                    actor,
                    "user.activate_2fa",
                    AuditTarget::user(&before),
                    user_changes(&before, &after),
                );
                Ok(self
                    .save_account(AccountChange {
                        user: Some(after),
                        secrets: Some((
                            before.id,
                            vec![SecretChange::TotpStep(step), SecretChange::ClearFailures],
                        )),
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
}

/// Made before anything is written, so a QR code that cannot be drawn leaves the old
/// second factor in place.
fn enrollment(user: &User, secret: &[u8], issuer: &str) -> Result<Enrollment, Error> {
    let uri = totp::key_uri(secret, issuer, &user.username);
    Ok(Enrollment {
        user_id: user.id,
        username: user.username.clone(),
        issuer: issuer.to_owned(),
        key: credentials::group_in_fours(&credentials::base32(secret)),
        qr_svg: qr::qr_svg(&uri)?,
        uri,
    })
}
