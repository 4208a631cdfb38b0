//! The per-article work, shared by the batch engine and streaming mode, done a batch of
//! articles at a time.

use std::panic::AssertUnwindSafe;
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
        /// `read`, `parse`, `analyze` or `classify`.
        stage: &'static str,
    },
}

/// Why an article that was read did not reach the exporters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `classify` (a classifier refused the article or panicked on it), or the stage of
    /// copydesk's own code that panicked on it: `parse` or `analyze` (clean-up, analysis and
    /// encoding).
    pub stage: &'static str,
    /// The classifier's message, or the panic's.
    pub reason: String,
}

/// Runs `work` on one input, turning a panic into that input's [`Failure`] at `stage`.
///
/// copydesk's own code is meant never to panic (see `docs/ARCHITECTURE.md`); should it on
/// some input, that one input is rejected with the panic's message and the run goes on with
/// the others. Nothing of a panicked call is kept: the article it worked on is dropped, and
/// the analysis keeps no state across articles that a panic could leave half-written (the NER
/// tagger's per-thread buffers are moved out for each call, so a panic drops them).
pub(crate) fn guarded<T>(stage: &'static str, work: impl FnOnce() -> T) -> Result<T, Failure> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| Failure {
        stage,
        reason: format!(
            "copydesk panicked at the {stage} stage on this input (a bug: please report it with \
             the input): {}",
            plugin_api::glue::panic_message(payload.as_ref())
        ),
    })
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

    /// Everything that happens to a batch of inputs before export, one outcome per input, in
    /// input order. The batch goes through each stage in turn (parse and clean, analysis,
    /// encoding, then each classifier over every article) rather than each article through
    /// every stage: a stage's code and model tables can stay in the processor's caches from
    /// one article to the next instead of being evicted by all the other stages in between.
    pub fn process_batch(
        &self,
        raws: Vec<Result<RawDoc, Reject>>,
        times: &mut StageTimes,
    ) -> Vec<Outcome> {
        self.process_inputs(
            raws,
            |raw| {
                let raw = raw.map_err(|reject| Outcome::Rejected {
                    reject,
                    stage: "read",
                })?;
                let input = raw.origin.display();
                match guarded("parse", || ingest::parse(&raw)) {
                    Ok(Ok(article)) => Ok((input, article)),
                    Ok(Err(reason)) => Err(Outcome::Rejected {
                        reject: Reject::new(input, reason),
                        stage: "parse",
                    }),
                    Err(failure) => Err(Outcome::Rejected {
                        reject: Reject::new(input, failure.reason),
                        stage: failure.stage,
                    }),
                }
            },
            |input, result| match result {
                Ok(json) => Outcome::Exported(json),
                Err(failure) => Outcome::Rejected {
                    reject: Reject::new(input, failure.reason),
                    stage: failure.stage,
                },
            },
            times,
        )
    }

    /// One output per input, in order, for batch and stream mode alike. `parse` turns an input
    /// into an article and what `finish` needs to know of it later (timed as parsing), or
    /// into its output at once; the articles go through [`Processor::process_articles`]
    /// together, and `finish` makes each one's output from its result.
    pub(crate) fn process_inputs<I, K, O>(
        &self,
        inputs: Vec<I>,
        mut parse: impl FnMut(I) -> Result<(K, Article), O>,
        finish: impl Fn(K, Result<Vec<u8>, Failure>) -> O,
        times: &mut StageTimes,
    ) -> Vec<O> {
        let mut outputs: Vec<Option<O>> = Vec::with_capacity(inputs.len());
        let mut articles = Vec::with_capacity(inputs.len());
        // Per article: its place among the outputs, and what `finish` needs.
        let mut parsed_from = Vec::with_capacity(inputs.len());
        let started = Instant::now();
        for input in inputs {
            match parse(input) {
                Ok((known, article)) => {
                    parsed_from.push((outputs.len(), known));
                    articles.push(article);
                    outputs.push(None);
                }
                Err(output) => outputs.push(Some(output)),
            }
        }
        times.parse += started.elapsed();
        let results = self.process_articles(articles, times);
        for ((slot, known), result) in parsed_from.into_iter().zip(results) {
            if let Some(output) = outputs.get_mut(slot) {
                *output = Some(finish(known, result));
            }
        }
        outputs.into_iter().flatten().collect()
    }

    /// Everything that happens to freshly parsed articles, stage by stage over all of them
    /// (see [`Processor::process_batch`]): clean-up (counted as parsing), analysis,
    /// classification, and encoding to the compact JSON exporters receive. One result per
    /// article, in order; a [`Failure`] is why a classifier refused that article, or the panic
    /// of copydesk's own code on it (see [`guarded`]), which costs that article alone. Batch
    /// and stream mode both end here, so they give the same bytes for the same record.
    pub fn process_articles(
        &self,
        mut articles: Vec<Article>,
        times: &mut StageTimes,
    ) -> Vec<Result<Vec<u8>, Failure>> {
        self.process_articles_with(&mut articles, times, |article| {
            analyze::analyze(article, &self.options);
        })
    }

    /// [`Processor::process_articles`] with the analysis given (so that tests can make it
    /// panic).
    fn process_articles_with(
        &self,
        articles: &mut [Article],
        times: &mut StageTimes,
        analysis: impl Fn(&mut Article),
    ) -> Vec<Result<Vec<u8>, Failure>> {
        // Per article: none, or why it goes no further.
        let mut failures: Vec<Option<Failure>> = articles.iter().map(|_| None).collect();
        let mut each = |work: &dyn Fn(&mut Article)| {
            for (article, failure) in articles.iter_mut().zip(&mut failures) {
                if failure.is_none() {
                    *failure = guarded("analyze", || work(article)).err();
                }
            }
        };
        let started = Instant::now();
        each(&analyze::clean);
        times.parse += started.elapsed();
        let started = Instant::now();
        each(&analysis);
        times.analyze += started.elapsed();

        // The article's JSON, encoded once for all classifiers, or why it goes no further.
        let started = Instant::now();
        let mut results: Vec<Result<Vec<u8>, Failure>> = articles
            .iter()
            .zip(failures)
            .map(|(article, failure)| match failure {
                Some(failure) => Err(failure),
                None => guarded("analyze", || encode(article)),
            })
            .collect();
        times.encode += started.elapsed();
        if self.classifiers.is_empty() {
            return results;
        }
        if times.classify.len() < self.classifiers.len() {
            times
                .classify
                .resize(self.classifiers.len(), Duration::ZERO);
        }
        for (classifier_idx, classifier) in self.classifiers.iter().enumerate() {
            let started = Instant::now();
            for (article, result) in articles.iter_mut().zip(&mut results) {
                let Ok(json) = result else { continue };
                match classifier.classify(json) {
                    Ok(labels) => {
                        article.labels.insert(classifier.name().to_string(), labels);
                    }
                    Err(error) => {
                        *result = Err(Failure {
                            stage: "classify",
                            reason: error.to_string(),
                        });
                    }
                }
            }
            times.classify[classifier_idx] += started.elapsed();
        }
        // The exporters get the same bytes with the labels spliced in: the article is encoded
        // once, not once more after classification.
        let started = Instant::now();
        let results = articles
            .iter()
            .zip(results)
            .map(|(article, result)| {
                result.and_then(|json| guarded("analyze", || with_labels(json, article)))
            })
            .collect();
        times.encode += started.elapsed();
        results
    }
}

