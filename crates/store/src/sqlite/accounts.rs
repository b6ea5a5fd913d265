//! Credentials, sign-in events, tokens, roles, settings and the outbox on SQLite.

use super::{SqliteRepository, backend, from_millis, millis, write_audit, write_user};
use chrono::{DateTime, Utc};
use roster_core::{
    AccountChange, AuditRecord, Credentials, MailKind, MailMessage, MailStatus, NewTokenRecord,
    Origin, OutgoingMail, Permission, Settings, SignInEntry, StoreError, TokenFilter, TokenRecord,
    User, UserId, normalize_key,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

pub(super) async fn credentials(
    repo: &SqliteRepository,
    user: UserId,
) -> Result<Credentials, StoreError> {
    let row = sqlx::query(
        "SELECT password_hash, totp_secret, totp_last_step, failed_sign_ins, code_hash, code_expires_at \
         FROM credentials WHERE user_id = ?",
    )
    .bind(user.0)
    .fetch_optional(&repo.pool)
    .await
    .map_err(backend)?;
    let Some(row) = row else {
        return Ok(Credentials::default());
    };
    Ok(Credentials {
        password_hash: row.try_get("password_hash").map_err(backend)?,
        totp_secret: row.try_get("totp_secret").map_err(backend)?,
        totp_last_step: row.try_get("totp_last_step").map_err(backend)?,
        failed_sign_ins: row
            .try_get::<i64, _>("failed_sign_ins")
            .map_err(backend)?
            .try_into()
            .unwrap_or(u32::MAX),
        code_hash: row.try_get("code_hash").map_err(backend)?,
        code_expires_at: row
            .try_get::<Option<i64>, _>("code_expires_at")
            .map_err(backend)?
            .map(from_millis),
    })
}

pub(super) async fn write_credentials(
    conn: &mut SqliteConnection,
    user: UserId,
    secrets: &Credentials,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO credentials (user_id, password_hash, totp_secret, totp_last_step, failed_sign_ins, code_hash, code_expires_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, \
         totp_secret = excluded.totp_secret, totp_last_step = excluded.totp_last_step, \
         failed_sign_ins = excluded.failed_sign_ins, code_hash = excluded.code_hash, \
         code_expires_at = excluded.code_expires_at",
    )
    .bind(user.0)
    .bind(&secrets.password_hash)
    .bind(&secrets.totp_secret)
    .bind(secrets.totp_last_step)
    .bind(i64::from(secrets.failed_sign_ins))
    .bind(&secrets.code_hash)
    .bind(secrets.code_expires_at.map(millis))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn save_accounts(
    repo: &SqliteRepository,
    changes: Vec<AccountChange>,
) -> Result<Vec<User>, StoreError> {
    let mut tx = repo.begin_write().await?;
    let mut written = Vec::new();
    for change in &changes {
        if let Some(user) = &change.user {
            written.push(write_user(&mut tx, user).await?);
        }
        if let Some((user, secrets)) = &change.credentials {
            write_credentials(&mut tx, *user, secrets).await?;
        }
        for record in &change.audit {
            write_audit(&mut tx, record).await?;
        }
        if let Some(event) = &change.sign_in {
            sqlx::query(
                "INSERT INTO sign_in_events (at, user_id, login, login_key, workstation, origin, success, reason) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(millis(event.at))
            .bind(event.user.map(|u| u.0))
            .bind(&event.login)
            .bind(normalize_key(&event.login))
            .bind(&event.workstation)
            .bind(event.origin.as_str())
            .bind(event.success)
            .bind(&event.reason)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        for mail in &change.mail {
            write_mail(&mut tx, mail).await?;
        }
    }
    tx.commit().await.map_err(backend)?;
    Ok(written)
}

pub(super) async fn write_mail(
    conn: &mut SqliteConnection,
    mail: &OutgoingMail,
) -> Result<(), StoreError> {
    let now = millis(mail.queued_at);
    sqlx::query(
        "INSERT INTO outbox (created_at, kind, to_address, to_name, subject, body, status, next_attempt_at) \
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)",
    )
    .bind(now)
    .bind(mail.kind.as_str())
    .bind(&mail.to_address)
    .bind(&mail.to_name)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn owner_with_password_exists(
    repo: &SqliteRepository,
) -> Result<bool, StoreError> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users u JOIN credentials c ON c.user_id = u.id \
         WHERE u.role = 'owner' AND c.password_hash IS NOT NULL)",
    )
    .fetch_one(&repo.pool)
    .await
    .map_err(backend)
}

pub(super) async fn unknown_login_failures(
    repo: &SqliteRepository,
    login_key: &str,
    since: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sign_in_events WHERE user_id IS NULL AND login_key = ? AND at >= ? AND NOT success",
    )
    .bind(login_key)
    .bind(millis(since))
    .fetch_one(&repo.pool)
    .await
    .map_err(backend)?;
    Ok(count.max(0) as u64)
}

pub(super) async fn sign_ins(
    repo: &SqliteRepository,
    user: UserId,
    limit: u32,
) -> Result<Vec<SignInEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, at, login, workstation, origin, success, reason FROM sign_in_events \
         WHERE user_id = ? ORDER BY id DESC LIMIT ?",
    )
    .bind(user.0)
    .bind(i64::from(limit))
    .fetch_all(&repo.pool)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|row| {
            let origin: String = row.try_get("origin").map_err(backend)?;
            Ok(SignInEntry {
                id: row.try_get("id").map_err(backend)?,
                at: from_millis(row.try_get("at").map_err(backend)?),
                login: row.try_get("login").map_err(backend)?,
                workstation: row.try_get("workstation").map_err(backend)?,
                origin: Origin::parse(&origin)
                    .ok_or_else(|| StoreError::Backend(format!("unknown origin '{origin}'")))?,
                success: row.try_get("success").map_err(backend)?,
                reason: row.try_get("reason").map_err(backend)?,
            })
        })
        .collect()
}

