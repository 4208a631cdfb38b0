//! Streaming mode: JSON Lines in, exactly one JSON line out per line in, in input order.
//!
//! ```text
//! reader thread ──chunks of lines──▶ main thread: rayon pool maps each batch of lines (parse,
//!   (LineReader)   (one queued)        analyze, encode, classify), order kept ──▶ output,
//!                                      flushed per chunk
//! ```
//!
//! This is the mode a distributed engine (Apache Spark) runs on every executor, one process
//! per partition, so it keeps a strict contract: one output line per input line (blank, too
//! long, invalid or refused lines become error records, never gaps), the exit status is a
//! failure only when the whole stream is (a plugin that cannot load, a broken pipe), and the
//! same input gives the same bytes. An article record is byte for byte what the batch run
//! hands its exporters, because both go through [`Processor::process_articles`].

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use article::Article;
use ingest::{Format, LineReader, NextLine, Origin, RawDoc, RecordError};
use plugin_host::PluginKind;
use rayon::prelude::*;
use serde::Serialize;

use crate::process::{Processor, StageTimes, guarded, into_batches};
use crate::{Config, EngineError};

/// Lines per chunk when none is given: enough to keep every worker busy, small enough that
/// memory in flight stays a few megabytes.
pub const DEFAULT_CHUNK_LINES: usize = 1000;

/// How to run a stream.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Worker threads (0 is taken as 1).
    pub threads: usize,
    /// Plugin folders; override the pipeline's when non-empty.
    pub plugin_folders: Vec<PathBuf>,
    /// Analysis settings.
    pub analyze: analyze::Options,
    /// What records say in `source.path`; `None` leaves it null, as for batch input from stdin.
    pub source_path: Option<String>,
    /// Whether records say in `source.line` which input line they came from (1-based, counting
    /// every line, blank ones too, as the batch reader counts the lines of a file).
    pub source_lines: bool,
    /// Lines read and processed together (0 is taken as 1).
    pub chunk_lines: usize,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            threads: 1,
            plugin_folders: Vec::new(),
            analyze: analyze::Options::default(),
            source_path: None,
            source_lines: true,
            chunk_lines: DEFAULT_CHUNK_LINES,
        }
    }
}

/// What a stream did: lines in = articles + errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StreamSummary {
    /// Lines read.
    pub n_lines: u64,
    /// Article records written.
    pub n_articles: u64,
    /// Error records written.
    pub n_errors: u64,
    /// Error records by `error.kind`.
    pub errors_by_kind: BTreeMap<String, u64>,
}

/// The record written for a line that could not become an article. Field order is the JSON
/// key order, part of the output contract: `status` comes first, so a reader can tell an error
/// record from an article (which has no `status`) by its first key.
#[derive(Debug, Serialize)]
struct ErrorRecord<'a> {
    status: &'static str,
    error: ErrorDetail<'a>,
    /// The record's own id when it has one, else [`ingest::line_digest`] of the line as 16
    /// hex digits.
    id: String,
    source: ErrorSource<'a>,
}

#[derive(Debug, Serialize)]
struct ErrorDetail<'a> {
    kind: &'static str,
    message: &'a str,
}

#[derive(Debug, Serialize)]
struct ErrorSource<'a> {
    path: Option<&'a str>,
    line: Option<u64>,
}

/// One input line as the reader hands it over.
enum InputLine {
    Line {
        line_no: u64,
        bytes: Vec<u8>,
    },
    TooLong {
        line_no: u64,
        n_bytes: u64,
        digest: u64,
    },
}

/// One output line, and the kind of error when it is an error record.
struct OutputLine {
    json: Vec<u8>,
    error_kind: Option<&'static str>,
}

