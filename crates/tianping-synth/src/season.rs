//! Working days and the seasonal pattern of filings.
//!
//! Courts register cases on working days of the State Council calendar. Filings are fewer around
//! the Spring Festival (people go home; the courts are closed for a week) and during the National
//! Day week, more in March-April, and bunch up in the first days after a long holiday.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use tianping_domain::HolidayCalendar;
use tianping_domain::dates::add_days;

use crate::random::SynthRng;

/// Rest days of the holiday calendar over a date range, for quick look-up.
#[derive(Debug, Clone)]
pub(crate) struct WorkDays {
    start: NaiveDate,
    rest: Vec<bool>,
}

impl WorkDays {
    pub(crate) fn new(calendar: &HolidayCalendar, start: NaiveDate, end: NaiveDate) -> WorkDays {
        let days = (end - start).num_days().max(0) as usize + 1;
        let rest = (0..days)
            .map(|i| calendar.is_rest_day(add_days(start, i as i64)))
            .collect();
        WorkDays { start, rest }
    }

    /// A weekend outside the table's range counts as a rest day (no notice known there).
    pub(crate) fn is_rest(&self, date: NaiveDate) -> bool {
        let offset = (date - self.start).num_days();
        if offset >= 0 && (offset as usize) < self.rest.len() {
            self.rest[offset as usize]
        } else {
            date.weekday().number_from_monday() >= 6
        }
    }

    /// `date` itself when it is a working day, else the next working day.
    pub(crate) fn next_working(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while self.is_rest(day) {
            day = add_days(day, 1);
        }
        day
    }

    /// `date` itself when it is a working day, else the previous working day.
    pub(crate) fn prev_working(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while self.is_rest(day) {
            day = add_days(day, -1);
        }
        day
    }

    /// The first `n` working days from `date` on.
    pub(crate) fn working_days_from(&self, date: NaiveDate, n: usize) -> Vec<NaiveDate> {
        let mut out = Vec::with_capacity(n);
        let mut day = date;
        while out.len() < n {
            if !self.is_rest(day) {
                out.push(day);
            }
            day = add_days(day, 1);
        }
        out
    }
}

/// Relative filing volume by month. February is low (Spring Festival), March-April high (the
/// first full months after the holiday; seed reports describe the spring peak), October low
/// (National Day week), December neither: the year-end effect in the data is the courts'
/// registration hold-back, not the public's behaviour.
const MONTH_FACTOR: [f64; 12] = [
    1.0, 0.9, 1.22, 1.14, 0.98, 1.04, 1.0, 0.95, 1.02, 0.94, 1.03, 1.0,
];

/// Extra filings on the first working days after a holiday of three or more rest days: the
/// backlog of the holiday.
const AFTER_HOLIDAY: [f64; 5] = [1.5, 1.38, 1.26, 1.15, 1.07];

/// The days of one year that receive filings, with cumulative weights for sampling.
#[derive(Debug, Clone)]
struct SeasonYear {
    year: i32,
    days: Vec<NaiveDate>,
    cumulative: Vec<f64>,
    /// Share of the year's weight on or before the end date.
    covered: f64,
}

/// The seasonal distribution of received dates, one table per year.
#[derive(Debug, Clone)]
pub(crate) struct Season {
    years: Vec<SeasonYear>,
}

impl Season {
    pub(crate) fn new(
        calendar: &HolidayCalendar,
        work: &WorkDays,
        first_year: i32,
        last_year: i32,
        end: NaiveDate,
    ) -> Season {
        let years = (first_year..=last_year)
            .map(|year| season_year(calendar, work, year, end))
            .collect();
        Season { years }
    }

    fn year(&self, year: i32) -> Option<&SeasonYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Share of `year`'s filings that fall on or before the end date.
    pub(crate) fn coverage(&self, year: i32) -> f64 {
        self.year(year).map_or(0.0, |y| y.covered)
    }

    /// A working day of `year`, drawn with the seasonal weights.
    pub(crate) fn sample(&self, year: i32, rng: &mut SynthRng) -> NaiveDate {
        let table = self.year(year).expect("year inside the configured range");
        let total = *table.cumulative.last().expect("a year has working days");
        let target = rng.random::<f64>() * total;
        let index = table.cumulative.partition_point(|&c| c <= target);
        table.days[index.min(table.days.len() - 1)]
    }
}

fn season_year(
    calendar: &HolidayCalendar,
    work: &WorkDays,
    year: i32,
    end: NaiveDate,
) -> SeasonYear {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    // The seven working days before the Spring Festival holiday are quiet.
    let festival = (0..=(last - first).num_days())
        .map(|i| add_days(first, i))
        .find(|d| {
            calendar
                .special_day(*d)
                .is_some_and(|s| s.is_off_day && s.name.contains("春节"))
        });
    let quiet: Vec<NaiveDate> = match festival {
        Some(start) => {
            let mut days = Vec::new();
            let mut day = add_days(start, -1);
            while days.len() < 7 {
                if !work.is_rest(day) {
                    days.push(day);
                }
                day = add_days(day, -1);
            }
            days
        }
        None => Vec::new(),
    };

    let mut days = Vec::new();
    let mut cumulative = Vec::new();
    let mut total = 0.0;
    let mut covered = 0.0;
    // Start in December of the year before to know the holiday run before 1 January.
    let mut day = NaiveDate::from_ymd_opt(year - 1, 12, 1).unwrap();
    let mut rest_run = 0;
    let mut since_holiday = usize::MAX;
    while day <= last {
        if work.is_rest(day) {
            rest_run += 1;
        } else {
            since_holiday = if rest_run >= 3 {
                0
            } else {
                since_holiday.saturating_add(1)
            };
            rest_run = 0;
            if day >= first {
                let mut weight = MONTH_FACTOR[day.month0() as usize];
                if let Some(boost) = AFTER_HOLIDAY.get(since_holiday) {
                    weight *= boost;
                }
                if quiet.contains(&day) {
                    weight *= 0.75;
                }
                // A weekend made a working day by the notice (调休上班) sees fewer visitors.
                if day.weekday().number_from_monday() >= 6 {
                    weight *= 0.7;
                }
                total += weight;
                if day <= end {
                    covered += weight;
                }
                days.push(day);
                cumulative.push(total);
            }
        }
        day = add_days(day, 1);
    }
    SeasonYear {
        year,
        days,
        cumulative,
        covered: if total > 0.0 { covered / total } else { 0.0 },
    }
}
