//! Roles and their permissions, the settings document, and the outbox.

use super::{Bind, Cells, execute, fetch_all, fetch_map, fetch_one, fetch_optional, millis, sql};
use crate::dialect::{Dialect, Refusal, backend, write_error};
use chrono::{DateTime, Utc};
use roster_core::{
    Census, MailKind, MailMessage, MailStatus, Permission, RoleRow, Settings, StoreError, UserId,
};

/// Built-in roles first, from most to least rights, then custom roles by name.
const ROLE_ORDER: &str = " ORDER BY built_in DESC, CASE name WHEN 'owner' THEN 1 \
    WHEN 'admin' THEN 2 WHEN 'helpdesk' THEN 3 WHEN 'auditor' THEN 4 WHEN 'user' THEN 5 \
    ELSE 6 END, name";

pub(super) async fn role_rows<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<RoleRow>, StoreError> {
    let qb = sql::<DB>(&format!(
        "SELECT name, description, built_in, version FROM roles{ROLE_ORDER}"
    ));
    fetch_map(conn, qb, |role| {
        Ok(RoleRow {
            name: role.text("name")?,
            description: role.text("description")?,
            built_in: role.boolean("built_in")?,
            version: role.int("version")?,
        })
    })
    .await
}

pub(super) async fn role_permissions<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<(String, Permission)>, StoreError> {
    let qb = sql::<DB>("SELECT role, permission FROM role_permissions ORDER BY role, permission");
    let mut granted = Vec::new();
    for row in fetch_all(conn, qb).await? {
        let cells = Cells::<DB>(&row);
        // A permission this version does not know (written by a newer one) grants nothing.
        if let Some(permission) = Permission::parse(&cells.text("permission")?) {
            granted.push((cells.text("role")?, permission));
        }
    }
    Ok(granted)
}

pub(super) async fn role_user_counts<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<(String, i64)>, StoreError> {
    let qb = sql::<DB>("SELECT lower(role) AS role, count(*) AS n FROM users GROUP BY lower(role)");
    fetch_map(conn, qb, |count| Ok((count.text("role")?, count.int("n")?))).await
}

/// Creates or replaces a custom role and its permissions (built-in roles stay as they are).
pub(super) async fn save_role<DB: Dialect>(
    conn: &mut DB::Connection,
    name: &str,
    description: &str,
    permissions: &[Permission],
    version: Option<i64>,
) -> Result<(), StoreError> {
    match version {
        None => {
            let mut insert = sql::<DB>("INSERT INTO roles (name, built_in, description) VALUES (");
            insert
                .bind_values(vec![name.into(), false.into(), description.into()])
                .push(")");
            DB::execute(&mut *conn, insert)
                .await
                .map_err(|e| write_error::<DB>(e, "role", 0))?;
        }
        Some(version) => {
            let mut update = sql::<DB>("UPDATE roles SET description = ");
            update
                .bind(description)
                .push(", version = version + 1 WHERE built_in = ")
                .bind(false)
                .push(" AND name = ")
                .bind(name)
                .push(" AND version = ")
                .bind(version);
            if execute(&mut *conn, update).await? == 0 {
                let mut exists = sql::<DB>("SELECT count(*) AS n FROM roles WHERE name = ");
                exists.bind(name);
                let found = fetch_map(conn, exists, |row| row.int("n")).await?;
                return Err(if found.first().is_some_and(|n| *n > 0) {
                    StoreError::Stale
                } else {
                    StoreError::NotFound
                });
            }
        }
    }
    let mut clear = sql::<DB>("DELETE FROM role_permissions WHERE role = ");
    clear.bind(name);
    execute(&mut *conn, clear).await?;
    // What the role's holders may do changed: their sessions are opened again.
    super::accounts::end_sessions::<DB>(&mut *conn, "role = ", name).await?;
    for permission in permissions {
        let mut grant = sql::<DB>("INSERT INTO role_permissions (role, permission) VALUES (");
        grant
            .bind_values(vec![name.into(), permission.as_str().into()])
            .push(")");
        execute(&mut *conn, grant).await?;
    }
    Ok(())
}

