//! The article as quote attribution sees it: per paragraph its code points, word tokens,
//! sentence starts and the ranges inside quotation marks; and the entities with their mentions
//! indexed by paragraph, plus the speakers this module had to name itself.

use article::{Entity, EntityKind, Mention, Span};

use super::cues;
use super::marks::Marked;

/// One token: a word or a single punctuation character.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Byte range of the lowercase form in [`Para::lower`].
    lower: (usize, usize),
    /// Starts with an uppercase letter.
    pub capitalized: bool,
    /// A word (letters or digits), not punctuation.
    pub word: bool,
    /// Cue or stance verb: looked up here once, read by every rule.
    class: Option<cues::WordClass>,
    /// A capitalised word that opens a sentence but is a common word, not a name: the article
    /// writes it in lowercase elsewhere ("More recently", "Companies reported"), or it looks
    /// like an adverb ("Currently"), or like a participle or a plural noun before a lowercase
    /// word ("Speaking on BBC Radio 4, he …", "Optimists say"). Set by [`Doc::new`]; never a
    /// known entity's name.
    pub common: bool,
}

/// One paragraph, tokenised.
#[derive(Debug, Default)]
pub(crate) struct Para {
    pub chars: Vec<char>,
    pub toks: Vec<Tok>,
    /// Token indices where sentences start (always begins with 0 when there are tokens).
    pub sentence_starts: Vec<usize>,
    /// Code-point ranges inside direct quotes, marks included: sorted and disjoint, so a
    /// lookup is a binary search.
    pub quoted: Vec<(usize, usize)>,
    lower: String,
}

impl Para {
    fn new(text: &str) -> Para {
        let chars: Vec<char> = text.chars().collect();
        let mut para = Para {
            lower: String::with_capacity(text.len()),
            toks: Vec::with_capacity(chars.len() / 4),
            chars,
            ..Para::default()
        };
        para.tokenize();
        para.split_sentences();
        para
    }

    /// The lowercase text of token `tok_idx` ("" when out of range).
    pub fn lower(&self, tok_idx: usize) -> &str {
        self.toks
            .get(tok_idx)
            .and_then(|tok| self.lower.get(tok.lower.0..tok.lower.1))
            .unwrap_or("")
    }

    /// The original text of a code-point range.
    pub fn text(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.chars.len())..end.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The cue token `tok_idx` is by itself, if any (see [`cues::cue`]).
    pub fn cue(&self, tok_idx: usize) -> Option<cues::CueInfo> {
        self.toks.get(tok_idx)?.class?.cue
    }

    /// True when token `tok_idx` is a stance verb (`STANCE_VERBS` in [`cues`]).
    pub fn is_stance(&self, tok_idx: usize) -> bool {
        self.toks
            .get(tok_idx)
            .and_then(|tok| tok.class)
            .is_some_and(|class| class.stance)
    }

    /// The character of token `tok_idx` when it is punctuation.
    pub fn punct(&self, tok_idx: usize) -> Option<char> {
        let tok = self.toks.get(tok_idx)?;
        (!tok.word).then(|| self.chars[tok.start])
    }

    /// True when code point `idx` is inside a direct quote (marks included).
    pub fn is_quoted(&self, idx: usize) -> bool {
        let after = self.quoted.partition_point(|&(start, _)| start <= idx);
        after > 0 && idx < self.quoted[after - 1].1
    }

    /// Index of the first token starting at or after code point `idx`.
    pub fn tok_at(&self, idx: usize) -> usize {
        self.toks.partition_point(|tok| tok.start < idx)
    }

    /// Index of the sentence start at or before token `tok_idx`.
    pub fn sentence_start(&self, tok_idx: usize) -> usize {
        let pos = self
            .sentence_starts
            .partition_point(|&start| start <= tok_idx);
        pos.checked_sub(1)
            .map_or(0, |pos| self.sentence_starts[pos])
    }

