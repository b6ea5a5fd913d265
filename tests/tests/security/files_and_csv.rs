//! Items 13 and 15: a spreadsheet is read with bounds, so one huge cell cannot take the
//! machine's memory; and the private files Roster writes (exports, QR codes, problem
//! reports, anchors) never follow a link someone planted where they go.

use roster_tests::{TempDatabase, built_binary};
use serde_json::Value;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `roster` command on a database of its own, driven as tests/tests/cli.rs drives it.
struct Roster {
    db: TempDatabase,
}

impl Roster {
    fn new() -> Self {
        let roster = Roster {
            db: TempDatabase::new(),
        };
        roster.ok(&["db", "init"]);
        roster
    }

    /// `--db URL --json ARGS`.
    fn arguments(&self, args: &[&str]) -> Vec<OsString> {
        ["--db", &self.db.url, "--json"]
            .iter()
            .chain(args)
            .map(OsString::from)
            .collect()
    }

    /// `program` (roster itself, or a wrapper that runs it) with the environment of a script.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env_remove("ROSTER_DATABASE_URL")
            .env("USER", "security-test");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(&built_binary("roster"))
            .args(self.arguments(args))
            .output()
            .expect("run roster")
    }

    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "roster {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    }

    /// Expects a failure; returns what it said on stderr.
    fn fails(&self, args: &[&str]) -> String {
        failed(args, &self.run(args))
    }

    fn run_with_input(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command(&built_binary("roster"))
            .args(self.arguments(args))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
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

    /// Runs roster under GNU time and returns its output and its peak resident memory in
    /// KiB; without GNU time (not Linux, not installed) the memory is not measured.
    fn run_measured(&self, args: &[&str], stats: &Path) -> (Output, Option<u64>) {
        let Some(time) = gnu_time() else {
            return (self.run(args), None);
        };
        let out = self
            .command(&time)
            .args(["-v", "-o"])
            .arg(stats)
            .arg(built_binary("roster"))
            .args(self.arguments(args))
            .output()
            .expect("run roster under GNU time");
        let text = std::fs::read_to_string(stats).unwrap_or_default();
        let peak = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|kib| kib.trim().parse().ok());
        (out, peak)
    }

    fn users(&self) -> u64 {
        self.ok(&["user", "list"])["total"].as_u64().unwrap()
    }

    fn imports_in_audit(&self) -> usize {
        self.ok(&["audit", "list", "--limit", "1000"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["action"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("import"))
            })
            .count()
    }
}

fn failed(args: &[&str], out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "roster {args:?} should have failed; it said: {}…{stderr}",
        stdout.chars().take(600).collect::<String>()
    );
    stderr
}

/// GNU time, when it is there and is GNU's (`-v -o FILE`).
fn gnu_time() -> Option<PathBuf> {
    let time = PathBuf::from("/usr/bin/time");
    let probe = tempfile::NamedTempFile::new().ok()?;
    let works = Command::new(&time)
        .args(["-v", "-o"])
        .arg(probe.path())
        .arg("true")
        .output()
        .is_ok_and(|out| out.status.success());
    let measured = std::fs::read_to_string(probe.path())
        .is_ok_and(|text| text.contains("Maximum resident set size"));
    (works && measured).then_some(time)
}

/// A users file whose line 3 has a first name of `size` bytes, between two good rows.
fn users_file(path: &Path, size: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(b"email,first_name,last_name\nada@example.org,Ada,Lovelace\ngrace@example.org,")
        .unwrap();
    let chunk = [b'x'; 64 * 1024];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        file.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    file.write_all(b",Hopper\nalan@example.org,Alan,Turing\n")
        .unwrap();
    file.flush().unwrap();
}

