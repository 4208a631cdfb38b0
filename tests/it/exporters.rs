//! The exporters through the binary: every file of a samples run read back by the tool its
//! users open it with (the `csv` crate, SQLite, the `parquet` crate, a headless browser,
//! pandas and DuckDB), the documented SQL queries run, re-runs upserted, failures reported.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tests::{DEFAULT_PLUGINS, build_dir, copydesk, describe, plugin_folder, workspace};

/// The default plugins and every exporter of this suite.
/// The exporters beyond the default pipeline's (JSON Lines, SQLite, the HTML report).
const EXPORT_PLUGINS: &[(&str, &str)] = &[
    ("copydesk_export_csv", "export_csv"),
    ("copydesk_export_parquet", "export_parquet"),
    ("copydesk_export_markdown", "export_markdown"),
];

const ALL_EXPORTERS: &str = "tests/fixtures/pipelines/all-exporters.toml";

/// Number of articles in `samples/`.
const N_SAMPLES: usize = 294;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&out.join("report.json"))).unwrap_or_else(|error| panic!("{error}"))
}

/// `copydesk run --quiet --out OUT --plugins (default + exporters) ARGS`.
fn run(args: &[&str], out: &Path) -> std::process::Output {
    let mut libraries = DEFAULT_PLUGINS.to_vec();
    libraries.extend_from_slice(EXPORT_PLUGINS);
    let plugins = plugin_folder(&libraries);
    let plugins = plugins.path().to_string_lossy().into_owned();
    let out = out.to_string_lossy().into_owned();
    let mut full = vec!["run", "--quiet", "--out", &out, "--plugins", &plugins];
    full.extend_from_slice(args);
    copydesk(&full)
}

/// The output folder of one run of every exporter over `samples/`, shared by the tests that
/// only read it (the run takes a few seconds in a debug build).
fn samples_run() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = build_dir().join("it-exporters/samples");
        let _ = std::fs::remove_dir_all(&out);
        let output = run(&["samples", "--config", ALL_EXPORTERS], &out);
        assert!(output.status.success(), "{}", describe(&output));
        out
    })
}

fn open_database(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn count(connection: &rusqlite::Connection, sql: &str) -> i64 {
    connection
        .query_row(sql, [], |row| row.get(0))
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

/// Names of the files in a folder, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_exporter_writes_its_files_and_nothing_else() {
    let out = samples_run();
    assert_eq!(
        file_names(out),
        [
            "articles.csv",
            "articles.jsonl",
            "articles.parquet",
            "articles.sqlite",
            "digest.md",
            "entities.csv",
            "quotes.csv",
            "quotes.parquet",
            "rejects.jsonl",
            "report.html",
            "report.json",
        ],
        "no temporary file may be left behind"
    );
    let report = report(out);
    assert_eq!(report["n_exported"], N_SAMPLES, "{report}");
    for exporter in [
        "jsonl",
        "csv",
        "sqlite",
        "parquet",
        "markdown",
        "html-report",
    ] {
        assert!(
            report["stage_seconds"][format!("export:{exporter}")].is_number(),
            "{report}"
        );
    }
}

#[test]
fn csv_files_are_rfc_4180_with_one_row_per_article() {
    let out = samples_run();
    let mut reader =
        csv::Reader::from_path(out.join("articles.csv")).unwrap_or_else(|error| panic!("{error}"));
    let header = reader.headers().cloned().unwrap_or_default();
    assert_eq!(&header[0], "id");
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|row| row.unwrap_or_else(|error| panic!("articles.csv: {error}")))
        .collect();
    assert_eq!(rows.len(), N_SAMPLES);
    let column = |name: &str| header.iter().position(|field| field == name).unwrap_or(99);
    let seed = rows
        .iter()
        .find(|row| &row[column("source_path")] == "samples/seed-article.txt")
        .unwrap_or_else(|| panic!("the seed article is in articles.csv"));
    assert_eq!(
        &seed[column("headline")],
        "Putin sends message of hope to the UN to end the war in Ukraine"
    );
    assert_eq!(&seed[column("language")], "en");
    for file in ["quotes.csv", "entities.csv"] {
        let mut reader =
            csv::Reader::from_path(out.join(file)).unwrap_or_else(|error| panic!("{error}"));
        assert!(
            reader
                .headers()
                .is_ok_and(|header| &header[0] == "article_id")
        );
        for row in reader.records() {
            row.unwrap_or_else(|error| panic!("{file}: {error}"));
        }
    }
}

