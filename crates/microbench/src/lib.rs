//! Inputs for the criterion micro-benchmarks in `benches/hot_paths.rs`: the articles of the
//! bundled `samples/` corpus, parsed and cleaned the way the pipeline does before analysis.
//!
//! Run them with `cargo bench -p microbench` (release, not part of CI); whole-pipeline
//! throughput lives in `cargo xtask bench`.

use std::path::{Path, PathBuf};

use article::Article;

/// The workspace's `samples/` folder.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// Every article under `samples/`, parsed and cleaned (boilerplate split off), not analysed.
/// Files that do not parse are left out: the benchmarks measure speed, not ingestion.
pub fn sample_articles() -> Vec<Article> {
    let inputs = ingest::InputSet::new([samples_dir().to_string_lossy().into_owned()]);
    inputs
        .read(ingest::Limits::default())
        .filter_map(Result::ok)
        .filter_map(|raw| ingest::parse(&raw).ok())
        .map(|mut article| {
            analyze::clean(&mut article);
            article
        })
        .collect()
}

/// The same articles, fully analysed against a fixed reference date.
pub fn analysed_articles() -> Vec<Article> {
    let options = analyze::Options {
        reference_date: Some("2022-05-01".to_string()),
    };
    sample_articles()
        .into_iter()
        .map(|mut article| {
            analyze::analyze(&mut article, &options);
            article
        })
        .collect()
}

/// Whitespace-separated words of an article (headline and paragraphs): the NER tagger's input
/// in the benchmark, independent of the analyser's own tokenizer.
pub fn words(article: &Article) -> Vec<&str> {
    std::iter::once(article.headline.as_str())
        .chain(article.paragraphs.iter().map(String::as_str))
        .flat_map(str::split_whitespace)
        .collect()
}

/// Bytes of article text (headline and paragraphs) in a set of articles, for throughput.
pub fn text_bytes(articles: &[Article]) -> u64 {
    articles
        .iter()
        .map(|article| {
            article.headline.len() + article.paragraphs.iter().map(String::len).sum::<usize>()
        })
        .sum::<usize>() as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_samples_are_found_and_parse() {
        let articles = super::sample_articles();
        assert!(
            articles.len() > 200,
            "only {} sample articles",
            articles.len()
        );
        assert!(super::text_bytes(&articles) > 100_000);
    }
}
