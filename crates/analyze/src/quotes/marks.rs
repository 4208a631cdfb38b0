//! Quotation marks: which characters open and close quotes, and the direct quotes they enclose.
//!
//! Written by hand because no crate pairs quotation marks the way news text needs: straight
//! marks decided by what flanks them, `’` read as an apostrophe inside words ("haven’t"),
//! nesting (only the outermost quote is a quote; inner marks stay in its text), and a quote
//! continued over several paragraphs where each paragraph reopens it and only the last closes.

/// Families of marks: a quote is closed by a mark of the family that opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// “…”, "…", „…“
    Double,
    /// ‘…’, '…', ‚…‘
    Single,
    /// «…»
    Guillemet,
    /// ‹…›
    SingleGuillemet,
}

/// A quote found in one or more paragraphs; offsets are code points into each paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marked {
    /// (paragraph, first code point, one past the last) of the words, per paragraph covered.
    pub parts: Vec<(usize, usize, usize)>,
    /// Where the opening mark stands: (paragraph, code point).
    pub open: (usize, usize),
    /// Where the closing mark stands, or `None` when the quote runs to its paragraph's end.
    pub close: Option<(usize, usize)>,
}

/// True for characters that may stand right before an opening mark.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '['
                        | '{'
                        | '—'
                        | '–'
                        | '-'
                        | '/'
                        | ':'
                        | '“'
                        | '‘'
                        | '«'
                        | '‹'
                        | '„'
                        | '‚'
                        | '"'
                        | '\''
                )
        }
    }
}

/// True for characters that may stand right after a closing mark.
fn closes_before(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

#[derive(Debug, Clone, Copy)]
struct Open {
    family: Family,
    idx: usize,
    /// „ and ‚ close with “ or ‘ (German and Central European style).
    low: bool,
}

/// What one mark does, given the marks open so far.
enum Role {
    Open(Family, bool),
    Close(Family),
    Neither,
}

fn role(chars: &[char], idx: usize, stack: &[Open]) -> Role {
    let c = chars[idx];
    let prev = idx
        .checked_sub(1)
        .and_then(|prev_idx| chars.get(prev_idx))
        .copied();
    let next = chars.get(idx + 1).copied();
    let has_open = |family: Family| stack.iter().any(|open| open.family == family);
    let top_low = |family: Family| {
        stack
            .last()
            .is_some_and(|open| open.family == family && open.low)
    };
    let next_is_word = next.is_some_and(|c| !c.is_whitespace());
    let prev_is_word = prev.is_some_and(|c| !c.is_whitespace());
    match c {
        '„' => Role::Open(Family::Double, true),
        '‚' => Role::Open(Family::Single, true),
        '“' if top_low(Family::Double) => Role::Close(Family::Double),
        '‘' if top_low(Family::Single) => Role::Close(Family::Single),
        '“' => {
            // A mistyped closer ("… end,“ he said") closes the open quote.
            if has_open(Family::Double) && prev_is_word && !next_is_word {
                Role::Close(Family::Double)
            } else {
                Role::Open(Family::Double, false)
            }
        }
        '”' => {
            if has_open(Family::Double) {
                Role::Close(Family::Double)
            } else if opens_after(prev) && next_is_word {
                // A mistyped opener.
                Role::Open(Family::Double, false)
            } else {
                Role::Neither
            }
        }
        '"' => {
            let left = opens_after(prev) && next_is_word;
            let right = prev_is_word && closes_before(next);
            if has_open(Family::Double) && (right || !left) {
                Role::Close(Family::Double)
            } else if left {
                Role::Open(Family::Double, false)
            } else {
                Role::Neither
            }
        }
        '‘' => {
            if next.is_some_and(|c| c.is_ascii_digit()) {
                // ‘90s: an apostrophe typed as an opener.
                Role::Neither
            } else {
                Role::Open(Family::Single, false)
            }
        }
        '’' | '\'' => {
            let between_letters =
                prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
            if between_letters {
                return Role::Neither;
            }
            if has_open(Family::Single) && prev_is_word && closes_before(next) {
                return Role::Close(Family::Single);
            }
            let left = opens_after(prev)
                && next.is_some_and(|c| c.is_alphabetic() || c == '“' || c == '"')
                && !is_elision(chars, idx + 1);
            if c == '\'' && left || c == '’' && left && prev.is_none_or(|c| c != ' ') {
                // A ’ after a space is "’em" or "’90s" far more often than an opener.
                Role::Open(Family::Single, false)
            } else {
                Role::Neither
            }
        }
        '«' => Role::Open(Family::Guillemet, false),
        '»' => {
            if has_open(Family::Guillemet) {
                Role::Close(Family::Guillemet)
            } else {
                Role::Neither
            }
        }
        '‹' => Role::Open(Family::SingleGuillemet, false),
        '›' => {
            if has_open(Family::SingleGuillemet) {
                Role::Close(Family::SingleGuillemet)
            } else {
                Role::Neither
            }
        }
        _ => Role::Neither,
    }
}

/// "'em", "'til", "'cause", "'n'": words that begin with an apostrophe.
fn is_elision(chars: &[char], word_start: usize) -> bool {
    let word: String = chars[word_start.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_alphanumeric())
        .take(8)
        .flat_map(|c| c.to_lowercase())
        .collect();
    matches!(
        word.as_str(),
        "em" | "til" | "cause" | "n" | "tis" | "twas" | "bout" | "round" | "s"
    )
}

/// True for any character that can be a quotation mark.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '"' | '‘' | '’' | '\'' | '«' | '»' | '‹' | '›' | '„' | '‚'
    )
}

