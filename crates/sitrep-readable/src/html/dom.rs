//! A small, forgiving HTML parser into an arena tree.
//!
//! It follows the parts of the WHATWG tree-construction rules that matter for
//! reading articles (implied end tags of `p`, `li`, `dd`/`dt`, table cells and
//! rows, raw-text elements, void elements, entity decoding) and ignores the
//! rest. Every walk over the tree is iterative and nesting is capped at
//! [`MAX_DEPTH`], so no page can overflow the stack or make the work grow
//! faster than its length.

use std::sync::OnceLock;

use std::collections::HashMap;

/// Index of a node in [`Dom::nodes`].
pub(crate) type NodeId = u32;
/// "No node" in the links between nodes.
pub(crate) const NONE: NodeId = u32::MAX;
/// Elements nested deeper than this are attached at this depth.
pub(crate) const MAX_DEPTH: usize = 400;

macro_rules! tags {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// An element name the extractor knows; every other name is [`Tag::Other`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Tag { $($variant,)* Other }

        impl Tag {
            fn from_lower(name: &[u8]) -> Tag {
                match name { $($name => Tag::$variant,)* _ => Tag::Other }
            }
        }
    };
}

tags! {
    A = b"a", Abbr = b"abbr", Address = b"address", Area = b"area", Article = b"article", Aside = b"aside",
    Audio = b"audio", B = b"b", Base = b"base", Bdi = b"bdi", Bdo = b"bdo", Big = b"big",
    Blockquote = b"blockquote", Body = b"body", Br = b"br", Button = b"button", Canvas = b"canvas",
    Caption = b"caption", Center = b"center", Cite = b"cite", Code = b"code", Col = b"col",
    Colgroup = b"colgroup", Data = b"data", Datalist = b"datalist", Dd = b"dd", Del = b"del",
    Details = b"details", Dfn = b"dfn", Dialog = b"dialog", Dir = b"dir", Div = b"div", Dl = b"dl",
    Dt = b"dt", Em = b"em", Embed = b"embed", Fieldset = b"fieldset", Figcaption = b"figcaption",
    Figure = b"figure", Font = b"font", Footer = b"footer", Form = b"form", Frame = b"frame",
    Frameset = b"frameset", H1 = b"h1", H2 = b"h2", H3 = b"h3", H4 = b"h4", H5 = b"h5", H6 = b"h6",
    Head = b"head", Header = b"header", Hgroup = b"hgroup", Hr = b"hr", Html = b"html", I = b"i",
    Iframe = b"iframe", Img = b"img", Input = b"input", Ins = b"ins", Kbd = b"kbd", Label = b"label",
    Legend = b"legend", Li = b"li", Link = b"link", Listing = b"listing", Main = b"main", Map = b"map",
    Mark = b"mark", Marquee = b"marquee", Math = b"math", Menu = b"menu", Meta = b"meta", Meter = b"meter",
    Nav = b"nav", Nobr = b"nobr", Noembed = b"noembed", Noframes = b"noframes", Noscript = b"noscript",
    Object = b"object", Ol = b"ol", Optgroup = b"optgroup", Option = b"option", Output = b"output",
    P = b"p", Param = b"param", Picture = b"picture", Plaintext = b"plaintext", Pre = b"pre",
    Progress = b"progress", Q = b"q", Rp = b"rp", Rt = b"rt", Ruby = b"ruby", S = b"s", Samp = b"samp",
    Script = b"script", Section = b"section", Select = b"select", Small = b"small", Source = b"source",
    Span = b"span", Strike = b"strike", Strong = b"strong", Style = b"style", Sub = b"sub",
    Summary = b"summary", Sup = b"sup", Svg = b"svg", Table = b"table", Tbody = b"tbody", Td = b"td",
    Template = b"template", Textarea = b"textarea", Tfoot = b"tfoot", Th = b"th", Thead = b"thead",
    Time = b"time", Title = b"title", Tr = b"tr", Track = b"track", Tt = b"tt", U = b"u", Ul = b"ul",
    Var = b"var", Video = b"video", Wbr = b"wbr", Xmp = b"xmp",
}

