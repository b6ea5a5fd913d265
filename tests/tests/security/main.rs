//! The ways someone with less power could get more through Roster, one test each, named
//! after the item of the trust issue it closes. Each goes through the real boundary: the
//! desktop's IPC commands (`window`) for what only the app can do, the `roster` CLI
//! otherwise, and runs on SQLite, PostgreSQL and MariaDB where the store is involved.
//!
//! Items 12 (long names never panic) and 16 (MySQL's sql_mode keeps searches literal) are
//! in `qr_and_sql_mode.rs`; 13 (bounded CSV reading) and 15 (private files never follow
//! links) in `files_and_csv.rs`; 7 (kept passwords follow the server) in `saved_secrets.rs`;
//! 14 (names that look alike are one name) in `lookalike_names.rs`.

mod files_and_csv;
mod lookalike_names;
mod qr_and_sql_mode;
mod saved_secrets;
mod window;

use roster_core::{
    Actor, NewUser, OrganizationId, Permission, RoleInput, Roster, SetPassword, Status,
    StatusAction, UserPatch, UserRef,
};
use roster_tests::TempDatabase;
use serde_json::{Value, json};
use window::Window;

const PASSWORD: &str = "correct horse battery staple";

/// Every audit entry, newest first.
fn all_entries() -> roster_core::AuditQuery {
    roster_core::AuditQuery {
        limit: 10_000,
        ..roster_core::AuditQuery::default()
    }
}

fn operator() -> Actor {
    Actor::operator("setup", "test")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("a tokio runtime")
}

/// A console account with `role` and a password, signed in nowhere yet.
async fn account(roster: &Roster, name: &str, role: &str) -> roster_core::User {
    let user = roster
        .add_user(
            &operator(),
            NewUser {
                email: format!("{name}@example.org"),
                first_name: "Case".into(),
                last_name: name.into(),
                username: Some(name.into()),
                role: Some(role.into()),
                status: Some(Status::Active),
                ..NewUser::default()
            },
        )
        .await
        .unwrap();
    roster
        .set_password(
            &operator(),
            &UserRef::Id(user.id),
            SetPassword {
                password: Some(PASSWORD.into()),
                ..SetPassword::default()
            },
        )
        .await
        .unwrap();
    roster
        .find_user(&operator(), &UserRef::Id(user.id))
        .await
        .unwrap()
}

/// The window's next command is refused: the session ended, saying why.
fn signed_out(window: &Window, why: &str, case: &str) {
    let refused = window
        .invoke("list_users", json!({ "query": {} }))
        .expect_err(&format!("{case}: the session goes on"));
    assert_eq!(refused["code"], "sign_in_required", "{case}: {refused}");
    let message = refused["message"].as_str().unwrap_or_default();
    assert!(message.contains(why), "{case}: {message}");
    // And it stays ended: nothing more is done in that session's name.
    let again = window
        .invoke("create_group", json!({ "input": { "name": case } }))
        .expect_err(&format!("{case}: a write after the end"));
    assert_eq!(again["code"], "sign_in_required", "{case}: {again}");
}

