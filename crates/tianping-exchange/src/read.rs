//! Reading a whole file: recognising CSV or XLSX, decoding the text, finding the header row,
//! and feeding every row to the checks of its kind.

use std::borrow::Cow;
use std::fmt;
use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx};
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

use crate::columns::{self, Cells, Columns};
use crate::error::{FileError, RowError};
use crate::rows::{CaseRows, CourtRows, EcourtsRows, EventRows, Problem};
use crate::text::Text;
use crate::{CaseSink, Kind, Layout, ParsedFile, Progress};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Excel 97-2003 (.xls) files are OLE compound documents.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// How many rows between two progress reports.
const PROGRESS_EVERY: usize = 1 << 14;
/// After how many CSV rows the number of rows is estimated, to size the record lists.
const ESTIMATE_AFTER: usize = 1 << 10;
/// Cases per chunk handed to a [`CaseSink`].
const SINK_CHUNK: usize = 1 << 13;

pub(crate) fn parse(
    file: &str,
    bytes: Text,
    kind: Option<Kind>,
    layout: Layout,
    progress: Option<&Progress<'_>>,
    sink: Option<&mut CaseSink<'_>>,
) -> Result<ParsedFile, FileError> {
    if bytes.starts_with(ZIP_MAGIC) {
        return parse_xlsx(file, &bytes, kind, layout, progress, sink);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(FileError::NotTabular {
            file: file.to_owned(),
            reason: "an Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV".to_owned(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::NotTabular {
            file: file.to_owned(),
            reason: "UTF-16 text (Excel's \"Unicode text\"); save it as CSV (UTF-8) or .xlsx"
                .to_owned(),
        });
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(FileError::NotTabular {
            file: file.to_owned(),
            reason: "binary content (NUL bytes)".to_owned(),
        });
    }
    parse_csv(file, bytes, kind, layout, progress, sink)
}

/// Text that is not UTF-8 must be GB18030, what Chinese Excel writes when saving "CSV".
/// GB18030 decoding is strict: a byte sequence it cannot map fails the file rather than
/// importing replacement characters.
fn decode_gb18030(file: &str, bytes: &[u8]) -> Result<String, FileError> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
        .ok_or_else(|| FileError::Encoding {
            file: file.to_owned(),
        })
}

/// Spreadsheet row numbers of CSV records.
///
/// The csv reader skips empty lines without a trace, but a spreadsheet shows them as rows, and
/// so must the messages. A record's raw bytes (from where the reader started it to where it
/// stopped) begin with the empty lines it skipped; a quoted cell spanning several lines is still
/// one row. With CRLF line ends the reader stops after the CR, so a LF right after a previous
/// CR belongs to the previous record.
struct RowCounter {
    next: usize,
    prev_ended_with_cr: bool,
}

impl RowCounter {
    /// Counting from row `next`, at the start of a line.
    fn starting_at(next: usize) -> RowCounter {
        RowCounter {
            next,
            prev_ended_with_cr: false,
        }
    }

    fn row(&mut self, raw: &[u8]) -> usize {
        let mut lead = raw;
        if self.prev_ended_with_cr && lead.first() == Some(&b'\n') {
            lead = &lead[1..];
        }
        let mut blank_lines = 0;
        let mut i = 0;
        while i < lead.len() && matches!(lead[i], b'\r' | b'\n') {
            if lead[i] == b'\r' && lead.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            blank_lines += 1;
            i += 1;
        }
        self.prev_ended_with_cr = raw.last() == Some(&b'\r');
        let row = self.next + blank_lines;
        self.next = row + 1;
        row
    }
}

fn is_blank<C: Cells + ?Sized>(cells: &C, na_is_empty: bool) -> bool {
    (0..cells.count()).all(|i| {
        let text = columns::trim(cells.cell(i));
        text.is_empty() || (na_is_empty && text == "NA")
    })
}

/// Read CSV text: UTF-8 (a BOM is skipped), else GB18030.
///
/// The whole text is checked for UTF-8 before any row is read (SIMD does it in a few hundredths
/// of a second for a million rows, and the rows are then split without checking them again).
/// Text that is not UTF-8 anywhere — usually a GB18030 file with Chinese headers — goes through
/// the GB18030 decoder first, so the rows are read once and a sink never sees a row twice.
fn parse_csv(
    file: &str,
    text: Text,
    kind: Option<Kind>,
    layout: Layout,
    progress: Option<&Progress<'_>>,
    sink: Option<&mut CaseSink<'_>>,
) -> Result<ParsedFile, FileError> {
    let start = if text.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if let Ok(body) = simdutf8::basic::from_utf8(&text[start..]) {
        let (engine, rows) = read_csv(file, body, kind, layout, progress, sink)?;
        return Ok(engine.finish(RawSource::Csv { text, start, rows }));
    }
    let decoded = decode_gb18030(file, &text)?;
    let (engine, rows) = read_csv(file, &decoded, kind, layout, progress, sink)?;
    Ok(engine.finish(RawSource::Csv {
        text: Text::Owned(decoded.into_bytes()),
        start: 0,
        rows,
    }))
}

/// One CSV record: its spreadsheet row number, and where it starts and ends in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    row: usize,
    from: usize,
    to: usize,
}

