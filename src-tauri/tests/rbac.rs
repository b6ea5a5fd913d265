//! Every role against every command, through Tauri's real IPC path (the mock runtime, the
//! app's own permission manifest and capability): allowed → it works; forbidden → a
//! `forbidden` error, nothing written and no audit entry. The matrix covers every command
//! by construction: `every_command_is_in_the_matrix` fails for a command in
//! `roster_desktop::COMMANDS` that is neither gated here nor listed as open to everyone.

use roster_core::{
    Actor, AuditQuery, NewUser, Permission, RoleInput, Roster, SetPassword, Status, StatusAction,
    SystemClock, TokenQuery, UserQuery, UserRef, built_in_permissions,
};
use roster_store::{Database, OpenMode};
use serde_json::{Value, json};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

const PASSWORD: &str = "role table passphrase";

struct Fixture {
    roster: Roster,
    dir: tempfile::TempDir,
    /// One target user per case, so allowed calls never get in each other's way.
    targets: Vec<i64>,
    locked: i64,
    pending_2fa: i64,
    group: i64,
    token: i64,
    /// Enrolled with `token`, owned by the pending user.
    device: i64,
    mail: i64,
    organization: i64,
    /// Empty, so deleting it needs nowhere to move anything.
    spare_organization: i64,
    me: i64,
    /// A backup of the fixture as it is before any case runs.
    backup: String,
}

/// Commands every visitor or signed-in account may call: the Connect screen's (choosing
/// a directory comes before signing in to it, and touches only this workstation's list),
/// the sign-in screen's, and self-service on one's own account. Each is still tried for
/// every role below.
const OPEN_TO_EVERYONE: &[&str] = &[
    "connections",
    "test_connection",
    "save_connection",
    "delete_connection",
    "open_directory",
    "database_info",
    "save_diagnostics",
    "update_status",
    "set_automatic_update_checks",
    "check_for_update",
    "install_update",
    "restart_roster",
    "set_window_language",
    "session_state",
    "sign_in",
    "sign_out",
    "record_activity",
    "create_first_owner",
    "redeem_code",
    "change_own_password",
    "own_enrollment",
    "activate_own_two_factor",
    "own_tokens",
];

