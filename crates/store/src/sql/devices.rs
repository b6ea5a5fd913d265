//! Devices, their owners' kept device counts, and the token that enrolled each.

use super::{
    Bind, Cells, audit, execute, fetch_map, fetch_one, fetch_optional, millis, push_within, sql,
};
use crate::dialect::{Dialect, contains_pattern, write_error};
use chrono::{DateTime, Utc};
use roster_core::{
    AuditRecord, Device, DeviceHandover, DeviceId, DeviceOs, DeviceQuery, DeviceSort, DeviceState,
    NewDevice, OrganizationId, SortDirection, Status, StoreError, UserId, normalize_key,
    serial_key,
};
use sqlx::QueryBuilder;
use std::collections::{BTreeSet, HashMap};

const DEVICE_COLUMNS: &str = "SELECT d.id, d.name, d.os, d.model, d.serial, d.organization_id, \
    o.name AS organization, d.owner_id, u.username AS owner, u.email AS owner_email, d.enrolled_at, d.enrolled_by, \
    d.token_last4, d.last_activity_at, d.state, d.version FROM devices d \
    LEFT JOIN organizations o ON o.id = d.organization_id \
    LEFT JOIN users u ON u.id = d.owner_id";

fn device_from_row<DB: Dialect>(cells: &Cells<'_, DB>) -> Result<Device, StoreError> {
    let os = cells.text("os")?;
    Ok(Device {
        id: DeviceId(cells.int("id")?),
        name: cells.text("name")?,
        os: os
            .parse::<DeviceOs>()
            .map_err(|e| StoreError::Backend(e.message))?,
        model: cells.text("model")?,
        serial: cells.text("serial")?,
        organization_id: cells.opt_int("organization_id")?.map(OrganizationId),
        organization: cells.opt_text("organization")?,
        owner_id: cells.opt_int("owner_id")?.map(UserId),
        owner: cells.opt_text("owner")?,
        owner_email: cells.opt_text("owner_email")?,
        enrolled_at: cells.time("enrolled_at")?,
        enrolled_by: cells.text("enrolled_by")?,
        token: cells
            .opt_text("token_last4")?
            .map(|last4| format!("…{last4}")),
        last_activity_at: cells.opt_time("last_activity_at")?,
        state: cells
            .text("state")?
            .parse::<DeviceState>()
            .map_err(StoreError::Backend)?,
        version: cells.int("version")?,
    })
}

pub(super) async fn insert<DB: Dialect>(
    conn: &mut DB::Connection,
    device: &NewDevice,
    record: AuditRecord,
) -> Result<Device, StoreError> {
    let id = insert_one::<DB>(&mut *conn, device, record).await?;
    recount::<DB>(&mut *conn, &[device.owner.0]).await?;
    let mut found = get::<DB>(conn, &[DeviceId(id)]).await?;
    found.pop().ok_or(StoreError::NotFound)
}

/// An import's devices, one statement each (an asset list is hundreds of rows, not a
/// million), their owners recounted once.
pub(super) async fn insert_all<DB: Dialect>(
    conn: &mut DB::Connection,
    devices: Vec<(NewDevice, AuditRecord)>,
    job: AuditRecord,
) -> Result<(), StoreError> {
    let mut owners = BTreeSet::new();
    for (index, (device, record)) in devices.into_iter().enumerate() {
        owners.insert(device.owner.0);
        insert_one::<DB>(&mut *conn, &device, record)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { field, .. } => StoreError::Duplicate { field, index },
                other => other,
            })?;
    }
    let owners: Vec<i64> = owners.into_iter().collect();
    recount::<DB>(&mut *conn, &owners).await?;
    audit::write::<DB>(conn, &job).await
}

pub(super) async fn serial_taken<DB: Dialect>(
    conn: &mut DB::Connection,
    organization: Option<OrganizationId>,
    serial_key: &str,
) -> Result<bool, StoreError> {
    let mut qb = sql::<DB>("SELECT COUNT(*) AS n FROM devices WHERE serial_scope = ");
    qb.bind(organization.map_or(0, |o| o.0))
        .push(" AND serial_key = ")
        .bind(serial_key);
    Ok(Cells::<DB>(&fetch_one(conn, qb).await?).count("n")? > 0)
}

