//! `roster settings show | set`: organization name, password and sign-in policy, SMTP,
//! backups.

use crate::Context;
use crate::output::CliError;
use crate::output::say;
use clap::{Args, Subcommand, ValueEnum};
use roster_core::{Rotation, Settings, SettingsPatch, SmtpPatch, SmtpSecurity};
use std::io::Read;

#[derive(Subcommand)]
pub enum SettingsCommand {
    Show,
    /// Change the given settings; the others stay as they are.
    Set(SetArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Security {
    Tls,
    Starttls,
    None,
}

#[derive(Args)]
pub struct SetArgs {
    /// Shown in authenticator apps and as the sender of messages.
    #[arg(long)]
    organization_name: Option<String>,
    /// The language of the messages Roster sends (invitations, password resets): en, de.
    #[arg(long)]
    mail_language: Option<String>,
    #[arg(long)]
    min_password_chars: Option<u32>,
    /// Failed sign-ins in a row before an account locks.
    #[arg(long)]
    max_failed_sign_ins: Option<u32>,
    #[arg(long)]
    session_idle_minutes: Option<u32>,
    /// Audit entries and sign-in events older than this are purged (`roster audit purge`,
    /// or the app when an admin signs in); 0 keeps them forever.
    #[arg(long)]
    audit_retention_days: Option<u32>,
    #[arg(long, conflicts_with = "no_smtp")]
    smtp_host: Option<String>,
    #[arg(long, conflicts_with = "no_smtp")]
    smtp_port: Option<u16>,
    #[arg(long, value_enum, conflicts_with = "no_smtp")]
    smtp_security: Option<Security>,
    /// Empty for a server that needs no sign-in.
    #[arg(long, conflicts_with = "no_smtp")]
    smtp_username: Option<String>,
    #[arg(long, conflicts_with = "no_smtp")]
    smtp_from: Option<String>,
    /// Read the SMTP password from standard input and keep it in the OS keyring, for this
    /// server only: after a change of host, port, security or username, give it again.
    #[arg(long, conflicts_with = "no_smtp")]
    smtp_password_stdin: bool,
    /// Stop sending mail: messages stay in the outbox.
    #[arg(long)]
    no_smtp: bool,
    /// Automatic backups of a SQLite directory: on (the app on close and daily, and
    /// `roster run-due`) or off.
    #[arg(long, value_parser = on_off)]
    automatic_backups: Option<bool>,
    /// The folder backups go to (a second disk or a network share); "" for `backups`
    /// beside the database.
    #[arg(long)]
    backup_folder: Option<String>,
    /// Backups kept: the newest of each of this many days, weeks and months, e.g. 7,4,12.
    #[arg(long, value_parser = rotation)]
    keep_backups: Option<Rotation>,
}

fn on_off(text: &str) -> Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("use on or off".into()),
    }
}

fn rotation(text: &str) -> Result<Rotation, String> {
    let counts: Vec<u32> = text
        .split(',')
        .map(|n| n.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| "give three counts: days,weeks,months, e.g. 7,4,12".to_owned())?;
    match counts.as_slice() {
        [daily, weekly, monthly] => Ok(Rotation {
            daily: *daily,
            weekly: *weekly,
            monthly: *monthly,
        }),
        _ => Err("give three counts: days,weeks,months, e.g. 7,4,12".into()),
    }
}

pub async fn run(command: SettingsCommand, ctx: &Context) -> Result<(), CliError> {
    let settings = match command {
        SettingsCommand::Show => ctx.roster.settings(&ctx.actor).await?,
        SettingsCommand::Set(args) => {
            // Read first: a failed read leaves the settings as they were.
            let password = if args.smtp_password_stdin {
                let mut password = String::new();
                std::io::stdin()
                    .read_to_string(&mut password)
                    .map_err(|e| {
                        CliError::new("usage", format!("cannot read the password: {e}"))
                    })?;
                Some(password)
            } else {
                None
            };
            let saved = ctx
                .roster
                .update_settings(&ctx.actor, &patch(&args))
                .await?;
            if let Some(password) = password {
                let mailer = roster_mail::SmtpMailer::new();
                ctx.roster
                    .set_smtp_password(&ctx.actor, &mailer, &saved, &password)
                    .await?;
            }
            saved
        }
    };
    ctx.out.print(&settings, || print(&settings));
    Ok(())
}

fn patch(args: &SetArgs) -> SettingsPatch {
    let smtp = if args.no_smtp {
        Some(SmtpPatch::Remove)
    } else if args.smtp_host.is_some()
        || args.smtp_port.is_some()
        || args.smtp_security.is_some()
        || args.smtp_username.is_some()
        || args.smtp_from.is_some()
    {
        Some(SmtpPatch::Change {
            host: args.smtp_host.clone(),
            security: args.smtp_security.map(|v| match v {
                Security::Tls => SmtpSecurity::Tls,
                Security::Starttls => SmtpSecurity::StartTls,
                Security::None => SmtpSecurity::None,
            }),
            port: args.smtp_port,
            username: args.smtp_username.clone(),
            from_address: args.smtp_from.clone(),
        })
    } else {
        None
    };
    SettingsPatch {
        organization_name: args.organization_name.clone(),
        min_password_chars: args.min_password_chars,
        max_failed_sign_ins: args.max_failed_sign_ins,
        session_idle_minutes: args.session_idle_minutes,
        smtp,
        mail_language: args.mail_language.clone(),
        audit_retention_days: args.audit_retention_days,
        backups_automatic: args.automatic_backups,
        backups_folder: args.backup_folder.clone(),
        backups_keep: args.keep_backups,
    }
}

fn print(settings: &Settings) {
    say!("{:<24}{}", "Organization", settings.organization_name);
    say!("{:<24}{}", "Language of messages", settings.mail_language);
    say!(
        "{:<24}{}",
        "Min password length",
        settings.min_password_chars
    );
    say!(
        "{:<24}{}",
        "Lock after failures",
        settings.max_failed_sign_ins
    );
    say!(
        "{:<24}{} minutes",
        "Idle sign-out",
        settings.session_idle_minutes
    );
    match settings.audit_retention_days {
        0 => say!("{:<24}forever", "Keep audit entries"),
        days => say!("{:<24}{days} days", "Keep audit entries"),
    }
    match &settings.smtp {
        Some(s) => say!(
            "{:<24}{}:{} ({:?}), user '{}', from {}",
            "SMTP",
            s.host,
            s.port,
            s.security,
            s.username,
            s.from_address
        ),
        None => say!("{:<24}none: messages stay in the outbox", "SMTP"),
    }
    let backups = &settings.backups;
    say!(
        "{:<24}{}, into {}, keeping {} daily, {} weekly, {} monthly",
        "Backups",
        if backups.automatic {
            "automatic"
        } else {
            "only when asked"
        },
        match backups.folder.as_str() {
            "" => "backups beside the database",
            folder => folder,
        },
        backups.keep.daily,
        backups.keep.weekly,
        backups.keep.monthly
    );
}
