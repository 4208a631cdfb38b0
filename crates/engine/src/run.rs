//! The batch run.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ingest::{InputSet, RawDoc, Reject};
use plugin_host::{Exporter, PluginKind, Registry};
use rayon::prelude::*;

use crate::process::{Outcome, Processor, StageTimes};
use crate::report::{PluginReport, RejectRecord, RunReport};
use crate::{Config, EngineError};

/// How to run a pipeline.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// What to read; when empty, the pipeline's own `inputs`.
    pub inputs: Vec<String>,
    /// Where outputs go; created if missing.
    pub out_dir: PathBuf,
    /// Worker threads; overrides the pipeline's `run.threads` when set.
    pub threads: Option<usize>,
    /// Plugin folders; override the pipeline's when non-empty.
    pub plugin_folders: Vec<PathBuf>,
    /// No progress bar.
    pub quiet: bool,
    /// Analysis settings.
    pub analyze: analyze::Options,
}

type Chunk = Vec<Result<RawDoc, Reject>>;

/// Loads the analysis's models and tables on a thread of their own while the caller loads
/// plugins and opens inputs, instead of on the first article (where every worker would wait
/// for them). Workers that get there first wait for what is still loading, as they would have.
///
/// [`run`] and [`stream`](crate::stream()) call it; a program can call it earlier (the
/// command line does, before it reads the pipeline and the time zone). Only the first call
/// in a process starts the thread.
pub fn warm_up_analysis() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // Without the thread the first article loads them: nothing is lost if it cannot start.
        let _ = std::thread::Builder::new()
            .name("copydesk-warm-up".to_string())
            .spawn(analyze::warm_up);
    });
}

/// The plugins of the given folders (the pipeline's own when `folders` is empty). A run, batch
/// or stream, refuses to start while any plugin file there is broken.
pub(crate) fn discover_plugins(
    config: &Config,
    folders: &[PathBuf],
) -> Result<Registry, EngineError> {
    let folders = if folders.is_empty() {
        config.plugin_folders()
    } else {
        folders.to_vec()
    };
    let registry = Registry::discover(&folders);
    if !registry.broken().is_empty() {
        return Err(EngineError::BrokenPlugins(registry.broken().to_vec()));
    }
    Ok(registry)
}
type ExportChunk = Arc<Vec<Vec<u8>>>;

