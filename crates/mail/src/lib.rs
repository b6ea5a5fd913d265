//! Sends Roster's outbox messages through an SMTP server.
//!
//! This crate has one job: [`SmtpMailer`] implements [`roster_core::MailTransport`] with
//! lettre, and keeps the SMTP password in the OS keyring rather than in the database.
//! Core decides what is sent and when; the front ends hand it this transport.
//!
//! The settings are in the shared database, where anyone who may change settings can
//! point them elsewhere; the password is this workstation's. So a password is kept for one
//! server (host, port, security and user) and sent only when the settings name exactly
//! that server.
//!
//! It may not depend on roster-store or tauri.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use roster_core::{MailMessage, MailTransport, SmtpSecurity, SmtpSettings};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How long each step may wait for the server: a dead server must not stall a delivery
/// round, which sends one message after another.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Sends messages through the SMTP server named in the settings.
pub struct SmtpMailer {
    password: PasswordSource,
}

enum PasswordSource {
    Keyring,
    /// Keyring entries by account name, in this process's memory.
    Memory(Mutex<HashMap<String, String>>),
}

impl SmtpMailer {
    /// Signs in with the password kept by `keep_password` in the OS keyring for the
    /// configured server.
    pub fn new() -> Self {
        SmtpMailer {
            password: PasswordSource::Keyring,
        }
    }

    /// Keeps passwords in this value instead of the OS keyring, under the same names and
    /// looked up the same way: for tests on a machine that has no keyring.
    pub fn in_memory() -> Self {
        SmtpMailer {
            password: PasswordSource::Memory(Mutex::default()),
        }
    }

    /// The password kept for exactly this server.
    async fn password(&self, smtp: &SmtpSettings) -> Result<String, String> {
        let account = keyring_account(smtp);
        let found = match &self.password {
            PasswordSource::Memory(kept) => kept
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&account)
                .cloned(),
            PasswordSource::Keyring => {
                // The keyring may block on D-Bus or on an unlock prompt.
                tokio::task::spawn_blocking(move || {
                    roster_secrets::read(roster_secrets::Kind::Smtp, &account)
                })
                .await
                .map_err(|e| format!("reading the OS keyring failed: {e}"))??
            }
        };
        found.ok_or_else(|| {
            format!(
                "no password is kept on this workstation for the mail server user {} at {}:{} ({}); a password goes only to the server it was entered for, so if the mail server changed, enter it again in Settings → Mail server (or with `roster settings set --smtp-password-stdin`)",
                smtp.username,
                smtp.host,
                smtp.port,
                security_label(smtp.security)
            )
        })
    }
}

impl Default for SmtpMailer {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl MailTransport for SmtpMailer {
    async fn send(
        &self,
        smtp: &SmtpSettings,
        sender_name: &str,
        mail: &MailMessage,
    ) -> Result<(), String> {
        let message = message(smtp, sender_name, mail)?;
        let builder = match smtp.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host),
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            }
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &smtp.host,
            )),
        }
        .map_err(|e| format!("cannot set up TLS for {}: {e}", smtp.host))?;
        let mut builder = builder.port(smtp.port).timeout(Some(TIMEOUT));
        if !smtp.username.is_empty() {
            let password = self.password(smtp).await?;
            builder = builder.credentials(Credentials::new(smtp.username.clone(), password));
        }
        builder
            .build()
            .send(message)
            .await
            .map(drop)
            .map_err(|e| explain(&e, smtp))
    }

    fn keep_password(&self, smtp: &SmtpSettings, password: &str) -> Result<(), String> {
        let account = keyring_account(smtp);
        match &self.password {
            PasswordSource::Memory(kept) => {
                kept.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(account, password.to_owned());
                Ok(())
            }
            PasswordSource::Keyring => {
                roster_secrets::store(roster_secrets::Kind::Smtp, &account, password)
            }
        }
    }
}

