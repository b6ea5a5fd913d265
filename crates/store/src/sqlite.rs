//! The embedded SQLite backend: one file, WAL, foreign keys on, FTS5 trigram search. The
//! queries are the shared ones in `sql/`; this module opens the file, migrates and backs it
//! up, and is the SQLite [`Dialect`].

use crate::dialect::{
    Dialect, LIST_SEPARATOR, PAIR_SEPARATOR, PausedSearch, Refusal, json_id_list,
    push_contains_in_any_column,
};
use crate::private;
use crate::sql::SqlRepository;
use crate::{OpenError, OpenMode, SchemaStatus};
use roster_core::{SortField, UserQuery};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Pool, QueryBuilder, Row, Sqlite, SqliteConnection, Transaction};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Another process may hold the write lock (a second workstation on a shared drive, the
/// CLI beside the app); wait this long before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of the database file SQLite reads through a memory map.
const MMAP_BYTES: u64 = 256 * 1024 * 1024;
/// Search words shorter than this cannot use the trigram index; they match word prefixes.
const TRIGRAM: usize = 3;

pub struct SqliteDatabase {
    pool: SqlitePool,
    path: PathBuf,
    notices: Vec<String>,
}

impl SqliteDatabase {
    pub async fn connect(url: &str, mode: OpenMode) -> Result<Self, OpenError> {
        let path = crate::sqlite_path(url).ok_or_else(|| OpenError::BadUrl(url.to_owned()))?;
        let exists = path.exists();
        if !exists && mode == OpenMode::MustExist {
            return Err(OpenError::Missing(path));
        }
        if let Some(parent) = path
            .parent()
            .filter(|p| !exists && !p.as_os_str().is_empty() && !p.exists())
        {
            private::create_folder(parent).map_err(|e| {
                OpenError::Io(format!(
                    "cannot create the folder {}: {e}",
                    parent.display()
                ))
            })?;
        }
        let cannot =
            |e: std::io::Error| OpenError::Io(format!("cannot protect {}: {e}", path.display()));
        let mut notices = Vec::new();
        if exists {
            for file in [path.clone(), sidecar(&path, "-wal"), sidecar(&path, "-shm")] {
                notices.extend(private::tighten(&file));
            }
        } else if mode == OpenMode::CreateIfMissing {
            // Created here, owner-only, before SQLite opens it: SQLite gives the WAL and
            // shared-memory files the database file's mode.
            private::create_file(&path).map_err(cannot)?;
        }
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(mode == OpenMode::CreateIfMissing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Reads straight from the mapped file instead of a system call per page: at a
            // million users a search's page took 45 ms instead of 60, a count 0.4 ms
            // instead of 4. The mapped pages are the OS's file cache, shared and
            // reclaimable, not memory of Roster's own.
            .pragma("mmap_size", MMAP_BYTES.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| OpenError::Connect {
                location: path.display().to_string(),
                reason: e.to_string(),
            })?;
        Ok(SqliteDatabase {
            pool,
            path,
            notices,
        })
    }

    pub(crate) async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        let applied =
            crate::run_migrations(&MIGRATOR, &self.pool, self.status().await?, |_| None).await?;
        never_reuse_ids(&self.pool)
            .await
            .map_err(|e| OpenError::Migrate(format!("keeping ids from being reused: {e}")))?;
        Ok(applied)
    }

    pub(crate) async fn status(&self) -> Result<SchemaStatus, OpenError> {
        let has_table: bool = sqlx::query_scalar(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| OpenError::Migrate(e.to_string()))?;
        crate::schema_status(
            &MIGRATOR,
            &self.pool,
            has_table,
            &self.path.display().to_string(),
        )
        .await
    }

    /// The newest schema version this program knows.
    pub(crate) fn latest_schema() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// What opening the file changed that the person should know (a tightened mode).
    pub(crate) fn notices(&self) -> &[String] {
        &self.notices
    }

    pub(crate) fn pool(&self) -> &Pool<Sqlite> {
        &self.pool
    }

    pub(crate) fn repository(&self) -> SqlRepository<Sqlite> {
        SqlRepository::new(self.pool.clone(), self.path.display().to_string())
    }
}

/// Switches a statement budget's progress handler off when dropped.
struct Disarm(Arc<AtomicBool>);

impl Drop for Disarm {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// SQLite's extended result codes for the constraints Roster relies on.
const SQLITE_CONSTRAINT_UNIQUE: &str = "2067";
const SQLITE_CONSTRAINT_PRIMARYKEY: &str = "1555";
const SQLITE_CONSTRAINT_FOREIGNKEY: &str = "787";
/// A statement stopped by the progress handler.
const SQLITE_INTERRUPT: &str = "9";

impl Dialect for Sqlite {
    const NUMBER_TYPE: &'static str = "REAL";
    const SIZE_QUERY: &'static str =
        "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()";
    const BACKEND: &'static str = "sqlite";
    const LIKE_ESCAPE: &'static str = " ESCAPE '\\'";
    const LOCK_ROW: &'static str = "";
    const LOCK_SHARED: &'static str = "";

    crate::dialect::sqlx_io!(SqliteRow, SqliteConnection);

    async fn fetch_within(
        conn: &mut SqliteConnection,
        mut qb: QueryBuilder<'_, Self>,
        budget: Duration,
    ) -> Result<Option<Vec<SqliteRow>>, sqlx::Error> {
        let deadline = Instant::now() + budget;
        // If this future is dropped halfway, the handler stays on the pooled connection;
        // disarmed, it lets every later statement run.
        let armed = Arc::new(AtomicBool::new(true));
        let _disarm = Disarm(armed.clone());
        // SQLite calls this every thousand virtual-machine steps (a few microseconds) and
        // interrupts the statement once it returns false.
        conn.lock_handle()
            .await?
            .set_progress_handler(1_000, move || {
                !armed.load(Ordering::Relaxed) || Instant::now() < deadline
            });
        let rows = qb.build().fetch_all(&mut *conn).await;
        conn.lock_handle().await?.remove_progress_handler();
        match rows {
            Ok(rows) => Ok(Some(rows)),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(SQLITE_INTERRUPT) => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// A search walks too: its FTS5 index answers which rows match, and the walk checks
    /// each index entry against that list without reading the row. A short word's page
    /// took 10 ms this way instead of 125 ("ad": 65,000 matches to sort); "lov", whose
    /// matches cluster at "Lovelace", runs out the budget and is sorted as before (81 ms).
    /// Phone numbers have no sort index on SQLite (0001_directory.sql).
    fn walk_sort_index(field: SortField, _searching: bool) -> Option<String> {
        if field == SortField::Phone {
            return None;
        }
        Some(match crate::dialect::sort_index(field) {
            Some(index) => format!(" INDEXED BY {index}"),
            None => " NOT INDEXED".into(),
        })
    }

    /// A searched walk first builds its list of matches from the FTS5 index: 18 ms of a
    /// one-letter word's page ("h": 130,000 matches, whose sort took 300 ms), so it gets
    /// longer than a filtered one.
    fn walk_budget(searching: bool) -> Duration {
        Duration::from_millis(if searching { 40 } else { 8 })
    }

    fn tag_list(user: &str) -> String {
        // SQLite keeps the order of rows fed to group_concat from an ordered subquery.
        format!(
            "(SELECT group_concat(tag, char({})) FROM (SELECT tag FROM user_tags WHERE user_id = {user} ORDER BY position))",
            LIST_SEPARATOR as u32
        )
    }

    fn attribute_list(user: &str) -> String {
        format!(
            "(SELECT group_concat(a.name || char({}) || ua.value, char({})) \
             FROM user_attributes ua JOIN attributes a ON a.id = ua.attribute_id WHERE ua.user_id = {user})",
            PAIR_SEPARATOR as u32, LIST_SEPARATOR as u32
        )
    }

    fn text(row: &SqliteRow, column: &str) -> Result<String, sqlx::Error> {
        row.try_get(column)
    }

    fn opt_text(row: &SqliteRow, column: &str) -> Result<Option<String>, sqlx::Error> {
        row.try_get(column)
    }

    fn boolean(row: &SqliteRow, column: &str) -> Result<bool, sqlx::Error> {
        row.try_get(column)
    }

    const WRITERS_TAKE_TURNS: bool = true;

    /// BEGIN IMMEDIATE: a deferred BEGIN that reads first can fail with SQLITE_BUSY when
    /// another process commits in between, whatever the busy timeout.
    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// A SQLite write transaction holds the only write lock already.
    async fn lock_new_names(_: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        Ok(())
    }

    async fn next_id(conn: &mut SqliteConnection, table: &str) -> Result<i64, sqlx::Error> {
        let name = table.trim_matches('"');
        sqlx::query_scalar(&format!(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0), \
             coalesce((SELECT max(id) FROM {table}), 0)) + 1"
        ))
        .bind(name)
        .fetch_one(&mut *conn)
        .await
    }

    /// Copied rows move `sqlite_sequence` past their ids by themselves; the source's ids of
    /// deleted rows are carried on here.
    async fn after_copy(
        conn: &mut SqliteConnection,
        table: &str,
        next_id: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        let Some(next) = next_id else {
            return Ok(());
        };
        let name = table.trim_matches('"');
        let autoincrement: bool = sqlx::query_scalar(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_sequence'",
        )
        .fetch_one(&mut *conn)
        .await?;
        if !autoincrement {
            return Ok(());
        }
        sqlx::query("UPDATE sqlite_sequence SET seq = max(seq, ?2 - 1) WHERE name = ?1")
            .bind(name)
            .bind(next)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2 - 1 \
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
        )
        .bind(name)
        .bind(next)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Drops the insert trigger of 0010_prefix_search.sql inside the import's transaction:
    /// other connections go on reading the committed schema (WAL), a rollback or crash
    /// brings the trigger back, and no other writer runs until it commits.
    async fn pause_search_index(
        conn: &mut SqliteConnection,
    ) -> Result<Option<PausedSearch>, sqlx::Error> {
        let trigger: Option<String> = sqlx::query_scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'users_search_insert'",
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(trigger) = trigger else {
            return Ok(None);
        };
        let indexed_up_to = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM users")
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("DROP TRIGGER users_search_insert")
            .execute(&mut *conn)
            .await?;
        Ok(Some(PausedSearch {
            trigger,
            indexed_up_to,
        }))
    }

    /// One statement per index: FTS5 writes its pending terms at every statement's end, so
    /// a million rows indexed by one statement make a few large segments where the trigger
    /// made thousands of small ones to merge.
    async fn resume_search_index(
        conn: &mut SqliteConnection,
        paused: PausedSearch,
    ) -> Result<(), sqlx::Error> {
        for index in ["users_fts", "users_prefix"] {
            sqlx::query(&format!(
                "INSERT INTO {index} (rowid, first_name, last_name, username, email) \
                 SELECT id, first_name, last_name, username, email FROM users WHERE id > ?1"
            ))
            .bind(paused.indexed_up_to)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(&paused.trigger).execute(&mut *conn).await?;
        Ok(())
    }

    async fn drop_sort_indexes(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' \
             AND name LIKE 'users\\_sort\\_%' ESCAPE '\\' AND sql IS NOT NULL ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut rebuild = Vec::with_capacity(indexes.len());
        for (name, sql) in indexes {
            sqlx::query(&format!("DROP INDEX \"{name}\""))
                .execute(&mut *conn)
                .await?;
            rebuild.push(sql);
        }
        Ok(rebuild)
    }

    async fn insert_id(
        conn: &mut SqliteConnection,
        mut qb: QueryBuilder<'_, Self>,
    ) -> Result<i64, sqlx::Error> {
        qb.push(" RETURNING id");
        qb.build().fetch_one(conn).await?.try_get("id")
    }

    fn push_id_set(qb: &mut QueryBuilder<'_, Self>, column: &str, ids: &[i64]) {
        qb.push(format!(" AND {column} IN (SELECT value FROM json_each("))
            .push_bind(json_id_list(ids))
            .push("))");
    }

    /// Words of three or more characters use the FTS5 trigram index; shorter words match
    /// the start of a word through the prefix index; a word of punctuation only is scanned
    /// for with LIKE.
    fn push_search(qb: &mut QueryBuilder<'_, Self>, query: &UserQuery) {
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
            push_contains_in_any_column(qb, term);
        }
    }

    fn refusal(error: &sqlx::Error) -> Option<Refusal> {
        let sqlx::Error::Database(db) = error else {
            return None;
        };
        match db.code()?.as_ref() {
            SQLITE_CONSTRAINT_UNIQUE | SQLITE_CONSTRAINT_PRIMARYKEY => Some(Refusal::Unique {
                // SQLite names no constraint; its message names the columns
                // ("UNIQUE constraint failed: users.email_key").
                key: Some(db.message().to_owned()),
            }),
            SQLITE_CONSTRAINT_FOREIGNKEY => Some(Refusal::ForeignKey),
            _ => None,
        }
    }
}

/// SQLite's file beside the database: `roster.db-wal`, `roster.db-shm`.
/// The tables whose ids other records name (the audit trail's targets, sign-in events, a
/// device's owner and token), with what remembers ids of theirs that may be gone: each
/// table's next id starts past all of them.
const NEVER_REUSED: &[(&str, &str)] = &[
    (
        "users",
        "SELECT max(target_id) FROM audit_log WHERE target_kind IN ('user', 'sign_in') \
         UNION ALL SELECT max(user_id) FROM sign_in_events UNION ALL SELECT max(user_id) FROM outbox",
    ),
    (
        "groups",
        "SELECT max(target_id) FROM audit_log WHERE target_kind = 'group'",
    ),
    (
        "organizations",
        "SELECT max(target_id) FROM audit_log WHERE target_kind = 'organization'",
    ),
    ("teams", "SELECT NULL"),
    (
        "devices",
        "SELECT max(target_id) FROM audit_log WHERE target_kind = 'device'",
    ),
    ("user_tokens", "SELECT max(token_id) FROM devices"),
];

/// SQLite gives a new row the largest id + 1, so deleting the newest user made the next
/// one inherit its id, and with it the deleted user's audit trail and sign-ins. Only
/// `AUTOINCREMENT` tables never reuse an id, and a table gets it only by being rebuilt:
/// SQLite's documented way (create the new table, copy, drop, rename, re-create its
/// indexes and triggers) with foreign keys off so dropping the old table cascades nothing,
/// checked before it commits. Done once per table, on the first open after the upgrade (a
/// million users take some seconds); each table's next id starts past every id the audit
/// trail and the other tables remember of it, so ids deleted before the upgrade are not
/// given again either. The audit log, sign-in events and the outbox lose only their oldest
/// rows (a purge), so their newest id is never freed by Roster.
async fn never_reuse_ids(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let pending: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN \
         ('users', 'groups', 'organizations', 'teams', 'devices', 'user_tokens') \
         AND sql NOT LIKE '%AUTOINCREMENT%'",
    )
    .fetch_one(pool)
    .await?;
    if pending == 0 {
        return Ok(());
    }
    // Its own connection: the pragmas below must not leak into the pool's.
    let mut conn = pool.acquire().await?.detach();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut conn)
        .await?;
    // Keeps the rename from re-reading every trigger while the table is away.
    sqlx::query("PRAGMA legacy_alter_table = ON")
        .execute(&mut conn)
        .await?;
    let rebuilt = rebuild_tables(&mut conn).await;
    sqlx::Connection::close(conn).await?;
    rebuilt
}

