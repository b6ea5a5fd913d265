//! User (device enrollment) tokens: issue, list, revoke.

use super::*;
use crate::account::{NewTokenRecord, TokenFilter, TokenRecord};
use crate::credentials::token::{self, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TokenState};
use chrono::Duration;
use serde::{Deserialize, Serialize};

const MAX_TOKENS_LISTED: u32 = MAX_ENTRIES;

/// A token as lists show it: never its text, only the last four characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TokenView {
    pub id: i64,
    pub user_id: UserId,
    pub username: String,
    /// "…1a2b"
    pub display: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub days_left: i64,
    pub state: TokenState,
    /// When it last enrolled a device.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A token just issued: the only time its text is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IssuedToken {
    pub token: TokenView,
    pub text: String,
}

/// Which tokens to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct TokenQuery {
    pub user: Option<UserId>,
    pub state: Option<TokenState>,
    /// Active tokens that expire within this many days.
    pub expiring_within_days: Option<u32>,
    /// Only the tokens of this organization's users (the window's switcher).
    pub organization: Option<String>,
}

impl Roster {
    pub async fn issue_token(
        &self,
        actor: &Actor,
        user: &UserRef,
        days: Option<u32>,
    ) -> Result<IssuedToken, Error> {
        let days = days.unwrap_or(DEFAULT_TOKEN_DAYS);
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(Error::invalid(
                "days",
                format!(
                    "a token lasts between 1 and {MAX_TOKEN_DAYS} days; the default is {DEFAULT_TOKEN_DAYS}"
                ),
            ));
        }
        let user = self
            .user_to_manage(actor, Permission::ManageTokens, user)
            .await?;
        if matches!(
            user.status,
            Status::Suspended | Status::Locked | Status::AutoLocked
        ) {
            return Err(Error::IllegalTransition(format!(
                "{} is {}; unsuspend or unlock the account before issuing a token",
                user.username, user.status
            )));
        }
        let (text, hash) = token::new_token();
        let now = self.clock.now();
        let record = NewTokenRecord {
            user: user.id,
            hash,
            last4: text[text.len() - 4..].to_owned(),
            created_at: now,
            created_by: actor.name.clone(),
            expires_at: now + Duration::days(i64::from(days)),
        };
        let audit = self.record(
            actor,
            "token.issue",
            AuditTarget::user(&user),
            vec![FieldChange {
                field: "token".into(),
                before: None,
                after: Some(format!("…{} valid {days} days", record.last4)),
            }],
        );
        let id = self.repo.insert_token(&record, audit).await?;
        let stored = TokenRecord {
            id,
            user: user.id,
            username: user.username.clone(),
            last4: record.last4,
            created_at: record.created_at,
            created_by: record.created_by,
            expires_at: record.expires_at,
            revoked_at: None,
            last_used_at: None,
        };
        Ok(IssuedToken {
            token: self.token_view(stored),
            text,
        })
    }

    /// Everyone may list their own tokens; others' need the permission.
    pub async fn list_tokens(
        &self,
        actor: &Actor,
        query: &TokenQuery,
    ) -> Result<Vec<TokenView>, Error> {
        match query.user {
            Some(user) => actor.require_self_or(user, Permission::ViewTokens)?,
            None => actor.require(Permission::ViewTokens)?,
        }
        // One's own tokens are one's own, wherever one's account sits.
        let own = query.user.is_some_and(|user| actor.is(user));
        if let Some(user) = query.user.filter(|_| !own) {
            self.user_within(actor, &UserRef::Id(user)).await?;
        }
        let now = self.clock.now();
        let chosen = self
            .chosen_organization(actor, query.organization.as_deref())
            .await?;
        let mut filter = TokenFilter {
            user: query.user,
            limit: MAX_TOKENS_LISTED,
            within: match chosen {
                Some(organization) => Some(vec![organization]),
                None => actor
                    .scope()
                    .filter(|_| !own)
                    .map(<[crate::OrganizationId]>::to_vec),
            },
            ..TokenFilter::default()
        };
        match query.state {
            Some(TokenState::Revoked) => filter.revoked = Some(true),
            Some(TokenState::Expired) => {
                filter.revoked = Some(false);
                filter.expires_before = Some(now);
            }
            Some(TokenState::Active) => {
                filter.revoked = Some(false);
                filter.expires_after = Some(now);
            }
            None => {}
        }
        if let Some(days) = query.expiring_within_days {
            if days > MAX_TOKEN_DAYS {
                return Err(Error::invalid(
                    "expiring_within_days",
                    format!("choose at most {MAX_TOKEN_DAYS} days"),
                ));
            }
            filter.revoked = Some(false);
            filter.expires_after = Some(now);
            filter.expires_before = Some(now + Duration::days(i64::from(days)));
        }
        let records = self.repo.list_tokens(&filter).await?;
        Ok(records.into_iter().map(|r| self.token_view(r)).collect())
    }

    pub async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<TokenView, Error> {
        actor.require(Permission::ManageTokens)?;
        let missing = || Error::NotFound(format!("no user token with id {id}"));
        let token = self.repo.get_token(id).await?.ok_or_else(missing)?;
        // Whose it is decides before anything about it is told: outside the actor's
        // organizations a token is as missing as one that never was.
        let user = self
            .user_to_manage(actor, Permission::ManageTokens, &UserRef::Id(token.user))
            .await
            .map_err(|refused| match refused {
                Error::NotFound(_) => missing(),
                other => other,
            })?;
        if token.revoked_at.is_some() {
            return Err(Error::IllegalTransition(format!(
                "token …{} of {} is already revoked",
                token.last4, token.username
            )));
        }
        let now = self.clock.now();
        let audit = self.record(
            actor,
            "token.revoke",
            AuditTarget::user(&user),
            vec![FieldChange {
                field: "token".into(),
                before: Some(format!("…{} active", token.last4)),
                after: Some(format!("…{} revoked", token.last4)),
            }],
        );
        self.repo.revoke_token(id, now, audit).await?;
        Ok(self.token_view(TokenRecord {
            revoked_at: Some(now),
            ..token
        }))
    }

    fn token_view(&self, record: TokenRecord) -> TokenView {
        let now = self.clock.now();
        TokenView {
            id: record.id,
            user_id: record.user,
            username: record.username,
            display: format!("…{}", record.last4),
            created_at: record.created_at,
            created_by: record.created_by,
            expires_at: record.expires_at,
            days_left: token::days_left(record.expires_at, now),
            state: token::token_state(record.expires_at, record.revoked_at, now),
            last_used_at: record.last_used_at,
        }
    }
}
