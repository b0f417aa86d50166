//! Bytes to text: BOMs, declared charsets, invalid UTF-8.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use sitrep_model::Diagnostic;

/// Decodes plain text: a UTF-8 or UTF-16 BOM is honoured and dropped;
/// otherwise UTF-8, with invalid bytes replaced by U+FFFD and reported.
#[must_use]
pub fn decode_text(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            diags.push(Diagnostic::warning(
                "invalid-encoding",
                format!("bytes invalid in {} were replaced by U+FFFD", enc.name()),
            ));
        }
        return (text.into_owned(), diags);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), diags),
        Err(e) => {
            let first = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let replaced = text.matches('\u{FFFD}').count();
            diags.push(Diagnostic::warning(
                "invalid-utf8",
                format!(
                    "invalid UTF-8 (first at byte {first}): {replaced} sequence(s) replaced by U+FFFD; offsets index the repaired text"
                ),
            ));
            (text, diags)
        }
    }
}

/// Decodes an HTML page: BOM first, then a charset declared in the first
/// 1024 bytes (`<meta charset>` or `http-equiv`), then the transport's
/// `content_type` charset, then UTF-8 if the bytes are valid UTF-8, else
/// windows-1252 (what browsers assume for legacy pages).
#[must_use]
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> (String, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let declared = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| prescan_meta_charset(&bytes[..bytes.len().min(1024)]))
        .or_else(|| content_type.and_then(|ct| charset_param(ct.as_bytes())));
    let enc = match declared {
        // A page that declares UTF-16 in a meta tag is ASCII-compatible by then: browsers use UTF-8.
        Some(e) if (e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE) && Encoding::for_bom(bytes).is_none() => {
            UTF_8
        }
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => {
            diags.push(Diagnostic::warning(
                "guessed-charset",
                "no charset declared and the bytes are not UTF-8: decoded as windows-1252",
            ));
            WINDOWS_1252
        }
    };
    let (text, used, had_errors) = enc.decode(bytes);
    if had_errors {
        diags.push(Diagnostic::warning(
            "invalid-encoding",
            format!("bytes invalid in {} were replaced by U+FFFD", used.name()),
        ));
    }
    (text.into_owned(), diags)
}

/// Finds `charset=NAME` in `<meta ...>` tags of the page's first bytes.
fn prescan_meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        if let Some(enc) = charset_param(&lower[start..end]) {
            return Some(enc);
        }
        from = start + 5;
    }
    None
}

/// Reads the value after `charset=` (quoted or not) and looks its label up.
fn charset_param(s: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    let pos = find(&lower, b"charset")?;
    let mut rest = &lower[pos + 7..];
    while let [b' ' | b'\t', tail @ ..] = rest {
        rest = tail;
    }
    let [b'=', tail @ ..] = rest else { return None };
    let mut rest = tail;
    while let [b' ' | b'\t' | b'"' | b'\'', tail @ ..] = rest {
        rest = tail;
    }
    let end = rest.iter().position(|c| matches!(c, b'"' | b'\'' | b';' | b' ' | b'/' | b'>')).unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_drops_bom_and_reports_invalid_utf8() {
        let (t, d) = decode_text(b"\xEF\xBB\xBFHello");
        assert_eq!(t, "Hello");
        assert!(d.is_empty());
        let (t, d) = decode_text(b"Caf\xE9 attack");
        assert_eq!(t, "Caf\u{FFFD} attack");
        assert_eq!(d[0].code, "invalid-utf8");
        assert!(d[0].message.contains("byte 3"), "{}", d[0].message);
    }

    #[test]
    fn text_honours_utf16_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Gao".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&bytes).0, "Gao");
    }

    #[test]
    fn html_uses_declared_charset() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>Caf\xE9</body></html>";
        let (t, d) = decode_html(page, None);
        assert!(t.contains("Caf\u{e9}"), "{t}");
        assert!(d.is_empty());
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>Bouak\xE9</p>";
        assert!(decode_html(page, None).0.contains("Bouak\u{e9}"));
    }

    #[test]
    fn html_without_declaration_falls_back_to_windows_1252() {
        let (t, d) = decode_html(b"<p>\x93quoted\x94</p>", None);
        assert!(t.contains("\u{201c}quoted\u{201d}"), "{t}");
        assert_eq!(d[0].code, "guessed-charset");
        let (t, d) = decode_html("<p>déjà</p>".as_bytes(), None);
        assert!(t.contains("déjà") && d.is_empty());
    }

    #[test]
    fn html_transport_charset_is_used_when_page_is_silent() {
        let (t, _) = decode_html(b"<p>\xE9t\xE9</p>", Some("text/html; charset=iso-8859-1"));
        assert!(t.contains("\u{e9}t\u{e9}"));
    }
}
