//! Random and adversarial text through `clean` + `analyze`: it always returns, and every span
//! it records points at the text it claims. A small seeded generator, no extra crates.

use article::{Article, Span};

/// xorshift64*: deterministic, good enough to shuffle words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PIECES: &[&str] = &[
    "Putin",
    "Vladimir",
    "President",
    "Russian",
    "Senator",
    "Rand",
    "Paul",
    "Ms",
    "Hewitt",
    "Mr.",
    "U.S.",
    "UN",
    "the",
    "said",
    "told",
    "kyiv",
    "Kyiv",
    "Tuesday,",
    "April",
    "26,",
    "February",
    "30",
    "24it",
    "2022",
    "last",
    "week",
    "two",
    "days",
    "ago",
    "yesterday",
    "No.",
    "10",
    "J.",
    "K.",
    "Rowling",
    "3.5",
    "1,000",
    "...",
    "…",
    "“",
    "”",
    "\"",
    "'",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "(",
    ")",
    "[",
    "]",
    "—",
    "–",
    "-",
    ",",
    ".",
    "!",
    "?",
    ";",
    ":",
    "’s",
    "'s",
    "MOSCOW",
    "(Reuters)",
    "By",
    "Reporting",
    "by",
    "Editing",
    "Jane",
    "Doe",
    "de",
    "la",
    "Москва",
    "Путин",
    "北京",
    "習近平",
    "مرحبا",
    "שלום",
    "😀",
    "👩‍👩‍👧",
    "e\u{301}",
    "\u{200b}",
    "\u{200f}",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{feff}",
    "\u{fffd}",
    "\t",
    "\r",
    "ǅ",
    "ß",
    "İstanbul",
    "ﬁ",
    "Σ",
    "Mr",
    "Gen.",
    "Secretary",
    "General",
    "of",
    "The",
    "head",
    "Dr",
    "(AP)",
    "WASHINGTON,",
    "Friday,",
    "January",
    "4,",
    "2019",
    "Monday",
    "next",
    "month",
    "director",
    "general",
    "Chambers",
    "Commerce",
    "FSB",
    "(FSB)",
    "Federal",
    "Security",
];

fn random_paragraph(rng: &mut Rng, n_words: usize) -> String {
    let mut paragraph = String::new();
    for word_idx in 0..n_words {
        if word_idx > 0 && rng.below(6) != 0 {
            paragraph.push(' ');
        }
        paragraph.push_str(rng.pick(PIECES));
    }
    paragraph
}

fn random_chars(rng: &mut Rng, n_chars: usize) -> String {
    (0..n_chars)
        .map(|_| {
            let code = match rng.below(4) {
                0 => rng.below(0x80),
                1 => rng.below(0x800),
                2 => rng.below(0x1_0000),
                _ => rng.below(0x11_0000),
            };
            char::from_u32(code as u32).unwrap_or('\u{fffd}')
        })
        .collect()
}

/// Span text by code points, like [`Article::span_text`], from per-paragraph tables of char
/// offsets: `span_text` walks the paragraph from its start, which over thousands of spans
/// into a 1 MB paragraph would make this check, not the analysis, quadratic. A sample of
/// spans is also checked with `span_text` itself.
struct Spans<'a> {
    article: &'a Article,
    boundaries: Vec<Vec<usize>>,
    n_checked: usize,
}

impl<'a> Spans<'a> {
    fn new(article: &'a Article) -> Spans<'a> {
        let boundaries = article
            .paragraphs
            .iter()
            .map(|paragraph| {
                paragraph
                    .char_indices()
                    .map(|(idx, _)| idx)
                    .chain(std::iter::once(paragraph.len()))
                    .collect()
            })
            .collect();
        Spans {
            article,
            boundaries,
            n_checked: 0,
        }
    }

    fn text(&mut self, span: &Span) -> Option<&'a str> {
        let boundaries = self.boundaries.get(span.paragraph)?;
        let paragraph = self.article.paragraphs.get(span.paragraph)?;
        let text = if span.start <= span.end {
            paragraph.get(*boundaries.get(span.start)?..*boundaries.get(span.end)?)
        } else {
            None
        };
        if self.n_checked < 20 || self.n_checked.is_multiple_of(1009) {
            assert_eq!(text, self.article.span_text(span), "{span:?}");
        }
        self.n_checked += 1;
        text
    }
}

