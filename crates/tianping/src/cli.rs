//! The command-line contract of `interfaces.md`. Commands arrive here as their issues land.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

#[derive(Debug, Parser)]
#[command(
    name = "tianping",
    version,
    about = "天平 Tianping: court case-flow and performance platform"
)]
pub struct Cli {
    /// Extra holiday notices (holiday-cn JSON, one year a file, or Tianping's calendar CSV) loaded
    /// over the built-in State Council calendar; separate several files with ':'.
    #[arg(long, global = true, env = "TIANPING_HOLIDAYS", value_delimiter = ':')]
    pub holidays: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Case numbers (案号).
    #[command(name = "case-number", subcommand)]
    CaseNumber(CaseNumberCommand),
    /// The holiday calendar (节假日安排) used for deadlines.
    #[command(subcommand)]
    Calendar(CalendarCommand),
}

#[derive(Debug, Subcommand)]
pub enum CaseNumberCommand {
    /// Parse, validate and normalize case numbers; exit code 2 when any is invalid.
    Parse(ParseArgs),
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    #[command(flatten)]
    pub format: FormatArg,
    /// One or more case numbers, e.g. '（2021）最高法知民终892号'.
    #[arg(required = true, value_name = "CASE_NUMBER")]
    pub case_numbers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// List the rest days and make-up working days of a year, and whether its notice is known.
    Show {
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Check a holiday notice file before putting it into TIANPING_HOLIDAYS.
    Check {
        /// holiday-cn JSON or Tianping calendar CSV.
        file: PathBuf,
    },
}
