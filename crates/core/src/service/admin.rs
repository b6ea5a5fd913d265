//! Roles (named permission sets) and the organisation's settings.

use super::*;
use crate::rbac::{Permission, Role, RoleInput, built_in_permissions};
use crate::settings::Settings;

const MAX_ROLE_NAME_CHARS: usize = 40;

impl Roster {
    pub async fn list_roles(&self) -> Result<Vec<Role>, Error> {
        let rows = self.repo.role_rows().await.map_err(storage)?;
        let custom = self.repo.role_permissions().await.map_err(storage)?;
        let counts = self.repo.role_user_counts().await.map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|(name, description, built_in)| {
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
                    description,
                    built_in,
                    permissions,
                    user_count,
                }
            })
            .collect())
    }

    /// What a role allows; an unknown role allows nothing.
    pub async fn permissions_of(&self, role: &str) -> Result<Vec<Permission>, Error> {
        if let Some(permissions) = built_in_permissions(role) {
            return Ok(permissions);
        }
        Ok(self
            .list_roles()
            .await?
            .into_iter()
            .find(|r| r.name == role)
            .map(|r| r.permissions)
            .unwrap_or_default())
    }

    /// Refuses to give a role with permissions the granting person does not have, so
    /// nobody can raise their own (or a friend's) rights.
    pub async fn check_can_grant(&self, granter: &[Permission], role: &str) -> Result<(), Error> {
        let wanted = self.permissions_of(role).await?;
        let missing: Vec<&str> = wanted
            .iter()
            .filter(|p| !granter.contains(p))
            .map(|p| p.label())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "the role '{role}' may {}, which your own role may not; ask an Owner",
                missing.join(", ")
            )))
        }
    }

    /// Refuses to act on users whose role has permissions the acting person lacks: a
    /// Helpdesk cannot reset an Admin's password, an Admin cannot take over an Owner.
    pub async fn check_can_manage(
        &self,
        granter: &[Permission],
        users: &[UserRef],
    ) -> Result<(), Error> {
        // A bulk selection has many users but few roles: judge each role once.
        let mut allowed: Vec<String> = Vec::new();
        for user in self.find_users(users).await? {
            if allowed.contains(&user.role) {
                continue;
            }
            match self.check_can_grant(granter, &user.role).await {
                Ok(()) => allowed.push(user.role),
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

    /// Creates or changes a custom role.
    pub async fn save_role(&self, actor: &Actor, input: RoleInput) -> Result<Role, Error> {
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
        let before = self
            .list_roles()
            .await?
            .into_iter()
            .find(|r| r.name == name);
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
        self.repo
            .save_role(&name, &description, &permissions, audit)
            .await
            .map_err(storage)?;
        self.list_roles()
            .await?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::NotFound(format!("role '{name}' vanished after saving")))
    }

    pub async fn delete_role(&self, actor: &Actor, name: &str) -> Result<(), Error> {
        let role = self
            .list_roles()
            .await?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::NotFound(format!("no role named '{name}'")))?;
        if role.built_in {
            return Err(Error::invalid("name", "built-in roles cannot be deleted"));
        }
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
                other => storage(other),
            })
    }

    pub async fn save_settings(
        &self,
        actor: &Actor,
        settings: Settings,
    ) -> Result<Settings, Error> {
        let mut settings = settings;
        settings.organization_name = settings.organization_name.trim().to_owned();
        if let Some(smtp) = &mut settings.smtp {
            smtp.host = smtp.host.trim().to_owned();
            smtp.username = smtp.username.trim().to_owned();
            smtp.from_address = smtp.from_address.trim().to_owned();
        }
        let errors = settings.check();
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let before = self.settings().await?;
        let describe = |s: &Settings| {
            vec![
                ("organization_name", s.organization_name.clone()),
                ("min_password_chars", s.min_password_chars.to_string()),
                ("max_failed_sign_ins", s.max_failed_sign_ins.to_string()),
                ("session_idle_minutes", s.session_idle_minutes.to_string()),
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
        let changes = describe(&before)
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
        self.repo
            .save_settings(&settings, audit)
            .await
            .map_err(storage)?;
        Ok(settings)
    }
}
