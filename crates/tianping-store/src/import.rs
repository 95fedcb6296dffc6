//! Importing exchange files into a store: read and check every file, check events against the
//! cases of the database and of the same import, then write everything in one transaction.
//!
//! `--on-error reject` (the default): any problem in any file stores nothing, and every problem
//! is reported as `file:row:column: message`. `--on-error skip`: the valid rows are stored, the
//! others are written with their reasons to a rejects CSV; a rejected case also rejects its
//! events.
//!
//! The mediation files (`workflows.md` §1.5: organisations, mediators, mediations and their
//! events) go through the same import: their rows are checked by
//! [`tianping_workflow::mediation::import`] against the courts and cases of the database and of
//! the same import and against the stored roster and mediations, after the checks of the
//! courts, cases and events and before anything is written. Then the courts, cases and events
//! (and the import log of every file) are written in one transaction and the mediation records
//! with [`MediationStore::apply_mediation_batch`] in a second: only a failure of the database
//! itself between the two can leave the first without the second.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use thiserror::Error;
use tianping_domain::CaseNumber;
use tianping_domain::{CaseRecord, HolidayCalendar};
use tianping_exchange::{FileError, Kind, Layout, ParsedFile, Progress, RowError};
use tianping_workflow::core::settings::Settings;
use tianping_workflow::mediation::import::{CheckedFile, Known, KnownCase, TableFile, check_files};
use tianping_workflow::mediation::{Mediation, MediationEvent, MediationOrg, Mediator};

use crate::workflow::{
    EnforcementBatch, EnforcementStore, MediationBatch, MediationOutcome, MediationStore,
    PetitionBatch, PetitionOutcome, PetitionStore, RefundStore, SuggestionStore, TagStore,
    WorkflowStore,
};
use crate::{ImportBatch, ImportLogEntry, ImportOutcome, ImportStore, StoreError};

/// What an import writes to: courts, cases and events ([`ImportStore`]) and the records of the
/// workflow modules' files ([`MediationStore`], with the settings of [`WorkflowStore`]). Every
/// store is one (`&dyn Store`, [`crate::SqliteStore`], [`crate::PostgresStore`]).
pub trait ImportTarget:
    ImportStore
    + MediationStore
    + PetitionStore
    + SuggestionStore
    + RefundStore
    + EnforcementStore
    + TagStore
    + WorkflowStore
{
}

impl<
    T: ImportStore
        + MediationStore
        + PetitionStore
        + SuggestionStore
        + RefundStore
        + EnforcementStore
        + TagStore
        + WorkflowStore
        + ?Sized,
> ImportTarget for T
{
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Whole import or nothing.
    #[default]
    Reject,
    /// Store the valid rows, write the others to a rejects file.
    Skip,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub kind: Option<Kind>,
    pub layout: Layout,
    pub on_error: OnError,
    /// Where to write rejected rows; default `FILE.rejects.csv` beside each file.
    pub rejects: Option<PathBuf>,
    /// Who imports (the import log's user).
    pub user: String,
    /// When (the import log's time), e.g. `2024-03-31T10:00:00`.
    pub at: String,
    /// The case book of the data before the import, to be brought up to date with the rows as
    /// they are written (see [`CaseBookSink`]); `None`: no case book is built.
    pub case_book: Option<CaseBookSink>,
}

/// Where an import builds the case book of the data it leaves, while it writes (the SQLite
/// backend, on the thread that reads the files and would otherwise wait for the writer), so
/// that the first question after an import does not read every row back. Give it the case book
/// of the data before the import; after a successful import [`CaseBookSink::take`] gives the
/// builder, or `None` when the import could not follow its rows (then build it anew).
#[derive(Clone, Default)]
pub struct CaseBookSink(std::sync::Arc<std::sync::Mutex<CaseBookState>>);

#[derive(Default)]
enum CaseBookState {
    #[default]
    Empty,
    Filling(Box<tianping_metrics::CaseBookBuilder>),
    Complete(Box<tianping_metrics::CaseBookBuilder>),
}

impl std::fmt::Debug for CaseBookSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseBookSink")
    }
}

impl CaseBookSink {
    /// A sink that brings `before` (the case book of the data before the import) up to date.
    pub fn new(before: tianping_metrics::Snapshot) -> CaseBookSink {
        let builder = Box::new(tianping_metrics::CaseBookBuilder::new(before));
        CaseBookSink(std::sync::Arc::new(std::sync::Mutex::new(
            CaseBookState::Filling(builder),
        )))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, CaseBookState> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Add written case rows.
    pub(crate) fn add_cases<'c>(&self, cases: impl IntoIterator<Item = &'c CaseRecord>) {
        if let CaseBookState::Filling(builder) = &mut *self.state() {
            builder.add_cases(cases);
        }
    }

    /// Add the rest of what the import wrote (cases not streamed, events) and mark the case
    /// book complete.
    pub(crate) fn complete(&self, cases: &[CaseRecord], events: &[tianping_domain::EventRecord]) {
        let mut state = self.state();
        if let CaseBookState::Filling(mut builder) = std::mem::take(&mut *state) {
            builder.add_cases(cases);
            builder.add_events(events);
            *state = CaseBookState::Complete(builder);
        }
    }

    /// Give up: the rows written are not the rows followed.
    pub(crate) fn abandon(&self) {
        *self.state() = CaseBookState::Empty;
    }

