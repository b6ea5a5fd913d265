//! How Roster keeps its data. One [`roster_core::Repository`] implementation per database
//! backend, each with its own embedded migrations. Front ends call [`open`] with a URL and
//! get a repository; nothing outside this crate sees SQL.

mod backups;
mod copy;
mod dialect;
mod mysql;
mod postgres;
mod private;
mod server;
mod sql;
mod sqlite;

use roster_core::Repository;
use sqlx::migrate::Migrator;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use copy::CopyReport;
pub use mysql::MySqlDatabase;
pub use postgres::{PostgresDatabase, SESSION_SETTINGS as POSTGRES_SESSION_SETTINGS};
pub use server::{ServerAddress, ServerKind, TlsMode};
pub use sqlite::SqliteDatabase;

/// Environment variable that overrides the default database.
pub const DATABASE_URL_ENV: &str = "ROSTER_DATABASE_URL";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "'{0}' is not a database URL Roster understands; use sqlite://PATH, postgres://… or mysql://…"
    )]
    BadUrl(String),
    #[error("no database at {}; create it with `roster db init`", .0.display())]
    Missing(PathBuf),
    #[error(
        "this database was written by a newer version of Roster (schema {found}, this program knows up to {known}); upgrade Roster"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("cannot find a data directory for the default database; pass --db sqlite://PATH")]
    NoDataDir,
    #[error("cannot open the database at {location}: {reason}")]
    Connect { location: String, reason: String },
    #[error("cannot update the database schema: {0}")]
    Migrate(String),
    /// A field of a server address that no connection could be made from.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    Io(String),
}

/// Whether opening may create a new, empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    CreateIfMissing,
    MustExist,
}

/// The SQLite file Roster uses when no URL is given: `roster.db` in the OS data directory
/// (e.g. `~/.local/share/roster` on Linux, `%APPDATA%\Roster\Roster\data` on Windows).
pub fn default_database_path() -> Result<PathBuf, OpenError> {
    let dirs =
        directories::ProjectDirs::from("org", "Roster", "Roster").ok_or(OpenError::NoDataDir)?;
    Ok(dirs.data_dir().join("roster.db"))
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The file a `sqlite://PATH` URL names (its query, if any, left off); `None` for any other URL.
pub(crate) fn sqlite_path(url: &str) -> Option<PathBuf> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("sqlite") {
        return None;
    }
    Some(PathBuf::from(rest.split('?').next().unwrap_or_default()))
        .filter(|p| !p.as_os_str().is_empty())
}

/// The URL to use: the given one, else `ROSTER_DATABASE_URL`, else the default file.
pub fn resolve_url(given: Option<&str>) -> Result<(String, OpenMode), OpenError> {
    if let Some(url) = given.map(str::trim).filter(|u| !u.is_empty()) {
        return Ok((url.to_owned(), OpenMode::MustExist));
    }
    if let Some(url) = std::env::var(DATABASE_URL_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        return Ok((url.trim().to_owned(), OpenMode::MustExist));
    }
    Ok((
        sqlite_url(&default_database_path()?),
        OpenMode::CreateIfMissing,
    ))
}

/// The schema as this program sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    pub backend: &'static str,
    pub location: String,
    /// The newest migration applied, if any.
    pub version: Option<i64>,
    /// The newest migration this program knows.
    pub latest: i64,
    /// Migrations not applied yet: (version, description).
    pub pending: Vec<(i64, String)>,
}

/// An open database of any backend.
pub enum Database {
    Sqlite(SqliteDatabase),
    Postgres(PostgresDatabase),
    MySql(MySqlDatabase),
}

impl Database {
    /// Connects without touching the schema (for `db status`).
    pub async fn connect(url: &str, mode: OpenMode) -> Result<Database, OpenError> {
        match url
            .split_once("://")
            .map(|(scheme, _)| scheme.to_ascii_lowercase())
        {
            Some(s) if s == "sqlite" => {
                Ok(Database::Sqlite(SqliteDatabase::connect(url, mode).await?))
            }
            Some(s) if s == "postgres" || s == "postgresql" => {
                Ok(Database::Postgres(PostgresDatabase::connect(url).await?))
            }
            Some(s) if s == "mysql" || s == "mariadb" => {
                Ok(Database::MySql(MySqlDatabase::connect(url).await?))
            }
            _ => Err(OpenError::BadUrl(url.to_owned())),
        }
    }

