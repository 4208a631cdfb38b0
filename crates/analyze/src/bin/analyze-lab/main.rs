//! `analyze-lab`: measures the analysers on annotated corpora.
//!
//! `analyze-lab entities --conll FILE` scores the entities of the records against CoNLL-2003
//! (see `entities.rs`).
//!
//! `analyze-lab quotes --polnear DIR` runs the real pipeline (`ingest::parse`, `analyze::clean`,
//! `analyze::analyze`) on every article of a folder in PolNeAR's layout and scores the quotes
//! against its attribution annotations. It prints a table, then one JSON line with the
//! headline figures.
//!
//! # Definitions
//!
//! - **Annotations.** `DIR/attributions/<article>_<annotator>.ann`, brat standoff with
//!   code-point offsets and discontinuous spans. When an article has several `.ann` files, the
//!   one with the smallest annotator id (byte order) is used. Each `E` line is one gold
//!   attribution: its Content, and its Source when it has one.
//! - **Articles** are the names in `DIR/metadata.tsv` (column `filename`), or every
//!   `DIR/text/*.txt` when there is no metadata file.
//! - **Positions.** Gold and predicted spans are compared as sets of code points of the file,
//!   leaving out whitespace and quotation marks (our quotes exclude their marks; PolNeAR's
//!   include them). Our offsets (paragraph + code point) are mapped back onto the file by
//!   aligning each paragraph with the text (the headline line is skipped; paragraphs that
//!   clean-up moved to boilerplate or credits are not in our text, so gold attributions there
//!   are misses).
//! - **Direct.** A gold attribution is direct when its Content, trimmed, starts with an opening
//!   quotation mark, or when at least half of its non-space characters lie between a pair of
//!   marks inside it.
//! - **Matching.** Each predicted quote is assigned to the gold attribution (of all of them)
//!   whose Content it shares most positions with. A gold attribution is found *exactly* when
//!   the union of the predictions assigned to it equals its position set, and found *with
//!   overlap* when that union covers at least half of its positions (intersection over the
//!   gold length ≥ 0.5; `iou` columns use intersection over union ≥ 0.5 instead). Recall is
//!   found / gold; precision is the share of predictions assigned to a found gold attribution
//!   (a prediction sharing no position with any gold attribution is wrong). For the direct
//!   figures, predictions are our direct quotes, and one assigned to a gold attribution that
//!   is not direct (a quoted fragment inside a paraphrase) is left out of precision.
//! - **Speaker accuracy.** Over gold attributions found with overlap that have a Source: the
//!   assigned prediction sharing most positions names a speaker whose span (the mention the
//!   attribution rule used: the name, or the pronoun or title next to the cue; or, when the
//!   words name no entity, the quote's `source` phrase such as "the board") overlaps any
//!   piece of the gold Source span. A prediction without a speaker or source is wrong.

use std::collections::{BTreeMap, HashSet};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use article::{Article, QuoteKind};
use clap::{Parser, Subcommand};

mod entities;

#[derive(Parser)]
#[command(about = "Evaluation tools for the copydesk analysers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scores the entities of the records (after the whole analysis) against a CoNLL-2003
    /// file.
    Entities {
        /// A CoNLL-2003 file (`token POS chunk NER` columns).
        #[arg(long)]
        conll: PathBuf,
        /// Print each wrong and each missed entity to stderr.
        #[arg(long)]
        errors: bool,
    },
    /// Scores quotes and speakers against PolNeAR attribution annotations.
    Quotes {
        /// A folder in PolNeAR's layout: text/, attributions/, metadata.tsv.
        #[arg(long)]
        polnear: PathBuf,
        /// Only the first N articles (sorted by name).
        #[arg(long)]
        limit: Option<usize>,
        /// Print each error (missed quote, wrong speaker) to stderr.
        #[arg(long)]
        errors: bool,
    },
}

