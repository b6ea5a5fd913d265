//! The Roster desktop shell. It opens the database, hands Roster's services to the
//! commands in [`commands`], and starts the window. Rules live in roster-core.

#[macro_use]
mod command_names;
mod access;
mod commands;
mod connection;
mod diagnostics;
mod files;
mod profiles;
mod updates;

pub use files::FilePicker;

use connection::OpenDirectory;
use profiles::ProfileBook;
use roster_core::{Roster, Session};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock, RwLockReadGuard};

/// What the commands share: the directory open now (or why none could be opened: the
/// window still starts and offers the Connect screen instead of a blank one), and who is
/// signed in to this window.
pub struct AppState {
    directory: RwLock<OpenDirectory>,
    /// Where this workstation's saved connections are kept; `None` where the OS has no
    /// config folder (nothing can be saved then).
    profiles_path: Option<PathBuf>,
    session: Mutex<Option<Session>>,
    workstation: String,
    /// The OS file dialog, set once the app runs (tests set their own first).
    picker: OnceLock<Arc<dyn FilePicker>>,
    transfers: commands::transfer::Transfers,
    /// The log file, once the app writes one (tests on the mock runtime write none).
    log_file: OnceLock<PathBuf>,
    updates: updates::Updates,
    /// The language the window shows (`set_window_language`), for the words Rust puts on
    /// screen itself.
    language: RwLock<&'static str>,
}

impl AppState {
    /// The message `id` in the window's language.
    pub fn say(&self, id: &str) -> String {
        let language = *self.language.read().unwrap_or_else(|e| e.into_inner());
        roster_l10n::localize(language, id, &roster_l10n::Args::new())
    }
}

macro_rules! names_of {
    ($($module:ident::$name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

macro_rules! command_handlers {
    ($($module:ident::$name:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$module::$name),*]
    };
}

/// The name of every command the window may invoke ([`with_commands!`]).
pub const COMMANDS: &[&str] = with_commands!(names_of);

/// `--db URL` on the command line wins over `ROSTER_DATABASE_URL` and the default file.
/// Arguments are read as the OS gives them: a file name need not be valid UTF-8, and the
/// window then says so instead of the program panicking.
fn database_url_argument() -> Result<Option<String>, String> {
    let text = |value: std::ffi::OsString| {
        value.into_string().map_err(|value| {
            format!(
                "the --db value {} is not valid Unicode; rename the file or folder, or pass a sqlite:// URL",
                value.to_string_lossy()
            )
        })
    };
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(text).transpose();
        }
        if arg.as_encoded_bytes().starts_with(b"--db=") {
            let url = text(arg)?;
            return Ok(Some(url["--db=".len()..].to_owned()));
        }
    }
    Ok(None)
}

/// Registers state and commands; shared by the app and its tests. `picker` answers "which
/// file?" in tests; without one the OS file dialog does.
pub fn setup<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    roster: Result<Roster, String>,
    picker: Option<Arc<dyn FilePicker>>,
) -> tauri::Builder<R> {
    with_directory(builder, OpenDirectory::new(roster, None), None, picker)
}

fn with_directory<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    directory: OpenDirectory,
    profiles_path: Option<PathBuf>,
    picker: Option<Arc<dyn FilePicker>>,
) -> tauri::Builder<R> {
    let picked = OnceLock::new();
    if let Some(picker) = picker {
        picked.set(picker).ok();
    }
    let updates =
        updates::Updates::load(profiles_path.as_deref().and_then(std::path::Path::parent));
    builder
        .manage(AppState {
            directory: RwLock::new(directory),
            profiles_path,
            session: Mutex::new(None),
            workstation: whoami::fallible::hostname().unwrap_or_else(|_| "unknown".into()),
            picker: picked,
            transfers: Default::default(),
            log_file: OnceLock::new(),
            updates,
            language: RwLock::new(roster_l10n::ENGLISH),
        })
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(system_languages())
        .setup(|app| {
            use tauri::Manager;
            let dialog = files::DialogPicker(app.handle().clone());
            app.state::<AppState>()
                .picker
                .get_or_init(|| Arc::new(dialog));
            Ok(())
        })
        .invoke_handler(answer_panics(with_commands!(command_handlers)))
}

