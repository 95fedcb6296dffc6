//! One module a command. Each returns the process exit code, or an error that `main` maps:
//! [`BadInput`] to exit code 2, anything else to 1.

mod backup;
mod bench;
mod calendar;
mod case_number;
mod deadlines;
mod demo;
mod enforcement;
mod import;
mod indicators;
mod mediation;
mod petitions;
mod refunds;
mod report;
mod serve;
mod suggestions;
mod user;
mod workflow;

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
        Command::Import(args) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(import::run(args, calendar))
        }
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
        Command::Settings(command) => runtime()?.block_on(mediation::settings(command)),
        Command::Mediation(command) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(mediation::mediation(command, calendar))
        }
        Command::Mediators(command) => runtime()?.block_on(mediation::mediators(command)),
        Command::Suggestions(command) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(suggestions::run(command, calendar))
        }
        Command::Enforcement(command) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(enforcement::run(command, calendar))
        }
        Command::Refunds(command) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(refunds::run(command, calendar))
        }
        Command::Petitions(command) => {
            let calendar = load_calendar(&cli.holidays)?;
            runtime()?.block_on(petitions::run(command, calendar))
        }
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

/// The database and its case book (every case in the indicator engine's snapshot), loaded by
/// [`tianping_store::case_book::load`]: from the cache beside a SQLite file when it is current.
pub async fn open_with_snapshot(
    db: &str,
    calendar: HolidayCalendar,
) -> anyhow::Result<(Arc<dyn Store>, tianping_metrics::Snapshot)> {
    let url = tianping_store::DatabaseUrl::parse(db);
    let store = open_store(db).await?;
    let (snapshot, _version) = tianping_store::case_book::load(
        store.as_ref(),
        &url,
        Arc::new(calendar),
        tianping_domain::time_limit::LimitSettings::default(),
    )
    .await
    .with_context(|| format!("reading the cases of {db}"))?;
    Ok((store, snapshot))
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

/// The courts' calendar day and log times: the domain's clock, the web application's too.
pub use tianping_domain::clock::{now_text, today};
