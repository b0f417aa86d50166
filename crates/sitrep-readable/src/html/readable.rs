//! Finding the article in a page: Mozilla Readability's scoring, on [`Dom`].
//!
//! Paragraph-like elements are scored by length and commas; the score flows to
//! their ancestors; the best ancestor (scaled down by link density) and its
//! related siblings are the article; the article is then cleaned of forms,
//! share widgets, link lists and other boilerplate. If the result is shorter
//! than [`CHAR_THRESHOLD`] the search is run again with fewer heuristics, and
//! the longest result wins.

use super::dom::{Dom, Kind, NONE, NodeId, ROOT, Tag};
use super::rules::{Rules, rules};

/// Articles shorter than this (in characters) make the search try again, less strictly.
pub(crate) const CHAR_THRESHOLD: usize = 500;

#[derive(Clone, Copy)]
struct Flags {
    strip_unlikely: bool,
    weight_classes: bool,
    clean_conditionally: bool,
}

/// What the search found.
pub(crate) struct Found {
    /// The tree the article lives in.
    pub(crate) dom: Dom,
    /// The article: a detached element holding the article's blocks.
    pub(crate) article: NodeId,
    /// A byline read (and removed) from the page, when the metadata had none.
    pub(crate) byline: Option<String>,
}

/// Finds the article. `title` is the page's headline (a heading repeating it is dropped).
pub(crate) fn find_article(mut dom: Dom, title: &str, byline_known: bool) -> Found {
    let rules = rules();
    prep_document(&mut dom);
    let byline = if byline_known { None } else { take_byline(&mut dom, rules) };
    let mut flags = Flags { strip_unlikely: true, weight_classes: true, clean_conditionally: true };
    let mut best: Option<(Dom, NodeId, usize)> = None;
    loop {
        let mut attempt = dom.clone();
        let article = grab(&mut attempt, title, flags, rules);
        let len = norm_len(&attempt, article);
        if len >= CHAR_THRESHOLD {
            return Found { dom: attempt, article, byline };
        }
        if best.as_ref().is_none_or(|b| len > b.2) {
            best = Some((attempt, article, len));
        }
        if flags.strip_unlikely {
            flags.strip_unlikely = false;
        } else if flags.weight_classes {
            flags.weight_classes = false;
        } else if flags.clean_conditionally {
            flags.clean_conditionally = false;
        } else {
            break;
        }
    }
    match best {
        Some((dom, article, _)) => Found { dom, article, byline },
        None => {
            let article = dom.create_element(Tag::Div);
            Found { dom, article, byline }
        }
    }
}

// ---------------------------------------------------------------- helpers

/// Streaming count of the trimmed, whitespace-collapsed length of text.
#[derive(Default)]
struct LenAcc {
    len: usize,
    started: bool,
    pending_ws: bool,
}

impl LenAcc {
    fn feed(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                if self.started {
                    self.pending_ws = true;
                }
            } else {
                if self.pending_ws {
                    self.len += 1;
                    self.pending_ws = false;
                }
                self.len += 1;
                self.started = true;
            }
        }
    }
}

/// Trimmed, whitespace-collapsed character count of the text under `id`.
fn norm_len(dom: &Dom, id: NodeId) -> usize {
    let mut acc = LenAcc::default();
    if dom.is_text(id) {
        acc.feed(dom.text_of(id));
    }
    for n in dom.descendants(id) {
        if dom.is_text(n) {
            acc.feed(dom.text_of(n));
        }
    }
    acc.len
}

/// The raw text under `id`.
fn text_content(dom: &Dom, id: NodeId) -> String {
    let mut s = String::new();
    if dom.is_text(id) {
        s.push_str(dom.text_of(id));
    }
    for n in dom.descendants(id) {
        if dom.is_text(n) {
            s.push_str(dom.text_of(n));
        }
    }
    s
}

