//! `report.json` and `rejects.jsonl`.

use std::collections::BTreeMap;

use serde::Serialize;

/// One line of `rejects.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct RejectRecord {
    /// The input: a path, or `path:line`.
    pub input: String,
    /// The stage that refused it: `read`, `parse` or `classify`.
    pub stage: String,
    /// Why.
    pub reason: String,
}

/// A plugin used by the run.
#[derive(Debug, Clone, Serialize)]
pub struct PluginReport {
    /// Its name.
    pub name: String,
    /// `classifier` or `exporter`.
    pub kind: plugin_host::PluginKind,
    /// Its version.
    pub version: String,
    /// The ABI it speaks.
    pub abi: u32,
    /// Its library file.
    pub path: String,
}

/// What a run did: `report.json`.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// copydesk's version.
    pub copydesk_version: String,
    /// The article schema version of the output.
    pub schema_version: u32,
    /// The inputs as given.
    pub inputs: Vec<String>,
    /// Documents read (files, JSON Lines records) plus inputs that could not be read.
    pub n_inputs: u64,
    /// Articles given to every exporter.
    pub n_exported: u64,
    /// Inputs listed in `rejects.jsonl`.
    pub n_rejected: u64,
    /// Rejects per stage.
    pub rejected_by_stage: BTreeMap<String, u64>,
    /// Files in input folders that were not read because their names do not look like
    /// articles (`README.md`, `index.tsv`).
    pub skipped_files: Vec<String>,
    /// Worker threads.
    pub threads: usize,
    /// Wall-clock seconds for the whole run.
    pub wall_seconds: f64,
    /// Seconds per stage, summed over articles and threads.
    pub stage_seconds: BTreeMap<String, f64>,
    /// Plugins used, in pipeline order.
    pub plugins: Vec<PluginReport>,
    /// Peak resident memory of the process in bytes, where the platform tells (Linux).
    pub peak_rss_bytes: Option<u64>,
}

/// The process's peak resident set size (`VmHWM`), on Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

impl RunReport {
    /// True when every input is accounted for.
    pub fn is_balanced(&self) -> bool {
        self.n_inputs == self.n_exported + self.n_rejected
    }
}