impl Tag {
    /// Elements that never have content.
    pub(crate) fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
                | Tag::Frame
        )
    }

    /// Elements whose content is raw text up to their end tag.
    fn is_raw_text(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Xmp
                | Tag::Iframe
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Noscript
                | Tag::Textarea
                | Tag::Title
                | Tag::Plaintext
        )
    }

    /// Start tags that close an open `p`.
    fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Dir
                | Tag::Div
                | Tag::Dl
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Header
                | Tag::Hgroup
                | Tag::Hr
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Section
                | Tag::Summary
                | Tag::Table
                | Tag::Ul
                | Tag::Li
                | Tag::Dd
                | Tag::Dt
                | Tag::Listing
                | Tag::Plaintext
                | Tag::Xmp
        )
    }

    /// Headings.
    pub(crate) fn is_heading(self) -> bool {
        matches!(self, Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6)
    }

    /// Elements that end a search for an open element (the "scope" markers).
    fn is_scope_boundary(self) -> bool {
        matches!(
            self,
            Tag::Html | Tag::Table | Tag::Td | Tag::Th | Tag::Caption | Tag::Template | Tag::Marquee | Tag::Object
        )
    }

    fn is_table_part(self) -> bool {
        matches!(self, Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Tr | Tag::Td | Tag::Th | Tag::Caption)
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The root.
    Document,
    /// An element; its attributes are `attrs.0..attrs.1` in [`Dom::attrs`].
    Element { tag: Tag, attrs: (u32, u32) },
    /// Text: `start..end` in [`Dom::text`].
    Text { start: u32, end: u32 },
}

/// One node with its links.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) parent: NodeId,
    pub(crate) first_child: NodeId,
    pub(crate) last_child: NodeId,
    pub(crate) prev: NodeId,
    pub(crate) next: NodeId,
}

/// One attribute: name and value ranges in [`Dom::strs`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attr {
    name: (u32, u32),
    value: (u32, u32),
}

/// A parsed page.
#[derive(Clone, Debug)]
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
    pub(crate) attrs: Vec<Attr>,
    /// Attribute names (lower case) and decoded values.
    strs: String,
    /// Decoded text of every text node.
    pub(crate) text: String,
    /// Elements nested deeper than [`MAX_DEPTH`] were flattened.
    pub(crate) depth_capped: bool,
}

pub(crate) const ROOT: NodeId = 0;

impl Dom {
    /// Parses a whole page or a fragment.
    pub(crate) fn parse(html: &str) -> Dom {
        let mut builder = Builder::new(html.len());
        builder.run(html);
        let mut dom = builder.dom;
        dom.normalize();
        dom
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The element's tag, or `None` for text and the document.
    pub(crate) fn tag(&self, id: NodeId) -> Option<Tag> {
        match self.nodes[id as usize].kind {
            Kind::Element { tag, .. } => Some(tag),
            _ => None,
        }
    }

    pub(crate) fn is_tag(&self, id: NodeId, tag: Tag) -> bool {
        self.tag(id) == Some(tag)
    }

    pub(crate) fn set_tag(&mut self, id: NodeId, new: Tag) {
        if let Kind::Element { tag, .. } = &mut self.nodes[id as usize].kind {
            *tag = new;
        }
    }

    pub(crate) fn is_text(&self, id: NodeId) -> bool {
        matches!(self.nodes[id as usize].kind, Kind::Text { .. })
    }

    /// The text of a text node (empty for other nodes).
    pub(crate) fn text_of(&self, id: NodeId) -> &str {
        match self.nodes[id as usize].kind {
            Kind::Text { start, end } => &self.text[start as usize..end as usize],
            _ => "",
        }
    }

    /// The value of an attribute (name in lower case).
    pub(crate) fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        let Kind::Element { attrs: (a, b), .. } = self.nodes[id as usize].kind else { return None };
        self.attrs[a as usize..b as usize]
            .iter()
            .find(|attr| &self.strs[attr.name.0 as usize..attr.name.1 as usize] == name)
            .map(|attr| &self.strs[attr.value.0 as usize..attr.value.1 as usize])
    }

