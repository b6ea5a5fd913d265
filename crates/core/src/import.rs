//! Users read from a spreadsheet, and what importing them did. Reading the file is the
//! front end's (roster-csv); checking each row and writing them is `Roster::import_users`.

use crate::user::NewUser;
use serde::{Deserialize, Serialize};

/// One row of the file, mapped to the fields of a new user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRow {
    /// The line the row starts on, as the spreadsheet numbers it.
    pub line: u64,
    pub user: NewUser,
    /// Groups to put the user in, created when missing.
    pub groups: Vec<String>,
    pub password: Option<String>,
}

/// What is wrong with one row: where, which column, what it held, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowProblem {
    pub line: u64,
    pub column: Option<String>,
    pub value: Option<String>,
    pub message: String,
    /// The message's id in the catalogues and its values ([`crate::FieldError`]), for a
    /// reader of another language; none where the English has no catalogue message yet.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The message's values (boxed: a problem travels in every row's `Result`, which stays
    /// small without them).
    #[serde(default)]
    pub args: Option<Box<crate::Args>>,
    /// The file cannot be read past this row (it is beyond what the reader takes, or
    /// reading failed), and `message` says where and why: the import stops with that
    /// error and writes nothing, even with `skip_invalid`, since the rows after it were
    /// never seen.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub ends_file: bool,
}

impl RowProblem {
    /// A field's problem on line `line`, its message kept with its catalogue id.
    pub fn about_field(line: u64, value: Option<String>, problem: crate::FieldError) -> Self {
        RowProblem {
            line,
            column: Some(problem.field),
            value,
            message: problem.message,
            message_id: problem.message_id,
            args: Some(Box::new(problem.args)).filter(|args| !args.is_empty()),
            ends_file: false,
        }
    }
}

/// Asks a running import to stop, writing nothing; shared between the import and whoever
/// may cancel it. The import looks before each batch and rolls its transaction back
/// itself: a task dropped mid-write instead can leave a begun transaction holding the
/// write lock on a pooled connection.
#[derive(Debug, Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Two imports' options are alike whatever can cancel them.
impl PartialEq for Cancel {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Cancel {}

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ImportOptions {
    /// Check every row and report; write nothing.
    pub dry_run: bool,
    /// Import the valid rows and skip the others (default: all or nothing).
    pub skip_invalid: bool,
    /// New users start active instead of staged with an invitation.
    pub activate: bool,
    /// A row whose email a user already has updates that user (the fields the file gives;
    /// empty cells leave a value as it is) instead of being refused as a duplicate.
    pub upsert: bool,
    /// Accept a password column (plain-text passwords in a spreadsheet are refused unless
    /// the admin says so).
    pub accept_passwords: bool,
    /// The file's name, for the audit trail.
    pub source: String,
    /// Set by whoever stops the import (the window's Cancel).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub cancel: Cancel,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    /// Rows read (blank lines not counted).
    pub rows: u64,
    /// New users: written, or for a dry run, to be written.
    pub created: u64,
    /// Existing users changed by an upsert (written, or to be written).
    pub updated: u64,
    /// Rows of an upsert that match their user already.
    pub unchanged: u64,
    /// Rows with problems; with `skip_invalid` they were left out, else nothing was written.
    pub invalid: u64,
    /// The problems, in file order; at most [`MAX_REPORTED_PROBLEMS`].
    pub problems: Vec<RowProblem>,
    /// Whether the users were written (false for a dry run or an import refused for its
    /// problems).
    pub written: bool,
}

/// One row of a group memberships file: a group (created when missing) and a member by
/// username or email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MembershipRow {
    pub line: u64,
    pub group: String,
    pub member: String,
}

/// One row of a devices file (an asset list): the device, and its owner by email or
/// username. The OS is text as the sheet has it ("Windows 11" is not one Roster knows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceRow {
    pub line: u64,
    pub name: String,
    pub os: String,
    pub model: String,
    pub serial: String,
    pub owner: String,
}

/// One membership, as an export writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub group: String,
    pub username: String,
    pub email: String,
}

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum ImportProgress {
    /// This many rows read and checked so far.
    Checking { rows: u64 },
    /// Every row checked; the transaction holding this many users commits.
    Writing { users: u64 },
}

/// Problems kept for the report; beyond this only the count grows.
pub const MAX_REPORTED_PROBLEMS: usize = 100_000;
