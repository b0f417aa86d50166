//! Page metadata: title, publication date, site name, author, canonical URL, language.
//!
//! Sources, strongest first: schema.org JSON-LD, `<meta>` tags (Open Graph,
//! Dublin Core, Parse.ly, Twitter, `article:`), then the page itself (`<title>`
//! cleaned of the site suffix, `<time>`, dates in the URL, the dateline).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;
use sitrep_model::Date;

use super::dom::{Dom, ROOT, Tag};
use super::readable::text_similarity;

const MONTHS_TSV: &str = include_str!("../../data/months.tsv");

/// What the page says about itself.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    pub(crate) title: Option<String>,
    pub(crate) byline: Option<String>,
    pub(crate) site_name: Option<String>,
    pub(crate) published: Option<Date>,
    pub(crate) url: Option<String>,
    pub(crate) language: Option<String>,
}

#[derive(Debug, Default)]
struct JsonLd {
    title: Option<String>,
    byline: Option<String>,
    site_name: Option<String>,
    published: Option<String>,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of_element(dom: &Dom, id: u32) -> String {
    let mut s = String::new();
    for n in dom.descendants(id) {
        s.push_str(dom.text_of(n));
    }
    s
}

/// Reads the metadata of a parsed page.
pub(crate) fn read(dom: &Dom, base_url: Option<&str>) -> Meta {
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let mut canonical = None;
    let mut og_url = None;
    let mut jsonld: Option<JsonLd> = None;
    let mut time_pubdate = None;
    let mut itemprop_date = None;
    let mut first_time = None;
    let mut html_lang = None;
    let mut meta_lang = None;
    let mut doc_title = None;
    for n in dom.descendants(ROOT) {
        let Some(tag) = dom.tag(n) else { continue };
        match tag {
            Tag::Html => html_lang = dom.attr(n, "lang").or_else(|| dom.attr(n, "xml:lang")).map(str::trim),
            Tag::Title if doc_title.is_none() => doc_title = Some(collapse(&text_of_element(dom, n))),
            Tag::Meta => {
                let Some(content) = dom.attr(n, "content") else { continue };
                let content = content.trim();
                if content.is_empty() {
                    continue;
                }
                let mut matched = false;
                if let Some(property) = dom.attr(n, "property") {
                    for p in property.split_whitespace() {
                        if let Some(key) = property_key(p) {
                            values.insert(key, content.to_string());
                            matched = true;
                        }
                    }
                    if property.eq_ignore_ascii_case("og:url") {
                        og_url = Some(content.to_string());
                    }
                    if property.eq_ignore_ascii_case("og:locale") && meta_lang.is_none() {
                        meta_lang = Some(content.replace('_', "-"));
                    }
                }
                if !matched && let Some(key) = dom.attr(n, "name").and_then(name_key) {
                    values.insert(key, content.to_string());
                }
                if dom.attr(n, "itemprop") == Some("datePublished") && itemprop_date.is_none() {
                    itemprop_date = Some(content.to_string());
                }
                if dom.attr(n, "http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("content-language")) {
                    meta_lang = Some(content.to_string());
                }
            }
            Tag::Link => {
                let rel = dom.attr(n, "rel").unwrap_or("");
                if canonical.is_none() && rel.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")) {
                    canonical = dom.attr(n, "href").map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
                }
            }
            Tag::Script => {
                if jsonld.is_none()
                    && dom.attr(n, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                {
                    jsonld = parse_jsonld(&text_of_element(dom, n), doc_title.as_deref().unwrap_or(""), dom);
                }
            }
            Tag::Time => {
                let value = dom.attr(n, "datetime").map(str::to_string);
                if let Some(v) = value {
                    if dom.attr(n, "pubdate").is_some() && time_pubdate.is_none() {
                        time_pubdate = Some(v.clone());
                    }
                    if dom.attr(n, "itemprop") == Some("datePublished") && itemprop_date.is_none() {
                        itemprop_date = Some(v.clone());
                    }
                    if first_time.is_none() {
                        first_time = Some(v);
                    }
                }
            }
            _ => {
                if dom.attr(n, "itemprop") == Some("datePublished") && itemprop_date.is_none() {
                    itemprop_date = dom.attr(n, "content").or_else(|| dom.attr(n, "datetime")).map(str::to_string);
                }
            }
        }
    }
    let jsonld = jsonld.unwrap_or_default();
    let get = |keys: &[&str]| keys.iter().find_map(|k| values.get(*k).cloned());
    let title = jsonld
        .title
        .clone()
        .or_else(|| {
            get(&[
                "dc:title",
                "dcterm:title",
                "og:title",
                "weibo:article:title",
                "weibo:webpage:title",
                "title",
                "twitter:title",
                "parsely-title",
            ])
        })
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| doc_title.as_deref().map(|t| article_title(dom, t)).filter(|t| !t.is_empty()));
    let byline = jsonld
        .byline
        .clone()
        .or_else(|| get(&["dc:creator", "dcterm:creator", "author", "parsely-author"]))
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty() && !t.starts_with("http"));
    let site_name =
        jsonld.site_name.clone().or_else(|| get(&["og:site_name"])).map(|t| collapse(&t)).filter(|t| !t.is_empty());
    let url = canonical.or(og_url).map(|u| resolve(&u, base_url)).or_else(|| base_url.map(str::to_string));
    let date_sources = [
        jsonld.published,
        get(&["article:published_time", "parsely-pub-date"]),
        get(&["x-date", "pub-date"]),
        itemprop_date,
        time_pubdate,
    ];
    let mut published = date_sources.iter().flatten().find_map(|s| parse_date(s));
    if published.is_none() {
        published = url.as_deref().and_then(date_in_url).or_else(|| base_url.and_then(date_in_url));
    }
    if published.is_none() {
        published = first_time.as_deref().and_then(parse_date);
    }
    let language = html_lang.map(str::to_string).or(meta_lang).filter(|l| !l.is_empty());
    Meta { title, byline, site_name, published, url, language }
}

