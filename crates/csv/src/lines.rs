//! Line numbers as a spreadsheet shows them. The parser's own count is off after blank
//! lines and with CRLF line ends, so the bytes are counted here as they pass: each row's
//! first line is the first line of its bytes that is not blank.

use std::io::Read;
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

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes
            .extend_from_slice(&buf[..n]);
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
