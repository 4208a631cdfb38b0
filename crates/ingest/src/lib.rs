//! Readers: turn input specifications (files, folders, glob patterns, `-` for stdin) into a
//! stream of raw documents, and raw documents into [`article::Article`]s.
//!
//! Reading is lazy and streaming: folders are walked in sorted order, JSON Lines files are read
//! one line at a time, so memory does not depend on the size of the corpus. Every problem with
//! one input becomes a [`Reject`] naming the input and the reason; the stream goes on.

mod jsonl;
mod limits;
mod parse;
mod reader;
mod text;

pub use limits::Limits;
pub use parse::parse;
pub use reader::{InputSet, Reader};

/// What kind of payload a raw document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Headline line, blank line, paragraphs.
    Text,
    /// One JSON object (a line of a JSON Lines file).
    JsonRecord,
}

/// Where a raw document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The path as found (`-` for stdin).
    pub path: String,
    /// The path relative to the folder it was found in, or the file name: the part of the
    /// path that belongs to the corpus, used for stable ids.
    pub name: String,
    /// 1-based line number within a JSON Lines file.
    pub line: Option<u64>,
}

impl Origin {
    /// `path` or `path:line`, as used in reject reasons.
    pub fn display(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path),
            None => self.path.clone(),
        }
    }
}

/// One document as read, not yet parsed.
#[derive(Debug, Clone)]
pub struct RawDoc {
    /// Where it came from.
    pub origin: Origin,
    /// The bytes, decompressed.
    pub bytes: Vec<u8>,
    /// How to parse them.
    pub format: Format,
}

/// An input that could not become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The input: a path, or `path:line`.
    pub input: String,
    /// Why it was rejected.
    pub reason: String,
}

impl Reject {
    /// A reject for `input` with `reason`.
    pub fn new(input: impl Into<String>, reason: impl Into<String>) -> Reject {
        Reject {
            input: input.into(),
            reason: reason.into(),
        }
    }
}
