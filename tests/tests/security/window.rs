//! The desktop app on Tauri's mock runtime, driven through its real IPC path (the app's own
//! permission manifest and capability, serialisation included), as `src-tauri/tests/rbac.rs`
//! drives it: for what only a window can do (a session that stays signed in).

use roster_core::Roster;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

pub struct Window {
    // Kept alive for the window's sake.
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

/// Answers the app's file dialogs: every file to open is `open`, every file to save goes
/// into `folder`.
pub struct Files {
    pub open: PathBuf,
    pub folder: PathBuf,
}

impl roster_desktop::FilePicker for Files {
    fn open_spreadsheet(&self, _title: &str) -> Option<PathBuf> {
        Some(self.open.clone())
    }

    fn save_spreadsheet(&self, _title: &str, name: &str) -> Option<PathBuf> {
        Some(self.folder.join(name))
    }

    fn save_json_lines(&self, _title: &str, name: &str) -> Option<PathBuf> {
        Some(self.folder.join(name))
    }

    fn save_report(&self, _title: &str, name: &str) -> Option<PathBuf> {
        Some(self.folder.join(name))
    }

    fn save_backup(&self, _title: &str, name: &str) -> Option<PathBuf> {
        Some(self.folder.join(name))
    }
}

impl Window {
    /// A window of the app over `roster`'s directory.
    pub fn open(roster: &Roster) -> Window {
        Self::with_files(roster, None)
    }

    /// A window whose file dialogs `files` answers.
    pub fn with_files(roster: &Roster, files: Option<Files>) -> Window {
        let picker = files.map(|f| Arc::new(f) as Arc<dyn roster_desktop::FilePicker>);
        let app = roster_desktop::setup(mock_builder(), Ok(roster.clone()), picker)
            .build(roster_desktop::context())
            .expect("the app builds on the mock runtime");
        let window = match app.get_webview_window("main") {
            Some(window) => window,
            None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
                .build()
                .expect("a main window"),
        };
        Window { _app: app, window }
    }

    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("the app's own URL"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
    }

    pub fn sign_in(&self, login: &str, password: &str) {
        self.invoke(
            "sign_in",
            serde_json::json!({ "request": { "login": login, "password": password } }),
        )
        .unwrap_or_else(|e| panic!("{login} signs in: {e}"));
    }
}
