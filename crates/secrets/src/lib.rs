//! Passwords a workstation keeps for Roster in the OS keyring (Keychain, Windows Credential
//! Manager, the Secret Service), never in a file or the database: the mail server's and
//! each database server's.
//!
//! Every call may block on D-Bus or on an unlock prompt: call it from a blocking thread.
//! It depends on nothing of Roster's.

/// Which kind of password, and the words for it in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One entry per mail server: its host, port, security and user.
    Smtp,
    /// One entry per database server: its kind, host, port, database, user, TLS mode and
    /// CA file.
    Database,
}

impl Kind {
    fn service(self) -> &'static str {
        // Entries kept before passwords were tied to the whole server are under the old
        // names ("roster-smtp", by mail user name alone; "roster-database", without the
        // TLS mode) and are never read: each would go wherever the settings now point.
        match self {
            Kind::Smtp => "roster-smtp-server",
            Kind::Database => "roster-database-server",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Smtp => "the SMTP password",
            Kind::Database => "the database password",
        }
    }
}

/// `text` with every byte but ASCII letters, digits and `-._~` percent-encoded, for one
/// part of an account name: the separators between parts then never occur inside one, so
/// user `a@b` at host `c` and user `a` at host `b@c` are two entries, not one.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

/// Keeps `password` for `account`.
pub fn store(kind: Kind, account: &str, password: &str) -> Result<(), String> {
    entry(kind, account)?
        .set_password(password)
        .map_err(|e| keyring_error(kind, e))
}

/// The password kept for `account`; `None` if none is.
pub fn read(kind: Kind, account: &str) -> Result<Option<String>, String> {
    match entry(kind, account)?.get_password() {
        Ok(password) => Ok(Some(password)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(kind, e)),
    }
}

/// Forgets the password kept for `account`, if any.
pub fn forget(kind: Kind, account: &str) -> Result<(), String> {
    match entry(kind, account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(kind, e)),
    }
}

fn entry(kind: Kind, account: &str) -> Result<keyring::Entry, String> {
    // Where keyring has no store for the platform it silently falls back to an in-memory
    // mock, and a password kept there would be gone at the next start.
    let persistence = keyring::default::default_credential_builder().persistence();
    if !matches!(
        persistence,
        keyring::credential::CredentialPersistence::UntilDelete
    ) {
        return Err(no_keyring(kind, "this platform has none Roster can use"));
    }
    keyring::Entry::new(kind.service(), account).map_err(|e| keyring_error(kind, e))
}

fn keyring_error(kind: Kind, error: keyring::Error) -> String {
    match error {
        // On Linux and the BSDs this is the Secret Service missing: no D-Bus session, or
        // no GNOME Keyring / KWallet running, as on a headless machine.
        keyring::Error::PlatformFailure(e)
            if cfg!(any(
                target_os = "linux",
                target_os = "freebsd",
                target_os = "openbsd"
            )) =>
        {
            no_keyring(kind, &e.to_string())
        }
        keyring::Error::NoStorageAccess(e) => {
            format!("the OS keyring is locked or refused access: unlock it and try again ({e})")
        }
        e => format!("the OS keyring could not keep {}: {e}", kind.what()),
    }
}

fn no_keyring(kind: Kind, detail: &str) -> String {
    format!(
        "no OS keyring is available on this workstation; {} needs one: start the desktop keyring (GNOME Keyring or KWallet) and try again ({detail})",
        kind.what()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_escaped_never_run_into_each_other() {
        let account = |user: &str, host: &str| format!("{}@{}", escape(user), escape(host));
        assert_ne!(account("a@b", "c"), account("a", "b@c"));
        assert_eq!(escape("it@example.org"), "it%40example.org");
        assert_eq!(escape("smtp.example.org"), "smtp.example.org");
        assert_eq!(escape("é %"), "%C3%A9%20%25");
    }

    #[test]
    fn entries_kept_under_the_old_names_are_never_read() {
        for kind in [Kind::Smtp, Kind::Database] {
            assert!(!["roster-smtp", "roster-database"].contains(&kind.service()));
        }
    }
}