    /// The builder, if the import followed every row it wrote.
    pub fn take(&self) -> Option<tianping_metrics::CaseBookBuilder> {
        match std::mem::take(&mut *self.state()) {
            CaseBookState::Complete(builder) => Some(*builder),
            _ => None,
        }
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            kind: None,
            layout: Layout::Tianping,
            on_error: OnError::Reject,
            rejects: None,
            user: "cli".to_owned(),
            at: String::new(),
            case_book: None,
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub kind: &'static str,
    pub rows: usize,
    pub imported: usize,
    pub rejected: usize,
    pub rejects_file: Option<PathBuf>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    /// Every row problem (in skip mode: the reasons of the rejected rows).
    #[serde(skip)]
    pub errors: Vec<RowError>,
    pub outcome: ImportOutcome,
    /// What the mediation files wrote (records inserted or updated, new events), when the
    /// import had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediation: Option<MediationOutcome>,
    /// What the petition files wrote, when the import had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub petitions: Option<PetitionOutcome>,
    /// How many suggestions the suggestions files wrote, when the import had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<u64>,
    /// How many refunds the fee-refunds files wrote, when the import had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunds: Option<u64>,
    /// How many enforcement records the enforcement files wrote, when the import had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforcement: Option<u64>,
    /// How many new case tags the case-tags files added, when the import had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_tags: Option<u64>,
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{0}")]
    File(#[from] FileError),
    /// Bad rows in reject mode: nothing was stored.
    #[error("发现 {} 处问题，未导入任何数据", errors.len())]
    Rejected { errors: Vec<RowError> },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error(
        "无法写入拒绝行文件 {}：{}",
        path.display(),
        tianping_exchange::io_reason(source)
    )]
    Rejects {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Read and check the files themselves (no database): CPU work, run it off the async runtime in
/// a server.
pub fn read_files(
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: Option<&Progress<'_>>,
) -> Result<Vec<(PathBuf, ParsedFile)>, FileError> {
    paths
        .iter()
        .map(|p| {
            Ok((
                p.clone(),
                tianping_exchange::read_file(p, options.kind, options.layout, progress)?,
            ))
        })
        .collect()
}

/// The order of the files within one import (`workflows.md` §0.9): courts, cases, events, then
/// the mediation roster (organisations, mediators), mediations, their events.
pub(crate) fn kind_order(kind: Kind) -> u8 {
    match kind {
        Kind::Courts => 0,
        Kind::Cases => 1,
        Kind::Events => 2,
        Kind::MediationOrgs => 3,
        Kind::Mediators => 4,
        Kind::Mediations => 5,
        Kind::MediationEvents => 6,
        Kind::PetitionMatters => 7,
        Kind::Petitions => 8,
        Kind::Suggestions => 9,
        Kind::FeeRefunds => 10,
        Kind::TerminationChecks => 11,
        Kind::PostTerminationSearches => 12,
        Kind::DishonestListings => 13,
        Kind::EnforcementActions => 14,
        Kind::CaseTags => 15,
    }
}

fn row_error(file: &ParsedFile, row: usize, column: &str, message: String) -> RowError {
    RowError {
        file: file.file.clone(),
        row,
        column: Some(column.to_owned()),
        message,
    }
}

/// The case number written in a row, normalized when it parses: a rejected case row also rejects
/// the events that name it.
fn raw_case_number(file: &ParsedFile, row: usize) -> Option<String> {
    let column = file.headers.iter().position(|h| {
        let h = h.trim();
        h.eq_ignore_ascii_case("case_number") || h == "案号" || h.eq_ignore_ascii_case("cino")
    })?;
    let cell = file.raw_row(row)?.get(column)?.trim();
    Some(CaseNumber::parse(cell).map_or_else(|_| cell.to_owned(), |n| n.normalized()))
}

/// Check the parsed files against each other and the store, then write (or refuse). The
/// mediation files' deadlines are computed on the built-in holiday calendar
/// ([`import_parsed_with`] takes another).
pub async fn import_parsed<S: ImportTarget + ?Sized>(
    store: &S,
    files: Vec<(PathBuf, ParsedFile)>,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    import_parsed_with(store, files, options, None).await
}

/// [`import_parsed`] with the holiday calendar of the mediation files' deadlines (`None`: the
/// built-in one).
pub async fn import_parsed_with<S: ImportTarget + ?Sized>(
    store: &S,
    mut files: Vec<(PathBuf, ParsedFile)>,
    options: &ImportOptions,
    calendar: Option<&HolidayCalendar>,
) -> Result<ImportReport, ImportError> {
    // Courts first, then cases, then events, then the mediation files, whatever the order on
    // the command line.
    files.sort_by_key(|(_, f)| kind_order(f.kind));
    let checks = CrossChecks::new(&files, &[]);
    let in_store = store
        .existing_case_numbers(&checks.event_cases_to_look_up(&files))
        .await?;
    let mut extra = checks.finish(&files, &in_store);
    // Everything is checked before anything is written.
    let mediation = check_mediation_files(store, &mut files, &mut extra, calendar).await?;
    let petitions = check_petition_files(store, &mut files, &mut extra, calendar).await?;
    let suggestions = check_suggestion_files(store, &mut files, &mut extra).await?;
    let refunds = check_refund_files(store, &mut files, &mut extra).await?;
    let enforcement = check_enforcement_files(store, &mut files, &mut extra).await?;
    let tags = check_tag_files(store, &mut files, &mut extra).await?;
    let plan = plan_checked(&mut files, &extra, options)?;
    let outcome = store.apply_import(&plan.batch).await?;
    let mediation = match mediation {
        Some(batch) => Some(store.apply_mediation_batch(&batch, &[]).await?),
        None => None,
    };
    let petitions = match petitions {
        Some(batch) => Some(store.apply_petition_batch(&batch, &[]).await?),
        None => None,
    };
    let suggestions = match suggestions {
        Some(list) => Some(store.apply_suggestion_batch(&list, &[]).await?),
        None => None,
    };
    let refunds = match refunds {
        Some(list) => Some(store.apply_refund_batch(&list, &[]).await?),
        None => None,
    };
    let enforcement = match enforcement {
        Some(batch) => Some(store.apply_enforcement_batch(&batch, &[]).await?),
        None => None,
    };
    let case_tags = match tags {
        Some(list) => Some(store.add_case_tags(&list).await?),
        None => None,
    };
    let mut report = plan.report(outcome);
    report.mediation = mediation;
    report.petitions = petitions;
    report.suggestions = suggestions;
    report.refunds = refunds;
    report.enforcement = enforcement;
    report.case_tags = case_tags;
    Ok(report)
}

/// What the mediation checks need from the database: the courts, the cases the files name, the
/// roster, the mediations and their events, the settings.
struct Stored {
    courts: HashSet<String>,
    cases: HashMap<String, KnownCase>,
    orgs: HashMap<String, MediationOrg>,
    mediators: HashMap<String, Mediator>,
    mediations: HashMap<String, Mediation>,
    events: HashMap<String, Vec<MediationEvent>>,
    settings: tianping_workflow::mediation::MediationSettings,
}

/// The columns of the workflow files that hold case numbers.
const CASE_COLUMNS: [&str; 5] = [
    "case_number",
    "confirmation_case_number",
    "document_case_number",
    "filed_case_number",
    "diverted_case_number",
];

/// The column of a mediation file's key: what names a refused row.
fn key_column(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::MediationOrgs => Some("org_id"),
        Kind::Mediators => Some("mediator_id"),
        Kind::Mediations => Some("mediation_id"),
        Kind::PetitionMatters => Some("matter_id"),
        Kind::Petitions => Some("petition_id"),
        Kind::Suggestions => Some("suggestion_no"),
        Kind::FeeRefunds => Some("refund_id"),
        Kind::TerminationChecks => Some("case_number"),
        Kind::DishonestListings => Some("listing_id"),
        Kind::EnforcementActions => Some("action_id"),
        _ => None,
    }
}

/// The positions of the files of a workflow module.
fn module_tables(files: &[(PathBuf, ParsedFile)], module: &str) -> Vec<usize> {
    (0..files.len())
        .filter(|&i| files[i].1.kind.module() == Some(module))
        .collect()
}

/// For each of `tables`, the rows the reader refused with their key cell as written: what
/// names them is refused too.
fn refused_keys(files: &[(PathBuf, ParsedFile)], tables: &[usize]) -> Vec<Vec<(usize, String)>> {
    tables
        .iter()
        .map(|&i| {
            let file = &files[i].1;
            let Some(column) = key_column(file.kind) else {
                return Vec::new();
            };
            file.rejected_rows()
                .into_iter()
                .filter_map(|row| Some((row, file.cell(row, column)?)))
                .collect()
        })
        .collect()
}

/// The rows of `tables` as a workflow module's checks read them.
fn table_inputs<'f>(
    files: &'f [(PathBuf, ParsedFile)],
    tables: &[usize],
    refused: &'f [Vec<(usize, String)>],
) -> Vec<TableFile<'f>> {
    tables
        .iter()
        .zip(refused)
        .map(|(&i, refused)| TableFile {
            file: &files[i].1.file,
            kind: files[i].1.kind,
            rows: &files[i].1.table,
            refused,
        })
        .collect()
}

