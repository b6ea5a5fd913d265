//! Credentials, sign-in events, user tokens and queued messages.

use super::{
    Bind, Cells, audit, execute, fetch_all, fetch_map, fetch_one, fetch_optional, insert_rows,
    millis, plain, sql, users,
};
use crate::dialect::{Dialect, Value, backend};
use chrono::{DateTime, Utc};
use roster_core::{
    AccountChange, Credentials, NewTokenRecord, OutgoingMail, SignInEntry, StoreError, TokenFilter,
    TokenRecord, User, UserId, normalize_key,
};

pub(super) async fn credentials<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
) -> Result<Credentials, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT password_hash, totp_secret, totp_last_step, failed_sign_ins, code_hash, \
         code_expires_at FROM credentials WHERE user_id = ",
    );
    qb.bind(user.0);
    let Some(row) = fetch_optional(conn, qb).await? else {
        return Ok(Credentials::default());
    };
    let cells = Cells::<DB>(&row);
    Ok(Credentials {
        password_hash: cells.opt_text("password_hash")?,
        totp_secret: cells.opt_bytes("totp_secret")?,
        totp_last_step: cells.opt_int("totp_last_step")?,
        failed_sign_ins: cells.int("failed_sign_ins")?.try_into().unwrap_or(u32::MAX),
        code_hash: cells.opt_text("code_hash")?,
        code_expires_at: cells.opt_time("code_expires_at")?,
    })
}

pub(super) const CREDENTIAL_INSERT: &str = "credentials (user_id, password_hash, totp_secret, \
    totp_last_step, failed_sign_ins, code_hash, code_expires_at)";

/// A user's secrets as a row of `credentials`, in [`CREDENTIAL_INSERT`]'s order.
pub(super) fn credential_values(user: UserId, secrets: &Credentials) -> Vec<Value> {
    vec![
        user.0.into(),
        secrets.password_hash.clone().into(),
        secrets.totp_secret.clone().into(),
        secrets.totp_last_step.into(),
        i64::from(secrets.failed_sign_ins).into(),
        secrets.code_hash.clone().into(),
        secrets.code_expires_at.map(millis).into(),
    ]
}

pub(super) async fn write_credentials<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
    secrets: &Credentials,
) -> Result<(), StoreError> {
    let mut upsert = sql::<DB>(&format!("INSERT INTO {CREDENTIAL_INSERT} VALUES ("));
    upsert
        .bind_values(credential_values(user, secrets))
        .push(")");
    DB::upsert(
        &mut upsert,
        "user_id",
        &[
            "password_hash",
            "totp_secret",
            "totp_last_step",
            "failed_sign_ins",
            "code_hash",
            "code_expires_at",
        ],
    );
    execute(conn, upsert).await?;
    Ok(())
}

const MAIL_INSERT: &str = "outbox (created_at, kind, to_address, to_name, subject, body, \
    status, next_attempt_at)";

/// Queues the messages, in as few statements as the database takes.
pub(super) async fn write_mails<DB: Dialect>(
    conn: &mut DB::Connection,
    mails: &[OutgoingMail],
) -> Result<(), StoreError> {
    let rows = mails
        .iter()
        .map(|mail| {
            let now = millis(mail.queued_at);
            vec![
                now.into(),
                mail.kind.as_str().into(),
                mail.to_address.clone().into(),
                mail.to_name.clone().into(),
                mail.subject.clone().into(),
                mail.body.clone().into(),
                "queued".into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows::<DB>(conn, MAIL_INSERT, rows, plain::<DB>)
        .await
        .map_err(backend)
}

/// Every change in order; returns the users written.
pub(super) async fn save_accounts<DB: Dialect>(
    conn: &mut DB::Connection,
    changes: Vec<AccountChange>,
) -> Result<Vec<User>, StoreError> {
    let mut written = Vec::new();
    for change in &changes {
        if let Some(user) = &change.user {
            written.push(users::write_user::<DB>(&mut *conn, user).await?);
        }
        if let Some((user, secrets)) = &change.credentials {
            if let Some(read) = change.failures_read {
                check_failures::<DB>(&mut *conn, *user, read).await?;
            }
            write_credentials::<DB>(&mut *conn, *user, secrets).await?;
        }
        audit::write_all::<DB>(&mut *conn, &change.audit).await?;
        if let Some(event) = &change.sign_in {
            let mut insert = sql::<DB>(
                "INSERT INTO sign_in_events (at, user_id, login, login_key, workstation, origin, \
                 success, reason) VALUES (",
            );
            insert
                .bind_values(vec![
                    millis(event.at).into(),
                    event.user.map(|u| u.0).into(),
                    event.login.clone().into(),
                    normalize_key(&event.login).into(),
                    event.workstation.clone().into(),
                    event.origin.as_str().into(),
                    event.success.into(),
                    event.reason.clone().into(),
                ])
                .push(")");
            execute(&mut *conn, insert).await?;
        }
        write_mails::<DB>(&mut *conn, &change.mail).await?;
    }
    Ok(written)
}

/// Refuses as stale a count of failed attempts computed from `read` when the stored count
/// is no longer `read`. The UPDATE (which changes nothing) takes the row's lock, so a
/// concurrent attempt waits here and then sees this one's count.
async fn check_failures<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
    read: u32,
) -> Result<(), StoreError> {
    let mut check =
        sql::<DB>("UPDATE credentials SET failed_sign_ins = failed_sign_ins WHERE user_id = ");
    check
        .bind(user.0)
        .push(" AND failed_sign_ins = ")
        .bind(i64::from(read));
    if execute(&mut *conn, check).await? == 1 {
        return Ok(());
    }
    // No row yet counts as none.
    let mut exists = sql::<DB>("SELECT user_id FROM credentials WHERE user_id = ");
    exists.bind(user.0);
    if read == 0 && fetch_optional(conn, exists).await?.is_none() {
        return Ok(());
    }
    Err(StoreError::Stale)
}

pub(super) async fn owner_with_password_exists<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<bool, StoreError> {
    let qb = sql::<DB>(
        "SELECT u.id FROM users u JOIN credentials c ON c.user_id = u.id \
         WHERE u.role = 'owner' AND c.password_hash IS NOT NULL LIMIT 1",
    );
    Ok(fetch_optional(conn, qb).await?.is_some())
}

pub(super) async fn unknown_login_failures<DB: Dialect>(
    conn: &mut DB::Connection,
    login_key: &str,
    since: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT count(*) AS n FROM sign_in_events WHERE user_id IS NULL AND NOT success \
         AND login_key = ",
    );
    qb.bind(login_key).push(" AND at >= ").bind(millis(since));
    Cells::<DB>(&fetch_one(conn, qb).await?).count("n")
}

pub(super) async fn sign_ins<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
    limit: u32,
) -> Result<Vec<SignInEntry>, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT id, at, login, workstation, origin, success, reason FROM sign_in_events \
         WHERE user_id = ",
    );
    qb.bind(user.0)
        .push(" ORDER BY id DESC LIMIT ")
        .bind(i64::from(limit));
    fetch_map(conn, qb, |event| {
        Ok(SignInEntry {
            id: event.int("id")?,
            at: event.time("at")?,
            login: event.text("login")?,
            workstation: event.text("workstation")?,
            origin: event.origin("origin")?,
            success: event.boolean("success")?,
            reason: event.text("reason")?,
        })
    })
    .await
}

