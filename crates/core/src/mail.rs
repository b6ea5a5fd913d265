//! Messages to account holders. Every message is written to the outbox in the same
//! transaction as the action that causes it, and sent later by [`crate::Roster::deliver_mail`]
//! with retries, so a slow or absent mail server never blocks an action.

use crate::settings::SmtpSettings;
use crate::user::UserId;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// After this many failed attempts a message is marked failed and left for a person.
pub const MAX_SEND_ATTEMPTS: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum MailKind {
    Invitation,
    Recovery,
    PasswordSet,
    TwoFactorReset,
    Test,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::Recovery => "recovery",
            MailKind::PasswordSet => "password_set",
            MailKind::TwoFactorReset => "two_factor_reset",
            MailKind::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        [
            MailKind::Invitation,
            MailKind::Recovery,
            MailKind::PasswordSet,
            MailKind::TwoFactorReset,
            MailKind::Test,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum MailStatus {
    /// Waiting for a mail server (none configured yet, or a retry is due later).
    Queued,
    Sent,
    /// Gave up after [`MAX_SEND_ATTEMPTS`]; the outbox shows why.
    Failed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<MailStatus> {
        [MailStatus::Queued, MailStatus::Sent, MailStatus::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A message about to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// When the action that causes it happened (from the services' clock).
    pub queued_at: DateTime<Utc>,
    pub kind: MailKind,
    /// The account it is about (`None`: a test message); the store fills in a new
    /// account's.
    pub user: Option<UserId>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    /// The one-time code exactly as the body shows it, kept apart so the outbox can hide it.
    pub secret: Option<String>,
}

/// What the outbox shows in place of a one-time code to everyone who may not set the
/// account's password, and what a delivered message keeps instead of it.
pub const HIDDEN_CODE: &str = "[one-time code hidden]";

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MailMessage {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub kind: MailKind,
    /// The account it is about, when known.
    pub user_id: Option<UserId>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The body holds a one-time code, shown as [`HIDDEN_CODE`] until someone who may set
    /// the account's password reveals it (`Roster::reveal_mail`).
    pub has_code: bool,
    /// The code as the body shows it; never leaves the Rust side.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub secret: Option<String>,
}

impl MailMessage {
    /// The message as everyone sees it: any one-time code hidden.
    pub fn without_code(mut self) -> MailMessage {
        if let Some(secret) = self.secret.take() {
            self.body = self.body.replace(&secret, HIDDEN_CODE);
        }
        self
    }

    /// Records a failed attempt: retry after 1, 2, 4, … minutes (at most 6 hours), and
    /// give up after [`MAX_SEND_ATTEMPTS`].
    pub(crate) fn failed_attempt(&mut self, error: String, now: DateTime<Utc>) {
        self.attempts += 1;
        self.last_error = Some(error);
        if self.attempts >= MAX_SEND_ATTEMPTS {
            self.status = MailStatus::Failed;
        } else {
            let wait = Duration::minutes(1 << (self.attempts - 1).min(9)).min(Duration::hours(6));
            self.next_attempt_at = now + wait;
        }
    }
}

/// Sends one message through an SMTP server, and keeps the server's password where it
/// signs in from (the OS keyring, never the database). Implemented outside core
/// (crates/mail).
///
/// The settings are shared and anyone who may change them can point them at another
/// server, so a password is kept for one server ([`SmtpSettings::same_server`]: host, port,
/// security and user) and `send` signs in only with the one kept for the server it is
/// given; for another server it finds none and says so.
#[async_trait::async_trait]
pub trait MailTransport: Send + Sync {
    async fn send(
        &self,
        smtp: &SmtpSettings,
        sender_name: &str,
        mail: &MailMessage,
    ) -> Result<(), String>;

    /// Keeps `password` for exactly the server `smtp` names.
    fn keep_password(&self, smtp: &SmtpSettings, password: &str) -> Result<(), String>;
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeliveryReport {
    pub sent: u32,
    pub failed: u32,
}

/// The message as an RFC 5322 `.eml` file, for "Export .eml" in the outbox.
pub fn eml(mail: &MailMessage, from: &str) -> String {
    let to = if mail.to_name.is_empty() {
        mail.to_address.clone()
    } else {
        format!("{} <{}>", encode_header(&mail.to_name), mail.to_address)
    };
    let body = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {}\r\nDate: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        encode_header(&mail.subject),
        mail.created_at.to_rfc2822(),
    )
}

/// RFC 2047 for header text that is not plain ASCII.
fn encode_header(text: &str) -> String {
    if text.is_ascii() && !text.contains(['\r', '\n']) {
        return text.to_owned();
    }
    let hex: String = text
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            }
        })
        .collect();
    format!("=?utf-8?Q?{hex}?=")
}

/// The texts of the messages, from the catalogues (`mail-*` in `locales/*.ftl`), in the
/// directory's language for messages (`Settings::mail_language`). Plain text: it reads well
/// in every mail client.
pub(crate) mod texts {
    use crate::{Arg, Args};

    fn say(language: &str, kind: &str, args: &[(&str, Arg)]) -> (String, String) {
        let args: Args = args
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let subject = roster_l10n::localize(language, &format!("mail-{kind}-subject"), &args);
        let body = roster_l10n::localize(language, &format!("mail-{kind}-body"), &args);
        (subject, format!("{body}\n"))
    }

    pub fn invitation(
        language: &str,
        org: &str,
        name: &str,
        username: &str,
        code: &str,
        days: i64,
    ) -> (String, String) {
        say(
            language,
            "invitation",
            &[
                ("org", org.into()),
                ("name", name.into()),
                ("username", username.into()),
                ("code", code.into()),
                ("days", days.into()),
            ],
        )
    }

    pub fn recovery(
        language: &str,
        org: &str,
        name: &str,
        username: &str,
        code: &str,
    ) -> (String, String) {
        say(
            language,
            "recovery",
            &[
                ("org", org.into()),
                ("name", name.into()),
                ("username", username.into()),
                ("code", code.into()),
            ],
        )
    }

    pub fn password_set(
        language: &str,
        org: &str,
        name: &str,
        username: &str,
        must_change: bool,
    ) -> (String, String) {
        let kind = if must_change {
            "password-set-change"
        } else {
            "password-set"
        };
        say(
            language,
            kind,
            &[
                ("org", org.into()),
                ("name", name.into()),
                ("username", username.into()),
            ],
        )
    }

    pub fn two_factor_reset(
        language: &str,
        org: &str,
        name: &str,
        username: &str,
    ) -> (String, String) {
        say(
            language,
            "two-factor-reset",
            &[
                ("org", org.into()),
                ("name", name.into()),
                ("username", username.into()),
            ],
        )
    }

    pub fn test(language: &str, org: &str) -> (String, String) {
        say(language, "test", &[("org", org.into())])
    }
}

#[cfg(test)]
mod tests {
    use super::texts;

    #[test]
    fn every_message_is_written_in_each_language_with_its_values() {
        for language in roster_l10n::languages() {
            let sent = [
                texts::invitation(language, "Acme", "Ada Lovelace", "ada", "1234 5678", 7),
                texts::recovery(language, "Acme", "Ada Lovelace", "ada", "1234 5678"),
                texts::password_set(language, "Acme", "Ada Lovelace", "ada", true),
                texts::password_set(language, "Acme", "Ada Lovelace", "ada", false),
                texts::two_factor_reset(language, "Acme", "Ada Lovelace", "ada"),
                texts::test(language, "Acme"),
            ];
            for (subject, body) in sent {
                assert!(subject.contains("Acme"), "{language}: {subject}");
                assert!(
                    !subject.starts_with("mail-") && !body.starts_with("mail-"),
                    "{language}: {subject}"
                );
                assert!(body.ends_with('\n'), "{language}: {body:?}");
            }
        }
        let (_, invitation) =
            texts::invitation("de", "Acme", "Ada Lovelace", "ada", "1234 5678", 7);
        assert!(
            invitation.starts_with("Hallo Ada Lovelace,\n\n"),
            "{invitation}"
        );
        assert!(
            invitation.contains("Einmalcode: 1234 5678\n") && invitation.contains("in 7 Tagen"),
            "{invitation}"
        );
    }
}
