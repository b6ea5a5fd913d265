//! The directory at a glance: the dashboard and the choices the list's filters offer.

use super::*;
use crate::overview::{Facets, Overview, StateCount};

const RECENT_CHANGES: u32 = 15;

impl Roster {
    /// The recent changes are left out for roles that may not read the audit trail.
    pub async fn overview(&self, actor: &Actor) -> Result<Overview, Error> {
        actor.require(Permission::ViewUsers)?;
        let (by_status, by_two_factor) = self.repo.count_users().await?;
        let count_of = |state| {
            by_status
                .iter()
                .find(|(s, _)| *s == state)
                .map_or(0, |(_, n)| *n)
        };
        let by_status: Vec<StateCount<Status>> = Status::ALL
            .into_iter()
            .map(|state| StateCount {
                state,
                count: count_of(state),
            })
            .collect();
        let by_two_factor = TwoFactorState::ALL
            .into_iter()
            .map(|state| StateCount {
                state,
                count: by_two_factor
                    .iter()
                    .find(|(s, _)| *s == state)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();
        let recent_changes = if actor.may(Permission::ViewAudit) {
            let query = AuditQuery {
                user: None,
                limit: RECENT_CHANGES,
                ..Default::default()
            };
            Some(self.audit(actor, &query).await?)
        } else {
            None
        };
        Ok(Overview {
            total: by_status.iter().map(|s| s.count).sum(),
            by_status,
            by_two_factor,
            recent_changes,
        })
    }

    pub async fn facets(&self, actor: &Actor) -> Result<Facets, Error> {
        actor.require(Permission::ViewUsers)?;
        Ok(Facets {
            organizations: self.repo.organizations().await?,
            teams: self.repo.teams().await?,
            roles: self.repo.roles().await?,
            groups: self.repo.list_groups().await?,
        })
    }
}
