use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use clap::Subcommand;
use clap::builder::BoolishValueParser;
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use roster_core::{AttributeEdit, AttributeKind, NewAttribute};

#[derive(Subcommand)]
pub enum AttributeCommand {
    /// Define an attribute users can hold beside the built-in fields.
    Add {
        /// How the window labels it, e.g. "Badge number".
        label: String,
        /// How files, filters and `--set` name it (default: from the label, badge_number).
        #[arg(long)]
        name: Option<String>,
        /// text, number, date, yes_no or choice.
        #[arg(long, default_value = "text", value_parser = parse_kind)]
        kind: AttributeKind,
        /// A value a choice attribute takes; repeat for each.
        #[arg(long = "choice")]
        choices: Vec<String>,
        /// Every new user must be given a value.
        #[arg(long)]
        required: bool,
        /// No two users may hold the same value.
        #[arg(long)]
        unique: bool,
        /// Only users of this organization have it (default: every user).
        #[arg(long)]
        org: Option<String>,
    },
    /// The attributes defined, with their kind and where they apply.
    List,
    /// Change an attribute's label, choices or rules; its name and kind stay.
    Edit {
        name: String,
        #[arg(long)]
        label: Option<String>,
        /// The values a choice attribute takes, all of them: repeat for each.
        #[arg(long = "choice", conflicts_with_all = ["add_choice", "remove_choice"])]
        choices: Vec<String>,
        /// A value to offer besides the present ones; repeat for each.
        #[arg(long = "add-choice")]
        add_choice: Vec<String>,
        /// A value to offer no longer (refused while users hold it); repeat for each.
        #[arg(long = "remove-choice")]
        remove_choice: Vec<String>,
        /// Whether every new user must be given a value: yes or no.
        #[arg(long, value_parser = BoolishValueParser::new())]
        required: Option<bool>,
        /// Whether no two users may hold the same value: yes or no.
        #[arg(long, value_parser = BoolishValueParser::new())]
        unique: Option<bool>,
    },
    /// Remove an attribute and every user's value of it.
    Remove {
        name: String,
        /// Confirm the removal of the values users hold.
        #[arg(long)]
        yes: bool,
    },
}

fn parse_kind(text: &str) -> Result<AttributeKind, String> {
    text.parse()
}

pub async fn run(command: AttributeCommand, ctx: &Context) -> Result<(), CliError> {
    let roster = &ctx.roster;
    match command {
        AttributeCommand::Add {
            label,
            name,
            kind,
            choices,
            required,
            unique,
            org,
        } => {
            let new = NewAttribute {
                name: name.unwrap_or_default(),
                label,
                kind: Some(kind),
                choices,
                required,
                unique,
                organization: org,
            };
            let attribute = roster.define_attribute(&ctx.actor, new).await?;
            ctx.out.print(&attribute, || {
                say!(
                    "Defined attribute {} ({}, {}); set it with --set {}=VALUE.",
                    attribute.name,
                    attribute.label,
                    attribute.kind.as_str(),
                    attribute.name
                )
            });
        }
        AttributeCommand::List => {
            let attributes = roster.attributes(&ctx.actor).await?;
            ctx.out.print(&attributes, || {
                if attributes.is_empty() {
                    say!("No attributes yet; define one with `roster attribute add`.");
                    return;
                }
                let mut table = Table::new();
                table.load_preset(UTF8_HORIZONTAL_ONLY).set_header([
                    "Name",
                    "Label",
                    "Kind",
                    "Rules",
                    "Organization",
                    "Created",
                ]);
                for a in &attributes {
                    let mut rules = Vec::new();
                    if a.required {
                        rules.push("required".to_owned());
                    }
                    if a.unique {
                        rules.push("unique".to_owned());
                    }
                    if !a.choices.is_empty() {
                        rules.push(format!("one of: {}", a.choices.join(", ")));
                    }
                    table.add_row([
                        a.name.clone(),
                        a.label.clone(),
                        a.kind.as_str().to_owned(),
                        rules.join("; "),
                        a.organization.clone().unwrap_or_else(|| "(every)".into()),
                        format!("{} by {}", local_time(a.created_at), a.created_by),
                    ]);
                }
                say!("{table}");
            });
        }
        AttributeCommand::Edit {
            name,
            label,
            choices,
            add_choice,
            remove_choice,
            required,
            unique,
        } => {
            let attributes = roster.attributes(&ctx.actor).await?;
            let Some(now) = attributes.iter().find(|a| a.name == name.trim()) else {
                return Err(CliError::new(
                    "not_found",
                    format!("no attribute named '{name}'; `roster attribute list` shows them"),
                ));
            };
            let choices = if choices.is_empty() {
                now.choices
                    .iter()
                    .filter(|c| !remove_choice.contains(c))
                    .chain(&add_choice)
                    .cloned()
                    .collect()
            } else {
                choices
            };
            let edit = AttributeEdit {
                label: label.unwrap_or_else(|| now.label.clone()),
                choices,
                required: required.unwrap_or(now.required),
                unique: unique.unwrap_or(now.unique),
            };
            let attribute = roster.edit_attribute(&ctx.actor, &name, edit).await?;
            ctx.out.print(&attribute, || {
                say!(
                    "Changed attribute {} ({}).",
                    attribute.name,
                    attribute.label
                )
            });
        }
        AttributeCommand::Remove { name, yes } => {
            let values = roster.attribute_values(&ctx.actor, &name).await?;
            if values > 0 && !yes {
                return Err(CliError::new(
                    "confirmation_required",
                    format!(
                        "{name} holds values for {values} users; removing it deletes them. Add --yes to confirm"
                    ),
                ));
            }
            let removed = roster
                .remove_attribute(&ctx.actor, &name, Some(values))
                .await?;
            let body = serde_json::json!({ "removed": name, "values": removed });
            ctx.out.print(&body, || {
                say!("Removed attribute {name} and {removed} values.")
            });
        }
    }
    Ok(())
}
