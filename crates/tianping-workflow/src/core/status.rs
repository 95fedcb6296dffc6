//! The status of an item against its deadline at an as-of date (`workflows.md` §0.3), checked in
//! the order of `time-limits.md`: an open item is `overdue` (A > deadline), else `suspended` (an
//! excluded interval covers A), else `due_soon` (0 ≤ deadline − A ≤ W), else `ok`; a done item is
//! `on_time` (done on or before the deadline) or `late`.

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::dates::days_between;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Overdue,
    Suspended,
    DueSoon,
    Ok,
    OnTime,
    Late,
}

impl ItemStatus {
    pub fn id(self) -> &'static str {
        match self {
            ItemStatus::Overdue => "overdue",
            ItemStatus::Suspended => "suspended",
            ItemStatus::DueSoon => "due_soon",
            ItemStatus::Ok => "ok",
            ItemStatus::OnTime => "on_time",
            ItemStatus::Late => "late",
        }
    }

    pub fn parse(id: &str) -> Option<ItemStatus> {
        [
            ItemStatus::Overdue,
            ItemStatus::Suspended,
            ItemStatus::DueSoon,
            ItemStatus::Ok,
            ItemStatus::OnTime,
            ItemStatus::Late,
        ]
        .into_iter()
        .find(|s| s.id() == id)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ItemStatus::Overdue => "超期",
            ItemStatus::Suspended => "中止计算",
            ItemStatus::DueSoon => "临近期限",
            ItemStatus::Ok => "正常",
            ItemStatus::OnTime => "按期办结",
            ItemStatus::Late => "超期办结",
        }
    }
}

/// The status at `as_of` of an item due on `deadline`, done on `done` (a done date after `as_of`
/// is not known yet), with the `excluded` intervals (an open one runs on) and the warning
/// window `window` in days. Returns the status and `days_remaining` (deadline − as_of).
pub fn status_at(
    deadline: NaiveDate,
    as_of: NaiveDate,
    done: Option<NaiveDate>,
    excluded: &[(NaiveDate, Option<NaiveDate>)],
    window: i64,
) -> (ItemStatus, i64) {
    let remaining = days_between(as_of, deadline);
    let status = match done.filter(|d| *d <= as_of) {
        Some(done) if done <= deadline => ItemStatus::OnTime,
        Some(_) => ItemStatus::Late,
        None if as_of > deadline => ItemStatus::Overdue,
        None if excluded
            .iter()
            .any(|(s, e)| *s <= as_of && e.is_none_or(|e| as_of <= e)) =>
        {
            ItemStatus::Suspended
        }
        None if (0..=window).contains(&remaining) => ItemStatus::DueSoon,
        None => ItemStatus::Ok,
    };
    (status, remaining)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn statuses_are_checked_in_the_order_of_the_specification() {
        let deadline = d("2023-10-07");
        let appraisal = [(d("2023-10-01"), None)];
        // Past the deadline: overdue, even while an interval is open.
        assert_eq!(
            status_at(deadline, d("2023-10-08"), None, &appraisal, 7),
            (ItemStatus::Overdue, -1)
        );
        assert_eq!(
            status_at(deadline, d("2023-10-03"), None, &appraisal, 7),
            (ItemStatus::Suspended, 4)
        );
        assert_eq!(
            status_at(deadline, d("2023-10-07"), None, &[], 7),
            (ItemStatus::DueSoon, 0)
        );
        assert_eq!(
            status_at(deadline, d("2023-09-29"), None, &[], 7).0,
            ItemStatus::Ok
        );
        assert_eq!(
            status_at(deadline, d("2023-10-10"), Some(d("2023-10-07")), &[], 7).0,
            ItemStatus::OnTime
        );
        assert_eq!(
            status_at(deadline, d("2023-10-10"), Some(d("2023-10-08")), &[], 7).0,
            ItemStatus::Late
        );
        // Done after the as-of date: not known yet.
        assert_eq!(
            status_at(deadline, d("2023-10-09"), Some(d("2023-10-10")), &[], 7).0,
            ItemStatus::Overdue
        );
    }
}
