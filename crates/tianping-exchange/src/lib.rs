//! Exchange files (`exchange-format.md`): the CSV and XLSX tables courts export from their case
//! management systems, read into checked domain records.
//!
//! [`read_file`] and [`read_bytes`] read one file, courts, cases or events, in the Tianping
//! layout (English or Chinese headers) or the Indian eCourts CIS/NJDG layout. They check every
//! row against the rules of the exchange format and collect every problem as a [`RowError`]
//! (`file:row:column: message`), not just the first: the importer decides whether a bad row
//! rejects the whole file or only itself ([`write_rejects`] writes such rows back out with their
//! reasons). Problems of the file as a whole (unreadable, no header, a missing required column)
//! are a [`FileError`]. No database work happens here: whether an event's case exists, or a case
//! number is already taken by another file, is the importer's to check.
//!
//! No file can crash the reader or take the memory: an XLSX workbook is checked against the
//! [`limits`] before it is opened and while its sheet is read, and is refused with a
//! [`FileError::XlsxLimit`] beyond them; a CSV quote left open is a
//! [`FileError::UnterminatedQuote`] rather than the rest of the file read as one cell. Property
//! tests (`tests/fuzz.rs`) throw arbitrary bytes and hostile cells at every kind and layout.
//!
//! [`write_cases_csv`], [`write_events_csv`] and [`write_courts_csv`] write records back in the
//! exchange format.
//!
//! The files of the workflow modules (`workflows.md` §0.9: the mediation roster, mediations and
//! their events) are read here as tables: each valid row's cells, mapped onto the kind's columns
//! ([`ParsedFile::table`]); their rules are the workflow module's, which parses the cells with
//! the same [`values`] parsers and their messages.

mod columns;
mod error;
pub mod limits;
mod read;
mod rows;
mod text;
pub mod values;
mod write;
mod xlsx;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

pub use columns::{TemplateColumn, template_columns};
pub use error::{FileError, RowError, io_reason};
pub use write::{
    spreadsheet_safe, write_cases_csv, write_courts_csv, write_events_csv, write_rejects,
};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Courts,
    Cases,
    Events,
    /// 调解组织 (`workflows.md` §1.1 `mediation_org`).
    MediationOrgs,
    /// 调解员.
    Mediators,
    /// 调解案件.
    Mediations,
    /// 调解事件.
    MediationEvents,
    /// 信访事项 (`workflows.md` §2.1 `petition_matter`).
    PetitionMatters,
    /// 信访件.
    Petitions,
    /// 司法建议 (`workflows.md` §3.5).
    Suggestions,
    /// 诉讼费退费 (`workflows.md` §4.5).
    FeeRefunds,
    /// 终本核查 (`workflows.md` §5.5).
    TerminationChecks,
    /// 终本后查控.
    PostTerminationSearches,
    /// 失信被执行人名单.
    DishonestListings,
    /// 集中执行行动.
    EnforcementActions,
    /// 案件标签 (`workflows.md` §0.9): a tag on a case, for `--tag`.
    CaseTags,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Courts,
        Kind::Cases,
        Kind::Events,
        Kind::MediationOrgs,
        Kind::Mediators,
        Kind::Mediations,
        Kind::MediationEvents,
        Kind::PetitionMatters,
        Kind::Petitions,
        Kind::Suggestions,
        Kind::FeeRefunds,
        Kind::TerminationChecks,
        Kind::PostTerminationSearches,
        Kind::DishonestListings,
        Kind::EnforcementActions,
        Kind::CaseTags,
    ];

    /// `courts`, `cases`, `events`, `mediation_orgs`, `mediators`, `mediations`,
    /// `mediation_events`.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Courts => "courts",
            Kind::Cases => "cases",
            Kind::Events => "events",
            Kind::MediationOrgs => "mediation_orgs",
            Kind::Mediators => "mediators",
            Kind::Mediations => "mediations",
            Kind::MediationEvents => "mediation_events",
            Kind::PetitionMatters => "petition_matters",
            Kind::Petitions => "petitions",
            Kind::Suggestions => "suggestions",
            Kind::FeeRefunds => "fee_refunds",
            Kind::TerminationChecks => "termination_checks",
            Kind::PostTerminationSearches => "post_termination_searches",
            Kind::DishonestListings => "dishonest_listings",
            Kind::EnforcementActions => "enforcement_actions",
            Kind::CaseTags => "case_tags",
        }
    }

    /// 法院, 案件, 事件, 调解组织, 调解员, 调解案件, 调解事件 (also the worksheet names an XLSX
    /// file may use).
    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::Courts => "法院",
            Kind::Cases => "案件",
            Kind::Events => "事件",
            Kind::MediationOrgs => "调解组织",
            Kind::Mediators => "调解员",
            Kind::Mediations => "调解案件",
            Kind::MediationEvents => "调解事件",
            Kind::PetitionMatters => "信访事项",
            Kind::Petitions => "信访件",
            Kind::Suggestions => "司法建议",
            Kind::FeeRefunds => "诉讼费退费",
            Kind::TerminationChecks => "终本核查",
            Kind::PostTerminationSearches => "终本后查控",
            Kind::DishonestListings => "失信名单",
            Kind::EnforcementActions => "集中执行",
            Kind::CaseTags => "案件标签",
        }
    }

    /// Whether the file is read as a table of cells ([`ParsedFile::table`]) whose rules are a
    /// workflow module's: the mediation and petition files.
    pub fn is_table(self) -> bool {
        self.module().is_some()
    }

    /// The workflow module whose rules check a table file: `mediation`, `petitions`.
    pub fn module(self) -> Option<&'static str> {
        match self {
            Kind::MediationOrgs | Kind::Mediators | Kind::Mediations | Kind::MediationEvents => {
                Some("mediation")
            }
            Kind::PetitionMatters | Kind::Petitions => Some("petitions"),
            Kind::Suggestions => Some("suggestions"),
            Kind::FeeRefunds => Some("refunds"),
            Kind::TerminationChecks
            | Kind::PostTerminationSearches
            | Kind::DishonestListings
            | Kind::EnforcementActions => Some("enforcement"),
            Kind::CaseTags => Some("case_tags"),
            Kind::Courts | Kind::Cases | Kind::Events => None,
        }
    }

    /// The id or the Chinese name, case-insensitive, trimmed.
    pub fn parse(text: &str) -> Option<Kind> {
        let text = text.trim();
        Kind::ALL
            .into_iter()
            .find(|k| text.eq_ignore_ascii_case(k.id()) || text == k.name_zh())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::parse(s).ok_or_else(|| format!("文件类型“{s}”无法识别（应为 法院、案件 或 事件）"))
    }
}

