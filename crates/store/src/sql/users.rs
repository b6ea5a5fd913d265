//! Users: their rows, tags, organizations and teams, and the list query.

use super::named::NamedRecords;
use super::{
    Bind, Cells, accounts, attributes, audit, devices, execute, fetch_all, fetch_ints, fetch_map,
    fetch_one, fetch_optional, groups, insert_rows, millis, plain, push_within, sql,
};
use crate::dialect::{Dialect, LIST_SEPARATOR, Value, backend, write_error};
use roster_core::{
    AccountChange, AttributeKind, Count, DeviceCount, DeviceHandover, GroupChoice, GroupId,
    MAX_DEPARTMENTS, MAX_REPORTING_CHAIN, Manager, ManagerChoice, NewAccount, OWNER_ROLE,
    OrganizationId, OutgoingMail, Profile, SortDirection, SortField, Status, StoreError, TakenKey,
    TeamFilter, TwoFactorState, User, UserField, UserId, UserQuery, UserRef, UserUpdate,
    is_attribute_name, lookalike_key, normalize_key,
};
use sqlx::QueryBuilder;
use std::collections::{BTreeSet, HashMap};

/// The user columns, with `extra` columns after them. The manager's name and email, and
/// the user's attribute values, are looked up by their id, for the page's rows only.
fn user_fields<DB: Dialect>(extra: &str) -> String {
    let profile: String = UserField::profile()
        .map(|field| format!(", users.{}", field.name()))
        .collect();
    let manager = |column: &str| {
        format!(
            ", (SELECT managers.{column} FROM users managers \
             WHERE managers.id = users.manager_id) AS manager_{column}"
        )
    };
    format!(
        "SELECT users.id, users.username, users.email, users.first_name, \
         users.last_name, users.phone, users.organization_name AS organization, \
         users.team_name AS team, users.role, users.identity_provider, users.status, \
         users.two_factor, users.group_count, users.device_count, \
         users.created_at, users.modified_at, users.last_sign_in_at, users.password_changed_at, \
         users.created_by, users.version, users.organization_id{profile}, users.manager_id\
         {}{}{}, {} AS attribute_list{extra}",
        manager("first_name"),
        manager("last_name"),
        manager("email"),
        DB::attribute_list("users.id"),
    )
}

/// The user columns, with `extra` columns after them, from `users`.
fn user_select<DB: Dialect>(extra: &str) -> String {
    format!("{} FROM users", user_fields::<DB>(extra))
}

fn user_from_row<DB: Dialect>(row: &DB::Row) -> Result<User, StoreError> {
    let cells = Cells::<DB>(row);
    let mut profile = Profile::new();
    for field in UserField::profile() {
        if let Some(value) = cells.opt_text(field.name())? {
            profile.insert(field, value);
        }
    }
    let manager = match cells.opt_int("manager_id")? {
        Some(id) => Some(Manager {
            id: UserId(id),
            name: format!(
                "{} {}",
                cells.text("manager_first_name")?,
                cells.text("manager_last_name")?
            ),
            email: cells.text("manager_email")?,
        }),
        None => None,
    };
    Ok(User {
        id: UserId(cells.int("id")?),
        username: cells.text("username")?,
        email: cells.text("email")?,
        first_name: cells.text("first_name")?,
        last_name: cells.text("last_name")?,
        phone: cells.opt_text("phone")?,
        organization: cells.opt_text("organization")?,
        organization_id: cells.opt_int("organization_id")?.map(OrganizationId),
        team: cells.opt_text("team")?,
        tags: Vec::new(),
        role: cells.text("role")?,
        identity_provider: cells.text("identity_provider")?,
        status: cells.text("status")?.parse().map_err(StoreError::Backend)?,
        profile,
        manager,
        attributes: attributes::parse_list(cells.opt_text("attribute_list")?),
        two_factor: cells
            .text("two_factor")?
            .parse()
            .map_err(StoreError::Backend)?,
        group_count: cells.int("group_count")?,
        device_count: cells.int("device_count")?,
        created_at: cells.time("created_at")?,
        modified_at: cells.time("modified_at")?,
        last_sign_in_at: cells.opt_time("last_sign_in_at")?,
        password_changed_at: cells.opt_time("password_changed_at")?,
        created_by: cells.text("created_by")?,
        version: cells.int("version")?,
    })
}

/// Fills in the tags of the given users with one query.
async fn load_tags<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &mut [User],
) -> Result<(), StoreError> {
    let ids: Vec<i64> = users.iter().map(|u| u.id.0).collect();
    let mut tags = tags_of::<DB>(conn, &ids).await?;
    for user in users {
        user.tags = tags.remove(&user.id.0).unwrap_or_default();
    }
    Ok(())
}

pub(super) async fn fetch_user<DB: Dialect>(
    conn: &mut DB::Connection,
    user: &UserRef,
) -> Result<Option<User>, StoreError> {
    let mut qb = sql::<DB>(&user_select::<DB>(""));
    match user {
        UserRef::Id(id) => qb.push(" WHERE users.id = ").bind(id.0),
        UserRef::Username(name) => qb
            .push(" WHERE users.username_key = ")
            .bind(normalize_key(name)),
        UserRef::Email(email) => qb
            .push(" WHERE users.email_key = ")
            .bind(normalize_key(email)),
    };
    let Some(row) = fetch_optional(&mut *conn, qb).await? else {
        return Ok(None);
    };
    let mut users = vec![user_from_row::<DB>(&row)?];
    load_tags::<DB>(conn, &mut users).await?;
    Ok(users.pop())
}

pub(super) async fn username_taken<DB: Dialect>(
    conn: &mut DB::Connection,
    username: &str,
) -> Result<bool, StoreError> {
    let mut qb = sql::<DB>("SELECT id FROM users WHERE username_key = ");
    qb.bind(normalize_key(username))
        .push(" OR username_lookalike = ")
        .bind(lookalike_key(username));
    Ok(fetch_optional(conn, qb).await?.is_some())
}

const TAG_INSERT: &str = "user_tags (user_id, tag_key, tag, position)";

async fn write_tags<DB: Dialect>(
    conn: &mut DB::Connection,
    user: i64,
    tags: &[String],
) -> Result<(), StoreError> {
    let mut delete = sql::<DB>("DELETE FROM user_tags WHERE user_id = ");
    delete.bind(user);
    execute(&mut *conn, delete).await?;
    let rows = tags
        .iter()
        .enumerate()
        .map(|(position, tag)| {
            vec![
                user.into(),
                normalize_key(tag).into(),
                tag.into(),
                Value::Int(position as i64),
            ]
        })
        .collect();
    insert_rows::<DB>(conn, TAG_INSERT, rows, plain::<DB>)
        .await
        .map_err(backend)
}

/// Users inserted per round: each statement of a round carries all of them at once.
const INSERT_BATCH: usize = 500;

/// The columns of an inserted user: [`USER_INSERT_START`], each profile field's, and the
/// manager's id.
fn user_insert() -> String {
    let profile: String = UserField::profile()
        .map(|field| format!("{}, ", field.name()))
        .collect();
    format!("{USER_INSERT_START}, {profile}manager_id)")
}

const USER_INSERT_START: &str = "users (username, username_key, username_lookalike, email, \
    email_key, email_lookalike, first_name, last_name, phone, organization_id, \
    organization_name, team_id, team_name, role, identity_provider, status, two_factor, \
    created_at, modified_at, created_by, password_changed_at, version";

/// The profile columns of a user, in [`UserField::profile`]'s order, as written.
fn profile_values(profile: &Profile) -> impl Iterator<Item = Value> + '_ {
    UserField::profile().map(|field| profile.get(&field).cloned().into())
}

/// New users whose manager the same import creates, linked once every row is written
/// ([`link_managers`]): only to a user this write created, never to one found by email
/// elsewhere in the directory (another organization's, out of the importer's reach).
#[derive(Default)]
pub(super) struct ManagerLinks {
    /// A new user's id and their manager's email.
    awaiting: Vec<(i64, String)>,
    /// The users this write created: the hash of their email key, and their id. Hashes,
    /// sorted when linking, keep a million-row import's memory to 16 MB here.
    created: Vec<(u64, i64)>,
}

/// The hash [`ManagerLinks::created`] finds an email by.
fn email_hash(email: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    normalize_key(email).hash(&mut hasher);
    hasher.finish()
}

