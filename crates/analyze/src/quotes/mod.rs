//! Quotations and who said them: fills [`Article::quotes`].
//!
//! Direct quotes are found from quotation marks ([`marks`]): every common style, nesting,
//! quotes continued over paragraphs, fragments. Each is attributed from the words around it
//! ([`attribute`]): a speech cue from a data-driven list ([`cues`]) and the noun phrase it
//! attaches to — a name, an inverted cue ("said Blinken"), a pronoun (the most recent person
//! mentioned outside quotes), a title (the person holding it, from [`Entity::titles`]), a colon
//! — or the speaker of the previous quote in the same paragraph when nothing intervenes.
//! Reported speech without marks ([`indirect`]) comes from the same cues followed or preceded
//! by a clause.
//!
//! Speakers are entities of the article (`analyze` runs this last, after entities). When no
//! entity covers a name that the grammar of the sentence makes a speaker, a new entity is added
//! for it, so every [`EntityRef`] points at an entity. A group ("officials", "Analysts said",
//! "the MPs") or a title alone ("Mr" before "Kok's report") is no entity: a group is the
//! quote's [`Quote::source`], a phrase without a speaker. When the text does not say who
//! spoke, the speaker is `None`: no guess is dressed as a fact.
//!
//! Short quoted phrases with no cue and no speaker nearby ("the “undercard” debate") are scare
//! quotes or titles, not quotations, and are left out.

mod attribute;
mod cues;
mod doc;
mod indirect;
mod marks;

pub(crate) use marks::is_mark;

#[cfg(test)]
mod tests;

use article::{Article, Entity, EntityRef, Mention, Quote, QuoteKind, Span};

use attribute::{Attribution, Who};
use doc::Doc;

/// Longest quote, in words, that is dropped as a scare quote when nothing attributes it.
const MAX_SCARE_QUOTE_WORDS: usize = 4;

/// Finds the article's quotes and their speakers and stores them in [`Article::quotes`]
/// (replacing what was there). Entities the speakers need and the article lacked are appended
/// to [`Article::entities`]; a one-word "person" that a quote speaks of as "it" ("Sony said it
/// …") becomes an organisation.
pub fn find_quotes(article: &mut Article) {
    let (quotes, extra, retyped) = {
        let mut doc = Doc::new(&article.paragraphs, &article.entities);
        let quotes = extract(&mut doc);
        (quotes, std::mem::take(&mut doc.extra), doc.retyped)
    };
    article.quotes = quotes;
    for entity_idx in retyped {
        if let Some(entity) = article.entities.get_mut(entity_idx) {
            entity.kind = article::EntityKind::Organization;
        }
    }
    article.entities.extend(extra);
}

fn extract(doc: &mut Doc) -> Vec<Quote> {
    let marked = {
        let chars: Vec<&[char]> = doc.paras.iter().map(|para| para.chars.as_slice()).collect();
        marks::find(&chars)
    };
    doc.mark_quoted(&marked);

    let mut direct: Vec<(marks::Marked, Attribution)> = Vec::with_capacity(marked.len());
    for quote in marked {
        let attribution = attribute_direct(doc, &quote, &direct);
        let is_scare = attribution.cue.is_none()
            && attribution.speaker.is_none()
            && n_words(doc, &quote) <= MAX_SCARE_QUOTE_WORDS;
        if !is_scare {
            direct.push((quote, attribution));
        }
    }

    // A cue that follows a direct quote ("…,” Blinken told the Senate …") does not also
    // introduce reported speech; one before a quoted fragment may ("stated that Putin “…”").
    let used_cues: Vec<(usize, usize)> = direct
        .iter()
        .filter(|(_, attribution)| {
            matches!(
                attribution.rule,
                "name-cue" | "cue-name" | "pronoun-cue" | "title-cue" | "phrase-cue"
            )
        })
        .filter_map(|(_, attribution)| attribution.cue)
        .map(|cue| (cue.paragraph, cue.toks.0))
        .collect();
    let mut reported = Vec::new();
    for paragraph in 0..doc.paras.len() {
        reported.extend(indirect::find(doc, paragraph, &used_cues));
    }

    let mut quotes: Vec<(Span, Quote)> = Vec::with_capacity(direct.len() + reported.len());
    for (quote, attribution) in &direct {
        let spans: Vec<Span> = quote
            .parts
            .iter()
            .map(|&(paragraph, start, end)| Span {
                paragraph,
                start,
                end,
            })
            .collect();
        let text = quote
            .parts
            .iter()
            .map(|&(paragraph, start, end)| doc.paras[paragraph].text(start, end))
            .collect::<Vec<_>>()
            .join("\n");
        let Some(&first) = spans.first() else {
            continue;
        };
        quotes.push((
            first,
            build(doc, QuoteKind::Direct, text, spans, attribution),
        ));
    }
    for found in &reported {
        let para = &doc.paras[found.paragraph];
        let span = Span {
            paragraph: found.paragraph,
            start: para.toks[found.toks.0].start,
            end: para.toks[found.toks.1 - 1].end,
        };
        let text = para.text(span.start, span.end);
        quotes.push((
            span,
            build(
                doc,
                QuoteKind::Indirect,
                text,
                vec![span],
                &found.attribution,
            ),
        ));
    }
    quotes.sort_by_key(|(span, _)| *span);
    quotes.into_iter().map(|(_, quote)| quote).collect()
}

