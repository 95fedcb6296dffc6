//! The indicators of petitions (`workflows.md` §2.5, `tianping petitions indicators`): petition
//! counts by the petition's court and its date of receipt, two obligation rates (§0.4: an
//! obligation belongs to the period that holds its deadline), and the matter figures of
//! 三降两升 (total, stock at the end and new matters down; resolved matters and the resolution
//! rate up) against a base period. Everything is known at the as-of date `A`.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;

use super::limits::{PetitionSettings, ack_obligation, handling_obligation, obligations};
use super::matters::MatterView;
use super::model::Petition;
use crate::core::compare::{Compare, base_period};
use crate::core::figures::{changes, months, ratio};

/// How rows are grouped (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    None,
    Court,
    Channel,
    Nature,
    Month,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<GroupBy> {
        Some(match text {
            "none" => GroupBy::None,
            "court" => GroupBy::Court,
            "channel" => GroupBy::Channel,
            "nature" => GroupBy::Nature,
            "month" => GroupBy::Month,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Court => "court",
            GroupBy::Channel => "channel",
            GroupBy::Nature => "nature",
            GroupBy::Month => "month",
        }
    }

    /// Whether matters have a key in this grouping (they have no channel or nature).
    fn groups_matters(self) -> bool {
        !matches!(self, GroupBy::Channel | GroupBy::Nature)
    }
}

/// Every indicator of §2.5; a rate is `None` where its denominator is 0, a matter figure
/// `None` where the grouping does not apply to matters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PetitionIndicators {
    pub received: u64,
    pub visitors: u64,
    pub litigation_related: u64,
    pub collective_visits: u64,
    pub leader_visitors: u64,
    pub repeat: u64,
    pub repeat_rate: Option<f64>,
    pub procedural_reply_rate: Option<f64>,
    pub substantive_reply_rate: Option<f64>,
    pub ack_on_time_rate: Option<f64>,
    pub handling_on_time_rate: Option<f64>,
    pub overdue_open: u64,
    pub concluded: u64,
    pub matter_stock_start: Option<u64>,
    pub matter_new: Option<u64>,
    pub matter_total: Option<u64>,
    pub matter_resolved: Option<u64>,
    pub matter_stock_end: Option<u64>,
    pub matter_resolution_rate: Option<f64>,
    pub stock_resolution_rate: Option<f64>,
    pub three_down_two_up: Option<bool>,
}

/// The ids that are rates (their change is a difference, not relative).
pub const RATE_IDS: [&str; 7] = [
    "repeat_rate",
    "procedural_reply_rate",
    "substantive_reply_rate",
    "ack_on_time_rate",
    "handling_on_time_rate",
    "matter_resolution_rate",
    "stock_resolution_rate",
];

/// What the indicators are asked for.
#[allow(missing_debug_implementations)]
pub struct IndicatorQuery<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub by: GroupBy,
    /// Count every matter, not only the 涉诉 ones (`--all-matters`).
    pub all_matters: bool,
    /// Whether a court is within the scope.
    pub in_scope: &'a dyn Fn(&str) -> bool,
}

/// What the figures are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub petitions: &'a [Petition],
    pub matters: &'a [MatterView],
    /// The ids of the repeat petitions ([`super::matters::repeats`]).
    pub repeats: &'a HashSet<String>,
    pub calendar: &'a HolidayCalendar,
    pub settings: &'a PetitionSettings,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    i: PetitionIndicators,
    not_anonymous: u64,
    acknowledged: u64,
    answered: u64,
    ack_due: u64,
    ack_on_time: u64,
    handling_due: u64,
    handling_on_time: u64,
    matters: Option<MatterAcc>,
}

#[derive(Debug, Default, Clone, Copy)]
struct MatterAcc {
    stock_start: u64,
    new: u64,
    resolved: u64,
    stock_resolved: u64,
}