    /// All attributes of an element as (name, value).
    pub(crate) fn attrs_of(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> {
        let (a, b) = match self.nodes[id as usize].kind {
            Kind::Element { attrs, .. } => attrs,
            _ => (0, 0),
        };
        self.attrs[a as usize..b as usize].iter().map(|attr| {
            (
                &self.strs[attr.name.0 as usize..attr.name.1 as usize],
                &self.strs[attr.value.0 as usize..attr.value.1 as usize],
            )
        })
    }

    pub(crate) fn parent(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].parent
    }

    pub(crate) fn first_child(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].first_child
    }

    pub(crate) fn next_sibling(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].next
    }

    /// Child nodes (text included).
    pub(crate) fn children(&self, id: NodeId) -> Children<'_> {
        Children { dom: self, next: self.first_child(id) }
    }

    /// Child elements.
    pub(crate) fn element_children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).filter(|&c| self.tag(c).is_some())
    }

    /// The next node in document order inside `scope` (descending into children when `descend`).
    pub(crate) fn next_in(&self, id: NodeId, scope: NodeId, descend: bool) -> NodeId {
        if descend {
            let child = self.first_child(id);
            if child != NONE {
                return child;
            }
        }
        let mut cur = id;
        while cur != scope && cur != NONE {
            let next = self.next_sibling(cur);
            if next != NONE {
                return next;
            }
            cur = self.parent(cur);
        }
        NONE
    }

    /// Every node under `scope` (not `scope` itself), in document order.
    pub(crate) fn descendants(&self, scope: NodeId) -> Descendants<'_> {
        Descendants { dom: self, scope, next: self.first_child(scope) }
    }

    /// Removes a node (with its subtree) from the tree.
    pub(crate) fn detach(&mut self, id: NodeId) {
        let Node { parent, prev, next, .. } = self.nodes[id as usize];
        if parent == NONE {
            return;
        }
        if prev != NONE {
            self.nodes[prev as usize].next = next;
        } else {
            self.nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            self.nodes[next as usize].prev = prev;
        } else {
            self.nodes[parent as usize].last_child = prev;
        }
        let node = &mut self.nodes[id as usize];
        node.parent = NONE;
        node.prev = NONE;
        node.next = NONE;
    }

    /// Appends a detached-or-attached node as the last child of `parent`.
    pub(crate) fn append(&mut self, parent: NodeId, id: NodeId) {
        self.detach(id);
        let last = self.nodes[parent as usize].last_child;
        {
            let node = &mut self.nodes[id as usize];
            node.parent = parent;
            node.prev = last;
            node.next = NONE;
        }
        if last != NONE {
            self.nodes[last as usize].next = id;
        } else {
            self.nodes[parent as usize].first_child = id;
        }
        self.nodes[parent as usize].last_child = id;
    }

    /// Puts `id` where `old` is and detaches `old`.
    pub(crate) fn replace(&mut self, old: NodeId, id: NodeId) {
        self.insert_before(old, id);
        self.detach(old);
    }

    /// Inserts `id` before `anchor` under the same parent.
    pub(crate) fn insert_before(&mut self, anchor: NodeId, id: NodeId) {
        self.detach(id);
        let parent = self.nodes[anchor as usize].parent;
        if parent == NONE {
            return;
        }
        let prev = self.nodes[anchor as usize].prev;
        {
            let node = &mut self.nodes[id as usize];
            node.parent = parent;
            node.prev = prev;
            node.next = anchor;
        }
        self.nodes[anchor as usize].prev = id;
        if prev != NONE {
            self.nodes[prev as usize].next = id;
        } else {
            self.nodes[parent as usize].first_child = id;
        }
    }

    /// A new detached element without attributes.
    pub(crate) fn create_element(&mut self, tag: Tag) -> NodeId {
        let n = self.attrs.len() as u32;
        self.push_node(Kind::Element { tag, attrs: (n, n) })
    }

    fn push_node(&mut self, kind: Kind) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node { kind, parent: NONE, first_child: NONE, last_child: NONE, prev: NONE, next: NONE });
        id
    }

    /// The first element with this tag (document order).
    pub(crate) fn find_first(&self, scope: NodeId, tag: Tag) -> NodeId {
        self.descendants(scope).find(|&n| self.is_tag(n, tag)).unwrap_or(NONE)
    }

    /// Makes sure the document has `html` and `body` elements holding the content.
    fn normalize(&mut self) {
        let mut html = self.element_children(ROOT).find(|&c| self.is_tag(c, Tag::Html)).unwrap_or(NONE);
        if html == NONE {
            html = self.create_element(Tag::Html);
            let kids: Vec<NodeId> = self.children(ROOT).collect();
            for kid in kids {
                self.append(html, kid);
            }
            self.append(ROOT, html);
        }
        let body = self.find_first(ROOT, Tag::Body);
        if body == NONE {
            let body = self.create_element(Tag::Body);
            let kids: Vec<NodeId> = self.children(html).filter(|&c| !self.is_tag(c, Tag::Head)).collect();
            for kid in kids {
                self.append(body, kid);
            }
            self.append(html, body);
        }
    }

    /// The `body` element (there is always one after parsing).
    pub(crate) fn body(&self) -> NodeId {
        let body = self.find_first(ROOT, Tag::Body);
        if body == NONE { ROOT } else { body }
    }
}

