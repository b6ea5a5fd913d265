//! User (device enrollment) tokens: 128 random bits shown once as 32 lowercase hex
//! characters; only a hash and the last four characters are kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const DEFAULT_TOKEN_DAYS: u32 = 720;
/// Ten years; a longer-lived token is a password nobody rotates.
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// A new token's secret text and the hash that is stored.
pub(crate) fn new_token() -> (String, String) {
    let text = super::hex(&super::random_bytes::<16>());
    let hash = super::sha256_hex(&text);
    (text, hash)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Expired => "expired",
            TokenState::Revoked => "revoked",
        }
    }
}

/// Whole days until expiry, rounded up ("expires later today" is one day left), never
/// below zero.
pub fn days_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let seconds = (expires_at - now).num_seconds();
    if seconds <= 0 {
        0
    } else {
        (seconds + 86_399) / 86_400
    }
}

pub fn token_state(
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> TokenState {
    if revoked_at.is_some() {
        TokenState::Revoked
    } else if expires_at <= now {
        TokenState::Expired
    } else {
        TokenState::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn tokens_are_32_hex_characters_stored_as_a_hash() {
        let (text, hash) = new_token();
        assert_eq!(text.len(), 32);
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(hash, super::super::sha256_hex(&text));
        assert_ne!(text, new_token().0);
    }

    #[test]
    fn days_left_round_up_and_stop_at_zero() {
        let now: DateTime<Utc> = "2026-01-01T09:00:00Z".parse().unwrap();
        assert_eq!(days_left(now + Duration::days(720), now), 720);
        assert_eq!(days_left(now + Duration::hours(1), now), 1);
        assert_eq!(
            days_left(now + Duration::days(1) + Duration::seconds(1), now),
            2
        );
        assert_eq!(days_left(now, now), 0);
        assert_eq!(days_left(now - Duration::days(3), now), 0);
        assert_eq!(token_state(now, None, now), TokenState::Expired);
        assert_eq!(
            token_state(now + Duration::days(1), None, now),
            TokenState::Active
        );
        assert_eq!(
            token_state(now + Duration::days(1), Some(now), now),
            TokenState::Revoked
        );
    }
}
