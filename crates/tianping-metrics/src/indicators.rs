//! The indicator engine: every indicator of `indicators.md` for a period, an as-of date, a scope
//! and a grouping, in one pass over the snapshot's columns.

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::dates::{from_day_number, to_day_number};
use tianping_domain::time_limit::{Limit, compute_deadline};
use tianping_domain::{CaseClass, ClosingMode, Instance, TypeCode};

use crate::snapshot::{NEVER, NO_TYPE, NONE_ID, Snapshot, flag, mode_of};

/// How rows are grouped (`--by`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    None,
    Court,
    Division,
    Judge,
    Class,
    TypeCode,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<GroupBy> {
        Some(match text {
            "none" => GroupBy::None,
            "court" => GroupBy::Court,
            "division" => GroupBy::Division,
            "judge" => GroupBy::Judge,
            "class" => GroupBy::Class,
            "type_code" => GroupBy::TypeCode,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Court => "court",
            GroupBy::Division => "division",
            GroupBy::Judge => "judge",
            GroupBy::Class => "class",
            GroupBy::TypeCode => "type_code",
        }
    }
}

/// The question.
#[derive(Debug, Clone)]
pub struct IndicatorQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Linked outcomes (appeals, reversals) known on this date; default `to`.
    pub as_of: NaiveDate,
    /// A court code: that court and all below; `None`: every court.
    pub scope: Option<String>,
    pub by: GroupBy,
}

/// Every indicator of indicators.md, in its order. Rates are fractions rounded to 4 decimals,
/// days and yuan to 2; `None` (JSON `null`) where the denominator is 0, and for the
/// Chinese-only indicators of a group that holds only cases without a type code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Indicators {
    pub filed: u64,
    pub closed: u64,
    pub carried_over: u64,
    pub pending_end: u64,
    pub closure_ratio: Option<f64>,
    pub clearance_rate: Option<f64>,
    pub disposition_time_days: Option<f64>,
    pub avg_duration_days: Option<f64>,
    pub median_duration_days: Option<f64>,
    pub limited_closed: Option<u64>,
    pub within_limit_rate: Option<f64>,
    pub within_normal_limit_rate: Option<f64>,
    pub extension_rate: Option<f64>,
    pub overdue_pending: Option<u64>,
    pub pending_over_12m: u64,
    pub pending_over_18m: u64,
    pub pending_over_36m: u64,
    pub over_12m_ratio: Option<f64>,
    pub first_closed: Option<u64>,
    pub appealed: Option<u64>,
    pub appeal_rate: Option<f64>,
    pub acceptance_rate: Option<f64>,
    pub reversed_remanded: Option<u64>,
    pub reversal_remand_rate: Option<f64>,
    pub mediation_withdrawal_rate: Option<f64>,
    pub enforcement_closed: Option<u64>,
    pub completion_rate: Option<f64>,
    pub actual_enforcement_rate: Option<f64>,
    pub termination_rate: Option<f64>,
    pub recovered_amount: Option<f64>,
    pub recovery_rate: Option<f64>,
    pub case_matter_ratio: Option<f64>,
    pub same_day_registration_rate: Option<f64>,
    pub registration_within_7d_rate: Option<f64>,
    pub age_0_6m: u64,
    pub age_6_12m: u64,
    pub age_12_18m: u64,
    pub age_18_36m: u64,
    pub age_over_36m: u64,
}

/// The ids of every indicator, in order (the JSON keys of [`Indicators`]).
pub const INDICATOR_IDS: [&str; 39] = [
    "filed",
    "closed",
    "carried_over",
    "pending_end",
    "closure_ratio",
    "clearance_rate",
    "disposition_time_days",
    "avg_duration_days",
    "median_duration_days",
    "limited_closed",
    "within_limit_rate",
    "within_normal_limit_rate",
    "extension_rate",
    "overdue_pending",
    "pending_over_12m",
    "pending_over_18m",
    "pending_over_36m",
    "over_12m_ratio",
    "first_closed",
    "appealed",
    "appeal_rate",
    "acceptance_rate",
    "reversed_remanded",
    "reversal_remand_rate",
    "mediation_withdrawal_rate",
    "enforcement_closed",
    "completion_rate",
    "actual_enforcement_rate",
    "termination_rate",
    "recovered_amount",
    "recovery_rate",
    "case_matter_ratio",
    "same_day_registration_rate",
    "registration_within_7d_rate",
    "age_0_6m",
    "age_6_12m",
    "age_12_18m",
    "age_18_36m",
    "age_over_36m",
];

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub key: String,
    pub label: String,
    pub indicators: Indicators,
}

