//! The JSON documents of court-fee refunds (`workflows.md` §0.8, §4.6), shared by the command
//! line and the API.

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::HolidayCalendar;

use super::indicators::{IndicatorQuery, compute_compared};
use super::limits::{RefundSettings, Start, WINDOW, refund_deadline};
use super::model::{FeeRefund, State, reason_source, state_at};
use crate::core::compare::Compare;
use crate::core::due::DueRow;
use crate::core::status::status_at;

/// A refund with its exchange columns' names plus `state` and what is still owed.
pub fn record_json(r: &FeeRefund, state: State, as_of: NaiveDate) -> Value {
    let mut value = serde_json::to_value(r).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("state".into(), json!(state.id()));
        map.insert(
            "outstanding".into(),
            json!(r.outstanding_at(as_of).to_string()),
        );
    }
    value
}

pub fn list_document(rows: &[(&FeeRefund, State)], as_of: NaiveDate) -> Value {
    json!({"rows": rows.iter().map(|(r, st)| record_json(r, *st, as_of)).collect::<Vec<_>>()})
}

pub fn due_document(as_of: NaiveDate, rows: &[DueRow]) -> Value {
    crate::core::due::due_document("refunds", as_of, rows)
}

/// `show`: the record, its state, the refund deadline with its computation (and which start the
/// setting chose), its history.
pub fn show_document(
    r: &FeeRefund,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &RefundSettings,
    history: Value,
) -> Value {
    let state = state_at(r, as_of);
    let mut value = record_json(r, state, as_of);
    let d = refund_deadline(r, calendar, settings);
    let done = r.refunded_in_full_at(as_of);
    let (status, _) = status_at(d.deadline, as_of, done, &[], WINDOW);
    let deadlines = if r.waived_at(as_of) {
        Vec::new()
    } else {
        vec![json!({
            "limit": "refund", "start_date": d.start_date,
            "start": match (settings.start, r.account_date) {
                (Start::Account, Some(a)) if a > r.effective_date => "account_date",
                _ => "effective_date",
            },
            "base": "15日", "extension": null, "excluded_days": 0,
            "before_roll_over": d.before_roll_over, "deadline": d.deadline,
            "calendar_known": d.calendar_known, "status": status.id(),
        })]
    };
    if let Value::Object(map) = &mut value {
        map.insert("reason_source".into(), json!(reason_source(&r.reason)));
        map.insert("deadlines".into(), Value::Array(deadlines));
        map.insert("history".into(), history);
    }
    value
}

/// `indicators --format json`.
pub fn indicators_document(
    refunds: &[FeeRefund],
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope: Option<&str>,
    label: &dyn Fn(&str) -> String,
    calendar: &HolidayCalendar,
    settings: &RefundSettings,
) -> Value {
    let (base, rows) = compute_compared(
        refunds,
        query,
        compare,
        scope.unwrap_or("all"),
        calendar,
        settings,
    );
    let mut document = json!({
        "module": "refunds", "from": query.from, "to": query.to, "as_of": query.as_of,
        "scope": scope, "by": query.by.id(),
    });
    if let (Some((bf, bt, ba)), Value::Object(map)) = (base, &mut document) {
        map.insert("base_from".into(), json!(bf));
        map.insert("base_to".into(), json!(bt));
        map.insert("base_as_of".into(), json!(ba));
    }
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            let mut row = json!({"key": r.key, "label": label(&r.key), "indicators": r.indicators});
            if let (Some(base), Value::Object(map)) = (&r.base, &mut row) {
                map.insert("base".into(), json!(base));
                map.insert("change".into(), json!(r.change));
            }
            row
        })
        .collect();
    if let Value::Object(map) = &mut document {
        map.insert("rows".into(), Value::Array(rows));
    }
    document
}
