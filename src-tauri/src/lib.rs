//! The Roster desktop shell. It opens the database, hands Roster's services to the
//! commands in [`commands`], and starts the window. Rules live in roster-core.

mod commands;

use roster_core::{Roster, SystemClock};
use roster_store::Database;
use std::sync::Arc;

/// What the commands share: the services, or why the database could not be opened (the
/// window still starts, and shows that message instead of a blank screen).
pub struct AppState {
    roster: Result<Roster, String>,
}

/// `--db URL` on the command line wins over `ROSTER_DATABASE_URL` and the default file.
fn database_url_argument() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next();
        }
        if let Some(url) = arg.strip_prefix("--db=") {
            return Some(url.to_owned());
        }
    }
    None
}

async fn open_roster(url: Option<String>) -> Result<Roster, String> {
    let (url, mode) = roster_store::resolve_url(url.as_deref()).map_err(|e| e.to_string())?;
    let database = Database::open(&url, mode)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Roster::new(database.repository(), Arc::new(SystemClock)))
}

/// Registers state and commands; shared by the app and its tests.
pub fn setup<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    roster: Result<Roster, String>,
) -> tauri::Builder<R> {
    builder
        .manage(AppState { roster })
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .invoke_handler(tauri::generate_handler![
            commands::database_info,
            commands::list_users,
            commands::matching_user_ids,
            commands::get_user,
            commands::check_new_user,
            commands::check_user_patch,
            commands::create_user,
            commands::update_user,
            commands::change_status,
            commands::edit_users,
            commands::delete_users,
            commands::user_activity,
            commands::user_groups,
            commands::list_groups,
            commands::create_group,
            commands::update_group,
            commands::delete_group,
            commands::add_group_members,
            commands::remove_group_members,
            commands::overview,
            commands::facets,
        ])
}

pub fn run() {
    let roster = tauri::async_runtime::block_on(open_roster(database_url_argument()));
    if let Err(message) = &roster {
        eprintln!("roster-desktop: {message}");
    }
    setup(tauri::Builder::default(), roster)
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running Roster");
}