/// The column layout of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Layout {
    /// The exchange format of `exchange-format.md`.
    #[default]
    Tianping,
    /// The Indian eCourts CIS/NJDG case export (cases only).
    EcourtsIndia,
}

impl Layout {
    /// `tianping`, `ecourts-india`.
    pub fn id(self) -> &'static str {
        match self {
            Layout::Tianping => "tianping",
            Layout::EcourtsIndia => "ecourts-india",
        }
    }

    /// `tianping`, `ecourts-india` (also `ecourts_india`, `ecourts`), case-insensitive.
    pub fn parse(text: &str) -> Option<Layout> {
        let text = text.trim().to_ascii_lowercase();
        match text.as_str() {
            "tianping" => Some(Layout::Tianping),
            "ecourts-india" | "ecourts_india" | "ecourts" => Some(Layout::EcourtsIndia),
            _ => None,
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Layout {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Layout::parse(s)
            .ok_or_else(|| format!("格式“{s}”无法识别（应为“tianping”或“ecourts-india”）"))
    }
}

/// One file, read and checked.
///
/// The record lists hold only the rows without problems, each with its spreadsheet row number;
/// `errors` lists every problem of the other rows. For the eCourts layout, `courts` holds one
/// court per establishment (`est_code`), numbered with the first valid row that names it.
///
/// A parsed CSV file keeps its text (not the cells: a million rows of cells as strings would
/// take several times the file's size) so that [`raw_row`](Self::raw_row) can give any row back.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// The path as given (display form) or the upload's name; messages start with it.
    pub file: String,
    pub kind: Kind,
    pub layout: Layout,
    /// The worksheet read, for XLSX files.
    pub sheet: Option<String>,
    /// The header row as in the file (untrimmed).
    pub headers: Vec<String>,
    pub courts: Vec<(usize, CourtRecord)>,
    pub cases: Vec<(usize, CaseRecord)>,
    pub events: Vec<(usize, EventRecord)>,
    /// For the [table kinds](Kind::is_table): each row without a problem of its own, with the
    /// trimmed text of every column of the kind, in the order of [`template_columns`] (an
    /// empty string for a blank cell or a column the file lacks).
    pub table: Vec<(usize, Vec<String>)>,
    /// Every row problem, sorted by row, then by the position of the column in the file.
    pub errors: Vec<RowError>,
    /// Things worth knowing that reject nothing, e.g. `cases.csv: 无法识别的列“foo”，已忽略`.
    pub warnings: Vec<String>,
    /// Data rows read; blank rows are skipped and not counted.
    pub total_rows: usize,
    raw: read::RawRows,
}

