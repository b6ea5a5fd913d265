fn main() {
    // The one tauri.conf.json lives at the repository root (see README, "Configuration").
    // Declaring the app's commands makes Tauri put them under the permission system, so a
    // window can only invoke what src-tauri/capabilities grants it.
    let manifest = tauri_build::AppManifest::new().commands(&["list_users", "database_info"]);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("failed to run the Tauri build script");
}
