//! Importing users from a spreadsheet: every row is checked as the create form checks a
//! new user, against the other rows and against the directory; then the valid rows are
//! written in one transaction with one audit entry for the job, or nothing is.

use super::attributes::Values;
use super::organizations::{check_within, place_within};
use super::users::{
    NameSet, apply_patch, check_role, creation_changes, provisional_user, user_changes,
};
use super::*;
use crate::Settings;
use crate::account::{Credentials, GroupChoice};
use crate::attribute::{Attribute, Attributes};
use crate::error::lookalike;
use crate::group::Group;
use crate::import::{
    ImportOptions, ImportProgress, ImportReport, ImportRow, MAX_REPORTED_PROBLEMS, RowProblem,
};
use crate::organization::OrganizationId;
use crate::repository::{ImportWriter, TakenKey, UserUpdate};
use crate::status::{StatusAction, transition};
use crate::user::{Manager, ManagerChoice};
use std::collections::{HashMap, HashSet};

/// Google's export writes this for "keep the existing password".
const KEPT_PASSWORD: &str = "****";

/// Rows checked against the directory with one query.
const CHECK_BATCH: usize = 500;

/// What the directory already holds of a batch's emails and usernames.
#[derive(Default)]
struct Taken {
    /// Email key → the user who has it.
    emails: HashMap<String, TakenKey>,
    /// The [`lookalike_key`]s of the emails the directory holds.
    email_lookalikes: HashSet<String>,
    usernames: NameSet,
    /// For an upsert: the users the batch's emails belong to, as they are now.
    existing: HashMap<UserId, User>,
}

/// What a valid row becomes.
enum Checked {
    New(NewAccount),
    Update(UserUpdate, AuditRecord),
    Unchanged,
}

/// What every row of one import is checked with.
#[derive(Clone, Copy)]
struct RowContext<'a> {
    options: &'a ImportOptions,
    roles: &'a [String],
    /// The settings invitations are sent with (the sender's name, the language), read once
    /// for the whole file.
    sender: &'a Settings,
    taken: &'a Taken,
    /// The names of a scoped actor's organizations; `None`: the whole directory.
    within: Option<&'a [String]>,
    /// The attributes the actor sees, read once for the whole file.
    attributes: &'a [Attribute],
}

/// What every row of a file is checked against, read once.
struct FileContext<'a> {
    options: &'a ImportOptions,
    roles: Vec<String>,
    sender: Settings,
    within: Option<Vec<String>>,
    attributes: Vec<Attribute>,
}

/// A batch's rows as checked, to be written: new accounts, and changed users with the
/// audit records of their changes.
#[derive(Default)]
pub(super) struct CheckedBatch {
    pub(super) accounts: Vec<NewAccount>,
    pub(super) updates: Vec<UserUpdate>,
    pub(super) audit: Vec<AuditRecord>,
}

/// What the rows seen so far have claimed, so the file cannot hold a user twice.
#[derive(Default)]
struct Claimed {
    emails: NameSet,
    usernames: NameSet,
    /// Roles checked for "may the actor give this role", with the answer.
    grantable: HashMap<String, Option<String>>,
    /// The groups of each name the file named, as the directory holds them.
    groups: HashMap<String, Vec<Group>>,
    /// Organization name key → id, read once when a group must be created in one.
    organizations: Option<HashMap<String, OrganizationId>>,
    /// Managers named so far for new users, by what the file wrote: found in the
    /// directory, or why not.
    managers: HashMap<String, Result<Option<Manager>, String>>,
    /// New users whose manager the file names but the directory does not hold yet: the
    /// line, the user's email and the manager's, to be found among the file's new users.
    awaited_managers: Vec<(u64, String, String)>,
    /// The emails of the users this import creates: only they can be awaited managers.
    /// Not `emails`, which holds the rows refused too (one naming another organization's
    /// user would let the link reach them).
    created: NameSet,
    /// The values of unique attributes the rows hold: (attribute name, value).
    unique: HashSet<(String, String)>,
}

/// What is wrong with the managers new users of a file await ([`Claimed::awaited_managers`]).
#[derive(Default)]
struct AwaitedManagers {
    /// Managers the file did not create: their users land without one where the import
    /// goes on without the rows it refuses.
    missing: Vec<RowProblem>,
    /// Chains of managers that come back to where they began: nothing of the file lands,
    /// since its rows are written before the end of the file shows the loop.
    loops: Vec<RowProblem>,
}

