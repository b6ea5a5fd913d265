//! End to end through the admin console: the built app in a real WebKit window under Xvfb,
//! on a real SQLite file; what the window shows is checked against what the database holds.

use roster_core::{
    AuditQuery, DeviceDraft, DeviceOs, GroupPatch, NewGroup, NewUser, Permission, RoleInput,
    Roster, SetPassword, SettingsPatch, Status, UserField, UserPatch, UserQuery, UserRef,
};
use roster_tests::desktop::{App, Axe, Check, Clipped, Profile, Theme, walk_every_screen};
use roster_tests::{TempDatabase, seed, test_actor};

async fn seeded(users: usize) -> (TempDatabase, Roster) {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, users).await.unwrap();
    (db, roster)
}

async fn launch(db: &TempDatabase) -> App {
    App::launch(&db.url).await.unwrap_or_else(|e| panic!("{e}"))
}

fn row(username_id: i64) -> String {
    format!("[data-testid=user-row][data-user-id=\"{username_id}\"]")
}

async fn user(roster: &Roster, name: &str) -> roster_core::User {
    roster
        .find_user(&test_actor(), &UserRef::parse(name))
        .await
        .unwrap()
}

async fn first_rows_loaded(app: &App) -> Check {
    app.wait_for("the first rows", || async {
        Ok((app.column("email").await?.len() > 3).then_some(()))
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn sort_by_header_and_filter_chips() {
    let (db, roster) = seeded(200).await;
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        app.click("[data-testid=sort-email]").await?;
        let expected = roster
            .list_users(
                &test_actor(),
                &UserQuery {
                    sort: "email".parse().unwrap(),
                    limit: 3,
                    ..UserQuery::default()
                },
            )
            .await
            .unwrap();
        let want: Vec<String> = expected.users.iter().map(|u| u.email.clone()).collect();
        app.wait_for("rows sorted by email", || async {
            let emails = app.column("email").await?;
            Ok((emails.len() >= 3 && emails[..3] == want[..]).then_some(()))
        })
        .await?;
        app.click("[data-testid=sort-email]").await?;
        let last = roster
            .list_users(
                &test_actor(),
                &UserQuery {
                    sort: "email:desc".parse().unwrap(),
                    limit: 1,
                    ..UserQuery::default()
                },
            )
            .await
            .unwrap();
        app.wait_for("descending emails", || async {
            let emails = app.column("email").await?;
            Ok((emails.first() == Some(&last.users[0].email)).then_some(()))
        })
        .await?;

        app.click("[data-testid=filters-button]").await?;
        app.click("[data-testid=filter-status-suspended]").await?;
        let suspended = roster
            .list_users(
                &test_actor(),
                &UserQuery {
                    statuses: vec![Status::Suspended],
                    ..UserQuery::default()
                },
            )
            .await
            .unwrap()
            .total;
        app.wait_for_count(&format!("{suspended} users")).await?;
        app.wait_for_text("[data-testid=chip]", "Suspended").await?;
        let statuses = app.column("status").await?;
        if statuses.iter().any(|s| s != "Suspended") {
            return Err(format!("a non-suspended row is shown: {statuses:?}"));
        }
        app.select("[data-testid=filter-organization]", "Acme")
            .await?;
        app.wait_for_text("[data-testid=chip]", "Acme").await?;
        let both = roster
            .list_users(
                &test_actor(),
                &UserQuery {
                    statuses: vec![Status::Suspended],
                    organization: Some("Acme".into()),
                    ..UserQuery::default()
                },
            )
            .await
            .unwrap()
            .total;
        app.wait_for_count(&format!("{both} users")).await?;
        app.screenshot("users-filtered").await?;
        app.click("[data-testid=chip-remove]").await?;
        app.wait_for("one chip left", || async {
            Ok((app.count("[data-testid=chip]").await? == 1).then_some(()))
        })
        .await?;
        app.click("[data-testid=clear-filters]").await?;
        app.wait_for_count("of 200 users").await?;
        Ok(())
    }
    .await;
    app.finish("sort-and-filter", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hidden_and_reordered_columns_survive_a_restart() {
    let (db, _roster) = seeded(20).await;
    let profile = Profile::new();
    let headers = "[role=columnheader]";
    let app = App::launch_with(&db.url, &profile, Theme::Light)
        .await
        .unwrap();
    let result = async {
        first_rows_loaded(&app).await?;
        app.click("[data-testid=columns-button]").await?;
        app.click("[data-testid=column-toggle-phone]").await?;
        app.click("[data-testid=column-up-email]").await?;
        app.screenshot("users-columns").await?;
        let names = app.texts(headers).await?;
        check_columns(&names)
    }
    .await;
    app.finish("columns-before-restart", result).await;

    let app = App::launch_with(&db.url, &profile, Theme::Light)
        .await
        .unwrap();
    let result = async {
        first_rows_loaded(&app).await?;
        check_columns(&app.texts(headers).await?)
    }
    .await;
    app.finish("columns-after-restart", result).await;
}

/// Phone hidden; email moved one place up, before username.
fn check_columns(names: &[String]) -> Check {
    let position = |label: &str| names.iter().position(|n| n.starts_with(label));
    if position("Phone").is_some() {
        return Err(format!("the phone column is still shown: {names:?}"));
    }
    match (position("Email"), position("Username")) {
        (Some(email), Some(username)) if email < username => Ok(()),
        _ => Err(format!("email is not before username: {names:?}")),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn create_edit_suspend_and_delete_a_user() {
    let (db, roster) = seeded(10).await;
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        app.click("[data-testid=new-user]").await?;
        app.wait_for_element("[data-testid=create-user-dialog] input[name=first_name]")
            .await?;
        app.type_into(
            "[data-testid=create-user-dialog] input[name=first_name]",
            "Hedy",
        )
        .await?;
        app.type_into(
            "[data-testid=create-user-dialog] input[name=last_name]",
            "Lamarr",
        )
        .await?;
        app.type_into(
            "[data-testid=create-user-dialog] input[name=email]",
            "hedy@",
        )
        .await?;
        app.click("[data-testid=save-user]").await?;
        app.wait_for_text("[data-testid=field-error-email]", "name@example.com")
            .await?;
        app.screenshot("user-create-error").await?;
        if roster
            .find_user(&test_actor(), &UserRef::parse("hedy@"))
            .await
            .is_ok()
        {
            return Err("an invalid user was saved".into());
        }
        app.type_into(
            "[data-testid=create-user-dialog] input[name=email]",
            "hedy@example.org",
        )
        .await?;
        app.click("[data-testid=save-user]").await?;
        app.wait_for_element("[data-testid=user-details]").await?;
        let hedy = roster
            .find_user(&test_actor(), &UserRef::parse("hedy@example.org"))
            .await
            .map_err(|e| e.to_string())?;

        app.type_into(
            "[data-testid=user-details] input[name=last_name]",
            "Kiesler",
        )
        .await?;
        app.click("[data-testid=user-details] [data-testid=save-user]")
            .await?;
        app.wait_for_element("[data-testid=saved]").await?;
        app.screenshot("user-details").await?;
        if user(&roster, "hedy").await.last_name != "Kiesler" {
            return Err("the edit was not saved".into());
        }
        app.click("[data-testid=tab-activity]").await?;
        app.wait_for("two activity entries", || async {
            Ok((app.count("[data-testid=activity-entry]").await? >= 2).then_some(()))
        })
        .await?;
        app.screenshot("user-activity").await?;
        app.click("[data-testid=close-details]").await?;
        app.wait_for_absence("[data-testid=user-details]").await?;

        app.type_into("[data-testid=search]", "kiesler").await?;
        // Wait for the search's own rows: a menu opened on the previous list's row would
        // close when the new rows replace it.
        app.wait_for_count("1 user").await?;
        app.wait_for_element(&row(hedy.id.0)).await?;
        app.click(&format!("{} [data-testid=row-menu]", row(hedy.id.0)))
            .await?;
        app.click("[data-testid=action-suspend]").await?;
        app.wait_for_text("[data-testid=confirm-dialog]", "1 user")
            .await?;
        app.click("[data-testid=confirm]").await?;
        app.wait_for_text(
            &format!("{} [data-col=status]", row(hedy.id.0)),
            "Suspended",
        )
        .await?;
        if user(&roster, "hedy").await.status != Status::Suspended {
            return Err("the database does not say suspended".into());
        }

        app.click(&format!("{} [data-testid=row-menu]", row(hedy.id.0)))
            .await?;
        app.click("[data-testid=action-delete]").await?;
        app.wait_for_text("[data-testid=confirm-dialog]", "cannot be undone")
            .await?;
        app.click("[data-testid=confirm]").await?;
        app.wait_for_count("No users match").await?;

        let trail = roster
            .audit(
                &test_actor(),
                &AuditQuery {
                    user: Some(hedy.id),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        // The create form sends the invitation by default.
        let expected = [
            "user.delete",
            "user.suspend",
            "user.update",
            "user.invite",
            "user.create",
        ];
        if actions != expected {
            return Err(format!("audit trail: {actions:?}"));
        }
        if trail
            .iter()
            .any(|e| e.target.name != format!("Deleted User (ID: {})", hedy.id))
        {
            return Err("the deleted user is not anonymised in the audit".into());
        }
        Ok(())
    }
    .await;
    app.finish("create-edit-suspend-delete", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_lock_asks_once_for_all_selected() {
    let (db, roster) = seeded(30).await;
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        // The first three lockable users in the list's order are on screen.
        let mut page = roster
            .list_users(
                &test_actor(),
                &UserQuery {
                    limit: 12,
                    ..UserQuery::default()
                },
            )
            .await
            .unwrap();
        page.users
            .retain(|u| matches!(u.status, Status::Active | Status::Staged));
        page.users.truncate(3);
        for user in &page.users {
            app.click(&format!("{} [data-testid=row-select]", row(user.id.0)))
                .await?;
        }
        app.wait_for_text("[data-testid=selection-count]", "3")
            .await?;
        app.click("[data-testid=bulk-lock]").await?;
        app.wait_for_text("[data-testid=confirm-dialog]", "Lock 3 users")
            .await?;
        app.screenshot("users-bulk-confirm").await?;
        app.click("[data-testid=confirm]").await?;
        app.wait_for_element("[data-testid=toast]").await?;
        for user in &page.users {
            let now = roster
                .find_user(&test_actor(), &UserRef::Id(user.id))
                .await
                .unwrap();
            if now.status != Status::Locked {
                return Err(format!("{} is {}, not locked", now.username, now.status));
            }
        }
        // The same selection gets a new team in one go.
        app.click("[data-testid=bulk-edit]").await?;
        app.type_into(
            "[data-testid=bulk-edit-dialog] input[name=team]",
            "Night Desk",
        )
        .await?;
        app.click("[data-testid=apply-bulk-edit]").await?;
        app.wait_for_text("[data-testid=toast]", "3 users updated")
            .await?;
        for user in &page.users {
            let now = roster
                .find_user(&test_actor(), &UserRef::Id(user.id))
                .await
                .unwrap();
            if now.team.as_deref() != Some("Night Desk") {
                return Err(format!("{} is in team {:?}", now.username, now.team));
            }
        }
        let locks = roster
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
        if locks.iter().filter(|e| e.action == "user.lock").count() != 3 {
            return Err("three lock entries expected in the audit".into());
        }
        Ok(())
    }
    .await;
    app.finish("bulk-lock", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rename_over_another_admins_change_keeps_both() {
    let (db, roster) = seeded(5).await;
    let group = roster
        .add_group(
            &test_actor(),
            NewGroup {
                name: "Night shift".into(),
                description: "Weekends".into(),
                ..NewGroup::default()
            },
        )
        .await
        .unwrap();
    let app = launch(&db).await;
    let result = async {
        app.click("[data-testid=nav-groups]").await?;
        let this_group = format!("[data-testid=group-row][data-group-id=\"{}\"]", group.id.0);
        app.click(&format!("{this_group} [data-testid=rename-group]"))
            .await?;
        app.type_into("input[name=name]", "Late shift").await?;
        // Another admin changes the description while the dialog is open.
        let theirs = GroupPatch {
            name: None,
            description: Some("Weekends and holidays".into()),
        };
        roster
            .update_group(&test_actor(), group.id, theirs, None)
            .await
            .map_err(|e| e.to_string())?;
        app.click("[data-testid=save-group]").await?;
        app.wait_for_text("[data-testid=conflict]", ": description)")
            .await?;
        app.wait_for_element("[data-testid=keep-mine]").await?;
        app.screenshot("group-conflict").await?;
        app.click("[data-testid=keep-mine]").await?;
        app.wait_for_text(&this_group, "Late shift").await?;
        let saved = roster
            .group(&test_actor(), group.id)
            .await
            .map_err(|e| e.to_string())?;
        if saved.name != "Late shift" || saved.description != "Weekends and holidays" {
            return Err(format!(
                "both changes are kept: {} / {}",
                saved.name, saved.description
            ));
        }
        Ok(())
    }
    .await;
    app.finish("group-conflict", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_gains_a_member_by_autocomplete_and_loses_it() {
    let (db, roster) = seeded(40).await;
    let app = launch(&db).await;
    let result = async {
        app.click("[data-testid=nav-groups]").await?;
        app.wait_for_element("[data-testid=groups-page]").await?;
        app.click("[data-testid=new-group]").await?;
        app.type_into("input[name=name]", "Night shift").await?;
        app.type_into("input[name=description]", "Weekends and holidays")
            .await?;
        app.click("[data-testid=save-group]").await?;
        app.wait_for_text("[data-testid=group-row]", "Night shift")
            .await?;
        app.screenshot("groups").await?;
        app.click("[data-testid=open-group]").await?;
        app.wait_for_element("[data-testid=group-members]").await?;
        app.type_into("[data-testid=member-autocomplete]", "grace2")
            .await?;
        app.wait_for_text("[data-testid=member-option]", "grace2")
            .await?;
        app.click("[data-testid=member-option]").await?;
        let grace = user(&roster, "grace2").await;
        app.wait_for_element(&row(grace.id.0)).await?;
        app.screenshot("group-members").await?;
        let group = roster
            .find_group(&test_actor(), "Night shift", None)
            .await
            .map_err(|e| e.to_string())?;
        if group.member_count != 1 {
            return Err(format!("the group has {} members", group.member_count));
        }
        app.click(&format!("{} [data-testid=row-menu]", row(grace.id.0)))
            .await?;
        app.click("[data-testid=action-remove-from-group]").await?;
        app.click("[data-testid=confirm]").await?;
        app.wait_for_absence(&row(grace.id.0)).await?;
        let group = roster
            .find_group(&test_actor(), "Night shift", None)
            .await
            .map_err(|e| e.to_string())?;
        if group.member_count != 0 {
            return Err("the member was not removed".into());
        }
        let trail: Vec<String> = roster
            .audit(
                &test_actor(),
                &AuditQuery {
                    user: Some(grace.id),
                    limit: 5,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        if trail[..2]
            != [
                "group.remove_member".to_string(),
                "group.add_member".to_string(),
            ]
        {
            return Err(format!("audit: {trail:?}"));
        }
        Ok(())
    }
    .await;
    app.finish("group-membership", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_in_light_and_dark() {
    let (db, roster) = seeded(120).await;
    roster
        .change_status(
            &test_actor(),
            &[UserRef::parse("ada0")],
            roster_core::StatusAction::Suspend,
        )
        .await
        .unwrap();
    for (theme, suffix) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
        let app = App::launch_with(&db.url, &Profile::new(), theme)
            .await
            .unwrap();
        let result = async {
            first_rows_loaded(&app).await?;
            app.screenshot(&format!("users-{suffix}")).await?;
            app.click("[data-testid=nav-overview]").await?;
            app.wait_for_text("[data-testid=status-bar-active]", "Active")
                .await?;
            app.wait_for_element("[data-testid=recent-change]").await?;
            app.screenshot(&format!("overview-{suffix}")).await?;
            app.click("[data-testid=nav-groups]").await?;
            app.wait_for_element("[data-testid=groups-page]").await?;
            app.screenshot(&format!("groups-{suffix}")).await?;
            app.click("[data-testid=nav-users]").await?;
            first_rows_loaded(&app).await?;
            app.click("[data-testid=user-row] [data-testid=row-menu]")
                .await?;
            app.click("[data-testid=action-open]").await?;
            app.wait_for_element("[data-testid=user-details] input[name=first_name]")
                .await?;
            app.screenshot(&format!("user-details-{suffix}")).await?;
            app.click("[data-testid=close-details]").await?;
            app.wait_for_absence("[data-testid=user-details]").await?;

            // About: the workspace's version, the open database, the bundled components.
            app.click("[data-testid=about]").await?;
            app.wait_for_text("[data-testid=about-version]", env!("CARGO_PKG_VERSION"))
                .await?;
            let file = db.url.rsplit('/').next().unwrap_or_default();
            app.wait_for_text("[data-testid=about-database]", file)
                .await?;
            app.click("[data-testid=about-components] summary").await?;
            app.wait_for_text("[data-testid=about-components]", "tauri")
                .await?;
            app.screenshot(&format!("about-{suffix}")).await?;
            Ok(())
        }
        .await;
        app.finish(&format!("screens-{suffix}"), result).await;
    }
}

/// Every screen of the console, a user's details with each tab, the dialogs the screens'
/// buttons open (new records, the CSV wizards, Help), and the signed-out screens (sign-in,
/// Connect, a server's form), in light and dark, pass axe-core's WCAG 2 A/AA and
/// best-practice rules in the real window (issue 35).
#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_the_accessibility_audit_in_light_and_dark() {
    let (db, _roster) = seeded(60).await;
    for (theme, suffix) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
        let app = App::launch_with(&db.url, &Profile::new(), theme)
            .await
            .unwrap();
        let result = async {
            first_rows_loaded(&app).await?;
            let found = walk_every_screen(&app, &Axe).await?;
            if found.is_empty() {
                Ok(())
            } else {
                Err(format!("axe-core finds ({suffix}):\n{}", found.join("\n")))
            }
        }
        .await;
        app.finish(&format!("axe-{suffix}"), result).await;
    }
}

/// At 200% zoom, as someone with low vision sets it, every screen, details tab and dialog
/// still shows its controls' words whole, and no dialog has to be scrolled sideways.
#[tokio::test(flavor = "multi_thread")]
async fn at_twice_the_size_nothing_is_cut_off() {
    let (db, _roster) = seeded(60).await;
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        // What the web view's own zoom does: every CSS pixel drawn twice as large.
        app.script::<serde_json::Value>(
            "document.documentElement.style.zoom = '2'; return null;",
            Vec::new(),
        )
        .await?;
        app.screenshot("zoom-200").await?;
        let found = walk_every_screen(&app, &Clipped).await?;
        if found.is_empty() {
            Ok(())
        } else {
            Err(format!("at 200%:\n{}", found.join("\n")))
        }
    }
    .await;
    app.finish("zoom-200", result).await;
}

/// A realistic directory: 100,000 users. Scrolling to the very end shows the last users
/// in sort order, and a search still answers.
#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_thousand_users_scroll_to_the_end_and_search() {
    const USERS: usize = 100_000;
    let (db, roster) = seeded(USERS).await;
    let last = roster
        .list_users(
            &test_actor(),
            &UserQuery {
                offset: USERS as u64 - 1,
                limit: 1,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap()
        .users
        .remove(0);
    let app = launch(&db).await;
    let result = async {
        app.wait_for_count("of 100,000 users").await?;
        app.scroll_list_to_end().await?;
        app.wait_for_element(&row(last.id.0)).await?;
        app.wait_for_count("100,000 of 100,000 users").await?;
        app.screenshot("users-100k-end").await?;
        app.type_into("[data-testid=search]", &last.username)
            .await?;
        app.wait_for("the one match", || async {
            let names = app.column("username").await?;
            Ok((names == [last.username.clone()]).then_some(()))
        })
        .await
    }
    .await;
    app.finish("100k-scroll-and-search", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_moves_through_rows_and_opens_one() {
    let (db, roster) = seeded(20).await;
    let second = roster
        .list_users(
            &test_actor(),
            &UserQuery {
                limit: 2,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap()
        .users
        .remove(1);
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        let table = app
            .client
            .find(fantoccini::Locator::Css("[role=table]"))
            .await
            .map_err(|e| e.to_string())?;
        // Down, down, up, down: the second row; Enter opens it.
        for key in ["\u{E015}", "\u{E015}", "\u{E013}", "\u{E015}", "\u{E007}"] {
            table.send_keys(key).await.map_err(|e| e.to_string())?;
        }
        app.wait_for_text("[data-testid=user-details] h2", &second.last_name)
            .await?;
        Ok(())
    }
    .await;
    app.finish("keyboard", result).await;
}

/// Another admin changes a user while this one has unsaved edits open: the edits stay
/// through the live refresh, saving them says who changed what, and "Keep my changes"
/// saves only the fields edited here, keeping the other admin's change.
#[tokio::test(flavor = "multi_thread")]
async fn an_edit_over_another_admins_change_keeps_both() {
    let (db, roster) = seeded(10).await;
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        let target = roster
            .list_users(&test_actor(), &UserQuery::default())
            .await
            .map_err(|e| e.to_string())?
            .users
            .remove(0);
        app.click(&format!("{} [data-testid=row-menu]", row(target.id.0)))
            .await?;
        app.click("[data-testid=action-open]").await?;
        app.wait_for_element("[data-testid=user-details] input[name=last_name]")
            .await?;
        app.type_into("[data-testid=user-details] input[name=last_name]", "Edited Here")
            .await?;

        let patch = roster_core::UserPatch {
            phone: Some("+1 555 0142".into()),
            ..roster_core::UserPatch::default()
        };
        roster
            .edit_user(&test_actor(), &UserRef::Id(target.id), patch, None)
            .await
            .map_err(|e| e.to_string())?;
        // The details follow the change (the version shown goes up) and the typing stays.
        let newer = (target.version + 1).to_string();
        app.wait_for_text("[data-testid=user-version]", &newer)
            .await?;
        let typed = app
            .client
            .execute(
                "return document.querySelector('[data-testid=user-details] input[name=last_name]').value;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if typed.as_str() != Some("Edited Here") {
            return Err(format!("the unsaved edit was replaced: {typed}"));
        }

        app.click("[data-testid=user-details] [data-testid=save-user]")
            .await?;
        app.wait_for_text("[data-testid=conflict]", ": phone)").await?;
        app.screenshot("user-conflict").await?;
        app.click("[data-testid=keep-mine]").await?;
        app.wait_for_element("[data-testid=saved]").await?;
        let saved = user(&roster, &target.username).await;
        if saved.last_name != "Edited Here" || saved.phone.as_deref() != Some("+1 555 0142") {
            return Err(format!(
                "both changes are kept: {} / {:?}",
                saved.last_name, saved.phone
            ));
        }
        Ok(())
    }
    .await;
    app.finish("conflict", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_edit_over_another_admins_change_keeps_both() {
    let (db, roster) = seeded(3).await;
    let desk = roster
        .save_role(
            &test_actor(),
            RoleInput {
                name: "night desk".into(),
                description: "Evenings".into(),
                permissions: vec![Permission::ViewUsers],
                version: None,
            },
        )
        .await
        .unwrap();
    let app = launch(&db).await;
    let result = async {
        app.click("[data-testid=nav-roles]").await?;
        app.click("[data-testid=role-row][data-role-name=\"night desk\"] [data-testid=edit-role]")
            .await?;
        app.type_into(
            "[data-testid=role-dialog] #description",
            "Evenings and weekends",
        )
        .await?;
        // Another admin lets the role unlock accounts while the dialog is open.
        roster
            .save_role(
                &test_actor(),
                RoleInput {
                    name: desk.name.clone(),
                    description: desk.description.clone(),
                    permissions: vec![Permission::ViewUsers, Permission::UnlockUsers],
                    version: Some(desk.version),
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        app.click("[data-testid=save-role]").await?;
        app.wait_for_text("[data-testid=conflict]", ": permissions)")
            .await?;
        app.wait_for_element("[data-testid=keep-mine]").await?;
        app.screenshot("role-conflict").await?;
        app.click("[data-testid=keep-mine]").await?;
        app.wait_for_absence("[data-testid=role-dialog]").await?;
        let saved = roster
            .list_roles(&test_actor())
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(|r| r.name == "night desk")
            .ok_or("the role is still there")?;
        let mut permissions = saved.permissions.clone();
        permissions.sort();
        if saved.description != "Evenings and weekends"
            || permissions != [Permission::ViewUsers, Permission::UnlockUsers]
        {
            return Err(format!(
                "both changes are kept: {} / {:?}",
                saved.description, saved.permissions
            ));
        }
        Ok(())
    }
    .await;
    app.finish("role-conflict", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_settings_save_over_another_admins_change_keeps_both() {
    let (db, roster) = seeded(3).await;
    let app = launch(&db).await;
    let result = async {
        app.click("[data-testid=nav-settings]").await?;
        app.type_into("#organization_name", "Acme Ltd").await?;
        // Another admin raises the password length while the form is open.
        let theirs = SettingsPatch {
            min_password_chars: Some(16),
            ..SettingsPatch::default()
        };
        roster
            .update_settings(&test_actor(), &theirs)
            .await
            .map_err(|e| e.to_string())?;
        app.click("[data-testid=save-settings]").await?;
        app.wait_for_text("[data-testid=conflict]", ": min_password_chars)")
            .await?;
        app.wait_for_element("[data-testid=keep-mine]").await?;
        app.click("[data-testid=keep-mine]").await?;
        app.wait_for_text("main", "Settings saved.").await?;
        let saved = roster
            .settings(&test_actor())
            .await
            .map_err(|e| e.to_string())?;
        if saved.organization_name != "Acme Ltd" || saved.min_password_chars != 16 {
            return Err(format!(
                "both changes are kept: {} / {}",
                saved.organization_name, saved.min_password_chars
            ));
        }
        Ok(())
    }
    .await;
    app.finish("settings-conflict", result).await;
}

/// Settings → Backups: a backup taken from the window, read before a restore, restored;
/// what was added since is gone and the directory as it was is kept aside, listed.
#[tokio::test(flavor = "multi_thread")]
async fn a_backup_is_taken_checked_and_restored_from_settings() {
    let db = TempDatabase::sqlite();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 12).await.unwrap();
    let app = launch(&db).await;
    let result = async {
        let total = || async {
            roster
                .list_users(&test_actor(), &UserQuery::default())
                .await
                .map(|page| page.total)
                .map_err(|e| e.to_string())
        };
        // The seeded users and the Owner the window signed in as.
        let backed_up = total().await?;
        app.click("[data-testid=nav-settings]").await?;
        app.wait_for_element("[data-testid=automatic-backups]")
            .await?;
        app.click("[data-testid=back-up-now]").await?;
        app.wait_for_text("main", "Backup written and checked")
            .await?;
        let taken = app.count("[data-testid=backup-row]").await?;
        let folder = db.dir.path().join("backups").display().to_string();
        app.wait_for_text("[data-testid=backup-folder]", &folder)
            .await?;
        app.scroll_into_view("[data-testid=backups]").await?;
        app.screenshot("settings-backups").await?;
        // Added after the backup: a restore takes it away.
        roster
            .add_user(
                &test_actor(),
                NewUser {
                    email: "after.backup@example.org".into(),
                    first_name: "After".into(),
                    last_name: "Backup".into(),
                    ..NewUser::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        app.click("[data-testid=backup-row] [data-testid=restore-backup]")
            .await?;
        app.wait_for_text("[data-testid=backup-contents]", "verified")
            .await?;
        app.wait_for_text("[data-testid=backup-contents]", &backed_up.to_string())
            .await?;
        app.screenshot("backup-restore").await?;
        let found = app.accessibility_violations("dialog[open]").await?;
        if !found.is_empty() {
            return Err(format!("the restore dialog fails the audit: {found:?}"));
        }
        app.click("[data-testid=confirm]").await?;
        app.wait_for_text("main", "Restored").await?;
        let users = total().await?;
        if users != backed_up {
            return Err(format!(
                "the backup's {backed_up} users are back, not {users}"
            ));
        }
        app.wait_for_text("[data-testid=backups]", "Before a restore")
            .await?;
        let listed = app.count("[data-testid=backup-row]").await?;
        if listed != taken + 1 {
            return Err(format!(
                "{taken} backups and the one kept aside, not {listed}"
            ));
        }

        // A copy for elsewhere, encrypted: a short passphrase is refused before any file
        // is chosen; a good one, typed twice, seals the copy where the admin saves it.
        app.click("[data-testid=encrypted-copy]").await?;
        app.type_into("[data-testid=passphrase]", "too short")
            .await?;
        app.type_into("[data-testid=passphrase_again]", "too short")
            .await?;
        app.click("[data-testid=save-encrypted-backup]").await?;
        app.wait_for_text("[data-testid=field-error-passphrase]", "at least 12")
            .await?;
        let passphrase = "staple battery horse correct";
        app.type_into("[data-testid=passphrase]", passphrase)
            .await?;
        app.type_into("[data-testid=passphrase_again]", passphrase)
            .await?;
        app.screenshot("backup-encrypted").await?;
        let found = app.accessibility_violations("dialog[open]").await?;
        if !found.is_empty() {
            return Err(format!(
                "the encrypted copy dialog fails the audit: {found:?}"
            ));
        }
        app.click("[data-testid=save-encrypted-backup]").await?;
        let sealed = db.dir.path().join("usb-stick.db.age");
        app.answer_file_dialog("Save an encrypted backup", &sealed)
            .await?;
        app.wait_for_text("main", "Encrypted copy written and checked")
            .await?;
        let bytes = std::fs::read(&sealed).map_err(|e| e.to_string())?;
        if !bytes.starts_with(b"age-encryption.org/v1\n") {
            return Err("the copy is not in the age format".into());
        }
        Ok(())
    }
    .await;
    app.finish("backups", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn organizations_are_created_renamed_and_deleted_moving_their_users() {
    // The seed spreads 30 users over Acme, Globex and Initech.
    let (db, roster) = seeded(30).await;
    let app = launch(&db).await;
    let org_row =
        |name: &str| format!("[data-testid=organization-row][data-organization-name=\"{name}\"]");
    let result = async {
        app.click("[data-testid=nav-organizations]").await?;
        app.wait_for_text(
            &format!("{} [data-testid=organization-users]", org_row("Acme")),
            "10",
        )
        .await?;
        app.click("[data-testid=new-organization]").await?;
        app.type_into(
            "[data-testid=organization-dialog] input[name=name]",
            "Umbrella",
        )
        .await?;
        app.click("[data-testid=save-organization]").await?;
        app.wait_for_element(&org_row("Umbrella")).await?;

        app.click(&format!(
            "{} [data-testid=rename-organization]",
            org_row("Initech")
        ))
        .await?;
        app.type_into(
            "[data-testid=organization-dialog] input[name=name]",
            "Initech Ltd",
        )
        .await?;
        app.click("[data-testid=save-organization]").await?;
        app.wait_for_element(&org_row("Initech Ltd")).await?;
        app.screenshot("organizations").await?;
        let violations = app.accessibility_violations("main").await?;
        if !violations.is_empty() {
            return Err(format!(
                "axe-core finds on the Organizations screen: {violations:#?}"
            ));
        }

        // Acme still has users: the delete asks where they go.
        let umbrella = roster
            .find_organization(&test_actor(), "Umbrella")
            .await
            .map_err(|e| e.to_string())?;
        app.click(&format!(
            "{} [data-testid=delete-organization]",
            org_row("Acme")
        ))
        .await?;
        app.wait_for_text("[data-testid=confirm-dialog]", "Acme still has 10 users")
            .await?;
        app.select("[data-testid=move-to]", &umbrella.id.0.to_string())
            .await?;
        app.screenshot("organization-delete").await?;
        let violations = app
            .accessibility_violations("[data-testid=confirm-dialog]")
            .await?;
        if !violations.is_empty() {
            return Err(format!(
                "axe-core finds in the delete dialog: {violations:#?}"
            ));
        }
        app.click("[data-testid=confirm]").await?;
        app.wait_for_absence(&org_row("Acme")).await?;
        app.wait_for_text(
            &format!("{} [data-testid=organization-users]", org_row("Umbrella")),
            "10",
        )
        .await?;

        let stored: Vec<(String, i64)> = roster
            .list_organizations(&test_actor())
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|o| (o.name, o.users))
            .collect();
        let expected = [("Globex", 10), ("Initech Ltd", 10), ("Umbrella", 10)]
            .map(|(name, users)| (name.to_owned(), users));
        if stored != expected {
            return Err(format!("the database holds {stored:?}"));
        }
        let moved = roster
            .list_users(
                &test_actor(),
                &UserQuery {
                    organization: Some("Umbrella".into()),
                    ..UserQuery::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        if moved.total != 10 {
            return Err(format!("{} users are in Umbrella", moved.total));
        }
        Ok(())
    }
    .await;
    app.finish("organizations", result).await;
}

const DESK_PASSWORD: &str = "lighthouse keeper passphrase";

#[tokio::test(flavor = "multi_thread")]
async fn a_helpdesk_limited_to_one_organization_sees_only_it() {
    // 30 users over Acme, Globex and Initech; the helpdesk account itself is in Acme.
    let (db, roster) = seeded(30).await;
    let operator = test_actor();
    let desk = NewUser {
        email: "desk@example.org".into(),
        first_name: "Hal".into(),
        last_name: "Desk".into(),
        role: Some("helpdesk".into()),
        status: Some(Status::Active),
        organization: Some("Acme".into()),
        ..NewUser::default()
    };
    let desk = roster.add_user(&operator, desk).await.unwrap();
    let password = SetPassword {
        password: Some(DESK_PASSWORD.into()),
        ..SetPassword::default()
    };
    roster
        .set_password(&operator, &UserRef::Id(desk.id), password)
        .await
        .unwrap();
    let acme = roster.find_organization(&operator, "Acme").await.unwrap();
    roster
        .set_account_scope(&operator, &UserRef::Id(desk.id), Some(vec![acme.id]))
        .await
        .unwrap();
    // An Owner with a password, so the app offers the sign-in screen.
    roster_tests::desktop::prepare_owner(&db.url).await.unwrap();
    let app = App::launch_signed_out(&db.url, &Profile::new(), Theme::Light)
        .await
        .unwrap();
    let result = async {
        app.sign_in(&desk.username, DESK_PASSWORD).await?;
        app.wait_for_count("11 users").await?;
        let organizations = app.column("organization").await?;
        if organizations.iter().any(|o| o != "Acme") {
            return Err(format!("the helpdesk sees {organizations:?}"));
        }
        // Searching the whole name of someone in Globex finds no one.
        let globex = roster
            .list_users(
                &operator,
                &UserQuery {
                    organization: Some("Globex".into()),
                    limit: 1,
                    ..UserQuery::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?
            .users
            .remove(0);
        app.type_into("[data-testid=search]", &globex.email).await?;
        app.wait_for_text("[data-testid=count]", "No users match")
            .await?;
        app.type_into("[data-testid=search]", "").await?;
        app.wait_for_count("11 users").await?;
        app.screenshot("scoped-helpdesk").await?;
        // The switcher offers only Acme; the outbox (everyone's messages) is not shown.
        let offered = app
            .texts("[data-testid=organization-switcher] option")
            .await?;
        if offered != ["All organizations", "Acme"] {
            return Err(format!("the switcher offers {offered:?}"));
        }
        if app.count("[data-testid=nav-outbox]").await? != 0 {
            return Err("a helpdesk limited to Acme sees the outbox".into());
        }
        app.click("[data-testid=nav-overview]").await?;
        app.wait_for_text("[data-testid=overview-total]", "11")
            .await?;
        Ok(())
    }
    .await;
    app.finish("scoped-helpdesk", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_switches_organization_and_limits_an_account() {
    let (db, roster) = seeded(30).await;
    let desk = roster
        .add_user(
            &test_actor(),
            NewUser {
                email: "desk@example.org".into(),
                first_name: "Hal".into(),
                last_name: "Desk".into(),
                role: Some("helpdesk".into()),
                organization: Some("Globex".into()),
                ..NewUser::default()
            },
        )
        .await
        .unwrap();
    let globex = roster
        .find_organization(&test_actor(), "Globex")
        .await
        .unwrap();
    let profile = Profile::new();
    let app = App::launch_with(&db.url, &profile, Theme::Light)
        .await
        .unwrap();
    let result = async {
        first_rows_loaded(&app).await?;
        app.select(
            "[data-testid=organization-switcher]",
            &globex.id.0.to_string(),
        )
        .await?;
        app.wait_for_count("11 users").await?;
        let organizations = app.column("organization").await?;
        if organizations.iter().any(|o| o != "Globex") {
            return Err(format!(
                "with Globex chosen the list shows {organizations:?}"
            ));
        }
        app.screenshot("organization-switcher").await?;

        // The helpdesk in Globex is limited to Globex from its details.
        app.type_into("[data-testid=search]", "desk@example.org")
            .await?;
        app.wait_for_count("1 user").await?;
        app.click(&format!("{} [data-testid=row-menu]", row(desk.id.0)))
            .await?;
        app.click("[data-testid=action-open]").await?;
        app.click("[data-testid=scope-some]").await?;
        app.click("[data-testid=scope-organization][data-organization-name=Globex]")
            .await?;
        app.click("[data-testid=save-scope]").await?;
        app.wait_for_element("[data-testid=scope-saved]").await?;
        app.screenshot("user-administers").await?;
        let violations = app
            .accessibility_violations("[data-testid=user-details]")
            .await?;
        if !violations.is_empty() {
            return Err(format!(
                "axe-core finds in the user's details: {violations:#?}"
            ));
        }
        let scope = roster
            .account_scope(&test_actor(), &UserRef::Id(desk.id))
            .await
            .map_err(|e| e.to_string())?;
        if scope != Some(vec![globex.id]) {
            return Err(format!("the account is limited to {scope:?}"));
        }
        Ok(())
    }
    .await;
    app.finish("organization-switcher", result).await;

    // The workstation remembers the organization chosen.
    let app = App::launch_with(&db.url, &profile, Theme::Light)
        .await
        .unwrap();
    let result = async {
        app.wait_for_count("11 users").await?;
        app.click("[data-testid=nav-overview]").await?;
        app.wait_for_text("#overview-title", "Overview of Globex")
            .await?;
        app.wait_for_text("[data-testid=overview-total]", "11")
            .await?;
        Ok(())
    }
    .await;
    app.finish("organization-remembered", result).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_enrolled_from_the_cli_appears_on_the_users_devices_tab() {
    let (db, roster) = seeded(30).await;
    let active = UserQuery {
        statuses: vec![Status::Active],
        ..UserQuery::default()
    };
    let owner = roster
        .list_users(&test_actor(), &active)
        .await
        .unwrap()
        .users
        .remove(0);
    let token = roster
        .issue_token(&test_actor(), &UserRef::Id(owner.id), None)
        .await
        .unwrap();
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        app.type_into("[data-testid=search]", &owner.email).await?;
        app.wait_for_count("1 user").await?;
        app.click(&format!("{} [data-testid=row-menu]", row(owner.id.0)))
            .await?;
        app.click("[data-testid=action-open]").await?;
        app.click("[data-testid=tab-devices]").await?;
        app.wait_for_element("[data-testid=no-devices]").await?;

        // An enrollment script on the new laptop, while the console is open.
        let enrolled = std::process::Command::new(roster_tests::built_binary("roster"))
            .args(["--db", &db.url, "device", "enroll", "--token", &token.text])
            .args([
                "--name",
                "LAPTOP-E2E",
                "--os",
                "windows",
                "--serial",
                "PF3XK2",
            ])
            .args(["--model", "ThinkPad T14"])
            .output()
            .map_err(|e| e.to_string())?;
        if !enrolled.status.success() {
            return Err(String::from_utf8_lossy(&enrolled.stderr).into_owned());
        }
        app.wait_for_element("[data-testid=device-row][data-device-name=LAPTOP-E2E]")
            .await?;
        app.wait_for_text("[data-testid=device-count-line]", "1 active device")
            .await?;
        let serials = app.texts("[data-testid=device-row] .mono").await?;
        if serials != ["PF3XK2"] {
            return Err(format!("the Devices tab shows serials {serials:?}"));
        }
        app.screenshot("user-devices").await?;
        let violations = app
            .accessibility_violations("[data-testid=user-details]")
            .await?;
        if !violations.is_empty() {
            return Err(format!(
                "axe-core finds in the Devices tab: {violations:#?}"
            ));
        }
        // Added by hand, corrected, and given to someone else, from the same tab.
        let heir = roster
            .list_users(&test_actor(), &active)
            .await
            .map_err(|e| e.to_string())?
            .users
            .into_iter()
            .find(|u| u.id != owner.id)
            .ok_or("no second active user")?;
        app.click("[data-testid=add-device]").await?;
        app.type_into("[data-testid=device-name]", "PHONE-E2E")
            .await?;
        app.select("[data-testid=device-os]", "android").await?;
        app.click("[data-testid=save-device]").await?;
        app.wait_for_text("[data-testid=device-count-line]", "2 active devices")
            .await?;
        app.click("[data-testid=device-row][data-device-name=PHONE-E2E] [data-testid=edit-device]")
            .await?;
        app.type_into("[data-testid=device-name]", "PHONE-E2E-2")
            .await?;
        app.click("[data-testid=save-device]").await?;
        app.wait_for_element("[data-testid=device-row][data-device-name=PHONE-E2E-2]")
            .await?;
        app.click(
            "[data-testid=device-row][data-device-name=PHONE-E2E-2] [data-testid=reassign-device]",
        )
        .await?;
        app.type_into("[data-testid=reassign-to]", &heir.email)
            .await?;
        app.click("[data-testid=save-reassign]").await?;
        app.wait_for_text("[data-testid=device-count-line]", "1 active device")
            .await?;
        let phone = roster
            .list_devices(
                &test_actor(),
                &roster_core::DeviceQuery {
                    owner: Some(heir.id),
                    ..roster_core::DeviceQuery::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?
            .devices;
        if phone.iter().map(|d| d.name.as_str()).collect::<Vec<_>>() != ["PHONE-E2E-2"] {
            return Err(format!("the new owner has {phone:?}"));
        }
        app.click("[data-testid=close-details]").await?;
        app.wait_for("the list's device count", || async {
            Ok((app.column("device_count").await? == ["1"]).then_some(()))
        })
        .await?;

        // The Devices screen lists it among others, and finds it by its serial number.
        let others = roster
            .list_users(&test_actor(), &active)
            .await
            .map_err(|e| e.to_string())?
            .users;
        let kinds = [
            ("MBP", DeviceOs::Macos, "MacBook Pro 14"),
            ("PIXEL", DeviceOs::Android, "Pixel 8"),
            ("IPHONE", DeviceOs::Ios, "iPhone 15"),
            ("WS", DeviceOs::Linux, "ThinkStation P3"),
        ];
        for (n, other) in others
            .iter()
            .filter(|u| u.id != owner.id)
            .take(8)
            .enumerate()
        {
            let (prefix, os, model) = kinds[n % kinds.len()];
            let draft = DeviceDraft {
                name: format!("{prefix}-{}", other.username.to_uppercase()),
                os,
                model: model.into(),
                serial: format!("C0{n}X{}", 7100 + n),
            };
            roster
                .add_device(&test_actor(), &UserRef::Id(other.id), &draft)
                .await
                .map_err(|e| e.to_string())?;
        }
        app.click("[data-testid=nav-devices]").await?;
        app.wait_for_text("[data-testid=device-count]", "10 devices")
            .await?;
        app.screenshot("devices").await?;
        let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
        let file = folder.path().join("devices.csv");
        app.click("[data-testid=export-devices]").await?;
        app.answer_file_dialog("Export devices", &file).await?;
        app.wait_for_text("[data-testid=device-notice]", "Exported 10 devices")
            .await?;
        let csv = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let line = format!("LAPTOP-E2E,Windows,ThinkPad T14,PF3XK2,{},", owner.email);
        if csv.lines().count() != 11 || !csv.contains(&line) {
            return Err(format!("the export holds:\n{csv}"));
        }
        // An asset list comes in through the same dialog as group memberships.
        let assets = folder.path().join("assets.csv");
        std::fs::write(
            &assets,
            format!(
                "Hostname;Operating System;Assigned To\nDESK-IMPORT;Linux;{}\n",
                heir.email
            ),
        )
        .map_err(|e| e.to_string())?;
        app.click("[data-testid=import-devices]").await?;
        app.click("[data-testid=choose-devices-file]").await?;
        app.answer_file_dialog("Import devices", &assets).await?;
        app.wait_for_text("[data-testid=devices-summary]", "1 to add")
            .await?;
        app.click("[data-testid=run-devices-import]").await?;
        app.wait_for_text("[data-testid=devices-summary]", "1 added")
            .await?;
        app.screenshot("devices-import").await?;
        app.click("[data-testid=devices-dialog] .dialog-footer button")
            .await?;
        app.wait_for_text("[data-testid=device-count]", "11 devices")
            .await?;
        app.type_into("[data-testid=device-search]", "pf3x").await?;
        app.wait_for("the search's one device", || async {
            let count = app.texts("[data-testid=device-count]").await?;
            Ok((count == ["1 device"]).then_some(()))
        })
        .await?;
        let owners = app
            .texts("[data-testid=device-list-row] [role=cell]:nth-child(5)")
            .await?;
        if owners != [owner.username.clone()] {
            return Err(format!("the Devices screen shows owners {owners:?}"));
        }
        let violations = app
            .accessibility_violations("[data-testid=devices-page]")
            .await?;
        if !violations.is_empty() {
            return Err(format!(
                "axe-core finds on the Devices screen: {violations:#?}"
            ));
        }

        // Retired from the screen, it is no longer counted as the user's.
        app.click("[data-testid=device-select]").await?;
        app.click("[data-testid=bulk-retire-devices]").await?;
        app.click("[data-testid=confirm]").await?;
        app.wait_for_text("[data-testid=device-notice]", "1 device retired")
            .await?;
        let now = user(&roster, &owner.username).await;
        if now.device_count != 0 {
            return Err(format!("after retiring, {} devices", now.device_count));
        }

        // Deleting the owner asks what becomes of the device: it goes to someone else.
        app.click("[data-testid=nav-users]").await?;
        app.type_into("[data-testid=search]", &owner.email).await?;
        app.wait_for_count("1 user").await?;
        app.click(&format!("{} [data-testid=row-select]", row(owner.id.0)))
            .await?;
        app.click("[data-testid=bulk-delete]").await?;
        app.click("[data-testid=handover-give]").await?;
        app.type_into("[data-testid=handover-heir]", &heir.username)
            .await?;
        app.screenshot("user-delete-devices").await?;
        app.click("[data-testid=confirm]").await?;
        app.wait_for_text("[data-testid=count]", "No users match")
            .await?;
        let search = roster_core::DeviceQuery {
            search: "LAPTOP-E2E".into(),
            ..roster_core::DeviceQuery::default()
        };
        let laptop = roster
            .list_devices(&test_actor(), &search)
            .await
            .map_err(|e| e.to_string())?
            .devices;
        if laptop.iter().map(|d| d.owner.clone()).collect::<Vec<_>>()
            != [Some(heir.username.clone())]
        {
            return Err(format!("after the delete the laptop is {laptop:?}"));
        }
        Ok(())
    }
    .await;
    app.finish("user-devices", result).await;
}

/// Department and manager as list columns, the department filter and "ending soon", and the
/// details' reporting line: the manager a link, the direct reports listed.
#[tokio::test(flavor = "multi_thread")]
async fn departments_managers_and_end_dates_in_the_list_and_details() {
    let (db, roster) = seeded(40).await;
    let actor = test_actor();
    let boss = user(&roster, "ada0").await;
    let department = boss.profile[&UserField::Department].clone();
    let colleagues = roster
        .list_users(
            &actor,
            &UserQuery {
                department: Some(department.clone()),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    let in_department = colleagues.total;
    // Four of Ada's department report to her.
    for report in colleagues.users.iter().filter(|u| u.id != boss.id).take(4) {
        let patch = UserPatch {
            manager: Some(boss.email.clone()),
            ..UserPatch::default()
        };
        roster
            .edit_user(&actor, &UserRef::Id(report.id), patch, None)
            .await
            .unwrap();
    }
    // The app's clock is the real one: an end date ten days from now is "ending soon".
    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    roster
        .edit_user(
            &actor,
            &UserRef::Id(boss.id),
            UserPatch {
                profile: [(UserField::EndDate, soon)].into(),
                ..UserPatch::default()
            },
            None,
        )
        .await
        .unwrap();
    let app = launch(&db).await;
    let result = async {
        first_rows_loaded(&app).await?;
        app.click("[data-testid=columns-button]").await?;
        // Room for them: the columns this screen is not about go.
        for column in [
            "username",
            "phone",
            "two_factor",
            "role",
            "organization",
            "team",
            "device_count",
            "created_at",
            "department",
            "manager",
            "job_title",
        ] {
            app.click(&format!("[data-testid=column-toggle-{column}]"))
                .await?;
        }
        // Both beside the name.
        for column in ["department", "manager"] {
            for _ in 0..10 {
                app.click(&format!("[data-testid=column-up-{column}]"))
                    .await?;
            }
        }
        app.click("[data-testid=columns-button]").await?;
        app.wait_for("the manager column", || async {
            let managers = app.column("manager").await?;
            Ok(managers.iter().any(|m| m == "Ada Lovelace").then_some(()))
        })
        .await?;
        app.click("[data-testid=filters-button]").await?;
        app.select("[data-testid=filter-department]", &department)
            .await?;
        app.wait_for_count(&format!("{in_department} users"))
            .await?;
        let shown = app.column("department").await?;
        if shown.iter().any(|d| *d != department) {
            return Err(format!("another department is shown: {shown:?}"));
        }
        app.screenshot("users-departments").await?;
        app.click("[data-testid=clear-filters]").await?;
        app.click("[data-testid=filter-ending]").await?;
        app.wait_for_count("1 user").await?;
        app.wait_for_text("[data-testid=chip]", "Ending in 30 days")
            .await?;
        app.click(&format!("{} [data-testid=row-menu]", row(boss.id.0)))
            .await?;
        app.click("[data-testid=action-open]").await?;
        app.wait_for("Ada's four direct reports", || async {
            let reports = app.count("[data-testid=direct-reports] button").await?;
            Ok((reports == 4).then_some(()))
        })
        .await?;
        app.client
            .execute(
                "document.querySelector('.reporting').scrollIntoView();",
                Vec::new(),
            )
            .await
            .map_err(|e| e.to_string())?;
        app.screenshot("user-reporting").await?;
        let violations = app
            .accessibility_violations("[data-testid=user-details]")
            .await?;
        if !violations.is_empty() {
            return Err(format!("axe-core finds in the details: {violations:#?}"));
        }
        app.click("[data-testid=direct-reports] button").await?;
        app.wait_for_text("[data-testid=open-manager]", "Ada Lovelace")
            .await?;
        app.click("[data-testid=open-manager]").await?;
        app.wait_for_text("[data-testid=user-details] h2", &boss.display_name())
            .await
            .map(|_| ())
    }
    .await;
    app.finish("departments-and-managers", result).await;
}

/// Help → Save diagnostics on a PostgreSQL directory opened with a password in its URL,
/// after a failed sign-in: the report has the versions, the database and its counts, and
/// not one of the secrets the directory, the URL or the session held, nor does the log it
/// quotes, which only the owning account may open.
#[tokio::test(flavor = "multi_thread")]
async fn diagnostics_tell_support_everything_but_a_secret() {
    let Some(db) = TempDatabase::on_server(roster_tests::Server::Postgres) else {
        return;
    };
    let (roster, _) = db.roster().await;
    let actor = test_actor();
    seed::seed(&roster, &actor, 0, 8).await.unwrap();
    let person = |n| UserRef::parse(&seed::person(n).username.unwrap());
    let someone = person(0);
    // The server trusts this computer and ignores the password; the app still holds it.
    let db_password = "db-pass-7Qx9";
    let url = db
        .url
        .replacen("://postgres@", &format!("://postgres:{db_password}@"), 1);
    assert_ne!(url, db.url, "the test URL names the postgres user");
    let user_password = "user-pass-K4w2 mellow";
    roster
        .set_password(
            &actor,
            &someone,
            SetPassword {
                password: Some(user_password.into()),
                ..SetPassword::default()
            },
        )
        .await
        .unwrap();
    let enrollment = roster
        .reset_two_factor(&actor, std::slice::from_ref(&someone))
        .await
        .unwrap();
    let token = roster.issue_token(&actor, &someone, None).await.unwrap();
    // The fifth is staged: an invitation asks them to set a password.
    roster.invite(&actor, &person(4)).await.unwrap();
    let invitation = roster.outbox(&actor, 10).await.unwrap()[0].id;
    let code = roster
        .reveal_mail(&actor, invitation)
        .await
        .unwrap()
        .secret
        .expect("an invitation carries a code");
    let smtp_user = "smtp-login-P8z3";
    roster
        .update_settings(
            &actor,
            &SettingsPatch {
                smtp: Some(roster_core::SmtpPatch::Change {
                    host: Some("mail.example.org".into()),
                    security: None,
                    port: None,
                    username: Some(smtp_user.into()),
                    from_address: Some("it@example.org".into()),
                }),
                ..SettingsPatch::default()
            },
        )
        .await
        .unwrap();
    let wrong_password = "wrong-pass-R5t1";
    let key = enrollment[0].key.replace(' ', "");
    let secrets = [
        db_password,
        user_password,
        key.as_str(),
        &enrollment[0].key,
        &token.text,
        &code,
        smtp_user,
        wrong_password,
    ];

    let owner = roster_tests::desktop::prepare_owner(&url).await.unwrap();
    let profile = Profile::new();
    let app = App::launch_signed_out(&url, &profile, Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap();
    let report_file = out.path().join("diagnostics.json");
    let result = async {
        app.sign_in_to_step(&owner, wrong_password, "[role=alert]")
            .await?;
        app.sign_in(&owner, roster_tests::desktop::OWNER_PASSWORD)
            .await?;
        app.click("[data-testid=about]").await?;
        app.click("[data-testid=save-diagnostics]").await?;
        app.answer_file_dialog("Save diagnostics", &report_file)
            .await?;
        app.wait_for_text("[data-testid=diagnostics-saved]", "diagnostics.json")
            .await?;
        app.screenshot("help-diagnostics").await?;
        let found = app.accessibility_violations("dialog[open]").await?;
        if !found.is_empty() {
            return Err(format!("the help dialog fails the audit: {found:?}"));
        }
        Ok(())
    }
    .await;
    app.finish("diagnostics", result).await;

    let text = std::fs::read_to_string(&report_file).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["program"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        report["system"]["webview"]
            .as_str()
            .is_some_and(|w| w.starts_with("WebKitGTK 2.")),
        "{text}"
    );
    assert!(
        report["system"]["os"]
            .as_str()
            .is_some_and(|os| !os.trim().is_empty())
    );
    let directory = &report["directory"]["included"];
    assert_eq!(directory["database"]["backend"], "postgres", "{text}");
    // The seeded users, and the Owner prepare_owner made of the first active one.
    let users = roster
        .list_users(&actor, &UserQuery::default())
        .await
        .unwrap()
        .total;
    assert_eq!(directory["database"]["users"], users, "{text}");
    assert!(directory["database"]["schema_version"].as_i64().unwrap() > 0);
    assert!(directory["database"]["bytes"].as_u64().unwrap() > 0);
    // The invitation at least (the app may have tried the made-up mail server meanwhile).
    assert!(
        directory["database"]["queued_messages"].as_u64() >= Some(1),
        "{text}"
    );
    assert_eq!(directory["settings"]["smtp"]["host"], "mail.example.org");
    assert_eq!(directory["settings"]["smtp"]["signs_in"], true);

    let log_file = std::path::PathBuf::from(report["log"]["file"].as_str().unwrap());
    assert!(
        log_file.starts_with(profile.data_dir()),
        "{}",
        log_file.display()
    );
    let log_folder = log_file.parent().unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(log_folder).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o700,
        "the log folder is the owning account's only"
    );
    let mut log = String::new();
    for entry in std::fs::read_dir(log_folder).unwrap() {
        log.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    // The failed sign-in went through the log: what it was given is not there.
    assert!(log.contains("bad_credentials"), "{log}");
    assert!(
        log.contains("opened postgres postgres://postgres@"),
        "{log}"
    );
    assert!(log.contains("diagnostics saved to"), "{log}");
    for secret in secrets {
        assert!(!text.contains(secret), "the report holds {secret}: {text}");
        assert!(!log.contains(secret), "the log holds {secret}: {log}");
    }
}

/// A minisign key pair made by the tauri CLI, as the release workflow's is.
struct SigningKey {
    private_key: std::path::PathBuf,
    public_key: String,
}

const KEY_PASSWORD: &str = "update test key";

fn tauri_cli() -> std::process::Command {
    std::process::Command::new(roster_tests::workspace_root().join("ui/node_modules/.bin/tauri"))
}

fn signing_key(folder: &std::path::Path, name: &str) -> SigningKey {
    let private_key = folder.join(format!("{name}.key"));
    let made = tauri_cli()
        .args(["signer", "generate", "--ci", "-p", KEY_PASSWORD, "-w"])
        .arg(&private_key)
        .output()
        .expect("run the tauri CLI (npm ci in ui/)");
    assert!(made.status.success(), "{made:?}");
    let public_key = std::fs::read_to_string(folder.join(format!("{name}.key.pub"))).unwrap();
    SigningKey {
        private_key,
        public_key,
    }
}

/// The signature of `file` as the release workflow makes it: by `key`, bound to `version`.
fn sign(key: &SigningKey, file: &std::path::Path, version: &str) -> String {
    let signed = tauri_cli()
        .args([
            "signer",
            "sign",
            "-p",
            KEY_PASSWORD,
            "--app-version",
            version,
            "-f",
        ])
        .arg(&key.private_key)
        .arg(file)
        .output()
        .expect("run the tauri CLI");
    assert!(signed.status.success(), "{signed:?}");
    let mut sig = file.as_os_str().to_owned();
    sig.push(".sig");
    std::fs::read_to_string(sig).unwrap()
}

/// What the local update server answers: a manifest, and the file it points at.
struct Release {
    manifest: serde_json::Value,
    download: Vec<u8>,
}

/// An update server on 127.0.0.1, as a release's is: `/latest.json`, then the installer it
/// names. Counts the manifest's requests, so a check that should not happen is seen.
struct UpdateServer {
    address: String,
    release: std::sync::Arc<std::sync::Mutex<Release>>,
    manifest_requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl UpdateServer {
    fn start() -> UpdateServer {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let address = format!("http://{}", server.server_addr().to_ip().unwrap());
        let release = std::sync::Arc::new(std::sync::Mutex::new(Release {
            manifest: serde_json::Value::Null,
            download: Vec::new(),
        }));
        let manifest_requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (serving, counting) = (release.clone(), manifest_requests.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let release = serving.lock().unwrap();
                let body = if request.url() == "/latest.json" {
                    counting.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    release.manifest.to_string().into_bytes()
                } else {
                    release.download.clone()
                };
                drop(release);
                request.respond(tiny_http::Response::from_data(body)).ok();
            }
        });
        UpdateServer {
            address,
            release,
            manifest_requests,
        }
    }

    fn requests(&self) -> usize {
        self.manifest_requests
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Announces `version` with `signature`, and serves `download` at the address named.
    fn offer(&self, version: &str, signature: &str, download: &[u8]) {
        let manifest = serde_json::json!({
            "version": version,
            "notes": format!("Roster {version}\n\n- Faster imports\n- Bulk actions name each user"),
            "pub_date": "2026-12-01T09:00:00Z",
            "platforms": {
                "linux-x86_64": {
                    "signature": signature,
                    "url": format!("{}/Roster_{version}_amd64.AppImage", self.address),
                }
            }
        });
        *self.release.lock().unwrap() = Release {
            manifest,
            download: download.to_vec(),
        };
    }
}

/// Help → Updates: looks for updates, waits for `version` to be offered, and asks to install it.
async fn look_then_install(app: &App, version: &str) -> Check {
    app.click("[data-testid=check-for-update]").await?;
    app.wait_for_text("[data-testid=update-available]", version)
        .await?;
    app.click("[data-testid=install-update]").await
}

/// The next minor version after `version`.
fn next_minor(version: &str) -> String {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    format!("{}.{}.0", parts[0], parts[1] + 1)
}

/// Help → Updates against a signed update served from this machine. The workstation looks
/// only when asked or turned on; a download signed with another key, one changed after it was
/// signed, and an old release announced as a new one are refused, the installed copy left as
/// it was; the release signed with the key the app trusts is installed, for use after a
/// restart. The installed AppImage and the newer one are stand-ins (an AppImage is built with
/// tools downloaded at build time): ELF files whose bytes the test knows, where `APPIMAGE`
/// says the running app is, as an AppImage's runtime does.
#[tokio::test(flavor = "multi_thread")]
async fn an_update_is_installed_only_when_signed_with_the_key_the_app_trusts() {
    use std::os::unix::fs::PermissionsExt;
    let (db, _) = seeded(3).await;
    let work = tempfile::tempdir().unwrap();
    let trusted = signing_key(work.path(), "trusted");
    let stranger = signing_key(work.path(), "stranger");
    let current = env!("CARGO_PKG_VERSION");
    let newer = next_minor(current);
    let stand_in = |version: &str| {
        let mut bytes = format!("\x7fELF Roster {version}, a stand-in AppImage\n").into_bytes();
        bytes.resize(256 * 1024, b'.');
        bytes
    };
    let installed = work.path().join("Roster.AppImage");
    std::fs::write(&installed, stand_in(current)).unwrap();
    std::fs::set_permissions(&installed, std::fs::Permissions::from_mode(0o755)).unwrap();
    let release = work.path().join(format!("Roster_{newer}_amd64.AppImage"));
    std::fs::write(&release, stand_in(&newer)).unwrap();
    let mut changed = stand_in(&newer);
    changed[100] = b'!';

    let server = UpdateServer::start();
    server.offer(
        current,
        &sign(&trusted, &release, current),
        &stand_in(current),
    );
    let mut profile = Profile::new();
    profile.set_env("APPIMAGE", &installed);
    profile.set_env(
        "ROSTER_UPDATE_ENDPOINT",
        format!("{}/latest.json", server.address),
    );
    profile.set_env("ROSTER_UPDATE_PUBKEY", &trusted.public_key);
    let app = App::launch_with(&db.url, &profile, Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let unchanged = || -> Check {
        let now = std::fs::read(&installed).map_err(|e| e.to_string())?;
        if now == stand_in(current) {
            Ok(())
        } else {
            Err("the installed copy changed".into())
        }
    };
    let result = async {
        app.click("[data-testid=about]").await?;
        app.wait_for_element("[data-testid=automatic-update-checks]")
            .await?;
        if server.requests() != 0 {
            return Err("the app looked for updates before anyone turned checks on".into());
        }
        app.click("[data-testid=check-for-update]").await?;
        app.wait_for_text("[data-testid=update-none]", "is the newest version")
            .await?;

        // Another key: turning checks on looks at once and tells the window.
        server.offer(
            &newer,
            &sign(&stranger, &release, &newer),
            &stand_in(&newer),
        );
        app.click("[data-testid=automatic-update-checks]").await?;
        app.wait_for_text("[data-testid=update-notice]", &newer)
            .await?;
        app.wait_for_text("[data-testid=update-available]", &newer)
            .await?;
        app.wait_for_text("[data-testid=update-notes]", "Faster imports")
            .await?;
        app.screenshot("help-update").await?;
        let found = app.accessibility_violations("dialog[open]").await?;
        if !found.is_empty() {
            return Err(format!("the update prompt fails the audit: {found:?}"));
        }
        app.click("[data-testid=install-update]").await?;
        app.wait_for_text(
            "[data-testid=updates-error]",
            "signed with a key this copy of Roster does not trust",
        )
        .await?;
        unchanged()?;

        // The trusted key's signature, over a file changed after signing.
        server.offer(&newer, &sign(&trusted, &release, &newer), &changed);
        look_then_install(&app, &newer).await?;
        app.wait_for_text(
            "[data-testid=updates-error]",
            "does not match its signature",
        )
        .await?;
        unchanged()?;

        // This version's genuine release, announced as the newer one.
        let old = work.path().join("old.AppImage");
        std::fs::write(&old, stand_in(current)).map_err(|e| e.to_string())?;
        server.offer(&newer, &sign(&trusted, &old, current), &stand_in(current));
        look_then_install(&app, &newer).await?;
        let refusal = format!("signed as version {current}");
        app.wait_for_text("[data-testid=updates-error]", &refusal)
            .await?;
        unchanged()?;
        let running = format!("This is Roster {current}.");
        app.wait_for_text("[data-testid=update-last-checked]", &running)
            .await?;

        server.offer(&newer, &sign(&trusted, &release, &newer), &stand_in(&newer));
        look_then_install(&app, &newer).await?;
        let installed_text = format!("Roster {newer} is installed");
        app.wait_for_text("[data-testid=update-installed]", &installed_text)
            .await?;
        Ok(())
    }
    .await;
    app.finish("updates", result).await;

    assert_eq!(std::fs::read(&installed).unwrap(), stand_in(&newer));
    let mode = std::fs::metadata(&installed).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755, "the new copy runs as the old one did");
    let choice = std::fs::read_to_string(profile.config_dir().join("roster/updates.json")).unwrap();
    let choice: serde_json::Value = serde_json::from_str(&choice).unwrap();
    assert_eq!(choice["automatic_checks"], true, "{choice}");
}

/// Every step of an admin's day from the keyboard alone, as X keystrokes into the window (no
/// pointer event reaches the page; the test counts them): sign in, create a user, add them to
/// a group, reset their 2FA and show the QR code, export the list and import a file. Each
/// control is reached with Tab and shows its focus; a dialog takes the focus when it opens
/// and gives it back to the button that opened it when it closes (issue 35).
#[tokio::test(flavor = "multi_thread")]
async fn an_admin_works_from_the_keyboard_alone() {
    let (db, roster) = seeded(10).await;
    let actor = test_actor();
    roster
        .add_group(
            &actor,
            NewGroup {
                name: "Night shift".into(),
                description: String::new(),
                organization: None,
            },
        )
        .await
        .unwrap();
    let owner = roster_tests::desktop::prepare_owner(&db.url).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let exported = work.path().join("everyone.csv");
    let incoming = work.path().join("incoming.csv");
    std::fs::write(
        &incoming,
        "first_name,last_name,email\nKatherine,Johnson,katherine@example.org\n",
    )
    .unwrap();
    let app = App::launch_signed_out(&db.url, &Profile::new(), Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = async {
        app.wait_for_element("[data-testid=login]").await?;
        app.count_pointer_events().await?;
        app.focus_window().await?;
        app.tab_to("[data-testid=login]").await?;
        app.type_keys(&owner).await?;
        app.tab_to("[data-testid=password]").await?;
        app.type_keys(roster_tests::desktop::OWNER_PASSWORD).await?;
        app.press(&["Return"]).await?;
        first_rows_loaded(&app).await?;

        // A new user: the dialog takes the focus.
        app.tab_to("[data-testid=new-user]").await?;
        app.press(&["Return"]).await?;
        app.wait_for_element("[data-testid=create-user-dialog]")
            .await?;
        if !app.focused("dialog[open] *").await? {
            return Err("the New user dialog opened without the focus".into());
        }
        for (field, text) in [
            ("first_name", "Hedy"),
            ("last_name", "Lamarr"),
            ("email", "hedy@example.org"),
        ] {
            app.tab_to(&format!("dialog[open] input[name={field}]"))
                .await?;
            app.type_keys(text).await?;
        }
        app.tab_to("dialog[open] [data-testid=save-user]").await?;
        app.press(&["Return"]).await?;
        app.wait_for_element("[data-testid=user-details]").await?;
        let hedy = user(&roster, "hedy").await;

        // Into a group, by typing its name and Enter.
        app.tab_to("[data-testid=tab-groups]").await?;
        app.press(&["Return"]).await?;
        app.tab_to("[data-testid=group-autocomplete]").await?;
        app.type_keys("Night").await?;
        app.wait_for_text(
            "[data-testid=user-details] [data-testid=group-option]",
            "Night shift",
        )
        .await?;
        app.press(&["Return"]).await?;
        app.wait_for_text("[data-testid=user-group-row]", "Night shift")
            .await?;

        // 2FA reset, confirmed, then the QR code; closing it returns the focus.
        app.tab_to("[data-testid=reset-2fa]").await?;
        app.press(&["Return"]).await?;
        app.wait_for_element("dialog[open] [data-testid=confirm]")
            .await?;
        app.tab_to("dialog[open] [data-testid=confirm]").await?;
        app.press(&["Return"]).await?;
        app.wait_for_text("[data-testid=credential-message]", "2FA reset")
            .await?;
        app.tab_to("[data-testid=show-qr]").await?;
        app.press(&["Return"]).await?;
        app.wait_for_element("[data-testid=qr-dialog] [data-testid=enrollment-qr]")
            .await?;
        app.press(&["Escape"]).await?;
        app.wait_for_absence("[data-testid=qr-dialog][open]")
            .await?;
        if !app.focused("[data-testid=show-qr]").await? {
            return Err("closing the QR code did not give the focus back to its button".into());
        }
        app.press(&["Escape"]).await?;
        app.wait_for_absence("[data-testid=user-details]").await?;

        // The list out to a file, then a file in.
        app.tab_to("[data-testid=export-users]").await?;
        app.press(&["Return"]).await?;
        app.wait_for_element("dialog[open] [data-testid=export-columns]")
            .await?;
        // Email one column earlier, with Alt+↑ on its box.
        let order = || {
            app.script::<Vec<String>>(
                "return [...document.querySelectorAll('dialog[open] input[data-column]')]\
                   .map(e => e.dataset.column);",
                vec![],
            )
        };
        let before = order().await?;
        let at = before
            .iter()
            .position(|c| c == "email")
            .ok_or("no email column")?;
        let earlier = before
            .get(at.wrapping_sub(1))
            .ok_or("email is the first column")?
            .clone();
        let moved_past = earlier.clone();
        app.tab_to("dialog[open] input[data-column=email]").await?;
        app.press(&["alt+Up"]).await?;
        let after = order().await?;
        if after.get(at - 1).map(String::as_str) != Some("email") || after.get(at) != Some(&earlier)
        {
            return Err(format!("Alt+Up on email: {before:?} became {after:?}"));
        }
        if !app.focused("dialog[open] input[data-column=email]").await? {
            return Err("moving the email column took the focus away from it".into());
        }
        app.tab_back_to("dialog[open] [data-testid=run-export]")
            .await?;
        app.press(&["Return"]).await?;
        app.answer_file_dialog("Export users", &exported).await?;
        app.wait_for_text("[data-testid=toast]", "Exported").await?;
        app.focus_window().await?;
        app.tab_to("[data-testid=import-users]").await?;
        app.press(&["Return"]).await?;
        app.tab_to("dialog[open] [data-testid=choose-import-file]")
            .await?;
        app.press(&["Return"]).await?;
        app.answer_file_dialog("Import users", &incoming).await?;
        app.focus_window().await?;
        app.wait_for_element("[data-testid=import-mapping]").await?;
        app.wait_for_absence("[data-testid=start-import][disabled]")
            .await?;
        app.tab_to("dialog[open] [data-testid=start-import]")
            .await?;
        app.press(&["Return"]).await?;
        app.wait_for_element("[data-testid=import-done]").await?;
        app.tab_to("dialog[open] [data-testid=close-import]")
            .await?;
        app.press(&["Return"]).await?;
        app.wait_for_absence("dialog[open]").await?;
        if !app.focused("[data-testid=import-users]").await? {
            return Err("closing the import did not give the focus back to Import…".into());
        }

        let pointer = app.pointer_events().await?;
        if pointer != 0 {
            return Err(format!("{pointer} pointer events reached the page"));
        }
        let groups = roster
            .groups_of(&actor, hedy.id)
            .await
            .map_err(|e| e.to_string())?;
        if !groups.iter().any(|g| g.name == "Night shift") {
            return Err(format!("Hedy's groups: {groups:?}"));
        }
        let csv = std::fs::read_to_string(&exported).map_err(|e| e.to_string())?;
        if !csv.contains("hedy@example.org") {
            return Err(format!("the export lacks Hedy: {csv}"));
        }
        let header: Vec<&str> = csv.lines().next().unwrap_or_default().split(',').collect();
        let email = header.iter().position(|h| *h == "email");
        // Roster's own headers are the field names in camelCase (last_name → lastName).
        let moved_past: String = moved_past
            .split('_')
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    w.to_owned()
                } else {
                    w[..1].to_uppercase() + &w[1..]
                }
            })
            .collect();
        let next = header.iter().position(|h| *h == moved_past);
        if email.is_none() || email.map(|e| e + 1) != next {
            return Err(format!(
                "email is not just before {moved_past} in {header:?}"
            ));
        }
        roster
            .find_user(&actor, &UserRef::parse("katherine@example.org"))
            .await
            .map_err(|e| format!("the import did not add Katherine: {e}"))?;
        Ok(())
    }
    .await;
    app.finish("keyboard", result).await;
}
