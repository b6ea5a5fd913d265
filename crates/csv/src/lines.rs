//! Line numbers as a spreadsheet shows them. The parser's own count is off after blank
//! lines and with CRLF line ends, so the bytes are counted here as they pass: each row's
//! first line is the first line of its bytes that is not blank.
//!
//! Seeing every byte of the row being read, this is also where a row is stopped at
//! [`MAX_ROW_BYTES`]: see [`LineTracker`]'s `read`.

use crate::MAX_ROW_BYTES;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Default)]
struct Window {
    /// Absolute offset of `bytes[0]`.
    start: u64,
    /// What passed since the end of the last record (the parser reads ahead).
    bytes: Vec<u8>,
    /// Line breaks before `start`, plus lines the parser never saw.
    lines_before: u64,
}

/// Counts the lines of what it passes on.
pub(crate) struct LineTracker<R> {
    inner: R,
    window: Arc<Mutex<Window>>,
}

/// The line numbers of the records read through a [`LineTracker`].
pub(crate) struct Lines {
    window: Arc<Mutex<Window>>,
}

impl<R: Read> LineTracker<R> {
    /// `skipped` lines came before what `inner` holds.
    pub(crate) fn new(inner: R, skipped: u64) -> (Self, Lines) {
        let window = Arc::new(Mutex::new(Window {
            lines_before: skipped,
            ..Window::default()
        }));
        (
            LineTracker {
                inner,
                window: Arc::clone(&window),
            },
            Lines { window },
        )
    }
}

/// Why a read was refused: the row being read goes on past [`MAX_ROW_BYTES`].
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a row is longer than {MAX_ROW_BYTES} bytes")
    }
}

impl std::error::Error for RowTooLong {}

/// Whether a read failed because a row went on past [`MAX_ROW_BYTES`].
pub(crate) fn is_row_too_long(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<RowTooLong>())
}

impl<R: Read> Read for LineTracker<R> {
    /// Refuses to read on once the row being read passes [`MAX_ROW_BYTES`], so that no
    /// row, however long, is ever held whole.
    ///
    /// Why here: the `csv` parser grows its record to fit the longest cell and cannot be
    /// told to stop, but it reads through a `BufReader`, which asks for more only once the
    /// parser has used all it had, and `Lines::record_ended` drops each row's bytes as soon
    /// as the row is read. So when asked for more, the window holds exactly what the
    /// parser has taken of the row it is still reading (blank lines before it included).
    /// Past the limit the read fails, and neither the parser's record nor the window has
    /// held more than the limit and one buffer. This keeps `csv`'s tested parsing (quotes,
    /// line breaks in cells, CRLF, positions) rather than rebuilding records over
    /// `csv_core`; the cell limit is then checked on rows this keeps small.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if window.bytes.len() > MAX_ROW_BYTES {
            return Err(io::Error::other(RowTooLong));
        }
        let n = self.inner.read(buf)?;
        window.bytes.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

impl Lines {
    /// The 1-based line of the first non-blank line at or after byte `offset` (the start
    /// of a record as the parser reports it).
    pub(crate) fn line_at(&self, offset: u64) -> u64 {
        let window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let at = usize::try_from(offset.saturating_sub(window.start)).unwrap_or(usize::MAX);
        let before = window
            .bytes
            .iter()
            .take(at)
            .filter(|b| **b == b'\n')
            .count();
        let blank = window
            .bytes
            .iter()
            .skip(at)
            .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
            .filter(|b| **b == b'\n')
            .count();
        window.lines_before + (before + blank) as u64 + 1
    }

    /// Forgets the bytes before `offset`, keeping their line count.
    pub(crate) fn record_ended(&self, offset: u64) {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let end = usize::try_from(offset.saturating_sub(window.start))
            .unwrap_or(usize::MAX)
            .min(window.bytes.len());
        let lines = window.bytes[..end].iter().filter(|b| **b == b'\n').count() as u64;
        window.lines_before += lines;
        window.bytes.drain(..end);
        window.start += end as u64;
    }
}
