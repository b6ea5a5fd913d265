use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use clap::Subcommand;
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use roster_core::UserRef;

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create organizations.
    Add {
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// All organizations with how many users and groups belong to each, and how many
    /// console accounts are limited to each.
    List,
    /// Rename an organization; its users and groups follow it.
    Rename {
        name: String,
        /// The new name.
        to: String,
    },
    /// Delete an organization.
    Delete {
        name: String,
        /// Move its users and groups to this organization first (required while it has
        /// any).
        #[arg(long)]
        move_to: Option<String>,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// Show, or set, the organizations a console account administers (USER = ID,
    /// username or email). Limited to some, it sees and changes only what belongs to them.
    Scope {
        user: String,
        /// The organizations it administers from now on.
        organizations: Vec<String>,
        /// Let it administer the whole directory again.
        #[arg(long, conflicts_with = "organizations")]
        whole_directory: bool,
    },
}

pub async fn run(command: OrgCommand, ctx: &Context) -> Result<(), CliError> {
    let roster = &ctx.roster;
    match command {
        OrgCommand::Add { names } => {
            let mut added = Vec::new();
            for name in names {
                added.push(roster.add_organization(&ctx.actor, &name).await?);
            }
            ctx.out.print(&added, || {
                for org in &added {
                    say!("Created organization {} (ID {}).", org.name, org.id);
                }
            });
        }
        OrgCommand::List => {
            let organizations = roster.list_organizations(&ctx.actor).await?;
            ctx.out.print(&organizations, || {
                if organizations.is_empty() {
                    say!("No organizations yet.");
                    return;
                }
                let mut table = Table::new();
                table
                    .load_preset(UTF8_HORIZONTAL_ONLY)
                    .set_header(["ID", "Name", "Users", "Groups", "Accounts", "Created"]);
                for o in &organizations {
                    table.add_row([
                        o.id.to_string(),
                        o.name.clone(),
                        o.users.to_string(),
                        o.groups.to_string(),
                        o.accounts.to_string(),
                        local_time(o.created_at),
                    ]);
                }
                say!("{table}");
            });
        }
        OrgCommand::Rename { name, to } => {
            let org = roster.find_organization(&ctx.actor, &name).await?;
            let org = roster.rename_organization(&ctx.actor, org.id, &to).await?;
            ctx.out.print(&org, || {
                say!("Organization {} (ID {}) renamed.", org.name, org.id)
            });
        }
        OrgCommand::Delete { name, move_to, yes } => {
            let org = roster.find_organization(&ctx.actor, &name).await?;
            let heir = match &move_to {
                Some(other) => Some(roster.find_organization(&ctx.actor, other).await?),
                None => None,
            };
            if !yes {
                let what = match &heir {
                    Some(heir) => format!(
                        "deleting organization {} moves its {} to {}",
                        org.name,
                        org.members_phrase(),
                        heir.name
                    ),
                    None => format!("deleting organization {} cannot be undone", org.name),
                };
                return Err(CliError::new(
                    "confirmation_required",
                    format!("{what}; add --yes to confirm"),
                ));
            }
            roster
                .delete_organization(&ctx.actor, org.id, heir.as_ref().map(|h| h.id))
                .await?;
            let body = serde_json::json!({ "deleted": org, "moved_to": heir });
            ctx.out.print(&body, || match &heir {
                Some(heir) => say!(
                    "Deleted organization {}; its {} moved to {}.",
                    org.name,
                    org.members_phrase(),
                    heir.name
                ),
                None => say!("Deleted organization {}.", org.name),
            });
        }
        OrgCommand::Scope {
            user,
            organizations,
            whole_directory,
        } => scope(ctx, &UserRef::parse(&user), organizations, whole_directory).await?,
    }
    Ok(())
}

async fn scope(
    ctx: &Context,
    user: &UserRef,
    organizations: Vec<String>,
    whole_directory: bool,
) -> Result<(), CliError> {
    let roster = &ctx.roster;
    if whole_directory || !organizations.is_empty() {
        let mut ids = Vec::new();
        for name in &organizations {
            ids.push(roster.find_organization(&ctx.actor, name).await?.id);
        }
        let wanted = (!whole_directory).then_some(ids);
        roster.set_account_scope(&ctx.actor, user, wanted).await?;
    }
    let scope = roster.account_scope(&ctx.actor, user).await?;
    let names: Option<Vec<String>> = match &scope {
        None => None,
        Some(ids) => Some(
            roster
                .list_organizations(&ctx.actor)
                .await?
                .into_iter()
                .filter(|o| ids.contains(&o.id))
                .map(|o| o.name)
                .collect(),
        ),
    };
    let body = serde_json::json!({ "user": user.to_string(), "organizations": names });
    ctx.out.print(&body, || match &names {
        None => say!("{user} administers the whole directory."),
        Some(names) => say!("{user} administers {}.", names.join(", ")),
    });
    Ok(())
}
