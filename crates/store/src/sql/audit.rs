//! The audit trail: written in the same transaction as the change it records.

use super::{Bind, Cells, execute, fetch_map, insert_rows, millis, plain, sql};
use crate::dialect::{Dialect, Value, backend, contains_pattern};
use chrono::{DateTime, Utc};
use roster_core::{
    AuditEntry, AuditPurge, AuditQuery, AuditRecord, AuditTarget, ChainHash, ChainHead, ChainRow,
    ChangeFloors, ChangeMark, FieldChange, GENESIS, OrganizationId, StoreError, TableMark, UserId,
    chain_link, purge_vouch,
};
use sqlx::{Pool, QueryBuilder};

const AUDIT_INSERT: &str = "audit_log (at, actor, workstation, origin, action, target_kind, \
    target_id, target_name, changes, prev_hash, hash)";

pub(super) async fn write<DB: Dialect>(
    conn: &mut DB::Connection,
    record: &AuditRecord,
) -> Result<(), StoreError> {
    write_all::<DB>(conn, std::slice::from_ref(record)).await
}

/// Writes the records in this transaction. Where writers take turns they are chained at
/// once; on a server they wait in `audit_pending` under the transaction's batch until it
/// commits, and [`seal_pending`] chains them then.
pub(super) async fn write_all<DB: Dialect>(
    conn: &mut DB::Connection,
    records: &[AuditRecord],
) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let entries = records.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    if DB::WRITERS_TAKE_TURNS {
        chain::<DB>(conn, &entries).await
    } else {
        pend::<DB>(conn, &entries).await
    }
}

/// A record as the chain holds it (not yet linked).
fn entry(record: &AuditRecord) -> Result<ChainRow, StoreError> {
    Ok(ChainRow {
        id: 0,
        at_millis: millis(record.at),
        actor: record.actor.clone(),
        workstation: record.workstation.clone(),
        origin: record.origin.as_str().to_owned(),
        action: record.action.clone(),
        target_kind: record.target.kind.clone(),
        target_id: record.target.id,
        target_name: record.target.name.clone(),
        changes: serde_json::to_string(&record.changes)
            .map_err(|e| StoreError::Backend(e.to_string()))?,
        prev: None,
        hash: None,
    })
}

/// An entry's content, in the order of [`PENDING_COLUMNS`] (and of `AUDIT_INSERT`).
fn content_values(entry: &ChainRow) -> Vec<Value> {
    vec![
        entry.at_millis.into(),
        entry.actor.clone().into(),
        entry.workstation.clone().into(),
        entry.origin.clone().into(),
        entry.action.clone().into(),
        entry.target_kind.clone().into(),
        entry.target_id.into(),
        entry.target_name.clone().into(),
        entry.changes.clone().into(),
    ]
}

/// Chains `entries` after the newest entry, in their order, and moves the head: in a
/// transaction that holds the chain's row until it ends.
async fn chain<DB: Dialect>(
    conn: &mut DB::Connection,
    entries: &[ChainRow],
) -> Result<(), StoreError> {
    let Some(mut prev) = chain_ends::<DB>(conn).await?.head else {
        return Err(StoreError::Backend(
            "the audit chain was never sealed: open the database with Roster once".into(),
        ));
    };
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        let hash = chain_link(&prev, &entry.content());
        let mut row = content_values(entry);
        row.push(Some(prev.to_vec()).into());
        row.push(Some(hash.to_vec()).into());
        rows.push(row);
        prev = hash;
    }
    // The rows get ids in the order written (one writer holds the chain's row, and every
    // backend numbers a multi-row INSERT's rows in order), so a walk by id meets them in
    // chain order.
    insert_rows::<DB>(conn, AUDIT_INSERT, rows, plain::<DB>)
        .await
        .map_err(backend)?;
    let mut qb = sql::<DB>("UPDATE audit_chain SET head_hash = ");
    qb.bind(Some(prev.to_vec())).push(" WHERE id = 1");
    execute(conn, qb).await.map(|_| ())
}

const PENDING_COLUMNS: &str =
    "at, actor, workstation, origin, action, target_kind, target_id, target_name, changes";

/// Keeps `entries` under the transaction's batch until it commits. Only inserts: writers
/// side by side never wait for each other here.
async fn pend<DB: Dialect>(
    conn: &mut DB::Connection,
    entries: &[ChainRow],
) -> Result<(), StoreError> {
    const WIDTH: usize = 9;
    for chunk in entries.chunks(super::MAX_BINDS / WIDTH) {
        let mut insert = sql::<DB>(&format!(
            "INSERT INTO audit_pending (batch, {PENDING_COLUMNS}) VALUES "
        ));
        for (i, entry) in chunk.iter().enumerate() {
            if i > 0 {
                insert.push(", ");
            }
            insert
                .push(format!("({}, ", DB::AUDIT_BATCH))
                .bind_values(content_values(entry))
                .push(")");
        }
        execute(&mut *conn, insert).await?;
    }
    Ok(())
}