fn works(window: &Window, case: &str) -> Value {
    window
        .invoke("list_users", json!({ "query": {} }))
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// What an Owner does to an account that is signed in elsewhere.
#[derive(Debug, Clone, Copy)]
enum Change {
    Suspend,
    Lock,
    Delete,
    Demote,
    Narrow,
    SetPassword,
    ResetTwoFactor,
    NarrowRole,
}

impl Change {
    /// The role the account has before the change, and what the window then says.
    fn case(self) -> (&'static str, &'static str) {
        match self {
            Change::Suspend => ("admin", "suspended"),
            Change::Lock => ("admin", "locked"),
            Change::Delete => ("admin", "deleted"),
            Change::Demote => ("admin", "role was changed"),
            Change::Narrow => ("admin", "organizations"),
            Change::SetPassword => ("admin", "password"),
            Change::ResetTwoFactor => ("admin", "two-factor"),
            Change::NarrowRole => ("desk", "permissions"),
        }
    }

    async fn apply(self, roster: &Roster, user: &roster_core::User, org: OrganizationId) {
        let op = operator();
        let who = [UserRef::Id(user.id)];
        let done = match self {
            Change::Suspend => roster
                .change_status(&op, &who, StatusAction::Suspend)
                .await
                .map(drop),
            Change::Lock => roster
                .change_status(&op, &who, StatusAction::Lock)
                .await
                .map(drop),
            Change::Delete => roster.delete_users(&op, &who, None).await.map(drop),
            Change::Demote => {
                let patch = UserPatch {
                    role: Some("helpdesk".into()),
                    ..UserPatch::default()
                };
                roster.edit_user(&op, &who[0], patch, None).await.map(drop)
            }
            Change::Narrow => {
                roster
                    .set_account_scope(&op, &who[0], Some(vec![org]))
                    .await
            }
            Change::SetPassword => {
                let choice = SetPassword {
                    generate: true,
                    ..SetPassword::default()
                };
                roster.set_password(&op, &who[0], choice).await.map(drop)
            }
            Change::ResetTwoFactor => roster.reset_two_factor(&op, &who).await.map(drop),
            Change::NarrowRole => {
                let role = RoleInput {
                    name: "desk".into(),
                    description: String::new(),
                    permissions: vec![Permission::ViewUsers],
                    version: Some(1),
                };
                roster.save_role(&op, role).await.map(drop)
            }
        };
        done.unwrap_or_else(|e| panic!("{self:?}: {e}"));
    }
}

#[test]
fn item_01_a_session_follows_its_account() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let op = operator();
        let window = Window::open(&roster);
        let org = rt
            .block_on(roster.add_organization(&op, "Branch office"))
            .unwrap()
            .id;
        rt.block_on(roster.save_role(
            &op,
            RoleInput {
                name: "desk".into(),
                description: String::new(),
                permissions: vec![Permission::ViewUsers, Permission::ManageGroups],
                version: None,
            },
        ))
        .unwrap();

        let changes = [
            Change::Suspend,
            Change::Lock,
            Change::Delete,
            Change::Demote,
            Change::Narrow,
            Change::SetPassword,
            Change::ResetTwoFactor,
            Change::NarrowRole,
        ];
        for (n, change) in changes.into_iter().enumerate() {
            let case = format!("{backend}: {change:?}");
            let (role, why) = change.case();
            let name = format!("ada{n}");
            let user = rt.block_on(account(&roster, &name, role));
            window.sign_in(&name, PASSWORD);
            works(&window, &case);
            rt.block_on(change.apply(&roster, &user, org));
            signed_out(&window, why, &case);
        }

        // Idle time is the person's: background reloads do not keep a session alive, the
        // person's input does.
        let idle = rt
            .block_on(roster.settings(&op))
            .unwrap()
            .session_idle_minutes;
        let half = chrono::Duration::minutes(i64::from(idle) / 2 + 1);
        rt.block_on(account(&roster, "grace", "admin"));
        window.sign_in("grace", PASSWORD);
        clock.advance(half);
        works(&window, &format!("{backend}: a reload after {half}"));
        window.invoke("record_activity", json!({})).unwrap();
        clock.advance(half);
        works(&window, &format!("{backend}: a reload {half} after input"));
        clock.advance(half);
        signed_out(&window, "without activity", &format!("{backend}: idle"));

        // A session belongs to the database it was opened on.
        window.sign_in("grace", PASSWORD);
        works(&window, &format!("{backend}: signed in again"));
        rt.block_on(db.tamper("UPDATE directory SET uid = 'another directory'"));
        signed_out(
            &window,
            "database",
            &format!("{backend}: another directory"),
        );
    }
}

/// Runs the built `roster` command on `db`, with `--json`.
fn cli(db: &TempDatabase, args: &[&str]) -> std::process::Output {
    roster_tests::roster_command(&db.url)
        .args(args)
        .output()
        .expect("run roster")
}

