//! Which directory the window works on, how it is opened (the `--db` URL, the saved
//! connection used last, or the file on this computer), and the watch that keeps the window
//! in step with changes made elsewhere and says when the server is out of reach.

use crate::AppState;
use crate::profiles::{Profile, ProfileBook, password_account};
use roster_core::{ChangeWatch, Roster, SystemClock};
use roster_store::{ChangeSignal, Database, OpenMode};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tauri::{Emitter, Manager};

/// A directory just opened: its services, and on PostgreSQL what announces its changes.
pub struct Opened {
    pub roster: Roster,
    pub signal: Option<ChangeSignal>,
}

/// Wakes the watch when the server announces a change (PostgreSQL only). The listener runs
/// in a task of its own, so a wait that times out never abandons it mid-message; the task
/// stops with the directory.
pub struct Announcements {
    notify: Arc<tokio::sync::Notify>,
    task: tauri::async_runtime::JoinHandle<()>,
}

impl Announcements {
    fn start(mut signal: ChangeSignal) -> Self {
        let notify = Arc::new(tokio::sync::Notify::new());
        let wake = notify.clone();
        let task = tauri::async_runtime::spawn(async move {
            loop {
                let lost = signal.changed().await.is_err();
                // A lost connection wakes the watch too: its next look says whether the
                // server is back.
                wake.notify_one();
                if lost {
                    tokio::time::sleep(POLL).await;
                }
            }
        });
        Announcements { notify, task }
    }

    /// Ends the watch's wait now, e.g. because another directory was opened.
    pub fn wake(&self) {
        self.notify.notify_one();
    }
}

impl Drop for Announcements {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The directory open now (or why none is).
pub struct OpenDirectory {
    pub roster: Result<Roster, String>,
    pub announcements: Option<Arc<Announcements>>,
    /// The saved connection it was opened from; `None`: a `--db` URL or this computer's file.
    pub profile: Option<String>,
    /// Where it is, for the title bar and the Connect screen.
    pub location: String,
    /// Counts the directories opened, so the watch starts afresh on each.
    pub generation: u64,
}

impl OpenDirectory {
    pub fn new(roster: Result<Roster, String>, profile: Option<String>) -> Self {
        let location = roster
            .as_ref()
            .map_or_else(|_| String::new(), Roster::location);
        OpenDirectory {
            roster,
            announcements: None,
            profile,
            location,
            generation: 0,
        }
    }

    pub fn opened(opened: Result<Opened, String>, profile: Option<String>) -> Self {
        match opened {
            Ok(Opened { roster, signal }) => OpenDirectory {
                announcements: signal.map(|s| Arc::new(Announcements::start(s))),
                ..OpenDirectory::new(Ok(roster), profile)
            },
            Err(message) => OpenDirectory::new(Err(message), profile),
        }
    }

    /// "Roster — Office server" and where it is.
    pub fn title(&self) -> String {
        match (&self.profile, &self.roster) {
            (Some(name), Ok(_)) => format!("Roster — {name} ({})", self.location),
            (None, Ok(_)) if self.location.starts_with("sqlite:") => {
                format!("Roster — this computer ({})", self.location)
            }
            (None, Ok(_)) => format!("Roster — {}", self.location),
            (_, Err(_)) => "Roster — no directory open".to_owned(),
        }
    }
}

/// Opens `url` and hands its services out, or says why it cannot.
pub async fn open_url(url: &str, mode: OpenMode) -> Result<Opened, String> {
    let database = Database::open(url, mode).await.map_err(|e| e.to_string())?;
    for notice in database.notices() {
        log::warn!("{notice}");
    }
    Ok(Opened {
        roster: Roster::new(database.repository(), Arc::new(SystemClock)),
        signal: database.change_signal().await,
    })
}

/// Opens a saved server with `password`, else the one the keyring keeps for exactly this
/// server (host, port, user, database, TLS mode, CA file), else none (a server that trusts
/// this computer; any other refuses, and the Connect screen asks for the password).
pub async fn open_profile(profile: &Profile, password: Option<String>) -> Result<Opened, String> {
    let password = match password.filter(|p| !p.is_empty()) {
        Some(password) => Some(password),
        None => kept_password(&password_account(&profile.server)).await,
    };
    let url = profile
        .server
        .url(password.as_deref())
        .map_err(|e| e.to_string())?;
    let opened = open_url(&url, OpenMode::MustExist).await;
    match (opened, password) {
        (Err(why), None) => Err(format!(
            "{why}; no password is kept on this workstation for this connection as it is set up now (a changed host, port, user, database or TLS mode needs it again): if the server needs one, enter it and open again"
        )),
        (opened, _) => opened,
    }
}

/// The password the keyring keeps under `account` ([`password_account`]). A workstation
/// without a keyring keeps none; the server then says whether it needs one.
pub async fn kept_password(account: &str) -> Option<String> {
    let account = account.to_owned();
    tokio::task::spawn_blocking(move || {
        roster_secrets::read(roster_secrets::Kind::Database, &account)
    })
    .await
    .ok()
    .and_then(Result::ok)
    .flatten()
}

/// What the window opens at start: `--db` or `ROSTER_DATABASE_URL` when given, else the
/// connection used last on this workstation, else the database file on this computer.
pub async fn open_at_start(
    url: Result<Option<String>, String>,
    book: &ProfileBook,
) -> OpenDirectory {
    let url = match url {
        Ok(url) => url,
        Err(message) => return OpenDirectory::new(Err(message), None),
    };
    let given = url.is_some()
        || std::env::var(roster_store::DATABASE_URL_ENV).is_ok_and(|u| !u.trim().is_empty());
    if !given && let Some(profile) = book.last.as_deref().and_then(|name| book.find(name)) {
        let opened = open_profile(profile, None).await;
        let mut open = OpenDirectory::opened(opened, Some(profile.name.clone()));
        if open.roster.is_err() {
            open.location = profile.server.location();
        }
        return open;
    }
    let opened = match roster_store::resolve_url(url.as_deref()) {
        Ok((url, mode)) => open_url(&url, mode).await,
        Err(e) => Err(e.to_string()),
    };
    OpenDirectory::opened(opened, None)
}

/// The window's events: the directory changed elsewhere, and whether its server is reachable.
pub const DIRECTORY_CHANGED_EVENT: &str = "directory-changed";
pub const CONNECTION_EVENT: &str = "connection";

/// Whether the open directory answers, for the status bar.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnectionState {
    Connected,
    Reconnecting {
        message: String,
        retry_in_seconds: u64,
    },
}

