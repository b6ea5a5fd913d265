//! The commands the UI invokes. Each one parses, calls one service and maps the error;
//! anything more belongs in roster-core.

use crate::AppState;
use roster_core::{Error, FieldError, Roster, UserPage, UserQuery};
use serde::Serialize;
use tauri::State;

/// What a failed command returns to the UI.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct CommandError {
    /// Stable code the UI branches on (`validation`, `not_found`, `database`, …).
    pub code: String,
    /// A sentence saying what happened and what to do.
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError {
            code: e.code().as_str().to_owned(),
            message: e.to_string(),
            fields: e.fields(),
        }
    }
}

/// What the app is connected to, for the status bar.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct DatabaseInfo {
    pub backend: String,
    pub location: String,
}

fn roster<'a>(state: &'a State<'_, AppState>) -> Result<&'a Roster, CommandError> {
    state.roster.as_ref().map_err(|message| CommandError {
        code: "database".into(),
        message: format!(
            "{message}. Start Roster with --db sqlite://PATH to use another database."
        ),
        fields: Vec::new(),
    })
}

#[tauri::command]
pub async fn list_users(
    state: State<'_, AppState>,
    query: UserQuery,
) -> Result<UserPage, CommandError> {
    Ok(roster(&state)?.list_users(&query).await?)
}

#[tauri::command]
pub fn database_info(state: State<'_, AppState>) -> Result<DatabaseInfo, CommandError> {
    let roster = roster(&state)?;
    Ok(DatabaseInfo {
        backend: roster.backend().to_owned(),
        location: roster.location(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use ts_rs::{Config, TS};

    /// The UI's TypeScript types are generated from these Rust types and committed; this
    /// fails when they are stale. `cargo xtask codegen` rewrites them.
    #[test]
    fn ui_bindings_are_up_to_date() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = fresh_dir.path();
        export_all(fresh);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::remove_dir_all(&committed).ok();
            export_all(&committed);
            return;
        }
        let mut stale = Vec::new();
        for entry in std::fs::read_dir(fresh).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            let want = std::fs::read_to_string(entry.path()).unwrap();
            let have = std::fs::read_to_string(committed.join(&name)).unwrap_or_default();
            if want != have {
                stale.push(name.to_string_lossy().into_owned());
            }
        }
        let fresh_count = std::fs::read_dir(fresh).unwrap().count();
        let committed_count = std::fs::read_dir(&committed)
            .map(|d| d.count())
            .unwrap_or(0);
        assert!(
            stale.is_empty() && fresh_count == committed_count,
            "ui/src/bindings is stale ({stale:?}, {committed_count} files, {fresh_count} expected); run `cargo xtask codegen`"
        );
    }

    fn export_all(dir: &Path) {
        // IDs and counts stay far below 2^53, so plain numbers are exact in JavaScript.
        let config = Config::new().with_out_dir(dir).with_large_int("number");
        UserPage::export_all(&config).unwrap();
        UserQuery::export_all(&config).unwrap();
        CommandError::export_all(&config).unwrap();
        DatabaseInfo::export_all(&config).unwrap();
    }
}
