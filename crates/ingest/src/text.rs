//! Bytes to text: decoding with recorded repairs, and the plain-text article layout.

use article::Repair;

/// Text decoded from an input, and what decoding had to change.
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) repairs: Vec<Repair>,
}

/// Decodes an article file: UTF-8 (with or without BOM), UTF-16 with a BOM, and otherwise
/// UTF-8 with each invalid byte read as Windows-1252 (a superset of Latin-1 that old news
/// archives use), recorded as a repair. Binary data is refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let mut repairs = Vec::new();
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(format!("invalid {} text", encoding.name()));
        }
        return Ok(Decoded {
            text: strip_controls(text.into_owned(), &mut repairs)?,
            repairs,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(nul_idx) = memchr::memchr(0, bytes) {
        return Err(format!(
            "binary data (NUL byte at offset {nul_idx}), not text"
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => decode_lenient(bytes, &mut repairs),
    };
    Ok(Decoded {
        text: strip_controls(text, &mut repairs)?,
        repairs,
    })
}

fn decode_lenient(bytes: &[u8], repairs: &mut Vec<Repair>) -> String {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut n_invalid = 0usize;
    let mut first_invalid: Option<usize> = None;
    let mut before = String::new();
    let mut after = String::new();
    let mut byte_pos = 0usize;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        byte_pos += chunk.valid().len();
        for &byte in chunk.invalid() {
            let single = [byte];
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&single);
            first_invalid.get_or_insert(byte_pos);
            if n_invalid < 8 {
                before.push_str(&format!("\\x{byte:02X}"));
                after.push_str(&decoded);
            }
            text.push_str(&decoded);
            n_invalid += 1;
            byte_pos += 1;
        }
    }
    repairs.push(Repair {
        kind: "decode-windows-1252".to_string(),
        span: None,
        before: format!(
            "{n_invalid} byte(s) of invalid UTF-8, first at byte {}: {before}",
            first_invalid.unwrap_or(0)
        ),
        after,
    });
    text
}

/// Removes C0 control characters other than tab, newline, carriage return and form feed.
/// Refuses text that is mostly control characters: that is binary data.
fn strip_controls(text: String, repairs: &mut Vec<Repair>) -> Result<String, String> {
    // Every stray character is ASCII, and no byte of a multi-byte UTF-8 character is: they
    // are counted over the bytes, in a loop that vectorises.
    let is_stray_byte =
        |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | b'\x0c') || b == 0x7f;
    let is_stray = |c: char| u8::try_from(c).is_ok_and(is_stray_byte);
    let n_stray = text.bytes().filter(|&b| is_stray_byte(b)).count();
    if n_stray == 0 {
        return Ok(text);
    }
    let n_chars = text.chars().count();
    if n_stray * 20 > n_chars {
        return Err(format!(
            "binary data ({n_stray} control characters in {n_chars}), not text"
        ));
    }
    repairs.push(Repair {
        kind: "strip-control-chars".to_string(),
        span: None,
        before: format!("{n_stray} control character(s)"),
        after: String::new(),
    });
    Ok(text.chars().filter(|&c| !is_stray(c)).collect())
}

/// Headline and paragraphs of the plain-text layout: leading blank lines skipped, the first
/// line is the headline, blank lines separate paragraphs, and the lines of one paragraph are
/// joined with a space. Line endings may be `\n`, `\r\n` or `\r`.
pub(crate) fn split_layout(text: &str) -> (String, Vec<String>) {
    // Most files end their lines with `\n` alone, and splitting on one byte is much faster
    // than on a set of characters: the general case only when it is needed.
    if !text.contains(['\r', '\x0c']) {
        return layout_of_lines(text.split('\n'));
    }
    let normalised = text.replace("\r\n", "\n");
    layout_of_lines(normalised.split(['\n', '\r', '\x0c']))
}

fn layout_of_lines<'a>(lines: impl Iterator<Item = &'a str>) -> (String, Vec<String>) {
    let mut lines = lines.map(str::trim).skip_while(|line| line.is_empty());
    let headline = lines.next().unwrap_or_default().to_string();
    (headline, split_paragraphs(lines))
}

/// Paragraphs from lines: blank lines separate them.
pub(crate) fn split_paragraphs<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_byte_is_decoded_and_recorded() {
        let decoded = decode(b"Price: \xA3100 and \xE2\x80\x9cquoted\xE2\x80\x9d").unwrap();
        assert_eq!(decoded.text, "Price: £100 and “quoted”");
        assert_eq!(decoded.repairs.len(), 1);
        assert_eq!(decoded.repairs[0].kind, "decode-windows-1252");
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"PK\x03\x04\x00\x00").is_err());
        assert!(decode(&[1u8; 100]).is_err());
    }

    #[test]
    fn stray_control_characters_are_stripped_and_counted() {
        let mut repairs = Vec::new();
        let text = "a\x07b\tc\x7fd\u{80}é\u{1b}€ and enough text around these three characters to stay text.";
        let stripped = strip_controls(text.to_string(), &mut repairs).unwrap();
        assert_eq!(
            stripped,
            "ab\tcd\u{80}é€ and enough text around these three characters to stay text."
        );
        assert_eq!(repairs[0].before, "3 control character(s)");
        // Every character below U+3000 is stray exactly when it is a C0 control other than
        // tab, newline, carriage return and form feed, or DEL.
        for c in (0..0x3000).filter_map(char::from_u32) {
            let stray =
                c.is_control() && (c as u32) < 0x20 && !"\t\n\r\x0c".contains(c) || c == '\x7f';
            let mut repairs = Vec::new();
            let text = format!("{c} and a sentence long enough to stay text");
            let stripped = strip_controls(text.clone(), &mut repairs).unwrap();
            assert_eq!(stripped.len() < text.len(), stray, "{:?}", c);
            assert_eq!(repairs.len(), usize::from(stray));
        }
    }

    #[test]
    fn layout_tolerates_crlf_bom_and_blank_lines() {
        let decoded = decode(b"\xEF\xBB\xBF\r\n\r\nHeadline  \r\n\r\nFirst para\r\ncontinued.\r\n\r\n\r\nSecond.\r\n").unwrap();
        let (headline, paragraphs) = split_layout(&decoded.text);
        assert_eq!(headline, "Headline");
        assert_eq!(paragraphs, vec!["First para continued.", "Second."]);
    }
}