/// How often the directory is asked whether anything changed: within a few seconds, at the
/// cost of one query of a few index lookups per window.
const POLL: Duration = Duration::from_secs(2);
/// Where the server announces changes, it is still asked this often, in case an
/// announcement was lost with a connection.
const ANNOUNCED_POLL: Duration = Duration::from_secs(15);
/// The longest wait between attempts while the server is out of reach.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

fn backoff(failures: u32) -> Duration {
    (POLL * 2u32.saturating_pow(failures.min(8))).min(MAX_BACKOFF)
}

/// Keeps the window in step with the open directory for as long as the app runs: tells it
/// when something changed (another workstation, the CLI, a second window), and when the
/// server stops answering, retries with a growing pause and says so until it answers again.
/// A write being saved when the connection drops is not retried here: its transaction
/// either committed or did not, and the window reports what the command returned.
pub async fn watch_forever(app: tauri::AppHandle) {
    let mut watch = ChangeWatch::default();
    let mut generation = None;
    let mut failures = 0u32;
    // A new watch's first look only takes the mark; the window read the directory a moment
    // before it, so whatever changed in between is announced once.
    let mut fresh = false;
    loop {
        let (roster, announcements, current) = {
            let state = app.state::<AppState>();
            let open = state.directory();
            (
                open.roster.clone().ok(),
                open.announcements.clone(),
                open.generation,
            )
        };
        if generation != Some(current) {
            (watch, generation, failures) = (ChangeWatch::default(), Some(current), 0);
            fresh = true;
        }
        let Some(roster) = roster else {
            tokio::time::sleep(POLL).await;
            continue;
        };
        match roster.poll_changes(&mut watch).await {
            Ok(changed) => {
                if failures > 0 {
                    app.emit(CONNECTION_EVENT, ConnectionState::Connected).ok();
                }
                if changed || failures > 0 || fresh {
                    app.emit(DIRECTORY_CHANGED_EVENT, ()).ok();
                }
                (failures, fresh) = (0, false);
                pause(announcements).await;
            }
            Err(e) => {
                failures += 1;
                let wait = backoff(failures);
                let state = ConnectionState::Reconnecting {
                    message: e.to_string(),
                    retry_in_seconds: wait.as_secs(),
                };
                app.emit(CONNECTION_EVENT, state).ok();
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// Until the next look: [`POLL`], or where the server announces changes, until it does
/// (at most [`ANNOUNCED_POLL`]).
async fn pause(announcements: Option<Arc<Announcements>>) {
    match announcements {
        Some(announced) => {
            tokio::time::timeout(ANNOUNCED_POLL, announced.notify.notified())
                .await
                .ok();
        }
        None => tokio::time::sleep(POLL).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_between_attempts_grows_to_half_a_minute() {
        assert_eq!(backoff(1), Duration::from_secs(4));
        assert_eq!(backoff(2), Duration::from_secs(8));
        assert_eq!(backoff(4), Duration::from_secs(30));
        assert_eq!(backoff(u32::MAX), Duration::from_secs(30));
    }
}
