//! The case book: every case of the database in the metrics crate's
//! [`Snapshot`], loaded the same way by every command and by the server.
//!
//! For a SQLite database file the snapshot is cached beside it (`FILE.snapshot`) and reused
//! while the data version, the calendar and the time-limit settings are unchanged: a new process
//! (or a restarted server) reads the cache instead of every row. The cache file is read on a
//! second thread while the database opens; it is kept only if the database is at the version
//! the file was written for. An import writes the cache of the data it leaves
//! ([`write_cache`]), so that the first question after an import does not rebuild it.

use std::path::PathBuf;
use std::sync::Arc;

use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_metrics::Snapshot;

use crate::{DatabaseUrl, Result, SqliteLocation, Store};

/// `FILE.snapshot` beside a SQLite database file; none for PostgreSQL or in-memory databases.
pub fn cache_path(url: &DatabaseUrl) -> Option<PathBuf> {
    match url {
        DatabaseUrl::Sqlite(SqliteLocation::File(path)) if !path.as_os_str().is_empty() => {
            let mut name = path.clone().into_os_string();
            name.push(".snapshot");
            Some(PathBuf::from(name))
        }
        _ => None,
    }
}

/// The case book of `store` at its current data version, with that version: from the cache
/// when it holds this version (and this calendar and these settings), else built from every row
/// and cached for the next process.
pub async fn load(
    store: &dyn Store,
    url: &DatabaseUrl,
    calendar: Arc<HolidayCalendar>,
    settings: LimitSettings,
) -> Result<(Snapshot, i64)> {
    let timings = std::env::var_os("TIANPING_TIMINGS").is_some();
    let started = std::time::Instant::now();
    let cache = cache_path(url);
    let reading = cache.clone().map(|path| {
        let calendar = calendar.clone();
        tokio::task::spawn_blocking(move || {
            let file = std::fs::File::open(path).ok()?;
            // Read straight into the snapshot's columns (no whole-file copy).
            let input = std::io::BufReader::with_capacity(1 << 16, file);
            Snapshot::read_cache_of_any_version(input, calendar, settings)
        })
    });
    let version = store.data_version().await?;
    if let Some(reading) = reading
        && let Ok(Some((cached, snapshot))) = reading.await
    {
        if cached == version {
            if timings {
                eprintln!(
                    "timings: snapshot cache read and decoded after {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            return Ok((snapshot, version));
        }
        // Written for other data: freeing it is wasted time in a short process.
        std::mem::forget(snapshot);
    }
    let courts = store.courts().await?;
    let cases = store.cases().await?;
    let events = store.events().await?;
    let snapshot = tokio::task::spawn_blocking(move || {
        let snapshot = Snapshot::build(&courts, &cases, &events, calendar, settings);
        // The records are no longer needed: freed on a thread of their own (a million of them
        // take a tenth of a second), which a short process does not wait for.
        std::thread::spawn(move || drop((cases, events)));
        snapshot
    })
    .await
    .map_err(|e| crate::StoreError::Corrupt(format!("building the case book: {e}")))?;
    write_cache(url, &snapshot, version);
    if timings {
        eprintln!(
            "timings: case book built from the rows after {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok((snapshot, version))
}

/// The case book of `store` as it is, when that is known without reading every row: an empty
/// snapshot for a database without cases or events, the cache when it holds the current data
/// version; `None` otherwise. An import starts from it ([`crate::import::CaseBookSink`]).
pub async fn current(
    store: &dyn Store,
    url: &DatabaseUrl,
    calendar: Arc<HolidayCalendar>,
    settings: LimitSettings,
) -> Result<Option<Snapshot>> {
    let (_, cases, events) = store.counts().await?;
    if cases == 0 && events == 0 {
        let courts = store.courts().await?;
        return Ok(Some(Snapshot::new(&courts, calendar, settings)));
    }
    let Some(path) = cache_path(url) else {
        return Ok(None);
    };
    let version = store.data_version().await?;
    let read = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(path).ok()?;
        let input = std::io::BufReader::with_capacity(1 << 16, file);
        Snapshot::read_cache(input, version, calendar, settings)
    })
    .await
    .map_err(|e| crate::StoreError::Corrupt(format!("reading the case book's cache: {e}")))?;
    Ok(read)
}

/// Write the cache of `snapshot` for `version` beside a SQLite database file (atomically: a
/// temporary file renamed over the old one). Best effort: a read-only directory only costs the
/// next process a rebuild.
pub fn write_cache(url: &DatabaseUrl, snapshot: &Snapshot, version: i64) {
    if let Some(path) = cache_path(url) {
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let written = std::fs::File::create(&tmp).and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            snapshot.write_cache(&mut out, version)?;
            std::io::Write::flush(&mut out)
        });
        if written.is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
