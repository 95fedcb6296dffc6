//! `tianping_rows(?1)`: a table-valued function (an eponymous virtual table) whose rows are rows
//! of parameters held by Rust, so that a chunk of an import is written by one
//! `INSERT … SELECT … FROM tianping_rows(?1)` instead of one statement step per row.
//!
//! A step of an `INSERT … VALUES` opens the table's and its indexes' cursors, finds the end of
//! the table for the new rowid, and closes everything again: per row, a fifth of what the writer
//! of a million-case import did beyond SQLite's own copy of the rows. One statement over a
//! chunk opens them once.
//!
//! The parameters are handed over with `sqlite3_bind_pointer` (SQLite's way of passing a
//! pointer to an extension without exposing it to SQL), as SQLite's own `carray` extension
//! takes its array. Texts are returned `SQLITE_STATIC`: they are borrowed from the records,
//! which outlive the statement's step.
//!
//! Part of the SQLite import's unsafe code (see [`super::raw`]).
#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use libsqlite3_sys as ffi;

use crate::rows::{Param, iso_date};

/// The function's name in SQL.
pub(crate) const NAME: &CStr = c"tianping_rows";

/// [`NAME`] as text, for SQL.
pub(crate) fn name() -> &'static str {
    NAME.to_str().expect("an ASCII name")
}

/// The type tag of the bound pointer: SQLite hands it only to a reader asking for this tag.
const POINTER_TYPE: &CStr = c"tianping-param-rows";

/// The function has this many value columns, `c0` to `c31`; a table writes the first ones.
pub(crate) const MAX_COLUMNS: usize = 32;

/// The hidden column that takes the argument (the pointer to the rows).
const SOURCE_COLUMN: c_int = MAX_COLUMNS as c_int;

/// Rows of parameters, `width` to a row, laid out one row after another.
#[derive(Debug)]
pub(crate) struct ParamRows<'a> {
    params: &'a [Param<'a>],
    width: usize,
}

impl<'a> ParamRows<'a> {
    pub(crate) fn new(params: &'a [Param<'a>], width: usize) -> ParamRows<'a> {
        assert!(
            (1..=MAX_COLUMNS).contains(&width) && params.len().is_multiple_of(width),
            "{} parameters in rows of {width}",
            params.len()
        );
        ParamRows { params, width }
    }

    /// The pointer and type tag to bind.
    pub(crate) fn pointer(&self) -> (*mut c_void, &'static CStr) {
        (ptr::from_ref(self).cast_mut().cast(), POINTER_TYPE)
    }

    fn rows(&self) -> usize {
        self.params.len() / self.width
    }
}

/// Register the function on a connection (again: a new registration replaces the old one).
///
/// SAFETY: `db` is an open connection that no other thread uses meanwhile.
pub(crate) unsafe fn register(db: *mut ffi::sqlite3) -> c_int {
    // SAFETY: as the function's contract says; MODULE is static and lives as long as SQLite.
    unsafe {
        ffi::sqlite3_create_module_v2(db, NAME.as_ptr(), &raw const MODULE, ptr::null_mut(), None)
    }
}

/// Eponymous only (no `xCreate`): the function exists on every connection it is registered on,
/// and no `CREATE VIRTUAL TABLE` can make tables of it.
static MODULE: ffi::sqlite3_module = ffi::sqlite3_module {
    iVersion: 0,
    xCreate: None,
    xConnect: Some(connect),
    xBestIndex: Some(best_index),
    xDisconnect: Some(disconnect),
    xDestroy: None,
    xOpen: Some(open),
    xClose: Some(close),
    xFilter: Some(filter),
    xNext: Some(next),
    xEof: Some(eof),
    xColumn: Some(column),
    xRowid: Some(rowid),
    // SAFETY: the remaining members are optional callbacks (None) and integers (0).
    ..unsafe { std::mem::zeroed() }
};

/// A scan: the rows it reads and where it is.
#[repr(C)]
struct Cursor {
    /// First, so that a pointer to the cursor is one to its base (SQLite's subclassing).
    base: ffi::sqlite3_vtab_cursor,
    rows: *const ParamRows<'static>,
    row: usize,
}

