//! Black-box tests of the `roster` command as scripts use it: the built binary, a real
//! database (a SQLite file, or PostgreSQL with `ROSTER_TEST_BACKEND=postgres`), JSON on
//! stdout, errors on stderr and the exit code.

use roster_tests::{Server, TempDatabase, built_binary};
use serde_json::Value;
use std::process::{Command, Output};

struct Cli {
    db: TempDatabase,
}

impl Cli {
    /// On the test backend (`ROSTER_TEST_BACKEND`).
    fn new() -> Self {
        Self::on(TempDatabase::new())
    }

    /// On a SQLite file, for what only a file has (its mode, its write-ahead log, backups).
    fn sqlite() -> Self {
        Self::on(TempDatabase::sqlite())
    }

    fn on(db: TempDatabase) -> Self {
        let cli = Cli { db };
        let out = cli.run(&["db", "init"]);
        assert!(
            out.status.success(),
            "db init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        cli
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(built_binary("roster"))
            .args(["--db", &self.db.url])
            .args(args)
            .env_remove("ROSTER_DATABASE_URL")
            // Ignored: the audit trail names the OS account, which `$USER` cannot change.
            .env("USER", "helpdesk-script")
            // People read English here, whatever the machine's locale (see the German test).
            .env("LANGUAGE", "en")
            .output()
            .expect("run roster")
    }

    /// Runs with --json and expects success; returns stdout as JSON.
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(&[&["--json"], args].concat());
        assert!(
            out.status.success(),
            "roster {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("stdout is JSON")
    }

    /// Runs with --json and expects failure; returns the error object from stderr.
    fn fails(&self, args: &[&str]) -> Value {
        let out = self.run(&[&["--json"], args].concat());
        assert!(!out.status.success(), "roster {args:?} should have failed");
        assert!(out.stdout.is_empty(), "nothing on stdout for a failure");
        let body: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
        body["error"].clone()
    }

    fn total(&self) -> u64 {
        self.ok(&["user", "list"])["total"].as_u64().unwrap()
    }

    /// Runs with `stdin` piped in (for --password-stdin).
    fn run_with_input(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = Command::new(built_binary("roster"))
            .args(["--db", &self.db.url, "--json"])
            .args(args)
            .env_remove("ROSTER_DATABASE_URL")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run roster");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn audit_count(&self) -> usize {
        self.ok(&["audit", "list", "--limit", "1000"])
            .as_array()
            .unwrap()
            .len()
    }
}

const ALAN: &[&str] = &[
    "user",
    "add",
    "--email",
    "alan@example.org",
    "--first",
    "Alan",
    "--last",
    "Turing",
];

const ADA: &[&str] = &[
    "user",
    "add",
    "--email",
    "ada@example.org",
    "--first",
    "Ada",
    "--last",
    "Lovelace",
    "--phone",
    "+44 20 7946 0000",
    "--org",
    "Analytical Engines",
    "--team",
    "Research",
    "--tag",
    "math",
    "--tag",
    "poet",
    "--status",
    "active",
];

#[test]
fn add_then_search_round_trips() {
    let cli = Cli::new();
    let ada = cli.ok(ADA);
    assert_eq!(ada["username"], "ada");
    assert_eq!(ada["status"], "active");
    assert_eq!(ada["tags"], serde_json::json!(["math", "poet"]));
    assert_eq!(ada["created_by"], whoami::username().as_str());
    cli.ok(&[
        "user",
        "add",
        "--email",
        "alan@example.org",
        "--first",
        "Alan",
        "--last",
        "Turing",
    ]);

    let page = cli.ok(&["user", "list", "--search", "lovel"]);
    assert_eq!(page["total"], 1);
    assert_eq!(page["users"][0]["email"], "ada@example.org");
    assert_eq!(page["users"][0]["team"], "Research");

    let page = cli.ok(&["user", "list", "--status", "staged", "--sort", "email:desc"]);
    assert_eq!(page["total"], 1);
    assert_eq!(page["users"][0]["username"], "alan");

    let page = cli.ok(&[
        "user",
        "list",
        "--sort",
        "first_name:desc",
        "--limit",
        "1",
        "--offset",
        "1",
    ]);
    assert_eq!(page["users"][0]["first_name"], "Ada");
    assert_eq!(page["total"], 2);

    let shown = cli.ok(&["user", "show", "ADA@example.org"]);
    assert_eq!(shown["id"], ada["id"]);

    let human = cli.run(&["user", "list", "--search", "ada"]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("ada@example.org") && text.contains("1–1 of 1 users"),
        "{text}"
    );
}

#[test]
fn profile_fields_managers_and_run_due() {
    let cli = Cli::new();
    let add = |email: &str, extra: &[&str]| {
        let mut args = vec![
            "user", "add", "--email", email, "--first", "P", "--last", "Q",
        ];
        args.extend_from_slice(extra);
        cli.ok(&args)
    };
    let ben = add(
        "ben@example.org",
        &[
            "--status",
            "active",
            "--set",
            "department=Sales",
            "--set",
            "end_date=2020-01-31",
        ],
    );
    assert_eq!(ben["profile"]["department"], "Sales");
    let ana = add(
        "ana@example.org",
        &[
            "--manager",
            "ben@example.org",
            "--set",
            "Job Title=Account  manager",
        ],
    );
    assert_eq!(ana["manager"]["email"], "ben@example.org");
    assert_eq!(ana["profile"]["job_title"], "Account manager");
    let reports = cli.ok(&[
        "user",
        "list",
        "--reports-to",
        "ben",
        "--department",
        "Sales",
    ]);
    assert_eq!(reports["total"], 0, "ana is not in Sales");
    let reports = cli.ok(&["user", "list", "--reports-to", "ben"]);
    assert_eq!(reports["users"][0]["email"], "ana@example.org");

    let cleared = cli.ok(&[
        "user",
        "edit",
        "ana",
        "--set",
        "job_title=",
        "--manager",
        "",
    ]);
    assert_eq!(cleared["profile"], serde_json::json!({}));
    assert_eq!(cleared["manager"], Value::Null);

    let unknown = cli.fails(&["user", "edit", "ana", "--set", "shoe_size=44"]);
    assert_eq!(unknown["fields"][0]["field"], "shoe_size");
    let said = unknown["message"].as_str().unwrap();
    assert!(said.contains("roster attribute add"), "{said}");
    let day_first = cli.fails(&["user", "edit", "ana", "--set", "end_date=31/01/2027"]);
    assert_eq!(day_first["fields"][0]["field"], "end_date");

    let due = cli.ok(&["run-due"]);
    assert_eq!(due["suspended"], serde_json::json!(["ben"]));
    let ben = cli.ok(&["user", "show", "ben"]);
    assert_eq!(ben["status"], "suspended");
    let trail = cli.ok(&["audit", "list", "--action", "user.suspend"]);
    assert_eq!(trail[0]["actor"], "Roster (end date)");
    assert_eq!(cli.ok(&["run-due"])["suspended"], serde_json::json!([]));
}

#[test]
fn attributes_are_defined_set_filtered_exported_and_removed() {
    let cli = Cli::new();
    let badge = cli.ok(&[
        "attribute",
        "add",
        "Badge number",
        "--kind",
        "number",
        "--unique",
    ]);
    assert_eq!(badge["name"], "badge_number");
    cli.ok(&[
        "attribute",
        "add",
        "Shirt size",
        "--kind",
        "choice",
        "--choice",
        "S",
        "--choice",
        "M",
    ]);
    let bad_kind = cli.run(&["attribute", "add", "Desk", "--kind", "colour"]);
    assert!(!bad_kind.status.success());
    assert!(String::from_utf8_lossy(&bad_kind.stderr).contains("use one of: text, number"));
    assert_eq!(cli.ok(&["attribute", "list"]).as_array().unwrap().len(), 2);

    let add = |email: &str, badge: &str, size: &str| {
        cli.run(&[
            "--json",
            "user",
            "add",
            "--email",
            email,
            "--first",
            "A",
            "--last",
            "B",
            "--set",
            &format!("badge_number={badge}"),
            "--set",
            &format!("Shirt size={size}"),
        ])
    };
    let ada = add("ada@example.org", "7", "m");
    assert!(ada.status.success());
    let ada: Value = serde_json::from_slice(&ada.stdout).unwrap();
    assert_eq!(
        ada["attributes"],
        serde_json::json!({"badge_number": "7", "shirt_size": "M"})
    );
    assert!(add("bob@example.org", "12", "S").status.success());
    let taken = add("cy@example.org", "7", "S");
    assert!(!taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("already held"));

    let medium = cli.ok(&["user", "list", "--attribute", "shirt_size=M"]);
    assert_eq!(medium["total"], 1);
    // By size, not as text: 12 before 7, largest first.
    let by_badge = cli.ok(&["user", "list", "--sort", "badge_number:desc"]);
    assert_eq!(by_badge["users"][0]["email"], "bob@example.org");

    let held = cli.fails(&["attribute", "edit", "shirt_size", "--remove-choice", "M"]);
    assert_eq!(held["code"], "validation");
    assert_eq!(held["fields"][0]["field"], "choices");
    assert!(
        held["fields"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("1 user holds M"),
        "{held}"
    );
    let edited = cli.ok(&[
        "attribute",
        "edit",
        "shirt_size",
        "--label",
        "T-shirt size",
        "--add-choice",
        "L",
        "--required",
        "yes",
    ]);
    assert_eq!(
        (&edited["label"], &edited["choices"], &edited["required"]),
        (
            &serde_json::json!("T-shirt size"),
            &serde_json::json!(["S", "M", "L"]),
            &serde_json::json!(true)
        )
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    cli.ok(&["export", "users", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.ends_with(",badge_number,shirt_size"), "{header}");
    assert!(text.contains(",7,M"), "{text}");

    let unconfirmed = cli.fails(&["attribute", "remove", "shirt_size"]);
    assert_eq!(unconfirmed["code"], "confirmation_required");
    assert!(
        unconfirmed["message"]
            .as_str()
            .unwrap()
            .contains("values for 2 users")
    );
    let removed = cli.ok(&["attribute", "remove", "shirt_size", "--yes"]);
    assert_eq!(removed["values"], 2);
    assert_eq!(
        cli.ok(&["user", "show", "ada"])["attributes"],
        serde_json::json!({"badge_number": "7"})
    );
    let trail = cli.ok(&["audit", "list", "--action", "attribute.delete"]);
    assert_eq!(trail[0]["target"]["name"], "shirt_size");
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let cli = Cli::new();
    cli.ok(ADA);
    let (users, entries) = (cli.total(), cli.audit_count());

    let err = cli.fails(&[
        "user", "add", "--email", "nope", "--first", "", "--last", "X",
    ]);
    assert_eq!(err["code"], "validation");
    let fields: Vec<_> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["first_name", "email"]);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("name@example.com")
    );

    let err = cli.fails(&[
        "user",
        "add",
        "--email",
        "ADA@example.org",
        "--first",
        "A",
        "--last",
        "B",
    ]);
    assert_eq!(err["code"], "conflict");
    assert_eq!(err["fields"][0]["field"], "email");

    let long = "x".repeat(121);
    let err = cli.fails(&[
        "user",
        "add",
        "--email",
        "l@example.org",
        "--first",
        &long,
        "--last",
        "B",
    ]);
    assert_eq!(
        err["message"],
        "first_name: first name is 121 characters long; shorten it to at most 120"
    );

    let err = cli.fails(&["user", "list", "--sort", "password"]);
    assert_eq!(err["code"], "usage");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("cannot sort by 'password'")
    );

    let err = cli.fails(&[
        "user",
        "add",
        "--email",
        "r@example.org",
        "--first",
        "R",
        "--last",
        "R",
        "--status",
        "frozen",
    ]);
    assert_eq!(err["code"], "usage");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("use one of: staged, active")
    );