/// `article:published_time`-style property keys Readability reads.
fn property_key(p: &str) -> Option<String> {
    let lower = p.trim().to_ascii_lowercase();
    let (prefix, name) = lower.split_once(':')?;
    let prefix = prefix.trim();
    let name = name.trim();
    let ok_prefix = matches!(prefix, "article" | "dc" | "dcterm" | "og" | "twitter");
    let ok_name = matches!(name, "author" | "creator" | "description" | "published_time" | "title" | "site_name");
    (ok_prefix && ok_name).then(|| format!("{prefix}:{name}"))
}

/// `<meta name=…>` keys Readability reads (`dc.title` is read as `dc:title`), and extra date keys as `x-date`.
fn name_key(name: &str) -> Option<String> {
    let normalized: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '.' { ':' } else { c.to_ascii_lowercase() })
        .collect();
    const KEYS: [&str; 6] = ["author", "creator", "pub-date", "description", "title", "site_name"];
    if KEYS.contains(&normalized.as_str()) {
        return Some(normalized);
    }
    for prefix in ["dc", "dcterm", "og", "twitter", "parsely", "weibo:article", "weibo:webpage"] {
        if let Some(rest) = normalized.strip_prefix(prefix)
            && let Some(key) = rest.strip_prefix(['-', ':'])
            && KEYS.contains(&key)
        {
            return Some(normalized);
        }
    }
    matches!(
        normalized.as_str(),
        "dc:date"
            | "dcterms:date"
            | "dcterms:created"
            | "dcterms:issued"
            | "dcterms:available"
            | "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publication_date"
            | "sailthru:date"
            | "article:published_time"
            | "article_date_original"
            | "original-publish-date"
    )
    .then(|| "x-date".to_string())
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "AdvertiserContentArticle",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "SocialMediaPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "DiscussionForumPosting",
    "TechArticle",
    "APIReference",
    "WebPage",
];

fn is_article_type(v: &Value) -> bool {
    match v {
        Value::String(s) => ARTICLE_TYPES[..ARTICLE_TYPES.len() - 1].contains(&s.as_str()),
        Value::Array(a) => a.iter().any(is_article_type),
        _ => false,
    }
}

fn is_schema_org(s: &str) -> bool {
    let s = s.trim_end_matches('/');
    s == "http://schema.org" || s == "https://schema.org"
}

