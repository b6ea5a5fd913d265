//! The embedded SQLite backend: one file, WAL, foreign keys on, FTS5 trigram search.

use crate::{OpenError, OpenMode, SchemaStatus};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roster_core::{
    AccountChange, AuditEntry, AuditQuery, AuditRecord, AuditTarget, Credentials, FieldChange,
    Group, GroupId, GroupMembershipChange, MailMessage, NewAccount, NewTokenRecord, Origin,
    Permission, Repository, Settings, SignInEntry, SortDirection, SortField, Status, StoreError,
    TokenFilter, TokenRecord, TwoFactorState, User, UserId, UserPage, UserQuery, UserRef,
    normalize_key,
};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod accounts;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Another process may hold the write lock (a second workstation on a shared drive, the
/// CLI beside the app); wait this long before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Search words shorter than this cannot use the trigram index; they match word prefixes.
const TRIGRAM: usize = 3;

pub struct SqliteDatabase {
    pool: SqlitePool,
    path: PathBuf,
}

impl SqliteDatabase {
    pub async fn connect(url: &str, mode: OpenMode) -> Result<Self, OpenError> {
        let path = PathBuf::from(
            url.split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(url)
                .split('?')
                .next()
                .unwrap_or_default(),
        );
        if path.as_os_str().is_empty() {
            return Err(OpenError::BadUrl(url.to_owned()));
        }
        let exists = path.exists();
        if !exists && mode == OpenMode::MustExist {
            return Err(OpenError::Missing(path));
        }
        if let Some(parent) = path
            .parent()
            .filter(|p| !exists && !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                OpenError::Io(format!(
                    "cannot create the folder {}: {e}",
                    parent.display()
                ))
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(mode == OpenMode::CreateIfMissing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| OpenError::Connect {
                location: path.display().to_string(),
                reason: e.to_string(),
            })?;
        Ok(SqliteDatabase { pool, path })
    }

    pub(crate) async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        let before = self.status().await?;
        if before.version.unwrap_or(0) > before.latest {
            return Err(OpenError::NewerSchema {
                found: before.version.unwrap_or(0),
                known: before.latest,
            });
        }
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| OpenError::Migrate(e.to_string()))?;
        Ok(before.pending.into_iter().map(|(v, _)| v).collect())
    }

    pub(crate) async fn status(&self) -> Result<SchemaStatus, OpenError> {
        let db_error = |e: sqlx::Error| OpenError::Migrate(e.to_string());
        let has_table: bool = sqlx::query_scalar(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_error)?;
        let applied: Vec<i64> = if has_table {
            sqlx::query_scalar(
                "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?
        } else {
            Vec::new()
        };
        let pending = MIGRATOR
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| (m.version, m.description.to_string()))
            .collect();
        Ok(SchemaStatus {
            backend: "sqlite",
            location: self.path.display().to_string(),
            version: applied.iter().copied().max(),
            latest: MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0),
            pending,
        })
    }

    pub(crate) async fn backup(&self, to: &Path) -> Result<(), OpenError> {
        if to.exists() {
            return Err(OpenError::Io(format!(
                "{} already exists; choose a new file name for the backup",
                to.display()
            )));
        }
        // VACUUM INTO writes a consistent, compacted copy while others keep working.
        sqlx::query("VACUUM INTO ?")
            .bind(to.display().to_string())
            .execute(&self.pool)
            .await
            .map_err(|e| OpenError::Io(format!("backup to {} failed: {e}", to.display())))?;
        Ok(())
    }

    pub(crate) fn repository(&self) -> SqliteRepository {
        SqliteRepository {
            pool: self.pool.clone(),
            path: self.path.clone(),
        }
    }
}

pub struct SqliteRepository {
    pool: SqlitePool,
    path: PathBuf,
}

impl SqliteRepository {
    /// Writes start with BEGIN IMMEDIATE: a deferred BEGIN that reads first can fail with
    /// SQLITE_BUSY when another process commits in between, whatever the busy timeout.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)
    }
}

fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Maps constraint failures to domain terms; `reference` names the field a foreign-key
/// failure is about in this statement.
fn write_error(e: sqlx::Error, reference: &'static str, index: usize) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        let message = db.message();
        if db.is_unique_violation() {
            let field = if message.contains("email_key") {
                "email"
            } else if message.contains("username_key") {
                "username"
            } else {
                "name"
            };
            return StoreError::Duplicate { field, index };
        }
        if db.is_foreign_key_violation() {
            return StoreError::MissingReference { field: reference };
        }
    }
    backend(e)
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

const USER_COLUMNS: &str = "SELECT users.id, users.username, users.email, users.first_name, \
    users.last_name, users.phone, o.name AS organization, t.name AS team, users.role, \
    users.identity_provider, users.status, users.two_factor, \
    (SELECT count(*) FROM group_members gm WHERE gm.user_id = users.id) AS group_count, \
    users.created_at, users.modified_at, users.last_sign_in_at, users.password_changed_at, \
    users.created_by, users.version \
    FROM users \
    LEFT JOIN organizations o ON o.id = users.organization_id \
    LEFT JOIN teams t ON t.id = users.team_id";

fn user_from_row(row: &SqliteRow) -> Result<User, StoreError> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(backend);
    let status: String = text("status")?;
    let two_factor: String = text("two_factor")?;
    Ok(User {
        id: UserId(row.try_get("id").map_err(backend)?),
        username: text("username")?,
        email: text("email")?,
        first_name: text("first_name")?,
        last_name: text("last_name")?,
        phone: row.try_get("phone").map_err(backend)?,
        organization: row.try_get("organization").map_err(backend)?,
        team: row.try_get("team").map_err(backend)?,
        tags: Vec::new(),
        role: text("role")?,
        identity_provider: text("identity_provider")?,
        status: status.parse().map_err(StoreError::Backend)?,
        two_factor: two_factor.parse().map_err(StoreError::Backend)?,
        group_count: row.try_get("group_count").map_err(backend)?,
        created_at: from_millis(row.try_get("created_at").map_err(backend)?),
        modified_at: from_millis(row.try_get("modified_at").map_err(backend)?),
        last_sign_in_at: row
            .try_get::<Option<i64>, _>("last_sign_in_at")
            .map_err(backend)?
            .map(from_millis),
        password_changed_at: row
            .try_get::<Option<i64>, _>("password_changed_at")
            .map_err(backend)?
            .map(from_millis),
        created_by: text("created_by")?,
        version: row.try_get("version").map_err(backend)?,
    })
}

/// Fills in the tags of the given users with one query.
async fn load_tags(conn: &mut SqliteConnection, users: &mut [User]) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    let mut qb =
        QueryBuilder::<Sqlite>::new("SELECT user_id, tag FROM user_tags WHERE user_id IN (");
    let mut ids = qb.separated(", ");
    for user in users.iter() {
        ids.push_bind(user.id.0);
    }
    qb.push(") ORDER BY user_id, position");
    let rows = qb.build().fetch_all(&mut *conn).await.map_err(backend)?;
    for row in rows {
        let id: i64 = row.get("user_id");
        if let Some(user) = users.iter_mut().find(|u| u.id.0 == id) {
            user.tags.push(row.get("tag"));
        }
    }
    Ok(())
}

async fn fetch_user(
    conn: &mut SqliteConnection,
    user: &UserRef,
) -> Result<Option<User>, StoreError> {
    let mut qb = QueryBuilder::<Sqlite>::new(USER_COLUMNS);
    match user {
        UserRef::Id(id) => qb.push(" WHERE users.id = ").push_bind(id.0),
        UserRef::Username(name) => qb
            .push(" WHERE users.username_key = ")
            .push_bind(normalize_key(name)),
        UserRef::Email(email) => qb
            .push(" WHERE users.email_key = ")
            .push_bind(normalize_key(email)),
    };
    let Some(row) = qb
        .build()
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?
    else {
        return Ok(None);
    };
    let mut users = vec![user_from_row(&row)?];
    load_tags(conn, &mut users).await?;
    Ok(users.pop())
}

