//! The PostgreSQL backend, for an office whose admins share one directory server. The
//! queries are the shared ones in `sql/`; this module connects, migrates, and is the
//! PostgreSQL [`Dialect`].
//!
//! Transactions run at READ COMMITTED, PostgreSQL's default: every write that must not
//! race is guarded by the database itself (unique keys for usernames and emails, a
//! `version` column checked in the `UPDATE` for users and settings), so a second admin's
//! conflicting write fails instead of waiting for a serialization retry.

use crate::dialect::{Dialect, LIST_SEPARATOR, PAIR_SEPARATOR, Refusal};
use crate::server::Refused;
use crate::sql::SqlRepository;
use crate::{OpenError, SchemaStatus};
use roster_core::{SortDirection, SortField, UserQuery};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgRow};
use sqlx::{Connection, Executor, PgConnection, Pool, Postgres, QueryBuilder, Row, Transaction};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// How every Roster session runs its statements:
/// - each planned for its own values: sqlx prepares statements, and after a few runs
///   PostgreSQL may switch to one generic plan, which knows neither the page size (it
///   assumes a tenth of the table) nor the search pattern; planning costs well under a
///   millisecond;
/// - no JIT compilation: every query of a page is short, and where the planner misjudges
///   one as long, compiling it took 128 ms of a first page that runs in 2.
/// - a statement waits at most [`crate::LOCK_WAIT`] for a row another transaction holds,
///   then fails (55P03) and the person is told someone else is changing it.
pub const SESSION_SETTINGS: [(&str, &str); 3] = [
    ("plan_cache_mode", "force_custom_plan"),
    ("jit", "off"),
    ("lock_timeout", "5s"),
];

/// Search words shorter than this cannot use the trigram index; they match word starts.
const TRIGRAM: usize = 3;

pub struct PostgresDatabase {
    pool: PgPool,
    location: String,
}

/// The channel migration 0010's triggers notify when audit entries or sign-in events are
/// written.
const CHANGES_CHANNEL: &str = "roster_changes";

impl PostgresDatabase {
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| OpenError::BadUrl(crate::redact(url)))?
            .application_name("roster")
            .options(SESSION_SETTINGS);
        let target = crate::server::Target {
            host: options.get_host(),
            port: options.get_port(),
            user: options.get_username(),
            database: options.get_database().unwrap_or_default(),
        };
        let location = target.location("postgres");
        let pool = crate::open_server_pool(
            crate::server_pool::<Postgres>(),
            options.clone(),
            target,
            refused,
            &location,
        )
        .await?;
        Ok(PostgresDatabase { pool, location })
    }

    /// A listener on [`CHANGES_CHANNEL`], on a connection of its own: LISTEN holds its
    /// connection for as long as it listens, and the pool's few are for commands.
    pub(crate) async fn change_listener(&self) -> Result<PgListener, sqlx::Error> {
        let own = crate::server_pool::<Postgres>()
            .max_connections(1)
            .connect_lazy_with((*self.pool.connect_options()).clone());
        let mut listener = PgListener::connect_with(&own).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        Ok(listener)
    }

    pub(crate) async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        crate::run_migrations(&MIGRATOR, &self.pool, self.status().await?, refused).await
    }

    pub(crate) async fn status(&self) -> Result<SchemaStatus, OpenError> {
        let has_table: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&self.pool)
                .await
                .map_err(|e| OpenError::Migrate(e.to_string()))?;
        crate::schema_status(&MIGRATOR, &self.pool, has_table, &self.location).await
    }

    pub(crate) fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }

    pub(crate) fn repository(&self) -> SqlRepository<Postgres> {
        SqlRepository::new(self.pool.clone(), self.location.clone())
    }
}

/// The advisory lock under which names are created (any number no other program on the
/// database uses; "roster" in ASCII).
const NEW_NAMES_LOCK: i64 = 0x726f_7374_6572;

