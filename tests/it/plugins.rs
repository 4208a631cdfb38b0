//! Plugin loading and plugin faults: a bad plugin is a clear error naming it, a panicking
//! classifier turns into rejects, a failing exporter fails the run without a partial file.

use tests::{DEFAULT_PLUGINS, copydesk, describe, plugin_folder};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn with_default(extra: &[(&'static str, &'static str)]) -> tempfile::TempDir {
    let mut libraries = DEFAULT_PLUGINS.to_vec();
    libraries.extend_from_slice(extra);
    plugin_folder(&libraries)
}

#[test]
fn plugins_lists_the_real_plugins() {
    let folder = plugin_folder(DEFAULT_PLUGINS);
    let output = copydesk(&["plugins", "--plugins", &folder.path().to_string_lossy()]);
    assert!(output.status.success(), "{}", describe(&output));
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(
        listing.contains("language     classifier  0.1.0     1"),
        "{listing}"
    );
    assert!(
        listing.contains("jsonl        exporter    0.1.0     1"),
        "{listing}"
    );
}

#[test]
fn wrong_abi_version_is_refused_naming_the_plugin_and_both_versions() {
    let folder = with_default(&[("testplugin_bad_abi", "bad_abi")]);
    let folder_arg = folder.path().to_string_lossy().into_owned();
    let listing = copydesk(&["plugins", "--plugins", &folder_arg]);
    let listing_text = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing_text.contains("libcopydesk_bad_abi"),
        "{listing_text}"
    );
    assert!(
        listing_text.contains("built for plugin ABI 999"),
        "{listing_text}"
    );
    assert!(listing_text.contains("supports ABI 1"), "{listing_text}");

    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let run = copydesk(&[
        "run",
        "samples",
        "--quiet",
        "--plugins",
        &folder_arg,
        "--out",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", describe(&run));
    assert!(
        stderr(&run).contains("libcopydesk_bad_abi"),
        "{}",
        describe(&run)
    );
    assert!(stderr(&run).contains("ABI 999"), "{}", describe(&run));
    assert!(
        !out.path().join("articles.jsonl").exists(),
        "nothing may run with a broken plugin"
    );
}

#[test]
fn missing_entry_symbol_is_a_load_error() {
    let folder = with_default(&[("testplugin_no_entry", "no_entry")]);
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let run = copydesk(&[
        "run",
        "samples",
        "--quiet",
        "--plugins",
        &folder.path().to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", describe(&run));
    assert!(
        stderr(&run).contains("libcopydesk_no_entry"),
        "{}",
        describe(&run)
    );
    assert!(
        stderr(&run).contains("copydesk_plugin_v1"),
        "{}",
        describe(&run)
    );
}

#[test]
fn panicking_classifier_rejects_only_the_articles_it_panics_on() {
    let folder = with_default(&[("testplugin_panicky_classifier", "panicky_classifier")]);
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"title\": \"Calm news\", \"text\": \"Nothing happened today in the quiet town.\"}\n\
         {\"title\": \"PANIC in the streets\", \"text\": \"Everyone ran around shouting loudly.\"}\n\
         {\"title\": \"More calm\", \"text\": \"Still nothing happened in the quiet town.\"}\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let out = dir.path().join("out");
    let run = copydesk(&[
        "run",
        &input.to_string_lossy(),
        "--quiet",
        "--config",
        "tests/fixtures/pipelines/panicky-classifier.toml",
        "--plugins",
        &folder.path().to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(run.status.success(), "{}", describe(&run));
    let articles = std::fs::read_to_string(out.join("articles.jsonl")).unwrap_or_default();
    assert_eq!(articles.lines().count(), 2);
    assert!(
        articles.contains("\"panicky\":[{\"value\":\"calm\""),
        "{articles}"
    );
    let rejects = std::fs::read_to_string(out.join("rejects.jsonl")).unwrap_or_default();
    assert!(rejects.contains("in.jsonl:2"), "{rejects}");
    assert!(
        rejects.contains("plugin `panicky` panicked: cannot stand headlines that shout"),
        "{rejects}"
    );
}

#[test]
fn panicking_exporter_fails_the_run_and_leaves_no_partial_file() {
    let folder = with_default(&[("testplugin_panicky_exporter", "panicky_exporter")]);
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let run = copydesk(&[
        "run",
        "samples",
        "--quiet",
        "--config",
        "tests/fixtures/pipelines/panicky-exporter.toml",
        "--plugins",
        &folder.path().to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", describe(&run));
    assert!(
        stderr(&run)
            .contains("exporter `panicky` failed: panicked: the third article is one too many"),
        "{}",
        describe(&run)
    );
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !leftovers.iter().any(|name| name.contains("panicky")),
        "partial output left: {leftovers:?}"
    );
    assert!(
        !leftovers.iter().any(|name| name.ends_with(".tmp")),
        "temporary files left: {leftovers:?}"
    );
}

#[test]
fn unknown_plugin_option_is_a_load_time_error_naming_plugin_and_option() {
    let folder = plugin_folder(DEFAULT_PLUGINS);
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let run = copydesk(&[
        "run",
        "samples",
        "--quiet",
        "--config",
        "tests/fixtures/pipelines/bad-options.toml",
        "--plugins",
        &folder.path().to_string_lossy(),
        "--out",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", describe(&run));
    let message = stderr(&run);
    assert!(message.contains("classifier `language`"), "{message}");
    assert!(message.contains("colour"), "{message}");
}
