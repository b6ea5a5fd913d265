//! Who is acting and what they may do. Every service takes an [`Actor`] and checks it
//! before it reads or writes, so no front end can forget a check or decide one its own way.
//! Front ends only say who the actor is: the desktop from its signed-in session, the CLI as
//! the operator.

use crate::audit::Origin;
use crate::error::Error;
use crate::organization::OrganizationId;
use crate::query::UserQuery;
use crate::rbac::Permission;
use crate::session::Session;
use crate::user::UserId;

/// Who is acting, from where, with which rights. Every service call takes one, checks its
/// rights and records its name in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The person: a Roster username once signed in, the OS account for the CLI.
    pub name: String,
    pub workstation: String,
    pub origin: Origin,
    pub rights: Rights,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rights {
    /// The `roster` command. Whoever can run it against the database could edit the
    /// database directly, so it acts with full rights; every change is audited under the
    /// OS account.
    Operator,
    /// A console account signed in with a role.
    Account {
        user: UserId,
        role: String,
        permissions: Vec<Permission>,
        /// The organizations the account administers; `None`: the whole directory.
        scope: Option<Vec<OrganizationId>>,
    },
    /// Someone at the sign-in screen: only the sign-in services act for them.
    SigningIn,
}

impl Actor {
    pub fn operator(name: impl Into<String>, workstation: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            workstation: workstation.into(),
            origin: Origin::Cli,
            rights: Rights::Operator,
        }
    }

    /// The signed-in console account of a session, acting from this workstation.
    pub fn signed_in(session: &Session, workstation: impl Into<String>) -> Actor {
        Actor {
            name: session.username.clone(),
            workstation: workstation.into(),
            origin: Origin::Desktop,
            rights: Rights::Account {
                user: session.user_id,
                role: session.role.clone(),
                permissions: session.permissions.clone(),
                scope: session.scope.clone(),
            },
        }
    }

    pub(crate) fn signing_in(login: &str, workstation: &str, origin: Origin) -> Actor {
        Actor {
            name: login.to_owned(),
            workstation: workstation.to_owned(),
            origin,
            rights: Rights::SigningIn,
        }
    }

    pub fn may(&self, permission: Permission) -> bool {
        match &self.rights {
            Rights::Operator => true,
            Rights::Account {
                permissions, scope, ..
            } => {
                permissions.contains(&permission)
                    && (scope.is_none() || !permission.directory_wide())
            }
            Rights::SigningIn => false,
        }
    }

    /// Refuses, naming the role and what it lacks, unless the actor has the permission.
    pub fn require(&self, permission: Permission) -> Result<(), Error> {
        if self.may(permission) {
            return Ok(());
        }
        if permission.directory_wide() {
            self.require_whole_directory(permission.label())?;
        }
        Err(Error::Forbidden(match &self.rights {
            Rights::Account { role, .. } => format!(
                "your role '{role}' does not allow you to {}; ask an Owner for a role that does",
                permission.label()
            ),
            _ => format!("sign in with a role that may {}", permission.label()),
        }))
    }

    /// Self-service: the actor is this account (the operator counts as everyone).
    pub fn is(&self, user: UserId) -> bool {
        match &self.rights {
            Rights::Operator => true,
            Rights::Account { user: me, .. } => *me == user,
            Rights::SigningIn => false,
        }
    }

    /// The console account acting, if it is one (not the operator, who is everyone).
    pub fn account(&self) -> Option<UserId> {
        match &self.rights {
            Rights::Account { user, .. } => Some(*user),
            Rights::Operator | Rights::SigningIn => None,
        }
    }

    /// Either the account itself or someone with the permission.
    pub fn require_self_or(&self, user: UserId, permission: Permission) -> Result<(), Error> {
        if self.is(user) {
            Ok(())
        } else {
            self.require(permission)
        }
    }

    /// The organizations the actor administers; `None`: the whole directory.
    pub fn scope(&self) -> Option<&[OrganizationId]> {
        match &self.rights {
            Rights::Operator => None,
            Rights::Account { scope, .. } => scope.as_deref(),
            Rights::SigningIn => Some(&[]),
        }
    }

    /// Whether a record in this organization (`None`: in none) is within the actor's scope.
    /// Outside it, a record is reported as not found: a scoped account does not learn that
    /// it exists.
    pub fn reaches(&self, organization: Option<OrganizationId>) -> bool {
        match self.scope() {
            None => true,
            Some(scope) => organization.is_some_and(|o| scope.contains(&o)),
        }
    }

    /// Refuses what concerns the directory as a whole (roles, settings, organizations, the
    /// outbox, the audit trail's chain and retention) to an account limited to some
    /// organizations.
    /// Refuses unless the actor holds every permission over the whole directory: for what
    /// can undo any change, such as a restore, which can give back rights taken away.
    pub fn require_every_right(&self, what: &str) -> Result<(), Error> {
        self.require_whole_directory(what)?;
        let lacking: Vec<&str> = Permission::ALL
            .into_iter()
            .filter(|p| !self.may(*p))
            .map(Permission::label)
            .collect();
        if lacking.is_empty() {
            return Ok(());
        }
        let whose = match &self.rights {
            Rights::Account { role, .. } => format!("your role '{role}'"),
            _ => "you".into(),
        };
        Err(Error::Forbidden(format!(
            "only an account holding every right may {what}, as it can undo any change; \
             {whose} may not {}",
            lacking.join(", ")
        )))
    }

    pub fn require_whole_directory(&self, what: &str) -> Result<(), Error> {
        match &self.rights {
            Rights::Operator | Rights::SigningIn | Rights::Account { scope: None, .. } => Ok(()),
            Rights::Account { scope: Some(_), .. } => Err(Error::Forbidden(format!(
                "your account administers only some organizations; only an account that administers the whole directory may {what}"
            ))),
        }
    }

    /// The query limited to the actor's organizations.
    pub(crate) fn limit_query(&self, query: &UserQuery) -> UserQuery {
        UserQuery {
            within: self.scope().map(<[OrganizationId]>::to_vec),
            ..query.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionStage;

    fn helpdesk() -> Actor {
        let session = Session {
            user_id: UserId(7),
            username: "ada".into(),
            display_name: "Ada Lovelace".into(),
            role: "helpdesk".into(),
            permissions: vec![Permission::ViewUsers, Permission::ResetCredentials],
            stage: SessionStage::Ready,
            idle_minutes: 15,
            last_active_at: "2026-01-01T09:00:00Z".parse().unwrap(),
            status_actions: Vec::new(),
            scope: None,
            stamp: Default::default(),
        };
        Actor::signed_in(&session, "desk-1")
    }

    #[test]
    fn an_account_may_what_its_role_allows_and_act_on_itself() {
        let ada = helpdesk();
        ada.require(Permission::ResetCredentials).unwrap();
        let e = ada.require(Permission::ManageUsers).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Forbidden);
        assert!(
            e.to_string()
                .contains("'helpdesk' does not allow you to create, edit"),
            "{e}"
        );
        assert!(ada.is(UserId(7)));
        assert!(!ada.is(UserId(8)));
        ada.require_self_or(UserId(7), Permission::ManageTokens)
            .unwrap();
        assert!(
            ada.require_self_or(UserId(8), Permission::ManageTokens)
                .is_err()
        );
    }

    #[test]
    fn the_operator_may_everything_and_someone_signing_in_nothing() {
        let operator = Actor::operator("root", "host");
        let stranger = Actor::signing_in("who", "host", Origin::Desktop);
        for p in Permission::ALL {
            operator.require(p).unwrap();
            assert_eq!(
                stranger.require(p).unwrap_err().code(),
                crate::ErrorCode::Forbidden
            );
        }
    }
}