/// The text under `id`, trimmed, whitespace runs collapsed to one space.
fn inner_text(dom: &Dom, id: NodeId) -> String {
    let raw = text_content(dom, id);
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_hash_url(href: &str) -> bool {
    href.len() > 1 && href.starts_with('#')
}

/// Share of the text under `id` that sits in links (in-page `#` links count 0.3).
fn link_density(dom: &Dom, id: NodeId, text_len: usize) -> f64 {
    if text_len == 0 {
        return 0.0;
    }
    let mut link = 0.0;
    for n in dom.descendants(id) {
        if dom.is_tag(n, Tag::A) {
            let coeff = if dom.attr(n, "href").is_some_and(is_hash_url) { 0.3 } else { 1.0 };
            link += norm_len(dom, n) as f64 * coeff;
        }
    }
    link / text_len as f64
}

fn lower_match_string(dom: &Dom, id: NodeId) -> String {
    let class = dom.attr(id, "class").unwrap_or("");
    let idv = dom.attr(id, "id").unwrap_or("");
    let mut s = String::with_capacity(class.len() + idv.len() + 1);
    s.push_str(class);
    s.push(' ');
    s.push_str(idv);
    s.make_ascii_lowercase();
    s
}

fn has_ancestor_tag(dom: &Dom, id: NodeId, tag: Tag, max_depth: usize) -> bool {
    let mut cur = dom.parent(id);
    let mut depth = 0;
    while cur != NONE {
        if max_depth > 0 && depth > max_depth {
            return false;
        }
        if dom.is_tag(cur, tag) {
            return true;
        }
        cur = dom.parent(cur);
        depth += 1;
    }
    false
}

/// The next element in document order under `scope`, skipping `id`'s children when `skip_children`.
fn next_element(dom: &Dom, id: NodeId, scope: NodeId, skip_children: bool) -> NodeId {
    let mut cur = dom.next_in(id, scope, !skip_children);
    while cur != NONE && dom.tag(cur).is_none() {
        cur = dom.next_in(cur, scope, false);
    }
    cur
}

fn is_whitespace_node(dom: &Dom, id: NodeId) -> bool {
    match dom.node(id).kind {
        Kind::Text { .. } => dom.text_of(id).trim().is_empty(),
        Kind::Element { tag, .. } => tag == Tag::Br,
        Kind::Document => false,
    }
}

fn is_phrasing_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Abbr
            | Tag::Audio
            | Tag::B
            | Tag::Bdo
            | Tag::Br
            | Tag::Button
            | Tag::Cite
            | Tag::Code
            | Tag::Data
            | Tag::Datalist
            | Tag::Dfn
            | Tag::Em
            | Tag::Embed
            | Tag::I
            | Tag::Img
            | Tag::Input
            | Tag::Kbd
            | Tag::Label
            | Tag::Mark
            | Tag::Math
            | Tag::Meter
            | Tag::Noscript
            | Tag::Object
            | Tag::Output
            | Tag::Progress
            | Tag::Q
            | Tag::Ruby
            | Tag::Samp
            | Tag::Script
            | Tag::Select
            | Tag::Small
            | Tag::Span
            | Tag::Strong
            | Tag::Sub
            | Tag::Sup
            | Tag::Textarea
            | Tag::Time
            | Tag::Var
            | Tag::Wbr
    )
}

fn is_phrasing(dom: &Dom, id: NodeId, depth: usize) -> bool {
    match dom.node(id).kind {
        Kind::Text { .. } => true,
        Kind::Element { tag, .. } => {
            is_phrasing_tag(tag)
                || (matches!(tag, Tag::A | Tag::Del | Tag::Ins)
                    && depth < 32
                    && dom.children(id).all(|c| is_phrasing(dom, c, depth + 1)))
        }
        Kind::Document => false,
    }
}

/// Blocks that keep a `div` a `div`.
fn is_div_to_p_block(tag: Tag) -> bool {
    matches!(tag, Tag::Blockquote | Tag::Dl | Tag::Div | Tag::Img | Tag::Ol | Tag::P | Tag::Pre | Tag::Table | Tag::Ul)
}

fn has_child_block_element(dom: &Dom, id: NodeId) -> bool {
    dom.descendants(id).any(|n| dom.tag(n).is_some_and(is_div_to_p_block))
}

fn is_element_without_content(dom: &Dom, id: NodeId) -> bool {
    let mut kids = 0;
    let mut brs = 0;
    for c in dom.element_children(id) {
        kids += 1;
        if matches!(dom.tag(c), Some(Tag::Br | Tag::Hr)) {
            brs += 1;
        }
    }
    // Readability counts all br/hr descendants; children that are br/hr are what matters here.
    (kids == 0 || kids == brs) && dom.descendants(id).all(|n| !dom.is_text(n) || dom.text_of(n).trim().is_empty())
}

fn is_probably_visible(dom: &Dom, id: NodeId) -> bool {
    if let Some(style) = dom.attr(id, "style") {
        for decl in style.split(';') {
            let Some((prop, value)) = decl.split_once(':') else { continue };
            let prop = prop.trim();
            let value = value.trim();
            if prop.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none") {
                return false;
            }
            if prop.eq_ignore_ascii_case("display")
                && value.len() > 4
                && value[..4].eq_ignore_ascii_case("none")
                && value[4..].trim_start().starts_with("!important")
                && value.as_bytes()[4].is_ascii_whitespace()
            {
                return false;
            }
            if prop.eq_ignore_ascii_case("visibility") && value.eq_ignore_ascii_case("hidden") {
                return false;
            }
        }
    }
    if dom.attr(id, "hidden").is_some() {
        return false;
    }
    if dom.attr(id, "aria-hidden") == Some("true") {
        return dom.attr(id, "class").is_some_and(|c| c.contains("fallback-image"));
    }
    true
}

fn class_weight(dom: &Dom, id: NodeId, flags: Flags, rules: &Rules) -> f64 {
    if !flags.weight_classes {
        return 0.0;
    }
    let mut weight = 0.0;
    for name in ["class", "id"] {
        if let Some(v) = dom.attr(id, name) {
            if v.is_empty() {
                continue;
            }
            let v = v.to_ascii_lowercase();
            if rules.negative.matches(&v) {
                weight -= 25.0;
            }
            if rules.positive.matches(&v) {
                weight += 25.0;
            }
        }
    }
    weight
}

