//! Records to database values and back. Both backends store the same text forms: dates ISO,
//! amounts integer fen, enums their English ids.

use chrono::NaiveDate;
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{
    CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord, Money, Procedure,
    TypeCode,
};

use crate::{Result, StoreError};

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn opt_date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(date_text)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("date", text))
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

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

fn opt_text(s: Option<&str>) -> Value {
    Value::Text(s.map(str::to_owned))
}

pub(crate) fn case_values(c: &CaseRecord) -> [Value; 19] {
    [
        text(&c.case_number),
        text(&c.court_code),
        opt_text(c.type_code.map(TypeCode::as_str)),
        opt_text(c.type_name.as_deref()),
        opt_text(c.procedure.map(Procedure::id)),
        opt_text(c.cause.as_deref()),
        Value::Text(opt_date_text(c.received_date)),
        Value::Text(Some(date_text(c.filed_date))),
        opt_text(c.division.as_deref()),
        opt_text(c.judge.as_deref()),
        Value::Text(opt_date_text(c.closed_date)),
        opt_text(c.closing_mode.map(ClosingMode::id)),
        opt_text(c.disposal.as_deref()),
        Value::Int(c.claim_amount.map(Money::fen)),
        Value::Int(c.recovered_amount.map(Money::fen)),
        opt_text(c.origin_case_number.as_deref()),
        Value::Int(Some(i64::from(c.foreign_related))),
        Value::Int(Some(i64::from(c.longer_limit))),
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
    [
        text(&e.case_number),
        text(e.kind.id()),
        Value::Text(Some(date_text(e.date))),
        Value::Text(opt_date_text(e.end_date)),
        Value::Int(e.months.map(i64::from)),
        Value::Int(e.days.map(i64::from)),
        opt_text(e.reason.as_deref()),
    ]
}

pub(crate) const COURT_COLUMNS: [&str; 4] = ["code", "name", "level", "parent_code"];

pub(crate) fn court_values(c: &CourtRecord) -> [Value; 4] {
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

/// Canonical text of one row for [`crate::Store::dump`]: values separated by tabs, NULL as `∅`.
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
