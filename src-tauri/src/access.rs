//! Who is signed in to this window. Every command that touches the directory gets its
//! services only through [`AppState::ready`] (signed in, the session still good for its
//! account, past any forced step) or [`AppState::signed_in`] (the forced steps themselves),
//! together with the [`Actor`] the services check: whether a session still holds and what
//! a role may do are decided in roster-core, not here.

use crate::AppState;
use crate::commands::{CommandError, Reply};
use roster_core::{Actor, Roster, Session, UserId};

/// The services, and the signed-in person acting through them.
pub struct Access {
    pub roster: Roster,
    pub actor: Actor,
    pub session: Session,
}

impl AppState {
    /// The open directory's services (a handle: the directory may be switched meanwhile).
    pub fn roster(&self) -> Reply<Roster> {
        self.directory()
            .roster
            .clone()
            .map_err(|message| {
                CommandError::english(
                    roster_core::ErrorCode::Database,
                    format!(
                        "{message}. Choose another directory on the Connect screen, or start Roster with --db URL."
                    ),
                )
            })
    }

    pub fn workstation(&self) -> &str {
        &self.workstation
    }

    /// The signed-in session once roster-core has checked it against the directory (idle
    /// time, the account's status, role, scope and secrets); a session that no longer holds
    /// is ended here, and the window returns to sign-in with the reason.
    async fn current_session(&self) -> Reply<(Roster, Session)> {
        let session = self
            .session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| roster_core::Error::SignInRequired("sign in first".into()))?;
        let roster = self.roster()?;
        if let Err(ended) = roster.check_session(&session).await {
            if ended.code() == roster_core::ErrorCode::SignInRequired {
                self.end_session(&session);
            }
            return Err(ended.into());
        }
        Ok((roster, session))
    }

    pub fn set_session(&self, session: Option<Session>) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = session;
    }

    /// Signs the window out, unless someone signed in again meanwhile.
    fn end_session(&self, ended: &Session) {
        let mut slot = self.session.lock().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref() == Some(ended) {
            *slot = None;
        }
    }

    /// The person used the window: their idle time starts again.
    pub fn record_activity(&self, roster: &Roster) -> Reply<()> {
        let mut slot = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let Some(session) = slot.as_mut() else {
            return Err(roster_core::Error::SignInRequired("sign in first".into()).into());
        };
        if let Err(idle) = roster.record_activity(session) {
            *slot = None;
            return Err(idle.into());
        }
        Ok(())
    }

    /// Access for a signed-in person who has finished any forced step (a new password,
    /// activating 2FA).
    pub async fn ready(&self) -> Reply<Access> {
        let (roster, session) = self.current_session().await?;
        session.require_ready()?;
        Ok(self.access(roster, session))
    }

    /// Access for any signed-in person, for the forced steps on their own account.
    pub async fn signed_in(&self) -> Reply<Access> {
        let (roster, session) = self.current_session().await?;
        Ok(self.access(roster, session))
    }

    fn access(&self, roster: Roster, session: Session) -> Access {
        Access {
            roster,
            actor: Actor::signed_in(&session, self.workstation.clone()),
            session,
        }
    }
}

impl Access {
    pub fn user_id(&self) -> UserId {
        self.session.user_id
    }
}