#[test]
fn fixture_corpus_exports_as_text_snapshots() {
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let output = run(
        &["tests/fixtures/corpus", "--config", ALL_EXPORTERS],
        out.path(),
    );
    assert!(output.status.success(), "{}", describe(&output));
    insta::assert_snapshot!(
        "fixture_corpus_articles_csv",
        read(&out.path().join("articles.csv"))
    );
    insta::assert_snapshot!("fixture_corpus_digest", read(&out.path().join("digest.md")));
}

#[test]
fn sqlite_holds_the_run_and_finds_guterres() {
    let database = open_database(&samples_run().join("articles.sqlite"));
    assert_eq!(
        count(&database, "SELECT count(*) FROM articles"),
        N_SAMPLES as i64
    );
    let paragraphs: i64 = count(&database, "SELECT sum(n_paragraphs) FROM articles");
    assert_eq!(
        count(&database, "SELECT count(*) FROM paragraphs"),
        paragraphs
    );
    assert_eq!(
        count(
            &database,
            "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL"
        ),
        1
    );
    let found: Vec<String> = database
        .prepare("SELECT a.source_path FROM articles_fts JOIN articles a ON a.article_key = articles_fts.rowid WHERE articles_fts MATCH 'Guterres'")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()
        })
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        found.contains(&"samples/seed-article.txt".to_string()),
        "{found:?}"
    );
    let journal: String = database
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap_or_default();
    assert_eq!(
        journal, "delete",
        "the delivered database is one self-contained file"
    );
    let mut foreign_key_check = database
        .prepare("PRAGMA foreign_key_check")
        .unwrap_or_else(|error| panic!("{error}"));
    let n_dangling = foreign_key_check
        .query_map([], |_| Ok(()))
        .unwrap_or_else(|error| panic!("{error}"))
        .count();
    assert_eq!(n_dangling, 0, "every foreign key points at a row");
}

/// The SQL blocks of `docs/sqlite.md` under `### ` headings, with their headings.
fn documented_queries() -> Vec<(String, String)> {
    let doc = read(&workspace().join("docs/sqlite.md"));
    let mut queries = Vec::new();
    let mut heading = String::new();
    let mut block: Option<String> = None;
    for line in doc.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            heading = title.to_string();
        } else if line.trim() == "```sql" && heading.chars().next().is_some_and(char::is_numeric) {
            block = Some(String::new());
        } else if line.trim() == "```" {
            if let Some(sql) = block.take() {
                queries.push((heading.clone(), sql));
            }
        } else if let Some(sql) = block.as_mut() {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    queries
}

