//! A classifier that reads what the built-in classifiers read (the text: `Reads::TEXT`) and
//! returns no label. In a pipeline beside them, its `classify:boundary-probe` time is what
//! one classifier pays for crossing the plugin boundary: the call, the decoding of the article
//! and an empty answer. `cargo xtask bench` measures the boundary with it.

use plugin_api::{Article, Classifier, Label, NoOptions, PluginError, Reads};

pub struct BoundaryProbe;

impl Classifier for BoundaryProbe {
    const NAME: &'static str = "boundary-probe";
    const DESCRIPTION: &'static str = "decodes the article's text and returns no label";
    type Options = NoOptions;
    const READS: Reads = Reads::TEXT;

    fn new(_options: NoOptions) -> Result<Self, PluginError> {
        Ok(BoundaryProbe)
    }

    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
        // Touch what was decoded, so that no part of the decoding can be optimised away.
        std::hint::black_box((&article.headline, &article.paragraphs));
        Ok(Vec::new())
    }
}

plugin_api::export_classifier!(BoundaryProbe);