impl Claimed {
    /// Claims the user's values of unique attributes; the name of one an earlier row
    /// holds already, if any (then nothing is claimed).
    fn unique_values<'a>(
        &mut self,
        defined: &[Attribute],
        values: &'a Attributes,
    ) -> Option<&'a str> {
        let held: Vec<(String, String)> = values
            .iter()
            .filter(|(name, _)| defined.iter().any(|a| a.unique && &a.name == *name))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if let Some((name, _)) = held.iter().find(|pair| self.unique.contains(*pair)) {
            return values.get_key_value(name).map(|(name, _)| name.as_str());
        }
        self.unique.extend(held);
        None
    }

    /// Each awaited manager must be a user this file created, and following them up must
    /// never come back to where it began.
    fn awaited_manager_problems(&self) -> AwaitedManagers {
        let problem = |line: u64, manager: &str, message: &str| RowProblem {
            line,
            column: Some("manager".into()),
            value: Some(manager.to_owned()),
            message: message.to_owned(),
            message_id: None,
            args: None,
            ends_file: false,
        };
        let mut found = AwaitedManagers::default();
        let reports_to: HashMap<String, String> = self
            .awaited_managers
            .iter()
            .map(|(_, user, manager)| (normalize_key(user), normalize_key(manager)))
            .collect();
        for (line, user, manager) in &self.awaited_managers {
            // The store links by the email itself: a lookalike of a new user's is nobody.
            if !self.created.holds_key(manager) {
                found.missing.push(problem(
                    *line,
                    manager,
                    "no user has this email, in the directory or among this file's new users; give the manager's email, or leave it empty",
                ));
                continue;
            }
            let start = normalize_key(user);
            let mut at = normalize_key(manager);
            for _ in 0..reports_to.len() {
                if at == start {
                    found.loops.push(problem(
                        *line,
                        manager,
                        "this manager reports back to the user through the file's other rows; the chain of managers must end",
                    ));
                    break;
                }
                match reports_to.get(&at) {
                    Some(next) => at = next.clone(),
                    None => break,
                }
            }
        }
        found
    }
}

/// A row the file cannot be read past ([`RowProblem::ends_file`]) stops the import with its
/// message: the rows after it were never seen, so none of the file is written (an open
/// import transaction rolls back as it is dropped), whatever `skip_invalid` says.
pub(super) fn check_readable<T>(rows: &[Result<T, RowProblem>]) -> Result<(), Error> {
    match rows
        .iter()
        .find_map(|row| row.as_ref().err().filter(|p| p.ends_file))
    {
        Some(problem) => Err(Error::invalid("file", problem.message.clone())),
        None => Ok(()),
    }
}

