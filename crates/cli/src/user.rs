use crate::output::say;
use crate::output::{CliError, local_time, optional_time};
use crate::{Context, credentials};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use roster_core::{
    Attributes, DeviceCount, NewUser, Profile, Sort, Status, StatusAction, TwoFactorState, User,
    UserField, UserPage, UserPatch, UserQuery, UserRef, is_attribute_name,
    is_reserved_attribute_name,
};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user (staged until onboarding completes, unless --status says otherwise).
    Add(AddArgs),
    /// List users matching a search and filters, one page at a time.
    List(ListArgs),
    /// Show one user (USER = ID, username or email).
    Show { user: String },
    /// Change some of a user's fields.
    Edit(EditArgs),
    /// Delete users for good (their audit trail stays). Their devices are retired unless
    /// --give-devices-to names who takes them.
    Delete {
        #[arg(required = true)]
        users: Vec<String>,
        /// The user who takes over their devices.
        #[arg(long, value_name = "USER")]
        give_devices_to: Option<String>,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// Complete onboarding of staged users.
    Activate {
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Block users from signing in.
    Suspend {
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Let suspended users sign in again.
    Unsuspend {
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Lock users (admin lock).
    Lock {
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Unlock users locked by an admin or by failed sign-ins.
    Unlock {
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Set a user's password (typed on standard input, or generated).
    SetPassword(credentials::SetPasswordArgs),
    /// Clear users' second factor and issue new secrets to activate; prints the
    /// otpauth:// URI per user.
    #[command(name = "reset-2fa")]
    ResetTwoFactor(credentials::ResetTwoFactorArgs),
    /// Activate a pending second factor with a code from the authenticator app.
    #[command(name = "activate-2fa")]
    ActivateTwoFactor {
        user: String,
        #[arg(long)]
        code: String,
    },
    /// Check a username/email and password (and TOTP code); exits non-zero with the
    /// reason when they are not good. Counts as a sign-in attempt.
    VerifyLogin(credentials::VerifyLoginArgs),
    /// Start password recovery: a one-time code goes to each user by email.
    ResetPassword {
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Send (again) the new-user invitation with a one-time code.
    Invite { user: String },
    /// A user's sign-in attempts, newest first.
    SignIns {
        user: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    email: String,
    #[arg(long = "first")]
    first_name: String,
    #[arg(long = "last")]
    last_name: String,
    /// Derived from the email when absent.
    #[arg(long)]
    username: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// owner, admin, helpdesk, auditor or user (default).
    #[arg(long)]
    role: Option<String>,
    /// Initial status (default: staged).
    #[arg(long, value_parser = parse_status)]
    status: Option<Status>,
    #[arg(long)]
    org: Option<String>,
    #[arg(long)]
    team: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag")]
    tags: Vec<String>,
    #[command(flatten)]
    profile: ProfileArgs,
}

/// The profile fields, admin-defined attributes and the manager, as `user add` and
/// `user edit` take them.
#[derive(Args)]
pub struct ProfileArgs {
    /// FIELD=VALUE for job_title, department, employee_id, work_phone, mobile_phone,
    /// office, cost_center, start_date or end_date (YYYY-MM-DD), or an attribute defined
    /// with `roster attribute add`; repeat for several. An empty value clears the field.
    #[arg(long = "set", value_parser = parse_assignment)]
    set: Vec<(String, String)>,
    /// The manager's email, username or User ID; empty to clear.
    #[arg(long)]
    manager: Option<String>,
}

impl ProfileArgs {
    fn profile(&self) -> Profile {
        self.set
            .iter()
            .filter_map(|(name, value)| {
                UserField::profile()
                    .find(|field| field.name() == name)
                    .map(|field| (field, value.clone()))
            })
            .collect()
    }

    /// What `--set` gives that is no profile field: attribute values, checked against
    /// their definitions by the service.
    fn attributes(&self) -> Attributes {
        self.set
            .iter()
            .filter(|(name, _)| !UserField::profile().any(|field| field.name() == name))
            .cloned()
            .collect()
    }
}

/// `NAME=VALUE`, the name as fields and attributes are named (`Job title` → job_title).
fn parse_assignment(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not FIELD=VALUE, such as department=Sales"))?;
    let name = name.trim().to_lowercase().replace(['-', ' '], "_");
    if name.is_empty() {
        return Err(format!("'{text}' names no field; write FIELD=VALUE"));
    }
    Ok((name, value.to_owned()))
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Mfa {
    Enrolled,
    NotEnrolled,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,
    #[arg(long, default_value_t = 100)]
    limit: u32,
    #[arg(long, default_value_t = 0)]
    offset: u64,
}

/// Which users, in which order: the list's search, filters and sort.
#[derive(Args)]
pub struct FilterArgs {
    /// Words that must each occur in the first or last name, username or email.
    #[arg(long, default_value = "")]
    search: String,
    /// Only users in this status; repeat for several.
    #[arg(long = "status", value_parser = parse_status)]
    statuses: Vec<Status>,
    #[arg(long, value_enum)]
    mfa: Option<Mfa>,
    /// Only users in this 2FA state; repeat for several.
    #[arg(long = "two-factor", value_parser = parse_two_factor)]
    two_factor: Vec<TwoFactorState>,
    #[arg(long)]
    group: Option<String>,
    #[arg(long)]
    org: Option<String>,
    /// A team name, or "Unassigned" for users with none.
    #[arg(long)]
    team: Option<String>,
    #[arg(long)]
    role: Option<String>,
    /// Only users with no active devices, one, or several.
    #[arg(long, value_enum)]
    devices: Option<DevicesArg>,
    #[arg(long)]
    department: Option<String>,
    /// Only those who report to this user (email, username or User ID).
    #[arg(long = "reports-to")]
    reports_to: Option<String>,
    /// Only users whose end date lies within this many days from today.
    #[arg(long = "ending-within")]
    ending_within: Option<u32>,
    /// Only users with this value of an attribute: NAME=VALUE; repeat for several.
    #[arg(long = "attribute", value_parser = parse_assignment)]
    attributes: Vec<(String, String)>,
    /// FIELD or FIELD:desc, e.g. created_at:desc; an attribute's name sorts by it.
    #[arg(long, value_parser = parse_sort, default_value = "last_name")]
    sort: SortChoice,
}

/// A sort by a field, or by an attribute (in the direction given).
#[derive(Clone)]
pub struct SortChoice {
    sort: Sort,
    attribute: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DevicesArg {
    None,
    One,
    Several,
}

impl FilterArgs {
    /// The list query these arguments describe (a group is looked up by name).
    pub async fn query(
        self,
        ctx: &Context,
        limit: u32,
        offset: u64,
    ) -> Result<UserQuery, CliError> {
        let mut two_factor = self.two_factor;
        match self.mfa {
            Some(Mfa::Enrolled) => two_factor.push(TwoFactorState::Active),
            Some(Mfa::NotEnrolled) => two_factor.extend(TwoFactorState::NOT_ENROLLED),
            None => {}
        }
        let group = match &self.group {
            Some(name) => Some(ctx.roster.find_group(&ctx.actor, name, None).await?.id),
            None => None,
        };
        let mut managers = Vec::new();
        if let Some(named) = &self.reports_to {
            let named = UserRef::parse(named);
            managers.push(ctx.roster.find_user(&ctx.actor, &named).await?.id);
        }
        Ok(UserQuery {
            search: self.search,
            statuses: self.statuses,
            two_factor,
            organization: self.org,
            team: self.team,
            group,
            role: self.role,
            devices: self.devices.map(|d| match d {
                DevicesArg::None => DeviceCount::None,
                DevicesArg::One => DeviceCount::One,
                DevicesArg::Several => DeviceCount::Several,
            }),
            department: self.department,
            managers,
            ending_within_days: self.ending_within,
            attributes: self.attributes.into_iter().collect(),
            ids: Vec::new(),
            sort: self.sort.sort,
            sort_attribute: self.sort.attribute,
            limit,
            offset,
            ..UserQuery::default()
        })
    }
}

#[derive(Args)]
pub struct EditArgs {
    user: String,
    #[arg(long)]
    email: Option<String>,
    #[arg(long = "first")]
    first_name: Option<String>,
    #[arg(long = "last")]
    last_name: Option<String>,
    #[arg(long)]
    username: Option<String>,
    /// Empty to clear.
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    role: Option<String>,
    /// Empty to clear.
    #[arg(long)]
    org: Option<String>,
    /// Empty to clear (Unassigned).
    #[arg(long)]
    team: Option<String>,
    /// Replaces all tags; repeat for several.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Remove all tags.
    #[arg(long, conflicts_with = "tags")]
    clear_tags: bool,
    #[command(flatten)]
    profile: ProfileArgs,
    /// Refuse if the user's version is no longer this (someone else changed it).
    #[arg(long = "if-version")]
    if_version: Option<i64>,
}

fn parse_status(text: &str) -> Result<Status, String> {
    text.parse()
}

fn parse_two_factor(text: &str) -> Result<TwoFactorState, String> {
    text.parse()
}

fn parse_sort(text: &str) -> Result<SortChoice, String> {
    match text.parse::<Sort>() {
        Ok(sort) => Ok(SortChoice {
            sort,
            attribute: None,
        }),
        Err(error) => {
            let (name, direction) = text.split_once(':').unwrap_or((text, "asc"));
            let name = name.trim();
            if !is_attribute_name(name) || is_reserved_attribute_name(name) {
                return Err(error.message);
            }
            let sort: Sort = format!("id:{direction}")
                .parse()
                .map_err(|e: roster_core::FieldError| e.message)?;
            Ok(SortChoice {
                sort,
                attribute: Some(name.to_owned()),
            })
        }
    }
}

fn refs(users: &[String]) -> Vec<UserRef> {
    users.iter().map(|u| UserRef::parse(u)).collect()
}

pub async fn run(command: UserCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        UserCommand::Add(args) => add(args, ctx).await,
        UserCommand::List(args) => list(args, ctx).await,
        UserCommand::Show { user } => {
            let user = ctx
                .roster
                .find_user(&ctx.actor, &UserRef::parse(&user))
                .await?;
            ctx.out.print(&user, || print_user(&user));
            Ok(())
        }
        UserCommand::Edit(args) => edit(args, ctx).await,
        UserCommand::Delete {
            users,
            give_devices_to,
            yes,
        } => {
            if !yes {
                return Err(CliError::new(
                    "confirmation_required",
                    format!(
                        "deleting {} user(s) cannot be undone; add --yes to confirm",
                        users.len()
                    ),
                ));
            }
            let heir = give_devices_to.as_deref().map(UserRef::parse);
            let deleted = ctx
                .roster
                .delete_users(&ctx.actor, &refs(&users), heir.as_ref())
                .await?;
            let body = serde_json::json!({ "deleted": deleted });
            ctx.out.print(&body, || {
                for user in &deleted {
                    say!("Deleted {} (ID {}).", user.username, user.id);
                }
            });
            Ok(())
        }
        UserCommand::Activate { users } => status(ctx, &users, StatusAction::Activate).await,
        UserCommand::Suspend { users } => status(ctx, &users, StatusAction::Suspend).await,
        UserCommand::Unsuspend { users } => status(ctx, &users, StatusAction::Unsuspend).await,
        UserCommand::Lock { users } => status(ctx, &users, StatusAction::Lock).await,
        UserCommand::Unlock { users } => status(ctx, &users, StatusAction::Unlock).await,
        UserCommand::SetPassword(args) => credentials::set_password(args, ctx).await,
        UserCommand::ResetTwoFactor(args) => credentials::reset_two_factor(args, ctx).await,
        UserCommand::ActivateTwoFactor { user, code } => {
            credentials::activate_two_factor(user, code, ctx).await
        }
        UserCommand::VerifyLogin(args) => credentials::verify_login(args, ctx).await,
        UserCommand::ResetPassword { users } => credentials::reset_password(users, ctx).await,
        UserCommand::Invite { user } => credentials::invite(user, ctx).await,
        UserCommand::SignIns { user, limit } => credentials::sign_ins(user, limit, ctx).await,
    }
}

async fn add(args: AddArgs, ctx: &Context) -> Result<(), CliError> {
    let input = NewUser {
        email: args.email,
        first_name: args.first_name,
        last_name: args.last_name,
        username: args.username,
        phone: args.phone,
        role: args.role,
        status: args.status,
        organization: args.org,
        team: args.team,
        tags: args.tags,
        identity_provider: None,
        profile: args.profile.profile(),
        attributes: args.profile.attributes(),
        manager: args.profile.manager,
    };
    let user = ctx.roster.add_user(&ctx.actor, input).await?;
    ctx.out.print(&user, || {
        say!(
            "Created {} (ID {}, {}).",
            user.username,
            user.id,
            user.status
        )
    });
    Ok(())
}

async fn list(args: ListArgs, ctx: &Context) -> Result<(), CliError> {
    let query = args.filter.query(ctx, args.limit, args.offset).await?;
    let page = ctx.roster.list_users(&ctx.actor, &query).await?;
    ctx.out.print(&page, || print_page(&page));
    Ok(())
}

async fn edit(args: EditArgs, ctx: &Context) -> Result<(), CliError> {
    let tags = if args.clear_tags {
        Some(Vec::new())
    } else if args.tags.is_empty() {
        None
    } else {
        Some(args.tags)
    };
    let patch = UserPatch {
        email: args.email,
        first_name: args.first_name,
        last_name: args.last_name,
        username: args.username,
        phone: args.phone,
        role: args.role,
        organization: args.org,
        team: args.team,
        tags,
        identity_provider: None,
        profile: args.profile.profile(),
        attributes: args.profile.attributes(),
        manager: args.profile.manager,
    };
    let user = ctx
        .roster
        .edit_user(
            &ctx.actor,
            &UserRef::parse(&args.user),
            patch,
            args.if_version,
        )
        .await?;
    ctx.out.print(&user, || print_user(&user));
    Ok(())
}

async fn status(ctx: &Context, users: &[String], action: StatusAction) -> Result<(), CliError> {
    let changed = ctx
        .roster
        .change_status(&ctx.actor, &refs(users), action)
        .await?;
    let body = serde_json::json!({ "users": changed });
    ctx.out.print(&body, || {
        for user in &changed {
            say!("{} (ID {}) is now {}.", user.username, user.id, user.status);
        }
    });
    Ok(())
}

pub async fn run_due(ctx: &Context) -> Result<(), CliError> {
    let report = ctx
        .roster
        .run_due(&ctx.actor.workstation, ctx.actor.origin)
        .await?;
    let backup = ctx.roster.back_up_if_due(false).await?;
    let body = serde_json::json!({
        "suspended": report.suspended,
        "kept": report.kept,
        "backup": backup,
    });
    ctx.out.print(&body, || {
        if report.suspended.is_empty() {
            say!("No account's end date has come.");
        } else {
            say!(
                "Suspended {} account(s) whose end date has come: {}.",
                report.suspended.len(),
                report.suspended.join(", ")
            );
        }
        for owner in &report.kept {
            say!("Kept {owner}: the last Owner anyone can sign in as. Make another Owner first.");
        }
        if let Some(backup) = &backup {
            say!("Backup written: {}.", backup.file.name);
            crate::db::print_contents(backup);
        }
    });
    Ok(())
}

pub fn print_page(page: &UserPage) {
    if page.users.is_empty() {
        say!("No users match ({} in all).", page.total);
        return;
    }
    let mut table = Table::new();
    table.load_preset(UTF8_HORIZONTAL_ONLY).set_header([
        "ID", "Username", "Name", "Email", "Status", "2FA", "Role", "Team",
    ]);
    for user in &page.users {
        table.add_row([
            user.id.to_string(),
            user.username.clone(),
            user.display_name(),
            user.email.clone(),
            user.status.to_string(),
            user.two_factor.to_string(),
            user.role.clone(),
            user.team.clone().unwrap_or_else(|| "Unassigned".into()),
        ]);
    }
    say!("{table}");
    let first = page.offset + 1;
    let last = page.offset + page.users.len() as u64;
    say!("{first}–{last} of {} users", page.total);
}

fn print_user(user: &User) {
    let rows = [
        ("User ID", user.id.to_string()),
        ("Username", user.username.clone()),
        ("Name", user.display_name()),
        ("Email", user.email.clone()),
        ("Phone", user.phone.clone().unwrap_or_default()),
        (
            "Organization",
            user.organization.clone().unwrap_or_default(),
        ),
        (
            "Team",
            user.team.clone().unwrap_or_else(|| "Unassigned".into()),
        ),
        ("Tags", user.tags.join(", ")),
        (
            "Manager",
            user.manager
                .as_ref()
                .map(|m| format!("{} <{}>", m.name, m.email))
                .unwrap_or_default(),
        ),
        ("Role", user.role.clone()),
        ("Identity provider", user.identity_provider.clone()),
        ("Status", user.status.to_string()),
        ("2FA", user.two_factor.to_string()),
        ("Groups", user.group_count.to_string()),
        ("Devices", user.device_count.to_string()),
        (
            "Created",
            format!("{} by {}", local_time(user.created_at), user.created_by),
        ),
        ("Modified", local_time(user.modified_at)),
        ("Last sign-in", optional_time(user.last_sign_in_at)),
        ("Password changed", optional_time(user.password_changed_at)),
        ("Version", user.version.to_string()),
    ];
    for (label, value) in rows {
        say!("{label:<18}{value}");
    }
    let names = user
        .profile
        .iter()
        .map(|(field, value)| (field.name(), value))
        .chain(
            user.attributes
                .iter()
                .map(|(name, value)| (name.as_str(), value)),
        );
    for (name, value) in names {
        let name = name.replace('_', " ");
        let label = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        say!("{label:<18}{value}");
    }
}
