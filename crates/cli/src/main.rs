//! `roster`: Roster's services for scripts, helpdesk automation and tests. Each subcommand
//! parses its arguments, calls one service and prints the result; the rules live in
//! roster-core.

mod attribute;
mod audit;
mod credentials;
mod db;
mod device;
mod export;
mod group;
mod import;
mod mail;
mod org;
mod output;
mod settings;
mod token;
mod user;

use clap::{Parser, Subcommand};
use output::{CliError, Output};
use roster_core::{Actor, Roster, SystemClock};
use roster_store::Database;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "roster",
    version,
    about = "Administer the user accounts of an organisation"
)]
struct Cli {
    /// Database URL: sqlite://PATH (default: roster.db in the OS data directory),
    /// postgres://USER:PASSWORD@HOST/DB or mysql://USER:PASSWORD@HOST/DB (MySQL, MariaDB)
    #[arg(long, global = true, env = roster_store::DATABASE_URL_ENV, hide_env_values = true)]
    db: Option<String>,
    /// Machine-readable output: results as JSON on stdout, errors as
    /// {"error": {"code", "message"}} on stderr.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create, upgrade, inspect and back up the database.
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Add, find, change and remove users.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Groups and their members.
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// Attributes admins define beside the built-in fields (badge number, shirt size …).
    #[command(subcommand)]
    Attribute(attribute::AttributeCommand),
    /// Organizations: the customers or sites users and groups belong to.
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// Device enrollment tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Devices: enrolled with a user token, or recorded by hand.
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// Read the audit trail.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Users from a spreadsheet.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// The users list as a spreadsheet.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// The outbox of messages to account holders.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Organization name, password and sign-in policy, SMTP server.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Suspend the accounts whose end date has come and take the daily backup when one is
    /// due; run it daily (cron, a systemd timer or Task Scheduler, as the README shows).
    RunDue,
}

/// What every command gets: the services, who is acting, and where output goes.
pub struct Context {
    pub roster: Roster,
    pub actor: Actor,
    pub out: Output,
}

/// The CLI acts as the OS account that runs it, as the OS knows it (never `$USER`, which
/// anyone can set to blame someone else in the audit trail), from this machine.
pub(crate) fn actor() -> Actor {
    Actor::operator(
        whoami::username(),
        whoami::fallible::hostname().unwrap_or_else(|_| "unknown".into()),
    )
}

async fn open(db: Option<&str>) -> Result<Database, CliError> {
    let (url, mode) = roster_store::resolve_url(db).map_err(CliError::open)?;
    let database = Database::open(&url, mode).await.map_err(CliError::open)?;
    warn_about(&database);
    Ok(database)
}

/// What opening the database changed (a file made private) goes to stderr, where a
/// script's JSON on stdout stays clean.
pub(crate) fn warn_about(database: &Database) {
    for notice in database.notices() {
        eprintln!("roster: {notice}");
    }
}

async fn run(cli: Cli, out: Output) -> Result<(), CliError> {
    if let Command::Db(command) = cli.command {
        return db::run(command, cli.db.as_deref(), &out).await;
    }
    let database = open(cli.db.as_deref()).await?;
    let ctx = Context {
        roster: Roster::new(database.repository(), Arc::new(SystemClock)),
        actor: actor(),
        out,
    };
    match cli.command {
        Command::Db(_) => unreachable!("handled above"),
        Command::User(command) => user::run(command, &ctx).await,
        Command::Group(command) => group::run(command, &ctx).await,
        Command::Org(command) => org::run(command, &ctx).await,
        Command::Attribute(command) => attribute::run(command, &ctx).await,
        Command::Token(command) => token::run(command, &ctx).await,
        Command::Device(command) => device::run(command, &ctx).await,
        Command::Audit(command) => audit::run(command, &ctx).await,
        Command::Import(command) => import::run(command, &ctx).await,
        Command::Export(command) => export::run(command, &ctx).await,
        Command::Mail(command) => mail::run(command, &ctx).await,
        Command::Settings(command) => settings::run(command, &ctx).await,
        Command::RunDue => user::run_due(&ctx).await,
    }
}

/// The exit code of a command that hit a bug in Roster (a panic): EX_SOFTWARE, "internal
/// software error" in sysexits.h. Not Rust's own 101, which scripts would have to know.
const INTERNAL_ERROR_EXIT: i32 = 70;

/// A panic, on any thread, ends the command with one line saying it is a bug to report (or
/// the JSON error with code "internal") instead of Rust's panic message and backtrace.
/// Ending at once is safe: a database transaction not committed is rolled back.
fn report_panics(out: Output) {
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic without a message");
        // One line, whatever the message: an assertion's spans several.
        let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
        let place = info
            .location()
            .map(|at| format!(" (at {}:{})", at.file(), at.line()))
            .unwrap_or_default();
        out.error(&CliError::internal(format!(
            "internal error: {what}{place}; please report it"
        )));
        std::process::exit(INTERNAL_ERROR_EXIT);
    }));
}

fn main() -> ExitCode {
    let json = std::env::args_os().any(|a| a == "--json");
    let out = Output { json };
    report_panics(out);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            out.error(&CliError::usage(e.to_string()));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            out.error(&CliError::internal(e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}
