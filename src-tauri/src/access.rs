//! Who is signed in to this window. Every command that touches the directory gets its
//! services only through [`AppState::ready`] (signed in, not idle too long, past any forced
//! step) or [`AppState::signed_in`] (the forced steps themselves), together with the
//! [`Actor`] the services check: what a role may do is decided in roster-core, not here.

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
            .map_err(|message| CommandError {
                code: roster_core::ErrorCode::Database,
                message: format!(
                    "{message}. Choose another directory on the Connect screen, or start Roster with --db URL."
                ),
                fields: Vec::new(),
            })
    }

    pub fn workstation(&self) -> &str {
        &self.workstation
    }

    /// The signed-in session, touched now; ends it when it was idle too long.
    fn current_session(&self) -> Reply<Session> {
        let mut slot = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let Some(session) = slot.as_mut() else {
            return Err(roster_core::Error::SignInRequired("sign in first".into()).into());
        };
        if let Err(expired) = session.touch(chrono::Utc::now()) {
            *slot = None;
            return Err(expired.into());
        }
        Ok(session.clone())
    }

    pub fn set_session(&self, session: Option<Session>) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = session;
    }

    /// Access for a signed-in person who has finished any forced step (a new password,
    /// activating 2FA).
    pub fn ready(&self) -> Reply<Access> {
        let session = self.current_session()?;
        session.require_ready()?;
        self.access(session)
    }

    /// Access for any signed-in person, for the forced steps on their own account.
    pub fn signed_in(&self) -> Reply<Access> {
        let session = self.current_session()?;
        self.access(session)
    }

    fn access(&self, session: Session) -> Reply<Access> {
        Ok(Access {
            roster: self.roster()?,
            actor: Actor::signed_in(&session, self.workstation.clone()),
            session,
        })
    }
}

impl Access {
    pub fn user_id(&self) -> UserId {
        self.session.user_id
    }
}
