//! What a database backend must supply so the shared queries in `sql/` run on it. The
//! queries are written once with `sqlx::QueryBuilder`, whose binds write each database's
//! own placeholder (`?` or `$1`); a backend adds only what really differs between
//! databases: how values are bound and read back, how a write transaction begins, how
//! substring search is done and how nulls order, how an insert returns its id,
//! and what its error codes mean.
//!
//! Binding and reading go through this trait (instead of sqlx's generic `Encode`/`Decode`
//! bounds) so the shared code needs a single bound, `DB: Dialect`, and each backend's
//! implementation is concrete and checked by the compiler.

use roster_core::{SortDirection, SortField, StoreError, UserQuery};
use sqlx::{Database, Pool, QueryBuilder, Transaction};
use std::future::Future;
use std::time::Duration;

/// Joins the items of a list read or kept as one text: a user's tags, their attribute
/// values, an attribute's choices. None of them holds a control character.
pub(crate) const LIST_SEPARATOR: char = '\u{1f}';
/// Separates an attribute's name from its value in a user's list of values.
pub(crate) const PAIR_SEPARATOR: char = '\u{1e}';

/// A value bound into a query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
    OptBytes(Option<Vec<u8>>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::OptInt(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::OptText(v)
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::OptText(v.map(str::to_owned))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<Option<Vec<u8>>> for Value {
    fn from(v: Option<Vec<u8>>) -> Self {
        Value::OptBytes(v)
    }
}

/// A constraint the database refused a write for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A unique index; `key` names the column or index when the database says which.
    Unique {
        key: Option<String>,
    },
    ForeignKey,
}

/// The search index's per-row upkeep, stopped while a large import writes
/// ([`Dialect::pause_search_index`]).
pub(crate) struct PausedSearch {
    /// The trigger that kept the index, as the schema holds it, to put back.
    pub trigger: String,
    /// Every user up to this id is indexed; the import's are past it.
    pub indexed_up_to: i64,
}

pub(crate) trait Dialect: Database + Sized {
    /// "sqlite", "postgres" or "mysql".
    const BACKEND: &'static str;

    /// The character that escapes `%`, `_` and itself in a [`contains_pattern`]: by
    /// default `\`, PostgreSQL's own escape character.
    const LIKE_ESCAPE_CHAR: char = '\\';

    /// Follows a `LIKE` whose pattern escapes with [`Self::LIKE_ESCAPE_CHAR`]; empty where
    /// that is the database's default.
    const LIKE_ESCAPE: &'static str = "";

    /// Ends a `SELECT` of one row that the transaction then holds until it ends (on SQLite
    /// a write transaction holds the whole database already).
    const LOCK_ROW: &'static str = " FOR UPDATE";

    /// The type a number attribute's text is cast to, to sort by size.
    const NUMBER_TYPE: &'static str;

    /// One row, one column `bytes`: the space the database takes.
    const SIZE_QUERY: &'static str;

    /// Ends a `SELECT` of rows the transaction reads as they are and keeps from being
    /// changed until it ends, while others may read them so too.
    const LOCK_SHARED: &'static str = " FOR SHARE";

    fn bind(qb: &mut QueryBuilder<'_, Self>, value: Value);

    fn execute(
        conn: &mut Self::Connection,
        qb: QueryBuilder<'_, Self>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    fn fetch_all(
        conn: &mut Self::Connection,
        qb: QueryBuilder<'_, Self>,
    ) -> impl Future<Output = Result<Vec<Self::Row>, sqlx::Error>> + Send;

    fn fetch_optional(
        conn: &mut Self::Connection,
        qb: QueryBuilder<'_, Self>,
    ) -> impl Future<Output = Result<Option<Self::Row>, sqlx::Error>> + Send;

    /// Runs a query and hands each row to `visit` as it arrives, without holding them;
    /// stops at the first error `visit` returns.
    fn for_each_row(
        conn: &mut Self::Connection,
        qb: QueryBuilder<'_, Self>,
        visit: &mut (dyn FnMut(&Self::Row) -> Result<(), StoreError> + Send),
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// An expression listing the tags of the user whose id is `user`, in order, joined
    /// with [`LIST_SEPARATOR`].
    fn tag_list(user: &str) -> String;

    /// An expression listing the attribute values of the user whose id is `user` as
    /// name [`PAIR_SEPARATOR`] value pairs joined with [`LIST_SEPARATOR`] (NULL for none).
    fn attribute_list(user: &str) -> String;

    fn int(row: &Self::Row, column: &str) -> Result<i64, sqlx::Error>;
    fn opt_int(row: &Self::Row, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn text(row: &Self::Row, column: &str) -> Result<String, sqlx::Error>;
    fn opt_text(row: &Self::Row, column: &str) -> Result<Option<String>, sqlx::Error>;
    fn boolean(row: &Self::Row, column: &str) -> Result<bool, sqlx::Error>;
    fn opt_bytes(row: &Self::Row, column: &str) -> Result<Option<Vec<u8>>, sqlx::Error>;

    /// Whether one writer at a time holds the whole database (SQLite). Such writers chain
    /// their audit entries as they write them and keep counts in place; on a server,
    /// writers run side by side and touch no row in common (see ARCHITECTURE.md, "Many
    /// writers").
    const WRITERS_TAKE_TURNS: bool = false;

    /// Whether `(a, b) > (x, y)` tells the database where to start in an index on
    /// `(a, b)`. MariaDB reads such a comparison row by row through the whole index; it
    /// starts in the right place for `a > x OR (a = x AND b > y)`, which the others read
    /// as two separate lookups whose rows must then be sorted.
    const COMPARES_ROWS_IN_INDEX: bool = true;

    /// A transaction that will write: it must not fail halfway because another writer
    /// committed after it read.
    fn begin_write(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<Transaction<'static, Self>, sqlx::Error>> + Send;

    /// Names the transaction's audit entries `batch` (see [`Self::AUDIT_BATCH`]), so
    /// they can be found and chained once it commits. Not needed where writers take turns.
    fn set_audit_batch(
        conn: &mut Self::Connection,
        batch: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = (conn, batch);
        async { Ok(()) }
    }

    /// An expression for the batch [`Self::set_audit_batch`] named, in this transaction.
    const AUDIT_BATCH: &'static str = "0";

    /// Appends what makes an `INSERT` into `name_claims` lock the row of a key already
    /// there until the transaction ends, as it locks a row it adds.
    fn lock_claimed(qb: &mut QueryBuilder<'_, Self>) {
        qb.push(" ON CONFLICT (name_hash) DO UPDATE SET name_hash = excluded.name_hash");
    }

    /// Makes writers that create organizations, teams or groups by name take turns, until
    /// the transaction ends. Without it, two imports naming the same new organizations in
    /// a different order each wait for the other's uncommitted row: a deadlock.
    fn lock_new_names(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The id the next new row of `table` (which has an `id`) gets at least: past every id
    /// it ever gave, deleted rows' included, so `roster db copy` carries that on.
    fn next_id(
        conn: &mut Self::Connection,
        table: &str,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// After rows were copied in with their ids (`roster db copy`): what makes the next
    /// new row of `table` get an id past them and no smaller than `next_id` (the source's
    /// [`Dialect::next_id`]; `None`: the table has no `id`).
    fn after_copy(
        conn: &mut Self::Connection,
        table: &str,
        next_id: Option<i64>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = (conn, table, next_id);
        async { Ok(()) }
    }

    /// Once a copy has committed: what readies the filled tables for reading, and (where
    /// that is a schema change, which would end the copy's transaction) what
    /// [`Dialect::after_copy`] could not do inside it.
    fn after_copy_committed(
        pool: &sqlx::Pool<Self>,
        tables: &[(&str, Option<i64>)],
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = (pool, tables);
        async { Ok(()) }
    }

    /// Stops keeping the search index row by row inside a write transaction that holds
    /// the whole database (a large import), so its rows are indexed at once by
    /// [`Dialect::resume_search_index`] before it commits: per-row upkeep costs most of an
    /// import's time. `None` where the database keeps its index by itself, or where a
    /// schema change would end the transaction or lock readers out.
    fn pause_search_index(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<Option<PausedSearch>, sqlx::Error>> + Send {
        let _ = conn;
        async { Ok(None) }
    }

    /// Indexes the users added since [`Dialect::pause_search_index`] and puts the per-row
    /// upkeep back, in the same transaction.
    fn resume_search_index(
        conn: &mut Self::Connection,
        paused: PausedSearch,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = (conn, paused);
        async { Ok(()) }
    }

    /// Drops the users table's sort indexes inside a write transaction that holds the
    /// whole database, and returns the statements that build them again: a large import
    /// into a smaller directory builds each once, sorted, instead of inserting into each
    /// row by row. Nothing the import reads uses them. Empty where dropping an index would
    /// end the transaction or lock readers out.
    fn drop_sort_indexes(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<Vec<String>, sqlx::Error>> + Send {
        let _ = conn;
        async { Ok(Vec::new()) }
    }

    /// Runs an `INSERT` and returns the new row's `id`.
    fn insert_id(
        conn: &mut Self::Connection,
        qb: QueryBuilder<'_, Self>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Appends what makes an `INSERT` skip a row whose unique key is already taken;
    /// `column` is any column of the table (MySQL can only say this as a no-op update).
    /// SQLite and PostgreSQL share `ON CONFLICT`.
    fn ignore_duplicates(qb: &mut QueryBuilder<'_, Self>, column: &str) {
        let _ = column;
        qb.push(" ON CONFLICT DO NOTHING");
    }

    /// One ORDER BY term: `expression` in `direction`, nulls before every value when
    /// ascending (SQLite's and MySQL's order). `nullable` says whether it can be null.
    fn order(expression: &str, direction: SortDirection, nullable: bool) -> String {
        let _ = nullable;
        match direction {
            SortDirection::Asc => format!("{expression} ASC"),
            SortDirection::Desc => format!("{expression} DESC"),
        }
    }

    /// What follows `FROM users` to make the database walk the index of `field` (in its
    /// order) rather than narrow by a filter's or a search's index and sort every match;
    /// `None` where the planner weighs this itself (PostgreSQL, for a filter: `searching`
    /// says whether the page is searched), or where no such index exists.
    fn walk_sort_index(field: SortField, searching: bool) -> Option<String>;

    /// How long a first page may walk its sort index looking for matches before the usual
    /// plan takes over (see `walked_first_page`): long enough for common values, whose
    /// matches come every few rows, and short beside what the usual plan costs.
    fn walk_budget(searching: bool) -> Duration {
        let _ = searching;
        Duration::from_millis(8)
    }

    /// Where a searched page that was not walked reads `users` from, written around its
    /// filters (`FROM {before} WHERE … {after} ORDER BY …`), to make the database find the
    /// matches and sort them rather than walk the index of `field`.
    fn sort_matches(field: SortField) -> (String, &'static str) {
        let _ = field;
        ("users".into(), "")
    }

    /// `select` (a `SELECT` list) written to stop once it has run for `budget`, where the
    /// database stops a statement by what the statement says; see [`Self::fetch_within`].
    fn within_budget(select: &str, budget: Duration) -> String {
        let _ = budget;
        select.to_owned()
    }

    /// Runs `qb`, built with [`Self::within_budget`], if it finishes within `budget`;
    /// `None` if it was stopped for running longer. Backends that cannot stop a query
    /// simply run it.
    fn fetch_within(
        conn: &mut Self::Connection,
        qb: QueryBuilder<'_, Self>,
        budget: Duration,
    ) -> impl Future<Output = Result<Option<Vec<Self::Row>>, sqlx::Error>> + Send;

    /// Appends ` AND …` conditions matching users whose first name, last name, username or
    /// email contain every search word.
    fn push_search(qb: &mut QueryBuilder<'_, Self>, query: &UserQuery);

    /// Appends ` AND column IN (ids)` for any number of ids, beyond the limit on bound
    /// values a statement may hold.
    fn push_id_set(qb: &mut QueryBuilder<'_, Self>, column: &str, ids: &[i64]);

    /// What a refused write means, by the database's error code (never by message text
    /// alone); `None` for any other error.
    fn refusal(error: &sqlx::Error) -> Option<Refusal>;
}

/// The index that keeps users in `field`'s order, ties by id, by the name every backend's
/// migrations give it (0001_directory.sql, 0005_kept_columns.sql); `None` for the id, the
/// table's own order.
pub(crate) fn sort_index(field: SortField) -> Option<&'static str> {
    Some(match field {
        SortField::FirstName => "users_sort_first_name",
        SortField::LastName => "users_sort_last_name",
        SortField::Username => "users_sort_username",
        SortField::Email => "users_sort_email",
        SortField::Phone => "users_sort_phone",
        SortField::Status => "users_sort_status",
        SortField::TwoFactor => "users_sort_two_factor",
        SortField::Role => "users_sort_role",
        SortField::CreatedAt => "users_sort_created",
        SortField::ModifiedAt => "users_sort_modified",
        SortField::LastSignInAt => "users_sort_last_sign_in",
        SortField::Organization => "users_sort_organization",
        SortField::Team => "users_sort_team",
        SortField::GroupCount => "users_sort_group_count",
        SortField::DeviceCount => "users_sort_device_count",
        SortField::JobTitle => "users_sort_job_title",
        SortField::Department => "users_sort_department",
        SortField::EndDate => "users_sort_end_date",
        SortField::Id => return None,
    })
}

/// `ids` as one JSON array (`[1,2,3]`), bound as a single value however many there are:
/// SQLite binds at most 32,766 values a statement, MySQL 65,535.
pub(crate) fn json_id_list(ids: &[i64]) -> String {
    format!(
        "[{}]",
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    )
}

/// ` AND (users.first_name LIKE p OR … users.email LIKE p)` for `term`, found by reading
/// every row: where no index serves the term.
pub(crate) fn push_contains_in_any_column<DB: Dialect>(qb: &mut QueryBuilder<'_, DB>, term: &str) {
    let pattern = contains_pattern::<DB>(term);
    qb.push(" AND (");
    for (i, column) in ["first_name", "last_name", "username", "email"]
        .iter()
        .enumerate()
    {
        if i > 0 {
            qb.push(" OR ");
        }
        qb.push(format!("users.{column} LIKE "));
        DB::bind(qb, pattern.clone().into());
        qb.push(DB::LIKE_ESCAPE);
    }
    qb.push(")");
}

/// A LIKE pattern, escaped with `DB`'s [`Dialect::LIKE_ESCAPE_CHAR`], matching text that
/// contains `term`.
pub(crate) fn contains_pattern<DB: Dialect>(term: &str) -> String {
    let escape = DB::LIKE_ESCAPE_CHAR;
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if c == '%' || c == '_' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('%');
    out
}

pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    let unreachable = match &e {
        // A protocol error is the byte stream broken off mid-message: a connection cut
        // while the server was answering (or a proxy that closed it) reads as one.
        sqlx::Error::Io(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception, both servers) and PostgreSQL's 57P0x
        // (the server shutting down or restarting ended the session).
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    };
    if unreachable {
        StoreError::Unreachable(e.to_string())
    } else if let Some(held) = held_up(&e) {
        held
    } else {
        StoreError::Backend(e.to_string())
    }
}

/// Whether the statement gave up on a row another transaction held: for longer than the
/// session waits (PostgreSQL's `lock_timeout`, 55P03; MySQL's `innodb_lock_wait_timeout`,
/// error 1205; SQLite's busy timeout on the file's write lock, SQLITE_BUSY and its extended
/// codes), or because each held what the other wanted (a deadlock: PostgreSQL's 40P01,
/// SQLSTATE 40001 for MySQL's error 1213).
fn held_up(e: &sqlx::Error) -> Option<StoreError> {
    const MYSQL_LOCK_WAIT_TIMEOUT: u16 = 1205;
    let sqlx::Error::Database(db) = e else {
        return None;
    };
    match db.code().as_deref() {
        Some("40P01" | "40001") => Some(StoreError::Deadlock),
        Some("55P03") => Some(StoreError::Busy),
        // SQLITE_BUSY, _RECOVERY, _SNAPSHOT, _TIMEOUT (SQLite's codes are numbers; the
        // servers' SQLSTATEs are five characters).
        Some("5" | "261" | "517" | "773") => Some(StoreError::Busy),
        _ => db
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .is_some_and(|mysql| mysql.number() == MYSQL_LOCK_WAIT_TIMEOUT)
            .then_some(StoreError::Busy),
    }
}

/// Maps a refused write to domain terms; `reference` names the field a foreign-key failure
/// is about in this statement and `index` the record's position in a batch.
pub(crate) fn write_error<DB: Dialect>(
    e: sqlx::Error,
    reference: &'static str,
    index: usize,
) -> StoreError {
    match DB::refusal(&e) {
        Some(Refusal::Unique { key }) => {
            let key = key.unwrap_or_default();
            let field = if key.contains("email") {
                "email"
            } else if key.contains("username") {
                "username"
            } else if key.contains("serial") {
                "serial"
            } else if key.contains("employee") {
                "employee_id"
            } else if key.contains("attributes") {
                "attributes"
            } else {
                "name"
            };
            StoreError::Duplicate { field, index }
        }
        Some(Refusal::ForeignKey) => StoreError::MissingReference { field: reference },
        None => backend(e),
    }
}

/// The part of a [`Dialect`] that is the same code for every sqlx driver: binding a
/// [`Value`], running a built query, and reading integers and bytes. It cannot be one generic
/// function without sqlx's per-type bounds on every caller, which this trait exists to
/// avoid; each backend expands it with its row and connection types.
macro_rules! sqlx_io {
    ($row:ty, $conn:ty) => {
        fn bind(qb: &mut sqlx::QueryBuilder<'_, Self>, value: $crate::dialect::Value) {
            use $crate::dialect::Value;
            match value {
                Value::Int(v) => qb.push_bind(v),
                Value::OptInt(v) => qb.push_bind(v),
                Value::Text(v) => qb.push_bind(v),
                Value::OptText(v) => qb.push_bind(v),
                Value::Bool(v) => qb.push_bind(v),
                Value::OptBytes(v) => qb.push_bind(v),
            };
        }

        async fn execute(
            conn: &mut $conn,
            mut qb: sqlx::QueryBuilder<'_, Self>,
        ) -> Result<u64, sqlx::Error> {
            Ok(qb.build().execute(conn).await?.rows_affected())
        }

        async fn fetch_all(
            conn: &mut $conn,
            mut qb: sqlx::QueryBuilder<'_, Self>,
        ) -> Result<Vec<$row>, sqlx::Error> {
            qb.build().fetch_all(conn).await
        }

        async fn fetch_optional(
            conn: &mut $conn,
            mut qb: sqlx::QueryBuilder<'_, Self>,
        ) -> Result<Option<$row>, sqlx::Error> {
            qb.build().fetch_optional(conn).await
        }

        async fn for_each_row(
            conn: &mut $conn,
            mut qb: sqlx::QueryBuilder<'_, Self>,
            visit: &mut (dyn FnMut(&$row) -> Result<(), roster_core::StoreError> + Send),
        ) -> Result<u64, roster_core::StoreError> {
            use futures_util::TryStreamExt;
            let mut rows = qb.build().fetch(conn);
            let mut count = 0;
            while let Some(row) = rows.try_next().await.map_err($crate::dialect::backend)? {
                visit(&row)?;
                count += 1;
            }
            Ok(count)
        }

        fn int(row: &$row, column: &str) -> Result<i64, sqlx::Error> {
            sqlx::Row::try_get(row, column)
        }

        fn opt_int(row: &$row, column: &str) -> Result<Option<i64>, sqlx::Error> {
            sqlx::Row::try_get(row, column)
        }

        fn opt_bytes(row: &$row, column: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
            sqlx::Row::try_get(row, column)
        }
    };
}
pub(crate) use sqlx_io;
