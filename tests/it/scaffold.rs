//! `cargo xtask new-plugin` and `docs/writing-plugins.md`, followed as a user would: scaffold a
//! plugin outside the workspace, build it, run copydesk with it.
//!
//! The scaffolded crates are built with this build's `--target-dir`, so the dependencies they
//! share with copydesk are compiled once; their libraries are then moved out of the target
//! folder, which is also the default plugin folder of the `copydesk` binary built there.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tests::{DEFAULT_PLUGINS, build_dir, copydesk, describe, plugin_folder, workspace};

const GUIDE: &str = "docs/writing-plugins.md";
const EXAMPLE_SOURCE: &str = "docs/examples/conflict-classifier/src/lib.rs";
const EXAMPLE_PIPELINE: &str = "docs/examples/conflict-classifier/conflict.toml";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn target_dir() -> PathBuf {
    let build_dir = build_dir();
    build_dir.parent().unwrap_or(&build_dir).to_path_buf()
}

fn is_release_build() -> bool {
    build_dir()
        .file_name()
        .is_some_and(|name| name == "release")
}

fn cargo(args: &[&str]) -> Output {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(args)
        .arg("--target-dir")
        .arg(target_dir())
        .current_dir(workspace());
    if is_release_build() {
        command.arg("--release");
    }
    command
        .output()
        .unwrap_or_else(|error| panic!("cannot run cargo: {error}"))
}

/// `cargo xtask new-plugin ARGS`, as the guide runs it.
fn new_plugin(args: &[&str]) -> Output {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["run", "--quiet", "--package", "xtask", "--target-dir"])
        .arg(target_dir())
        .args(["--", "new-plugin"])
        .args(args)
        .current_dir(workspace());
    command
        .output()
        .unwrap_or_else(|error| panic!("cannot run cargo: {error}"))
}

fn succeed(what: &str, output: Output) -> Output {
    assert!(output.status.success(), "{what}: {}", describe(&output));
    output
}

