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
        let query = whole_list(query)?;
        let mut failed = None;
        let result = self
            .repo
            .each_user(&query, &mut |user| {
                write(&user).map_err(|why| {
                    failed = Some(why);
                    StoreError::Backend("the export stopped".into())
                })
            })
            .await;
        match failed {
            Some(why) => Err(Error::Io(why)),
            None => Ok(result?),
        }
    }
}
