//! Importing users from the spreadsheets in tests/fixtures/csv through Roster's services,
//! on a real SQLite file: what lands, and that a refused import writes nothing at all.

use roster_core::{
    Actor, AuditQuery, ErrorCode, ImportOptions, ImportReport, Origin, Rights, Roster,
    SignInRequest, Status, UserField, UserQuery, UserRef,
};
use roster_csv::ReadOptions;
use roster_tests::{TempDatabase, test_actor};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/csv")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn import(
    roster: &Roster,
    actor: &Actor,
    file: &[u8],
    options: &ImportOptions,
) -> Result<ImportReport, roster_core::Error> {
    let sheet = roster_csv::open(file, &ReadOptions::default()).unwrap();
    roster
        .import_users(actor, sheet.rows(), options, &mut |_| {})
        .await
}

/// Everything an import could write, counted.
async fn counts(roster: &Roster) -> (u64, usize, usize, usize) {
    let actor = test_actor();
    (
        roster
            .list_users(&actor, &UserQuery::default())
            .await
            .unwrap()
            .total,
        roster
            .audit(
                &actor,
                &AuditQuery {
                    user: None,
                    limit: 10_000,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len(),
        roster.outbox(&actor, 10_000).await.unwrap().len(),
        roster.list_groups(&actor).await.unwrap().len(),
    )
}

#[tokio::test]
async fn a_google_export_lands_with_its_statuses_and_one_job_entry() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let options = ImportOptions {
        source: "google.csv".into(),
        ..ImportOptions::default()
    };
    let report = import(&roster, &test_actor(), &fixture("google.csv"), &options)
        .await
        .unwrap();
    assert_eq!((report.rows, report.created, report.invalid), (4, 4, 0));
    assert!(report.written);
    let actor = test_actor();
    let jose = roster
        .find_user(&actor, &UserRef::Email("jose.garcia@example.org".into()))
        .await
        .unwrap();
    assert_eq!(jose.status, Status::Suspended, "Google's Suspended");
    assert_eq!(jose.team.as_deref(), Some("Sales/EMEA"));
    let zoe = roster
        .find_user(&actor, &UserRef::Email("zoe.obrien+it@example.org".into()))
        .await
        .unwrap();
    assert_eq!(
        zoe.username, "zoe.obrien",
        "derived from the email, +tag dropped"
    );
    assert_eq!(
        zoe.profile[&UserField::JobTitle],
        "Line one line two",
        "a cell's line break kept as a space"
    );
    assert_eq!(jose.profile[&UserField::Department], "Sales");
    let trail = roster
        .audit(
            &actor,
            &AuditQuery {
                user: None,
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(trail[0].action, "import.users");
    assert_eq!(trail[0].target.name, "google.csv");
    assert!(trail.iter().all(|e| e.origin == Origin::Import));
    assert_eq!(
        trail.iter().filter(|e| e.action == "user.create").count(),
        4
    );
    // "****" means "keep the password": nobody got one, so none were refused either.
    assert_eq!(
        roster.outbox(&actor, 100).await.unwrap().len(),
        0,
        "active and suspended users get no invitation"
    );
}

#[tokio::test]
async fn staged_users_are_invited_and_groups_are_created() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let report = import(
        &roster,
        &test_actor(),
        &fixture("jumpcloud.csv"),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.created, 2);
    let actor = test_actor();
    let dennis = roster
        .find_user(&actor, &UserRef::Username("dennis.ritchie".into()))
        .await
        .unwrap();
    assert_eq!(dennis.status, Status::Staged);
    assert_eq!(dennis.organization.as_deref(), Some("Bell Labs"));
    let groups: Vec<String> = roster
        .groups_of(&actor, dennis.id)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(groups, ["C Language", "Unix"]);
    assert_eq!(
        dennis.group_count, 2,
        "kept with the memberships the import wrote"
    );
    let unix = roster.find_group(&actor, "unix", None).await.unwrap();
    assert_eq!(unix.member_count, 2);
    let mail = roster.outbox(&actor, 10).await.unwrap();
    assert_eq!(mail.len(), 2, "one invitation per staged user");
}

#[tokio::test]
async fn one_bad_row_refuses_the_whole_file_unless_told_to_skip_it() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();
    import(
        &roster,
        &actor,
        &fixture("okta.csv"),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    let file = b"email,first_name,last_name,role\n\
        new1@example.org,New,One,user\n\
        margaret.hamilton@example.org,Margaret,Again,user\n\
        new2@example.org,,Two,wizard\n\
        NEW1@example.org,Dup,Line,user\n";
    let before = counts(&roster).await;
    let report = import(&roster, &actor, file, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!((report.rows, report.invalid, report.created), (4, 3, 0));
    assert!(!report.written);
    assert_eq!(counts(&roster).await, before, "nothing written");
    let problems: Vec<(u64, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        problems,
        [
            (3, Some("email")),
            (4, Some("first_name")),
            (4, Some("role")),
            (5, Some("email"))
        ]
    );
    assert!(
        report.problems[0]
            .message
            .contains("margaret.hamilton@example.org already has this email"),
        "{}",
        report.problems[0].message
    );

    let dry = ImportOptions {
        dry_run: true,
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import(&roster, &actor, file, &dry).await.unwrap();
    assert_eq!(report.created, 1);
    assert_eq!(counts(&roster).await, before, "a dry run writes nothing");

    let skip = ImportOptions {
        skip_invalid: true,
        activate: true,
        ..ImportOptions::default()
    };
    let report = import(&roster, &actor, file, &skip).await.unwrap();
    assert!(report.written);
    assert_eq!(report.created, 1);
    let new1 = roster
        .find_user(&actor, &UserRef::Email("new1@example.org".into()))
        .await
        .unwrap();
    assert_eq!(new1.status, Status::Active);
}

/// The file, its `password` column mapped to passwords.
fn with_passwords(file: &[u8]) -> roster_csv::Sheet<&[u8]> {
    let options = ReadOptions {
        overrides: vec![("password".into(), Some(roster_csv::Field::Password))],
        ..ReadOptions::default()
    };
    roster_csv::open(file, &options).unwrap()
}

#[tokio::test]
async fn passwords_are_refused_unless_accepted_and_then_work() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();
    let file = b"email,first_name,last_name,password\n\
        grace@example.org,Grace,Hopper,a long enough passphrase\n";
    let before = counts(&roster).await;
    let sheet = with_passwords(file);
    let e = roster
        .import_users(&actor, sheet.rows(), &ImportOptions::default(), &mut |_| {})
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert!(e.to_string().contains("plain-text passwords"), "{e}");
    assert_eq!(counts(&roster).await, before);

    let sheet = with_passwords(file);
    let accept = ImportOptions {
        accept_passwords: true,
        activate: true,
        ..ImportOptions::default()
    };
    roster
        .import_users(&actor, sheet.rows(), &accept, &mut |_| {})
        .await
        .unwrap();
    roster
        .sign_in(
            &SignInRequest {
                login: "grace".into(),
                password: "a long enough passphrase".into(),
                code: None,
            },
            "desk",
            Origin::Desktop,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn importing_needs_the_right_to_create_users() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let auditor = Actor {
        rights: Rights::Account {
            user: roster_core::UserId(99),
            role: "auditor".into(),
            permissions: roster_core::built_in_permissions("auditor").unwrap(),
            scope: None,
        },
        ..test_actor()
    };
    let before = counts(&roster).await;
    let e = import(
        &roster,
        &auditor,
        &fixture("okta.csv"),
        &ImportOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert_eq!(counts(&roster).await, before);
}

/// The directory as a Roster export (default columns), in its list order.
async fn export(roster: &Roster) -> Vec<u8> {
    let mut writer = roster_csv::UserWriter::new(
        Vec::new(),
        roster_csv::default_columns(),
        Vec::new(),
        roster_csv::ExportOptions::default(),
    )
    .unwrap();
    roster
        .export_users(&test_actor(), &UserQuery::default(), &mut |u| {
            writer.write(u)
        })
        .await
        .unwrap();
    writer.finish().unwrap()
}

#[tokio::test]
async fn an_upsert_updates_changed_users_and_leaves_the_rest() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();
    let upsert = ImportOptions {
        upsert: true,
        ..ImportOptions::default()
    };
    import(
        &roster,
        &actor,
        &fixture("roster-excel.csv"),
        &ImportOptions::default(),
    )
    .await
    .unwrap();

    // Its own export changes nothing.
    let before = counts(&roster).await;
    let report = import(&roster, &actor, &export(&roster).await, &upsert)
        .await
        .unwrap();
    assert_eq!(
        (
            report.created,
            report.updated,
            report.unchanged,
            report.invalid
        ),
        (0, 0, report.rows, 0),
        "{:?}",
        report.problems
    );
    assert!(!report.written);
    assert_eq!(counts(&roster).await, before, "nothing written");

    // One changed, one as it is, one new; empty cells keep what is there.
    let file = "email,first_name,last_name,phone,team,status,groups\n\
        SØREN.BERG@example.org,Søren,Berg,,Night shift,suspended,On call\n\
        fatima.ali@example.org,Fatima,Ali,,Support,staged,\n\
        new3@example.org,New,Three,,,,\n";
    let refused = import(&roster, &actor, file.as_bytes(), &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(
        refused.invalid, 2,
        "without upsert an existing email is a problem"
    );
    assert!(
        refused.problems[0]
            .message
            .contains("update of existing users")
    );

    let report = import(&roster, &actor, file.as_bytes(), &upsert)
        .await
        .unwrap();
    assert_eq!(
        (
            report.created,
            report.updated,
            report.unchanged,
            report.invalid
        ),
        (1, 1, 1, 0),
        "{:?}",
        report.problems
    );
    assert!(report.written);
    let soren = roster
        .find_user(&actor, &UserRef::Email("søren.berg@example.org".into()))
        .await
        .unwrap();
    assert_eq!(soren.team.as_deref(), Some("Night shift"));
    assert_eq!(soren.status, Status::Suspended);
    assert_eq!(
        soren.phone.as_deref(),
        Some("+45 12 34 56 78"),
        "an empty cell keeps the phone"
    );
    assert_eq!(
        soren.organization.as_deref(),
        Some("Acme"),
        "no column keeps the organization"
    );
    let groups: Vec<String> = roster
        .groups_of(&actor, soren.id)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert!(groups.contains(&"On call".to_owned()), "{groups:?}");
    assert!(
        groups.contains(&"Helpdesk".to_owned()),
        "groups are added, not replaced: {groups:?}"
    );
    assert_eq!(
        soren.group_count,
        groups.len() as i64,
        "the kept count follows the groups an update adds"
    );
    let trail = roster
        .audit(
            &actor,
            &AuditQuery {
                user: Some(soren.id),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let update = trail
        .iter()
        .find(|e| e.action == "user.update")
        .expect("an audit entry for the update");
    assert_eq!(update.origin, Origin::Import);
    assert!(update.changes.iter().any(|c| c.field == "team"));

    // A status no action reaches is a problem, not a silent change.
    let back = "email,first_name,last_name,status\nsøren.berg@example.org,Søren,Berg,staged\n";
    let report = import(&roster, &actor, back.as_bytes(), &upsert)
        .await
        .unwrap();
    assert_eq!(report.invalid, 1);
    assert_eq!(report.problems[0].column.as_deref(), Some("status"));
}

mod round_trip {
    //! For random directories: export, import into an empty database, export again: the
    //! same bytes; and the export upserted back into its own directory changes nothing.

    use super::*;
    use proptest::prelude::*;
    use roster_core::NewUser;

    /// Text a spreadsheet mangles if it can: formula triggers first, quotes, commas,
    /// apostrophes, accents, CJK, inner spaces.
    const NAME: &str = "[=+@'\"A-Za-zéø李-][A-Za-zéøß李小龍'\",=+@ -]{0,10}[A-Za-zé李'\"]";

    fn user() -> impl Strategy<Value = NewUser> {
        (
            NAME,
            NAME,
            proptest::option::of("\\+[0-9]{2} [0-9]{3} [0-9]{4}"),
            proptest::option::of(NAME),
            proptest::option::of(NAME),
            proptest::collection::btree_set("[a-z李]{1,6}", 0..3),
            prop_oneof![Just("user"), Just("helpdesk"), Just("auditor")],
            prop_oneof![
                Just(Status::Active),
                Just(Status::Staged),
                Just(Status::Suspended)
            ],
        )
            .prop_map(
                |(first, last, phone, organization, team, tags, role, status)| NewUser {
                    first_name: first,
                    last_name: last,
                    phone,
                    organization,
                    team,
                    tags: tags.into_iter().collect(),
                    role: Some(role.into()),
                    status: Some(status),
                    ..NewUser::default()
                },
            )
    }

    async fn directory(users: &[NewUser]) -> (TempDatabase, Roster) {
        let db = TempDatabase::new();
        let (roster, _) = db.roster().await;
        for (n, user) in users.iter().enumerate() {
            let user = NewUser {
                email: format!("person{n}@example.org"),
                ..user.clone()
            };
            roster.add_user(&test_actor(), user).await.unwrap();
        }
        (db, roster)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn export_import_export_is_identical(users in proptest::collection::vec(user(), 1..12)) {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                let (_db, roster) = directory(&users).await;
                let file = export(&roster).await;

                let empty = TempDatabase::new();
                let (copy, _) = empty.roster().await;
                let report = import(&copy, &test_actor(), &file, &ImportOptions::default())
                    .await
                    .unwrap();
                assert_eq!(report.invalid, 0, "{:?}", report.problems);
                let again = export(&copy).await;
                assert_eq!(
                    String::from_utf8_lossy(&again),
                    String::from_utf8_lossy(&file)
                );

                let upsert = ImportOptions { upsert: true, ..ImportOptions::default() };
                let report = import(&roster, &test_actor(), &file, &upsert).await.unwrap();
                assert_eq!(
                    (report.updated, report.unchanged, report.invalid),
                    (0, users.len() as u64, 0),
                    "{:?}",
                    report.problems
                );
            });
        }
    }
}

/// An admin cancels a large import (the window's Cancel) while its rows are still being
/// checked, with batches already in its open transaction. It stops before its next batch
/// and rolls back, and the next import finds the directory free at once, not waiting out
/// the other's lock and failing with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_cancelled_mid_way_leaves_the_directory_free_at_once() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let roster = std::sync::Arc::new(roster);
    let mut big = String::from("email,first_name,last_name\n");
    for n in 0..20_000 {
        big.push_str(&format!("cancelled{n}@example.org,Cancelled,Number {n}\n"));
    }
    let options = ImportOptions::default();
    let cancel = options.cancel.clone();
    let sheet = roster_csv::open(big.as_bytes(), &ReadOptions::default()).unwrap();
    let mut batches = 0;
    let outcome = roster
        .import_users(&test_actor(), sheet.rows(), &options, &mut |_| {
            batches += 1;
            if batches == 2 {
                cancel.cancel();
            }
        })
        .await;
    let error = outcome.expect_err("a cancelled import ends in an error");
    assert_eq!(error.code(), ErrorCode::Cancelled, "{error}");
    assert_eq!(batches, 2, "it stops before the next batch");

    let started = std::time::Instant::now();
    let next = import(
        &roster,
        &test_actor(),
        b"email,first_name,last_name\nnext@example.org,Next,One\n",
        &ImportOptions::default(),
    )
    .await
    .expect("the next import runs");
    assert_eq!(next.created, 1);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the next import waited {:?} on {}",
        started.elapsed(),
        db.backend()
    );
    assert_eq!(
        counts(&roster).await.0,
        1,
        "nothing of the cancelled import landed"
    );
    assert_eq!(
        found(&roster, "next").await,
        1,
        "the search index takes new users again after a cancelled import"
    );
}

/// How many users a search in the list finds.
async fn found(roster: &Roster, search: &str) -> u64 {
    let query = UserQuery {
        search: search.into(),
        ..UserQuery::default()
    };
    roster
        .list_users(&test_actor(), &query)
        .await
        .unwrap()
        .total
}

/// The SQLite schema's indexes and triggers on users, by name (none on a server).
async fn users_schema(db: &TempDatabase) -> Vec<String> {
    use sqlx::Connection;
    if db.backend() != "sqlite" {
        return Vec::new();
    }
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query_scalar(
        "SELECT type || ' ' || name FROM sqlite_master \
         WHERE tbl_name = 'users' AND type IN ('index', 'trigger') ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
}

/// A large import indexes its users for search at once and builds the sort indexes afresh
/// instead of row by row (SQLite): each user is found by a word inside a name and by a
/// word's start, every sort works, the schema is as before, and users written after it,
/// by an upsert or one by one, are kept in the indexes as before.
#[tokio::test]
async fn a_large_imports_users_are_found_and_sorted_like_any_others() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let schema = users_schema(&db).await;
    let mut file = String::from("email,first_name,last_name\n");
    for n in 0..20_500 {
        file.push_str(&format!("bulk{n}@example.org,Bulkfirst,Lastname{n:05}\n"));
    }
    let report = import(
        &roster,
        &test_actor(),
        file.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.created, 20_500);
    assert_eq!(
        users_schema(&db).await,
        schema,
        "indexes and triggers are back"
    );
    assert_eq!(found(&roster, "lastname00417").await, 1, "inside a name");
    assert_eq!(found(&roster, "bulkfirst").await, 20_500);
    assert_eq!(found(&roster, "bu").await, 20_500, "a word's start");
    assert_eq!(found(&roster, "bulk20499@example").await, 1, "the last row");
    for field in roster_core::SortField::ALL {
        let query = UserQuery {
            sort: roster_core::Sort {
                field,
                direction: roster_core::SortDirection::Desc,
            },
            limit: 1,
            ..UserQuery::default()
        };
        let page = roster.list_users(&test_actor(), &query).await.unwrap();
        assert_eq!(page.total, 20_500, "sorted by {field:?}");
        if field == roster_core::SortField::LastName {
            assert_eq!(page.users[0].last_name, "Lastname20499");
        }
    }

    let upsert = ImportOptions {
        upsert: true,
        ..ImportOptions::default()
    };
    let later = "email,first_name,last_name\n\
                 bulk5@example.org,Renamed,Person\n\
                 later@example.org,Later,Added\n";
    let report = import(&roster, &test_actor(), later.as_bytes(), &upsert)
        .await
        .unwrap();
    assert_eq!((report.created, report.updated), (1, 1));
    assert_eq!(found(&roster, "renamed").await, 1);
    assert_eq!(
        found(&roster, "lastname00005").await,
        0,
        "the old name is gone"
    );
    assert_eq!(found(&roster, "later").await, 1);
}

/// An admin of one organization names another organization's user as a manager, with a
/// row of that user's email beside (refused, and skipped): the manager must be a user the
/// import itself created, or the link would reach across organizations.
#[tokio::test]
async fn an_import_never_links_a_manager_beyond_the_admins_reach() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let operator = test_actor();
    for (email, org) in [("boss@globex.test", "Globex"), ("staff@acme.test", "Acme")] {
        let user = roster_core::NewUser {
            email: email.into(),
            first_name: "Someone".into(),
            last_name: "Else".into(),
            organization: Some(org.into()),
            ..roster_core::NewUser::default()
        };
        roster.add_user(&operator, user).await.unwrap();
    }
    let acme = roster.find_organization(&operator, "Acme").await.unwrap();
    let permissions = roster_core::built_in_permissions("admin")
        .unwrap()
        .into_iter()
        .filter(|p| !p.directory_wide())
        .collect();
    let scoped = Actor {
        rights: Rights::Account {
            user: roster_core::UserId(99),
            role: "admin".into(),
            permissions,
            scope: Some(vec![acme.id]),
        },
        ..test_actor()
    };
    let file = "email,first_name,last_name,manager\n\
                new@acme.test,New,Hire,boss@globex.test\n\
                boss@globex.test,Fake,Row,\n";
    let options = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import(&roster, &scoped, file.as_bytes(), &options)
        .await
        .unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.line == 2 && p.column.as_deref() == Some("manager")),
        "{report:?}"
    );
    if let Ok(hire) = roster
        .find_user(&operator, &UserRef::Email("new@acme.test".into()))
        .await
    {
        assert_eq!(hire.manager, None, "linked across organizations");
    }
}

