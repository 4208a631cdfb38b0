//! The `language` label: ISO 639-1 code of the article's language and the detector's
//! confidence, with `reliable` as the detector judges it. Text too short to judge is `und`
//! (undetermined) rather than a guess.

use plugin_api::{Article, Classifier, Label, PluginError, Reads};
use serde::Deserialize;

mod latin;

/// Options of the `language` classifier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Fewer letters than this and the answer is `und`.
    #[serde(default = "default_min_chars")]
    pub min_chars: usize,
    /// Bytes of text looked at (headline, then paragraphs); the first paragraphs are plenty.
    #[serde(default = "default_max_chars")]
    pub max_chars: usize,
    /// Only these languages, as the labels name them (ISO 639-1, or 639-3 where there is no
    /// 639-1 code). Empty (the default): every language whatlang knows. A corpus known to be
    /// in a few languages is labelled faster, and never with a language outside the list.
    #[serde(default)]
    pub languages: Vec<String>,
}

fn default_min_chars() -> usize {
    20
}

/// The language saturates within a few hundred characters, and whatlang's time grows with the
/// text. On the 2,225 BBC articles and the 294 samples, 500 bytes (the headline and the first
/// two or three paragraphs) give the same language as 2,000 for every article, in about two
/// thirds of the time; from 400 down some articles get another language. The confidence of 7
/// of the 2,519 articles changes (all English either way: a near tie between two languages on
/// more or less text).
fn default_max_chars() -> usize {
    500
}

/// The classifier.
pub struct Language {
    options: Options,
    detector: whatlang::Detector,
    /// whatlang's answer for Latin-script text, faster (see [`latin`]).
    latin: Option<latin::Latin>,
}

impl Classifier for Language {
    const NAME: &'static str = "language";
    const DESCRIPTION: &'static str = "language of the article (ISO 639-1), by whatlang";
    type Options = Options;
    // Only the headline and paragraphs: the SDK skips the analysis (quotes, entities, dates),
    // most of the record and of its decoding time.
    const READS: Reads = Reads::TEXT;

    fn new(options: Options) -> Result<Self, PluginError> {
        if options.max_chars < options.min_chars {
            return Err(PluginError::new(
                "option `max_chars` must be at least `min_chars`",
            ));
        }
        let (detector, latin) = if options.languages.is_empty() {
            (whatlang::Detector::new(), latin::Latin::new(None))
        } else {
            let langs = options
                .languages
                .iter()
                .map(|code| lang_of(code))
                .collect::<Result<Vec<_>, _>>()?;
            let latin = latin::Latin::new(Some(langs.clone()));
            (whatlang::Detector::with_allowlist(langs), latin)
        };
        Ok(Language {
            options,
            detector,
            latin,
        })
    }

    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
        let mut sample = String::with_capacity(self.options.max_chars + 64);
        for text in std::iter::once(&article.headline).chain(&article.paragraphs) {
            if sample.len() >= self.options.max_chars {
                break;
            }
            let room = self.options.max_chars - sample.len();
            let end = (0..=room.min(text.len()))
                .rev()
                .find(|idx| text.is_char_boundary(*idx))
                .unwrap_or(0);
            sample.push_str(&text[..end]);
            sample.push('\n');
        }
        let n_letters = sample.chars().filter(|c| c.is_alphabetic()).count();
        let undetermined = || vec![Label::new("und", 0.0).with("reliable", false)];
        if n_letters < self.options.min_chars {
            return Ok(undetermined());
        }
        let latin = self.latin.as_ref().and_then(|latin| latin.detect(&sample));
        let Some(info) = latin.or_else(|| self.detector.detect(&sample)) else {
            return Ok(undetermined());
        };
        let code = iso_639_1(info.lang());
        let score = (info.confidence() * 1000.0).round() / 1000.0;
        Ok(vec![
            Label::new(code, score).with("reliable", info.is_reliable()),
        ])
    }
}

/// The language a code of option `languages` names, in the labels' spelling or in 639-3, in
/// either case.
fn lang_of(code: &str) -> Result<whatlang::Lang, PluginError> {
    whatlang::Lang::all()
        .iter()
        .copied()
        .find(|lang| {
            iso_639_1(*lang).eq_ignore_ascii_case(code) || lang.code().eq_ignore_ascii_case(code)
        })
        .ok_or_else(|| {
            PluginError::new(format!(
                "option `languages`: `{code}` is not a language code this classifier knows \
                 (ISO 639-1 such as \"en\", or 639-3 such as \"eng\")"
            ))
        })
}

/// whatlang speaks ISO 639-3; the output promises 639-1 where one exists.
fn iso_639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Epo => "eo",
        other => other.code(),
    }
}

plugin_api::export_classifier!(Language);

#[cfg(test)]
mod tests {
    use super::*;

    fn language(options: &str) -> Result<Language, PluginError> {
        let options: Options =
            serde_json::from_str(options).unwrap_or_else(|error| panic!("{error}"));
        Language::new(options)
    }

    fn label(language: &Language, text: &str) -> String {
        let json = serde_json::json!({ "id": "t", "headline": "", "paragraphs": [text] });
        let article: Article =
            serde_json::from_value(json).unwrap_or_else(|error| panic!("{error}"));
        let labels = language
            .classify(&article)
            .unwrap_or_else(|error| panic!("{error}"));
        labels[0].value.clone()
    }

    const FRENCH: &str = "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, \
                          que les syndicats jugent injuste et qu'ils combattront dans la rue.";

    #[test]
    fn every_language_by_default() {
        let all = language("{}").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(label(&all, FRENCH), "fr");
    }

    #[test]
    fn a_list_of_languages_is_all_the_answers_there_are() {
        let listed =
            language(r#"{"languages": ["en", "DEU"]}"#).unwrap_or_else(|error| panic!("{error}"));
        let value = label(&listed, FRENCH);
        assert!(value == "en" || value == "de", "{value}");
        let with_french =
            language(r#"{"languages": ["en", "fr"]}"#).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(label(&with_french, FRENCH), "fr");
    }

    #[test]
    fn the_list_is_checked_when_the_plugin_starts() {
        let error = language(r#"{"languages": ["en", "french"]}"#)
            .err()
            .unwrap_or_else(|| panic!("an unknown code was accepted"));
        assert!(error.to_string().contains("`french`"), "{error}");
    }

    #[test]
    fn every_label_code_names_its_language() {
        for lang in whatlang::Lang::all() {
            let code = iso_639_1(*lang);
            assert_eq!(
                lang_of(code).unwrap_or_else(|error| panic!("{error}")),
                *lang
            );
        }
    }
}
