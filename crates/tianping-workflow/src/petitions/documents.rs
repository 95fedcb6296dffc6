//! The JSON documents of petitions (`workflows.md` §0.8, §2.7), one builder each, so that the
//! command line and the HTTP API answer with the same bytes. A petitioner's identifier is masked
//! (first and last four characters) unless the reader holds a petition duty (§0.6).

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::HolidayCalendar;

use super::indicators::{IndicatorQuery, Sources, compute};
use super::limits::{DueRow, PetitionSettings, base_text, obligations, status_of};
use super::matters::MatterView;
use super::model::{Petition, State};
use crate::core::compare::Compare;
use crate::core::person_id::mask;

/// A petition as `list` and `act` write it: its exchange columns' English names plus `state`
/// and `repeat`, the identifier masked unless `unmasked`.
pub fn record_json(p: &Petition, state: State, repeat: bool, unmasked: bool) -> Value {
    let mut value = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        if !unmasked && let Some(id) = &p.petitioner_id {
            map.insert("petitioner_id".into(), json!(mask(id)));
        }
        map.insert("state".into(), json!(state.id()));
        map.insert("repeat".into(), json!(repeat));
    }
    value
}

/// `due --format json`.
pub fn due_document(as_of: NaiveDate, rows: &[DueRow]) -> Value {
    crate::core::due::due_document("petitions", as_of, rows)
}

/// `list --format json`: `(petition, state, repeat)` rows.
pub fn list_document(rows: &[(&Petition, State, bool)], unmasked: bool) -> Value {
    json!({"rows": rows.iter().map(|(p, s, r)| record_json(p, *s, *r, unmasked)).collect::<Vec<_>>()})
}

/// `show --format json`: the record, its state, every deadline with its computation and status
/// (the `object` limit only for items returned to their sender), its matter with the matter's
/// petitions, and its history.
#[allow(clippy::too_many_arguments)]
pub fn show_document(
    p: &Petition,
    state: State,
    repeat: bool,
    matter: Option<&MatterView>,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
    history: Value,
    unmasked: bool,
) -> Value {
    let mut value = record_json(p, state, repeat, unmasked);
    let deadlines: Vec<Value> = obligations(p, as_of, calendar, settings)
        .iter()
        .map(|o| {
            let d = &o.deadline;
            json!({
                "limit": o.limit.id(), "rule": o.limit.name_zh(), "source": o.limit.source(),
                "start_date": d.start_date, "base": base_text(o),
                "extension": (d.extension_days > 0).then(|| format!("{}日", d.extension_days)),
                "excluded_days": d.excluded_days, "before_roll_over": d.before_roll_over,
                "deadline": d.deadline, "calendar_known": d.calendar_known,
                "status": status_of(o, as_of).0.id(),
            })
        })
        .collect();
    if let Value::Object(map) = &mut value {
        map.insert("deadlines".into(), Value::Array(deadlines));
        map.insert(
            "matter".into(),
            matter.map_or(Value::Null, |m| {
                json!({
                    "matter_id": m.matter_id, "court_code": m.court_code,
                    "case_number": m.case_number, "opened_date": m.opened_date,
                    "resolved_date": m.resolved_date.filter(|d| *d <= as_of),
                    "resolution": m.resolution, "litigation_related": m.litigation_related,
                    "petitions": m.petitions,
                })
            }),
        );
        map.insert("history".into(), history);
    }
    value
}

/// A matter as `petitions matters` writes it, with its state at `as_of`.
pub fn matter_json(m: &MatterView, as_of: NaiveDate) -> Value {
    let resolved = m.resolved_at(as_of);
    json!({
        "matter_id": m.matter_id, "court_code": m.court_code, "case_number": m.case_number,
        "opened_date": m.opened_date, "resolved_date": resolved,
        "resolution": resolved.and(m.resolution.clone()),
        "litigation_related": m.litigation_related, "petitions": m.petitions.len(),
        "state": if resolved.is_some() { "resolved" } else { "open" },
    })
}

/// `indicators --format json`: the shape of `interfaces.md` plus `module`; with a comparison,
/// `base_from`, `base_to`, `base_as_of` and per row `base` and `change`.
pub fn indicators_document(
    src: &Sources<'_>,
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope: Option<&str>,
    label: &dyn Fn(&str) -> String,
) -> Value {
    let (base, rows) = compute(src, query, compare, scope.unwrap_or("all"));
    let mut document = json!({
        "module": "petitions", "from": query.from, "to": query.to, "as_of": query.as_of,
        "scope": scope, "by": query.by.id(), "all_matters": query.all_matters,
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
