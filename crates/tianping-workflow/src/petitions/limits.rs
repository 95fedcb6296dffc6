//! The time limits of petitions (`workflows.md` §2.3) and the open obligations at an as-of date
//! (`tianping petitions due`).
//!
//! | limit | length | start | counting | source |
//! |---|---|---|---|---|
//! | `ack` | 15 days; none when anonymous | received_date | D1 + D4 | 信访工作条例 art. 23 |
//! | `object` | 5 working days | received_date (forwarded items returned) | D5; never listed by `due` | art. 23 ¶3 |
//! | `handling` | 60 days + extension (≤ 30) | accepted_date | D1 + D4 | art. 34 |
//! | `review` | 30 days | received_date of a 复查 | D1 + D4 | art. 35 |
//! | `re_review` | 30 days, hearing days excluded | received_date of a 复核 | D1 + D3 + D4 | art. 36 |
//! | `report` | the assigned deadline itself | — | — | art. 22(3) |

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::HolidayCalendar;
use tianping_domain::time_limit::LimitSpan;

use super::model::{AckDecision, Channel, Petition};
use crate::core::days::{ObligationDeadline, add_working_days, obligation_deadline};
use crate::core::status::{ItemStatus, status_at};

/// The settings of petitions (`workflows.md` §9), with their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PetitionSettings {
    /// `petitions.handling_days`: art. 34's 60 days, applied to every accepted item *[project]*.
    pub handling_days: u32,
    /// `petitions.repeat_window_days`: how far back a petition of the same petitioner about the
    /// same case joins its matter (§2.4) *[project]*.
    pub repeat_window_days: u32,
    /// CPL art. 85 ¶3.
    pub holiday_rollover: bool,
}

impl Default for PetitionSettings {
    fn default() -> Self {
        PetitionSettings {
            handling_days: 60,
            repeat_window_days: 365,
            holiday_rollover: true,
        }
    }
}

/// 告知: 15 days (条例 art. 23 ¶2).
pub const ACK_DAYS: u32 = 15;
/// 复查, 复核: 30 days (art. 35, 36 ¶1).
pub const REVIEW_DAYS: u32 = 30;
/// The longest extension of the handling (art. 34: 延长期限不得超过30日).
pub const MAX_EXTENSION_DAYS: u32 = 30;
/// A forwarded item outside the court's remit goes back within 5 working days (art. 23 ¶3).
pub const OBJECT_WORKING_DAYS: u32 = 5;
/// A 复查/复核 request comes within 30 days of the reply it contests (art. 35, 36).
pub const REQUEST_WINDOW_DAYS: i64 = 30;
/// The due-soon window of §9 for day limits.
pub const DAY_LIMIT_WINDOW: i64 = 5;

/// A time limit of a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Ack,
    Object,
    Handling,
    Review,
    ReReview,
    Report,
}

impl Limit {
    pub fn id(self) -> &'static str {
        match self {
            Limit::Ack => "ack",
            Limit::Object => "object",
            Limit::Handling => "handling",
            Limit::Review => "review",
            Limit::ReReview => "re_review",
            Limit::Report => "report",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Limit::Ack => "告知期限",
            Limit::Object => "退回交办期限",
            Limit::Handling => "办理期限",
            Limit::Review => "复查期限",
            Limit::ReReview => "复核期限",
            Limit::Report => "交办报告期限",
        }
    }

    pub fn source(self) -> &'static str {
        match self {
            Limit::Ack => "信访工作条例第二十三条",
            Limit::Object => "信访工作条例第二十三条第三款",
            Limit::Handling => "信访工作条例第三十四条",
            Limit::Review => "信访工作条例第三十五条",
            Limit::ReReview => "信访工作条例第三十六条",
            Limit::Report => "信访工作条例第二十二条",
        }
    }
}

/// One obligation of a petition: its limit, its deadline with the steps, and the day it was
/// done (known at the cut-off it was computed for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    pub limit: Limit,
    pub deadline: ObligationDeadline,
    pub done: Option<NaiveDate>,
    /// The excluded intervals as recorded (a hearing of a 复核), for the status.
    pub excluded: Vec<(NaiveDate, Option<NaiveDate>)>,
}