    let err = cli.fails(&["user", "edit", "ada", "--email", "bad@"]);
    assert_eq!(err["fields"][0]["field"], "email");

    let err = cli.fails(&["user", "delete", "ada"]);
    assert_eq!(err["code"], "confirmation_required");

    let err = cli.fails(&["user", "show", "ghost"]);
    assert_eq!(err["code"], "not_found");
    assert_eq!(err["message"], "no user with username 'ghost'");

    assert_eq!(cli.total(), users, "no user was added or removed");
    assert_eq!(cli.audit_count(), entries, "no audit entry was written");

    let human = cli.run(&[
        "user", "add", "--email", "nope", "--first", "A", "--last", "B",
    ]);
    assert!(!human.status.success());
    let text = String::from_utf8(human.stderr).unwrap();
    assert!(
        text.starts_with("roster: email: 'nope' is not a valid email address"),
        "{text}"
    );
}

#[test]
fn status_transitions_and_illegal_ones() {
    let cli = Cli::new();
    cli.ok(ADA);
    cli.ok(&[
        "user",
        "add",
        "--email",
        "alan@example.org",
        "--first",
        "Alan",
        "--last",
        "Turing",
        "--status",
        "active",
    ]);
    let out = cli.ok(&["user", "suspend", "ada", "alan"]);
    assert_eq!(out["users"][0]["status"], "suspended");
    assert_eq!(out["users"][1]["status"], "suspended");

    let err = cli.fails(&["user", "lock", "ada"]);
    assert_eq!(err["code"], "illegal_transition");
    assert_eq!(
        err["message"],
        "cannot lock: ada is suspended, which already blocks sign-in; unsuspend first; nothing was changed"
    );

    cli.ok(&["user", "unsuspend", "ada"]);
    let err = cli.fails(&["user", "unsuspend", "ada", "alan"]);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("ada is active, so cannot be told to unsuspend")
    );
    assert_eq!(
        cli.ok(&["user", "show", "alan"])["status"],
        "suspended",
        "the batch wrote nothing"
    );

    cli.ok(&["user", "lock", "ada"]);
    assert_eq!(cli.ok(&["user", "show", "ada"])["status"], "locked");
    cli.ok(&["user", "unlock", "ada"]);
    assert_eq!(cli.ok(&["user", "show", "ada"])["status"], "active");
}

