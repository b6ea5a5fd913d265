//! Devices: the computers and phones a user enrolled with a user token (or an admin
//! recorded by hand). A device belongs to its owner's organization; serial numbers are
//! unique within an organization.

use crate::error::FieldError;
use crate::organization::OrganizationId;
use crate::user::UserId;
use crate::validate::{MAX_NAME_CHARS, clean, normalize_key};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const MAX_SERIAL_CHARS: usize = 64;
/// The most devices one page of the list may hold.
pub const MAX_DEVICE_PAGE: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceId(pub i64);

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DeviceOs {
    Windows,
    Macos,
    Linux,
    Android,
    Ios,
}

impl DeviceOs {
    pub const ALL: [DeviceOs; 5] = [
        DeviceOs::Windows,
        DeviceOs::Macos,
        DeviceOs::Linux,
        DeviceOs::Android,
        DeviceOs::Ios,
    ];

    /// As stored and as the CLI and CSV take it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceOs::Windows => "windows",
            DeviceOs::Macos => "macos",
            DeviceOs::Linux => "linux",
            DeviceOs::Android => "android",
            DeviceOs::Ios => "ios",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeviceOs::Windows => "Windows",
            DeviceOs::Macos => "macOS",
            DeviceOs::Linux => "Linux",
            DeviceOs::Android => "Android",
            DeviceOs::Ios => "iOS",
        }
    }
}

impl fmt::Display for DeviceOs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for DeviceOs {
    type Err = FieldError;

    /// "Windows", "macOS", "mac os x", "iOS", … in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        Ok(match key.as_str() {
            "windows" | "win" => DeviceOs::Windows,
            "macos" | "mac" | "macosx" | "osx" => DeviceOs::Macos,
            "linux" => DeviceOs::Linux,
            "android" => DeviceOs::Android,
            "ios" | "ipados" => DeviceOs::Ios,
            _ => {
                return Err(FieldError::new(
                    "os",
                    format!(
                        "'{}' is not an operating system Roster knows; use one of: {}",
                        text.trim(),
                        DeviceOs::ALL.map(DeviceOs::label).join(", ")
                    ),
                ));
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DeviceState {
    Active,
    /// Kept for the record (and its serial number stays taken) but no longer in use; not
    /// counted in the owner's "# of devices".
    Retired,
}

impl DeviceState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Active => "active",
            DeviceState::Retired => "retired",
        }
    }
}

impl FromStr for DeviceState {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "active" => Ok(DeviceState::Active),
            "retired" => Ok(DeviceState::Retired),
            other => Err(format!(
                "'{other}' is not a device state; use active or retired"
            )),
        }
    }
}

/// A device as lists and details show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Device {
    pub id: DeviceId,
    pub name: String,
    pub os: DeviceOs,
    pub model: String,
    /// Empty when unknown.
    pub serial: String,
    pub organization_id: Option<OrganizationId>,
    pub organization: Option<String>,
    /// `None` once the owner was deleted and the device retired.
    pub owner_id: Option<UserId>,
    pub owner: Option<String>,
    pub owner_email: Option<String>,
    pub enrolled_at: DateTime<Utc>,
    /// Who enrolled it: the token's owner, or the admin who added it.
    pub enrolled_by: String,
    /// "…1a2b" of the user token it was enrolled with; `None` when added by an admin.
    pub token: Option<String>,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub state: DeviceState,
    pub version: i64,
}

/// What a person types about a device: on enrollment, when an admin adds one, or edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceDraft {
    pub name: String,
    pub os: DeviceOs,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub serial: String,
}

