//! The half of `cargo xtask` that links Roster's own crates, and so the system libraries they
//! need (WebKitGTK, OpenSSL, D-Bus). xtask installs those first, then runs this binary:
//!
//! bench     measure the list, counts, details, bulk actions and sign-in on a cached
//!           dataset beside the bare SQL (a table + target/bench/results.json); --quick: 10k
//!           users; --csv: CSV import and export beside the raw database; --audit
//!           [--entries N]: the Audit log's pages and verifying its chain (10M entries)
//! seed      fill a database with N deterministic users: seed --db URL --users N [--groups]
//! startup   time the release app's start and measure its memory (ROSTER_APP names it)
//! explain   SQLite's plan and the time of SQL statements: explain --db URL SQL…
//! load      many admins at once: load [--backend sqlite|postgres|mariadb] [--users N]
//!           [--seconds S] [--import N] (see load.rs)

mod audit;
mod bench;
mod csv;
mod dataset;
mod load;
mod measure;
mod startup;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match task {
        "bench" => bench::bench(rest),
        "seed" => bench::seed_command(rest),
        "startup" => bench::startup(rest),
        "explain" => bench::explain(rest),
        "load" => load::load(rest),
        "load-import" => load::import_process(rest),
        _ => {
            eprintln!(
                "usage: roster-bench bench [--users N | --quick] [--server URL] [--case TEXT] [--ui | --csv | --audit [--entries N]] | seed --db URL --users N [--groups] | startup [--users N] | explain --db URL SQL… | load [--backend B] [--users N] [--seconds S] [--import N] [--kill-import] [--restart COMMAND]"
            );
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Where cargo puts its builds, so the seeded databases are cached beside them.
pub fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}