pub(super) async fn insert_token<DB: Dialect>(
    conn: &mut DB::Connection,
    token: &NewTokenRecord,
) -> Result<i64, StoreError> {
    let mut insert = sql::<DB>(
        "INSERT INTO user_tokens (user_id, token_hash, last4, created_at, created_by, expires_at) \
         VALUES (",
    );
    insert
        .bind_values(vec![
            token.user.0.into(),
            token.hash.clone().into(),
            token.last4.clone().into(),
            millis(token.created_at).into(),
            token.created_by.clone().into(),
            millis(token.expires_at).into(),
        ])
        .push(")");
    DB::insert_id(conn, insert)
        .await
        .map_err(|e| crate::dialect::write_error::<DB>(e, "user", 0))
}

const TOKEN_COLUMNS: &str = "SELECT t.id, t.user_id, u.username, t.last4, t.created_at, \
    t.created_by, t.expires_at, t.revoked_at, t.last_used_at \
    FROM user_tokens t JOIN users u ON u.id = t.user_id";

fn token_from_row<DB: Dialect>(row: &DB::Row) -> Result<TokenRecord, StoreError> {
    let cells = Cells::<DB>(row);
    Ok(TokenRecord {
        id: cells.int("id")?,
        user: UserId(cells.int("user_id")?),
        username: cells.text("username")?,
        last4: cells.text("last4")?,
        created_at: cells.time("created_at")?,
        created_by: cells.text("created_by")?,
        expires_at: cells.time("expires_at")?,
        revoked_at: cells.opt_time("revoked_at")?,
        last_used_at: cells.opt_time("last_used_at")?,
    })
}

pub(super) async fn get_token<DB: Dialect>(
    conn: &mut DB::Connection,
    id: i64,
) -> Result<Option<TokenRecord>, StoreError> {
    let mut qb = sql::<DB>(&format!("{TOKEN_COLUMNS} WHERE t.id = "));
    qb.bind(id);
    fetch_optional(conn, qb)
        .await?
        .as_ref()
        .map(token_from_row::<DB>)
        .transpose()
}

pub(super) async fn find_token<DB: Dialect>(
    conn: &mut DB::Connection,
    hash: &str,
) -> Result<Option<TokenRecord>, StoreError> {
    let mut qb = sql::<DB>(&format!("{TOKEN_COLUMNS} WHERE t.token_hash = "));
    qb.bind(hash);
    fetch_optional(conn, qb)
        .await?
        .as_ref()
        .map(token_from_row::<DB>)
        .transpose()
}

pub(super) async fn revoke_token<DB: Dialect>(
    conn: &mut DB::Connection,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = sql::<DB>("UPDATE user_tokens SET revoked_at = ");
    update
        .bind(millis(at))
        .push(" WHERE revoked_at IS NULL AND id = ")
        .bind(id);
    if execute(conn, update).await? == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

pub(super) async fn list_tokens<DB: Dialect>(
    conn: &mut DB::Connection,
    filter: &TokenFilter,
) -> Result<Vec<TokenRecord>, StoreError> {
    let mut qb = sql::<DB>(TOKEN_COLUMNS);
    qb.push(" WHERE 1 = 1");
    if let Some(user) = filter.user {
        qb.push(" AND t.user_id = ").bind(user.0);
    }
    if let Some(scope) = &filter.within {
        users::push_within(&mut qb, "u.organization_id", scope);
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
        qb.push(" AND t.expires_at > ").bind(millis(after));
    }
    if let Some(before) = filter.expires_before {
        qb.push(" AND t.expires_at <= ").bind(millis(before));
    }
    qb.push(" ORDER BY t.expires_at, t.id LIMIT ")
        .bind(i64::from(filter.limit));
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(token_from_row::<DB>)
        .collect()
}
