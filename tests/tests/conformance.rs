//! The backend conformance suite: the same behaviour, checked through Roster's services, on
//! every store backend. Each case is a test per backend (`every_backend!`).

use roster_core::{
    AttributeEdit, AttributeKind, AuditQuery, BulkEdit, ChainProblem, ChangeWatch, Clock, Count,
    DeviceCount, DeviceDraft, DeviceOs, DeviceQuery, DeviceState, Error, ErrorCode, FixedClock,
    GroupId, GroupPatch, NewAttribute, NewGroup, NewUser, Origin, RoleInput, Roster, SettingsPatch,
    SignInRequest, Sort, SortDirection, SortField, Status, StatusAction, TwoFactorState, User,
    UserField, UserId, UserPatch, UserQuery, UserRef,
};
use roster_tests::{Server, TempDatabase, seed, test_actor};
use sqlx::Connection;
use std::sync::Arc;

/// A backend under test: its services, its clock, and what keeps it alive.
struct Backend {
    name: &'static str,
    roster: Roster,
    clock: Arc<FixedClock>,
    _db: TempDatabase,
}

/// The services of a fresh database on one backend.
async fn backend(db: TempDatabase) -> Backend {
    let (roster, clock) = db.roster().await;
    Backend {
        name: db.backend(),
        roster,
        clock,
        _db: db,
    }
}

/// The fresh database itself, for cases that open their own connections.
async fn database(db: TempDatabase) -> TempDatabase {
    db
}

/// A fresh database on one backend; `None` only when `ROSTER_SKIP_SERVER_TESTS=1` leaves
/// the servers out.
fn fresh(server: Option<Server>) -> Option<TempDatabase> {
    match server {
        None => Some(TempDatabase::sqlite()),
        Some(server) => TempDatabase::on_server(server),
    }
}

/// Each case below runs once per backend as a test of its own, in a module named after the
/// backend (`conformance::postgres::groups_can_be_renamed_and_listed_per_user`), so a
/// failure names its backend and never stops the others. `mysql` is MySQL or MariaDB.
/// A case takes a [`Backend`] (`backend`) or the bare database (`database`).
macro_rules! every_backend {
    ($($case:ident: $open:ident),* $(,)?) => {
        every_backend!(@on sqlite, None; $($case: $open),*);
        every_backend!(@on postgres, Some(Server::Postgres); $($case: $open),*);
        every_backend!(@on mysql, Some(Server::MySql); $($case: $open),*);
    };
    (@on $module:ident, $server:expr; $($case:ident: $open:ident),*) => {
        mod $module {
            #[allow(unused_imports)]
            use roster_tests::Server;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    if let Some(db) = super::fresh($server) {
                        super::$case(super::$open(db).await).await;
                    }
                }
            )*
        }
    };
}

every_backend! {
    a_user_round_trips_with_every_field: backend,
    every_field_is_audited_exported_and_imported_back: backend,
    defaults_and_derived_usernames: backend,
    uniqueness_is_case_insensitive_and_rejections_write_nothing: backend,
    edits_are_versioned_and_audited_before_and_after: backend,
    status_actions_follow_the_state_machine_all_or_nothing: backend,
    deleted_users_leave_an_anonymous_audit_trail: backend,
    search_finds_substrings_case_and_accent_insensitively: backend,
    filters_combine_and_count_every_match: backend,
    rows_come_first_and_their_count_matches_every_page: backend,
    a_page_after_an_anchor_is_the_page_at_its_offset: backend,
    every_sort_pages_without_gaps_or_repeats: backend,
    groups_hold_members_once_and_names_once_per_organization: backend,
    sort_keys_kept_on_the_user_follow_every_write: backend,
    two_connections_writing_at_once_both_succeed: database,
    bulk_edits_apply_to_all_in_one_go: backend,
    select_all_matching_returns_every_id_in_list_order: backend,
    overview_and_facets_describe_the_directory: backend,
    groups_can_be_renamed_and_listed_per_user: backend,
    a_refused_invitation_leaves_no_new_user_behind: backend,
    concurrent_settings_changes_are_never_lost: backend,
    every_sort_pages_like_one_long_list: backend,
    two_admins_saving_the_same_user_at_once_exactly_one_wins: backend,
    two_creates_at_once_never_make_a_duplicate: backend,
    changes_from_another_connection_are_noticed: database,
    two_admins_saving_a_group_or_a_role_at_once_exactly_one_wins: backend,
    postgres_announces_each_change_as_it_commits: database,
    the_audit_chain_finds_each_change_made_behind_rosters_back: database,
    purging_old_entries_keeps_the_chain_verifiable: backend,
    audit_filters_narrow_and_pages_follow_on: backend,
    organizations_are_renamed_and_deleted_with_what_belongs_to_them: backend,
    a_scoped_admin_sees_and_changes_only_its_organizations: backend,
    every_scope_narrows_list_count_selection_and_export_exactly: backend,
    devices_enroll_with_a_users_token_and_only_then: backend,
    no_device_enrolls_on_a_token_withdrawn_while_it_was_checked: database,
    devices_are_listed_changed_and_follow_their_owners: backend,
    a_scoped_admin_sees_and_changes_only_its_organizations_devices: backend,
    tokens_and_the_audit_trail_follow_the_chosen_organization: backend,
    managers_form_a_chain_without_loops_within_the_actors_reach: backend,
    end_dates_suspend_their_accounts_once_the_day_comes: backend,
    profile_fields_filter_sort_and_stay_unique_where_they_must: backend,
    attributes_hold_checked_values_filter_sort_and_leave_only_when_confirmed: backend,
    two_admins_naming_each_other_as_manager_at_once_never_make_a_loop: backend,
    an_attribute_is_edited_only_where_no_users_value_is_lost: backend,
    a_choice_taken_away_while_another_admin_gives_it_is_never_left_held: backend,
    diagnostics_count_what_the_directory_holds_for_whoever_may_see_its_settings: backend,
}

fn person(email: &str, first: &str, last: &str) -> NewUser {
    NewUser {
        email: email.into(),
        first_name: first.into(),
        last_name: last.into(),
        ..NewUser::default()
    }
}

fn by(text: &str) -> UserRef {
    UserRef::parse(text)
}

async fn count(roster: &Roster) -> u64 {
    roster
        .list_users(&test_actor(), &UserQuery::default())
        .await
        .unwrap()
        .total
}

async fn audit_len(roster: &Roster) -> usize {
    roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: None,
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .len()
}

async fn search(roster: &Roster, q: &str) -> Vec<String> {
    let query = UserQuery {
        search: q.into(),
        limit: 1000,
        sort: sort(SortField::Username, false),
        ..UserQuery::default()
    };
    roster
        .list_users(&test_actor(), &query)
        .await
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.username)
        .collect()
}

fn sort(field: SortField, desc: bool) -> Sort {
    Sort {
        field,
        direction: if desc {
            SortDirection::Desc
        } else {
            SortDirection::Asc
        },
    }
}

async fn a_user_round_trips_with_every_field(b: Backend) {
    let actor = test_actor();
    let input = NewUser {
        email: "Zoe.OBrien+it@Example.org".into(),
        first_name: "Zoë".into(),
        last_name: "O'Brien".into(),
        username: Some("zobrien".into()),
        phone: Some("+353 1 555 0100".into()),
        role: Some("Helpdesk".into()),
        status: Some(Status::Active),
        organization: Some("Acme".into()),
        team: Some("Support".into()),
        tags: vec!["VIP".into(), "Remote".into()],
        identity_provider: None,
        profile: [
            (UserField::Department, " Customer Success ".to_owned()),
            (UserField::StartDate, "2026-02-01T00:00:00Z".to_owned()),
            (UserField::Office, "".to_owned()),
        ]
        .into(),
        manager: None,
        attributes: Default::default(),
    };
    let created = b.roster.add_user(&actor, input).await.unwrap();
    assert_eq!(created.username, "zobrien", "{}", b.name);
    // Trimmed, the date in the form it is kept, the blank one left out.
    assert_eq!(
        created.profile,
        [
            (UserField::Department, "Customer Success".to_owned()),
            (UserField::StartDate, "2026-02-01".to_owned()),
        ]
        .into()
    );
    assert_eq!(created.email, "Zoe.OBrien+it@Example.org");
    assert_eq!(created.first_name, "Zoë");
    assert_eq!(created.last_name, "O'Brien");
    assert_eq!(created.phone.as_deref(), Some("+353 1 555 0100"));
    assert_eq!(created.role, "helpdesk");
    assert_eq!(created.status, Status::Active);
    assert_eq!(created.two_factor, TwoFactorState::NotConfigured);
    assert_eq!(created.organization.as_deref(), Some("Acme"));
    assert_eq!(created.team.as_deref(), Some("Support"));
    assert_eq!(created.tags, vec!["VIP", "Remote"]);
    assert_eq!(created.identity_provider, "local");
    assert_eq!(created.created_by, "tester");
    assert_eq!(created.created_at, b.clock.now());
    assert_eq!(created.version, 1);
    assert_eq!(created.group_count, 0);

    for name in [
        "ZOBRIEN",
        "zoe.obrien+it@example.ORG",
        &created.id.to_string(),
    ] {
        assert_eq!(
            b.roster.find_user(&test_actor(), &by(name)).await.unwrap(),
            created,
            "find by {name}"
        );
    }
    let missing = b
        .roster
        .find_user(&test_actor(), &by("nobody"))
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)));
    assert_eq!(missing.to_string(), "no user with username 'nobody'");
}

/// Every field admins read (`UserField`) is written in the creation's audit entry with its
/// value, is the same when the user is read back from the list, after `db copy` to another
/// database, and (each one an import reads back) after an export and an import into another
/// directory: a field added to the list but not kept, audited, copied, exported or
/// imported somewhere fails here.
/// One attribute of each kind, as `roster attribute add` defines them.
async fn define_one_of_each_kind(roster: &Roster) {
    for (label, kind, choices) in [
        ("Badge", AttributeKind::Text, vec![]),
        ("Locker", AttributeKind::Number, vec![]),
        ("Security briefing", AttributeKind::Date, vec![]),
        ("Parking", AttributeKind::YesNo, vec![]),
        (
            "Shirt size",
            AttributeKind::Choice,
            vec!["S".into(), "M".into(), "L".into()],
        ),
    ] {
        let new = NewAttribute {
            label: label.into(),
            kind: Some(kind),
            choices,
            ..NewAttribute::default()
        };
        roster.define_attribute(&test_actor(), new).await.unwrap();
    }
}

async fn every_field_is_audited_exported_and_imported_back(b: Backend) {
    let actor = test_actor();
    define_one_of_each_kind(&b.roster).await;
    let attributes: roster_core::Attributes = [
        ("badge", "B-1906"),
        ("locker", "-12.5"),
        ("security_briefing", "2027-01-15"),
        ("parking", "yes"),
        ("shirt_size", "M"),
    ]
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .into();
    let manager = b
        .roster
        .add_user(
            &actor,
            NewUser {
                status: Some(Status::Active),
                ..person("charles@example.org", "Charles", "Babbage")
            },
        )
        .await
        .unwrap();
    let profile: roster_core::Profile = UserField::profile()
        .map(|field| {
            let value = match field.profile_kind() {
                Some(roster_core::FieldKind::Date) => "2027-03-31".to_owned(),
                Some(roster_core::FieldKind::Phone) => "+1 555 0199".to_owned(),
                _ => format!("{} of Grace", field.name()),
            };
            (field, value)
        })
        .collect();
    let created = b
        .roster
        .add_user(
            &actor,
            NewUser {
                email: "grace@example.org".into(),
                first_name: "Grace".into(),
                last_name: "Hopper".into(),
                username: Some("ghopper".into()),
                phone: Some("+1 555 0100".into()),
                role: Some("helpdesk".into()),
                status: Some(Status::Active),
                organization: Some("Navy".into()),
                team: Some("Compilers".into()),
                tags: vec!["COBOL".into(), "Rear Admiral".into()],
                identity_provider: Some("entra".into()),
                profile,
                manager: Some("charles@example.org".into()),
                attributes: attributes.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(created.manager.as_ref().map(|m| m.id), Some(manager.id));
    assert_eq!(created.attributes, attributes, "{}", b.name);
    let history = AuditQuery {
        user: Some(created.id),
        action: Some("user.create".into()),
        limit: 10,
        ..AuditQuery::default()
    };
    let entries = b.roster.audit(&actor, &history).await.unwrap();
    let [creation] = entries.as_slice() else {
        panic!("one creation entry on {}: {entries:?}", b.name);
    };
    for field in UserField::ALL.into_iter().filter(|f| f.audited()) {
        let value = field.text(&created);
        assert!(value.is_some(), "{} was left empty", field.name());
        let recorded = creation.changes.iter().find(|c| c.field == field.name());
        assert_eq!(
            recorded.and_then(|c| c.after.clone()),
            value,
            "{} in the creation's audit entry on {}",
            field.name(),
            b.name
        );
    }
    for (name, value) in &attributes {
        let recorded = creation.changes.iter().find(|c| &c.field == name);
        assert_eq!(
            recorded.and_then(|c| c.after.as_ref()),
            Some(value),
            "attribute {name} in the creation's audit entry on {}",
            b.name
        );
    }
    let listed = b
        .roster
        .list_users(
            &actor,
            &UserQuery {
                search: "ghopper".into(),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        listed.users,
        vec![created.clone()],
        "the list on {}",
        b.name
    );

    let copy = TempDatabase::sqlite();
    let source = roster_store::Database::open(&b._db.url, roster_store::OpenMode::MustExist)
        .await
        .unwrap();
    let target = roster_store::Database::open(&copy.url, roster_store::OpenMode::CreateIfMissing)
        .await
        .unwrap();
    source.copy_to(&target, false).await.unwrap();
    let (copied, _) = copy.roster().await;
    let copied = copied.find_user(&actor, &by("ghopper")).await.unwrap();
    for field in UserField::ALL {
        assert_eq!(
            field.text(&copied),
            field.text(&created),
            "{} copied from {} by db copy",
            field.name(),
            b.name
        );
    }
    assert_eq!(
        copied.attributes, created.attributes,
        "attributes copied from {} by db copy",
        b.name
    );

    // Grace's manager comes after her in the file: the import links them once both are in.
    let mut file = Vec::new();
    let names: Vec<String> = attributes.keys().cloned().collect();
    let mut writer = roster_csv::UserWriter::new(
        &mut file,
        UserField::ALL.to_vec(),
        names.clone(),
        Default::default(),
    )
    .unwrap();
    writer.write(&created).unwrap();
    writer.write(&manager).unwrap();
    writer.finish().unwrap();
    let elsewhere = backend(TempDatabase::sqlite()).await;
    define_one_of_each_kind(&elsewhere.roster).await;
    let read = roster_csv::ReadOptions {
        attributes: names,
        ..roster_csv::ReadOptions::default()
    };
    let sheet = roster_csv::open(file.as_slice(), &read).unwrap();
    let options = roster_core::ImportOptions {
        activate: true,
        ..roster_core::ImportOptions::default()
    };
    let report = elsewhere
        .roster
        .import_users(&actor, sheet.rows(), &options, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(report.created, 2, "{report:?}");
    let imported = elsewhere
        .roster
        .find_user(&actor, &by("ghopper"))
        .await
        .unwrap();
    for field in UserField::ALL.into_iter().filter(|f| f.imported()) {
        assert_eq!(
            field.text(&imported),
            field.text(&created),
            "{} exported from {} and imported back",
            field.name(),
            b.name
        );
    }
    assert_eq!(
        imported.attributes, created.attributes,
        "attributes exported from {} and imported back",
        b.name
    );
}

async fn defaults_and_derived_usernames(b: Backend) {
    let actor = test_actor();
    let first = b
        .roster
        .add_user(
            &actor,
            person("Ada.Lovelace+x@example.org", "Ada", "Lovelace"),
        )
        .await
        .unwrap();
    assert_eq!(first.username, "ada.lovelace");
    assert_eq!(first.status, Status::Staged);
    assert_eq!(first.role, "user");
    assert_eq!(first.team, None);
    let second = b
        .roster
        .add_user(&actor, person("ada.lovelace@example.com", "Ada", "L"))
        .await
        .unwrap();
    assert_eq!(second.username, "ada.lovelace2", "{}", b.name);
}

async fn uniqueness_is_case_insensitive_and_rejections_write_nothing(b: Backend) {
    let actor = test_actor();
    b.roster
        .add_user(&actor, person("ada@example.org", "Ada", "Lovelace"))
        .await
        .unwrap();
    let (users, entries) = (count(&b.roster).await, audit_len(&b.roster).await);

    let dup_email = b
        .roster
        .add_user(&actor, person("ADA@Example.org", "Other", "Person"))
        .await
        .unwrap_err();
    match &dup_email {
        Error::Conflict(f) => assert_eq!(f.field, "email", "{}", b.name),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        dup_email.to_string(),
        "email: this email address is already used by another user; choose another"
    );

    let mut same_name = person("other@example.org", "Other", "Person");
    same_name.username = Some("ADA".into());
    let dup_username = b.roster.add_user(&actor, same_name).await.unwrap_err();
    assert!(
        matches!(&dup_username, Error::Conflict(f) if f.field == "username"),
        "{dup_username:?}"
    );

    let invalid = b
        .roster
        .add_user(&actor, person("not-an-email", "", "X"))
        .await
        .unwrap_err();
    let fields: Vec<_> = invalid.fields().into_iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["first_name", "email"]);

    let mut bad_role = person("r@example.org", "R", "Role");
    bad_role.role = Some("wizard".into());
    let err = b.roster.add_user(&actor, bad_role).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "role: role 'wizard' does not exist; use one of: owner, admin, helpdesk, auditor, user"
    );

    // A batch with one bad row writes none of its rows.
    let batch = vec![
        person("new1@example.org", "New", "One"),
        person("ada@EXAMPLE.org", "Dup", "Licate"),
    ];
    let err = b.roster.add_users(&actor, batch).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(f) if f.field == "users[1].email"),
        "{err:?}"
    );

    assert_eq!(
        count(&b.roster).await,
        users,
        "{}: nothing was added",
        b.name
    );
    assert_eq!(
        audit_len(&b.roster).await,
        entries,
        "{}: nothing was audited",
        b.name
    );
}

