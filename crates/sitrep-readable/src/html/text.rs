//! Plain text of a subtree: paragraphs separated by blank lines, whitespace collapsed.

use super::dom::{Dom, Kind, NONE, NodeId, Tag};

/// How strongly two pieces of text are separated.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
    Paragraph,
}

struct Writer {
    out: String,
    gap: Gap,
}

impl Writer {
    fn want(&mut self, gap: Gap) {
        if gap > self.gap {
            self.gap = gap;
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            match self.gap {
                Gap::None => {}
                Gap::Space => self.out.push(' '),
                Gap::Line => self.out.push('\n'),
                Gap::Paragraph => self.out.push_str("\n\n"),
            }
        }
        self.gap = Gap::None;
    }

    fn text(&mut self, s: &str) {
        let mut first = true;
        for word in s.split(char::is_whitespace) {
            if !first {
                self.want(Gap::Space);
            }
            first = false;
            if !word.is_empty() {
                self.flush();
                self.out.push_str(word);
            }
        }
    }

    fn pre_text(&mut self, s: &str) {
        let mut first = true;
        for line in s.split('\n') {
            if !first {
                self.want(Gap::Line);
            }
            first = false;
            let line = line.trim_end();
            if !line.trim_start().is_empty() {
                self.flush();
                self.out.push_str(line);
            }
        }
    }
}

/// Elements whose content is never text a reader sees.
pub(crate) fn is_hidden_content(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Script
            | Tag::Style
            | Tag::Template
            | Tag::Noscript
            | Tag::Head
            | Tag::Title
            | Tag::Iframe
            | Tag::Textarea
            | Tag::Select
            | Tag::Datalist
            | Tag::Noembed
            | Tag::Noframes
            | Tag::Svg
            | Tag::Object
            | Tag::Embed
            | Tag::Button
            | Tag::Meta
            | Tag::Link
    )
}

fn gap_of(tag: Tag) -> Gap {
    match tag {
        Tag::Br | Tag::Tr => Gap::Line,
        Tag::Td | Tag::Th | Tag::Img | Tag::Input => Gap::Space,
        Tag::P
        | Tag::Div
        | Tag::H1
        | Tag::H2
        | Tag::H3
        | Tag::H4
        | Tag::H5
        | Tag::H6
        | Tag::Ul
        | Tag::Ol
        | Tag::Dl
        | Tag::Li
        | Tag::Dd
        | Tag::Dt
        | Tag::Blockquote
        | Tag::Pre
        | Tag::Table
        | Tag::Thead
        | Tag::Tbody
        | Tag::Tfoot
        | Tag::Caption
        | Tag::Section
        | Tag::Article
        | Tag::Main
        | Tag::Header
        | Tag::Footer
        | Tag::Nav
        | Tag::Aside
        | Tag::Figure
        | Tag::Figcaption
        | Tag::Form
        | Tag::Fieldset
        | Tag::Legend
        | Tag::Address
        | Tag::Details
        | Tag::Summary
        | Tag::Hr
        | Tag::Center
        | Tag::Hgroup
        | Tag::Menu
        | Tag::Dialog
        | Tag::Body
        | Tag::Html
        | Tag::Listing
        | Tag::Xmp
        | Tag::Plaintext => Gap::Paragraph,
        _ => Gap::None,
    }
}

/// The text under `root`: blocks become paragraphs (`"\n\n"`), `br` and table rows lines.
pub(crate) fn subtree_text(dom: &Dom, root: NodeId) -> String {
    let mut w = Writer { out: String::new(), gap: Gap::None };
    let mut pre_depth = 0usize;
    // Iterative walk: enter a node, then its children, then leave it.
    let mut node = dom.first_child(root);
    if node == NONE {
        if dom.is_text(root) {
            w.text(dom.text_of(root));
        }
        return w.out;
    }
    'walk: while node != NONE {
        let mut descend = false;
        match dom.node(node).kind {
            Kind::Text { .. } => {
                if pre_depth > 0 {
                    w.pre_text(dom.text_of(node));
                } else {
                    w.text(dom.text_of(node));
                }
            }
            Kind::Element { tag, .. } => {
                if !is_hidden_content(tag) {
                    w.want(gap_of(tag));
                    if tag == Tag::Pre {
                        pre_depth += 1;
                    }
                    descend = dom.first_child(node) != NONE;
                    if !descend {
                        w.want(gap_of(tag));
                        if tag == Tag::Pre {
                            pre_depth -= 1;
                        }
                    }
                }
            }
            Kind::Document => descend = true,
        }
        if descend {
            node = dom.first_child(node);
            continue;
        }
        // Leave finished nodes upwards until one has a next sibling.
        loop {
            let next = dom.next_sibling(node);
            if next != NONE {
                node = next;
                continue 'walk;
            }
            node = dom.parent(node);
            if node == root || node == NONE {
                break 'walk;
            }
            if let Some(tag) = dom.tag(node) {
                w.want(gap_of(tag));
                if tag == Tag::Pre {
                    pre_depth = pre_depth.saturating_sub(1);
                }
            }
        }
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::dom::ROOT;

    #[test]
    fn paragraphs_lines_and_inline_markup() {
        let dom = Dom::parse(
            "<div><h2>Heading</h2><p>First <b>bold</b>\n  words.</p><p>Line one<br>line two</p>\
             <ul><li>item a</li><li>item b</li></ul><script>var x;</script>\
             <table><tr><td>c1</td><td>c2</td></tr><tr><td>c3</td></tr></table><pre>a\n  b</pre></div>",
        );
        assert_eq!(
            subtree_text(&dom, ROOT),
            "Heading\n\nFirst bold words.\n\nLine one\nline two\n\nitem a\n\nitem b\n\nc1 c2\nc3\n\na\n  b"
        );
    }
}
