//! `cargo xtask bench`: whole-pipeline throughput, scaling and memory, measured by running the
//! release binary on real corpora and reading its `report.json`.
//!
//! For each corpus and thread count the pipeline runs `--repeat` times, the thread counts taking
//! turns; figures are medians with the spread (min–max), and scaling is the median of the
//! ratios within a turn, since these machines are shared and noisy. The large corpus
//! (BBC articles repeated with fresh ids to ≥ 1 GB of JSON Lines) is generated into a
//! temporary folder and deleted afterwards; it measures that memory stays flat. The plugin
//! boundary is measured by adding a classifier that only crosses it (the boundary probe,
//! `tests/plugins/test-plugin-boundary-probe`) and reading its time. The built-in pipeline
//! (`copydesk run` without `--config`: JSON Lines, SQLite and the HTML report) takes turns
//! with the measured one at the most threads, to show what its exporters cost, and runs once
//! more on a generated corpus of some 100,000 articles whose copies name new people, places
//! and organisations, to show that its exporters' memory stays bounded where names do not
//! repeat (`--no-large` skips both generated corpora).

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{Result, build, root};

/// Runs per corpus and thread count. The scaling ratio, a quotient of two noisy times, needs
/// many pairs on a shared machine: seven turns on BBC once gave 1.68× where 21 turns minutes
/// later gave 1.85×, and seven benches of nearly the same code gave seven-turn medians from
/// 1.68× to 1.92×. Fifteen turns took the whole bench from 8.7 to 12.0 minutes.
const DEFAULT_REPEAT: usize = 15;

const USAGE: &str = "usage: cargo xtask bench [CORPUS...] [--repeat N] [--threads LIST] [--large-mb N | --no-large] [--config FILE]

  CORPUS          folders or files; default: samples/, ../shared/data/bbc (when present)
                  and a generated large corpus
  --repeat N      runs per corpus and thread count (default 15); figures are medians
  --threads LIST  comma-separated thread counts (default 1,2)
  --large-mb N    size of the generated corpus in MB (default 1024)
  --no-large      skip the generated corpora (the large one, and the one of new names
                  that the built-in pipeline runs on)
  --config FILE   pipeline to measure (default xtask/bench/pipeline.toml)
  --no-docs       do not rewrite docs/performance.md";

struct Options {
    corpora: Vec<String>,
    repeat: usize,
    threads: Vec<usize>,
    large_mb: Option<u64>,
    config: PathBuf,
    write_docs: bool,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        corpora: Vec::new(),
        repeat: DEFAULT_REPEAT,
        threads: vec![1, 2],
        large_mb: Some(1024),
        config: root().join("xtask/bench/pipeline.toml"),
        write_docs: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--repeat" => {
                options.repeat = value("--repeat")?
                    .parse()
                    .map_err(|_| "--repeat takes a number")?
            }
            "--threads" => {
                options.threads = value("--threads")?
                    .split(',')
                    .map(|part| part.trim().parse::<usize>())
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|_| "--threads takes a list like 1,2")?
            }
            "--large-mb" => {
                options.large_mb = Some(
                    value("--large-mb")?
                        .parse()
                        .map_err(|_| "--large-mb takes a number")?,
                )
            }
            "--no-large" => options.large_mb = None,
            "--config" => options.config = PathBuf::from(value("--config")?),
            "--no-docs" => options.write_docs = false,
            "--help" | "-h" => return Err(USAGE.into()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n\n{USAGE}").into());
            }
            corpus => options.corpora.push(corpus.to_string()),
        }
    }
    if options.repeat == 0 || options.threads.is_empty() || options.threads.contains(&0) {
        return Err(
            format!("--repeat and every --threads value must be at least 1\n\n{USAGE}").into(),
        );
    }
    Ok(options)
}

/// One measured run.
#[derive(Clone)]
struct Sample {
    seconds: f64,
    n_articles: u64,
    peak_rss: u64,
    stages: BTreeMap<String, f64>,
}

/// Figures for one corpus at one thread count.
struct Row {
    corpus: String,
    threads: usize,
    n_articles: u64,
    input_bytes: u64,
    articles_per_s: Vec<f64>,
    peak_rss: u64,
    stages: BTreeMap<String, f64>,
}