/// Entries chained per transaction: the chain's row is held for one round at a time, so
/// a large import's entries hold up another writer's chaining for a round at most.
const SEAL_BATCH: i64 = 1_000;

/// Whose waiting entries to chain.
#[derive(Clone, Copy)]
pub(crate) enum Sealing {
    /// A write's own, just after it committed: so they are in the log, in the order the
    /// writes committed, before the write returns.
    Write(i64),
    /// An import's own, however many, a round at a time, and the kept counts' changes.
    Import(i64),
    /// Every entry waiting and the kept counts' changes (a sweep: on opening, before the
    /// log is read or verified, on each look for changes).
    All,
}

/// Chains entries that wait in `audit_pending` (of committed transactions: no other is
/// visible), in short transactions that each hold the chain's row.
pub(crate) async fn seal_pending<DB: Dialect>(
    pool: &Pool<DB>,
    sealing: Sealing,
) -> Result<(), StoreError> {
    if DB::WRITERS_TAKE_TURNS {
        return Ok(());
    }
    let (batch, fold) = match sealing {
        Sealing::Write(batch) => (Some(batch), false),
        Sealing::Import(batch) => (Some(batch), true),
        Sealing::All => (None, true),
    };
    if batch.is_none() {
        // Looked at without the chain's row first: almost always nothing waits, and the
        // sweeps run every few seconds on every open window.
        let mut conn = pool.acquire().await.map_err(backend)?;
        let entries = sql::<DB>("SELECT id FROM audit_pending LIMIT 1");
        let deltas = sql::<DB>("SELECT id FROM user_state_deltas LIMIT 1");
        if fetch_map(&mut *conn, entries, |cells| cells.int("id"))
            .await?
            .is_empty()
            && fetch_map(&mut *conn, deltas, |cells| cells.int("id"))
                .await?
                .is_empty()
        {
            return Ok(());
        }
    }
    loop {
        let mut tx = pool.begin().await.map_err(backend)?;
        // The chain's row first: whoever holds it sees every entry it will chain.
        chain_ends::<DB>(&mut tx).await?;
        let entries = read_pending::<DB>(&mut tx, batch, SEAL_BATCH).await?;
        if !entries.is_empty() {
            chain::<DB>(&mut tx, &entries).await?;
            let mut done = sql::<DB>("DELETE FROM audit_pending WHERE 1 = 1");
            let ids: Vec<i64> = entries.iter().map(|entry| entry.id).collect();
            DB::push_id_set(&mut done, "id", &ids);
            execute(&mut *tx, done).await?;
        }
        if fold {
            super::users::fold_state_counts::<DB>(&mut tx).await?;
        }
        tx.commit().await.map_err(backend)?;
        if (entries.len() as i64) < SEAL_BATCH {
            return Ok(());
        }
    }
}

/// Up to `limit` waiting entries, oldest first: of `batch`, or of any.
async fn read_pending<DB: Dialect>(
    conn: &mut DB::Connection,
    batch: Option<i64>,
    limit: i64,
) -> Result<Vec<ChainRow>, StoreError> {
    let mut qb = sql::<DB>(&format!("SELECT id, {PENDING_COLUMNS} FROM audit_pending"));
    if let Some(batch) = batch {
        qb.push(" WHERE batch = ").bind(batch);
    }
    qb.push(" ORDER BY id LIMIT ").bind(limit);
    fetch_map(conn, qb, |cells| read_entry(cells, false)).await
}

/// An entry as read from `audit_log` (`chained`: with its links) or `audit_pending`.
fn read_entry<DB: Dialect>(cells: &Cells<'_, DB>, chained: bool) -> Result<ChainRow, StoreError> {
    let link = |column: &str| match chained {
        true => cells.opt_bytes(column),
        false => Ok(None),
    };
    Ok(ChainRow {
        id: cells.int("id")?,
        at_millis: cells.int("at")?,
        actor: cells.text("actor")?,
        workstation: cells.text("workstation")?,
        origin: cells.text("origin")?,
        action: cells.text("action")?,
        target_kind: cells.text("target_kind")?,
        target_id: cells.int("target_id")?,
        target_name: cells.text("target_name")?,
        changes: cells.text("changes")?,
        prev: link("prev_hash")?,
        hash: link("hash")?,
    })
}

