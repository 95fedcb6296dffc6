//! The PostgreSQL backend: a connection pool, migrations run at start, the same rows and the same
//! answers as SQLite.
//!
//! Dates are stored as `DATE`, amounts as `BIGINT` fen, flags as `BOOLEAN`; values go through the
//! backend-neutral forms of [`crate::rows`] both ways, so what is read back is exactly what the
//! SQLite backend reads back. Keys use the `"C"` collation and reads order NULLs first, as SQLite
//! does, so that both list rows in the same order.

use std::collections::HashSet;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::query_builder::Separated;
use sqlx::{AssertSqlSafe, Postgres, QueryBuilder, Row, Transaction};
use tianping_domain::access::Role;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};
use tianping_exchange::Progress;

mod workflow;

use crate::import::{self, ImportError, ImportOptions, ImportReport};
use crate::rows::{
    self, CASE_COLUMNS, COURT_COLUMNS, CaseRow, EVENT_COLUMNS, Value, case_values, court_values,
    event_values,
};
use crate::{
    AuditEntry, AuditPage, AuditQuery, AuditStore, CaseStore, Changes, ImportBatch, ImportLogEntry,
    ImportOutcome, ImportStore, MaintenanceStore, Result, SessionRecord, StoreError, UserRecord,
    UserStore, WriteCounts,
};

/// PostgreSQL's limit on bind parameters in one statement (the wire protocol counts them in 16
/// bits). The multi-row statements that come near it are not kept prepared on the connections:
/// their text is hundreds of kilobytes and the last one of each import has a shape of its own.
const MAX_BINDS: usize = 65_535;

/// Every row version is at least 0: `version > SINCE_EVER` selects every row.
const SINCE_EVER: i64 = i64::MIN;

const COURT_SELECT: &str = "SELECT code, name, level, parent_code FROM courts";

const CASE_SELECT: &str = "SELECT case_number, court_code, type_code, type_name, procedure, \
     cause, received_date, filed_date, division, judge, closed_date, closing_mode, disposal, \
     claim_amount, recovered_amount, origin_case_number, foreign_related, longer_limit, \
     appeal_object FROM cases";

const EVENT_SELECT: &str = "SELECT case_number, kind, date, end_date, months, days, reason \
     FROM events";

/// SQLite's order of events: NULL sorts before any value there, after every value here.
const EVENT_ORDER: &str = "ORDER BY case_number, date, kind, end_date NULLS FIRST, \
     months NULLS FIRST, days NULLS FIRST, reason NULLS FIRST";

const USER_SELECT: &str = "SELECT username, password_hash, role, court_code, judge_name, \
     disabled, created_at FROM users";

