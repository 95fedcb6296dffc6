//! The time limits of mediation (`workflows.md` §1.3) and the open obligations at an as-of date
//! (`tianping mediation due`).
//!
//! | limit | length | start | counting |
//! |---|---|---|---|
//! | `assign` | 3 working days | registered_date (kind 申请 only) | D5 |
//! | `accept` | 3 working days | referred_date | D5 |
//! | `mediation` | 委派, 申请: 30 days; 委托: 15 days (普通程序), 7 days (简易程序); + Σ 延长 | accepted_date | D1 + D3 (鉴定评估) + D4 |
//! | `filing` | 7 days (setting) | concluded_date of 调解不成 (委派/申请, wants_suit) | D1 + D4 |

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::time_limit::LimitSpan;

use super::model::{
    CaseProcedure, EventKind, Mediation, MediationEvent, MediationKind, Outcome, State, state_at,
};
use crate::core::days::{ObligationDeadline, add_working_days, obligation_deadline};
use crate::core::status::{ItemStatus, status_at};

/// The settings of mediation (`workflows.md` §9), with their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediationSettings {
    /// No statutory cap (在线调解规则 art. 24); some courts cap extensions at 30 days.
    pub max_extension_days: Option<u32>,
    /// Whether 撤回 counts as success in `success_rate` *[project]*.
    pub withdrawn_counts_as_success: bool,
    /// The extended days of a 委托 mediation do not count in the case's 审限 (art. 24 ¶1; the
    /// 2025 opinion).
    pub deduct_entrusted_extension: bool,
    /// Days to file a case after a failed pre-litigation mediation *[project]*, by analogy to
    /// CPL art. 126.
    pub filing_days: u32,
    /// CPL art. 85 ¶3.
    pub holiday_rollover: bool,
}

impl Default for MediationSettings {
    fn default() -> Self {
        MediationSettings {
            max_extension_days: None,
            withdrawn_counts_as_success: false,
            deduct_entrusted_extension: true,
            filing_days: 7,
            holiday_rollover: true,
        }
    }
}

/// The due-soon windows of §9: 5 days for day limits, 1 working day for working-day limits.
pub const DAY_LIMIT_WINDOW: i64 = 5;
pub const WORKING_DAY_WINDOW: u32 = 1;

/// The base length of the mediation period and the rule's name and source.
pub fn mediation_limit(m: &Mediation) -> (u32, &'static str, &'static str) {
    match (m.kind, m.procedure.unwrap_or(CaseProcedure::Ordinary)) {
        (MediationKind::Entrusted, CaseProcedure::Ordinary) => (
            15,
            "委托调解15日",
            "最高人民法院关于人民法院特邀调解的规定第二十七条",
        ),
        (MediationKind::Entrusted, CaseProcedure::Simple) => (
            7,
            "委托调解7日",
            "最高人民法院关于人民法院特邀调解的规定第二十七条",
        ),
        (MediationKind::Delegated, _) => (30, "委派调解30日", "人民法院在线调解规则第二十四条"),
        (MediationKind::Applied, _) => (30, "申请调解30日", "人民法院在线调解规则第二十四条"),
    }
}

/// The excluded intervals (鉴定评估) and the extension days (延长) dated on or before `cutoff`.
fn events_until(
    events: &[MediationEvent],
    cutoff: NaiveDate,
) -> (Vec<(NaiveDate, Option<NaiveDate>)>, i64) {
    let excluded = events
        .iter()
        .filter(|e| e.kind == EventKind::Appraisal && e.date <= cutoff)
        .map(|e| (e.date, e.end_date.filter(|end| *end <= cutoff)))
        .collect();
    let extension = events
        .iter()
        .filter(|e| e.kind == EventKind::Extension && e.date <= cutoff)
        .map(|e| i64::from(e.days.unwrap_or(0)))
        .sum();
    (excluded, extension)
}

/// The deadline of the mediation period with its steps, the facts counted up to `cutoff` (the
/// concluded date, or the as-of date while open); `None` before acceptance.
pub fn mediation_deadline(
    m: &Mediation,
    events: &[MediationEvent],
    cutoff: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
) -> Option<ObligationDeadline> {
    let accepted = Mediation::known(m.accepted_date, cutoff)?;
    let (days, _, _) = mediation_limit(m);
    let (excluded, extension) = events_until(events, cutoff);
    Some(obligation_deadline(
        accepted,
        LimitSpan::days(days),
        extension,
        &excluded,
        cutoff,
        calendar,
        settings.holiday_rollover,
    ))
}

/// The net days of a concluded mediation: concluded − accepted − excluded days (for `avg_days`).
pub fn net_days(m: &Mediation, events: &[MediationEvent], concluded: NaiveDate) -> Option<i64> {
    let accepted = m.accepted_date.filter(|a| *a <= concluded)?;
    let (excluded, _) = events_until(events, concluded);
    let merged = tianping_domain::time_limit::merge_intervals(
        excluded.iter().map(|(s, e)| (*s, e.unwrap_or(concluded))),
        accepted.succ_opt().unwrap_or(accepted),
        concluded,
    );
    let excluded_days: i64 = merged
        .iter()
        .map(|(s, e)| tianping_domain::dates::days_between(*s, *e) + 1)
        .sum();
    Some(tianping_domain::dates::days_between(accepted, concluded) - excluded_days)
}

