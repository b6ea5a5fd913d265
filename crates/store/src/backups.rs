//! Backup files of a SQLite directory: written with `VACUUM INTO` (a consistent snapshot
//! while others write), checked with `PRAGMA integrity_check` before they get their name,
//! owner-only like the database, and read back for a restore without ever being changed.
//! A copy for elsewhere may be encrypted with a passphrase in the `age` format (the `age`
//! crate, so the standard `age` tool opens it too); it is read through a decrypted
//! working copy beside the database.
//! When they are due, what they are called and which are kept is core's (`backup.rs`).

use crate::copy;
use crate::private;
use crate::sql::SqlRepository;
use crate::{Database, OpenMode, SqliteDatabase};
use age::secrecy::SecretString;
use roster_core::{BackupFile, OpenedBackup, StoreError, backup_taken_at, is_kept_aside};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `backups` beside the database file.
pub(crate) fn default_folder(database: &Path) -> PathBuf {
    database
        .parent()
        .map_or_else(|| PathBuf::from("backups"), |folder| folder.join("backups"))
}

fn file_error(what: &str, path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::File(format!("{what} {}: {e}", path.display()))
}

/// Writes a checked backup into `to`; with `seal`, encrypted with that passphrase, from a
/// plain copy made beside `database` (as private as the database is) and deleted after.
pub(crate) async fn back_up(
    pool: &SqlitePool,
    database: &Path,
    to: &Path,
    seal: Option<&str>,
) -> Result<BackupFile, StoreError> {
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| file_error("not a file name:", to, "name the backup's file"))?;
    let folder = match to.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.exists() {
        private::create_folder(folder)
            .map_err(|e| file_error("cannot create the backups folder", folder, e))?;
    }
    if to.exists() {
        return Err(StoreError::File(format!(
            "{} already exists; choose a new file name for the backup",
            to.display()
        )));
    }
    // Written under a name rotation and restores never pick up, renamed once checked.
    let partial = folder.join(format!(".{name}.partial"));
    if partial.exists() {
        // Left by a backup that stopped halfway (the app killed, the disk full).
        std::fs::remove_file(&partial)
            .map_err(|e| file_error("cannot remove the unfinished backup", &partial, e))?;
    }
    private::create_file(&partial)
        .map_err(|e| file_error("cannot create the backup", &partial, e))?;
    let written = match seal {
        None => write_and_check(pool, &partial).await,
        Some(passphrase) => write_sealed(pool, database, &partial, passphrase).await,
    };
    if let Err(e) = written {
        std::fs::remove_file(&partial).ok();
        return Err(e);
    }
    std::fs::rename(&partial, to).map_err(|e| file_error("cannot name the backup", to, e))?;
    describe(to)
}

async fn write_and_check(pool: &SqlitePool, to: &Path) -> Result<(), StoreError> {
    sqlx::query("VACUUM INTO ?")
        .bind(to.display().to_string())
        .execute(pool)
        .await
        .map_err(|e| file_error("cannot write the backup", to, e))?;
    let copy = open_unchanged(to).await?;
    let checked = integrity(&copy, to, Check::Full).await;
    copy.close().await;
    checked
}

async fn write_sealed(
    pool: &SqlitePool,
    database: &Path,
    to: &Path,
    passphrase: &str,
) -> Result<(), StoreError> {
    let plain = working_copy_path(database);
    private::create_file(&plain)
        .map_err(|e| file_error("cannot create a working copy", &plain, e))?;
    let sealed = async {
        write_and_check(pool, &plain).await?;
        let (from, to) = (plain.clone(), to.to_owned());
        let passphrase = SecretString::from(passphrase.to_owned());
        tokio::task::spawn_blocking(move || encrypt(&from, &to, passphrase))
            .await
            .map_err(|e| StoreError::File(format!("encrypting the backup stopped: {e}")))?
    }
    .await;
    remove_working_copy(&plain);
    sealed
}

/// What every file in the `age` format starts with.
const AGE_HEADER: &[u8] = b"age-encryption.org/v1\n";

