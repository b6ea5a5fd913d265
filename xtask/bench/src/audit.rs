//! `bench --audit [--entries N]`: the Audit log screen's pages and the chain's verification
//! on a log of N entries (default 10 million), beside the bare SQL doing the same reads.
//! The log is written once, straight into the table with its chain (as Roster would have
//! written it over years), and cached under target/bench/.

use crate::Result;
use crate::measure::{Timings, time};
use roster_core::{AuditQuery, ChainContent, GENESIS, chain_link};
use roster_store::{Database, OpenMode};
use serde_json::json;
use sqlx::sqlite::SqlitePool;
use std::path::PathBuf;
use std::time::Instant;

/// Bumped whenever what the log holds changes.
const VERSION: u32 = 1;
const RUNS: usize = 200;
const ACTORS: usize = 40;
const WORKSTATIONS: usize = 25;
const ACTIONS: [&str; 8] = [
    "user.update",
    "user.suspend",
    "user.unsuspend",
    "user.create",
    "group.add_member",
    "user.set_password",
    "user.reset_2fa",
    "token.issue",
];
/// One entry every 3 s: ten million cover almost a year.
const STEP_MS: i64 = 3_000;
const START_MS: i64 = 1_735_689_600_000; // 2025-01-01

fn actor(i: usize) -> String {
    format!("admin{:02}", i % ACTORS)
}

