//! Whole batch runs through the binary: outputs pinned, order and accounting checked.

use std::path::Path;

use tests::{DEFAULT_PLUGINS, copydesk, describe, plugin_folder};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&out.join("report.json"))).unwrap_or_else(|error| panic!("{error}"))
}

fn run(args: &[&str], out: &Path) -> std::process::Output {
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let plugins = plugins.path().to_string_lossy().into_owned();
    let out = out.to_string_lossy().into_owned();
    let mut full = vec!["run", "--quiet", "--out", &out, "--plugins", &plugins];
    full.extend_from_slice(args);
    copydesk(&full)
}

fn assert_balanced(report: &serde_json::Value) {
    let n_inputs = report["n_inputs"].as_u64();
    let n_exported = report["n_exported"].as_u64();
    let n_rejected = report["n_rejected"].as_u64();
    assert_eq!(
        n_inputs,
        n_exported
            .zip(n_rejected)
            .map(|(exported, rejected)| exported + rejected),
        "in = exported + rejected must hold: {report}"
    );
}

#[test]
fn fixture_corpus_batch() {
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let output = run(&["tests/fixtures/corpus"], out.path());
    assert!(output.status.success(), "{}", describe(&output));
    let mut report = report(out.path());
    assert_balanced(&report);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.path().join("articles.jsonl"))
            .map(|metadata| metadata.permissions().mode())
            .unwrap_or_default();
        assert_eq!(
            mode & 0o644,
            0o644,
            "exports must be readable like any file: {mode:o}"
        );
    }
    insta::assert_snapshot!(
        "fixture_corpus_articles",
        read(&out.path().join("articles.jsonl"))
    );
    // Timings are not deterministic: keep the stage names, redact the figures.
    if let Some(stages) = report["stage_seconds"].as_object_mut() {
        for seconds in stages.values_mut() {
            *seconds = "[seconds]".into();
        }
    }
    insta::assert_json_snapshot!("fixture_corpus_report", report, {
        ".wall_seconds" => "[seconds]",
        ".peak_rss_bytes" => "[bytes]",
        ".threads" => "[threads]",
        ".plugins[].path" => "[path]",
    });
}

#[test]
fn output_is_identical_for_any_thread_count_chunk_and_batch_size() {
    let one = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let four = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let unbatched = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let chunked = "tests/fixtures/pipelines/chunked.toml";
    for (dir, threads, config) in [
        (&one, "1", chunked),
        (&four, "4", chunked),
        (&unbatched, "2", "tests/fixtures/pipelines/unbatched.toml"),
    ] {
        let output = run(
            &[
                "samples",
                "tests/fixtures/corpus",
                "--config",
                config,
                "--threads",
                threads,
            ],
            dir.path(),
        );
        assert!(output.status.success(), "{}", describe(&output));
    }
    let articles_one = read(&one.path().join("articles.jsonl"));
    let articles_four = read(&four.path().join("articles.jsonl"));
    assert_eq!(articles_one.lines().count(), 294 + 6);
    assert!(
        articles_one == articles_four,
        "articles.jsonl differs between 1 and 4 threads"
    );
    assert!(
        articles_one == read(&unbatched.path().join("articles.jsonl")),
        "articles.jsonl differs between batches of 3 and single articles"
    );
    assert_eq!(report(one.path())["threads"], 1);
    assert_eq!(report(four.path())["threads"], 4);
}

#[test]
fn bad_inputs_are_rejected_with_reasons_and_nothing_is_lost() {
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let output = run(
        &[
            "tests/fixtures/bad",
            "tests/fixtures/no-such-file.txt",
            "--config",
            "tests/fixtures/pipelines/small-limits.toml",
        ],
        out.path(),
    );
    assert!(
        output.status.success(),
        "rejects must not fail the run: {}",
        describe(&output)
    );
    let report = report(out.path());
    assert_balanced(&report);
    assert_eq!(report["n_exported"], 1, "{report}");
    let articles = read(&out.path().join("articles.jsonl"));
    assert!(articles.contains("Water main bursts"), "{articles}");
    insta::assert_snapshot!(
        "bad_inputs_rejects",
        read(&out.path().join("rejects.jsonl"))
    );
}

