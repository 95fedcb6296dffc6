//! One module a command. Each returns the process exit code, or an error that `main` maps:
//! [`BadInput`] to exit code 2, anything else to 1.

mod backup;
mod bench;
mod calendar;
mod case_number;
mod deadlines;
mod demo;
mod import;
mod indicators;
mod report;
mod serve;
mod user;

use std::fmt;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use tianping_domain::HolidayCalendar;
use tianping_store::Store;

use crate::cli::{CaseNumberCommand, Cli, Command};

/// Bad input from the user: exit code 2, the message says what and where.
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::CaseNumber(CaseNumberCommand::Parse(args)) => case_number::parse(args),
        Command::Calendar(command) => calendar::run(command, &cli.holidays),
        Command::Import(args) => runtime()?.block_on(import::run(args)),
        Command::Deadlines(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(deadlines::run(args, &calendar))
        }
        Command::Indicators(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(indicators::run(args, calendar))
        }
        Command::BenchIndicators(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(bench::indicators(args, calendar))
        }
        Command::Assess(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(indicators::assess(args, calendar))
        }
        Command::Report(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(report::run(args, calendar))
        }
        Command::Signals(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(indicators::signals(args, calendar))
        }
        Command::Demo(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(demo::run(args, calendar))
        }
        Command::Serve(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(serve::run(args, calendar))
        }
        Command::User(crate::cli::UserCommand::Add(args)) => runtime()?.block_on(user::add(args)),
        Command::Synth(args) => demo::synth(args),
        Command::Backup(args) => runtime()?.block_on(backup::backup(args)),
        Command::Restore(args) => runtime()?.block_on(backup::restore(args)),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Open the database `--db` names (created and migrated when new).
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    tianping_store::open(url)
        .await
        .with_context(|| format!("opening database {url}"))
}

/// The database and every case of it in a snapshot for the indicator engine. For a SQLite
/// database the snapshot is cached beside it (`FILE.snapshot`) and reused while the data
/// version, the calendar and the settings are unchanged, so a new process answers without
/// rebuilding it. The cache file is read on a second thread while the database opens (about a
/// tenth of a second each for a million cases); it is kept only if the database is at the
/// version the file was written for.
pub async fn open_with_snapshot(
    db: &str,
    calendar: HolidayCalendar,
) -> anyhow::Result<(Arc<dyn Store>, tianping_metrics::Snapshot)> {
    let calendar = Arc::new(calendar);
    let settings = tianping_domain::time_limit::LimitSettings::default();
    let timings = std::env::var_os("TIANPING_TIMINGS").is_some();
    let started = std::time::Instant::now();
    let cache = snapshot_cache_path(db);
    let reading = cache.clone().map(|path| {
        let calendar = calendar.clone();
        tokio::task::spawn_blocking(move || {
            let file = std::fs::File::open(path).ok()?;
            // Read straight into the snapshot's columns (no whole-file copy).
            let input = std::io::BufReader::with_capacity(1 << 16, file);
            tianping_metrics::Snapshot::read_cache_of_any_version(input, calendar, settings)
        })
    });
    let store = open_store(db).await?;
    let version = store.data_version().await?;
    if timings {
        eprintln!(
            "timings: database open {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if let Some(reading) = reading
        && let Ok(Some((cached, snapshot))) = reading.await
    {
        if cached == version {
            if timings {
                eprintln!(
                    "timings: snapshot cache read and decoded after {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            return Ok((store, snapshot));
        }
        // Written for other data: freeing it is wasted time in a short process.
        std::mem::forget(snapshot);
    }
    let courts = store.courts().await?;
    let cases = store.cases().await?;
    let events = store.events().await?;
    let snapshot = tianping_metrics::Snapshot::build(&courts, &cases, &events, calendar, settings);
    if let Some(path) = cache {
        // Best effort: a read-only directory only costs the next process a rebuild.
        let tmp = path.with_extension("snapshot.tmp");
        if std::fs::write(&tmp, snapshot.to_cache_bytes(version)).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
    Ok((store, snapshot))
}

/// `FILE.snapshot` beside a SQLite database file; none for PostgreSQL or in-memory databases.
fn snapshot_cache_path(db: &str) -> Option<std::path::PathBuf> {
    let url = tianping_store::DatabaseUrl::parse(db);
    let path = url.sqlite_file().filter(|p| !p.as_os_str().is_empty())?;
    let mut cache = path.as_os_str().to_owned();
    cache.push(".snapshot");
    Some(cache.into())
}

/// The built-in calendar with the administrator's extra notices loaded over it.
pub fn load_calendar(extra: &[std::path::PathBuf]) -> anyhow::Result<HolidayCalendar> {
    let mut calendar = HolidayCalendar::builtin();
    for path in extra {
        calendar::load_file(&mut calendar, path)
            .with_context(|| format!("loading holiday notice {}", path.display()))?;
    }
    Ok(calendar)
}

/// A date argument, or exit code 2 naming the option.
pub fn parse_date_arg(option: &str, text: &str) -> Result<NaiveDate, BadInput> {
    tianping_domain::dates::parse_date(text).map_err(|e| BadInput(format!("{option}: {e}")))
}

/// The courts' calendar day and log times: one definition, shared with the web application.
pub use tianping_web::{now_text, today};
