//! The directory at a glance: the dashboard and the choices the list's filters offer.

use super::*;
use crate::overview::{Facets, Overview, StateCount};

const RECENT_CHANGES: u32 = 15;

impl Roster {
    pub async fn overview(&self) -> Result<Overview, Error> {
        let (by_status, by_two_factor) = self.repo.count_users().await.map_err(storage)?;
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
        let recent_changes = self
            .audit(&AuditQuery {
                user: None,
                limit: RECENT_CHANGES,
            })
            .await?;
        Ok(Overview {
            total: by_status.iter().map(|s| s.count).sum(),
            by_status,
            by_two_factor,
            recent_changes,
        })
    }

    pub async fn facets(&self) -> Result<Facets, Error> {
        Ok(Facets {
            organizations: self.repo.organizations().await.map_err(storage)?,
            teams: self.repo.teams().await.map_err(storage)?,
            roles: self.repo.roles().await.map_err(storage)?,
            groups: self.repo.list_groups().await.map_err(storage)?,
        })
    }
}
