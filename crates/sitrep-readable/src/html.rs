//! HTML main-text extraction: [`extract_html`] returns an [`HtmlArticle`].
//!
//! The page is parsed by a small forgiving parser of our own (`dom`, iterative,
//! nesting capped), the metadata is read from JSON-LD, `<meta>` tags, `<time>`,
//! the URL and the dateline (`meta`), and the article is found with Mozilla
//! Readability's heuristics (`readable`, word lists in `data/readability.tsv`).
//! The text keeps paragraphs: blocks are separated by blank lines.
//!
//! Candidate crates were measured against this on the readability and
//! trafilatura evaluation pages (`sitrep-bench`'s `html_candidates`, one
//! thread): dom_smoothie (also a Readability port) scores 0.009 F1 higher on
//! the readability pages but is 3× slower; trafilatura-rs and rs-trafilatura
//! score lower and are 8–15× slower. This extractor is about 20× as fast as
//! Python trafilatura on the same pages, so no candidate is used at run time.
//! Beyond Readability it drops short paragraphs that are mostly links (teasers
//! such as "Read more: …", which would otherwise read as events of their own).

mod dom;
mod meta;
mod readable;
mod rules;
mod text;

use sitrep_model::{Date, Diagnostic};

/// Pages longer than this (bytes) are cut here before parsing.
pub const MAX_HTML_BYTES: usize = 16 << 20;

/// What the extractor read from one HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// Main article text, paragraphs separated by blank lines, no title.
    pub text: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<Date>,
    /// Site name.
    pub outlet: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// Canonical URL (or the base URL given).
    pub url: Option<String>,
    /// Language tag as the page gives it (`en`, `en-GB`).
    pub language: Option<String>,
}

/// Extracts the main text and metadata of an HTML page.
///
/// Never fails: a page without article text gives an empty `text` and a
/// `no-article-text` warning; a page cut at [`MAX_HTML_BYTES`] or nested deeper
/// than the parser follows says so in a diagnostic.
#[must_use]
pub fn extract_html(html: &str, base_url: Option<&str>) -> (HtmlArticle, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let html = if html.len() > MAX_HTML_BYTES {
        let mut cut = MAX_HTML_BYTES;
        while !html.is_char_boundary(cut) {
            cut -= 1;
        }
        diagnostics.push(Diagnostic::warning(
            "html-truncated",
            format!("the page has {} bytes; only the first {cut} were read", html.len()),
        ));
        &html[..cut]
    } else {
        html
    };
    if looks_binary(html) {
        diagnostics.push(Diagnostic::warning("not-html", "the page looks like binary data, not HTML; it was not read"));
        diagnostics.push(Diagnostic::warning("no-article-text", "no article text was found in the HTML page"));
        return (HtmlArticle { url: base_url.map(str::to_string), ..HtmlArticle::default() }, diagnostics);
    }
    let dom = dom::Dom::parse(html);
    if dom.depth_capped {
        diagnostics.push(Diagnostic::warning(
            "html-too-deep",
            format!("elements nested deeper than {} levels were read as siblings", dom::MAX_DEPTH),
        ));
    }
    let meta = meta::read(&dom, base_url);
    let found = readable::find_article(dom, meta.title.as_deref().unwrap_or(""), meta.byline.is_some());
    let text = text::subtree_text(&found.dom, found.article);
    if text.is_empty() {
        diagnostics.push(Diagnostic::warning("no-article-text", "no article text was found in the HTML page"));
    }
    let published = meta.published.or_else(|| meta::date_in_dateline(&text));
    let author = meta.byline.or(found.byline).filter(|a| !a.is_empty());
    let article = HtmlArticle {
        text,
        title: meta.title,
        published,
        outlet: meta.site_name,
        author,
        url: meta.url,
        language: meta.language,
    };
    (article, diagnostics)
}

/// Whether more than 1% of the first 64 KiB are control characters (NUL and the like).
fn looks_binary(html: &str) -> bool {
    let head = &html.as_bytes()[..html.len().min(64 << 10)];
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    controls * 100 > head.len()
}

