//! A classifier that panics on articles whose headline contains "PANIC".

use plugin_api::{Article, Classifier, Label, NoOptions, PluginError};

pub struct Panicky;

impl Classifier for Panicky {
    const NAME: &'static str = "panicky";
    type Options = NoOptions;

    fn new(_options: NoOptions) -> Result<Self, PluginError> {
        Ok(Panicky)
    }

    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
        if article.headline.contains("PANIC") {
            panic!("cannot stand headlines that shout");
        }
        Ok(vec![Label::new("calm", 1.0)])
    }
}

plugin_api::export_classifier!(Panicky);
