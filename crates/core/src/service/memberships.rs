//! Group memberships to and from a spreadsheet: one row per membership, a group by name and
//! a member by username or email. Imported memberships are added (groups created when
//! missing) in one transaction, with an audit entry per membership and one for the job.

use super::export::Sink;
use super::import::JobEntry;
use super::users::KeySet;
use super::*;
use crate::account::GroupChoice;
use crate::import::{
    ImportOptions, ImportProgress, ImportReport, MAX_REPORTED_PROBLEMS, Membership, MembershipRow,
    RowProblem,
};
use crate::repository::{ImportWriter, UserUpdate};
use std::collections::{HashMap, HashSet};

/// Rows resolved against the directory with one query.
const BATCH: usize = 500;

impl Roster {
    /// Adds the memberships the rows name. With `dry_run` nothing is written; otherwise all
    /// of them land, or none when a row has a problem (unless `skip_invalid`). Rows whose
    /// user is in the group already count as unchanged.
    pub async fn import_memberships<I>(
        &self,
        actor: &Actor,
        rows: I,
        options: &ImportOptions,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<ImportReport, Error>
    where
        I: IntoIterator<Item = Result<MembershipRow, RowProblem>> + Send,
        I::IntoIter: Send,
    {
        super::Transfer::ImportMemberships.check(actor)?;
        let importer = Actor {
            origin: Origin::Import,
            ..actor.clone()
        };
        let mut report = ImportReport::default();
        let mut seen = KeySet::default();
        let mut groups: HashMap<String, Option<GroupId>> = HashMap::new();
        let mut writer: Option<Box<dyn ImportWriter>> = None;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<_> = rows.by_ref().take(BATCH).collect();
            super::import::check_readable(&batch)?;
            report.rows += batch.len() as u64;
            let (valid, problems) = self.resolve_members(batch).await?;
            report.invalid += problems.len() as u64;
            let room = MAX_REPORTED_PROBLEMS.saturating_sub(report.problems.len());
            report.problems.extend(problems.into_iter().take(room));
            let mut wanted: Vec<(MembershipRow, User)> = Vec::new();
            for (row, user) in valid {
                let group_key = normalize_key(&row.group);
                if !seen.insert(&format!("{group_key}\u{0}{}", user.id.0)) {
                    report.unchanged += 1;
                    continue;
                }
                if !groups.contains_key(&group_key) {
                    let found = self.repo.find_groups(&group_key).await?;
                    groups.insert(group_key.clone(), found.first().map(|g| g.id));
                }
                wanted.push((row, user));
            }
            let mut updates = Vec::new();
            let mut audit = Vec::new();
            let now = self.clock.now();
            for (group_key, members) in by_group(wanted) {
                let found = groups.get(&group_key).copied().flatten();
                let already = match found {
                    Some(group) => {
                        let ids: Vec<UserId> = members.iter().map(|(_, u)| u.id).collect();
                        self.repo.members_among(group, &ids).await?
                    }
                    None => Vec::new(),
                };
                for (row, user) in members {
                    if already.contains(&user.id) {
                        report.unchanged += 1;
                        continue;
                    }
                    let change = FieldChange {
                        field: "group".into(),
                        before: None,
                        after: Some(row.group.clone()),
                    };
                    audit.push(self.record(
                        &importer,
                        "group.add_member",
                        AuditTarget::user(&user),
                        vec![change],
                    ));
                    // The file is the whole directory's (see above): a missing group is
                    // created in no organization.
                    let group = found.map_or_else(
                        || GroupChoice::New {
                            name: row.group.clone(),
                            organization: None,
                        },
                        GroupChoice::Existing,
                    );
                    updates.push(UserUpdate {
                        id: user.id,
                        user: None,
                        groups: vec![group],
                        actor: importer.name.clone(),
                        at: now,
                    });
                }
            }
            report.created += updates.len() as u64;
            let refused = report.invalid > 0 && !options.skip_invalid;
            let batch = super::import::CheckedBatch {
                accounts: Vec::new(),
                updates,
                audit,
            };
            self.write_batch(&mut writer, refused, options, batch)
                .await?;
            progress(ImportProgress::Checking { rows: report.rows });
        }
        let counts = [
            ("rows", report.rows),
            ("added", report.created),
            ("unchanged", report.unchanged),
            ("skipped", report.invalid),
        ];
        self.finish_import(
            &importer,
            JobEntry {
                action: "import.memberships",
                counts: &counts,
                nothing: "the file has a header but no memberships; add a row per member",
            },
            writer,
            report,
            options,
            progress,
        )
        .await
    }

