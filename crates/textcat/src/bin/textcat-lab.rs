//! textcat-lab: train, evaluate and benchmark textcat models on labelled corpora.
//!
//! Corpora come in two shapes:
//! - `--csv FILE` (optionally `.gz`), no header. `--label-col` and `--text-cols` are **0-based**
//!   column numbers (AG News: `--label-col 0 --text-cols 1,2`). Text columns are joined by a
//!   newline. AG News escapes are undone: `\$` → `$`, any other `\x` → space (the corpus marks
//!   line breaks with a backslash), `#36;`-style numeric entities and `&lt;` `&gt;` `&amp;`
//!   `quot;` are decoded.
//!   `--label-names FILE` renames labels: line N of the file names the label written `N` in the
//!   CSV (AG News: `1` = first line).
//! - `--dir FOLDER`: one sub-folder per label, one article per file. Files that are not UTF-8
//!   are decoded as Windows-1252 (a superset of Latin-1).
//!
//! `eval --dir` reports stratified k-fold cross-validation after dropping exact duplicate
//! articles (same decoded text and label; the first in path order is kept). `eval --csv` reports
//! a seeded stratified split (see `textcat::eval::stratified_split`). Both print a table and end
//! with one JSON line: `{"accuracy", "macro_f1", "n_articles", "train_seconds"}`, where
//! `train_seconds` is the time to train one model (the mean over folds for cross-validation).

use std::collections::HashSet;
use std::error::Error;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use textcat::{CharWeighting, FeatureConfig, Model, TrainConfig};

type Result<T> = std::result::Result<T, Box<dyn Error>>;
/// `(text, label)` pairs.
type Examples = Vec<(String, String)>;

#[derive(Parser)]
#[command(
    name = "textcat-lab",
    about = "Train, evaluate and benchmark textcat models"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a model on a whole corpus, or on the training part of a split with --split.
    Train {
        #[command(flatten)]
        corpus: CorpusArgs,
        #[command(flatten)]
        hyper: HyperArgs,
        /// Train only on the training part of this seeded stratified split (e.g. 0.8).
        #[arg(long)]
        split: Option<f64>,
        /// Where to write the model.
        #[arg(long, default_value = "model.bin")]
        out: PathBuf,
    },
    /// Cross-validate (--dir, --folds) or evaluate on a held-out split (--csv, --split).
    Eval {
        #[command(flatten)]
        corpus: CorpusArgs,
        #[command(flatten)]
        hyper: HyperArgs,
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Train fraction of a single stratified split; used instead of folds when given.
        #[arg(long)]
        split: Option<f64>,
    },
    /// Print the class distribution of each file (the committed model unless --model).
    Predict {
        #[arg(long)]
        model: Option<PathBuf>,
        files: Vec<PathBuf>,
    },
    /// Measure single-thread prediction speed over every article of a folder tree.
    Bench {
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long)]
        dir: PathBuf,
        /// Passes over the articles.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
}

