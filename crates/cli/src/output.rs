//! How results and errors are printed: for people, or as JSON for scripts.

use chrono::{DateTime, Local, Utc};
use roster_core::{Error, ErrorCode, FieldError, Message};
use serde::Serialize;

/// `println!` for the CLI's output: when the reader has gone away (`roster user list |
/// head -3`), the command ends quietly instead of panicking on the closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use say;

/// Writes to standard output; a closed pipe ends the process with success, as a reader
/// that stopped reading asked for; any other failure ends it with an error.
pub fn write_out(text: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write the output: {e}");
        std::process::exit(1);
    }
}

#[derive(Clone, Copy)]
pub struct Output {
    pub json: bool,
}

/// An error as the CLI reports it: a stable code and a message a person can act on.
#[derive(Debug)]
pub struct CliError {
    pub code: &'static str,
    pub message: String,
    /// The message as core said it, for a person reading another language.
    pub said: Option<Message>,
    pub fields: Vec<FieldError>,
}

impl CliError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            said: None,
            fields: Vec::new(),
        }
    }

    pub fn open(e: roster_store::OpenError) -> Self {
        CliError::new("database", e.to_string())
    }

    pub fn usage(message: String) -> Self {
        let first_line = message.lines().next().unwrap_or_default();
        CliError::new("usage", first_line.trim_start_matches("error: ").to_owned())
    }

    pub fn internal(message: String) -> Self {
        CliError::new(ErrorCode::Internal.as_str(), message)
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError {
            code: e.code().as_str(),
            message: e.to_string(),
            said: e.message().cloned(),
            fields: e.fields(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fields: &'a [FieldError],
}

impl Output {
    /// A running count for a person watching a terminal (rows so far and the time, on
    /// stderr); hidden with --json or when the output goes to a file or a pipe.
    pub fn progress(&self, what: &'static str) -> indicatif::ProgressBar {
        use std::io::IsTerminal;
        if self.json || !std::io::stdout().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} {human_pos} {msg} in {elapsed}")
        {
            bar.set_style(style);
        }
        bar.set_message(what);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }

    pub fn error(&self, e: &CliError) {
        if self.json {
            let body = serde_json::json!({
                "error": ErrorBody { code: e.code, message: &e.message, fields: &e.fields }
            });
            eprintln!("{body}");
        } else {
            // People read the terminal's language (`LANG`); scripts read --json, in English.
            let language = roster_l10n::terminal_language();
            let said = |f: &FieldError| match &f.message_id {
                Some(id) => roster_l10n::localize(language, id, &f.args),
                None => f.message.clone(),
            };
            let joined = |say: &dyn Fn(&FieldError) -> String| {
                let each: Vec<String> = e
                    .fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, say(f)))
                    .collect();
                each.join("; ")
            };
            if !e.fields.is_empty() && e.message == joined(&|f| f.message.clone()) {
                eprintln!("roster: {}", joined(&said));
                return;
            }
            match &e.said {
                Some(said) => eprintln!(
                    "roster: {}",
                    roster_l10n::localize(language, said.id, &said.args)
                ),
                None => eprintln!("roster: {}", e.message),
            }
            // A message that already lists them (a field error) is enough on its own.
            for field in e.fields.iter().filter(|f| !e.message.contains(&f.message)) {
                eprintln!("  {}: {}", field.field, said(field));
            }
        }
    }

    /// Prints `value` as JSON, or runs `human` to print it for people.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce()) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => say!("{text}"),
                Err(e) => eprintln!("roster: cannot write JSON: {e}"),
            }
        } else {
            human();
        }
    }
}

pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub fn optional_time(at: Option<DateTime<Utc>>) -> String {
    at.map(local_time).unwrap_or_else(|| "never".into())
}