/// Loads the pipeline's classifiers (refusing to start while any plugin file in the folders is
/// broken), then turns every line of `input` into one line of `output`, in order, flushing
/// `output` after each chunk. Exporters are not run: the output is the record stream.
///
/// An `Err` means the stream failed as a whole (plugins, reading the input, writing the
/// output); whatever is wrong with single lines is in their error records.
pub fn stream(
    config: &Config,
    options: &StreamOptions,
    input: Box<dyn BufRead + Send>,
    output: &mut dyn Write,
) -> Result<StreamSummary, EngineError> {
    crate::run::warm_up_analysis();
    let registry = crate::run::discover_plugins(config, &options.plugin_folders)?;
    let mut classifiers = Vec::new();
    for plugin_use in &config.classify {
        let plugin = registry.find(&plugin_use.plugin, PluginKind::Classifier)?;
        classifiers.push(plugin.start_classifier(&plugin_use.options_json())?);
    }
    let processor = Processor::new(classifiers, options.analyze.clone());
    let threads = options.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|idx| format!("copydesk-worker-{idx}"))
        .build()
        .map_err(|error| EngineError::Threads {
            threads,
            message: error.to_string(),
        })?;
    let max_bytes = config.limits().max_record_bytes;
    let chunk_lines = options.chunk_lines.max(1);
    let batch_size = config.run.batch_size;
    let lines = Lines {
        processor: &processor,
        options,
        max_bytes,
    };

    // One chunk queued while the workers map another: the reader is at most two chunks ahead.
    // The reader is not scoped: when the output fails, the stream returns at once rather than
    // wait for a reader that may be blocked on an input that never ends.
    let (sender, chunks) = sync_channel::<io::Result<Vec<InputLine>>>(1);
    let reader = std::thread::Builder::new()
        .name("copydesk-stdin".to_string())
        .spawn(move || read_chunks(LineReader::new(input), max_bytes, chunk_lines, &sender))
        .map_err(|error| EngineError::Threads {
            threads: 1,
            message: error.to_string(),
        })?;
    let mut summary = StreamSummary::default();
    let mut buffer = Vec::new();
    for chunk in chunks.iter() {
        let chunk = chunk.map_err(|source| EngineError::StreamIo {
            action: "read standard input",
            source,
        })?;
        // Stream mode waits for each chunk before the next (its output is flushed per chunk):
        // batches no larger than a worker's share keep every worker busy.
        let batch_size = batch_size.min(chunk.len().div_ceil(threads));
        let batches = into_batches(chunk, batch_size);
        let results: Vec<Vec<OutputLine>> = pool.install(|| {
            // One batch per task, stage by stage over its lines, as in `run`.
            batches
                .into_par_iter()
                .with_max_len(1)
                .map(|batch| lines.process_batch(batch))
                .collect()
        });
        buffer.clear();
        for result in results.into_iter().flatten() {
            summary.n_lines += 1;
            match result.error_kind {
                None => summary.n_articles += 1,
                Some(kind) => {
                    summary.n_errors += 1;
                    *summary.errors_by_kind.entry(kind.to_string()).or_default() += 1;
                }
            }
            buffer.extend_from_slice(&result.json);
            buffer.push(b'\n');
        }
        let write_error = |source| EngineError::StreamIo {
            action: "write standard output",
            source,
        };
        output.write_all(&buffer).map_err(write_error)?;
        output.flush().map_err(write_error)?;
    }
    // The channel is closed, so the reader has finished; had it panicked, the input would
    // look shorter than it is, so that is a failure too.
    reader.join().map_err(|_| EngineError::StreamIo {
        action: "read standard input",
        source: io::Error::other("the reader thread panicked"),
    })?;
    Ok(summary)
}

