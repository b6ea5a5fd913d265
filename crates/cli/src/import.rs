//! `roster import users FILE`: a spreadsheet of users, checked row by row and written all
//! at once (or, with --dry-run, only checked).

use crate::Context;
use crate::output::{CliError, say};
use clap::{Args, Subcommand};
use roster_core::{ImportOptions, ImportProgress, ImportReport};
use roster_csv::{Column, Field, Format, ReadOptions};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Users from a CSV file: Roster's export, Google Workspace, Microsoft Entra ID,
    /// JumpCloud or Okta; UTF-8 or UTF-16, comma, semicolon or tab.
    Users(UsersArgs),
    /// Group memberships: a "group" column and a "member" (username or email) column, as
    /// `roster export members` writes them. Groups are created when missing.
    Members(MembersArgs),
    /// Devices from an asset list: name, os and owner (email or username) columns, model
    /// and serial when present; each goes to its owner's organization.
    Devices(MembersArgs),
}

#[derive(Args)]
pub struct MembersArgs {
    file: PathBuf,
    /// Check every row and report; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the valid rows and skip the rest (default: all or nothing).
    #[arg(long)]
    skip_invalid: bool,
    /// Also write every problem (line, column, value, message) to this CSV file.
    #[arg(long)]
    errors: Option<PathBuf>,
}

#[derive(Args)]
pub struct UsersArgs {
    file: PathBuf,
    /// Check every row and report; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// The file's format: roster, google, entra, jumpcloud or okta (default: recognised
    /// from the header).
    #[arg(long, value_parser = parse_format)]
    format: Option<Format>,
    /// Map a column by hand, 'Header=field' (e.g. 'Mail=email'), or skip it with
    /// 'Header=skip'. Repeat for more columns.
    #[arg(long = "map", value_parser = parse_map)]
    maps: Vec<(String, Option<Field>)>,
    /// New users start active instead of staged with an invitation by email.
    #[arg(long)]
    activate: bool,
    /// Rows whose email a user already has update that user: the fields the file gives
    /// (empty cells leave a value as it is), and groups it names (default: such rows are
    /// refused as duplicates).
    #[arg(long)]
    upsert: bool,
    /// Import the valid rows and skip the rest (default: all or nothing).
    #[arg(long)]
    skip_invalid: bool,
    /// Accept a password column (refused by default: a spreadsheet of plain-text
    /// passwords can be read by anyone who gets the file).
    #[arg(long)]
    accept_passwords: bool,
    /// Also write every problem (line, column, value, message) to this CSV file.
    #[arg(long)]
    errors: Option<PathBuf>,
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

fn parse_map(text: &str) -> Result<(String, Option<Field>), String> {
    let (header, field) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("'{text}' is not Header=field"))?;
    let field = match field.trim() {
        "skip" | "" => None,
        name => Some(name.parse()?),
    };
    Ok((header.trim().to_owned(), field))
}

/// What `--json` prints.
#[derive(Serialize)]
struct ImportOutput<'a> {
    format: &'static str,
    columns: Vec<ColumnOutput<'a>>,
    #[serde(flatten)]
    report: &'a ImportReport,
}

#[derive(Serialize)]
struct ColumnOutput<'a> {
    header: &'a str,
    /// `null`: ignored.
    field: Option<&'static str>,
}

pub async fn run(command: ImportCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        ImportCommand::Users(args) => users(args, ctx).await,
        ImportCommand::Members(args) => members(args, ctx).await,
        ImportCommand::Devices(args) => devices(args, ctx).await,
    }
}

fn open_file(path: &PathBuf) -> Result<std::fs::File, CliError> {
    std::fs::File::open(path)
        .map_err(|e| CliError::new("io", format!("cannot open {}: {e}", path.display())))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// A counter of rows checked on a terminal, told by the import's progress.
fn ticker(bar: &indicatif::ProgressBar) -> impl FnMut(ImportProgress) + Send + '_ {
    move |progress| match progress {
        ImportProgress::Checking { rows } => bar.set_position(rows),
        ImportProgress::Writing { users } => {
            bar.set_message(format!("rows checked; writing {users}"));
        }
    }
}

async fn devices(args: MembersArgs, ctx: &Context) -> Result<(), CliError> {
    let sheet = roster_csv::open_devices(open_file(&args.file)?)
        .map_err(|e| CliError::new("validation", format!("{}: {e}", args.file.display())))?;
    let import = ImportOptions {
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        source: file_name(&args.file),
        ..ImportOptions::default()
    };
    let report = ctx
        .roster
        .import_devices(&ctx.actor, sheet.rows(), &import)
        .await?;
    conclude(&report, &import, args.errors.as_ref())?;
    ctx.out.print(&report, || {
        print_problems(&report);
        let counts = format!(
            "{} devices added, {} with problems",
            report.created, report.invalid
        );
        outcome(&report, &import, &counts);
    });
    Ok(())
}