fn words_lower(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Readability's title similarity: the share of `b`'s words also in `a`, by length.
pub(crate) fn text_similarity(a: &str, b: &str) -> f64 {
    let ta = words_lower(a);
    let tb = words_lower(b);
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let uniq: Vec<&str> = tb.iter().filter(|t| !ta.contains(t)).map(String::as_str).collect();
    let uniq_len =
        if uniq.is_empty() { 0 } else { uniq.iter().map(|t| t.chars().count()).sum::<usize>() + uniq.len() - 1 };
    let total = tb.iter().map(|t| t.chars().count()).sum::<usize>() + tb.len() - 1;
    1.0 - uniq_len as f64 / total as f64
}

// ---------------------------------------------------------------- preparing the page

fn prep_document(dom: &mut Dom) {
    let body = dom.body();
    let mut remove = Vec::new();
    let mut brs = Vec::new();
    for n in dom.descendants(ROOT) {
        match dom.tag(n) {
            Some(Tag::Script | Tag::Noscript | Tag::Style | Tag::Template) => remove.push(n),
            Some(Tag::Br) => brs.push(n),
            Some(Tag::Font) => {}
            _ => {}
        }
    }
    for n in remove {
        dom.detach(n);
    }
    let fonts: Vec<NodeId> = dom.descendants(body).filter(|&n| dom.is_tag(n, Tag::Font)).collect();
    for n in fonts {
        dom.set_tag(n, Tag::Span);
    }
    replace_brs(dom, &brs);
}

/// The next sibling that is not whitespace-only text.
fn next_significant(dom: &Dom, mut id: NodeId) -> NodeId {
    while id != NONE && dom.is_text(id) && dom.text_of(id).trim().is_empty() {
        id = dom.next_sibling(id);
    }
    id
}

/// Turns runs of two or more `br`s into paragraph breaks.
fn replace_brs(dom: &mut Dom, brs: &[NodeId]) {
    for &br in brs {
        if dom.parent(br) == NONE {
            continue;
        }
        let mut next = dom.next_sibling(br);
        let mut replaced = false;
        loop {
            let sig = next_significant(dom, next);
            if sig == NONE || !dom.is_tag(sig, Tag::Br) {
                break;
            }
            replaced = true;
            let after = dom.next_sibling(sig);
            dom.detach(sig);
            next = after;
        }
        if !replaced {
            continue;
        }
        let p = dom.create_element(Tag::P);
        dom.replace(br, p);
        let mut next = dom.next_sibling(p);
        while next != NONE {
            if dom.is_tag(next, Tag::Br) {
                let sig = next_significant(dom, dom.next_sibling(next));
                if sig != NONE && dom.is_tag(sig, Tag::Br) {
                    break;
                }
            }
            if !is_phrasing(dom, next, 0) {
                break;
            }
            let sibling = dom.next_sibling(next);
            dom.append(p, next);
            next = sibling;
        }
        trim_trailing_whitespace(dom, p);
        let parent = dom.parent(p);
        if parent != NONE && dom.is_tag(parent, Tag::P) {
            dom.set_tag(parent, Tag::Div);
        }
    }
}

fn trim_trailing_whitespace(dom: &mut Dom, id: NodeId) {
    loop {
        let last = dom.node(id).last_child;
        if last == NONE || !is_whitespace_node(dom, last) {
            break;
        }
        dom.detach(last);
    }
}

fn is_valid_byline(dom: &Dom, id: NodeId, rules: &Rules) -> bool {
    let by_attr =
        dom.attr(id, "rel") == Some("author") || dom.attr(id, "itemprop").is_some_and(|p| p.contains("author"));
    if !by_attr && !rules.byline.matches(&lower_match_string(dom, id)) {
        return false;
    }
    let len = text_content(dom, id).trim().chars().count();
    len > 0 && len < 100
}

/// Finds the first byline element in the body, removes it and returns its text.
fn take_byline(dom: &mut Dom, rules: &Rules) -> Option<String> {
    let body = dom.body();
    let mut node = next_element(dom, body, body, false);
    while node != NONE {
        if is_probably_visible(dom, node) && is_valid_byline(dom, node, rules) {
            let name = dom.descendants(node).find(|&n| dom.attr(n, "itemprop") == Some("name"));
            let text = inner_text(dom, name.unwrap_or(node));
            dom.detach(node);
            return Some(text);
        }
        node = next_element(dom, node, body, false);
    }
    None
}

// ---------------------------------------------------------------- scoring

/// Per-node text measures for the scoring step (valid while the tree is not changed).
struct Measures {
    len: Vec<u32>,
    link: Vec<f32>,
    commas: Vec<u32>,
}

/// Collapsed-text shape of a subtree, combinable left to right.
#[derive(Clone, Copy, Default)]
struct Shape {
    n: u32,
    lead: bool,
    trail: bool,
}

impl Shape {
    fn of(s: &str) -> Shape {
        let mut n = 0u32;
        let mut in_ws = false;
        let mut lead = false;
        for (i, c) in s.chars().enumerate() {
            if c.is_whitespace() {
                if !in_ws {
                    n += 1;
                    if i == 0 {
                        lead = true;
                    }
                }
                in_ws = true;
            } else {
                n += 1;
                in_ws = false;
            }
        }
        Shape { n, lead, trail: in_ws }
    }

    fn then(self, b: Shape) -> Shape {
        if self.n == 0 {
            return b;
        }
        if b.n == 0 {
            return self;
        }
        Shape { n: self.n + b.n - u32::from(self.trail && b.lead), lead: self.lead, trail: b.trail }
    }

    fn trimmed(self) -> u32 {
        self.n.saturating_sub(u32::from(self.lead) + u32::from(self.trail))
    }
}

fn is_comma(c: char) -> bool {
    matches!(
        c,
        ',' | '\u{060C}' | '\u{FE50}' | '\u{FE10}' | '\u{FE11}' | '\u{2E41}' | '\u{2E34}' | '\u{2E32}' | '\u{FF0C}'
    )
}

fn measure(dom: &Dom, scope: NodeId) -> Measures {
    let size = dom.nodes.len();
    let mut m = Measures { len: vec![0; size], link: vec![0.0; size], commas: vec![0; size] };
    let mut shapes = vec![Shape::default(); size];
    let order: Vec<NodeId> = dom.descendants(scope).collect();
    for &id in order.iter().rev().chain(std::iter::once(&scope)) {
        let i = id as usize;
        if dom.is_text(id) {
            let t = dom.text_of(id);
            shapes[i] = Shape::of(t);
            m.commas[i] = t.chars().filter(|&c| is_comma(c)).count() as u32;
            continue;
        }
        let mut shape = Shape::default();
        let mut link = 0.0f32;
        let mut commas = 0;
        for c in dom.children(id) {
            let ci = c as usize;
            shape = shape.then(shapes[ci]);
            link += m.link[ci];
            commas += m.commas[ci];
        }
        shapes[i] = shape;
        m.len[i] = shape.trimmed();
        m.commas[i] = commas;
        m.link[i] = if dom.is_tag(id, Tag::A) {
            let coeff = if dom.attr(id, "href").is_some_and(is_hash_url) { 0.3 } else { 1.0 };
            m.len[i] as f32 * coeff
        } else {
            link
        };
    }
    m
}

struct Scores {
    score: Vec<f64>,
    has: Vec<bool>,
}

impl Scores {
    fn ensure(&mut self, id: NodeId) {
        let need = id as usize + 1;
        if self.score.len() < need {
            self.score.resize(need, 0.0);
            self.has.resize(need, false);
        }
    }

    fn has(&self, id: NodeId) -> bool {
        self.has.get(id as usize).copied().unwrap_or(false)
    }

    fn get(&self, id: NodeId) -> f64 {
        self.score.get(id as usize).copied().unwrap_or(0.0)
    }

    fn init(&mut self, dom: &Dom, id: NodeId, flags: Flags, rules: &Rules) {
        self.ensure(id);
        let base = match dom.tag(id) {
            Some(Tag::Div) => 5.0,
            Some(Tag::Pre | Tag::Td | Tag::Blockquote) => 3.0,
            Some(Tag::Address | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form) => -3.0,
            Some(Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Th) => -5.0,
            _ => 0.0,
        };
        self.score[id as usize] = base + class_weight(dom, id, flags, rules);
        self.has[id as usize] = true;
    }
}

/// One search for the article with the given flags; returns the (detached) article element.
fn grab(dom: &mut Dom, title: &str, flags: Flags, rules: &Rules) -> NodeId {
    let body = dom.body();
    let to_score = collect_elements_to_score(dom, body, title, flags, rules);
    let m = measure(dom, body);
    let mut scores = Scores { score: vec![0.0; dom.nodes.len()], has: vec![false; dom.nodes.len()] };
    let mut candidates: Vec<NodeId> = Vec::new();

    for &el in &to_score {
        let parent = dom.parent(el);
        if parent == NONE || dom.tag(parent).is_none() {
            continue;
        }
        let len = m.len[el as usize] as usize;
        if len < 25 {
            continue;
        }
        let content = 1.0 + (m.commas[el as usize] as f64 + 1.0) + (len / 100).min(3) as f64;
        let mut anc = parent;
        let mut level = 0usize;
        while anc != NONE && level < 5 {
            let grand = dom.parent(anc);
            if dom.tag(anc).is_none() || grand == NONE || dom.tag(grand).is_none() {
                break;
            }
            if !scores.has(anc) {
                scores.init(dom, anc, flags, rules);
                candidates.push(anc);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => (l * 3) as f64,
            };
            scores.score[anc as usize] += content / divider;
            anc = grand;
            level += 1;
        }
    }

    let mut top: Vec<NodeId> = Vec::with_capacity(6);
    for &c in &candidates {
        let len = m.len[c as usize];
        let density = if len == 0 { 0.0 } else { f64::from(m.link[c as usize]) / f64::from(len) };
        let s = scores.get(c) * (1.0 - density);
        scores.score[c as usize] = s;
        let pos = top.iter().position(|&t| s > scores.get(t)).unwrap_or(top.len());
        if pos < 5 {
            top.insert(pos, c);
            top.truncate(5);
        }
    }

    let mut tc = top.first().copied().unwrap_or(NONE);
    if tc == NONE || dom.is_tag(tc, Tag::Body) {
        let div = dom.create_element(Tag::Div);
        let kids: Vec<NodeId> = dom.children(body).collect();
        for k in kids {
            dom.append(div, k);
        }
        dom.append(body, div);
        scores.init(dom, div, flags, rules);
        tc = div;
    } else {
        tc = better_common_ancestor(dom, tc, &top, &scores);
        if !scores.has(tc) {
            scores.init(dom, tc, flags, rules);
        }
        // Climb while the parent's score goes up.
        let mut last = scores.get(tc);
        let threshold = last / 3.0;
        let mut parent = dom.parent(tc);
        while parent != NONE && !dom.is_tag(parent, Tag::Body) && dom.tag(parent).is_some() {
            if !scores.has(parent) {
                parent = dom.parent(parent);
                continue;
            }
            let ps = scores.get(parent);
            if ps < threshold {
                break;
            }
            if ps > last {
                tc = parent;
                break;
            }
            last = ps;
            parent = dom.parent(parent);
        }
        // An only child hands over to its parent.
        let mut parent = dom.parent(tc);
        while parent != NONE
            && !dom.is_tag(parent, Tag::Body)
            && dom.tag(parent).is_some()
            && dom.element_children(parent).count() == 1
        {
            tc = parent;
            parent = dom.parent(tc);
        }
        if !scores.has(tc) {
            scores.init(dom, tc, flags, rules);
        }
    }

    let article = dom.create_element(Tag::Div);
    let tc_score = scores.get(tc);
    let threshold = (tc_score * 0.2).max(10.0);
    let parent = dom.parent(tc);
    let siblings: Vec<NodeId> = if parent == NONE { vec![tc] } else { dom.element_children(parent).collect() };
    let tc_class = dom.attr(tc, "class").unwrap_or("").to_string();
    for sib in siblings {
        let mut append = sib == tc;
        if !append {
            let bonus = if !tc_class.is_empty() && dom.attr(sib, "class") == Some(tc_class.as_str()) {
                tc_score * 0.2
            } else {
                0.0
            };
            if scores.has(sib) && scores.get(sib) + bonus >= threshold {
                append = true;
            } else if dom.is_tag(sib, Tag::P) {
                let len = (sib as usize) < m.len.len();
                let (len, density) = if len {
                    let l = m.len[sib as usize];
                    (l as usize, if l == 0 { 0.0 } else { f64::from(m.link[sib as usize]) / f64::from(l) })
                } else {
                    let l = norm_len(dom, sib);
                    (l, link_density(dom, sib, l))
                };
                if len > 80 && density < 0.25 {
                    append = true;
                } else if len < 80 && len > 0 && density == 0.0 {
                    let text = inner_text(dom, sib);
                    append = text.ends_with('.') || text.contains(". ");
                }
            }
        }
        if append {
            if !matches!(dom.tag(sib), Some(Tag::Div | Tag::Article | Tag::Section | Tag::P | Tag::Ol | Tag::Ul)) {
                dom.set_tag(sib, Tag::Div);
            }
            dom.append(article, sib);
        }
    }
    prep_article(dom, article, flags, rules);
    article
}

/// Readability: when three or more near-top candidates share an ancestor, that ancestor is the article.
fn better_common_ancestor(dom: &Dom, tc: NodeId, top: &[NodeId], scores: &Scores) -> NodeId {
    let tc_score = scores.get(tc);
    let alternatives: Vec<Vec<NodeId>> = top
        .iter()
        .skip(1)
        .filter(|&&c| tc_score > 0.0 && scores.get(c) / tc_score >= 0.75)
        .map(|&c| {
            let mut anc = Vec::new();
            let mut cur = dom.parent(c);
            while cur != NONE {
                anc.push(cur);
                cur = dom.parent(cur);
            }
            anc
        })
        .collect();
    if alternatives.len() >= 3 {
        let mut parent = dom.parent(tc);
        while parent != NONE && !dom.is_tag(parent, Tag::Body) && dom.tag(parent).is_some() {
            let lists = alternatives.iter().filter(|a| a.contains(&parent)).count();
            if lists >= 3 {
                return parent;
            }
            parent = dom.parent(parent);
        }
    }
    tc
}

fn collect_elements_to_score(dom: &mut Dom, body: NodeId, title: &str, flags: Flags, rules: &Rules) -> Vec<NodeId> {
    let mut to_score = Vec::new();
    let mut remove_title_header = !title.trim().is_empty();
    let mut node = next_element(dom, body, body, false);
    while node != NONE {
        let Some(tag) = dom.tag(node) else {
            node = next_element(dom, node, body, false);
            continue;
        };
        let remove = |dom: &mut Dom, node: NodeId| {
            let next = next_element(dom, node, body, true);
            dom.detach(node);
            next
        };
        if !is_probably_visible(dom, node) {
            node = remove(dom, node);
            continue;
        }
        if tag == Tag::Svg {
            node = next_element(dom, node, body, true);
            continue;
        }
        if tag == Tag::Dialog
            || (dom.attr(node, "aria-modal") == Some("true") && dom.attr(node, "role") == Some("dialog"))
        {
            node = remove(dom, node);
            continue;
        }
        if remove_title_header
            && matches!(tag, Tag::H1 | Tag::H2)
            && text_similarity(title, &inner_text(dom, node)) > 0.75
        {
            remove_title_header = false;
            node = remove(dom, node);
            continue;
        }
        if flags.strip_unlikely {
            let ms = lower_match_string(dom, node);
            if tag != Tag::A
                && tag != Tag::Body
                && rules.unlikely.matches(&ms)
                && !rules.maybe.matches(&ms)
                && !has_ancestor_tag(dom, node, Tag::Table, 3)
                && !has_ancestor_tag(dom, node, Tag::Code, 3)
            {
                node = remove(dom, node);
                continue;
            }
            if dom.attr(node, "role").is_some_and(|r| rules.unlikely_role.is_exactly(r)) {
                node = remove(dom, node);
                continue;
            }
        }
        if (matches!(tag, Tag::Div | Tag::Section | Tag::Header) || tag.is_heading())
            && is_element_without_content(dom, node)
        {
            node = remove(dom, node);
            continue;
        }
        if matches!(tag, Tag::Section | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::P | Tag::Td | Tag::Pre) {
            to_score.push(node);
        }
        if tag == Tag::Div {
            wrap_phrasing(dom, node);
            if let Some(p) = single_p_child(dom, node) {
                let len = norm_len(dom, node);
                if link_density(dom, node, len) < 0.25 {
                    dom.replace(node, p);
                    to_score.push(p);
                    node = p;
                }
            } else if !has_child_block_element(dom, node) {
                dom.set_tag(node, Tag::P);
                to_score.push(node);
            }
        }
        node = next_element(dom, node, body, false);
    }
    to_score
}

/// Puts runs of phrasing content directly under a `div` into paragraphs.
fn wrap_phrasing(dom: &mut Dom, div: NodeId) {
    let mut p = NONE;
    let mut child = dom.first_child(div);
    while child != NONE {
        let next = dom.next_sibling(child);
        if is_phrasing(dom, child, 0) {
            if p != NONE {
                dom.append(p, child);
            } else if !is_whitespace_node(dom, child) {
                p = dom.create_element(Tag::P);
                dom.replace(child, p);
                dom.append(p, child);
            }
        } else if p != NONE {
            trim_trailing_whitespace(dom, p);
            p = NONE;
        }
        child = next;
    }
    if p != NONE {
        trim_trailing_whitespace(dom, p);
    }
}

fn single_p_child(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let mut found = None;
    for c in dom.children(id) {
        match dom.node(c).kind {
            Kind::Text { .. } => {
                if !dom.text_of(c).trim().is_empty() {
                    return None;
                }
            }
            Kind::Element { tag, .. } => {
                if tag != Tag::P || found.is_some() {
                    return None;
                }
                found = Some(c);
            }
            Kind::Document => return None,
        }
    }
    found
}

// ---------------------------------------------------------------- cleaning the article

fn elements_with(dom: &Dom, scope: NodeId, pred: impl Fn(Tag) -> bool) -> Vec<NodeId> {
    dom.descendants(scope).filter(|&n| dom.tag(n).is_some_and(&pred)).collect()
}

fn is_video_embed(dom: &Dom, id: NodeId, rules: &Rules) -> bool {
    if dom.attrs_of(id).any(|(_, v)| rules.video.matches(&v.to_ascii_lowercase())) {
        return true;
    }
    dom.is_tag(id, Tag::Object)
        && dom.descendants(id).any(|n| dom.attrs_of(n).any(|(_, v)| rules.video.matches(&v.to_ascii_lowercase())))
}

fn prep_article(dom: &mut Dom, article: NodeId, flags: Flags, rules: &Rules) {
    let data_tables = mark_data_tables(dom, article);
    clean_conditionally(dom, article, |t| t == Tag::Form, flags, rules, &data_tables);
    clean_conditionally(dom, article, |t| t == Tag::Fieldset, flags, rules, &data_tables);
    for n in
        elements_with(dom, article, |t| matches!(t, Tag::Object | Tag::Embed | Tag::Footer | Tag::Link | Tag::Aside))
    {
        if matches!(dom.tag(n), Some(Tag::Object | Tag::Embed)) && is_video_embed(dom, n, rules) {
            continue;
        }
        dom.detach(n);
    }
    // Small share widgets inside the article's blocks.
    let blocks: Vec<NodeId> = dom.element_children(article).collect();
    for block in blocks {
        let end = next_element(dom, block, article, true);
        let mut node = next_element(dom, block, article, false);
        while node != NONE && node != end {
            let ms = lower_match_string(dom, node);
            if rules.share.matches(&ms) && text_content(dom, node).chars().count() < CHAR_THRESHOLD {
                let next = next_element(dom, node, article, true);
                dom.detach(node);
                node = next;
            } else {
                node = next_element(dom, node, article, false);
            }
        }
    }
    for n in elements_with(dom, article, |t| {
        matches!(t, Tag::Iframe | Tag::Input | Tag::Textarea | Tag::Select | Tag::Button)
    }) {
        if dom.is_tag(n, Tag::Iframe) && is_video_embed(dom, n, rules) {
            continue;
        }
        dom.detach(n);
    }
    for h in elements_with(dom, article, |t| matches!(t, Tag::H1 | Tag::H2)) {
        if class_weight(dom, h, flags, rules) < 0.0 {
            dom.detach(h);
        }
    }
    clean_conditionally(dom, article, |t| t == Tag::Table, flags, rules, &data_tables);
    clean_conditionally(dom, article, |t| t == Tag::Ul, flags, rules, &data_tables);
    clean_conditionally(dom, article, |t| t == Tag::Div, flags, rules, &data_tables);
    for p in elements_with(dom, article, |t| t == Tag::P) {
        let has_media =
            dom.descendants(p).any(|n| matches!(dom.tag(n), Some(Tag::Img | Tag::Embed | Tag::Object | Tag::Iframe)));
        if !has_media && norm_len(dom, p) == 0 {
            dom.detach(p);
        }
    }
    drop_link_paragraphs(dom, article);
}

/// Paragraphs of at most this many characters …
const LINK_PARAGRAPH_MAX_CHARS: usize = 200;
/// … whose text is at least this share of links are teasers, not article text.
const LINK_PARAGRAPH_DENSITY: f64 = 0.75;

/// Drops short paragraphs that are mostly links ("Read more: …" teasers, link lines):
/// sitrep's addition to Readability, as such lines would be read as events of their own.
fn drop_link_paragraphs(dom: &mut Dom, article: NodeId) {
    for p in elements_with(dom, article, |t| matches!(t, Tag::P | Tag::Li | Tag::H2 | Tag::H3 | Tag::H4 | Tag::Div)) {
        if dom.is_tag(p, Tag::Div) && has_child_block_element(dom, p) {
            continue;
        }
        let len = norm_len(dom, p);
        if len > 0 && len <= LINK_PARAGRAPH_MAX_CHARS && link_density(dom, p, len) >= LINK_PARAGRAPH_DENSITY {
            dom.detach(p);
        }
    }
}

fn mark_data_tables(dom: &Dom, article: NodeId) -> Vec<NodeId> {
    let mut data = Vec::new();
    for table in elements_with(dom, article, |t| t == Tag::Table) {
        if dom.attr(table, "role") == Some("presentation") || dom.attr(table, "datatable") == Some("0") {
            continue;
        }
        if dom.attr(table, "summary").is_some() {
            data.push(table);
            continue;
        }
        if dom.descendants(table).any(|n| {
            matches!(dom.tag(n), Some(Tag::Col | Tag::Colgroup | Tag::Tfoot | Tag::Thead | Tag::Th))
                || (dom.is_tag(n, Tag::Caption) && dom.first_child(n) != NONE)
        }) {
            data.push(table);
            continue;
        }
        if dom.descendants(table).any(|n| dom.is_tag(n, Tag::Table)) {
            continue;
        }
        let (mut rows, mut cols) = (0usize, 0usize);
        for tr in dom.descendants(table).filter(|&n| dom.is_tag(n, Tag::Tr)) {
            rows += 1;
            let mut in_row = 0usize;
            for td in dom.descendants(tr).filter(|&n| dom.is_tag(n, Tag::Td)) {
                in_row +=
                    dom.attr(td, "colspan").and_then(|s| s.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, 1000);
            }
            cols = cols.max(in_row);
        }
        if rows == 1 || cols == 1 {
            continue;
        }
        if rows >= 10 || cols > 4 || rows * cols > 10 {
            data.push(table);
        }
    }
    data
}

fn clean_conditionally(
    dom: &mut Dom,
    article: NodeId,
    which: impl Fn(Tag) -> bool,
    flags: Flags,
    rules: &Rules,
    data_tables: &[NodeId],
) {
    if !flags.clean_conditionally {
        return;
    }
    let nodes = elements_with(dom, article, which);
    for &node in nodes.iter().rev() {
        if should_remove(dom, node, flags, rules, data_tables) {
            dom.detach(node);
        }
    }
}

fn should_remove(dom: &Dom, node: NodeId, flags: Flags, rules: &Rules, data_tables: &[NodeId]) -> bool {
    let Some(tag) = dom.tag(node) else { return false };
    if tag == Tag::Table && data_tables.contains(&node) {
        return false;
    }
    let mut cur = dom.parent(node);
    while cur != NONE {
        if dom.is_tag(cur, Tag::Table) && data_tables.contains(&cur) {
            return false;
        }
        cur = dom.parent(cur);
    }
    if has_ancestor_tag(dom, node, Tag::Code, 3) {
        return false;
    }
    if dom.descendants(node).any(|n| dom.is_tag(n, Tag::Table) && data_tables.contains(&n)) {
        return false;
    }
    let weight = class_weight(dom, node, flags, rules);
    if weight < 0.0 {
        return true;
    }
    let text = inner_text(dom, node);
    if text.matches(',').count() >= 10 {
        return false;
    }
    let len = text.chars().count();
    // One pass over the subtree for the counts.
    let (mut p, mut img, mut li, mut input, mut embeds) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut list_len, mut heading_len, mut textish_len) = (0usize, 0usize, 0usize);
    let mut link = 0.0f64;
    for n in dom.descendants(node) {
        let Some(t) = dom.tag(n) else { continue };
        match t {
            Tag::P => p += 1,
            Tag::Img => img += 1,
            Tag::Li => li += 1,
            Tag::Input => input += 1,
            Tag::Object | Tag::Embed | Tag::Iframe => {
                if is_video_embed(dom, n, rules) {
                    return false;
                }
                embeds += 1;
            }
            _ => {}
        }
        let textish = is_textish(t);
        let counted = textish || t.is_heading() || t == Tag::A;
        if counted {
            let l = norm_len(dom, n);
            if matches!(t, Tag::Ul | Tag::Ol) {
                list_len += l;
            }
            if t.is_heading() {
                heading_len += l;
            }
            if textish {
                textish_len += l;
            }
            if t == Tag::A {
                let coeff = if dom.attr(n, "href").is_some_and(is_hash_url) { 0.3 } else { 1.0 };
                link += l as f64 * coeff;
            }
        }
    }
    let is_list = matches!(tag, Tag::Ul | Tag::Ol) || (len > 0 && list_len as f64 / len as f64 > 0.9);
    let lower = text.to_lowercase();
    if rules.ad_word.is_exactly(&lower) || rules.loading_word.is_exactly(&lower) {
        return true;
    }
    let link_density = if len == 0 { 0.0 } else { link / len as f64 };
    let heading_density = if len == 0 { 0.0 } else { heading_len as f64 / len as f64 };
    let text_density = if len == 0 { 0.0 } else { textish_len as f64 / len as f64 };
    let is_figure_child = has_ancestor_tag(dom, node, Tag::Figure, 3);
    let (pf, imgf) = (p as f64, img as f64);
    let remove = (!is_figure_child && img > 1 && pf / imgf < 0.5)
        || (!is_list && li as f64 - 100.0 > pf)
        || (input as f64 > (pf / 3.0).floor())
        || (!is_list
            && !is_figure_child
            && heading_density < 0.9
            && len < 25
            && (img == 0 || img > 2)
            && link_density > 0.0)
        || (!is_list && weight < 25.0 && link_density > 0.2)
        || (weight >= 25.0 && link_density > 0.5)
        || ((embeds == 1 && len < 75) || embeds > 1)
        || (img == 0 && text_density == 0.0);
    if is_list && remove {
        for c in dom.element_children(node) {
            if dom.element_children(c).count() > 1 {
                return remove;
            }
        }
        return img != li;
    }
    remove
}