/// A read that must see one state of the database (a dump, the changes since a version).
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connect to the database `url` names (`postgres://user:password@host:port/database`; a
    /// schema other than `public` can be chosen libpq-style with
    /// `?options=-csearch_path%3Dname`) and migrate it.
    pub async fn open(url: &str) -> Result<PostgresStore> {
        let open_error = |e: sqlx::Error| StoreError::Open {
            url: redact_password(url),
            message: e.to_string(),
        };
        let options = PgConnectOptions::from_str(url)
            .map_err(open_error)?
            .application_name("tianping");
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        // sqlx holds an advisory lock while migrating: servers starting together take turns.
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(PostgresStore { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// `url` with its password, if any, replaced by `***` (for error messages).
fn redact_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_owned(),
    }
}

/// A value in the column type PostgreSQL stores it as.
#[derive(Debug, Clone, PartialEq)]
enum PgValue {
    Text(Option<String>),
    Int(Option<i64>),
    Date(Option<NaiveDate>),
    Bool(Option<bool>),
}

/// Convert the backend-neutral values of a row for the columns they go to: `*date` columns hold
/// dates, the two flags booleans; other values keep their type.
fn pg_values(columns: &[&str], values: impl IntoIterator<Item = Value>) -> Result<Vec<PgValue>> {
    columns
        .iter()
        .zip(values)
        .map(|(column, value)| {
            Ok(match value {
                Value::Text(t) if column.ends_with("date") => {
                    PgValue::Date(t.as_deref().map(rows::parse_date).transpose()?)
                }
                Value::Int(i) if matches!(*column, "foreign_related" | "longer_limit") => {
                    PgValue::Bool(i.map(|i| i != 0))
                }
                Value::Text(t) => PgValue::Text(t),
                Value::Int(i) => PgValue::Int(i),
            })
        })
        .collect()
}

fn bind_values(b: &mut Separated<'_, Postgres, &'static str>, values: Vec<PgValue>) {
    for value in values {
        match value {
            PgValue::Text(v) => b.push_bind(v),
            PgValue::Int(v) => b.push_bind(v),
            PgValue::Date(v) => b.push_bind(v),
            PgValue::Bool(v) => b.push_bind(v),
        };
    }
}

fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(rows::date_text)
}

async fn count(tx: &mut Transaction<'_, Postgres>, table: &str) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&mut **tx)
        .await?;
    Ok(n as u64)
}

/// `ON CONFLICT (key) DO UPDATE … WHERE the row differs`: rows_affected counts inserted plus
/// really changed rows; an unchanged row is not rewritten and keeps its version.
fn upsert_tail(table: &str, columns: &[&str]) -> String {
    let others = &columns[1..];
    let set: Vec<String> = others
        .iter()
        .map(|c| format!("{c} = EXCLUDED.{c}"))
        .chain(std::iter::once("version = EXCLUDED.version".to_owned()))
        .collect();
    let old: Vec<String> = others.iter().map(|c| format!("{table}.{c}")).collect();
    let new: Vec<String> = others.iter().map(|c| format!("EXCLUDED.{c}")).collect();
    format!(
        " ON CONFLICT ({}) DO UPDATE SET {} WHERE ({}) IS DISTINCT FROM ({})",
        columns[0],
        set.join(", "),
        old.join(", "),
        new.join(", ")
    )
}

/// Upsert `records` into `table`, keyed by its first column, counting as SQLite does.
///
/// A statement may not touch one row twice in PostgreSQL, while SQLite applies a repeated key
/// row after row: a statement therefore ends before a key it already holds, and the later record
/// is applied by the next one (updating the row, or finding it unchanged).
async fn upsert<T>(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    columns: &[&str],
    records: &[T],
    key: impl Fn(&T) -> &str,
    values: impl Fn(&T) -> Vec<Value>,
    version: i64,
) -> Result<WriteCounts> {
    let before = count(tx, table).await?;
    let tail = upsert_tail(table, columns);
    if records.len() >= COPY_FROM {
        let mut keys = HashSet::with_capacity(records.len());
        if records.iter().all(|r| keys.insert(key(r))) {
            let staged = stage(tx, table, columns, records.iter().map(&values), version).await?;
            let affected = insert_staged(tx, table, columns, &staged, &tail).await?;
            let inserted = count(tx, table).await? - before;
            return Ok(WriteCounts {
                inserted,
                updated: affected - inserted,
                unchanged: records.len() as u64 - affected,
            });
        }
    }
    let per_statement = MAX_BINDS / (columns.len() + 1);
    let mut affected = 0;
    let mut start = 0;
    while start < records.len() {
        let mut keys = HashSet::new();
        let mut rows = Vec::new();
        for record in &records[start..] {
            if rows.len() == per_statement || !keys.insert(key(record)) {
                break;
            }
            rows.push(pg_values(columns, values(record))?);
        }
        start += rows.len();
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "INSERT INTO {table} ({}, version) ",
            columns.join(", ")
        ));
        qb.push_values(rows, |mut b, row| {
            bind_values(&mut b, row);
            b.push_bind(version);
        });
        qb.push(tail.as_str());
        affected += qb
            .build()
            .persistent(false)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    let inserted = count(tx, table).await? - before;
    Ok(WriteCounts {
        inserted,
        updated: affected - inserted,
        unchanged: records.len() as u64 - affected,
    })
}

/// From this many rows on, an import's rows go in through `COPY` into a temporary table, and one
/// `INSERT … SELECT` then upserts them: for a million cases more than twice as fast as multi-row
/// `INSERT`s with bound parameters, which PostgreSQL parses and plans statement by statement.
const COPY_FROM: usize = 2_000;

