//! The deadline list (the snapshot's one engine) equals the oracle's, computed from each case's
//! records through the domain's time-limit engine, row for row, with every filter.

use std::sync::Arc;

use tianping_domain::CourtTable;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_domain::time_limit::PendingStatus;
use tianping_metrics::Snapshot;
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter, deadline_list};
use tianping_synth::{SynthConfig, generate};
use tianping_test_utils::oracle;

#[test]
fn the_snapshot_gives_the_same_deadline_list_as_the_records() {
    let data = generate(&SynthConfig::small(9));
    let calendar = Arc::new(HolidayCalendar::builtin());
    let settings = LimitSettings::default();
    let snapshot = Snapshot::build(
        &data.courts,
        &data.cases,
        &data.events,
        calendar.clone(),
        settings,
    );
    let courts = CourtTable::from_records(data.courts.clone());
    let mut compared = 0;
    for as_of in ["2023-06-30", "2024-03-31", "2025-12-31"] {
        for scope in [None, Some("鲁"), Some("鲁01"), Some("鲁0102")] {
            for status in [
                StatusFilter::Limited,
                StatusFilter::All,
                StatusFilter::Only(PendingStatus::Overdue),
                StatusFilter::Only(PendingStatus::Suspended),
            ] {
                let query = DeadlineQuery::new(as_of.parse().unwrap(), scope, status);
                let from_records = oracle::deadline_list(
                    &courts,
                    &data.cases,
                    &data.events,
                    &query,
                    &calendar,
                    &settings,
                );
                let from_snapshot = deadline_list(&snapshot, &query);
                assert_eq!(
                    oracle::without_reasons(from_snapshot),
                    from_records,
                    "{as_of} {scope:?} {status:?}"
                );
                compared += from_records.len();
            }
        }
    }
    assert!(compared > 10_000, "a real comparison: {compared} rows");
}

/// Every filter the pages and the CLI use, alone and together, against the oracle: a court
/// itself, a division, a judge's name, a judge's own cases, `due_by` and the warning window.
#[test]
fn every_filter_of_the_deadline_list_agrees_with_the_oracle() {
    let data = generate(&SynthConfig::small(9));
    let calendar = Arc::new(HolidayCalendar::builtin());
    let settings = LimitSettings::default();
    let snapshot = Snapshot::build(
        &data.courts,
        &data.cases,
        &data.events,
        calendar.clone(),
        settings,
    );
    let courts = CourtTable::from_records(data.courts.clone());
    let as_of: chrono::NaiveDate = "2024-03-29".parse().unwrap();
    // A busy judge of a basic court, and that court's busiest division.
    let sample = data
        .cases
        .iter()
        .find(|c| c.court_code.chars().count() == 5 && c.judge.is_some() && c.division.is_some())
        .unwrap();
    let (court, judge, division) = (
        sample.court_code.as_str(),
        sample.judge.as_deref().unwrap(),
        sample.division.as_deref().unwrap(),
    );
    let friday: chrono::NaiveDate = "2024-04-05".parse().unwrap();
    let mut queries = Vec::new();
    let base = DeadlineQuery::new(as_of, None, StatusFilter::Limited);
    queries.push(DeadlineQuery {
        court: Some(court),
        ..base.clone()
    });
    queries.push(DeadlineQuery {
        scope: Some(court),
        division: Some(division),
        ..base.clone()
    });
    queries.push(DeadlineQuery {
        scope: Some(court),
        judge_name: Some(judge),
        ..base.clone()
    });
    queries.push(DeadlineQuery {
        judge: Some(tianping_metrics::JudgeFilter { court, name: judge }),
        due_by: Some(friday),
        ..base.clone()
    });
    queries.push(DeadlineQuery {
        within_days: Some(15),
        ..base.clone()
    });
    queries.push(DeadlineQuery {
        scope: Some("鲁01"),
        due_by: Some(friday),
        status: StatusFilter::All,
        ..base.clone()
    });
    queries.push(DeadlineQuery {
        division: Some(tianping_metrics::indicators::UNASSIGNED),
        ..base.clone()
    });
    let mut sizes = Vec::new();
    for query in &queries {
        let want = oracle::deadline_list(
            &courts,
            &data.cases,
            &data.events,
            query,
            &calendar,
            &settings,
        );
        let got = oracle::without_reasons(deadline_list(&snapshot, query));
        assert_eq!(got, want, "{query:?}");
        sizes.push(want.len());
    }
    // The filters narrow: each list is a real, smaller list.
    let all = deadline_list(&snapshot, &base).len();
    assert!(
        sizes[..5].iter().all(|&n| n > 0 && n < all),
        "{sizes:?} of {all}"
    );
    // Due by Friday: nothing on the list is due after it.
    let due = deadline_list(
        &snapshot,
        &DeadlineQuery {
            due_by: Some(friday),
            ..base.clone()
        },
    );
    assert!(!due.is_empty());
    assert!(due.iter().all(|r| r.deadline.is_some_and(|d| d <= friday)));
}