impl Row {
    fn median(&self) -> f64 {
        median(&self.articles_per_s)
    }

    fn spread(&self) -> (f64, f64) {
        let min = self
            .articles_per_s
            .iter()
            .cloned()
            .fold(f64::INFINITY, f64::min);
        let max = self.articles_per_s.iter().cloned().fold(0.0, f64::max);
        (min, max)
    }

    fn mb_per_s(&self) -> f64 {
        let seconds = self.n_articles as f64 / self.median().max(1e-9);
        self.input_bytes as f64 / 1e6 / seconds.max(1e-9)
    }
}

/// Throughput of `other` over `base`: the median of the ratios of runs made one after the
/// other in the same round, which cancels most of the drift of a shared machine. Scaling is
/// this with `base` on one thread and `other` on two.
fn paired_ratio(base: &Row, other: &Row) -> f64 {
    let ratios: Vec<f64> = base
        .articles_per_s
        .iter()
        .zip(&other.articles_per_s)
        .map(|(base, other)| other / base.max(1e-9))
        .collect();
    median(&ratios)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

pub fn run(args: &[String]) -> Result {
    let options = parse(args)?;
    build(true, false)?;
    let binary = crate::target_dir().join("release/copydesk");
    let scratch = std::env::temp_dir().join(format!("copydesk-bench-{}", std::process::id()));
    fs::create_dir_all(&scratch)?;
    let result =
        build_probe(&scratch).and_then(|probe| measure(&options, &binary, &scratch, &probe));
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn shared_bbc() -> Option<PathBuf> {
    let bbc = root().parent()?.join("shared/data/bbc");
    bbc.is_dir().then_some(bbc)
}

/// Builds the boundary probe (`tests/plugins/test-plugin-boundary-probe`) and copies it, under
/// a plugin's file name, into a folder of its own: the folder to add to `--plugins` for it.
fn build_probe(scratch: &Path) -> Result<PathBuf> {
    let mut command = crate::cargo();
    command.args(["build", "--release", "-p", "test-plugin-boundary-probe"]);
    crate::status(command)?;
    let folder = scratch.join("probe");
    fs::create_dir_all(&folder)?;
    fs::copy(
        crate::target_dir()
            .join("release")
            .join(crate::library("testplugin_boundary_probe")),
        folder.join(crate::library("copydesk_boundary_probe")),
    )?;
    Ok(folder)
}

fn measure(options: &Options, binary: &Path, scratch: &Path, probe: &Path) -> Result {
    let mut corpora: Vec<(String, PathBuf)> = options
        .corpora
        .iter()
        .map(|corpus| (corpus.clone(), PathBuf::from(corpus)))
        .collect();
    if corpora.is_empty() {
        corpora.push(("samples".to_string(), root().join("samples")));
        match shared_bbc() {
            Some(bbc) => corpora.push(("bbc".to_string(), bbc)),
            None => println!("bench: skipped the BBC corpus: ../shared/data/bbc is not present"),
        }
    }
    let mut rows = Vec::new();
    for (name, path) in &corpora {
        let input_bytes = tree_bytes(path);
        // Round-robin over the thread counts, so that a slow spell of this shared machine
        // falls on every thread count alike rather than on one of them.
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); options.threads.len()];
        for _ in 0..options.repeat {
            for (&threads, runs) in options.threads.iter().zip(&mut samples) {
                runs.push(run_once(
                    binary,
                    &options.config,
                    path,
                    threads,
                    scratch,
                    None,
                )?);
            }
        }
        for (&threads, runs) in options.threads.iter().zip(&samples) {
            rows.push(row(name, threads, input_bytes, runs));
            print_progress(rows.last());
        }
    }
    let mut large_rows = Vec::new();
    if let (true, Some(large_mb)) = (options.corpora.is_empty(), options.large_mb) {
        let source = shared_bbc().unwrap_or_else(|| root().join("samples"));
        let large = scratch.join("large.jsonl");
        let started = Instant::now();
        let (n_records, bytes) = generate_large(&source, &large, large_mb * 1_000_000, false)?;
        println!(
            "bench: generated {n_records} records, {:.0} MB, from {} in {:.1} s",
            bytes as f64 / 1e6,
            source.display(),
            started.elapsed().as_secs_f64()
        );
        let threads = options.threads.iter().copied().max().unwrap_or(1);
        let sample = run_once(binary, &options.config, &large, threads, scratch, None)?;
        let _ = fs::remove_file(&large);
        large_rows.push(row(
            &format!("large ({:.1} GB)", bytes as f64 / 1e9),
            threads,
            bytes,
            &[sample],
        ));
        print_progress(large_rows.last());
    }
    rows.extend(large_rows);
    // What exporting to JSON Lines + SQLite costs, and what crossing the plugin boundary costs
    // (the benchmark pipeline plus the probe), on the largest real corpus, one thread.
    let mut export = None;
    let mut boundary = None;
    let mut built_in = None;
    let mut names = None;
    if options.corpora.is_empty() {
        let (name, path) = corpora.last().cloned().unwrap_or_default();
        let one_thread = |pipeline: &str, label: &str, plugins: Option<&Path>| -> Result<Row> {
            let config = root().join("xtask/bench").join(pipeline);
            let mut samples = Vec::new();
            for _ in 0..options.repeat {
                samples.push(run_once(binary, &config, &path, 1, scratch, plugins)?);
            }
            let measured = row(&format!("{name} ({label})"), 1, tree_bytes(&path), &samples);
            print_progress(Some(&measured));
            Ok(measured)
        };
        export = Some(one_thread(
            "pipeline-sqlite.toml",
            "JSON Lines + SQLite",
            None,
        )?);
        boundary = Some(one_thread(
            "pipeline-probe.toml",
            "with the boundary probe",
            Some(probe),
        )?);
        // The built-in pipeline and the measured one take turns, at the most threads.
        let threads = options.threads.iter().copied().max().unwrap_or(1);
        let built_in_config = root().join(BUILT_IN_PIPELINE);
        let (mut measured, mut built_in_runs) = (Vec::new(), Vec::new());
        for _ in 0..options.repeat {
            measured.push(run_once(
                binary,
                &options.config,
                &path,
                threads,
                scratch,
                None,
            )?);
            built_in_runs.push(run_once(
                binary,
                &built_in_config,
                &path,
                threads,
                scratch,
                None,
            )?);
        }
        let input_bytes = tree_bytes(&path);
        let measured = row(&name, threads, input_bytes, &measured);
        let built_in_row = row(
            &format!("{name} (built-in pipeline)"),
            threads,
            input_bytes,
            &built_in_runs,
        );
        print_progress(Some(&built_in_row));
        built_in = Some((measured, built_in_row));
        if options.large_mb.is_some() {
            names = Some(built_in_on_new_names(binary, scratch, threads)?);
        }
    }
    let mut table = render(&rows, options);
    if let Some(export) = &export {
        table.push_str(&render_export(export));
    }
    if let Some(boundary) = &boundary {
        table.push_str(&render_boundary(boundary));
    }
    if let Some((measured, built_in)) = &built_in {
        table.push_str(&render_built_in(measured, built_in));
        if let Some(names) = &names {
            table.push_str(&render_names(built_in, names));
        }
    }
    let targets = targets(&rows, export.as_ref(), boundary.as_ref());
    table.push_str(&render_targets(&targets));
    println!("\n{table}");
    let json = summary_json(
        &rows,
        export.as_ref(),
        boundary.as_ref(),
        built_in.as_ref(),
        names.as_ref(),
        &targets,
    );
    println!("{json}");
    if options.write_docs {
        write_docs(&table, &json, options)?;
        println!("bench: wrote docs/performance.md");
    }
    Ok(())
}

