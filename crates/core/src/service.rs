//! The use cases. Front ends (desktop, CLI, import) call these and nothing else writes.

use crate::audit::{Actor, AuditEntry, AuditQuery, AuditRecord, AuditTarget, FieldChange};
use crate::clock::Clock;
use crate::error::{Error, FieldError, StoreError};
use crate::group::{Group, NewGroup};
use crate::query::{UserPage, UserQuery};
use crate::repository::{GroupMembershipChange, NewUserRecord, Repository};
use crate::status::{StatusAction, transition};
use crate::user::{NewUser, Status, TwoFactorState, User, UserId, UserPatch, UserRef};
use crate::validate::{self, normalize_key};
use std::sync::Arc;

const DEFAULT_ROLE: &str = "user";
const DEFAULT_IDENTITY_PROVIDER: &str = "local";

/// A user just created by [`Roster::add_users`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    pub id: UserId,
    pub username: String,
}

/// Roster's services over one repository and one clock.
#[derive(Clone)]
pub struct Roster {
    repo: Arc<dyn Repository>,
    clock: Arc<dyn Clock>,
}

impl Roster {
    pub fn new(repo: Arc<dyn Repository>, clock: Arc<dyn Clock>) -> Self {
        Self { repo, clock }
    }

    pub fn backend(&self) -> &'static str {
        self.repo.backend()
    }

    pub fn location(&self) -> String {
        self.repo.location()
    }

    fn record(
        &self,
        actor: &Actor,
        action: &str,
        target: AuditTarget,
        changes: Vec<FieldChange>,
    ) -> AuditRecord {
        AuditRecord {
            at: self.clock.now(),
            actor: actor.name.clone(),
            workstation: actor.workstation.clone(),
            origin: actor.origin,
            action: action.to_owned(),
            target,
            changes,
        }
    }

    // ----- users -----

    pub async fn add_user(&self, actor: &Actor, input: NewUser) -> Result<User, Error> {
        let mut ids = self
            .add_users(actor, vec![input])
            .await
            .map_err(|e| match e {
                // A single user's fields need no "users[0]." prefix.
                Error::Validation(fields) => {
                    Error::Validation(fields.into_iter().map(unprefix).collect())
                }
                Error::Conflict(field) => Error::Conflict(unprefix(field)),
                other => other,
            })?;
        self.find_user(&UserRef::Id(ids.remove(0).id)).await
    }

    /// Creates many users in one transaction: all of them or, on any error, none. Field
    /// errors name the position, e.g. `users[3].email`.
    pub async fn add_users(
        &self,
        actor: &Actor,
        inputs: Vec<NewUser>,
    ) -> Result<Vec<CreatedUser>, Error> {
        if inputs.is_empty() {
            return Err(Error::invalid("users", "no users given"));
        }
        let mut errors = Vec::new();
        let mut valid = Vec::with_capacity(inputs.len());
        for (index, input) in inputs.iter().enumerate() {
            match validate::validate_new_user(input) {
                Ok(v) => valid.push((v, input.status)),
                Err(fields) => errors.extend(fields.into_iter().map(|f| prefix(index, f))),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = self.clock.now();
        let mut claimed = std::collections::HashSet::new();
        let mut records = Vec::with_capacity(valid.len());
        for (index, (v, status)) in valid.into_iter().enumerate() {
            let username = match v.username {
                Some(name) => name,
                None => {
                    self.free_username(&validate::username_from_email(&v.email), &claimed)
                        .await?
                }
            };
            if !claimed.insert(normalize_key(&username)) {
                errors.push(prefix(
                    index,
                    FieldError::new(
                        "username",
                        format!("username '{username}' is given twice; usernames must be unique"),
                    ),
                ));
            }
            records.push(NewUserRecord {
                username,
                email: v.email,
                first_name: v.first_name,
                last_name: v.last_name,
                phone: v.phone,
                organization: v.organization,
                team: v.team,
                tags: v.tags,
                role: v.role.unwrap_or_else(|| DEFAULT_ROLE.to_owned()),
                identity_provider: v
                    .identity_provider
                    .unwrap_or_else(|| DEFAULT_IDENTITY_PROVIDER.to_owned()),
                status: status.unwrap_or(Status::Staged),
                two_factor: TwoFactorState::NotConfigured,
                created_at: now,
                created_by: actor.name.clone(),
            });
        }
        let roles = self.repo.roles().await.map_err(storage)?;
        for (index, record) in records.iter().enumerate() {
            errors.extend(check_role(&record.role, &roles).map(|f| prefix(index, f)));
        }
        let mut emails = std::collections::HashSet::new();
        for (index, record) in records.iter().enumerate() {
            if !emails.insert(normalize_key(&record.email)) {
                errors.push(prefix(
                    index,
                    FieldError::new(
                        "email",
                        format!(
                            "email {} is given twice; each user needs their own",
                            record.email
                        ),
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let audit = records
            .iter()
            .map(|r| {
                let target = AuditTarget {
                    kind: "user".into(),
                    id: 0,
                    name: format!("{} {} <{}>", r.first_name, r.last_name, r.username),
                };
                self.record(actor, "user.create", target, creation_changes(r))
            })
            .collect();
        let ids = self
            .repo
            .insert_users(&records, audit)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { field, index } => {
                    Error::Conflict(prefix(index, duplicate(field)))
                }
                other => storage(other),
            })?;
        Ok(ids
            .into_iter()
            .zip(records)
            .map(|(id, r)| CreatedUser {
                id,
                username: r.username,
            })
            .collect())
    }

    /// The base name if free, else base2, base3, … The insert's unique index still guards
    /// against a race with another workstation.
    async fn free_username(
        &self,
        base: &str,
        claimed: &std::collections::HashSet<String>,
    ) -> Result<String, Error> {
        for n in 1..=1000u32 {
            let candidate = if n == 1 {
                base.to_owned()
            } else {
                format!("{base}{n}")
            };
            let key = normalize_key(&candidate);
            if !claimed.contains(&key) && !self.repo.username_taken(&key).await.map_err(storage)? {
                return Ok(candidate);
            }
        }
        Err(Error::invalid(
            "username",
            format!("usernames {base} to {base}1000 are all taken; give a username"),
        ))
    }

    pub async fn find_user(&self, user: &UserRef) -> Result<User, Error> {
        self.repo
            .find_user(user)
            .await
            .map_err(storage)?
            .ok_or_else(|| Error::NotFound(format!("no user with {user}")))
    }

    async fn find_users(&self, users: &[UserRef]) -> Result<Vec<User>, Error> {
        if users.is_empty() {
            return Err(Error::invalid(
                "users",
                "no user given; name at least one by ID, username or email",
            ));
        }
        let mut found: Vec<User> = Vec::with_capacity(users.len());
        let mut missing = Vec::new();
        for user in users {
            match self.repo.find_user(user).await.map_err(storage)? {
                Some(u) if found.iter().any(|f| f.id == u.id) => {}
                Some(u) => found.push(u),
                None => missing.push(user.to_string()),
            }
        }
        if !missing.is_empty() {
            return Err(Error::NotFound(format!(
                "no user with {}; nothing was changed",
                missing.join(", ")
            )));
        }
        Ok(found)
    }

    pub async fn list_users(&self, query: &UserQuery) -> Result<UserPage, Error> {
        query.check().map_err(|e| Error::Validation(vec![e]))?;
        self.repo.list_users(query).await.map_err(storage)
    }

    /// Applies a patch. With `expected_version`, refuses if the user changed since the
    /// caller read it (a form that was open while someone else saved).
    pub async fn edit_user(
        &self,
        actor: &Actor,
        user: &UserRef,
        patch: UserPatch,
        expected_version: Option<i64>,
    ) -> Result<User, Error> {
        if patch.is_empty() {
            return Err(Error::invalid(
                "changes",
                "nothing to change; give at least one field",
            ));
        }
        let patch = validate::validate_patch(&patch).map_err(Error::Validation)?;
        if let Some(role) = &patch.role {
            let roles = self.repo.roles().await.map_err(storage)?;
            if let Some(error) = check_role(role, &roles) {
                return Err(Error::Validation(vec![error]));
            }
        }
        let before = self.find_user(user).await?;
        if expected_version.is_some_and(|expected| expected != before.version) {
            return Err(stale_error(&before));
        }
        let mut after = before.clone();
        apply_patch(&mut after, patch);
        let changes = user_changes(&before, &after);
        if changes.is_empty() {
            return Ok(before);
        }
        after.modified_at = self.clock.now();
        let audit = self.record(actor, "user.update", user_target(&before), changes);
        let mut updated = self
            .repo
            .update_users(std::slice::from_ref(&after), vec![audit])
            .await
            .map_err(|e| match e {
                StoreError::Stale => stale_error(&before),
                other => user_write_error(other),
            })?;
        Ok(updated.remove(0))
    }

    /// Suspend, lock, … one or many users in one transaction. If any user cannot take the
    /// action, nothing changes and the error names each such user.
    pub async fn change_status(
        &self,
        actor: &Actor,
        users: &[UserRef],
        action: StatusAction,
    ) -> Result<Vec<User>, Error> {
        let found = self.find_users(users).await?;
        let now = self.clock.now();
        let mut refused = Vec::new();
        let mut changed = Vec::with_capacity(found.len());
        let mut audit = Vec::with_capacity(found.len());
        for before in &found {
            match transition(before.status, action) {
                Ok(to) => {
                    let mut after = before.clone();
                    after.status = to;
                    after.modified_at = now;
                    audit.push(self.record(
                        actor,
                        action.audit_action(),
                        user_target(before),
                        user_changes(before, &after),
                    ));
                    changed.push(after);
                }
                Err(why) => refused.push(format!("{} {why}", before.username)),
            }
        }
        if !refused.is_empty() {
            return Err(Error::IllegalTransition(format!(
                "cannot {action}: {}; nothing was changed",
                refused.join("; ")
            )));
        }
        self.repo
            .update_users(&changed, audit)
            .await
            .map_err(|e| match e {
                StoreError::Stale => Error::VersionConflict(
                    "a user was changed by someone else meanwhile; nothing was changed, try again"
                        .into(),
                ),
                other => storage(other),
            })
    }

    pub async fn delete_users(&self, actor: &Actor, users: &[UserRef]) -> Result<Vec<User>, Error> {
        let found = self.find_users(users).await?;
        let audit = found
            .iter()
            .map(|u| {
                let changes = user_snapshot(u)
                    .into_iter()
                    .map(|(field, value)| FieldChange {
                        field: field.into(),
                        before: value,
                        after: None,
                    })
                    .collect();
                self.record(actor, "user.delete", user_target(u), changes)
            })
            .collect();
        self.repo
            .delete_users(&found, audit)
            .await
            .map_err(|e| match e {
                StoreError::Stale => Error::VersionConflict(
                    "a user was changed by someone else meanwhile; nothing was deleted, try again"
                        .into(),
                ),
                other => storage(other),
            })?;
        Ok(found)
    }

    // ----- groups -----

    pub async fn add_group(&self, actor: &Actor, input: NewGroup) -> Result<Group, Error> {
        let name = validate::clean(&input.name);
        let description = validate::clean(&input.description);
        let organization = validate::clean_optional(input.organization.as_deref());
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new("name", "group name is required"));
        }
        errors.extend(validate::check_label("name", &name));
        if description.chars().count() > 1000 {
            errors.push(FieldError::new(
                "description",
                "description is longer than 1000 characters; shorten it",
            ));
        }
        errors.extend(
            organization
                .as_deref()
                .and_then(|o| validate::check_label("organization", o)),
        );
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
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
            .insert_group(&name, &description, organization.as_deref(), &actor.name, self.clock.now(), audit)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { .. } => Error::Conflict(FieldError::new(
                    "name",
                    format!("a group named '{name}' already exists in this organization; choose another name"),
                )),
                other => storage(other),
            })
    }

    pub async fn list_groups(&self) -> Result<Vec<Group>, Error> {
        self.repo.list_groups().await.map_err(storage)
    }

    /// The group with this name; `organization` picks one when several organizations have
    /// a group of that name.
    pub async fn find_group(&self, name: &str, organization: Option<&str>) -> Result<Group, Error> {
        let mut groups = self
            .repo
            .find_groups(&normalize_key(name))
            .await
            .map_err(storage)?;
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

    pub async fn delete_group(&self, actor: &Actor, group: &Group) -> Result<(), Error> {
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
                other => storage(other),
            })
    }

    /// Members of the group, as a page of the users list.
    pub async fn group_members(&self, group: &Group, query: &UserQuery) -> Result<UserPage, Error> {
        let query = UserQuery {
            group: Some(group.name.clone()),
            ..query.clone()
        };
        self.list_users(&query).await
    }

    /// Adds the users to the group and returns how many were not members yet.
    pub async fn add_members(
        &self,
        actor: &Actor,
        group: &Group,
        users: &[UserRef],
    ) -> Result<usize, Error> {
        self.change_members(actor, group, users, GroupMembershipChange::Add)
            .await
    }

    /// Removes the users from the group and returns how many were members.
    pub async fn remove_members(
        &self,
        actor: &Actor,
        group: &Group,
        users: &[UserRef],
    ) -> Result<usize, Error> {
        self.change_members(actor, group, users, GroupMembershipChange::Remove)
            .await
    }

    async fn change_members(
        &self,
        actor: &Actor,
        group: &Group,
        users: &[UserRef],
        change: GroupMembershipChange,
    ) -> Result<usize, Error> {
        let found = self.find_users(users).await?;
        let ids: Vec<UserId> = found.iter().map(|u| u.id).collect();
        let members = self
            .repo
            .members_among(group.id, &ids)
            .await
            .map_err(storage)?;
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
                self.record(actor, action, user_target(u), vec![change])
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
                other => storage(other),
            })?;
        Ok(affected_ids.len())
    }

    // ----- audit -----

    pub async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, Error> {
        if query.limit == 0 || query.limit > 10_000 {
            return Err(Error::invalid("limit", "limit must be between 1 and 10000"));
        }
        self.repo.list_audit(query).await.map_err(storage)
    }
}

