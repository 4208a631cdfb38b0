//! A line reader with a length limit that never buffers more than the limit, so one runaway
//! line cannot exhaust memory.

use std::io::{self, BufRead};

use xxhash_rust::xxh3::Xxh3;

/// One step of a [`LineReader`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextLine {
    /// A line, without its `\n` (and without a `\r` before it).
    Line(Vec<u8>),
    /// A line longer than the limit, skipped without being kept in memory.
    TooLong {
        /// Its length in bytes.
        n_bytes: u64,
        /// [`line_digest`] of the whole line, computed as it streamed past.
        digest: u64,
    },
    /// No more lines.
    End,
}

/// 64-bit hash (xxh3) of a line's bytes, without its line ending: names a line that has no id
/// of its own. [`NextLine::TooLong`] carries the same digest for a line it did not keep.
pub fn line_digest(line: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(line)
}

/// Reads lines of at most a given length from a buffered stream.
pub struct LineReader {
    inner: Box<dyn BufRead + Send>,
}

impl LineReader {
    /// A reader over `inner`.
    pub fn new(inner: Box<dyn BufRead + Send>) -> LineReader {
        LineReader { inner }
    }

    /// The next line; a line over `max_bytes` is skipped (and hashed) in buffer-sized pieces.
    pub fn next_line(&mut self, max_bytes: u64) -> io::Result<NextLine> {
        let mut line = Vec::new();
        let mut n_bytes: u64 = 0;
        // Set once the line is too long: the hash of what streamed past, less a `\r` held back
        // in case it turns out to be the one before the `\n`.
        let mut too_long: Option<(Xxh3, bool)> = None;
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
                let (hasher, held_cr) = too_long.get_or_insert_with(|| {
                    let mut hasher = Xxh3::new();
                    hasher.update(&line);
                    (hasher, false)
                });
                line = Vec::new();
                // A held `\r` followed by more of the line was part of it.
                if std::mem::take(held_cr) && !chunk.is_empty() {
                    hasher.update(b"\r");
                }
                let body = match chunk.strip_suffix(b"\r") {
                    Some(body) => {
                        *held_cr = true;
                        body
                    }
                    None => chunk,
                };
                hasher.update(body);
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
        if let Some((hasher, _)) = too_long {
            return Ok(NextLine::TooLong {
                n_bytes,
                digest: hasher.digest(),
            });
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(NextLine::Line(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &'static [u8], max_bytes: u64, buffer: usize) -> Vec<NextLine> {
        let inner = io::BufReader::with_capacity(buffer, input);
        let mut reader = LineReader::new(Box::new(inner));
        let mut found = Vec::new();
        loop {
            match reader.next_line(max_bytes).unwrap() {
                NextLine::End => return found,
                next => found.push(next),
            }
        }
    }

    #[test]
    fn long_lines_are_skipped_and_hashed_like_short_ones() {
        let line = b"0123456789abcdef\r";
        for buffer in [1, 3, 8, 64] {
            let found = lines(b"0123456789abcdef\r\nok\n", 8, buffer);
            assert_eq!(
                found,
                vec![
                    NextLine::TooLong {
                        n_bytes: line.len() as u64,
                        digest: line_digest(&line[..16]),
                    },
                    NextLine::Line(b"ok".to_vec()),
                ],
                "buffer of {buffer}"
            );
        }
    }
}
