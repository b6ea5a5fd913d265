//! Tamper evidence for the audit trail. Each entry carries the hash of the entry before it
//! (`prev`) and a hash over that and its own content (`hash`): a chain. The store links
//! entries while holding the chain's head (SQLite: as the write writes them; a server:
//! just after the write commits, see ARCHITECTURE.md, "Many writers"), and keeps the head
//! (the newest entry's hash) and the base (the `prev` of the oldest entry kept, which a
//! purge moves). Walking the entries in order shows the first one changed, removed or
//! inserted behind Roster's back.
//!
//! What it cannot show: someone with write access who recomputes every hash from the
//! change onwards and moves the head. An anchor (the head saved outside the database, see
//! [`ChainAnchor`]) makes that detectable too: the anchored entry no longer has its hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::credentials::hex;

pub type ChainHash = [u8; 32];

/// The `prev` of the first entry ever written.
pub const GENESIS: ChainHash = [0; 32];

/// An entry's content exactly as stored: the chain covers all of it.
#[derive(Debug, Clone, Copy)]
pub struct ChainContent<'a> {
    pub at_millis: i64,
    pub actor: &'a str,
    pub workstation: &'a str,
    pub origin: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: i64,
    pub target_name: &'a str,
    /// The changed fields as the store keeps them (its own text encoding).
    pub changes: &'a str,
}

/// The hash of an entry following `prev`. Every text is length-prefixed, so no two
/// different contents hash the same bytes.
pub fn link(prev: &ChainHash, content: &ChainContent<'_>) -> ChainHash {
    let mut hasher = Sha256::new();
    hasher.update(b"roster-audit-v1");
    hasher.update(prev);
    hasher.update(content.at_millis.to_be_bytes());
    hasher.update(content.target_id.to_be_bytes());
    for text in [
        content.actor,
        content.workstation,
        content.origin,
        content.action,
        content.target_kind,
        content.target_name,
        content.changes,
    ] {
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.finalize().into()
}

/// The chain's two ends as the store keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The `prev` the oldest kept entry must carry: [`GENESIS`] until a purge.
    pub base: ChainHash,
    /// The hash of the newest entry Roster wrote (the base when there is none).
    pub head: ChainHash,
    /// The newest entry a purge removed, and when it was written.
    pub purged_through: Option<(i64, DateTime<Utc>)>,
    /// The record of the head was removed (it has none, while entries are chained).
    pub missing: bool,
    /// Entries of committed writes not chained yet (a server's writers chain theirs just
    /// after committing; one that stopped in between leaves them to the next).
    pub pending: u64,
}

/// The action of the entry a purge writes after removing the oldest entries.
pub const PURGE_ACTION: &str = "audit.purge";

/// What a purge entry says about the chain it leaves (its target's name; its target id is
/// the newest entry removed): the base the oldest kept entry links to. Chained like every
/// entry, it vouches for the purge, so the chain's record cannot claim one it did not do.
pub fn purge_vouch(base: &ChainHash) -> String {
    format!("Audit log (chain base {})", hex(base))
}

/// The base a purge entry vouches for; `None` for entries from before purges vouched for
/// their base (they vouch for the newest entry removed only, by their target id).
fn vouched_base(target_name: &str) -> Option<ChainHash> {
    let digits = target_name
        .strip_prefix("Audit log (chain base ")?
        .strip_suffix(')')?;
    unhex(digits)
}

/// One stored entry as the verifier reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainRow {
    pub id: i64,
    pub at_millis: i64,
    pub actor: String,
    pub workstation: String,
    pub origin: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub target_name: String,
    pub changes: String,
    /// `None` when the row was written without them (not by Roster).
    pub prev: Option<Vec<u8>>,
    pub hash: Option<Vec<u8>>,
}

impl ChainRow {
    pub fn content(&self) -> ChainContent<'_> {
        ChainContent {
            at_millis: self.at_millis,
            actor: &self.actor,
            workstation: &self.workstation,
            origin: &self.origin,
            action: &self.action,
            target_kind: &self.target_kind,
            target_id: self.target_id,
            target_name: &self.target_name,
            changes: &self.changes,
        }
    }
}

