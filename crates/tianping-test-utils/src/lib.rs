//! What the tests of every crate share (a dev-dependency only; nothing here ships).
//!
//! - [`case`]: a case record from its case number and filing date, every other field empty,
//!   instead of a 19-field literal in each test;
//! - [`event`]: an event of a case;
//! - [`oracle`]: the deadline list computed the slow, obvious way (each case's records through
//!   the domain's time-limit engine), against which the snapshot's one deadline engine is
//!   checked.
#![forbid(unsafe_code)]

use chrono::NaiveDate;
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{CaseNumber, CaseRecord, EventKind, EventRecord};

/// A date from `YYYY-MM-DD` (panics on a typo: fixtures only).
pub fn d(text: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(text).unwrap_or_else(|e| panic!("fixture date {text}: {e}"))
}

/// A pending case: the number normalized, court and type code from the number, filed on
/// `filed`; no judge, division, amounts or dates beyond filing.
pub fn case(number: &str, filed: &str) -> CaseRecord {
    let parsed =
        CaseNumber::parse(number).unwrap_or_else(|e| panic!("fixture case number {number}: {e}"));
    CaseRecord {
        case_number: parsed.normalized(),
        court_code: parsed.court.to_string(),
        type_code: Some(parsed.type_code),
        type_name: None,
        procedure: None,
        cause: None,
        received_date: None,
        filed_date: d(filed),
        division: None,
        judge: None,
        closed_date: None,
        closing_mode: None,
        disposal: None,
        claim_amount: None,
        recovered_amount: None,
        origin_case_number: None,
        foreign_related: false,
        longer_limit: false,
        appeal_object: AppealObject::Judgment,
    }
}

/// The same case with a judge (承办人) and optionally a division.
pub fn case_of(number: &str, filed: &str, judge: &str, division: Option<&str>) -> CaseRecord {
    CaseRecord {
        judge: Some(judge.to_owned()),
        division: division.map(str::to_owned),
        ..case(number, filed)
    }
}

/// An event of case `number` (normalized) on `date`, no end, months, days or reason.
pub fn event(number: &str, kind: EventKind, date: &str) -> EventRecord {
    let normalized =
        CaseNumber::parse(number).map_or_else(|_| number.to_owned(), |n| n.normalized());
    EventRecord {
        case_number: normalized,
        kind,
        date: d(date),
        end_date: None,
        months: None,
        days: None,
        reason: None,
    }
}

pub mod oracle {
    //! The deadline list without the snapshot: every case's own records through
    //! [`tianping_domain::time_limit::evaluate`] at the date asked. The rows' `reason` is left
    //! empty (its wording is the engine's, pinned by its own tests): compare with
    //! [`without_reasons`].

    use std::collections::HashMap;

    use tianping_domain::calendar::HolidayCalendar;
    use tianping_domain::time_limit::{LimitSettings, Timing, evaluate};
    use tianping_domain::{CaseRecord, CourtTable, EventRecord};
    use tianping_metrics::deadlines::{DeadlineQuery, DeadlineRow};

    /// The rows of `query` (scope, status and every filter) over the records.
    pub fn deadline_list(
        courts: &CourtTable,
        cases: &[CaseRecord],
        events: &[EventRecord],
        query: &DeadlineQuery<'_>,
        calendar: &HolidayCalendar,
        settings: &LimitSettings,
    ) -> Vec<DeadlineRow> {
        let unassigned = tianping_metrics::indicators::UNASSIGNED;
        let mut by_case: HashMap<&str, Vec<&EventRecord>> = HashMap::new();
        for e in events {
            by_case.entry(e.case_number.as_str()).or_default().push(e);
        }
        let mut rows = Vec::new();
        for case in cases {
            if query
                .scope
                .is_some_and(|s| !courts.is_within(&case.court_code, s))
                || query.court.is_some_and(|c| case.court_code != c)
                || query.judge.is_some_and(|j| {
                    case.court_code != j.court || case.judge.as_deref() != Some(j.name)
                })
                || query
                    .division
                    .is_some_and(|w| case.division.as_deref().unwrap_or(unassigned) != w)
                || query
                    .judge_name
                    .is_some_and(|w| case.judge.as_deref().unwrap_or(unassigned) != w)
            {
                continue;
            }
            let own = by_case
                .get(case.case_number.as_str())
                .cloned()
                .unwrap_or_default();
            let facts = case.facts(own);
            let Timing::Pending {
                limit,
                status,
                days_remaining,
                age_days,
                ..
            } = evaluate(&facts, query.as_of, calendar, settings)
            else {
                continue;
            };
            let admitted = match query.status {
                tianping_metrics::deadlines::StatusFilter::All => true,
                tianping_metrics::deadlines::StatusFilter::Limited => {
                    status != tianping_domain::time_limit::PendingStatus::NoLimit
                }
                tianping_metrics::deadlines::StatusFilter::Only(s) => s == status,
            };
            let deadline = limit.deadline();
            if !admitted
                || query
                    .due_by
                    .is_some_and(|by| deadline.is_none_or(|d| d.deadline > by))
                || query
                    .within_days
                    .is_some_and(|n| days_remaining.is_none_or(|left| left > n))
            {
                continue;
            }
            rows.push(DeadlineRow {
                case_number: case.case_number.clone(),
                court_code: case.court_code.clone(),
                rule: deadline.map(|d| d.rule),
                filed_date: case.filed_date,
                normal_deadline: deadline.map(|d| d.normal_deadline),
                deadline: deadline.map(|d| d.deadline),
                deducted_days: deadline.map_or(0, |d| d.deducted_days),
                extended: deadline.is_some_and(|d| d.extended()),
                days_remaining,
                status,
                age_days,
                division: case.division.clone(),
                judge: case.judge.clone(),
                reason: String::new(),
                calendar_known: deadline.is_none_or(|d| d.calendar_known),
            });
        }
        rows.sort_by(|a, b| {
            a.days_remaining
                .unwrap_or(i64::MAX)
                .cmp(&b.days_remaining.unwrap_or(i64::MAX))
                .then_with(|| a.case_number.cmp(&b.case_number))
        });
        rows
    }

    /// The rows with their `reason` emptied, to compare with [`deadline_list`]'s.
    pub fn without_reasons(mut rows: Vec<DeadlineRow>) -> Vec<DeadlineRow> {
        for row in &mut rows {
            row.reason.clear();
        }
        rows
    }
}
