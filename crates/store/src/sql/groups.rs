//! Groups and their members.
//!
//! The table is written `"groups"`, quoted: MySQL 8 reserves GROUPS (a window frame), and a
//! double-quoted name is an identifier on every backend (MySQL sessions run with
//! ANSI_QUOTES).

use super::named::named_record;
use super::{
    Bind, Cells, audit, execute, fetch_all, fetch_ints, fetch_optional, insert_rows, millis, sql,
};
use crate::dialect::{Dialect, backend, write_error};
use chrono::{DateTime, Utc};
use roster_core::{
    AuditRecord, Group, GroupId, GroupMembershipChange, Membership, OrganizationId, StoreError,
    UserId, normalize_key,
};
use sqlx::QueryBuilder;

/// Membership checks name at most this many users per query.
const MEMBERS_PER_QUERY: usize = 500;

const GROUP_COLUMNS: &str = "SELECT g.id, g.name, g.description, o.name AS organization, \
    g.organization_id, \
    g.member_count, \
    g.created_by, g.created_at, g.version \
    FROM \"groups\" g LEFT JOIN organizations o ON o.id = g.organization_id";

fn group_from_row<DB: Dialect>(row: &DB::Row) -> Result<Group, StoreError> {
    let cells = Cells::<DB>(row);
    Ok(Group {
        id: GroupId(cells.int("id")?),
        name: cells.text("name")?,
        description: cells.text("description")?,
        organization: cells.opt_text("organization")?,
        organization_id: cells.opt_int("organization_id")?.map(OrganizationId),
        member_count: cells.int("member_count")?,
        created_by: cells.text("created_by")?,
        created_at: cells.time("created_at")?,
        version: cells.int("version")?,
    })
}

pub(super) async fn get_group<DB: Dialect>(
    conn: &mut DB::Connection,
    group: GroupId,
) -> Result<Option<Group>, StoreError> {
    let mut qb = sql::<DB>(&format!("{GROUP_COLUMNS} WHERE g.id = "));
    qb.bind(group.0);
    fetch_optional(conn, qb)
        .await?
        .as_ref()
        .map(group_from_row::<DB>)
        .transpose()
}

pub(super) struct NewGroupRow<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub organization: Option<&'a str>,
    pub created_by: &'a str,
    pub created_at: DateTime<Utc>,
}

pub(super) async fn insert_group<DB: Dialect>(
    conn: &mut DB::Connection,
    group: NewGroupRow<'_>,
    mut record: AuditRecord,
) -> Result<Group, StoreError> {
    let at = millis(group.created_at);
    let org = named_record::<DB>(&mut *conn, "organizations", group.organization, at)
        .await?
        .map(|org| org.id);
    let mut insert = sql::<DB>(
        "INSERT INTO \"groups\" (name, name_key, description, organization_id, created_by, created_at) VALUES (",
    );
    insert
        .bind_values(vec![
            group.name.into(),
            normalize_key(group.name).into(),
            group.description.into(),
            org.into(),
            group.created_by.into(),
            at.into(),
        ])
        .push(")");
    let id = DB::insert_id(&mut *conn, insert)
        .await
        .map_err(|e| write_error::<DB>(e, "organization", 0))?;
    record.target.id = id;
    audit::write::<DB>(&mut *conn, &record).await?;
    get_group::<DB>(conn, GroupId(id))
        .await?
        .ok_or(StoreError::NotFound)
}

/// Renames a group or changes its description.
pub(super) async fn update_group<DB: Dialect>(
    conn: &mut DB::Connection,
    group: GroupId,
    name: &str,
    description: &str,
    version: i64,
) -> Result<Group, StoreError> {
    let mut update = sql::<DB>("UPDATE \"groups\" SET name = ");
    update
        .bind(name)
        .push(", name_key = ")
        .bind(normalize_key(name))
        .push(", description = ")
        .bind(description)
        .push(", version = version + 1 WHERE id = ")
        .bind(group.0)
        .push(" AND version = ")
        .bind(version);
    let changed = DB::execute(&mut *conn, update)
        .await
        .map_err(|e| write_error::<DB>(e, "group", 0))?;
    if changed == 0 {
        return Err(match get_group::<DB>(conn, group).await? {
            Some(_) => StoreError::Stale,
            None => StoreError::NotFound,
        });
    }
    get_group::<DB>(conn, group)
        .await?
        .ok_or(StoreError::NotFound)
}

