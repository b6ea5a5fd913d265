//! The organisation-wide settings an Owner changes: the name shown in authenticator apps,
//! the password and sign-in policy, and the SMTP server.

use crate::credentials::password::{
    DEFAULT_MIN_PASSWORD_CHARS, LOWEST_MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS,
};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organization_name: "Roster".into(),
            min_password_chars: DEFAULT_MIN_PASSWORD_CHARS,
            max_failed_sign_ins: 10,
            session_idle_minutes: 15,
            smtp: None,
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

impl Settings {
    pub(crate) fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
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
