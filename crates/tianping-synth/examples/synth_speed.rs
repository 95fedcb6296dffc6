//! How long generation takes, and what comes out.
//!
//! ```sh
//! cargo run --release -p tianping-synth --example synth_speed            # small and province
//! cargo run --release -p tianping-synth --example synth_speed -- small 7 # one scale, a seed
//! ```

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use tianping_domain::time_limit::{LimitSettings, Timing, evaluate};
use tianping_domain::{CaseRecord, ClosingMode, EventKind, EventRecord, HolidayCalendar};
use tianping_synth::{Dataset, SynthConfig, generate, generate_streaming};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map_or("both", String::as_str);
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    if matches!(which, "small" | "both") {
        run("small", &SynthConfig::small(seed));
    }
    if matches!(which, "province" | "both") {
        let config = SynthConfig::province(seed);
        run("province", &config);
        let started = Instant::now();
        let (mut cases, mut events) = (0usize, 0usize);
        generate_streaming(
            &config,
            |_| {},
            |_, e| {
                cases += 1;
                events += e.len();
            },
        );
        println!(
            "province, streaming without storing: {cases} cases, {events} events in {:.2?}",
            started.elapsed()
        );
        let million = SynthConfig {
            target_cases: Some(1_000_000),
            ..config
        };
        let started = Instant::now();
        let mut cases = 0usize;
        generate_streaming(&million, |_| {}, |_, _| cases += 1);
        println!(
            "province, target_cases 1,000,000: {cases} cases in {:.2?}",
            started.elapsed()
        );
    }
}

fn run(label: &str, config: &SynthConfig) {
    let started = Instant::now();
    let data = generate(config);
    let elapsed = started.elapsed();
    println!(
        "== {label} (seed {}): {} courts, {} cases, {} events, generated in {elapsed:.2?}",
        config.seed,
        data.courts.len(),
        data.cases.len(),
        data.events.len()
    );
    summarize(&data, config.end_date);
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.2}%", 100.0 * part as f64 / whole as f64)
    }
}

fn code(case: &CaseRecord) -> &'static str {
    case.type_code.map_or("?", |t| t.as_str())
}