impl Acc {
    fn finish(self) -> PetitionIndicators {
        let mut i = self.i;
        i.repeat_rate = ratio(i.repeat, i.received);
        i.procedural_reply_rate = ratio(self.acknowledged, self.not_anonymous);
        i.substantive_reply_rate = ratio(self.answered, self.not_anonymous);
        i.ack_on_time_rate = ratio(self.ack_on_time, self.ack_due);
        i.handling_on_time_rate = ratio(self.handling_on_time, self.handling_due);
        if let Some(m) = self.matters {
            let total = m.stock_start + m.new;
            i.matter_stock_start = Some(m.stock_start);
            i.matter_new = Some(m.new);
            i.matter_total = Some(total);
            i.matter_resolved = Some(m.resolved);
            i.matter_stock_end = Some(total.saturating_sub(m.resolved));
            i.matter_resolution_rate = ratio(m.resolved, total);
            i.stock_resolution_rate = ratio(m.stock_resolved, m.stock_start);
        }
        i
    }
}

/// Add petition `p` to `acc` for `[from, to]` known at `as_of` (`stock_at`: the day the stock
/// figures are taken, the period's end for a month, else `as_of`).
fn count_petition(
    acc: &mut Acc,
    p: &Petition,
    (from, to, as_of, stock_at): (NaiveDate, NaiveDate, NaiveDate, NaiveDate),
    src: &Sources<'_>,
) {
    let in_p = |d: NaiveDate| from <= d && d <= to;
    let i = &mut acc.i;
    if in_p(p.received_date) {
        i.received += 1;
        if p.channel == super::model::Channel::Visit {
            i.visitors += u64::from(p.persons);
            if p.leader_received {
                i.leader_visitors += u64::from(p.persons);
            }
        }
        if p.is_collective_visit() {
            i.collective_visits += 1;
        }
        if p.litigation_related {
            i.litigation_related += 1;
        }
        if src.repeats.contains(&p.petition_id) {
            i.repeat += 1;
        }
        if !p.anonymous {
            acc.not_anonymous += 1;
            if p.ack_at(as_of).is_some() {
                acc.acknowledged += 1;
            }
            if p.concluded_at(as_of).is_some() {
                acc.answered += 1;
            }
        }
    }
    if p.concluded_at(as_of).is_some_and(in_p) {
        i.concluded += 1;
    }
    // Obligation rates: by the period holding the deadline, done on or before it.
    if let Some(o) = ack_obligation(p, as_of, src.calendar, src.settings)
        && in_p(o.deadline.deadline)
    {
        acc.ack_due += 1;
        if o.done.is_some_and(|d| d <= o.deadline.deadline) {
            acc.ack_on_time += 1;
        }
    }
    if let Some(o) = handling_obligation(p, as_of, src.calendar, src.settings)
        && in_p(o.deadline.deadline)
    {
        acc.handling_due += 1;
        if o.done.is_some_and(|d| d <= o.deadline.deadline) {
            acc.handling_on_time += 1;
        }
    }
    // 超期未办结: an obligation still owed at the stock day whose deadline passed before it.
    if p.received_date <= stock_at
        && p.concluded_at(stock_at).is_none()
        && obligations(p, stock_at, src.calendar, src.settings)
            .iter()
            .any(|o| {
                o.limit != super::limits::Limit::Object
                    && o.done.is_none()
                    && o.deadline.deadline < stock_at
            })
    {
        acc.i.overdue_open += 1;
    }
}

fn count_matter(
    acc: &mut MatterAcc,
    m: &MatterView,
    (from, to, as_of): (NaiveDate, NaiveDate, NaiveDate),
) {
    let resolved = m.resolved_at(as_of);
    let in_p = |d: NaiveDate| from <= d && d <= to;
    if m.opened_date < from && resolved.is_none_or(|r| r >= from) {
        acc.stock_start += 1;
        if resolved.is_some_and(in_p) {
            acc.stock_resolved += 1;
        }
    }
    if in_p(m.opened_date) {
        acc.new += 1;
    }
    if resolved.is_some_and(in_p) {
        acc.resolved += 1;
    }
}

