//! The time limits of enforcement records (`workflows.md` §5.3): the decision on an applicant's
//! request to list (15 days, 失信规定 art. 5 ¶2), the removal (3 working days from the day a ground
//! of art. 10 ¶1 arose, or — for a listing with a term — from the end of the term, art. 10 ¶2),
//! the review of a correction application (15 days) and the correction (3 working days, art. 12
//! ¶1), and the searches after a 终本 (every 6 months for 5 years, 终本规定 art. 9 ¶2).

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::dates::add_months;
use tianping_domain::time_limit::LimitSpan;

use super::model::DishonestListing;
use crate::core::days::{ObligationDeadline, add_working_days, obligation_deadline};
use crate::core::due::DueRow;
use crate::core::status::{ItemStatus, status_at};

/// The settings of enforcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EnforcementSettings {
    pub holiday_rollover: bool,
    /// `enforcement.include_preservation`: 执保 cases count in 执结率.
    pub include_preservation: bool,
}

impl Default for EnforcementSettings {
    fn default() -> Self {
        EnforcementSettings {
            holiday_rollover: true,
            include_preservation: false,
        }
    }
}

/// The due-soon window of §9 for day limits.
pub const WINDOW: i64 = 3;
/// For the six-monthly searches.
pub const SEARCH_WINDOW: i64 = 15;

/// A deadline of working days (D5): no roll-over needed.
fn working_days(start: NaiveDate, n: u32, calendar: &HolidayCalendar) -> ObligationDeadline {
    let (deadline, known) = add_working_days(start, n, calendar);
    ObligationDeadline {
        start_date: start,
        base: LimitSpan::days(n),
        extension_days: 0,
        excluded: Vec::new(),
        excluded_days: 0,
        normal_deadline: deadline,
        before_roll_over: deadline,
        deadline,
        calendar_known: known,
    }
}

/// The removal deadline of a listing, with the rule that sets it: for a listing with a term, 3
/// working days after the term ends (art. 10 ¶2) unless it was removed early (提前删除, 撤销) or
/// under an art. 10 ¶1 reason (a warning case, no obligation); without a term, 3 working days
/// from the condition date (art. 10 ¶1). `None` when nothing obliges a removal.
pub fn removal_deadline(
    l: &DishonestListing,
    calendar: &HolidayCalendar,
) -> Option<(ObligationDeadline, &'static str)> {
    match l.term_end() {
        Some(end) => {
            if l.removal_date.is_some_and(|r| r < end) {
                return None;
            }
            Some((
                working_days(end, 3, calendar),
                "纳入期限届满后三个工作日内删除（失信规定第十条第二款）",
            ))
        }
        None => l.condition_date.map(|c| {
            (
                working_days(c, 3, calendar),
                "删除事由发生之日起三个工作日内删除（失信规定第十条第一款）",
            )
        }),
    }
}

fn row(
    l: &DishonestListing,
    limit: &'static str,
    rule: String,
    source: &'static str,
    d: &ObligationDeadline,
    as_of: NaiveDate,
    window: i64,
) -> DueRow {
    let (status, remaining) = status_at(d.deadline, as_of, None, &[], window);
    DueRow {
        id: l.listing_id.clone(),
        court_code: l.court_code.clone(),
        limit,
        rule,
        source,
        start_date: d.start_date,
        deadline: d.deadline,
        days_remaining: remaining,
        status,
        reason: match status {
            ItemStatus::Overdue => format!("逾期{}天", -remaining),
            _ if remaining == 0 => "今日届满".to_owned(),
            _ => format!("剩余{remaining}天"),
        },
        calendar_known: d.calendar_known,
    }
}

