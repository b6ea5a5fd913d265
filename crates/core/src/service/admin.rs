//! Roles (named permission sets) and the organisation's settings.

use super::*;
use crate::mail::MailTransport;
use crate::rbac::{Permission, Role, RoleInput, built_in_permissions};
use crate::settings::{Settings, SettingsPatch};
use serde::{Deserialize, Serialize};

const MAX_ROLE_NAME_CHARS: usize = 40;
/// Saves of a settings patch that may lose a race before one is refused.
const SETTINGS_RETRIES: usize = 5;

/// What the sign-in screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Welcome {
    pub organization_name: String,
    /// Messages go out by SMTP; else they wait in the outbox.
    pub smtp_configured: bool,
    /// The database has no Owner yet: offer to create the first one.
    pub needs_first_owner: bool,
}

impl Roster {
    async fn settings_changed(&self, actor: &Actor) -> Error {
        let history = AuditQuery {
            target_kind: Some("settings".into()),
            ..AuditQuery::default()
        };
        self.changed_meanwhile(actor, "The settings", history, |_| true)
            .await
    }

    async fn role_changed(&self, actor: &Actor, name: &str) -> Error {
        // Role entries all have target ID 0; the name tells them apart.
        let history = AuditQuery {
            target_kind: Some("role".into()),
            ..AuditQuery::default()
        };
        self.changed_meanwhile(actor, &format!("Role '{name}'"), history, |e| {
            e.target.name == name
        })
        .await
    }

    /// Every role; for an account limited to some organizations, with how many of their
    /// users have it.
    pub async fn list_roles(&self, actor: &Actor) -> Result<Vec<Role>, Error> {
        actor.require(Permission::ViewUsers)?;
        let mut roles = self.roles().await?;
        if actor.scope().is_some() {
            for role in &mut roles {
                let holders = UserQuery {
                    role: Some(role.name.clone()),
                    ..UserQuery::default()
                };
                let count = self
                    .repo
                    .count_matching_users(&actor.limit_query(&holders), None)
                    .await?;
                role.user_count = i64::try_from(count.n).unwrap_or(i64::MAX);
            }
        }
        Ok(roles)
    }

