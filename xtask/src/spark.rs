//! `cargo xtask spark-test`: copydesk under real Apache Spark, in local mode on loopback.
//!
//! Installs Spark with the project's own script (`contrib/spark/setup.sh`: a Debian JDK and a
//! venv under target/ with pyspark and pyarrow), builds copydesk and the plugins in release,
//! generates a corpus from `samples/` in a temporary folder, and checks:
//!
//! - a: 20,000 articles and one malformed line through `contrib/spark/copydesk_spark.py`:
//!   records in = JSON Lines out = Parquet rows + 1, exactly one error record, and the Spark
//!   output, sorted, equals `copydesk stream` run directly on the same input, sorted;
//! - b: a plugin folder holding a plugin built for another ABI: spark-submit exits non-zero and
//!   its stderr names the plugin, both when the driver's plugin check catches it and when the
//!   tasks do (`--no-plugin-check`).
//!
//! It prints the figures (records, seconds) and ends with `N passed, N failed`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use super::{cargo, root, status};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: cargo xtask spark-test [--records N] [--keep]

  --records N   articles to generate (default 20000), plus one malformed line
  --keep        keep the temporary folder (inputs, outputs, logs) and print where it is";

/// The reference date both the direct run and the Spark job use, so their outputs agree.
const REFERENCE_DATE: &str = "2024-05-01";

