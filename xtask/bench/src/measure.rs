//! Timing a repeated action and summing it up as percentiles.

use crate::Result;
use serde_json::{Value, json};
use std::future::Future;
use std::time::{Duration, Instant};

/// Percentiles of one measured action, in milliseconds.
#[derive(Clone, Copy)]
pub struct Timings {
    pub runs: usize,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

impl Timings {
    pub fn of(mut samples: Vec<Duration>) -> Timings {
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| ms(samples[((samples.len() - 1) as f64 * q).round() as usize]);
        Timings {
            runs: samples.len(),
            p50: at(0.50),
            p95: at(0.95),
            max: at(1.0),
        }
    }

    pub fn json(&self) -> Value {
        json!({ "runs": self.runs, "p50_ms": self.p50, "p95_ms": self.p95, "max_ms": self.max })
    }
}

/// How long one figure may take to measure: a case that needs a second per run stops after
/// [`MIN_RUNS`] instead of 200, or a full bench at a million users would take hours.
pub const CASE_BUDGET: Duration = Duration::from_secs(10);
pub const MIN_RUNS: usize = 20;

/// Whether another run fits: `runs` are not done yet and the budget is not spent, or too few
/// runs were made to be worth a percentile.
pub fn another_run(done: usize, runs: usize, started: Instant) -> bool {
    done < runs && (done < MIN_RUNS || started.elapsed() < CASE_BUDGET)
}

/// Runs `action` once to warm caches, then up to `runs` times, timing each run.
pub async fn time<F, Fut, T>(runs: usize, mut action: F) -> Result<Timings>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    action(0).await?;
    let mut samples = Vec::with_capacity(runs);
    let begun = Instant::now();
    while another_run(samples.len(), runs, begun) {
        let started = Instant::now();
        action(samples.len() + 1).await?;
        samples.push(started.elapsed());
    }
    Ok(Timings::of(samples))
}

/// Runs `action` once to warm caches, then `runs` times, timing each run; after every run,
/// `undo` (untimed) puts the data back, so each run changes the same rows from the same
/// state.
pub async fn time_undone<A, FA, U, FU>(runs: usize, mut action: A, mut undo: U) -> Result<Timings>
where
    A: FnMut() -> FA,
    FA: Future<Output = Result>,
    U: FnMut() -> FU,
    FU: Future<Output = Result>,
{
    let mut samples = Vec::with_capacity(runs);
    for run in 0..=runs {
        let started = Instant::now();
        action().await?;
        if run > 0 {
            samples.push(started.elapsed());
        }
        undo().await?;
    }
    Ok(Timings::of(samples))
}

/// Roster's figure over the bare query's; above 1, Roster is slower.
pub fn ratio(roster: f64, bare: f64) -> f64 {
    if bare > 0.0 { roster / bare } else { f64::NAN }
}

/// What the figures were measured on, for the JSON.
pub fn machine() -> Value {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned());
    let memory_gib = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| (kb / 1024.0 / 1024.0 * 10.0).round() / 10.0);
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    json!({
        "os": os,
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "memory_gib": memory_gib,
        "profile": if cfg!(debug_assertions) { "dev" } else { "bench (release without LTO)" },
    })
}
