//! What analysis finds in real articles: entities with titles and aliases, dates, datelines,
//! pinned as YAML snapshots and reviewed by eye; and the whole BBC corpus analysed without a
//! panic.

use article::Article;
use ingest::{Format, Origin, RawDoc};
use tests::workspace;

fn analyse_bytes(relative: &str, bytes: Vec<u8>) -> Option<Article> {
    let raw = RawDoc {
        origin: Origin {
            path: relative.to_string(),
            name: relative.rsplit('/').next().unwrap_or(relative).to_string(),
            line: None,
        },
        bytes,
        format: Format::Text,
    };
    let mut article = ingest::parse(&raw).ok()?;
    analyze::clean(&mut article);
    analyze::analyze(
        &mut article,
        &analyze::Options {
            reference_date: Some("2022-05-01".to_string()),
        },
    );
    Some(article)
}

fn analyse_file(relative: &str) -> Article {
    let path = workspace().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    analyse_bytes(relative, bytes).unwrap_or_else(|| panic!("{relative} does not parse"))
}

/// Every span of every entity mention, date and dateline points at the text it claims.
fn assert_spans_round_trip(article: &Article) {
    for entity in &article.entities {
        for mention in &entity.mentions {
            assert_eq!(
                article.span_text(&mention.span),
                Some(mention.text.as_str()),
                "{} in {}",
                entity.name,
                article.id
            );
        }
    }
    for date in &article.dates {
        assert_eq!(article.span_text(&date.span), Some(date.text.as_str()));
    }
    if let Some(dateline) = &article.dateline {
        assert_eq!(
            article.span_text(&dateline.span),
            Some(dateline.text.as_str())
        );
    }
}

/// The part of the record analysis fills, for snapshots.
fn analysis(article: &Article) -> serde_json::Value {
    assert_spans_round_trip(article);
    serde_json::json!({
        "headline": article.headline,
        "published": article.published,
        "byline": article.byline,
        "dateline": article.dateline,
        "credits": article.credits,
        "entities": article.entities,
        "dates": article.dates,
    })
}

#[test]
fn seed_article_analysis() {
    let article = analyse_file("samples/seed-article.txt");
    insta::assert_yaml_snapshot!(analysis(&article));
}

#[test]
fn wikinews_magnitogorsk_dateline_and_relative_dates() {
    let article = analyse_file("samples/wikinews/wn2019-001.txt");
    insta::assert_yaml_snapshot!(analysis(&article));
}

#[test]
fn wikinews_pelosi_people_and_titles() {
    let article = analyse_file("samples/wikinews/wn2019-002.txt");
    insta::assert_yaml_snapshot!(analysis(&article));
}

#[test]
fn wikinews_cruz_senators() {
    let article = analyse_file("samples/wikinews/wn2019-005.txt");
    insta::assert_yaml_snapshot!(analysis(&article));
}

#[test]
fn wikinews_gdansk_apposition_and_diacritics() {
    let article = analyse_file("samples/wikinews/wn2019-012.txt");
    insta::assert_yaml_snapshot!(analysis(&article));
}

#[test]
fn wikinews_mendez_organisations() {
    let article = analyse_file("samples/wikinews/wn2019-015.txt");
    insta::assert_yaml_snapshot!(analysis(&article));
}

#[test]
fn bbc_corpus_is_analysed_without_panic() {
    let Some(data) = tests::shared_data() else {
        eprintln!("skipped: ../shared/data is not present on this machine");
        return;
    };
    let mut paths = Vec::new();
    for class in ["business", "entertainment", "politics", "sport", "tech"] {
        let folder = data.join("bbc").join(class);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        paths.extend(
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "txt")),
        );
    }
    paths.sort();
    assert_eq!(paths.len(), 2225, "the BBC corpus has 2,225 articles");
    let mut n_entities = 0;
    for path in &paths {
        let bytes =
            std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let relative = path.to_string_lossy().into_owned();
        let article =
            analyse_bytes(&relative, bytes).unwrap_or_else(|| panic!("{relative} does not parse"));
        assert_spans_round_trip(&article);
        n_entities += article.entities.len();
    }
    assert!(
        n_entities > 2225 * 5,
        "only {n_entities} entities in the BBC corpus"
    );
}
