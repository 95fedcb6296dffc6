//! The exchange-format CSV files (`exchange-format.md`): UTF-8 without BOM, English header names,
//! ISO dates, amounts in yuan with two decimals, booleans `true`/`false`, procedures, closing
//! modes and events by their Chinese names, an empty cell for no value.
//!
//! This is a small writer of its own so the generator does not depend on the exchange crate.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use tianping_domain::time_limit::AppealObject;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord, Instance};

use crate::Dataset;

pub(crate) const COURT_HEADER: [&str; 4] = ["code", "name", "level", "parent_code"];
pub(crate) const CASE_HEADER: [&str; 15] = [
    "case_number",
    "procedure",
    "cause",
    "received_date",
    "filed_date",
    "division",
    "judge",
    "closed_date",
    "closing_mode",
    "claim_amount",
    "recovered_amount",
    "origin_case_number",
    "foreign_related",
    "longer_limit",
    "appeal_object",
];
pub(crate) const EVENT_HEADER: [&str; 7] = [
    "case_number",
    "event",
    "date",
    "end_date",
    "months",
    "days",
    "reason",
];

/// Writes the three files one record at a time.
#[derive(Debug)]
pub struct CsvSink {
    courts: csv::Writer<BufWriter<File>>,
    cases: csv::Writer<BufWriter<File>>,
    events: csv::Writer<BufWriter<File>>,
    paths: [PathBuf; 3],
}

fn open(path: &Path, header: &[&str]) -> io::Result<csv::Writer<BufWriter<File>>> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut writer = csv::WriterBuilder::new().from_writer(file);
    writer.write_record(header)?;
    Ok(writer)
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

impl CsvSink {
    /// Create (or truncate) `courts.csv`, `cases.csv` and `events.csv` in `dir` and write their
    /// headers. The directory is created when missing.
    pub fn create(dir: &Path) -> io::Result<CsvSink> {
        std::fs::create_dir_all(dir)?;
        let paths = [
            dir.join("courts.csv"),
            dir.join("cases.csv"),
            dir.join("events.csv"),
        ];
        Ok(CsvSink {
            courts: open(&paths[0], &COURT_HEADER)?,
            cases: open(&paths[1], &CASE_HEADER)?,
            events: open(&paths[2], &EVENT_HEADER)?,
            paths,
        })
    }

    pub fn write_court(&mut self, court: &CourtRecord) -> io::Result<()> {
        self.courts.write_record([
            court.code.as_str(),
            court.name.as_str(),
            court.level.name_zh(),
            court.parent_code.as_deref().unwrap_or(""),
        ])?;
        Ok(())
    }

    pub fn write_case(&mut self, case: &CaseRecord) -> io::Result<()> {
        // 上诉对象 matters for second-instance civil cases only; elsewhere the column stays empty
        // unless the case says 裁定.
        let civil_second = case
            .type_code
            .is_some_and(|t| t.instance() == Instance::Second && t.as_str().starts_with('民'));
        let appeal_object = match case.appeal_object {
            AppealObject::Ruling => "裁定",
            AppealObject::Judgment if civil_second => "判决",
            AppealObject::Judgment => "",
        };
        let bool_text = |b: bool| if b { "true" } else { "false" };
        self.cases.write_record([
            case.case_number.as_str(),
            case.procedure.map_or("", |p| p.name_zh()),
            case.cause.as_deref().unwrap_or(""),
            text(case.received_date).as_str(),
            case.filed_date.to_string().as_str(),
            case.division.as_deref().unwrap_or(""),
            case.judge.as_deref().unwrap_or(""),
            text(case.closed_date).as_str(),
            case.closing_mode.map_or("", |m| m.name_zh()),
            text(case.claim_amount).as_str(),
            text(case.recovered_amount).as_str(),
            case.origin_case_number.as_deref().unwrap_or(""),
            bool_text(case.foreign_related),
            bool_text(case.longer_limit),
            appeal_object,
        ])?;
        Ok(())
    }

    pub fn write_event(&mut self, event: &EventRecord) -> io::Result<()> {
        self.events.write_record([
            event.case_number.as_str(),
            event.kind.name_zh(),
            event.date.to_string().as_str(),
            text(event.end_date).as_str(),
            text(event.months).as_str(),
            text(event.days).as_str(),
            event.reason.as_deref().unwrap_or(""),
        ])?;
        Ok(())
    }

