//! The commands the UI invokes. Each one gets the services through the session's
//! permission check (src/access.rs), calls one service and maps the error; anything more
//! belongs in roster-core.

pub mod account;
pub mod admin;
pub mod audit;
pub mod connect;
pub mod devices;
pub mod directory;
pub mod transfer;
#[cfg(test)]
mod typescript;
pub mod updates;
pub mod window;

use roster_core::{Args, Error, ErrorCode, FieldError, UserId, UserRef};
use serde::Serialize;

/// What a failed command returns to the UI.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct CommandError {
    /// Stable code the UI branches on (`validation`, `forbidden`, `sign_in_required`, …).
    pub code: ErrorCode,
    /// A sentence saying what happened and what to do, in English.
    pub message: String,
    /// The sentence's id in the message catalogues and its values, for the window to say
    /// it in its language; none where the English has no catalogue message yet.
    pub message_id: Option<String>,
    pub args: Args,
    pub fields: Vec<FieldError>,
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        log::log!(log_level(e.code()), "{}: {e}", e.code().as_str());
        let (message_id, args) = match e.message() {
            Some(said) => (Some(said.id.to_owned()), said.args.clone()),
            None => (None, Args::new()),
        };
        CommandError {
            code: e.code(),
            message: e.to_string(),
            message_id,
            args,
            fields: e.fields(),
        }
    }
}

/// How a refusal is logged: what support needs to see (a failure of the program, the
/// database or a file; a refusal the person may not understand) as a problem, what the
/// person simply put right (a typo, a wrong password) only as information.
fn log_level(code: ErrorCode) -> log::Level {
    use ErrorCode::*;
    match code {
        Storage | Database | Io | Internal => log::Level::Error,
        Forbidden | Conflict | VersionConflict | Busy | AccountLocked | AccountSuspended => {
            log::Level::Warn
        }
        Validation | NotFound | IllegalTransition | SignInRequired | BadCredentials
        | SecondFactorRequired | BadCode | Cancelled => log::Level::Info,
    }
}

impl CommandError {
    /// A refusal the desktop words itself, in English (not in the catalogues yet).
    pub fn english(code: ErrorCode, message: String) -> Self {
        CommandError {
            code,
            message,
            message_id: None,
            args: Args::new(),
            fields: Vec::new(),
        }
    }

    pub fn io(message: &str) -> Self {
        log::error!("io: {message}");
        CommandError::english(ErrorCode::Io, message.to_owned())
    }

    /// `command` panicked with `panic` (its payload): a bug in Roster, not the person's
    /// mistake.
    pub fn internal(command: &str, panic: &(dyn std::any::Any + Send)) -> Self {
        let what = panic
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic without a message");
        log::error!("internal: {command} panicked: {what}");
        CommandError::english(
            ErrorCode::Internal,
            format!("internal error in {command}: {what}; please report it"),
        )
    }
}

pub type Reply<T> = Result<T, CommandError>;

/// Which Roster this is and what it is connected to, for the status bar and About.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct DatabaseInfo {
    /// The workspace version (Cargo.toml), the one number the installers carry too.
    pub version: String,
    pub backend: String,
    pub location: String,
    /// The window's title, naming the directory open.
    pub title: String,
}

