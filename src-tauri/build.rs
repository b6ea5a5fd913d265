/// Every `#[tauri::command]` in src/commands/; a test in src/commands/mod.rs keeps this list, the
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
    "session_state",
    "sign_in",
    "sign_out",
    "create_first_owner",
    "redeem_code",
    "change_own_password",
    "own_enrollment",
    "activate_own_two_factor",
    "own_tokens",
    "set_password",
    "reset_two_factor",
    "enrollment",
    "start_recovery",
    "invite_user",
    "user_sign_ins",
    "list_tokens",
    "issue_token",
    "revoke_token",
    "list_roles",
    "save_role",
    "delete_role",
    "get_settings",
    "save_settings",
    "send_test_mail",
    "outbox",
    "export_mail",
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