/// Deletes a custom role; [`StoreError::MissingReference`] while users have it.
pub(super) async fn delete_role<DB: Dialect>(
    conn: &mut DB::Connection,
    name: &str,
) -> Result<(), StoreError> {
    let mut delete = sql::<DB>("DELETE FROM roles WHERE built_in = ");
    delete.bind(false).push(" AND name = ").bind(name);
    DB::execute(conn, delete)
        .await
        .map_err(|e| write_error::<DB>(e, "role", 0))?;
    Ok(())
}

pub(super) async fn settings<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Option<Settings>, StoreError> {
    stored_settings::<DB>(conn)
        .await?
        .map(|text| parse_settings(&text))
        .transpose()
}

/// The settings document's text, as stored.
async fn stored_settings<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Option<String>, StoreError> {
    let qb = sql::<DB>("SELECT value FROM settings WHERE id = 1");
    let Some(row) = fetch_optional(conn, qb).await? else {
        return Ok(None);
    };
    Cells::<DB>(&row).text("value").map(Some)
}

fn parse_settings(text: &str) -> Result<Settings, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("the stored settings are unreadable: {e}")))
}

/// Writes the settings as the next version, if nobody saved since `settings.version`.
///
/// The write itself checks that the stored document is still the one read: on a server,
/// two admins' transactions can both read version 3, and only the database can tell the
/// second that the first saved in between (it waits for the first, then finds no row
/// matching and is refused as stale, so core reads again and retries).
pub(super) async fn save_settings<DB: Dialect>(
    conn: &mut DB::Connection,
    settings: &Settings,
) -> Result<Settings, StoreError> {
    let stored = stored_settings::<DB>(&mut *conn).await?;
    let stored_version = match &stored {
        Some(text) => parse_settings(text)?.version,
        None => 0,
    };
    if stored_version != settings.version {
        return Err(StoreError::Stale);
    }
    let saved = Settings {
        version: settings.version + 1,
        ..settings.clone()
    };
    let value = serde_json::to_string(&saved).map_err(|e| StoreError::Backend(e.to_string()))?;
    let write = match stored {
        Some(read) => {
            let mut update = sql::<DB>("UPDATE settings SET value = ");
            update
                .bind(value)
                .push(" WHERE id = 1 AND value = ")
                .bind(read);
            update
        }
        None => {
            let mut insert = sql::<DB>("INSERT INTO settings (id, value) VALUES (1, ");
            insert.bind(value).push(")");
            insert
        }
    };
    // A first save racing another: the one that comes second finds the row taken.
    let written = DB::execute(conn, write)
        .await
        .map_err(|e| match DB::refusal(&e) {
            Some(Refusal::Unique { .. }) => StoreError::Stale,
            _ => backend(e),
        })?;
    if written == 0 {
        return Err(StoreError::Stale);
    }
    Ok(saved)
}

const MAIL_COLUMNS: &str = "SELECT id, created_at, kind, user_id, to_address, to_name, subject, \
    body, status, attempts, last_error, next_attempt_at, sent_at, secret FROM outbox";

fn mail_from_row<DB: Dialect>(row: &DB::Row) -> Result<MailMessage, StoreError> {
    let cells = Cells::<DB>(row);
    let kind = cells.text("kind")?;
    let status = cells.text("status")?;
    let secret = cells.opt_text("secret")?;
    Ok(MailMessage {
        id: cells.int("id")?,
        created_at: cells.time("created_at")?,
        kind: MailKind::parse(&kind)
            .ok_or_else(|| StoreError::Backend(format!("unknown message kind '{kind}'")))?,
        user_id: cells.opt_int("user_id")?.map(UserId),
        to_address: cells.text("to_address")?,
        to_name: cells.text("to_name")?,
        subject: cells.text("subject")?,
        body: cells.text("body")?,
        status: MailStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("unknown message status '{status}'")))?,
        attempts: cells.int("attempts")?.try_into().unwrap_or(u32::MAX),
        last_error: cells.opt_text("last_error")?,
        next_attempt_at: cells.time("next_attempt_at")?,
        sent_at: cells.opt_time("sent_at")?,
        has_code: secret.is_some(),
        secret,
    })
}

