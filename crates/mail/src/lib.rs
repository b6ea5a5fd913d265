//! Sends Roster's outbox messages through an SMTP server.
//!
//! This crate has one job: [`SmtpMailer`] implements [`roster_core::MailTransport`] with
//! lettre, and keeps the SMTP password in the OS keyring rather than in the database.
//! Core decides what is sent and when; the front ends hand it this transport.
//!
//! It may not depend on roster-store or tauri.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use roster_core::{MailMessage, MailTransport, SmtpSecurity, SmtpSettings};
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
    Fixed(Option<String>),
}

impl SmtpMailer {
    /// Signs in with the password kept by `keep_password` for the settings' username.
    pub fn new() -> Self {
        SmtpMailer {
            password: PasswordSource::Keyring,
        }
    }

    /// Signs in with this password; `None` for a server that needs no sign-in.
    pub fn with_password(password: Option<String>) -> Self {
        SmtpMailer {
            password: PasswordSource::Fixed(password),
        }
    }

    async fn password(&self, username: &str) -> Result<String, String> {
        let found = match &self.password {
            PasswordSource::Fixed(password) => password.clone(),
            PasswordSource::Keyring => {
                let username = username.to_owned();
                // The keyring may block on D-Bus or on an unlock prompt.
                tokio::task::spawn_blocking(move || smtp_password(&username))
                    .await
                    .map_err(|e| format!("reading the OS keyring failed: {e}"))??
            }
        };
        found.ok_or_else(|| {
            format!(
                "no password is stored for the mail server user {username} on this workstation: enter it in the mail settings"
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
            let password = self.password(&smtp.username).await?;
            builder = builder.credentials(Credentials::new(smtp.username.clone(), password));
        }
        builder
            .build()
            .send(message)
            .await
            .map(drop)
            .map_err(|e| explain(&e, smtp))
    }

    fn keep_password(&self, username: &str, password: &str) -> Result<(), String> {
        store_smtp_password(username, password)
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

/// Keeps the SMTP password of `username` in the OS keyring.
fn store_smtp_password(username: &str, password: &str) -> Result<(), String> {
    roster_secrets::store(roster_secrets::Kind::Smtp, username, password)
}

/// The SMTP password of `username` from the OS keyring; `None` if none is stored.
fn smtp_password(username: &str) -> Result<Option<String>, String> {
    roster_secrets::read(roster_secrets::Kind::Smtp, username)
}
