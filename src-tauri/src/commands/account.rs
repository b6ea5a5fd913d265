//! Sign-in, the session, and credentials: passwords, 2FA, one-time codes and user tokens.

use super::Reply;
use crate::AppState;
use crate::access::Access;
use roster_core::{
    Enrollment, FirstOwner, IssuedToken, PasswordSet, RedeemCode, Session, SetPassword,
    SignInEntry, SignInRequest, TokenQuery, TokenView, User, UserId, UserRef, Welcome,
};
use serde::Serialize;
use tauri::State;

/// How many of a user's sign-in attempts the Activity tab shows.
const SIGN_IN_ENTRIES: u32 = 500;

/// What the window shows before anything else.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct SessionState {
    /// `None`: show the sign-in screen.
    pub session: Option<Session>,
    pub welcome: Welcome,
}

#[tauri::command]
pub async fn session_state(state: State<'_, AppState>) -> Reply<SessionState> {
    let roster = state.roster()?;
    let session = state.signed_in().await.ok().map(|access| access.session);
    Ok(SessionState {
        session,
        welcome: roster.welcome().await?,
    })
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, request: SignInRequest) -> Reply<Session> {
    let roster = state.roster()?;
    let signed_in = roster
        .sign_in(&request, state.workstation(), roster_core::Origin::Desktop)
        .await?;
    let session = roster.open_session(&signed_in).await?;
    state.set_session(Some(session.clone()));
    apply_retention(roster, &session, state.workstation());
    Ok(session)
}

/// The retention setting is applied when someone who may change it signs in, in the
/// background: a desktop app has no schedule of its own, and the purge records itself.
fn apply_retention(roster: roster_core::Roster, session: &Session, workstation: &str) {
    let actor = roster_core::Actor::signed_in(session, workstation);
    if session.stage != roster_core::SessionStage::Ready
        || !actor.may(roster_core::Permission::ManageSettings)
    {
        return;
    }
    tauri::async_runtime::spawn(async move {
        if let Err(e) = roster.apply_audit_retention(&actor).await {
            log::error!("purging old audit entries failed: {e}");
        }
    });
}

#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) {
    state.set_session(None);
}

/// The person typed, clicked or scrolled in the window: only that keeps a session from
/// ending after the idle time (reloads the window makes by itself do not).
#[tauri::command]
pub fn record_activity(state: State<'_, AppState>) -> Reply<()> {
    state.record_activity(&state.roster()?)
}

#[tauri::command]
pub async fn create_first_owner(state: State<'_, AppState>, input: FirstOwner) -> Reply<Session> {
    let roster = state.roster()?;
    let created = roster
        .create_first_owner(input, state.workstation(), roster_core::Origin::Desktop)
        .await?;
    let session = roster.open_session(&created).await?;
    state.set_session(Some(session.clone()));
    Ok(session)
}

#[tauri::command]
pub async fn redeem_code(state: State<'_, AppState>, request: RedeemCode) -> Reply<()> {
    let roster = state.roster()?;
    roster
        .redeem_code(&request, state.workstation(), roster_core::Origin::Desktop)
        .await?;
    Ok(())
}

/// The signed-in person sets a new password (the current one is needed unless they were
/// told to choose a new one).
#[tauri::command]
pub async fn change_own_password(
    state: State<'_, AppState>,
    current: Option<String>,
    new: String,
) -> Reply<Session> {
    let access = state.signed_in().await?;
    access
        .roster
        .change_own_password(&access.actor, access.user_id(), current.as_deref(), &new)
        .await?;
    next_step(&state, &access).await
}

#[tauri::command]
pub async fn own_enrollment(state: State<'_, AppState>) -> Reply<Enrollment> {
    let access = state.signed_in().await?;
    Ok(access
        .roster
        .enrollment(&access.actor, &UserRef::Id(access.user_id()))
        .await?)
}

#[tauri::command]
pub async fn activate_own_two_factor(state: State<'_, AppState>, code: String) -> Reply<Session> {
    let access = state.signed_in().await?;
    access
        .roster
        .activate_two_factor(&access.actor, &UserRef::Id(access.user_id()), &code)
        .await?;
    next_step(&state, &access).await
}

/// After the account holder changed their own password or activated their second factor
/// (which ends the account's other sessions), this one goes on, at what the account still
/// must do, if anything.
async fn next_step(state: &AppState, access: &Access) -> Reply<Session> {
    let session = access.roster.renew_session(&access.session).await?;
    state.set_session(Some(session.clone()));
    Ok(session)
}

#[tauri::command]
pub async fn own_tokens(state: State<'_, AppState>) -> Reply<Vec<TokenView>> {
    let access = state.ready().await?;
    let query = TokenQuery {
        user: Some(access.user_id()),
        ..TokenQuery::default()
    };
    Ok(access.roster.list_tokens(&access.actor, &query).await?)
}

#[tauri::command]
pub async fn set_password(
    state: State<'_, AppState>,
    id: UserId,
    choice: SetPassword,
) -> Reply<PasswordSet> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .set_password(&access.actor, &UserRef::Id(id), choice)
        .await?)
}

#[tauri::command]
pub async fn reset_two_factor(state: State<'_, AppState>, ids: Vec<UserId>) -> Reply<usize> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .reset_two_factor(&access.actor, &super::by_ids(&ids))
        .await?
        .len())
}

/// The QR code of a user's pending 2FA, for the helpdesk to show at the desk.
#[tauri::command]
pub async fn enrollment(state: State<'_, AppState>, id: UserId) -> Reply<Enrollment> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .enrollment(&access.actor, &UserRef::Id(id))
        .await?)
}

#[tauri::command]
pub async fn start_recovery(state: State<'_, AppState>, ids: Vec<UserId>) -> Reply<Vec<User>> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .start_recovery(&access.actor, &super::by_ids(&ids))
        .await?)
}

#[tauri::command]
pub async fn invite_user(state: State<'_, AppState>, id: UserId) -> Reply<User> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .invite(&access.actor, &UserRef::Id(id))
        .await?)
}

#[tauri::command]
pub async fn user_sign_ins(state: State<'_, AppState>, id: UserId) -> Reply<Vec<SignInEntry>> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .sign_ins(&access.actor, id, SIGN_IN_ENTRIES)
        .await?)
}

#[tauri::command]
pub async fn list_tokens(state: State<'_, AppState>, query: TokenQuery) -> Reply<Vec<TokenView>> {
    let access = state.ready().await?;
    Ok(access.roster.list_tokens(&access.actor, &query).await?)
}

#[tauri::command]
pub async fn issue_token(
    state: State<'_, AppState>,
    id: UserId,
    days: Option<u32>,
) -> Reply<IssuedToken> {
    let access = state.ready().await?;
    Ok(access
        .roster
        .issue_token(&access.actor, &UserRef::Id(id), days)
        .await?)
}

#[tauri::command]
pub async fn revoke_token(state: State<'_, AppState>, id: i64) -> Reply<TokenView> {
    let access = state.ready().await?;
    Ok(access.roster.revoke_token(&access.actor, id).await?)
}
