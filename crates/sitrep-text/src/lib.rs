//! Byte spans into article text.
//!
//! The principal type is [`TextRange`]: a half-open range of `u32` byte
//! offsets into one document's text. Every fact sitrep outputs points at the
//! bytes it was read from through a `TextRange`; slicing the text with it
//! (`&text[range]`) gives the evidence back.
//!
//! ```
//! use sitrep_text::TextRange;
//! let text = "MOSUL, Iraq -- Troops advanced.";
//! let r = TextRange::new(0, 5);
//! assert_eq!(&text[r], "MOSUL");
//! ```

use std::fmt;
use std::ops::{Index, Range};

/// A half-open byte range `start..end` into a document's text.
///
/// Invariant: `start <= end` (checked by [`TextRange::new`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    /// Makes a range. Panics if `start > end`: that is a bug in the caller.
    #[must_use]
    pub fn new(start: usize, end: usize) -> TextRange {
        assert!(start <= end, "TextRange::new: start {start} > end {end}");
        TextRange { start: to_u32(start), end: to_u32(end) }
    }

    /// An empty range at `offset`.
    #[must_use]
    pub fn empty(offset: usize) -> TextRange {
        TextRange::new(offset, offset)
    }

    /// The whole of `text`.
    #[must_use]
    pub fn full(text: &str) -> TextRange {
        TextRange::new(0, text.len())
    }

    /// First byte.
    #[must_use]
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// One past the last byte.
    #[must_use]
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True when the range holds no byte.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// As a `std` range, for slicing.
    #[must_use]
    pub fn as_range(self) -> Range<usize> {
        self.start()..self.end()
    }

    /// True when `other` lies inside `self` (bounds included).
    #[must_use]
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when `offset` lies in `start..end`.
    #[must_use]
    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    /// True when the two ranges share at least one byte.
    #[must_use]
    pub fn intersects(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Moves the range right by `offset` bytes (for ranges found in a slice).
    #[must_use]
    pub fn shifted(self, offset: usize) -> TextRange {
        TextRange::new(self.start() + offset, self.end() + offset)
    }

    /// The same range with leading and trailing whitespace of `text` removed.
    #[must_use]
    pub fn trimmed(self, text: &str) -> TextRange {
        let s = &text[self];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead == s.len() {
            return TextRange::empty(self.start());
        }
        TextRange::new(self.start() + lead, self.end() - trail)
    }

    /// True when both ends fall on `char` boundaries of `text` and inside it.
    #[must_use]
    pub fn is_valid_for(self, text: &str) -> bool {
        self.end() <= text.len() && text.is_char_boundary(self.start()) && text.is_char_boundary(self.end())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("sitrep texts are limited to 4 GiB")
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Range<usize>> for TextRange {
    fn from(r: Range<usize>) -> TextRange {
        TextRange::new(r.start, r.end)
    }
}

impl Index<TextRange> for str {
    type Output = str;
    fn index(&self, r: TextRange) -> &str {
        &self[r.as_range()]
    }
}

impl Index<TextRange> for String {
    type Output = str;
    fn index(&self, r: TextRange) -> &str {
        &self.as_str()[r.as_range()]
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for TextRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.start, self.end).serialize(s)
    }
}

/// Maps byte offsets to 1-based line numbers (for diagnostics).
#[derive(Clone, Debug)]
pub struct LineIndex {
    newlines: Vec<u32>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    #[must_use]
    pub fn new(text: &str) -> LineIndex {
        let newlines = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| to_u32(i)).collect();
        LineIndex { newlines }
    }

    /// The 1-based line holding `offset`.
    #[must_use]
    pub fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&nl| (nl as usize) < offset) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slices_and_trims() {
        let t = "  al Intisar  ";
        let r = TextRange::full(t).trimmed(t);
        assert_eq!(&t[r], "al Intisar");
        assert_eq!(TextRange::new(3, 3).trimmed("abcdef"), TextRange::empty(3));
        assert_eq!(TextRange::new(1, 4).cover(TextRange::new(6, 8)), TextRange::new(1, 8));
        assert!(TextRange::new(1, 4).intersects(TextRange::new(3, 8)));
        assert!(!TextRange::new(1, 4).intersects(TextRange::new(4, 8)));
    }

    #[test]
    fn rejects_inverted_ranges() {
        let caught = std::panic::catch_unwind(|| TextRange::new(5, 2));
        assert!(caught.is_err(), "an inverted range must not be constructible");
    }

    #[test]
    fn line_index_counts_lines() {
        let li = LineIndex::new("a\nbb\nccc");
        assert_eq!(li.line(0), 1);
        assert_eq!(li.line(2), 2);
        assert_eq!(li.line(5), 3);
    }

    proptest! {
        #[test]
        fn trimmed_is_inside_and_trim_equal(s in "\\PC{0,40}", a in 0usize..40, b in 0usize..40) {
            let (a, b) = (a.min(s.len()), b.min(s.len()));
            let (a, b) = (a.min(b), a.max(b));
            prop_assume!(s.is_char_boundary(a) && s.is_char_boundary(b));
            let r = TextRange::new(a, b);
            let t = r.trimmed(&s);
            prop_assert!(r.contains_range(t));
            prop_assert_eq!(&s[t], s[r].trim());
        }
    }
}