/// Splits inputs into batches of at most `batch_size` (0 is taken as 1), in order.
pub(crate) fn into_batches<T>(inputs: Vec<T>, batch_size: usize) -> Vec<Vec<T>> {
    let batch_size = batch_size.max(1);
    let mut batches = Vec::with_capacity(inputs.len().div_ceil(batch_size));
    let mut inputs = inputs.into_iter();
    loop {
        let batch: Vec<T> = inputs.by_ref().take(batch_size).collect();
        if batch.is_empty() {
            return batches;
        }
        batches.push(batch);
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
    // An analysed article's JSON is some four and a half times its text (4.6, the median of
    // the 2,225 BBC records, labels included): sized at five, the buffer grows at most once
    // for most articles instead of a dozen times from empty.
    let text: usize =
        article.headline.len() + article.paragraphs.iter().map(String::len).sum::<usize>();
    let mut json = Vec::with_capacity(512 + text * 5);
    match serde_json::to_writer(&mut json, article) {
        Ok(()) => json,
        Err(_) => b"{}".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use article::{Article, Label};

    use super::{Failure, Processor, StageTimes, encode, into_batches, with_labels};

    fn article(id: &str, text: &str) -> Article {
        let mut article = Article::new(id);
        article.headline = format!("Headline of {id}");
        article.paragraphs = vec![text.to_string()];
        article
    }

    #[test]
    fn a_panic_in_the_analysis_costs_only_its_article() {
        let processor = Processor::new(Vec::new(), analyze::Options::default());
        let text = "Angela Merkel met Emmanuel Macron in Paris on Monday, the chancellery said.";
        let ids = ["a", "boom", "c"];
        let mut articles: Vec<Article> = ids.iter().map(|id| article(id, text)).collect();
        let mut times = StageTimes::default();
        let results = processor.process_articles_with(&mut articles, &mut times, |article| {
            analyze::analyze(article, &analyze::Options::default());
            assert!(article.id != "boom", "the analysis broke on {}", article.id);
        });
        let expected = processor.process_articles(
            ids.iter().map(|id| article(id, text)).collect(),
            &mut StageTimes::default(),
        );
        assert_eq!(results.len(), 3);
        // The others are exactly what a run without the panic gives them, the article after
        // the panic included (it runs on the same thread, after the NER tagger's buffers were
        // dropped mid-call).
        assert_eq!(results[0], expected[0]);
        assert_eq!(results[2], expected[2]);
        let Err(Failure { stage, reason }) = &results[1] else {
            panic!("the panicked article was not rejected: {:?}", results[1]);
        };
        assert_eq!(*stage, "analyze");
        assert!(reason.contains("the analysis broke on boom"), "{reason}");
    }

    #[test]
    fn batches_keep_every_input_in_order() {
        for (n_inputs, batch_size) in [(0, 3), (1, 3), (6, 3), (7, 3), (7, 1), (5, 32), (4, 0)] {
            let inputs: Vec<usize> = (0..n_inputs).collect();
            let batches = into_batches(inputs.clone(), batch_size);
            assert!(
                batches
                    .iter()
                    .all(|batch| !batch.is_empty() && batch.len() <= batch_size.max(1)),
                "{batches:?}"
            );
            let flat: Vec<usize> = batches.into_iter().flatten().collect();
            assert_eq!(flat, inputs, "{n_inputs} inputs in batches of {batch_size}");
        }
    }

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
