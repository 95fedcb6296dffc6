//! The indicators of judicial suggestions (`workflows.md` §3.4, `tianping suggestions
//! indicators`): issued by the issue date in the period, the reply obligation by its deadline
//! (§0.4), the reply and adoption rates of the suggestions issued in the period, those overdue
//! without a reply at the as-of date whatever their period. `--by month` is the 一月一题 table.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;

use super::limits::{SuggestionSettings, reply_deadline};
use super::model::Suggestion;
use crate::core::compare::{Compare, base_period};
use crate::core::figures::{changes, months, ratio};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    None,
    Court,
    Month,
    Topic,
    RecipientType,
    Kind,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<GroupBy> {
        Some(match text {
            "none" => GroupBy::None,
            "court" => GroupBy::Court,
            "month" => GroupBy::Month,
            "topic" => GroupBy::Topic,
            "recipient_type" => GroupBy::RecipientType,
            "kind" => GroupBy::Kind,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::Court => "court",
            GroupBy::Month => "month",
            GroupBy::Topic => "topic",
            GroupBy::RecipientType => "recipient_type",
            GroupBy::Kind => "kind",
        }
    }
}

/// Every indicator of §3.4; a rate is `None` where its denominator is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SuggestionIndicators {
    pub issued: u64,
    pub reply_due: u64,
    pub on_time_reply_rate: Option<f64>,
    pub reply_rate: Option<f64>,
    pub adoption_rate: Option<f64>,
    pub overdue_unreplied: u64,
    pub praised: u64,
}

pub const RATE_IDS: [&str; 3] = ["on_time_reply_rate", "reply_rate", "adoption_rate"];

#[allow(missing_debug_implementations)]
pub struct IndicatorQuery<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub by: GroupBy,
    pub in_scope: &'a dyn Fn(&str) -> bool,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    i: SuggestionIndicators,
    on_time: u64,
    replied: u64,
    adopted: u64,
}

fn key_of(s: &Suggestion, by: GroupBy) -> &str {
    match by {
        GroupBy::Court => &s.court_code,
        GroupBy::Topic => &s.topic,
        GroupBy::RecipientType => &s.recipient_type,
        GroupBy::Kind => &s.kind,
        GroupBy::None | GroupBy::Month => "",
    }
}

/// The rows of one period (`None` grouping: one row keyed `scope_key`).
pub fn compute(
    suggestions: &[Suggestion],
    query: &IndicatorQuery<'_>,
    scope_key: &str,
    calendar: &HolidayCalendar,
    settings: &SuggestionSettings,
) -> Vec<(String, SuggestionIndicators)> {
    let selected: Vec<&Suggestion> = suggestions
        .iter()
        .filter(|s| s.registered().is_some_and(|r| r <= query.as_of))
        .filter(|s| (query.in_scope)(&s.court_code))
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
        // Overdue and unreplied: at the as-of date (a month's row: at its end).
        let stock_at = if query.by == GroupBy::Month {
            (*to).min(query.as_of)
        } else {
            query.as_of
        };
        for s in &selected {
            let key = match query.by {
                GroupBy::None => scope_key.to_owned(),
                GroupBy::Month => month.clone(),
                by => key_of(s, by).to_owned(),
            };
            let acc = groups.entry(key).or_default();
            let withdrawn = s.withdrawn_date.is_some_and(|w| w <= query.as_of);
            if let Some(issued) = s.issued_at(query.as_of)
                && !withdrawn
            {
                if in_p(issued) {
                    acc.i.issued += 1;
                    if s.praised {
                        acc.i.praised += 1;
                    }
                    if s.replied_at(query.as_of).is_some() {
                        acc.replied += 1;
                        if matches!(s.adoption.as_deref(), Some("采纳" | "部分采纳")) {
                            acc.adopted += 1;
                        }
                    }
                }
                if let Some(d) = reply_deadline(s, query.as_of, calendar, settings) {
                    if in_p(d.deadline) {
                        acc.i.reply_due += 1;
                        if s.replied_at(query.as_of).is_some_and(|r| r <= d.deadline) {
                            acc.on_time += 1;
                        }
                    }
                    if issued <= stock_at
                        && s.replied_at(stock_at).is_none()
                        && d.deadline < stock_at
                    {
                        acc.i.overdue_unreplied += 1;
                    }
                }
            }
        }
    }
    groups
        .into_iter()
        .map(|(key, acc)| {
            let mut i = acc.i;
            i.on_time_reply_rate = ratio(acc.on_time, i.reply_due);
            i.reply_rate = ratio(acc.replied, i.issued);
            i.adoption_rate = ratio(acc.adopted, acc.replied);
            (key, i)
        })
        .collect()
}