/// The error a refused `roster` command printed (its `--json` form).
fn cli_refused(db: &TempDatabase, args: &[&str]) -> Value {
    let out = cli(db, args);
    assert!(
        !out.status.success(),
        "roster {args:?} should be refused: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice::<Value>(&out.stderr)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))["error"]
        .clone()
}

fn cli_ok(db: &TempDatabase, args: &[&str]) -> Value {
    let out = cli(db, args);
    assert!(
        out.status.success(),
        "roster {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// A transport that takes every message, standing in for the mail server.
struct Accepting;

#[async_trait::async_trait]
impl roster_core::MailTransport for Accepting {
    async fn send(
        &self,
        _: &roster_core::SmtpSettings,
        _: &str,
        _: &roster_core::MailMessage,
    ) -> Result<(), String> {
        Ok(())
    }

    fn keep_password(&self, _: &roster_core::SmtpSettings, _: &str) -> Result<(), String> {
        Ok(())
    }
}

#[test]
fn item_03_a_one_time_code_is_read_only_by_who_may_set_that_password() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let op = operator();
        rt.block_on(account(&roster, "desk", "helpdesk"));
        let invite = |name: &str, role: &str| NewUser {
            email: format!("{name}@example.org"),
            first_name: "New".into(),
            last_name: name.into(),
            username: Some(name.into()),
            role: Some(role.into()),
            ..NewUser::default()
        };
        let boss = rt
            .block_on(roster.add_user_and_invite(&op, invite("boss", "admin")))
            .unwrap();
        let pat = rt
            .block_on(roster.add_user_and_invite(&op, invite("pat", "user")))
            .unwrap();
        let messages = rt.block_on(roster.outbox(&op, 10)).unwrap();
        let message_to = |user: &roster_core::User| {
            messages
                .iter()
                .find(|m| m.user_id == Some(user.id))
                .unwrap_or_else(|| panic!("{backend}: {}'s invitation", user.username))
                .id
        };
        let (boss_mail, pat_mail) = (message_to(&boss), message_to(&pat));
        let code_of = |id: i64| {
            let whole = rt.block_on(roster.reveal_mail(&op, id)).unwrap().body;
            whole
                .lines()
                .find_map(|l| l.strip_prefix("One-time code: "))
                .unwrap_or_else(|| panic!("{backend}: a code in {whole}"))
                .to_owned()
        };
        let (boss_code, pat_code) = (code_of(boss_mail), code_of(pat_mail));

        let window = Window::open(&roster);
        window.sign_in("desk", PASSWORD);
        // The outbox shows no code to anyone.
        let listed = window.invoke("outbox", json!({})).unwrap().to_string();
        assert!(!listed.contains(&boss_code), "{backend}: {listed}");
        assert!(!listed.contains(&pat_code), "{backend}: {listed}");
        assert!(listed.contains(roster_core::HIDDEN_CODE), "{backend}");
        // Helpdesk may not set an Admin's password, so it may not read the Admin's code,
        // in the window or as a saved message.
        let audit_before = rt
            .block_on(roster.audit(&op, &all_entries()))
            .unwrap()
            .len();
        for command in ["reveal_mail", "export_mail"] {
            let refused = window
                .invoke(command, json!({ "id": boss_mail }))
                .expect_err(&format!("{backend}: helpdesk {command} of an Admin's code"));
            assert_eq!(refused["code"], "forbidden", "{backend}: {refused}");
            assert!(!refused.to_string().contains(&boss_code));
        }
        // A user's code it may read, and the reading is recorded.
        let shown = window
            .invoke("reveal_mail", json!({ "id": pat_mail }))
            .unwrap();
        assert!(shown["body"].as_str().unwrap().contains(&pat_code));
        let entries = rt.block_on(roster.audit(&op, &all_entries())).unwrap();
        assert_eq!(entries.len(), audit_before + 1, "{backend}: one entry");
        assert_eq!(entries[0].action, "mail.read_code", "{backend}");
        assert_eq!(entries[0].actor, "desk", "{backend}");
        assert_eq!(entries[0].target.id, pat.id.0, "{backend}");

        // Once delivered, the outbox keeps no code at all.
        let mut settings = rt.block_on(roster.settings(&op)).unwrap();
        settings.smtp = Some(roster_core::SmtpSettings {
            host: "127.0.0.1".into(),
            port: 2525,
            security: roster_core::SmtpSecurity::None,
            username: String::new(),
            from_address: "it@example.org".into(),
        });
        rt.block_on(roster.save_settings(&op, settings)).unwrap();
        let report = rt.block_on(roster.deliver_mail(&Accepting)).unwrap();
        assert_eq!(report.sent, 2, "{backend}");
        for id in [boss_mail, pat_mail] {
            // What the store keeps, whole: nothing is hidden from the operator any more.
            let kept = rt.block_on(roster.reveal_mail(&op, id)).unwrap();
            assert!(!kept.has_code, "{backend}: #{id}");
            assert!(
                !kept.body.contains(&boss_code) && !kept.body.contains(&pat_code),
                "{backend}: {}",
                kept.body
            );
        }
    }
}

fn refused_as(answer: Result<Value, Value>, code: &str, case: &str) -> Value {
    let error = answer.expect_err(case);
    assert_eq!(error["code"], code, "{case}: {error}");
    error
}

#[test]
fn item_08_nobody_raises_a_role_past_their_own() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let op = operator();
        let role = |name: &str, permissions: Vec<Permission>| RoleInput {
            name: name.into(),
            description: String::new(),
            permissions,
            version: None,
        };
        use Permission::*;
        rt.block_on(roster.save_role(&op, role("role keeper", vec![ViewUsers, ManageRoles])))
            .unwrap();
        rt.block_on(roster.save_role(&op, role("settings keeper", vec![ManageSettings])))
            .unwrap();
        rt.block_on(account(&roster, "keeper", "role keeper"));
        let window = Window::open(&roster);
        window.sign_in("keeper", PASSWORD);
        let case = format!("{backend}: Manage roles builds Manage settings into a role");
        let save = |name: &str, permissions: &[&str], version: Option<i64>| {
            window.invoke(
                "save_role",
                json!({ "input": { "name": name, "permissions": permissions, "version": version } }),
            )
        };
        refused_as(
            save("raised", &["view_users", "manage_settings"], None),
            "forbidden",
            &case,
        );
        // Its own role included: nobody raises their own.
        refused_as(
            save(
                "role keeper",
                &["view_users", "manage_roles", "manage_users"],
                Some(1),
            ),
            "forbidden",
            &format!("{backend}: its own role raised"),
        );
        // Nor edits or deletes a role above its own.
        refused_as(
            save("settings keeper", &[], Some(1)),
            "forbidden",
            &format!("{backend}: a role above its own edited"),
        );
        refused_as(
            window.invoke("delete_role", json!({ "name": "settings keeper" })),
            "forbidden",
            &format!("{backend}: a role above its own deleted"),
        );
        save("within", &["view_users"], None).unwrap_or_else(|e| panic!("{backend}: {e}"));

        // An Admin limited to one organization cannot make itself (or anyone) an Owner.
        let org = rt
            .block_on(roster.add_organization(&op, "Branch"))
            .unwrap()
            .id;
        let limited = rt.block_on(account(&roster, "limited", "admin"));
        rt.block_on(roster.edit_user(
            &op,
            &UserRef::Id(limited.id),
            UserPatch {
                organization: Some("Branch".into()),
                ..UserPatch::default()
            },
            None,
        ))
        .unwrap();
        rt.block_on(roster.set_account_scope(&op, &UserRef::Id(limited.id), Some(vec![org])))
            .unwrap();
        let colleague = rt.block_on(account(&roster, "colleague", "user"));
        rt.block_on(roster.edit_user(
            &op,
            &UserRef::Id(colleague.id),
            UserPatch {
                organization: Some("Branch".into()),
                ..UserPatch::default()
            },
            None,
        ))
        .unwrap();
        rt.block_on(roster.set_account_scope(&op, &UserRef::Id(colleague.id), Some(vec![org])))
            .unwrap();
        let window = Window::open(&roster);
        window.sign_in("limited", PASSWORD);
        for (who, case) in [(limited.id, "itself"), (colleague.id, "a colleague")] {
            let version = rt
                .block_on(roster.find_user(&operator(), &UserRef::Id(who)))
                .unwrap()
                .version;
            refused_as(
                window.invoke(
                    "update_user",
                    json!({ "id": who, "patch": { "role": "owner" }, "expectedVersion": version }),
                ),
                "forbidden",
                &format!("{backend}: a limited Admin makes {case} Owner"),
            );
            refused_as(
                window.invoke(
                    "edit_users",
                    json!({ "ids": [who], "edit": { "role": "owner" } }),
                ),
                "forbidden",
                &format!("{backend}: a limited Admin makes {case} Owner in bulk"),
            );
        }
        // Nor lowers its own role: that is for someone else.
        refused_as(
            window.invoke(
                "edit_users",
                json!({ "ids": [limited.id], "edit": { "role": "helpdesk" } }),
            ),
            "forbidden",
            &format!("{backend}: its own role lowered"),
        );
        let after = rt
            .block_on(roster.find_user(&operator(), &UserRef::Id(limited.id)))
            .unwrap();
        assert_eq!(after.role, "admin", "{backend}");
    }
}

