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

const ATTRIBUTE_COLUMNS: &str = "SELECT a.id, a.name, a.label, a.kind, a.choices, a.required, \
    a.is_unique, a.organization_id, o.name AS organization, a.created_at, a.created_by \
    FROM attributes a LEFT JOIN organizations o ON o.id = a.organization_id";

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

/// How each attribute is kept: its id, and whether its values are unique.
pub(super) async fn ids_by_name<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<HashMap<String, (i64, bool)>, StoreError> {
    let qb = sql::<DB>("SELECT id, name, is_unique FROM attributes");
    let rows = fetch_map(conn, qb, |cells: &Cells<'_, DB>| {
        Ok((
            cells.text("name")?,
            (cells.int("id")?, cells.boolean("is_unique")?),
        ))
    })
    .await?;
    Ok(rows.into_iter().collect())
}

/// Writes the values of these users (user id → all their values), in place of those they
/// held. `index` is the first user's position in the write, for a duplicate's error.
pub(super) async fn write_values<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[(i64, &Attributes)],
    replace: bool,
) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    if replace {
        let ids: Vec<i64> = users.iter().map(|(id, _)| *id).collect();
        let mut clear = sql::<DB>("DELETE FROM user_attributes WHERE 1 = 1");
        DB::push_id_set(&mut clear, "user_id", &ids);
        execute(&mut *conn, clear).await?;
    }
    if users.iter().all(|(_, values)| values.is_empty()) {
        return Ok(());
    }
    let defined = ids_by_name::<DB>(&mut *conn).await?;
    let mut rows = Vec::new();
    for (user, values) in users {
        for (name, value) in *values {
            let Some((attribute, unique)) = defined.get(name) else {
                // Removed since the service checked the value: it goes with its attribute.
                continue;
            };
            rows.push(vec![
                (*user).into(),
                (*attribute).into(),
                value.clone().into(),
                unique.then(|| value.clone()).into(),
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
