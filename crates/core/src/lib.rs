//! What Roster does: the user directory's domain model, its rules, and the use cases
//! (services) that every front end — desktop, CLI, import — goes through.
//!
//! This crate knows nothing of Tauri, SQL or any wire format. It reaches storage only
//! through the [`Repository`] trait, and time only through [`Clock`].

mod access;
mod account;
mod attribute;
mod audit;
mod audit_chain;
mod backup;
mod change_mark;
mod clock;
mod credentials;
mod device;
mod diagnostics;
mod error;
mod field;
mod group;
mod import;
mod mail;
mod organization;
mod overview;
mod query;
mod rbac;
mod repository;
mod service;
mod session;
mod settings;
mod status;
mod user;
mod validate;

pub use access::{Actor, Rights};
pub use account::{
    AccountChange, AccountState, Credentials, GroupChoice, NewAccount, NewTokenRecord,
    SecretChange, SessionAccount, SignInEntry, SignInEvent, TokenFilter, TokenRecord,
};
pub use attribute::{
    Attribute, AttributeEdit, AttributeId, AttributeKind, AttributeRecord, Attributes,
    MAX_ATTRIBUTES, MAX_CHOICES, NewAttribute, attribute_name,
    is_reserved as is_reserved_attribute_name,
};
pub use audit::{
    AuditEntry, AuditPurge, AuditQuery, AuditRecord, AuditTarget, FieldChange, Origin,
    action_label, action_message_id, deleted_user_label,
};
pub use audit_chain::{
    AnchorCheck, ChainAnchor, ChainContent, ChainHash, ChainHead, ChainProblem, ChainReport,
    ChainRow, ChainVerifier, GENESIS, PURGE_ACTION, link as chain_link, purge_vouch,
};
pub use backup::{
    BackupContents, BackupFile, BackupList, BackupSettings, FILE_STAMP, MIN_PASSPHRASE_CHARS,
    Rotation, backup_file_name, backup_taken_at, check_new_passphrase, is_kept_aside,
};
pub use change_mark::{ChangeFloors, ChangeMark, TableMark};
pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::group_in_fours;
pub use credentials::password::{
    DEFAULT_MIN_PASSWORD_CHARS, HASH_ITERATIONS as ARGON2_ITERATIONS,
    HASH_MEMORY_KIB as ARGON2_MEMORY_KIB, HASH_PARALLELISM as ARGON2_PARALLELISM,
    MAX_PASSWORD_CHARS,
};
pub use credentials::qr::{qr_png, qr_svg};
pub use credentials::token::{DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TokenState, days_left};
pub use credentials::totp::code_at as totp_code_at;
pub use device::{
    Device, DeviceCount, DeviceDraft, DeviceHandover, DeviceId, DeviceOs, DevicePage, DeviceQuery,
    DeviceSort, DeviceState, MAX_DEVICE_PAGE, NewDevice, serial_key,
};
pub use diagnostics::{
    BackupsReport, Census, Diagnostics, DirectoryDiagnostics, DirectorySection, LogExcerpt,
    Program, RECENT_PROBLEMS, SettingsReport, SmtpReport, System,
};
pub use error::{Arg, Args, Error, ErrorCode, FieldError, Message, StoreError, Text};
pub use field::{FieldKind, MAX_PROFILE_CHARS, Profile, UserField};
pub use group::{Group, GroupId, GroupPatch, NewGroup};
pub use import::{
    Cancel, DeviceRow, ImportOptions, ImportProgress, ImportReport, ImportRow,
    MAX_REPORTED_PROBLEMS, Membership, MembershipRow, RowProblem,
};
pub use mail::{
    DeliveryReport, HIDDEN_CODE, MAX_SEND_ATTEMPTS, MailKind, MailMessage, MailStatus,
    MailTransport, OutgoingMail, eml,
};
pub use organization::{Organization, OrganizationId};
pub use overview::{Facets, MAX_DEPARTMENTS, Overview, StateCount};
pub use query::{
    Count, MAX_PAGE_SIZE, Sort, SortDirection, SortField, TeamFilter, UserPage, UserQuery,
    UserRows, is_attribute_name,
};
pub use rbac::{Permission, Role, RoleInput, built_in_permissions};
pub use repository::{
    GroupMembershipChange, ImportWriter, OpenedBackup, Repository, RoleRow, TakenKey, UserUpdate,
};
pub use service::{
    ChangeWatch, CreatedUser, DueReport, END_DATE_ACTOR, Enrollment, ExportColumns, FirstOwner,
    IssuedToken, MAX_ENTRIES, MAX_SELECTION, PasswordSet, RedeemCode, Restored, Roster,
    SetPassword, SignInRequest, SignedInUser, TokenQuery, TokenView, Transfer, Welcome,
};
pub use session::{Session, SessionStage, SessionStamp};
pub use settings::{Settings, SettingsPatch, SmtpPatch, SmtpSecurity, SmtpSettings};
pub use status::{StatusAction, StatusActionRule, status_action_rules, transition};
pub use user::{
    BulkEdit, MAX_REPORTING_CHAIN, Manager, ManagerChoice, NewUser, NewUserRecord, OWNER_ROLE,
    Status, TwoFactorState, User, UserId, UserPatch, UserRef,
};
pub use validate::{
    MAX_NAME_CHARS, check_new_user, check_user_patch, lookalike_key, normalize_key,
};
