//! An exporter that writes a file and panics on the third article.

use std::io::Write;

use plugin_api::{AtomicFile, ExportContext, Exporter, NoOptions, PluginError, Record};

pub struct Panicky {
    out: AtomicFile,
    n_written: usize,
}

impl Exporter for Panicky {
    const NAME: &'static str = "panicky";
    type Options = NoOptions;

    fn open(context: ExportContext, _options: NoOptions) -> Result<Self, PluginError> {
        Ok(Panicky {
            out: AtomicFile::create(context.out_dir.join("panicky.txt"))?,
            n_written: 0,
        })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        self.n_written += 1;
        if self.n_written == 3 {
            panic!("the third article is one too many");
        }
        self.out.write_all(record.json())?;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        self.out.commit()?;
        Ok(())
    }
}

plugin_api::export_exporter!(Panicky);
