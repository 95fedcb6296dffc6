//! Tianping's storage: a trait for each capability, an embedded SQLite implementation (the
//! default, zero set-up) and a PostgreSQL one; the backend is picked from the URL, parsed once
//! ([`DatabaseUrl`]).
//!
//! | Trait | What it keeps |
//! |---|---|
//! | [`CaseStore`] | courts, cases and events; counts, the data version and the changes since one |
//! | [`ImportStore`] | imports: a checked batch written in one transaction, the import log |
//! | [`UserStore`] | user accounts and web sessions |
//! | [`AuditStore`] | the append-only audit log |
//! | [`MaintenanceStore`] | the database as a whole: backend, closing, canonical dump, backup |
//! | [`WorkflowStore`] | the workflow modules' settings, duties and audit (with before and after) |
//! | [`MediationStore`] | mediation organisations, mediators, mediations and their events |
//!
//! [`Store`] is all of them at once (`Arc<dyn Store>` is what [`open`] returns); code that needs
//! one capability takes its trait (`&dyn UserStore`), to which a `&dyn Store` converts.
//! [`SqliteStore`] and [`PostgresStore`] implement every trait, with the same rows, the same
//! order and the same canonical dump.
//!
//! Importing exchange files ([`import`]) checks everything first and then writes in one
//! transaction, so a failed import leaves the database exactly as it was. The checks are the
//! same for every backend; how the rows get written is each backend's own
//! ([`ImportStore::import_files`]).
//!
//! # Data of a workflow module
//!
//! A workflow module that keeps data of its own (hearings, say) adds a capability rather than
//! growing the traits above:
//!
//! 1. its trait here (`HearingStore: Send + Sync`, async methods under `#[async_trait]`), with
//!    its record types;
//! 2. its tables in a new migration for each backend, `migrations/sqlite/NNNN_*.sql` (listed in
//!    `src/sqlite/migrate.rs`) and `migrations/postgres/NNNN_*.sql`; a shipped migration is
//!    never edited;
//! 3. the trait implemented for [`SqliteStore`] and [`PostgresStore`], giving the same rows in
//!    the same order (the story tests in `tests/story.rs` run on both);
//! 4. the trait among [`Store`]'s supertraits (and in its blanket implementation), so that
//!    `Arc<dyn Store>` offers it; the module's own code takes `&dyn HearingStore`.
#![forbid(unsafe_code)]

pub mod case_book;
pub mod import;
pub mod postgres;
mod rows;
pub mod sqlite;
pub mod workflow;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use thiserror::Error;
use tianping_domain::access::Role;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

pub use postgres::PostgresStore;
/// The SQLite binding, for direct access to a [`SqliteStore`]'s tables
/// ([`SqliteStore::with_connection`]).
pub use rusqlite;
pub use sqlite::SqliteStore;
/// The SQLite schema version this build brings a database to.
pub const SQLITE_SCHEMA_VERSION: i64 = sqlite::migrate::SCHEMA_VERSION;
pub use workflow::{
    DutyRecord, EnforcementBatch, EnforcementRecords, EnforcementStore, MediationBatch,
    MediationChange, MediationOutcome, MediationRecords, MediationStore, PetitionBatch,
    PetitionChange, PetitionOutcome, PetitionRecords, PetitionStore, RefundStore, SettingRecord,
    SuggestionStore, TagStore, WorkflowAuditEntry, WorkflowStore, load_mediation_records,
    load_petition_records,
};

#[derive(Debug, Error)]
pub enum StoreError {
    /// From PostgreSQL.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From SQLite.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A SQLite database whose schema this program cannot bring up to date.
    #[error("database migration failed: {0}")]
    Schema(String),
    #[error("cannot open database '{url}': {message}")]
    Open { url: String, message: String },
    #[error("the database holds a value Tianping cannot read: {0}")]
    Corrupt(String),
    #[error("{0} is not available in this build")]
    Unsupported(&'static str),
    /// The store was closed ([`MaintenanceStore::close`]).
    #[error("the database is closed")]
    Closed,
    /// A blocking database call was cancelled (its runtime shut down).
    #[error("a database call was cancelled")]
    Cancelled,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What one import writes, already checked: courts, then cases, then events.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    pub courts: Vec<CourtRecord>,
    pub cases: Vec<CaseRecord>,
    pub events: Vec<EventRecord>,
    /// One log entry per file.
    pub log: Vec<ImportLogEntry>,
}

/// How many rows an import added, changed, or found already present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportOutcome {
    pub courts: WriteCounts,
    pub cases: WriteCounts,
    pub events: WriteCounts,
}

