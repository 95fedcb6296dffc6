//! Writing records in the exchange format, and rejected rows with their reasons.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::NaiveDate;
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord, Money};

use crate::columns::{CASE_FIELDS, COURT_FIELDS, EVENT_FIELDS};
use crate::{ParsedFile, RowError};

/// The header of the extra column of a rejects file.
pub const REJECT_REASON: &str = "reject_reason";

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn money(m: Option<Money>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

fn count(n: Option<u32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn header(fields: &[crate::columns::FieldSpec]) -> impl Iterator<Item = &'static str> + '_ {
    fields.iter().map(|f| f.name)
}

/// Write cases as a cases file with English headers: dates ISO, amounts in yuan with two
/// decimals, booleans `true`/`false`, procedures and closing modes by their Chinese names, the
/// appeal object `裁定` when it is a ruling and empty for the default (判决). No BOM. Foreign
/// fields (`type_name`, `disposal`) have no column. Returns the number of records written.
pub fn write_cases_csv<W, I>(writer: W, records: I) -> io::Result<usize>
where
    W: Write,
    I: IntoIterator,
    I::Item: Borrow<CaseRecord>,
{
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(header(CASE_FIELDS))?;
    let mut n = 0;
    for record in records {
        let c = record.borrow();
        out.write_record([
            c.case_number.as_str(),
            c.procedure.map_or("", |p| p.name_zh()),
            c.cause.as_deref().unwrap_or(""),
            &date(c.received_date),
            &c.filed_date.to_string(),
            c.division.as_deref().unwrap_or(""),
            c.judge.as_deref().unwrap_or(""),
            &date(c.closed_date),
            c.closing_mode.map_or("", |m| m.name_zh()),
            &money(c.claim_amount),
            &money(c.recovered_amount),
            c.origin_case_number.as_deref().unwrap_or(""),
            if c.foreign_related { "true" } else { "false" },
            if c.longer_limit { "true" } else { "false" },
            match c.appeal_object {
                AppealObject::Judgment => "",
                AppealObject::Ruling => "裁定",
            },
        ])?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Write events as an events file with English headers; event kinds by their Chinese names.
pub fn write_events_csv<W, I>(writer: W, records: I) -> io::Result<usize>
where
    W: Write,
    I: IntoIterator,
    I::Item: Borrow<EventRecord>,
{
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(header(EVENT_FIELDS))?;
    let mut n = 0;
    for record in records {
        let e = record.borrow();
        out.write_record([
            e.case_number.as_str(),
            e.kind.name_zh(),
            &e.date.to_string(),
            &date(e.end_date),
            &count(e.months),
            &count(e.days),
            e.reason.as_deref().unwrap_or(""),
        ])?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Write courts as a courts file with English headers; levels by their Chinese names.
pub fn write_courts_csv<W, I>(writer: W, records: I) -> io::Result<usize>
where
    W: Write,
    I: IntoIterator,
    I::Item: Borrow<CourtRecord>,
{
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(header(COURT_FIELDS))?;
    let mut n = 0;
    for record in records {
        let c = record.borrow();
        out.write_record([
            c.code.as_str(),
            c.name.as_str(),
            c.level.name_zh(),
            c.parent_code.as_deref().unwrap_or(""),
        ])?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Write the rejected rows of `parsed` to `path`: a CSV in UTF-8 with a BOM (so that Excel opens
/// it as UTF-8), the file's header plus a last column `reject_reason`, and for every row with a
/// problem in `parsed.errors` or in `extra` (problems the caller found, e.g. against the
/// database; they are taken to be about this file) its original cells and its reasons
/// (`column: message`, joined with `; `), in row order. Returns the number of rows written.
pub fn write_rejects(path: &Path, parsed: &ParsedFile, extra: &[RowError]) -> io::Result<usize> {
    let mut reasons: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for error in parsed.errors.iter().chain(extra) {
        let list = reasons.entry(error.row).or_default();
        let reason = error.reason();
        if !list.contains(&reason) {
            list.push(reason);
        }
    }
    let mut file = BufWriter::new(File::create(path)?);
    file.write_all("\u{feff}".as_bytes())?;
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(file);
    let width = parsed.headers.len();
    out.write_record(
        parsed
            .headers
            .iter()
            .map(String::as_str)
            .chain([REJECT_REASON]),
    )?;
    for (row, list) in &reasons {
        let cells = parsed.raw_cells(*row).unwrap_or_default();
        // Every line as wide as the header, so that the reason stays in its column.
        let cells = cells
            .iter()
            .map(String::as_str)
            .chain(std::iter::repeat(""))
            .take(width);
        let reason = list.join("; ");
        // The rejects file is opened in a spreadsheet to be corrected: no cell may run there as
        // a formula. The importer reads such a cell back as it was ([`unescape_spreadsheet`]),
        // so a corrected rejects file imports the original text.
        out.write_record(
            cells
                .map(spreadsheet_safe)
                .chain([spreadsheet_safe(&reason)])
                .map(|cell| cell.into_owned()),
        )?;
    }
    out.flush()?;
    Ok(reasons.len())
}

/// A cell a spreadsheet will not run as a formula (CSV injection, as OWASP describes it): a cell
/// that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
/// spreadsheets show as text. Numbers are left alone: the figures Tianping writes itself
/// (`days_remaining` of -5, a score change of +1.25) must stay numbers, and a cell that is a
/// number through and through cannot be a formula.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A decimal number as Tianping writes them: an optional sign, digits with at most one decimal
/// point, an optional exponent (`-5`, `+1.25`, `-0.5`, `1e-5`). Not `inf` or `NaN`, which Rust
/// would parse but a spreadsheet would not take for numbers.
fn is_plain_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// A cell as written before [`spreadsheet_safe`]: one leading `'` before `=`, `+`, `-` or `@` is
/// the escape, not the data (no court writes a case field that begins that way).
pub(crate) fn unescape_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}