unsafe extern "C" fn connect(
    db: *mut ffi::sqlite3,
    _aux: *mut c_void,
    _argc: c_int,
    _argv: *const *const c_char,
    vtab: *mut *mut ffi::sqlite3_vtab,
    _error: *mut *mut c_char,
) -> c_int {
    let columns: Vec<String> = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect();
    let schema = format!("CREATE TABLE x({}, source HIDDEN)\0", columns.join(", "));
    // SAFETY: SQLite calls this with an open connection and a place for the table; the schema
    // is NUL-terminated.
    unsafe {
        let code = ffi::sqlite3_declare_vtab(db, schema.as_ptr().cast());
        if code != ffi::SQLITE_OK {
            return code;
        }
        // SQLite fills in the base's members; they start zeroed.
        *vtab = Box::into_raw(Box::new(std::mem::zeroed::<ffi::sqlite3_vtab>()));
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn disconnect(vtab: *mut ffi::sqlite3_vtab) -> c_int {
    // SAFETY: the table `connect` boxed, handed back once.
    drop(unsafe { Box::from_raw(vtab) });
    ffi::SQLITE_OK
}

/// A plan needs the argument: an equality constraint on the hidden column, passed to `filter`
/// as its first value. Without one the function has no rows (and a cost that avoids it).
unsafe extern "C" fn best_index(
    _vtab: *mut ffi::sqlite3_vtab,
    info: *mut ffi::sqlite3_index_info,
) -> c_int {
    // SAFETY: SQLite passes a valid index info whose arrays hold nConstraint entries.
    let info = unsafe { &mut *info };
    let count = usize::try_from(info.nConstraint).unwrap_or(0);
    // SAFETY: as above.
    let (constraints, usage) = unsafe {
        (
            std::slice::from_raw_parts(info.aConstraint, count),
            std::slice::from_raw_parts_mut(info.aConstraintUsage, count),
        )
    };
    let mut unusable = false;
    for (constraint, usage) in constraints.iter().zip(usage) {
        if constraint.iColumn == SOURCE_COLUMN
            && c_int::from(constraint.op) == ffi::SQLITE_INDEX_CONSTRAINT_EQ
        {
            if constraint.usable == 0 {
                unusable = true;
                continue;
            }
            usage.argvIndex = 1;
            usage.omit = 1;
            info.idxNum = 1;
            info.estimatedCost = 1.0;
            info.estimatedRows = 1000;
            return ffi::SQLITE_OK;
        }
    }
    if unusable {
        // The argument is there but not yet known in this plan: SQLite tries another.
        return ffi::SQLITE_CONSTRAINT;
    }
    info.idxNum = 0;
    info.estimatedCost = 1e99;
    ffi::SQLITE_OK
}

unsafe extern "C" fn open(
    _vtab: *mut ffi::sqlite3_vtab,
    cursor: *mut *mut ffi::sqlite3_vtab_cursor,
) -> c_int {
    let scan = Box::new(Cursor {
        // SAFETY: the base is plain data; SQLite fills in its table pointer.
        base: unsafe { std::mem::zeroed() },
        rows: ptr::null(),
        row: 0,
    });
    // SAFETY: SQLite passes a place for the cursor.
    unsafe { *cursor = Box::into_raw(scan).cast() };
    ffi::SQLITE_OK
}

unsafe extern "C" fn close(cursor: *mut ffi::sqlite3_vtab_cursor) -> c_int {
    // SAFETY: the cursor `open` boxed (its base is its first member), handed back once.
    drop(unsafe { Box::from_raw(cursor.cast::<Cursor>()) });
    ffi::SQLITE_OK
}

unsafe extern "C" fn filter(
    cursor: *mut ffi::sqlite3_vtab_cursor,
    index: c_int,
    _index_text: *const c_char,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) -> c_int {
    // SAFETY: a cursor of `open`; argv holds argc values. A pointer bound with another type
    // tag, or no pointer, reads as null: then there are no rows.
    unsafe {
        let scan = &mut *cursor.cast::<Cursor>();
        scan.row = 0;
        scan.rows = if index == 1 && argc >= 1 {
            ffi::sqlite3_value_pointer(*argv, POINTER_TYPE.as_ptr())
                .cast::<ParamRows<'static>>()
                .cast_const()
        } else {
            ptr::null()
        };
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn next(cursor: *mut ffi::sqlite3_vtab_cursor) -> c_int {
    // SAFETY: a cursor of `open`.
    unsafe { (*cursor.cast::<Cursor>()).row += 1 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn eof(cursor: *mut ffi::sqlite3_vtab_cursor) -> c_int {
    // SAFETY: a cursor of `open`; its rows, when set, are bound for the running statement and
    // live until it is reset.
    let (row, rows) = unsafe {
        let scan = &*cursor.cast::<Cursor>();
        (scan.row, scan.rows.as_ref().map_or(0, ParamRows::rows))
    };
    c_int::from(row >= rows)
}

unsafe extern "C" fn rowid(cursor: *mut ffi::sqlite3_vtab_cursor, rowid: *mut i64) -> c_int {
    // SAFETY: a cursor of `open`, and a place for the rowid.
    unsafe { *rowid = (*cursor.cast::<Cursor>()).row as i64 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn column(
    cursor: *mut ffi::sqlite3_vtab_cursor,
    context: *mut ffi::sqlite3_context,
    index: c_int,
) -> c_int {
    // SAFETY: a cursor of `open` positioned on a row (SQLite reads columns only before eof);
    // its rows live until the statement is reset.
    let (scan, rows) = unsafe {
        let scan = &*cursor.cast::<Cursor>();
        (scan, scan.rows.as_ref())
    };
    let Some(rows) = rows else {
        return ffi::SQLITE_ERROR;
    };
    let column = usize::try_from(index).unwrap_or(usize::MAX);
    // Out of range only if SQLite asked for a column it never declared, or past the end: NULL
    // then, since a panic may not cross into C.
    let param = (column < rows.width)
        .then(|| rows.params.get(scan.row * rows.width + column))
        .flatten();
    // SAFETY: `context` is the result of this call. Texts are borrowed from records that live
    // until the statement is reset (SQLITE_STATIC); a date is formatted here and copied.
    unsafe {
        match param {
            Some(Param::Text(Some(text))) => ffi::sqlite3_result_text64(
                context,
                text.as_ptr().cast(),
                text.len() as u64,
                ffi::SQLITE_STATIC(),
                ffi::SQLITE_UTF8 as u8,
            ),
            Some(Param::Date(Some(date))) => {
                let iso = iso_date(*date);
                ffi::sqlite3_result_text64(
                    context,
                    iso.as_ptr().cast(),
                    iso.len() as u64,
                    ffi::SQLITE_TRANSIENT(),
                    ffi::SQLITE_UTF8 as u8,
                );
            }
            Some(Param::Int(Some(value))) => ffi::sqlite3_result_int64(context, *value),
            _ => ffi::sqlite3_result_null(context),
        }
    }
    ffi::SQLITE_OK
}
