//! Credentials through Roster's services on a real SQLite file: passwords (checked with the
//! reference Argon2 implementation), lockout, forced change, one-time codes, TOTP, tokens,
//! the first Owner and custom roles.

use chrono::Duration;
use roster_core::{
    AccountChange, Error, ErrorCode, FirstOwner, MailKind, NewUser, Permission, RedeemCode,
    RoleInput, Roster, SecretChange, SessionStage, SetPassword, SignInRequest, Status,
    StatusAction, TokenQuery, TokenState, TwoFactorState, UserRef, totp_code_at,
};
use roster_tests::{TempDatabase, decode_base32, test_actor};
use std::process::Command;

const PASSWORD: &str = "correct horse battery staple";

async fn user(roster: &Roster, username: &str) -> roster_core::User {
    roster
        .add_user(
            &test_actor(),
            NewUser {
                email: format!("{username}@example.org"),
                first_name: "Test".into(),
                last_name: username.into(),
                username: Some(username.into()),
                status: Some(Status::Active),
                ..NewUser::default()
            },
        )
        .await
        .unwrap()
}

async fn set(roster: &Roster, username: &str, password: &str, must_change: bool) {
    roster
        .set_password(
            &test_actor(),
            &UserRef::Username(username.into()),
            SetPassword {
                password: Some(password.into()),
                must_change,
                ..SetPassword::default()
            },
        )
        .await
        .unwrap();
}

async fn sign_in(
    roster: &Roster,
    login: &str,
    password: &str,
    code: Option<String>,
) -> Result<SessionStage, Error> {
    roster
        .sign_in(
            &SignInRequest {
                login: login.into(),
                password: password.into(),
                code,
            },
            "desk-7",
            roster_core::Origin::Desktop,
        )
        .await
        .map(|s| s.stage)
}

fn code_of(error: &Error) -> ErrorCode {
    error.code()
}

/// Verifies with libargon2 (Debian's python3-argon2), not with the crate Roster uses.
fn reference_argon2_verifies(phc: &str, password: &str) -> bool {
    let out = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import sys, argon2; print(argon2.PasswordHasher().verify(sys.argv[1], sys.argv[2]))",
            phc,
            password,
        ])
        .output()
        .expect("python3-argon2 is installed (cargo xtask test installs it)");
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}

fn reference_argon2_hash(password: &str, memory_kib: u32, iterations: u32) -> String {
    let out = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import sys, argon2; print(argon2.PasswordHasher(time_cost=int(sys.argv[2]), memory_cost=int(sys.argv[3]), parallelism=1).hash(sys.argv[1]))",
            password,
            &iterations.to_string(),
            &memory_kib.to_string(),
        ])
        .output()
        .expect("python3-argon2 is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test]
async fn passwords_verify_with_the_reference_argon2_and_outdated_hashes_are_replaced() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let repo = roster_store::Database::open(&db.url, roster_store::OpenMode::MustExist)
        .await
        .unwrap()
        .repository();
    let ada = user(&roster, "ada").await;
    // Decomposed accents are normalised (NFKC) before hashing.
    set(&roster, "ada", "Crème brûlée at noon, twice", false).await;
    let phc = repo
        .credentials(ada.id)
        .await
        .unwrap()
        .password_hash
        .unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=65536,t=2,p=1$"), "{phc}");
    assert!(reference_argon2_verifies(
        &phc,
        "Crème brûlée at noon, twice"
    ));
    assert!(!reference_argon2_verifies(
        &phc,
        "Creme brulee at noon, twice"
    ));
    assert_eq!(
        sign_in(
            &roster,
            "ada",
            "Cre\u{300}me bru\u{302}le\u{301}e at noon, twice",
            None
        )
        .await
        .unwrap(),
        SessionStage::Ready
    );

    // A hash made with OWASP's floor parameters by another implementation still works, and
    // the sign-in replaces it with the current parameters.
    let old = reference_argon2_hash(PASSWORD, 19 * 1024, 2);
    repo.save_accounts(vec![AccountChange {
        secrets: Some((ada.id, vec![SecretChange::Password(old.clone())])),
        ..AccountChange::default()
    }])
    .await
    .unwrap();
    assert_eq!(
        sign_in(&roster, "ada@example.org", PASSWORD, None)
            .await
            .unwrap(),
        SessionStage::Ready
    );
    let new = repo
        .credentials(ada.id)
        .await
        .unwrap()
        .password_hash
        .unwrap();
    assert_ne!(new, old);
    assert!(new.starts_with("$argon2id$v=19$m=65536,t=2,p=1$"), "{new}");
    assert!(reference_argon2_verifies(&new, PASSWORD));
}

