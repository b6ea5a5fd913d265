//! The first Owner, created on an empty database from the sign-in screen.

use super::credentials::*;
use super::users;
use super::*;
use crate::account::Credentials;
use crate::session::SessionStage;
use serde::{Deserialize, Serialize};

/// The first Owner, created on an empty database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct FirstOwner {
    pub user: NewUser,
    pub password: String,
}

impl Roster {
    /// True only on a directory without any account: the console then asks for the first
    /// Owner. Never again once there is one, whatever happens to the Owners (the last one
    /// cannot be removed, demoted, suspended or locked by hand): otherwise anyone at the
    /// sign-in screen could make themselves Owner of a directory that lost its own.
    pub async fn needs_first_owner(&self) -> Result<bool, Error> {
        Ok(self
            .repo
            .count_matching_users(&UserQuery::default(), Some(1))
            .await?
            .n
            == 0)
    }

    /// Creates the first Owner (active, with the given password). Refused once the
    /// directory has any account.
    pub async fn create_first_owner(
        &self,
        input: FirstOwner,
        workstation: &str,
        origin: Origin,
    ) -> Result<SignedInUser, Error> {
        if !self.needs_first_owner().await? {
            return Err(Error::Forbidden(
                "this directory already has accounts; sign in, or ask an Owner for an account"
                    .into(),
            ));
        }
        let mut new_user = input.user;
        new_user.role = Some(OWNER_ROLE.into());
        new_user.status = Some(Status::Active);
        // Nobody can sign in yet: the person at the first-run screen acts for the empty
        // directory, as the operator of a new installation.
        let actor = Actor {
            rights: Rights::Operator,
            ..Actor::signing_in(
                new_user.username.as_deref().unwrap_or(&new_user.email),
                workstation,
                origin,
            )
        };
        // Check everything, the password included, before writing; then one transaction.
        let mut account = self.new_account(&actor, new_user).await?;
        let hash = self
            .new_password_hash(&input.password, &account.user.username, &account.user.email)
            .await?;
        account.user.password_changed_at = Some(account.user.created_at);
        account.credentials = Some(Credentials {
            password_hash: Some(hash),
            ..Credentials::default()
        });
        let created = users::provisional_user(&account.user);
        account.audit.push(self.record(
            &actor,
            "user.set_password",
            AuditTarget::user(&created),
            vec![FieldChange {
                field: "password".into(),
                before: None,
                after: Some("set by the first Owner".into()),
            }],
        ));
        let user = self.create_account(account).await?;
        Ok(SignedInUser {
            user,
            stage: SessionStage::Ready,
        })
    }
}
