//! Backups of a SQLite directory: taken while others write, checked, rotated, and restored
//! only from a backup that passes its checks, by an account that may undo anything.

use roster_core::{
    Actor, ErrorCode, NewUser, Permission, Rights, Roster, Rotation, Settings, SettingsPatch,
    StatusAction, SystemClock, UserId, UserQuery, UserRef, built_in_permissions,
};
use roster_tests::{TempDatabase, on_own_runtime, roster_command, seed, test_actor};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

fn person(n: usize) -> NewUser {
    NewUser {
        email: format!("person{n}@example.org"),
        first_name: format!("Person{n}"),
        last_name: "Drill".into(),
        ..NewUser::default()
    }
}

async fn usernames(roster: &Roster) -> Vec<String> {
    let query = UserQuery {
        limit: 1_000,
        ..UserQuery::default()
    };
    let mut names: Vec<String> = roster
        .list_users(&test_actor(), &query)
        .await
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.username)
        .collect();
    names.sort();
    names
}

fn account(role: &str, permissions: Vec<Permission>) -> Actor {
    Actor {
        rights: Rights::Account {
            user: UserId(99),
            role: role.into(),
            permissions,
            scope: None,
        },
        ..test_actor()
    }
}

/// Runs `roster --json ARGS` on the database and returns its answer, failing on an error.
fn roster(db: &TempDatabase, args: &[&str]) -> Value {
    roster_at(&db.url, args)
}