/// Iterator over child nodes.
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.next_sibling(id);
        Some(id)
    }
}

/// Iterator over a subtree in document order.
pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    scope: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.next_in(id, self.scope, true);
        Some(id)
    }
}

/// The named character references, from `data/html-entities.tsv`.
fn entities() -> &'static HashMap<&'static str, String> {
    static TABLE: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    TABLE.get_or_init(|| load_entities(ENTITIES_TSV).unwrap_or_default())
}

pub(crate) const ENTITIES_TSV: &str = include_str!("../../data/html-entities.tsv");

/// Reads the entity table; errors name the file, line and field.
pub(crate) fn load_entities(tsv: &'static str) -> Result<HashMap<&'static str, String>, String> {
    let mut map = HashMap::with_capacity(2300);
    for (no, line) in tsv.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let where_ = || format!("data/html-entities.tsv:{}", no + 1);
        let (name, cps) = line.split_once('\t').ok_or_else(|| format!("{}: missing code points field", where_()))?;
        let mut value = String::new();
        for cp in cps.split(' ') {
            let c = u32::from_str_radix(cp, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("{}: field 2: bad code point {cp:?}", where_()))?;
            value.push(c);
        }
        map.insert(name, value);
    }
    Ok(map)
}

/// Windows-1252 meanings of numeric references 0x80–0x9F (as the HTML standard says).
const C1_REMAP: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D,
    0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
    0x017E, 0x0178,
];

/// Appends `raw` to `out` with character references decoded.
pub(crate) fn decode_into(raw: &str, out: &mut String, in_attr: bool) {
    let bytes = raw.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = raw[i..].find('&') {
        let amp = i + off;
        out.push_str(&raw[last..amp]);
        let (decoded, used) = decode_ref(&raw[amp + 1..], in_attr);
        if let Some(s) = decoded {
            s.push_to(out);
            last = amp + 1 + used;
        } else {
            out.push('&');
            last = amp + 1;
        }
        i = last;
        if i >= bytes.len() {
            break;
        }
    }
    out.push_str(&raw[last..]);
}

