//! `cargo xtask bench --startup`: what a person waits for when opening the release app, and
//! what it costs in memory. For an empty directory (only the Owner) and for N seeded users:
//! launch until the sign-in screen is ready, sign-in until the first rows show, and the
//! proportional set size (PSS) of the app and its WebKit processes once the rows are there,
//! and again after scrolling to the end of the list.

use crate::Result;
use roster_tests::desktop::{App, OWNER_PASSWORD, Profile, Theme, prepare_owner};
use std::collections::HashMap;
use std::time::Instant;

/// Runs the launch `runs` times on the database at `url`; returns a JSON summary.
pub async fn measure(label: &str, url: &str, runs: usize) -> Result<serde_json::Value> {
    let owner = prepare_owner(url).await?;
    let mut window_ms = Vec::new();
    let mut rows_ms = Vec::new();
    let mut pss_mib = Vec::new();
    let mut pss_end_mib = Vec::new();
    for _ in 0..runs {
        let profile = Profile::new();
        let started = Instant::now();
        let app = App::launch_signed_out(url, &profile, Theme::Light).await?;
        let result: Result<(f64, f64, f64, f64)> = async {
            app.wait_for_element("[data-testid=login]").await?;
            let window = started.elapsed().as_secs_f64() * 1000.0;
            app.type_into("[data-testid=login]", &owner).await?;
            app.type_into("[data-testid=password]", OWNER_PASSWORD)
                .await?;
            let signing_in = Instant::now();
            app.click("[data-testid=sign-in-submit]").await?;
            app.wait_for_element("[data-testid=user-row]").await?;
            let rows = signing_in.elapsed().as_secs_f64() * 1000.0;
            let pss = app_pss_kib(url)? as f64 / 1024.0;
            scroll_to_the_end(&app).await?;
            let pss_end = app_pss_kib(url)? as f64 / 1024.0;
            Ok((window, rows, pss, pss_end))
        }
        .await;
        app.close().await;
        let (window, rows, pss, pss_end) = result?;
        window_ms.push(window);
        rows_ms.push(rows);
        pss_mib.push(pss);
        pss_end_mib.push(pss_end);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (window, rows, pss, pss_end) = (
        median(&mut window_ms),
        median(&mut rows_ms),
        median(&mut pss_mib),
        median(&mut pss_end_mib),
    );
    println!(
        "{label:<28} {window:>12.0} {rows:>14.0} {:>12.0} {pss:>10.0} {pss_end:>12.0}",
        window + rows
    );
    Ok(serde_json::json!({
        "database": label, "runs": runs,
        "launch_to_sign_in_ms": window, "sign_in_to_first_rows_ms": rows,
        "pss_mib": pss, "pss_at_the_end_mib": pss_end,
    }))
}

/// Drags the list to its end, as a person pulling the scrollbar down, and waits until the
/// count line says the last row is shown ("… 1,000,000 of 1,000,000 users").
async fn scroll_to_the_end(app: &App) -> Result {
    let ungrouped = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}' | '\''))
            .collect::<String>()
    };
    // "1–200 of 1000000 users": the number after " of " once counted; a list shown whole
    // ("1 user") has nothing to scroll.
    let total_in = |text: &str| -> Option<Option<u64>> {
        let text = ungrouped(text);
        if text.is_empty() || text.contains("counting") {
            return None;
        }
        let Some((_, after)) = text.split_once(" of ") else {
            return Some(None);
        };
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().ok().map(Some)
    };
    let total = app
        .wait_for("the users count", || async {
            let texts = app.texts("[data-testid=count]").await?;
            Ok(texts.iter().find_map(|t| total_in(t)))
        })
        .await?;
    let Some(total) = total else {
        return Ok(());
    };
    app.scroll_list_to_end().await?;
    app.wait_for_count(&format!("{total} of {total} users"))
        .await?;
    Ok(())
}

pub fn print_header(app: &str) {
    println!("\nrelease app start-up: {app} (median of the runs; sign-in includes Argon2id)\n");
    println!(
        "{:<28} {:>12} {:>14} {:>12} {:>10} {:>12}",
        "database", "to sign-in", "sign-in→rows", "total ms", "PSS MiB", "at end MiB"
    );
}

/// The PSS of the app started on `url` and every process under it (WebKit's web and network
/// processes), from /proc/PID/smaps_rollup.
fn app_pss_kib(url: &str) -> Result<u64> {
    let mut parent_of = HashMap::new();
    let mut app = None;
    for entry in std::fs::read_dir("/proc")
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name in parentheses may hold spaces; the fields after it do not.
        let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        parent_of.insert(pid, ppid);
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains("roster-desktop") && cmdline.contains(url) {
            app = Some(pid);
        }
    }
    let app = app.ok_or("the app's process was not found")?;
    let under_app = |mut pid: u32| loop {
        if pid == app {
            return true;
        }
        match parent_of.get(&pid) {
            Some(&parent) if parent != 0 && parent != pid => pid = parent,
            _ => return false,
        }
    };
    let mut total = 0;
    for &pid in parent_of.keys().filter(|&&pid| under_app(pid)) {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        total += rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    Ok(total)
}
