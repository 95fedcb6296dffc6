//! Reading a whole file: recognising CSV or XLSX, decoding the text, finding the header row,
//! and feeding every row to the checks of its kind.

use std::borrow::Cow;
use std::fmt;
use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{DataRef, Reader, Xlsx, XlsxError};
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

use crate::columns::{self, Cells, Columns};
use crate::error::{FileError, RowError};
use crate::limits::{XLSX_MAX_CELLS, XLSX_MAX_COLUMNS, XLSX_MAX_ROWS, XLSX_MAX_TEXT_BYTES};
use crate::rows::{CaseRows, CourtRows, EcourtsRows, EventRows, Problem, TableRows};
use crate::text::Text;
use crate::xlsx::{self, Refusal};
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
            reason: "这是 Excel 97-2003 工作簿（.xls），请另存为 .xlsx 或 CSV 文件".to_owned(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::NotTabular {
            file: file.to_owned(),
            reason: "这是 UTF-16 编码的文本（Excel 的“Unicode 文本”），请另存为 CSV（UTF-8）\
                     或 .xlsx 文件"
                .to_owned(),
        });
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(FileError::NotTabular {
            file: file.to_owned(),
            reason: "内容不是文字（含二进制数据）".to_owned(),
        });
    }
    parse_csv(file, bytes, kind, layout, progress, sink)
}

/// How much of a CSV file [`peek_headers`] reads.
const PEEK_BYTES: u64 = 64 << 10;

/// The header row of the file at `path`, read without reading the rows (for
/// [`crate::peek_kind`]); `None` when it cannot be read that way.
///
/// A CSV file's first 64 KiB are enough (cut after their last line feed, which no GB18030
/// character contains); a workbook is checked against the limits and its sheet read up to the
/// end of its first row that holds something.
pub(crate) fn peek_headers(path: &std::path::Path) -> Option<Vec<String>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = Vec::new();
    (&mut file).take(PEEK_BYTES).read_to_end(&mut head).ok()?;
    if head.starts_with(ZIP_MAGIC) {
        file.read_to_end(&mut head).ok()?;
        return peek_xlsx_headers(&head);
    }
    if head.len() as u64 == PEEK_BYTES {
        let end = memchr::memrchr(b'\n', &head)?;
        head.truncate(end + 1);
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let text: Cow<'_, str> = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body)?,
    };
    let mut records = CsvRecords::new(&text);
    loop {
        records.next("").ok()??;
        let cells = records.cells();
        if !is_blank(&cells, false) {
            return Some(
                (0..cells.count())
                    .map(|i| cells.cell(i).to_owned())
                    .collect(),
            );
        }
    }
}

/// The first row of a workbook's first sheet that holds something.
fn peek_xlsx_headers(bytes: &[u8]) -> Option<Vec<String>> {
    xlsx::check(bytes).ok()?;
    let read = || -> Option<Vec<String>> {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).ok()?;
        let sheet = pick_sheet(&workbook.sheet_names(), None)?;
        let mut reader = workbook.worksheet_cells_reader(&sheet).ok()?;
        let mut header_row = None;
        let mut cells: Vec<(u32, String)> = Vec::new();
        while let Some(cell) = reader.next_cell().ok()? {
            let text = cell_text(cell.get_value());
            if text.trim().is_empty() {
                continue;
            }
            let (row, col) = cell.get_position();
            if col >= XLSX_MAX_COLUMNS || *header_row.get_or_insert(row) != row {
                break;
            }
            cells.push((col, text));
        }
        let first = cells.iter().map(|c| c.0).min()?;
        let width = cells.iter().map(|c| c.0).max()? - first + 1;
        let mut headers = vec![String::new(); width as usize];
        for (col, text) in cells {
            headers[(col - first) as usize] = text;
        }
        Some(headers)
    };
    // As when the workbook is read: a panic of calamine's is an unreadable workbook.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or(None)
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
                // Not known to happen: the text is in memory and the reader is flexible.
                _ => FileError::Csv {
                    file: file.to_owned(),
                    row: full.counter.next,
                    message: "此行无法读取".to_owned(),
                },
            })?;
        if !more {
            return Ok(None);
        }
        let to = full.reader.position().byte() as usize;
        let rest = &self.text.as_bytes()[full.base..];
        let row = full.counter.row(&rest[from..to]);
        // The csv reader takes a quote that never closes to run to the end of the text, and
        // gives the rest of the file as one cell. Only the last record can be such a one; if
        // a quote left open before it was closed by a later row's quote, that is the first
        // problem of the record (see `runaway_quote`), and named first.
        if to == rest.len()
            && let Some(open) = quoted_fields(&rest[from..to]).into_iter().find(|q| {
                q.closed
                    .is_none_or(|closed| closed > q.line && !q.closed_cleanly)
            })
        {
            return Err(match open.closed {
                None => FileError::UnterminatedQuote {
                    file: file.to_owned(),
                    row,
                    opened_row: row + open.line,
                    column: open.field + 1,
                    header: None,
                },
                Some(closed) => FileError::RunawayQuote {
                    file: file.to_owned(),
                    row,
                    opened_row: row + open.line,
                    closed_row: row + closed,
                    column: open.field + 1,
                    header: None,
                },
            });
        }
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

