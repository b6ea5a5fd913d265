//! The users list query: one typed value shared by the desktop list, the CLI and CSV export,
//! so all three always show the same users in the same order.

use crate::device::DeviceCount;
use crate::error::FieldError;
use crate::group::GroupId;
use crate::organization::OrganizationId;
use crate::user::{Status, TwoFactorState, User, UserId};
use crate::validate::{UNASSIGNED_TEAM, normalize_key};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The most rows one page may hold; the desktop fetches 200 at a time.
pub const MAX_PAGE_SIZE: u32 = 1000;
const MAX_SEARCH_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SortField {
    FirstName,
    LastName,
    Username,
    Email,
    Phone,
    Status,
    TwoFactor,
    Role,
    Organization,
    Team,
    GroupCount,
    DeviceCount,
    CreatedAt,
    ModifiedAt,
    LastSignInAt,
    JobTitle,
    Department,
    EndDate,
    Id,
}

impl SortField {
    pub const ALL: [SortField; 19] = [
        SortField::FirstName,
        SortField::LastName,
        SortField::Username,
        SortField::Email,
        SortField::Phone,
        SortField::Status,
        SortField::TwoFactor,
        SortField::Role,
        SortField::Organization,
        SortField::Team,
        SortField::GroupCount,
        SortField::DeviceCount,
        SortField::CreatedAt,
        SortField::ModifiedAt,
        SortField::LastSignInAt,
        SortField::JobTitle,
        SortField::Department,
        SortField::EndDate,
        SortField::Id,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortField::FirstName => "first_name",
            SortField::LastName => "last_name",
            SortField::Username => "username",
            SortField::Email => "email",
            SortField::Phone => "phone",
            SortField::Status => "status",
            SortField::TwoFactor => "two_factor",
            SortField::Role => "role",
            SortField::Organization => "organization",
            SortField::Team => "team",
            SortField::GroupCount => "group_count",
            SortField::DeviceCount => "device_count",
            SortField::CreatedAt => "created_at",
            SortField::ModifiedAt => "modified_at",
            SortField::LastSignInAt => "last_sign_in_at",
            SortField::JobTitle => "job_title",
            SortField::Department => "department",
            SortField::EndDate => "end_date",
            SortField::Id => "id",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

/// Sort order of the list. Ties are always broken by User ID in the same direction, so
/// paging never skips or repeats a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Sort {
    pub field: SortField,
    pub direction: SortDirection,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            field: SortField::LastName,
            direction: SortDirection::Asc,
        }
    }
}

impl FromStr for Sort {
    type Err = FieldError;

    /// `FIELD` or `FIELD:asc` / `FIELD:desc`, as the CLI's `--sort` takes it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, direction) = match text.split_once(':') {
            Some((name, dir)) => (name, dir),
            None => (text, "asc"),
        };
        let name = name.trim().to_ascii_lowercase().replace('-', "_");
        let field = SortField::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| {
                FieldError::new(
                    "sort",
                    format!(
                        "cannot sort by '{name}'; use one of: {}",
                        SortField::ALL.map(SortField::as_str).join(", ")
                    ),
                )
            })?;
        let direction = match direction.trim().to_ascii_lowercase().as_str() {
            "asc" => SortDirection::Asc,
            "desc" => SortDirection::Desc,
            other => {
                return Err(FieldError::new(
                    "sort",
                    format!("sort direction '{other}' is neither asc nor desc"),
                ));
            }
        };
        Ok(Sort { field, direction })
    }
}

/// The team filter: users without a team, or the users of one team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamFilter {
    Unassigned,
    /// The team's normalised key.
    Named(String),
}