/// Counters of one group, filled in one pass.
#[derive(Debug, Clone, Default)]
struct Acc {
    filed: u64,
    closed: u64,
    carried_over: u64,
    pending_end: u64,
    duration_sum: i64,
    durations: Vec<i32>,
    typed: u64,
    limited_closed: u64,
    within: u64,
    within_normal: u64,
    extended: u64,
    overdue_pending: u64,
    over: [u64; 3],
    ages: [u64; 5],
    first_closed: u64,
    appealed: u64,
    reversed: u64,
    civil_first_closed: u64,
    civil_first_mediated: u64,
    enforcement_closed: u64,
    completed: u64,
    settled: u64,
    terminated: u64,
    // Fen, summed in 128 bits: a province of cases at the largest amount an import accepts
    // (one trillion yuan each) would overflow 64.
    recovered: i128,
    enforcement_recovered: i128,
    enforcement_claim: i128,
    matters: u64,
    derived: u64,
    with_received: u64,
    same_day: u64,
    within_7d: u64,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| round(num as f64 / den as f64, 4))
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

impl Acc {
    fn merge(&mut self, o: Acc) {
        self.filed += o.filed;
        self.closed += o.closed;
        self.carried_over += o.carried_over;
        self.pending_end += o.pending_end;
        self.duration_sum += o.duration_sum;
        self.durations.extend(o.durations);
        self.typed += o.typed;
        self.limited_closed += o.limited_closed;
        self.within += o.within;
        self.within_normal += o.within_normal;
        self.extended += o.extended;
        self.overdue_pending += o.overdue_pending;
        for k in 0..3 {
            self.over[k] += o.over[k];
        }
        for k in 0..5 {
            self.ages[k] += o.ages[k];
        }
        self.first_closed += o.first_closed;
        self.appealed += o.appealed;
        self.reversed += o.reversed;
        self.civil_first_closed += o.civil_first_closed;
        self.civil_first_mediated += o.civil_first_mediated;
        self.enforcement_closed += o.enforcement_closed;
        self.completed += o.completed;
        self.settled += o.settled;
        self.terminated += o.terminated;
        self.recovered += o.recovered;
        self.enforcement_recovered += o.enforcement_recovered;
        self.enforcement_claim += o.enforcement_claim;
        self.matters += o.matters;
        self.derived += o.derived;
        self.with_received += o.with_received;
        self.same_day += o.same_day;
        self.within_7d += o.within_7d;
    }

    fn finish(mut self, days_in_period: i64) -> Indicators {
        let typed = self.typed > 0;
        let t = |v: u64| typed.then_some(v);
        let tr = |num: u64, den: u64| if typed { ratio(num, den) } else { None };
        let median = if self.durations.is_empty() {
            None
        } else {
            let n = self.durations.len();
            let (_, upper, _) = self.durations.select_nth_unstable(n / 2);
            let upper = *upper as f64;
            if n % 2 == 1 {
                Some(upper)
            } else {
                let lower = *self.durations[..n / 2].iter().max().unwrap() as f64;
                Some((lower + upper) / 2.0)
            }
        };
        Indicators {
            filed: self.filed,
            closed: self.closed,
            carried_over: self.carried_over,
            pending_end: self.pending_end,
            closure_ratio: ratio(self.closed, self.filed),
            clearance_rate: ratio(self.closed, self.carried_over + self.filed),
            disposition_time_days: (self.closed > 0).then(|| {
                round(
                    days_in_period as f64 * self.pending_end as f64 / self.closed as f64,
                    2,
                )
            }),
            avg_duration_days: (self.closed > 0)
                .then(|| round(self.duration_sum as f64 / self.closed as f64, 2)),
            median_duration_days: median,
            limited_closed: t(self.limited_closed),
            within_limit_rate: tr(self.within, self.limited_closed),
            within_normal_limit_rate: tr(self.within_normal, self.limited_closed),
            extension_rate: tr(self.extended, self.limited_closed),
            overdue_pending: t(self.overdue_pending),
            pending_over_12m: self.over[0],
            pending_over_18m: self.over[1],
            pending_over_36m: self.over[2],
            over_12m_ratio: ratio(self.over[0], self.pending_end),
            first_closed: t(self.first_closed),
            appealed: t(self.appealed),
            appeal_rate: tr(self.appealed, self.first_closed),
            acceptance_rate: if typed && self.first_closed > 0 {
                Some(round(
                    1.0 - self.appealed as f64 / self.first_closed as f64,
                    4,
                ))
            } else {
                None
            },
            reversed_remanded: t(self.reversed),
            reversal_remand_rate: tr(self.reversed, self.first_closed),
            mediation_withdrawal_rate: tr(self.civil_first_mediated, self.civil_first_closed),
            enforcement_closed: t(self.enforcement_closed),
            completion_rate: tr(self.completed, self.enforcement_closed),
            actual_enforcement_rate: tr(self.completed + self.settled, self.enforcement_closed),
            termination_rate: tr(self.terminated, self.enforcement_closed),
            recovered_amount: typed.then(|| self.recovered as f64 / 100.0),
            recovery_rate: if typed && self.enforcement_claim > 0 {
                Some(round(
                    self.enforcement_recovered as f64 / self.enforcement_claim as f64,
                    4,
                ))
            } else {
                None
            },
            // Matters are cases with a Chinese type code: no `typed` check needed (and by court
            // they may lie in the courts below).
            case_matter_ratio: if self.matters > 0 {
                Some(round(
                    (self.matters + self.derived) as f64 / self.matters as f64,
                    4,
                ))
            } else {
                None
            },
            same_day_registration_rate: ratio(self.same_day, self.with_received),
            registration_within_7d_rate: ratio(self.within_7d, self.with_received),
            age_0_6m: self.ages[0],
            age_6_12m: self.ages[1],
            age_12_18m: self.ages[2],
            age_18_36m: self.ages[3],
            age_over_36m: self.ages[4],
        }
    }
}

