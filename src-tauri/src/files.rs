//! Which file to import from or export to, chosen by the admin in the OS's own file dialog
//! (the official dialog plugin). The dialog runs in Rust and the path stays here: the UI
//! only ever sees a file's name, and its capability grants no file system access at all.

use crate::AppState;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

/// Asks the admin for a file; `None` when they cancel. Blocking: call it off the async
/// runtime's workers. A `title` is a message id (`locales/*.ftl`): the dialog says it in the
/// window's language.
pub trait FilePicker: Send + Sync {
    fn open_spreadsheet(&self, title: &str) -> Option<PathBuf>;
    fn save_spreadsheet(&self, title: &str, suggested_name: &str) -> Option<PathBuf>;
    /// A JSON-lines file (one JSON record per line), as log tools read.
    fn save_json_lines(&self, title: &str, suggested_name: &str) -> Option<PathBuf>;
    /// A JSON document (a diagnostics report).
    fn save_report(&self, title: &str, suggested_name: &str) -> Option<PathBuf>;
    /// An encrypted backup (the age format).
    fn save_backup(&self, title: &str, suggested_name: &str) -> Option<PathBuf>;
}

/// The OS file dialog.
pub struct DialogPicker<R: Runtime>(pub AppHandle<R>);

const SPREADSHEETS: &[&str] = &["csv", "txt", "tsv"];

impl<R: Runtime> DialogPicker<R> {
    fn say(&self, id: &str) -> String {
        self.0.state::<AppState>().say(id)
    }
}

impl<R: Runtime> FilePicker for DialogPicker<R> {
    fn open_spreadsheet(&self, title: &str) -> Option<PathBuf> {
        self.0
            .dialog()
            .file()
            .set_title(self.say(title))
            .add_filter(self.say("dialog-filter-spreadsheets"), SPREADSHEETS)
            .blocking_pick_file()?
            .into_path()
            .ok()
    }

    fn save_spreadsheet(&self, title: &str, suggested_name: &str) -> Option<PathBuf> {
        self.0
            .dialog()
            .file()
            .set_title(self.say(title))
            .set_file_name(suggested_name)
            .add_filter("CSV", &["csv"])
            .blocking_save_file()?
            .into_path()
            .ok()
    }

    fn save_json_lines(&self, title: &str, suggested_name: &str) -> Option<PathBuf> {
        self.0
            .dialog()
            .file()
            .set_title(self.say(title))
            .set_file_name(suggested_name)
            .add_filter(self.say("dialog-filter-json-lines"), &["jsonl", "json"])
            .blocking_save_file()?
            .into_path()
            .ok()
    }

    fn save_report(&self, title: &str, suggested_name: &str) -> Option<PathBuf> {
        self.0
            .dialog()
            .file()
            .set_title(self.say(title))
            .set_file_name(suggested_name)
            .add_filter("JSON", &["json"])
            .blocking_save_file()?
            .into_path()
            .ok()
    }

    fn save_backup(&self, title: &str, suggested_name: &str) -> Option<PathBuf> {
        self.0
            .dialog()
            .file()
            .set_title(self.say(title))
            .set_file_name(suggested_name)
            .add_filter(self.say("dialog-filter-encrypted-backup"), &["age"])
            .blocking_save_file()?
            .into_path()
            .ok()
    }
}