/// A quoted field of a CSV record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Quoted {
    /// The line of the record the quote opened on (0 for the record's first line).
    line: usize,
    /// The field it opens (0-based).
    field: usize,
    /// The line it closed on; `None` when the record ends inside it.
    closed: Option<usize>,
    /// Whether the closing quote ends the field (a comma, a line end or the end follow it), as
    /// every CSV writer writes it. Text right after it is read on as unquoted text.
    closed_cleanly: bool,
}

/// The quoted fields of one CSV record's raw bytes, read as the csv reader reads them: a quote
/// opens a quoted field only at the start of a field; inside one, `""` stands for a quote and
/// line breaks belong to the field; after the closing quote the field goes on unquoted. Lines
/// end at a line feed, a carriage return or both, as rows do; empty lines before the record are
/// not counted. Only records that may have gone wrong are read again this way.
fn quoted_fields(raw: &[u8]) -> Vec<Quoted> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        BeforeRecord,
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: closing it, or the first of `""`.
        QuoteInQuoted,
    }
    let mut quoted: Vec<Quoted> = Vec::new();
    let mut state = State::BeforeRecord;
    let (mut line, mut field) = (0, 0);
    let mut prev = 0u8;
    for &b in raw {
        let line_end = b == b'\r' || (b == b'\n' && prev != b'\r');
        prev = b;
        if state == State::BeforeRecord {
            if b == b'\r' || b == b'\n' {
                continue;
            }
            state = State::FieldStart;
        }
        if state == State::QuoteInQuoted && b != b'"' {
            if let Some(last) = quoted.last_mut() {
                last.closed = Some(line);
                last.closed_cleanly = matches!(b, b',' | b'\r' | b'\n');
            }
            state = State::Unquoted;
        }
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::Quoted, _) => {
                line += usize::from(line_end);
                State::Quoted
            }
            (_, b'\r' | b'\n') => break,
            (_, b',') => {
                field += 1;
                State::FieldStart
            }
            (State::FieldStart, b'"') => {
                quoted.push(Quoted {
                    line,
                    field,
                    closed: None,
                    closed_cleanly: false,
                });
                State::Quoted
            }
            _ => State::Unquoted,
        };
    }
    if state == State::QuoteInQuoted
        && let Some(last) = quoted.last_mut()
    {
        last.closed = Some(line);
        last.closed_cleanly = true;
    }
    quoted
}

