//! The MySQL 8 / MariaDB 10.6+ backend, for an office whose shared server is MySQL or
//! MariaDB. The queries are the shared ones in `sql/`; this module connects, migrates,
//! and is the MySQL [`Dialect`].
//!
//! Every connection runs READ COMMITTED (InnoDB's default is REPEATABLE READ): a writer
//! that waited for another's lock must then see what that one committed, as on
//! PostgreSQL. Races are settled by the database itself: unique keys, `version` checks in
//! each `UPDATE`, and a locked row (`roster_locks`) under which names are created.

use crate::dialect::{Dialect, Refusal, TAG_SEPARATOR, json_id_list, push_contains_in_any_column};
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
            .charset("utf8mb4");
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
                // "groups" is a quoted identifier in the shared queries (MySQL 8
                // reserves GROUPS); string literals there are single-quoted.
                conn.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
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

/// MySQL's error numbers for the constraints Roster relies on (its SQLSTATE, 23000, is the
/// same for both).
const ER_DUP_ENTRY: u16 = 1062;
const ER_ROW_IS_REFERENCED: u16 = 1451;
const ER_NO_REFERENCED_ROW: u16 = 1452;

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
    const BACKEND: &'static str = "mysql";

    crate::dialect::sqlx_io!(MySqlRow, MySqlConnection);

    fn tag_list(user: &str) -> String {
        // SEPARATOR takes a literal only: the separator character itself, quoted.
        format!(
            "(SELECT GROUP_CONCAT(tag ORDER BY position SEPARATOR '{TAG_SEPARATOR}') \
             FROM user_tags WHERE user_id = {user})"
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

    /// Writers take turns, as SQLite's `BEGIN IMMEDIATE` makes them: every write ends by
    /// chaining its audit entries to the newest one, so it holds the chain's row from the
    /// start. Taken later, a writer holding a user another wants while waiting for the chain
    /// would deadlock with it.
    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, sqlx::Error> {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT id FROM audit_chain WHERE id = 1 FOR UPDATE")
            .fetch_optional(&mut *tx)
            .await?;
        Ok(tx)
    }

    async fn lock_new_names(conn: &mut MySqlConnection) -> Result<(), sqlx::Error> {
        // GET_LOCK would outlive the transaction; a locked row ends with it.
        sqlx::query("SELECT name FROM roster_locks WHERE name = 'new_names' FOR UPDATE")
            .fetch_optional(conn)
            .await
            .map(|_| ())
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

    fn upsert(qb: &mut QueryBuilder<'_, Self>, _: &str, columns: &[&str]) {
        let set: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} = VALUES({c})"))
            .collect();
        qb.push(format!(" ON DUPLICATE KEY UPDATE {}", set.join(", ")));
    }

    fn walk_sort_index(_: SortField) -> Option<&'static str> {
        None
    }

    async fn fetch_within(
        conn: &mut MySqlConnection,
        qb: QueryBuilder<'_, Self>,
        _: Duration,
    ) -> Result<Option<Vec<MySqlRow>>, sqlx::Error> {
        Self::fetch_all(conn, qb).await.map(Some)
    }

    fn push_id_set(qb: &mut QueryBuilder<'_, Self>, column: &str, ids: &[i64]) {
        qb.push(format!(" AND {column} IN (SELECT id FROM JSON_TABLE("))
            .push_bind(json_id_list(ids))
            .push(", '$[*]' COLUMNS (id BIGINT PATH '$')) AS chosen)");
    }

    /// Every word must be in one of the four columns, found with `LIKE '%word%'` in their
    /// case- and accent-insensitive collation. Neither MySQL's nor MariaDB's full-text
    /// index finds a substring inside a word (MySQL's ngram parser finds runs of a fixed
    /// length only, MariaDB has none), so this reads the table.
    fn push_search(qb: &mut QueryBuilder<'_, Self>, query: &UserQuery) {
        for term in query.search_terms() {
            push_contains_in_any_column(qb, &term);
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
