//! `bench --csv`: importing and exporting users as CSV, beside the raw database doing the
//! same inserts. Results go to stdout and target/bench/csv.json; nothing asserts a time.

use crate::{Result, target_dir};
use roster_core::{ImportOptions, Roster, SystemClock, UserQuery};
use roster_csv::{ExportOptions, FileExport, ReadOptions, default_columns};
use roster_store::{Database, OpenMode};
use roster_tests::test_actor;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const FIRST: [&str; 8] = [
    "Ada", "José", "Zoë", "小龍", "Søren", "Fatima", "Grace", "Nguyễn",
];
const LAST: [&str; 8] = [
    "Lovelace", "García", "O'Brien", "李", "Berg", "Ali", "Hopper", "Văn",
];
const TEAMS: [&str; 5] = ["Research", "Sales", "Support", "Engineering", ""];

/// The process's memory now, at its peak, and now without mapped files, in MiB (Linux; zero
/// elsewhere). The store maps the database file (`mmap_size`): its pages a read touched
/// count in the resident size but are the OS's file cache, not memory of Roster's own.
fn memory() -> (f64, f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"), field("RssAnon:"))
}

/// The processor time the process has used so far, user and system, in seconds (Linux;
/// zero elsewhere): beside the wall time, it shows work apart from waiting and from what
/// else the machine runs.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime are the 12th
    // and 13th of them, in clock ticks of 1/100 s.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// A deterministic user list in Roster's own format.