/// Per-type facts the pass needs, looked up once per type code instead of once per case.
#[derive(Clone, Copy, Default)]
struct TypeFacts {
    /// 民诉前调: in no case set of any indicator (indicators.md, "Case sets").
    outside_case_sets: bool,
    instance: Option<Instance>,
    is_enforcement_first: bool,
    is_enforcement_recovery: bool,
    is_civil_first: bool,
    is_matter: bool,
    is_derived: bool,
}

fn type_facts() -> Vec<TypeFacts> {
    let mut facts = vec![TypeFacts::default(); TypeCode::all().count()];
    for tc in TypeCode::all() {
        let instance = tc.instance();
        facts[tc.index() as usize] = TypeFacts {
            outside_case_sets: !tc.in_indicator_case_sets(),
            instance: Some(instance),
            is_enforcement_first: tc.as_str() == "执",
            is_enforcement_recovery: matches!(tc.as_str(), "执" | "执恢"),
            is_civil_first: tc.as_str() == "民初",
            is_matter: instance == Instance::First,
            is_derived: matches!(
                instance,
                Instance::Second
                    | Instance::Supervision
                    | Instance::Retrial
                    | Instance::EnforcementFirst
                    | Instance::EnforcementResumed
                    | Instance::EnforcementReview
            ),
        };
    }
    facts
}

/// Why a query cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("--from {from} is after --to {to}")]
    EmptyPeriod { from: NaiveDate, to: NaiveDate },
    #[error("unknown court '{0}' (未知的法院代码)")]
    UnknownScope(String),
}

/// Compute the rows, sorted by key (Unicode order).
pub fn compute(
    snapshot: &Snapshot,
    query: &IndicatorQuery,
) -> Result<Vec<IndicatorRow>, QueryError> {
    compute_for_judge(snapshot, query, None)
}

/// A judge (承办人) as the case data knows one: a name within one court. Names repeat across
/// courts (a 中院 judge and a basic court judge may share one), so the name alone never picks a
/// judge's cases: only the cases of `court` itself whose judge is `name` are theirs, never the
/// cases of the courts below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JudgeFilter<'a> {
    pub court: &'a str,
    pub name: &'a str,
}