/// The settings in force, as stored.
async fn stored_settings<S: ImportTarget + ?Sized>(store: &S) -> Result<Settings, ImportError> {
    Ok(Settings::from_stored(
        store
            .settings()
            .await?
            .into_iter()
            .map(|s| (s.key, s.value)),
    ))
}

fn known_case(case: &CaseRecord) -> KnownCase {
    KnownCase {
        court_code: case.court_code.clone(),
        filed_date: case.filed_date,
        closed_date: case.closed_date,
        procedure: case.procedure,
    }
}

/// The courts and cases a workflow file may name: those of this import that are not refused,
/// and those of the database (every case is read only when the files name one this import
/// lacks).
async fn courts_and_cases<S: ImportTarget + ?Sized>(
    store: &S,
    files: &[(PathBuf, ParsedFile)],
    extra: &[Vec<RowError>],
) -> Result<(HashSet<String>, HashMap<String, KnownCase>), ImportError> {
    let mut cases: HashMap<String, KnownCase> = HashMap::new();
    let mut courts: HashSet<String> = HashSet::new();
    let mut named: HashSet<String> = HashSet::new();
    for (i, (_, file)) in files.iter().enumerate() {
        let bad: HashSet<usize> = file
            .rejected_rows()
            .into_iter()
            .chain(extra[i].iter().map(|e| e.row))
            .collect();
        for (row, case) in &file.cases {
            if !bad.contains(row) {
                cases.insert(case.case_number.clone(), known_case(case));
            }
        }
        for (row, court) in &file.courts {
            if !bad.contains(row) {
                courts.insert(court.code.clone());
            }
        }
        if file.kind.is_table() {
            let names = tianping_exchange::template_columns(file.kind);
            for column in CASE_COLUMNS {
                let Some(at) = names.iter().position(|c| c.name == column) else {
                    continue;
                };
                for (_, cells) in &file.table {
                    if let Ok(n) = CaseNumber::parse(&cells[at]) {
                        named.insert(n.normalized());
                    }
                }
            }
            // A list of cases (the suggestions file's 关联案号).
            if let Some(at) = names.iter().position(|c| c.name == "case_numbers") {
                for (_, cells) in &file.table {
                    for item in tianping_exchange::values::list(&cells[at]) {
                        if let Ok(n) = CaseNumber::parse(&item) {
                            named.insert(n.normalized());
                        }
                    }
                }
            }
        }
    }
    named.retain(|n| !cases.contains_key(n));
    if !named.is_empty() {
        for case in store.cases().await? {
            if named.contains(&case.case_number) {
                cases.insert(case.case_number.clone(), known_case(&case));
            }
        }
    }
    courts.extend(store.courts().await?.into_iter().map(|c| c.code));
    Ok((courts, cases))
}