fn storage(error: StoreError) -> Error {
    Error::Storage(error.to_string())
}

fn stale_error(user: &User) -> Error {
    Error::VersionConflict(format!(
        "{} was changed by someone else since you opened it; reload to see their changes, then apply yours again",
        user.username
    ))
}

fn user_write_error(error: StoreError) -> Error {
    match error {
        StoreError::Duplicate { field, .. } => Error::Conflict(duplicate(field)),
        other => storage(other),
    }
}

fn duplicate(field: &'static str) -> FieldError {
    let what = if field == "email" {
        "email address"
    } else {
        field
    };
    FieldError::new(
        field,
        format!("this {what} is already used by another user; choose another"),
    )
}

fn check_role(role: &str, roles: &[String]) -> Option<FieldError> {
    if roles.iter().any(|r| r == role) {
        None
    } else {
        Some(FieldError::new(
            "role",
            format!(
                "role '{role}' does not exist; use one of: {}",
                roles.join(", ")
            ),
        ))
    }
}

/// `users[3].email` for the user at position 3 of a batch.
fn prefix(index: usize, error: FieldError) -> FieldError {
    FieldError {
        field: format!("users[{index}].{}", error.field),
        message: error.message,
    }
}

fn unprefix(error: FieldError) -> FieldError {
    let field = match error.field.split_once("].") {
        Some((_, field)) => field.to_owned(),
        None => error.field,
    };
    FieldError {
        field,
        message: error.message,
    }
}