/// Runs the Spark test; `args` are what follows `spark-test`.
pub fn run(args: &[String]) -> Result {
    let mut n_records: usize = 20_000;
    let mut keep = false;
    let mut args_iter = args.iter();
    while let Some(arg) = args_iter.next() {
        match arg.as_str() {
            "--records" => {
                n_records = args_iter
                    .next()
                    .and_then(|value| value.parse().ok())
                    .ok_or(format!("--records needs a number\n\n{USAGE}"))?;
            }
            "--keep" => keep = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}").into()),
        }
    }
    let started = Instant::now();
    let root = root();

    let setup_started = Instant::now();
    let mut setup = Command::new("bash");
    setup
        .arg(root.join("contrib/spark/setup.sh"))
        .current_dir(&root);
    status(setup)?;
    let setup_seconds = setup_started.elapsed().as_secs_f64();

    let build_started = Instant::now();
    let classifiers = default_classifiers(&root)?;
    let mut build = cargo();
    build.args([
        "build",
        "--release",
        "-p",
        "copydesk",
        "-p",
        "test-plugin-bad-abi",
    ]);
    for name in &classifiers {
        build.args(["-p", &format!("classify-{name}")]);
    }
    status(build)?;
    let build_seconds = build_started.elapsed().as_secs_f64();

    let work = env::temp_dir().join(format!("copydesk-spark-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)?;
    let result = run_checks(&root, &work, n_records, &classifiers);
    if keep {
        println!("spark-test: kept {}", work.display());
    } else {
        let _ = fs::remove_dir_all(&work);
    }
    let checks = result?;

    println!("spark-test: figures");
    println!("  install (setup.sh)        {setup_seconds:>8.1} s");
    println!("  build (release)           {build_seconds:>8.1} s");
    for figure in &checks.figures {
        println!("  {figure}");
    }
    println!(
        "  total                     {:>8.1} s",
        started.elapsed().as_secs_f64()
    );
    for (name, outcome) in &checks.outcomes {
        match outcome {
            Ok(()) => println!("spark-test: ok     {name}"),
            Err(reason) => println!("spark-test: FAILED {name}: {reason}"),
        }
    }
    let n_failed = checks
        .outcomes
        .iter()
        .filter(|(_, outcome)| outcome.is_err())
        .count();
    let n_passed = checks.outcomes.len() - n_failed;
    println!("{n_passed} passed, {n_failed} failed");
    if n_failed > 0 {
        return Err(format!("{n_failed} Spark check(s) failed").into());
    }
    Ok(())
}

/// Named results of the checks, and lines of figures to print.
#[derive(Default)]
struct Checks {
    outcomes: Vec<(String, std::result::Result<(), String>)>,
    figures: Vec<String>,
}

impl Checks {
    fn check(&mut self, name: &str, outcome: std::result::Result<(), String>) {
        self.outcomes.push((name.to_string(), outcome));
    }
}

fn run_checks(
    root: &Path,
    work: &Path,
    n_records: usize,
    classifiers: &[String],
) -> Result<Checks> {
    let mut checks = Checks::default();
    let release = crate::target_dir().join("release");
    let binary = release.join("copydesk");
    let venv = root.join("target/spark-venv");
    let java_home = fs::read_to_string(venv.join("java-home"))?
        .trim()
        .to_string();

    let samples = sample_articles(&root.join("samples"))?;
    if samples.is_empty() {
        return Err("no sample articles in samples/".into());
    }
    let input = work.join("input.jsonl");
    let malformed_at = n_records / 2;
    write_corpus(&input, &samples, n_records, malformed_at)?;
    let n_lines = n_records + 1;
    let small_input = work.join("small.jsonl");
    write_corpus(&small_input, &samples, 100, usize::MAX)?;

    let good_plugins = work.join("plugins");
    let bad_plugins = work.join("plugins-bad");
    for (folder, with_bad) in [(&good_plugins, false), (&bad_plugins, true)] {
        fs::create_dir_all(folder)?;
        // Stream mode runs the classifiers only: no exporter is shipped.
        let mut libraries: Vec<(String, String)> = classifiers
            .iter()
            .map(|name| {
                let lib_name = format!("copydesk_classify_{}", name.replace('-', "_"));
                (lib_name.clone(), lib_name)
            })
            .collect();
        if with_bad {
            libraries.push(("testplugin_bad_abi".into(), "copydesk_bad_abi".into()));
        }
        for (built, installed) in libraries {
            fs::copy(
                release.join(crate::library(&built)),
                folder.join(crate::library(&installed)),
            )?;
        }
        let mut tar = Command::new("tar");
        tar.arg("-czf")
            .arg(folder.with_extension("tar.gz"))
            .arg("-C")
            .arg(folder)
            .arg(".");
        status(tar)?;
    }

    // The reference: copydesk stream run directly on the same input. Two threads, since the
    // output does not depend on the thread count (tests/it/stream.rs checks it) and the
    // check should not take longer than it must.
    let direct = work.join("direct.jsonl");
    let direct_started = Instant::now();
    let direct_run = Command::new(&binary)
        .args(["stream", "--quiet", "--threads", "2", "--no-source-line"])
        .arg("--reference-date")
        .arg(REFERENCE_DATE)
        .arg("--plugins")
        .arg(&good_plugins)
        .stdin(fs::File::open(&input)?)
        .stdout(fs::File::create(&direct)?)
        .stderr(Stdio::piped())
        .output()?;
    let direct_seconds = direct_started.elapsed().as_secs_f64();
    if !direct_run.status.success() {
        return Err(format!(
            "copydesk stream failed: {}",
            String::from_utf8_lossy(&direct_run.stderr)
        )
        .into());
    }
    checks.figures.push(format!(
        "copydesk stream, 2 threads {direct_seconds:>8.1} s for {n_lines} records ({:.0} records/s)",
        n_lines as f64 / direct_seconds.max(1e-9)
    ));

    let spark = Spark {
        root,
        work,
        venv: &venv,
        java_home: &java_home,
        binary: &binary,
    };

    // a: the corpus through Spark.
    let out = work.join("out");
    // About four partitions, so several copydesk processes run side by side.
    let split_bytes = (fs::metadata(&input)?.len() / 4).max(1 << 20);
    let spark_started = Instant::now();
    let job = spark.submit(
        &good_plugins.with_extension("tar.gz"),
        &[
            "--input",
            &input.to_string_lossy(),
            "--output",
            &out.to_string_lossy(),
            "--verify-schema",
            "1000",
        ],
        &[format!("spark.sql.files.maxPartitionBytes={split_bytes}")],
    )?;
    let spark_seconds = spark_started.elapsed().as_secs_f64();
    checks.figures.push(format!(
        "spark-submit local[2]      {spark_seconds:>8.1} s for {n_lines} records ({:.0} records/s, JVM start included)",
        n_lines as f64 / spark_seconds.max(1e-9)
    ));
    let job_ok = job.status.success();
    checks.check(
        "a: spark-submit over the corpus exits 0",
        if job_ok { Ok(()) } else { Err(tail(&job)) },
    );
    if job_ok {
        check_corpus_outputs(&mut checks, &spark, &job, &out, &direct, n_lines)?;
    }

    // b: a broken plugin fails the job, and says which.
    for (name, extra) in [
        ("b: driver's plugin check", None),
        ("b: tasks (--no-plugin-check)", Some("--no-plugin-check")),
    ] {
        let out = work.join(format!("out-bad-{}", extra.is_some()));
        let mut args = vec![
            "--input".to_string(),
            small_input.to_string_lossy().into_owned(),
            "--output".to_string(),
            out.to_string_lossy().into_owned(),
        ];
        args.extend(extra.map(str::to_string));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let bad_started = Instant::now();
        let job = spark.submit(&bad_plugins.with_extension("tar.gz"), &args, &[])?;
        checks.figures.push(format!(
            "spark-submit, bad plugin   {:>8.1} s ({name})",
            bad_started.elapsed().as_secs_f64()
        ));
        let stderr = String::from_utf8_lossy(&job.stderr);
        checks.check(
            &format!("{name}: a broken plugin makes spark-submit exit non-zero"),
            if job.status.success() {
                Err("spark-submit exited 0".to_string())
            } else {
                Ok(())
            },
        );
        checks.check(
            &format!("{name}: spark-submit's stderr names the plugin"),
            if stderr.contains("libcopydesk_bad_abi") {
                Ok(())
            } else {
                Err(format!(
                    "no `libcopydesk_bad_abi` in stderr: {}",
                    tail(&job)
                ))
            },
        );
    }
    Ok(checks)
}

fn check_corpus_outputs(
    checks: &mut Checks,
    spark: &Spark<'_>,
    job: &Output,
    out: &Path,
    direct: &Path,
    n_lines: usize,
) -> Result {
    let stdout = String::from_utf8_lossy(&job.stdout);
    let counts = stdout
        .lines()
        .find_map(|line| line.strip_prefix("copydesk-spark: {"))
        .map(|counts| format!("{{{counts}"))
        .unwrap_or_default()
        .to_string();
    let count = |key: &str| json_number(&counts, key);
    let n_records = n_lines as u64;
    checks.check(
        "a: the driver's counts: records in = records out, one error",
        if count("records_in") == Some(n_records)
            && count("records_out") == Some(n_records)
            && count("articles") == Some(n_records - 1)
            && count("errors") == Some(1)
            && count("parquet_rows") == Some(n_records - 1)
        {
            Ok(())
        } else {
            Err(format!("counts: {counts}"))
        },
    );
    let articles = read_parts(&out.join("articles.jsonl"))?;
    let rejects = read_parts(&out.join("rejects.jsonl"))?;
    checks.check(
        "a: records in = JSON Lines out (articles + rejects)",
        if articles.len() + rejects.len() == n_lines {
            Ok(())
        } else {
            Err(format!(
                "{} lines in, {} articles + {} rejects out",
                n_lines,
                articles.len(),
                rejects.len()
            ))
        },
    );
    checks.check(
        "a: exactly one error record, for the malformed line",
        match rejects.as_slice() {
            [only]
                if only
                    .starts_with("{\"status\":\"error\",\"error\":{\"kind\":\"invalid-json\"") =>
            {
                Ok(())
            }
            other => Err(format!("rejects: {other:?}")),
        },
    );
    let parquet_rows = spark.parquet_rows(&out.join("articles.parquet"))?;
    checks.check(
        "a: Parquet rows (read back with pyarrow) = article records",
        if parquet_rows == Some(articles.len() as u64) {
            Ok(())
        } else {
            Err(format!(
                "{parquet_rows:?} Parquet rows, {} articles",
                articles.len()
            ))
        },
    );
    let mut from_spark: Vec<String> = articles.into_iter().chain(rejects).collect();
    from_spark.sort_unstable();
    let mut from_direct: Vec<String> = fs::read_to_string(direct)?
        .lines()
        .map(str::to_string)
        .collect();
    from_direct.sort_unstable();
    checks.check(
        "a: sorted Spark output = sorted `copydesk stream` output, byte for byte",
        if from_spark == from_direct {
            Ok(())
        } else {
            let first_difference = from_spark
                .iter()
                .zip(&from_direct)
                .position(|(spark_line, direct_line)| spark_line != direct_line);
            Err(format!(
                "{} lines from Spark, {} direct; first difference at sorted line {first_difference:?}",
                from_spark.len(),
                from_direct.len()
            ))
        },
    );
    Ok(())
}

/// How to run `spark-submit` from the venv against the JDK the setup script pinned.
struct Spark<'a> {
    root: &'a Path,
    work: &'a Path,
    venv: &'a Path,
    java_home: &'a str,
    binary: &'a Path,
}

