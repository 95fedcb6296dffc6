//! The connections of a SQLite store: one writer, and a few readers beside it.
//!
//! SQLite lets one connection write at a time; in WAL mode readers on other connections go on
//! reading the last committed state meanwhile. So every write (an import, a session, an audit
//! line) goes through the one writer connection, taken in turn, and reads take a connection
//! of their own, opened when needed and kept for the next read, at most [`CONNECTIONS`] - 1 of
//! them. An in-memory database exists only on its one connection, and a store opened with a
//! single connection (`tianping import`) keeps only that one: there reads use the writer.
//!
//! No connection ever goes back to the pool inside a transaction: a guard that finds one open
//! when it is dropped (an error that skipped the rollback, a panic) rolls it back, and when
//! even that fails the connection is closed, which ends the transaction and its locks.
//!
//! [`CONNECTIONS`]: super::CONNECTIONS

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OpenFlags};

use super::BUSY_TIMEOUT;
use crate::{Result, SqliteLocation, StoreError};

/// The connections of one store.
#[derive(Debug)]
pub(crate) struct Pool {
    location: SqliteLocation,
    /// `None` before the first write after a connection had to be closed, and after
    /// [`Pool::close`].
    writer: Mutex<Option<Connection>>,
    /// `None`: reads use the writer.
    readers: Option<Readers>,
    closed: AtomicBool,
}

#[derive(Debug)]
struct Readers {
    state: Mutex<ReaderState>,
    returned: Condvar,
    max: usize,
}

#[derive(Debug)]
struct ReaderState {
    idle: Vec<Connection>,
    /// Open reader connections, idle or in use.
    open: usize,
}

/// A lock that a panic elsewhere does not make unusable: what it protects is checked anyway
/// (a connection's transaction state), not assumed.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn closed() -> StoreError {
    StoreError::Closed
}

/// Open one connection with the settings every connection gets.
fn connect(location: &SqliteLocation) -> rusqlite::Result<Connection> {
    let connection = match location {
        SqliteLocation::Memory => Connection::open_in_memory()?,
        // No URI parsing: a path is a path, `?` and all.
        SqliteLocation::File(path) => Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
    };
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // 16 KiB pages: fewer B-tree splits on bulk imports (about 20% faster on a million cases).
    // A new database takes the size at its first write; for an existing one this only tells
    // the page cache the size it will find. That must come before the cache's size in KiB:
    // SQLite turns that into a number of pages with the page size it knows then (with the
    // default 4 KiB, 64 MiB would become 256 MiB of 16 KiB pages).
    connection.execute_batch(
        "PRAGMA page_size = 16384; PRAGMA cache_size = -65536; PRAGMA synchronous = NORMAL; \
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(connection)
}

/// End a transaction the connection was left in; whether none is open now.
fn end_transaction(connection: &Connection) -> bool {
    if !connection.is_autocommit() {
        let _ = connection.execute_batch("ROLLBACK");
    }
    connection.is_autocommit()
}

impl Pool {
    /// A pool of at most `connections` connections (one for an in-memory database), with its
    /// writer open: `first` prepares it (settings kept in the file, migrations).
    pub(crate) fn open(
        location: SqliteLocation,
        connections: u32,
        first: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<Pool> {
        let writer = connect(&location)?;
        first(&writer)?;
        let readers = match location {
            SqliteLocation::File(_) if connections > 1 => Some(Readers {
                state: Mutex::new(ReaderState {
                    idle: Vec::new(),
                    open: 0,
                }),
                returned: Condvar::new(),
                max: connections as usize - 1,
            }),
            _ => None,
        };
        Ok(Pool {
            location,
            writer: Mutex::new(Some(writer)),
            readers,
            closed: AtomicBool::new(false),
        })
    }

    pub(crate) fn location(&self) -> &SqliteLocation {
        &self.location
    }

    /// The writer connection, once the writes before are done.
    pub(crate) fn writer(&self) -> Result<Writer<'_>> {
        let mut slot = lock(&self.writer);
        if self.closed.load(Ordering::Acquire) {
            return Err(closed());
        }
        // Never the case after a `Writer` was dropped; checked all the same.
        if slot.as_ref().is_some_and(|c| !end_transaction(c)) {
            slot.take();
        }
        if slot.is_none() {
            // Only a file database's connection is ever closed (see `Writer::drop`).
            *slot = Some(connect(&self.location)?);
        }
        Ok(Writer {
            slot,
            memory: self.location == SqliteLocation::Memory,
        })
    }

    /// A connection to read on: one of the readers, or the writer when there are none.
    pub(crate) fn reader(&self) -> Result<Reader<'_>> {
        let Some(readers) = &self.readers else {
            return Ok(Reader::Writer(self.writer()?));
        };
        let mut state = lock(&readers.state);
        loop {
            if self.closed.load(Ordering::Acquire) {
                return Err(closed());
            }
            if let Some(connection) = state.idle.pop() {
                return Ok(Reader::Own(Own {
                    connection: Some(connection),
                    pool: self,
                    readers,
                }));
            }
            if state.open < readers.max {
                state.open += 1;
                drop(state);
                return match connect(&self.location) {
                    Ok(connection) => Ok(Reader::Own(Own {
                        connection: Some(connection),
                        pool: self,
                        readers,
                    })),
                    Err(e) => {
                        lock(&readers.state).open -= 1;
                        readers.returned.notify_one();
                        Err(e.into())
                    }
                };
            }
            state = readers
                .returned
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Close every connection: the idle ones now, those in use when they come back. The
    /// writer closes last (once its work is done), and SQLite then folds the write-ahead log
    /// into the database file.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Some(readers) = &self.readers {
            let idle = {
                let mut state = lock(&readers.state);
                state.open -= state.idle.len();
                std::mem::take(&mut state.idle)
            };
            drop(idle);
            readers.returned.notify_all();
        }
        drop(lock(&self.writer).take());
    }
}

/// The writer connection, held until dropped.
#[derive(Debug)]
pub(crate) struct Writer<'p> {
    slot: MutexGuard<'p, Option<Connection>>,
    memory: bool,
}

impl Deref for Writer<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.slot.as_ref().expect("a writer holds its connection")
    }
}

impl Drop for Writer<'_> {
    fn drop(&mut self) {
        // A connection still in a transaction would keep the write lock for the next user.
        // Closing it ends the transaction; an in-memory database would be lost with it, so
        // that one stays (its transaction blocks no one else).
        if let Some(connection) = self.slot.as_ref()
            && !end_transaction(connection)
            && !self.memory
        {
            self.slot.take();
        }
    }
}

/// A reader connection, held until dropped.
#[derive(Debug)]
pub(crate) enum Reader<'p> {
    /// The store has no readers: the writer reads.
    Writer(Writer<'p>),
    Own(Own<'p>),
}

#[derive(Debug)]
pub(crate) struct Own<'p> {
    connection: Option<Connection>,
    pool: &'p Pool,
    readers: &'p Readers,
}

impl Deref for Reader<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Reader::Writer(writer) => writer,
            Reader::Own(own) => own
                .connection
                .as_ref()
                .expect("a reader holds its connection"),
        }
    }
}

impl Drop for Own<'_> {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        let keep = end_transaction(&connection) && !self.pool.closed.load(Ordering::Acquire);
        let mut state = lock(&self.readers.state);
        if keep {
            state.idle.push(connection);
        } else {
            state.open -= 1;
            drop(state);
            drop(connection);
        }
        self.readers.returned.notify_one();
    }
}
