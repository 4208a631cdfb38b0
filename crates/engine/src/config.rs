//! Pipelines as TOML (`copydesk.toml`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::EngineError;

/// The pipeline used when no configuration file is given.
pub const DEFAULT_PIPELINE: &str = include_str!("default.toml");

/// A pipeline: what to read, which classifiers and exporters to run, with their options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Inputs used when the command line names none.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Run settings.
    #[serde(default)]
    pub run: RunSettings,
    /// Size limits.
    #[serde(default)]
    pub limits: LimitSettings,
    /// Where plugins are found.
    #[serde(default)]
    pub plugins: PluginSettings,
    /// Classifiers, in the order they run.
    #[serde(default)]
    pub classify: Vec<PluginUse>,
    /// Exporters.
    #[serde(default)]
    pub export: Vec<PluginUse>,
    /// The folder relative paths in this file are resolved against.
    #[serde(skip)]
    pub base_dir: Option<PathBuf>,
}

/// `[run]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    /// Worker threads; 0 = one per core.
    #[serde(default)]
    pub threads: usize,
    /// Articles per chunk.
    #[serde(default = "default_chunk_size")]
    pub chunk_size: usize,
    /// Articles a worker takes at a time and runs through each stage in turn.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
}

impl Default for RunSettings {
    fn default() -> RunSettings {
        RunSettings {
            threads: 0,
            chunk_size: default_chunk_size(),
            batch_size: default_batch_size(),
        }
    }
}

fn default_chunk_size() -> usize {
    256
}

/// Large enough that each stage's code and tables stay in the caches from one article to the
/// next (batches of 16 to 256 made a one-worker run 1.15× to 1.24× as fast as one article at a
/// time, and 32 did as well as 16, 64 and 128), small against a chunk, so that the workers
/// share a chunk evenly.
fn default_batch_size() -> usize {
    32
}

/// `[limits]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Largest article file, in bytes.
    #[serde(default = "default_max_bytes")]
    pub max_file_bytes: u64,
    /// Largest JSON Lines record, in bytes.
    #[serde(default = "default_max_bytes")]
    pub max_record_bytes: u64,
}

impl Default for LimitSettings {
    fn default() -> LimitSettings {
        LimitSettings {
            max_file_bytes: default_max_bytes(),
            max_record_bytes: default_max_bytes(),
        }
    }
}

fn default_max_bytes() -> u64 {
    16 << 20
}

/// `[plugins]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginSettings {
    /// Folders searched for plugin libraries.
    #[serde(default)]
    pub folders: Vec<PathBuf>,
}

/// One `[[classify]]` or `[[export]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginUse {
    /// The plugin's name.
    pub plugin: String,
    /// Its options, handed to the plugin as JSON.
    #[serde(default)]
    pub options: toml::Table,
}

impl PluginUse {
    /// The options as the JSON the plugin receives.
    pub fn options_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.options).unwrap_or_else(|_| serde_json::json!({}))
    }
}

impl Config {
    /// The built-in pipeline.
    pub fn default_pipeline() -> Config {
        // The embedded file is checked by a unit test, so this cannot fail in a release.
        Config::parse(DEFAULT_PIPELINE, "the built-in pipeline").unwrap_or_else(|_| Config {
            inputs: Vec::new(),
            run: RunSettings::default(),
            limits: LimitSettings::default(),
            plugins: PluginSettings::default(),
            classify: Vec::new(),
            export: Vec::new(),
            base_dir: None,
        })
    }

    /// Parses a pipeline; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Config, EngineError> {
        let config: Config = toml::from_str(text).map_err(|error| EngineError::Config {
            origin: origin.to_string(),
            message: error.to_string(),
        })?;
        config.validate(origin)?;
        Ok(config)
    }

    /// Reads a pipeline file.
    pub fn load(path: &Path) -> Result<Config, EngineError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| EngineError::Config {
            origin: origin.clone(),
            message: error.to_string(),
        })?;
        let mut config = Config::parse(&text, &origin)?;
        config.base_dir = path.parent().map(Path::to_path_buf);
        Ok(config)
    }

    fn validate(&self, origin: &str) -> Result<(), EngineError> {
        let error = |message: String| EngineError::Config {
            origin: origin.to_string(),
            message,
        };
        if self.run.chunk_size == 0 {
            return Err(error("run.chunk_size must be at least 1".to_string()));
        }
        if self.run.batch_size == 0 {
            return Err(error("run.batch_size must be at least 1".to_string()));
        }
        if self.export.is_empty() {
            return Err(error(
                "the pipeline has no [[export]]: nothing would be written".to_string(),
            ));
        }
        for (section, uses) in [("classify", &self.classify), ("export", &self.export)] {
            for (idx, plugin_use) in uses.iter().enumerate() {
                if uses[..idx]
                    .iter()
                    .any(|other| other.plugin == plugin_use.plugin)
                {
                    return Err(error(format!(
                        "[[{section}]] names plugin `{}` twice",
                        plugin_use.plugin
                    )));
                }
            }
        }
        Ok(())
    }

    /// The plugin folders, resolved: relative ones against the config file's folder; the
    /// executable's folder when none is configured.
    pub fn plugin_folders(&self) -> Vec<PathBuf> {
        if self.plugins.folders.is_empty() {
            return default_plugin_folders();
        }
        self.plugins
            .folders
            .iter()
            .map(|folder| match &self.base_dir {
                Some(base) if folder.is_relative() => base.join(folder),
                _ => folder.clone(),
            })
            .collect()
    }

    /// The reader limits.
    pub fn limits(&self) -> ingest::Limits {
        ingest::Limits {
            max_file_bytes: self.limits.max_file_bytes,
            max_record_bytes: self.limits.max_record_bytes,
        }
    }
}

/// The folder of the running executable, where `cargo build` puts the plugins next to it.
pub fn default_plugin_folders() -> Vec<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pipeline_parses() {
        let config = Config::parse(DEFAULT_PIPELINE, "default").unwrap();
        assert_eq!(config.export[0].plugin, "jsonl");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let error =
            Config::parse("[run]\nthreds = 2\n[[export]]\nplugin='jsonl'", "x.toml").unwrap_err();
        assert!(error.to_string().contains("threds"), "{error}");
    }

    #[test]
    fn sizes_of_zero_are_errors() {
        for (key, message) in [
            ("chunk_size", "run.chunk_size must be at least 1"),
            ("batch_size", "run.batch_size must be at least 1"),
        ] {
            let text = format!("[run]\n{key} = 0\n[[export]]\nplugin='jsonl'");
            let error = Config::parse(&text, "x.toml").unwrap_err();
            assert!(error.to_string().contains(message), "{error}");
        }
    }
}