impl Roster {
    /// Imports the rows (as read by roster-csv). With `dry_run` nothing is written. Else each
    /// batch of checked rows is written as it is checked, into one transaction that lands
    /// whole at the end, or not at all when any row has a problem (unless `skip_invalid`),
    /// on an error, a cancel or a crash; so memory stays flat whatever the file's size.
    /// The report lists every problem with its line. `progress` hears after every batch,
    /// and once more before the commit.
    pub async fn import_users<I>(
        &self,
        actor: &Actor,
        rows: I,
        options: &ImportOptions,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<ImportReport, Error>
    where
        I: IntoIterator<Item = Result<ImportRow, RowProblem>> + Send,
        I::IntoIter: Send,
    {
        super::Transfer::ImportUsers.check(actor)?;
        let importer = Actor {
            origin: Origin::Import,
            ..actor.clone()
        };
        let context = FileContext {
            options,
            roles: self.repo.roles().await?,
            sender: self.current_settings().await?,
            within: self.names_within(actor).await?,
            attributes: self.attributes_within(actor).await?,
        };
        let mut claimed = Claimed::default();
        let mut report = ImportReport::default();
        let mut rows = rows.into_iter();
        let mut writer: Option<Box<dyn ImportWriter>> = None;
        loop {
            if options.cancel.is_cancelled() {
                return Err(cancelled(writer).await);
            }
            let batch: Vec<_> = rows.by_ref().take(CHECK_BATCH).collect();
            let Some(checked) = self
                .check_batch(&importer, batch, &context, &mut report, &mut claimed)
                .await?
            else {
                break;
            };
            let refused = report.invalid > 0 && !options.skip_invalid;
            self.write_batch(&mut writer, refused, options, checked)
                .await?;
            progress(ImportProgress::Checking { rows: report.rows });
        }
        let AwaitedManagers { mut missing, loops } = claimed.awaited_manager_problems();
        if options.skip_invalid {
            // Those rows are written already: they land, without the manager.
            for problem in &mut missing {
                problem
                    .message
                    .push_str("; the user was imported without a manager");
            }
        }
        let refused: HashSet<u64> = loops
            .iter()
            .chain(missing.iter().filter(|_| !options.skip_invalid))
            .map(|p| p.line)
            .collect();
        if !refused.is_empty() {
            report.invalid += refused.len() as u64;
            writer = None;
            if !loops.is_empty() {
                // Nothing lands, whatever skip_invalid says.
                report.created = 0;
                report.updated = 0;
            }
        }
        let room = MAX_REPORTED_PROBLEMS.saturating_sub(report.problems.len());
        report
            .problems
            .extend(loops.into_iter().chain(missing).take(room));
        let counts = [
            ("rows", report.rows),
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("skipped", report.invalid),
        ];
        self.finish_import(
            &importer,
            JobEntry {
                action: "import.users",
                counts: &counts,
                nothing: "the file has a header but no users; add a row per user",
            },
            writer,
            report,
            options,
            progress,
        )
        .await
    }

    /// Checks a batch of rows: each as a new account, an update, unchanged, or its
    /// problems, counted in `report`. `None` for an empty batch (the file's end).
    async fn check_batch(
        &self,
        importer: &Actor,
        batch: Vec<Result<ImportRow, RowProblem>>,
        file: &FileContext<'_>,
        report: &mut ImportReport,
        claimed: &mut Claimed,
    ) -> Result<Option<CheckedBatch>, Error> {
        if batch.is_empty() {
            return Ok(None);
        }
        check_readable(&batch)?;
        let taken = self.taken(&batch, file.options.upsert).await?;
        let context = RowContext {
            options: file.options,
            roles: &file.roles,
            sender: &file.sender,
            taken: &taken,
            within: file.within.as_deref(),
            attributes: &file.attributes,
        };
        let mut done = CheckedBatch::default();
        for row in batch {
            report.rows += 1;
            let checked = match row {
                Ok(row) => self.import_row(importer, row, &context, claimed).await?,
                Err(problem) => Err(vec![problem]),
            };
            match checked {
                Ok(Checked::New(account)) => done.accounts.push(account),
                Ok(Checked::Update(update, record)) => {
                    done.updates.push(update);
                    done.audit.push(record);
                }
                Ok(Checked::Unchanged) => report.unchanged += 1,
                Err(problems) => {
                    report.invalid += 1;
                    let room = MAX_REPORTED_PROBLEMS.saturating_sub(report.problems.len());
                    report.problems.extend(problems.into_iter().take(room));
                }
            }
        }
        report.created += done.accounts.len() as u64;
        report.updated += done.updates.len() as u64;
        Ok(Some(done))
    }

    /// Writes a checked batch into the import's transaction (begun with the first batch),
    /// or, once a problem means nothing will land (`refused`), drops the transaction to
    /// give the write lock back while the rest is checked for the report.
    pub(super) async fn write_batch(
        &self,
        writer: &mut Option<Box<dyn ImportWriter>>,
        refused: bool,
        options: &ImportOptions,
        batch: CheckedBatch,
    ) -> Result<(), Error> {
        let CheckedBatch {
            accounts,
            updates,
            audit,
        } = batch;
        if refused {
            *writer = None;
        } else if !options.dry_run && (!accounts.is_empty() || !updates.is_empty()) {
            let open = match writer.as_mut() {
                Some(open) => open,
                None => writer.insert(self.repo.begin_import().await?),
            };
            open.write(accounts, updates, audit)
                .await
                .map_err(import_write_error)?;
        }
        Ok(())
    }

    /// Ends an import: an empty file is an error; refused for its problems or a dry run, it
    /// writes nothing (a dropped
    /// transaction rolls back); else the job's audit entry (`action`, with `counts`) goes in
    /// and everything commits at once.
    pub(super) async fn finish_import(
        &self,
        importer: &Actor,
        job: JobEntry<'_>,
        writer: Option<Box<dyn ImportWriter>>,
        mut report: ImportReport,
        options: &ImportOptions,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<ImportReport, Error> {
        if report.rows == 0 {
            return Err(Error::invalid("file", job.nothing));
        }
        if report.invalid > 0 && !options.skip_invalid && !options.dry_run {
            report.created = 0;
            report.updated = 0;
            return Ok(report);
        }
        let Some(writer) = writer.filter(|_| !options.dry_run) else {
            return Ok(report);
        };
        let job = self.job_record(importer, job.action, job.counts, options);
        progress(ImportProgress::Writing {
            users: report.created + report.updated,
        });
        writer.commit(vec![job]).await.map_err(import_write_error)?;
        report.written = true;
        Ok(report)
    }

    /// An import's own audit entry: the file it read and its counts.
    pub(super) fn job_record(
        &self,
        importer: &Actor,
        action: &str,
        counts: &[(&str, u64)],
        options: &ImportOptions,
    ) -> AuditRecord {
        let target = AuditTarget {
            kind: "import".into(),
            id: 0,
            name: options.source.clone(),
        };
        let changes = counts
            .iter()
            .map(|(field, count)| FieldChange {
                field: (*field).into(),
                before: None,
                after: Some(count.to_string()),
            })
            .collect();
        self.record(importer, action, target, changes)
    }

    /// Which of the batch's emails and usernames (given, or as they would be derived) the
    /// directory holds already: one query for the batch instead of several per row.
    async fn taken(
        &self,
        batch: &[Result<ImportRow, RowProblem>],
        upsert: bool,
    ) -> Result<Taken, Error> {
        let mut emails = Vec::with_capacity(batch.len());
        let mut usernames = Vec::with_capacity(batch.len());
        for row in batch.iter().flatten() {
            let email = row.user.email.trim();
            emails.push(email.to_owned());
            usernames.push(match row.user.username.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => name.to_owned(),
                _ => validate::username_from_email(email),
            });
        }
        let mut taken = Taken::default();
        for key in self.repo.taken_keys(&emails, &usernames).await? {
            taken
                .usernames
                .add_keys(&key.username_key, &key.username_lookalike);
            taken.email_lookalikes.insert(key.email_lookalike.clone());
            taken.emails.insert(key.email_key.clone(), key);
        }
        if upsert && !taken.emails.is_empty() {
            let ids: Vec<UserId> = taken.emails.values().map(|k| k.id).collect();
            let query = UserQuery::of_ids(ids);
            for user in self.repo.list_users(&query).await? {
                taken.existing.insert(user.id, user);
            }
        }
        Ok(taken)
    }

    /// Why the actor may not give (or change a user with) this role, asked once per role
    /// and import; `None` when they may.
    async fn grant_refusal(
        &self,
        actor: &Actor,
        role: &str,
        claimed: &mut Claimed,
    ) -> Result<Option<String>, Error> {
        if let Some(known) = claimed.grantable.get(role) {
            return Ok(known.clone());
        }
        let answer = match self.check_can_grant(actor, role, false).await {
            Ok(()) => None,
            Err(Error::Forbidden(why)) => Some(why),
            Err(other) => return Err(other),
        };
        claimed.grantable.insert(role.to_owned(), answer.clone());
        Ok(answer)
    }

    /// One row as a new account, an update of the user who has its email (upsert), or
    /// everything wrong with it. `Err` from the outer result ends the import (a refused
    /// password column, a storage failure).
    async fn import_row(
        &self,
        actor: &Actor,
        row: ImportRow,
        context: &RowContext<'_>,
        claimed: &mut Claimed,
    ) -> Result<Result<Checked, Vec<RowProblem>>, Error> {
        let RowContext {
            options,
            roles,
            sender,
            taken,
            within,
            attributes,
        } = *context;
        let line = row.line;
        let problem = |column: &str, value: Option<String>, message: String| RowProblem {
            line,
            column: Some(column.to_owned()),
            value,
            message,
            message_id: None,
            args: None,
            ends_file: false,
        };
        let password = row.password.filter(|p| p != KEPT_PASSWORD);
        if password.is_some() && !options.accept_passwords {
            return Err(Error::invalid(
                "password",
                "the file holds passwords; plain-text passwords in a spreadsheet can be read by anyone who gets the file. Leave the column out (new users are invited to choose their own), or accept them explicitly",
            ));
        }
        let checked = validate::validate_new_user(&row.user);
        let mut problems: Vec<RowProblem> = match &checked {
            Ok(_) => Vec::new(),
            Err(fields) => fields
                .iter()
                .map(|f| RowProblem::about_field(line, value_of(&row.user, &f.field), f.clone()))
                .collect(),
        };
        let role = row
            .user
            .role
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map_or_else(|| DEFAULT_ROLE.to_owned(), normalize_key);
        if let Some(e) = check_role(&role, roles) {
            problems.push(problem("role", Some(role.clone()), e.message));
        } else if let Some(why) = self.grant_refusal(actor, &role, claimed).await? {
            problems.push(problem("role", Some(role.clone()), why));
        }
        let Ok(mut valid) = checked else {
            return Ok(Err(problems));
        };
        let mut existing = None;
        if !claimed.emails.claim(&valid.email) {
            problems.push(problem(
                "email",
                Some(valid.email.clone()),
                "this email, or one that looks like it, appears on an earlier line; each user needs their own".into(),
            ));
        } else if let Some(holder) = taken.emails.get(&normalize_key(&valid.email)) {
            match taken.existing.get(&holder.id) {
                Some(user) if options.upsert && actor.reaches(user.organization_id) => {
                    existing = Some(user);
                }
                // A scoped account is not told who, outside its organizations, has it.
                _ if actor.scope().is_some() => problems.push(problem(
                    "email",
                    Some(valid.email.clone()),
                    "another user already has this email; leave the row out or change the email".into(),
                )),
                _ => problems.push(problem(
                    "email",
                    Some(valid.email.clone()),
                    format!(
                        "{} already has this email; leave the row out, change the email, or import as an update of existing users",
                        holder.username
                    ),
                )),
            }
        } else if taken
            .email_lookalikes
            .contains(&lookalike_key(&valid.email))
        {
            problems.push(problem(
                "email",
                Some(valid.email.clone()),
                lookalike("email").message,
            ));
        }
        if let Some(before) = existing {
            if let Some(mine) = within
                && valid.organization.is_some()
                && let Err(e) = check_within(valid.organization.as_deref(), mine)
            {
                problems.push(problem(
                    "organization",
                    valid.organization.clone(),
                    e.message,
                ));
            }
            if password.is_some() {
                problems.push(problem(
                    "password",
                    None,
                    format!(
                        "{} exists; an import sets passwords of new users only (reset theirs in the user's details)",
                        before.username
                    ),
                ));
            }
            if let Some(name) = &valid.username
                && normalize_key(name) != normalize_key(&before.username)
            {
                problems.push(problem(
                    "username",
                    Some(name.clone()),
                    format!(
                        "this email belongs to {}; a username is changed in the user's details",
                        before.username
                    ),
                ));
            }
            claimed.usernames.claim(&before.username);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            let given_role = row
                .user
                .role
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty());
            let changes = RowChanges {
                line,
                role: given_role.then_some(role),
                status: row.user.status,
                groups: row.groups,
                // An empty cell leaves a value as it is.
                attributes: row
                    .user
                    .attributes
                    .iter()
                    .filter(|(_, value)| !value.trim().is_empty())
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
            };
            return self
                .update_row(actor, before, valid, changes, attributes, claimed)
                .await;
        }
        if let Some(mine) = within
            && let Err(e) = place_within(&mut valid.organization, mine)
        {
            problems.push(problem(
                "organization",
                valid.organization.clone(),
                e.message,
            ));
        }
        let username = match &valid.username {
            Some(name) => {
                if !claimed.usernames.claim(name) {
                    problems.push(problem(
                        "username",
                        Some(name.clone()),
                        "this username, or one that looks like it, appears on an earlier line; usernames must be unique".into(),
                    ));
                } else if taken.usernames.holds(name) {
                    problems.push(problem(
                        "username",
                        Some(name.clone()),
                        "another user already has this username, or one that looks like it; choose another".into(),
                    ));
                }
                name.clone()
            }
            None => {
                let base = validate::username_from_email(&valid.email);
                // Looked up once per batch; only a taken name costs more queries.
                let name = if taken.usernames.holds(&base) || claimed.usernames.holds(&base) {
                    self.free_username(&base, &claimed.usernames).await?
                } else {
                    base
                };
                claimed.usernames.claim(&name);
                name
            }
        };
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let now = self.clock.now();
        let status = row.user.status.unwrap_or(if options.activate {
            Status::Active
        } else {
            Status::Staged
        });
        let manager = valid.manager.clone();
        let mut record = self.new_record(actor, valid, status, username, now);
        match self
            .checked_values(
                attributes,
                record.organization.as_deref(),
                &row.user.attributes,
                Values::New,
                None,
            )
            .await
        {
            Ok(values) => record.attributes = values,
            Err(Error::Validation(fields)) => {
                return Ok(Err(fields
                    .into_iter()
                    .map(|f| {
                        let value = row.user.attributes.get(&f.field).cloned();
                        RowProblem::about_field(row.line, value, f)
                    })
                    .collect()));
            }
            Err(other) => return Err(other),
        }
        if let Some(name) = claimed.unique_values(attributes, &record.attributes) {
            let value = record.attributes.get(name).cloned();
            return Ok(Err(vec![problem(
                name,
                value,
                "this value, unique to each user, appears on an earlier line; each user needs their own".into(),
            )]));
        }
        if let Some(named) = manager {
            // A user an earlier row creates is not in the directory (nor is their email, or
            // that row would have been refused), so the directory is not asked.
            let looked_up = if claimed.created.holds_key(&named) {
                Err(None)
            } else {
                self.import_manager(actor, &named, None, claimed)
                    .await?
                    .map_err(Some)
            };
            match looked_up {
                Ok(Some(found)) => record.manager = Some(ManagerChoice::Existing(found)),
                Ok(None) => {}
                // Perhaps a new user of this file: the store links them when every row is
                // written, and the end of the file tells whether the file had them.
                Err(_) if named.contains('@') => {
                    claimed
                        .awaited_managers
                        .push((line, record.email.clone(), named.clone()));
                    record.manager = Some(ManagerChoice::InImport(named));
                }
                Err(message) => {
                    let message = message.unwrap_or_default();
                    return Ok(Err(vec![problem("manager", Some(named), message)]));
                }
            }
        }
        let mut credentials = None;
        if let Some(password) = &password {
            match self
                .new_password_hash(password, &record.username, &record.email)
                .await
            {
                Ok(hash) => {
                    record.password_changed_at = Some(now);
                    credentials = Some(Credentials {
                        password_hash: Some(hash),
                        ..Credentials::default()
                    });
                }
                Err(Error::Validation(fields)) => {
                    return Ok(Err(fields
                        .into_iter()
                        .map(|f| {
                            RowProblem::about_field(
                                row.line,
                                None,
                                FieldError {
                                    field: "password".into(),
                                    ..f
                                },
                            )
                        })
                        .collect()));
                }
                Err(other) => return Err(other),
            }
        }
        let organization_of_user = record.organization.as_deref();
        let groups = match self
            .row_groups(actor, line, &row.groups, organization_of_user, claimed)
            .await?
        {
            Ok(groups) => groups,
            Err(refused) => return Ok(Err(vec![refused])),
        };
        let created = provisional_user(&record);
        let mut changes = creation_changes(&created);
        if !row.groups.is_empty() {
            changes.push(FieldChange {
                field: "groups".into(),
                before: None,
                after: Some(row.groups.join(", ")),
            });
        }
        let mut audit =
            vec![self.record(actor, "user.create", AuditTarget::user(&created), changes)];
        let mut mail = Vec::new();
        if credentials.is_none() && status == Status::Staged {
            let (code, invited, message) = self.invitation(actor, &created, sender);
            audit.push(invited);
            mail.push(message);
            credentials = Some(code.credentials());
        }
        claimed.created.claim(&record.email);
        Ok(Ok(Checked::New(NewAccount {
            user: record,
            credentials,
            audit,
            mail,
            groups,
        })))
    }

