//! `roster export users FILE`: the users list, with its search, filters and sort, as CSV.

use crate::Context;
use crate::output::{CliError, say};
use crate::user::FilterArgs;
use clap::{Args, Subcommand};
use roster_core::UserField;
use roster_csv::{ExportOptions, FileExport, HeaderStyle};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Every user the filters match (all users without any), in the sort's order.
    Users(Box<UsersArgs>),
    /// Every group membership: group, username, email (read back by `roster import members`).
    Members(MembersArgs),
    /// Every device the filters match: name, os, model, serial, owner (by email),
    /// organization, state, enrolled and last active (read back by `roster import devices`).
    Devices(DevicesArgs),
}

#[derive(Args)]
pub struct DevicesArgs {
    /// The CSV file to write; it appears only once complete.
    file: PathBuf,
    #[command(flatten)]
    filter: crate::device::DeviceFilter,
    /// Start with a byte order mark, so Excel reads the file as UTF-8.
    #[arg(long)]
    bom: bool,
}

#[derive(Args)]
pub struct MembersArgs {
    /// The CSV file to write; it appears only once complete.
    file: PathBuf,
    /// Start with a byte order mark, so Excel reads the file as UTF-8.
    #[arg(long)]
    bom: bool,
}

#[derive(Args)]
pub struct UsersArgs {
    /// The CSV file to write; it appears only once complete.
    file: PathBuf,
    /// The columns, in order, e.g. email,first_name,last_name,status (default: what an
    /// import reads back). Also: id, two_factor, group_count, device_count, identity_provider,
    /// created_at, modified_at, last_sign_in_at, password_changed_at, created_by.
    #[arg(long, value_delimiter = ',', value_parser = parse_column)]
    columns: Vec<UserField>,
    /// Attributes (by name) whose columns follow, e.g. badge_number,shirt_size (default:
    /// every attribute when --columns is not given, else none).
    #[arg(long = "attribute-columns", value_delimiter = ',')]
    attribute_columns: Vec<String>,
    /// Start with a byte order mark, so Excel reads the file as UTF-8.
    #[arg(long)]
    bom: bool,
    /// Whose header names to write: roster (read back by `roster import`), google or okta.
    #[arg(long, default_value = "roster", value_parser = parse_style)]
    headers: HeaderStyle,
    #[command(flatten)]
    filter: FilterArgs,
}

fn parse_column(text: &str) -> Result<UserField, String> {
    roster_csv::parse_column(text)
}

fn parse_style(text: &str) -> Result<HeaderStyle, String> {
    text.parse()
}

fn export_options(args: &UsersArgs) -> ExportOptions {
    ExportOptions {
        bom: args.bom,
        style: args.headers,
    }
}

#[derive(Serialize)]
struct Exported {
    file: String,
    users: u64,
}

pub async fn run(command: ExportCommand, ctx: &Context) -> Result<(), CliError> {
    let args = match command {
        ExportCommand::Users(args) => *args,
        ExportCommand::Members(args) => return members(args, ctx).await,
        ExportCommand::Devices(args) => return devices(args, ctx).await,
    };
    let options = export_options(&args);
    let query = args.filter.query(ctx, 1, 0).await?;
    let columns = ctx
        .roster
        .export_columns(&ctx.actor, args.columns, args.attribute_columns)
        .await?;
    let mut file = FileExport::create(&args.file, columns.fields, columns.attributes, options)
        .map_err(|e| CliError::new("io", e))?;
    let bar = ctx.out.progress("users written");
    let exported = ctx
        .roster
        .export_users(&ctx.actor, &query, &mut |user| {
            bar.inc(1);
            file.write(user)
        })
        .await;
    bar.finish_and_clear();
    let users = exported?;
    file.finish().map_err(|e| CliError::new("io", e))?;
    let out = Exported {
        file: args.file.display().to_string(),
        users,
    };
    ctx.out
        .print(&out, || say!("Exported {users} users to {}.", out.file));
    Ok(())
}

async fn devices(args: DevicesArgs, ctx: &Context) -> Result<(), CliError> {
    let query = args.filter.query(ctx).await?;
    let mut file = FileExport::devices(&args.file, args.bom).map_err(|e| CliError::new("io", e))?;
    let bar = ctx.out.progress("devices written");
    let exported = ctx
        .roster
        .export_devices(&ctx.actor, &query, &mut |d| {
            bar.inc(1);
            file.write(d)
        })
        .await;
    bar.finish_and_clear();
    let devices = exported?;
    file.finish().map_err(|e| CliError::new("io", e))?;
    let file = args.file.display().to_string();
    ctx.out.print(
        &serde_json::json!({ "file": file, "devices": devices }),
        || say!("Exported {devices} devices to {file}."),
    );
    Ok(())
}

async fn members(args: MembersArgs, ctx: &Context) -> Result<(), CliError> {
    let mut file =
        FileExport::memberships(&args.file, args.bom).map_err(|e| CliError::new("io", e))?;
    let bar = ctx.out.progress("memberships written");
    let exported = ctx
        .roster
        .export_memberships(&ctx.actor, &mut |m| {
            bar.inc(1);
            file.write(m)
        })
        .await;
    bar.finish_and_clear();
    let memberships = exported?;
    file.finish().map_err(|e| CliError::new("io", e))?;
    let file = args.file.display().to_string();
    ctx.out.print(
        &serde_json::json!({ "file": file, "memberships": memberships }),
        || say!("Exported {memberships} memberships to {file}."),
    );
    Ok(())
}
