//! Roles, settings, backups and the outbox.

use super::transfer::ask;
use super::{CommandError, Reply};
use crate::AppState;
use roster_core::{BackupContents, BackupList, MailMessage, Restored, Role, RoleInput, Settings};
use tauri::State;

/// How many messages the Outbox screen shows, newest first.
const OUTBOX_MESSAGES: u32 = 500;

#[tauri::command]
pub async fn list_roles(state: State<'_, AppState>) -> Reply<Vec<Role>> {
    let access = state.ready().await?;
    Ok(access.roster.list_roles(&access.actor).await?)
}

#[tauri::command]
pub async fn save_role(state: State<'_, AppState>, input: RoleInput) -> Reply<Role> {
    let access = state.ready().await?;
    Ok(access.roster.save_role(&access.actor, input).await?)
}

#[tauri::command]
pub async fn delete_role(state: State<'_, AppState>, name: String) -> Reply<()> {
    let access = state.ready().await?;
    Ok(access.roster.delete_role(&access.actor, &name).await?)
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    let access = state.ready().await?;
    Ok(access.roster.settings(&access.actor).await?)
}

/// With `smtp_password`, the mail server's password goes to the OS keyring (never to the
/// database) once the settings are saved, kept for that server alone (host, port, security
/// and user); without it, the one kept for that same server, if any, is used.
#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: Settings,
    smtp_password: Option<String>,
) -> Reply<Settings> {
    let access = state.ready().await?;
    let saved = access.roster.save_settings(&access.actor, settings).await?;
    if let Some(password) = smtp_password.filter(|p| !p.is_empty()) {
        let mailer = roster_mail::SmtpMailer::new();
        access
            .roster
            .set_smtp_password(&access.actor, &mailer, &saved, &password)
            .await?;
    }
    Ok(saved)
}

#[tauri::command]
pub async fn send_test_mail(state: State<'_, AppState>, to: String) -> Reply<()> {
    let access = state.ready().await?;
    Ok(access.roster.queue_test_mail(&access.actor, &to).await?)
}

#[tauri::command]
pub async fn outbox(state: State<'_, AppState>) -> Reply<Vec<MailMessage>> {
    let access = state.ready().await?;
    Ok(access.roster.outbox(&access.actor, OUTBOX_MESSAGES).await?)
}

/// One message whole, its one-time code shown: for someone who may set that account's
/// password, and recorded in the audit trail.
#[tauri::command]
pub async fn reveal_mail(state: State<'_, AppState>, id: i64) -> Reply<MailMessage> {
    let access = state.ready().await?;
    Ok(access.roster.reveal_mail(&access.actor, id).await?)
}

/// Writes a message as an .eml file to the Downloads folder and returns its path.
#[tauri::command]
pub async fn export_mail(state: State<'_, AppState>, id: i64) -> Reply<String> {
    let access = state.ready().await?;
    let eml = access.roster.mail_eml(&access.actor, id).await?;
    let folder = directories::UserDirs::new()
        .and_then(|dirs| dirs.download_dir().map(|d| d.to_path_buf()))
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
        .ok_or_else(|| CommandError::io("cannot find a Downloads or home folder"))?;
    let path = folder.join(format!("roster-message-{id}.eml"));
    // The message may carry a one-time code: the file is the owning account's only.
    roster_csv::write_private(&path, eml.as_bytes())
        .map_err(|e| CommandError::io(&format!("cannot write {}: {e}", path.display())))?;
    Ok(path.display().to_string())
}

/// The backups folder of a SQLite directory and the backups in it.
#[tauri::command]
pub async fn backups(state: State<'_, AppState>) -> Reply<BackupList> {
    let access = state.ready().await?;
    Ok(access.roster.backups(&access.actor).await?)
}

#[tauri::command]
pub async fn back_up_now(state: State<'_, AppState>) -> Reply<BackupContents> {
    let access = state.ready().await?;
    Ok(access.roster.back_up(&access.actor, None, None).await?)
}

/// A backup encrypted with `passphrase` (the age format) in a file the admin chooses: a
/// copy that leaves this computer. `null` when they cancel the dialog.
#[tauri::command]
pub async fn save_encrypted_backup(
    state: State<'_, AppState>,
    passphrase: String,
) -> Reply<Option<BackupContents>> {
    let access = state.ready().await?;
    // Who may, on which backend, and the passphrase are checked before the dialog opens.
    access.roster.backup_folder(&access.actor).await?;
    roster_core::check_new_passphrase(&passphrase)?;
    let suggested = format!(
        "{}.age",
        roster_core::backup_file_name(chrono::Utc::now(), false)
    );
    let picked = ask(state.picker()?, move |p| {
        p.save_backup("dialog-save-encrypted-backup", &suggested)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    let contents = access
        .roster
        .back_up(&access.actor, Some(&path), Some(&passphrase))
        .await?;
    Ok(Some(contents))
}

/// What the backup of this name in the backups folder holds, checked: shown before a restore.
#[tauri::command]
pub async fn inspect_backup(state: State<'_, AppState>, name: String) -> Reply<BackupContents> {
    let access = state.ready().await?;
    let file = access.roster.backup_named(&access.actor, &name).await?;
    Ok(access
        .roster
        .inspect_backup(&access.actor, &file, None)
        .await?)
}

/// Restores the backup of this name. Sessions the restored directory no longer holds as
/// they were (an account deleted or changed since) end at their next command.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, name: String) -> Reply<Restored> {
    let access = state.ready().await?;
    let file = access.roster.backup_named(&access.actor, &name).await?;
    Ok(access
        .roster
        .restore_backup(&access.actor, &file, None)
        .await?)
}