/// Builds the crate in `dir` and moves its library into `plugins`.
fn build_plugin(dir: &Path, lib_name: &str, plugins: &Path) {
    let manifest = dir.join("Cargo.toml");
    succeed(
        "cargo build",
        cargo(&["build", "--manifest-path", &manifest.to_string_lossy()]),
    );
    let file_name = format!(
        "{}{lib_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let built = build_dir().join(&file_name);
    std::fs::copy(&built, plugins.join(&file_name))
        .unwrap_or_else(|error| panic!("{}: {error}", built.display()));
    // Left beside `copydesk`, it would be loaded by every run that names no plugin folder.
    std::fs::remove_file(&built).unwrap_or_else(|error| panic!("{}: {error}", built.display()));
}

#[test]
fn the_guide_builds_a_classifier_whose_labels_appear_in_the_output() {
    let guide = read(&workspace().join(GUIDE));
    let example_source = read(&workspace().join(EXAMPLE_SOURCE));
    let example_pipeline = read(&workspace().join(EXAMPLE_PIPELINE));
    assert!(
        guide.contains(&format!("```rust\n{example_source}```\n")),
        "{GUIDE} must show {EXAMPLE_SOURCE} verbatim"
    );
    assert!(
        guide.contains(&format!("```toml\n{example_pipeline}```\n")),
        "{GUIDE} must show {EXAMPLE_PIPELINE} verbatim"
    );
    assert!(
        example_source.lines().count() < 40,
        "the guide promises a classifier in under 40 lines"
    );

    // `cargo xtask new-plugin classifier conflict --path ../conflict`
    let scratch = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let crate_dir = scratch.path().join("conflict");
    succeed(
        "new-plugin",
        new_plugin(&[
            "classifier",
            "conflict",
            "--path",
            &crate_dir.to_string_lossy(),
        ]),
    );
    // The guide's code replaces the scaffolded src/lib.rs.
    std::fs::write(crate_dir.join("src/lib.rs"), &example_source)
        .unwrap_or_else(|error| panic!("{error}"));

    let plugins = plugin_folder(DEFAULT_PLUGINS);
    build_plugin(&crate_dir, "copydesk_classify_conflict", plugins.path());
    let out = scratch.path().join("out");
    succeed(
        "copydesk run",
        copydesk(&[
            "run",
            "samples",
            "--quiet",
            "--config",
            EXAMPLE_PIPELINE,
            "--plugins",
            &plugins.path().to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ]),
    );

    let articles = read(&out.join("articles.jsonl"));
    let mut flagged = Vec::new();
    for line in articles.lines() {
        let article: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}"));
        let conflict = &article["labels"]["conflict"][0];
        let value = conflict["value"].as_str();
        assert!(matches!(value, Some("yes" | "no")), "{}", article["labels"]);
        if value == Some("yes") {
            flagged.push(
                article["source"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    assert_eq!(articles.lines().count(), 294);
    assert!(
        flagged
            .iter()
            .any(|path| path == "samples/seed-article.txt"),
        "the seed article is about a war: {flagged:?}"
    );
    assert!(
        flagged
            .iter()
            .any(|path| path == "samples/wikinews/wn2019-017.txt"),
        "a car bomb at a military base is armed conflict: {flagged:?}"
    );
    assert!(
        flagged.len() < 294 / 4,
        "most samples are not about war, yet {} of 294 are flagged: {flagged:?}",
        flagged.len()
    );
}

#[test]
fn scaffolded_plugins_build_load_and_pass_their_own_tests() {
    let scratch = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let classifier_dir = scratch.path().join("classifier");
    let exporter_dir = scratch.path().join("exporter");
    for (kind, dir) in [("classifier", &classifier_dir), ("exporter", &exporter_dir)] {
        succeed(
            "new-plugin",
            new_plugin(&[kind, "scaffold-check", "--path", &dir.to_string_lossy()]),
        );
        let manifest = dir.join("Cargo.toml");
        let tested = succeed(
            "cargo test",
            cargo(&["test", "--manifest-path", &manifest.to_string_lossy()]),
        );
        let summary = String::from_utf8_lossy(&tested.stdout).into_owned();
        assert!(summary.contains("test result: ok. 1 passed"), "{summary}");
    }

    let plugins = plugin_folder(DEFAULT_PLUGINS);
    build_plugin(
        &classifier_dir,
        "copydesk_classify_scaffold_check",
        plugins.path(),
    );
    build_plugin(
        &exporter_dir,
        "copydesk_export_scaffold_check",
        plugins.path(),
    );
    let plugins_arg = plugins.path().to_string_lossy().into_owned();
    let listing = succeed(
        "copydesk plugins",
        copydesk(&["plugins", "--plugins", &plugins_arg]),
    );
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    for kind in ["classifier", "exporter"] {
        let listed = listing
            .lines()
            .any(|line| line.split_whitespace().take(2).eq(["scaffold-check", kind]));
        assert!(listed, "scaffold-check {kind} in {listing}");
    }

    let pipeline = scratch.path().join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "[[classify]]\nplugin = \"scaffold-check\"\n\n[[export]]\nplugin = \"scaffold-check\"\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let out = scratch.path().join("out");
    succeed(
        "copydesk run",
        copydesk(&[
            "run",
            "tests/fixtures/corpus",
            "--quiet",
            "--config",
            &pipeline.to_string_lossy(),
            "--plugins",
            &plugins_arg,
            "--out",
            &out.to_string_lossy(),
        ]),
    );
    let exported = read(&out.join("scaffold-check.tsv"));
    assert_eq!(exported.lines().count(), 6, "{exported}");
    assert!(
        exported.contains("Putin sends message of hope to the UN to end the war in Ukraine"),
        "{exported}"
    );
}

#[test]
fn new_plugin_refuses_bad_names_and_existing_folders() {
    let scratch = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let dir = scratch.path().join("taken");
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(dir.join("notes.txt"), "mine").unwrap_or_else(|error| panic!("{error}"));
    let dir_arg = dir.to_string_lossy().into_owned();
    let cases = [
        (
            vec!["classifier", "Bad_Name", "--path", &dir_arg],
            "invalid plugin name `Bad_Name`",
        ),
        (
            vec!["classifier", "fine", "--path", &dir_arg],
            "already exists: not overwriting",
        ),
        (vec!["widget", "fine"], "unknown plugin kind `widget`"),
    ];
    for (args, expected) in cases {
        let output = new_plugin(&args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            describe(&output)
        );
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(expected), "{args:?}: {message}");
    }
    assert_eq!(read(&dir.join("notes.txt")), "mine");
}
