use serde::Serialize;
use std::fmt;

pub use roster_l10n::{Arg, Args};

/// A sentence from the message catalogues (`locales/*.ftl`): its id and its placeholders'
/// values. Core says what happened in these; each front end renders them in its reader's
/// language, and [`Message::english`] is what logs and English scripts read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Args,
}

impl Message {
    pub fn new<const N: usize>(id: &'static str, args: [(&str, Arg); N]) -> Self {
        Message {
            id,
            args: args
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    pub fn english(&self) -> String {
        roster_l10n::english(self.id, &self.args)
    }
}

/// `message!("validate-email-invalid", value = "jana@")`: a [`Message`] with its placeholders.
#[macro_export]
macro_rules! message {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Message::new($id, [$((stringify!($name), $crate::Arg::from($value))),*])
    };
}

/// What a person reads about a field: a catalogue message, or an English sentence where the
/// message has not been moved into the catalogues yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Message(Message),
    English(String),
}

impl From<Message> for Text {
    fn from(message: Message) -> Self {
        Text::Message(message)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::English(text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::English(text.to_owned())
    }
}

/// A problem with one input field, phrased so a person knows what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldError {
    pub field: String,
    /// The sentence in English.
    pub message: String,
    /// The sentence's id in the message catalogues, for a reader of another language; none
    /// where the English has no catalogue message yet.
    pub message_id: Option<String>,
    /// The values of the message's placeholders.
    pub args: Args,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<Text>) -> Self {
        let (message, message_id, args) = match message.into() {
            Text::Message(m) => (m.english(), Some(m.id.to_owned()), m.args),
            Text::English(text) => (text, None, Args::new()),
        };
        Self {
            field: field.to_owned(),
            message,
            message_id,
            args,
        }
    }

    /// The same problem with a note before it, in English only (the catalogue message would
    /// leave the note out).
    pub fn prefixed(self, note: &str) -> Self {
        FieldError::new(&self.field, format!("{note}: {}", self.message))
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Stable, machine-readable error codes: scripts and the UI branch on these, never on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    IllegalTransition,
    VersionConflict,
    Storage,
    /// The signed-in person's role does not allow this.
    Forbidden,
    /// Nobody is signed in, or the session expired.
    SignInRequired,
    /// Wrong username, email or password (never says which).
    BadCredentials,
    /// Locked by an admin or after too many failed sign-ins.
    AccountLocked,
    /// Suspended by an admin.
    AccountSuspended,
    /// The password was right; now the authenticator code is needed.
    SecondFactorRequired,
    /// A wrong, expired or already used authenticator or recovery code.
    BadCode,
    /// The database could not be opened.
    Database,
    /// A file could not be read or written.
    Io,
    /// The admin stopped a long action (an import) before it finished; nothing was written.
    Cancelled,
    /// A bug in Roster stopped the action (a panic); the front end asks for a report.
    Internal,
    /// Another admin's unfinished change held what this one needed; trying again works.
    Busy,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::IllegalTransition => "illegal_transition",
            ErrorCode::VersionConflict => "version_conflict",
            ErrorCode::Storage => "storage",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::SignInRequired => "sign_in_required",
            ErrorCode::BadCredentials => "bad_credentials",
            ErrorCode::AccountLocked => "account_locked",
            ErrorCode::AccountSuspended => "account_suspended",
            ErrorCode::SecondFactorRequired => "second_factor_required",
            ErrorCode::BadCode => "bad_code",
            ErrorCode::Database => "database",
            ErrorCode::Io => "io",
            ErrorCode::Busy => "busy",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Every way a Roster service can refuse or fail. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", join_fields(.0))]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    /// A unique value is already taken (username, email, group name).
    #[error("{0}")]
    Conflict(FieldError),
    #[error("{0}")]
    IllegalTransition(String),
    #[error("{0}")]
    VersionConflict(String),
    #[error("database error: {0}")]
    Storage(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    SignInRequired(String),
    /// A sign-in or code check failed; the code says how, the message says what to do.
    #[error("{}", .1.english())]
    SignIn(ErrorCode, Message),
    /// A file the front end handed over could not be written.
    #[error("{0}")]
    Io(String),
    /// Another writer held what this write needed for longer than Roster waits.
    #[error("{0}")]
    Busy(String),
    /// The admin stopped the job ([`crate::Cancel`]); nothing of it was written.
    #[error("{0}")]
    Cancelled(String),
}

impl Error {
    pub fn invalid(field: &str, message: impl Into<Text>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::IllegalTransition(_) => ErrorCode::IllegalTransition,
            Error::VersionConflict(_) => ErrorCode::VersionConflict,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::SignInRequired(_) => ErrorCode::SignInRequired,
            Error::SignIn(code, _) => *code,
            Error::Io(_) => ErrorCode::Io,
            Error::Busy(_) => ErrorCode::Busy,
            Error::Cancelled(_) => ErrorCode::Cancelled,
        }
    }

    /// What the error says as a catalogue message, where it is one (the field errors carry
    /// their own).
    pub fn message(&self) -> Option<&Message> {
        match self {
            Error::SignIn(_, message) => Some(message),
            _ => None,
        }
    }

    /// The fields this error is about, for forms that show messages next to inputs.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            Error::Validation(fields) => fields.clone(),
            Error::Conflict(field) => vec![field.clone()],
            _ => Vec::new(),
        }
    }
}