/// Inserts the accounts (users, tags, first secrets, audit records, messages, group
/// memberships) in rounds of [`INSERT_BATCH`], a few multi-row statements each; returns
/// the new ids in order. The groups given members are added to `touched`, for the
/// transaction to recount them ([`groups::recount_members`]) before it commits.
pub(super) async fn insert_users<DB: Dialect>(
    conn: &mut DB::Connection,
    mut accounts: Vec<NewAccount>,
    touched: &mut BTreeSet<i64>,
    links: &mut ManagerLinks,
) -> Result<Vec<UserId>, StoreError> {
    let user_insert = user_insert();
    // Batches name the same few organizations, teams and groups over and over.
    let mut named = NamedRecords::default();
    let mut groups = GroupsByName::default();
    let mut ids = Vec::with_capacity(accounts.len());
    while !accounts.is_empty() {
        let batch: Vec<NewAccount> = accounts.drain(..accounts.len().min(INSERT_BATCH)).collect();
        refuse_taken::<DB>(&mut *conn, &batch, ids.len()).await?;
        let mut rows = Vec::with_capacity(batch.len());
        for account in &batch {
            let user = &account.user;
            let now = millis(user.created_at);
            let org = named
                .get::<DB>(&mut *conn, "organizations", &user.organization, now)
                .await?;
            let team = named
                .get::<DB>(&mut *conn, "teams", &user.team, now)
                .await?;
            let mut row = vec![
                user.username.clone().into(),
                normalize_key(&user.username).into(),
                lookalike_key(&user.username).into(),
                user.email.clone().into(),
                normalize_key(&user.email).into(),
                lookalike_key(&user.email).into(),
                user.first_name.clone().into(),
                user.last_name.clone().into(),
                user.phone.clone().into(),
                org.as_ref().map(|org| org.id).into(),
                org.map(|org| org.name).into(),
                team.as_ref().map(|team| team.id).into(),
                team.map(|team| team.name).into(),
                user.role.clone().into(),
                user.identity_provider.clone().into(),
                user.status.as_str().into(),
                user.two_factor.as_str().into(),
                now.into(),
                now.into(),
                user.created_by.clone().into(),
                user.password_changed_at.map(millis).into(),
                Value::Int(1),
            ];
            row.extend(profile_values(&user.profile));
            row.push(
                match &user.manager {
                    Some(ManagerChoice::Existing(manager)) => Some(manager.id.0),
                    _ => None,
                }
                .into(),
            );
            rows.push(row);
        }
        insert_rows::<DB>(&mut *conn, &user_insert, rows, plain::<DB>)
            .await
            .map_err(|e| write_error::<DB>(e, "role", ids.len()))?;
        let mut counts = StateCounts::default();
        for account in &batch {
            counts.add(account.user.status, account.user.two_factor, 1);
        }
        counts.write::<DB>(&mut *conn).await?;
        let batch_ids = new_ids::<DB>(&mut *conn, &batch).await?;
        let mut tags = Vec::new();
        let mut secrets = Vec::new();
        let mut audit = Vec::new();
        let mut mail = Vec::new();
        let mut members = Vec::new();
        let mut values = Vec::new();
        for (mut account, id) in batch.into_iter().zip(&batch_ids) {
            values.push((*id, std::mem::take(&mut account.user.attributes)));
            links.created.push((email_hash(&account.user.email), *id));
            if let Some(ManagerChoice::InImport(email)) = &account.user.manager {
                links.awaiting.push((*id, email.clone()));
            }
            for (position, tag) in account.user.tags.iter().enumerate() {
                tags.push(vec![
                    (*id).into(),
                    normalize_key(tag).into(),
                    tag.into(),
                    Value::Int(position as i64),
                ]);
            }
            if let Some(credentials) = &account.credentials {
                secrets.push(accounts::credential_values(UserId(*id), credentials));
            }
            for mut record in account.audit {
                record.target.id = *id;
                audit.push(record);
            }
            mail.extend(account.mail.into_iter().map(|message| OutgoingMail {
                user: Some(UserId(*id)),
                ..message
            }));
            for choice in &account.groups {
                let group = groups
                    .id::<DB>(
                        &mut *conn,
                        choice,
                        &account.user.created_by,
                        account.user.created_at,
                    )
                    .await?;
                touched.insert(group.0);
                members.push(vec![
                    group.0.into(),
                    (*id).into(),
                    millis(account.user.created_at).into(),
                ]);
            }
        }
        insert_rows::<DB>(&mut *conn, TAG_INSERT, tags, plain::<DB>)
            .await
            .map_err(backend)?;
        let values: Vec<_> = values.iter().map(|(id, v)| (*id, v)).collect();
        attributes::write_values::<DB>(&mut *conn, &values, false).await?;
        insert_rows::<DB>(
            &mut *conn,
            accounts::CREDENTIAL_INSERT,
            secrets,
            plain::<DB>,
        )
        .await
        .map_err(backend)?;
        audit::write_all::<DB>(&mut *conn, &audit).await?;
        accounts::write_mails::<DB>(&mut *conn, &mail).await?;
        let joined = !members.is_empty();
        insert_rows::<DB>(
            &mut *conn,
            groups::MEMBER_INSERT,
            members,
            groups::ignore_member_duplicates::<DB>,
        )
        .await
        .map_err(|e| write_error::<DB>(e, "group", 0))?;
        if joined {
            groups::recount_groups::<DB>(&mut *conn, &batch_ids).await?;
        }
        ids.extend(batch_ids.into_iter().map(UserId));
    }
    Ok(ids)
}

/// Groups found, or created, by name: each name looked up once per write.
#[derive(Default)]
struct GroupsByName(HashMap<GroupChoice, GroupId>);

