//! Backups of a SQLite directory: taken while others write, checked, rotated, and restored
//! only from a backup that passes its checks, by an account that may undo anything.

use roster_core::{
    Actor, ErrorCode, NewUser, Permission, Rights, Roster, Rotation, Settings, SettingsPatch,
    UserId, UserQuery, UserRef, built_in_permissions,
};
use roster_tests::{TempDatabase, on_own_runtime, seed, test_actor};
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

async fn open(url: &str) -> roster_store::Database {
    roster_store::Database::open(url, roster_store::OpenMode::CreateIfMissing)
        .await
        .unwrap()
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

/// The drill the issue asks for: a directory written by several writers, a backup taken
/// while they write, the file then lost; restoring the newest backup brings back
/// everything written up to it, and its audit chain verifies.
#[test]
fn a_lost_database_comes_back_from_its_newest_backup() {
    for loss in ["truncated", "deleted"] {
        on_own_runtime(async move {
            let db = TempDatabase::sqlite();
            let clock = std::sync::Arc::new(roster_core::FixedClock::new(
                "2026-01-01T09:00:00Z".parse().unwrap(),
            ));
            let database = open(&db.url).await;
            let first = Roster::new(database.repository(), clock.clone());
            first.add_user(&test_actor(), person(0)).await.unwrap();
            // Three workstations writing at once, each through its own connections.
            let writers: Vec<_> = (1..=3)
                .map(|w| {
                    let url = db.url.clone();
                    tokio::spawn(async move {
                        let database = open(&url).await;
                        let roster = Roster::new(
                            database.repository(),
                            std::sync::Arc::new(roster_core::SystemClock),
                        );
                        for n in 0..20 {
                            roster
                                .add_user(&test_actor(), person(w * 100 + n))
                                .await
                                .unwrap();
                            tokio::time::sleep(Duration::from_millis(2)).await;
                        }
                        database.close().await;
                    })
                })
                .collect();
            // Taken while they write: a snapshot of some moment, whole.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let during = first.back_up(&test_actor(), None).await.unwrap();
            assert!(during.chain.problem.is_none(), "{:?}", during.chain);
            for writer in writers {
                writer.await.unwrap();
            }
            clock.advance(chrono::Duration::hours(1));
            let newest = first.back_up(&test_actor(), None).await.unwrap();
            assert_eq!(newest.users, 61, "{loss}");
            let backed_up = usernames(&first).await;
            // Written after the newest backup: lost with the file.
            first.add_user(&test_actor(), person(999)).await.unwrap();
            let folder = first.backup_folder(&test_actor()).await.unwrap();
            assert_eq!(folder, db.dir.path().join("backups"));
            drop(first);
            // Closed, as the app and the CLI are when the disk fails or the file is deleted.
            database.close().await;

            match loss {
                "truncated" => std::fs::File::options()
                    .write(true)
                    .open(db.path())
                    .unwrap()
                    .set_len(0)
                    .unwrap(),
                _ => std::fs::remove_file(db.path()).unwrap(),
            }
            for sidecar in ["roster.db-wal", "roster.db-shm"] {
                std::fs::remove_file(db.dir.path().join(sidecar)).ok();
            }

            // The app opens an empty directory there; restoring fills it.
            let (roster, clock) = db.roster().await;
            clock.advance(chrono::Duration::hours(2));
            let file = folder.join(&newest.file.name);
            let shown = roster.inspect_backup(&test_actor(), &file).await.unwrap();
            assert_eq!(shown.users, 61);
            assert!(
                shown.last_entry.is_some(),
                "the backup's last change is shown"
            );
            let restored = roster.restore_backup(&test_actor(), &file).await.unwrap();
            assert_eq!(restored.from, shown, "{loss}");
            assert_eq!(usernames(&roster).await, backed_up, "{loss}");
            assert!(!backed_up.iter().any(|u| u.contains("person999")));

            let chain = roster.verify_audit(&test_actor(), None).await.unwrap();
            assert_eq!(chain.problem, None, "{loss}: {}", chain.summary());
            let restore = roster
                .audit(
                    &test_actor(),
                    &roster_core::AuditQuery {
                        action: Some("backup.restore".into()),
                        limit: 10,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!(restore.len(), 1, "the restore is in the restored log");
            assert_eq!(restore[0].target.name, newest.file.name);
            // What was there before (here: the empty directory) is kept aside, and listed.
            let listed = roster.backups(&test_actor()).await.unwrap();
            assert!(
                listed.iter().any(|b| b == &restored.kept_aside),
                "{listed:?}"
            );
        });
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
        let backups = roster.backups(&test_actor()).await.unwrap();
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
        let good = roster.back_up(&test_actor(), None).await.unwrap();
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
            .restore_backup(&test_actor(), &edited)
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
                .restore_backup(&test_actor(), file)
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
        let backup = roster.back_up(&test_actor(), None).await.unwrap();
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
            .restore_backup(&settings_admin, &file)
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
            .restore_backup(&scoped_owner, &file)
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
        roster.restore_backup(&owner, &file).await.unwrap();
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
                roster.back_up(&test_actor(), None).await.unwrap_err(),
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