async fn fixture(role: &str, cases: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = roster_store::sqlite_url(&dir.path().join("roster.db"));
    let database = Database::open(&url, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    let roster = Roster::new(database.repository(), Arc::new(SystemClock));
    let actor = Actor::operator("setup", "test");
    let add = |name: String, role: &str, status: Status| NewUser {
        email: format!("{name}@example.org"),
        first_name: "Case".into(),
        last_name: name.clone(),
        username: Some(name),
        role: Some(role.into()),
        status: Some(status),
        ..NewUser::default()
    };
    let me = roster
        .add_user(&actor, add("me".into(), role, Status::Active))
        .await
        .unwrap();
    let choice = SetPassword {
        password: Some(PASSWORD.into()),
        ..SetPassword::default()
    };
    roster
        .set_password(&actor, &UserRef::Id(me.id), choice)
        .await
        .unwrap();
    let mut targets = Vec::new();
    for n in 0..cases {
        let user = roster
            .add_user(&actor, add(format!("target{n}"), "user", Status::Active))
            .await
            .unwrap();
        targets.push(user.id.0);
    }
    let locked = roster
        .add_user(&actor, add("locked".into(), "user", Status::Active))
        .await
        .unwrap();
    roster
        .change_status(&actor, &[UserRef::Id(locked.id)], StatusAction::Lock)
        .await
        .unwrap();
    let pending = roster
        .add_user(&actor, add("pending".into(), "user", Status::Active))
        .await
        .unwrap();
    roster
        .reset_two_factor(&actor, &[UserRef::Id(pending.id)])
        .await
        .unwrap();
    let group = roster
        .add_group(
            &actor,
            roster_core::NewGroup {
                name: "Case group".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let token = roster
        .issue_token(&actor, &UserRef::Id(pending.id), None)
        .await
        .unwrap();
    let device = roster
        .enroll_device(
            &actor,
            &token.text,
            &roster_core::DeviceDraft {
                name: "Outside laptop".into(),
                os: roster_core::DeviceOs::Linux,
                model: String::new(),
                serial: "SN-OUT".into(),
            },
        )
        .await
        .unwrap();
    roster
        .invite(&actor, &UserRef::Id(pending.id))
        .await
        .unwrap();
    let mail = roster.outbox(&actor, 1).await.unwrap()[0].id;
    roster
        .save_role(
            &actor,
            RoleInput {
                name: "unused role".into(),
                description: String::new(),
                permissions: vec![Permission::ViewUsers],
                version: None,
            },
        )
        .await
        .unwrap();
    let organization = roster.add_organization(&actor, "Case org").await.unwrap();
    let spare = roster.add_organization(&actor, "Spare org").await.unwrap();
    // One attribute per case to remove, none holding values.
    for target in &targets {
        let spare_attribute = roster_core::NewAttribute {
            label: format!("Spare {target}"),
            ..Default::default()
        };
        roster
            .define_attribute(&actor, spare_attribute)
            .await
            .unwrap();
    }
    let backup = roster.back_up(&actor, None, None).await.unwrap().file.name;
    Fixture {
        backup,
        roster,
        dir,
        targets,
        locked: locked.id.0,
        pending_2fa: pending.id.0,
        group: group.id.0,
        token: token.token.id,
        device: device.id.0,
        mail,
        organization: organization.id.0,
        spare_organization: spare.id.0,
        me: me.id.0,
    }
}

/// Answers the file dialogs: the fixture's spreadsheet to import (one good row, one bad, so
/// the import is refused whole and there are problems to save), its folder to save in.
struct FixedPicker {
    folder: std::path::PathBuf,
}

const IMPORT_FILE: &str =
    "email,first_name,last_name\nnia.import@example.org,Nia,Import\nnot-an-email,Bad,Row\n";

const MEMBERS_FILE: &str = "group,member\nCase group,locked\nNo such group yet,nobody\n";

/// Devices for owners nobody has: checked and refused row by row, so nothing is written and
/// the answer quotes only the file.
const DEVICES_FILE: &str =
    "name,os,owner\nLost phone,ios,nobody@example.org\nOld laptop,beos,ghost\n";

impl roster_desktop::FilePicker for FixedPicker {
    fn open_spreadsheet(&self, title: &str) -> Option<std::path::PathBuf> {
        let (name, text) = if title.contains("memberships") {
            ("members.csv", MEMBERS_FILE)
        } else if title.contains("devices") {
            ("devices.csv", DEVICES_FILE)
        } else {
            ("import.csv", IMPORT_FILE)
        };
        let path = self.folder.join(name);
        std::fs::write(&path, text).unwrap();
        Some(path)
    }

    fn save_spreadsheet(&self, _title: &str, name: &str) -> Option<std::path::PathBuf> {
        Some(self.folder.join(name))
    }

    fn save_json_lines(&self, _title: &str, name: &str) -> Option<std::path::PathBuf> {
        Some(self.folder.join(name))
    }

    fn save_report(&self, _title: &str, name: &str) -> Option<std::path::PathBuf> {
        Some(self.folder.join(name))
    }

    fn save_backup(&self, _title: &str, name: &str) -> Option<std::path::PathBuf> {
        Some(self.folder.join(name))
    }
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

type Args = fn(&Fixture, i64) -> Value;

/// (command, the permission it needs, its arguments for target user `t`).
fn cases() -> Vec<(&'static str, Permission, Args)> {
    use Permission::*;
    vec![
        (
            "list_users",
            ViewUsers,
            |_, _| json!({ "query": UserQuery::default() }),
        ),
        (
            "list_user_rows",
            ViewUsers,
            |_, _| json!({ "query": UserQuery::default() }),
        ),
        (
            "count_users",
            ViewUsers,
            |_, _| json!({ "query": UserQuery::default() }),
        ),
        (
            "matching_user_ids",
            ViewUsers,
            |_, _| json!({ "query": UserQuery::default() }),
        ),
        ("get_user", ViewUsers, |_, t| json!({ "id": t })),
        ("user_activity", ViewAudit, |_, t| json!({ "id": t })),
        ("user_sign_ins", ViewAudit, |_, t| json!({ "id": t })),
        ("user_groups", ViewUsers, |_, t| json!({ "id": t })),
        ("list_groups", ViewUsers, |_, _| json!({})),
        ("list_organizations", ViewUsers, |_, _| json!({})),
        (
            "create_organization",
            ManageOrganizations,
            |_, t| json!({ "name": format!("Org {t}") }),
        ),
        (
            "rename_organization",
            ManageOrganizations,
            |f, _| json!({ "id": f.organization, "name": "Case org renamed" }),
        ),
        (
            "delete_organization",
            ManageOrganizations,
            |f, _| json!({ "id": f.spare_organization, "moveTo": null }),
        ),
        ("list_attributes", ViewUsers, |_, _| json!({})),
        (
            "define_attribute",
            ManageSettings,
            |_, t| json!({ "attribute": { "label": format!("Case {t}") } }),
        ),
        (
            "edit_attribute",
            ManageSettings,
            |_, t| json!({ "name": format!("spare_{t}"), "edit": { "label": format!("Edited {t}") } }),
        ),
        (
            "attribute_values",
            ManageSettings,
            |_, t| json!({ "name": format!("spare_{t}") }),
        ),
        (
            "remove_attribute",
            ManageSettings,
            |_, t| json!({ "name": format!("spare_{t}"), "confirmed": null }),
        ),
        ("account_scope", ViewUsers, |_, t| json!({ "id": t })),
        (
            "set_account_scope",
            ManageUsers,
            |f, t| json!({ "id": t, "organizations": [f.organization] }),
        ),
        ("overview", ViewUsers, |_, _| json!({})),
        ("facets", ViewUsers, |_, _| json!({})),
        ("list_roles", ViewUsers, |_, _| json!({})),
        (
            "check_new_user",
            ManageUsers,
            |_, _| json!({ "input": NewUser::default() }),
        ),
        (
            "check_user_patch",
            ManageUsers,
            |_, _| json!({ "patch": { "phone": "+1 555 0100" } }),
        ),
        (
            "create_user",
            ManageUsers,
            |_, t| json!({ "input": { "email": format!("new{t}@example.org"), "first_name": "New", "last_name": "User" }, "invite": false }),
        ),
        (
            "update_user",
            ManageUsers,
            |_, t| json!({ "id": t, "patch": { "phone": "+1 555 0100" }, "expectedVersion": 1 }),
        ),
        (
            "change_status",
            ManageUsers,
            |_, t| json!({ "ids": [t], "action": "suspend" }),
        ),
        (
            "edit_users",
            ManageUsers,
            |_, t| json!({ "ids": [t], "edit": { "add_tags": ["case"] } }),
        ),
        (
            "delete_users",
            ManageUsers,
            |_, t| json!({ "ids": [t], "giveDevicesTo": null }),
        ),
        (
            "change_status",
            UnlockUsers,
            |f, _| json!({ "ids": [f.locked], "action": "unlock" }),
        ),
        (
            "create_group",
            ManageGroups,
            |_, t| json!({ "input": { "name": format!("Group {t}") } }),
        ),
        (
            "update_group",
            ManageGroups,
            |f, _| json!({ "id": f.group, "patch": { "description": "changed" }, "version": 1 }),
        ),
        (
            "add_group_members",
            ManageGroups,
            |f, t| json!({ "id": f.group, "users": [t] }),
        ),
        (
            "remove_group_members",
            ManageGroups,
            |f, _| json!({ "id": f.group, "users": [f.locked] }),
        ),
        (
            "delete_group",
            ManageGroups,
            |f, _| json!({ "id": f.group }),
        ),
        (
            "set_password",
            ResetCredentials,
            |_, t| json!({ "id": t, "choice": { "generate": true } }),
        ),
        (
            "reset_two_factor",
            ResetCredentials,
            |_, t| json!({ "ids": [t] }),
        ),
        (
            "enrollment",
            ResetCredentials,
            |f, _| json!({ "id": f.pending_2fa }),
        ),
        (
            "start_recovery",
            ResetCredentials,
            |_, t| json!({ "ids": [t] }),
        ),
        ("invite_user", ResetCredentials, |_, t| json!({ "id": t })),
        ("list_tokens", ViewTokens, |_, _| json!({ "query": {} })),
        (
            "issue_token",
            ManageTokens,
            |_, t| json!({ "id": t, "days": 30 }),
        ),
        (
            "revoke_token",
            ManageTokens,
            |f, _| json!({ "id": f.token }),
        ),
        ("list_devices", ViewTokens, |_, _| json!({ "query": {} })),
        ("get_device", ViewTokens, |f, _| json!({ "id": f.device })),
        (
            "add_device",
            ManageTokens,
            |_, t| json!({ "user": t, "draft": { "name": format!("Laptop {t}"), "os": "windows" } }),
        ),
        (
            "edit_device",
            ManageTokens,
            |f, _| json!({ "id": f.device, "draft": { "name": "Renamed laptop", "os": "linux" }, "version": 1 }),
        ),
        (
            "reassign_devices",
            ManageTokens,
            |f, t| json!({ "ids": [f.device], "to": t.to_string() }),
        ),
        (
            "retire_devices",
            ManageTokens,
            |f, _| json!({ "ids": [f.device] }),
        ),
        (
            "delete_devices",
            ManageTokens,
            |f, _| json!({ "ids": [f.device] }),
        ),
        ("outbox", ViewOutbox, |_, _| json!({})),
        ("reveal_mail", ViewOutbox, |f, _| json!({ "id": f.mail })),
        ("export_mail", ViewOutbox, |f, _| json!({ "id": f.mail })),
        (
            "save_role",
            ManageRoles,
            |_, t| json!({ "input": { "name": format!("custom {t}"), "permissions": ["view_users"] } }),
        ),
        (
            "delete_role",
            ManageRoles,
            |_, _| json!({ "name": "unused role" }),
        ),
        ("choose_import_file", ManageUsers, |_, _| json!({})),
        (
            "preview_import",
            ManageUsers,
            |_, _| json!({ "choice": {} }),
        ),
        (
            "run_import",
            ManageUsers,
            |_, _| json!({ "choice": {}, "progress": "__CHANNEL__:9" }),
        ),
        ("cancel_import", ManageUsers, |_, _| json!({})),
        ("save_import_problems", ManageUsers, |_, _| json!({})),
        (
            "export_users_to_file",
            ViewUsers,
            |_, _| json!({ "choice": { "query": {}, "columns": ["email", "status"], "bom": true, "headers": "okta" } }),
        ),
        ("choose_memberships_file", ManageGroups, |_, _| json!({})),
        (
            "import_memberships",
            ManageGroups,
            |_, _| json!({ "skipInvalid": true }),
        ),
        ("export_memberships_to_file", ViewUsers, |_, _| json!({})),
        (
            "export_devices_to_file",
            ViewTokens,
            |_, _| json!({ "query": {} }),
        ),
        ("choose_devices_file", ManageTokens, |_, _| json!({})),
        (
            "import_devices",
            ManageTokens,
            |_, _| json!({ "skipInvalid": true }),
        ),
        (
            "audit_entries",
            ViewAudit,
            |_, t| json!({ "query": { "target_kind": "user", "target_id": t, "limit": 10 } }),
        ),
        (
            "export_audit_to_file",
            ViewAudit,
            |_, _| json!({ "query": { "actor": "check" }, "format": "jsonl" }),
        ),
        ("verify_audit", ViewAudit, |_, _| json!({ "anchor": null })),
        ("apply_audit_retention", ManageSettings, |_, _| json!({})),
        ("get_settings", ManageSettings, |_, _| json!({})),
        (
            "save_settings",
            ManageSettings,
            |_, _| json!({ "settings": { "organization_name": "Acme", "version": 0 } }),
        ),
        (
            "send_test_mail",
            ManageSettings,
            |_, _| json!({ "to": "it@example.org" }),
        ),
        ("backups", ManageSettings, |_, _| json!({})),
        ("back_up_now", ManageSettings, |_, _| json!({})),
        (
            "save_encrypted_backup",
            ManageSettings,
            |_, _| json!({ "passphrase": "correct horse battery" }),
        ),
        (
            "inspect_backup",
            ManageSettings,
            |f, _| json!({ "name": f.backup }),
        ),
        // Every right, in fact (a restore can give back any right): only the Owner among
        // the built-in roles. Last, as it puts the fixture back as it was.
        (
            "restore_backup",
            ManageRoles,
            |f, _| json!({ "name": f.backup }),
        ),
    ]
}

/// Everything a command could write, counted: audit entries, users, groups, tokens,
/// messages, roles, the settings' version, organizations, and the devices with their
/// versions summed.
async fn writes(roster: &Roster) -> [usize; 9] {
    let operator = Actor::operator("check", "test");
    let audit = AuditQuery {
        user: None,
        limit: 10_000,
        ..Default::default()
    };
    [
        roster.audit(&operator, &audit).await.unwrap().len(),
        roster
            .list_users(&operator, &UserQuery::default())
            .await
            .unwrap()
            .total as usize,
        roster.list_groups(&operator).await.unwrap().len(),
        roster
            .list_tokens(&operator, &TokenQuery::default())
            .await
            .unwrap()
            .iter()
            .filter(|t| t.state == roster_core::TokenState::Active)
            .count(),
        roster.outbox(&operator, 10_000).await.unwrap().len(),
        roster.list_roles(&operator).await.unwrap().len(),
        roster.settings(&operator).await.unwrap().version as usize,
        roster.list_organizations(&operator).await.unwrap().len(),
        roster
            .list_devices(&operator, &roster_core::DeviceQuery::default())
            .await
            .unwrap()
            .devices
            .iter()
            .map(|d| 1000 + d.version as usize)
            .sum(),
    ]
}

#[test]
fn every_command_is_in_the_matrix() {
    let gated: Vec<&str> = cases().iter().map(|(command, _, _)| *command).collect();
    for command in roster_desktop::COMMANDS {
        let open = OPEN_TO_EVERYONE.contains(command);
        assert!(
            open != gated.contains(command),
            "{command} must be either in the role matrix (cases) or open to everyone, not {}",
            if open { "both" } else { "neither" }
        );
    }
    for command in gated.iter().chain(OPEN_TO_EVERYONE) {
        assert!(
            roster_desktop::COMMANDS.contains(command),
            "{command} is not a command"
        );
    }
}

/// Signs in as the fixture's account "me", which has the role under test.
fn sign_in(window: &WebviewWindow<MockRuntime>, role: &str) {
    invoke(
        window,
        "sign_in",
        json!({ "request": { "login": "me", "password": PASSWORD } }),
    )
    .unwrap_or_else(|e| panic!("{role} signs in: {e}"));
}

/// The app on the mock runtime over the fixture's directory, and its main window.
fn app(fixture: &Fixture) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let picker = Arc::new(FixedPicker {
        folder: fixture.dir.path().to_owned(),
    });
    let app = roster_desktop::setup(mock_builder(), Ok(fixture.roster.clone()), Some(picker))
        .build(roster_desktop::context())
        .expect("the app builds on the mock runtime");
    let window = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap(),
    };
    (app, window)
}

fn run_role(role: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let cases = cases();
    let fixture = runtime.block_on(fixture(role, cases.len()));
    let (_app, window) = app(&fixture);

    let refused = invoke(
        &window,
        "list_users",
        json!({ "query": UserQuery::default() }),
    )
    .expect_err("nobody is signed in yet");
    assert_eq!(refused["code"], "sign_in_required", "{refused}");
    sign_in(&window, role);
    let granted = built_in_permissions(role).unwrap();

    for (n, (command, permission, args)) in cases.iter().enumerate() {
        let target = fixture.targets[n];
        let before = runtime.block_on(writes(&fixture.roster));
        let result = invoke(&window, command, args(&fixture, target));
        let after = runtime.block_on(writes(&fixture.roster));
        if granted.contains(permission) {
            match result {
                Err(e) => panic!("{role} may {command} ({permission:?}) but got {e}"),
                // The message went to the Downloads folder: leave no trace there.
                Ok(Value::String(path)) if *command == "export_mail" => {
                    std::fs::remove_file(&path).unwrap();
                }
                Ok(_) => {}
            }
        } else {
            let error = result.expect_err(&format!("{role} may not {command} ({permission:?})"));
            assert_eq!(error["code"], "forbidden", "{role} {command}: {error}");
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("your role '{role}'")),
                "{error}"
            );
            assert_eq!(
                before, after,
                "{role} {command} was refused but wrote something"
            );
        }
    }

    // A restore put the directory back as the backup holds it, the account's credentials
    // included, which ends the session: sign in to the restored directory.
    if granted.contains(&Permission::ManageRoles) {
        sign_in(&window, role);
    }
    // The overview shows recent changes only to roles that may read the audit trail.
    if granted.contains(&Permission::ViewUsers) {
        let overview = invoke(&window, "overview", json!({})).unwrap();
        assert_eq!(
            overview["recent_changes"].is_array(),
            granted.contains(&Permission::ViewAudit),
            "{role}: {}",
            overview["recent_changes"]
        );
    }

    // Self-service needs no permission.
    invoke(&window, "own_tokens", json!({})).unwrap_or_else(|e| panic!("{role} own_tokens: {e}"));
    invoke(&window, "sign_out", json!({})).unwrap();
    let refused = invoke(&window, "own_tokens", json!({})).expect_err("signed out");
    assert_eq!(refused["code"], "sign_in_required");
}

