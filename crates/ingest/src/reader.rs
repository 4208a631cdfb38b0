//! Expanding input specifications into raw documents, lazily and in a stable order.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::jsonl::{LineReader, NextLine};
use crate::limits::human_bytes;
use crate::{Format, Limits, Origin, RawDoc, Reject};

/// A list of input specifications: files, folders (read recursively in sorted order), glob
/// patterns, and `-` for standard input.
#[derive(Debug, Clone, Default)]
pub struct InputSet {
    specs: Vec<String>,
}

impl InputSet {
    /// Inputs as given on a command line.
    pub fn new(specs: impl IntoIterator<Item = impl Into<String>>) -> InputSet {
        InputSet {
            specs: specs.into_iter().map(Into::into).collect(),
        }
    }

    /// The specifications, as given.
    pub fn specs(&self) -> &[String] {
        &self.specs
    }

    /// Starts reading.
    pub fn read(&self, limits: Limits) -> Reader {
        Reader {
            specs: self.specs.iter().cloned().collect(),
            files: None,
            lines: None,
            limits,
            skipped: Skipped::default(),
        }
    }
}

/// One file to read, found from a specification.
struct FileEntry {
    path: PathBuf,
    display: String,
    name: String,
}

type FileIter = Box<dyn Iterator<Item = Result<FileEntry, Reject>> + Send>;

/// An open JSON Lines stream.
struct OpenLines {
    reader: LineReader,
    display: String,
    name: String,
    line_no: u64,
}

/// Streams raw documents; every problem is a [`Reject`] and reading goes on.
pub struct Reader {
    specs: VecDeque<String>,
    files: Option<FileIter>,
    lines: Option<OpenLines>,
    limits: Limits,
    skipped: Skipped,
}

/// Names of files a folder walk passed over; shared with the walk's closure.
type Skipped = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

impl Reader {
    /// Files found in folders but not read, because their names do not look like articles
    /// (`README.md`, `image.png`). Complete once the reader is exhausted.
    pub fn skipped(&self) -> Vec<String> {
        self.skipped
            .lock()
            .map(|names| names.clone())
            .unwrap_or_default()
    }

    fn next_line(&mut self) -> Option<Result<RawDoc, Reject>> {
        let lines = self.lines.as_mut()?;
        loop {
            lines.line_no += 1;
            let line_no = lines.line_no;
            let origin = Origin {
                path: lines.display.clone(),
                name: lines.name.clone(),
                line: Some(line_no),
            };
            match lines.reader.next_line(self.limits.max_record_bytes) {
                Ok(NextLine::Line(bytes)) => {
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Ok(RawDoc {
                        origin,
                        bytes,
                        format: Format::JsonRecord,
                    }));
                }
                Ok(NextLine::TooLong(n_bytes)) => {
                    return Some(Err(Reject::new(
                        origin.display(),
                        format!(
                            "record is {}, over the limit of {}",
                            human_bytes(n_bytes),
                            human_bytes(self.limits.max_record_bytes)
                        ),
                    )));
                }
                Ok(NextLine::End) => {
                    self.lines = None;
                    return None;
                }
                Err(error) => {
                    self.lines = None;
                    return Some(Err(Reject::new(
                        origin.display(),
                        format!("read error, rest of file not read: {error}"),
                    )));
                }
            }
        }
    }

    fn next_file(&mut self) -> Option<Result<FileEntry, Reject>> {
        loop {
            if let Some(files) = self.files.as_mut() {
                if let Some(entry) = files.next() {
                    return Some(entry);
                }
                self.files = None;
            }
            let spec = self.specs.pop_front()?;
            self.files = Some(expand(spec, &self.skipped));
        }
    }

    fn open(&mut self, entry: FileEntry) -> Option<Result<RawDoc, Reject>> {
        let mut kind = FileKind::of(&entry.name);
        let mut stream = match open_stream(&entry.path, kind.gzip) {
            Ok(stream) => stream,
            Err(error) => return Some(Err(Reject::new(entry.display, io_reason(&error)))),
        };
        if entry.path == Path::new("-") && looks_like_json_lines(&mut stream) {
            kind.format = Format::JsonRecord;
            kind.lines = true;
        }
        match kind.format {
            Format::JsonRecord if kind.lines => {
                self.lines = Some(OpenLines {
                    reader: LineReader::new(stream),
                    display: entry.display,
                    name: entry.name,
                    line_no: 0,
                });
                None
            }
            format => Some(read_whole(stream, entry, format, self.limits)),
        }
    }
}

impl Iterator for Reader {
    type Item = Result<RawDoc, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.lines.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            match self.next_file()? {
                Err(reject) => return Some(Err(reject)),
                Ok(entry) => {
                    if let Some(item) = self.open(entry) {
                        return Some(item);
                    }
                }
            }
        }
    }
}

/// File names (lower case, without extension) that are a corpus's documentation, not articles.
const DOCUMENTATION_NAMES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "notice",
    "changelog",
    "authors",
    "citation",
];

/// How a file is read, from its name.
struct FileKind {
    format: Format,
    /// JSON Lines (one record a line) rather than one JSON document.
    lines: bool,
    gzip: bool,
    /// Whether a folder walk picks this file up.
    is_article: bool,
}