/// The `accept` deadline: 3 working days after the latest referral (在线调解规则 art. 12 ¶1).
pub fn accept_deadline(m: &Mediation, calendar: &HolidayCalendar) -> Option<(NaiveDate, bool)> {
    m.referred_date.map(|r| add_working_days(r, 3, calendar))
}

/// The `assign` deadline of an online application: 3 working days after registration
/// (在线调解规则 art. 10 ¶3).
pub fn assign_deadline(m: &Mediation, calendar: &HolidayCalendar) -> Option<(NaiveDate, bool)> {
    (m.kind == MediationKind::Applied).then(|| add_working_days(m.registered_date, 3, calendar))
}

/// The `filing` obligation after a failed pre-litigation mediation whose parties want to sue:
/// `filing_days` after the conclusion, rolled over rest days.
pub fn filing_deadline(
    m: &Mediation,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
) -> Option<ObligationDeadline> {
    if !m.kind.is_pre_litigation() || m.outcome != Some(Outcome::Failed) || !m.wants_suit {
        return None;
    }
    let concluded = m.concluded_date?;
    Some(obligation_deadline(
        concluded,
        LimitSpan::days(settings.filing_days),
        0,
        &[],
        concluded,
        calendar,
        settings.holiday_rollover,
    ))
}

pub use crate::core::due::DueRow;

fn reason(status: ItemStatus, remaining: i64) -> String {
    match status {
        ItemStatus::Overdue => format!("超期{}天", -remaining),
        ItemStatus::Suspended => "鉴定评估中，期限中止计算".to_owned(),
        _ if remaining == 0 => "今日届满".to_owned(),
        _ => format!("剩余{remaining}天"),
    }
}