fn print_progress(row: Option<&Row>) {
    if let Some(row) = row {
        let (min, max) = row.spread();
        eprintln!(
            "bench: {} × {} threads: {:.0} articles/s (min {:.0}, max {:.0}), peak RSS {:.0} MB",
            row.corpus,
            row.threads,
            row.median(),
            min,
            max,
            row.peak_rss as f64 / 1e6
        );
    }
}

fn run_once(
    binary: &Path,
    config: &Path,
    input: &Path,
    threads: usize,
    scratch: &Path,
    extra_plugins: Option<&Path>,
) -> Result<Sample> {
    let out = scratch.join("out");
    let _ = fs::remove_dir_all(&out);
    let mut command = Command::new(binary);
    command
        .arg("run")
        .arg(input)
        .arg("--quiet")
        .arg("--config")
        .arg(config)
        .arg("--plugins")
        .arg(crate::target_dir().join("release"))
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--out")
        .arg(&out);
    if let Some(folder) = extra_plugins {
        command.arg("--plugins").arg(folder);
    }
    let started = Instant::now();
    let status = command.status()?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("copydesk run {} failed ({status})", input.display()).into());
    }
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json"))?)?;
    let number = |key: &str| report[key].as_f64().unwrap_or(0.0);
    Ok(Sample {
        seconds,
        n_articles: number("n_exported") as u64,
        peak_rss: number("peak_rss_bytes") as u64,
        stages: report["stage_seconds"]
            .as_object()
            .map(|stages| {
                stages
                    .iter()
                    .filter_map(|(stage, seconds)| Some((stage.clone(), seconds.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn row(corpus: &str, threads: usize, input_bytes: u64, samples: &[Sample]) -> Row {
    let mut stages: BTreeMap<String, f64> = BTreeMap::new();
    for sample in samples {
        for (stage, seconds) in &sample.stages {
            *stages.entry(stage.clone()).or_default() += seconds / samples.len() as f64;
        }
    }
    Row {
        corpus: corpus.to_string(),
        threads,
        n_articles: samples.first().map_or(0, |sample| sample.n_articles),
        input_bytes,
        articles_per_s: samples
            .iter()
            .map(|sample| sample.n_articles as f64 / sample.seconds.max(1e-9))
            .collect(),
        peak_rss: samples
            .iter()
            .map(|sample| sample.peak_rss)
            .max()
            .unwrap_or(0),
        stages,
    }
}

fn render(rows: &[Row], options: &Options) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "| corpus | threads | articles | input MB | articles/s (median of {}) | spread | MB/s | peak RSS MB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
        options.repeat
    ));
    for row in rows {
        let (min, max) = row.spread();
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.0} | {:.0}–{:.0} | {:.2} | {:.0} |\n",
            row.corpus,
            row.threads,
            row.n_articles,
            row.input_bytes as f64 / 1e6,
            row.median(),
            min,
            max,
            row.mb_per_s(),
            row.peak_rss as f64 / 1e6
        ));
    }
    out.push_str("\nShare of time per stage (summed over threads; `classify:*` includes the plugin decoding the article, `encode` is the host encoding it for the plugin boundary):\n\n");
    let stage_names: Vec<String> = rows
        .iter()
        .flat_map(|row| row.stages.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    out.push_str(&format!(
        "| corpus | threads | {} |\n",
        stage_names.join(" | ")
    ));
    out.push_str(&format!(
        "|---|---:|{}\n",
        "---:|".repeat(stage_names.len())
    ));
    for row in rows {
        let total: f64 = row.stages.values().sum();
        let shares: Vec<String> = stage_names
            .iter()
            .map(|stage| {
                format!(
                    "{:.1} %",
                    100.0 * row.stages.get(stage).copied().unwrap_or(0.0) / total.max(1e-9)
                )
            })
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            row.corpus,
            row.threads,
            shares.join(" | ")
        ));
    }
    let scaling: Vec<String> = rows
        .iter()
        .filter(|row| row.threads == 2)
        .filter_map(|two| {
            let one = rows
                .iter()
                .find(|row| row.corpus == two.corpus && row.threads == 1)?;
            Some(format!("{}: {:.2}×", two.corpus, paired_ratio(one, two)))
        })
        .collect();
    if !scaling.is_empty() {
        out.push_str(&format!(
            "\nScaling, 2 threads vs 1: {}\n",
            scaling.join(", ")
        ));
    }
    out
}

