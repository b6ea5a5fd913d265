//! Who is signed in to this window, and what they may do. Every command that touches the
//! directory gets its services only through [`AppState::authorize`] (a permission) or
//! [`AppState::signed_in`] (self-service), so no command can forget the check.

use crate::AppState;
use crate::commands::{CommandError, Reply};
use roster_core::{Actor, Origin, Permission, Roster, Session, UserId, UserRef};

/// The services, and the signed-in person acting through them.
pub struct Access<'a> {
    pub roster: &'a Roster,
    pub actor: Actor,
    pub session: Session,
}

impl AppState {
    pub fn roster(&self) -> Reply<&Roster> {
        self.roster.as_ref().map_err(|message| CommandError {
            code: "database".into(),
            message: format!(
                "{message}. Start Roster with --db sqlite://PATH to use another database."
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

    /// Access for a signed-in person whose role has `permission` (and who has finished
    /// any forced step such as a password change).
    pub fn authorize(&self, permission: Permission) -> Reply<Access<'_>> {
        let session = self.current_session()?;
        session.require(permission)?;
        self.access(session)
    }

    /// Access for any signed-in person, for self-service on their own account.
    pub fn signed_in(&self) -> Reply<Access<'_>> {
        let session = self.current_session()?;
        self.access(session)
    }

    fn access(&self, session: Session) -> Reply<Access<'_>> {
        Ok(Access {
            roster: self.roster()?,
            actor: Actor {
                name: session.username.clone(),
                workstation: self.workstation.clone(),
                origin: Origin::Desktop,
            },
            session,
        })
    }
}

impl Access<'_> {
    /// Refuses when any of these users has a role with rights the actor lacks.
    pub async fn may_manage(&self, ids: &[UserId]) -> Reply<()> {
        let users: Vec<UserRef> = ids.iter().map(|id| UserRef::Id(*id)).collect();
        Ok(self
            .roster
            .check_can_manage(&self.session.permissions, &users)
            .await?)
    }

    /// Refuses to give a role with rights the actor lacks.
    pub async fn may_grant(&self, role: Option<&str>) -> Reply<()> {
        match role {
            Some(role) => Ok(self
                .roster
                .check_can_grant(&self.session.permissions, role)
                .await?),
            None => Ok(()),
        }
    }

    pub fn user_id(&self) -> UserId {
        self.session.user_id
    }
}
