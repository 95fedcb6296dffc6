//! The JSON documents of the command-line and HTTP contract (`interfaces.md`), built in one place
//! so that `tianping indicators --format json` and `GET /api/v1/indicators` print the same bytes
//! for the same question.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use tianping_domain::{CaseNumber, CaseNumberError, CaseNumberPart};

use crate::deadlines::DeadlineRow;
use crate::indicators::{GroupBy, IndicatorQuery, IndicatorRow};
use crate::signals::SignalRow;

/// `GET /api/v1/indicators` and `tianping indicators --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorsDocument<'a> {
    /// The period's first day.
    pub from: NaiveDate,
    /// The period's last day.
    pub to: NaiveDate,
    /// Linked outcomes (appeals, reversals) known on this date.
    pub as_of: NaiveDate,
    /// The court code asked for; `null` when the question covers every court.
    pub scope: Option<&'a str>,
    pub by: GroupBy,
    /// One row per group; a single row `all` without grouping.
    pub rows: &'a [IndicatorRow],
}

/// `GET /api/v1/deadlines` and `tianping deadlines --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlinesDocument<'a> {
    /// The date of the list.
    pub as_of: NaiveDate,
    pub rows: &'a [DeadlineRow],
}

/// `GET /api/v1/signals` and `tianping signals --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignalsDocument<'a> {
    pub year: i32,
    pub rows: &'a [SignalRow],
}

fn to_value<T: Serialize>(document: &T) -> Value {
    serde_json::to_value(document).expect("a document always serializes")
}

/// `{"from", "to", "as_of", "scope", "by", "rows": [{"key", "label", "indicators"}]}`;
/// `scope` is `null` when the question covers every court.
pub fn indicators_document(query: &IndicatorQuery, rows: &[IndicatorRow]) -> Value {
    to_value(&IndicatorsDocument {
        from: query.from,
        to: query.to,
        as_of: query.as_of,
        scope: query.scope.as_deref(),
        by: query.by,
        rows,
    })
}

/// `{"as_of", "rows": [...]}`.
pub fn deadlines_document(as_of: NaiveDate, rows: &[DeadlineRow]) -> Value {
    to_value(&DeadlinesDocument { as_of, rows })
}

/// `{"year", "rows": [...]}`.
pub fn signals_document(year: i32, rows: &[SignalRow]) -> Value {
    to_value(&SignalsDocument { year, rows })
}

/// The bytes a document is printed as, by the command line and the HTTP API alike: pretty JSON
/// and a final newline.
pub fn to_json_bytes(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("a JSON value always serializes");
    bytes.push(b'\n');
    bytes
}

/// One input of `case-number parse`: its parts when valid, what is wrong otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum CaseNumberResult {
    Valid(ValidCaseNumber),
    Invalid(InvalidCaseNumber),
}

/// A valid case number's parts (interfaces.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidCaseNumber {
    pub input: String,
    /// Always `true`.
    pub valid: bool,
    /// The normalized form, with full-width brackets.
    pub normalized: String,
    pub year: u16,
    pub court_code: String,
    /// `知` for the specialised-trial code, else `null`.
    pub special_code: Option<String>,
    pub type_code: String,
    /// The case class's id (`civil`, `criminal`, …).
    pub class: String,
    /// The instance's id (`first`, `second`, …).
    pub instance: String,
    pub seq: u32,
    /// `之一`, `之二`…, else `null`.
    pub suffix: Option<String>,
}

/// An invalid case number: the message, and the additions of docs/interfaces-additions.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvalidCaseNumber {
    pub input: String,
    /// Always `false`.
    pub valid: bool,
    pub error: String,
    /// Which part is wrong, when one part is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_part: Option<CaseNumberPart>,
    /// `true` for a number written before 2016: an identifier only, without parsed fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legacy: Option<bool>,
}

impl CaseNumberResult {
    pub fn of(input: &str) -> CaseNumberResult {
        match CaseNumber::parse(input) {
            Ok(n) => CaseNumberResult::Valid(ValidCaseNumber {
                input: input.to_owned(),
                valid: true,
                normalized: n.normalized(),
                year: n.year,
                court_code: n.court.as_str().to_owned(),
                special_code: n.special_code.map(String::from),
                type_code: n.type_code.as_str().to_owned(),
                class: n.type_code.class().id().to_owned(),
                instance: n.type_code.instance().id().to_owned(),
                seq: n.seq,
                suffix: n.suffix,
            }),
            Err(err) => CaseNumberResult::Invalid(InvalidCaseNumber {
                input: input.to_owned(),
                valid: false,
                error: err.to_string(),
                error_part: err.part(),
                legacy: matches!(err, CaseNumberError::Legacy(_)).then_some(true),
            }),
        }
    }
}

/// `case-number parse --format json`: one object per input, in order (interfaces.md), with the
/// additions `error_part` and `legacy` (docs/interfaces-additions.md).
pub fn case_numbers_document<S: AsRef<str>>(inputs: &[S]) -> Value {
    Value::Array(
        inputs
            .iter()
            .map(|s| case_number_json(s.as_ref()))
            .collect(),
    )
}

/// One input's result in the contract's shape.
pub fn case_number_json(input: &str) -> Value {
    to_value(&CaseNumberResult::of(input))
}
