//! Organizations, with how many users and groups belong to each.

use super::{Bind, Cells, audit, execute, fetch_map, fetch_optional, millis, sql};
use crate::dialect::{Dialect, write_error};
use chrono::{DateTime, Utc};
use roster_core::{AuditRecord, Organization, OrganizationId, StoreError, normalize_key};

/// Users are counted through `users_organization` (organization_id, id), one index range
/// per organization.
const ORGANIZATION_COLUMNS: &str = "SELECT o.id, o.name, o.created_at, \
    (SELECT COUNT(*) FROM users u WHERE u.organization_id = o.id) AS users, \
    (SELECT COUNT(*) FROM \"groups\" g WHERE g.organization_id = o.id) AS \"groups\" \
    FROM organizations o";

fn organization_from_row<DB: Dialect>(cells: &Cells<'_, DB>) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: OrganizationId(cells.int("id")?),
        name: cells.text("name")?,
        users: cells.int("users")?,
        groups: cells.int("groups")?,
        created_at: cells.time("created_at")?,
    })
}

pub(super) async fn list<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<Organization>, StoreError> {
    let qb = sql::<DB>(&format!("{ORGANIZATION_COLUMNS} ORDER BY o.name_key"));
    fetch_map(conn, qb, organization_from_row::<DB>).await
}

async fn get<DB: Dialect>(
    conn: &mut DB::Connection,
    id: OrganizationId,
) -> Result<Option<Organization>, StoreError> {
    let mut qb = sql::<DB>(&format!("{ORGANIZATION_COLUMNS} WHERE o.id = "));
    qb.bind(id.0);
    fetch_optional(conn, qb)
        .await?
        .map(|row| organization_from_row::<DB>(&Cells(&row)))
        .transpose()
}

pub(super) async fn insert<DB: Dialect>(
    conn: &mut DB::Connection,
    name: &str,
    created_at: DateTime<Utc>,
    mut record: AuditRecord,
) -> Result<Organization, StoreError> {
    let mut insert = sql::<DB>("INSERT INTO organizations (name, name_key, created_at) VALUES (");
    insert
        .bind_values(vec![
            name.into(),
            normalize_key(name).into(),
            millis(created_at).into(),
        ])
        .push(")");
    let id = DB::insert_id(&mut *conn, insert)
        .await
        .map_err(|e| write_error::<DB>(e, "organization", 0))?;
    record.target.id = id;
    audit::write::<DB>(&mut *conn, &record).await?;
    get::<DB>(conn, OrganizationId(id))
        .await?
        .ok_or(StoreError::NotFound)
}

pub(super) async fn rename<DB: Dialect>(
    conn: &mut DB::Connection,
    id: OrganizationId,
    name: &str,
    record: &AuditRecord,
) -> Result<(), StoreError> {
    let mut update = sql::<DB>("UPDATE organizations SET name = ");
    update
        .bind(name)
        .push(", name_key = ")
        .bind(normalize_key(name))
        .push(" WHERE id = ")
        .bind(id.0);
    let changed = DB::execute(&mut *conn, update)
        .await
        .map_err(|e| write_error::<DB>(e, "organization", 0))?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    // Users keep the name as their sort key (migration 0005).
    let mut users = sql::<DB>("UPDATE users SET organization_name = ");
    users
        .bind(name)
        .push(" WHERE organization_id = ")
        .bind(id.0);
    execute(&mut *conn, users).await?;
    audit::write::<DB>(conn, record).await
}

pub(super) async fn delete<DB: Dialect>(
    conn: &mut DB::Connection,
    id: OrganizationId,
    move_to: Option<OrganizationId>,
    record: &AuditRecord,
) -> Result<(), StoreError> {
    if let Some(to) = move_to {
        let heir = get::<DB>(&mut *conn, to)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut users = sql::<DB>("UPDATE users SET organization_id = ");
        users
            .bind(to.0)
            .push(", organization_name = ")
            .bind(heir.name)
            .push(", modified_at = ")
            .bind(millis(record.at))
            .push(", version = version + 1 WHERE organization_id = ")
            .bind(id.0);
        execute(&mut *conn, users).await?;
        let mut groups = sql::<DB>("UPDATE \"groups\" SET organization_id = ");
        groups
            .bind(to.0)
            .push(" WHERE organization_id = ")
            .bind(id.0);
        DB::execute(&mut *conn, groups)
            .await
            .map_err(|e| write_error::<DB>(e, "organization", 0))?;
    }
    let mut delete = sql::<DB>("DELETE FROM organizations WHERE id = ");
    delete.bind(id.0);
    let deleted = DB::execute(&mut *conn, delete)
        .await
        .map_err(|e| write_error::<DB>(e, "organization", 0))?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    audit::write::<DB>(conn, record).await
}
