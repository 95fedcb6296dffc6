//! The embedded SQLite backend: one file, WAL journal, migrations run at start; SQLite through
//! rusqlite (its bundled SQLite), the blocking calls on tokio's blocking threads.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::{Connection, Row, Transaction, TransactionBehavior};
use tianping_domain::access::Role;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};
use tianping_exchange::Progress;

use crate::import::{ImportError, ImportOptions, ImportReport};
use crate::rows::{self, CaseRow};
use crate::{
    AuditEntry, AuditPage, AuditQuery, AuditStore, CaseStore, Changes, ImportBatch, ImportLogEntry,
    ImportOutcome, ImportStore, MaintenanceStore, Result, SessionRecord, SqliteLocation,
    StoreError, UserRecord, UserStore,
};

/// How many connections a store has by default: one writer and up to three readers.
pub(crate) const CONNECTIONS: u32 = 4;

/// How long a statement waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

mod import;
pub(crate) mod migrate;
mod pool;
mod workflow;
pub(crate) mod write;

use pool::Pool;

/// The columns of `cases` in the order of [`rows::CASE_COLUMNS`], for `SELECT`s.
macro_rules! case_columns {
    () => {
        "case_number, court_code, type_code, type_name, procedure, cause, received_date, \
         filed_date, division, judge, closed_date, closing_mode, disposal, claim_amount, \
         recovered_amount, origin_case_number, foreign_related, longer_limit, appeal_object"
    };
}

macro_rules! event_columns {
    () => {
        "case_number, kind, date, end_date, months, days, reason"
    };
}

const COURTS: &str = "SELECT code, name, level, parent_code FROM courts ORDER BY code";
const DATA_VERSION: &str = "SELECT value FROM meta WHERE key = 'data_version'";
const USER_COLUMNS: &str =
    "SELECT username, password_hash, role, court_code, judge_name, disabled, created_at FROM users";

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: Arc<Pool>,
    /// Large imports may skip the write-ahead log: only with a single connection (a one-shot
    /// command), never in a server, whose other connections come and go.
    may_skip_log: bool,
}

/// Run blocking database work on tokio's blocking threads; a panic in it continues here.
async fn unblock<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(StoreError::Cancelled),
        },
    }
}

/// The settings a new database file keeps, then its schema: on the writer, before any other
/// connection opens.
fn prepare(connection: &Connection) -> Result<()> {
    // WAL is kept in the file (an in-memory database stays in its `memory` mode). A new
    // database's page size is set before this first write (see `pool::connect`).
    let _mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    migrate::migrate(connection)
}

impl SqliteStore {
    /// Open or create the database file at `url` (`sqlite:` prefix optional, `:memory:` for a
    /// database in memory) and migrate it.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        SqliteStore::open_with(url, CONNECTIONS).await
    }

    /// [`open`](Self::open) with at most `connections` connections. A one-shot command needs
    /// one, and with one a large import can use a rollback journal (see `import_transaction`):
    /// SQLite switches journals only while no other connection is open.
    pub async fn open_with(url: &str, connections: u32) -> Result<SqliteStore> {
        SqliteStore::open_at(&SqliteLocation::parse(url), connections).await
    }

    /// [`open_with`](Self::open_with) a parsed location.
    pub async fn open_at(location: &SqliteLocation, connections: u32) -> Result<SqliteStore> {
        let may_skip_log = matches!(location, SqliteLocation::File(_)) && connections == 1;
        let location = location.clone();
        let shown = match &location {
            SqliteLocation::Memory => ":memory:".to_owned(),
            SqliteLocation::File(path) => path.display().to_string(),
        };
        let pool = unblock(move || {
            Pool::open(location, connections.max(1), prepare).map_err(|e| match e {
                StoreError::Sqlite(e) => StoreError::Open {
                    url: shown,
                    message: e.to_string(),
                },
                other => other,
            })
        })
        .await?;
        Ok(SqliteStore {
            pool: Arc::new(pool),
            may_skip_log,
        })
    }

    /// Where the database lives.
    pub fn location(&self) -> &SqliteLocation {
        self.pool.location()
    }

    /// Direct access to the database (for tests and tools): `work` runs on the writer
    /// connection, between the store's own writes, on a blocking thread.
    pub async fn with_connection<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        self.write(move |connection| Ok(work(connection)?)).await
    }

    /// Run `work` on a reader connection.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = Arc::clone(&self.pool);
        unblock(move || {
            let reader = pool.reader()?;
            work(&reader)
        })
        .await
    }

    /// Run `work` on the writer connection.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = Arc::clone(&self.pool);
        unblock(move || {
            let writer = pool.writer()?;
            work(&writer)
        })
        .await
    }
}

