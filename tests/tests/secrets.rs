//! No secret is written where it does not belong. The credential flows run on a real SQLite
//! file and keep every secret they produce or receive (typed and generated passwords, a
//! wrong guess, the TOTP key, one-time codes for an invitation and a recovery, a user
//! token); then every column of every table, the CLI's output and a users export are
//! searched for each of them. The only place a secret may appear is the one message meant
//! to carry it: a one-time code in its own invitation or recovery message.

use roster_core::{
    Clock, MailKind, NewUser, RedeemCode, Roster, SetPassword, SignInRequest, Status, UserRef,
    totp_code_at,
};
use roster_tests::{TempDatabase, built_binary, decode_base32, test_actor};
use sqlx::{Connection, Row};
use std::process::Command;

/// A secret the run produced or received, and where it may appear (the outbox row meant
/// to carry it).
struct Secret {
    name: &'static str,
    text: String,
    carrier: Option<i64>,
}

fn one_time_code(body: &str) -> String {
    body.lines()
        .find_map(|l| l.strip_prefix("One-time code: "))
        .expect("the message holds a code")
        .to_owned()
}

/// The newest message of `kind` to `address`, its one-time code revealed: (id, body).
async fn message(roster: &Roster, kind: MailKind, address: &str) -> (i64, String) {
    let outbox = roster.outbox(&test_actor(), 100).await.unwrap();
    let mail = outbox
        .iter()
        .find(|m| m.kind == kind && m.to_address == address)
        .expect("the message was queued");
    let whole = roster.reveal_mail(&test_actor(), mail.id).await.unwrap();
    (mail.id, whole.body)
}

fn person(name: &str) -> NewUser {
    NewUser {
        email: format!("{name}@example.org"),
        first_name: "Test".into(),
        last_name: name.into(),
        username: Some(name.into()),
        status: Some(Status::Active),
        ..NewUser::default()
    }
}

async fn sign_in(roster: &Roster, login: &str, password: &str, code: Option<String>) -> bool {
    let request = SignInRequest {
        login: login.into(),
        password: password.into(),
        code,
    };
    roster
        .sign_in(&request, "desk-7", roster_core::Origin::Desktop)
        .await
        .is_ok()
}