/// The same, over one judge's own cases only when `judge` is given: what a judge's own view
/// shows (within the query's scope as well). A name or court no case carries gives the empty
/// answer.
pub fn compute_for_judge(
    snapshot: &Snapshot,
    query: &IndicatorQuery,
    judge: Option<JudgeFilter<'_>>,
) -> Result<Vec<IndicatorRow>, QueryError> {
    if query.from > query.to {
        return Err(QueryError::EmptyPeriod {
            from: query.from,
            to: query.to,
        });
    }
    let scope = match &query.scope {
        Some(code) => match snapshot.court_lookup(code) {
            Some(id) => Some(id),
            None if snapshot.court_table().get(code).is_some() => {
                // A court of the table nothing is recorded for: an empty answer, not an error.
                return Ok(vec![IndicatorRow {
                    key: code.clone(),
                    label: snapshot.court_table().name_of(code).to_owned(),
                    indicators: Acc::default().finish(0),
                }]
                .into_iter()
                .filter(|_| query.by == GroupBy::None)
                .collect());
            }
            None => return Err(QueryError::UnknownScope(code.clone())),
        },
        None => None,
    };
    let from = to_day_number(query.from);
    let to = to_day_number(query.to);
    let as_of = to_day_number(query.as_of);
    let days_in_period = i64::from(to - from + 1);
    let types = type_facts();

    // Which courts are in scope, by interned id.
    let in_scope: Vec<bool> = (0..snapshot.court_ancestors.len() as u32)
        .map(|c| scope.is_none_or(|s| snapshot.court_within(c, s)))
        .collect();

    // `NONE_ID` never matches: cases without a judge are nobody's own cases. A court no case
    // names gets an id no case has.
    let judge_id = judge.map(|j| {
        (
            snapshot.court_lookup(j.court).unwrap_or(u32::MAX),
            snapshot.names.lookup(j.name).unwrap_or(NONE_ID),
        )
    });
    let pass = Pass {
        snapshot,
        by: query.by,
        from,
        to,
        as_of,
        in_scope: &in_scope,
        judge_id,
        types: &types,
    };
    // Two halves on two threads for large snapshots (the machine's cores); one pass otherwise.
    let n = snapshot.len();
    let parts: Vec<Groups> = if n >= 200_000 {
        let mid = n / 2;
        std::thread::scope(|scope| {
            let first = scope.spawn(|| pass.run(0..mid));
            let second = pass.run(mid..n);
            vec![first.join().expect("indicator pass"), second]
        })
    } else {
        vec![pass.run(0..n)]
    };
    let mut merged = Groups::default();
    for part in parts {
        merged.merge(part);
    }
    let Groups {
        keys: groups,
        mut accs,
        ..
    } = merged;
    if query.by == GroupBy::Court {
        count_matters_over_each_courts_scope(snapshot, &groups, &mut accs);
    }

    let mut rows: Vec<IndicatorRow> = groups
        .into_iter()
        .zip(accs)
        .map(|(key, acc)| {
            let (key, label) = group_label(snapshot, query, key);
            IndicatorRow {
                key,
                label,
                indicators: acc.finish(days_in_period),
            }
        })
        .collect();
    if query.by == GroupBy::None && rows.is_empty() {
        let (key, label) = group_label(snapshot, query, (0, 0));
        rows.push(IndicatorRow {
            key,
            label,
            indicators: Acc::default().finish(days_in_period),
        });
    }
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(rows)
}

/// 案件比 by court counts each court's whole 辖区 (indicators.md, "Intake indicators"): the
/// derived cases of a matter (appeals, retrials, enforcement) are filed in the courts above the
/// one where it began, so an upper court's own cases alone would give 3 or more for every 中院.
/// Each court row's matters and derived cases become the sums over the rows of the courts within
/// it (the rows are already limited to the scope).
fn count_matters_over_each_courts_scope(
    snapshot: &Snapshot,
    keys: &[(u32, u32)],
    accs: &mut [Acc],
) {
    let own: Vec<(u64, u64)> = accs.iter().map(|a| (a.matters, a.derived)).collect();
    for (acc, &(court, _)) in accs.iter_mut().zip(keys) {
        let (mut matters, mut derived) = (0, 0);
        for (&(other, _), &(m, d)) in keys.iter().zip(&own) {
            if snapshot.court_within(other, court) {
                matters += m;
                derived += d;
            }
        }
        acc.matters = matters;
        acc.derived = derived;
    }
}

/// Accumulators by group key, in first-seen order.
#[derive(Default)]
struct Groups {
    keys: Vec<(u32, u32)>,
    accs: Vec<Acc>,
    /// Dense slots for keys whose first part is small (court, class, type code); a map for the
    /// rest (division, judge): no hashing on the common path.
    dense: Vec<u32>,
    sparse: rustc_hash::FxHashMap<(u32, u32), usize>,
}