fn join_fields(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a repository reports. Services turn these into [`Error`]s with context.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; `field` names the domain field and `index`
    /// the position of the offending record in a batch (0 for single writes).
    #[error("{field} is already taken")]
    Duplicate { field: &'static str, index: usize },
    /// The value differs from another record's only in characters that look alike
    /// ([`crate::lookalike_key`]); `field` and `index` as for `Duplicate`.
    #[error("{field} looks like one already taken")]
    Lookalike { field: &'static str, index: usize },
    /// A referenced record (role, user, group) does not exist.
    #[error("{field} refers to something that does not exist")]
    MissingReference { field: &'static str },
    /// The row changed since it was read (optimistic concurrency).
    #[error("the record was changed by someone else")]
    Stale,
    #[error("not found")]
    NotFound,
    /// The database could not be reached, or the connection was lost mid-way.
    #[error("the database cannot be reached: {0}")]
    Unreachable(String),
    /// Another transaction held a row this write needed for longer than Roster waits
    /// (or the two held rows each other needed, and retrying did not get past it).
    #[error("another change holds what this one needs")]
    Busy,
    /// The database ended the write to break a deadlock: it and another each held a row
    /// the other needed. The other went on; this one can run again.
    #[error("another change and this one each held what the other needed")]
    Deadlock,
    /// The write took away the last Owner anyone can sign in as ([`crate::User::is_usable_owner`]):
    /// another write at the same moment took away the others.
    #[error("no Owner who can sign in would be left")]
    NoOwnerLeft,
    /// A device was to be enrolled with a user token that, by the time it was written, was
    /// revoked or expired, or whose owner was deleted or no longer enrolls devices
    /// ([`crate::Status::ENROLLS_DEVICES`]).
    #[error("the token was withdrawn while the device was enrolled")]
    TokenWithdrawn,
    /// A manager given by the write reports, directly or through others, to the user:
    /// another write at the same moment made the chain come back
    /// ([`crate::MAX_REPORTING_CHAIN`] managers are followed).
    #[error("the chain of managers would come back to the user")]
    ReportingLoop,
    /// A value the write gives no longer fits the attribute of this name: another admin
    /// changed its definition (took a choice away) after the value was checked.
    #[error("the attribute {0} was changed meanwhile")]
    AttributeRedefined(String),
    /// A file the store reads or writes besides the database (a backup) is unusable.
    #[error("{0}")]
    File(String),
    /// An encrypted backup was given no passphrase, or one that does not open it.
    #[error("{0}")]
    Passphrase(String),
    #[error("{0}")]
    Backend(String),
}

/// What a store refusal means to the person acting. Services give a more specific message
/// where they know more (which user, which group name).
impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Duplicate { field, .. } => Error::Conflict(FieldError::new(
                field,
                crate::message!("error-taken", field = field),
            )),
            StoreError::Lookalike { field, .. } => Error::Conflict(lookalike(field)),
            StoreError::MissingReference { field } => {
                Error::NotFound(format!("the {field} no longer exists; nothing was changed"))
            }
            StoreError::Stale => Error::VersionConflict(
                "it was changed by someone else meanwhile; nothing was changed, try again".into(),
            ),
            StoreError::NotFound => {
                Error::NotFound("it no longer exists; nothing was changed".into())
            }
            // A write whose connection dropped before its commit was answered may or may
            // not have landed; it is never repeated behind the person's back.
            StoreError::Unreachable(message) => Error::Storage(format!(
                "the connection to the database was lost ({message}); what you were saving \
                 may not have been saved: reload to check, then try again"
            )),
            StoreError::Busy | StoreError::Deadlock => Error::Busy(
                "someone else is changing this right now (another admin's save, or an import \
                 that has not finished); nothing was changed: try again in a moment"
                    .into(),
            ),
            StoreError::NoOwnerLeft => Error::Forbidden(
                "this would leave no Owner who can sign in: another administrator has just \
                 taken away the other Owners' rights; nothing was changed: make another \
                 account an Owner first"
                    .into(),
            ),
            StoreError::TokenWithdrawn => Error::IllegalTransition(
                "the token was revoked or expired, or its user suspended, locked or deleted, while \
                 the device was being enrolled; nothing was written: ask for a new token"
                    .into(),
            ),
            StoreError::ReportingLoop => Error::Validation(vec![FieldError::new(
                "manager",
                crate::message!("error-reporting-loop-meanwhile"),
            )]),
            StoreError::AttributeRedefined(name) => Error::Validation(vec![FieldError::new(
                &name,
                crate::message!("error-attribute-redefined"),
            )]),
            StoreError::File(message) => Error::Io(message),
            StoreError::Passphrase(message) => Error::invalid("passphrase", message),
            StoreError::Backend(message) => Error::Storage(message),
        }
    }
}

/// The refusal of a name that can pass for another user's. It names no one: the other
/// user may be outside what the person acting may see.
pub(crate) fn lookalike(field: &'static str) -> FieldError {
    FieldError::new(field, crate::message!("error-lookalike", field = field))
}
