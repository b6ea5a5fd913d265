//! `roster token issue | list | revoke`: device enrollment tokens.

use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use clap::{Subcommand, ValueEnum};
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use roster_core::{TokenQuery, TokenState, TokenView, UserRef};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token for a user; it is shown once.
    Issue {
        user: String,
        /// Days until it expires (default 720).
        #[arg(long)]
        days: Option<u32>,
    },
    /// List tokens, soonest to expire first.
    List {
        #[arg(long)]
        user: Option<String>,
        /// Only active tokens that expire within this many days.
        #[arg(long, value_name = "DAYS")]
        expiring_within: Option<u32>,
        #[arg(long, value_enum)]
        state: Option<StateArg>,
        /// Only the tokens of this organization's users.
        #[arg(long)]
        org: Option<String>,
    },
    /// Revoke a token by its ID.
    Revoke { id: i64 },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StateArg {
    Active,
    Expired,
    Revoked,
}

pub async fn run(command: TokenCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        TokenCommand::Issue { user, days } => {
            let issued = ctx
                .roster
                .issue_token(&ctx.actor, &UserRef::parse(&user), days)
                .await?;
            ctx.out.print(&issued, || {
                say!(
                    "Token {} for {} (ID {}, expires {}, shown once):\n{}",
                    issued.token.display,
                    issued.token.username,
                    issued.token.id,
                    local_time(issued.token.expires_at),
                    issued.text
                )
            });
        }
        TokenCommand::List {
            user,
            expiring_within,
            state,
            org,
        } => {
            let user = match user {
                Some(u) => Some(
                    ctx.roster
                        .find_user(&ctx.actor, &UserRef::parse(&u))
                        .await?
                        .id,
                ),
                None => None,
            };
            let query = TokenQuery {
                user,
                state: state.map(|s| match s {
                    StateArg::Active => TokenState::Active,
                    StateArg::Expired => TokenState::Expired,
                    StateArg::Revoked => TokenState::Revoked,
                }),
                expiring_within_days: expiring_within,
                organization: org,
            };
            let tokens = ctx.roster.list_tokens(&ctx.actor, &query).await?;
            ctx.out.print(&tokens, || print_tokens(&tokens));
        }
        TokenCommand::Revoke { id } => {
            let token = ctx.roster.revoke_token(&ctx.actor, id).await?;
            ctx.out.print(&token, || {
                say!("Revoked token {} of {}.", token.display, token.username)
            });
        }
    }
    Ok(())
}

fn print_tokens(tokens: &[TokenView]) {
    if tokens.is_empty() {
        say!("No tokens match.");
        return;
    }
    let mut table = Table::new();
    table.load_preset(UTF8_HORIZONTAL_ONLY).set_header([
        "ID",
        "User",
        "Token",
        "Expires",
        "Days left",
        "Status",
    ]);
    for t in tokens {
        table.add_row([
            t.id.to_string(),
            t.username.clone(),
            t.display.clone(),
            local_time(t.expires_at),
            t.days_left.to_string(),
            t.state.as_str().to_owned(),
        ]);
    }
    say!("{table}");
}