enum Decoded {
    Char(char),
    Str(&'static str),
}

impl Decoded {
    fn push_to(&self, out: &mut String) {
        match self {
            Decoded::Char(c) => out.push(*c),
            Decoded::Str(s) => out.push_str(s),
        }
    }
}

/// Decodes the reference after an `&`; returns what it means and how many bytes it used.
fn decode_ref(rest: &str, in_attr: bool) -> (Option<Decoded>, usize) {
    let b = rest.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let mut end = start;
        while end < b.len()
            && end - start < 8
            && (if hex { b[end].is_ascii_hexdigit() } else { b[end].is_ascii_digit() })
        {
            end += 1;
        }
        if end == start {
            return (None, 0);
        }
        let value = u32::from_str_radix(&rest[start..end], if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
        let used = if b.get(end) == Some(&b';') { end + 1 } else { end };
        let c = match value {
            0x80..=0x9F => char::from_u32(C1_REMAP[(value - 0x80) as usize]),
            0 => None,
            v => char::from_u32(v),
        };
        return (Some(Decoded::Char(c.unwrap_or('\u{FFFD}'))), used);
    }
    let mut end = 0;
    while end < b.len() && end < 40 && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if end == 0 {
        return (None, 0);
    }
    let table = entities();
    if b.get(end) == Some(&b';')
        && let Some(v) = table.get(&rest[..=end])
    {
        return (Some(Decoded::Str(v.as_str())), end + 1);
    }
    // Legacy references without ';': the longest known prefix (not in attributes when followed by alnum or '=').
    let mut len = end.min(8);
    while len >= 2 {
        if let Some(v) = table.get(&rest[..len]) {
            let following = b.get(len).copied();
            if in_attr && following.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'=') {
                return (None, 0);
            }
            return (Some(Decoded::Str(v.as_str())), len);
        }
        len -= 1;
    }
    (None, 0)
}

struct Builder {
    dom: Dom,
    stack: Vec<NodeId>,
    /// Open elements beyond [`MAX_DEPTH`] that were not pushed.
    foreign_depth: usize,
}