/// Share of the summed stage time spent in stages whose name starts with `prefix`.
fn share(row: &Row, prefix: &str) -> f64 {
    let total: f64 = row.stages.values().sum();
    let part: f64 = row
        .stages
        .iter()
        .filter(|(stage, _)| stage.starts_with(prefix))
        .map(|(_, seconds)| seconds)
        .sum();
    part / total.max(1e-9)
}

/// Each exporter's time per article, as "`export:name` 0.123 ms/article, …".
fn exporter_times(row: &Row) -> String {
    let stages: Vec<String> = row
        .stages
        .iter()
        .filter(|(stage, _)| stage.starts_with("export:"))
        .map(|(stage, seconds)| {
            format!(
                "`{stage}` {:.3} ms/article",
                1e3 * seconds / row.n_articles.max(1) as f64
            )
        })
        .collect();
    stages.join(", ")
}

fn render_export(export: &Row) -> String {
    format!(
        "\nExport, {} at 1 thread: {:.0} articles/s; exporting is {:.1} % of the summed stage time ({}).\n",
        export.corpus,
        export.median(),
        100.0 * share(export, "export:"),
        exporter_times(export)
    )
}

/// The pipeline `copydesk run` runs without `--config`, embedded in the binary from here.
const BUILT_IN_PIPELINE: &str = "crates/engine/src/default.toml";