pub(super) async fn insert_token(
    repo: &SqliteRepository,
    token: &NewTokenRecord,
    audit: AuditRecord,
) -> Result<i64, StoreError> {
    let mut tx = repo.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO user_tokens (user_id, token_hash, last4, created_at, created_by, expires_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(token.user.0)
    .bind(&token.hash)
    .bind(&token.last4)
    .bind(millis(token.created_at))
    .bind(&token.created_by)
    .bind(millis(token.expires_at))
    .fetch_one(&mut *tx)
    .await
    .map_err(backend)?;
    write_audit(&mut tx, &audit).await?;
    tx.commit().await.map_err(backend)?;
    Ok(id)
}

const TOKEN_COLUMNS: &str = "SELECT t.id, t.user_id, u.username, t.last4, t.created_at, \
    t.created_by, t.expires_at, t.revoked_at FROM user_tokens t JOIN users u ON u.id = t.user_id";

fn token_from_row(row: &SqliteRow) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: row.try_get("id").map_err(backend)?,
        user: UserId(row.try_get("user_id").map_err(backend)?),
        username: row.try_get("username").map_err(backend)?,
        last4: row.try_get("last4").map_err(backend)?,
        created_at: from_millis(row.try_get("created_at").map_err(backend)?),
        created_by: row.try_get("created_by").map_err(backend)?,
        expires_at: from_millis(row.try_get("expires_at").map_err(backend)?),
        revoked_at: row
            .try_get::<Option<i64>, _>("revoked_at")
            .map_err(backend)?
            .map(from_millis),
    })
}

pub(super) async fn get_token(
    repo: &SqliteRepository,
    id: i64,
) -> Result<Option<TokenRecord>, StoreError> {
    let row = sqlx::query(&format!("{TOKEN_COLUMNS} WHERE t.id = ?"))
        .bind(id)
        .fetch_optional(&repo.pool)
        .await
        .map_err(backend)?;
    row.as_ref().map(token_from_row).transpose()
}