/// The records of CSV text.
///
/// Court exports rarely quote: most files hold no `"` at all. A line without a quote and without
/// a carriage return inside it is one record whose cells are the text between its commas, so such
/// lines are split here, without copying a cell. From the first line that is not like that on,
/// the csv reader reads the rest of the text (quoted cells, line breaks inside cells, old Mac
/// line ends). Both give the same cells and the same row numbers (a spreadsheet's: empty lines
/// count, see [`RowCounter`]).
struct CsvRecords<'t> {
    text: &'t str,
    /// Where the next line starts, while lines are split here.
    at: usize,
    /// The row number of that line.
    line: usize,
    /// The cells of the last line split here.
    cells: Vec<&'t str>,
    /// The csv reader, once it reads the rest.
    reader: Option<FullReader<'t>>,
}

struct FullReader<'t> {
    reader: csv::Reader<&'t [u8]>,
    /// Where the reader's text starts in the whole text.
    base: usize,
    counter: RowCounter,
    record: csv::StringRecord,
}

impl<'t> CsvRecords<'t> {
    fn new(text: &'t str) -> CsvRecords<'t> {
        CsvRecords {
            text,
            at: 0,
            line: 1,
            cells: Vec::new(),
            reader: None,
        }
    }

    /// Records read by the csv reader from the start (what the split lines must equal).
    #[cfg(test)]
    fn by_reader(text: &'t str) -> CsvRecords<'t> {
        let mut records = CsvRecords::new(text);
        records.hand_over();
        records
    }

    /// Let the csv reader read the text from the current line on.
    fn hand_over(&mut self) {
        let rest = &self.text.as_bytes()[self.at..];
        self.reader = Some(FullReader {
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(rest),
            base: self.at,
            // The previous line, if any, ended with its line feed.
            counter: RowCounter::starting_at(self.line),
            record: csv::StringRecord::new(),
        });
    }

    fn next(&mut self, file: &str) -> Result<Option<Record>, FileError> {
        if self.reader.is_none() {
            let bytes = self.text.as_bytes();
            while self.at < bytes.len() {
                let rest = &bytes[self.at..];
                let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                let content = match rest[..len].strip_suffix(b"\r") {
                    Some(content) => content.len(),
                    None => len,
                };
                if memchr::memchr2(b'"', b'\r', &rest[..content]).is_some() {
                    self.hand_over();
                    break;
                }
                let from = self.at;
                let row = self.line;
                self.at = (from + len + 1).min(bytes.len());
                self.line += 1;
                // The csv reader skips empty lines too.
                if content == 0 {
                    continue;
                }
                self.cells.clear();
                let mut start = from;
                for comma in memchr::memchr_iter(b',', &rest[..content]) {
                    // Commas are ASCII, so every cut is at a character boundary.
                    self.cells.push(&self.text[start..from + comma]);
                    start = from + comma + 1;
                }
                self.cells.push(&self.text[start..from + content]);
                return Ok(Some(Record {
                    row,
                    from,
                    to: self.at,
                }));
            }
        }
        let Some(full) = self.reader.as_mut() else {
            return Ok(None);
        };
        let from = full.reader.position().byte() as usize;
        let more = full
            .reader
            .read_record(&mut full.record)
            .map_err(|e| match e.kind() {
                // The text was checked to be UTF-8 as a whole.
                csv::ErrorKind::Utf8 { .. } => FileError::Encoding {
                    file: file.to_owned(),
                },
                _ => FileError::Csv {
                    file: file.to_owned(),
                    row: full.counter.next,
                    message: e.to_string(),
                },
            })?;
        if !more {
            return Ok(None);
        }
        let to = full.reader.position().byte() as usize;
        let rest = &self.text.as_bytes()[full.base..];
        let row = full.counter.row(&rest[from..to]);
        Ok(Some(Record {
            row,
            from: full.base + from,
            to: full.base + to,
        }))
    }

    /// The cells of the record `next` returned last.
    fn cells(&self) -> RecordCells<'_, 't> {
        match &self.reader {
            None => RecordCells::Split(&self.cells),
            Some(full) => RecordCells::Read(&full.record),
        }
    }
}

/// The cells of a CSV record, split from a line or read by the csv reader.
enum RecordCells<'r, 't> {
    Split(&'r [&'t str]),
    Read(&'r csv::StringRecord),
}

impl Cells for RecordCells<'_, '_> {
    #[inline]
    fn cell(&self, i: usize) -> &str {
        match self {
            RecordCells::Split(cells) => cells.get(i).copied().unwrap_or(""),
            RecordCells::Read(record) => record.get(i).unwrap_or(""),
        }
    }

    fn count(&self) -> usize {
        match self {
            RecordCells::Split(cells) => cells.len(),
            RecordCells::Read(record) => record.len(),
        }
    }
}

/// Read the records of UTF-8 CSV text: the checks that ran, and each data row's byte offset.
fn read_csv<'s, 'f>(
    file: &str,
    body: &str,
    kind: Option<Kind>,
    layout: Layout,
    progress: Option<&Progress<'_>>,
    sink: Option<&'s mut CaseSink<'f>>,
) -> Result<(Engine<'s, 'f>, Vec<(usize, u64)>), FileError> {
    let total = body.len() as u64;
    let mut records = CsvRecords::new(body);
    let na = layout == Layout::EcourtsIndia;

    let (header_row, headers) = loop {
        match records.next(file)? {
            None => {
                return Err(FileError::Empty {
                    file: file.to_owned(),
                });
            }
            Some(_) if is_blank(&records.cells(), false) => continue,
            Some(record) => {
                let cells = records.cells();
                break (
                    record.row,
                    (0..cells.count())
                        .map(|i| cells.cell(i).to_owned())
                        .collect(),
                );
            }
        }
    };
    let mut engine = Engine::new(file, header_row, headers, kind, layout, None, sink)?;
    let mut offsets = Vec::new();
    let mut data_start = None;
    while let Some(Record { row, from, to }) = records.next(file)? {
        let cells = records.cells();
        if is_blank(&cells, na) {
            continue;
        }
        let first = *data_start.get_or_insert(from);
        engine.row(row, &cells);
        offsets.push((row, from as u64));
        if offsets.len() == ESTIMATE_AFTER {
            // Estimate the rows still to come from the size of the rows so far.
            let per_row = (to - first) as f64 / ESTIMATE_AFTER as f64;
            let more = ((total - to as u64) as f64 / per_row.max(2.0) * 1.05) as usize;
            engine.reserve(more);
            offsets.reserve(more);
        }
        if let Some(report) = progress
            && engine.total_rows % PROGRESS_EVERY == 0
        {
            report(to as u64, total);
        }
    }
    if let Some(report) = progress {
        report(total, total);
    }
    Ok((engine, offsets))
}

/// The text of an XLSX cell as the checks read it. Date cells become ISO dates (with the time
/// when there is one); numbers keep their value exactly as Excel shows it (`1234.5`, `3`).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::Error(e) => e.to_string(),
    }
}

