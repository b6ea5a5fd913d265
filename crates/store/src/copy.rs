//! `roster db copy`: a whole directory from one database to another, of any two backends
//! (the office's SQLite file onto a new server, or back). Every table is copied with its
//! ids, in one transaction on the target, and the row counts of both sides are compared
//! before it commits.

use crate::OpenError;
use crate::dialect::{Dialect, Value};
use crate::sql::{Bind, insert_rows, plain, set_managers, sql};
use roster_core::UserField;

/// How a column is read from the source and bound into the target.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    OptInt,
    Text,
    OptText,
    Bool,
    OptBytes,
}

/// A table to copy: its columns, and the integer column whose ranges split it into reads
/// of a bounded size (tables of a million rows and more are never read whole).
struct Table {
    name: &'static str,
    chunk_by: &'static str,
    columns: &'static [(&'static str, Kind)],
    /// Rows the target's own migrations already hold are left out (the built-in roles).
    only: &'static str,
    /// Every database has these rows (the audit chain's ends, the kept user counts):
    /// replaced, never counted as data the target holds.
    bookkeeping: bool,
}

use Kind::{Bool, Int, OptBytes, OptInt, OptText, Text};

/// Organizations and teams: a name and the key it is unique by.
const NAMED_RECORD: &[(&str, Kind)] = &[
    ("id", Int),
    ("name", Text),
    ("name_key", Text),
    ("created_at", Int),
];

/// Parents before children, so every reference is there when its row arrives. Every table
/// but `name_claims`, whose rows are locks writers take, not data.
const TABLES: &[Table] = &[
    Table {
        name: "roles",
        chunk_by: "",
        columns: &[
            ("name", Text),
            ("built_in", Bool),
            ("description", Text),
            ("version", Int),
        ],
        only: " WHERE NOT built_in",
        bookkeeping: false,
    },
    Table {
        name: "role_permissions",
        chunk_by: "",
        columns: &[("role", Text), ("permission", Text)],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "organizations",
        chunk_by: "id",
        columns: NAMED_RECORD,
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "teams",
        chunk_by: "id",
        columns: NAMED_RECORD,
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "users",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("username", Text),
            ("username_key", Text),
            ("username_lookalike", OptText),
            ("email", Text),
            ("email_key", Text),
            ("email_lookalike", OptText),
            ("first_name", Text),
            ("last_name", Text),
            ("phone", OptText),
            ("organization_id", OptInt),
            ("organization_name", OptText),
            ("team_id", OptInt),
            ("team_name", OptText),
            ("group_count", Int),
            ("device_count", Int),
            ("role", Text),
            ("identity_provider", Text),
            ("status", Text),
            ("two_factor", Text),
            ("created_at", Int),
            ("modified_at", Int),
            ("last_sign_in_at", OptInt),
            ("password_changed_at", OptInt),
            ("created_by", Text),
            ("version", Int),
            // Sessions hold the generation they were checked at: a copy that reset it
            // would let a session ended by a role or password change hold again.
            ("session_generation", Int),
            // With each profile field's column after these ([`columns_of`]); the manager
            // is linked once every user is there ([`copy_managers`]).
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "attributes",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("label", Text),
            ("kind", Text),
            ("choices", Text),
            ("required", Bool),
            ("is_unique", Bool),
            ("organization_id", OptInt),
            ("created_at", Int),
            ("created_by", Text),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "user_attributes",
        chunk_by: "user_id",
        columns: &[
            ("user_id", Int),
            ("attribute_id", Int),
            ("value", Text),
            ("unique_value", OptText),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "user_tags",
        chunk_by: "user_id",
        columns: &[
            ("user_id", Int),
            ("tag_key", Text),
            ("tag", Text),
            ("position", Int),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "\"groups\"",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("name_key", Text),
            ("description", Text),
            ("organization_id", OptInt),
            ("created_by", Text),
            ("created_at", Int),
            ("version", Int),
            ("member_count", Int),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "group_members",
        chunk_by: "user_id",
        columns: &[("group_id", Int), ("user_id", Int), ("added_at", Int)],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "account_organizations",
        chunk_by: "user_id",
        columns: &[("user_id", Int), ("organization_id", Int)],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "credentials",
        chunk_by: "user_id",
        columns: &[
            ("user_id", Int),
            ("password_hash", OptText),
            ("totp_secret", OptBytes),
            ("totp_last_step", OptInt),
            ("failed_sign_ins", Int),
            ("code_hash", OptText),
            ("code_expires_at", OptInt),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "user_tokens",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("token_hash", Text),
            ("last4", Text),
            ("created_at", Int),
            ("created_by", Text),
            ("expires_at", Int),
            ("revoked_at", OptInt),
            ("last_used_at", OptInt),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "devices",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("name_key", Text),
            ("os", Text),
            ("model", Text),
            ("serial", Text),
            ("serial_scope", Int),
            ("serial_key", OptText),
            ("organization_id", OptInt),
            ("owner_id", OptInt),
            ("token_id", OptInt),
            ("token_last4", OptText),
            ("enrolled_at", Int),
            ("enrolled_by", Text),
            ("last_activity_at", OptInt),
            ("state", Text),
            ("version", Int),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "sign_in_events",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("at", Int),
            ("user_id", OptInt),
            ("login", Text),
            ("login_key", Text),
            ("workstation", Text),
            ("origin", Text),
            ("success", Bool),
            ("reason", Text),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "audit_log",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("at", Int),
            ("actor", Text),
            ("workstation", Text),
            ("origin", Text),
            ("action", Text),
            ("target_kind", Text),
            ("target_id", Int),
            ("target_name", Text),
            ("changes", Text),
            ("prev_hash", OptBytes),
            ("hash", OptBytes),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "audit_chain",
        chunk_by: "",
        columns: &[
            ("id", Int),
            ("base_hash", OptBytes),
            ("head_hash", OptBytes),
            ("purged_through_id", OptInt),
            ("purged_through_at", OptInt),
        ],
        only: "",
        bookkeeping: true,
    },
    Table {
        name: "audit_pending",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("batch", Int),
            ("at", Int),
            ("actor", Text),
            ("workstation", Text),
            ("origin", Text),
            ("action", Text),
            ("target_kind", Text),
            ("target_id", Int),
            ("target_name", Text),
            ("changes", Text),
        ],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "user_state_counts",
        chunk_by: "",
        columns: &[("status", Text), ("two_factor", Text), ("n", Int)],
        only: "",
        bookkeeping: true,
    },
    Table {
        name: "user_state_deltas",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("status", Text),
            ("two_factor", Text),
            ("n", Int),
        ],
        only: "",
        bookkeeping: true,
    },
    Table {
        name: "settings",
        chunk_by: "",
        columns: &[("id", Int), ("value", Text)],
        only: "",
        bookkeeping: false,
    },
    Table {
        name: "outbox",
        chunk_by: "id",
        columns: &[
            ("id", Int),
            ("created_at", Int),
            ("kind", Text),
            ("to_address", Text),
            ("to_name", Text),
            ("subject", Text),
            ("body", Text),
            ("status", Text),
            ("attempts", Int),
            ("last_error", OptText),
            ("next_attempt_at", Int),
            ("sent_at", OptInt),
            ("user_id", OptInt),
            ("secret", OptText),
        ],
        only: "",
        bookkeeping: false,
    },
];

/// Ids per read: about 5,000 users with their tags and memberships at a time.
const CHUNK: i64 = 5_000;

/// What a copy moved: (table, rows), in copying order.
pub type CopyReport = Vec<(&'static str, u64)>;

fn failed(what: &str) -> impl Fn(sqlx::Error) -> OpenError + '_ {
    move |e| OpenError::Io(format!("copy failed while {what}: {e}"))
}

/// The table's columns: those listed, and for `users` each profile field's
/// (`UserField::profile`), so a field added there is copied without a line here.
fn columns_of(table: &Table) -> Vec<(&'static str, Kind)> {
    let mut columns = table.columns.to_vec();
    if table.name == "users" {
        columns.extend(UserField::profile().map(|field| (field.name(), OptText)));
    }
    columns
}

/// The table's name as people read it (without the quotes `groups` needs).
fn plain_name(table: &Table) -> &'static str {
    table.name.trim_matches('"')
}