pub(super) async fn find_groups<DB: Dialect>(
    conn: &mut DB::Connection,
    name_key: &str,
) -> Result<Vec<Group>, StoreError> {
    let mut qb = sql::<DB>(&format!("{GROUP_COLUMNS} WHERE g.name_key = "));
    qb.bind(name_key).push(" ORDER BY g.id");
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(group_from_row::<DB>)
        .collect()
}

pub(super) async fn list_groups<DB: Dialect>(
    conn: &mut DB::Connection,
) -> Result<Vec<Group>, StoreError> {
    let qb = sql::<DB>(&format!("{GROUP_COLUMNS} ORDER BY g.name_key, g.id"));
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(group_from_row::<DB>)
        .collect()
}

pub(super) async fn groups_of<DB: Dialect>(
    conn: &mut DB::Connection,
    user: UserId,
) -> Result<Vec<Group>, StoreError> {
    let mut qb = sql::<DB>(&format!(
        "{GROUP_COLUMNS} WHERE g.id IN (SELECT group_id FROM group_members WHERE user_id = "
    ));
    qb.bind(user.0).push(") ORDER BY g.name_key, g.id");
    fetch_all(conn, qb)
        .await?
        .iter()
        .map(group_from_row::<DB>)
        .collect()
}

pub(super) async fn delete_group<DB: Dialect>(
    conn: &mut DB::Connection,
    group: GroupId,
) -> Result<(), StoreError> {
    // Its memberships go with it (ON DELETE CASCADE), so its members' counts go down first.
    let mut uncount = sql::<DB>(
        "UPDATE users SET group_count = group_count - 1 \
         WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ",
    );
    uncount.bind(group.0).push(")");
    execute(&mut *conn, uncount).await?;
    let mut delete = sql::<DB>("DELETE FROM \"groups\" WHERE id = ");
    delete.bind(group.0);
    if execute(conn, delete).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The group with this name in this organization (`None`: in none), created when there is
/// none: core chose it for an import (see `GroupChoice`).
pub(super) async fn group_named<DB: Dialect>(
    conn: &mut DB::Connection,
    name: &str,
    organization: Option<OrganizationId>,
    created_by: &str,
    at: DateTime<Utc>,
) -> Result<GroupId, StoreError> {
    let find = || {
        let mut find = sql::<DB>("SELECT id FROM \"groups\" WHERE name_key = ");
        find.bind(normalize_key(name));
        match organization {
            Some(org) => find.push(" AND organization_id = ").bind(org.0),
            None => find.push(" AND organization_id IS NULL"),
        };
        find
    };
    if let Some(row) = fetch_optional(&mut *conn, find()).await? {
        return Ok(GroupId(Cells::<DB>(&row).int("id")?));
    }
    // Another writer may have created it while this one waited for the lock.
    DB::lock_new_names(&mut *conn).await.map_err(backend)?;
    if let Some(row) = fetch_optional(&mut *conn, find()).await? {
        return Ok(GroupId(Cells::<DB>(&row).int("id")?));
    }
    let mut insert = sql::<DB>(
        "INSERT INTO \"groups\" (name, name_key, description, organization_id, created_by, created_at) VALUES (",
    );
    insert
        .bind_values(vec![
            name.into(),
            normalize_key(name).into(),
            "".into(),
            organization.map(|org| org.0).into(),
            created_by.into(),
            millis(at).into(),
        ])
        .push(")");
    let id = DB::insert_id(conn, insert)
        .await
        .map_err(|e| write_error::<DB>(e, "group", 0))?;
    Ok(GroupId(id))
}

pub(super) const MEMBER_INSERT: &str = "group_members (group_id, user_id, added_at)";

/// Ends a [`MEMBER_INSERT`]: a membership that exists already stays as it is.
pub(super) fn ignore_member_duplicates<DB: Dialect>(qb: &mut QueryBuilder<'_, DB>) {
    DB::ignore_duplicates(qb, "group_id");
}

/// Adds or removes the users; members already in (or not in) the group stay as they are.
pub(super) async fn change_members<DB: Dialect>(
    conn: &mut DB::Connection,
    group: GroupId,
    change: GroupMembershipChange,
    users: &[UserId],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if change == GroupMembershipChange::Add {
        let rows = users
            .iter()
            .map(|user| vec![group.0.into(), user.0.into(), millis(at).into()])
            .collect();
        insert_rows::<DB>(
            &mut *conn,
            MEMBER_INSERT,
            rows,
            ignore_member_duplicates::<DB>,
        )
        .await
        .map_err(|e| write_error::<DB>(e, "group", 0))?;
    } else {
        for chunk in users.chunks(MEMBERS_PER_QUERY) {
            let mut delete = sql::<DB>("DELETE FROM group_members WHERE group_id = ");
            delete
                .bind(group.0)
                .push(" AND user_id IN (")
                .bind_list(chunk.iter().map(|u| u.0))
                .push(")");
            execute(&mut *conn, delete).await?;
        }
    }
    let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
    recount_groups::<DB>(&mut *conn, &ids).await?;
    recount_members::<DB>(conn, &[group.0]).await
}

/// Sets the groups' kept member counts (`groups.member_count`) from their memberships.
/// Every write that adds or removes memberships ends with this for the groups it touched,
/// in its own transaction: once per transaction, not per batch, because a recount reads
/// all of a group's memberships.
pub(super) async fn recount_members<DB: Dialect>(
    conn: &mut DB::Connection,
    groups: &[i64],
) -> Result<(), StoreError> {
    if groups.is_empty() {
        return Ok(());
    }
    let mut update = sql::<DB>(
        "UPDATE \"groups\" SET member_count = \
         (SELECT count(*) FROM group_members gm WHERE gm.group_id = \"groups\".id) WHERE 1 = 1",
    );
    DB::push_id_set(&mut update, "id", groups);
    execute(conn, update).await?;
    Ok(())
}

/// The groups any of these users is in.
pub(super) async fn groups_of_users<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[i64],
) -> Result<Vec<i64>, StoreError> {
    let mut qb = sql::<DB>("SELECT DISTINCT group_id FROM group_members WHERE 1 = 1");
    DB::push_id_set(&mut qb, "user_id", users);
    fetch_ints(conn, qb, "group_id").await
}

