//! Records to database values and back. Both backends store the same text forms: dates ISO,
//! amounts integer fen, enums their English ids.

use chrono::NaiveDate;
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{
    CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord, Money, Procedure,
    TypeCode,
};

use crate::{ImportLogEntry, Result, StoreError};

/// ISO `YYYY-MM-DD` as bytes (years 0-9999, as every date the checks let through), written
/// directly: chrono's formatter is slow on a million rows. The SQLite writer binds these bytes.
pub(crate) fn iso_date(date: NaiveDate) -> [u8; 10] {
    use chrono::Datelike;
    let (y, m, d) = (date.year().clamp(0, 9999) as u32, date.month(), date.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ]
}

/// ISO `YYYY-MM-DD`.
pub(crate) fn date_text(date: NaiveDate) -> String {
    iso_date(date).iter().map(|&b| char::from(b)).collect()
}

pub(crate) fn opt_date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(date_text)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate> {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?))
        .flatten()
        .ok_or_else(|| corrupt("date", text))
}

pub(crate) fn parse_opt_date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.as_deref().map(parse_date).transpose()
}

pub(crate) fn parse_level(text: &str) -> Result<CourtLevel> {
    CourtLevel::parse(text).ok_or_else(|| corrupt("court level", text))
}

pub(crate) fn parse_type_code(text: Option<String>) -> Result<Option<TypeCode>> {
    text.map(|t| TypeCode::lookup(&t).ok_or_else(|| corrupt("type code", &t)))
        .transpose()
}

pub(crate) fn parse_procedure(text: Option<String>) -> Result<Option<Procedure>> {
    text.map(|t| Procedure::parse(&t).ok_or_else(|| corrupt("procedure", &t)))
        .transpose()
}

pub(crate) fn parse_closing_mode(text: Option<String>) -> Result<Option<ClosingMode>> {
    text.map(|t| ClosingMode::parse(&t).ok_or_else(|| corrupt("closing mode", &t)))
        .transpose()
}

pub(crate) fn parse_appeal_object(text: &str) -> Result<AppealObject> {
    AppealObject::parse(text).ok_or_else(|| corrupt("appeal object", text))
}

pub(crate) fn parse_event_kind(text: &str) -> Result<EventKind> {
    EventKind::parse(text).ok_or_else(|| corrupt("event kind", text))
}

/// The columns of `cases`, in the order of [`case_values`].
pub(crate) const CASE_COLUMNS: [&str; 19] = [
    "case_number",
    "court_code",
    "type_code",
    "type_name",
    "procedure",
    "cause",
    "received_date",
    "filed_date",
    "division",
    "judge",
    "closed_date",
    "closing_mode",
    "disposal",
    "claim_amount",
    "recovered_amount",
    "origin_case_number",
    "foreign_related",
    "longer_limit",
    "appeal_object",
];

/// One value of a row, backend-neutral.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

/// One value of a row, borrowed from the record it describes: what the SQLite writer binds.
/// [`Value`] is its owned form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param<'a> {
    Text(Option<&'a str>),
    /// Stored as ISO `YYYY-MM-DD` text.
    Date(Option<NaiveDate>),
    Int(Option<i64>),
}

impl Param<'_> {
    pub(crate) fn into_value(self) -> Value {
        match self {
            Param::Text(t) => Value::Text(t.map(str::to_owned)),
            Param::Date(d) => Value::Text(opt_date_text(d)),
            Param::Int(i) => Value::Int(i),
        }
    }
}

/// Text as written: stored and read back byte for byte.
fn text(s: &str) -> Param<'_> {
    Param::Text(Some(s))
}

fn opt_text(s: Option<&str>) -> Param<'_> {
    Param::Text(s)
}

pub(crate) fn case_values(c: &CaseRecord) -> [Value; 19] {
    case_params(c).map(Param::into_value)
}

pub(crate) fn case_params(c: &CaseRecord) -> [Param<'_>; 19] {
    [
        text(&c.case_number),
        text(&c.court_code),
        opt_text(c.type_code.map(TypeCode::as_str)),
        opt_text(c.type_name.as_deref()),
        opt_text(c.procedure.map(Procedure::id)),
        opt_text(c.cause.as_deref()),
        Param::Date(c.received_date),
        Param::Date(Some(c.filed_date)),
        opt_text(c.division.as_deref()),
        opt_text(c.judge.as_deref()),
        Param::Date(c.closed_date),
        opt_text(c.closing_mode.map(ClosingMode::id)),
        opt_text(c.disposal.as_deref()),
        Param::Int(c.claim_amount.map(Money::fen)),
        Param::Int(c.recovered_amount.map(Money::fen)),
        opt_text(c.origin_case_number.as_deref()),
        Param::Int(Some(i64::from(c.foreign_related))),
        Param::Int(Some(i64::from(c.longer_limit))),
        text(c.appeal_object.id()),
    ]
}

