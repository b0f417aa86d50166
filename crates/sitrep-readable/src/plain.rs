//! Plain-text layout: title line, dateline, body, trailing boilerplate.
//!
//! Nothing is removed from or moved in the text: the layout is a set of
//! ranges into the text as given, and the article is always a prefix of it
//! (trailing site furniture such as "Exit mobile version" is cut at the end).

use std::sync::OnceLock;

use sitrep_text::TextRange;

/// Where the parts of a plain-text report lie.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlainLayout {
    /// The headline: a short first line followed by a blank line.
    pub title: Option<TextRange>,
    /// The dateline that opens the body, dash included ("MOSUL, Iraq (CNN) —").
    pub dateline: Option<TextRange>,
    /// The place of the dateline ("MOSUL, Iraq").
    pub dateline_place: Option<TextRange>,
    /// The outlet named in the dateline's parentheses ("CNN").
    pub dateline_outlet: Option<TextRange>,
    /// The article body: after the title, up to the boilerplate.
    pub body: TextRange,
    /// End of the article: everything from here on is site boilerplate.
    pub end: usize,
}

const MAX_TITLE: usize = 300;
const MAX_BOILERPLATE_LINE: usize = 200;

fn boilerplate() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| parse_phrases(include_str!("../../../lexicons/boilerplate.txt")))
}

/// Parses a phrase list: one phrase a line, `#` comments, lower-cased.
#[must_use]
pub fn parse_phrases(src: &str) -> Vec<String> {
    src.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase).collect()
}

/// Lays out a plain-text report with the built-in boilerplate list.
#[must_use]
pub fn layout(text: &str) -> PlainLayout {
    layout_with(text, boilerplate())
}

/// Lays out text that has no headline line (e.g. text extracted from HTML,
/// whose title is metadata): only the dateline and boilerplate are found.
#[must_use]
pub fn layout_body(text: &str) -> PlainLayout {
    layout_inner(text, boilerplate(), false)
}

/// Lays out a plain-text report, cutting trailing lines that start with one
/// of `boilerplate` (lower-case phrases).
#[must_use]
pub fn layout_with(text: &str, boilerplate: &[String]) -> PlainLayout {
    layout_inner(text, boilerplate, true)
}

fn layout_inner(text: &str, boilerplate: &[String], find_title: bool) -> PlainLayout {
    let end = article_end(text, boilerplate);
    // A first line that opens with a dateline is the lede, not a headline.
    let title = if find_title { title(&text[..end]) } else { None }
        .filter(|t| dateline(text, TextRange::new(t.start(), end)).is_none());
    let body_start = title.map_or(0, |t| skip_blank(text, t.end()));
    let body = TextRange::new(body_start.min(end), end).trimmed(text);
    let mut out = PlainLayout { title, body, end, ..PlainLayout::default() };
    if let Some(d) = dateline(text, body) {
        out.dateline = Some(d.whole);
        out.dateline_place = Some(d.place);
        out.dateline_outlet = d.outlet;
    }
    out
}

/// A first line followed by a blank line, short, and not the whole text.
fn title(text: &str) -> Option<TextRange> {
    let first_start = text.len() - text.trim_start().len();
    let rest = &text[first_start..];
    let nl = rest.find('\n')?;
    let line = TextRange::new(first_start, first_start + nl).trimmed(text);
    let after = &rest[nl + 1..];
    let next_line = after.split('\n').next().unwrap_or("");
    let blank_follows = next_line.trim().is_empty() && !after.trim().is_empty();
    (blank_follows && !line.is_empty() && line.len() <= MAX_TITLE).then_some(line)
}

fn skip_blank(text: &str, from: usize) -> usize {
    from + (text[from..].len() - text[from..].trim_start().len())
}

/// The end of the article: trailing boilerplate lines (and blank lines) cut.
fn article_end(text: &str, boilerplate: &[String]) -> usize {
    let mut end = text.trim_end().len();
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = text[line_start..end].trim();
        if line.is_empty() || line.len() > MAX_BOILERPLATE_LINE || line_start == 0 {
            return end;
        }
        let lower = line.to_lowercase();
        if !boilerplate.iter().any(|p| lower.starts_with(p.as_str())) {
            return end;
        }
        end = text[..line_start].trim_end().len();
    }
}

struct Dateline {
    whole: TextRange,
    place: TextRange,
    outlet: Option<TextRange>,
}