fn petition_key(p: &Petition, by: GroupBy) -> &str {
    match by {
        GroupBy::Court => &p.court_code,
        GroupBy::Channel => p.channel.name_zh(),
        GroupBy::Nature => &p.nature,
        GroupBy::None | GroupBy::Month => "",
    }
}

/// The rows of one period, without 三降两升, by key (`None` grouping: one row keyed
/// `scope_key`; months keyed `YYYY-MM`, clipped to the period).
fn raw_rows(
    src: &Sources<'_>,
    query: &IndicatorQuery<'_>,
    scope_key: &str,
) -> Vec<(String, PetitionIndicators)> {
    let petitions: Vec<&Petition> = src
        .petitions
        .iter()
        .filter(|p| p.received_date <= query.as_of && (query.in_scope)(&p.court_code))
        .collect();
    let matters: Vec<&MatterView> = src
        .matters
        .iter()
        .filter(|m| m.opened_date <= query.as_of && (query.in_scope)(&m.court_code))
        .filter(|m| query.all_matters || m.litigation_related)
        .collect();
    let periods = if query.by == GroupBy::Month {
        months(query.from, query.to)
    } else {
        vec![(String::new(), query.from, query.to)]
    };
    let with_matters = query.by.groups_matters();
    let fresh = || Acc {
        matters: with_matters.then(MatterAcc::default),
        ..Acc::default()
    };
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    if query.by == GroupBy::None {
        groups.insert(scope_key.to_owned(), fresh());
    }
    for (month, from, to) in &periods {
        let stock_at = if query.by == GroupBy::Month {
            (*to).min(query.as_of)
        } else {
            query.as_of
        };
        let key_of = |own: &str| -> String {
            match query.by {
                GroupBy::None => scope_key.to_owned(),
                GroupBy::Month => month.clone(),
                _ => own.to_owned(),
            }
        };
        if query.by == GroupBy::Month {
            groups.entry(month.clone()).or_insert_with(fresh);
        }
        for p in &petitions {
            let acc = groups
                .entry(key_of(petition_key(p, query.by)))
                .or_insert_with(fresh);
            count_petition(acc, p, (*from, *to, query.as_of, stock_at), src);
        }
        if with_matters {
            for m in &matters {
                let acc = groups.entry(key_of(&m.court_code)).or_insert_with(fresh);
                if let Some(ma) = acc.matters.as_mut() {
                    count_matter(ma, m, (*from, *to, query.as_of));
                }
            }
        }
    }
    groups
        .into_iter()
        .map(|(key, acc)| (key, acc.finish()))
        .collect()
}

/// 三降两升 of `cur` against `base`: total, stock at the end and new matters strictly lower, and
/// resolved matters and the resolution rate strictly higher; `None` when a rate is missing (or
/// the grouping has no matters).
pub fn three_down_two_up(cur: &PetitionIndicators, base: &PetitionIndicators) -> Option<bool> {
    let (rate, base_rate) = (cur.matter_resolution_rate?, base.matter_resolution_rate?);
    Some(
        cur.matter_total? < base.matter_total?
            && cur.matter_stock_end? < base.matter_stock_end?
            && cur.matter_new? < base.matter_new?
            && cur.matter_resolved? > base.matter_resolved?
            && rate > base_rate,
    )
}

/// A row with its comparison (`--compare`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub key: String,
    pub indicators: PetitionIndicators,
    pub base: Option<PetitionIndicators>,
    pub change: Option<BTreeMap<String, Option<f64>>>,
}

