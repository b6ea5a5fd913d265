//! The queries every backend shares, written once over [`Dialect`]: the users and their
//! tags (`users.rs`), groups (`groups.rs`), the audit trail (`audit.rs`), credentials,
//! sign-in events and tokens (`accounts.rs`), roles, settings and the outbox
//! (`admin.rs`). A backend module (sqlite.rs) supplies the dialect and the connection.

use crate::backups;
use crate::dialect::{Dialect, PausedSearch, Value, backend};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roster_core::{
    AccountChange, Attribute, AttributeId, AttributeRecord, AuditEntry, AuditPurge, AuditQuery,
    AuditRecord, BackupFile, Census, ChainHead, ChainRow, ChangeFloors, ChangeMark, Count,
    Credentials, Device, DeviceHandover, DeviceId, DeviceQuery, Group, GroupId,
    GroupMembershipChange, ImportWriter, MailMessage, Membership, NewAccount, NewDevice,
    NewTokenRecord, OpenedBackup, Organization, OrganizationId, Origin, Permission, Repository,
    RoleRow, SessionAccount, Settings, SignInEntry, Status, StoreError, TakenKey, TokenFilter,
    TokenRecord, TwoFactorState, User, UserId, UserQuery, UserRef, UserUpdate,
};
use sqlx::{Pool, QueryBuilder, Transaction};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod accounts;
mod admin;
mod attributes;
mod audit;
mod devices;
mod groups;
mod named;
mod organizations;
mod users;

pub(crate) use users::set_managers;

pub(crate) use audit::{Sealing, seal as seal_audit_chain, seal_pending};
pub(crate) use users::fill_lookalikes;

/// Binding through the dialect, so shared code needs no per-type bounds.
pub(crate) trait Bind {
    fn bind(&mut self, value: impl Into<Value>) -> &mut Self;
    /// `v1, v2, …`, each bound.
    fn bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self;
    /// `v1, v2, …` for values of different types (a row to insert).
    fn bind_values(&mut self, values: Vec<Value>) -> &mut Self {
        self.bind_list(values)
    }
}

impl<DB: Dialect> Bind for QueryBuilder<'_, DB> {
    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        DB::bind(self, value.into());
        self
    }

    fn bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            DB::bind(self, value.into());
        }
        self
    }
}

/// A result row, read through the dialect.
pub(crate) struct Cells<'r, DB: Dialect>(pub &'r DB::Row);

impl<DB: Dialect> Cells<'_, DB> {
    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        DB::int(self.0, column).map_err(backend)
    }
    pub fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        DB::opt_int(self.0, column).map_err(backend)
    }
    pub fn text(&self, column: &str) -> Result<String, StoreError> {
        DB::text(self.0, column).map_err(backend)
    }
    pub fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        DB::opt_text(self.0, column).map_err(backend)
    }
    pub fn boolean(&self, column: &str) -> Result<bool, StoreError> {
        DB::boolean(self.0, column).map_err(backend)
    }
    pub fn opt_bytes(&self, column: &str) -> Result<Option<Vec<u8>>, StoreError> {
        DB::opt_bytes(self.0, column).map_err(backend)
    }
    pub fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        self.int(column).map(from_millis)
    }
    pub fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self.opt_int(column)?.map(from_millis))
    }
    /// Which front end a recorded change or sign-in came through.
    pub fn origin(&self, column: &str) -> Result<Origin, StoreError> {
        let origin = self.text(column)?;
        Origin::parse(&origin)
            .ok_or_else(|| StoreError::Backend(format!("unknown origin '{origin}'")))
    }

    /// A count or other non-negative number.
    pub fn count(&self, column: &str) -> Result<u64, StoreError> {
        Ok(self.int(column)?.max(0).unsigned_abs())
    }
}

pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub(crate) fn sql<'a, DB: Dialect>(text: &str) -> QueryBuilder<'a, DB> {
    QueryBuilder::new(text)
}

pub(crate) async fn execute<DB: Dialect>(
    conn: &mut DB::Connection,
    qb: QueryBuilder<'_, DB>,
) -> Result<u64, StoreError> {
    DB::execute(conn, qb).await.map_err(backend)
}

