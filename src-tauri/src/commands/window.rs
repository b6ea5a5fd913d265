//! What the window tells the Rust side about itself. Open to whoever uses the window: it
//! concerns this workstation's window, not the directory.

use crate::AppState;
use tauri::State;

/// The language the window shows, so what Rust puts on screen itself (the OS file dialogs'
/// titles) reads in it too. Only a language Roster has a catalogue for is kept; any other
/// is English.
#[tauri::command]
pub fn set_window_language(state: State<'_, AppState>, language: String) -> String {
    let spoken = roster_l10n::negotiate(&[language.as_str()]);
    *state.language.write().unwrap_or_else(|e| e.into_inner()) = spoken;
    spoken.to_owned()
}