/// Tells the window the system's languages before its scripts run, where the OS says them in
/// the locale environment (Linux, BSD): WebKitGTK's `navigator.languages` follows only a
/// locale the system has generated, and is "en-US" otherwise. Elsewhere the web view's own
/// list is the system's.
fn system_languages<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let languages = roster_l10n::posix_languages();
    let mut plugin = tauri::plugin::Builder::new("system-languages");
    if !languages.is_empty() {
        let list = serde_json::to_string(&languages).unwrap_or_else(|_| "[]".into());
        plugin = plugin.js_init_script(format!("window.__ROSTER_SYSTEM_LANGUAGES__ = {list};"));
    }
    plugin.build()
}

/// The window's call of a command that panics while it is handled is rejected with an
/// `internal` error. Handling runs inside the webview's message callback, which the
/// panic would otherwise unwind into, and a panic cannot cross that callback: the whole
/// app would abort. That is all of a plain `fn` command; an `async` command's body runs
/// later on a tokio task of Tauri's, where tokio catches a panic and the app keeps
/// running, but Tauri never answers that call.
fn answer_panics<R: tauri::Runtime>(
    commands: impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke| {
        let resolver = invoke.resolver.clone();
        let command = invoke.message.command().to_owned();
        // Unwind safe: what commands share is in AppState, whose locks are all taken
        // through a panic's poisoning (`unwrap_or_else(|e| e.into_inner())`).
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| commands(invoke))) {
            Ok(handled) => handled,
            Err(panic) => {
                resolver.reject(commands::CommandError::internal(&command, &*panic));
                true
            }
        }
    }
}

/// How often the outbox is checked for messages due to be sent.
const MAIL_ROUND: std::time::Duration = std::time::Duration::from_secs(15);

/// Sends due outbox messages of the open directory in the background, so no action ever
/// waits for a mail server.
async fn deliver_mail_forever(app: tauri::AppHandle) {
    use tauri::Manager;
    let mailer = roster_mail::SmtpMailer::new();
    loop {
        let roster = app.state::<AppState>().directory().roster.clone();
        if let Ok(roster) = roster
            && let Err(e) = roster.deliver_mail(&mailer).await
        {
            log::warn!("mail delivery: {e}");
        }
        tokio::time::sleep(MAIL_ROUND).await;
    }
}

/// How often the open app suspends the accounts whose end date has come and looks whether a
/// backup is due; it does so once when it opens too, so a workstation without `roster
/// run-due` scheduled still does both.
const DUE_ROUND: std::time::Duration = std::time::Duration::from_secs(60 * 60);

async fn run_due_forever(app: tauri::AppHandle) {
    use tauri::Manager;
    loop {
        let state = app.state::<AppState>();
        let roster = state.directory().roster.clone();
        if let Ok(roster) = roster {
            match roster
                .run_due(state.workstation(), roster_core::Origin::Desktop)
                .await
            {
                Ok(report) if !report.suspended.is_empty() => {
                    log::info!("end dates suspended {}", report.suspended.join(", "))
                }
                Ok(_) => {}
                Err(e) => log::error!("end dates: {e}"),
            }
            back_up_if_due(&roster, false).await;
        }
        tokio::time::sleep(DUE_ROUND).await;
    }
}

/// On a workstation that wants it, looks for a newer Roster when the app opens and then
/// daily (`updates::check_if_due`); installs nothing.
async fn check_for_updates_forever(app: tauri::AppHandle) {
    loop {
        updates::check_if_due(&app).await;
        tokio::time::sleep(DUE_ROUND).await;
    }
}

/// The automatic backup of a SQLite directory, when one is due: at most daily while the app
/// runs (checked with the end dates), and as it closes when anything changed since the last.
async fn back_up_if_due(roster: &roster_core::Roster, closing: bool) {
    match roster.back_up_if_due(closing).await {
        Ok(Some(backup)) => log::info!("backup written: {}", backup.file.name),
        Ok(None) => {}
        Err(e) => log::error!("automatic backup: {e}"),
    }
}

impl AppState {
    pub(crate) fn directory(&self) -> RwLockReadGuard<'_, OpenDirectory> {
        self.directory.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes `directory` the open one and signs the window out: accounts belong to a
    /// directory.
    pub(crate) fn switch_to(&self, mut directory: OpenDirectory) {
        match &directory.roster {
            Ok(roster) => log::info!("opened {} {}", roster.backend(), roster.location()),
            Err(why) => log::error!("no directory open: {why}"),
        }
        let mut open = self.directory.write().unwrap_or_else(|e| e.into_inner());
        // A watch waiting for the old server's announcement turns to the new directory.
        if let Some(announcements) = &open.announcements {
            announcements.wake();
        }
        directory.generation = open.generation + 1;
        *open = directory;
        drop(open);
        self.set_session(None);
    }

