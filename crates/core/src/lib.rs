//! What Roster does: the user directory's domain model, its rules, and the use cases
//! (services) that every front end — desktop, CLI, import — goes through.
//!
//! This crate knows nothing of Tauri, SQL or any wire format. It reaches storage only
//! through the [`Repository`] trait, and time only through [`Clock`].

mod audit;
mod clock;
mod error;
mod group;
mod overview;
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
pub use group::{Group, GroupId, GroupPatch, NewGroup};
pub use overview::{Facets, Overview, StateCount};
pub use query::{MAX_PAGE_SIZE, Sort, SortDirection, SortField, UserPage, UserQuery};
pub use repository::{GroupMembershipChange, NewUserRecord, Repository};
pub use service::{CreatedUser, MAX_SELECTION, Roster};
pub use status::{StatusAction, transition};
pub use user::{BulkEdit, NewUser, Status, TwoFactorState, User, UserId, UserPatch, UserRef};
pub use validate::{MAX_NAME_CHARS, check_new_user, check_user_patch, normalize_key};
