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
        let mut article = match parsed {
            Ok(article) => article,
            Err(reason) => {
                times.parse += started.elapsed();
                return Outcome::Rejected {
                    reject: Reject::new(raw.origin.display(), reason),
                    stage: "parse",
                };
            }
        };
        analyze::clean(&mut article);
        times.parse += started.elapsed();

        let started = Instant::now();
        analyze::analyze(&mut article, &self.options);
        times.analyze += started.elapsed();

        match self.classify(&mut article, times) {
            Ok(()) => {}
            Err(reason) => {
                return Outcome::Rejected {
                    reject: Reject::new(raw.origin.display(), reason),
                    stage: "classify",
                };
            }
        }
        let started = Instant::now();
        let json = encode(&article);
        times.encode += started.elapsed();
        Outcome::Exported(json)
    }

    fn classify(&self, article: &mut Article, times: &mut StageTimes) -> Result<(), String> {
        if self.classifiers.is_empty() {
            return Ok(());
        }
        if times.classify.len() < self.classifiers.len() {
            times
                .classify
                .resize(self.classifiers.len(), Duration::ZERO);
        }
        let started = Instant::now();
        // Encoded once for all classifiers of this stage.
        let json = encode(article);
        times.encode += started.elapsed();
        for (classifier_idx, classifier) in self.classifiers.iter().enumerate() {
            let started = Instant::now();
            let result = classifier.classify(&json);
            times.classify[classifier_idx] += started.elapsed();
            let labels = result.map_err(|error| error.to_string())?;
            article.labels.insert(classifier.name().to_string(), labels);
        }
        Ok(())
    }
}

/// Compact JSON of an article. Serialising our own model to memory cannot fail; were it to,
/// the article would go out as an empty object rather than take the run down.
pub fn encode(article: &Article) -> Vec<u8> {
    serde_json::to_vec(article).unwrap_or_else(|_| b"{}".to_vec())
}