/// Column `i` as text borrowed from the row.
fn str_at<'r>(r: &'r Row<'_>, i: usize) -> Result<&'r str> {
    opt_str_at(r, i)?.ok_or_else(|| StoreError::Corrupt(format!("NULL in column {i}")))
}

fn opt_str_at<'r>(r: &'r Row<'_>, i: usize) -> Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            Box::new(e),
        ))
    })
}

fn case_from_row(r: &Row<'_>) -> Result<CaseRecord> {
    CaseRow {
        case_number: r.get(0)?,
        court_code: r.get(1)?,
        type_code: r.get(2)?,
        type_name: r.get(3)?,
        procedure: r.get(4)?,
        cause: r.get(5)?,
        received_date: r.get(6)?,
        filed_date: r.get(7)?,
        division: r.get(8)?,
        judge: r.get(9)?,
        closed_date: r.get(10)?,
        closing_mode: r.get(11)?,
        disposal: r.get(12)?,
        claim_amount: r.get(13)?,
        recovered_amount: r.get(14)?,
        origin_case_number: r.get(15)?,
        foreign_related: r.get(16)?,
        longer_limit: r.get(17)?,
        appeal_object: r.get(18)?,
    }
    .into_record()
}

fn event_from_row(r: &Row<'_>) -> Result<EventRecord> {
    Ok(EventRecord {
        case_number: r.get(0)?,
        kind: rows::parse_event_kind(str_at(r, 1)?)?,
        date: rows::parse_date(str_at(r, 2)?)?,
        end_date: opt_str_at(r, 3)?.map(rows::parse_date).transpose()?,
        months: r.get::<_, Option<i64>>(4)?.map(|m| m as u32),
        days: r.get::<_, Option<i64>>(5)?.map(|d| d as u32),
        reason: r.get(6)?,
    })
}

fn court_from_row(r: &Row<'_>) -> Result<CourtRecord> {
    Ok(CourtRecord {
        code: r.get(0)?,
        name: r.get(1)?,
        level: rows::parse_level(str_at(r, 2)?)?,
        parent_code: r.get(3)?,
    })
}

fn user_from_row(r: &Row<'_>) -> Result<UserRecord> {
    let role = str_at(r, 2)?;
    Ok(UserRecord {
        username: r.get(0)?,
        password_hash: r.get(1)?,
        role: Role::parse(role).ok_or_else(|| StoreError::Corrupt(format!("role '{role}'")))?,
        court_code: r.get(3)?,
        judge_name: r.get(4)?,
        disabled: r.get::<_, i64>(5)? != 0,
        created_at: r.get(6)?,
    })
}

/// Every row of `sql` (with `params`), converted by `convert` (for the workflow tables).
pub(crate) fn all_rows<T>(
    connection: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    convert: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    all(connection, sql, params, convert)
}

/// Every row of `sql` (with `params`), converted by `convert`.
fn all<T>(
    connection: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    convert: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut statement = connection.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(convert(row)?);
    }
    Ok(out)
}

fn read_courts(connection: &Connection) -> Result<Vec<CourtRecord>> {
    all(connection, COURTS, [], court_from_row)
}

fn read_cases(connection: &Connection) -> Result<Vec<CaseRecord>> {
    all(
        connection,
        concat!(
            "SELECT ",
            case_columns!(),
            " FROM cases ORDER BY case_number"
        ),
        [],
        case_from_row,
    )
}

fn read_events(connection: &Connection) -> Result<Vec<EventRecord>> {
    let mut events = all(
        connection,
        concat!("SELECT ", event_columns!(), " FROM events"),
        [],
        event_from_row,
    )?;
    // The order of `CaseStore::events`: case number, date, kind id, then the rest with empty
    // values first (sorted here: SQLite would sort them in a temporary B-tree).
    events.sort_by(EventRecord::store_order);
    Ok(events)
}

fn read_import_log(connection: &Connection) -> Result<Vec<ImportLogEntry>> {
    all(
        connection,
        "SELECT at, user, file, kind, rows, imported, rejected FROM import_log ORDER BY id",
        [],
        |r| {
            Ok(ImportLogEntry {
                at: r.get(0)?,
                user: r.get(1)?,
                file: r.get(2)?,
                kind: r.get(3)?,
                rows: r.get::<_, i64>(4)? as u64,
                imported: r.get::<_, i64>(5)? as u64,
                rejected: r.get::<_, i64>(6)? as u64,
            })
        },
    )
}

fn read_data_version(connection: &Connection) -> Result<i64> {
    Ok(connection
        .prepare_cached(DATA_VERSION)?
        .query_row([], |row| row.get(0))?)
}