#[tokio::test]
async fn the_password_policy_names_the_problem_and_changes_nothing() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    user(&roster, "grace").await;
    for (password, expected) in [
        ("", "type a password"),
        ("too short", "at least 15 characters (this one has 9)"),
        ("grace-is-my-password", "account's name"),
        ("1qaz2wsx3edc4rfv", "leaked"),
    ] {
        let choice = SetPassword {
            password: Some(password.into()),
            ..SetPassword::default()
        };
        let error = roster
            .set_password(&test_actor(), &UserRef::Username("grace".into()), choice)
            .await
            .unwrap_err();
        let text = error.to_string();
        // The empty password is refused by the policy ("enter a password"), the rest name the fix.
        assert!(
            text.contains(expected) || (password.is_empty() && text.contains("enter a password")),
            "{password:?}: {text}"
        );
    }
    let grace = roster
        .find_user(&test_actor(), &UserRef::Username("grace".into()))
        .await
        .unwrap();
    assert_eq!(grace.password_changed_at, None);
    assert_eq!(grace.version, 1, "nothing was written");

    let generated = roster
        .set_password(
            &test_actor(),
            &UserRef::Username("grace".into()),
            SetPassword {
                generate: true,
                ..SetPassword::default()
            },
        )
        .await
        .unwrap()
        .generated_password
        .unwrap();
    assert!(generated.chars().count() >= 20);
    assert_eq!(
        sign_in(&roster, "grace", &generated, None).await.unwrap(),
        SessionStage::Ready
    );
}

#[tokio::test]
async fn ten_failures_in_a_row_lock_the_account_until_an_admin_unlocks_it() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    user(&roster, "alan").await;
    set(&roster, "alan", PASSWORD, false).await;
    for attempt in 1..=9 {
        let e = sign_in(&roster, "alan", "not the password at all", None)
            .await
            .unwrap_err();
        assert_eq!(code_of(&e), ErrorCode::BadCredentials, "attempt {attempt}");
    }
    // A success resets the count.
    sign_in(&roster, "alan", PASSWORD, None).await.unwrap();
    for _ in 1..=9 {
        sign_in(&roster, "alan", "not the password at all", None)
            .await
            .unwrap_err();
    }
    let e = sign_in(&roster, "alan", "not the password at all", None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&e), ErrorCode::AccountLocked);
    let alan = roster
        .find_user(&test_actor(), &UserRef::Username("alan".into()))
        .await
        .unwrap();
    assert_eq!(alan.status, Status::AutoLocked);
    let e = sign_in(&roster, "alan", PASSWORD, None).await.unwrap_err();
    assert_eq!(
        code_of(&e),
        ErrorCode::AccountLocked,
        "even the right password"
    );

    roster
        .change_status(
            &test_actor(),
            &[UserRef::Username("alan".into())],
            StatusAction::Unlock,
        )
        .await
        .unwrap();
    assert_eq!(
        sign_in(&roster, "alan", PASSWORD, None).await.unwrap(),
        SessionStage::Ready
    );

    let events = roster.sign_ins(&test_actor(), alan.id, 100).await.unwrap();
    assert_eq!(events.len(), 22);
    assert!(events[0].success);
    assert!(
        events[1].reason.contains("account locked"),
        "{}",
        events[1].reason
    );
    assert!(
        events[2].reason.contains("locked after 10 failed attempts"),
        "{}",
        events[2].reason
    );
    assert_eq!(events[2].workstation, "desk-7");

    // Unknown names get the same answers, so the replies do not reveal who has an account.
    for _ in 1..=9 {
        let e = sign_in(&roster, "nobody", "whatever it is", None)
            .await
            .unwrap_err();
        assert_eq!(code_of(&e), ErrorCode::BadCredentials);
    }
    let e = sign_in(&roster, "nobody", "whatever it is", None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&e), ErrorCode::AccountLocked);
}