/// Check the mediation files of an import (`files` in import order, `extra` the problems found
/// across files so far): their problems join `extra`, their warnings the files' warnings; the
/// batch of the rows that passed. `None` when the import has no mediation file.
async fn check_mediation_files<S: ImportTarget + ?Sized>(
    store: &S,
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
    calendar: Option<&HolidayCalendar>,
) -> Result<Option<MediationBatch>, ImportError> {
    if !files
        .iter()
        .any(|(_, f)| f.kind.module() == Some("mediation"))
    {
        return Ok(None);
    }
    let (courts, cases) = courts_and_cases(store, files, extra).await?;
    let mut events: HashMap<String, Vec<MediationEvent>> = HashMap::new();
    for e in store.mediation_events().await? {
        events.entry(e.mediation_id.clone()).or_default().push(e);
    }
    let stored = Stored {
        courts,
        cases,
        orgs: store
            .mediation_orgs()
            .await?
            .into_iter()
            .map(|o| (o.org_id.clone(), o))
            .collect(),
        mediators: store
            .mediators()
            .await?
            .into_iter()
            .map(|m| (m.mediator_id.clone(), m))
            .collect(),
        mediations: store
            .mediations()
            .await?
            .into_iter()
            .map(|m| (m.mediation_id.clone(), m))
            .collect(),
        events,
        settings: stored_settings(store).await?.mediation(),
    };
    let calendar = calendar.map_or_else(
        || std::borrow::Cow::Owned(HolidayCalendar::builtin()),
        std::borrow::Cow::Borrowed,
    );
    Ok(Some(check_tables(files, extra, &stored, &calendar)))
}

/// The checks of [`check_mediation_files`] once the database's part is known.
fn check_tables(
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
    stored: &Stored,
    calendar: &HolidayCalendar,
) -> MediationBatch {
    let tables = module_tables(files, "mediation");
    let refused = refused_keys(files, &tables);
    let inputs = table_inputs(files, &tables, &refused);
    let court = |code: &str| stored.courts.contains(code);
    let case = |n: &str| stored.cases.get(n).cloned();
    let org = |id: &str| stored.orgs.get(id).cloned();
    let mediator = |id: &str| stored.mediators.get(id).cloned();
    let mediation = |id: &str| stored.mediations.get(id).cloned();
    let events = |id: &str| stored.events.get(id).cloned().unwrap_or_default();
    let known = Known {
        court: &court,
        case: &case,
        org: &org,
        mediator: &mediator,
        mediation: &mediation,
        events: &events,
    };
    let checked: Vec<CheckedFile> = check_files(&inputs, &known, &stored.settings, calendar);
    drop(inputs);
    let mut batch = MediationBatch::default();
    for (&i, checked) in tables.iter().zip(checked) {
        record_problems(
            &mut files[i].1,
            &mut extra[i],
            &checked.problems,
            &checked.warnings,
        );
        batch.orgs.extend(checked.orgs.into_iter().map(|(_, r)| r));
        batch
            .mediators
            .extend(checked.mediators.into_iter().map(|(_, r)| r));
        batch
            .mediations
            .extend(checked.mediations.into_iter().map(|(_, r)| r));
        batch
            .events
            .extend(checked.events.into_iter().map(|(_, r)| r));
    }
    batch
}

/// The problems a workflow module found in a file join the file's problems (`extra`), its
/// warnings the file's warnings, each `file:row:column` with the column as the file writes it.
fn record_problems(
    file: &mut ParsedFile,
    extra: &mut Vec<RowError>,
    problems: &[tianping_workflow::core::rows::RowProblem],
    warnings: &[tianping_workflow::core::rows::RowProblem],
) {
    for p in problems {
        extra.push(row_error(
            file,
            p.row,
            &file.column_label(p.column),
            p.message.clone(),
        ));
    }
    for w in warnings {
        let warning = format!(
            "{}:{}:{}: {}",
            file.file,
            w.row,
            file.column_label(w.column),
            w.message
        );
        file.warnings.push(warning);
    }
}

