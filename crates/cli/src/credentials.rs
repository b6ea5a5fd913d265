//! `roster user set-password | reset-2fa | activate-2fa | verify-login | reset-password |
//! invite | sign-ins`.

use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use clap::Args;
use roster_core::{SetPassword, SignInRequest, UserRef, qr_png, qr_svg};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["password_stdin", "generate"])))]
pub struct SetPasswordArgs {
    user: String,
    /// Read the password from standard input (one line; the newline is not part of it).
    #[arg(long)]
    password_stdin: bool,
    /// Generate a strong password and print it once.
    #[arg(long)]
    generate: bool,
    /// The user must choose a new password at the next sign-in.
    #[arg(long)]
    must_change: bool,
    /// Tell the account holder by email.
    #[arg(long)]
    notify: bool,
}

#[derive(Args)]
pub struct ResetTwoFactorArgs {
    #[arg(required = true)]
    users: Vec<String>,
    /// Write the QR code as PNG (with several users, FILE gets "-USERNAME" before its
    /// extension).
    #[arg(long, value_name = "FILE")]
    qr_png: Option<PathBuf>,
    /// Write the QR code as SVG (named like --qr-png for several users).
    #[arg(long, value_name = "FILE")]
    qr_svg: Option<PathBuf>,
}

#[derive(Args)]
pub struct VerifyLoginArgs {
    /// Username or email.
    user: String,
    /// Read the password from standard input.
    #[arg(long, required = true)]
    password_stdin: bool,
    /// The authenticator code, for accounts with 2FA.
    #[arg(long)]
    totp: Option<String>,
}

fn password_from_stdin() -> Result<String, CliError> {
    line_from_stdin("password")
}

/// Standard input (one line), without its line ending; nothing else is trimmed, since
/// spaces can be part of a password or passphrase.
pub(crate) fn line_from_stdin(what: &str) -> Result<String, CliError> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| {
        CliError::new(
            "usage",
            format!("cannot read the {what} from standard input: {e}"),
        )
    })?;
    let line = text.strip_suffix('\n').unwrap_or(&text);
    Ok(line.strip_suffix('\r').unwrap_or(line).to_owned())
}

pub async fn set_password(args: SetPasswordArgs, ctx: &Context) -> Result<(), CliError> {
    let password = if args.password_stdin {
        Some(password_from_stdin()?)
    } else {
        None
    };
    let choice = SetPassword {
        password,
        generate: args.generate,
        must_change: args.must_change,
        notify: args.notify,
    };
    let result = ctx
        .roster
        .set_password(&ctx.actor, &UserRef::parse(&args.user), choice)
        .await?;
    ctx.out.print(&result, || {
        say!(
            "Password set for {} (status {}).",
            result.user.username,
            result.user.status
        );
        if let Some(generated) = &result.generated_password {
            say!("Generated password (shown once): {generated}");
        }
    });
    Ok(())
}

/// FILE for one user; FILE with "-username" before the extension for several.
fn qr_path(base: &Path, username: &str, several: bool) -> PathBuf {
    if !several {
        return base.to_path_buf();
    }
    let stem = base.file_stem().unwrap_or_default().to_string_lossy();
    let name = match base.extension() {
        Some(ext) => format!("{stem}-{username}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{username}"),
    };
    base.with_file_name(name)
}

/// A QR code carries the TOTP secret: the file is the owning account's only.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    roster_csv::write_private(path, bytes)
        .map_err(|e| CliError::new("io", format!("cannot write {}: {e}", path.display())))
}

pub async fn reset_two_factor(args: ResetTwoFactorArgs, ctx: &Context) -> Result<(), CliError> {
    let users: Vec<UserRef> = args.users.iter().map(|u| UserRef::parse(u)).collect();
    let enrollments = ctx.roster.reset_two_factor(&ctx.actor, &users).await?;
    let several = enrollments.len() > 1;
    for enrollment in &enrollments {
        if let Some(base) = &args.qr_png {
            write_file(
                &qr_path(base, &enrollment.username, several),
                &qr_png(&enrollment.uri)?,
            )?;
        }
        if let Some(base) = &args.qr_svg {
            write_file(
                &qr_path(base, &enrollment.username, several),
                qr_svg(&enrollment.uri)?.as_bytes(),
            )?;
        }
    }
    let body: Vec<_> = enrollments
        .iter()
        .map(|e| serde_json::json!({ "user_id": e.user_id, "username": e.username, "uri": e.uri, "key": e.key }))
        .collect();
    ctx.out.print(&body, || {
        for e in &enrollments {
            say!("{}\t{}", e.username, e.uri);
        }
    });
    Ok(())
}

pub async fn activate_two_factor(
    user: String,
    code: String,
    ctx: &Context,
) -> Result<(), CliError> {
    let user = ctx
        .roster
        .activate_two_factor(&ctx.actor, &UserRef::parse(&user), &code)
        .await?;
    ctx.out
        .print(&user, || say!("2FA is now active for {}.", user.username));
    Ok(())
}

pub async fn verify_login(args: VerifyLoginArgs, ctx: &Context) -> Result<(), CliError> {
    let request = SignInRequest {
        login: args.user,
        password: password_from_stdin()?,
        code: args.totp,
    };
    let signed_in = ctx
        .roster
        .sign_in(&request, &ctx.actor.workstation, ctx.actor.origin)
        .await?;
    ctx.out.print(&signed_in, || {
        say!(
            "OK: {} may sign in ({:?}).",
            signed_in.user.username,
            signed_in.stage
        )
    });
    Ok(())
}

pub async fn reset_password(users: Vec<String>, ctx: &Context) -> Result<(), CliError> {
    let users: Vec<UserRef> = users.iter().map(|u| UserRef::parse(u)).collect();
    let changed = ctx.roster.start_recovery(&ctx.actor, &users).await?;
    let body = serde_json::json!({ "users": changed });
    ctx.out.print(&body, || {
        for user in &changed {
            say!(
                "Recovery started for {}: a one-time code is queued for {}.",
                user.username,
                user.email
            );
        }
    });
    Ok(())
}

pub async fn invite(user: String, ctx: &Context) -> Result<(), CliError> {
    let user = ctx
        .roster
        .invite(&ctx.actor, &UserRef::parse(&user))
        .await?;
    ctx.out.print(&user, || {
        say!("Invitation queued for {} <{}>.", user.username, user.email)
    });
    Ok(())
}

pub async fn sign_ins(user: String, limit: u32, ctx: &Context) -> Result<(), CliError> {
    let user = ctx
        .roster
        .find_user(&ctx.actor, &UserRef::parse(&user))
        .await?;
    let events = ctx.roster.sign_ins(&ctx.actor, user.id, limit).await?;
    ctx.out.print(&events, || {
        if events.is_empty() {
            say!("No sign-in attempts by {}.", user.username);
        }
        for e in &events {
            say!(
                "{}  {:<7}  {}  {} ({})",
                local_time(e.at),
                if e.success { "success" } else { "failure" },
                e.reason,
                e.workstation,
                e.origin
            );
        }
    });
    Ok(())
}