    /// The manager a row names, as [`Roster::manager_named`] finds them (each name looked up
    /// once per import); `Err` with the row's problem.
    async fn import_manager(
        &self,
        actor: &Actor,
        named: &str,
        user: Option<&User>,
        claimed: &mut Claimed,
    ) -> Result<Result<Option<Manager>, String>, Error> {
        let key = normalize_key(named);
        // A user being updated has a chain of their own to check, so only new users'
        // managers are remembered.
        if user.is_none()
            && let Some(known) = claimed.managers.get(&key)
        {
            return Ok(known.clone());
        }
        let answer = match self.manager_named(actor, named, user).await {
            Ok(found) => Ok(found),
            Err(Error::Validation(fields)) => Err(fields
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join("; ")),
            Err(other) => return Err(other),
        };
        if user.is_none() {
            claimed.managers.insert(key, answer.clone());
        }
        Ok(answer)
    }

    /// The groups a row names, chosen with the checks the Groups screen applies: only an
    /// actor who may manage groups changes memberships; only groups within its
    /// organizations are seen (one outside is as missing as one that never was), the one
    /// in the user's own organization first; a missing group is created in the user's
    /// organization when the actor administers only some, else in none. `Err` is the
    /// problem of the row on `line`.
    async fn row_groups(
        &self,
        actor: &Actor,
        line: u64,
        names: &[String],
        organization: Option<&str>,
        claimed: &mut Claimed,
    ) -> Result<Result<Vec<GroupChoice>, RowProblem>, Error> {
        let refused = |message: String| RowProblem {
            line,
            column: Some("groups".into()),
            value: Some(names.join(", ")),
            message,
            message_id: None,
            args: None,
            ends_file: false,
        };
        Ok(self
            .choose_groups(actor, names, organization, claimed)
            .await?
            .map_err(refused))
    }

