//! In-app updates (Help → Updates), with Tauri's official updater plugin.
//!
//! A build has an update channel when it was made with one: the release workflow names the
//! manifest's address and the public key its installers are signed with
//! (`plugins.updater` in tauri.conf.json, left empty in the repository). A build without one
//! (from source, a distribution's package) says so and leaves updates to whoever built it.
//!
//! Checking is this workstation's choice, off until an admin turns it on: then once when the
//! app opens and at most daily while it runs, and the window is told a version is there.
//! Nothing is installed unless someone asks: the download is checked against the key built
//! into this copy (and against the version it was signed for, so an old signed release
//! cannot be passed off as a new one), then installed the way it came (AppImage, .deb, .rpm,
//! MSI, NSIS, macOS app); the new version runs after a restart.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Runtime, Url};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

/// What Help → Updates shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct UpdateStatus {
    /// The version running now.
    pub current_version: String,
    /// Whether this build has an update channel to check; `false` for a build from source.
    pub channel: bool,
    /// Whether this workstation checks by itself (when the app opens, then daily).
    pub automatic_checks: bool,
    pub last_checked: Option<DateTime<Utc>>,
    /// The newer version the last check found, not installed yet.
    pub available: Option<AvailableUpdate>,
    /// The version this run installed: in use once Roster restarts.
    pub installed: Option<String>,
}

/// A newer version, as its manifest announces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AvailableUpdate {
    pub version: String,
    pub published: Option<DateTime<Utc>>,
    /// What changed, as plain text.
    pub notes: String,
}

/// The event the window hears when a check by itself finds a newer version.
pub const UPDATE_AVAILABLE_EVENT: &str = "update-available";

/// How long a check or a download may wait for the server before it is given up.
const TIMEOUT: Duration = Duration::from_secs(120);
/// How often a workstation that checks by itself does.
const CHECK_EVERY: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// This workstation's choice, kept beside its saved connections (`updates.json`).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Preferences {
    automatic_checks: bool,
    last_checked: Option<DateTime<Utc>>,
}

/// The updater's state for this window: the choice, what the last check found, what this run
/// installed.
pub struct Updates {
    /// `None` where the OS has no config folder: checks by itself stay off then.
    path: Option<PathBuf>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    preferences: Preferences,
    found: Option<Update>,
    /// An install is under way: another is refused until it ends.
    installing: bool,
    installed: Option<String>,
}

