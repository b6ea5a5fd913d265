//! Shared pieces of Roster's cross-crate tests: throwaway databases, a deterministic
//! user generator (also used by `cargo xtask bench`), and paths of the built binaries.

pub mod desktop;
pub mod seed;

use roster_core::{Actor, FixedClock, Roster};
use roster_store::{Database, OpenMode};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A fresh SQLite database in its own temporary folder, deleted on drop.
pub struct TempDatabase {
    pub dir: tempfile::TempDir,
    pub url: String,
}

impl TempDatabase {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let url = roster_store::sqlite_url(&dir.path().join("roster.db"));
        TempDatabase { dir, url }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("roster.db")
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
