//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod zip;

use chrono::NaiveDate;
use tianping_exchange::{Kind, Layout, ParsedFile, read_bytes};

pub fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Read CSV text in the Tianping layout; panics on a file error.
pub fn parse(name: &str, text: &str, kind: Option<Kind>) -> ParsedFile {
    read_bytes(name, text.as_bytes(), kind, Layout::Tianping)
        .unwrap_or_else(|e| panic!("file error: {e}"))
}

/// The row errors as printed.
pub fn errors(parsed: &ParsedFile) -> Vec<String> {
    parsed.errors.iter().map(ToString::to_string).collect()
}

/// The errors of a cases file holding one data row under `header`.
pub fn case_errors(header: &str, row: &str) -> Vec<String> {
    errors(&parse(
        "cases.csv",
        &format!("{header}\n{row}\n"),
        Some(Kind::Cases),
    ))
}