/// A float as its shortest exact decimal (`1234.5`, `3`, `0.01`), which is what the cell shows
/// and what the amount and count parsers read without loss. A float carrying binary noise from
/// a formula (`0.30000000000000004`) is rounded to six decimals first, which keeps every fen.
pub(crate) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let shortest = f.to_string();
    let decimals = shortest.split_once('.').map_or(0, |(_, frac)| frac.len());
    if decimals <= 6 {
        return shortest;
    }
    let rounded = format!("{f:.6}");
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_owned()
}

/// The worksheet to read: the one named after the kind (`cases`/`案件`…) when there is one,
/// else the first.
fn pick_sheet(names: &[String], kind: Option<Kind>) -> Option<String> {
    let named = kind.and_then(|kind| {
        names.iter().find(|n| {
            let n = n.trim();
            n.eq_ignore_ascii_case(kind.id()) || n == kind.name_zh()
        })
    });
    named.or_else(|| names.first()).cloned()
}

fn parse_xlsx(
    file: &str,
    bytes: &[u8],
    kind: Option<Kind>,
    layout: Layout,
    progress: Option<&Progress<'_>>,
    sink: Option<&mut CaseSink<'_>>,
) -> Result<ParsedFile, FileError> {
    let xlsx_error = |message: String| FileError::Xlsx {
        file: file.to_owned(),
        message,
    };
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(e.to_string()))?;
    let names = workbook.sheet_names();
    let sheet = pick_sheet(&names, kind).ok_or_else(|| FileError::NoSheet {
        file: file.to_owned(),
    })?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| xlsx_error(format!("sheet '{sheet}': {e}")))?;
    let Some((first_row, _)) = range.start() else {
        return Err(FileError::EmptySheet {
            file: file.to_owned(),
            sheet,
        });
    };
    let na = layout == Layout::EcourtsIndia;
    let total = range.height() as u64;
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        (first_row as usize + i + 1, texts)
    });
    let (header_row, headers) = rows
        .by_ref()
        .find(|(_, cells)| !is_blank(cells.as_slice(), false))
        .ok_or_else(|| FileError::EmptySheet {
            file: file.to_owned(),
            sheet: sheet.clone(),
        })?;
    let mut engine = Engine::new(file, header_row, headers, kind, layout, Some(&sheet), sink)?;
    let rest = range
        .height()
        .saturating_sub(header_row - first_row as usize);
    engine.reserve(rest);
    let mut kept = Vec::with_capacity(rest);
    for (i, (row, cells)) in rows.enumerate() {
        if let Some(report) = progress
            && i % PROGRESS_EVERY == 0
        {
            report(i as u64, total);
        }
        if is_blank(cells.as_slice(), na) {
            continue;
        }
        engine.row(row, cells.as_slice());
        kept.push((row, cells.into_boxed_slice()));
    }
    if let Some(report) = progress {
        report(total, total);
    }
    let mut parsed = engine.finish(RawSource::Grid { rows: kept });
    // A workbook holding courts, cases and events on three sheets is read one sheet at a time;
    // say so rather than leave the other sheets silently unread.
    let others: Vec<&str> = names
        .iter()
        .filter(|n| **n != sheet)
        .map(String::as_str)
        .collect();
    if !others.is_empty() {
        parsed.warnings.push(format!(
            "{file}: read sheet '{sheet}' only; not read: {}",
            others.join(", ")
        ));
    }
    parsed.sheet = Some(sheet);
    Ok(parsed)
}

