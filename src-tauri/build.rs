// The one list of the app's commands, shared with the app (`roster_desktop::COMMANDS`) and
// its tests.
include!("src/command_names.rs");

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
