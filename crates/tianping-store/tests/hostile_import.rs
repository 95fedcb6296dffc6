//! Issue 14: no imported value may ever reach a panic. Arbitrary dates, amounts, extension and
//! deduction lengths and texts are thrown at the importer; whatever it accepts is then read back
//! and run through everything that computes on it (the snapshot, every indicator grouping, both
//! deadline lists). Each run must end in an error or a success, and what a success stored must
//! lie within the documented bounds (docs/security.md, "Limits on input").

use std::sync::Arc;

use chrono::NaiveDate;
use proptest::prelude::*;
use tianping_domain::HolidayCalendar;
use tianping_domain::dates::{ACCEPTED_FIRST, ACCEPTED_LAST};
use tianping_domain::time_limit::{LimitSettings, MAX_EXTENSION_DAYS, MAX_EXTENSION_MONTHS};
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter, deadline_list};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_store::import::{ImportOptions, OnError, import_files};
use tianping_store::{CaseStore, SqliteStore};

const CASES_HEADER: &str = "case_number,procedure,cause,received_date,filed_date,division,judge,\
closed_date,closing_mode,claim_amount,recovered_amount,origin_case_number";
const EVENTS_HEADER: &str = "case_number,event,date,end_date,months,days,reason";

/// Hostile date cells: the calendar's edges, the accepted window's edges, and nonsense.
fn hostile_date() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0000-01-01",
            "9999-12-31",
            "1949-09-30",
            "1949-10-01",
            "2099-12-31",
            "2100-01-01",
            "2023-02-29",
            "2024-02-29",
            "0001年1月1日",
            "9999/12/31",
            "",
            "NA",
            "2023-13-01",
        ])
        .prop_map(str::to_owned),
        (0u32..10_000, 0u32..100, 0u32..100).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        "[0-9./年月日-]{0,12}",
    ]
}

/// Hostile whole numbers for months and days: the bounds, and the values that once panicked.
fn hostile_count() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "12",
            "13",
            "366",
            "367",
            "100000000",
            "2147483647",
            "4294967295",
            "4294967296",
            "18446744073709551616",
            "-1",
            "1.5",
            "",
        ])
        .prop_map(str::to_owned),
        any::<u32>().prop_map(|n| n.to_string()),
    ]
}

fn hostile_amount() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1000000000000",
            "1000000000000.01",
            "9223372036854775807",
            "92233720368547758.07",
            "100000001万元",
            "99999999999999万元",
            "-1",
            "1,234.50",
            "",
        ])
        .prop_map(str::to_owned),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (190usize..260).prop_map(|n| "审".repeat(n)),
        "[^,\"\r\n]{0,30}",
    ]
}

/// Any hostile cell.
fn hostile_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        hostile_date(),
        hostile_count(),
        hostile_amount(),
        hostile_text()
    ]
}

/// Replace up to two cells of `row` with hostile ones, most rows staying valid so that the
/// imports also succeed and the engines compute on what they stored.
fn mutated(row: Vec<String>) -> impl Strategy<Value = String> {
    let width = row.len();
    let mutations = prop_oneof![
        2 => Just(Vec::new()),
        1 => prop::collection::vec((0..width, hostile_cell()), 1..3),
    ];
    mutations.prop_map(move |mutations| {
        let mut row = row.clone();
        for (column, cell) in mutations {
            row[column] = cell;
        }
        row.join(",")
    })
}

