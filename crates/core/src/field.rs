//! The fields of a user as admins read them, listed once. What audit entries record of a
//! user, the columns an export can hold and the headers Roster's own import reads follow
//! from this list, so a field added here is audited, exported and imported under one name.

use crate::user::User;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// Serialised as its [`UserField::name`] (the export dialog sends the columns chosen so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum UserField {
    Id,
    Email,
    FirstName,
    LastName,
    Username,
    Phone,
    Organization,
    Team,
    Tags,
    Role,
    Status,
    TwoFactor,
    GroupCount,
    DeviceCount,
    IdentityProvider,
    CreatedAt,
    ModifiedAt,
    LastSignInAt,
    PasswordChangedAt,
    CreatedBy,
}

impl UserField {
    /// In the order an export writes them and an audit entry lists them.
    pub const ALL: [UserField; 20] = [
        UserField::Id,
        UserField::Email,
        UserField::FirstName,
        UserField::LastName,
        UserField::Username,
        UserField::Phone,
        UserField::Organization,
        UserField::Team,
        UserField::Tags,
        UserField::Role,
        UserField::Status,
        UserField::TwoFactor,
        UserField::GroupCount,
        UserField::DeviceCount,
        UserField::IdentityProvider,
        UserField::CreatedAt,
        UserField::ModifiedAt,
        UserField::LastSignInAt,
        UserField::PasswordChangedAt,
        UserField::CreatedBy,
    ];

    /// The name audit entries, export headers and Roster's own import use.
    pub fn name(self) -> &'static str {
        match self {
            UserField::Id => "id",
            UserField::Email => "email",
            UserField::FirstName => "first_name",
            UserField::LastName => "last_name",
            UserField::Username => "username",
            UserField::Phone => "phone",
            UserField::Organization => "organization",
            UserField::Team => "team",
            UserField::Tags => "tags",
            UserField::Role => "role",
            UserField::Status => "status",
            UserField::TwoFactor => "two_factor",
            UserField::GroupCount => "group_count",
            UserField::DeviceCount => "device_count",
            UserField::IdentityProvider => "identity_provider",
            UserField::CreatedAt => "created_at",
            UserField::ModifiedAt => "modified_at",
            UserField::LastSignInAt => "last_sign_in_at",
            UserField::PasswordChangedAt => "password_changed_at",
            UserField::CreatedBy => "created_by",
        }
    }

    /// The user's value as text, `None` when empty: times in UTC RFC 3339 with
    /// milliseconds, tags joined by ", ".
    pub fn text(self, user: &User) -> Option<String> {
        let time =
            |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true));
        let optional = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
        match self {
            UserField::Id => Some(user.id.to_string()),
            UserField::Email => Some(user.email.clone()),
            UserField::FirstName => Some(user.first_name.clone()),
            UserField::LastName => Some(user.last_name.clone()),
            UserField::Username => Some(user.username.clone()),
            UserField::Phone => optional(&user.phone),
            UserField::Organization => optional(&user.organization),
            UserField::Team => optional(&user.team),
            UserField::Tags => Some(user.tags.join(", ")).filter(|t| !t.is_empty()),
            UserField::Role => Some(user.role.clone()),
            UserField::Status => Some(user.status.as_str().to_owned()),
            UserField::TwoFactor => Some(user.two_factor.as_str().to_owned()),
            UserField::GroupCount => Some(user.group_count.to_string()),
            UserField::DeviceCount => Some(user.device_count.to_string()),
            UserField::IdentityProvider => Some(user.identity_provider.clone()),
            UserField::CreatedAt => time(Some(user.created_at)),
            UserField::ModifiedAt => time(Some(user.modified_at)),
            UserField::LastSignInAt => time(user.last_sign_in_at),
            UserField::PasswordChangedAt => time(user.password_changed_at),
            UserField::CreatedBy => Some(user.created_by.clone()),
        }
    }

    /// A field an admin, an import or a status action sets, whose value audit entries
    /// record before and after; not the id, nor the counts and times Roster keeps itself.
    pub fn audited(self) -> bool {
        !matches!(
            self,
            UserField::Id
                | UserField::GroupCount
                | UserField::DeviceCount
                | UserField::CreatedAt
                | UserField::ModifiedAt
                | UserField::LastSignInAt
                | UserField::PasswordChangedAt
                | UserField::CreatedBy
        )
    }

    /// A field an import of Roster's own file reads back: what an export holds unless
    /// the admin chooses.
    pub fn imported(self) -> bool {
        matches!(
            self,
            UserField::Email
                | UserField::FirstName
                | UserField::LastName
                | UserField::Username
                | UserField::Phone
                | UserField::Organization
                | UserField::Team
                | UserField::Tags
                | UserField::Role
                | UserField::Status
        )
    }

    /// What audit entries record of the user: each audited field with its value.
    pub fn snapshot(user: &User) -> Vec<(&'static str, Option<String>)> {
        UserField::ALL
            .into_iter()
            .filter(|field| field.audited())
            .map(|field| (field.name(), field.text(user)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::SortField;

    #[test]
    fn each_field_goes_by_one_name_everywhere() {
        for field in UserField::ALL {
            let sent = serde_json::to_value(field).unwrap();
            assert_eq!(sent, field.name(), "{field:?} as the UI sends it");
        }
        // Every sort key is a field, under the field's name.
        for sort in SortField::ALL {
            let name = serde_json::to_value(sort).unwrap();
            assert!(
                UserField::ALL.iter().any(|f| f.name() == name),
                "{sort:?} ({name}) is no UserField"
            );
        }
    }
}
