//! Users, groups and the overview: the directory screens' commands.

use super::{DatabaseInfo, Reply, by_ids};
use crate::AppState;
use roster_core::{
    AuditEntry, AuditQuery, BulkEdit, Facets, FieldError, Group, GroupId, GroupPatch, NewGroup,
    NewUser, Overview, Permission, StatusAction, User, UserId, UserPage, UserPatch, UserQuery,
    UserRef,
};
use tauri::State;

#[tauri::command]
pub fn database_info(state: State<'_, AppState>) -> Reply<DatabaseInfo> {
    let roster = state.roster()?;
    Ok(DatabaseInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: roster.backend().to_owned(),
        location: roster.location(),
    })
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>, query: UserQuery) -> Reply<UserPage> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.list_users(&query).await?)
}

#[tauri::command]
pub async fn matching_user_ids(state: State<'_, AppState>, query: UserQuery) -> Reply<Vec<UserId>> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.matching_user_ids(&query).await?)
}

#[tauri::command]
pub async fn get_user(state: State<'_, AppState>, id: UserId) -> Reply<User> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.find_user(&UserRef::Id(id)).await?)
}

#[tauri::command]
pub fn check_new_user(state: State<'_, AppState>, input: NewUser) -> Reply<Vec<FieldError>> {
    state.authorize(Permission::ManageUsers)?;
    Ok(roster_core::check_new_user(&input))
}

#[tauri::command]
pub fn check_user_patch(state: State<'_, AppState>, patch: UserPatch) -> Reply<Vec<FieldError>> {
    state.authorize(Permission::ManageUsers)?;
    Ok(roster_core::check_user_patch(&patch))
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, input: NewUser, invite: bool) -> Reply<User> {
    let access = state.authorize(Permission::ManageUsers)?;
    access.may_grant(input.role.as_deref()).await?;
    if invite {
        Ok(access
            .roster
            .add_user_and_invite(&access.actor, input)
            .await?)
    } else {
        Ok(access.roster.add_user(&access.actor, input).await?)
    }
}

#[tauri::command]
pub async fn update_user(
    state: State<'_, AppState>,
    id: UserId,
    patch: UserPatch,
    expected_version: i64,
) -> Reply<User> {
    let access = state.authorize(Permission::ManageUsers)?;
    access.may_manage(&[id]).await?;
    access.may_grant(patch.role.as_deref()).await?;
    Ok(access
        .roster
        .edit_user(
            &access.actor,
            &UserRef::Id(id),
            patch,
            Some(expected_version),
        )
        .await?)
}

#[tauri::command]
pub async fn change_status(
    state: State<'_, AppState>,
    ids: Vec<UserId>,
    action: StatusAction,
) -> Reply<Vec<User>> {
    let permission = if action == StatusAction::Unlock {
        Permission::UnlockUsers
    } else {
        Permission::ManageUsers
    };
    let access = state.authorize(permission)?;
    access.may_manage(&ids).await?;
    Ok(access
        .roster
        .change_status(&access.actor, &by_ids(&ids), action)
        .await?)
}

#[tauri::command]
pub async fn edit_users(
    state: State<'_, AppState>,
    ids: Vec<UserId>,
    edit: BulkEdit,
) -> Reply<Vec<User>> {
    let access = state.authorize(Permission::ManageUsers)?;
    access.may_manage(&ids).await?;
    access.may_grant(edit.role.as_deref()).await?;
    Ok(access
        .roster
        .edit_users(&access.actor, &by_ids(&ids), edit)
        .await?)
}

#[tauri::command]
pub async fn delete_users(state: State<'_, AppState>, ids: Vec<UserId>) -> Reply<usize> {
    let access = state.authorize(Permission::ManageUsers)?;
    access.may_manage(&ids).await?;
    Ok(access
        .roster
        .delete_users(&access.actor, &by_ids(&ids))
        .await?
        .len())
}

#[tauri::command]
pub async fn user_activity(state: State<'_, AppState>, id: UserId) -> Reply<Vec<AuditEntry>> {
    let query = AuditQuery {
        user: Some(id),
        limit: 500,
    };
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.audit(&query).await?)
}

#[tauri::command]
pub async fn user_groups(state: State<'_, AppState>, id: UserId) -> Reply<Vec<Group>> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.groups_of(id).await?)
}

#[tauri::command]
pub async fn list_groups(state: State<'_, AppState>) -> Reply<Vec<Group>> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.list_groups().await?)
}

#[tauri::command]
pub async fn create_group(state: State<'_, AppState>, input: NewGroup) -> Reply<Group> {
    let access = state.authorize(Permission::ManageGroups)?;
    Ok(access.roster.add_group(&access.actor, input).await?)
}

#[tauri::command]
pub async fn update_group(
    state: State<'_, AppState>,
    id: GroupId,
    patch: GroupPatch,
) -> Reply<Group> {
    let access = state.authorize(Permission::ManageGroups)?;
    let group = access.roster.group(id).await?;
    Ok(access
        .roster
        .update_group(&access.actor, &group, patch)
        .await?)
}

#[tauri::command]
pub async fn delete_group(state: State<'_, AppState>, id: GroupId) -> Reply<()> {
    let access = state.authorize(Permission::ManageGroups)?;
    let group = access.roster.group(id).await?;
    Ok(access.roster.delete_group(&access.actor, &group).await?)
}

#[tauri::command]
pub async fn add_group_members(
    state: State<'_, AppState>,
    id: GroupId,
    users: Vec<UserId>,
) -> Reply<usize> {
    let access = state.authorize(Permission::ManageGroups)?;
    let group = access.roster.group(id).await?;
    Ok(access
        .roster
        .add_members(&access.actor, &group, &by_ids(&users))
        .await?)
}

#[tauri::command]
pub async fn remove_group_members(
    state: State<'_, AppState>,
    id: GroupId,
    users: Vec<UserId>,
) -> Reply<usize> {
    let access = state.authorize(Permission::ManageGroups)?;
    let group = access.roster.group(id).await?;
    Ok(access
        .roster
        .remove_members(&access.actor, &group, &by_ids(&users))
        .await?)
}

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.overview().await?)
}

#[tauri::command]
pub async fn facets(state: State<'_, AppState>) -> Reply<Facets> {
    let access = state.authorize(Permission::ViewUsers)?;
    Ok(access.roster.facets().await?)
}