async fn edits_are_versioned_and_audited_before_and_after(b: Backend) {
    let actor = test_actor();
    let ada = b
        .roster
        .add_user(&actor, person("ada@example.org", "Ada", "Lovelace"))
        .await
        .unwrap();
    b.clock.advance(chrono::Duration::minutes(5));
    let patch = UserPatch {
        last_name: Some("King".into()),
        team: Some("Engineering".into()),
        tags: Some(vec!["math".into()]),
        ..UserPatch::default()
    };
    let edited = b
        .roster
        .edit_user(&actor, &UserRef::Id(ada.id), patch, Some(1))
        .await
        .unwrap();
    assert_eq!(edited.last_name, "King");
    assert_eq!(edited.team.as_deref(), Some("Engineering"));
    assert_eq!(edited.tags, vec!["math"]);
    assert_eq!(edited.version, 2);
    assert_eq!(
        edited.modified_at,
        ada.created_at + chrono::Duration::minutes(5)
    );

    // A form opened at version 1 may not overwrite version 2.
    let stale = UserPatch {
        first_name: Some("Augusta".into()),
        ..UserPatch::default()
    };
    let err = b
        .roster
        .edit_user(&actor, &UserRef::Id(ada.id), stale, Some(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict(_)), "{err:?}");
    assert!(err.to_string().contains("reload"));
    assert_eq!(
        b.roster
            .find_user(&test_actor(), &UserRef::Id(ada.id))
            .await
            .unwrap()
            .first_name,
        "Ada"
    );

    let clear = UserPatch {
        team: Some(String::new()),
        ..UserPatch::default()
    };
    let cleared = b
        .roster
        .edit_user(&actor, &UserRef::Id(ada.id), clear, None)
        .await
        .unwrap();
    assert_eq!(cleared.team, None);

    let entries = b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: Some(ada.id),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<_> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["user.update", "user.update", "user.create"]);
    let update = &entries[1];
    assert_eq!(update.actor, "tester");
    assert_eq!(update.workstation, "test-host");
    let changes: Vec<_> = update
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("last_name", Some("Lovelace"), Some("King")),
            ("team", None, Some("Engineering")),
            ("tags", None, Some("math")),
        ]
    );
}

async fn status_actions_follow_the_state_machine_all_or_nothing(b: Backend) {
    let actor = test_actor();
    let mut names = Vec::new();
    for n in 0..3 {
        let mut p = person(&format!("u{n}@example.org"), "U", &format!("User{n}"));
        p.status = Some(Status::Active);
        names.push(b.roster.add_user(&actor, p).await.unwrap().username);
    }
    let refs: Vec<UserRef> = names.iter().map(|n| by(n)).collect();
    let suspended = b
        .roster
        .change_status(&actor, &refs[..1], StatusAction::Suspend)
        .await
        .unwrap();
    assert_eq!(suspended[0].status, Status::Suspended);

    // One of three is already suspended: nobody changes, and the error names them.
    let err = b
        .roster
        .change_status(&actor, &refs, StatusAction::Suspend)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::IllegalTransition(_)));
    assert_eq!(
        err.to_string(),
        "cannot suspend: u0 is already suspended; nothing was changed"
    );
    for r in &refs[1..] {
        assert_eq!(
            b.roster.find_user(&test_actor(), r).await.unwrap().status,
            Status::Active,
            "{}",
            b.name
        );
    }

    let locked = b
        .roster
        .change_status(&actor, &refs[1..], StatusAction::Lock)
        .await
        .unwrap();
    assert!(
        locked
            .iter()
            .all(|u| u.status == Status::Locked && u.version == 2)
    );
    let unlocked = b
        .roster
        .change_status(&actor, &refs[1..], StatusAction::Unlock)
        .await
        .unwrap();
    assert!(unlocked.iter().all(|u| u.status == Status::Active));
    let err = b
        .roster
        .change_status(&actor, &refs[..1], StatusAction::Lock)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("unsuspend first"));

    let entries = b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: None,
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let lock = entries.iter().find(|e| e.action == "user.lock").unwrap();
    assert_eq!(lock.changes[0].field, "status");
    assert_eq!(lock.changes[0].before.as_deref(), Some("active"));
    assert_eq!(lock.changes[0].after.as_deref(), Some("locked"));
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "user.suspend")
            .count(),
        1
    );
}

async fn deleted_users_leave_an_anonymous_audit_trail(b: Backend) {
    let actor = test_actor();
    let ada = b
        .roster
        .add_user(&actor, person("ada@example.org", "Ada", "Lovelace"))
        .await
        .unwrap();
    let group = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Analysts".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    b.roster
        .add_members(&actor, group.id, &[by("ada")])
        .await
        .unwrap();
    let deleted = b
        .roster
        .delete_users(&actor, &[by("ada@example.org")], None)
        .await
        .unwrap();
    assert_eq!(deleted[0].id, ada.id);
    assert!(matches!(
        b.roster
            .find_user(&test_actor(), &UserRef::Id(ada.id))
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        b.roster
            .find_group(&test_actor(), "analysts", None)
            .await
            .unwrap()
            .member_count,
        0
    );
    let entries = b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: Some(ada.id),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(entries.len(), 3, "create, add to group, delete");
    for entry in &entries {
        assert_eq!(
            entry.target.name,
            format!("Deleted User (ID: {})", ada.id),
            "{}",
            b.name
        );
    }
    assert_eq!(entries[0].action, "user.delete");
    assert!(
        entries[0]
            .changes
            .iter()
            .any(|c| c.field == "email" && c.after.is_none())
    );
}

async fn search_finds_substrings_case_and_accent_insensitively(b: Backend) {
    let actor = test_actor();
    let people = [
        ("jose.garcia@example.org", "José", "García"),
        ("chloe@example.org", "Chloé", "Dubois"),
        ("ada@example.org", "Ada", "Lovelace"),
        ("grace@navy.example.org", "Grace", "Hopper"),
        ("mei.wang@example.org", "美", "王"),
        ("pct@example.org", "Percent", "100%_sure"),
    ];
    for (email, first, last) in people {
        b.roster
            .add_user(&actor, person(email, first, last))
            .await
            .unwrap();
    }
    assert_eq!(search(&b.roster, "LOVE").await, vec!["ada"], "{}", b.name);
    assert_eq!(
        search(&b.roster, "garc").await,
        vec!["jose.garcia"],
        "accent-insensitive"
    );
    assert_eq!(search(&b.roster, "García").await, vec!["jose.garcia"]);
    assert_eq!(
        search(&b.roster, "navy.exa").await,
        vec!["grace"],
        "inside the email"
    );
    assert_eq!(
        search(&b.roster, "ada lovelace").await,
        vec!["ada"],
        "every word must match"
    );
    assert_eq!(search(&b.roster, "ada hopper").await, Vec::<String>::new());
    assert_eq!(
        search(&b.roster, "王").await,
        vec!["mei.wang"],
        "one CJK character"
    );
    assert_eq!(search(&b.roster, "mc").await, Vec::<String>::new());
    assert_eq!(
        search(&b.roster, "ch").await,
        vec!["chloe"],
        "short words still match"
    );
    assert_eq!(
        search(&b.roster, "%_").await,
        vec!["pct"],
        "LIKE wildcards are literal"
    );
    assert_eq!(search(&b.roster, "").await.len(), 6);
    for hostile in [
        "'; DROP TABLE users; --",
        "\" OR 1=1 --",
        "NEAR(ada lovelace)",
        "ada*",
        "\"",
        "*",
        "users_fts MATCH 'x'",
        "\\",
    ] {
        assert_eq!(
            search(&b.roster, hostile).await,
            Vec::<String>::new(),
            "{hostile}"
        );
    }
    assert_eq!(count(&b.roster).await, 6, "the table is intact");
    let long = "x".repeat(201);
    let err = b
        .roster
        .list_users(
            &test_actor(),
            &UserQuery {
                search: long,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "search");
}

async fn filters_combine_and_count_every_match(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 300).await.unwrap();
    let group = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Night shift".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    b.roster
        .add_members(&actor, group.id, &[by("ada0"), by("alan1"), by("grace2")])
        .await
        .unwrap();

    let all = b
        .roster
        .list_users(
            &test_actor(),
            &UserQuery {
                limit: 1000,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.total, 300);
    let expect =
        |filter: &dyn Fn(&User) -> bool| all.users.iter().filter(|u| filter(u)).count() as u64;

    let q = |query: UserQuery| {
        let roster = b.roster.clone();
        async move {
            roster
                .list_users(
                    &test_actor(),
                    &UserQuery {
                        limit: 1000,
                        ..query
                    },
                )
                .await
                .unwrap()
        }
    };
    let suspended = q(UserQuery {
        statuses: vec![Status::Suspended],
        ..UserQuery::default()
    })
    .await;
    assert_eq!(suspended.total, expect(&|u| u.status == Status::Suspended));
    assert!(suspended.total > 0);
    let two = q(UserQuery {
        statuses: vec![Status::Suspended, Status::Locked],
        ..UserQuery::default()
    })
    .await;
    assert_eq!(
        two.total,
        expect(&|u| matches!(u.status, Status::Suspended | Status::Locked))
    );

    let acme_sales = q(UserQuery {
        organization: Some("ACME".into()),
        team: Some("sales".into()),
        ..UserQuery::default()
    })
    .await;
    assert_eq!(
        acme_sales.total,
        expect(&|u| u.organization.as_deref() == Some("Acme") && u.team.as_deref() == Some("Sales"))
    );
    assert!(
        acme_sales
            .users
            .iter()
            .all(|u| u.organization.as_deref() == Some("Acme"))
    );

    let unassigned = q(UserQuery {
        team: Some("Unassigned".into()),
        ..UserQuery::default()
    })
    .await;
    assert_eq!(unassigned.total, expect(&|u| u.team.is_none()));
    assert!(unassigned.total > 0);

    let admins = q(UserQuery {
        role: Some("Admin".into()),
        ..UserQuery::default()
    })
    .await;
    assert_eq!(admins.total, expect(&|u| u.role == "admin"));

    let grouped = q(UserQuery {
        group: Some(group.id),
        ..UserQuery::default()
    })
    .await;
    let mut names: Vec<_> = grouped.users.iter().map(|u| u.username.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["ada0", "alan1", "grace2"]);
    assert!(grouped.users.iter().all(|u| u.group_count == 1));

    let enrolled = q(UserQuery {
        two_factor: vec![TwoFactorState::Active],
        ..UserQuery::default()
    })
    .await;
    assert_eq!(enrolled.total, 0);
    let searched = q(UserQuery {
        search: "lovelace".into(),
        statuses: vec![Status::Active],
        ..UserQuery::default()
    })
    .await;
    assert_eq!(
        searched.total,
        expect(&|u| u.last_name == "Lovelace" && u.status == Status::Active)
    );
    assert!(searched.total > 0);
}

/// Scrolling asks for the page after the last row it holds: the same rows as by offset, for
/// every sort and direction, searched and filtered, whether the anchor is still there or not,
/// and an anchor a scoped admin cannot see never tells where it sorts.
async fn a_page_after_an_anchor_is_the_page_at_its_offset(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 120).await.unwrap();
    let mut queries = Vec::new();
    for field in [
        SortField::LastName,
        SortField::Email,
        SortField::Status,
        SortField::GroupCount,
        SortField::CreatedAt,
        SortField::Id,
        SortField::Phone,
        SortField::Department,
    ] {
        for desc in [false, true] {
            queries.push(UserQuery {
                sort: sort(field, desc),
                ..UserQuery::default()
            });
        }
    }
    queries.push(UserQuery {
        search: "son".into(),
        ..UserQuery::default()
    });
    queries.push(UserQuery {
        statuses: vec![Status::Active],
        sort: sort(SortField::FirstName, true),
        ..UserQuery::default()
    });
    let whole = |query: &UserQuery| UserQuery {
        limit: 1000,
        ..query.clone()
    };
    for query in &queries {
        let ids = listed_ids(&b.roster, &actor, &whole(query)).await;
        for offset in (10..ids.len()).step_by(25) {
            let after = UserQuery {
                limit: 10,
                offset: offset as u64,
                after: Some(ids[offset - 1]),
                ..query.clone()
            };
            let listed = row_ids(&b.roster, &actor, &after).await;
            let end = (offset + 10).min(ids.len());
            assert_eq!(listed, ids[offset..end], "{} {after:?}", b.name);
        }
    }
    // The anchor, not the offset, says where the page starts (the offset only says where
    // it sits), so the database never counts its way there.
    let by_email = &queries[2];
    let ids = listed_ids(&b.roster, &actor, &whole(by_email)).await;
    let misplaced = UserQuery {
        limit: 10,
        offset: 3,
        after: Some(ids[59]),
        ..by_email.clone()
    };
    let listed = row_ids(&b.roster, &actor, &misplaced).await;
    assert_eq!(listed, ids[60..70], "{}", b.name);

    // The anchor deleted meanwhile: the page is the one at the offset.
    let by_last = UserQuery::default();
    let ids = listed_ids(&b.roster, &actor, &whole(&by_last)).await;
    let gone = ids[39];
    b.roster
        .delete_users(&actor, &[UserRef::Id(gone)], None)
        .await
        .unwrap();
    let after_gone = UserQuery {
        limit: 10,
        offset: 39,
        after: Some(gone),
        ..by_last.clone()
    };
    let listed = row_ids(&b.roster, &actor, &after_gone).await;
    assert_eq!(listed, ids[40..50], "{}", b.name);

    // A scoped admin naming a user of another organization as the anchor gets the page at
    // the offset, not the users sorting after the hidden one.
    let acme = b.roster.find_organization(&actor, "Acme").await.unwrap();
    let scoped = admin_of(vec![acme.id]);
    let visible = listed_ids(&b.roster, &scoped, &whole(&by_last)).await;
    let everyone = b
        .roster
        .list_users(&actor, &whole(&by_last))
        .await
        .unwrap()
        .users;
    // From the middle: users of Acme sort after it, and would show who it sorts before.
    let hidden = everyone[everyone.len() / 2..]
        .iter()
        .find(|u| u.organization.as_deref() != Some("Acme"))
        .expect("users outside Acme");
    let probing = UserQuery {
        limit: 10,
        offset: 5,
        after: Some(hidden.id),
        ..by_last
    };
    let listed = row_ids(&b.roster, &scoped, &probing).await;
    assert_eq!(listed, visible[5..15], "{}", b.name);
}

/// The ids of the users a page lists, in order.
async fn listed_ids(roster: &Roster, actor: &roster_core::Actor, query: &UserQuery) -> Vec<UserId> {
    let page = roster.list_users(actor, query).await.unwrap();
    page.users.iter().map(|u| u.id).collect()
}

/// The ids of the rows the window gets for a page, in order.
async fn row_ids(roster: &Roster, actor: &roster_core::Actor, query: &UserQuery) -> Vec<UserId> {
    let page = roster.list_user_rows(actor, query).await.unwrap();
    page.users.iter().map(|u| u.id).collect()
}

/// The window shows a page of rows before their count arrives; the count is the number of
/// rows all pages together hold, and only a page that ends the list carries it.
async fn rows_come_first_and_their_count_matches_every_page(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 300).await.unwrap();
    let queries = [
        UserQuery::default(),
        UserQuery {
            statuses: vec![Status::Suspended, Status::Locked],
            ..UserQuery::default()
        },
        UserQuery {
            search: "son".into(),
            ..UserQuery::default()
        },
        UserQuery {
            search: "a".into(),
            organization: Some("acme".into()),
            ..UserQuery::default()
        },
        UserQuery {
            team: Some("Unassigned".into()),
            sort: sort(SortField::Organization, true),
            ..UserQuery::default()
        },
    ];
    for query in queries {
        let everyone = b
            .roster
            .list_user_rows(
                &actor,
                &UserQuery {
                    limit: 1000,
                    ..query.clone()
                },
            )
            .await
            .unwrap();
        let matching = everyone.users.len() as u64;
        assert_eq!(
            everyone.total,
            Some(matching),
            "a short page is the whole list"
        );
        assert!(matching > 10, "{query:?} matches enough users to page");
        let counted = b.roster.count_users(&actor, &query, None).await.unwrap();
        assert_eq!(counted, Count::exact(matching), "{query:?}");
        // A list counts no further than it asks: "10+" at once, the exact figure once
        // the cap reaches it. Counts by status and 2FA alone are kept, so always exact.
        let by_state_alone = UserQuery {
            statuses: vec![],
            two_factor: vec![],
            ..query.clone()
        };
        let kept = by_state_alone == UserQuery::default();
        for (up_to, capped) in [
            (10, Count { n: 10, more: true }),
            (
                matching - 1,
                Count {
                    n: matching - 1,
                    more: true,
                },
            ),
            (matching, Count::exact(matching)),
            (matching + 1, Count::exact(matching)),
        ] {
            let expected = if kept { Count::exact(matching) } else { capped };
            let counted = b.roster.count_users(&actor, &query, Some(up_to)).await;
            assert_eq!(
                counted.unwrap(),
                expected,
                "{} {query:?} up to {up_to}",
                b.name
            );
        }

        let page = |offset: u64| UserQuery {
            limit: 10,
            offset,
            ..query.clone()
        };
        let first = b.roster.list_user_rows(&actor, &page(0)).await.unwrap();
        assert_eq!(first.users.len(), 10);
        assert_eq!(first.total, None, "a full page cannot know what follows it");
        let listed = b.roster.list_users(&actor, &page(0)).await.unwrap();
        assert_eq!(listed.total, matching, "{query:?}");
        assert_eq!(listed.users, first.users);

        let tail = b
            .roster
            .list_user_rows(&actor, &page(matching - 3))
            .await
            .unwrap();
        assert_eq!(tail.users.len(), 3);
        assert_eq!(tail.total, Some(matching), "the last page ends the list");
        assert_eq!(tail.users[..], everyone.users[(matching - 3) as usize..]);
        let beyond = b
            .roster
            .list_user_rows(&actor, &page(matching + 50))
            .await
            .unwrap();
        assert!(beyond.users.is_empty());
        assert_eq!(
            beyond.total, None,
            "an empty page past the end proves nothing"
        );
    }
}