/// One line of the import log (导入日志): who imported which file when, and how many rows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportLogEntry {
    pub at: String,
    pub user: String,
    pub file: String,
    pub kind: String,
    pub rows: u64,
    pub imported: u64,
    pub rejected: u64,
}

/// What changed since a data version: the rows an in-memory snapshot must apply.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The version the changes bring the reader to.
    pub version: i64,
    /// Every court, when any court changed (the table is small); `None` otherwise.
    pub courts: Option<Vec<CourtRecord>>,
    pub cases: Vec<CaseRecord>,
    pub events: Vec<EventRecord>,
}

/// A user account (用户).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserRecord {
    pub username: String,
    /// argon2id PHC string; never shown.
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    /// The court a staff member or judge works in.
    pub court_code: Option<String>,
    /// The judge's name as the case data writes it (承办人).
    pub judge_name: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

/// One line of the append-only audit log (审计日志).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub username: String,
    /// `sign_in`, `sign_in_failed`, `sign_out`, `import`, `export`, `user_add`, `user_change`…
    pub action: String,
    pub detail: String,
}

/// Which audit entries to show: all filters optional and combined; a page of `limit` entries
/// after skipping `offset`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub username: Option<String>,
    pub action: Option<String>,
    /// On or after this day (China Standard Time, as the entries are written).
    pub from: Option<chrono::NaiveDate>,
    /// On or before this day.
    pub to: Option<chrono::NaiveDate>,
    pub offset: u32,
    pub limit: u32,
}

impl AuditQuery {
    /// The day bounds as the stored text compares (`2026-12-07T…` sorts by time): the first
    /// day, and the day after the last.
    pub(crate) fn text_bounds(&self) -> (Option<String>, Option<String>) {
        (
            self.from.map(|d| d.format("%Y-%m-%d").to_string()),
            self.to
                .and_then(|d| d.succ_opt())
                .map(|d| d.format("%Y-%m-%d").to_string()),
        )
    }
}

/// A page of the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Entries that pass the filter, on every page.
    pub total: u64,
}

/// A stored web session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub data: Vec<u8>,
    /// Unix seconds.
    pub expiry: i64,
}

/// Courts, cases and events: what the indicators, deadlines and reports read, and how an
/// in-memory snapshot follows the data (the data version and the changes since one). Reads
/// return records in a stable order (by key).
///
/// A workflow module that keeps data of its own does not add to this trait: it adds a trait of
/// its own beside it (see the [crate documentation](crate#data-of-a-workflow-module)).
#[async_trait]
pub trait CaseStore: Send + Sync {
    async fn courts(&self) -> Result<Vec<CourtRecord>>;
    async fn cases(&self) -> Result<Vec<CaseRecord>>;
    /// Events in [`EventRecord::store_order`]: by case number, then date.
    async fn events(&self) -> Result<Vec<EventRecord>>;

    /// Counts of courts, cases and events.
    async fn counts(&self) -> Result<(u64, u64, u64)>;

    /// A number that grows whenever the data changes (for refreshing in-memory snapshots).
    async fn data_version(&self) -> Result<i64>;

    /// Cases, events and courts written after data version `version`.
    async fn changes_since(&self, version: i64) -> Result<Changes>;

    /// Of `case_numbers`, those the database holds.
    async fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>>;
    /// The filing dates of those of `case_numbers` the database holds (what a workflow record
    /// linked to a case counts from, without reading every case).
    async fn filed_dates(
        &self,
        case_numbers: &[String],
    ) -> Result<std::collections::HashMap<String, chrono::NaiveDate>>;
}