fn main() -> Result<(), Box<dyn Error>> {
    let cli = Cli::parse();
    match cli.command {
        Command::Entities { conll, errors } => {
            let report = entities::evaluate(&conll, errors)?;
            print!("{}", report.table());
            println!("{}", report.json());
        }
        Command::Quotes {
            polnear,
            limit,
            errors,
        } => {
            let report = evaluate(&polnear, limit, errors)?;
            print!("{}", report.table());
            println!("{}", report.json());
        }
    }
    Ok(())
}

/// A gold attribution: content and source as sets of file positions.
#[derive(Debug, Clone)]
struct Gold {
    content: Vec<(usize, usize)>,
    source: Vec<(usize, usize)>,
    direct: bool,
}

/// Our quote, mapped onto the file.
#[derive(Debug, Clone)]
struct Predicted {
    positions: HashSet<usize>,
    direct: bool,
    speaker: Option<Vec<usize>>,
}

/// Counts for one subset (direct or all).
#[derive(Debug, Default, Clone)]
struct Counts {
    n_gold: usize,
    n_pred: usize,
    found_exact: usize,
    found_overlap: usize,
    found_iou: usize,
    correct_exact: usize,
    correct_overlap: usize,
    correct_iou: usize,
    speaker_total: usize,
    speaker_correct: usize,
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

impl Counts {
    fn figures(&self) -> BTreeMap<&'static str, f64> {
        let round = |value: f64| (value * 10_000.0).round() / 10_000.0;
        let mut figures = BTreeMap::new();
        for (name, correct, found) in [
            ("exact", self.correct_exact, self.found_exact),
            ("overlap", self.correct_overlap, self.found_overlap),
            ("iou", self.correct_iou, self.found_iou),
        ] {
            let precision = ratio(correct, self.n_pred);
            let recall = ratio(found, self.n_gold);
            figures.insert(
                match name {
                    "exact" => "content_precision_exact",
                    "overlap" => "content_precision_overlap",
                    _ => "content_precision_iou",
                },
                round(precision),
            );
            figures.insert(
                match name {
                    "exact" => "content_recall_exact",
                    "overlap" => "content_recall_overlap",
                    _ => "content_recall_iou",
                },
                round(recall),
            );
            figures.insert(
                match name {
                    "exact" => "content_f1_exact",
                    "overlap" => "content_f1_overlap",
                    _ => "content_f1_iou",
                },
                round(f1(precision, recall)),
            );
        }
        figures.insert(
            "speaker_accuracy",
            round(ratio(self.speaker_correct, self.speaker_total)),
        );
        figures
    }
}

struct Report {
    n_articles: usize,
    n_unaligned: usize,
    direct: Counts,
    all: Counts,
    quotes_us_per_article: f64,
    /// On-CPU time, when the platform reports it.
    quotes_cpu_us_per_article: Option<f64>,
    annotators: String,
}