/// Runs a pipeline to completion and writes `report.json` and `rejects.jsonl` into the output
/// folder. Rejected inputs are not errors; an `Err` means the run itself failed.
pub fn run(config: &Config, options: &RunOptions) -> Result<RunReport, EngineError> {
    let started = Instant::now();
    let inputs = if options.inputs.is_empty() {
        config.inputs.clone()
    } else {
        options.inputs.clone()
    };
    warm_up_analysis();
    let registry = discover_plugins(config, &options.plugin_folders)?;
    let mut plugin_reports = Vec::new();
    let mut classifiers = Vec::new();
    for plugin_use in &config.classify {
        let plugin = registry.find(&plugin_use.plugin, PluginKind::Classifier)?;
        classifiers.push(plugin.start_classifier(&plugin_use.options_json())?);
        plugin_reports.push(plugin_report(plugin));
    }
    create_dir(&options.out_dir)?;
    let mut exporters = Vec::new();
    for plugin_use in &config.export {
        let plugin = registry.find(&plugin_use.plugin, PluginKind::Exporter)?;
        exporters.push(plugin.start_exporter(&plugin_use.options_json(), &options.out_dir)?);
        plugin_reports.push(plugin_report(plugin));
    }
    let threads = match options.threads.unwrap_or(config.run.threads) {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        threads => threads,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|idx| format!("copydesk-worker-{idx}"))
        .build()
        .map_err(|error| EngineError::Threads {
            threads,
            message: error.to_string(),
        })?;

    let processor = Processor::new(classifiers, options.analyze.clone());
    let classifier_names: Vec<String> = processor
        .classifiers()
        .iter()
        .map(|classifier| classifier.name().to_string())
        .collect();
    let input_set = InputSet::new(inputs.clone());
    let reader = spawn_reader(input_set, config.limits(), config.run.chunk_size)?;
    let writers: Vec<Writer> = exporters.into_iter().map(Writer::spawn).collect();
    let progress = progress_bar(options.quiet);
    let mut rejects = RejectsFile::create(&options.out_dir)?;

    let mut totals = StageTimes::default();
    let mut n_inputs = 0u64;
    let mut n_exported = 0u64;
    let mut rejected_by_stage: BTreeMap<String, u64> = BTreeMap::new();
    let mut writer_gone = false;
    for chunk in reader.chunks.iter() {
        n_inputs += chunk.len() as u64;
        let results: Vec<(Outcome, StageTimes)> = pool.install(|| {
            // One article per rayon task: without it rayon splits the chunk into a few
            // blocks and folds each block on one thread, and a worker that runs out of
            // blocks idles while another is still deep in its own (1–3 % of a two-worker
            // run, at every chunk's end). An article takes about a millisecond; a task costs
            // a microsecond.
            chunk
                .into_par_iter()
                .with_max_len(1)
                .map(|raw| {
                    let mut times = StageTimes::default();
                    let outcome = processor.process(raw, &mut times);
                    (outcome, times)
                })
                .collect()
        });
        let mut exported = Vec::with_capacity(results.len());
        for (outcome, times) in results {
            totals.add(&times);
            match outcome {
                Outcome::Exported(json) => exported.push(json),
                Outcome::Rejected { reject, stage } => {
                    *rejected_by_stage.entry(stage.to_string()).or_default() += 1;
                    rejects.write(&RejectRecord {
                        input: reject.input,
                        stage: stage.to_string(),
                        reason: reject.reason,
                    })?;
                }
            }
        }
        n_exported += exported.len() as u64;
        let exported: ExportChunk = Arc::new(exported);
        for writer in &writers {
            if writer.sender.send(exported.clone()).is_err() {
                writer_gone = true;
            }
        }
        progress.set_message(format!(
            "{} articles, {} rejected",
            n_exported,
            n_inputs - n_exported
        ));
        progress.set_position(n_inputs);
        if writer_gone {
            break;
        }
    }
    progress.finish_and_clear();
    let (skipped_files, read_seconds) = reader.finish();

    // Every writer finishes (or reports its failure) before the run's verdict.
    let mut export_seconds = BTreeMap::new();
    let mut export_error = None;
    for writer in writers {
        let name = writer.name.clone();
        match writer.finish() {
            Ok(busy) => {
                export_seconds.insert(format!("export:{name}"), busy.as_secs_f64());
            }
            Err(error) => {
                export_error.get_or_insert(error);
            }
        }
    }
    if let Some(error) = export_error {
        return Err(error);
    }
    rejects.commit()?;

    let mut stage_seconds = BTreeMap::new();
    stage_seconds.insert("read".to_string(), read_seconds);
    stage_seconds.insert("parse".to_string(), totals.parse.as_secs_f64());
    stage_seconds.insert("analyze".to_string(), totals.analyze.as_secs_f64());
    stage_seconds.insert("encode".to_string(), totals.encode.as_secs_f64());
    for (name, time) in classifier_names.iter().zip(&totals.classify) {
        stage_seconds.insert(format!("classify:{name}"), time.as_secs_f64());
    }
    stage_seconds.extend(export_seconds);
    let report = RunReport {
        copydesk_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: article::SCHEMA_VERSION,
        inputs,
        n_inputs,
        n_exported,
        n_rejected: n_inputs - n_exported,
        rejected_by_stage,
        skipped_files,
        threads,
        wall_seconds: started.elapsed().as_secs_f64(),
        stage_seconds,
        plugins: plugin_reports,
        peak_rss_bytes: crate::report::peak_rss_bytes(),
    };
    write_report(&options.out_dir, &report)?;
    Ok(report)
}

fn plugin_report(plugin: &plugin_host::Plugin) -> PluginReport {
    PluginReport {
        name: plugin.name.clone(),
        kind: plugin.kind,
        version: plugin.version.clone(),
        abi: plugin.abi,
        path: plugin.path.display().to_string(),
    }
}

