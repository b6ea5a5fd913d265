//! Item 7: a kept password goes only to the server it was entered for. The mail settings
//! live in the shared database, where anyone who may change settings can point them at a
//! server of their choice; the password lives on each workstation. Delivery looks the
//! password up for exactly the configured host, port, security and user, so a changed
//! server finds none and is told so, and never receives the old server's password.
//!
//! This runs the core services with the real roster-mail transport against SMTP listeners
//! on 127.0.0.1. The transport keeps its passwords in memory (`SmtpMailer::in_memory`),
//! under the names the OS keyring would use, because CI has no keyring. Saved database
//! connections are covered by the desktop's own tests (`profiles.rs`).

use roster_core::{
    ErrorCode, MailStatus, Roster, Settings, SettingsPatch, SmtpPatch, SmtpSecurity, SmtpSettings,
};
use roster_mail::SmtpMailer;
use roster_tests::{TempDatabase, test_actor};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const USER: &str = "it@example.org";
const A_PASSWORD: &str = "server A's password";
const B_PASSWORD: &str = "server B's password";

/// What one listener saw.
#[derive(Debug, Default)]
struct Seen {
    connections: usize,
    /// Every AUTH PLAIN: the user and password it carried.
    sign_ins: Vec<(String, String)>,
    messages: usize,
}

/// An SMTP server on 127.0.0.1 that takes mail only after a sign-in with its own password.
struct Listener {
    port: u16,
    seen: Arc<Mutex<Seen>>,
}

impl Listener {
    async fn start(password: &'static str) -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                sink.lock().unwrap().connections += 1;
                tokio::spawn(session(stream, password, sink.clone()));
            }
        });
        Listener { port, seen }
    }

    fn passwords_received(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap();
        seen.sign_ins.iter().map(|(_, p)| p.clone()).collect()
    }

    fn messages(&self) -> usize {
        self.seen.lock().unwrap().messages
    }

    fn connections(&self) -> usize {
        self.seen.lock().unwrap().connections
    }
}

async fn session(
    stream: TcpStream,
    password: &'static str,
    seen: Arc<Mutex<Seen>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 localhost ESMTP test\r\n").await?;
    let mut signed_in = false;
    while let Some(line) = lines.next_line().await? {
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-localhost\r\n250 AUTH PLAIN\r\n",
            "HELO" | "RSET" | "NOOP" => b"250 localhost\r\n",
            "AUTH" => {
                let (user, given) = plain_credentials(&line);
                signed_in = given == password;
                seen.lock().unwrap().sign_ins.push((user, given));
                if signed_in {
                    b"235 2.7.0 accepted\r\n"
                } else {
                    b"535 5.7.8 wrong password\r\n"
                }
            }
            "MAIL" if !signed_in => b"530 5.7.0 sign in first\r\n",
            "MAIL" | "RCPT" => b"250 OK\r\n",
            "DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                while let Some(line) = lines.next_line().await? {
                    if line == "." {
                        break;
                    }
                }
                seen.lock().unwrap().messages += 1;
                b"250 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
    Ok(())
}

/// The user and password of `AUTH PLAIN <base64 of "\0user\0password">`.
fn plain_credentials(line: &str) -> (String, String) {
    let encoded = line
        .split_whitespace()
        .nth(2)
        .unwrap_or_else(|| panic!("AUTH PLAIN with its credentials: {line}"));
    let decoded = String::from_utf8(base64(encoded)).expect("UTF-8 credentials");
    let mut parts = decoded.split('\0').skip(1);
    let user = parts.next().unwrap_or_default().to_owned();
    let password = parts.next().unwrap_or_default().to_owned();
    (user, password)
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut bits, mut count, mut out) = (0u32, 0, Vec::new());
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// Points the mail settings at `host:port`, as any admin with Manage settings can, from any
/// workstation.
async fn point_at(roster: &Roster, host: &str, port: u16, security: SmtpSecurity) -> Settings {
    roster
        .update_settings(
            &test_actor(),
            &SettingsPatch {
                smtp: Some(SmtpPatch::Change {
                    host: Some(host.into()),
                    security: Some(security),
                    port: Some(port),
                    username: Some(USER.into()),
                    from_address: Some("it@example.org".into()),
                }),
                ..SettingsPatch::default()
            },
        )
        .await
        .unwrap()
}

/// Keeps `password` on this workstation for the mail server of `saved`, as Settings →
/// Mail server and `roster settings set --smtp-password-stdin` do after saving.
async fn keep_password(roster: &Roster, mailer: &SmtpMailer, saved: &Settings, password: &str) {
    roster
        .set_smtp_password(&test_actor(), mailer, saved, password)
        .await
        .unwrap();
}