    async fn choose_groups(
        &self,
        actor: &Actor,
        names: &[String],
        organization: Option<&str>,
        claimed: &mut Claimed,
    ) -> Result<Result<Vec<GroupChoice>, String>, Error> {
        if names.is_empty() {
            return Ok(Ok(Vec::new()));
        }
        if let Err(refused) = actor.require(Permission::ManageGroups) {
            return Ok(Err(format!(
                "{refused}; leave the groups column out of the file"
            )));
        }
        let mut chosen = Vec::with_capacity(names.len());
        for name in names {
            let name = validate::clean(name);
            if let Err(Error::Validation(problems)) =
                super::groups::check_group_fields(&name, "", None)
            {
                let why: Vec<String> = problems.into_iter().map(|p| p.message).collect();
                return Ok(Err(format!("group '{name}': {}", why.join("; "))));
            }
            let key = normalize_key(&name);
            if !claimed.groups.contains_key(&key) {
                let found = self.repo.find_groups(&key).await?;
                claimed.groups.insert(key.clone(), found);
            }
            let same_organization = |g: &&&Group| {
                g.organization.as_deref().map(normalize_key) == organization.map(normalize_key)
            };
            let reachable: Vec<&Group> = claimed.groups[&key]
                .iter()
                .filter(|g| actor.reaches(g.organization_id))
                .collect();
            let existing = reachable
                .iter()
                .find(same_organization)
                .or_else(|| reachable.iter().find(|g| g.organization_id.is_none()))
                .or_else(|| reachable.first())
                .copied();
            chosen.push(match existing {
                Some(group) => GroupChoice::Existing(group.id),
                None if actor.scope().is_none() => GroupChoice::New {
                    name,
                    organization: None,
                },
                None => {
                    let Some(organization) = organization else {
                        return Ok(Err(format!(
                            "group '{name}' would be created for this user, who has no organization; name one of yours"
                        )));
                    };
                    let Some(id) = self.organization_id(organization, claimed).await? else {
                        return Ok(Err(format!(
                            "group '{name}': no organization named '{organization}'"
                        )));
                    };
                    GroupChoice::New {
                        name,
                        organization: Some(id),
                    }
                }
            });
        }
        Ok(Ok(chosen))
    }

