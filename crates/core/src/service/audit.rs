//! Reading the audit trail, proving it whole, and purging what the retention setting no
//! longer keeps.

use super::*;
use crate::audit::AuditPurge;
use crate::audit_chain::{ChainAnchor, ChainReport, ChainVerifier};
use chrono::{DateTime, Duration, Utc};

/// Entries read per step when verifying or exporting: bounded memory at any size.
const WALK: u32 = 5_000;

impl Roster {
    /// A page of entries, newest first.
    pub async fn audit(&self, actor: &Actor, query: &AuditQuery) -> Result<Vec<AuditEntry>, Error> {
        actor.require(Permission::ViewAudit)?;
        check_limit(query.limit)?;
        check_audit_query(query)?;
        let query = self.audit_within(actor, query).await?;
        self.repo.list_audit(&query).await.map_err(Error::from)
    }

    /// The query limited to entries about what the actor's organizations hold (and, when
    /// a service already narrowed it to some, those of them); a user outside is not found.
    async fn audit_within(&self, actor: &Actor, query: &AuditQuery) -> Result<AuditQuery, Error> {
        // A deleted user's trail stays readable to whoever sees the whole directory.
        if let Some(user) = query.user
            && actor.scope().is_some()
        {
            self.user_within(actor, &UserRef::Id(user)).await?;
        }
        let narrowed = match self
            .chosen_organization(actor, query.organization.as_deref())
            .await?
        {
            Some(chosen) => Some(match &query.within {
                Some(narrowed) => narrowed.iter().copied().filter(|o| *o == chosen).collect(),
                None => vec![chosen],
            }),
            None => query.within.clone(),
        };
        let within = match (&narrowed, actor.scope()) {
            (narrowed, None) => narrowed.clone(),
            (None, Some(scope)) => Some(scope.to_vec()),
            (Some(narrowed), Some(scope)) => Some(
                narrowed
                    .iter()
                    .copied()
                    .filter(|o| scope.contains(o))
                    .collect(),
            ),
        };
        Ok(AuditQuery {
            within,
            ..query.clone()
        })
    }

    /// Every entry the query matches (its limit ignored), newest first, each handed to
    /// `write` as it is read. Returns how many were written.
    pub async fn export_audit(
        &self,
        actor: &Actor,
        query: &AuditQuery,
        write: &mut (dyn FnMut(&AuditEntry) -> Result<(), String> + Send),
    ) -> Result<u64, Error> {
        super::Transfer::ExportAudit.check(actor)?;
        check_audit_query(query)?;
        let mut page = AuditQuery {
            limit: WALK,
            ..self.audit_within(actor, query).await?
        };
        let mut written = 0;
        loop {
            let entries = self.repo.list_audit(&page).await?;
            for entry in &entries {
                write(entry).map_err(Error::Io)?;
            }
            written += entries.len() as u64;
            match entries.last() {
                Some(last) if entries.len() == WALK as usize => page.before = Some(last.id),
                _ => return Ok(written),
            }
        }
    }

    /// Walks the whole chain, oldest first, and reports the first entry changed, removed or
    /// inserted behind Roster's back, or that it is intact. With an `anchor` (a head saved
    /// earlier), also whether the log was rewritten since.
    pub async fn verify_audit(
        &self,
        actor: &Actor,
        anchor: Option<ChainAnchor>,
    ) -> Result<ChainReport, Error> {
        actor.require(Permission::ViewAudit)?;
        actor.require_whole_directory("verify the whole audit trail")?;
        Ok(walk_chain(self.repo.as_ref(), anchor).await?)
    }

    /// Removes the audit entries and sign-in events written before `before` (older than the
    /// retention the organisation chose), recording the purge itself as an entry; the chain
    /// stays verifiable from the oldest entry kept.
    pub async fn purge_audit(
        &self,
        actor: &Actor,
        before: DateTime<Utc>,
    ) -> Result<AuditPurge, Error> {
        actor.require(Permission::ManageSettings)?;
        if before > self.clock.now() {
            return Err(Error::invalid(
                "before",
                "choose a date in the past: entries written before it are purged",
            ));
        }
        let plan = self.repo.audit_purge_plan(before).await?;
        if plan.entries == 0 && plan.sign_ins == 0 {
            return Ok(plan);
        }
        let count = |n: u64| Some(n.to_string());
        let record = self.record(
            actor,
            "audit.purge",
            AuditTarget {
                kind: "audit".into(),
                id: plan.last_entry.unwrap_or(0),
                name: "Audit log".into(),
            },
            vec![
                FieldChange {
                    field: "entries".into(),
                    before: count(plan.entries),
                    after: None,
                },
                FieldChange {
                    field: "sign_in_events".into(),
                    before: count(plan.sign_ins),
                    after: None,
                },
                FieldChange {
                    field: "written_before".into(),
                    before: None,
                    after: Some(before.format("%Y-%m-%d %H:%M UTC").to_string()),
                },
            ],
        );
        match self.repo.purge_audit(&plan, record).await {
            Err(StoreError::Stale) => Err(Error::VersionConflict(
                "the audit log was purged by someone else meanwhile; nothing was removed".into(),
            )),
            other => other.map(|()| plan).map_err(Error::from),
        }
    }

    /// Purges what the retention setting no longer keeps; `None` when entries are kept
    /// forever.
    pub async fn apply_audit_retention(&self, actor: &Actor) -> Result<Option<AuditPurge>, Error> {
        actor.require(Permission::ManageSettings)?;
        let days = self.current_settings().await?.audit_retention_days;
        if days == 0 {
            return Ok(None);
        }
        let before = self.clock.now() - Duration::days(i64::from(days));
        self.purge_audit(actor, before).await.map(Some)
    }
}

/// Filters that cannot match anything are a mistake worth naming.
fn check_audit_query(query: &AuditQuery) -> Result<(), Error> {
    if let (Some(from), Some(until)) = (query.from, query.until)
        && from >= until
    {
        return Err(Error::invalid(
            "from",
            "the start of the date range must come before its end",
        ));
    }
    if query.target_id.is_some() && query.target_kind.is_none() {
        return Err(Error::invalid(
            "target_id",
            "name the kind of target too (user, group, role, …)",
        ));
    }
    Ok(())
}

/// Walks the chain of the directory `repo` holds, oldest first, up to its first problem.
pub(super) async fn walk_chain(
    repo: &dyn Repository,
    anchor: Option<ChainAnchor>,
) -> Result<ChainReport, StoreError> {
    let head = repo.audit_chain_head().await?;
    let mut verifier = ChainVerifier::new(&head, anchor);
    let mut after = 0;
    loop {
        let rows = repo.audit_chain_rows(after, WALK).await?;
        for row in &rows {
            verifier.check(row);
        }
        match rows.last() {
            Some(last) if !verifier.failed() => after = last.id,
            _ => break,
        }
    }
    let head_now = repo.audit_chain_head().await?;
    Ok(verifier.finish(&head_now))
}
