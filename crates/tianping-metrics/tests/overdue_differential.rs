//! 超审限未结 from the indicator engine (deadlines kept in the snapshot, recomputed only while a
//! case's events are still to come) against the oracle's deadline list (tianping-test-utils:
//! the time-limit engine run on each case's records at the date asked): the same
//! count for every court at every end of period, including periods whose pending cases have been
//! closed since.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::{LimitRule, LimitSettings, PendingStatus};
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_synth::{SynthConfig, generate};
use tianping_test_utils::oracle;

#[test]
fn overdue_pending_equals_the_deadline_list_at_every_end_of_period() {
    let data = generate(&SynthConfig::small(11));
    let calendar = HolidayCalendar::builtin();
    let settings = LimitSettings::default();
    let snapshot = Snapshot::build(
        &data.courts,
        &data.cases,
        &data.events,
        Arc::new(calendar.clone()),
        settings,
    );
    let mut compared = 0;
    let mut overdue_seen = 0;
    let mut overdue_mediations = 0;
    for to in [
        "2021-06-30",
        "2022-03-31",
        "2022-12-31",
        "2023-09-30",
        "2024-06-30",
        "2024-12-31",
        "2025-12-31",
    ] {
        let to: NaiveDate = to.parse().unwrap();
        let rows = oracle::deadline_list(
            snapshot.court_table(),
            &data.cases,
            &data.events,
            &DeadlineQuery::new(to, None, StatusFilter::Only(PendingStatus::Overdue)),
            &calendar,
            &settings,
        );
        let mut expected: BTreeMap<String, u64> = BTreeMap::new();
        let mut mediations = 0;
        // A pre-litigation mediation keeps its deadline on the list but is in no indicator.
        for row in &rows {
            if row.rule == Some(LimitRule::PreLitigationMediation) {
                mediations += 1;
                continue;
            }
            *expected.entry(row.court_code.clone()).or_default() += 1;
        }
        overdue_mediations += mediations;
        let from = to.with_month(1).unwrap().with_day(1).unwrap();
        let computed = compute(
            &snapshot,
            &IndicatorQuery {
                from,
                to,
                as_of: to,
                scope: None,
                by: GroupBy::Court,
            },
        )
        .unwrap();
        for row in computed {
            let want = expected.get(&row.key).copied().unwrap_or(0);
            assert_eq!(
                row.indicators.overdue_pending,
                Some(want),
                "{} at {to}",
                row.key
            );
            compared += 1;
            overdue_seen += want;
        }
    }
    assert!(compared > 50, "{compared} court-periods compared");
    assert!(
        overdue_mediations > 0,
        "the fixture has overdue pre-litigation mediations, which the list keeps"
    );
    assert!(
        overdue_seen > 20,
        "{overdue_seen} overdue cases: the fixture has some"
    );
}