/// Why the server would not let Roster in, by SQLSTATE.
fn refused(error: &sqlx::Error) -> Option<Refused> {
    let sqlx::Error::Database(db) = error else {
        return None;
    };
    match db.code()?.as_ref() {
        // invalid_password, invalid_authorization_specification
        "28P01" | "28000" => Some(Refused::Authentication),
        // invalid_catalog_name
        "3D000" => Some(Refused::NoDatabase),
        // insufficient_privilege (CONNECT revoked, or CREATE in the schema)
        "42501" => Some(Refused::Permission),
        // too_many_connections
        "53300" => Some(Refused::TooManyConnections),
        _ => None,
    }
}

/// PostgreSQL's SQLSTATEs for the constraints Roster relies on.
const UNIQUE_VIOLATION: &str = "23505";
const FOREIGN_KEY_VIOLATION: &str = "23503";
/// A statement stopped by `statement_timeout` (or a cancel request).
const QUERY_CANCELED: &str = "57014";
const INVALID_REGULAR_EXPRESSION: &str = "2201B";

/// Whether an error is the statement timeout stopping a statement. PostgreSQL says so with
/// `query_canceled`, except, now and then, when the timeout lands inside its regular
/// expression engine (a short search word, `push_search`): that reports "invalid regular
/// expression: operation cancelled" (seen in CI on a loaded machine); Roster's own
/// patterns are always valid, so that message means the timeout too.
fn stopped_for_time(code: Option<&str>, message: &str) -> bool {
    match code {
        Some(QUERY_CANCELED) => true,
        Some(INVALID_REGULAR_EXPRESSION) => message.contains("operation cancelled"),
        _ => false,
    }
}

impl Dialect for Postgres {
    const NUMBER_TYPE: &'static str = "DOUBLE PRECISION";
    const SIZE_QUERY: &'static str = "SELECT pg_database_size(current_database()) AS bytes";
    const BACKEND: &'static str = "postgres";

    crate::dialect::sqlx_io!(PgRow, PgConnection);

    fn tag_list(user: &str) -> String {
        format!(
            "(SELECT string_agg(tag, chr({}) ORDER BY position) FROM user_tags WHERE user_id = {user})",
            LIST_SEPARATOR as u32
        )
    }

    fn attribute_list(user: &str) -> String {
        format!(
            "(SELECT string_agg(a.name || chr({}) || ua.value, chr({})) \
             FROM user_attributes ua JOIN attributes a ON a.id = ua.attribute_id WHERE ua.user_id = {user})",
            PAIR_SEPARATOR as u32, LIST_SEPARATOR as u32
        )
    }

    fn text(row: &PgRow, column: &str) -> Result<String, sqlx::Error> {
        row.try_get(column)
    }

    fn opt_text(row: &PgRow, column: &str) -> Result<Option<String>, sqlx::Error> {
        row.try_get(column)
    }

    fn boolean(row: &PgRow, column: &str) -> Result<bool, sqlx::Error> {
        row.try_get(column)
    }

    /// Writers run side by side, each locking only the rows it writes.
    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, sqlx::Error> {
        pool.begin().await
    }