fn write_file(path: &Path, users: usize) -> Result {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "email,first_name,last_name,team,tags,role").map_err(|e| e.to_string())?;
    for i in 0..users {
        writeln!(
            out,
            "user{i}@example.org,{},\"{}\",{},\"t{}, bench\",user",
            FIRST[i % FIRST.len()],
            LAST[(i / 3) % LAST.len()],
            TEAMS[i % TEAMS.len()],
            i % 7
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// The same people as a Google Workspace admin console export: its headers, org unit paths,
/// the employee fields HR keeps, and a manager for nine users in ten (a row further up).
fn write_google_file(path: &Path, users: usize) -> Result {
    const DEPARTMENTS: [&str; 6] = [
        "Research",
        "Sales",
        "Support",
        "Engineering",
        "Finance",
        "Legal",
    ];
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(
        out,
        "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],\
         Org Unit Path [Required],Employee ID,Employee Title,Department,Cost Center,Mobile Phone,\
         Manager Email,Last Sign In [READ ONLY]"
    )
    .map_err(|e| e.to_string())?;
    for i in 0..users {
        let manager = if i % 10 == 0 {
            String::new()
        } else {
            format!("user{}@example.org", i / 10 * 10)
        };
        writeln!(
            out,
            "{},\"{}\",user{i}@example.org,****,/{}/EMEA,E{i:07},Analyst {},{},CC-{},+1 555 {:04},{manager},Never",
            FIRST[i % FIRST.len()],
            LAST[(i / 3) % LAST.len()],
            DEPARTMENTS[i % DEPARTMENTS.len()],
            i % 5,
            DEPARTMENTS[i % DEPARTMENTS.len()],
            i % 50,
            i % 10_000
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Imports `file` into a new database; the directory and the seconds it took.
async fn timed_import(file: &Path, database: &Path, users: usize) -> Result<(Roster, f64, f64)> {
    let database = fresh(database).await?;
    let roster = Roster::new(database.repository(), Arc::new(SystemClock));
    let options = ImportOptions {
        activate: true,
        source: "bench.csv".into(),
        ..ImportOptions::default()
    };
    let started = Instant::now();
    let cpu = cpu_seconds();
    let sheet = roster_csv::open(
        std::fs::File::open(file).map_err(|e| e.to_string())?,
        &ReadOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    let report = roster
        .import_users(&test_actor(), sheet.rows(), &options, &mut |_| {})
        .await
        .map_err(|e| e.to_string())?;
    if report.created != users as u64 {
        return Err(format!(
            "imported {} of {users} rows of {}: {:?}",
            report.created,
            file.display(),
            report.problems.first()
        ));
    }
    Ok((roster, started.elapsed().as_secs_f64(), cpu_seconds() - cpu))
}

async fn fresh(path: &Path) -> Result<Database> {
    Database::open(&roster_store::sqlite_url(path), OpenMode::CreateIfMissing)
        .await
        .map_err(|e| e.to_string())
}

/// The same rows inserted by a minimal prepared-statement loop in one transaction: what
/// the database itself takes, without Roster's checks, tags, audit or invitations.
async fn raw_insert(path: &Path, users: usize) -> Result<f64> {
    fresh(path).await?;
    let url = roster_store::sqlite_url(path);
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    for i in 0..users {
        let email = format!("user{i}@example.org");
        let username = format!("user{i}");
        sqlx::query(
            "INSERT INTO users (username, username_key, username_lookalike, email, email_key, \
             email_lookalike, first_name, last_name, role, identity_provider, status, two_factor, \
             created_at, modified_at, created_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, \
             'user', 'local', 'active', 'not_configured', 0, 0, 'bench', 1)",
        )
        .bind(&username)
        .bind(&username)
        .bind(roster_core::lookalike_key(&username))
        .bind(&email)
        .bind(&email)
        .bind(roster_core::lookalike_key(&email))
        .bind(FIRST[i % FIRST.len()])
        .bind(LAST[(i / 3) % LAST.len()])
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(started.elapsed().as_secs_f64())
}

pub fn csv(users: usize) -> Result {
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = work.path().join("users.csv");
    write_file(&file, users)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let (rss_before, _, _) = memory();
        let (roster, import_s, import_cpu) =
            timed_import(&file, &work.path().join("import.db"), users).await?;
        let (_, import_peak, _) = memory();
        let raw_s = raw_insert(&work.path().join("raw.db"), users).await?;
        let google = work.path().join("google.csv");
        write_google_file(&google, users)?;
        let (_, google_s, google_cpu) =
            timed_import(&google, &work.path().join("google.db"), users).await?;

        let out = work.path().join("export.csv");
        let (rss_export_before, _, anon_export_before) = memory();
        let started = Instant::now();
        let mut writer = FileExport::create(
            &out,
            default_columns(),
            Vec::new(),
            ExportOptions::default(),
        )?;
        let exported = roster
            .export_users(&test_actor(), &UserQuery::default(), &mut |u| writer.write(u))
            .await
            .map_err(|e| e.to_string())?;
        writer.finish()?;
        let export_s = started.elapsed().as_secs_f64();
        let (rss_export_after, _, anon_export_after) = memory();

        println!("CSV at {users} users (this build's profile; see docs/performance.md)");
        println!(
            "  import (create, checked, audited)  {import_s:>8.2} s  {:>9.0} rows/s  raw insert {raw_s:.2} s  ratio {:.1}x",
            users as f64 / import_s,
            import_s / raw_s
        );
        println!("  import processor time              {import_cpu:>8.2} s");
        println!("  import peak memory                 {import_peak:>8.0} MiB (process; {rss_before:.0} MiB before)");
        println!(
            "  import of a Google Workspace export {google_s:>7.2} s  {:>9.0} rows/s  (employee fields, managers)",
            users as f64 / google_s
        );
        println!("  Google import processor time       {google_cpu:>8.2} s");
        println!(
            "  export                             {export_s:>8.2} s  {:>9.0} rows/s  memory growth {:.0} MiB, {:.0} MiB of it not the mapped database file",
            exported as f64 / export_s,
            rss_export_after - rss_export_before,
            anon_export_after - anon_export_before
        );
        let json = serde_json::json!({
            "users": users,
            "import_seconds": import_s,
            "raw_insert_seconds": raw_s,
            "google_import_seconds": google_s,
            "import_cpu_seconds": import_cpu,
            "google_import_cpu_seconds": google_cpu,
            "import_to_raw_ratio": import_s / raw_s,
            "import_peak_mib": import_peak,
            "export_seconds": export_s,
            "export_memory_growth_mib": rss_export_after - rss_export_before,
            "export_anonymous_memory_growth_mib": anon_export_after - anon_export_before,
        });
        let path = dir.join("csv.json");
        std::fs::write(&path, serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        println!("\n{}", path.display());
        Ok(())
    })
}