/// Elements whose text counts as running text when judging a suspicious block
/// (lists included).
fn is_textish(t: Tag) -> bool {
    matches!(
        t,
        Tag::Span
            | Tag::Li
            | Tag::Td
            | Tag::Blockquote
            | Tag::Dl
            | Tag::Div
            | Tag::Img
            | Tag::P
            | Tag::Pre
            | Tag::Table
            | Tag::Ul
            | Tag::Ol
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::text::subtree_text;

    #[test]
    fn similarity_matches_readability() {
        assert!(text_similarity("Rust (programming language) - Wikipedia", "Rust (programming language)") > 0.75);
        assert!(text_similarity("Floods hit the north", "Weather outlook for the week") < 0.5);
    }

    #[test]
    fn finds_article_among_boilerplate() {
        let para = "<p>Troops shelled the town of Kramatorsk on Tuesday, officials said, killing three people, \
                    wounding eleven and damaging a school, a market and two apartment blocks near the station.</p>";
        let html = format!(
            "<html><body><div class=\"menu\"><a href=\"/\">Home</a> <a href=\"/world\">World</a></div>\
             <div class=\"story-body\"><h1>Shelling hits Kramatorsk</h1>{para}{para}{para}</div>\
             <div class=\"sidebar\"><p>Most read: a list of other stories, links, and more, many of them.</p></div>\
             <div class=\"footer\">Copyright Example News</div></body></html>"
        );
        let found = find_article(Dom::parse(&html), "Shelling hits Kramatorsk", false);
        let text = subtree_text(&found.dom, found.article);
        assert!(text.starts_with("Troops shelled the town"), "{text}");
        assert_eq!(text.matches("Troops shelled").count(), 3);
        assert!(!text.contains("Most read"));
        assert!(!text.contains("Copyright"));
        assert!(!text.contains("Home"));
        assert!(!text.contains("Shelling hits Kramatorsk"), "title header removed: {text}");
    }

    #[test]
    fn drops_link_teasers_but_keeps_linked_sentences() {
        let para = "<p>Aid agencies said on Friday that <a href=\"/un\">the United Nations</a> had sent food, \
                    water and medicine to the camps, where more than 20,000 people have arrived since June.</p>";
        let html = format!(
            "<html><body><div class=\"article-body\">{para}<p>Read more: <a href=\"/x\">Floods displace \
             thousands in the south</a></p>{para}{para}</div></body></html>"
        );
        let found = find_article(Dom::parse(&html), "", true);
        let text = subtree_text(&found.dom, found.article);
        assert_eq!(text.matches("the United Nations").count(), 3, "{text}");
        assert!(!text.contains("Read more"), "{text}");
    }
}
