/// Every `#[tauri::command]` in src/commands.rs; a test in that file keeps this list, the
/// handler list in lib.rs and capabilities/main.json in step.
const COMMANDS: &[&str] = &[
    "database_info",
    "list_users",
    "matching_user_ids",
    "get_user",
    "check_new_user",
    "check_user_patch",
    "create_user",
    "update_user",
    "change_status",
    "edit_users",
    "delete_users",
    "user_activity",
    "user_groups",
    "list_groups",
    "create_group",
    "update_group",
    "delete_group",
    "add_group_members",
    "remove_group_members",
    "overview",
    "facets",
];

fn main() {
    // The one tauri.conf.json lives at the repository root (see README, "Configuration").
    // Declaring the app's commands makes Tauri put them under the permission system, so a
    // window can only invoke what src-tauri/capabilities grants it.
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("failed to run the Tauri build script");
}