fn check(mut article: Article, reference: Option<&str>) {
    let published_before = article.published.clone();
    analyze::clean(&mut article);
    analyze::analyze(
        &mut article,
        &analyze::Options {
            reference_date: reference.map(str::to_string),
        },
    );
    let mut spans = Spans::new(&article);
    for entity in &article.entities {
        assert!(
            !entity.mentions.is_empty(),
            "{} has no mention",
            entity.name
        );
        for mention in &entity.mentions {
            assert_eq!(
                spans.text(&mention.span),
                Some(mention.text.as_str()),
                "mention of {}",
                entity.name
            );
        }
    }
    for date in &article.dates {
        assert_eq!(spans.text(&date.span), Some(date.text.as_str()));
        assert!(!date.value.is_empty());
    }
    if let Some(dateline) = &article.dateline {
        assert_eq!(spans.text(&dateline.span), Some(dateline.text.as_str()));
    }
    for repair in &article.repairs {
        if let Some(span) = &repair.span {
            assert_eq!(spans.text(span), Some(repair.after.as_str()));
        }
    }
    for quote in &article.quotes {
        for span in quote.spans.iter().chain(&quote.cue_span) {
            assert!(spans.text(span).is_some(), "quote span {span:?}");
        }
        for person in quote.speaker.iter().chain(&quote.addressee) {
            if let Some(span) = &person.span {
                assert!(spans.text(span).is_some(), "speaker span {span:?}");
            }
        }
    }
    if let (None, Some(published)) = (&published_before, &article.published) {
        assert!(analyze::is_iso_date(published), "{published}");
    }
}

fn article_of(paragraphs: Vec<String>) -> Article {
    let mut article = Article::new("fuzz");
    article.headline = "Headline".to_string();
    article.paragraphs = paragraphs;
    article
}

#[test]
fn random_news_words() {
    let mut rng = Rng(0x5EED_C0DE_0000_0001);
    for round in 0..150 {
        let n_paragraphs = rng.below(8);
        let paragraphs = (0..n_paragraphs)
            .map(|_| {
                let n_words = rng.below(60);
                random_paragraph(&mut rng, n_words)
            })
            .collect();
        let reference = ["2022-05-01", "2000-02-29", "nonsense", "9999-12-31"][round % 4];
        check(article_of(paragraphs), Some(reference));
    }
}

#[test]
fn random_code_points() {
    let mut rng = Rng(0x5EED_C0DE_0000_0002);
    for _ in 0..100 {
        let paragraphs = (0..rng.below(5))
            .map(|_| {
                let n_chars = rng.below(300);
                random_chars(&mut rng, n_chars)
            })
            .collect();
        check(article_of(paragraphs), None);
    }
}

#[test]
fn degenerate_articles() {
    check(article_of(Vec::new()), Some("2022-05-01"));
    check(article_of(vec![String::new(); 3]), Some("2022-05-01"));
    check(
        article_of(vec![" \t\r\n ".into(), "\u{0}\u{0}".into()]),
        None,
    );
    check(
        article_of(vec![
            "“Unbalanced quote, never closed. “Another”” » « ‘ ’ \" \"\"".into(),
            "”Closed first“ then ((( ]]] — -- --- ...... …… ?!?!".into(),
            "February 30, Tuesday, February 29, 2023 and 31 April and May 0 and April 2022-13-45"
                .into(),
            "By".into(),
            "By Jane".into(),
            "MOSCOW (Reuters) -".into(),
            "(Reuters) -".into(),
            "Reporting by ; Editing by".into(),
            "Mr. Mr. Mr. Senator Senator the the Putin’s’s’s".into(),
        ]),
        Some("2022-05-01"),
    );
    let mut article = article_of(vec!["Friday, January 4, 2019".into(), "Text.".into()]);
    article.published = Some("not a date".into());
    check(article, None);
}

#[test]
fn one_megabyte_paragraph() {
    let mut rng = Rng(0x5EED_C0DE_0000_0003);
    let mut paragraph = String::with_capacity(1 << 20);
    while paragraph.len() < 1 << 20 {
        paragraph.push_str(rng.pick(PIECES));
        paragraph.push(' ');
    }
    check(article_of(vec![paragraph]), Some("2022-05-01"));
}

#[test]
fn thousands_of_paragraphs() {
    let mut rng = Rng(0x5EED_C0DE_0000_0004);
    let paragraphs = (0..5000)
        .map(|_| {
            let n_words = rng.below(12);
            random_paragraph(&mut rng, n_words)
        })
        .collect();
    check(article_of(paragraphs), Some("2022-05-01"));
}