/// The quoted field of a record that seems to hold rows of the file, the telltale of a quote
/// left open that a quote in a later row closed, making one record of the rows between: a field
/// spanning lines whose closing quote is followed by more text (that quote opened a cell of the
/// later row, whose text follows it), or spanning lines in a record with more cells than the
/// header, one beyond it holding something.
///
/// Only records the csv reader read can span lines; the split lines are not looked at, nor
/// records without a line break in a cell.
fn runaway_quote(cells: &RecordCells<'_, '_>, width: usize, raw: &[u8]) -> Option<Quoted> {
    let RecordCells::Read(record) = cells else {
        return None;
    };
    if !record
        .iter()
        .any(|text| memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_some())
    {
        return None;
    }
    let extra = (width..record.len()).any(|i| !record[i].trim().is_empty());
    quoted_fields(raw).into_iter().find(|q| {
        q.closed
            .is_some_and(|closed| closed > q.line && (extra || !q.closed_cleanly))
    })
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

    let (header_row, headers): (usize, Vec<String>) = loop {
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
    let header_of = |column: usize| -> Option<String> { headers.get(column - 1).cloned() };
    let next_record = |records: &mut CsvRecords<'_>| {
        records.next(file).map_err(|mut e| {
            if let FileError::UnterminatedQuote { column, header, .. }
            | FileError::RunawayQuote { column, header, .. } = &mut e
            {
                *header = header_of(*column);
            }
            e
        })
    };
    let width = headers.len();
    let mut offsets = Vec::new();
    let mut data_start = None;
    let mut engine = Engine::new(file, header_row, headers.clone(), kind, layout, None, sink)?;
    while let Some(Record { row, from, to }) = next_record(&mut records)? {
        let cells = records.cells();
        if is_blank(&cells, na) {
            continue;
        }
        if let Some(runaway) = runaway_quote(&cells, width, &body.as_bytes()[from..to]) {
            return Err(FileError::RunawayQuote {
                file: file.to_owned(),
                row,
                opened_row: row + runaway.line,
                closed_row: row + runaway.closed.unwrap_or(runaway.line),
                column: runaway.field + 1,
                header: headers.get(runaway.field).cloned(),
            });
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
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        DataRef::DateTime(dt) => float_text(dt.as_f64()),
        DataRef::Error(e) => e.to_string(),
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
    let xlsx_error = |message: String, source: Option<Box<dyn std::error::Error + Send + Sync>>| {
        FileError::Xlsx {
            file: file.to_owned(),
            message,
            source,
        }
    };
    let limit = |message: String| FileError::XlsxLimit {
        file: file.to_owned(),
        message,
    };
    xlsx::check(bytes).map_err(|refusal| match refusal {
        Refusal::Unreadable(message, source) => xlsx_error(message, Some(source)),
        Refusal::Limit(message) => limit(message),
    })?;
    let read = || -> Result<_, FileError> {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| xlsx_error("工作簿的结构无法读取".to_owned(), Some(e.into())))?;
        let names = workbook.sheet_names();
        let sheet = pick_sheet(&names, kind).ok_or_else(|| FileError::NoSheet {
            file: file.to_owned(),
        })?;
        let cells =
            read_cells(&mut workbook, &sheet, progress, SHEET_LIMITS).map_err(|e| match e {
                SheetError::Xlsx(e) => {
                    xlsx_error(format!("工作表“{sheet}”无法读取"), Some(e.into()))
                }
                SheetError::Limit(message) => limit(format!("工作表“{sheet}”：{message}")),
            })?;
        Ok((names, sheet, cells))
    };
    // calamine has panicked on broken XML (a `<dimension>` ending before it starts overflowed a
    // subtraction; the fuzz tests found it): such a workbook is unreadable, not a crash. The
    // workbook is dropped with the panic, so nothing it touched is used afterwards.
    let (names, sheet, cells) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| {
            Err(xlsx_error(
                "其内容无法解析，请用 Excel 或 WPS 打开后重新保存".to_owned(),
                None,
            ))
        })?;
    let empty = || FileError::EmptySheet {
        file: file.to_owned(),
        sheet: sheet.clone(),
    };
    // Columns count from the sheet's first used column, as a table placed at B3 is read.
    let first_col = cells.iter().map(|c| c.1).min().ok_or_else(empty)?;
    let na = layout == Layout::EcourtsIndia;
    let mut rows = SheetRows {
        cells: cells.into_iter().peekable(),
        first_col,
        width: 0,
        built: 0,
        most: SHEET_LIMITS.cells,
    };
    let (header_row, headers) = loop {
        let (row, cells) = rows
            .next_row()
            .map_err(|m| limit(format!("工作表“{sheet}”：{m}")))?
            .ok_or_else(empty)?;
        if !is_blank(cells.as_slice(), false) {
            break (row, cells);
        }
    };
    // Every row at least as wide as the header, so that a row's missing last cells read as
    // empty, as they did when the sheet was a grid.
    rows.width = headers.len();
    let mut engine = Engine::new(file, header_row, headers, kind, layout, Some(&sheet), sink)?;
    let mut kept = Vec::new();
    while let Some((row, cells)) = rows
        .next_row()
        .map_err(|m| limit(format!("工作表“{sheet}”：{m}")))?
    {
        if is_blank(cells.as_slice(), na) {
            continue;
        }
        engine.row(row, cells.as_slice());
        kept.push((row, cells.into_boxed_slice()));
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
        let others: Vec<String> = others.iter().map(|n| format!("“{n}”")).collect();
        parsed.warnings.push(format!(
            "{file}: 只读取了工作表“{sheet}”，未读取：{}",
            others.join("、")
        ));
    }
    parsed.sheet = Some(sheet);
    Ok(parsed)
}