fn user_target(user: &User) -> AuditTarget {
    AuditTarget {
        kind: "user".into(),
        id: user.id.0,
        name: format!("{} <{}>", user.display_name(), user.username),
    }
}

fn apply_patch(user: &mut User, patch: UserPatch) {
    let optional = |v: String| if v.is_empty() { None } else { Some(v) };
    if let Some(v) = patch.email {
        user.email = v;
    }
    if let Some(v) = patch.first_name {
        user.first_name = v;
    }
    if let Some(v) = patch.last_name {
        user.last_name = v;
    }
    if let Some(v) = patch.username {
        user.username = v;
    }
    if let Some(v) = patch.phone {
        user.phone = optional(v);
    }
    if let Some(v) = patch.role {
        user.role = v;
    }
    if let Some(v) = patch.organization {
        user.organization = optional(v);
    }
    if let Some(v) = patch.team {
        user.team = optional(v);
    }
    if let Some(v) = patch.identity_provider {
        user.identity_provider =
            optional(v).unwrap_or_else(|| DEFAULT_IDENTITY_PROVIDER.to_owned());
    }
    if let Some(v) = patch.tags {
        user.tags = v;
    }
}

/// The audited fields of a user, as text.
fn user_snapshot(user: &User) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("username", Some(user.username.clone())),
        ("email", Some(user.email.clone())),
        ("first_name", Some(user.first_name.clone())),
        ("last_name", Some(user.last_name.clone())),
        ("phone", user.phone.clone()),
        ("organization", user.organization.clone()),
        ("team", user.team.clone()),
        ("tags", join_tags(&user.tags)),
        ("role", Some(user.role.clone())),
        ("identity_provider", Some(user.identity_provider.clone())),
        ("status", Some(user.status.to_string())),
        ("two_factor", Some(user.two_factor.to_string())),
    ]
}

