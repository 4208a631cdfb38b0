//! `copydesk stream` and what a Spark driver relies on: one line out per line in, in order,
//! error records for bad lines with exit 0, the batch run's bytes for good ones, a non-zero
//! exit for what fails the whole stream; `plugins --check --json`; `schema --format spark-ddl`.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use tests::{DEFAULT_PLUGINS, binary, copydesk, describe, plugin_folder, workspace};

/// Runs `copydesk stream ARGS` with `input` on stdin (fed from a thread, so large inputs
/// cannot deadlock on full pipes).
fn stream(args: &[&str], plugins: &Path, input: Vec<u8>) -> Output {
    let mut child = Command::new(binary())
        .arg("stream")
        .args(args)
        .arg("--plugins")
        .arg(plugins)
        .current_dir(workspace())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run copydesk: {error}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let feeder = std::thread::spawn(move || {
        // The child may stop reading early (that is what some tests check).
        let _ = stdin.write_all(&input);
    });
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("{error}"));
    let _ = feeder.join();
    output
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn json(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}"))
}

/// The first `limit` bundled Wikinews samples as JSON Lines records with ids.
fn sample_records(limit: usize) -> String {
    let mut paths: Vec<_> = std::fs::read_dir(workspace().join("samples/wikinews"))
        .unwrap_or_else(|error| panic!("{error}"))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    paths.sort();
    let mut records = String::new();
    for (idx, path) in paths.iter().take(limit).enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{error}"));
        let (headline, body) = text.split_once('\n').unwrap_or((&text, ""));
        let record = serde_json::json!({
            "id": format!("sample-{idx:03}"),
            "title": headline,
            "text": body,
            "date_publish": "2019-06-01",
        });
        records.push_str(&record.to_string());
        records.push('\n');
    }
    records
}

