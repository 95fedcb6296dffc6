//! The embedded SQLite backend: one file, WAL journal, migrations run at start.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

use crate::rows::{
    self, CASE_COLUMNS, COURT_COLUMNS, CaseRow, EVENT_COLUMNS, Value, case_values, court_values,
    dump_line, event_values,
};
use crate::{ImportBatch, ImportLogEntry, ImportOutcome, Result, Store, StoreError, WriteCounts};

/// Rows per multi-row INSERT: 19 columns × 500 = 9,500 parameters, well under SQLite's 32,766.
const CHUNK: usize = 500;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Open or create the database file at `url` (`sqlite:` prefix optional) and migrate it.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let options = if path == ":memory:" {
            SqliteConnectOptions::from_str("sqlite::memory:")?
        } else {
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
        }
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30))
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory");
        // An in-memory database exists once per connection: keep exactly one.
        let max = if path == ":memory:" { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

fn bind_values(
    b: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>,
    values: impl IntoIterator<Item = Value>,
) {
    for value in values {
        match value {
            Value::Text(t) => b.push_bind(t),
            Value::Int(i) => b.push_bind(i),
        };
    }
}

async fn count(tx: &mut Transaction<'_, Sqlite>, table: &'static str) -> Result<u64> {
    let sql = match table {
        "courts" => "SELECT count(*) FROM courts",
        "cases" => "SELECT count(*) FROM cases",
        _ => "SELECT count(*) FROM events",
    };
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut **tx).await?;
    Ok(n as u64)
}