/// ` AND column IN (…)`, the organizations of an actor's scope: nothing when it has none.
pub(crate) fn push_within<DB: Dialect>(
    qb: &mut QueryBuilder<'_, DB>,
    column: &str,
    scope: &[OrganizationId],
) {
    if scope.is_empty() {
        qb.push(" AND 1 = 0");
    } else {
        qb.push(format!(" AND {column} IN ("))
            .bind_list(scope.iter().map(|o| o.0))
            .push(")");
    }
}

pub(crate) async fn fetch_all<DB: Dialect>(
    conn: &mut DB::Connection,
    qb: QueryBuilder<'_, DB>,
) -> Result<Vec<DB::Row>, StoreError> {
    DB::fetch_all(conn, qb).await.map_err(backend)
}

pub(crate) async fn fetch_optional<DB: Dialect>(
    conn: &mut DB::Connection,
    qb: QueryBuilder<'_, DB>,
) -> Result<Option<DB::Row>, StoreError> {
    DB::fetch_optional(conn, qb).await.map_err(backend)
}

pub(crate) async fn fetch_one<DB: Dialect>(
    conn: &mut DB::Connection,
    qb: QueryBuilder<'_, DB>,
) -> Result<DB::Row, StoreError> {
    fetch_optional(conn, qb)
        .await?
        .ok_or_else(|| StoreError::Backend("the query returned no row".into()))
}