#[test]
fn every_bad_line_becomes_an_error_record_and_the_exit_status_stays_0() {
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"good-1\", \"title\": \"Water main bursts\", \"text\": \"Streets were flooded.\"}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"   \t\n");
    input.extend_from_slice(b"{\"title\": \"Long\", \"text\": \"");
    input.extend_from_slice(&[b'x'; 3000]);
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(b"{\"title\": \"Caf\xE9\", \"text\": \"Latin-1 is not JSON.\"}\n");
    input.extend_from_slice(b"{\"title\": \"Cut short\", \"text\": \n");
    input.extend_from_slice(b"[1, 2, 3]\n");
    input.extend_from_slice(b"{\"id\": \"no-text-7\", \"url\": \"https://news.example/7\"}\n");
    input.extend_from_slice(
        b"{\"id\": 42, \"title\": \"Last line\", \"text\": \"No newline at the end.\"}",
    );
    let output = stream(
        &[
            "--config",
            "tests/fixtures/pipelines/small-limits.toml",
            "--reference-date",
            "2024-05-01",
        ],
        plugins.path(),
        input,
    );
    assert!(output.status.success(), "{}", describe(&output));
    let records = lines(&output);
    assert_eq!(records.len(), 9, "{}", describe(&output));
    let kinds: Vec<String> = records
        .iter()
        .map(|line| {
            let record = json(line);
            match record.get("status") {
                None => format!("article {}", record["id"].as_str().unwrap_or_default()),
                Some(_) => format!(
                    "error {}",
                    record["error"]["kind"].as_str().unwrap_or_default()
                ),
            }
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "article good-1",
            "error blank",
            "error blank",
            "error oversized",
            "error invalid-utf8",
            "error invalid-json",
            "error not-an-object",
            "error no-text",
            "article 42",
        ]
    );
    let errors: Vec<&String> = records
        .iter()
        .filter(|line| line.starts_with("{\"status\":"))
        .collect();
    insta::assert_snapshot!(
        "stream_error_records",
        errors
            .iter()
            .map(|line| line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("9 lines in, 9 records out: 2 articles, 7 error records"),
        "{stderr}"
    );
}

#[test]
fn a_panicking_classifier_gives_classify_error_records() {
    let plugins = plugin_folder(&[
        ("copydesk_classify_language", "classify_language"),
        ("copydesk_export_jsonl", "export_jsonl"),
        ("testplugin_panicky_classifier", "panicky"),
    ]);
    let output = stream(
        &["--config", "tests/fixtures/pipelines/panicky-classifier.toml"],
        plugins.path(),
        b"{\"id\": \"p1\", \"title\": \"PANIC now\", \"text\": \"Body.\"}\n{\"id\": \"p2\", \"title\": \"Calm\", \"text\": \"Body.\"}\n".to_vec(),
    );
    assert!(output.status.success(), "{}", describe(&output));
    let records = lines(&output);
    assert_eq!(records.len(), 2, "{}", describe(&output));
    let record = json(&records[0]);
    assert_eq!(record["status"], "error", "{record}");
    assert_eq!(record["error"]["kind"], "classify", "{record}");
    assert_eq!(record["id"], "p1", "{record}");
    let message = record["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("shout"), "{record}");
    assert_eq!(json(&records[1])["id"], "p2");
}

#[test]
fn order_is_kept_with_4_threads_and_output_is_identical_across_runs() {
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let input = sample_records(120);
    let args = ["--chunk-lines", "16", "--reference-date", "2024-05-01"];
    let one = stream(&args, plugins.path(), input.clone().into_bytes());
    let mut four_args = args.to_vec();
    four_args.extend(["--threads", "4"]);
    let four = stream(&four_args, plugins.path(), input.clone().into_bytes());
    let again = stream(&four_args, plugins.path(), input.clone().into_bytes());
    for output in [&one, &four, &again] {
        assert!(output.status.success(), "{}", describe(output));
    }
    let ids_in: Vec<String> = input
        .lines()
        .map(|line| json(line)["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let ids_out: Vec<String> = lines(&four)
        .iter()
        .map(|line| json(line)["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids_in.len(), 120);
    assert_eq!(ids_out, ids_in, "records out of order with 4 threads");
    assert!(one.stdout == four.stdout, "1 and 4 threads differ");
    assert!(four.stdout == again.stdout, "two runs differ");
}

#[test]
fn stream_records_are_the_batch_run_records_byte_for_byte() {
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    // A blank line in the middle: batch skips it, stream answers it with an error record, and
    // the line numbers after it must still agree.
    let mut input = String::new();
    for (idx, line) in sample_records(40).lines().enumerate() {
        if idx == 20 {
            input.push('\n');
        }
        input.push_str(line);
        input.push('\n');
    }
    input.push_str(
        &std::fs::read_to_string(workspace().join("tests/fixtures/corpus/05-records.jsonl"))
            .unwrap_or_else(|error| panic!("{error}")),
    );
    let path = dir.path().join("records.jsonl");
    std::fs::write(&path, &input).unwrap_or_else(|error| panic!("{error}"));
    let path = path.to_string_lossy().into_owned();
    let out = dir.path().join("out").to_string_lossy().into_owned();
    let plugins_arg = plugins.path().to_string_lossy().into_owned();
    let batch = copydesk(&[
        "run",
        &path,
        "--quiet",
        "--out",
        &out,
        "--plugins",
        &plugins_arg,
        "--reference-date",
        "2024-05-01",
    ]);
    assert!(batch.status.success(), "{}", describe(&batch));
    let streamed = stream(
        &["--source-path", &path, "--reference-date", "2024-05-01"],
        plugins.path(),
        input.into_bytes(),
    );
    assert!(streamed.status.success(), "{}", describe(&streamed));
    let articles = std::fs::read_to_string(Path::new(&out).join("articles.jsonl"))
        .unwrap_or_else(|error| panic!("{error}"));
    let batch_records: Vec<&str> = articles.lines().collect();
    let stream_records = lines(&streamed);
    let stream_articles: Vec<&str> = stream_records
        .iter()
        .map(String::as_str)
        .filter(|line| !line.starts_with("{\"status\":"))
        .collect();
    assert!(batch_records.len() > 40, "{}", batch_records.len());
    assert_eq!(
        stream_records.len(),
        stream_articles.len() + 2,
        "one blank line of ours, one of 05-records.jsonl"
    );
    assert_eq!(stream_articles, batch_records);
}

#[test]
fn a_closed_stdout_exits_non_zero_without_a_panic() {
    let plugins = plugin_folder(DEFAULT_PLUGINS);
    let mut child = Command::new(binary())
        .args(["stream", "--chunk-lines", "10", "--plugins"])
        .arg(plugins.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{error}"));
    // The reader goes away before copydesk writes anything.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let record = b"{\"title\": \"T\", \"text\": \"Body.\"}\n";
    for _ in 0..1000 {
        if stdin.write_all(record).is_err() {
            break;
        }
    }
    drop(stdin);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child.wait().unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write standard output"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_broken_plugin_stops_the_stream_before_any_output() {
    let mut with_bad = DEFAULT_PLUGINS.to_vec();
    with_bad.push(("testplugin_bad_abi", "bad_abi"));
    let plugins = plugin_folder(&with_bad);
    let output = stream(
        &[],
        plugins.path(),
        b"{\"title\": \"T\", \"text\": \"Body.\"}\n".to_vec(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(output.stdout.is_empty(), "{}", describe(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("libcopydesk_bad_abi"),
        "{}",
        describe(&output)
    );
}

#[test]
fn plugins_check_json_passes_fails_and_names_the_broken_plugin() {
    let good = plugin_folder(DEFAULT_PLUGINS);
    let ok = copydesk(&[
        "plugins",
        "--check",
        "--json",
        "--plugins",
        &good.path().to_string_lossy(),
    ]);
    assert!(ok.status.success(), "{}", describe(&ok));
    let listing = json(&String::from_utf8_lossy(&ok.stdout));
    assert_eq!(listing["ok"], true, "{listing}");
    let names: Vec<&str> = listing["plugins"]
        .as_array()
        .map(|plugins| {
            plugins
                .iter()
                .filter_map(|plugin| plugin["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        names.contains(&"language") && names.contains(&"jsonl"),
        "{listing}"
    );
    let language = listing["plugins"]
        .as_array()
        .and_then(|plugins| plugins.iter().find(|plugin| plugin["name"] == "language"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(language["kind"], "classifier", "{listing}");
    assert_eq!(language["abi"], 1, "{listing}");

    let mut with_bad = DEFAULT_PLUGINS.to_vec();
    with_bad.push(("testplugin_bad_abi", "bad_abi"));
    let bad = plugin_folder(&with_bad);
    let broken = copydesk(&[
        "plugins",
        "--check",
        "--json",
        "--plugins",
        &bad.path().to_string_lossy(),
    ]);
    assert_eq!(broken.status.code(), Some(1), "{}", describe(&broken));
    let listing = json(&String::from_utf8_lossy(&broken.stdout));
    assert_eq!(listing["ok"], false, "{listing}");
    let path = listing["broken"][0]["path"].as_str().unwrap_or_default();
    assert!(path.ends_with("libcopydesk_bad_abi.so"), "{listing}");
    let reason = listing["broken"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("ABI 999"), "{listing}");
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("1 broken plugin file"),
        "{}",
        describe(&broken)
    );

    // Stream mode needs the classifiers only; run needs the exporter too.
    let classifiers: Vec<(&str, &str)> = DEFAULT_PLUGINS
        .iter()
        .copied()
        .filter(|(lib_name, _)| lib_name.contains("classify"))
        .collect();
    let classifier_only = plugin_folder(&classifiers);
    let folder = classifier_only.path().to_string_lossy().into_owned();
    let for_stream = copydesk(&[
        "plugins",
        "--check",
        "--json",
        "--stream",
        "--plugins",
        &folder,
    ]);
    assert!(for_stream.status.success(), "{}", describe(&for_stream));
    let for_run = copydesk(&["plugins", "--check", "--json", "--plugins", &folder]);
    assert_eq!(for_run.status.code(), Some(1), "{}", describe(&for_run));
    let listing = json(&String::from_utf8_lossy(&for_run.stdout));
    assert_eq!(listing["missing"][0]["name"], "jsonl", "{listing}");
    assert_eq!(listing["missing"][0]["kind"], "exporter", "{listing}");
}

#[test]
fn schema_spark_ddl_has_a_column_for_every_field() {
    let output = copydesk(&["schema", "--format", "spark-ddl"]);
    assert!(output.status.success(), "{}", describe(&output));
    let ddl = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let schema = json(&String::from_utf8_lossy(&copydesk(&["schema"]).stdout));
    let properties = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for name in properties.keys() {
        assert!(
            ddl.contains(&format!("`{name}` ")),
            "no column {name}: {ddl}"
        );
    }
    insta::assert_snapshot!("spark_ddl", ddl);
}
