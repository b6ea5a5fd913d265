//! Organizations and teams as user rows name them: found by name, created when missing.

use super::{Bind, Cells, execute, fetch_one, fetch_optional, sql};
use crate::dialect::{Dialect, backend};
use roster_core::{StoreError, normalize_key};
use std::collections::HashMap;

/// An organization or team as a user row refers to it: by id, and by its name as stored
/// (the spelling it was first written with), which the row keeps as its sort key.
#[derive(Clone)]
pub(super) struct Named {
    pub id: i64,
    pub name: String,
}

impl Named {
    fn from_row<DB: Dialect>(row: &DB::Row) -> Result<Named, StoreError> {
        let cells = Cells::<DB>(row);
        Ok(Named {
            id: cells.int("id")?,
            name: cells.text("name")?,
        })
    }
}

/// The named organization or team, created when missing.
pub(super) async fn named_record<DB: Dialect>(
    conn: &mut DB::Connection,
    table: &'static str,
    name: Option<&str>,
    now: i64,
) -> Result<Option<Named>, StoreError> {
    let Some(name) = name else { return Ok(None) };
    let key = normalize_key(name);
    let find = || {
        let mut select = sql::<DB>(&format!("SELECT id, name FROM {table} WHERE name_key = "));
        select.bind(key.clone());
        select
    };
    if let Some(row) = fetch_optional(&mut *conn, find()).await? {
        return Named::from_row::<DB>(&row).map(Some);
    }
    DB::lock_new_names(&mut *conn).await.map_err(backend)?;
    let mut insert = sql::<DB>(&format!(
        "INSERT INTO {table} (name, name_key, created_at) VALUES ("
    ));
    insert
        .bind(name)
        .push(", ")
        .bind(&key)
        .push(", ")
        .bind(now)
        .push(")");
    DB::ignore_duplicates(&mut insert, "name_key");
    execute(&mut *conn, insert).await?;
    Named::from_row::<DB>(&fetch_one(conn, find()).await?).map(Some)
}

/// Organizations and teams found, or created, by name: each name looked up once per write.
#[derive(Default)]
pub(super) struct NamedRecords(HashMap<(&'static str, String), Option<Named>>);

impl NamedRecords {
    pub(super) async fn get<DB: Dialect>(
        &mut self,
        conn: &mut DB::Connection,
        table: &'static str,
        name: &Option<String>,
        now: i64,
    ) -> Result<Option<Named>, StoreError> {
        let Some(name) = name.as_deref() else {
            return Ok(None);
        };
        let key = (table, normalize_key(name));
        if let Some(known) = self.0.get(&key) {
            return Ok(known.clone());
        }
        let found = named_record::<DB>(conn, table, Some(name), now).await?;
        self.0.insert(key, found.clone());
        Ok(found)
    }
}
