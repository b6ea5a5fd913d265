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
    pub created_at: DateTime<Utc>,
}

impl Organization {
    /// "12 users and 2 groups": what deleting it would leave without an organization.
    pub fn members_phrase(&self) -> String {
        let count =
            |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match (self.users, self.groups) {
            (users, 0) => count(users, "user", "users"),
            (0, groups) => count(groups, "group", "groups"),
            (users, groups) => format!(
                "{} and {}",
                count(users, "user", "users"),
                count(groups, "group", "groups")
            ),
        }
    }
}