fn by_ids(ids: &[UserId]) -> Vec<UserRef> {
    ids.iter().map(|id| UserRef::Id(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::{
        BulkEdit, Facets, GroupPatch, NewGroup, NewUser, Overview, StatusAction, UserPage,
        UserPatch, UserQuery, UserRows,
    };
    use std::path::Path;
    use ts_rs::{Config, TS};

    /// The UI's TypeScript types are generated from these Rust types and committed; this
    /// fails when they are stale. `cargo xtask codegen` rewrites them.
    #[test]
    fn ui_bindings_are_up_to_date() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = fresh_dir.path();
        export_all(fresh);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::remove_dir_all(&committed).ok();
            export_all(&committed);
            return;
        }
        let mut stale = Vec::new();
        for entry in std::fs::read_dir(fresh).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            let want = std::fs::read_to_string(entry.path()).unwrap();
            let have = std::fs::read_to_string(committed.join(&name)).unwrap_or_default();
            if want != have {
                stale.push(name.to_string_lossy().into_owned());
            }
        }
        let fresh_count = std::fs::read_dir(fresh).unwrap().count();
        let committed_count = std::fs::read_dir(&committed)
            .map(|d| d.count())
            .unwrap_or(0);
        assert!(
            stale.is_empty() && fresh_count == committed_count,
            "ui/src/bindings is stale ({stale:?}, {committed_count} files, {fresh_count} expected); run `cargo xtask codegen`"
        );
    }

    /// Every `#[tauri::command]` is in the one list (`with_commands!`), from which its
    /// handler, permission and grant follow; nothing else is.
    #[test]
    fn every_command_is_listed_once() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
        let code: String = typescript::MODULES
            .iter()
            .map(|module| read(&format!("src/commands/{module}.rs")))
            .collect();
        let mut defined: Vec<&str> = code
            .split("#[tauri::command]")
            .skip(1)
            .filter_map(|rest| rest.split("fn ").nth(1)?.split(['(', '<']).next())
            .collect();
        assert!(defined.len() > 10, "found the commands: {defined:?}");
        defined.sort_unstable();
        let mut listed = crate::COMMANDS.to_vec();
        listed.sort_unstable();
        assert_eq!(
            listed, defined,
            "src/command_names.rs names each #[tauri::command] once, and nothing else"
        );
        let capability = read("capabilities/main.json");
        for name in &defined {
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "{permission} is missing from capabilities/main.json, which build.rs writes"
            );
        }
    }

    fn export_all(dir: &Path) {
        // IDs and counts stay far below 2^53, so plain numbers are exact in JavaScript.
        let config = Config::new().with_out_dir(dir).with_large_int("number");
        UserPage::export_all(&config).unwrap();
        UserRows::export_all(&config).unwrap();
        roster_core::Count::export_all(&config).unwrap();
        roster_core::BackupList::export_all(&config).unwrap();
        roster_core::BackupContents::export_all(&config).unwrap();
        roster_core::Restored::export_all(&config).unwrap();
        UserQuery::export_all(&config).unwrap();
        NewUser::export_all(&config).unwrap();
        UserPatch::export_all(&config).unwrap();
        BulkEdit::export_all(&config).unwrap();
        StatusAction::export_all(&config).unwrap();
        NewGroup::export_all(&config).unwrap();
        GroupPatch::export_all(&config).unwrap();
        Overview::export_all(&config).unwrap();
        Facets::export_all(&config).unwrap();
        roster_core::Organization::export_all(&config).unwrap();
        roster_core::Attribute::export_all(&config).unwrap();
        roster_core::NewAttribute::export_all(&config).unwrap();
        roster_core::AttributeEdit::export_all(&config).unwrap();
        roster_core::DevicePage::export_all(&config).unwrap();
        roster_core::DeviceQuery::export_all(&config).unwrap();
        roster_core::DeviceDraft::export_all(&config).unwrap();
        roster_core::DeviceCount::export_all(&config).unwrap();
        CommandError::export_all(&config).unwrap();
        account::SessionState::export_all(&config).unwrap();
        roster_core::SetPassword::export_all(&config).unwrap();
        roster_core::PasswordSet::export_all(&config).unwrap();
        roster_core::Enrollment::export_all(&config).unwrap();
        roster_core::FirstOwner::export_all(&config).unwrap();
        roster_core::RedeemCode::export_all(&config).unwrap();
        roster_core::SignInRequest::export_all(&config).unwrap();
        roster_core::SignInEntry::export_all(&config).unwrap();
        roster_core::IssuedToken::export_all(&config).unwrap();
        roster_core::TokenQuery::export_all(&config).unwrap();
        roster_core::Role::export_all(&config).unwrap();
        roster_core::RoleInput::export_all(&config).unwrap();
        roster_core::Settings::export_all(&config).unwrap();
        roster_core::MailMessage::export_all(&config).unwrap();
        DatabaseInfo::export_all(&config).unwrap();
        crate::updates::UpdateStatus::export_all(&config).unwrap();
        connect::Connections::export_all(&config).unwrap();
        crate::connection::ConnectionState::export_all(&config).unwrap();
        transfer::ImportPreview::export_all(&config).unwrap();
        transfer::ImportChoice::export_all(&config).unwrap();
        transfer::ExportChoice::export_all(&config).unwrap();
        transfer::ExportDone::export_all(&config).unwrap();
        transfer::SheetPreview::export_all(&config).unwrap();
        roster_core::ImportProgress::export_all(&config).unwrap();
        roster_core::AuditQuery::export_all(&config).unwrap();
        roster_core::AuditPurge::export_all(&config).unwrap();
        roster_core::ChainReport::export_all(&config).unwrap();
        // Last: the command wrappers import the types above.
        std::fs::write(dir.join("commands.ts"), typescript::commands_ts(dir)).unwrap();
    }
}