/// A row with its comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub key: String,
    pub indicators: SuggestionIndicators,
    pub base: Option<SuggestionIndicators>,
    pub change: Option<BTreeMap<String, Option<f64>>>,
}

/// The rows with, for a comparison, their base rows and changes, and the base period.
pub fn compute_compared(
    suggestions: &[Suggestion],
    query: &IndicatorQuery<'_>,
    compare: Compare,
    scope_key: &str,
    calendar: &HolidayCalendar,
    settings: &SuggestionSettings,
) -> (Option<(NaiveDate, NaiveDate, NaiveDate)>, Vec<IndicatorRow>) {
    let rows = compute(suggestions, query, scope_key, calendar, settings);
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
    };
    let base_rows = compute(suggestions, &base_query, scope_key, calendar, settings);
    let out = rows
        .into_iter()
        .enumerate()
        .map(|(index, (key, indicators))| {
            let base = if query.by == GroupBy::Month {
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
    (Some((from, to, as_of)), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    /// §3.4: a basic court, 2023, A = 2024-03-31: 8 issued, 7 replied by A → 87.50%; adoptions
    /// 5 采纳, 1 部分采纳, 1 未采纳 → 6 ÷ 7 = 85.71%.
    #[test]
    fn reply_and_adoption_rates_worked_example() {
        let mut list = Vec::new();
        for k in 1..=8u32 {
            let mut s = super::super::model::Suggestion::drafted(
                &format!("镜法建〔2023〕{k}号"),
                "皖0202",
                "关于…的司法建议书",
                "某局",
                "物业纠纷",
            );
            s.committee_date = Some(d("2023-01-10") + chrono::Duration::days(i64::from(k) * 30));
            s.signed_date = s.committee_date;
            s.issued_date = s.committee_date;
            s.served_date = s.committee_date;
            if k <= 7 {
                s.reply_date = Some(d("2024-03-01"));
                s.adoption = Some(
                    match k {
                        1..=5 => "采纳",
                        6 => "部分采纳",
                        _ => "未采纳",
                    }
                    .to_owned(),
                );
            }
            s.praised = k == 3;
            list.push(s);
        }
        // A suggestion withdrawn before issue counts nowhere.
        let mut w = super::super::model::Suggestion::drafted(
            "镜法建〔2023〕9号",
            "皖0202",
            "x",
            "y",
            "其他",
        );
        w.drafted_date = Some(d("2023-05-01"));
        w.withdrawn_date = Some(d("2023-05-10"));
        list.push(w);
        let all = |_: &str| true;
        let q = IndicatorQuery {
            from: d("2023-01-01"),
            to: d("2023-12-31"),
            as_of: d("2024-03-31"),
            by: GroupBy::None,
            in_scope: &all,
        };
        let rows = compute(
            &list,
            &q,
            "皖0202",
            &HolidayCalendar::builtin(),
            &SuggestionSettings::default(),
        );
        let i = &rows[0].1;
        assert_eq!(i.issued, 8);
        assert_eq!(i.reply_rate, Some(0.875));
        assert_eq!(i.adoption_rate, Some(0.8571));
        assert_eq!(i.praised, 1);
        // The eighth, issued 2023-09-07 and served that day, was due 2023-11-07: overdue at A.
        assert_eq!(i.overdue_unreplied, 1);
        // By month: the 一月一题 table keys every month of the year.
        let by_month = IndicatorQuery {
            by: GroupBy::Month,
            ..q
        };
        let rows = compute(
            &list,
            &by_month,
            "",
            &HolidayCalendar::builtin(),
            &SuggestionSettings::default(),
        );
        assert_eq!(rows.len(), 12);
        assert_eq!(rows.iter().map(|(_, i)| i.issued).sum::<u64>(), 8);
    }
}
