//! Calendar arithmetic used by the time-limit rules, and the date spellings Chinese offices write.
//!
//! Every function here is total: no input date, month count or day count can make it panic or
//! overflow. Arithmetic that would leave chrono's calendar (about ±262,000 years) saturates at its
//! first or last day, so a deadline pushed beyond the calendar by an absurd extension reads as
//! "not due" instead of stopping the process. Imports refuse such values long before that: dates
//! must lie in [`ACCEPTED_FIRST`]..=[`ACCEPTED_LAST`] ([`check_accepted`]), and the lengths of
//! extensions are bounded by [`crate::time_limit::MAX_EXTENSION_MONTHS`] and
//! [`crate::time_limit::MAX_EXTENSION_DAYS`].

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

pub use chrono::NaiveDate as Date;

/// The first date an imported record may carry: the founding of the People's Republic
/// (1949-10-01). No case of a people's court (人民法院) is older.
pub const ACCEPTED_FIRST: NaiveDate = match NaiveDate::from_ymd_opt(1949, 10, 1) {
    Some(date) => date,
    None => panic!("1949-10-01 is a date"),
};

/// The last date an imported record may carry (2099-12-31): far enough for any deadline of a
/// case filed today, near enough that a typo such as 9999-12-31 or 2203-01-01 is caught.
pub const ACCEPTED_LAST: NaiveDate = match NaiveDate::from_ymd_opt(2099, 12, 31) {
    Some(date) => date,
    None => panic!("2099-12-31 is a date"),
};

/// Whether `date` lies in the window of dates an import accepts; the error says which window.
pub fn check_accepted(date: NaiveDate) -> Result<NaiveDate, DateError> {
    if (ACCEPTED_FIRST..=ACCEPTED_LAST).contains(&date) {
        Ok(date)
    } else {
        Err(DateError::OutsideAccepted(date))
    }
}

/// The same day-of-month `months` later, clamped to the last day of the target month
/// (2023-08-31 + 6 months = 2024-02-29). CPL art. 85: a period in months ends on the
/// corresponding day of the last month. Saturates at the calendar's last day.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` plus `days` calendar days (negative: earlier). Saturates at the calendar's ends.
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days)
        .and_then(|delta| date.checked_add_signed(delta))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// `a - b` in calendar days.
pub fn days_between(b: NaiveDate, a: NaiveDate) -> i64 {
    (a - b).num_days()
}

/// 1970-01-01, day number 0.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => panic!("1970-01-01 is a date"),
};

/// A date as a day number (days since 1970-01-01), for columnar storage. Every date chrono can
/// hold fits (its range is about ±96 million days).
pub fn to_day_number(date: NaiveDate) -> i32 {
    days_between(EPOCH, date) as i32
}

/// The date of a day number; numbers beyond the calendar (only a damaged cache file could hold
/// them) saturate at its ends.
pub fn from_day_number(day: i32) -> NaiveDate {
    add_days(EPOCH, i64::from(day))
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("'{0}' is not a date (expected 2023-03-15, 2023/3/15, 2023.3.15 or 2023年3月15日)")]
    Format(String),
    #[error("'{0}' does not exist in the calendar")]
    NoSuchDay(String),
    #[error("{0} lies outside the dates Tianping accepts (1949-10-01 to 2099-12-31)")]
    OutsideAccepted(NaiveDate),
}

impl DateError {
    /// The reason in Chinese, as the import messages (read by court staff) give it. The English
    /// `Display` stays what the command-line options print (`--from: '…' is not a date`).
    pub fn zh(&self) -> String {
        match self {
            DateError::Format(text) => {
                format!("“{text}”不是日期（应为 2023-03-15 这样的格式）")
            }
            DateError::NoSuchDay(text) => format!("日期“{text}”不存在"),
            DateError::OutsideAccepted(date) => {
                format!("日期 {date} 超出可接受的范围（1949-10-01 至 2099-12-31）")
            }
        }
    }
}

/// Parse the date spellings of the exchange format: `2023-03-15`, `2023/3/15`, `2023.3.15`,
/// `2023年3月15日`, also with full-width digits. A time of day after a space is ignored.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let trimmed = text.trim();
    let date_part = trimmed.split([' ', 'T']).next().unwrap_or("");
    let normalized: String = date_part
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            '年' | '月' | '/' | '.' | '－' => '-',
            '日' => ' ',
            other => other,
        })
        .collect();
    let parts: Vec<&str> = normalized.trim().split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(DateError::Format(trimmed.to_owned()));
    };
    let ok = |s: &str, max_len| {
        !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
    };
    if y.len() != 4 || !ok(y, 4) || !ok(m, 2) || !ok(d, 2) {
        return Err(DateError::Format(trimmed.to_owned()));
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DateError::NoSuchDay(trimmed.to_owned()))
}

