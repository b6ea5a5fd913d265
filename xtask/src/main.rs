//! `cargo xtask …`: the project's automation, in Rust so it runs the same on every OS.
//!
//! run       install what is missing, build the UI and the app, start it on the default database
//! test      install what is missing, then every check CI runs (fmt, clippy, UI type check and
//!           lint, unit, conformance, CLI and end-to-end tests)
//! e2e       only the end-to-end tests in a real window (after building what they need)
//! bench     measure the users list query on a seeded database (JSON + a table)
//! codegen   regenerate the UI's TypeScript types from the Rust types
//! seed      fill a database with N deterministic users: seed --db URL --users N

mod bench;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

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
        "bench" => bench::bench(rest),
        "codegen" => codegen(),
        "seed" => bench::seed_command(rest),
        _ => {
            eprintln!(
                "usage: cargo xtask run | test | e2e | bench [--users N] | codegen | seed --db URL --users N"
            );
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

fn cargo(args: &[&str]) -> Result {
    step(&root(), env!("CARGO"), args, &[])
}

fn npm(args: &[&str]) -> Result {
    step(&root().join("ui"), setup::npm_program(), args, &[])
}

fn build_ui() -> Result {
    setup::ensure_ui_packages()?;
    npm(&["run", "build"])
}

fn run(app_args: &[String]) -> Result {
    setup::ensure_system_packages(setup::Purpose::Run)?;
    build_ui()?;
    cargo(&["build", "-p", "roster-desktop"])?;
    let app = target_dir()
        .join("debug")
        .join(format!("roster-desktop{}", std::env::consts::EXE_SUFFIX));
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
    cargo(&["test", "--workspace", "--no-fail-fast"])
}

fn e2e() -> Result {
    setup::ensure_system_packages(setup::Purpose::Test)?;
    setup::ensure_tauri_driver()?;
    build_ui()?;
    cargo(&["build", "-p", "roster-desktop"])?;
    cargo(&["test", "-p", "roster-tests", "--test", "e2e"])
}

fn codegen() -> Result {
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
