//! Writing imports into SQLite: one transaction on the writer connection, the rows of an
//! import [`ROWS_PER_STATEMENT`] at a time through one multi-row `INSERT … VALUES` statement,
//! prepared once per import.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Statement, Transaction, TransactionBehavior};
use tianping_domain::{CaseRecord, EventRecord};

use super::{BUSY_TIMEOUT, SqliteStore};
use crate::rows::{
    CASE_COLUMNS, COURT_COLUMNS, EVENT_COLUMNS, Param, case_params, court_params, event_params,
    iso_date,
};
use crate::{ImportBatch, ImportOutcome, Result, StoreError, WriteCounts};

/// From this many cases and events on, an import into a database that no other connection has
/// open is written with a rollback journal instead of the write-ahead log (see
/// [`SqliteStore::import_transaction`]).
pub(crate) const ROLLBACK_JOURNAL_ROWS: usize = 50_000;

/// How often a large import's pages are flushed to disk while it writes (see
/// [`SqliteStore::import_transaction`]).
const FLUSH_EVERY: Duration = Duration::from_millis(200);

/// Run `work`, which blocks (a large import writes for seconds) and borrows from the caller,
/// without stalling the other tasks of a multi-threaded runtime. (A current-thread runtime
/// has no other worker to hand them to: there `work` simply runs.)
pub(crate) fn blocking<T>(work: impl FnOnce() -> T) -> T {
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
    /// otherwise, so a failed import leaves the database as it was. The transaction is a guard:
    /// when `work` panics, it is rolled back as the panic passes, and the writer connection is
    /// never handed on inside a transaction (see [`super::pool`]).
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
    /// write-ahead log as always. Afterwards (also after a panic) the database returns to WAL.
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
        work: impl FnOnce(&mut ImportTransaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        // No await from here to the end of the transaction: the writer is held throughout.
        blocking(|| self.import_transaction_now(large, work))
    }

    fn import_transaction_now<T, E: From<StoreError>>(
        &self,
        large: bool,
        work: impl FnOnce(&mut ImportTransaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let writer = self.pool.writer()?;
        let connection: &Connection = &writer;
        let journal = RollbackJournal::try_switch(connection, large && self.may_skip_log);
        let flushed = FlushedFile {
            connection,
            file: journal
                .switched
                .then(|| connection.path().filter(|p| !p.is_empty()))
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
            // The flusher stops when `stop` is dropped: here, or as a panic passes.
            let _stop = stop;
            transaction(connection, |tx| {
                let value = work(tx)?;
                // A write the flusher could not put on disk may be lost: no commit then.
                if flush_failed.load(Ordering::Relaxed) {
                    return Err(StoreError::Corrupt(
                        "flushing the database file to disk failed".to_owned(),
                    )
                    .into());
                }
                Ok(value)
            })
        });
        // The transaction has ended: the handle may be closed (see `FlushedFile`).
        drop(flushed);
        if !journal.switch_back() && result.is_ok() {
            return Err(StoreError::Corrupt(
                "could not switch the database back to its write-ahead log".to_owned(),
            )
            .into());
        }
        result
    }
}

/// Set the journal mode (`delete` or `wal`) if that can be done at once; whether it was.
fn switch_journal(connection: &Connection, mode: &str) -> bool {
    let _ = connection.busy_timeout(Duration::ZERO);
    let now: rusqlite::Result<String> =
        connection.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |row| {
            row.get(0)
        });
    let _ = connection.busy_timeout(BUSY_TIMEOUT);
    let switched = matches!(now, Ok(m) if m.eq_ignore_ascii_case(mode));
    let synchronous = if mode == "wal" { "NORMAL" } else { "FULL" };
    switched
        && connection
            .execute_batch(&format!("PRAGMA synchronous = {synchronous}"))
            .is_ok()
}

/// A large import's switch to the rollback journal, undone when dropped (after a panic too).
struct RollbackJournal<'c> {
    connection: &'c Connection,
    switched: bool,
}

impl<'c> RollbackJournal<'c> {
    fn try_switch(connection: &'c Connection, wanted: bool) -> RollbackJournal<'c> {
        RollbackJournal {
            connection,
            switched: wanted && switch_journal(connection, "delete"),
        }
    }

    /// Back to WAL; whether the database is in the mode it had before.
    fn switch_back(mut self) -> bool {
        let switched = std::mem::take(&mut self.switched);
        !switched || switch_journal(self.connection, "wal")
    }
}

impl Drop for RollbackJournal<'_> {
    fn drop(&mut self) {
        if self.switched {
            switch_journal(self.connection, "wal");
        }
    }
}

