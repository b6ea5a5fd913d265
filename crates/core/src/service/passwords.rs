//! Passwords: set by an admin, or changed by the account holder.

use super::credentials::*;
use super::*;
use crate::credentials::password;
use crate::mail::{MailKind, texts};
use serde::{Deserialize, Serialize};

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

impl Roster {
    /// An admin sets (types or generates) a user's password.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user: &UserRef,
        choice: SetPassword,
    ) -> Result<PasswordSet, Error> {
        let before = self
            .user_to_manage(actor, Permission::ResetCredentials, user)
            .await?;
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
        let how = if choice.must_change {
            "set (must change at next sign-in)"
        } else {
            "set"
        };
        let mut change =
            self.password_change(actor, ("user.set_password", how), &before, after, hash);
        if choice.notify {
            let settings = self.current_settings().await?;
            let (subject, body) = texts::password_set(
                &settings.mail_language,
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
        if !actor.is(user) {
            return Err(Error::Forbidden(
                "this changes your own password only; to set someone else's, use Set password"
                    .into(),
            ));
        }
        let before = self.user(&UserRef::Id(user)).await?;
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
            hash,
        );
        Ok(self
            .save_account(change)
            .await?
            .expect("the user was written"))
    }
}
