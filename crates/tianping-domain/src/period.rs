//! Reporting periods (统计期间) as courts name them: a year, a half, a quarter or a month.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::dates::{add_months, month_end};

/// `2023`, `2023H1`, `2023Q4`, `2023-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum Period {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a period (expected 2023, 2023H1, 2023Q4 or 2023-12)")]
pub struct PeriodError(pub String);

impl Period {
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let t = text.trim();
        let err = || PeriodError(text.to_owned());
        let year = |s: &str| -> Result<i32, PeriodError> {
            match s.parse::<i32>() {
                Ok(y) if s.len() == 4 && (1949..=2099).contains(&y) => Ok(y),
                _ => Err(err()),
            }
        };
        let part = |s: &str, max: u8| -> Result<u8, PeriodError> {
            match s.parse::<u8>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(err()),
            }
        };
        if t.len() == 4 {
            return Ok(Period::Year(year(t)?));
        }
        let (y, rest) = t.split_at_checked(4).ok_or_else(err)?;
        let y = year(y)?;
        if let Some(h) = rest.strip_prefix(['H', 'h']) {
            return Ok(Period::Half(y, part(h, 2)?));
        }
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            return Ok(Period::Quarter(y, part(q, 4)?));
        }
        if let Some(m) = rest.strip_prefix('-').filter(|m| m.len() <= 2) {
            return Ok(Period::Month(y, part(m, 12)?));
        }
        Err(err())
    }

    pub fn first_day(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Year(y) => (y, 1),
            Period::Half(y, h) => (y, 1 + 6 * (u32::from(h) - 1)),
            Period::Quarter(y, q) => (y, 1 + 3 * (u32::from(q) - 1)),
            Period::Month(y, m) => (y, u32::from(m)),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    pub fn months(self) -> u32 {
        match self {
            Period::Year(_) => 12,
            Period::Half(..) => 6,
            Period::Quarter(..) => 3,
            Period::Month(..) => 1,
        }
    }

    pub fn last_day(self) -> NaiveDate {
        month_end(add_months(self.first_day(), self.months() - 1))
    }

    /// The same period one year earlier (同比).
    pub fn previous_year(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Half(y, h) => Period::Half(y - 1, h),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Month(y, m) => Period::Month(y - 1, m),
        }
    }

    pub fn year(self) -> i32 {
        self.first_day().year()
    }

    /// `2023年`, `2023年上半年`, `2023年第四季度`, `2023年12月`.
    pub fn to_zh(self) -> String {
        match self {
            Period::Year(y) => format!("{y}年"),
            Period::Half(y, 1) => format!("{y}年上半年"),
            Period::Half(y, _) => format!("{y}年下半年"),
            Period::Quarter(y, q) => {
                format!(
                    "{y}年第{}季度",
                    ["一", "二", "三", "四"][usize::from(q) - 1]
                )
            }
            Period::Month(y, m) => format!("{y}年{m}月"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn periods_cover_the_right_days() {
        let cases = [
            ("2023", "2023-01-01", "2023-12-31"),
            ("2023H1", "2023-01-01", "2023-06-30"),
            ("2023H2", "2023-07-01", "2023-12-31"),
            ("2024Q1", "2024-01-01", "2024-03-31"),
            ("2023Q4", "2023-10-01", "2023-12-31"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("2023-2", "2023-02-01", "2023-02-28"),
        ];
        for (text, first, last) in cases {
            let p = Period::parse(text).unwrap();
            assert_eq!((p.first_day(), p.last_day()), (d(first), d(last)), "{text}");
        }
        assert_eq!(
            Period::parse("2024Q1").unwrap().previous_year().to_string(),
            "2023Q1"
        );
        assert_eq!(Period::parse("2023-12").unwrap().to_zh(), "2023年12月");
        assert_eq!(Period::parse("2023Q4").unwrap().to_zh(), "2023年第四季度");
    }

    #[test]
    fn malformed_periods_are_refused() {
        for bad in [
            "", "23", "2023H3", "2023Q0", "2023-13", "2023-123", "20231", "abcd", "2023X1",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