/// The database file's handle of a large import's flusher. Closing any handle of a file drops
/// the process's POSIX locks on it, so it is closed only while the connection holds no
/// transaction (after its COMMIT or ROLLBACK). Otherwise (a ROLLBACK that failed) it is left
/// open, as SQLite's own Unix layer leaves handles it cannot close yet; the locks of the open
/// transaction stay until the connection itself is closed. (Other connections of this process
/// to the same file would lose theirs too; a large import switches journals only when there
/// are none.)
struct FlushedFile<'c> {
    connection: &'c Connection,
    file: Option<std::fs::File>,
}

impl Drop for FlushedFile<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.file.take()
            && !self.connection.is_autocommit()
        {
            std::mem::forget(file);
        }
    }
}

fn transaction<T, E: From<StoreError>>(
    connection: &Connection,
    work: impl FnOnce(&mut ImportTransaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    // Rolled back when dropped uncommitted: on an error below, or as a panic passes.
    let transaction = Transaction::new_unchecked(connection, TransactionBehavior::Immediate)
        .map_err(StoreError::from)?;
    let version: i64 = transaction
        .query_row(
            "SELECT value + 1 FROM meta WHERE key = 'data_version'",
            [],
            |row| row.get(0),
        )
        .map_err(StoreError::from)?;
    let value = work(&mut ImportTransaction {
        connection: &transaction,
        version,
    })?;
    transaction.commit().map_err(StoreError::from)?;
    Ok(value)
}

/// An open import transaction.
#[derive(Debug)]
pub(crate) struct ImportTransaction<'c> {
    connection: &'c Connection,
    /// The data version the rows written get.
    version: i64,
}

impl<'c> ImportTransaction<'c> {
    /// A writer of cases that can take them in chunks.
    pub(crate) fn cases(&self) -> Result<Upsert<'c, CaseRecord, 19>> {
        Upsert::new(
            self.connection,
            "cases",
            "case_number",
            &CASE_COLUMNS,
            case_params,
            self.version,
        )
    }

    /// Mark where [`rollback_to_savepoint`](Self::rollback_to_savepoint) returns to.
    pub(crate) fn savepoint(&self) -> Result<()> {
        Ok(self.connection.execute_batch("SAVEPOINT streamed")?)
    }

    pub(crate) fn rollback_to_savepoint(&self) -> Result<()> {
        Ok(self.connection.execute_batch("ROLLBACK TO streamed")?)
    }

    /// Of `case_numbers`, those the database holds, as this transaction sees it.
    pub(crate) fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>> {
        super::existing_case_numbers(self.connection, case_numbers)
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
            self.connection,
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
        let mut log = self.connection.prepare_cached(
            "INSERT INTO import_log (at, user, file, kind, rows, imported, rejected) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for entry in &batch.log {
            log.execute((
                &entry.at,
                &entry.user,
                &entry.file,
                &entry.kind,
                entry.rows as i64,
                entry.imported as i64,
                entry.rejected as i64,
            ))?;
        }
        let changed =
            courts.inserted + courts.updated + cases.inserted + cases.updated + events.inserted;
        if changed > 0 {
            self.connection.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'data_version'",
                [self.version],
            )?;
        }
        Ok(ImportOutcome {
            courts,
            cases,
            events,
        })
    }

    fn insert_events(&self, events: &[EventRecord]) -> Result<WriteCounts> {
        let head = format!(
            "INSERT OR IGNORE INTO events ({}, version) VALUES ",
            EVENT_COLUMNS.join(", ")
        );
        let mut insert = MultiRow::new(self.connection, head, String::new(), self.version);
        let (inserted, _) = insert.write(events, event_params)?;
        Ok(WriteCounts {
            inserted,
            updated: 0,
            unchanged: events.len() as u64 - inserted,
        })
    }
}

/// Rows written by one run of the insert statement: enough that opening its cursors costs
/// nothing, few enough that their parameters stay in the processor's cache (and well within
/// SQLite's 32,766 parameters a statement).
const ROWS_PER_STATEMENT: usize = 512;

/// The statement sizes (rows) a run of rows is written in: as many of the largest as fit, the
/// rest in smaller ones, so that a chunk of any length needs at most four statements, each
/// prepared once per import.
const STATEMENT_ROWS: [usize; 4] = [ROWS_PER_STATEMENT, 64, 8, 1];

/// One multi-row statement, `head VALUES (?, …, version), (…) tail`, in the sizes of
/// [`STATEMENT_ROWS`], each prepared when first needed.
struct MultiRow<'c> {
    connection: &'c Connection,
    head: String,
    tail: String,
    version: i64,
    statements: [Option<Bound<'c>>; STATEMENT_ROWS.len()],
}

