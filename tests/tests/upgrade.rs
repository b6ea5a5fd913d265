//! Upgrades: a database made by an earlier Roster opens in this one and keeps working, on
//! every backend, and no migration that has landed changes its text (sqlx refuses to open
//! a database whose applied migration no longer matches, so one edited line would lock
//! every office out of its directory).

use roster_tests::{TempDatabase, roster_command};
use serde_json::Value;
use sha2::{Digest, Sha384};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The last migration of each backend in the previous release (stop 36, commit a6adf9a).
const PREVIOUS_RELEASE: &[(&str, i64)] = &[("sqlite", 8), ("postgres", 8), ("mysql", 9)];

fn migrations() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/store/migrations")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `backend/NNNN_name.sql` → its SHA-384, for every migration file.
fn migration_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for backend in ["sqlite", "postgres", "mysql"] {
        for entry in std::fs::read_dir(migrations().join(backend)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "sql") {
                let name = format!("{backend}/{}", path.file_name().unwrap().to_string_lossy());
                files.insert(name, hex(&Sha384::digest(std::fs::read(&path).unwrap())));
            }
        }
    }
    files
}

#[test]
fn a_landed_migration_never_changes() {
    let pinned: BTreeMap<String, String> =
        std::fs::read_to_string(migrations().join("landed.sha384"))
            .unwrap()
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let (sum, name) = line.split_once("  ").expect("sha384sum's format");
                (name.to_owned(), sum.to_owned())
            })
            .collect();
    let files = migration_files();
    for (name, sum) in &pinned {
        let now = files
            .get(name)
            .unwrap_or_else(|| panic!("{name} landed and is gone; restore it"));
        assert_eq!(
            now, sum,
            "{name} changed after it landed, and databases made with it would no longer \
             open: restore it and write the change as a new migration"
        );
    }
    for (name, sum) in &files {
        assert!(
            pinned.contains_key(name),
            "{name} is not pinned; once it lands, add this line to \
             crates/store/migrations/landed.sha384:\n{sum}  {name}"
        );
    }
}

/// Which text of the migrations an earlier database was made with.
#[derive(Clone, Copy, Debug)]
enum Made {
    /// As each migration shipped.
    AsShipped,
    /// While sqlite 0001 and postgres 0003 held the text they were later edited to (see
    /// `EDITED_AFTER_SHIPPING` in the store, and tests/fixtures/edited-migrations).
    WithEditedTexts,
}

/// The previous release's migrations for `backend`, as `made`, in a folder of their own.
fn previous_release(backend: &str, made: Made) -> tempfile::TempDir {
    let last = PREVIOUS_RELEASE
        .iter()
        .find(|(b, _)| *b == backend)
        .unwrap()
        .1;
    let folder = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(migrations().join(backend)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let version: i64 = name[..4].parse().unwrap();
        if version <= last {
            std::fs::copy(&path, folder.path().join(&name)).unwrap();
        }
    }
    if let Made::WithEditedTexts = made {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/edited-migrations");
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(file) = name.strip_prefix(&format!("{backend}-")) {
                std::fs::copy(&path, folder.path().join(file)).unwrap();
            }
        }
    }
    folder
}

/// Makes `db` as the previous release did, with one user in it written by that schema.
async fn made_by_previous_release(db: &TempDatabase, made: Made) {
    use sqlx::Connection;
    let folder = previous_release(db.backend(), made);
    let migrator = sqlx::migrate::Migrator::new(folder.path()).await.unwrap();
    let insert = "INSERT INTO users (username, username_key, email, email_key, first_name, \
                  last_name, role, identity_provider, status, two_factor, created_at, \
                  modified_at, created_by, version) VALUES ('ada', 'ada', 'ada@example.org', \
                  'ada@example.org', 'Ada', 'Lovelace', 'user', 'local', 'active', \
                  'not_configured', 0, 0, 'an earlier release', 1)";
    match db.backend() {
        "postgres" => {
            let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            migrator.run(&mut conn).await.unwrap();
            sqlx::raw_sql(insert).execute(&mut conn).await.unwrap();
        }
        "mysql" => {
            let mut conn = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
            migrator.run(&mut conn).await.unwrap();
            sqlx::raw_sql(insert).execute(&mut conn).await.unwrap();
        }
        _ => {
            let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
            let mut conn = sqlx::SqliteConnection::connect_with(&options.create_if_missing(true))
                .await
                .unwrap();
            migrator.run(&mut conn).await.unwrap();
            sqlx::raw_sql(insert).execute(&mut conn).await.unwrap();
        }
    }
}

/// `roster --json ARGS` on `db`; its JSON answer, or the failure it printed.
fn roster(db: &TempDatabase, args: &[&str]) -> Value {
    let out = roster_command(&db.url).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}: roster {args:?}: {}",
        db.backend(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn found(db: &TempDatabase, search: &str) -> Vec<String> {
    let page = roster(db, &["user", "list", "--search", search]);
    page["users"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|u| u["username"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_database_made_by_the_previous_release_opens_and_works() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for made in [Made::AsShipped, Made::WithEditedTexts] {
        for db in TempDatabase::every_backend() {
            let case = format!("{} made {made:?}", db.backend());
            runtime.block_on(made_by_previous_release(&db, made));
            let status = roster(&db, &["db", "status"]);
            assert!(
                status["pending"].as_array().is_some_and(|p| !p.is_empty()),
                "{case}: migrations to apply: {status}"
            );
            roster(&db, &["db", "migrate"]);
            // The user the earlier release wrote is found by every kind of search: a short
            // word (SQLite's prefix index, new in 0010 for a database made as shipped) and a
            // longer one.
            for search in ["Ad", "lovel", "ada@example"] {
                assert_eq!(found(&db, search), ["ada"], "{case}: search {search:?}");
            }
            // Writes work on the upgraded schema, and their search index follows them.
            roster(
                &db,
                &[
                    "user",
                    "add",
                    "--email",
                    "bo@example.org",
                    "--first",
                    "Bo",
                    "--last",
                    "Li",
                ],
            );
            roster(&db, &["user", "edit", "ada", "--last", "Byron"]);
            assert_eq!(found(&db, "Li"), ["bo"], "{case}");
            assert_eq!(found(&db, "byr"), ["ada"], "{case}");
            assert!(
                found(&db, "lovel").is_empty(),
                "{case}: the old name stays found"
            );
            // A lookalike of the earlier release's user is refused: its keys were filled.
            let out = roster_command(&db.url)
                .args(["user", "add", "--email", "ada@exarnple.org"])
                .args(["--first", "Not", "--last", "Ada"])
                .output()
                .unwrap();
            assert!(!out.status.success(), "{case}: a lookalike email was taken");
            roster(&db, &["audit", "verify"]);
        }
    }
}