#[test]
fn the_five_documented_queries_run_against_a_real_run() {
    let queries = documented_queries();
    assert_eq!(
        queries.len(),
        5,
        "docs/sqlite.md documents five queries: {queries:?}"
    );
    let database = open_database(&samples_run().join("articles.sqlite"));
    for (heading, sql) in &queries {
        // Parameters in the documentation are named (:person, :first, :second, :words).
        let mut statement = database
            .prepare(sql)
            .unwrap_or_else(|error| panic!("{heading}: {error}\n{sql}"));
        for idx in 1..=statement.parameter_count() {
            let name = statement
                .parameter_name(idx)
                .unwrap_or_default()
                .to_string();
            let value = match name.as_str() {
                ":person" => "Antony Blinken",
                ":first" => "Vladimir Putin",
                ":second" => "Antonio Guterres",
                ":words" => "Guterres",
                other => panic!("{heading}: unknown parameter {other}"),
            };
            statement
                .raw_bind_parameter(idx, value)
                .unwrap_or_else(|error| panic!("{heading}: {error}"));
        }
        let mut rows = statement.raw_query();
        let mut n_rows = 0;
        while let Some(_row) = rows
            .next()
            .unwrap_or_else(|error| panic!("{heading}: {error}"))
        {
            n_rows += 1;
        }
        if heading.contains("Full-text") {
            assert!(
                n_rows >= 1,
                "{heading}: the seed article matches 'Guterres'"
            );
        }
    }
}

#[test]
fn rerunning_into_the_same_folder_upserts_and_records_both_runs() {
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    for _ in 0..2 {
        let output = run(
            &["tests/fixtures/corpus", "--config", ALL_EXPORTERS],
            out.path(),
        );
        assert!(output.status.success(), "{}", describe(&output));
    }
    let n_exported = report(out.path())["n_exported"]
        .as_i64()
        .unwrap_or_default();
    let database = open_database(&out.path().join("articles.sqlite"));
    assert_eq!(
        count(&database, "SELECT count(*) FROM articles"),
        n_exported
    );
    assert_eq!(
        count(&database, "SELECT count(*) FROM articles_fts"),
        n_exported
    );
    assert_eq!(count(&database, "SELECT count(*) FROM runs"), 2);
    assert_eq!(
        count(&database, "SELECT n_replaced FROM runs WHERE run_id = 2"),
        n_exported
    );
    assert!(
        !file_names(out.path())
            .iter()
            .any(|name| name.starts_with('.') || name.ends_with("-wal")),
        "{:?}",
        file_names(out.path())
    );
}

#[test]
fn parquet_files_read_back_with_the_parquet_crate() {
    use arrow::array::{Array, AsArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let out = samples_run();
    let file =
        std::fs::File::open(out.join("articles.parquet")).unwrap_or_else(|error| panic!("{error}"));
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).unwrap_or_else(|error| panic!("{error}"));
    let metadata = builder.metadata().clone();
    assert_eq!(
        metadata.num_row_groups(),
        N_SAMPLES.div_ceil(100),
        "row_group_size = 100 in {ALL_EXPORTERS}"
    );
    let schema = builder.schema().clone();
    for field in [
        "id",
        "headline",
        "published",
        "paragraphs",
        "labels",
        "entities",
    ] {
        assert!(schema.field_with_name(field).is_ok(), "{field} in {schema}");
    }
    let reader = builder.build().unwrap_or_else(|error| panic!("{error}"));
    let mut n_rows = 0;
    let mut seed_paragraphs = None;
    for batch in reader {
        let batch = batch.unwrap_or_else(|error| panic!("{error}"));
        n_rows += batch.num_rows();
        let paths = batch
            .column_by_name("source_path")
            .map(|column| column.as_string::<i32>().clone());
        let headlines = batch
            .column_by_name("headline")
            .map(|column| column.as_string::<i32>().clone());
        let paragraphs = batch
            .column_by_name("paragraphs")
            .map(|column| column.as_list::<i32>().clone());
        let (Some(paths), Some(headlines), Some(paragraphs)) = (paths, headlines, paragraphs)
        else {
            panic!("columns missing in {schema}");
        };
        for row in 0..batch.num_rows() {
            if paths.is_valid(row) && paths.value(row) == "samples/seed-article.txt" {
                assert_eq!(
                    headlines.value(row),
                    "Putin sends message of hope to the UN to end the war in Ukraine"
                );
                seed_paragraphs = Some(paragraphs.value(row).len());
            }
        }
    }
    assert_eq!(n_rows, N_SAMPLES);
    let jsonl = read(&out.join("articles.jsonl"));
    let seed: serde_json::Value = jsonl
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|article| article["source"]["path"] == "samples/seed-article.txt")
        .unwrap_or_default();
    assert_eq!(
        seed_paragraphs,
        seed["paragraphs"].as_array().map(Vec::len),
        "the seed article's paragraphs, as a nested list"
    );

    let file =
        std::fs::File::open(out.join("quotes.parquet")).unwrap_or_else(|error| panic!("{error}"));
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).unwrap_or_else(|error| panic!("{error}"));
    let n_quotes: i64 = builder.metadata().file_metadata().num_rows();
    let quotes_csv = read(&out.join("quotes.csv"));
    let n_quotes_csv = csv::Reader::from_reader(quotes_csv.as_bytes())
        .records()
        .count();
    assert_eq!(n_quotes, n_quotes_csv as i64);
}