#[derive(Args)]
struct CorpusArgs {
    /// CSV file, optionally gzipped, without a header.
    #[arg(long, conflicts_with = "dir", required_unless_present = "dir")]
    csv: Option<PathBuf>,
    /// 0-based column of the label.
    #[arg(long, default_value_t = 0)]
    label_col: usize,
    /// 0-based columns of the text, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    text_cols: Vec<usize>,
    /// Line N names CSV label N.
    #[arg(long)]
    label_names: Option<PathBuf>,
    /// Folder with one sub-folder per label.
    #[arg(long)]
    dir: Option<PathBuf>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[derive(Args)]
struct HyperArgs {
    #[arg(long)]
    hash_bits: Option<u8>,
    #[arg(long)]
    word_ngrams: Option<u8>,
    /// Shortest character n-gram; 0 disables them.
    #[arg(long)]
    char_min: Option<u8>,
    #[arg(long)]
    char_max: Option<u8>,
    /// How character n-grams are weighed: `word` (each word's n-grams by the word's count,
    /// the default) or `document` (each n-gram by its count in the document).
    #[arg(long)]
    char_weighting: Option<String>,
    /// SVM cost.
    #[arg(long)]
    c: Option<f32>,
    #[arg(long)]
    min_df: Option<u32>,
    /// NBSVM smoothing (0 = off).
    #[arg(long)]
    nb: Option<f32>,
}

impl HyperArgs {
    fn config(&self, seed: u64) -> TrainConfig {
        let defaults = TrainConfig::default();
        let features = FeatureConfig {
            hash_bits: self.hash_bits.unwrap_or(defaults.features.hash_bits),
            word_ngrams: self.word_ngrams.unwrap_or(defaults.features.word_ngrams),
            char_ngram_min: self.char_min.unwrap_or(defaults.features.char_ngram_min),
            char_ngram_max: self.char_max.unwrap_or(defaults.features.char_ngram_max),
            char_weighting: match self.char_weighting.as_deref() {
                Some("document") => CharWeighting::Document,
                Some("word") => CharWeighting::Word,
                None => defaults.features.char_weighting,
                Some(other) => {
                    eprintln!("textcat-lab: --char-weighting {other}: expected word or document");
                    std::process::exit(2);
                }
            },
        };
        TrainConfig {
            features,
            c: self.c.unwrap_or(defaults.c),
            min_df: self.min_df.unwrap_or(defaults.min_df),
            nb_smoothing: self.nb.unwrap_or(defaults.nb_smoothing),
            seed,
            ..defaults
        }
    }
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Train {
            corpus,
            hyper,
            split,
            out,
        } => {
            let examples = load(&corpus)?;
            let examples = match split {
                Some(fraction) => split_examples(examples, fraction, corpus.seed).0,
                None => examples,
            };
            let started = Instant::now();
            let model = Model::train(&examples, &hyper.config(corpus.seed));
            let seconds = started.elapsed().as_secs_f64();
            let bytes = model.to_bytes();
            std::fs::write(&out, &bytes)?;
            println!(
                "trained on {} articles in {seconds:.2} s: {} classes, {} weighted buckets, {} bytes → {}",
                examples.len(),
                model.labels().len(),
                model.n_rows(),
                bytes.len(),
                out.display()
            );
        }
        Command::Eval {
            corpus,
            hyper,
            folds,
            split,
        } => {
            let examples = load(&corpus)?;
            let config = hyper.config(corpus.seed);
            match split {
                Some(fraction) => eval_split(examples, fraction, corpus.seed, &config),
                None => eval_folds(examples, folds, corpus.seed, &config),
            }
        }
        Command::Predict { model, files } => {
            let model = load_model(model.as_deref())?;
            for file in files {
                let text = decode(std::fs::read(&file)?);
                let distribution = model.predict(&text);
                let shown: Vec<String> = distribution
                    .iter()
                    .map(|(label, p)| format!("{label} {p:.3}"))
                    .collect();
                println!("{}\t{}", file.display(), shown.join("  "));
            }
        }
        Command::Bench { model, dir, repeat } => {
            let model = load_model(model.as_deref())?;
            let texts: Vec<String> = read_folder(&dir)?
                .into_iter()
                .map(|(text, _)| text)
                .collect();
            let n_bytes: usize = texts.iter().map(String::len).sum();
            let mut checksum = 0usize;
            let started = Instant::now();
            for _ in 0..repeat.max(1) {
                for text in &texts {
                    checksum += model.predict_index(text);
                }
            }
            let seconds = started.elapsed().as_secs_f64();
            let n_predictions = texts.len() * repeat.max(1);
            println!(
                "{n_predictions} predictions in {seconds:.3} s: {:.0} articles/s, {:.1} MB/s (single thread; checksum {checksum})",
                n_predictions as f64 / seconds,
                (n_bytes * repeat.max(1)) as f64 / seconds / 1e6
            );
        }
    }
    Ok(())
}

fn load_model(path: Option<&Path>) -> Result<Model> {
    match path {
        Some(path) => Ok(Model::from_bytes(&std::fs::read(path)?)?),
        None => Ok(Model::default_model().clone()),
    }
}

fn load(corpus: &CorpusArgs) -> Result<Vec<(String, String)>> {
    match (&corpus.csv, &corpus.dir) {
        (Some(csv), _) => read_csv(csv, corpus),
        (None, Some(dir)) => read_folder(dir),
        (None, None) => Err("give --csv or --dir".into()),
    }
}