/// Copy rows into a new temporary table shaped like `table`'s `columns` plus `version` (dropped
/// at commit); its name.
async fn stage(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    columns: &[&str],
    rows: impl Iterator<Item = impl IntoIterator<Item = Value>>,
    version: i64,
) -> Result<String> {
    let staged = format!("staged_{table}");
    let list = columns.join(", ");
    // CREATE … AS keeps the columns' types and collations, not their constraints.
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS \
         SELECT {list}, version FROM {table} WITH NO DATA"
    )))
    .execute(&mut **tx)
    .await?;
    let mut copy = tx
        .copy_in_raw(&format!("COPY {staged} ({list}, version) FROM STDIN"))
        .await?;
    let version = version.to_string();
    let mut buffer = Vec::with_capacity(COPY_BUFFER + 4096);
    for row in rows {
        for value in row {
            copy_text(&mut buffer, &value);
            buffer.push(b'\t');
        }
        buffer.extend_from_slice(version.as_bytes());
        buffer.push(b'\n');
        if buffer.len() >= COPY_BUFFER {
            copy.send(buffer.as_slice()).await?;
            buffer.clear();
        }
    }
    copy.send(buffer.as_slice()).await?;
    copy.finish().await?;
    Ok(staged)
}

/// Bytes sent to `COPY` at a time.
const COPY_BUFFER: usize = 1 << 20;

/// A value in `COPY`'s text format: `\N` for NULL; a backslash, tab, line feed or carriage
/// return escaped. Dates arrive as ISO text and flags as 0/1, which `DATE` and `BOOLEAN` read.
fn copy_text(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Text(None) | Value::Int(None) => out.extend_from_slice(b"\\N"),
        Value::Int(Some(i)) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Text(Some(text)) => {
            for &b in text.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
    }
}

/// `INSERT INTO table SELECT … FROM staged` with `tail` (the conflict clause); rows affected.
async fn insert_staged(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    columns: &[&str],
    staged: &str,
    tail: &str,
) -> Result<u64> {
    let list = columns.join(", ");
    let affected = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {table} ({list}, version) SELECT {list}, version FROM {staged}{tail}"
    )))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(affected)
}

/// Insert the events no identical event precedes (the unique constraint treats NULLs as equal).
async fn insert_events(
    tx: &mut Transaction<'_, Postgres>,
    events: &[EventRecord],
    version: i64,
) -> Result<WriteCounts> {
    let mut inserted = 0;
    if events.len() >= COPY_FROM {
        let staged = stage(
            tx,
            "events",
            &EVENT_COLUMNS,
            events.iter().map(event_values),
            version,
        )
        .await?;
        // Identical events within the batch: the second is a conflict with the first, skipped.
        inserted = insert_staged(
            tx,
            "events",
            &EVENT_COLUMNS,
            &staged,
            " ON CONFLICT ON CONSTRAINT events_identity DO NOTHING",
        )
        .await?;
        return Ok(WriteCounts {
            inserted,
            updated: 0,
            unchanged: events.len() as u64 - inserted,
        });
    }
    for chunk in events.chunks(MAX_BINDS / (EVENT_COLUMNS.len() + 1)) {
        let rows = chunk
            .iter()
            .map(|e| pg_values(&EVENT_COLUMNS, event_values(e)))
            .collect::<Result<Vec<_>>>()?;
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "INSERT INTO events ({}, version) ",
            EVENT_COLUMNS.join(", ")
        ));
        qb.push_values(rows, |mut b, row| {
            bind_values(&mut b, row);
            b.push_bind(version);
        });
        qb.push(" ON CONFLICT ON CONSTRAINT events_identity DO NOTHING");
        inserted += qb
            .build()
            .persistent(false)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(WriteCounts {
        inserted,
        updated: 0,
        unchanged: events.len() as u64 - inserted,
    })
}

fn case_from_row(r: &PgRow) -> Result<CaseRecord> {
    CaseRow {
        case_number: r.try_get(0)?,
        court_code: r.try_get(1)?,
        type_code: r.try_get(2)?,
        type_name: r.try_get(3)?,
        procedure: r.try_get(4)?,
        cause: r.try_get(5)?,
        received_date: date_text(r.try_get(6)?),
        filed_date: rows::date_text(r.try_get(7)?),
        division: r.try_get(8)?,
        judge: r.try_get(9)?,
        closed_date: date_text(r.try_get(10)?),
        closing_mode: r.try_get(11)?,
        disposal: r.try_get(12)?,
        claim_amount: r.try_get(13)?,
        recovered_amount: r.try_get(14)?,
        origin_case_number: r.try_get(15)?,
        foreign_related: i64::from(r.try_get::<bool, _>(16)?),
        longer_limit: i64::from(r.try_get::<bool, _>(17)?),
        appeal_object: r.try_get(18)?,
    }
    .into_record()
}

