use crate::attribute::Attributes;
use crate::field::Profile;
use crate::organization::OrganizationId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The stable "User ID" shown to admins and used in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An account's lifecycle state. Changes only through [`crate::transition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Status {
    /// Added, onboarding not completed ("Provisioned").
    Staged,
    Active,
    /// Disabled by an admin.
    Suspended,
    /// Locked by an admin.
    Locked,
    /// Locked after too many failed sign-ins.
    AutoLocked,
    /// Must set a new password at the next sign-in.
    AwaitingNewPassword,
    /// A password reset was requested.
    Recovery,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Staged,
        Status::Active,
        Status::Suspended,
        Status::Locked,
        Status::AutoLocked,
        Status::AwaitingNewPassword,
        Status::Recovery,
    ];

    /// The states of an account someone can still sign in to (a staged one by finishing
    /// onboarding): the directory always keeps an Owner in one of them.
    pub const CAN_SIGN_IN: [Status; 4] = [
        Status::Staged,
        Status::Active,
        Status::AwaitingNewPassword,
        Status::Recovery,
    ];

    /// The states of an account whose user tokens enroll devices: signed up, and not
    /// blocked by an admin or by failed sign-ins.
    pub const ENROLLS_DEVICES: [Status; 3] = [
        Status::Active,
        Status::AwaitingNewPassword,
        Status::Recovery,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Staged => "staged",
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::Locked => "locked",
            Status::AutoLocked => "auto_locked",
            Status::AwaitingNewPassword => "awaiting_new_password",
            Status::Recovery => "recovery",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown status '{s}'; use one of: {}",
                    Status::ALL.map(Status::as_str).join(", ")
                )
            })
    }
}

/// The state of a user's second factor (TOTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum TwoFactorState {
    NotConfigured,
    /// A secret was issued but not yet confirmed with a code ("Not active").
    PendingActivation,
    Active,
    /// Policy excludes this user from 2FA.
    NotAvailable,
}

impl TwoFactorState {
    pub const ALL: [TwoFactorState; 4] = [
        TwoFactorState::NotConfigured,
        TwoFactorState::PendingActivation,
        TwoFactorState::Active,
        TwoFactorState::NotAvailable,
    ];

    /// Every state but active: the users not yet protected by a second factor, as the
    /// consoles' "MFA: not enrolled" filter means it.
    pub const NOT_ENROLLED: [TwoFactorState; 3] = [
        TwoFactorState::NotConfigured,
        TwoFactorState::PendingActivation,
        TwoFactorState::NotAvailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactorState::NotConfigured => "not_configured",
            TwoFactorState::PendingActivation => "pending_activation",
            TwoFactorState::Active => "active",
            TwoFactorState::NotAvailable => "not_available",
        }
    }
}

impl fmt::Display for TwoFactorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TwoFactorState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        TwoFactorState::ALL
            .into_iter()
            .find(|state| state.as_str() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown 2FA state '{s}'; use one of: {}",
                    TwoFactorState::ALL.map(TwoFactorState::as_str).join(", ")
                )
            })
    }
}

/// A person's account as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub organization: Option<String>,
    /// The organization as stored (an edit changes `organization`; the store follows it),
    /// by which the services tell whether the user is within an actor's scope.
    pub organization_id: Option<OrganizationId>,
    /// `None` is shown as "Unassigned".
    pub team: Option<String>,
    pub tags: Vec<String>,
    pub role: String,
    pub identity_provider: String,
    pub status: Status,
    /// Job title, department, employee ID … ([`crate::UserField::profile`]).
    pub profile: Profile,
    pub manager: Option<Manager>,
    /// Values of the attributes admins defined, by attribute name.
    pub attributes: Attributes,
    pub two_factor: TwoFactorState,
    pub group_count: i64,
    /// Active devices (retired ones are not counted).
    pub device_count: i64,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub password_changed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    /// Bumped by every change; a write naming an older version is refused.
    pub version: i64,
}

/// The user someone reports to, as shown beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Manager {
    pub id: UserId,
    /// First and last name.
    pub name: String,
    pub email: String,
}

/// Who a new user reports to: a user found already, or one the same import creates with
/// this email, linked when the import has written every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagerChoice {
    Existing(Manager),
    InImport(String),
}

/// How far up a chain of managers a new manager is followed to find a loop (by the
/// services, and by the store again inside the write): further than any organisation chart
/// goes.
pub const MAX_REPORTING_CHAIN: usize = 64;

/// The role that may do everything, roles and settings included.
pub const OWNER_ROLE: &str = "owner";

impl User {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The user as shown beside those who report to them.
    pub fn as_manager(&self) -> Manager {
        Manager {
            id: self.id,
            name: self.display_name(),
            email: self.email.clone(),
        }
    }

