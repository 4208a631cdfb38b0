use plugin_api::{Article, Classifier, Label, NoOptions, PluginError};

const WAR_WORDS: &str = "war wars warfare troops soldier soldiers military militia militants army \
    armed airstrike airstrikes missile missiles bomb bombs bombing shelling artillery invasion";
const ARMED_GROUPS: &[&str] = &["NATO", "Taliban", "Hamas", "Hezbollah", "Islamic State"];

/// Flags articles about armed conflict by their war words and the armed groups they name.
pub struct Conflict;

impl Classifier for Conflict {
    const NAME: &'static str = "conflict";
    const DESCRIPTION: &'static str = "flags articles about armed conflict";
    type Options = NoOptions;

    fn new(_options: NoOptions) -> Result<Self, PluginError> {
        Ok(Conflict)
    }

    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
        let (mut n_words, mut hits) = (0, 0);
        for text in [&article.headline].into_iter().chain(&article.paragraphs) {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                n_words += usize::from(!word.is_empty());
                hits += usize::from(WAR_WORDS.split(' ').any(|w| w.eq_ignore_ascii_case(word)));
            }
        }
        for entity in &article.entities {
            if ARMED_GROUPS.contains(&entity.name.as_str()) {
                hits += entity.mentions.len();
            }
        }
        let per_100_words = (1000.0 * hits as f64 / n_words.max(1) as f64).round() / 10.0;
        let is_war_story = hits >= 3 && per_100_words >= 1.0;
        let value = if is_war_story { "yes" } else { "no" };
        Ok(vec![Label::new(value, per_100_words).with("hits", hits)])
    }
}

plugin_api::export_classifier!(Conflict);