/// Which users, in which order, which page. Empty filters match everything; different
/// filters combine with AND, values within one filter with OR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct UserQuery {
    /// Find-as-you-type: every word must occur (case-insensitively, anywhere) in the first
    /// name, last name, username or email.
    pub search: String,
    pub statuses: Vec<Status>,
    pub two_factor: Vec<TwoFactorState>,
    pub organization: Option<String>,
    /// "Unassigned" selects users with no team.
    pub team: Option<String>,
    pub group: Option<GroupId>,
    pub role: Option<String>,
    /// How many active devices: none, one, several.
    pub devices: Option<DeviceCount>,
    /// Users of this department, as written.
    pub department: Option<String>,
    /// The user with this employee ID, as written. A search of one word that is someone's
    /// employee ID becomes this, in the services.
    pub employee_id: Option<String>,
    /// Whoever reports to one of these users (their direct reports); empty: no such limit.
    pub managers: Vec<UserId>,
    /// Users whose end date lies between today and this many days from now (0: today).
    pub ending_within_days: Option<u32>,
    /// Users holding these values of admin-defined attributes: name → value, as kept
    /// (a date as `YYYY-MM-DD`, yes/no as `yes` or `no`).
    pub attributes: BTreeMap<String, String>,
    /// Only these users (an export of the list's selection); empty: no such limit.
    pub ids: Vec<UserId>,
    pub sort: Sort,
    /// Sorts by this admin-defined attribute (users without a value first when
    /// ascending) in `sort.direction`, then by User ID; `None`: by `sort.field`.
    pub sort_attribute: Option<String>,
    pub limit: u32,
    pub offset: u64,
    /// The page starts right after this user in the query's order (the last row of the
    /// page before), which the database finds by the sort index instead of counting
    /// `offset` rows: a page anywhere in a million users reads what the first page reads.
    /// `offset` still says where the page sits. Pages by `offset` alone where the anchor is
    /// gone, outside the actor's reach, or the sort has no such index.
    pub after: Option<UserId>,
    /// Only users in these organizations: set by the services from the actor's scope,
    /// never taken from a front end. `None`: no such limit.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub within: Option<Vec<OrganizationId>>,
    /// The end dates `ending_within_days` means (first, last; `YYYY-MM-DD`), set by the
    /// services from their clock, never taken from a front end.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub end_dates: Option<(String, String)>,
}

impl UserQuery {
    /// Exactly these users, all on one page, in id order: how the services and the store
    /// read a known set of users back.
    pub fn of_ids(ids: Vec<UserId>) -> UserQuery {
        UserQuery {
            limit: u32::try_from(ids.len()).unwrap_or(u32::MAX),
            ids,
            sort: Sort {
                field: SortField::Id,
                direction: SortDirection::Asc,
            },
            ..UserQuery::default()
        }
    }

    /// The team filter as the store applies it: "Unassigned" (in any case) means no team,
    /// as the list's Team column shows it.
    pub fn team_filter(&self) -> Option<TeamFilter> {
        self.team.as_deref().map(|team| {
            let key = normalize_key(team);
            if key == normalize_key(UNASSIGNED_TEAM) {
                TeamFilter::Unassigned
            } else {
                TeamFilter::Named(key)
            }
        })
    }
}

impl Default for UserQuery {
    fn default() -> Self {
        UserQuery {
            search: String::new(),
            statuses: Vec::new(),
            two_factor: Vec::new(),
            organization: None,
            team: None,
            group: None,
            role: None,
            devices: None,
            department: None,
            employee_id: None,
            managers: Vec::new(),
            ending_within_days: None,
            attributes: BTreeMap::new(),
            ids: Vec::new(),
            sort: Sort::default(),
            sort_attribute: None,
            limit: 100,
            offset: 0,
            after: None,
            within: None,
            end_dates: None,
        }
    }
}

impl UserQuery {
    /// The search split into words, as the store must match them.
    pub fn search_terms(&self) -> Vec<String> {
        self.search
            .split_whitespace()
            .map(crate::validate::normalize_key)
            .collect()
    }

