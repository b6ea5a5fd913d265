//! Organizations: created, renamed and deleted on their own, and by name whenever a user or
//! group names one that does not exist yet.

use super::*;
use crate::organization::{Organization, OrganizationId};

impl Roster {
    /// The organizations the actor administers, with what belongs to each.
    pub async fn list_organizations(&self, actor: &Actor) -> Result<Vec<Organization>, Error> {
        actor.require(Permission::ViewUsers)?;
        let mut organizations = self.repo.list_organizations().await?;
        organizations.retain(|o| actor.reaches(Some(o.id)));
        Ok(organizations)
    }

    /// The names of the organizations the actor administers; `None`: the whole directory.
    pub(super) async fn names_within(&self, actor: &Actor) -> Result<Option<Vec<String>>, Error> {
        let Some(scope) = actor.scope() else {
            return Ok(None);
        };
        let names = self.repo.organization_names().await?;
        Ok(Some(
            names
                .into_iter()
                .filter(|(id, _)| scope.contains(id))
                .map(|(_, name)| name)
                .collect(),
        ))
    }

    /// Refuses to put a user or group outside the actor's organizations (`None` or empty:
    /// in none).
    pub(super) async fn check_organization_within(
        &self,
        actor: &Actor,
        organization: Option<&str>,
    ) -> Result<(), Error> {
        match self.names_within(actor).await? {
            None => Ok(()),
            Some(mine) => check_within(organization, &mine).map_err(|e| Error::Validation(vec![e])),
        }
    }

    /// The organization a switcher chose, by name, as one the actor reaches (`None`: none
    /// chosen). One outside the actor's scope is as missing as one that does not exist.
    pub(super) async fn chosen_organization(
        &self,
        actor: &Actor,
        name: Option<&str>,
    ) -> Result<Option<OrganizationId>, Error> {
        let Some(name) = name else {
            return Ok(None);
        };
        let key = normalize_key(name);
        self.repo
            .organization_names()
            .await?
            .into_iter()
            .find(|(id, found)| normalize_key(found) == key && actor.reaches(Some(*id)))
            .map(|(id, _)| Some(id))
            .ok_or_else(|| Error::NotFound(format!("no organization named '{}'", name.trim())))
    }

