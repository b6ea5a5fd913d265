//! The database servers this workstation has saved (the Connect screen's profiles) and
//! which directory it opened last. They are the workstation's, not the directory's: a
//! JSON file in the OS config folder, readable by the owning account only. Passwords are
//! not in it; they are in the OS keyring (roster-secrets), one per server as a whole
//! ([`password_account`]).

use roster_core::FieldError;
use roster_store::{ServerAddress, ServerKind, TlsMode};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A saved database server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Profile {
    /// What the admins call it ("Office server"); unique on this workstation.
    pub name: String,
    pub server: ServerAddress,
}

/// Saves one of this workstation's JSON files (saved connections, update choices), readable by
/// the owning account only: written whole to a new file beside the old one, then renamed over
/// it, so a crash never leaves half a file (and a link planted at either name is never
/// followed).
pub(crate) fn save_workstation_file(path: &Path, value: &impl Serialize) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("cannot save {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let json = serde_json::to_vec_pretty(value).map_err(|e| e.to_string())?;
    roster_csv::write_private(path, &json).map_err(failed)
}

/// The longest profile name, so it fits a window title.
const MAX_NAME_CHARS: usize = 60;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ProfileBook {
    pub profiles: Vec<Profile>,
    /// The profile opened last; `None`: the database file on this computer.
    pub last: Option<String>,
}