/// The checks of one kind of row.
enum Checks {
    Courts(CourtRows),
    Cases(CaseRows),
    Events(EventRows),
    Ecourts(EcourtsRows),
}

impl Checks {
    fn columns(&self) -> &Columns {
        match self {
            Checks::Courts(c) => &c.cols,
            Checks::Cases(c) => &c.cols,
            Checks::Events(c) => &c.cols,
            Checks::Ecourts(c) => &c.cols,
        }
    }
}

/// A file being read: the checks of its kind and what they found so far.
struct Engine<'s, 'f> {
    file: String,
    kind: Kind,
    layout: Layout,
    headers: Vec<String>,
    checks: Checks,
    courts: Vec<(usize, CourtRecord)>,
    cases: Vec<(usize, CaseRecord)>,
    events: Vec<(usize, EventRecord)>,
    errors: Vec<RowError>,
    warnings: Vec<String>,
    total_rows: usize,
    problems: Vec<Problem>,
    wide_row: Option<usize>,
    unnamed_data: Option<usize>,
    /// Where the cases go as they are read, when the caller wants them early.
    sink: Option<&'s mut CaseSink<'f>>,
}

impl<'s, 'f> Engine<'s, 'f> {
    fn new(
        file: &str,
        header_row: usize,
        headers: Vec<String>,
        kind: Option<Kind>,
        layout: Layout,
        sheet: Option<&str>,
        sink: Option<&'s mut CaseSink<'f>>,
    ) -> Result<Engine<'s, 'f>, FileError> {
        let kind = match (layout, kind) {
            (Layout::EcourtsIndia, None | Some(Kind::Cases)) => Kind::Cases,
            (Layout::EcourtsIndia, Some(kind)) => {
                return Err(FileError::LayoutKind {
                    file: file.to_owned(),
                    layout,
                    kind,
                });
            }
            (Layout::Tianping, Some(kind)) => kind,
            (Layout::Tianping, None) => {
                columns::detect_kind(&headers).ok_or_else(|| FileError::UnknownKind {
                    file: file.to_owned(),
                    row: header_row,
                    headers: headers.clone(),
                    looks_like_ecourts: columns::looks_like_ecourts(&headers),
                })?
            }
        };
        let mapping = Columns::map(file, header_row, &headers, kind, layout, sheet)?;
        let cols = mapping.columns;
        let checks = match (layout, kind) {
            (Layout::EcourtsIndia, _) => Checks::Ecourts(EcourtsRows::new(cols)),
            (Layout::Tianping, Kind::Courts) => Checks::Courts(CourtRows::new(cols)),
            (Layout::Tianping, Kind::Cases) => Checks::Cases(CaseRows::new(cols)),
            (Layout::Tianping, Kind::Events) => Checks::Events(EventRows::new(cols)),
        };
        Ok(Engine {
            file: file.to_owned(),
            kind,
            layout,
            headers,
            checks,
            courts: Vec::new(),
            cases: Vec::new(),
            events: Vec::new(),
            errors: Vec::new(),
            warnings: mapping.warnings,
            total_rows: 0,
            problems: Vec::new(),
            wide_row: None,
            unnamed_data: None,
            sink,
        })
    }

