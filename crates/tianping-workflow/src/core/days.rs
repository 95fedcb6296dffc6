//! Day counting of the workflow modules (`workflows.md` §0.2), on the same calendar and the
//! same steps as the 审限 of `time-limits.md`:
//!
//! - D1 `+N days`: `start + N`; day 1 is the day after the start (CPL art. 85 ¶2: 期间开始的时
//!   和日，不计算在期间内);
//! - D2 `+N months`: `add_months(start, N)`, clamped to the month's end (CPL art. 85);
//! - D3 excluded days: inclusive intervals, merged, counted only after the start and up to the
//!   cut-off (an open interval runs to the cut-off);
//! - D4 roll-over: a deadline on a rest day moves to the next working day (CPL art. 85 ¶3: 期间
//!   届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期), setting
//!   `holiday_rollover`, default on;
//! - D5 `+N working days`: the N-th working day after the start day (the start never counts); a
//!   working day is one the holiday calendar does not mark as a rest day, so the make-up working
//!   days (调休上班) count. No roll-over is needed.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::dates::{add_days, days_between};
use tianping_domain::time_limit::{LimitSpan, merge_intervals};

/// D5: the `n`-th working day after `start` (`n` = 0 is `start` itself), and whether every day
/// looked at lies in a year whose holiday notice is loaded (otherwise weekends only were used).
pub fn add_working_days(start: NaiveDate, n: u32, calendar: &HolidayCalendar) -> (NaiveDate, bool) {
    let mut day = start;
    let mut known = calendar.knows_year(start.year());
    let mut left = n;
    while left > 0 {
        let Some(next) = day.succ_opt() else {
            return (day, false);
        };
        day = next;
        let kind = calendar.day_kind(day);
        known &= kind.known;
        if !kind.is_rest_day {
            left -= 1;
        }
    }
    (day, known)
}

/// The deadline of one obligation with every step that led to it (what `MODULE show` prints
/// under `deadlines`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationDeadline {
    pub start_date: NaiveDate,
    /// The limit without extensions (`30日`, `2个月`).
    pub base: LimitSpan,
    /// Days added by extensions (延长).
    pub extension_days: i64,
    /// The excluded intervals, merged and clipped to (start, cut-off].
    pub excluded: Vec<(NaiveDate, NaiveDate)>,
    pub excluded_days: i64,
    /// The normal deadline (without extensions), after the roll-over.
    pub normal_deadline: NaiveDate,
    /// Before the holiday roll-over.
    pub before_roll_over: NaiveDate,
    pub deadline: NaiveDate,
    /// False when a day looked at lies in a year the calendar does not know.
    pub calendar_known: bool,
}