/// Peak memory a read may add over a normal file's. A bounded reader holds one row of at
/// most MAX_ROW_BYTES (twice at worst, as buffers grow); the unbounded one held the 20 MiB
/// cell several times over (about 90 MiB above a normal file), so 16 MiB leaves the
/// allocator room and still tells them apart.
const MEMORY_MARGIN_KIB: u64 = 16 * 1024;

#[test]
fn item_13_csv_reading_is_bounded() {
    let roster = Roster::new();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();

    // One byte over the cell limit, in a row far under the row limit.
    let over_cell = path("over-cell.csv");
    users_file(Path::new(&over_cell), roster_csv::MAX_CELL_BYTES + 1);
    let said = roster.fails(&["import", "users", &over_cell, "--dry-run"]);
    assert!(said.contains("line 3"), "names the line: {said}");
    assert!(
        said.contains(&format!("{} KiB", roster_csv::MAX_CELL_BYTES / 1024)),
        "names the limit: {said}"
    );
    assert!(said.contains("first_name"), "names the column: {said}");
    // Not a row to skip: the file is refused whole, line 2 included.
    roster.fails(&["import", "users", &over_cell, "--skip-invalid"]);

    // Group memberships and devices are read by the same reader.
    let members = path("members.csv");
    std::fs::write(
        &members,
        format!(
            "group,member\nstaff,ada@example.org\nstaff,{}\n",
            "m".repeat(roster_csv::MAX_CELL_BYTES + 1)
        ),
    )
    .unwrap();
    let said = roster.fails(&["import", "members", &members, "--dry-run"]);
    assert!(said.contains("line 3"), "names the line: {said}");
    let devices = path("devices.csv");
    std::fs::write(
        &devices,
        format!(
            "name,os,owner\nlaptop-1,Linux,ada@example.org\n{},Linux,ada@example.org\n",
            "d".repeat(roster_csv::MAX_CELL_BYTES + 1)
        ),
    )
    .unwrap();
    let said = roster.fails(&["import", "devices", &devices, "--dry-run"]);
    assert!(said.contains("line 3"), "names the line: {said}");

    // Far over the row limit: stopped while reading, with memory as for a normal file.
    let normal = path("normal.csv");
    users_file(Path::new(&normal), 3);
    let huge = path("huge.csv");
    users_file(Path::new(&huge), 20 * 1024 * 1024);
    let stats = dir.path().join("time.txt");
    let (out, normal_peak) =
        roster.run_measured(&["import", "users", &normal, "--dry-run"], &stats);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = ["import", "users", huge.as_str(), "--dry-run"];
    let (out, huge_peak) = roster.run_measured(&args, &stats);
    let said = failed(&args, &out);
    assert!(said.contains("line 3"), "names the line: {said}");
    assert!(
        said.contains(&format!("{} KiB", roster_csv::MAX_ROW_BYTES / 1024)),
        "names the limit: {said}"
    );
    match (normal_peak, huge_peak) {
        (Some(normal), Some(huge)) => assert!(
            huge < normal + MEMORY_MARGIN_KIB,
            "reading a 20 MiB cell took {huge} KiB at its peak, a normal file {normal} KiB"
        ),
        _ => eprintln!("GNU time is not installed: peak memory not checked"),
    }
    roster.fails(&["import", "users", &huge, "--skip-invalid"]);

    assert_eq!(roster.users(), 0, "nothing was written");
    assert_eq!(roster.imports_in_audit(), 0, "no import was recorded");
}