async fn count<DB: Dialect>(conn: &mut DB::Connection, table: &Table) -> Result<u64, OpenError> {
    let qb = sql::<DB>(&format!(
        "SELECT count(*) AS n FROM {}{}",
        table.name, table.only
    ));
    let rows = DB::fetch_all(conn, qb)
        .await
        .map_err(failed("counting rows"))?;
    let n = rows
        .first()
        .map(|row| DB::int(row, "n"))
        .transpose()
        .map_err(failed("counting rows"))?
        .unwrap_or(0);
    Ok(n.max(0).unsigned_abs())
}

/// The rows of `table` whose `chunk_by` lies in `range` (all of them without a chunk column).
async fn read_rows<S: Dialect>(
    conn: &mut S::Connection,
    table: &Table,
    range: Option<(i64, i64)>,
) -> Result<Vec<Vec<Value>>, OpenError> {
    let kinds = columns_of(table);
    let columns: Vec<&str> = kinds.iter().map(|(c, _)| *c).collect();
    let mut qb = sql::<S>(&format!(
        "SELECT {} FROM {}{}",
        columns.join(", "),
        table.name,
        table.only
    ));
    if let Some((from, to)) = range {
        qb.push(format!(" WHERE {} >= ", table.chunk_by))
            .bind(from)
            .push(format!(" AND {} < ", table.chunk_by))
            .bind(to);
    }
    let reading = format!("reading {}", plain_name(table));
    let rows = S::fetch_all(conn, qb).await.map_err(failed(&reading))?;
    rows.iter()
        .map(|row| {
            kinds
                .iter()
                .map(|(column, kind)| {
                    Ok(match kind {
                        Int => Value::Int(S::int(row, column)?),
                        OptInt => Value::OptInt(S::opt_int(row, column)?),
                        Text => Value::Text(S::text(row, column)?),
                        OptText => Value::OptText(S::opt_text(row, column)?),
                        Bool => Value::Bool(S::boolean(row, column)?),
                        OptBytes => Value::OptBytes(S::opt_bytes(row, column)?),
                    })
                })
                .collect::<Result<Vec<Value>, sqlx::Error>>()
                .map_err(failed(&reading))
        })
        .collect()
}