impl ParsedFile {
    /// The cells of data row `row` (spreadsheet numbering) as written in the file, untrimmed;
    /// `None` for the header, blank rows and rows past the end. For CSV files the row is
    /// re-read from the kept text on first use and cached.
    pub fn raw_row(&self, row: usize) -> Option<&[String]> {
        self.raw.get(row)
    }

    /// Like [`raw_row`](Self::raw_row), without caching the row (for one-off uses such as the
    /// rejects file).
    pub fn raw_cells(&self, row: usize) -> Option<Cow<'_, [String]>> {
        self.raw.cells(row)
    }

    /// The rows with at least one problem.
    pub fn rejected_rows(&self) -> BTreeSet<usize> {
        self.errors.iter().map(|e| e.row).collect()
    }

    /// Whether the file has no row problems.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// The header of the column of the kind's field `name` (English) as the file writes it
    /// (`org_id` or `组织编号`), for messages; the English name when the file lacks the column.
    pub fn column_label(&self, name: &str) -> String {
        if let Some(i) = columns::header_of(&self.headers, self.kind, self.layout, name) {
            return self.headers[i].trim().to_owned();
        }
        // A column the file lacks: named as the file names the others (Chinese headers, the
        // Chinese name).
        let chinese = self.headers.iter().any(|h| !h.is_ascii());
        columns::fields_of(self.kind, self.layout)
            .iter()
            .find(|f| f.name == name && chinese && !f.alias.is_empty())
            .map_or_else(|| name.to_owned(), |f| f.alias.to_owned())
    }

    /// The trimmed cell of the kind's field `name` in data row `row`, as written; `None` when
    /// the file lacks the column or the row.
    pub fn cell(&self, row: usize, name: &str) -> Option<String> {
        let column = columns::header_of(&self.headers, self.kind, self.layout, name)?;
        Some(self.raw_cells(row)?.get(column)?.trim().to_owned())
    }
}

/// How far a read is: `progress(done, total)`, in bytes for CSV, in rows for XLSX.
pub type Progress<'a> = dyn Fn(u64, u64) + Sync + 'a;

/// Where [`read_file_streaming`] hands over the cases of a file while it goes on reading: the
/// next valid case rows, in file order, with their row numbers. Each row is handed over once.
pub type CaseSink<'a> = dyn FnMut(Vec<(usize, CaseRecord)>) + 'a;

/// Read and check one file. `kind: None` detects the kind from the headers (always cases for the
/// eCourts layout). `progress` is called now and then.
pub fn read_file(
    path: &Path,
    kind: Option<Kind>,
    layout: Layout,
    progress: Option<&Progress<'_>>,
) -> Result<ParsedFile, FileError> {
    read_file_streaming(path, kind, layout, progress, None)
}

/// [`read_file`], handing the valid case rows to `sink` in chunks as they are read (so that an
/// importer can write them meanwhile); the returned file's `cases` is then empty. Every case
/// goes through the sink before this returns; problems are in the returned file as always.
pub fn read_file_streaming(
    path: &Path,
    kind: Option<Kind>,
    layout: Layout,
    progress: Option<&Progress<'_>>,
    sink: Option<&mut CaseSink<'_>>,
) -> Result<ParsedFile, FileError> {
    let file = path.display().to_string();
    let io_error = |source| FileError::Io {
        file: file.clone(),
        source,
    };
    let opened = std::fs::File::open(path).map_err(io_error)?;
    // The length now: a file still being written is read as far as it was.
    let len = opened.metadata().map_err(io_error)?.len();
    let bytes = text::Text::of_file(opened, len).map_err(io_error)?;
    if bytes.is_empty() {
        return Err(FileError::Empty { file });
    }
    read::parse(&file, bytes, kind, layout, progress, sink)
}

/// The kind of the file at `path` from its header row alone, without reading the rest: `kind`
/// when given, cases for the eCourts layout. `None` when the header cannot be read or names no
/// kind (reading the whole file then says why). An importer uses it to choose how to import.
pub fn peek_kind(path: &Path, kind: Option<Kind>, layout: Layout) -> Option<Kind> {
    match (kind, layout) {
        (Some(kind), _) => Some(kind),
        (None, Layout::EcourtsIndia) => Some(Kind::Cases),
        (None, Layout::Tianping) => read::peek_headers(path)
            .as_deref()
            .and_then(columns::detect_kind),
    }
}

/// [`read_file`] from memory (an upload): `name` stands for the file in messages. An XLSX file
/// is recognised by its zip signature `PK\x03\x04`, anything else is read as CSV text.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    kind: Option<Kind>,
    layout: Layout,
) -> Result<ParsedFile, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty {
            file: name.to_owned(),
        });
    }
    read::parse(
        name,
        text::Text::Owned(bytes.to_vec()),
        kind,
        layout,
        None,
        None,
    )
}
