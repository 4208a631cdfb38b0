//! `cargo xtask train` and `cargo xtask eval`: thin drivers over the lab tools that live beside
//! each model (`ner-lab`, `textcat-lab`, `analyze-lab`), built in release behind their `lab`
//! feature. Evaluations print their table and write it, with the command, into
//! `docs/quality.md`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::{Result, cargo, root};

const TRAIN_USAGE: &str = "usage: cargo xtask train <ner|topic> [ARGS...]

  train ner [--conll FILE] [--out MODEL]      default: ../shared/data/conll2003/eng.train
                                              into crates/ner/model/ner.bin
  train topic                                 the default AG News model (crates/textcat/model)
  train topic --csv FILE --label-col N --text-cols N,M [--label-names FILE] [--out MODEL]
  train topic --dir FOLDER [--out MODEL]      one sub-folder per label, one article per file";

const EVAL_USAGE: &str = "usage: cargo xtask eval [ner|entities|quotes|topic] [ARGS...]

  eval                          every evaluation whose data is present
  eval ner [--conll FILE]       the tagger alone; default: ../shared/data/conll2003/eng.testa
  eval entities [--conll FILE]  the entities of the records (the whole analysis), same default
  eval quotes [--polnear DIR]   default: ../shared/data/quotes/polnear
  eval topic                    BBC 5-fold cross-validation and the AG News held-out 20 %
  eval topic --dir FOLDER       stratified 5-fold cross-validation on a one-folder-per-label corpus";

/// A lab tool: its package and binary.
struct Lab {
    package: &'static str,
    binary: &'static str,
}

const NER: Lab = Lab {
    package: "ner",
    binary: "ner-lab",
};
const TEXTCAT: Lab = Lab {
    package: "textcat",
    binary: "textcat-lab",
};
const ANALYZE: Lab = Lab {
    package: "analyze",
    binary: "analyze-lab",
};

fn shared_data() -> Option<PathBuf> {
    let data = root().parent()?.join("shared/data");
    data.is_dir().then_some(data)
}

fn default_path(relative: &str) -> Option<String> {
    let path = shared_data()?.join(relative);
    path.exists().then(|| path.display().to_string())
}

fn has_flag(args: &[String], flag: &str) -> bool {
    args.iter().any(|arg| arg == flag)
}

