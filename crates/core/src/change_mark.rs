//! What a store answers when asked whether anything changed: the largest ids of the audit
//! trail and the sign-in events, and how many rows lie above a floor a little below them
//! (`service/changes.rs` says why both).

/// How far below the largest id the counted window starts: far more ids than transactions
/// in flight at once can hold, few enough to count in well under a millisecond.
const WINDOW: i64 = 1_000;

/// One table's part of a [`ChangeMark`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableMark {
    /// The largest id, 0 when the table is empty.
    pub max_id: i64,
    /// How many rows have an id above the watch's floor.
    pub above_floor: i64,
}

/// The state of the audit trail and the sign-in events at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeMark {
    pub audit: TableMark,
    pub sign_ins: TableMark,
}

/// Where the counted windows start: ids above these floors are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeFloors {
    pub audit: i64,
    pub sign_ins: i64,
}

impl ChangeFloors {
    pub(crate) fn below(mark: &ChangeMark) -> Self {
        ChangeFloors {
            audit: (mark.audit.max_id - WINDOW).max(0),
            sign_ins: (mark.sign_ins.max_id - WINDOW).max(0),
        }
    }

    /// Whether the window has grown so wide that counting it costs more than it should.
    pub(crate) fn too_far_below(&self, mark: &ChangeMark) -> bool {
        mark.audit.max_id - self.audit > 2 * WINDOW
            || mark.sign_ins.max_id - self.sign_ins > 2 * WINDOW
    }
}
