//! Help → Updates (src/updates.rs). Open to whoever uses the window, signed in or not: they
//! concern this workstation's copy of Roster, not the directory, and what is installed is only
//! ever a release signed with the key built into this copy (a system package also asks for
//! the administrator password).

use super::{CommandError, Reply};
use crate::AppState;
use crate::updates::UpdateStatus;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub fn update_status<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> UpdateStatus {
    state.updates.status(&app)
}

/// Turns this workstation's checks by itself on or off; turned on, it checks at once.
#[tauri::command]
pub async fn set_automatic_update_checks<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on: bool,
) -> Reply<UpdateStatus> {
    state
        .updates
        .set_automatic_checks(on)
        .map_err(|e| CommandError::io(&e))?;
    if on && crate::updates::has_channel(&app) {
        crate::updates::check_and_tell(&app).await;
    }
    Ok(state.updates.status(&app))
}

#[tauri::command]
pub async fn check_for_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<UpdateStatus> {
    state
        .updates
        .check(&app)
        .await
        .map_err(|e| CommandError::io(&e))
}

/// Installs the version the last check found (never one the window names).
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<UpdateStatus> {
    state
        .updates
        .install(&app)
        .await
        .map_err(|e| CommandError::io(&e))
}

/// Restarts Roster into the version just installed (the backup due on closing is taken first,
/// as on any exit).
#[tauri::command]
pub fn restart_roster<R: Runtime>(app: AppHandle<R>) {
    app.request_restart();
}