impl DeviceDraft {
    /// Trimmed and checked: every problem, each naming its field.
    pub(crate) fn cleaned(&self) -> Result<DeviceDraft, Vec<FieldError>> {
        let draft = DeviceDraft {
            name: clean(&self.name),
            os: self.os,
            model: clean(&self.model),
            serial: clean(&self.serial),
        };
        let mut errors = Vec::new();
        if draft.name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "a device needs a name, such as its host name (LAPTOP-ANA)",
            ));
        }
        for (field, label, value, max) in [
            ("name", "name", &draft.name, MAX_NAME_CHARS),
            ("model", "model", &draft.model, MAX_NAME_CHARS),
            ("serial", "serial number", &draft.serial, MAX_SERIAL_CHARS),
        ] {
            let count = value.chars().count();
            if count > max {
                errors.push(FieldError::new(
                    field,
                    format!("the {label} is {count} characters long; shorten it to at most {max}"),
                ));
            } else if value.chars().any(char::is_control) {
                errors.push(FieldError::new(
                    field,
                    format!(
                        "the {label} contains a control character (tab, line break …); remove it"
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }
}

/// Serial numbers are compared as keys: case and Unicode forms fold, nothing else. No
/// serial, no key: devices without one never clash.
pub fn serial_key(serial: &str) -> Option<String> {
    let serial = normalize_key(serial);
    (!serial.is_empty()).then_some(serial)
}

/// A new device as the store writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub draft: DeviceDraft,
    pub owner: UserId,
    pub organization: Option<OrganizationId>,
    pub enrolled_at: DateTime<Utc>,
    pub enrolled_by: String,
    /// The user token it was enrolled with (id, last four characters); its last use is
    /// set to `enrolled_at`.
    pub token: Option<(i64, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DeviceSort {
    #[default]
    Name,
    EnrolledAt,
    LastActivityAt,
}

/// Which devices, in which order, which page. Empty filters match everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct DeviceQuery {
    /// Every word must occur in the name, serial number, model or owner's username.
    pub search: String,
    pub os: Vec<DeviceOs>,
    pub state: Option<DeviceState>,
    pub owner: Option<UserId>,
    /// By name, as the users list filters organizations.
    pub organization: Option<String>,
    pub sort: DeviceSort,
    pub descending: bool,
    pub limit: u32,
    pub offset: u64,
    /// Only devices in these organizations: set by the services from the actor's scope.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub within: Option<Vec<OrganizationId>>,
}

impl Default for DeviceQuery {
    fn default() -> Self {
        DeviceQuery {
            search: String::new(),
            os: Vec::new(),
            state: None,
            owner: None,
            organization: None,
            sort: DeviceSort::Name,
            descending: false,
            limit: 200,
            offset: 0,
            within: None,
        }
    }
}

/// One page of devices and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DevicePage {
    pub devices: Vec<Device>,
    pub total: u64,
}

/// What happens to a deleted user's devices, as the store carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceHandover {
    /// Kept as retired, with no owner.
    Retire,
    /// Given to another user (and moved to that user's organization).
    Reassign(UserId),
}

/// The users list's "# of devices" filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DeviceCount {
    None,
    One,
    Several,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operating_systems_are_read_as_people_write_them() {
        for (text, os) in [
            ("Windows", DeviceOs::Windows),
            ("macOS", DeviceOs::Macos),
            ("Mac OS X", DeviceOs::Macos),
            (" linux ", DeviceOs::Linux),
            ("ANDROID", DeviceOs::Android),
            ("iOS", DeviceOs::Ios),
        ] {
            assert_eq!(text.parse::<DeviceOs>().unwrap(), os, "{text}");
        }
        let error = "BeOS".parse::<DeviceOs>().unwrap_err();
        assert_eq!(error.field, "os");
        assert!(
            error
                .message
                .contains("Windows, macOS, Linux, Android, iOS")
        );
    }

    #[test]
    fn a_draft_names_every_field_it_refuses() {
        let draft = DeviceDraft {
            name: "  ".into(),
            os: DeviceOs::Linux,
            model: "x".repeat(MAX_NAME_CHARS + 1),
            serial: "A\tB".into(),
        };
        let errors = draft.cleaned().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "model", "serial"]);
        let ok = DeviceDraft {
            name: " LAPTOP-ANA ".into(),
            os: DeviceOs::Windows,
            model: String::new(),
            serial: " c02x ".into(),
        }
        .cleaned()
        .unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.serial.as_str()),
            ("LAPTOP-ANA", "c02x")
        );
    }

    #[test]
    fn serials_fold_case_and_are_absent_when_empty() {
        assert_eq!(serial_key(" C02X "), Some("c02x".into()));
        assert_eq!(serial_key("  "), None);
    }
}
