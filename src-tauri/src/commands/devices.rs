//! Devices: the Devices screen's and the user details' Devices tab's commands.

use super::Reply;
use crate::AppState;
use roster_core::{Device, DeviceDraft, DeviceId, DevicePage, DeviceQuery, UserId, UserRef};
use tauri::State;

#[tauri::command]
pub async fn list_devices(state: State<'_, AppState>, query: DeviceQuery) -> Reply<DevicePage> {
    let access = state.ready().await?;
    Ok(access.roster.list_devices(&access.actor, &query).await?)
}

#[tauri::command]
pub async fn get_device(state: State<'_, AppState>, id: DeviceId) -> Reply<Device> {
    let access = state.ready().await?;
    Ok(access.roster.get_device(&access.actor, id).await?)
}

#[tauri::command]
pub async fn add_device(
    state: State<'_, AppState>,
    user: UserId,
    draft: DeviceDraft,
) -> Reply<Device> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .add_device(&access.actor, &UserRef::Id(user), &draft)
        .await?)
}

#[tauri::command]
pub async fn edit_device(
    state: State<'_, AppState>,
    id: DeviceId,
    draft: DeviceDraft,
    version: i64,
) -> Reply<Device> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .edit_device(&access.actor, id, &draft, version)
        .await?)
}

#[tauri::command]
pub async fn reassign_devices(
    state: State<'_, AppState>,
    ids: Vec<DeviceId>,
    to: String,
) -> Reply<Vec<Device>> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .reassign_devices(&access.actor, &ids, &UserRef::parse(&to))
        .await?)
}

#[tauri::command]
pub async fn retire_devices(state: State<'_, AppState>, ids: Vec<DeviceId>) -> Reply<Vec<Device>> {
    let access = state.ready().await?;
    Ok(access.roster.retire_devices(&access.actor, &ids).await?)
}

#[tauri::command]
pub async fn delete_devices(state: State<'_, AppState>, ids: Vec<DeviceId>) -> Reply<usize> {
    let access = state.ready().await?;
    Ok(access.roster.delete_devices(&access.actor, &ids).await?)
}
