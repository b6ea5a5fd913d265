//! `cargo xtask bench`: how fast the users list answers on a realistic database. Results go
//! to stdout as a table and to target/bench/list-query.json; nothing here asserts a time.

use crate::{Result, target_dir};
use roster_core::{Roster, Sort, SortDirection, SortField, Status, SystemClock, UserQuery};
use roster_store::{Database, OpenMode};
use roster_tests::{seed, test_actor};
use std::sync::Arc;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn users_flag(args: &[String], default: usize) -> Result<usize> {
    match flag(args, "--users") {
        Some(n) => n
            .replace('_', "")
            .parse()
            .map_err(|_| format!("--users takes a number, not '{n}'")),
        None => Ok(default),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

async fn open(url: &str, mode: OpenMode) -> Result<Roster> {
    let database = Database::open(url, mode).await.map_err(|e| e.to_string())?;
    Ok(Roster::new(database.repository(), Arc::new(SystemClock)))
}

/// Fills the database at `url` (created if missing) with `users` deterministic users.
async fn seed_into(url: &str, users: usize) -> Result {
    let roster = open(url, OpenMode::CreateIfMissing).await?;
    let started = Instant::now();
    seed::seed(&roster, &test_actor(), 0, users)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Seeded {users} users into {url} in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn seed_command(args: &[String]) -> Result {
    let url = flag(args, "--db").ok_or("seed needs --db URL (e.g. sqlite:///tmp/roster.db)")?;
    let users = users_flag(args, 1_000)?;
    runtime()?.block_on(seed_into(&url, users))
}

/// The seeded database of `users` users at `path`, made once and kept (seeding 100,000 takes
/// a while); a half-made one never takes its place.
async fn seeded_database(path: &std::path::Path, users: usize) -> Result {
    if path.exists() {
        return Ok(());
    }
    let partial = path.with_extension("db.partial");
    std::fs::remove_file(&partial).ok();
    let partial_url = roster_store::sqlite_url(&partial);
    seed_into(&partial_url, users).await?;
    Database::connect(&partial_url, OpenMode::MustExist)
        .await
        .map_err(|e| e.to_string())?
        .backup(path)
        .await
        .map_err(|e| e.to_string())?;
    std::fs::remove_file(&partial).ok();
    Ok(())
}

/// `startup --users N`: the app named by ROSTER_APP (the release build) started on an empty
/// directory and on N users; writes target/bench/startup.json.
pub fn startup(args: &[String]) -> Result {
    let users = users_flag(args, 100_000)?;
    let app = std::env::var("ROSTER_APP").map_err(
        |_| "startup times the app named by ROSTER_APP (cargo xtask bench --startup sets it)",
    )?;
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let seeded = dir.join(format!("users-{users}.db"));
    runtime()?.block_on(async {
        seeded_database(&seeded, users).await?;
        let work = tempfile::tempdir().map_err(|e| e.to_string())?;
        // A new directory: its first Owner and nobody else.
        let empty = work.path().join("empty.db");
        seed_into(&roster_store::sqlite_url(&empty), 1).await?;
        // A copy, so the Owner made for signing in never changes the cached database.
        let full = work.path().join("seeded.db");
        std::fs::copy(&seeded, &full).map_err(|e| e.to_string())?;
        crate::startup::print_header(&app);
        let rows = vec![
            crate::startup::measure("new (the Owner only)", &roster_store::sqlite_url(&empty), 5)
                .await?,
            crate::startup::measure(
                &format!("{users} users"),
                &roster_store::sqlite_url(&full),
                5,
            )
            .await?,
        ];
        let out = dir.join("startup.json");
        let report = serde_json::json!({ "app": app, "startup": rows });
        std::fs::write(
            &out,
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        println!("\n{}", out.display());
        Ok(())
    })
}

fn query(search: &str, sort: Sort) -> UserQuery {
    UserQuery {
        search: search.into(),
        sort,
        limit: 200,
        ..UserQuery::default()
    }
}

fn sort(field: SortField, direction: SortDirection) -> Sort {
    Sort { field, direction }
}

pub fn bench(args: &[String]) -> Result {
    let users = users_flag(args, 100_000)?;
    if args.iter().any(|a| a == "--csv") {
        return crate::csv::csv(users);
    }
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("users-{users}.db"));
    let url = roster_store::sqlite_url(&path);
    let by_last = sort(SortField::LastName, SortDirection::Asc);
    let cases: Vec<(&str, UserQuery)> = vec![
        ("first page, by last name", query("", by_last)),
        (
            "first page, newest first",
            query("", sort(SortField::CreatedAt, SortDirection::Desc)),
        ),
        ("search 'lovelace' (trigram)", query("lovelace", by_last)),
        ("search 'ada love' (two words)", query("ada love", by_last)),
        ("search 'ad' (short: word prefix)", query("ad", by_last)),
        ("search 'zz' (short, no match)", query("zz", by_last)),
        (
            "search 'nobody-here' (no match)",
            query("nobody-here", by_last),
        ),
        (
            "filter status=suspended",
            UserQuery {
                statuses: vec![Status::Suspended],
                ..query("", by_last)
            },
        ),
        (
            "filter team=Unassigned + org",
            UserQuery {
                team: Some("Unassigned".into()),
                organization: Some("Initech".into()),
                ..query("", by_last)
            },
        ),
        (
            "sort by organization",
            query("", sort(SortField::Organization, SortDirection::Asc)),
        ),
        (
            "deep page (offset 90%)",
            UserQuery {
                offset: (users as u64) * 9 / 10,
                ..query("", by_last)
            },
        ),
    ];
    runtime()?.block_on(async {
        seeded_database(&path, users).await?;
        let roster = open(&url, OpenMode::MustExist).await?;
        let mut results = Vec::new();
        println!("\nusers list query, {users} users, SQLite, {RUNS} runs each (after one warm-up)\n");
        println!("{:<34} {:>10} {:>10} {:>10}", "case", "median ms", "max ms", "matches");
        for (name, q) in &cases {
            let page = roster.list_users(&test_actor(), q).await.map_err(|e| e.to_string())?;
            let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
            for _ in 0..RUNS {
                let started = Instant::now();
                roster.list_users(&test_actor(), q).await.map_err(|e| e.to_string())?;
                times.push(started.elapsed());
            }
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let (median, max) = (ms(times[RUNS / 2]), ms(times[RUNS - 1]));
            println!("{name:<34} {median:>10.2} {max:>10.2} {:>10}", page.total);
            results.push(serde_json::json!({
                "case": name, "median_ms": median, "max_ms": max, "matches": page.total,
            }));
        }
        let sign_in = sign_in_time(&roster).await?;
        let ui = if args.iter().any(|a| a == "--ui") {
            keystroke_to_rows(&roster, &url).await?
        } else {
            println!("\n(add --ui to also time keystroke-to-rows in the real app window)");
            serde_json::Value::Null
        };
        let report = serde_json::json!({
            "users": users, "backend": "sqlite", "runs": RUNS, "list_query": results, "sign_in": sign_in, "keystroke_to_rows": ui,
        });
        let out = target_dir().join("bench/list-query.json");
        std::fs::write(&out, serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        println!("\n{}", out.display());
        Ok(())
    })
}

/// A full password sign-in through the service (find the account, Argon2id verify, record
/// the attempt): what a person waits for after pressing "Sign in".
async fn sign_in_time(roster: &Roster) -> Result<serde_json::Value> {
    use roster_core::{NewUser, SetPassword, SignInRequest, UserRef};
    const PASSWORD: &str = "bench sign-in passphrase";
    let login = "bench.signin";
    if roster
        .find_user(&test_actor(), &UserRef::Username(login.into()))
        .await
        .is_err()
    {
        let user = NewUser {
            email: "bench.signin@example.org".into(),
            first_name: "Bench".into(),
            last_name: "Sign-in".into(),
            username: Some(login.into()),
            status: Some(Status::Active),
            ..NewUser::default()
        };
        roster
            .add_user(&test_actor(), user)
            .await
            .map_err(|e| e.to_string())?;
    }
    let choice = SetPassword {
        password: Some(PASSWORD.into()),
        ..SetPassword::default()
    };
    roster
        .set_password(&test_actor(), &UserRef::Username(login.into()), choice)
        .await
        .map_err(|e| e.to_string())?;
    let request = SignInRequest {
        login: login.into(),
        password: PASSWORD.into(),
        code: None,
    };
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..=RUNS {
        let started = Instant::now();
        roster
            .sign_in(&request, "bench", roster_core::Origin::Cli)
            .await
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed());
    }
    times.remove(0);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (median, max) = (ms(times[RUNS / 2]), ms(times[RUNS - 1]));
    println!(
        "\nsign-in (Argon2id m={} KiB, t={}, p={}): median {median:.1} ms, max {max:.1} ms",
        roster_core::ARGON2_MEMORY_KIB,
        roster_core::ARGON2_ITERATIONS,
        roster_core::ARGON2_PARALLELISM
    );
    Ok(serde_json::json!({ "median_ms": median, "max_ms": max }))
}

/// In the real app: from the input event of a search keystroke until the count line shows
/// the new total (debounce, IPC, query and render included), timed inside the page.
async fn keystroke_to_rows(roster: &Roster, url: &str) -> Result<serde_json::Value> {
    use roster_tests::desktop::App;
    const MEASURE: &str = r#"
        const [term, expected, done] = arguments;
        const input = document.querySelector('[data-testid=search]');
        const count = document.querySelector('[data-testid=count]');
        const started = performance.now();
        const finish = () => { observer.disconnect(); done(performance.now() - started); };
        const ungrouped = (s) => s.replace(/[,.\u00a0\u202f']/g, '');
        const observer = new MutationObserver(() => { if (ungrouped(count.innerText).includes(expected)) finish(); });
        observer.observe(count, { subtree: true, childList: true, characterData: true });
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, term);
        input.dispatchEvent(new Event('input', { bubbles: true }));
    "#;
    let app = App::launch(url).await?;
    let total = roster
        .list_users(&test_actor(), &UserQuery::default())
        .await
        .map_err(|e| e.to_string())?
        .total;
    let result: Result<Vec<serde_json::Value>> = async {
        app.wait_for_text("[data-testid=count]", &format!("of {total} users"))
            .await?;
        println!("\nkeystroke-to-rows in the app window, {total} users (includes the UI's 150 ms debounce)\n");
        println!("{:<34} {:>10} {:>10}", "search", "ms", "matches");
        let mut rows = Vec::new();
        let mut previous = total;
        for term in ["l", "lo", "love", "ada", "ada love", "", "zzzz", "grace", "hopper7"] {
            let matches = roster
                .list_users(&test_actor(), &UserQuery {
                    search: term.into(),
                    ..UserQuery::default()
                })
                .await
                .map_err(|e| e.to_string())?
                .total;
            // The page notices the new rows by their count; an unchanged count cannot be timed.
            if matches == previous {
                continue;
            }
            previous = matches;
            let expected = match matches {
                0 => "No users match".to_owned(),
                n => format!("{n} users"),
            };
            let args = vec![serde_json::json!(term), serde_json::json!(expected)];
            let ms = app
                .client
                .execute_async(MEASURE, args)
                .await
                .map_err(|e| e.to_string())?;
            let ms = ms.as_f64().unwrap_or(f64::NAN);
            println!("{:<34} {ms:>10.1} {matches:>10}", format!("'{term}'"));
            rows.push(serde_json::json!({ "search": term, "ms": ms, "matches": matches }));
        }
        Ok(rows)
    }
    .await;
    app.close().await;
    Ok(serde_json::Value::Array(result?))
}
