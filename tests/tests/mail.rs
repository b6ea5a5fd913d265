//! The outbox sent through roster-mail to a real SMTP listener on loopback: messages
//! arrive with the right envelope and a code that works, failures are kept for a retry, and
//! nothing leaves without mail settings.

use roster_core::{
    Clock, MailStatus, NewUser, RedeemCode, Roster, Settings, SmtpSecurity, SmtpSettings, Status,
    UserRef,
};
use roster_mail::SmtpMailer;
use roster_tests::{TempDatabase, test_actor};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as the server received it.
#[derive(Debug)]
struct Received {
    recipients: Vec<String>,
    data: String,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A minimal SMTP server on 127.0.0.1: its port and what it receives.
async fn smtp_server() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let sink = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(smtp_session(stream, sink.clone()));
        }
    });
    (port, inbox)
}

async fn smtp_session(stream: TcpStream, inbox: Inbox) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 localhost ESMTP test\r\n").await?;
    let mut recipients = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" | "RSET" | "NOOP" => b"250 localhost\r\n",
            "MAIL" => {
                recipients.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let address = line.split_once('<').and_then(|(_, a)| a.split_once('>'));
                recipients.push(address.expect("RCPT TO:<address>").0.to_owned());
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 end with a line holding a dot\r\n")
                    .await?;
                let mut data = String::new();
                while let Some(line) = lines.next_line().await? {
                    if line == "." {
                        break;
                    }
                    // Undo the client's dot-stuffing.
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push_str("\r\n");
                }
                inbox.lock().unwrap().push(Received {
                    recipients: std::mem::take(&mut recipients),
                    data,
                });
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

/// A header's value, unfolded.
fn header(data: &str, name: &str) -> Option<String> {
    let head = data.split("\r\n\r\n").next().unwrap().replace("\r\n ", " ");
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// The body as text, whatever transfer encoding the client chose.
fn body(data: &str) -> String {
    let (_, raw) = data
        .split_once("\r\n\r\n")
        .expect("headers, a blank line, a body");
    let encoding = header(data, "Content-Transfer-Encoding").unwrap_or_else(|| "7bit".into());
    let bytes = match encoding.to_ascii_lowercase().as_str() {
        "7bit" | "8bit" => raw.as_bytes().to_vec(),
        "quoted-printable" => quoted_printable(raw),
        "base64" => base64(raw),
        other => panic!("unexpected transfer encoding {other}"),
    };
    String::from_utf8(bytes)
        .expect("a UTF-8 body")
        .replace("\r\n", "\n")
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let mut out = Vec::new();
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'=' {
            let hex = [bytes.next().unwrap(), bytes.next().unwrap()];
            let hex = std::str::from_utf8(&hex).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("=XX"));
        } else {
            out.push(b);
        }
    }
    out
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut bits, mut count, mut out) = (0u32, 0, Vec::new());
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
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

fn one_time_code(body: &str) -> String {
    body.lines()
        .find_map(|l| l.strip_prefix("One-time code: "))
        .unwrap_or_else(|| panic!("the message holds a code:\n{body}"))
        .to_owned()
}

async fn use_smtp(roster: &Roster, port: u16, username: &str) {
    roster
        .save_settings(
            &test_actor(),
            Settings {
                smtp: Some(SmtpSettings {
                    host: "127.0.0.1".into(),
                    port,
                    security: SmtpSecurity::None,
                    username: username.into(),
                    from_address: "it@example.org".into(),
                }),
                ..Settings::default()
            },
        )
        .await
        .unwrap();
}

/// A port on which nothing listens.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

fn new_user(username: &str, status: Option<Status>) -> NewUser {
    NewUser {
        email: format!("{username}@example.org"),
        first_name: "Zoë".into(),
        last_name: "Łukasiewicz".into(),
        username: Some(username.into()),
        status,
        ..NewUser::default()
    }
}

async fn redeem(roster: &Roster, login: &str, code: String) -> roster_core::User {
    let request = RedeemCode {
        login: login.into(),
        code,
        new_password: "a fresh passphrase here".into(),
    };
    roster
        .redeem_code(&request, "workstation", roster_core::Origin::Cli)
        .await
        .unwrap()
}

