//! SQLite's C interface, used for the one job sqlx is slow at: writing a large import.
//!
//! sqlx wraps every bound text in an `Arc`, sends every statement to its worker thread and
//! back, and re-binds parameters through its own argument buffers; on a million cases that was
//! most of the import's time. Here one statement is prepared once and run over the records it
//! borrows (`SQLITE_STATIC`: no copy): the rows of an import through [`super::row_table`], a few
//! hundred per step, other statements with their parameters bound one by one.
//!
//! This and [`super::row_table`] are the crate's only unsafe code. The connection comes from sqlx's
//! `LockedSqliteHandle`, which guarantees that sqlx's worker makes no call on it while the lock
//! is held; the wrapper types below borrow that lock, so they cannot outlive it. The
//! `libsqlite3-sys` version is the one sqlx links (`Cargo.toml` pins it beside sqlx).
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_int};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;

use super::row_table::ParamRows;
use crate::rows::{Param, iso_date};
use crate::{Result, StoreError};

/// At most this many dates in one row (cases have three).
const MAX_DATES: usize = 8;

/// An open connection, borrowed from sqlx's lock for as long as `'lock`.
#[derive(Debug)]
pub(crate) struct Db<'lock> {
    raw: NonNull<ffi::sqlite3>,
    _lock: PhantomData<&'lock mut ()>,
}

impl<'lock> Db<'lock> {
    /// The connection of a locked sqlx handle.
    pub(crate) fn new(handle: &'lock mut sqlx::sqlite::LockedSqliteHandle<'_>) -> Db<'lock> {
        Db {
            raw: handle.as_raw_handle(),
            _lock: PhantomData,
        }
    }

    fn error(&self, code: c_int, sql: &str) -> StoreError {
        // SAFETY: the connection is open; sqlite3_errmsg returns a NUL-terminated string owned by
        // SQLite, copied before any other call.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.raw.as_ptr())) }
            .to_string_lossy()
            .into_owned();
        StoreError::Sqlite {
            code,
            message,
            sql: sql.chars().take(80).collect(),
        }
    }

    /// Run `sql` (one or more statements without results).
    pub(crate) fn execute(&self, sql: &str) -> Result<()> {
        let text = CString::new(sql).map_err(|_| StoreError::Corrupt("NUL in SQL".to_owned()))?;
        // SAFETY: open connection, NUL-terminated SQL, no callback, no error buffer.
        let code = unsafe {
            ffi::sqlite3_exec(
                self.raw.as_ptr(),
                text.as_ptr(),
                None,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(code, sql))
        }
    }

    pub(crate) fn prepare<'db>(&'db self, sql: &str) -> Result<Statement<'db, 'lock>> {
        let mut raw = ptr::null_mut();
        // SAFETY: open connection; SQL passed with its length (need not be NUL-terminated).
        let code = unsafe {
            ffi::sqlite3_prepare_v2(
                self.raw.as_ptr(),
                sql.as_ptr().cast::<c_char>(),
                c_int::try_from(sql.len()).expect("SQL shorter than 2 GiB"),
                &mut raw,
                ptr::null_mut(),
            )
        };
        match NonNull::new(raw) {
            Some(raw) if code == ffi::SQLITE_OK => {
                // SAFETY: a prepared statement.
                let parameters = unsafe { ffi::sqlite3_bind_parameter_count(raw.as_ptr()) };
                Ok(Statement {
                    db: self,
                    raw,
                    parameters: usize::try_from(parameters).unwrap_or(0),
                    sql: sql.chars().take(80).collect(),
                })
            }
            _ => Err(self.error(code, sql)),
        }
    }

    /// The first column of the first row of `sql`, as an integer.
    pub(crate) fn query_int(&self, sql: &str) -> Result<i64> {
        self.prepare(sql)?.query_int(&[])
    }

    /// The first column of the first row of `sql`, as text (`None` for NULL or no row).
    pub(crate) fn query_text(&self, sql: &str) -> Result<Option<String>> {
        self.prepare(sql)?.query_text(&[])
    }

    /// How long a statement waits for another connection's lock before failing with "database
    /// is locked".
    pub(crate) fn set_busy_timeout(&self, milliseconds: i32) {
        // SAFETY: open connection.
        unsafe { ffi::sqlite3_busy_timeout(self.raw.as_ptr(), milliseconds) };
    }

    /// Make `tianping_rows(?1)` ([`super::row_table`]) available on this connection.
    pub(crate) fn register_row_table(&self) -> Result<()> {
        // SAFETY: open connection, used by no other thread while the lock is held.
        let code = unsafe { super::row_table::register(self.raw.as_ptr()) };
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(code, "register tianping_rows"))
        }
    }

    /// Whether no transaction is open.
    pub(crate) fn autocommit(&self) -> bool {
        // SAFETY: open connection.
        unsafe { ffi::sqlite3_get_autocommit(self.raw.as_ptr()) != 0 }
    }

    /// The path of the main database file; `None` for an in-memory database.
    pub(crate) fn file_name(&self) -> Option<std::path::PathBuf> {
        // SAFETY: open connection; the returned string (or null) is owned by SQLite and copied
        // before any other call.
        let name = unsafe { ffi::sqlite3_db_filename(self.raw.as_ptr(), c"main".as_ptr()) };
        if name.is_null() {
            return None;
        }
        // SAFETY: non-null, NUL-terminated.
        let name = unsafe { CStr::from_ptr(name) }.to_bytes();
        #[cfg(unix)]
        let path = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
        #[cfg(not(unix))]
        let path = std::str::from_utf8(name).ok()?;
        (!name.is_empty()).then(|| std::path::PathBuf::from(path))
    }

    /// Rows inserted, updated or deleted by the statement that ran last.
    fn changes(&self) -> u64 {
        // SAFETY: open connection.
        u64::try_from(unsafe { ffi::sqlite3_changes64(self.raw.as_ptr()) }).unwrap_or(0)
    }
}