/// `rows` with 三降两升 judged against `base` (months by their place, other keys by key).
fn judged(
    rows: Vec<(String, PetitionIndicators)>,
    base: &[(String, PetitionIndicators)],
    by_place: bool,
) -> Vec<(String, PetitionIndicators)> {
    rows.into_iter()
        .enumerate()
        .map(|(index, (key, mut i))| {
            let b = if by_place {
                base.get(index).map(|(_, b)| b)
            } else {
                base.iter().find(|(k, _)| *k == key).map(|(_, b)| b)
            };
            i.three_down_two_up = b.and_then(|b| three_down_two_up(&i, b));
            (key, i)
        })
        .collect()
}

/// The indicator rows for a query, sorted by key, with 三降两升 judged against the base period of
/// `compare` (同比 when `Compare::None`); with a comparison each row carries its base row (whose
/// own 三降两升 is judged against the base's base) and the changes. Also returns the base period
/// `(from, to, as_of)` when compared.
pub fn compute(
    src: &Sources<'_>,
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope_key: &str,
) -> (Option<(NaiveDate, NaiveDate, NaiveDate)>, Vec<IndicatorRow>) {
    fn shifted<'a>(q: &IndicatorQuery<'a>, how: Compare) -> Option<IndicatorQuery<'a>> {
        base_period(how, q.from, q.to, q.as_of).map(|(from, to, as_of)| IndicatorQuery {
            from,
            to,
            as_of,
            by: q.by,
            all_matters: q.all_matters,
            in_scope: q.in_scope,
        })
    }
    let judge_with = if compare == Compare::None {
        Compare::Yoy
    } else {
        compare
    };
    let by_place = query.by == GroupBy::Month;
    let base_query = shifted(query, judge_with).expect("a base period");
    let base_raw = raw_rows(src, &base_query, scope_key);
    let rows = judged(raw_rows(src, query, scope_key), &base_raw, by_place);
    if compare == Compare::None {
        let rows = rows
            .into_iter()
            .map(|(key, indicators)| IndicatorRow {
                key,
                indicators,
                base: None,
                change: None,
            })
            .collect();
        return (None, rows);
    }
    let base_base = shifted(&base_query, compare).expect("a base period");
    let base_rows = judged(base_raw, &raw_rows(src, &base_base, scope_key), by_place);
    let out = rows
        .into_iter()
        .enumerate()
        .map(|(index, (key, indicators))| {
            let base = if by_place {
                base_rows.get(index).map(|(_, b)| b.clone())
            } else {
                base_rows
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, b)| b.clone())
            }
            .unwrap_or_default();
            IndicatorRow {
                change: Some(changes(&indicators, &base, &RATE_IDS)),
                key,
                indicators,
                base: Some(base),
            }
        })
        .collect();
    (
        Some((base_query.from, base_query.to, base_query.as_of)),
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::limits::ack_obligation;
    use crate::petitions::matters::{matter_views, repeats};
    use crate::petitions::model::{AckDecision, Channel, Matter};

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn all(_: &str) -> bool {
        true
    }

    fn query(from: &str, to: &str, as_of: &str, by: GroupBy) -> IndicatorQuery<'static> {
        IndicatorQuery {
            from: d(from),
            to: d(to),
            as_of: d(as_of),
            by,
            all_matters: false,
            in_scope: &all,
        }
    }

    /// A matter of court 皖0202 about a case, opened and perhaps resolved.
    fn matter(id: String, opened: NaiveDate, resolved: Option<NaiveDate>) -> Matter {
        Matter {
            matter_id: id,
            court_code: Some("皖0202".into()),
            case_number: Some("（2021）皖0202民初1号".into()),
            opened_date: Some(opened),
            resolved_date: resolved,
            resolution: resolved.map(|_| "息诉罢访".into()),
        }
    }

    /// §2.5's worked example of 涉诉 matters. 2022: 50 in stock at the start, 120 new, 110
    /// resolved. 2023: the 60 left, 100 new, 118 resolved (45 from the stock) → rate 73.75%,
    /// stock rate 75.00%, and 三降两升 holds against 2022.
    #[test]
    fn three_down_two_up_worked_example() {
        let mut matters = Vec::new();
        let mut n = 0;
        let mut add = |opened: &str, resolved: Option<&str>| {
            n += 1;
            matters.push(matter(format!("M{n}"), d(opened), resolved.map(d)));
        };
        // The 2022 stock: 50 opened in 2021; 40 resolved in 2022, 10 carried into 2023 (5 of
        // them resolved in 2023, 5 left).
        for _ in 0..40 {
            add("2021-06-01", Some("2022-05-01"));
        }
        for _ in 0..5 {
            add("2021-06-01", Some("2023-05-01"));
        }
        for _ in 0..5 {
            add("2021-06-01", None);
        }
        // 2022's 120 new: 70 resolved in 2022, 40 in 2023, 10 left.
        for _ in 0..70 {
            add("2022-03-01", Some("2022-09-01"));
        }
        for _ in 0..40 {
            add("2022-03-01", Some("2023-03-01"));
        }
        for _ in 0..10 {
            add("2022-03-01", None);
        }
        // 2023's 100 new: 73 resolved in 2023.
        for _ in 0..73 {
            add("2023-02-01", Some("2023-10-01"));
        }
        for _ in 0..27 {
            add("2023-02-01", None);
        }
        let views = matter_views(&matters, &[]);
        let repeats = HashSet::new();
        let src = Sources {
            petitions: &[],
            matters: &views,
            repeats: &repeats,
            calendar: &HolidayCalendar::builtin(),
            settings: &PetitionSettings::default(),
        };
        let q = query("2023-01-01", "2023-12-31", "2023-12-31", GroupBy::None);
        let (base, rows) = compute(&src, &q, Compare::Yoy, "皖0202");
        assert_eq!(
            base,
            Some((d("2022-01-01"), d("2022-12-31"), d("2022-12-31")))
        );
        let i = &rows[0].indicators;
        assert_eq!(
            (
                i.matter_stock_start,
                i.matter_new,
                i.matter_total,
                i.matter_resolved,
                i.matter_stock_end
            ),
            (Some(60), Some(100), Some(160), Some(118), Some(42))
        );
        assert_eq!(i.matter_resolution_rate, Some(0.7375));
        assert_eq!(i.stock_resolution_rate, Some(0.75));
        assert_eq!(i.three_down_two_up, Some(true));
        let b = rows[0].base.as_ref().unwrap();
        assert_eq!(
            (
                b.matter_stock_start,
                b.matter_new,
                b.matter_total,
                b.matter_resolved
            ),
            (Some(50), Some(120), Some(170), Some(110))
        );
        assert_eq!(b.matter_stock_end, Some(60));
        assert_eq!(b.matter_resolution_rate, Some(0.6471));
        // Without --compare, judged against the same year before all the same.
        let (_, plain) = compute(&src, &q, Compare::None, "皖0202");
        assert_eq!(plain[0].indicators.three_down_two_up, Some(true));
        assert_eq!(plain[0].base, None);
        // By channel: matters have no key, their figures are null.
        let by_channel = query("2023-01-01", "2023-12-31", "2023-12-31", GroupBy::Channel);
        assert!(compute(&src, &by_channel, Compare::None, "").1.is_empty());
    }

    /// §2.5: 2023Q4, 400 received, 36 repeats → 9.00%; 150 acknowledgements due in Q4, 147 on
    /// time → 98.00%.
    #[test]
    fn repeat_and_on_time_acknowledgement_worked_example() {
        let cal = HolidayCalendar::builtin();
        let settings = PetitionSettings::default();
        let mut petitions = Vec::new();
        // 364 first petitions and 36 repeats received late in Q4, not acknowledged yet: their
        // acknowledgements fall due after the quarter.
        for k in 0..400 {
            let mut p = Petition::registered(
                &format!("Q{k:03}"),
                "皖0202",
                d("2023-12-20"),
                Channel::Letter,
                "申诉求决",
                true,
            );
            p.matter_id = Some(if k < 36 {
                format!("OLD{k}")
            } else {
                format!("Q{k:03}")
            });
            petitions.push(p);
        }
        // The 36 repeats' matters began in June.
        for k in 0..36 {
            let mut p = Petition::registered(
                &format!("S{k:03}"),
                "皖0202",
                d("2023-06-01"),
                Channel::Visit,
                "申诉求决",
                true,
            );
            p.matter_id = Some(format!("OLD{k}"));
            p.ack_date = Some(d("2023-06-05"));
            p.ack_decision = Some(AckDecision::Accepted);
            p.reply_date = Some(d("2023-07-01"));
            petitions.push(p);
        }
        // 150 received in mid September, acknowledgements due 2023-10-07…: 147 on time.
        for k in 0..150 {
            let mut p = Petition::registered(
                &format!("A{k:03}"),
                "皖0202",
                d("2023-09-20"),
                Channel::Online,
                "咨询",
                false,
            );
            p.ack_decision = Some(AckDecision::NotAccepted);
            p.ack_date = Some(if k < 147 {
                d("2023-10-07")
            } else {
                d("2023-10-09")
            });
            petitions.push(p);
        }
        let repeats = repeats(&petitions);
        assert_eq!(repeats.len(), 36);
        let views = matter_views(&[], &petitions);
        let src = Sources {
            petitions: &petitions,
            matters: &views,
            repeats: &repeats,
            calendar: &cal,
            settings: &settings,
        };
        let q = query("2023-10-01", "2023-12-31", "2023-12-31", GroupBy::None);
        let i = compute(&src, &q, Compare::None, "皖0202")
            .1
            .remove(0)
            .indicators;
        assert_eq!((i.received, i.repeat), (400, 36));
        assert_eq!(i.repeat_rate, Some(0.09));
        // The September items' acknowledgements are the ones due in Q4 (2023-10-07).
        let due = petitions
            .iter()
            .filter_map(|p| ack_obligation(p, d("2023-12-31"), &cal, &settings))
            .filter(|o| {
                o.deadline.deadline >= d("2023-10-01") && o.deadline.deadline <= d("2023-12-31")
            })
            .count();
        assert_eq!(due, 150);
        assert_eq!(i.ack_on_time_rate, Some(0.98));
        // Every September item is concluded by its (non-受理) acknowledgement in Q4.
        assert_eq!(i.concluded, 150);
        // Nobody acknowledged the Q4 items yet: procedural reply rate 0 of 400.
        assert_eq!(i.procedural_reply_rate, Some(0.0));
    }

    #[test]
    fn visitors_and_collective_visits_count_people() {
        let mut visit = Petition::registered(
            "V1",
            "皖0202",
            d("2024-03-04"),
            Channel::Visit,
            "申诉求决",
            true,
        );
        visit.persons = 7;
        visit.leader_received = true;
        let mut small = visit.clone();
        small.petition_id = "V2".into();
        small.persons = 2;
        small.leader_received = false;
        let petitions = vec![visit, small];
        let views = matter_views(&[], &petitions);
        let repeats = HashSet::new();
        let src = Sources {
            petitions: &petitions,
            matters: &views,
            repeats: &repeats,
            calendar: &HolidayCalendar::builtin(),
            settings: &PetitionSettings::default(),
        };
        let q = query("2024-03-01", "2024-03-31", "2024-03-31", GroupBy::Month);
        let (_, rows) = compute(&src, &q, Compare::None, "");
        let i = &rows[0].indicators;
        assert_eq!(rows[0].key, "2024-03");
        assert_eq!(
            (i.visitors, i.collective_visits, i.leader_visitors),
            (9, 1, 7)
        );
        // Unacknowledged since 03-04: 15 days → 03-19, overdue at the end of March.
        assert_eq!(i.overdue_open, 2);
    }
}