/// The open obligations of a listing at `as_of`.
pub fn listing_due_rows(
    l: &DishonestListing,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &EnforcementSettings,
) -> Vec<DueRow> {
    let days = |start: NaiveDate, n: u32| {
        obligation_deadline(
            start,
            LimitSpan::days(n),
            0,
            &[],
            start,
            calendar,
            settings.holiday_rollover,
        )
    };
    let mut out = Vec::new();
    if let Some(applied) = l.applied_date.filter(|a| *a <= as_of)
        && l.decided_date > as_of
    {
        out.push(row(
            l,
            "listing_decision",
            "申请纳入失信名单的审查决定（15日）".to_owned(),
            "失信规定第五条第二款",
            &days(applied, 15),
            as_of,
            WINDOW,
        ));
    }
    if !l.active_on(as_of) {
        return out;
    }
    if let Some(applied) = l.correction_applied_date.filter(|a| *a <= as_of)
        && l.correction_decided_date.is_none_or(|d| d > as_of)
    {
        out.push(row(
            l,
            "correction_review",
            "纠正申请的审查（15日）".to_owned(),
            "失信规定第十二条第一款",
            &days(applied, 15),
            as_of,
            WINDOW,
        ));
    }
    if let Some(decided) = l.correction_decided_date.filter(|d| *d <= as_of) {
        out.push(row(
            l,
            "correction",
            "纠正（三个工作日内撤销）".to_owned(),
            "失信规定第十二条第一款",
            &working_days(decided, 3, calendar),
            as_of,
            WINDOW,
        ));
    }
    if let Some((d, rule)) = removal_deadline(l, calendar)
        && d.start_date <= as_of
    {
        out.push(row(
            l,
            "removal",
            rule.to_owned(),
            "失信规定第十条",
            &d,
            as_of,
            WINDOW,
        ));
    }
    out
}

/// The next search of a 终本 case due after the searches known at `as_of` (§5.3: six months
/// from the 终本, then from each search, D2 + D4), while that day is within five years of the
/// 终本 and no 执恢 case of it was filed by `as_of`.
pub fn next_search(
    closed_date: NaiveDate,
    searches: &[NaiveDate],
    resumed_filed: Option<NaiveDate>,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &EnforcementSettings,
) -> Option<ObligationDeadline> {
    if resumed_filed.is_some_and(|r| r <= as_of) || closed_date > as_of {
        return None;
    }
    let last = searches
        .iter()
        .copied()
        .filter(|s| *s <= as_of && *s >= closed_date)
        .max()
        .unwrap_or(closed_date);
    let d = obligation_deadline(
        last,
        LimitSpan::months(6),
        0,
        &[],
        last,
        calendar,
        settings.holiday_rollover,
    );
    (d.before_roll_over <= add_months(closed_date, 60)).then_some(d)
}