fn parse_jsonld(raw: &str, doc_title: &str, dom: &Dom) -> Option<JsonLd> {
    let content = raw.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>").trim();
    let mut parsed: Value = serde_json::from_str(content).ok()?;
    if let Value::Array(items) = parsed {
        parsed = items.into_iter().find(|it| it.get("@type").is_some_and(is_article_type))?;
    }
    let context_ok = match parsed.get("@context") {
        Some(Value::String(s)) => is_schema_org(s),
        Some(Value::Object(o)) => o.get("@vocab").and_then(Value::as_str).is_some_and(is_schema_org),
        _ => false,
    };
    if !context_ok {
        return None;
    }
    if parsed.get("@type").is_none()
        && let Some(Value::Array(graph)) = parsed.get("@graph")
    {
        parsed = graph.iter().find(|it| it.get("@type").is_some_and(is_article_type))?.clone();
    }
    if !parsed.get("@type").is_some_and(is_article_type) {
        return None;
    }
    let mut out = JsonLd::default();
    let name = parsed.get("name").and_then(Value::as_str).map(str::trim);
    let headline = parsed.get("headline").and_then(Value::as_str).map(str::trim);
    out.title = match (name, headline) {
        (Some(n), Some(h)) if n != h => {
            let title = article_title(dom, doc_title);
            let name_matches = text_similarity(n, &title) > 0.75;
            let headline_matches = text_similarity(h, &title) > 0.75;
            Some(if headline_matches && !name_matches { h } else { n }.to_string())
        }
        (Some(n), _) => Some(n.to_string()),
        (None, Some(h)) => Some(h.to_string()),
        _ => None,
    };
    if let Some(author) = parsed.get("author") {
        if let Some(n) = author.get("name").and_then(Value::as_str) {
            out.byline = Some(n.trim().to_string());
        } else if let Value::Array(list) = author {
            let names: Vec<&str> =
                list.iter().filter_map(|a| a.get("name").and_then(Value::as_str)).map(str::trim).collect();
            if !names.is_empty() {
                out.byline = Some(names.join(", "));
            }
        }
    }
    out.site_name =
        parsed.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str).map(|s| s.trim().to_string());
    out.published = parsed.get("datePublished").and_then(Value::as_str).map(|s| s.trim().to_string());
    Some(out)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count().max(1)
}

fn is_sep(c: char) -> bool {
    matches!(c, '|' | '-' | '–' | '—' | '\\' | '/' | '>' | '»')
}

fn is_hier_sep(c: char) -> bool {
    matches!(c, '\\' | '/' | '>' | '»')
}

/// Readability's headline from `<title>`: the site name after a separator dropped.
pub(crate) fn article_title(dom: &Dom, orig: &str) -> String {
    let orig = collapse(orig);
    let mut cur = orig.clone();
    let chars: Vec<(usize, char)> = orig.char_indices().collect();
    // Separators written with a space either side: " | ", " - ", " » " …
    let seps: Vec<(usize, char)> = chars
        .windows(3)
        .filter(|w| w[0].1 == ' ' && w[2].1 == ' ' && is_sep(w[1].1))
        .map(|w| (w[0].0, w[1].1))
        .collect();
    let mut hierarchical = false;
    if let Some(&(last, _)) = seps.last() {
        hierarchical = seps.iter().any(|&(_, c)| is_hier_sep(c));
        cur = orig[..last].to_string();
        if word_count(&cur) < 3
            && let Some(p) = orig.find(is_sep)
        {
            cur = orig[p + orig[p..].chars().next().map_or(1, char::len_utf8)..].to_string();
        }
    } else if orig.contains(": ") {
        let has_heading = dom.descendants(ROOT).any(|n| {
            matches!(dom.tag(n), Some(Tag::H1 | Tag::H2)) && collapse(&text_of_element(dom, n)) == orig.trim()
        });
        if !has_heading {
            let last = orig.rfind(':').unwrap_or(0);
            cur = orig[last + 1..].to_string();
            let first = orig.find(':').unwrap_or(0);
            if word_count(&cur) < 3 {
                cur = orig[first + 1..].to_string();
            } else if word_count(&orig[..first]) > 5 {
                cur = orig.clone();
            }
        }
    } else if orig.chars().count() > 150 || orig.chars().count() < 15 {
        let h1s: Vec<u32> = dom.descendants(ROOT).filter(|&n| dom.is_tag(n, Tag::H1)).collect();
        if h1s.len() == 1 {
            cur = collapse(&text_of_element(dom, h1s[0]));
        }
    }
    let cur = collapse(&cur);
    let wc = word_count(&cur);
    let stripped: String = orig.chars().filter(|&c| !is_sep(c)).collect();
    if wc <= 4 && (!hierarchical || wc != word_count(&stripped) - 1) {
        return orig;
    }
    cur
}

