//! Writes `articles.jsonl`: one article per line, exactly the JSON the host encoded, in input
//! order. The file is written under a temporary name and renamed at the end of the run.

use std::io::Write;

use plugin_api::{AtomicFile, ExportContext, Exporter, PluginError, Record};
use serde::Deserialize;

/// Options of the `jsonl` exporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// File name inside the output folder.
    #[serde(default = "default_file")]
    pub file: String,
}

fn default_file() -> String {
    "articles.jsonl".to_string()
}

/// The exporter.
pub struct JsonLines {
    out: AtomicFile,
}

impl Exporter for JsonLines {
    const NAME: &'static str = "jsonl";
    const DESCRIPTION: &'static str = "one article per line in articles.jsonl";
    type Options = Options;

    fn open(context: ExportContext, options: Options) -> Result<Self, PluginError> {
        Ok(JsonLines {
            out: context.create_file(&options.file)?,
        })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        self.out.write_all(record.json())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        self.out.commit()?;
        Ok(())
    }
}

plugin_api::export_exporter!(JsonLines);
