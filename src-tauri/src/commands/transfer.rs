//! Import and export: spreadsheets of users, read and written in Rust. The UI picks a file
//! through [`crate::files::FilePicker`], maps columns and chooses options; the rows stay
//! here, so a million of them never cross the IPC bridge.

use super::{CommandError, Reply};
use crate::AppState;
use roster_core::{
    Actor, Cancel, DeviceQuery, Error, ImportOptions, ImportProgress, ImportReport, Roster,
    RowProblem, Transfer, UserField, UserQuery,
};
use roster_csv::{
    Column, ExportOptions, Field, FileExport, Format, HeaderStyle, ReadOptions, Sheet,
};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::State;
use tauri::ipc::Channel;

/// Problems the preview carries to the window; "Save problems…" writes them all.
const SHOWN_PROBLEMS: usize = 200;

/// One column of the file and the field it fills (`null`: ignored): a field's name, or
/// [`ATTRIBUTE_PREFIX`] and an attribute's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportColumn {
    pub header: String,
    pub field: Option<String>,
}

/// How a column mapped to an admin-defined attribute names it: `attribute:badge_number`.
const ATTRIBUTE_PREFIX: &str = "attribute:";

/// How the admin wants the chosen file read and imported.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ImportChoice {
    /// `null`: recognised from the header.
    pub format: Option<String>,
    /// Columns whose target the admin changed; the rest as the format maps them.
    pub columns: Vec<ImportColumn>,
    pub options: ImportOptions,
}

/// A value to choose and its label.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What importing the chosen file does (or did): its format and mapping, and the report.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ImportPreview {
    /// The file's name, without its folder.
    pub file: String,
    pub format: String,
    pub formats: Vec<Choice>,
    /// Every field a column can fill.
    pub fields: Vec<String>,
    /// The attributes a column can fill: `attribute:NAME` with the attribute's label.
    pub attributes: Vec<Choice>,
    pub columns: Vec<ImportColumn>,
    /// The counts, and the first problems; `problem_count` says how many there are.
    pub report: ImportReport,
    pub problem_count: u64,
}

/// What to export and how.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ExportChoice {
    /// The list's search, filters and sort, or its selection (`ids`).
    pub query: UserQuery,
    /// The columns in order; empty: what an import reads back, and every attribute.
    pub columns: Vec<UserField>,
    /// The attributes (by name) whose columns follow the chosen ones.
    #[serde(default)]
    pub attributes: Vec<String>,
    pub bom: bool,
    /// `roster`, `google` or `okta`.
    pub headers: String,
}

/// Where an export went and how many rows (users, memberships) it holds.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ExportDone {
    pub file: String,
    pub rows: u64,
}

/// The import side of the window: the chosen file, the last report's problems and the
/// import running now.
#[derive(Default)]
pub struct Transfers {
    file: Mutex<Option<PathBuf>>,
    memberships_file: Mutex<Option<PathBuf>>,
    devices_file: Mutex<Option<PathBuf>>,
    problems: Mutex<Vec<RowProblem>>,
    running: Arc<Mutex<Running>>,
}

