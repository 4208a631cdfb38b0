//! Helpers for copydesk's integration tests: where the workspace, the built binary and the
//! built plugins are, and running the binary.
//!
//! The binary and plugins are built by `cargo xtask test` before the tests run; a test that
//! cannot find them says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// The cargo output folder of this build (`target/debug`), found from the test executable.
pub fn build_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/debug/deps/it-HASH → target/debug
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| workspace().join("target/debug"))
}

/// The `copydesk` binary.
pub fn binary() -> PathBuf {
    let path = build_dir().join(format!("copydesk{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: run the tests with `cargo xtask test`, which builds it and the plugins",
        path.display()
    );
    path
}

/// A built plugin library by its `[lib] name`.
pub fn plugin_library(lib_name: &str) -> PathBuf {
    let path = build_dir().join(format!(
        "{}{lib_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    assert!(
        path.is_file(),
        "{} is missing: run the tests with `cargo xtask test`, which builds every plugin",
        path.display()
    );
    path
}

/// A fresh plugin folder holding copies of the named libraries: `(lib name, name to install
/// it as)`, e.g. `("testplugin_bad_abi", "bad_abi")` becomes `libcopydesk_bad_abi.so`.
pub fn plugin_folder(libraries: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("temp dir: {error}"));
    for (lib_name, installed_as) in libraries {
        let target = folder.path().join(format!(
            "{}copydesk_{installed_as}{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        ));
        std::fs::copy(plugin_library(lib_name), &target)
            .unwrap_or_else(|error| panic!("copy plugin {lib_name}: {error}"));
    }
    folder
}

/// The real plugins of the default pipeline.
pub const DEFAULT_PLUGINS: &[(&str, &str)] = &[
    ("copydesk_classify_language", "classify_language"),
    ("copydesk_classify_topic", "classify_topic"),
    ("copydesk_classify_tone", "classify_tone"),
    ("copydesk_export_jsonl", "export_jsonl"),
    ("copydesk_export_sqlite", "export_sqlite"),
    ("copydesk_export_html_report", "export_html_report"),
];

/// The day dates are resolved against in tests (`--reference-date`), so that snapshots do not
/// depend on the day the tests run.
pub const REFERENCE_DATE: &str = "2022-05-01";

/// Runs `copydesk ARGS` in the workspace root. `run`, `inspect` and `stream` get
/// `--reference-date` [`REFERENCE_DATE`] unless ARGS name one.
pub fn copydesk(args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command.args(args);
    let dated = matches!(args.first(), Some(&("run" | "inspect" | "stream")));
    if dated && !args.contains(&"--reference-date") {
        command.args(["--reference-date", REFERENCE_DATE]);
    }
    command
        .current_dir(workspace())
        .output()
        .unwrap_or_else(|error| panic!("cannot run copydesk: {error}"))
}

/// stdout and stderr of a finished command, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The shared data folder (`../shared/data` beside the workspace), when this machine has it.
pub fn shared_data() -> Option<PathBuf> {
    let path = workspace().parent()?.join("shared/data");
    path.is_dir().then_some(path)
}