/// A count read back as an unsigned number (months, days).
fn unsigned(value: Option<i64>, what: &str) -> Result<Option<u32>> {
    value
        .map(|v| u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{what} '{v}'"))))
        .transpose()
}

fn event_from_row(r: &PgRow) -> Result<EventRecord> {
    Ok(EventRecord {
        case_number: r.try_get(0)?,
        kind: rows::parse_event_kind(&r.try_get::<String, _>(1)?)?,
        date: r.try_get(2)?,
        end_date: r.try_get(3)?,
        months: unsigned(r.try_get(4)?, "months")?,
        days: unsigned(r.try_get(5)?, "days")?,
        reason: r.try_get(6)?,
    })
}

fn court_from_row(r: &PgRow) -> Result<CourtRecord> {
    Ok(CourtRecord {
        code: r.try_get(0)?,
        name: r.try_get(1)?,
        level: rows::parse_level(&r.try_get::<String, _>(2)?)?,
        parent_code: r.try_get(3)?,
    })
}

fn user_from_row(r: &PgRow) -> Result<UserRecord> {
    let role: String = r.try_get(2)?;
    Ok(UserRecord {
        username: r.try_get(0)?,
        password_hash: r.try_get(1)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role '{role}'")))?,
        court_code: r.try_get(3)?,
        judge_name: r.try_get(4)?,
        disabled: r.try_get(5)?,
        created_at: r.try_get(6)?,
    })
}

fn count_from(value: i64, what: &str) -> Result<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} '{value}'")))
}

// Reads on one connection, shared by the plain reads (a pooled connection) and the reads that
// must agree with each other (a snapshot transaction).

async fn read_courts(conn: &mut PgConnection) -> Result<Vec<CourtRecord>> {
    let sql = format!("{COURT_SELECT} ORDER BY code");
    let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(conn).await?;
    rows.iter().map(court_from_row).collect()
}

async fn read_cases(conn: &mut PgConnection, since: i64) -> Result<Vec<CaseRecord>> {
    let sql = format!("{CASE_SELECT} WHERE version > $1 ORDER BY case_number");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(since)
        .fetch_all(conn)
        .await?;
    rows.iter().map(case_from_row).collect()
}

async fn read_events(conn: &mut PgConnection, since: i64) -> Result<Vec<EventRecord>> {
    let sql = format!("{EVENT_SELECT} WHERE version > $1 {EVENT_ORDER}");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(since)
        .fetch_all(conn)
        .await?;
    rows.iter().map(event_from_row).collect()
}

async fn read_import_log(conn: &mut PgConnection) -> Result<Vec<ImportLogEntry>> {
    let rows = sqlx::query(
        "SELECT at, \"user\", file, kind, rows, imported, rejected FROM import_log ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ImportLogEntry {
                at: r.try_get(0)?,
                user: r.try_get(1)?,
                file: r.try_get(2)?,
                kind: r.try_get(3)?,
                rows: count_from(r.try_get(4)?, "rows")?,
                imported: count_from(r.try_get(5)?, "imported")?,
                rejected: count_from(r.try_get(6)?, "rejected")?,
            })
        })
        .collect()
}

async fn read_data_version(conn: &mut PgConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'data_version'")
            .fetch_one(conn)
            .await?,
    )
}

#[async_trait]
impl CaseStore for PostgresStore {
    async fn courts(&self) -> Result<Vec<CourtRecord>> {
        read_courts(&mut *self.pool.acquire().await?).await
    }

    async fn cases(&self) -> Result<Vec<CaseRecord>> {
        read_cases(&mut *self.pool.acquire().await?, SINCE_EVER).await
    }

    async fn events(&self) -> Result<Vec<EventRecord>> {
        read_events(&mut *self.pool.acquire().await?, SINCE_EVER).await
    }

