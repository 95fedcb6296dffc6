//! The JSON documents of the command-line and HTTP contract (`interfaces.md`), built in one place
//! so that `tianping indicators --format json` and `GET /api/v1/indicators` print the same bytes
//! for the same question.

use chrono::NaiveDate;
use serde_json::{Value, json};

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
