//! Many admins on one server at once. While one admin's import holds its transaction open,
//! others' writes to other users commit at once; a write held up on a row the import holds
//! ends in seconds with a clear error and nothing half-written; two names that look alike
//! written at the same moment are not both let in; two admins who each take away one of
//! the last two Owners at the same moment do not leave the directory without one; the
//! audit trail stays intact.
//!
//! Each database has its own Roster per admin (its own connection pool), as separate
//! workstations do. The import runs on a thread of its own, reading from a file that
//! stalls after its first batch until the test lets it go on.

use roster_core::{
    Error, ErrorCode, ImportOptions, ImportRow, NewUser, Roster, RowProblem, Status, StatusAction,
    User, UserPatch, UserRef,
};
use roster_csv::ReadOptions;
use roster_tests::{TempDatabase, on_own_runtime, test_actor, user_count};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longer than any wait Roster allows a writer on a row; a write that takes this long was
/// waiting for the import.
const PATIENCE: Duration = Duration::from_secs(20);

/// Rows the import checks and writes before its file stalls (its first batch).
const FIRST_BATCH: usize = 500;

async fn roster(db: &TempDatabase) -> Roster {
    db.roster().await.0
}

fn person(n: usize) -> NewUser {
    NewUser {
        email: format!("person{n}@example.org"),
        first_name: "Person".into(),
        last_name: format!("Number {n}"),
        ..NewUser::default()
    }
}

/// An import of `csv` that writes its first batch, tells `written`, then waits for `go`
/// before reading on; its report or error comes back when it ends.
struct StalledImport {
    written: mpsc::Receiver<()>,
    go: mpsc::Sender<()>,
    done: std::thread::JoinHandle<Result<roster_core::ImportReport, Error>>,
}

impl StalledImport {
    fn start(url: String, csv: String) -> StalledImport {
        let (written_tx, written) = mpsc::channel();
        let (go, go_rx) = mpsc::channel::<()>();
        let done = std::thread::spawn(move || {
            on_own_runtime(async move {
                let database =
                    roster_store::Database::open(&url, roster_store::OpenMode::MustExist)
                        .await
                        .expect("open the database for the import");
                let roster = Roster::new(
                    database.repository(),
                    std::sync::Arc::new(roster_core::SystemClock),
                );
                let sheet = roster_csv::open(csv.as_bytes(), &ReadOptions::default()).unwrap();
                let rows: Vec<Result<ImportRow, RowProblem>> = sheet.rows().collect();
                let stalled = rows.into_iter().enumerate().map(move |(n, row)| {
                    if n == FIRST_BATCH {
                        // The file stalls here (a slow share, a huge file): the import's
                        // first batch is written and its transaction stays open.
                        go_rx.recv().ok();
                    }
                    row
                });
                let mut batches = 0;
                roster
                    .import_users(
                        &test_actor(),
                        stalled,
                        &ImportOptions {
                            upsert: true,
                            ..ImportOptions::default()
                        },
                        &mut |_| {
                            batches += 1;
                            if batches == 1 {
                                written_tx.send(()).ok();
                            }
                        },
                    )
                    .await
            })
        });
        StalledImport { written, go, done }
    }

    fn wait_until_written(&self) {
        self.written
            .recv_timeout(PATIENCE)
            .expect("the import wrote its first batch");
    }

    fn finish(self) -> roster_core::ImportReport {
        self.go.send(()).ok();
        self.done
            .join()
            .expect("the import thread")
            .expect("the import")
    }
}

/// A file of `n` new people, the first row updating `first` (an existing user) instead.
fn import_file(first: &str, n: usize) -> String {
    let mut csv = String::from("email,first_name,last_name\n");
    csv.push_str(&format!("{first},Ada,Imported\n"));
    for i in 1..n {
        csv.push_str(&format!("import{i}@example.org,Imported,Number {i}\n"));
    }
    csv
}

async fn timed<T>(work: impl std::future::Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let out = tokio::time::timeout(PATIENCE, work)
        .await
        .unwrap_or_else(|_| panic!("still waiting after {PATIENCE:?}"));
    (out, started.elapsed())
}