/// The first thing wrong with a chain, by entry id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ChainProblem {
    /// The entry has no hash: it was written outside Roster.
    Unsealed { entry: i64 },
    /// The entry's content no longer matches its hash: it was changed.
    Changed { entry: i64 },
    /// The entries on either side link to each other: this one was put in between.
    Inserted { entry: i64 },
    /// The entry does not link to the one before it (`after`; `None`: the oldest kept):
    /// entries between them were removed, or the one before was changed and rehashed.
    Broken { entry: i64, after: Option<i64> },
    /// The newest entries Roster wrote are gone; `after` is the last one left.
    Truncated { after: Option<i64> },
    /// Entries after `after` (the newest Roster wrote) were added outside Roster.
    Appended { after: i64 },
    /// The chain's record says entries were purged, but no purge entry in the chain says
    /// so: the oldest entries were removed and the record edited to hide it.
    UnvouchedPurge,
    /// The chain's record of its newest entry was removed outside Roster.
    HeadMissing,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::Unsealed { entry } => write!(
                f,
                "entry #{entry} has no chain hash: it was written outside Roster"
            ),
            ChainProblem::Changed { entry } => write!(
                f,
                "entry #{entry} was changed after it was written: its content no longer matches its hash"
            ),
            ChainProblem::Inserted { entry } => write!(
                f,
                "entry #{entry} was inserted: the entries before and after it link to each other"
            ),
            ChainProblem::Broken {
                entry,
                after: Some(after),
            } => write!(
                f,
                "the chain breaks between #{after} and #{entry}: entries between them were removed, or #{after} was changed and its hash rewritten"
            ),
            ChainProblem::Broken { entry, after: None } => write!(
                f,
                "entries before #{entry}, the oldest kept, were removed without a purge"
            ),
            ChainProblem::Truncated { after: Some(after) } => write!(
                f,
                "the newest entries were removed: the log ends at #{after}, before the last entry Roster wrote"
            ),
            ChainProblem::Truncated { after: None } => {
                write!(f, "every entry was removed without a purge")
            }
            ChainProblem::Appended { after } => write!(
                f,
                "entries after #{after}, the newest Roster wrote, were added outside Roster"
            ),
            ChainProblem::UnvouchedPurge => write!(
                f,
                "the log says its oldest entries were purged, but no purge in the log says so: they were removed and the record edited outside Roster"
            ),
            ChainProblem::HeadMissing => write!(
                f,
                "the record of the newest entry was removed outside Roster, so new entries cannot be chained; restore the database from a backup"
            ),
        }
    }
}

/// A chain head saved outside the database. Kept somewhere the database's administrators
/// cannot write, it shows whether the log was rewritten since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainAnchor {
    pub entry: i64,
    pub hash: ChainHash,
}

const ANCHOR_PREFIX: &str = "roster-audit-anchor-v1";

impl fmt::Display for ChainAnchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{ANCHOR_PREFIX} entry={} sha256={}",
            self.entry,
            hex(&self.hash)
        )
    }
}

impl ChainAnchor {
    /// Reads what [`ChainAnchor`]'s `Display` wrote (extra text around it is ignored, so a
    /// whole saved file can be given).
    pub fn parse(text: &str) -> Option<ChainAnchor> {
        let rest = &text[text.find(ANCHOR_PREFIX)? + ANCHOR_PREFIX.len()..];
        let mut entry = None;
        let mut hash = None;
        for word in rest.split_whitespace().take(2) {
            if let Some(id) = word.strip_prefix("entry=") {
                entry = id.parse().ok();
            } else if let Some(digits) = word.strip_prefix("sha256=") {
                hash = unhex(digits);
            }
        }
        Some(ChainAnchor {
            entry: entry?,
            hash: hash?,
        })
    }
}

