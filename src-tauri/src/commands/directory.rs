//! Users, groups, organizations and the overview: the directory screens' commands.

use super::transfer::ask;
use super::{CommandError, DatabaseInfo, Reply, by_ids};
use crate::AppState;
use roster_core::{
    Attribute, AttributeEdit, AuditEntry, AuditQuery, BulkEdit, Count, DirectorySection, Facets,
    FieldError, Group, GroupId, GroupPatch, NewAttribute, NewGroup, NewUser, Organization,
    OrganizationId, Overview, StatusAction, User, UserId, UserPage, UserPatch, UserQuery, UserRef,
    UserRows,
};
use tauri::State;

/// How many of a user's audit entries the Activity tab shows.
const ACTIVITY_ENTRIES: u32 = 500;

#[tauri::command]
pub fn database_info(state: State<'_, AppState>) -> Reply<DatabaseInfo> {
    let roster = state.roster()?;
    Ok(DatabaseInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: roster.backend().to_owned(),
        location: roster.location(),
        title: state.directory().title(),
    })
}

/// Help → Save diagnostics: a report for support (versions, the database, settings without
/// secrets, the log's recent problems) in a file the admin chooses; the directory's part
/// only for someone signed in who may see the settings. The file's path, or `null` when
/// they cancel the dialog.
#[tauri::command]
pub async fn save_diagnostics(state: State<'_, AppState>) -> Reply<Option<String>> {
    let directory = match state.roster() {
        Err(no_directory) => DirectorySection::NotIncluded {
            reason: no_directory.message,
        },
        Ok(_) => match state.ready().await {
            Ok(access) => access.roster.diagnose(&access.actor).await.into(),
            Err(e) => DirectorySection::NotIncluded {
                reason: format!(
                    "nobody who may see the settings is signed in ({})",
                    e.message
                ),
            },
        },
    };
    let report = crate::diagnostics::report(directory, state.log_file());
    let suggested = report.file_name();
    let picked = ask(state.picker()?, move |p| {
        p.save_report("dialog-save-diagnostics", &suggested)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    roster_csv::write_private(&path, report.to_pretty_json().as_bytes())
        .map_err(|e| CommandError::io(&format!("cannot write {}: {e}", path.display())))?;
    log::info!("diagnostics saved to {}", path.display());
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>, query: UserQuery) -> Reply<UserPage> {
    let access = state.ready().await?;
    Ok(access.roster.list_users(&access.actor, &query).await?)
}

/// The users list's rows, answered before they are counted (see `count_users`).
#[tauri::command]
pub async fn list_user_rows(state: State<'_, AppState>, query: UserQuery) -> Reply<UserRows> {
    let access = state.ready().await?;
    Ok(access.roster.list_user_rows(&access.actor, &query).await?)
}

#[tauri::command]
pub async fn count_users(
    state: State<'_, AppState>,
    query: UserQuery,
    up_to: Option<u64>,
) -> Reply<Count> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .count_users(&access.actor, &query, up_to)
        .await?)
}

#[tauri::command]
pub async fn matching_user_ids(state: State<'_, AppState>, query: UserQuery) -> Reply<Vec<UserId>> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .matching_user_ids(&access.actor, &query)
        .await?)
}

#[tauri::command]
pub async fn get_user(state: State<'_, AppState>, id: UserId) -> Reply<User> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .find_user(&access.actor, &UserRef::Id(id))
        .await?)
}

#[tauri::command]
pub async fn check_new_user(state: State<'_, AppState>, input: NewUser) -> Reply<Vec<FieldError>> {
    let access = state.ready().await?;
    Ok(access.roster.check_new_user(&access.actor, &input)?)
}

#[tauri::command]
pub async fn check_user_patch(
    state: State<'_, AppState>,
    patch: UserPatch,
) -> Reply<Vec<FieldError>> {
    let access = state.ready().await?;
    Ok(access.roster.check_user_patch(&access.actor, &patch)?)
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, input: NewUser, invite: bool) -> Reply<User> {
    let access = state.ready().await?;
    let roster = access.roster;
    Ok(if invite {
        roster.add_user_and_invite(&access.actor, input).await?
    } else {
        roster.add_user(&access.actor, input).await?
    })
}

#[tauri::command]
pub async fn update_user(
    state: State<'_, AppState>,
    id: UserId,
    patch: UserPatch,
    expected_version: i64,
) -> Reply<User> {
    let access = state.ready().await?;
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
    let access = state.ready().await?;
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
    let access = state.ready().await?;
    Ok(access
        .roster
        .edit_users(&access.actor, &by_ids(&ids), edit)
        .await?)
}

#[tauri::command]
pub async fn delete_users(
    state: State<'_, AppState>,
    ids: Vec<UserId>,
    give_devices_to: Option<String>,
) -> Reply<usize> {
    let access = state.ready().await?;
    let heir = give_devices_to.as_deref().map(UserRef::parse);
    Ok(access
        .roster
        .delete_users(&access.actor, &by_ids(&ids), heir.as_ref())
        .await?
        .len())
}