impl Report {
    fn table(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "PolNeAR quotes: {} articles ({}), {} paragraphs not aligned\n",
            self.n_articles, self.annotators, self.n_unaligned
        ));
        out.push_str(&format!(
            "{:<7} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} | {:>8} {:>6}\n",
            "subset",
            "gold",
            "pred",
            "P_ex",
            "R_ex",
            "F1_ex",
            "P_ov",
            "R_ov",
            "F1_ov",
            "F1_iou",
            "speaker",
            "n_spk"
        ));
        for (name, counts) in [("direct", &self.direct), ("all", &self.all)] {
            let figures = counts.figures();
            out.push_str(&format!(
                "{:<7} {:>6} {:>6} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} | {:>8.3} {:>6}\n",
                name,
                counts.n_gold,
                counts.n_pred,
                figures["content_precision_exact"],
                figures["content_recall_exact"],
                figures["content_f1_exact"],
                figures["content_precision_overlap"],
                figures["content_recall_overlap"],
                figures["content_f1_overlap"],
                figures["content_f1_iou"],
                figures["speaker_accuracy"],
                counts.speaker_total,
            ));
        }
        out.push_str(&format!(
            "quotes: {:.1} µs per article wall clock{} (find_quotes alone, release build, one thread)\n",
            self.quotes_us_per_article,
            self.quotes_cpu_us_per_article
                .map(|cpu| format!(", {cpu:.1} µs on CPU"))
                .unwrap_or_default()
        ));
        out
    }

    fn json(&self) -> String {
        let subset = |counts: &Counts| {
            let mut value = serde_json::Map::new();
            for (key, figure) in counts.figures() {
                value.insert(key.to_string(), serde_json::json!(figure));
            }
            value.insert("n_gold".into(), serde_json::json!(counts.n_gold));
            value.insert("n_pred".into(), serde_json::json!(counts.n_pred));
            value.insert("n_speaker".into(), serde_json::json!(counts.speaker_total));
            serde_json::Value::Object(value)
        };
        serde_json::json!({
            "direct": subset(&self.direct),
            "all": subset(&self.all),
            "n_articles": self.n_articles,
            "quotes_us_per_article": (self.quotes_us_per_article * 10.0).round() / 10.0,
            "quotes_cpu_us_per_article": self
                .quotes_cpu_us_per_article
                .map(|cpu| (cpu * 10.0).round() / 10.0),
        })
        .to_string()
    }
}

/// Article names to evaluate: from metadata.tsv, else from text/*.txt.
fn article_names(dir: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let mut names = Vec::new();
    if let Ok(metadata) = std::fs::read_to_string(dir.join("metadata.tsv")) {
        let mut lines = metadata.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let column = header
            .iter()
            .position(|name| *name == "filename")
            .ok_or("metadata.tsv has no filename column")?;
        for line in lines {
            if let Some(name) = line.split('\t').nth(column)
                && dir.join("text").join(format!("{name}.txt")).is_file()
            {
                names.push(name.to_string());
            }
        }
    } else {
        for entry in std::fs::read_dir(dir.join("text"))? {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "txt")
                && let Some(stem) = path.file_stem()
            {
                names.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// The annotation file of an article: the smallest annotator id.
fn annotation_file(dir: &Path, name: &str) -> Result<Option<PathBuf>, Box<dyn Error>> {
    let prefix = format!("{name}_");
    let mut best: Option<PathBuf> = None;
    for entry in std::fs::read_dir(dir.join("attributions"))? {
        let path = entry?.path();
        let Some(file_name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let Some(annotator) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".ann"))
        else {
            continue;
        };
        if annotator.contains('_') {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|best| path.file_name() < best.file_name())
        {
            best = Some(path);
        }
    }
    Ok(best)
}

fn parse_spans(text: &str) -> Vec<(usize, usize)> {
    text.split(';')
        .filter_map(|piece| {
            let mut numbers = piece.split_whitespace().map(str::parse::<usize>);
            match (numbers.next(), numbers.next()) {
                (Some(Ok(start)), Some(Ok(end))) if start <= end => Some((start, end)),
                _ => None,
            }
        })
        .collect()
}

fn is_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '"' | '‘' | '’' | '\'' | '«' | '»' | '„' | '‚' | '‹' | '›'
    )
}

fn is_open_mark(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '\'' | '«' | '„' | '‚' | '‹')
}

