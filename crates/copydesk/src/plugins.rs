//! `copydesk plugins`: what the plugin folders hold, for people (a table) and for drivers
//! (`--json`), and with `--check` a verdict a cluster job can fail fast on.

use std::path::PathBuf;

use clap::Args;
use plugin_host::{HostError, PluginKind, Registry};
use serde_json::{Value, json};

use crate::{CliResult, load_config};

#[derive(Debug, Args)]
pub(crate) struct PluginArgs {
    /// Pipeline file whose plugin folders to search (and, with --check, whose plugins must be
    /// found).
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// Plugin folder; repeat for several. Overrides the pipeline's folders.
    #[arg(long = "plugins", value_name = "DIR")]
    plugin_folders: Vec<PathBuf>,
    /// Fail (exit 1) when a plugin file is broken or a plugin the pipeline names is missing.
    #[arg(long)]
    check: bool,
    /// With --check: require only what `copydesk stream` runs, the classifiers (stream mode
    /// runs no exporter).
    #[arg(long, requires = "check")]
    stream: bool,
    /// Print JSON: {"ok", "folders", "plugins": [{name, kind, version, abi, path}],
    /// "broken": [{path, reason}], "missing": [{name, kind, reason}]}.
    #[arg(long)]
    json: bool,
}

pub(crate) fn plugins(args: PluginArgs) -> CliResult {
    let config = load_config(args.config.as_ref())?;
    let folders = if args.plugin_folders.is_empty() {
        config.plugin_folders()
    } else {
        args.plugin_folders
    };
    let registry = Registry::discover(&folders);
    let mut required: Vec<(&str, PluginKind)> = config
        .classify
        .iter()
        .map(|plugin_use| (plugin_use.plugin.as_str(), PluginKind::Classifier))
        .collect();
    if !args.stream {
        required.extend(
            config
                .export
                .iter()
                .map(|plugin_use| (plugin_use.plugin.as_str(), PluginKind::Exporter)),
        );
    }
    let missing: Vec<HostError> = if args.check {
        required
            .iter()
            .filter_map(|(name, kind)| registry.find(name, *kind).err())
            .collect()
    } else {
        Vec::new()
    };
    if args.json {
        print_json(&registry, &missing, args.check);
    } else {
        print_table(&registry, &missing);
    }
    if args.check {
        let n_broken = registry.broken().len();
        if n_broken > 0 || !missing.is_empty() {
            return Err(format!(
                "plugin check failed: {n_broken} broken plugin file(s), {} missing plugin(s)",
                missing.len()
            )
            .into());
        }
    }
    Ok(())
}

fn print_table(registry: &Registry, missing: &[HostError]) {
    let folder_list: Vec<String> = registry
        .folders()
        .iter()
        .map(|folder| folder.display().to_string())
        .collect();
    println!("plugin folders: {}", folder_list.join(", "));
    println!(
        "{:<12} {:<11} {:<9} {:<4} path",
        "name", "kind", "version", "abi"
    );
    for plugin in registry.plugins() {
        println!(
            "{:<12} {:<11} {:<9} {:<4} {}",
            plugin.name,
            plugin.kind.to_string(),
            plugin.version,
            plugin.abi,
            plugin.path.display()
        );
    }
    if registry.plugins().is_empty() {
        println!("(no plugins found)");
    }
    for broken in registry.broken() {
        println!("broken: {broken}");
    }
    for error in missing {
        println!("missing: {error}");
    }
}

fn print_json(registry: &Registry, missing: &[HostError], checked: bool) {
    let plugins: Vec<Value> = registry
        .plugins()
        .iter()
        .map(|plugin| {
            json!({
                "name": plugin.name,
                "kind": plugin.kind,
                "version": plugin.version,
                "abi": plugin.abi,
                "path": plugin.path.display().to_string(),
            })
        })
        .collect();
    let broken: Vec<Value> = registry
        .broken()
        .iter()
        .map(|error| {
            json!({
                "path": library_path(error),
                "reason": error.to_string(),
            })
        })
        .collect();
    let missing: Vec<Value> = missing
        .iter()
        .map(|error| match error {
            HostError::NotFound { name, kind, .. } => json!({
                "name": name,
                "kind": kind,
                "reason": error.to_string(),
            }),
            other => json!({ "name": null, "kind": null, "reason": other.to_string() }),
        })
        .collect();
    let folders: Vec<String> = registry
        .folders()
        .iter()
        .map(|folder| folder.display().to_string())
        .collect();
    let ok = broken.is_empty() && missing.is_empty();
    let listing = json!({
        "ok": ok,
        "checked": checked,
        "folders": folders,
        "plugins": plugins,
        "broken": broken,
        "missing": missing,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&listing).unwrap_or_default()
    );
}

/// The library file a load error is about.
fn library_path(error: &HostError) -> Option<String> {
    match error {
        HostError::Open { path, .. }
        | HostError::MissingSymbol { path, .. }
        | HostError::AbiMismatch { path, .. }
        | HostError::BadDeclaration { path, .. }
        | HostError::Create { path, .. } => Some(path.display().to_string()),
        HostError::NotFound { .. } => None,
    }
}
