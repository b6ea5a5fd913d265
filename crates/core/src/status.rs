//! The account status state machine. Every status change is one of these actions; any
//! other change is refused with a reason a person can act on.

use crate::rbac::Permission;
use crate::user::Status;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum StatusAction {
    /// An admin completes onboarding of a staged user.
    Activate,
    Suspend,
    Unsuspend,
    Lock,
    /// Ends both an admin lock and an automatic lock.
    Unlock,
    /// Too many failed sign-ins.
    AutoLock,
    /// The user must set a new password at the next sign-in.
    RequirePasswordChange,
    /// A password reset was requested.
    StartRecovery,
    /// The user set a new password (after a forced change or a recovery).
    CompletePasswordChange,
}

impl StatusAction {
    pub const ALL: [StatusAction; 9] = [
        StatusAction::Activate,
        StatusAction::Suspend,
        StatusAction::Unsuspend,
        StatusAction::Lock,
        StatusAction::Unlock,
        StatusAction::AutoLock,
        StatusAction::RequirePasswordChange,
        StatusAction::StartRecovery,
        StatusAction::CompletePasswordChange,
    ];

    /// The actions an admin takes by hand, and the permission each needs. The others
    /// happen through their own services (sign-in, password changes, recovery).
    pub fn permission(self) -> Option<Permission> {
        match self {
            StatusAction::Unlock => Some(Permission::UnlockUsers),
            StatusAction::Activate
            | StatusAction::Suspend
            | StatusAction::Unsuspend
            | StatusAction::Lock => Some(Permission::ManageUsers),
            StatusAction::AutoLock
            | StatusAction::RequirePasswordChange
            | StatusAction::StartRecovery
            | StatusAction::CompletePasswordChange => None,
        }
    }

    /// The audit action name, e.g. `user.suspend`.
    pub fn audit_action(self) -> &'static str {
        match self {
            StatusAction::Activate => "user.activate",
            StatusAction::Suspend => "user.suspend",
            StatusAction::Unsuspend => "user.unsuspend",
            StatusAction::Lock => "user.lock",
            StatusAction::Unlock => "user.unlock",
            StatusAction::AutoLock => "user.auto_lock",
            StatusAction::RequirePasswordChange => "user.require_password_change",
            StatusAction::StartRecovery => "user.start_recovery",
            StatusAction::CompletePasswordChange => "user.complete_password_change",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            StatusAction::Activate => "activate",
            StatusAction::Suspend => "suspend",
            StatusAction::Unsuspend => "unsuspend",
            StatusAction::Lock => "lock",
            StatusAction::Unlock => "unlock",
            StatusAction::AutoLock => "auto-lock",
            StatusAction::RequirePasswordChange => "require a password change for",
            StatusAction::StartRecovery => "start password recovery for",
            StatusAction::CompletePasswordChange => "complete the password change of",
        }
    }
}

impl fmt::Display for StatusAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.verb())
    }
}

/// A status action a console account may take by hand, and the statuses it is legal
/// from: the menus offer exactly these, read from the state machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusActionRule {
    pub action: StatusAction,
    pub from: Vec<Status>,
}

/// The by-hand actions the permissions allow, each with the statuses it is legal from.
pub fn status_action_rules(permissions: &[Permission]) -> Vec<StatusActionRule> {
    StatusAction::ALL
        .into_iter()
        .filter(|a| a.permission().is_some_and(|p| permissions.contains(&p)))
        .map(|action| StatusActionRule {
            action,
            from: Status::ALL
                .into_iter()
                .filter(|from| transition(*from, action).is_ok())
                .collect(),
        })
        .collect()
}

/// The status an action leads to from `from`, or why it cannot be taken.
pub fn transition(from: Status, action: StatusAction) -> Result<Status, String> {
    use Status::*;
    use StatusAction::*;
    let to = match (action, from) {
        (Activate, Staged) => Active,
        (Suspend, Suspended) => return Err("is already suspended".into()),
        (Suspend, _) => Suspended,
        (Unsuspend, Suspended) => Active,
        (Lock, Staged | Active | AwaitingNewPassword | Recovery | AutoLocked) => Locked,
        (Lock, Locked) => return Err("is already locked".into()),
        (Lock, Suspended) => {
            return Err("is suspended, which already blocks sign-in; unsuspend first".into());
        }
        (Unlock, Locked | AutoLocked) => Active,
        // Every state that can sign in can be guessed at, a staged one included.
        (AutoLock, Staged | Active | AwaitingNewPassword | Recovery) => AutoLocked,
        (RequirePasswordChange, Active | Staged | Recovery) => AwaitingNewPassword,
        (StartRecovery, Active | AwaitingNewPassword | Recovery) => Recovery,
        (CompletePasswordChange, AwaitingNewPassword | Recovery) => Active,
        (_, from) => {
            return Err(format!(
                "is {}, so cannot be told to {action}",
                describe(from)
            ));
        }
    };
    Ok(to)
}