    /// Hand the cases read so far to the sink, if there is one.
    fn flush_cases(&mut self) {
        if let Some(sink) = self.sink.as_deref_mut()
            && !self.cases.is_empty()
        {
            sink(std::mem::replace(
                &mut self.cases,
                Vec::with_capacity(SINK_CHUNK),
            ));
        }
    }

    /// Room for about `rows` more rows, once their number can be estimated.
    fn reserve(&mut self, rows: usize) {
        match &mut self.checks {
            Checks::Courts(_) => self.courts.reserve(rows),
            Checks::Cases(c) => {
                c.reserve(rows);
                if self.sink.is_none() {
                    self.cases.reserve(rows);
                }
            }
            Checks::Events(_) => self.events.reserve(rows),
            Checks::Ecourts(c) => {
                c.reserve(rows);
                if self.sink.is_none() {
                    self.cases.reserve(rows);
                }
            }
        }
    }

    fn row<C: Cells + ?Sized>(&mut self, row: usize, cells: &C) {
        self.total_rows += 1;
        self.problems.clear();
        let problems = &mut self.problems;
        match &mut self.checks {
            Checks::Courts(c) => {
                if let Some(record) = c.row(row, cells, problems) {
                    self.courts.push((row, record));
                }
            }
            Checks::Cases(c) => {
                if let Some(record) = c.row(row, cells, problems) {
                    self.cases.push((row, record));
                }
            }
            Checks::Events(c) => {
                if let Some(record) = c.row(row, cells, problems) {
                    self.events.push((row, record));
                }
            }
            Checks::Ecourts(c) => {
                if let Some((case, court)) = c.row(row, cells, problems) {
                    self.cases.push((row, case));
                    if let Some(court) = court {
                        self.courts.push((row, court));
                    }
                }
            }
        }
        if self.sink.is_some() && self.cases.len() >= SINK_CHUNK {
            self.flush_cases();
        }
        let cols = self.checks.columns();
        if !self.problems.is_empty() {
            // Errors of a row in the order of its columns; several about one column keep the
            // order they were found in.
            self.problems.sort_by_key(|(field, _)| cols.order(*field));
            for (field, message) in self.problems.drain(..) {
                self.errors.push(RowError {
                    file: self.file.clone(),
                    row,
                    column: Some(cols.label(field).to_owned()),
                    message,
                });
            }
        }
        if self.wide_row.is_none()
            && cells.count() > cols.width
            && (cols.width..cells.count()).any(|i| !cells.cell(i).trim().is_empty())
        {
            self.wide_row = Some(row);
        }
        if self.unnamed_data.is_none()
            && cols
                .unnamed
                .iter()
                .any(|&i| !cols.is_na_empty(cells.cell(i)))
        {
            self.unnamed_data = Some(row);
        }
    }

