//! `tianping demo`: a realistic synthetic province in the database, then what to try next.

use std::process::ExitCode;
use std::time::Instant;

use tianping_store::{ImportBatch, ImportLogEntry};
use tianping_synth::{SynthConfig, generate, write_csv_files};

use super::{now_text, open_store};
use crate::cli::{DemoArgs, Scale, SynthArgs};

pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let config = config(args.scale, args.seed, None);
    eprintln!(
        "正在生成模拟数据（种子 {}，规模 {:?}）…",
        args.seed, args.scale
    );
    let data = tokio::task::spawn_blocking(move || generate(&config)).await?;
    if let Some(dir) = &args.export_csv {
        std::fs::create_dir_all(dir)?;
        write_csv_files(&data, dir)?;
    }
    let store = open_store(&args.db.db).await?;
    let at = now_text();
    let log = |kind: &str, rows: usize| ImportLogEntry {
        at: at.clone(),
        user: "demo".to_owned(),
        file: format!("demo:seed={}", args.seed),
        kind: kind.to_owned(),
        rows: rows as u64,
        imported: rows as u64,
        rejected: 0,
    };
    let batch = ImportBatch {
        log: vec![
            log("courts", data.courts.len()),
            log("cases", data.cases.len()),
            log("events", data.events.len()),
        ],
        courts: data.courts,
        cases: data.cases,
        events: data.events,
    };
    let outcome = store.apply_import(&batch).await?;
    let (courts, cases, events) = store.counts().await?;
    store.close().await;
    println!(
        "演示数据已写入 {}：法院 {courts} 个，案件 {cases} 件，事件 {events} 条（本次新增案件 {}），用时 {:.1} 秒。",
        args.db.db,
        outcome.cases.inserted,
        started.elapsed().as_secs_f64()
    );
    let db = &args.db.db;
    let high = batch
        .courts
        .iter()
        .find(|c| c.parent_code.is_none())
        .map_or("", |c| c.code.as_str());
    println!("接下来可以试试：");
    println!("  tianping deadlines --db {db} --as-of 2024-03-31 --status overdue");
    println!("  tianping deadlines --db {db} --as-of 2024-03-31 --scope {high} --format json");
    println!("  tianping case-number parse '（2021）最高法知民终892号'");
    println!(
        "（网页界面将在 Web 应用版本中提供，届时 demo 会在 {} 上直接打开。）",
        args.bind
    );
    Ok(ExitCode::SUCCESS)
}

fn config(scale: Scale, seed: u64, cases: Option<usize>) -> SynthConfig {
    let mut config = match scale {
        Scale::Small => SynthConfig::small(seed),
        Scale::Province => SynthConfig::province(seed),
    };
    if cases.is_some() {
        config.target_cases = cases;
    }
    config
}

/// `tianping synth`: the same data as exchange CSV files.
pub fn synth(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let data = generate(&config(args.scale, args.seed, args.cases));
    std::fs::create_dir_all(&args.out)?;
    let paths = write_csv_files(&data, &args.out)?;
    println!(
        "法院 {} 个，案件 {} 件，事件 {} 条，用时 {:.1} 秒：",
        data.courts.len(),
        data.cases.len(),
        data.events.len(),
        started.elapsed().as_secs_f64()
    );
    for path in paths {
        println!("  {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