/// "MOSUL, Iraq (CNN) —", "KHARTOUM, May 3 (Reuters) -", "GAO, Mali --":
/// an upper-case place opening the body, then an optional comma part and
/// parenthesised outlet, then a dash.
fn dateline(text: &str, body: TextRange) -> Option<Dateline> {
    let s = &text[body];
    let head = &s[..floor_char_boundary(s, s.len().min(160))];
    let (dash_at, dash_len) = ["\u{2014}", "\u{2013}", "--", " - "]
        .iter()
        .filter_map(|d| head.find(d).map(|i| (i, d.len())))
        .min_by_key(|&(i, _)| i)?;
    let prefix = &head[..dash_at];
    if prefix.contains('\n') || prefix.trim().is_empty() {
        return None;
    }
    // The place: leading run of upper-case words (at least two letters, no lower case).
    let place_end = prefix.find([',', '(']).unwrap_or(prefix.len());
    let place = prefix[..place_end].trim_end();
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || place.chars().any(char::is_lowercase) {
        return None;
    }
    let b = body.start();
    let outlet = match (prefix.find('('), prefix.rfind(')')) {
        (Some(o), Some(c)) if o < c => Some(TextRange::new(b + o + 1, b + c).trimmed(text)),
        _ => None,
    };
    // The place part runs to the parenthesis (or the dash): "MOSUL, Iraq".
    let place_full_end = prefix.find('(').unwrap_or(prefix.len());
    let place = TextRange::new(b, b + place_full_end).trimmed(text);
    let whole_end = b + dash_at + dash_len;
    Some(Dateline { whole: TextRange::new(b, whole_end).trimmed(text), place, outlet })
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        text: &str,
        title: Option<&str>,
        dateline: Option<&str>,
        place: Option<&str>,
        outlet: Option<&str>,
        end: &str,
    ) {
        let l = layout(text);
        let slice = |r: Option<TextRange>| r.map(|r| &text[r]);
        assert_eq!(slice(l.title), title, "title");
        assert_eq!(slice(l.dateline), dateline, "dateline");
        assert_eq!(slice(l.dateline_place), place, "dateline place");
        assert_eq!(slice(l.dateline_outlet), outlet, "outlet");
        assert!(text[..l.end].ends_with(end), "article ends with {:?}", &text[..l.end]);
        assert!(l.body.end() <= l.end);
    }

    #[test]
    fn headline_dateline_and_trailing_furniture() {
        let text = "Rebels seize border post\n\nGAO, Mali (Wire) \u{2014} Rebels took a border post on Tuesday, officials said.\n\nThe army said it would respond.\n\nShare this:\nExit mobile version\n";
        check(
            text,
            Some("Rebels seize border post"),
            Some("GAO, Mali (Wire) \u{2014}"),
            Some("GAO, Mali"),
            Some("Wire"),
            "it would respond.",
        );
    }

    #[test]
    fn no_title_when_the_first_line_runs_on() {
        check("Police arrested ten people in Harare.\nThey were charged.", None, None, None, None, "charged.");
    }

    #[test]
    fn dateline_with_date_and_ascii_dash() {
        let text = "KHARTOUM, May 3 (Reuters) - Clashes broke out.";
        check(text, None, Some("KHARTOUM, May 3 (Reuters) -"), Some("KHARTOUM, May 3"), Some("Reuters"), "broke out.");
    }

    #[test]
    fn a_mixed_case_opening_is_not_a_dateline() {
        check("Officials in Mosul - the largest city - said so.", None, None, None, None, "said so.");
    }

    #[test]
    fn boilerplate_only_at_the_end_and_only_short_lines() {
        let text =
            "Share this story with care, said the editor, who asked readers to stay calm.\n\nMore text.\nAdvertisement";
        let l = layout(text);
        assert_eq!(
            &text[..l.end],
            "Share this story with care, said the editor, who asked readers to stay calm.\n\nMore text."
        );
    }

    #[test]
    fn a_lede_with_a_dateline_is_not_a_title() {
        let text = "CAIRO, Egypt (Wire) \u{2014} Police arrested 30 people on Monday.\n\nThey were charged.";
        check(text, None, Some("CAIRO, Egypt (Wire) \u{2014}"), Some("CAIRO, Egypt"), Some("Wire"), "charged.");
        let l = layout_body("Headline-like first line\n\nBody.");
        assert_eq!(l.title, None);
        assert_eq!(l.body, TextRange::new(0, 31));
    }

    #[test]
    fn empty_and_whitespace_text() {
        for t in ["", "   ", "\n\n", "Exit mobile version"] {
            let l = layout(t);
            assert!(l.body.end() <= t.len() && l.end <= t.len());
        }
    }
}