impl GroupsByName {
    async fn id<DB: Dialect>(
        &mut self,
        conn: &mut DB::Connection,
        choice: &GroupChoice,
        created_by: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<GroupId, StoreError> {
        let (name, organization) = match choice {
            GroupChoice::Existing(id) => return Ok(*id),
            GroupChoice::New { name, organization } => (name, *organization),
        };
        if let Some(group) = self.0.get(choice) {
            return Ok(*group);
        }
        let group = groups::group_named::<DB>(conn, name, organization, created_by, at).await?;
        self.0.insert(choice.clone(), group);
        Ok(group)
    }
}

/// Puts existing users in the groups named with them (created when missing), with one
/// insert for the batch; memberships they have already stay as they are. The groups are
/// added to `touched`, as [`insert_users`] does.
pub(super) async fn join_groups<DB: Dialect>(
    conn: &mut DB::Connection,
    updates: &[UserUpdate],
    touched: &mut BTreeSet<i64>,
) -> Result<(), StoreError> {
    let mut groups = GroupsByName::default();
    let mut members = Vec::new();
    for update in updates {
        for choice in &update.groups {
            let group = groups
                .id::<DB>(&mut *conn, choice, &update.actor, update.at)
                .await?;
            touched.insert(group.0);
            members.push(vec![
                group.0.into(),
                update.id.0.into(),
                millis(update.at).into(),
            ]);
        }
    }
    insert_rows::<DB>(
        &mut *conn,
        groups::MEMBER_INSERT,
        members,
        groups::ignore_member_duplicates::<DB>,
    )
    .await
    .map_err(|e| write_error::<DB>(e, "group", 0))?;
    let joined: Vec<i64> = updates
        .iter()
        .filter(|update| !update.groups.is_empty())
        .map(|update| update.id.0)
        .collect();
    groups::recount_groups::<DB>(conn, &joined).await
}

/// The users holding any of the emails or usernames, or names that look like them.
pub(super) async fn taken_keys<DB: Dialect>(
    conn: &mut DB::Connection,
    emails: &[String],
    usernames: &[String],
) -> Result<Vec<TakenKey>, StoreError> {
    let keyed = |names: &[String], key: fn(&str) -> String| -> Vec<String> {
        names.iter().map(|name| key(name)).collect()
    };
    let terms = [
        ("email_key", keyed(emails, normalize_key)),
        ("email_lookalike", keyed(emails, lookalike_key)),
        ("username_key", keyed(usernames, normalize_key)),
        ("username_lookalike", keyed(usernames, lookalike_key)),
    ];
    let terms: Vec<_> = terms.iter().filter(|(_, keys)| !keys.is_empty()).collect();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    // Only indexed terms joined by OR: one constant term (`1 = 0 OR …`) makes SQLite scan
    // the whole table instead of seeking each index, once per batch of an import.
    let mut qb = sql::<DB>(
        "SELECT id, email_key, username_key, email_lookalike, username_lookalike, username \
         FROM users WHERE ",
    );
    for (n, (column, keys)) in terms.into_iter().enumerate() {
        if n > 0 {
            qb.push(" OR ");
        }
        qb.push(format!("{column} IN ("))
            .bind_list(keys.iter().cloned())
            .push(")");
    }
    fetch_map(conn, qb, |row| {
        Ok(TakenKey {
            id: UserId(row.int("id")?),
            email_key: row.text("email_key")?,
            username_key: row.text("username_key")?,
            email_lookalike: row.text("email_lookalike")?,
            username_lookalike: row.text("username_lookalike")?,
            username: row.text("username")?,
        })
    })
    .await
}

/// Why `taken` (from [`taken_keys`]) refuses this email or username to anyone but the
/// user `own`: the field, and whether another has the name itself or one like it.
fn refusal(
    taken: &[TakenKey],
    own: Option<UserId>,
    email: Option<&str>,
    username: Option<&str>,
    index: usize,
) -> Option<StoreError> {
    let others = || taken.iter().filter(move |t| Some(t.id) != own);
    let held = |name: Option<&str>, key: fn(&str) -> String, of: fn(&TakenKey) -> &String| {
        name.is_some_and(|name| {
            let key = key(name);
            others().any(|t| *of(t) == key)
        })
    };
    if held(email, normalize_key, |t| &t.email_key) {
        Some(StoreError::Duplicate {
            field: "email",
            index,
        })
    } else if held(username, normalize_key, |t| &t.username_key) {
        Some(StoreError::Duplicate {
            field: "username",
            index,
        })
    } else if held(email, lookalike_key, |t| &t.email_lookalike) {
        Some(StoreError::Lookalike {
            field: "email",
            index,
        })
    } else if held(username, lookalike_key, |t| &t.username_lookalike) {
        Some(StoreError::Lookalike {
            field: "username",
            index,
        })
    } else {
        None
    }
}

/// Refuses a batch whose emails or usernames are taken (case- and form-insensitively) or
/// look like taken ones, naming the first such user by its position among all accounts,
/// before anything of the batch is written.
async fn refuse_taken<DB: Dialect>(
    conn: &mut DB::Connection,
    batch: &[NewAccount],
    offset: usize,
) -> Result<(), StoreError> {
    let emails: Vec<String> = batch.iter().map(|a| a.user.email.clone()).collect();
    let usernames: Vec<String> = batch.iter().map(|a| a.user.username.clone()).collect();
    claim_names::<DB>(conn, &emails, &usernames).await?;
    let taken = taken_keys::<DB>(conn, &emails, &usernames).await?;
    for (index, (email, username)) in emails.iter().zip(&usernames).enumerate() {
        if let Some(refused) = refusal(&taken, None, Some(email), Some(username), offset + index) {
            return Err(refused);
        }
    }
    Ok(())
}

/// Where writers run side by side, holds the names' lookalike keys until the transaction
/// ends, so the check that follows sees any other writer's lookalike committed: a writer
/// giving a name that looks like one another is giving waits for that one to finish.
/// The rows of `name_claims` are locks, kept by key hash (keys can be long), in one order.
async fn claim_names<DB: Dialect>(
    conn: &mut DB::Connection,
    emails: &[String],
    usernames: &[String],
) -> Result<(), StoreError> {
    use sha2::{Digest, Sha256};
    if DB::WRITERS_TAKE_TURNS {
        return Ok(());
    }
    let claim = |field: &str, name: &String| -> Vec<u8> {
        let mut hasher = Sha256::new();
        hasher.update(field.as_bytes());
        hasher.update([0]);
        hasher.update(lookalike_key(name).as_bytes());
        hasher.finalize().to_vec()
    };
    let hashes: BTreeSet<Vec<u8>> = emails
        .iter()
        .map(|email| claim("email", email))
        .chain(usernames.iter().map(|username| claim("username", username)))
        .collect();
    for chunk in hashes
        .into_iter()
        .collect::<Vec<_>>()
        .chunks(super::MAX_BINDS)
    {
        let mut insert = sql::<DB>("INSERT INTO name_claims (name_hash) VALUES ");
        for (i, hash) in chunk.iter().enumerate() {
            if i > 0 {
                insert.push(", ");
            }
            insert.push("(").bind(Some(hash.clone())).push(")");
        }
        DB::lock_claimed(&mut insert);
        execute(&mut *conn, insert).await?;
    }
    Ok(())
}

/// A user whose email or username (either `None` when unchanged) is written anew.
struct Renamed<'a> {
    id: UserId,
    email: Option<&'a str>,
    username: Option<&'a str>,
}

impl<'a> Renamed<'a> {
    /// What of the user's names is written anew, if any.
    fn of(user: &'a User, before: &User) -> Option<Renamed<'a>> {
        let changed = |now: &'a str, was: &str| {
            (normalize_key(now) != normalize_key(was) || lookalike_key(now) != lookalike_key(was))
                .then_some(now)
        };
        let email = changed(&user.email, &before.email);
        let username = changed(&user.username, &before.username);
        (email.is_some() || username.is_some()).then_some(Renamed {
            id: user.id,
            email,
            username,
        })
    }
}

/// Refuses renamed users whose new email or username another user has, or one that looks
/// like it. Unique indexes guard the names themselves; only this guards their lookalikes
/// (see migrations/sqlite/0009).
async fn refuse_taken_renames<DB: Dialect>(
    conn: &mut DB::Connection,
    renamed: &[Renamed<'_>],
) -> Result<(), StoreError> {
    if renamed.is_empty() {
        return Ok(());
    }
    let emails: Vec<String> = renamed
        .iter()
        .filter_map(|r| r.email)
        .map(str::to_owned)
        .collect();
    let usernames: Vec<String> = renamed
        .iter()
        .filter_map(|r| r.username)
        .map(str::to_owned)
        .collect();
    claim_names::<DB>(conn, &emails, &usernames).await?;
    let taken = taken_keys::<DB>(conn, &emails, &usernames).await?;
    for user in renamed {
        if let Some(refused) = refusal(&taken, Some(user.id), user.email, user.username, 0) {
            return Err(refused);
        }
    }
    Ok(())
}

/// Fills in the lookalike keys of users written before Roster kept them (migration
/// 0009), a batch per transaction; a directory that has them all costs one indexed read.
pub(crate) async fn fill_lookalikes<DB: Dialect>(pool: &sqlx::Pool<DB>) -> Result<(), StoreError> {
    const BATCH: i64 = 1_000;
    const UNFILLED: &str = "SELECT id, username, email FROM users \
        WHERE username_lookalike IS NULL OR email_lookalike IS NULL ORDER BY id LIMIT ";
    // Looked at without a write transaction first: opening must not wait for another
    // writer (SQLite's one writer, a long import's rows) when, as almost always, there is
    // nothing to do.
    let mut conn = pool.acquire().await.map_err(backend)?;
    let mut qb = sql::<DB>(UNFILLED);
    qb.bind(1i64);
    let any = fetch_optional(&mut *conn, qb).await?.is_some();
    drop(conn);
    if !any {
        return Ok(());
    }
    loop {
        let mut tx = DB::begin_write(pool).await.map_err(backend)?;
        let mut qb = sql::<DB>(UNFILLED);
        qb.bind(BATCH);
        let rows = fetch_map(&mut *tx, qb, |row| {
            Ok((row.int("id")?, row.text("username")?, row.text("email")?))
        })
        .await?;
        if rows.is_empty() {
            // Ended here, not by dropping it, so what it holds is let go at once.
            return tx.rollback().await.map_err(backend);
        }
        let mut update = sql::<DB>("UPDATE users SET username_lookalike = CASE id");
        for (id, username, _) in &rows {
            update
                .push(" WHEN ")
                .bind(*id)
                .push(" THEN ")
                .bind(lookalike_key(username));
        }
        update.push(" END, email_lookalike = CASE id");
        for (id, _, email) in &rows {
            update
                .push(" WHEN ")
                .bind(*id)
                .push(" THEN ")
                .bind(lookalike_key(email));
        }
        update.push(" END WHERE id IN (");
        update
            .bind_list(rows.iter().map(|(id, _, _)| *id))
            .push(")");
        execute(&mut *tx, update).await?;
        tx.commit().await.map_err(backend)?;
    }
}

/// The ids the batch's users were given, in its order.
async fn new_ids<DB: Dialect>(
    conn: &mut DB::Connection,
    batch: &[NewAccount],
) -> Result<Vec<i64>, StoreError> {
    let keys: Vec<String> = batch.iter().map(|a| normalize_key(&a.user.email)).collect();
    let mut qb = sql::<DB>("SELECT id, email_key FROM users WHERE email_key IN (");
    qb.bind_list(keys.iter().cloned()).push(")");
    let found: HashMap<String, i64> =
        fetch_map(conn, qb, |row| Ok((row.text("email_key")?, row.int("id")?)))
            .await?
            .into_iter()
            .collect();
    keys.iter()
        .map(|key| found.get(key).copied().ok_or(StoreError::NotFound))
        .collect()
}

/// Whether a write of users must leave an Owner someone can sign in as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Owners {
    /// An admin's change, an import: refused ([`StoreError::NoOwnerLeft`]) when it takes
    /// away the last such Owner.
    MustRemain,
    /// Sign-in locks an account after too many failed attempts, the last Owner's too:
    /// letting whoever guesses wrong keep it open would be worse.
    MayLapse,
}

