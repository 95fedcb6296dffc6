//! Writing imports into SQLite: one transaction on a connection of its own, through SQLite's C
//! interface ([`super::raw`]), the rows of an import through [`super::row_table`].

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;

use tianping_domain::{CaseRecord, EventRecord};

use super::raw::{Db, Statement};
use super::row_table::{self, ParamRows};
use super::{BUSY_TIMEOUT, SqliteStore};
use crate::rows::{
    CASE_COLUMNS, COURT_COLUMNS, EVENT_COLUMNS, Param, case_params, court_params, event_params,
};
use crate::{ImportBatch, ImportOutcome, Result, StoreError, WriteCounts};

/// From this many cases and events on, an import into a database that no other connection has
/// open is written with a rollback journal instead of the write-ahead log (see
/// [`SqliteStore::import_transaction`]).
pub(crate) const ROLLBACK_JOURNAL_ROWS: usize = 50_000;

/// How often a large import's pages are flushed to disk while it writes (see
/// [`SqliteStore::import_transaction`]).
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Run `work`, which blocks (a large import writes for seconds), without stalling the other
/// tasks of a multi-threaded runtime.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

impl SqliteStore {
    /// Run `work` inside one write transaction (`BEGIN IMMEDIATE`: writers queue up instead of
    /// failing half-way on a busy lock): committed when `work` returns `Ok`, rolled back
    /// otherwise, so a failed import leaves the database as it was.
    ///
    /// In WAL mode every page of a large import is written twice, into the log and then by the
    /// checkpoint into the database: half of a million-case import. A rollback journal keeps
    /// only the old content of the pages the import changes, and pages added at the end of the
    /// file have none, so for an import into a new or mostly new database it writes almost
    /// nothing. A `large` import therefore first tries to switch the database to a rollback
    /// journal (with `synchronous = FULL`, its durable setting), when the store was opened with a
    /// single connection (`tianping import`; a server's pool never tries). SQLite allows the
    /// switch only while no other connection has the database open, and the attempt does not
    /// wait; otherwise (a running server, another process) the import goes through the
    /// write-ahead log as always. Afterwards the database returns to WAL.
    ///
    /// With the rollback journal, a thread beside the import flushes the database file to disk
    /// every [`FLUSH_EVERY`] (`fdatasync` on a file handle of its own), so that the commit's own
    /// flush finds little left to write: a tenth of a million-case import. That is safe because
    /// SQLite writes a page into the database file only after the journal that holds the
    /// page's old content is on disk; the flush only makes those writes durable sooner. A flush
    /// that fails fails the import before its commit. The handle is closed when the transaction
    /// has ended, before the switch back to WAL (see [`FlushedFile`]).
    pub(crate) async fn import_transaction<T, E: From<StoreError>>(
        &self,
        large: bool,
        work: impl FnOnce(&mut ImportTransaction<'_, '_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let large = large && self.may_skip_log;
        let mut connection = self.pool.acquire().await.map_err(StoreError::from)?;
        let mut handle = connection.lock_handle().await.map_err(StoreError::from)?;
        let db = Db::new(&mut handle);
        // No await from here to the end of the transaction: another import on this thread
        // must not start while this one holds the write lock.
        blocking(|| {
            let journal = large && switch_journal(&db, "delete");
            let flushed = FlushedFile {
                db: &db,
                file: journal
                    .then(|| db.file_name())
                    .flatten()
                    .and_then(|path| std::fs::File::open(path).ok()),
            };
            let flush_failed = AtomicBool::new(false);
            let result = std::thread::scope(|scope| {
                let (stop, stopped) = std::sync::mpsc::channel::<()>();
                if let Some(file) = &flushed.file {
                    let flush_failed = &flush_failed;
                    scope.spawn(move || {
                        while stopped.recv_timeout(FLUSH_EVERY) == Err(RecvTimeoutError::Timeout) {
                            if file.sync_data().is_err() {
                                flush_failed.store(true, Ordering::Relaxed);
                            }
                        }
                    });
                }
                let result = transaction(&db, |tx| {
                    let value = work(tx)?;
                    // A write the flusher could not put on disk may be lost: no commit then.
                    if flush_failed.load(Ordering::Relaxed) {
                        return Err(StoreError::Sqlite {
                            code: libsqlite3_sys::SQLITE_IOERR,
                            message: "flushing the database file to disk failed".to_owned(),
                            sql: String::new(),
                        }
                        .into());
                    }
                    Ok(value)
                });
                drop(stop);
                result
            });
            // The transaction has ended: the handle may be closed (see `FlushedFile`).
            drop(flushed);
            if journal && !switch_journal(&db, "wal") && result.is_ok() {
                return Err(StoreError::Corrupt(
                    "could not switch the database back to its write-ahead log".to_owned(),
                )
                .into());
            }
            result
        })
    }
}

/// Set the journal mode (`delete` or `wal`) if that can be done at once; whether it was.
fn switch_journal(db: &Db, mode: &str) -> bool {
    db.set_busy_timeout(0);
    let now = db.query_text(&format!("PRAGMA journal_mode = {mode}"));
    db.set_busy_timeout(BUSY_TIMEOUT.as_millis() as i32);
    let switched = matches!(now, Ok(Some(m)) if m.eq_ignore_ascii_case(mode));
    let synchronous = if mode == "wal" { "NORMAL" } else { "FULL" };
    switched
        && db
            .execute(&format!("PRAGMA synchronous = {synchronous}"))
            .is_ok()
}

/// The database file's handle of a large import's flusher. Closing any handle of a file drops
/// the process's POSIX locks on it, so it is closed only while the connection holds no
/// transaction (after its COMMIT or ROLLBACK). Otherwise (a panic in the import, a ROLLBACK that
/// failed) it is left open, as SQLite's own Unix layer leaves handles it cannot close yet; the
/// locks of the open transaction stay. (Other connections of this process to the same file
/// would lose theirs too; a large import switches journals only when there are none.)
struct FlushedFile<'db, 'lock> {
    db: &'db Db<'lock>,
    file: Option<std::fs::File>,
}

impl Drop for FlushedFile<'_, '_> {
    fn drop(&mut self) {
        if let Some(file) = self.file.take()
            && !self.db.autocommit()
        {
            std::mem::forget(file);
        }
    }
}

fn transaction<T, E: From<StoreError>>(
    db: &Db,
    work: impl FnOnce(&mut ImportTransaction<'_, '_>) -> Result<T, E>,
) -> Result<T, E> {
    db.register_row_table()?;
    db.execute("BEGIN IMMEDIATE")?;
    let result = db
        .query_int("SELECT value + 1 FROM meta WHERE key = 'data_version'")
        .map_err(E::from)
        .and_then(|version| work(&mut ImportTransaction { db, version }))
        .and_then(|value| {
            db.execute("COMMIT")?;
            Ok(value)
        });
    if result.is_err() {
        // Also after a failed COMMIT, which leaves the transaction open.
        let _ = db.execute("ROLLBACK");
    }
    result
}

/// An open import transaction.
#[derive(Debug)]
pub(crate) struct ImportTransaction<'db, 'lock> {
    db: &'db Db<'lock>,
    /// The data version the rows written get.
    version: i64,
}

impl<'db, 'lock> ImportTransaction<'db, 'lock> {
    /// A writer of cases that can take them in chunks.
    pub(crate) fn cases(&self) -> Result<Upsert<'db, 'lock, CaseRecord, 19>> {
        Upsert::new(
            self.db,
            "cases",
            "case_number",
            &CASE_COLUMNS,
            case_params,
            self.version,
        )
    }

