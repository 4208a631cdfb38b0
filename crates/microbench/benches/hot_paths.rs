//! Micro-benchmarks of the hot paths, over the articles of `samples/` (294 news articles):
//! sentence and token split, NER tagging, entity finding, the quote finder, the whole
//! analysis, the topic and tone classifiers, and the article's JSON encode and decode at the
//! plugin boundary, and the classifiers' word splitting (`words`, against the
//! `unicode-segmentation` it stands in for). Throughput is in bytes of article text per
//! second. A group of its own, `start_up`, times decoding the NER model, which every run waits
//! for.
//!
//! `cargo bench -p microbench` (add a filter such as `-- quotes` to run one group).

use std::hint::black_box;

use article::Article;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use unicode_segmentation::UnicodeSegmentation;

fn hot_paths(c: &mut Criterion) {
    let cleaned = microbench::sample_articles();
    let analysed = microbench::analysed_articles();
    let bytes = microbench::text_bytes(&cleaned);

    let mut group = c.benchmark_group("samples");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);

    group.bench_function("sentences_and_tokens", |b| {
        b.iter(|| {
            for article in &cleaned {
                black_box(analyze::text::Text::new(&article.paragraphs));
            }
        })
    });

    let tagger = ner::Tagger::default_model();
    let words: Vec<Vec<&str>> = cleaned.iter().map(microbench::words).collect();
    group.bench_function("ner_tagger", |b| {
        b.iter(|| {
            for tokens in &words {
                black_box(tagger.tag(tokens));
            }
        })
    });

    group.bench_function("entities", |b| {
        b.iter_batched(
            || cleaned.clone(),
            |mut articles| {
                for article in &mut articles {
                    let text = analyze::text::Text::new(&article.paragraphs);
                    analyze::entities::find_entities(article, &text);
                }
                articles
            },
            criterion::BatchSize::LargeInput,
        )
    });

    // The quote finder on articles whose entities are already found, as in the pipeline.
    let before_quotes: Vec<Article> = analysed
        .iter()
        .map(|article| {
            let mut article = article.clone();
            article.quotes.clear();
            article
        })
        .collect();
    group.bench_function("quotes", |b| {
        b.iter_batched(
            || before_quotes.clone(),
            |mut articles| {
                for article in &mut articles {
                    analyze::quotes::find_quotes(article);
                }
                articles
            },
            criterion::BatchSize::LargeInput,
        )
    });

    let options = analyze::Options {
        reference_date: Some("2022-05-01".to_string()),
    };
    group.bench_function("analyze_whole", |b| {
        b.iter_batched(
            || cleaned.clone(),
            |mut articles| {
                for article in &mut articles {
                    analyze::analyze(article, &options);
                }
                articles
            },
            criterion::BatchSize::LargeInput,
        )
    });

    let topic = textcat::Model::default_model();
    group.bench_function("topic_classifier", |b| {
        b.iter(|| {
            for article in &cleaned {
                black_box(topic.predict_article(&article.headline, &article.paragraphs));
            }
        })
    });

    group.bench_function("tone_classifier", |b| {
        b.iter(|| {
            for article in &cleaned {
                black_box(tone::score(&article.headline, &article.paragraphs));
            }
        })
    });

    // The words the topic and tone classifiers read: the same words either way (the `words`
    // crate's tests), split by table look-ups on ASCII text or by `unicode-segmentation`.
    let count_words = |split: &dyn Fn(&str) -> usize| {
        cleaned
            .iter()
            .map(|article| {
                article
                    .paragraphs
                    .iter()
                    .map(|text| split(text))
                    .sum::<usize>()
            })
            .sum::<usize>()
    };
    group.bench_function("words", |b| {
        b.iter(|| black_box(count_words(&|text| words::words(text).count())))
    });
    group.bench_function("words_unicode_segmentation", |b| {
        b.iter(|| black_box(count_words(&|text| text.unicode_words().count())))
    });

    // The plugin boundary: the host encodes the analysed article once per stage and every
    // plugin decodes it.
    group.bench_function("boundary_encode", |b| {
        b.iter(|| {
            for article in &analysed {
                black_box(serde_json::to_vec(article).unwrap_or_default());
            }
        })
    });
    let encoded: Vec<Vec<u8>> = analysed
        .iter()
        .filter_map(|article| serde_json::to_vec(article).ok())
        .collect();
    group.bench_function("boundary_decode", |b| {
        b.iter(|| {
            // As an exporter receives the record and decodes it through the plugin SDK.
            for json in &encoded {
                black_box(plugin_api::Record::new(json).article().is_ok());
            }
        })
    });
    group.finish();

    // Start-up: decoding the embedded NER model, which every run waits for before its first
    // article is tagged.
    let mut start_up = c.benchmark_group("start_up");
    start_up.sample_size(20);
    start_up.bench_function("ner_model_load", |b| {
        b.iter(|| black_box(ner::Tagger::from_bytes(ner::Tagger::default_model_bytes()).is_ok()))
    });
    start_up.finish();
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
