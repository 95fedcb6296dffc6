//! Comparisons (`workflows.md` §0.5): 同比 against the same days a year earlier
//! (`add_months(from, −12)`, so 2024-02-29 becomes 2023-02-28), 环比 against the period of equal
//! length in days ending the day before `from`; the as-of date shifts the same way. The change of
//! a count, amount or number of days is relative ((cur − base) ÷ base, none when the base is 0);
//! of a rate or other ratio it is the difference (points, as a fraction).

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    None,
    Yoy,
    Prev,
}

impl Compare {
    pub fn parse(text: &str) -> Option<Compare> {
        match text {
            "none" => Some(Compare::None),
            "yoy" => Some(Compare::Yoy),
            "prev" => Some(Compare::Prev),
            _ => None,
        }
    }
}

/// The same day twelve months earlier, clamped to the month's end.
fn year_earlier(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year() - 1, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(date.year() - 1, date.month(), 28))
        .unwrap_or(date)
}

/// The base period `(from, to, as_of)` of a comparison; `None` for `Compare::None`.
pub fn base_period(
    compare: Compare,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Option<(NaiveDate, NaiveDate, NaiveDate)> {
    match compare {
        Compare::None => None,
        Compare::Yoy => Some((year_earlier(from), year_earlier(to), year_earlier(as_of))),
        Compare::Prev => {
            let length = (to - from).num_days() + 1;
            let shift = Duration::days(length);
            Some((from - shift, to - shift, as_of - shift))
        }
    }
}

/// The change of a value against its base: relative for counts, amounts and days; the
/// difference for rates and ratios (`is_rate`). `None` when either is missing or a relative
/// change has a base of 0.
pub fn change(current: Option<f64>, base: Option<f64>, is_rate: bool) -> Option<f64> {
    let (c, b) = (current?, base?);
    if is_rate {
        Some(c - b)
    } else if b == 0.0 {
        None
    } else {
        Some((c - b) / b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn base_periods_of_yoy_and_prev() {
        assert_eq!(
            base_period(
                Compare::Yoy,
                d("2024-01-01"),
                d("2024-02-29"),
                d("2024-02-29")
            ),
            Some((d("2023-01-01"), d("2023-02-28"), d("2023-02-28")))
        );
        // A quarter of 92 days: the 92 days before it.
        assert_eq!(
            base_period(
                Compare::Prev,
                d("2025-07-01"),
                d("2025-09-30"),
                d("2025-10-15")
            ),
            Some((d("2025-03-31"), d("2025-06-30"), d("2025-07-15")))
        );
        assert_eq!(
            base_period(
                Compare::None,
                d("2025-07-01"),
                d("2025-09-30"),
                d("2025-10-15")
            ),
            None
        );
    }

    #[test]
    fn changes_are_relative_for_counts_and_differences_for_rates() {
        assert_eq!(change(Some(116.0), Some(100.0), false), Some(0.16));
        assert_eq!(change(Some(5.0), Some(0.0), false), None);
        let points = change(Some(0.9573), Some(0.9343), true).unwrap();
        assert!((points - 0.023).abs() < 1e-12);
        assert_eq!(change(None, Some(1.0), true), None);
    }
}
