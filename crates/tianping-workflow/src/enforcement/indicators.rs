//! The indicators of enforcement (`workflows.md` §5.4, `tianping enforcement indicators`): the
//! case-level enforcement figures of `indicators.md` repeated (首执结案, 首执终本率, 执行到位金额 and
//! 执行到位率), then those of the records beside the cases — 执结率, 终本 and its checks, resumed
//! enforcement, searches overdue, cases cleared after six months, the dishonest list (listed,
//! removed, credit repair, active, persons who left it, removals on time and overdue) and the
//! concentrated actions.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::dates::add_months;

use super::limits::{EnforcementSettings, next_search, removal_deadline};
use super::model::{
    DishonestListing, EnforcementAction, PostTerminationSearch, TerminatedCase, TerminationCheck,
};
use crate::core::figures::ratio;

/// An enforcement case as the indicators need it (types 执, 执恢, and 执保 for the setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnforcementCase {
    pub case_number: String,
    pub court_code: String,
    pub division: Option<String>,
    pub judge: Option<String>,
    pub kind: CaseKind,
    pub filed_date: NaiveDate,
    pub closed_date: Option<NaiveDate>,
    /// Closed by 终结本次执行程序.
    pub terminated: bool,
    /// Closed by 执行完毕.
    pub completed: bool,
    /// Closed by 执行完毕 or 执行和解.
    pub actual: bool,
    /// For a 执恢 case: the 执 case it resumes.
    pub origin_case_number: Option<String>,
    pub recovered_fen: i64,
    pub claim_fen: i64,
    pub tags: Vec<String>,
}

/// 执 (first enforcement), 执恢 (resumed), 执保 (preservation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    First,
    Resumed,
    Preservation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    None,
    Court,
    Division,
    Judge,
    PersonType,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<GroupBy> {
        Some(match text {
            "none" => GroupBy::None,
            "court" => GroupBy::Court,
            "division" => GroupBy::Division,
            "judge" => GroupBy::Judge,
            "person_type" => GroupBy::PersonType,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Court => "court",
            GroupBy::Division => "division",
            GroupBy::Judge => "judge",
            GroupBy::PersonType => "person_type",
        }
    }
}

/// Every indicator of §5.4; a rate is `None` where its denominator is 0, and, in the rows of
/// `--by person_type`, every id that is not a listing's is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EnforcementIndicators {
    pub enforcement_closed: Option<u64>,
    pub termination_rate: Option<f64>,
    pub completion_rate: Option<f64>,
    pub actual_enforcement_rate: Option<f64>,
    pub recovered_amount: Option<f64>,
    pub recovery_rate: Option<f64>,
    pub enforcement_clearance_rate: Option<f64>,
    pub terminated: Option<u64>,
    pub termination_qualified_rate: Option<f64>,
    pub termination_check_coverage: Option<f64>,
    pub auto_qualified_rate: Option<f64>,
    pub resumed_filed: Option<u64>,
    pub resumption_ratio: Option<f64>,
    pub terminated_resumed_rate: Option<f64>,
    pub searches_overdue: Option<u64>,
    pub backlog_cleared_6m: Option<u64>,
    pub dishonest_listed: u64,
    pub dishonest_removed: u64,
    pub repair_removals: u64,
    pub listings_active_end: u64,
    pub persons_active_end: u64,
    pub persons_exited: u64,
    pub removal_on_time_rate: Option<f64>,
    pub removal_overdue: u64,
    pub actions: Option<u64>,
    pub actions_recovered: Option<f64>,
}

/// What the indicators read.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub cases: &'a [EnforcementCase],
    pub checks: &'a [TerminationCheck],
    pub searches: &'a [PostTerminationSearch],
    pub listings: &'a [DishonestListing],
    pub actions: &'a [EnforcementAction],
    pub calendar: &'a HolidayCalendar,
    pub settings: &'a EnforcementSettings,
}

#[allow(missing_debug_implementations)]
pub struct IndicatorQuery<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub by: GroupBy,
    pub in_scope: &'a dyn Fn(&str) -> bool,
    /// `--tag`: only cases with the tag count in the case-based ids.
    pub tag: Option<&'a str>,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    first_closed: u64,
    terminated_first: u64,
    completed_first: u64,
    actual_first: u64,
    recovered_fen: i64,
    recovered_first_fen: i64,
    claim_fen: i64,
    carried: u64,
    filed: u64,
    closed: u64,
    terminated: u64,
    checked: u64,
    qualified: u64,
    with_checklist: u64,
    auto_qualified: u64,
    resumed_filed: u64,
    terminated_first_resumed: u64,
    searches_overdue: u64,
    backlog_cleared: u64,
    listed: u64,
    removed: u64,
    repair: u64,
    active_end: u64,
    persons_active: HashSet<String>,
    persons_removed: HashSet<String>,
    removal_due: u64,
    removal_met: u64,
    removal_overdue: u64,
    actions: u64,
    actions_fen: i64,
    any_case_row: bool,
}

fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

fn seat_key(court: &str, name: Option<&str>) -> String {
    format!("{court}/{}", name.unwrap_or("未分配"))
}

/// The rows of one period (`None` grouping: one row keyed `scope_key`).
pub fn compute(
    src: &Sources<'_>,
    query: &IndicatorQuery<'_>,
    scope_key: &str,
) -> Vec<(String, EnforcementIndicators)> {
    let (from, to, as_of) = (query.from, query.to, query.as_of);
    let in_p = |d: NaiveDate| from <= d && d <= to;
    let known = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    if query.by == GroupBy::None {
        groups.insert(scope_key.to_owned(), Acc::default());
    }
    let cases: Vec<&EnforcementCase> = src
        .cases
        .iter()
        .filter(|c| (query.in_scope)(&c.court_code))
        .filter(|c| query.tag.is_none_or(|t| c.tags.iter().any(|x| x == t)))
        .collect();
    let by_number: HashMap<&str, &EnforcementCase> =
        cases.iter().map(|c| (c.case_number.as_str(), *c)).collect();
    let case_key = |c: &EnforcementCase| -> Option<String> {
        Some(match query.by {
            GroupBy::None => scope_key.to_owned(),
            GroupBy::Court => c.court_code.clone(),
            GroupBy::Division => seat_key(&c.court_code, c.division.as_deref()),
            GroupBy::Judge => seat_key(&c.court_code, c.judge.as_deref()),
            GroupBy::PersonType => return None,
        })
    };
    // The earliest 执恢 filing of each origin, known at A.
    let mut resumed_of: HashMap<&str, NaiveDate> = HashMap::new();
    for c in src.cases.iter().filter(|c| c.kind == CaseKind::Resumed) {
        if let Some(origin) = &c.origin_case_number
            && c.filed_date <= as_of
        {
            let day = resumed_of.entry(origin.as_str()).or_insert(c.filed_date);
            *day = (*day).min(c.filed_date);
        }
    }
    let checks: HashMap<&str, &TerminationCheck> = src
        .checks
        .iter()
        .map(|c| (c.case_number.as_str(), c))
        .collect();
    let mut searches: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for s in src.searches {
        searches
            .entry(s.case_number.as_str())
            .or_default()
            .push(s.date);
    }
    for c in &cases {
        let Some(key) = case_key(c) else { break };
        let acc = groups.entry(key).or_default();
        acc.any_case_row = true;
        let counted = match c.kind {
            CaseKind::First | CaseKind::Resumed => true,
            CaseKind::Preservation => src.settings.include_preservation,
        };
        let closed = known(c.closed_date);
        // 执结率 over 执, 执恢 (and 执保 by the setting).
        if counted && c.filed_date <= to && closed.is_none_or(|d| d >= from) {
            if c.filed_date < from {
                acc.carried += 1;
            } else {
                acc.filed += 1;
            }
            if closed.is_some_and(in_p) {
                acc.closed += 1;
            }
        }
        if c.kind == CaseKind::Resumed && in_p(c.filed_date) && c.filed_date <= as_of {
            acc.resumed_filed += 1;
        }
        let Some(closed) = closed.filter(|d| in_p(*d)) else {
            continue;
        };
        if matches!(c.kind, CaseKind::First | CaseKind::Resumed) {
            acc.recovered_fen += c.recovered_fen;
            if closed > add_months(c.filed_date, 6) {
                acc.backlog_cleared += 1;
            }
        }
        if c.kind == CaseKind::First {
            acc.first_closed += 1;
            acc.claim_fen += c.claim_fen;
            acc.recovered_first_fen += c.recovered_fen;
            acc.completed_first += u64::from(c.completed);
            acc.actual_first += u64::from(c.actual);
            if c.terminated {
                acc.terminated_first += 1;
                if resumed_of.contains_key(c.case_number.as_str()) {
                    acc.terminated_first_resumed += 1;
                }
            }
        }
        if c.terminated && matches!(c.kind, CaseKind::First | CaseKind::Resumed) {
            acc.terminated += 1;
            if let Some(check) = checks.get(c.case_number.as_str()) {
                acc.with_checklist += 1;
                let case = TerminatedCase {
                    filed_date: c.filed_date,
                    closed_date: closed,
                };
                if check.auto_qualified(case) {
                    acc.auto_qualified += 1;
                }
                if check.check_date.is_some_and(|d| d <= as_of) {
                    acc.checked += 1;
                    if check.verdict.as_deref() == Some("合格") {
                        acc.qualified += 1;
                    }
                }
            }
        }
    }
    // Searches overdue at A: every 终本 case whatever its period.
    for c in &cases {
        let Some(key) = case_key(c) else { break };
        let Some(closed) = known(c.closed_date).filter(|_| c.terminated) else {
            continue;
        };
        if let Some(d) = next_search(
            closed,
            searches
                .get(c.case_number.as_str())
                .map_or(&[], Vec::as_slice),
            resumed_of.get(c.case_number.as_str()).copied(),
            as_of,
            src.calendar,
            src.settings,
        ) && d.deadline < as_of
        {
            groups.entry(key).or_default().searches_overdue += 1;
        }
    }
    // The list.
    for l in src
        .listings
        .iter()
        .filter(|l| (query.in_scope)(&l.court_code))
    {
        let key = match query.by {
            GroupBy::None => scope_key.to_owned(),
            GroupBy::Court => l.court_code.clone(),
            GroupBy::PersonType => l.person_type.clone(),
            GroupBy::Division | GroupBy::Judge => {
                let Some(c) = by_number.get(l.case_number.as_str()) else {
                    continue;
                };
                let Some(key) = case_key(c) else { continue };
                key
            }
        };
        if query.tag.is_some() && !by_number.contains_key(l.case_number.as_str()) {
            continue;
        }
        let acc = groups.entry(key).or_default();
        if l.decided_date <= as_of && in_p(l.decided_date) {
            acc.listed += 1;
        }
        if known(l.removal_date).is_some_and(in_p) {
            acc.removed += 1;
            acc.persons_removed.insert(l.person_id.clone());
            if l.is_repair() {
                acc.repair += 1;
            }
        }
        if l.active_on(to.min(as_of)) {
            acc.active_end += 1;
            acc.persons_active.insert(l.person_id.clone());
        }
        if let Some((d, _)) = removal_deadline(l, src.calendar) {
            if in_p(d.deadline) {
                acc.removal_due += 1;
                if known(l.removal_date).is_some_and(|r| r <= d.deadline) {
                    acc.removal_met += 1;
                }
            }
            if l.active_on(as_of) && d.deadline < as_of {
                acc.removal_overdue += 1;
            }
        }
    }
    if query.by != GroupBy::PersonType {
        for a in src
            .actions
            .iter()
            .filter(|a| (query.in_scope)(&a.court_code) && in_p(a.date) && a.date <= as_of)
        {
            let key = match query.by {
                GroupBy::Court => a.court_code.clone(),
                GroupBy::None => scope_key.to_owned(),
                // An action is the court's, not a division's or a judge's.
                _ => continue,
            };
            let acc = groups.entry(key).or_default();
            acc.actions += 1;
            acc.actions_fen += a.recovered_amount.fen();
        }
    }
    let case_rows = query.by != GroupBy::PersonType;
    let action_rows = matches!(query.by, GroupBy::None | GroupBy::Court);
    groups
        .into_iter()
        .map(|(key, acc)| {
            let some = |v: u64| case_rows.then_some(v);
            let rate = |n: u64, d: u64| if case_rows { ratio(n, d) } else { None };
            let exited = acc
                .persons_removed
                .iter()
                .filter(|p| !acc.persons_active.contains(*p))
                .count() as u64;
            let i = EnforcementIndicators {
                enforcement_closed: some(acc.first_closed),
                termination_rate: rate(acc.terminated_first, acc.first_closed),
                completion_rate: rate(acc.completed_first, acc.first_closed),
                actual_enforcement_rate: rate(acc.actual_first, acc.first_closed),
                recovered_amount: case_rows.then(|| yuan(acc.recovered_fen)),
                recovery_rate: if case_rows && acc.claim_fen > 0 {
                    Some(crate::core::figures::round(
                        acc.recovered_first_fen as f64 / acc.claim_fen as f64,
                        4,
                    ))
                } else {
                    None
                },
                enforcement_clearance_rate: rate(acc.closed, acc.carried + acc.filed),
                terminated: some(acc.terminated),
                termination_qualified_rate: rate(acc.qualified, acc.checked),
                termination_check_coverage: rate(acc.checked, acc.terminated),
                auto_qualified_rate: rate(acc.auto_qualified, acc.with_checklist),
                resumed_filed: some(acc.resumed_filed),
                resumption_ratio: rate(acc.resumed_filed, acc.terminated_first),
                terminated_resumed_rate: rate(acc.terminated_first_resumed, acc.terminated_first),
                searches_overdue: some(acc.searches_overdue),
                backlog_cleared_6m: some(acc.backlog_cleared),
                dishonest_listed: acc.listed,
                dishonest_removed: acc.removed,
                repair_removals: acc.repair,
                listings_active_end: acc.active_end,
                persons_active_end: acc.persons_active.len() as u64,
                persons_exited: exited,
                removal_on_time_rate: ratio(acc.removal_met, acc.removal_due),
                removal_overdue: acc.removal_overdue,
                actions: action_rows.then_some(acc.actions),
                actions_recovered: action_rows.then(|| yuan(acc.actions_fen)),
            };
            (key, i)
        })
        .collect()
}