async fn every_sort_pages_without_gaps_or_repeats(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 120).await.unwrap();
    for field in SortField::ALL {
        for desc in [false, true] {
            let mut seen = Vec::new();
            let mut offset = 0;
            loop {
                let query = UserQuery {
                    sort: sort(field, desc),
                    limit: 25,
                    offset,
                    ..UserQuery::default()
                };
                let page = b.roster.list_users(&test_actor(), &query).await.unwrap();
                assert_eq!(page.total, 120);
                if page.users.is_empty() {
                    break;
                }
                offset += page.users.len() as u64;
                seen.extend(page.users);
            }
            let mut ids: Vec<_> = seen.iter().map(|u| u.id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(
                ids.len(),
                120,
                "{field:?} desc={desc}: every user exactly once"
            );
            if field == SortField::LastName {
                let names: Vec<String> = seen.iter().map(|u| u.last_name.to_lowercase()).collect();
                let mut sorted = names.clone();
                sorted.sort();
                if desc {
                    sorted.reverse();
                }
                // SQLite's NOCASE folds ASCII only, so compare the ASCII-only names.
                let ascii = |v: &[String]| {
                    v.iter()
                        .filter(|n| n.is_ascii())
                        .cloned()
                        .collect::<Vec<_>>()
                };
                assert_eq!(ascii(&names), ascii(&sorted), "{}", b.name);
            }
            if field == SortField::Department {
                // Within a department, people by last name (ASCII ones, as above).
                let people: Vec<(String, String)> = seen
                    .iter()
                    .filter(|u| u.last_name.is_ascii())
                    .map(|u| {
                        let department = u.profile.get(&UserField::Department).cloned();
                        (department.unwrap_or_default(), u.last_name.to_lowercase())
                    })
                    .collect();
                let mut sorted = people.clone();
                sorted.sort();
                if desc {
                    sorted.reverse();
                }
                assert_eq!(people, sorted, "{}: by department, then last name", b.name);
            }
            if field == SortField::CreatedAt || field == SortField::Id {
                let ids: Vec<_> = seen.iter().map(|u| u.id.0).collect();
                let mut sorted = ids.clone();
                sorted.sort();
                if desc {
                    sorted.reverse();
                }
                assert_eq!(ids, sorted, "same timestamps fall back to the User ID");
            }
        }
    }
}

async fn groups_hold_members_once_and_names_once_per_organization(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 5).await.unwrap();
    let ops = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Ops".into(),
                description: "On call".into(),
                organization: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(ops.created_by, "tester");
    let err = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: " OPS ".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(f) if f.field == "name"),
        "{err:?}"
    );
    let acme_ops = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Ops".into(),
                organization: Some("Acme".into()),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    assert_ne!(acme_ops.id, ops.id);
    assert!(
        b.roster
            .find_group(&test_actor(), "ops", None)
            .await
            .unwrap_err()
            .to_string()
            .contains("say which organization")
    );
    assert_eq!(
        b.roster
            .find_group(&test_actor(), "ops", Some("acme"))
            .await
            .unwrap()
            .id,
        acme_ops.id
    );
    let empty = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "  ".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(empty.fields()[0].field, "name");

    assert_eq!(
        b.roster
            .add_members(&actor, ops.id, &[by("ada0"), by("alan1")])
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        b.roster
            .add_members(&actor, ops.id, &[by("ada0"), by("grace2")])
            .await
            .unwrap(),
        1,
        "ada0 was a member"
    );
    let page = b
        .roster
        .group_members(&test_actor(), ops.id, &UserQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    let err = b
        .roster
        .add_members(&actor, ops.id, &[by("ada0"), by("ghost")])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
    assert_eq!(
        err.to_string(),
        "no user with username 'ghost'; nothing was changed"
    );
    assert_eq!(
        b.roster
            .remove_members(&actor, ops.id, &[by("alan1"), by("linus3")])
            .await
            .unwrap(),
        1
    );
    let groups = b.roster.list_groups(&test_actor()).await.unwrap();
    let counts: Vec<_> = groups
        .iter()
        .map(|g| (g.organization.clone(), g.member_count))
        .collect();
    assert_eq!(counts, vec![(None, 2), (Some("Acme".into()), 0)]);

    b.roster.delete_group(&actor, ops.id).await.unwrap();
    assert_eq!(b.roster.list_groups(&test_actor()).await.unwrap().len(), 1);
    assert_eq!(
        b.roster
            .find_user(&test_actor(), &by("ada0"))
            .await
            .unwrap()
            .group_count,
        0
    );
    let entries = b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: None,
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<_> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "group.add_member").count(),
        3
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "group.remove_member")
            .count(),
        1
    );
    assert_eq!(actions[0], "group.delete");
    assert_eq!(entries[0].target.id, ops.id.0);
    let _: GroupId = ops.id;
}

/// Every user of a small test directory, in the list's default order.
async fn everyone(roster: &Roster) -> Vec<User> {
    roster
        .list_users(
            &test_actor(),
            &UserQuery {
                limit: 1000,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap()
        .users
}

/// Every user's kept group count (a column of the row, and its sort key) against the
/// groups the user is really in.
async fn assert_group_counts_match(roster: &Roster, backend: &str) {
    for user in everyone(roster).await {
        let groups = roster.groups_of(&test_actor(), user.id).await.unwrap();
        assert_eq!(
            user.group_count,
            groups.len() as i64,
            "{backend}: {}",
            user.username
        );
    }
}

/// The first `n` usernames in `field`'s order, descending.
async fn first_by(roster: &Roster, field: SortField, n: u32) -> Vec<String> {
    roster
        .list_users(
            &test_actor(),
            &UserQuery {
                sort: sort(field, true),
                limit: n,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.username)
        .collect()
}

/// The organization's and team's names and the group count a user row keeps for sorting
/// follow every write that changes them: edits, memberships added and removed, a group
/// deleted; and the sorts by them put the users where those values say.
async fn sort_keys_kept_on_the_user_follow_every_write(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 12).await.unwrap();
    let edit = |organization: &str, team: Option<&str>| BulkEdit {
        organization: Some(organization.into()),
        team: team.map(Into::into),
        ..BulkEdit::default()
    };
    b.roster
        .edit_users(
            &actor,
            &[by("ada0"), by("alan1")],
            edit("Zeta Works", Some("Zulu Desk")),
        )
        .await
        .unwrap();
    let grace = b
        .roster
        .edit_users(&actor, &[by("grace2")], edit("ZETA WORKS", None))
        .await
        .unwrap();
    assert_eq!(
        grace[0].organization.as_deref(),
        Some("Zeta Works"),
        "{}: an organization keeps its first spelling",
        b.name
    );
    let mut zeta = first_by(&b.roster, SortField::Organization, 3).await;
    zeta.sort();
    assert_eq!(zeta, ["ada0", "alan1", "grace2"], "{}", b.name);
    assert_eq!(
        first_by(&b.roster, SortField::Team, 2).await,
        ["alan1", "ada0"],
        "{}: ties in id order, descending",
        b.name
    );

    let group = |name: &str| NewGroup {
        name: name.into(),
        ..NewGroup::default()
    };
    let alpha = b.roster.add_group(&actor, group("Alpha")).await.unwrap();
    let zed = b.roster.add_group(&actor, group("Zed")).await.unwrap();
    b.roster
        .add_members(&actor, alpha.id, &[by("ada0"), by("alan1"), by("grace2")])
        .await
        .unwrap();
    b.roster
        .add_members(&actor, zed.id, &[by("ada0")])
        .await
        .unwrap();
    assert_group_counts_match(&b.roster, b.name).await;
    assert_eq!(
        first_by(&b.roster, SortField::GroupCount, 3).await,
        ["ada0", "grace2", "alan1"],
        "{}",
        b.name
    );

    b.roster
        .remove_members(&actor, alpha.id, &[by("alan1")])
        .await
        .unwrap();
    b.roster.delete_group(&actor, zed.id).await.unwrap();
    assert_group_counts_match(&b.roster, b.name).await;
    assert_eq!(
        first_by(&b.roster, SortField::GroupCount, 2).await,
        ["grace2", "ada0"],
        "{}",
        b.name
    );
    assert_eq!(member_count(&b.roster, alpha.id).await, 2, "{}", b.name);
    b.roster
        .delete_users(&actor, &[by("grace2")], None)
        .await
        .unwrap();
    assert_eq!(
        member_count(&b.roster, alpha.id).await,
        1,
        "{}: a deleted user's memberships leave the count",
        b.name
    );
}

/// A group's kept member count, as the groups list shows it, checked against its members.
async fn member_count(roster: &Roster, group: GroupId) -> i64 {
    let kept = roster
        .list_groups(&test_actor())
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.id == group)
        .unwrap()
        .member_count;
    let members = roster
        .group_members(&test_actor(), group, &UserQuery::default())
        .await
        .unwrap()
        .total;
    assert_eq!(kept, members as i64);
    kept
}

async fn two_connections_writing_at_once_both_succeed(db: TempDatabase) {
    two_connections_write_at_once(&db).await;
}

async fn two_connections_write_at_once(db: &TempDatabase) {
    let (first, _) = db.roster().await;
    let (second, _) = db.roster().await;
    let actor = test_actor();
    let a = {
        let (r, actor) = (first.clone(), actor.clone());
        tokio::spawn(async move { seed::seed(&r, &actor, 0, 2_000).await })
    };
    let b = {
        let (r, actor) = (second.clone(), actor.clone());
        tokio::spawn(async move { seed::seed(&r, &actor, 2_000, 4_000).await })
    };
    a.await.unwrap().unwrap();
    b.await.unwrap().unwrap();
    assert_eq!(count(&first).await, 4_000, "{}", db.backend());
}

async fn bulk_edits_apply_to_all_in_one_go(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 20).await.unwrap();
    let targets = [by("ada0"), by("alan1"), by("grace2")];
    let edit = BulkEdit {
        team: Some("Night Desk".into()),
        role: Some("Helpdesk".into()),
        add_tags: vec!["on-call".into(), "VIP".into()],
        remove_tags: vec!["vip".into()],
        profile: [
            (UserField::Department, "Support".to_owned()),
            (UserField::Office, String::new()),
        ]
        .into(),
        ..BulkEdit::default()
    };
    let changed = b.roster.edit_users(&actor, &targets, edit).await.unwrap();
    assert_eq!(changed.len(), 3, "{}", b.name);
    for user in &changed {
        assert_eq!(user.profile[&UserField::Department], "Support");
        assert!(!user.profile.contains_key(&UserField::Office), "cleared");
        assert!(user.profile.contains_key(&UserField::JobTitle), "kept");
        assert_eq!(user.team.as_deref(), Some("Night Desk"));
        assert_eq!(user.role, "helpdesk");
        assert_eq!(
            user.tags,
            vec!["on-call", "VIP"],
            "removed first, then added"
        );
    }
    let err = b
        .roster
        .edit_users(
            &actor,
            &targets,
            BulkEdit {
                role: Some("wizard".into()),
                ..BulkEdit::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "role");
    let err = b
        .roster
        .edit_users(&actor, &targets, BulkEdit::default())
        .await
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "changes");
    let entries = b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: None,
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        entries.iter().filter(|e| e.action == "user.update").count(),
        3
    );

    // Clearing the team of users who have none changes nothing and audits nothing.
    let unassigned = b
        .roster
        .edit_users(
            &actor,
            &[by("ada0")],
            BulkEdit {
                team: Some(String::new()),
                ..BulkEdit::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(unassigned[0].team, None);
    let again = b
        .roster
        .edit_users(
            &actor,
            &[by("ada0")],
            BulkEdit {
                team: Some(String::new()),
                ..BulkEdit::default()
            },
        )
        .await
        .unwrap();
    assert!(again.is_empty());
}

async fn select_all_matching_returns_every_id_in_list_order(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 150).await.unwrap();
    let query = UserQuery {
        statuses: vec![Status::Active],
        sort: sort(SortField::Email, true),
        limit: 1000,
        ..UserQuery::default()
    };
    let page = b.roster.list_users(&test_actor(), &query).await.unwrap();
    let ids = b
        .roster
        .matching_user_ids(&test_actor(), &query)
        .await
        .unwrap();
    assert_eq!(
        ids,
        page.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        "{}",
        b.name
    );
    let by_org = UserQuery {
        sort: sort(SortField::Organization, false),
        ..query.clone()
    };
    assert_eq!(
        b.roster
            .matching_user_ids(&test_actor(), &by_org)
            .await
            .unwrap()
            .len(),
        ids.len()
    );
}

async fn overview_and_facets_describe_the_directory(b: Backend) {
    let actor = test_actor();
    let empty = b.roster.overview(&test_actor(), None).await.unwrap();
    assert_eq!(empty.total, 0);
    assert_eq!(empty.by_status.len(), Status::ALL.len(), "zeros included");
    seed::seed(&b.roster, &actor, 0, 70).await.unwrap();
    b.roster
        .change_status(&actor, &[by("ada0")], StatusAction::Suspend)
        .await
        .unwrap();
    let overview = b.roster.overview(&test_actor(), None).await.unwrap();
    assert_eq!(overview.total, 70);
    assert_overview_counts_every_user(&b.roster, b.name).await;
    assert_eq!(
        overview.recent_changes.as_ref().unwrap()[0].action,
        "user.suspend"
    );

    let group = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Ops".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    let facets = b.roster.facets(&test_actor()).await.unwrap();
    assert_eq!(facets.organizations, vec!["Acme", "Globex", "Initech"]);
    assert_eq!(
        facets.teams,
        vec!["Engineering", "Finance", "Operations", "Sales", "Support"]
    );
    assert_eq!(
        facets.roles,
        vec!["owner", "admin", "helpdesk", "auditor", "user"]
    );
    assert_eq!(
        facets.groups.iter().map(|g| g.id).collect::<Vec<_>>(),
        vec![group.id]
    );

    // The counts are kept, not counted: they follow deletes and bulk changes.
    b.roster
        .delete_users(&actor, &[by("ada0"), by("alan1")], None)
        .await
        .unwrap();
    b.roster
        .change_status(&actor, &[by("grace2"), by("linus3")], StatusAction::Suspend)
        .await
        .unwrap();
    assert_eq!(
        b.roster.overview(&test_actor(), None).await.unwrap().total,
        68
    );
    assert_overview_counts_every_user(&b.roster, b.name).await;
}

/// The overview's counts by status and by 2FA state against the users listed.
async fn assert_overview_counts_every_user(roster: &Roster, backend: &str) {
    let overview = roster.overview(&test_actor(), None).await.unwrap();
    let all = everyone(roster).await;
    for count in &overview.by_status {
        let expected = all.iter().filter(|u| u.status == count.state).count() as u64;
        assert_eq!(count.count, expected, "{backend}: {:?}", count.state);
    }
    for count in &overview.by_two_factor {
        let expected = all.iter().filter(|u| u.two_factor == count.state).count() as u64;
        assert_eq!(count.count, expected, "{backend}: {:?}", count.state);
    }
    // The list's count of a status and 2FA filter comes from the same kept counts.
    let filters = [
        (vec![], vec![]),
        (vec![Status::Active, Status::Suspended], vec![]),
        (vec![], vec![TwoFactorState::Active]),
        (vec![Status::Active], vec![TwoFactorState::NotConfigured]),
    ];
    for (statuses, two_factor) in filters {
        let expected = all
            .iter()
            .filter(|u| statuses.is_empty() || statuses.contains(&u.status))
            .filter(|u| two_factor.is_empty() || two_factor.contains(&u.two_factor))
            .count() as u64;
        let query = UserQuery {
            statuses: statuses.clone(),
            two_factor: two_factor.clone(),
            ..UserQuery::default()
        };
        let counted = roster
            .count_users(&test_actor(), &query, Some(1))
            .await
            .unwrap();
        // The kept counts answer exactly at no cost, whatever the cap.
        assert_eq!(
            counted,
            Count::exact(expected),
            "{backend}: {statuses:?} {two_factor:?}"
        );
    }
}

async fn groups_can_be_renamed_and_listed_per_user(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 3).await.unwrap();
    let ops = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Ops".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    let dev = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Dev".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    b.roster
        .add_members(&actor, ops.id, &[by("ada0")])
        .await
        .unwrap();
    b.roster
        .add_members(&actor, dev.id, &[by("ada0")])
        .await
        .unwrap();
    let ada = b
        .roster
        .find_user(&test_actor(), &by("ada0"))
        .await
        .unwrap();
    let names: Vec<_> = b
        .roster
        .groups_of(&test_actor(), ada.id)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, vec!["Dev", "Ops"], "{}", b.name);

    let renamed = b
        .roster
        .update_group(
            &actor,
            ops.id,
            GroupPatch {
                name: Some("Operations".into()),
                description: Some("24/7".into()),
            },
            Some(ops.version),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            renamed.name.as_str(),
            renamed.description.as_str(),
            renamed.member_count
        ),
        ("Operations", "24/7", 1)
    );
    let err = b
        .roster
        .update_group(
            &actor,
            renamed.id,
            GroupPatch {
                name: Some("dev".into()),
                ..GroupPatch::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(f) if f.field == "name"),
        "{err:?}"
    );
    let entry = &b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: None,
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap()[0];
    assert_eq!(entry.action, "group.update");
    assert_eq!(entry.changes[0].before.as_deref(), Some("Ops"));
    assert_eq!(entry.changes[0].after.as_deref(), Some("Operations"));
    assert!(matches!(
        b.roster.group(&test_actor(), GroupId(9999)).await,
        Err(Error::NotFound(_))
    ));
}

/// Creating a user with an invitation is one change: when the invitation is refused, the
/// user is not left behind either.
async fn a_refused_invitation_leaves_no_new_user_behind(b: Backend) {
    let (users, entries) = (count(&b.roster).await, audit_len(&b.roster).await);
    let suspended = NewUser {
        status: Some(Status::Suspended),
        ..person("ivy@example.org", "Ivy", "Refused")
    };
    let e = b
        .roster
        .add_user_and_invite(&test_actor(), suspended)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::IllegalTransition(_)), "{}: {e}", b.name);
    assert_eq!(count(&b.roster).await, users, "{}", b.name);
    assert_eq!(audit_len(&b.roster).await, entries, "{}", b.name);
    let outbox = b.roster.outbox(&test_actor(), 100).await.unwrap();
    assert!(outbox.is_empty(), "{}: {outbox:?}", b.name);

    let invited = b
        .roster
        .add_user_and_invite(&test_actor(), person("ivy@example.org", "Ivy", "Invited"))
        .await
        .unwrap();
    let trail = b
        .roster
        .audit(
            &test_actor(),
            &AuditQuery {
                user: Some(invited.id),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user.invite", "user.create"], "{}", b.name);
    assert!(trail.iter().all(|e| e.target.id == invited.id.0));
}

/// Settings changed from several places at once: every patch lands, none overwrites
/// another, and a form saved over someone else's change is refused.
async fn concurrent_settings_changes_are_never_lost(b: Backend) {
    let patches = [
        SettingsPatch {
            organization_name: Some("Acme Ltd".into()),
            ..SettingsPatch::default()
        },
        SettingsPatch {
            min_password_chars: Some(20),
            ..SettingsPatch::default()
        },
        SettingsPatch {
            max_failed_sign_ins: Some(7),
            ..SettingsPatch::default()
        },
        SettingsPatch {
            session_idle_minutes: Some(45),
            ..SettingsPatch::default()
        },
    ];
    let writers = patches.into_iter().map(|patch| {
        let roster = b.roster.clone();
        tokio::spawn(async move { roster.update_settings(&test_actor(), &patch).await })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await.unwrap().unwrap();
    }
    let settings = b.roster.settings(&test_actor()).await.unwrap();
    assert_eq!(
        (
            settings.organization_name.as_str(),
            settings.min_password_chars,
            settings.max_failed_sign_ins,
            settings.session_idle_minutes,
            settings.version
        ),
        ("Acme Ltd", 20, 7, 45, 4),
        "{}",
        b.name
    );

    let mut stale_form = settings.clone();
    b.roster
        .update_settings(
            &test_actor(),
            &SettingsPatch {
                organization_name: Some("Acme Group".into()),
                ..SettingsPatch::default()
            },
        )
        .await
        .unwrap();
    stale_form.max_failed_sign_ins = 12;
    let e = b
        .roster
        .save_settings(&test_actor(), stale_form)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::VersionConflict(m) if m.contains(": organization_name)")),
        "{}: {e}",
        b.name
    );
    let now = b.roster.settings(&test_actor()).await.unwrap();
    assert_eq!(
        (now.organization_name.as_str(), now.max_failed_sign_ins),
        ("Acme Group", 7)
    );
}