#[test]
fn item_09_the_first_owner_screen_never_reopens() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let window = Window::open(&roster);
        let welcome = || window.invoke("session_state", json!({})).unwrap()["welcome"].clone();
        assert_eq!(welcome()["needs_first_owner"], true, "{backend}: empty");
        // One account without a password (an import, say): no Owner to sign in, but the
        // screen stays shut, so nobody at the sign-in screen can make themselves Owner.
        cli_ok(
            &db,
            &[
                "user",
                "add",
                "--email",
                "pat@example.org",
                "--first",
                "Pat",
                "--last",
                "Staff",
            ],
        );
        assert_eq!(welcome()["needs_first_owner"], false, "{backend}");
        let first = json!({ "input": { "user": { "email": "eve@example.org", "first_name": "Eve",
            "last_name": "Intruder", "username": "eve" }, "password": PASSWORD } });
        refused_as(
            window.invoke("create_first_owner", first),
            "forbidden",
            &format!("{backend}: a first Owner on a directory with accounts"),
        );

        // The last Owner who can sign in stays one.
        rt.block_on(account(&roster, "boss", "owner"));
        for (args, case) in [
            (vec!["user", "delete", "boss", "--yes"], "deleted"),
            (vec!["user", "suspend", "boss"], "suspended"),
            (vec!["user", "lock", "boss"], "locked"),
            (vec!["user", "edit", "boss", "--role", "admin"], "demoted"),
        ] {
            let error = cli_refused(&db, &args);
            assert_eq!(error["code"], "forbidden", "{backend}: {case}: {error}");
            assert!(
                error["message"].as_str().unwrap().contains("last Owner"),
                "{backend}: {case}: {error}"
            );
        }
        // With a second Owner, one of them may go.
        rt.block_on(account(&roster, "deputy", "owner"));
        cli_ok(&db, &["user", "suspend", "boss"]);
        let error = cli_refused(&db, &["user", "edit", "deputy", "--role", "admin"]);
        assert_eq!(error["code"], "forbidden", "{backend}: {error}");
        assert_eq!(welcome()["needs_first_owner"], false, "{backend}");
    }
}

