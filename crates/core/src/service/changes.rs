//! Noticing changes made elsewhere (another workstation, the CLI, a second window), so open
//! lists and details can follow them without a reload.
//!
//! Every change to the directory writes audit entries in its own transaction, and every
//! sign-in writes a sign-in event, so the two tables' ids say when something changed. The
//! largest id alone is not enough on a server: ids are handed out when a row is inserted,
//! not when its transaction commits, so a slow transaction can commit id 10 after a fast one
//! committed 11, and "largest id is still 11" would miss it. The mark therefore also counts
//! the rows above a floor a little below the largest id: a late commit there changes the
//! count. Both parts are index lookups on the primary key, cheap at any table size.

use super::*;
use crate::change_mark::{ChangeFloors, ChangeMark};

/// One front end's watch on the directory: what it saw last.
#[derive(Debug, Clone, Default)]
pub struct ChangeWatch {
    floors: ChangeFloors,
    seen: Option<ChangeMark>,
}

impl Roster {
    /// Whether anything changed since the last call with this `watch` (the first call only
    /// takes the mark and answers `false`). Needs no actor: it tells nothing but "something
    /// changed", and the front end then reads what its signed-in person may see.
    pub async fn poll_changes(&self, watch: &mut ChangeWatch) -> Result<bool, Error> {
        if watch.seen.is_none() {
            let mark = self.repo.change_mark(watch.floors).await?;
            watch.floors = ChangeFloors::below(&mark);
        }
        let mark = self.repo.change_mark(watch.floors).await?;
        let changed = watch.seen.is_some_and(|seen| seen != mark);
        watch.seen = Some(mark);
        if watch.floors.too_far_below(&mark) {
            // A new floor changes the counts, so the mark is taken again under it. A change
            // committed in between is not missed: this call already answers "changed" (the
            // window only grows that far when ids moved), and the front end reads after it.
            watch.floors = ChangeFloors::below(&mark);
            watch.seen = Some(self.repo.change_mark(watch.floors).await?);
            return Ok(true);
        }
        Ok(changed)
    }
}
