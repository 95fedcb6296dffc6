//! The State Council holiday calendar (国务院办公厅关于节假日安排的通知), 2007 onwards.
//!
//! Built in: `data/holidays-cn.csv`, converted from the holiday-cn data by
//! `scripts/convert-holidays.py`. An administrator can add a newer year's notice at run time
//! ([`HolidayCalendar::load_notice_json`], [`HolidayCalendar::load_csv`]) without a new release.
//! A year with no entries is unknown: the calendar then falls back to weekends only and the
//! answer says so ([`DayKind::known`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use thiserror::Error;

const BUILTIN: &str = include_str!("../data/holidays-cn.csv");

/// A day the notice names: a day off (放假) or a make-up working day (调休上班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub is_off_day: bool,
    pub name: String,
    /// The year of the notice that names the day (a notice may name days of the previous December).
    pub notice_year: i32,
}

/// What the calendar says about a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayKind {
    pub is_rest_day: bool,
    /// False when the year's notice is not in the calendar: weekends only were used.
    pub known: bool,
}

#[derive(Debug, Error)]
pub enum CalendarError {
    #[error("holiday notice is not valid JSON of the holiday-cn shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("holiday notice for {year}: '{date}' is not a date")]
    BadDate { year: i32, date: String },
    #[error("holiday notice for {year}: {date} lies in another year")]
    WrongYear { year: i32, date: NaiveDate },
    #[error("holiday notice for {year} lists no days")]
    Empty { year: i32 },
    #[error("holiday calendar CSV line {line}: {message}")]
    Csv { line: usize, message: String },
}

#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    days: BTreeMap<NaiveDate, SpecialDay>,
    known_years: BTreeSet<i32>,
    /// One byte a day from [`DENSE_FROM`] for [`DENSE_DAYS`] days (bit 0: rest day, bit 1: the
    /// year is known): deadline computations look days up millions of times.
    dense: Vec<u8>,
}

/// 2000-01-01 as a day number, and 2000-2059.
const DENSE_FROM: i32 = 10_957;
const DENSE_DAYS: usize = 21_915;

#[derive(Deserialize)]
struct NoticeJson {
    year: i32,
    days: Vec<NoticeDay>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NoticeDay {
    name: String,
    date: String,
    is_off_day: bool,
}

impl HolidayCalendar {
    /// A calendar that knows no notices: weekends only.
    pub fn weekends_only() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    /// The calendar shipped in the binary (2007 to the latest published notice).
    pub fn builtin() -> HolidayCalendar {
        static BUILTIN_CALENDAR: std::sync::LazyLock<HolidayCalendar> =
            std::sync::LazyLock::new(|| {
                let mut calendar = HolidayCalendar::default();
                calendar
                    .load_csv(BUILTIN)
                    .expect("built-in holiday calendar is valid");
                calendar
            });
        BUILTIN_CALENDAR.clone()
    }

