//! The refund time limit (`workflows.md` §4.3): 15 days (D1 + D4) from the day the document took
//! effect (诉讼费用交纳办法 art. 53 ¶2), or, with the setting `refunds.start = account`, from the
//! later of that day and the day the payee's bank account was received.

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::time_limit::LimitSpan;

use super::model::FeeRefund;
use crate::core::days::{ObligationDeadline, obligation_deadline};
use crate::core::due::DueRow;
use crate::core::status::{ItemStatus, status_at};

/// Where the 15 days start (`refunds.start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// The document's effective date (the statute; the default).
    Effective,
    /// The later of the effective date and the account date (our choice, for courts that wait
    /// for the account).
    Account,
}

/// The settings of refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RefundSettings {
    pub start: Start,
    pub holiday_rollover: bool,
}

impl Default for RefundSettings {
    fn default() -> Self {
        RefundSettings {
            start: Start::Effective,
            holiday_rollover: true,
        }
    }
}

/// The 15 days of art. 53 ¶2.
pub const REFUND_DAYS: u32 = 15;
/// The due-soon window of §9 for day limits.
pub const WINDOW: i64 = 3;

/// The refund deadline with its computation.
pub fn refund_deadline(
    r: &FeeRefund,
    calendar: &HolidayCalendar,
    settings: &RefundSettings,
) -> ObligationDeadline {
    let start = match (settings.start, r.account_date) {
        (Start::Account, Some(account)) => account.max(r.effective_date),
        _ => r.effective_date,
    };
    obligation_deadline(
        start,
        LimitSpan::days(REFUND_DAYS),
        0,
        &[],
        start,
        calendar,
        settings.holiday_rollover,
    )
}

/// The open refund obligation at `as_of`: effective by then, not waived, not refunded in full.
pub fn due_rows(
    r: &FeeRefund,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &RefundSettings,
) -> Vec<DueRow> {
    if r.effective_date > as_of || r.waived_at(as_of) || r.refunded_in_full_at(as_of).is_some() {
        return Vec::new();
    }
    let d = refund_deadline(r, calendar, settings);
    let (status, remaining) = status_at(d.deadline, as_of, None, &[], WINDOW);
    let owed = r.outstanding_at(as_of);
    vec![DueRow {
        id: r.refund_id.clone(),
        court_code: r.court_code.clone(),
        limit: "refund",
        rule: format!("退费期限（{REFUND_DAYS}日），尚欠 {owed} 元"),
        source: "诉讼费用交纳办法第五十三条第二款",
        start_date: d.start_date,
        deadline: d.deadline,
        days_remaining: remaining,
        status,
        reason: match status {
            ItemStatus::Overdue => format!("逾期{}天未退", -remaining),
            _ if remaining == 0 => "今日届满".to_owned(),
            _ => format!("剩余{remaining}天"),
        },
        calendar_known: d.calendar_known,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::Money;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    /// §4.3: effective 2023-12-20 → 2024-01-04 (fifteen days; a Thursday, no roll-over).
    #[test]
    fn fifteen_days_from_the_effective_date() {
        let cal = HolidayCalendar::builtin();
        let r = FeeRefund::owed(
            "R1",
            "（2023）皖0202民初1号",
            "皖0202",
            "胜诉退费",
            Money(50_000),
            d("2023-12-20"),
        );
        let deadline = refund_deadline(&r, &cal, &RefundSettings::default());
        assert_eq!(deadline.deadline, d("2024-01-04"));
        // Waiting for the account, by the setting: 15 days from the account date.
        let mut late_account = r.clone();
        late_account.account_date = Some(d("2023-12-28"));
        let by_account = RefundSettings {
            start: Start::Account,
            ..RefundSettings::default()
        };
        assert_eq!(
            refund_deadline(&late_account, &cal, &by_account).deadline,
            d("2024-01-12")
        );
        assert_eq!(
            refund_deadline(&late_account, &cal, &RefundSettings::default()).deadline,
            d("2024-01-04")
        );
        // Effective 2023-09-15: day 15 is 2023-09-30, in the National Day holiday → 10-07
        // (a make-up working day).
        let holiday = FeeRefund::owed(
            "R2",
            "（2023）皖0202民初2号",
            "皖0202",
            "胜诉退费",
            Money(1),
            d("2023-09-15"),
        );
        let h = refund_deadline(&holiday, &cal, &RefundSettings::default());
        assert_eq!(
            (h.before_roll_over, h.deadline),
            (d("2023-09-30"), d("2023-10-07"))
        );
    }

    #[test]
    fn a_partial_refund_stays_owed_and_a_waiver_ends_the_obligation() {
        let cal = HolidayCalendar::builtin();
        let settings = RefundSettings::default();
        let mut r = FeeRefund::owed(
            "R1",
            "（2023）皖0202民初1号",
            "皖0202",
            "胜诉退费",
            Money(50_000),
            d("2023-12-20"),
        );
        r.refunded_date = Some(d("2023-12-25"));
        r.refunded_amount = Some(Money(20_000));
        let rows = due_rows(&r, d("2024-01-10"), &cal, &settings);
        assert_eq!(rows[0].status, ItemStatus::Overdue);
        assert!(rows[0].rule.contains("300.00"), "{}", rows[0].rule);
        assert_eq!(
            super::super::state_at(&r, d("2024-01-10")),
            super::super::State::Owed
        );
        r.refunded_amount = Some(Money(50_000));
        assert!(due_rows(&r, d("2024-01-10"), &cal, &settings).is_empty());
        let mut w = FeeRefund::owed(
            "R2",
            "（2023）皖0202民初1号",
            "皖0202",
            "胜诉退费",
            Money(50_000),
            d("2023-12-20"),
        );
        w.waived = true;
        assert!(due_rows(&w, d("2024-01-10"), &cal, &settings).is_empty());
        assert_eq!(
            super::super::state_at(&w, d("2024-01-10")),
            super::super::State::Waived
        );
    }
}
