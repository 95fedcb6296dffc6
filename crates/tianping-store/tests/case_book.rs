//! The case book an import builds while it writes (`ImportOptions::case_book`) answers every
//! question exactly as the case book built from the stored rows afterwards: into an empty
//! database (one file, and courts, cases and events together) and on top of the cache of the
//! data before (an import that changes and adds cases and events). The cache written from it is
//! read back by `case_book::load` without touching the rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_exchange::{write_cases_csv, write_courts_csv, write_events_csv};
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter, deadline_list};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_store::import::{CaseBookSink, ImportOptions, import_files};
use tianping_store::{CaseStore, DatabaseUrl, MaintenanceStore, SqliteStore, Store, case_book};
use tianping_synth::{SynthConfig, generate};
use tianping_test_utils::d;

fn calendar() -> Arc<HolidayCalendar> {
    Arc::new(HolidayCalendar::builtin())
}

/// Import `files` with the case book following, as `tianping import` does; the case book it
/// built (`None` when it could not follow).
async fn import_following(
    store: &SqliteStore,
    url: &DatabaseUrl,
    files: &[PathBuf],
) -> Option<Snapshot> {
    let before = case_book::current(store, url, calendar(), LimitSettings::default())
        .await
        .unwrap();
    let sink = before.map(CaseBookSink::new);
    let options = ImportOptions {
        case_book: sink.clone(),
        ..ImportOptions::default()
    };
    import_files(store, files, &options, None).await.unwrap();
    let builder = sink?.take()?;
    let courts = store.courts().await.unwrap();
    let snapshot = builder.finish(&courts);
    case_book::write_cache(url, &snapshot, store.data_version().await.unwrap());
    Some(snapshot)
}

/// Every question the pages ask, by both case books: the same answers.
async fn assert_same_answers(store: &dyn Store, followed: &Snapshot) {
    let rebuilt = Snapshot::build(
        &store.courts().await.unwrap(),
        &store.cases().await.unwrap(),
        &store.events().await.unwrap(),
        calendar(),
        LimitSettings::default(),
    );
    assert_eq!(followed.len(), rebuilt.len());
    for (from, to) in [("2023-01-01", "2023-12-31"), ("2025-01-01", "2025-06-30")] {
        for by in [
            GroupBy::None,
            GroupBy::Court,
            GroupBy::Division,
            GroupBy::Judge,
            GroupBy::TypeCode,
        ] {
            let query = IndicatorQuery {
                from: d(from),
                to: d(to),
                as_of: d(to),
                scope: None,
                by,
            };
            assert_eq!(
                serde_json::to_string(&compute(followed, &query).unwrap()).unwrap(),
                serde_json::to_string(&compute(&rebuilt, &query).unwrap()).unwrap(),
                "{from} {to} {by:?}"
            );
        }
    }
    for as_of in ["2023-06-30", "2025-03-31"] {
        let query = DeadlineQuery::new(d(as_of), None, StatusFilter::All);
        assert_eq!(
            deadline_list(followed, &query),
            deadline_list(&rebuilt, &query)
        );
    }
    // Every case reads back the same, record and events.
    for case in store.cases().await.unwrap() {
        let (a, b) = (
            followed.find(&case.case_number).unwrap(),
            rebuilt.find(&case.case_number).unwrap(),
        );
        assert_eq!(followed.record(a), case);
        assert_eq!(followed.events_of(a), rebuilt.events_of(b));
    }
}

fn write(dir: &Path, name: &str, data: &tianping_synth::Dataset) -> [PathBuf; 3] {
    let courts = dir.join(format!("{name}-courts.csv"));
    let cases = dir.join(format!("{name}-cases.csv"));
    let events = dir.join(format!("{name}-events.csv"));
    write_courts_csv(std::fs::File::create(&courts).unwrap(), &data.courts).unwrap();
    write_cases_csv(std::fs::File::create(&cases).unwrap(), &data.cases).unwrap();
    write_events_csv(std::fs::File::create(&events).unwrap(), &data.events).unwrap();
    [courts, cases, events]
}

