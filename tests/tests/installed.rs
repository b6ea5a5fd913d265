//! The app a package installed, driven as a new admin would on day one: the first Owner on an
//! empty database, a user created in the console, and the list showing it.
//!
//! Ignored in `cargo test`: it needs an installed package, which `cargo xtask fresh-check`
//! provides (it sets `ROSTER_APP` to the installed binary and runs this with `--ignored`).

use roster_core::{Status, UserRef};
use roster_tests::desktop::{App, Profile, Theme};
use roster_tests::{TempDatabase, test_actor};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives an installed package; run by `cargo xtask fresh-check`"]
async fn the_installed_app_creates_the_first_owner_and_a_user() {
    let app_path = std::env::var("ROSTER_APP").expect("ROSTER_APP names the installed app");
    assert!(
        app_path.starts_with("/usr/"),
        "ROSTER_APP is the installed binary, not a build: {app_path}"
    );
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    let app = App::launch_signed_out(&db.url, &Profile::new(), Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = async {
        app.submit_first_owner("keeper of all the keys").await?;
        app.wait_for_text("[data-testid=signed-in]", "Olive Owner")
            .await?;

        app.click("[data-testid=nav-users]").await?;
        app.click("[data-testid=new-user]").await?;
        let form = "[data-testid=create-user-dialog]";
        app.wait_for_element(&format!("{form} input[name=first_name]"))
            .await?;
        app.type_into(&format!("{form} input[name=first_name]"), "Hedy")
            .await?;
        app.type_into(&format!("{form} input[name=last_name]"), "Lamarr")
            .await?;
        app.type_into(&format!("{form} input[name=email]"), "hedy@example.org")
            .await?;
        app.click("[data-testid=save-user]").await?;
        app.wait_for_element("[data-testid=user-details]").await?;
        app.click("[data-testid=close-details]").await?;
        app.type_into("[data-testid=search]", "lamarr").await?;
        app.wait_for_count("1 user").await?;
        app.wait_for("Hedy's row", || async {
            let emails = app.column("email").await?;
            Ok(emails.iter().any(|e| e == "hedy@example.org").then_some(()))
        })
        .await?;
        app.screenshot("installed-app").await?;
        Ok(())
    }
    .await;
    app.finish("installed-app", result).await;
    let hedy = roster
        .find_user(&test_actor(), &UserRef::parse("hedy@example.org"))
        .await
        .expect("the user created in the installed app is in the database");
    assert_eq!(hedy.last_name, "Lamarr");
    assert_eq!(hedy.status, Status::Staged);
}