/// All visible text of an HTML page or fragment, blocks separated by blank lines
/// (scripts, styles and form controls left out). Used to read gold texts.
#[must_use]
pub fn html_to_text(html: &str) -> String {
    let dom = dom::Dom::parse(html);
    text::subtree_text(&dom, dom::ROOT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str = "<p>Government forces pushed into the eastern districts of the city on Monday, \
        a military spokesman said, after two weeks of air strikes, shelling and street fighting \
        that have displaced thousands of families.</p>";

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Forces push into eastern districts | Example Wire</title>\
             <meta property=\"og:site_name\" content=\"Example Wire\">\
             <meta property=\"article:published_time\" content=\"2016-10-17T06:30:00Z\">\
             <link rel=\"canonical\" href=\"https://wire.example/2016/10/17/forces-push\"></head>\
             <body><nav class=\"menu\"><a href=\"/\">Home</a><a href=\"/world\">World</a></nav>{body}\
             <footer class=\"footer\">© Example Wire. All rights reserved.</footer></body></html>"
        )
    }

    #[test]
    fn extracts_text_and_metadata() {
        let body = format!(
            "<article><h1>Forces push into eastern districts</h1>\
             <div class=\"byline\">By Jane Doe</div>{PARA}<p>The United Nations said on Tuesday that \
             at least 4,000 people had fled, many of them to camps near the border, and that aid \
             convoys were waiting for security guarantees.</p>{PARA}\
             <div class=\"share-tools\"><a href=\"#\">Share</a></div></article>"
        );
        let (a, diags) = extract_html(&page(&body), None);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a.title.as_deref(), Some("Forces push into eastern districts"));
        assert_eq!(a.outlet.as_deref(), Some("Example Wire"));
        assert_eq!(a.author.as_deref(), Some("By Jane Doe"));
        assert_eq!(a.published, Some(Date::new(2016, 10, 17).unwrap()));
        assert_eq!(a.url.as_deref(), Some("https://wire.example/2016/10/17/forces-push"));
        assert_eq!(a.language.as_deref(), Some("en"));
        let paras: Vec<&str> = a.text.split("\n\n").collect();
        assert_eq!(paras.len(), 3, "{}", a.text);
        assert!(paras[0].starts_with("Government forces pushed"));
        assert!(paras[1].starts_with("The United Nations said"));
        assert!(!a.text.contains("Home"));
        assert!(!a.text.contains("rights reserved"));
        assert!(!a.text.contains("Share"));
        assert!(!a.text.contains("Jane Doe"));
    }

    #[test]
    fn br_separated_text_becomes_paragraphs() {
        let line = "Rebels attacked a police post near the town late on Saturday, residents said, \
                    and the fighting lasted until dawn, with several houses burned";
        let body = format!("<div id=\"story\">{line}.<br><br>{line} again.<br><br>{line} once more.</div>");
        let (a, _) = extract_html(&page(&body), Some("https://wire.example/x"));
        assert_eq!(a.text.split("\n\n").count(), 3, "{}", a.text);
        assert!(a.text.ends_with("once more."));
    }

    #[test]
    fn bad_input_gives_diagnostics_not_panics() {
        let junk: String = (0..4096u32).map(|i| char::from_u32((i * 7919) % 0x2FF).unwrap_or('?')).collect();
        for input in [
            "",
            "   ",
            "\u{0}\u{1}\u{2}binary\u{fffd}\u{7f}<<<>>>&&&#;",
            &junk,
            "<html><body></body></html>",
            "</",
            "<!--",
            "<script>var a = '<p>not text</p>';",
        ] {
            let (a, diags) = extract_html(input, None);
            assert!(a.text.is_empty(), "{input:?} gave {:?}", a.text);
            assert!(diags.iter().any(|d| d.code == "no-article-text"), "{input:?}");
        }
        // Broken markup is read as far as it goes, never a panic.
        for input in ["<", "<a", "<div class='x", "&#xFFFFFFFF;&#0;&", "<![CDATA[x", "<table><td>x</tr></div></table>"]
        {
            let (a, _) = extract_html(input, Some("https://wire.example/a"));
            assert!(a.text.len() <= input.len() + 8, "{input:?} gave {:?}", a.text);
            assert_eq!(a.url.as_deref(), Some("https://wire.example/a"));
        }
    }

    #[test]
    fn deeply_nested_divs_do_not_overflow() {
        let html = format!(
            "<html><body>{}{PARA}{PARA}{PARA}{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let (a, diags) = extract_html(&html, None);
        assert!(diags.iter().any(|d| d.code == "html-too-deep"));
        assert!(a.text.contains("Government forces pushed"));
    }

    #[test]
    fn huge_page_is_cut_and_read() {
        let filler = format!("<div class=\"item\"><a href=\"/x\">link text here</a></div>{PARA}");
        let mut html = String::from("<html><body>");
        while html.len() < 50 << 20 {
            html.push_str(&filler);
        }
        html.push_str("</body></html>");
        let (a, diags) = extract_html(&html, None);
        assert!(diags.iter().any(|d| d.code == "html-truncated"));
        assert!(a.text.contains("Government forces pushed"));
    }

    #[test]
    fn dateline_date_when_no_metadata() {
        let body = format!(
            "<div><p>BAGHDAD, Oct. 17, 2016 - Iraqi troops began the assault, officials said, \
            as thousands of civilians remained in the city and aid groups warned of a crisis.</p>{PARA}{PARA}</div>"
        );
        let html = format!("<html><body>{body}</body></html>");
        let (a, _) = extract_html(&html, None);
        assert_eq!(a.published, Some(Date::new(2016, 10, 17).unwrap()));
    }

    #[test]
    fn html_to_text_reads_fragments() {
        assert_eq!(html_to_text("<div><p>One &amp; two</p><p>three<br>four</p></div>"), "One & two\n\nthree\nfour");
    }
}