async fn members(args: MembersArgs, ctx: &Context) -> Result<(), CliError> {
    let sheet = roster_csv::open_memberships(open_file(&args.file)?)
        .map_err(|e| CliError::new("validation", format!("{}: {e}", args.file.display())))?;
    let import = ImportOptions {
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        source: file_name(&args.file),
        ..ImportOptions::default()
    };
    let headers = sheet.headers();
    let bar = ctx.out.progress("rows checked");
    let imported = ctx
        .roster
        .import_memberships(&ctx.actor, sheet.rows(), &import, &mut ticker(&bar))
        .await;
    bar.finish_and_clear();
    let mut report = imported?;
    headers.name(&mut report.problems);
    conclude(&report, &import, args.errors.as_ref())?;
    ctx.out.print(&report, || {
        print_problems(&report);
        let counts = format!(
            "{} added, {} already members, {} with problems",
            report.created, report.unchanged, report.invalid
        );
        outcome(&report, &import, &counts);
    });
    Ok(())
}

/// Saves the problems where asked, and turns a refused import into the command's error.
fn conclude(
    report: &ImportReport,
    import: &ImportOptions,
    errors: Option<&PathBuf>,
) -> Result<(), CliError> {
    if let Some(path) = errors {
        let cannot = |e: &dyn std::fmt::Display| {
            CliError::new("io", format!("cannot write {}: {e}", path.display()))
        };
        let mut file = roster_csv::create_private(path).map_err(|e| cannot(&e))?;
        roster_csv::write_problems(&mut file, &report.problems).map_err(|e| cannot(&e))?;
        file.finish().map_err(|e| cannot(&e))?;
    }
    if report.invalid > 0 && !report.written && !import.dry_run {
        // Refused: the problems are the error, on stderr like any failure.
        let mut error = CliError::new(
            "validation",
            format!(
                "{} of {} rows have problems, so nothing was imported; fix them, or pass --skip-invalid to import the others",
                report.invalid, report.rows
            ),
        );
        error.fields = report
            .problems
            .iter()
            .map(|p| {
                let field = match &p.column {
                    Some(column) => format!("line {}, {column}", p.line),
                    None => format!("line {}", p.line),
                };
                let message = match &p.value {
                    Some(value) => format!("{value:?}: {}", p.message),
                    None => p.message.clone(),
                };
                roster_core::FieldError::new(&field, message)
            })
            .collect();
        return Err(error);
    }
    Ok(())
}

async fn users(args: UsersArgs, ctx: &Context) -> Result<(), CliError> {
    let file = open_file(&args.file)?;
    let attributes = ctx.roster.attributes(&ctx.actor).await?;
    let options = ReadOptions {
        format: args.format,
        overrides: args.maps.clone(),
        attributes: attributes.into_iter().map(|a| a.name).collect(),
        attribute_columns: Vec::new(),
    };
    let sheet = roster_csv::open(file, &options)
        .map_err(|e| CliError::new("validation", format!("{}: {e}", args.file.display())))?;
    let format = sheet.format;
    let columns = sheet.columns.clone();
    let import = ImportOptions {
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        activate: args.activate,
        upsert: args.upsert,
        accept_passwords: args.accept_passwords,
        source: file_name(&args.file),
        // Ctrl-C ends the process, and with it the transaction.
        cancel: Default::default(),
    };
    let bar = ctx.out.progress("rows checked");
    let imported = ctx
        .roster
        .import_users(&ctx.actor, sheet.rows(), &import, &mut ticker(&bar))
        .await;
    bar.finish_and_clear();
    let mut report = imported?;
    roster_csv::name_columns(&columns, &mut report.problems);
    conclude(&report, &import, args.errors.as_ref())?;
    let output = ImportOutput {
        format: format.as_str(),
        columns: columns
            .iter()
            .map(|c| ColumnOutput {
                header: &c.header,
                field: c.field.map(Field::as_str),
            })
            .collect(),
        report: &report,
    };
    ctx.out
        .print(&output, || print(format, &columns, &report, &import));
    Ok(())
}

fn print(format: Format, columns: &[Column], report: &ImportReport, options: &ImportOptions) {
    say!("Format: {}", format.label());
    for column in columns {
        match column.field {
            Some(field) => say!("  {} → {}", column.header, field.as_str()),
            None => say!("  {} (ignored)", column.header),
        }
    }
    print_problems(report);
    outcome(
        report,
        options,
        &format!(
            "{} new, {} updated, {} unchanged, {} with problems",
            report.created, report.updated, report.unchanged, report.invalid
        ),
    );
}

fn print_problems(report: &ImportReport) {
    for p in &report.problems {
        let column = p
            .column
            .as_deref()
            .map_or(String::new(), |c| format!(", {c}"));
        let value = p
            .value
            .as_deref()
            .map_or(String::new(), |v| format!(" ({v:?})"));
        say!("line {}{column}{value}: {}", p.line, p.message);
    }
}

/// The last line: what was checked or written, and the counts.
fn outcome(report: &ImportReport, options: &ImportOptions, counts: &str) {
    if options.dry_run {
        say!(
            "Checked {} rows: {counts}. Nothing was written (dry run).",
            report.rows
        );
    } else if report.written {
        say!("Imported {} rows: {counts}.", report.rows);
    } else {
        say!("Nothing to write: {counts}.");
    }
}