async fn others_write_while_an_import_is_open(db: TempDatabase) {
    let actor = test_actor();
    let first = roster(&db).await;
    for n in 0..3 {
        first.add_user(&actor, person(n)).await.unwrap();
    }
    let import = StalledImport::start(db.url.clone(), import_file("person0@example.org", 1_200));
    import.wait_until_written();

    // Two admins at other workstations, each on a user the import does not touch.
    let (grace, linus) = (roster(&db).await, roster(&db).await);
    let rename = UserPatch {
        last_name: Some("Hopper".into()),
        ..UserPatch::default()
    };
    let (person1, person2) = (
        UserRef::Email("person1@example.org".into()),
        [UserRef::Email("person2@example.org".into())],
    );
    let ((edited, suspended), took) = timed(async {
        tokio::join!(
            grace.edit_user(&actor, &person1, rename, None),
            linus.change_status(&actor, &person2, StatusAction::Suspend),
        )
    })
    .await;
    let edited = edited.expect("the edit commits while the import is open");
    suspended.expect("the suspension commits while the import is open");
    assert_eq!(edited.last_name, "Hopper");
    assert!(
        took < Duration::from_secs(2),
        "two writes on users the import does not touch took {took:?} on {}",
        db.backend()
    );

    // The user the import updated is held until it commits: the edit gives up in seconds.
    let held = UserPatch {
        first_name: Some("Augusta".into()),
        ..UserPatch::default()
    };
    let (refused, took) = timed(grace.edit_user(
        &actor,
        &UserRef::Email("person0@example.org".into()),
        held,
        None,
    ))
    .await;
    let refused = refused.expect_err("a write on a user the import holds is refused");
    assert_eq!(refused.code(), ErrorCode::Busy, "{refused}");
    assert!(
        refused.to_string().contains("try again"),
        "the message says what to do: {refused}"
    );
    assert!(took < Duration::from_secs(10), "gave up after {took:?}");

    let report = import.finish();
    assert_eq!(report.created, 1_199, "{report:?}");
    let person0 = first
        .find_user(&actor, &UserRef::Email("person0@example.org".into()))
        .await
        .unwrap();
    assert_eq!(
        (person0.first_name.as_str(), person0.last_name.as_str()),
        ("Ada", "Imported"),
        "the refused edit left nothing behind"
    );
    assert_eq!(user_count(&first).await, 1_202);
    let report = first.verify_audit(&actor, None).await.unwrap();
    assert!(report.problem.is_none(), "{}", report.summary());
    assert_eq!(report.pending, 0, "every committed entry is chained");
    // 3 added, 1,200 imported (one an update) + the import's summary, an edit, a suspension.
    assert!(report.entries >= 3 + 1_200 + 2, "{}", report.summary());
}