fn render_built_in(measured: &Row, built_in: &Row) -> String {
    format!(
        "\nBuilt-in pipeline (`{BUILT_IN_PIPELINE}`: JSON Lines, SQLite and the HTML report), {} at {} threads, taking turns with the measured pipeline: {:.0} articles/s against {:.0} ({:.2}× the throughput, median of the paired ratios), peak RSS {:.0} MB; exporting is {:.1} % of the summed stage time ({}).\n",
        measured.corpus,
        built_in.threads,
        built_in.median(),
        measured.median(),
        paired_ratio(measured, built_in),
        built_in.peak_rss as f64 / 1e6,
        100.0 * share(built_in, "export:"),
        exporter_times(built_in)
    )
}

/// Size of the generated corpus with a new name in every copy: about 100,000 articles.
const NAMES_MB: u64 = 230;

/// Runs the built-in pipeline once on a generated corpus that keeps naming new people, places
/// and organisations ([`generate_large`] with new names), at `threads`: the memory its
/// exporters' tables and indexes take where names do not repeat.
fn built_in_on_new_names(binary: &Path, scratch: &Path, threads: usize) -> Result<Row> {
    let source = shared_bbc().unwrap_or_else(|| root().join("samples"));
    let corpus = scratch.join("names.jsonl");
    let (n_records, bytes) = generate_large(&source, &corpus, NAMES_MB * 1_000_000, true)?;
    println!(
        "bench: generated {n_records} records with new names, {:.0} MB",
        bytes as f64 / 1e6
    );
    let sample = run_once(
        binary,
        &root().join(BUILT_IN_PIPELINE),
        &corpus,
        threads,
        scratch,
        None,
    );
    let _ = fs::remove_file(&corpus);
    let _ = fs::remove_dir_all(scratch.join("out"));
    let row = row(
        &format!(
            "new names ({:.2} GB, built-in pipeline)",
            bytes as f64 / 1e9
        ),
        threads,
        bytes,
        &[sample?],
    );
    print_progress(Some(&row));
    Ok(row)
}

fn render_names(built_in: &Row, names: &Row) -> String {
    let corpus = built_in.corpus.trim_end_matches(" (built-in pipeline)");
    format!(
        "\nBuilt-in pipeline on {} generated articles that keep naming new people, places and organisations (the {corpus} articles copied, each copy's capitalised words given a suffix of its own), {:.2} GB, at {} threads, one run: {:.0} articles/s, peak RSS {:.0} MB, {:.2}× its peak on {corpus} (the report's tables keep at most `max_names` names; SQLite's page cache and index sorts are bounded by its settings).\n",
        names.n_articles,
        names.input_bytes as f64 / 1e9,
        names.threads,
        names.median(),
        names.peak_rss as f64 / 1e6,
        names.peak_rss as f64 / built_in.peak_rss.max(1) as f64,
    )
}

/// The probe's stage name.
const PROBE_STAGE: &str = "classify:boundary-probe";

