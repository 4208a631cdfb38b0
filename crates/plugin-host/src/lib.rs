//! Finding, loading and calling copydesk plugins.
//!
//! This is the only crate that touches `libloading`. A library is opened with `RTLD_NOW`
//! (every symbol resolved up front, so a missing one fails here and not mid-run), its ABI
//! version is checked through a symbol whose name never changes before anything else is
//! called, and it is never unloaded: code from it may still be on some thread's stack, and a
//! process-lifetime library costs nothing.
//!
//! Calls go through the handles [`Classifier`] and [`Exporter`], which own the plugin's
//! instance, copy results out through a [`Sink`](plugin_api::abi::Sink), and turn the
//! plugin's error or panic into a [`CallError`].

mod handle;
mod load;

use std::fmt;
use std::path::PathBuf;

pub use handle::{CallError, Classifier, Exporter};
pub use load::{Plugin, Registry, is_plugin_file, load_library};

/// What a plugin does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PluginKind {
    /// Labels articles.
    Classifier,
    /// Writes articles out.
    Exporter,
}

impl fmt::Display for PluginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PluginKind::Classifier => "classifier",
            PluginKind::Exporter => "exporter",
        })
    }
}

/// Why a plugin could not be loaded or started.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HostError {
    /// The dynamic loader refused the file.
    #[error("plugin {path}: cannot load library: {reason}")]
    Open {
        /// The library file.
        path: PathBuf,
        /// What the loader said.
        reason: String,
    },
    /// A required symbol is missing.
    #[error("plugin {path}: not a copydesk plugin: symbol `{symbol}` is missing")]
    MissingSymbol {
        /// The library file.
        path: PathBuf,
        /// The symbol looked for.
        symbol: String,
    },
    /// The plugin was built for another ABI major version.
    #[error(
        "plugin {path}: built for plugin ABI {found}, but this copydesk supports ABI {expected}; rebuild the plugin against plugin-api {expected}"
    )]
    AbiMismatch {
        /// The library file.
        path: PathBuf,
        /// The version the plugin declares.
        found: u32,
        /// The version this host speaks.
        expected: u32,
    },
    /// The declaration is malformed.
    #[error("plugin {path}: invalid declaration: {reason}")]
    BadDeclaration {
        /// The library file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// No plugin of that name and kind was found.
    #[error("no {kind} plugin named `{name}` in {searched}")]
    NotFound {
        /// The name asked for.
        name: String,
        /// The kind asked for.
        kind: PluginKind,
        /// The folders searched, for the message.
        searched: String,
    },
    /// The plugin refused to start (bad options, unwritable output).
    #[error("{kind} `{name}` ({path}) failed to start: {message}")]
    Create {
        /// The plugin's name.
        name: String,
        /// Its kind.
        kind: PluginKind,
        /// Its library file.
        path: PathBuf,
        /// What it said.
        message: String,
    },
}