    /// Token index where the sentence containing `tok_idx` ends (exclusive).
    pub fn sentence_end(&self, tok_idx: usize) -> usize {
        let pos = self
            .sentence_starts
            .partition_point(|&start| start <= tok_idx);
        self.sentence_starts
            .get(pos)
            .copied()
            .unwrap_or(self.toks.len())
    }

    fn tokenize(&mut self) {
        let chars = &self.chars;
        let mut idx = 0;
        while idx < chars.len() {
            let c = chars[idx];
            if c.is_whitespace() {
                idx += 1;
                continue;
            }
            let start = idx;
            let word = c.is_alphanumeric();
            if word {
                idx += 1;
                while idx < chars.len() {
                    let c = chars[idx];
                    if c.is_alphanumeric() {
                        idx += 1;
                        continue;
                    }
                    let next_alnum = chars.get(idx + 1).is_some_and(|c| c.is_alphanumeric());
                    if matches!(c, '’' | '\'' | '-' | '‑' | '&') && next_alnum
                        // "U.S", "p.m": a period between single letters.
                        || c == '.' && next_alnum && idx - start < 2
                            && chars.get(idx + 2).is_none_or(|c| !c.is_alphanumeric())
                    {
                        idx += 1;
                    } else {
                        break;
                    }
                }
            } else {
                idx += 1;
            }
            let lower_start = self.lower.len();
            for &c in &chars[start..idx] {
                if c.is_ascii() {
                    self.lower.push(c.to_ascii_lowercase());
                } else {
                    self.lower.extend(c.to_lowercase());
                }
            }
            let class = if word {
                cues::classify(&self.lower[lower_start..])
            } else {
                None
            };
            self.toks.push(Tok {
                start,
                end: idx,
                lower: (lower_start, self.lower.len()),
                capitalized: c.is_uppercase(),
                word,
                class,
                common: false,
            });
        }
    }

    fn split_sentences(&mut self) {
        if self.toks.is_empty() {
            return;
        }
        self.sentence_starts.push(0);
        for tok_idx in 0..self.toks.len() {
            let Some(c) = self.punct(tok_idx) else {
                continue;
            };
            if !matches!(c, '.' | '?' | '!' | '…') {
                continue;
            }
            if c == '.' && tok_idx > 0 {
                let before = self.lower(tok_idx - 1);
                let before_tok = &self.toks[tok_idx - 1];
                // "$11.1bn", "0.7-0.8%", "bbc.co.uk": a period with no space after it, between
                // a word or number and the next, is inside a token of the text.
                let glued_after = self
                    .toks
                    .get(tok_idx + 1)
                    .is_some_and(|next| next.word && next.start == self.toks[tok_idx].end);
                if glued_after && before_tok.word && before_tok.end == self.toks[tok_idx].start {
                    continue;
                }
                let single_letter =
                    before_tok.end - before_tok.start == 1 && before_tok.capitalized;
                if before_tok.end == self.toks[tok_idx].start
                    && (cues::ABBREVIATIONS.contains(&before) || single_letter)
                {
                    continue;
                }
            }
            // Closing marks and brackets that follow belong to this sentence.
            let mut next = tok_idx + 1;
            while next < self.toks.len()
                && self
                    .punct(next)
                    .is_some_and(|c| matches!(c, '”' | '’' | '"' | '\'' | ')' | '»'))
                && self.toks[next].start == self.toks[next - 1].end
            {
                next += 1;
            }
            let Some(next_tok) = self.toks.get(next) else {
                continue;
            };
            let next_char = self.chars[next_tok.start];
            if next_char.is_uppercase()
                || next_char.is_ascii_digit()
                || matches!(next_char, '“' | '"' | '‘' | '«' | '(')
            {
                self.sentence_starts.push(next);
            }
        }
        self.sentence_starts.dedup();
    }
}

/// A mention of an entity indexed for lookup by position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Located {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
}

