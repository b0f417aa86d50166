//! The extractor's word lists (`data/readability.tsv`), loaded once.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

const RULES_TSV: &str = include_str!("../../data/readability.tsv");

/// One list: patterns matched as substrings, whole space-separated tokens or whole words.
#[derive(Debug, Default)]
pub(crate) struct List {
    subs: Vec<String>,
    sub_matcher: Option<AhoCorasick>,
    tokens: Vec<String>,
    words: Vec<String>,
}

impl List {
    /// Whether `s` (already lower case) matches any pattern of the list.
    pub(crate) fn matches(&self, s: &str) -> bool {
        if s.is_empty() {
            return false;
        }
        if let Some(ac) = &self.sub_matcher
            && ac.is_match(s)
        {
            return true;
        }
        if !self.tokens.is_empty() && s.split(' ').any(|t| self.tokens.iter().any(|p| p == t)) {
            return true;
        }
        !self.words.is_empty() && s.split(|c: char| !c.is_alphanumeric()).any(|w| self.words.iter().any(|p| p == w))
    }

    /// Whether the whole of `s` (lower case, trimmed) is one of the list's tokens.
    pub(crate) fn is_exactly(&self, s: &str) -> bool {
        self.tokens.iter().any(|p| p == s)
    }
}

/// All lists.
#[derive(Debug, Default)]
pub(crate) struct Rules {
    pub(crate) unlikely: List,
    pub(crate) maybe: List,
    pub(crate) positive: List,
    pub(crate) negative: List,
    pub(crate) byline: List,
    pub(crate) share: List,
    pub(crate) unlikely_role: List,
    pub(crate) video: List,
    pub(crate) ad_word: List,
    pub(crate) loading_word: List,
}

/// The rules shipped in `data/readability.tsv`.
pub(crate) fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| load(RULES_TSV).unwrap_or_default())
}

/// Reads a rules file; errors name the file, line and field.
pub(crate) fn load(tsv: &str) -> Result<Rules, String> {
    let mut rules = Rules::default();
    for (no, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |field: usize, what: &str| format!("data/readability.tsv:{}: field {field}: {what}", no + 1);
        let mut fields = line.split('\t');
        let (Some(list), Some(how), Some(pattern)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(at(2, "expected three tab-separated fields: list, how, pattern"));
        };
        let target = match list {
            "unlikely" => &mut rules.unlikely,
            "maybe" => &mut rules.maybe,
            "positive" => &mut rules.positive,
            "negative" => &mut rules.negative,
            "byline" => &mut rules.byline,
            "share" => &mut rules.share,
            "unlikely-role" => &mut rules.unlikely_role,
            "video" => &mut rules.video,
            "ad-word" => &mut rules.ad_word,
            "loading-word" => &mut rules.loading_word,
            other => return Err(at(1, &format!("unknown list {other:?}"))),
        };
        if pattern.is_empty() {
            return Err(at(3, "empty pattern"));
        }
        let pattern = pattern.to_lowercase();
        match how {
            "sub" => target.subs.push(pattern),
            "token" => target.tokens.push(pattern),
            "word" => target.words.push(pattern),
            other => return Err(at(2, &format!("unknown match kind {other:?} (sub, token or word)"))),
        }
    }
    for list in [
        &mut rules.unlikely,
        &mut rules.maybe,
        &mut rules.positive,
        &mut rules.negative,
        &mut rules.byline,
        &mut rules.share,
        &mut rules.unlikely_role,
        &mut rules.video,
        &mut rules.ad_word,
        &mut rules.loading_word,
    ] {
        if !list.subs.is_empty() {
            list.sub_matcher = Some(AhoCorasick::new(&list.subs).map_err(|e| format!("data/readability.tsv: {e}"))?);
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_load() {
        let rules = load(RULES_TSV).expect("rules");
        assert!(rules.unlikely.matches("sidebar-left"));
        assert!(!rules.unlikely.matches("story-body"));
        assert!(rules.maybe.matches("main-column"));
        assert!(rules.negative.matches("x hid y"));
        assert!(!rules.negative.matches("hidalgo"));
        assert!(rules.share.matches("post-share-buttons"));
        assert!(!rules.share.matches("shareholders"));
        assert!(rules.ad_word.is_exactly("advertisement"));
    }

    #[test]
    fn errors_name_line_and_field() {
        let err = load("# c\nunlikely\tregex\tx\n").unwrap_err();
        assert!(err.contains("readability.tsv:2: field 2"), "{err}");
        let err = load("nope\tsub\tx\n").unwrap_err();
        assert!(err.contains(":1: field 1"), "{err}");
    }
}
