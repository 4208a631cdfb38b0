//! The `copydesk` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::{Args, Parser, Subcommand};
use engine::{Config, RunOptions};

mod alloc;
mod plugins;
mod schema;
mod stream;

#[global_allocator]
static ALLOC: alloc::HugePageAlloc = alloc::HugePageAlloc;

/// copydesk turns raw news articles into structured, classified, exportable records: headline,
/// paragraphs, byline, dateline, credits, quotes with speakers, people, places, dates and
/// classifier labels, each item with code-point offsets into the text.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 the command completed (a run may have rejects: see rejects.jsonl; \
a stream may have error records), 1 a fatal error (bad configuration, a plugin that cannot load, \
an exporter failure, a closed output pipe, a failed plugin check), 2 a usage error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Process articles: read, parse, analyse, classify and export them.
    ///
    /// Inputs are files, folders (read recursively, in sorted order), glob patterns, or `-` for
    /// standard input. Files named *.jsonl / *.ndjson hold one JSON article per line; *.json
    /// one JSON article; anything else is a plain-text article (headline line, blank line,
    /// paragraphs). A .gz suffix is decompressed on the fly. In folders, files with other
    /// extensions (README.md, index.tsv) are skipped and listed in the report.
    ///
    /// Writes the exporters' files plus report.json and rejects.jsonl into --out.
    Run(RunArgs),
    /// Process JSON Lines from standard input to standard output: one record out per line in.
    Stream(stream::StreamArgs),
    /// List the plugins found in the plugin folders, and the files that failed to load.
    Plugins(plugins::PluginArgs),
    /// Parse and analyse one article and print its record as pretty JSON.
    Inspect(InspectArgs),
    /// Print the schema of the article record: JSON Schema, or a Spark DDL string.
    Schema(schema::SchemaArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Files, folders, glob patterns, or `-` for stdin. Default: the pipeline's `inputs`.
    inputs: Vec<String>,
    /// Pipeline file (copydesk.toml). Default: the built-in pipeline (language, topic and
    /// tone classifiers; JSON Lines, SQLite and HTML report exporters).
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// Output folder, created if missing.
    #[arg(long, short, default_value = "out")]
    out: PathBuf,
    /// Worker threads (default: the pipeline's setting, 0 = one per core).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Plugin folder; repeat for several. Overrides the pipeline's folders.
    #[arg(long = "plugins", value_name = "DIR")]
    plugin_folders: Vec<PathBuf>,
    /// Resolve dates against this day (YYYY-MM-DD) when an article has no publication date.
    /// Default: today.
    #[arg(long, value_name = "DATE")]
    reference_date: Option<String>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct InspectArgs {
    /// An article file (for JSON Lines, the first record), or `-` for stdin.
    input: String,
    /// Resolve dates against this day (YYYY-MM-DD) when the article has no publication date.
    /// Default: today.
    #[arg(long, value_name = "DATE")]
    reference_date: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Run(_) | Command::Stream(_)) {
        // The models load while the pipeline, the time zone and the plugins do.
        engine::warm_up_analysis();
    }
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Stream(args) => stream::stream(args),
        Command::Plugins(args) => plugins::plugins(args),
        Command::Inspect(args) => inspect(args),
        Command::Schema(args) => schema::schema(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("copydesk: error: {error}");
            ExitCode::from(1)
        }
    }
}

pub(crate) type CliResult = Result<(), Box<dyn std::error::Error>>;

pub(crate) fn load_config(path: Option<&PathBuf>) -> Result<Config, engine::EngineError> {
    match path {
        Some(path) => Config::load(path),
        None => Ok(Config::default_pipeline()),
    }
}

/// The `--reference-date` in force: the one given (checked), else today in the local time zone.
pub(crate) fn reference_date(
    date: Option<String>,
) -> Result<Option<String>, Box<dyn std::error::Error>> {
    match date {
        None => Ok(Some(jiff::ZonedDateTime::now().date().to_string())),
        Some(date) if analyze::is_iso_date(&date) => Ok(Some(date)),
        Some(date) => {
            Err(format!("--reference-date must be a date like 2022-05-01, not `{date}`").into())
        }
    }
}

fn run(args: RunArgs) -> CliResult {
    // File times are coarse on some file systems: anything written from a second before the
    // start counts as this run's.
    let now = SystemTime::now();
    let started = now.checked_sub(Duration::from_secs(1)).unwrap_or(now);
    let config = load_config(args.config.as_ref())?;
    let options = RunOptions {
        inputs: args.inputs,
        out_dir: args.out.clone(),
        threads: args.threads,
        plugin_folders: args.plugin_folders,
        quiet: args.quiet,
        analyze: analyze::Options {
            reference_date: reference_date(args.reference_date)?,
        },
    };
    if options.inputs.is_empty() && config.inputs.is_empty() {
        return Err("no inputs: name files or folders, or set `inputs` in the pipeline".into());
    }
    let report = engine::run(&config, &options)?;
    if !args.quiet {
        eprintln!(
            "copydesk: {} inputs: {} exported, {} rejected in {:.2} s ({} threads) → {}",
            report.n_inputs,
            report.n_exported,
            report.n_rejected,
            report.wall_seconds,
            report.threads,
            args.out.display()
        );
        for (path, hint) in written_files(&args.out, started) {
            eprintln!("  {}{hint}", path.display());
        }
        if report.n_rejected > 0 {
            eprintln!(
                "copydesk: reasons for the rejects are in {}",
                args.out.join("rejects.jsonl").display()
            );
        }
    }
    Ok(())
}

/// The files of `out` this run wrote (modified since it started), sorted, each with a hint on
/// how to open it.
fn written_files(out: &Path, started: SystemTime) -> Vec<(PathBuf, &'static str)> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .is_ok_and(|modified| modified >= started)
        })
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && !path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let hint = match path.extension().and_then(|extension| extension.to_str()) {
                Some("html") => "   ← open in a browser",
                Some("sqlite") => "   ← sqlite3, DB Browser, Datasette (queries: docs/sqlite.md)",
                Some("parquet") => "   ← pandas, polars, DuckDB",
                Some("csv") => "   ← a spreadsheet or pandas",
                _ => "",
            };
            (path, hint)
        })
        .collect()
}

fn inspect(args: InspectArgs) -> CliResult {
    let reference_date = self::reference_date(args.reference_date)?;
    let mut reader = ingest::InputSet::new([args.input.clone()]).read(ingest::Limits::default());
    let raw = match reader.next() {
        Some(Ok(raw)) => raw,
        Some(Err(reject)) => return Err(format!("{}: {}", reject.input, reject.reason).into()),
        None => return Err(format!("{}: no article found", args.input).into()),
    };
    let mut article =
        ingest::parse(&raw).map_err(|reason| format!("{}: {reason}", raw.origin.display()))?;
    analyze::clean(&mut article);
    analyze::analyze(&mut article, &analyze::Options { reference_date });
    println!("{}", serde_json::to_string_pretty(&article)?);
    Ok(())
}
