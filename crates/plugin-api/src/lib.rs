//! The copydesk plugin ABI and the SDK that plugins are written with.
//!
//! Rust has no stable ABI, so nothing `repr(Rust)` crosses the boundary between the host
//! (`copydesk`) and a plugin library. The boundary is the C ABI in [`abi`]: `#[repr(C)]`
//! structs and `extern "C"` functions, byte payloads (JSON) borrowed for one call, and results
//! written back through a host-provided [`abi::Sink`], so no allocation ever crosses it.
//!
//! Plugin authors do not touch [`abi`]. They implement [`Classifier`] or [`Exporter`] and call
//! [`export_classifier!`] or [`export_exporter!`] once:
//!
//! ```ignore
//! use plugin_api::{Article, Classifier, Label, PluginError};
//!
//! #[derive(Default)]
//! struct Shouting;
//!
//! impl Classifier for Shouting {
//!     const NAME: &'static str = "shouting";
//!     type Options = plugin_api::NoOptions;
//!     fn new(_options: Self::Options) -> Result<Self, PluginError> { Ok(Shouting) }
//!     fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
//!         let loud = article.headline.chars().any(char::is_uppercase)
//!             && !article.headline.chars().any(char::is_lowercase);
//!         Ok(vec![Label::new(if loud { "yes" } else { "no" }, 1.0)])
//!     }
//! }
//!
//! plugin_api::export_classifier!(Shouting);
//! ```

pub mod abi;
mod decode;
#[doc(hidden)]
pub mod glue;
mod sdk;

pub use article::{self, Article, Label};
pub use sdk::{
    AtomicFile, Classifier, ExportContext, Exporter, NoOptions, PluginError, Reads, Record,
};
