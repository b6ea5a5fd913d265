//! Groups and their members.

use super::organizations::place_within;
use super::*;

impl Roster {
    pub async fn add_group(&self, actor: &Actor, input: NewGroup) -> Result<Group, Error> {
        actor.require(Permission::ManageGroups)?;
        let name = validate::clean(&input.name);
        let description = validate::clean(&input.description);
        let mut organization = validate::clean_optional(input.organization.as_deref());
        check_group_fields(&name, &description, organization.as_deref())?;
        if let Some(mine) = self.names_within(actor).await? {
            place_within(&mut organization, &mine).map_err(|e| Error::Validation(vec![e]))?;
        }
        let mut changes = vec![FieldChange {
            field: "name".into(),
            before: None,
            after: Some(name.clone()),
        }];
        if !description.is_empty() {
            changes.push(FieldChange {
                field: "description".into(),
                before: None,
                after: Some(description.clone()),
            });
        }
        if let Some(org) = &organization {
            changes.push(FieldChange {
                field: "organization".into(),
                before: None,
                after: Some(org.clone()),
            });
        }
        let target = AuditTarget {
            kind: "group".into(),
            id: 0,
            name: name.clone(),
        };
        let audit = self.record(actor, "group.create", target, changes);
        self.repo
            .insert_group(
                &name,
                &description,
                organization.as_deref(),
                &actor.name,
                self.clock.now(),
                audit,
            )
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { .. } => Error::Conflict(duplicate_group(&name)),
                other => other.into(),
            })
    }

    pub async fn list_groups(&self, actor: &Actor) -> Result<Vec<Group>, Error> {
        actor.require(Permission::ViewUsers)?;
        let mut groups = self.repo.list_groups().await?;
        groups.retain(|g| actor.reaches(g.organization_id));
        Ok(groups)
    }

    /// The group with this name; `organization` picks one when several organizations have
    /// a group of that name.
    pub async fn find_group(
        &self,
        actor: &Actor,
        name: &str,
        organization: Option<&str>,
    ) -> Result<Group, Error> {
        actor.require(Permission::ViewUsers)?;
        let mut groups = self.repo.find_groups(&normalize_key(name)).await?;
        groups.retain(|g| actor.reaches(g.organization_id));
        if let Some(org) = organization {
            let key = normalize_key(org);
            groups.retain(|g| g.organization.as_deref().map(normalize_key) == Some(key.clone()));
        }
        match groups.len() {
            0 => Err(Error::NotFound(format!("no group named '{}'", name.trim()))),
            1 => Ok(groups.remove(0)),
            _ => Err(Error::invalid(
                "organization",
                format!(
                    "several organizations have a group named '{}'; say which organization",
                    name.trim()
                ),
            )),
        }
    }

    pub async fn delete_group(&self, actor: &Actor, group: GroupId) -> Result<(), Error> {
        actor.require(Permission::ManageGroups)?;
        let group = &self.group_record(actor, group).await?;
        let target = AuditTarget {
            kind: "group".into(),
            id: group.id.0,
            name: group.name.clone(),
        };
        let changes = vec![
            FieldChange {
                field: "name".into(),
                before: Some(group.name.clone()),
                after: None,
            },
            FieldChange {
                field: "member_count".into(),
                before: Some(group.member_count.to_string()),
                after: None,
            },
        ];
        let audit = self.record(actor, "group.delete", target, changes);
        self.repo
            .delete_group(group.id, audit)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    Error::NotFound(format!("group '{}' no longer exists", group.name))
                }
                other => other.into(),
            })
    }

    /// Members of the group, as a page of the users list.
    pub async fn group_members(
        &self,
        actor: &Actor,
        group: GroupId,
        query: &UserQuery,
    ) -> Result<UserPage, Error> {
        let query = UserQuery {
            group: Some(group),
            ..query.clone()
        };
        self.list_users(actor, &query).await
    }

    /// Adds the users to the group and returns how many were not members yet.
    pub async fn add_members(
        &self,
        actor: &Actor,
        group: GroupId,
        users: &[UserRef],
    ) -> Result<usize, Error> {
        self.change_members(actor, group, users, GroupMembershipChange::Add)
            .await
    }

    /// Removes the users from the group and returns how many were members.
    pub async fn remove_members(
        &self,
        actor: &Actor,
        group: GroupId,
        users: &[UserRef],
    ) -> Result<usize, Error> {
        self.change_members(actor, group, users, GroupMembershipChange::Remove)
            .await
    }

    async fn change_members(
        &self,
        actor: &Actor,
        group: GroupId,
        users: &[UserRef],
        change: GroupMembershipChange,
    ) -> Result<usize, Error> {
        actor.require(Permission::ManageGroups)?;
        let group = &self.group_record(actor, group).await?;
        let found = self.find_users(actor, users).await?;
        let ids: Vec<UserId> = found.iter().map(|u| u.id).collect();
        let members = self.repo.members_among(group.id, &ids).await?;
        let affected: Vec<&User> = found
            .iter()
            .filter(|u| members.contains(&u.id) == (change == GroupMembershipChange::Remove))
            .collect();
        let (action, before, after) = match change {
            GroupMembershipChange::Add => ("group.add_member", None, Some(group.name.clone())),
            GroupMembershipChange::Remove => {
                ("group.remove_member", Some(group.name.clone()), None)
            }
        };
        let audit = affected
            .iter()
            .map(|u| {
                let change = FieldChange {
                    field: "group".into(),
                    before: before.clone(),
                    after: after.clone(),
                };
                self.record(actor, action, AuditTarget::user(u), vec![change])
            })
            .collect();
        let affected_ids: Vec<UserId> = affected.iter().map(|u| u.id).collect();
        self.repo
            .change_members(group.id, change, &affected_ids, audit)
            .await
            .map_err(|e| match e {
                StoreError::MissingReference { .. } | StoreError::NotFound => {
                    Error::NotFound(format!(
                        "group '{}' or one of the users no longer exists; nothing was changed",
                        group.name
                    ))
                }
                other => other.into(),
            })?;
        Ok(affected_ids.len())
    }

    /// The groups a user belongs to.
    pub async fn groups_of(&self, actor: &Actor, user: UserId) -> Result<Vec<Group>, Error> {
        actor.require(Permission::ViewUsers)?;
        self.user_within(actor, &UserRef::Id(user)).await?;
        let mut groups = self.repo.groups_of(user).await?;
        groups.retain(|g| actor.reaches(g.organization_id));
        Ok(groups)
    }

    pub async fn group(&self, actor: &Actor, id: GroupId) -> Result<Group, Error> {
        actor.require(Permission::ViewUsers)?;
        self.group_record(actor, id).await
    }

    /// The group, if within the actor's scope; outside it, the same "not found" as a
    /// group that does not exist.
    pub(super) async fn group_record(&self, actor: &Actor, id: GroupId) -> Result<Group, Error> {
        self.repo
            .get_group(id)
            .await?
            .filter(|g| actor.reaches(g.organization_id))
            .ok_or_else(|| {
                Error::NotFound(format!("no group with ID {id}; it may have been deleted"))
            })
    }

    /// Renames a group or changes its description.
    /// `version`: the version the admin edited (a save over another admin's change is
    /// refused); `None` changes whatever is stored now (the CLI).
    pub async fn update_group(
        &self,
        actor: &Actor,
        group: GroupId,
        patch: GroupPatch,
        version: Option<i64>,
    ) -> Result<Group, Error> {
        actor.require(Permission::ManageGroups)?;
        let group = &self.group_record(actor, group).await?;
        let changed_meanwhile = || {
            let history = AuditQuery {
                target_kind: Some("group".into()),
                target_id: Some(group.id.0),
                ..AuditQuery::default()
            };
            let what = format!("Group '{}'", group.name);
            async move {
                self.changed_meanwhile(actor, &what, history, |_| true)
                    .await
            }
        };
        if version.is_some_and(|v| v != group.version) {
            return Err(changed_meanwhile().await);
        }
        let name = patch
            .name
            .as_deref()
            .map(validate::clean)
            .unwrap_or_else(|| group.name.clone());
        let description = patch
            .description
            .as_deref()
            .map(validate::clean)
            .unwrap_or_else(|| group.description.clone());
        check_group_fields(&name, &description, None)?;
        let mut changes = Vec::new();
        if name != group.name {
            changes.push(FieldChange {
                field: "name".into(),
                before: Some(group.name.clone()),
                after: Some(name.clone()),
            });
        }
        if description != group.description {
            changes.push(FieldChange {
                field: "description".into(),
                before: Some(group.description.clone()).filter(|d| !d.is_empty()),
                after: Some(description.clone()).filter(|d| !d.is_empty()),
            });
        }
        if changes.is_empty() {
            return Ok(group.clone());
        }
        let target = AuditTarget {
            kind: "group".into(),
            id: group.id.0,
            name: group.name.clone(),
        };
        let audit = self.record(actor, "group.update", target, changes);
        match self
            .repo
            .update_group(group.id, &name, &description, group.version, audit)
            .await
        {
            Ok(group) => Ok(group),
            Err(StoreError::Duplicate { .. }) => Err(Error::Conflict(duplicate_group(&name))),
            Err(StoreError::Stale) => Err(changed_meanwhile().await),
            Err(StoreError::NotFound) => Err(Error::NotFound(format!(
                "group '{}' no longer exists",
                group.name
            ))),
            Err(other) => Err(other.into()),
        }
    }
}

fn duplicate_group(name: &str) -> FieldError {
    FieldError::new(
        "name",
        format!("a group named '{name}' already exists in this organization; choose another name"),
    )
}

pub(super) fn check_group_fields(
    name: &str,
    description: &str,
    organization: Option<&str>,
) -> Result<(), Error> {
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", "group name is required"));
    }
    errors.extend(validate::check_label("name", name));
    if description.chars().count() > 1000 {
        errors.push(FieldError::new(
            "description",
            "description is longer than 1000 characters; shorten it",
        ));
    }
    errors.extend(organization.and_then(|o| validate::check_label("organization", o)));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}
