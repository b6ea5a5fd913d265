//! `roster settings show | set`: organization name, password and sign-in policy, SMTP.

use crate::Context;
use crate::output::CliError;
use clap::{Args, Subcommand, ValueEnum};
use roster_core::{Settings, SmtpSecurity, SmtpSettings};
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
    #[arg(long)]
    min_password_chars: Option<u32>,
    /// Failed sign-ins in a row before an account locks.
    #[arg(long)]
    max_failed_sign_ins: Option<u32>,
    #[arg(long)]
    session_idle_minutes: Option<u32>,
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
    /// Read the SMTP password from standard input and keep it in the OS keyring.
    #[arg(long, conflicts_with = "no_smtp")]
    smtp_password_stdin: bool,
    /// Stop sending mail: messages stay in the outbox.
    #[arg(long)]
    no_smtp: bool,
}

pub async fn run(command: SettingsCommand, ctx: &Context) -> Result<(), CliError> {
    let settings = match command {
        SettingsCommand::Show => ctx.roster.settings().await?,
        SettingsCommand::Set(args) => {
            let mut settings = ctx.roster.settings().await?;
            apply(&mut settings, &args);
            if args.smtp_password_stdin {
                let username = settings
                    .smtp
                    .as_ref()
                    .map(|s| s.username.clone())
                    .unwrap_or_default();
                let mut password = String::new();
                std::io::stdin()
                    .read_to_string(&mut password)
                    .map_err(|e| {
                        CliError::new("usage", format!("cannot read the password: {e}"))
                    })?;
                let password = password.trim_end_matches(['\r', '\n']);
                roster_mail::store_smtp_password(&username, password)
                    .map_err(|message| CliError::new("keyring", message))?;
            }
            ctx.roster.save_settings(&ctx.actor, settings).await?
        }
    };
    ctx.out.print(&settings, || print(&settings));
    Ok(())
}

fn apply(settings: &mut Settings, args: &SetArgs) {
    if let Some(v) = &args.organization_name {
        settings.organization_name = v.clone();
    }
    if let Some(v) = args.min_password_chars {
        settings.min_password_chars = v;
    }
    if let Some(v) = args.max_failed_sign_ins {
        settings.max_failed_sign_ins = v;
    }
    if let Some(v) = args.session_idle_minutes {
        settings.session_idle_minutes = v;
    }
    if args.no_smtp {
        settings.smtp = None;
        return;
    }
    let touches_smtp = args.smtp_host.is_some()
        || args.smtp_port.is_some()
        || args.smtp_security.is_some()
        || args.smtp_username.is_some()
        || args.smtp_from.is_some();
    if !touches_smtp {
        return;
    }
    let smtp = settings.smtp.get_or_insert_with(|| SmtpSettings {
        host: String::new(),
        port: SmtpSecurity::StartTls.default_port(),
        security: SmtpSecurity::StartTls,
        username: String::new(),
        from_address: String::new(),
    });
    if let Some(v) = &args.smtp_host {
        smtp.host = v.clone();
    }
    if let Some(v) = args.smtp_security {
        smtp.security = match v {
            Security::Tls => SmtpSecurity::Tls,
            Security::Starttls => SmtpSecurity::StartTls,
            Security::None => SmtpSecurity::None,
        };
        smtp.port = smtp.security.default_port();
    }
    if let Some(v) = args.smtp_port {
        smtp.port = v;
    }
    if let Some(v) = &args.smtp_username {
        smtp.username = v.clone();
    }
    if let Some(v) = &args.smtp_from {
        smtp.from_address = v.clone();
    }
}

fn print(settings: &Settings) {
    println!("{:<24}{}", "Organization", settings.organization_name);
    println!(
        "{:<24}{}",
        "Min password length", settings.min_password_chars
    );
    println!(
        "{:<24}{}",
        "Lock after failures", settings.max_failed_sign_ins
    );
    println!(
        "{:<24}{} minutes",
        "Idle sign-out", settings.session_idle_minutes
    );
    match &settings.smtp {
        Some(s) => println!(
            "{:<24}{}:{} ({:?}), user '{}', from {}",
            "SMTP", s.host, s.port, s.security, s.username, s.from_address
        ),
        None => println!("{:<24}none: messages stay in the outbox", "SMTP"),
    }
}
