//! The users list as a file: the same query as the window's list, every matching user;
//! and who may read or write which file.

use super::users::whole_list;
use super::*;

/// A file Roster reads or writes for someone. Who may is said here once: the service
/// checks it, and the window asks the same before it opens a file dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    ImportUsers,
    ImportMemberships,
    ImportDevices,
    ExportUsers,
    ExportMemberships,
    ExportDevices,
    ExportAudit,
}

impl Transfer {
    pub fn check(self, actor: &Actor) -> Result<(), Error> {
        match self {
            Transfer::ImportUsers => actor.require(Permission::ManageUsers),
            // A memberships file names groups of every organization, and creates the ones
            // missing in none: it is the whole directory's.
            Transfer::ImportMemberships => {
                actor.require(Permission::ManageGroups)?;
                actor.require_whole_directory("import group memberships")
            }
            Transfer::ImportDevices => actor.require(Permission::ManageTokens),
            Transfer::ExportUsers => actor.require(Permission::ViewUsers),
            Transfer::ExportMemberships => {
                actor.require(Permission::ViewUsers)?;
                actor.require_whole_directory("export every group's members")
            }
            Transfer::ExportDevices => actor.require(Permission::ViewTokens),
            Transfer::ExportAudit => actor.require(Permission::ViewAudit),
        }
    }
}

/// The columns of a users export: built-in fields, then attributes by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportColumns {
    pub fields: Vec<UserField>,
    pub attributes: Vec<String>,
}

impl Roster {
    /// The columns an export of users writes: the ones chosen, or when none are, every
    /// field an import of Roster's own file reads back and every attribute the actor sees,
    /// so the file round-trips. An attribute that is not defined is refused by name.
    pub async fn export_columns(
        &self,
        actor: &Actor,
        fields: Vec<UserField>,
        attributes: Vec<String>,
    ) -> Result<ExportColumns, Error> {
        Transfer::ExportUsers.check(actor)?;
        let defined = self.attributes(actor).await?;
        if let Some(unknown) = attributes
            .iter()
            .find(|name| !defined.iter().any(|a| &a.name == *name))
        {
            return Err(Error::invalid(
                "attributes",
                format!(
                    "no attribute is named {unknown}; Settings → Attributes (`roster attribute list`) shows them"
                ),
            ));
        }
        if !fields.is_empty() || !attributes.is_empty() {
            return Ok(ExportColumns { fields, attributes });
        }
        Ok(ExportColumns {
            fields: UserField::ALL
                .into_iter()
                .filter(|field| field.imported())
                .collect(),
            attributes: defined.into_iter().map(|a| a.name).collect(),
        })
    }

    /// Every user the list query matches, in its order (its limit and offset ignored), each
    /// handed to `write` as it is read, so a million users never sit in memory. Returns how
    /// many were written.
    pub async fn export_users(
        &self,
        actor: &Actor,
        query: &UserQuery,
        write: &mut (dyn FnMut(&User) -> Result<(), String> + Send),
    ) -> Result<u64, Error> {
        Transfer::ExportUsers.check(actor)?;
        let query = whole_list(&self.scoped_query(actor, query).await?)?;
        let mut sink = Sink::new(write);
        let result = self
            .repo
            .each_user(&query, &mut |user| sink.take(&user))
            .await;
        sink.finish(result)
    }
}

/// Where an export's rows go as the store reads them: the first error writing one stops
/// the read and is the export's error.
pub(super) struct Sink<'a, T> {
    write: &'a mut (dyn FnMut(&T) -> Result<(), String> + Send),
    failed: Option<String>,
}

impl<'a, T> Sink<'a, T> {
    pub(super) fn new(write: &'a mut (dyn FnMut(&T) -> Result<(), String> + Send)) -> Self {
        Sink {
            write,
            failed: None,
        }
    }

    pub(super) fn take(&mut self, item: &T) -> Result<(), StoreError> {
        (self.write)(item).map_err(|why| {
            self.failed = Some(why);
            StoreError::Backend("the export stopped".into())
        })
    }

    /// The number of rows written, or why the export failed.
    pub(super) fn finish(self, read: Result<u64, StoreError>) -> Result<u64, Error> {
        match self.failed {
            Some(why) => Err(Error::Io(why)),
            None => Ok(read?),
        }
    }
}
