//! A console session: who signed in, what their role allows, and what they must do before
//! anything else (a forced password change, activating 2FA). Sessions end after idle time,
//! and whenever their account changes (see `Roster::check_session`).

use crate::error::Error;
use crate::organization::OrganizationId;
use crate::rbac::Permission;
use crate::status::StatusActionRule;
use crate::user::{Status, TwoFactorState, User, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What a signed-in person must do before using the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SessionStage {
    Ready,
    MustChangePassword,
    MustActivateTwoFactor,
}

impl SessionStage {
    /// What this account must do first: a new password when told to choose one, then
    /// activating a pending second factor.
    pub fn of(user: &User) -> SessionStage {
        if matches!(user.status, Status::AwaitingNewPassword | Status::Recovery) {
            SessionStage::MustChangePassword
        } else if user.two_factor == TwoFactorState::PendingActivation {
            SessionStage::MustActivateTwoFactor
        } else {
            SessionStage::Ready
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Session {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub permissions: Vec<Permission>,
    pub stage: SessionStage,
    pub idle_minutes: u32,
    pub last_active_at: DateTime<Utc>,
    /// The status actions this role may take and from which statuses, for the menus.
    pub status_actions: Vec<StatusActionRule>,
    /// The organizations the account administers; `None`: the whole directory. Read at
    /// sign-in, as the role's permissions are.
    pub scope: Option<Vec<OrganizationId>>,
    /// What the session was opened on; never leaves the Rust side.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub stamp: SessionStamp,
}

/// The directory a session was opened on and its account's generation then. Every change
/// of the account's status, role, scope, role permissions or secrets moves the generation,
/// so a session whose stamp no longer matches no longer speaks for its account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionStamp {
    pub directory: String,
    pub generation: i64,
}

impl Session {
    /// Refuses until the forced steps (a new password, activating 2FA) are done. What the
    /// account may do is then the services' to decide (see `Actor`).
    pub fn require_ready(&self) -> Result<(), Error> {
        match self.stage {
            SessionStage::Ready => Ok(()),
            SessionStage::MustChangePassword => {
                Err(Error::Forbidden("set a new password first".into()))
            }
            SessionStage::MustActivateTwoFactor => Err(Error::Forbidden(
                "activate two-factor authentication first".into(),
            )),
        }
    }

    /// Refuses a session idle too long. Only the person's input counts as activity
    /// ([`Session::touch`]): commands the window sends by itself (reloads after another
    /// admin's change) never keep an unattended session open.
    pub fn check_idle(&self, now: DateTime<Utc>) -> Result<(), Error> {
        if now - self.last_active_at > Duration::minutes(i64::from(self.idle_minutes)) {
            return Err(Error::SignInRequired(format!(
                "you were signed out after {} minutes without activity; sign in again",
                self.idle_minutes
            )));
        }
        Ok(())
    }

    /// Records the person's input now, or ends the session if it was idle too long.
    pub fn touch(&mut self, now: DateTime<Utc>) -> Result<(), Error> {
        self.check_idle(now)?;
        self.last_active_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(stage: SessionStage) -> Session {
        Session {
            user_id: UserId(1),
            username: "ada".into(),
            display_name: "Ada Lovelace".into(),
            role: "helpdesk".into(),
            permissions: vec![Permission::ViewUsers, Permission::ResetCredentials],
            stage,
            idle_minutes: 15,
            last_active_at: "2026-01-01T09:00:00Z".parse().unwrap(),
            status_actions: Vec::new(),
            scope: None,
            stamp: SessionStamp::default(),
        }
    }

    #[test]
    fn activity_keeps_a_session_alive_and_idleness_ends_it() {
        let mut s = session(SessionStage::Ready);
        let start = s.last_active_at;
        s.touch(start + Duration::minutes(14)).unwrap();
        s.touch(start + Duration::minutes(28)).unwrap();
        s.check_idle(start + Duration::minutes(43)).unwrap();
        let e = s.check_idle(start + Duration::minutes(44)).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::SignInRequired);
        assert!(e.to_string().contains("15 minutes without activity"), "{e}");
    }

    #[test]
    fn forced_steps_come_first() {
        session(SessionStage::Ready).require_ready().unwrap();
        for stage in [
            SessionStage::MustChangePassword,
            SessionStage::MustActivateTwoFactor,
        ] {
            let e = session(stage).require_ready().unwrap_err();
            assert_eq!(e.code(), crate::ErrorCode::Forbidden);
        }
    }
}
