use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use crate::user::print_page;
use clap::Subcommand;
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use roster_core::{GroupPatch, NewGroup, UserQuery, UserRef};

#[derive(Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Add {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
        /// Group names are unique within an organization.
        #[arg(long)]
        org: Option<String>,
    },
    /// All groups with their member counts.
    List,
    /// Rename a group or change its description.
    Rename {
        name: String,
        /// The new name.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        org: Option<String>,
    },
    /// Delete a group (its members stay as users).
    Delete {
        name: String,
        #[arg(long)]
        org: Option<String>,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// List the members of a group.
    Members {
        name: String,
        #[arg(long)]
        org: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Add users (ID, username or email) to a group.
    AddMember {
        name: String,
        #[arg(required = true)]
        users: Vec<String>,
        #[arg(long)]
        org: Option<String>,
    },
    /// Remove users from a group.
    RemoveMember {
        name: String,
        #[arg(required = true)]
        users: Vec<String>,
        #[arg(long)]
        org: Option<String>,
    },
}

pub async fn run(command: GroupCommand, ctx: &Context) -> Result<(), CliError> {
    let roster = &ctx.roster;
    match command {
        GroupCommand::Add {
            name,
            description,
            org,
        } => {
            let group = roster
                .add_group(
                    &ctx.actor,
                    NewGroup {
                        name,
                        description,
                        organization: org,
                    },
                )
                .await?;
            ctx.out.print(&group, || {
                say!("Created group {} (ID {}).", group.name, group.id)
            });
        }
        GroupCommand::List => {
            let groups = roster.list_groups(&ctx.actor).await?;
            ctx.out.print(&groups, || {
                if groups.is_empty() {
                    say!("No groups yet.");
                    return;
                }
                let mut table = Table::new();
                table.load_preset(UTF8_HORIZONTAL_ONLY).set_header([
                    "ID",
                    "Name",
                    "Organization",
                    "Members",
                    "Created by",
                    "Created",
                ]);
                for g in &groups {
                    table.add_row([
                        g.id.to_string(),
                        g.name.clone(),
                        g.organization.clone().unwrap_or_default(),
                        g.member_count.to_string(),
                        g.created_by.clone(),
                        local_time(g.created_at),
                    ]);
                }
                say!("{table}");
            });
        }
        GroupCommand::Rename {
            name,
            to,
            description,
            org,
        } => {
            let group = roster.find_group(&ctx.actor, &name, org.as_deref()).await?;
            let patch = GroupPatch {
                name: to,
                description,
            };
            let group = roster
                .update_group(&ctx.actor, group.id, patch, None)
                .await?;
            ctx.out.print(&group, || {
                say!("Group {} (ID {}) saved.", group.name, group.id)
            });
        }
        GroupCommand::Delete { name, org, yes } => {
            let group = roster.find_group(&ctx.actor, &name, org.as_deref()).await?;
            if !yes {
                return Err(CliError::new(
                    "confirmation_required",
                    format!(
                        "deleting group {} ({} members) cannot be undone; add --yes to confirm",
                        group.name, group.member_count
                    ),
                ));
            }
            roster.delete_group(&ctx.actor, group.id).await?;
            let body = serde_json::json!({ "deleted": group });
            ctx.out
                .print(&body, || say!("Deleted group {}.", group.name));
        }
        GroupCommand::Members {
            name,
            org,
            limit,
            offset,
        } => {
            let group = roster.find_group(&ctx.actor, &name, org.as_deref()).await?;
            let query = UserQuery {
                limit,
                offset,
                ..UserQuery::default()
            };
            let page = roster.group_members(&ctx.actor, group.id, &query).await?;
            ctx.out.print(&page, || print_page(&page));
        }
        GroupCommand::AddMember { name, users, org } => {
            let group = roster.find_group(&ctx.actor, &name, org.as_deref()).await?;
            let refs: Vec<UserRef> = users.iter().map(|u| UserRef::parse(u)).collect();
            let added = roster.add_members(&ctx.actor, group.id, &refs).await?;
            let body = serde_json::json!({ "group": group.name, "added": added });
            ctx.out.print(&body, || {
                say!(
                    "Added {added} user(s) to {} ({} already members).",
                    group.name,
                    refs.len() - added
                )
            });
        }
        GroupCommand::RemoveMember { name, users, org } => {
            let group = roster.find_group(&ctx.actor, &name, org.as_deref()).await?;
            let refs: Vec<UserRef> = users.iter().map(|u| UserRef::parse(u)).collect();
            let removed = roster.remove_members(&ctx.actor, group.id, &refs).await?;
            let body = serde_json::json!({ "group": group.name, "removed": removed });
            ctx.out.print(&body, || {
                say!("Removed {removed} user(s) from {}.", group.name)
            });
        }
    }
    Ok(())
}