/// Refuses, once a write took away an Owner someone could sign in as, when none is left.
/// The Owner found stays held until the transaction ends, so two writes that each take
/// away one of the last two take turns: the second sees the first and is refused (or,
/// where each already held the Owner the other looks for, the database ends one, which
/// runs again and is refused).
async fn keep_an_owner<DB: Dialect>(conn: &mut DB::Connection) -> Result<(), StoreError> {
    let mut qb = sql::<DB>("SELECT id FROM users WHERE role = ");
    qb.bind(OWNER_ROLE)
        .push(" AND status IN (")
        .bind_list(Status::CAN_SIGN_IN.iter().map(|s| s.as_str()))
        .push(") ORDER BY id LIMIT 1")
        .push(DB::LOCK_ROW);
    if fetch_all(conn, qb).await?.is_empty() {
        return Err(StoreError::NoOwnerLeft);
    }
    Ok(())
}

/// Writes a user's new state if its version is unchanged (else [`StoreError::Stale`]),
/// bumps the version and returns the user as stored.
async fn write_user<DB: Dialect>(
    conn: &mut DB::Connection,
    user: &User,
    owners: Owners,
) -> Result<User, StoreError> {
    write_users::<DB>(conn, std::slice::from_ref(user), owners)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Every account change in order (a user's row, their secrets, its audit entries, a
/// sign-in attempt, messages to send); returns the users written.
pub(super) async fn save_accounts<DB: Dialect>(
    conn: &mut DB::Connection,
    changes: Vec<AccountChange>,
) -> Result<Vec<User>, StoreError> {
    let mut written = Vec::new();
    for change in &changes {
        if let Some(user) = &change.user {
            written.push(write_user::<DB>(&mut *conn, user, Owners::MayLapse).await?);
        }
        if let Some((user, secrets)) = &change.secrets {
            accounts::change_secrets::<DB>(&mut *conn, *user, secrets).await?;
        }
        audit::write_all::<DB>(&mut *conn, &change.audit).await?;
        if let Some(event) = &change.sign_in {
            accounts::record_sign_in::<DB>(&mut *conn, event).await?;
        }
        accounts::write_mails::<DB>(&mut *conn, &change.mail).await?;
    }
    Ok(written)
}

/// The columns of a user row that follow from the user alone (not its organization and
/// team, which are looked up by name), as written.
fn own_columns(user: &User) -> Vec<(&'static str, Value)> {
    let mut columns = vec![
        ("username", user.username.clone().into()),
        ("username_key", normalize_key(&user.username).into()),
        ("username_lookalike", lookalike_key(&user.username).into()),
        ("email", user.email.clone().into()),
        ("email_key", normalize_key(&user.email).into()),
        ("email_lookalike", lookalike_key(&user.email).into()),
        ("first_name", user.first_name.clone().into()),
        ("last_name", user.last_name.clone().into()),
        ("phone", user.phone.clone().into()),
        ("role", user.role.clone().into()),
        ("identity_provider", user.identity_provider.clone().into()),
        ("status", user.status.as_str().into()),
        ("two_factor", user.two_factor.as_str().into()),
        ("modified_at", millis(user.modified_at).into()),
        ("last_sign_in_at", user.last_sign_in_at.map(millis).into()),
        (
            "password_changed_at",
            user.password_changed_at.map(millis).into(),
        ),
        ("manager_id", user.manager.as_ref().map(|m| m.id.0).into()),
    ];
    columns.extend(
        UserField::profile()
            .map(|field| field.name())
            .zip(profile_values(&user.profile)),
    );
    columns
}

/// Gives the new users their managers made by the same write, by email. A manager the
/// write did not create after all (a row skipped for its problems) leaves none.
pub(super) async fn link_managers<DB: Dialect>(
    conn: &mut DB::Connection,
    links: &mut ManagerLinks,
) -> Result<(), StoreError> {
    if links.awaiting.is_empty() {
        return Ok(());
    }
    links.created.sort_unstable();
    let mut reports = Vec::with_capacity(links.awaiting.len());
    for (user, email) in &links.awaiting {
        let hash = email_hash(email);
        let at = links.created.partition_point(|(h, _)| *h < hash);
        if let Some((found, manager)) = links.created.get(at)
            && *found == hash
        {
            reports.push((*user, *manager));
        }
    }
    set_managers::<DB>(conn, reports).await.map_err(backend)
}

/// Managers set per statement: each row updated looks its manager up among the
/// statement's cases in turn, so more per statement costs more per row.
const MANAGERS_PER_STATEMENT: usize = 200;

/// Gives each user (id, manager's id) their manager, [`MANAGERS_PER_STATEMENT`] at a time.
/// One statement per manager took most of a million-row import's linking (100,000
/// statements for 900,000 users).
pub(crate) async fn set_managers<DB: Dialect>(
    conn: &mut DB::Connection,
    mut reports: Vec<(i64, i64)>,
) -> Result<(), sqlx::Error> {
    // In id order, each statement's rows lie close together in the table.
    reports.sort_unstable();
    for chunk in reports.chunks(MANAGERS_PER_STATEMENT) {
        // Ids are integers read from the database, never text a person typed, so they
        // are written into the statement (as `limit_offset` writes its numbers).
        let cases: String = chunk
            .iter()
            .map(|(user, manager)| format!(" WHEN {user} THEN {manager}"))
            .collect();
        let ids: Vec<i64> = chunk.iter().map(|(user, _)| *user).collect();
        let mut update = sql::<DB>(&format!(
            "UPDATE users SET manager_id = CASE id{cases} END WHERE 1 = 1"
        ));
        DB::push_id_set(&mut update, "id", &ids);
        DB::execute(&mut *conn, update).await?;
    }
    Ok(())
}

/// Columns to set, with their new values.
type Changes = Vec<(&'static str, Value)>;

/// Whether two names of an organization or team name the same one.
fn same_name(a: &Option<String>, b: &Option<String>) -> bool {
    a.as_deref().map(normalize_key) == b.as_deref().map(normalize_key)
}

/// [`write_user`] for many users at once, as a bulk action or an import writes them: the
/// stored users read with one query before and one after, each organization and team
/// looked up once, and of each row only the columns that changed written (tags too).
/// Every index holding a written column is rewritten, even for the same value: suspending
/// 10,000 users rewrote all sixteen indexes of each row where it needed two.
/// The columns a signed-in session depends on: writing any of them ends the account's
/// sessions (see `Roster::check_session`).
const SESSION_COLUMNS: &[&str] = &["status", "role", "two_factor", "password_changed_at"];

pub(super) async fn write_users<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[User],
    owners: Owners,
) -> Result<Vec<User>, StoreError> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = users.iter().map(|u| u.id.0).collect();
    lock_users::<DB>(&mut *conn, &ids).await?;
    let of_ids = UserQuery::of_ids(users.iter().map(|u| u.id).collect());
    let stored: HashMap<UserId, User> = list_users::<DB>(&mut *conn, &of_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let stored_tags = tags_of::<DB>(&mut *conn, &ids).await?;
    let mut named = NamedRecords::default();
    let mut counts = StateCounts::default();
    // The changes to write, each with the users it applies to.
    let mut alike: HashMap<String, (Changes, Vec<i64>)> = HashMap::new();
    // Users moved to another organization, whose devices move with them.
    let mut moved = Vec::new();
    let mut renamed = Vec::new();
    // Users whose attribute values change, with all their values after.
    let mut values = Vec::new();
    // Users given another manager, and the manager.
    let mut managed = Vec::new();
    let mut owner_lost = false;
    for user in users {
        let before = stored.get(&user.id).ok_or(StoreError::Stale)?;
        if before.version != user.version {
            return Err(StoreError::Stale);
        }
        owner_lost |= before.is_usable_owner() && !user.is_usable_owner();
        renamed.extend(Renamed::of(user, before));
        counts.add(before.status, before.two_factor, -1);
        counts.add(user.status, user.two_factor, 1);
        let mut sets: Changes = own_columns(user)
            .into_iter()
            .zip(own_columns(before))
            .filter(|((_, value), (_, was))| value != was)
            .map(|(set, _)| set)
            .collect();
        let now = millis(user.modified_at);
        if !same_name(&before.organization, &user.organization) {
            moved.push(user.id.0);
            let org = named
                .get::<DB>(&mut *conn, "organizations", &user.organization, now)
                .await?;
            sets.push(("organization_id", org.as_ref().map(|org| org.id).into()));
            sets.push(("organization_name", org.map(|org| org.name).into()));
        }
        if !same_name(&before.team, &user.team) {
            let team = named
                .get::<DB>(&mut *conn, "teams", &user.team, now)
                .await?;
            sets.push(("team_id", team.as_ref().map(|team| team.id).into()));
            sets.push(("team_name", team.map(|team| team.name).into()));
        }
        let key = format!("{sets:?}");
        match alike.get_mut(&key) {
            Some((_, ids)) => ids.push(user.id.0),
            None => {
                alike.insert(key, (sets, vec![user.id.0]));
            }
        }
        if stored_tags.get(&user.id.0).map_or(&[][..], Vec::as_slice) != user.tags.as_slice() {
            write_tags::<DB>(&mut *conn, user.id.0, &user.tags).await?;
        }
        if before.attributes != user.attributes {
            values.push((user.id.0, &user.attributes));
        }
        if let Some(manager) = &user.manager
            && before.manager.as_ref().map(|m| m.id) != Some(manager.id)
        {
            managed.push((user.id.0, manager.id.0));
        }
    }
    attributes::write_values::<DB>(&mut *conn, &values, true).await?;
    refuse_taken_renames::<DB>(&mut *conn, &renamed).await?;
    // Users given the same changes (a bulk action gives all of them the same) are written
    // by one statement: 10,000 single-row updates took 1.6 s, most of it round trips. The
    // versions were checked against rows this transaction holds (`lock_users`), so none
    // can have changed since.
    for (sets, ids) in alike.into_values() {
        let mut update = sql::<DB>("UPDATE users SET ");
        if sets
            .iter()
            .any(|(column, _)| SESSION_COLUMNS.contains(column))
        {
            update.push("session_generation = session_generation + 1, ");
        }
        for (column, value) in sets {
            update.push(format!("{column} = ")).bind(value).push(", ");
        }
        update.push("version = version + 1 WHERE 1 = 1");
        DB::push_id_set(&mut update, "id", &ids);
        let changed = DB::execute(&mut *conn, update)
            .await
            .map_err(|e| write_error::<DB>(e, "role", 0))?;
        if changed != ids.len() as u64 {
            return Err(StoreError::Stale);
        }
    }
    if owner_lost && owners == Owners::MustRemain {
        keep_an_owner::<DB>(&mut *conn).await?;
    }
    refuse_reporting_loops::<DB>(&mut *conn, &managed).await?;
    devices::follow_owners::<DB>(&mut *conn, &moved).await?;
    counts.write::<DB>(&mut *conn).await?;
    let mut written: HashMap<UserId, User> = list_users::<DB>(conn, &of_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    users
        .iter()
        .map(|u| written.remove(&u.id).ok_or(StoreError::NotFound))
        .collect()
}

/// Follows each new manager's chain up, holding every row it reads until the transaction
/// ends: the service checked the chain before the write, but on a server another admin can
/// make the manager report to the user in between. Holding the rows, two such writes wait
/// for each other (or the database ends one to break the deadlock), and the second sees
/// the first.
async fn refuse_reporting_loops<DB: Dialect>(
    conn: &mut DB::Connection,
    managed: &[(i64, i64)],
) -> Result<(), StoreError> {
    for (user, manager) in managed {
        let mut at = Some(*manager);
        for _ in 0..MAX_REPORTING_CHAIN {
            let Some(id) = at else { break };
            if id == *user {
                return Err(StoreError::ReportingLoop);
            }
            let mut qb = sql::<DB>("SELECT manager_id FROM users WHERE id = ");
            qb.bind(id).push(DB::LOCK_ROW);
            at = match fetch_optional(&mut *conn, qb).await? {
                Some(row) => Cells::<DB>(&row).opt_int("manager_id")?,
                None => None,
            };
        }
    }
    Ok(())
}

/// Holds the users' rows until the transaction ends, so what it reads of them next stays
/// true until it writes. In id order: two bulk actions over the same users take them in
/// one order, and so never each hold what the other waits for.
pub(super) async fn lock_users<DB: Dialect>(
    conn: &mut DB::Connection,
    ids: &[i64],
) -> Result<(), StoreError> {
    if DB::LOCK_ROW.is_empty() || ids.is_empty() {
        return Ok(());
    }
    let mut qb = sql::<DB>("SELECT id FROM users WHERE 1 = 1");
    DB::push_id_set(&mut qb, "id", ids);
    qb.push(" ORDER BY id").push(DB::LOCK_ROW);
    fetch_all(conn, qb).await.map(|_| ())
}

/// The tags of these users, in order, by user id (users without tags are absent).
async fn tags_of<DB: Dialect>(
    conn: &mut DB::Connection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(tags);
    }
    let mut qb = sql::<DB>("SELECT user_id, tag FROM user_tags WHERE 1 = 1");
    DB::push_id_set(&mut qb, "user_id", ids);
    qb.push(" ORDER BY user_id, position");
    for row in fetch_all(conn, qb).await? {
        let cells = Cells::<DB>(&row);
        tags.entry(cells.int("user_id")?)
            .or_default()
            .push(cells.text("tag")?);
    }
    Ok(tags)
}

/// Deletes the users (with their memberships), each only if not changed since read, with
/// one statement: the versions are checked against rows this transaction holds
/// (`lock_users`). One DELETE per user made deleting 10,000 a round trip each.
pub(super) async fn delete_users<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[User],
    handover: DeviceHandover,
) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = users.iter().map(|u| u.id.0).collect();
    lock_users::<DB>(&mut *conn, &ids).await?;
    let mut versions = sql::<DB>("SELECT id, version FROM users WHERE 1 = 1");
    DB::push_id_set(&mut versions, "id", &ids);
    let stored: HashMap<i64, i64> = fetch_map(&mut *conn, versions, |row| {
        Ok((row.int("id")?, row.int("version")?))
    })
    .await?
    .into_iter()
    .collect();
    if users
        .iter()
        .any(|user| stored.get(&user.id.0) != Some(&user.version))
    {
        return Err(StoreError::Stale);
    }
    // Their memberships go with them (ON DELETE CASCADE).
    let left = groups::groups_of_users::<DB>(&mut *conn, &ids).await?;
    devices::hand_over::<DB>(&mut *conn, &ids, handover).await?;
    let mut counts = StateCounts::default();
    for user in users {
        counts.add(user.status, user.two_factor, -1);
    }
    let mut delete = sql::<DB>("DELETE FROM users WHERE 1 = 1");
    DB::push_id_set(&mut delete, "id", &ids);
    if execute(&mut *conn, delete).await? != ids.len() as u64 {
        return Err(StoreError::Stale);
    }
    // The versions matched, so each user is as stored.
    if users.iter().any(User::is_usable_owner) {
        keep_an_owner::<DB>(&mut *conn).await?;
    }
    counts.write::<DB>(&mut *conn).await?;
    groups::recount_members::<DB>(conn, &left).await
}

