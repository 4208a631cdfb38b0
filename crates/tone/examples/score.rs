//! Prints the tone of each file given (headline line, blank line, paragraphs), then the
//! scoring speed: `cargo run --release -p tone --example score -- FILE...`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut articles = Vec::new();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (headline, body) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
        let paragraphs: Vec<String> = body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        articles.push((path, headline.trim().to_owned(), paragraphs));
    }
    let started = Instant::now();
    let mut n_words = 0;
    for (path, headline, paragraphs) in &articles {
        let tone = tone::score(headline, paragraphs);
        n_words += tone.n_words;
        if articles.len() <= 20 {
            println!(
                "{path}\ttone {:+.3}  v2tone {:+.2}  positive {:.2}%  negative {:.2}%  polarity {:.2}%  words {}",
                tone.tone,
                tone.v2tone(),
                tone.positive,
                tone.negative,
                tone.polarity,
                tone.n_words
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{} articles, {n_words} words in {seconds:.3} s: {:.0} articles/s (single thread)",
        articles.len(),
        articles.len() as f64 / seconds
    );
    Ok(())
}
