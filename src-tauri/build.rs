// The one list of the app's commands (`with_commands!`), shared with the app and its tests.
include!("src/command_names.rs");

macro_rules! names {
    ($($module:ident::$name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

const COMMANDS: &[&str] = with_commands!(names);

/// What the main window may invoke beyond Roster's commands: listening to the events the
/// app sends (import progress, changes by others).
const CORE_PERMISSIONS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

/// The main window's capability, written from the list so that a new command is granted
/// where it is declared. It stays in the repository for review: what the window can
/// reach is read there, not in build output.
fn write_capability() {
    let permissions: Vec<String> = CORE_PERMISSIONS
        .iter()
        .map(|p| p.to_string())
        .chain(
            COMMANDS
                .iter()
                .map(|name| format!("allow-{}", name.replace('_', "-"))),
        )
        .map(|p| format!("    \"{p}\""))
        .collect();
    let capability = format!(
        r#"{{
  "$schema": "../gen/schemas/desktop-schema.json",
  "identifier": "main-window",
  "description": "What the main window's UI may invoke: Roster's own commands, nothing else. Written by build.rs from src/command_names.rs; do not edit.",
  "windows": [
    "main"
  ],
  "permissions": [
{}
  ]
}}
"#,
        permissions.join(",\n")
    );
    let path = std::path::Path::new("capabilities/main.json");
    if std::fs::read_to_string(path).ok().as_deref() != Some(capability.as_str()) {
        std::fs::write(path, capability).expect("write capabilities/main.json");
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/command_names.rs");
    write_capability();
    // The one tauri.conf.json lives at the repository root (see README, "Configuration").
    // Declaring the app's commands makes Tauri put them under the permission system, so a
    // window can only invoke what src-tauri/capabilities grants it.
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("failed to run the Tauri build script");
}