fn resolve(url: &str, base: Option<&str>) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_string();
    }
    let Some(base) = base else { return url.to_string() };
    let Some(scheme_end) = base.find("://") else { return url.to_string() };
    if let Some(rest) = url.strip_prefix("//") {
        return format!("{}://{rest}", &base[..scheme_end]);
    }
    let host_end = base[scheme_end + 3..].find('/').map_or(base.len(), |p| scheme_end + 3 + p);
    if url.starts_with('/') {
        format!("{}{url}", &base[..host_end])
    } else {
        let dir_end = base.rfind('/').filter(|&p| p >= host_end).map_or(base.len(), |p| p + 1);
        let sep = if dir_end == base.len() && !base.ends_with('/') { "/" } else { "" };
        format!("{}{sep}{url}", &base[..dir_end])
    }
}

fn months() -> &'static BTreeMap<String, i8> {
    static MONTHS: OnceLock<BTreeMap<String, i8>> = OnceLock::new();
    MONTHS.get_or_init(|| load_months(MONTHS_TSV).unwrap_or_default())
}

/// Reads the month-name table; errors name the file, line and field.
pub(crate) fn load_months(tsv: &str) -> Result<BTreeMap<String, i8>, String> {
    let mut map = BTreeMap::new();
    for (no, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |field: usize, what: &str| format!("data/months.tsv:{}: field {field}: {what}", no + 1);
        let (name, num) = line.split_once('\t').ok_or_else(|| at(2, "missing month number"))?;
        let num: i8 =
            num.trim().parse().ok().filter(|n| (1..=12).contains(n)).ok_or_else(|| at(2, "not a month 1-12"))?;
        map.insert(name.trim().to_lowercase(), num);
    }
    Ok(map)
}

fn ymd(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

fn digits(s: &str) -> Option<i32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Reads a date: ISO 8601 (`2016-10-17`, `2016-10-17T09:00:00Z`), `20161017`, `2016/10/17`,
/// `17 October 2016`, `October 17, 2016`, `Oct. 17 2016`.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && matches!(b[4], b'-' | b'/' | b'.') && b[7] == b[4] {
        return ymd(digits(&s[..4])?, digits(&s[5..7])?, digits(&s[8..10])?);
    }
    if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && b.get(8).is_none_or(|c| !c.is_ascii_digit()) {
        return ymd(digits(&s[..4])?, digits(&s[4..6])?, digits(&s[6..8])?);
    }
    date_in_words(s, 0)
}

/// Finds "17 October 2016" or "October 17, 2016" among the first words of `s`.
fn date_in_words(s: &str, skip_words: usize) -> Option<Date> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '/' || c == '-')
        .filter(|w| !w.is_empty())
        .skip(skip_words)
        .take(80)
        .collect();
    let month = |w: &str| months().get(&w.to_lowercase()).copied();
    let day = |w: &str| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        digits(w).filter(|d| (1..=31).contains(d))
    };
    for i in 0..words.len() {
        let Some(m) = month(words[i]) else { continue };
        if i + 2 < words.len()
            && let (Some(d), Some(y)) = (day(words[i + 1]), digits(words[i + 2]))
            && let Some(date) = ymd(y, i32::from(m), d)
        {
            return Some(date);
        }
        if i >= 1
            && i + 1 < words.len()
            && let (Some(d), Some(y)) = (day(words[i - 1]), digits(words[i + 1]))
            && let Some(date) = ymd(y, i32::from(m), d)
        {
            return Some(date);
        }
    }
    None
}