#[tauri::command]
pub async fn user_activity(state: State<'_, AppState>, id: UserId) -> Reply<Vec<AuditEntry>> {
    let access = state.ready().await?;
    let query = AuditQuery {
        user: Some(id),
        limit: ACTIVITY_ENTRIES,
        ..Default::default()
    };
    Ok(access.roster.audit(&access.actor, &query).await?)
}

#[tauri::command]
pub async fn user_groups(state: State<'_, AppState>, id: UserId) -> Reply<Vec<Group>> {
    let access = state.ready().await?;
    Ok(access.roster.groups_of(&access.actor, id).await?)
}

#[tauri::command]
pub async fn list_groups(state: State<'_, AppState>) -> Reply<Vec<Group>> {
    let access = state.ready().await?;
    Ok(access.roster.list_groups(&access.actor).await?)
}

#[tauri::command]
pub async fn create_group(state: State<'_, AppState>, input: NewGroup) -> Reply<Group> {
    let access = state.ready().await?;
    Ok(access.roster.add_group(&access.actor, input).await?)
}

#[tauri::command]
pub async fn update_group(
    state: State<'_, AppState>,
    id: GroupId,
    patch: GroupPatch,
    version: i64,
) -> Reply<Group> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .update_group(&access.actor, id, patch, Some(version))
        .await?)
}

#[tauri::command]
pub async fn delete_group(state: State<'_, AppState>, id: GroupId) -> Reply<()> {
    let access = state.ready().await?;
    Ok(access.roster.delete_group(&access.actor, id).await?)
}

#[tauri::command]
pub async fn add_group_members(
    state: State<'_, AppState>,
    id: GroupId,
    users: Vec<UserId>,
) -> Reply<usize> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .add_members(&access.actor, id, &by_ids(&users))
        .await?)
}

#[tauri::command]
pub async fn remove_group_members(
    state: State<'_, AppState>,
    id: GroupId,
    users: Vec<UserId>,
) -> Reply<usize> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .remove_members(&access.actor, id, &by_ids(&users))
        .await?)
}

#[tauri::command]
pub async fn list_organizations(state: State<'_, AppState>) -> Reply<Vec<Organization>> {
    let access = state.ready().await?;
    Ok(access.roster.list_organizations(&access.actor).await?)
}

#[tauri::command]
pub async fn create_organization(state: State<'_, AppState>, name: String) -> Reply<Organization> {
    let access = state.ready().await?;
    Ok(access.roster.add_organization(&access.actor, &name).await?)
}

#[tauri::command]
pub async fn rename_organization(
    state: State<'_, AppState>,
    id: OrganizationId,
    name: String,
) -> Reply<Organization> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .rename_organization(&access.actor, id, &name)
        .await?)
}

#[tauri::command]
pub async fn delete_organization(
    state: State<'_, AppState>,
    id: OrganizationId,
    move_to: Option<OrganizationId>,
) -> Reply<()> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .delete_organization(&access.actor, id, move_to)
        .await?)
}

#[tauri::command]
pub async fn account_scope(
    state: State<'_, AppState>,
    id: UserId,
) -> Reply<Option<Vec<OrganizationId>>> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .account_scope(&access.actor, &UserRef::Id(id))
        .await?)
}

#[tauri::command]
pub async fn set_account_scope(
    state: State<'_, AppState>,
    id: UserId,
    organizations: Option<Vec<OrganizationId>>,
) -> Reply<()> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .set_account_scope(&access.actor, &UserRef::Id(id), organizations)
        .await?)
}

#[tauri::command]
pub async fn overview(
    state: State<'_, AppState>,
    organization: Option<OrganizationId>,
) -> Reply<Overview> {
    let access = state.ready().await?;
    Ok(access.roster.overview(&access.actor, organization).await?)
}

#[tauri::command]
pub async fn facets(state: State<'_, AppState>) -> Reply<Facets> {
    let access = state.ready().await?;
    Ok(access.roster.facets(&access.actor).await?)
}

/// The attributes admins defined that the signed-in account sees.
#[tauri::command]
pub async fn list_attributes(state: State<'_, AppState>) -> Reply<Vec<Attribute>> {
    let access = state.ready().await?;
    Ok(access.roster.attributes(&access.actor).await?)
}

#[tauri::command]
pub async fn define_attribute(
    state: State<'_, AppState>,
    attribute: NewAttribute,
) -> Reply<Attribute> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .define_attribute(&access.actor, attribute)
        .await?)
}

/// Changes the attribute's label, choices and rules.
#[tauri::command]
pub async fn edit_attribute(
    state: State<'_, AppState>,
    name: String,
    edit: AttributeEdit,
) -> Reply<Attribute> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .edit_attribute(&access.actor, &name, edit)
        .await?)
}

/// How many users hold a value of the attribute: what removing it deletes.
#[tauri::command]
pub async fn attribute_values(state: State<'_, AppState>, name: String) -> Reply<u64> {
    let access = state.ready().await?;
    Ok(access.roster.attribute_values(&access.actor, &name).await?)
}

/// Removes the attribute; `confirmed` is the number of values the admin agreed to delete.
#[tauri::command]
pub async fn remove_attribute(
    state: State<'_, AppState>,
    name: String,
    confirmed: Option<u64>,
) -> Reply<u64> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .remove_attribute(&access.actor, &name, confirmed)
        .await?)
}