fn join_tags(tags: &[String]) -> Option<String> {
    if tags.is_empty() {
        None
    } else {
        Some(tags.join(", "))
    }
}

/// Before → after for every audited field that differs.
fn user_changes(before: &User, after: &User) -> Vec<FieldChange> {
    user_snapshot(before)
        .into_iter()
        .zip(user_snapshot(after))
        .filter(|((_, b), (_, a))| a != b)
        .map(|((field, before), (_, after))| FieldChange {
            field: field.into(),
            before,
            after,
        })
        .collect()
}

fn creation_changes(record: &NewUserRecord) -> Vec<FieldChange> {
    let fields = [
        ("username", Some(record.username.clone())),
        ("email", Some(record.email.clone())),
        ("first_name", Some(record.first_name.clone())),
        ("last_name", Some(record.last_name.clone())),
        ("phone", record.phone.clone()),
        ("organization", record.organization.clone()),
        ("team", record.team.clone()),
        ("tags", join_tags(&record.tags)),
        ("role", Some(record.role.clone())),
        ("identity_provider", Some(record.identity_provider.clone())),
        ("status", Some(record.status.to_string())),
        ("two_factor", Some(record.two_factor.to_string())),
    ];
    fields
        .into_iter()
        .filter_map(|(field, after)| {
            after.map(|a| FieldChange {
                field: field.into(),
                before: None,
                after: Some(a),
            })
        })
        .collect()
}