fn roster_at(url: &str, args: &[&str]) -> Value {
    let out = roster_command(url).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "roster {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A user added after the backup a test restores: the restore takes them away.
fn add_late_user(db: &TempDatabase) {
    roster(
        db,
        &[
            "user",
            "add",
            "--email",
            "late@example.org",
            "--first",
            "L",
            "--last",
            "Ate",
        ],
    );
}

fn emails(db: &TempDatabase) -> Vec<String> {
    emails_at(&db.url)
}

fn emails_at(url: &str) -> Vec<String> {
    let page = roster_at(url, &["user", "list", "--limit", "1000"]);
    let mut emails: Vec<String> = page["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect();
    emails.sort();
    emails
}

/// The drill the issue asks for: a directory written by several workstations at once, a
/// backup taken while they write, then the file lost (deleted, emptied, or cut in half by a
/// failing disk); restoring the newest backup brings back everything written up to it, and
/// its audit chain verifies.
#[test]
fn a_lost_or_damaged_database_comes_back_from_its_newest_backup() {
    for loss in ["deleted", "emptied", "cut in half"] {
        let db = TempDatabase::sqlite();
        roster(&db, &["db", "init"]);
        let writers: Vec<_> = (1..=3)
            .map(|w| {
                let db_url = db.url.clone();
                std::thread::spawn(move || {
                    for n in 0..8 {
                        let email = format!("w{w}n{n}@example.org");
                        let last = format!("N{n}");
                        roster_at(
                            &db_url,
                            &[
                                "user", "add", "--email", &email, "--first", "W", "--last", &last,
                            ],
                        );
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(150));
        let during = roster(&db, &["db", "backup"]);
        assert_eq!(during["chain"]["problem"], Value::Null, "{during}");
        for writer in writers {
            writer.join().unwrap();
        }
        let newest = roster(&db, &["db", "backup"]);
        assert_eq!(newest["users"], 24, "{loss}: {newest}");
        let backed_up = emails(&db);
        // Written after the newest backup: lost with the file.
        add_late_user(&db);

        let file = db.path();
        match loss {
            "deleted" => std::fs::remove_file(&file).unwrap(),
            "emptied" => std::fs::File::options()
                .write(true)
                .open(&file)
                .unwrap()
                .set_len(0)
                .unwrap(),
            _ => {
                let len = std::fs::metadata(&file).unwrap().len();
                std::fs::File::options()
                    .write(true)
                    .open(&file)
                    .unwrap()
                    .set_len(len / 2)
                    .unwrap();
            }
        }
        let name = newest["file"]["name"].as_str().unwrap();
        let backup = db.dir.path().join("backups").join(name);
        // Not confirmed: refused before anything is touched, a damaged file included.
        let unconfirmed = roster_command(&db.url)
            .args(["db", "restore", backup.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!unconfirmed.status.success(), "{loss}");
        assert_eq!(
            file.exists(),
            loss != "deleted",
            "{loss}: the file is where it was"
        );
        let restored = roster(&db, &["db", "restore", backup.to_str().unwrap(), "--yes"]);
        assert_eq!(restored["from"]["users"], 24, "{loss}: {restored}");
        assert_eq!(emails(&db), backed_up, "{loss}");
        let chain = roster(&db, &["audit", "verify"]);
        assert_eq!(chain["problem"], Value::Null, "{loss}: {chain}");
        let restores = roster(&db, &["audit", "list", "--action", "backup.restore"]);
        assert_eq!(restores.as_array().unwrap().len(), 1, "{loss}: {restores}");
        let kept_damaged = std::fs::read_dir(db.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().contains(".damaged-"));
        assert_eq!(
            kept_damaged,
            loss == "cut in half",
            "{loss}: a damaged file is kept aside"
        );
    }
}

#[test]
fn backups_are_private_checked_and_rotated() {
    on_own_runtime(async {
        let db = TempDatabase::sqlite();
        let (roster, clock) = db.roster().await;
        seed::seed(&roster, &test_actor(), 0, 30).await.unwrap();
        roster
            .update_settings(
                &test_actor(),
                &SettingsPatch {
                    backups_keep: Some(Rotation {
                        daily: 3,
                        weekly: 0,
                        monthly: 0,
                    }),
                    ..SettingsPatch::default()
                },
            )
            .await
            .unwrap();
        // Automatic: due at once (none yet), then not again for a day.
        let first = roster.back_up_if_due(false).await.unwrap();
        assert!(first.is_some());
        assert_eq!(roster.back_up_if_due(false).await.unwrap(), None);
        // Closing: only when something was written since.
        clock.advance(chrono::Duration::minutes(5));
        assert_eq!(roster.back_up_if_due(true).await.unwrap(), None);
        roster.add_user(&test_actor(), person(1)).await.unwrap();
        clock.advance(chrono::Duration::minutes(5));
        assert!(roster.back_up_if_due(true).await.unwrap().is_some());
        for _ in 0..5 {
            clock.advance(chrono::Duration::days(1));
            assert!(roster.back_up_if_due(false).await.unwrap().is_some());
        }
        let backups = roster.backups(&test_actor()).await.unwrap().backups;
        assert_eq!(backups.len(), 3, "three days kept: {backups:?}");
        let days: std::collections::BTreeSet<_> =
            backups.iter().map(|b| b.taken_at.date_naive()).collect();
        assert_eq!(days.len(), 3);

        let folder = db.dir.path().join("backups");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&folder), 0o700);
            for backup in &backups {
                assert_eq!(mode(&folder.join(&backup.name)), 0o600, "{}", backup.name);
            }
        }
        // Nothing but the backups is left in the folder (no unfinished copies).
        let files = std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(files, 3);

        // Automatic backups off: none, however long since the last.
        roster
            .update_settings(
                &test_actor(),
                &SettingsPatch {
                    backups_automatic: Some(false),
                    ..SettingsPatch::default()
                },
            )
            .await
            .unwrap();
        clock.advance(chrono::Duration::days(3));
        assert_eq!(roster.back_up_if_due(false).await.unwrap(), None);
    });
}

#[test]
fn a_backup_that_fails_its_checks_is_never_restored() {
    on_own_runtime(async {
        let db = TempDatabase::sqlite();
        let (roster, _) = db.roster().await;
        seed::seed(&roster, &test_actor(), 0, 20).await.unwrap();
        let good = roster.back_up(&test_actor(), None, None).await.unwrap();
        let folder = roster.backup_folder(&test_actor()).await.unwrap();
        let before = usernames(&roster).await;

        // Someone who can write the backup rewrites a line of its audit trail.
        let edited = db.dir.path().join("edited.db");
        std::fs::copy(folder.join(&good.file.name), &edited).unwrap();
        let raw = sqlx::SqlitePool::connect(&roster_store::sqlite_url(&edited))
            .await
            .unwrap();
        sqlx::query(
            "UPDATE audit_log SET actor = 'nobody' WHERE id = (SELECT min(id) FROM audit_log)",
        )
        .execute(&raw)
        .await
        .unwrap();
        raw.close().await;
        let refused = roster
            .restore_backup(&test_actor(), &edited, None)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Io, "{refused}");
        assert!(refused.to_string().contains("fails its check"), "{refused}");

        // A file cut short, and one that is no database at all.
        let torn = db.dir.path().join("torn.db");
        let bytes = std::fs::read(folder.join(&good.file.name)).unwrap();
        std::fs::write(&torn, &bytes[..bytes.len() / 2]).unwrap();
        let notes = db.dir.path().join("notes.db");
        std::fs::write(&notes, "not a database").unwrap();
        for file in [&torn, &notes, &db.dir.path().join("missing.db")] {
            let refused = roster
                .restore_backup(&test_actor(), file, None)
                .await
                .unwrap_err();
            assert_eq!(
                refused.code(),
                ErrorCode::Io,
                "{}: {refused}",
                file.display()
            );
        }
        assert_eq!(usernames(&roster).await, before, "nothing changed");
        let chain = roster.verify_audit(&test_actor(), None).await.unwrap();
        assert_eq!(chain.problem, None);
    });
}

#[test]
fn only_an_account_holding_every_right_may_restore_or_move_backups() {
    on_own_runtime(async {
        let db = TempDatabase::sqlite();
        let (roster, _) = db.roster().await;
        seed::seed(&roster, &test_actor(), 0, 5).await.unwrap();
        let backup = roster.back_up(&test_actor(), None, None).await.unwrap();
        let file = roster
            .backup_named(&test_actor(), &backup.file.name)
            .await
            .unwrap();
        // An admin who may change settings but not roles: a backup from the days they
        // were an Owner would give them back what was taken away.
        let settings_admin = account(
            "settings-admin",
            Permission::ALL
                .into_iter()
                .filter(|p| *p != Permission::ManageRoles)
                .collect(),
        );
        let refused = roster
            .restore_backup(&settings_admin, &file, None)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Forbidden, "{refused}");
        assert!(refused.to_string().contains("manage roles"), "{refused}");
        let scoped_owner = Actor {
            rights: Rights::Account {
                user: UserId(98),
                role: "owner".into(),
                permissions: Permission::ALL.to_vec(),
                scope: Some(vec![]),
            },
            ..test_actor()
        };
        let refused = roster
            .restore_backup(&scoped_owner, &file, None)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Forbidden, "{refused}");
        for patch in [
            SettingsPatch {
                backups_folder: Some("/tmp/everyone-reads-this".into()),
                ..SettingsPatch::default()
            },
            SettingsPatch {
                backups_automatic: Some(false),
                ..SettingsPatch::default()
            },
        ] {
            let refused = roster
                .update_settings(&settings_admin, &patch)
                .await
                .unwrap_err();
            assert_eq!(refused.code(), ErrorCode::Forbidden, "{refused}");
        }
        assert_eq!(
            roster.settings(&test_actor()).await.unwrap().backups,
            Settings::default().backups
        );
        // The rest of the settings stay theirs to change.
        roster
            .update_settings(
                &settings_admin,
                &SettingsPatch {
                    session_idle_minutes: Some(30),
                    ..SettingsPatch::default()
                },
            )
            .await
            .unwrap();
        // A helpdesk account may not even look at backups.
        let helpdesk = account("helpdesk", built_in_permissions("helpdesk").unwrap());
        let refused = roster.backups(&helpdesk).await.unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Forbidden);
        // A name from the window never reaches outside the backups folder.
        for name in ["../roster.db", "/etc/passwd", "roster.db"] {
            let refused = roster.backup_named(&test_actor(), name).await.unwrap_err();
            assert_eq!(refused.code(), ErrorCode::Validation, "{name}");
        }
        // Whoever holds every right restores: what was added since is gone.
        let added = roster.add_user(&test_actor(), person(7)).await.unwrap();
        let owner = account("owner", built_in_permissions("owner").unwrap());
        roster.restore_backup(&owner, &file, None).await.unwrap();
        let gone = roster
            .find_user(&test_actor(), &UserRef::Id(added.id))
            .await
            .unwrap_err();
        assert_eq!(gone.code(), ErrorCode::NotFound);
    });
}