/// Check the petition files of an import (`workflows.md` §2.6) like the mediation files, then
/// give the petitions without a matter theirs (§2.4) over every petition stored and imported.
/// `None` when the import has no petition file.
async fn check_petition_files<S: ImportTarget + ?Sized>(
    store: &S,
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
    calendar: Option<&HolidayCalendar>,
) -> Result<Option<PetitionBatch>, ImportError> {
    use tianping_workflow::petitions::import as rules;
    if !files
        .iter()
        .any(|(_, f)| f.kind.module() == Some("petitions"))
    {
        return Ok(None);
    }
    let (courts, cases) = courts_and_cases(store, files, extra).await?;
    let stored_petitions = store.petitions().await?;
    let stored_matters: HashMap<String, tianping_workflow::petitions::Matter> = store
        .petition_matters()
        .await?
        .into_iter()
        .map(|m| (m.matter_id.clone(), m))
        .collect();
    let settings = stored_settings(store).await?.petitions();
    let calendar = calendar.map_or_else(
        || std::borrow::Cow::Owned(HolidayCalendar::builtin()),
        std::borrow::Cow::Borrowed,
    );
    let by_id: HashMap<&str, &tianping_workflow::petitions::Petition> = stored_petitions
        .iter()
        .map(|p| (p.petition_id.as_str(), p))
        .collect();
    let first = rules::first_petitions(&stored_petitions);
    let tables = module_tables(files, "petitions");
    let refused = refused_keys(files, &tables);
    let inputs = table_inputs(files, &tables, &refused);
    let court = |code: &str| courts.contains(code);
    let case = |n: &str| cases.contains_key(n);
    let petition = |id: &str| by_id.get(id).map(|p| (*p).clone());
    let matter = |id: &str| stored_matters.get(id).cloned();
    let first_petition = |id: &str| first.get(id).copied();
    let known = rules::Known {
        court: &court,
        case: &case,
        petition: &petition,
        matter: &matter,
        matter_first_petition: &first_petition,
    };
    let checked = rules::check_files(&inputs, &known, &settings, &calendar);
    drop(inputs);
    let mut batch = PetitionBatch::default();
    for (&i, checked) in tables.iter().zip(checked) {
        record_problems(
            &mut files[i].1,
            &mut extra[i],
            &checked.problems,
            &checked.warnings,
        );
        batch
            .matters
            .extend(checked.matters.into_iter().map(|(_, m)| m));
        batch
            .petitions
            .extend(checked.petitions.into_iter().map(|(_, p)| p));
    }
    // §2.4 over every petition: the stored ones (as this import leaves them) and the new.
    let imported: HashSet<&str> = batch
        .petitions
        .iter()
        .map(|p| p.petition_id.as_str())
        .collect();
    let mut all: Vec<tianping_workflow::petitions::Petition> = stored_petitions
        .iter()
        .filter(|p| !imported.contains(p.petition_id.as_str()))
        .cloned()
        .collect();
    let first_new = all.len();
    all.extend(batch.petitions.iter().cloned());
    tianping_workflow::petitions::assign_matters(&mut all, settings.repeat_window_days);
    batch.petitions = all.split_off(first_new);
    Ok(Some(batch))
}

/// Check the suggestions files of an import (`workflows.md` §3.5) like the mediation files.
/// `None` when the import has none.
async fn check_suggestion_files<S: ImportTarget + ?Sized>(
    store: &S,
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
) -> Result<Option<Vec<tianping_workflow::suggestions::Suggestion>>, ImportError> {
    use tianping_workflow::suggestions::import as rules;
    if !files
        .iter()
        .any(|(_, f)| f.kind.module() == Some("suggestions"))
    {
        return Ok(None);
    }
    let (courts, cases) = courts_and_cases(store, files, extra).await?;
    let settings = stored_settings(store).await?.suggestions();
    let tables = module_tables(files, "suggestions");
    let refused = refused_keys(files, &tables);
    let inputs = table_inputs(files, &tables, &refused);
    let court = |code: &str| courts.contains(code);
    let case = |n: &str| cases.contains_key(n);
    let known = rules::Known {
        court: &court,
        case: &case,
    };
    let checked = rules::check_files(&inputs, &known, &settings);
    drop(inputs);
    let mut list = Vec::new();
    for (&i, checked) in tables.iter().zip(checked) {
        record_problems(
            &mut files[i].1,
            &mut extra[i],
            &checked.problems,
            &checked.warnings,
        );
        list.extend(checked.suggestions.into_iter().map(|(_, s)| s));
    }
    Ok(Some(list))
}

/// Check the fee-refunds files of an import (`workflows.md` §4.5) like the mediation files.
/// `None` when the import has none.
async fn check_refund_files<S: ImportTarget + ?Sized>(
    store: &S,
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
) -> Result<Option<Vec<tianping_workflow::refunds::FeeRefund>>, ImportError> {
    use tianping_workflow::refunds::import as rules;
    if !files
        .iter()
        .any(|(_, f)| f.kind.module() == Some("refunds"))
    {
        return Ok(None);
    }
    let (_, cases) = courts_and_cases(store, files, extra).await?;
    let tables = module_tables(files, "refunds");
    let refused = refused_keys(files, &tables);
    let inputs = table_inputs(files, &tables, &refused);
    let case = |n: &str| {
        cases.get(n).map(|c| rules::CaseFacts {
            court_code: c.court_code.clone(),
            closed_date: c.closed_date,
            second_instance: CaseNumber::parse(n).is_ok_and(|parsed| {
                parsed.type_code.instance() == tianping_domain::type_code::Instance::Second
            }),
            simple_procedure: c
                .procedure
                .map(|p| p == tianping_domain::time_limit::Procedure::Simple),
        })
    };
    let known = rules::Known { case: &case };
    let checked = rules::check_files(&inputs, &known);
    drop(inputs);
    let mut list = Vec::new();
    for (&i, checked) in tables.iter().zip(checked) {
        record_problems(
            &mut files[i].1,
            &mut extra[i],
            &checked.problems,
            &checked.warnings,
        );
        list.extend(checked.refunds.into_iter().map(|(_, r)| r));
    }
    Ok(Some(list))
}

