//! `ner-lab`: train the named-entity tagger on CoNLL-2003 data and evaluate it.
//!
//! ```text
//! ner-lab train --conll eng.train [--out model/ner.bin] [--epochs N] [--seed N] [--dev eng.testa]
//! ner-lab eval --conll eng.testa [--model model/ner.bin] [--check-quiet]
//! ner-lab tag [--model model/ner.bin] < article.txt
//! ```

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};
use ner::conll::{self, Document};
use ner::eval::{Evaluation, evaluate};
use ner::train::{TrainConfig, train};
use ner::{EntityType, Tagger};

const TIMING_RUNS: usize = 5;
const DEFAULT_MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/model/ner.bin");

#[derive(Parser)]
#[command(about = "Train and evaluate the copydesk named-entity tagger")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a model on a CoNLL-2003 file and write it.
    Train {
        /// Training data (CoNLL-2003 columns, IOB1 or IOB2).
        #[arg(long)]
        conll: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = DEFAULT_MODEL)]
        out: PathBuf,
        #[arg(long, default_value_t = TrainConfig::default().epochs)]
        epochs: usize,
        /// Seed of the sentence shuffling; the same seed gives the same model.
        #[arg(long, default_value_t = TrainConfig::default().seed)]
        seed: u64,
        /// Drop features whose averaged weights are all below this.
        #[arg(long, default_value_t = TrainConfig::default().prune_below)]
        prune: f32,
        /// Jackknife folds that label the training data for the second stage.
        #[arg(long, default_value_t = TrainConfig::default().folds)]
        folds: usize,
        /// Train only the first stage (no document-consistency stage).
        #[arg(long)]
        one_stage: bool,
        /// Development data to score after every epoch (never trained on).
        #[arg(long)]
        dev: Option<PathBuf>,
    },
    /// Tag a CoNLL-2003 file and score it against its labels.
    Eval {
        #[arg(long)]
        conll: PathBuf,
        /// Model to evaluate; the embedded default model if omitted.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Also write `token gold predicted` lines (IOB2) here, for error analysis or an
        /// independent scorer such as conlleval.
        #[arg(long)]
        predictions: Option<PathBuf>,
        /// Also tag every document scoring every token (`Tagger::tag_sentences_exhaustive`)
        /// and report how many tokens tagging passes over as quiet and how many entities
        /// differ between the two; exits with an error if any does.
        #[arg(long)]
        check_quiet: bool,
    },
    /// Tag plain text from stdin and print one entity per line, for eyeballing. The
    /// tokeniser here is a rough stand-in for the one copydesk uses.
    Tag {
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

fn load_tagger(model: Option<PathBuf>) -> Result<Tagger, Box<dyn Error>> {
    Ok(match model {
        Some(path) => {
            let bytes = std::fs::read(&path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            Tagger::from_bytes(&bytes).map_err(|error| format!("{}: {error}", path.display()))?
        }
        None => Tagger::default_model().clone(),
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    match Cli::parse().command {
        Command::Train {
            conll,
            out,
            epochs,
            seed,
            prune,
            one_stage,
            folds,
            dev,
        } => {
            let documents = read_conll(&conll)?;
            let dev_documents = dev.as_deref().map(read_conll).transpose()?;
            let config = TrainConfig {
                epochs,
                seed,
                prune_below: prune,
                two_stage: !one_stage,
                folds,
            };
            let started = Instant::now();
            let tagger = train(&documents, &config, |report, averaged| {
                let mut line = format!(
                    "stage {} epoch {:>2}  sentence errors {:.4}  {:.1}s",
                    report.stage,
                    report.epoch,
                    report.sentence_error_rate,
                    started.elapsed().as_secs_f64()
                );
                if let Some(dev_documents) = &dev_documents {
                    let evaluation = evaluate(&averaged(), dev_documents);
                    line += &format!("  dev f1 {:.4}", evaluation.overall.f1());
                }
                eprintln!("{line}");
            });
            let bytes = tagger.to_bytes();
            std::fs::write(&out, &bytes)
                .map_err(|error| format!("cannot write {}: {error}", out.display()))?;
            eprintln!(
                "trained in {:.1}s: {} features, {} bytes written to {}",
                started.elapsed().as_secs_f64(),
                tagger.n_features(),
                bytes.len(),
                out.display()
            );
        }
        Command::Eval {
            conll,
            model,
            predictions,
            check_quiet,
        } => {
            let documents = read_conll(&conll)?;
            let tagger = load_tagger(model)?;
            // Warm up caches and the thread's buffers so the timing measures tagging.
            let _ = evaluate(
                &tagger,
                documents.get(..documents.len().min(10)).unwrap_or_default(),
            );
            // The scores are the same every run; the time is the median of a few runs, as
            // the machine may be shared and one run takes a fraction of a second.
            let mut evaluation = evaluate(&tagger, &documents);
            let mut times = vec![evaluation.tagging_time];
            for _ in 1..TIMING_RUNS {
                times.push(evaluate(&tagger, &documents).tagging_time);
            }
            times.sort();
            evaluation.tagging_time = times[times.len() / 2];
            print_report(&evaluation)?;
            if let Some(path) = predictions {
                write_predictions(&tagger, &documents, &path)
                    .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
            }
            if check_quiet {
                check_quiet_tokens(&tagger, &documents)?;
            }
        }
        Command::Tag { model } => {
            let tagger = load_tagger(model)?;
            let text = std::io::read_to_string(std::io::stdin())?;
            let mut out = std::io::stdout().lock();
            // One document, so that document-level evidence is used; a paragraph break
            // or a sentence-final token ends a sentence.
            let mut sentences: Vec<Vec<&str>> = Vec::new();
            for paragraph in text.split("\n\n") {
                let mut sentence = Vec::new();
                for token in rough_tokens(paragraph) {
                    sentence.push(token);
                    if matches!(token, "." | "!" | "?") {
                        sentences.push(std::mem::take(&mut sentence));
                    }
                }
                if !sentence.is_empty() {
                    sentences.push(sentence);
                }
            }
            let sentence_slices: Vec<&[&str]> = sentences.iter().map(Vec::as_slice).collect();
            let tokens: Vec<&str> = sentences.concat();
            for span in tagger.tag_sentences(&sentence_slices) {
                let words = tokens.get(span.start..span.end).unwrap_or_default();
                writeln!(out, "{:<4} {}", span.kind.name(), words.join(" "))?;
            }
        }
    }
    Ok(())
}

/// Tags every document twice, passing over its quiet tokens and scoring them all, and
/// reports the quiet share and every entity found by one way only.
fn check_quiet_tokens(tagger: &Tagger, documents: &[Document]) -> Result<(), Box<dyn Error>> {
    let (mut n_tokens, mut n_quiet, mut n_entities, mut n_differing) = (0, 0, 0, 0);
    for document in documents {
        let sentences = document.sentence_tokens();
        let tokens: Vec<&String> = sentences
            .iter()
            .flat_map(|sentence| sentence.iter())
            .collect();
        n_tokens += tokens.len();
        n_quiet += ner::quiet_tokens(&sentences);
        let passing = tagger.tag_sentences(&sentences);
        let exhaustive = tagger.tag_sentences_exhaustive(&sentences);
        n_entities += exhaustive.len();
        for (span, found_by) in passing
            .iter()
            .filter(|span| !exhaustive.contains(span))
            .map(|span| (span, "only passing over quiet tokens"))
            .chain(
                exhaustive
                    .iter()
                    .filter(|span| !passing.contains(span))
                    .map(|span| (span, "only scoring every token")),
            )
        {
            n_differing += 1;
            let words = tokens.get(span.start..span.end).unwrap_or_default();
            let words: Vec<&str> = words.iter().map(|word| word.as_str()).collect();
            eprintln!("{} {:?}: {found_by}", span.kind.name(), words.join(" "));
        }
    }
    println!(
        "quiet tokens: {n_quiet} of {n_tokens} ({:.1} %); entities found by one way only: \
         {n_differing} of {n_entities}",
        100.0 * n_quiet as f64 / n_tokens.max(1) as f64
    );
    if n_differing > 0 {
        return Err(
            format!("{n_differing} entities differ when quiet tokens are passed over").into(),
        );
    }
    Ok(())
}

/// Splits on whitespace, then peels punctuation off both ends of each word, keeping
/// abbreviations with inner periods ("U.S.") and titles ("Mr.") whole, and splitting
/// the possessive "'s" as CoNLL does.
fn rough_tokens(text: &str) -> Vec<&str> {
    const TITLES: [&str; 6] = ["Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr."];
    let mut tokens = Vec::new();
    for mut word in text.split_whitespace() {
        let mut trailing = Vec::new();
        while let Some(first) = word
            .chars()
            .next()
            .filter(|character| is_peeled(*character))
        {
            tokens.push(&word[..first.len_utf8()]);
            word = &word[first.len_utf8()..];
        }
        while let Some(last) = word.chars().next_back() {
            let keep_period =
                last == '.' && (TITLES.contains(&word) || word[..word.len() - 1].contains('.'));
            if !is_peeled(last) && last != '.' || keep_period {
                break;
            }
            trailing.push(&word[word.len() - last.len_utf8()..]);
            word = &word[..word.len() - last.len_utf8()];
        }
        for possessive in ["'s", "’s"] {
            if word.len() > possessive.len() && word.ends_with(possessive) {
                trailing.push(&word[word.len() - possessive.len()..]);
                word = &word[..word.len() - possessive.len()];
            }
        }
        if !word.is_empty() {
            tokens.push(word);
        }
        tokens.extend(trailing.into_iter().rev());
    }
    tokens
}

fn is_peeled(character: char) -> bool {
    matches!(
        character,
        ',' | ';' | ':' | '!' | '?' | '"' | '(' | ')' | '[' | ']' | '“' | '”' | '‘' | '’' | '\''
    )
}

fn write_predictions(tagger: &Tagger, documents: &[Document], path: &Path) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for document in documents {
        let sentences = document.sentence_tokens();
        let mut gold_spans = Vec::new();
        let mut offset = 0;
        for sentence in &document.sentences {
            gold_spans.extend(sentence.entities(offset));
            offset += sentence.tokens.len();
        }
        let gold = iob2_tags(&gold_spans, offset);
        let predicted = iob2_tags(&tagger.tag_sentences(&sentences), offset);
        writeln!(out, "-DOCSTART- O O\n")?;
        let mut idx = 0;
        for sentence in &document.sentences {
            for token in &sentence.tokens {
                writeln!(out, "{token} {} {}", gold[idx], predicted[idx])?;
                idx += 1;
            }
            writeln!(out)?;
        }
    }
    out.flush()
}

fn iob2_tags(spans: &[ner::EntitySpan], n_tokens: usize) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n_tokens];
    for span in spans {
        let covered = tags.iter_mut().enumerate().take(span.end).skip(span.start);
        for (idx, tag) in covered {
            let prefix = if idx == span.start { "B" } else { "I" };
            *tag = format!("{prefix}-{}", span.kind.name());
        }
    }
    tags
}

fn read_conll(path: &Path) -> Result<Vec<Document>, Box<dyn Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    Ok(conll::parse(&text).map_err(|error| format!("{}: {error}", path.display()))?)
}

fn print_report(evaluation: &Evaluation) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    write!(out, "{}", evaluation.table())?;
    let mut per_type = serde_json::Map::new();
    for kind in EntityType::ALL {
        let counts = evaluation.per_type.get(&kind).copied().unwrap_or_default();
        per_type.insert(
            kind.name().to_string(),
            serde_json::json!({"precision": counts.precision(), "recall": counts.recall(), "f1": counts.f1()}),
        );
    }
    let overall = evaluation.overall;
    writeln!(
        out,
        "tagged {} tokens in {:.3}s on one thread (median of {TIMING_RUNS} runs): {:.0} tokens/s",
        evaluation.n_tokens,
        evaluation.tagging_time.as_secs_f64(),
        evaluation.tokens_per_second()
    )?;
    let summary = serde_json::json!({
        "precision": overall.precision(),
        "recall": overall.recall(),
        "f1": overall.f1(),
        "tokens_per_s": evaluation.tokens_per_second(),
        "per_type": per_type,
    });
    writeln!(out, "{summary}")
}
