//! Organizations: the customers, sites or companies a directory's users and groups belong
//! to. A user belongs to at most one; group names are unique within one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrganizationId(pub i64);

impl fmt::Display for OrganizationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An organization with what belongs to it, as the Organizations screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub users: i64,
    pub groups: i64,
    /// Console accounts limited to it (and maybe others).
    pub accounts: i64,
    pub devices: i64,
    pub created_at: DateTime<Utc>,
}

impl Organization {
    /// Whether users, groups, devices or accounts' scopes still name it.
    pub fn in_use(&self) -> bool {
        self.users + self.groups + self.accounts + self.devices > 0
    }

    /// "12 users and 2 groups": what still names it.
    pub fn members_phrase(&self) -> String {
        let count =
            |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = vec![count(self.users, "user", "users")];
        if self.groups > 0 {
            parts.push(count(self.groups, "group", "groups"));
        }
        if self.devices > 0 {
            parts.push(count(self.devices, "device", "devices"));
        }
        if self.accounts > 0 {
            parts.push(count(
                self.accounts,
                "console account limited to it",
                "console accounts limited to it",
            ));
        }
        if self.users == 0 && parts.len() > 1 {
            parts.remove(0);
        }
        match parts.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}
