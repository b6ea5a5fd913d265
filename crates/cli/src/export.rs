//! `roster export users FILE`: the users list, with its search, filters and sort, as CSV.

use crate::Context;
use crate::output::{CliError, say};
use crate::user::FilterArgs;
use clap::{Args, Subcommand};
use roster_csv::{ExportColumn, UserWriter};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Every user the filters match (all users without any), in the sort's order.
    Users(UsersArgs),
}

#[derive(Args)]
pub struct UsersArgs {
    /// The CSV file to write; it appears only once complete.
    file: PathBuf,
    /// The columns, in order, e.g. email,first_name,last_name,status (default: what an
    /// import reads back). Also: id, two_factor, group_count, identity_provider,
    /// created_at, modified_at, last_sign_in_at, password_changed_at, created_by.
    #[arg(long, value_delimiter = ',', value_parser = parse_column)]
    columns: Vec<ExportColumn>,
    /// Start with a byte order mark, so Excel reads the file as UTF-8.
    #[arg(long)]
    bom: bool,
    #[command(flatten)]
    filter: FilterArgs,
}

fn parse_column(text: &str) -> Result<ExportColumn, String> {
    text.parse()
}

#[derive(Serialize)]
struct Exported {
    file: String,
    users: u64,
}

pub async fn run(command: ExportCommand, ctx: &Context) -> Result<(), CliError> {
    let ExportCommand::Users(args) = command;
    let query = args.filter.query(ctx, 1, 0).await?;
    let columns = if args.columns.is_empty() {
        ExportColumn::defaults().to_vec()
    } else {
        args.columns
    };
    // Written beside the target and renamed when complete: a failed export leaves no
    // half-written file where the admin expects a whole one.
    let partial = args.file.with_extension("partial");
    let io = |path: &PathBuf, e: &dyn std::fmt::Display| {
        CliError::new("io", format!("cannot write {}: {e}", path.display()))
    };
    let file = std::fs::File::create(&partial).map_err(|e| io(&partial, &e))?;
    let mut writer = UserWriter::new(std::io::BufWriter::new(file), columns, args.bom)
        .map_err(|e| io(&partial, &e))?;
    let bar = ctx.out.progress("users written");
    let exported = ctx
        .roster
        .export_users(&ctx.actor, &query, &mut |user| {
            bar.inc(1);
            writer.write(user)
        })
        .await;
    bar.finish_and_clear();
    let finished = exported.map_err(CliError::from).and_then(|n| {
        writer.finish().map_err(|e| io(&partial, &e))?;
        std::fs::rename(&partial, &args.file).map_err(|e| io(&args.file, &e))?;
        Ok(n)
    });
    let users = match finished {
        Ok(n) => n,
        Err(e) => {
            std::fs::remove_file(&partial).ok();
            return Err(e);
        }
    };
    let out = Exported {
        file: args.file.display().to_string(),
        users,
    };
    ctx.out
        .print(&out, || say!("Exported {users} users to {}.", out.file));
    Ok(())
}
