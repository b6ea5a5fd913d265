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
    let count = app.text_of(COUNT).await?;
    if !count.contains("of 300 users") {
        return Err(format!(
            "count line says '{count}', expected '… of 300 users'"
        ));
    }
    app.wait_for("the database in the status bar", || async {
        let footer = app.text_of("[data-testid=database]").await?;
        Ok(footer.contains("SQLite").then_some(()))
    })
    .await?;
    app.screenshot("users-list").await?;

    app.type_into(SEARCH, "lovelace").await?;
    let names = app
        .wait_for("only Lovelaces", || async {
            let names = app.column("last_name").await?;
            let all_match = !names.is_empty() && names.iter().all(|n| n == "Lovelace");
            Ok((all_match && names.len() as u64 == lovelaces).then_some(names))
        })
        .await?;
    let count = app.text_of(COUNT).await?;
    if !count.contains(&format!("{lovelaces} users")) {
        return Err(format!(
            "count line says '{count}' for {} rows",
            names.len()
        ));
    }
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