#[tokio::test]
async fn no_secret_is_kept_outside_the_message_meant_to_carry_it() {
    let db = TempDatabase::sqlite();
    let (roster, clock) = db.roster().await;
    let actor = test_actor();
    let mut secrets = Vec::new();

    // A typed password, with the holder told by email; a wrong guess; a right sign-in.
    let typed = "typed passphrase nobody else knows";
    roster.add_user(&actor, person("ada")).await.unwrap();
    let set = SetPassword {
        password: Some(typed.into()),
        notify: true,
        ..SetPassword::default()
    };
    roster
        .set_password(&actor, &UserRef::parse("ada"), set)
        .await
        .unwrap();
    let guess = "wrong guess that must not be logged";
    assert!(!sign_in(&roster, "ada", guess, None).await);
    assert!(sign_in(&roster, "ada", typed, None).await);
    secrets.push(Secret {
        name: "typed password",
        text: typed.into(),
        carrier: None,
    });
    secrets.push(Secret {
        name: "wrong guess",
        text: guess.into(),
        carrier: None,
    });

    // A generated password.
    roster.add_user(&actor, person("grace")).await.unwrap();
    let generated = roster
        .set_password(
            &actor,
            &UserRef::parse("grace"),
            SetPassword {
                generate: true,
                ..SetPassword::default()
            },
        )
        .await
        .unwrap()
        .generated_password
        .expect("a generated password, shown once");
    secrets.push(Secret {
        name: "generated password",
        text: generated,
        carrier: None,
    });

    // 2FA: the key, shown once, activated with a code, used to sign in.
    let refs = [UserRef::parse("ada")];
    let enrollment = roster
        .reset_two_factor(&actor, &refs)
        .await
        .unwrap()
        .remove(0);
    let key: String = enrollment.key.split(' ').collect();
    let secret = decode_base32(&key).unwrap();
    let code = totp_code_at(&secret, clock.now().timestamp() as u64);
    roster
        .activate_two_factor(&actor, &refs[0], &code)
        .await
        .unwrap();
    clock.advance(chrono::Duration::seconds(30));
    let next = totp_code_at(&secret, clock.now().timestamp() as u64);
    assert!(sign_in(&roster, "ada", typed, Some(next)).await);
    for (name, text) in [
        ("TOTP key", key.clone()),
        ("TOTP key, grouped", enrollment.key),
    ] {
        secrets.push(Secret {
            name,
            text,
            carrier: None,
        });
    }

    // An invitation and a recovery: each code belongs in its own message only, and the
    // password chosen with it nowhere.
    roster
        .add_user_and_invite(
            &actor,
            NewUser {
                status: None,
                ..person("hedy")
            },
        )
        .await
        .unwrap();
    let (invitation, body) = message(&roster, MailKind::Invitation, "hedy@example.org").await;
    let invite_code = one_time_code(&body);
    let chosen = "a passphrase she chose herself";
    roster
        .redeem_code(
            &RedeemCode {
                login: "hedy".into(),
                code: invite_code.clone(),
                new_password: chosen.into(),
            },
            "desk-8",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap();
    roster
        .start_recovery(&actor, &[UserRef::parse("grace")])
        .await
        .unwrap();
    let (recovery, body) = message(&roster, MailKind::Recovery, "grace@example.org").await;
    secrets.push(Secret {
        name: "invitation code",
        text: invite_code,
        carrier: Some(invitation),
    });
    secrets.push(Secret {
        name: "password chosen with a code",
        text: chosen.into(),
        carrier: None,
    });
    secrets.push(Secret {
        name: "recovery code",
        text: one_time_code(&body),
        carrier: Some(recovery),
    });

    // A user token, shown once.
    let issued = roster
        .issue_token(&actor, &UserRef::parse("ada"), None)
        .await
        .unwrap();
    secrets.push(Secret {
        name: "user token",
        text: issued.text,
        carrier: None,
    });

    // What the CLI prints, and an export of every user, while it all is in the database.
    let work = tempfile::tempdir().unwrap();
    let export = work.path().join("users.csv");
    let mut written = Vec::new();
    for args in [
        vec!["audit", "list", "--limit", "1000"],
        vec!["user", "list"],
        vec!["export", "users", export.to_str().unwrap()],
    ] {
        let out = Command::new(built_binary("roster"))
            .args(["--db", &db.url])
            .args(&args)
            .env_remove("ROSTER_DATABASE_URL")
            .output()
            .expect("run the roster CLI (cargo build -p roster-cli)");
        assert!(out.status.success(), "roster {args:?}: {out:?}");
        written.push((format!("roster {}", args[..2].join(" ")), out.stdout));
        written.push((
            format!("roster {} (stderr)", args[..2].join(" ")),
            out.stderr,
        ));
    }
    written.push(("the users export".into(), std::fs::read(&export).unwrap()));

    let mut found = Vec::new();
    for (place, bytes) in &written {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            if text.contains(&secret.text) {
                found.push(format!("{} in {place}", secret.name));
            }
        }
    }
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(tables.len() > 10, "every table: {tables:?}");
    let mut cells = 0;
    for table in &tables {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&mut conn)
                .await
                .unwrap();
        for column in columns {
            // hex() reads text and blobs alike, so secrets kept as bytes are searched too.
            let rows = sqlx::query(&format!(
                "SELECT rowid AS id, hex(\"{column}\") AS value FROM \"{table}\""
            ))
            .fetch_all(&mut conn)
            .await
            .unwrap_or_default();
            for row in rows {
                cells += 1;
                let id: i64 = row.try_get("id").unwrap_or(0);
                let value: Option<String> = row.get("value");
                let value = value.unwrap_or_default();
                for secret in &secrets {
                    let allowed = table == "outbox" && secret.carrier == Some(id);
                    if !allowed && value.contains(&hex(&secret.text)) {
                        found.push(format!("{} in {table}.{column}, row {id}", secret.name));
                    }
                }
            }
        }
    }
    assert!(
        cells > 200,
        "the run wrote what it was meant to ({cells} cells)"
    );
    assert!(
        found.is_empty(),
        "secrets where they do not belong: {found:#?}"
    );
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02X}")).collect()
}