    async fn counts(&self) -> Result<(u64, u64, u64)> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM courts), (SELECT count(*) FROM cases), \
             (SELECT count(*) FROM events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((
            count_from(row.try_get(0)?, "count")?,
            count_from(row.try_get(1)?, "count")?,
            count_from(row.try_get(2)?, "count")?,
        ))
    }

    async fn data_version(&self) -> Result<i64> {
        read_data_version(&mut *self.pool.acquire().await?).await
    }

    async fn changes_since(&self, version: i64) -> Result<Changes> {
        // One snapshot: the version and the rows belong together even while an import commits.
        let mut tx = self.pool.begin_with(BEGIN_SNAPSHOT).await?;
        let current = read_data_version(&mut tx).await?;
        let courts_changed: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM courts WHERE version > $1)")
                .bind(version)
                .fetch_one(&mut *tx)
                .await?;
        let courts = if courts_changed {
            Some(read_courts(&mut tx).await?)
        } else {
            None
        };
        let cases = read_cases(&mut tx, version).await?;
        let events = read_events(&mut tx, version).await?;
        tx.commit().await?;
        Ok(Changes {
            version: current,
            courts,
            cases,
            events,
        })
    }

    async fn existing_case_numbers(&self, case_numbers: &[String]) -> Result<HashSet<String>> {
        // One array parameter, however many numbers.
        let found: Vec<String> =
            sqlx::query_scalar("SELECT case_number FROM cases WHERE case_number = ANY($1)")
                .bind(case_numbers)
                .fetch_all(&self.pool)
                .await?;
        Ok(found.into_iter().collect())
    }

    async fn filed_dates(
        &self,
        case_numbers: &[String],
    ) -> Result<std::collections::HashMap<String, chrono::NaiveDate>> {
        let found: Vec<(String, chrono::NaiveDate)> =
            sqlx::query_as("SELECT case_number, filed_date FROM cases WHERE case_number = ANY($1)")
                .bind(case_numbers)
                .fetch_all(&self.pool)
                .await?;
        Ok(found.into_iter().collect())
    }
}

#[async_trait]
impl ImportStore for PostgresStore {
    async fn apply_import(&self, batch: &ImportBatch) -> Result<ImportOutcome> {
        let mut tx = self.pool.begin().await?;
        // Imports run one at a time: the data_version row stays locked until this transaction
        // ends, and a second import waits here, then reads the version the first one committed.
        let version: i64 =
            sqlx::query_scalar("SELECT value + 1 FROM meta WHERE key = 'data_version' FOR UPDATE")
                .fetch_one(&mut *tx)
                .await?;
        let courts = upsert(
            &mut tx,
            "courts",
            &COURT_COLUMNS,
            &batch.courts,
            |c| c.code.as_str(),
            |c| court_values(c).to_vec(),
            version,
        )
        .await?;
        let cases = upsert(
            &mut tx,
            "cases",
            &CASE_COLUMNS,
            &batch.cases,
            |c| c.case_number.as_str(),
            |c| case_values(c).to_vec(),
            version,
        )
        .await?;
        let events = insert_events(&mut tx, &batch.events, version).await?;
        for entry in &batch.log {
            sqlx::query(
                "INSERT INTO import_log (at, \"user\", file, kind, rows, imported, rejected) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
            sqlx::query("UPDATE meta SET value = $1 WHERE key = 'data_version'")
                .bind(version)
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

    async fn import_files(
        &self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: Option<&Progress<'_>>,
    ) -> Result<ImportReport, ImportError> {
        import::read_then_import(self, paths, options, progress).await
    }

    async fn import_log(&self) -> Result<Vec<ImportLogEntry>> {
        read_import_log(&mut *self.pool.acquire().await?).await
    }
}

#[async_trait]
impl UserStore for PostgresStore {
    async fn upsert_user(&self, user: &UserRecord) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        // The insert decides atomically whether the user is new; an existing one is updated
        // (keeping its creation time).
        let created = sqlx::query(
            "INSERT INTO users (username, password_hash, role, court_code, judge_name, disabled, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING",
        )
        .bind(&user.username)
        .bind(&user.password_hash)
        .bind(user.role.id())
        .bind(&user.court_code)
        .bind(&user.judge_name)
        .bind(user.disabled)
        .bind(&user.created_at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !created {
            sqlx::query(
                "UPDATE users SET password_hash = $2, role = $3, court_code = $4, \
                 judge_name = $5, disabled = $6 WHERE username = $1",
            )
            .bind(&user.username)
            .bind(&user.password_hash)
            .bind(user.role.id())
            .bind(&user.court_code)
            .bind(&user.judge_name)
            .bind(user.disabled)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(created)
    }

    async fn user(&self, username: &str) -> Result<Option<UserRecord>> {
        let sql = format!("{USER_SELECT} WHERE username = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn users(&self) -> Result<Vec<UserRecord>> {
        let sql = format!("{USER_SELECT} ORDER BY username");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn session_load(&self, id: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query("SELECT id, data, expiry_date FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(SessionRecord {
                id: r.try_get(0)?,
                data: r.try_get(1)?,
                expiry: r.try_get(2)?,
            })
        })
        .transpose()
    }

    async fn session_save(&self, session: &SessionRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) \
             DO UPDATE SET data = EXCLUDED.data, expiry_date = EXCLUDED.expiry_date",
        )
        .bind(&session.id)
        .bind(&session.data)
        .bind(session.expiry)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_delete(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn sessions_delete_expired(&self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expiry_date < $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        sqlx::query("INSERT INTO audit_log (at, username, action, detail) VALUES ($1, $2, $3, $4)")
            .bind(&entry.at)
            .bind(&entry.username)
            .bind(&entry.action)
            .bind(&entry.detail)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, username, action, detail FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    username: r.try_get(1)?,
                    action: r.try_get(2)?,
                    detail: r.try_get(3)?,
                })
            })
            .collect()
    }

    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage> {
        let (from, until) = query.text_bounds();
        let filter = "($1::text IS NULL OR username = $1) AND ($2::text IS NULL OR action = $2) \
                      AND ($3::text IS NULL OR at >= $3) AND ($4::text IS NULL OR at < $4)";
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT count(*) FROM audit_log WHERE {filter}"
        )))
        .bind(&query.username)
        .bind(&query.action)
        .bind(&from)
        .bind(&until)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT at, username, action, detail FROM audit_log WHERE {filter} \
             ORDER BY id DESC LIMIT $5 OFFSET $6"
        )))
        .bind(&query.username)
        .bind(&query.action)
        .bind(&from)
        .bind(&until)
        .bind(i64::from(query.limit))
        .bind(i64::from(query.offset))
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    username: r.try_get(1)?,
                    action: r.try_get(2)?,
                    detail: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AuditPage {
            entries,
            total: total as u64,
        })
    }
}