async fn mail_where<DB: Dialect>(
    conn: &mut DB::Connection,
    qb: sqlx::QueryBuilder<'_, DB>,
) -> Result<Vec<MailMessage>, StoreError> {
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(mail_from_row::<DB>)
        .collect()
}

/// Newest first.
pub(super) async fn list_mail<DB: Dialect>(
    conn: &mut DB::Connection,
    limit: u32,
) -> Result<Vec<MailMessage>, StoreError> {
    let mut qb = sql::<DB>(&format!("{MAIL_COLUMNS} ORDER BY id DESC LIMIT "));
    qb.bind(i64::from(limit));
    mail_where::<DB>(conn, qb).await
}

pub(super) async fn get_mail<DB: Dialect>(
    conn: &mut DB::Connection,
    id: i64,
) -> Result<Option<MailMessage>, StoreError> {
    let mut qb = sql::<DB>(&format!("{MAIL_COLUMNS} WHERE id = "));
    qb.bind(id);
    Ok(mail_where::<DB>(conn, qb).await?.pop())
}

/// Queued messages whose next attempt is due, oldest first.
pub(super) async fn due_mail<DB: Dialect>(
    conn: &mut DB::Connection,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<MailMessage>, StoreError> {
    let mut qb = sql::<DB>(&format!(
        "{MAIL_COLUMNS} WHERE status = 'queued' AND next_attempt_at <= "
    ));
    qb.bind(millis(now))
        .push(" ORDER BY id LIMIT ")
        .bind(i64::from(limit));
    mail_where::<DB>(conn, qb).await
}

/// Stores the outcome of a send attempt.
pub(super) async fn update_mail<DB: Dialect>(
    conn: &mut DB::Connection,
    mail: &MailMessage,
) -> Result<(), StoreError> {
    let mut update = sql::<DB>("UPDATE outbox SET status = ");
    update
        .bind(mail.status.as_str())
        .push(", attempts = ")
        .bind(i64::from(mail.attempts))
        .push(", last_error = ")
        .bind(mail.last_error.clone())
        .push(", next_attempt_at = ")
        .bind(millis(mail.next_attempt_at))
        .push(", sent_at = ")
        .bind(mail.sent_at.map(millis))
        .push(", body = ")
        .bind(mail.body.as_str())
        .push(", secret = ")
        .bind(mail.secret.clone())
        .push(" WHERE id = ")
        .bind(mail.id);
    execute(conn, update).await?;
    Ok(())
}

/// How many of each record the directory holds, its schema version and its size.
pub(super) async fn census<DB: Dialect>(
    conn: &mut DB::Connection,
    location: String,
) -> Result<Census, StoreError> {
    let qb = sql::<DB>(
        "SELECT (SELECT MAX(version) FROM _sqlx_migrations) AS schema_version, \
         (SELECT count(*) FROM users) AS users, \
         (SELECT count(*) FROM \"groups\") AS group_count, \
         (SELECT count(*) FROM organizations) AS organizations, \
         (SELECT count(*) FROM devices) AS devices, \
         (SELECT count(*) FROM user_tokens) AS user_tokens, \
         (SELECT count(*) FROM audit_log) AS audit_entries, \
         (SELECT count(*) FROM outbox WHERE status = 'queued') AS queued_messages",
    );
    let counts = fetch_one(conn, qb).await?;
    let count = |column: &str| DB::int(&counts, column).map(|n| n.max(0) as u64);
    let size = fetch_one(conn, sql::<DB>(DB::SIZE_QUERY)).await?;
    Ok(Census {
        backend: DB::BACKEND.to_owned(),
        location,
        schema_version: DB::opt_int(&counts, "schema_version").map_err(backend)?,
        bytes: DB::opt_int(&size, "bytes")
            .map_err(backend)?
            .map(|n| n.max(0) as u64),
        users: count("users").map_err(backend)?,
        groups: count("group_count").map_err(backend)?,
        organizations: count("organizations").map_err(backend)?,
        devices: count("devices").map_err(backend)?,
        user_tokens: count("user_tokens").map_err(backend)?,
        audit_entries: count("audit_entries").map_err(backend)?,
        queued_messages: count("queued_messages").map_err(backend)?,
    })
}