/// The smallest and largest `chunk_by` value of the table, if it has rows.
async fn chunk_bounds<S: Dialect>(
    conn: &mut S::Connection,
    table: &Table,
) -> Result<Option<(i64, i64)>, OpenError> {
    let qb = sql::<S>(&format!(
        "SELECT min({c}) AS low, max({c}) AS high FROM {}",
        table.name,
        c = table.chunk_by
    ));
    let rows = S::fetch_all(conn, qb)
        .await
        .map_err(failed("sizing a table"))?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let low = S::opt_int(row, "low").map_err(failed("sizing a table"))?;
    let high = S::opt_int(row, "high").map_err(failed("sizing a table"))?;
    Ok(low.zip(high))
}

/// Links each copied user to their manager. A manager may have come after the user (a
/// larger id), so not be there when the user's row arrived: they are linked once every
/// user is.
async fn copy_managers<S: Dialect, T: Dialect>(
    source: &mut S::Connection,
    target: &mut T::Connection,
) -> Result<(), OpenError> {
    let qb = sql::<S>("SELECT id, manager_id FROM users WHERE manager_id IS NOT NULL");
    let rows = S::fetch_all(source, qb)
        .await
        .map_err(failed("reading managers"))?;
    let mut reports = Vec::with_capacity(rows.len());
    for row in &rows {
        let user = S::int(row, "id").map_err(failed("reading managers"))?;
        let manager = S::int(row, "manager_id").map_err(failed("reading managers"))?;
        reports.push((user, manager));
    }
    set_managers::<T>(target, reports)
        .await
        .map_err(failed("writing managers"))
}

/// Copies every table from `from` to `to` in one transaction on `to`. A target that holds
/// any user, group, audit entry or custom role is refused unless `replace`, which empties
/// it first (in the same transaction: a failed copy leaves it as it was).
pub(crate) async fn copy<S: Dialect, T: Dialect>(
    from: &sqlx::Pool<S>,
    to: &sqlx::Pool<T>,
    replace: bool,
) -> Result<CopyReport, OpenError> {
    let mut source = from
        .acquire()
        .await
        .map_err(failed("connecting to the source"))?;
    let mut target = T::begin_write(to)
        .await
        .map_err(failed("starting the target's transaction"))?;
    let mut held = 0;
    for table in TABLES.iter().filter(|t| !t.bookkeeping) {
        held += count::<T>(&mut target, table).await?;
    }
    if held > 0 && !replace {
        return Err(OpenError::Io(format!(
            "the target already holds {held} rows (users, groups, audit entries…); copy into an \
             empty database, or pass --replace to delete them first"
        )));
    }
    for table in TABLES.iter().rev() {
        let delete = sql::<T>(&format!("DELETE FROM {}{}", table.name, table.only));
        T::execute(&mut target, delete)
            .await
            .map_err(failed("emptying the target"))?;
    }
    let mut report = Vec::new();
    let mut next_ids = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let into = format!(
            "{} ({})",
            table.name,
            columns_of(table)
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(", ")
        );
        let writing = format!("writing {}", plain_name(table));
        let ranges: Vec<Option<(i64, i64)>> = if table.chunk_by.is_empty() {
            vec![None]
        } else {
            match chunk_bounds::<S>(&mut source, table).await? {
                None => Vec::new(),
                Some((low, high)) => (low..=high)
                    .step_by(CHUNK as usize)
                    .map(|from| Some((from, from.saturating_add(CHUNK))))
                    .collect(),
            }
        };
        for range in ranges {
            let rows = read_rows::<S>(&mut source, table, range).await?;
            insert_rows::<T>(&mut target, &into, rows, plain::<T>)
                .await
                .map_err(failed(&writing))?;
        }
        let next_id = match table.chunk_by {
            "id" => Some(
                S::next_id(&mut source, table.name)
                    .await
                    .map_err(failed(&format!("reading {}", plain_name(table))))?,
            ),
            _ => None,
        };
        T::after_copy(&mut target, table.name, next_id)
            .await
            .map_err(failed(&writing))?;
        next_ids.push((table.name, next_id));
        let (copied, expected) = (
            count::<T>(&mut target, table).await?,
            count::<S>(&mut source, table).await?,
        );
        if copied != expected {
            return Err(OpenError::Io(format!(
                "{} has {expected} rows in the source but {copied} in the target; nothing was \
                 copied",
                plain_name(table)
            )));
        }
        report.push((plain_name(table), copied));
    }
    copy_managers::<S, T>(&mut source, &mut target).await?;
    target
        .commit()
        .await
        .map_err(failed("committing the copy"))?;
    T::after_copy_committed(to, &next_ids)
        .await
        .map_err(failed("gathering the copied tables' statistics"))?;
    Ok(report)
}
