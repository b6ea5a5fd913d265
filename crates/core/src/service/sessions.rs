//! Console sessions: opened at sign-in, and checked against the directory before every
//! command, so a session never outlives what its account may do. A suspension, a lock, a
//! deletion, a new role or scope, changed role permissions, or a password or 2FA reset is
//! seen by the session's very next command, which is refused with the reason; so is idle
//! time, counted from the person's own input only.

use super::credentials::SignedInUser;
use super::*;
use crate::account::AccountState;
use crate::organization::OrganizationId;
use crate::session::{Session, SessionStage, SessionStamp};

impl Roster {
    /// The session a successful sign-in opens: the role's permissions (less what concerns
    /// the whole directory, for an account limited to some organizations), and the stamp
    /// its every command is checked against.
    pub async fn open_session(&self, signed_in: &SignedInUser) -> Result<Session, Error> {
        let user = &signed_in.user;
        let found = self.repo.session_account(user.id).await?;
        let Some(account) = &found.account else {
            return Err(Error::SignInRequired(
                "your account was deleted while you signed in".into(),
            ));
        };
        refuse_blocked_state(account)?;
        let settings = self.current_settings().await?;
        let scope = self.repo.account_scope(user.id).await?;
        let permissions = self.session_permissions(&account.role, &scope).await?;
        Ok(Session {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name(),
            role: account.role.clone(),
            permissions: permissions.clone(),
            stage: signed_in.stage,
            idle_minutes: settings.session_idle_minutes,
            last_active_at: self.clock.now(),
            status_actions: crate::status::status_action_rules(&permissions),
            scope,
            stamp: SessionStamp {
                directory: found.directory,
                generation: account.generation,
            },
        })
    }

    /// What a role lets an account do within its scope.
    async fn session_permissions(
        &self,
        role: &str,
        scope: &Option<Vec<OrganizationId>>,
    ) -> Result<Vec<Permission>, Error> {
        let mut permissions = self.permissions_of(role).await?;
        if scope.is_some() {
            permissions.retain(|p| !p.directory_wide());
        }
        Ok(permissions)
    }

    /// Refuses a session that no longer speaks for its account, saying why: idle too long,
    /// opened on another directory, or its account deleted, blocked or changed since
    /// (status, role, scope, role permissions, password or second factor). One read of the
    /// account per command; the reason is worked out only when the answer is no.
    pub async fn check_session(&self, session: &Session) -> Result<(), Error> {
        session.check_idle(self.clock.now())?;
        let found = self.repo.session_account(session.user_id).await?;
        if found.directory != session.stamp.directory {
            return Err(Error::SignInRequired(
                "the database changed since you signed in; sign in to this one".into(),
            ));
        }
        let Some(account) = &found.account else {
            return Err(Error::SignInRequired(
                "your account was deleted; ask an administrator if this is a mistake".into(),
            ));
        };
        refuse_blocked_state(account)?;
        if account.generation == session.stamp.generation {
            return Ok(());
        }
        Err(Error::SignInRequired(format!(
            "{}; sign in again",
            self.why_session_ended(session, account).await?
        )))
    }

    async fn why_session_ended(
        &self,
        session: &Session,
        account: &AccountState,
    ) -> Result<String, Error> {
        if account.role != session.role {
            return Ok(format!("your role was changed to '{}'", account.role));
        }
        if matches!(
            account.status,
            Status::AwaitingNewPassword | Status::Recovery
        ) {
            return Ok("an administrator asked you to choose a new password".into());
        }
        let scope = self.repo.account_scope(session.user_id).await?;
        if scope != session.scope {
            return Ok("the organizations you administer were changed".into());
        }
        let permissions = self.session_permissions(&account.role, &scope).await?;
        if permissions != session.permissions {
            return Ok(format!(
                "the permissions of your role '{}' were changed",
                account.role
            ));
        }
        Ok("your password or two-factor authentication was changed".into())
    }

    /// The person used the window: their idle time starts again.
    pub fn record_activity(&self, session: &mut Session) -> Result<(), Error> {
        session.touch(self.clock.now())
    }

    /// The session after its holder changed their own password or activated their second
    /// factor (which moves the account's generation too): the account as it is now, the
    /// step still to do, and the idle time kept.
    pub async fn renew_session(&self, session: &Session) -> Result<Session, Error> {
        let user = self.user(&UserRef::Id(session.user_id)).await?;
        let stage = SessionStage::of(&user);
        let renewed = self.open_session(&SignedInUser { user, stage }).await?;
        Ok(Session {
            last_active_at: session.last_active_at,
            ..renewed
        })
    }
}

/// A suspended or locked account's session ends, whatever else changed.
fn refuse_blocked_state(account: &AccountState) -> Result<(), Error> {
    match account.status {
        Status::Suspended => Err(Error::SignInRequired(
            "your account was suspended; ask an administrator".into(),
        )),
        Status::Locked | Status::AutoLocked => Err(Error::SignInRequired(
            "your account was locked; ask an administrator to unlock it".into(),
        )),
        _ => Ok(()),
    }
}
