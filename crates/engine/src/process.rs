//! The per-article work, shared by the batch engine and streaming mode.

use std::time::{Duration, Instant};

use article::Article;
use ingest::{RawDoc, Reject};
use plugin_host::Classifier;

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// The article, as the compact JSON every exporter receives.
    Exported(Vec<u8>),
    /// The input, the stage that refused it, and why.
    Rejected {
        /// Why, and which input.
        reject: Reject,
        /// `read`, `parse` or `classify`.
        stage: &'static str,
    },
}

/// Time spent per stage, summed over articles (CPU time across workers, not wall time).
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    /// Parsing and clean-up.
    pub parse: Duration,
    /// Linguistic analysis.
    pub analyze: Duration,
    /// Encoding the article for the plugin boundary.
    pub encode: Duration,
    /// Each classifier, in pipeline order.
    pub classify: Vec<Duration>,
}

impl StageTimes {
    /// Adds another measurement into this one.
    pub fn add(&mut self, other: &StageTimes) {
        self.parse += other.parse;
        self.analyze += other.analyze;
        self.encode += other.encode;
        if self.classify.len() < other.classify.len() {
            self.classify.resize(other.classify.len(), Duration::ZERO);
        }
        for (total, part) in self.classify.iter_mut().zip(&other.classify) {
            *total += *part;
        }
    }
}

/// Parses, analyses and classifies articles. Shared by all workers.
pub struct Processor {
    classifiers: Vec<Classifier>,
    options: analyze::Options,
}

impl Processor {
    /// A processor running these classifiers.
    pub fn new(classifiers: Vec<Classifier>, options: analyze::Options) -> Processor {
        Processor {
            classifiers,
            options,
        }
    }

    /// The classifiers, in order.
    pub fn classifiers(&self) -> &[Classifier] {
        &self.classifiers
    }

    /// Everything that happens to one input before export.
    pub fn process(&self, raw: Result<RawDoc, Reject>, times: &mut StageTimes) -> Outcome {
        let raw = match raw {
            Ok(raw) => raw,
            Err(reject) => {
                return Outcome::Rejected {
                    reject,
                    stage: "read",
                };
            }
        };
        let started = Instant::now();
        let parsed = ingest::parse(&raw);
        times.parse += started.elapsed();
        let article = match parsed {
            Ok(article) => article,
            Err(reason) => {
                return Outcome::Rejected {
                    reject: Reject::new(raw.origin.display(), reason),
                    stage: "parse",
                };
            }
        };
        match self.process_article(article, times) {
            Ok(json) => Outcome::Exported(json),
            Err(reason) => Outcome::Rejected {
                reject: Reject::new(raw.origin.display(), reason),
                stage: "classify",
            },
        }
    }

    /// Everything that happens to a freshly parsed article: clean-up (counted as parsing),
    /// analysis, classification, and encoding to the compact JSON exporters receive. The
    /// error is why a classifier refused it. Batch and stream mode both end here, so they
    /// give the same bytes for the same record.
    pub fn process_article(
        &self,
        mut article: Article,
        times: &mut StageTimes,
    ) -> Result<Vec<u8>, String> {
        let started = Instant::now();
        analyze::clean(&mut article);
        times.parse += started.elapsed();

        let started = Instant::now();
        analyze::analyze(&mut article, &self.options);
        times.analyze += started.elapsed();

        let started = Instant::now();
        let json = encode(&article);
        times.encode += started.elapsed();
        if self.classifiers.is_empty() {
            return Ok(json);
        }
        self.classify(&mut article, &json, times)?;
        // The exporters get the same bytes with the labels spliced in: the article is encoded
        // once, not once more after classification.
        let started = Instant::now();
        let json = with_labels(json, &article);
        times.encode += started.elapsed();
        Ok(json)
    }

    /// Runs every classifier on the article's JSON (encoded once for all of them) and merges
    /// their labels into the article.
    fn classify(
        &self,
        article: &mut Article,
        json: &[u8],
        times: &mut StageTimes,
    ) -> Result<(), String> {
        if times.classify.len() < self.classifiers.len() {
            times
                .classify
                .resize(self.classifiers.len(), Duration::ZERO);
        }
        for (classifier_idx, classifier) in self.classifiers.iter().enumerate() {
            let started = Instant::now();
            let result = classifier.classify(json);
            times.classify[classifier_idx] += started.elapsed();
            let labels = result.map_err(|error| error.to_string())?;
            article.labels.insert(classifier.name().to_string(), labels);
        }
        Ok(())
    }
}

/// The article's JSON given its JSON from before classification (`before`, encoded by
/// [`encode`] while the labels were those of the input) with `article.labels` in place of the
/// old labels: byte for byte what [`encode`] gives for `article`.
///
/// `Article` serialises its fields in declaration order, so the top-level `"labels"` member is
/// the one followed by `,"quotes":`. A key cannot occur inside a JSON string (its quotes would
/// be escaped) and no nested type has a `labels` field, so when the input had no labels the
/// marker below occurs exactly once; in any other case the article is simply encoded again.
fn with_labels(before: Vec<u8>, article: &Article) -> Vec<u8> {
    const MARKER: &[u8] = b",\"labels\":{},\"quotes\":";
    let mut found = memchr::memmem::find_iter(&before, MARKER);
    let (Some(at), None) = (found.next(), found.next()) else {
        return encode(article);
    };
    let Ok(labels) = serde_json::to_vec(&article.labels) else {
        return encode(article);
    };
    let mut json = Vec::with_capacity(before.len() + labels.len());
    json.extend_from_slice(&before[..at]);
    json.extend_from_slice(b",\"labels\":");
    json.extend_from_slice(&labels);
    json.extend_from_slice(b",\"quotes\":");
    json.extend_from_slice(&before[at + MARKER.len()..]);
    json
}

/// Compact JSON of an article. Serialising our own model to memory cannot fail; were it to,
/// the article would go out as an empty object rather than take the run down.
pub fn encode(article: &Article) -> Vec<u8> {
    serde_json::to_vec(article).unwrap_or_else(|_| b"{}".to_vec())
}

#[cfg(test)]
mod tests {
    use article::{Article, Label};

    use super::{encode, with_labels};

    #[test]
    fn spliced_labels_give_the_bytes_of_a_full_encode() {
        let mut article = Article::new("a");
        article.headline = r#"A headline with ,"labels":{},"quotes": in it"#.to_string();
        article.paragraphs = vec![r#"And ,"labels":{},"quotes":[] in the body."#.to_string()];
        let before = encode(&article);
        article
            .labels
            .insert("topic".to_string(), vec![Label::new("world", 0.9)]);
        article
            .labels
            .insert("language".to_string(), vec![Label::new("en", 1.0)]);
        assert_eq!(with_labels(before, &article), encode(&article));
    }

    #[test]
    fn input_labels_are_replaced_by_a_full_encode() {
        let mut article = Article::new("a");
        article
            .labels
            .insert("old".to_string(), vec![Label::new("x", 1.0)]);
        let before = encode(&article);
        article
            .labels
            .insert("new".to_string(), vec![Label::new("y", 1.0)]);
        assert_eq!(with_labels(before, &article), encode(&article));
    }
}
