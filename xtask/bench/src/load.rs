//! `load`: many admins on one directory at once. On a directory of N users, 8 simulated
//! admins read list pages and save users, a helpdesk locks and unlocks, a bulk action
//! suspends and unsuspends 500 users, sign-ins arrive at 50 a minute, and one import of
//! 100,000 rows runs, all at once for S seconds, each admin through a connection pool of its
//! own as a workstation has. Prints p50/p95/p99 per operation (and while the import ran),
//! errors by kind, lost updates (every saved value read back) and `audit verify`.
//!
//! Two ways to break the run on purpose: `--kill-import` runs the import in a process of
//! its own and kills it (SIGKILL) halfway, as a crashed workstation; `--restart "COMMAND"`
//! runs COMMAND (a server restart) two thirds in. Then nothing of the killed import may be in the
//! directory, the others must carry on after their errors, and the chain must verify.

use crate::bench::{flag, users_flag};
use crate::{Result, target_dir};
use roster_core::{
    Actor, ImportOptions, NewUser, Origin, Roster, SetPassword, SignInRequest, Status,
    StatusAction, SystemClock, UserId, UserPatch, UserQuery, UserRef,
};
use roster_store::{Database, OpenMode};
use roster_tests::{seed, test_actor};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ADMINS: usize = 8;
const BULK: usize = 500;
const HELPDESK_USERS: usize = 50;
const SIGN_IN_ACCOUNTS: usize = 4;
const SIGN_IN_EVERY: Duration = Duration::from_millis(1_200);
const PASSWORD: &str = "load test horse battery";
/// What the admins type into the search box.
const SEARCHES: [&str; 6] = ["lov", "ada", "garc", "son", "hop", "li"];

/// One timed operation: when it started (since the run began), how long it took, and the
/// kind of error it ended with.
struct Sample {
    op: &'static str,
    at: Duration,
    took: Duration,
    error: Option<String>,
}

#[derive(Clone)]
struct Recorder {
    began: Instant,
    samples: Arc<Mutex<Vec<Sample>>>,
}

impl Recorder {
    async fn time<T>(
        &self,
        op: &'static str,
        work: impl Future<Output = std::result::Result<T, roster_core::Error>>,
    ) -> Option<T> {
        let started = Instant::now();
        let result = work.await;
        let sample = Sample {
            op,
            at: started - self.began,
            took: started.elapsed(),
            error: result.as_ref().err().map(|e| e.code().as_str().to_owned()),
        };
        self.samples.lock().unwrap().push(sample);
        result.ok()
    }
}

/// A tiny deterministic generator: the same run picks the same users.
struct Picks(u64);