/// Sets the users' kept group counts (`users.group_count`: the "Groups" column and its
/// sort key) from their memberships. Every write that adds or removes memberships ends
/// with this for the users it touched, in its own transaction.
pub(super) async fn recount_groups<DB: Dialect>(
    conn: &mut DB::Connection,
    users: &[i64],
) -> Result<(), StoreError> {
    if users.is_empty() {
        return Ok(());
    }
    let mut update = sql::<DB>(
        "UPDATE users SET group_count = \
         (SELECT count(*) FROM group_members gm WHERE gm.user_id = users.id) WHERE 1 = 1",
    );
    DB::push_id_set(&mut update, "id", users);
    execute(conn, update).await?;
    Ok(())
}

/// Which of these users are members of the group.
pub(super) async fn members_among<DB: Dialect>(
    conn: &mut DB::Connection,
    group: GroupId,
    users: &[UserId],
) -> Result<Vec<UserId>, StoreError> {
    let mut members = Vec::new();
    for chunk in users.chunks(MEMBERS_PER_QUERY) {
        let mut qb = sql::<DB>("SELECT user_id FROM group_members WHERE group_id = ");
        qb.bind(group.0)
            .push(" AND user_id IN (")
            .bind_list(chunk.iter().map(|u| u.0))
            .push(")");
        let ids = fetch_ints(&mut *conn, qb, "user_id").await?;
        members.extend(ids.into_iter().map(UserId));
    }
    Ok(members)
}

/// Every membership, by group name then username, as it is read.
pub(super) async fn each_membership<DB: Dialect>(
    conn: &mut DB::Connection,
    visit: &mut (dyn FnMut(Membership) -> Result<(), StoreError> + Send),
) -> Result<u64, StoreError> {
    let qb = sql::<DB>(
        "SELECT g.name AS group_name, users.username, users.email FROM group_members \
         JOIN \"groups\" g ON g.id = group_members.group_id \
         JOIN users ON users.id = group_members.user_id \
         ORDER BY g.name_key, g.id, users.username_key",
    );
    DB::for_each_row(conn, qb, &mut |row| {
        let cells = Cells::<DB>(row);
        visit(Membership {
            group: cells.text("group_name")?,
            username: cells.text("username")?,
            email: cells.text("email")?,
        })
    })
    .await
}