#[async_trait]
impl MaintenanceStore for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn dump(&self) -> Result<String> {
        // One snapshot, so that a dump taken during an import is one state or the other.
        let mut tx = self.pool.begin_with(BEGIN_SNAPSHOT).await?;
        let text = rows::dump_text(
            &read_courts(&mut tx).await?,
            &read_cases(&mut tx, SINCE_EVER).await?,
            &read_events(&mut tx, SINCE_EVER).await?,
            &read_import_log(&mut tx).await?,
            read_data_version(&mut tx).await?,
        );
        tx.commit().await?;
        Ok(text)
    }

    async fn backup(&self, _path: &std::path::Path) -> Result<()> {
        Err(StoreError::Unsupported(
            "tianping backup on PostgreSQL (use pg_dump, docs/postgres.md)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact_password("postgres://app:s3cret@db.example:5432/tianping"),
            "postgres://app:***@db.example:5432/tianping"
        );
        assert_eq!(
            redact_password("postgres://postgres@127.0.0.1/test?sslmode=disable"),
            "postgres://postgres@127.0.0.1/test?sslmode=disable"
        );
        assert_eq!(redact_password("postgresql://h/db"), "postgresql://h/db");
    }

    #[test]
    fn date_columns_hold_dates_and_flags_booleans() {
        let values = pg_values(
            &["filed_date", "claim_amount", "longer_limit", "cause"],
            [
                Value::Text(Some("2023-03-01".into())),
                Value::Int(Some(5)),
                Value::Int(Some(1)),
                Value::Text(None),
            ],
        )
        .unwrap();
        assert_eq!(
            values,
            [
                PgValue::Date(NaiveDate::from_ymd_opt(2023, 3, 1)),
                PgValue::Int(Some(5)),
                PgValue::Bool(Some(true)),
                PgValue::Text(None),
            ]
        );
    }

    #[test]
    fn an_upsert_rewrites_only_rows_that_differ() {
        assert_eq!(
            upsert_tail("courts", &COURT_COLUMNS),
            " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, \
             parent_code = EXCLUDED.parent_code, version = EXCLUDED.version WHERE \
             (courts.name, courts.level, courts.parent_code) IS DISTINCT FROM \
             (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code)"
        );
    }
}