    async fn organization_id(
        &self,
        name: &str,
        claimed: &mut Claimed,
    ) -> Result<Option<OrganizationId>, Error> {
        if claimed.organizations.is_none() {
            let names = self.repo.organization_names().await?;
            claimed.organizations = Some(
                names
                    .into_iter()
                    .map(|(id, name)| (normalize_key(&name), id))
                    .collect(),
            );
        }
        Ok(claimed
            .organizations
            .as_ref()
            .and_then(|known| known.get(&normalize_key(name)).copied()))
    }

    /// An existing user with what the row gives: the fields it fills (an empty cell leaves
    /// a value as it is), a status reached by an action the actor may take, the groups the
    /// user is not in yet. Unchanged when that is all as it was.
    async fn update_row(
        &self,
        actor: &Actor,
        before: &User,
        valid: validate::ValidNewUser,
        row: RowChanges,
        attributes: &[Attribute],
        claimed: &mut Claimed,
    ) -> Result<Result<Checked, Vec<RowProblem>>, Error> {
        let problem = |column: &str, value: Option<String>, message: String| RowProblem {
            line: row.line,
            column: Some(column.to_owned()),
            value,
            message,
            message_id: None,
            args: None,
            ends_file: false,
        };
        let mut problems = Vec::new();
        if let Some(why) = self.grant_refusal(actor, &before.role, claimed).await? {
            problems.push(problem(
                "email",
                Some(valid.email.clone()),
                format!("you may not change {}: {why}", before.username),
            ));
        }
        let mut after = before.clone();
        apply_patch(
            &mut after,
            UserPatch {
                first_name: Some(valid.first_name),
                last_name: Some(valid.last_name),
                phone: valid.phone,
                role: row.role,
                organization: valid.organization,
                team: valid.team,
                tags: (!valid.tags.is_empty()).then_some(valid.tags),
                profile: valid.profile,
                ..UserPatch::default()
            },
        );
        match self
            .apply_values(attributes, &mut after, &row.attributes)
            .await
        {
            Ok(()) => {
                if let Some(name) = claimed.unique_values(attributes, &after.attributes) {
                    problems.push(problem(
                        name,
                        after.attributes.get(name).cloned(),
                        "this value, unique to each user, appears on an earlier line; each user needs their own".into(),
                    ));
                }
            }
            Err(Error::Validation(fields)) => problems.extend(fields.into_iter().map(|f| {
                let value = row.attributes.get(&f.field).cloned();
                RowProblem::about_field(row.line, value, f)
            })),
            Err(other) => return Err(other),
        }
        if let Some(named) = valid.manager {
            match self.import_manager(actor, &named, Some(before), claimed).await? {
                Ok(found) => after.manager = found,
                Err(_) if claimed.created.holds(&named) => problems.push(problem(
                    "manager",
                    Some(named),
                    format!(
                        "this manager is new in this file, and {} exists already: import the file once more after this import lands to set their manager",
                        before.username
                    ),
                )),
                Err(message) => problems.push(problem("manager", Some(named), message)),
            }
        }
        if let Some(wanted) = row.status.filter(|s| *s != before.status) {
            let reachable = StatusAction::ALL.into_iter().any(|action| {
                action
                    .permission()
                    .is_some_and(|p| actor.require(p).is_ok())
                    && transition(before.status, action).ok() == Some(wanted)
            });
            if reachable {
                after.status = wanted;
            } else {
                problems.push(problem(
                    "status",
                    Some(wanted.as_str().to_owned()),
                    format!(
                        "{} is {}; an import cannot make them {} (use the actions in the user's details)",
                        before.username,
                        before.status.as_str(),
                        wanted.as_str()
                    ),
                ));
            }
        }
        if after.role != before.role
            && let Err(refused) = Self::check_not_own_role(actor, before, &after.role)
        {
            problems.push(problem(
                "role",
                Some(after.role.clone()),
                refused.to_string(),
            ));
        }
        match self.keep_an_owner(&[(before, Some(&after))]).await {
            Ok(()) => {}
            Err(Error::Forbidden(why)) => {
                problems.push(problem("role", Some(after.role.clone()), why));
            }
            Err(other) => return Err(other),
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let organization_of_user = after.organization.as_deref();
        let mut groups = match self
            .row_groups(actor, row.line, &row.groups, organization_of_user, claimed)
            .await?
        {
            Ok(groups) => groups,
            Err(refused) => return Ok(Err(vec![refused])),
        };
        let mut joined = Vec::new();
        if !groups.is_empty() {
            let current: HashSet<GroupId> = self
                .repo
                .groups_of(before.id)
                .await?
                .iter()
                .map(|g| g.id)
                .collect();
            let mut names = row.groups.iter();
            groups.retain(|choice| {
                let name = names.next();
                let new = !matches!(choice, GroupChoice::Existing(id) if current.contains(id));
                if new {
                    joined.extend(name.cloned());
                }
                new
            });
        }
        let mut changes = user_changes(before, &after);
        if !joined.is_empty() {
            changes.push(FieldChange {
                field: "groups".into(),
                before: None,
                after: Some(joined.join(", ")),
            });
        }
        if changes.is_empty() {
            return Ok(Ok(Checked::Unchanged));
        }
        after.modified_at = self.clock.now();
        let audit = self.record(actor, "user.update", AuditTarget::user(before), changes);
        Ok(Ok(Checked::Update(
            UserUpdate {
                id: after.id,
                at: after.modified_at,
                user: Some(after),
                groups,
                actor: actor.name.clone(),
            },
            audit,
        )))
    }
}

/// The audit entry for an import as a whole: its action and what it counted.
pub(super) struct JobEntry<'a> {
    pub action: &'a str,
    pub counts: &'a [(&'a str, u64)],
    /// What to say about a file without a single row.
    pub nothing: &'a str,
}

