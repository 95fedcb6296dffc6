//! The period of a page (统计期间) and what it is compared with (同比 / 环比): one rule for every
//! page that shows figures, read from the same query parameters everywhere:
//!
//! - `period=2025|2025H1|2025Q3|2025-07`, or `from=`/`to=` (dates), or neither: the year of the
//!   reference date up to that date (year to date, what the office reads first);
//! - `as_of=`: the reference date when no period is given (default: today, or the last day the
//!   data knows when it stops earlier);
//! - `compare=yoy` (同比, the default: the same days one year earlier) or `compare=prev` (环比:
//!   the period just before, as long as this one).
//!
//! A period that runs past the reference date stops at it: the figures of 2026 on 2026-12-07
//! are those of 1 January to 7 December, and the comparison covers as many days.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use tianping_domain::dates::{add_months, parse_date};
use tianping_domain::period::Period;

use super::courts::{qv, year_before};
use crate::WebError;
use crate::data::Data;

/// The query parameters of a page's period.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct PeriodQuery {
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub as_of: Option<String>,
    pub compare: Option<String>,
}

/// 同比 or 环比.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    Yoy,
    Prev,
}

impl Compare {
    /// The word of the reports: 同比 / 环比.
    pub fn word(self) -> &'static str {
        match self {
            Compare::Yoy => "同比",
            Compare::Prev => "环比",
        }
    }

    /// What the compared period is called: 上年同期 / 上期.
    pub fn before_word(self) -> &'static str {
        match self {
            Compare::Yoy => "上年同期",
            Compare::Prev => "上期",
        }
    }
}

/// The period a page shows and the one it compares with.
#[derive(Debug, Clone, Serialize)]
pub struct PagePeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The period as named (`2025Q3`), `None` for a `from`/`to` range.
    pub period: Option<String>,
    /// `2025年第三季度`, `2026年（截至12月7日）`, `2025-03-01至2025-05-31`.
    pub label: String,
    pub compare: Compare,
    pub compare_word: &'static str,
    pub before_word: &'static str,
    pub before_from: NaiveDate,
    pub before_to: NaiveDate,
    /// The reference date the page started from (the last day the data knows, or `as_of`).
    pub reference: NaiveDate,
}