    /// Each row's member found by username or email (one query for the batch), or what is
    /// wrong with the row.
    async fn resolve_members(
        &self,
        batch: Vec<Result<MembershipRow, RowProblem>>,
    ) -> Result<(Vec<(MembershipRow, User)>, Vec<RowProblem>), Error> {
        let mut problems = Vec::new();
        let mut rows = Vec::with_capacity(batch.len());
        for row in batch {
            match row {
                Err(problem) => problems.push(problem),
                Ok(row) => {
                    let problem = |column: &str, value: &str, message: &str| RowProblem {
                        line: row.line,
                        column: Some(column.to_owned()),
                        value: (!value.is_empty()).then(|| value.to_owned()),
                        message: message.to_owned(),
                        message_id: None,
                        args: None,
                        ends_file: false,
                    };
                    if row.group.trim().is_empty() {
                        problems.push(problem("group", "", "name the group"));
                    } else if row.member.trim().is_empty() {
                        problems.push(problem(
                            "member",
                            "",
                            "name the member by username or email",
                        ));
                    } else {
                        rows.push(MembershipRow {
                            group: row.group.trim().to_owned(),
                            member: row.member.trim().to_owned(),
                            ..row
                        });
                    }
                }
            }
        }
        let keys: Vec<String> = rows.iter().map(|r| normalize_key(&r.member)).collect();
        let members: Vec<String> = rows.iter().map(|r| r.member.clone()).collect();
        let mut ids = HashMap::new();
        for key in self.repo.taken_keys(&members, &members).await? {
            ids.insert(key.username_key, key.id);
            ids.insert(key.email_key, key.id);
        }
        let query = UserQuery::of_ids(
            ids.values()
                .copied()
                .collect::<HashSet<_>>()
                .into_iter()
                .collect(),
        );
        let users: HashMap<UserId, User> = if query.ids.is_empty() {
            HashMap::new()
        } else {
            let users = self.repo.list_users(&query).await?;
            users.into_iter().map(|u| (u.id, u)).collect()
        };
        let mut valid = Vec::with_capacity(rows.len());
        for (row, key) in rows.into_iter().zip(keys) {
            match ids.get(&key).and_then(|id| users.get(id)) {
                Some(user) => valid.push((row, user.clone())),
                None => problems.push(RowProblem {
                    line: row.line,
                    column: Some("member".into()),
                    value: Some(row.member),
                    message: "no user has this username or email".into(),
                    message_id: None,
                    args: None,
                    ends_file: false,
                }),
            }
        }
        problems.sort_by_key(|p| p.line);
        Ok((valid, problems))
    }

    /// Every membership, group by group, each handed to `write` as it is read. Returns how
    /// many were written.
    pub async fn export_memberships(
        &self,
        actor: &Actor,
        write: &mut (dyn FnMut(&Membership) -> Result<(), String> + Send),
    ) -> Result<u64, Error> {
        super::Transfer::ExportMemberships.check(actor)?;
        let mut sink = Sink::new(write);
        let result = self
            .repo
            .each_membership(&mut |membership| sink.take(&membership))
            .await;
        sink.finish(result)
    }
}

/// The rows grouped by group key, in the order each group first appears.
fn by_group(rows: Vec<(MembershipRow, User)>) -> Vec<(String, Vec<(MembershipRow, User)>)> {
    let mut groups: Vec<(String, Vec<(MembershipRow, User)>)> = Vec::new();
    for (row, user) in rows {
        let key = normalize_key(&row.group);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push((row, user)),
            None => groups.push((key, vec![(row, user)])),
        }
    }
    groups
}