/// Pages of the list, read one after another at every offset, are exactly the one big page,
/// for every sort field in both directions (the page is found by id first, then its rows).
async fn every_sort_pages_like_one_long_list(b: Backend) {
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 60).await.unwrap();
    let groups: Vec<GroupId> = {
        let mut ids = Vec::new();
        for name in ["Night", "Day"] {
            let group = NewGroup {
                name: name.into(),
                ..NewGroup::default()
            };
            ids.push(b.roster.add_group(&actor, group).await.unwrap().id);
        }
        ids
    };
    let some: Vec<UserRef> = (2..22)
        .map(|n| UserRef::Id(roster_core::UserId(n)))
        .collect();
    b.roster
        .add_members(&actor, groups[0], &some)
        .await
        .unwrap();
    b.roster
        .add_members(&actor, groups[1], &some[..7])
        .await
        .unwrap();
    for field in SortField::ALL {
        for desc in [false, true] {
            let query = |limit: u32, offset: u64| UserQuery {
                sort: sort(field, desc),
                statuses: vec![Status::Active, Status::Staged, Status::Suspended],
                limit,
                offset,
                ..UserQuery::default()
            };
            let whole = b.roster.list_users(&actor, &query(500, 0)).await.unwrap();
            let mut paged = Vec::new();
            let mut offset = 0;
            while offset < whole.total {
                let page = b
                    .roster
                    .list_users(&actor, &query(7, offset))
                    .await
                    .unwrap();
                assert_eq!(page.total, whole.total, "{}: {field:?}", b.name);
                paged.extend(page.users.into_iter().map(|u| u.id));
                offset += 7;
            }
            let ids: Vec<_> = whole.users.iter().map(|u| u.id).collect();
            assert_eq!(paged, ids, "{}: {field:?} desc={desc}", b.name);
            if field == SortField::GroupCount {
                let counts: Vec<i64> = whole.users.iter().map(|u| u.group_count).collect();
                let mut sorted = counts.clone();
                sorted.sort_unstable();
                if desc {
                    sorted.reverse();
                }
                assert_eq!(counts, sorted, "{}: sorted by group count", b.name);
            }
        }
    }
}

/// Two admins save the same user at the same moment, each over the version they opened:
/// exactly one save lands, the other is told someone else changed it, on every backend and
/// every round.
async fn two_admins_saving_the_same_user_at_once_exactly_one_wins(b: Backend) {
    let actor = test_actor();
    let user = b
        .roster
        .add_user(&actor, person("race@example.org", "Race", "Condition"))
        .await
        .unwrap();
    let mut version = user.version;
    for round in 0..25 {
        let saves = ["+1 555 0100", "+1 555 0199"].map(|phone| {
            let (roster, actor) = (b.roster.clone(), actor.clone());
            let patch = UserPatch {
                phone: Some(format!("{phone} {round}")),
                ..UserPatch::default()
            };
            tokio::spawn(async move {
                roster
                    .edit_user(&actor, &UserRef::Id(user.id), patch, Some(version))
                    .await
            })
        });
        let mut won = Vec::new();
        for save in saves {
            match save.await.unwrap() {
                Ok(saved) => won.push(saved),
                // The loser is told who changed what (the test actor may read the
                // audit trail).
                Err(Error::VersionConflict(message)) => assert!(
                    message.contains("UTC, from ") && message.contains(": phone)"),
                    "{}: {message}",
                    b.name
                ),
                Err(other) => panic!("{}: round {round}: {other:?}", b.name),
            }
        }
        assert_eq!(won.len(), 1, "{}: round {round}", b.name);
        let stored = b
            .roster
            .find_user(&actor, &UserRef::Id(user.id))
            .await
            .unwrap();
        assert_eq!(
            stored.phone, won[0].phone,
            "{}: the winner's phone is kept",
            b.name
        );
        assert_eq!(stored.version, version + 1, "{}", b.name);
        version = stored.version;
    }
}

/// Two admins create the same person at the same moment: the database's unique keys, not a
/// check before the insert, keep one, and the other is told which field is taken. Keys
/// differ by accents: "rené" and "rene" are two people on every backend, whatever the
/// server's collation thinks of é and e.
async fn two_creates_at_once_never_make_a_duplicate(b: Backend) {
    let actor = test_actor();
    for round in 0..10 {
        let email = format!("twin{round}@example.org");
        let creates = ["First", "Second"].map(|first| {
            let (roster, actor) = (b.roster.clone(), actor.clone());
            let input = person(&email, first, "Twin");
            tokio::spawn(async move { roster.add_user(&actor, input).await })
        });
        let mut created = 0;
        for create in creates {
            match create.await.unwrap() {
                Ok(_) => created += 1,
                // Both keys are taken (the username is derived from the email); the
                // database may name either.
                Err(Error::Conflict(field)) => assert!(
                    ["email", "username"].contains(&field.field.as_str()),
                    "{}: {field:?}",
                    b.name
                ),
                Err(other) => panic!("{}: round {round}: {other:?}", b.name),
            }
        }
        assert_eq!(created, 1, "{}: round {round}", b.name);
    }
    let mut rene = person("rene@example.org", "René", "Accent");
    rene.username = Some("rene".into());
    let mut rene_accent = person("rené@example.org", "René", "Accent");
    rene_accent.username = Some("rené".into());
    b.roster.add_user(&actor, rene).await.unwrap();
    b.roster
        .add_user(&actor, rene_accent)
        .await
        .unwrap_or_else(|e| panic!("{}: rené is not rene: {e}", b.name));
    assert_eq!(count(&b.roster).await, 12, "{}", b.name);
}

/// Another workstation's change is noticed by a watch on this one, including a change whose
/// transaction took its ids first but committed last (on a server, ids are handed out at
/// insert, not at commit), and after more changes than the watch's counted window holds.
async fn changes_from_another_connection_are_noticed(db: TempDatabase) {
    let name = db.backend();
    let (here, _) = db.roster().await;
    let (there, _) = db.roster().await;
    let actor = test_actor();
    let mut watch = ChangeWatch::default();
    assert!(
        !here.poll_changes(&mut watch).await.unwrap(),
        "{name}: first look"
    );
    assert!(
        !here.poll_changes(&mut watch).await.unwrap(),
        "{name}: nothing happened"
    );

    there
        .add_user(&actor, person("elsewhere@example.org", "Else", "Where"))
        .await
        .unwrap();
    assert!(
        here.poll_changes(&mut watch).await.unwrap(),
        "{name}: a user added"
    );
    assert!(
        !here.poll_changes(&mut watch).await.unwrap(),
        "{name}: seen once"
    );

    let wrong = SignInRequest {
        login: "elsewhere@example.org".into(),
        password: "not the password".into(),
        code: None,
    };
    there
        .sign_in(&wrong, "ws-2", Origin::Desktop)
        .await
        .unwrap_err();
    assert!(
        here.poll_changes(&mut watch).await.unwrap(),
        "{name}: a failed sign-in"
    );

    match name {
        "postgres" => {
            let conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            commit_late(conn, &here, &there, &mut watch, name).await;
        }
        "mysql" => {
            let conn = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
            commit_late(conn, &here, &there, &mut watch, name).await;
        }
        // One writer at a time: ids are taken in commit order.
        _ => {}
    }

    seed::seed(&there, &actor, 0, 2_500).await.unwrap();
    assert!(
        here.poll_changes(&mut watch).await.unwrap(),
        "{name}: 2,500 users"
    );
    assert!(
        !here.poll_changes(&mut watch).await.unwrap(),
        "{name}: after a new floor"
    );
    there
        .add_user(&actor, person("after@example.org", "Af", "Ter"))
        .await
        .unwrap();
    assert!(
        here.poll_changes(&mut watch).await.unwrap(),
        "{name}: above the new floor"
    );
}

/// A transaction that takes an audit id, then waits while another connection commits a
/// later id, and commits last.
async fn commit_late<C>(
    mut slow: C,
    here: &Roster,
    there: &Roster,
    watch: &mut ChangeWatch,
    name: &str,
) where
    C: sqlx::Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
{
    use sqlx::Executor;
    slow.execute("BEGIN").await.unwrap();
    slow.execute(
        "INSERT INTO audit_log (at, actor, workstation, origin, action, target_kind, \
         target_id, target_name, changes) \
         VALUES (0, 'slow', 'ws-3', 'cli', 'group.updated', 'group', 0, 'slow', '[]')",
    )
    .await
    .unwrap();
    there
        .add_user(&test_actor(), person("fast@example.org", "Fa", "St"))
        .await
        .unwrap();
    assert!(
        here.poll_changes(watch).await.unwrap(),
        "{name}: the fast commit"
    );
    slow.execute("COMMIT").await.unwrap();
    assert!(
        here.poll_changes(watch).await.unwrap(),
        "{name}: the slow commit, of a lower id"
    );
}

/// Groups and roles are versioned like users: of two admins saving the same version at
/// once, exactly one wins and the other is told; a new role never replaces an existing one.
async fn two_admins_saving_a_group_or_a_role_at_once_exactly_one_wins(b: Backend) {
    let actor = test_actor();
    let group = b
        .roster
        .add_group(
            &actor,
            NewGroup {
                name: "Night shift".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    let saves = ["Nights", "Late shift"].map(|name| {
        let (roster, actor) = (b.roster.clone(), actor.clone());
        let patch = GroupPatch {
            name: Some(name.into()),
            ..GroupPatch::default()
        };
        tokio::spawn(async move {
            roster
                .update_group(&actor, group.id, patch, Some(group.version))
                .await
        })
    });
    let mut won = Vec::new();
    for save in saves {
        match save.await.unwrap() {
            Ok(saved) => won.push(saved),
            // The loser hears who renamed it, and that the name is what they changed.
            Err(Error::VersionConflict(message)) => assert!(
                message.contains("was changed by someone else since you opened it")
                    && message.contains(&format!("{}: name)", test_actor().workstation)),
                "{}: {message}",
                b.name
            ),
            Err(other) => panic!("{}: {other:?}", b.name),
        }
    }
    assert_eq!(won.len(), 1, "{}: one rename wins", b.name);
    let stored = b.roster.group(&actor, group.id).await.unwrap();
    assert_eq!(stored.name, won[0].name, "{}", b.name);
    assert_eq!(stored.version, group.version + 1, "{}", b.name);

    let desk = RoleInput {
        name: "print desk".into(),
        permissions: vec![roster_core::Permission::ViewUsers],
        ..RoleInput::default()
    };
    let role = b.roster.save_role(&actor, desk.clone()).await.unwrap();
    match b.roster.save_role(&actor, desk.clone()).await {
        Err(Error::Conflict(field)) => assert_eq!(field.field, "name", "{}", b.name),
        other => panic!("{}: a second new role of that name: {other:?}", b.name),
    }
    let saves = ["Prints", "Scans"].map(|description| {
        let (roster, actor) = (b.roster.clone(), actor.clone());
        let input = RoleInput {
            description: description.into(),
            version: Some(role.version),
            ..desk.clone()
        };
        tokio::spawn(async move { roster.save_role(&actor, input).await })
    });
    let mut won = Vec::new();
    for save in saves {
        match save.await.unwrap() {
            Ok(saved) => won.push(saved),
            Err(Error::VersionConflict(message)) => assert!(
                message.starts_with("Role 'print desk' was changed by someone else")
                    && message.contains(": permissions)"),
                "{}: {message}",
                b.name
            ),
            Err(other) => panic!("{}: {other:?}", b.name),
        }
    }
    assert_eq!(won.len(), 1, "{}: one role save wins", b.name);
    assert_eq!(won[0].version, role.version + 1, "{}", b.name);
    b.roster.delete_role(&actor, "print desk").await.unwrap();
    let gone = RoleInput {
        version: Some(won[0].version),
        ..desk
    };
    assert!(
        matches!(
            b.roster.save_role(&actor, gone).await,
            Err(Error::NotFound(_))
        ),
        "{}: saving a deleted role",
        b.name
    );
}

/// On PostgreSQL a change is announced the moment it commits (LISTEN/NOTIFY), so windows
/// need not ask every few seconds; the other backends announce nothing and are asked.
async fn postgres_announces_each_change_as_it_commits(db: TempDatabase) {
    let (there, _) = db.roster().await;
    let database = roster_store::Database::open(&db.url, roster_store::OpenMode::MustExist)
        .await
        .unwrap();
    let signal = database.change_signal().await;
    if db.backend() != "postgres" {
        assert!(signal.is_none(), "{}: nothing announces", db.backend());
        return;
    }
    let mut signal = signal.expect("PostgreSQL announces changes");
    there
        .add_user(
            &test_actor(),
            person("announced@example.org", "An", "Nounced"),
        )
        .await
        .unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), signal.changed())
        .await
        .expect("announced within 5 s")
        .unwrap();
}

async fn newest_entry(roster: &Roster) -> roster_core::AuditEntry {
    let newest = AuditQuery {
        limit: 1,
        ..Default::default()
    };
    roster
        .audit(&test_actor(), &newest)
        .await
        .unwrap()
        .remove(0)
}

/// `bytes` as a literal each database reads as binary.
fn binary_literal(backend: &str, bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    match backend {
        "postgres" => format!("decode('{hex}', 'hex')"),
        _ => format!("X'{hex}'"),
    }
}

/// Every entry Roster writes is chained; each kind of change made behind its back, straight
/// in the database, is found at the entry it touched, and the log reads intact once undone.
async fn the_audit_chain_finds_each_change_made_behind_rosters_back(db: TempDatabase) {
    let name = db.backend();
    let (roster, _) = db.roster().await;
    let actor = test_actor();
    seed::seed(&roster, &actor, 0, 12).await.unwrap();
    let ids: Vec<UserRef> = roster
        .matching_user_ids(&actor, &UserQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(UserRef::Id)
        .collect();
    roster
        .change_status(&actor, &ids[..4], StatusAction::Suspend)
        .await
        .unwrap();
    let intact = roster.verify_audit(&actor, None).await.unwrap();
    assert_eq!(intact.problem, None, "{name}: {}", intact.summary());
    assert_eq!(intact.entries as usize, audit_len(&roster).await, "{name}");
    let (first, last) = (intact.first.unwrap(), intact.last.unwrap());
    let middle = (first + last) / 2;

    // The newest entry again, as forged by someone who knows how the chain is made.
    let anchor = roster_core::ChainAnchor::parse(intact.anchor.as_deref().unwrap()).unwrap();
    assert_eq!(anchor.entry, last, "{name}");
    let newest = newest_entry(&roster).await;
    let changes = serde_json::to_string(&newest.changes).unwrap();
    let forged_prev = anchor.hash.to_vec();
    let forged_hash = roster_core::chain_link(
        &anchor.hash,
        &roster_core::ChainContent {
            at_millis: newest.at.timestamp_millis(),
            actor: &newest.actor,
            workstation: &newest.workstation,
            origin: newest.origin.as_str(),
            action: "user.delete",
            target_kind: &newest.target.kind,
            target_id: newest.target.id,
            target_name: &newest.target.name,
            changes: &changes,
        },
    );
    let insert = |prev: &str, hash: &str| {
        format!(
            "INSERT INTO audit_log (id, at, actor, workstation, origin, action, \
             target_kind, target_id, target_name, changes, prev_hash, hash) \
             SELECT {}, at, actor, workstation, origin, 'user.delete', target_kind, \
             target_id, target_name, changes, {prev}, {hash} FROM audit_log WHERE id = {last}",
            last + 1
        )
    };
    let cases = [
        (
            format!("UPDATE audit_log SET actor = 'mallory' WHERE id = {middle}"),
            ChainProblem::Changed { entry: middle },
        ),
        (
            format!("DELETE FROM audit_log WHERE id = {middle}"),
            ChainProblem::Broken {
                entry: middle + 1,
                after: Some(middle - 1),
            },
        ),
        (
            format!("DELETE FROM audit_log WHERE id = {first}"),
            ChainProblem::Broken {
                entry: first + 1,
                after: None,
            },
        ),
        (
            format!("DELETE FROM audit_log WHERE id = {last}"),
            ChainProblem::Truncated {
                after: Some(last - 1),
            },
        ),
        (
            insert("NULL", "NULL"),
            ChainProblem::Unsealed { entry: last + 1 },
        ),
        (
            insert(
                &binary_literal(name, &forged_prev),
                &binary_literal(name, &forged_hash),
            ),
            ChainProblem::Appended { after: last },
        ),
    ];
    db.tamper("CREATE TABLE audit_backup AS SELECT * FROM audit_log")
        .await;
    for (statement, expected) in cases {
        db.tamper(&statement).await;
        let report = roster.verify_audit(&actor, None).await.unwrap();
        assert_eq!(report.problem, Some(expected), "{name}: {statement}");
        assert!(report.summary().starts_with("NOT intact"), "{name}");
        db.tamper("DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup")
            .await;
        let again = roster.verify_audit(&actor, None).await.unwrap();
        assert_eq!(again.problem, None, "{name}: undone {statement}");
    }

    // An entry rehashed with the head moved to match: its own hash gives it away, and
    // the anchor saved before no longer matches.
    db.tamper(&format!(
        "UPDATE audit_log SET hash = {} WHERE id = {last}; \
         UPDATE audit_chain SET head_hash = {} WHERE id = 1",
        binary_literal(name, &forged_hash),
        binary_literal(name, &forged_hash)
    ))
    .await;
    let rewritten = roster.verify_audit(&actor, Some(anchor)).await.unwrap();
    assert_eq!(
        rewritten.problem,
        Some(ChainProblem::Changed { entry: last }),
        "{name}: a rehashed entry whose content was kept"
    );
    assert_eq!(
        rewritten.anchor_check, None,
        "{name}: the walk stopped first"
    );
}

/// Purging keeps what is newer than the cut, records itself, and leaves a chain that
/// verifies from the oldest entry kept; only the settings permission may purge.
async fn purging_old_entries_keeps_the_chain_verifiable(b: Backend) {
    let name = b.name;
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 5).await.unwrap();
    let wrong = SignInRequest {
        login: "nobody@example.org".into(),
        password: "wrong".into(),
        code: None,
    };
    b.roster
        .sign_in(&wrong, "ws-1", Origin::Desktop)
        .await
        .unwrap_err();
    let old = audit_len(&b.roster).await;
    b.clock.advance(chrono::Duration::days(40));
    seed::seed(&b.roster, &actor, 5, 8).await.unwrap();
    let cut = b.clock.now() - chrono::Duration::days(30);

    let helpdesk = roster_core::Actor {
        rights: roster_core::Rights::Account {
            user: roster_core::UserId(99),
            role: "helpdesk".into(),
            permissions: roster_core::built_in_permissions("helpdesk").unwrap(),
            scope: None,
        },
        ..test_actor()
    };
    let refused = b.roster.purge_audit(&helpdesk, cut).await.unwrap_err();
    assert_eq!(refused.code(), roster_core::ErrorCode::Forbidden, "{name}");
    let future = b
        .roster
        .purge_audit(&actor, b.clock.now() + chrono::Duration::days(1))
        .await
        .unwrap_err();
    assert_eq!(future.fields()[0].field, "before", "{name}");

    let purged = b.roster.purge_audit(&actor, cut).await.unwrap();
    assert_eq!(purged.entries as usize, old, "{name}");
    assert_eq!(purged.sign_ins, 1, "{name}");
    let report = b.roster.verify_audit(&actor, None).await.unwrap();
    assert_eq!(report.problem, None, "{name}: {}", report.summary());
    assert_eq!(report.first, purged.last_entry.map(|id| id + 1), "{name}");
    assert!(report.purged_through.is_some(), "{name}");
    let newest = newest_entry(&b.roster).await;
    assert_eq!(newest.action, "audit.purge", "{name}");
    assert_eq!(
        b.roster.purge_audit(&actor, cut).await.unwrap().entries,
        0,
        "{name}: nothing left that old"
    );

    // The retention setting purges the same way.
    b.roster
        .update_settings(
            &actor,
            &SettingsPatch {
                audit_retention_days: Some(10),
                ..SettingsPatch::default()
            },
        )
        .await
        .unwrap();
    b.clock.advance(chrono::Duration::days(20));
    let kept_forever = b.roster.apply_audit_retention(&actor).await.unwrap();
    assert!(kept_forever.unwrap().entries > 0, "{name}");
    let report = b.roster.verify_audit(&actor, None).await.unwrap();
    assert_eq!(report.problem, None, "{name}: {}", report.summary());
    assert_eq!(report.entries, 1, "{name}: only the last purge's own entry");
}

