//! Organizations: created, renamed and deleted on their own, and by name whenever a user or
//! group names one that does not exist yet.

use super::*;
use crate::organization::{Organization, OrganizationId};

impl Roster {
    pub async fn list_organizations(&self, actor: &Actor) -> Result<Vec<Organization>, Error> {
        actor.require(Permission::ViewUsers)?;
        Ok(self.repo.list_organizations().await?)
    }

    /// The organization with this name (compared as usernames are: case and width aside).
    pub async fn find_organization(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<Organization, Error> {
        actor.require(Permission::ViewUsers)?;
        let key = normalize_key(name);
        self.repo
            .list_organizations()
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
        self.organization_record(organization).await
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
        let doomed = self.organization_record(organization).await?;
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
                let heir = self.organization_record(to).await?;
                self.check_group_names_free(&doomed, &heir).await?;
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
            None if doomed.users + doomed.groups > 0 => {
                return Err(still_in_use(&doomed));
            }
            None => {}
        }
        let audit = self.record(actor, "organization.delete", target(&doomed), changes);
        self.repo
            .delete_organization(organization, move_to, audit)
            .await
            .map_err(|e| match e {
                // Someone added a user or group to it meanwhile.
                StoreError::MissingReference { .. } => still_in_use(&doomed),
                StoreError::Duplicate { .. } => Error::Conflict(FieldError::new(
                    "move_to",
                    "a group was created meanwhile with a name the other organization already has; try again",
                )),
                StoreError::NotFound => gone(&doomed),
                other => other.into(),
            })
    }

    async fn organization_record(&self, id: OrganizationId) -> Result<Organization, Error> {
        self.repo
            .list_organizations()
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::NotFound(format!("no organization with ID {id}")))
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
