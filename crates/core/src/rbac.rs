//! Who may do what in the console. A role is a named set of permissions; the built-in
//! roles are fixed, custom roles are edited in the Roles screen. Front ends check a
//! permission before calling a service (see ARCHITECTURE.md); self-service (own password,
//! own 2FA, own tokens) needs none.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Permission {
    /// See users, groups, the overview and users' activity.
    ViewUsers,
    /// Create, edit, delete, suspend and lock users; bulk settings.
    ManageUsers,
    /// Unlock locked and auto-locked accounts.
    UnlockUsers,
    /// Create, rename and delete groups; change members.
    ManageGroups,
    /// Set passwords, reset 2FA, send recovery codes and invitations.
    ResetCredentials,
    /// See user tokens and the devices they enrolled.
    ViewTokens,
    /// Issue and revoke user tokens; add, edit, reassign, retire and delete devices.
    ManageTokens,
    ViewAudit,
    /// Read the outbox (it holds recovery codes).
    ViewOutbox,
    ManageRoles,
    /// Create, rename and delete organizations.
    ManageOrganizations,
    /// Organization name, password and sign-in policy, SMTP.
    ManageSettings,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::ViewUsers,
        Permission::ManageUsers,
        Permission::UnlockUsers,
        Permission::ManageGroups,
        Permission::ResetCredentials,
        Permission::ViewTokens,
        Permission::ManageTokens,
        Permission::ViewAudit,
        Permission::ViewOutbox,
        Permission::ManageRoles,
        Permission::ManageOrganizations,
        Permission::ManageSettings,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewUsers => "view_users",
            Permission::ManageUsers => "manage_users",
            Permission::UnlockUsers => "unlock_users",
            Permission::ManageGroups => "manage_groups",
            Permission::ResetCredentials => "reset_credentials",
            Permission::ViewTokens => "view_tokens",
            Permission::ManageTokens => "manage_tokens",
            Permission::ViewAudit => "view_audit",
            Permission::ViewOutbox => "view_outbox",
            Permission::ManageRoles => "manage_roles",
            Permission::ManageOrganizations => "manage_organizations",
            Permission::ManageSettings => "manage_settings",
        }
    }

    /// How the Roles screen and refusals name it.
    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewUsers => "view users and groups",
            Permission::ManageUsers => "create, edit, suspend, lock and delete users",
            Permission::UnlockUsers => "unlock accounts",
            Permission::ManageGroups => "manage groups",
            Permission::ResetCredentials => "reset passwords and 2FA",
            Permission::ViewTokens => "view user tokens and devices",
            Permission::ManageTokens => "issue and revoke user tokens and manage devices",
            Permission::ViewAudit => "read the audit trail",
            Permission::ViewOutbox => "read the outbox",
            Permission::ManageRoles => "manage roles",
            Permission::ManageOrganizations => "create, rename and delete organizations",
            Permission::ManageSettings => "change settings",
        }
    }

    /// Whether the permission concerns the directory as a whole, which an account limited
    /// to some organizations never has: roles, settings (with the audit trail's retention
    /// and test messages), the organizations themselves, and the outbox (every account
    /// holder's messages).
    pub fn directory_wide(self) -> bool {
        matches!(
            self,
            Permission::ManageRoles
                | Permission::ManageSettings
                | Permission::ManageOrganizations
                | Permission::ViewOutbox
        )
    }

    pub fn parse(text: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// The permissions of a built-in role, or `None` for a custom one.
pub fn built_in_permissions(role: &str) -> Option<Vec<Permission>> {
    use Permission::*;
    let permissions = match role {
        "owner" => Permission::ALL.to_vec(),
        "admin" => vec![
            ViewUsers,
            ManageUsers,
            UnlockUsers,
            ManageGroups,
            ResetCredentials,
            ViewTokens,
            ManageTokens,
            ViewAudit,
            ViewOutbox,
            ManageOrganizations,
        ],
        "helpdesk" => vec![
            ViewUsers,
            UnlockUsers,
            ResetCredentials,
            ViewTokens,
            ManageTokens,
            ViewOutbox,
        ],
        "auditor" => vec![ViewUsers, ViewTokens, ViewAudit],
        "user" => Vec::new(),
        _ => return None,
    };
    Some(permissions)
}

/// A role as the Roles screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Role {
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub permissions: Vec<Permission>,
    /// How many users have this role.
    pub user_count: i64,
    /// Counts the role's saves; a save names the version it edited.
    pub version: i64,
}

/// A custom role to create or change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct RoleInput {
    pub name: String,
    pub description: String,
    pub permissions: Vec<Permission>,
    /// The version edited; `None` creates a new role, refused when the name is taken.
    pub version: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_roles_nest_from_owner_down_to_user() {
        let of = |role| built_in_permissions(role).unwrap();
        let within =
            |inner: &[Permission], outer: &[Permission]| inner.iter().all(|p| outer.contains(p));
        assert_eq!(of("owner").len(), Permission::ALL.len());
        assert!(within(&of("admin"), &of("owner")));
        assert!(within(&of("helpdesk"), &of("admin")));
        assert!(within(&of("auditor"), &of("admin")));
        assert!(!of("admin").contains(&Permission::ManageRoles));
        assert!(!of("helpdesk").contains(&Permission::ManageUsers));
        assert!(!of("auditor").iter().any(|p| matches!(
            p,
            Permission::ManageUsers | Permission::ResetCredentials | Permission::ManageTokens
        )));
        assert!(of("user").is_empty());
        assert_eq!(built_in_permissions("printer-admins"), None);
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
    }
}