#[test]
fn audit_shows_actor_and_before_after() {
    let cli = Cli::new();
    cli.ok(ADA);
    cli.ok(&["user", "edit", "ada", "--last", "King", "--team", ""]);
    cli.ok(&["user", "suspend", "ada"]);
    let entries = cli.ok(&["audit", "list", "--user", "ada"]);
    let entries = entries.as_array().unwrap();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["user.suspend", "user.update", "user.create"]);
    for entry in entries {
        assert_eq!(entry["actor"], whoami::username().as_str());
        assert_eq!(entry["origin"], "cli");
        assert!(!entry["workstation"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        entries[1]["changes"],
        serde_json::json!([
            {"field": "last_name", "before": "Lovelace", "after": "King"},
            {"field": "team", "before": "Research", "after": null},
        ])
    );
    assert_eq!(
        entries[0]["changes"][0],
        serde_json::json!({"field": "status", "before": "active", "after": "suspended"})
    );

    let id = cli.ok(&["user", "show", "ada"])["id"].as_i64().unwrap();
    cli.ok(&["user", "delete", "ada", "--yes"]);
    let entries = cli.ok(&["audit", "list", "--limit", "1"]);
    assert_eq!(entries[0]["action"], "user.delete");
    assert_eq!(
        entries[0]["target"]["name"],
        format!("Deleted User (ID: {id})")
    );
}

/// What an auditor runs: filters, an export, a verify that saves and later checks an
/// anchor, and a purge by the retention setting.
#[test]
fn audit_export_verify_and_purge() {
    let cli = Cli::new();
    cli.ok(ADA);
    cli.ok(ALAN);
    cli.ok(&["user", "suspend", "ada"]);
    let suspended = cli.ok(&[
        "audit",
        "list",
        "--action",
        "user.suspend",
        "--origin",
        "cli",
    ]);
    assert_eq!(suspended.as_array().unwrap().len(), 1);
    assert_eq!(
        cli.ok(&["audit", "list", "--since", "2999-01-01"]),
        serde_json::json!([])
    );
    let bad = cli.fails(&["audit", "list", "--until", "last tuesday"]);
    assert!(
        bad["message"].as_str().unwrap().contains("YYYY-MM-DD"),
        "{bad}"
    );

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("audit.csv");
    let done = cli.ok(&["audit", "export", csv.to_str().unwrap(), "--search", "ADA"]);
    assert_eq!(done["entries"], 2, "ada's creation and suspension");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("id,at,actor,workstation,origin,action,description,"));
    assert_eq!(text.matches("user.suspend").count(), 1);
    let jsonl = dir.path().join("audit.jsonl");
    cli.ok(&[
        "audit",
        "export",
        jsonl.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    assert_eq!(lines.lines().count(), cli.audit_count());
    let first: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(first["action"], "user.suspend");

    let anchor = dir.path().join("anchor.txt");
    let report = cli.ok(&["audit", "verify", "--save-anchor", anchor.to_str().unwrap()]);
    assert_eq!(report["problem"], Value::Null);
    assert_eq!(report["entries"], cli.audit_count());
    assert!(
        std::fs::read_to_string(&anchor)
            .unwrap()
            .starts_with("roster-audit-anchor-v1 entry=")
    );
    cli.ok(&["user", "unsuspend", "ada"]);
    let later = cli.ok(&["audit", "verify", "--anchor", anchor.to_str().unwrap()]);
    assert_eq!(later["anchor_check"], "confirmed");

    let forever = cli.fails(&["audit", "purge"]);
    assert!(
        forever["message"]
            .as_str()
            .unwrap()
            .contains("kept forever"),
        "{forever}"
    );
    cli.ok(&["settings", "set", "--audit-retention-days", "30"]);
    let purged = cli.ok(&["audit", "purge"]);
    assert_eq!(purged["entries"], 0, "nothing is 30 days old yet");
    let human = cli.run(&["audit", "verify"]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).starts_with("Audit log intact, "));
}

#[test]
fn groups_and_members() {
    let cli = Cli::new();
    cli.ok(ADA);
    cli.ok(&[
        "user",
        "add",
        "--email",
        "alan@example.org",
        "--first",
        "Alan",
        "--last",
        "Turing",
    ]);
    let group = cli.ok(&["group", "add", "Codebreakers", "--description", "Hut 8"]);
    assert_eq!(group["name"], "Codebreakers");
    let err = cli.fails(&["group", "add", "codebreakers"]);
    assert_eq!(err["code"], "conflict");

    assert_eq!(
        cli.ok(&[
            "group",
            "add-member",
            "codebreakers",
            "ada",
            "alan@example.org"
        ])["added"],
        2
    );
    assert_eq!(
        cli.ok(&["group", "add-member", "Codebreakers", "ada"])["added"],
        0
    );
    let members = cli.ok(&["group", "members", "Codebreakers"]);
    assert_eq!(members["total"], 2);
    assert_eq!(
        cli.ok(&[
            "user",
            "list",
            "--group",
            "Codebreakers",
            "--search",
            "alan"
        ])["total"],
        1
    );
    assert_eq!(
        cli.ok(&["group", "remove-member", "Codebreakers", "alan"])["removed"],
        1
    );
    let groups = cli.ok(&["group", "list"]);
    assert_eq!(groups[0]["member_count"], 1);

    assert_eq!(
        cli.fails(&["group", "delete", "Codebreakers"])["code"],
        "confirmation_required"
    );
    cli.ok(&["group", "delete", "Codebreakers", "--yes"]);
    assert_eq!(cli.ok(&["group", "list"]), serde_json::json!([]));
    assert_eq!(
        cli.fails(&["group", "members", "Codebreakers"])["code"],
        "not_found"
    );
}

#[test]
fn organizations_are_added_renamed_and_deleted() {
    let cli = Cli::new();
    let added = cli.ok(&["org", "add", "Acme", "Globex"]);
    assert_eq!(added[1]["name"], "Globex");
    assert_eq!(cli.fails(&["org", "add", "ACME"])["code"], "conflict");
    let empty = cli.fails(&["org", "add", " "]);
    assert!(
        empty["message"].as_str().unwrap().contains("name"),
        "{empty}"
    );
    cli.ok(&[
        "user",
        "add",
        "--email",
        "ada@example.org",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
        "--org",
        "acme",
    ]);
    cli.ok(&["group", "add", "Ops", "--org", "Acme"]);
    let listed = cli.ok(&["org", "list"]);
    assert_eq!(listed[0]["name"], "Acme");
    assert_eq!(
        (listed[0]["users"].as_i64(), listed[0]["groups"].as_i64()),
        (Some(1), Some(1))
    );

    let renamed = cli.ok(&["org", "rename", "acme", "Acme Ltd"]);
    assert_eq!(renamed["name"], "Acme Ltd");
    assert_eq!(cli.ok(&["user", "show", "ada"])["organization"], "Acme Ltd");

    let unconfirmed = cli.fails(&["org", "delete", "Acme Ltd", "--move-to", "Globex"]);
    assert_eq!(unconfirmed["code"], "confirmation_required");
    assert!(
        unconfirmed["message"]
            .as_str()
            .unwrap()
            .contains("moves its 1 user and 1 group to Globex"),
        "{unconfirmed}"
    );
    let in_use = cli.fails(&["org", "delete", "Acme Ltd", "--yes"]);
    assert_eq!(in_use["code"], "conflict");
    assert!(
        in_use["message"]
            .as_str()
            .unwrap()
            .contains("still has 1 user and 1 group"),
        "{in_use}"
    );
    cli.ok(&["org", "delete", "Acme Ltd", "--move-to", "globex", "--yes"]);
    assert_eq!(cli.ok(&["user", "show", "ada"])["organization"], "Globex");
    let listed = cli.ok(&["org", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        cli.fails(&["org", "rename", "Acme Ltd", "Back"])["code"],
        "not_found"
    );

    // An account limited to one organization, shown, then given the whole directory back.
    let scoped = cli.ok(&["org", "scope", "ada", "globex"]);
    assert_eq!(scoped["organizations"], serde_json::json!(["Globex"]));
    assert_eq!(cli.ok(&["org", "list"])[0]["accounts"], 1);
    assert_eq!(
        cli.ok(&["org", "scope", "ada"])["organizations"],
        serde_json::json!(["Globex"])
    );
    let whole = cli.ok(&["org", "scope", "ada", "--whole-directory"]);
    assert_eq!(whole["organizations"], Value::Null);
    assert_eq!(
        cli.fails(&["org", "scope", "ada", "Nowhere"])["code"],
        "not_found"
    );
    let audit = cli.ok(&["audit", "list"]);
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "organization.delete"),
        "{audit}"
    );
}