/// The cached log of `entries` entries (built when missing).
async fn cached(entries: usize) -> Result<PathBuf> {
    let dir = crate::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("audit-v{VERSION}-{entries}.db"));
    if path.exists() {
        return Ok(path);
    }
    let partial = path.with_extension("partial");
    std::fs::remove_file(&partial).ok();
    println!(
        "writing an audit log of {entries} entries to {} (once)…",
        path.display()
    );
    let started = Instant::now();
    let url = roster_store::sqlite_url(&partial);
    Database::open(&url, OpenMode::CreateIfMissing)
        .await
        .map_err(|e| e.to_string())?;
    let pool = SqlitePool::connect(&url).await.map_err(|e| e.to_string())?;
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let mut prev = GENESIS;
    const BATCH: usize = 500;
    for start in (0..entries).step_by(BATCH) {
        let end = (start + BATCH).min(entries);
        let mut qb = sqlx::QueryBuilder::new(
            "INSERT INTO audit_log (at, actor, workstation, origin, action, target_kind, \
             target_id, target_name, changes, prev_hash, hash) ",
        );
        let mut rows = Vec::with_capacity(end - start);
        for i in start..end {
            let at = START_MS + i as i64 * STEP_MS;
            let action = ACTIONS[i % ACTIONS.len()];
            let target = (i * 7_919 % 1_000_000) as i64 + 1;
            let name = format!("User {target} <user{target}>");
            let changes = format!(
                r#"[{{"field":"team","before":"Team {}","after":"Team {}"}}]"#,
                i % 97,
                (i + 1) % 97
            );
            let (actor, workstation) = (actor(i / 3), format!("desk-{:02}", i % WORKSTATIONS));
            let origin = if i % 5 == 0 { "cli" } else { "desktop" };
            let hash = chain_link(
                &prev,
                &ChainContent {
                    at_millis: at,
                    actor: &actor,
                    workstation: &workstation,
                    origin,
                    action,
                    target_kind: "user",
                    target_id: target,
                    target_name: &name,
                    changes: &changes,
                },
            );
            rows.push((
                at,
                actor,
                workstation,
                origin,
                action,
                target,
                name,
                changes,
                prev,
                hash,
            ));
            prev = hash;
        }
        qb.push_values(rows, |mut b, r| {
            b.push_bind(r.0)
                .push_bind(r.1)
                .push_bind(r.2)
                .push_bind(r.3)
                .push_bind(r.4)
                .push_bind("user")
                .push_bind(r.5)
                .push_bind(r.6)
                .push_bind(r.7)
                .push_bind(r.8.to_vec())
                .push_bind(r.9.to_vec());
        });
        qb.build()
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        if start % 1_000_000 == 0 && start > 0 {
            println!(
                "  {start} entries, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    sqlx::query("UPDATE audit_chain SET head_hash = ? WHERE id = 1")
        .bind(prev.to_vec())
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    sqlx::query("ANALYZE")
        .execute(&pool)
        .await
        .map_err(|e| e.to_string())?;
    pool.close().await;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", partial.display()));
        if side.exists() {
            std::fs::rename(&side, format!("{}{suffix}", path.display()))
                .map_err(|e| e.to_string())?;
        }
    }
    std::fs::rename(&partial, &path).map_err(|e| e.to_string())?;
    println!("  written in {:.0} s", started.elapsed().as_secs_f64());
    Ok(path)
}

/// A page of the screen and the bare statement that reads the same rows.
struct Case {
    name: &'static str,
    query: AuditQuery,
    bare: String,
}

fn cases(entries: usize) -> Vec<Case> {
    let middle_id = entries as i64 / 2;
    let week_from = START_MS + middle_id * STEP_MS;
    let week_until = week_from + 7 * 24 * 3_600_000;
    let at = |ms: i64| chrono::DateTime::from_timestamp_millis(ms);
    let page = |query: AuditQuery| AuditQuery {
        limit: 200,
        ..query
    };
    let bare = |filter: &str| {
        format!(
            "SELECT id, at, actor, workstation, origin, action, target_kind, target_id, \
             target_name, changes FROM audit_log WHERE 1 = 1{filter} ORDER BY id DESC LIMIT 200"
        )
    };
    vec![
        Case {
            name: "newest page",
            query: page(AuditQuery::default()),
            bare: bare(""),
        },
        Case {
            name: "a page in the middle (keyset)",
            query: page(AuditQuery {
                before: Some(middle_id),
                ..AuditQuery::default()
            }),
            bare: bare(&format!(" AND id < {middle_id}")),
        },
        Case {
            name: "by actor",
            query: page(AuditQuery {
                actor: Some(actor(7)),
                ..AuditQuery::default()
            }),
            bare: bare(&format!(" AND actor = '{}'", actor(7))),
        },
        Case {
            name: "by actor in a week mid-log",
            query: page(AuditQuery {
                actor: Some(actor(7)),
                from: at(week_from),
                until: at(week_until),
                ..AuditQuery::default()
            }),
            bare: bare(&format!(
                " AND actor = '{}' AND at >= {week_from} AND at < {week_until}",
                actor(7)
            )),
        },
        Case {
            name: "a week mid-log",
            query: page(AuditQuery {
                from: at(week_from),
                until: at(week_until),
                ..AuditQuery::default()
            }),
            bare: bare(&format!(" AND at >= {week_from} AND at < {week_until}")),
        },
        Case {
            name: "one user's entries",
            query: page(AuditQuery {
                target_kind: Some("user".into()),
                target_id: Some(4_242),
                ..AuditQuery::default()
            }),
            bare: bare(" AND target_kind = 'user' AND target_id = 4242"),
        },
        Case {
            name: "text 'user4242>' (scan)",
            query: page(AuditQuery {
                text: Some("user4242>".into()),
                ..AuditQuery::default()
            }),
            bare: bare(
                " AND (lower(target_name) LIKE '%user4242>%' OR lower(changes) LIKE '%user4242>%')",
            ),
        },
    ]
}

pub fn audit(entries: usize) -> Result {
    crate::dataset::runtime()?.block_on(async {
        let path = cached(entries).await?;
        let url = roster_store::sqlite_url(&path);
        let roster = crate::dataset::open(&url, OpenMode::MustExist).await?;
        let actor = roster_tests::test_actor();
        let pool = crate::bench::bare_pool(&url).await?;

        println!("\nAudit log at {entries} entries (p50 / p95 / max ms; bare SQL p50; ratio)");
        let mut metrics = Vec::new();
        for case in cases(entries) {
            let roster_t = time(RUNS, |_| async {
                roster
                    .audit(&actor, &case.query)
                    .await
                    .map(|page| page.len())
                    .map_err(|e| e.to_string())
            })
            .await?;
            let bare_t = time(RUNS, |_| async {
                sqlx::query(&case.bare)
                    .fetch_all(&pool)
                    .await
                    .map(|rows| rows.len())
                    .map_err(|e| e.to_string())
            })
            .await?;
            print_row(case.name, &roster_t, &bare_t);
            metrics.push(json!({
                "name": case.name,
                "roster": roster_t.json(),
                "bare": bare_t.json(),
                "ratio_p50": roster_t.p50 / bare_t.p50,
            }));
        }

        let started = Instant::now();
        let report = roster
            .verify_audit(&actor, None)
            .await
            .map_err(|e| e.to_string())?;
        let verify_s = started.elapsed().as_secs_f64();
        println!(
            "  verify the whole chain: {verify_s:.1} s ({:.0} entries/s): {}",
            report.entries as f64 / verify_s,
            report.summary()
        );
        if report.problem.is_some() {
            return Err("the bench's chain does not verify".into());
        }
        let out = crate::target_dir().join("bench/audit.json");
        let json = json!({
            "entries": entries,
            "file": path.display().to_string(),
            "pages": metrics,
            "verify_seconds": verify_s,
        });
        std::fs::write(
            &out,
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        println!("\n{}", out.display());
        Ok(())
    })
}

fn print_row(name: &str, roster: &Timings, bare: &Timings) {
    println!(
        "  {name:<32} {:>8.2} {:>8.2} {:>8.2}   bare {:>8.2}   {:>5.1}x",
        roster.p50,
        roster.p95,
        roster.max,
        bare.p50,
        roster.p50 / bare.p50
    );
}