/// Runs a lab tool in release, echoing and returning its standard output.
fn lab(tool: &Lab, args: &[String]) -> Result<String> {
    let mut command = cargo();
    command
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            tool.package,
            "--features",
            "lab",
        ])
        .args(["--bin", tool.binary, "--"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let output = command
        .output()
        .map_err(|error| format!("cannot start {}: {error}", tool.binary))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{stdout}");
    if !output.status.success() {
        return Err(format!(
            "{} {} failed ({})",
            tool.binary,
            args.join(" "),
            output.status
        )
        .into());
    }
    Ok(stdout)
}

pub fn train(args: &[String]) -> Result {
    match args.first().map(String::as_str) {
        Some("ner") => {
            let mut rest = args[1..].to_vec();
            if !has_flag(&rest, "--conll") {
                let conll = default_path("conll2003/eng.train").ok_or(
                    "no --conll FILE given and ../shared/data/conll2003/eng.train is not here",
                )?;
                rest.extend(["--conll".to_string(), conll]);
            }
            lab(&NER, &prepend("train", rest)).map(drop)
        }
        Some("topic") => {
            let mut rest = args[1..].to_vec();
            if rest.is_empty() {
                let csv = default_path("ag_news/test.csv.gz").ok_or(
                    "no --csv/--dir given and ../shared/data/ag_news/test.csv.gz is not here",
                )?;
                rest = ag_news_args(csv);
                rest.extend([
                    "--out".to_string(),
                    "crates/textcat/model/ag-news.bin".to_string(),
                ]);
            }
            lab(&TEXTCAT, &prepend("train", rest)).map(drop)
        }
        _ => Err(TRAIN_USAGE.into()),
    }
}

fn ag_news_args(csv: String) -> Vec<String> {
    [
        "--csv",
        &csv,
        "--label-col",
        "0",
        "--text-cols",
        "1,2",
        "--label-names",
        "crates/textcat/model/ag-news-labels.txt",
        "--split",
        "0.8",
        "--seed",
        "42",
    ]
    .iter()
    .map(|arg| arg.to_string())
    .collect()
}

fn prepend(first: &str, rest: Vec<String>) -> Vec<String> {
    std::iter::once(first.to_string()).chain(rest).collect()
}

/// `args` with `flag PATH` added when they lack `flag`, PATH being `relative` in the shared
/// data; `None` (the evaluation `name` noted in `skipped`) when they lack it and the data is
/// not there.
fn with_data(
    args: &[String],
    flag: &str,
    relative: &str,
    name: &str,
    skipped: &mut Vec<String>,
) -> Option<Vec<String>> {
    let mut args = args.to_vec();
    if !has_flag(&args, flag) {
        match default_path(relative) {
            Some(path) => args.extend([flag.to_string(), path]),
            None => {
                skipped.push(format!("{name} (no ../shared/data/{relative})"));
                return None;
            }
        }
    }
    Some(args)
}

/// One evaluation to run: its section name in docs/quality.md, tool and arguments.
struct Evaluation {
    section: String,
    tool: &'static Lab,
    args: Vec<String>,
}

pub fn eval(args: &[String]) -> Result {
    let which = args.first().map(String::as_str);
    let rest = args.get(1..).unwrap_or_default().to_vec();
    let mut evaluations = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    if matches!(which, None | Some("ner"))
        && let Some(mut args) =
            with_data(&rest, "--conll", "conll2003/eng.testa", "ner", &mut skipped)
    {
        // Also checks that passing over quiet tokens finds the entities that scoring every
        // token does (`Tagger::tag_sentences_exhaustive`).
        if !has_flag(&args, "--check-quiet") {
            args.push("--check-quiet".to_string());
        }
        evaluations.push(Evaluation {
            section: "ner".to_string(),
            tool: &NER,
            args: prepend("eval", args),
        });
    }
    if matches!(which, None | Some("entities"))
        && let Some(args) = with_data(
            &rest,
            "--conll",
            "conll2003/eng.testa",
            "entities",
            &mut skipped,
        )
    {
        evaluations.push(Evaluation {
            section: "entities".to_string(),
            tool: &ANALYZE,
            args: prepend("entities", args),
        });
    }
    if matches!(which, None | Some("quotes"))
        && let Some(args) = with_data(&rest, "--polnear", "quotes/polnear", "quotes", &mut skipped)
    {
        evaluations.push(Evaluation {
            section: "quotes".to_string(),
            tool: &ANALYZE,
            args: prepend("quotes", args),
        });
    }
    if matches!(which, None | Some("topic")) {
        if which.is_some() && !rest.is_empty() {
            evaluations.push(Evaluation {
                section: "topic-custom".to_string(),
                tool: &TEXTCAT,
                args: prepend("eval", rest.clone()),
            });
        } else {
            match default_path("bbc") {
                Some(bbc) => evaluations.push(Evaluation {
                    section: "topic-bbc".to_string(),
                    tool: &TEXTCAT,
                    args: prepend(
                        "eval",
                        vec![
                            "--dir".into(),
                            bbc,
                            "--folds".into(),
                            "5".into(),
                            "--seed".into(),
                            "42".into(),
                        ],
                    ),
                }),
                None => skipped.push("topic on BBC (no ../shared/data/bbc)".to_string()),
            }
            match default_path("ag_news/test.csv.gz") {
                Some(csv) => evaluations.push(Evaluation {
                    section: "topic-ag-news".to_string(),
                    tool: &TEXTCAT,
                    args: prepend("eval", ag_news_args(csv)),
                }),
                None => skipped.push("topic on AG News (no ../shared/data/ag_news)".to_string()),
            }
        }
    }
    if !matches!(which, None | Some("ner" | "entities" | "quotes" | "topic")) {
        return Err(EVAL_USAGE.into());
    }
    for skip in &skipped {
        println!("xtask eval: skipped {skip}");
    }
    for evaluation in &evaluations {
        let shown = format!(
            "cargo xtask eval {}",
            display_args(
                which
                    .map(|which| std::iter::once(which.to_string())
                        .chain(rest.iter().cloned())
                        .collect())
                    .unwrap_or_default()
            )
        );
        println!("\n== {} ({})", evaluation.section, shown.trim());
        let output = lab(evaluation.tool, &evaluation.args)?;
        let tool_command = format!(
            "cargo run --release -p {} --features lab --bin {} -- {}",
            evaluation.tool.package,
            evaluation.tool.binary,
            display_args(evaluation.args.clone())
        );
        record(&evaluation.section, shown.trim(), &tool_command, &output)?;
    }
    if !evaluations.is_empty() {
        println!("\nxtask eval: results recorded in docs/quality.md");
    }
    Ok(())
}

/// Arguments for display, with paths into the shared data made relative to the workspace.
fn display_args(args: Vec<String>) -> String {
    let shared = shared_data().map(|data| data.display().to_string());
    args.into_iter()
        .map(|arg| match &shared {
            Some(shared) if arg.starts_with(shared.as_str()) => {
                format!("../shared/data{}", &arg[shared.len()..])
            }
            _ => arg,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces (or appends) the section of docs/quality.md between this evaluation's markers.
fn record(section: &str, command: &str, tool_command: &str, output: &str) -> Result {
    let path = root().join("docs/quality.md");
    let existing = fs::read_to_string(&path).unwrap_or_else(|_| QUALITY_HEADER.to_string());
    let start = format!("<!-- eval:{section}:start -->");
    let end = format!("<!-- eval:{section}:end -->");
    let body = format!(
        "{start}\n### `{section}`\n\nMeasured {} with `{command}`, which runs:\n\n```sh\n{tool_command}\n```\n\n```text\n{}\n```\n{end}",
        crate::today(),
        output.trim_end()
    );
    let updated = match (existing.find(&start), existing.find(&end)) {
        (Some(from), Some(to)) if from < to => {
            format!("{}{body}{}", &existing[..from], &existing[to + end.len()..])
        }
        _ => format!("{}\n{body}\n", existing.trim_end()),
    };
    write(&path, &updated)
}

fn write(path: &Path, text: &str) -> Result {
    fs::write(path, text)
        .map_err(|error| format!("cannot write {}: {error}", path.display()).into())
}

const QUALITY_HEADER: &str = "# Quality

Every figure on this page was measured by the command shown with it, on the data sets in
`../shared/data` (see that folder's README for sources and licences). `cargo xtask eval`
re-runs them all and rewrites the sections below.
";
