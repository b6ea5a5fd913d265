//! What Roster does: the user directory's domain model, its rules, and the use cases
//! (services) that every front end — desktop, CLI, import — goes through.
//!
//! This crate knows nothing of Tauri, SQL or any wire format. It reaches storage only
//! through the [`Repository`] trait, and time only through [`Clock`].

mod audit;
mod clock;
mod error;
mod group;
mod query;
mod repository;
mod service;
mod status;
mod user;
mod validate;

pub use audit::{
    Actor, AuditEntry, AuditQuery, AuditRecord, AuditTarget, FieldChange, Origin,
    deleted_user_label,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, ErrorCode, FieldError, StoreError};
pub use group::{Group, GroupId, NewGroup};
pub use query::{MAX_PAGE_SIZE, Sort, SortDirection, SortField, UserPage, UserQuery};
pub use repository::{GroupMembershipChange, NewUserRecord, Repository};
pub use service::{CreatedUser, Roster};
pub use status::{StatusAction, transition};
pub use user::{NewUser, Status, TwoFactorState, User, UserId, UserPatch, UserRef};
pub use validate::{MAX_NAME_CHARS, normalize_key};