fn message(smtp: &SmtpSettings, sender_name: &str, mail: &MailMessage) -> Result<Message, String> {
    let from: Address = smtp.from_address.parse().map_err(|e| {
        format!(
            "the sender address {:?} in the mail settings is not valid: {e}",
            smtp.from_address
        )
    })?;
    let to: Address = mail.to_address.parse().map_err(|e| {
        format!(
            "the recipient address {:?} is not valid: {e}",
            mail.to_address
        )
    })?;
    // The same ID on every attempt, so a server or client that saw a message before can
    // drop the copy sent again after a lost reply.
    let message_id = format!(
        "<roster.{}.{}@{}>",
        mail.id,
        mail.created_at.timestamp_millis(),
        from.domain()
    );
    Message::builder()
        .message_id(Some(message_id))
        .from(Mailbox::new(display_name(sender_name), from))
        .to(Mailbox::new(display_name(&mail.to_name), to))
        .subject(mail.subject.as_str())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| format!("cannot build message {}: {e}", mail.id))
}

fn display_name(name: &str) -> Option<String> {
    Some(name.trim().to_owned()).filter(|n| !n.is_empty())
}

/// Turns lettre's error into what a person checks next.
fn explain(error: &lettre::transport::smtp::Error, smtp: &SmtpSettings) -> String {
    let server = format!("{}:{}", smtp.host, smtp.port);
    match error.status().map(u16::from) {
        Some(530) => format!(
            "{server} requires a sign-in (or a secure connection) before it takes mail: check the username and security in the mail settings ({error})"
        ),
        Some(534 | 535 | 538) => format!(
            "the server refused the sign-in: check the username and password in the mail settings ({error})"
        ),
        Some(_) if error.is_permanent() => format!("the server refused the message: {error}"),
        Some(_) => format!("the server could not take the message now: {error}"),
        None if error.is_client() => format!("cannot send through {server}: {error}"),
        None if error.is_response() => {
            format!("{server} answered in a way that is not SMTP: {error}")
        }
        None => {
            // The usual mistake behind a handshake that fails or hangs.
            let hint = match (smtp.security, smtp.port) {
                (SmtpSecurity::Tls, 587) => " (port 587 usually needs STARTTLS, not TLS)",
                (SmtpSecurity::StartTls, 465) => " (port 465 usually needs TLS, not STARTTLS)",
                _ => "",
            };
            format!("cannot connect to {server}: {error}{hint}")
        }
    }
}

/// The keyring entry of the password for `smtp`'s server: its user, host, port and
/// security, so the password is found only while the settings name that same server. The
/// sender address is not part of it: the mail still goes to the same server.
fn keyring_account(smtp: &SmtpSettings) -> String {
    let security = match smtp.security {
        SmtpSecurity::Tls => "tls",
        SmtpSecurity::StartTls => "starttls",
        SmtpSecurity::None => "none",
    };
    format!(
        "smtp://{}@{}:{}?security={security}",
        roster_secrets::escape(&smtp.username),
        roster_secrets::escape(&smtp.host),
        smtp.port
    )
}

fn security_label(security: SmtpSecurity) -> &'static str {
    match security {
        SmtpSecurity::Tls => "TLS",
        SmtpSecurity::StartTls => "STARTTLS",
        SmtpSecurity::None => "no encryption",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.org".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            username: "it@example.org".into(),
            from_address: "it@example.org".into(),
        }
    }

    #[test]
    fn a_password_is_kept_for_the_whole_server() {
        let kept = keyring_account(&office());
        assert_eq!(
            kept,
            "smtp://it%40example.org@smtp.example.org:587?security=starttls"
        );
        let elsewhere = [
            SmtpSettings {
                host: "smtp.attacker.example".into(),
                ..office()
            },
            SmtpSettings {
                port: 25,
                ..office()
            },
            SmtpSettings {
                security: SmtpSecurity::None,
                ..office()
            },
            SmtpSettings {
                username: "helpdesk@example.org".into(),
                ..office()
            },
        ];
        for server in elsewhere {
            assert_ne!(keyring_account(&server), kept, "{server:?}");
        }
        let same = SmtpSettings {
            from_address: "noreply@example.org".into(),
            ..office()
        };
        assert_eq!(keyring_account(&same), kept);
    }

    #[tokio::test]
    async fn a_changed_server_finds_no_password() {
        let mailer = SmtpMailer::in_memory();
        mailer.keep_password(&office(), "office secret").unwrap();
        assert_eq!(mailer.password(&office()).await.unwrap(), "office secret");
        let moved = SmtpSettings {
            host: "smtp.attacker.example".into(),
            ..office()
        };
        let error = mailer.password(&moved).await.unwrap_err();
        assert!(
            error.contains("smtp.attacker.example:587")
                && error.contains("enter it again in Settings → Mail server"),
            "{error}"
        );
    }
}
