//! The safe side of the ABI: the traits plugin authors implement.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use article::{Article, Label};
use serde::de::DeserializeOwned;

/// An error a plugin reports; the host prefixes it with the plugin's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginError(pub String);

impl PluginError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> PluginError {
        PluginError(message.into())
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PluginError {}

impl From<io::Error> for PluginError {
    fn from(error: io::Error) -> PluginError {
        PluginError(error.to_string())
    }
}

impl From<serde_json::Error> for PluginError {
    fn from(error: serde_json::Error) -> PluginError {
        PluginError(error.to_string())
    }
}

/// Options for a plugin that takes none: any option given is an error.
#[derive(Debug, Default, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// A classifier: reads an article, returns labels. Called concurrently from many threads.
pub trait Classifier: Send + Sync + Sized + 'static {
    /// The name pipelines use, and the key of this classifier's labels in the output.
    const NAME: &'static str;
    /// One line on what it does.
    const DESCRIPTION: &'static str = "";
    /// Options from the plugin's table in `copydesk.toml`. Use `#[serde(deny_unknown_fields)]`
    /// so a misspelt option is an error at load time.
    type Options: DeserializeOwned;
    /// What `classify` reads of the article. The SDK decodes only that from the JSON the host
    /// sends and leaves the rest of the `Article` empty: for a classifier of the text, decoding
    /// the quotes, entities and dates it never looks at can cost more than classifying. The
    /// default is everything; see [`Reads`].
    const READS: Reads = Reads::EVERYTHING;
    /// Builds the classifier; called once, before any article.
    fn new(options: Self::Options) -> Result<Self, PluginError>;
    /// Labels for one article, best first.
    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError>;
}

/// The parts of an article a [`Classifier`] reads ([`Classifier::READS`]). The text and
/// metadata (headline, paragraphs, source, byline, dates of publication, boilerplate, credits,
/// repairs, labels) are always decoded; the results of the analysis (`quotes`, `entities`,
/// `dates`), by far the largest part of an analysed article, only when asked for:
///
/// ```ignore
/// const READS: Reads = Reads::TEXT.and_entities();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads {
    pub(crate) quotes: bool,
    pub(crate) entities: bool,
    pub(crate) dates: bool,
}

impl Reads {
    /// The whole article (the default).
    pub const EVERYTHING: Reads = Reads {
        quotes: true,
        entities: true,
        dates: true,
    };
    /// The text and metadata; `quotes`, `entities` and `dates` are left empty.
    pub const TEXT: Reads = Reads {
        quotes: false,
        entities: false,
        dates: false,
    };

    /// These parts and the quotes.
    pub const fn and_quotes(self) -> Reads {
        Reads {
            quotes: true,
            ..self
        }
    }

    /// These parts and the entities.
    pub const fn and_entities(self) -> Reads {
        Reads {
            entities: true,
            ..self
        }
    }

    /// These parts and the date mentions.
    pub const fn and_dates(self) -> Reads {
        Reads {
            dates: true,
            ..self
        }
    }
}

/// What an exporter is told when it opens.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ExportContext {
    /// The run's output folder (exists when `open` is called).
    pub out_dir: PathBuf,
}

impl ExportContext {
    /// Creates `name` in the output folder as an [`AtomicFile`]; `name` comes from the
    /// exporter's `file` option and must be a plain file name (no folder), else the error says
    /// so at load time.
    pub fn create_file(&self, name: &str) -> Result<AtomicFile, PluginError> {
        Ok(AtomicFile::create(self.file_path(name)?)?)
    }

    /// The path of `name` in the output folder, checked as [`ExportContext::create_file`]
    /// checks it, for exporters that manage their file themselves.
    pub fn file_path(&self, name: &str) -> Result<PathBuf, PluginError> {
        if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(PluginError::new(format!(
                "option `file` must be a plain file name, not `{name}`"
            )));
        }
        Ok(self.out_dir.join(name))
    }
}

/// One article handed to an exporter: its JSON as the host encoded it, and the decoded
/// model on demand (decoded at most once).
pub struct Record<'a> {
    json: &'a [u8],
    article: std::cell::OnceCell<Result<Article, String>>,
}

impl<'a> Record<'a> {
    /// Wraps the JSON of one article.
    pub fn new(json: &'a [u8]) -> Record<'a> {
        Record {
            json,
            article: std::cell::OnceCell::new(),
        }
    }

    /// The article as compact JSON, exactly as the host serialised it (no trailing newline).
    pub fn json(&self) -> &'a [u8] {
        self.json
    }

    /// The decoded article.
    pub fn article(&self) -> Result<&Article, PluginError> {
        self.article
            .get_or_init(|| crate::decode::article(self.json, Reads::EVERYTHING))
            .as_ref()
            .map_err(|message| PluginError(format!("cannot decode article: {message}")))
    }
}

/// An exporter: owned by one writer thread, it sees every exported article in input order.
pub trait Exporter: Send + Sized + 'static {
    /// The name pipelines use.
    const NAME: &'static str;
    /// One line on what it does.
    const DESCRIPTION: &'static str = "";
    /// Options from the plugin's table in `copydesk.toml`.
    type Options: DeserializeOwned;
    /// Opens the exporter's outputs; called once, before any article.
    fn open(context: ExportContext, options: Self::Options) -> Result<Self, PluginError>;
    /// Writes one article.
    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError>;
    /// Flushes everything and moves the outputs to their final names.
    fn finish(&mut self) -> Result<(), PluginError>;
}

/// A file written under a temporary name in its final folder and renamed into place by
/// [`AtomicFile::commit`], so a crash never leaves a truncated file under the final name.
pub struct AtomicFile {
    path: PathBuf,
    file: Option<BufWriter<tempfile::NamedTempFile>>,
}

impl AtomicFile {
    /// Starts writing what will become `path`.
    pub fn create(path: impl AsRef<Path>) -> io::Result<AtomicFile> {
        let path = path.as_ref().to_path_buf();
        let folder = path.parent().unwrap_or_else(|| Path::new("."));
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".tmp")
            .tempfile_in(folder)?;
        Ok(AtomicFile {
            path,
            file: Some(BufWriter::with_capacity(1 << 20, temp)),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place. Later calls do nothing.
    pub fn commit(&mut self) -> io::Result<()> {
        let Some(writer) = self.file.take() else {
            return Ok(());
        };
        let temp = writer.into_inner().map_err(|error| error.into_error())?;
        // Temporary files are created private (0600); the finished output is an ordinary
        // file that the user's other tools should read like any other.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        temp.as_file().sync_all()?;
        temp.persist(&self.path).map_err(|error| error.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(file) => file.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}
