//! Shared pieces of Roster's cross-crate tests: throwaway databases, a deterministic
//! user generator (also used by `cargo xtask bench`), and paths of the built binaries.

pub mod desktop;
pub mod seed;

use roster_core::{Actor, FixedClock, Roster};
use roster_store::{Database, OpenMode};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Set to `1` to skip the tests that need a PostgreSQL or MariaDB server; without it, a
/// missing server fails them.
pub const SKIP_SERVER_TESTS_ENV: &str = "ROSTER_SKIP_SERVER_TESTS";

/// The backend `TempDatabase::new` creates: "sqlite" (the default), "postgres" or "mysql".
pub const TEST_BACKEND_ENV: &str = "ROSTER_TEST_BACKEND";

/// A database server the tests create their databases on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Postgres,
    /// MySQL or MariaDB.
    MySql,
}

impl Server {
    /// The backend's name, as `roster db status` reports it.
    pub fn backend(self) -> &'static str {
        match self {
            Server::Postgres => "postgres",
            Server::MySql => "mysql",
        }
    }

    /// The variable naming a database on this server that the tests may connect to in
    /// order to create their own.
    pub fn url_env(self) -> &'static str {
        match self {
            Server::Postgres => "ROSTER_TEST_POSTGRES_URL",
            Server::MySql => "ROSTER_TEST_MYSQL_URL",
        }
    }

    fn admin_url(self) -> String {
        std::env::var(self.url_env()).unwrap_or_else(|_| {
            match self {
                Server::Postgres => "postgres://postgres@127.0.0.1:5432/test",
                Server::MySql => "mysql://root@127.0.0.1:3306/test",
            }
            .into()
        })
    }

    /// Runs one statement on the server's administrative database.
    async fn admin(self, admin_url: &str, statement: &str) -> Result<(), sqlx::Error> {
        use sqlx::{Connection, Executor};
        let unreachable = |e: sqlx::Error| -> ! {
            panic!(
                "cannot reach the {} server at {admin_url} ({e}). Start it (README, \"Tests and \
                 measurements\"), point {} at one, or set {SKIP_SERVER_TESTS_ENV}=1 to skip \
                 the server-backed tests",
                self.backend(),
                self.url_env()
            )
        };
        match self {
            Server::Postgres => {
                let mut conn = sqlx::PgConnection::connect(admin_url)
                    .await
                    .unwrap_or_else(|e| unreachable(e));
                conn.execute(statement).await.map(|_| ())
            }
            Server::MySql => {
                let mut conn = sqlx::MySqlConnection::connect(admin_url)
                    .await
                    .unwrap_or_else(|e| unreachable(e));
                conn.execute(statement).await.map(|_| ())
            }
        }
    }
}

/// A fresh database, deleted on drop: a SQLite file in its own temporary folder, or a
/// uniquely named database on a server.
pub struct TempDatabase {
    pub dir: tempfile::TempDir,
    pub url: String,
    server: Option<ServerDatabase>,
}

impl TempDatabase {
    /// A database on the backend `ROSTER_TEST_BACKEND` names ("sqlite", the default,
    /// "postgres" or "mysql"): `cargo xtask test` runs the CLI, credentials, import and
    /// mail tests once per backend this way.
    pub fn new() -> Self {
        let server = match std::env::var(TEST_BACKEND_ENV).as_deref().map(str::trim) {
            Err(_) | Ok("" | "sqlite") => return Self::sqlite(),
            Ok("postgres") => Server::Postgres,
            Ok("mysql") => Server::MySql,
            Ok(other) => panic!("{TEST_BACKEND_ENV}={other}: use sqlite, postgres or mysql"),
        };
        Self::on_server(server).unwrap_or_else(|| {
            panic!(
                "{TEST_BACKEND_ENV}={}, but {SKIP_SERVER_TESTS_ENV}=1 skips the servers",
                server.backend()
            )
        })
    }

