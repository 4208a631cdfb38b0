//! A line reader with a length limit that never buffers more than the limit, so one runaway
//! line cannot exhaust memory.

use std::io::{self, BufRead};

pub(crate) enum NextLine {
    /// A line, without its `\n` (and without a `\r` before it).
    Line(Vec<u8>),
    /// A line longer than the limit, skipped; its length in bytes.
    TooLong(u64),
    /// No more lines.
    End,
}

pub(crate) struct LineReader {
    inner: Box<dyn BufRead + Send>,
}

impl LineReader {
    pub(crate) fn new(inner: Box<dyn BufRead + Send>) -> LineReader {
        LineReader { inner }
    }

    pub(crate) fn next_line(&mut self, max_bytes: u64) -> io::Result<NextLine> {
        let mut line = Vec::new();
        let mut n_bytes: u64 = 0;
        let mut too_long = false;
        let mut saw_anything = false;
        loop {
            let buffer = match self.inner.fill_buf() {
                Ok(buffer) => buffer,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if buffer.is_empty() {
                break;
            }
            saw_anything = true;
            let (chunk, found_newline) = match memchr::memchr(b'\n', buffer) {
                Some(newline_idx) => (&buffer[..newline_idx], true),
                None => (buffer, false),
            };
            n_bytes += chunk.len() as u64;
            if n_bytes > max_bytes {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
            let consumed = chunk.len() + usize::from(found_newline);
            self.inner.consume(consumed);
            if found_newline {
                break;
            }
        }
        if !saw_anything {
            return Ok(NextLine::End);
        }
        if too_long {
            return Ok(NextLine::TooLong(n_bytes));
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(NextLine::Line(line))
    }
}
