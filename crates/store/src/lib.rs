//! How Roster keeps its data. One [`roster_core::Repository`] implementation per database
//! backend, each with its own embedded migrations. Front ends call [`open`] with a URL and
//! get a repository; nothing outside this crate sees SQL.

mod dialect;
mod private;
mod sql;
mod sqlite;

use roster_core::Repository;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use sqlite::SqliteDatabase;

/// Environment variable that overrides the default database.
pub const DATABASE_URL_ENV: &str = "ROSTER_DATABASE_URL";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "'{0}' is not a database URL Roster understands; use sqlite://PATH, postgres://… or mysql://…"
    )]
    BadUrl(String),
    #[error("{0} databases are not supported yet; use sqlite://PATH")]
    Unsupported(&'static str),
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
                Err(OpenError::Unsupported("PostgreSQL"))
            }
            Some(s) if s == "mysql" || s == "mariadb" => {
                Err(OpenError::Unsupported("MySQL/MariaDB"))
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

    /// Applies pending migrations; returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        match self {
            Database::Sqlite(db) => db.migrate().await,
        }
    }

    pub async fn status(&self) -> Result<SchemaStatus, OpenError> {
        match self {
            Database::Sqlite(db) => db.status().await,
        }
    }

    /// A consistent copy of the whole database, taken while it stays in use.
    pub async fn backup(&self, to: &Path) -> Result<(), OpenError> {
        match self {
            Database::Sqlite(db) => db.backup(to).await,
        }
    }

    /// What opening the database changed that the person should know, e.g. a database
    /// file other accounts could read, now made private.
    pub fn notices(&self) -> &[String] {
        match self {
            Database::Sqlite(db) => db.notices(),
        }
    }

    pub fn repository(&self) -> Arc<dyn Repository> {
        match self {
            Database::Sqlite(db) => Arc::new(db.repository()),
        }
    }
}