fn date_param(name: &str, text: &str) -> Result<NaiveDate, WebError> {
    parse_date(text.trim()).map_err(|e| WebError::BadRequest(format!("{name}：{}", e.zh())))
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The period just before `p`, of the same kind (2025Q1 → 2024Q4, 2025-01 → 2024-12).
pub fn previous(p: Period) -> Period {
    match p {
        Period::Year(y) => Period::Year(y - 1),
        Period::Half(y, 1) => Period::Half(y - 1, 2),
        Period::Half(y, h) => Period::Half(y, h - 1),
        Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
        Period::Quarter(y, q) => Period::Quarter(y, q - 1),
        Period::Month(y, 1) => Period::Month(y - 1, 12),
        Period::Month(y, m) => Period::Month(y, m - 1),
    }
}

impl PagePeriod {
    /// The page's period from its query and the data's reference date.
    pub fn read(q: &PeriodQuery, data: &Data) -> Result<PagePeriod, WebError> {
        let reference = match nonempty(&q.as_of) {
            Some(text) => date_param("as_of", text)?,
            None => data.reference_date(crate::today()),
        };
        let compare = match nonempty(&q.compare) {
            None | Some("yoy") => Compare::Yoy,
            Some("prev") => Compare::Prev,
            Some(other) => {
                return Err(WebError::BadRequest(format!(
                    "compare：“{other}”不是 yoy（同比）或 prev（环比）"
                )));
            }
        };
        Self::resolve(
            nonempty(&q.period),
            nonempty(&q.from),
            nonempty(&q.to),
            reference,
            compare,
        )
    }

    pub fn resolve(
        period: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        reference: NaiveDate,
        compare: Compare,
    ) -> Result<PagePeriod, WebError> {
        if let Some(text) = period {
            if from.is_some() || to.is_some() {
                return Err(WebError::BadRequest(
                    "统计期间：period 与 from/to 只能选其一".to_owned(),
                ));
            }
            let p = Period::parse(text).map_err(|_| {
                WebError::BadRequest(format!(
                    "period：“{text}”不是统计期间（应为 2025、2025H1、2025Q3 或 2025-07）"
                ))
            })?;
            return Ok(Self::of_period(p, reference, compare));
        }
        match (from, to) {
            (None, None) => Ok(Self::of_period(
                Period::Year(reference.year()),
                reference,
                compare,
            )),
            (Some(_), None) | (None, Some(_)) => Err(WebError::BadRequest(
                "统计期间：from 与 to 须同时给出".to_owned(),
            )),
            (Some(f), Some(t)) => {
                let (from, to) = (date_param("from", f)?, date_param("to", t)?);
                if to < from {
                    return Err(WebError::BadRequest(format!(
                        "统计期间的结束日 {to} 早于开始日 {from}"
                    )));
                }
                let (before_from, before_to) = match compare {
                    Compare::Yoy => (year_before(from), year_before(to)),
                    Compare::Prev => {
                        let days = (to - from).num_days();
                        let before_to = from - Duration::days(1);
                        (before_to - Duration::days(days), before_to)
                    }
                };
                Ok(PagePeriod {
                    from,
                    to,
                    period: None,
                    label: format!("{from}至{to}"),
                    compare,
                    compare_word: compare.word(),
                    before_word: compare.before_word(),
                    before_from,
                    before_to,
                    reference,
                })
            }
        }
    }

    /// A named period, stopped at the reference date when it runs past it (a period that has
    /// not begun by then is shown whole: it is empty, and says so).
    fn of_period(p: Period, reference: NaiveDate, compare: Compare) -> PagePeriod {
        let from = p.first_day();
        let cut = reference < p.last_day() && reference >= from;
        let to = if cut { reference } else { p.last_day() };
        let label = if cut {
            format!("{}（截至{}月{}日）", p.to_zh(), to.month(), to.day())
        } else {
            p.to_zh()
        };
        // The compared period covers as many days of its own period.
        let (before_from, before_to) = match compare {
            Compare::Yoy => (year_before(from), year_before(to)),
            Compare::Prev => {
                let prev = previous(p);
                let months =
                    to.year() * 12 + to.month0() as i32 - (from.year() * 12 + from.month0() as i32);
                let before_to = if cut {
                    // The same day of the same month of the previous period, at most its end.
                    let month = add_months(prev.first_day(), months as u32);
                    let last = tianping_domain::dates::month_end(month);
                    month
                        .with_day(to.day())
                        .unwrap_or(last)
                        .min(prev.last_day())
                } else {
                    prev.last_day()
                };
                (prev.first_day(), before_to)
            }
        };
        PagePeriod {
            from,
            to,
            period: Some(p.to_string()),
            label,
            compare,
            compare_word: compare.word(),
            before_word: compare.before_word(),
            before_from,
            before_to,
            reference,
        }
    }

    /// The query string that names this period on another page (`period=2025Q3&compare=prev`).
    pub fn query(&self) -> String {
        let mut q = match &self.period {
            Some(p) => format!("period={}", qv(p)),
            None => format!("from={}&to={}", self.from, self.to),
        };
        if self.compare == Compare::Prev {
            q.push_str("&compare=prev");
        }
        q
    }

    /// The periods the picker offers: the reference year and the year before, with their
    /// halves, quarters and months begun by the reference date.
    pub fn choices(&self) -> Vec<(String, String)> {
        let mut choices = super::reports::bulletin_periods(self.reference);
        // A period asked for by its URL stays selectable even when older.
        if let Some(p) = &self.period
            && !choices.iter().any(|(id, _)| id == p)
            && let Ok(parsed) = Period::parse(p)
        {
            choices.insert(0, (p.clone(), parsed.to_zh()));
        }
        choices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn of(period: &str, reference: &str, compare: Compare) -> PagePeriod {
        PagePeriod::resolve(Some(period), None, None, d(reference), compare).unwrap()
    }

    #[test]
    fn a_whole_quarter_compares_with_the_quarter_before_or_a_year_before() {
        let p = of("2025Q3", "2026-12-07", Compare::Prev);
        assert_eq!((p.from, p.to), (d("2025-07-01"), d("2025-09-30")));
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2025-04-01"), d("2025-06-30"))
        );
        assert_eq!(p.label, "2025年第三季度");
        assert_eq!(p.compare_word, "环比");
        let p = of("2025Q3", "2026-12-07", Compare::Yoy);
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2024-07-01"), d("2024-09-30"))
        );
        assert_eq!(p.before_word, "上年同期");
        let p = of("2025Q1", "2026-12-07", Compare::Prev);
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2024-10-01"), d("2024-12-31"))
        );
        let p = of("2025-03", "2026-12-07", Compare::Prev);
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2025-02-01"), d("2025-02-28"))
        );
        let p = of("2025H1", "2026-12-07", Compare::Prev);
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2024-07-01"), d("2024-12-31"))
        );
    }

    #[test]
    fn a_period_running_past_the_reference_date_stops_there_and_so_does_its_comparison() {
        let p = of("2026", "2026-12-07", Compare::Yoy);
        assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-12-07")));
        assert_eq!(p.label, "2026年（截至12月7日）");
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2025-01-01"), d("2025-12-07"))
        );
        let p = of("2026Q4", "2026-12-07", Compare::Prev);
        assert_eq!((p.from, p.to), (d("2026-10-01"), d("2026-12-07")));
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2026-07-01"), d("2026-09-07"))
        );
        // 31 March cut: the month before has no 31st.
        let p = of("2025-03", "2025-03-31", Compare::Prev);
        assert_eq!(p.to, d("2025-03-31"));
        assert_eq!(p.before_to, d("2025-02-28"));
        let p = of("2025Q2", "2025-05-31", Compare::Prev);
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2025-01-01"), d("2025-02-28"))
        );
    }

    #[test]
    fn no_period_is_the_year_to_date_and_a_range_compares_with_as_many_days_before() {
        let p = PagePeriod::resolve(None, None, None, d("2023-03-25"), Compare::Yoy).unwrap();
        assert_eq!((p.from, p.to), (d("2023-01-01"), d("2023-03-25")));
        assert_eq!(p.query(), "period=2023");
        let p = PagePeriod::resolve(
            None,
            Some("2025-03-01"),
            Some("2025-03-10"),
            d("2026-01-01"),
            Compare::Prev,
        )
        .unwrap();
        assert_eq!(
            (p.before_from, p.before_to),
            (d("2025-02-19"), d("2025-02-28"))
        );
        assert_eq!(p.query(), "from=2025-03-01&to=2025-03-10&compare=prev");
    }

    #[test]
    fn bad_periods_are_refused_in_chinese() {
        for (period, from, to) in [
            (Some("2025Q5"), None, None),
            (Some("2025"), Some("2025-01-01"), Some("2025-02-01")),
            (None, Some("2025-01-01"), None),
            (None, Some("2025-02-01"), Some("2025-01-01")),
            (None, Some("2025-02-30"), Some("2025-03-01")),
        ] {
            let e =
                PagePeriod::resolve(period, from, to, d("2026-01-01"), Compare::Yoy).unwrap_err();
            let WebError::BadRequest(message) = e else {
                panic!("{e:?}")
            };
            assert!(!message.is_ascii(), "{message}");
        }
    }
}

