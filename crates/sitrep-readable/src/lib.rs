//! Clean article text from what ingest read.
//!
//! Two readers: [`html::extract_html`] finds the main article text of an HTML
//! page and its metadata (title, date, outlet, author, URL, language), and
//! [`plain::layout`] finds the title line, dateline, article body and trailing
//! site boilerplate of plain text without moving any offset.

pub mod html;
pub mod plain;

pub use html::{HtmlArticle, extract_html};
pub use plain::{PlainLayout, layout};