    /// Mark where [`rollback_to_savepoint`](Self::rollback_to_savepoint) returns to.
    pub(crate) fn savepoint(&self) -> Result<()> {
        self.db.execute("SAVEPOINT streamed")
    }

    pub(crate) fn rollback_to_savepoint(&self) -> Result<()> {
        self.db.execute("ROLLBACK TO streamed")
    }

    /// Of `case_numbers`, those the database holds, as this transaction sees it.
    pub(crate) fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>> {
        let mut found = HashSet::new();
        let mut statement = self
            .db
            .prepare("SELECT count(*) FROM cases WHERE case_number = ?")?;
        for number in case_numbers {
            if statement.query_int(&[Param::Text(Some(number.as_str().into()))])? > 0 {
                found.insert(number.clone());
            }
        }
        Ok(found)
    }

    /// Write a checked batch: courts and cases upserted by key, events inserted unless an
    /// identical event exists, one import-log entry per file. `cases_written`: the batch's
    /// cases were written already (streamed while their file was read), with these counts.
    pub(crate) fn write(
        &mut self,
        batch: &ImportBatch,
        cases_written: Option<WriteCounts>,
    ) -> Result<ImportOutcome> {
        let mut courts = Upsert::new(
            self.db,
            "courts",
            "code",
            &COURT_COLUMNS,
            court_params,
            self.version,
        )?;
        courts.write(&batch.courts)?;
        let courts = courts.finish()?;
        let cases = match cases_written {
            Some(counts) => counts,
            None => {
                let mut cases = self.cases()?;
                cases.write(&batch.cases)?;
                cases.finish()?
            }
        };
        let events = self.insert_events(&batch.events)?;
        let mut log = self.db.prepare(
            "INSERT INTO import_log (at, user, file, kind, rows, imported, rejected) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?;
        for entry in &batch.log {
            let count = |n: u64| Param::Int(Some(n as i64));
            log.execute(&[
                Param::Text(Some(entry.at.as_str().into())),
                Param::Text(Some(entry.user.as_str().into())),
                Param::Text(Some(entry.file.as_str().into())),
                Param::Text(Some(entry.kind.as_str().into())),
                count(entry.rows),
                count(entry.imported),
                count(entry.rejected),
            ])?;
        }
        let changed =
            courts.inserted + courts.updated + cases.inserted + cases.updated + events.inserted;
        if changed > 0 {
            self.db
                .prepare("UPDATE meta SET value = ? WHERE key = 'data_version'")?
                .execute(&[Param::Int(Some(self.version))])?;
        }
        Ok(ImportOutcome {
            courts,
            cases,
            events,
        })
    }

    fn insert_events(&self, events: &[EventRecord]) -> Result<WriteCounts> {
        let mut insert = self.db.prepare(&format!(
            "INSERT OR IGNORE INTO events ({}, version) SELECT {}, {} FROM {}(?1)",
            EVENT_COLUMNS.join(", "),
            row_values(EVENT_COLUMNS.len()),
            self.version,
            row_table::name()
        ))?;
        let (inserted, _) = write_rows(&mut insert, events, event_params)?;
        Ok(WriteCounts {
            inserted,
            updated: 0,
            unchanged: events.len() as u64 - inserted,
        })
    }
}

/// The first `n` value columns of [`row_table`], to select.
fn row_values(n: usize) -> String {
    assert!(n <= row_table::MAX_COLUMNS);
    (0..n)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Run `statement`, which reads `tianping_rows(?1)`, over the parameters of `records`,
/// [`ROWS_PER_STATEMENT`] at a time: the rows it changed, and the records written.
fn write_rows<'r, T: 'r, const N: usize>(
    statement: &mut Statement<'_, '_>,
    records: impl IntoIterator<Item = &'r T>,
    params: for<'a> fn(&'a T) -> [Param<'a>; N],
) -> Result<(u64, u64)> {
    let mut records = records.into_iter().peekable();
    let mut buffer = Vec::with_capacity(ROWS_PER_STATEMENT * N);
    let (mut changed, mut written) = (0, 0);
    while records.peek().is_some() {
        buffer.clear();
        for record in records.by_ref().take(ROWS_PER_STATEMENT) {
            buffer.extend(params(record));
        }
        changed += statement.execute_rows(&ParamRows::new(&buffer, N))?;
        written += (buffer.len() / N) as u64;
    }
    Ok((changed, written))
}

/// `INSERT … ON CONFLICT(key) DO UPDATE SET … WHERE anything differs`, so the changes count
/// inserted plus really changed rows; unchanged rows are not rewritten and keep their version.
fn upsert_tail(key: &str, columns: &[&str], table: &str) -> String {
    let others: Vec<&&str> = columns.iter().filter(|c| **c != key).collect();
    let mut set: Vec<String> = others
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    // Only a row that really changed gets the new version (the WHERE below skips the others).
    set.push("version = excluded.version".to_owned());
    let differs: Vec<String> = others
        .iter()
        .map(|c| format!("{table}.{c} IS NOT excluded.{c}"))
        .collect();
    format!(
        " ON CONFLICT({key}) DO UPDATE SET {} WHERE {}",
        set.join(", "),
        differs.join(" OR ")
    )
}

/// Rows written by one run of the insert statement: enough that opening its cursors costs
/// nothing, few enough that their parameters stay in the processor's cache.
const ROWS_PER_STATEMENT: usize = 512;

/// Upserting records of one table, in as many calls as they come in, a run of one
/// `INSERT … SELECT` over [`row_table`] per [`ROWS_PER_STATEMENT`] of them.
#[derive(Debug)]
pub(crate) struct Upsert<'db, 'lock, T: 'static, const N: usize> {
    db: &'db Db<'lock>,
    statement: Statement<'db, 'lock>,
    count: String,
    before: i64,
    affected: u64,
    written: u64,
    params: for<'r> fn(&'r T) -> [Param<'r>; N],
}

impl<'db, 'lock, T: 'static, const N: usize> Upsert<'db, 'lock, T, N> {
    fn new(
        db: &'db Db<'lock>,
        table: &'static str,
        key: &str,
        columns: &[&str; N],
        params: for<'r> fn(&'r T) -> [Param<'r>; N],
        version: i64,
    ) -> Result<Self> {
        let count = format!("SELECT count(*) FROM {table}");
        let before = db.query_int(&count)?;
        // The version is the same for every row of the transaction: written into the statement
        // instead of bound with each row. `WHERE true` tells SQLite's parser that the ON below
        // starts the upsert, not a join constraint.
        let statement = db.prepare(&format!(
            "INSERT INTO {table} ({}, version) SELECT {}, {version} FROM {}(?1) WHERE true{}",
            columns.join(", "),
            row_values(N),
            row_table::name(),
            upsert_tail(key, columns, table)
        ))?;
        Ok(Upsert {
            db,
            statement,
            count,
            before,
            affected: 0,
            written: 0,
            params,
        })
    }

    pub(crate) fn write<'r>(&mut self, records: impl IntoIterator<Item = &'r T>) -> Result<()> {
        let (changed, written) = write_rows(&mut self.statement, records, self.params)?;
        self.affected += changed;
        self.written += written;
        Ok(())
    }

    /// Inserted: the table's growth; updated: the other rows that changed.
    pub(crate) fn finish(self) -> Result<WriteCounts> {
        let inserted = (self.db.query_int(&self.count)? - self.before) as u64;
        Ok(WriteCounts {
            inserted,
            updated: self.affected - inserted,
            unchanged: self.written - self.affected,
        })
    }
}