#[test]
fn a_server_directory_is_backed_up_on_the_server() {
    for db in TempDatabase::every_backend()
        .into_iter()
        .filter(|db| db.backend() != "sqlite")
    {
        on_own_runtime(async move {
            let (roster, _) = db.roster().await;
            for refused in [
                roster.back_up(&test_actor(), None, None).await.unwrap_err(),
                roster.backups(&test_actor()).await.unwrap_err(),
            ] {
                assert_eq!(refused.code(), ErrorCode::Forbidden, "{}", db.backend());
                let tool = match db.backend() {
                    "postgres" => "pg_dump",
                    _ => "mariadb-dump",
                };
                assert!(refused.to_string().contains(tool), "{refused}");
            }
            assert_eq!(roster.back_up_if_due(false).await.unwrap(), None);
        });
    }
}

/// Sessions hold the account generation they were checked at; a status, role or password
/// change moves it and so ends them. A restore (as any copy) keeps it, so a session ended
/// by such a change never holds again.
#[test]
fn a_restore_keeps_what_ended_sessions() {
    on_own_runtime(async {
        let db = TempDatabase::sqlite();
        let (roster, _) = db.roster().await;
        let user = roster.add_user(&test_actor(), person(1)).await.unwrap();
        roster
            .change_status(
                &test_actor(),
                &[UserRef::Id(user.id)],
                StatusAction::Suspend,
            )
            .await
            .unwrap();
        let generation = || async {
            let raw = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            let found: i64 =
                sqlx::query_scalar("SELECT session_generation FROM users WHERE id = ?")
                    .bind(user.id.0)
                    .fetch_one(&raw)
                    .await
                    .unwrap();
            raw.close().await;
            found
        };
        let before = generation().await;
        assert!(before > 0, "a suspension moves the generation");
        let backup = roster.back_up(&test_actor(), None, None).await.unwrap();
        let file = roster
            .backup_named(&test_actor(), &backup.file.name)
            .await
            .unwrap();
        roster
            .restore_backup(&test_actor(), &file, None)
            .await
            .unwrap();
        assert_eq!(generation().await, before);
    });
}