#[test]
fn database_commands() {
    let cli = Cli::sqlite();
    let status = cli.ok(&["db", "status"]);
    assert_eq!(status["backend"], "sqlite");
    assert_eq!(status["pending"], serde_json::json!([]));
    assert_eq!(status["version"], status["latest"]);
    assert_eq!(cli.ok(&["db", "migrate"])["applied"], serde_json::json!([]));

    cli.ok(ADA);
    let backup = cli.db.dir.path().join("backup.db");
    cli.ok(&["db", "backup", backup.to_str().unwrap()]);
    let err = cli.fails(&["db", "backup", backup.to_str().unwrap()]);
    assert!(err["message"].as_str().unwrap().contains("already exists"));

    let restored = Command::new(built_binary("roster"))
        .args([
            "--json",
            "--db",
            &roster_store::sqlite_url(&backup),
            "user",
            "show",
            "ada",
        ])
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "the backup opens and holds the data"
    );

    // Into the backups folder, listed, and restored only when confirmed.
    let taken = cli.ok(&["db", "backup"]);
    let name = taken["file"]["name"].as_str().unwrap().to_owned();
    assert!(name.starts_with("roster-backup-"), "{taken}");
    assert_eq!(taken["users"], 1);
    assert_eq!(taken["chain"]["problem"], Value::Null);
    let listed = cli.ok(&["db", "backups"]);
    assert_eq!(listed["backups"][0]["name"], name.as_str(), "{listed}");
    let in_folder = cli.db.dir.path().join("backups").join(&name);
    assert!(in_folder.is_file());
    cli.ok(&[
        "user",
        "add",
        "--email",
        "grace@example.org",
        "--first",
        "Grace",
        "--last",
        "Hopper",
    ]);
    let file = in_folder.to_str().unwrap();
    let asked = cli.fails(&["db", "restore", file]);
    assert_eq!(asked["code"], "confirmation_required", "{asked}");
    assert_eq!(cli.total(), 2, "nothing restored without --yes");
    let restored = cli.ok(&["db", "restore", file, "--yes"]);
    assert_eq!(restored["from"]["users"], 1, "{restored}");
    assert_eq!(cli.total(), 1);
    let aside = restored["kept_aside"]["name"].as_str().unwrap();
    assert!(aside.starts_with("roster-before-restore-"), "{restored}");
    let listed = cli.ok(&["db", "backups"]);
    assert_eq!(listed["backups"].as_array().unwrap().len(), 2, "{listed}");
    // The daily backup from a scheduler: one was taken just now, so none is due.
    assert_eq!(cli.ok(&["run-due"])["backup"], Value::Null);

    let missing = cli.db.dir.path().join("typo.db");
    let out = Command::new(built_binary("roster"))
        .args([
            "--json",
            "--db",
            &roster_store::sqlite_url(&missing),
            "user",
            "list",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("create it with `roster db init`")
    );
    assert!(
        !missing.exists(),
        "a mistyped path does not create an empty database"
    );

    let out = Command::new(built_binary("roster"))
        .args(["--json", "user", "list"])
        .env("ROSTER_DATABASE_URL", &cli.db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ROSTER_DATABASE_URL selects the database"
    );
}

/// Runs an independent tool (from Debian; `cargo xtask test` installs it) and returns its
/// trimmed standard output.
fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is installed (cargo xtask test installs it): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn reset_2fa_writes_qr_codes_that_decode_and_oathtool_codes_sign_in() {
    let cli = Cli::new();
    cli.ok(ADA);
    let out = cli.run_with_input(
        &["user", "set-password", "ada", "--password-stdin"],
        "correct horse battery staple\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = cli.db.dir.path();
    let png = dir.join("ada.png");
    let svg = dir.join("ada.svg");
    let reset = cli.ok(&[
        "user",
        "reset-2fa",
        "ada",
        "--qr-png",
        png.to_str().unwrap(),
        "--qr-svg",
        svg.to_str().unwrap(),
    ]);
    let uri = reset[0]["uri"].as_str().unwrap().to_owned();
    assert!(
        uri.starts_with("otpauth://totp/Roster:ada?secret="),
        "{uri}"
    );
    assert_eq!(
        tool("zbarimg", &["--quiet", "--raw", png.to_str().unwrap()]),
        uri
    );
    #[cfg(unix)]
    for file in [&png, &svg] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} carries the TOTP secret", file.display());
    }
    // The SVG, rasterised by librsvg, decodes to the same URI.
    let rasterised = dir.join("from-svg.png");
    tool(
        "rsvg-convert",
        &[
            "--width",
            "400",
            "--keep-aspect-ratio",
            "--background-color",
            "white",
            "--output",
            rasterised.to_str().unwrap(),
            svg.to_str().unwrap(),
        ],
    );
    assert_eq!(
        tool(
            "zbarimg",
            &["--quiet", "--raw", rasterised.to_str().unwrap()]
        ),
        uri
    );

    let secret = uri
        .split("secret=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let code = tool("oathtool", &["--totp", "-b", &secret]);
    cli.ok(&["user", "activate-2fa", "ada", "--code", &code]);

    let verify = |totp: Option<&str>| {
        let mut args = vec![
            "user",
            "verify-login",
            "ada@example.org",
            "--password-stdin",
        ];
        if let Some(code) = totp {
            args.extend(["--totp", code]);
        }
        cli.run_with_input(&args, "correct horse battery staple\n")
    };
    let error_code = |out: &Output| -> String {
        assert!(!out.status.success());
        let body: Value = serde_json::from_slice(&out.stderr).unwrap();
        body["error"]["code"].as_str().unwrap().to_owned()
    };
    assert_eq!(error_code(&verify(None)), "second_factor_required");
    assert_eq!(
        error_code(&verify(Some(&code))),
        "bad_code",
        "a used code is refused"
    );
    let next = tool(
        "oathtool",
        &["--totp", "-b", "-N", "now + 30 seconds", &secret],
    );
    let out = verify(Some(&next));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["stage"], "ready");
    let wrong = cli.run_with_input(
        &["user", "verify-login", "ada", "--password-stdin"],
        "not it at all\n",
    );
    assert_eq!(error_code(&wrong), "bad_credentials");

    let attempts = cli.ok(&["user", "sign-ins", "ada"]);
    assert_eq!(
        attempts.as_array().unwrap().len(),
        3,
        "three complete attempts: {attempts}"
    );
}