/// Encrypts `plain` into `to` (created already, private) with scrypt, age's passphrase
/// recipient: `age -d` opens it with the same passphrase.
fn encrypt(plain: &Path, to: &Path, passphrase: SecretString) -> Result<(), StoreError> {
    let failed = |e: std::io::Error| file_error("cannot write the encrypted backup", to, e);
    let target = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(to)
        .map_err(failed)?;
    let encryptor = age::Encryptor::with_user_passphrase(passphrase);
    let mut writer = encryptor
        .wrap_output(std::io::BufWriter::new(target))
        .map_err(failed)?;
    let mut source = std::fs::File::open(plain).map_err(|e| file_error("cannot read", plain, e))?;
    std::io::copy(&mut source, &mut writer).map_err(failed)?;
    let target = writer
        .finish()
        .and_then(|buffered| buffered.into_inner().map_err(|e| e.into_error()))
        .map_err(failed)?;
    target.sync_all().map_err(failed)
}

/// Whether `file` is in the `age` format (an encrypted backup).
fn is_sealed(file: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    let mut start = [0u8; AGE_HEADER.len()];
    let read = std::fs::File::open(file).and_then(|mut f| f.read_exact(&mut start));
    match read {
        Ok(()) => Ok(start == AGE_HEADER),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(file_error("cannot read", file, e)),
    }
}

/// Decrypts the encrypted backup `file` into `to`, a new private file.
async fn decrypt(file: &Path, to: &Path, passphrase: Option<&str>) -> Result<(), StoreError> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
        return Err(StoreError::Passphrase(format!(
            "{name} is encrypted: give the passphrase it was saved with"
        )));
    };
    private::create_file(to).map_err(|e| file_error("cannot create a working copy", to, e))?;
    let (file, to) = (file.to_owned(), to.to_owned());
    let passphrase = SecretString::from(passphrase.to_owned());
    tokio::task::spawn_blocking(move || {
        let source = std::fs::File::open(&file).map_err(|e| file_error("cannot read", &file, e))?;
        let decryptor = age::Decryptor::new_buffered(std::io::BufReader::new(source))
            .map_err(|e| file_error("is not a backup Roster can read:", &file, e))?;
        if !decryptor.is_scrypt() {
            return Err(StoreError::Passphrase(format!(
                "{name} is encrypted to a key, not a passphrase: decrypt it with age and \
                 restore the result"
            )));
        }
        let identity = age::scrypt::Identity::new(passphrase);
        let mut reader = match decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
            Ok(reader) => reader,
            Err(age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys) => {
                return Err(StoreError::Passphrase(format!(
                    "the passphrase does not open {name}: check it and try again"
                )));
            }
            Err(e) => return Err(file_error("cannot decrypt", &file, e)),
        };
        let mut target = std::fs::OpenOptions::new()
            .write(true)
            .open(&to)
            .map_err(|e| file_error("cannot write", &to, e))?;
        std::io::copy(&mut reader, &mut target)
            .map_err(|e| file_error("is damaged or cut short, so it is not used:", &file, e))?;
        target
            .sync_all()
            .map_err(|e| file_error("cannot write", &to, e))
    })
    .await
    .map_err(|e| StoreError::File(format!("decrypting the backup stopped: {e}")))?
}

/// Opens a file that is only read: `immutable`, so SQLite neither writes a journal nor
/// needs write access to the folder (a read-only share).
async fn open_unchanged(file: &Path) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| file_error("cannot open", file, e))
}

/// How thoroughly a file is checked. A backup just written gets SQLite's full check, which
/// also matches every index against its table; one read back (to list what it holds or to
/// restore it, which reads the tables and rebuilds every index) gets the quick one, pages
/// and tree structure only: at a million users 3 s instead of 49.
#[derive(Clone, Copy)]
enum Check {
    Full,
    Quick,
}

