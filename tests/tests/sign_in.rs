//! Sign-in and credentials end to end in the real app: 2FA reset → activation → sign-in with
//! a code computed here; the first Owner on an empty database; an invited user setting a
//! password with the emailed code; and a Helpdesk seeing only what the role allows.

use roster_core::{
    NewUser, Roster, SetPassword, Status, TwoFactorState, User, UserRef, totp_code_at,
};
use roster_tests::desktop::{App, OWNER_PASSWORD, Profile, Theme, prepare_owner};
use roster_tests::{TempDatabase, decode_base32, seed, test_actor};

const ADA_PASSWORD: &str = "analytical engine notes";

/// An active account with [`ADA_PASSWORD`].
async fn account(roster: &Roster, email: &str, first: &str, last: &str, role: &str) -> User {
    let user = roster
        .add_user(
            &test_actor(),
            NewUser {
                email: email.into(),
                first_name: first.into(),
                last_name: last.into(),
                role: Some(role.into()),
                status: Some(Status::Active),
                ..NewUser::default()
            },
        )
        .await
        .unwrap();
    let choice = SetPassword {
        password: Some(ADA_PASSWORD.into()),
        ..SetPassword::default()
    };
    roster
        .set_password(&test_actor(), &UserRef::Id(user.id), choice)
        .await
        .unwrap();
    user
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_2fa_then_the_user_activates_it_and_signs_in_with_a_code() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 20).await.unwrap();
    let ada = account(&roster, "ada@example.org", "Ada", "Byron", "user").await;
    let owner = prepare_owner(&db.url).await.unwrap();
    let app = App::launch_signed_out(&db.url, &Profile::new(), Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let result = async {
        // A wrong password says so without saying which part was wrong.
        app.wait_for_element("[data-testid=login]").await?;
        app.type_into("[data-testid=login]", &owner).await?;
        app.type_into("[data-testid=password]", "not the password at all")
            .await?;
        app.click("[data-testid=sign-in-submit]").await?;
        app.wait_for_text(
            "[data-testid=sign-in-error]",
            "username or password is not correct",
        )
        .await?;
        app.screenshot("sign-in").await?;
        app.sign_in(&owner, OWNER_PASSWORD).await?;

        // The helpdesk side: reset 2FA, show the QR code, issue a token.
        app.type_into("[data-testid=search]", "ada@example.org")
            .await?;
        let row = format!("[data-testid=user-row][data-user-id=\"{}\"]", ada.id);
        // The search's own result, not the same row in the list before it.
        app.wait_for_count("1 user").await?;
        app.wait_for_element(&row).await?;
        app.click(&format!("{row} [data-testid=row-menu]")).await?;
        app.click("[data-testid=action-open]").await?;
        app.wait_for_element("[data-testid=user-details]").await?;
        app.click("[data-testid=reset-2fa]").await?;
        // Each screen has its own (closed) confirmation dialog; act on the open one.
        app.wait_for_text(
            "dialog[open]",
            "Reset two-factor authentication of Ada Byron",
        )
        .await?;
        app.click("dialog[open] [data-testid=confirm]").await?;
        app.wait_for_text("[data-testid=credential-message]", "2FA reset")
            .await?;
        app.click("[data-testid=show-qr]").await?;
        app.wait_for_element("[data-testid=qr-dialog] [data-testid=enrollment-qr]")
            .await?;
        app.screenshot("helpdesk-2fa-qr").await?;
        app.client
            .execute(
                "document.querySelector('[data-testid=qr-dialog]').close()",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        app.click("[data-testid=tab-tokens]").await?;
        app.click("[data-testid=issue-token]").await?;
        let token = app.wait_for_text("[data-testid=issued-token]", "").await?;
        if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("issued token text: {token:?}"));
        }
        app.wait_for_text("[data-testid=token-row]", "720").await?;
        app.screenshot("user-tokens").await?;
        app.click("[data-testid=close-details]").await?;

        app.click("[data-testid=nav-roles]").await?;
        app.wait_for_text("[data-testid=roles-table]", "helpdesk")
            .await?;
        app.screenshot("roles").await?;
        app.click("[data-testid=nav-outbox]").await?;
        app.wait_for_text("[data-testid=outbox-body]", "two-factor authentication")
            .await?;
        app.screenshot("outbox").await?;
        app.click("[data-testid=nav-settings]").await?;
        app.wait_for_element("[data-testid=save-settings]").await?;
        app.click("[data-testid=smtp-enabled]").await?;
        app.type_into("[data-testid=smtp\\.host]", "smtp.example.org")
            .await?;
        app.type_into("[data-testid=smtp\\.from_address]", "it@example.org")
            .await?;
        app.screenshot("settings").await?;

        // The account holder's side.
        app.click("[data-testid=sign-out]").await?;
        app.sign_in_to_step("ada", ADA_PASSWORD, "[data-testid=enrollment-key]")
            .await?;
        let key = app.text_of("[data-testid=enrollment-key]").await?;
        let secret = decode_base32(&key)?;
        if secret.len() != 20 {
            return Err(format!("the key {key:?} is not 160 bits"));
        }
        app.screenshot("activation").await?;
        app.type_into(
            "[data-testid=activation_code]",
            &totp_code_at(&secret, now()),
        )
        .await?;
        app.click("[data-testid=activate-submit]").await?;
        app.wait_for_text("[data-testid=signed-in]", "Ada Byron")
            .await?;
        // Role "user": self-service only.
        let nav = app.texts(".nav-item").await?;
        if nav != ["My account"] {
            return Err(format!("a User sees {nav:?}"));
        }

        app.click("[data-testid=sign-out]").await?;
        app.sign_in_to_step("ada", ADA_PASSWORD, "[data-testid=totp]")
            .await?;
        // The activation used this step's code; the next step's is fresh (one step of
        // drift is accepted).
        app.type_into("[data-testid=totp]", &totp_code_at(&secret, now() + 30))
            .await?;
        app.click("[data-testid=sign-in-submit]").await?;
        app.wait_for_text("[data-testid=signed-in]", "Ada Byron")
            .await?;
        Ok(())
    }
    .await;
    app.finish("reset-2fa-activate-sign-in", result).await;

    let ada = roster
        .find_user(&test_actor(), &UserRef::Id(ada.id))
        .await
        .unwrap();
    assert_eq!(ada.two_factor, TwoFactorState::Active);
    let attempts = roster.sign_ins(&test_actor(), ada.id, 10).await.unwrap();
    assert!(
        attempts[0].success && attempts[0].reason == "signed in",
        "{attempts:?}"
    );
    assert_eq!(attempts[1].reason, "signed in; must activate 2FA");
}

