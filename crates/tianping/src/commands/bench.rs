//! `tianping bench-indicators` (hidden): the indicator engine with the snapshot already in memory,
//! for `bench/indicators-vs-duckdb.sh`. Prints one JSON line of timings.

use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;
use tianping_domain::HolidayCalendar;
use tianping_metrics::{GroupBy, IndicatorQuery, compute};

use super::{BadInput, open_with_snapshot, parse_date_arg};
use crate::cli::BenchIndicatorsArgs;

pub async fn indicators(
    args: BenchIndicatorsArgs,
    calendar: HolidayCalendar,
) -> anyhow::Result<ExitCode> {
    let from = parse_date_arg("--from", &args.from)?;
    let to = parse_date_arg("--to", &args.to)?;
    let by = GroupBy::parse(&args.by).ok_or_else(|| BadInput(format!("--by: '{}'", args.by)))?;
    let started = Instant::now();
    let (store, mut snapshot) = open_with_snapshot(&args.db.db, calendar).await?;
    store.close().await;
    // As a long-running server holds it (a snapshot built from the records has them too): the
    // time-limit facts of every case with events kept, so questions do not recompute them.
    snapshot.precompute_event_facts();
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let query = IndicatorQuery {
        from,
        to,
        as_of: to,
        scope: None,
        by,
    };
    let mut times: Vec<f64> = Vec::with_capacity(args.repeat);
    let mut rows = 0;
    for _ in 0..args.repeat.max(1) {
        let t = Instant::now();
        rows = compute(&snapshot, &query)?.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let bytes = snapshot.heap_bytes();
    println!(
        "{}",
        json!({
            "cases": snapshot.len(),
            "rows": rows,
            "load_ms": load_ms,
            "compute_ms_min": times[0],
            "compute_ms_median": times[times.len() / 2],
            "snapshot_bytes": bytes,
            "bytes_per_case": bytes as f64 / snapshot.len().max(1) as f64,
        })
    );
    Ok(ExitCode::SUCCESS)
}