fn days(
    start: NaiveDate,
    n: u32,
    extension: u32,
    excluded: &[(NaiveDate, Option<NaiveDate>)],
    cutoff: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> ObligationDeadline {
    obligation_deadline(
        start,
        LimitSpan::days(n),
        i64::from(extension),
        excluded,
        cutoff,
        calendar,
        settings.holiday_rollover,
    )
}

/// The `ack` obligation: 15 days from receipt; none for an anonymous item (art. 23 ¶2).
pub fn ack_obligation(
    p: &Petition,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> Option<Obligation> {
    if p.anonymous {
        return None;
    }
    Some(Obligation {
        limit: Limit::Ack,
        deadline: days(p.received_date, ACK_DAYS, 0, &[], as_of, calendar, settings),
        done: p.ack_at(as_of).map(|(d, _)| d),
        excluded: Vec::new(),
    })
}

/// The handling obligation, with the facts known at `as_of`: `handling` (60 days + the
/// extension from acceptance) for an original item once accepted, `review` (30 days from
/// receipt) for a 复查, `re_review` (30 days from receipt, hearing days excluded) for a 复核.
/// Done when the item is concluded.
pub fn handling_obligation(
    p: &Petition,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> Option<Obligation> {
    let done = p.concluded_at(as_of);
    let (limit, deadline, excluded) = match p.review_level {
        0 => {
            let accepted = p.accepted_at(as_of)?;
            let d = days(
                accepted,
                settings.handling_days,
                p.extension_at(as_of),
                &[],
                as_of,
                calendar,
                settings,
            );
            (Limit::Handling, d, Vec::new())
        }
        1 => (
            Limit::Review,
            days(
                p.received_date,
                REVIEW_DAYS,
                0,
                &[],
                as_of,
                calendar,
                settings,
            ),
            Vec::new(),
        ),
        _ => {
            // Hearing days do not count (art. 36 ¶2), the facts up to the conclusion.
            let cutoff = done.unwrap_or(as_of);
            let excluded: Vec<(NaiveDate, Option<NaiveDate>)> = p
                .hearing_start
                .filter(|s| *s <= cutoff)
                .map(|s| (s, p.hearing_end.filter(|e| *e <= cutoff)))
                .into_iter()
                .collect();
            let d = days(
                p.received_date,
                REVIEW_DAYS,
                0,
                &excluded,
                cutoff,
                calendar,
                settings,
            );
            (Limit::ReReview, d, excluded)
        }
    };
    Some(Obligation {
        limit,
        deadline,
        done,
        excluded,
    })
}

/// The 60-day handling deadline without the extension (an extension must be approved on or
/// before it, art. 34 *[project]*), for an accepted original item.
pub fn normal_handling_deadline(
    p: &Petition,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> Option<NaiveDate> {
    let accepted = p.accepted_at(NaiveDate::MAX)?;
    Some(
        days(
            accepted,
            settings.handling_days,
            0,
            &[],
            accepted,
            calendar,
            settings,
        )
        .deadline,
    )
}

/// The `report` obligation of a forwarded item with a deadline set by the organ that forwarded
/// it (art. 22(3)): the deadline itself, done when the item is concluded.
pub fn report_obligation(p: &Petition, as_of: NaiveDate) -> Option<Obligation> {
    let deadline = p.assigned_deadline?;
    Some(Obligation {
        limit: Limit::Report,
        deadline: ObligationDeadline {
            start_date: p.received_date,
            base: LimitSpan::days(
                u32::try_from(tianping_domain::dates::days_between(
                    p.received_date,
                    deadline,
                ))
                .unwrap_or(0),
            ),
            extension_days: 0,
            excluded: Vec::new(),
            excluded_days: 0,
            normal_deadline: deadline,
            before_roll_over: deadline,
            deadline,
            calendar_known: true,
        },
        done: p.concluded_at(as_of),
        excluded: Vec::new(),
    })
}

/// The `object` limit of a forwarded item returned to its sender: 5 working days from receipt
/// (art. 23 ¶3); judged only for such items, never listed as due.
pub fn object_obligation(
    p: &Petition,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
) -> Option<Obligation> {
    if p.channel != Channel::Forwarded || p.ack_decision != Some(AckDecision::ReturnedToSender) {
        return None;
    }
    let (deadline, known) = add_working_days(p.received_date, OBJECT_WORKING_DAYS, calendar);
    Some(Obligation {
        limit: Limit::Object,
        deadline: ObligationDeadline {
            start_date: p.received_date,
            base: LimitSpan::days(OBJECT_WORKING_DAYS),
            extension_days: 0,
            excluded: Vec::new(),
            excluded_days: 0,
            normal_deadline: deadline,
            before_roll_over: deadline,
            deadline,
            calendar_known: known,
        },
        done: p.ack_at(as_of).map(|(d, _)| d),
        excluded: Vec::new(),
    })
}

/// Every obligation of a petition at `as_of`, in the order they arise.
pub fn obligations(
    p: &Petition,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> Vec<Obligation> {
    if p.received_date > as_of {
        return Vec::new();
    }
    [
        ack_obligation(p, as_of, calendar, settings),
        object_obligation(p, as_of, calendar),
        handling_obligation(p, as_of, calendar, settings),
        report_obligation(p, as_of),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Whether an obligation is still owed at `as_of`: not done, and the item not concluded (a
/// concluded item owes no acknowledgement any more).
fn open(o: &Obligation, p: &Petition, as_of: NaiveDate) -> bool {
    o.done.is_none() && p.concluded_at(as_of).is_none()
}

/// The base length as `show` prints it (`15日`, or `5个工作日` for the working-day limit).
pub fn base_text(o: &Obligation) -> String {
    match o.limit {
        Limit::Object => format!("{OBJECT_WORKING_DAYS}个工作日"),
        Limit::Report => "交办期限".to_owned(),
        _ => format!("{}日", o.deadline.base.days),
    }
}

/// The status of an obligation at `as_of` (§0.3).
pub fn status_of(o: &Obligation, as_of: NaiveDate) -> (ItemStatus, i64) {
    status_at(
        o.deadline.deadline,
        as_of,
        o.done,
        &o.excluded,
        DAY_LIMIT_WINDOW,
    )
}

pub use crate::core::due::DueRow;

/// The open obligations of a petition at `as_of` (the `object` limit is never listed).
pub fn due_rows(
    p: &Petition,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &PetitionSettings,
) -> Vec<DueRow> {
    obligations(p, as_of, calendar, settings)
        .into_iter()
        .filter(|o| o.limit != Limit::Object && open(o, p, as_of))
        .map(|o| {
            let (status, remaining) = status_of(&o, as_of);
            DueRow {
                id: p.petition_id.clone(),
                court_code: p.court_code.clone(),
                limit: o.limit.id(),
                rule: format!("{}（{}）", o.limit.name_zh(), base_text(&o)),
                source: o.limit.source(),
                start_date: o.deadline.start_date,
                deadline: o.deadline.deadline,
                days_remaining: remaining,
                status,
                reason: match status {
                    ItemStatus::Overdue => format!("超期{}天", -remaining),
                    ItemStatus::Suspended => "听证中，期限中止计算".to_owned(),
                    _ if remaining == 0 => "今日届满".to_owned(),
                    _ => format!("剩余{remaining}天"),
                },
                calendar_known: o.deadline.calendar_known,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::model::Channel;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn petition(received: &str) -> Petition {
        Petition::registered(
            "XF1",
            "皖0202",
            d(received),
            Channel::Letter,
            "申诉求决",
            true,
        )
    }

    /// §2.3: received 2023-09-20 → ack by 10-05, a National Day rest day → 2023-10-07.
    #[test]
    fn the_acknowledgement_rolls_over_national_day() {
        let cal = HolidayCalendar::builtin();
        let p = petition("2023-09-20");
        let o = ack_obligation(&p, d("2023-12-31"), &cal, &PetitionSettings::default()).unwrap();
        assert_eq!(o.deadline.before_roll_over, d("2023-10-05"));
        assert_eq!(o.deadline.deadline, d("2023-10-07"));
        let mut anonymous = p.clone();
        anonymous.anonymous = true;
        assert!(
            ack_obligation(
                &anonymous,
                d("2023-12-31"),
                &cal,
                &PetitionSettings::default()
            )
            .is_none()
        );
    }

    /// §2.3: accepted 2023-09-28 → 2023-11-27; extended by 30 days on 2023-11-20 → 2023-12-27
    /// (the extension counts from the day it was approved).
    #[test]
    fn handling_takes_sixty_days_and_the_extension() {
        let cal = HolidayCalendar::builtin();
        let settings = PetitionSettings::default();
        let mut p = petition("2023-09-20");
        p.ack_date = Some(d("2023-09-28"));
        p.ack_decision = Some(AckDecision::Accepted);
        let o = handling_obligation(&p, d("2023-11-01"), &cal, &settings).unwrap();
        assert_eq!(
            (o.limit, o.deadline.deadline),
            (Limit::Handling, d("2023-11-27"))
        );
        p.extension_days = Some(30);
        p.extension_date = Some(d("2023-11-20"));
        let before = handling_obligation(&p, d("2023-11-19"), &cal, &settings).unwrap();
        assert_eq!(before.deadline.deadline, d("2023-11-27"));
        let after = handling_obligation(&p, d("2023-11-20"), &cal, &settings).unwrap();
        assert_eq!(after.deadline.deadline, d("2023-12-27"));
        assert_eq!(
            normal_handling_deadline(&p, &cal, &settings),
            Some(d("2023-11-27"))
        );
    }

    /// §2.3: a 复查 received 2024-01-15 → 02-14 (Spring Festival) → 2024-02-18, a make-up
    /// working Sunday.
    #[test]
    fn a_review_rolls_over_spring_festival_to_a_make_up_sunday() {
        let cal = HolidayCalendar::builtin();
        let mut p = petition("2024-01-15");
        p.review_level = 1;
        let o =
            handling_obligation(&p, d("2024-03-31"), &cal, &PetitionSettings::default()).unwrap();
        assert_eq!(o.limit, Limit::Review);
        assert_eq!(o.deadline.before_roll_over, d("2024-02-14"));
        assert_eq!(o.deadline.deadline, d("2024-02-18"));
    }

    /// A 复核 does not count its hearing days (art. 36 ¶2); while the hearing runs the item is
    /// suspended.
    #[test]
    fn a_re_review_excludes_its_hearing() {
        let cal = HolidayCalendar::builtin();
        let settings = PetitionSettings::default();
        let mut p = petition("2024-03-01");
        p.review_level = 2;
        p.hearing_start = Some(d("2024-03-11"));
        let during = handling_obligation(&p, d("2024-03-15"), &cal, &settings).unwrap();
        assert_eq!(status_of(&during, d("2024-03-15")).0, ItemStatus::Suspended);
        p.hearing_end = Some(d("2024-03-15"));
        let o = handling_obligation(&p, d("2024-05-31"), &cal, &settings).unwrap();
        // 2024-03-31 plus 5 hearing days = 04-05, 清明 (04-04…06) → 04-07, a make-up Sunday.
        assert_eq!(o.deadline.excluded_days, 5);
        assert_eq!(o.deadline.before_roll_over, d("2024-04-05"));
        assert_eq!(o.deadline.deadline, d("2024-04-07"));
    }

    /// A forwarded item returned to its sender: 5 working days; never listed as due.
    #[test]
    fn the_objection_counts_working_days_and_is_not_listed() {
        let cal = HolidayCalendar::builtin();
        let mut p = petition("2023-09-27");
        p.channel = Channel::Forwarded;
        p.source = Some("上级法院".into());
        p.ack_decision = Some(AckDecision::ReturnedToSender);
        let o = object_obligation(&p, d("2023-12-31"), &cal).unwrap();
        // 09-28 is day 1, 09-29…10-06 rest days, 10-07 and 10-08 make-up days, 10-09 day 4.
        assert_eq!(o.deadline.deadline, d("2023-10-10"));
        let due = due_rows(&p, d("2023-10-01"), &cal, &PetitionSettings::default());
        assert!(due.iter().all(|r| r.limit != "object"));
        assert_eq!(due.iter().map(|r| r.limit).collect::<Vec<_>>(), ["ack"]);
    }
}
