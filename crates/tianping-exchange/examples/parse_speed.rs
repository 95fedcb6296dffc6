//! How fast a cases file parses: `cargo run --release -p tianping-exchange --example parse_speed
//! -- [ROWS | FILE]` (default 1,000,000 rows). Generates the rows in memory with
//! `write_cases_csv`, then reads them back with `read_bytes` and prints rows per second (three
//! runs). Given a FILE, reads it with `read_file_streaming` as the importer does, the cases
//! handed over in chunks and dropped (the reading side of an import, without the writing).

use std::time::Instant;

/// The allocator of the `tianping` binary, so that the figures are the importer's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{Days, NaiveDate};
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{CaseRecord, ClosingMode, Money, Procedure, TypeCode};
use tianping_exchange::{Layout, read_bytes, write_cases_csv};

fn main() {
    if let Some(path) = std::env::args()
        .nth(1)
        .filter(|a| std::path::Path::new(a).is_file())
    {
        return read_file(std::path::Path::new(&path));
    }
    let rows: usize = std::env::args()
        .nth(1)
        .map(|n| n.replace('_', "").parse().expect("ROWS must be a number"))
        .unwrap_or(1_000_000);
    let courts = ["鲁0102", "鲁0103", "鲁0104", "鲁01", "鲁0202", "鲁0203"];
    let types = ["民初", "民终", "执", "刑初", "行初"];
    let start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let cases = (0..rows).map(|i| {
        let court = courts[i % courts.len()];
        let type_code = types[(i / 7) % types.len()];
        let filed = start + Days::new((i % 1800) as u64);
        let closed = (i % 3 != 0).then(|| filed + Days::new(30 + (i % 200) as u64));
        CaseRecord {
            case_number: format!("（{}）{court}{type_code}{}号", 2019 + i % 5, i + 1),
            court_code: court.to_owned(),
            type_code: TypeCode::lookup(type_code),
            type_name: None,
            procedure: (type_code == "民初").then_some(Procedure::Simple),
            cause: Some("民间借贷纠纷".to_owned()),
            received_date: Some(filed),
            filed_date: filed,
            division: Some("民一庭".to_owned()),
            judge: Some(format!("法官{}", i % 50)),
            closed_date: closed,
            closing_mode: closed.map(|_| ClosingMode::Judgment),
            disposal: None,
            claim_amount: Some(Money((i as i64 % 10_000) * 12_345)),
            recovered_amount: None,
            origin_case_number: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
        }
    });
    let mut bytes = Vec::new();
    write_cases_csv(&mut bytes, cases).unwrap();

    // The best of three runs: the machine may be busy with other things.
    for run in 1..=3 {
        let t = Instant::now();
        let parsed = read_bytes("speed.csv", &bytes, None, Layout::Tianping).unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(parsed.errors.is_empty(), "{}", parsed.errors[0]);
        assert_eq!(parsed.cases.len(), rows);
        println!(
            "run {run}: {} rows, {:.1} MB in {secs:.2} s: {:.0} rows/s, {:.1} MB/s",
            parsed.total_rows,
            bytes.len() as f64 / 1e6,
            parsed.total_rows as f64 / secs,
            bytes.len() as f64 / 1e6 / secs
        );
    }
}

fn read_file(path: &std::path::Path) {
    for run in 1..=3 {
        let t = Instant::now();
        let mut cases = 0;
        let mut sink = |chunk: Vec<_>| cases += chunk.len();
        let parsed = tianping_exchange::read_file_streaming(
            path,
            None,
            Layout::Tianping,
            None,
            Some(&mut sink),
        )
        .unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "run {run}: {} rows ({cases} cases, {} with problems) in {secs:.2} s: {:.0} rows/s",
            parsed.total_rows,
            parsed.rejected_rows().len(),
            parsed.total_rows as f64 / secs
        );
    }
}
