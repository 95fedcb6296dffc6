//! The indicators of mediation (`workflows.md` §1.4, `tianping mediation indicators`): flow
//! counts by the date an item was concluded in the period, stocks at its ends, the deadline
//! figures of §1.3, and two obligation rates (§0.4: an obligation belongs to the period that
//! holds its deadline). Everything is known at the as-of date `A`: a mediation registered after
//! `A` does not exist, a date after `A` counts as empty.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;

use super::limits::{
    MediationSettings, accept_deadline, filing_deadline, mediation_deadline, net_days,
};
use super::model::{AgreementPath, EventKind, Mediation, MediationEvent, MediationKind, Outcome};
use crate::core::compare::{Compare, base_period};
use crate::core::figures::{self, months, ratio, round};

/// Which mediations count (`--kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    All,
    /// 委派 + 申请 (诉前).
    Pre,
    Only(MediationKind),
}

impl KindFilter {
    pub fn parse(text: &str) -> Option<KindFilter> {
        match text {
            "all" => Some(KindFilter::All),
            "pre" => Some(KindFilter::Pre),
            other => MediationKind::parse(other).map(KindFilter::Only),
        }
    }

    pub fn admits(self, kind: MediationKind) -> bool {
        match self {
            KindFilter::All => true,
            KindFilter::Pre => kind.is_pre_litigation(),
            KindFilter::Only(k) => k == kind,
        }
    }
}

/// How rows are grouped (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    None,
    Court,
    Org,
    Mediator,
    Kind,
    Month,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<GroupBy> {
        Some(match text {
            "none" => GroupBy::None,
            "court" => GroupBy::Court,
            "org" => GroupBy::Org,
            "mediator" => GroupBy::Mediator,
            "kind" => GroupBy::Kind,
            "month" => GroupBy::Month,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Court => "court",
            GroupBy::Org => "org",
            GroupBy::Mediator => "mediator",
            GroupBy::Kind => "kind",
            GroupBy::Month => "month",
        }
    }
}

/// The key of a row without a value for the grouping (no org, no mediator).
pub const UNASSIGNED: &str = "未分配";

/// Every indicator of §1.4; a rate is `None` where its denominator is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MediationIndicators {
    pub registered: u64,
    pub returned: u64,
    pub concluded: u64,
    pub carried_over: u64,
    pub pending_end: u64,
    pub succeeded: u64,
    pub withdrawn: u64,
    pub failed: u64,
    pub success_rate: Option<f64>,
    pub confirmed: u64,
    pub auto_performance_rate: Option<f64>,
    pub avg_days: Option<f64>,
    pub within_limit_rate: Option<f64>,
    pub overdue_concluded: u64,
    pub overdue_pending: u64,
    pub filed_after_failure: u64,
    pub filing_on_time_rate: Option<f64>,
    pub accept_on_time_rate: Option<f64>,
}

/// The ids that are rates or ratios (their change is a difference, not relative).
pub const RATE_IDS: [&str; 5] = [
    "success_rate",
    "auto_performance_rate",
    "within_limit_rate",
    "filing_on_time_rate",
    "accept_on_time_rate",
];

#[derive(Debug, Default, Clone)]
struct Acc {
    i: MediationIndicators,
    performed: u64,
    net_days_sum: i64,
    net_days_count: u64,
    with_deadline: u64,
    within: u64,
    filing_due: u64,
    filing_on_time: u64,
    accept_due: u64,
    accept_on_time: u64,
}

impl Acc {
    fn finish(mut self, settings: &MediationSettings) -> MediationIndicators {
        let i = &mut self.i;
        let successes = i.succeeded
            + if settings.withdrawn_counts_as_success {
                i.withdrawn
            } else {
                0
            };
        i.success_rate = ratio(successes, i.concluded);
        i.auto_performance_rate = ratio(self.performed, i.succeeded);
        i.avg_days = (self.net_days_count > 0)
            .then(|| round(self.net_days_sum as f64 / self.net_days_count as f64, 2));
        i.within_limit_rate = ratio(self.within, self.with_deadline);
        i.filing_on_time_rate = ratio(self.filing_on_time, self.filing_due);
        i.accept_on_time_rate = ratio(self.accept_on_time, self.accept_due);
        self.i
    }
}