impl ProfileBook {
    /// `connections.json` in the OS config folder (e.g. `~/.config/roster` on Linux).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Roster", "Roster")
            .map(|dirs| dirs.config_dir().join("connections.json"))
    }

    /// The saved book; an empty one when there is none yet. A file that cannot be read is
    /// an error, never silently replaced.
    pub fn load(path: &Path) -> Result<ProfileBook, String> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                format!(
                    "the saved connections in {} cannot be read ({e}); fix or remove the file",
                    path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ProfileBook::default()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), String> {
        save_workstation_file(path, self)
    }

    pub fn find(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// Adds `profile`, or replaces the one named `replacing` (which keeps its place in
    /// the list). Names are unique, ignoring case.
    pub fn put(&mut self, profile: Profile, replacing: Option<&str>) -> Result<(), FieldError> {
        let name = profile.name.trim();
        if name.is_empty() {
            return Err(FieldError::new(
                "name",
                "give the connection a name, e.g. Office server",
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(FieldError::new(
                "name",
                format!("a name has at most {MAX_NAME_CHARS} characters"),
            ));
        }
        let profile = Profile {
            name: name.to_owned(),
            ..profile
        };
        let taken = self.profiles.iter().any(|p| {
            p.name.to_lowercase() == profile.name.to_lowercase()
                && Some(p.name.as_str()) != replacing
        });
        if taken {
            return Err(FieldError::new(
                "name",
                format!(
                    "a connection named {} is already saved; choose another name",
                    profile.name
                ),
            ));
        }
        match replacing.and_then(|old| self.profiles.iter().position(|p| p.name == old)) {
            Some(at) => {
                if self.last.as_deref() == replacing {
                    self.last = Some(profile.name.clone());
                }
                self.profiles[at] = profile;
            }
            None => self.profiles.push(profile),
        }
        Ok(())
    }

    /// Removes the profile named `name`; returns it.
    pub fn remove(&mut self, name: &str) -> Option<Profile> {
        let at = self.profiles.iter().position(|p| p.name == name)?;
        if self.last.as_deref() == Some(name) {
            self.last = None;
        }
        Some(self.profiles.remove(at))
    }

    /// Whether a saved profile signs in with the keyring entry `account`.
    pub fn uses_password_of(&self, account: &str) -> bool {
        self.profiles
            .iter()
            .any(|p| password_account(&p.server) == account)
    }
}

/// The keyring entry of the password for `server`: every part that decides where the
/// password is sent and how it is protected on the way (kind, user, host, port, database,
/// TLS mode, CA file). A profile edited to another host, or to a TLS mode that checks less,
/// finds no password and asks for it, rather than sending the one typed for the server as
/// it was.
pub fn password_account(server: &ServerAddress) -> String {
    let scheme = match server.kind {
        ServerKind::Postgres => "postgres",
        ServerKind::Mysql => "mysql",
    };
    let tls = match server.tls {
        TlsMode::Disable => "disable",
        TlsMode::Prefer => "prefer",
        TlsMode::Require => "require",
        TlsMode::VerifyFull => "verify-full",
    };
    let escape = roster_secrets::escape;
    // Trimmed as the connection URL is, so the entry follows the server connected to.
    let mut account = format!(
        "{scheme}://{}@{}:{}/{}?tls={tls}",
        escape(server.user.trim()),
        escape(server.host.trim()),
        server.port,
        escape(server.database.trim()),
    );
    // A CA file of one's choosing makes any certificate it signed pass verify-full.
    if let Some(ca_file) = server.ca_file.as_deref().map(str::trim)
        && !ca_file.is_empty()
    {
        account.push_str("&ca=");
        account.push_str(&escape(ca_file));
    }
    account
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn office(name: &str) -> Profile {
        Profile {
            name: name.into(),
            server: ServerAddress {
                kind: ServerKind::Postgres,
                host: "db.office.lan".into(),
                port: 5432,
                database: "roster".into(),
                user: "admin".into(),
                tls: TlsMode::VerifyFull,
                ca_file: None,
            },
        }
    }

    #[test]
    fn profiles_are_saved_privately_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("connections.json");
        assert!(ProfileBook::load(&path).unwrap().profiles.is_empty());
        let mut book = ProfileBook::default();
        book.put(office("Office server"), None).unwrap();
        book.last = Some("Office server".into());
        book.save(&path).unwrap();
        let read = ProfileBook::load(&path).unwrap();
        assert_eq!(read.profiles, vec![office("Office server")]);
        assert_eq!(read.last.as_deref(), Some("Office server"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["connections.json"], "no partial file is left");
    }

    #[test]
    fn a_damaged_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("connections.json");
        std::fs::write(&path, "{ not json").unwrap();
        let error = ProfileBook::load(&path).unwrap_err();
        assert!(error.contains("cannot be read"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
    }

    #[test]
    fn names_are_required_unique_and_renames_keep_the_last_choice() {
        let mut book = ProfileBook::default();
        book.put(office(" Office server "), None).unwrap();
        assert_eq!(book.profiles[0].name, "Office server");
        assert_eq!(book.put(office("  "), None).unwrap_err().field, "name");
        assert_eq!(
            book.put(office("office SERVER"), None).unwrap_err().field,
            "name"
        );
        assert_eq!(
            book.put(office(&"x".repeat(61)), None).unwrap_err().field,
            "name"
        );

        book.last = Some("Office server".into());
        book.put(office("Head office"), Some("Office server"))
            .unwrap();
        assert_eq!(book.profiles.len(), 1);
        assert_eq!(book.last.as_deref(), Some("Head office"));
        // Renaming to a different case of its own name is not a clash.
        book.put(office("HEAD office"), Some("Head office"))
            .unwrap();
        assert_eq!(book.remove("HEAD office").unwrap().name, "HEAD office");
        assert_eq!(book.last, None);
    }

    #[test]
    fn a_password_is_found_only_for_the_server_it_was_saved_for() {
        // The keyring, as entries by account name.
        let mut keyring = HashMap::new();
        let saved = office("Office server").server;
        keyring.insert(password_account(&saved), "the office password");
        assert_eq!(
            password_account(&saved),
            "postgres://admin@db.office.lan:5432/roster?tls=verify-full"
        );

        let edit = |change: fn(&mut ServerAddress)| {
            let mut server = saved.clone();
            change(&mut server);
            server
        };
        let edits = [
            ("TLS mode", edit(|s| s.tls = TlsMode::Disable)),
            ("TLS mode", edit(|s| s.tls = TlsMode::Require)),
            ("host", edit(|s| s.host = "db.attacker.example".into())),
            ("port", edit(|s| s.port = 6432)),
            ("user", edit(|s| s.user = "postgres".into())),
            ("database", edit(|s| s.database = "other".into())),
            ("kind", edit(|s| s.kind = ServerKind::Mysql)),
            (
                "CA file",
                edit(|s| s.ca_file = Some("/tmp/their-ca.pem".into())),
            ),
        ];
        for (what, edited) in edits {
            assert_eq!(
                keyring.get(&password_account(&edited)),
                None,
                "a changed {what} still finds the password"
            );
        }

        // Renaming the profile, or spaces the connection ignores, keep it.
        let mut book = ProfileBook::default();
        book.put(office("Head office"), None).unwrap();
        assert!(book.uses_password_of(&password_account(&saved)));
        let mut spaced = saved.clone();
        spaced.host = " db.office.lan ".into();
        spaced.ca_file = Some(" ".into());
        assert_eq!(
            keyring.get(&password_account(&spaced)),
            Some(&"the office password")
        );
    }
}