/// Some audit entries: each new user writes one.
async fn entries(roster: &Roster, prefix: &str, n: usize) {
    for i in 0..n {
        roster
            .add_user(
                &operator(),
                NewUser {
                    email: format!("{prefix}{i}@example.org"),
                    first_name: "Entry".into(),
                    last_name: format!("{prefix}{i}"),
                    ..NewUser::default()
                },
            )
            .await
            .unwrap();
    }
}

/// `roster audit verify`, with an anchor file when given: (exit success, the report or error).
fn verify(db: &TempDatabase, anchor: Option<&std::path::Path>) -> (bool, Value) {
    let mut args = vec!["audit", "verify"];
    if let Some(path) = anchor {
        args.extend(["--anchor", path.to_str().unwrap()]);
    }
    let out = cli(db, &args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let error: Value = serde_json::from_slice(&out.stderr).unwrap_or(Value::Null);
    (
        out.status.success(),
        json!({ "report": report, "error": error["error"] }),
    )
}

#[test]
fn item_06_a_purge_cannot_be_forged() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        rt.block_on(entries(&roster, "old", 3));
        let report = rt.block_on(roster.verify_audit(&operator(), None)).unwrap();
        assert_eq!(report.problem, None, "{backend}");
        let anchored = report.last.unwrap();
        let anchor = db.dir.path().join("anchor.txt");
        std::fs::write(&anchor, report.anchor.unwrap()).unwrap();
        rt.block_on(entries(&roster, "new", 3));

        // Remove the anchored entry and the one after it (what showed what was done), and
        // make the chain's record say a purge did it.
        let cut = anchored + 1;
        rt.block_on(db.tamper(&format!(
            "UPDATE audit_chain SET base_hash = (SELECT prev_hash FROM audit_log WHERE id = {}), \
             purged_through_id = {cut}, purged_through_at = 0 WHERE id = 1; \
             DELETE FROM audit_log WHERE id <= {cut}",
            cut + 1
        )));
        let (ok, answer) = verify(&db, Some(&anchor));
        assert!(!ok, "{backend}: a forged purge passes: {answer}");
        assert_eq!(answer["error"]["code"], "tampered", "{backend}: {answer}");
        assert_eq!(
            answer["report"]["problem"]["kind"], "unvouched_purge",
            "{backend}: {answer}"
        );
        assert_ne!(answer["report"]["anchor_check"], "purged", "{backend}");
    }

    // A purge Roster did is vouched for; an anchor it removed cannot be checked, which is
    // not a clean result; a removed head is reported, never sealed again.
    for db in TempDatabase::every_backend() {
        let (roster, clock) = rt.block_on(db.roster());
        let backend = db.backend();
        rt.block_on(entries(&roster, "old", 3));
        let report = rt.block_on(roster.verify_audit(&operator(), None)).unwrap();
        let anchor = db.dir.path().join("anchor.txt");
        std::fs::write(&anchor, report.anchor.unwrap()).unwrap();
        clock.advance(chrono::Duration::days(2));
        rt.block_on(entries(&roster, "new", 2));
        let cut = roster_core::Clock::now(&*clock) - chrono::Duration::days(1);
        let purged = rt.block_on(roster.purge_audit(&operator(), cut)).unwrap();
        assert!(purged.entries >= 3, "{backend}: {purged:?}");
        let (ok, answer) = verify(&db, None);
        assert!(ok, "{backend}: a purge Roster did: {answer}");
        let (ok, answer) = verify(&db, Some(&anchor));
        assert!(
            !ok,
            "{backend}: an anchor whose entry is gone passes: {answer}"
        );
        assert_eq!(answer["error"]["code"], "anchor_unchecked", "{backend}");
        assert_eq!(answer["report"]["anchor_check"], "purged", "{backend}");

        rt.block_on(db.tamper("UPDATE audit_chain SET head_hash = NULL WHERE id = 1"));
        // Opened again (as the next Roster would), the log is not sealed anew.
        let (reopened, _) = rt.block_on(db.roster());
        let report = rt
            .block_on(reopened.verify_audit(&operator(), None))
            .unwrap();
        assert_eq!(
            report.problem,
            Some(roster_core::ChainProblem::HeadMissing),
            "{backend}"
        );
        let (ok, answer) = verify(&db, None);
        assert!(!ok, "{backend}: a removed head: {answer}");
    }
}

