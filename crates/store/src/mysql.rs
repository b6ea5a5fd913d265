//! The MySQL 8 / MariaDB 10.6+ backend, for an office whose shared server is MySQL or
//! MariaDB. The queries are the shared ones in `sql/`; this module connects, migrates,
//! and is the MySQL [`Dialect`].
//!
//! Every connection runs READ COMMITTED (InnoDB's default is REPEATABLE READ): a writer
//! that waited for another's lock must then see what that one committed, as on
//! PostgreSQL. Races are settled by the database itself: unique keys, `version` checks in
//! each `UPDATE`, and a locked row (`roster_locks`) under which names are created.

use crate::dialect::{
    Dialect, LIST_SEPARATOR, PAIR_SEPARATOR, Refusal, contains_pattern, json_id_list,
};
use crate::server::Refused;
use crate::sql::SqlRepository;
use crate::{OpenError, SchemaStatus};
use roster_core::{SortField, UserQuery};
use sqlx::migrate::Migrator;
use sqlx::mysql::{MySqlConnectOptions, MySqlDatabaseError, MySqlPool, MySqlRow};
use sqlx::{Executor, MySql, MySqlConnection, Pool, QueryBuilder, Row, Transaction};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/mysql");

/// The whole sql_mode of Roster's sessions, whatever the server's global one holds, which
/// could make `\` in a literal plain text (NO_BACKSLASH_ESCAPES), `''` a NULL (MariaDB's
/// EMPTY_STRING_IS_NULL), `||` a concatenation, or refuse a column its grouped key
/// determines (MariaDB's ONLY_FULL_GROUP_BY; PostgreSQL accepts one). ANSI_QUOTES:
/// "groups" is a quoted identifier in the shared queries (MySQL 8 reserves GROUPS), and
/// their string literals are single-quoted. STRICT_ALL_TABLES: a value that does not fit
/// is refused, never cut or zeroed. NO_ENGINE_SUBSTITUTION: a table is InnoDB, or is not
/// created.
const SQL_MODE: &str = "ANSI_QUOTES,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION";

pub struct MySqlDatabase {
    pool: MySqlPool,
    location: String,
}

impl MySqlDatabase {
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        // sqlx knows the scheme as mysql://; MariaDB users may well write mariadb://.
        let url = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mariadb") => {
                format!("mysql://{rest}")
            }
            _ => url.to_owned(),
        };
        let options = MySqlConnectOptions::from_str(&url)
            .map_err(|_| OpenError::BadUrl(crate::redact(&url)))?
            .charset("utf8mb4")
            // sqlx would add these to the server's sql_mode; Roster sets the whole of it.
            .pipes_as_concat(false)
            .no_engine_substitution(false);
        let target = crate::server::Target {
            host: options.get_host(),
            port: options.get_port(),
            user: options.get_username(),
            database: options.get_database().unwrap_or_default(),
        };
        let location = target.location("mysql");
        let pool = crate::server_pool::<MySql>().after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                    .await?;
                // A statement waits this long for a row another transaction holds, then
                // fails (error 1205) and the person is told someone else is changing it.
                conn.execute(
                    format!(
                        "SET SESSION innodb_lock_wait_timeout = {}",
                        crate::LOCK_WAIT.as_secs()
                    )
                    .as_str(),
                )
                .await?;
                conn.execute(format!("SET SESSION sql_mode = '{SQL_MODE}'").as_str())
                    .await?;
                // GROUP_CONCAT stops at 1024 bytes unless told: a user's tags and
                // attribute values come whole.
                conn.execute("SET SESSION group_concat_max_len = 1048576")
                    .await
                    .map(|_| ())
            })
        });
        let pool =
            crate::open_server_pool(pool, options.clone(), target, refused, &location).await?;
        Ok(MySqlDatabase { pool, location })
    }

    pub(crate) async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        crate::run_migrations(&MIGRATOR, &self.pool, self.status().await?, refused).await
    }

    pub(crate) async fn status(&self) -> Result<SchemaStatus, OpenError> {
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| OpenError::Migrate(e.to_string()))?;
        crate::schema_status(&MIGRATOR, &self.pool, tables > 0, &self.location).await
    }

    pub(crate) fn pool(&self) -> &Pool<MySql> {
        &self.pool
    }

    pub(crate) fn repository(&self) -> SqlRepository<MySql> {
        SqlRepository::new(self.pool.clone(), self.location.clone())
    }
}