    /// Flush the files and return their paths: courts, cases, events.
    pub fn finish(mut self) -> io::Result<[PathBuf; 3]> {
        self.courts.flush()?;
        self.cases.flush()?;
        self.events.flush()?;
        Ok(self.paths)
    }
}

/// Write `courts.csv`, `cases.csv` and `events.csv` of `dataset` into `dir` (created when
/// missing) and return their paths in that order.
pub fn write_csv_files(dataset: &Dataset, dir: &Path) -> io::Result<[PathBuf; 3]> {
    let mut sink = CsvSink::create(dir)?;
    for court in &dataset.courts {
        sink.write_court(court)?;
    }
    for case in &dataset.cases {
        sink.write_case(case)?;
    }
    for event in &dataset.events {
        sink.write_event(event)?;
    }
    sink.finish()
}

/// Write `mediation_orgs.csv`, `mediators.csv`, `mediations.csv` and `mediation_events.csv` of
/// `data` into `dir` (created when missing), with the columns and values the importer reads
/// (`workflows.md` §1.5), and return their paths in that order.
pub fn write_mediation_csv_files(
    data: &crate::MediationData,
    dir: &Path,
) -> io::Result<[PathBuf; 4]> {
    use tianping_exchange::{Kind, template_columns};
    use tianping_workflow::mediation::export;
    std::fs::create_dir_all(dir)?;
    fn write<T>(
        dir: &Path,
        kind: Kind,
        records: &[T],
        cells: impl Fn(&T) -> Vec<String>,
    ) -> io::Result<PathBuf> {
        let path = dir.join(format!("{kind}.csv"));
        let header: Vec<&str> = template_columns(kind).iter().map(|c| c.name).collect();
        let mut out = open(&path, &header)?;
        for record in records {
            out.write_record(cells(record))?;
        }
        out.flush()?;
        Ok(path)
    }
    Ok([
        write(dir, Kind::MediationOrgs, &data.orgs, export::org_cells)?,
        write(
            dir,
            Kind::Mediators,
            &data.mediators,
            export::mediator_cells,
        )?,
        write(
            dir,
            Kind::Mediations,
            &data.mediations,
            export::mediation_cells,
        )?,
        write(
            dir,
            Kind::MediationEvents,
            &data.events,
            export::event_cells,
        )?,
    ])
}

/// The cells of a workflow record in the order of its kind's columns, from its JSON (field
/// names are the exchange columns' names): lists joined by `;`, booleans 是/否.
pub fn record_cells<T: serde::Serialize>(kind: tianping_exchange::Kind, record: &T) -> Vec<String> {
    let value = serde_json::to_value(record).unwrap_or_default();
    tianping_exchange::template_columns(kind)
        .iter()
        .map(|c| match &value[c.name] {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            other => other.to_string(),
        })
        .collect()
}

fn write_records<T: serde::Serialize>(
    dir: &Path,
    kind: tianping_exchange::Kind,
    records: &[T],
) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{kind}.csv"));
    let header: Vec<&str> = tianping_exchange::template_columns(kind)
        .iter()
        .map(|c| c.name)
        .collect();
    let mut out = open(&path, &header)?;
    for record in records {
        out.write_record(record_cells(kind, record))?;
    }
    out.flush()?;
    Ok(path)
}

/// Write `petition_matters.csv` and `petitions.csv` of `data` into `dir` (`workflows.md` §2.6).
pub fn write_petition_csv_files(
    data: &crate::PetitionData,
    dir: &Path,
) -> io::Result<[PathBuf; 2]> {
    use tianping_exchange::Kind;
    Ok([
        write_records(dir, Kind::PetitionMatters, &data.matters)?,
        write_records(dir, Kind::Petitions, &data.petitions)?,
    ])
}

/// Write `suggestions.csv` into `dir` (`workflows.md` §3.5).
pub fn write_suggestion_csv_file(
    suggestions: &[tianping_workflow::suggestions::Suggestion],
    dir: &Path,
) -> io::Result<PathBuf> {
    write_records(dir, tianping_exchange::Kind::Suggestions, suggestions)
}

/// Write `fee_refunds.csv` into `dir` (`workflows.md` §4.5).
pub fn write_refund_csv_file(
    refunds: &[tianping_workflow::refunds::FeeRefund],
    dir: &Path,
) -> io::Result<PathBuf> {
    write_records(dir, tianping_exchange::Kind::FeeRefunds, refunds)
}
