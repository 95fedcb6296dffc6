//! The JSON documents of the command-line and HTTP contract (`interfaces.md`), built in one place
//! so that `tianping indicators --format json` and `GET /api/v1/indicators` print the same bytes
//! for the same question.

use chrono::NaiveDate;
use serde_json::{Value, json};

use tianping_domain::CaseNumber;

use crate::deadlines::DeadlineRow;
use crate::indicators::{IndicatorQuery, IndicatorRow};
use crate::signals::SignalRow;

/// `{"from", "to", "as_of", "scope", "by", "rows": [{"key", "label", "indicators"}]}`;
/// `scope` is `null` when the question covers every court.
pub fn indicators_document(query: &IndicatorQuery, rows: &[IndicatorRow]) -> Value {
    json!({
        "from": query.from,
        "to": query.to,
        "as_of": query.as_of,
        "scope": query.scope,
        "by": query.by.id(),
        "rows": rows,
    })
}

/// `{"as_of", "rows": [...]}`.
pub fn deadlines_document(as_of: NaiveDate, rows: &[DeadlineRow]) -> Value {
    json!({ "as_of": as_of, "rows": rows })
}

/// `{"year", "rows": [...]}`.
pub fn signals_document(year: i32, rows: &[SignalRow]) -> Value {
    json!({ "year": year, "rows": rows })
}

/// The bytes a document is printed as, by the command line and the HTTP API alike: pretty JSON
/// and a final newline.
pub fn to_json_bytes(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("a JSON value always serializes");
    bytes.push(b'\n');
    bytes
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
    match CaseNumber::parse(input) {
        Ok(n) => json!({
            "input": input,
            "valid": true,
            "normalized": n.normalized(),
            "year": n.year,
            "court_code": n.court.as_str(),
            "special_code": n.special_code.map(String::from),
            "type_code": n.type_code.as_str(),
            "class": n.type_code.class().id(),
            "instance": n.type_code.instance().id(),
            "seq": n.seq,
            "suffix": n.suffix,
        }),
        Err(err) => {
            let mut value = json!({ "input": input, "valid": false, "error": err.to_string() });
            // Additions to the contract's shape: which part is wrong, and legacy numbers.
            if let Some(part) = err.part() {
                value["error_part"] = json!(part);
            }
            if matches!(err, tianping_domain::CaseNumberError::Legacy(_)) {
                value["legacy"] = json!(true);
            }
            value
        }
    }
}
