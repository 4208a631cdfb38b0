//! The batch engine: inputs → parse → analyze → classify → export, in bounded parallel chunks.
//!
//! ```text
//! reader thread ──chunks──▶ main thread: cuts each chunk into batches, one rayon task each
//!   (ingest)                 (parse, analyze, encode, classify: stage by stage over the
//!                            batch); two chunks or more in flight, results in input order
//!                            ──▶ one writer thread per exporter, in order
//!                                        └──▶ rejects.jsonl
//! ```
//!
//! Memory in flight is a few chunks whatever the corpus size: the reader and writer channels
//! are bounded. Exporters see articles strictly in input order, so output is byte-identical
//! for any thread count. Every input ends up exported or rejected, and the report says so.

mod config;
mod process;
mod report;
mod run;
mod stream;

pub use config::{Config, DEFAULT_PIPELINE, PluginUse, default_plugin_folders};
pub use process::{Failure, Outcome, Processor, StageTimes};
pub use report::{PluginReport, RejectRecord, RunReport};
pub use run::{RunOptions, run, warm_up_analysis};
pub use stream::{DEFAULT_CHUNK_LINES, StreamOptions, StreamSummary, stream};

use std::path::PathBuf;

/// A failure that stops a run (exit code 1). Problems with single inputs never are: they
/// become rejects.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The pipeline configuration is invalid.
    #[error("configuration {origin}: {message}")]
    Config {
        /// The file (or "the built-in pipeline").
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A plugin could not be loaded or started.
    #[error(transparent)]
    Plugin(#[from] plugin_host::HostError),
    /// Plugin files that are not usable: a run refuses to start with any.
    #[error("{}", broken_message(.0))]
    BrokenPlugins(Vec<plugin_host::HostError>),
    /// An exporter failed; its output is not moved into place.
    #[error("exporter `{plugin}` failed: {message}")]
    Export {
        /// The exporter's name.
        plugin: String,
        /// What it said.
        message: String,
    },
    /// The engine's own files could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Streaming mode could not read its input or write its output (a closed pipe).
    #[error("cannot {action}: {source}")]
    StreamIo {
        /// What failed: `read standard input`, `write standard output`.
        action: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        message: String,
    },
    /// The workers stopped handing back results before every input was processed. The main
    /// thread holds a sender of the channel they answer on, so this does not happen; were
    /// it to, the run fails rather than lose the inputs still out.
    #[error("the worker threads stopped handing back results")]
    WorkersLost,
}

fn broken_message(errors: &[plugin_host::HostError]) -> String {
    let lines: Vec<String> = errors.iter().map(|error| format!("  {error}")).collect();
    format!(
        "{} plugin file(s) cannot be used; remove or rebuild them:\n{}",
        errors.len(),
        lines.join("\n")
    )
}
