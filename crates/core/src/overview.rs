use crate::audit::AuditEntry;
use crate::group::Group;
use crate::user::{Status, TwoFactorState};
use serde::Serialize;

/// How many users are in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StateCount<S> {
    pub state: S,
    pub count: u64,
}

/// The dashboard: the directory at a glance and what changed last.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    pub total: u64,
    /// Every status, in state-machine order, zeros included.
    pub by_status: Vec<StateCount<Status>>,
    /// Every 2FA state, zeros included.
    pub by_two_factor: Vec<StateCount<TwoFactorState>>,
    /// `None` for roles that may not read the audit trail.
    pub recent_changes: Option<Vec<AuditEntry>>,
}

/// The most departments the list's filter offers: more is a list nobody picks from.
pub const MAX_DEPARTMENTS: u32 = 1000;

/// The values the list's filters offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Facets {
    pub organizations: Vec<String>,
    pub teams: Vec<String>,
    /// At most [`MAX_DEPARTMENTS`].
    pub departments: Vec<String>,
    pub roles: Vec<String>,
    pub groups: Vec<Group>,
}