/// Last day of the month `date` is in.
pub fn month_end(date: NaiveDate) -> NaiveDate {
    match date
        .with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
    {
        Some(first_next) => first_next.pred_opt().unwrap_or(first_next),
        // The calendar's last month ends on its last day.
        None => NaiveDate::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn add_months_clamps_to_the_month_end() {
        assert_eq!(add_months(d("2023-08-31"), 6), d("2024-02-29"));
        assert_eq!(add_months(d("2022-08-31"), 6), d("2023-02-28"));
        assert_eq!(add_months(d("2023-01-31"), 1), d("2023-02-28"));
        assert_eq!(add_months(d("2023-03-15"), 3), d("2023-06-15"));
        assert_eq!(add_months(d("2023-10-31"), 2), d("2023-12-31"));
        assert_eq!(add_months(d("2023-11-30"), 3), d("2024-02-29"));
    }

    #[test]
    fn parses_the_spellings_of_the_exchange_format() {
        for s in [
            "2023-03-01",
            "2023/3/1",
            "2023.3.1",
            "2023年3月1日",
            " 2023-3-1 ",
            "２０２３年３月１日",
        ] {
            assert_eq!(d(s), NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(), "{s}");
        }
        assert_eq!(
            d("2023-03-01 00:00:00"),
            NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()
        );
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        assert_eq!(
            parse_date("2023-02-29"),
            Err(DateError::NoSuchDay("2023-02-29".into()))
        );
        assert!(matches!(
            parse_date("2023-13-01"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(parse_date("23-3-1"), Err(DateError::Format(_))));
        assert!(matches!(parse_date("yesterday"), Err(DateError::Format(_))));
        assert!(matches!(parse_date(""), Err(DateError::Format(_))));
    }

    #[test]
    fn the_chinese_reasons_quote_the_date_as_written() {
        assert_eq!(
            parse_date("2023-13-01").unwrap_err().zh(),
            "日期“2023-13-01”不存在"
        );
        assert_eq!(
            parse_date("15.03.2023").unwrap_err().zh(),
            "“15.03.2023”不是日期（应为 2023-03-15 这样的格式）"
        );
        assert_eq!(
            check_accepted(d("9999-12-31")).unwrap_err().zh(),
            "日期 9999-12-31 超出可接受的范围（1949-10-01 至 2099-12-31）"
        );
        // The options of the command line keep their English text.
        assert_eq!(
            parse_date("2023-13-01").unwrap_err().to_string(),
            "'2023-13-01' does not exist in the calendar"
        );
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(to_day_number(d("1970-01-02")), 1);
        assert_eq!(
            from_day_number(to_day_number(d("2024-02-29"))),
            d("2024-02-29")
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i32..40_000).prop_map(from_day_number)
    }

    #[test]
    fn arithmetic_beyond_the_calendar_saturates_instead_of_panicking() {
        // An imported extension of 2,147,483,647 months or 100,000,000 days once panicked here.
        assert_eq!(add_months(d("2023-03-15"), u32::MAX), NaiveDate::MAX);
        assert_eq!(add_months(d("2023-03-15"), 2_147_483_647), NaiveDate::MAX);
        assert_eq!(add_days(d("2023-03-15"), 100_000_000), NaiveDate::MAX);
        assert_eq!(add_days(d("2023-03-15"), i64::MAX), NaiveDate::MAX);
        assert_eq!(add_days(d("2023-03-15"), i64::MIN), NaiveDate::MIN);
        assert_eq!(add_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(from_day_number(i32::MAX), NaiveDate::MAX);
        assert_eq!(from_day_number(i32::MIN), NaiveDate::MIN);
        assert_eq!(month_end(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(month_end(d("2024-02-10")), d("2024-02-29"));
    }

    #[test]
    fn the_accepted_window_runs_from_1949_10_01_to_2099_12_31() {
        assert!(check_accepted(d("1949-10-01")).is_ok());
        assert!(check_accepted(d("2099-12-31")).is_ok());
        assert_eq!(
            check_accepted(d("1949-09-30")),
            Err(DateError::OutsideAccepted(d("1949-09-30")))
        );
        assert!(check_accepted(d("0000-01-01")).is_err());
        assert!(check_accepted(d("9999-12-31")).is_err());
        assert!(check_accepted(d("2100-01-01")).is_err());
    }

    proptest! {
        #[test]
        fn no_day_number_month_or_day_count_makes_the_arithmetic_panic(
            day in any::<i32>(), months in any::<u32>(), days in any::<i64>()
        ) {
            let date = from_day_number(day);
            let later = add_months(date, months);
            prop_assert!(later >= date);
            let moved = add_days(date, days);
            let direction_kept = if days >= 0 { moved >= date } else { moved <= date };
            prop_assert!(direction_kept);
            prop_assert!(month_end(date) >= date);
            // Within the calendar a day number round-trips.
            prop_assert_eq!(from_day_number(to_day_number(date)), date);
        }

        #[test]
        fn add_months_never_produces_an_invalid_date(date in any_date(), months in 0u32..400) {
            let result = add_months(date, months);
            // A valid NaiveDate exists by construction; check the day is the same or clamped.
            let expected_month0 = (date.month0() + months) % 12;
            prop_assert_eq!(result.month0(), expected_month0);
            prop_assert!(result.day() == date.day() || result == month_end(result));
            prop_assert!(result.day() <= date.day());
            prop_assert!(result >= date);
        }

        #[test]
        fn add_months_is_monotonic(date in any_date(), a in 0u32..120, b in 0u32..120) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(add_months(date, lo) <= add_months(date, hi));
        }

        #[test]
        fn later_start_never_gives_an_earlier_end(date in any_date(), days in 0i64..400, months in 0u32..36) {
            prop_assert!(add_months(date, months) <= add_months(add_days(date, days), months));
        }

        #[test]
        fn formatted_dates_parse_back(date in any_date()) {
            let text = format!("{}年{}月{}日", date.year(), date.month(), date.day());
            prop_assert_eq!(parse_date(&text).unwrap(), date);
            prop_assert_eq!(parse_date(&date.to_string()).unwrap(), date);
        }
    }
}