#[derive(Default)]
enum Running {
    #[default]
    Nothing,
    /// Still checking rows (the checked ones go into an open transaction): cancelling
    /// stops it before its next batch, it rolls back, and nothing lands.
    Checking(Cancel),
    /// Committing: too late to cancel without not knowing whether it landed.
    Writing,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Everything an import needs, owned, so it can run as its own task.
struct Prepared {
    roster: Roster,
    actor: Actor,
    sheet: Sheet<File>,
    options: ImportOptions,
}

/// What the preview tells besides the report.
struct Shape {
    file: String,
    format: Format,
    columns: Vec<Column>,
    attributes: Vec<Choice>,
}

/// Opens the chosen file for whoever may import (that is checked first, before anything
/// about the file is told).
async fn prepare(state: &AppState, choice: ImportChoice) -> Reply<(Prepared, Shape)> {
    let access = state.ready().await?;
    Transfer::ImportUsers.check(&access.actor)?;
    let path = state.import_file()?;
    let format = match &choice.format {
        Some(name) => Some(
            name.parse::<Format>()
                .map_err(|e| Error::invalid("format", e))?,
        ),
        None => None,
    };
    let attributes = access.roster.attributes(&access.actor).await?;
    let mut overrides = Vec::new();
    let mut attribute_columns = Vec::new();
    for column in &choice.columns {
        let header = column.header.clone();
        match column.field.as_deref() {
            Some(target) => match target.strip_prefix(ATTRIBUTE_PREFIX) {
                Some(name) => attribute_columns.push((header, name.to_owned())),
                None => overrides.push((
                    header,
                    Some(
                        target
                            .parse::<Field>()
                            .map_err(|e| Error::invalid("columns", e))?,
                    ),
                )),
            },
            None => overrides.push((header, None)),
        }
    }
    let read = ReadOptions {
        format,
        overrides,
        attributes: attributes.iter().map(|a| a.name.clone()).collect(),
        attribute_columns,
    };
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let file = File::open(&path)
        .map_err(|e| CommandError::io(&format!("cannot open {}: {e}", path.display())))?;
    let sheet = roster_csv::open(file, &read)
        .map_err(|e| Error::invalid("file", format!("{file_name}: {e}")))?;
    let shape = Shape {
        file: file_name.clone(),
        format: sheet.format,
        columns: sheet.columns.clone(),
        attributes: attributes
            .into_iter()
            .map(|a| Choice {
                value: format!("{ATTRIBUTE_PREFIX}{}", a.name),
                label: a.label,
            })
            .collect(),
    };
    let prepared = Prepared {
        roster: access.roster.clone(),
        actor: access.actor,
        sheet,
        options: ImportOptions {
            source: file_name,
            ..choice.options
        },
    };
    Ok((prepared, shape))
}

impl Prepared {
    async fn run(
        self,
        mut progress: impl FnMut(ImportProgress) + Send,
    ) -> Result<ImportReport, Error> {
        self.roster
            .import_users(&self.actor, self.sheet.rows(), &self.options, &mut progress)
            .await
    }
}

impl AppState {
    fn import_file(&self) -> Reply<PathBuf> {
        lock(&self.transfers.file)
            .clone()
            .ok_or_else(|| Error::invalid("file", "choose a file to import first").into())
    }

    /// The report for the window: problems named by the file's headers, all of them kept
    /// for "Save problems…", the first ones sent.
    fn preview(&self, shape: Shape, mut report: ImportReport) -> ImportPreview {
        roster_csv::name_columns(&shape.columns, &mut report.problems);
        let problem_count = self.keep_problems(&mut report);
        ImportPreview {
            file: shape.file,
            format: shape.format.as_str().to_owned(),
            formats: Format::ALL
                .iter()
                .map(|f| Choice {
                    value: f.as_str().to_owned(),
                    label: f.label().to_owned(),
                })
                .collect(),
            fields: Field::all().iter().map(|f| f.as_str().to_owned()).collect(),
            attributes: shape.attributes,
            columns: shape
                .columns
                .iter()
                .map(|c| ImportColumn {
                    header: c.header.clone(),
                    field: match &c.attribute {
                        Some(name) => Some(format!("{ATTRIBUTE_PREFIX}{name}")),
                        None => c.field.map(|f| f.as_str().to_owned()),
                    },
                })
                .collect(),
            report,
            problem_count,
        }
    }

    /// Keeps every problem of the report for "Save problems…" and leaves the first ones in
    /// it for the window; returns how many there are.
    fn keep_problems(&self, report: &mut ImportReport) -> u64 {
        let count = report.problems.len() as u64;
        let shown = report
            .problems
            .iter()
            .take(SHOWN_PROBLEMS)
            .cloned()
            .collect();
        *lock(&self.transfers.problems) = std::mem::replace(&mut report.problems, shown);
        count
    }