/// A staged account with a password (set by an admin, or imported) can sign in, so it is
/// guessed at like any other: the failures lock it, and the right guess then fails too.
#[tokio::test]
async fn a_staged_account_with_a_password_locks_after_failures_too() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    roster
        .add_user(
            &test_actor(),
            NewUser {
                email: "grace@example.org".into(),
                first_name: "Grace".into(),
                last_name: "Hopper".into(),
                username: Some("grace".into()),
                status: Some(Status::Staged),
                ..NewUser::default()
            },
        )
        .await
        .unwrap();
    set(&roster, "grace", PASSWORD, false).await;
    let grace = UserRef::Username("grace".into());
    assert_eq!(
        roster
            .find_user(&test_actor(), &grace)
            .await
            .unwrap()
            .status,
        Status::Staged
    );
    for _ in 1..=12 {
        sign_in(&roster, "grace", "a wrong guess", None)
            .await
            .unwrap_err();
    }
    let e = sign_in(&roster, "grace", PASSWORD, None).await.unwrap_err();
    assert_eq!(code_of(&e), ErrorCode::AccountLocked, "{e}");
    assert_eq!(
        roster
            .find_user(&test_actor(), &grace)
            .await
            .unwrap()
            .status,
        Status::AutoLocked
    );
}

/// A suspended account says so only to someone who proved its password: a guess gets the
/// answer any wrong password gets, so the account's state is not told to strangers.
#[tokio::test]
async fn a_suspended_account_tells_its_state_only_to_the_right_password() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let joan = user(&roster, "joan").await;
    set(&roster, "joan", PASSWORD, false).await;
    roster
        .change_status(
            &test_actor(),
            &[UserRef::Id(joan.id)],
            StatusAction::Suspend,
        )
        .await
        .unwrap();
    let wrong = sign_in(&roster, "joan", "a wrong guess", None)
        .await
        .unwrap_err();
    let stranger = sign_in(&roster, "nobody-here", "a wrong guess", None)
        .await
        .unwrap_err();
    let right = sign_in(&roster, "joan", PASSWORD, None).await.unwrap_err();
    assert_eq!(code_of(&wrong), ErrorCode::BadCredentials, "{wrong}");
    assert_eq!(wrong.to_string(), stranger.to_string());
    assert_eq!(code_of(&right), ErrorCode::AccountSuspended, "{right}");
}

#[tokio::test]
async fn a_forced_change_comes_first_and_needs_no_current_password() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let edsger = user(&roster, "edsger").await;
    set(&roster, "edsger", PASSWORD, true).await;
    assert_eq!(
        roster
            .find_user(&test_actor(), &UserRef::Id(edsger.id))
            .await
            .unwrap()
            .status,
        Status::AwaitingNewPassword
    );
    assert_eq!(
        sign_in(&roster, "edsger", PASSWORD, None).await.unwrap(),
        SessionStage::MustChangePassword
    );
    let actor = test_actor();
    let e = roster
        .change_own_password(&actor, edsger.id, None, "short")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("at least 15"), "{e}");
    let after = roster
        .change_own_password(&actor, edsger.id, None, "a brand new passphrase")
        .await
        .unwrap();
    assert_eq!(after.status, Status::Active);
    assert_eq!(
        sign_in(&roster, "edsger", "a brand new passphrase", None)
            .await
            .unwrap(),
        SessionStage::Ready
    );
    // Once active, a change needs the current password.
    let e = roster
        .change_own_password(&actor, edsger.id, None, "yet another passphrase")
        .await
        .unwrap_err();
    assert_eq!(e.fields()[0].field, "current_password");
    let e = roster
        .change_own_password(
            &actor,
            edsger.id,
            Some("wrong current one"),
            "yet another passphrase",
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields()[0].field, "current_password");
}

/// The one-time code of a message, as someone who may set the account's password reads it.
async fn revealed_code(roster: &Roster, mail: i64) -> String {
    let whole = roster.reveal_mail(&test_actor(), mail).await.unwrap();
    one_time_code(&whole.body)
}

fn one_time_code(body: &str) -> String {
    body.lines()
        .find_map(|l| l.strip_prefix("One-time code: "))
        .expect("the message holds a code")
        .to_owned()
}