/// Appends the WHERE clause of the list query. User text only ever enters as bound values.
fn push_filters<DB: Dialect>(qb: &mut QueryBuilder<'_, DB>, query: &UserQuery) {
    qb.push(" WHERE 1 = 1");
    DB::push_search(qb, query);
    if !query.statuses.is_empty() {
        qb.push(" AND users.status IN (")
            .bind_list(query.statuses.iter().map(|s| s.as_str()))
            .push(")");
    }
    if !query.two_factor.is_empty() {
        qb.push(" AND users.two_factor IN (")
            .bind_list(query.two_factor.iter().map(|s| s.as_str()))
            .push(")");
    }
    if let Some(scope) = &query.within {
        push_within(qb, "users.organization_id", scope);
    }
    if let Some(org) = &query.organization {
        qb.push(" AND users.organization_id IN (SELECT id FROM organizations WHERE name_key = ")
            .bind(normalize_key(org))
            .push(")");
    }
    match query.team_filter() {
        None => {}
        Some(TeamFilter::Unassigned) => {
            qb.push(" AND users.team_id IS NULL");
        }
        Some(TeamFilter::Named(key)) => {
            qb.push(" AND users.team_id IN (SELECT id FROM teams WHERE name_key = ")
                .bind(key)
                .push(")");
        }
    }
    if let Some(group) = query.group {
        qb.push(" AND users.id IN (SELECT user_id FROM group_members WHERE group_id = ")
            .bind(group.0)
            .push(")");
    }
    if let Some(role) = &query.role {
        qb.push(" AND users.role = ").bind(normalize_key(role));
    }
    match query.devices {
        Some(DeviceCount::None) => qb.push(" AND users.device_count = 0"),
        Some(DeviceCount::One) => qb.push(" AND users.device_count = 1"),
        Some(DeviceCount::Several) => qb.push(" AND users.device_count > 1"),
        None => qb,
    };
    if let Some(department) = &query.department {
        qb.push(" AND users.department = ").bind(department.trim());
    }
    if let Some(employee_id) = &query.employee_id {
        qb.push(" AND users.employee_id = ")
            .bind(employee_id.trim());
    }
    if !query.managers.is_empty() {
        let managers: Vec<i64> = query.managers.iter().map(|id| id.0).collect();
        DB::push_id_set(qb, "users.manager_id", &managers);
    }
    if let Some((first, last)) = &query.end_dates {
        qb.push(" AND users.end_date >= ")
            .bind(first.as_str())
            .push(" AND users.end_date <= ")
            .bind(last.as_str());
    }
    for (name, value) in &query.attributes {
        qb.push(
            " AND users.id IN (SELECT user_id FROM user_attributes WHERE attribute_id = \
             (SELECT id FROM attributes WHERE name = ",
        )
        .bind(name.as_str())
        .push(") AND value = ")
        .bind(value.trim())
        .push(")");
    }
    if !query.ids.is_empty() {
        let ids: Vec<i64> = query.ids.iter().map(|id| id.0).collect();
        DB::push_id_set(qb, "users.id", &ids);
    }
}

