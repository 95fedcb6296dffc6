//! Deadline lists (审限预警): every pending case at an as-of date with its deadline and status.

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::EventRecord;
use tianping_domain::time_limit::{
    Limit, LimitRule, NoLimitReason, PendingStatus, Timing, evaluate,
};

use crate::indicators::{JudgeFilter, UNASSIGNED};

/// Which pending cases to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every pending case with a time limit (the default).
    Limited,
    Only(PendingStatus),
    /// Every pending case, those without a limit too.
    All,
}

impl StatusFilter {
    /// `overdue`, `due_soon`, `suspended`, `ok`, `no_limit`, `all`.
    pub fn parse(text: &str) -> Option<StatusFilter> {
        match text {
            "all" => Some(StatusFilter::All),
            "limited" => Some(StatusFilter::Limited),
            other => PendingStatus::parse(other).map(StatusFilter::Only),
        }
    }

    fn admits(self, status: PendingStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Limited => status != PendingStatus::NoLimit,
            StatusFilter::Only(s) => s == status,
        }
    }
}

/// One row of the list: the contract's fields (interfaces.md) plus division, judge and a reason.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineRow {
    pub case_number: String,
    pub court_code: String,
    pub rule: Option<LimitRule>,
    pub filed_date: NaiveDate,
    pub normal_deadline: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub deducted_days: i64,
    pub extended: bool,
    pub days_remaining: Option<i64>,
    pub status: PendingStatus,
    pub age_days: i64,
    pub division: Option<String>,
    pub judge: Option<String>,
    /// Why the case has its status, in the words of the office (超审限12天, 鉴定扣审中…).
    pub reason: String,
    /// False when the deadline fell in a year whose holiday notice is not loaded.
    pub calendar_known: bool,
}

/// The question a deadline list answers. Build it with [`DeadlineQuery::new`] and set the
/// filters a page or a command needs.
#[derive(Debug, Clone)]
pub struct DeadlineQuery<'a> {
    pub as_of: NaiveDate,
    /// A court code: that court and every court below it; `None` for every court.
    pub scope: Option<&'a str>,
    /// A judge's own cases (a name within one court): what a judge's account sees.
    pub judge: Option<JudgeFilter<'a>>,
    pub status: StatusFilter,
    /// This court only (not the courts below it).
    pub court: Option<&'a str>,
    /// A division (庭室); [`UNASSIGNED`] picks the cases without one.
    pub division: Option<&'a str>,
    /// A judge's name, as a filter within the scope; [`UNASSIGNED`] picks the cases without one.
    pub judge_name: Option<&'a str>,
    /// Only cases whose deadline falls on or before this date (overdue cases included).
    pub due_by: Option<NaiveDate>,
    /// Only cases with at most this many days left (overdue cases included).
    pub within_days: Option<i64>,
    /// Only cases of this type code (类型代字, `民初`).
    pub type_code: Option<&'a str>,
    /// Only cases whose cause (案由) contains this text.
    pub cause: Option<&'a str>,
    /// The warning window of 临近审限 in days (default: the snapshot's settings, 15).
    pub due_soon_days: Option<i64>,
}

impl<'a> DeadlineQuery<'a> {
    /// Every pending case of `scope` (a court and the courts below; `None`: all) with the
    /// status `status`, no other filter.
    pub fn new(as_of: NaiveDate, scope: Option<&'a str>, status: StatusFilter) -> Self {
        DeadlineQuery {
            as_of,
            scope,
            judge: None,
            status,
            court: None,
            division: None,
            judge_name: None,
            due_by: None,
            within_days: None,
            type_code: None,
            cause: None,
            due_soon_days: None,
        }
    }
}

fn reason_text<'e>(
    status: PendingStatus,
    limit: &Limit,
    days: Option<i64>,
    has_type_code: bool,
    events: impl IntoIterator<Item = &'e EventRecord>,
    as_of: NaiveDate,
) -> String {
    match status {
        PendingStatus::Overdue => format!("超审限{}天", -days.unwrap_or(0)),
        PendingStatus::DueSoon if days == Some(0) => "今日审限届满".to_owned(),
        PendingStatus::DueSoon => format!("距审限届满{}天", days.unwrap_or(0)),
        PendingStatus::Suspended => {
            let why = events
                .into_iter()
                .filter(|e| e.kind == tianping_domain::EventKind::Deduction)
                .filter(|e| e.date <= as_of && e.end_date.is_none_or(|end| as_of <= end))
                .filter_map(|e| e.reason.clone())
                .next();
            match why {
                Some(w) => format!("{w}，审限扣除中"),
                None => "审限扣除中".to_owned(),
            }
        }
        PendingStatus::Ok => format!("距审限届满{}天", days.unwrap_or(0)),
        PendingStatus::NoLimit => match limit {
            Limit::None(NoLimitReason::ForeignRelated) => "涉外民事案件，不受审限限制".to_owned(),
            _ if !has_type_code => "无类型代字，不计审限".to_owned(),
            _ => "该类案件无法定审限".to_owned(),
        },
    }
}