#[tokio::test]
async fn recovery_codes_work_once_and_expire_after_a_day() {
    let db = TempDatabase::new();
    let (roster, clock) = db.roster().await;
    user(&roster, "barbara").await;
    set(&roster, "barbara", PASSWORD, false).await;
    let refs = [UserRef::Username("barbara".into())];
    roster.start_recovery(&test_actor(), &refs).await.unwrap();
    let outbox = roster.outbox(&test_actor(), 10).await.unwrap();
    assert_eq!(outbox[0].kind, MailKind::Recovery);
    assert_eq!(outbox[0].to_address, "barbara@example.org");
    assert!(outbox[0].body.contains(roster_core::HIDDEN_CODE));
    let code = revealed_code(&roster, outbox[0].id).await;
    assert_eq!(code.replace(' ', "").len(), 26, "130 bits in base32");
    let redeem = |code: &str, password: &str| RedeemCode {
        login: "barbara".into(),
        code: code.into(),
        new_password: password.into(),
    };

    // Expired after 24 hours.
    clock.advance(Duration::hours(25));
    let e = roster
        .redeem_code(
            &redeem(&code, "a fresh passphrase here"),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadCode);

    roster.start_recovery(&test_actor(), &refs).await.unwrap();
    let code = revealed_code(
        &roster,
        roster.outbox(&test_actor(), 10).await.unwrap()[0].id,
    )
    .await;
    assert_eq!(
        roster
            .find_user(&test_actor(), &refs[0])
            .await
            .unwrap()
            .status,
        Status::Recovery
    );
    let e = roster
        .redeem_code(
            &redeem("AAAA BBBB CCCC DDDD EEEE FFGG", "a fresh passphrase here"),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadCode);
    // Lower case and without spaces is the same code.
    let code_typed = code.replace(' ', "").to_lowercase();
    let user = roster
        .redeem_code(
            &redeem(&code_typed, "a fresh passphrase here"),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap();
    assert_eq!(user.status, Status::Active);
    let e = roster
        .redeem_code(
            &redeem(&code, "another fresh passphrase"),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadCode, "single use");
    assert_eq!(
        sign_in(&roster, "barbara", "a fresh passphrase here", None)
            .await
            .unwrap(),
        SessionStage::Ready
    );
}

#[tokio::test]
async fn invitations_let_a_staged_user_choose_a_password() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let new = roster
        .add_user_and_invite(
            &test_actor(),
            NewUser {
                email: "katherine@example.org".into(),
                first_name: "Katherine".into(),
                last_name: "Johnson".into(),
                ..NewUser::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(new.status, Status::Staged);
    let mail = &roster.outbox(&test_actor(), 10).await.unwrap()[0];
    assert_eq!(mail.kind, MailKind::Invitation);
    assert!(mail.body.contains("Username: katherine"), "{}", mail.body);
    let code = revealed_code(&roster, mail.id).await;
    let request = RedeemCode {
        login: "katherine@example.org".into(),
        code,
        new_password: "orbital mechanics by hand".into(),
    };
    let user = roster
        .redeem_code(&request, "desk", roster_core::Origin::Desktop)
        .await
        .unwrap();
    assert_eq!(user.status, Status::Active);
}

#[tokio::test]
async fn totp_reset_activation_replay_and_sign_in() {
    let db = TempDatabase::new();
    let (roster, clock) = db.roster().await;
    let ada = user(&roster, "ada").await;
    user(&roster, "grace").await;
    set(&roster, "ada", PASSWORD, false).await;
    let refs = [
        UserRef::Username("ada".into()),
        UserRef::Username("grace".into()),
    ];
    let enrollments = roster.reset_two_factor(&test_actor(), &refs).await.unwrap();
    assert_eq!(enrollments.len(), 2, "bulk reset");
    let ada_enrollment = &enrollments[0];
    assert!(
        ada_enrollment
            .uri
            .starts_with("otpauth://totp/Roster:ada?secret=")
    );
    assert!(ada_enrollment.uri.contains("issuer=Roster"));
    assert!(ada_enrollment.qr_svg.contains("<svg"));
    let key: String = ada_enrollment.key.split(' ').collect();
    assert_eq!(key.len(), 32, "160 bits in base32");
    assert!(ada_enrollment.key.split(' ').all(|g| g.len() == 4));
    let reset_mails = roster.outbox(&test_actor(), 10).await.unwrap();
    assert_eq!(
        reset_mails
            .iter()
            .filter(|m| m.kind == MailKind::TwoFactorReset)
            .count(),
        2
    );

    // Signing in with a pending factor leads to the activation screen.
    assert_eq!(
        sign_in(&roster, "ada", PASSWORD, None).await.unwrap(),
        SessionStage::MustActivateTwoFactor
    );
    assert_eq!(
        roster
            .enrollment(&test_actor(), &refs[0])
            .await
            .unwrap()
            .uri,
        ada_enrollment.uri
    );

    let secret = decode_base32(&key).unwrap();
    let now = clock.now_unix();
    let e = roster
        .activate_two_factor(&test_actor(), &refs[0], "000000")
        .await;
    assert!(e.is_err() || totp_code_at(&secret, now) == "000000");
    let code = totp_code_at(&secret, now);
    let active = roster
        .activate_two_factor(&test_actor(), &refs[0], &code)
        .await
        .unwrap();
    assert_eq!(active.two_factor, TwoFactorState::Active);

    // Now the code is needed, a used code is refused, the next one works.
    let e = sign_in(&roster, "ada", PASSWORD, None).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::SecondFactorRequired);
    let e = sign_in(&roster, "ada", PASSWORD, Some(code.clone()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadCode);
    assert!(e.to_string().contains("already used"), "{e}");
    clock.advance(Duration::seconds(30));
    let next = totp_code_at(&secret, clock.now_unix());
    assert_eq!(
        sign_in(&roster, "ada", PASSWORD, Some(next)).await.unwrap(),
        SessionStage::Ready
    );
    let ada = roster
        .find_user(&test_actor(), &UserRef::Id(ada.id))
        .await
        .unwrap();
    assert!(ada.last_sign_in_at.is_some());
}

trait UnixNow {
    fn now_unix(&self) -> u64;
}

impl UnixNow for roster_core::FixedClock {
    fn now_unix(&self) -> u64 {
        use roster_core::Clock;
        self.now().timestamp() as u64
    }
}

#[tokio::test]
async fn tokens_count_days_left_expire_and_revoke() {
    let db = TempDatabase::new();
    let (roster, clock) = db.roster().await;
    let ada = user(&roster, "ada").await;
    let actor = test_actor();
    let long = roster
        .issue_token(&actor, &UserRef::Id(ada.id), None)
        .await
        .unwrap();
    assert_eq!(long.text.len(), 32);
    assert_eq!(long.token.days_left, 720);
    assert_eq!(long.token.display, format!("…{}", &long.text[28..]));
    let short = roster
        .issue_token(&actor, &UserRef::Id(ada.id), Some(10))
        .await
        .unwrap();
    let e = roster
        .issue_token(&actor, &UserRef::Id(ada.id), Some(0))
        .await
        .unwrap_err();
    assert_eq!(e.fields()[0].field, "days");

    let expiring = |days| TokenQuery {
        expiring_within_days: Some(days),
        ..TokenQuery::default()
    };
    let ids =
        |tokens: Vec<roster_core::TokenView>| tokens.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(
        ids(roster
            .list_tokens(&test_actor(), &expiring(30))
            .await
            .unwrap()),
        vec![short.token.id]
    );

    clock.advance(Duration::days(11));
    let all = roster
        .list_tokens(
            &test_actor(),
            &TokenQuery {
                user: Some(ada.id),
                ..TokenQuery::default()
            },
        )
        .await
        .unwrap();
    let short_now = all.iter().find(|t| t.id == short.token.id).unwrap();
    assert_eq!(
        (short_now.state, short_now.days_left),
        (TokenState::Expired, 0)
    );
    let long_now = all.iter().find(|t| t.id == long.token.id).unwrap();
    assert_eq!(
        (long_now.state, long_now.days_left),
        (TokenState::Active, 709)
    );
    assert!(
        roster
            .list_tokens(&test_actor(), &expiring(30))
            .await
            .unwrap()
            .is_empty()
    );

    let revoked = roster.revoke_token(&actor, long.token.id).await.unwrap();
    assert_eq!(revoked.state, TokenState::Revoked);
    assert!(roster.revoke_token(&actor, long.token.id).await.is_err());
    let by_state = |state| TokenQuery {
        state: Some(state),
        ..TokenQuery::default()
    };
    assert_eq!(
        ids(roster
            .list_tokens(&test_actor(), &by_state(TokenState::Revoked))
            .await
            .unwrap()),
        vec![long.token.id]
    );
    assert_eq!(
        ids(roster
            .list_tokens(&test_actor(), &by_state(TokenState::Expired))
            .await
            .unwrap()),
        vec![short.token.id]
    );
    assert!(
        roster
            .list_tokens(&test_actor(), &by_state(TokenState::Active))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_first_owner_is_created_once() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    assert!(roster.needs_first_owner().await.unwrap());
    let owner = |email: &str, password: &str| FirstOwner {
        user: NewUser {
            email: email.into(),
            first_name: "Olive".into(),
            last_name: "Owner".into(),
            ..NewUser::default()
        },
        password: password.into(),
    };
    let e = roster
        .create_first_owner(
            owner("olive@example.org", "short"),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap_err();
    assert_eq!(e.fields()[0].field, "password");
    assert!(
        roster
            .list_users(&test_actor(), &Default::default())
            .await
            .unwrap()
            .users
            .is_empty(),
        "no half-made owner"
    );
    let created = roster
        .create_first_owner(
            owner("olive@example.org", PASSWORD),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap();
    assert_eq!(
        (created.user.role.as_str(), created.user.status),
        ("owner", Status::Active)
    );
    assert!(!roster.needs_first_owner().await.unwrap());
    let e = roster
        .create_first_owner(
            owner("mallory@example.org", PASSWORD),
            "desk",
            roster_core::Origin::Desktop,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert_eq!(
        sign_in(&roster, "olive", PASSWORD, None).await.unwrap(),
        SessionStage::Ready
    );
}

#[tokio::test]
async fn custom_roles_are_permission_sets_that_cannot_escalate() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    let actor = test_actor();
    let role = roster
        .save_role(
            &actor,
            RoleInput {
                name: "Printer Desk".into(),
                description: "Unlocks accounts, nothing else".into(),
                permissions: vec![Permission::UnlockUsers, Permission::ViewUsers],
                version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(role.name, "printer desk");
    assert!(!role.built_in);
    let e = roster
        .save_role(
            &actor,
            RoleInput {
                name: "admin".into(),
                ..RoleInput::default()
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("built-in"), "{e}");
    let roles = roster.list_roles(&test_actor()).await.unwrap();
    assert_eq!(
        roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        [
            "owner",
            "admin",
            "helpdesk",
            "auditor",
            "user",
            "printer desk"
        ]
    );

    // Someone who may create users gives them only roles within their own rights.
    let lead = roster_core::Actor {
        rights: roster_core::Rights::Account {
            user: roster_core::UserId(1_000),
            role: "team lead".into(),
            permissions: vec![
                Permission::ViewUsers,
                Permission::ManageUsers,
                Permission::UnlockUsers,
            ],
            scope: None,
        },
        ..test_actor()
    };
    let new_user = |role: &str| NewUser {
        email: format!("{}@example.org", role.replace(' ', ".")),
        first_name: "New".into(),
        last_name: "Hire".into(),
        role: Some(role.into()),
        ..NewUser::default()
    };
    let desk = roster
        .add_user(&lead, new_user("printer desk"))
        .await
        .unwrap();
    let e = roster.add_user(&lead, new_user("admin")).await.unwrap_err();
    assert!(e.to_string().contains("the role 'admin' may"), "{e}");
    roster
        .delete_users(&actor, &[UserRef::Id(desk.id)], None)
        .await
        .unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden);

    let u = user(&roster, "pat").await;
    roster
        .edit_user(
            &actor,
            &UserRef::Id(u.id),
            roster_core::UserPatch {
                role: Some("printer desk".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    let e = roster
        .delete_role(&actor, "printer desk")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("1 users have the role"), "{e}");
    roster
        .edit_user(
            &actor,
            &UserRef::Id(u.id),
            roster_core::UserPatch {
                role: Some("user".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    roster.delete_role(&actor, "printer desk").await.unwrap();
    assert_eq!(roster.list_roles(&test_actor()).await.unwrap().len(), 5);
}

/// Ten wrong passwords from ten workstations at the same moment: each is counted (none
/// overwrites another's count), so the tenth locks the account, exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failures_from_many_workstations_at_once_are_each_counted() {
    let db = TempDatabase::new();
    let (roster, _clock) = db.roster().await;
    user(&roster, "alan").await;
    set(&roster, "alan", PASSWORD, false).await;
    let attempts: Vec<_> = (0..10)
        .map(|_| {
            let roster = roster.clone();
            tokio::spawn(
                async move { sign_in(&roster, "alan", "not the password at all", None).await },
            )
        })
        .collect();
    let mut locked_now = 0;
    for attempt in attempts {
        let e = attempt.await.unwrap().unwrap_err();
        match code_of(&e) {
            ErrorCode::AccountLocked => locked_now += 1,
            ErrorCode::BadCredentials => {}
            other => panic!("{other:?}: {e}"),
        }
    }
    let alan = roster
        .find_user(&test_actor(), &UserRef::Username("alan".into()))
        .await
        .unwrap();
    assert_eq!(alan.status, Status::AutoLocked, "ten failures counted");
    assert_eq!(locked_now, 1, "one attempt locked it");
}