    fn finish(mut self, source: RawSource) -> ParsedFile {
        self.flush_cases();
        if let Some(row) = self.wide_row {
            self.warnings.push(format!(
                "{}: row {row} (and maybe others) has more cells than the header; the extra \
                 cells are ignored",
                self.file
            ));
        }
        if let Some(row) = self.unnamed_data {
            self.warnings.push(format!(
                "{}: a column without a header name holds data (first in row {row}); ignored",
                self.file
            ));
        }
        ParsedFile {
            file: self.file,
            kind: self.kind,
            layout: self.layout,
            sheet: None,
            headers: self.headers,
            courts: self.courts,
            cases: self.cases,
            events: self.events,
            errors: self.errors,
            warnings: self.warnings,
            total_rows: self.total_rows,
            raw: RawRows {
                source,
                cache: OnceLock::new(),
            },
        }
    }
}

/// Where the original cells of every data row can be found again.
#[derive(Clone)]
pub(crate) enum RawSource {
    /// The text (UTF-8, decoded from GB18030 if need be), where the body starts (after a BOM), and each data row's byte offset
    /// in the body. Re-reading one record costs next to nothing; keeping every cell of a million
    /// rows as strings would cost far more memory than the text.
    Csv {
        text: Text,
        start: usize,
        rows: Vec<(usize, u64)>,
    },
    /// XLSX rows as cell texts (calamine holds the whole sheet anyway).
    Grid { rows: Vec<(usize, Box<[String]>)> },
}

/// The raw cells of the data rows of a file, re-read from the source on demand and cached per
/// row, so that [`ParsedFile::raw_row`] can lend them out.
#[derive(Clone)]
pub(crate) struct RawRows {
    source: RawSource,
    cache: OnceLock<Vec<OnceLock<Box<[String]>>>>,
}

impl fmt::Debug for RawRows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            RawSource::Csv { text, rows, .. } => {
                write!(f, "RawRows::Csv({} bytes, {} rows)", text.len(), rows.len())
            }
            RawSource::Grid { rows } => write!(f, "RawRows::Grid({} rows)", rows.len()),
        }
    }
}

impl RawRows {
    fn position(&self, row: usize) -> Option<usize> {
        match &self.source {
            RawSource::Csv { rows, .. } => rows.binary_search_by_key(&row, |r| r.0).ok(),
            RawSource::Grid { rows } => rows.binary_search_by_key(&row, |r| r.0).ok(),
        }
    }

    fn row_count(&self) -> usize {
        match &self.source {
            RawSource::Csv { rows, .. } => rows.len(),
            RawSource::Grid { rows } => rows.len(),
        }
    }