/// A prepared statement; finalized when dropped.
#[derive(Debug)]
pub(crate) struct Statement<'db, 'lock> {
    db: &'db Db<'lock>,
    raw: NonNull<ffi::sqlite3_stmt>,
    parameters: usize,
    sql: String,
}

impl Statement<'_, '_> {
    /// Bind every parameter, run the statement to its first row (or its end), and hand that row
    /// to `read` before the statement is reset.
    fn run<T>(&mut self, params: &[Param<'_>], read: impl FnOnce(bool) -> T) -> Result<T> {
        assert_eq!(
            params.len(),
            self.parameters,
            "parameters of `{}`",
            self.sql
        );
        let stmt = self.raw.as_ptr();
        // Dates are written into these buffers, which live until the step is done.
        let mut dates = [[0u8; 10]; MAX_DATES];
        let mut next_date = dates.iter_mut();
        for (i, param) in params.iter().enumerate() {
            let index = c_int::try_from(i + 1).expect("fewer than 2^31 parameters");
            // SAFETY: `stmt` is prepared and `index` within its parameter count. Texts are bound
            // SQLITE_STATIC: SQLite reads them only during the step below, and they (`params`,
            // `dates`) outlive it; every parameter is bound again before the next step.
            let code = unsafe {
                match param {
                    Param::Text(Some(text)) => bind_text(stmt, index, text),
                    Param::Date(Some(date)) => {
                        let buffer = next_date.next().expect("at most MAX_DATES dates a row");
                        *buffer = iso_date(*date);
                        bind_bytes(stmt, index, buffer)
                    }
                    Param::Int(Some(value)) => ffi::sqlite3_bind_int64(stmt, index, *value),
                    Param::Text(None) | Param::Date(None) | Param::Int(None) => {
                        ffi::sqlite3_bind_null(stmt, index)
                    }
                }
            };
            if code != ffi::SQLITE_OK {
                return Err(self.db.error(code, &self.sql));
            }
        }
        // SAFETY: a prepared statement with every parameter bound.
        let code = unsafe { ffi::sqlite3_step(stmt) };
        let result = match code {
            ffi::SQLITE_ROW => Ok(read(true)),
            ffi::SQLITE_DONE => Ok(read(false)),
            _ => Err(self.db.error(code, &self.sql)),
        };
        // SAFETY: as above. The error of a failed step was read already.
        unsafe { ffi::sqlite3_reset(stmt) };
        result
    }

    /// Run the statement once with `params`; the number of rows it changed.
    pub(crate) fn execute(&mut self, params: &[Param<'_>]) -> Result<u64> {
        self.run(params, |_| ())?;
        Ok(self.db.changes())
    }

    /// Run the statement once over `rows`, its only parameter (`tianping_rows(?1)`); the
    /// number of rows it changed.
    pub(crate) fn execute_rows(&mut self, rows: &ParamRows<'_>) -> Result<u64> {
        assert_eq!(self.parameters, 1, "parameters of `{}`", self.sql);
        let stmt = self.raw.as_ptr();
        let (pointer, tag) = rows.pointer();
        // SAFETY: a prepared statement with one parameter. The pointer is read only during the
        // step, which `rows` outlives, and it is unbound again before this returns.
        unsafe {
            let code = ffi::sqlite3_bind_pointer(stmt, 1, pointer, tag.as_ptr(), None);
            if code != ffi::SQLITE_OK {
                return Err(self.db.error(code, &self.sql));
            }
            let code = ffi::sqlite3_step(stmt);
            let result = if code == ffi::SQLITE_DONE {
                Ok(self.db.changes())
            } else {
                Err(self.db.error(code, &self.sql))
            };
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
            result
        }
    }

    pub(crate) fn query_int(&mut self, params: &[Param<'_>]) -> Result<i64> {
        let stmt = self.raw.as_ptr();
        // SAFETY: column 0 of the current row, read before the reset.
        self.run(params, |row| {
            row.then(|| unsafe { ffi::sqlite3_column_int64(stmt, 0) })
        })?
        .ok_or_else(|| StoreError::Corrupt(format!("no row from `{}`", self.sql)))
    }

    pub(crate) fn query_text(&mut self, params: &[Param<'_>]) -> Result<Option<String>> {
        let stmt = self.raw.as_ptr();
        self.run(params, |row| {
            if !row {
                return None;
            }
            // SAFETY: column 0 of the current row; the pointer is valid until the reset, and
            // the bytes are copied before it.
            unsafe {
                let text = ffi::sqlite3_column_text(stmt, 0);
                if text.is_null() {
                    return None;
                }
                let len = usize::try_from(ffi::sqlite3_column_bytes(stmt, 0)).unwrap_or(0);
                let bytes = std::slice::from_raw_parts(text, len);
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
        })
    }
}

impl Drop for Statement<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: finalized exactly once; the bound pointers are not read by finalize.
        unsafe { ffi::sqlite3_finalize(self.raw.as_ptr()) };
    }
}

/// SAFETY: `stmt` prepared, `index` in range; `text` must stay valid until the next step is done.
unsafe fn bind_text(stmt: *mut ffi::sqlite3_stmt, index: c_int, text: &str) -> c_int {
    // SAFETY: as the function's contract says.
    unsafe { bind_bytes(stmt, index, text.as_bytes()) }
}

/// SAFETY: as [`bind_text`]; `bytes` must be UTF-8.
unsafe fn bind_bytes(stmt: *mut ffi::sqlite3_stmt, index: c_int, bytes: &[u8]) -> c_int {
    // SAFETY: as the function's contract says.
    unsafe {
        ffi::sqlite3_bind_text64(
            stmt,
            index,
            bytes.as_ptr().cast::<c_char>(),
            bytes.len() as u64,
            ffi::SQLITE_STATIC(),
            ffi::SQLITE_UTF8 as u8,
        )
    }
}