/// Starts `roster` on `db` with `stdin` piped in.
fn cli_spawn(db: &TempDatabase, args: &[&str], stdin: &str) -> std::process::Child {
    use std::io::Write;
    let mut child = roster_tests::roster_command(&db.url)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run roster");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child
}

#[test]
fn item_05_a_failed_sign_in_never_undoes_a_credential_change() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        rt.block_on(account(&roster, "ada", "user"));
        // A helpdesk sets a new password while a wrong one is tried on another desk, again
        // and again: every new password must work afterwards.
        for round in 0..15 {
            let new = format!("round {round} brings a fresh passphrase");
            let wrong = cli_spawn(
                &db,
                &["user", "verify-login", "ada", "--password-stdin"],
                "not the password at all",
            );
            let set = cli_spawn(
                &db,
                &["user", "set-password", "ada", "--password-stdin"],
                &new,
            );
            let (wrong, set) = (
                wrong.wait_with_output().unwrap(),
                set.wait_with_output().unwrap(),
            );
            assert!(!wrong.status.success(), "{backend}: a wrong password");
            assert!(
                set.status.success(),
                "{backend}: set-password: {}",
                String::from_utf8_lossy(&set.stderr)
            );
            let out = cli_spawn(
                &db,
                &["user", "verify-login", "ada", "--password-stdin"],
                &new,
            )
            .wait_with_output()
            .unwrap();
            assert!(
                out.status.success(),
                "{backend}, round {round}: the password just set does not work: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn item_10_smaller_leaks_are_closed() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let op = operator();

        // A token outside a scoped account's organizations is as missing as one that never
        // was, revoked or not.
        let org = rt
            .block_on(roster.add_organization(&op, "Branch"))
            .unwrap()
            .id;
        rt.block_on(roster.add_organization(&op, "Head office"))
            .unwrap();
        let desk = rt.block_on(account(&roster, "desk", "helpdesk"));
        rt.block_on(roster.set_account_scope(&op, &UserRef::Id(desk.id), Some(vec![org])))
            .unwrap();
        let outsider = rt.block_on(account(&roster, "outsider", "user"));
        rt.block_on(roster.edit_user(
            &op,
            &UserRef::Id(outsider.id),
            UserPatch {
                organization: Some("Head office".into()),
                ..UserPatch::default()
            },
            None,
        ))
        .unwrap();
        let token = rt
            .block_on(roster.issue_token(&op, &UserRef::Id(outsider.id), None))
            .unwrap()
            .token
            .id;
        rt.block_on(roster.revoke_token(&op, token)).unwrap();
        let window = Window::open(&roster);
        window.sign_in("desk", PASSWORD);
        let outside = refused_as(
            window.invoke("revoke_token", json!({ "id": token })),
            "not_found",
            &format!("{backend}: a revoked token outside"),
        );
        let never = refused_as(
            window.invoke("revoke_token", json!({ "id": token + 1000 })),
            "not_found",
            &format!("{backend}: no such token"),
        );
        assert_eq!(
            outside["message"]
                .as_str()
                .unwrap()
                .replace(&token.to_string(), "N"),
            never["message"]
                .as_str()
                .unwrap()
                .replace(&(token + 1000).to_string(), "N"),
            "{backend}"
        );

        // Locked or suspended is said only to someone who proved the password.
        rt.block_on(roster.change_status(&op, &[UserRef::Id(outsider.id)], StatusAction::Suspend))
            .unwrap();
        let guess = window
            .invoke(
                "sign_in",
                json!({ "request": { "login": "outsider", "password": "a wrong guess entirely" } }),
            )
            .expect_err("a wrong guess");
        assert_eq!(guess["code"], "bad_credentials", "{backend}: {guess}");
        let right = window
            .invoke(
                "sign_in",
                json!({ "request": { "login": "outsider", "password": PASSWORD } }),
            )
            .expect_err("suspended");
        assert_eq!(right["code"], "account_suspended", "{backend}: {right}");

        // The CLI records the OS account it runs as, whatever $USER says.
        let out = roster_tests::roster_command(&db.url)
            .args(["group", "add", "Blame"])
            .env("USER", "someone-else")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let entries = rt.block_on(roster.audit(&op, &all_entries())).unwrap();
        let created = entries.iter().find(|e| e.action == "group.create").unwrap();
        assert_ne!(created.actor, "someone-else", "{backend}");
        assert!(!created.actor.is_empty(), "{backend}");

        // Sign-in attempts are in the chain: removing one is tampering.
        let attempts: Vec<_> = entries
            .iter()
            .filter(|e| e.action.starts_with("session.sign_in"))
            .collect();
        assert!(attempts.len() >= 3, "{backend}: {attempts:?}");
        rt.block_on(db.tamper(&format!(
            "DELETE FROM audit_log WHERE id = {}",
            attempts[1].id
        )));
        let report = rt.block_on(roster.verify_audit(&op, None)).unwrap();
        assert!(report.problem.is_some(), "{backend}: {report:?}");
    }
}