#[test]
fn tokens_are_issued_listed_and_revoked() {
    let cli = Cli::new();
    cli.ok(ADA);
    let issued = cli.ok(&["token", "issue", "ada", "--days", "20"]);
    let text = issued["text"].as_str().unwrap();
    assert_eq!(text.len(), 32);
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    cli.ok(&["token", "issue", "ada"]);
    let soon = cli.ok(&["token", "list", "--expiring-within", "30"]);
    assert_eq!(soon.as_array().unwrap().len(), 1);
    assert_eq!(soon[0]["days_left"], 20);
    assert_eq!(soon[0]["display"], format!("…{}", &text[28..]));
    let id = soon[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(cli.ok(&["token", "revoke", &id])["state"], "revoked");
    assert_eq!(
        cli.fails(&["token", "revoke", &id])["code"],
        "illegal_transition"
    );
    assert_eq!(
        cli.ok(&["token", "list", "--user", "ada", "--state", "active"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        cli.fails(&["token", "issue", "ada", "--days", "0"])["code"],
        "validation"
    );
}

/// `roster device enroll` as an enrollment script on a new Mac would run it.
fn enroll(token: &str, name: &str, serial: &str) -> Vec<String> {
    [
        "device",
        "enroll",
        "--token",
        token,
        "--name",
        name,
        "--os",
        "macOS",
        "--serial",
        serial,
        "--model",
        "MacBook Air",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn devices_enroll_with_a_token_as_a_script_would() {
    let cli = Cli::new();
    cli.ok(ADA);
    cli.ok(ALAN);
    cli.ok(&["user", "activate", "alan"]);
    let token = cli.ok(&["token", "issue", "ada"]);
    let text = token["text"].as_str().unwrap();
    let device = cli.ok(&strs(&enroll(text, "MAC-ADA", "C02X1")));
    assert_eq!(device["owner"], "ada");
    assert_eq!(device["organization"], "Analytical Engines");
    assert_eq!(device["os"], "macos");
    assert_eq!(device["token"], token["token"]["display"]);
    assert_eq!(cli.ok(&["user", "show", "ada"])["device_count"], 1);
    let used = cli.ok(&["token", "list", "--user", "ada"]);
    assert!(used[0]["last_used_at"].is_string(), "{used}");
    let entry = &cli.ok(&["audit", "list", "--limit", "1"])[0];
    assert_eq!(
        (&entry["action"], &entry["actor"]),
        (&"device.enroll".into(), &"ada".into())
    );

    // The same serial number in the same organization is refused, naming the field.
    let again = cli.fails(&strs(&enroll(text, "MAC-ADA-2", "c02x1")));
    assert_eq!(again["code"], "conflict");
    assert!(
        again["message"].as_str().unwrap().contains("serial number"),
        "{again}"
    );

    // Each refusal says why: revoked, expired (on a date), a suspended owner.
    let revoked = cli.ok(&["token", "issue", "ada"]);
    let revoked_id = revoked["token"]["id"].to_string();
    cli.ok(&["token", "revoke", &revoked_id]);
    let refused = cli.fails(&strs(&enroll(revoked["text"].as_str().unwrap(), "PC", "")));
    assert_eq!(refused["code"], "illegal_transition");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("was revoked on "),
        "{refused}"
    );

    let expired = cli.ok(&["token", "issue", "alan", "--days", "1"]);
    let expired_id = expired["token"]["id"].as_i64().unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(cli.db.tamper(&format!(
            "UPDATE user_tokens SET expires_at = 1700000000000 WHERE id = {expired_id}"
        )));
    let refused = cli.fails(&strs(&enroll(expired["text"].as_str().unwrap(), "PC", "")));
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2023-11-14"),
        "{refused}"
    );

    let alans = cli.ok(&["token", "issue", "alan"]);
    cli.ok(&["user", "suspend", "alan"]);
    let refused = cli.fails(&strs(&enroll(alans["text"].as_str().unwrap(), "PC", "")));
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("alan, who is suspended"),
        "{refused}"
    );
    let refused = cli.fails(&strs(&enroll("not-a-token", "PC", "")));
    assert_eq!(refused["code"], "validation");
    let refused = cli.fails(&[
        "device", "enroll", "--token", text, "--name", "PC", "--os", "BeOS",
    ]);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Windows, macOS, Linux, Android, iOS"),
        "{refused}"
    );
    assert_eq!(cli.ok(&["device", "list"])["total"], 1);

    // Admins list, edit, reassign, retire and delete.
    let id = device["id"].to_string();
    let listed = cli.ok(&["device", "list", "--os", "macos", "--user", "ada"]);
    assert_eq!(listed["devices"][0]["name"], "MAC-ADA");
    let edited = cli.ok(&["device", "edit", &id, "--name", "MAC-ADA-OLD"]);
    assert_eq!(edited["name"], "MAC-ADA-OLD");
    assert_eq!(edited["serial"], "C02X1");
    cli.ok(&["user", "unsuspend", "alan"]);
    let moved = cli.ok(&["device", "reassign", &id, "--to", "alan"]);
    assert_eq!(moved[0]["owner"], "alan");
    assert_eq!(cli.ok(&["user", "show", "ada"])["device_count"], 0);
    assert_eq!(cli.ok(&["device", "retire", &id])[0]["state"], "retired");
    assert_eq!(cli.ok(&["user", "show", "alan"])["device_count"], 0);
    assert_eq!(
        cli.fails(&["device", "delete", &id])["code"],
        "confirmation_required"
    );
    assert_eq!(cli.ok(&["device", "delete", &id, "--yes"])["deleted"], 1);
    assert_eq!(cli.fails(&["device", "show", &id])["code"], "not_found");

    // A deleted user's devices go to who the admin names.
    cli.ok(&strs(&enroll(text, "MAC-ADA", "C02X1")));
    cli.ok(&[
        "user",
        "delete",
        "ada",
        "--give-devices-to",
        "alan",
        "--yes",
    ]);
    let kept = cli.ok(&["device", "list", "--user", "alan"]);
    assert_eq!(kept["devices"][0]["name"], "MAC-ADA");

    // An asset list from a spreadsheet: owners matched by email, all or nothing.
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets.csv");
    std::fs::write(
        &assets,
        "Device Name;Operating System;Serial Number;Model;Assigned To\n\
         PC-ALAN;Windows;SN-9;OptiPlex 7010;alan@example.org\n\
         =1+2;Linux;;;ALAN@example.org\n\
         OLD-PC;BeOS;;;nobody@example.org\n",
    )
    .unwrap();
    let path = assets.to_str().unwrap();
    let refused = cli.fails(&["import", "devices", path]);
    assert_eq!(refused["code"], "validation");
    let fields: Vec<&str> = refused["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["line 4, os", "line 4, owner"], "{refused}");
    assert_eq!(cli.ok(&["device", "list"])["total"], 1);
    let imported = cli.ok(&["import", "devices", path, "--skip-invalid"]);
    assert_eq!(imported["created"], 2, "{imported}");
    assert_eq!(cli.ok(&["user", "show", "alan"])["device_count"], 3);
    let again = cli.ok(&["import", "devices", path, "--skip-invalid", "--dry-run"]);
    assert!(
        again["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("serial number SN-9 is already recorded"),
        "{again}"
    );

    // The export writes owners by email and guards a formula-like name.
    let exported = dir.path().join("devices.csv");
    let out = cli.ok(&[
        "export",
        "devices",
        exported.to_str().unwrap(),
        "--os",
        "linux",
    ]);
    assert_eq!(out["devices"], 1);
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.starts_with("name,os,model,serial,owner,organization,state,"),
        "{text}"
    );
    assert!(text.contains("\n'=1+2,Linux,,,alan@example.org,"), "{text}");
}

#[test]
fn settings_change_the_policy_and_refuse_bad_values() {
    let cli = Cli::new();
    assert_eq!(cli.ok(&["settings", "show"])["min_password_chars"], 15);
    let set = cli.ok(&[
        "settings",
        "set",
        "--organization-name",
        "Acme Ltd",
        "--min-password-chars",
        "20",
        "--smtp-host",
        "smtp.example.org",
        "--smtp-security",
        "tls",
        "--smtp-from",
        "it@example.org",
    ]);
    assert_eq!(set["organization_name"], "Acme Ltd");
    assert_eq!(set["smtp"]["port"], 465, "TLS implies port 465");
    let error = cli.fails(&["settings", "set", "--min-password-chars", "3"]);
    assert_eq!(error["code"], "validation");
    assert_eq!(error["fields"][0]["field"], "min_password_chars");
    assert_eq!(
        cli.ok(&["settings", "show"])["min_password_chars"],
        20,
        "nothing written"
    );

    // The new minimum applies at once, and the QR issuer is the organization's name.
    cli.ok(ADA);
    let short = cli.run_with_input(
        &["user", "set-password", "ada", "--password-stdin"],
        "nineteen characters",
    );
    assert!(!short.status.success());
    let reset = cli.ok(&["user", "reset-2fa", "ada"]);
    assert!(
        reset[0]["uri"]
            .as_str()
            .unwrap()
            .contains("issuer=Acme%20Ltd"),
        "{reset}"
    );
    assert!(cli.ok(&["settings", "set", "--no-smtp"])["smtp"].is_null());
}

/// `roster user list | head -3`: the reader goes away early, and the command ends quietly,
/// without a panic or a backtrace.
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let cli = Cli::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (roster, _clock) = cli.db.roster().await;
        roster_tests::seed::seed(&roster, &roster_tests::test_actor(), 0, 1_000)
            .await
            .unwrap();
    });
    // A thousand rows are far more than a pipe holds, so the writer meets the closed end.
    let mut child = Command::new(built_binary("roster"))
        .args(["--db", &cli.db.url, "user", "list", "--limit", "1000"])
        .env_remove("ROSTER_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "{stderr}");
}