fn create_dir(path: &Path) -> Result<(), EngineError> {
    std::fs::create_dir_all(path).map_err(|source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The reader thread: reads ahead by a bounded number of chunks, so I/O overlaps compute.
struct ReaderThread {
    chunks: Receiver<Chunk>,
    handle: JoinHandle<(Vec<String>, f64)>,
}

fn spawn_reader(
    inputs: InputSet,
    limits: ingest::Limits,
    chunk_size: usize,
) -> Result<ReaderThread, EngineError> {
    let (sender, chunks) = sync_channel::<Chunk>(2);
    let handle = std::thread::Builder::new()
        .name("copydesk-reader".to_string())
        .spawn(move || {
            let mut busy = Duration::ZERO;
            let mut reader = inputs.read(limits);
            loop {
                let started = Instant::now();
                let chunk: Chunk = reader.by_ref().take(chunk_size).collect();
                busy += started.elapsed();
                if chunk.is_empty() || sender.send(chunk).is_err() {
                    break;
                }
            }
            (reader.skipped(), busy.as_secs_f64())
        })
        .map_err(|error| EngineError::Threads {
            threads: 1,
            message: error.to_string(),
        })?;
    Ok(ReaderThread { chunks, handle })
}

impl ReaderThread {
    /// Files skipped and seconds spent reading. A reader that panicked read nothing more;
    /// what it read was counted.
    fn finish(self) -> (Vec<String>, f64) {
        drop(self.chunks);
        self.handle.join().unwrap_or_default()
    }
}

/// One exporter on its own thread, fed chunks in order.
struct Writer {
    name: String,
    sender: SyncSender<ExportChunk>,
    handle: JoinHandle<Result<Duration, EngineError>>,
}

impl Writer {
    fn spawn(mut exporter: Exporter) -> Writer {
        let name = exporter.name().to_string();
        let (sender, chunks) = sync_channel::<ExportChunk>(2);
        let thread_name = format!("copydesk-export-{name}");
        let handle = std::thread::Builder::new()
            .name(thread_name)
            .spawn(move || {
                let mut busy = Duration::ZERO;
                for chunk in chunks.iter() {
                    let started = Instant::now();
                    for json in chunk.iter() {
                        exporter.write(json).map_err(|error| EngineError::Export {
                            plugin: error.plugin.clone(),
                            message: describe(&error),
                        })?;
                    }
                    busy += started.elapsed();
                }
                let started = Instant::now();
                exporter.finish().map_err(|error| EngineError::Export {
                    plugin: error.plugin.clone(),
                    message: describe(&error),
                })?;
                Ok(busy + started.elapsed())
            });
        let handle = handle.unwrap_or_else(|error| {
            let message = error.to_string();
            let plugin = name.clone();
            std::thread::spawn(move || Err(EngineError::Export { plugin, message }))
        });
        Writer {
            name,
            sender,
            handle,
        }
    }

    fn finish(self) -> Result<Duration, EngineError> {
        drop(self.sender);
        match self.handle.join() {
            Ok(result) => result,
            Err(_) => Err(EngineError::Export {
                plugin: self.name,
                message: "the writer thread panicked".to_string(),
            }),
        }
    }
}

fn describe(error: &plugin_host::CallError) -> String {
    if error.panicked {
        format!("panicked: {}", error.message)
    } else {
        error.message.clone()
    }
}

/// `rejects.jsonl`, written as rejects come and moved into place at the end.
struct RejectsFile {
    path: PathBuf,
    temp_path: PathBuf,
    file: BufWriter<File>,
    committed: bool,
}

impl RejectsFile {
    fn create(out_dir: &Path) -> Result<RejectsFile, EngineError> {
        let path = out_dir.join("rejects.jsonl");
        let temp_path = out_dir.join(".rejects.jsonl.tmp");
        let file = File::create(&temp_path).map_err(|source| EngineError::Io {
            path: temp_path.clone(),
            source,
        })?;
        Ok(RejectsFile {
            path,
            temp_path,
            file: BufWriter::new(file),
            committed: false,
        })
    }

    fn write(&mut self, record: &RejectRecord) -> Result<(), EngineError> {
        let mut line = serde_json::to_vec(record).unwrap_or_default();
        line.push(b'\n');
        self.file
            .write_all(&line)
            .map_err(|source| EngineError::Io {
                path: self.temp_path.clone(),
                source,
            })
    }

    fn commit(mut self) -> Result<(), EngineError> {
        let io_error = |source| EngineError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.flush().map_err(io_error)?;
        std::fs::rename(&self.temp_path, &self.path).map_err(io_error)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for RejectsFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

fn write_report(out_dir: &Path, report: &RunReport) -> Result<(), EngineError> {
    let path = out_dir.join("report.json");
    let temp_path = out_dir.join(".report.json.tmp");
    let mut json = serde_json::to_vec_pretty(report).unwrap_or_default();
    json.push(b'\n');
    let io_error = |source| EngineError::Io {
        path: path.clone(),
        source,
    };
    std::fs::write(&temp_path, json).map_err(io_error)?;
    std::fs::rename(&temp_path, &path).map_err(io_error)
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
