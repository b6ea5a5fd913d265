use crate::organization::OrganizationId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupId(pub i64);

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    /// Group names are unique within an organization.
    pub organization: Option<String>,
    pub organization_id: Option<OrganizationId>,
    pub member_count: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Counts the group's renames and description changes; a save names the version it
    /// edited (membership changes do not count: adding or removing a member never
    /// overwrites another admin's work).
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct NewGroup {
    pub name: String,
    pub description: String,
    pub organization: Option<String>,
}

/// A rename or a new description; `None` leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct GroupPatch {
    pub name: Option<String>,
    pub description: Option<String>,
}