/// The open obligations of one mediation at `as_of`: `assign` (an application not yet
/// referred), `accept` (referred, not yet accepted), `mediation` (mediating), `filing` (failed,
/// the parties want to sue, no case filed yet). `case_filed` gives the filing date of a case
/// the database knows.
pub fn due_rows(
    m: &Mediation,
    events: &[MediationEvent],
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &MediationSettings,
    case_filed: &dyn Fn(&str) -> Option<NaiveDate>,
) -> Vec<DueRow> {
    if m.registered_date > as_of {
        return Vec::new();
    }
    let mut rows = Vec::new();
    let mut push = |limit: &'static str,
                    rule: String,
                    source: &'static str,
                    start: NaiveDate,
                    deadline: NaiveDate,
                    known: bool,
                    excluded: &[(NaiveDate, Option<NaiveDate>)],
                    window: i64| {
        let (status, remaining) = status_at(deadline, as_of, None, excluded, window);
        rows.push(DueRow {
            id: m.mediation_id.clone(),
            court_code: m.court_code.clone(),
            limit,
            rule,
            source,
            start_date: start,
            deadline,
            days_remaining: remaining,
            status,
            reason: reason(status, remaining),
            calendar_known: known,
        });
    };
    let working_window = |deadline: NaiveDate| {
        // One working day before the deadline, in calendar days.
        let mut day = deadline;
        let mut left = WORKING_DAY_WINDOW;
        while left > 0 {
            day = day.pred_opt().unwrap_or(day);
            if !calendar.is_rest_day(day) {
                left -= 1;
            }
        }
        tianping_domain::dates::days_between(day, deadline)
    };
    match state_at(m, events, as_of) {
        State::Registered => {
            if m.referred_date.is_none_or(|r| r > as_of)
                && let Some((deadline, known)) = assign_deadline(m, calendar)
            {
                push(
                    "assign",
                    "委派3个工作日".to_owned(),
                    "人民法院在线调解规则第十条",
                    m.registered_date,
                    deadline,
                    known,
                    &[],
                    working_window(deadline),
                );
            }
        }
        State::Referred => {
            if let Some((deadline, known)) = accept_deadline(m, calendar) {
                push(
                    "accept",
                    "接受3个工作日".to_owned(),
                    "人民法院在线调解规则第十二条",
                    m.referred_date.unwrap_or(m.registered_date),
                    deadline,
                    known,
                    &[],
                    working_window(deadline),
                );
            }
        }
        State::Mediating => {
            if let Some(d) = mediation_deadline(m, events, as_of, calendar, settings) {
                let (_, rule, source) = mediation_limit(m);
                let (excluded, _) = events_until(events, as_of);
                push(
                    "mediation",
                    rule.to_owned(),
                    source,
                    d.start_date,
                    d.deadline,
                    d.calendar_known,
                    &excluded,
                    DAY_LIMIT_WINDOW,
                );
            }
        }
        State::Failed => {
            let filed = m
                .filed_case_number
                .as_deref()
                .and_then(case_filed)
                .or(m.filed_date);
            if filed.is_none_or(|f| f > as_of)
                && let Some(d) = filing_deadline(m, calendar, settings)
            {
                push(
                    "filing",
                    format!("调解不成转立案{}日", settings.filing_days),
                    "中华人民共和国民事诉讼法第一百二十六条",
                    d.start_date,
                    d.deadline,
                    d.calendar_known,
                    &[],
                    DAY_LIMIT_WINDOW,
                );
            }
        }
        State::Succeeded | State::Withdrawn | State::Returned => {}
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn accepted(kind: MediationKind, on: &str) -> Mediation {
        let mut m = Mediation::registered("（2023）鲁0102民诉前调90号", "鲁0102", kind, d(on));
        m.referred_date = Some(d(on));
        m.accepted_date = Some(d(on));
        m
    }

    #[test]
    fn the_example_due_row_of_section_1_6() {
        let m = accepted(MediationKind::Delegated, "2023-09-01");
        let rows = due_rows(
            &m,
            &[],
            d("2023-10-09"),
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
            &|_| None,
        );
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(
            (r.limit, r.rule.as_str(), r.source),
            (
                "mediation",
                "委派调解30日",
                "人民法院在线调解规则第二十四条"
            )
        );
        assert_eq!(
            (r.start_date, r.deadline),
            (d("2023-09-01"), d("2023-10-07"))
        );
        assert_eq!((r.days_remaining, r.status), (-2, ItemStatus::Overdue));
        assert_eq!(r.reason, "超期2天");
        assert!(r.calendar_known);
    }

    #[test]
    fn a_referral_is_due_for_acceptance_in_three_working_days_and_an_appraisal_suspends() {
        let cal = HolidayCalendar::builtin();
        let mut m =
            Mediation::registered("M1", "鲁0102", MediationKind::Delegated, d("2023-06-20"));
        m.referred_date = Some(d("2023-06-21"));
        let rows = due_rows(
            &m,
            &[],
            d("2023-06-26"),
            &cal,
            &MediationSettings::default(),
            &|_| None,
        );
        assert_eq!(rows[0].limit, "accept");
        assert_eq!(rows[0].deadline, d("2023-06-27"));
        // Declined since: back to registered, nothing due (a 委派 has no assign limit).
        let declined = MediationEvent {
            mediation_id: "M1".into(),
            kind: EventKind::NotAccepted,
            date: d("2023-06-25"),
            end_date: None,
            days: None,
            mediator_id: None,
            reason: Some("回避".into()),
        };
        assert!(
            due_rows(
                &m,
                &[declined],
                d("2023-06-26"),
                &cal,
                &MediationSettings::default(),
                &|_| None
            )
            .is_empty()
        );
        // Mediating with an open appraisal: suspended.
        let m = accepted(MediationKind::Delegated, "2023-03-15");
        let appraisal = MediationEvent {
            mediation_id: m.mediation_id.clone(),
            kind: EventKind::Appraisal,
            date: d("2023-03-20"),
            end_date: None,
            days: None,
            mediator_id: None,
            reason: None,
        };
        let rows = due_rows(
            &m,
            &[appraisal],
            d("2023-03-25"),
            &cal,
            &MediationSettings::default(),
            &|_| None,
        );
        assert_eq!(rows[0].status, ItemStatus::Suspended);
    }

    #[test]
    fn a_failed_pre_litigation_mediation_is_due_for_filing_until_the_case_is_filed() {
        let cal = HolidayCalendar::builtin();
        let mut m = accepted(MediationKind::Delegated, "2023-09-01");
        m.outcome = Some(Outcome::Failed);
        m.concluded_date = Some(d("2023-09-20"));
        m.filed_case_number = Some("（2023）鲁0102民初500号".into());
        let settings = MediationSettings::default();
        let rows = due_rows(&m, &[], d("2023-09-25"), &cal, &settings, &|_| None);
        assert_eq!(rows[0].limit, "filing");
        // 09-20 + 7 = 09-27.
        assert_eq!(rows[0].deadline, d("2023-09-27"));
        let filed = |_: &str| Some(d("2023-09-24"));
        assert!(due_rows(&m, &[], d("2023-09-25"), &cal, &settings, &filed).is_empty());
    }

    #[test]
    fn entrusted_mediations_take_fifteen_or_seven_days() {
        let cal = HolidayCalendar::builtin();
        let settings = MediationSettings::default();
        let mut m = accepted(MediationKind::Entrusted, "2023-06-20");
        m.procedure = Some(CaseProcedure::Ordinary);
        let deadline = mediation_deadline(&m, &[], d("2023-12-31"), &cal, &settings).unwrap();
        assert_eq!(deadline.deadline, d("2023-07-05"));
        m.procedure = Some(CaseProcedure::Simple);
        let deadline = mediation_deadline(&m, &[], d("2023-12-31"), &cal, &settings).unwrap();
        // 06-27 is a Tuesday.
        assert_eq!(deadline.deadline, d("2023-06-27"));
    }
}