impl Updates {
    /// The choice saved in `updates.json` inside `config_folder`; unreadable, it is logged
    /// and checks stay off (the safe side) until the admin chooses again.
    pub fn load(config_folder: Option<&Path>) -> Updates {
        let path = config_folder.map(|folder| folder.join("updates.json"));
        let preferences = match path.as_deref().map(std::fs::read) {
            Some(Ok(bytes)) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                log::error!("update preferences unreadable, checks off: {e}");
                Preferences::default()
            }),
            _ => Preferences::default(),
        };
        Updates {
            path,
            state: Mutex::new(State {
                preferences,
                ..State::default()
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn status<R: Runtime>(&self, app: &AppHandle<R>) -> UpdateStatus {
        let state = self.state();
        UpdateStatus {
            current_version: app.package_info().version.to_string(),
            channel: has_channel(app),
            automatic_checks: state.preferences.automatic_checks,
            last_checked: state.preferences.last_checked,
            available: state.found.as_ref().map(announced),
            installed: state.installed.clone(),
        }
    }

    /// Turns checking by itself on or off for this workstation.
    pub fn set_automatic_checks(&self, on: bool) -> Result<(), String> {
        let mut state = self.state();
        let mut preferences = state.preferences.clone();
        preferences.automatic_checks = on;
        self.save(&preferences)?;
        state.preferences = preferences;
        log::info!("automatic update checks {}", if on { "on" } else { "off" });
        Ok(())
    }

    fn save(&self, preferences: &Preferences) -> Result<(), String> {
        let path = self.path.as_deref().ok_or(
            "this computer has no folder for Roster's settings, so the choice cannot be kept",
        )?;
        crate::profiles::save_workstation_file(path, preferences)
    }

    /// Asks the channel whether there is a newer version; remembers what it found.
    pub async fn check<R: Runtime>(&self, app: &AppHandle<R>) -> Result<UpdateStatus, String> {
        let channel = Channel::of(app).ok_or(
            "This copy of Roster was built without an update channel: whoever built or packaged it provides new versions.",
        )?;
        let cannot = |e: UpdaterError| format!("Cannot look for updates: {}.", explain(&e));
        let found = app
            .updater_builder()
            .endpoints(channel.endpoints)
            .map_err(cannot)?
            .pubkey(channel.pubkey)
            .timeout(TIMEOUT)
            .build()
            .map_err(cannot)?
            .check()
            .await
            .map_err(cannot)?;
        {
            let mut state = self.state();
            let mut preferences = state.preferences.clone();
            preferences.last_checked = Some(Utc::now());
            if let Err(e) = self.save(&preferences) {
                log::warn!("update check not recorded: {e}");
            }
            state.preferences = preferences;
            match &found {
                Some(update) => log::info!("update {} is available", update.version),
                None => log::info!("no update: {} is the newest", app.package_info().version),
            }
            state.found = found;
        }
        Ok(self.status(app))
    }

    /// Downloads the version the last check found, checks its signature, and installs it.
    /// Refused, nothing changes: the running version stays, and so does the offer.
    pub async fn install<R: Runtime>(&self, app: &AppHandle<R>) -> Result<UpdateStatus, String> {
        let update = {
            let mut state = self.state();
            if state.installing {
                return Err("An update is being installed already.".into());
            }
            let update = state
                .found
                .clone()
                .ok_or("There is no update to install: look for updates first.")?;
            state.installing = true;
            update
        };
        log::info!("installing update {}", update.version);
        let installed = update.download_and_install(|_, _| {}, || {}).await;
        let mut state = self.state();
        state.installing = false;
        installed.map_err(|e| {
            format!(
                "The update was not installed: {}. Roster {} keeps running as it was.",
                explain(&e),
                update.current_version
            )
        })?;
        log::info!(
            "update {} installed; in use after a restart",
            update.version
        );
        state.found = None;
        state.installed = Some(update.version);
        drop(state);
        Ok(self.status(app))
    }

    /// Whether a check by itself is due: checks are on and the last was a day ago or more.
    fn due(&self, now: DateTime<Utc>) -> bool {
        let state = self.state();
        state.preferences.automatic_checks
            && state.installed.is_none()
            && state
                .preferences
                .last_checked
                .is_none_or(|last| now - last >= CHECK_EVERY)
    }
}

/// The check by itself, on a workstation that wants it and has not checked for a day.
pub async fn check_if_due<R: Runtime>(app: &AppHandle<R>) {
    use tauri::Manager;
    if has_channel(app) && app.state::<crate::AppState>().updates.due(Utc::now()) {
        check_and_tell(app).await;
    }
}

/// Whether this build has an update channel to check.
pub fn has_channel<R: Runtime>(app: &AppHandle<R>) -> bool {
    Channel::of(app).is_some()
}

/// Checks, and tells the window when a newer version is there; installs nothing.
pub async fn check_and_tell<R: Runtime>(app: &AppHandle<R>) {
    use tauri::Manager;
    match app.state::<crate::AppState>().updates.check(app).await {
        Ok(UpdateStatus {
            available: Some(update),
            ..
        }) => {
            app.emit(UPDATE_AVAILABLE_EVENT, update).ok();
        }
        Ok(_) => {}
        Err(e) => log::warn!("update check: {e}"),
    }
}

fn announced(update: &Update) -> AvailableUpdate {
    AvailableUpdate {
        version: update.version.clone(),
        published: update
            .date
            .and_then(|date| DateTime::from_timestamp(date.unix_timestamp(), 0)),
        notes: update.body.clone().unwrap_or_default(),
    }
}

/// Where this build looks for updates, and the key their signatures must verify with.
struct Channel {
    endpoints: Vec<Url>,
    pubkey: String,
}

impl Channel {
    /// The build's channel (`plugins.updater` in tauri.conf.json, filled in by the release
    /// workflow). A debug build also takes one from `ROSTER_UPDATE_ENDPOINT` and
    /// `ROSTER_UPDATE_PUBKEY`, so the end-to-end test can serve signed updates from this
    /// machine; a release build never reads them, or whoever could set its environment could
    /// choose what it trusts.
    fn of<R: Runtime>(app: &AppHandle<R>) -> Option<Channel> {
        #[cfg(debug_assertions)]
        if let (Ok(endpoint), Ok(pubkey)) = (
            std::env::var("ROSTER_UPDATE_ENDPOINT"),
            std::env::var("ROSTER_UPDATE_PUBKEY"),
        ) {
            return Some(Channel {
                endpoints: vec![endpoint.parse().ok()?],
                pubkey,
            });
        }
        let config = app.config().plugins.0.get("updater")?;
        let pubkey = config.get("pubkey")?.as_str()?.trim().to_owned();
        let endpoints: Vec<Url> = config
            .get("endpoints")?
            .as_array()?
            .iter()
            .filter_map(|url| url.as_str()?.parse().ok())
            .collect();
        (!pubkey.is_empty() && !endpoints.is_empty()).then_some(Channel { endpoints, pubkey })
    }
}

/// What went wrong, said for the admin (the updater's own words are for developers).
fn explain(error: &UpdaterError) -> String {
    use minisign_verify::Error as Signature;
    match error {
        UpdaterError::Minisign(Signature::UnexpectedKeyId) => {
            "the download is signed with a key this copy of Roster does not trust, so it may not come from Roster's publisher".into()
        }
        UpdaterError::Minisign(Signature::InvalidSignature) => {
            "the download does not match its signature: it was changed after it was signed".into()
        }
        UpdaterError::Minisign(e) => format!("the download's signature cannot be read ({e})"),
        UpdaterError::Base64(_) | UpdaterError::SignatureUtf8(_) => {
            "the update's signature cannot be read".into()
        }
        UpdaterError::SignedVersionMismatch { signed, announced } => format!(
            "the update server announced version {announced}, but the download is signed as version {signed}"
        ),
        UpdaterError::MissingSignedVersion => {
            "the download's signature does not say which version it is, so it cannot be trusted to be the one announced".into()
        }
        UpdaterError::Reqwest(e) => format!("cannot reach the update server ({e})"),
        UpdaterError::Network(e) => format!("the update server did not answer as expected ({e})"),
        UpdaterError::ReleaseNotFound | UpdaterError::Serialization(_) | UpdaterError::Semver(_) => {
            "the update server's answer is not an update manifest Roster can read".into()
        }
        UpdaterError::TargetNotFound(_) | UpdaterError::TargetsNotFound(_) => {
            "the update server offers nothing for this system".into()
        }
        UpdaterError::InvalidUpdaterFormat | UpdaterError::BinaryNotFoundInArchive => {
            "the download is not an installer for this system".into()
        }
        UpdaterError::AuthenticationFailed => {
            "the system did not allow the installation (the administrator password was not given)".into()
        }
        UpdaterError::InsecureTransportProtocol => {
            "the update server's address does not use https".into()
        }
        other => format!("the update failed ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn updates(preferences: Preferences) -> Updates {
        Updates {
            path: None,
            state: Mutex::new(State {
                preferences,
                ..State::default()
            }),
        }
    }

    #[test]
    fn a_workstation_checks_by_itself_only_when_turned_on_and_a_day_after_the_last() {
        let now = Utc::now();
        let off = updates(Preferences::default());
        assert!(!off.due(now));
        let never_checked = updates(Preferences {
            automatic_checks: true,
            last_checked: None,
        });
        assert!(never_checked.due(now));
        let checked_an_hour_ago = updates(Preferences {
            automatic_checks: true,
            last_checked: Some(now - chrono::TimeDelta::hours(1)),
        });
        assert!(!checked_an_hour_ago.due(now));
        assert!(checked_an_hour_ago.due(now + CHECK_EVERY));
    }

    #[test]
    fn a_workstation_without_a_saved_choice_does_not_check() {
        let folder = tempfile::tempdir().unwrap();
        assert!(!Updates::load(Some(folder.path())).due(Utc::now()));
        std::fs::write(folder.path().join("updates.json"), b"{ not json").unwrap();
        assert!(!Updates::load(Some(folder.path())).due(Utc::now()));
        let on = Updates::load(Some(folder.path()));
        on.set_automatic_checks(true).unwrap();
        assert!(Updates::load(Some(folder.path())).due(Utc::now()));
    }
}
