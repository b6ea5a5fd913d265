//! The commands the UI invokes. Each one takes the acting person, calls one service and
//! maps the error; anything more belongs in roster-core.

use crate::AppState;
use roster_core::{
    Actor, AuditEntry, AuditQuery, BulkEdit, Error, Facets, FieldError, Group, GroupId, GroupPatch,
    NewGroup, NewUser, Origin, Overview, Roster, StatusAction, User, UserId, UserPage, UserPatch,
    UserQuery, UserRef,
};
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

type Reply<T> = Result<T, CommandError>;

/// What the app is connected to, for the status bar.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct DatabaseInfo {
    pub backend: String,
    pub location: String,
}

fn roster<'a>(state: &'a State<'_, AppState>) -> Reply<&'a Roster> {
    state.roster.as_ref().map_err(|message| CommandError {
        code: "database".into(),
        message: format!(
            "{message}. Start Roster with --db sqlite://PATH to use another database."
        ),
        fields: Vec::new(),
    })
}

/// Until console sign-in exists, the desktop acts as the OS account at this workstation.
fn actor() -> Actor {
    Actor {
        name: whoami::username(),
        workstation: whoami::fallible::hostname().unwrap_or_else(|_| "unknown".into()),
        origin: Origin::Desktop,
    }
}

fn by_ids(ids: &[UserId]) -> Vec<UserRef> {
    ids.iter().map(|id| UserRef::Id(*id)).collect()
}

#[tauri::command]
pub fn database_info(state: State<'_, AppState>) -> Reply<DatabaseInfo> {
    let roster = roster(&state)?;
    Ok(DatabaseInfo {
        backend: roster.backend().to_owned(),
        location: roster.location(),
    })
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>, query: UserQuery) -> Reply<UserPage> {
    Ok(roster(&state)?.list_users(&query).await?)
}

#[tauri::command]
pub async fn matching_user_ids(state: State<'_, AppState>, query: UserQuery) -> Reply<Vec<UserId>> {
    Ok(roster(&state)?.matching_user_ids(&query).await?)
}

#[tauri::command]
pub async fn get_user(state: State<'_, AppState>, id: UserId) -> Reply<User> {
    Ok(roster(&state)?.find_user(&UserRef::Id(id)).await?)
}

#[tauri::command]
pub fn check_new_user(input: NewUser) -> Vec<FieldError> {
    roster_core::check_new_user(&input)
}

#[tauri::command]
pub fn check_user_patch(patch: UserPatch) -> Vec<FieldError> {
    roster_core::check_user_patch(&patch)
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, input: NewUser) -> Reply<User> {
    Ok(roster(&state)?.add_user(&actor(), input).await?)
}

#[tauri::command]
pub async fn update_user(
    state: State<'_, AppState>,
    id: UserId,
    patch: UserPatch,
    expected_version: i64,
) -> Reply<User> {
    let roster = roster(&state)?;
    Ok(roster
        .edit_user(&actor(), &UserRef::Id(id), patch, Some(expected_version))
        .await?)
}

#[tauri::command]
pub async fn change_status(
    state: State<'_, AppState>,
    ids: Vec<UserId>,
    action: StatusAction,
) -> Reply<Vec<User>> {
    Ok(roster(&state)?
        .change_status(&actor(), &by_ids(&ids), action)
        .await?)
}

#[tauri::command]
pub async fn edit_users(
    state: State<'_, AppState>,
    ids: Vec<UserId>,
    edit: BulkEdit,
) -> Reply<Vec<User>> {
    Ok(roster(&state)?
        .edit_users(&actor(), &by_ids(&ids), edit)
        .await?)
}

#[tauri::command]
pub async fn delete_users(state: State<'_, AppState>, ids: Vec<UserId>) -> Reply<usize> {
    Ok(roster(&state)?
        .delete_users(&actor(), &by_ids(&ids))
        .await?
        .len())
}

#[tauri::command]
pub async fn user_activity(state: State<'_, AppState>, id: UserId) -> Reply<Vec<AuditEntry>> {
    let query = AuditQuery {
        user: Some(id),
        limit: 500,
    };
    Ok(roster(&state)?.audit(&query).await?)
}

