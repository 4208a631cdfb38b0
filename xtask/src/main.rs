//! `cargo xtask`: the project's own commands, in plain std.
//!
//! - `cargo xtask run [ARGS...]`: build the release binary and plugins, run the default
//!   pipeline over `samples/` into `out/` (or pass your own `copydesk run` arguments).
//! - `cargo xtask test`: build every plugin (the test-only ones too) and run all tests, with
//!   snapshots checked as CI checks them.
//! - `cargo xtask ci`: format check, clippy with warnings denied, then `test`.

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bench;
mod lab;
mod new_plugin;
mod spark;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run [ARGS...]   build (release) and run copydesk over samples/ into out/;
                  ARGS replace the default `samples --out out`
  test            build all plugins (test-only ones too) and run the whole test suite
  ci              cargo fmt --check, clippy -D warnings, then test
  train ner|topic train a model (see `cargo xtask train`)
  eval [ner|entities|quotes|topic]
                  measure quality on ../shared/data; results go to docs/quality.md
  new-plugin classifier|exporter NAME [--path DIR]
                  create a plugin crate that builds, loads and has its own test
                  (docs/writing-plugins.md)
  spark-test      install Spark (contrib/spark/setup.sh) and run copydesk under
                  spark-submit in local mode (docs/spark.md)
  bench [ARGS...] throughput, scaling and memory; results go to docs/performance.md
                  (see `cargo xtask bench --help`)";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("ci") => ci(),
        Some("train") => lab::train(&args[1..]),
        Some("eval") => lab::eval(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("new-plugin") => new_plugin::run(&args[1..]),
        Some("spark-test") => spark::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::from(1)
        }
    }
}

pub(crate) fn root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo target folder: `CARGO_TARGET_DIR` when set (relative to the workspace), else
/// `target/`.
pub(crate) fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// The file name of a shared library built from the crate whose `[lib] name` is `lib_name`
/// (`lib<name>.so` on Linux).
pub(crate) fn library(lib_name: &str) -> String {
    format!(
        "{}{lib_name}{}",
        env::consts::DLL_PREFIX,
        env::consts::DLL_SUFFIX
    )
}

pub(crate) fn cargo() -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()));
    command.current_dir(root());
    command
}

pub(crate) fn status(mut command: Command) -> Result {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|error| format!("cannot start {shown}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})").into())
    }
}

/// Package names of the crates in a folder of the workspace (`plugins`, `tests/plugins`).
fn packages_in(folder: &str) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let dir = root().join(folder);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(names);
    };
    let mut manifests: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("Cargo.toml")))
        .filter(|manifest| manifest.is_file())
        .collect();
    manifests.sort();
    for manifest in manifests {
        let text = fs::read_to_string(&manifest)?;
        let name = text
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "name").then(|| value.trim().trim_matches('"').to_string())
            })
            .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
        names.push(name);
    }
    Ok(names)
}

pub(crate) fn build(release: bool, with_test_plugins: bool) -> Result {
    let mut command = cargo();
    command.arg("build");
    if release {
        command.arg("--release");
    }
    command.args(["-p", "copydesk"]);
    let mut plugins = packages_in("plugins")?;
    if with_test_plugins {
        plugins.extend(packages_in("tests/plugins")?);
    }
    for plugin in plugins {
        command.args(["-p", &plugin]);
    }
    status(command)
}

fn run(args: &[String]) -> Result {
    build(true, false)?;
    let binary = target_dir().join("release/copydesk");
    let mut command = Command::new(&binary);
    command.current_dir(root()).arg("run");
    if args.is_empty() {
        command.args(["samples", "--out", "out"]);
    } else {
        command.args(args);
    }
    status(command)?;
    if args.is_empty() {
        let out = root().join("out");
        println!("\noutputs in {}:", out.display());
        let mut files: Vec<(String, u64)> = fs::read_dir(&out)?
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let size = entry.metadata().ok()?.len();
                (!name.starts_with('.')).then_some((name, size))
            })
            .collect();
        files.sort();
        for (name, size) in files {
            println!("  {name:<20} {:>10} bytes", size);
        }
        println!(
            "\nnext:\n  open out/report.html in a browser (the corpus at a glance, every article analysed)\n  \
             sqlite3 out/articles.sqlite \"select headline from articles_fts where articles_fts match 'Guterres'\"\n  \
             (more queries in docs/sqlite.md)\n  \
             target/release/copydesk inspect samples/seed-article.txt   (one article, as JSON)"
        );
    }
    Ok(())
}

fn test() -> Result {
    build(false, true)?;
    let references = env::temp_dir().join(format!("copydesk-insta-refs-{}", std::process::id()));
    let _ = fs::remove_file(&references);
    let mut command = cargo();
    command
        .args(["test", "--workspace", "--exclude", "xtask"])
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &references);
    let tested = status(command);
    let pending = snapshot_files(&root(), &["snap.new", "pending-snap"]);
    let referenced: BTreeSet<PathBuf> = fs::read_to_string(&references)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| fs::canonicalize(line).ok())
        .collect();
    let _ = fs::remove_file(&references);
    tested?;
    if !pending.is_empty() {
        return Err(format!(
            "pending snapshots (review them with `cargo insta review` or delete them): {}",
            list(&pending)
        )
        .into());
    }
    let unreferenced: Vec<PathBuf> = snapshot_files(&root(), &["snap"])
        .into_iter()
        .filter(|snapshot| {
            fs::canonicalize(snapshot).map_or(true, |path| !referenced.contains(&path))
        })
        .collect();
    if !unreferenced.is_empty() {
        return Err(format!(
            "snapshots no test uses (delete them): {}",
            list(&unreferenced)
        )
        .into());
    }
    println!("xtask: all tests passed; snapshots checked (none pending, none unreferenced)");
    if let Some(shared) = root().parent().map(|parent| parent.join("shared/data"))
        && !shared.is_dir()
    {
        // Each such test says so itself, in output that `cargo test` keeps for failures.
        println!(
            "xtask: skipped the parts of tests that read {} (CoNLL-2003, BBC): it is absent",
            shared.display()
        );
    }
    Ok(())
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|path| {
            path.strip_prefix(root())
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Files below `dir` (not in `target/` or hidden folders) whose names end in `.EXT`.
fn snapshot_files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.filter_map(|entry| entry.ok()) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "out" {
                found.extend(snapshot_files(&path, extensions));
            }
        } else if extensions
            .iter()
            .any(|extension| name.ends_with(&format!(".{extension}")))
        {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn ci() -> Result {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    status(fmt)?;
    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
    status(clippy)?;
    test()
}

/// Today's date from the system's `date`, which std cannot format.
pub(crate) fn today() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|date| !date.is_empty())
        .unwrap_or_else(|| "(date unknown)".to_string())
}