/// Why a sheet could not be read.
enum SheetError {
    Xlsx(XlsxError),
    /// Beyond one of the [limits](crate::limits).
    Limit(String),
}

/// What one sheet may hold: the [limits](crate::limits), smaller in tests.
#[derive(Debug, Clone, Copy)]
struct SheetLimits {
    rows: u32,
    columns: u32,
    cells: usize,
    text_bytes: usize,
}

const SHEET_LIMITS: SheetLimits = SheetLimits {
    rows: XLSX_MAX_ROWS,
    columns: XLSX_MAX_COLUMNS,
    cells: XLSX_MAX_CELLS,
    text_bytes: XLSX_MAX_TEXT_BYTES,
};

/// The cells of a sheet that hold something, as `(row, column, text)` (0-based), in row and
/// column order, one per position.
///
/// calamine's `worksheet_range` would build the sheet as a grid from its first to its last used
/// cell: a cell at A1 and one at XFD1048576 make a grid of 17 billion cells. The cells are read
/// as a stream instead, and only the used ones kept, within `limits`. `progress` counts rows.
fn read_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    progress: Option<&Progress<'_>>,
    limits: SheetLimits,
) -> Result<Vec<(u32, u32, String)>, SheetError> {
    let mut reader = match workbook.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet: no cells.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(SheetError::Xlsx(e)),
    };
    // The declared size only sizes the progress reports.
    let total = u64::from(reader.dimensions().end.0.min(limits.rows)) + 1;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let mut text_bytes = 0;
    let mut in_order = true;
    let mut next_report = 0;
    while let Some(cell) = reader.next_cell().map_err(SheetError::Xlsx)? {
        let value = cell.get_value();
        if *value == DataRef::Empty {
            continue;
        }
        let (row, col) = cell.get_position();
        if row >= limits.rows {
            return Err(SheetError::Limit(format!(
                "单元格 {} 在第 {} 行之下，超出了工作表的最后一行",
                cell_name(row, col),
                limits.rows
            )));
        }
        if col >= limits.columns {
            return Err(SheetError::Limit(format!(
                "单元格 {} 在 {} 列（第 {} 列）右侧，超出了读取的最后一列；交换表最多 20 列",
                cell_name(row, col),
                column_letters(limits.columns - 1),
                limits.columns
            )));
        }
        if cells.len() == limits.cells {
            return Err(SheetError::Limit(format!(
                "有内容的单元格超过 {} 个（读到单元格 {} 时）",
                limits.cells,
                cell_name(row, col)
            )));
        }
        // Counted before the text is copied: a shared string of a megabyte in every cell
        // would otherwise be copied until the memory runs out.
        text_bytes += match value {
            DataRef::String(s) => s.len(),
            DataRef::SharedString(s) => s.len(),
            _ => 0,
        };
        if text_bytes > limits.text_bytes {
            return Err(SheetError::Limit(format!(
                "单元格的文字合计超过 {} 字节（读到单元格 {} 时）",
                limits.text_bytes,
                cell_name(row, col)
            )));
        }
        if let Some(&(r, c, _)) = cells.last() {
            in_order &= (r, c) < (row, col);
        }
        if let Some(report) = progress
            && row >= next_report
        {
            report(u64::from(row), total.max(u64::from(row) + 1));
            next_report = row.saturating_add(PROGRESS_EVERY as u32);
        }
        cells.push((row, col, cell_text(value)));
    }
    if let Some(report) = progress {
        let done = cells.last().map_or(0, |c| u64::from(c.0) + 1).max(total);
        report(done, done);
    }
    if !in_order {
        // Excel writes rows and cells in order; other writers may not. A cell given twice keeps
        // its last value, as calamine's grid did.
        cells.sort_by_key(|&(row, col, _)| (row, col));
        cells.dedup_by(|later, earlier| {
            let same = (later.0, later.1) == (earlier.0, earlier.1);
            if same {
                std::mem::swap(&mut later.2, &mut earlier.2);
            }
            same
        });
    }
    Ok(cells)
}

/// The rows of a sheet's cells as the checks read them, built one at a time.
struct SheetRows {
    cells: std::iter::Peekable<std::vec::IntoIter<(u32, u32, String)>>,
    first_col: u32,
    /// The least width of a row (the header's, once it is known).
    width: usize,
    /// Cells of the rows built so far, empty ones included, and how many there may be.
    built: usize,
    most: usize,
}