#[tokio::test(flavor = "multi_thread")]
async fn first_owner_then_an_invited_user_sets_a_password_with_the_code() {
    let db = TempDatabase::new();
    db.roster().await;
    // The app runs on the real clock, so the invitation must expire by it too.
    let database = roster_store::Database::open(&db.url, roster_store::OpenMode::MustExist)
        .await
        .unwrap();
    let roster = roster_core::Roster::new(
        database.repository(),
        std::sync::Arc::new(roster_core::SystemClock),
    );
    let app = App::launch_signed_out(&db.url, &Profile::new(), Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = async {
        // An empty database asks for the first Owner; a short password is refused inline.
        app.submit_first_owner("too short").await?;
        app.wait_for_text("[data-testid=field-error-owner_password]", "at least 15")
            .await?;
        app.screenshot("first-owner").await?;
        app.type_into("[data-testid=owner_password]", "keeper of all the keys")
            .await?;
        app.click("[data-testid=create-owner]").await?;
        app.wait_for_text("[data-testid=signed-in]", "Olive Owner")
            .await?;

        // An invitation is queued; its code sets the new user's password.
        let new = roster
            .add_user_and_invite(
                &test_actor(),
                NewUser {
                    email: "kat@example.org".into(),
                    first_name: "Katherine".into(),
                    last_name: "Johnson".into(),
                    ..NewUser::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        // The outbox hides the code until the Owner asks for it; asking is recorded.
        app.click("[data-testid=nav-outbox]").await?;
        app.wait_for_text("[data-testid=outbox-body]", roster_core::HIDDEN_CODE)
            .await?;
        app.screenshot("outbox-code-hidden").await?;
        app.click("[data-testid=reveal-code]").await?;
        app.wait_for_text("[data-testid=outbox-notice]", "audit log")
            .await?;
        // The reading's own audit entry, and any other change, reloads the outbox; the
        // code stays shown. Another invitation arriving proves the list was reloaded.
        roster
            .add_user_and_invite(
                &test_actor(),
                NewUser {
                    email: "dorothy@example.org".into(),
                    first_name: "Dorothy".into(),
                    last_name: "Vaughan".into(),
                    ..NewUser::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        app.wait_for("the outbox to reload", || async {
            let items = app.count("[data-testid=outbox-item]").await?;
            Ok((items == 2).then_some(()))
        })
        .await?;
        let body = app.text_of("[data-testid=outbox-body]").await?;
        if body.contains(roster_core::HIDDEN_CODE) {
            return Err(format!("the code is hidden again: {body}"));
        }
        app.screenshot("outbox-code-shown").await?;
        let code = body
            .lines()
            .find_map(|l| l.strip_prefix("One-time code: "))
            .ok_or("the invitation holds a code")?
            .to_owned();
        let read = roster
            .audit(
                &test_actor(),
                &roster_core::AuditQuery {
                    action: Some("mail.read_code".into()),
                    limit: 10,
                    ..roster_core::AuditQuery::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        if read.len() != 1 || read[0].target.id != new.id.0 {
            return Err(format!("the reading of the code is not recorded: {read:?}"));
        }
        app.click("[data-testid=sign-out]").await?;
        app.click("[data-testid=have-code]").await?;
        app.type_into("[data-testid=login]", &new.username).await?;
        app.type_into("[data-testid=code]", &code).await?;
        app.type_into("[data-testid=new_password]", "orbital mechanics by hand")
            .await?;
        app.click("[data-testid=sign-in-submit]").await?;
        app.wait_for_text("[data-testid=sign-in-done]", "Your password is set")
            .await?;
        app.sign_in(&new.username, "orbital mechanics by hand")
            .await?;
        app.wait_for_text("[data-testid=signed-in]", "Katherine Johnson")
            .await?;

        // Suspended from elsewhere, her window is signed out at its next step, saying why.
        roster
            .change_status(
                &test_actor(),
                &[UserRef::Username("kat".into())],
                roster_core::StatusAction::Suspend,
            )
            .await
            .map_err(|e| e.to_string())?;
        // Her next step (here: changing her password) is refused, unless the window's own
        // reload after the change got there first.
        app.type_into(
            "[data-testid=current_password]",
            "orbital mechanics by hand",
        )
        .await
        .ok();
        app.type_into(
            "[data-testid=account_new_password]",
            "a passphrase never set",
        )
        .await
        .ok();
        app.click("button[type=submit]").await.ok();
        app.wait_for_text("[data-testid=signed-out-notice]", "suspended")
            .await?;
        app.screenshot("signed-out-suspended").await?;
        Ok(())
    }
    .await;
    app.finish("first-owner-and-invitation", result).await;
    let kat = roster
        .find_user(&test_actor(), &UserRef::Username("kat".into()))
        .await
        .unwrap();
    assert_eq!(kat.status, Status::Suspended);
    assert!(!roster.needs_first_owner().await.unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_helpdesk_sees_only_what_the_role_allows() {
    let db = TempDatabase::new();
    let (roster, _) = db.roster().await;
    seed::seed(&roster, &test_actor(), 0, 10).await.unwrap();
    account(
        &roster,
        "desk@example.org",
        "Harriet",
        "Helpdesk",
        "helpdesk",
    )
    .await;
    // With no Owner the window would ask for the first one instead of a sign-in.
    prepare_owner(&db.url).await.unwrap();
    let app = App::launch_signed_out(&db.url, &Profile::new(), Theme::Light)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = async {
        app.wait_for_element("[data-testid=login]").await?;
        app.sign_in("desk", ADA_PASSWORD).await?;
        let nav = app.texts(".nav-item").await?;
        let expected = [
            "Overview",
            "Users",
            "Groups",
            "Organizations",
            "Devices",
            "User tokens",
            "Outbox",
            "My account",
        ];
        if nav != expected {
            return Err(format!("a Helpdesk sees {nav:?}"));
        }
        app.wait_for_element("[data-testid=user-row]").await?;
        if app.count("[data-testid=new-user]").await? != 0 {
            return Err("a Helpdesk is offered New user".into());
        }
        app.click("[data-testid=user-row] [data-testid=row-menu]")
            .await?;
        let actions = app.texts("[data-testid^=action-]").await?;
        if actions
            .iter()
            .any(|a| a.starts_with("Delete") || a == "Suspend")
            || !actions.iter().any(|a| a == "Reset 2FA…")
        {
            return Err(format!("a Helpdesk's row menu: {actions:?}"));
        }
        Ok(())
    }
    .await;
    app.finish("helpdesk-sees-its-role", result).await;
}
