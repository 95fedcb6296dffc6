//! The two kinds of problems: a row that breaks a rule ([`RowError`]), and a file that cannot be
//! read as an exchange table at all ([`FileError`]).

use std::fmt;

use thiserror::Error;

/// One problem of one row, printed as `file:row:column: message`.
///
/// `row` is numbered as a spreadsheet shows it: the header is row 1 (unless blank lines precede
/// it), the first data row is row 2, blank lines keep their number. `column` is the header as
/// written in the file; `None` for problems of the row as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowError {
    pub file: String,
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    /// The reason as the rejects file writes it: `column: message`, or the message alone.
    pub fn reason(&self) -> String {
        match &self.column {
            Some(column) => format!("{column}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "{}:{}:{}: {}", self.file, self.row, column, self.message),
            None => write!(f, "{}:{}: {}", self.file, self.row, self.message),
        }
    }
}

impl std::error::Error for RowError {}

/// A problem with the file as a whole: nothing of it can be read. Every message starts with the
/// file name (and the header row where there is one), like the row errors.
#[derive(Debug, Error)]
pub enum FileError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a CSV or XLSX file: {reason}")]
    NotTabular { file: String, reason: String },
    #[error("{file}: the text is neither UTF-8 nor GB18030")]
    Encoding { file: String },
    #[error("{file}: empty: no header row found")]
    Empty { file: String },
    #[error("{file}: unreadable XLSX workbook: {message}")]
    Xlsx { file: String, message: String },
    #[error("{file}: worksheet '{sheet}' is empty: no header row found")]
    EmptySheet { file: String, sheet: String },
    #[error("{file}: the workbook has no worksheet")]
    NoSheet { file: String },
    #[error("{file}: XLSX workbook beyond what this reader reads: {message}")]
    XlsxLimit { file: String, message: String },
    #[error("{file}:{row}: broken CSV: {message}")]
    Csv {
        file: String,
        row: usize,
        message: String,
    },
    /// A quote that opens a cell and is never closed: the csv reader would read the rest of the
    /// file as that one cell.
    #[error(
        "{file}:{row}: unterminated quoted field (opened in row {opened_row}, column {}); the rest \
         of the file would be read as one cell: close the quote or remove it",
        column_name(*column, header)
    )]
    UnterminatedQuote {
        file: String,
        /// The row of the record the quote is in.
        row: usize,
        /// The row the quote opened in (later than `row` when a cell before it spans lines).
        opened_row: usize,
        /// 1-based position of the cell.
        column: usize,
        /// Its header, if it has one.
        header: Option<String>,
    },
    /// A quoted cell spanning lines that seems to hold rows of the file (text follows its closing
    /// quote, or the row has more cells than the header): a quote left open that a quote in a
    /// later row closed, making one row of the rows between.
    #[error(
        "{file}:{row}: a quoted field runs from row {opened_row} to row {closed_row} and seems to \
         hold rows of the file: probably a quote left open (opened in row {opened_row}, column \
         {}); close the quote or remove it",
        column_name(*column, header)
    )]
    RunawayQuote {
        file: String,
        row: usize,
        opened_row: usize,
        closed_row: usize,
        column: usize,
        header: Option<String>,
    },
    #[error(
        "{file}:{row}: cannot tell whether this is a courts, cases or events file from its headers \
         ({}); {}",
        seen(headers),
        if *looks_like_ecourts {
            "they look like an eCourts CIS/NJDG export: read it with the ecourts-india layout"
        } else {
            "name the kind explicitly or fix the header row"
        }
    )]
    UnknownKind {
        file: String,
        row: usize,
        headers: Vec<String>,
        /// The headers have `cino` and `dt_regis`.
        looks_like_ecourts: bool,
    },
    #[error(
        "{file}:{row}: missing required column{} {}{}",
        if columns.len() > 1 { "s" } else { "" },
        columns.join(", "),
        sheet.as_ref().map(|s| format!(" (in sheet '{s}')")).unwrap_or_default()
    )]
    MissingColumns {
        file: String,
        row: usize,
        kind: crate::Kind,
        /// `case_number (案号)`, …
        columns: Vec<String>,
        /// The worksheet read, for XLSX files.
        sheet: Option<String>,
    },
    #[error(
        "{file}:{row}: column {column} appears twice (columns {first} and {second}); which one \
         holds the data is ambiguous"
    )]
    DuplicateColumn {
        file: String,
        row: usize,
        column: String,
        /// 1-based column positions.
        first: usize,
        second: usize,
    },
    #[error("{file}: the {layout} layout holds cases only, not {kind}")]
    LayoutKind {
        file: String,
        layout: crate::Layout,
        kind: crate::Kind,
    },
}

/// `3 (cause)`, or `3` for a cell without a header.
fn column_name(column: usize, header: &Option<String>) -> String {
    match header.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("{column} ({name})"),
        _ => column.to_string(),
    }
}

fn seen(headers: &[String]) -> String {
    let shown: Vec<String> = headers
        .iter()
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
        .map(|h| format!("'{h}'"))
        .collect();
    if shown.is_empty() {
        "no header names".to_owned()
    } else {
        format!("seen: {}", shown.join(", "))
    }
}

impl FileError {
    /// The file the problem is about.
    pub fn file(&self) -> &str {
        match self {
            FileError::Io { file, .. }
            | FileError::NotTabular { file, .. }
            | FileError::Encoding { file }
            | FileError::Empty { file }
            | FileError::EmptySheet { file, .. }
            | FileError::Xlsx { file, .. }
            | FileError::NoSheet { file }
            | FileError::XlsxLimit { file, .. }
            | FileError::Csv { file, .. }
            | FileError::UnterminatedQuote { file, .. }
            | FileError::RunawayQuote { file, .. }
            | FileError::UnknownKind { file, .. }
            | FileError::MissingColumns { file, .. }
            | FileError::DuplicateColumn { file, .. }
            | FileError::LayoutKind { file, .. } => file,
        }
    }
}