/// D1 + D2 + D3 + D4: `start` plus `base` (months, then days) plus `extension_days`, plus the
/// days of the `excluded` intervals after the start and up to `cutoff` (an interval without an
/// end runs to `cutoff`), rolled over rest days when `rollover` is on.
pub fn obligation_deadline(
    start: NaiveDate,
    base: LimitSpan,
    extension_days: i64,
    excluded: &[(NaiveDate, Option<NaiveDate>)],
    cutoff: NaiveDate,
    calendar: &HolidayCalendar,
    rollover: bool,
) -> ObligationDeadline {
    let excluded = merge_intervals(
        excluded.iter().map(|(s, e)| (*s, e.unwrap_or(cutoff))),
        start.succ_opt().unwrap_or(start),
        cutoff,
    );
    let excluded_days: i64 = excluded.iter().map(|(s, e)| days_between(*s, *e) + 1).sum();
    let normal = add_days(base.end_from(start), excluded_days);
    let before_roll_over = add_days(normal, extension_days);
    let roll = |d: NaiveDate| {
        if rollover {
            calendar.next_working_day(d)
        } else {
            (d, calendar.knows_year(d.year()))
        }
    };
    let (normal_deadline, normal_known) = roll(normal);
    let (deadline, known) = roll(before_roll_over);
    ObligationDeadline {
        start_date: start,
        base,
        extension_days,
        excluded,
        excluded_days,
        normal_deadline,
        before_roll_over,
        deadline,
        calendar_known: normal_known && known,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tianping_domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn calendar() -> HolidayCalendar {
        HolidayCalendar::builtin()
    }

    fn days(start: &str, n: i64) -> ObligationDeadline {
        obligation_deadline(
            d(start),
            LimitSpan::days(n as u32),
            0,
            &[],
            d("2030-01-01"),
            &calendar(),
            true,
        )
    }

    #[test]
    fn the_worked_examples_of_section_0_2() {
        // D5: 09-28 is day 1; 09-29…10-06 are rest days; 10-07 and 10-08 are make-up working days.
        assert_eq!(
            add_working_days(d("2023-09-27"), 3, &calendar()),
            (d("2023-10-08"), true)
        );
        // D1 + D4: 2023-10-05 is a rest day of the National Day holiday.
        let r = days("2023-09-20", 15);
        assert_eq!(r.before_roll_over, d("2023-10-05"));
        assert_eq!(r.deadline, d("2023-10-07"));
    }

    #[test]
    fn the_mediation_examples_of_section_1_3() {
        // 委派 accepted 2023-09-01: + 30 = 10-01, a rest day → 10-07.
        assert_eq!(days("2023-09-01", 30).deadline, d("2023-10-07"));
        // 委派 accepted 03-15, 鉴定评估 03-20…03-29 (10 days), 延长 15 days.
        let r = obligation_deadline(
            d("2023-03-15"),
            LimitSpan::days(30),
            15,
            &[(d("2023-03-20"), Some(d("2023-03-29")))],
            d("2023-12-31"),
            &calendar(),
            true,
        );
        assert_eq!(r.excluded_days, 10);
        assert_eq!(r.normal_deadline, d("2023-04-24"));
        assert_eq!(r.deadline, d("2023-05-09"));
        // 委托 (普通程序) accepted 2023-06-20: 15 days.
        assert_eq!(days("2023-06-20", 15).deadline, d("2023-07-05"));
        // A referral on 2023-06-21 is accepted within 3 working days: 06-22…06-24 are rest days
        // (端午节), 06-25 a make-up working day.
        assert_eq!(
            add_working_days(d("2023-06-21"), 3, &calendar()).0,
            d("2023-06-27")
        );
    }

    #[test]
    fn an_open_excluded_interval_runs_to_the_cut_off_and_none_counts_before_the_start() {
        let r = obligation_deadline(
            d("2023-03-15"),
            LimitSpan::days(30),
            0,
            &[
                (d("2023-03-10"), Some(d("2023-03-16"))),
                (d("2023-04-01"), None),
            ],
            d("2023-04-05"),
            &calendar(),
            false,
        );
        // 03-16 (one day after the start) and 04-01…04-05 (five days).
        assert_eq!(
            r.excluded,
            vec![
                (d("2023-03-16"), d("2023-03-16")),
                (d("2023-04-01"), d("2023-04-05"))
            ]
        );
        assert_eq!(r.excluded_days, 6);
        assert_eq!(r.deadline, d("2023-04-20"));
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        let r = obligation_deadline(
            d("2023-12-31"),
            LimitSpan::months(2),
            0,
            &[],
            d("2024-12-31"),
            &calendar(),
            false,
        );
        assert_eq!(r.deadline, d("2024-02-29"));
    }

    #[test]
    fn a_year_without_a_notice_counts_weekends_only_and_says_so() {
        // 2027 has no notice yet.
        let (day, known) = add_working_days(d("2027-04-01"), 2, &calendar());
        assert_eq!(day, d("2027-04-05"));
        assert!(!known);
        assert!(!days("2027-04-01", 10).calendar_known);
    }

    proptest! {
        /// D5 against a day-by-day count: the result is a working day after the start, and
        /// exactly `n` working days lie in (start, result].
        #[test]
        fn working_days_agree_with_a_day_by_day_count(offset in 0i64..(365 * 19), n in 0u32..40) {
            let cal = calendar();
            let start = add_days(d("2007-01-01"), offset);
            let (end, _) = add_working_days(start, n, &cal);
            let mut count = 0;
            let mut day = start;
            while day < end {
                day = day.succ_opt().unwrap();
                if !cal.is_rest_day(day) {
                    count += 1;
                }
            }
            prop_assert_eq!(count, n);
            prop_assert!(n == 0 || !cal.is_rest_day(end));
            prop_assert!(end >= start);
        }

        /// D1 + D4: the deadline is the first working day on or after start + N (+ excluded).
        #[test]
        fn a_rolled_deadline_is_the_first_working_day_on_or_after_the_plain_one(
            offset in 0i64..(365 * 19),
            n in 1u32..90,
        ) {
            let cal = calendar();
            let start = add_days(d("2007-01-01"), offset);
            let r = obligation_deadline(start, LimitSpan::days(n), 0, &[], start, &cal, true);
            prop_assert_eq!(r.before_roll_over, add_days(start, i64::from(n)));
            prop_assert!(!cal.is_rest_day(r.deadline));
            let mut day = r.before_roll_over;
            while day < r.deadline {
                prop_assert!(cal.is_rest_day(day));
                day = day.succ_opt().unwrap();
            }
        }
    }
}
