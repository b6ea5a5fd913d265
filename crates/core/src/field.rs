//! The fields of a user as admins read them, listed once. What audit entries record of a
//! user, the columns an export can hold, the headers Roster's own import reads and the
//! profile columns the store keeps follow from this list, so a field added here is
//! stored, audited, exported and imported under one name.

use crate::error::FieldError;
use crate::user::User;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The directory attributes HR keeps of a person beside the account itself (job title,
/// department …), by field, each as checked text ([`UserField::check`]); a field without
/// a value is absent. Only the fields of [`UserField::profile`] are kept here.
pub type Profile = BTreeMap<UserField, String>;

/// What a profile field holds, by which its value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A label such as a job title: one line, at most [`MAX_PROFILE_CHARS`].
    Text,
    /// A label no two users share (an employee ID).
    UniqueText,
    Phone,
    /// A calendar day, kept as `YYYY-MM-DD` (which sorts as it reads).
    Date,
}

/// The longest a profile text may be.
pub const MAX_PROFILE_CHARS: usize = 200;

/// Serialised as its [`UserField::name`] (the export dialog sends the columns chosen so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    JobTitle,
    Department,
    EmployeeId,
    /// Another user, named by email in files and audit entries.
    Manager,
    WorkPhone,
    MobilePhone,
    Office,
    CostCenter,
    StartDate,
    /// On this day the account is suspended (`Roster::run_due`).
    EndDate,
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
    pub const ALL: [UserField; 30] = [
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
        UserField::JobTitle,
        UserField::Department,
        UserField::EmployeeId,
        UserField::Manager,
        UserField::WorkPhone,
        UserField::MobilePhone,
        UserField::Office,
        UserField::CostCenter,
        UserField::StartDate,
        UserField::EndDate,
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

    /// The fields kept in [`User::profile`] (those with a [`FieldKind`]), in [`Self::ALL`]'s
    /// order, each in a users column of its name.
    pub fn profile() -> impl Iterator<Item = UserField> {
        Self::ALL
            .into_iter()
            .filter(|field| field.profile_kind().is_some())
    }

    /// What a profile field holds; `None` for the fields kept elsewhere.
    pub fn profile_kind(self) -> Option<FieldKind> {
        Some(match self {
            UserField::JobTitle
            | UserField::Department
            | UserField::Office
            | UserField::CostCenter => FieldKind::Text,
            UserField::EmployeeId => FieldKind::UniqueText,
            UserField::WorkPhone | UserField::MobilePhone => FieldKind::Phone,
            UserField::StartDate | UserField::EndDate => FieldKind::Date,
            _ => return None,
        })
    }

    /// A profile value cleaned (on one line: a spreadsheet cell's line breaks and runs of
    /// spaces become one space; a date in the form it is kept) and checked; an empty one
    /// is `Ok("")`, which clears the field.
    pub fn check(self, value: &str) -> Result<String, FieldError> {
        let name = self.name();
        let value = checked_line(name, name, value)?;
        if value.is_empty() {
            return Ok(value);
        }
        match self.profile_kind() {
            Some(FieldKind::Phone) => match crate::validate::check_phone(&value) {
                Some(error) => Err(FieldError::new(name, error.message)),
                None => Ok(value),
            },
            Some(FieldKind::Date) => checked_day(name, &value),
            _ => Ok(value),
        }
    }

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
            UserField::JobTitle => "job_title",
            UserField::Department => "department",
            UserField::EmployeeId => "employee_id",
            UserField::Manager => "manager",
            UserField::WorkPhone => "work_phone",
            UserField::MobilePhone => "mobile_phone",
            UserField::Office => "office",
            UserField::CostCenter => "cost_center",
            UserField::StartDate => "start_date",
            UserField::EndDate => "end_date",
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
            UserField::Manager => user.manager.as_ref().map(|m| m.email.clone()),
            UserField::JobTitle
            | UserField::Department
            | UserField::EmployeeId
            | UserField::WorkPhone
            | UserField::MobilePhone
            | UserField::Office
            | UserField::CostCenter
            | UserField::StartDate
            | UserField::EndDate => user.profile.get(&self).cloned(),
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
                | UserField::Manager
        ) || self.profile_kind().is_some()
    }

    /// What audit entries record of the user: each audited field with its value, then
    /// each admin-defined attribute the user holds, under its name.
    pub fn snapshot(user: &User) -> Vec<(String, Option<String>)> {
        UserField::ALL
            .into_iter()
            .filter(|field| field.audited())
            .map(|field| (field.name().to_owned(), field.text(user)))
            .chain(
                user.attributes
                    .iter()
                    .map(|(name, value)| (name.clone(), Some(value.clone()))),
            )
            .collect()
    }
}

/// A value on one line: a spreadsheet cell's line breaks and runs of spaces become one
/// space, and the ends are trimmed.
pub(crate) fn clean_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value kept as one line of text (a profile field's, an attribute's), cleaned by
/// [`clean_line`] and refused, under `field` and called `label`, when longer than
/// [`MAX_PROFILE_CHARS`] or holding a control character; an empty one is `Ok("")`.
pub(crate) fn checked_line(field: &str, label: &str, value: &str) -> Result<String, FieldError> {
    let value = clean_line(value);
    let count = value.chars().count();
    if count > MAX_PROFILE_CHARS {
        return Err(FieldError::new(
            field,
            format!(
                "{label} is {count} characters long; shorten it to at most {MAX_PROFILE_CHARS}"
            ),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            format!("{label} contains a control character; remove it"),
        ));
    }
    Ok(value)
}

/// A day as it is kept, `YYYY-MM-DD` (which sorts as it reads), from what [`parse_date`]
/// reads; refused under `field` otherwise.
pub(crate) fn checked_day(field: &str, value: &str) -> Result<String, FieldError> {
    parse_date(value)
        .map(|day| day.format("%Y-%m-%d").to_string())
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("'{value}' is not a date; write it as year-month-day, such as 2027-03-31"),
            )
        })
}

/// A day as HR files write it: `2027-03-31`, or a time on that day (`2027-03-31T00:00:00Z`,
/// as Entra exports dates). Day-first and month-first forms (03/04/2027) are refused: which
/// is meant cannot be told.
fn parse_date(value: &str) -> Option<NaiveDate> {
    let day = value.split(['T', ' ']).next().unwrap_or(value);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
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

    #[test]
    fn profile_values_are_cleaned_or_refused_by_their_kind() {
        assert_eq!(
            UserField::JobTitle.check("  Engineer ").unwrap(),
            "Engineer"
        );
        assert_eq!(UserField::Department.check("   ").unwrap(), "");
        assert_eq!(
            UserField::EndDate.check("2027-03-31").unwrap(),
            "2027-03-31"
        );
        assert_eq!(
            UserField::StartDate.check("2027-03-01T00:00:00Z").unwrap(),
            "2027-03-01"
        );
        for date in ["03/04/2027", "2027-02-30", "next friday"] {
            let error = UserField::EndDate.check(date).unwrap_err();
            assert_eq!(error.field, "end_date");
            assert!(
                error.message.contains("year-month-day"),
                "{}",
                error.message
            );
        }
        let error = UserField::MobilePhone.check("call me").unwrap_err();
        assert_eq!(error.field, "mobile_phone");
        let long = "x".repeat(MAX_PROFILE_CHARS + 1);
        assert!(UserField::Office.check(&long).is_err());
        assert!(UserField::CostCenter.check("A\u{7}B").is_err());
        assert_eq!(
            UserField::JobTitle.check("Line one\r\n  line two").unwrap(),
            "Line one line two"
        );
    }
}