    /// The organization with this name (compared as usernames are: case and width aside).
    pub async fn find_organization(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<Organization, Error> {
        let key = normalize_key(name);
        self.list_organizations(actor)
            .await?
            .into_iter()
            .find(|o| normalize_key(&o.name) == key)
            .ok_or_else(|| Error::NotFound(format!("no organization named '{}'", name.trim())))
    }

    pub async fn add_organization(&self, actor: &Actor, name: &str) -> Result<Organization, Error> {
        actor.require(Permission::ManageOrganizations)?;
        let name = check_organization_name(name)?;
        let target = AuditTarget {
            kind: "organization".into(),
            id: 0,
            name: name.clone(),
        };
        let changes = vec![FieldChange {
            field: "name".into(),
            before: None,
            after: Some(name.clone()),
        }];
        let audit = self.record(actor, "organization.create", target, changes);
        self.repo
            .insert_organization(&name, self.clock.now(), audit)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { .. } => Error::Conflict(duplicate_organization(&name)),
                other => other.into(),
            })
    }

    /// Renames the organization; its users and groups follow it.
    pub async fn rename_organization(
        &self,
        actor: &Actor,
        organization: OrganizationId,
        name: &str,
    ) -> Result<Organization, Error> {
        actor.require(Permission::ManageOrganizations)?;
        let name = check_organization_name(name)?;
        let before = self.organization_record(organization).await?;
        if before.name == name {
            return Ok(before);
        }
        let changes = vec![FieldChange {
            field: "name".into(),
            before: Some(before.name.clone()),
            after: Some(name.clone()),
        }];
        let audit = self.record(actor, "organization.rename", target(&before), changes);
        self.repo
            .rename_organization(organization, &name, audit)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { .. } => Error::Conflict(duplicate_organization(&name)),
                StoreError::NotFound => gone(&before),
                other => other.into(),
            })?;
        // A rename moves nothing: the counts read before still hold.
        Ok(Organization { name, ..before })
    }

    /// Deletes the organization. Users and groups that belong to it move to `move_to`;
    /// without it, the delete is refused while any belong to it, naming how many.
    pub async fn delete_organization(
        &self,
        actor: &Actor,
        organization: OrganizationId,
        move_to: Option<OrganizationId>,
    ) -> Result<(), Error> {
        actor.require(Permission::ManageOrganizations)?;
        // Both ends from one read: each read counts every organization's users.
        let organizations = self.repo.list_organizations().await?;
        let doomed = find_by_id(&organizations, organization)?;
        let mut changes = vec![FieldChange {
            field: "name".into(),
            before: Some(doomed.name.clone()),
            after: None,
        }];
        match move_to {
            Some(to) if to == organization => {
                return Err(Error::invalid(
                    "move_to",
                    format!(
                        "'{}' is the organization being deleted; choose another one to move its users and groups to",
                        doomed.name
                    ),
                ));
            }
            Some(to) => {
                let heir = find_by_id(&organizations, to)?;
                self.check_group_names_free(doomed, heir).await?;
                changes.extend([
                    moved("users_moved", doomed.users),
                    moved("groups_moved", doomed.groups),
                    FieldChange {
                        field: "moved_to".into(),
                        before: None,
                        after: Some(heir.name.clone()),
                    },
                ]);
            }
            None if doomed.in_use() => {
                return Err(still_in_use(doomed));
            }
            None => {}
        }
        let audit = self.record(actor, "organization.delete", target(doomed), changes);
        self.repo
            .delete_organization(organization, move_to, audit)
            .await
            .map_err(|e| match e {
                // Someone added a user or group to it meanwhile.
                StoreError::MissingReference { .. } => still_in_use(doomed),
                StoreError::Duplicate { .. } => Error::Conflict(FieldError::new(
                    "move_to",
                    "a group was created meanwhile with a name the other organization already has; try again",
                )),
                StoreError::NotFound => gone(doomed),
                other => other.into(),
            })
    }

    async fn organization_record(&self, id: OrganizationId) -> Result<Organization, Error> {
        find_by_id(&self.repo.list_organizations().await?, id).cloned()
    }

    /// Group names are unique within an organization: groups moving in must not share a
    /// name with one already there.
    async fn check_group_names_free(
        &self,
        from: &Organization,
        to: &Organization,
    ) -> Result<(), Error> {
        if from.groups == 0 {
            return Ok(());
        }
        let groups = self.repo.list_groups().await?;
        let in_org = |org: &Organization| {
            let key = normalize_key(&org.name);
            groups
                .iter()
                .filter(move |g| g.organization.as_deref().map(normalize_key) == Some(key.clone()))
        };
        let taken: HashSet<String> = in_org(to).map(|g| normalize_key(&g.name)).collect();
        let clashes: Vec<&str> = in_org(from)
            .filter(|g| taken.contains(&normalize_key(&g.name)))
            .map(|g| g.name.as_str())
            .collect();
        if clashes.is_empty() {
            return Ok(());
        }
        Err(Error::Conflict(FieldError::new(
            "move_to",
            format!(
                "'{}' already has groups named {}; rename them in one of the organizations first",
                to.name,
                clashes.join(", ")
            ),
        )))
    }
}

fn find_by_id(organizations: &[Organization], id: OrganizationId) -> Result<&Organization, Error> {
    organizations
        .iter()
        .find(|o| o.id == id)
        .ok_or_else(|| Error::NotFound(format!("no organization with ID {id}")))
}

/// Whether `organization` is one of `mine` (the names of a scoped account's organizations).
pub(super) fn check_within(organization: Option<&str>, mine: &[String]) -> Result<(), FieldError> {
    let key = organization.map(normalize_key).filter(|k| !k.is_empty());
    if key.is_some_and(|key| mine.iter().any(|name| normalize_key(name) == key)) {
        return Ok(());
    }
    Err(FieldError::new(
        "organization",
        if mine.is_empty() {
            "your account administers no organization yet; ask an Owner to give it one".to_owned()
        } else {
            format!("choose one of your organizations: {}", mine.join(", "))
        },
    ))
}