/// What one classifier's crossing of the plugin boundary costs per article (the probe's
/// `classify:` time: the call, decoding the article's text, an empty answer), and the share of
/// the run that the host's encoding plus one such crossing per real classifier take, out of
/// the stage time without the probe's. `None` without the probe's stage.
fn boundary_share(row: &Row) -> Option<(f64, f64)> {
    let probe = *row.stages.get(PROBE_STAGE)?;
    let encode = row.stages.get("encode").copied().unwrap_or(0.0);
    let n_classifiers = row
        .stages
        .keys()
        .filter(|stage| stage.starts_with("classify:") && *stage != PROBE_STAGE)
        .count();
    let total: f64 = row.stages.values().sum::<f64>() - probe;
    let per_article = probe / row.n_articles.max(1) as f64;
    Some((
        per_article,
        (encode + n_classifiers as f64 * probe) / total.max(1e-9),
    ))
}

fn render_boundary(boundary: &Row) -> String {
    match boundary_share(boundary) {
        Some((per_article, share)) => format!(
            "\nPlugin boundary, {} at 1 thread (`xtask/bench/pipeline-probe.toml`): one classifier's crossing (the call, decoding the text, an empty answer: `{PROBE_STAGE}`) costs {:.1} µs per article; the host's encoding plus one crossing per classifier is {:.1} % of the stage time.\n",
            boundary.corpus,
            per_article * 1e6,
            100.0 * share
        ),
        None => String::new(),
    }
}

/// One product target: what it asks, what was measured, whether it holds.
struct Target {
    name: &'static str,
    wanted: String,
    measured: String,
    holds: bool,
}

fn targets(rows: &[Row], export: Option<&Row>, boundary: Option<&Row>) -> Vec<Target> {
    let mut targets = Vec::new();
    let find = |corpus: &str, threads: usize| {
        rows.iter()
            .find(|row| row.corpus == corpus && row.threads == threads)
    };
    if let Some(one) = find("bbc", 1) {
        targets.push(Target {
            name: "BBC, 1 thread",
            wanted: "≥ 1700 articles/s".into(),
            measured: format!("{:.0} articles/s", one.median()),
            holds: one.median() >= 1700.0,
        });
        if let Some(two) = find("bbc", 2) {
            let ratio = paired_ratio(one, two);
            targets.push(Target {
                name: "BBC, 2 threads vs 1",
                wanted: "≥ 1.8×".into(),
                measured: format!("{ratio:.2}×"),
                holds: ratio >= 1.8,
            });
        }
    }
    if let Some((_, share)) = boundary.and_then(boundary_share) {
        targets.push(Target {
            name: "plugin boundary (encode + decode + calls)",
            wanted: "≤ 10 %".into(),
            measured: format!("{:.1} %", 100.0 * share),
            holds: share <= 0.10,
        });
    }
    let bbc_peak = rows
        .iter()
        .filter(|row| row.corpus == "bbc")
        .map(|row| row.peak_rss)
        .max();
    if let Some(large) = rows.iter().find(|row| row.corpus.starts_with("large")) {
        let mb = large.peak_rss as f64 / 1e6;
        let within = bbc_peak.map(|peak| large.peak_rss as f64 / peak.max(1) as f64);
        targets.push(Target {
            name: "peak RSS, generated corpus",
            wanted: "≤ 200 MB and ≤ 1.2 × the BBC peak".into(),
            measured: match within {
                Some(ratio) => format!("{mb:.0} MB, {ratio:.2} × BBC"),
                None => format!("{mb:.0} MB"),
            },
            holds: mb <= 200.0 && within.is_none_or(|ratio| ratio <= 1.2),
        });
    }
    if let Some(export) = export {
        let exporting = share(export, "export:");
        targets.push(Target {
            name: "JSON Lines + SQLite export",
            wanted: "< 25 % of the run".into(),
            measured: format!("{:.1} %", 100.0 * exporting),
            holds: exporting < 0.25,
        });
    }
    targets
}

fn render_targets(targets: &[Target]) -> String {
    if targets.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n| target | wanted | measured | holds |\n|---|---|---|---|\n");
    for target in targets {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            target.name,
            target.wanted,
            target.measured,
            if target.holds { "yes" } else { "**no**" }
        ));
    }
    out
}