/// Check the case-tags files of an import (`workflows.md` §0.9). `None` when the import has none.
async fn check_tag_files<S: ImportTarget + ?Sized>(
    store: &S,
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
) -> Result<Option<Vec<(String, String)>>, ImportError> {
    if !files
        .iter()
        .any(|(_, f)| f.kind.module() == Some("case_tags"))
    {
        return Ok(None);
    }
    let (_, cases) = courts_and_cases(store, files, extra).await?;
    let tables = module_tables(files, "case_tags");
    let refused = refused_keys(files, &tables);
    let inputs = table_inputs(files, &tables, &refused);
    let case = |n: &str| cases.contains_key(n);
    let checked = tianping_workflow::core::tags::check_files(&inputs, &case);
    drop(inputs);
    let mut list = Vec::new();
    for (&i, checked) in tables.iter().zip(checked) {
        record_problems(&mut files[i].1, &mut extra[i], &checked.problems, &[]);
        list.extend(checked.tags.into_iter().map(|(_, t)| t));
    }
    Ok(Some(list))
}

/// Check the enforcement files of an import (`workflows.md` §5.5) like the mediation files.
/// `None` when the import has none.
async fn check_enforcement_files<S: ImportTarget + ?Sized>(
    store: &S,
    files: &mut [(PathBuf, ParsedFile)],
    extra: &mut [Vec<RowError>],
) -> Result<Option<EnforcementBatch>, ImportError> {
    use tianping_domain::ClosingMode;
    use tianping_domain::type_code::Instance;
    use tianping_workflow::enforcement::import as rules;
    if !files
        .iter()
        .any(|(_, f)| f.kind.module() == Some("enforcement"))
    {
        return Ok(None);
    }
    let (courts, cases) = courts_and_cases(store, files, extra).await?;
    // The closing modes of the named cases: a 终本 record needs a case closed by 终本.
    let named: HashSet<&str> = cases.keys().map(String::as_str).collect();
    let terminated: HashSet<String> = store
        .cases()
        .await?
        .into_iter()
        .filter(|c| named.contains(c.case_number.as_str()))
        .filter(|c| c.closing_mode == Some(ClosingMode::TerminationOfThisRound))
        .map(|c| c.case_number)
        .chain(files.iter().flat_map(|(_, f)| {
            f.cases
                .iter()
                .filter(|(_, c)| c.closing_mode == Some(ClosingMode::TerminationOfThisRound))
                .map(|(_, c)| c.case_number.clone())
        }))
        .collect();
    let tables = module_tables(files, "enforcement");
    let refused = refused_keys(files, &tables);
    let inputs = table_inputs(files, &tables, &refused);
    let court = |code: &str| courts.contains(code);
    let case = |n: &str| {
        cases.get(n).map(|c| rules::CaseFacts {
            court_code: c.court_code.clone(),
            filed_date: c.filed_date,
            closed_date: c.closed_date,
            enforcement: CaseNumber::parse(n).is_ok_and(|parsed| {
                matches!(
                    parsed.type_code.instance(),
                    Instance::EnforcementFirst | Instance::EnforcementResumed
                )
            }),
            terminated: terminated.contains(n),
        })
    };
    let known = rules::Known {
        court: &court,
        case: &case,
    };
    let checked = rules::check_files(&inputs, &known);
    drop(inputs);
    let mut batch = EnforcementBatch::default();
    for (&i, checked) in tables.iter().zip(checked) {
        record_problems(
            &mut files[i].1,
            &mut extra[i],
            &checked.problems,
            &checked.warnings,
        );
        batch
            .checks
            .extend(checked.checks.into_iter().map(|(_, r)| r));
        batch
            .searches
            .extend(checked.searches.into_iter().map(|(_, r)| r));
        batch
            .listings
            .extend(checked.listings.into_iter().map(|(_, r)| r));
        batch
            .actions
            .extend(checked.actions.into_iter().map(|(_, r)| r));
    }
    Ok(Some(batch))
}

/// The checks of an import across its files: a case number appears once in the whole import,
/// and an event's case exists in the database or in this import (and is not rejected in it).
pub(crate) struct CrossChecks<'f> {
    /// Per file, the problems found here (each file checked its own rows).
    extra: Vec<Vec<RowError>>,
    /// Case numbers of this import whose rows are bad, with where.
    rejected_cases: HashMap<String, String>,
    /// The cases of this import that events name and that are not rejected.
    imported_cases: FxHashSet<&'f str>,
}

/// The cases of file `i`: those in the file, or those a backend wrote while the file was being
/// read (SQLite's [`import_files`]).
fn cases_of<'f>(
    files: &'f [(PathBuf, ParsedFile)],
    streamed: &'f [Vec<Vec<(usize, CaseRecord)>>],
    i: usize,
) -> impl Iterator<Item = &'f (usize, CaseRecord)> {
    files[i]
        .1
        .cases
        .iter()
        .chain(streamed.get(i).into_iter().flatten().flatten())
}