#[test]
fn owner() {
    run_role("owner");
}

#[test]
fn admin() {
    run_role("admin");
}

#[test]
fn helpdesk() {
    run_role("helpdesk");
}

#[test]
fn auditor() {
    run_role("auditor");
}

#[test]
fn user() {
    run_role("user");
}

/// What a command does for an account limited to "Case org" when everything it names
/// (users, the group, the token, the message) lies outside it.
#[derive(Debug, PartialEq)]
enum Scoped {
    /// Refused as not found (a user or group outside is not said to exist) or forbidden
    /// (what concerns the whole directory), with nothing written.
    Refused,
    /// Answers, without a trace of anything outside, and writes nothing.
    Quiet,
    /// Writes inside the account's organization (a new user or group lands there).
    WritesInside,
}

fn when_scoped(command: &str) -> Scoped {
    match command {
        "list_users"
        | "list_user_rows"
        | "count_users"
        | "matching_user_ids"
        | "list_groups"
        | "list_organizations"
        | "list_attributes"
        | "overview"
        | "facets"
        | "list_roles"
        | "list_tokens"
        | "list_devices"
        | "audit_entries"
        | "export_users_to_file"
        | "export_audit_to_file"
        | "export_devices_to_file"
        | "choose_devices_file"
        | "import_devices"
        | "check_new_user"
        | "check_user_patch"
        | "choose_import_file"
        | "preview_import"
        | "run_import"
        | "cancel_import"
        | "save_import_problems" => Scoped::Quiet,
        "create_user" | "create_group" => Scoped::WritesInside,
        _ => Scoped::Refused,
    }
}