/// The article's paragraphs and entities, ready for attribution.
pub(crate) struct Doc<'a> {
    pub paras: Vec<Para>,
    pub base: &'a [Entity],
    /// Entities this module named itself (speakers no entity covered), appended at the end.
    pub extra: Vec<Entity>,
    /// Entities of `base` that the tagger made people and the quotes show to be organisations
    /// ("Sony said it …"), by index: [`Doc::kind`] answers for them as for organisations.
    pub retyped: Vec<usize>,
    /// Mentions per paragraph, sorted by start.
    pub mentions: Vec<Vec<Located>>,
    /// The longest mention of each paragraph, in code points: bounds the search for
    /// mentions that overlap a range.
    longest: Vec<usize>,
}

impl<'a> Doc<'a> {
    pub fn new(paragraphs: &[String], entities: &'a [Entity]) -> Doc<'a> {
        let paras: Vec<Para> = paragraphs.iter().map(|text| Para::new(text)).collect();
        let mut mentions = vec![Vec::new(); paras.len()];
        for (entity_idx, entity) in entities.iter().enumerate() {
            for mention in &entity.mentions {
                if let Some(list) = mentions.get_mut(mention.span.paragraph) {
                    list.push(Located {
                        start: mention.span.start,
                        end: mention.span.end,
                        entity: entity_idx,
                    });
                }
            }
        }
        for list in &mut mentions {
            list.sort_by_key(|located| (located.start, located.end));
        }
        let longest = mentions.iter().map(|list| longest_of(list)).collect();
        let mut doc = Doc {
            paras,
            base: entities,
            extra: Vec::new(),
            retyped: Vec::new(),
            mentions,
            longest,
        };
        doc.mark_common_openers();
        doc
    }

    /// Sets [`Tok::common`] on the capitalised first words of sentences that are common words.
    /// A known entity's name is never common ("Brown said" once "Gordon Brown" is known).
    fn mark_common_openers(&mut self) {
        let mut openers: Vec<(usize, usize)> = Vec::new();
        for (paragraph, para) in self.paras.iter().enumerate() {
            for &start in &para.sentence_starts {
                let Some(tok_idx) =
                    (start..para.toks.len().min(start + 2)).find(|&idx| para.toks[idx].word)
                else {
                    continue;
                };
                let tok = &para.toks[tok_idx];
                if tok.capitalized && tok.end - tok.start > 1 {
                    openers.push((paragraph, tok_idx));
                }
            }
        }
        if openers.is_empty() {
            return;
        }
        // The openers' words, each marked once the article is seen to write it in lowercase:
        // one look-up per word of the article that passes a filter by first letter and length.
        let filter_slot = |word: &str| {
            let first = word.as_bytes().first().copied().unwrap_or(0);
            (usize::from(first) * 31 + word.len()) % 512
        };
        let mut filter = [0u64; 8];
        let mut in_lowercase: foldhash::HashMap<&str, bool> = foldhash::HashMap::default();
        for &(paragraph, tok_idx) in &openers {
            let word = self.paras[paragraph].lower(tok_idx);
            let slot = filter_slot(word);
            filter[slot / 64] |= 1 << (slot % 64);
            in_lowercase.insert(word, false);
        }
        for para in &self.paras {
            for (tok_idx, tok) in para.toks.iter().enumerate() {
                if !tok.word || tok.capitalized {
                    continue;
                }
                let word = para.lower(tok_idx);
                let slot = filter_slot(word);
                if filter[slot / 64] & (1 << (slot % 64)) == 0 {
                    continue;
                }
                // All lowercase: "eBay" and "iPod" are names in any position.
                if !para.chars[tok.start..tok.end]
                    .iter()
                    .any(|c| c.is_uppercase())
                    && let Some(seen) = in_lowercase.get_mut(word)
                {
                    *seen = true;
                }
            }
        }
        let is_common = |&(paragraph, tok_idx): &(usize, usize)| {
            let para = &self.paras[paragraph];
            let tok = &para.toks[tok_idx];
            let word = para.lower(tok_idx);
            let next_is_lowercase = para
                .toks
                .get(tok_idx + 1)
                .is_some_and(|next| next.word && !next.capitalized);
            let looks_common = in_lowercase.get(word).copied().unwrap_or(false)
                // "Currently, …", "Originally called …": an adverb.
                || word.len() > 4 && word.ends_with("ly")
                // "Speaking on …", "Realising that …": a participle.
                || word.len() > 5 && word.ends_with("ing") && next_is_lowercase
                // "Thousands marched", "Optimists say": a plural noun, not a name (a
                // surname is known by then, or tagged).
                || word.len() > 3
                    && word.ends_with('s')
                    && !word.ends_with("ss")
                    && !word.ends_with("'s")
                    && !word.ends_with("’s")
                    && next_is_lowercase
                    && para.chars[tok.start + 1..tok.end]
                        .iter()
                        .all(|c| !c.is_uppercase());
            // "The", "But", "Most": no entity is named so, and most sentences open so.
            looks_common
                && (cues::is_not_a_name(word)
                    || self.find_named(&para.text(tok.start, tok.end)).is_none())
        };
        let common: Vec<(usize, usize)> = openers.into_iter().filter(is_common).collect();
        for (paragraph, tok_idx) in common {
            self.paras[paragraph].toks[tok_idx].common = true;
        }
    }

    /// Records the quotes' ranges so later rules know what is inside marks.
    pub fn mark_quoted(&mut self, quotes: &[Marked]) {
        for marked in quotes {
            let n_parts = marked.parts.len();
            for (part_idx, &(paragraph, start, end)) in marked.parts.iter().enumerate() {
                let Some(para) = self.paras.get_mut(paragraph) else {
                    continue;
                };
                let open = if part_idx == 0 {
                    marked.open.1
                } else {
                    start.saturating_sub(1)
                };
                let close = match marked.close {
                    Some((_, close)) if part_idx + 1 == n_parts => close + 1,
                    _ => end,
                };
                para.quoted.push((open.min(start), close.max(end)));
            }
        }
        for para in &mut self.paras {
            para.quoted.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(para.quoted.len());
            for &(start, end) in &para.quoted {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            para.quoted = merged;
        }
    }

    /// The entity at `idx` (article entities first, then this module's own).
    pub fn entity(&self, idx: usize) -> Option<&Entity> {
        if idx < self.base.len() {
            self.base.get(idx)
        } else {
            self.extra.get(idx - self.base.len())
        }
    }

    pub fn kind(&self, idx: usize) -> EntityKind {
        if self.retyped.contains(&idx) {
            return EntityKind::Organization;
        }
        self.entity(idx)
            .map_or(EntityKind::Other, |entity| entity.kind)
    }

    /// True when entity `idx` is known by one bare word only: no first name, no title, never
    /// after a personal title ("Mr Sony") — what a company's name looks like.
    pub fn is_bare_single_name(&self, idx: usize) -> bool {
        let Some(entity) = self.entity(idx) else {
            return false;
        };
        let one_word = |name: &str| !name.contains(' ');
        one_word(&entity.name)
            && entity.aliases.iter().all(|alias| one_word(alias))
            && entity.titles.is_empty()
            && entity.mentions.iter().all(|mention| {
                let Some(para) = self.paras.get(mention.span.paragraph) else {
                    return true;
                };
                let mut before = para.tok_at(mention.span.start);
                // "Mr. Sony": past the period of an abbreviated title.
                while before > 0 && para.punct(before - 1) == Some('.') {
                    before -= 1;
                }
                before == 0 || !cues::PERSONAL_TITLES.contains(&para.lower(before - 1))
            })
    }

    /// Mentions that overlap a code-point range of a paragraph.
    pub fn mentions_in(
        &self,
        paragraph: usize,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = Located> + '_ {
        let list = self.mentions.get(paragraph).map_or(&[][..], Vec::as_slice);
        let longest = self.longest.get(paragraph).copied().unwrap_or(0);
        // Only mentions starting in `start - longest .. end` can overlap the range.
        let first = list.partition_point(|located| located.start + longest <= start);
        let last = list.partition_point(|located| located.start < end);
        list[first..last.max(first)]
            .iter()
            .filter(move |located| located.start < end && start < located.end)
            .copied()
    }

    /// The entity that `name` names: by its name or an alias, or a person by surname alone.
    pub fn find_named(&self, name: &str) -> Option<usize> {
        let matches = |entity: &Entity| {
            entity.name == name
                || entity.aliases.iter().any(|alias| alias == name)
                || entity.kind == EntityKind::Person
                    && !name.contains(' ')
                    && entity.name.rsplit(' ').next() == Some(name)
        };
        self.base.iter().chain(self.extra.iter()).position(matches)
    }

    /// The entity a written name refers to, creating one when none does: the fallback for
    /// names the entity recogniser missed. A surname alone joins a known person of that
    /// surname.
    pub fn entity_for_name(&mut self, name: &str, span: Span, kind: EntityKind) -> usize {
        let found = self.find_named(name);
        let mention = Mention {
            text: name.to_string(),
            span,
        };
        let entity_idx = match found {
            Some(entity_idx) => entity_idx,
            None => {
                let mut number = self.base.len() + self.extra.len() + 1;
                let taken = |id: &str| {
                    self.base
                        .iter()
                        .chain(self.extra.iter())
                        .any(|entity| entity.id == id)
                };
                while taken(&format!("e{number}")) {
                    number += 1;
                }
                self.extra.push(Entity {
                    id: format!("e{number}"),
                    kind,
                    name: name.to_string(),
                    aliases: Vec::new(),
                    titles: Vec::new(),
                    mentions: Vec::new(),
                });
                self.base.len() + self.extra.len() - 1
            }
        };
        if entity_idx >= self.base.len() {
            let extra_idx = entity_idx - self.base.len();
            let entity = &mut self.extra[extra_idx];
            // A name this attributor made a person for want of evidence, now spoken of as an
            // organisation ("Sony said …", then "Sony has said it …"); but not a person found
            // by surname alone ("Stringer said it" is no evidence about Howard Stringer).
            let spoken_of_as_organization = kind == EntityKind::Organization
                && entity.kind == EntityKind::Person
                && (entity.name == name || entity.aliases.iter().any(|alias| alias == name));
            if entity.name != name && !entity.aliases.iter().any(|alias| alias == name) {
                entity.aliases.push(name.to_string());
            }
            if !entity.mentions.iter().any(|known| known.span == span) {
                entity.mentions.push(mention);
                entity.mentions.sort_by_key(|mention| mention.span);
            }
            if let Some(list) = self.mentions.get_mut(span.paragraph)
                && !list
                    .iter()
                    .any(|located| located.start == span.start && located.entity == entity_idx)
            {
                list.push(Located {
                    start: span.start,
                    end: span.end,
                    entity: entity_idx,
                });
                list.sort_by_key(|located| (located.start, located.end));
                self.longest[span.paragraph] = longest_of(list);
            }
            if spoken_of_as_organization {
                self.retype_as_organization(entity_idx);
            }
        }
        entity_idx
    }

    /// Makes entity `idx` an organisation: one of this module's own at once, one of the
    /// article's by noting it in [`Doc::retyped`] (applied when the quotes are done).
    pub fn retype_as_organization(&mut self, idx: usize) {
        if idx < self.base.len() {
            if !self.retyped.contains(&idx) {
                self.retyped.push(idx);
            }
        } else if let Some(entity) = self.extra.get_mut(idx - self.base.len()) {
            entity.kind = EntityKind::Organization;
        }
    }
}

fn longest_of(list: &[Located]) -> usize {
    list.iter()
        .map(|located| located.end.saturating_sub(located.start))
        .max()
        .unwrap_or(0)
}