/// Importing exchange files: writing a checked batch of courts, cases and events in one
/// transaction, the import log, and the whole import of files, which each backend does its own
/// way (SQLite writes the cases while their file is still being read). An import checks its
/// events against the cases the database holds, hence [`CaseStore`] beneath.
///
/// A workflow module that imports data of its own adds a trait of its own beside this one (see
/// the [crate documentation](crate#data-of-a-workflow-module)).
#[async_trait]
pub trait ImportStore: CaseStore {
    /// Write a checked batch in one transaction: courts and cases are upserted by key, events
    /// inserted unless an identical event exists; the import log gets one entry per file.
    async fn apply_import(&self, batch: &ImportBatch) -> Result<ImportOutcome>;

    /// Read, check and store exchange files in one go, with the checks and the outcome of
    /// [`import::import_parsed`]; see [`import::import_files`], which calls this. A backend
    /// without a faster way reads every file first ([`import::read_then_import`]).
    async fn import_files(
        &self,
        paths: &[PathBuf],
        options: &import::ImportOptions,
        progress: Option<&tianping_exchange::Progress<'_>>,
    ) -> Result<import::ImportReport, import::ImportError>;

    /// The import log, oldest first.
    async fn import_log(&self) -> Result<Vec<ImportLogEntry>>;
}

/// User accounts and the web sessions of those signed in.
///
/// A workflow module that keeps data of its own adds a trait of its own beside this one (see
/// the [crate documentation](crate#data-of-a-workflow-module)).
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Create or replace a user; true when created.
    async fn upsert_user(&self, user: &UserRecord) -> Result<bool>;
    async fn user(&self, username: &str) -> Result<Option<UserRecord>>;
    async fn users(&self) -> Result<Vec<UserRecord>>;

    async fn session_load(&self, id: &str) -> Result<Option<SessionRecord>>;
    async fn session_save(&self, session: &SessionRecord) -> Result<()>;
    async fn session_delete(&self, id: &str) -> Result<()>;
    /// Remove sessions that expired before `now` (Unix seconds).
    async fn sessions_delete_expired(&self, now: i64) -> Result<u64>;
}

/// The append-only audit log (审计日志): who did what, when.
///
/// A workflow module records its actions here; data of its own goes into a trait of its own
/// (see the [crate documentation](crate#data-of-a-workflow-module)).
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Append to the audit log; the log cannot be changed or shortened.
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()>;
    /// The newest `limit` entries, newest first.
    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>>;
    /// One page of the entries that pass the filter, newest first, and how many pass it.
    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage>;
}

/// The database as a whole: which backend it is, closing it, its canonical dump and backups.
///
/// A workflow module's tables join [`dump`](Self::dump) when their content is part of what two
/// databases must agree on (see the [crate documentation](crate#data-of-a-workflow-module)).
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Close every connection; SQLite then folds its write-ahead log into the database file.
    async fn close(&self);

    /// The whole content as canonical text (every table, every row, in key order): two
    /// databases with the same data give the same bytes.
    async fn dump(&self) -> Result<String>;

    /// A consistent copy of the whole database in a new file, taken while others keep reading
    /// and writing (SQLite: `VACUUM INTO`). PostgreSQL deployments use pg_dump instead
    /// (docs/postgres.md) and get [`StoreError::Unsupported`].
    async fn backup(&self, path: &std::path::Path) -> Result<()>;
}

/// Every capability together: what [`open`] returns, what a server or a command that does a
/// little of everything holds (`Arc<dyn Store>`). Code that needs one capability takes that
/// trait instead (`&dyn AuditStore`); a `&dyn Store` or `Arc<dyn Store>` converts to it.
///
/// Implemented for every type that implements the capabilities; a workflow module's trait is
/// added to this list (see the [crate documentation](crate#data-of-a-workflow-module)).
pub trait Store:
    CaseStore
    + ImportStore
    + UserStore
    + AuditStore
    + MaintenanceStore
    + WorkflowStore
    + MediationStore
    + PetitionStore
    + SuggestionStore
    + RefundStore
    + EnforcementStore
    + TagStore
{
}