    pub(crate) fn profiles_path(&self) -> Option<&std::path::Path> {
        self.profiles_path.as_deref()
    }

    pub(crate) fn log_file(&self) -> Option<&std::path::Path> {
        self.log_file.get().map(PathBuf::as_path)
    }
}

/// The app's configuration, assets and capabilities, embedded once: for the app and for
/// tests that drive it on the mock runtime.
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}

pub fn run() {
    // The directory is opened once the log is written, so what opening it says is kept.
    let app = with_directory(
        tauri::Builder::default(),
        OpenDirectory::new(Err("opening the directory".into()), None),
        ProfileBook::default_path(),
        None,
    )
    .build(context())
    .expect("error while building Roster");
    start_log(&app);
    log::info!(
        "Roster {} started on {}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS
    );
    use tauri::Manager;
    let state = app.state::<AppState>();
    let book = match state.profiles_path().map(ProfileBook::load) {
        Some(Ok(book)) => book,
        Some(Err(message)) => {
            log::error!("{message}");
            ProfileBook::default()
        }
        None => ProfileBook::default(),
    };
    let directory =
        tauri::async_runtime::block_on(connection::open_at_start(database_url_argument(), &book));
    if let Some(window) = app.get_webview_window("main") {
        window.set_title(&directory.title()).ok();
    }
    state.switch_to(directory);
    tauri::async_runtime::spawn(deliver_mail_forever(app.handle().clone()));
    tauri::async_runtime::spawn(run_due_forever(app.handle().clone()));
    tauri::async_runtime::spawn(connection::watch_forever(app.handle().clone()));
    tauri::async_runtime::spawn(check_for_updates_forever(app.handle().clone()));
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            let roster = app.state::<AppState>().directory().roster.clone();
            if let Ok(roster) = roster {
                tauri::async_runtime::block_on(back_up_if_due(&roster, true));
            }
        }
    });
}

/// Writes the log into the OS's log folder for the app, made private first; where there is
/// none or it cannot be made, to stderr alone.
fn start_log(app: &tauri::App) {
    use tauri::Manager;
    let folder = app
        .path()
        .app_log_dir()
        .map_err(|e| e.to_string())
        .and_then(|folder| match diagnostics::private_log_folder(&folder) {
            Ok(()) => Ok(folder),
            Err(e) => Err(format!("{}: {e}", folder.display())),
        });
    if let Err(e) = app
        .handle()
        .plugin(diagnostics::log_plugin(folder.as_deref().ok()))
    {
        eprintln!("roster-desktop: no log ({e})");
        return;
    }
    match folder {
        Ok(folder) => {
            let file = diagnostics::log_file(&folder);
            app.state::<AppState>().log_file.set(file).ok();
        }
        Err(e) => log::error!("no log file ({e}); the log goes to stderr only"),
    }
}

#[cfg(test)]
mod tests {
    use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context};
    use tauri::webview::InvokeRequest;

    #[tauri::command]
    fn panics() -> Result<(), String> {
        panic!("a bug")
    }

    #[tauri::command]
    fn answers() -> Result<u32, String> {
        Ok(7)
    }

    fn call(
        window: &tauri::WebviewWindow<MockRuntime>,
        command: &str,
    ) -> Result<InvokeResponseBody, serde_json::Value> {
        get_ipc_response(
            window,
            InvokeRequest {
                cmd: command.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(serde_json::json!({})),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
    }

    #[test]
    fn a_command_that_panics_is_rejected_as_internal_and_the_app_goes_on() {
        let app = mock_builder()
            .invoke_handler(super::answer_panics(tauri::generate_handler![
                panics, answers
            ]))
            .build(mock_context(tauri::test::noop_assets()))
            .unwrap();
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let error = call(&window, "panics").unwrap_err();
        assert_eq!(error["code"], "internal", "{error}");
        assert_eq!(
            error["message"],
            "internal error in panics: a bug; please report it"
        );
        let answer = call(&window, "answers").unwrap();
        assert_eq!(answer.deserialize::<u32>().unwrap(), 7);
    }
}