impl Picks {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

pub fn load(args: &[String]) -> Result {
    let backend = flag(args, "--backend").unwrap_or_else(|| "sqlite".into());
    let users = users_flag(args, 100_000)?;
    let number = |name: &str, default: usize| -> Result<usize> {
        flag(args, name).map_or(Ok(default), |n| {
            n.replace('_', "")
                .parse()
                .map_err(|_| format!("{name} takes a number, not '{n}'"))
        })
    };
    let seconds = number("--seconds", 60)? as u64;
    let import = number("--import", 100_000)?;
    if users < ADMINS * 10 {
        return Err(format!("--users must be at least {}", ADMINS * 10));
    }
    let breaks = Breaks {
        kill_import: args.iter().any(|a| a == "--kill-import"),
        restart: flag(args, "--restart"),
    };
    crate::dataset::runtime()?.block_on(run(&backend, users, seconds, import, breaks))
}

/// What the run breaks on purpose, halfway.
struct Breaks {
    /// The import runs in a process of its own, killed with SIGKILL.
    kill_import: bool,
    /// A command run (a server restart).
    restart: Option<String>,
}

/// `load-import URL FILE`: the import of a `--kill-import` run, in the process the run kills.
pub fn import_process(args: &[String]) -> Result {
    let [url, file] = args else {
        return Err("usage: roster-bench load-import URL FILE".into());
    };
    crate::dataset::runtime()?.block_on(async {
        let roster = workstation(url).await?;
        let sheet = roster_csv::open(
            std::fs::File::open(file).map_err(|e| e.to_string())?,
            &roster_csv::ReadOptions::default(),
        )
        .map_err(|e| e.to_string())?;
        roster
            .import_users(&test_actor(), sheet.rows(), &import_options(), &mut |_| {})
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}

fn import_options() -> ImportOptions {
    ImportOptions {
        activate: true,
        source: "load.csv".into(),
        ..ImportOptions::default()
    }
}

/// A fresh, empty database for the run on `backend`; its URL.
async fn fresh_database(backend: &str) -> Result<String> {
    use sqlx::Connection;
    let fail = |e: sqlx::Error| format!("{backend}: {e}");
    match backend {
        "sqlite" => {
            let path = target_dir().join("bench/load.db");
            std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Ok(roster_store::sqlite_url(&path))
        }
        "postgres" => {
            let admin = std::env::var("ROSTER_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let mut conn = sqlx::PgConnection::connect(&admin).await.map_err(fail)?;
            sqlx::raw_sql("DROP DATABASE IF EXISTS roster_load WITH (FORCE)")
                .execute(&mut conn)
                .await
                .map_err(fail)?;
            sqlx::raw_sql("CREATE DATABASE roster_load")
                .execute(&mut conn)
                .await
                .map_err(fail)?;
            Ok(admin.rsplit_once('/').unwrap().0.to_owned() + "/roster_load")
        }
        "mariadb" | "mysql" => {
            let admin = std::env::var("ROSTER_TEST_MYSQL_URL")
                .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
            let mut conn = sqlx::MySqlConnection::connect(&admin).await.map_err(fail)?;
            sqlx::raw_sql(
                "DROP DATABASE IF EXISTS roster_load; CREATE DATABASE roster_load \
                 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            )
            .execute(&mut conn)
            .await
            .map_err(fail)?;
            Ok(admin.rsplit_once('/').unwrap().0.to_owned() + "/roster_load")
        }
        other => Err(format!(
            "--backend is sqlite, postgres or mariadb, not '{other}'"
        )),
    }
}

/// A workstation: Roster on a connection pool of its own.
async fn workstation(url: &str) -> Result<Roster> {
    let database = Database::open(url, OpenMode::CreateIfMissing)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Roster::new(database.repository(), Arc::new(SystemClock)))
}

/// Users for the helpdesk, the bulk action and the sign-ins, active, after the seeded ones.
async fn active_users(roster: &Roster, actor: &Actor, from: usize, count: usize) -> Result {
    let people: Vec<NewUser> = (from..from + count)
        .map(|n| NewUser {
            status: Some(Status::Active),
            ..seed::person(n)
        })
        .collect();
    roster
        .add_users(actor, people)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn run(backend: &str, users: usize, seconds: u64, import: usize, breaks: Breaks) -> Result {
    let url = fresh_database(backend).await?;
    let actor = test_actor();
    let setup = workstation(&url).await?;
    let started = Instant::now();
    seed::seed(&setup, &actor, 0, users)
        .await
        .map_err(|e| e.to_string())?;
    // Ids follow creation order on a fresh database: the seeded users are 1..=users.
    let helpdesk_from = users;
    let bulk_from = helpdesk_from + HELPDESK_USERS;
    let sign_in_from = bulk_from + BULK;
    active_users(&setup, &actor, helpdesk_from, HELPDESK_USERS).await?;
    active_users(&setup, &actor, bulk_from, BULK).await?;
    active_users(&setup, &actor, sign_in_from, SIGN_IN_ACCOUNTS).await?;
    let id_of = |n: usize| UserId(n as i64 + 1);
    let mut logins = Vec::new();
    for n in sign_in_from..sign_in_from + SIGN_IN_ACCOUNTS {
        let choice = SetPassword {
            password: Some(PASSWORD.into()),
            generate: false,
            must_change: false,
            notify: false,
        };
        setup
            .set_password(&actor, &UserRef::Id(id_of(n)), choice)
            .await
            .map_err(|e| e.to_string())?;
        logins.push(seed::person(n).email);
    }
    let file = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    {
        let mut out = std::io::BufWriter::new(file.as_file());
        writeln!(out, "email,first_name,last_name,team").map_err(|e| e.to_string())?;
        for i in 0..import {
            writeln!(out, "load{i}@example.org,Load,Person{i},Imports")
                .map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
    }
    println!(
        "load on {backend}: {users} users seeded in {:.0} s; {seconds} s of 8 admins, a helpdesk, \
         bulk actions, sign-ins and an import of {import} rows",
        started.elapsed().as_secs_f64()
    );

    let recorder = Recorder {
        began: Instant::now(),
        samples: Arc::default(),
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut admins = Vec::new();
    for k in 0..ADMINS {
        let (roster, recorder, actor) = (workstation(&url).await?, recorder.clone(), actor.clone());
        // Each admin saves only its own users (every 8th of the seeded ones), so every value
        // it wrote last must read back.
        let own = users / ADMINS;
        admins.push(tokio::spawn(async move {
            let mut picks = Picks(k as u64 + 1);
            let mut written: HashMap<UserId, String> = HashMap::new();
            let mut saves = 0;
            while Instant::now() < deadline {
                let query = UserQuery {
                    search: SEARCHES[picks.below(SEARCHES.len())].into(),
                    limit: 100,
                    ..UserQuery::default()
                };
                recorder
                    .time("list", roster.list_users(&actor, &query))
                    .await;
                let id = id_of(k + ADMINS * picks.below(own));
                saves += 1;
                let phone = format!("+1 555 {k}{saves:06}");
                let patch = UserPatch {
                    phone: Some(phone.clone()),
                    ..UserPatch::default()
                };
                let saved = recorder
                    .time(
                        "save",
                        roster.edit_user(&actor, &UserRef::Id(id), patch, None),
                    )
                    .await;
                if saved.is_some() {
                    written.insert(id, phone);
                }
            }
            written
        }));
    }
    let helpdesk = {
        let (roster, recorder, actor) = (workstation(&url).await?, recorder.clone(), actor.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while Instant::now() < deadline {
                let user = [UserRef::Id(id_of(helpdesk_from + n % HELPDESK_USERS))];
                n += 1;
                recorder
                    .time(
                        "lock",
                        roster.change_status(&actor, &user, StatusAction::Lock),
                    )
                    .await;
                recorder
                    .time(
                        "unlock",
                        roster.change_status(&actor, &user, StatusAction::Unlock),
                    )
                    .await;
            }
        })
    };
    let bulk = {
        let (roster, recorder, actor) = (workstation(&url).await?, recorder.clone(), actor.clone());
        tokio::spawn(async move {
            let all: Vec<UserRef> = (bulk_from..bulk_from + BULK)
                .map(|n| UserRef::Id(id_of(n)))
                .collect();
            while Instant::now() < deadline {
                for (op, action) in [
                    ("bulk suspend 500", StatusAction::Suspend),
                    ("bulk unsuspend 500", StatusAction::Unsuspend),
                ] {
                    recorder
                        .time(op, roster.change_status(&actor, &all, action))
                        .await;
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        })
    };
    let sign_ins = {
        let (roster, recorder) = (workstation(&url).await?, recorder.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while Instant::now() < deadline {
                let request = SignInRequest {
                    login: logins[n % logins.len()].clone(),
                    password: PASSWORD.into(),
                    code: None,
                };
                n += 1;
                recorder
                    .time("sign-in", roster.sign_in(&request, "load", Origin::Desktop))
                    .await;
                // The hash a sign-in checks, alone, under the same load: what of a
                // sign-in's time is Argon2id's own.
                recorder.time("argon2id alone", argon2id()).await;
                tokio::time::sleep(SIGN_IN_EVERY).await;
            }
        })
    };
    let halfway = Duration::from_secs(seconds / 2);
    let importer = {
        let (roster, recorder, actor) = (workstation(&url).await?, recorder.clone(), actor.clone());
        let (path, url) = (file.path().to_owned(), url.clone());
        let kill = breaks.kill_import;
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let began = Instant::now() - recorder.began;
            if kill {
                let mut child = std::process::Command::new(std::env::current_exe().unwrap())
                    .arg("load-import")
                    .arg(&url)
                    .arg(&path)
                    .spawn()
                    .expect("the import's own process");
                tokio::time::sleep(halfway.saturating_sub(Duration::from_secs(2))).await;
                // SIGKILL on Unix: the process ends mid-write, as a crash ends it.
                child.kill().expect("kill the import's process");
                child.wait().ok();
                println!(
                    "import process killed at {:.1} s",
                    (Instant::now() - recorder.began).as_secs_f64()
                );
                return (began, Instant::now() - recorder.began, None);
            }
            let sheet = roster_csv::open(
                std::fs::File::open(&path).expect("the import file"),
                &roster_csv::ReadOptions::default(),
            )
            .expect("a readable import file");
            let report = recorder
                .time(
                    "import",
                    roster.import_users(&actor, sheet.rows(), &import_options(), &mut |_| {}),
                )
                .await;
            (
                began,
                Instant::now() - recorder.began,
                report.map(|r| r.created),
            )
        })
    };
    let restart = breaks.restart.clone().map(|command| {
        let began = recorder.began;
        tokio::spawn(async move {
            // Two thirds in: after the import's process was killed, if it is.
            tokio::time::sleep(halfway * 4 / 3).await;
            let at = Instant::now() - began;
            let status = tokio::task::spawn_blocking({
                let command = command.clone();
                move || {
                    std::process::Command::new("sh")
                        .args(["-c", &command])
                        .status()
                }
            })
            .await;
            println!(
                "restart ({command}) at {:.1} s: {status:?}, {:.1} s",
                at.as_secs_f64(),
                (Instant::now() - began - at).as_secs_f64()
            );
        })
    });

    let mut written = Vec::new();
    for admin in admins {
        written.push(admin.await.map_err(|e| e.to_string())?);
    }
    for task in [helpdesk, bulk, sign_ins] {
        task.await.map_err(|e| e.to_string())?;
    }
    let (import_from, import_to, imported) = importer.await.map_err(|e| e.to_string())?;
    if let Some(restart) = restart {
        restart.await.map_err(|e| e.to_string())?;
    }
    // A killed or failed import leaves nothing: the directory holds exactly what was seeded.
    let expected =
        users + HELPDESK_USERS + BULK + SIGN_IN_ACCOUNTS + imported.unwrap_or(0) as usize;
    let held = setup
        .count_users(&actor, &UserQuery::default(), None)
        .await
        .map_err(|e| e.to_string())?
        .n as usize;
    println!("directory: {held} users, {expected} expected");
    if held != expected {
        return Err(format!(
            "the directory holds {held} users, not {expected}: an import was half-written"
        ));
    }

    // Every value an admin saved last reads back as it was written.
    let mut lost = 0;
    let mut checked = 0;
    for saves in &written {
        let ids: Vec<UserId> = saves.keys().copied().collect();
        for chunk in ids.chunks(500) {
            let query = UserQuery {
                limit: 500,
                ..UserQuery::of_ids(chunk.to_vec())
            };
            let page = setup
                .list_users(&actor, &query)
                .await
                .map_err(|e| e.to_string())?;
            for user in page.users {
                checked += 1;
                if user.phone.as_deref() != saves.get(&user.id).map(String::as_str) {
                    lost += 1;
                }
            }
        }
    }
    let verify = setup
        .verify_audit(&actor, None)
        .await
        .map_err(|e| e.to_string())?;

    let samples = std::mem::take(&mut *recorder.samples.lock().unwrap());
    report(
        backend,
        users,
        seconds,
        &samples,
        (import_from, import_to, imported),
        (
            lost,
            checked,
            breaks.kill_import || breaks.restart.is_some(),
        ),
        &verify,
    )
}

/// One Argon2id hash with Roster's parameters, on the blocking pool as a sign-in's runs.
async fn argon2id() -> std::result::Result<(), roster_core::Error> {
    use argon2::{Algorithm, Argon2, Params, Version};
    tokio::task::spawn_blocking(|| {
        let params = Params::new(
            roster_core::ARGON2_MEMORY_KIB,
            roster_core::ARGON2_ITERATIONS,
            roster_core::ARGON2_PARALLELISM,
            Some(32),
        )
        .expect("Roster's Argon2id parameters");
        let mut out = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(PASSWORD.as_bytes(), b"load test salt..", &mut out)
            .expect("an Argon2id hash");
    })
    .await
    .map_err(|e| roster_core::Error::Storage(e.to_string()))
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn report(
    backend: &str,
    users: usize,
    seconds: u64,
    samples: &[Sample],
    (import_from, import_to, imported): (Duration, Duration, Option<u64>),
    // Lost updates of those read back, and whether the run was broken on purpose.
    (lost, checked, broken): (usize, usize, bool),
    verify: &roster_core::ChainReport,
) -> Result {
    let mut by_op: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
    for sample in samples {
        by_op.entry(sample.op).or_default().push(sample);
    }
    println!(
        "\n{:<20} {:>6} {:>9} {:>9} {:>9} {:>14}  errors",
        "operation", "n", "p50 ms", "p95 ms", "p99 ms", "p95 in import"
    );
    let mut rows = Vec::new();
    for (op, list) in &by_op {
        let mut all: Vec<f64> = list.iter().map(|s| s.took.as_secs_f64() * 1e3).collect();
        all.sort_by(f64::total_cmp);
        let mut during: Vec<f64> = list
            .iter()
            .filter(|s| s.at >= import_from && s.at < import_to)
            .map(|s| s.took.as_secs_f64() * 1e3)
            .collect();
        during.sort_by(f64::total_cmp);
        let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
        for sample in list {
            if let Some(kind) = &sample.error {
                *errors.entry(kind.as_str()).or_default() += 1;
            }
        }
        println!(
            "{op:<20} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>14.1}  {errors:?}",
            all.len(),
            percentile(&all, 0.5),
            percentile(&all, 0.95),
            percentile(&all, 0.99),
            percentile(&during, 0.95),
        );
        rows.push(json!({
            "operation": op, "n": all.len(),
            "p50_ms": percentile(&all, 0.5), "p95_ms": percentile(&all, 0.95),
            "p99_ms": percentile(&all, 0.99),
            "during_import": { "n": during.len(), "p95_ms": percentile(&during, 0.95) },
            "errors": errors,
        }));
    }
    let intact = verify.problem.is_none();
    println!(
        "\nimport: {} rows in {:.1} s (from {:.1} s to {:.1} s of the run)",
        imported.map_or("none (killed or failed)".to_owned(), |n| n.to_string()),
        (import_to - import_from).as_secs_f64(),
        import_from.as_secs_f64(),
        import_to.as_secs_f64()
    );
    println!("lost updates: {lost} of {checked} saved values read back");
    println!(
        "audit verify: {} ({} entries, {} not chained yet)",
        if intact { "intact" } else { "NOT INTACT" },
        verify.entries,
        verify.pending
    );
    println!(
        "(a sign-in includes one Argon2id hash, 64 MiB and 2 passes: \"argon2id alone\" is that \
         hash timed by itself under the same load, about 120 ms on an idle core.)"
    );
    let out = target_dir().join(format!("bench/load-{backend}.json"));
    std::fs::create_dir_all(out.parent().unwrap()).map_err(|e| e.to_string())?;
    let json = json!({
        "backend": backend, "users": users, "seconds": seconds, "operations": rows,
        "import": { "rows": imported, "seconds": (import_to - import_from).as_secs_f64() },
        "lost_updates": lost, "checked": checked, "audit_intact": intact,
    });
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap())
        .map_err(|e| e.to_string())?;
    println!("{}", out.display());
    if lost > 0 || !intact || (imported.is_none() && !broken) {
        return Err("lost updates, a broken audit chain or a failed import".into());
    }
    Ok(())
}