async fn integrity(pool: &SqlitePool, file: &Path, check: Check) -> Result<(), StoreError> {
    let pragma = match check {
        Check::Full => "PRAGMA integrity_check",
        Check::Quick => "PRAGMA quick_check",
    };
    let found: Vec<String> = sqlx::query_scalar(pragma)
        .fetch_all(pool)
        .await
        .map_err(|e| file_error("cannot read", file, e))?;
    match found.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        problems => Err(file_error(
            "fails SQLite's integrity check, so it is not used:",
            file,
            problems
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

fn describe(file: &Path) -> Result<BackupFile, StoreError> {
    let metadata = std::fs::metadata(file).map_err(|e| file_error("cannot read", file, e))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let taken_at = match backup_taken_at(&name) {
        Some(taken) => taken,
        // A file named otherwise (`roster db restore FILE`): when it was last written.
        None => metadata
            .modified()
            .map(chrono::DateTime::<chrono::Utc>::from)
            .map_err(|e| file_error("cannot read", file, e))?,
    };
    Ok(BackupFile {
        kept_aside: is_kept_aside(&name),
        name,
        taken_at,
        bytes: metadata.len(),
    })
}

pub(crate) fn list(folder: &Path) -> Result<Vec<BackupFile>, StoreError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(file_error("cannot read the backups folder", folder, e)),
    };
    let mut backups = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| file_error("cannot read the backups folder", folder, e))?;
        let name = entry.file_name();
        if let Some(name) = name.to_str().filter(|n| backup_taken_at(n).is_some()) {
            backups.push(describe(&folder.join(name))?);
        }
    }
    backups.sort_by_key(|b| b.taken_at);
    Ok(backups)
}

pub(crate) fn remove(file: &Path) -> Result<(), StoreError> {
    std::fs::remove_file(file).map_err(|e| file_error("cannot delete the backup", file, e))
}

/// Opens `file` to read; `database` is the live file, beside which an older backup's
/// working copy is made.
pub(crate) async fn open(
    database: &Path,
    file: &Path,
    passphrase: Option<&str>,
) -> Result<OpenedBackup, StoreError> {
    if !file.is_file() {
        return Err(file_error("there is no backup at", file, "check the name"));
    }
    let described = describe(file)?;
    if is_sealed(file)? {
        return open_sealed(database, file, described, passphrase).await;
    }
    let pool = open_unchanged(file).await?;
    let checked = check(&pool, file).await;
    let schema = match checked {
        Ok(schema) => schema,
        Err(e) => {
            pool.close().await;
            return Err(e);
        }
    };
    let latest = SqliteDatabase::latest_schema();
    if schema == latest {
        return Ok(OpenedBackup {
            file: described,
            schema,
            repository: Arc::new(SqlRepository::new(pool, file.display().to_string())),
            working_copy: None,
        });
    }
    pool.close().await;
    // Older: brought up to date in a private copy beside the database, as opening it would.
    let working = working_copy_path(database);
    copy_privately(file, &working)?;
    let opened = brought_up_to_date(&working, file).await;
    read_through(
        described,
        working,
        opened.map(|repository| (schema, repository)),
    )
}

/// An encrypted backup, read from its decrypted copy beside the database: checked as a plain
/// one is, and brought up to date there when older.
async fn open_sealed(
    database: &Path,
    file: &Path,
    described: BackupFile,
    passphrase: Option<&str>,
) -> Result<OpenedBackup, StoreError> {
    let working = working_copy_path(database);
    let opened = async {
        decrypt(file, &working, passphrase).await?;
        let pool = open_unchanged(&working).await?;
        let schema = match check(&pool, file).await {
            Ok(schema) => schema,
            Err(e) => {
                pool.close().await;
                return Err(e);
            }
        };
        // Read as it is when current (one connection, as a plain backup is read); only an
        // older one is opened as a database to migrate.
        if schema == SqliteDatabase::latest_schema() {
            let location = working.display().to_string();
            let repository: Arc<dyn roster_core::Repository> =
                Arc::new(SqlRepository::new(pool, location));
            return Ok((schema, repository));
        }
        pool.close().await;
        Ok::<_, StoreError>((schema, brought_up_to_date(&working, file).await?))
    }
    .await;
    read_through(described, working, opened)
}

/// A backup read through its private working copy, once opened (its schema version and
/// the copy's repository); the copy is removed when opening it failed.
fn read_through(
    described: BackupFile,
    working: PathBuf,
    opened: Result<(i64, Arc<dyn roster_core::Repository>), StoreError>,
) -> Result<OpenedBackup, StoreError> {
    match opened {
        Ok((schema, repository)) => Ok(OpenedBackup {
            file: described,
            schema,
            repository,
            working_copy: Some(working),
        }),
        Err(e) => {
            remove_working_copy(&working);
            Err(e)
        }
    }
}