impl Groups {
    fn acc(&mut self, key: (u32, u32)) -> &mut Acc {
        let dense = key.1 == 0 && key.0 < 1 << 20;
        let slot = if dense {
            let k = key.0 as usize;
            if self.dense.len() <= k {
                self.dense.resize(k + 1, u32::MAX);
            }
            self.dense[k]
        } else {
            self.sparse.get(&key).map_or(u32::MAX, |&g| g as u32)
        };
        let g = if slot == u32::MAX {
            let g = self.accs.len();
            self.keys.push(key);
            self.accs.push(Acc::default());
            if dense {
                self.dense[key.0 as usize] = g as u32;
            } else {
                self.sparse.insert(key, g);
            }
            g
        } else {
            slot as usize
        };
        &mut self.accs[g]
    }

    fn merge(&mut self, other: Groups) {
        for (key, acc) in other.keys.into_iter().zip(other.accs) {
            self.acc(key).merge(acc);
        }
    }
}

/// One pass of the engine over a range of cases.
struct Pass<'a> {
    snapshot: &'a Snapshot,
    by: GroupBy,
    from: i32,
    to: i32,
    as_of: i32,
    in_scope: &'a [bool],
    /// (court, name) of the judge whose own cases count.
    judge_id: Option<(u32, u32)>,
    types: &'a [TypeFacts],
}

impl Pass<'_> {
    fn run(&self, range: std::ops::Range<usize>) -> Groups {
        let (snapshot, from, to, as_of, types) =
            (self.snapshot, self.from, self.to, self.as_of, self.types);
        let mut groups = Groups::default();
        for i in range {
            let filed = snapshot.filed[i];
            let closed = snapshot.closed[i];
            if filed > to || closed < from {
                continue; // neither filed, closed, carried over nor pending in the period
            }
            let court = snapshot.court[i];
            if !self.in_scope[court as usize] {
                continue;
            }
            if let Some((c, j)) = self.judge_id
                && (court != c || j == NONE_ID || snapshot.judge[i] != j)
            {
                continue;
            }
            if snapshot.type_code[i] != NO_TYPE
                && types[snapshot.type_code[i] as usize].outside_case_sets
            {
                continue;
            }
            let key: (u32, u32) = match self.by {
                GroupBy::None => (0, 0),
                GroupBy::Court => (court, 0),
                GroupBy::Division => (court, snapshot.division[i]),
                GroupBy::Judge => (court, snapshot.judge[i]),
                GroupBy::Class => (
                    TypeCode::from_index(snapshot.type_code[i])
                        .map_or(u32::MAX, |t| t.class() as u32),
                    0,
                ),
                GroupBy::TypeCode => {
                    if snapshot.type_code[i] == NO_TYPE {
                        (u32::MAX, snapshot.type_name[i])
                    } else {
                        (u32::from(snapshot.type_code[i]), 0)
                    }
                }
            };
            let acc = groups.acc(key);
            let tf = if snapshot.type_code[i] == NO_TYPE {
                TypeFacts::default()
            } else {
                acc.typed += 1;
                types[snapshot.type_code[i] as usize]
            };
            let flags = snapshot.flags[i];
            let is_filed = filed >= from;
            let is_closed = closed >= from && closed <= to;
            let is_carried = filed < from;
            let is_pending = closed > to;

            if is_filed {
                acc.filed += 1;
                if tf.is_matter {
                    acc.matters += 1;
                }
                if tf.is_derived {
                    acc.derived += 1;
                }
                if flags & flag::HAS_RECEIVED != 0 {
                    let lag = filed - snapshot.received[i];
                    acc.with_received += 1;
                    if lag == 0 {
                        acc.same_day += 1;
                    }
                    if lag <= 7 {
                        acc.within_7d += 1;
                    }
                }
            }
            if is_carried {
                acc.carried_over += 1;
            }
            if is_closed {
                acc.closed += 1;
                let duration = snapshot.net_duration[i];
                acc.duration_sum += i64::from(duration);
                acc.durations.push(duration);
                if flags & flag::LIMITED != 0 {
                    acc.limited_closed += 1;
                    if flags & flag::CLOSED_WITHIN != 0 {
                        acc.within += 1;
                    }
                    if flags & flag::CLOSED_WITHIN_NORMAL != 0 {
                        acc.within_normal += 1;
                    }
                    if flags & flag::CLOSED_EXTENDED != 0 {
                        acc.extended += 1;
                    }
                }
                let mode = mode_of(snapshot.closing_mode[i]);
                if tf.instance == Some(Instance::First) {
                    acc.first_closed += 1;
                    if snapshot.appeal_known[i] <= as_of {
                        acc.appealed += 1;
                    }
                    if snapshot.reversed_at[i] <= as_of {
                        acc.reversed += 1;
                    }
                }
                if tf.is_civil_first {
                    acc.civil_first_closed += 1;
                    if matches!(mode, Some(ClosingMode::Mediation | ClosingMode::Withdrawal)) {
                        acc.civil_first_mediated += 1;
                    }
                }
                if tf.is_enforcement_recovery {
                    acc.recovered += i128::from(snapshot.recovered[i]);
                }
                if tf.is_enforcement_first {
                    acc.enforcement_closed += 1;
                    acc.enforcement_recovered += i128::from(snapshot.recovered[i]);
                    acc.enforcement_claim += i128::from(snapshot.claim[i]);
                    match mode {
                        Some(ClosingMode::EnforcementCompleted) => acc.completed += 1,
                        Some(ClosingMode::EnforcementSettlement) => acc.settled += 1,
                        Some(ClosingMode::TerminationOfThisRound) => acc.terminated += 1,
                        _ => {}
                    }
                }
            }
            if is_pending {
                acc.pending_end += 1;
                let m = snapshot.months[i];
                for (k, threshold) in [m[1], m[2], m[3]].into_iter().enumerate() {
                    if to > threshold {
                        acc.over[k] += 1;
                    }
                }
                let bucket = m.iter().take_while(|&&threshold| to > threshold).count();
                acc.ages[bucket] += 1;
                if flags & flag::LIMITED != 0 {
                    let deadline =
                        if snapshot.static_deadline[i] != NEVER && to >= snapshot.settled_from[i] {
                            snapshot.static_deadline[i]
                        } else {
                            pending_deadline(snapshot, i, to)
                        };
                    if deadline < to {
                        acc.overdue_pending += 1;
                    }
                }
            }
        }
        groups
    }
}

