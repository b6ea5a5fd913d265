//! The organisation-wide settings an Owner changes: the name shown in authenticator apps,
//! the password and sign-in policy, and the SMTP server.

use crate::backup::{BackupSettings, MAX_KEPT, Rotation};
use crate::credentials::password::{
    DEFAULT_MIN_PASSWORD_CHARS, LOWEST_MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS,
};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};

/// A hundred years: more is a typing mistake.
pub const MAX_RETENTION_DAYS: u32 = 36_500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Settings {
    /// The issuer in authenticator apps and the sender name of messages.
    pub organization_name: String,
    pub min_password_chars: u32,
    /// Failed sign-ins in a row before an account is locked automatically.
    pub max_failed_sign_ins: u32,
    /// A console session ends after this many minutes without activity.
    pub session_idle_minutes: u32,
    /// `None`: messages stay in the outbox.
    pub smtp: Option<SmtpSettings>,
    /// The language of the messages Roster sends (invitations, password resets): one there
    /// is a catalogue for (`locales/`), English at first.
    pub mail_language: String,
    /// Audit entries and sign-in events older than this many days are purged (0: kept
    /// forever).
    pub audit_retention_days: u32,
    /// Backups of a SQLite file (servers are backed up on the server).
    pub backups: BackupSettings,
    /// Counts saves (0: never saved). A save names the version it started from and is
    /// refused if someone else saved in between.
    pub version: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organization_name: "Roster".into(),
            min_password_chars: DEFAULT_MIN_PASSWORD_CHARS,
            max_failed_sign_ins: 10,
            session_idle_minutes: 15,
            smtp: None,
            mail_language: roster_l10n::ENGLISH.into(),
            audit_retention_days: 0,
            backups: BackupSettings::default(),
            version: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SmtpSecurity {
    /// Implicit TLS, usually port 465.
    Tls,
    /// Plain connection upgraded with STARTTLS, usually port 587.
    StartTls,
    /// No encryption: only for a relay on this machine or a test server.
    None,
}

impl SmtpSecurity {
    /// The port servers usually listen on for this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Tls => 465,
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::None => 25,
        }
    }
}

/// The SMTP server. Its password is not here: it is kept in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Empty: the server needs no sign-in.
    pub username: String,
    /// The sender address, e.g. `it@example.org`.
    pub from_address: String,
}

impl SmtpSettings {
    /// Whether `other` is the same server as far as its password goes: the same host, port,
    /// security and user. A password kept for one is never sent to another; the sender
    /// address is not part of it.
    pub fn same_server(&self, other: &SmtpSettings) -> bool {
        self.host == other.host
            && self.port == other.port
            && self.security == other.security
            && self.username == other.username
    }
}

/// Some settings to change; the others stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct SettingsPatch {
    pub organization_name: Option<String>,
    pub min_password_chars: Option<u32>,
    pub max_failed_sign_ins: Option<u32>,
    pub session_idle_minutes: Option<u32>,
    pub smtp: Option<SmtpPatch>,
    pub mail_language: Option<String>,
    /// 0: keep audit entries forever.
    pub audit_retention_days: Option<u32>,
    pub backups_automatic: Option<bool>,
    /// Empty: `backups` beside the database file.
    pub backups_folder: Option<String>,
    pub backups_keep: Option<Rotation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SmtpPatch {
    /// Stop sending mail: messages stay in the outbox.
    Remove,
    /// Set up or change the server; a new server starts as STARTTLS on 587.
    Change {
        host: Option<String>,
        /// Changing the security without a port moves to that security's usual port.
        security: Option<SmtpSecurity>,
        port: Option<u16>,
        username: Option<String>,
        from_address: Option<String>,
    },
}

impl Settings {
    /// These settings with the patch applied (not yet checked).
    pub fn patched(&self, patch: &SettingsPatch) -> Settings {
        let mut next = self.clone();
        if let Some(v) = &patch.organization_name {
            next.organization_name = v.clone();
        }
        if let Some(v) = patch.min_password_chars {
            next.min_password_chars = v;
        }
        if let Some(v) = patch.max_failed_sign_ins {
            next.max_failed_sign_ins = v;
        }
        if let Some(v) = patch.session_idle_minutes {
            next.session_idle_minutes = v;
        }
        if let Some(v) = patch.audit_retention_days {
            next.audit_retention_days = v;
        }
        if let Some(v) = &patch.mail_language {
            next.mail_language = v.clone();
        }
        if let Some(v) = patch.backups_automatic {
            next.backups.automatic = v;
        }
        if let Some(v) = &patch.backups_folder {
            next.backups.folder = v.clone();
        }
        if let Some(v) = patch.backups_keep {
            next.backups.keep = v;
        }
        match &patch.smtp {
            None => {}
            Some(SmtpPatch::Remove) => next.smtp = None,
            Some(SmtpPatch::Change {
                host,
                security,
                port,
                username,
                from_address,
            }) => {
                let smtp = next.smtp.get_or_insert_with(|| SmtpSettings {
                    host: String::new(),
                    port: SmtpSecurity::StartTls.default_port(),
                    security: SmtpSecurity::StartTls,
                    username: String::new(),
                    from_address: String::new(),
                });
                if let Some(v) = host {
                    smtp.host = v.clone();
                }
                if let Some(v) = security {
                    smtp.security = *v;
                    smtp.port = v.default_port();
                }
                if let Some(v) = port {
                    smtp.port = *v;
                }
                if let Some(v) = username {
                    smtp.username = v.clone();
                }
                if let Some(v) = from_address {
                    smtp.from_address = v.clone();
                }
            }
        }
        next
    }