#[test]
fn an_exporter_that_fails_stops_the_run_naming_it() {
    // The final name of report.html is taken by a folder with a file in it: the exporter
    // writes everything, then cannot rename its temporary file at finish.
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let blocker = out.path().join("report.html");
    std::fs::create_dir_all(blocker.join("occupied")).unwrap_or_else(|error| panic!("{error}"));
    let output = run(
        &[
            "tests/fixtures/corpus",
            "--config",
            "tests/fixtures/pipelines/report-only.toml",
        ],
        out.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("html-report"), "{}", describe(&output));
    assert!(
        !file_names(out.path())
            .iter()
            .any(|name| name.starts_with(".report.html")),
        "the temporary file is removed: {:?}",
        file_names(out.path())
    );

    let output = run(
        &[
            "tests/fixtures/corpus",
            "--config",
            "tests/fixtures/pipelines/bad-exporter-option.toml",
        ],
        out.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("csv") && stderr.contains("delimiter"),
        "{}",
        describe(&output)
    );
}

/// A program on `PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// True when running in CI, where a missing tool is a failure rather than a skip.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}

/// Headless Chromium with nothing of its own going on: no sync, no component updates, no
/// background requests, a fresh profile.
fn chromium(binary: &Path, profile: &Path) -> Command {
    let mut command = Command::new(binary);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--virtual-time-budget=5000",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// Every `src="…"` and `href="…"` value in an HTML text.
fn link_targets(html: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for attribute in ["src=\"", "href=\"", "src='", "href='"] {
        let quote = attribute.chars().last().unwrap_or('"');
        let mut rest = html;
        while let Some(found) = rest.find(attribute) {
            rest = &rest[found + attribute.len()..];
            let end = rest.find(quote).unwrap_or(rest.len());
            targets.push(rest[..end].to_string());
        }
    }
    targets
}

/// URLs of the requests a page (not the browser itself) started, from a Chromium net log.
fn page_requests(net_log: &Path) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(&read(net_log))
        .unwrap_or_else(|error| panic!("{}: {error}", net_log.display()));
    let start_job = &log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    assert!(
        start_job.is_number(),
        "not a Chromium net log: {}",
        net_log.display()
    );
    log["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|event| &event["type"] == start_job && event["params"]["initiator"].is_string())
        .filter(|event| event["params"]["initiator"] != "not an origin")
        .map(|event| event["params"]["url"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn report_renders_in_headless_chromium_without_any_network_request() {
    let Some(browser) = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| on_path(&["chromium", "chromium-browser", "google-chrome"]))
    else {
        assert!(
            !in_ci(),
            "CI=true but chromium is missing: .ci/run installs it (apt-get install chromium)"
        );
        eprintln!(
            "skipped: chromium is not installed (CI installs it; `apt-get install chromium`)"
        );
        return;
    };
    let report = samples_run().join("report.html");
    let url = format!("file://{}", report.display());
    let scratch = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let net_log = scratch.path().join("net-log.json");

    let dump = chromium(&browser, &scratch.path().join("profile-dom"))
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", browser.display()));
    assert!(dump.status.success(), "{}", describe(&dump));
    let dom = String::from_utf8_lossy(&dump.stdout).into_owned();

    // The charts and tables are there, and the script ran: it filled the article list.
    assert!(dom.matches("<svg").count() >= 5, "five charts expected");
    assert!(dom.contains("Topics") && dom.contains("Languages") && dom.contains("Sources"));
    assert!(dom.matches("<table").count() >= 3, "tables expected");
    assert!(
        dom.contains(&format!("data-rendered=\"{N_SAMPLES}\"")),
        "the script lists all {N_SAMPLES} articles"
    );
    assert_eq!(dom.matches("<tr data-idx=").count(), N_SAMPLES);
    assert!(dom.contains(&format!("{N_SAMPLES} of {N_SAMPLES} articles")));
    // No request can leave the page: nothing links out, and the page forbids itself requests.
    let external: Vec<String> = link_targets(&dom)
        .into_iter()
        .filter(|target| !(target.starts_with('#') || target.starts_with("data:")))
        .collect();
    assert!(external.is_empty(), "links out of the page: {external:?}");
    assert!(
        dom.contains("default-src 'none'"),
        "the CSP forbids requests"
    );

    // Chromium's own record of its network stack: no request was started by the page. The
    // browser makes requests of its own even with background networking disabled (time,
    // component updates); their initiator is "not an origin", while anything a document asks
    // for carries the document's origin ("null" for a file). A control page that does make
    // requests proves the check sees them.
    assert!(
        page_requests(&net_log).is_empty(),
        "the report made network requests: {:?}",
        page_requests(&net_log)
    );
    let leaky = scratch.path().join("leaky.html");
    std::fs::write(
        &leaky,
        "<!DOCTYPE html><img src=\"http://127.0.0.1:9/pixel.png\"><script>fetch('http://127.0.0.1:9/data')</script>",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let control_log = scratch.path().join("net-log-control.json");
    let control = chromium(&browser, &scratch.path().join("profile-control"))
        .arg(format!("--log-net-log={}", control_log.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", leaky.display()))
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", browser.display()));
    assert!(control.status.success(), "{}", describe(&control));
    let caught = page_requests(&control_log);
    assert!(
        caught
            .iter()
            .any(|url| url.contains("127.0.0.1:9/pixel.png")),
        "the net-log check must catch a page's requests: {caught:?}"
    );

    // A screenshot, as an editor would see the page (docs/report-screenshot.png is one).
    let screenshot = build_dir().join("it-exporters/report-screenshot.png");
    let shot = chromium(&browser, &scratch.path().join("profile-shot"))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg("--window-size=1280,2200")
        .arg(&url)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", browser.display()));
    assert!(shot.status.success(), "{}", describe(&shot));
    let png = std::fs::read(&screenshot).unwrap_or_default();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a screenshot of the rendered page ({} bytes)",
        png.len()
    );
    eprintln!("report screenshot: {}", screenshot.display());
}

#[test]
fn pandas_pyarrow_and_duckdb_read_the_files_and_agree() {
    let python = std::env::var_os("COPYDESK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/pyenv/bin/python"));
    if !python.is_file() {
        assert!(
            !in_ci(),
            "CI=true but {} is missing: .ci/run creates it with contrib/checks/pyenv.sh",
            python.display()
        );
        eprintln!(
            "skipped: no Python environment at {} (create it with contrib/checks/pyenv.sh)",
            python.display()
        );
        return;
    }
    let output = Command::new(&python)
        .arg(workspace().join("contrib/checks/readback.py"))
        .arg(samples_run())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
    assert!(output.status.success(), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("duckdb count(*) articles.parquet"),
        "{stdout}"
    );
    assert!(!stdout.contains("MISMATCH"), "{stdout}");
}