fn n_words(doc: &Doc, quote: &marks::Marked) -> usize {
    quote
        .parts
        .iter()
        .map(|&(paragraph, start, end)| {
            let chars = &doc.paras[paragraph].chars;
            chars[start.min(chars.len())..end.min(chars.len())]
                .split(|c| c.is_whitespace())
                .filter(|word| !word.is_empty())
                .count()
        })
        .sum()
}

fn entity_ref(doc: &Doc, who: &Who) -> Option<EntityRef> {
    let entity: &Entity = doc.entity(who.entity?)?;
    Some(EntityRef {
        entity: entity.id.clone(),
        name: entity.name.clone(),
        span: Some(who.span),
    })
}

fn build(
    doc: &Doc,
    kind: QuoteKind,
    text: String,
    spans: Vec<Span>,
    attribution: &Attribution,
) -> Quote {
    let speaker = attribution.speaker.and_then(|who| entity_ref(doc, &who));
    let source = match (&speaker, attribution.speaker) {
        (None, Some(who)) => Some(Mention {
            text: doc.paras[who.span.paragraph].text(who.span.start, who.span.end),
            span: who.span,
        }),
        _ => None,
    };
    Quote {
        kind,
        text,
        spans,
        cue: attribution.cue.map(|cue| cue.text(doc)),
        cue_span: attribution.cue.map(|cue| cue.span(doc)),
        speaker,
        addressee: attribution.addressee.and_then(|who| entity_ref(doc, &who)),
        source,
        confidence: attribution.confidence,
        rule: attribution.rule.to_string(),
    }
}

/// Attributes one direct quote, given the quotes already attributed before it.
fn attribute_direct(
    doc: &mut Doc,
    quote: &marks::Marked,
    earlier: &[(marks::Marked, Attribution)],
) -> Attribution {
    let (open_paragraph, open) = quote.open;
    let last_char = quote
        .parts
        .last()
        .and_then(|&(paragraph, _, end)| doc.paras[paragraph].chars.get(end.checked_sub(1)?))
        .copied();
    let ends_sentence = last_char == Some('.');
    // The attribution from the words before the quote, found at most once: resolving a
    // speaker may add an entity to the article.
    let mut before: Option<Option<Attribution>> = None;
    let names_an_entity = |found: &Option<Attribution>| {
        found.is_some_and(|found| found.speaker.is_some_and(|who| who.entity.is_some()))
    };
    // "Brafman said, “… found.” He added, “…”": a quote that ends its sentence right after a
    // cue is that cue's, not the next sentence's, when the cue's speaker is an entity of the
    // article.
    if ends_sentence && attribute::cue_right_before(&doc.paras[open_paragraph], open) {
        let found = *before.insert(attribute::before_quote(doc, open_paragraph, open));
        if names_an_entity(&found) {
            return found.unwrap_or_else(Attribution::none);
        }
    }
    let after = quote.close.and_then(|(close_paragraph, close)| {
        attribute::after_quote(doc, close_paragraph, close, ends_sentence)
    });
    // "Cruz said he'd make sand “glow in the dark,” for instance, and Trump vowed …": a
    // fragment inside a clause reported by a cue before it is that cue's, unless a cue right
    // after it claims it ("…,” a spokesman said"); one after a conjunction starts a clause
    // of its own.
    let after_claims_it = after.is_some_and(|attribution| {
        attribution.cue.is_some_and(|cue| {
            quote.close.is_none_or(|(close_paragraph, close)| {
                close_paragraph != cue.paragraph
                    || !attribute::conjunction_between(&doc.paras[close_paragraph], close, cue)
            })
        })
    });
    if !ends_sentence
        && !after_claims_it
        && attribute::inside_reported_clause(&doc.paras[open_paragraph], open)
    {
        let found =
            *before.get_or_insert_with(|| attribute::before_quote(doc, open_paragraph, open));
        if names_an_entity(&found) {
            return found.unwrap_or_else(Attribution::none);
        }
    }
    if let Some(attribution) = after
        && attribution.speaker.is_some()
    {
        return attribution;
    }
    let before = before.unwrap_or_else(|| attribute::before_quote(doc, open_paragraph, open));
    if let Some(attribution) = before
        && attribution.speaker.is_some()
    {
        return attribution;
    }
    let unresolved = after.or(before);
    if unresolved.is_none() {
        let para = &doc.paras[open_paragraph];
        let opens_paragraph = para.tok_at(open) == 0;
        if opens_paragraph && let Some(attribution) = attribute::previous_colon(doc, open_paragraph)
        {
            return attribution;
        }
    }
    // The previous quote in this paragraph, when no other speaker is named between: also
    // after a cue with no subject of its own ("…,” Graham said, adding, “…”).
    if let Some((previous, attribution)) = earlier.last()
        && let Some((close_paragraph, _)) = previous.close
        && close_paragraph == open_paragraph
        && attribution.speaker.is_some()
    {
        return Attribution {
            cue: unresolved.and_then(|found| found.cue).or(attribution.cue),
            rule: "carry-over",
            confidence: (attribution.confidence - 0.15).max(0.0),
            ..*attribution
        };
    }
    unresolved.unwrap_or_else(Attribution::none)
}