/// Direct per the definition in the module documentation.
fn is_direct(text: &[char], content: &[(usize, usize)]) -> bool {
    let chars: Vec<char> = content
        .iter()
        .flat_map(|&(start, end)| text[start.min(text.len())..end.min(text.len())].iter())
        .copied()
        .collect();
    let first = chars.iter().find(|c| !c.is_whitespace());
    if first.is_some_and(|&c| is_open_mark(c)) {
        return true;
    }
    let mut inside = false;
    let mut n_inside = 0;
    let mut n_chars = 0;
    for &c in &chars {
        if matches!(c, '“' | '”' | '"' | '«' | '»') {
            // “ and « open, ” and » close, a straight mark toggles.
            inside = match c {
                '"' => !inside,
                '“' | '«' => true,
                _ => false,
            };
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        n_chars += 1;
        if inside {
            n_inside += 1;
        }
    }
    n_chars > 0 && n_inside * 2 >= n_chars
}

fn parse_ann(ann: &str, text: &[char]) -> Vec<Gold> {
    let mut spans: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    let mut events = Vec::new();
    for line in ann.lines() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else {
            continue;
        };
        if id.starts_with('T') {
            if let Some((_, rest)) = body.split_once(' ') {
                spans.insert(id, parse_spans(rest));
            }
        } else if id.starts_with('E') {
            let mut roles: BTreeMap<&str, &str> = BTreeMap::new();
            for part in body.split_whitespace() {
                if let Some((role, target)) = part.split_once(':') {
                    roles.insert(role, target);
                }
            }
            events.push(roles);
        }
    }
    let mut golds = Vec::new();
    for roles in events {
        let Some(content) = roles.get("Content").and_then(|id| spans.get(id)) else {
            continue;
        };
        let source = roles
            .get("Source")
            .and_then(|id| spans.get(id))
            .cloned()
            .unwrap_or_default();
        golds.push(Gold {
            direct: is_direct(text, content),
            content: content.clone(),
            source,
        });
    }
    golds
}

/// Positions of a set of ranges, without whitespace and quotation marks.
fn positions(text: &[char], ranges: &[(usize, usize)]) -> HashSet<usize> {
    ranges
        .iter()
        .flat_map(|&(start, end)| start.min(text.len())..end.min(text.len()))
        .filter(|&idx| !text[idx].is_whitespace() && !is_mark(text[idx]))
        .collect()
}

/// Maps each code point of a paragraph to its position in the file, searching from `from`.
/// Tolerates the changes parsing and clean-up make: lines joined with one space, trimmed
/// whitespace, spaces inserted by repairs, control characters removed.
fn align(text: &[char], from: usize, paragraph: &[char]) -> Option<(Vec<usize>, usize)> {
    let probe: Vec<char> = paragraph.iter().copied().take(24).collect();
    let probe_len = probe.len();
    if probe_len == 0 {
        return None;
    }
    let start = (from..text.len())
        .find(|&pos| walk(text, pos, &probe).is_some_and(|m| m.len() == probe_len + 1))?;
    let map = walk(text, start, paragraph)?;
    let end = *map.last()?;
    Some((map, end))
}

fn walk(text: &[char], start: usize, paragraph: &[char]) -> Option<Vec<usize>> {
    let mut map = Vec::with_capacity(paragraph.len() + 1);
    let mut pos = start;
    let mut idx = 0;
    let mut n_mismatch = 0;
    while idx < paragraph.len() {
        let c = paragraph[idx];
        let Some(&t) = text.get(pos) else {
            map.push(text.len());
            idx += 1;
            n_mismatch += 1;
            continue;
        };
        if c == t {
            map.push(pos);
            idx += 1;
            pos += 1;
        } else if c.is_whitespace() && t.is_whitespace() {
            map.push(pos);
            idx += 1;
            while text.get(pos).is_some_and(|c| c.is_whitespace()) {
                pos += 1;
            }
        } else if t.is_whitespace() || t.is_control() {
            pos += 1;
        } else if c == ' ' {
            map.push(pos);
            idx += 1;
        } else {
            n_mismatch += 1;
            if idx < 24 {
                return None;
            }
            map.push(pos);
            idx += 1;
            pos += 1;
        }
    }
    if n_mismatch * 20 > paragraph.len() + 20 {
        return None;
    }
    map.push(pos);
    Some(map)
}

