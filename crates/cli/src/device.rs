//! `roster device enroll | add | list | show | edit | reassign | retire | delete`.

use crate::Context;
use crate::output::{CliError, local_time, optional_time, say};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use roster_core::{
    Device, DeviceDraft, DeviceId, DeviceOs, DeviceQuery, DeviceSort, DeviceState, UserRef,
};

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Enroll this device with a user token, as an enrollment script on a new machine does.
    Enroll {
        /// The user token (32 characters), as issued by `roster token issue`.
        #[arg(long)]
        token: String,
        #[command(flatten)]
        device: DeviceArgs,
    },
    /// Record a device for a user by hand (no token).
    Add {
        /// Its owner (ID, username or email).
        #[arg(long)]
        user: String,
        #[command(flatten)]
        device: DeviceArgs,
    },
    /// List devices, by name.
    List {
        #[command(flatten)]
        filter: DeviceFilter,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Show one device by its ID.
    Show { id: i64 },
    /// Change a device's name, OS, model or serial number.
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_parser = parse_os)]
        os: Option<DeviceOs>,
        #[arg(long)]
        model: Option<String>,
        #[arg(long)]
        serial: Option<String>,
    },
    /// Give devices to another user (they move to that user's organization).
    Reassign {
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long)]
        to: String,
    },
    /// Retire devices: kept for the record, no longer counted as in use.
    Retire {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Delete devices for good (the audit trail keeps their record).
    Delete {
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

/// Which devices: the list's search and filters (also an export's).
#[derive(Args)]
pub struct DeviceFilter {
    /// Words that must each occur in the name, serial number, model or owner.
    #[arg(long, default_value = "")]
    search: String,
    /// Only this user's devices.
    #[arg(long)]
    user: Option<String>,
    #[arg(long)]
    org: Option<String>,
    /// Only devices with this OS; repeat for several.
    #[arg(long = "os", value_parser = parse_os)]
    os: Vec<DeviceOs>,
    #[arg(long, value_enum)]
    state: Option<StateArg>,
}

impl DeviceFilter {
    /// The query these arguments describe (the owner looked up), by name.
    pub async fn query(self, ctx: &Context) -> Result<DeviceQuery, CliError> {
        let owner = match self.user {
            Some(u) => Some(
                ctx.roster
                    .find_user(&ctx.actor, &UserRef::parse(&u))
                    .await?
                    .id,
            ),
            None => None,
        };
        Ok(DeviceQuery {
            search: self.search,
            os: self.os,
            state: self.state.map(|s| match s {
                StateArg::Active => DeviceState::Active,
                StateArg::Retired => DeviceState::Retired,
            }),
            owner,
            organization: self.org,
            sort: DeviceSort::Name,
            ..DeviceQuery::default()
        })
    }
}

#[derive(Args)]
pub struct DeviceArgs {
    /// The device's name, such as its host name.
    #[arg(long)]
    name: String,
    /// Windows, macOS, Linux, Android or iOS.
    #[arg(long, value_parser = parse_os)]
    os: DeviceOs,
    #[arg(long, default_value = "")]
    serial: String,
    #[arg(long, default_value = "")]
    model: String,
}

impl DeviceArgs {
    fn draft(self) -> DeviceDraft {
        DeviceDraft {
            name: self.name,
            os: self.os,
            model: self.model,
            serial: self.serial,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StateArg {
    Active,
    Retired,
}

fn parse_os(text: &str) -> Result<DeviceOs, String> {
    text.parse().map_err(|e: roster_core::FieldError| e.message)
}

fn ids(ids: &[i64]) -> Vec<DeviceId> {
    ids.iter().copied().map(DeviceId).collect()
}

pub async fn run(command: DeviceCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        DeviceCommand::Enroll { token, device } => {
            let device = ctx
                .roster
                .enroll_device(&ctx.actor, &token, &device.draft())
                .await?;
            ctx.out.print(&device, || {
                say!(
                    "Enrolled {} (ID {}) for {}.",
                    device.name,
                    device.id,
                    device.owner.as_deref().unwrap_or("")
                )
            });
        }
        DeviceCommand::Add { user, device } => {
            let device = ctx
                .roster
                .add_device(&ctx.actor, &UserRef::parse(&user), &device.draft())
                .await?;
            ctx.out.print(&device, || {
                say!("Added {} (ID {}).", device.name, device.id)
            });
        }
        DeviceCommand::List {
            filter,
            limit,
            offset,
        } => {
            let query = DeviceQuery {
                limit,
                offset,
                ..filter.query(ctx).await?
            };
            let page = ctx.roster.list_devices(&ctx.actor, &query).await?;
            ctx.out.print(&page, || {
                print_devices(&page.devices);
                say!("{} of {} devices.", page.devices.len(), page.total);
            });
        }
        DeviceCommand::Show { id } => {
            let device = ctx.roster.get_device(&ctx.actor, DeviceId(id)).await?;
            ctx.out.print(&device, || print_device(&device));
        }
        DeviceCommand::Edit {
            id,
            name,
            os,
            model,
            serial,
        } => {
            let before = ctx.roster.get_device(&ctx.actor, DeviceId(id)).await?;
            let draft = DeviceDraft {
                name: name.unwrap_or(before.name),
                os: os.unwrap_or(before.os),
                model: model.unwrap_or(before.model),
                serial: serial.unwrap_or(before.serial),
            };
            let device = ctx
                .roster
                .edit_device(&ctx.actor, DeviceId(id), &draft, before.version)
                .await?;
            ctx.out.print(&device, || print_device(&device));
        }
        DeviceCommand::Reassign { ids: chosen, to } => {
            let moved = ctx
                .roster
                .reassign_devices(&ctx.actor, &ids(&chosen), &UserRef::parse(&to))
                .await?;
            ctx.out
                .print(&moved, || say!("Gave {} device(s) to {to}.", moved.len()));
        }
        DeviceCommand::Retire { ids: chosen } => {
            let retired = ctx.roster.retire_devices(&ctx.actor, &ids(&chosen)).await?;
            ctx.out.print(&retired, || {
                for device in &retired {
                    say!("Retired {} (ID {}).", device.name, device.id);
                }
            });
        }
        DeviceCommand::Delete { ids: chosen, yes } => {
            if !yes {
                return Err(CliError::new(
                    "confirmation_required",
                    format!(
                        "deleting {} device(s) cannot be undone; add --yes to confirm",
                        chosen.len()
                    ),
                ));
            }
            let deleted = ctx.roster.delete_devices(&ctx.actor, &ids(&chosen)).await?;
            let body = serde_json::json!({ "deleted": deleted });
            ctx.out
                .print(&body, || say!("Deleted {deleted} device(s)."));
        }
    }
    Ok(())
}

fn print_devices(devices: &[Device]) {
    if devices.is_empty() {
        say!("No devices match.");
        return;
    }
    let mut table = Table::new();
    table.load_preset(UTF8_HORIZONTAL_ONLY).set_header([
        "ID",
        "Name",
        "OS",
        "Serial",
        "Owner",
        "Organization",
        "Last activity",
        "State",
    ]);
    for d in devices {
        table.add_row([
            d.id.to_string(),
            d.name.clone(),
            d.os.label().to_owned(),
            d.serial.clone(),
            d.owner.clone().unwrap_or_default(),
            d.organization.clone().unwrap_or_default(),
            optional_time(d.last_activity_at),
            d.state.as_str().to_owned(),
        ]);
    }
    say!("{table}");
}

fn print_device(device: &Device) {
    let rows = [
        ("Device ID", device.id.to_string()),
        ("Name", device.name.clone()),
        ("OS", device.os.label().to_owned()),
        ("Model", device.model.clone()),
        ("Serial number", device.serial.clone()),
        ("Owner", device.owner.clone().unwrap_or_default()),
        (
            "Organization",
            device.organization.clone().unwrap_or_default(),
        ),
        (
            "Enrolled",
            format!(
                "{} by {}{}",
                local_time(device.enrolled_at),
                device.enrolled_by,
                device
                    .token
                    .as_ref()
                    .map(|t| format!(" with token {t}"))
                    .unwrap_or_default()
            ),
        ),
        ("Last activity", optional_time(device.last_activity_at)),
        ("State", device.state.as_str().to_owned()),
        ("Version", device.version.to_string()),
    ];
    for (label, value) in rows {
        say!("{label:<15}{value}");
    }
}