    pub(super) fn picker(&self) -> Reply<Arc<dyn crate::files::FilePicker>> {
        self.picker
            .get()
            .cloned()
            .ok_or_else(|| CommandError::io("the file dialog is not ready yet; try again"))
    }
}

/// Runs the picker off the async runtime's workers: the OS dialog blocks until answered.
pub(super) async fn ask<T: Send + 'static>(
    picker: Arc<dyn crate::files::FilePicker>,
    ask: impl FnOnce(&dyn crate::files::FilePicker) -> T + Send + 'static,
) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || ask(picker.as_ref()))
        .await
        .map_err(|e| CommandError::io(&format!("the file dialog failed: {e}")))
}

/// Opens the file dialog; the chosen file is checked at once, as a dry run, and the
/// preview returned (`null` when the admin cancelled the dialog).
#[tauri::command]
pub async fn choose_import_file(state: State<'_, AppState>) -> Reply<Option<ImportPreview>> {
    Transfer::ImportUsers.check(&state.ready().await?.actor)?;
    let picked = ask(state.picker()?, |p| {
        p.open_spreadsheet("dialog-import-users")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    *lock(&state.transfers.file) = Some(path);
    preview_import(state, ImportChoice::default())
        .await
        .map(Some)
}

/// Checks every row of the chosen file with this mapping and these options; writes nothing.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    choice: ImportChoice,
) -> Reply<ImportPreview> {
    let (mut prepared, shape) = prepare(&state, choice).await?;
    prepared.options.dry_run = true;
    let report = prepared.run(|_| {}).await?;
    Ok(state.preview(shape, report))
}

/// Imports the chosen file, telling `progress` how far it got; [`cancel_import`] stops it
/// while rows are still being checked, with nothing written.
#[tauri::command]
pub async fn run_import(
    state: State<'_, AppState>,
    choice: ImportChoice,
    progress: Channel<ImportProgress>,
) -> Reply<ImportPreview> {
    let (mut prepared, shape) = prepare(&state, choice).await?;
    prepared.options.dry_run = false;
    let cancel = prepared.options.cancel.clone();
    *lock(&state.transfers.running) = Running::Checking(cancel);
    let running = Arc::clone(&state.transfers.running);
    let report = prepared
        .run(move |step| {
            if let ImportProgress::Writing { .. } = step {
                *lock(&running) = Running::Writing;
            }
            progress.send(step).ok();
        })
        .await;
    *lock(&state.transfers.running) = Running::Nothing;
    Ok(state.preview(shape, report?))
}

/// Stops the running import if it is still checking rows; `false` when there is none, or
/// it is already writing (its one transaction then lands or rolls back whole).
#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> Reply<bool> {
    Transfer::ImportUsers.check(&state.ready().await?.actor)?;
    let running = lock(&state.transfers.running);
    match &*running {
        Running::Checking(cancel) => {
            cancel.cancel();
            Ok(true)
        }
        Running::Nothing | Running::Writing => Ok(false),
    }
}