impl Builder {
    fn new(len: usize) -> Builder {
        let mut dom = Dom {
            nodes: Vec::with_capacity(len / 40 + 8),
            attrs: Vec::with_capacity(len / 80 + 8),
            strs: String::with_capacity(len / 8),
            text: String::with_capacity(len / 3),
            depth_capped: false,
        };
        dom.push_node(Kind::Document);
        Builder { dom, stack: vec![ROOT], foreign_depth: 0 }
    }

    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&ROOT)
    }

    fn current_tag(&self) -> Option<Tag> {
        self.dom.tag(self.current())
    }

    fn add_text(&mut self, raw: &str, decode: bool) {
        if raw.is_empty() {
            return;
        }
        let parent = self.current();
        // Merge with a preceding text node so that text runs stay whole.
        let last = self.dom.nodes[parent as usize].last_child;
        let start = self.dom.text.len();
        if decode {
            decode_into(raw, &mut self.dom.text, false);
        } else {
            self.dom.text.push_str(raw);
        }
        let end = self.dom.text.len();
        if last != NONE
            && let Kind::Text { end: prev_end, .. } = &mut self.dom.nodes[last as usize].kind
            && *prev_end as usize == start
        {
            *prev_end = end as u32;
            return;
        }
        let id = self.dom.push_node(Kind::Text { start: start as u32, end: end as u32 });
        self.dom.append(parent, id);
    }

    /// Pops up to and including the topmost element with `tag`, searching no further than a boundary.
    fn close(&mut self, tag: Tag, boundary: impl Fn(Tag) -> bool) -> bool {
        for i in (1..self.stack.len()).rev() {
            let Some(t) = self.dom.tag(self.stack[i]) else { continue };
            if t == tag {
                self.stack.truncate(i);
                return true;
            }
            if boundary(t) {
                return false;
            }
        }
        false
    }

    fn start_tag(&mut self, tag: Tag, attrs: (u32, u32), self_closing: bool) -> NodeId {
        match tag {
            Tag::Html | Tag::Body | Tag::Head => {
                if let Some(existing) = self.stack.iter().copied().find(|&n| self.dom.is_tag(n, tag)) {
                    return existing;
                }
                if tag == Tag::Body {
                    self.close(Tag::Head, |_| false);
                }
            }
            _ => {}
        }
        if tag.closes_p() {
            self.close(Tag::P, |t| t.is_scope_boundary() || t == Tag::Button);
        }
        match tag {
            Tag::Li => {
                self.close(Tag::Li, |t| {
                    matches!(t, Tag::Ul | Tag::Ol | Tag::Menu | Tag::Body) || t.is_scope_boundary()
                });
            }
            Tag::Dd | Tag::Dt => {
                let boundary = |t: Tag| t == Tag::Dl || t == Tag::Body || t.is_scope_boundary();
                if !self.close(Tag::Dd, boundary) {
                    self.close(Tag::Dt, boundary);
                }
            }
            Tag::Td | Tag::Th => {
                let boundary = |t: Tag| matches!(t, Tag::Tr | Tag::Table | Tag::Html);
                if !self.close(Tag::Td, boundary) {
                    self.close(Tag::Th, boundary);
                }
            }
            Tag::Tr => {
                let boundary = |t: Tag| matches!(t, Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Html);
                self.close(Tag::Tr, boundary);
            }
            Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                let boundary = |t: Tag| matches!(t, Tag::Table | Tag::Html);
                for t in [Tag::Tbody, Tag::Thead, Tag::Tfoot] {
                    self.close(t, boundary);
                }
            }
            Tag::Option | Tag::Optgroup if self.current_tag() == Some(Tag::Option) => {
                self.stack.pop();
            }
            Tag::A => {
                self.close(Tag::A, Tag::is_scope_boundary);
            }
            t if t.is_heading() && self.current_tag().is_some_and(Tag::is_heading) => {
                self.stack.pop();
            }
            _ => {}
        }
        let id = self.dom.push_node(Kind::Element { tag, attrs });
        let parent = self.current();
        self.dom.append(parent, id);
        let leaf = tag.is_void()
            || (self_closing
                && (tag == Tag::Other
                    || tag == Tag::Svg
                    || self
                        .stack
                        .iter()
                        .rev()
                        .take(64)
                        .any(|&n| matches!(self.dom.tag(n), Some(Tag::Svg | Tag::Math)))));
        if !leaf {
            if self.stack.len() >= MAX_DEPTH {
                self.dom.depth_capped = true;
                self.foreign_depth += 1;
            } else {
                self.stack.push(id);
            }
        }
        id
    }

    fn end_tag(&mut self, tag: Tag) {
        match tag {
            Tag::Br => {
                let n = self.dom.attrs.len() as u32;
                self.start_tag(Tag::Br, (n, n), false);
            }
            Tag::Html | Tag::Body => {}
            Tag::Other => {
                // Unknown names are not told apart; close the innermost unknown element if it is current.
                if self.current_tag() == Some(Tag::Other) {
                    self.stack.pop();
                }
            }
            t if t.is_table_part() => {
                self.close(t, |b| matches!(b, Tag::Html | Tag::Template) || (b == Tag::Table && t != Tag::Table));
            }
            t if t.is_heading() => {
                let boundary = Tag::is_scope_boundary;
                if !self.close(t, boundary) {
                    for h in [Tag::H1, Tag::H2, Tag::H3, Tag::H4, Tag::H5, Tag::H6] {
                        if self.close(h, boundary) {
                            break;
                        }
                    }
                }
            }
            t => {
                if self.foreign_depth > 0 {
                    // Elements past the depth cap were never pushed; their end tags close nothing.
                    self.foreign_depth -= 1;
                    return;
                }
                self.close(t, Tag::is_scope_boundary);
            }
        }
    }

    fn run(&mut self, html: &str) {
        let b = html.as_bytes();
        let len = b.len();
        let mut i = 0;
        let mut text_start = 0;
        while i < len {
            let Some(off) = html[i..].find('<') else { break };
            let lt = i + off;
            let next = b.get(lt + 1).copied().unwrap_or(0);
            if next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?' {
                if lt > text_start {
                    self.add_text(&html[text_start..lt], true);
                }
                let end = self.markup(html, lt);
                i = end;
                text_start = end;
            } else {
                i = lt + 1;
            }
        }
        if text_start < len {
            self.add_text(&html[text_start..], true);
        }
    }

    /// Reads the markup at `lt` (a `<`); returns the position after it.
    fn markup(&mut self, html: &str, lt: usize) -> usize {
        let b = html.as_bytes();
        let len = b.len();
        match b[lt + 1] {
            b'!' => {
                if html[lt..].starts_with("<!--") {
                    return match html[lt + 4..].find("-->") {
                        Some(p) => lt + 4 + p + 3,
                        None => len,
                    };
                }
                if html[lt..].starts_with("<![CDATA[") {
                    return match html[lt + 9..].find("]]>") {
                        Some(p) => lt + 9 + p + 3,
                        None => len,
                    };
                }
                find_byte(b, lt, b'>').map_or(len, |p| p + 1)
            }
            b'?' => find_byte(b, lt, b'>').map_or(len, |p| p + 1),
            b'/' => {
                let start = lt + 2;
                let mut end = start;
                while end < len && !matches!(b[end], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') {
                    end += 1;
                }
                let after = find_byte(b, end, b'>').map_or(len, |p| p + 1);
                if end > start && b[start].is_ascii_alphabetic() {
                    let tag = tag_of(&b[start..end]);
                    self.end_tag(tag);
                }
                after
            }
            _ => self.start_tag_markup(html, lt),
        }
    }

    fn start_tag_markup(&mut self, html: &str, lt: usize) -> usize {
        let b = html.as_bytes();
        let len = b.len();
        let start = lt + 1;
        let mut i = start;
        while i < len && !matches!(b[i], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') {
            i += 1;
        }
        let tag = tag_of(&b[start..i]);
        let attr_start = self.dom.attrs.len() as u32;
        let mut self_closing = false;
        loop {
            while i < len && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                i += 1;
            }
            if i >= len {
                break;
            }
            match b[i] {
                b'>' => {
                    i += 1;
                    break;
                }
                b'/' => {
                    i += 1;
                    if b.get(i) == Some(&b'>') {
                        self_closing = true;
                        i += 1;
                        break;
                    }
                    continue;
                }
                _ => {}
            }
            let name_start = i;
            i += 1;
            while i < len && !matches!(b[i], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'=') {
                i += 1;
            }
            let name_end = i;
            while i < len && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                i += 1;
            }
            let mut value = (0usize, 0usize);
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < len && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let vs = i + 1;
                        let ve = find_byte(b, vs, q).unwrap_or(len);
                        value = (vs, ve);
                        i = (ve + 1).min(len);
                    }
                    Some(_) => {
                        let vs = i;
                        while i < len && !matches!(b[i], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                            i += 1;
                        }
                        value = (vs, i);
                    }
                    None => {}
                }
            }
            self.push_attr(&html[name_start..name_end], &html[value.0..value.1]);
        }
        let attrs = (attr_start, self.dom.attrs.len() as u32);
        let id = self.start_tag(tag, attrs, self_closing);
        if tag.is_raw_text() && !self_closing && self.dom.is_tag(self.current(), tag) && self.current() == id {
            let name: &[u8] = match tag {
                Tag::Script => b"script",
                Tag::Style => b"style",
                Tag::Xmp => b"xmp",
                Tag::Iframe => b"iframe",
                Tag::Noembed => b"noembed",
                Tag::Noframes => b"noframes",
                Tag::Noscript => b"noscript",
                Tag::Textarea => b"textarea",
                Tag::Title => b"title",
                _ => b"",
            };
            let end = if name.is_empty() { len } else { find_end_tag(b, i, name) };
            let decode = matches!(tag, Tag::Title | Tag::Textarea);
            self.add_text(&html[i..end], decode);
            return end;
        }
        i
    }

    fn push_attr(&mut self, name: &str, raw_value: &str) {
        let strs = &mut self.dom.strs;
        let ns = strs.len();
        for c in name.chars() {
            strs.push(c.to_ascii_lowercase());
        }
        let ne = strs.len();
        if raw_value.contains('&') {
            decode_into(raw_value, strs, true);
        } else {
            strs.push_str(raw_value);
        }
        let ve = strs.len();
        self.dom.attrs.push(Attr { name: (ns as u32, ne as u32), value: (ne as u32, ve as u32) });
    }
}