pub(crate) const EVENT_COLUMNS: [&str; 7] = [
    "case_number",
    "kind",
    "date",
    "end_date",
    "months",
    "days",
    "reason",
];

pub(crate) fn event_values(e: &EventRecord) -> [Value; 7] {
    event_params(e).map(Param::into_value)
}

pub(crate) fn event_params(e: &EventRecord) -> [Param<'_>; 7] {
    [
        text(&e.case_number),
        text(e.kind.id()),
        Param::Date(Some(e.date)),
        Param::Date(e.end_date),
        Param::Int(e.months.map(i64::from)),
        Param::Int(e.days.map(i64::from)),
        opt_text(e.reason.as_deref()),
    ]
}

pub(crate) const COURT_COLUMNS: [&str; 4] = ["code", "name", "level", "parent_code"];

pub(crate) fn court_values(c: &CourtRecord) -> [Value; 4] {
    court_params(c).map(Param::into_value)
}

pub(crate) fn court_params(c: &CourtRecord) -> [Param<'_>; 4] {
    [
        text(&c.code),
        text(&c.name),
        text(c.level.id()),
        opt_text(c.parent_code.as_deref()),
    ]
}

/// A case row as read back, before conversion.
pub(crate) struct CaseRow {
    pub case_number: String,
    pub court_code: String,
    pub type_code: Option<String>,
    pub type_name: Option<String>,
    pub procedure: Option<String>,
    pub cause: Option<String>,
    pub received_date: Option<String>,
    pub filed_date: String,
    pub division: Option<String>,
    pub judge: Option<String>,
    pub closed_date: Option<String>,
    pub closing_mode: Option<String>,
    pub disposal: Option<String>,
    pub claim_amount: Option<i64>,
    pub recovered_amount: Option<i64>,
    pub origin_case_number: Option<String>,
    pub foreign_related: i64,
    pub longer_limit: i64,
    pub appeal_object: String,
}

impl CaseRow {
    pub(crate) fn into_record(self) -> Result<CaseRecord> {
        Ok(CaseRecord {
            type_code: parse_type_code(self.type_code)?,
            procedure: parse_procedure(self.procedure)?,
            received_date: parse_opt_date(self.received_date)?,
            filed_date: parse_date(&self.filed_date)?,
            closed_date: parse_opt_date(self.closed_date)?,
            closing_mode: parse_closing_mode(self.closing_mode)?,
            claim_amount: self.claim_amount.map(Money),
            recovered_amount: self.recovered_amount.map(Money),
            foreign_related: self.foreign_related != 0,
            longer_limit: self.longer_limit != 0,
            appeal_object: parse_appeal_object(&self.appeal_object)?,
            case_number: self.case_number,
            court_code: self.court_code,
            type_name: self.type_name,
            cause: self.cause,
            division: self.division,
            judge: self.judge,
            disposal: self.disposal,
            origin_case_number: self.origin_case_number,
        })
    }
}

/// Canonical text of one row for [`crate::MaintenanceStore::dump`]: values separated by tabs, NULL as `∅`.
pub(crate) fn dump_line(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| match v {
            Value::Text(Some(s)) => s.replace(['\t', '\n'], " "),
            Value::Int(Some(i)) => i.to_string(),
            Value::Text(None) | Value::Int(None) => "∅".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\t")
}

/// The whole canonical text of [`crate::MaintenanceStore::dump`], from the rows read in key order: both
/// backends write it with this one function, so the same data gives the same bytes.
pub(crate) fn dump_text(
    courts: &[CourtRecord],
    cases: &[CaseRecord],
    events: &[EventRecord],
    log: &[ImportLogEntry],
    data_version: i64,
) -> String {
    let mut out = String::from("## courts\n");
    for c in courts {
        out.push_str(&dump_line(&court_values(c)));
        out.push('\n');
    }
    out.push_str("## cases\n");
    for c in cases {
        out.push_str(&dump_line(&case_values(c)));
        out.push('\n');
    }
    out.push_str("## events\n");
    for e in events {
        out.push_str(&dump_line(&event_values(e)));
        out.push('\n');
    }
    out.push_str("## import_log\n");
    for entry in log {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            entry.at,
            entry.user,
            entry.file,
            entry.kind,
            entry.rows,
            entry.imported,
            entry.rejected
        ));
    }
    out.push_str(&format!("## data_version\n{data_version}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_and_read_as_iso_text() {
        for text in ["2024-02-29", "1999-12-31", "2023-01-05", "0207-01-05"] {
            let date = parse_date(text).unwrap();
            assert_eq!(date_text(date), text);
        }
        assert!(parse_date("2023-02-30").is_err());
        assert!(parse_date("2023/02/03").is_err());
        assert!(parse_date("2023-2-3").is_err());
    }
}