/// The id of the named organization or team, created when missing.
async fn named_record_id(
    conn: &mut SqliteConnection,
    table: &'static str,
    name: Option<&str>,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let Some(name) = name else { return Ok(None) };
    let key = normalize_key(name);
    sqlx::query(&format!(
        "INSERT INTO {table} (name, name_key, created_at) VALUES (?, ?, ?) ON CONFLICT (name_key) DO NOTHING"
    ))
    .bind(name)
    .bind(&key)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    let id = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE name_key = ?"))
        .bind(&key)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(Some(id))
}

async fn write_tags(
    conn: &mut SqliteConnection,
    user: i64,
    tags: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_tags WHERE user_id = ?")
        .bind(user)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    for (position, tag) in tags.iter().enumerate() {
        sqlx::query("INSERT INTO user_tags (user_id, tag_key, tag, position) VALUES (?, ?, ?, ?)")
            .bind(user)
            .bind(normalize_key(tag))
            .bind(tag)
            .bind(position as i64)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
    }
    Ok(())
}

async fn write_audit(conn: &mut SqliteConnection, record: &AuditRecord) -> Result<(), StoreError> {
    let changes =
        serde_json::to_string(&record.changes).map_err(|e| StoreError::Backend(e.to_string()))?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor, workstation, origin, action, target_kind, target_id, target_name, changes) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(millis(record.at))
    .bind(&record.actor)
    .bind(&record.workstation)
    .bind(record.origin.as_str())
    .bind(&record.action)
    .bind(&record.target.kind)
    .bind(record.target.id)
    .bind(&record.target.name)
    .bind(changes)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Writes a user's new state if its version is unchanged (else [`StoreError::Stale`]),
/// bumps the version and returns the user as stored.
async fn write_user(conn: &mut SqliteConnection, user: &User) -> Result<User, StoreError> {
    let now = millis(user.modified_at);
    let org = named_record_id(
        &mut *conn,
        "organizations",
        user.organization.as_deref(),
        now,
    )
    .await?;
    let team = named_record_id(&mut *conn, "teams", user.team.as_deref(), now).await?;
    let result = sqlx::query(
        "UPDATE users SET username = ?, username_key = ?, email = ?, email_key = ?, \
             first_name = ?, last_name = ?, phone = ?, organization_id = ?, team_id = ?, role = ?, \
             identity_provider = ?, status = ?, two_factor = ?, modified_at = ?, \
             last_sign_in_at = ?, password_changed_at = ?, version = version + 1 \
             WHERE id = ? AND version = ?",
    )
    .bind(&user.username)
    .bind(normalize_key(&user.username))
    .bind(&user.email)
    .bind(normalize_key(&user.email))
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.phone)
    .bind(org)
    .bind(team)
    .bind(&user.role)
    .bind(&user.identity_provider)
    .bind(user.status.as_str())
    .bind(user.two_factor.as_str())
    .bind(now)
    .bind(user.last_sign_in_at.map(millis))
    .bind(user.password_changed_at.map(millis))
    .bind(user.id.0)
    .bind(user.version)
    .execute(&mut *conn)
    .await
    .map_err(|e| write_error(e, "role", 0))?;
    if result.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    write_tags(&mut *conn, user.id.0, &user.tags).await?;
    fetch_user(&mut *conn, &UserRef::Id(user.id))
        .await?
        .ok_or(StoreError::NotFound)
}

fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Appends the WHERE clause of the list query. User text only ever enters as bound values.
fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, query: &UserQuery) {
    qb.push(" WHERE 1 = 1");
    let terms = query.search_terms();
    let (long, short): (Vec<&String>, Vec<&String>) =
        terms.iter().partition(|t| t.chars().count() >= TRIGRAM);
    let (words, symbols): (Vec<&String>, Vec<&String>) = short
        .into_iter()
        .partition(|t| t.chars().all(char::is_alphanumeric));
    // Each word becomes an FTS5 string literal ("…" with quotes doubled), so no search
    // text is read as FTS syntax.
    let literal = |t: &String| format!("\"{}\"", t.replace('"', "\"\""));
    if !long.is_empty() {
        let expression = long
            .iter()
            .map(|t| literal(t))
            .collect::<Vec<_>>()
            .join(" AND ");
        qb.push(" AND users.id IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ")
            .push_bind(expression)
            .push(")");
    }
    if !words.is_empty() {
        let expression = words
            .iter()
            .map(|t| format!("{}*", literal(t)))
            .collect::<Vec<_>>()
            .join(" AND ");
        qb.push(" AND users.id IN (SELECT rowid FROM users_prefix WHERE users_prefix MATCH ")
            .push_bind(expression)
            .push(")");
    }
    // One or two punctuation characters ("%", "'") are rare enough to scan for.
    for term in symbols {
        let pattern = escape_like(term);
        qb.push(" AND (");
        for (i, column) in ["first_name", "last_name", "username", "email"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push(format!("users.{column} LIKE "))
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        qb.push(")");
    }
    if !query.statuses.is_empty() {
        qb.push(" AND users.status IN (");
        let mut list = qb.separated(", ");
        for status in &query.statuses {
            list.push_bind(status.as_str());
        }
        qb.push(")");
    }
    if !query.two_factor.is_empty() {
        qb.push(" AND users.two_factor IN (");
        let mut list = qb.separated(", ");
        for state in &query.two_factor {
            list.push_bind(state.as_str());
        }
        qb.push(")");
    }
    if let Some(org) = &query.organization {
        qb.push(" AND users.organization_id IN (SELECT id FROM organizations WHERE name_key = ")
            .push_bind(normalize_key(org))
            .push(")");
    }
    if let Some(team) = &query.team {
        if normalize_key(team) == "unassigned" {
            qb.push(" AND users.team_id IS NULL");
        } else {
            qb.push(" AND users.team_id IN (SELECT id FROM teams WHERE name_key = ")
                .push_bind(normalize_key(team))
                .push(")");
        }
    }
    if let Some(group) = query.group {
        qb.push(" AND users.id IN (SELECT user_id FROM group_members WHERE group_id = ")
            .push_bind(group.0)
            .push(")");
    }
    if let Some(role) = &query.role {
        qb.push(" AND users.role = ").push_bind(normalize_key(role));
    }
}

fn order_expression(field: SortField) -> &'static str {
    match field {
        SortField::FirstName => "users.first_name",
        SortField::LastName => "users.last_name",
        SortField::Username => "users.username",
        SortField::Email => "users.email",
        SortField::Phone => "users.phone",
        SortField::Status => "users.status",
        SortField::TwoFactor => "users.two_factor",
        SortField::Role => "users.role",
        SortField::Organization => "o.name COLLATE NOCASE",
        SortField::Team => "t.name COLLATE NOCASE",
        SortField::GroupCount => "group_count",
        SortField::CreatedAt => "users.created_at",
        SortField::ModifiedAt => "users.modified_at",
        SortField::LastSignInAt => "users.last_sign_in_at",
        SortField::Id => "users.id",
    }
}

/// (state, count) rows of a GROUP BY, with the state parsed.
fn parse_counts<S: std::str::FromStr<Err = String>>(
    rows: Vec<(String, i64)>,
) -> Result<Vec<(S, u64)>, StoreError> {
    rows.into_iter()
        .map(|(state, n)| {
            Ok((
                state.parse().map_err(StoreError::Backend)?,
                n.unsigned_abs(),
            ))
        })
        .collect()
}

/// ORDER BY the query's sort, ties broken by User ID in the same direction.
fn order_by(query: &UserQuery) -> String {
    let direction = match query.sort.direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    };
    format!(
        " ORDER BY {} {direction}, users.id {direction}",
        order_expression(query.sort.field)
    )
}