/// Writes every problem of the last preview or import (line, column, value, message) to a
/// CSV file the admin chooses; `null` when they cancel the dialog.
#[tauri::command]
pub async fn save_import_problems(state: State<'_, AppState>) -> Reply<Option<String>> {
    Transfer::ImportUsers.check(&state.ready().await?.actor)?;
    let problems = lock(&state.transfers.problems).clone();
    if problems.is_empty() {
        return Err(Error::invalid("problems", "the last check found no problems to save").into());
    }
    let picked = ask(state.picker()?, |p| {
        p.save_spreadsheet("dialog-save-import-problems", "import-problems.csv")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    let cannot = |e: &dyn std::fmt::Display| {
        CommandError::io(&format!("cannot write {}: {e}", path.display()))
    };
    let mut file = roster_csv::create_private(&path).map_err(|e| cannot(&e))?;
    roster_csv::write_problems(&mut file, &problems).map_err(|e| cannot(&e))?;
    file.finish().map_err(|e| cannot(&e))?;
    Ok(Some(path.display().to_string()))
}

/// Exports the users the query matches (the list's search, filters and sort, or its
/// selection) to a CSV file the admin chooses; `null` when they cancel the dialog.
#[tauri::command]
pub async fn export_users_to_file(
    state: State<'_, AppState>,
    choice: ExportChoice,
) -> Reply<Option<ExportDone>> {
    let access = state.ready().await?;
    Transfer::ExportUsers.check(&access.actor)?;
    let columns = access
        .roster
        .export_columns(&access.actor, choice.columns, choice.attributes)
        .await?;
    let options = ExportOptions {
        bom: choice.bom,
        style: choice
            .headers
            .parse::<HeaderStyle>()
            .map_err(|e| Error::invalid("headers", e))?,
    };
    let picked = ask(state.picker()?, |p| {
        p.save_spreadsheet("dialog-export-users", "roster-users.csv")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    let mut file = FileExport::create(&path, columns.fields, columns.attributes, options)
        .map_err(|e| CommandError::io(&e))?;
    let rows = access
        .roster
        .export_users(&access.actor, &choice.query, &mut |user| file.write(user))
        .await?;
    let path = file.finish().map_err(|e| CommandError::io(&e))?;
    Ok(Some(ExportDone {
        file: path.display().to_string(),
        rows,
    }))
}

/// What importing a memberships or devices file does (or did).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct SheetPreview {
    pub file: String,
    /// `created` counts the memberships or devices added (or to add), `unchanged` the
    /// memberships already there.
    pub report: ImportReport,
    pub problem_count: u64,
}

/// The file chosen for an import (`slot`), opened, with its name.
fn chosen_file(slot: &Mutex<Option<PathBuf>>, what: &str) -> Reply<(String, File)> {
    let path = lock(slot)
        .clone()
        .ok_or_else(|| Error::invalid("file", format!("choose a {what} file first")))?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let file = File::open(&path)
        .map_err(|e| CommandError::io(&format!("cannot open {}: {e}", path.display())))?;
    Ok((name, file))
}

/// Checks (`dry_run`) or imports the chosen memberships file.
async fn memberships(state: &AppState, dry_run: bool, skip_invalid: bool) -> Reply<SheetPreview> {
    let access = state.ready().await?;
    Transfer::ImportMemberships.check(&access.actor)?;
    let (name, file) = chosen_file(&state.transfers.memberships_file, "memberships")?;
    let sheet = roster_csv::open_memberships(file)
        .map_err(|e| Error::invalid("file", format!("{name}: {e}")))?;
    let options = ImportOptions {
        dry_run,
        skip_invalid,
        source: name.clone(),
        ..ImportOptions::default()
    };
    let headers = sheet.headers();
    let mut report = access
        .roster
        .import_memberships(&access.actor, sheet.rows(), &options, &mut |_| {})
        .await?;
    headers.name(&mut report.problems);
    let problem_count = state.keep_problems(&mut report);
    Ok(SheetPreview {
        file: name,
        report,
        problem_count,
    })
}

/// Opens the file dialog for a memberships file (a group and a member column) and checks
/// it, writing nothing; `null` when the admin cancelled the dialog.
#[tauri::command]
pub async fn choose_memberships_file(state: State<'_, AppState>) -> Reply<Option<SheetPreview>> {
    Transfer::ImportMemberships.check(&state.ready().await?.actor)?;
    let picked = ask(state.picker()?, |p| {
        p.open_spreadsheet("dialog-import-memberships")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    *lock(&state.transfers.memberships_file) = Some(path);
    memberships(&state, true, false).await.map(Some)
}

/// Adds the chosen file's memberships: all of them, or with `skip_invalid` the valid ones.
#[tauri::command]
pub async fn import_memberships(
    state: State<'_, AppState>,
    skip_invalid: bool,
) -> Reply<SheetPreview> {
    memberships(&state, false, skip_invalid).await
}

/// Checks (`dry_run`) or imports the chosen devices file.
async fn devices(state: &AppState, dry_run: bool, skip_invalid: bool) -> Reply<SheetPreview> {
    let access = state.ready().await?;
    Transfer::ImportDevices.check(&access.actor)?;
    let (name, file) = chosen_file(&state.transfers.devices_file, "devices")?;
    let sheet = roster_csv::open_devices(file)
        .map_err(|e| Error::invalid("file", format!("{name}: {e}")))?;
    let options = ImportOptions {
        dry_run,
        skip_invalid,
        source: name.clone(),
        ..ImportOptions::default()
    };
    let mut report = access
        .roster
        .import_devices(&access.actor, sheet.rows(), &options)
        .await?;
    let problem_count = state.keep_problems(&mut report);
    Ok(SheetPreview {
        file: name,
        report,
        problem_count,
    })
}

/// Opens the file dialog for a devices file (an asset list: name, OS and owner columns)
/// and checks it, writing nothing; `null` when the admin cancelled the dialog.
#[tauri::command]
pub async fn choose_devices_file(state: State<'_, AppState>) -> Reply<Option<SheetPreview>> {
    Transfer::ImportDevices.check(&state.ready().await?.actor)?;
    let picked = ask(state.picker()?, |p| {
        p.open_spreadsheet("dialog-import-devices")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    *lock(&state.transfers.devices_file) = Some(path);
    devices(&state, true, false).await.map(Some)
}

/// Records the chosen file's devices: all of them, or with `skip_invalid` the valid ones.
#[tauri::command]
pub async fn import_devices(state: State<'_, AppState>, skip_invalid: bool) -> Reply<SheetPreview> {
    devices(&state, false, skip_invalid).await
}

/// Exports every group membership (group, username, email) to a CSV file the admin
/// chooses; `null` when they cancel the dialog.
#[tauri::command]
pub async fn export_memberships_to_file(state: State<'_, AppState>) -> Reply<Option<ExportDone>> {
    let access = state.ready().await?;
    Transfer::ExportMemberships.check(&access.actor)?;
    let picked = ask(state.picker()?, |p| {
        p.save_spreadsheet("dialog-export-memberships", "roster-memberships.csv")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    let mut file = FileExport::memberships(&path, false).map_err(|e| CommandError::io(&e))?;
    let rows = access
        .roster
        .export_memberships(&access.actor, &mut |m| file.write(m))
        .await?;
    let path = file.finish().map_err(|e| CommandError::io(&e))?;
    Ok(Some(ExportDone {
        file: path.display().to_string(),
        rows,
    }))
}

/// Exports the devices the Devices screen's search and filters match to a CSV file the
/// admin chooses (read back by `roster import devices`); `null` when they cancel.
#[tauri::command]
pub async fn export_devices_to_file(
    state: State<'_, AppState>,
    query: DeviceQuery,
) -> Reply<Option<ExportDone>> {
    let access = state.ready().await?;
    Transfer::ExportDevices.check(&access.actor)?;
    let picked = ask(state.picker()?, |p| {
        p.save_spreadsheet("dialog-export-devices", "roster-devices.csv")
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    let mut file = FileExport::devices(&path, false).map_err(|e| CommandError::io(&e))?;
    let rows = access
        .roster
        .export_devices(&access.actor, &query, &mut |d| file.write(d))
        .await?;
    let path = file.finish().map_err(|e| CommandError::io(&e))?;
    Ok(Some(ExportDone {
        file: path.display().to_string(),
        rows,
    }))
}