#[tauri::command]
pub async fn user_groups(state: State<'_, AppState>, id: UserId) -> Reply<Vec<Group>> {
    Ok(roster(&state)?.groups_of(id).await?)
}

#[tauri::command]
pub async fn list_groups(state: State<'_, AppState>) -> Reply<Vec<Group>> {
    Ok(roster(&state)?.list_groups().await?)
}

#[tauri::command]
pub async fn create_group(state: State<'_, AppState>, input: NewGroup) -> Reply<Group> {
    Ok(roster(&state)?.add_group(&actor(), input).await?)
}

#[tauri::command]
pub async fn update_group(
    state: State<'_, AppState>,
    id: GroupId,
    patch: GroupPatch,
) -> Reply<Group> {
    let roster = roster(&state)?;
    let group = roster.group(id).await?;
    Ok(roster.update_group(&actor(), &group, patch).await?)
}

#[tauri::command]
pub async fn delete_group(state: State<'_, AppState>, id: GroupId) -> Reply<()> {
    let roster = roster(&state)?;
    let group = roster.group(id).await?;
    Ok(roster.delete_group(&actor(), &group).await?)
}

#[tauri::command]
pub async fn add_group_members(
    state: State<'_, AppState>,
    id: GroupId,
    users: Vec<UserId>,
) -> Reply<usize> {
    let roster = roster(&state)?;
    let group = roster.group(id).await?;
    Ok(roster
        .add_members(&actor(), &group, &by_ids(&users))
        .await?)
}

#[tauri::command]
pub async fn remove_group_members(
    state: State<'_, AppState>,
    id: GroupId,
    users: Vec<UserId>,
) -> Reply<usize> {
    let roster = roster(&state)?;
    let group = roster.group(id).await?;
    Ok(roster
        .remove_members(&actor(), &group, &by_ids(&users))
        .await?)
}

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    Ok(roster(&state)?.overview().await?)
}

#[tauri::command]
pub async fn facets(state: State<'_, AppState>) -> Reply<Facets> {
    Ok(roster(&state)?.facets().await?)
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

    /// A command must be registered in three places; they must agree.
    #[test]
    fn commands_are_registered_and_permitted_everywhere() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
        let source = read("src/commands.rs");
        let code = source.split("#[cfg(test)]").next().unwrap();
        let defined: Vec<&str> = code
            .split("#[tauri::command]")
            .skip(1)
            .filter_map(|rest| rest.split("fn ").nth(1)?.split('(').next())
            .collect();
        assert!(defined.len() > 10, "found the commands: {defined:?}");
        let (build, lib, capability) = (
            read("build.rs"),
            read("src/lib.rs"),
            read("capabilities/main.json"),
        );
        for name in &defined {
            assert!(
                build.contains(&format!("\"{name}\"")),
                "{name} is missing from build.rs COMMANDS"
            );
            assert!(
                lib.contains(&format!("commands::{name},")),
                "{name} is missing from generate_handler! in lib.rs"
            );
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "{permission} is missing from capabilities/main.json"
            );
        }
        assert_eq!(
            build.matches("\",\n").count(),
            defined.len(),
            "build.rs lists only real commands"
        );
    }

    fn export_all(dir: &Path) {
        // IDs and counts stay far below 2^53, so plain numbers are exact in JavaScript.
        let config = Config::new().with_out_dir(dir).with_large_int("number");
        UserPage::export_all(&config).unwrap();
        UserQuery::export_all(&config).unwrap();
        NewUser::export_all(&config).unwrap();
        UserPatch::export_all(&config).unwrap();
        BulkEdit::export_all(&config).unwrap();
        StatusAction::export_all(&config).unwrap();
        NewGroup::export_all(&config).unwrap();
        GroupPatch::export_all(&config).unwrap();
        Overview::export_all(&config).unwrap();
        Facets::export_all(&config).unwrap();
        CommandError::export_all(&config).unwrap();
        DatabaseInfo::export_all(&config).unwrap();
    }
}
