//! The Audit log screen: its entries, their export, the chain's verification and purging
//! what the retention setting no longer keeps.

use super::Reply;
use super::transfer::{ExportDone, ask};
use crate::AppState;
use roster_core::{AuditEntry, AuditPurge, AuditQuery, ChainAnchor, ChainReport, Error, Transfer};
use roster_csv::{AuditFormat, FileExport};
use tauri::State;

#[tauri::command]
pub async fn audit_entries(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> Reply<Vec<AuditEntry>> {
    let access = state.ready().await?;
    Ok(access.roster.audit(&access.actor, &query).await?)
}

/// Exports the entries the screen's filters match to a file the admin chooses, as CSV or
/// JSON lines (`csv`, `jsonl`); `null` when they cancel the dialog.
#[tauri::command]
pub async fn export_audit_to_file(
    state: State<'_, AppState>,
    query: AuditQuery,
    format: String,
) -> Reply<Option<ExportDone>> {
    let access = state.ready().await?;
    Transfer::ExportAudit.check(&access.actor)?;
    let format: AuditFormat = format
        .parse()
        .map_err(|e: String| Error::invalid("format", e))?;
    let picked = ask(state.picker()?, move |p| match format {
        AuditFormat::Csv => p.save_spreadsheet("dialog-export-audit-log", "roster-audit.csv"),
        AuditFormat::JsonLines => {
            p.save_json_lines("dialog-export-audit-log", "roster-audit.jsonl")
        }
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    let mut file =
        FileExport::audit(&path, format, false).map_err(|e| super::CommandError::io(&e))?;
    let rows = access
        .roster
        .export_audit(&access.actor, &query, &mut |entry| file.write(entry))
        .await?;
    let path = file.finish().map_err(|e| super::CommandError::io(&e))?;
    Ok(Some(ExportDone {
        file: path.display().to_string(),
        rows,
    }))
}

/// Walks the whole chain; with an anchor saved earlier (its text), also checks the log was
/// not rewritten since.
#[tauri::command]
pub async fn verify_audit(
    state: State<'_, AppState>,
    anchor: Option<String>,
) -> Reply<ChainReport> {
    let access = state.ready().await?;
    let anchor = match anchor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(text) => Some(ChainAnchor::parse(text).ok_or_else(|| {
            Error::invalid(
                "anchor",
                "paste the whole anchor line, as saved: roster-audit-anchor-v1 entry=… sha256=…",
            )
        })?),
        None => None,
    };
    Ok(access.roster.verify_audit(&access.actor, anchor).await?)
}

/// Purges what the retention setting no longer keeps; `null` when entries are kept forever.
#[tauri::command]
pub async fn apply_audit_retention(state: State<'_, AppState>) -> Reply<Option<AuditPurge>> {
    let access = state.ready().await?;
    Ok(access.roster.apply_audit_retention(&access.actor).await?)
}