/// Managers named further down the file: one nobody in it has leaves its user without a
/// manager (skipping, as asked); two rows that manage each other stop the whole file, as
/// their rows were written before the end showed the loop.
#[tokio::test]
async fn managers_in_the_file_link_skip_or_stop_the_import() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();
    let options = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let file = "email,first_name,last_name,manager\n\
                ann@example.org,Ann,A,bea@example.org\n\
                bea@example.org,Bea,B,\n\
                cid@example.org,Cid,C,nobody@example.org\n";
    let report = import(&roster, &actor, file.as_bytes(), &options)
        .await
        .unwrap();
    assert!(report.written, "{report:?}");
    assert_eq!((report.created, report.invalid), (3, 0), "{report:?}");
    let [problem] = report.problems.as_slice() else {
        panic!("one problem: {report:?}");
    };
    assert_eq!(
        (problem.line, problem.column.as_deref()),
        (4, Some("manager"))
    );
    assert!(
        problem.message.ends_with("imported without a manager"),
        "{problem:?}"
    );
    let ann = roster
        .find_user(&actor, &UserRef::Email("ann@example.org".into()))
        .await
        .unwrap();
    assert_eq!(
        ann.manager.map(|m| m.email).as_deref(),
        Some("bea@example.org")
    );
    let cid = roster
        .find_user(&actor, &UserRef::Email("cid@example.org".into()))
        .await
        .unwrap();
    assert_eq!(cid.manager, None);

    let before = counts(&roster).await;
    let looped = "email,first_name,last_name,manager\n\
                  dee@example.org,Dee,D,eve@example.org\n\
                  eve@example.org,Eve,E,dee@example.org\n\
                  fay@example.org,Fay,F,\n";
    let report = import(&roster, &actor, looped.as_bytes(), &options)
        .await
        .unwrap();
    assert!(!report.written, "{report:?}");
    assert_eq!((report.created, report.invalid), (0, 2), "{report:?}");
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.message.contains("reports back")),
        "{report:?}"
    );
    assert_eq!(counts(&roster).await, before, "nothing of the file landed");
}

/// A manager's email that only looks like a new user's ("bearn" beside "beam") is not that
/// user: the row's user is imported without a manager and the report says why, rather than
/// the link finding nobody in silence.
#[tokio::test]
async fn a_manager_email_that_only_looks_like_a_new_users_is_reported() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();
    let options = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let file = "email,first_name,last_name,manager\n\
                beam@example.org,Bea,M,\n\
                ann@example.org,Ann,A,bearn@example.org\n";
    let report = import(&roster, &actor, file.as_bytes(), &options)
        .await
        .unwrap();
    assert!(report.written, "{report:?}");
    let [problem] = report.problems.as_slice() else {
        panic!("one problem: {report:?}");
    };
    assert_eq!(
        (
            problem.line,
            problem.column.as_deref(),
            problem.value.as_deref()
        ),
        (3, Some("manager"), Some("bearn@example.org"))
    );
    let ann = roster
        .find_user(&actor, &UserRef::Email("ann@example.org".into()))
        .await
        .unwrap();
    assert_eq!(ann.manager, None);
}