/// The error of an import its admin stopped, once what it wrote is rolled back.
async fn cancelled(writer: Option<Box<dyn ImportWriter>>) -> Error {
    if let Some(writer) = writer {
        // A failed rollback leaves the transaction to roll back as the connection goes.
        let _ = writer.roll_back().await;
    }
    Error::Cancelled("The import was cancelled; nothing was written.".into())
}

/// A refused write of an import. Nothing of it landed: the transaction rolls back.
fn import_write_error(error: StoreError) -> Error {
    match error {
        // Another workstation took an email or username after the check.
        StoreError::Duplicate { field, .. } | StoreError::Lookalike { field, .. } => Error::Conflict(FieldError::new(
            field,
            format!(
                "a {field} in the file was taken by someone else during the import; nothing was imported, run it again"
            ),
        )),
        StoreError::Stale => Error::VersionConflict(
            "a user in the file was changed by someone else during the import; nothing was imported, run it again".into(),
        ),
        other => other.into(),
    }
}

/// What a row of an upsert asks of an existing user besides the validated fields.
struct RowChanges {
    line: u64,
    /// The role, when the row names one.
    role: Option<String>,
    status: Option<Status>,
    groups: Vec<String>,
    /// The attribute values the row gives (its empty cells left out).
    attributes: Attributes,
}

/// The value a row gave for a field, for the error report.
fn value_of(user: &NewUser, field: &str) -> Option<String> {
    let value = match field {
        "email" => Some(user.email.clone()),
        "first_name" => Some(user.first_name.clone()),
        "last_name" => Some(user.last_name.clone()),
        "username" => user.username.clone(),
        "phone" => user.phone.clone(),
        "role" => user.role.clone(),
        "organization" => user.organization.clone(),
        "team" => user.team.clone(),
        "identity_provider" => user.identity_provider.clone(),
        "manager" => user.manager.clone(),
        tags if tags.starts_with("tags") => Some(user.tags.join(", ")),
        other => UserField::profile()
            .find(|f| f.name() == other)
            .and_then(|f| user.profile.get(&f).cloned())
            .or_else(|| user.attributes.get(other).cloned()),
    };
    value.filter(|v| !v.is_empty())
}