/// The rates of §5.4 (compared in points, the rest relatively).
pub const RATE_IDS: [&str; 11] = [
    "termination_rate",
    "completion_rate",
    "actual_enforcement_rate",
    "recovery_rate",
    "enforcement_clearance_rate",
    "termination_qualified_rate",
    "termination_check_coverage",
    "auto_qualified_rate",
    "resumption_ratio",
    "terminated_resumed_rate",
    "removal_on_time_rate",
];

/// `indicators --format json` (the shape of every module's, `workflows.md` §0.8).
pub fn indicators_document(
    src: &Sources<'_>,
    query: &IndicatorQuery<'_>,
    compare: crate::core::compare::Compare,
    scope: Option<&str>,
    label: &dyn Fn(&str) -> String,
) -> serde_json::Value {
    use serde_json::{Value, json};
    let scope_key = scope.unwrap_or("all");
    let rows = compute(src, query, scope_key);
    let base = crate::core::compare::base_period(compare, query.from, query.to, query.as_of);
    let base_rows: BTreeMap<String, EnforcementIndicators> = match base {
        Some((from, to, as_of)) => compute(
            src,
            &IndicatorQuery {
                from,
                to,
                as_of,
                by: query.by,
                in_scope: query.in_scope,
                tag: query.tag,
            },
            scope_key,
        )
        .into_iter()
        .collect(),
        None => BTreeMap::new(),
    };
    let mut document = json!({
        "module": "enforcement", "from": query.from, "to": query.to, "as_of": query.as_of,
        "scope": scope, "by": query.by.id(), "tag": query.tag,
    });
    if let (Some((bf, bt, ba)), Value::Object(map)) = (base, &mut document) {
        map.insert("base_from".into(), json!(bf));
        map.insert("base_to".into(), json!(bt));
        map.insert("base_as_of".into(), json!(ba));
    }
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|(key, indicators)| {
            let mut row = json!({"key": key, "label": label(&key), "indicators": indicators});
            if base.is_some()
                && let Value::Object(map) = &mut row
            {
                let b = base_rows.get(&key).cloned().unwrap_or_default();
                map.insert(
                    "change".into(),
                    json!(crate::core::figures::changes(&indicators, &b, &RATE_IDS)),
                );
                map.insert("base".into(), json!(b));
            }
            row
        })
        .collect();
    if let Value::Object(map) = &mut document {
        map.insert("rows".into(), Value::Array(rows));
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn case(
        n: usize,
        kind: CaseKind,
        filed: &str,
        closed: Option<&str>,
        terminated: bool,
    ) -> EnforcementCase {
        EnforcementCase {
            case_number: format!("（2021）闽0922执{n}号"),
            court_code: "闽0922".into(),
            division: Some("执行局".into()),
            judge: None,
            kind,
            filed_date: d(filed),
            closed_date: closed.map(d),
            terminated,
            completed: !terminated && closed.is_some(),
            actual: !terminated && closed.is_some(),
            origin_case_number: None,
            recovered_fen: 0,
            claim_fen: 0,
            tags: Vec::new(),
        }
    }

    /// §5.4, 古田 2020-2024H1: 首执结案 7,673, 终本 2,672 → 34.82%; 执恢 1,283 ÷ 2,672 → 48.02%;
    /// 500 checked 终本 cases, 462 合格 → 92.40%.
    #[test]
    fn the_worked_example_of_gutian() {
        let mut cases = Vec::new();
        for n in 0..7673 {
            cases.push(case(
                n,
                CaseKind::First,
                "2020-01-02",
                Some("2021-06-01"),
                n < 2672,
            ));
        }
        for n in 0..1283 {
            let mut c = case(10_000 + n, CaseKind::Resumed, "2022-03-01", None, false);
            c.origin_case_number = Some(format!("（2021）闽0922执{n}号"));
            cases.push(c);
        }
        let checks: Vec<TerminationCheck> = (0..500)
            .map(|n| TerminationCheck {
                case_number: format!("（2021）闽0922执{n}号"),
                court_code: "闽0922".into(),
                notice_date: None,
                report_order_date: None,
                report_verified: false,
                consumption_ban_date: None,
                dishonest: None,
                network_search_date: None,
                clues: None,
                whereabouts: None,
                sanctions: None,
                applicant_informed_date: None,
                approval: None,
                check_date: Some(d("2022-01-10")),
                checker: None,
                verdict: Some(if n < 462 { "合格" } else { "不合格" }.into()),
                flaws: None,
            })
            .collect();
        let calendar = HolidayCalendar::builtin();
        let settings = EnforcementSettings::default();
        let src = Sources {
            cases: &cases,
            checks: &checks,
            searches: &[],
            listings: &[],
            actions: &[],
            calendar: &calendar,
            settings: &settings,
        };
        let all = |_: &str| true;
        let query = IndicatorQuery {
            from: d("2020-01-01"),
            to: d("2024-06-30"),
            as_of: d("2024-06-30"),
            by: GroupBy::None,
            in_scope: &all,
            tag: None,
        };
        let rows = compute(&src, &query, "闽0922");
        let i = &rows[0].1;
        assert_eq!(i.enforcement_closed, Some(7673));
        assert_eq!(i.termination_rate, Some(0.3482));
        assert_eq!(i.resumed_filed, Some(1283));
        assert_eq!(i.resumption_ratio, Some(0.4802));
        assert_eq!(i.termination_qualified_rate, Some(0.924));
        assert_eq!(i.termination_check_coverage, Some(0.1871));
        assert_eq!(i.terminated_resumed_rate, Some(0.4802));
        // Closed more than six months after filing: every one of them.
        assert_eq!(i.backlog_cleared_6m, Some(7673));
    }

    #[test]
    fn the_list_by_person_type_counts_listings_only() {
        let listing =
            |id: &str, person: &str, kind: &str, removed: Option<&str>, reason: Option<&str>| {
                DishonestListing {
                    listing_id: id.into(),
                    case_number: "（2021）闽0922执1号".into(),
                    court_code: "闽0922".into(),
                    person_name: "某".into(),
                    person_id: person.into(),
                    person_type: kind.into(),
                    minor: false,
                    grounds: vec![1],
                    applied_date: None,
                    decided_date: d("2023-02-01"),
                    term_extension_months: None,
                    condition_date: removed.map(d),
                    correction_applied_date: None,
                    correction_decided_date: None,
                    removal_date: removed.map(d),
                    removal_reason: reason.map(str::to_owned),
                }
            };
        let listings = [
            listing("A", "P1", "法人", Some("2023-05-02"), Some("履行完毕")),
            listing("B", "P2", "法人", None, None),
            listing("C", "P3", "自然人", Some("2023-06-01"), Some("撤销")),
            // P2 again, removed: still active through B, so not exited.
            listing("D", "P2", "法人", Some("2023-06-02"), Some("履行完毕")),
        ];
        let calendar = HolidayCalendar::builtin();
        let settings = EnforcementSettings::default();
        let src = Sources {
            cases: &[],
            checks: &[],
            searches: &[],
            listings: &listings,
            actions: &[],
            calendar: &calendar,
            settings: &settings,
        };
        let all = |_: &str| true;
        let query = IndicatorQuery {
            from: d("2023-01-01"),
            to: d("2023-12-31"),
            as_of: d("2023-12-31"),
            by: GroupBy::PersonType,
            in_scope: &all,
            tag: None,
        };
        let rows = compute(&src, &query, "all");
        let legal = &rows.iter().find(|(k, _)| k == "法人").unwrap().1;
        assert_eq!(
            (
                legal.dishonest_listed,
                legal.dishonest_removed,
                legal.repair_removals
            ),
            (3, 2, 2)
        );
        assert_eq!(
            (
                legal.listings_active_end,
                legal.persons_active_end,
                legal.persons_exited
            ),
            (1, 1, 1)
        );
        // Condition and removal the same day: within the 3 working days.
        assert_eq!(legal.removal_on_time_rate, Some(1.0));
        assert_eq!(legal.enforcement_closed, None);
        assert_eq!(legal.actions, None);
        let natural = &rows.iter().find(|(k, _)| k == "自然人").unwrap().1;
        assert_eq!(
            (
                natural.dishonest_removed,
                natural.repair_removals,
                natural.persons_exited
            ),
            (1, 0, 1)
        );
    }
}
