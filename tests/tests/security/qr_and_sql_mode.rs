//! Item 12: names as long as validation allows, in a script that percent-encodes to three
//! times its bytes, still give a QR code that reads back with the whole secret; no
//! `roster` command ends in a panic.
//! Item 16: on MySQL/MariaDB, whatever the server's global `sql_mode` holds, a `%`, `_` or
//! `\` typed in a search is that character, and the common operations still work.

use roster_core::{
    Actor, AuditQuery, DeviceDraft, DeviceOs, DeviceQuery, NewGroup, NewUser, Roster, Sort,
    SortDirection, SortField, Status, UserQuery, UserRef,
};
use roster_tests::{Server, TempDatabase, decode_base32, test_actor};
use serde_json::Value;
use std::process::{Command, Output};

// ---------------------------------------------------------------------------------------
// Item 12
// ---------------------------------------------------------------------------------------

/// `roster --json ARGS` on the database at `url`. No run may end the way a Rust panic
/// does (exit code 101, "panicked at" on stderr), whatever it is asked.
fn roster(url: &str, args: &[&str]) -> Output {
    let out = roster_tests::roster_command(url)
        .args(args)
        .output()
        .expect("run roster");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(101),
        "roster {args:?} panicked: {stderr}"
    );
    assert!(
        !stderr.contains("panicked at"),
        "roster {args:?} printed a panic: {stderr}"
    );
    out
}