    /// Load rows `notice_year,date,is_off_day,name` (Tianping's own format, header optional). A
    /// notice year present in the text replaces that year's entries.
    pub fn load_csv(&mut self, text: &str) -> Result<Vec<i32>, CalendarError> {
        let mut parsed: BTreeMap<i32, Vec<(NaiveDate, SpecialDay)>> = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with("notice_year,") || line.starts_with('#') {
                continue;
            }
            let err = |message: String| CalendarError::Csv {
                line: i + 1,
                message,
            };
            let mut fields = line.splitn(4, ',');
            let (year, date, off, name) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next().unwrap_or(""),
            );
            let notice_year: i32 = year
                .and_then(|y| y.trim().parse().ok())
                .ok_or_else(|| err(format!("notice_year must be a year, not {year:?}")))?;
            let date =
                crate::dates::parse_date(date.unwrap_or("")).map_err(|e| err(e.to_string()))?;
            let is_off_day = match off.map(str::trim) {
                Some("true" | "1" | "是" | "休") => true,
                Some("false" | "0" | "否" | "班") => false,
                other => {
                    return Err(err(format!(
                        "is_off_day must be true or false, not {other:?}"
                    )));
                }
            };
            if (date.year() - notice_year).abs() > 1 {
                return Err(err(format!(
                    "{date} lies too far from the notice year {notice_year}"
                )));
            }
            let name = name.trim().to_owned();
            parsed.entry(notice_year).or_default().push((
                date,
                SpecialDay {
                    is_off_day,
                    name,
                    notice_year,
                },
            ));
        }
        let years: Vec<i32> = parsed.keys().copied().collect();
        for (year, days) in parsed {
            self.replace_year(year, days);
        }
        self.rebuild_dense();
        Ok(years)
    }

    /// Load one year's notice in the holiday-cn JSON shape (`{"year", "days": [{"name", "date",
    /// "isOffDay"}]}`). It replaces whatever the calendar held for that year.
    pub fn load_notice_json(&mut self, json: &str) -> Result<i32, CalendarError> {
        let notice: NoticeJson = serde_json::from_str(json)?;
        let year = notice.year;
        if notice.days.is_empty() {
            return Err(CalendarError::Empty { year });
        }
        let mut days = Vec::with_capacity(notice.days.len());
        for day in notice.days {
            let date = crate::dates::parse_date(&day.date).map_err(|_| CalendarError::BadDate {
                year,
                date: day.date.clone(),
            })?;
            if (date.year() - year).abs() > 1 {
                return Err(CalendarError::WrongYear { year, date });
            }
            let special = SpecialDay {
                is_off_day: day.is_off_day,
                name: day.name,
                notice_year: year,
            };
            days.push((date, special));
        }
        self.replace_year(year, days);
        self.rebuild_dense();
        Ok(year)
    }

    fn replace_year(&mut self, year: i32, days: Vec<(NaiveDate, SpecialDay)>) {
        self.days.retain(|_, day| day.notice_year != year);
        if !days.is_empty() {
            self.known_years.insert(year);
        }
        self.days.extend(days);
    }

    fn rebuild_dense(&mut self) {
        self.dense = (0..DENSE_DAYS as i32)
            .map(|k| {
                let kind = self.day_kind_slow(crate::dates::from_day_number(DENSE_FROM + k));
                u8::from(kind.is_rest_day) | (u8::from(kind.known) << 1)
            })
            .collect();
    }

    /// A digest of every entry (FNV-1a): caches of computed deadlines compare it to know
    /// whether they were computed on the same calendar.
    pub fn fingerprint(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for year in &self.known_years {
            eat(&year.to_le_bytes());
        }
        for (date, day) in &self.days {
            eat(date.to_string().as_bytes());
            eat(&[u8::from(day.is_off_day)]);
            eat(&day.notice_year.to_le_bytes());
        }
        hash
    }

    pub fn known_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.known_years.iter().copied()
    }

    pub fn knows_year(&self, year: i32) -> bool {
        self.known_years.contains(&year)
    }

    pub fn special_day(&self, date: NaiveDate) -> Option<&SpecialDay> {
        self.days.get(&date)
    }

    /// The entries of one year's notice, in date order.
    pub fn notice_entries(&self, year: i32) -> Vec<(NaiveDate, &SpecialDay)> {
        self.days
            .iter()
            .filter(|(_, s)| s.notice_year == year)
            .map(|(d, s)| (*d, s))
            .collect()
    }

    /// A rest day is a day the notice marks off, or a weekend it does not mark as a working day.
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        let k = crate::dates::to_day_number(date) - DENSE_FROM;
        if k >= 0
            && let Some(&b) = self.dense.get(k as usize)
        {
            return DayKind {
                is_rest_day: b & 1 != 0,
                known: b & 2 != 0,
            };
        }
        self.day_kind_slow(date)
    }

    fn day_kind_slow(&self, date: NaiveDate) -> DayKind {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let is_rest_day = match self.days.get(&date) {
            Some(day) => day.is_off_day,
            None => weekend,
        };
        DayKind {
            is_rest_day,
            known: self.knows_year(date.year()),
        }
    }

    pub fn is_rest_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date).is_rest_day
    }

    /// `date` itself when it is a working day, else the next working day. The second value is
    /// false when any day looked at lies in a year the calendar does not know.
    pub fn next_working_day(&self, date: NaiveDate) -> (NaiveDate, bool) {
        let mut day = date;
        let mut known = true;
        loop {
            let kind = self.day_kind(day);
            known &= kind.known;
            if !kind.is_rest_day {
                return (day, known);
            }
            // Only the calendar's last day has no successor; no year there is known.
            match day.succ_opt() {
                Some(next) => day = next,
                None => return (day, false),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn builtin_calendar_knows_2007_to_2026_and_not_2027() {
        let cal = HolidayCalendar::builtin();
        let years: Vec<i32> = cal.known_years().collect();
        assert_eq!(years, (2007..=2026).collect::<Vec<_>>());
        // The 2027 notice is not published in the bundled data: weekends only, and it says so.
        assert!(!cal.day_kind(d("2027-10-01")).known);
        assert!(!cal.is_rest_day(d("2027-10-01")));
    }

    #[test]
    fn national_day_is_off_and_the_make_up_saturday_is_a_working_day() {
        let cal = HolidayCalendar::builtin();
        assert!(cal.is_rest_day(d("2024-10-01")));
        assert!(cal.is_rest_day(d("2024-10-07")));
        assert!(
            !cal.is_rest_day(d("2024-10-12")),
            "2024-10-12 is a make-up Saturday"
        );
        assert!(!cal.is_rest_day(d("2024-10-08")));
        assert!(cal.is_rest_day(d("2024-10-13")), "an ordinary Sunday");
        assert_eq!(
            cal.next_working_day(d("2024-10-01")),
            (d("2024-10-08"), true)
        );
        assert_eq!(
            cal.next_working_day(d("2024-10-12")),
            (d("2024-10-12"), true)
        );
    }

    #[test]
    fn an_administrator_loads_a_newer_notice() {
        let mut cal = HolidayCalendar::builtin();
        let notice = r#"{"year": 2027, "papers": [], "days": [
            {"name": "国庆节", "date": "2027-10-01", "isOffDay": true},
            {"name": "国庆节", "date": "2027-10-09", "isOffDay": false}]}"#;
        assert_eq!(cal.load_notice_json(notice).unwrap(), 2027);
        assert!(cal.knows_year(2027));
        assert!(cal.is_rest_day(d("2027-10-01")));
        assert!(
            !cal.is_rest_day(d("2027-10-09")),
            "a Saturday made a working day"
        );
        assert!(cal.day_kind(d("2027-03-03")).known);
    }

    #[test]
    fn the_fast_day_table_agrees_with_the_notices_everywhere() {
        let mut cal = HolidayCalendar::builtin();
        cal.load_csv("2027,2027-10-01,true,国庆节\n2027,2027-10-09,false,国庆节")
            .unwrap();
        for k in -400..(DENSE_DAYS as i32 + 400) {
            let date = crate::dates::from_day_number(DENSE_FROM + k);
            assert_eq!(cal.day_kind(date), cal.day_kind_slow(date), "{date}");
        }
        assert!(cal.is_rest_day(d("2027-10-01")));
        assert!(!cal.is_rest_day(d("2027-10-09")));
    }

    #[test]
    fn the_fingerprint_changes_with_the_calendar() {
        let builtin = HolidayCalendar::builtin();
        assert_eq!(
            builtin.fingerprint(),
            HolidayCalendar::builtin().fingerprint()
        );
        let mut changed = HolidayCalendar::builtin();
        changed.load_csv("2027,2027-01-01,true,元旦").unwrap();
        assert_ne!(builtin.fingerprint(), changed.fingerprint());
    }

    #[test]
    fn a_notice_replaces_the_year_it_covers() {
        let mut cal = HolidayCalendar::builtin();
        cal.load_csv("notice_year,date,is_off_day,name\n2024,2024-10-01,true,国庆节\n")
            .unwrap();
        assert!(
            !cal.is_rest_day(d("2024-10-02")),
            "old 2024 entries are gone"
        );
        assert!(cal.is_rest_day(d("2023-10-02")), "other years stay");
    }

    #[test]
    fn bad_notices_are_refused_with_the_reason() {
        let mut cal = HolidayCalendar::builtin();
        assert!(matches!(
            cal.load_notice_json("{"),
            Err(CalendarError::Json(_))
        ));
        assert!(matches!(
            cal.load_notice_json(r#"{"year":2028,"days":[]}"#),
            Err(CalendarError::Empty { year: 2028 })
        ));
        assert!(matches!(
            cal.load_notice_json(
                r#"{"year":2028,"days":[{"name":"x","date":"2030-01-01","isOffDay":true}]}"#
            ),
            Err(CalendarError::WrongYear { .. })
        ));
        let err = cal.load_csv("2028,2028-02-30,true,x").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(!cal.knows_year(2028), "nothing half-loaded");
    }
}
