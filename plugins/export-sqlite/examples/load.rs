//! Times the SQLite exporter alone: loads the records of a JSON Lines export (`articles.jsonl`
//! of an earlier run) into a new database, as `copydesk run` would, without the analysis or
//! the plugin boundary around it.
//!
//! ```text
//! cargo run --release -p export-sqlite --example load -- out/articles.jsonl [REPEATS]
//! ```
//!
//! Prints, per run and as the median of the runs, the time per article of `write` (and of
//! decoding the record, which `write` includes), of `finish` (the last transaction's commit
//! with its full-text rows, the secondary indexes, the sync) and in all, and the size of the
//! database.

use std::io::BufRead;
use std::time::{Duration, Instant};

use copydesk_export_sqlite::Sqlite;
use plugin_api::{ExportContext, Exporter, Record};

struct Timing {
    write: Duration,
    decode: Duration,
    finish: Duration,
    bytes: u64,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("load: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (Some(path), repeats) = (args.next(), args.next()) else {
        return Err("usage: load RECORDS.jsonl [REPEATS]".to_string());
    };
    let repeats: usize = match repeats {
        Some(text) => text
            .parse()
            .map_err(|_| format!("REPEATS must be a number, not `{text}`"))?,
        None => 5,
    };
    let file = std::fs::File::open(&path).map_err(|error| format!("{path}: {error}"))?;
    let records: Vec<Vec<u8>> = std::io::BufReader::new(file)
        .split(b'\n')
        .filter(|line| line.as_ref().is_ok_and(|line| !line.is_empty()))
        .collect::<Result<_, _>>()
        .map_err(|error| format!("{path}: {error}"))?;
    if records.is_empty() {
        return Err(format!("{path}: no records"));
    }
    let per_article = |duration: Duration| duration.as_secs_f64() * 1e3 / records.len() as f64;
    println!(
        "{} records of {path}; ms per article: write (decode) / finish / all, database MB",
        records.len()
    );
    let mut runs = Vec::new();
    for _ in 0..repeats.max(1) {
        let timing = load(&records)?;
        println!(
            "  {:.3} ({:.3}) / {:.3} / {:.3}, {:.1} MB",
            per_article(timing.write),
            per_article(timing.decode),
            per_article(timing.finish),
            per_article(timing.write + timing.finish),
            timing.bytes as f64 / 1e6
        );
        runs.push(timing);
    }
    let median = |part: fn(&Timing) -> Duration| {
        let mut values: Vec<Duration> = runs.iter().map(part).collect();
        values.sort();
        per_article(values[values.len() / 2])
    };
    println!(
        "median of {}: {:.3} ({:.3}) / {:.3} / {:.3}",
        runs.len(),
        median(|timing| timing.write),
        median(|timing| timing.decode),
        median(|timing| timing.finish),
        median(|timing| timing.write + timing.finish)
    );
    Ok(())
}

/// One load into a new database in a temporary folder.
fn load(records: &[Vec<u8>]) -> Result<Timing, String> {
    let dir = tempfile::tempdir().map_err(|error| format!("temporary folder: {error}"))?;
    let context = ExportContext {
        out_dir: dir.path().to_path_buf(),
    };
    let options = serde_json::from_str("{}").map_err(|error| error.to_string())?;
    let mut exporter = Sqlite::open(context, options).map_err(|error| error.to_string())?;
    let mut decode = Duration::ZERO;
    let started = Instant::now();
    for (line, json) in records.iter().enumerate() {
        let record = Record::new(json);
        let decoding = Instant::now();
        record
            .article()
            .map_err(|error| format!("record {}: {error}", line + 1))?;
        decode += decoding.elapsed();
        exporter
            .write(&record)
            .map_err(|error| format!("record {}: {error}", line + 1))?;
    }
    let write = started.elapsed();
    let finishing = Instant::now();
    exporter.finish().map_err(|error| error.to_string())?;
    let finish = finishing.elapsed();
    let bytes = std::fs::metadata(dir.path().join("articles.sqlite"))
        .map(|metadata| metadata.len())
        .map_err(|error| format!("the database: {error}"))?;
    Ok(Timing {
        write,
        decode,
        finish,
        bytes,
    })
}