/// A prepared statement and the values its parameters hold: SQLite keeps a parameter's value
/// from one run to the next, so one that would get the same value again is left as it is.
/// Binding a text costs SQLite an allocation and a copy (a third of a large import's writing);
/// a court code, a type code, an empty column often repeat from one run to the next.
struct Bound<'c> {
    statement: Statement<'c>,
    values: Vec<Held>,
}

/// What a parameter holds.
#[derive(Debug, Clone, PartialEq)]
enum Held {
    Unknown,
    Null,
    Int(i64),
    Date(chrono::NaiveDate),
    Text(String),
}

impl std::fmt::Debug for MultiRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MultiRow")
            .field("head", &self.head)
            .finish()
    }
}

impl<'c> MultiRow<'c> {
    fn new(connection: &'c Connection, head: String, tail: String, version: i64) -> Self {
        MultiRow {
            connection,
            head,
            tail,
            version,
            statements: Default::default(),
        }
    }

    /// The statement of `STATEMENT_ROWS[size]` rows of `width` values.
    fn statement(&mut self, size: usize, width: usize) -> Result<&mut Bound<'c>> {
        if self.statements[size].is_none() {
            let row = format!("({}{})", "?, ".repeat(width), self.version);
            let rows = vec![row; STATEMENT_ROWS[size]].join(", ");
            let sql = format!("{}{rows}{}", self.head, self.tail);
            self.statements[size] = Some(Bound {
                statement: self.connection.prepare(&sql)?,
                values: vec![Held::Unknown; STATEMENT_ROWS[size] * width],
            });
        }
        Ok(self.statements[size].as_mut().expect("prepared just above"))
    }

    /// Write `records`: the rows the statements changed, and the records written.
    fn write<'r, T: 'r, const N: usize>(
        &mut self,
        records: impl IntoIterator<Item = &'r T>,
        params: for<'a> fn(&'a T) -> [Param<'a>; N],
    ) -> Result<(u64, u64)> {
        let mut records = records.into_iter().peekable();
        // The parameters of one statement's run, borrowed from its records.
        let mut buffer = Vec::with_capacity(ROWS_PER_STATEMENT * N);
        let (mut changed, mut written) = (0, 0);
        while records.peek().is_some() {
            buffer.clear();
            for record in records.by_ref().take(ROWS_PER_STATEMENT) {
                buffer.extend(params(record));
            }
            let mut rows = buffer.as_slice();
            for (size, &count) in STATEMENT_ROWS.iter().enumerate() {
                while rows.len() >= count * N {
                    let (these, rest) = rows.split_at(count * N);
                    changed += self.statement(size, N)?.run(these)?;
                    written += count as u64;
                    rows = rest;
                }
            }
        }
        Ok((changed, written))
    }
}

impl Bound<'_> {
    /// Bind `params` to the statement's parameters in order (those that differ from what
    /// they hold) and run it: the rows it changed. SQLite copies each text as it is bound.
    fn run(&mut self, params: &[Param<'_>]) -> Result<u64> {
        for ((i, param), held) in params.iter().enumerate().zip(&mut self.values) {
            let index = i + 1;
            let same = match (param, &*held) {
                (Param::Text(Some(text)), Held::Text(now)) => text == now,
                (Param::Date(Some(date)), Held::Date(now)) => date == now,
                (Param::Int(Some(value)), Held::Int(now)) => value == now,
                (Param::Text(None) | Param::Date(None) | Param::Int(None), Held::Null) => true,
                _ => false,
            };
            if same {
                continue;
            }
            // Unknown until the binding succeeded (an error ends the import anyway).
            let was = std::mem::replace(held, Held::Unknown);
            match param {
                Param::Text(Some(text)) => {
                    self.statement.raw_bind_parameter(index, *text)?;
                    *held = match was {
                        Held::Text(mut kept) => {
                            kept.clear();
                            kept.push_str(text);
                            Held::Text(kept)
                        }
                        _ => Held::Text((*text).to_owned()),
                    };
                }
                Param::Date(Some(date)) => {
                    let iso = iso_date(*date);
                    self.statement
                        .raw_bind_parameter(index, ToSqlOutput::Borrowed(ValueRef::Text(&iso)))?;
                    *held = Held::Date(*date);
                }
                Param::Int(Some(value)) => {
                    self.statement.raw_bind_parameter(index, *value)?;
                    *held = Held::Int(*value);
                }
                Param::Text(None) | Param::Date(None) | Param::Int(None) => {
                    self.statement
                        .raw_bind_parameter(index, rusqlite::types::Null)?;
                    *held = Held::Null;
                }
            }
        }
        Ok(self.statement.raw_execute()? as u64)
    }
}