impl<'f> CrossChecks<'f> {
    pub(crate) fn new(
        files: &'f [(PathBuf, ParsedFile)],
        streamed: &'f [Vec<Vec<(usize, CaseRecord)>>],
    ) -> CrossChecks<'f> {
        let mut extra: Vec<Vec<RowError>> = vec![Vec::new(); files.len()];
        // A case number twice across files: the map is needed only for several case files.
        let case_files = (0..files.len())
            .filter(|&i| cases_of(files, streamed, i).next().is_some())
            .count();
        if case_files > 1 {
            let mut case_origin: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
            for (i, (_, file)) in files.iter().enumerate() {
                for (row, case) in cases_of(files, streamed, i) {
                    match case_origin.entry(case.case_number.as_str()) {
                        Entry::Occupied(first) => {
                            let (other_file, other_row) = *first.get();
                            extra[i].push(row_error(
                                file,
                                *row,
                                "case_number",
                                format!(
                                    "案号重复：{} 也在 {} 第 {other_row} 行出现",
                                    case.case_number, files[other_file].1.file
                                ),
                            ));
                        }
                        Entry::Vacant(slot) => {
                            slot.insert((i, *row));
                        }
                    }
                }
            }
        }
        let mut rejected_cases: HashMap<String, String> = HashMap::new();
        for (i, (_, file)) in files.iter().enumerate() {
            let bad_rows: HashSet<usize> = file
                .rejected_rows()
                .into_iter()
                .chain(extra[i].iter().map(|e| e.row))
                .collect();
            if file.kind == Kind::Cases {
                for row in &bad_rows {
                    if let Some(number) = raw_case_number(file, *row) {
                        rejected_cases.insert(number, format!("{}:{row}", file.file));
                    }
                }
            }
        }
        // Of the cases this import brings, only those events name are ever asked about: a set
        // of those is a fraction of a million cases' (FxHash: the keys are the import's own).
        let named: FxHashSet<&str> = files
            .iter()
            .flat_map(|(_, f)| f.events.iter().map(|(_, e)| e.case_number.as_str()))
            .collect();
        let imported_cases: FxHashSet<&'f str> = if named.is_empty() {
            FxHashSet::default()
        } else {
            (0..files.len())
                .flat_map(|i| cases_of(files, streamed, i))
                .map(|(_, case)| case.case_number.as_str())
                .filter(|n| named.contains(n) && !rejected_cases.contains_key(*n))
                .collect()
        };
        CrossChecks {
            extra,
            rejected_cases,
            imported_cases,
        }
    }

    /// The case numbers of events that this import neither brings nor rejects: the database
    /// must have them.
    pub(crate) fn event_cases_to_look_up(&self, files: &[(PathBuf, ParsedFile)]) -> Vec<String> {
        let mut unknown: Vec<String> = files
            .iter()
            .flat_map(|(_, f)| f.events.iter().map(|(_, e)| e.case_number.as_str()))
            .filter(|n| !self.imported_cases.contains(n) && !self.rejected_cases.contains_key(*n))
            .map(str::to_owned)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        unknown.sort();
        unknown
    }

    /// Check the events, given which of the looked-up case numbers the database holds; the
    /// problems found across files, per file.
    pub(crate) fn finish(
        mut self,
        files: &[(PathBuf, ParsedFile)],
        in_store: &HashSet<String>,
    ) -> Vec<Vec<RowError>> {
        for (i, (_, file)) in files.iter().enumerate() {
            for (row, event) in &file.events {
                let n = event.case_number.as_str();
                if let Some(at) = self.rejected_cases.get(n) {
                    self.extra[i].push(row_error(
                        file,
                        *row,
                        "case_number",
                        format!("案件 {n} 在本次导入中被拒绝（{at}），其事件不能导入"),
                    ));
                } else if !self.imported_cases.contains(n) && !in_store.contains(n) {
                    self.extra[i].push(row_error(
                        file,
                        *row,
                        "case_number",
                        format!("找不到案件 {n}：数据库和本次导入中都没有这个案件"),
                    ));
                }
            }
        }
        self.extra
    }
}

/// What a checked import writes and reports.
pub(crate) struct Plan {
    pub(crate) batch: ImportBatch,
    files: Vec<FileReport>,
    errors: Vec<RowError>,
}

impl Plan {
    pub(crate) fn report(self, outcome: ImportOutcome) -> ImportReport {
        ImportReport {
            files: self.files,
            errors: self.errors,
            outcome,
            mediation: None,
            petitions: None,
            suggestions: None,
            refunds: None,
            enforcement: None,
            case_tags: None,
        }
    }
}

/// Refuse the import (`--on-error reject` and a problem anywhere), or build the batch from the
/// rows that passed every check, write the rejects files and count.
/// Every problem of the files, file by file in import order, each file's by row.
fn all_problems(files: &[(PathBuf, ParsedFile)], extra: &[Vec<RowError>]) -> Vec<RowError> {
    let mut all_errors: Vec<RowError> = Vec::new();
    for (i, (_, file)) in files.iter().enumerate() {
        let mut errors: Vec<RowError> = file
            .errors
            .iter()
            .cloned()
            .chain(extra[i].iter().cloned())
            .collect();
        errors.sort_by_key(|e| e.row);
        all_errors.extend(errors);
    }
    all_errors
}

/// Every problem an import of `files` would refuse them for (each file's own rows, and the
/// checks across the files and against the database, the mediation files' included), without
/// writing anything: what a page lists when it refuses an upload for another reason too, so that
/// one refusal does not hide the rest.
pub async fn problems<S: ImportTarget + ?Sized>(
    store: &S,
    mut files: Vec<(PathBuf, ParsedFile)>,
) -> Result<Vec<RowError>, ImportError> {
    files.sort_by_key(|(_, f)| kind_order(f.kind));
    let checks = CrossChecks::new(&files, &[]);
    let in_store = store
        .existing_case_numbers(&checks.event_cases_to_look_up(&files))
        .await?;
    let mut extra = checks.finish(&files, &in_store);
    check_mediation_files(store, &mut files, &mut extra, None).await?;
    check_petition_files(store, &mut files, &mut extra, None).await?;
    check_suggestion_files(store, &mut files, &mut extra).await?;
    check_refund_files(store, &mut files, &mut extra).await?;
    check_enforcement_files(store, &mut files, &mut extra).await?;
    check_tag_files(store, &mut files, &mut extra).await?;
    Ok(all_problems(&files, &extra))
}

