//! Backups of a directory kept in one SQLite file: when one is due, what each file is
//! called, which ones rotation keeps, and what a backup holds. Taking, checking and
//! restoring the files is the store's (`roster_store::backups`); this is the policy.

use crate::audit::AuditEntry;
use crate::audit_chain::ChainReport;
use chrono::{DateTime, Datelike, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What every backup file's name starts with; rotation touches no other file in the folder.
pub const BACKUP_PREFIX: &str = "roster-backup-";
/// What the name of the directory kept aside by a restore starts with: a backup too, listed
/// and restorable (to undo the restore), which rotation never deletes.
pub const KEPT_ASIDE_PREFIX: &str = "roster-before-restore-";
/// What every backup file's name ends with.
pub const BACKUP_EXTENSION: &str = ".db";
/// The time in the names of the files Roster writes (backups, a damaged database set
/// aside, diagnostics): sortable, and without ':' (not allowed in Windows file names).
pub const FILE_STAMP: &str = "%Y-%m-%dT%H%M%SZ";

/// The shortest passphrase an encrypted backup is sealed with: the file may sit on a USB
/// stick or a share for years, open to guessing at leisure.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Checks the passphrase a backup is about to be encrypted with.
pub fn check_new_passphrase(passphrase: &str) -> Result<(), crate::Error> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(crate::Error::invalid(
            "passphrase",
            format!(
                "a backup's passphrase has at least {MIN_PASSPHRASE_CHARS} characters: a few \
                 unrelated words are easy to type and hard to guess"
            ),
        ));
    }
    Ok(())
}

/// An automatic backup is due when the newest is this old (or there is none).
pub const BACKUP_INTERVAL: TimeDelta = TimeDelta::hours(24);

/// How automatic backups are kept. Part of the directory's settings, so every workstation
/// that opens the file (the app, `roster run-due` from a scheduler) follows the same rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct BackupSettings {
    /// A backup when the app closes and at most daily while it runs (or `roster run-due`).
    pub automatic: bool,
    /// The folder backups go to; empty: `backups` beside the database file. A second disk
    /// or a network share is the point of changing it.
    pub folder: String,
    pub keep: Rotation,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            automatic: true,
            folder: String::new(),
            keep: Rotation::default(),
        }
    }
}

/// Grandfather-father-son rotation: the newest backup of each of the last `daily` days,
/// `weekly` ISO weeks and `monthly` months that have one is kept; the rest are deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rotation {
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

/// More than this many of one period is a typing mistake (ten years of days).
pub const MAX_KEPT: u32 = 3_650;

/// A backup file in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupFile {
    /// The file's name in the folder (the folder is in the settings).
    pub name: String,
    pub taken_at: DateTime<Utc>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// The directory as it was before a restore ([`KEPT_ASIDE_PREFIX`]).
    pub kept_aside: bool,
}

/// The backups folder and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupList {
    pub folder: String,
    /// Oldest first.
    pub backups: Vec<BackupFile>,
}

/// What a backup holds, checked: read before anything is restored from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupContents {
    pub file: BackupFile,
    /// The schema version the backup was written with.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub schema: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub users: u64,
    /// The newest audit entry: the last change the backup knows of.
    pub last_entry: Option<AuditEntry>,
    /// The audit chain walked from its start; a backup whose chain has a problem is never
    /// restored.
    pub chain: ChainReport,
}

/// The file name of a backup taken at `at`; `kept_aside`: of the directory a restore
/// replaced.
pub fn backup_file_name(at: DateTime<Utc>, kept_aside: bool) -> String {
    let prefix = if kept_aside {
        KEPT_ASIDE_PREFIX
    } else {
        BACKUP_PREFIX
    };
    format!("{prefix}{}{BACKUP_EXTENSION}", at.format(FILE_STAMP))
}

/// When the backup named `name` was taken; `None` for any other file.
pub fn backup_taken_at(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name
        .strip_prefix(BACKUP_PREFIX)
        .or_else(|| name.strip_prefix(KEPT_ASIDE_PREFIX))?
        .strip_suffix(BACKUP_EXTENSION)?;
    NaiveDateTime::parse_from_str(stamp, FILE_STAMP)
        .ok()
        .map(|t| t.and_utc())
}