pub(super) async fn revoke_token(
    repo: &SqliteRepository,
    id: i64,
    at: DateTime<Utc>,
    audit: AuditRecord,
) -> Result<(), StoreError> {
    let mut tx = repo.begin_write().await?;
    let result =
        sqlx::query("UPDATE user_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(millis(at))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    if result.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    write_audit(&mut tx, &audit).await?;
    tx.commit().await.map_err(backend)
}

pub(super) async fn list_tokens(
    repo: &SqliteRepository,
    filter: &TokenFilter,
) -> Result<Vec<TokenRecord>, StoreError> {
    let mut qb = QueryBuilder::<Sqlite>::new(TOKEN_COLUMNS);
    qb.push(" WHERE 1 = 1");
    if let Some(user) = filter.user {
        qb.push(" AND t.user_id = ").push_bind(user.0);
    }
    match filter.revoked {
        Some(true) => {
            qb.push(" AND t.revoked_at IS NOT NULL");
        }
        Some(false) => {
            qb.push(" AND t.revoked_at IS NULL");
        }
        None => {}
    }
    if let Some(after) = filter.expires_after {
        qb.push(" AND t.expires_at > ").push_bind(millis(after));
    }
    if let Some(before) = filter.expires_before {
        qb.push(" AND t.expires_at <= ").push_bind(millis(before));
    }
    qb.push(" ORDER BY t.expires_at, t.id LIMIT ")
        .push_bind(i64::from(filter.limit));
    let rows = qb.build().fetch_all(&repo.pool).await.map_err(backend)?;
    rows.iter().map(token_from_row).collect()
}

pub(super) async fn role_permissions(
    repo: &SqliteRepository,
) -> Result<Vec<(String, Permission)>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT role, permission FROM role_permissions ORDER BY role, permission")
            .fetch_all(&repo.pool)
            .await
            .map_err(backend)?;
    // A permission this version does not know (written by a newer one) grants nothing.
    Ok(rows
        .into_iter()
        .filter_map(|(role, p)| Permission::parse(&p).map(|p| (role, p)))
        .collect())
}

pub(super) async fn role_user_counts(
    repo: &SqliteRepository,
) -> Result<Vec<(String, i64)>, StoreError> {
    sqlx::query_as("SELECT lower(role), count(*) FROM users GROUP BY lower(role)")
        .fetch_all(&repo.pool)
        .await
        .map_err(backend)
}

pub(super) async fn role_rows(
    repo: &SqliteRepository,
) -> Result<Vec<(String, String, bool)>, StoreError> {
    sqlx::query_as("SELECT name, description, built_in FROM roles ORDER BY built_in DESC, rowid")
        .fetch_all(&repo.pool)
        .await
        .map_err(backend)
}