    pub(crate) fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !roster_l10n::languages().any(|l| l == self.mail_language) {
            errors.push(FieldError::new(
                "mail_language",
                format!(
                    "Roster has no messages in '{}'; choose one of: {}",
                    self.mail_language,
                    roster_l10n::languages().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let name = self.organization_name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            errors.push(FieldError::new(
                "organization_name",
                "enter the organization's name (at most 120 characters)",
            ));
        }
        let max = MAX_PASSWORD_CHARS as u32 / 4;
        if !(LOWEST_MIN_PASSWORD_CHARS..=max).contains(&self.min_password_chars) {
            errors.push(FieldError::new(
                "min_password_chars",
                format!("choose a minimum between {LOWEST_MIN_PASSWORD_CHARS} and {max} characters; NIST recommends 15"),
            ));
        }
        if !(3..=100).contains(&self.max_failed_sign_ins) {
            errors.push(FieldError::new(
                "max_failed_sign_ins",
                "choose between 3 and 100 failed sign-ins",
            ));
        }
        if !(1..=24 * 60).contains(&self.session_idle_minutes) {
            errors.push(FieldError::new(
                "session_idle_minutes",
                "choose between 1 and 1440 minutes",
            ));
        }
        if self.audit_retention_days > MAX_RETENTION_DAYS {
            errors.push(FieldError::new(
                "audit_retention_days",
                format!("choose at most {MAX_RETENTION_DAYS} days, or 0 to keep entries forever"),
            ));
        }
        let keep = self.backups.keep;
        if [keep.daily, keep.weekly, keep.monthly]
            .iter()
            .any(|n| *n > MAX_KEPT)
        {
            errors.push(FieldError::new(
                "backups.keep",
                format!("keep at most {MAX_KEPT} backups of each period"),
            ));
        }
        if self.backups.folder.chars().count() > 4_096 || self.backups.folder.contains('\0') {
            errors.push(FieldError::new(
                "backups.folder",
                "choose a folder on this computer or a share it reaches",
            ));
        }
        if let Some(smtp) = &self.smtp {
            if smtp.host.trim().is_empty() || smtp.host.contains(char::is_whitespace) {
                errors.push(FieldError::new(
                    "smtp.host",
                    "enter the mail server's name, e.g. smtp.example.org",
                ));
            }
            if smtp.port == 0 {
                errors.push(FieldError::new(
                    "smtp.port",
                    "enter the port: 465 for TLS, 587 for STARTTLS",
                ));
            }
            if !email_address::EmailAddress::is_valid(smtp.from_address.trim()) {
                errors.push(FieldError::new(
                    "smtp.from_address",
                    "enter the sender's email address, e.g. it@example.org",
                ));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let base = Settings::default();
        let same = base.patched(&SettingsPatch::default());
        assert_eq!(same, base);
        let named = base.patched(&SettingsPatch {
            organization_name: Some("Acme".into()),
            ..SettingsPatch::default()
        });
        assert_eq!(named.organization_name, "Acme");
        assert_eq!(named.max_failed_sign_ins, base.max_failed_sign_ins);

        let tls = base.patched(&SettingsPatch {
            smtp: Some(SmtpPatch::Change {
                host: Some("smtp.example.org".into()),
                security: Some(SmtpSecurity::Tls),
                port: None,
                username: None,
                from_address: Some("it@example.org".into()),
            }),
            ..SettingsPatch::default()
        });
        let smtp = tls.smtp.clone().unwrap();
        assert_eq!((smtp.port, smtp.security), (465, SmtpSecurity::Tls));
        let off = tls.patched(&SettingsPatch {
            smtp: Some(SmtpPatch::Remove),
            ..SettingsPatch::default()
        });
        assert_eq!(off.smtp, None);
    }

    #[test]
    fn a_server_is_its_host_port_security_and_user() {
        let office = SmtpSettings {
            host: "smtp.example.org".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            username: "it".into(),
            from_address: "it@example.org".into(),
        };
        let other = |change: fn(&mut SmtpSettings)| {
            let mut server = office.clone();
            change(&mut server);
            server
        };
        assert!(office.same_server(&other(|s| s.from_address = "x@example.org".into())));
        assert!(!office.same_server(&other(|s| s.host = "smtp.example.net".into())));
        assert!(!office.same_server(&other(|s| s.port = 25)));
        assert!(!office.same_server(&other(|s| s.security = SmtpSecurity::None)));
        assert!(!office.same_server(&other(|s| s.username = "helpdesk".into())));
    }
}