#[test]
fn a_broken_json_line_does_not_stop_the_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let input = dir.path().join("mixed.jsonl");
    std::fs::write(
        &input,
        "{\"title\": \"One\", \"text\": \"First.\"}\n{\"title\": \"Two\", \"text\" \n{\"title\": \"Three\", \"text\": \"Third.\"}\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let out = dir.path().join("out");
    let input = input.to_string_lossy().into_owned();
    let output = run(&[&input], &out);
    assert!(output.status.success(), "{}", describe(&output));
    let articles = read(&out.join("articles.jsonl"));
    let headlines: Vec<String> = articles
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            value["headline"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(headlines, ["One", "Three"]);
    let rejects = read(&out.join("rejects.jsonl"));
    assert!(rejects.contains("mixed.jsonl:2"), "{rejects}");
    assert!(rejects.contains("invalid JSON"), "{rejects}");
}

#[test]
fn stdin_json_lines() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(tests::binary())
        .args(["run", "-", "--quiet", "--out"])
        .arg(&out)
        .arg("--plugins")
        .arg(plugins.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{error}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(b"{\"title\": \"From stdin\", \"text\": \"Piped in.\"}\n")
            .unwrap_or_else(|error| panic!("{error}"));
    }
    let status = child.wait().unwrap_or_else(|error| panic!("{error}"));
    assert!(status.success());
    assert!(read(&out.join("articles.jsonl")).contains("From stdin"));
}

#[test]
fn usage_errors_exit_2_and_fatal_errors_exit_1() {
    let usage = copydesk(&["run", "--threads", "many"]);
    assert_eq!(usage.status.code(), Some(2), "{}", describe(&usage));
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let missing_config = run(
        &["samples", "--config", "tests/fixtures/pipelines/nope.toml"],
        out.path(),
    );
    assert_eq!(
        missing_config.status.code(),
        Some(1),
        "{}",
        describe(&missing_config)
    );
    assert!(String::from_utf8_lossy(&missing_config.stderr).contains("nope.toml"));
}

#[test]
fn bbc_corpus_is_exported_whole_and_identically_with_1_and_2_threads() {
    let Some(data) = tests::shared_data() else {
        eprintln!("skipped: ../shared/data is not present on this machine");
        return;
    };
    let bbc = data.join("bbc").to_string_lossy().into_owned();
    let one = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let two = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let output = run(&[&bbc, "--threads", threads], dir.path());
        assert!(output.status.success(), "{}", describe(&output));
        let report = report(dir.path());
        assert_balanced(&report);
        assert_eq!(report["n_exported"], 2225, "{report}");
        assert_eq!(report["n_rejected"], 0, "{report}");
    }
    let articles_one = std::fs::read(one.path().join("articles.jsonl")).unwrap_or_default();
    let articles_two = std::fs::read(two.path().join("articles.jsonl")).unwrap_or_default();
    assert!(
        articles_one == articles_two,
        "BBC output differs between 1 and 2 threads"
    );
}

#[test]
fn the_summary_names_the_files_written_and_how_to_open_them() {
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    // An old file from some earlier run is not this run's output.
    std::fs::write(out.path().join("old.csv"), "a\n").unwrap_or_else(|error| panic!("{error}"));
    let mtime = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options()
        .write(true)
        .open(out.path().join("old.csv"))
        .and_then(|file| file.set_modified(mtime))
        .unwrap_or_else(|error| panic!("{error}"));
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let output = copydesk(&[
        "run",
        "tests/fixtures/corpus",
        "--out",
        &out.path().to_string_lossy(),
        "--plugins",
        &plugins.path().to_string_lossy(),
    ]);
    assert!(output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for file in [
        "articles.jsonl",
        "articles.sqlite",
        "report.html",
        "report.json",
    ] {
        assert!(stderr.contains(file), "{file} not named: {stderr}");
    }
    assert!(
        stderr.contains("report.html   ← open in a browser"),
        "{stderr}"
    );
    assert!(!stderr.contains("old.csv"), "{stderr}");
}