fn evaluate(
    dir: &Path,
    limit: Option<usize>,
    print_errors: bool,
) -> Result<Report, Box<dyn Error>> {
    let mut names = article_names(dir)?;
    if let Some(limit) = limit {
        names.truncate(limit);
    }
    let mut report = Report {
        n_articles: 0,
        n_unaligned: 0,
        direct: Counts::default(),
        all: Counts::default(),
        quotes_us_per_article: 0.0,
        quotes_cpu_us_per_article: None,
        annotators: "one .ann per article: smallest annotator id".to_string(),
    };
    let mut analyzed: Vec<Article> = Vec::new();
    for name in &names {
        let Some(ann_path) = annotation_file(dir, name)? else {
            continue;
        };
        let text_path = dir.join("text").join(format!("{name}.txt"));
        let bytes = std::fs::read(&text_path)?;
        let text_string = String::from_utf8_lossy(&bytes).into_owned();
        let text: Vec<char> = text_string.chars().collect();
        let ann = std::fs::read_to_string(&ann_path)?;
        let golds = parse_ann(&ann, &text);

        let raw = ingest::RawDoc {
            origin: ingest::Origin {
                path: text_path.display().to_string(),
                name: format!("{name}.txt"),
                line: None,
            },
            bytes,
            format: ingest::Format::Text,
        };
        let Ok(mut article) = ingest::parse(&raw) else {
            continue;
        };
        analyze::clean(&mut article);
        let options = analyze::Options {
            reference_date: name.split('_').nth(1).map(str::to_string),
        };
        analyze::analyze(&mut article, &options);
        report.n_articles += 1;

        // Map paragraphs onto the file, after the headline line.
        let headline_end = text.iter().position(|&c| c == '\n').unwrap_or(0);
        let mut cursor = headline_end;
        let mut maps: Vec<Option<Vec<usize>>> = Vec::new();
        for paragraph in &article.paragraphs {
            let chars: Vec<char> = paragraph.chars().collect();
            match align(&text, cursor, &chars) {
                Some((map, end)) => {
                    cursor = end;
                    maps.push(Some(map));
                }
                None => {
                    report.n_unaligned += 1;
                    maps.push(None);
                }
            }
        }
        let map_span = |span: &article::Span| -> Vec<usize> {
            let Some(Some(map)) = maps.get(span.paragraph) else {
                return Vec::new();
            };
            (span.start..span.end)
                .filter_map(|idx| map.get(idx).copied())
                .filter(|&pos| {
                    pos < text.len() && !text[pos].is_whitespace() && !is_mark(text[pos])
                })
                .collect()
        };
        let predicted: Vec<Predicted> = article
            .quotes
            .iter()
            .map(|quote| Predicted {
                positions: quote.spans.iter().flat_map(map_span).collect(),
                direct: quote.kind == QuoteKind::Direct,
                speaker: quote
                    .speaker
                    .as_ref()
                    .and_then(|speaker| speaker.span.as_ref())
                    .or(quote.source.as_ref().map(|source| &source.span))
                    .map(|span| {
                        let Some(Some(map)) = maps.get(span.paragraph) else {
                            return Vec::new();
                        };
                        (span.start..span.end)
                            .filter_map(|idx| map.get(idx).copied())
                            .collect()
                    }),
            })
            .collect();
        score(&text, &golds, &predicted, &mut report, print_errors, name);
        analyzed.push(article);
    }
    (
        report.quotes_us_per_article,
        report.quotes_cpu_us_per_article,
    ) = time_quotes(&analyzed);
    Ok(report)
}

/// Nanoseconds this thread has run on a CPU, where Linux reports it
/// (`/proc/thread-self/schedstat`): unlike wall time, not inflated when other processes share
/// the cores.
fn thread_cpu_ns() -> Option<u64> {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    schedstat.split_whitespace().next()?.parse().ok()
}