/// The index that keeps users in `field`'s order; the id's is the table's own.
fn sort_index(field: SortField) -> &'static str {
    crate::dialect::sort_index(field).unwrap_or("PRIMARY")
}

/// MySQL's error numbers for the constraints Roster relies on (its SQLSTATE, 23000, is the
/// same for both).
const ER_DUP_ENTRY: u16 = 1062;
const ER_ROW_IS_REFERENCED: u16 = 1451;
const ER_NO_REFERENCED_ROW: u16 = 1452;
/// A statement stopped by its time limit: MariaDB's `max_statement_time`, MySQL's
/// `MAX_EXECUTION_TIME`.
const ER_STATEMENT_TIMEOUT: u16 = 1969;
const ER_QUERY_TIMEOUT: u16 = 3024;

/// Why the server would not let Roster in, by MySQL's error number.
fn refused(error: &sqlx::Error) -> Option<Refused> {
    let sqlx::Error::Database(db) = error else {
        return None;
    };
    match db.try_downcast_ref::<MySqlDatabaseError>()?.number() {
        // ER_ACCESS_DENIED_ERROR, ER_HOST_NOT_PRIVILEGED
        1045 | 1130 => Some(Refused::Authentication),
        // ER_BAD_DB_ERROR
        1049 => Some(Refused::NoDatabase),
        // ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR (CREATE refused)
        1044 | 1142 => Some(Refused::Permission),
        // ER_CON_COUNT_ERROR, ER_TOO_MANY_USER_CONNECTIONS
        1040 | 1203 => Some(Refused::TooManyConnections),
        _ => None,
    }
}

impl Dialect for MySql {
    const NUMBER_TYPE: &'static str = "DOUBLE";
    const SIZE_QUERY: &'static str = "SELECT CAST(COALESCE(SUM(data_length + index_length), 0) \
        AS SIGNED) AS bytes FROM information_schema.tables WHERE table_schema = DATABASE()";
    const BACKEND: &'static str = "mysql";
    /// Not `\`: MySQL reads `\` in a pattern as the escape only while the session's
    /// sql_mode lacks NO_BACKSLASH_ESCAPES, and so `ESCAPE '\\'` too; `!` is the escape in
    /// every mode.
    const LIKE_ESCAPE_CHAR: char = '!';
    const LIKE_ESCAPE: &'static str = " ESCAPE '!'";
    // MariaDB has no `FOR SHARE`.
    const LOCK_SHARED: &'static str = " LOCK IN SHARE MODE";

    crate::dialect::sqlx_io!(MySqlRow, MySqlConnection);

    fn tag_list(user: &str) -> String {
        // SEPARATOR takes a literal only: the separator character itself, quoted.
        format!(
            "(SELECT GROUP_CONCAT(tag ORDER BY position SEPARATOR '{LIST_SEPARATOR}') \
             FROM user_tags WHERE user_id = {user})"
        )
    }

    fn attribute_list(user: &str) -> String {
        format!(
            "(SELECT GROUP_CONCAT(CONCAT(a.name, '{PAIR_SEPARATOR}', ua.value) SEPARATOR '{LIST_SEPARATOR}') \
             FROM user_attributes ua JOIN attributes a ON a.id = ua.attribute_id WHERE ua.user_id = {user})"
        )
    }

