//! End dates: on the day a contractor's or leaver's account ends, it is suspended. Run
//! by `roster run-due` (from cron, a systemd timer or Task Scheduler) and by the desktop
//! app when it opens and every hour while it runs.

use super::*;
use crate::query::{Sort, SortDirection, SortField};
use serde::Serialize;

/// Who audit entries name for what end dates did.
pub const END_DATE_ACTOR: &str = "Roster (end date)";

/// Accounts suspended per transaction.
const DUE_BATCH: u32 = 500;

/// What one run of the end dates did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DueReport {
    /// The accounts suspended, by username.
    pub suspended: Vec<String>,
    /// Owners whose end date has come but who are the last an Owner can sign in as: kept,
    /// so the directory is never left without one.
    pub kept: Vec<String>,
}

impl Roster {
    /// Suspends every account whose end date is today or past and that is not suspended
    /// already (nor locked, which suspension does not undo), each with an audit entry by
    /// [`END_DATE_ACTOR`]. Run with the rights of the program itself, not of whoever is
    /// signed in: an end date is the directory's own rule.
    pub async fn run_due(&self, workstation: &str, origin: Origin) -> Result<DueReport, Error> {
        let actor = Actor {
            origin,
            ..Actor::operator(END_DATE_ACTOR, workstation)
        };
        let today = self.clock.now().date_naive().to_string();
        let statuses: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| transition(*s, StatusAction::Suspend).is_ok())
            .collect();
        let mut report = DueReport::default();
        let mut kept: Vec<UserId> = Vec::new();
        loop {
            let query = UserQuery {
                statuses: statuses.clone(),
                end_dates: Some((String::new(), today.clone())),
                sort: Sort {
                    field: SortField::EndDate,
                    direction: SortDirection::Asc,
                },
                limit: DUE_BATCH + kept.len() as u32,
                ..UserQuery::default()
            };
            let due: Vec<User> = self
                .repo
                .list_users(&query)
                .await?
                .into_iter()
                .filter(|u| !kept.contains(&u.id))
                .collect();
            if due.is_empty() {
                return Ok(report);
            }
            let mut suspend = Vec::with_capacity(due.len());
            for user in due {
                let mut after = user.clone();
                after.status = Status::Suspended;
                if user.is_usable_owner()
                    && self.keep_an_owner(&[(&user, Some(&after))]).await.is_err()
                {
                    report.kept.push(user.username.clone());
                    kept.push(user.id);
                } else {
                    suspend.push(UserRef::Id(user.id));
                }
            }
            if suspend.is_empty() {
                continue;
            }
            let suspended = self
                .change_status(&actor, &suspend, StatusAction::Suspend)
                .await?;
            report
                .suspended
                .extend(suspended.into_iter().map(|u| u.username));
        }
    }
}
