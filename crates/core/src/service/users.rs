//! Creating, finding, listing, editing, changing the status of, and deleting users.

use super::attributes::Values;
use super::organizations::place_within;
use super::*;
use crate::attribute::Attributes;
use crate::device::DeviceHandover;
use crate::error::lookalike;
use crate::user::{MAX_REPORTING_CHAIN, Manager, ManagerChoice};

impl Roster {
    pub async fn add_user(&self, actor: &Actor, input: NewUser) -> Result<User, Error> {
        actor.require(Permission::ManageUsers)?;
        let account = self.new_account(actor, input).await?;
        self.create_account(account).await
    }

    /// Creates many users in one transaction: all of them or, on any error, none. Field
    /// errors name the position, e.g. `users[3].email`.
    pub async fn add_users(
        &self,
        actor: &Actor,
        inputs: Vec<NewUser>,
    ) -> Result<Vec<CreatedUser>, Error> {
        actor.require(Permission::ManageUsers)?;
        let accounts = self.new_accounts(actor, inputs).await?;
        let usernames: Vec<String> = accounts.iter().map(|a| a.user.username.clone()).collect();
        let ids = self
            .repo
            .insert_users(accounts, Vec::new())
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { field, index } => {
                    Error::Conflict(prefix(index, duplicate(field)))
                }
                StoreError::Lookalike { field, index } => {
                    Error::Conflict(prefix(index, lookalike(field)))
                }
                other => other.into(),
            })?;
        Ok(ids
            .into_iter()
            .zip(usernames)
            .map(|(id, username)| CreatedUser { id, username })
            .collect())
    }

    /// One new user, checked as the create form does, with the audit entry of its creation.
    pub(super) async fn new_account(
        &self,
        actor: &Actor,
        input: NewUser,
    ) -> Result<NewAccount, Error> {
        let mut accounts = self
            .new_accounts(actor, vec![input])
            .await
            .map_err(|e| match e {
                // A single user's fields need no "users[0]." prefix.
                Error::Validation(fields) => {
                    Error::Validation(fields.into_iter().map(unprefix).collect())
                }
                other => other,
            })?;
        Ok(accounts.remove(0))
    }

    /// Writes one new account (the user with its secrets, audit entries and messages) in
    /// one transaction and returns the user as stored.
    pub(super) async fn create_account(&self, account: NewAccount) -> Result<User, Error> {
        let mut ids = self
            .repo
            .insert_users(vec![account], Vec::new())
            .await
            .map_err(user_write_error)?;
        self.user(&UserRef::Id(ids.remove(0))).await
    }

    /// Validates the users, picks free usernames, checks the roles exist and that the actor
    /// may grant them; nothing is written.
    async fn new_accounts(
        &self,
        actor: &Actor,
        inputs: Vec<NewUser>,
    ) -> Result<Vec<NewAccount>, Error> {
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
        let managers: Vec<Option<String>> = valid.iter().map(|(v, _)| v.manager.clone()).collect();
        let mut claimed = NameSet::default();
        let mut records = Vec::with_capacity(valid.len());
        for (index, (v, status)) in valid.into_iter().enumerate() {
            let username = match v.username.clone() {
                Some(name) => name,
                None => {
                    self.free_username(&validate::username_from_email(&v.email), &claimed)
                        .await?
                }
            };
            if !claimed.claim(&username) {
                errors.push(prefix(
                    index,
                    FieldError::new(
                        "username",
                        format!("username '{username}' is given twice, or as names that look alike; usernames must be unique"),
                    ),
                ));
            }
            records.push(self.new_record(
                actor,
                v,
                status.unwrap_or(Status::Staged),
                username,
                now,
            ));
        }
        let roles = self.repo.roles().await?;
        for (index, record) in records.iter().enumerate() {
            errors.extend(check_role(&record.role, &roles).map(|f| prefix(index, f)));
        }
        for (index, (record, named)) in records.iter_mut().zip(managers).enumerate() {
            let Some(named) = named else { continue };
            match self.manager_named(actor, &named, None).await {
                Ok(manager) => record.manager = manager.map(ManagerChoice::Existing),
                Err(Error::Validation(fields)) => {
                    errors.extend(fields.into_iter().map(|f| prefix(index, f)));
                }
                Err(other) => return Err(other),
            }
        }
        if let Some(mine) = self.names_within(actor).await? {
            for (index, record) in records.iter_mut().enumerate() {
                if let Err(e) = place_within(&mut record.organization, &mine) {
                    errors.push(prefix(index, e));
                }
            }
        }
        let defined = self.attributes_within(actor).await?;
        for (index, (record, input)) in records.iter_mut().zip(&inputs).enumerate() {
            let organization = record.organization.as_deref();
            match self
                .checked_values(&defined, organization, &input.attributes, Values::New, None)
                .await
            {
                Ok(values) => record.attributes = values,
                Err(Error::Validation(fields)) => {
                    errors.extend(fields.into_iter().map(|f| prefix(index, f)));
                }
                Err(other) => return Err(other),
            }
        }
        let mut emails = NameSet::default();
        for (index, record) in records.iter().enumerate() {
            if !emails.claim(&record.email) {
                errors.push(prefix(
                    index,
                    FieldError::new(
                        "email",
                        format!(
                            "email {} is given twice, or as addresses that look alike; each user needs their own",
                            record.email
                        ),
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let mut granted: Vec<&str> = Vec::new();
        for record in &records {
            if !granted.contains(&record.role.as_str()) {
                self.check_can_grant(actor, &record.role, false).await?;
                granted.push(&record.role);
            }
        }
        Ok(records
            .into_iter()
            .map(|record| {
                let created = provisional_user(&record);
                let audit = vec![self.record(
                    actor,
                    "user.create",
                    AuditTarget::user(&created),
                    creation_changes(&created),
                )];
                NewAccount {
                    user: record,
                    credentials: None,
                    audit,
                    mail: Vec::new(),
                    groups: Vec::new(),
                }
            })
            .collect())
    }

    /// The create form's checks as the admin types, before anything is saved.
    pub fn check_new_user(&self, actor: &Actor, input: &NewUser) -> Result<Vec<FieldError>, Error> {
        actor.require(Permission::ManageUsers)?;
        Ok(validate::check_new_user(input))
    }

    /// The edit form's checks as the admin types.
    pub fn check_user_patch(
        &self,
        actor: &Actor,
        patch: &UserPatch,
    ) -> Result<Vec<FieldError>, Error> {
        actor.require(Permission::ManageUsers)?;
        Ok(validate::check_user_patch(patch))
    }

    /// A validated new user as the store inserts it.
    pub(super) fn new_record(
        &self,
        actor: &Actor,
        v: validate::ValidNewUser,
        status: Status,
        username: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> NewUserRecord {
        NewUserRecord {
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
            status,
            profile: v.profile,
            // Found by [`Roster::manager_named`], which may ask the store.
            manager: None,
            // Checked against their definitions by [`Roster::checked_values`].
            attributes: Attributes::new(),
            two_factor: TwoFactorState::NotConfigured,
            created_at: now,
            created_by: actor.name.clone(),
            password_changed_at: None,
        }
    }

    /// The user named as a manager (of `user`, for an edit), within the actor's scope: one
    /// outside it is as unknown as one that does not exist. `None` for a blank name.
    pub(super) async fn manager_named(
        &self,
        actor: &Actor,
        named: &str,
        user: Option<&User>,
    ) -> Result<Option<Manager>, Error> {
        let named = named.trim();
        if named.is_empty() {
            return Ok(None);
        }
        let reference = UserRef::parse(named);
        let manager = match self.user_within(actor, &reference).await {
            Ok(found) => found,
            Err(Error::NotFound(_)) => {
                return Err(Error::invalid(
                    "manager",
                    format!(
                        "no user with {reference}; give the manager's email, username or User ID"
                    ),
                ));
            }
            Err(other) => return Err(other),
        };
        if let Some(user) = user {
            self.check_no_reporting_loop(user, &manager).await?;
        }
        Ok(Some(manager.as_manager()))
    }

    /// Refuses a manager who reports, directly or through others, to the user: the chain
    /// of managers would never end, and "direct reports" would hold the user's own boss.
    async fn check_no_reporting_loop(&self, user: &User, manager: &User) -> Result<(), Error> {
        if manager.id == user.id {
            return Err(Error::invalid(
                "manager",
                format!(
                    "{} cannot be their own manager; choose someone else",
                    user.username
                ),
            ));
        }
        let mut at = Some(manager.clone());
        for _ in 0..MAX_REPORTING_CHAIN {
            let Some(next) = at else { return Ok(()) };
            if next.id == user.id {
                return Err(Error::invalid(
                    "manager",
                    format!(
                        "{} reports to {} already (directly or through others), so {} cannot be their manager; choose someone else",
                        manager.username, user.username, manager.username
                    ),
                ));
            }
            at = match &next.manager {
                Some(up) => self.repo.find_user(&UserRef::Id(up.id)).await?,
                None => None,
            };
        }
        Ok(())
    }

    /// The base name if free, else base2, base3, … The insert's unique index still guards
    /// against a race with another workstation.
    pub(super) async fn free_username(
        &self,
        base: &str,
        claimed: &NameSet,
    ) -> Result<String, Error> {
        for n in 1..=1000u32 {
            let candidate = if n == 1 {
                base.to_owned()
            } else {
                format!("{base}{n}")
            };
            if !claimed.holds(&candidate) && !self.repo.username_taken(&candidate).await? {
                return Ok(candidate);
            }
        }
        Err(Error::invalid(
            "username",
            format!("usernames {base} to {base}1000 are all taken; give a username"),
        ))
    }

    pub async fn find_user(&self, actor: &Actor, user: &UserRef) -> Result<User, Error> {
        actor.require(Permission::ViewUsers)?;
        self.user_within(actor, user).await
    }

    /// The query limited to the actor's organizations. A group named as a filter must be
    /// one the actor may see: its members are not listed through a group kept from them.
    pub(super) async fn scoped_query(
        &self,
        actor: &Actor,
        query: &UserQuery,
    ) -> Result<UserQuery, Error> {
        if let Some(group) = query.group
            && actor.scope().is_some()
        {
            self.group_record(actor, group).await?;
        }
        self.check_attributes_named(actor, query).await?;
        let mut query = actor.limit_query(query);
        query.end_dates = query.ending_within_days.map(|days| {
            let today = self.clock.now().date_naive();
            let last = today + chrono::Days::new(u64::from(days));
            (today.to_string(), last.to_string())
        });
        self.search_by_employee_id(&mut query).await?;
        Ok(query)
    }

    /// A search of one word that is the employee ID of a user the query may show finds
    /// that user, as the helpdesk types the number off a badge: one indexed lookup per
    /// search, where adding IDs to the name search would slow every search.
    async fn search_by_employee_id(&self, query: &mut UserQuery) -> Result<(), Error> {
        let words: Vec<&str> = query.search.split_whitespace().collect();
        let [word] = words.as_slice() else {
            return Ok(());
        };
        if query.employee_id.is_some() {
            return Ok(());
        }
        let probe = UserQuery {
            employee_id: Some((*word).to_owned()),
            within: query.within.clone(),
            limit: 1,
            ..UserQuery::default()
        };
        if self.repo.count_matching_users(&probe, Some(1)).await?.n > 0 {
            query.employee_id = probe.employee_id;
            query.search.clear();
        }
        Ok(())
    }

    /// The user, if within the actor's scope; outside it, the same "not found" as a user
    /// who does not exist.
    pub(super) async fn user_within(&self, actor: &Actor, user: &UserRef) -> Result<User, Error> {
        let found = self.user(user).await?;
        if actor.reaches(found.organization_id) {
            Ok(found)
        } else {
            Err(Error::NotFound(format!("no user with {user}")))
        }
    }

    pub(super) async fn user(&self, user: &UserRef) -> Result<User, Error> {
        self.repo
            .find_user(user)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no user with {user}")))
    }

    /// The users named, all within the actor's scope: one outside it is reported as not
    /// found, as one that does not exist.
    pub(super) async fn find_users(
        &self,
        actor: &Actor,
        users: &[UserRef],
    ) -> Result<Vec<User>, Error> {
        if users.is_empty() {
            return Err(Error::invalid(
                "users",
                "no user given; name at least one by ID, username or email",
            ));
        }
        // Ids, which a bulk action in the window sends, are read with one query (10,000
        // lookups took seconds); usernames and emails one by one.
        let ids: Vec<UserId> = users
            .iter()
            .filter_map(|u| match u {
                UserRef::Id(id) => Some(*id),
                _ => None,
            })
            .collect();
        let mut by_id: HashMap<UserId, User> = HashMap::new();
        if !ids.is_empty() {
            by_id = self
                .repo
                .list_users(&UserQuery::of_ids(ids))
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect();
        }
        let mut found: Vec<User> = Vec::with_capacity(users.len());
        let mut seen = HashSet::new();
        let mut missing = Vec::new();
        for user in users {
            let stored = match user {
                UserRef::Id(id) => by_id.get(id).cloned(),
                other => self.repo.find_user(other).await?,
            };
            match stored.filter(|u| actor.reaches(u.organization_id)) {
                Some(u) if !seen.insert(u.id) => {}
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

    /// A page of the list with how many users match in all.
    pub async fn list_users(&self, actor: &Actor, query: &UserQuery) -> Result<UserPage, Error> {
        let rows = self.list_user_rows(actor, query).await?;
        let total = match rows.total {
            Some(total) => total,
            None => self.count_users(actor, query, None).await?.n,
        };
        Ok(UserPage {
            users: rows.users,
            total,
            offset: rows.offset,
        })
    }

    /// A page of the list without counting every match, unless the page itself tells: the
    /// window shows rows first and asks [`Roster::count_users`] after, and a page further
    /// down never counts again.
    pub async fn list_user_rows(
        &self,
        actor: &Actor,
        query: &UserQuery,
    ) -> Result<UserRows, Error> {
        actor.require(Permission::ViewUsers)?;
        checked(query)?;
        let query = &self.scoped_query(actor, query).await?;
        let users = self.repo.list_users(query).await?;
        Ok(UserRows::new(users, query))
    }

    /// How many users match the query's search and filters; with `up_to`, counting stops
    /// there (the list asks for "1,000+" first and counts further only when scrolled to it).
    pub async fn count_users(
        &self,
        actor: &Actor,
        query: &UserQuery,
        up_to: Option<u64>,
    ) -> Result<Count, Error> {
        actor.require(Permission::ViewUsers)?;
        checked(query)?;
        self.repo
            .count_matching_users(&self.scoped_query(actor, query).await?, up_to)
            .await
            .map_err(Error::from)
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
        actor.require(Permission::ManageUsers)?;
        if patch.is_empty() {
            return Err(Error::invalid(
                "changes",
                "nothing to change; give at least one field",
            ));
        }
        let patch = validate::validate_patch(&patch).map_err(Error::Validation)?;
        if let Some(organization) = &patch.organization {
            self.check_organization_within(actor, Some(organization))
                .await?;
        }
        if let Some(role) = &patch.role {
            let roles = self.repo.roles().await?;
            if let Some(error) = check_role(role, &roles) {
                return Err(Error::Validation(vec![error]));
            }
        }
        let before = self
            .user_to_manage(actor, Permission::ManageUsers, user)
            .await?;
        if let Some(role) = &patch.role {
            Self::check_not_own_role(actor, &before, role)?;
            let scoped_target =
                actor.scope().is_some() && self.scoped_within(actor, &before).await?;
            self.check_can_grant(actor, role, scoped_target).await?;
        }
        let changed_meanwhile = || {
            let history = AuditQuery {
                user: Some(before.id),
                ..AuditQuery::default()
            };
            self.changed_meanwhile(actor, &before.username, history, |_| true)
        };
        if expected_version.is_some_and(|expected| expected != before.version) {
            return Err(changed_meanwhile().await);
        }
        let mut after = before.clone();
        let manager = patch.manager.clone();
        let values = patch.attributes.clone();
        apply_patch(&mut after, patch);
        if let Some(named) = manager {
            after.manager = self.manager_named(actor, &named, Some(&before)).await?;
        }
        let defined = self.attributes_within(actor).await?;
        self.apply_values(&defined, &mut after, &values).await?;
        let changes = user_changes(&before, &after);
        if changes.is_empty() {
            return Ok(before);
        }
        after.modified_at = self.clock.now();
        self.keep_an_owner(&[(&before, Some(&after))]).await?;
        let audit = self.record(actor, "user.update", AuditTarget::user(&before), changes);
        let updated = self
            .repo
            .update_users(std::slice::from_ref(&after), vec![audit])
            .await;
        match updated {
            Ok(mut updated) => Ok(updated.remove(0)),
            Err(StoreError::Stale) => Err(changed_meanwhile().await),
            Err(other) => Err(user_write_error(other)),
        }
    }

    /// Suspend, lock, … one or many users in one transaction. If any user cannot take the
    /// action, nothing changes and the error names each such user.
    pub async fn change_status(
        &self,
        actor: &Actor,
        users: &[UserRef],
        action: StatusAction,
    ) -> Result<Vec<User>, Error> {
        let Some(permission) = action.permission() else {
            return Err(Error::invalid(
                "action",
                format!(
                    "Roster does this itself ({}); it cannot be done by hand",
                    action.audit_action()
                ),
            ));
        };
        let found = self.users_to_manage(actor, permission, users).await?;
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
                        AuditTarget::user(before),
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
        let pairs: Vec<_> = found.iter().zip(changed.iter().map(Some)).collect();
        self.keep_an_owner(&pairs).await?;
        if matches!(action, StatusAction::Unlock | StatusAction::Unsuspend) {
            // A fresh start: the failed attempts before the lock do not count against the
            // next one (past the limit, sign-in would not even check the password).
            let changes = changed
                .into_iter()
                .zip(audit)
                .map(|(user, record)| crate::account::AccountChange {
                    secrets: Some((user.id, vec![crate::account::SecretChange::ClearFailures])),
                    user: Some(user),
                    audit: vec![record],
                    ..Default::default()
                })
                .collect();
            return self
                .repo
                .save_accounts(changes)
                .await
                .map_err(user_write_error);
        }
        self.repo
            .update_users(&changed, audit)
            .await
            .map_err(user_write_error)
    }

    /// Changes organization, team, role or tags of many users in one transaction.
    pub async fn edit_users(
        &self,
        actor: &Actor,
        users: &[UserRef],
        edit: BulkEdit,
    ) -> Result<Vec<User>, Error> {
        actor.require(Permission::ManageUsers)?;
        if edit.is_empty() {
            return Err(Error::invalid(
                "changes",
                "nothing to change; choose a setting to apply",
            ));
        }
        let patch = UserPatch {
            organization: edit.organization.clone(),
            team: edit.team.clone(),
            role: edit.role.clone(),
            profile: edit.profile.clone(),
            ..UserPatch::default()
        };
        let patch = validate::validate_patch(&patch).map_err(Error::Validation)?;
        if let Some(organization) = &patch.organization {
            self.check_organization_within(actor, Some(organization))
                .await?;
        }
        let mut tag_errors = Vec::new();
        let add_tags = validate::clean_tags(&edit.add_tags, &mut tag_errors);
        let remove_keys: Vec<String> = edit.remove_tags.iter().map(|t| normalize_key(t)).collect();
        if !tag_errors.is_empty() {
            return Err(Error::Validation(tag_errors));
        }
        if let Some(role) = &patch.role {
            let roles = self.repo.roles().await?;
            if let Some(error) = check_role(role, &roles) {
                return Err(Error::Validation(vec![error]));
            }
        }
        let found = self
            .users_to_manage(actor, Permission::ManageUsers, users)
            .await?;
        if let Some(role) = &patch.role {
            let mut scoped_targets = actor.scope().is_some();
            for user in &found {
                Self::check_not_own_role(actor, user, role)?;
                scoped_targets = scoped_targets && self.scoped_within(actor, user).await?;
            }
            self.check_can_grant(actor, role, scoped_targets).await?;
        }
        let now = self.clock.now();
        let mut changed = Vec::new();
        let mut audit = Vec::new();
        let defined = self.attributes_within(actor).await?;
        if found.len() > 1
            && let Some(unique) = defined.iter().find(|a| {
                a.unique
                    && edit
                        .attributes
                        .get(&a.name)
                        .is_some_and(|v| !v.trim().is_empty())
            })
        {
            return Err(Error::invalid(
                &unique.name,
                format!(
                    "{} is unique to each user; set it one user at a time",
                    unique.label
                ),
            ));
        }
        for before in &found {
            let mut after = before.clone();
            apply_patch(&mut after, patch.clone());
            self.apply_values(&defined, &mut after, &edit.attributes)
                .await
                .map_err(|e| match e {
                    // Which of the users chosen it is.
                    Error::Validation(fields) => Error::Validation(
                        fields
                            .into_iter()
                            .map(|f| f.prefixed(&before.username))
                            .collect(),
                    ),
                    other => other,
                })?;
            after
                .tags
                .retain(|t| !remove_keys.contains(&normalize_key(t)));
            for tag in &add_tags {
                if !after
                    .tags
                    .iter()
                    .any(|t| normalize_key(t) == normalize_key(tag))
                {
                    after.tags.push(tag.clone());
                }
            }
            let changes = user_changes(before, &after);
            if changes.is_empty() {
                continue;
            }
            after.modified_at = now;
            audit.push(self.record(actor, "user.update", AuditTarget::user(before), changes));
            changed.push((before, after));
        }
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        let pairs: Vec<_> = changed.iter().map(|(b, a)| (*b, Some(a))).collect();
        self.keep_an_owner(&pairs).await?;
        let changed: Vec<User> = changed.into_iter().map(|(_, after)| after).collect();
        self.repo
            .update_users(&changed, audit)
            .await
            .map_err(user_write_error)
    }

    /// The ids of every user the query matches (for "select all matching"), at most
    /// [`MAX_SELECTION`].
    pub async fn matching_user_ids(
        &self,
        actor: &Actor,
        query: &UserQuery,
    ) -> Result<Vec<UserId>, Error> {
        actor.require(Permission::ViewUsers)?;
        let query = whole_list(&self.scoped_query(actor, query).await?)?;
        self.repo
            .user_ids(&query, MAX_SELECTION)
            .await
            .map_err(Error::from)
    }

    /// Deletes the users; their devices are retired, or given to `give_devices_to`.
    pub async fn delete_users(
        &self,
        actor: &Actor,
        users: &[UserRef],
        give_devices_to: Option<&UserRef>,
    ) -> Result<Vec<User>, Error> {
        let found = self
            .users_to_manage(actor, Permission::ManageUsers, users)
            .await?;
        let (devices, handover) = match give_devices_to {
            None => (DeviceHandover::Retire, "retired".to_owned()),
            Some(heir) => {
                let heir = self
                    .user_to_manage(actor, Permission::ManageTokens, heir)
                    .await?;
                if found.iter().any(|u| u.id == heir.id) {
                    return Err(Error::invalid(
                        "devices",
                        format!(
                            "{} is being deleted too; give the devices to someone who stays",
                            heir.username
                        ),
                    ));
                }
                (
                    DeviceHandover::Reassign(heir.id),
                    format!("given to {}", heir.username),
                )
            }
        };
        let mut audit: Vec<AuditRecord> = found
            .iter()
            .map(|u| {
                let mut changes: Vec<FieldChange> = UserField::snapshot(u)
                    .into_iter()
                    .map(|(field, value)| FieldChange {
                        field,
                        before: value,
                        after: None,
                    })
                    .collect();
                if u.device_count > 0 {
                    changes.push(FieldChange {
                        field: "devices".into(),
                        before: Some(u.device_count.to_string()),
                        after: Some(handover.clone()),
                    });
                }
                self.record(actor, "user.delete", AuditTarget::user(u), changes)
            })
            .collect();
        let reports = self.reports_left_without(&found).await?;
        for (before, after) in &reports {
            audit.push(self.record(
                actor,
                "user.update",
                AuditTarget::user(before),
                user_changes(before, after),
            ));
        }
        let reports: Vec<User> = reports.into_iter().map(|(_, after)| after).collect();
        let pairs: Vec<_> = found.iter().map(|u| (u, None)).collect();
        self.keep_an_owner(&pairs).await?;
        self.repo
            .delete_users(&found, &reports, devices, audit)
            .await
            .map_err(user_write_error)?;
        Ok(found)
    }

    /// Those who report to users about to be deleted (and stay), before and after losing
    /// their manager: the change is theirs too, audited and versioned as any edit.
    async fn reports_left_without(&self, leaving: &[User]) -> Result<Vec<(User, User)>, Error> {
        let query = UserQuery {
            managers: leaving.iter().map(|u| u.id).collect(),
            limit: u32::MAX,
            ..UserQuery::default()
        };
        let leaving: HashSet<UserId> = leaving.iter().map(|u| u.id).collect();
        let now = self.clock.now();
        Ok(self
            .repo
            .list_users(&query)
            .await?
            .into_iter()
            .filter(|report| !leaving.contains(&report.id))
            .map(|before| {
                let mut after = before.clone();
                after.manager = None;
                after.modified_at = now;
                (before, after)
            })
            .collect())
    }
}

/// The query for every user it matches (no page): checked, its limit and offset dropped.
/// Normalised keys (emails, usernames) seen so far, kept as 128-bit hashes: a million of
/// them take 16 MB instead of about 70, and two keys share a hash with a chance of about
/// one in 10^26 even then.
#[derive(Default)]
pub(super) struct KeySet(std::collections::HashSet<u128>);

impl KeySet {
    /// `false` when the key was there already.
    pub(super) fn insert(&mut self, key: &str) -> bool {
        self.0.insert(hash128(key))
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        self.0.contains(&hash128(key))
    }
}

/// Names (usernames, emails) claimed so far by a batch or a file, or held by the
/// directory: by their key and by their [`lookalike_key`], so a name is refused when it is
/// another's, or passes for it.
#[derive(Default)]
pub(super) struct NameSet {
    keys: KeySet,
    lookalikes: KeySet,
}

impl NameSet {
    /// `false` when the name, or one that looks like it, was there already.
    pub(super) fn claim(&mut self, name: &str) -> bool {
        let new_key = self.keys.insert(&normalize_key(name));
        let new_look = self.lookalikes.insert(&lookalike_key(name));
        new_key && new_look
    }

    pub(super) fn holds(&self, name: &str) -> bool {
        self.keys.contains(&normalize_key(name)) || self.lookalikes.contains(&lookalike_key(name))
    }

    /// Whether this very name was claimed, a lookalike of it not counting.
    pub(super) fn holds_key(&self, name: &str) -> bool {
        self.keys.contains(&normalize_key(name))
    }

    /// A name the directory holds, by its keys as stored.
    pub(super) fn add_keys(&mut self, key: &str, lookalike: &str) {
        self.keys.insert(key);
        self.lookalikes.insert(lookalike);
    }
}

/// Two independent SipHash values of the key (the std hasher with fixed keys, salted by a
/// leading byte), side by side.
fn hash128(key: &str) -> u128 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let half = |salt: u8| {
        let mut hasher = DefaultHasher::new();
        salt.hash(&mut hasher);
        key.hash(&mut hasher);
        hasher.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

pub(super) fn whole_list(query: &UserQuery) -> Result<UserQuery, Error> {
    let query = UserQuery {
        limit: 1,
        offset: 0,
        ..query.clone()
    };
    checked(&query)?;
    Ok(query)
}

/// A query's limits checked, a bad one reported as a validation error naming its field.
fn checked(query: &UserQuery) -> Result<(), Error> {
    query.check().map_err(|e| Error::Validation(vec![e]))
}

/// A write of existing users: one of them changed since it was read, or an edit collided
/// with another user's email or username. Either way nothing was written.
pub(super) fn user_write_error(error: StoreError) -> Error {
    match error {
        StoreError::Stale => Error::VersionConflict(
            "a user was changed by someone else meanwhile; nothing was changed, try again".into(),
        ),
        StoreError::Duplicate { field, .. } => Error::Conflict(duplicate(field)),
        StoreError::Lookalike { field, .. } => Error::Conflict(lookalike(field)),
        other => other.into(),
    }
}

fn duplicate(field: &'static str) -> FieldError {
    FieldError::new(
        field,
        crate::message!("error-used-by-another-user", field = field),
    )
}

pub(super) fn check_role(role: &str, roles: &[String]) -> Option<FieldError> {
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
        ..error
    }
}

fn unprefix(error: FieldError) -> FieldError {
    let field = match error.field.split_once("].") {
        Some((_, field)) => field.to_owned(),
        None => error.field,
    };
    FieldError { field, ..error }
}

pub(super) fn apply_patch(user: &mut User, patch: UserPatch) {
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
    // The manager is a user to find (`Roster::manager_named`), attribute values are
    // checked against their definitions (`Roster::apply_values`): the caller sets both.
    for (field, value) in patch.profile {
        if value.is_empty() {
            user.profile.remove(&field);
        } else {
            user.profile.insert(field, value);
        }
    }
}

/// Before → after for every audited field and attribute that differs.
pub(super) fn user_changes(before: &User, after: &User) -> Vec<FieldChange> {
    let before = UserField::snapshot(before);
    let after = UserField::snapshot(after);
    let mut names: Vec<&String> = before.iter().map(|(name, _)| name).collect();
    for (name, _) in &after {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let value = |values: &[(String, Option<String>)], name: &String| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    names
        .into_iter()
        .map(|name| FieldChange {
            field: name.clone(),
            before: value(&before, name),
            after: value(&after, name),
        })
        .filter(|change| change.before != change.after)
        .collect()
}

/// The new user as it will be stored (its id still 0), so creation audits the same
/// fields as edits and messages address it as they would a stored user.
pub(super) fn provisional_user(record: &NewUserRecord) -> User {
    User {
        id: UserId(0),
        username: record.username.clone(),
        email: record.email.clone(),
        first_name: record.first_name.clone(),
        last_name: record.last_name.clone(),
        phone: record.phone.clone(),
        organization: record.organization.clone(),
        organization_id: None,
        team: record.team.clone(),
        tags: record.tags.clone(),
        role: record.role.clone(),
        identity_provider: record.identity_provider.clone(),
        status: record.status,
        profile: record.profile.clone(),
        attributes: record.attributes.clone(),
        manager: match &record.manager {
            Some(ManagerChoice::Existing(manager)) => Some(manager.clone()),
            Some(ManagerChoice::InImport(email)) => Some(Manager {
                id: UserId(0),
                name: String::new(),
                email: email.clone(),
            }),
            None => None,
        },
        two_factor: record.two_factor,
        group_count: 0,
        device_count: 0,
        created_at: record.created_at,
        modified_at: record.created_at,
        last_sign_in_at: None,
        password_changed_at: record.password_changed_at,
        created_by: record.created_by.clone(),
        version: 1,
    }
}

pub(super) fn creation_changes(created: &User) -> Vec<FieldChange> {
    UserField::snapshot(created)
        .into_iter()
        .filter_map(|(field, after)| {
            after.map(|a| FieldChange {
                field,
                before: None,
                after: Some(a),
            })
        })
        .collect()
}
