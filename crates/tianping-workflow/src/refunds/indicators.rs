//! The indicators of court-fee refunds (`workflows.md` §4.4, `tianping refunds indicators`):
//! the refund obligations due in the period and those met in full by their deadline (退费及时率,
//! an obligation rate, §0.4), their amounts, the refunds overdue at the as-of date whatever their
//! period, and the mean days from the effective date to a full refund.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::dates::days_between;

use super::limits::{RefundSettings, refund_deadline};
use super::model::FeeRefund;
use crate::core::compare::{Compare, base_period};
use crate::core::figures::{changes, months, ratio, round};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    None,
    Court,
    Division,
    Judge,
    Reason,
    Month,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<GroupBy> {
        Some(match text {
            "none" => GroupBy::None,
            "court" => GroupBy::Court,
            "division" => GroupBy::Division,
            "judge" => GroupBy::Judge,
            "reason" => GroupBy::Reason,
            "month" => GroupBy::Month,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Court => "court",
            GroupBy::Division => "division",
            GroupBy::Judge => "judge",
            GroupBy::Reason => "reason",
            GroupBy::Month => "month",
        }
    }
}

/// Every indicator of §4.4; amounts in yuan (two decimals); a rate or a mean is `None` where it
/// has nothing to count.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RefundIndicators {
    pub refunds_due: u64,
    pub refunded_on_time: u64,
    pub on_time_rate: Option<f64>,
    pub amount_due: f64,
    pub amount_on_time: f64,
    pub overdue_unrefunded: u64,
    pub overdue_amount: f64,
    pub avg_refund_days: Option<f64>,
}

pub const RATE_IDS: [&str; 1] = ["on_time_rate"];

/// A case's division and judge, where known.
pub type Seat = (Option<String>, Option<String>);

/// Where a case's division and judge are found (the `--by division|judge` keys).
pub type CaseSeat<'a> = &'a dyn Fn(&str) -> Option<Seat>;

#[allow(missing_debug_implementations)]
pub struct IndicatorQuery<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub by: GroupBy,
    pub in_scope: &'a dyn Fn(&str) -> bool,
    /// The division and judge of a case, for `--by division|judge`.
    pub seat: CaseSeat<'a>,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    i: RefundIndicators,
    due_fen: i64,
    on_time_fen: i64,
    overdue_fen: i64,
    days_sum: i64,
    days_count: u64,
}

fn key_of(r: &FeeRefund, query: &IndicatorQuery<'_>) -> String {
    let seat = |pick: fn(Seat) -> Option<String>| {
        let name = (query.seat)(&r.case_number)
            .and_then(pick)
            .unwrap_or_else(|| "未分配".to_owned());
        format!("{}/{name}", r.court_code)
    };
    match query.by {
        GroupBy::Court => r.court_code.clone(),
        GroupBy::Division => seat(|(division, _)| division),
        GroupBy::Judge => seat(|(_, judge)| judge),
        GroupBy::Reason => r.reason.clone(),
        GroupBy::None | GroupBy::Month => String::new(),
    }
}

fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// The rows of one period (`None` grouping: one row keyed `scope_key`).
pub fn compute(
    refunds: &[FeeRefund],
    query: &IndicatorQuery<'_>,
    scope_key: &str,
    calendar: &HolidayCalendar,
    settings: &RefundSettings,
) -> Vec<(String, RefundIndicators)> {
    // Each refund's deadline once: the months of `--by month` reuse it.
    let selected: Vec<(&FeeRefund, NaiveDate)> = refunds
        .iter()
        .filter(|r| r.effective_date <= query.as_of && (query.in_scope)(&r.court_code))
        .map(|r| (r, refund_deadline(r, calendar, settings).deadline))
        .collect();
    let periods = if query.by == GroupBy::Month {
        months(query.from, query.to)
    } else {
        vec![(String::new(), query.from, query.to)]
    };
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    if query.by == GroupBy::None {
        groups.insert(scope_key.to_owned(), Acc::default());
    }
    for (month, from, to) in &periods {
        let in_p = |d: NaiveDate| *from <= d && d <= *to;
        if query.by == GroupBy::Month {
            groups.entry(month.clone()).or_default();
        }
        // Overdue: at the as-of date (a month's row: at its end).
        let stock_at = if query.by == GroupBy::Month {
            (*to).min(query.as_of)
        } else {
            query.as_of
        };
        for (r, deadline) in &selected {
            let key = match query.by {
                GroupBy::None => scope_key.to_owned(),
                GroupBy::Month => month.clone(),
                _ => key_of(r, query),
            };
            let waived = r.waived_at(query.as_of);
            let full = r.refunded_in_full_at(query.as_of);
            let due_here = !waived && in_p(*deadline);
            let overdue_here = r.effective_date <= stock_at
                && !r.waived_at(stock_at)
                && r.refunded_in_full_at(stock_at).is_none()
                && *deadline < stock_at;
            let refunded_here = full.is_some_and(in_p);
            if !(due_here || overdue_here || refunded_here) {
                continue;
            }
            let acc = groups.entry(key).or_default();
            if due_here {
                acc.i.refunds_due += 1;
                acc.due_fen += r.amount.fen();
                if full.is_some_and(|d| d <= *deadline) {
                    acc.i.refunded_on_time += 1;
                    acc.on_time_fen += r.amount.fen();
                }
            }
            if overdue_here {
                acc.i.overdue_unrefunded += 1;
                acc.overdue_fen += r.outstanding_at(stock_at).fen();
            }
            if let Some(done) = full.filter(|d| in_p(*d)) {
                acc.days_sum += days_between(r.effective_date, done);
                acc.days_count += 1;
            }
        }
    }
    groups
        .into_iter()
        .map(|(key, acc)| {
            let mut i = acc.i;
            i.on_time_rate = ratio(i.refunded_on_time, i.refunds_due);
            i.amount_due = yuan(acc.due_fen);
            i.amount_on_time = yuan(acc.on_time_fen);
            i.overdue_amount = yuan(acc.overdue_fen);
            i.avg_refund_days =
                (acc.days_count > 0).then(|| round(acc.days_sum as f64 / acc.days_count as f64, 2));
            (key, i)
        })
        .collect()
}

/// A row with its comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub key: String,
    pub indicators: RefundIndicators,
    pub base: Option<RefundIndicators>,
    pub change: Option<BTreeMap<String, Option<f64>>>,
}