/// `roster --json ARGS` with `input` on standard input: whether it succeeded, and its
/// answer or its error.
fn roster_with_input(db: &TempDatabase, args: &[&str], input: &str) -> (bool, Value) {
    use std::io::Write;
    let mut child = roster_command(&db.url)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let answer = if out.status.success() {
        serde_json::from_slice(&out.stdout).unwrap()
    } else {
        let refused: Value = serde_json::from_slice(&out.stderr)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        refused["error"].clone()
    };
    (out.status.success(), answer)
}

/// The standard `age` tool decrypts `file` into `to`, the passphrase typed at the terminal
/// it insists on (a pseudo-terminal from `script`). Whether it succeeded.
fn age_decrypts(file: &Path, to: &Path, passphrase: &str) -> bool {
    use std::io::Write;
    let command = format!("age -d -o '{}' '{}'", to.display(), file.display());
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("script (util-linux) runs age on a terminal: {e}"));
    // Kept open until age is done: `script` ends the session when its input does.
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(format!("{passphrase}\n").as_bytes())
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        assert!(std::time::Instant::now() < deadline, "age did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A copy for elsewhere, encrypted with a passphrase: nothing of the directory is readable
/// in it, no plain copy is left anywhere, it restores only with its passphrase (refused
/// before anything changes otherwise), and the standard `age` tool opens it too.
#[test]
fn an_encrypted_copy_opens_with_its_passphrase_and_the_age_tool() {
    let db = TempDatabase::sqlite();
    roster(&db, &["db", "init"]);
    let url = db.url.clone();
    on_own_runtime(async move {
        let database = roster_store::Database::open(&url, roster_store::OpenMode::MustExist)
            .await
            .unwrap();
        let roster = Roster::new(database.repository(), std::sync::Arc::new(SystemClock));
        seed::seed(&roster, &test_actor(), 0, 12).await.unwrap();
        database.close().await;
    });
    let backed_up = emails(&db);
    let away = tempfile::tempdir().unwrap();
    let file = away.path().join("roster.db.age");
    let file_arg = file.to_str().unwrap();
    let passphrase = "staple battery horse correct";

    let (ok, short) =
        roster_with_input(&db, &["db", "backup", file_arg, "--encrypt"], "too short\n");
    assert!(
        !ok && short["fields"][0]["field"] == "passphrase",
        "{short}"
    );
    assert!(!file.exists());
    let (ok, taken) = roster_with_input(
        &db,
        &["db", "backup", file_arg, "--encrypt"],
        &format!("{passphrase}\n"),
    );
    assert!(ok, "{taken}");
    assert_eq!(taken["users"], 12, "{taken}");
    assert_eq!(taken["chain"]["problem"], Value::Null, "{taken}");
    let sealed = std::fs::read(&file).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    let text = String::from_utf8_lossy(&sealed);
    assert!(!text.contains("SQLite format 3"));
    assert!(backed_up.iter().all(|email| !text.contains(email.as_str())));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let names = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(away.path()),
        ["roster.db.age"],
        "no plain copy beside it"
    );
    let beside_database = names(db.dir.path());
    assert!(
        beside_database.iter().all(|n| !n.contains(".restore-")),
        "no plain working copy left: {beside_database:?}"
    );

    add_late_user(&db);
    let changed = emails(&db);
    for (input, expect) in [
        ("", "is encrypted: give the passphrase"),
        ("not the passphrase at all\n", "does not open"),
    ] {
        let (ok, refused) = roster_with_input(&db, &["db", "restore", file_arg, "--yes"], input);
        assert!(!ok, "{refused}");
        assert!(
            refused["fields"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains(expect)),
            "{refused}"
        );
        assert_eq!(emails(&db), changed, "a refused restore changes nothing");
    }
    let (ok, restored) = roster_with_input(
        &db,
        &["db", "restore", file_arg, "--yes"],
        &format!("{passphrase}\n"),
    );
    assert!(ok, "{restored}");
    assert_eq!(emails(&db), backed_up);

    let plain = away.path().join("opened-by-age.db");
    assert!(!age_decrypts(&file, &plain, "a wrong passphrase"));
    assert!(age_decrypts(&file, &plain, passphrase), "age -d opens it");
    assert_eq!(
        emails_at(&roster_store::sqlite_url(&plain)),
        backed_up,
        "what age opened is the directory"
    );
}
