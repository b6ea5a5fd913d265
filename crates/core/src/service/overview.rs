//! The directory at a glance: the dashboard and the choices the list's filters offer.

use super::*;
use crate::organization::OrganizationId;
use crate::overview::{Facets, Overview, StateCount};

const RECENT_CHANGES: u32 = 15;

impl Roster {
    /// The directory at a glance, or (`organization`) one organization of it. The recent
    /// changes are left out for roles that may not read the audit trail.
    pub async fn overview(
        &self,
        actor: &Actor,
        organization: Option<OrganizationId>,
    ) -> Result<Overview, Error> {
        actor.require(Permission::ViewUsers)?;
        let within = match organization {
            Some(id) if actor.reaches(Some(id)) => Some(vec![id]),
            Some(id) => return Err(Error::NotFound(format!("no organization with ID {id}"))),
            None => actor.scope().map(<[OrganizationId]>::to_vec),
        };
        let (by_status, by_two_factor) = self.repo.count_users(within.as_deref()).await?;
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
                within,
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
        let organizations = self
            .repo
            .organization_names()
            .await?
            .into_iter()
            .filter(|(id, _)| actor.reaches(Some(*id)))
            .map(|(_, name)| name)
            .collect();
        Ok(Facets {
            organizations,
            teams: self.repo.teams(actor.scope()).await?,
            departments: self.repo.departments(actor.scope()).await?,
            roles: self.repo.roles().await?,
            groups: self.list_groups(actor).await?,
        })
    }
}
