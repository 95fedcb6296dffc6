//! One module a command. Each returns the process exit code, or an error that `main` maps:
//! [`BadInput`] to exit code 2, anything else to 1.

mod calendar;
mod case_number;

use std::fmt;
use std::process::ExitCode;

use anyhow::Context;
use tianping_domain::HolidayCalendar;

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
    }
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