impl Spark<'_> {
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        let path = env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![self.venv.join("bin"), Path::new(self.java_home).join("bin")];
        paths.extend(env::split_paths(&path));
        command
            .current_dir(self.root)
            .env("JAVA_HOME", self.java_home)
            .env("PATH", env::join_paths(paths).unwrap_or(path))
            .env("PYSPARK_PYTHON", self.venv.join("bin/python"))
            .env("PYSPARK_DRIVER_PYTHON", self.venv.join("bin/python"))
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env_remove("SPARK_HOME")
            .env_remove("PYSPARK_SUBMIT_ARGS");
        command
    }

    /// `spark-submit` of the driver in local mode on loopback, shipping the binary with
    /// --files and the plugin archive with --archives.
    fn submit(&self, plugins: &Path, driver_args: &[&str], conf: &[String]) -> Result<Output> {
        let python = self.venv.join("bin/python");
        let mut command = self.command(&self.venv.join("bin/spark-submit"));
        command.args(["--master", "local[2]", "--driver-memory", "2g"]);
        let mut settings = vec![
            "spark.driver.bindAddress=127.0.0.1".to_string(),
            "spark.driver.host=127.0.0.1".to_string(),
            "spark.ui.enabled=false".to_string(),
            "spark.sql.shuffle.partitions=2".to_string(),
            format!(
                "spark.local.dir={}",
                self.work.join("spark-local").display()
            ),
            format!("spark.pyspark.python={}", python.display()),
            format!("spark.pyspark.driver.python={}", python.display()),
        ];
        settings.extend_from_slice(conf);
        for setting in settings {
            command.arg("--conf").arg(setting);
        }
        command
            .arg("--files")
            .arg(self.binary)
            .arg("--archives")
            .arg(format!("{}#copydesk-plugins", plugins.display()))
            .arg(self.root.join("contrib/spark/copydesk_spark.py"))
            .args(driver_args)
            .args(["--reference-date", REFERENCE_DATE]);
        let shown = format!("{command:?}");
        let output = command
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("cannot start {shown}: {error}"))?;
        Ok(output)
    }

    /// Rows of a Parquet folder, read with pyarrow (not Spark) from the venv.
    fn parquet_rows(&self, folder: &Path) -> Result<Option<u64>> {
        let output = self
            .command(&self.venv.join("bin/python"))
            .args([
                "-c",
                "import sys, pyarrow.parquet as pq; print(pq.read_table(sys.argv[1]).num_rows)",
            ])
            .arg(folder)
            .output()?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().parse().ok())
    }
}