fn unhex(digits: &str) -> Option<ChainHash> {
    if digits.len() != 64 || !digits.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// What an anchor says about the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AnchorCheck {
    /// The anchored entry is there with the hash the anchor recorded.
    Confirmed,
    /// The anchored entry was purged (by a purge the log vouches for): the anchor cannot be
    /// checked any more, which is never a clean result. Save a new anchor after each purge.
    Purged,
    /// The anchored entry is missing or has another hash: the log was rewritten.
    Rewritten,
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChainReport {
    /// Entries checked (up to the problem, when there is one).
    pub entries: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// When the last entry checked was written.
    pub through: Option<DateTime<Utc>>,
    pub problem: Option<ChainProblem>,
    /// The newest entry's anchor text, to print or save (`None` for an empty log).
    pub anchor: Option<String>,
    /// When entries were purged, the newest removed and when it was written.
    pub purged_through: Option<DateTime<Utc>>,
    /// The anchor that was given, checked.
    pub anchor_check: Option<AnchorCheck>,
    /// Entries written after the walk's head, not chained yet, so not checked.
    pub pending: u64,
}

impl ChainReport {
    /// One line for people: "intact, N entries, through DATE" or the problem.
    pub fn summary(&self) -> String {
        match (&self.problem, self.through) {
            (Some(problem), _) => format!("NOT intact: {problem}"),
            (None, Some(through)) => format!(
                "intact, {} entries, through {}{}",
                self.entries,
                through.format("%Y-%m-%d %H:%M:%S UTC"),
                self.pending_note()
            ),
            (None, None) => format!("intact, no entries{}", self.pending_note()),
        }
    }

    fn pending_note(&self) -> String {
        match self.pending {
            0 => String::new(),
            n => format!(" ({n} newer not chained yet, so not checked)"),
        }
    }
}

/// Walks stored entries in id order, one at a time, keeping only what the next link needs.
pub struct ChainVerifier {
    base: ChainHash,
    head: ChainHash,
    anchor: Option<ChainAnchor>,
    anchor_check: Option<AnchorCheck>,
    first: Option<i64>,
    /// The last entry accepted: its id, hash, when it was written.
    last: Option<(i64, ChainHash, i64)>,
    /// The hash the last entry linked to: an entry that links there instead of to `last`
    /// shows `last` was inserted.
    last_prev: ChainHash,
    /// An entry that did not link to `last`: decided by the next one (inserted or broken).
    suspect: Option<(i64, ChainHash)>,
    head_seen: Option<i64>,
    entries: u64,
    problem: Option<ChainProblem>,
    purged_through: Option<(i64, DateTime<Utc>)>,
    /// What the newest purge entry seen vouches for: the newest entry it removed and the
    /// base it left.
    vouched: Option<(i64, Option<ChainHash>)>,
    /// The chain's record has no head: it was removed behind Roster's back.
    head_missing: bool,
}

impl ChainVerifier {
    pub fn new(head: &ChainHead, anchor: Option<ChainAnchor>) -> ChainVerifier {
        let anchor_check = match (&anchor, head.purged_through) {
            (Some(anchor), Some((purged, _))) if anchor.entry <= purged => {
                Some(AnchorCheck::Purged)
            }
            _ => None,
        };
        ChainVerifier {
            base: head.base,
            head: head.head,
            anchor,
            anchor_check,
            first: None,
            last: None,
            last_prev: head.base,
            suspect: None,
            head_seen: None,
            entries: 0,
            problem: None,
            purged_through: head.purged_through,
            vouched: None,
            head_missing: head.missing,
        }
    }

    /// Whether a problem was found (the walk can stop).
    pub fn failed(&self) -> bool {
        self.problem.is_some()
    }

    pub fn check(&mut self, row: &ChainRow) {
        if self.problem.is_some() {
            return;
        }
        let (Some(prev), Some(hash)) = (as_hash(&row.prev), as_hash(&row.hash)) else {
            self.problem = Some(ChainProblem::Unsealed { entry: row.id });
            return;
        };
        if link(&prev, &row.content()) != hash {
            self.problem = Some(ChainProblem::Changed { entry: row.id });
            return;
        }
        let expected = self.last.map_or(self.base, |(_, hash, _)| hash);
        if let Some((suspect, suspect_prev)) = self.suspect.take() {
            // The entry before this one did not link to the one before it.
            self.problem = Some(if prev == expected && suspect_prev != expected {
                ChainProblem::Inserted { entry: suspect }
            } else {
                ChainProblem::Broken {
                    entry: suspect,
                    after: self.last.map(|(id, _, _)| id),
                }
            });
            return;
        }
        if prev != expected {
            match self.last {
                // Links to the entry before `last`: `last` was put in between.
                Some((inserted, _, _)) if prev == self.last_prev => {
                    self.problem = Some(ChainProblem::Inserted { entry: inserted });
                }
                _ => self.suspect = Some((row.id, prev)),
            }
            return;
        }
        self.accept(row, prev, hash);
    }

    fn accept(&mut self, row: &ChainRow, prev: ChainHash, hash: ChainHash) {
        if row.action == PURGE_ACTION && row.target_kind == "audit" {
            self.vouched = Some((row.target_id, vouched_base(&row.target_name)));
        }
        self.first.get_or_insert(row.id);
        self.last_prev = prev;
        self.last = Some((row.id, hash, row.at_millis));
        self.entries += 1;
        if hash == self.head {
            self.head_seen = Some(row.id);
        }
        if let Some(anchor) = &self.anchor
            && anchor.entry == row.id
        {
            self.anchor_check = Some(if anchor.hash == hash {
                AnchorCheck::Confirmed
            } else {
                AnchorCheck::Rewritten
            });
        }
    }

    /// The report, given the head as it is now: entries written while the walk ran moved
    /// it, and are Roster's own.
    pub fn finish(mut self, head_now: &ChainHead) -> ChainReport {
        if self.problem.is_none()
            && let Some((suspect, _)) = self.suspect.take()
        {
            self.problem = Some(ChainProblem::Broken {
                entry: suspect,
                after: self.last.map(|(id, _, _)| id),
            });
        }
        if self.problem.is_none() && self.head_missing {
            self.problem = Some(ChainProblem::HeadMissing);
        }
        if self.problem.is_none() && !self.purge_vouched_for() {
            self.problem = Some(ChainProblem::UnvouchedPurge);
        }
        let last_hash = self.last.map_or(self.base, |(_, hash, _)| hash);
        if self.problem.is_none() && last_hash != self.head && last_hash != head_now.head {
            self.problem = Some(match self.head_seen {
                Some(after) => ChainProblem::Appended { after },
                None => ChainProblem::Truncated {
                    after: self.last.map(|(id, _, _)| id),
                },
            });
        }
        if self.problem == Some(ChainProblem::UnvouchedPurge)
            && self.anchor_check == Some(AnchorCheck::Purged)
        {
            // A purge the log does not vouch for says nothing about the anchor.
            self.anchor_check = Some(AnchorCheck::Rewritten);
        }
        if self.anchor.is_some() && self.anchor_check.is_none() && self.problem.is_none() {
            // A whole walk that never met the anchored entry: it was removed.
            self.anchor_check = Some(AnchorCheck::Rewritten);
        }
        ChainReport {
            entries: self.entries,
            first: self.first,
            last: self.last.map(|(id, _, _)| id),
            through: self
                .last
                .and_then(|(_, _, at)| DateTime::from_timestamp_millis(at)),
            problem: self.problem,
            anchor: self
                .last
                .map(|(entry, hash, _)| ChainAnchor { entry, hash }.to_string()),
            purged_through: self.purged_through.map(|(_, at)| at),
            anchor_check: self.anchor_check,
            pending: head_now.pending,
        }
    }
}

impl ChainVerifier {
    /// Whether the chain's record of a purge (its base and newest entry removed) is what
    /// the newest purge entry in the chain says; a chain never purged needs no voucher.
    fn purge_vouched_for(&self) -> bool {
        let purged = self.purged_through.map(|(id, _)| id);
        match self.vouched {
            None => purged.is_none() && self.base == GENESIS,
            Some((through, Some(base))) => through == purged.unwrap_or(0) && base == self.base,
            // An entry from before purges vouched for their base names the newest entry it
            // removed, or 0 when it removed none.
            Some((through, None)) => through == 0 || Some(through) == purged,
        }
    }
}

fn as_hash(bytes: &Option<Vec<u8>>) -> Option<ChainHash> {
    bytes.as_deref().and_then(|b| b.try_into().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, prev: ChainHash, action: &str) -> ChainRow {
        let mut row = ChainRow {
            id,
            at_millis: 1_700_000_000_000 + id,
            actor: "ada".into(),
            workstation: "desk".into(),
            origin: "desktop".into(),
            action: action.into(),
            target_kind: "user".into(),
            target_id: id,
            target_name: format!("user {id}"),
            changes: "[]".into(),
            prev: Some(prev.to_vec()),
            hash: None,
        };
        row.hash = Some(link(&prev, &row.content()).to_vec());
        row
    }

    /// A chain of `n` entries and the head that closes it.
    fn chain(n: i64) -> (Vec<ChainRow>, ChainHead) {
        let mut rows = Vec::new();
        let mut prev = GENESIS;
        for id in 1..=n {
            let r = row(id, prev, "user.update");
            prev = as_hash(&r.hash).unwrap();
            rows.push(r);
        }
        let head = ChainHead {
            base: GENESIS,
            head: prev,
            purged_through: None,
            missing: false,
            pending: 0,
        };
        (rows, head)
    }

    fn verify(rows: &[ChainRow], head: &ChainHead) -> ChainReport {
        let mut verifier = ChainVerifier::new(head, None);
        for r in rows {
            verifier.check(r);
        }
        verifier.finish(head)
    }

    #[test]
    fn an_untouched_chain_is_intact() {
        let (rows, head) = chain(5);
        let report = verify(&rows, &head);
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 5);
        assert_eq!((report.first, report.last), (Some(1), Some(5)));
        assert!(
            report
                .summary()
                .starts_with("intact, 5 entries, through 2023-11-14")
        );
    }

    #[test]
    fn each_kind_of_tampering_is_named_at_its_entry() {
        let (rows, head) = chain(6);

        let mut edited = rows.clone();
        edited[2].actor = "mallory".into();
        assert_eq!(
            verify(&edited, &head).problem,
            Some(ChainProblem::Changed { entry: 3 })
        );

        let mut removed = rows.clone();
        removed.remove(3);
        assert_eq!(
            verify(&removed, &head).problem,
            Some(ChainProblem::Broken {
                entry: 5,
                after: Some(3)
            })
        );

        let mut inserted = rows.clone();
        let forged = row(30, as_hash(&rows[2].hash).unwrap(), "user.delete");
        inserted.insert(3, forged);
        assert_eq!(
            verify(&inserted, &head).problem,
            Some(ChainProblem::Inserted { entry: 30 })
        );

        let mut unlinked = rows.clone();
        unlinked.insert(3, row(31, [7; 32], "user.delete"));
        assert_eq!(
            verify(&unlinked, &head).problem,
            Some(ChainProblem::Inserted { entry: 31 })
        );

        let mut unsealed = rows.clone();
        unsealed[4].hash = None;
        assert_eq!(
            verify(&unsealed, &head).problem,
            Some(ChainProblem::Unsealed { entry: 5 })
        );

        assert_eq!(
            verify(&rows[1..], &head).problem,
            Some(ChainProblem::Broken {
                entry: 2,
                after: None
            })
        );
        assert_eq!(
            verify(&rows[..4], &head).problem,
            Some(ChainProblem::Truncated { after: Some(4) })
        );
        assert_eq!(
            verify(&[], &head).problem,
            Some(ChainProblem::Truncated { after: None })
        );

        let mut appended = rows.clone();
        appended.push(row(7, as_hash(&rows[5].hash).unwrap(), "user.delete"));
        assert_eq!(
            verify(&appended, &head).problem,
            Some(ChainProblem::Appended { after: 6 })
        );
    }

    #[test]
    fn entries_written_during_the_walk_are_accepted() {
        let (rows, head_then) = chain(4);
        let (more, head_now) = chain(6);
        let mut verifier = ChainVerifier::new(&head_then, None);
        for r in rows.iter().chain(&more[4..]) {
            verifier.check(r);
        }
        assert_eq!(verifier.finish(&head_now).problem, None);
    }

    #[test]
    fn an_anchor_shows_a_rewritten_log() {
        let (rows, head) = chain(5);
        let anchor = ChainAnchor::parse(&verify(&rows, &head).anchor.unwrap()).unwrap();
        assert_eq!(anchor.entry, 5);

        let mut verifier = ChainVerifier::new(&head, Some(anchor.clone()));
        rows.iter().for_each(|r| verifier.check(r));
        assert_eq!(
            verifier.finish(&head).anchor_check,
            Some(AnchorCheck::Confirmed)
        );

        // Everything rewritten from entry 3 on, head included: consistent, but not the
        // chain the anchor saw.
        let mut rewritten = rows[..2].to_vec();
        let mut prev = as_hash(&rows[1].hash).unwrap();
        for id in 3..=5 {
            let r = row(id, prev, "user.delete");
            prev = as_hash(&r.hash).unwrap();
            rewritten.push(r);
        }
        let forged_head = ChainHead {
            head: prev,
            ..head.clone()
        };
        let mut verifier = ChainVerifier::new(&forged_head, Some(anchor));
        rewritten.iter().for_each(|r| verifier.check(r));
        let report = verifier.finish(&forged_head);
        assert_eq!(report.problem, None);
        assert_eq!(report.anchor_check, Some(AnchorCheck::Rewritten));
    }

    #[test]
    fn anchors_read_back_from_a_saved_file() {
        let anchor = ChainAnchor {
            entry: 42,
            hash: [0xab; 32],
        };
        let file = format!("Roster audit anchor\n{anchor}\nprinted 2026-11-26\n");
        assert_eq!(ChainAnchor::parse(&file), Some(anchor));
        assert_eq!(ChainAnchor::parse("entry=4 sha256=00"), None);
        assert_eq!(ChainAnchor::parse("roster-audit-anchor-v1 entry=x"), None);
    }
}