fn summarize(data: &Dataset, end: NaiveDate) {
    let total = data.cases.len();
    let mut by_class: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &data.cases {
        let t = case.type_code.unwrap();
        *by_class.entry(t.class().id()).or_default() += 1;
        *by_type.entry(t.as_str()).or_default() += 1;
    }
    println!("by class:");
    for (class, n) in &by_class {
        println!("  {class:<16} {n:>9}  {}", pct(*n, total));
    }
    println!("by type code:");
    for (t, n) in &by_type {
        println!("  {t:<8} {n:>9}  {}", pct(*n, total));
    }

    for t in ["民初", "执", "民终", "刑初", "行初"] {
        let closed: Vec<&CaseRecord> = data
            .cases
            .iter()
            .filter(|c| code(c) == t && c.closed_date.is_some())
            .collect();
        let mut modes: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &closed {
            *modes.entry(c.closing_mode.unwrap().name_zh()).or_default() += 1;
        }
        let line: Vec<String> = modes
            .iter()
            .map(|(m, n)| format!("{m} {}", pct(*n, closed.len())))
            .collect();
        println!(
            "closing modes {t} ({} closed): {}",
            closed.len(),
            line.join(", ")
        );
    }
    let mut procedures: BTreeMap<&str, usize> = BTreeMap::new();
    let civil: Vec<&CaseRecord> = data.cases.iter().filter(|c| code(c) == "民初").collect();
    for c in &civil {
        *procedures
            .entry(c.procedure.map_or("-", |p| p.name_zh()))
            .or_default() += 1;
    }
    let line: Vec<String> = procedures
        .iter()
        .map(|(p, n)| format!("{p} {}", pct(*n, civil.len())))
        .collect();
    println!("民初 procedures: {}", line.join(", "));

    // Time limits with the domain engine.
    let calendar = HolidayCalendar::builtin();
    let settings = LimitSettings::default();
    let mut events: BTreeMap<&str, Vec<&EventRecord>> = BTreeMap::new();
    for e in &data.events {
        events.entry(e.case_number.as_str()).or_default().push(e);
    }
    let (mut limited, mut within, mut within_normal, mut extended) = (0, 0, 0, 0);
    let (mut pending, mut overdue, mut over12, mut over18, mut over36) = (0, 0, 0, 0, 0);
    for case in &data.cases {
        let facts = case.facts(
            events
                .get(case.case_number.as_str())
                .into_iter()
                .flatten()
                .copied(),
        );
        match evaluate(&facts, end, &calendar, &settings) {
            Timing::Closed {
                within_limit: Some(w),
                within_normal_limit: Some(wn),
                limit,
                ..
            } => {
                limited += 1;
                within += usize::from(w);
                within_normal += usize::from(wn);
                extended += usize::from(limit.deadline().is_some_and(|d| d.extended()));
            }
            Timing::Pending {
                status,
                over_12m,
                over_18m,
                over_36m,
                ..
            } => {
                pending += 1;
                overdue += usize::from(status.id() == "overdue");
                over12 += usize::from(over_12m);
                over18 += usize::from(over_18m);
                over36 += usize::from(over_36m);
            }
            _ => {}
        }
    }
    println!(
        "within-limit rate {} (normal {}), extension rate {}, over {limited} limited closed cases",
        pct(within, limited),
        pct(within_normal, limited),
        pct(extended, limited)
    );
    let last_year_intake = data
        .cases
        .iter()
        .filter(|c| c.filed_date.year() == end.year())
        .count();
    println!(
        "pending at {end}: {pending} ({} of {}'s intake); overdue {overdue}, over 12 months \
         {over12}, over 18 months {over18}, over 36 months {over36}",
        pct(pending, last_year_intake),
        end.year()
    );

    // Appeals and enforcement.
    let judgments = data
        .cases
        .iter()
        .filter(|c| {
            matches!(code(c), "民初" | "刑初" | "行初")
                && c.closing_mode == Some(ClosingMode::Judgment)
        })
        .count();
    let appeals = data
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Appeal)
        .count();
    println!(
        "appeal events {appeals} on {judgments} first-instance judgments ({})",
        pct(appeals, judgments)
    );
    let enforcement: Vec<&CaseRecord> = data
        .cases
        .iter()
        .filter(|c| code(c) == "执" && c.closed_date.is_some())
        .collect();
    let termination = enforcement
        .iter()
        .filter(|c| c.closing_mode == Some(ClosingMode::TerminationOfThisRound))
        .count();
    let mut claims: Vec<i64> = data
        .cases
        .iter()
        .filter(|c| code(c) == "执")
        .filter_map(|c| c.claim_amount.map(|m| m.fen()))
        .collect();
    claims.sort_unstable();
    let claimed: i64 = enforcement
        .iter()
        .filter_map(|c| c.claim_amount)
        .map(|m| m.fen())
        .sum();
    let recovered: i64 = enforcement
        .iter()
        .filter_map(|c| c.recovered_amount)
        .map(|m| m.fen())
        .sum();
    println!(
        "执: termination rate {}, median claim {:.0} yuan, 99th percentile {:.0} yuan, recovery \
         rate {:.2}%",
        pct(termination, enforcement.len()),
        claims.get(claims.len() / 2).copied().unwrap_or(0) as f64 / 100.0,
        claims.get(claims.len() * 99 / 100).copied().unwrap_or(0) as f64 / 100.0,
        100.0 * recovered as f64 / claimed.max(1) as f64
    );
    let same_day = data
        .cases
        .iter()
        .filter(|c| c.received_date == Some(c.filed_date))
        .count();
    println!("same-day registration {}", pct(same_day, total));
    let mut pending_by_type: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in &data.cases {
        let entry = pending_by_type.entry(code(case)).or_default();
        if case.closed_date.is_none() {
            entry.0 += 1;
        }
        if case.filed_date.year() == end.year() {
            entry.1 += 1;
        }
    }
    let line: Vec<String> = pending_by_type
        .iter()
        .filter(|(_, (p, _))| *p > 0)
        .map(|(t, (p, n))| format!("{t} {p} ({})", pct(*p, *n)))
        .collect();
    println!(
        "pending by type (share of last year's intake): {}",
        line.join(", ")
    );
    println!(
        "hold-back courts: {}",
        data.december_holdback_courts.join(", ")
    );
    let mut per_court: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &data.cases {
        if case.filed_date.year() == end.year() - 1 {
            *per_court.entry(case.court_code.as_str()).or_default() += 1;
        }
    }
    let mut sizes: Vec<usize> = per_court.values().copied().collect();
    sizes.sort_unstable();
    println!(
        "cases filed in {} per court: min {}, median {}, max {}",
        end.year() - 1,
        sizes.first().unwrap_or(&0),
        sizes.get(sizes.len() / 2).unwrap_or(&0),
        sizes.last().unwrap_or(&0)
    );
}
