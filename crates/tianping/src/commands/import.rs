//! `tianping import`: exchange files into the database, whole or not at all.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Arc;
use tianping_exchange::{Kind, Layout};

use tianping_domain::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_store::case_book;
use tianping_store::import::{
    CaseBookSink, ImportError, ImportOptions, OnError, import_files_with,
};

use anyhow::Context;

use super::{BadInput, now_text};
use crate::cli::{ImportArgs, KindArg, LayoutArg, OnErrorArg};
use crate::output::{Format, TextTable, write_json};

pub async fn run(args: ImportArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    let mut options = ImportOptions {
        kind: match args.kind {
            KindArg::Courts => Some(Kind::Courts),
            KindArg::Cases => Some(Kind::Cases),
            KindArg::Events => Some(Kind::Events),
            KindArg::MediationOrgs => Some(Kind::MediationOrgs),
            KindArg::Mediators => Some(Kind::Mediators),
            KindArg::Mediations => Some(Kind::Mediations),
            KindArg::MediationEvents => Some(Kind::MediationEvents),
            KindArg::PetitionMatters => Some(Kind::PetitionMatters),
            KindArg::Petitions => Some(Kind::Petitions),
            KindArg::Suggestions => Some(Kind::Suggestions),
            KindArg::FeeRefunds => Some(Kind::FeeRefunds),
            KindArg::TerminationChecks => Some(Kind::TerminationChecks),
            KindArg::PostTerminationSearches => Some(Kind::PostTerminationSearches),
            KindArg::DishonestListings => Some(Kind::DishonestListings),
            KindArg::EnforcementActions => Some(Kind::EnforcementActions),
            KindArg::CaseTags => Some(Kind::CaseTags),
            KindArg::Auto => None,
        },
        layout: match args.layout {
            LayoutArg::Tianping => Layout::Tianping,
            LayoutArg::EcourtsIndia => Layout::EcourtsIndia,
        },
        on_error: match args.on_error {
            OnErrorArg::Reject => OnError::Reject,
            OnErrorArg::Skip => OnError::Skip,
        },
        rejects: args.rejects.clone(),
        user: std::env::var("USER").unwrap_or_else(|_| "cli".to_owned()),
        at: now_text(),
        case_book: None,
    };

    // A progress bar on a terminal only: scripts and CI get clean output.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {percent}% {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message("读取");
        bar
    });
    let progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let started = std::time::Instant::now();
    let store = tianping_store::open_single(&args.db.db)
        .await
        .with_context(|| format!("opening database {}", args.db.db))?;
    let url = tianping_store::DatabaseUrl::parse(&args.db.db);
    let settings = LimitSettings::default();
    let calendar = Arc::new(calendar);
    // The case book follows the import (see `CaseBookSink`) when the data before it is known
    // without reading every row: an empty database, or a current cache beside it.
    if case_book::cache_path(&url).is_some() {
        options.case_book = case_book::current(store.as_ref(), &url, calendar.clone(), settings)
            .await?
            .map(CaseBookSink::new);
    }
    let result = import_files_with(
        store.as_ref(),
        &args.files,
        &options,
        Some(&progress),
        Some(&calendar),
    )
    .await;
    let import_time = started.elapsed();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if result.is_ok()
        && let Some(builder) = options.case_book.as_ref().and_then(CaseBookSink::take)
    {
        let courts = store.courts().await?;
        let version = store.data_version().await?;
        // Off the async thread; the database closes meanwhile.
        let url = url.clone();
        let writing = tokio::task::spawn_blocking(move || {
            let finishing = std::time::Instant::now();
            let snapshot = builder.finish(&courts);
            let finished = finishing.elapsed();
            case_book::write_cache(&url, &snapshot, version);
            if std::env::var_os("TIANPING_TIMINGS").is_some() {
                eprintln!(
                    "timings: case book finished {:.2} s, cache written {:.2} s",
                    finished.as_secs_f64(),
                    (finishing.elapsed() - finished).as_secs_f64()
                );
            }
            // Freed by the process's exit.
            std::mem::forget(snapshot);
        });
        store.close().await;
        writing.await.context("writing the case book's cache")?;
    } else {
        store.close().await;
    }
    // TIANPING_TIMINGS=1: where an import spends its time (benchmarks).
    if std::env::var_os("TIANPING_TIMINGS").is_some() {
        eprintln!(
            "timings: read, check and store {:.2} s, close {:.2} s",
            import_time.as_secs_f64(),
            (started.elapsed() - import_time).as_secs_f64()
        );
    }
    match result {
        Ok(report) => {
            for warning in report.files.iter().flat_map(|f| &f.warnings) {
                eprintln!("warning: {warning}");
            }
            for error in &report.errors {
                eprintln!("{error}");
            }
            if args.format == Format::Json {
                write_json(&mut std::io::stdout(), &serde_json::to_value(&report)?)?;
            } else {
                let mut table =
                    TextTable::new(vec!["文件", "类型", "行数", "导入", "拒绝", "拒绝行文件"]);
                for f in &report.files {
                    table.push(vec![
                        f.file.clone(),
                        f.kind.to_owned(),
                        f.rows.to_string(),
                        f.imported.to_string(),
                        f.rejected.to_string(),
                        f.rejects_file
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                    ]);
                }
                table.write_aligned(&mut std::io::stdout())?;
                let o = report.outcome;
                println!(
                    "案件：新增 {}，更新 {}，未变 {}；事件：新增 {}，已有 {}；法院：新增 {}，更新 {}",
                    o.cases.inserted,
                    o.cases.updated,
                    o.cases.unchanged,
                    o.events.inserted,
                    o.events.unchanged,
                    o.courts.inserted,
                    o.courts.updated
                );
                if let Some(m) = report.mediation {
                    println!(
                        "调解组织：写入 {}；调解员：写入 {}；调解案件：写入 {}；调解事件：新增 {}",
                        m.orgs, m.mediators, m.mediations, m.events
                    );
                }
                if let Some(n) = report.suggestions {
                    println!("司法建议：写入 {n}");
                }
                if let Some(n) = report.refunds {
                    println!("诉讼费退费：写入 {n}");
                }
                if let Some(n) = report.case_tags {
                    println!("案件标签：新增 {n}");
                }
                if let Some(n) = report.enforcement {
                    println!("执行记录（终本核查、查控、失信名单、集中执行）：写入 {n}");
                }
                if let Some(p) = report.petitions {
                    println!("信访事项：写入 {}；信访件：写入 {}", p.matters, p.petitions);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Rejected { errors }) => {
            for error in &errors {
                eprintln!("{error}");
            }
            Err(BadInput(format!(
                "{} problem(s) found; nothing was imported (use --on-error skip to import the valid rows)",
                errors.len()
            ))
            .into())
        }
        Err(ImportError::File(e)) => Err(BadInput(e.to_string()).into()),
        Err(other) => Err(other.into()),
    }
}
