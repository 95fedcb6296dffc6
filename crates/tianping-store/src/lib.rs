//! Tianping's storage: one trait ([`Store`]), an embedded SQLite implementation (the default,
//! zero set-up) and, in its own issue, a PostgreSQL one; the backend is picked from the URL.
//!
//! Importing exchange files ([`import`]) checks everything first and then writes in one
//! transaction, so a failed import leaves the database exactly as it was.

pub mod import;
mod rows;
pub mod sqlite;

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use thiserror::Error;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

pub use sqlite::SqliteStore;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot open database '{url}': {message}")]
    Open { url: String, message: String },
    #[error("the database holds a value Tianping cannot read: {0}")]
    Corrupt(String),
    #[error("{0} is not available in this build")]
    Unsupported(&'static str),
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

/// The storage every backend implements. Reads return records in a stable order (by key).
#[async_trait]
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Close every connection; SQLite then folds its write-ahead log into the database file.
    async fn close(&self);

    /// Write a checked batch in one transaction: courts and cases are upserted by key, events
    /// inserted unless an identical event exists; the import log gets one entry per file.
    async fn apply_import(&self, batch: &ImportBatch) -> Result<ImportOutcome>;

    /// Of `case_numbers`, those the database holds.
    async fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>>;

    async fn courts(&self) -> Result<Vec<CourtRecord>>;
    async fn cases(&self) -> Result<Vec<CaseRecord>>;
    /// Events ordered by case number, then date.
    async fn events(&self) -> Result<Vec<EventRecord>>;
    async fn import_log(&self) -> Result<Vec<ImportLogEntry>>;

    /// Counts of courts, cases and events.
    async fn counts(&self) -> Result<(u64, u64, u64)>;

    /// A number that grows whenever the data changes (for refreshing in-memory snapshots).
    async fn data_version(&self) -> Result<i64>;

    /// The whole content as canonical text (every table, every row, in key order): two
    /// databases with the same data give the same bytes.
    async fn dump(&self) -> Result<String>;
}

/// The default database location: `$TIANPING_DB`, else `./tianping.db`.
pub fn default_url() -> String {
    std::env::var("TIANPING_DB").unwrap_or_else(|_| "tianping.db".to_owned())
}

/// Open (and create or migrate) the database `url` names: a `postgres://` URL, or a SQLite path
/// (`sqlite:` prefix optional).
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(StoreError::Unsupported("PostgreSQL"));
    }
    Ok(Arc::new(SqliteStore::open(url).await?))
}