    /// A setting that lasts until the transaction ends.
    async fn set_audit_batch(conn: &mut PgConnection, batch: i64) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT set_config('roster.audit_batch', $1, true)")
            .bind(batch.to_string())
            .execute(conn)
            .await
            .map(|_| ())
    }

    const AUDIT_BATCH: &'static str = "current_setting('roster.audit_batch')::bigint";

    async fn lock_new_names(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(NEW_NAMES_LOCK)
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Gathers the tables' statistics (until autovacuum does, the planner guesses row
    /// counts, and misjudged a first page as a long query) and marks the copied pages
    /// all-visible, so a page deep in the list is read from the sort index alone: at
    /// 500,000 of a million users 70–115 ms instead of 1.8–2.2 s visiting every row
    /// skipped. VACUUM cannot run inside the copy's transaction.
    async fn after_copy_committed(
        pool: &Pool<Self>,
        tables: &[(&str, Option<i64>)],
    ) -> Result<(), sqlx::Error> {
        for (table, _) in tables {
            // A string without arguments goes by the simple protocol, outside any
            // transaction block, as VACUUM requires.
            pool.execute(format!("VACUUM (ANALYZE) {table}").as_str())
                .await?;
        }
        Ok(())
    }

    async fn next_id(conn: &mut PgConnection, table: &str) -> Result<i64, sqlx::Error> {
        let name = table.trim_matches('"');
        sqlx::query(&format!(
            "SELECT greatest(coalesce(pg_sequence_last_value(pg_get_serial_sequence('{name}', \
             'id')::regclass), 0), coalesce(max(id), 0)) + 1 AS next FROM {table}"
        ))
        .fetch_one(&mut *conn)
        .await?
        .try_get("next")
    }

    /// Ids written explicitly leave an identity column's sequence behind: move it past
    /// them, and past the ids the source gave before (deleted rows' too).
    async fn after_copy(
        conn: &mut PgConnection,
        table: &str,
        next_id: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        if let Some(next) = next_id {
            let name = table.trim_matches('"');
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{name}', 'id'), \
                 greatest(coalesce(max(id), 0), {next} - 1, 1), \
                 greatest(coalesce(max(id), 0), {next} - 1) >= 1) FROM {table}"
            ))
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    async fn insert_id(
        conn: &mut PgConnection,
        mut qb: QueryBuilder<'_, Self>,
    ) -> Result<i64, sqlx::Error> {
        qb.push(" RETURNING id");
        qb.build().fetch_one(conn).await?.try_get("id")
    }

    /// PostgreSQL sorts nulls last in ascending order; SQLite and MySQL first. Ordered as
    /// they are, "never signed in" comes first on every backend (the indexes of nullable
    /// columns agree). Only where a null can occur: PostgreSQL does not know that a NOT NULL
    /// column's default index already gives `NULLS FIRST` order, and would sort a million
    /// rows instead of walking it (650 ms for the first page instead of 2).
    fn order(expression: &str, direction: SortDirection, nullable: bool) -> String {
        match (direction, nullable) {
            (SortDirection::Asc, true) => format!("{expression} ASC NULLS FIRST"),
            (SortDirection::Desc, true) => format!("{expression} DESC NULLS LAST"),
            (SortDirection::Asc, false) => format!("{expression} ASC"),
            (SortDirection::Desc, false) => format!("{expression} DESC"),
        }
    }

    /// PostgreSQL's planner knows from its statistics when walking a sort index wins for a
    /// filter, but not for a search: it cannot know that the matches of "lov" sit together
    /// at "Lovelace", and walked the last-name index through 433,000 rows for them (1.7 s
    /// at a million users). A search gets the walk its planner prefers within a budget,
    /// then the matches found by the trigram index and sorted ([`Self::sort_matches`]).
    fn walk_sort_index(_: SortField, searching: bool) -> Option<String> {
        searching.then(String::new)
    }

    /// A one-letter word's page is about 6,000 rows into the last-name index (41 ms at a
    /// million users): a failed walk costs its budget on top of sorting the matches, but
    /// sorting a one-letter word's 130,000 matches instead of walking took 1.2 s.
    fn walk_budget(searching: bool) -> Duration {
        Duration::from_millis(if searching { 50 } else { 8 })
    }

    /// A subquery the planner may not merge into the page's query (`OFFSET 0`): it finds
    /// the matches by the trigram index alone, and the page sorts them (150 ms for "lov"'s
    /// 33,333 matches in a million users, the page's ids first; 215 ms sorting whole rows).
    fn sort_matches(_: SortField) -> (String, &'static str) {
        ("(SELECT * FROM users".into(), " OFFSET 0) AS users")
    }

    /// PostgreSQL stops a statement after `statement_timeout`, set here for one
    /// transaction alone (`SET LOCAL`): however the walk ends, even dropped half-way, the
    /// connection goes back to the pool without it.
    async fn fetch_within(
        conn: &mut PgConnection,
        qb: QueryBuilder<'_, Self>,
        budget: Duration,
    ) -> Result<Option<Vec<PgRow>>, sqlx::Error> {
        let mut tx = conn.begin().await?;
        let millis = budget.as_millis().max(1);
        tx.execute(format!("SET LOCAL statement_timeout = {millis}").as_str())
            .await?;
        let rows = match Self::fetch_all(&mut tx, qb).await {
            Ok(rows) => Some(rows),
            Err(sqlx::Error::Database(db))
                if stopped_for_time(db.code().as_deref(), db.message()) =>
            {
                None
            }
            Err(e) => return Err(e),
        };
        tx.rollback().await?;
        Ok(rows)
    }

    fn push_id_set(qb: &mut QueryBuilder<'_, Self>, column: &str, ids: &[i64]) {
        // One array, however many ids.
        qb.push(format!(" AND {column} = ANY("))
            .push_bind(ids.to_vec())
            .push(")");
    }

    /// Every word is looked for in `users.search` (the searched columns lower-cased and
    /// unaccented by a trigger), the word treated the same way. Words of three or more
    /// characters, and punctuation, match anywhere, through the trigram index; shorter words
    /// match the start of a word, as on SQLite.
    fn push_search(qb: &mut QueryBuilder<'_, Self>, query: &UserQuery) {
        for term in query.search_terms() {
            if term.chars().count() < TRIGRAM && term.chars().all(char::is_alphanumeric) {
                // The whole pattern as one value, as for LIKE, so the trigram index can
                // take it.
                qb.push(" AND users.search ~ lower(unaccent(")
                    .push_bind(format!("(^|[^[:alnum:]]){term}"))
                    .push("))");
            } else {
                qb.push(" AND users.search LIKE lower(unaccent(")
                    .push_bind(crate::dialect::contains_pattern::<Self>(&term))
                    .push("))");
            }
        }
    }

    fn refusal(error: &sqlx::Error) -> Option<Refusal> {
        let sqlx::Error::Database(db) = error else {
            return None;
        };
        match db.code()?.as_ref() {
            UNIQUE_VIOLATION => Some(Refusal::Unique {
                key: db.constraint().map(str::to_owned),
            }),
            FOREIGN_KEY_VIOLATION => Some(Refusal::ForeignKey),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_expression_stopped_by_the_timeout_is_the_timeout() {
        assert!(stopped_for_time(
            Some("57014"),
            "canceling statement due to statement timeout"
        ));
        assert!(stopped_for_time(
            Some("2201B"),
            "invalid regular expression: operation cancelled"
        ));
        assert!(!stopped_for_time(
            Some("2201B"),
            "invalid regular expression: parentheses () not balanced"
        ));
        assert!(!stopped_for_time(Some("23505"), "duplicate key"));
        assert!(!stopped_for_time(None, "operation cancelled"));
    }

    /// The CI machine's PostgreSQL; `ROSTER_SKIP_SERVER_TESTS=1` leaves it out, as it does
    /// the server-backed suites.
    async fn server() -> Option<PgConnection> {
        if std::env::var("ROSTER_SKIP_SERVER_TESTS").is_ok_and(|v| v == "1") {
            return None;
        }
        let url = std::env::var("ROSTER_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        Some(PgConnection::connect(&url).await.unwrap_or_else(|e| {
            panic!("no PostgreSQL at {url} ({e}); ROSTER_SKIP_SERVER_TESTS=1 skips this")
        }))
    }

    /// Counts `n` × `n` rows the slow way: a statement whose running time the test chooses.
    fn counting(n: u64) -> QueryBuilder<'static, Postgres> {
        QueryBuilder::new(format!(
            "SELECT count(*) AS c FROM generate_series(1, {n}) a, generate_series(1, {n}) b"
        ))
    }

    #[tokio::test]
    async fn a_statement_over_its_budget_stops_and_the_connection_goes_on() {
        let Some(mut conn) = server().await else {
            return;
        };
        let stopped =
            Postgres::fetch_within(&mut conn, counting(100_000), Duration::from_millis(5))
                .await
                .unwrap();
        assert!(stopped.is_none(), "ten billion rows do not fit in 5 ms");
        let answered = Postgres::fetch_within(&mut conn, counting(10), Duration::from_secs(10))
            .await
            .unwrap()
            .expect("a hundred rows fit in ten seconds");
        assert_eq!(Postgres::int(&answered[0], "c").unwrap(), 100);
        // The budget was the walk's own: the next statement runs to its end.
        let rows = Postgres::fetch_all(&mut conn, counting(3_000))
            .await
            .unwrap();
        assert_eq!(Postgres::int(&rows[0], "c").unwrap(), 9_000_000);
        let timeout: String = sqlx::query_scalar("SHOW statement_timeout")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(timeout, "0");
    }
}