/// Refuses, inside the enrollment's write, a token that was revoked or has expired, or
/// whose owner no longer enrolls devices, since the service checked them; otherwise marks
/// its use. The owner's row and the token's stay held to the commit, so a revocation or a
/// suspension landing meanwhile waits for the enrollment, or the enrollment sees it.
async fn still_enrolls<DB: Dialect>(
    conn: &mut DB::Connection,
    owner: UserId,
    token: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut active = sql::<DB>("SELECT id FROM users WHERE id = ");
    active
        .bind(owner.0)
        .push(" AND status IN (")
        .bind_list(Status::ENROLLS_DEVICES.iter().map(|s| s.as_str()))
        .push(")")
        .push(DB::LOCK_ROW);
    if fetch_optional(&mut *conn, active).await?.is_none() {
        return Err(StoreError::TokenWithdrawn);
    }
    let mut used = sql::<DB>("UPDATE user_tokens SET last_used_at = ");
    used.bind(millis(at))
        .push(" WHERE id = ")
        .bind(token)
        .push(" AND user_id = ")
        .bind(owner.0)
        .push(" AND revoked_at IS NULL AND expires_at > ")
        .bind(millis(at));
    if execute(conn, used).await? != 1 {
        return Err(StoreError::TokenWithdrawn);
    }
    Ok(())
}

/// Writes one device, its token's last use and its audit record; returns its id.
async fn insert_one<DB: Dialect>(
    conn: &mut DB::Connection,
    device: &NewDevice,
    mut record: AuditRecord,
) -> Result<i64, StoreError> {
    let draft = &device.draft;
    let organization = device.organization.map(|o| o.0);
    let mut insert = sql::<DB>(
        "INSERT INTO devices (name, name_key, os, model, serial, serial_scope, serial_key, \
         organization_id, owner_id, token_id, token_last4, enrolled_at, enrolled_by, \
         last_activity_at, state) VALUES (",
    );
    insert
        .bind_values(vec![
            draft.name.clone().into(),
            normalize_key(&draft.name).into(),
            draft.os.as_str().into(),
            draft.model.clone().into(),
            draft.serial.clone().into(),
            organization.unwrap_or(0).into(),
            serial_key(&draft.serial).into(),
            organization.into(),
            device.owner.0.into(),
            device.token.as_ref().map(|(id, _)| *id).into(),
            device.token.as_ref().map(|(_, last4)| last4.clone()).into(),
            millis(device.enrolled_at).into(),
            device.enrolled_by.clone().into(),
            Some(millis(device.enrolled_at)).into(),
            DeviceState::Active.as_str().into(),
        ])
        .push(")");
    if let Some((token, _)) = &device.token {
        still_enrolls::<DB>(&mut *conn, device.owner, *token, device.enrolled_at).await?;
    }
    let id = DB::insert_id(&mut *conn, insert)
        .await
        .map_err(|e| write_error::<DB>(e, "owner", 0))?;
    record.target.id = id;
    audit::write::<DB>(conn, &record).await?;
    Ok(id)
}

pub(super) async fn get<DB: Dialect>(
    conn: &mut DB::Connection,
    ids: &[DeviceId],
) -> Result<Vec<Device>, StoreError> {
    let mut qb = sql::<DB>(&format!("{DEVICE_COLUMNS} WHERE 1 = 1"));
    let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
    DB::push_id_set(&mut qb, "d.id", &ids);
    qb.push(" ORDER BY d.id");
    fetch_map(conn, qb, device_from_row::<DB>).await
}

/// The owners and versions of these devices now, by device id, held until the write ends
/// (in id order, as `users::lock_users` holds users).
async fn owners<DB: Dialect>(
    conn: &mut DB::Connection,
    devices: &[Device],
) -> Result<HashMap<i64, (Option<i64>, i64)>, StoreError> {
    let ids: Vec<i64> = devices.iter().map(|d| d.id.0).collect();
    let mut qb = sql::<DB>("SELECT id, owner_id, version FROM devices WHERE 1 = 1");
    DB::push_id_set(&mut qb, "id", &ids);
    qb.push(" ORDER BY id").push(DB::LOCK_ROW);
    Ok(fetch_map(conn, qb, |row| {
        Ok((
            row.int("id")?,
            (row.opt_int("owner_id")?, row.int("version")?),
        ))
    })
    .await?
    .into_iter()
    .collect())
}