fn tag_of(name: &[u8]) -> Tag {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return Tag::Other;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Tag::from_lower(&buf[..name.len()])
}

fn find_byte(b: &[u8], from: usize, byte: u8) -> Option<usize> {
    b.get(from..)?.iter().position(|&c| c == byte).map(|p| from + p)
}

/// Where `</name` (any case, followed by a space, `/` or `>`) starts, or the end.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = find_byte(b, i, b'<') {
        if b.get(p + 1) == Some(&b'/') {
            let s = p + 2;
            if b.len() >= s + name.len() && b[s..s + name.len()].eq_ignore_ascii_case(name) {
                match b.get(s + name.len()) {
                    None | Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') => return p,
                    _ => {}
                }
            }
        }
        i = p + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_under(dom: &Dom, id: NodeId) -> Vec<Tag> {
        dom.element_children(id).filter_map(|c| dom.tag(c)).collect()
    }

    #[test]
    fn entity_table_loads() {
        let table = load_entities(ENTITIES_TSV).expect("entity table");
        assert_eq!(table.get("amp;").map(String::as_str), Some("&"));
        assert!(table.len() > 2000);
        assert!(load_entities("x;\tZZZZZZZZ\n").unwrap_err().contains("html-entities.tsv:1"));
    }

    #[test]
    fn decodes_references() {
        let mut s = String::new();
        decode_into("A&amp;B &lt;c&gt; &#233;&#x4E2D; &mdash; &mdash &copy; &notaref; &#150; &", &mut s, false);
        assert_eq!(s, "A&B <c> é中 — &mdash © ¬aref; – &");
    }

    #[test]
    fn implied_end_tags() {
        let dom = Dom::parse("<body><p>one<p>two<div>three</div><ul><li>a<li>b</ul>");
        let body = dom.body();
        assert_eq!(tags_under(&dom, body), vec![Tag::P, Tag::P, Tag::Div, Tag::Ul]);
        let ul = dom.find_first(body, Tag::Ul);
        assert_eq!(tags_under(&dom, ul), vec![Tag::Li, Tag::Li]);
    }

    #[test]
    fn raw_text_and_attributes() {
        let dom = Dom::parse(
            "<html lang=en><head><title>T &amp; U</title><script>if (a<b) {x='</p>'}</script></head>\
             <body><a href='/x?a=1&amp;b=2' class=\"c d\" hidden>link</a></body></html>",
        );
        let title = dom.find_first(ROOT, Tag::Title);
        assert_eq!(dom.text_of(dom.first_child(title)), "T & U");
        let a = dom.find_first(ROOT, Tag::A);
        assert_eq!(dom.attr(a, "href"), Some("/x?a=1&b=2"));
        assert_eq!(dom.attr(a, "class"), Some("c d"));
        assert_eq!(dom.attr(a, "hidden"), Some(""));
        let html = dom.find_first(ROOT, Tag::Html);
        assert_eq!(dom.attr(html, "lang"), Some("en"));
        let script = dom.find_first(ROOT, Tag::Script);
        assert_eq!(dom.text_of(dom.first_child(script)), "if (a<b) {x='</p>'}");
    }

    #[test]
    fn stray_end_tags_do_not_break_tables() {
        let dom = Dom::parse("<div><table><tr><td>x</div>y</td><td>z</td></tr></table>after</div>");
        let tds: Vec<NodeId> = dom.descendants(ROOT).filter(|&n| dom.is_tag(n, Tag::Td)).collect();
        assert_eq!(tds.len(), 2);
        let div = dom.find_first(ROOT, Tag::Div);
        assert_eq!(dom.element_children(div).count(), 1);
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
        let dom = Dom::parse(&html);
        assert!(dom.depth_capped);
        let mut max = 0;
        for id in dom.descendants(ROOT) {
            let mut depth = 0;
            let mut cur = id;
            while cur != NONE {
                depth += 1;
                cur = dom.parent(cur);
            }
            max = max.max(depth);
        }
        assert!(max <= MAX_DEPTH + 4, "depth {max}");
    }
}