/// What the indicators are asked for.
#[allow(missing_debug_implementations)]
pub struct IndicatorQuery<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub by: GroupBy,
    pub kind: KindFilter,
    /// Whether a court is within the scope.
    pub in_scope: &'a dyn Fn(&str) -> bool,
    /// The filing date of a case the database knows.
    pub case_filed: &'a dyn Fn(&str) -> Option<NaiveDate>,
}

/// One row: its key and figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub key: String,
    pub indicators: MediationIndicators,
}

/// Add mediation `m` to `acc` for the period `[from, to]` known at `as_of`.
#[allow(clippy::too_many_arguments)]
fn count(
    acc: &mut Acc,
    m: &Mediation,
    events: &[MediationEvent],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
    case_filed: &dyn Fn(&str) -> Option<NaiveDate>,
) {
    let in_p = |d: NaiveDate| from <= d && d <= to;
    let reg = m.registered_date;
    let finished = m.finished(as_of);
    let i = &mut acc.i;
    if in_p(reg) {
        i.registered += 1;
    }
    if reg < from && finished.is_none_or(|(_, d)| d >= from) {
        i.carried_over += 1;
    }
    let pending_at_end = reg <= to && finished.is_none_or(|(_, d)| d > to);
    if pending_at_end {
        i.pending_end += 1;
        // 超期未结: accepted by the end, its deadline (facts up to the end) passed by then.
        if Mediation::known(m.accepted_date, to).is_some()
            && let Some(d) = mediation_deadline(m, events, to, calendar, settings)
            && d.deadline < to
        {
            i.overdue_pending += 1;
        }
    }
    if let Some((outcome, date)) = finished
        && in_p(date)
    {
        match outcome {
            Outcome::Returned => i.returned += 1,
            concluded => {
                i.concluded += 1;
                match concluded {
                    Outcome::Succeeded => {
                        i.succeeded += 1;
                        if m.agreement_path == Some(AgreementPath::JudicialConfirmation) {
                            i.confirmed += 1;
                        }
                        if m.performed == Some(true) {
                            acc.performed += 1;
                        }
                    }
                    Outcome::Withdrawn => i.withdrawn += 1,
                    _ => {
                        i.failed += 1;
                        let filed = m
                            .filed_case_number
                            .as_deref()
                            .and_then(case_filed)
                            .or(m.filed_date);
                        if m.filed_case_number.is_some() && filed.is_some_and(|f| f <= as_of) {
                            i.filed_after_failure += 1;
                        }
                    }
                }
                if let Some(net) = net_days(m, events, date) {
                    acc.net_days_sum += net;
                    acc.net_days_count += 1;
                }
                if let Some(d) = mediation_deadline(m, events, date, calendar, settings) {
                    acc.with_deadline += 1;
                    if date <= d.deadline {
                        acc.within += 1;
                    } else {
                        i.overdue_concluded += 1;
                    }
                }
            }
        }
    }
    // Obligations belong to the period of their deadline.
    if let Some(d) = filing_deadline(m, calendar, settings)
        && Mediation::known(m.concluded_date, as_of).is_some()
        && in_p(d.deadline)
    {
        acc.filing_due += 1;
        let filed = m
            .filed_case_number
            .as_deref()
            .and_then(case_filed)
            .or(m.filed_date)
            .filter(|f| *f <= as_of);
        if filed.is_some_and(|f| f <= d.deadline) {
            acc.filing_on_time += 1;
        }
    }
    if let Some(referred) = Mediation::known(m.referred_date, as_of)
        && let Some((deadline, _)) = accept_deadline(m, calendar)
        && in_p(deadline)
    {
        acc.accept_due += 1;
        // Met: accepted, or declined with reasons, on or before the deadline (art. 12).
        let accepted = Mediation::known(m.accepted_date, as_of).is_some_and(|a| a <= deadline);
        let declined = events.iter().any(|e| {
            e.kind == EventKind::NotAccepted
                && e.date >= referred
                && e.date <= deadline
                && e.date <= as_of
        });
        if accepted || declined {
            acc.accept_on_time += 1;
        }
    }
}