pub(super) async fn update<DB: Dialect>(
    conn: &mut DB::Connection,
    devices: &[Device],
    records: &[AuditRecord],
) -> Result<(), StoreError> {
    let before = owners::<DB>(&mut *conn, devices).await?;
    let mut touched = BTreeSet::new();
    for device in devices {
        let (owner, version) = before.get(&device.id.0).ok_or(StoreError::Stale)?;
        if *version != device.version {
            return Err(StoreError::Stale);
        }
        touched.extend(*owner);
        touched.extend(device.owner_id.map(|o| o.0));
        let organization = device.organization_id.map(|o| o.0);
        let mut update = sql::<DB>("UPDATE devices SET name = ");
        update
            .bind(device.name.clone())
            .push(", name_key = ")
            .bind(normalize_key(&device.name))
            .push(", os = ")
            .bind(device.os.as_str())
            .push(", model = ")
            .bind(device.model.clone())
            .push(", serial = ")
            .bind(device.serial.clone())
            .push(", serial_scope = ")
            .bind(organization.unwrap_or(0))
            .push(", serial_key = ")
            .bind(serial_key(&device.serial))
            .push(", organization_id = ")
            .bind(organization)
            .push(", owner_id = ")
            .bind(device.owner_id.map(|o| o.0))
            .push(", state = ")
            .bind(device.state.as_str())
            .push(", version = version + 1 WHERE id = ")
            .bind(device.id.0)
            .push(" AND version = ")
            .bind(device.version);
        let changed = DB::execute(&mut *conn, update)
            .await
            .map_err(|e| write_error::<DB>(e, "owner", 0))?;
        if changed != 1 {
            return Err(StoreError::Stale);
        }
    }
    let touched: Vec<i64> = touched.into_iter().collect();
    recount::<DB>(&mut *conn, &touched).await?;
    audit::write_all::<DB>(conn, records).await
}

pub(super) async fn delete<DB: Dialect>(
    conn: &mut DB::Connection,
    devices: &[Device],
    records: &[AuditRecord],
) -> Result<(), StoreError> {
    let before = owners::<DB>(&mut *conn, devices).await?;
    if devices
        .iter()
        .any(|d| before.get(&d.id.0).map(|(_, version)| *version) != Some(d.version))
    {
        return Err(StoreError::Stale);
    }
    let ids: Vec<i64> = devices.iter().map(|d| d.id.0).collect();
    let mut delete = sql::<DB>("DELETE FROM devices WHERE 1 = 1");
    DB::push_id_set(&mut delete, "id", &ids);
    if execute(&mut *conn, delete).await? != ids.len() as u64 {
        return Err(StoreError::Stale);
    }
    let touched: Vec<i64> = before
        .values()
        .filter_map(|(owner, _)| *owner)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    recount::<DB>(&mut *conn, &touched).await?;
    audit::write_all::<DB>(conn, records).await
}

/// Before these users are deleted: their devices are retired with no owner, or go to the
/// heir (and into the heir's organization).
pub(super) async fn hand_over<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[i64],
    handover: DeviceHandover,
) -> Result<(), StoreError> {
    match handover {
        DeviceHandover::Retire => {
            let mut retire = sql::<DB>("UPDATE devices SET owner_id = NULL, state = ");
            retire
                .bind(DeviceState::Retired.as_str())
                .push(", version = version + 1 WHERE 1 = 1");
            DB::push_id_set(&mut retire, "owner_id", users);
            execute(conn, retire).await?;
        }
        DeviceHandover::Reassign(heir) => {
            let organization = "(SELECT h.organization_id FROM users h WHERE h.id = ";
            let mut give = sql::<DB>("UPDATE devices SET owner_id = ");
            give.bind(heir.0)
                .push(format!(", organization_id = {organization}"))
                .bind(heir.0)
                .push(format!("), serial_scope = COALESCE({organization}"))
                .bind(heir.0)
                .push("), 0), version = version + 1 WHERE 1 = 1");
            DB::push_id_set(&mut give, "owner_id", users);
            DB::execute(&mut *conn, give)
                .await
                .map_err(|e| write_error::<DB>(e, "user", 0))?;
            recount::<DB>(conn, &[heir.0]).await?;
        }
    }
    Ok(())
}