/// What a workflow module's indicators page shows: the period (default this year), the grouping
/// and the comparison (default 同比), and the API query of a grouping, so that the page's figures
/// are the API's.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorPage {
    pub period: String,
    pub period_zh: String,
    pub by: String,
    pub compare: String,
    pub reference: NaiveDate,
}

impl IndicatorPage {
    pub(crate) fn read(
        params: &crate::api::Params,
        today: NaiveDate,
        default_by: &str,
    ) -> Result<IndicatorPage, WebError> {
        let period = params
            .get("period")
            .map(str::to_owned)
            .unwrap_or_else(|| chrono::Datelike::year(&today).to_string());
        let parsed = tianping_domain::period::Period::parse(&period)
            .map_err(|e| WebError::BadRequest(format!("period：{e}")))?;
        Ok(IndicatorPage {
            period_zh: parsed.to_zh(),
            by: params.get("by").unwrap_or(default_by).to_owned(),
            compare: params.get("compare").unwrap_or("yoy").to_owned(),
            period,
            reference: today,
        })
    }

    /// The API's query for the grouping `by`.
    pub(crate) fn query(&self, by: &str) -> Result<crate::api::Params, WebError> {
        crate::api::Params::parse(Some(
            &serde_urlencoded::to_string([
                ("period", self.period.as_str()),
                ("by", by),
                ("compare", self.compare.as_str()),
            ])
            .unwrap_or_default(),
        ))
    }
}
