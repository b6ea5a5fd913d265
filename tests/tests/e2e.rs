//! End to end: the built desktop app in a real WebKit window under Xvfb, driven through
//! tauri-driver and WebKitWebDriver, on a real SQLite file.

use roster_core::UserQuery;
use roster_tests::desktop::{App, Check};
use roster_tests::{TempDatabase, seed, test_actor};

const SEARCH: &str = "[data-testid=search]";
const COUNT: &str = "[data-testid=count]";

#[tokio::test(flavor = "multi_thread")]
async fn find_as_you_type_filters_the_users_table() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 300).await.unwrap();
    let lovelaces = roster
        .list_users(
            &test_actor(),
            &UserQuery {
                search: "lovelace".into(),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    assert!(
        lovelaces.total > 1 && lovelaces.total < 300,
        "the seed has a few Lovelaces"
    );

    let app = App::launch(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
    let result = search_scenario(&app, lovelaces.total).await;
    if result.is_err() {
        app.screenshot("failure-find-as-you-type").await.ok();
    }
    app.close().await;
    result.unwrap_or_else(|e| panic!("{e}"));
}

async fn search_scenario(app: &App, lovelaces: u64) -> Check {
    app.wait_for("the first rows", || async {
        let rows = app.column("last_name").await?;
        Ok((rows.len() > 5).then_some(()))
    })
    .await?;
    // Rows come first and their count follows in a second call: wait for it.
    app.wait_for_count("of 300 users").await?;
    app.wait_for("the database in the status bar", || async {
        let footer = app.text_of("[data-testid=database]").await?;
        Ok(footer.contains("SQLite").then_some(()))
    })
    .await?;
    app.screenshot("users-list").await?;

    app.type_into(SEARCH, "lovelace").await?;
    app.wait_for("only Lovelaces", || async {
        let names = app.column("last_name").await?;
        let all_match = !names.is_empty() && names.iter().all(|n| n == "Lovelace");
        Ok((all_match && names.len() as u64 == lovelaces).then_some(names))
    })
    .await?;
    app.wait_for_count(&format!("{lovelaces} users")).await?;
    let emails = app.column("email").await?;
    if !emails.iter().all(|e| e.contains("lovelace")) {
        return Err(format!("emails of the matches: {emails:?}"));
    }
    app.screenshot("users-search").await?;

    // Hostile text is just text: no match, no error.
    app.type_into(SEARCH, "'; DROP TABLE users; --").await?;
    app.wait_for("the no-match state", || async {
        let text = app.text_of(COUNT).await?;
        Ok(text.contains("No users match").then_some(()))
    })
    .await?;

    app.type_into(SEARCH, "").await?;
    app.wait_for("all users again", || async {
        let text = app.text_of(COUNT).await?;
        Ok(text.contains("of 300 users").then_some(()))
    })
    .await?;
    // Statuses read as words a person uses, not as stored codes.
    let statuses = app.column("status").await?;
    if !statuses.iter().any(|s| s == "Active") || statuses.iter().any(|s| s.contains('_')) {
        return Err(format!("status cells: {statuses:?}"));
    }
    Ok(())
}

/// Rows in the spreadsheet the import test brings: enough that checking takes a moment
/// (the progress bar and Cancel are real), few enough for a debug build.
const IMPORT_ROWS: usize = 100_000;
/// The one row with a bad email.
const BAD_LINE: usize = 4_321;

/// A Google Workspace export: its headers, accents, its job titles and departments, a
/// column Roster does not keep, and one bad email.
fn google_export(path: &std::path::Path) {
    let mut text = String::from(
        "First Name [Required],Last Name [Required],Email Address [Required],Org Unit Path [Required],Status [READ ONLY],Employee Title,Department,Home Phone\n",
    );
    for n in 2..IMPORT_ROWS + 2 {
        let email = if n == BAD_LINE {
            "not-an-email".to_owned()
        } else {
            format!("zoe.importee{n}@example.org")
        };
        let status = if n % 10 == 0 { "Suspended" } else { "Active" };
        text.push_str(&format!(
            "Zoë,Importée {n},{email},/Imported,{status},\"Analyst, level {}\",Imports {},+1 555 0100\n",
            n % 3,
            n % 2
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn import_and_export_through_the_dialogs() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 60).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("google-export.csv");
    google_export(&file);
    let app = App::launch(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
    let result = import_and_export(&app, &roster, &file, work.path()).await;
    app.finish("import-export", result).await;
}

/// A wait for work that takes a while (checking a whole file): three rounds of the usual
/// ten seconds before it counts as stuck.
async fn patiently<F, Fut>(mut wait: F) -> Check
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Check>,
{
    let mut last = Ok(());
    for _ in 0..3 {
        last = wait().await;
        if last.is_ok() {
            break;
        }
    }
    last
}

async fn total(roster: &roster_core::Roster, search: &str) -> Result<u64, String> {
    let query = UserQuery {
        search: search.into(),
        ..UserQuery::default()
    };
    Ok(roster
        .list_users(&test_actor(), &query)
        .await
        .map_err(|e| e.to_string())?
        .total)
}

async fn value_of(app: &App, css: &str) -> Result<String, String> {
    let value = app
        .client
        .execute(
            "return document.querySelector(arguments[0]).value;",
            vec![serde_json::Value::String(css.to_owned())],
        )
        .await
        .map_err(|e| format!("{css}: {e}"))?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

async fn no_violations(app: &App, css: &str) -> Check {
    let violations = app.accessibility_violations(css).await?;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(format!("axe-core finds in {css}: {violations:#?}"))
    }
}

async fn import_and_export(
    app: &App,
    roster: &roster_core::Roster,
    file: &std::path::Path,
    work: &std::path::Path,
) -> Check {
    let before = total(roster, "").await?;
    app.wait_for_element("[data-testid=user-row]").await?;
    app.click("[data-testid=import-users]").await?;
    app.wait_for_element("[data-testid=choose-import-file]")
        .await?;
    app.click("[data-testid=choose-import-file]").await?;
    app.answer_file_dialog("Import users", file).await?;

    // The preview: format recognised, columns mapped or listed as ignored, the bad row.
    // Checking 100,000 rows takes a debug build about ten seconds beside other windows on
    // two cores: a person waits that long for it, and so does this.
    patiently(|| app.wait_for_element("[data-testid=import-mapping]")).await?;
    let format = value_of(app, "[data-testid=import-format]").await?;
    if format != "google" {
        return Err(format!("format shown: {format}"));
    }
    let target = |header: &str| format!("[data-testid=import-target][data-header='{header}']");
    let email = value_of(app, &target("Email Address [Required]")).await?;
    let title = value_of(app, &target("Employee Title")).await?;
    let department = value_of(app, &target("Department")).await?;
    let home = value_of(app, &target("Home Phone")).await?;
    if email != "email" || title != "job_title" || department != "department" || !home.is_empty() {
        return Err(format!(
            "mapping: email column → '{email}', Employee Title → '{title}', Department → \
             '{department}', Home Phone → '{home}'"
        ));
    }
    app.wait_for_text("[data-testid=import-problems]", "not-an-email")
        .await?;
    app.wait_for_text("[data-testid=import-problems]", &BAD_LINE.to_string())
        .await?;
    app.wait_for_text("[data-testid=start-import]", "Fix the problems")
        .await?;
    app.screenshot("import-mapping").await?;
    no_violations(app, "[data-testid=import-dialog]").await?;
    let problems = work.join("problems.csv");
    app.click("[data-testid=save-import-problems]").await?;
    app.answer_file_dialog("Save the import's problems", &problems)
        .await?;
    app.wait_for_text("[data-testid=import-dialog]", "Saved to")
        .await?;
    let saved = std::fs::read_to_string(&problems).map_err(|e| e.to_string())?;
    if !saved.contains(&format!(
        "\n{BAD_LINE},Email Address [Required],not-an-email,"
    )) {
        return Err(format!("the saved problems: {saved}"));
    }

    // Import the valid rows; cancel first, while rows are still being checked.
    app.select("[data-testid=import-skip-invalid]", "skip")
        .await?;
    app.wait_for_text("[data-testid=start-import]", "Import ")
        .await?;
    patiently(|| app.wait_for_absence("[data-testid=start-import][disabled]")).await?;
    app.click("[data-testid=start-import]").await?;
    app.click("[data-testid=cancel-import]").await?;
    app.wait_for_text(
        "[data-testid=import-error]",
        "cancelled; nothing was written",
    )
    .await?;
    let after_cancel = total(roster, "").await?;
    if after_cancel != before {
        return Err(format!(
            "{before} users before, {after_cancel} after a cancelled import"
        ));
    }

    // Beside three other windows on two cores the directory has been seen busy here
    // (SQLite's write lock held past its 10 s wait); the dialog then says to try again in
    // a moment, and a person does.
    for attempt in 1..=3 {
        app.click("[data-testid=start-import]").await?;
        if app
            .wait_for_text("[data-testid=import-progress]", "rows per second")
            .await
            .is_ok()
        {
            break;
        }
        let said = app.texts("[data-testid=import-error]").await?.join(" ");
        if attempt == 3 || !said.contains("try again") {
            return Err(format!("the import did not start: {said}"));
        }
    }
    app.screenshot("import-progress").await?;
    // 100,000 rows beside three other windows on two cores take about a minute; with
    // anything else running (a bench building its dataset) two were not enough once.
    // Up to five: a stuck import still fails, only later; one that failed says why at once.
    let mut finished = false;
    for _ in 0..60 {
        let said = app.texts("[data-testid=import-error]").await?.join(" ");
        if !said.is_empty() {
            return Err(format!("the import failed: {said}"));
        }
        if app.count("[data-testid=import-done]").await? > 0 {
            finished = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
    if !finished {
        let progress = app.texts("[data-testid=import-progress]").await?.join(" ");
        return Err(format!(
            "the import did not finish in 5 minutes; progress: {progress}"
        ));
    }
    app.wait_for_text("[data-testid=import-done]", "imported")
        .await?;
    app.screenshot("import-done").await?;
    let imported = total(roster, "").await? - before;
    if imported != (IMPORT_ROWS - 1) as u64 {
        return Err(format!(
            "{imported} users imported from {IMPORT_ROWS} rows with one bad"
        ));
    }
    let zoe = roster
        .find_user(
            &test_actor(),
            &roster_core::UserRef::parse("zoe.importee5@example.org"),
        )
        .await
        .map_err(|e| e.to_string())?;
    let title = zoe.profile.get(&roster_core::UserField::JobTitle);
    let department = zoe.profile.get(&roster_core::UserField::Department);
    if title.map(String::as_str) != Some("Analyst, level 2")
        || department.map(String::as_str) != Some("Imports 1")
    {
        return Err(format!("line 5 imported as {title:?} in {department:?}"));
    }
    app.click("[data-testid=close-import]").await?;
    app.wait_for_absence("[data-testid=import-done]").await?;

    // Export what the list shows: searched, with Okta's header names.
    app.type_into(SEARCH, "lovelace").await?;
    let lovelaces = roster
        .list_users(
            &test_actor(),
            &UserQuery {
                search: "lovelace".into(),
                limit: 1000,
                ..UserQuery::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    app.wait_for_count(&format!("{} users", lovelaces.total))
        .await?;
    app.click("[data-testid=export-users]").await?;
    app.wait_for_element("[data-testid=export-columns]").await?;
    app.select("[data-testid=export-headers]", "okta").await?;
    app.screenshot("export-dialog").await?;
    no_violations(app, "[data-testid=export-dialog]").await?;
    app.click("[data-testid=run-export]").await?;
    let out = work.join("lovelaces.csv");
    app.answer_file_dialog("Export users", &out).await?;
    app.wait_for_text("[data-testid=toast]", "Exported").await?;

    let mut reader = csv::Reader::from_path(&out).map_err(|e| e.to_string())?;
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    if headers.get(0) != Some("firstName") {
        return Err(format!("the export's header: {headers:?}"));
    }
    let column = headers
        .iter()
        .position(|h| h == "email")
        .ok_or("no email column")?;
    let emails: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r[column].to_owned()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let expected: Vec<String> = lovelaces.users.iter().map(|u| u.email.clone()).collect();
    if emails != expected {
        return Err(format!("exported {emails:?}, the list holds {expected:?}"));
    }
    memberships(app, roster, work).await
}

/// Group memberships from a hand-written file with one unknown member, on the Groups screen.
async fn memberships(app: &App, roster: &roster_core::Roster, work: &std::path::Path) -> Check {
    let file = work.join("night-shift.csv");
    std::fs::write(
        &file,
        "Group,Member\nNight shift,zoe.importee2@example.org\nNight shift,nobody@example.org\n",
    )
    .map_err(|e| e.to_string())?;
    app.click("[data-testid=nav-groups]").await?;
    app.click("[data-testid=import-memberships]").await?;
    app.click("[data-testid=choose-memberships-file]").await?;
    app.answer_file_dialog("Import group memberships", &file)
        .await?;
    app.wait_for_text("[data-testid=import-problems]", "nobody@example.org")
        .await?;
    app.click("[data-testid=memberships-dialog] input[type=checkbox]")
        .await?;
    app.wait_for_absence("[data-testid=run-memberships-import][disabled]")
        .await?;
    app.screenshot("memberships-import").await?;
    no_violations(app, "[data-testid=memberships-dialog]").await?;
    app.click("[data-testid=run-memberships-import]").await?;
    app.wait_for_text("[data-testid=memberships-summary]", "1 added")
        .await?;
    let zoe = roster
        .find_user(
            &test_actor(),
            &roster_core::UserRef::Email("zoe.importee2@example.org".into()),
        )
        .await
        .map_err(|e| e.to_string())?;
    let groups = roster
        .groups_of(&test_actor(), zoe.id)
        .await
        .map_err(|e| e.to_string())?;
    if !groups.iter().any(|g| g.name == "Night shift") {
        return Err(format!("Zoë's groups after the import: {groups:?}"));
    }
    Ok(())
}

/// An admin points the app at the office's PostgreSQL server through the Connect screen:
/// a wrong database name is explained, the right one tested and saved, the empty server
/// database gets Roster's tables and its first Owner, and a user another workstation adds
/// appears in the open list without a reload.
#[tokio::test(flavor = "multi_thread")]
async fn connect_to_a_postgres_server_and_see_changes_from_elsewhere() {
    let Some(server) = TempDatabase::on_server(roster_tests::Server::Postgres) else {
        return;
    };
    let local = TempDatabase::sqlite();
    local.roster().await;
    let profile = roster_tests::desktop::Profile::new();
    let app = App::launch_signed_out(&local.url, &profile, roster_tests::desktop::Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = connect_scenario(&app, &server).await;
    app.finish("connect", result).await;
}

async fn connect_scenario(app: &App, server: &TempDatabase) -> Check {
    let (_, name) = server.url.rsplit_once('/').ok_or("a database URL")?;
    app.click("[data-testid=change-directory]").await?;
    app.wait_for_element("[data-testid=connection-this-computer]")
        .await?;
    app.click("[data-testid=add-server]").await?;
    app.type_into("[data-testid=name]", "Office server").await?;
    app.type_into("[data-testid=host]", "127.0.0.1").await?;
    app.type_into("[data-testid=database]", "no_such_directory")
        .await?;
    app.type_into("[data-testid=user]", "postgres").await?;
    app.click("[data-testid=test-connection]").await?;
    app.wait_for_text(
        "[data-testid=test-result]",
        "there is no database named no_such_directory on 127.0.0.1",
    )
    .await?;
    app.type_into("[data-testid=database]", name).await?;
    app.click("[data-testid=test-connection]").await?;
    app.wait_for_text(
        "[data-testid=test-result]",
        "the database is empty: Roster will create its tables when you connect",
    )
    .await?;
    no_violations(app, "[data-testid=connection-form]").await?;
    app.screenshot("connect-server").await?;
    app.click("[data-testid=save-connection]").await?;

    app.wait_for_element("[data-testid='connection-Office server']")
        .await?;
    no_violations(app, "[data-testid=connect-screen]").await?;
    app.screenshot("connect").await?;
    app.click("[data-testid='open-connection-Office server']")
        .await?;
    app.submit_first_owner("an owner of the office server directory")
        .await?;
    app.wait_for_element("[data-testid=signed-in]").await?;
    app.wait_for_text(
        "[data-testid=database]",
        &format!("postgres://postgres@127.0.0.1:5432/{name}"),
    )
    .await?;
    let title = app.client.title().await.map_err(|e| e.to_string())?;
    if !title.contains("Office server") {
        return Err(format!("the window title names the directory: {title:?}"));
    }
    app.wait_for_count("1 user").await?;

    // Another workstation adds a user; the open list follows within a few seconds.
    let (elsewhere, _) = server.roster().await;
    elsewhere
        .add_user(
            &test_actor(),
            roster_core::NewUser {
                email: "grace@example.org".into(),
                first_name: "Grace".into(),
                last_name: "Hopper".into(),
                ..roster_core::NewUser::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    app.wait_for_count("2 users").await?;
    app.wait_for_text(".table-body", "Hopper").await?;

    // Well after the window's watch began (its first look is announced once anyway), an
    // edit elsewhere still reaches the open list.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let grace = elsewhere
        .find_user(
            &test_actor(),
            &roster_core::UserRef::parse("grace@example.org"),
        )
        .await
        .map_err(|e| e.to_string())?;
    let patch = roster_core::UserPatch {
        last_name: Some("Brewster Hopper".into()),
        ..roster_core::UserPatch::default()
    };
    elsewhere
        .edit_user(
            &test_actor(),
            &roster_core::UserRef::Id(grace.id),
            patch,
            None,
        )
        .await
        .map_err(|e| e.to_string())?;
    app.wait_for_text(".table-body", "Brewster Hopper").await?;
    Ok(())
}

/// The auditor's questions on the Audit log screen: who suspended these accounts, when,
/// from where; what exactly changed; the filtered entries as a file; and whether anyone
/// edited the log behind Roster's back.
#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_answers_who_did_what_and_shows_tampering() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 30).await.unwrap();
    let grace = roster_core::Actor {
        name: "grace".into(),
        workstation: "helpdesk-7".into(),
        origin: roster_core::Origin::Desktop,
        ..test_actor()
    };
    let ids: Vec<roster_core::UserRef> = roster
        .matching_user_ids(&test_actor(), &UserQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(roster_core::UserRef::Id)
        .collect();
    roster
        .change_status(&grace, &ids[..3], roster_core::StatusAction::Suspend)
        .await
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    let app = App::launch(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
    let result = audit_scenario(&app, &db, work.path()).await;
    app.finish("audit-log", result).await;
}

async fn rows_shown(app: &App, expected: usize) -> Check {
    app.wait_for(&format!("{expected} audit rows"), || async {
        let n = app.count("[data-testid=audit-row]").await?;
        if n == expected {
            Ok(Some(()))
        } else {
            Err(format!("{n} rows"))
        }
    })
    .await
}

async fn audit_scenario(app: &App, db: &TempDatabase, work: &std::path::Path) -> Check {
    app.click("[data-testid=nav-audit]").await?;
    app.wait_for_element("[data-testid=audit-row]").await?;
    no_violations(app, "main").await?;

    app.type_into("[data-testid=audit-actor]", "grace").await?;
    rows_shown(app, 3).await?;
    app.wait_for_text("[data-testid=chip]", "Actor: grace")
        .await?;
    app.screenshot("audit-log").await?;
    // Grace acted on New Year's Day (the test clock), not today.
    app.select("[data-testid=audit-period]", "today").await?;
    app.wait_for_element("[data-testid=audit-empty]").await?;
    app.select("[data-testid=audit-period]", "any").await?;
    rows_shown(app, 3).await?;

    app.click("[data-testid=audit-row]").await?;
    app.wait_for_text("[data-testid=audit-details]", "helpdesk-7")
        .await?;
    app.wait_for_text("[data-testid=audit-changes]", "suspended")
        .await?;
    app.screenshot("audit-entry").await?;
    no_violations(app, "[data-testid=audit-details]").await?;

    let out = work.join("grace.csv");
    app.click("[data-testid=audit-export-csv]").await?;
    app.answer_file_dialog("Export the audit log", &out).await?;
    app.wait_for_text("[data-testid=audit-notice]", "Exported 3 entries")
        .await?;
    let mut reader = csv::Reader::from_path(&out).map_err(|e| e.to_string())?;
    let actors: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r[2].to_owned()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    if actors != ["grace", "grace", "grace"] {
        return Err(format!("the export's actors: {actors:?}"));
    }

    app.click("[data-testid=audit-verify]").await?;
    app.wait_for_text("[data-testid=verify-result]", "The audit log is intact")
        .await?;
    app.wait_for_text("[data-testid=audit-anchor]", "roster-audit-anchor-v1")
        .await?;
    app.screenshot("audit-verify").await?;
    no_violations(app, "[data-testid=verify-result]").await?;

    db.tamper("UPDATE audit_log SET actor = 'nobody' WHERE id = 5")
        .await;
    app.click("[data-testid=audit-verify]").await?;
    app.wait_for_text("[data-testid=verify-result]", "Entry #5 was changed")
        .await?;
    app.screenshot("audit-tampered").await?;
    Ok(())
}

/// An attribute from start to end as an admin meets it: defined in Settings → Attributes,
/// filled by an import of a file that carries it, a filter of the users list, a column of
/// the list's export.
#[tokio::test(flavor = "multi_thread")]
async fn an_attribute_is_defined_imported_filtered_and_exported() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 20).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("sizes.csv");
    std::fs::write(
        &file,
        "email,first_name,last_name,Shirt size\n\
         mia.size@example.org,Mia,Size,m\n\
         max.size@example.org,Max,Size,L\n\
         noa.size@example.org,Noa,Size,M\n",
    )
    .unwrap();
    let app = App::launch(&db.url).await.unwrap_or_else(|e| panic!("{e}"));
    let result = attribute_from_start_to_end(&app, &roster, &file, work.path()).await;
    app.finish("attributes", result).await;
}

async fn attribute_from_start_to_end(
    app: &App,
    roster: &roster_core::Roster,
    file: &std::path::Path,
    work: &std::path::Path,
) -> Check {
    app.wait_for_element("[data-testid=user-row]").await?;
    app.click("[data-testid=nav-attributes]").await?;
    app.wait_for_element("[data-testid=attributes-page]")
        .await?;
    app.click("[data-testid=new-attribute]").await?;
    app.type_into("#label", "Shirt size").await?;
    app.select("[data-testid=attribute-kind]", "choice").await?;
    app.type_into("[data-testid=attribute-choices]", "S, M, L")
        .await?;
    app.screenshot("attribute-new").await?;
    no_violations(app, "[data-testid=attribute-dialog]").await?;
    app.click("[data-testid=save-attribute]").await?;
    app.wait_for_text("[data-testid=attribute-row]", "shirt_size")
        .await?;
    app.screenshot("attributes").await?;
    no_violations(app, "[data-testid=attributes-page]").await?;

    // The file's "Shirt size" column fills it: mapped by its name, values as defined.
    app.click("[data-testid=nav-users]").await?;
    app.wait_for_element("[data-testid=user-row]").await?;
    app.click("[data-testid=import-users]").await?;
    app.click("[data-testid=choose-import-file]").await?;
    app.answer_file_dialog("Import users", file).await?;
    patiently(|| app.wait_for_element("[data-testid=import-mapping]")).await?;
    let mapped = value_of(app, "[data-testid=import-target][data-header='Shirt size']").await?;
    if mapped != "attribute:shirt_size" {
        return Err(format!("the Shirt size column maps to {mapped:?}"));
    }
    app.wait_for_text("[data-testid=import-summary]", "3 new")
        .await?;
    app.select("[data-testid=import-activate]", "active")
        .await?;
    patiently(|| app.wait_for_absence("[data-testid=start-import][disabled]")).await?;
    app.click("[data-testid=start-import]").await?;
    patiently(|| app.wait_for_element("[data-testid=import-done]")).await?;
    app.click("[data-testid=close-import]").await?;
    let mia = roster
        .find_user(
            &test_actor(),
            &roster_core::UserRef::parse("mia.size@example.org"),
        )
        .await
        .map_err(|e| e.to_string())?;
    if mia.attributes.get("shirt_size").map(String::as_str) != Some("M") {
        return Err(format!("Mia imported with {:?}", mia.attributes));
    }

    // A filter, and a column of the list.
    app.click("[data-testid=filters-button]").await?;
    app.select("[data-testid=filter-attribute-shirt_size]", "M")
        .await?;
    app.wait_for_count("2 users").await?;
    app.wait_for_text("[data-testid=chip]", "Shirt size: M")
        .await?;
    app.click("[data-testid=columns-button]").await?;
    app.click("[data-testid='column-toggle-attr:shirt_size']")
        .await?;
    app.click("[data-testid=columns-button]").await?;
    app.wait_for("the Shirt size column", || async {
        let sizes = app.column("'attr:shirt_size'").await?;
        Ok((sizes == ["M", "M"]).then_some(()))
    })
    .await?;
    app.screenshot("users-attribute-filter").await?;

    // The export of the filtered list carries it, under its name.
    app.click("[data-testid=export-users]").await?;
    app.wait_for_element("[data-testid=export-attributes]")
        .await?;
    app.click("[data-testid=run-export]").await?;
    let out = work.join("medium.csv");
    app.answer_file_dialog("Export users", &out).await?;
    app.wait_for_text("[data-testid=toast]", "Exported").await?;
    let mut reader = csv::Reader::from_path(&out).map_err(|e| e.to_string())?;
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = headers
        .iter()
        .position(|h| h == "shirt_size")
        .ok_or_else(|| format!("no shirt_size column in {headers:?}"))?;
    let sizes: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r[column].to_owned()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    if sizes != ["M", "M"] {
        return Err(format!("exported sizes {sizes:?}"));
    }

    // Changed later: a choice two users hold is not taken away; a new label and choice are.
    app.click("[data-testid=nav-attributes]").await?;
    app.click("[data-testid=edit-attribute]").await?;
    app.wait_for_text("[data-testid=attribute-fixed]", "shirt_size")
        .await?;
    app.type_into("#label", "T-shirt size").await?;
    app.type_into("[data-testid=attribute-choices]", "S, L, XL")
        .await?;
    app.click("[data-testid=save-attribute]").await?;
    app.wait_for_text("[data-testid=field-error-choices]", "2 users hold M")
        .await?;
    app.screenshot("attribute-edit").await?;
    no_violations(app, "[data-testid=attribute-dialog]").await?;
    app.type_into("[data-testid=attribute-choices]", "S, M, L, XL")
        .await?;
    app.click("[data-testid=save-attribute]").await?;
    app.wait_for_text("[data-testid=attribute-row]", "T-shirt size")
        .await?;
    let sizes = roster
        .attributes(&test_actor())
        .await
        .map_err(|e| e.to_string())?;
    if sizes[0].choices != ["S", "M", "L", "XL"] {
        return Err(format!("the choices became {:?}", sizes[0].choices));
    }
    Ok(())
}
