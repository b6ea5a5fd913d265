//! The users list as a file: the same query as the window's list, every matching user.

use super::users::whole_list;
use super::*;

impl Roster {
    /// Every user the list query matches, in its order (its limit and offset ignored), each
    /// handed to `write` as it is read, so a million users never sit in memory. Returns how
    /// many were written.
    pub async fn export_users(
        &self,
        actor: &Actor,
        query: &UserQuery,
        write: &mut (dyn FnMut(&User) -> Result<(), String> + Send),
    ) -> Result<u64, Error> {
        actor.require(Permission::ViewUsers)?;
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