/// `INSERT … ON CONFLICT(key) DO UPDATE SET … WHERE anything differs`, so rows_affected counts
/// inserted plus really changed rows; unchanged rows are not rewritten.
fn upsert_tail(key: &str, columns: &[&str], table: &str) -> String {
    let others: Vec<&&str> = columns.iter().filter(|c| **c != key).collect();
    let set: Vec<String> = others
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
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

async fn upsert<T>(
    tx: &mut Transaction<'_, Sqlite>,
    table: &'static str,
    key: &str,
    columns: &[&str],
    records: &[T],
    values: impl Fn(&T) -> Vec<Value>,
) -> Result<WriteCounts> {
    let before = count(tx, table).await?;
    let tail = upsert_tail(key, columns, table);
    let mut affected = 0;
    for chunk in records.chunks(CHUNK) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("INSERT INTO {table} ({}) ", columns.join(", ")));
        qb.push_values(chunk, |mut b, record| bind_values(&mut b, values(record)));
        qb.push(tail.as_str());
        affected += qb.build().execute(&mut **tx).await?.rows_affected();
    }
    let inserted = count(tx, table).await? - before;
    let updated = affected - inserted;
    Ok(WriteCounts {
        inserted,
        updated,
        unchanged: records.len() as u64 - affected,
    })
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn apply_import(&self, batch: &ImportBatch) -> Result<ImportOutcome> {
        let mut tx = self.pool.begin().await?;
        let courts = upsert(
            &mut tx,
            "courts",
            "code",
            &COURT_COLUMNS,
            &batch.courts,
            |c| court_values(c).to_vec(),
        )
        .await?;
        let cases = upsert(
            &mut tx,
            "cases",
            "case_number",
            &CASE_COLUMNS,
            &batch.cases,
            |c| case_values(c).to_vec(),
        )
        .await?;
        let mut inserted_events = 0;
        for chunk in batch.events.chunks(CHUNK) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                "INSERT OR IGNORE INTO events ({}) ",
                EVENT_COLUMNS.join(", ")
            ));
            qb.push_values(chunk, |mut b, e| bind_values(&mut b, event_values(e)));
            inserted_events += qb.build().execute(&mut *tx).await?.rows_affected();
        }
        let events = WriteCounts {
            inserted: inserted_events,
            updated: 0,
            unchanged: batch.events.len() as u64 - inserted_events,
        };
        for entry in &batch.log {
            sqlx::query(
                "INSERT INTO import_log (at, user, file, kind, rows, imported, rejected) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&entry.at)
            .bind(&entry.user)
            .bind(&entry.file)
            .bind(&entry.kind)
            .bind(entry.rows as i64)
            .bind(entry.imported as i64)
            .bind(entry.rejected as i64)
            .execute(&mut *tx)
            .await?;
        }
        let changed =
            courts.inserted + courts.updated + cases.inserted + cases.updated + events.inserted;
        if changed > 0 {
            sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(ImportOutcome {
            courts,
            cases,
            events,
        })
    }

    async fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>> {
        let mut found = HashSet::new();
        for chunk in case_numbers.chunks(CHUNK) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT case_number FROM cases WHERE case_number IN (");
            let mut list = qb.separated(", ");
            for n in chunk {
                list.push_bind(n.clone());
            }
            qb.push(")");
            let rows = qb.build().fetch_all(&self.pool).await?;
            for row in rows {
                found.insert(row.try_get::<String, _>(0)?);
            }
        }
        Ok(found)
    }

    async fn courts(&self) -> Result<Vec<CourtRecord>> {
        let rows = sqlx::query("SELECT code, name, level, parent_code FROM courts ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(CourtRecord {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    level: rows::parse_level(&r.try_get::<String, _>("level")?)?,
                    parent_code: r.try_get("parent_code")?,
                })
            })
            .collect()
    }

    async fn cases(&self) -> Result<Vec<CaseRecord>> {
        let sql = "SELECT case_number, court_code, type_code, type_name, procedure, cause, \
                   received_date, filed_date, division, judge, closed_date, closing_mode, disposal, \
                   claim_amount, recovered_amount, origin_case_number, foreign_related, \
                   longer_limit, appeal_object FROM cases ORDER BY case_number";
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|r| {
                CaseRow {
                    case_number: r.try_get(0)?,
                    court_code: r.try_get(1)?,
                    type_code: r.try_get(2)?,
                    type_name: r.try_get(3)?,
                    procedure: r.try_get(4)?,
                    cause: r.try_get(5)?,
                    received_date: r.try_get(6)?,
                    filed_date: r.try_get(7)?,
                    division: r.try_get(8)?,
                    judge: r.try_get(9)?,
                    closed_date: r.try_get(10)?,
                    closing_mode: r.try_get(11)?,
                    disposal: r.try_get(12)?,
                    claim_amount: r.try_get(13)?,
                    recovered_amount: r.try_get(14)?,
                    origin_case_number: r.try_get(15)?,
                    foreign_related: r.try_get(16)?,
                    longer_limit: r.try_get(17)?,
                    appeal_object: r.try_get(18)?,
                }
                .into_record()
            })
            .collect()
    }

    async fn events(&self) -> Result<Vec<EventRecord>> {
        let sql = "SELECT case_number, kind, date, end_date, months, days, reason FROM events \
                   ORDER BY case_number, date, kind, end_date, months, days, reason";
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|r| {
                Ok(EventRecord {
                    case_number: r.try_get(0)?,
                    kind: rows::parse_event_kind(&r.try_get::<String, _>(1)?)?,
                    date: rows::parse_date(&r.try_get::<String, _>(2)?)?,
                    end_date: rows::parse_opt_date(r.try_get(3)?)?,
                    months: r.try_get::<Option<i64>, _>(4)?.map(|m| m as u32),
                    days: r.try_get::<Option<i64>, _>(5)?.map(|d| d as u32),
                    reason: r.try_get(6)?,
                })
            })
            .collect()
    }

    async fn import_log(&self) -> Result<Vec<ImportLogEntry>> {
        let rows = sqlx::query(
            "SELECT at, user, file, kind, rows, imported, rejected FROM import_log ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ImportLogEntry {
                    at: r.try_get(0)?,
                    user: r.try_get(1)?,
                    file: r.try_get(2)?,
                    kind: r.try_get(3)?,
                    rows: r.try_get::<i64, _>(4)? as u64,
                    imported: r.try_get::<i64, _>(5)? as u64,
                    rejected: r.try_get::<i64, _>(6)? as u64,
                })
            })
            .collect()
    }

    async fn counts(&self) -> Result<(u64, u64, u64)> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM courts), (SELECT count(*) FROM cases), \
             (SELECT count(*) FROM events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((
            row.try_get::<i64, _>(0)? as u64,
            row.try_get::<i64, _>(1)? as u64,
            row.try_get::<i64, _>(2)? as u64,
        ))
    }

    async fn data_version(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'data_version'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn dump(&self) -> Result<String> {
        let mut out = String::from("## courts\n");
        for c in self.courts().await? {
            out.push_str(&dump_line(&court_values(&c)));
            out.push('\n');
        }
        out.push_str("## cases\n");
        for c in self.cases().await? {
            out.push_str(&dump_line(&case_values(&c)));
            out.push('\n');
        }
        out.push_str("## events\n");
        for e in self.events().await? {
            out.push_str(&dump_line(&event_values(&e)));
            out.push('\n');
        }
        out.push_str("## import_log\n");
        for entry in self.import_log().await? {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                entry.at,
                entry.user,
                entry.file,
                entry.kind,
                entry.rows,
                entry.imported,
                entry.rejected
            ));
        }
        out.push_str(&format!(
            "## data_version\n{}\n",
            self.data_version().await?
        ));
        Ok(out)
    }
}