/// How many entries wait to be chained.
async fn pending_count<DB: Dialect>(conn: &mut DB::Connection) -> Result<u64, StoreError> {
    let qb = sql::<DB>("SELECT count(*) AS n FROM audit_pending");
    Ok(fetch_map(conn, qb, |cells| cells.count("n"))
        .await?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// The chain's ends as stored; `head` is `None` until [`seal`] has run.
struct ChainEnds {
    base: ChainHash,
    head: Option<ChainHash>,
    purged_through: Option<(i64, DateTime<Utc>)>,
}

async fn chain_ends<DB: Dialect>(conn: &mut DB::Connection) -> Result<ChainEnds, StoreError> {
    let qb = sql::<DB>(&format!(
        "SELECT base_hash, head_hash, purged_through_id, purged_through_at FROM audit_chain \
         WHERE id = 1{}",
        DB::LOCK_ROW
    ));
    let ends = fetch_map(conn, qb, |cells| {
        let hash = |column: &str| -> Result<Option<ChainHash>, StoreError> {
            cells
                .opt_bytes(column)?
                .map(|bytes| {
                    ChainHash::try_from(bytes.as_slice()).map_err(|_| {
                        StoreError::Backend(format!("audit_chain.{column} is not 32 bytes"))
                    })
                })
                .transpose()
        };
        Ok(ChainEnds {
            base: hash("base_hash")?.unwrap_or(GENESIS),
            head: hash("head_hash")?,
            purged_through: cells
                .opt_int("purged_through_id")?
                .zip(cells.opt_time("purged_through_at")?),
        })
    })
    .await?;
    ends.into_iter().next().ok_or_else(|| {
        StoreError::Backend("the audit chain's record (audit_chain, id 1) was deleted".into())
    })
}

/// The chain's ends, for verifying it.
pub(super) async fn chain_head<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<ChainHead, StoreError> {
    let ends = chain_ends::<DB>(conn).await?;
    Ok(ChainHead {
        base: ends.base,
        head: ends.head.unwrap_or(ends.base),
        purged_through: ends.purged_through,
        missing: ends.head.is_none(),
        pending: pending_count::<DB>(conn).await?,
    })
}

const CHAIN_COLUMNS: &str = "id, at, actor, workstation, origin, action, target_kind, \
    target_id, target_name, changes, prev_hash, hash";

/// Entries after `after` in id order, as stored.
pub(super) async fn chain_rows<DB: Dialect>(
    conn: &mut DB::Connection,
    after: i64,
    limit: u32,
) -> Result<Vec<ChainRow>, StoreError> {
    let mut qb = sql::<DB>(&format!(
        "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE id > "
    ));
    qb.bind(after)
        .push(" ORDER BY id LIMIT ")
        .bind(i64::from(limit));
    fetch_map(conn, qb, |cells| read_entry(cells, true)).await
}

/// Chains the entries written before the chain existed (a database from before migration
/// 0004), once: the first Roster to open it does it, the others find it done.
pub(crate) async fn seal<DB: Dialect>(pool: &Pool<DB>) -> Result<(), StoreError> {
    // Looked at without a write transaction first: opening must not wait for another
    // writer (SQLite's one writer, a server's chaining) when, as almost always, there is
    // nothing to do.
    let mut conn = pool.acquire().await.map_err(backend)?;
    let qb = sql::<DB>("SELECT head_hash IS NOT NULL AS sealed FROM audit_chain WHERE id = 1");
    let sealed = fetch_map(&mut *conn, qb, |cells| cells.boolean("sealed")).await?;
    drop(conn);
    if sealed.first() == Some(&true) {
        return Ok(());
    }
    let mut tx = DB::begin_write(pool).await.map_err(backend)?;
    let ends = chain_ends::<DB>(&mut *tx).await?;
    // Ended here, not by dropping it, so the chain's row is let go at once.
    if ends.head.is_some() {
        return tx.rollback().await.map_err(backend);
    }
    // Only a log from before the chain is sealed: one with chained entries whose head is
    // gone was edited behind Roster's back, and sealing it again would hide that. `audit
    // verify` reports it instead.
    let chained = sql::<DB>("SELECT id FROM audit_log WHERE hash IS NOT NULL LIMIT 1");
    if !fetch_map(&mut *tx, chained, |cells| cells.int("id"))
        .await?
        .is_empty()
    {
        return tx.rollback().await.map_err(backend);
    }
    let mut prev = ends.base;
    let mut after = 0;
    loop {
        let rows = chain_rows::<DB>(&mut *tx, after, 5_000).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            let hash = chain_link(&prev, &row.content());
            let mut qb = sql::<DB>("UPDATE audit_log SET prev_hash = ");
            qb.bind(Some(prev.to_vec()))
                .push(", hash = ")
                .bind(Some(hash.to_vec()))
                .push(" WHERE id = ")
                .bind(row.id);
            execute(&mut *tx, qb).await?;
            prev = hash;
        }
    }
    let mut qb = sql::<DB>("UPDATE audit_chain SET head_hash = ");
    qb.bind(Some(prev.to_vec())).push(" WHERE id = 1");
    execute(&mut *tx, qb).await?;
    tx.commit().await.map_err(backend)
}

/// What purging the entries written before `before` would remove: always a run of the
/// oldest entries (the chain can only lose its start), ending before the first entry
/// written at or after `before`.
pub(super) async fn purge_plan<DB: Dialect>(
    conn: &mut DB::Connection,
    before: DateTime<Utc>,
) -> Result<AuditPurge, StoreError> {
    let mut qb = sql::<DB>("SELECT min(id) AS id FROM audit_log WHERE at >= ");
    qb.bind(millis(before));
    let first_kept = fetch_map(conn, qb, |cells| cells.opt_int("id")).await?;
    let mut qb = sql::<DB>("SELECT max(id) AS last, count(*) AS n FROM audit_log");
    if let Some(Some(kept)) = first_kept.first() {
        qb.push(" WHERE id < ").bind(*kept);
    }
    let (last_entry, entries) = fetch_map(conn, qb, |cells| {
        Ok((cells.opt_int("last")?, cells.count("n")?))
    })
    .await?
    .into_iter()
    .next()
    .unwrap_or_default();
    let mut qb = sql::<DB>("SELECT count(*) AS n FROM sign_in_events WHERE at < ");
    qb.bind(millis(before));
    let sign_ins = fetch_map(conn, qb, |cells| cells.count("n"))
        .await?
        .into_iter()
        .next()
        .unwrap_or_default();
    Ok(AuditPurge {
        before,
        last_entry,
        entries,
        sign_ins,
    })
}

/// Removes what `plan` names and moves the chain's base past it, then writes `record`
/// (about the purge, chained after the newest entry).
pub(super) async fn purge<DB: Dialect>(
    conn: &mut DB::Connection,
    plan: &AuditPurge,
    record: &AuditRecord,
) -> Result<(), StoreError> {
    chain_ends::<DB>(conn).await?;
    if let Some(last) = plan.last_entry {
        let mut qb = sql::<DB>("SELECT hash, at FROM audit_log WHERE id = ");
        qb.bind(last);
        let Some((Some(hash), at)) = fetch_map(conn, qb, |cells| {
            Ok((cells.opt_bytes("hash")?, cells.int("at")?))
        })
        .await?
        .into_iter()
        .next() else {
            // Purged meanwhile by someone else.
            return Err(StoreError::Stale);
        };
        let mut qb = sql::<DB>("DELETE FROM audit_log WHERE id <= ");
        qb.bind(last);
        execute(conn, qb).await?;
        let mut qb = sql::<DB>("UPDATE audit_chain SET base_hash = ");
        qb.bind(Some(hash))
            .push(", purged_through_id = ")
            .bind(last)
            .push(", purged_through_at = ")
            .bind(at)
            .push(" WHERE id = 1");
        execute(&mut *conn, qb).await?;
    }
    let mut qb = sql::<DB>("DELETE FROM sign_in_events WHERE at < ");
    qb.bind(millis(plan.before));
    execute(&mut *conn, qb).await?;
    // The entry vouches for the chain it leaves: the newest entry ever purged and the base.
    let ends = chain_ends::<DB>(&mut *conn).await?;
    let mut record = record.clone();
    record.target.id = ends.purged_through.map_or(0, |(id, _)| id);
    record.target.name = purge_vouch(&ends.base);
    // Chained here, while the chain's row is held, not after the commit: the log is never
    // seen purged without the entry that vouches for it.
    chain::<DB>(conn, &[entry(&record)?]).await
}

/// Newest first: a page of the Audit log screen, or the next one after `query.before`.
/// Only entries about users, groups, devices and organizations in the scope's organizations.
fn push_within<DB: Dialect>(qb: &mut QueryBuilder<'_, DB>, scope: &[OrganizationId]) {
    if scope.is_empty() {
        qb.push(" AND 1 = 0");
        return;
    }
    let ids = || scope.iter().map(|o| o.0);
    qb.push(" AND ((a.target_kind = 'user' AND u.organization_id IN (")
        .bind_list(ids())
        .push(")) OR (a.target_kind = 'group' AND a.target_id IN (SELECT id FROM \"groups\" WHERE organization_id IN (")
        .bind_list(ids())
        .push("))) OR (a.target_kind = 'device' AND a.target_id IN (SELECT id FROM devices WHERE organization_id IN (")
        .bind_list(ids())
        .push("))) OR (a.target_kind = 'organization' AND a.target_id IN (")
        .bind_list(ids())
        .push(")))");
}

pub(super) async fn list<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &AuditQuery,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT a.id, a.at, a.actor, a.workstation, a.origin, a.action, a.target_kind, \
         a.target_id, a.target_name, a.changes, \
         (a.target_kind = 'user' AND u.id IS NULL) AS target_deleted \
         FROM audit_log a LEFT JOIN users u ON a.target_kind = 'user' AND u.id = a.target_id \
         WHERE 1 = 1",
    );
    if let Some(user) = query.user {
        qb.push(" AND a.target_kind = 'user' AND a.target_id = ")
            .bind(user.0);
    }
    if let Some(scope) = &query.within {
        push_within(&mut qb, scope);
    }
    for (column, value) in [
        ("actor", &query.actor),
        ("action", &query.action),
        ("target_kind", &query.target_kind),
        ("workstation", &query.workstation),
    ] {
        if let Some(value) = value {
            qb.push(format!(" AND a.{column} = ")).bind(value.as_str());
        }
    }
    if let Some(id) = query.target_id {
        qb.push(" AND a.target_id = ").bind(id);
    }
    if let Some(origin) = query.origin {
        qb.push(" AND a.origin = ").bind(origin.as_str());
    }
    if let Some(from) = query.from {
        qb.push(" AND a.at >= ").bind(millis(from));
    }
    if let Some(until) = query.until {
        qb.push(" AND a.at < ").bind(millis(until));
    }
    if let Some(text) = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        // Lower-cased on both sides: PostgreSQL's LIKE is case-sensitive, the others not.
        let pattern = contains_pattern::<DB>(&text.to_lowercase());
        qb.push(" AND (lower(a.target_name) LIKE ")
            .bind(pattern.clone())
            .push(DB::LIKE_ESCAPE)
            .push(" OR lower(a.changes) LIKE ")
            .bind(pattern)
            .push(DB::LIKE_ESCAPE)
            .push(")");
    }
    if let Some(before) = query.before {
        qb.push(" AND a.id < ").bind(before);
    }
    qb.push(" ORDER BY a.id DESC LIMIT ")
        .bind(i64::from(query.limit));
    fetch_map(conn, qb, |cells| {
        let changes: Vec<FieldChange> = serde_json::from_str(&cells.text("changes")?)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let id = cells.int("target_id")?;
        let name = if cells.boolean("target_deleted")? {
            roster_core::deleted_user_label(UserId(id))
        } else {
            cells.text("target_name")?
        };
        let action = cells.text("action")?;
        Ok(AuditEntry {
            id: cells.int("id")?,
            at: cells.time("at")?,
            actor: cells.text("actor")?,
            workstation: cells.text("workstation")?,
            origin: cells.origin("origin")?,
            label: roster_core::action_label(&action),
            action,
            target: AuditTarget {
                kind: cells.text("target_kind")?,
                id,
                name,
            },
            changes,
        })
    })
    .await
}

/// Every part an index lookup on a primary key.
pub(super) async fn change_mark<DB: Dialect>(
    conn: &mut DB::Connection,
    floors: ChangeFloors,
) -> Result<ChangeMark, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log) AS audit_max, \
         (SELECT COUNT(*) FROM audit_log WHERE id > ",
    );
    qb.bind(floors.audit)
        .push(
            ") AS audit_above, (SELECT COALESCE(MAX(id), 0) FROM sign_in_events) AS sign_ins_max, \
               (SELECT COUNT(*) FROM sign_in_events WHERE id > ",
        )
        .bind(floors.sign_ins)
        .push(") AS sign_ins_above");
    let marks = fetch_map(conn, qb, |cells| {
        Ok(ChangeMark {
            audit: TableMark {
                max_id: cells.int("audit_max")?,
                above_floor: cells.int("audit_above")?,
            },
            sign_ins: TableMark {
                max_id: cells.int("sign_ins_max")?,
                above_floor: cells.int("sign_ins_above")?,
            },
        })
    })
    .await?;
    Ok(marks.into_iter().next().unwrap_or_default())
}
