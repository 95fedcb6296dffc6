//! What every module's indicators share: rounding, rates with a null for an empty denominator
//! (`workflows.md` §0.1), the months of a period for `--by month` (§0.4), and each indicator's
//! change against its base period (§0.5).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tianping_domain::dates::{add_months, month_end};

use super::compare::change;

/// `value` rounded to `decimals` places.
pub fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

/// `num ÷ den` to four decimals; `None` when `den` is 0.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| round(num as f64 / den as f64, 4))
}

/// The months of `[from, to]`, each clipped to the period: `(YYYY-MM, first, last)`.
pub fn months(from: NaiveDate, to: NaiveDate) -> Vec<(String, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while start <= to {
        let end = month_end(start);
        out.push((
            format!("{:04}-{:02}", start.year(), start.month()),
            start.max(from),
            end.min(to),
        ));
        start = add_months(start, 1);
    }
    out
}

/// The numeric fields of a serialized indicator set, by id (booleans and nulls as `None`).
fn numbers<T: Serialize>(indicators: &T) -> BTreeMap<String, Option<f64>> {
    match serde_json::to_value(indicators) {
        Ok(serde_json::Value::Object(map)) => {
            map.into_iter().map(|(k, v)| (k, v.as_f64())).collect()
        }
        _ => BTreeMap::new(),
    }
}

/// Each indicator's change against the base (§0.5), rounded to four decimals: the difference
/// for the ids in `rate_ids`, relative for the others; `None` for booleans.
pub fn changes<T: Serialize>(
    current: &T,
    base: &T,
    rate_ids: &[&str],
) -> BTreeMap<String, Option<f64>> {
    let (cur, old) = (numbers(current), numbers(base));
    cur.into_iter()
        .map(|(id, value)| {
            let is_rate = rate_ids.contains(&id.as_str());
            let c = change(value, old.get(&id).copied().flatten(), is_rate).map(|c| round(c, 4));
            (id, c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Two {
        count: u64,
        rate: Option<f64>,
        flag: Option<bool>,
    }

    #[test]
    fn counts_change_relatively_rates_by_points_booleans_not_at_all() {
        let cur = Two {
            count: 116,
            rate: Some(0.7375),
            flag: Some(true),
        };
        let base = Two {
            count: 100,
            rate: Some(0.6471),
            flag: Some(false),
        };
        let c = changes(&cur, &base, &["rate"]);
        assert_eq!(c["count"], Some(0.16));
        assert_eq!(c["rate"], Some(0.0904));
        assert_eq!(c["flag"], None);
        assert_eq!(ratio(1, 0), None);
        assert_eq!(ratio(6, 7), Some(0.8571));
    }

    #[test]
    fn months_are_clipped_to_the_period() {
        let d = |s| tianping_domain::dates::parse_date(s).unwrap();
        let m = months(d("2023-11-15"), d("2024-01-10"));
        assert_eq!(
            m,
            vec![
                ("2023-11".to_owned(), d("2023-11-15"), d("2023-11-30")),
                ("2023-12".to_owned(), d("2023-12-01"), d("2023-12-31")),
                ("2024-01".to_owned(), d("2024-01-01"), d("2024-01-10")),
            ]
        );
    }
}