/// `ON CONFLICT(key) DO UPDATE SET … WHERE anything differs`, so the changes count inserted
/// plus really changed rows; unchanged rows are not rewritten and keep their version.
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

/// Upserting records of one table, in as many calls as they come in, through one multi-row
/// `INSERT … VALUES … ON CONFLICT … DO UPDATE` per [`ROWS_PER_STATEMENT`] of them. The upsert
/// applies to each row in turn, so a key repeated in an import ends as its last row.
#[derive(Debug)]
pub(crate) struct Upsert<'c, T: 'static, const N: usize> {
    connection: &'c Connection,
    statement: MultiRow<'c>,
    count: String,
    before: i64,
    affected: u64,
    written: u64,
    params: for<'r> fn(&'r T) -> [Param<'r>; N],
}

impl<'c, T: 'static, const N: usize> Upsert<'c, T, N> {
    fn new(
        connection: &'c Connection,
        table: &'static str,
        key: &str,
        columns: &[&str; N],
        params: for<'r> fn(&'r T) -> [Param<'r>; N],
        version: i64,
    ) -> Result<Self> {
        let count = format!("SELECT count(*) FROM {table}");
        let before = connection.query_row(&count, [], |row| row.get(0))?;
        // The version is the same for every row of the transaction: written into the statement
        // instead of bound with each row.
        let statement = MultiRow::new(
            connection,
            format!(
                "INSERT INTO {table} ({}, version) VALUES ",
                columns.join(", ")
            ),
            upsert_tail(key, columns, table),
            version,
        );
        Ok(Upsert {
            connection,
            statement,
            count,
            before,
            affected: 0,
            written: 0,
            params,
        })
    }

    pub(crate) fn write<'r>(&mut self, records: impl IntoIterator<Item = &'r T>) -> Result<()> {
        let (changed, written) = self.statement.write(records, self.params)?;
        self.affected += changed;
        self.written += written;
        Ok(())
    }

    /// Inserted: the table's growth; updated: the other rows that changed.
    pub(crate) fn finish(self) -> Result<WriteCounts> {
        let after: i64 = self
            .connection
            .query_row(&self.count, [], |row| row.get(0))?;
        let inserted = (after - self.before) as u64;
        Ok(WriteCounts {
            inserted,
            updated: self.affected - inserted,
            unchanged: self.written - self.affected,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use tianping_domain::time_limit::AppealObject;

    use super::*;
    use crate::{CaseStore, ImportStore, MaintenanceStore};

    fn case() -> CaseRecord {
        CaseRecord {
            case_number: "（2023）皖0202民初1号".into(),
            court_code: "皖0202".into(),
            type_code: None,
            type_name: None,
            procedure: None,
            cause: None,
            received_date: None,
            filed_date: chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
            division: None,
            judge: None,
            closed_date: None,
            closing_mode: None,
            disposal: None,
            claim_amount: None,
            recovered_amount: None,
            origin_case_number: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
        }
    }

    #[test]
    fn a_panic_in_an_import_rolls_it_back_and_leaves_no_lock_behind() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        // A server's store (WAL), and a one-shot command's with a large import (rollback
        // journal, flusher thread).
        for (connections, large) in [(4, false), (1, true)] {
            let store = runtime
                .block_on(SqliteStore::open_with(path.to_str().unwrap(), connections))
                .unwrap();
            let panicked = catch_unwind(AssertUnwindSafe(|| {
                runtime.block_on(store.import_transaction(large, |tx| -> Result<()> {
                    let mut cases = tx.cases()?;
                    cases.write(&[case()])?;
                    panic!("in the middle of an import");
                }))
            }));
            assert!(panicked.is_err());
            // No lock left: a connection of its own writes at once.
            let other = Connection::open(&path).unwrap();
            other.busy_timeout(Duration::ZERO).unwrap();
            other
                .execute(
                    "UPDATE meta SET value = value WHERE key = 'data_version'",
                    [],
                )
                .unwrap();
            drop(other);
            // Nothing of the import is there, the store writes on, in WAL mode again.
            assert_eq!(runtime.block_on(store.counts()).unwrap(), (0, 0, 0));
            let outcome = runtime
                .block_on(store.apply_import(&ImportBatch {
                    cases: vec![case()],
                    ..ImportBatch::default()
                }))
                .unwrap();
            assert_eq!(outcome.cases.inserted, 1);
            let journal: String = runtime
                .block_on(
                    store.with_connection(|c| c.query_row("PRAGMA journal_mode", [], |r| r.get(0))),
                )
                .unwrap();
            assert_eq!(journal, "wal");
            runtime.block_on(store.close());
            std::fs::remove_file(&path).unwrap();
        }
    }
}