/// The value of the attribute named `name` of each row's user (NULL where they have
/// none), as a number where `numeric`. The name is written into the query, so only one of
/// the form [`is_attribute_name`] allows is taken.
fn attribute_value<DB: Dialect>(name: &str, numeric: bool) -> Option<String> {
    let value = if numeric {
        format!("CAST(ua.value AS {})", DB::NUMBER_TYPE)
    } else {
        "ua.value".to_owned()
    };
    is_attribute_name(name).then(|| {
        format!(
            "(SELECT {value} FROM user_attributes ua JOIN attributes a ON a.id = ua.attribute_id \
             WHERE ua.user_id = users.id AND a.name = '{name}')"
        )
    })
}

/// Whether the query sorts by a number attribute, whose values sort by size ("9" before
/// "120"), not as text.
async fn sorts_by_number<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
) -> Result<bool, StoreError> {
    let Some(name) = &query.sort_attribute else {
        return Ok(false);
    };
    let mut kind = sql::<DB>("SELECT kind FROM attributes WHERE name = ");
    kind.bind(name.as_str());
    Ok(match fetch_optional(conn, kind).await? {
        Some(row) => Cells::<DB>(&row).text("kind")? == AttributeKind::Number.as_str(),
        None => false,
    })
}

/// The column of `users` a sort field orders by: the field's own name, but for the
/// organization's and team's names, which each row keeps beside their ids.
fn sort_column(field: SortField) -> &'static str {
    match field {
        SortField::Organization => "organization_name",
        SortField::Team => "team_name",
        other => other.as_str(),
    }
}

/// Whether a user can lack a value of the field (such users sort first when ascending).
fn nullable(field: SortField) -> bool {
    matches!(
        field,
        SortField::Phone
            | SortField::Organization
            | SortField::Team
            | SortField::LastSignInAt
            | SortField::JobTitle
            | SortField::Department
            | SortField::EndDate
    )
}

/// ORDER BY the query's sort, ties broken by User ID in the same direction (by last name
/// first, sorting by department).
async fn order_by<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
) -> Result<String, StoreError> {
    let numeric = sorts_by_number::<DB>(conn, query).await?;
    Ok(ordered_by::<DB>(query, numeric))
}

/// [`order_by`], knowing whether a sort attribute holds numbers.
fn ordered_by<DB: Dialect>(query: &UserQuery, numeric: bool) -> String {
    let direction = query.sort.direction;
    let attribute = query.sort_attribute.as_deref();
    if let Some(value) = attribute.and_then(|name| attribute_value::<DB>(name, numeric)) {
        return format!(
            " ORDER BY {}, {}",
            DB::order(&value, direction, true),
            DB::order("users.id", direction, false)
        );
    }
    // Within a department, people by last name: its index (users_sort_department) holds
    // them so, which also answers a department's first page by last name.
    let within = if query.sort.field == SortField::Department {
        format!(", {}", DB::order("users.last_name", direction, false))
    } else {
        String::new()
    };
    let field = query.sort.field;
    format!(
        " ORDER BY {}{within}, {}",
        DB::order(
            &format!("users.{}", sort_column(field)),
            direction,
            nullable(field)
        ),
        DB::order("users.id", direction, false)
    )
}

/// Where a page that continues after the anchor user (`query.after`) starts: the anchor's
/// value of the sort field, and its id. Read within the query's organizations, or a scoped
/// admin could learn where a user they cannot see sorts among those they can. `None` where
/// the anchor is gone or out of reach, or the sort has no one index ordering every user
/// with the id (a field some users lack, an attribute): the page then goes by offset.
async fn anchor<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
) -> Result<Option<(Value, i64)>, StoreError> {
    let field = query.sort.field;
    let Some(anchor) = query.after else {
        return Ok(None);
    };
    if query.sort_attribute.is_some() || nullable(field) || !query.ids.is_empty() {
        return Ok(None);
    }
    let column = sort_column(field);
    let mut qb = sql::<DB>(&format!(
        "SELECT users.{column} AS anchored FROM users WHERE users.id = "
    ));
    qb.bind(anchor.0);
    if let Some(scope) = &query.within {
        push_within(&mut qb, "users.organization_id", scope);
    }
    let Some(row) = fetch_optional(conn, qb).await? else {
        return Ok(None);
    };
    let cells = Cells::<DB>(&row);
    let value = match field {
        SortField::GroupCount
        | SortField::DeviceCount
        | SortField::CreatedAt
        | SortField::ModifiedAt
        | SortField::Id => Value::Int(cells.int("anchored")?),
        _ => Value::Text(cells.text("anchored")?),
    };
    Ok(Some((value, anchor.0)))
}

/// ` AND` the rows after the anchor in the query's order, written so the database starts
/// reading at the anchor in the sort index ([`Dialect::COMPARES_ROWS_IN_INDEX`]): a million
/// users sharing thirty last names tie by the thousand, so "the same name and a later id"
/// must be part of where to start, not a filter over every namesake before it.
fn push_after<DB: Dialect>(
    qb: &mut QueryBuilder<'_, DB>,
    query: &UserQuery,
    (value, id): &(Value, i64),
) {
    let column = sort_column(query.sort.field);
    let beyond = match query.sort.direction {
        SortDirection::Asc => ">",
        SortDirection::Desc => "<",
    };
    if DB::COMPARES_ROWS_IN_INDEX {
        qb.push(format!(" AND (users.{column}, users.id) {beyond} ("))
            .bind(value.clone())
            .push(", ")
            .bind(*id)
            .push(")");
    } else {
        qb.push(format!(" AND (users.{column} {beyond} "))
            .bind(value.clone())
            .push(format!(" OR (users.{column} = "))
            .bind(value.clone())
            .push(format!(" AND users.id {beyond} "))
            .bind(*id)
            .push("))");
    }
}