/// Queues a test message and runs one delivery round; the message as the outbox shows it.
async fn deliver_one(roster: &Roster, mailer: &SmtpMailer) -> roster_core::MailMessage {
    roster
        .queue_test_mail(&test_actor(), "zoe@example.org")
        .await
        .unwrap();
    roster.deliver_mail(mailer).await.unwrap();
    roster.outbox(&test_actor(), 1).await.unwrap().remove(0)
}

fn server(settings: &Settings) -> &SmtpSettings {
    settings.smtp.as_ref().expect("mail settings")
}

#[tokio::test]
async fn item_07_saved_secrets_follow_the_server() {
    let db = TempDatabase::sqlite();
    let (roster, _clock) = db.roster().await;
    let a = Listener::start(A_PASSWORD).await;
    let b = Listener::start(B_PASSWORD).await;
    // This workstation's keyring.
    let mailer = SmtpMailer::in_memory();

    // An admin sets up server A here and keeps its password: mail goes out.
    let saved_a = point_at(&roster, "127.0.0.1", a.port, SmtpSecurity::None).await;
    keep_password(&roster, &mailer, &saved_a, A_PASSWORD).await;
    let mail = deliver_one(&roster, &mailer).await;
    assert_eq!(mail.status, MailStatus::Sent, "{:?}", mail.last_error);
    assert_eq!(a.passwords_received(), [A_PASSWORD]);
    assert_eq!(a.messages(), 1);

    // Someone who may change settings points them at their own server B (another port).
    // The next round on this workstation sends nothing there: no password is kept for B.
    let moved = point_at(&roster, "127.0.0.1", b.port, SmtpSecurity::None).await;
    let mail = deliver_one(&roster, &mailer).await;
    assert_eq!(mail.status, MailStatus::Queued);
    assert!(
        b.passwords_received().is_empty(),
        "server B was sent a password: {:?}",
        b.passwords_received()
    );
    assert_eq!(b.messages(), 0);
    let error = mail.last_error.unwrap_or_default();
    let smtp = server(&moved);
    for needed in [
        format!("{}:{}", smtp.host, smtp.port),
        USER.to_owned(),
        "enter it again in Settings → Mail server".to_owned(),
    ] {
        assert!(error.contains(&needed), "{needed:?} missing from: {error}");
    }

    // A password typed for A is not kept for B when the settings moved in between.
    let refused = roster
        .set_smtp_password(&test_actor(), &mailer, &saved_a, A_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Conflict, "{refused}");
    assert_eq!(refused.fields()[0].field, "smtp_password");
    let mail = deliver_one(&roster, &mailer).await;
    assert_eq!(mail.status, MailStatus::Queued);
    assert!(b.passwords_received().is_empty());

    // Another host name for A's address, and A with another security: neither is the
    // server the password was entered for, so neither is even connected to.
    let a_connections = a.connections();
    for (host, security) in [
        ("localhost", SmtpSecurity::None),
        ("127.0.0.1", SmtpSecurity::StartTls),
    ] {
        point_at(&roster, host, a.port, security).await;
        let mail = deliver_one(&roster, &mailer).await;
        assert_eq!(mail.status, MailStatus::Queued, "{host} {security:?}");
        let error = mail.last_error.unwrap_or_default();
        assert!(
            error.contains("enter it again in Settings → Mail server"),
            "{host} {security:?}: {error}"
        );
    }
    assert_eq!(a.connections(), a_connections, "A was connected to");
    assert_eq!(a.passwords_received(), [A_PASSWORD]);

    // Once B's own password is kept here, mail goes to B with it.
    let saved = point_at(&roster, "127.0.0.1", b.port, SmtpSecurity::None).await;
    keep_password(&roster, &mailer, &saved, B_PASSWORD).await;
    let mail = deliver_one(&roster, &mailer).await;
    assert_eq!(mail.status, MailStatus::Sent, "{:?}", mail.last_error);
    assert_eq!(b.passwords_received(), [B_PASSWORD]);
    assert_eq!(b.messages(), 1);

    // A's password is still kept for A alone.
    point_at(&roster, "127.0.0.1", a.port, SmtpSecurity::None).await;
    let mail = deliver_one(&roster, &mailer).await;
    assert_eq!(mail.status, MailStatus::Sent, "{:?}", mail.last_error);
    assert_eq!(a.passwords_received(), [A_PASSWORD, A_PASSWORD]);
    assert_eq!(b.passwords_received(), [B_PASSWORD]);
}
