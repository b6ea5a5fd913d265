//! The storage port. Each backend (crates/store) implements [`Repository`]; services never
//! see SQL. Every write method takes the audit records of the change and must write them
//! in the same transaction: either the change and its audit entries are stored, or neither.

use crate::account::{
    AccountChange, Credentials, GroupChoice, NewAccount, NewTokenRecord, SessionAccount,
    SignInEntry, TokenFilter, TokenRecord,
};
use crate::attribute::{Attribute, AttributeId, AttributeRecord};
use crate::audit::{AuditEntry, AuditPurge, AuditQuery, AuditRecord};
use crate::audit_chain::{ChainHead, ChainRow};
use crate::backup::BackupFile;
use crate::change_mark::{ChangeFloors, ChangeMark};
use crate::device::{Device, DeviceHandover, DeviceId, DeviceQuery, NewDevice};
use crate::diagnostics::Census;
use crate::error::StoreError;
use crate::group::{Group, GroupId};
use crate::import::Membership;
use crate::mail::MailMessage;
use crate::organization::{Organization, OrganizationId};
use crate::query::{Count, UserQuery};
use crate::rbac::Permission;
use crate::settings::Settings;
use crate::user::{Status, TwoFactorState, User, UserId, UserRef};

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A role as stored: its permissions are read separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub version: i64,
}