/// [`plan_checked`] for an import that does not check mediation files itself (SQLite's
/// streamed one): such a file would be counted as imported and nothing of it written, so it is
/// refused ([`import_files`] never sends one there).
pub(crate) fn plan(
    files: &mut [(PathBuf, ParsedFile)],
    extra: &[Vec<RowError>],
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    if files.iter().any(|(_, f)| f.kind.is_table()) {
        return Err(ImportError::Store(StoreError::Unsupported(
            "importing mediation files through ImportStore::import_files \
             (tianping_store::import::import_files does it)",
        )));
    }
    plan_checked(files, extra, options)
}

/// Refuse the import (`--on-error reject` and a problem anywhere), or build the batch of the
/// courts, cases and events from the rows that passed every check, write the rejects files and
/// count (every file, the mediation files' rows included).
fn plan_checked(
    files: &mut [(PathBuf, ParsedFile)],
    extra: &[Vec<RowError>],
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    let all_errors = all_problems(files, extra);
    if options.on_error == OnError::Reject && !all_errors.is_empty() {
        return Err(ImportError::Rejected { errors: all_errors });
    }

    // Build the batch from the rows that passed every check. The records move into it (a
    // million cases copied would cost as much as writing them); in place, as `collect` reuses
    // the list when it only filters and unwraps.
    let mut batch = ImportBatch::default();
    let mut reports = Vec::new();
    let several = files.len() > 1;
    for (i, (path, file)) in files.iter_mut().enumerate() {
        let bad: HashSet<usize> = file
            .rejected_rows()
            .into_iter()
            .chain(extra[i].iter().map(|e| e.row))
            .collect();
        append_kept(&mut batch.courts, &mut file.courts, &bad);
        append_kept(&mut batch.cases, &mut file.cases, &bad);
        append_kept(&mut batch.events, &mut file.events, &bad);
        // Rows, not records: an eCourts row gives a case and names a court.
        let imported = file.total_rows.saturating_sub(bad.len());
        let rejects_file = if bad.is_empty() {
            None
        } else {
            let target = rejects_path(path, options.rejects.as_deref(), several);
            tianping_exchange::write_rejects(&target, file, &extra[i]).map_err(|source| {
                ImportError::Rejects {
                    path: target.clone(),
                    source,
                }
            })?;
            Some(target)
        };
        batch.log.push(ImportLogEntry {
            at: options.at.clone(),
            user: options.user.clone(),
            file: file.file.clone(),
            kind: file.kind.id().to_owned(),
            rows: file.total_rows as u64,
            imported: imported as u64,
            rejected: bad.len() as u64,
        });
        reports.push(FileReport {
            file: file.file.clone(),
            kind: file.kind.id(),
            rows: file.total_rows,
            imported,
            rejected: bad.len(),
            rejects_file,
            warnings: file.warnings.clone(),
        });
    }
    Ok(Plan {
        batch,
        files: reports,
        errors: all_errors,
    })
}

/// Move the records of `rows` whose rows are not `bad` to the end of `into`.
fn append_kept<T>(into: &mut Vec<T>, rows: &mut Vec<(usize, T)>, bad: &HashSet<usize>) {
    let kept: Vec<T> = std::mem::take(rows)
        .into_iter()
        .filter(|(row, _)| !bad.contains(row))
        .map(|(_, record)| record)
        .collect();
    if into.is_empty() {
        *into = kept;
    } else {
        into.extend(kept);
    }
}

/// `--rejects PATH` as given for a single file; with several files, `PATH` gets the file's stem
/// added so they do not overwrite each other; default `FILE.rejects.csv`.
fn rejects_path(file: &Path, option: Option<&Path>, several: bool) -> PathBuf {
    match option {
        Some(p) if !several => p.to_path_buf(),
        Some(p) => {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("file");
            let base = p.with_extension("");
            PathBuf::from(format!("{}.{stem}.csv", base.display()))
        }
        None => PathBuf::from(format!("{}.rejects.csv", file.display())),
    }
}

/// Read, check and store `paths` in one go, the way the store does it best
/// ([`ImportStore::import_files`]): on SQLite the cases are written while their file is still
/// being read, which nearly halves a large import; PostgreSQL reads every file first
/// ([`read_then_import`]). The checks and the outcome are those of [`import_parsed`] on every
/// backend, and the import is committed or rolled back as a whole.
///
/// An import with a mediation file (told from the files' header rows, [`tianping_exchange::peek_kind`])
/// reads every file first and goes through [`import_parsed`], which checks those files too.
pub async fn import_files<S: ImportTarget + ?Sized>(
    store: &S,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: Option<&Progress<'_>>,
) -> Result<ImportReport, ImportError> {
    import_files_with(store, paths, options, progress, None).await
}

/// [`import_files`] with the holiday calendar of the mediation files' deadlines (`None`: the
/// built-in one).
pub async fn import_files_with<S: ImportTarget + ?Sized>(
    store: &S,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: Option<&Progress<'_>>,
    calendar: Option<&HolidayCalendar>,
) -> Result<ImportReport, ImportError> {
    // A header that cannot be read now will not be read by either way; the plain one says why.
    let tables = paths.iter().any(|p| {
        tianping_exchange::peek_kind(p, options.kind, options.layout).is_none_or(Kind::is_table)
    });
    if tables {
        let files = read_files(paths, options, progress)?;
        import_parsed_with(store, files, options, calendar).await
    } else {
        store.import_files(paths, options, progress).await
    }
}

/// [`import_files`] for a backend without a way of its own: read and check every file
/// ([`read_files`]), then check them against each other and the store, and write
/// ([`import_parsed`]).
pub async fn read_then_import<S: ImportTarget + ?Sized>(
    store: &S,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: Option<&Progress<'_>>,
) -> Result<ImportReport, ImportError> {
    let files = read_files(paths, options, progress)?;
    import_parsed(store, files, options).await
}