/// The deadline of a pending case with events, with events counted up to `to`.
fn pending_deadline(snapshot: &Snapshot, i: usize, to: i32) -> i32 {
    let computed;
    let facts = match snapshot.event_facts.get(&(i as u32)) {
        Some(facts) => facts,
        None => {
            computed = snapshot.facts(i);
            &computed
        }
    };
    match compute_deadline(
        facts,
        from_day_number(to),
        &snapshot.calendar,
        &snapshot.settings,
    ) {
        Limit::Some(d) => to_day_number(d.deadline),
        Limit::None(_) => NEVER,
    }
}

/// Missing divisions and judges are shown as this.
pub const UNASSIGNED: &str = "未填写";

fn group_label(
    snapshot: &Snapshot,
    query: &IndicatorQuery,
    (a, b): (u32, u32),
) -> (String, String) {
    let court_code = |id: u32| snapshot.court_codes.get(id).to_owned();
    let name = |id: u32| {
        if id == NONE_ID {
            UNASSIGNED.to_owned()
        } else {
            snapshot.names.get(id).to_owned()
        }
    };
    match query.by {
        GroupBy::None => {
            let key = query.scope.clone().unwrap_or_else(|| "all".to_owned());
            let label = match &query.scope {
                Some(code) => snapshot.court_table().name_of(code).to_owned(),
                None => "全部法院".to_owned(),
            };
            (key, label)
        }
        GroupBy::Court => {
            let code = court_code(a);
            let label = snapshot.court_table().name_of(&code).to_owned();
            (code, label)
        }
        GroupBy::Division | GroupBy::Judge => {
            let code = court_code(a);
            let label = format!("{} {}", snapshot.court_table().name_of(&code), name(b));
            (format!("{code}/{}", name(b)), label)
        }
        GroupBy::Class => match CaseClass::ALL.get(a as usize) {
            Some(class) => (class.id().to_owned(), class.name_zh().to_owned()),
            None => ("unclassified".to_owned(), "无类型代字".to_owned()),
        },
        GroupBy::TypeCode => match TypeCode::from_index(a.min(u32::from(u16::MAX)) as u16) {
            Some(tc) if a != u32::MAX => (tc.as_str().to_owned(), tc.info().meaning_zh.clone()),
            _ => {
                let n = name(b);
                (n.clone(), n)
            }
        },
    }
}