fn summary_json(
    rows: &[Row],
    export: Option<&Row>,
    boundary: Option<&Row>,
    built_in: Option<&(Row, Row)>,
    names: Option<&Row>,
    targets: &[Target],
) -> String {
    let row_json = |row: &Row| {
        let total: f64 = row.stages.values().sum();
        let shares: serde_json::Map<String, serde_json::Value> = row
            .stages
            .iter()
            .map(|(stage, seconds)| {
                let share = (seconds / total.max(1e-9) * 1e4).round() / 1e4;
                (stage.clone(), share.into())
            })
            .collect();
        serde_json::json!({
            "corpus": row.corpus,
            "threads": row.threads,
            "articles": row.n_articles,
            "articles_per_s": (row.median() * 10.0).round() / 10.0,
            "mb_per_s": (row.mb_per_s() * 1e3).round() / 1e3,
            "peak_rss_bytes": row.peak_rss,
            "stage_share": shares,
        })
    };
    let summary = serde_json::json!({
        "bench": rows.iter().map(row_json).collect::<Vec<_>>(),
        "export": export.map(row_json),
        "boundary": boundary.map(row_json),
        "built_in": built_in.map(|(measured, built_in)| {
            let mut json = row_json(built_in);
            json["throughput_vs_measured"] =
                ((paired_ratio(measured, built_in) * 1e3).round() / 1e3).into();
            json
        }),
        "built_in_new_names": names.map(row_json),
        "targets": targets
            .iter()
            .map(|target| serde_json::json!({
                "target": target.name,
                "wanted": target.wanted,
                "measured": target.measured,
                "holds": target.holds,
            }))
            .collect::<Vec<_>>(),
    });
    summary.to_string()
}

fn write_docs(table: &str, json: &str, options: &Options) -> Result {
    let command = if options.repeat == DEFAULT_REPEAT
        && options.threads == [1, 2]
        && options.corpora.is_empty()
    {
        "cargo xtask bench".to_string()
    } else {
        format!(
            "cargo xtask bench --repeat {} --threads {}",
            options.repeat,
            options
                .threads
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let text = format!(
        "# Performance\n\nMeasured by `{command}` on {date}, on a machine with {cores} cores ({cpu}), shared with other work. \
Throughput is articles exported per wall-clock second of a whole `copydesk run` (process start to exit), \
median of the repeats, with the spread; the thread counts take turns, and scaling is the median of the ratios within a turn. Pipeline: `xtask/bench/pipeline.toml` (the default pipeline's classifiers, JSON Lines export); the export line uses `xtask/bench/pipeline-sqlite.toml`, the boundary line `xtask/bench/pipeline-probe.toml`, the built-in line `crates/engine/src/default.toml`.\n\n{table}\n```json\n{json}\n```\n",
        date = crate::today(),
    );
    // What follows the notes marker is written by hand (comparisons, explanations) and kept.
    let path = root().join("docs/performance.md");
    let notes = fs::read_to_string(&path)
        .ok()
        .and_then(|old| old.find(NOTES_MARKER).map(|at| old[at..].to_string()))
        .unwrap_or_else(|| format!("{NOTES_MARKER}\n"));
    fs::write(path, format!("{text}\n{notes}"))?;
    Ok(())
}

/// Where the generated part of `docs/performance.md` ends and the hand-written notes begin.
const NOTES_MARKER: &str = "<!-- notes: kept by cargo xtask bench -->";

/// Bytes of every file under `path`.
fn tree_bytes(path: &Path) -> u64 {
    if path.is_file() {
        return fs::metadata(path).map_or(0, |metadata| metadata.len());
    }
    fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| tree_bytes(&entry.path()))
                .sum()
        })
        .unwrap_or(0)
}

/// Text article files under `path`, sorted.
fn article_files(path: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            article_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "txt")
            && !path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().to_lowercase().starts_with("readme"))
        {
            found.push(path);
        }
    }
}