    /// Text in a binary collation (the keys, hashes and the settings document) comes
    /// flagged as binary, which sqlx will not read as a string: read as bytes, it must
    /// still be UTF-8.
    fn text(row: &MySqlRow, column: &str) -> Result<String, sqlx::Error> {
        Self::opt_text(row, column)?.ok_or_else(|| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: "unexpected NULL".into(),
        })
    }

    fn opt_text(row: &MySqlRow, column: &str) -> Result<Option<String>, sqlx::Error> {
        row.try_get::<Option<String>, _>(column).or_else(|_| {
            row.try_get::<Option<Vec<u8>>, _>(column)?
                .map(|bytes| {
                    String::from_utf8(bytes).map_err(|e| sqlx::Error::ColumnDecode {
                        index: column.to_owned(),
                        source: Box::new(e),
                    })
                })
                .transpose()
        })
    }

    /// BOOLEAN is TINYINT(1); a comparison in a select list is a BIGINT.
    fn boolean(row: &MySqlRow, column: &str) -> Result<bool, sqlx::Error> {
        row.try_get::<i64, _>(column)
            .map(|v| v != 0)
            .or_else(|_| row.try_get::<bool, _>(column))
    }

    /// Writers run side by side, each locking only the rows it writes.
    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, sqlx::Error> {
        pool.begin().await
    }

    /// A session variable: every write transaction sets it anew before it writes entries.
    async fn set_audit_batch(conn: &mut MySqlConnection, batch: i64) -> Result<(), sqlx::Error> {
        sqlx::query("SET @roster_audit_batch = ?")
            .bind(batch)
            .execute(conn)
            .await
            .map(|_| ())
    }

    const AUDIT_BATCH: &'static str = "@roster_audit_batch";

    /// Locks the row of a key already there, as an update of it would.
    fn lock_claimed(qb: &mut QueryBuilder<'_, Self>) {
        qb.push(" ON DUPLICATE KEY UPDATE name_hash = name_hash");
    }

    async fn lock_new_names(conn: &mut MySqlConnection) -> Result<(), sqlx::Error> {
        // GET_LOCK would outlive the transaction; a locked row ends with it.
        sqlx::query("SELECT name FROM roster_locks WHERE name = 'new_names' FOR UPDATE")
            .fetch_optional(conn)
            .await
            .map(|_| ())
    }

    async fn next_id(conn: &mut MySqlConnection, table: &str) -> Result<i64, sqlx::Error> {
        let name = table.trim_matches('"');
        // InnoDB keeps its counter across restarts (MariaDB 10.2.4, MySQL 8.0).
        let counter: Option<u64> = sqlx::query_scalar(
            "SELECT AUTO_INCREMENT FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
        )
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
        let highest: Option<i64> = sqlx::query_scalar(&format!("SELECT max(id) FROM {table}"))
            .fetch_one(&mut *conn)
            .await?;
        Ok(i64::try_from(counter.unwrap_or(0))
            .unwrap_or(i64::MAX)
            .max(highest.unwrap_or(0) + 1))
    }

    /// `ALTER TABLE` would commit the copy's transaction halfway, so the counters are set
    /// once it committed (the rows past them are there already).
    async fn after_copy_committed(
        pool: &Pool<Self>,
        tables: &[(&str, Option<i64>)],
    ) -> Result<(), sqlx::Error> {
        for (table, next) in tables {
            if let Some(next) = next {
                pool.execute(format!("ALTER TABLE {table} AUTO_INCREMENT = {next}").as_str())
                    .await?;
            }
        }
        Ok(())
    }

    async fn insert_id(
        conn: &mut MySqlConnection,
        mut qb: QueryBuilder<'_, Self>,
    ) -> Result<i64, sqlx::Error> {
        let id = qb.build().execute(conn).await?.last_insert_id();
        i64::try_from(id).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }

    /// A no-op update: `INSERT IGNORE` would also silence errors that are not duplicates
    /// (a missing reference, a value too long).
    fn ignore_duplicates(qb: &mut QueryBuilder<'_, Self>, column: &str) {
        qb.push(format!(" ON DUPLICATE KEY UPDATE {column} = {column}"));
    }

    /// Searches walk too: no index finds a substring, so the other way is to read every
    /// row (1–3 s at a million users), where a common word meets a page of matches within
    /// a few thousand rows of the walk.
    const COMPARES_ROWS_IN_INDEX: bool = false;

    fn walk_sort_index(field: SortField, _: bool) -> Option<String> {
        Some(format!(" FORCE INDEX ({})", sort_index(field)))
    }

    /// A search that is not walked reads every row (1–3 s at a million users), so its
    /// walk may take longer: a one-letter word's page is about 1,500 rows into the
    /// last-name index (10 ms), "ada" among active users by last sign-in 4,850 (50 ms).
    fn walk_budget(searching: bool) -> Duration {
        Duration::from_millis(if searching { 100 } else { 8 })
    }

    /// Left to itself, MySQL walks the sort index for a searched page and reads each row
    /// it meets (8.5 s for "lov" in a million users, whose matches sit at "Lovelace");
    /// reading the table and sorting the matches takes a fifth of that.
    fn sort_matches(field: SortField) -> (String, &'static str) {
        let hint = format!("users IGNORE INDEX FOR ORDER BY ({})", sort_index(field));
        (hint, "")
    }

    /// MariaDB stops a statement after `max_statement_time` seconds, set for it alone with
    /// `SET STATEMENT … FOR` in a comment only MariaDB runs (`/*M! */`); MySQL 8 by the
    /// `MAX_EXECUTION_TIME` hint, a comment to MariaDB. Both end the statement with an
    /// error that [`Self::fetch_within`] reads as "ran out".
    fn within_budget(select: &str, budget: Duration) -> String {
        let millis = budget.as_millis().max(1);
        let rest = select.strip_prefix("SELECT ").unwrap_or(select);
        format!(
            "/*M!100301 SET STATEMENT max_statement_time = {seconds} FOR */ \
             SELECT /*+ MAX_EXECUTION_TIME({millis}) */ {rest}",
            seconds = budget.as_secs_f64(),
        )
    }

    async fn fetch_within(
        conn: &mut MySqlConnection,
        qb: QueryBuilder<'_, Self>,
        _: Duration,
    ) -> Result<Option<Vec<MySqlRow>>, sqlx::Error> {
        match Self::fetch_all(conn, qb).await {
            Ok(rows) => Ok(Some(rows)),
            Err(sqlx::Error::Database(db))
                if db
                    .try_downcast_ref::<MySqlDatabaseError>()
                    .is_some_and(|e| {
                        matches!(e.number(), ER_STATEMENT_TIMEOUT | ER_QUERY_TIMEOUT)
                    }) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn push_id_set(qb: &mut QueryBuilder<'_, Self>, column: &str, ids: &[i64]) {
        // MariaDB before 11.1 runs `IN (SELECT … FROM JSON_TABLE(…))` in an UPDATE or
        // DELETE as a dependent subquery, once per row of the table: suspending 500 of
        // 200,000 users took 26 s and unsuspending them 170 s on 10.11. Ids are integers
        // from Rust, never text a person typed, so a set of up to ID_LIST_LIMIT is written
        // into the statement as numbers, which every version looks up by primary key; a
        // larger one (a bulk action over most of a million users) goes through JSON_TABLE,
        // whose plan reads the table once.
        const ID_LIST_LIMIT: usize = 50_000;
        if ids.is_empty() {
            qb.push(" AND 1 = 0");
        } else if ids.len() <= ID_LIST_LIMIT {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            qb.push(format!(" AND {column} IN ({})", list.join(", ")));
        } else {
            qb.push(format!(" AND {column} IN (SELECT id FROM JSON_TABLE("))
                .push_bind(json_id_list(ids))
                .push(", '$[*]' COLUMNS (id BIGINT PATH '$')) AS chosen)");
        }
    }

    /// Every word must be in `users.search` (the four searched columns joined, see
    /// migrations/mysql/0006_search.sql), found with `LIKE '%word%'` in its case- and
    /// accent-insensitive collation. Neither MySQL's nor MariaDB's full-text index finds a
    /// substring inside a word (MySQL's ngram parser finds runs of a fixed length only,
    /// MariaDB has none), so this reads every row: in the column's own index, a fraction
    /// of the table, where no other index is walked.
    fn push_search(qb: &mut QueryBuilder<'_, Self>, query: &UserQuery) {
        for term in query.search_terms() {
            qb.push(" AND users.search LIKE ")
                .push_bind(contains_pattern::<Self>(&term))
                .push(Self::LIKE_ESCAPE);
        }
    }

    fn refusal(error: &sqlx::Error) -> Option<Refusal> {
        let sqlx::Error::Database(db) = error else {
            return None;
        };
        let mysql = db.try_downcast_ref::<MySqlDatabaseError>()?;
        match mysql.number() {
            ER_DUP_ENTRY => Some(Refusal::Unique {
                // "Duplicate entry 'x' for key 'users_email_key'": the key, not the value,
                // which may itself say "email".
                key: mysql
                    .message()
                    .rsplit_once(" for key ")
                    .map(|(_, key)| key.to_owned()),
            }),
            ER_ROW_IS_REFERENCED | ER_NO_REFERENCED_ROW => Some(Refusal::ForeignKey),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// Counts the rows of a thousand numbers joined with themselves `times` times, the
    /// slow way: a statement whose running time the test chooses. (MariaDB stops a
    /// recursive query after a thousand rounds, so the length comes from the joins.)
    fn counting(times: usize) -> String {
        let joined: Vec<String> = (0..times).map(|t| format!("n n{t}")).collect();
        format!(
            "count(*) AS c FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 \
             FROM n WHERE i < 1000) SELECT n0.i FROM {}) counted",
            joined.join(", ")
        )
    }

    fn within(times: usize, budget: Duration) -> QueryBuilder<'static, MySql> {
        let select = MySql::within_budget(&format!("SELECT {}", counting(times)), budget);
        QueryBuilder::new(select)
    }

    fn server_url() -> String {
        std::env::var("ROSTER_TEST_MYSQL_URL")
            .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
    }

    /// The CI machine's MariaDB; `ROSTER_SKIP_SERVER_TESTS=1` leaves it out, as it does
    /// the server-backed suites.
    async fn server() -> Option<MySqlConnection> {
        if std::env::var("ROSTER_SKIP_SERVER_TESTS").is_ok_and(|v| v == "1") {
            return None;
        }
        let url = server_url();
        Some(MySqlConnection::connect(&url).await.unwrap_or_else(|e| {
            panic!("no MySQL/MariaDB at {url} ({e}); ROSTER_SKIP_SERVER_TESTS=1 skips this")
        }))
    }

    #[tokio::test]
    async fn sessions_run_in_rosters_sql_mode_only() {
        if server().await.is_none() {
            return;
        }
        let database = MySqlDatabase::connect(&server_url()).await.unwrap();
        let mode: String = sqlx::query_scalar("SELECT @@SESSION.sql_mode")
            .fetch_one(database.pool())
            .await
            .unwrap();
        assert_eq!(mode, SQL_MODE, "nothing of sqlx's or the server's added");
    }

    /// A search's `%`, `_` and `\` are those characters, whether or not a session reads
    /// backslashes as escapes.
    #[tokio::test]
    async fn like_patterns_escape_alike_in_every_sql_mode() {
        let Some(mut conn) = server().await else {
            return;
        };
        for mode in ["NO_BACKSLASH_ESCAPES", ""] {
            conn.execute(format!("SET SESSION sql_mode = '{mode}'").as_str())
                .await
                .unwrap();
            for (text, term, matches) in [
                ("50% off", "%", true),
                ("C:\\x", "%", false),
                ("a_b", "a_b", true),
                ("axb", "a_b", false),
                ("C:\\x", "\\", true),
                ("yes!", "!", true),
                ("yes", "!", false),
            ] {
                let found: i64 =
                    sqlx::query_scalar(&format!("SELECT ? LIKE ?{}", MySql::LIKE_ESCAPE))
                        .bind(text)
                        .bind(contains_pattern::<MySql>(term))
                        .fetch_one(&mut conn)
                        .await
                        .unwrap();
                assert_eq!(
                    found == 1,
                    matches,
                    "{text:?} holds {term:?}, mode '{mode}'"
                );
            }
        }
    }

    #[tokio::test]
    async fn a_statement_over_its_budget_stops_and_the_connection_goes_on() {
        let Some(mut conn) = server().await else {
            return;
        };
        let budget = Duration::from_millis(5);
        let stopped = MySql::fetch_within(&mut conn, within(3, budget), budget)
            .await
            .unwrap();
        assert!(stopped.is_none(), "a billion rows do not fit in 5 ms");
        let budget = Duration::from_secs(10);
        let answered = MySql::fetch_within(&mut conn, within(1, budget), budget)
            .await
            .unwrap()
            .expect("a thousand rows fit in ten seconds");
        assert_eq!(MySql::int(&answered[0], "c").unwrap(), 1000);
        // The budget was the statement's own: the next one runs to its end.
        let unbudgeted = QueryBuilder::new(format!("SELECT {}", counting(2)));
        let rows = MySql::fetch_all(&mut conn, unbudgeted).await.unwrap();
        assert_eq!(MySql::int(&rows[0], "c").unwrap(), 1_000_000);
    }
}