/// A file name that is not valid UTF-8 (Linux allows it) gets a clear refusal, not a panic.
#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_refused_clearly() {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"/tmp/r\xe9sum\xe9.db");
    for json in [false, true] {
        let mut command = Command::new(built_binary("roster"));
        if json {
            command.arg("--json");
        }
        let out = command
            .arg("--db")
            .arg(name)
            .args(["user", "list"])
            .env_remove("ROSTER_DATABASE_URL")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("UTF-8"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

fn fixture_path(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/csv")
        .join(name)
        .display()
        .to_string()
}

/// `roster import users FILE`: the format recognised, every column accounted for, the
/// users written; a dry run and a refused file write nothing, and the problems can be
/// saved as a CSV report.
#[test]
fn import_users_from_a_spreadsheet() {
    let cli = Cli::new();
    let dry = cli.ok(&[
        "import",
        "users",
        &fixture_path("entra.csv"),
        "--dry-run",
        "--accept-passwords",
    ]);
    assert_eq!(dry["format"], "entra");
    assert_eq!(dry["written"], false);
    assert_eq!(dry["rows"], 3);
    let ignored: Vec<&str> = dry["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["field"].is_null())
        .map(|c| c["header"].as_str().unwrap())
        .collect();
    assert!(
        ignored.contains(&"Usage location [usageLocation]"),
        "{ignored:?}"
    );
    assert!(!ignored.contains(&"Job title [jobTitle]"), "{ignored:?}");
    assert_eq!(cli.total(), 0);

    let refused = cli.fails(&["import", "users", &fixture_path("entra.csv")]);
    assert_eq!(refused["code"], "validation");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("plain-text passwords"),
        "{refused}"
    );

    let done = cli.ok(&["import", "users", &fixture_path("google.csv")]);
    assert_eq!(
        (done["created"].as_u64(), done["written"].as_bool()),
        (Some(4), Some(true))
    );
    assert_eq!(cli.total(), 4);

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("staff.csv");
    std::fs::write(
        &bad,
        "Email Address [Required],First Name [Required],Last Name [Required]\n\
         ada.lovelace@example.org,Ada,Again\n\
         ok@example.org,Ok,Fine\n",
    )
    .unwrap();
    let report = dir.path().join("problems.csv");
    let audit = cli.audit_count();
    let error = cli.fails(&[
        "import",
        "users",
        bad.to_str().unwrap(),
        "--errors",
        report.to_str().unwrap(),
    ]);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("1 of 2 rows have problems, so nothing was imported"),
        "{error}"
    );
    assert_eq!(
        (cli.total(), cli.audit_count()),
        (4, audit),
        "nothing written"
    );
    let saved = std::fs::read_to_string(&report).unwrap();
    assert_eq!(
        saved.lines().collect::<Vec<_>>(),
        [
            "line,column,value,message",
            "2,Email Address [Required],ada.lovelace@example.org,\"ada.lovelace already has this email; leave the row out, change the email, or import as an update of existing users\"",
        ]
    );
    let skipped = cli.ok(&["import", "users", bad.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(
        (skipped["created"].as_u64(), skipped["invalid"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(cli.total(), 5);

    let unknown = cli.fails(&[
        "import",
        "users",
        bad.to_str().unwrap(),
        "--map",
        "Surname=last_name",
    ]);
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("does not have"),
        "{unknown}"
    );
}

/// `roster export users FILE` writes what the list shows (its filters and sort), guarded
/// against formulas; importing the file into an empty database and exporting again gives
/// the same file back, byte for byte.
#[test]
fn export_then_import_round_trips_every_value() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let staff = dir.path().join("staff.csv");
    std::fs::write(
        &staff,
        "email,first_name,last_name,username,phone,organization,team,tags,role,status\n\
         ada@example.org,Ada,\"Lovelace, Countess\",ada,+44 20 7946 0000,Analytical Engines,Research,\"math, poet\",admin,active\n\
         li@example.org,小龍,李,li,,,\"Sales, \"\"EMEA\"\"\",,user,staged\n\
         eve@example.org,=HYPERLINK(\"x\"),@sum,eve,-1,Acme,  Spaces  ,,auditor,suspended\n",
    )
    .unwrap();
    cli.ok(&["import", "users", staff.to_str().unwrap(), "--skip-invalid"]);
    let first = dir.path().join("first.csv");
    let out = cli.ok(&[
        "export",
        "users",
        first.to_str().unwrap(),
        "--sort",
        "email",
    ]);
    assert_eq!(out["users"], 3);
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(
        text.contains("'=HYPERLINK(\"\"x\"\")"),
        "formula guarded: {text}"
    );
    assert!(text.contains(",'@sum,"), "{text}");
    let partial = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".partial"));
    assert_eq!(
        partial, None,
        "the export's partial file is renamed into place"
    );

    let again = Cli::new();
    let imported = again.ok(&["import", "users", first.to_str().unwrap()]);
    assert_eq!(imported["created"], 3);
    let second = dir.path().join("second.csv");
    again.ok(&[
        "export",
        "users",
        second.to_str().unwrap(),
        "--sort",
        "email",
    ]);
    assert_eq!(std::fs::read_to_string(&second).unwrap(), text);

    let only = dir.path().join("active.csv");
    let out = cli.ok(&[
        "export",
        "users",
        only.to_str().unwrap(),
        "--status",
        "active",
        "--columns",
        "email,status",
    ]);
    assert_eq!(out["users"], 1);
    assert_eq!(
        std::fs::read_to_string(&only).unwrap(),
        "email,status\nada@example.org,active\n"
    );
    let bad = cli.fails(&[
        "export",
        "users",
        only.to_str().unwrap(),
        "--columns",
        "email,salary",
    ]);
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("unknown column 'salary'"),
        "{bad}"
    );
}

/// `kill -9` part way through an import of 300,000 rows: its batches were already written
/// into the open transaction, yet none of its users is there afterwards, and SQLite's own
/// integrity check (run by Python's sqlite3, not by Roster) passes.
#[test]
fn an_import_killed_part_way_leaves_nothing_behind() {
    const ROWS: usize = 300_000;
    let cli = Cli::sqlite();
    cli.ok(ADA);
    let file = cli.db.dir.path().join("big.csv");
    let mut text = String::from("email,first_name,last_name,team\n");
    for n in 0..ROWS {
        text.push_str(&format!(
            "bulk{n}@example.org,Bulk,User {n},Team {}\n",
            n % 40
        ));
    }
    std::fs::write(&file, text).unwrap();
    let before = cli.total();
    let wal = cli.db.dir.path().join("roster.db-wal");
    let size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let written_before = size();

    let mut child = Command::new(built_binary("roster"))
        .args([
            "--db",
            &cli.db.url,
            "import",
            "users",
            file.to_str().unwrap(),
            "--activate",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until batches have gone into the transaction: the write-ahead log grows.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while size() < written_before + 4 * 1024 * 1024 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be killed; make the file bigger"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the import wrote nothing in 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(cli.total(), before, "none of the killed import's users");
    let path = cli.db.path();
    let check = tool(
        "python3",
        &[
            "-c",
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(check, "ok");
}

/// Group memberships out to a file and back, and a hand-written file with a bad row.
#[test]
fn group_memberships_export_and_import() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        "users",
        &fixture_path("roster-excel.csv"),
        "--activate",
    ]);
    let dir = cli.db.dir.path();
    let out = dir.join("members.csv");
    let exported = cli.ok(&["export", "members", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().next(), Some("group,username,email"));
    assert!(
        text.contains("Helpdesk,soren,søren.berg@example.org"),
        "{text}"
    );
    assert_eq!(
        exported["memberships"].as_u64(),
        Some(text.lines().count() as u64 - 1)
    );

    // Its own export, read back: nothing to add.
    let again = cli.ok(&["import", "members", out.to_str().unwrap()]);
    assert_eq!(
        (again["created"].as_u64(), again["written"].as_bool()),
        (Some(0), Some(false))
    );

    let file = dir.join("hand.csv");
    std::fs::write(
        &file,
        "Group;Member\nOn call;soren\nOn call;FATIMA.ALI@example.org\nHelpdesk;soren\nGhosts;nobody\n",
    )
    .unwrap();
    let audit = cli.audit_count();
    let refused = cli.fails(&["import", "members", file.to_str().unwrap()]);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("1 of 4 rows have problems"),
        "{refused}"
    );
    assert_eq!(
        refused["fields"][0]["field"], "line 5, Member",
        "problems name the file's own header"
    );
    assert_eq!(cli.audit_count(), audit, "nothing written");
    let done = cli.ok(&[
        "import",
        "members",
        file.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert_eq!(
        (
            done["created"].as_u64(),
            done["unchanged"].as_u64(),
            done["invalid"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let members = cli.ok(&["group", "members", "On call"]);
    assert_eq!(members["total"], 2, "{members}");
}

/// The database holds password hashes and TOTP secrets: Roster creates it, its folder, its
/// write-ahead log, its backups and exports for the owning OS account only, and tightens a
/// database it finds readable by others, saying so on stderr.
#[cfg(unix)]
#[test]
fn the_database_and_its_backups_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("office");
    let path = folder.join("roster.db");
    let url = roster_store::sqlite_url(&path);
    let roster = |args: &[&str]| {
        Command::new(built_binary("roster"))
            .args(["--db", &url, "--json"])
            .args(args)
            .output()
            .unwrap()
    };
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let sidecar = |suffix: &str| dir.path().join(format!("office/roster.db{suffix}"));

    assert!(roster(&["db", "init"]).status.success());
    assert!(roster(ADA).status.success());
    assert_eq!(mode(&folder), 0o700, "the folder Roster created");
    assert_eq!(mode(&path), 0o600, "the database");
    // The write-ahead log and shared memory exist while a connection is open.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let open = runtime.block_on(async {
        let database = roster_store::Database::open(&url, roster_store::OpenMode::MustExist)
            .await
            .unwrap();
        let roster = roster_core::Roster::new(
            database.repository(),
            std::sync::Arc::new(roster_core::SystemClock),
        );
        roster
            .add_user(
                &roster_tests::test_actor(),
                roster_core::NewUser {
                    email: "grace@example.org".into(),
                    first_name: "Grace".into(),
                    last_name: "Hopper".into(),
                    ..roster_core::NewUser::default()
                },
            )
            .await
            .unwrap();
        database
    });
    for suffix in ["-wal", "-shm"] {
        assert_eq!(mode(&sidecar(suffix)), 0o600, "roster.db{suffix}");
    }
    drop(open);
    let backup = dir.path().join("backup.db");
    assert!(
        roster(&["db", "backup", backup.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(mode(&backup), 0o600, "the backup");
    let export = dir.path().join("people.csv");
    assert!(
        roster(&["export", "users", export.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        mode(&export),
        0o600,
        "an export lists the organisation's people"
    );

    // A file made world-readable behind Roster's back is tightened on the next open.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = roster(&["user", "list"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("now readable by you only"), "{stderr}");
    assert_eq!(mode(&path), 0o600);
    let quiet = roster(&["user", "list"]);
    assert!(quiet.stderr.is_empty(), "no notice once it is private");
}

/// What `roster export` sees of a directory, plus the counts of what it does not show:
/// identical listings mean identical directories.
fn listing(cli: &Cli, name: &str) -> (String, String, u64, usize, Value) {
    let dir = cli.db.dir.path();
    let (users, members) = (
        dir.join(format!("{name}.csv")),
        dir.join(format!("{name}-m.csv")),
    );
    cli.ok(&[
        "export",
        "users",
        users.to_str().unwrap(),
        "--columns",
        "id,username,email,first_name,last_name,phone,organization,team,role,status,two_factor,\
         tags,group_count,identity_provider,created_at,modified_at,last_sign_in_at,\
         password_changed_at,created_by",
    ]);
    cli.ok(&["export", "members", members.to_str().unwrap()]);
    (
        std::fs::read_to_string(users).unwrap(),
        std::fs::read_to_string(members).unwrap(),
        cli.total(),
        cli.audit_count(),
        cli.ok(&["settings", "show"]),
    )
}

/// `roster db copy` moves the office's SQLite file onto PostgreSQL, from there onto MariaDB
/// and back into a new file: every listing is the same at each step, secrets and tokens
/// arrive (the password still signs in), a non-empty target is refused unless told, and
/// new users on the target get new ids.
#[test]
fn db_copy_moves_a_directory_between_every_backend_unchanged() {
    let (Some(pg), Some(my)) = (
        TempDatabase::on_server(Server::Postgres),
        TempDatabase::on_server(Server::MySql),
    ) else {
        return; // ROSTER_SKIP_SERVER_TESTS=1
    };
    let office = Cli::sqlite();
    office.ok(ADA);
    office.ok(&[
        "user",
        "add",
        "--email",
        "zoe@example.org",
        "--first",
        "Zoë",
        "--last",
        "Ōkubo",
        "--tag",
        "VIP",
        "--tag",
        "Remote",
        "--status",
        "active",
    ]);
    office.ok(&["group", "add", "Codebreakers"]);
    office.ok(&[
        "group",
        "add-member",
        "Codebreakers",
        "ada",
        "zoe@example.org",
    ]);
    office.ok(&["token", "issue", "ada", "--days", "20"]);
    office.ok(&["settings", "set", "--organization-name", "Acme Ltd"]);
    let password = "correct horse battery staple\n";
    let set = office.run_with_input(
        &["user", "set-password", "ada", "--password-stdin"],
        password,
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let before = listing(&office, "office");

    let (on_pg, on_my) = (Cli::on(pg), Cli::on(my));
    let copied = office.ok(&["db", "copy", "--to", &on_pg.db.url]);
    assert_eq!(copied["rows"]["users"], 2, "{copied}");
    assert_eq!(copied["rows"]["credentials"], 1, "{copied}");
    assert_eq!(copied["rows"]["user_tokens"], 1, "{copied}");
    assert_eq!(listing(&on_pg, "pg"), before, "SQLite → PostgreSQL");

    on_pg.ok(&["db", "copy", "--to", &on_my.db.url]);
    assert_eq!(listing(&on_my, "my"), before, "PostgreSQL → MariaDB");

    let back = Cli::sqlite();
    on_my.ok(&["db", "copy", "--to", &back.db.url]);
    assert_eq!(listing(&back, "back"), before, "MariaDB → SQLite");
    let signed_in = back.run_with_input(
        &["user", "verify-login", "ada", "--password-stdin"],
        password,
    );
    assert!(
        signed_in.status.success(),
        "the password hash came through: {}",
        String::from_utf8_lossy(&signed_in.stderr)
    );

    let refused = office.fails(&["db", "copy", "--to", &on_pg.db.url]);
    assert!(
        refused["message"].as_str().unwrap().contains("--replace"),
        "{refused}"
    );
    on_pg.ok(ALAN);
    office.ok(&["db", "copy", "--to", &on_pg.db.url, "--replace"]);
    assert_eq!(listing(&on_pg, "pg-again"), before, "replaced, not merged");
    let added = on_pg.ok(ALAN);
    assert!(
        added["id"].as_i64().unwrap() > 2,
        "a new user after a copy gets a new id: {added}"
    );
}

/// A person at a German terminal reads core's refusals in German; a script reading --json
/// gets the English and the message's code, whatever the locale.
#[test]
fn the_terminals_language_is_the_one_people_read_and_json_stays_english() {
    let cli = Cli::new();
    let add = [
        "user", "add", "--email", "jana@", "--first", "Jana", "--last", "Muster",
    ];
    let german = Command::new(built_binary("roster"))
        .args(["--db", &cli.db.url])
        .args(add)
        .env_remove("ROSTER_DATABASE_URL")
        .env_remove("LANGUAGE")
        .env("LC_ALL", "de_DE.UTF-8")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&german.stderr);
    assert!(!german.status.success());
    assert!(
        stderr.contains("email: „jana@“ ist keine gültige E-Mail-Adresse"),
        "German terminal reads: {stderr}"
    );
    let english = cli.fails(&add);
    assert_eq!(english["fields"][0]["message_id"], "validate-email-invalid");
    assert_eq!(english["fields"][0]["args"]["value"], "jana@");
    assert!(
        english["message"]
            .as_str()
            .unwrap()
            .contains("'jana@' is not a valid email address"),
        "{english}"
    );
}