    /// Connects and brings the schema up to date; refuses a database newer than this program.
    pub async fn open(url: &str, mode: OpenMode) -> Result<Database, OpenError> {
        let db = Database::connect(url, mode).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Opens the database a backup is to be restored into: a missing SQLite file is created,
    /// and one SQLite finds damaged (not a database, or corrupt) is first moved aside, named
    /// `….damaged-DATE`, and a new one made in its place. Returns where a damaged file went.
    pub async fn open_for_restore(url: &str) -> Result<(Database, Option<PathBuf>), OpenError> {
        let mut aside = None;
        if let Some(path) = sqlite_path(url) {
            aside = backups::set_aside_if_damaged(&path)
                .await
                .map_err(|e| OpenError::Io(e.to_string()))?;
        }
        let database = Database::open(url, OpenMode::CreateIfMissing).await?;
        Ok((database, aside))
    }

    /// Applies pending migrations; returns the versions applied.
    /// Applies pending migrations and chains audit entries written before the chain
    /// existed; returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        let applied = match self {
            Database::Sqlite(db) => db.migrate().await,
            Database::Postgres(db) => db.migrate().await,
            Database::MySql(db) => db.migrate().await,
        }?;
        let sealed = match self {
            Database::Sqlite(db) => sql::seal_audit_chain(db.pool()).await,
            Database::Postgres(db) => sql::seal_audit_chain(db.pool()).await,
            Database::MySql(db) => sql::seal_audit_chain(db.pool()).await,
        };
        sealed.map_err(|e| OpenError::Migrate(format!("chaining the audit log: {e}")))?;
        // Entries a writer left unchained when it stopped between its commit and chaining
        // them; as far as the chain's row is free to, since other writers chain them too.
        let _ = match self {
            Database::Sqlite(db) => sql::seal_pending(db.pool(), sql::Sealing::All).await,
            Database::Postgres(db) => sql::seal_pending(db.pool(), sql::Sealing::All).await,
            Database::MySql(db) => sql::seal_pending(db.pool(), sql::Sealing::All).await,
        };
        let filled = match self {
            Database::Sqlite(db) => sql::fill_lookalikes(db.pool()).await,
            Database::Postgres(db) => sql::fill_lookalikes(db.pool()).await,
            Database::MySql(db) => sql::fill_lookalikes(db.pool()).await,
        };
        filled.map_err(|e| {
            OpenError::Migrate(format!("keeping the lookalike keys of users' names: {e}"))
        })?;
        Ok(applied)
    }

    pub async fn status(&self) -> Result<SchemaStatus, OpenError> {
        match self {
            Database::Sqlite(db) => db.status().await,
            Database::Postgres(db) => db.status().await,
            Database::MySql(db) => db.status().await,
        }
    }

    /// Closes every connection, once the ones in use are given back; SQLite writes its log
    /// into the file as the last one closes.
    pub async fn close(&self) {
        match self {
            Database::Sqlite(db) => db.pool().close().await,
            Database::Postgres(db) => db.pool().close().await,
            Database::MySql(db) => db.pool().close().await,
        }
    }

    /// What opening the database changed that the person should know, e.g. a database
    /// file other accounts could read, now made private.
    pub fn notices(&self) -> &[String] {
        match self {
            Database::Sqlite(db) => db.notices(),
            Database::Postgres(_) | Database::MySql(_) => &[],
        }
    }

    /// Copies this whole directory into `target` (any backend), in one transaction there,
    /// checking every table's row count before committing. A target that holds data is
    /// refused unless `replace`, which empties it first.
    pub async fn copy_to(&self, target: &Database, replace: bool) -> Result<CopyReport, OpenError> {
        use Database::{MySql, Postgres, Sqlite};
        match (self, target) {
            (Sqlite(a), Sqlite(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (Sqlite(a), Postgres(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (Sqlite(a), MySql(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (Postgres(a), Sqlite(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (Postgres(a), Postgres(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (Postgres(a), MySql(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (MySql(a), Sqlite(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (MySql(a), Postgres(b)) => copy::copy(a.pool(), b.pool(), replace).await,
            (MySql(a), MySql(b)) => copy::copy(a.pool(), b.pool(), replace).await,
        }
    }

    /// What announces changes at once, where the database can (PostgreSQL); `None` elsewhere,
    /// or when listening failed (the watcher then asks at intervals, as on the others).
    pub async fn change_signal(&self) -> Option<ChangeSignal> {
        match self {
            Database::Postgres(db) => db.change_listener().await.ok().map(ChangeSignal),
            Database::Sqlite(_) | Database::MySql(_) => None,
        }
    }

    pub fn repository(&self) -> Arc<dyn Repository> {
        match self {
            Database::Sqlite(db) => Arc::new(db.repository()),
            Database::Postgres(db) => Arc::new(db.repository()),
            Database::MySql(db) => Arc::new(db.repository()),
        }
    }
}

/// Wakes a watcher as soon as another connection commits a change: PostgreSQL's
/// LISTEN/NOTIFY. SQLite and MySQL have no such thing; their watchers ask at intervals.
pub struct ChangeSignal(sqlx::postgres::PgListener);

impl ChangeSignal {
    /// Waits for the next change committed anywhere. An error means the connection was
    /// lost; the next call connects again (changes made meanwhile are not announced: ask
    /// the directory itself, `Roster::poll_changes`).
    pub async fn changed(&mut self) -> Result<(), String> {
        self.0.recv().await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// A URL with its password, if any, replaced by `***`: URLs reach error messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            let hidden = if credentials.contains(':') {
                ":***"
            } else {
                ""
            };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// How long a write on a server waits for a row another admin's unfinished change holds
/// before it gives up with "try again" (PostgreSQL's `lock_timeout`, MySQL's
/// `innodb_lock_wait_timeout`; the first is written out in `postgres::SESSION_SETTINGS`).
pub(crate) const LOCK_WAIT: Duration = Duration::from_secs(5);

/// How long connecting to a server may take before Roster gives up and says so.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The connection pool of a desktop client on a shared server: a few connections, given up
/// quickly when idle, and a connection attempt that fails in seconds rather than minutes.
fn server_pool<DB: sqlx::Database>() -> sqlx::pool::PoolOptions<DB> {
    sqlx::pool::PoolOptions::new()
        .max_connections(4)
        .min_connections(0)
        .acquire_timeout(CONNECT_TIMEOUT)
        .idle_timeout(Duration::from_secs(60))
}

/// Opens `pool` on a server after one plain connection, because the pool retries a refused
/// connection until its timeout and then reports only that it timed out; the single attempt
/// fails at once, with the server's own reason, which is explained in words.
async fn open_server_pool<DB: sqlx::Database>(
    pool: sqlx::pool::PoolOptions<DB>,
    options: <DB::Connection as sqlx::Connection>::Options,
    target: server::Target<'_>,
    refused: fn(&sqlx::Error) -> Option<server::Refused>,
    location: &str,
) -> Result<sqlx::Pool<DB>, OpenError> {
    use sqlx::Connection;
    let explained = |e: sqlx::Error| OpenError::Connect {
        location: location.to_owned(),
        reason: server::explain(&e, refused(&e), &target),
    };
    let probe = tokio::time::timeout(CONNECT_TIMEOUT, DB::Connection::connect_with(&options))
        .await
        .map_err(|_| explained(sqlx::Error::PoolTimedOut))?
        .map_err(explained)?;
    probe.close().await.ok();
    pool.connect_with(options).await.map_err(explained)
}

/// Applies `migrator`'s pending migrations to a database whose schema is `before`; refuses
/// one written by a newer program. `refused` reads the server's error codes, so a user who
/// may connect but not create tables is told so.
async fn run_migrations<DB>(
    migrator: &Migrator,
    pool: &sqlx::Pool<DB>,
    before: SchemaStatus,
    refused: fn(&sqlx::Error) -> Option<server::Refused>,
) -> Result<Vec<i64>, OpenError>
where
    DB: dialect::Dialect,
    DB::Connection: sqlx::migrate::Migrate,
{
    if before.version.unwrap_or(0) > before.latest {
        return Err(OpenError::NewerSchema {
            found: before.version.unwrap_or(0),
            known: before.latest,
        });
    }
    if before.version.is_some() {
        accept_edited_migrations(migrator, pool)
            .await
            .map_err(|e| OpenError::Migrate(e.to_string()))?;
    }
    migrator.run(pool).await.map_err(|e| match &e {
        sqlx::migrate::MigrateError::Execute(inner)
        | sqlx::migrate::MigrateError::ExecuteMigration(inner, _)
            if refused(inner) == Some(server::Refused::Permission) =>
        {
            OpenError::Migrate(format!(
                "the database user may not create Roster's tables in {}: ask the server's \
                 administrator to make it the database's owner (PostgreSQL) or to grant it \
                 all privileges on the database (MySQL), or create them once with `roster db \
                 init` as a user who may ({e})",
                before.location
            ))
        }
        _ => OpenError::Migrate(e.to_string()),
    })?;
    Ok(before.pending.into_iter().map(|(v, _)| v).collect())
}

/// Migrations whose text was edited after it shipped, by backend and version, with the
/// SHA-384 of the edited text (sqlx's checksum). A database made while the edited text was
/// current holds that checksum, and sqlx refuses any but the shipped one; such a
/// database's record is set to the shipped text's, and a later migration, written to hold
/// on either schema, brings both to one (sqlite 0010, postgres 0010). The edited texts are
/// kept in tests/fixtures/edited-migrations, where the upgrade test builds such databases.
const EDITED_AFTER_SHIPPING: &[(&str, i64, &str)] = &[
    (
        "sqlite",
        1,
        "5fc55e482c202f3eb091da805384d57e925f0c0e4cb6215e88f7b6eed5ff992ec17845e0455c5696bd90d2ed84ec4b89",
    ),
    (
        "postgres",
        3,
        "e5b0f292fd81a0a988ad0ac15415dc01994b54e7ec858c9a81fda3859f1d8afe33ea55cb84be68d878c2d5ba56ea5f17",
    ),
    // 0011 with the NOTIFY trigger in it (its first text, and again from 946e7e5 to
    // 65b4171); 0012 creates the trigger on either text.
    (
        "postgres",
        11,
        "99044831240405e39ac6d6f9f6be82d26c5523c30bd4bd75eccfa9ae5640df34ef90e8cff4b8612be978200b8bdce08c",
    ),
];

async fn accept_edited_migrations<DB: dialect::Dialect>(
    migrator: &Migrator,
    pool: &sqlx::Pool<DB>,
) -> Result<(), sqlx::Error> {
    for (_, version, edited) in EDITED_AFTER_SHIPPING
        .iter()
        .filter(|(backend, _, _)| *backend == DB::BACKEND)
    {
        let Some(shipped) = migrator.iter().find(|m| m.version == *version) else {
            continue;
        };
        let edited: Vec<u8> = (0..edited.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&edited[i..i + 2], 16).expect("a hex checksum"))
            .collect();
        let where_edited = |qb: &mut sqlx::QueryBuilder<'_, DB>| {
            qb.push(" WHERE version = ");
            DB::bind(qb, dialect::Value::Int(*version));
            qb.push(" AND checksum = ");
            DB::bind(qb, dialect::Value::OptBytes(Some(edited.clone())));
        };
        // Read first: an update, even of no row, waits for SQLite's write lock, and opening
        // must not wait behind another writer (a long import) for nothing.
        let mut conn = pool.acquire().await?;
        let mut found = sqlx::QueryBuilder::new("SELECT version FROM _sqlx_migrations");
        where_edited(&mut found);
        if DB::fetch_optional(&mut conn, found).await?.is_none() {
            continue;
        }
        let mut qb = sqlx::QueryBuilder::new("UPDATE _sqlx_migrations SET checksum = ");
        DB::bind(
            &mut qb,
            dialect::Value::OptBytes(Some(shipped.checksum.to_vec())),
        );
        where_edited(&mut qb);
        DB::execute(&mut conn, qb).await?;
    }
    Ok(())
}

/// The schema as `migrator` sees it; `has_table` says whether sqlx's migration table exists.
async fn schema_status<DB: dialect::Dialect>(
    migrator: &Migrator,
    pool: &sqlx::Pool<DB>,
    has_table: bool,
    location: &str,
) -> Result<SchemaStatus, OpenError> {
    let failed = |e: sqlx::Error| OpenError::Migrate(e.to_string());
    let mut applied = Vec::new();
    if has_table {
        let mut conn = pool.acquire().await.map_err(failed)?;
        let query = sqlx::QueryBuilder::new(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        );
        for row in DB::fetch_all(&mut conn, query).await.map_err(failed)? {
            applied.push(DB::int(&row, "version").map_err(failed)?);
        }
    }
    let pending = migrator
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .map(|m| (m.version, m.description.to_string()))
        .collect();
    Ok(SchemaStatus {
        backend: DB::BACKEND,
        location: location.to_owned(),
        version: applied.iter().copied().max(),
        latest: migrator.iter().map(|m| m.version).max().unwrap_or(0),
        pending,
    })
}