impl<T> Store for T where
    T: CaseStore
        + ImportStore
        + UserStore
        + AuditStore
        + MaintenanceStore
        + WorkflowStore
        + MediationStore
        + PetitionStore
        + SuggestionStore
        + RefundStore
        + EnforcementStore
        + TagStore
        + ?Sized
{
}

/// The default database location: `$TIANPING_DB`, else `./tianping.db`.
pub fn default_url() -> String {
    std::env::var("TIANPING_DB").unwrap_or_else(|_| "tianping.db".to_owned())
}

/// A database as a URL names it, parsed once: a `postgres://` (or `postgresql://`) URL, or a
/// SQLite database, a file path with an optional `sqlite:` or `sqlite://` prefix or `:memory:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// The URL as given.
    Postgres(String),
    Sqlite(SqliteLocation),
}

/// Where a SQLite database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteLocation {
    /// `:memory:`: a database of its own connection, gone when the store closes.
    Memory,
    /// A file, created when missing.
    File(PathBuf),
}

impl SqliteLocation {
    /// `:memory:` or a file path, with or without a `sqlite:` or `sqlite://` prefix.
    pub fn parse(url: &str) -> SqliteLocation {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path == ":memory:" {
            SqliteLocation::Memory
        } else {
            SqliteLocation::File(PathBuf::from(path))
        }
    }
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> DatabaseUrl {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseUrl::Postgres(url.to_owned())
        } else {
            DatabaseUrl::Sqlite(SqliteLocation::parse(url))
        }
    }

    /// The file of a SQLite database; none for PostgreSQL or a database in memory.
    pub fn sqlite_file(&self) -> Option<&Path> {
        match self {
            DatabaseUrl::Sqlite(SqliteLocation::File(path)) => Some(path),
            DatabaseUrl::Sqlite(SqliteLocation::Memory) | DatabaseUrl::Postgres(_) => None,
        }
    }

    /// Open (and create or migrate) the database. `single`: for a one-shot command that uses
    /// one connection at a time (`tianping import`); a SQLite database then gets a single
    /// connection, which lets a large import skip the write-ahead log (see
    /// `SqliteStore::open_with`). PostgreSQL ignores it.
    pub async fn open(&self, single: bool) -> Result<Arc<dyn Store>> {
        Ok(match self {
            DatabaseUrl::Postgres(url) => Arc::new(PostgresStore::open(url).await?),
            DatabaseUrl::Sqlite(location) => {
                let connections = if single { 1 } else { sqlite::CONNECTIONS };
                Arc::new(SqliteStore::open_at(location, connections).await?)
            }
        })
    }
}

/// Open (and create or migrate) the database `url` names (see [`DatabaseUrl`]).
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    DatabaseUrl::parse(url).open(false).await
}

/// [`open`] for a one-shot command that uses one connection at a time (`tianping import`): a
/// SQLite database then gets a single connection, which lets a large import skip the
/// write-ahead log (see `SqliteStore::open_with`).
pub async fn open_single(url: &str) -> Result<Arc<dyn Store>> {
    DatabaseUrl::parse(url).open(true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_url_names_a_server_a_file_or_memory() {
        for url in ["postgres://h/db", "postgresql://app@h:5432/db"] {
            let parsed = DatabaseUrl::parse(url);
            assert_eq!(parsed, DatabaseUrl::Postgres(url.to_owned()));
            assert_eq!(parsed.sqlite_file(), None);
        }
        for (url, file) in [
            ("court.db", "court.db"),
            ("sqlite:court.db", "court.db"),
            ("sqlite://data/court.db", "data/court.db"),
            ("sqlite:///srv/court.db", "/srv/court.db"),
        ] {
            let parsed = DatabaseUrl::parse(url);
            assert_eq!(parsed.sqlite_file(), Some(Path::new(file)), "{url}");
        }
        for url in [":memory:", "sqlite::memory:", "sqlite://:memory:"] {
            let parsed = DatabaseUrl::parse(url);
            assert_eq!(parsed, DatabaseUrl::Sqlite(SqliteLocation::Memory), "{url}");
            assert_eq!(parsed.sqlite_file(), None);
        }
    }
}