/// The family an opening mark at the start of a paragraph belongs to, if it opens one.
fn leading_open(chars: &[char]) -> Option<(usize, Family)> {
    let idx = chars.iter().position(|c| !c.is_whitespace())?;
    match role(chars, idx, &[]) {
        Role::Open(family, _) => Some((idx, family)),
        _ => None,
    }
}

/// Trims whitespace from a code-point range.
fn trim(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    (start, end)
}

/// Every outermost quote in the paragraphs, in text order. `paragraphs[i]` is paragraph `i`
/// as code points.
pub(crate) fn find(paragraphs: &[&[char]]) -> Vec<Marked> {
    let mut quotes = Vec::new();
    // A quote left open at the end of the previous paragraph, waiting for a reopening mark.
    let mut pending: Option<(Marked, Family)> = None;
    for (paragraph_idx, chars) in paragraphs.iter().enumerate() {
        let mut stack: Vec<Open> = Vec::new();
        let mut scan_from = 0;
        if let Some((mut marked, family)) = pending.take() {
            match leading_open(chars) {
                Some((open_idx, leading_family)) if leading_family == family => {
                    // The quote goes on: this paragraph reopens it.
                    stack.push(Open {
                        family,
                        idx: open_idx,
                        low: false,
                    });
                    scan_from = open_idx + 1;
                    marked
                        .parts
                        .push((paragraph_idx, open_idx + 1, open_idx + 1));
                    pending = Some((marked, family));
                }
                _ => quotes.push(marked),
            }
        }
        for idx in scan_from..chars.len() {
            if !is_mark(chars[idx]) {
                continue;
            }
            match role(chars, idx, &stack) {
                Role::Open(family, low) => stack.push(Open { family, idx, low }),
                Role::Close(family) => {
                    let Some(depth) = stack.iter().rposition(|open| open.family == family) else {
                        continue;
                    };
                    let open = stack[depth];
                    stack.truncate(depth);
                    if depth > 0 {
                        continue;
                    }
                    let (start, end) = trim(chars, open.idx + 1, idx);
                    match pending.take() {
                        Some((mut marked, _)) => {
                            if let Some(last) = marked.parts.last_mut() {
                                *last = (paragraph_idx, start, end);
                            }
                            marked.close = Some((paragraph_idx, idx));
                            quotes.push(marked);
                        }
                        None => quotes.push(Marked {
                            parts: vec![(paragraph_idx, start, end)],
                            open: (paragraph_idx, open.idx),
                            close: Some((paragraph_idx, idx)),
                        }),
                    }
                }
                Role::Neither => {}
            }
        }
        // Whatever is still open at the paragraph's end: the outermost opener runs to the end,
        // and may go on in the next paragraph.
        let Some(open) = stack.first().copied() else {
            continue;
        };
        let (start, end) = trim(chars, open.idx + 1, chars.len());
        let marked = match pending.take() {
            Some((mut marked, _)) => {
                if let Some(last) = marked.parts.last_mut() {
                    *last = (paragraph_idx, start, end);
                }
                marked
            }
            None => Marked {
                parts: vec![(paragraph_idx, start, end)],
                open: (paragraph_idx, open.idx),
                close: None,
            },
        };
        if open.family == Family::Single && marked.parts.len() == 1 {
            // A lone unclosed single mark is an apostrophe far more often than a quote.
            continue;
        }
        pending = Some((marked, open.family));
    }
    if let Some((marked, _)) = pending {
        quotes.push(marked);
    }
    quotes.retain(|marked| marked.parts.iter().any(|&(_, start, end)| end > start));
    quotes
}