impl SheetRows {
    /// The next row that holds a cell: its spreadsheet number and its cells from the first
    /// column on, as wide as the header or as far as its own last cell.
    fn next_row(&mut self) -> Result<Option<(usize, Vec<String>)>, String> {
        let Some(&(row, _, _)) = self.cells.peek() else {
            return Ok(None);
        };
        let mut texts = Vec::with_capacity(self.width);
        while let Some((_, col, text)) = self.cells.next_if(|c| c.0 == row) {
            let at = (col - self.first_col) as usize;
            if texts.len() <= at {
                texts.resize(at + 1, String::new());
            }
            texts[at] = text;
        }
        if texts.len() < self.width {
            texts.resize(self.width, String::new());
        }
        self.built += texts.len();
        if self.built > self.most {
            return Err(format!(
                "表格（每行按表头或本行最后一个单元格计宽）到第 {} 行超过 {} 个单元格",
                row + 1,
                self.most
            ));
        }
        Ok(Some((row as usize + 1, texts)))
    }
}

/// `A`, `Z`, `AA`, … for a 0-based column.
fn column_letters(col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// `XFD1048576` for 0-based `(row, col)`.
fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
}

/// The checks of one kind of row.
enum Checks {
    Courts(CourtRows),
    Cases(CaseRows),
    Events(EventRows),
    Ecourts(EcourtsRows),
    /// A table kind: the cells are kept for the workflow module's checks.
    Table(TableRows),
}

