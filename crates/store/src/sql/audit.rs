//! The audit trail: written in the same transaction as the change it records.

use super::{Bind, fetch_map, insert_rows, millis, plain, sql};
use crate::dialect::{Dialect, backend};
use roster_core::{
    AuditEntry, AuditQuery, AuditRecord, AuditTarget, ChangeFloors, ChangeMark, FieldChange,
    StoreError, TableMark, UserId,
};

const AUDIT_INSERT: &str = "audit_log (at, actor, workstation, origin, action, target_kind, \
    target_id, target_name, changes)";

pub(super) async fn write<DB: Dialect>(
    conn: &mut DB::Connection,
    record: &AuditRecord,
) -> Result<(), StoreError> {
    write_all::<DB>(conn, std::slice::from_ref(record)).await
}

/// The records in as few statements as the database takes.
pub(super) async fn write_all<DB: Dialect>(
    conn: &mut DB::Connection,
    records: &[AuditRecord],
) -> Result<(), StoreError> {
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let changes = serde_json::to_string(&record.changes)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        rows.push(vec![
            millis(record.at).into(),
            record.actor.clone().into(),
            record.workstation.clone().into(),
            record.origin.as_str().into(),
            record.action.clone().into(),
            record.target.kind.clone().into(),
            record.target.id.into(),
            record.target.name.clone().into(),
            changes.into(),
        ]);
    }
    insert_rows::<DB>(conn, AUDIT_INSERT, rows, plain::<DB>)
        .await
        .map_err(backend)
}

/// Newest first.
pub(super) async fn list<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &AuditQuery,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT a.id, a.at, a.actor, a.workstation, a.origin, a.action, a.target_kind, \
         a.target_id, a.target_name, a.changes, \
         (a.target_kind = 'user' AND u.id IS NULL) AS target_deleted \
         FROM audit_log a LEFT JOIN users u ON a.target_kind = 'user' AND u.id = a.target_id",
    );
    if let Some(user) = query.user {
        qb.push(" WHERE a.target_kind = 'user' AND a.target_id = ")
            .bind(user.0);
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
            label: roster_core::action_label(&action).to_owned(),
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
