//! Organizations, with how many users and groups belong to each, and the organizations a
//! console account administers (its scope).

use super::{Bind, Cells, audit, execute, fetch_map, fetch_optional, insert_rows, millis, sql};
use crate::dialect::{Dialect, write_error};
use chrono::{DateTime, Utc};
use roster_core::{AuditRecord, Organization, OrganizationId, StoreError, UserId, normalize_key};

/// Users are counted through `users_organization` (organization_id, id), one index range
/// per organization.
const ORGANIZATION_COLUMNS: &str = "SELECT o.id, o.name, o.created_at, \
    (SELECT COUNT(*) FROM users u WHERE u.organization_id = o.id) AS users, \
    (SELECT COUNT(*) FROM \"groups\" g WHERE g.organization_id = o.id) AS \"groups\", \
    (SELECT COUNT(*) FROM account_organizations a WHERE a.organization_id = o.id) AS accounts, \
    (SELECT COUNT(*) FROM devices d WHERE d.organization_id = o.id) AS devices \
    FROM organizations o";

fn organization_from_row<DB: Dialect>(cells: &Cells<'_, DB>) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: OrganizationId(cells.int("id")?),
        name: cells.text("name")?,
        users: cells.int("users")?,
        groups: cells.int("groups")?,
        accounts: cells.int("accounts")?,
        devices: cells.int("devices")?,
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
        let mut devices = sql::<DB>("UPDATE devices SET organization_id = ");
        devices
            .bind(to.0)
            .push(", serial_scope = ")
            .bind(to.0)
            .push(" WHERE organization_id = ")
            .bind(id.0);
        DB::execute(&mut *conn, devices)
            .await
            .map_err(|e| write_error::<DB>(e, "organization", 0))?;
        // Accounts limited to it administer its users where they went, from their next
        // sign-in on.
        let mut resign = sql::<DB>(
            "UPDATE users SET session_generation = session_generation + 1 WHERE id IN \
             (SELECT user_id FROM account_organizations WHERE organization_id = ",
        );
        resign.bind(id.0).push(")");
        execute(&mut *conn, resign).await?;
        let mut scopes = sql::<DB>(
            "INSERT INTO account_organizations (user_id, organization_id) SELECT a.user_id, ",
        );
        scopes
            .bind(to.0)
            .push(" FROM account_organizations a WHERE a.organization_id = ")
            .bind(id.0);
        // Qualified, the source aliased: MySQL's no-op update must name the target's column.
        DB::ignore_duplicates(&mut scopes, "account_organizations.user_id");
        execute(&mut *conn, scopes).await?;
        let mut moved = sql::<DB>("DELETE FROM account_organizations WHERE organization_id = ");
        moved.bind(id.0);
        execute(&mut *conn, moved).await?;
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

/// The names of all organizations with their ids, alphabetically.
pub(super) async fn names<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<(OrganizationId, String)>, StoreError> {
    let qb = sql::<DB>("SELECT id, name FROM organizations ORDER BY name_key");
    fetch_map(conn, qb, |row| {
        Ok((OrganizationId(row.int("id")?), row.text("name")?))
    })
    .await
}

/// The organizations a console account administers; `None` (no rows): the whole directory.
pub(super) async fn account_scope<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
) -> Result<Option<Vec<OrganizationId>>, StoreError> {
    let mut qb = sql::<DB>("SELECT organization_id FROM account_organizations WHERE user_id = ");
    qb.bind(user.0).push(" ORDER BY organization_id");
    let scope = fetch_map(conn, qb, |row| {
        Ok(OrganizationId(row.int("organization_id")?))
    })
    .await?;
    Ok((!scope.is_empty()).then_some(scope))
}

pub(super) async fn set_account_scope<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
    scope: Option<&[OrganizationId]>,
    record: &AuditRecord,
) -> Result<(), StoreError> {
    let mut clear = sql::<DB>("DELETE FROM account_organizations WHERE user_id = ");
    clear.bind(user.0);
    execute(&mut *conn, clear).await?;
    super::accounts::end_sessions::<DB>(&mut *conn, "id = ", user.0).await?;
    let rows = scope
        .unwrap_or_default()
        .iter()
        .map(|org| vec![user.0.into(), org.0.into()])
        .collect();
    insert_rows::<DB>(
        &mut *conn,
        "account_organizations (user_id, organization_id)",
        rows,
        |_| {},
    )
    .await
    .map_err(|e| match write_error::<DB>(e, "organization", 0) {
        StoreError::MissingReference { .. } => StoreError::NotFound,
        other => other,
    })?;
    audit::write::<DB>(conn, record).await
}
