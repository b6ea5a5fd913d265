//! Attributes admins define, and the values users hold of them.

use super::{
    Bind, Cells, audit, execute, fetch_map, fetch_optional, insert_rows, millis, plain, sql,
};
use crate::dialect::{Dialect, LIST_SEPARATOR, PAIR_SEPARATOR, Value, write_error};
use roster_core::{
    Attribute, AttributeId, AttributeRecord, Attributes, AuditRecord, OrganizationId, StoreError,
    UserId,
};
use std::collections::HashMap;

/// The organization's name comes from a subquery, not a join, so a read of these rows can
/// hold them (`FOR UPDATE` / `FOR SHARE` on PostgreSQL refuse a join's nullable side).
const ATTRIBUTE_COLUMNS: &str = "SELECT a.id, a.name, a.label, a.kind, a.choices, a.required, \
    a.is_unique, a.organization_id, \
    (SELECT o.name FROM organizations o WHERE o.id = a.organization_id) AS organization, \
    a.created_at, a.created_by FROM attributes a";

fn attribute_from_row<DB: Dialect>(cells: &Cells<'_, DB>) -> Result<Attribute, StoreError> {
    let choices = cells.text("choices")?;
    Ok(Attribute {
        id: AttributeId(cells.int("id")?),
        name: cells.text("name")?,
        label: cells.text("label")?,
        kind: cells.text("kind")?.parse().map_err(StoreError::Backend)?,
        choices: choices
            .split(LIST_SEPARATOR)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        required: cells.boolean("required")?,
        unique: cells.boolean("is_unique")?,
        organization_id: cells.opt_int("organization_id")?.map(OrganizationId),
        organization: cells.opt_text("organization")?,
        created_at: cells.time("created_at")?,
        created_by: cells.text("created_by")?,
    })
}

pub(super) async fn list<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<Attribute>, StoreError> {
    let qb = sql::<DB>(&format!("{ATTRIBUTE_COLUMNS} ORDER BY a.name"));
    fetch_map(conn, qb, attribute_from_row::<DB>).await
}

pub(super) async fn insert<DB: Dialect>(
    conn: &mut DB::Connection,
    record: AttributeRecord,
    mut audit_record: AuditRecord,
) -> Result<Attribute, StoreError> {
    let choices: String = record.choices.join(&LIST_SEPARATOR.to_string());
    let mut insert = sql::<DB>(
        "INSERT INTO attributes (name, label, kind, choices, required, is_unique, \
         organization_id, created_at, created_by) VALUES (",
    );
    insert
        .bind_values(vec![
            record.name.clone().into(),
            record.label.into(),
            record.kind.as_str().into(),
            choices.into(),
            Value::Bool(record.required),
            Value::Bool(record.unique),
            record.organization_id.map(|o| o.0).into(),
            millis(record.created_at).into(),
            record.created_by.into(),
        ])
        .push(")");
    let id = DB::insert_id(&mut *conn, insert)
        .await
        .map_err(|e| write_error::<DB>(e, "organization", 0))?;
    audit_record.target.id = id;
    audit::write::<DB>(&mut *conn, &audit_record).await?;
    let mut qb = sql::<DB>(&format!("{ATTRIBUTE_COLUMNS} WHERE a.id = "));
    qb.bind(id);
    let row = fetch_optional(conn, qb)
        .await?
        .ok_or(StoreError::NotFound)?;
    attribute_from_row::<DB>(&Cells(&row))
}

pub(super) async fn count_values<DB: Dialect>(
    conn: &mut DB::Connection,
    attribute: AttributeId,
) -> Result<u64, StoreError> {
    let mut qb = sql::<DB>("SELECT COUNT(*) AS n FROM user_attributes WHERE attribute_id = ");
    qb.bind(attribute.0);
    let row = fetch_optional(conn, qb)
        .await?
        .ok_or(StoreError::NotFound)?;
    Cells::<DB>(&row).count("n")
}

pub(super) async fn delete<DB: Dialect>(
    conn: &mut DB::Connection,
    attribute: AttributeId,
    values: u64,
    audit_record: &AuditRecord,
) -> Result<(), StoreError> {
    let mut lock = sql::<DB>("SELECT id FROM attributes WHERE id = ");
    lock.bind(attribute.0).push(DB::LOCK_ROW);
    if fetch_optional(&mut *conn, lock).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    let mut drop_values = sql::<DB>("DELETE FROM user_attributes WHERE attribute_id = ");
    drop_values.bind(attribute.0);
    if execute(&mut *conn, drop_values).await? != values {
        return Err(StoreError::Stale);
    }
    let mut drop = sql::<DB>("DELETE FROM attributes WHERE id = ");
    drop.bind(attribute.0);
    execute(&mut *conn, drop).await?;
    audit::write::<DB>(conn, audit_record).await
}

pub(super) async fn shared_value<DB: Dialect>(
    conn: &mut DB::Connection,
    attribute: AttributeId,
) -> Result<Option<String>, StoreError> {
    let mut qb = sql::<DB>("SELECT value FROM user_attributes WHERE attribute_id = ");
    qb.bind(attribute.0)
        .push(" GROUP BY value HAVING COUNT(*) > 1 ORDER BY value LIMIT 1");
    fetch_optional(conn, qb)
        .await?
        .map(|row| Cells::<DB>(&row).text("value"))
        .transpose()
}

