//! The JSON documents of mediation (`workflows.md` §0.8), one builder each, so that the command
//! line and the HTTP API answer with the same bytes for the same question.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::HolidayCalendar;

use super::indicators::{IndicatorQuery, compute, compute_compared};
use super::limits::{DueRow, MediationSettings, mediation_deadline, mediation_limit};
use super::model::{Mediation, MediationEvent, State};
use crate::core::compare::Compare;

/// A record as `list` and `act` write it: its exchange columns' English names plus `state`.
pub fn record_json(m: &Mediation, state: State) -> Value {
    let mut value = serde_json::to_value(m).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("state".into(), json!(state.id()));
    }
    value
}

pub use crate::core::due::due_json;

/// `due --format json`.
pub fn due_document(as_of: NaiveDate, rows: &[DueRow]) -> Value {
    crate::core::due::due_document("mediation", as_of, rows)
}

/// `list --format json`.
pub fn list_document(rows: &[(&Mediation, State)]) -> Value {
    json!({"rows": rows.iter().map(|(m, s)| record_json(m, *s)).collect::<Vec<_>>()})
}

/// `show --format json`: the record, its state, its open deadlines (`due` rows) and the mediation
/// period's computation, its events and its history.
#[allow(clippy::too_many_arguments)]
pub fn show_document(
    m: &Mediation,
    events: &[MediationEvent],
    state: State,
    due: &[DueRow],
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
    history: Value,
) -> Value {
    let cutoff = m.concluded_date.filter(|d| *d <= as_of).unwrap_or(as_of);
    let mut value = record_json(m, state);
    if let Value::Object(map) = &mut value {
        let mut deadlines: Vec<Value> = due.iter().map(due_json).collect();
        if let Some(d) = mediation_deadline(m, events, cutoff, calendar, settings) {
            let done = m.concluded_date.filter(|c| *c <= as_of);
            deadlines.push(json!({
                "limit": "mediation", "start_date": d.start_date,
                "base": format!("{}日", mediation_limit(m).0),
                "extension": d.extension_days, "excluded_days": d.excluded_days,
                "excluded": d.excluded, "before_roll_over": d.before_roll_over,
                "normal_deadline": d.normal_deadline, "deadline": d.deadline,
                "calendar_known": d.calendar_known,
                "status": match done {
                    Some(c) if c <= d.deadline => "on_time",
                    Some(_) => "late",
                    None => due.iter().find(|r| r.limit == "mediation").map_or("ok", |r| r.status.id()),
                },
            }));
        }
        map.insert("deadlines".into(), Value::Array(deadlines));
        map.insert(
            "events".into(),
            serde_json::to_value(events).unwrap_or(Value::Null),
        );
        map.insert("history".into(), history);
    }
    value
}

/// `indicators --format json`: the shape of `interfaces.md` plus `module`; with a comparison,
/// `base_from`, `base_to`, `base_as_of` and per row `base` and `change`.
#[allow(clippy::too_many_arguments)]
pub fn indicators_document(
    mediations: &[Mediation],
    events: &BTreeMap<String, Vec<MediationEvent>>,
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope: Option<&str>,
    label: &dyn Fn(&str) -> String,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
) -> Value {
    let scope_key = scope.unwrap_or("all");
    let mut document = json!({
        "module": "mediation", "from": query.from, "to": query.to, "as_of": query.as_of,
        "scope": scope, "by": query.by.id(),
    });
    let rows: Vec<Value> = if compare == Compare::None {
        compute(mediations, events, query, scope_key, calendar, settings)
            .into_iter()
            .map(|r| json!({"key": r.key, "label": label(&r.key), "indicators": r.indicators}))
            .collect()
    } else {
        let (base, rows) = compute_compared(
            mediations, events, query, compare, scope_key, calendar, settings,
        );
        if let (Some((bf, bt, ba)), Value::Object(map)) = (base, &mut document) {
            map.insert("base_from".into(), json!(bf));
            map.insert("base_to".into(), json!(bt));
            map.insert("base_as_of".into(), json!(ba));
        }
        rows.into_iter()
            .map(|r| {
                json!({"key": r.key, "label": label(&r.key), "indicators": r.indicators,
                       "base": r.base, "change": r.change})
            })
            .collect()
    };
    if let Value::Object(map) = &mut document {
        map.insert("rows".into(), Value::Array(rows));
    }
    document
}
