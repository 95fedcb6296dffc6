//! The clock (时钟): the courts' calendar day and the time written into logs, in China Standard
//! Time (UTC+8, 北京时间), the one time zone every court works in, whatever the server's own.
//!
//! The one place in the workspace that reads the time of day for a date or a log line (the rest
//! of this crate is pure: it takes dates as arguments). Durations and timeouts use `Instant`
//! where they are measured. Whoever needs a date asks a [`Clock`]: [`SystemClock`] in
//! production, [`FixedClock`] in tests; [`today`] and [`now_text`] are the system clock's.

use chrono::NaiveDate;

use crate::dates::from_day_number;

/// China Standard Time's offset from UTC, in seconds.
pub const CST_OFFSET_SECS: i64 = 8 * 3600;

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn unix_secs(&self) -> i64;

    /// Today in China Standard Time, the courts' calendar day.
    fn today(&self) -> NaiveDate {
        from_day_number((self.unix_secs() + CST_OFFSET_SECS).div_euclid(86_400) as i32)
    }

    /// The time for logs and records, `2024-03-31T10:00:00+08:00`.
    fn now_text(&self) -> String {
        time_text(self.unix_secs())
    }
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_secs(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

/// A clock that always says the same time: for tests, and for reproducing a day's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock {
    unix_secs: i64,
}

impl FixedClock {
    /// The clock stopped at `unix_secs` (seconds since 1970-01-01T00:00:00Z).
    pub fn at_unix(unix_secs: i64) -> FixedClock {
        FixedClock { unix_secs }
    }

    /// The clock stopped at `hour:minute:second` China Standard Time on `date`.
    pub fn at(date: NaiveDate, hour: u32, minute: u32, second: u32) -> FixedClock {
        let day = i64::from(crate::dates::to_day_number(date));
        let secs = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        FixedClock::at_unix(day * 86_400 + secs - CST_OFFSET_SECS)
    }

    /// The clock stopped at 09:00 China Standard Time on `date`.
    pub fn on(date: NaiveDate) -> FixedClock {
        FixedClock::at(date, 9, 0, 0)
    }
}

impl Clock for FixedClock {
    fn unix_secs(&self) -> i64 {
        self.unix_secs
    }
}

/// `unix_secs` as China Standard Time, `2024-03-31T10:00:00+08:00`.
pub fn time_text(unix_secs: i64) -> String {
    let local = unix_secs + CST_OFFSET_SECS;
    let date = from_day_number(local.div_euclid(86_400) as i32);
    let t = local.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}+08:00",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// Today in China Standard Time on the machine's clock.
pub fn today() -> NaiveDate {
    SystemClock.today()
}

/// The machine's time for logs and records, `2024-03-31T10:00:00+08:00`.
pub fn now_text() -> String {
    SystemClock.now_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_courts_day_begins_at_midnight_beijing_time() {
        // 2024-03-30T15:59:59Z is 23:59:59 in Beijing; a second later it is the 31st.
        let before = FixedClock::at_unix(1_711_814_399);
        assert_eq!(before.today(), date(2024, 3, 30));
        assert_eq!(before.now_text(), "2024-03-30T23:59:59+08:00");
        let after = FixedClock::at_unix(1_711_814_400);
        assert_eq!(after.today(), date(2024, 3, 31));
        assert_eq!(after.now_text(), "2024-03-31T00:00:00+08:00");
    }

    #[test]
    fn a_fixed_clock_says_what_it_was_set_to() {
        let clock = FixedClock::at(date(2025, 12, 31), 10, 5, 7);
        assert_eq!(clock.today(), date(2025, 12, 31));
        assert_eq!(clock.now_text(), "2025-12-31T10:05:07+08:00");
        assert_eq!(FixedClock::on(date(2000, 1, 1)).today(), date(2000, 1, 1));
        // Before 08:00 Beijing time the UTC date is the day before; the courts' day is not.
        assert_eq!(
            FixedClock::at(date(2025, 1, 1), 0, 30, 0).today(),
            date(2025, 1, 1)
        );
    }

    #[test]
    fn the_system_clock_agrees_with_itself() {
        let text = now_text();
        assert!(text.ends_with("+08:00"), "{text}");
        let day = today();
        // Around midnight the two reads may straddle the change of day.
        let read: NaiveDate = text[..10].parse().unwrap();
        assert!((read - day).num_days().abs() <= 1, "{text} vs {day}");
    }
}
