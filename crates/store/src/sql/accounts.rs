//! Credentials, sign-in events, user tokens and queued messages.

use super::{
    Bind, Cells, execute, fetch_all, fetch_map, fetch_one, fetch_optional, insert_rows, millis,
    plain, push_within, sql,
};
use crate::dialect::{Dialect, Value, backend};
use chrono::{DateTime, Utc};
use roster_core::{
    AccountState, Credentials, NewTokenRecord, OutgoingMail, SecretChange, SessionAccount,
    SignInEntry, SignInEvent, StoreError, TokenFilter, TokenRecord, UserId, normalize_key,
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

/// Applies changes to one user's secrets, each an update of only the columns it names:
/// a change never writes back what another made since the secrets were read.
pub(super) async fn change_secrets<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
    changes: &[SecretChange],
) -> Result<(), StoreError> {
    // Every change updates the account's one row of secrets, which it may not have yet.
    let mut row = sql::<DB>("INSERT INTO credentials (user_id) VALUES (");
    row.bind(user.0).push(")");
    DB::ignore_duplicates(&mut row, "user_id");
    execute(&mut *conn, row).await?;
    for change in changes {
        // (the SET clause, the condition the row must meet, whether not meeting it is stale)
        let mut update = sql::<DB>("UPDATE credentials SET ");
        let stale_unless_changed = match change {
            SecretChange::Password(hash) => {
                update
                    .push("password_hash = ")
                    .bind(hash.as_str())
                    .push(", failed_sign_ins = 0, code_hash = NULL, code_expires_at = NULL");
                false
            }
            SecretChange::Rehash { hash, .. } => {
                update.push("password_hash = ").bind(hash.as_str());
                false
            }
            SecretChange::Failure { .. } => {
                update.push("failed_sign_ins = failed_sign_ins + 1");
                true
            }
            SecretChange::ClearFailures => {
                update.push("failed_sign_ins = 0");
                false
            }
            SecretChange::TotpStep(step) => {
                update.push("totp_last_step = ").bind(*step);
                true
            }
            SecretChange::TotpSecret(secret) => {
                update
                    .push("totp_secret = ")
                    .bind(Some(secret.clone()))
                    .push(", totp_last_step = NULL");
                false
            }
            SecretChange::Code { hash, expires_at } => {
                update
                    .push("code_hash = ")
                    .bind(hash.as_str())
                    .push(", code_expires_at = ")
                    .bind(millis(*expires_at));
                false
            }
            SecretChange::UseCode { .. } => {
                update.push("code_hash = NULL, code_expires_at = NULL");
                true
            }
        };
        update.push(" WHERE user_id = ").bind(user.0);
        match change {
            SecretChange::Rehash { verified, .. } => {
                // A password set meanwhile is newer than the one just verified: keep it.
                update.push(" AND password_hash = ").bind(verified.as_str());
            }
            SecretChange::Failure { read } => {
                update
                    .push(" AND failed_sign_ins = ")
                    .bind(i64::from(*read));
            }
            SecretChange::TotpStep(step) => {
                update
                    .push(" AND (totp_last_step IS NULL OR totp_last_step < ")
                    .bind(*step)
                    .push(")");
            }
            SecretChange::UseCode { hash } => {
                update.push(" AND code_hash = ").bind(hash.as_str());
            }
            _ => {}
        }
        if execute(&mut *conn, update).await? == 0 && stale_unless_changed {
            return Err(StoreError::Stale);
        }
    }
    if changes.iter().any(SecretChange::ends_sessions) {
        end_sessions::<DB>(conn, "id = ", user.0).await?;
    }
    Ok(())
}

/// Moves the session generation of the accounts `condition` (an SQL condition ending in a
/// bound value) names: their signed-in sessions end at their next command.
pub(super) async fn end_sessions<DB: Dialect>(
    conn: &mut DB::Connection,
    condition: &str,
    value: impl Into<Value>,
) -> Result<(), StoreError> {
    let mut bump = sql::<DB>("UPDATE users SET session_generation = session_generation + 1 WHERE ");
    bump.push(condition).bind(value);
    execute(conn, bump).await.map(|_| ())
}

pub(super) async fn session_account<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
) -> Result<SessionAccount, StoreError> {
    let mut qb = sql::<DB>(
        "SELECT d.uid, u.status, u.role, u.session_generation FROM directory d \
         LEFT JOIN users u ON u.id = ",
    );
    qb.bind(user.0).push(" WHERE d.id = 1");
    let row = fetch_optional(conn, qb).await?.ok_or_else(|| {
        StoreError::Backend("the directory's record (directory, id 1) was deleted".into())
    })?;
    let cells = Cells::<DB>(&row);
    let account = match cells.opt_text("status")? {
        None => None,
        Some(status) => Some(AccountState {
            status: status.parse().map_err(StoreError::Backend)?,
            role: cells.text("role")?,
            generation: cells.int("session_generation")?,
        }),
    };
    Ok(SessionAccount {
        directory: cells.text("uid")?,
        account,
    })
}

const MAIL_INSERT: &str = "outbox (created_at, kind, user_id, to_address, to_name, subject, \
    body, secret, status, next_attempt_at)";

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
                mail.user.map(|u| u.0).into(),
                mail.to_address.clone().into(),
                mail.to_name.clone().into(),
                mail.subject.clone().into(),
                mail.body.clone().into(),
                mail.secret.clone().into(),
                "queued".into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows::<DB>(conn, MAIL_INSERT, rows, plain::<DB>)
        .await
        .map_err(backend)
}

/// Writes a sign-in attempt, as the Sign-ins tab and the lockout count read it.
pub(super) async fn record_sign_in<DB: Dialect>(
    conn: &mut DB::Connection,
    event: &SignInEvent,
) -> Result<(), StoreError> {
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
    execute(conn, insert).await.map(|_| ())
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
        push_within(&mut qb, "u.organization_id", scope);
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