/// The open search obligation of a 终本 case at `as_of`, as a due row.
#[allow(clippy::too_many_arguments)]
pub fn search_due_rows(
    case_number: &str,
    court_code: &str,
    closed_date: NaiveDate,
    searches: &[NaiveDate],
    resumed_filed: Option<NaiveDate>,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &EnforcementSettings,
) -> Vec<DueRow> {
    let Some(d) = next_search(
        closed_date,
        searches,
        resumed_filed,
        as_of,
        calendar,
        settings,
    ) else {
        return Vec::new();
    };
    let (status, remaining) = status_at(d.deadline, as_of, None, &[], SEARCH_WINDOW);
    vec![DueRow {
        id: case_number.to_owned(),
        court_code: court_code.to_owned(),
        limit: "search",
        rule: "终本后每六个月查询一次被执行人财产（五年内）".to_owned(),
        source: "终本规定第九条第二款",
        start_date: d.start_date,
        deadline: d.deadline,
        days_remaining: remaining,
        status,
        reason: match status {
            ItemStatus::Overdue => format!("逾期{}天未查询", -remaining),
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

    fn listing(grounds: Vec<u8>, decided: &str) -> DishonestListing {
        DishonestListing {
            listing_id: "SX1".into(),
            case_number: "（2021）皖0202执1号".into(),
            court_code: "皖0202".into(),
            person_name: "张某".into(),
            person_id: "340202198001011237".into(),
            person_type: "自然人".into(),
            minor: false,
            grounds,
            applied_date: None,
            decided_date: d(decided),
            term_extension_months: None,
            condition_date: None,
            correction_applied_date: None,
            correction_decided_date: None,
            removal_date: None,
            removal_reason: None,
        }
    }

    /// §5.3: condition 2023-09-27 → removal by 2023-10-08: 09-28 is the first working day, the
    /// Mid-Autumn and National Day holidays follow, 10-07 and 10-08 are make-up working days.
    #[test]
    fn three_working_days_across_the_national_day_make_up_days() {
        let cal = HolidayCalendar::builtin();
        let mut l = listing(vec![1], "2023-03-01");
        l.condition_date = Some(d("2023-09-27"));
        let (deadline, _) = removal_deadline(&l, &cal).unwrap();
        assert_eq!(deadline.deadline, d("2023-10-08"));
        let rows = listing_due_rows(&l, d("2023-10-09"), &cal, &EnforcementSettings::default());
        assert_eq!(
            (rows[0].limit, rows[0].status),
            ("removal", ItemStatus::Overdue)
        );
        // Removed: no obligation left.
        l.removal_date = Some(d("2023-10-08"));
        assert!(
            listing_due_rows(&l, d("2023-10-09"), &cal, &EnforcementSettings::default()).is_empty()
        );
    }

    /// §5.3: decided 2022-03-10 with a 2-year term → term end 2024-03-10 (a Sunday) → removal by
    /// 2024-03-13; removed early by 提前删除: no obligation.
    #[test]
    fn a_term_ends_and_three_working_days_follow() {
        let cal = HolidayCalendar::builtin();
        let mut l = listing(vec![1, 2], "2022-03-10");
        let (deadline, rule) = removal_deadline(&l, &cal).unwrap();
        assert_eq!(
            (deadline.start_date, deadline.deadline),
            (d("2024-03-10"), d("2024-03-13"))
        );
        assert!(rule.contains("第十条第二款"));
        // Before the term ends nothing is due.
        assert!(
            listing_due_rows(&l, d("2024-03-01"), &cal, &EnforcementSettings::default()).is_empty()
        );
        l.removal_date = Some(d("2023-05-01"));
        l.removal_reason = Some("提前删除".into());
        assert!(removal_deadline(&l, &cal).is_none());
    }

    /// §5.3: 终本 closed 2023-06-30 → the first search by 2023-12-30, a Saturday → 2024-01-02
    /// (New Year's Day on the Monday); then six months from each search, for five years.
    #[test]
    fn searches_every_six_months_rolled_off_the_weekend() {
        let cal = HolidayCalendar::builtin();
        let s = EnforcementSettings::default();
        let closed = d("2023-06-30");
        let first = next_search(closed, &[], None, d("2023-08-01"), &cal, &s).unwrap();
        assert_eq!(
            (first.before_roll_over, first.deadline),
            (d("2023-12-30"), d("2024-01-02"))
        );
        let second =
            next_search(closed, &[d("2023-12-28")], None, d("2024-01-05"), &cal, &s).unwrap();
        assert_eq!(second.before_roll_over, d("2024-06-28"));
        // A 执恢 case filed: no more searches.
        assert!(
            next_search(
                closed,
                &[],
                Some(d("2023-09-01")),
                d("2023-10-01"),
                &cal,
                &s
            )
            .is_none()
        );
        // Five years on: none after 2028-06-30.
        assert!(next_search(closed, &[d("2028-03-01")], None, d("2028-03-02"), &cal, &s).is_none());
        let rows = search_due_rows(
            "（2023）皖0202执1号",
            "皖0202",
            closed,
            &[],
            None,
            d("2024-01-03"),
            &cal,
            &s,
        );
        assert_eq!(rows[0].status, ItemStatus::Overdue);
    }

    #[test]
    fn a_request_to_list_is_decided_within_fifteen_days() {
        let cal = HolidayCalendar::builtin();
        let mut l = listing(vec![1], "2023-06-20");
        l.applied_date = Some(d("2023-06-01"));
        let rows = listing_due_rows(&l, d("2023-06-19"), &cal, &EnforcementSettings::default());
        assert_eq!(
            (rows[0].limit, rows[0].deadline),
            ("listing_decision", d("2023-06-16"))
        );
        assert_eq!(rows[0].status, ItemStatus::Overdue);
    }
}