/// The Audit log screen's filters each narrow the list, and pages follow one another.
async fn audit_filters_narrow_and_pages_follow_on(b: Backend) {
    let name = b.name;
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 6).await.unwrap();
    b.clock.advance(chrono::Duration::days(2));
    let other = roster_core::Actor {
        name: "grace".into(),
        workstation: "helpdesk-7".into(),
        origin: Origin::Desktop,
        ..test_actor()
    };
    let ids: Vec<UserRef> = b
        .roster
        .matching_user_ids(&actor, &UserQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(UserRef::Id)
        .collect();
    b.roster
        .change_status(&other, &ids[..3], StatusAction::Suspend)
        .await
        .unwrap();
    let read = |query: AuditQuery| {
        let roster = b.roster.clone();
        async move {
            roster
                .audit(
                    &test_actor(),
                    &AuditQuery {
                        limit: 100,
                        ..query
                    },
                )
                .await
                .unwrap()
        }
    };
    let all = read(AuditQuery::default()).await;
    let by_grace = read(AuditQuery {
        actor: Some("grace".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_grace.len(), 3, "{name}");
    assert!(
        by_grace.iter().all(|e| e.action == "user.suspend"),
        "{name}"
    );
    for query in [
        AuditQuery {
            action: Some("user.suspend".into()),
            ..Default::default()
        },
        AuditQuery {
            origin: Some(Origin::Desktop),
            ..Default::default()
        },
        AuditQuery {
            workstation: Some("helpdesk-7".into()),
            ..Default::default()
        },
        AuditQuery {
            from: Some(b.clock.now()),
            ..Default::default()
        },
    ] {
        assert_eq!(read(query.clone()).await, by_grace, "{name}: {query:?}");
    }
    let before_grace = read(AuditQuery {
        until: Some(b.clock.now()),
        ..Default::default()
    })
    .await;
    assert_eq!(before_grace.len() + 3, all.len(), "{name}");

    let suspended = &by_grace[0];
    let about = read(AuditQuery {
        target_kind: Some("user".into()),
        target_id: Some(suspended.target.id),
        ..Default::default()
    })
    .await;
    assert!(about.len() >= 2, "{name}: created, then suspended");
    assert!(
        about.iter().all(|e| e.target.id == suspended.target.id),
        "{name}"
    );

    // Text search: a target's name in any case, a changed value, and SQL that stays text.
    let found = read(AuditQuery {
        text: Some(suspended.target.name.to_uppercase()),
        ..Default::default()
    })
    .await;
    assert!(found.iter().any(|e| e.id == suspended.id), "{name}");
    let suspended_value = read(AuditQuery {
        text: Some("SUSPENDED".into()),
        ..Default::default()
    })
    .await;
    assert!(
        by_grace.iter().all(|e| suspended_value.contains(e)),
        "{name}: every suspension"
    );
    assert!(
        suspended_value.iter().all(|e| e
            .changes
            .iter()
            .any(|c| c.after.as_deref() == Some("suspended"))),
        "{name}: only entries with that value"
    );
    for hostile in ["' OR 1=1 --", "%", "a_b"] {
        assert!(
            read(AuditQuery {
                text: Some(hostile.into()),
                ..Default::default()
            })
            .await
            .is_empty(),
            "{name}: {hostile}"
        );
    }

    // Pages of 4 walk the whole list once, newest first.
    let mut walked = Vec::new();
    let mut before = None;
    loop {
        let page = read(AuditQuery {
            before,
            limit: 4,
            ..Default::default()
        })
        .await;
        let page: Vec<_> = page.into_iter().take(4).collect();
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        walked.extend(page);
    }
    assert_eq!(walked, all, "{name}");

    let mut exported = Vec::new();
    let n = b
        .roster
        .export_audit(&actor, &AuditQuery::default(), &mut |e| {
            exported.push(e.clone());
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!((n as usize, exported), (all.len(), all.clone()), "{name}");
}

async fn organizations_are_renamed_and_deleted_with_what_belongs_to_them(b: Backend) {
    let actor = test_actor();
    let in_org = |email: &str, org: &str| NewUser {
        organization: Some(org.into()),
        ..person(email, "Org", "Member")
    };
    let ada = b
        .roster
        .add_user(&actor, in_org("ada@example.org", "Acme"))
        .await
        .unwrap();
    b.roster
        .add_user(&actor, in_org("alan@example.org", "ACME"))
        .await
        .unwrap();
    b.roster
        .add_user(&actor, in_org("grace@example.org", "Beta"))
        .await
        .unwrap();
    for (group, org) in [("Ops", "Acme"), ("Sales", "Acme"), ("Ops", "Beta")] {
        let group = NewGroup {
            name: group.into(),
            organization: Some(org.into()),
            ..NewGroup::default()
        };
        b.roster.add_group(&actor, group).await.unwrap();
    }
    let counts = |orgs: &[roster_core::Organization]| {
        orgs.iter()
            .map(|o| (o.name.clone(), o.users, o.groups))
            .collect::<Vec<_>>()
    };
    let listed = b.roster.list_organizations(&actor).await.unwrap();
    assert_eq!(
        counts(&listed),
        vec![("Acme".into(), 2, 2), ("Beta".into(), 1, 1)],
        "{}",
        b.name
    );
    let (acme, beta) = (listed[0].id, listed[1].id);

    let before = audit_len(&b.roster).await;
    let taken = b
        .roster
        .add_organization(&actor, " acme ")
        .await
        .unwrap_err();
    assert!(
        matches!(&taken, Error::Conflict(f) if f.field == "name"),
        "{taken:?}"
    );
    let empty = b.roster.add_organization(&actor, "  ").await.unwrap_err();
    assert_eq!(empty.fields()[0].field, "name");
    let long = b.roster.add_organization(&actor, &"x".repeat(500)).await;
    assert_eq!(long.unwrap_err().fields()[0].field, "name");
    let clash = b
        .roster
        .rename_organization(&actor, beta, "ACME")
        .await
        .unwrap_err();
    assert!(
        matches!(&clash, Error::Conflict(f) if f.field == "name"),
        "{clash:?}"
    );
    let in_use = b
        .roster
        .delete_organization(&actor, acme, None)
        .await
        .unwrap_err();
    assert!(
        in_use
            .to_string()
            .contains("still has 2 users and 2 groups"),
        "{}: {in_use}",
        b.name
    );
    let groups_clash = b
        .roster
        .delete_organization(&actor, acme, Some(beta))
        .await
        .unwrap_err();
    assert!(
        groups_clash
            .to_string()
            .contains("already has groups named Ops"),
        "{}: {groups_clash}",
        b.name
    );
    let onto_itself = b.roster.delete_organization(&actor, acme, Some(acme)).await;
    assert_eq!(onto_itself.unwrap_err().fields()[0].field, "move_to");
    assert_eq!(
        audit_len(&b.roster).await,
        before,
        "{}: refusals write nothing",
        b.name
    );

    // A rename reaches every user in it, their filter and their sort key.
    let renamed = b
        .roster
        .rename_organization(&actor, acme, "Zeta Corp")
        .await
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.users), ("Zeta Corp", 2));
    let query = UserQuery {
        organization: Some("zeta corp".into()),
        sort: sort(SortField::Organization, false),
        ..UserQuery::default()
    };
    let page = b.roster.list_users(&actor, &query).await.unwrap();
    assert_eq!(page.total, 2, "{}", b.name);
    assert!(
        page.users
            .iter()
            .all(|u| u.organization.as_deref() == Some("Zeta Corp"))
    );
    // Descending, Zeta now comes before Beta.
    let first = first_by(&b.roster, SortField::Organization, 3).await;
    assert_eq!(first[2], "grace", "{}: {first:?}", b.name);

    // Deleting with somewhere to go moves users (a form opened before the move is
    // stale) and groups, then removes it.
    let gamma = b.roster.add_organization(&actor, "Gamma").await.unwrap();
    assert_eq!((gamma.users, gamma.groups), (0, 0));
    // A console account limited to it goes where its users go.
    let desk = NewUser {
        role: Some("helpdesk".into()),
        ..person("desk@example.org", "Help", "Desk")
    };
    let desk = b.roster.add_user(&actor, desk).await.unwrap();
    let desk = UserRef::Id(desk.id);
    b.roster
        .set_account_scope(&actor, &desk, Some(vec![acme]))
        .await
        .unwrap();
    b.roster
        .delete_organization(&actor, acme, Some(gamma.id))
        .await
        .unwrap();
    let listed = b.roster.list_organizations(&actor).await.unwrap();
    assert_eq!(
        counts(&listed),
        vec![("Beta".into(), 1, 1), ("Gamma".into(), 2, 2)],
        "{}",
        b.name
    );
    let scope = b.roster.account_scope(&actor, &desk).await.unwrap();
    assert_eq!(scope, Some(vec![gamma.id]), "{}", b.name);
    let moved = b
        .roster
        .find_user(&actor, &UserRef::Id(ada.id))
        .await
        .unwrap();
    assert_eq!(moved.organization.as_deref(), Some("Gamma"));
    assert_eq!(moved.version, ada.version + 1);
    let stale = UserPatch {
        phone: Some("+1 555 0100".into()),
        ..UserPatch::default()
    };
    let stale = b
        .roster
        .edit_user(&actor, &UserRef::Id(ada.id), stale, Some(ada.version))
        .await
        .unwrap_err();
    assert_eq!(stale.code(), roster_core::ErrorCode::VersionConflict);
    let groups = b.roster.list_groups(&actor).await.unwrap();
    assert_eq!(
        groups
            .iter()
            .filter(|g| g.organization.as_deref() == Some("Gamma"))
            .count(),
        2
    );
    let entry = newest_entry(&b.roster).await;
    assert_eq!(entry.action, "organization.delete");
    assert_eq!(entry.target.name, "Zeta Corp");
    assert!(
        entry
            .changes
            .iter()
            .any(|c| c.field == "moved_to" && c.after.as_deref() == Some("Gamma"))
    );

    // An empty organization goes without anywhere to move to.
    let empty = b.roster.add_organization(&actor, "Empty").await.unwrap();
    b.roster
        .delete_organization(&actor, empty.id, None)
        .await
        .unwrap();
    let gone = b.roster.rename_organization(&actor, empty.id, "Back").await;
    assert_eq!(gone.unwrap_err().code(), roster_core::ErrorCode::NotFound);
}

/// An admin limited to these organizations, as a signed-in session makes one.
fn admin_of(scope: Vec<roster_core::OrganizationId>) -> roster_core::Actor {
    let permissions = roster_core::built_in_permissions("admin")
        .unwrap()
        .into_iter()
        .filter(|p| !p.directory_wide())
        .collect();
    roster_core::Actor {
        name: "scoped".into(),
        workstation: "desk".into(),
        origin: Origin::Desktop,
        rights: roster_core::Rights::Account {
            user: roster_core::UserId(0),
            role: "admin".into(),
            permissions,
            scope: Some(scope),
        },
    }
}

async fn a_scoped_admin_sees_and_changes_only_its_organizations(b: Backend) {
    let operator = test_actor();
    seed::seed(&b.roster, &operator, 0, 30).await.unwrap();
    for (group, org) in [("Ops", "Acme"), ("Ops", "Globex")] {
        let group = NewGroup {
            name: group.into(),
            organization: Some(org.into()),
            ..NewGroup::default()
        };
        b.roster.add_group(&operator, group).await.unwrap();
    }
    let acme = b.roster.find_organization(&operator, "Acme").await.unwrap();
    let actor = admin_of(vec![acme.id]);

    let page = b
        .roster
        .list_users(&actor, &UserQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 10, "{}", b.name);
    assert!(
        page.users
            .iter()
            .all(|u| u.organization.as_deref() == Some("Acme"))
    );
    let overview = b.roster.overview(&actor, None).await.unwrap();
    assert_eq!(overview.total, 10, "{}", b.name);
    let one = b.roster.overview(&operator, Some(acme.id)).await.unwrap();
    assert_eq!(
        one.total, 10,
        "{}: the overview of one organization",
        b.name
    );
    let globex = b
        .roster
        .find_organization(&operator, "Globex")
        .await
        .unwrap();
    let hidden = b
        .roster
        .overview(&actor, Some(globex.id))
        .await
        .unwrap_err();
    assert_eq!(hidden.code(), roster_core::ErrorCode::NotFound);
    let facets = b.roster.facets(&actor).await.unwrap();
    assert_eq!(facets.organizations, vec!["Acme"]);
    let holders: i64 = b
        .roster
        .list_roles(&actor)
        .await
        .unwrap()
        .iter()
        .map(|r| r.user_count)
        .sum();
    assert_eq!(holders, 10, "{}: roles count Acme's users only", b.name);
    assert!(
        facets
            .groups
            .iter()
            .all(|g| g.organization.as_deref() == Some("Acme"))
    );
    assert_eq!(facets.groups.len(), 1);
    let entries = b
        .roster
        .audit(
            &actor,
            &AuditQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let acme_users: Vec<i64> = page.users.iter().map(|u| u.id.0).collect();
    assert!(!entries.is_empty());
    assert!(
        entries.iter().all(|e| match e.target.kind.as_str() {
            "user" => acme_users.contains(&e.target.id),
            "group" | "organization" => e.target.name == "Ops" || e.target.name == "Acme",
            _ => false,
        }),
        "{}: {:?}",
        b.name,
        entries.iter().map(|e| &e.target).collect::<Vec<_>>()
    );

    // Outside, a user is not found, and nothing is written trying.
    let globex_user = b
        .roster
        .list_users(
            &operator,
            &UserQuery {
                organization: Some("Globex".into()),
                limit: 1,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap()
        .users
        .remove(0);
    let before = audit_len(&b.roster).await;
    let outside = UserRef::Id(globex_user.id);
    let missing = b.roster.find_user(&actor, &outside).await.unwrap_err();
    assert_eq!(missing.code(), roster_core::ErrorCode::NotFound);
    let patch = UserPatch {
        phone: Some("+1 555 0199".into()),
        ..UserPatch::default()
    };
    let refused = b.roster.edit_user(&actor, &outside, patch, None).await;
    assert_eq!(
        refused.unwrap_err().code(),
        roster_core::ErrorCode::NotFound
    );
    let refused = b
        .roster
        .change_status(
            &actor,
            &[outside.clone(), UserRef::Id(page.users[0].id)],
            StatusAction::Suspend,
        )
        .await;
    assert_eq!(
        refused.unwrap_err().code(),
        roster_core::ErrorCode::NotFound
    );
    let refused = b.roster.add_organization(&actor, "Umbrella").await;
    assert_eq!(
        refused.unwrap_err().code(),
        roster_core::ErrorCode::Forbidden
    );
    let moved_out = UserPatch {
        organization: Some("Globex".into()),
        ..UserPatch::default()
    };
    let refused = b
        .roster
        .edit_user(&actor, &UserRef::Id(page.users[0].id), moved_out, None)
        .await
        .unwrap_err();
    assert_eq!(refused.fields()[0].field, "organization", "{refused}");
    let elsewhere = NewUser {
        organization: Some("Globex".into()),
        ..person("new.elsewhere@example.org", "New", "Elsewhere")
    };
    let refused = b.roster.add_user(&actor, elsewhere).await.unwrap_err();
    assert_eq!(refused.fields()[0].field, "organization", "{refused}");
    assert_eq!(
        audit_len(&b.roster).await,
        before,
        "{}: refusals write nothing",
        b.name
    );

    // A new user without an organization lands in the only one the admin has.
    let created = b
        .roster
        .add_user(&actor, person("new.inside@example.org", "New", "Inside"))
        .await
        .unwrap();
    assert_eq!(created.organization.as_deref(), Some("Acme"));

    // A console account in Acme that administers the whole directory is beyond a
    // scoped admin, until it too is limited to Acme; nor may it make a new one.
    let desk = page
        .users
        .iter()
        .find(|u| u.role == "helpdesk")
        .expect("the seed puts a helpdesk in Acme");
    let desk = UserRef::Id(desk.id);
    let phone = || UserPatch {
        phone: Some("+1 555 0123".into()),
        ..UserPatch::default()
    };
    let beyond = b.roster.edit_user(&actor, &desk, phone(), None).await;
    assert_eq!(
        beyond.unwrap_err().code(),
        roster_core::ErrorCode::Forbidden
    );
    b.roster
        .set_account_scope(&operator, &desk, Some(vec![acme.id]))
        .await
        .unwrap();
    b.roster
        .edit_user(&actor, &desk, phone(), None)
        .await
        .unwrap();
    let console = NewUser {
        role: Some("helpdesk".into()),
        ..person("new.desk@example.org", "New", "Desk")
    };
    let refused = b.roster.add_user(&actor, console).await.unwrap_err();
    assert_eq!(
        refused.code(),
        roster_core::ErrorCode::Forbidden,
        "{refused}"
    );
}

/// For every scope over the seeded organizations and a range of searches and filters, the
/// list, its count, "select all matching" and the export hold exactly the users of the
/// whole directory's answer that lie in the scope: never one outside, never one missing.
async fn every_scope_narrows_list_count_selection_and_export_exactly(b: Backend) {
    let operator = test_actor();
    seed::seed(&b.roster, &operator, 0, 42).await.unwrap();
    let orgs = b.roster.list_organizations(&operator).await.unwrap();
    let queries = [
        UserQuery::default(),
        UserQuery {
            search: "a".into(),
            ..UserQuery::default()
        },
        UserQuery {
            search: "lov".into(),
            ..UserQuery::default()
        },
        UserQuery {
            statuses: vec![Status::Active, Status::Suspended],
            ..UserQuery::default()
        },
        UserQuery {
            organization: Some("Globex".into()),
            sort: sort(SortField::Email, true),
            ..UserQuery::default()
        },
    ];
    for mask in 0..(1u32 << orgs.len()) {
        let scope: Vec<_> = orgs
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, o)| o.id)
            .collect();
        let actor = admin_of(scope.clone());
        for query in &queries {
            let all = UserQuery {
                limit: 1000,
                ..query.clone()
            };
            let expected: Vec<_> = b
                .roster
                .list_users(&operator, &all)
                .await
                .unwrap()
                .users
                .into_iter()
                .filter(|u| u.organization_id.is_some_and(|o| scope.contains(&o)))
                .map(|u| u.id)
                .collect();
            let page = b.roster.list_users(&actor, &all).await.unwrap();
            let listed: Vec<_> = page.users.iter().map(|u| u.id).collect();
            assert_eq!(listed, expected, "{} scope {mask:b} {query:?}", b.name);
            assert_eq!(page.total, expected.len() as u64);
            let counted = b.roster.count_users(&actor, query, None).await.unwrap();
            assert_eq!(counted.n, expected.len() as u64);
            let ids = b.roster.matching_user_ids(&actor, query).await.unwrap();
            assert_eq!(ids, expected, "{} scope {mask:b} {query:?}", b.name);
            let mut exported = Vec::new();
            b.roster
                .export_users(&actor, query, &mut |u| {
                    exported.push(u.id);
                    Ok(())
                })
                .await
                .unwrap();
            assert_eq!(exported, expected, "{} scope {mask:b} {query:?}", b.name);
        }
    }
}

fn laptop(name: &str, serial: &str) -> DeviceDraft {
    DeviceDraft {
        name: name.into(),
        os: DeviceOs::Windows,
        model: "ThinkPad T14".into(),
        serial: serial.into(),
    }
}

/// Active users named FIRST (username first, lower-case), each in an organization.
async fn add_people(roster: &Roster, people: &[(&str, &str)]) {
    for (first, org) in people {
        let user = NewUser {
            organization: Some((*org).into()),
            status: Some(Status::Active),
            ..person(
                &format!("{}@example.org", first.to_lowercase()),
                first,
                "Device",
            )
        };
        roster.add_user(&test_actor(), user).await.unwrap();
    }
}

async fn device_count(roster: &Roster, user: &str) -> i64 {
    roster
        .find_user(&test_actor(), &by(user))
        .await
        .unwrap()
        .device_count
}

async fn devices_named(roster: &Roster, query: DeviceQuery) -> (Vec<String>, u64) {
    let page = roster
        .list_devices(
            &test_actor(),
            &DeviceQuery {
                limit: 2,
                ..query.clone()
            },
        )
        .await
        .unwrap();
    let mut names: Vec<String> = page.devices.iter().map(|d| d.name.clone()).collect();
    let mut offset = 2;
    while offset < page.total {
        let more = roster
            .list_devices(
                &test_actor(),
                &DeviceQuery {
                    limit: 2,
                    offset,
                    ..query.clone()
                },
            )
            .await
            .unwrap();
        names.extend(more.devices.iter().map(|d| d.name.clone()));
        offset += 2;
    }
    (names, page.total)
}

/// Enrollment checks the token and its owner, then writes the device. A revocation or a
/// suspension that lands in between (an admin who has just learnt a token leaked) must
/// win: the store checks both again inside the write, holding them to the commit. Here
/// the write is handed a device whose checks passed before the token was revoked or the
/// owner suspended, as an enrollment racing them would be.
async fn no_device_enrolls_on_a_token_withdrawn_while_it_was_checked(db: TempDatabase) {
    let (roster, clock) = db.roster().await;
    let repo = roster_store::Database::open(&db.url, roster_store::OpenMode::MustExist)
        .await
        .unwrap()
        .repository();
    let operator = test_actor();
    add_people(&roster, &[("Ana", "Acme"), ("Ben", "Acme")]).await;
    let checked = |token: &roster_core::IssuedToken, owner: &User| roster_core::NewDevice {
        draft: laptop("LAPTOP", &format!("SN-{}", token.token.id)),
        owner: owner.id,
        organization: owner.organization_id,
        enrolled_at: clock.now(),
        enrolled_by: owner.username.clone(),
        token: Some((
            token.token.id,
            token.text[token.text.len() - 4..].to_owned(),
        )),
    };
    let record = || roster_core::AuditRecord {
        at: clock.now(),
        actor: "ana".into(),
        workstation: "test-host".into(),
        origin: Origin::Desktop,
        action: "device.enroll".into(),
        target: roster_core::AuditTarget {
            kind: "device".into(),
            id: 0,
            name: "LAPTOP".into(),
        },
        changes: Vec::new(),
    };

    let ana = roster.find_user(&operator, &by("ana")).await.unwrap();
    let revoked = roster
        .issue_token(&operator, &by("ana"), None)
        .await
        .unwrap();
    let device = checked(&revoked, &ana);
    roster
        .revoke_token(&operator, revoked.token.id)
        .await
        .unwrap();
    let refused = repo.insert_device(&device, record()).await;
    assert!(
        matches!(refused, Err(roster_core::StoreError::TokenWithdrawn)),
        "a revoked token enrolled on {}: {refused:?}",
        db.backend()
    );

    let ben = roster.find_user(&operator, &by("ben")).await.unwrap();
    let token = roster
        .issue_token(&operator, &by("ben"), None)
        .await
        .unwrap();
    let device = checked(&token, &ben);
    roster
        .change_status(&operator, &[by("ben")], StatusAction::Suspend)
        .await
        .unwrap();
    let refused = repo.insert_device(&device, record()).await;
    assert!(
        matches!(refused, Err(roster_core::StoreError::TokenWithdrawn)),
        "a suspended user's token enrolled on {}: {refused:?}",
        db.backend()
    );
    let devices = roster
        .list_devices(&operator, &DeviceQuery::default())
        .await
        .unwrap();
    assert_eq!(devices.total, 0, "{}", db.backend());

    // The same write goes through while the token and its owner are as checked.
    let token = roster
        .issue_token(&operator, &by("ana"), None)
        .await
        .unwrap();
    repo.insert_device(&checked(&token, &ana), record())
        .await
        .unwrap();
}

async fn devices_enroll_with_a_users_token_and_only_then(b: Backend) {
    let operator = test_actor();
    let roster = &b.roster;
    add_people(
        roster,
        &[
            ("Ana", "Acme"),
            ("Ben", "Acme"),
            ("Cy", "Globex"),
            ("Sue", "Acme"),
        ],
    )
    .await;
    let token = roster
        .issue_token(&operator, &by("ana@example.org"), None)
        .await
        .unwrap();
    let enrolled = roster
        .enroll_device(&operator, &token.text, &laptop(" LAPTOP-ANA ", "C02X"))
        .await
        .unwrap();
    assert_eq!(enrolled.name, "LAPTOP-ANA", "{}", b.name);
    assert_eq!(enrolled.owner.as_deref(), Some("ana"), "{}", b.name);
    assert_eq!(enrolled.organization.as_deref(), Some("Acme"), "{}", b.name);
    assert_eq!(
        enrolled.token.as_deref(),
        Some(token.token.display.as_str())
    );
    assert_eq!(enrolled.state, DeviceState::Active);
    assert_eq!(enrolled.last_activity_at, Some(b.clock.now()));
    assert_eq!(device_count(roster, "ana").await, 1, "{}", b.name);
    let entry = newest_entry(roster).await;
    assert_eq!(
        (entry.action.as_str(), entry.actor.as_str(), entry.target.id),
        ("device.enroll", "ana", enrolled.id.0),
        "{}",
        b.name
    );
    let used = roster
        .list_tokens(&operator, &roster_core::TokenQuery::default())
        .await
        .unwrap();
    assert_eq!(used[0].last_used_at, Some(b.clock.now()), "{}", b.name);

    // Serial numbers are unique within an organization, in any case, and only there.
    let ben = roster
        .issue_token(&operator, &by("ben"), None)
        .await
        .unwrap();
    let before = audit_len(roster).await;
    let taken = roster
        .enroll_device(&operator, &ben.text, &laptop("LAPTOP-BEN", "c02x"))
        .await
        .unwrap_err();
    assert_eq!(taken.code(), ErrorCode::Conflict, "{}", b.name);
    assert_eq!(taken.fields()[0].field, "serial");
    assert!(taken.to_string().contains("c02x"), "{taken}");
    assert_eq!(audit_len(roster).await, before, "{}", b.name);
    assert_eq!(device_count(roster, "ben").await, 0, "{}", b.name);
    let cy = roster
        .issue_token(&operator, &by("cy"), None)
        .await
        .unwrap();
    roster
        .enroll_device(&operator, &cy.text, &laptop("LAPTOP-CY", "C02X"))
        .await
        .unwrap();
    // Devices without a serial never clash.
    for name in ["PHONE-BEN", "TABLET-BEN"] {
        let phone = DeviceDraft {
            os: DeviceOs::Android,
            ..laptop(name, "")
        };
        roster
            .enroll_device(&operator, &ben.text, &phone)
            .await
            .unwrap();
    }
    assert_eq!(device_count(roster, "ben").await, 2, "{}", b.name);

    // Each refusal says why, and writes nothing.
    let short = roster
        .issue_token(&operator, &by("ana"), Some(1))
        .await
        .unwrap();
    let revoked = roster
        .issue_token(&operator, &by("ana"), None)
        .await
        .unwrap();
    roster
        .revoke_token(&operator, revoked.token.id)
        .await
        .unwrap();
    let sue = roster
        .issue_token(&operator, &by("sue"), None)
        .await
        .unwrap();
    roster
        .change_status(&operator, &[by("sue")], StatusAction::Suspend)
        .await
        .unwrap();
    b.clock.advance(chrono::Duration::days(2));
    let before = audit_len(roster).await;
    for (text, why) in [
        (short.text.as_str(), "expired on "),
        (revoked.text.as_str(), "was revoked on "),
        (sue.text.as_str(), "sue, who is suspended"),
        ("0123456789abcdef0123456789abcdef", "not a user token"),
        ("'; DROP TABLE devices; --", "not a user token"),
    ] {
        let refused = roster
            .enroll_device(&operator, text, &laptop("NEW-PC", ""))
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains(why),
            "{}: {text}: {refused}",
            b.name
        );
    }
    let blank = roster
        .enroll_device(&operator, &token.text, &laptop("  ", ""))
        .await
        .unwrap_err();
    assert_eq!(blank.fields()[0].field, "name", "{}", b.name);
    assert_eq!(audit_len(roster).await, before, "{}", b.name);
    assert_eq!(
        devices_named(roster, DeviceQuery::default()).await.1,
        4,
        "{}",
        b.name
    );
}

async fn devices_are_listed_changed_and_follow_their_owners(b: Backend) {
    let operator = test_actor();
    let roster = &b.roster;
    add_people(
        roster,
        &[("Ana", "Acme"), ("Ben", "Acme"), ("Cy", "Globex")],
    )
    .await;
    let adder = &operator;
    let add = |user: &'static str, draft: DeviceDraft| async move {
        roster.add_device(adder, &by(user), &draft).await.unwrap()
    };
    let ana_pc = add("ana", laptop("LAPTOP-ANA", "SN-1")).await;
    let ana_mac = add(
        "ana",
        DeviceDraft {
            os: DeviceOs::Macos,
            model: "MacBook Air".into(),
            ..laptop("MAC-ANA", "SN-2")
        },
    )
    .await;
    let cy_pc = add("cy", laptop("LAPTOP-CY", "SN-1")).await;
    assert_eq!(ana_pc.token, None);
    assert_eq!(ana_pc.enrolled_by, "tester");

    // Search, filters and paging agree with the total.
    let all = devices_named(roster, DeviceQuery::default()).await;
    assert_eq!(
        all,
        (
            vec!["LAPTOP-ANA".into(), "LAPTOP-CY".into(), "MAC-ANA".into()],
            3
        ),
        "{}",
        b.name
    );
    for (query, want) in [
        (
            DeviceQuery {
                search: "macbook".into(),
                ..DeviceQuery::default()
            },
            vec!["MAC-ANA"],
        ),
        (
            DeviceQuery {
                search: "sn-1".into(),
                ..DeviceQuery::default()
            },
            vec!["LAPTOP-ANA", "LAPTOP-CY"],
        ),
        (
            DeviceQuery {
                search: "cy laptop".into(),
                ..DeviceQuery::default()
            },
            vec!["LAPTOP-CY"],
        ),
        (
            DeviceQuery {
                search: "%' OR 1=1 --".into(),
                ..DeviceQuery::default()
            },
            vec![],
        ),
        (
            DeviceQuery {
                os: vec![DeviceOs::Macos, DeviceOs::Linux],
                ..DeviceQuery::default()
            },
            vec!["MAC-ANA"],
        ),
        (
            DeviceQuery {
                organization: Some("globex".into()),
                ..DeviceQuery::default()
            },
            vec!["LAPTOP-CY"],
        ),
        (
            DeviceQuery {
                owner: Some(ana_pc.owner_id.unwrap()),
                descending: true,
                ..DeviceQuery::default()
            },
            vec!["MAC-ANA", "LAPTOP-ANA"],
        ),
    ] {
        let (names, total) = devices_named(roster, query.clone()).await;
        assert_eq!(names, want, "{}: {query:?}", b.name);
        assert_eq!(total, want.len() as u64, "{}: {query:?}", b.name);
    }

    // The users list filters and sorts by how many active devices each user has.
    let with = |devices| UserQuery {
        devices: Some(devices),
        ..UserQuery::default()
    };
    assert_eq!(
        search_with(roster, with(DeviceCount::Several)).await,
        ["ana"]
    );
    assert_eq!(search_with(roster, with(DeviceCount::One)).await, ["cy"]);
    assert_eq!(search_with(roster, with(DeviceCount::None)).await, ["ben"]);
    let by_devices = UserQuery {
        sort: sort(SortField::DeviceCount, true),
        ..UserQuery::default()
    };
    assert_eq!(search_with(roster, by_devices).await, ["ana", "cy", "ben"]);

    // An edit checks the version it was read at.
    let renamed = roster
        .edit_device(
            &operator,
            ana_pc.id,
            &laptop("LAPTOP-ANA-2", "SN-1"),
            ana_pc.version,
        )
        .await
        .unwrap();
    assert_eq!(renamed.version, ana_pc.version + 1, "{}", b.name);
    let stale = roster
        .edit_device(&operator, ana_pc.id, &laptop("OLD", "SN-1"), ana_pc.version)
        .await
        .unwrap_err();
    assert_eq!(stale.code(), ErrorCode::VersionConflict, "{}", b.name);

    // Given to someone in another organization, a device moves there, unless its
    // serial number is taken there: then nothing moves.
    let before = audit_len(roster).await;
    let clash = roster
        .reassign_devices(&operator, &[ana_pc.id, ana_mac.id], &by("cy"))
        .await
        .unwrap_err();
    assert_eq!(clash.code(), ErrorCode::Conflict, "{}", b.name);
    assert_eq!(audit_len(roster).await, before, "{}", b.name);
    assert_eq!(device_count(roster, "ana").await, 2, "{}", b.name);
    let moved = roster
        .reassign_devices(&operator, &[ana_mac.id], &by("cy"))
        .await
        .unwrap();
    assert_eq!(
        moved[0].organization.as_deref(),
        Some("Globex"),
        "{}",
        b.name
    );
    assert_eq!(
        (
            device_count(roster, "ana").await,
            device_count(roster, "cy").await
        ),
        (1, 2),
        "{}",
        b.name
    );

    // Retired devices stay listed but are no longer counted; retiring twice is refused.
    roster.retire_devices(&operator, &[cy_pc.id]).await.unwrap();
    assert_eq!(device_count(roster, "cy").await, 1, "{}", b.name);
    let again = roster
        .retire_devices(&operator, &[cy_pc.id])
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::IllegalTransition, "{}", b.name);
    let retired = devices_named(
        roster,
        DeviceQuery {
            state: Some(DeviceState::Retired),
            ..DeviceQuery::default()
        },
    )
    .await;
    assert_eq!(retired.0, ["LAPTOP-CY"], "{}", b.name);

    // A user moved to another organization takes their devices along.
    let patch = UserPatch {
        organization: Some("Initech".into()),
        ..UserPatch::default()
    };
    roster
        .edit_user(&operator, &by("ana"), patch, None)
        .await
        .unwrap();
    let followed = roster.get_device(&operator, ana_pc.id).await.unwrap();
    assert_eq!(
        followed.organization.as_deref(),
        Some("Initech"),
        "{}",
        b.name
    );

    // Organizations count their devices and take them along when deleted.
    let orgs = roster.list_organizations(&operator).await.unwrap();
    let devices_of = |name: &str| orgs.iter().find(|o| o.name == name).unwrap().devices;
    assert_eq!((devices_of("Globex"), devices_of("Initech")), (2, 1));

    // A deleted user's devices are given to someone else, or retired with no owner.
    roster
        .delete_users(&operator, &[by("ana")], Some(&by("ben")))
        .await
        .unwrap();
    let given = roster.get_device(&operator, ana_pc.id).await.unwrap();
    assert_eq!(
        (given.owner.as_deref(), given.organization.as_deref()),
        (Some("ben"), Some("Acme")),
        "{}",
        b.name
    );
    assert_eq!(device_count(roster, "ben").await, 1, "{}", b.name);
    roster
        .delete_users(&operator, &[by("cy")], None)
        .await
        .unwrap();
    let orphan = roster.get_device(&operator, ana_mac.id).await.unwrap();
    assert_eq!(
        (orphan.owner, orphan.state),
        (None, DeviceState::Retired),
        "{}",
        b.name
    );

    // Deleting devices removes them and their counts.
    let deleted = roster
        .delete_devices(&operator, &[ana_pc.id, ana_mac.id])
        .await
        .unwrap();
    assert_eq!(deleted, 2);
    assert_eq!(device_count(roster, "ben").await, 0, "{}", b.name);
    let gone = roster.get_device(&operator, ana_pc.id).await.unwrap_err();
    assert_eq!(gone.code(), ErrorCode::NotFound, "{}", b.name);
}

