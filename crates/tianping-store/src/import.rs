//! Importing exchange files into a store: read and check every file, check events against the
//! cases of the database and of the same import, then write everything in one transaction.
//!
//! `--on-error reject` (the default): any problem in any file stores nothing, and every problem
//! is reported as `file:row:column: message`. `--on-error skip`: the valid rows are stored, the
//! others are written with their reasons to a rejects CSV; a rejected case also rejects its
//! events.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use thiserror::Error;
use tianping_domain::CaseNumber;
use tianping_exchange::{FileError, Kind, Layout, ParsedFile, RowError};

use crate::{ImportBatch, ImportLogEntry, ImportOutcome, Store, StoreError};

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
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{0}")]
    File(#[from] FileError),
    /// Bad rows in reject mode: nothing was stored.
    #[error("{} problem(s) found; nothing was imported", errors.len())]
    Rejected { errors: Vec<RowError> },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("writing rejects file {path}: {source}")]
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
    progress: Option<&dyn Fn(u64, u64)>,
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

fn kind_order(kind: Kind) -> u8 {
    match kind {
        Kind::Courts => 0,
        Kind::Cases => 1,
        Kind::Events => 2,
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

/// Check the parsed files against each other and the store, then write (or refuse).
pub async fn import_parsed(
    store: &dyn Store,
    mut files: Vec<(PathBuf, ParsedFile)>,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    // Courts first, then cases, then events, whatever the order on the command line.
    files.sort_by_key(|(_, f)| kind_order(f.kind));

    let mut extra: Vec<Vec<RowError>> = vec![Vec::new(); files.len()];

    // Cases: a case number may appear once in the whole import. Each file checked its own rows;
    // the map across files is needed only for several case files or for events to check.
    let case_files = files.iter().filter(|(_, f)| !f.cases.is_empty()).count();
    let has_events = files.iter().any(|(_, f)| !f.events.is_empty());
    let mut case_origin: HashMap<&str, (usize, usize)> = HashMap::new();
    if case_files > 1 || has_events {
        for (i, (_, file)) in files.iter().enumerate() {
            for (row, case) in &file.cases {
                if let Some(&(other_file, other_row)) = case_origin.get(case.case_number.as_str()) {
                    extra[i].push(row_error(
                        file,
                        *row,
                        "case_number",
                        format!(
                            "duplicate case number {}, also in {} row {other_row}",
                            case.case_number, files[other_file].1.file
                        ),
                    ));
                } else {
                    case_origin.insert(&case.case_number, (i, *row));
                }
            }
        }
    }
    // Case numbers of this import whose rows are bad, with where.
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
    let imported_cases: HashSet<&str> = case_origin
        .keys()
        .copied()
        .filter(|n| !rejected_cases.contains_key(*n))
        .collect();

    // Events: the case must exist in the database or in this import.
    let mut unknown: Vec<String> = files
        .iter()
        .flat_map(|(_, f)| f.events.iter().map(|(_, e)| e.case_number.as_str()))
        .filter(|n| !imported_cases.contains(n) && !rejected_cases.contains_key(*n))
        .map(str::to_owned)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    unknown.sort();
    let in_store = store.existing_case_numbers(&unknown).await?;
    for (i, (_, file)) in files.iter().enumerate() {
        for (row, event) in &file.events {
            let n = event.case_number.as_str();
            if let Some(at) = rejected_cases.get(n) {
                extra[i].push(row_error(
                    file,
                    *row,
                    "case_number",
                    format!("the case {n} is rejected in this import ({at})"),
                ));
            } else if !imported_cases.contains(n) && !in_store.contains(n) {
                extra[i].push(row_error(
                    file,
                    *row,
                    "case_number",
                    format!("event for an unknown case {n}"),
                ));
            }
        }
    }

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
    if options.on_error == OnError::Reject && !all_errors.is_empty() {
        return Err(ImportError::Rejected { errors: all_errors });
    }

    // Build the batch from the rows that passed every check.
    let mut batch = ImportBatch::default();
    let mut reports = Vec::new();
    for (i, (path, file)) in files.iter().enumerate() {
        let bad: HashSet<usize> = file
            .rejected_rows()
            .into_iter()
            .chain(extra[i].iter().map(|e| e.row))
            .collect();
        let keep = |row: &usize| !bad.contains(row);
        batch.courts.extend(
            file.courts
                .iter()
                .filter(|(r, _)| keep(r))
                .map(|(_, c)| c.clone()),
        );
        batch.cases.extend(
            file.cases
                .iter()
                .filter(|(r, _)| keep(r))
                .map(|(_, c)| c.clone()),
        );
        batch.events.extend(
            file.events
                .iter()
                .filter(|(r, _)| keep(r))
                .map(|(_, e)| e.clone()),
        );
        // Rows, not records: an eCourts row gives a case and names a court.
        let imported = file.total_rows.saturating_sub(bad.len());
        let rejects_file = if bad.is_empty() {
            None
        } else {
            let target = rejects_path(path, options.rejects.as_deref(), files.len() > 1);
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
    let outcome = store.apply_import(&batch).await?;
    Ok(ImportReport {
        files: reports,
        errors: all_errors,
        outcome,
    })
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

/// Read, check and store `paths` in one go.
pub async fn import_files(
    store: &dyn Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: Option<&dyn Fn(u64, u64)>,
) -> Result<ImportReport, ImportError> {
    let files = read_files(paths, options, progress)?;
    import_parsed(store, files, options).await
}