/// Devices follow their owners into the organizations these users were moved to.
pub(super) async fn follow_owners<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[i64],
) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    let organization = "(SELECT u.organization_id FROM users u WHERE u.id = devices.owner_id)";
    let mut follow = sql::<DB>(&format!(
        "UPDATE devices SET organization_id = {organization}, \
         serial_scope = COALESCE({organization}, 0), version = version + 1 WHERE 1 = 1"
    ));
    DB::push_id_set(&mut follow, "owner_id", users);
    DB::execute(conn, follow)
        .await
        .map_err(|e| write_error::<DB>(e, "user", 0))?;
    Ok(())
}

/// Sets the users' kept device counts (`users.device_count`, the "# of devices" column):
/// their active devices.
async fn recount<DB: Dialect>(conn: &mut DB::Connection, users: &[i64]) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    let mut update = sql::<DB>(
        "UPDATE users SET device_count = (SELECT COUNT(*) FROM devices d \
         WHERE d.owner_id = users.id AND d.state = ",
    );
    update
        .bind(DeviceState::Active.as_str())
        .push(") WHERE 1 = 1");
    DB::push_id_set(&mut update, "id", users);
    execute(conn, update).await?;
    Ok(())
}

fn push_filters<DB: Dialect>(qb: &mut QueryBuilder<'_, DB>, query: &DeviceQuery) {
    qb.push(" WHERE 1 = 1");
    for term in query.search.split_whitespace().map(normalize_key) {
        let pattern = contains_pattern::<DB>(&term);
        qb.push(" AND (");
        for (i, column) in [
            "d.name_key",
            "d.serial_key",
            "LOWER(d.model)",
            "u.username_key",
        ]
        .iter()
        .enumerate()
        {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push(format!("{column} LIKE "))
                .bind(pattern.clone())
                .push(DB::LIKE_ESCAPE);
        }
        qb.push(")");
    }
    if !query.os.is_empty() {
        qb.push(" AND d.os IN (")
            .bind_list(query.os.iter().map(|os| os.as_str()))
            .push(")");
    }
    if let Some(state) = query.state {
        qb.push(" AND d.state = ").bind(state.as_str());
    }
    if let Some(owner) = query.owner {
        qb.push(" AND d.owner_id = ").bind(owner.0);
    }
    if let Some(organization) = &query.organization {
        qb.push(" AND d.organization_id IN (SELECT id FROM organizations WHERE name_key = ")
            .bind(normalize_key(organization))
            .push(")");
    }
    if let Some(scope) = &query.within {
        push_within(qb, "d.organization_id", scope);
    }
}

pub(super) async fn list<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &DeviceQuery,
) -> Result<Vec<Device>, StoreError> {
    let mut qb = sql::<DB>(DEVICE_COLUMNS);
    push_filters(&mut qb, query);
    let direction = if query.descending {
        SortDirection::Desc
    } else {
        SortDirection::Asc
    };
    let (column, nullable) = match query.sort {
        DeviceSort::Name => ("d.name_key", false),
        DeviceSort::EnrolledAt => ("d.enrolled_at", false),
        DeviceSort::LastActivityAt => ("d.last_activity_at", true),
    };
    qb.push(format!(
        " ORDER BY {}, {} LIMIT {} OFFSET {}",
        DB::order(column, direction, nullable),
        DB::order("d.id", direction, false),
        query.limit,
        query.offset.min(i64::MAX as u64)
    ));
    fetch_map(conn, qb, device_from_row::<DB>).await
}

pub(super) async fn count<DB: Dialect>(
    conn: &mut DB::Connection,
    query: &DeviceQuery,
) -> Result<u64, StoreError> {
    // The owner is joined only when a search may match the owner's username.
    let mut qb = sql::<DB>(if query.search.trim().is_empty() {
        "SELECT COUNT(*) AS n FROM devices d"
    } else {
        "SELECT COUNT(*) AS n FROM devices d LEFT JOIN users u ON u.id = d.owner_id"
    });
    push_filters(&mut qb, query);
    Cells::<DB>(&fetch_one(conn, qb).await?).count("n")
}