impl Checks {
    fn columns(&self) -> &Columns {
        match self {
            Checks::Courts(c) => &c.cols,
            Checks::Cases(c) => &c.cols,
            Checks::Events(c) => &c.cols,
            Checks::Ecourts(c) => &c.cols,
            Checks::Table(c) => &c.cols,
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
    table: Vec<(usize, Vec<String>)>,
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
            (Layout::Tianping, kind) => {
                Checks::Table(TableRows::new(cols, columns::fields_of(kind, layout)))
            }
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
            table: Vec::new(),
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
            Checks::Table(_) => self.table.reserve(rows),
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
            Checks::Table(c) => {
                if let Some(texts) = c.row(row, cells, problems) {
                    self.table.push((row, texts));
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
                "{}: 第 {row} 行（可能还有其他行）的单元格比表头多，多出的单元格已忽略",
                self.file
            ));
        }
        if let Some(row) = self.unnamed_data {
            self.warnings.push(format!(
                "{}: 有一列没有列名却有数据（首见于第 {row} 行），已忽略",
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
            table: self.table,
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
    /// XLSX rows as cell texts (the sheet's used cells are read into memory anyway).
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
            DataRef::DateTime(ExcelDateTime::new(
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
            cell_text(&DataRef::DateTimeIso("2023-03-01T00:00:00".into())),
            "2023-03-01T00:00:00"
        );
        assert_eq!(cell_text(&DataRef::Int(42)), "42");
        assert_eq!(cell_text(&DataRef::Float(1234.5)), "1234.5");
        assert_eq!(cell_text(&DataRef::Bool(true)), "true");
        assert_eq!(cell_text(&DataRef::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(cell_text(&DataRef::Empty), "");
        assert_eq!(
            crate::values::date("2023-03-01T00:00:00"),
            crate::values::date("2023-03-01")
        );
    }

    /// A workbook whose first sheet has `cells` (row, column, text), as rust_xlsxwriter writes
    /// it (texts as shared strings), opened with calamine.
    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for &(row, col, text) in cells {
            sheet.write_string(row, col, text).unwrap();
        }
        workbook.save_to_buffer().unwrap()
    }

    fn read_with(bytes: &[u8], limits: SheetLimits) -> Result<Vec<(u32, u32, String)>, String> {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        read_cells(&mut workbook, "Sheet1", None, limits).map_err(|e| match e {
            SheetError::Xlsx(e) => e.to_string(),
            SheetError::Limit(message) => message,
        })
    }

    const SMALL: SheetLimits = SheetLimits {
        rows: 10,
        columns: 4,
        cells: 5,
        text_bytes: 1000,
    };

    #[test]
    fn a_sheet_with_more_cells_than_its_limit_is_refused_while_it_is_read() {
        let cells = [
            (0, 0, "a"),
            (0, 1, "b"),
            (1, 0, "c"),
            (1, 1, "d"),
            (2, 0, "e"),
        ];
        assert_eq!(read_with(&workbook(&cells), SMALL).unwrap().len(), 5);
        let six = [&cells[..], &[(2, 1, "f")]].concat();
        assert_eq!(
            read_with(&workbook(&six), SMALL).unwrap_err(),
            "有内容的单元格超过 5 个（读到单元格 B3 时）"
        );
    }

    #[test]
    fn rows_and_columns_beyond_the_limits_are_refused() {
        assert_eq!(
            read_with(&workbook(&[(0, 0, "a"), (0, 4, "b")]), SMALL).unwrap_err(),
            "单元格 E1 在 D 列（第 4 列）右侧，超出了读取的最后一列；交换表最多 20 列"
        );
        assert_eq!(
            read_with(&workbook(&[(10, 0, "a")]), SMALL).unwrap_err(),
            "单元格 A11 在第 10 行之下，超出了工作表的最后一行"
        );
    }

    /// A shared string is stored once but becomes the text of every cell that names it.
    #[test]
    fn a_shared_string_counts_its_text_in_every_cell_that_names_it() {
        let long = "x".repeat(300);
        let cells: Vec<(u32, u16, &str)> = (0..4).map(|row| (row, 0, long.as_str())).collect();
        assert_eq!(
            read_with(&workbook(&cells), SMALL).unwrap_err(),
            "单元格的文字合计超过 1000 字节（读到单元格 A4 时）"
        );
        assert_eq!(read_with(&workbook(&cells[..3]), SMALL).unwrap().len(), 3);
    }

    /// Rows are as wide as the header: their empty cells count too.
    #[test]
    fn the_rows_built_count_their_empty_cells() {
        let cells = vec![
            (0, 3, String::new()),
            (1, 0, "a".to_owned()),
            (2, 0, "b".to_owned()),
        ];
        let mut rows = SheetRows {
            cells: cells.into_iter().peekable(),
            first_col: 0,
            width: 0,
            built: 0,
            most: 10,
        };
        let (row, header) = rows.next_row().unwrap().unwrap();
        assert_eq!((row, header.len()), (1, 4));
        rows.width = header.len();
        assert_eq!(
            rows.next_row().unwrap().unwrap(),
            (
                2,
                vec!["a".into(), String::new(), String::new(), String::new()]
            )
        );
        assert_eq!(
            rows.next_row().unwrap_err(),
            "表格（每行按表头或本行最后一个单元格计宽）到第 3 行超过 10 个单元格"
        );
    }

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(u32::MAX, u32::MAX), "MWLQKWV4294967296");
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
    fn all_records(records: CsvRecords<'_>) -> Vec<(usize, usize, Vec<String>)> {
        let (all, error) = records_until_error(records);
        if let Some(error) = error {
            panic!("{error}");
        }
        all
    }

    /// The records up to the first error, and the error.
    #[allow(clippy::type_complexity)]
    fn records_until_error(
        mut records: CsvRecords<'_>,
    ) -> (Vec<(usize, usize, Vec<String>)>, Option<String>) {
        let mut all = Vec::new();
        loop {
            match records.next("t.csv") {
                Ok(Some(record)) => {
                    let cells = records.cells();
                    let texts = (0..cells.count())
                        .map(|i| cells.cell(i).to_owned())
                        .collect();
                    all.push((record.row, record.from, texts));
                }
                Ok(None) => return (all, None),
                Err(e) => return (all, Some(e.to_string())),
            }
        }
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
            let (split, split_error) = records_until_error(CsvRecords::new(&text));
            let (read, read_error) = records_until_error(CsvRecords::by_reader(&text));
            let rows_and_cells =
                |records: &[(usize, usize, Vec<String>)]| -> Vec<(usize, Vec<String>)> {
                    records.iter().map(|(row, _, cells)| (*row, cells.clone())).collect()
                };
            proptest::prop_assert_eq!(rows_and_cells(&split), rows_and_cells(&read));
            // A quote left open at the end is the same error both ways.
            proptest::prop_assert_eq!(&split_error, &read_error);
            // Where a record starts may differ by the empty lines before it; the csv reader,
            // which the rejects file uses to read a row again, reads the same record there.
            for (_, from, cells) in &split {
                let (again, _) = records_until_error(CsvRecords::by_reader(&text[*from..]));
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