/// Opens a backup's private working copy, migrated to this program's schema.
async fn brought_up_to_date(
    working: &Path,
    file: &Path,
) -> Result<Arc<dyn roster_core::Repository>, StoreError> {
    let url = format!("sqlite://{}", working.display());
    let copy = Database::connect(&url, OpenMode::MustExist)
        .await
        .map_err(|e| StoreError::File(e.to_string()))?;
    copy.migrate()
        .await
        .map_err(|e| StoreError::File(format!("{}: {e}", file.display())))?;
    Ok(copy.repository())
}

/// Integrity, that it is a Roster directory, and its schema version (not newer than this
/// program's).
async fn check(pool: &SqlitePool, file: &Path) -> Result<i64, StoreError> {
    integrity(pool, file, Check::Quick).await?;
    let not_roster = || file_error("is not a Roster backup:", file, "it holds no Roster schema");
    let version: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .map_err(|_| not_roster())?;
    let version = version.ok_or_else(not_roster)?;
    let latest = SqliteDatabase::latest_schema();
    if version > latest {
        return Err(file_error(
            "was written by a newer version of Roster:",
            file,
            format!("schema {version}, this program knows up to {latest}; upgrade Roster first"),
        ));
    }
    Ok(version)
}

fn working_copy_path(database: &Path) -> PathBuf {
    let name = database
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "roster.db".into());
    let unique = u64::from_ne_bytes(crate::sql::random_bytes());
    database.with_file_name(format!(".{name}.restore-{unique:016x}"))
}

fn copy_privately(from: &Path, to: &Path) -> Result<(), StoreError> {
    private::create_file(to).map_err(|e| file_error("cannot create a working copy", to, e))?;
    let copied = std::fs::File::open(from).and_then(|mut source| {
        let mut target = std::fs::OpenOptions::new().write(true).open(to)?;
        std::io::copy(&mut source, &mut target)?;
        target.sync_all()
    });
    copied.map_err(|e| {
        remove_working_copy(to);
        file_error("cannot copy the backup to", to, e)
    })
}

fn remove_working_copy(path: &Path) {
    for file in [
        path.to_path_buf(),
        crate::sqlite::sidecar(path, "-wal"),
        crate::sqlite::sidecar(path, "-shm"),
    ] {
        std::fs::remove_file(file).ok();
    }
}

pub(crate) async fn restore(pool: &SqlitePool, backup: OpenedBackup) -> Result<(), StoreError> {
    // The file it was read from: the backup itself, or its working copy.
    let source = PathBuf::from(backup.repository.location());
    let working_copy = backup.working_copy.clone();
    drop(backup);
    let from = open_unchanged(&source).await;
    let restored = match from {
        Ok(from) => {
            let copied = copy::copy(&from, pool, true).await;
            from.close().await;
            copied
                .map(|_| ())
                .map_err(|e| StoreError::File(format!("nothing was restored: {e}")))
        }
        Err(e) => Err(e),
    };
    if let Some(working) = working_copy {
        remove_working_copy(&working);
    }
    restored
}

pub(crate) fn close(backup: OpenedBackup) {
    let working_copy = backup.working_copy.clone();
    drop(backup);
    if let Some(working) = working_copy {
        remove_working_copy(&working);
    }
}

/// Whether SQLite finds the file damaged: not a database, or pages that do not add up.
async fn damaged(file: &Path) -> bool {
    let Ok(pool) = open_unchanged(file).await else {
        return true;
    };
    let checked = integrity(&pool, file, Check::Quick).await;
    pool.close().await;
    checked.is_err()
}

/// Moves a damaged database file (with its log) aside, named so it is never taken for a
/// backup; returns where it went.
pub(crate) async fn set_aside_if_damaged(database: &Path) -> Result<Option<PathBuf>, StoreError> {
    if !database.is_file() || !damaged(database).await {
        return Ok(None);
    }
    let stamp = chrono::Utc::now().format(roster_core::FILE_STAMP);
    let aside = crate::sqlite::sidecar(database, &format!(".damaged-{stamp}"));
    for suffix in ["", "-wal", "-shm"] {
        let from = crate::sqlite::sidecar(database, suffix);
        if from.exists() {
            let to = crate::sqlite::sidecar(&aside, suffix);
            std::fs::rename(&from, &to)
                .map_err(|e| file_error("cannot move the damaged database aside:", &from, e))?;
        }
    }
    Ok(Some(aside))
}