#[test]
fn item_11_only_the_written_form_of_an_id_names_a_user() {
    for db in TempDatabase::every_backend() {
        let backend = db.backend();
        cli_ok(&db, &["db", "init"]);
        let first = cli_ok(
            &db,
            &[
                "user",
                "add",
                "--email",
                "owner@example.org",
                "--first",
                "First",
                "--last",
                "Owner",
                "--role",
                "owner",
            ],
        );
        assert_eq!(first["id"], 1, "{backend}");
        let status = first["status"].clone();
        for typed in ["+1", " 1", "01", "1 ", "#01"] {
            let error = cli_refused(&db, &["user", "suspend", typed]);
            assert_eq!(error["code"], "not_found", "{backend}: {typed:?}: {error}");
        }
        assert_eq!(cli_ok(&db, &["user", "show", "#1"])["id"], 1, "{backend}");
        assert_eq!(cli_ok(&db, &["user", "show", "1"])["id"], 1, "{backend}");
        assert_eq!(
            cli_ok(&db, &["user", "show", "1"])["status"],
            status,
            "{backend}: nothing was suspended"
        );
    }
}

/// Imports `csv` through the window's Import dialog (upserting), as the admin signed in.
fn import_in_window(
    roster: &Roster,
    db: &TempDatabase,
    login: &str,
    csv: &str,
) -> Result<Value, Value> {
    let file = db.dir.path().join(format!("{login}-import.csv"));
    std::fs::write(&file, csv).unwrap();
    let window = Window::with_files(
        roster,
        Some(window::Files {
            open: file,
            folder: db.dir.path().to_owned(),
        }),
    );
    window.sign_in(login, PASSWORD);
    window.invoke("choose_import_file", json!({}))?;
    window.invoke(
        "run_import",
        json!({ "choice": { "options": { "upsert": true, "activate": true } }, "progress": "__CHANNEL__:9" }),
    )
}

#[test]
fn item_02_an_import_puts_users_only_in_groups_its_admin_may_manage() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let op = operator();
        let branch = rt.block_on(roster.add_organization(&op, "Branch")).unwrap();
        rt.block_on(roster.add_organization(&op, "Head office"))
            .unwrap();
        let theirs = rt
            .block_on(roster.add_group(
                &op,
                roster_core::NewGroup {
                    name: "Finance".into(),
                    organization: Some("Head office".into()),
                    ..Default::default()
                },
            ))
            .unwrap();
        let lim = rt.block_on(account(&roster, "lim", "admin"));
        let patch = UserPatch {
            organization: Some("Branch".into()),
            ..UserPatch::default()
        };
        rt.block_on(roster.edit_user(&op, &UserRef::Id(lim.id), patch.clone(), None))
            .unwrap();
        rt.block_on(roster.set_account_scope(&op, &UserRef::Id(lim.id), Some(vec![branch.id])))
            .unwrap();
        let kept = rt.block_on(account(&roster, "kept", "user"));
        rt.block_on(roster.edit_user(&op, &UserRef::Id(kept.id), patch, None))
            .unwrap();

        // An Admin of Branch names Head office's group: its users land in a Finance of
        // Branch's own, created there, never in Head office's.
        let report = import_in_window(
            &roster,
            &db,
            "lim",
            "email,first_name,last_name,organization,groups\n\
             nia@example.org,Nia,New,Branch,Finance\n\
             kept@example.org,Case,kept,Branch,Finance\n",
        )
        .unwrap_or_else(|e| panic!("{backend}: {e}"));
        assert_eq!(report["report"]["invalid"], 0, "{backend}: {report}");
        let members = |group: roster_core::GroupId| {
            let page = roster_core::UserQuery {
                limit: 100,
                ..roster_core::UserQuery::default()
            };
            rt.block_on(roster.group_members(&op, group, &page))
                .unwrap()
                .users
                .iter()
                .map(|u| u.username.clone())
                .collect::<Vec<_>>()
        };
        assert!(
            members(theirs.id).is_empty(),
            "{backend}: {:?}",
            members(theirs.id)
        );
        let groups = rt.block_on(roster.list_groups(&op)).unwrap();
        let ours: Vec<_> = groups
            .iter()
            .filter(|g| g.name == "Finance" && g.id != theirs.id)
            .collect();
        assert_eq!(ours.len(), 1, "{backend}: {groups:?}");
        assert_eq!(ours[0].organization.as_deref(), Some("Branch"), "{backend}");
        let mut in_ours = members(ours[0].id);
        in_ours.sort();
        assert_eq!(in_ours, ["kept", "nia"], "{backend}");

        // Someone who may create users but not manage groups gets the row refused, and
        // nothing of the file is written.
        rt.block_on(roster.save_role(
            &op,
            RoleInput {
                name: "people".into(),
                description: String::new(),
                permissions: vec![Permission::ViewUsers, Permission::ManageUsers],
                version: None,
            },
        ))
        .unwrap();
        rt.block_on(account(&roster, "hr", "people"));
        let before = rt
            .block_on(roster.list_users(&op, &roster_core::UserQuery::default()))
            .unwrap()
            .total;
        let refused = import_in_window(
            &roster,
            &db,
            "hr",
            "email,first_name,last_name,groups\nola@example.org,Ola,New,Finance\n",
        );
        let text = match &refused {
            Ok(answer) => answer.to_string(),
            Err(error) => error.to_string(),
        };
        assert!(
            text.contains("groups") && text.contains("manage groups"),
            "{backend}: {text}"
        );
        let after = rt
            .block_on(roster.list_users(&op, &roster_core::UserQuery::default()))
            .unwrap()
            .total;
        assert_eq!(before, after, "{backend}: a refused import wrote users");
    }
}