    /// A SQLite file in its own temporary folder, whatever the test backend (for tests of
    /// the file itself: its mode, its backup).
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let url = roster_store::sqlite_url(&dir.path().join("roster.db"));
        TempDatabase {
            dir,
            url,
            server: None,
        }
    }

    /// One database of each kind the tests run on: SQLite, then each server unless
    /// `ROSTER_SKIP_SERVER_TESTS=1` leaves them out.
    pub fn every_backend() -> Vec<Self> {
        let mut databases = vec![Self::sqlite()];
        databases.extend(Self::on_server(Server::Postgres));
        databases.extend(Self::on_server(Server::MySql));
        databases
    }

    /// A new, empty database on the server; `None` only when server tests are skipped
    /// explicitly. A server that cannot be reached fails the test, saying how to start it
    /// or skip.
    pub fn on_server(server: Server) -> Option<Self> {
        if skip_server_tests() {
            return None;
        }
        let admin_url = server.admin_url();
        let name = unique_database_name();
        let create = match server {
            Server::Postgres => format!("CREATE DATABASE {name}"),
            Server::MySql => {
                format!("CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            }
        };
        let created = on_own_runtime({
            let admin_url = admin_url.clone();
            async move { server.admin(&admin_url, &create).await }
        });
        if let Err(e) = created {
            panic!("cannot create the test database {name}: {e}");
        }
        let url = replace_database(&admin_url, &name);
        Some(TempDatabase {
            dir: tempfile::tempdir().expect("create a temporary folder"),
            url,
            server: Some(ServerDatabase {
                server,
                admin_url,
                name,
            }),
        })
    }

    /// Which backend this database is on: "sqlite", "postgres" or "mysql".
    pub fn backend(&self) -> &'static str {
        self.server
            .as_ref()
            .map_or("sqlite", |db| db.server.backend())
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("roster.db")
    }

    /// Runs `statements` (separated by `;`) on the raw database, behind Roster's back, as
    /// someone with access to the file or the server could.
    pub async fn tamper(&self, statements: &str) {
        use sqlx::Connection;
        let fail = |e: sqlx::Error| panic!("{} on {}: {e}", statements, self.backend());
        match self.backend() {
            "postgres" => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(statements)
                    .execute(&mut conn)
                    .await
                    .map_err(fail)
                    .ok();
            }
            "mysql" => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(statements)
                    .execute(&mut conn)
                    .await
                    .map_err(fail)
                    .ok();
            }
            _ => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(statements)
                    .execute(&mut conn)
                    .await
                    .map_err(fail)
                    .ok();
            }
        }
    }

    /// Opens (creating) the database with services on a clock fixed at 2026-01-01.
    pub async fn roster(&self) -> (Roster, Arc<FixedClock>) {
        let database = Database::open(&self.url, OpenMode::CreateIfMissing)
            .await
            .expect("open the test database");
        let clock = Arc::new(FixedClock::new(
            "2026-01-01T09:00:00Z".parse().expect("a valid timestamp"),
        ));
        (Roster::new(database.repository(), clock.clone()), clock)
    }
}

impl Default for TempDatabase {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `ROSTER_SKIP_SERVER_TESTS=1` asks to leave the server-backed tests out.
pub fn skip_server_tests() -> bool {
    std::env::var(SKIP_SERVER_TESTS_ENV).is_ok_and(|v| v.trim() == "1")
}

/// A database a test created on a server, dropped with the test.
struct ServerDatabase {
    server: Server,
    admin_url: String,
    name: String,
}

impl Drop for ServerDatabase {
    fn drop(&mut self) {
        let (server, admin_url, name) = (self.server, self.admin_url.clone(), self.name.clone());
        let dropped = on_own_runtime(async move {
            match server {
                Server::Postgres => {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    server.admin(&admin_url, &drop).await
                }
                Server::MySql => drop_mysql_database(&admin_url, &name).await,
            }
        });
        if let Err(e) = dropped {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

/// Drops a MySQL database, first ending the sessions still connected to it. Drop runs on
/// the test's own thread, so the test's pool cannot send the rollback of a transaction it
/// abandoned, and MySQL's DROP would wait for that transaction's locks for ever.
async fn drop_mysql_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    use sqlx::{Connection, Executor};
    let mut admin = sqlx::MySqlConnection::connect(admin_url).await?;
    let sessions: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM information_schema.processlist WHERE db = ?")
            .bind(name)
            .fetch_all(&mut admin)
            .await?;
    for session in sessions {
        // A session that ended meanwhile is no longer there to kill.
        let _ = admin.execute(format!("KILL {session}").as_str()).await;
    }
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .map(|_| ())
}

/// Runs `work` to its end on a runtime of its own, in a thread of its own: tests create
/// and drop server databases from inside their runtime (or from `Drop`), which cannot
/// block on a future.
pub fn on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the test database")
            .block_on(work)
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// A database name no other test or test run uses at the same time.
fn unique_database_name() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("roster_test_{}_{n}_{nanos}", std::process::id())
}

/// `url` naming database `name` instead of its own.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

pub fn test_actor() -> Actor {
    Actor::operator("tester", "test-host")
}

/// The workspace's target directory (where `cargo build` put the binaries).
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            workspace_root().join(dir)
        };
    }
    workspace_root().join("target")
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// A binary built by `cargo build` (`cargo xtask test` builds them before testing).
pub fn built_binary(name: &str) -> PathBuf {
    let path = target_dir()
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing; build it first with `cargo build --workspace` (cargo xtask test does)",
        path.display()
    );
    path
}

/// The built `roster` command on the database at `url`, answering in JSON, with nothing
/// of the caller's environment choosing another database.
pub fn roster_command(url: &str) -> std::process::Command {
    let mut command = std::process::Command::new(built_binary("roster"));
    command
        .args(["--db", url, "--json"])
        .env_remove("ROSTER_DATABASE_URL");
    command
}

/// The bytes of a base32 key (a TOTP secret as Roster shows it; spaces are ignored).
pub fn decode_base32(text: &str) -> Result<Vec<u8>, String> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut buffer, mut out) = (0u32, 0u32, Vec::new());
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let value = ALPHABET
            .find(c)
            .ok_or_else(|| format!("'{c}' is not base32 in the key '{text}'"))?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Ok(out)
}

/// How many users the directory holds.
pub async fn user_count(roster: &Roster) -> u64 {
    roster
        .list_users(&test_actor(), &roster_core::UserQuery::default())
        .await
        .expect("list the users")
        .total
}