fn describe(status: Status) -> &'static str {
    match status {
        Status::Staged => "staged (onboarding not completed)",
        Status::Active => "active",
        Status::Suspended => "suspended",
        Status::Locked => "locked by an admin",
        Status::AutoLocked => "locked after failed sign-ins",
        Status::AwaitingNewPassword => "awaiting a new password",
        Status::Recovery => "in password recovery",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;
    use StatusAction::*;

    /// The whole table: every (action, from) pair and where it leads, `None` = refused.
    /// A change to the state machine must change this table.
    #[rustfmt::skip]
    const TABLE: &[(StatusAction, [Option<Status>; 7])] = &[
        //                       Staged               Active               Suspended        Locked           AutoLocked       AwaitingNewPw          Recovery
        (Activate,              [Some(Active),        None,                None,            None,            None,            None,                  None]),
        (Suspend,               [Some(Suspended),     Some(Suspended),     None,            Some(Suspended), Some(Suspended), Some(Suspended),       Some(Suspended)]),
        (Unsuspend,             [None,                None,                Some(Active),    None,            None,            None,                  None]),
        (Lock,                  [Some(Locked),        Some(Locked),        None,            None,            Some(Locked),    Some(Locked),          Some(Locked)]),
        (Unlock,                [None,                None,                None,            Some(Active),    Some(Active),    None,                  None]),
        (AutoLock,              [Some(AutoLocked),    Some(AutoLocked),    None,            None,            None,            Some(AutoLocked),      Some(AutoLocked)]),
        (RequirePasswordChange, [Some(AwaitingNewPassword), Some(AwaitingNewPassword), None, None,         None,            None,                  Some(AwaitingNewPassword)]),
        (StartRecovery,         [None,                Some(Recovery),      None,            None,            None,            Some(Recovery),        Some(Recovery)]),
        (CompletePasswordChange,[None,                None,                None,            None,            None,            Some(Active),          Some(Active)]),
    ];

    #[test]
    fn every_transition_matches_the_table() {
        assert_eq!(
            TABLE.len(),
            StatusAction::ALL.len(),
            "every action is in the table"
        );
        for (action, row) in TABLE {
            for (from, expected) in Status::ALL.into_iter().zip(row) {
                let got = transition(from, *action).ok();
                assert_eq!(got, *expected, "{action:?} from {from:?}");
            }
        }
    }

    #[test]
    fn the_rules_offer_what_the_role_may_from_where_it_is_legal() {
        let helpdesk = status_action_rules(&[Permission::ViewUsers, Permission::UnlockUsers]);
        assert_eq!(
            helpdesk,
            vec![StatusActionRule {
                action: Unlock,
                from: vec![Locked, AutoLocked]
            }]
        );
        let admin = status_action_rules(&[Permission::ManageUsers, Permission::UnlockUsers]);
        let actions: Vec<StatusAction> = admin.iter().map(|r| r.action).collect();
        assert_eq!(actions, vec![Activate, Suspend, Unsuspend, Lock, Unlock]);
        assert_eq!(admin[0].from, vec![Staged]);
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(
            transition(Suspended, Suspend).unwrap_err(),
            "is already suspended"
        );
        assert_eq!(
            transition(Suspended, Lock).unwrap_err(),
            "is suspended, which already blocks sign-in; unsuspend first"
        );
        assert_eq!(
            transition(Active, Unlock).unwrap_err(),
            "is active, so cannot be told to unlock"
        );
        assert_eq!(
            transition(Active, Unsuspend).unwrap_err(),
            "is active, so cannot be told to unsuspend"
        );
    }

    #[test]
    fn status_names_parse_back() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        assert_eq!("Auto-Locked".parse::<Status>(), Ok(AutoLocked));
        assert!(
            "frozen"
                .parse::<Status>()
                .unwrap_err()
                .contains("use one of: staged")
        );
    }
}