#[test]
fn item_04_ids_are_never_reused() {
    let rt = runtime();
    for db in TempDatabase::every_backend() {
        let (roster, _clock) = rt.block_on(db.roster());
        let backend = db.backend();
        let op = operator();
        rt.block_on(roster.add_organization(&op, "Branch")).unwrap();
        rt.block_on(roster.add_organization(&op, "Head office"))
            .unwrap();
        let old = rt.block_on(account(&roster, "leaver", "user"));
        let placed = UserPatch {
            organization: Some("Branch".into()),
            ..UserPatch::default()
        };
        rt.block_on(roster.edit_user(&op, &UserRef::Id(old.id), placed, None))
            .unwrap();
        cli_refused(&db, &["user", "verify-login", "leaver", "--password-stdin"]);
        let group = rt
            .block_on(roster.add_group(
                &op,
                roster_core::NewGroup {
                    name: "Old group".into(),
                    ..Default::default()
                },
            ))
            .unwrap();
        let org = rt
            .block_on(roster.add_organization(&op, "Old office"))
            .unwrap();
        // The newest of each goes.
        rt.block_on(roster.delete_users(&op, &[UserRef::Id(old.id)], None))
            .unwrap();
        rt.block_on(roster.delete_group(&op, group.id)).unwrap();
        rt.block_on(roster.delete_organization(&op, org.id, None))
            .unwrap();

        let new = rt.block_on(account(&roster, "joiner", "user"));
        assert_ne!(
            new.id, old.id,
            "{backend}: a deleted user's id was given again"
        );
        let trail = rt
            .block_on(roster.audit(
                &op,
                &roster_core::AuditQuery {
                    user: Some(new.id),
                    limit: 100,
                    ..roster_core::AuditQuery::default()
                },
            ))
            .unwrap();
        assert!(
            trail.iter().all(|e| e.target.name != "leaver"),
            "{backend}: the new user inherits the old one's trail: {trail:?}"
        );
        let sign_ins = rt.block_on(roster.sign_ins(&op, new.id, 100)).unwrap();
        assert!(sign_ins.is_empty(), "{backend}: {sign_ins:?}");
        let group2 = rt
            .block_on(roster.add_group(
                &op,
                roster_core::NewGroup {
                    name: "New group".into(),
                    ..Default::default()
                },
            ))
            .unwrap();
        assert_ne!(group2.id, group.id, "{backend}: a group id was given again");
        let org2 = rt
            .block_on(roster.add_organization(&op, "New office"))
            .unwrap();
        assert_ne!(
            org2.id, org.id,
            "{backend}: an organization id was given again"
        );

        // A copy carries on where its source's ids were, after the deleted ones too.
        rt.block_on(roster.delete_users(&op, &[UserRef::Id(new.id)], None))
            .unwrap();
        for target in TempDatabase::every_backend() {
            cli_ok(&db, &["db", "copy", "--from", &db.url, "--to", &target.url]);
            let added = cli_ok(
                &target,
                &[
                    "user",
                    "add",
                    "--email",
                    "next@example.org",
                    "--first",
                    "Next",
                    "--last",
                    "One",
                ],
            );
            assert!(
                added["id"].as_i64().unwrap() > new.id.0,
                "{backend} → {}: the copy gave {} again",
                target.backend(),
                added["id"]
            );
        }
    }
}