/// Writes JSON Lines records (title, text, a fresh id) cycling over the articles under
/// `source` until `target_bytes` are written.
/// Writes JSON Lines records of the articles under `source`, copied over and over with ids of
/// their own, until `target_bytes`. With `new_names`, each copy after the first also gives its
/// capitalised words a suffix of its own (see [`rename`]), so that the corpus keeps naming new
/// people, places and organisations as a real one does, instead of the same ones again.
fn generate_large(
    source: &Path,
    out: &Path,
    target_bytes: u64,
    new_names: bool,
) -> Result<(u64, u64)> {
    let mut files = Vec::new();
    article_files(source, &mut files);
    let articles: Vec<(String, String)> = files
        .iter()
        .filter_map(|path| {
            let bytes = fs::read(path).ok()?;
            let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
            let (title, body) = text.trim_start().split_once('\n')?;
            Some((title.trim().to_string(), body.trim().to_string()))
        })
        .collect();
    if articles.is_empty() {
        return Err(format!("no articles under {} to generate from", source.display()).into());
    }
    let mut writer = BufWriter::with_capacity(1 << 20, fs::File::create(out)?);
    let (mut n_records, mut n_bytes) = (0u64, 0u64);
    'outer: for copy in 0u64.. {
        let suffix = if new_names {
            copy_suffix(copy)
        } else {
            String::new()
        };
        for (idx, (title, body)) in articles.iter().enumerate() {
            let record = serde_json::json!({
                "id": format!("bench-{copy}-{idx}"),
                "title": rename(title, &suffix),
                "text": rename(body, &suffix),
            });
            let line = format!("{record}\n");
            writer.write_all(line.as_bytes())?;
            n_records += 1;
            n_bytes += line.len() as u64;
            if n_bytes >= target_bytes {
                break 'outer;
            }
        }
    }
    writer.flush()?;
    Ok((n_records, n_bytes))
}

/// The suffix of copy `copy`: none for the first, then lower-case consonants that spell the
/// copy's number in base 16, lowest digit first, so "Blair" stays "Blair" in the first copy and
/// becomes "Blairc" in the second, "Blaird" in the third and "Blairbc" in the seventeenth.
fn copy_suffix(copy: u64) -> String {
    const LETTERS: &[u8; 16] = b"bcdfghklmnprstvz";
    let mut suffix = String::new();
    let mut rest = copy;
    while rest > 0 {
        suffix.push(char::from(LETTERS[(rest % 16) as usize]));
        rest /= 16;
    }
    suffix
}

/// `text` with `suffix` after every capitalised word of four letters or more ("Blair",
/// "Reuters"; not "BBC", "The" or "McCain"): the names, and some sentence-initial words.
fn rename(text: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        return text.to_string();
    }
    let mut renamed = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    let mut before: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_alphabetic() && !before.is_some_and(char::is_alphanumeric) {
            let len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let (word, after) = rest.split_at(len);
            renamed.push_str(word);
            let capitalised = word.len() >= 4
                && word.starts_with(|c: char| c.is_ascii_uppercase())
                && word[1..].bytes().all(|byte| byte.is_ascii_lowercase());
            if capitalised && !after.starts_with(char::is_alphanumeric) {
                renamed.push_str(suffix);
            }
            before = word.chars().last();
            rest = after;
        } else {
            renamed.push(c);
            before = Some(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::{copy_suffix, rename};

    #[test]
    fn every_copy_has_a_suffix_of_its_own() {
        assert_eq!(copy_suffix(0), "");
        assert_eq!(
            [copy_suffix(1), copy_suffix(2), copy_suffix(16)],
            ["c", "d", "bc"]
        );
        let suffixes: std::collections::BTreeSet<String> = (1..5_000).map(copy_suffix).collect();
        assert_eq!(suffixes.len(), 4_999);
        assert!(
            suffixes
                .iter()
                .all(|suffix| suffix.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }

    #[test]
    fn capitalised_words_get_the_suffix_and_nothing_else_changes() {
        let text =
            "Tony Blair met BBC staff in Zürich. The McCain aide, Reuters said: “Annan’s plan”.";
        assert_eq!(
            rename(text, "bd"),
            "Tonybd Blairbd met BBC staff in Zürich. The McCain aide, Reutersbd said: “Annanbd’s plan”."
        );
        assert_eq!(rename(text, ""), text);
        // Letters glued to digits or other letters are not a word of their own.
        assert_eq!(rename("2Blair éBlair Blair2", "bd"), "2Blair éBlair Blair2");
    }
}