/// The rows with, for a comparison, their base rows and changes, and the base period.
pub fn compute_compared(
    refunds: &[FeeRefund],
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope_key: &str,
    calendar: &HolidayCalendar,
    settings: &RefundSettings,
) -> (Option<(NaiveDate, NaiveDate, NaiveDate)>, Vec<IndicatorRow>) {
    let rows = compute(refunds, query, scope_key, calendar, settings);
    let Some((from, to, as_of)) = base_period(compare, query.from, query.to, query.as_of) else {
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
    };
    let base_query = IndicatorQuery {
        from,
        to,
        as_of,
        by: query.by,
        in_scope: query.in_scope,
        seat: query.seat,
    };
    let base: BTreeMap<String, RefundIndicators> =
        compute(refunds, &base_query, scope_key, calendar, settings)
            .into_iter()
            .collect();
    let rows = rows
        .into_iter()
        .map(|(key, indicators)| {
            let b = base.get(&key).cloned().unwrap_or_default();
            let change = changes(&indicators, &b, &RATE_IDS);
            IndicatorRow {
                key,
                indicators,
                base: Some(b),
                change: Some(change),
            }
        })
        .collect();
    (Some((from, to, as_of)), rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::Money;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    /// §4.4: 2023Q3, 200 refunds due, 194 refunded in full by their deadline → 97.00%.
    #[test]
    fn the_worked_example_of_the_on_time_rate() {
        let cal = HolidayCalendar::builtin();
        let settings = RefundSettings::default();
        let mut refunds = Vec::new();
        for k in 0..200 {
            // Effective in June-August: each deadline (15 days on, rolled) falls in 2023Q3.
            let effective = d("2023-06-20") + chrono::Duration::days(k % 60);
            let mut r = FeeRefund::owed(
                &format!("R{k:03}"),
                &format!("（2023）皖0202民初{}号", k + 1),
                "皖0202",
                "胜诉退费",
                Money(10_000),
                effective,
            );
            let deadline = refund_deadline(&r, &cal, &settings).deadline;
            r.refunded_date = Some(if k < 194 {
                deadline
            } else {
                deadline + chrono::Duration::days(3)
            });
            refunds.push(r);
        }
        // One waived and one outside the quarter count nowhere.
        let mut waived = FeeRefund::owed(
            "W",
            "（2023）皖0202民初900号",
            "皖0202",
            "胜诉退费",
            Money(10_000),
            d("2023-07-01"),
        );
        waived.waived = true;
        refunds.push(waived);
        refunds.push(FeeRefund::owed(
            "Z",
            "（2023）皖0202民初901号",
            "皖0202",
            "胜诉退费",
            Money(10_000),
            d("2023-11-01"),
        ));
        let all = |_: &str| true;
        let seat = |_: &str| None;
        let query = IndicatorQuery {
            from: d("2023-07-01"),
            to: d("2023-09-30"),
            as_of: d("2023-12-31"),
            by: GroupBy::None,
            in_scope: &all,
            seat: &seat,
        };
        let rows = compute(&refunds, &query, "皖0202", &cal, &settings);
        let i = &rows[0].1;
        assert_eq!((i.refunds_due, i.refunded_on_time), (200, 194));
        assert_eq!(i.on_time_rate, Some(0.97));
        assert_eq!((i.amount_due, i.amount_on_time), (20_000.0, 19_400.0));
        // At 2023-12-31 the November refund is overdue, unpaid.
        assert_eq!((i.overdue_unrefunded, i.overdue_amount), (1, 100.0));
    }

    #[test]
    fn overdue_counts_what_is_still_owed_and_by_judge_keys_court_and_name() {
        let cal = HolidayCalendar::builtin();
        let settings = RefundSettings::default();
        let mut partial = FeeRefund::owed(
            "P",
            "（2023）皖0202民初1号",
            "皖0202",
            "调解撤诉减半",
            Money(50_000),
            d("2023-12-20"),
        );
        partial.refunded_date = Some(d("2023-12-22"));
        partial.refunded_amount = Some(Money(20_000));
        let mut full = FeeRefund::owed(
            "F",
            "（2023）皖0202民初2号",
            "皖0202",
            "胜诉退费",
            Money(30_000),
            d("2023-12-01"),
        );
        full.refunded_date = Some(d("2023-12-11"));
        let all = |_: &str| true;
        let seat = |n: &str| {
            Some((
                Some("民一庭".to_owned()),
                Some(
                    if n.ends_with("1号") {
                        "张明"
                    } else {
                        "李娜"
                    }
                    .to_owned(),
                ),
            ))
        };
        let query = IndicatorQuery {
            from: d("2024-01-01"),
            to: d("2024-01-31"),
            as_of: d("2024-01-31"),
            by: GroupBy::None,
            in_scope: &all,
            seat: &seat,
        };
        let rows = compute(
            &[partial.clone(), full.clone()],
            &query,
            "all",
            &cal,
            &settings,
        );
        let i = &rows[0].1;
        // The partial refund's deadline 2024-01-04 falls in January, unmet; 300.00 still owed.
        assert_eq!(
            (i.refunds_due, i.refunded_on_time, i.on_time_rate),
            (1, 0, Some(0.0))
        );
        assert_eq!((i.overdue_unrefunded, i.overdue_amount), (1, 300.0));
        assert_eq!(i.avg_refund_days, None);
        let december = IndicatorQuery {
            from: d("2023-12-01"),
            to: d("2023-12-31"),
            by: GroupBy::Judge,
            ..query
        };
        let rows = compute(&[partial, full], &december, "all", &cal, &settings);
        let keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
        // 张明's partial refund is overdue at the as-of date (2024-01-31), whatever the period.
        assert_eq!(keys, ["皖0202/张明", "皖0202/李娜"]);
        assert_eq!(
            (rows[0].1.refunds_due, rows[0].1.overdue_unrefunded),
            (0, 1)
        );
        assert_eq!(rows[1].1.avg_refund_days, Some(10.0));
        assert_eq!(rows[1].1.on_time_rate, Some(1.0));
    }
}
