//! `cargo xtask …`: the project's automation, in Rust so it runs the same on every OS.
//!
//! run          install what is missing, build the UI and the app, start it on the default database
//! test         install what is missing, then every check CI runs (fmt, clippy, UI type check and
//!              lint, unit, conformance, CLI and end-to-end tests)
//! e2e          only the end-to-end tests in a real window (after building what they need)
//! dist         the release app and its installers (.deb and .rpm here), sizes reported
//! tauri        the tauri CLI with its inputs prepared: tauri [ARGS] (the release workflow's)
//! fresh-check  the README's two commands and the .deb on a throw-away Debian 12 root
//! packages     the Debian packages set-up installs: packages run|test (for CI images)
//! bench        the list, counts, details, bulk actions and sign-in on a cached dataset beside
//!              the bare SQL (a table + target/bench/results.json): bench [--users N | --quick];
//!              bench --csv: CSV import and export; bench --startup: the release app's
//!              start-up time and memory
//! seed         fill a database with N deterministic users: seed --db URL --users N
//! codegen      regenerate the UI's TypeScript types from the Rust types, and the About
//!              dialog's list of bundled components and their licences
//!
//! xtask itself must build on a machine that has nothing but Rust: it is what installs the
//! system libraries (WebKitGTK, OpenSSL, D-Bus) the app links. So it depends on no crate of
//! the app and on no crate that links a system library (`tests::links_no_system_library`);
//! the automation that needs the app's crates lives in `xtask/bench` and runs after set-up.