fn read_csv(path: &Path, corpus: &CorpusArgs) -> Result<Vec<(String, String)>> {
    let raw = std::fs::read(path)?;
    let bytes = if path.extension().is_some_and(|ext| ext == "gz") {
        let mut decompressed = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut decompressed)?;
        decompressed
    } else {
        raw
    };
    let label_names: Vec<String> = match &corpus.label_names {
        Some(file) => std::fs::read_to_string(file)?
            .lines()
            .map(|line| line.trim().to_owned())
            .collect(),
        None => Vec::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut examples = Vec::new();
    for (row_idx, record) in reader.records().enumerate() {
        let record = record?;
        let label = record
            .get(corpus.label_col)
            .ok_or_else(|| format!("row {}: no column {}", row_idx + 1, corpus.label_col))?
            .trim();
        let label = label
            .parse::<usize>()
            .ok()
            .and_then(|number| number.checked_sub(1))
            .and_then(|line_idx| label_names.get(line_idx))
            .map_or_else(|| label.to_owned(), Clone::clone);
        let mut text = String::new();
        for &column in &corpus.text_cols {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&unescape_ag_news(record.get(column).unwrap_or_default()));
        }
        examples.push((text, label));
    }
    Ok(examples)
}

/// Undoes the escaping of the AG News CSV files (see the module documentation).
fn unescape_ag_news(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            match rest[1..].chars().next() {
                Some('$') => {
                    out.push('$');
                    rest = &rest[2..];
                }
                _ => {
                    out.push(' ');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        if let Some((decoded, length)) = entity(rest) {
            out.push(decoded);
            rest = &rest[length..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// An HTML entity at the start of `text` (its leading `&` is often lost in AG News).
fn entity(text: &str) -> Option<(char, usize)> {
    for (name, decoded) in [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&amp;", '&'),
        ("&quot;", '"'),
        ("quot;", '"'),
    ] {
        if text.starts_with(name) {
            return Some((decoded, name.len()));
        }
    }
    let body = text.strip_prefix("&#").or_else(|| text.strip_prefix('#'))?;
    let n_digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=5).contains(&n_digits) || body.as_bytes().get(n_digits) != Some(&b';') {
        return None;
    }
    let code: u32 = body[..n_digits].parse().ok()?;
    // Codes 128–159 are Windows-1252 bytes written as if they were code points.
    let decoded = match code {
        145 | 146 => '\'',
        147 | 148 => '"',
        150 | 151 => '—',
        code => char::from_u32(code)?,
    };
    Some((decoded, text.len() - body.len() + n_digits + 1))
}

fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => encoding_rs::WINDOWS_1252
            .decode(error.as_bytes())
            .0
            .into_owned(),
    }
}

/// `(text, label)` for every file under `dir/<label>/`, in path order.
fn read_folder(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut class_dirs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .collect();
    class_dirs.sort();
    let mut examples = Vec::new();
    for class_dir in class_dirs {
        let label = class_dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&class_dir)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        for file in files {
            examples.push((decode(std::fs::read(&file)?), label.clone()));
        }
    }
    if examples.is_empty() {
        return Err(format!("no articles under {}", dir.display()).into());
    }
    Ok(examples)
}

fn label_indices(examples: &[(String, String)]) -> (Vec<String>, Vec<usize>) {
    let mut labels: Vec<String> = examples.iter().map(|(_, label)| label.clone()).collect();
    labels.sort();
    labels.dedup();
    let indices = examples
        .iter()
        .map(|(_, label)| labels.binary_search(label).unwrap_or_default())
        .collect();
    (labels, indices)
}

fn split_examples(examples: Examples, fraction: f64, seed: u64) -> (Examples, Examples) {
    let (_, classes) = label_indices(&examples);
    let is_train = textcat::eval::stratified_split(&classes, fraction, seed);
    let (train, test): (Vec<_>, Vec<_>) = examples
        .into_iter()
        .zip(is_train)
        .partition(|(_, is_train)| *is_train);
    (
        train.into_iter().map(|(example, _)| example).collect(),
        test.into_iter().map(|(example, _)| example).collect(),
    )
}

fn eval_split(examples: Vec<(String, String)>, fraction: f64, seed: u64, config: &TrainConfig) {
    let (labels, _) = label_indices(&examples);
    let n_articles = examples.len();
    let (train, test) = split_examples(examples, fraction, seed);
    let started = Instant::now();
    let model = Model::train(&train, config);
    let train_seconds = started.elapsed().as_secs_f64();
    let (truth, predicted) = predict_all(&model, &labels, &test);
    println!(
        "split: train {} / test {} articles (fraction {fraction}, seed {seed})",
        train.len(),
        test.len()
    );
    report(&labels, &truth, &predicted, n_articles, train_seconds);
}

fn eval_folds(examples: Vec<(String, String)>, n_folds: usize, seed: u64, config: &TrainConfig) {
    let n_read = examples.len();
    let mut seen = HashSet::new();
    let examples: Vec<(String, String)> = examples
        .into_iter()
        .filter(|example| seen.insert(example.clone()))
        .collect();
    println!(
        "{n_read} articles, {} exact duplicates removed",
        n_read - examples.len()
    );
    let (labels, classes) = label_indices(&examples);
    let n_folds = n_folds.max(2);
    let folds = textcat::eval::stratified_folds(&classes, n_folds, seed);
    let (mut truth, mut predicted) = (Vec::new(), Vec::new());
    let mut train_seconds = 0.0;
    for fold in 0..n_folds {
        let train: Vec<(String, String)> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, f)| **f != fold)
            .map(|(e, _)| e.clone())
            .collect();
        let test: Vec<(String, String)> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, f)| **f == fold)
            .map(|(e, _)| e.clone())
            .collect();
        let started = Instant::now();
        let model = Model::train(&train, config);
        train_seconds += started.elapsed().as_secs_f64();
        let (fold_truth, fold_predicted) = predict_all(&model, &labels, &test);
        truth.extend(fold_truth);
        predicted.extend(fold_predicted);
    }
    println!("{n_folds}-fold stratified cross-validation (seed {seed})");
    report(
        &labels,
        &truth,
        &predicted,
        examples.len(),
        train_seconds / n_folds as f64,
    );
}