/// A date in the dateline: the first 300 characters of the article text.
pub(crate) fn date_in_dateline(text: &str) -> Option<Date> {
    let end = text.char_indices().nth(300).map_or(text.len(), |(i, _)| i);
    date_in_words(&text[..end], 0)
}

/// `/2016/10/17/`, `/2016-10-17`, `/20161017/` in a URL path.
pub(crate) fn date_in_url(url: &str) -> Option<Date> {
    let path = url.find("://").map_or(url, |p| &url[p + 3..]);
    let parts: Vec<&str> = path.split(['/', '?', '#', '_']).collect();
    for (i, part) in parts.iter().enumerate() {
        if part.len() == 4
            && let (Some(y), Some(m), Some(d)) =
                (digits(part), parts.get(i + 1).and_then(|p| digits(p)), parts.get(i + 2))
        {
            let d = &d[..d.find(|c: char| !c.is_ascii_digit()).unwrap_or(d.len())];
            if let Some(date) = digits(d).and_then(|d| ymd(y, m, d)) {
                return Some(date);
            }
        }
        if part.len() >= 10
            && let Some(date) = parse_date(&part[..10])
        {
            return Some(date);
        }
        if part.len() == 8
            && let Some(date) = parse_date(part)
        {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn month_table_loads() {
        let m = load_months(MONTHS_TSV).expect("months");
        assert_eq!(m.get("sept"), Some(&9));
        assert!(load_months("x\t13\n").unwrap_err().contains("months.tsv:1: field 2"));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2016-10-17T09:00:00+03:00"), Some(d(2016, 10, 17)));
        assert_eq!(parse_date("20161017"), Some(d(2016, 10, 17)));
        assert_eq!(parse_date("Oct. 17, 2016"), Some(d(2016, 10, 17)));
        assert_eq!(parse_date("17 October 2016 09:00"), Some(d(2016, 10, 17)));
        assert_eq!(parse_date("2016-13-40"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(date_in_url("https://news.example/world/2016/10/17/mosul-offensive"), Some(d(2016, 10, 17)));
        assert_eq!(date_in_url("https://news.example/2016-10-17/story"), Some(d(2016, 10, 17)));
        assert_eq!(date_in_url("https://news.example/story-123456"), None);
        assert_eq!(date_in_dateline("MOSUL, Iraq, Oct. 17, 2016 (Wire) - Troops advanced"), Some(d(2016, 10, 17)));
    }

    #[test]
    fn titles_and_urls() {
        let dom = Dom::parse("<title>Troops advance on Mosul from three sides - Example News</title>");
        assert_eq!(
            article_title(&dom, "Troops advance on Mosul from three sides - Example News"),
            "Troops advance on Mosul from three sides"
        );
        assert_eq!(resolve("/world/a.html", Some("https://news.example/x/y")), "https://news.example/world/a.html");
        assert_eq!(resolve("//cdn.example/a", Some("https://news.example/")), "https://cdn.example/a");
    }

    #[test]
    fn reads_meta_and_jsonld() {
        let html = r#"<html lang="en-GB"><head><title>Ignored - Site</title>
            <meta property="og:site_name" content="Example News">
            <meta name="author" content="A. Reporter">
            <meta property="article:published_time" content="2016-10-17T08:00:00Z">
            <link rel="canonical" href="/world/mosul">
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
              "headline":"Troops advance on Mosul","datePublished":"2016-10-18","publisher":{"name":"Example Wire"},
              "author":[{"name":"B. Writer"},{"name":"C. Writer"}]}</script></head><body></body></html>"#;
        let meta = read(&Dom::parse(html), Some("https://news.example/x"));
        assert_eq!(meta.title.as_deref(), Some("Troops advance on Mosul"));
        assert_eq!(meta.site_name.as_deref(), Some("Example Wire"));
        assert_eq!(meta.byline.as_deref(), Some("B. Writer, C. Writer"));
        assert_eq!(meta.published, Some(d(2016, 10, 18)));
        assert_eq!(meta.url.as_deref(), Some("https://news.example/world/mosul"));
        assert_eq!(meta.language.as_deref(), Some("en-GB"));
    }
}