fn sort_most_urgent_first(rows: &mut [DeadlineRow]) {
    rows.sort_by(|a, b| {
        a.days_remaining
            .unwrap_or(i64::MAX)
            .cmp(&b.days_remaining.unwrap_or(i64::MAX))
            .then_with(|| a.case_number.cmp(&b.case_number))
    });
}

/// The deadline list: every pending case the query admits with its deadline by the domain's
/// time-limit engine, most urgent first (fewest days remaining), then by case number. The one
/// list the CLI, the API, the pages and the bulletins read.
pub fn deadline_list(snapshot: &crate::Snapshot, query: &DeadlineQuery<'_>) -> Vec<DeadlineRow> {
    use crate::snapshot::{NEVER, NONE_ID};
    let lookup = |code: &str| snapshot.court_lookup(code).unwrap_or(u32::MAX);
    let scope = query.scope.map(lookup);
    let court = query.court.map(lookup);
    let judge = query.judge.map(|j| {
        (
            lookup(j.court),
            snapshot.names.lookup(j.name).unwrap_or(u32::MAX),
        )
    });
    let name_matches = |id: u32, wanted: Option<&str>| {
        wanted.is_none_or(|w| {
            (if id == NONE_ID {
                UNASSIGNED
            } else {
                snapshot.names.get(id)
            }) == w
        })
    };
    // One scope check per court, not per case.
    let court_admitted: Vec<bool> = (0..snapshot.court_ancestors.len() as u32)
        .map(|c| {
            scope.is_none_or(|s| s != u32::MAX && snapshot.court_within(c, s))
                && court.is_none_or(|x| c == x)
                && judge.is_none_or(|(jc, _)| c == jc)
        })
        .collect();
    let as_of = tianping_domain::dates::to_day_number(query.as_of);
    let kind = snapshot.kind_matcher(query.type_code, query.cause);
    let settings = tianping_domain::time_limit::LimitSettings {
        due_soon_days: query
            .due_soon_days
            .unwrap_or(snapshot.settings.due_soon_days),
        ..snapshot.settings
    };
    let mut rows = Vec::new();
    for i in 0..snapshot.len() {
        // Pending at the as-of date: filed by then, not closed by then.
        if snapshot.filed[i] > as_of || (snapshot.closed[i] != NEVER && snapshot.closed[i] <= as_of)
        {
            continue;
        }
        let court = snapshot.court[i];
        if !court_admitted[court as usize]
            || judge.is_some_and(|(_, name)| name == NONE_ID || snapshot.judge[i] != name)
            || !name_matches(snapshot.division[i], query.division)
            || !name_matches(snapshot.judge[i], query.judge_name)
            || !kind.admits(snapshot, i)
        {
            continue;
        }
        let facts = snapshot.facts(i);
        let Timing::Pending {
            limit,
            status,
            days_remaining,
            age_days,
            ..
        } = evaluate(&facts, query.as_of, &snapshot.calendar, &settings)
        else {
            continue;
        };
        if !query.status.admits(status) {
            continue;
        }
        let deadline = limit.deadline();
        if query
            .due_by
            .is_some_and(|by| deadline.is_none_or(|d| d.deadline > by))
            || query
                .within_days
                .is_some_and(|n| days_remaining.is_none_or(|left| left > n))
        {
            continue;
        }
        let name = |id: u32| (id != NONE_ID).then(|| snapshot.names.get(id).to_owned());
        let events = snapshot
            .events
            .get(&(i as u32))
            .map(Vec::as_slice)
            .unwrap_or_default();
        rows.push(DeadlineRow {
            case_number: snapshot.case_numbers.get(i).to_owned(),
            court_code: snapshot.court_codes.get(court).to_owned(),
            rule: deadline.map(|d| d.rule),
            filed_date: facts.filed,
            normal_deadline: deadline.map(|d| d.normal_deadline),
            deadline: deadline.map(|d| d.deadline),
            deducted_days: deadline.map_or(0, |d| d.deducted_days),
            extended: deadline.is_some_and(|d| d.extended()),
            days_remaining,
            status,
            age_days,
            division: name(snapshot.division[i]),
            judge: name(snapshot.judge[i]),
            reason: reason_text(
                status,
                &limit,
                days_remaining,
                snapshot.type_code[i] != crate::snapshot::NO_TYPE,
                events,
                query.as_of,
            ),
            calendar_known: deadline.is_none_or(|d| d.calendar_known),
        });
    }
    sort_most_urgent_first(&mut rows);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::CaseRecord;
    use tianping_domain::calendar::HolidayCalendar;
    use tianping_domain::time_limit::AppealObject;
    use tianping_domain::time_limit::LimitSettings;
    use tianping_domain::{CaseNumber, EventKind};

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn case(number: &str, filed: &str) -> CaseRecord {
        let n = CaseNumber::parse(number).unwrap();
        CaseRecord {
            case_number: n.normalized(),
            court_code: n.court.to_string(),
            type_code: Some(n.type_code),
            type_name: None,
            procedure: None,
            cause: None,
            received_date: None,
            filed_date: d(filed),
            division: None,
            judge: Some("李娜".into()),
            closed_date: None,
            closing_mode: None,
            disposal: None,
            claim_amount: None,
            recovered_amount: None,
            origin_case_number: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
        }
    }

    fn list(
        cases: &[CaseRecord],
        events: &[EventRecord],
        scope: Option<&str>,
        status: StatusFilter,
    ) -> Vec<DeadlineRow> {
        let snapshot = crate::Snapshot::build(
            &[],
            cases,
            events,
            std::sync::Arc::new(HolidayCalendar::builtin()),
            LimitSettings::default(),
        );
        deadline_list(
            &snapshot,
            &DeadlineQuery::new(d("2023-09-20"), scope, status),
        )
    }

    fn fixture() -> (Vec<CaseRecord>, Vec<EventRecord>) {
        let mut closed = case("（2023）皖0202民初4号", "2023-01-05");
        closed.closed_date = Some(d("2023-05-01"));
        let cases = vec![
            case("（2023）皖0202民初1号", "2023-03-15"), // deadline 2023-09-15: overdue 5 days
            case("（2023）皖0202民初2号", "2023-03-25"), // deadline 2023-09-25: due soon, 5 days
            case("（2023）皖0202民初3号", "2023-05-10"), // deadline 2023-11-10: ok
            closed,
            case("（2023）皖0102民初1号", "2023-03-15"), // another court
            case("（2023）皖0202刑核1号", "2023-03-15"), // no limit
            case("（2023）皖0202民初5号", "2023-10-01"), // not yet filed at the as-of date
        ];
        let events = vec![EventRecord {
            case_number: "（2023）皖0202民初3号".into(),
            kind: EventKind::Deduction,
            date: d("2023-09-01"),
            end_date: None,
            months: None,
            days: None,
            reason: Some("鉴定".into()),
        }];
        (cases, events)
    }

    #[test]
    fn lists_pending_cases_of_the_scope_most_urgent_first() {
        let (cases, events) = fixture();
        let rows = list(&cases, &events, Some("皖0202"), StatusFilter::Limited);
        let got: Vec<(&str, PendingStatus, Option<i64>)> = rows
            .iter()
            .map(|r| (r.case_number.as_str(), r.status, r.days_remaining))
            .collect();
        // 民初3号: 20 deducted days at 09-20 -> 2023-11-30 (Thursday); suspended.
        assert_eq!(
            got,
            vec![
                ("（2023）皖0202民初1号", PendingStatus::Overdue, Some(-5)),
                ("（2023）皖0202民初2号", PendingStatus::DueSoon, Some(5)),
                ("（2023）皖0202民初3号", PendingStatus::Suspended, Some(71)),
            ]
        );
        assert_eq!(rows[0].reason, "超审限5天");
        assert_eq!(rows[2].reason, "鉴定，审限扣除中");
        assert_eq!(rows[2].deducted_days, 20);
    }

    #[test]
    fn filters_by_status_and_includes_cases_without_a_limit_only_for_all() {
        let (cases, events) = fixture();
        let overdue = list(
            &cases,
            &events,
            None,
            StatusFilter::Only(PendingStatus::Overdue),
        );
        assert_eq!(overdue.len(), 2, "both courts' 民初1号");
        let all = list(&cases, &events, Some("皖0202"), StatusFilter::All);
        assert_eq!(all.len(), 4);
        let no_limit = all
            .iter()
            .find(|r| r.status == PendingStatus::NoLimit)
            .unwrap();
        assert_eq!(no_limit.deadline, None);
        assert_eq!(no_limit.reason, "该类案件无法定审限");
        assert_eq!(
            all.last().unwrap().status,
            PendingStatus::NoLimit,
            "no deadline sorts last"
        );
    }

    #[test]
    fn a_scope_above_includes_the_courts_below() {
        let (cases, events) = fixture();
        assert_eq!(
            list(&cases, &events, Some("皖"), StatusFilter::Limited).len(),
            4
        );
        assert_eq!(
            list(&cases, &events, Some("皖01"), StatusFilter::Limited).len(),
            1
        );
        assert_eq!(
            list(&cases, &events, Some("鲁"), StatusFilter::Limited).len(),
            0
        );
    }

    #[test]
    fn status_filter_parses_the_contract_words() {
        assert_eq!(
            StatusFilter::parse("overdue"),
            Some(StatusFilter::Only(PendingStatus::Overdue))
        );
        assert_eq!(
            StatusFilter::parse("due_soon"),
            Some(StatusFilter::Only(PendingStatus::DueSoon))
        );
        assert_eq!(StatusFilter::parse("all"), Some(StatusFilter::All));
        assert_eq!(StatusFilter::parse("late"), None);
    }
}
