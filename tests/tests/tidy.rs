//! The dependency rules of ARCHITECTURE.md, checked: inner crates must not know the outer ones.

use std::path::Path;

fn dependencies(manifest: &str) -> Vec<String> {
    let text = std::fs::read_to_string(roster_tests::workspace_root().join(manifest))
        .unwrap_or_else(|e| panic!("{manifest}: {e}"));
    let mut in_dependencies = false;
    let mut names = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if let Some((name, _)) = line.split_once('=').filter(|_| in_dependencies) {
            names.push(name.trim().to_owned());
        }
    }
    names
}

fn assert_free_of(manifest: &str, forbidden: &[&str]) {
    let deps = dependencies(manifest);
    assert!(!deps.is_empty(), "{manifest} has a [dependencies] table");
    for name in forbidden {
        assert!(
            !deps
                .iter()
                .any(|d| d == name || d.starts_with(&format!("{name}-"))),
            "{manifest} must not depend on {name} (see ARCHITECTURE.md)"
        );
    }
}

#[test]
fn core_knows_no_database_ui_or_wire_format() {
    assert_free_of(
        "crates/core/Cargo.toml",
        &["tauri", "sqlx", "serde_json", "roster-store", "clap", "csv"],
    );
}

#[test]
fn mail_knows_no_storage_or_front_end() {
    assert_free_of(
        "crates/mail/Cargo.toml",
        &["tauri", "sqlx", "roster-store", "clap"],
    );
}

#[test]
fn csv_knows_no_storage_or_front_end() {
    assert_free_of(
        "crates/csv/Cargo.toml",
        &["tauri", "sqlx", "roster-store", "clap"],
    );
}

#[test]
fn store_knows_no_front_end() {
    assert_free_of("crates/store/Cargo.toml", &["tauri", "clap"]);
}

#[test]
fn no_crate_under_crates_depends_on_tauri() {
    let crates = roster_tests::workspace_root().join("crates");
    for entry in std::fs::read_dir(&crates).unwrap() {
        let manifest = Path::new("crates")
            .join(entry.unwrap().file_name())
            .join("Cargo.toml");
        assert_free_of(manifest.to_str().unwrap(), &["tauri"]);
    }
}

#[test]
fn secrets_know_nothing_of_roster() {
    assert_free_of(
        "crates/secrets/Cargo.toml",
        &["roster", "tauri", "sqlx", "clap"],
    );
}