/// Whether `name` is that of a directory kept aside by a restore.
pub fn is_kept_aside(name: &str) -> bool {
    name.starts_with(KEPT_ASIDE_PREFIX) && backup_taken_at(name).is_some()
}

/// Whether an automatic backup is due, given when the newest was taken.
pub fn backup_due(newest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    newest.is_none_or(|taken| now - taken >= BACKUP_INTERVAL)
}

/// A period (day, ISO week, month) a backup falls in, as a year and its number in that year.
type PeriodOf = fn(&DateTime<Utc>) -> (i32, u32);

/// Every backup this recent (before the newest) is kept, whatever the rotation: the one
/// taken by hand before a risky change must outlive the automatic one after it.
pub const KEEP_ALL_WITHIN: TimeDelta = TimeDelta::hours(24);

/// The backups `rotation` no longer keeps, among `backups`, oldest first. Kept whatever the
/// rotation says: the newest (so a rotation of zeros never leaves the folder empty), those
/// within [`KEEP_ALL_WITHIN`] of it, and every directory kept aside by a restore.
pub fn backups_to_remove(backups: &[BackupFile], rotation: Rotation) -> Vec<BackupFile> {
    let mut newest_first: Vec<&BackupFile> = backups.iter().filter(|b| !b.kept_aside).collect();
    newest_first.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    if let Some(newest) = newest_first.first() {
        for recent in newest_first
            .iter()
            .take_while(|b| newest.taken_at - b.taken_at < KEEP_ALL_WITHIN)
        {
            kept.insert(&recent.name);
        }
    }
    let periods: [(u32, PeriodOf); 3] = [
        (rotation.daily, |t| (t.year(), t.ordinal())),
        (rotation.weekly, |t| {
            let week = t.iso_week();
            (week.year(), week.week())
        }),
        (rotation.monthly, |t| (t.year(), t.month())),
    ];
    for (count, period_of) in periods {
        let mut seen = BTreeSet::new();
        for backup in &newest_first {
            if seen.len() == count as usize {
                break;
            }
            if seen.insert(period_of(&backup.taken_at)) {
                kept.insert(&backup.name);
            }
        }
    }
    newest_first.reverse();
    newest_first
        .into_iter()
        .filter(|b| !kept.contains(b.name.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn backup(taken_at: DateTime<Utc>) -> BackupFile {
        BackupFile {
            name: backup_file_name(taken_at, false),
            taken_at,
            bytes: 1,
            kept_aside: false,
        }
    }

    #[test]
    fn a_backups_name_gives_back_when_it_was_taken() {
        let taken = Utc.with_ymd_and_hms(2026, 12, 7, 13, 5, 9).unwrap();
        let name = backup_file_name(taken, false);
        assert_eq!(name, "roster-backup-2026-12-07T130509Z.db");
        assert_eq!(backup_taken_at(&name), Some(taken));
        assert!(!is_kept_aside(&name));
        let aside = backup_file_name(taken, true);
        assert_eq!(aside, "roster-before-restore-2026-12-07T130509Z.db");
        assert_eq!(backup_taken_at(&aside), Some(taken));
        assert!(is_kept_aside(&aside));
        for other in [
            "roster.db",
            "roster-backup-2026-12-07T130509Z.db-wal",
            "roster-backup-yesterday.db",
            "roster-backup-2026-12-07T130509Z.db.partial",
        ] {
            assert_eq!(backup_taken_at(other), None, "{other}");
        }
    }

    #[test]
    fn a_backup_is_due_a_day_after_the_newest() {
        let now = at(2026, 12, 7, 12);
        assert!(backup_due(None, now));
        assert!(!backup_due(Some(at(2026, 12, 6, 13)), now));
        assert!(backup_due(Some(at(2026, 12, 6, 12)), now));
    }

    #[test]
    fn rotation_keeps_the_newest_of_each_day_week_and_month() {
        // Four backups a day, every day, for two years.
        let start = at(2025, 1, 1, 0);
        let backups: Vec<BackupFile> = (0..730 * 4)
            .map(|i| backup(start + TimeDelta::hours(6 * i)))
            .collect();
        let removed = backups_to_remove(&backups, Rotation::default());
        let removed: BTreeSet<&str> = removed.iter().map(|b| b.name.as_str()).collect();
        let kept: Vec<&BackupFile> = backups
            .iter()
            .filter(|b| !removed.contains(b.name.as_str()))
            .collect();
        let newest = backups.last().unwrap();
        assert!(kept.contains(&newest));
        // The last day's four, whatever the rotation.
        let recent = |b: &&&BackupFile| newest.taken_at - b.taken_at < KEEP_ALL_WITHIN;
        assert_eq!(kept.iter().filter(recent).count(), 4);
        let kept: Vec<&BackupFile> = kept
            .into_iter()
            .filter(|b| !recent(&b) || b == &newest)
            .collect();
        // 7 days, plus the 4 weeks' newest not among them, plus 12 months' likewise.
        let days: BTreeSet<_> = kept.iter().map(|b| b.taken_at.date_naive()).collect();
        assert_eq!(days.len(), kept.len(), "one backup per day kept: {kept:?}");
        let last_week = newest.taken_at - TimeDelta::days(7);
        assert_eq!(kept.iter().filter(|b| b.taken_at > last_week).count(), 7);
        let months: BTreeSet<_> = kept
            .iter()
            .map(|b| (b.taken_at.year(), b.taken_at.month()))
            .collect();
        assert_eq!(months.len(), 12, "{kept:?}");
        assert!(kept.len() <= 7 + 4 + 12);
        // Each month's backup kept is that month's last.
        let oldest_kept = kept.iter().map(|b| b.taken_at).min().unwrap();
        assert_eq!(oldest_kept, at(2026, 1, 31, 18));
    }

    #[test]
    fn rotation_of_zeros_keeps_the_newest_only() {
        let backups = [
            backup(at(2026, 1, 1, 0)),
            backup(at(2026, 2, 1, 0)),
            backup(at(2026, 3, 1, 0)),
        ];
        let none = Rotation {
            daily: 0,
            weekly: 0,
            monthly: 0,
        };
        assert_eq!(backups_to_remove(&backups, none), backups[..2].to_vec());
        assert_eq!(backups_to_remove(&[], none), vec![]);
    }

    #[test]
    fn rotation_never_deletes_what_a_restore_kept_aside() {
        let aside = BackupFile {
            name: backup_file_name(at(2026, 1, 1, 0), true),
            kept_aside: true,
            ..backup(at(2026, 1, 1, 0))
        };
        let backups = [aside, backup(at(2026, 1, 2, 0)), backup(at(2026, 1, 3, 0))];
        let keep = Rotation {
            daily: 1,
            weekly: 0,
            monthly: 0,
        };
        assert_eq!(backups_to_remove(&backups, keep), backups[1..2].to_vec());
    }

    #[test]
    fn a_backup_taken_by_hand_outlives_the_next_automatic_one_by_a_day() {
        let by_hand = backup(at(2026, 1, 1, 9));
        let on_close = backup(at(2026, 1, 1, 17));
        let next_day = backup(at(2026, 1, 2, 8));
        let keep = Rotation::default();
        assert_eq!(
            backups_to_remove(&[by_hand.clone(), on_close.clone()], keep),
            vec![]
        );
        // A day later the day's newest stands for it, as rotation says.
        let after = backup(at(2026, 1, 2, 10));
        assert_eq!(
            backups_to_remove(&[by_hand.clone(), on_close, next_day, after], keep),
            vec![by_hand]
        );
    }

    #[test]
    fn gaps_between_backups_do_not_shorten_what_is_kept() {
        // A laptop used twice a month: each backup is the newest of its day, so seven
        // days' worth reaches back seven backups, not seven calendar days.
        let backups: Vec<BackupFile> = (1..=10).map(|m| backup(at(2026, m, 15, 9))).collect();
        let keep = Rotation {
            daily: 7,
            weekly: 0,
            monthly: 0,
        };
        assert_eq!(backups_to_remove(&backups, keep), backups[..3].to_vec());
    }
}