/// ` LIMIT n OFFSET m`, written as numbers rather than bound: SQLite plans a page with a
/// bound OFFSET far worse (the page in the middle of a million users took 100 ms instead
/// of 10). They are integers Roster computes, never text from a person.
fn limit_offset(limit: u64, offset: u64) -> String {
    let clamp = |n: u64| n.min(i64::MAX as u64);
    format!(" LIMIT {} OFFSET {}", clamp(limit), clamp(offset))
}

/// Whether the query's filters narrow the list (beyond search and chosen ids).
fn narrowed(query: &UserQuery) -> bool {
    !query.statuses.is_empty()
        || !query.two_factor.is_empty()
        || query.organization.is_some()
        || query.team.is_some()
        || query.group.is_some()
        || query.role.is_some()
        || query.devices.is_some()
        || query.within.is_some()
        || query.department.is_some()
        || !query.managers.is_empty()
        || query.employee_id.is_some()
        || query.end_dates.is_some()
        || !query.attributes.is_empty()
}

/// Counts the matches, reading no further than `up_to` of them when given (the rows past
/// it are never visited, so a search matching half a million costs what `up_to` do).
pub(super) async fn count_matching<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
    up_to: Option<u64>,
) -> Result<Count, StoreError> {
    if kept_counts_answer(query) {
        fn chosen<T: PartialEq>(wanted: &[T], value: T) -> bool {
            wanted.is_empty() || wanted.contains(&value)
        }
        let kept = state_counts::<DB>(conn, None).await?;
        return Ok(Count::exact(
            kept.into_iter()
                .filter(|&(status, two_factor, _)| {
                    chosen(&query.statuses, status) && chosen(&query.two_factor, two_factor)
                })
                .map(|(_, _, n)| n)
                .sum(),
        ));
    }
    let Some(cap) = up_to else {
        let mut count = sql::<DB>("SELECT count(*) AS n FROM users");
        push_filters(&mut count, query);
        return Cells::<DB>(&fetch_one(conn, count).await?)
            .count("n")
            .map(Count::exact);
    };
    let mut count = sql::<DB>("SELECT count(*) AS n FROM (SELECT 1 AS found FROM users");
    push_filters(&mut count, query);
    count
        .push(" LIMIT ")
        .bind(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX))
        .push(") AS matches");
    let found = Cells::<DB>(&fetch_one(conn, count).await?).count("n")?;
    Ok(Count::up_to(found, cap))
}

/// Whether the query filters by status and 2FA state only, which the kept counts answer:
/// counting the rows themselves takes 60–110 ms for a million users on PostgreSQL (every
/// row's visibility is checked) and 700 ms on MariaDB, whatever the filter.
fn kept_counts_answer(query: &UserQuery) -> bool {
    query.within.is_none()
        && query.organization.is_none()
        && query.team.is_none()
        && query.group.is_none()
        && query.role.is_none()
        && query.devices.is_none()
        && query.department.is_none()
        && query.managers.is_empty()
        && query.employee_id.is_none()
        && query.end_dates.is_none()
        && query.attributes.is_empty()
        && query.ids.is_empty()
        && query.search_terms().is_empty()
}

/// The first page of a filtered or searched list, found by walking the sort index and keeping the rows
/// that match, if that finishes within the dialect's [`Dialect::walk_budget`].
///
/// A filter's own index narrows the list, but then every match must be sorted: 110 ms for
/// the 142,857 suspended users of a million, where walking the last-name index meets 200 of
/// them after about 1,400 rows (6 ms). Which plan wins depends on how many rows match, and
/// SQLite has no statistics to tell, so the walk gets a small budget first; a rare value
/// that runs it out has few matches, which the usual plan sorts quickly. A search walks too
/// (its matches may sit together in the sort order, as "lov"'s at "Lovelace": then the
/// budget runs out and its text index finds them, [`Dialect::sort_matches`]).
///
/// A page that continues after an anchor (`after`) is a first page too, from there.
async fn walked_first_page<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
    after: Option<&(Value, i64)>,
) -> Result<Option<Vec<DB::Row>>, StoreError> {
    let searching = !query.search_terms().is_empty();
    // A group is usually a small part of the directory, its members listed through
    // their own index: a walk would spend its budget before finding them (24 ms for a
    // group of 3,000 in a million, 10 without). So are one employee ID and a manager's
    // reports (an ID searched for took 6.8 ms of 10,000 users walked, 0.4 by its index).
    // A department's people come in last-name order from the department's own index.
    let in_department_order = query.department.is_some() && query.sort.field == SortField::LastName;
    let walkable = (narrowed(query) || searching)
        && !in_department_order
        && query.group.is_none()
        && query.employee_id.is_none()
        && query.managers.is_empty()
        && query.sort_attribute.is_none()
        && (query.offset == 0 || after.is_some())
        && query.ids.is_empty();
    let Some(walk) = DB::walk_sort_index(query.sort.field, searching).filter(|_| walkable) else {
        return Ok(None);
    };
    let budget = DB::walk_budget(searching);
    let select = DB::within_budget(&user_fields::<DB>(""), budget);
    let mut page = sql::<DB>(&format!("{select} FROM users{walk}"));
    push_filters(&mut page, query);
    if let Some(after) = after {
        push_after(&mut page, query, after);
    }
    page.push(ordered_by::<DB>(query, false))
        .push(limit_offset(u64::from(query.limit), 0));
    DB::fetch_within(conn, page, budget).await.map_err(backend)
}

pub(super) async fn list_users<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
) -> Result<Vec<User>, StoreError> {
    let after = anchor::<DB>(&mut *conn, query).await?;
    let rows = page_rows::<DB>(&mut *conn, query, after.as_ref()).await?;
    users_with_tags::<DB>(conn, &rows).await
}

/// The rows of the query's page: right after the anchor when there is one, else from its
/// offset.
async fn page_rows<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
    after: Option<&(Value, i64)>,
) -> Result<Vec<DB::Row>, StoreError> {
    if let Some(rows) = walked_first_page::<DB>(&mut *conn, query, after).await? {
        return Ok(rows);
    }
    let offset = if after.is_some() { 0 } else { query.offset };
    let order = order_by::<DB>(&mut *conn, query).await?;
    let (from, after_filters) = if query.search_terms().is_empty() {
        ("users".into(), "")
    } else {
        DB::sort_matches(query.sort.field)
    };
    let page_of = |page: &mut QueryBuilder<'_, DB>| {
        page.push(&from);
        push_filters(page, query);
        if let Some(after) = after {
            push_after(page, query, after);
        }
        page.push(after_filters)
            .push(&order)
            .push(limit_offset(u64::from(query.limit), offset));
    };
    // A page further down by offset: the page's ids first, from the sort index alone, then
    // whole rows for those only. Built for every row skipped instead, a page at 90% of a
    // million users took 850 ms, now 50. A first page (or one after an anchor) stays one
    // query: its index walk stops after the page (11 ms; the two-step form measured 38 ms
    // there), unless its matches come from a subquery (`after_filters`), whose every
    // column of every match the sort would carry. A derived table, not `IN (… LIMIT)`,
    // which MySQL refuses.
    let page = if offset > 0 || !after_filters.is_empty() {
        let mut page = sql::<DB>(&format!(
            "{} FROM (SELECT users.id AS page_id FROM ",
            user_fields::<DB>("")
        ));
        page_of(&mut page);
        page.push(") page JOIN users ON users.id = page.page_id")
            .push(&order);
        page
    } else {
        let mut page = sql::<DB>(&format!("{} FROM ", user_fields::<DB>("")));
        page_of(&mut page);
        page
    };
    fetch_all(&mut *conn, page).await
}

async fn users_with_tags<DB: Dialect>(
    conn: &mut DB::Connection,
    rows: &[DB::Row],
) -> Result<Vec<User>, StoreError> {
    let mut users = rows
        .iter()
        .map(user_from_row::<DB>)
        .collect::<Result<Vec<_>, _>>()?;
    load_tags::<DB>(conn, &mut users).await?;
    Ok(users)
}

/// Every matching user, streamed in the query's order with their tags.
pub(super) async fn each_user<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
    visit: &mut (dyn FnMut(User) -> Result<(), StoreError> + Send),
) -> Result<u64, StoreError> {
    let tags = format!(", {} AS tag_list", DB::tag_list("users.id"));
    let mut qb = sql::<DB>(&user_select::<DB>(&tags));
    push_filters(&mut qb, query);
    qb.push(order_by::<DB>(&mut *conn, query).await?);
    DB::for_each_row(conn, qb, &mut |row| {
        let mut user = user_from_row::<DB>(row)?;
        user.tags = Cells::<DB>(row)
            .opt_text("tag_list")?
            .map(|tags| tags.split(LIST_SEPARATOR).map(str::to_owned).collect())
            .unwrap_or_default();
        visit(user)
    })
    .await
}