/// Writes an edited definition (see `Repository::update_attribute`), holding the
/// attribute's row so that writes of users' values wait for it and then check their values
/// against what it now takes ([`write_values`]).
pub(super) async fn update<DB: Dialect>(
    conn: &mut DB::Connection,
    before: &Attribute,
    after: &Attribute,
    dropped: &[String],
    audit_record: &AuditRecord,
) -> Result<Attribute, StoreError> {
    let mut read = sql::<DB>(&format!("{ATTRIBUTE_COLUMNS} WHERE a.id = "));
    read.bind(before.id.0).push(DB::LOCK_ROW);
    let row = fetch_optional(&mut *conn, read)
        .await?
        .ok_or(StoreError::NotFound)?;
    let stored = attribute_from_row::<DB>(&Cells(&row))?;
    let unchanged = stored.label == before.label
        && stored.choices == before.choices
        && stored.required == before.required
        && stored.unique == before.unique;
    if !unchanged {
        return Err(StoreError::Stale);
    }
    if !dropped.is_empty() {
        let mut held = sql::<DB>("SELECT COUNT(*) AS n FROM user_attributes WHERE attribute_id = ");
        held.bind(before.id.0)
            .push(" AND value IN (")
            .bind_list(dropped.iter().map(String::as_str))
            .push(")");
        let row = fetch_optional(&mut *conn, held)
            .await?
            .ok_or(StoreError::NotFound)?;
        if Cells::<DB>(&row).count("n")? > 0 {
            return Err(StoreError::Stale);
        }
    }
    let mut update = sql::<DB>("UPDATE attributes SET label = ");
    update
        .bind(after.label.as_str())
        .push(", choices = ")
        .bind(after.choices.join(&LIST_SEPARATOR.to_string()))
        .push(", required = ")
        .bind_values(vec![Value::Bool(after.required)])
        .push(", is_unique = ")
        .bind_values(vec![Value::Bool(after.unique)])
        .push(" WHERE id = ")
        .bind(before.id.0);
    execute(&mut *conn, update).await?;
    if after.unique != before.unique {
        let kept = if after.unique { "value" } else { "NULL" };
        let mut values = sql::<DB>(&format!(
            "UPDATE user_attributes SET unique_value = {kept} WHERE attribute_id = "
        ));
        values.bind(before.id.0);
        DB::execute(&mut *conn, values)
            .await
            .map_err(|e| write_error::<DB>(e, "attributes", 0))?;
    }
    audit::write::<DB>(&mut *conn, audit_record).await?;
    let mut reread = sql::<DB>(&format!("{ATTRIBUTE_COLUMNS} WHERE a.id = "));
    reread.bind(before.id.0);
    let row = fetch_optional(conn, reread)
        .await?
        .ok_or(StoreError::NotFound)?;
    attribute_from_row::<DB>(&Cells(&row))
}

pub(super) async fn holder<DB: Dialect>(
    conn: &mut DB::Connection,
    attribute: AttributeId,
    value: &str,
) -> Result<Option<UserId>, StoreError> {
    let mut qb = sql::<DB>("SELECT user_id FROM user_attributes WHERE attribute_id = ");
    qb.bind(attribute.0).push(" AND value = ").bind(value);
    qb.push(" ORDER BY user_id LIMIT 1");
    Ok(fetch_optional(conn, qb)
        .await?
        .map(|row| Cells::<DB>(&row).int("user_id"))
        .transpose()?
        .map(UserId))
}

/// A user's values as the list expression ([`Dialect::attribute_list`]) gives them.
pub(crate) fn parse_list(list: Option<String>) -> Attributes {
    list.unwrap_or_default()
        .split(LIST_SEPARATOR)
        .filter_map(|pair| pair.split_once(PAIR_SEPARATOR))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// Every attribute as it is now, by name, held until the transaction ends so that no
/// edit of a definition lands between this read and the values written against it.
async fn held_definitions<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<HashMap<String, Attribute>, StoreError> {
    let qb = sql::<DB>(&format!("{ATTRIBUTE_COLUMNS}{}", DB::LOCK_SHARED));
    let rows = fetch_map(conn, qb, attribute_from_row::<DB>).await?;
    Ok(rows.into_iter().map(|a| (a.name.clone(), a)).collect())
}

/// Writes the values of these users (user id → all their values), in place of those they
/// held. Each value must still pass its attribute's check as the definition stands now
/// (another admin may have taken a choice away since the service checked it):
/// [`StoreError::AttributeRedefined`] otherwise.
pub(super) async fn write_values<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[(i64, &Attributes)],
    replace: bool,
) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    let writing = users.iter().any(|(_, values)| !values.is_empty());
    // Held before any value row is touched: an edit holding the attribute and then
    // rewriting its values could otherwise wait on this write while it waits on the edit.
    let defined = if writing {
        held_definitions::<DB>(&mut *conn).await?
    } else {
        HashMap::new()
    };
    if replace {
        let ids: Vec<i64> = users.iter().map(|(id, _)| *id).collect();
        let mut clear = sql::<DB>("DELETE FROM user_attributes WHERE 1 = 1");
        DB::push_id_set(&mut clear, "user_id", &ids);
        execute(&mut *conn, clear).await?;
    }
    if !writing {
        return Ok(());
    }
    let mut rows = Vec::new();
    for (user, values) in users {
        for (name, value) in *values {
            let Some(attribute) = defined.get(name) else {
                // Removed since the service checked the value: it goes with its attribute.
                continue;
            };
            if attribute.check(value).ok().as_ref() != Some(value) {
                return Err(StoreError::AttributeRedefined(name.clone()));
            }
            rows.push(vec![
                (*user).into(),
                attribute.id.0.into(),
                value.clone().into(),
                attribute.unique.then(|| value.clone()).into(),
            ]);
        }
    }
    insert_rows::<DB>(
        conn,
        "user_attributes (user_id, attribute_id, value, unique_value)",
        rows,
        plain::<DB>,
    )
    .await
    .map_err(|e| write_error::<DB>(e, "attributes", 0))
}