/// Microseconds per article for `find_quotes` alone, wall clock and on-CPU: the best of
/// three passes each.
fn time_quotes(articles: &[Article]) -> (f64, Option<f64>) {
    if articles.is_empty() {
        return (0.0, None);
    }
    let mut inputs: Vec<Article> = articles
        .iter()
        .map(|article| {
            let mut article = article.clone();
            article.quotes.clear();
            article
        })
        .collect();
    let mut best = f64::MAX;
    let mut best_cpu: Option<f64> = None;
    for _ in 0..3 {
        let mut copies = inputs.clone();
        let cpu_started = thread_cpu_ns();
        let started = Instant::now();
        for article in &mut copies {
            analyze::quotes::find_quotes(article);
        }
        let elapsed = started.elapsed().as_secs_f64() * 1e6 / articles.len() as f64;
        if let (Some(cpu_started), Some(cpu_ended)) = (cpu_started, thread_cpu_ns()) {
            let cpu = cpu_ended.saturating_sub(cpu_started) as f64 / 1e3 / articles.len() as f64;
            best_cpu = Some(best_cpu.map_or(cpu, |best_cpu: f64| best_cpu.min(cpu)));
        }
        best = best.min(elapsed);
        std::hint::black_box(&copies);
    }
    inputs.clear();
    (best, best_cpu)
}

fn score(
    text: &[char],
    golds: &[Gold],
    predicted: &[Predicted],
    report: &mut Report,
    print_errors: bool,
    name: &str,
) {
    let gold_positions: Vec<HashSet<usize>> = golds
        .iter()
        .map(|gold| positions(text, &gold.content))
        .collect();
    // Each prediction's best gold attribution over all of them.
    let assigned: Vec<Option<usize>> = predicted
        .iter()
        .map(|pred| {
            let mut best: Option<(usize, usize)> = None;
            for (gold_idx, gold) in gold_positions.iter().enumerate() {
                let shared = pred.positions.intersection(gold).count();
                if shared > 0 && best.is_none_or(|(_, best_shared)| shared > best_shared) {
                    best = Some((gold_idx, shared));
                }
            }
            best.map(|(gold_idx, _)| gold_idx)
        })
        .collect();
    for (subset_direct, counts) in [(true, &mut report.direct), (false, &mut report.all)] {
        let in_subset = |gold_idx: usize| !subset_direct || golds[gold_idx].direct;
        let mut found = vec![(false, false, false); golds.len()];
        for (gold_idx, gold) in golds.iter().enumerate() {
            if !in_subset(gold_idx) {
                continue;
            }
            counts.n_gold += 1;
            let gold_set = &gold_positions[gold_idx];
            let members: Vec<usize> = (0..predicted.len())
                .filter(|&pred_idx| {
                    assigned[pred_idx] == Some(gold_idx)
                        && (!subset_direct || predicted[pred_idx].direct)
                })
                .collect();
            let union: HashSet<usize> = members
                .iter()
                .flat_map(|&pred_idx| predicted[pred_idx].positions.iter().copied())
                .collect();
            let shared = union.intersection(gold_set).count();
            let exact = !gold_set.is_empty() && union == *gold_set;
            let overlap = !gold_set.is_empty() && shared * 2 >= gold_set.len();
            let n_union = union.union(gold_set).count();
            let iou = n_union > 0 && shared * 2 >= n_union;
            found[gold_idx] = (exact, overlap, iou);
            counts.found_exact += usize::from(exact);
            counts.found_overlap += usize::from(overlap);
            counts.found_iou += usize::from(iou);
            if overlap && !gold.source.is_empty() {
                counts.speaker_total += 1;
                let best = members.iter().max_by_key(|&&pred_idx| {
                    predicted[pred_idx].positions.intersection(gold_set).count()
                });
                let correct = best
                    .and_then(|&pred_idx| predicted[pred_idx].speaker.as_ref())
                    .is_some_and(|speaker| {
                        speaker.iter().any(|&pos| {
                            gold.source
                                .iter()
                                .any(|&(start, end)| start <= pos && pos < end)
                        })
                    });
                counts.speaker_correct += usize::from(correct);
                if print_errors && !correct && subset_direct {
                    let source = excerpt(text, &gold.source);
                    let ours: String = best
                        .and_then(|&pred_idx| predicted[pred_idx].speaker.as_ref())
                        .map(|positions| positions.iter().filter_map(|&p| text.get(p)).collect())
                        .unwrap_or_else(|| "-".to_string());
                    let content = excerpt(text, &gold.content);
                    let (first, last) = (gold.content[0].0, gold.content[gold.content.len() - 1].1);
                    let before = excerpt(text, &[(first.saturating_sub(70), first)]);
                    let after = excerpt(text, &[(last, (last + 70).min(text.len()))]);
                    eprintln!(
                        "SPEAKER {name}: gold {source:?} ours {ours:?} | {before} [[{content}]] {after}"
                    );
                }
            } else if print_errors && !overlap && subset_direct {
                let content = excerpt(text, &gold.content);
                eprintln!("MISSED {name}: {content}");
            } else if print_errors && !overlap && !gold.direct {
                let content = excerpt(text, &gold.content);
                let source = excerpt(text, &gold.source);
                let first = gold.content[0].0;
                let before = excerpt(text, &[(first.saturating_sub(60), first)]);
                eprintln!("MISSED-INDIRECT {name}: {source:?} | {before} [[{content}]]");
            }
        }
        for (pred_idx, pred) in predicted.iter().enumerate() {
            if subset_direct && !pred.direct {
                continue;
            }
            match assigned[pred_idx] {
                Some(gold_idx) if subset_direct && !golds[gold_idx].direct => continue,
                Some(gold_idx) => {
                    counts.n_pred += 1;
                    let (exact, overlap, iou) = found[gold_idx];
                    counts.correct_exact += usize::from(exact);
                    counts.correct_overlap += usize::from(overlap);
                    counts.correct_iou += usize::from(iou);
                }
                None => {
                    counts.n_pred += 1;
                    if print_errors {
                        let mut positions: Vec<usize> = pred.positions.iter().copied().collect();
                        positions.sort_unstable();
                        let range = positions
                            .first()
                            .zip(positions.last())
                            .map(|(&s, &e)| vec![(s, e + 1)])
                            .unwrap_or_default();
                        let label = if subset_direct {
                            "SPURIOUS"
                        } else {
                            "SPURIOUS-ALL"
                        };
                        eprintln!("{label} {name}: {}", excerpt(text, &range));
                    }
                }
            }
        }
    }
}