/// A validated user ready to insert.
/// An import being written, batch by batch, into one open transaction: it lands whole on
/// [`ImportWriter::commit`], or not at all when dropped (a problem, an error, a cancel, a
/// crash).
#[async_trait::async_trait]
pub trait ImportWriter: Send {
    /// Inserts new accounts (as [`Repository::insert_users`]) and writes changed users (each
    /// only if its stored version still matches), with their audit records.
    async fn write(
        &mut self,
        accounts: Vec<NewAccount>,
        updates: Vec<UserUpdate>,
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError>;

    /// Writes the entries about the import as a whole and commits.
    async fn commit(self: Box<Self>, audit: Vec<AuditRecord>) -> Result<(), StoreError>;

    /// Undoes everything written, before the import's error is reported, so the next
    /// writer finds the database free.
    async fn roll_back(self: Box<Self>) -> Result<(), StoreError>;
}

/// An existing user an import changes: their new state (written if their stored version
/// still matches; `None` leaves the user as they are), and the groups they join at `at`,
/// created by `actor` when missing.
#[derive(Debug, Clone, PartialEq)]
pub struct UserUpdate {
    pub id: UserId,
    pub user: Option<User>,
    pub groups: Vec<GroupChoice>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A user holding an email or username an import wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenKey {
    pub id: UserId,
    pub email_key: String,
    pub username_key: String,
    /// [`crate::lookalike_key`] of the email and of the username.
    pub email_lookalike: String,
    pub username_lookalike: String,
    pub username: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupMembershipChange {
    Add,
    Remove,
}

#[async_trait::async_trait]
pub trait Repository: Send + Sync {
    /// "sqlite", "postgres" or "mysql".
    fn backend(&self) -> &'static str;
    /// Where the data lives, safe to show (no password).
    fn location(&self) -> String;

    /// Inserts the accounts in one transaction and returns their new ids in order. Each
    /// account's audit records get the new user's id as their target id; `audit` holds
    /// entries about the batch as a whole, written in the same transaction.
    async fn insert_users(
        &self,
        accounts: Vec<NewAccount>,
        audit: Vec<AuditRecord>,
    ) -> Result<Vec<UserId>, StoreError>;

    /// Starts writing an import: one transaction that holds the write lock until
    /// [`ImportWriter::commit`], and rolls back when dropped.
    async fn begin_import(&self) -> Result<Box<dyn ImportWriter>, StoreError>;

    /// Writes each user's new state, each only if its stored `version` still equals the
    /// given one (else [`StoreError::Stale`]); bumps versions. All or nothing.
    async fn update_users(
        &self,
        users: &[User],
        audit: Vec<AuditRecord>,
    ) -> Result<Vec<User>, StoreError>;

    /// Deletes the users (with their memberships), each only if not changed since read.
    /// Their devices are retired (left with no owner) or handed to another user, and
    /// `reports`, who reported to them, are written as given (without a manager), each
    /// only if unchanged since read, all in the same transaction.
    async fn delete_users(
        &self,
        users: &[User],
        reports: &[User],
        devices: DeviceHandover,
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError>;

    /// The names of all roles, lower-case.
    async fn roles(&self) -> Result<Vec<String>, StoreError>;

    async fn find_user(&self, user: &UserRef) -> Result<Option<User>, StoreError>;

    /// The users whose email or username is one of these, or looks like one
    /// ([`crate::lookalike_key`]): one query for a batch of rows to check. The keys of
    /// each tell an exact match from a lookalike.
    async fn taken_keys(
        &self,
        emails: &[String],
        usernames: &[String],
    ) -> Result<Vec<TakenKey>, StoreError>;

    /// Whether a user has this username, or one that looks like it.
    async fn username_taken(&self, username: &str) -> Result<bool, StoreError>;

    /// The page of users the query asks for, without counting all it matches.
    async fn list_users(&self, query: &UserQuery) -> Result<Vec<User>, StoreError>;

    /// How many users the query matches (its limit and offset ignored), reading no further
    /// than `up_to` matches when given.
    async fn count_matching_users(
        &self,
        query: &UserQuery,
        up_to: Option<u64>,
    ) -> Result<Count, StoreError>;

    /// Every user the query matches (its limit and offset ignored), in its order, handed
    /// to `visit` one at a time as they are read, tags included; stops at `visit`'s first
    /// error. Returns how many were visited.
    async fn each_user(
        &self,
        query: &UserQuery,
        visit: &mut (dyn FnMut(User) -> Result<(), StoreError> + Send),
    ) -> Result<u64, StoreError>;

    /// The ids of up to `limit` users matching the query (its limit and offset ignored),
    /// in the query's order.
    async fn user_ids(&self, query: &UserQuery, limit: u64) -> Result<Vec<UserId>, StoreError>;

    /// How many users are in each status and each 2FA state (states with none left out),
    /// in the whole directory or in these organizations.
    async fn count_users(
        &self,
        within: Option<&[OrganizationId]>,
    ) -> Result<(Vec<(Status, u64)>, Vec<(TwoFactorState, u64)>), StoreError>;

    /// Every organization's id and name, alphabetically.
    async fn organization_names(&self) -> Result<Vec<(OrganizationId, String)>, StoreError>;

    /// The organizations a console account administers; `None`: the whole directory.
    async fn account_scope(&self, user: UserId) -> Result<Option<Vec<OrganizationId>>, StoreError>;

    /// Limits a console account to these organizations (`None`: the whole directory);
    /// [`StoreError::NotFound`] when the user or one of the organizations is gone.
    async fn set_account_scope(
        &self,
        user: UserId,
        scope: Option<&[OrganizationId]>,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    /// Every organization with how many users and groups belong to it, alphabetically.
    async fn list_organizations(&self) -> Result<Vec<Organization>, StoreError>;

    /// Creates an organization ([`StoreError::Duplicate`] when the name is taken); the
    /// audit record's target id is filled in with the new id.
    async fn insert_organization(
        &self,
        name: &str,
        created_at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Organization, StoreError>;

    /// Renames an organization, and its users' copy of the name with it
    /// ([`StoreError::Duplicate`] when the name is taken, [`StoreError::NotFound`] when it
    /// is gone).
    async fn rename_organization(
        &self,
        organization: OrganizationId,
        name: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    /// Deletes an organization. With `move_to`, its users (their versions bumped), groups
    /// and the accounts limited to it move there first ([`StoreError::Duplicate`] when a
    /// group's name is taken there); without, [`StoreError::MissingReference`] while
    /// anything belongs to it.
    async fn delete_organization(
        &self,
        organization: OrganizationId,
        move_to: Option<OrganizationId>,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    /// Team names, alphabetically: every team, or those of users in these organizations.
    async fn teams(&self, within: Option<&[OrganizationId]>) -> Result<Vec<String>, StoreError>;

    /// The departments users have, alphabetically (at most [`crate::MAX_DEPARTMENTS`]):
    /// of every user, or of users in these organizations.
    async fn departments(
        &self,
        within: Option<&[OrganizationId]>,
    ) -> Result<Vec<String>, StoreError>;

    /// Every attribute admins defined, by name.
    async fn attributes(&self) -> Result<Vec<Attribute>, StoreError>;

    /// Defines an attribute ([`StoreError::Duplicate`] when its name is taken); the audit
    /// record's target id is filled in with the new id.
    async fn insert_attribute(
        &self,
        record: AttributeRecord,
        audit: AuditRecord,
    ) -> Result<Attribute, StoreError>;

    /// How many users hold a value of the attribute.
    async fn count_attribute_values(&self, attribute: AttributeId) -> Result<u64, StoreError>;

    /// A value of the attribute that more than one user holds, if any.
    async fn shared_attribute_value(
        &self,
        attribute: AttributeId,
    ) -> Result<Option<String>, StoreError>;

    /// Writes the attribute's new label, choices and rules if it is still as `before` and
    /// no user holds a choice in `dropped` ([`StoreError::Stale`] otherwise); values become
    /// unique with it, or stop being ([`StoreError::Duplicate`] where two users share one).
    async fn update_attribute(
        &self,
        before: &Attribute,
        after: &Attribute,
        dropped: &[String],
        audit: AuditRecord,
    ) -> Result<Attribute, StoreError>;

    /// Removes the attribute and every value of it, if `values` users still hold one
    /// (else [`StoreError::Stale`]: the admin confirmed another number).
    async fn delete_attribute(
        &self,
        attribute: AttributeId,
        values: u64,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    /// The user holding this value of the attribute, if any.
    async fn attribute_holder(
        &self,
        attribute: AttributeId,
        value: &str,
    ) -> Result<Option<UserId>, StoreError>;

    /// Inserts a group; the audit record's target id is filled in with the new id.
    async fn insert_group(
        &self,
        name: &str,
        description: &str,
        organization: Option<&str>,
        created_by: &str,
        created_at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Group, StoreError>;

    async fn get_group(&self, group: GroupId) -> Result<Option<Group>, StoreError>;

    /// Renames a group or changes its description, only if its stored version is still
    /// `version` (else [`StoreError::Stale`]); the group's version goes up by one.
    async fn update_group(
        &self,
        group: GroupId,
        name: &str,
        description: &str,
        version: i64,
        audit: AuditRecord,
    ) -> Result<Group, StoreError>;

    /// Groups whose name has this normalised key, in any organization.
    async fn find_groups(&self, name_key: &str) -> Result<Vec<Group>, StoreError>;

    async fn list_groups(&self) -> Result<Vec<Group>, StoreError>;

    /// The groups this user is a member of, by name.
    async fn groups_of(&self, user: UserId) -> Result<Vec<Group>, StoreError>;

    async fn delete_group(&self, group: GroupId, audit: AuditRecord) -> Result<(), StoreError>;

    /// Adds or removes the users; users already in (or not in) the group are left as they
    /// are, and only the records given are written.
    async fn change_members(
        &self,
        group: GroupId,
        change: GroupMembershipChange,
        users: &[UserId],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError>;

    /// Every membership, by group name then username, each handed to `visit` as it is read.
    async fn each_membership(
        &self,
        visit: &mut (dyn FnMut(Membership) -> Result<(), StoreError> + Send),
    ) -> Result<u64, StoreError>;

    /// Which of these users are members of the group.
    async fn members_among(
        &self,
        group: GroupId,
        users: &[UserId],
    ) -> Result<Vec<UserId>, StoreError>;

    /// Entries as committed, newest first: where entries wait to be chained after their
    /// write commits (a server), those waiting are chained first, as far as the chain is
    /// free to be, so a write that has committed is in the log read after it.
    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;

    /// The audit chain's ends: the base the oldest kept entry links to and the newest hash,
    /// after chaining what waits as `list_audit` does; and how many entries still wait.
    async fn audit_chain_head(&self) -> Result<ChainHead, StoreError>;

    /// At most `limit` audit entries after `after`, in id order, exactly as stored.
    async fn audit_chain_rows(&self, after: i64, limit: u32) -> Result<Vec<ChainRow>, StoreError>;

    /// What purging the entries written before `before` removes: the oldest entries up to
    /// the first written at or after it, and the sign-in events before it.
    async fn audit_purge_plan(&self, before: DateTime<Utc>) -> Result<AuditPurge, StoreError>;

    /// Removes what `plan` names, moves the chain's base past it and writes `audit`, in one
    /// transaction; [`StoreError::Stale`] when its entries were purged meanwhile.
    async fn purge_audit(&self, plan: &AuditPurge, audit: AuditRecord) -> Result<(), StoreError>;

    /// The largest audit and sign-in event ids, and how many rows of each lie above `floors`.
    async fn change_mark(&self, floors: ChangeFloors) -> Result<ChangeMark, StoreError>;

    /// A user's secrets; all empty when none were ever set.
    async fn credentials(&self, user: UserId) -> Result<Credentials, StoreError>;

    /// Writes every change in one transaction: all of them or none. Returns the users
    /// written, in order. A change of a user's status, role, two-factor state or password
    /// date, and a [`crate::SecretChange`] that ends sessions, move the account's session
    /// generation.
    async fn save_accounts(&self, changes: Vec<AccountChange>) -> Result<Vec<User>, StoreError>;

    /// The directory's identity and the account as a signed-in session depends on it.
    async fn session_account(&self, user: UserId) -> Result<SessionAccount, StoreError>;

    /// Failed sign-ins since `since` with a name that matched no account.
    async fn unknown_login_failures(
        &self,
        login_key: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// Newest first.
    async fn sign_ins(&self, user: UserId, limit: u32) -> Result<Vec<SignInEntry>, StoreError>;

    async fn insert_token(
        &self,
        token: &NewTokenRecord,
        audit: AuditRecord,
    ) -> Result<i64, StoreError>;

    async fn get_token(&self, id: i64) -> Result<Option<TokenRecord>, StoreError>;

    async fn revoke_token(
        &self,
        id: i64,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    async fn list_tokens(&self, filter: &TokenFilter) -> Result<Vec<TokenRecord>, StoreError>;

    /// The token whose text hashes to `hash`.
    async fn find_token(&self, hash: &str) -> Result<Option<TokenRecord>, StoreError>;

    /// Writes the device (a serial number taken in its organization is
    /// [`StoreError::Duplicate`] on `serial`), sets its token's last use and its owner's
    /// device count; the audit record's target id is set to the new device's.
    async fn insert_device(
        &self,
        device: &NewDevice,
        audit: AuditRecord,
    ) -> Result<Device, StoreError>;

    /// Writes the devices of an import, each with its audit record (whose target id is set
    /// to the device's), and the import's own entry; all or nothing.
    async fn insert_devices(
        &self,
        devices: Vec<(NewDevice, AuditRecord)>,
        job: AuditRecord,
    ) -> Result<(), StoreError>;

    /// Whether a device in this organization (`None`: in none) has this serial key.
    async fn serial_taken(
        &self,
        organization: Option<OrganizationId>,
        serial_key: &str,
    ) -> Result<bool, StoreError>;

    /// The devices that exist among `ids`, in id order.
    async fn get_devices(&self, ids: &[DeviceId]) -> Result<Vec<Device>, StoreError>;

    /// Writes each device's new state (name, OS, model, serial, owner, organization,
    /// state), each only if its stored `version` still equals the given one; recounts the
    /// owners' devices before and after. All or nothing.
    async fn update_devices(
        &self,
        devices: &[Device],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError>;

    /// Deletes the devices, each only if not changed since read.
    async fn delete_devices(
        &self,
        devices: &[Device],
        audit: Vec<AuditRecord>,
    ) -> Result<(), StoreError>;

    async fn list_devices(&self, query: &DeviceQuery) -> Result<Vec<Device>, StoreError>;

    async fn count_devices(&self, query: &DeviceQuery) -> Result<u64, StoreError>;

    /// Custom roles' permissions by role name (built-in roles' come from code).
    async fn role_permissions(&self) -> Result<Vec<(String, Permission)>, StoreError>;

    /// Users per role name.
    async fn role_user_counts(&self) -> Result<Vec<(String, i64)>, StoreError>;

    /// Every role, built-in ones first.
    async fn role_rows(&self) -> Result<Vec<RoleRow>, StoreError>;

    /// Creates a custom role (`version` `None`; [`StoreError::Duplicate`] when the name is
    /// taken) or replaces one whose stored version is still `version` (else
    /// [`StoreError::Stale`], or [`StoreError::NotFound`] when it is gone), with its
    /// permissions.
    async fn save_role(
        &self,
        name: &str,
        description: &str,
        permissions: &[Permission],
        version: Option<i64>,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;

    /// Deletes a custom role; [`StoreError::MissingReference`] while users have it.
    async fn delete_role(&self, name: &str, audit: AuditRecord) -> Result<(), StoreError>;

    /// `None` until settings were first saved.
    async fn settings(&self) -> Result<Option<Settings>, StoreError>;

    /// Writes the settings as version `settings.version + 1`, only if the stored version
    /// (0 when never saved) still equals `settings.version` (else [`StoreError::Stale`]).
    async fn save_settings(
        &self,
        settings: &Settings,
        audit: AuditRecord,
    ) -> Result<Settings, StoreError>;

    /// Newest first.
    async fn list_mail(&self, limit: u32) -> Result<Vec<MailMessage>, StoreError>;

    async fn get_mail(&self, id: i64) -> Result<Option<MailMessage>, StoreError>;

    /// Queued messages whose next attempt is due, oldest first.
    async fn due_mail(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<MailMessage>, StoreError>;

    /// Stores the outcome of a send attempt (status, attempts, error, times).
    async fn update_mail(&self, mail: &MailMessage) -> Result<(), StoreError>;

    /// Records an entry about the directory as a whole (a restore), in its own transaction.
    async fn record(&self, audit: AuditRecord) -> Result<(), StoreError>;

    /// The database's kind, schema version, size and how many of each record it holds,
    /// for a diagnostics report.
    async fn census(&self) -> Result<Census, StoreError>;

    // Backups: a database kept in one file (SQLite) only. A server's are the server's own
    // tools' (pg_dump, mariadb-dump), so a server's repository answers `None` to
    // `default_backup_folder` and refuses the rest.

    /// `backups` beside the database file; `None` for a server.
    fn default_backup_folder(&self) -> Option<PathBuf>;

    /// Writes a consistent copy of the whole database into `to`, a file that must not exist
    /// yet, created readable by the owning account only (as is its folder, when created),
    /// while others keep working; checks the copy's integrity before it is given its name.
    /// With `seal`, the file is encrypted with that passphrase in the `age` format (the
    /// copy is made and checked beside the database first, so no plain copy is ever
    /// written where the encrypted one goes).
    async fn back_up(&self, to: &Path, seal: Option<&str>) -> Result<BackupFile, StoreError>;

    /// The backups in `folder` (files named as `backup::backup_file_name` names them),
    /// oldest first; none when the folder does not exist.
    async fn list_backups(&self, folder: &Path) -> Result<Vec<BackupFile>, StoreError>;

    /// Deletes a backup file Roster wrote (one rotation no longer keeps, or one that failed
    /// its checks).
    async fn remove_backup(&self, file: &Path) -> Result<(), StoreError>;

    /// Opens a backup file to read what it holds: integrity-checked, and brought to this
    /// program's schema in a private working copy when it is older (the file itself is never
    /// changed); one newer than this program is refused. An encrypted one is decrypted with
    /// `passphrase` into a private working copy; without one, or with one that does not
    /// open it, it is refused with [`StoreError::Passphrase`].
    async fn open_backup(
        &self,
        file: &Path,
        passphrase: Option<&str>,
    ) -> Result<OpenedBackup, StoreError>;

    /// Replaces everything this database holds with what `backup` holds, in one
    /// transaction, checking every table's row count before it commits. Others keep the
    /// file open; they see the directory as it was or as restored, never half of each.
    async fn restore(&self, backup: OpenedBackup) -> Result<(), StoreError>;

    /// Closes a backup opened to read it and removes its working copy.
    async fn close_backup(&self, backup: OpenedBackup) -> Result<(), StoreError>;
}

/// A backup file opened by [`Repository::open_backup`].
pub struct OpenedBackup {
    pub file: BackupFile,
    /// The schema version it was written with.
    pub schema: i64,
    /// What it holds, read through the same port as a live directory.
    pub repository: Arc<dyn Repository>,
    /// The private working copy read instead of the file, when the file was older than
    /// this program; removed when the backup is closed or restored.
    pub working_copy: Option<PathBuf>,
}
