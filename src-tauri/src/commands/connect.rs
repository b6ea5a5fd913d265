//! The Connect screen: the database file on this computer or a saved server, testing a
//! connection, and switching the window to another directory. These work before anyone
//! signs in (accounts belong to a directory, so choosing one comes first) and only touch
//! this workstation's list of connections; everything inside a directory needs sign-in.

use super::{CommandError, DatabaseInfo, Reply};
use crate::AppState;
use crate::connection::{self, OpenDirectory};
use crate::profiles::{Profile, ProfileBook, password_account};
use roster_core::{Error, ErrorCode};
use roster_store::{Database, OpenError, OpenMode, ServerAddress};
use serde::Serialize;
use tauri::State;

/// A saved connection and where it leads.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct SavedConnection {
    pub profile: Profile,
    /// `postgres://user@host:port/database`
    pub location: String,
}

/// The Connect screen's list and what is open now.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Connections {
    pub saved: Vec<SavedConnection>,
    /// The saved connection open now; `None`: this computer's file, or a `--db` URL.
    pub open_profile: Option<String>,
    pub open_location: String,
    /// Why the directory chosen last could not be opened.
    pub open_error: Option<String>,
    /// The database file on this computer.
    pub this_computer: String,
    /// Whether connections can be saved here (the OS has a config folder).
    pub can_save: bool,
}

fn failed(message: impl Into<String>) -> CommandError {
    CommandError::english(ErrorCode::Database, message.into())
}

fn open_failed(error: OpenError) -> CommandError {
    match error {
        OpenError::Invalid { field, message } => Error::invalid(field, message).into(),
        other => failed(other.to_string()),
    }
}

fn book(state: &AppState) -> Reply<ProfileBook> {
    match state.profiles_path() {
        Some(path) => ProfileBook::load(path).map_err(failed),
        None => Ok(ProfileBook::default()),
    }
}

fn save_book(state: &AppState, book: &ProfileBook) -> Reply<()> {
    let path = state.profiles_path().ok_or_else(|| {
        failed("this computer has no folder for settings, so connections cannot be saved")
    })?;
    book.save(path).map_err(failed)
}

fn listing(state: &AppState, book: ProfileBook) -> Connections {
    let open = state.directory();
    Connections {
        saved: book
            .profiles
            .into_iter()
            .map(|profile| SavedConnection {
                location: profile.server.location(),
                profile,
            })
            .collect(),
        open_profile: open.profile.clone(),
        open_location: open.location.clone(),
        open_error: open.roster.as_ref().err().cloned(),
        this_computer: roster_store::default_database_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        can_save: state.profiles_path().is_some(),
    }
}

#[tauri::command]
pub fn connections(state: State<'_, AppState>) -> Reply<Connections> {
    let book = book(&state)?;
    Ok(listing(&state, book))
}

/// Connects to `server` without changing anything there, and says what connecting for real
/// would do: create Roster's tables, update them, or nothing.
#[tauri::command]
pub async fn test_connection(server: ServerAddress, password: Option<String>) -> Reply<String> {
    let password = match password.filter(|p| !p.is_empty()) {
        Some(password) => Some(password),
        None => connection::kept_password(&password_account(&server)).await,
    };
    let url = server.url(password.as_deref()).map_err(open_failed)?;
    let database = Database::connect(&url, OpenMode::MustExist)
        .await
        .map_err(open_failed)?;
    let status = database.status().await.map_err(open_failed)?;
    let found = status.version.unwrap_or(0);
    let schema = if found > status.latest {
        return Err(open_failed(OpenError::NewerSchema {
            found,
            known: status.latest,
        }));
    } else if status.version.is_none() {
        "the database is empty: Roster will create its tables when you connect".to_owned()
    } else if !status.pending.is_empty() {
        format!(
            "Roster will update its tables ({} step{}) when you connect",
            status.pending.len(),
            if status.pending.len() == 1 { "" } else { "s" }
        )
    } else {
        "Roster's tables are up to date".to_owned()
    };
    Ok(format!("Connected to {}: {schema}.", status.location))
}

/// Saves `profile` (replacing the one named `replacing`), and its password in the OS
/// keyring when one is given. When the keyring cannot keep it, nothing is saved. The
/// password is kept for the server exactly as saved: an edit of where or how it connects
/// forgets the old one, and the new server's is asked for when it is opened.
#[tauri::command]
pub async fn save_connection(
    state: State<'_, AppState>,
    profile: Profile,
    password: Option<String>,
    replacing: Option<String>,
) -> Reply<Connections> {
    profile.server.url(None).map_err(open_failed)?;
    let mut book = book(&state)?;
    let previous = replacing
        .as_deref()
        .and_then(|name| book.find(name))
        .map(|p| password_account(&p.server));
    book.put(profile.clone(), replacing.as_deref())
        .map_err(|e| CommandError::from(Error::Validation(vec![e])))?;
    let account = password_account(&profile.server);
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        let account = account.clone();
        tokio::task::spawn_blocking(move || {
            roster_secrets::store(roster_secrets::Kind::Database, &account, &password)
        })
        .await
        .map_err(|e| failed(e.to_string()))?
        .map_err(|message| {
            CommandError::from(Error::invalid(
                "password",
                format!("{message}; or leave the password empty and type it when you connect"),
            ))
        })?;
    }
    save_book(&state, &book)?;
    if let Some(old) = previous.filter(|old| *old != account && !book.uses_password_of(old)) {
        forget_password(old).await;
    }
    Ok(listing(&state, book))
}

#[tauri::command]
pub async fn delete_connection(state: State<'_, AppState>, name: String) -> Reply<Connections> {
    let mut book = book(&state)?;
    let removed = book
        .remove(&name)
        .ok_or_else(|| failed(format!("no connection named {name} is saved")))?;
    save_book(&state, &book)?;
    let account = password_account(&removed.server);
    if !book.uses_password_of(&account) {
        forget_password(account).await;
    }
    Ok(listing(&state, book))
}

/// A password left in the keyring is only clutter, so failing to remove it is not an error.
async fn forget_password(account: String) {
    tokio::task::spawn_blocking(move || {
        roster_secrets::forget(roster_secrets::Kind::Database, &account)
    })
    .await
    .ok();
}

/// Switches the window to the saved connection `profile` (`None`: the database file on this
/// computer), creating or updating Roster's tables there. Whoever was signed in is signed
/// out. When it cannot be opened, the directory open now stays open.
#[tauri::command]
pub async fn open_directory<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
    profile: Option<String>,
    password: Option<String>,
) -> Reply<DatabaseInfo> {
    let mut book = book(&state)?;
    let opened = match profile.as_deref() {
        Some(name) => {
            let saved = book
                .find(name)
                .ok_or_else(|| failed(format!("no connection named {name} is saved")))?;
            connection::open_profile(saved, password).await
        }
        None => match roster_store::resolve_url(None) {
            Ok((url, mode)) => connection::open_url(&url, mode).await,
            Err(e) => Err(e.to_string()),
        },
    }
    .map_err(failed)?;
    let roster = opened.roster.clone();
    let directory = OpenDirectory::opened(Ok(opened), profile.clone());
    let info = DatabaseInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: roster.backend().to_owned(),
        location: roster.location(),
        title: directory.title(),
    };
    window.set_title(&info.title).ok();
    state.switch_to(directory);
    if state.profiles_path().is_some() {
        book.last = profile;
        save_book(&state, &book)?;
    }
    Ok(info)
}
