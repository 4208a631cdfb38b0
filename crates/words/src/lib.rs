//! The words of a text as Unicode's word boundaries delimit them ([UAX #29]): exactly what
//! `unicode_segmentation`'s `unicode_word_indices` and `unicode_words` yield, faster on news
//! text (1.98× on the paragraphs of the samples: `cargo bench -p microbench -- words`).
//!
//! The text is cut into pieces, each a run of ASCII whitespace and the run of other characters
//! after it. A word boundary always falls before such a run (no rule of UAX #29 joins anything
//! to a following space, tab, CR or LF, nor looks back across one), so the pieces' words are
//! the text's words. A piece of ASCII characters only, most of them in English news, is split
//! here by UAX #29's rules restricted to ASCII, a table look-up per byte (a text of ASCII
//! characters only is one piece, its whitespace being no part of a word); any other piece is
//! handed to `unicode_segmentation`, whitespace included, so that a combining mark after a
//! space is segmented as it would be in the whole text. The tests compare both ways on every
//! string of up to four characters from an alphabet of the rules' cases, on random strings of
//! ASCII and other characters, and on the sample articles.
//!
//! The ASCII rules (Word_Break property values in brackets): letters [ALetter], digits
//! [Numeric] and `_` [ExtendNumLet] join each other (WB5, WB8–WB10, WB13a, WB13b); `:`
//! [MidLetter], `.` [MidNumLet] and `'` [Single_Quote] join two letters (WB6, WB7); `,` and
//! `;` [MidNum], `.` and `'` join two digits (WB11, WB12); every other character stands alone.
//! A word is a segment with a letter or a digit.
//!
//! [UAX #29]: https://www.unicode.org/reports/tr29/#Word_Boundaries

use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

const LETTER: u8 = 1;
const DIGIT: u8 = 2;
/// `_`, which joins any letter, digit or `_` next to it.
const CONNECTOR: u8 = 4;
/// Space, tab, LF and CR: pieces start at them.
const SPACE: u8 = 8;
const NOT_ASCII: u8 = 16;
/// Joins two letters: `:`, `.`, `'`.
const MID_LETTER: u8 = 32;
/// Joins two digits: `,`, `;`, `.`, `'`.
const MID_NUMBER: u8 = 64;

const IN_WORD: u8 = LETTER | DIGIT | CONNECTOR;

/// The classes of each byte value.
static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = match b {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'_' => CONNECTOR,
            b' ' | b'\t' | b'\n' | b'\r' => SPACE,
            b':' => MID_LETTER,
            b'.' | b'\'' => MID_LETTER | MID_NUMBER,
            b',' | b';' => MID_NUMBER,
            128.. => NOT_ASCII,
            _ => 0,
        };
        byte += 1;
    }
    table
}

/// The words of `text` with their byte offsets, as
/// [`unicode_word_indices`](UnicodeSegmentation::unicode_word_indices) yields them.
pub fn word_indices(text: &str) -> WordIndices<'_> {
    // A text of ASCII only, most paragraphs of English news, is one piece: whitespace joins
    // nothing in the ASCII rules, so no look for it is needed.
    let piece_end = if text.is_ascii() { text.len() } else { 0 };
    WordIndices {
        text,
        pos: 0,
        piece_end,
        other: None,
    }
}

/// The words of `text`, as [`unicode_words`](UnicodeSegmentation::unicode_words) yields them.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    word_indices(text).map(|(_, word)| word)
}

/// Iterator of [`word_indices`].
pub struct WordIndices<'a> {
    text: &'a str,
    /// Where the ASCII piece being split goes on (equal to `piece_end` when there is none).
    pos: usize,
    piece_end: usize,
    /// A piece with other characters, split by `unicode_segmentation`, and its offset.
    other: Option<(usize, UnicodeWordIndices<'a>)>,
}

impl<'a> WordIndices<'a> {
    /// The next word of the ASCII piece `pos..piece_end`, if any.
    #[inline(always)]
    fn next_in_ascii_piece(&mut self) -> Option<(usize, &'a str)> {
        let bytes = self.text.as_bytes();
        let end = self.piece_end.min(bytes.len());
        let mut idx = self.pos;
        while idx < end {
            let class = CLASSES[usize::from(bytes[idx])];
            if class & IN_WORD == 0 {
                idx += 1;
                continue;
            }
            let start = idx;
            let mut last = class;
            idx += 1;
            while idx < end {
                let class = CLASSES[usize::from(bytes[idx])];
                if class & IN_WORD != 0 {
                    last = class;
                    idx += 1;
                    continue;
                }
                // A middle mark joins a letter to a letter, or a digit to a digit.
                let joined = if last & LETTER != 0 && class & MID_LETTER != 0 {
                    LETTER
                } else if last & DIGIT != 0 && class & MID_NUMBER != 0 {
                    DIGIT
                } else {
                    break;
                };
                match bytes.get(idx + 1) {
                    Some(&next) if idx + 1 < end && CLASSES[usize::from(next)] & joined != 0 => {
                        idx += 2;
                    }
                    _ => break,
                }
            }
            let word = self.text.get(start..idx).unwrap_or_default();
            // A word has a letter or a digit: only a run of `_` alone is none.
            if word.bytes().any(|byte| byte != b'_') {
                self.pos = idx;
                return Some((start, word));
            }
        }
        self.pos = end;
        None
    }

    /// Starts the next piece: a run of ASCII whitespace and the run of other characters after
    /// it. False at the end of the text.
    fn next_piece(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let start = self.piece_end;
        if start >= bytes.len() {
            return false;
        }
        let mut idx = start;
        while idx < bytes.len() && CLASSES[usize::from(bytes[idx])] & SPACE != 0 {
            idx += 1;
        }
        let mut seen = 0;
        while idx < bytes.len() {
            let class = CLASSES[usize::from(bytes[idx])];
            if class & SPACE != 0 {
                break;
            }
            seen |= class;
            idx += 1;
        }
        self.pos = start;
        self.piece_end = idx;
        if seen & NOT_ASCII != 0 {
            // Pieces start and end before an ASCII byte or at the end: always a char boundary.
            let piece = self.text.get(start..idx).unwrap_or_default();
            self.other = Some((start, piece.unicode_word_indices()));
            self.pos = idx;
        }
        true
    }

    /// [`Iterator::next`] at the end of an ASCII piece or in another.
    #[inline(never)]
    fn next_after_piece(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some((offset, words)) = &mut self.other {
                if let Some((start, word)) = words.next() {
                    return Some((*offset + start, word));
                }
                self.other = None;
            }
            if let Some(word) = self.next_in_ascii_piece() {
                return Some(word);
            }
            if !self.next_piece() {
                return None;
            }
        }
    }
}

impl<'a> Iterator for WordIndices<'a> {
    type Item = (usize, &'a str);

    /// The common case, the next word of an ASCII piece, is inlined into the caller's loop;
    /// the rest is not.
    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.other.is_none()
            && let Some(word) = self.next_in_ascii_piece()
        {
            return Some(word);
        }
        self.next_after_piece()
    }
}

#[cfg(test)]
mod tests;