fn group_from_row(row: &SqliteRow) -> Result<Group, StoreError> {
    Ok(Group {
        id: GroupId(row.try_get("id").map_err(backend)?),
        name: row.try_get("name").map_err(backend)?,
        description: row.try_get("description").map_err(backend)?,
        organization: row.try_get("organization").map_err(backend)?,
        member_count: row.try_get("member_count").map_err(backend)?,
        created_by: row.try_get("created_by").map_err(backend)?,
        created_at: from_millis(row.try_get("created_at").map_err(backend)?),
    })
}

const GROUP_COLUMNS: &str = "SELECT g.id, g.name, g.description, o.name AS organization, \
    (SELECT count(*) FROM group_members gm WHERE gm.group_id = g.id) AS member_count, \
    g.created_by, g.created_at \
    FROM groups g LEFT JOIN organizations o ON o.id = g.organization_id";

#[async_trait]
impl Repository for SqliteRepository {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    async fn insert_users(&self, accounts: Vec<NewAccount>) -> Result<Vec<UserId>, StoreError> {
        let mut tx = self.begin_write().await?;
        // Batches name the same few organizations and teams over and over.
        let mut named: HashMap<(&'static str, String), i64> = HashMap::new();
        let mut ids = Vec::with_capacity(accounts.len());
        for (index, account) in accounts.into_iter().enumerate() {
            let user = &account.user;
            let now = millis(user.created_at);
            let mut lookup = async |table: &'static str,
                                    name: Option<&str>|
                   -> Result<Option<i64>, StoreError> {
                let Some(name) = name else { return Ok(None) };
                let key = (table, normalize_key(name));
                if let Some(id) = named.get(&key) {
                    return Ok(Some(*id));
                }
                let id = named_record_id(&mut tx, table, Some(name), now).await?;
                if let Some(id) = id {
                    named.insert(key, id);
                }
                Ok(id)
            };
            let org = lookup("organizations", user.organization.as_deref()).await?;
            let team = lookup("teams", user.team.as_deref()).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, username_key, email, email_key, first_name, last_name, phone, \
                 organization_id, team_id, role, identity_provider, status, two_factor, created_at, \
                 modified_at, created_by, password_changed_at, version) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
            )
            .bind(&user.username)
            .bind(normalize_key(&user.username))
            .bind(&user.email)
            .bind(normalize_key(&user.email))
            .bind(&user.first_name)
            .bind(&user.last_name)
            .bind(&user.phone)
            .bind(org)
            .bind(team)
            .bind(&user.role)
            .bind(&user.identity_provider)
            .bind(user.status.as_str())
            .bind(user.two_factor.as_str())
            .bind(now)
            .bind(now)
            .bind(&user.created_by)
            .bind(user.password_changed_at.map(millis))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| write_error(e, "role", index))?;
            write_tags(&mut tx, id, &user.tags).await?;
            if let Some(secrets) = &account.credentials {
                accounts::write_credentials(&mut tx, UserId(id), secrets).await?;
            }
            for mut record in account.audit {
                record.target.id = id;
                write_audit(&mut tx, &record).await?;
            }
            for mail in &account.mail {
                accounts::write_mail(&mut tx, mail).await?;
            }
            ids.push(UserId(id));
        }
        tx.commit().await.map_err(backend)?;
        Ok(ids)
    }

    async fn roles(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT name FROM roles ORDER BY built_in DESC, rowid")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn update_users(
        &self,
        users: &[User],
        audit: Vec<AuditRecord>,
    ) -> Result<Vec<User>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut updated = Vec::with_capacity(users.len());
        for user in users {
            updated.push(write_user(&mut tx, user).await?);
        }
        for record in &audit {
            write_audit(&mut tx, record).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(updated)
    }

    async fn delete_users(
        &self,
        users: &[User],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for user in users {
            let result = sqlx::query("DELETE FROM users WHERE id = ? AND version = ?")
                .bind(user.id.0)
                .bind(user.version)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            if result.rows_affected() == 0 {
                return Err(StoreError::Stale);
            }
        }
        for record in &audit {
            write_audit(&mut tx, record).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn find_user(&self, user: &UserRef) -> Result<Option<User>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        fetch_user(&mut conn, user).await
    }

    async fn username_taken(&self, username_key: &str) -> Result<bool, StoreError> {
        sqlx::query_scalar("SELECT count(*) > 0 FROM users WHERE username_key = ?")
            .bind(username_key)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)
    }

    async fn list_users(&self, query: &UserQuery) -> Result<UserPage, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM users");
        push_filters(&mut count, query);
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;

        let mut page = QueryBuilder::<Sqlite>::new(USER_COLUMNS);
        push_filters(&mut page, query);
        page.push(order_by(query))
            .push(" LIMIT ")
            .push_bind(i64::from(query.limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
        let rows = page.build().fetch_all(&mut *conn).await.map_err(backend)?;
        let mut users = rows
            .iter()
            .map(user_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        load_tags(&mut conn, &mut users).await?;
        Ok(UserPage {
            users,
            total: u64::try_from(total).unwrap_or_default(),
            offset: query.offset,
        })
    }

    async fn user_ids(&self, query: &UserQuery, limit: u64) -> Result<Vec<UserId>, StoreError> {
        // The join supplies the organization and team names a sort may need.
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT users.id FROM users \
             LEFT JOIN organizations o ON o.id = users.organization_id \
             LEFT JOIN teams t ON t.id = users.team_id",
        );
        push_filters(&mut qb, query);
        if query.sort.field == SortField::GroupCount {
            qb.push(" ORDER BY users.id");
        } else {
            qb.push(order_by(query));
        }
        qb.push(" LIMIT ")
            .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
        let ids: Vec<i64> = qb
            .build_query_scalar()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    async fn count_users(
        &self,
    ) -> Result<(Vec<(Status, u64)>, Vec<(TwoFactorState, u64)>), StoreError> {
        let count = |sql: &'static str| async move {
            let rows: Vec<(String, i64)> = sqlx::query_as(sql)
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
            Ok::<_, StoreError>(rows)
        };
        let statuses = count("SELECT status, count(*) FROM users GROUP BY status").await?;
        let factors = count("SELECT two_factor, count(*) FROM users GROUP BY two_factor").await?;
        Ok((parse_counts(statuses)?, parse_counts(factors)?))
    }

    async fn organizations(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT name FROM organizations ORDER BY name_key")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn teams(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT name FROM teams ORDER BY name_key")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn get_group(&self, group: GroupId) -> Result<Option<Group>, StoreError> {
        let row = sqlx::query(&format!("{GROUP_COLUMNS} WHERE g.id = ?"))
            .bind(group.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(group_from_row).transpose()
    }

    async fn update_group(
        &self,
        group: GroupId,
        name: &str,
        description: &str,
        audit: AuditRecord,
    ) -> Result<Group, StoreError> {
        let mut tx = self.begin_write().await?;
        let result =
            sqlx::query("UPDATE groups SET name = ?, name_key = ?, description = ? WHERE id = ?")
                .bind(name)
                .bind(normalize_key(name))
                .bind(description)
                .bind(group.0)
                .execute(&mut *tx)
                .await
                .map_err(|e| write_error(e, "group", 0))?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_audit(&mut tx, &audit).await?;
        let row = sqlx::query(&format!("{GROUP_COLUMNS} WHERE g.id = ?"))
            .bind(group.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        let updated = group_from_row(&row)?;
        tx.commit().await.map_err(backend)?;
        Ok(updated)
    }

    async fn insert_group(
        &self,
        name: &str,
        description: &str,
        organization: Option<&str>,
        created_by: &str,
        created_at: DateTime<Utc>,
        mut audit: AuditRecord,
    ) -> Result<Group, StoreError> {
        let mut tx = self.begin_write().await?;
        let org =
            named_record_id(&mut tx, "organizations", organization, millis(created_at)).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO groups (name, name_key, description, organization_id, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(normalize_key(name))
        .bind(description)
        .bind(org)
        .bind(created_by)
        .bind(millis(created_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| write_error(e, "organization", 0))?;
        audit.target.id = id;
        write_audit(&mut tx, &audit).await?;
        let row = sqlx::query(&format!("{GROUP_COLUMNS} WHERE g.id = ?"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        let group = group_from_row(&row)?;
        tx.commit().await.map_err(backend)?;
        Ok(group)
    }

    async fn find_groups(&self, name_key: &str) -> Result<Vec<Group>, StoreError> {
        let rows = sqlx::query(&format!(
            "{GROUP_COLUMNS} WHERE g.name_key = ? ORDER BY g.id"
        ))
        .bind(name_key)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(group_from_row).collect()
    }

    async fn list_groups(&self) -> Result<Vec<Group>, StoreError> {
        let rows = sqlx::query(&format!("{GROUP_COLUMNS} ORDER BY g.name_key, g.id"))
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(group_from_row).collect()
    }

    async fn groups_of(&self, user: UserId) -> Result<Vec<Group>, StoreError> {
        let rows = sqlx::query(&format!(
            "{GROUP_COLUMNS} WHERE g.id IN (SELECT group_id FROM group_members WHERE user_id = ?) \
             ORDER BY g.name_key, g.id"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(group_from_row).collect()
    }

    async fn delete_group(&self, group: GroupId, audit: AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let result = sqlx::query("DELETE FROM groups WHERE id = ?")
            .bind(group.0)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn change_members(
        &self,
        group: GroupId,
        change: GroupMembershipChange,
        users: &[UserId],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        let Some(at) = audit.first().map(|r| millis(r.at)) else {
            return Ok(());
        };
        let mut tx = self.begin_write().await?;
        for user in users {
            let statement = match change {
                GroupMembershipChange::Add => sqlx::query(
                    "INSERT INTO group_members (group_id, user_id, added_at) VALUES (?, ?, ?) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(group.0)
                .bind(user.0)
                .bind(at),
                GroupMembershipChange::Remove => {
                    sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
                        .bind(group.0)
                        .bind(user.0)
                }
            };
            statement
                .execute(&mut *tx)
                .await
                .map_err(|e| write_error(e, "group", 0))?;
        }
        for record in &audit {
            write_audit(&mut tx, record).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn members_among(
        &self,
        group: GroupId,
        users: &[UserId],
    ) -> Result<Vec<UserId>, StoreError> {
        let mut members = Vec::new();
        for chunk in users.chunks(500) {
            let mut qb =
                QueryBuilder::<Sqlite>::new("SELECT user_id FROM group_members WHERE group_id = ");
            qb.push_bind(group.0).push(" AND user_id IN (");
            let mut list = qb.separated(", ");
            for user in chunk {
                list.push_bind(user.0);
            }
            qb.push(")");
            let ids: Vec<i64> = qb
                .build_query_scalar()
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
            members.extend(ids.into_iter().map(UserId));
        }
        Ok(members)
    }

    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT a.id, a.at, a.actor, a.workstation, a.origin, a.action, a.target_kind, \
             a.target_id, a.target_name, a.changes, \
             (a.target_kind = 'user' AND u.id IS NULL) AS target_deleted \
             FROM audit_log a LEFT JOIN users u ON a.target_kind = 'user' AND u.id = a.target_id",
        );
        if let Some(user) = query.user {
            qb.push(" WHERE a.target_kind = 'user' AND a.target_id = ")
                .push_bind(user.0);
        }
        qb.push(" ORDER BY a.id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows = qb.build().fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter()
            .map(|row| {
                let origin: String = row.try_get("origin").map_err(backend)?;
                let changes: String = row.try_get("changes").map_err(backend)?;
                let changes: Vec<FieldChange> = serde_json::from_str(&changes)
                    .map_err(|e| StoreError::Backend(e.to_string()))?;
                let id: i64 = row.try_get("target_id").map_err(backend)?;
                let deleted: bool = row.try_get("target_deleted").map_err(backend)?;
                let name = if deleted {
                    roster_core::deleted_user_label(UserId(id))
                } else {
                    row.try_get("target_name").map_err(backend)?
                };
                let action: String = row.try_get("action").map_err(backend)?;
                Ok(AuditEntry {
                    id: row.try_get("id").map_err(backend)?,
                    at: from_millis(row.try_get("at").map_err(backend)?),
                    actor: row.try_get("actor").map_err(backend)?,
                    workstation: row.try_get("workstation").map_err(backend)?,
                    origin: Origin::parse(&origin)
                        .ok_or_else(|| StoreError::Backend(format!("unknown origin '{origin}'")))?,
                    label: roster_core::action_label(&action).to_owned(),
                    action,
                    target: AuditTarget {
                        kind: row.try_get("target_kind").map_err(backend)?,
                        id,
                        name,
                    },
                    changes,
                })
            })
            .collect()
    }

    async fn credentials(&self, user: UserId) -> Result<Credentials, StoreError> {
        accounts::credentials(self, user).await
    }

    async fn save_accounts(&self, changes: Vec<AccountChange>) -> Result<Vec<User>, StoreError> {
        accounts::save_accounts(self, changes).await
    }

    async fn owner_with_password_exists(&self) -> Result<bool, StoreError> {
        accounts::owner_with_password_exists(self).await
    }

    async fn unknown_login_failures(
        &self,
        login_key: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        accounts::unknown_login_failures(self, login_key, since).await
    }

    async fn sign_ins(&self, user: UserId, limit: u32) -> Result<Vec<SignInEntry>, StoreError> {
        accounts::sign_ins(self, user, limit).await
    }

    async fn insert_token(
        &self,
        token: &NewTokenRecord,
        audit: AuditRecord,
    ) -> Result<i64, StoreError> {
        accounts::insert_token(self, token, audit).await
    }

    async fn get_token(&self, id: i64) -> Result<Option<TokenRecord>, StoreError> {
        accounts::get_token(self, id).await
    }

    async fn revoke_token(
        &self,
        id: i64,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        accounts::revoke_token(self, id, at, audit).await
    }

    async fn list_tokens(&self, filter: &TokenFilter) -> Result<Vec<TokenRecord>, StoreError> {
        accounts::list_tokens(self, filter).await
    }

    async fn role_permissions(&self) -> Result<Vec<(String, Permission)>, StoreError> {
        accounts::role_permissions(self).await
    }

    async fn role_user_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        accounts::role_user_counts(self).await
    }

    async fn role_rows(&self) -> Result<Vec<(String, String, bool)>, StoreError> {
        accounts::role_rows(self).await
    }

    async fn save_role(
        &self,
        name: &str,
        description: &str,
        permissions: &[Permission],
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        accounts::save_role(self, name, description, permissions, audit).await
    }

    async fn delete_role(&self, name: &str, audit: AuditRecord) -> Result<(), StoreError> {
        accounts::delete_role(self, name, audit).await
    }

    async fn settings(&self) -> Result<Option<Settings>, StoreError> {
        accounts::settings(self).await
    }

    async fn save_settings(
        &self,
        settings: &Settings,
        audit: AuditRecord,
    ) -> Result<Settings, StoreError> {
        accounts::save_settings(self, settings, audit).await
    }

    async fn list_mail(&self, limit: u32) -> Result<Vec<MailMessage>, StoreError> {
        accounts::list_mail(self, limit).await
    }

    async fn get_mail(&self, id: i64) -> Result<Option<MailMessage>, StoreError> {
        accounts::get_mail(self, id).await
    }

    async fn due_mail(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<MailMessage>, StoreError> {
        accounts::due_mail(self, now, limit).await
    }

    async fn update_mail(&self, mail: &MailMessage) -> Result<(), StoreError> {
        accounts::update_mail(self, mail).await
    }
}