/// A new user or group of a scoped account goes to its only organization when it names
/// none; otherwise it must name one of them.
pub(super) fn place_within(
    organization: &mut Option<String>,
    mine: &[String],
) -> Result<(), FieldError> {
    if organization.is_none() && mine.len() == 1 {
        *organization = Some(mine[0].clone());
    }
    check_within(organization.as_deref(), mine)
}

fn check_organization_name(name: &str) -> Result<String, Error> {
    let name = validate::clean(name);
    if name.is_empty() {
        return Err(Error::invalid("name", "organization name is required"));
    }
    match validate::check_label("name", &name) {
        Some(problem) => Err(Error::Validation(vec![problem])),
        None => Ok(name),
    }
}

fn target(organization: &Organization) -> AuditTarget {
    AuditTarget {
        kind: "organization".into(),
        id: organization.id.0,
        name: organization.name.clone(),
    }
}

fn moved(field: &str, count: i64) -> FieldChange {
    FieldChange {
        field: field.into(),
        before: None,
        after: Some(count.to_string()),
    }
}

fn duplicate_organization(name: &str) -> FieldError {
    FieldError::new(
        "name",
        format!("an organization named '{name}' already exists; choose another name"),
    )
}

fn still_in_use(organization: &Organization) -> Error {
    Error::Conflict(FieldError::new(
        "move_to",
        format!(
            "'{}' still has {}; choose an organization to move them to",
            organization.name,
            organization.members_phrase()
        ),
    ))
}

fn gone(organization: &Organization) -> Error {
    Error::NotFound(format!(
        "organization '{}' no longer exists",
        organization.name
    ))
}

impl Roster {
    /// The organizations a console account administers; `None`: the whole directory.
    pub async fn account_scope(
        &self,
        actor: &Actor,
        user: &UserRef,
    ) -> Result<Option<Vec<OrganizationId>>, Error> {
        actor.require(Permission::ViewUsers)?;
        let user = self.user_within(actor, user).await?;
        Ok(self.repo.account_scope(user.id).await?)
    }

    /// Limits a console account to these organizations, or (`None`) lets it administer the
    /// whole directory. Whoever may change the account may set it, within their own
    /// organizations: a scoped account never widens another beyond its own.
    pub async fn set_account_scope(
        &self,
        actor: &Actor,
        user: &UserRef,
        organizations: Option<Vec<OrganizationId>>,
    ) -> Result<(), Error> {
        let user = self
            .user_to_manage(actor, Permission::ManageUsers, user)
            .await?;
        let mut wanted = organizations;
        if let Some(ids) = &mut wanted {
            ids.sort_by_key(|id| id.0);
            ids.dedup();
            if ids.is_empty() {
                return Err(Error::invalid(
                    "organizations",
                    "choose at least one organization, or the whole directory",
                ));
            }
        }
        match (actor.scope(), &wanted) {
            (None, _) => {}
            (Some(_), None) => {
                return Err(Error::Forbidden(
                    "your account administers only some organizations; it cannot give another account the whole directory".into(),
                ));
            }
            (Some(mine), Some(ids)) => {
                if let Some(outside) = ids.iter().find(|id| !mine.contains(id)) {
                    return Err(Error::NotFound(format!(
                        "no organization with ID {outside}"
                    )));
                }
            }
        }
        let names = self.repo.organization_names().await?;
        let describe = |scope: &Option<Vec<OrganizationId>>| match scope {
            None => Ok("the whole directory".to_owned()),
            Some(ids) => ids
                .iter()
                .map(|id| {
                    names
                        .iter()
                        .find(|(known, _)| known == id)
                        .map(|(_, name)| name.clone())
                        .ok_or_else(|| Error::NotFound(format!("no organization with ID {id}")))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|names| names.join(", ")),
        };
        let before = self.repo.account_scope(user.id).await?;
        let after = describe(&wanted)?;
        if before == wanted {
            return Ok(());
        }
        let changes = vec![FieldChange {
            field: "administers".into(),
            before: describe(&before).ok(),
            after: Some(after),
        }];
        let audit = self.record(actor, "user.set_scope", AuditTarget::user(&user), changes);
        self.repo
            .set_account_scope(user.id, wanted.as_deref(), audit)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => Error::NotFound(format!(
                    "{} or one of the organizations no longer exists; nothing was changed",
                    user.username
                )),
                other => other.into(),
            })
    }
}