/// True and predicted indices into `labels` for `test`.
fn predict_all(
    model: &Model,
    labels: &[String],
    test: &[(String, String)],
) -> (Vec<usize>, Vec<usize>) {
    let index_of = |label: &str| {
        labels
            .iter()
            .position(|known| known == label)
            .unwrap_or(labels.len())
    };
    let truth = test.iter().map(|(_, label)| index_of(label)).collect();
    let predicted = test
        .iter()
        .map(|(text, _)| index_of(&model.labels()[model.predict_index(text)]))
        .collect();
    (truth, predicted)
}

fn report(
    labels: &[String],
    truth: &[usize],
    predicted: &[usize],
    n_articles: usize,
    train_seconds: f64,
) {
    let metrics = textcat::eval::metrics(truth, predicted, labels.len());
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>8}",
        "class", "precision", "recall", "f1", "support"
    );
    for (label, class) in labels.iter().zip(&metrics.per_class) {
        println!(
            "{label:<24} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            class.precision, class.recall, class.f1, class.support
        );
    }
    println!(
        "accuracy {:.4}  macro-F1 {:.4}  train time {train_seconds:.2} s per model",
        metrics.accuracy, metrics.macro_f1
    );
    println!(
        "{}",
        serde_json::json!({
            "accuracy": metrics.accuracy,
            "macro_f1": metrics.macro_f1,
            "n_articles": n_articles,
            "train_seconds": train_seconds,
        })
    );
}

#[cfg(test)]
mod tests {
    use super::unescape_ag_news;

    #[test]
    fn ag_news_escapes_are_undone() {
        assert_eq!(
            unescape_ag_news(r"a second\team of \$10 and #36;5"),
            "a second team of $10 and $5"
        );
        assert_eq!(
            unescape_ag_news(r"it#39;s &lt;b&gt;quot;x quot; #151; y"),
            "it's <b>\"x \" — y"
        );
        assert_eq!(unescape_ag_news(r"end\"), "end ");
        assert_eq!(unescape_ag_news("#12345678; #; &#39;"), "#12345678; #; '");
    }
}