async fn a_scoped_admin_sees_and_changes_only_its_organizations_devices(b: Backend) {
    let operator = test_actor();
    let roster = &b.roster;
    add_people(roster, &[("Ana", "Acme"), ("Cy", "Globex")]).await;
    let ana_pc = roster
        .add_device(&operator, &by("ana"), &laptop("LAPTOP-ANA", "SN-1"))
        .await
        .unwrap();
    let cy_pc = roster
        .add_device(&operator, &by("cy"), &laptop("LAPTOP-CY", "SN-1"))
        .await
        .unwrap();
    let acme = roster.find_organization(&operator, "Acme").await.unwrap();
    let actor = admin_of(vec![acme.id]);
    let page = roster
        .list_devices(&actor, &DeviceQuery::default())
        .await
        .unwrap();
    let names: Vec<&str> = page.devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!((names, page.total), (vec!["LAPTOP-ANA"], 1), "{}", b.name);
    let searched = roster
        .list_devices(
            &actor,
            &DeviceQuery {
                search: "cy".into(),
                ..DeviceQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(searched.total, 0, "{}", b.name);
    let before = audit_len(roster).await;
    for refused in [
        roster.get_device(&actor, cy_pc.id).await.err(),
        roster.retire_devices(&actor, &[cy_pc.id]).await.err(),
        roster
            .delete_devices(&actor, &[ana_pc.id, cy_pc.id])
            .await
            .err(),
        roster
            .reassign_devices(&actor, &[ana_pc.id], &by("cy"))
            .await
            .err(),
        roster
            .add_device(&actor, &by("cy"), &laptop("NEW", ""))
            .await
            .err(),
    ] {
        assert_eq!(
            refused.map(|e| e.code()),
            Some(ErrorCode::NotFound),
            "{}",
            b.name
        );
    }
    assert_eq!(audit_len(roster).await, before, "{}", b.name);
    roster.retire_devices(&actor, &[ana_pc.id]).await.unwrap();
    // The audit trail shows the account its own organizations' devices only.
    let entries = roster
        .audit(
            &actor,
            &AuditQuery {
                target_kind: Some("device".into()),
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let names: Vec<&str> = entries.iter().map(|e| e.target.name.as_str()).collect();
    assert_eq!(names, ["LAPTOP-ANA", "LAPTOP-ANA"], "{}", b.name);
}

async fn search_with(roster: &Roster, query: UserQuery) -> Vec<String> {
    roster
        .list_users(&test_actor(), &query)
        .await
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.username)
        .collect()
}

async fn tokens_and_the_audit_trail_follow_the_chosen_organization(b: Backend) {
    let operator = test_actor();
    let roster = &b.roster;
    add_people(roster, &[("Ana", "Acme"), ("Cy", "Globex")]).await;
    for user in ["ana", "cy"] {
        roster
            .issue_token(&operator, &by(user), None)
            .await
            .unwrap();
    }
    let tokens = roster
        .list_tokens(
            &operator,
            &roster_core::TokenQuery {
                organization: Some("acme".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let owners: Vec<&str> = tokens.iter().map(|t| t.username.as_str()).collect();
    assert_eq!(owners, ["ana"], "{}", b.name);
    let entries = roster
        .audit(
            &operator,
            &AuditQuery {
                organization: Some("Acme".into()),
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!entries.is_empty(), "{}", b.name);
    assert!(
        entries.iter().all(|e| e.target.name.contains("<ana>")),
        "{}: {entries:?}",
        b.name
    );
    // An organization outside an account's scope is as missing as one that is not there.
    let globex = roster.find_organization(&operator, "Globex").await.unwrap();
    let scoped = admin_of(vec![globex.id]);
    for name in ["Acme", "Nowhere"] {
        let query = AuditQuery {
            organization: Some(name.into()),
            limit: 10,
            ..Default::default()
        };
        let refused = roster.audit(&scoped, &query).await.unwrap_err();
        assert_eq!(refused.code(), ErrorCode::NotFound, "{}", b.name);
    }
}

async fn managers_form_a_chain_without_loops_within_the_actors_reach(b: Backend) {
    let actor = test_actor();
    let add = |email: &str, first: &str, org: &str, manager: Option<&str>| NewUser {
        organization: Some(org.into()),
        manager: manager.map(str::to_owned),
        ..person(email, first, "Test")
    };
    let boss = b
        .roster
        .add_user(&actor, add("boss@acme.test", "Boss", "Acme", None))
        .await
        .unwrap();
    let lead = b
        .roster
        .add_user(
            &actor,
            add("lead@acme.test", "Lead", "Acme", Some("boss@acme.test")),
        )
        .await
        .unwrap();
    let dev = b
        .roster
        .add_user(
            &actor,
            add("dev@acme.test", "Dev", "Acme", Some(&lead.username)),
        )
        .await
        .unwrap();
    assert_eq!(
        dev.manager.as_ref().map(|m| m.name.as_str()),
        Some("Lead Test")
    );
    let reports = |manager: &User| UserQuery {
        managers: vec![manager.id],
        ..UserQuery::default()
    };
    let of_boss = b.roster.list_users(&actor, &reports(&boss)).await.unwrap();
    assert_eq!(of_boss.users, vec![lead.clone()], "{}", b.name);

    // The boss reporting to the developer would make a loop, as would anyone to themselves.
    for (user, manager) in [(&boss, "dev@acme.test"), (&lead, "lead@acme.test")] {
        let patch = UserPatch {
            manager: Some(manager.into()),
            ..UserPatch::default()
        };
        let refused = b
            .roster
            .edit_user(&actor, &UserRef::Id(user.id), patch, None)
            .await
            .unwrap_err();
        let Error::Validation(fields) = &refused else {
            panic!(
                "{manager} as {}'s manager on {}: {refused:?}",
                user.username, b.name
            );
        };
        assert_eq!(fields[0].field, "manager");
        assert!(
            fields[0].message.contains("cannot be their manager")
                || fields[0].message.contains("cannot be their own manager"),
            "{fields:?}"
        );
    }

    // An admin of Globex alone cannot reach Acme's people through the manager field: the
    // answer is the same as for an address nobody has.
    b.roster
        .add_user(&actor, add("g@globex.test", "Gina", "Globex", None))
        .await
        .unwrap();
    let globex = b.roster.find_organization(&actor, "Globex").await.unwrap();
    let scoped = admin_of(vec![globex.id]);
    let mut answers = Vec::new();
    for manager in ["boss@acme.test", "nobody@acme.test"] {
        let patch = UserPatch {
            manager: Some(manager.into()),
            ..UserPatch::default()
        };
        let refused = b
            .roster
            .edit_user(&scoped, &by("g@globex.test"), patch, None)
            .await
            .unwrap_err();
        let Error::Validation(fields) = refused else {
            panic!("{manager} from Globex on {}", b.name);
        };
        answers.push(fields[0].message.replace(manager, "…"));
    }
    assert_eq!(answers[0], answers[1], "{}", b.name);

    // A manager deleted leaves their reports without one.
    b.roster
        .delete_users(&actor, &[UserRef::Id(lead.id)], None)
        .await
        .unwrap();
    let after = b
        .roster
        .find_user(&actor, &UserRef::Id(dev.id))
        .await
        .unwrap();
    assert_eq!(after.manager, None, "{}", b.name);
    assert_eq!(
        after.version,
        dev.version + 1,
        "a change of theirs, versioned"
    );
    let history = AuditQuery {
        user: Some(dev.id),
        action: Some("user.update".into()),
        limit: 10,
        ..AuditQuery::default()
    };
    let entries = b.roster.audit(&actor, &history).await.unwrap();
    let change = entries
        .iter()
        .flat_map(|e| &e.changes)
        .find(|c| c.field == "manager");
    assert_eq!(
        change.map(|c| (c.before.as_deref(), c.after.as_deref())),
        Some((Some("lead@acme.test"), None)),
        "the report's manager removed with an audit entry on {}",
        b.name
    );
}

async fn end_dates_suspend_their_accounts_once_the_day_comes(b: Backend) {
    let actor = test_actor();
    let ending = |email: &str, first: &str, end: &str| NewUser {
        status: Some(Status::Active),
        profile: [(UserField::EndDate, end.to_owned())].into(),
        ..person(email, first, "Contractor")
    };
    // The clock stands at 2026-01-01.
    let due = b
        .roster
        .add_user(&actor, ending("due@example.org", "Due", "2026-01-01"))
        .await
        .unwrap();
    let past = b
        .roster
        .add_user(&actor, ending("past@example.org", "Past", "2025-12-24"))
        .await
        .unwrap();
    let later = b
        .roster
        .add_user(&actor, ending("later@example.org", "Later", "2026-01-20"))
        .await
        .unwrap();
    let far = b
        .roster
        .add_user(&actor, ending("far@example.org", "Far", "2027-01-01"))
        .await
        .unwrap();
    let soon = UserQuery {
        ending_within_days: Some(30),
        ..UserQuery::default()
    };
    let mut ending_soon: Vec<roster_core::UserId> = b
        .roster
        .list_users(&actor, &soon)
        .await
        .unwrap()
        .users
        .iter()
        .map(|u| u.id)
        .collect();
    ending_soon.sort();
    assert_eq!(ending_soon, vec![due.id, later.id], "{}", b.name);

    let report = b.roster.run_due("desk", Origin::Cli).await.unwrap();
    let mut suspended = report.suspended.clone();
    suspended.sort();
    assert_eq!(suspended, vec![due.username.clone(), past.username.clone()]);
    for (user, status) in [
        (&due, Status::Suspended),
        (&past, Status::Suspended),
        (&later, Status::Active),
        (&far, Status::Active),
    ] {
        let now = b
            .roster
            .find_user(&actor, &UserRef::Id(user.id))
            .await
            .unwrap();
        assert_eq!(now.status, status, "{} on {}", user.username, b.name);
    }
    let history = AuditQuery {
        user: Some(due.id),
        action: Some("user.suspend".into()),
        limit: 10,
        ..AuditQuery::default()
    };
    let entries = b.roster.audit(&actor, &history).await.unwrap();
    assert_eq!(entries.len(), 1, "{}", b.name);
    assert_eq!(entries[0].actor, roster_core::END_DATE_ACTOR);
    let again = b.roster.run_due("desk", Origin::Cli).await.unwrap();
    assert!(again.suspended.is_empty(), "{again:?}");
}

async fn profile_fields_filter_sort_and_stay_unique_where_they_must(b: Backend) {
    let actor = test_actor();
    for (email, department, title, id) in [
        ("a@example.org", "Research", "Zoologist", "E-1"),
        ("b@example.org", "Sales", "Account manager", "E-2"),
        ("c@example.org", "Research", "Analyst", "E-3"),
    ] {
        let profile = [
            (UserField::Department, department.to_owned()),
            (UserField::JobTitle, title.to_owned()),
            (UserField::EmployeeId, id.to_owned()),
        ]
        .into();
        b.roster
            .add_user(
                &actor,
                NewUser {
                    profile,
                    ..person(email, "P", "Q")
                },
            )
            .await
            .unwrap();
    }
    let research = UserQuery {
        department: Some("Research".into()),
        sort: Sort {
            field: SortField::JobTitle,
            direction: SortDirection::Asc,
        },
        ..UserQuery::default()
    };
    let page = b.roster.list_users(&actor, &research).await.unwrap();
    let titles: Vec<&str> = page
        .users
        .iter()
        .map(|u| u.profile[&UserField::JobTitle].as_str())
        .collect();
    assert_eq!(titles, ["Analyst", "Zoologist"], "{}", b.name);
    assert_eq!(page.total, 2);
    let facets = b.roster.facets(&actor).await.unwrap();
    assert_eq!(facets.departments, ["Research", "Sales"], "{}", b.name);
    // The helpdesk types the number off a badge.
    let search = |text: &str| UserQuery {
        search: text.into(),
        ..UserQuery::default()
    };
    let badge = b.roster.list_users(&actor, &search(" E-2 ")).await.unwrap();
    let emails: Vec<&str> = badge.users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(
        (emails, badge.total),
        (vec!["b@example.org"], 1),
        "{}",
        b.name
    );
    let counted = b.roster.count_users(&actor, &search("E-2"), None).await;
    assert_eq!(counted.unwrap(), Count::exact(1));
    let not_an_id = b.roster.list_users(&actor, &search("E-9")).await.unwrap();
    assert_eq!(not_an_id.total, 0);

    let taken = b
        .roster
        .add_user(
            &actor,
            NewUser {
                profile: [(UserField::EmployeeId, "E-2".to_owned())].into(),
                ..person("d@example.org", "D", "Q")
            },
        )
        .await
        .unwrap_err();
    let Error::Conflict(field) = &taken else {
        panic!("a second E-2 on {}: {taken:?}", b.name);
    };
    assert_eq!(field.field, "employee_id");
    assert!(field.message.contains("employee ID"), "{}", field.message);

    let bad = b
        .roster
        .add_user(
            &actor,
            NewUser {
                profile: [(UserField::StartDate, "31/12/2026".to_owned())].into(),
                ..person("e@example.org", "E", "Q")
            },
        )
        .await
        .unwrap_err();
    let Error::Validation(fields) = &bad else {
        panic!("a day-first date on {}: {bad:?}", b.name);
    };
    assert_eq!(fields[0].field, "start_date");
    assert_eq!(
        count(&b.roster).await,
        3,
        "nothing half-written on {}",
        b.name
    );
}

async fn last_names(roster: &Roster, query: UserQuery) -> Vec<String> {
    roster
        .list_users(&test_actor(), &query)
        .await
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.last_name)
        .collect()
}

fn field_of(error: Error) -> Vec<String> {
    match error {
        Error::Validation(fields) => fields.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// Admin-defined attributes: values checked by kind, required and unique kept, those of
/// one organization only there; the list filters and sorts by them; an edit's changes are
/// audited; removing one that holds values needs the number confirmed; a scoped admin
/// neither defines nor sees what is not theirs.
async fn attributes_hold_checked_values_filter_sort_and_leave_only_when_confirmed(b: Backend) {
    let actor = test_actor();
    let define = |label: &str, kind: AttributeKind| NewAttribute {
        label: label.into(),
        kind: Some(kind),
        ..NewAttribute::default()
    };
    let roster = &b.roster;
    roster
        .define_attribute(
            &actor,
            NewAttribute {
                unique: true,
                ..define("Badge number", AttributeKind::Number)
            },
        )
        .await
        .unwrap();
    roster
        .define_attribute(
            &actor,
            NewAttribute {
                required: true,
                choices: vec!["S".into(), "M".into(), "L".into()],
                ..define("Shirt size", AttributeKind::Choice)
            },
        )
        .await
        .unwrap();
    roster
        .define_attribute(&actor, define("Parking", AttributeKind::YesNo))
        .await
        .unwrap();
    let nowhere = roster
        .define_attribute(
            &actor,
            NewAttribute {
                organization: Some("Acme".into()),
                ..define("Site code", AttributeKind::Text)
            },
        )
        .await
        .unwrap_err();
    assert_eq!(nowhere.code(), ErrorCode::NotFound, "{nowhere}");
    roster.add_organization(&actor, "Acme").await.unwrap();
    roster
        .define_attribute(
            &actor,
            NewAttribute {
                organization: Some("Acme".into()),
                ..define("Site code", AttributeKind::Text)
            },
        )
        .await
        .unwrap();
    let taken = roster
        .define_attribute(&actor, define("Badge number", AttributeKind::Text))
        .await
        .unwrap_err();
    assert_eq!(taken.code(), ErrorCode::Conflict, "{taken}");

    let user = |email: &str, org: Option<&str>, values: &[(&str, &str)]| NewUser {
        organization: org.map(str::to_owned),
        attributes: values
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        ..person(email, "Case", email.split('@').next().unwrap())
    };
    // Required, and every value checked by its kind, each error naming its attribute.
    let refused = roster
        .add_user(
            &actor,
            user(
                "ann@example.org",
                None,
                &[
                    ("badge_number", "12,5"),
                    ("parking", "maybe"),
                    ("site_code", "X"),
                ],
            ),
        )
        .await
        .unwrap_err();
    let mut fields = field_of(refused);
    fields.sort();
    assert_eq!(
        fields,
        ["badge_number", "parking", "shirt_size", "site_code"],
        "{}",
        b.name
    );
    let unknown = roster
        .add_user(
            &actor,
            user(
                "ann@example.org",
                None,
                &[("shirt_size", "m"), ("desk", "4")],
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(unknown), ["desk"]);
    assert_eq!(count(roster).await, 0, "nothing written on {}", b.name);

    let ann = roster
        .add_user(
            &actor,
            user(
                "ann@example.org",
                Some("Acme"),
                &[
                    ("badge_number", " 120 "),
                    ("shirt_size", "m"),
                    ("parking", "TRUE"),
                    ("site_code", "ACM-1"),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(ann.attributes["badge_number"], "120");
    assert_eq!(ann.attributes["shirt_size"], "M");
    assert_eq!(ann.attributes["parking"], "yes");
    let bob = roster
        .add_user(
            &actor,
            user(
                "bob@example.org",
                None,
                &[("badge_number", "9"), ("shirt_size", "L")],
            ),
        )
        .await
        .unwrap();
    let twice = roster
        .add_user(
            &actor,
            user(
                "cy@example.org",
                None,
                &[("badge_number", "120"), ("shirt_size", "S")],
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(twice), ["badge_number"], "{}", b.name);
    roster
        .add_user(&actor, user("cy@example.org", None, &[("shirt_size", "M")]))
        .await
        .unwrap();

    // The list filters and sorts by them; users without a value sort first.
    let list = |query: UserQuery| last_names(roster, query);
    let medium = UserQuery {
        attributes: [("shirt_size".to_owned(), "M".to_owned())].into(),
        sort: sort(SortField::LastName, false),
        ..UserQuery::default()
    };
    assert_eq!(list(medium.clone()).await, ["ann", "cy"], "{}", b.name);
    let by_badge = |desc| UserQuery {
        sort_attribute: Some("badge_number".into()),
        sort: sort(SortField::Id, desc),
        ..UserQuery::default()
    };
    // A number attribute sorts by size: "9" before "120".
    assert_eq!(
        list(by_badge(false)).await,
        ["cy", "bob", "ann"],
        "{}",
        b.name
    );
    assert_eq!(
        list(by_badge(true)).await,
        ["ann", "bob", "cy"],
        "{}",
        b.name
    );
    let counted = roster.count_users(&actor, &medium, Some(10_000)).await;
    assert_eq!(counted.unwrap(), Count::exact(2));
    let hostile = UserQuery {
        sort_attribute: Some("x'); DROP TABLE users; --".into()),
        ..UserQuery::default()
    };
    assert_eq!(
        field_of(roster.list_users(&actor, &hostile).await.unwrap_err()),
        ["attributes"]
    );

    // An edit: a required value is never cleared, the rest is audited before → after.
    let cleared = roster
        .edit_user(
            &actor,
            &UserRef::Id(ann.id),
            UserPatch {
                attributes: [("shirt_size".to_owned(), String::new())].into(),
                ..UserPatch::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(cleared), ["shirt_size"]);
    let taken = roster
        .edit_user(
            &actor,
            &UserRef::Id(bob.id),
            UserPatch {
                attributes: [("badge_number".to_owned(), "120".to_owned())].into(),
                ..UserPatch::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(taken), ["badge_number"], "{}", b.name);
    let moved = roster
        .edit_user(
            &actor,
            &UserRef::Id(ann.id),
            UserPatch {
                organization: Some("Globex".into()),
                attributes: [
                    ("parking".to_owned(), String::new()),
                    ("badge_number".to_owned(), "121".to_owned()),
                ]
                .into(),
                ..UserPatch::default()
            },
            None,
        )
        .await
        .unwrap();
    // Moved out of Acme, Acme's site code goes with the move.
    let expected: roster_core::Attributes = [
        ("badge_number".to_owned(), "121".to_owned()),
        ("shirt_size".to_owned(), "M".to_owned()),
    ]
    .into();
    assert_eq!(moved.attributes, expected, "{}", b.name);
    let history = AuditQuery {
        user: Some(ann.id),
        action: Some("user.update".into()),
        limit: 10,
        ..AuditQuery::default()
    };
    let entries = roster.audit(&actor, &history).await.unwrap();
    let changes: Vec<(String, Option<String>, Option<String>)> = entries[0]
        .changes
        .iter()
        .filter(|c| c.field != "organization")
        .map(|c| (c.field.clone(), c.before.clone(), c.after.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "badge_number".into(),
                Some("120".into()),
                Some("121".into())
            ),
            ("parking".into(), Some("yes".into()), None),
            ("site_code".into(), Some("ACM-1".into()), None),
        ],
        "{}",
        b.name
    );

    // A bulk edit gives many users one value, never one of a unique attribute.
    let cy = roster
        .find_user(&actor, &by("cy@example.org"))
        .await
        .unwrap();
    let both = [UserRef::Id(bob.id), UserRef::Id(cy.id)];
    let bulk = |name: &str, value: &str| {
        let edit = BulkEdit {
            attributes: [(name.to_owned(), value.to_owned())].into(),
            ..BulkEdit::default()
        };
        roster.edit_users(&actor, &both, edit)
    };
    let edited = bulk("shirt_size", "l").await.unwrap();
    assert!(
        edited.iter().all(|u| u.attributes["shirt_size"] == "L"),
        "{}: {edited:?}",
        b.name
    );
    let shared = bulk("badge_number", "500").await.unwrap_err();
    assert_eq!(field_of(shared), ["badge_number"]);

    // Removing one that holds values: the admin confirms how many.
    assert_eq!(
        roster.attribute_values(&actor, "shirt_size").await.unwrap(),
        3
    );
    for confirmed in [None, Some(2)] {
        let refused = roster
            .remove_attribute(&actor, "shirt_size", confirmed)
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("values for 3 users"),
            "{refused}"
        );
    }
    assert_eq!(
        roster
            .remove_attribute(&actor, "shirt_size", Some(3))
            .await
            .unwrap(),
        3
    );
    let ann = roster
        .find_user(&actor, &UserRef::Id(ann.id))
        .await
        .unwrap();
    assert!(!ann.attributes.contains_key("shirt_size"), "{}", b.name);
    assert_eq!(
        roster
            .remove_attribute(&actor, "parking", None)
            .await
            .unwrap(),
        0,
        "one without values goes unasked"
    );
    let removals = AuditQuery {
        action: Some("attribute.delete".into()),
        limit: 10,
        ..AuditQuery::default()
    };
    assert_eq!(roster.audit(&actor, &removals).await.unwrap().len(), 2);

    // A scoped admin sees the directory's attributes and its organizations' only, and
    // defines none (settings are the whole directory's).
    let globex = roster.find_organization(&actor, "Globex").await.unwrap();
    let scoped = admin_of(vec![globex.id]);
    let seen: Vec<String> = roster
        .attributes(&scoped)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(seen, ["badge_number"], "{}", b.name);
    let refused = roster
        .define_attribute(&scoped, define("Desk", AttributeKind::Text))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    let hidden = roster
        .remove_attribute(&scoped, "site_code", None)
        .await
        .unwrap_err();
    assert_eq!(hidden.code(), ErrorCode::Forbidden);
}

/// Two admins at once: one makes Ann report to Bob, the other Bob to Ann. Each check of the
/// chain, alone, finds no loop; the store walks the chain again inside the write, holding
/// each manager's row, so at most one of the two lands and no one reports to themselves
/// through the other.
async fn two_admins_naming_each_other_as_manager_at_once_never_make_a_loop(b: Backend) {
    let actor = test_actor();
    let ann = b
        .roster
        .add_user(&actor, person("ann@example.org", "Ann", "A"))
        .await
        .unwrap();
    let bob = b
        .roster
        .add_user(&actor, person("bob@example.org", "Bob", "B"))
        .await
        .unwrap();
    let manager_of = |user: UserId, manager: &str| {
        let (roster, actor) = (b.roster.clone(), actor.clone());
        let patch = UserPatch {
            manager: Some(manager.to_owned()),
            ..UserPatch::default()
        };
        async move {
            roster
                .edit_user(&actor, &UserRef::Id(user), patch, None)
                .await
        }
    };
    let mut landed = 0;
    // Without the store's walk, the first round or two already made the loop on every
    // backend.
    for round in 0..10 {
        let (one, other) = tokio::join!(
            tokio::spawn(manager_of(ann.id, "bob@example.org")),
            tokio::spawn(manager_of(bob.id, "ann@example.org")),
        );
        for result in [one.unwrap(), other.unwrap()] {
            match result {
                Ok(_) => landed += 1,
                Err(Error::Validation(fields)) => assert_eq!(fields[0].field, "manager"),
                Err(Error::Busy(_)) => {}
                Err(other) => panic!("{}: round {round}: {other:?}", b.name),
            }
        }
        let ann_now = b
            .roster
            .find_user(&actor, &UserRef::Id(ann.id))
            .await
            .unwrap();
        let bob_now = b
            .roster
            .find_user(&actor, &UserRef::Id(bob.id))
            .await
            .unwrap();
        assert!(
            !(ann_now.manager.is_some() && bob_now.manager.is_some()),
            "{}: round {round}: Ann and Bob report to each other",
            b.name
        );
        for user in [ann.id, bob.id] {
            manager_of(user, "").await.unwrap();
        }
    }
    assert!(
        landed >= 7,
        "{}: most rounds land one change ({landed})",
        b.name
    );
}

/// Editing an attribute changes its label, choices and rules, and is refused where a user
/// would be left holding a value it no longer takes: a choice they hold, a value two share
/// made unique.
async fn an_attribute_is_edited_only_where_no_users_value_is_lost(b: Backend) {
    let actor = test_actor();
    let roster = &b.roster;
    for (label, kind, choices) in [
        ("Shirt size", AttributeKind::Choice, vec!["S", "M", "L"]),
        ("Badge", AttributeKind::Text, vec![]),
    ] {
        let new = NewAttribute {
            label: label.into(),
            kind: Some(kind),
            choices: choices.into_iter().map(String::from).collect(),
            ..NewAttribute::default()
        };
        roster.define_attribute(&actor, new).await.unwrap();
    }
    let mut ids = Vec::new();
    for (n, shirt, badge) in [(1, "M", "7"), (2, "S", "7"), (3, "S", "9")] {
        let user = NewUser {
            attributes: [
                ("shirt_size".to_owned(), shirt.to_owned()),
                ("badge".to_owned(), badge.to_owned()),
            ]
            .into(),
            ..person(&format!("u{n}@example.org"), "User", &format!("U{n}"))
        };
        ids.push(roster.add_user(&actor, user).await.unwrap().id);
    }
    let sizes = |choices: &[&str]| AttributeEdit {
        label: "T-shirt size".into(),
        choices: choices.iter().map(|c| c.to_string()).collect(),
        required: true,
        unique: false,
    };
    let held = roster
        .edit_attribute(&actor, "shirt_size", sizes(&["S", "L", "XL"]))
        .await
        .unwrap_err();
    let Error::Validation(fields) = &held else {
        panic!("{}: {held:?}", b.name);
    };
    assert_eq!(fields[0].field, "choices");
    assert!(fields[0].message.starts_with("1 user holds M"), "{held}");
    let set = |user: UserId, name: &str, value: &str| {
        let patch = UserPatch {
            attributes: [(name.to_owned(), value.to_owned())].into(),
            ..UserPatch::default()
        };
        let actor = &actor;
        async move {
            roster
                .edit_user(actor, &UserRef::Id(user), patch, None)
                .await
        }
    };
    set(ids[0], "shirt_size", "L").await.unwrap();
    let edited = roster
        .edit_attribute(&actor, "shirt_size", sizes(&["S", "L", "XL"]))
        .await
        .unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.label.as_str(), edited.required),
        ("shirt_size", "T-shirt size", true)
    );
    assert_eq!(edited.choices, ["S", "L", "XL"]);
    set(ids[1], "shirt_size", "XL").await.unwrap();
    let gone = set(ids[2], "shirt_size", "M").await.unwrap_err();
    assert!(matches!(gone, Error::Validation(_)), "{}: {gone:?}", b.name);
    let entry = roster
        .audit(
            &actor,
            &AuditQuery {
                action: Some("attribute.update".into()),
                limit: 10,
                ..AuditQuery::default()
            },
        )
        .await
        .unwrap();
    let [entry] = entry.as_slice() else {
        panic!("{}: one attribute.update entry: {entry:?}", b.name);
    };
    let changed: Vec<(&str, Option<&str>, Option<&str>)> = entry
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
        .collect();
    assert_eq!(
        changed,
        [
            ("label", Some("Shirt size"), Some("T-shirt size")),
            ("choices", Some("S, M, L"), Some("S, L, XL")),
            ("required", Some("no"), Some("yes")),
        ],
        "{}",
        b.name
    );

    let badge = |unique: bool| AttributeEdit {
        label: "Badge".into(),
        unique,
        ..AttributeEdit::default()
    };
    let shared = roster
        .edit_attribute(&actor, "badge", badge(true))
        .await
        .unwrap_err();
    let Error::Validation(fields) = &shared else {
        panic!("{}: {shared:?}", b.name);
    };
    assert_eq!(fields[0].field, "unique");
    assert!(
        fields[0].message.contains("several users hold 7"),
        "{shared}"
    );
    set(ids[1], "badge", "8").await.unwrap();
    assert!(
        roster
            .edit_attribute(&actor, "badge", badge(true))
            .await
            .unwrap()
            .unique
    );
    let taken = set(ids[2], "badge", "7").await.unwrap_err();
    assert!(
        matches!(&taken, Error::Validation(f) if f[0].field == "badge"),
        "{}: {taken:?}",
        b.name
    );
    roster
        .edit_attribute(&actor, "badge", badge(false))
        .await
        .unwrap();
    set(ids[2], "badge", "7").await.unwrap();
}

/// One admin takes a choice away while another gives it to a user: whichever lands first,
/// no user is left holding a choice the attribute no longer takes.
async fn a_choice_taken_away_while_another_admin_gives_it_is_never_left_held(b: Backend) {
    let actor = test_actor();
    let new = NewAttribute {
        label: "Shirt size".into(),
        kind: Some(AttributeKind::Choice),
        choices: vec!["S".into(), "M".into(), "XL".into()],
        ..NewAttribute::default()
    };
    b.roster.define_attribute(&actor, new).await.unwrap();
    let ann = b
        .roster
        .add_user(&actor, person("ann@example.org", "Ann", "A"))
        .await
        .unwrap();
    let choices = |list: &[&str]| AttributeEdit {
        label: "Shirt size".into(),
        choices: list.iter().map(|c| c.to_string()).collect(),
        ..AttributeEdit::default()
    };
    let give = |value: &str| {
        let (roster, actor) = (b.roster.clone(), actor.clone());
        let patch = UserPatch {
            attributes: [("shirt_size".to_owned(), value.to_owned())].into(),
            ..UserPatch::default()
        };
        async move {
            roster
                .edit_user(&actor, &UserRef::Id(ann.id), patch, None)
                .await
        }
    };
    let take_away = || {
        let (roster, actor, edit) = (b.roster.clone(), actor.clone(), choices(&["S", "M"]));
        async move { roster.edit_attribute(&actor, "shirt_size", edit).await }
    };
    for round in 0..10 {
        let (given, taken) = tokio::join!(tokio::spawn(give("XL")), tokio::spawn(take_away()));
        for refused in [given.unwrap().err(), taken.unwrap().err()]
            .into_iter()
            .flatten()
        {
            assert!(
                matches!(
                    refused,
                    Error::Validation(_) | Error::VersionConflict(_) | Error::Busy(_)
                ),
                "{}: round {round}: {refused:?}",
                b.name
            );
        }
        let defined = b.roster.attributes(&actor).await.unwrap();
        let offered = defined[0].choices.contains(&"XL".to_owned());
        let user = b
            .roster
            .find_user(&actor, &UserRef::Id(ann.id))
            .await
            .unwrap();
        let holds = user.attributes.get("shirt_size").map(String::as_str) == Some("XL");
        assert!(
            offered || !holds,
            "{}: round {round}: Ann holds XL, which the attribute no longer takes",
            b.name
        );
        give("S").await.unwrap();
        b.roster
            .edit_attribute(&actor, "shirt_size", choices(&["S", "M", "XL"]))
            .await
            .unwrap();
    }
}

/// The directory's part of a diagnostics report counts what each table holds, sizes the
/// database and names its schema, on every backend; it is for an account that may see the
/// settings of the whole directory, not a helpdesk nor an admin of one organization.
async fn diagnostics_count_what_the_directory_holds_for_whoever_may_see_its_settings(b: Backend) {
    let name = b.name;
    let actor = test_actor();
    seed::seed(&b.roster, &actor, 0, 7).await.unwrap();
    b.roster
        .add_group(
            &actor,
            NewGroup {
                name: "Counted".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    let seeded = |n| by(&seed::person(n).username.unwrap());
    b.roster
        .issue_token(&actor, &seeded(0), None)
        .await
        .unwrap();
    // The fifth is staged: an invitation asks them to set a password.
    b.roster.invite(&actor, &seeded(4)).await.unwrap();
    let report = b.roster.diagnose(&actor).await.unwrap();
    let database = &report.database;
    assert_eq!(database.backend, name);
    assert_eq!(database.users, 7, "{name}");
    assert_eq!(database.groups, 1, "{name}");
    assert_eq!(database.user_tokens, 1, "{name}");
    assert_eq!(database.queued_messages, 1, "{name}");
    assert_eq!(
        database.audit_entries as usize,
        audit_len(&b.roster).await,
        "{name}"
    );
    assert!(database.schema_version.is_some_and(|v| v > 0), "{name}");
    assert!(database.bytes.is_some_and(|bytes| bytes > 0), "{name}");
    assert_eq!(database.location, b.roster.location(), "{name}");
    assert_eq!(report.backups.is_some(), name == "sqlite", "{name}");

    let helpdesk = roster_core::Actor {
        rights: roster_core::Rights::Account {
            user: UserId(99),
            role: "helpdesk".into(),
            permissions: roster_core::built_in_permissions("helpdesk").unwrap(),
            scope: None,
        },
        ..test_actor()
    };
    let refused = b.roster.diagnose(&helpdesk).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden, "{name}");
    let organization = b.roster.list_organizations(&actor).await.unwrap();
    let scoped = roster_core::Actor {
        rights: roster_core::Rights::Account {
            user: UserId(99),
            role: "owner".into(),
            permissions: roster_core::built_in_permissions("owner").unwrap(),
            // Every right, but over one organization (or none) only.
            scope: Some(organization.iter().map(|o| o.id).take(1).collect()),
        },
        ..test_actor()
    };
    let refused = b.roster.diagnose(&scoped).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden, "{name}");
}