    pub(crate) fn check(&self) -> Result<(), FieldError> {
        if self.limit == 0 || self.limit > MAX_PAGE_SIZE {
            return Err(FieldError::new(
                "limit",
                format!("limit must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        if self.offset > i64::MAX as u64 {
            return Err(FieldError::new("offset", "offset is too large"));
        }
        if self.ids.len() as u64 > crate::MAX_SELECTION {
            return Err(FieldError::new(
                "ids",
                format!(
                    "at most {} users can be chosen by id; use the filters instead",
                    crate::MAX_SELECTION
                ),
            ));
        }
        for name in self.attributes.keys().chain(&self.sort_attribute) {
            if !is_attribute_name(name) {
                return Err(FieldError::new(
                    "attributes",
                    format!(
                        "'{name}' names no attribute; use an attribute's name, such as badge_number"
                    ),
                ));
            }
        }
        if self.search.chars().count() > MAX_SEARCH_CHARS {
            return Err(FieldError::new(
                "search",
                format!("search is longer than {MAX_SEARCH_CHARS} characters; shorten it"),
            ));
        }
        Ok(())
    }
}

/// Whether `name` has the form of an attribute's name (lowercase ASCII letters, digits and
/// `_`, a letter first), which the store may write into a query as it is.
pub fn is_attribute_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.len() <= crate::attribute::MAX_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// One page of the list and how many users match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserPage {
    pub users: Vec<User>,
    pub total: u64,
    pub offset: u64,
}

/// How many users match, counted no further than the caller asked: exactly `n`, or, when
/// `more`, at least `n`. A list shows "1,000+" at once instead of making a server read
/// every match of a short search (seconds at a million users) before it says anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Count {
    pub n: u64,
    /// Counting stopped at `n`; more match.
    pub more: bool,
}

impl Count {
    pub fn exact(n: u64) -> Count {
        Count { n, more: false }
    }

    /// `found` matches counted by a count told to stop once it passes `up_to`.
    pub fn up_to(found: u64, up_to: u64) -> Count {
        if found > up_to {
            Count {
                n: up_to,
                more: true,
            }
        } else {
            Count::exact(found)
        }
    }
}

/// One page of the list, answered before the matches are counted: the window shows these
/// rows while the count (`count_users`) is still on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserRows {
    pub users: Vec<User>,
    pub offset: u64,
    /// How many match in all, when this page alone proves it: a page shorter than the
    /// limit is the last one. `None`: ask `count_users`.
    pub total: Option<u64>,
}

impl UserRows {
    pub fn new(users: Vec<User>, query: &UserQuery) -> UserRows {
        let short = users.len() < query.limit as usize;
        // An empty page past the end proves nothing about where the end is.
        let total = (short && (query.offset == 0 || !users.is_empty()))
            .then(|| query.offset + users.len() as u64);
        UserRows {
            users,
            offset: query.offset,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_parses_field_and_direction() {
        assert_eq!(
            "last_name:desc".parse::<Sort>().unwrap(),
            Sort {
                field: SortField::LastName,
                direction: SortDirection::Desc
            }
        );
        assert_eq!(
            "Created-At".parse::<Sort>().unwrap().field,
            SortField::CreatedAt
        );
        let err = "password".parse::<Sort>().unwrap_err();
        assert_eq!(err.field, "sort");
        assert!(
            err.message
                .starts_with("cannot sort by 'password'; use one of: first_name")
        );
        assert!(
            "email:up"
                .parse::<Sort>()
                .unwrap_err()
                .message
                .contains("neither asc nor desc")
        );
    }

    #[test]
    fn search_splits_into_folded_words() {
        let query = UserQuery {
            search: "  Ada   LOVE ".into(),
            ..UserQuery::default()
        };
        assert_eq!(query.search_terms(), vec!["ada", "love"]);
    }

    #[test]
    fn limits_are_checked() {
        let query = UserQuery {
            limit: 0,
            ..UserQuery::default()
        };
        assert_eq!(query.check().unwrap_err().field, "limit");
        let query = UserQuery {
            limit: MAX_PAGE_SIZE + 1,
            ..UserQuery::default()
        };
        assert_eq!(query.check().unwrap_err().field, "limit");
        assert!(UserQuery::default().check().is_ok());
    }
}