/// The reader thread: chunks of lines, then the read error if there is one. Stops early when
/// the receiver is gone (the output failed).
fn read_chunks(
    mut reader: LineReader,
    max_bytes: u64,
    chunk_lines: usize,
    sender: &std::sync::mpsc::SyncSender<io::Result<Vec<InputLine>>>,
) {
    let mut line_no = 0u64;
    loop {
        let mut chunk = Vec::with_capacity(chunk_lines);
        let mut failure = None;
        let mut at_end = false;
        while chunk.len() < chunk_lines {
            line_no += 1;
            match reader.next_line(max_bytes) {
                Ok(NextLine::Line(bytes)) => chunk.push(InputLine::Line { line_no, bytes }),
                Ok(NextLine::TooLong { n_bytes, digest }) => chunk.push(InputLine::TooLong {
                    line_no,
                    n_bytes,
                    digest,
                }),
                Ok(NextLine::End) => {
                    at_end = true;
                    break;
                }
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        if !chunk.is_empty() && sender.send(Ok(chunk)).is_err() {
            return;
        }
        if let Some(error) = failure {
            let _ = sender.send(Err(error));
            return;
        }
        if at_end {
            return;
        }
    }
}

/// What every worker needs to turn a line into its output line.
struct Lines<'a> {
    processor: &'a Processor,
    options: &'a StreamOptions,
    max_bytes: u64,
}

impl Lines<'_> {
    /// One output line per input line, in order; the lines that are articles go through the
    /// processor together.
    fn process_batch(&self, batch: Vec<InputLine>) -> Vec<OutputLine> {
        // Stage times are a batch report's business; stream output carries no timings.
        let mut times = StageTimes::default();
        self.processor.process_inputs(
            batch,
            |line| {
                self.parse(line)
                    .map(|(line_no, article)| ((line_no, article.id.clone()), article))
            },
            |(line_no, id), result| match result {
                Ok(json) => OutputLine {
                    json,
                    error_kind: None,
                },
                Err(failure) => self.error(line_no, failure.stage, &failure.reason, id),
            },
            &mut times,
        )
    }

    /// The article on a line with its line number, or the error record the line gets.
    fn parse(&self, line: InputLine) -> Result<(u64, Article), OutputLine> {
        match line {
            InputLine::TooLong {
                line_no,
                n_bytes,
                digest,
            } => Err(self.error(
                line_no,
                "oversized",
                &format!(
                    "line is {n_bytes} bytes, over the limit of {} bytes",
                    self.max_bytes
                ),
                hex_id(digest),
            )),
            InputLine::Line { line_no, bytes } => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Err(self.error(
                        line_no,
                        "blank",
                        "blank line",
                        hex_id(ingest::line_digest(&bytes)),
                    ));
                }
                let raw = RawDoc {
                    origin: Origin {
                        path: self.source_path().unwrap_or("-").to_string(),
                        name: self.source_path().unwrap_or("-").to_string(),
                        line: self.options.source_lines.then_some(line_no),
                    },
                    bytes,
                    format: Format::JsonRecord,
                };
                match guarded("parse", || ingest::parse_record(&raw)) {
                    Ok(Ok(article)) => Ok((line_no, article)),
                    Err(failure) => Err(self.error(
                        line_no,
                        failure.stage,
                        &failure.reason,
                        hex_id(ingest::line_digest(&raw.bytes)),
                    )),
                    Ok(Err(error)) => {
                        let id = match &error {
                            RecordError::NoText { id: Some(id) } => id.clone(),
                            _ => hex_id(ingest::line_digest(&raw.bytes)),
                        };
                        Err(self.error(line_no, error.kind(), &error.to_string(), id))
                    }
                }
            }
        }
    }

    fn error(&self, line_no: u64, kind: &'static str, message: &str, id: String) -> OutputLine {
        let record = ErrorRecord {
            status: "error",
            error: ErrorDetail { kind, message },
            id,
            source: ErrorSource {
                path: self.source_path(),
                line: self.options.source_lines.then_some(line_no),
            },
        };
        OutputLine {
            // Serialising our own plain struct to memory cannot fail.
            json: serde_json::to_vec(&record).unwrap_or_default(),
            error_kind: Some(kind),
        }
    }

    /// `source.path` of the records: the one given, except `-`, which means stdin (null).
    fn source_path(&self) -> Option<&str> {
        self.options
            .source_path
            .as_deref()
            .filter(|path| *path != "-")
    }
}

fn hex_id(digest: u64) -> String {
    format!("{digest:016x}")
}