    /// An Owner someone can sign in as. Without one nobody can manage roles and settings,
    /// and the first Owner's screen never comes back: admins' writes keep one (checked by
    /// the service, and again by the store inside the write, where two writes at once
    /// cannot both pass).
    pub fn is_usable_owner(&self) -> bool {
        self.role == OWNER_ROLE && Status::CAN_SIGN_IN.contains(&self.status)
    }
}

/// A user as the store creates it: validated, with its role, state and creation filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUserRecord {
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    /// Created as a named record when it does not exist yet.
    pub organization: Option<String>,
    /// Created as a named record when it does not exist yet.
    pub team: Option<String>,
    pub tags: Vec<String>,
    pub role: String,
    pub identity_provider: String,
    pub status: Status,
    pub profile: Profile,
    pub manager: Option<ManagerChoice>,
    pub attributes: Attributes,
    pub two_factor: TwoFactorState,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Set when the account starts with a password.
    pub password_changed_at: Option<DateTime<Utc>>,
}

/// What an admin types to create a user. Only first name, last name and email are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct NewUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Derived from the email's local part when absent.
    pub username: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
    pub status: Option<Status>,
    pub organization: Option<String>,
    pub team: Option<String>,
    pub tags: Vec<String>,
    pub identity_provider: Option<String>,
    /// Job title, department … ([`crate::UserField::profile`]); blank values are ignored.
    pub profile: Profile,
    /// The manager's email, username or User ID.
    pub manager: Option<String>,
    /// Values of admin-defined attributes by name; blank values are ignored.
    pub attributes: Attributes,
}

/// A partial edit: `None` leaves a field as it is. For the optional fields, `Some("")`
/// clears the value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct UserPatch {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub team: Option<String>,
    pub tags: Option<Vec<String>>,
    pub identity_provider: Option<String>,
    /// The profile fields to set; a blank value clears one, an absent one stays.
    pub profile: Profile,
    /// The manager's email, username or User ID; `Some("")` clears it.
    pub manager: Option<String>,
    /// Admin-defined attributes to set by name; a blank value clears one, an absent one
    /// stays.
    pub attributes: Attributes,
}

impl UserPatch {
    pub fn is_empty(&self) -> bool {
        *self == UserPatch::default()
    }
}

/// Settings changed on many users at once. `None` leaves a field as it is; `Some("")`
/// clears organization or team.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct BulkEdit {
    pub organization: Option<String>,
    pub team: Option<String>,
    pub role: Option<String>,
    /// Added to each user's tags (those already there are kept once).
    pub add_tags: Vec<String>,
    /// Removed from each user's tags, case-insensitively.
    pub remove_tags: Vec<String>,
    /// Profile fields given to each user (department, end date …); a blank value clears
    /// the field, an absent one stays.
    pub profile: Profile,
    /// Attribute values given to each user, as [`UserPatch::attributes`]; never a unique
    /// attribute's, which no two users share.
    pub attributes: Attributes,
}

impl BulkEdit {
    pub fn is_empty(&self) -> bool {
        *self == BulkEdit::default()
    }
}

/// How a person names a user on the command line: by id, username or email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(UserId),
    Username(String),
    Email(String),
}

impl UserRef {
    /// A User ID only in the form Roster writes one: `12` or `#12` (digits, no sign, no
    /// leading zero, nothing around them). Anything else with an `@` is an email, the rest
    /// a username: `+1`, ` 1` or `01` never reach user 1 (an Owner was suspended that way).
    pub fn parse(text: &str) -> UserRef {
        if let Some(id) = explicit_id(text) {
            return UserRef::Id(UserId(id));
        }
        let text = text.trim();
        if text.contains('@') {
            UserRef::Email(text.to_owned())
        } else {
            UserRef::Username(text.to_owned())
        }
    }
}

fn explicit_id(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    let canonical = digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.is_empty()
        && !digits.starts_with('0');
    canonical.then(|| digits.parse().ok()).flatten()
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Id(id) => write!(f, "id {id}"),
            UserRef::Username(name) => write!(f, "username '{name}'"),
            UserRef::Email(email) => write!(f, "email '{email}'"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_written_form_of_an_id_is_an_id() {
        assert_eq!(UserRef::parse("12"), UserRef::Id(UserId(12)));
        assert_eq!(UserRef::parse("#12"), UserRef::Id(UserId(12)));
        for name in ["+1", " 1", "01", "1 ", "-1", "0", "#", "#01", "１"] {
            assert!(
                !matches!(UserRef::parse(name), UserRef::Id(_)),
                "{name:?} reads as an id"
            );
        }
        assert_eq!(UserRef::parse("+1"), UserRef::Username("+1".into()));
        assert_eq!(
            UserRef::parse(" ada@example.org "),
            UserRef::Email("ada@example.org".into())
        );
        assert_eq!(
            UserRef::parse("99999999999999999999"),
            UserRef::Username("99999999999999999999".into())
        );
    }
}