/// Whether text names anything outside the account's organization: the other users
/// ("target0", "target1", …, "locked", "pending"), the group, the other organization, or
/// the pending user's device.
fn names_outside(text: &str) -> bool {
    (0..10).any(|digit| text.contains(&format!("target{digit}")))
        || [
            "locked@",
            "pending@",
            "Case group",
            "Spare org",
            "Outside laptop",
        ]
        .iter()
        .any(|outside| text.contains(outside))
}

/// Whether an answer shows anything outside: a name, or the id of a user outside among
/// the ids it lists ("select all matching").
fn leaks(answer: &Value, fixture: &Fixture) -> bool {
    let outside: Vec<i64> = fixture
        .targets
        .iter()
        .copied()
        .chain([fixture.locked, fixture.pending_2fa])
        .collect();
    names_outside(&answer.to_string())
        || answer.as_array().is_some_and(|ids| {
            ids.iter()
                .any(|id| id.as_i64().is_some_and(|id| outside.contains(&id)))
        })
}

fn run_scoped(role: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let cases = cases();
    let fixture = runtime.block_on(fixture(role, cases.len()));
    let operator = Actor::operator("setup", "test");
    let case_org = roster_core::OrganizationId(fixture.organization);
    runtime
        .block_on(fixture.roster.set_account_scope(
            &operator,
            &UserRef::Id(roster_core::UserId(fixture.me)),
            Some(vec![case_org]),
        ))
        .unwrap();
    let (_app, window) = app(&fixture);
    sign_in(&window, role);
    let granted = built_in_permissions(role).unwrap();

    for (n, (command, permission, args)) in cases.iter().enumerate() {
        let before = runtime.block_on(writes(&fixture.roster));
        let result = invoke(&window, command, args(&fixture, fixture.targets[n]));
        let after = runtime.block_on(writes(&fixture.roster));
        let allowed = granted.contains(permission) && !permission.directory_wide();
        let expected = if allowed {
            when_scoped(command)
        } else {
            Scoped::Refused
        };
        match (expected, result) {
            (Scoped::Refused, Err(error)) => {
                assert!(
                    ["not_found", "forbidden"].contains(&error["code"].as_str().unwrap_or("")),
                    "scoped {role} {command}: {error}"
                );
                assert_eq!(
                    before, after,
                    "scoped {role} {command} was refused but wrote something"
                );
            }
            (Scoped::Quiet, Ok(answer)) => {
                assert!(
                    !leaks(&answer, &fixture),
                    "scoped {role} {command} shows what lies outside: {answer}"
                );
                assert_eq!(before, after, "scoped {role} {command} wrote something");
            }
            (Scoped::Quiet, Err(error)) if error["code"] == "validation" => {
                assert_eq!(before, after, "scoped {role} {command} wrote something");
            }
            (Scoped::WritesInside, Ok(answer)) => {
                let organization = answer["organization"].as_str();
                assert_eq!(
                    organization,
                    Some("Case org"),
                    "scoped {role} {command}: {answer}"
                );
            }
            (expected, result) => {
                panic!("scoped {role} {command}: expected {expected:?}, got {result:?}")
            }
        }
    }

    // The files the exports wrote hold no one outside.
    for entry in std::fs::read_dir(fixture.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let input = path.ends_with("import.csv") || path.ends_with("members.csv");
        if path.extension().is_some_and(|e| e == "csv") && !input {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!names_outside(&text), "{}: {text}", path.display());
        }
    }
}

#[test]
fn owner_of_one_organization() {
    run_scoped("owner");
}

#[test]
fn admin_of_one_organization() {
    run_scoped("admin");
}

#[test]
fn helpdesk_of_one_organization() {
    run_scoped("helpdesk");
}

#[test]
fn auditor_of_one_organization() {
    run_scoped("auditor");
}
