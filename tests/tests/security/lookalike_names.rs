//! Item 14: a name that reads as another user's is that user's name. Usernames and emails
//! are unique by their confusable skeleton (Unicode TS #39), not only by their letters,
//! and a username is written in one script.

use super::{cli, cli_ok, cli_refused, runtime};
use roster_tests::TempDatabase;
use serde_json::Value;

/// `roster user add` with these names; the command's output.
fn add(db: &TempDatabase, email: &str, username: &str) -> std::process::Output {
    cli(
        db,
        &[
            "user",
            "add",
            "--email",
            email,
            "--username",
            username,
            "--first",
            "Test",
            "--last",
            "Person",
        ],
    )
}

/// The error of a command that must be refused as a lookalike of `field`.
fn refused_as_lookalike(error: &Value, field: &str, case: &str) {
    assert_eq!(error["code"], "conflict", "{case}: {error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("looks like another user's") && message.contains(field),
        "{case}: {message}"
    );
}

#[test]
fn item_14_a_name_that_looks_like_another_is_refused() {
    for db in TempDatabase::every_backend() {
        let backend = db.backend();
        cli_ok(&db, &["db", "init"]);
        for (email, username) in [
            ("admin@example.org", "admin"),
            ("grace@example.org", "user1"),
        ] {
            let out = add(&db, email, username);
            assert!(out.status.success(), "{backend}: {out:?}");
        }
        // As a directory written before Roster kept lookalike keys has them: the next
        // open fills them in.
        runtime().block_on(
            db.tamper("UPDATE users SET username_lookalike = NULL, email_lookalike = NULL"),
        );

        let mixed = add(&db, "cyrillic@example.org", "\u{430}dmin");
        assert!(!mixed.status.success(), "{backend}: Cyrillic а accepted");
        let error: Value = serde_json::from_slice(&mixed.stderr).unwrap();
        assert_eq!(error["error"]["code"], "validation", "{backend}: {error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("one script"),
            "{backend}: {error}"
        );

        for (email, username, field) in [
            ("rn@example.org", "adrnin", "username"),
            ("capital@example.org", "userI", "username"),
            ("ell@example.org", "userl", "username"),
            ("admin@exarnple.org", "someone", "email"),
            ("grace@examp1e.org", "another", "email"),
        ] {
            let out = add(&db, email, username);
            assert!(
                !out.status.success(),
                "{backend}: {username} / {email} was accepted"
            );
            let error: Value = serde_json::from_slice(&out.stderr).unwrap();
            refused_as_lookalike(&error["error"], field, &format!("{backend}: {username}"));
        }
        // Names that only share letters with another are names of their own.
        let own = add(&db, "useri@example.org", "useri");
        assert!(own.status.success(), "{backend}: {own:?}");

        // Renaming into a lookalike is refused the same way.
        let error = cli_refused(&db, &["user", "edit", "useri", "--username", "userl"]);
        refused_as_lookalike(&error, "username", &format!("{backend}: rename"));
        let error = cli_refused(
            &db,
            &["user", "edit", "useri", "--email", "grace@exarnple.org"],
        );
        refused_as_lookalike(&error, "email", &format!("{backend}: new email"));
        // A change of the user's own name that looks the same is theirs to make.
        cli_ok(&db, &["user", "edit", "user1", "--username", "userl"]);

        // An import refuses them row by row, against the directory and earlier lines.
        let file = db.dir.path().join("lookalikes.csv");
        std::fs::write(
            &file,
            "email,username,first_name,last_name\n\
             bob@example.org,bob1,Bob,One\n\
             bob.two@example.org,bobl,Bob,Two\n\
             x@example.org,adrnin,X,Lookalike\n\
             y@example.org,\u{430}dmin,Y,Mixed\n\
             admin@exarnple.org,z,Z,Email\n",
        )
        .unwrap();
        let report = cli_ok(
            &db,
            &["import", "users", file.to_str().unwrap(), "--skip-invalid"],
        );
        assert_eq!(report["created"], 1, "{backend}: {report}");
        let lines: Vec<(i64, String)> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["line"].as_i64().unwrap(),
                    p["column"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (3, "username".to_owned()),
                (4, "username".to_owned()),
                (5, "username".to_owned()),
                (6, "email".to_owned())
            ],
            "{backend}: {report}"
        );
        for gone in ["bobl", "adrnin", "z"] {
            let error = cli_refused(&db, &["user", "show", gone]);
            assert_eq!(error["code"], "not_found", "{backend}: {gone}");
        }
    }
}