    fn read_at(&self, index: usize) -> Box<[String]> {
        match &self.source {
            RawSource::Csv { text, start, rows } => {
                let offset = *start + rows[index].1 as usize;
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&text[offset..]);
                let mut record = csv::StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(true) => record.iter().map(str::to_owned).collect(),
                    // The text was read once already, the same way.
                    _ => Box::default(),
                }
            }
            RawSource::Grid { rows } => rows[index].1.clone(),
        }
    }

    /// The cells of `row`, cached.
    pub fn get(&self, row: usize) -> Option<&[String]> {
        let index = self.position(row)?;
        if let RawSource::Grid { rows } = &self.source {
            return Some(&rows[index].1);
        }
        let cache = self
            .cache
            .get_or_init(|| (0..self.row_count()).map(|_| OnceLock::new()).collect());
        Some(cache[index].get_or_init(|| self.read_at(index)))
    }

    /// The cells of `row`, without filling the cache.
    pub fn cells(&self, row: usize) -> Option<Cow<'_, [String]>> {
        let index = self.position(row)?;
        match &self.source {
            RawSource::Grid { rows } => Some(Cow::Borrowed(&rows[index].1)),
            RawSource::Csv { .. } => match self.cache.get().and_then(|c| c[index].get()) {
                Some(cells) => Some(Cow::Borrowed(cells)),
                None => Some(Cow::Owned(self.read_at(index).into_vec())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_cells_read_as_the_sheet_shows_them() {
        use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};
        let date = |serial, is_1904| {
            Data::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                is_1904,
            ))
        };
        assert_eq!(cell_text(&date(44_986.0, false)), "2023-03-01");
        assert_eq!(cell_text(&date(44_986.5, false)), "2023-03-01 12:00:00");
        assert_eq!(cell_text(&date(43_524.0, true)), "2023-03-01");
        // Excel's phantom 1900-02-29 stays a day that does not exist.
        assert_eq!(cell_text(&date(60.0, false)), "1900-02-29");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2023-03-01T00:00:00".into())),
            "2023-03-01T00:00:00"
        );
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::Float(1234.5)), "1234.5");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        assert_eq!(cell_text(&Data::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(cell_text(&Data::Empty), "");
        assert_eq!(
            crate::values::date("2023-03-01T00:00:00"),
            crate::values::date("2023-03-01")
        );
    }

    #[test]
    fn floats_keep_every_fen() {
        assert_eq!(float_text(1234.5), "1234.5");
        assert_eq!(float_text(3.0), "3");
        assert_eq!(float_text(0.01), "0.01");
        assert_eq!(float_text(1234.56), "1234.56");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(-5.0), "-5");
        assert_eq!(float_text(12_345_678.9), "12345678.9");
        assert_eq!(float_text(1.234), "1.234");
    }

    /// Every record with its row and cells, as `CsvRecords` gives them.
    fn all_records(mut records: CsvRecords<'_>) -> Vec<(usize, usize, Vec<String>)> {
        let mut all = Vec::new();
        while let Some(record) = records.next("t.csv").unwrap() {
            let cells = records.cells();
            let texts = (0..cells.count())
                .map(|i| cells.cell(i).to_owned())
                .collect();
            all.push((record.row, record.from, texts));
        }
        all
    }

    #[test]
    fn split_lines_hand_over_to_the_csv_reader_at_the_first_quote() {
        let text = "a,b\r\n\r\nc,,\n\"d\ne\",f\ng,h";
        assert_eq!(
            all_records(CsvRecords::new(text)),
            vec![
                (1, 0, vec!["a".into(), "b".into()]),
                (3, 7, vec!["c".into(), "".into(), "".into()]),
                (4, 11, vec!["d\ne".into(), "f".into()]),
                // A line break inside a quoted cell does not start a row.
                (5, 19, vec!["g".into(), "h".into()]),
            ]
        );
    }

    proptest::proptest! {
        /// Splitting lines gives what the csv reader gives: the same records, cells and rows,
        /// whatever quotes, line ends and empty lines the text holds.
        #[test]
        fn split_lines_read_as_the_csv_reader_reads(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "中文", ",", ",", "\n", "\n", "\r\n", "\r", "\"", " ", "x y", "\n\n",
                ]),
                0..60,
            )
        ) {
            let text: String = parts.concat();
            let split = all_records(CsvRecords::new(&text));
            let read = all_records(CsvRecords::by_reader(&text));
            let rows_and_cells =
                |records: &[(usize, usize, Vec<String>)]| -> Vec<(usize, Vec<String>)> {
                    records.iter().map(|(row, _, cells)| (*row, cells.clone())).collect()
                };
            proptest::prop_assert_eq!(rows_and_cells(&split), rows_and_cells(&read));
            // Where a record starts may differ by the empty lines before it; the csv reader,
            // which the rejects file uses to read a row again, reads the same record there.
            for (_, from, cells) in &split {
                let again = all_records(CsvRecords::by_reader(&text[*from..]));
                proptest::prop_assert_eq!(&again[0].2, cells);
            }
        }
    }

    #[test]
    fn row_numbers_count_blank_lines_but_not_line_breaks_inside_cells() {
        for (text, expected) in [
            ("h\n1\n\n2\n", vec![1, 2, 4]),
            ("h\r\n1\r\n\r\n2\r\n", vec![1, 2, 4]),
            ("h\r1\r\r2\r", vec![1, 2, 4]),
            ("\n\nh\n1", vec![3, 4]),
            ("h\n\"a\nb\"\n\n\n2", vec![1, 2, 5]),
        ] {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut counter = RowCounter::starting_at(1);
            let mut record = csv::StringRecord::new();
            let mut rows = Vec::new();
            loop {
                let from = reader.position().byte() as usize;
                if !reader.read_record(&mut record).unwrap() {
                    break;
                }
                let to = reader.position().byte() as usize;
                rows.push(counter.row(&text.as_bytes()[from..to]));
            }
            assert_eq!(rows, expected, "{text:?}");
        }
    }
}