mod dist;
mod fresh;
mod licences;
mod metadata;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask run [-- APP ARGS] | test | e2e | dist | tauri [ARGS] | fresh-check | packages run|test | bench [--users N | --quick] [--ui | --startup | --csv | --audit [--entries N]] | seed --db URL --users N | load [--backend sqlite|postgres|mariadb] [--users N] [--seconds S] [--import N] | codegen";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match task {
        "run" => run(rest),
        "test" => test(),
        "e2e" => e2e(),
        "dist" => dist::dist(),
        "tauri" => dist::tauri(rest),
        "packages" => setup::print_packages(rest),
        "fresh-check" => fresh::fresh_check(rest),
        "bench" => bench(rest),
        "load" => run_bench_tool("load", rest),
        "seed" => seed(rest),
        "codegen" => codegen(),
        _ => {
            eprintln!("{USAGE}");
            return if task == "help" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
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

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Runs a command in `dir`, echoing it first; fails with the command line on a non-zero exit.
pub fn step(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result {
    println!("\n==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

pub fn cargo(args: &[&str]) -> Result {
    step(&root(), env!("CARGO"), args, &[])
}

fn npm(args: &[&str]) -> Result {
    step(&root().join("ui"), setup::npm_program(), args, &[])
}

pub fn build_ui() -> Result {
    setup::ensure_ui_packages()?;
    npm(&["run", "build"])
}

pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

fn run(app_args: &[String]) -> Result {
    setup::ensure_system_packages(setup::Purpose::Run)?;
    build_ui()?;
    // The same build as `test`'s: built for one package alone, dependencies resolve other
    // features and a newcomer who ran `test` first waited for 98 crates again.
    cargo(&["build", "--workspace", "--bins"])?;
    let app = target_dir().join("debug").join(exe("roster-desktop"));
    println!("\n==> {}", app.display());
    let status = Command::new(&app)
        .args(app_args)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", app.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("Roster exited with {status}"))
    }
}

fn test() -> Result {
    setup::ensure_system_packages(setup::Purpose::Test)?;
    setup::ensure_tauri_driver()?;
    setup::ensure_ui_packages()?;
    npm(&["run", "typecheck"])?;
    npm(&["run", "lint"])?;
    npm(&["run", "test"])?;
    npm(&["run", "lint:workflows"])?;
    npm(&["run", "build"])?;
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    // The CLI and end-to-end tests run the built binaries, so build them first.
    cargo(&["build", "--workspace", "--bins"])?;
    cargo(&["test", "--workspace", "--no-fail-fast"])?;
    server_tests()?;
    // The figures of a small directory, printed for the log; nothing here asserts a time.
    run_bench_tool("bench", &["--quick".to_owned()])
}

/// The tests that run on one database at a time (the CLI, credentials, imports, mail),
/// once more on each server; the conformance suite runs every backend by itself. A server
/// that is not running fails them, unless `ROSTER_SKIP_SERVER_TESTS=1` says to skip.
fn server_tests() -> Result {
    if std::env::var("ROSTER_SKIP_SERVER_TESTS").is_ok_and(|v| v.trim() == "1") {
        println!("\n==> ROSTER_SKIP_SERVER_TESTS=1: the PostgreSQL and MariaDB runs are skipped");
        return Ok(());
    }
    // `--workspace`, as the first run: the same packages resolve the same features, so the
    // dependencies built for it are reused instead of built again.
    let mut args = vec!["test", "--workspace"];
    for suite in ["cli", "credentials", "import", "mail"] {
        args.extend(["--test", suite]);
    }
    for backend in ["postgres", "mysql"] {
        step(
            &root(),
            env!("CARGO"),
            &args,
            &[("ROSTER_TEST_BACKEND", backend)],
        )?;
    }
    Ok(())
}

fn e2e() -> Result {
    setup::ensure_system_packages(setup::Purpose::Test)?;
    setup::ensure_tauri_driver()?;
    build_ui()?;
    cargo(&["build", "-p", "roster-desktop"])?;
    cargo(&["test", "-p", "roster-tests", "--test", "e2e"])
}

/// The bench and seed need the app's crates, so they run as their own binary once the system
/// packages are there; `--ui` also drives the built app.
fn bench(args: &[String]) -> Result {
    if args.iter().any(|a| a == "--startup") {
        return startup(args);
    }
    let ui = args.iter().any(|a| a == "--ui");
    if ui {
        setup::ensure_system_packages(setup::Purpose::Test)?;
        setup::ensure_tauri_driver()?;
        build_ui()?;
        cargo(&["build", "-p", "roster-desktop"])?;
    } else {
        setup::ensure_system_packages(setup::Purpose::Run)?;
    }
    run_bench_tool("bench", args)
}

/// `bench --startup`: the release app as installed (LTO, stripped), started for real.
fn startup(args: &[String]) -> Result {
    setup::ensure_system_packages(setup::Purpose::Test)?;
    setup::ensure_tauri_driver()?;
    build_ui()?;
    cargo(&["build", "--release", "--locked", "-p", "roster-desktop"])?;
    let app = target_dir().join("release").join(exe("roster-desktop"));
    let rest: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--startup")
        .collect();
    let mut cargo_args = vec![
        "run",
        "--quiet",
        "--profile",
        "bench",
        "-p",
        "roster-bench",
        "--",
        "startup",
    ];
    cargo_args.extend(rest);
    step(
        &root(),
        env!("CARGO"),
        &cargo_args,
        &[("ROSTER_APP", app.to_str().ok_or("target dir is not UTF-8")?)],
    )
}

fn seed(args: &[String]) -> Result {
    setup::ensure_system_packages(setup::Purpose::Run)?;
    run_bench_tool("seed", args)
}

/// The bench tool in the `bench` profile: optimised as the release is, so the figures are
/// what admins get. `--quick` (CI's smoke run) takes the dev build `cargo xtask test` has
/// just made instead of building every dependency a second time.
fn run_bench_tool(task: &str, args: &[String]) -> Result {
    let profile = if args.iter().any(|a| a == "--quick") {
        "dev"
    } else {
        "bench"
    };
    let mut cargo_args = vec![
        "run",
        "--quiet",
        "--profile",
        profile,
        "-p",
        "roster-bench",
        "--",
        task,
    ];
    cargo_args.extend(args.iter().map(String::as_str));
    cargo(&cargo_args)
}

fn codegen() -> Result {
    licences::write()?;
    setup::ensure_system_packages(setup::Purpose::Run)?;
    step(
        &root(),
        env!("CARGO"),
        &[
            "test",
            "-p",
            "roster-desktop",
            "--lib",
            "ui_bindings_are_up_to_date",
        ],
        &[("UPDATE_BINDINGS", "1")],
    )?;
    println!("ui/src/bindings regenerated.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::metadata::{self, Edges};

    /// xtask installs the system libraries, so it must build before they exist: no crate in
    /// its dependency tree may link one. A crate that declares `links` either finds a system
    /// library or builds bundled C sources; both need a C toolchain or -dev package a fresh
    /// machine lacks, so any `links` key fails here.
    #[test]
    fn links_no_system_library() {
        let metadata = metadata::load().unwrap();
        // Dev-dependencies are not built by `cargo xtask`; build dependencies are.
        let built = metadata::closure(&metadata, "xtask", Edges::Built).unwrap();
        assert!(built.len() > 1, "the walk found xtask's dependencies");
        let linking: Vec<String> = built
            .iter()
            .filter_map(|p| Some(format!("{} (links {})", p["name"], p["links"].as_str()?)))
            .collect();
        assert!(
            linking.is_empty(),
            "xtask must build on a machine with no system libraries, but these crates link one: {linking:?}. \
             Move the code that needs them into xtask/bench (run after set-up)."
        );
    }
}