pub(super) async fn save_role(
    repo: &SqliteRepository,
    name: &str,
    description: &str,
    permissions: &[Permission],
    audit: AuditRecord,
) -> Result<(), StoreError> {
    let mut tx = repo.begin_write().await?;
    sqlx::query(
        "INSERT INTO roles (name, built_in, description) VALUES (?, 0, ?) \
         ON CONFLICT (name) DO UPDATE SET description = excluded.description WHERE built_in = 0",
    )
    .bind(name)
    .bind(description)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    sqlx::query("DELETE FROM role_permissions WHERE role = ?")
        .bind(name)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    for permission in permissions {
        sqlx::query("INSERT INTO role_permissions (role, permission) VALUES (?, ?)")
            .bind(name)
            .bind(permission.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    write_audit(&mut tx, &audit).await?;
    tx.commit().await.map_err(backend)
}

pub(super) async fn delete_role(
    repo: &SqliteRepository,
    name: &str,
    audit: AuditRecord,
) -> Result<(), StoreError> {
    let mut tx = repo.begin_write().await?;
    sqlx::query("DELETE FROM roles WHERE name = ? AND built_in = 0")
        .bind(name)
        .execute(&mut *tx)
        .await
        .map_err(|e| super::write_error(e, "role", 0))?;
    write_audit(&mut tx, &audit).await?;
    tx.commit().await.map_err(backend)
}

pub(super) async fn settings(repo: &SqliteRepository) -> Result<Option<Settings>, StoreError> {
    read_settings(&mut *repo.pool.acquire().await.map_err(backend)?).await
}

async fn read_settings(conn: &mut SqliteConnection) -> Result<Option<Settings>, StoreError> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
    value
        .map(|v| {
            serde_json::from_str(&v).map_err(|e| {
                StoreError::Backend(format!("the stored settings are unreadable: {e}"))
            })
        })
        .transpose()
}

pub(super) async fn save_settings(
    repo: &SqliteRepository,
    settings: &Settings,
    audit: AuditRecord,
) -> Result<Settings, StoreError> {
    let mut tx = repo.begin_write().await?;
    let stored = read_settings(&mut tx).await?.map_or(0, |s| s.version);
    if stored != settings.version {
        return Err(StoreError::Stale);
    }
    let saved = Settings {
        version: stored + 1,
        ..settings.clone()
    };
    let value = serde_json::to_string(&saved).map_err(|e| StoreError::Backend(e.to_string()))?;
    sqlx::query(
        "INSERT INTO settings (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value",
    )
    .bind(value)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    write_audit(&mut tx, &audit).await?;
    tx.commit().await.map_err(backend)?;
    Ok(saved)
}

const MAIL_COLUMNS: &str = "SELECT id, created_at, kind, to_address, to_name, subject, body, \
    status, attempts, last_error, next_attempt_at, sent_at FROM outbox";

fn mail_from_row(row: &SqliteRow) -> Result<MailMessage, StoreError> {
    let kind: String = row.try_get("kind").map_err(backend)?;
    let status: String = row.try_get("status").map_err(backend)?;
    Ok(MailMessage {
        id: row.try_get("id").map_err(backend)?,
        created_at: from_millis(row.try_get("created_at").map_err(backend)?),
        kind: MailKind::parse(&kind)
            .ok_or_else(|| StoreError::Backend(format!("unknown message kind '{kind}'")))?,
        to_address: row.try_get("to_address").map_err(backend)?,
        to_name: row.try_get("to_name").map_err(backend)?,
        subject: row.try_get("subject").map_err(backend)?,
        body: row.try_get("body").map_err(backend)?,
        status: MailStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("unknown message status '{status}'")))?,
        attempts: row
            .try_get::<i64, _>("attempts")
            .map_err(backend)?
            .try_into()
            .unwrap_or(u32::MAX),
        last_error: row.try_get("last_error").map_err(backend)?,
        next_attempt_at: from_millis(row.try_get("next_attempt_at").map_err(backend)?),
        sent_at: row
            .try_get::<Option<i64>, _>("sent_at")
            .map_err(backend)?
            .map(from_millis),
    })
}

pub(super) async fn list_mail(
    repo: &SqliteRepository,
    limit: u32,
) -> Result<Vec<MailMessage>, StoreError> {
    let rows = sqlx::query(&format!("{MAIL_COLUMNS} ORDER BY id DESC LIMIT ?"))
        .bind(i64::from(limit))
        .fetch_all(&repo.pool)
        .await
        .map_err(backend)?;
    rows.iter().map(mail_from_row).collect()
}

pub(super) async fn get_mail(
    repo: &SqliteRepository,
    id: i64,
) -> Result<Option<MailMessage>, StoreError> {
    let row = sqlx::query(&format!("{MAIL_COLUMNS} WHERE id = ?"))
        .bind(id)
        .fetch_optional(&repo.pool)
        .await
        .map_err(backend)?;
    row.as_ref().map(mail_from_row).transpose()
}

pub(super) async fn due_mail(
    repo: &SqliteRepository,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<MailMessage>, StoreError> {
    let rows = sqlx::query(&format!(
        "{MAIL_COLUMNS} WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?"
    ))
    .bind(millis(now))
    .bind(i64::from(limit))
    .fetch_all(&repo.pool)
    .await
    .map_err(backend)?;
    rows.iter().map(mail_from_row).collect()
}

pub(super) async fn update_mail(
    repo: &SqliteRepository,
    mail: &MailMessage,
) -> Result<(), StoreError> {
    let mut tx = repo.begin_write().await?;
    sqlx::query(
        "UPDATE outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, sent_at = ? WHERE id = ?",
    )
    .bind(mail.status.as_str())
    .bind(i64::from(mail.attempts))
    .bind(&mail.last_error)
    .bind(millis(mail.next_attempt_at))
    .bind(mail.sent_at.map(millis))
    .bind(mail.id)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await.map_err(backend)
}
