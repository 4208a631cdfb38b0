//! `copydesk stream`: JSON Lines on stdin, one JSON record per line on stdout, in order.

use std::io::{self, BufReader};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use engine::{StreamOptions, StreamSummary};

use crate::{CliResult, load_config, reference_date};

/// Reads JSON Lines on standard input and writes exactly one JSON line to standard output per
/// line read, in input order. Made to run as one process per partition under Apache Spark (see
/// docs/spark.md), or at the end of any pipe.
///
/// Input records carry the fields `copydesk run` reads from *.jsonl files (title/headline,
/// text/maintext/body, date_publish/published/date, url, authors, source_domain, id).
///
/// Output: a line that became an article is the article record, byte for byte what `copydesk
/// run` writes to articles.jsonl for that record; it has no `status` key. Any other line
/// (blank, over [limits] max_record_bytes, not UTF-8, not JSON, not an object, with neither
/// title nor text, refused by a classifier, or one that made copydesk's own code panic)
/// becomes an error record, whose first key is `status`:
/// {"status":"error","error":{"kind","message"},"id","source":{"path","line"}}, with kind one
/// of blank, oversized, invalid-utf8, invalid-json, not-an-object, no-text, classify (or parse
/// or analyze for a panic, a bug), and id the record's own id or else a hash of the line (16
/// hex digits). Error records do not change the exit status.
///
/// `source.path` is --source-path (null without it, as for `copydesk run -`) and `source.line`
/// the line number on stdin, counting every line as `copydesk run FILE.jsonl` counts the lines
/// of FILE, so `copydesk stream --source-path FILE < FILE` gives the batch run's records.
///
/// Classifiers run as in `copydesk run`; exporters do not (the output is the record stream).
/// The same input gives the same bytes, whatever --threads is. Lines are processed in chunks
/// (--chunk-lines), stdout is flushed after each, and memory stays a few chunks. Only the
/// summary (and errors) go to stderr. Exit status 1, with the reason on stderr: a plugin that
/// cannot load or a broken plugin file in the folders, a bad pipeline, stdout closed (broken
/// pipe), stdin unreadable.
#[derive(Debug, Args)]
pub(crate) struct StreamArgs {
    /// Pipeline file (copydesk.toml): its classifiers, limits, plugin folders and
    /// run.batch_size are used; its inputs, exporters and the other [run] settings (--threads
    /// and --chunk-lines take their place) are not. Default: the built-in pipeline.
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// Plugin folder; repeat for several. Overrides the pipeline's folders.
    #[arg(long = "plugins", value_name = "DIR")]
    plugin_folders: Vec<PathBuf>,
    /// Worker threads. Under Spark keep 1 and let Spark run one task per core.
    #[arg(long, short = 'j', default_value_t = 1)]
    threads: usize,
    /// Resolve dates against this day (YYYY-MM-DD) when an article has no publication date.
    /// Default: today; give it explicitly so that tasks retried on another day agree.
    #[arg(long, value_name = "DATE")]
    reference_date: Option<String>,
    /// What records say in `source.path` (default: null, as for stdin).
    #[arg(long, value_name = "NAME")]
    source_path: Option<String>,
    /// Leave `source.line` null: for input that is a slice of some larger file (a Spark
    /// partition), whose line numbers on stdin mean nothing.
    #[arg(long)]
    no_source_line: bool,
    /// Lines read and processed together; stdout is flushed after each chunk.
    #[arg(long, value_name = "N", default_value_t = engine::DEFAULT_CHUNK_LINES)]
    chunk_lines: usize,
    /// No summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

pub(crate) fn stream(args: StreamArgs) -> CliResult {
    let started = Instant::now();
    let config = load_config(args.config.as_ref())?;
    if args.threads == 0 {
        return Err("--threads must be at least 1".into());
    }
    if args.chunk_lines == 0 {
        return Err("--chunk-lines must be at least 1".into());
    }
    let options = StreamOptions {
        threads: args.threads,
        plugin_folders: args.plugin_folders,
        analyze: analyze::Options {
            reference_date: reference_date(args.reference_date)?,
        },
        source_path: args.source_path,
        source_lines: !args.no_source_line,
        chunk_lines: args.chunk_lines,
    };
    let input = Box::new(BufReader::with_capacity(1 << 16, io::stdin()));
    let mut output = io::stdout().lock();
    let summary = engine::stream(&config, &options, input, &mut output)?;
    if !args.quiet {
        eprintln!("{}", describe(&summary, started.elapsed().as_secs_f64()));
    }
    Ok(())
}

fn describe(summary: &StreamSummary, seconds: f64) -> String {
    let kinds: Vec<String> = summary
        .errors_by_kind
        .iter()
        .map(|(kind, count)| format!("{kind} {count}"))
        .collect();
    let by_kind = if kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", kinds.join(", "))
    };
    format!(
        "copydesk stream: {} lines in, {} records out: {} articles, {} error records{by_kind} in {seconds:.2} s",
        summary.n_lines,
        summary.n_articles + summary.n_errors,
        summary.n_articles,
        summary.n_errors,
    )
}