#[tokio::test]
async fn the_case_book_built_during_an_import_answers_as_the_stored_rows_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = generate(&SynthConfig {
        target_cases: Some(20_000),
        ..SynthConfig::small(5)
    });
    // The first import: most cases and their events; the second: the rest, with events, and
    // changes to cases of the first (pending ones closed).
    let split = data.cases.len() * 7 / 10;
    let first_numbers: std::collections::HashSet<&str> = data.cases[..split]
        .iter()
        .map(|c| c.case_number.as_str())
        .collect();
    let (first_events, second_events): (Vec<_>, Vec<_>) = data
        .events
        .iter()
        .cloned()
        .partition(|e| first_numbers.contains(e.case_number.as_str()));
    let first = tianping_synth::Dataset {
        courts: data.courts.clone(),
        cases: data.cases[..split].to_vec(),
        events: first_events,
        ..data.clone()
    };
    let mut changed = data.cases[..2_000].to_vec();
    for case in &mut changed {
        if case.closed_date.is_none() {
            case.closed_date = Some(case.filed_date.max(d("2025-06-30")));
            case.closing_mode = Some(tianping_domain::ClosingMode::Judgment);
        }
    }
    let mut second_cases = data.cases[split..].to_vec();
    second_cases.extend(changed);
    let second = tianping_synth::Dataset {
        courts: data.courts.clone(),
        cases: second_cases,
        events: second_events,
        ..data.clone()
    };
    let [courts, cases, events] = write(dir.path(), "a", &first);

    // One file into an empty database: the case book follows the streamed rows.
    let path = dir.path().join("one.db");
    let url = DatabaseUrl::parse(path.to_str().unwrap());
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    let followed = import_following(&store, &url, std::slice::from_ref(&cases))
        .await
        .expect("an empty database is known");
    assert_same_answers(&store, &followed).await;
    store.close().await;

    // Courts, cases and events together into an empty database.
    let path = dir.path().join("all.db");
    let url = DatabaseUrl::parse(path.to_str().unwrap());
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    let followed = import_following(&store, &url, &[courts, cases, events])
        .await
        .expect("an empty database is known");
    assert_same_answers(&store, &followed).await;

    // A second import on top, from the cache the first one wrote.
    let [more_courts, more_cases, more_events] = write(dir.path(), "b", &second);
    let followed = import_following(&store, &url, &[more_courts, more_cases, more_events])
        .await
        .expect("the first import's cache is current");
    assert_eq!(followed.len(), data.cases.len());
    assert_same_answers(&store, &followed).await;

    // The cache holds the data version: the next process reads it, not the rows.
    let (from_cache, version) = case_book::load(&store, &url, calendar(), LimitSettings::default())
        .await
        .unwrap();
    assert_eq!(version, store.data_version().await.unwrap());
    assert_eq!(
        from_cache.to_cache_bytes(version),
        followed.to_cache_bytes(version)
    );
    store.close().await;
}

#[tokio::test]
async fn without_a_current_cache_the_import_builds_no_case_book() {
    let dir = tempfile::tempdir().unwrap();
    let data = generate(&SynthConfig {
        target_cases: Some(2_000),
        ..SynthConfig::small(8)
    });
    let [_, cases, _] = write(dir.path(), "a", &data);
    let path = dir.path().join("db.db");
    let url = DatabaseUrl::parse(path.to_str().unwrap());
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    import_following(&store, &url, std::slice::from_ref(&cases))
        .await
        .unwrap();
    // The cache is gone (deleted by hand): the data before the next import is not known
    // without reading every row, so none is built; the next question rebuilds it.
    std::fs::remove_file(case_book::cache_path(&url).unwrap()).unwrap();
    assert!(import_following(&store, &url, &[cases]).await.is_none());
    store.close().await;
}
