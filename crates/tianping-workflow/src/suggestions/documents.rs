//! The JSON documents of judicial suggestions (`workflows.md` §0.8, §3.6), shared by the command
//! line and (later) the API.

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::HolidayCalendar;

use super::indicators::{IndicatorQuery, compute_compared};
use super::limits::{SuggestionSettings, reply_deadline};
use super::model::{State, Suggestion, state_at};
use crate::core::compare::Compare;
use crate::core::due::DueRow;
use crate::core::status::status_at;

/// A suggestion with its exchange columns' names plus `state`.
pub fn record_json(s: &Suggestion, state: State) -> Value {
    let mut value = serde_json::to_value(s).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("state".into(), json!(state.id()));
    }
    value
}

pub fn list_document(rows: &[(&Suggestion, State)]) -> Value {
    json!({"rows": rows.iter().map(|(s, st)| record_json(s, *st)).collect::<Vec<_>>()})
}

pub fn due_document(as_of: NaiveDate, rows: &[DueRow]) -> Value {
    crate::core::due::due_document("suggestions", as_of, rows)
}

/// `show`: the record, its state, the reply deadline with its computation, its history.
pub fn show_document(
    s: &Suggestion,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &SuggestionSettings,
    history: Value,
) -> Value {
    let mut value = record_json(s, state_at(s, as_of));
    let deadlines: Vec<Value> = reply_deadline(s, as_of, calendar, settings)
        .map(|d| {
            let done = s.replied_at(as_of);
            json!({
                "limit": "reply", "start_date": d.start_date,
                "base": format!("{}个月", s.reply_months), "extension": null,
                "excluded_days": 0, "before_roll_over": d.before_roll_over,
                "deadline": d.deadline, "calendar_known": d.calendar_known,
                "status": status_at(d.deadline, as_of, done, &[], super::limits::MONTH_LIMIT_WINDOW).0.id(),
            })
        })
        .into_iter()
        .collect();
    if let Value::Object(map) = &mut value {
        map.insert("deadlines".into(), Value::Array(deadlines));
        map.insert("history".into(), history);
    }
    value
}

/// The label of a month of `--by month` (the 一月一题 table): the month with the topics of the
/// suggestions of that month in scope, e.g. `2023-11（物业纠纷）`.
pub fn month_label(
    suggestions: &[Suggestion],
    month: &str,
    in_scope: &dyn Fn(&str) -> bool,
) -> String {
    let topics: std::collections::BTreeSet<&str> = suggestions
        .iter()
        .filter(|s| s.monthly_topic.as_deref() == Some(month) && in_scope(&s.court_code))
        .map(|s| s.topic.as_str())
        .collect();
    if topics.is_empty() {
        month.to_owned()
    } else {
        format!(
            "{month}（{}）",
            topics.into_iter().collect::<Vec<_>>().join("、")
        )
    }
}

/// `indicators --format json`.
pub fn indicators_document(
    suggestions: &[Suggestion],
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope: Option<&str>,
    label: &dyn Fn(&str) -> String,
    calendar: &HolidayCalendar,
    settings: &SuggestionSettings,
) -> Value {
    let (base, rows) = compute_compared(
        suggestions,
        query,
        compare,
        scope.unwrap_or("all"),
        calendar,
        settings,
    );
    let mut document = json!({
        "module": "suggestions", "from": query.from, "to": query.to, "as_of": query.as_of,
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
