//! The deadline list from the snapshot equals the list from the case records, row for row.

use std::sync::Arc;

use tianping_domain::CourtTable;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_domain::time_limit::PendingStatus;
use tianping_metrics::Snapshot;
use tianping_metrics::deadlines::{
    DeadlineQuery, StatusFilter, deadline_list, events_by_case, snapshot_deadline_list,
};
use tianping_synth::{SynthConfig, generate};

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
    let index = events_by_case(&data.events);
    let mut compared = 0;
    for as_of in ["2023-06-30", "2024-03-31", "2025-12-31"] {
        for scope in [None, Some("鲁"), Some("鲁01"), Some("鲁0102")] {
            for status in [
                StatusFilter::Limited,
                StatusFilter::All,
                StatusFilter::Only(PendingStatus::Overdue),
                StatusFilter::Only(PendingStatus::Suspended),
            ] {
                let query = DeadlineQuery {
                    as_of: as_of.parse().unwrap(),
                    scope,
                    status,
                };
                let from_records =
                    deadline_list(&courts, &data.cases, &index, &query, &calendar, &settings);
                let from_snapshot = snapshot_deadline_list(&snapshot, &query);
                assert_eq!(from_snapshot, from_records, "{as_of} {scope:?} {status:?}");
                compared += from_records.len();
            }
        }
    }
    assert!(compared > 10_000, "a real comparison: {compared} rows");
}