/// The one message the server received, checked against the outbox, and its code.
fn received_code(inbox: &Inbox, to: &str, subject: &str) -> String {
    let inbox = inbox.lock().unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    let message = &inbox[0];
    assert_eq!(message.recipients, [to]);
    assert_eq!(header(&message.data, "Subject").as_deref(), Some(subject));
    assert!(
        header(&message.data, "From")
            .unwrap()
            .ends_with("<it@example.org>"),
        "{}",
        message.data
    );
    let text = body(&message.data);
    assert!(
        text.contains("Zoë"),
        "the name survives the encoding: {text}"
    );
    one_time_code(&text)
}

#[tokio::test]
async fn an_invitation_arrives_and_its_code_works() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let (port, inbox) = smtp_server().await;
    use_smtp(&roster, port, "").await;
    roster
        .add_user_and_invite(&test_actor(), new_user("zoe", None))
        .await
        .unwrap();

    let report = roster.deliver_mail(&SmtpMailer::in_memory()).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    let subject = roster.outbox(&test_actor(), 10).await.unwrap()[0]
        .subject
        .clone();
    let code = received_code(&inbox, "zoe@example.org", &subject);
    assert_eq!(
        roster.outbox(&test_actor(), 10).await.unwrap()[0].status,
        MailStatus::Sent
    );

    let user = redeem(&roster, "zoe", code).await;
    assert_eq!(user.status, Status::Active);
}

#[tokio::test]
async fn a_recovery_message_arrives_and_its_code_works() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let (port, inbox) = smtp_server().await;
    use_smtp(&roster, port, "").await;
    roster
        .add_user(&test_actor(), new_user("zoe", Some(Status::Active)))
        .await
        .unwrap();
    let zoe = [UserRef::Username("zoe".into())];
    roster.start_recovery(&test_actor(), &zoe).await.unwrap();
    assert_eq!(
        roster
            .find_user(&test_actor(), &zoe[0])
            .await
            .unwrap()
            .status,
        Status::Recovery
    );

    let report = roster.deliver_mail(&SmtpMailer::in_memory()).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    let subject = roster.outbox(&test_actor(), 10).await.unwrap()[0]
        .subject
        .clone();
    let code = received_code(&inbox, "zoe@example.org", &subject);

    let user = redeem(&roster, "zoe@example.org", code).await;
    assert_eq!(user.status, Status::Active);
}

#[tokio::test]
async fn a_failed_delivery_stays_queued_for_a_retry() {
    let db = TempDatabase::new();
    let (roster, clock) = db.roster().await;
    use_smtp(&roster, closed_port().await, "").await;
    roster
        .add_user_and_invite(&test_actor(), new_user("zoe", None))
        .await
        .unwrap();

    let report = roster.deliver_mail(&SmtpMailer::in_memory()).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let mail = &roster.outbox(&test_actor(), 10).await.unwrap()[0];
    assert_eq!(mail.status, MailStatus::Queued);
    assert_eq!(mail.attempts, 1);
    let error = mail.last_error.as_deref().unwrap_or_default();
    assert!(error.starts_with("cannot connect to 127.0.0.1:"), "{error}");
    assert!(mail.next_attempt_at >= clock.now() + chrono::Duration::minutes(1));
}

#[tokio::test]
async fn without_mail_settings_nothing_is_sent() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    roster
        .add_user_and_invite(&test_actor(), new_user("zoe", None))
        .await
        .unwrap();

    let report = roster.deliver_mail(&SmtpMailer::in_memory()).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 0));
    let mail = &roster.outbox(&test_actor(), 10).await.unwrap()[0];
    assert_eq!((mail.status, mail.attempts), (MailStatus::Queued, 0));
}

#[tokio::test]
async fn a_sign_in_without_a_stored_password_fails_clearly() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let (port, inbox) = smtp_server().await;
    let username = "roster-test-user-without-a-password";
    use_smtp(&roster, port, username).await;
    roster
        .add_user_and_invite(&test_actor(), new_user("zoe", None))
        .await
        .unwrap();

    // With a keyring the password is simply not there; without one (as on a headless
    // machine) the error says so.
    let report = roster.deliver_mail(&SmtpMailer::new()).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let error = roster.outbox(&test_actor(), 10).await.unwrap()[0]
        .last_error
        .clone()
        .unwrap();
    assert!(
        error.starts_with("no password is kept on this workstation for the mail server user")
            || error.starts_with("no OS keyring is available on this workstation;"),
        "{error}"
    );
    assert!(inbox.lock().unwrap().is_empty());
}
