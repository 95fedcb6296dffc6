//! The reply time limit of a judicial suggestion (`workflows.md` §3.3): `reply_months` months
//! (D2, clamped to the month's end) from the day it was served — or issued, when it was not
//! served or the setting `suggestions.start` says so — rolled over rest days (D4). Source:
//! 建议规定 art. 8; the annex 2 model says "在收到本建议书后…×个月内".

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::time_limit::LimitSpan;

use super::model::Suggestion;
use crate::core::days::{ObligationDeadline, obligation_deadline};
use crate::core::due::DueRow;
use crate::core::status::{ItemStatus, status_at};

/// Where the reply period starts (`suggestions.start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// The service date, else the issue date (the default).
    Served,
    /// Always the issue date.
    Issued,
}

/// The settings of suggestions (`workflows.md` §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestionSettings {
    pub start: Start,
    /// `suggestions.topics`.
    pub topics: Vec<String>,
    pub holiday_rollover: bool,
}

impl Default for SuggestionSettings {
    fn default() -> Self {
        SuggestionSettings {
            start: Start::Served,
            topics: super::model::DEFAULT_TOPICS
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            holiday_rollover: true,
        }
    }
}

/// The due-soon window of §9 for month limits.
pub const MONTH_LIMIT_WINDOW: i64 = 15;

/// The `reply` deadline with the facts known at `as_of`; `None` before the suggestion is issued.
pub fn reply_deadline(
    s: &Suggestion,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &SuggestionSettings,
) -> Option<ObligationDeadline> {
    let issued = s.issued_at(as_of)?;
    let start = match settings.start {
        Start::Served => s.served_at(as_of).unwrap_or(issued),
        Start::Issued => issued,
    };
    Some(obligation_deadline(
        start,
        LimitSpan::months(s.reply_months),
        0,
        &[],
        start,
        calendar,
        settings.holiday_rollover,
    ))
}

/// The open `reply` obligation of a suggestion at `as_of` (issued, not replied, not withdrawn).
pub fn due_rows(
    s: &Suggestion,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &SuggestionSettings,
) -> Vec<DueRow> {
    let Some(d) = reply_deadline(s, as_of, calendar, settings) else {
        return Vec::new();
    };
    if s.replied_at(as_of).is_some() || s.withdrawn_date.is_some_and(|w| w <= as_of) {
        return Vec::new();
    }
    let (status, remaining) = status_at(d.deadline, as_of, None, &[], MONTH_LIMIT_WINDOW);
    vec![DueRow {
        id: s.suggestion_no.clone(),
        court_code: s.court_code.clone(),
        limit: "reply",
        rule: format!("答复期限（{}个月）", s.reply_months),
        source: "最高人民法院关于加强司法建议工作的规定第八条",
        start_date: d.start_date,
        deadline: d.deadline,
        days_remaining: remaining,
        status,
        reason: match status {
            ItemStatus::Overdue => format!("逾期{}天未答复", -remaining),
            _ if remaining == 0 => "今日届满".to_owned(),
            _ => format!("剩余{remaining}天"),
        },
        calendar_known: d.calendar_known,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn issued(issued: &str, served: Option<&str>) -> Suggestion {
        let mut s = Suggestion::drafted(
            "法建〔2023〕8号",
            "皖0202",
            "关于…的司法建议书",
            "某区住建局",
            "物业纠纷",
        );
        s.issued_date = Some(d(issued));
        s.served_date = served.map(d);
        s
    }

    /// §3.3: served 2023-11-30, 2 months → 2024-01-30; served 2023-12-31 → 2024-02-29 (the
    /// month's end, clamped).
    #[test]
    fn the_reply_period_counts_months_from_service_clamped() {
        let cal = HolidayCalendar::builtin();
        let settings = SuggestionSettings::default();
        let a = reply_deadline(
            &issued("2023-11-28", Some("2023-11-30")),
            d("2024-06-30"),
            &cal,
            &settings,
        )
        .unwrap();
        assert_eq!(
            (a.start_date, a.deadline),
            (d("2023-11-30"), d("2024-01-30"))
        );
        let b = reply_deadline(
            &issued("2023-12-29", Some("2023-12-31")),
            d("2024-06-30"),
            &cal,
            &settings,
        )
        .unwrap();
        assert_eq!(b.deadline, d("2024-02-29"));
        // Not served: from the issue; the setting may always count from the issue.
        let c = reply_deadline(
            &issued("2023-11-28", None),
            d("2024-06-30"),
            &cal,
            &settings,
        )
        .unwrap();
        assert_eq!(c.start_date, d("2023-11-28"));
        let from_issue = SuggestionSettings {
            start: Start::Issued,
            ..SuggestionSettings::default()
        };
        let e = reply_deadline(
            &issued("2023-11-28", Some("2023-11-30")),
            d("2024-06-30"),
            &cal,
            &from_issue,
        )
        .unwrap();
        assert_eq!(e.start_date, d("2023-11-28"));
        // 2 months from 2023-12-10 is 2024-02-10, in the Spring Festival → 2024-02-18.
        let f = reply_deadline(
            &issued("2023-12-10", None),
            d("2024-06-30"),
            &cal,
            &settings,
        )
        .unwrap();
        assert_eq!(
            (f.before_roll_over, f.deadline),
            (d("2024-02-10"), d("2024-02-18"))
        );
    }

    #[test]
    fn an_unreplied_suggestion_is_due_and_then_overdue() {
        let cal = HolidayCalendar::builtin();
        let settings = SuggestionSettings::default();
        let s = issued("2023-11-28", Some("2023-11-30"));
        let rows = due_rows(&s, d("2024-01-20"), &cal, &settings);
        assert_eq!(rows[0].status, ItemStatus::DueSoon);
        let rows = due_rows(&s, d("2024-02-05"), &cal, &settings);
        assert_eq!(
            (rows[0].status, rows[0].days_remaining),
            (ItemStatus::Overdue, -6)
        );
        let mut replied = s.clone();
        replied.reply_date = Some(d("2024-01-15"));
        assert!(due_rows(&replied, d("2024-02-05"), &cal, &settings).is_empty());
    }
}
