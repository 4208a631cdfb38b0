//! The batch run.

use std::collections::BTreeMap;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ingest::{InputSet, RawDoc, Reject};
use plugin_host::{Exporter, PluginKind, Registry};

use crate::process::{Outcome, Processor, StageTimes, into_batches};
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

    let mut tally = Tally {
        totals: StageTimes::default(),
        n_inputs: 0,
        n_exported: 0,
        rejected_by_stage: BTreeMap::new(),
        writer_gone: false,
        writers: &writers,
        rejects: &mut rejects,
        progress: &progress,
    };
    let batch_size = config.run.batch_size;
    let chunks_in_flight = chunks_in_flight(threads, config.run.chunk_size, batch_size);
    pool.in_place_scope(|scope| -> Result<(), EngineError> {
        let (done_sender, done) = channel::<(u64, usize, BatchResult)>();
        // The chunks being processed, oldest first, each a result slot per batch;
        // `first_seq` numbers the oldest.
        let mut in_flight: VecDeque<Vec<Option<BatchResult>>> = VecDeque::new();
        let mut first_seq = 0u64;
        let mut chunks = reader.chunks.iter();
        let mut reading = true;
        loop {
            while reading && in_flight.len() < chunks_in_flight {
                let Some(chunk) = chunks.next() else {
                    reading = false;
                    break;
                };
                let seq = first_seq + in_flight.len() as u64;
                let batches = into_batches(chunk, batch_size);
                in_flight.push_back(batches.iter().map(|_| None).collect());
                for (batch_idx, batch) in batches.into_iter().enumerate() {
                    let done_sender = done_sender.clone();
                    let processor = &processor;
                    scope.spawn(move |_| {
                        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            let mut times = StageTimes::default();
                            let outcomes = processor.process_batch(batch, &mut times);
                            (outcomes, times)
                        }));
                        // The receiver is gone only when the run has already failed.
                        let _ = done_sender.send((seq, batch_idx, result));
                    });
                }
            }
            // Nothing in flight after filling: nothing is left to read either.
            let Some(oldest) = in_flight.front() else {
                return Ok(());
            };
            if oldest.iter().all(Option::is_some)
                && let Some(chunk) = in_flight.pop_front()
            {
                first_seq += 1;
                tally.chunk_done(chunk.into_iter().flatten())?;
                if tally.writer_gone {
                    return Ok(());
                }
                continue;
            }
            let (seq, batch_idx, result) = done.recv().map_err(|_| EngineError::WorkersLost)?;
            let slot = seq
                .checked_sub(first_seq)
                .and_then(|chunk_idx| usize::try_from(chunk_idx).ok())
                .and_then(|chunk_idx| in_flight.get_mut(chunk_idx))
                .and_then(|chunk| chunk.get_mut(batch_idx));
            if let Some(slot) = slot {
                *slot = Some(result);
            }
        }
    })?;
    let Tally {
        totals,
        n_inputs,
        n_exported,
        rejected_by_stage,
        ..
    } = tally;
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

/// Chunks processed at once: at least two, so that while the last batches of one chunk run
/// the next chunk's are already queued and no worker waits at a chunk's end for another to
/// finish; and enough for two batches per worker, so that many workers with large batches
/// all have work. Results are handed on a whole chunk at a time, in input order.
fn chunks_in_flight(threads: usize, chunk_size: usize, batch_size: usize) -> usize {
    let per_chunk = chunk_size.max(1).div_ceil(batch_size.max(1));
    2.max((2 * threads.max(1)).div_ceil(per_chunk) + 1)
}

/// A batch's outcomes and stage times, or the panic that stopped it.
type BatchResult = std::thread::Result<(Vec<Outcome>, StageTimes)>;

/// What the run has done so far, and where finished chunks go.
struct Tally<'a> {
    totals: StageTimes,
    n_inputs: u64,
    n_exported: u64,
    rejected_by_stage: BTreeMap<String, u64>,
    /// A writer stopped taking chunks (it failed; `Writer::finish` says why).
    writer_gone: bool,
    writers: &'a [Writer],
    rejects: &'a mut RejectsFile,
    progress: &'a ProgressBar,
}

impl Tally<'_> {
    /// Hands a finished chunk on, its batches' results in input order: records to the
    /// writers, rejects to `rejects.jsonl`.
    fn chunk_done(
        &mut self,
        results: impl Iterator<Item = BatchResult>,
    ) -> Result<(), EngineError> {
        let mut exported = Vec::new();
        for result in results {
            let (outcomes, times) = match result {
                Ok(done) => done,
                // A panic on one input costs that input alone (`process::guarded`); one that
                // escaped the guards is a bug in the engine itself, and ends the run as it
                // would have on the worker.
                Err(panic) => std::panic::resume_unwind(panic),
            };
            self.totals.add(&times);
            // One outcome per input.
            self.n_inputs += outcomes.len() as u64;
            for outcome in outcomes {
                match outcome {
                    Outcome::Exported(json) => exported.push(json),
                    Outcome::Rejected { reject, stage } => {
                        *self.rejected_by_stage.entry(stage.to_string()).or_default() += 1;
                        self.rejects.write(&RejectRecord {
                            input: reject.input,
                            stage: stage.to_string(),
                            reason: reject.reason,
                        })?;
                    }
                }
            }
        }
        self.n_exported += exported.len() as u64;
        let exported: ExportChunk = Arc::new(exported);
        for writer in self.writers {
            if writer.sender.send(exported.clone()).is_err() {
                self.writer_gone = true;
            }
        }
        self.progress.set_message(format!(
            "{} articles, {} rejected",
            self.n_exported,
            self.n_inputs - self.n_exported
        ));
        self.progress.set_position(self.n_inputs);
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::chunks_in_flight;

    #[test]
    fn enough_chunks_are_in_flight_for_two_batches_per_worker() {
        for threads in [1, 2, 3, 8, 64] {
            for (chunk_size, batch_size) in [(256, 32), (256, 1), (7, 3), (10, 100), (1, 1)] {
                let chunks = chunks_in_flight(threads, chunk_size, batch_size);
                let batches_per_chunk = chunk_size.div_ceil(batch_size);
                assert!(chunks >= 2, "{threads} {chunk_size} {batch_size}");
                assert!(
                    chunks * batches_per_chunk >= 2 * threads,
                    "{threads} workers, chunks of {chunk_size}, batches of {batch_size}: {chunks}"
                );
                // No more than needed: one chunk fewer would not do.
                assert!(
                    chunks == 2 || (chunks - 2) * batches_per_chunk < 2 * threads,
                    "{threads} workers, chunks of {chunk_size}, batches of {batch_size}: {chunks}"
                );
            }
        }
    }
}
