//! The article model of single inputs, pinned as YAML snapshots.

use ingest::{Format, Origin, RawDoc};
use tests::workspace;

fn parse_file(relative: &str) -> article::Article {
    let path = workspace().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let raw = RawDoc {
        origin: Origin {
            path: relative.to_string(),
            name: relative.rsplit('/').next().unwrap_or(relative).to_string(),
            line: None,
        },
        bytes,
        format: Format::Text,
    };
    let mut article = ingest::parse(&raw).unwrap_or_else(|reason| panic!("{relative}: {reason}"));
    analyze::clean(&mut article);
    analyze::analyze(
        &mut article,
        &analyze::Options {
            reference_date: Some("2022-05-01".to_string()),
        },
    );
    article
}

#[test]
fn seed_article() {
    let article = parse_file("samples/seed-article.txt");
    // Offsets must point at the text they claim to.
    for repair in &article.repairs {
        if let Some(span) = &repair.span {
            assert_eq!(article.span_text(span), Some(repair.after.as_str()));
        }
    }
    insta::assert_yaml_snapshot!(article);
}

#[test]
fn latin1_article_is_decoded_with_a_recorded_repair() {
    let article = parse_file("tests/fixtures/corpus/03-latin1-crlf.txt");
    insta::assert_yaml_snapshot!(article);
}

#[test]
fn schema_names_the_public_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&article::json_schema()).unwrap_or_else(|error| panic!("{error}"));
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties in {schema}"));
    let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
    names.sort_unstable();
    insta::assert_yaml_snapshot!(names);
}