fn excerpt(text: &[char], ranges: &[(usize, usize)]) -> String {
    let joined: String = ranges
        .iter()
        .map(|&(s, e)| {
            text[s.min(text.len())..e.min(text.len())]
                .iter()
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" … ");
    let short: String = joined.chars().take(160).collect();
    short.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polnear_smoke() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/quotes/polnear");
        if !dir.is_dir() {
            println!("skipped: ../shared/data not present");
            return;
        }
        let report = evaluate(&dir, Some(5), false).expect("the evaluation runs");
        assert_eq!(report.n_articles, 5);
        assert!(report.direct.n_gold > 0);
        let json: serde_json::Value = serde_json::from_str(&report.json()).expect("valid JSON");
        assert!(json["direct"]["content_f1_overlap"].as_f64().is_some());
        assert!(json["all"]["speaker_accuracy"].as_f64().is_some());
    }

    #[test]
    fn spans_and_direct() {
        assert_eq!(
            parse_spans("1359 1390;1393 1432"),
            vec![(1359, 1390), (1393, 1432)]
        );
        let text: Vec<char> = "He said “we will win” and the “plan” failed badly today."
            .chars()
            .collect();
        assert!(is_direct(&text, &[(8, 21)]));
        assert!(!is_direct(&text, &[(26, 55)]));
    }

    #[test]
    fn alignment_tolerates_joined_lines_and_repairs() {
        let text: Vec<char> = "Head\n\nOn February 24it\nbecame clear.\n"
            .chars()
            .collect();
        let paragraph: Vec<char> = "On February 24 it became clear.".chars().collect();
        let (map, _) = align(&text, 4, &paragraph).expect("aligned");
        assert_eq!(text[map[0]], 'O');
        assert_eq!(text[map[15]], 'i');
        assert_eq!(text[map[18]], 'b');
    }
}
