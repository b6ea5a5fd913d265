//! The app's log and Help → Save diagnostics. The log is what the program did and what
//! failed, in the OS's log folder for the app (`~/.local/share/org.roster.desktop/logs` on
//! Linux, `~/Library/Logs/org.roster.desktop` on macOS, `%LOCALAPPDATA%` on Windows),
//! size-capped and rotated by the official log plugin, in a folder only the owning account
//! can open. No line carries a secret: commands log their error's code and message, never
//! their arguments, and roster-core words its messages never to hold a password, code or
//! key.

use roster_core::{Diagnostics, LogExcerpt, Program, RECENT_PROBLEMS, System};
use std::path::{Path, PathBuf};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};

/// The log file's name, without `.log`; rotated ones add their date.
const LOG_NAME: &str = "roster";
/// A log file this large is set aside and a new one started.
const MAX_LOG_BYTES: u128 = 1024 * 1024;
/// How many set-aside log files are kept besides the current one.
const OLD_LOGS_KEPT: usize = 4;

/// The log plugin writing to stderr (for a terminal or the journal) and into `folder`.
pub fn log_plugin<R: tauri::Runtime>(folder: Option<&Path>) -> tauri::plugin::TauriPlugin<R> {
    let file = folder.map(|folder| {
        Target::new(TargetKind::Folder {
            path: folder.to_owned(),
            file_name: Some(LOG_NAME.into()),
        })
    });
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets(std::iter::once(Target::new(TargetKind::Stderr)).chain(file))
        .format(|out, message, record| {
            out.finish(format_args!(
                "{} {} {}: {message}",
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
                record.level(),
                record.target()
            ))
        })
        .level(log::LevelFilter::Info)
        // The database driver's notices ("relation already exists, skipping") are not ours.
        .level_for("sqlx", log::LevelFilter::Warn)
        .max_file_size(MAX_LOG_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(OLD_LOGS_KEPT))
        .timezone_strategy(TimezoneStrategy::UseUtc)
        .build()
}

/// The current log file in `folder`.
pub fn log_file(folder: &Path) -> PathBuf {
    folder.join(format!("{LOG_NAME}.log"))
}

/// Creates the log folder readable by the owning account only (and makes an existing one
/// so): the log names the accounts admins worked on.
pub fn private_log_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The last lines of the log about problems (warnings and errors), newest last.
pub fn log_excerpt(file: Option<&Path>) -> LogExcerpt {
    let recent_problems = file
        .and_then(|file| std::fs::read(file).ok())
        .map(|bytes| {
            let text = String::from_utf8_lossy(&bytes);
            let problems: Vec<&str> = text
                .lines()
                .filter(|line| matches!(line.split(' ').nth(1), Some("WARN" | "ERROR")))
                .collect();
            let start = problems.len().saturating_sub(RECENT_PROBLEMS);
            problems[start..]
                .iter()
                .map(|line| line.to_string())
                .collect()
        })
        .unwrap_or_default();
    LogExcerpt {
        file: file.map(|file| file.display().to_string()),
        recent_problems,
    }
}

/// The engine that draws the window on this OS, and its version.
fn webview() -> Option<String> {
    let engine = if cfg!(target_os = "windows") {
        "WebView2"
    } else if cfg!(target_os = "macos") {
        "WKWebView"
    } else {
        "WebKitGTK"
    };
    tauri::webview_version()
        .ok()
        .map(|version| format!("{engine} {version}"))
}

/// A report without the directory's part, which the command adds.
pub fn report(directory: roster_core::DirectorySection, log: Option<&Path>) -> Diagnostics {
    let os = os_info::get();
    let codename = os
        .codename()
        .map(|name| format!(" ({name})"))
        .unwrap_or_default();
    Diagnostics {
        generated_at: chrono::Utc::now(),
        program: Program {
            name: "Roster desktop".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        system: System {
            os: format!("{} {}{codename}", os.os_type(), os.version()),
            architecture: std::env::consts::ARCH.into(),
            webview: webview(),
        },
        directory,
        log: log_excerpt(log),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_is_the_last_warnings_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("roster.log");
        let mut log = String::new();
        for n in 0..RECENT_PROBLEMS + 5 {
            log.push_str(&format!(
                "2026-12-07T10:00:00.000Z INFO roster_desktop: fine {n}\n"
            ));
            let level = if n % 2 == 0 { "WARN" } else { "ERROR" };
            log.push_str(&format!(
                "2026-12-07T10:00:01.000Z {level} roster_desktop: problem {n}\n"
            ));
        }
        std::fs::write(&file, log).unwrap();
        let excerpt = log_excerpt(Some(&file));
        assert_eq!(excerpt.recent_problems.len(), RECENT_PROBLEMS);
        assert!(excerpt.recent_problems[0].ends_with(": problem 5"));
        assert!(
            excerpt
                .recent_problems
                .last()
                .unwrap()
                .ends_with(&format!(": problem {}", RECENT_PROBLEMS + 4))
        );
        assert!(excerpt.recent_problems.iter().all(|l| !l.contains("fine")));
        assert!(
            log_excerpt(Some(&dir.path().join("none.log")))
                .recent_problems
                .is_empty()
        );
    }
}