/// The case number of the `i`-th case row: a civil, an enforcement or a criminal case.
fn number(i: usize) -> String {
    let kind = ["民初", "执", "刑初"][i % 3];
    format!("（2023）皖0202{kind}{}号", i + 1)
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The `i`-th case row: valid (columns of [`CASES_HEADER`]), then mutated.
fn case_row(i: usize) -> impl Strategy<Value = String> {
    (
        Just(i),
        (0i64..4000),
        prop::option::of(0i64..900),
        prop::sample::select(vec!["民一庭", "执行局", "刑庭", ""]),
        prop::sample::select(vec!["张明", "李四", ""]),
        (0u64..10_000_000),
    )
        .prop_flat_map(|(n, filed, closed, division, judge, amount)| {
            let number = number(n);
            let enforcement = number.contains('执');
            let filed = d("2015-01-01") + chrono::Duration::days(filed);
            let closed = closed.map(|k| filed + chrono::Duration::days(k));
            let mode = match closed {
                None => "",
                Some(_) if enforcement => "终本",
                Some(_) => "判决",
            };
            let row = vec![
                number,
                String::new(),
                "民间借贷纠纷".to_owned(),
                iso(filed),
                iso(filed),
                division.to_owned(),
                judge.to_owned(),
                closed.map(iso).unwrap_or_default(),
                mode.to_owned(),
                amount.to_string(),
                if enforcement {
                    (amount / 2).to_string()
                } else {
                    String::new()
                },
                String::new(),
            ];
            mutated(row)
        })
}

/// A valid event row (columns of [`EVENTS_HEADER`]), then mutated.
fn event_row(cases: usize) -> impl Strategy<Value = String> {
    (0..cases, 0usize..3, (0i64..4000), (1u32..7), (0i64..200)).prop_flat_map(
        |(n, kind, at, months, length)| {
            let date = d("2015-01-01") + chrono::Duration::days(at);
            let row = match kind {
                0 => vec![
                    "延长审限".into(),
                    iso(date),
                    String::new(),
                    months.to_string(),
                    String::new(),
                    String::new(),
                ],
                1 => vec![
                    "扣除审限".into(),
                    iso(date),
                    iso(date + chrono::Duration::days(length)),
                    String::new(),
                    String::new(),
                    "鉴定".into(),
                ],
                _ => vec![
                    "上诉".into(),
                    iso(date),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            };
            let mut full = vec![number(n)];
            full.extend(row);
            mutated(full)
        },
    )
}

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Import the two files, then compute everything on what was stored.
async fn import_and_compute(cases: &str, events: &str, on_error: OnError) {
    let dir = tempfile::tempdir().unwrap();
    let courts_path = dir.path().join("courts.csv");
    std::fs::write(
        &courts_path,
        "code,name,level,parent_code\n皖,安徽省高级人民法院,高级,\n\
         皖02,芜湖市中级人民法院,中级,皖\n皖0202,芜湖市镜湖区人民法院,基层,皖02\n",
    )
    .unwrap();
    let cases_path = dir.path().join("cases.csv");
    std::fs::write(&cases_path, cases).unwrap();
    let events_path = dir.path().join("events.csv");
    std::fs::write(&events_path, events).unwrap();
    let store = SqliteStore::open(":memory:").await.unwrap();
    let options = ImportOptions {
        on_error,
        at: "2024-01-01T00:00:00+08:00".into(),
        rejects: Some(dir.path().join("rejects.csv")),
        ..ImportOptions::default()
    };
    // An error or a success; a panic fails the test.
    let _ = import_files(
        &store,
        &[courts_path, cases_path, events_path],
        &options,
        None,
    )
    .await;

    let courts = store.courts().await.unwrap();
    let cases = store.cases().await.unwrap();
    let events = store.events().await.unwrap();
    let in_window = |date: NaiveDate| (ACCEPTED_FIRST..=ACCEPTED_LAST).contains(&date);
    for case in &cases {
        for date in [Some(case.filed_date), case.received_date, case.closed_date]
            .into_iter()
            .flatten()
        {
            assert!(in_window(date), "stored {date} of {}", case.case_number);
        }
        for amount in [case.claim_amount, case.recovered_amount]
            .into_iter()
            .flatten()
        {
            assert!(
                (0..=100_000_000_000_000).contains(&amount.fen()),
                "{amount}"
            );
        }
        for text in [&case.cause, &case.division, &case.judge]
            .into_iter()
            .flatten()
        {
            assert!(
                text.chars().count() <= 200,
                "stored a text of {} characters",
                text.chars().count()
            );
        }
    }
    for event in &events {
        assert!(in_window(event.date), "stored event date {}", event.date);
        assert!(event.end_date.is_none_or(in_window));
        assert!(event.months.unwrap_or(0) <= MAX_EXTENSION_MONTHS);
        assert!(event.days.unwrap_or(0) <= MAX_EXTENSION_DAYS);
    }

    let calendar = Arc::new(HolidayCalendar::builtin());
    let settings = LimitSettings::default();
    let snapshot = Snapshot::build(&courts, &cases, &events, calendar.clone(), settings);
    for by in [
        GroupBy::None,
        GroupBy::Court,
        GroupBy::Division,
        GroupBy::Judge,
        GroupBy::Class,
        GroupBy::TypeCode,
    ] {
        let query = IndicatorQuery {
            from: d("2023-01-01"),
            to: d("2023-12-31"),
            as_of: d("2024-06-30"),
            scope: Some("皖02".into()),
            by,
        };
        match compute(&snapshot, &query) {
            Ok(_) => {}
            // The generated files may hold no court 皖02: then it is unknown, an error.
            Err(tianping_metrics::indicators::QueryError::UnknownScope(_)) => {
                assert!(!snapshot.knows_court("皖02"));
            }
            Err(e) => panic!("{e}"),
        }
    }
    for as_of in ["2023-06-30", "2025-01-01", "2099-12-31"] {
        let query = DeadlineQuery::new(d(as_of), None, StatusFilter::All);
        let from_snapshot = deadline_list(&snapshot, &query);
        let from_records = tianping_test_utils::oracle::deadline_list(
            snapshot.court_table(),
            &cases,
            &events,
            &query,
            &calendar,
            &settings,
        );
        assert_eq!(from_snapshot.len(), from_records.len());
    }
}

fn run(cases: &str, events: &str, on_error: OnError) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(import_and_compute(cases, events, on_error));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_imported_value_makes_the_importer_or_the_engines_panic(
        (cases, events) in (1usize..6).prop_flat_map(|n| (
            (0..n).map(case_row).collect::<Vec<_>>(),
            prop::collection::vec(event_row(n), 0..8),
        )),
        skip in any::<bool>(),
    ) {
        let cases = format!("{CASES_HEADER}\n{}\n", cases.join("\n"));
        let events = format!("{EVENTS_HEADER}\n{}\n", events.join("\n"));
        run(&cases, &events, if skip { OnError::Skip } else { OnError::Reject });
    }
}

#[test]
fn the_extension_that_once_stopped_the_server_is_refused_and_stores_nothing() {
    // Issue 14's critical finding, as it was reported: one extension of 100,000,000 days.
    let cases = format!("{CASES_HEADER}\n（2023）皖0202民初1号,,,2023-03-01,2023-03-01,,,,,,,\n");
    let events =
        format!("{EVENTS_HEADER}\n（2023）皖0202民初1号,延长审限,2023-06-01,,,100000000,\n");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let cases_path = dir.path().join("cases.csv");
            std::fs::write(&cases_path, &cases).unwrap();
            let events_path = dir.path().join("events.csv");
            std::fs::write(&events_path, &events).unwrap();
            let store = SqliteStore::open(":memory:").await.unwrap();
            let result = import_files(
                &store,
                &[cases_path, events_path],
                &ImportOptions::default(),
                None,
            )
            .await;
            let message = format!("{:?}", result.unwrap_err());
            assert!(
                message.contains("一次延长 100000000 天，超过上限 366 天"),
                "{message}"
            );
            assert!(store.cases().await.unwrap().is_empty());
            assert!(store.events().await.unwrap().is_empty());
        });
}