/// The classifiers of the built-in pipeline (`crates/engine/src/default.toml`), which the
/// stream runs; their packages are `classify-NAME` by the workspace's convention.
fn default_classifiers(root: &Path) -> Result<Vec<String>> {
    let pipeline = fs::read_to_string(root.join("crates/engine/src/default.toml"))?;
    let mut section = "";
    let mut names = Vec::new();
    for line in pipeline.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
        } else if section == "[[classify]]"
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "plugin"
        {
            names.push(value.trim().trim_matches('"').to_string());
        }
    }
    Ok(names)
}

/// `(headline, body)` of every plain-text article in `samples/`, in sorted order.
fn sample_articles(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut paths = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut articles = Vec::new();
    for path in paths {
        let text = fs::read_to_string(&path)?;
        let text = text.trim_start();
        let (headline, body) = text.split_once('\n').unwrap_or((text, ""));
        articles.push((headline.trim().to_string(), body.trim().to_string()));
    }
    Ok(articles)
}

/// `n_records` JSON Lines records cycling through the samples, each with its own id, URL and
/// date, and one malformed line before record `malformed_at` (none when out of range).
fn write_corpus(
    path: &Path,
    samples: &[(String, String)],
    n_records: usize,
    malformed_at: usize,
) -> Result {
    let mut text = String::new();
    for record_idx in 0..n_records {
        if record_idx == malformed_at {
            text.push_str("{\"id\": \"spark-broken\", \"title\": \"Cut short\", \"text\": \n");
        }
        let (headline, body) = &samples[record_idx % samples.len()];
        let month = 1 + (record_idx / 28) % 12;
        let day = 1 + record_idx % 28;
        text.push_str(&format!(
            "{{\"id\":\"spark-{record_idx:06}\",\"title\":{},\"text\":{},\"url\":\"https://news.example/{record_idx}\",\"date_publish\":\"2022-{month:02}-{day:02}\"}}\n",
            json_string(headline),
            json_string(body)
        ));
    }
    fs::write(path, text)?;
    Ok(())
}

/// A JSON string literal (xtask is plain std, so no serde_json).
fn json_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            control if (control as u32) < 0x20 => {
                quoted.push_str(&format!("\\u{:04x}", control as u32));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// The unsigned number after `"key":` in a flat JSON object.
fn json_number(json: &str, key: &str) -> Option<u64> {
    let after = json.split(&format!("\"{key}\":")).nth(1)?;
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Lines of every `part-*` file of a Spark output folder.
fn read_parts(folder: &Path) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut parts: Vec<PathBuf> = fs::read_dir(folder)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("part-"))
        })
        .collect();
    parts.sort();
    for part in parts {
        lines.extend(fs::read_to_string(&part)?.lines().map(str::to_string));
    }
    Ok(lines)
}

/// The end of a command's stderr, for failure messages.
fn tail(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.len().saturating_sub(40);
    format!("{:?}\n{}", output.status, lines[start..].join("\n"))
}