async fn rebuild_tables(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let done = async {
        for (table, remembered) in NEVER_REUSED {
            let schema: Option<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            )
            .bind(table)
            .fetch_optional(&mut *conn)
            .await?;
            // Another process may have done it while this one waited for the write lock.
            let Some(schema) = schema.filter(|sql| !sql.contains("AUTOINCREMENT")) else {
                continue;
            };
            let (Some(open), Some(key)) = (schema.find('('), schema.find("INTEGER PRIMARY KEY"))
            else {
                return Err(sqlx::Error::Protocol(format!("{table} has no integer id")));
            };
            let key = key + "INTEGER PRIMARY KEY".len();
            let rebuilt = format!(
                "CREATE TABLE \"{table}_rebuilt\" {} AUTOINCREMENT{}",
                &schema[open..key],
                &schema[key..]
            );
            let companions: Vec<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ?1 \
                 AND type IN ('index', 'trigger') AND sql IS NOT NULL",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await?;
            sqlx::query(&rebuilt).execute(&mut *conn).await?;
            sqlx::query(&format!(
                "INSERT INTO \"{table}_rebuilt\" SELECT * FROM \"{table}\""
            ))
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!("DROP TABLE \"{table}\""))
                .execute(&mut *conn)
                .await?;
            sqlx::query(&format!(
                "ALTER TABLE \"{table}_rebuilt\" RENAME TO \"{table}\""
            ))
            .execute(&mut *conn)
            .await?;
            for companion in &companions {
                sqlx::query(companion).execute(&mut *conn).await?;
            }
            sqlx::query(&format!(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, coalesce(max(id), 0) FROM \
                 (SELECT max(id) AS id FROM \"{table}\" UNION ALL {remembered}) \
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)"
            ))
            .bind(table)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM \
                 (SELECT max(id) AS id FROM \"{table}\" UNION ALL {remembered}))) WHERE name = ?1"
            ))
            .bind(table)
            .execute(&mut *conn)
            .await?;
        }
        let broken: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&mut *conn)
            .await?;
        if let Some((table,)) = broken.first() {
            return Err(sqlx::Error::Protocol(format!(
                "a reference in {table} points nowhere after rebuilding"
            )));
        }
        Ok(())
    }
    .await;
    let end = if done.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::query(end).execute(&mut *conn).await?;
    done
}

pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// Counts to `n` the slow way: a statement whose running time the test chooses.
    fn counting(n: u64) -> QueryBuilder<'static, Sqlite> {
        QueryBuilder::new(format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             SELECT count(*) AS c FROM n"
        ))
    }

    #[tokio::test]
    async fn a_statement_over_its_budget_stops_and_the_connection_goes_on() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let stopped =
            Sqlite::fetch_within(&mut conn, counting(100_000_000), Duration::from_millis(5))
                .await
                .unwrap();
        assert!(
            stopped.is_none(),
            "a hundred million steps do not fit in 5 ms"
        );
        let answered = Sqlite::fetch_within(&mut conn, counting(10), Duration::from_secs(10))
            .await
            .unwrap()
            .expect("ten steps fit in ten seconds");
        assert_eq!(Sqlite::int(&answered[0], "c").unwrap(), 10);
        // Past the first budget's deadline, a statement without one runs to its end.
        let rows = Sqlite::fetch_all(&mut conn, counting(300_000))
            .await
            .unwrap();
        assert_eq!(Sqlite::int(&rows[0], "c").unwrap(), 300_000);
    }

    #[tokio::test]
    async fn a_budget_given_up_halfway_stops_nothing_after_it() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let abandoned = tokio::time::timeout(
            Duration::from_millis(1),
            Sqlite::fetch_within(&mut conn, counting(2_000_000), Duration::from_millis(5)),
        )
        .await;
        assert!(abandoned.is_err(), "the caller stopped waiting");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let rows = Sqlite::fetch_all(&mut conn, counting(300_000))
            .await
            .unwrap();
        assert_eq!(Sqlite::int(&rows[0], "c").unwrap(), 300_000);
    }
}