/// Of `case_numbers`, those the database holds (as the connection's transaction sees it).
pub(crate) fn existing_case_numbers(
    connection: &Connection,
    case_numbers: &[String],
) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    let mut statement = connection.prepare_cached("SELECT 1 FROM cases WHERE case_number = ?1")?;
    for number in case_numbers {
        if statement.exists([number])? {
            found.insert(number.clone());
        }
    }
    Ok(found)
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn courts(&self) -> Result<Vec<CourtRecord>> {
        self.read(read_courts).await
    }

    async fn cases(&self) -> Result<Vec<CaseRecord>> {
        self.read(read_cases).await
    }

    async fn events(&self) -> Result<Vec<EventRecord>> {
        self.read(read_events).await
    }

    async fn counts(&self) -> Result<(u64, u64, u64)> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT (SELECT count(*) FROM courts), (SELECT count(*) FROM cases), \
                 (SELECT count(*) FROM events)",
            )?
            .query_row([], |row| {
                Ok((
                    row.get::<_, i64>(0)? as u64,
                    row.get::<_, i64>(1)? as u64,
                    row.get::<_, i64>(2)? as u64,
                ))
            })?)
        })
        .await
    }

    async fn data_version(&self) -> Result<i64> {
        self.read(read_data_version).await
    }

    async fn changes_since(&self, version: i64) -> Result<Changes> {
        self.read(move |c| {
            // One read transaction: the version and the rows belong together.
            let tx = c.unchecked_transaction()?;
            let current = read_data_version(&tx)?;
            let courts_changed: bool = tx
                .prepare_cached("SELECT count(*) > 0 FROM courts WHERE version > ?1")?
                .query_row([version], |row| row.get(0))?;
            let courts = if courts_changed {
                Some(read_courts(&tx)?)
            } else {
                None
            };
            let cases = all(
                &tx,
                concat!(
                    "SELECT ",
                    case_columns!(),
                    " FROM cases WHERE version > ?1 ORDER BY case_number"
                ),
                [version],
                case_from_row,
            )?;
            let events = all(
                &tx,
                concat!(
                    "SELECT ",
                    event_columns!(),
                    " FROM events WHERE version > ?1 ORDER BY case_number, date, kind"
                ),
                [version],
                event_from_row,
            )?;
            tx.commit()?;
            Ok(Changes {
                version: current,
                courts,
                cases,
                events,
            })
        })
        .await
    }

    async fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>> {
        let case_numbers = case_numbers.to_vec();
        self.read(move |c| existing_case_numbers(c, &case_numbers))
            .await
    }

    async fn filed_dates(
        &self,
        case_numbers: &[String],
    ) -> Result<std::collections::HashMap<String, chrono::NaiveDate>> {
        use rusqlite::OptionalExtension;
        let case_numbers = case_numbers.to_vec();
        self.read(move |c| {
            let mut statement =
                c.prepare_cached("SELECT filed_date FROM cases WHERE case_number = ?1")?;
            let mut found = std::collections::HashMap::new();
            for number in case_numbers {
                if let Some(text) = statement
                    .query_row([&number], |r| r.get::<_, String>(0))
                    .optional()?
                {
                    found.insert(number, crate::workflow::parse_day(&text)?);
                }
            }
            Ok(found)
        })
        .await
    }
}

#[async_trait]
impl ImportStore for SqliteStore {
    async fn apply_import(&self, batch: &ImportBatch) -> Result<ImportOutcome> {
        let large = batch.cases.len() + batch.events.len() >= write::ROLLBACK_JOURNAL_ROWS;
        // The batch is borrowed, so this runs here rather than on a blocking thread (see
        // `write::blocking`).
        self.import_transaction(large, |tx| tx.write(batch, None))
            .await
    }

    async fn import_files(
        &self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: Option<&Progress<'_>>,
    ) -> Result<ImportReport, ImportError> {
        self.import_files_streaming(paths, options, progress).await
    }

    async fn import_log(&self) -> Result<Vec<ImportLogEntry>> {
        self.read(read_import_log).await
    }
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn upsert_user(&self, user: &UserRecord) -> Result<bool> {
        let user = user.clone();
        self.write(move |c| {
            let tx = Transaction::new_unchecked(c, TransactionBehavior::Immediate)?;
            let existed = tx
                .prepare_cached("SELECT 1 FROM users WHERE username = ?1")?
                .exists([&user.username])?;
            tx.prepare_cached(
                "INSERT INTO users (username, password_hash, role, court_code, judge_name, \
                 disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT(username) DO UPDATE SET \
                 password_hash = excluded.password_hash, role = excluded.role, \
                 court_code = excluded.court_code, judge_name = excluded.judge_name, \
                 disabled = excluded.disabled",
            )?
            .execute((
                &user.username,
                &user.password_hash,
                user.role.id(),
                &user.court_code,
                &user.judge_name,
                i64::from(user.disabled),
                &user.created_at,
            ))?;
            tx.commit()?;
            Ok(!existed)
        })
        .await
    }

