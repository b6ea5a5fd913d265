use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use clap::Subcommand;
use roster_core::{AuditQuery, UserRef};

#[derive(Subcommand)]
pub enum AuditCommand {
    /// The newest entries first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only entries about this user (ID, username or email).
        #[arg(long)]
        user: Option<String>,
    },
}

pub async fn run(command: AuditCommand, ctx: &Context) -> Result<(), CliError> {
    let AuditCommand::List { limit, user } = command;
    let user = match user {
        Some(user) => Some(
            ctx.roster
                .find_user(&ctx.actor, &UserRef::parse(&user))
                .await?
                .id,
        ),
        None => None,
    };
    let entries = ctx
        .roster
        .audit(&ctx.actor, &AuditQuery { user, limit })
        .await?;
    ctx.out.print(&entries, || {
        for entry in &entries {
            say!(
                "{}  {}@{} ({})  {}  {} #{} {}",
                local_time(entry.at),
                entry.actor,
                entry.workstation,
                entry.origin,
                entry.action,
                entry.target.kind,
                entry.target.id,
                entry.target.name
            );
            for change in &entry.changes {
                say!(
                    "    {}: {} → {}",
                    change.field,
                    change.before.as_deref().unwrap_or("∅"),
                    change.after.as_deref().unwrap_or("∅")
                );
            }
        }
        if entries.is_empty() {
            say!("No audit entries.");
        }
    });
    Ok(())
}
