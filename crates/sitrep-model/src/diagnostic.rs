use serde::Serialize;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; the document was read as expected.
    Info,
    /// Something was dropped, replaced or guessed; the document was still read.
    Warning,
    /// The document (or the input) could not be read at all.
    Error,
}

/// A problem with the input, said in words a user can act on.
///
/// Stages never fail on bad text: they return what they could read and push
/// diagnostics. A diagnostic names where the problem is (file, line for JSONL
/// and WARC, byte range in the document) and what was done about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Severity.
    pub level: Level,
    /// A stable kebab-case code (`invalid-utf8`, `truncated-gzip`, …), for filtering.
    pub code: &'static str,
    /// One sentence: what and where.
    pub message: String,
    /// The input file (or `-` for standard input), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line (JSONL) or record number (WARC) in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl Diagnostic {
    /// A diagnostic with no location.
    #[must_use]
    pub fn new(level: Level, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { level, code, message: message.into(), file: None, line: None }
    }

    /// A warning.
    #[must_use]
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Warning, code, message)
    }

    /// An error (the thing could not be read).
    #[must_use]
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Error, code, message)
    }

    /// Sets the file.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    /// Sets the line (or record number).
    #[must_use]
    pub fn at_line(mut self, line: u64) -> Diagnostic {
        self.line = Some(line);
        self
    }
}

impl std::fmt::Display for Diagnostic {
    /// `file:line: level[code]: message`, the form compilers use.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        }
        let level = match self.level {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "{level}[{}]: {}", self.code, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_and_line() {
        let d = Diagnostic::warning("malformed-jsonl", "line is not a JSON object").in_file("news.jsonl").at_line(7);
        assert_eq!(d.to_string(), "news.jsonl:7: warning[malformed-jsonl]: line is not a JSON object");
        let d = Diagnostic::error("empty", "nothing to read");
        assert_eq!(d.to_string(), "error[empty]: nothing to read");
    }
}
