//! Shared fixtures and checks for the generator's tests.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use tianping_domain::{
    CaseNumber, CaseRecord, ClosingMode, CourtCode, EventKind, EventRecord, Procedure,
};
use tianping_synth::{Dataset, SynthConfig, generate};

/// The seed of the shared fixture; `TIANPING_SYNTH_TEST_SEED` picks another, to check that the
/// ranges the tests expect hold for any seed.
pub fn seed() -> u64 {
    std::env::var("TIANPING_SYNTH_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_240_517)
}

/// The default small province, generated once per test binary.
pub fn small() -> &'static (SynthConfig, Dataset) {
    static DATA: OnceLock<(SynthConfig, Dataset)> = OnceLock::new();
    DATA.get_or_init(|| {
        let config = SynthConfig::small(seed());
        let data = generate(&config);
        (config, data)
    })
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn code(case: &CaseRecord) -> &'static str {
    case.type_code
        .expect("every synthetic case has a type code")
        .as_str()
}

/// Each case's events, by case number.
pub fn events_by_case(data: &Dataset) -> BTreeMap<&str, Vec<&EventRecord>> {
    let mut map: BTreeMap<&str, Vec<&EventRecord>> = BTreeMap::new();
    for event in &data.events {
        map.entry(event.case_number.as_str())
            .or_default()
            .push(event);
    }
    map
}

/// Every rule of the exchange format's validation, on every record; returns the problems found.
pub fn violations(data: &Dataset, end: NaiveDate) -> Vec<String> {
    let mut problems = Vec::new();
    let courts: BTreeSet<&str> = data.courts.iter().map(|c| c.code.as_str()).collect();
    let mut numbers = BTreeSet::new();
    let mut filed_of: BTreeMap<&str, &CaseRecord> = BTreeMap::new();
    for case in &data.cases {
        let n = &case.case_number;
        let mut bad = |what: &str| problems.push(format!("{n}: {what}"));
        match CaseNumber::parse(n) {
            Ok(parsed) => {
                if parsed.normalized() != *n {
                    bad("not normalized");
                }
                if parsed.court.as_str() != case.court_code {
                    bad("court code differs from the number's court");
                }
                if Some(parsed.type_code) != case.type_code {
                    bad("type code differs from the number's");
                }
                if i32::from(parsed.year) != chrono::Datelike::year(&case.filed_date) {
                    bad("year is not the filing year");
                }
            }
            Err(e) => bad(&format!("does not parse: {e}")),
        }
        if !courts.contains(case.court_code.as_str()) {
            bad("court not in the court list");
        }
        if !numbers.insert(n.as_str()) {
            bad("duplicate case number");
        }
        if case.filed_date > end {
            bad("filed after the end date");
        }
        if case.received_date.is_some_and(|r| r > case.filed_date) {
            bad("received after filed");
        }
        if case.received_date.is_none() {
            bad("no received date");
        }
        if let Some(closed) = case.closed_date {
            if closed < case.filed_date {
                bad("closed before filed");
            }
            if closed > end {
                bad("closed after the end date");
            }
        }
        if case.closed_date.is_some() != case.closing_mode.is_some() {
            bad("closing mode without closing date or the reverse");
        }
        for amount in [case.claim_amount, case.recovered_amount]
            .into_iter()
            .flatten()
        {
            if amount.fen() < 0 {
                bad("negative amount");
            }
        }
        if case.recovered_amount.is_some() && !matches!(code(case), "执" | "执恢") {
            bad("recovered amount on a non-enforcement case");
        }
        if let (Some(recovered), Some(claim)) = (case.recovered_amount, case.claim_amount)
            && recovered > claim
        {
            bad("recovered more than claimed");
        }
        let rule = case.type_code.and_then(|t| t.time_limit_rule());
        if let Some(p) = case.procedure
            && !rule.is_some_and(|r| r.accepts(p))
        {
            bad(&format!(
                "procedure {} not accepted by the type's rule",
                p.name_zh()
            ));
        }
        if let Some(origin) = &case.origin_case_number
            && CaseNumber::parse(origin).is_err()
        {
            bad("origin case number does not parse");
        }
        if case.cause.as_deref().is_none_or(str::is_empty) {
            bad("no cause");
        }
        if case.division.is_none() || case.judge.is_none() {
            bad("no division or judge");
        }
        filed_of.insert(n, case);
    }
    for event in &data.events {
        let n = &event.case_number;
        let mut bad = |what: &str| problems.push(format!("{n} {}: {what}", event.kind.name_zh()));
        let Some(case) = filed_of.get(n.as_str()) else {
            bad("event for an unknown case");
            continue;
        };
        if event.date < case.filed_date || event.date > end {
            bad("dated outside [filed, end date]");
        }
        match event.kind {
            EventKind::Deduction => {
                if event.end_date.is_some_and(|e| e < event.date) {
                    bad("deduction ends before it starts");
                }
                if event.end_date.is_some_and(|e| e > end) {
                    bad("deduction ends after the end date");
                }
                if event.end_date.is_none() && case.closed_date.is_some() {
                    bad("open deduction on a closed case");
                }
                if case
                    .closed_date
                    .is_some_and(|c| event.end_date.is_some_and(|e| e > c))
                {
                    bad("deduction ends after closing");
                }
                const REASONS: [&str; 8] = [
                    "公告",
                    "鉴定",
                    "管辖异议",
                    "中止",
                    "审计",
                    "评估",
                    "和解",
                    "其他",
                ];
                if !event
                    .reason
                    .as_deref()
                    .is_some_and(|r| REASONS.contains(&r))
                {
                    bad("deduction without a known reason");
                }
            }
            EventKind::Extension => {
                if event.months.unwrap_or(0) == 0 && event.days.unwrap_or(0) == 0 {
                    bad("extension of nothing");
                }
                if case.closed_date.is_some_and(|c| event.date > c) {
                    bad("extension after closing");
                }
            }
            EventKind::ProcedureChange => {
                let to = event.reason.as_deref().and_then(Procedure::parse);
                let rule = case.type_code.and_then(|t| t.time_limit_rule());
                if !to.is_some_and(|p| rule.is_some_and(|r| r.accepts(p))) {
                    bad("procedure change to a procedure the rule does not accept");
                }
                if case.closed_date.is_some_and(|c| event.date > c) {
                    bad("procedure change after closing");
                }
            }
            EventKind::Appeal | EventKind::RetrialApplication => {
                if case.closed_date.is_none_or(|c| event.date <= c) {
                    bad("appeal or petition before the decision");
                }
            }
        }
        if event.kind != EventKind::Deduction && event.end_date.is_some() {
            bad("end date on an event that is not a deduction");
        }
    }
    problems
}

/// Filings per (court, year, month).
pub fn monthly_filings(data: &Dataset) -> BTreeMap<(&str, i32, u32), usize> {
    use chrono::Datelike;
    let mut map = BTreeMap::new();
    for case in &data.cases {
        let key = (
            case.court_code.as_str(),
            case.filed_date.year(),
            case.filed_date.month(),
        );
        *map.entry(key).or_insert(0) += 1;
    }
    map
}

pub fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

pub fn mode_share(cases: &[&CaseRecord], mode: ClosingMode) -> f64 {
    let closed = cases.iter().filter(|c| c.closing_mode.is_some()).count();
    let with = cases
        .iter()
        .filter(|c| c.closing_mode == Some(mode))
        .count();
    share(with, closed)
}

pub fn court_code(text: &str) -> CourtCode {
    CourtCode::parse(text).unwrap()
}