/// Where each file Roster writes goes, and a file elsewhere that a link planted there
/// points at; the victim must keep its content, and the output be a private file of its own.
#[cfg(unix)]
#[test]
fn item_15_private_files_never_follow_links() {
    use std::os::unix::fs::{MetadataExt, symlink};

    let roster = Roster::new();
    roster.ok(&[
        "user",
        "add",
        "--email",
        "ada@example.org",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
        "--status",
        "active",
    ]);
    let out = roster.run_with_input(
        &["user", "set-password", "ada", "--password-stdin"],
        "correct horse battery staple\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    let text = |path: &Path| path.to_str().unwrap().to_owned();
    let victim = |name: &str| {
        let path = elsewhere.path().join(name);
        std::fs::write(&path, "untouched").unwrap();
        path
    };
    // (what was written, the victim, the output).
    let mut cases: Vec<(&str, PathBuf, PathBuf)> = Vec::new();

    // The export's partial file: `export.partial` is the name Roster used, `export.csv.partial`
    // the one a reader of the docs would guess.
    let export = at("export.csv");
    let target = victim("export");
    symlink(&target, at("export.partial")).unwrap();
    symlink(&target, at("export.csv.partial")).unwrap();
    let out = roster.ok(&["export", "users", &text(&export)]);
    assert_eq!(out["users"], 1);
    cases.push(("export users (link at the partial file)", target, export));

    // A link at the export's own path is replaced, not written through.
    let linked = at("linked.csv");
    let target = victim("linked");
    symlink(&target, &linked).unwrap();
    roster.ok(&["export", "users", &text(&linked)]);
    cases.push(("export users (link at the file)", target, linked));

    // The audit export's partial file.
    let audit = at("audit.csv");
    let target = victim("audit");
    symlink(&target, at("audit.partial")).unwrap();
    symlink(&target, at("audit.csv.partial")).unwrap();
    roster.ok(&["audit", "export", &text(&audit)]);
    cases.push(("audit export (link at the partial file)", target, audit));

    // The QR codes carry the TOTP secret.
    let (png, svg) = (at("qr.png"), at("qr.svg"));
    let (png_target, svg_target) = (victim("png"), victim("svg"));
    symlink(&png_target, &png).unwrap();
    symlink(&svg_target, &svg).unwrap();
    roster.ok(&[
        "user",
        "reset-2fa",
        "ada",
        "--qr-png",
        &text(&png),
        "--qr-svg",
        &text(&svg),
    ]);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    cases.push(("reset-2fa --qr-png", png_target, png));
    cases.push(("reset-2fa --qr-svg", svg_target, svg));

    // A hard link is another way in: opening the path opens the victim itself.
    let problems = at("problems.csv");
    let target = victim("problems");
    std::fs::hard_link(&target, &problems).unwrap();
    let bad = at("bad.csv");
    std::fs::write(&bad, "email,first_name,last_name\nnot-an-email,Bad,Row\n").unwrap();
    roster.fails(&["import", "users", &text(&bad), "--errors", &text(&problems)]);
    assert!(std::fs::read_to_string(&problems).unwrap().contains("line"));
    cases.push(("import --errors (hard link at the file)", target, problems));

    let anchor = at("anchor.txt");
    let target = victim("anchor");
    symlink(&target, &anchor).unwrap();
    roster.ok(&["audit", "verify", "--save-anchor", &text(&anchor)]);
    cases.push(("audit verify --save-anchor", target, anchor));

    let mut wrong = Vec::new();
    for (what, target, output) in &cases {
        if std::fs::read(target).unwrap() != b"untouched" {
            wrong.push(format!("{what} wrote through to {}", target.display()));
        }
        let meta = std::fs::symlink_metadata(output).unwrap();
        if !meta.file_type().is_file() {
            wrong.push(format!(
                "{what}: {} is not a file of its own",
                output.display()
            ));
        } else if meta.nlink() != 1 {
            wrong.push(format!("{what}: {} has other names", output.display()));
        }
        if meta.mode() & 0o777 != 0o600 {
            wrong.push(format!(
                "{what}: {} has mode {:o}, not 600",
                output.display(),
                meta.mode() & 0o777
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let planted = [
        "export.partial",
        "export.csv.partial",
        "audit.partial",
        "audit.csv.partial",
    ];
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".partial") && !planted.contains(&name.as_str()))
        .collect();
    assert!(leftovers.is_empty(), "partial files left: {leftovers:?}");
}