fn group_key(m: &Mediation, by: GroupBy) -> &str {
    match by {
        GroupBy::None | GroupBy::Month => "",
        GroupBy::Court => &m.court_code,
        GroupBy::Org => m.org_id.as_deref().unwrap_or(UNASSIGNED),
        GroupBy::Mediator => m.mediator_id.as_deref().unwrap_or(UNASSIGNED),
        GroupBy::Kind => m.kind.name_zh(),
    }
}

/// The indicator rows of `mediations` (with their events by id) for a query, sorted by key;
/// `None` grouping gives one row keyed `scope_key`.
pub fn compute(
    mediations: &[Mediation],
    events: &BTreeMap<String, Vec<MediationEvent>>,
    query: &IndicatorQuery<'_>,
    scope_key: &str,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
) -> Vec<IndicatorRow> {
    let no_events: Vec<MediationEvent> = Vec::new();
    let selected: Vec<&Mediation> = mediations
        .iter()
        .filter(|m| m.registered_date <= query.as_of)
        .filter(|m| query.kind.admits(m.kind))
        .filter(|m| (query.in_scope)(&m.court_code))
        .collect();
    let periods: Vec<(String, NaiveDate, NaiveDate)> = if query.by == GroupBy::Month {
        months(query.from, query.to)
    } else {
        vec![(String::new(), query.from, query.to)]
    };
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    if query.by == GroupBy::None {
        groups.insert(scope_key.to_owned(), Acc::default());
    }
    for (month_key, from, to) in &periods {
        if query.by == GroupBy::Month {
            groups.entry(month_key.clone()).or_default();
        }
        for m in &selected {
            let key = match query.by {
                GroupBy::None => scope_key,
                GroupBy::Month => month_key.as_str(),
                by => group_key(m, by),
            };
            let acc = groups.entry(key.to_owned()).or_default();
            count(
                acc,
                m,
                events.get(&m.mediation_id).unwrap_or(&no_events),
                *from,
                *to,
                query.as_of,
                calendar,
                settings,
                query.case_filed,
            );
        }
    }
    groups
        .into_iter()
        .map(|(key, acc)| IndicatorRow {
            key,
            indicators: acc.finish(settings),
        })
        .collect()
}

/// The figures of one scope and period, known at its last day (what the court overview and
/// the bulletin show beside the case figures).
#[allow(clippy::too_many_arguments)]
pub fn figures(
    mediations: &[Mediation],
    events: &BTreeMap<String, Vec<MediationEvent>>,
    from: NaiveDate,
    to: NaiveDate,
    kind: KindFilter,
    in_scope: &dyn Fn(&str) -> bool,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
) -> MediationIndicators {
    let query = IndicatorQuery {
        from,
        to,
        as_of: to,
        by: GroupBy::None,
        kind,
        in_scope,
        case_filed: &|_| None,
    };
    compute(mediations, events, &query, "", calendar, settings)
        .into_iter()
        .next()
        .map(|r| r.indicators)
        .unwrap_or_default()
}

/// A row with its comparison (`--compare`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedRow {
    pub key: String,
    pub indicators: MediationIndicators,
    pub base: Option<MediationIndicators>,
    pub change: Option<BTreeMap<String, Option<f64>>>,
}

/// Each indicator's change against the base (§0.5), rounded to four decimals.
pub fn changes(
    current: &MediationIndicators,
    base: &MediationIndicators,
) -> BTreeMap<String, Option<f64>> {
    figures::changes(current, base, &RATE_IDS)
}