pub(super) async fn user_ids<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &UserQuery,
    limit: u64,
) -> Result<Vec<UserId>, StoreError> {
    let mut qb = sql::<DB>("SELECT users.id FROM users");
    push_filters(&mut qb, query);
    qb.push(order_by::<DB>(&mut *conn, query).await?)
        .push(limit_offset(limit, 0));
    Ok(fetch_ints(conn, qb, "id")
        .await?
        .into_iter()
        .map(UserId)
        .collect())
}

/// Changes to the kept counts of users by status and 2FA state (`user_state_counts`),
/// gathered over a write. Where writers take turns they are added in place; on a server
/// every writer would wait on those few rows, so each adds rows of its own to
/// `user_state_deltas` instead, which [`fold_state_counts`] adds in later and readers
/// count meanwhile.
#[derive(Default)]
struct StateCounts(HashMap<(Status, TwoFactorState), i64>);

impl StateCounts {
    fn add(&mut self, status: Status, two_factor: TwoFactorState, by: i64) {
        *self.0.entry((status, two_factor)).or_default() += by;
    }

    async fn write<DB: Dialect>(self, conn: &mut DB::Connection) -> Result<(), StoreError> {
        let changes: Vec<_> = self.0.into_iter().filter(|(_, by)| *by != 0).collect();
        if changes.is_empty() {
            return Ok(());
        }
        if !DB::WRITERS_TAKE_TURNS {
            let rows = changes
                .into_iter()
                .map(|((status, two_factor), by)| {
                    vec![
                        status.as_str().into(),
                        two_factor.as_str().into(),
                        by.into(),
                    ]
                })
                .collect();
            return insert_rows::<DB>(
                conn,
                "user_state_deltas (status, two_factor, n)",
                rows,
                plain::<DB>,
            )
            .await
            .map_err(backend);
        }
        for ((status, two_factor), by) in changes {
            let mut update = sql::<DB>("UPDATE user_state_counts SET n = n + ");
            update
                .bind(by)
                .push(" WHERE status = ")
                .bind(status.as_str())
                .push(" AND two_factor = ")
                .bind(two_factor.as_str());
            execute(&mut *conn, update).await?;
        }
        Ok(())
    }
}

/// Adds the oldest of the kept counts' changes into them: by whoever holds the audit
/// chain's row (see `audit::seal_pending`), so one at a time, and briefly.
pub(super) async fn fold_state_counts<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<(), StoreError> {
    let qb =
        sql::<DB>("SELECT id, status, two_factor, n FROM user_state_deltas ORDER BY id LIMIT 1000");
    let deltas = fetch_map(&mut *conn, qb, |row| {
        Ok((
            row.int("id")?,
            row.text("status")?,
            row.text("two_factor")?,
            row.int("n")?,
        ))
    })
    .await?;
    if deltas.is_empty() {
        return Ok(());
    }
    let mut sums: HashMap<(&str, &str), i64> = HashMap::new();
    for (_, status, two_factor, n) in &deltas {
        *sums.entry((status, two_factor)).or_default() += n;
    }
    for ((status, two_factor), by) in sums {
        let mut update = sql::<DB>("UPDATE user_state_counts SET n = n + ");
        update
            .bind(by)
            .push(" WHERE status = ")
            .bind(status)
            .push(" AND two_factor = ")
            .bind(two_factor);
        execute(&mut *conn, update).await?;
    }
    let ids: Vec<i64> = deltas.iter().map(|(id, ..)| *id).collect();
    let mut done = sql::<DB>("DELETE FROM user_state_deltas WHERE 1 = 1");
    DB::push_id_set(&mut done, "id", &ids);
    execute(conn, done).await.map(|_| ())
}

/// Users per status and 2FA state: the kept counts with the changes not added in yet, or
/// the users of the organizations of a scope counted.
async fn state_counts<DB: Dialect>(
    conn: &mut DB::Connection,
    within: Option<&[OrganizationId]>,
) -> Result<Vec<(Status, TwoFactorState, u64)>, StoreError> {
    let qb = match within {
        None => sql::<DB>(
            "SELECT status, two_factor, n FROM user_state_counts \
             UNION ALL SELECT status, two_factor, n FROM user_state_deltas",
        ),
        Some(scope) => {
            let mut qb =
                sql::<DB>("SELECT status, two_factor, count(*) AS n FROM users WHERE 1 = 1");
            push_within(&mut qb, "organization_id", scope);
            qb.push(" GROUP BY status, two_factor");
            qb
        }
    };
    let rows = fetch_map(conn, qb, |row| {
        let status: Status = row.text("status")?.parse().map_err(StoreError::Backend)?;
        let two_factor: TwoFactorState = row
            .text("two_factor")?
            .parse()
            .map_err(StoreError::Backend)?;
        Ok((status, two_factor, row.int("n")?))
    })
    .await?;
    let mut counts: Vec<(Status, TwoFactorState, i64)> = Vec::new();
    for (status, two_factor, n) in rows {
        match counts
            .iter_mut()
            .find(|(s, f, _)| (*s, *f) == (status, two_factor))
        {
            Some((_, _, total)) => *total += n,
            None => counts.push((status, two_factor, n)),
        }
    }
    Ok(counts
        .into_iter()
        .map(|(status, two_factor, n)| (status, two_factor, n.max(0).unsigned_abs()))
        .collect())
}

/// How many users are in each status and in each 2FA state.
pub(super) async fn count_users<DB: Dialect>(
    conn: &mut DB::Connection,
    within: Option<&[OrganizationId]>,
) -> Result<(Vec<(Status, u64)>, Vec<(TwoFactorState, u64)>), StoreError> {
    let pairs = state_counts::<DB>(conn, within).await?;
    let mut statuses: Vec<(Status, u64)> = Vec::new();
    let mut factors: Vec<(TwoFactorState, u64)> = Vec::new();
    for (status, two_factor, n) in pairs {
        match statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, total)) => *total += n,
            None => statuses.push((status, n)),
        }
        match factors.iter_mut().find(|(f, _)| *f == two_factor) {
            Some((_, total)) => *total += n,
            None => factors.push((two_factor, n)),
        }
    }
    Ok((statuses, factors))
}

/// Team names, alphabetically: every team, or those of users in these organizations.
pub(super) async fn teams<DB: Dialect>(
    conn: &mut DB::Connection,
    within: Option<&[OrganizationId]>,
) -> Result<Vec<String>, StoreError> {
    let mut qb = sql::<DB>("SELECT name FROM teams t WHERE 1 = 1");
    if let Some(scope) = within {
        qb.push(" AND t.id IN (SELECT team_id FROM users WHERE 1 = 1");
        push_within(&mut qb, "organization_id", scope);
        qb.push(")");
    }
    qb.push(" ORDER BY t.name_key");
    fetch_map(conn, qb, |row| row.text("name")).await
}

/// The departments of users (in these organizations), alphabetically. Of the whole
/// directory, by skipping from one department to the next along its index (a few lookups
/// per department, where `DISTINCT` read all million entries of the index).
pub(super) async fn departments<DB: Dialect>(
    conn: &mut DB::Connection,
    within: Option<&[OrganizationId]>,
) -> Result<Vec<String>, StoreError> {
    let qb = match within {
        Some(scope) => {
            let mut qb = sql::<DB>(
                "SELECT DISTINCT department AS name FROM users WHERE department IS NOT NULL",
            );
            push_within(&mut qb, "organization_id", scope);
            qb.push(format!(" ORDER BY name LIMIT {MAX_DEPARTMENTS}"));
            qb
        }
        None => sql::<DB>(&format!(
            "WITH RECURSIVE found (name) AS (\
             SELECT min(department) FROM users \
             UNION ALL SELECT (SELECT min(department) FROM users WHERE department > found.name) \
             FROM found WHERE found.name IS NOT NULL) \
             SELECT name FROM found WHERE name IS NOT NULL LIMIT {MAX_DEPARTMENTS}"
        )),
    };
    fetch_map(conn, qb, |row| row.text("name")).await
}
