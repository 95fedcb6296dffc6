//! The open obligations of every module at an as-of date (`MODULE due`, `workflows.md` §0.8):
//! one row per obligation, the same shape in every module.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::status::ItemStatus;

/// One open obligation at an as-of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueRow {
    pub id: String,
    pub court_code: String,
    pub limit: &'static str,
    pub rule: String,
    pub source: &'static str,
    pub start_date: NaiveDate,
    pub deadline: NaiveDate,
    pub days_remaining: i64,
    pub status: ItemStatus,
    pub reason: String,
    pub calendar_known: bool,
}

/// The order of `due` (§0.8): by deadline, then by id.
pub fn sort_due(rows: &mut [DueRow]) {
    rows.sort_by(|a, b| a.deadline.cmp(&b.deadline).then_with(|| a.id.cmp(&b.id)));
}

/// One row of `due --format json`.
pub fn due_json(r: &DueRow) -> Value {
    json!({
        "id": r.id, "court_code": r.court_code, "limit": r.limit, "rule": r.rule,
        "source": r.source, "start_date": r.start_date, "deadline": r.deadline,
        "days_remaining": r.days_remaining, "status": r.status.id(), "reason": r.reason,
        "calendar_known": r.calendar_known,
    })
}

/// `due --format json` of `module`.
pub fn due_document(module: &str, as_of: NaiveDate, rows: &[DueRow]) -> Value {
    json!({"as_of": as_of, "module": module, "rows": rows.iter().map(due_json).collect::<Vec<_>>()})
}