/// Every row, read by `read`.
pub(crate) async fn fetch_map<DB: Dialect, T>(
    conn: &mut DB::Connection,
    qb: QueryBuilder<'_, DB>,
    read: impl Fn(&Cells<'_, DB>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(|row| read(&Cells(row)))
        .collect()
}

/// Bound values one statement may carry: SQLite allows 32,766, PostgreSQL 65,535.
pub(super) const MAX_BINDS: usize = 30_000;

/// `INSERT INTO {into} VALUES (…), (…), …`: the rows in as few statements as the database
/// takes (one round trip per statement, not per row). `after` appends what every statement
/// ends with (ignoring duplicates, say).
pub(crate) async fn insert_rows<DB: Dialect>(
    conn: &mut DB::Connection,
    into: &str,
    rows: Vec<Vec<Value>>,
    after: fn(&mut QueryBuilder<'_, DB>),
) -> Result<(), sqlx::Error> {
    let width = rows.first().map_or(1, Vec::len).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = sql::<DB>(&format!("INSERT INTO {into} VALUES "));
        for (i, row) in rows.by_ref().take(MAX_BINDS / width).enumerate() {
            if i > 0 {
                insert.push(", ");
            }
            insert.push("(").bind_values(row).push(")");
        }
        after(&mut insert);
        DB::execute(&mut *conn, insert).await?;
    }
    Ok(())
}

/// Nothing to append to an insert.
pub(crate) fn plain<DB: Dialect>(_: &mut QueryBuilder<'_, DB>) {}

/// The first column of every row, as integers (ids, counts).
pub(crate) async fn fetch_ints<DB: Dialect>(
    conn: &mut DB::Connection,
    qb: QueryBuilder<'_, DB>,
    column: &str,
) -> Result<Vec<i64>, StoreError> {
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(|row| Cells::<DB>(row).int(column))
        .collect()
}

/// A repository over any database with a [`Dialect`].
pub(crate) struct SqlRepository<DB: Dialect> {
    pool: Pool<DB>,
    location: String,
}

impl<DB: Dialect> SqlRepository<DB> {
    pub(crate) fn new(pool: Pool<DB>, location: String) -> Self {
        SqlRepository { pool, location }
    }

    /// The pool, when the directory is a SQLite file: backups are only that backend's.
    fn sqlite(&self) -> Option<&Pool<sqlx::Sqlite>> {
        (&self.pool as &dyn std::any::Any).downcast_ref()
    }

    fn file_backed(&self) -> Result<&Pool<sqlx::Sqlite>, StoreError> {
        self.sqlite().ok_or_else(|| {
            StoreError::File(format!(
                "a {} server is backed up on the server with its own tools, not by Roster",
                DB::BACKEND
            ))
        })
    }

    async fn begin_write(&self) -> Result<Write<DB>, StoreError> {
        let mut tx = DB::begin_write(&self.pool).await.map_err(backend)?;
        let batch = i64::from_ne_bytes(random_bytes());
        if !DB::WRITERS_TAKE_TURNS {
            DB::set_audit_batch(&mut tx, batch).await.map_err(backend)?;
        }
        Ok(Write { tx, batch })
    }

    async fn commit(&self, write: Write<DB>) -> Result<(), StoreError> {
        commit(&self.pool, write, Sealing::Write).await
    }

    async fn read(&self) -> Result<sqlx::pool::PoolConnection<DB>, StoreError> {
        self.pool.acquire().await.map_err(backend)
    }
}

/// A write transaction, and the batch its audit entries wait under until it commits (on a
/// server; see `audit::seal_pending`).
pub(crate) struct Write<DB: Dialect> {
    tx: Transaction<'static, DB>,
    batch: i64,
}

impl<DB: Dialect> std::ops::Deref for Write<DB> {
    type Target = Transaction<'static, DB>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl<DB: Dialect> std::ops::DerefMut for Write<DB> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Commits, then chains the write's audit entries (`sealing` names whose, and how). Once
/// committed the change stands: if chaining does not happen (the chain's row busy, the
/// connection gone), the entries wait in `audit_pending` for the next sweep: each open
/// window's look for changes (every few seconds), the next start, or a read of the log.
async fn commit<DB: Dialect>(
    pool: &Pool<DB>,
    write: Write<DB>,
    sealing: fn(i64) -> Sealing,
) -> Result<(), StoreError> {
    write.tx.commit().await.map_err(backend)?;
    let _ = audit::seal_pending::<DB>(pool, sealing(write.batch)).await;
    Ok(())
}

pub(crate) fn random_bytes() -> [u8; 8] {
    let mut bytes = [0; 8];
    // Without the OS's generator nothing else in Roster works either (sessions, codes).
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// Times a write runs again after the database ended it to break a deadlock.
const DEADLOCK_RETRIES: usize = 3;

/// Runs a write, and again when the database ended it to break a deadlock: the other
/// transaction went on, so the next attempt usually gets through. Each attempt is a
/// transaction of its own, rolled back whole when it fails. After the last, or when a row
/// stayed held past the wait, [`StoreError::Busy`].
async fn retrying<T, Attempt>(mut attempt: impl FnMut() -> Attempt) -> Result<T, StoreError>
where
    Attempt: std::future::Future<Output = Result<T, StoreError>>,
{
    for _ in 0..DEADLOCK_RETRIES {
        match attempt().await {
            Err(StoreError::Deadlock) => continue,
            done => return done,
        }
    }
    attempt().await.map_err(|e| match e {
        StoreError::Deadlock => StoreError::Busy,
        e => e,
    })
}

/// An import's open write transaction, and the groups it gave members, which it recounts
/// before committing.
struct SqlImport<DB: Dialect> {
    pool: Pool<DB>,
    tx: Write<DB>,
    touched: BTreeSet<i64>,
    links: users::ManagerLinks,
    /// Set while the search index waits to take the import's new users at once.
    search: Option<PausedSearch>,
    /// The users this import wrote so far.
    created: u64,
    /// When the sort indexes are next weighed against building them afresh, in users
    /// written; and the statements that build the ones dropped.
    weigh_sort_indexes_at: u64,
    dropped_sort_indexes: Vec<String>,
}

/// New users in one write from which an import stops keeping the search index row by row:
/// below it the per-row upkeep costs less than pausing does.
const PAUSE_SEARCH_FROM: usize = 100;

/// New users from which an import builds the sort indexes afresh at the end instead of
/// inserting into each, when the directory held no more users than that before: building
/// costs about what the table holds, inserting about what the import adds, times a larger
/// factor.
const REBUILD_SORT_INDEXES_FROM: u64 = 20_000;

impl<DB: Dialect> SqlImport<DB> {
    async fn resume_search(&mut self) -> Result<(), StoreError> {
        match self.search.take() {
            Some(paused) => DB::resume_search_index(&mut self.tx, paused)
                .await
                .map_err(backend),
            None => Ok(()),
        }
    }

    /// Once the import is as large as what the directory held before it, drops the sort
    /// indexes for [`Self::rebuild_sort_indexes`] to build once. Weighed again each time
    /// the import doubles, so a large import into a large directory gets there too.
    async fn weigh_sort_indexes(&mut self) -> Result<(), StoreError> {
        // Only a writer holding the whole database may drop them: no count on a server.
        if !DB::WRITERS_TAKE_TURNS
            || self.created < self.weigh_sort_indexes_at
            || !self.dropped_sort_indexes.is_empty()
        {
            return Ok(());
        }
        self.weigh_sort_indexes_at = self.created * 2;
        let qb = sql::<DB>("SELECT count(*) AS n FROM users");
        let holds = Cells::<DB>(&fetch_one::<DB>(&mut self.tx, qb).await?).count("n")?;
        if holds.saturating_sub(self.created) <= self.created {
            self.dropped_sort_indexes =
                DB::drop_sort_indexes(&mut self.tx).await.map_err(backend)?;
        }
        Ok(())
    }

    async fn rebuild_sort_indexes(&mut self) -> Result<(), StoreError> {
        for index in std::mem::take(&mut self.dropped_sort_indexes) {
            execute::<DB>(&mut self.tx, sql::<DB>(&index)).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl<DB: Dialect> ImportWriter for SqlImport<DB> {
    async fn write(
        &mut self,
        accounts: Vec<NewAccount>,
        updates: Vec<UserUpdate>,
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        if !updates.is_empty() {
            // A changed name rewrites the user's index entry, which must be there first.
            self.resume_search().await?;
        } else if self.search.is_none() && accounts.len() >= PAUSE_SEARCH_FROM {
            self.search = DB::pause_search_index(&mut self.tx)
                .await
                .map_err(backend)?;
        }
        self.created += accounts.len() as u64;
        users::insert_users::<DB>(&mut self.tx, accounts, &mut self.touched, &mut self.links)
            .await?;
        self.weigh_sort_indexes().await?;
        let changed: Vec<User> = updates.iter().filter_map(|u| u.user.clone()).collect();
        users::write_users::<DB>(&mut self.tx, &changed, users::Owners::MustRemain).await?;
        users::join_groups::<DB>(&mut self.tx, &updates, &mut self.touched).await?;
        audit::write_all::<DB>(&mut self.tx, &audit).await
    }

    async fn commit(mut self: Box<Self>, audit: Vec<AuditRecord>) -> Result<(), StoreError> {
        self.resume_search().await?;
        self.rebuild_sort_indexes().await?;
        let touched: Vec<i64> = self.touched.iter().copied().collect();
        groups::recount_members::<DB>(&mut self.tx, &touched).await?;
        users::link_managers::<DB>(&mut self.tx, &mut self.links).await?;
        audit::write_all::<DB>(&mut self.tx, &audit).await?;
        commit(&self.pool, self.tx, Sealing::Import).await
    }

    async fn roll_back(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.tx.rollback().await.map_err(backend)
    }
}

#[async_trait]
impl<DB: Dialect> Repository for SqlRepository<DB> {
    fn backend(&self) -> &'static str {
        DB::BACKEND
    }

    fn location(&self) -> String {
        self.location.clone()
    }

    async fn insert_users(
        &self,
        accounts: Vec<NewAccount>,
        audit: Vec<AuditRecord>,
    ) -> Result<Vec<UserId>, StoreError> {
        let (accounts, audit) = (&accounts, &audit);
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let mut touched = BTreeSet::new();
            let mut links = users::ManagerLinks::default();
            let ids =
                users::insert_users::<DB>(&mut tx, accounts.clone(), &mut touched, &mut links)
                    .await?;
            users::link_managers::<DB>(&mut tx, &mut links).await?;
            let touched: Vec<i64> = touched.into_iter().collect();
            groups::recount_members::<DB>(&mut tx, &touched).await?;
            audit::write_all::<DB>(&mut tx, audit).await?;
            self.commit(tx).await?;
            Ok(ids)
        })
        .await
    }

    async fn begin_import(&self) -> Result<Box<dyn ImportWriter>, StoreError> {
        Ok(Box::new(SqlImport {
            pool: self.pool.clone(),
            tx: self.begin_write().await?,
            touched: BTreeSet::new(),
            links: users::ManagerLinks::default(),
            search: None,
            created: 0,
            weigh_sort_indexes_at: REBUILD_SORT_INDEXES_FROM,
            dropped_sort_indexes: Vec::new(),
        }))
    }

    async fn update_users(
        &self,
        users: &[User],
        audit: Vec<AuditRecord>,
    ) -> Result<Vec<User>, StoreError> {
        let audit = &audit;
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let updated =
                users::write_users::<DB>(&mut tx, users, users::Owners::MustRemain).await?;
            audit::write_all::<DB>(&mut tx, audit).await?;
            self.commit(tx).await?;
            Ok(updated)
        })
        .await
    }

    async fn delete_users(
        &self,
        users: &[User],
        reports: &[User],
        devices: DeviceHandover,
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        let audit = &audit;
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            users::write_users::<DB>(&mut tx, reports, users::Owners::MustRemain).await?;
            users::delete_users::<DB>(&mut tx, users, devices).await?;
            audit::write_all::<DB>(&mut tx, audit).await?;
            self.commit(tx).await
        })
        .await
    }

    async fn roles(&self) -> Result<Vec<String>, StoreError> {
        Ok(admin::role_rows::<DB>(&mut *self.read().await?)
            .await?
            .into_iter()
            .map(|role| role.name)
            .collect())
    }

    async fn find_user(&self, user: &UserRef) -> Result<Option<User>, StoreError> {
        users::fetch_user::<DB>(&mut *self.read().await?, user).await
    }

    async fn taken_keys(
        &self,
        emails: &[String],
        usernames: &[String],
    ) -> Result<Vec<TakenKey>, StoreError> {
        users::taken_keys::<DB>(&mut *self.read().await?, emails, usernames).await
    }

    async fn username_taken(&self, username: &str) -> Result<bool, StoreError> {
        users::username_taken::<DB>(&mut *self.read().await?, username).await
    }

    async fn list_users(&self, query: &UserQuery) -> Result<Vec<User>, StoreError> {
        users::list_users::<DB>(&mut *self.read().await?, query).await
    }

    async fn count_matching_users(
        &self,
        query: &UserQuery,
        up_to: Option<u64>,
    ) -> Result<Count, StoreError> {
        users::count_matching::<DB>(&mut *self.read().await?, query, up_to).await
    }

    async fn each_user(
        &self,
        query: &UserQuery,
        visit: &mut (dyn FnMut(User) -> Result<(), StoreError> + Send),
    ) -> Result<u64, StoreError> {
        users::each_user::<DB>(&mut *self.read().await?, query, visit).await
    }

    async fn user_ids(&self, query: &UserQuery, limit: u64) -> Result<Vec<UserId>, StoreError> {
        users::user_ids::<DB>(&mut *self.read().await?, query, limit).await
    }

    async fn count_users(
        &self,
        within: Option<&[OrganizationId]>,
    ) -> Result<(Vec<(Status, u64)>, Vec<(TwoFactorState, u64)>), StoreError> {
        users::count_users::<DB>(&mut *self.read().await?, within).await
    }

    async fn organization_names(&self) -> Result<Vec<(OrganizationId, String)>, StoreError> {
        organizations::names::<DB>(&mut *self.read().await?).await
    }

    async fn account_scope(&self, user: UserId) -> Result<Option<Vec<OrganizationId>>, StoreError> {
        organizations::account_scope::<DB>(&mut *self.read().await?, user).await
    }

    async fn set_account_scope(
        &self,
        user: UserId,
        scope: Option<&[OrganizationId]>,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        organizations::set_account_scope::<DB>(&mut tx, user, scope, &audit).await?;
        self.commit(tx).await
    }

    async fn list_organizations(&self) -> Result<Vec<Organization>, StoreError> {
        organizations::list::<DB>(&mut *self.read().await?).await
    }

    async fn attributes(&self) -> Result<Vec<Attribute>, StoreError> {
        attributes::list::<DB>(&mut *self.read().await?).await
    }

    async fn insert_attribute(
        &self,
        record: AttributeRecord,
        audit: AuditRecord,
    ) -> Result<Attribute, StoreError> {
        let mut tx = self.begin_write().await?;
        let attribute = attributes::insert::<DB>(&mut tx, record, audit).await?;
        self.commit(tx).await?;
        Ok(attribute)
    }

    async fn count_attribute_values(&self, attribute: AttributeId) -> Result<u64, StoreError> {
        attributes::count_values::<DB>(&mut *self.read().await?, attribute).await
    }

    async fn shared_attribute_value(
        &self,
        attribute: AttributeId,
    ) -> Result<Option<String>, StoreError> {
        attributes::shared_value::<DB>(&mut *self.read().await?, attribute).await
    }

    async fn update_attribute(
        &self,
        before: &Attribute,
        after: &Attribute,
        dropped: &[String],
        audit: AuditRecord,
    ) -> Result<Attribute, StoreError> {
        let audit = &audit;
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let updated = attributes::update::<DB>(&mut tx, before, after, dropped, audit).await?;
            self.commit(tx).await?;
            Ok(updated)
        })
        .await
    }

    async fn delete_attribute(
        &self,
        attribute: AttributeId,
        values: u64,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        attributes::delete::<DB>(&mut tx, attribute, values, &audit).await?;
        self.commit(tx).await
    }

    async fn attribute_holder(
        &self,
        attribute: AttributeId,
        value: &str,
    ) -> Result<Option<UserId>, StoreError> {
        attributes::holder::<DB>(&mut *self.read().await?, attribute, value).await
    }

    async fn insert_organization(
        &self,
        name: &str,
        created_at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Organization, StoreError> {
        let mut tx = self.begin_write().await?;
        let organization = organizations::insert::<DB>(&mut tx, name, created_at, audit).await?;
        self.commit(tx).await?;
        Ok(organization)
    }

    async fn rename_organization(
        &self,
        organization: OrganizationId,
        name: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        organizations::rename::<DB>(&mut tx, organization, name, &audit).await?;
        self.commit(tx).await
    }

    async fn delete_organization(
        &self,
        organization: OrganizationId,
        move_to: Option<OrganizationId>,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        organizations::delete::<DB>(&mut tx, organization, move_to, &audit).await?;
        self.commit(tx).await
    }

    async fn teams(&self, within: Option<&[OrganizationId]>) -> Result<Vec<String>, StoreError> {
        users::teams::<DB>(&mut *self.read().await?, within).await
    }

    async fn departments(
        &self,
        within: Option<&[OrganizationId]>,
    ) -> Result<Vec<String>, StoreError> {
        users::departments::<DB>(&mut *self.read().await?, within).await
    }

    async fn insert_group(
        &self,
        name: &str,
        description: &str,
        organization: Option<&str>,
        created_by: &str,
        created_at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Group, StoreError> {
        let mut tx = self.begin_write().await?;
        let group = groups::insert_group::<DB>(
            &mut tx,
            groups::NewGroupRow {
                name,
                description,
                organization,
                created_by,
                created_at,
            },
            audit,
        )
        .await?;
        self.commit(tx).await?;
        Ok(group)
    }

    async fn get_group(&self, group: GroupId) -> Result<Option<Group>, StoreError> {
        groups::get_group::<DB>(&mut *self.read().await?, group).await
    }

    async fn update_group(
        &self,
        group: GroupId,
        name: &str,
        description: &str,
        version: i64,
        audit: AuditRecord,
    ) -> Result<Group, StoreError> {
        let mut tx = self.begin_write().await?;
        let updated =
            groups::update_group::<DB>(&mut tx, group, name, description, version).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await?;
        Ok(updated)
    }

    async fn find_groups(&self, name_key: &str) -> Result<Vec<Group>, StoreError> {
        groups::find_groups::<DB>(&mut *self.read().await?, name_key).await
    }

    async fn list_groups(&self) -> Result<Vec<Group>, StoreError> {
        groups::list_groups::<DB>(&mut *self.read().await?).await
    }

    async fn groups_of(&self, user: UserId) -> Result<Vec<Group>, StoreError> {
        groups::groups_of::<DB>(&mut *self.read().await?, user).await
    }

    async fn delete_group(&self, group: GroupId, audit: AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        groups::delete_group::<DB>(&mut tx, group).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await
    }

    async fn change_members(
        &self,
        group: GroupId,
        change: GroupMembershipChange,
        users: &[UserId],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        let Some(at) = audit.first().map(|r| r.at) else {
            return Ok(());
        };
        let audit = &audit;
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            groups::change_members::<DB>(&mut tx, group, change, users, at).await?;
            audit::write_all::<DB>(&mut tx, audit).await?;
            self.commit(tx).await
        })
        .await
    }

    async fn each_membership(
        &self,
        visit: &mut (dyn FnMut(Membership) -> Result<(), StoreError> + Send),
    ) -> Result<u64, StoreError> {
        groups::each_membership::<DB>(&mut *self.read().await?, visit).await
    }

    async fn members_among(
        &self,
        group: GroupId,
        users: &[UserId],
    ) -> Result<Vec<UserId>, StoreError> {
        groups::members_among::<DB>(&mut *self.read().await?, group, users).await
    }

    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let _ = audit::seal_pending::<DB>(&self.pool, Sealing::All).await;
        audit::list::<DB>(&mut *self.read().await?, query).await
    }

    async fn audit_chain_head(&self) -> Result<ChainHead, StoreError> {
        let _ = audit::seal_pending::<DB>(&self.pool, Sealing::All).await;
        audit::chain_head::<DB>(&mut *self.read().await?).await
    }

    async fn audit_chain_rows(&self, after: i64, limit: u32) -> Result<Vec<ChainRow>, StoreError> {
        audit::chain_rows::<DB>(&mut *self.read().await?, after, limit).await
    }

    async fn audit_purge_plan(&self, before: DateTime<Utc>) -> Result<AuditPurge, StoreError> {
        audit::purge_plan::<DB>(&mut *self.read().await?, before).await
    }

    async fn purge_audit(&self, plan: &AuditPurge, record: AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit::purge::<DB>(&mut *tx, plan, &record).await?;
        self.commit(tx).await
    }

    /// After a sweep (`Sealing::All`): every open window looks every few seconds, so what
    /// committed writes left unchained is chained within seconds while any Roster runs.
    async fn change_mark(&self, floors: ChangeFloors) -> Result<ChangeMark, StoreError> {
        let _ = audit::seal_pending::<DB>(&self.pool, Sealing::All).await;
        audit::change_mark::<DB>(&mut *self.read().await?, floors).await
    }

    async fn credentials(&self, user: UserId) -> Result<Credentials, StoreError> {
        accounts::credentials::<DB>(&mut *self.read().await?, user).await
    }

    async fn save_accounts(&self, changes: Vec<AccountChange>) -> Result<Vec<User>, StoreError> {
        let changes = &changes;
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let written = users::save_accounts::<DB>(&mut tx, changes.clone()).await?;
            self.commit(tx).await?;
            Ok(written)
        })
        .await
    }

    async fn session_account(&self, user: UserId) -> Result<SessionAccount, StoreError> {
        accounts::session_account::<DB>(&mut *self.read().await?, user).await
    }

    async fn unknown_login_failures(
        &self,
        login_key: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        accounts::unknown_login_failures::<DB>(&mut *self.read().await?, login_key, since).await
    }

    async fn sign_ins(&self, user: UserId, limit: u32) -> Result<Vec<SignInEntry>, StoreError> {
        accounts::sign_ins::<DB>(&mut *self.read().await?, user, limit).await
    }

    async fn insert_token(
        &self,
        token: &NewTokenRecord,
        audit: AuditRecord,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = accounts::insert_token::<DB>(&mut tx, token).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await?;
        Ok(id)
    }

    async fn get_token(&self, id: i64) -> Result<Option<TokenRecord>, StoreError> {
        accounts::get_token::<DB>(&mut *self.read().await?, id).await
    }

    async fn revoke_token(
        &self,
        id: i64,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        accounts::revoke_token::<DB>(&mut tx, id, at).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await
    }

    async fn list_tokens(&self, filter: &TokenFilter) -> Result<Vec<TokenRecord>, StoreError> {
        accounts::list_tokens::<DB>(&mut *self.read().await?, filter).await
    }

    async fn find_token(&self, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        accounts::find_token::<DB>(&mut *self.read().await?, hash).await
    }

    async fn insert_device(
        &self,
        device: &NewDevice,
        audit: AuditRecord,
    ) -> Result<Device, StoreError> {
        let mut tx = self.begin_write().await?;
        let written = devices::insert::<DB>(&mut tx, device, audit).await?;
        self.commit(tx).await?;
        Ok(written)
    }

    async fn insert_devices(
        &self,
        devices: Vec<(NewDevice, AuditRecord)>,
        job: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        devices::insert_all::<DB>(&mut tx, devices, job).await?;
        self.commit(tx).await
    }

    async fn serial_taken(
        &self,
        organization: Option<OrganizationId>,
        serial_key: &str,
    ) -> Result<bool, StoreError> {
        devices::serial_taken::<DB>(&mut *self.read().await?, organization, serial_key).await
    }

    async fn get_devices(&self, ids: &[DeviceId]) -> Result<Vec<Device>, StoreError> {
        devices::get::<DB>(&mut *self.read().await?, ids).await
    }

    async fn update_devices(
        &self,
        devices: &[Device],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        let audit = &audit;
        retrying(|| async move {
            let mut tx = self.begin_write().await?;
            devices::update::<DB>(&mut tx, devices, audit).await?;
            self.commit(tx).await
        })
        .await
    }

    async fn delete_devices(
        &self,
        devices: &[Device],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        devices::delete::<DB>(&mut tx, devices, &audit).await?;
        self.commit(tx).await
    }

    async fn list_devices(&self, query: &DeviceQuery) -> Result<Vec<Device>, StoreError> {
        devices::list::<DB>(&mut *self.read().await?, query).await
    }

    async fn count_devices(&self, query: &DeviceQuery) -> Result<u64, StoreError> {
        devices::count::<DB>(&mut *self.read().await?, query).await
    }

    async fn role_permissions(&self) -> Result<Vec<(String, Permission)>, StoreError> {
        admin::role_permissions::<DB>(&mut *self.read().await?).await
    }

    async fn role_user_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        admin::role_user_counts::<DB>(&mut *self.read().await?).await
    }

    async fn role_rows(&self) -> Result<Vec<RoleRow>, StoreError> {
        admin::role_rows::<DB>(&mut *self.read().await?).await
    }

    async fn save_role(
        &self,
        name: &str,
        description: &str,
        permissions: &[Permission],
        version: Option<i64>,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        admin::save_role::<DB>(&mut tx, name, description, permissions, version).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await
    }

    async fn delete_role(&self, name: &str, audit: AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        admin::delete_role::<DB>(&mut tx, name).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await
    }

    async fn settings(&self) -> Result<Option<Settings>, StoreError> {
        admin::settings::<DB>(&mut *self.read().await?).await
    }

    async fn save_settings(
        &self,
        settings: &Settings,
        audit: AuditRecord,
    ) -> Result<Settings, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = admin::save_settings::<DB>(&mut tx, settings).await?;
        audit::write::<DB>(&mut tx, &audit).await?;
        self.commit(tx).await?;
        Ok(saved)
    }

    async fn list_mail(&self, limit: u32) -> Result<Vec<MailMessage>, StoreError> {
        admin::list_mail::<DB>(&mut *self.read().await?, limit).await
    }

    async fn get_mail(&self, id: i64) -> Result<Option<MailMessage>, StoreError> {
        admin::get_mail::<DB>(&mut *self.read().await?, id).await
    }

    async fn due_mail(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<MailMessage>, StoreError> {
        admin::due_mail::<DB>(&mut *self.read().await?, now, limit).await
    }

    async fn update_mail(&self, mail: &MailMessage) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        admin::update_mail::<DB>(&mut tx, mail).await?;
        self.commit(tx).await
    }

    async fn record(&self, record: AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit::write::<DB>(&mut tx, &record).await?;
        self.commit(tx).await
    }

    async fn census(&self) -> Result<Census, StoreError> {
        admin::census::<DB>(&mut *self.read().await?, self.location.clone()).await
    }

    fn default_backup_folder(&self) -> Option<PathBuf> {
        self.sqlite()
            .map(|_| backups::default_folder(Path::new(&self.location)))
    }

    async fn back_up(&self, to: &Path, seal: Option<&str>) -> Result<BackupFile, StoreError> {
        let pool = self.file_backed()?;
        backups::back_up(pool, Path::new(&self.location), to, seal).await
    }

    async fn list_backups(&self, folder: &Path) -> Result<Vec<BackupFile>, StoreError> {
        self.file_backed()?;
        backups::list(folder)
    }

    async fn remove_backup(&self, file: &Path) -> Result<(), StoreError> {
        self.file_backed()?;
        backups::remove(file)
    }

    async fn open_backup(
        &self,
        file: &Path,
        passphrase: Option<&str>,
    ) -> Result<OpenedBackup, StoreError> {
        self.file_backed()?;
        backups::open(Path::new(&self.location), file, passphrase).await
    }

    async fn restore(&self, backup: OpenedBackup) -> Result<(), StoreError> {
        backups::restore(self.file_backed()?, backup).await
    }

    async fn close_backup(&self, backup: OpenedBackup) -> Result<(), StoreError> {
        backups::close(backup);
        Ok(())
    }
}