async fn lookalikes_written_at_once_are_refused(db: TempDatabase) {
    let actor = test_actor();
    let first = roster(&db).await;
    first.add_user(&actor, person(0)).await.unwrap();
    let csv = import_file("person0@example.org", FIRST_BATCH + 10);
    // The lookalike is in the first batch: written, not yet committed.
    let csv = csv.replacen("import1@example.org", "paypal-ops@example.org", 1);
    let import = StalledImport::start(db.url.clone(), csv);
    import.wait_until_written();

    let second = roster(&db).await;
    let lookalike = NewUser {
        // Cyrillic а in place of the Latin a.
        email: "p\u{430}ypal-ops@example.org".into(),
        first_name: "Not".into(),
        last_name: "Paypal".into(),
        ..NewUser::default()
    };
    let adding = tokio::spawn(async move { second.add_user(&test_actor(), lookalike).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let report = import.finish();
    assert!(report.created > FIRST_BATCH as u64, "{report:?}");
    let refused = timed(adding)
        .await
        .0
        .unwrap()
        .expect_err("a name that looks like one written at the same moment is refused");
    assert_eq!(refused.code(), ErrorCode::Conflict, "{refused}");
    assert!(refused.to_string().contains("looks like"), "{refused}");
}

/// Another transaction holds one of two users a bulk suspension takes, then asks for the
/// other, which the suspension already holds: a deadlock. The database ends the suspension
/// (PostgreSQL: the first waiter checks first; InnoDB: the transaction that changed less),
/// which runs again once the other is done, and succeeds.
async fn a_deadlocks_victim_runs_again(db: TempDatabase) {
    use sqlx::{Acquire, Executor};
    let actor = test_actor();
    let roster = roster(&db).await;
    let a = roster.add_user(&actor, person(1)).await.unwrap();
    let b = roster.add_user(&actor, person(2)).await.unwrap();
    // Changes the rows behind Roster's back without a new version (which would refuse the
    // retry); changed, not only locked, so InnoDB weighs this transaction the larger.
    let hold = |id: i64| format!("UPDATE users SET phone = '+1 555 0{id}' WHERE id = {id}");
    let other = async {
        match db.backend() {
            "postgres" => {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
                    .await
                    .unwrap();
                let mut tx = conn.begin().await.unwrap();
                tx.execute(hold(b.id.0).as_str()).await.unwrap();
                tokio::time::sleep(Duration::from_millis(300)).await;
                tx.execute(hold(a.id.0).as_str()).await.unwrap();
                tx.commit().await.unwrap();
            }
            _ => {
                let mut conn = <sqlx::MySqlConnection as sqlx::Connection>::connect(&db.url)
                    .await
                    .unwrap();
                let mut tx = conn.begin().await.unwrap();
                tx.execute(hold(b.id.0).as_str()).await.unwrap();
                tokio::time::sleep(Duration::from_millis(300)).await;
                tx.execute(hold(a.id.0).as_str()).await.unwrap();
                tx.commit().await.unwrap();
            }
        }
    };
    let suspend = async {
        // Starts once the other holds b.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let users = [UserRef::Id(a.id), UserRef::Id(b.id)];
        roster
            .change_status(&actor, &users, StatusAction::Suspend)
            .await
    };
    let ((), suspended) = timed(async { tokio::join!(other, suspend) }).await.0;
    let suspended = suspended.expect("the deadlock's victim ran again and went through");
    assert!(
        suspended
            .iter()
            .all(|user| user.status == roster_core::Status::Suspended),
        "{suspended:?}"
    );
}

/// Rounds of the race below. Both admins' checks that another Owner remains run before
/// either writes often enough that, with the check only outside the write, the first round
/// already left no Owner on every backend.
const OWNER_ROUNDS: usize = 10;

fn signs_in_as_owner(user: &User) -> bool {
    user.role == "owner"
        && !matches!(
            user.status,
            Status::Suspended | Status::Locked | Status::AutoLocked
        )
}

/// Two admins at two workstations, at the same moment: one demotes Owner A, the other
/// suspends Owner B, the only other. Each alone is allowed; both together would leave
/// nobody who can manage roles and settings, and the first Owner's screen never comes back.
/// One of the two must be refused, every round.
async fn the_last_owner_stays_when_two_are_taken_away_at_once(db: TempDatabase) {
    let actor = test_actor();
    let (one, two) = (roster(&db).await, roster(&db).await);
    let owner = |n: usize| NewUser {
        role: Some("owner".into()),
        ..person(n)
    };
    let a = one.add_user(&actor, owner(1)).await.unwrap();
    let b = one.add_user(&actor, owner(2)).await.unwrap();
    let (a, b) = (UserRef::Id(a.id), UserRef::Id(b.id));
    let demote = || UserPatch {
        role: Some("admin".into()),
        ..UserPatch::default()
    };
    for round in 0..OWNER_ROUNDS {
        let (demoted, suspended) = tokio::join!(
            one.edit_user(&actor, &a, demote(), None),
            two.change_status(&actor, std::slice::from_ref(&b), StatusAction::Suspend),
        );
        let (a_now, b_now) = (
            one.find_user(&actor, &a).await.unwrap(),
            one.find_user(&actor, &b).await.unwrap(),
        );
        assert!(
            signs_in_as_owner(&a_now) || signs_in_as_owner(&b_now),
            "round {round} on {}: both taken away ({:?} / {:?}); demotion: {:?}, suspension: {:?}",
            db.backend(),
            (&a_now.role, a_now.status),
            (&b_now.role, b_now.status),
            demoted.as_ref().map(|u| &u.role),
            suspended.as_ref().map(|u| u[0].status),
        );
        let refused = match (demoted, suspended) {
            (Ok(_), Err(refused)) | (Err(refused), Ok(_)) => refused,
            other => panic!("round {round}: exactly one goes through: {other:?}"),
        };
        assert_eq!(refused.code(), ErrorCode::Forbidden, "{refused}");
        assert!(refused.to_string().contains("Owner"), "{refused}");
        // Both Owners again for the next round.
        if a_now.role != "owner" {
            let back = UserPatch {
                role: Some("owner".into()),
                ..UserPatch::default()
            };
            one.edit_user(&actor, &a, back, None).await.unwrap();
        }
        if b_now.status == Status::Suspended {
            let b = std::slice::from_ref(&b);
            one.change_status(&actor, b, StatusAction::Unsuspend)
                .await
                .unwrap();
        }
    }

    // Deletions take Owners away too.
    let (a_deleted, b_deleted) = tokio::join!(
        one.delete_users(&actor, std::slice::from_ref(&a), None),
        two.delete_users(&actor, std::slice::from_ref(&b), None),
    );
    assert!(
        a_deleted.is_ok() != b_deleted.is_ok(),
        "exactly one goes through: {a_deleted:?} / {b_deleted:?}"
    );
    let owners = one
        .list_users(
            &actor,
            &roster_core::UserQuery {
                role: Some("owner".into()),
                statuses: Status::CAN_SIGN_IN.to_vec(),
                ..roster_core::UserQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(owners.users.len(), 1, "{owners:?}");
}

/// Two Roster processes on one SQLite file (the app and `roster` at a terminal) race too.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_the_last_owner_stays_when_two_are_taken_away_at_once() {
    the_last_owner_stays_when_two_are_taken_away_at_once(TempDatabase::sqlite()).await;
}

/// One test per server and case, named so a failure says which
/// (`postgres::lookalikes_written_at_once_are_refused`).
macro_rules! on_each_server {
    ($($case:ident),* $(,)?) => {
        mod postgres {
            use roster_tests::{Server, TempDatabase};
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    if let Some(db) = TempDatabase::on_server(Server::Postgres) {
                        super::$case(db).await;
                    }
                }
            )*
        }
        mod mariadb {
            use roster_tests::{Server, TempDatabase};
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    if let Some(db) = TempDatabase::on_server(Server::MySql) {
                        super::$case(db).await;
                    }
                }
            )*
        }
    };
}

on_each_server!(
    others_write_while_an_import_is_open,
    lookalikes_written_at_once_are_refused,
    a_deadlocks_victim_runs_again,
    the_last_owner_stays_when_two_are_taken_away_at_once,
);