    async fn user(&self, username: &str) -> Result<Option<UserRecord>> {
        let username = username.to_owned();
        self.read(move |c| {
            let mut statement = c.prepare_cached(&format!("{USER_COLUMNS} WHERE username = ?1"))?;
            let mut rows = statement.query([&username])?;
            rows.next()?.map(user_from_row).transpose()
        })
        .await
    }

    async fn users(&self) -> Result<Vec<UserRecord>> {
        self.read(|c| {
            all(
                c,
                &format!("{USER_COLUMNS} ORDER BY username"),
                [],
                user_from_row,
            )
        })
        .await
    }

    async fn session_load(&self, id: &str) -> Result<Option<SessionRecord>> {
        let id = id.to_owned();
        self.read(move |c| {
            let mut statement =
                c.prepare_cached("SELECT id, data, expiry_date FROM sessions WHERE id = ?1")?;
            let mut rows = statement.query([&id])?;
            rows.next()?
                .map(|r| {
                    Ok(SessionRecord {
                        id: r.get(0)?,
                        data: r.get(1)?,
                        expiry: r.get(2)?,
                    })
                })
                .transpose()
        })
        .await
    }

    async fn session_save(&self, session: &SessionRecord) -> Result<()> {
        let session = session.clone();
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO sessions (id, data, expiry_date) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(id) DO UPDATE SET data = excluded.data, \
                 expiry_date = excluded.expiry_date",
            )?
            .execute((&session.id, &session.data, session.expiry))?;
            Ok(())
        })
        .await
    }

    async fn session_delete(&self, id: &str) -> Result<()> {
        let id = id.to_owned();
        self.write(move |c| {
            c.prepare_cached("DELETE FROM sessions WHERE id = ?1")?
                .execute([&id])?;
            Ok(())
        })
        .await
    }

    async fn sessions_delete_expired(&self, now: i64) -> Result<u64> {
        self.write(move |c| {
            Ok(
                c.prepare_cached("DELETE FROM sessions WHERE expiry_date < ?1")?
                    .execute([now])? as u64,
            )
        })
        .await
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        let entry = entry.clone();
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO audit_log (at, username, action, detail) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute((&entry.at, &entry.username, &entry.action, &entry.detail))?;
            Ok(())
        })
        .await
    }

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.read(move |c| {
            all(
                c,
                "SELECT at, username, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
                [i64::from(limit)],
                |r| {
                    Ok(AuditEntry {
                        at: r.get(0)?,
                        username: r.get(1)?,
                        action: r.get(2)?,
                        detail: r.get(3)?,
                    })
                },
            )
        })
        .await
    }

    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage> {
        let query = query.clone();
        self.read(move |c| {
            let (from, until) = query.text_bounds();
            let filter = "(?1 IS NULL OR username = ?1) AND (?2 IS NULL OR action = ?2) \
                          AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)";
            let params = (&query.username, &query.action, &from, &until);
            let total: i64 = c
                .prepare_cached(&format!("SELECT count(*) FROM audit_log WHERE {filter}"))?
                .query_row(params, |row| row.get(0))?;
            let entries = all(
                c,
                &format!(
                    "SELECT at, username, action, detail FROM audit_log WHERE {filter} \
                     ORDER BY id DESC LIMIT ?5 OFFSET ?6"
                ),
                (
                    &query.username,
                    &query.action,
                    &from,
                    &until,
                    i64::from(query.limit),
                    i64::from(query.offset),
                ),
                |r| {
                    Ok(AuditEntry {
                        at: r.get(0)?,
                        username: r.get(1)?,
                        action: r.get(2)?,
                        detail: r.get(3)?,
                    })
                },
            )?;
            Ok(AuditPage {
                entries,
                total: total as u64,
            })
        })
        .await
    }
}

#[async_trait]
impl MaintenanceStore for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        let pool = Arc::clone(&self.pool);
        let _ = unblock(move || {
            pool.close();
            Ok(())
        })
        .await;
    }

    async fn dump(&self) -> Result<String> {
        self.read(|c| {
            // One read transaction: every table as of one moment.
            let tx = c.unchecked_transaction()?;
            let text = rows::dump_text(
                &read_courts(&tx)?,
                &read_cases(&tx)?,
                &read_events(&tx)?,
                &read_import_log(&tx)?,
                read_data_version(&tx)?,
            );
            tx.commit()?;
            Ok(text)
        })
        .await
    }

    async fn backup(&self, path: &std::path::Path) -> Result<()> {
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Open {
                url: path.display().to_string(),
                message: "the backup path is not valid UTF-8".to_owned(),
            })?
            .to_owned();
        // One statement, one read transaction: the copy is consistent, writers are not blocked.
        self.read(move |c| {
            c.execute("VACUUM INTO ?1", [target])?;
            Ok(())
        })
        .await
    }
}