impl FileKind {
    fn of(name: &str) -> FileKind {
        let lower = name.to_ascii_lowercase();
        let (stem, gzip) = match lower.strip_suffix(".gz") {
            Some(stem) => (stem, true),
            None => (lower.as_str(), false),
        };
        let file_name = stem.rsplit(['/', '\\']).next().unwrap_or(stem);
        let extension = file_name.rsplit_once('.').map(|(_, extension)| extension);
        let (format, lines, mut is_article) = match extension {
            Some("jsonl" | "ndjson") => (Format::JsonRecord, true, true),
            Some("json") => (Format::JsonRecord, false, true),
            Some("txt" | "text") | None => (Format::Text, false, true),
            Some(_) => (Format::Text, false, false),
        };
        // Corpora ship their documentation beside the articles (README.TXT, LICENSE).
        let stem = file_name.split('.').next().unwrap_or(file_name);
        if DOCUMENTATION_NAMES.contains(&stem) {
            is_article = false;
        }
        FileKind {
            format,
            lines,
            gzip,
            is_article,
        }
    }
}

fn expand(spec: String, skipped: &Skipped) -> FileIter {
    if spec == "-" {
        return Box::new(std::iter::once(Ok(FileEntry {
            path: PathBuf::from("-"),
            display: "-".to_string(),
            name: "-".to_string(),
        })));
    }
    let path = PathBuf::from(&spec);
    if path.is_dir() {
        return walk_folder(path, skipped.clone());
    }
    if path.exists() || !spec.contains(['*', '?', '[']) {
        let name = file_name(&path);
        return Box::new(std::iter::once(Ok(FileEntry {
            path,
            display: spec,
            name,
        })));
    }
    match glob::glob(&spec) {
        Err(error) => Box::new(std::iter::once(Err(Reject::new(
            spec.clone(),
            format!("invalid glob pattern: {error}"),
        )))),
        Ok(paths) => {
            let mut matched: Vec<Result<FileEntry, Reject>> = Vec::new();
            for entry in paths {
                match entry {
                    Ok(path) if path.is_file() => {
                        let display = path.display().to_string();
                        matched.push(Ok(FileEntry {
                            name: file_name(&path),
                            path,
                            display,
                        }));
                    }
                    Ok(_) => {}
                    Err(error) => matched.push(Err(Reject::new(
                        error.path().display().to_string(),
                        io_reason(error.error()),
                    ))),
                }
            }
            if matched.is_empty() {
                matched.push(Err(Reject::new(spec, "glob pattern matched no file")));
            }
            Box::new(matched.into_iter())
        }
    }
}

fn walk_folder(root: PathBuf, skipped: Skipped) -> FileIter {
    let root_for_names = root.clone();
    let walker = walkdir::WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    let iter = walker.filter_map(move |entry| match entry {
        Err(error) => {
            let input = error
                .path()
                .map(|path| path.display().to_string())
                .unwrap_or_else(|| root_for_names.display().to_string());
            let reason = match error.io_error() {
                Some(io_error) => io_reason(io_error),
                None => error.to_string(),
            };
            Some(Err(Reject::new(input, reason)))
        }
        Ok(entry) if entry.file_type().is_file() => {
            let path = entry.into_path();
            let name = path
                .strip_prefix(&root_for_names)
                .map(|relative| relative.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| file_name(&path));
            let display = path.display().to_string();
            if FileKind::of(&name).is_article {
                Some(Ok(FileEntry {
                    path,
                    display,
                    name,
                }))
            } else {
                if let Ok(mut names) = skipped.lock() {
                    names.push(display);
                }
                None
            }
        }
        Ok(_) => None,
    });
    Box::new(iter)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn open_stream(path: &Path, gzip: bool) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    Ok(if gzip {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(raw)),
        ))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, raw))
    })
}

/// Standard input has no name to go by: it is JSON Lines when it starts with `{`.
fn looks_like_json_lines(stream: &mut Box<dyn BufRead + Send>) -> bool {
    match stream.fill_buf() {
        Ok(buffer) => buffer
            .iter()
            .find(|byte| !byte.is_ascii_whitespace())
            .is_some_and(|byte| *byte == b'{'),
        Err(_) => false,
    }
}

fn read_whole(
    stream: Box<dyn BufRead + Send>,
    entry: FileEntry,
    format: Format,
    limits: Limits,
) -> Result<RawDoc, Reject> {
    let mut bytes = Vec::new();
    let n_read = stream
        .take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| Reject::new(entry.display.clone(), io_reason(&error)))?;
    if n_read as u64 > limits.max_file_bytes {
        let size = std::fs::metadata(&entry.path)
            .map(|metadata| human_bytes(metadata.len()))
            .unwrap_or_else(|_| format!("over {}", human_bytes(limits.max_file_bytes)));
        return Err(Reject::new(
            entry.display,
            format!(
                "file is {size}, over the limit of {}",
                human_bytes(limits.max_file_bytes)
            ),
        ));
    }
    Ok(RawDoc {
        origin: Origin {
            path: entry.display,
            name: entry.name,
            line: None,
        },
        bytes,
        format,
    })
}

fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read: {error}"),
    }
}