/// The JSON a successful run printed.
fn succeeded(out: Output, what: &str) -> Value {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// `%XX` escapes back to the UTF-8 text they encode; the text must be whole characters.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("an escape is ASCII");
            out.push(u8::from_str_radix(hex, 16).expect("an escape is two hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("the URI never cuts a character in two")
}

/// Whether zbarimg (zbar-tools) is here to read the QR code back.
fn zbarimg_installed() -> bool {
    Command::new("zbarimg")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn item_12_long_unicode_names_never_panic() {
    let db = TempDatabase::sqlite();
    succeeded(roster(&db.url, &["db", "init"]), "db init");
    // CJK ideographs: letters to validation, 3 bytes of UTF-8 each and 9 characters once
    // percent-encoded, at the longest each field allows.
    let organization: String = ('\u{4E00}'..='\u{9FFF}').take(120).collect();
    let username: String = ('\u{6C34}'..='\u{9FFF}').take(64).collect();
    succeeded(
        roster(
            &db.url,
            &["settings", "set", "--organization-name", &organization],
        ),
        "settings set",
    );
    succeeded(
        roster(
            &db.url,
            &[
                "user",
                "add",
                "--email",
                "wang@example.org",
                "--first",
                "美",
                "--last",
                "王",
                "--username",
                &username,
                "--status",
                "active",
            ],
        ),
        "user add",
    );

    let png = db.dir.path().join("qr.png");
    let svg = db.dir.path().join("qr.svg");
    let reset = succeeded(
        roster(
            &db.url,
            &[
                "user",
                "reset-2fa",
                &username,
                "--qr-png",
                png.to_str().unwrap(),
                "--qr-svg",
                svg.to_str().unwrap(),
            ],
        ),
        "reset-2fa",
    );
    let uri = reset[0]["uri"].as_str().expect("the Key URI").to_owned();
    let key: String = reset[0]["key"]
        .as_str()
        .expect("the key")
        .split_whitespace()
        .collect();

    // otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER, shortened where it must be,
    // but with the whole secret and the same issuer in the label and the parameter.
    let rest = uri.strip_prefix("otpauth://totp/").expect(&uri);
    let (label, query) = rest.split_once('?').expect(&uri);
    let (label_issuer, account) = label.split_once(':').expect(&uri);
    let parameter = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} in {uri}"))
            .to_owned()
    };
    assert_eq!(parameter("secret"), key, "the whole secret is in the URI");
    assert_eq!(decode_base32(&key).unwrap().len(), 20, "a 160-bit secret");
    assert_eq!(parameter("issuer"), label_issuer, "{uri}");
    let issuer = percent_decoded(label_issuer);
    let account = percent_decoded(account);
    assert!(
        !issuer.is_empty() && organization.starts_with(&issuer),
        "the issuer is the start of the organization name: {issuer}"
    );
    assert!(
        !account.is_empty() && username.starts_with(&account),
        "the account is the start of the username: {account}"
    );

    let image = std::fs::read(&png).expect("the PNG was written");
    assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    let drawing = std::fs::read_to_string(&svg).expect("the SVG was written");
    assert!(drawing.contains("<svg"), "an SVG file");
    if zbarimg_installed() {
        let read = Command::new("zbarimg")
            .args(["--quiet", "--raw", png.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            read.status.success(),
            "zbarimg reads the QR code: {}",
            String::from_utf8_lossy(&read.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&read.stdout).trim(), uri);
    } else {
        eprintln!("zbarimg is not installed: the PNG was not decoded");
    }

    // The secret in the code is the one Roster keeps: its current code activates 2FA.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = roster_core::totp_code_at(&decode_base32(&key).unwrap(), now);
    succeeded(
        roster(
            &db.url,
            &["user", "activate-2fa", &username, "--code", &code],
        ),
        "activate-2fa",
    );
}

// ---------------------------------------------------------------------------------------
// Item 16
// ---------------------------------------------------------------------------------------

/// Modes that change how SQL text reads (backslashes in literals, double quotes, `||`,
/// spaces after function names) or what it may do (strictness, grouping, zero dates), as
/// a server's administrator might set them.
const HOSTILE_SQL_MODE: &str = "NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PIPES_AS_CONCAT,IGNORE_SPACE,\
     ONLY_FULL_GROUP_BY,STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,\
     ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_VALUE_ON_ZERO,REAL_AS_FLOAT";

/// MariaDB's own modes on top (MySQL refuses them): `''` read as NULL, assignments in an
/// `UPDATE` all from the old row, `NOT` binding tighter.
const HOSTILE_MARIADB_SQL_MODE: &str =
    "EMPTY_STRING_IS_NULL,SIMULTANEOUS_ASSIGNMENT,HIGH_NOT_PRECEDENCE";

fn mysql_admin_url() -> String {
    std::env::var(Server::MySql.url_env())
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// The server's global `sql_mode` made hostile for as long as this lives; the previous
/// value comes back on drop, also when the test fails. New connections take the global
/// value, so every connection Roster opens meanwhile starts in it.
struct GlobalSqlMode {
    previous: String,
}

impl GlobalSqlMode {
    /// Every hostile mode the server knows: [`HOSTILE_SQL_MODE`], and on MariaDB
    /// [`HOSTILE_MARIADB_SQL_MODE`] too.
    fn set_hostile() -> Self {
        let previous = roster_tests::on_own_runtime(async move {
            use sqlx::Connection;
            let mut admin = sqlx::MySqlConnection::connect(&mysql_admin_url())
                .await
                .expect("connect to the MySQL/MariaDB server");
            let (previous, version): (String, String) =
                sqlx::query_as("SELECT @@GLOBAL.sql_mode, VERSION()")
                    .fetch_one(&mut admin)
                    .await
                    .expect("read the global sql_mode");
            let mode = if version.contains("MariaDB") {
                format!("{HOSTILE_SQL_MODE},{HOSTILE_MARIADB_SQL_MODE}")
            } else {
                HOSTILE_SQL_MODE.to_owned()
            };
            sqlx::query("SET GLOBAL sql_mode = ?")
                .bind(mode)
                .execute(&mut admin)
                .await
                .expect("set the global sql_mode (needs SUPER or SYSTEM_VARIABLES_ADMIN)");
            previous
        });
        GlobalSqlMode { previous }
    }
}

impl Drop for GlobalSqlMode {
    fn drop(&mut self) {
        let previous = self.previous.clone();
        let restored = roster_tests::on_own_runtime(async move {
            use sqlx::Connection;
            let mut admin = sqlx::MySqlConnection::connect(&mysql_admin_url()).await?;
            sqlx::query("SET GLOBAL sql_mode = ?")
                .bind(previous)
                .execute(&mut admin)
                .await
                .map(|_| ())
        });
        if let Err(e) = restored {
            eprintln!(
                "could not restore the server's global sql_mode to '{}': {e}",
                self.previous
            );
        }
    }
}

/// A person whose name holds `last`, in `organization` if given.
fn person(username: &str, first: &str, last: &str, organization: Option<&str>) -> NewUser {
    NewUser {
        email: format!("{username}@example.org"),
        first_name: first.into(),
        last_name: last.into(),
        username: Some(username.into()),
        status: Some(Status::Active),
        organization: organization.map(str::to_owned),
        ..NewUser::default()
    }
}

async fn usernames_found(roster: &Roster, actor: &Actor, search: &str) -> Vec<String> {
    let page = roster
        .list_users(
            actor,
            &UserQuery {
                search: search.into(),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("search {search:?}: {e}"));
    let mut names: Vec<String> = page.users.into_iter().map(|u| u.username).collect();
    names.sort();
    names
}

async fn devices_found(roster: &Roster, actor: &Actor, search: &str) -> Vec<String> {
    let page = roster
        .list_devices(
            actor,
            &DeviceQuery {
                search: search.into(),
                ..DeviceQuery::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("device search {search:?}: {e}"));
    let mut names: Vec<String> = page.devices.into_iter().map(|d| d.name).collect();
    names.sort();
    names
}

#[tokio::test]
async fn item_16_mysql_sql_mode_keeps_search_literal() {
    let Some(db) = TempDatabase::on_server(Server::MySql) else {
        eprintln!("ROSTER_SKIP_SERVER_TESTS=1: item 16 needs a MySQL/MariaDB server");
        return;
    };
    // Declared after the database, so dropped before it: the server's own mode is back
    // before the test database is dropped, and as soon as the test ends.
    let _hostile = GlobalSqlMode::set_hostile();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();

    let lab = "R&D \"Lab\" 100%";
    for (username, first, last, organization) in [
        ("pct", "Fifty", "50% off", Some(lab)),
        ("fifty", "Five", "500 off", None),
        ("und", "Under", "a_b", Some(lab)),
        ("axb", "Axe", "axb", None),
        ("bsl", "Back", "C:\\Temp\\x", None),
        ("quo", "O'Brien", "\"Quoted\" Name", None),
        ("plain", "Plain", "Person", None),
    ] {
        roster
            .add_user(&actor, person(username, first, last, organization))
            .await
            .unwrap_or_else(|e| panic!("add {username}: {e}"));
    }

    // The users list's search: each character is itself, never a wildcard or an escape.
    for (search, expected) in [
        ("%", vec!["pct"]),
        ("_", vec!["und"]),
        ("\\", vec!["bsl"]),
        ("a_b", vec!["und"]),
        ("50%", vec!["pct"]),
        ("'", vec!["quo"]),
        ("\"quoted\"", vec!["quo"]),
        ("c:\\temp", vec!["bsl"]),
    ] {
        assert_eq!(
            usernames_found(&roster, &actor, search).await,
            expected,
            "users search {search:?}"
        );
    }
    let counted = roster
        .count_users(
            &actor,
            &UserQuery {
                search: "_".into(),
                ..UserQuery::default()
            },
            Some(10_000),
        )
        .await
        .unwrap();
    assert_eq!(counted.n, 1, "the count agrees with the list");
    assert!(!counted.more);

    // Sorting and filtering.
    let sorted = roster
        .list_users(
            &actor,
            &UserQuery {
                sort: Sort {
                    field: SortField::LastName,
                    direction: SortDirection::Desc,
                },
                statuses: vec![Status::Active],
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(sorted.total, 7);
    assert_eq!(sorted.users.len(), 7);
    let in_lab = roster
        .list_users(
            &actor,
            &UserQuery {
                organization: Some(lab.into()),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    let mut lab_members: Vec<String> = in_lab.users.into_iter().map(|u| u.username).collect();
    lab_members.sort();
    assert_eq!(lab_members, ["pct", "und"], "filtered by an organization");

    // Groups.
    let group = roster
        .add_group(
            &actor,
            NewGroup {
                name: "Ops_50% \"core\" \\ team".into(),
                description: "it's a test".into(),
                organization: None,
            },
        )
        .await
        .unwrap();
    let added = roster
        .add_members(
            &actor,
            group.id,
            &[
                UserRef::Username("pct".into()),
                UserRef::Username("bsl".into()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(added, 2);
    let groups = roster.list_groups(&actor).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "Ops_50% \"core\" \\ team");
    assert_eq!(groups[0].member_count, 2);

    // Devices and their search (name, serial, model, owner).
    for name in ["print 50%", "desk_1", "deskx1", "C:\\share"] {
        roster
            .add_device(
                &actor,
                &UserRef::Username("plain".into()),
                &DeviceDraft {
                    name: name.into(),
                    os: DeviceOs::Linux,
                    model: String::new(),
                    serial: String::new(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("add device {name}: {e}"));
    }
    for (search, expected) in [
        ("%", vec!["print 50%"]),
        ("_", vec!["desk_1"]),
        ("\\", vec!["C:\\share"]),
        ("k_1", vec!["desk_1"]),
        ("50%", vec!["print 50%"]),
    ] {
        assert_eq!(
            devices_found(&roster, &actor, search).await,
            expected,
            "device search {search:?}"
        );
    }

    // The audit trail's search, against what its entries literally hold: the target's
    // name or the changes as stored (JSON), lower-cased.
    let everything = roster
        .audit(
            &actor,
            &AuditQuery {
                limit: 1000,
                ..AuditQuery::default()
            },
        )
        .await
        .unwrap();
    for search in ["%", "_", "\\", "a_b", "50%"] {
        let holds = |text: &str| text.to_lowercase().contains(search);
        let expected: Vec<i64> = everything
            .iter()
            .filter(|e| holds(&e.target.name) || holds(&serde_json::to_string(&e.changes).unwrap()))
            .map(|e| e.id)
            .collect();
        assert!(!expected.is_empty(), "some entry holds {search:?}");
        let found: Vec<i64> = roster
            .audit(
                &actor,
                &AuditQuery {
                    text: Some(search.into()),
                    limit: 1000,
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("audit search {search:?}: {e}"))
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(found, expected, "audit search {search:?}");
    }

    // The overview, the filters' values, an export and the audit chain.
    let overview = roster.overview(&actor, None).await.unwrap();
    assert_eq!(overview.total, 7);
    let facets = roster.facets(&actor).await.unwrap();
    assert!(facets.organizations.iter().any(|o| o == lab), "{facets:?}");
    let mut exported = Vec::new();
    let written = roster
        .export_users(&actor, &UserQuery::default(), &mut |user| {
            exported.push(user.last_name.clone());
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(written, 7);
    assert!(exported.contains(&"C:\\Temp\\x".to_owned()), "{exported:?}");
    let report = roster.verify_audit(&actor, None).await.unwrap();
    assert!(report.problem.is_none(), "{}", report.summary());
}