/// The rows with their base period's rows and changes; the base period is that of
/// [`base_period`] (`None` for `Compare::None`).
#[allow(clippy::too_many_arguments)]
pub fn compute_compared(
    mediations: &[Mediation],
    events: &BTreeMap<String, Vec<MediationEvent>>,
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope_key: &str,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
) -> (Option<(NaiveDate, NaiveDate, NaiveDate)>, Vec<ComparedRow>) {
    let rows = compute(mediations, events, query, scope_key, calendar, settings);
    let Some((bf, bt, ba)) = base_period(compare, query.from, query.to, query.as_of) else {
        return (
            None,
            rows.into_iter()
                .map(|r| ComparedRow {
                    key: r.key,
                    indicators: r.indicators,
                    base: None,
                    change: None,
                })
                .collect(),
        );
    };
    let base_query = IndicatorQuery {
        from: bf,
        to: bt,
        as_of: ba,
        by: query.by,
        kind: query.kind,
        in_scope: query.in_scope,
        case_filed: query.case_filed,
    };
    let base_rows = compute(
        mediations,
        events,
        &base_query,
        scope_key,
        calendar,
        settings,
    );
    let out = rows
        .into_iter()
        .enumerate()
        .map(|(index, r)| {
            // Months are compared by their place in the period (2023-01 with 2022-01), the
            // other groupings by key.
            let base = if query.by == GroupBy::Month {
                base_rows.get(index)
            } else {
                base_rows.iter().find(|b| b.key == r.key)
            }
            .map(|b| b.indicators.clone())
            .unwrap_or_default();
            ComparedRow {
                change: Some(changes(&r.indicators, &base)),
                key: r.key,
                indicators: r.indicators,
                base: Some(base),
            }
        })
        .collect();
    (Some((bf, bt, ba)), out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn mediation(id: usize, registered: &str, accepted: Option<&str>) -> Mediation {
        let mut m = Mediation::registered(
            &format!("M{id}"),
            "鲁0102",
            MediationKind::Delegated,
            d(registered),
        );
        m.referred_date = accepted.map(d);
        m.accepted_date = accepted.map(d);
        m
    }

    fn concluded(mut m: Mediation, outcome: Outcome, on: &str) -> Mediation {
        m.outcome = Some(outcome);
        m.concluded_date = Some(d(on));
        m
    }

    /// The worked example of §1.4: 鲁0102, 2023Q1, against 2022Q1.
    fn example() -> Vec<Mediation> {
        let mut all = Vec::new();
        let mut id = 0;
        let mut next = || {
            id += 1;
            id
        };
        // 2022Q1: 250 concluded, 157 succeeded.
        for k in 0..250 {
            let outcome = if k < 157 {
                Outcome::Succeeded
            } else {
                Outcome::Failed
            };
            all.push(concluded(
                mediation(next(), "2022-01-04", Some("2022-01-04")),
                outcome,
                "2022-01-20",
            ));
        }
        // 40 carried over from 2022, concluded in Q1 (succeeded, in time).
        for _ in 0..40 {
            all.push(concluded(
                mediation(next(), "2022-12-20", Some("2023-01-03")),
                Outcome::Succeeded,
                "2023-01-20",
            ));
        }
        // 300 registered: 10 returned, 240 concluded, 50 still pending at the end.
        for _ in 0..10 {
            all.push(concluded(
                mediation(next(), "2023-01-05", None),
                Outcome::Returned,
                "2023-01-06",
            ));
        }
        // 240 concluded: 142 succeeded, 18 withdrawn, 80 failed; 28 of the failed late (accepted
        // 01-03, deadline 02-02, concluded 02-10).
        for k in 0..240 {
            let (outcome, on) = match k {
                0..142 => (Outcome::Succeeded, "2023-01-20"),
                142..160 => (Outcome::Withdrawn, "2023-01-20"),
                160..212 => (Outcome::Failed, "2023-01-20"),
                _ => (Outcome::Failed, "2023-02-10"),
            };
            all.push(concluded(
                mediation(next(), "2023-01-03", Some("2023-01-03")),
                outcome,
                on,
            ));
        }
        for _ in 0..50 {
            all.push(mediation(next(), "2023-03-25", None));
        }
        all
    }

    fn query<'a>(by: GroupBy, in_scope: &'a dyn Fn(&str) -> bool) -> IndicatorQuery<'a> {
        IndicatorQuery {
            from: d("2023-01-01"),
            to: d("2023-03-31"),
            as_of: d("2023-03-31"),
            by,
            kind: KindFilter::All,
            in_scope,
            case_filed: &|_| None,
        }
    }

    #[test]
    fn the_worked_example_of_section_1_4() {
        let all = example();
        let in_scope = |c: &str| c.starts_with("鲁01");
        let (base, rows) = compute_compared(
            &all,
            &BTreeMap::new(),
            &query(GroupBy::None, &in_scope),
            Compare::Yoy,
            "鲁0102",
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
        );
        assert_eq!(
            base,
            Some((d("2022-01-01"), d("2022-03-31"), d("2022-03-31")))
        );
        let r = &rows[0];
        let i = &r.indicators;
        assert_eq!(r.key, "鲁0102");
        assert_eq!(
            (i.carried_over, i.registered, i.returned, i.concluded),
            (40, 300, 10, 280)
        );
        assert_eq!((i.succeeded, i.withdrawn, i.failed), (182, 18, 80));
        assert_eq!(i.pending_end, 50);
        assert_eq!(
            i.carried_over + i.registered - i.concluded - i.returned,
            i.pending_end
        );
        assert_eq!(i.success_rate, Some(0.65));
        assert_eq!(i.within_limit_rate, Some(0.9));
        assert_eq!(i.overdue_concluded, 28);
        let b = r.base.as_ref().unwrap();
        assert_eq!(
            (b.concluded, b.succeeded, b.success_rate),
            (250, 157, Some(0.628))
        );
        let c = r.change.as_ref().unwrap();
        assert_eq!(c["succeeded"], Some(0.1592));
        assert_eq!(c["concluded"], Some(0.12));
        assert_eq!(c["success_rate"], Some(0.022));
        // Outside the scope: nothing.
        let nowhere = |_: &str| false;
        let rows = compute(
            &all,
            &BTreeMap::new(),
            &query(GroupBy::None, &nowhere),
            "鲁02",
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
        );
        assert_eq!(rows[0].indicators, MediationIndicators::default());
    }

    #[test]
    fn months_hold_their_own_flows_and_sum_to_the_period() {
        let all = example();
        let in_scope = |_: &str| true;
        let cal = HolidayCalendar::builtin();
        let settings = MediationSettings::default();
        let rows = compute(
            &all,
            &BTreeMap::new(),
            &query(GroupBy::Month, &in_scope),
            "",
            &cal,
            &settings,
        );
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["2023-01", "2023-02", "2023-03"]);
        let concluded: Vec<u64> = rows.iter().map(|r| r.indicators.concluded).collect();
        assert_eq!(concluded, [252, 28, 0]);
        assert_eq!(rows[2].indicators.registered, 50);
        assert_eq!(rows[2].indicators.pending_end, 50);
        assert_eq!(rows[0].indicators.carried_over, 40);
    }

    /// avg_days of the three examples of §1.3 (41, 20 and 13 net days).
    #[test]
    fn average_days_leave_out_the_appraisal() {
        let cal = HolidayCalendar::builtin();
        let a = concluded(
            mediation(1, "2023-03-15", Some("2023-03-15")),
            Outcome::Succeeded,
            "2023-05-05",
        );
        let b = concluded(
            mediation(2, "2023-09-01", Some("2023-09-01")),
            Outcome::Succeeded,
            "2023-09-21",
        );
        let mut c = concluded(
            mediation(3, "2023-06-20", Some("2023-06-20")),
            Outcome::Succeeded,
            "2023-07-03",
        );
        c.kind = MediationKind::Entrusted;
        let mut events = BTreeMap::new();
        events.insert(
            "M1".to_owned(),
            vec![
                MediationEvent {
                    mediation_id: "M1".into(),
                    kind: EventKind::Appraisal,
                    date: d("2023-03-20"),
                    end_date: Some(d("2023-03-29")),
                    days: None,
                    mediator_id: None,
                    reason: None,
                },
                MediationEvent {
                    mediation_id: "M1".into(),
                    kind: EventKind::Extension,
                    date: d("2023-04-20"),
                    end_date: None,
                    days: Some(15),
                    mediator_id: None,
                    reason: None,
                },
            ],
        );
        let in_scope = |_: &str| true;
        let q = IndicatorQuery {
            from: d("2023-01-01"),
            to: d("2023-12-31"),
            as_of: d("2023-12-31"),
            by: GroupBy::None,
            kind: KindFilter::All,
            in_scope: &in_scope,
            case_filed: &|_| None,
        };
        let rows = compute(
            &[a, b, c],
            &events,
            &q,
            "鲁0102",
            &cal,
            &MediationSettings::default(),
        );
        let i = &rows[0].indicators;
        assert_eq!(i.avg_days, Some(24.67));
        // M1 concluded 05-05 by its extended deadline 05-09; all three in time.
        assert_eq!(i.within_limit_rate, Some(1.0));
        // --kind pre leaves the 委托 one out.
        let pre = IndicatorQuery {
            kind: KindFilter::Pre,
            ..q
        };
        let a = concluded(
            mediation(1, "2023-03-15", Some("2023-03-15")),
            Outcome::Succeeded,
            "2023-05-05",
        );
        let rows = compute(
            &[a],
            &events,
            &pre,
            "鲁0102",
            &cal,
            &MediationSettings::default(),
        );
        assert_eq!(rows[0].indicators.succeeded, 1);
    }

    #[test]
    fn acceptance_and_filing_are_obligations_of_the_period_of_their_deadline() {
        let cal = HolidayCalendar::builtin();
        // Referred 2023-06-21, due 06-27: accepted 06-26 (met); another declined on 06-28 (late).
        let mut met = mediation(1, "2023-06-20", None);
        met.referred_date = Some(d("2023-06-21"));
        met.accepted_date = Some(d("2023-06-26"));
        let mut late = mediation(2, "2023-06-20", None);
        late.referred_date = Some(d("2023-06-21"));
        let mut events = BTreeMap::new();
        events.insert(
            "M2".to_owned(),
            vec![MediationEvent {
                mediation_id: "M2".into(),
                kind: EventKind::NotAccepted,
                date: d("2023-06-28"),
                end_date: None,
                days: None,
                mediator_id: None,
                reason: Some("案情复杂".into()),
            }],
        );
        // Failed 09-20, wants to sue: filing due 09-27; filed 09-25 on time.
        let mut failed = concluded(
            mediation(3, "2023-09-01", Some("2023-09-01")),
            Outcome::Failed,
            "2023-09-20",
        );
        failed.filed_case_number = Some("（2023）鲁0102民初500号".into());
        let in_scope = |_: &str| true;
        let filed = |n: &str| (n == "（2023）鲁0102民初500号").then(|| d("2023-09-25"));
        let q = IndicatorQuery {
            from: d("2023-06-01"),
            to: d("2023-09-30"),
            as_of: d("2023-09-30"),
            by: GroupBy::None,
            kind: KindFilter::All,
            in_scope: &in_scope,
            case_filed: &filed,
        };
        let rows = compute(
            &[met, late, failed],
            &events,
            &q,
            "k",
            &cal,
            &MediationSettings::default(),
        );
        let i = &rows[0].indicators;
        // Three referrals due in the period (the failed one was referred and accepted on 09-01):
        // two met.
        assert_eq!(i.accept_on_time_rate, Some(0.6667));
        assert_eq!(i.filing_on_time_rate, Some(1.0));
        assert_eq!(i.filed_after_failure, 1);
    }
}