    async fn roles(&self) -> Result<Vec<Role>, Error> {
        let rows = self.repo.role_rows().await?;
        let custom = self.repo.role_permissions().await?;
        let counts = self.repo.role_user_counts().await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let name = row.name;
                let permissions = built_in_permissions(&name).unwrap_or_else(|| {
                    custom
                        .iter()
                        .filter(|(role, _)| *role == name)
                        .map(|(_, p)| *p)
                        .collect()
                });
                let user_count = counts
                    .iter()
                    .find(|(role, _)| *role == name)
                    .map_or(0, |(_, n)| *n);
                Role {
                    name,
                    description: row.description,
                    built_in: row.built_in,
                    permissions,
                    user_count,
                    version: row.version,
                }
            })
            .collect())
    }

    /// What a role allows; an unknown role allows nothing.
    pub(super) async fn permissions_of(&self, role: &str) -> Result<Vec<Permission>, Error> {
        if let Some(permissions) = built_in_permissions(role) {
            return Ok(permissions);
        }
        Ok(self
            .roles()
            .await?
            .into_iter()
            .find(|r| r.name == role)
            .map(|r| r.permissions)
            .unwrap_or_default())
    }

    /// The most an actor may pass on (`None`: the operator, everything): its role's
    /// permissions. A scoped account's own rights leave out what concerns the whole
    /// directory, but what it grants within its organizations is bounded by its role in
    /// full, as the directory has it now.
    async fn grantor_permissions(&self, actor: &Actor) -> Result<Option<Vec<Permission>>, Error> {
        match &actor.rights {
            Rights::Operator => Ok(None),
            Rights::Account {
                permissions,
                scope: None,
                ..
            } => Ok(Some(permissions.clone())),
            Rights::Account { role, .. } => Ok(Some(self.permissions_of(role).await?)),
            Rights::SigningIn => Ok(Some(Vec::new())),
        }
    }

    /// Refuses when `wanted` holds a permission the actor's role does not, naming it, so
    /// nobody can raise their own (or a friend's) rights. `what` says whose they are.
    async fn check_holds(
        &self,
        actor: &Actor,
        wanted: &[Permission],
        what: &str,
    ) -> Result<(), Error> {
        let Some(granter) = self.grantor_permissions(actor).await? else {
            return Ok(());
        };
        let missing: Vec<&str> = wanted
            .iter()
            .filter(|p| !granter.contains(p))
            .map(|p| p.label())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "{what} may {}, which your own role may not; ask an Owner",
                missing.join(", ")
            )))
        }
    }

    /// Refuses to give a role with permissions the actor's role does not have, so nobody
    /// can raise their own (or a friend's) rights. `scoped_target`: the account is limited
    /// to organizations within the actor's. An actor limited to some organizations gives a
    /// console role only to such an account: anyone else would administer the whole
    /// directory.
    pub(super) async fn check_can_grant(
        &self,
        actor: &Actor,
        role: &str,
        scoped_target: bool,
    ) -> Result<(), Error> {
        let wanted = self.permissions_of(role).await?;
        if actor.scope().is_some() && !scoped_target && !wanted.is_empty() {
            return Err(Error::Forbidden(format!(
                "the role '{role}' would administer the whole directory, and your account administers only some organizations; limit the account to yours first, or ask an Owner"
            )));
        }
        self.check_holds(actor, &wanted, &format!("the role '{role}'"))
            .await
    }

    /// Refuses a change of the actor's own role: nobody raises their own rights, and
    /// lowering them is for another administrator to do.
    pub(super) fn check_not_own_role(actor: &Actor, user: &User, role: &str) -> Result<(), Error> {
        if actor.account() == Some(user.id) && role != user.role {
            return Err(Error::Forbidden(
                "you cannot change your own role; ask another administrator".into(),
            ));
        }
        Ok(())
    }

    /// Refuses a change that would leave the directory without an Owner who can sign in,
    /// naming the users it would take away. `after` holds the owners the change touches as
    /// they would be afterwards (`None`: deleted). The store checks again inside the write
    /// (`StoreError::NoOwnerLeft`), where another admin's change at the same moment shows.
    pub(super) async fn keep_an_owner(
        &self,
        after: &[(&User, Option<&User>)],
    ) -> Result<(), Error> {
        let losing: HashSet<UserId> = after
            .iter()
            .filter(|(before, after)| {
                before.is_usable_owner() && !after.is_some_and(User::is_usable_owner)
            })
            .map(|(before, _)| before.id)
            .collect();
        if losing.is_empty() {
            return Ok(());
        }
        let owners = UserQuery {
            role: Some(OWNER_ROLE.into()),
            statuses: Status::CAN_SIGN_IN.to_vec(),
            ..UserQuery::default()
        };
        let remaining = self
            .repo
            .user_ids(&owners, losing.len() as u64 + 1)
            .await?
            .into_iter()
            .any(|id| !losing.contains(&id));
        if remaining {
            return Ok(());
        }
        let names: Vec<&str> = after
            .iter()
            .filter(|(before, _)| losing.contains(&before.id))
            .map(|(before, _)| before.username.as_str())
            .collect();
        Err(Error::Forbidden(format!(
            "{} {} the last Owner who can sign in; make another account an Owner first, so someone can still manage roles and settings",
            names.join(" and "),
            if names.len() == 1 { "is" } else { "are" }
        )))
    }

    /// The users an action with `permission` names, once the actor may take it on each:
    /// nobody acts on a user whose role has rights the actor lacks (a Helpdesk cannot reset
    /// an Admin's password, an Admin cannot take over an Owner).
    pub(super) async fn users_to_manage(
        &self,
        actor: &Actor,
        permission: Permission,
        users: &[UserRef],
    ) -> Result<Vec<User>, Error> {
        actor.require(permission)?;
        let found = self.find_users(actor, users).await?;
        self.check_can_manage(actor, &found).await?;
        Ok(found)
    }

    /// Whether the account is limited to organizations within the actor's (`false` for
    /// an account that administers the whole directory).
    pub(super) async fn scoped_within(&self, actor: &Actor, user: &User) -> Result<bool, Error> {
        Ok(match self.repo.account_scope(user.id).await? {
            Some(theirs) => theirs.iter().all(|o| actor.reaches(Some(*o))),
            None => false,
        })
    }

    /// Refuses when any of these users has a role with rights the actor lacks, or, for an
    /// actor limited to some organizations, a console role over organizations beyond its
    /// own.
    async fn check_can_manage(&self, actor: &Actor, users: &[User]) -> Result<(), Error> {
        // A bulk selection has many users but few roles: judge each role once. A scoped
        // actor also reads each one's scope, since it decides what their role may do.
        let mut allowed: Vec<&str> = Vec::new();
        for user in users {
            let scoped_target = actor.scope().is_some() && self.scoped_within(actor, user).await?;
            if allowed.contains(&user.role.as_str()) && !scoped_target {
                continue;
            }
            match self.check_can_grant(actor, &user.role, scoped_target).await {
                Ok(()) if scoped_target => {}
                Ok(()) => allowed.push(&user.role),
                Err(Error::Forbidden(why)) => {
                    return Err(Error::Forbidden(format!(
                        "you may not change {}: {why}",
                        user.username
                    )));
                }
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// One user, as [`Roster::users_to_manage`].
    pub(super) async fn user_to_manage(
        &self,
        actor: &Actor,
        permission: Permission,
        user: &UserRef,
    ) -> Result<User, Error> {
        let mut found = self
            .users_to_manage(actor, permission, std::slice::from_ref(user))
            .await?;
        Ok(found.remove(0))
    }

    /// The actor's own account (self-service), or a user they may manage with `permission`.
    pub(super) async fn own_or_managed_user(
        &self,
        actor: &Actor,
        permission: Permission,
        user: &UserRef,
    ) -> Result<User, Error> {
        let found = self.user(user).await?;
        if !actor.is(found.id) {
            if !actor.reaches(found.organization_id) {
                return Err(Error::NotFound(format!("no user with {user}")));
            }
            actor.require(permission)?;
            self.check_can_manage(actor, std::slice::from_ref(&found))
                .await?;
        }
        Ok(found)
    }

    /// Creates or changes a custom role.
    pub async fn save_role(&self, actor: &Actor, input: RoleInput) -> Result<Role, Error> {
        actor.require(Permission::ManageRoles)?;
        let name = input.name.trim().to_lowercase();
        let valid_name = !name.is_empty()
            && name.chars().count() <= MAX_ROLE_NAME_CHARS
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '));
        if !valid_name {
            return Err(Error::invalid(
                "name",
                format!("use 1 to {MAX_ROLE_NAME_CHARS} letters, digits, spaces, '-' or '_'"),
            ));
        }
        if built_in_permissions(&name).is_some() {
            return Err(Error::invalid(
                "name",
                format!("'{name}' is a built-in role and cannot be changed; choose another name"),
            ));
        }
        let description = input.description.trim().to_owned();
        if description.chars().count() > 200 {
            return Err(Error::invalid("description", "use at most 200 characters"));
        }
        let mut permissions = input.permissions.clone();
        permissions.sort();
        permissions.dedup();
        let before = self.roles().await?.into_iter().find(|r| r.name == name);
        // Nobody builds a right they lack into a role, nor edits a role above their own.
        let touched: Vec<Permission> = permissions
            .iter()
            .chain(before.iter().flat_map(|r| &r.permissions))
            .copied()
            .collect();
        self.check_holds(actor, &touched, &format!("the role '{name}'"))
            .await?;
        let taken = || {
            Error::Conflict(FieldError::new(
                "name",
                format!(
                    "a role named '{name}' already exists; choose another name, or edit that role"
                ),
            ))
        };
        let gone = || Error::NotFound(format!("role '{name}' no longer exists; nothing was saved"));
        match (input.version, &before) {
            (None, Some(_)) => return Err(taken()),
            (Some(_), None) => return Err(gone()),
            (Some(version), Some(stored)) if stored.version != version => {
                return Err(self.role_changed(actor, &name).await);
            }
            _ => {}
        }
        let list =
            |ps: &[Permission]| Some(ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "));
        let audit = self.record(
            actor,
            if before.is_some() {
                "role.update"
            } else {
                "role.create"
            },
            AuditTarget {
                kind: "role".into(),
                id: 0,
                name: name.clone(),
            },
            vec![FieldChange {
                field: "permissions".into(),
                before: before.as_ref().and_then(|r| list(&r.permissions)),
                after: list(&permissions),
            }],
        );
        match self
            .repo
            .save_role(&name, &description, &permissions, input.version, audit)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Duplicate { .. }) => return Err(taken()),
            Err(StoreError::Stale) => return Err(self.role_changed(actor, &name).await),
            Err(StoreError::NotFound) => return Err(gone()),
            Err(other) => return Err(other.into()),
        }
        self.roles()
            .await?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::NotFound(format!("role '{name}' vanished after saving")))
    }

    pub async fn delete_role(&self, actor: &Actor, name: &str) -> Result<(), Error> {
        actor.require(Permission::ManageRoles)?;
        let role = self
            .roles()
            .await?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::NotFound(format!("no role named '{name}'")))?;
        if role.built_in {
            return Err(Error::invalid("name", "built-in roles cannot be deleted"));
        }
        self.check_holds(actor, &role.permissions, &format!("the role '{name}'"))
            .await?;
        if role.user_count > 0 {
            return Err(Error::Conflict(FieldError::new(
                "name",
                format!(
                    "{} users have the role '{name}'; give them another role first",
                    role.user_count
                ),
            )));
        }
        let audit = self.record(
            actor,
            "role.delete",
            AuditTarget {
                kind: "role".into(),
                id: 0,
                name: name.to_owned(),
            },
            Vec::new(),
        );
        self.repo
            .delete_role(name, audit)
            .await
            .map_err(|e| match e {
                StoreError::MissingReference { .. } => Error::Conflict(FieldError::new(
                    "name",
                    format!("users have the role '{name}'; give them another role first"),
                )),
                other => other.into(),
            })
    }

    pub(super) async fn current_settings(&self) -> Result<Settings, Error> {
        Ok(self.repo.settings().await?.unwrap_or_default())
    }

    pub async fn settings(&self, actor: &Actor) -> Result<Settings, Error> {
        actor.require(Permission::ManageSettings)?;
        self.current_settings().await
    }

    /// What the sign-in screen shows before anyone has signed in.
    pub async fn welcome(&self) -> Result<Welcome, Error> {
        let settings = self.current_settings().await?;
        Ok(Welcome {
            organization_name: settings.organization_name,
            smtp_configured: settings.smtp.is_some(),
            needs_first_owner: self.needs_first_owner().await?,
        })
    }

    /// Saves the Settings form: refused if someone else saved since `settings.version`
    /// was read.
    pub async fn save_settings(
        &self,
        actor: &Actor,
        settings: Settings,
    ) -> Result<Settings, Error> {
        actor.require(Permission::ManageSettings)?;
        let before = self.current_settings().await?;
        if before.version != settings.version {
            return Err(self.settings_changed(actor).await);
        }
        match self.write_settings(actor, &before, settings).await? {
            Some(saved) => Ok(saved),
            None => Err(self.settings_changed(actor).await),
        }
    }

    /// Keeps the password of the mail server in `saved`, the settings the caller has just
    /// saved, so the password goes with the server the admin typed it for even if someone
    /// changes the settings in between; the transport sends it to that server only. A
    /// trailing line break (from a file or a pipe) is not part of it.
    pub async fn set_smtp_password(
        &self,
        actor: &Actor,
        transport: &dyn MailTransport,
        saved: &Settings,
        password: &str,
    ) -> Result<(), Error> {
        actor.require(Permission::ManageSettings)?;
        let password = password.trim_end_matches(['\r', '\n']);
        if password.is_empty() {
            return Err(Error::invalid(
                "smtp_password",
                "enter the mail server's password",
            ));
        }
        let Some(smtp) = &saved.smtp else {
            return Err(Error::invalid(
                "smtp_password",
                "set up the mail server first, then its password",
            ));
        };
        let current = self.current_settings().await?.smtp;
        if !current.as_ref().is_some_and(|now| now.same_server(smtp)) {
            return Err(Error::Conflict(FieldError::new(
                "smtp_password",
                format!(
                    "the mail server was changed meanwhile (it is now {}); check the mail settings and enter the password of the server they name",
                    current.map_or("none".into(), |now| format!(
                        "{}:{} {:?} as '{}'",
                        now.host, now.port, now.security, now.username
                    ))
                ),
            )));
        }
        transport.keep_password(smtp, password).map_err(|why| {
            Error::invalid(
                "smtp_password",
                format!("the password could not be kept: {why}"),
            )
        })
    }

    /// Changes the settings the patch names and keeps the others, even when someone else
    /// saves at the same moment: a save that lost the race is applied again on top.
    pub async fn update_settings(
        &self,
        actor: &Actor,
        patch: &SettingsPatch,
    ) -> Result<Settings, Error> {
        actor.require(Permission::ManageSettings)?;
        for _ in 0..SETTINGS_RETRIES {
            let before = self.current_settings().await?;
            let after = before.patched(patch);
            if let Some(saved) = self.write_settings(actor, &before, after).await? {
                return Ok(saved);
            }
        }
        Err(self.settings_changed(actor).await)
    }

    /// Checks and writes `settings` over `before` with its audit entry; `None` when
    /// someone else saved since `before` was read.
    async fn write_settings(
        &self,
        actor: &Actor,
        before: &Settings,
        settings: Settings,
    ) -> Result<Option<Settings>, Error> {
        let mut settings = settings;
        settings.version = before.version;
        settings.organization_name = settings.organization_name.trim().to_owned();
        settings.backups.folder = settings.backups.folder.trim().to_owned();
        if let Some(smtp) = &mut settings.smtp {
            smtp.host = smtp.host.trim().to_owned();
            smtp.username = smtp.username.trim().to_owned();
            smtp.from_address = smtp.from_address.trim().to_owned();
        }
        let errors = settings.check();
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        if settings.backups != before.backups {
            // Backups hold every secret: where they go and how long they stay is for whoever
            // may restore them.
            actor.require_every_right("change where backups go and how long they are kept")?;
        }
        let describe = |s: &Settings| {
            vec![
                ("organization_name", s.organization_name.clone()),
                ("min_password_chars", s.min_password_chars.to_string()),
                ("max_failed_sign_ins", s.max_failed_sign_ins.to_string()),
                ("session_idle_minutes", s.session_idle_minutes.to_string()),
                ("mail_language", s.mail_language.clone()),
                ("audit_retention_days", s.audit_retention_days.to_string()),
                ("backups.automatic", s.backups.automatic.to_string()),
                ("backups.folder", s.backups.folder.clone()),
                (
                    "backups.keep",
                    format!(
                        "{} daily, {} weekly, {} monthly",
                        s.backups.keep.daily, s.backups.keep.weekly, s.backups.keep.monthly
                    ),
                ),
                (
                    "smtp",
                    s.smtp.as_ref().map_or("none".into(), |m| {
                        format!(
                            "{}:{} {:?} as '{}' from {}",
                            m.host, m.port, m.security, m.username, m.from_address
                        )
                    }),
                ),
            ]
        };
        let changes = describe(before)
            .into_iter()
            .zip(describe(&settings))
            .filter(|((_, b), (_, a))| a != b)
            .map(|((field, b), (_, a))| FieldChange {
                field: field.into(),
                before: Some(b),
                after: Some(a),
            })
            .collect();
        let audit = self.record(
            actor,
            "settings.update",
            AuditTarget {
                kind: "settings".into(),
                id: 0,
                name: "settings".into(),
            },
            changes,
        );
        match self.repo.save_settings(&settings, audit).await {
            Ok(saved) => Ok(Some(saved)),
            Err(StoreError::Stale) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }
}
