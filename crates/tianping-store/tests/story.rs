//! The storage stories, told once and run against both backends: SQLite (a temporary database
//! file) and PostgreSQL (a fresh schema per test on the server `$TIANPING_TEST_PG` names, default
//! `postgres://postgres@127.0.0.1:5432/test`). Every story is a test module with a `sqlite` and
//! a `postgres` test; a last test imports the same data into both and compares the bytes.
//!
//! Without a reachable PostgreSQL server the `postgres` tests print `skipped: no PostgreSQL` and
//! pass, unless `$CI` is set: then they fail.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection};
use tempfile::TempDir;
use tianping_domain::access::Role;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::{AppealObject, LimitSettings, Procedure};
use tianping_domain::{
    CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord, Money, TypeCode,
};
use tianping_metrics::deadlines::{DeadlineQuery, DeadlineRow, StatusFilter, deadline_list};
use tianping_metrics::documents::{deadlines_document, indicators_document};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_store::import::{ImportError, ImportOptions, ImportReport, OnError, import_files};
use tianping_store::{
    AuditEntry, AuditQuery, AuditStore, ImportBatch, ImportLogEntry, SessionRecord, Store,
    UserRecord, UserStore, rusqlite,
};
use tianping_synth::{Dataset, SynthConfig, generate};

// ---------------------------------------------------------------------------------------------
// One database per test
// ---------------------------------------------------------------------------------------------

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// Direct access to the tables, beside the store (to try what the store never does).
#[derive(Debug)]
enum Raw {
    /// A connection of its own to the database file.
    Sqlite(std::sync::Mutex<Option<rusqlite::Connection>>),
    Postgres(PgPool),
}

impl Raw {
    async fn execute(&self, sql: &'static str) -> Result<u64, String> {
        Ok(match self {
            Raw::Sqlite(connection) => {
                let connection = connection.lock().unwrap();
                let connection = connection.as_ref().expect("open");
                connection.execute(sql, []).map_err(|e| e.to_string())? as u64
            }
            Raw::Postgres(pool) => sqlx::query(sql)
                .execute(pool)
                .await
                .map_err(|e| e.to_string())?
                .rows_affected(),
        })
    }

    async fn close(&self) {
        match self {
            Raw::Sqlite(connection) => drop(connection.lock().unwrap().take()),
            Raw::Postgres(pool) => pool.close().await,
        }
    }
}

/// A PostgreSQL schema that exists for one test. Dropped by [`TestDb::finish`]; when a test
/// panics before that, dropped here.
#[derive(Debug)]
struct Schema {
    server: String,
    name: String,
    dropped: bool,
}

/// Drop the schema `name`. After a panic, pass `evict`: a connection the test left inside a
/// transaction may still hold locks there, and its runtime, blocked in the panic, will never end
/// it, so the sessions holding locks on the schema's tables are ended first.
async fn drop_schema(server: &str, name: &str, evict: bool) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect(server).await?;
    if evict {
        sqlx::query(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l \
             JOIN pg_class c ON c.oid = l.relation \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND l.pid <> pg_backend_pid() GROUP BY l.pid",
        )
        .bind(name)
        .execute(&mut conn)
        .await?;
    }
    // Never wait long: at worst the schema is left behind (named t_…).
    sqlx::query("SET lock_timeout = '10s'")
        .execute(&mut conn)
        .await?;
    sqlx::query(AssertSqlSafe(format!("DROP SCHEMA {name} CASCADE")))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

impl Drop for Schema {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop runs on the test's runtime thread, which cannot wait for a future: use a thread
        // with a runtime of its own.
        let (server, name) = (self.server.clone(), self.name.clone());
        let outcome = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(drop_schema(&server, &name, true))
        })
        .join();
        if !matches!(outcome, Ok(Ok(()))) {
            eprintln!("could not drop schema {}: {outcome:?}", self.name);
        }
    }
}

/// The store a story works on, opened through [`tianping_store::open`] as the programs do.
struct TestDb {
    backend: Backend,
    store: Arc<dyn Store>,
    raw: Raw,
    /// Where the story writes its files (and, for SQLite, the database file).
    dir: TempDir,
    schema: Option<Schema>,
}

fn pg_server() -> String {
    std::env::var("TIANPING_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.to_owned())
}

/// A name no other test, in this process or another, uses.
fn unique_schema_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // RandomState is seeded randomly per process.
    let hash = RandomState::new().hash_one((
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos,
    ));
    format!("t_{hash:016x}")
}

/// `url` with `search_path` set to `schema` for every connection (libpq's `options`).
fn url_with_schema(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-csearch_path%3D{schema}")
}

/// A fresh, empty schema on the test server; `None` when there is no server and CI is unset.
async fn fresh_schema() -> Option<Schema> {
    let server = pg_server();
    let connected = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&server))
        .await
        .map_err(|_| "timed out".to_owned())
        .and_then(|r| r.map_err(|e| e.to_string()));
    let mut conn = match connected {
        Ok(conn) => conn,
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL at {server} is unreachable ({why}) and CI is set"
            );
            eprintln!("skipped: no PostgreSQL ({server}: {why})");
            return None;
        }
    };
    let name = unique_schema_name();
    sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    Some(Schema {
        server,
        name,
        dropped: false,
    })
}

impl TestDb {
    /// A new, empty database; `None` for PostgreSQL when there is no server (and CI is unset).
    async fn open(backend: Backend) -> Option<TestDb> {
        let dir = tempfile::tempdir().unwrap();
        let db = match backend {
            Backend::Sqlite => {
                let path = dir.path().join("tianping.db");
                let store = tianping_store::open(path.to_str().unwrap()).await.unwrap();
                let raw = rusqlite::Connection::open(&path).unwrap();
                TestDb {
                    backend,
                    store,
                    raw: Raw::Sqlite(std::sync::Mutex::new(Some(raw))),
                    dir,
                    schema: None,
                }
            }
            Backend::Postgres => {
                let schema = fresh_schema().await?;
                let url = url_with_schema(&schema.server, &schema.name);
                let store = tianping_store::open(&url).await.unwrap();
                let raw = PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&url)
                    .await
                    .unwrap();
                TestDb {
                    backend,
                    store,
                    raw: Raw::Postgres(raw),
                    dir,
                    schema: Some(schema),
                }
            }
        };
        let expected = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        assert_eq!(db.store.backend(), expected);
        Some(db)
    }

    fn store(&self) -> &dyn Store {
        &*self.store
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Close every connection and drop the PostgreSQL schema.
    async fn finish(mut self) {
        self.store.close().await;
        self.raw.close().await;
        if let Some(schema) = self.schema.as_mut() {
            drop_schema(&schema.server, &schema.name, false)
                .await
                .unwrap();
            schema.dropped = true;
        }
    }
}

/// For each story `name`, a module `name` with the tests `sqlite` and `postgres`.
macro_rules! stories {
    ($($story:ident),* $(,)?) => {$(
        mod $story {
            use super::{Backend, TestDb};

            #[tokio::test]
            async fn sqlite() {
                let db = TestDb::open(Backend::Sqlite).await.unwrap();
                super::$story(&db).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(db) = TestDb::open(Backend::Postgres).await {
                    super::$story(&db).await;
                    db.finish().await;
                }
            }
        }
    )*};
}

stories!(
    every_field_reads_back_as_written,
    a_bulk_import_reads_back_as_written,
    names_with_control_characters_read_back_exactly,
    importing_files_then_reimporting_them_changes_no_data,
    a_changed_case_is_rewritten_alone_and_gets_the_new_version,
    a_key_repeated_in_one_batch_is_applied_row_after_row,
    bad_input_leaves_the_dump_unchanged,
    skip_mode_stores_the_good_rows_and_writes_the_rejects,
    events_are_checked_against_the_database_and_de_duplicated,
    changes_since_refresh_a_snapshot_to_the_full_answer,
    concurrent_imports_both_land,
    users_are_created_read_and_updated,
    the_audit_log_only_grows,
    sessions_are_saved_loaded_and_expire,
    deadlines_from_the_store_match_the_generated_data,
    indicators_from_the_store_match_the_generated_data,
);

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn court(code: &str, name: &str, level: CourtLevel, parent: Option<&str>) -> CourtRecord {
    CourtRecord {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(Into::into),
    }
}

fn courts() -> Vec<CourtRecord> {
    vec![
        court("皖", "安徽省高级人民法院", CourtLevel::High, None),
        court(
            "皖02",
            "芜湖市中级人民法院",
            CourtLevel::Intermediate,
            Some("皖"),
        ),
        court(
            "皖0202",
            "芜湖市镜湖区人民法院",
            CourtLevel::Basic,
            Some("皖02"),
        ),
    ]
}

/// A case with every optional field empty.
fn bare_case(number: &str, filed: &str) -> CaseRecord {
    let parsed = tianping_domain::CaseNumber::parse(number).unwrap();
    CaseRecord {
        case_number: parsed.normalized(),
        court_code: parsed.court.to_string(),
        type_code: None,
        type_name: None,
        procedure: None,
        cause: None,
        received_date: None,
        filed_date: d(filed),
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

/// A case with every field written, tabs and all.
fn full_case(number: &str) -> CaseRecord {
    CaseRecord {
        type_code: TypeCode::lookup("民终"),
        type_name: Some("民事二审".into()),
        procedure: Some(Procedure::Ordinary),
        cause: Some("民间借贷纠纷\t（含利息）".into()),
        received_date: Some(d("2023-02-27")),
        division: Some("民一庭".into()),
        judge: Some("张明".into()),
        closed_date: Some(d("2023-06-01")),
        closing_mode: Some(ClosingMode::Amended),
        disposal: Some("改判".into()),
        claim_amount: Some(Money(9_007_199_254_740_993)),
        recovered_amount: Some(Money(0)),
        origin_case_number: Some("（2022）皖0202民初9号".into()),
        foreign_related: true,
        longer_limit: true,
        appeal_object: AppealObject::Ruling,
        ..bare_case(number, "2023-03-01")
    }
}

fn event(case_number: &str, kind: EventKind, date: &str) -> EventRecord {
    EventRecord {
        case_number: case_number.into(),
        kind,
        date: d(date),
        end_date: None,
        months: None,
        days: None,
        reason: None,
    }
}

/// Events in the order the stores list them: by case number, date, kind id, then the optional
/// fields with the empty ones first.
fn in_store_order(mut events: Vec<EventRecord>) -> Vec<EventRecord> {
    events.sort_by(EventRecord::store_order);
    events
}

const CASES_HEADER: &str = "case_number,procedure,filed_date,received_date,closed_date,\
     closing_mode,claim_amount,recovered_amount";

const EVENTS_HEADER: &str = "case_number,event,date,end_date,months,days,reason";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn courts_csv(dir: &Path) -> PathBuf {
    write(
        dir,
        "courts.csv",
        "code,name,level,parent_code\n\
         皖,安徽省高级人民法院,高级,\n\
         皖02,芜湖市中级人民法院,中级,皖\n\
         皖0202,芜湖市镜湖区人民法院,基层,皖02\n",
    )
}

fn cases_csv(dir: &Path) -> PathBuf {
    write(
        dir,
        "cases.csv",
        &format!(
            "{CASES_HEADER}\n\
             （2023）皖0202民初1号,简易程序,2023-03-01,2023-03-01,2023-05-01,判决,10000,\n\
             （2023）皖0202民初2号,,2023-03-02,2023-03-01,,,5000,\n\
             （2023）皖0202执3号,,2023-04-02,,2023-08-01,终本,50000,0\n"
        ),
    )
}

fn events_csv(dir: &Path) -> PathBuf {
    write(
        dir,
        "events.csv",
        &format!(
            "{EVENTS_HEADER}\n\
             （2023）皖0202民初2号,扣除审限,2023-04-01,2023-04-20,,,鉴定\n\
             （2023）皖0202民初2号,延长审限,2023-08-01,,6,,\n"
        ),
    )
}

fn options(on_error: OnError) -> ImportOptions {
    ImportOptions {
        on_error,
        user: "clerk".into(),
        at: "2024-01-01T00:00:00+08:00".into(),
        ..ImportOptions::default()
    }
}

async fn import(db: &TestDb, files: &[PathBuf], on_error: OnError) -> ImportReport {
    import_files(db.store(), files, &options(on_error), None)
        .await
        .unwrap()
}

/// The lines of one `## name` section of a dump.
fn section<'a>(dump: &'a str, name: &str) -> Vec<&'a str> {
    dump.split("## ")
        .find_map(|s| s.strip_prefix(name).and_then(|s| s.strip_prefix('\n')))
        .unwrap_or_else(|| panic!("no section {name} in {dump}"))
        .lines()
        .collect()
}

/// The generated province, made once per test process (about 50,000 cases).
fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| generate(&SynthConfig::small(7)))
}

fn dataset_batch(data: &Dataset) -> ImportBatch {
    ImportBatch {
        courts: data.courts.clone(),
        cases: data.cases.clone(),
        events: data.events.clone(),
        log: vec![ImportLogEntry {
            at: "2026-01-05T09:00:00+08:00".into(),
            user: "admin".into(),
            file: "synth".into(),
            kind: "cases".into(),
            rows: data.cases.len() as u64,
            imported: data.cases.len() as u64,
            rejected: 0,
        }],
    }
}

fn calendar() -> Arc<HolidayCalendar> {
    Arc::new(HolidayCalendar::builtin())
}

/// What both stores and the generated data are asked about.
fn indicator_queries() -> Vec<IndicatorQuery> {
    let query = |from: &str, to: &str, by: GroupBy| IndicatorQuery {
        from: d(from),
        to: d(to),
        as_of: d(to),
        scope: None,
        by,
    };
    vec![
        query("2024-01-01", "2024-12-31", GroupBy::Court),
        query("2025-01-01", "2025-06-30", GroupBy::Judge),
        query("2023-01-01", "2025-12-31", GroupBy::TypeCode),
        query("2025-10-01", "2025-12-31", GroupBy::None),
    ]
}

/// The indicator documents of [`indicator_queries`], as the programs print them (one a line).
fn indicators(snapshot: &Snapshot) -> String {
    indicator_queries()
        .iter()
        .map(|q| {
            let rows = compute(snapshot, q).unwrap();
            serde_json::to_string(&indicators_document(q, &rows)).unwrap()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const DEADLINES_AS_OF: &str = "2025-06-30";

fn deadlines(
    courts: &[CourtRecord],
    cases: &[CaseRecord],
    events: &[EventRecord],
) -> Vec<DeadlineRow> {
    let snapshot = Snapshot::build(courts, cases, events, calendar(), LimitSettings::default());
    deadline_list(
        &snapshot,
        &DeadlineQuery::new(d(DEADLINES_AS_OF), None, StatusFilter::All),
    )
}

async fn snapshot_of(store: &dyn Store) -> Snapshot {
    Snapshot::build(
        &store.courts().await.unwrap(),
        &store.cases().await.unwrap(),
        &store.events().await.unwrap(),
        calendar(),
        LimitSettings::default(),
    )
}

// ---------------------------------------------------------------------------------------------
// The stories
// ---------------------------------------------------------------------------------------------

async fn every_field_reads_back_as_written(db: &TestDb) {
    let store = db.store();
    let n = |i: u32| format!("（2023）皖0202民初{i}号");
    let cases = vec![full_case(&n(1)), bare_case(&n(2), "2023-03-02")];
    let mut extension = event(&n(1), EventKind::Extension, "2023-04-01");
    extension.months = Some(6);
    extension.days = Some(15);
    let mut deduction = event(&n(1), EventKind::Deduction, "2023-04-01");
    deduction.end_date = Some(d("2023-04-20"));
    deduction.reason = Some("鉴定".into());
    let events = vec![
        event(&n(2), EventKind::Appeal, "2023-05-01"),
        deduction,
        extension,
        event(&n(1), EventKind::Deduction, "2023-04-01"),
    ];
    let batch = ImportBatch {
        courts: courts(),
        cases: cases.clone(),
        events: events.clone(),
        log: vec![],
    };
    let outcome = store.apply_import(&batch).await.unwrap();
    assert_eq!(
        (
            outcome.courts.inserted,
            outcome.cases.inserted,
            outcome.events.inserted
        ),
        (3, 2, 4)
    );
    let mut expected_courts = courts();
    expected_courts.sort_by(|a, b| a.code.cmp(&b.code));
    assert_eq!(store.courts().await.unwrap(), expected_courts);
    assert_eq!(store.cases().await.unwrap(), cases);
    assert_eq!(store.events().await.unwrap(), in_store_order(events));
    assert_eq!(store.counts().await.unwrap(), (3, 2, 4));
    assert_eq!(store.data_version().await.unwrap(), 1);
    // The canonical text: tabs inside values become spaces, NULL is ∅.
    let dump = store.dump().await.unwrap();
    let case_lines = section(&dump, "cases");
    assert!(
        case_lines[0].contains("民间借贷纠纷 （含利息）\t"),
        "{dump}"
    );
    assert!(case_lines[0].contains("\t9007199254740993\t0\t"), "{dump}");
    assert_eq!(case_lines[1].matches('∅').count(), 13, "{}", case_lines[1]);
}

/// A batch of thousands of rows, which PostgreSQL takes in through `COPY` (text format, where
/// tabs, line breaks and backslashes are escapes), reads back as written, and again changes
/// nothing; identical events in it count once.
async fn a_bulk_import_reads_back_as_written(db: &TestDb) {
    let store = db.store();
    let n = |i: u32| format!("（2023）皖0202民初{i}号");
    let awkward = [
        "民间借贷纠纷\t（含利息）",
        "第一行\n第二行\r\n第三行",
        "C:\\案卷\\2023",
        "\\N",
        "\"引号\", 逗号",
        "",
    ];
    let cases: Vec<CaseRecord> = (1..=3000)
        .map(|i| {
            let mut case = if i % 2 == 0 {
                full_case(&n(i))
            } else {
                bare_case(&n(i), "2023-03-02")
            };
            if i % 3 == 0 {
                case.cause = Some(awkward[(i as usize / 3) % awkward.len()].to_owned());
            }
            case
        })
        .collect();
    let mut events: Vec<EventRecord> = (1..=3000)
        .map(|i| {
            let mut e = event(&n(i), EventKind::Deduction, "2023-04-01");
            e.end_date = Some(d("2023-04-20"));
            e.reason = Some(awkward[i as usize % awkward.len()].to_owned());
            e
        })
        .collect();
    events.push(events[0].clone());
    let batch = ImportBatch {
        courts: courts(),
        cases: cases.clone(),
        events: events.clone(),
        log: vec![],
    };
    let outcome = store.apply_import(&batch).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.events.inserted,
            outcome.events.unchanged
        ),
        (3000, 3000, 1)
    );
    let mut expected = cases.clone();
    expected.sort_by(|a, b| a.case_number.cmp(&b.case_number));
    assert_eq!(store.cases().await.unwrap(), expected);
    events.pop();
    assert_eq!(store.events().await.unwrap(), in_store_order(events));
    let dump = store.dump().await.unwrap();

    let again = store.apply_import(&batch).await.unwrap();
    assert_eq!(
        (again.cases.unchanged, again.events.unchanged),
        (3000, 3001)
    );
    assert_eq!(store.dump().await.unwrap(), dump);
    // One case changed among thousands: that one is updated, the others stay.
    let mut changed = batch.clone();
    changed.cases[41].judge = Some("李\t华".into());
    let outcome = store.apply_import(&changed).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.cases.updated,
            outcome.cases.unchanged
        ),
        (0, 1, 2999)
    );
}

/// A judge's and a division's names holding U+001D, U+001E and U+001F (which an earlier SQLite
/// read format used as separators and stored as spaces), tabs and line breaks: imported from a
/// file, they read back exactly, from the store and in the deadline list's JSON (as
/// `deadlines --format json` prints it).
async fn names_with_control_characters_read_back_exactly(db: &TestDb) {
    let store = db.store();
    let judge = "张\u{1d}明\u{1e}华\u{1f}\t李\r\n王\n赵";
    let division = "民一庭\n（\u{1f}速裁\u{1e}）\t二组\u{1d}团队\r三";
    let number = "（2025）皖0202民初1号";
    let cases = write(
        db.dir(),
        "names.csv",
        &format!(
            "case_number,filed_date,division,judge\n\
             {number},2025-06-02,\"{division}\",\"{judge}\"\n"
        ),
    );
    let report = import(db, &[courts_csv(db.dir()), cases], OnError::Reject).await;
    assert_eq!(report.outcome.cases.inserted, 1);
    let stored = store.cases().await.unwrap();
    assert_eq!(stored[0].judge.as_deref(), Some(judge));
    assert_eq!(stored[0].division.as_deref(), Some(division));

    let rows = deadlines(
        &store.courts().await.unwrap(),
        &stored,
        &store.events().await.unwrap(),
    );
    let json =
        tianping_metrics::documents::to_json_bytes(&deadlines_document(d(DEADLINES_AS_OF), &rows));
    let read: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let row = &read["rows"][0];
    assert_eq!(row["case_number"], number);
    assert_eq!(row["judge"], judge);
    assert_eq!(row["division"], division);
    // And an unchanged re-import finds them equal, byte for byte.
    let again = import(
        db,
        &[db.dir().join("courts.csv"), db.dir().join("names.csv")],
        OnError::Reject,
    )
    .await;
    assert_eq!(again.outcome.cases.unchanged, 1);
}

async fn importing_files_then_reimporting_them_changes_no_data(db: &TestDb) {
    let store = db.store();
    let files = [
        events_csv(db.dir()),
        cases_csv(db.dir()),
        courts_csv(db.dir()),
    ];
    let report = import(db, &files, OnError::Reject).await;
    assert_eq!(report.outcome.courts.inserted, 3);
    assert_eq!(report.outcome.cases.inserted, 3);
    assert_eq!(report.outcome.events.inserted, 2);
    assert_eq!(store.counts().await.unwrap(), (3, 3, 2));
    // In byte order: 执 (U+6267) before 民 (U+6C11).
    let cases = store.cases().await.unwrap();
    assert_eq!(
        cases
            .iter()
            .map(|c| c.case_number.as_str())
            .collect::<Vec<_>>(),
        [
            "（2023）皖0202执3号",
            "（2023）皖0202民初1号",
            "（2023）皖0202民初2号"
        ]
    );
    assert_eq!(
        cases[0].closing_mode,
        Some(ClosingMode::TerminationOfThisRound)
    );
    assert_eq!(cases[1].closing_mode, Some(ClosingMode::Judgment));
    assert_eq!(cases[1].claim_amount, Some(Money(1_000_000)), "yuan to fen");
    assert_eq!(store.data_version().await.unwrap(), 1);
    let first = store.dump().await.unwrap();

    let report = import(db, &files, OnError::Reject).await;
    let o = report.outcome;
    assert_eq!(
        [o.courts, o.cases, o.events].map(|c| (c.inserted, c.updated, c.unchanged)),
        [(0, 0, 3), (0, 0, 3), (0, 0, 2)]
    );
    assert_eq!(
        store.data_version().await.unwrap(),
        1,
        "no change, no version"
    );
    let second = store.dump().await.unwrap();
    for data in ["courts", "cases", "events", "data_version"] {
        assert_eq!(section(&first, data), section(&second, data), "{data}");
    }
    // Only the import log grew: one line per file, courts first.
    let log = store.import_log().await.unwrap();
    assert_eq!(log.len(), 6);
    assert_eq!(
        log.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["courts", "cases", "events", "courts", "cases", "events"]
    );
    assert_eq!(
        (
            log[1].user.as_str(),
            log[1].rows,
            log[1].imported,
            log[1].rejected
        ),
        ("clerk", 3, 3, 0)
    );
}

async fn a_changed_case_is_rewritten_alone_and_gets_the_new_version(db: &TestDb) {
    let store = db.store();
    let n = |i: u32| format!("（2023）皖0202民初{i}号");
    let mut batch = ImportBatch {
        courts: courts(),
        cases: (1..=3).map(|i| bare_case(&n(i), "2023-03-01")).collect(),
        ..ImportBatch::default()
    };
    store.apply_import(&batch).await.unwrap();
    // A NULL becoming a value is a change (IS DISTINCT FROM, not =).
    batch.cases[1].closed_date = Some(d("2023-09-01"));
    batch.cases[1].closing_mode = Some(ClosingMode::Mediation);
    let outcome = store.apply_import(&batch).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.cases.updated,
            outcome.cases.unchanged
        ),
        (0, 1, 2)
    );
    assert_eq!((outcome.courts.updated, outcome.courts.unchanged), (0, 3));
    assert_eq!(store.data_version().await.unwrap(), 2);
    let changes = store.changes_since(1).await.unwrap();
    assert_eq!(changes.version, 2);
    assert_eq!(changes.cases, vec![batch.cases[1].clone()]);
    assert!(changes.courts.is_none());
    // And a value becoming NULL.
    batch.cases[1].closing_mode = None;
    batch.cases[1].closed_date = None;
    let outcome = store.apply_import(&batch).await.unwrap();
    assert_eq!(outcome.cases.updated, 1);
    assert_eq!(store.cases().await.unwrap(), batch.cases);
    assert_eq!(store.data_version().await.unwrap(), 3);
}

async fn a_key_repeated_in_one_batch_is_applied_row_after_row(db: &TestDb) {
    let store = db.store();
    let mut renamed = courts()[2].clone();
    renamed.name = "芜湖市镜湖区法院".into();
    let case = bare_case("（2023）皖0202民初1号", "2023-03-01");
    let batch = ImportBatch {
        courts: vec![courts()[2].clone(), renamed.clone(), renamed.clone()],
        cases: vec![case.clone(), case.clone()],
        ..ImportBatch::default()
    };
    let outcome = store.apply_import(&batch).await.unwrap();
    let c = outcome.courts;
    assert_eq!((c.inserted, c.updated, c.unchanged), (1, 1, 1));
    let c = outcome.cases;
    assert_eq!((c.inserted, c.updated, c.unchanged), (1, 0, 1));
    assert_eq!(store.courts().await.unwrap(), vec![renamed]);
    assert_eq!(store.cases().await.unwrap(), vec![case]);
}

async fn bad_input_leaves_the_dump_unchanged(db: &TestDb) {
    let store = db.store();
    import(
        db,
        &[courts_csv(db.dir()), cases_csv(db.dir())],
        OnError::Reject,
    )
    .await;
    let before = store.dump().await.unwrap();
    let version = store.data_version().await.unwrap();

    let bad = write(
        db.dir(),
        "bad.csv",
        &format!(
            "{CASES_HEADER}\n\
             （2023）皖0202民初10号,,2023-02-30,,,,,\n\
             （2023）皖0202民初11号,,2023-03-01,,,,,\n\
             （2023）皖0202民初1号,,2023-03-01,,2023-03-09,调解,,\n\
             （2023）皖0202民初14号,,2023-05-01,,2023-04-01,判决,,\n"
        ),
    );
    let result = import_files(store, &[bad], &options(OnError::Reject), None).await;
    let Err(ImportError::Rejected { errors }) = result else {
        panic!("expected a rejection, got {result:?}");
    };
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), [2, 5]);
    assert_eq!(errors[0].column.as_deref(), Some("filed_date"));
    assert_eq!(
        store.dump().await.unwrap(),
        before,
        "nothing stored, nothing logged"
    );
    assert_eq!(store.data_version().await.unwrap(), version);
}

async fn skip_mode_stores_the_good_rows_and_writes_the_rejects(db: &TestDb) {
    let store = db.store();
    let cases = write(
        db.dir(),
        "cases.csv",
        &format!(
            "{CASES_HEADER}\n\
             （2023）皖0202民初1号,,2023-03-01,,,,,\n\
             （2023）皖0202民初2号,,2023-03-01,,,,-5,\n\
             （2023）皖0202民初3号,,2023-03-01,,,,,\n"
        ),
    );
    let events = write(
        db.dir(),
        "events.csv",
        &format!(
            "{EVENTS_HEADER}\n\
             （2023）皖0202民初2号,延长审限,2023-08-01,,6,,\n\
             （2023）皖0202民初3号,延长审限,2023-08-01,,6,,\n"
        ),
    );
    let report = import(db, &[cases, events], OnError::Skip).await;
    assert_eq!(store.counts().await.unwrap(), (0, 2, 1));
    assert_eq!(
        store
            .cases()
            .await
            .unwrap()
            .iter()
            .map(|c| c.case_number.as_str())
            .collect::<Vec<_>>(),
        ["（2023）皖0202民初1号", "（2023）皖0202民初3号"]
    );
    let case_report = report.files.iter().find(|f| f.kind == "cases").unwrap();
    assert_eq!((case_report.imported, case_report.rejected), (2, 1));
    let rejects = std::fs::read_to_string(case_report.rejects_file.as_ref().unwrap()).unwrap();
    assert!(rejects.contains("（2023）皖0202民初2号"), "{rejects}");
    assert!(
        rejects.contains("claim_amount: 金额不能为负数：-5.00"),
        "{rejects}"
    );
    let event_report = report.files.iter().find(|f| f.kind == "events").unwrap();
    let rejects = std::fs::read_to_string(event_report.rejects_file.as_ref().unwrap()).unwrap();
    assert!(
        rejects.contains("case_number: 案件 （2023）皖0202民初2号 在本次导入中被拒绝（")
            && rejects.contains("cases.csv:3），其事件不能导入"),
        "{rejects}"
    );
    let log = store.import_log().await.unwrap();
    assert_eq!(
        log.iter()
            .map(|e| (e.kind.as_str(), e.rows, e.imported, e.rejected))
            .collect::<Vec<_>>(),
        [("cases", 3, 2, 1), ("events", 2, 1, 1)]
    );
}

async fn events_are_checked_against_the_database_and_de_duplicated(db: &TestDb) {
    let store = db.store();
    let unknown = write(
        db.dir(),
        "unknown.csv",
        &format!("{EVENTS_HEADER}\n（2023）皖0202民初99号,扣除审限,2023-04-01,,,,鉴定\n"),
    );
    let result = import_files(store, &[unknown], &options(OnError::Reject), None).await;
    let Err(ImportError::Rejected { errors }) = result else {
        panic!("expected a rejection, got {result:?}");
    };
    assert_eq!(
        errors[0].message,
        "找不到案件 （2023）皖0202民初99号：数据库和本次导入中都没有这个案件"
    );

    import(db, &[cases_csv(db.dir())], OnError::Reject).await;
    // Against the database: the cases exist now. The second row is the first with an end date,
    // the third repeats the first.
    let events = write(
        db.dir(),
        "later.csv",
        &format!(
            "{EVENTS_HEADER}\n\
             （2023）皖0202民初2号,扣除审限,2023-04-01,,,,鉴定\n\
             （2023）皖0202民初2号,扣除审限,2023-04-01,2023-04-10,,,鉴定\n\
             （2023）皖0202民初2号,扣除审限,2023-04-01,,,,鉴定\n"
        ),
    );
    let report = import(db, std::slice::from_ref(&events), OnError::Reject).await;
    let e = report.outcome.events;
    assert_eq!((e.inserted, e.unchanged), (2, 1));
    let report = import(db, &[events], OnError::Reject).await;
    let e = report.outcome.events;
    assert_eq!((e.inserted, e.unchanged), (0, 3));
    let stored = store.events().await.unwrap();
    assert_eq!(
        stored.iter().map(|e| e.end_date).collect::<Vec<_>>(),
        [None, Some(d("2023-04-10"))],
        "the open deduction first"
    );
    let asked: Vec<String> = (1..=1200)
        .map(|i| format!("（2023）皖0202民初{i}号"))
        .collect();
    let found = store.existing_case_numbers(&asked).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.contains("（2023）皖0202民初2号"));
    assert!(store.existing_case_numbers(&[]).await.unwrap().is_empty());
}

async fn changes_since_refresh_a_snapshot_to_the_full_answer(db: &TestDb) {
    let store = db.store();
    let data = dataset();
    // Three fifths of the cases first, then the rest with one of the first changed.
    let split = data.cases.len() * 3 / 5;
    let (early, late) = data.cases.split_at(split);
    let in_early: std::collections::HashSet<&str> =
        early.iter().map(|c| c.case_number.as_str()).collect();
    let (early_events, late_events): (Vec<EventRecord>, Vec<EventRecord>) = data
        .events
        .iter()
        .cloned()
        .partition(|e| in_early.contains(e.case_number.as_str()));
    assert_eq!(store.data_version().await.unwrap(), 0);
    store
        .apply_import(&ImportBatch {
            courts: data.courts.clone(),
            cases: early.to_vec(),
            events: early_events,
            log: vec![],
        })
        .await
        .unwrap();
    let v1 = store.data_version().await.unwrap();
    let all = store.changes_since(0).await.unwrap();
    assert_eq!(all.version, v1);
    assert_eq!(all.cases.len(), early.len());
    assert_eq!(all.courts.as_ref().map(Vec::len), Some(data.courts.len()));
    let mut snapshot = snapshot_of(store).await;

    let mut changed = early[0].clone();
    changed.judge = Some("王芳".into());
    let mut later = late.to_vec();
    later.push(changed.clone());
    store
        .apply_import(&ImportBatch {
            courts: data.courts.clone(),
            cases: later,
            events: late_events.clone(),
            log: vec![],
        })
        .await
        .unwrap();
    let changes = store.changes_since(v1).await.unwrap();
    assert_eq!(changes.version, v1 + 1);
    assert!(changes.courts.is_none(), "no court changed");
    assert_eq!(changes.cases.len(), late.len() + 1);
    assert!(changes.cases.contains(&changed));
    assert_eq!(changes.events.len(), late_events.len());
    snapshot.apply(&changes.cases, &changes.events);
    assert!(
        indicators(&snapshot) == indicators(&snapshot_of(store).await),
        "a refreshed snapshot answers like a new one"
    );

    // Nothing new: an empty change set at the same version.
    let none = store.changes_since(changes.version).await.unwrap();
    assert_eq!(
        (none.version, none.cases.len(), none.events.len()),
        (changes.version, 0, 0)
    );
    assert!(none.courts.is_none());
}

async fn concurrent_imports_both_land(db: &TestDb) {
    let store = db.store();
    store
        .apply_import(&ImportBatch {
            courts: courts(),
            ..ImportBatch::default()
        })
        .await
        .unwrap();
    let batch = |from: u32| ImportBatch {
        cases: (from..from + 2000)
            .map(|i| bare_case(&format!("（2024）皖0202民初{i}号"), "2024-01-02"))
            .collect(),
        ..ImportBatch::default()
    };
    let (a, b) = (batch(1), batch(1001));
    let (first, second) = tokio::join!(store.apply_import(&a), store.apply_import(&b));
    let (first, second) = (first.unwrap(), second.unwrap());
    // 1001..=2000 are in both: whichever import ran second found them.
    assert_eq!(first.cases.inserted + second.cases.inserted, 3000);
    assert_eq!(first.cases.unchanged + second.cases.unchanged, 1000);
    assert_eq!(store.counts().await.unwrap(), (3, 3000, 0));
    assert_eq!(store.data_version().await.unwrap(), 3, "one version each");
}

async fn users_are_created_read_and_updated(db: &TestDb) {
    // Through the users' capability alone, as the code that uses it holds it.
    let store: &dyn UserStore = db.store();
    let mut clerk = UserRecord {
        username: "clerk".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::Staff,
        court_code: Some("皖0202".into()),
        judge_name: None,
        disabled: false,
        created_at: "2024-01-01T00:00:00+08:00".into(),
    };
    let judge = UserRecord {
        username: "Zhang".into(),
        role: Role::Judge,
        judge_name: Some("张明".into()),
        ..clerk.clone()
    };
    assert!(store.upsert_user(&clerk).await.unwrap());
    assert!(store.upsert_user(&judge).await.unwrap());
    clerk.disabled = true;
    clerk.role = Role::Admin;
    clerk.court_code = None;
    let mut replacement = clerk.clone();
    replacement.created_at = "2030-01-01T00:00:00+08:00".into();
    assert!(!store.upsert_user(&replacement).await.unwrap());
    assert_eq!(
        store.user("clerk").await.unwrap(),
        Some(clerk.clone()),
        "changed, created_at kept"
    );
    // Byte order: upper case before lower case.
    assert_eq!(store.users().await.unwrap(), vec![judge, clerk]);
    assert_eq!(store.user("nobody").await.unwrap(), None);
}

async fn the_audit_log_only_grows(db: &TestDb) {
    // Through the audit's capability alone, as the code that uses it holds it.
    let store: &dyn AuditStore = db.store();
    for (i, action) in ["sign_in", "import", "sign_out"].into_iter().enumerate() {
        let entry = AuditEntry {
            at: format!("2024-01-01T00:00:0{i}+08:00"),
            username: "clerk".into(),
            action: action.into(),
            detail: format!("detail {i}"),
        };
        store.append_audit(&entry).await.unwrap();
    }
    let log = store.audit_log(2).await.unwrap();
    assert_eq!(
        log.iter()
            .map(|e| (e.action.as_str(), e.detail.as_str()))
            .collect::<Vec<_>>(),
        [("sign_out", "detail 2"), ("import", "detail 1")]
    );
    for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
        let refused = db.raw.execute(sql).await.unwrap_err().to_string();
        assert!(refused.contains("append-only"), "{sql}: {refused}");
    }
    if db.backend == Backend::Postgres {
        let refused = db.raw.execute("TRUNCATE audit_log").await.unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{refused}");
    }
    let all = store.audit_log(10).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].action, "sign_in");

    // Pages by user, action and day, newest first, with the count of all that pass.
    for (i, (user, action, day)) in [
        ("admin", "export", "2024-01-02"),
        ("clerk", "export", "2024-01-02"),
        ("clerk", "export", "2024-01-03"),
        ("clerk", "import", "2024-01-03"),
        ("clerk", "export", "2024-01-04"),
    ]
    .into_iter()
    .enumerate()
    {
        let entry = AuditEntry {
            at: format!("{day}T09:00:0{i}+08:00"),
            username: user.into(),
            action: action.into(),
            detail: format!("more {i}"),
        };
        store.append_audit(&entry).await.unwrap();
    }
    let page = |username: Option<&str>,
                action: Option<&str>,
                from: Option<&str>,
                to: Option<&str>,
                offset: u32,
                limit: u32| {
        let query = AuditQuery {
            username: username.map(Into::into),
            action: action.map(Into::into),
            from: from.map(d),
            to: to.map(d),
            offset,
            limit,
        };
        async move {
            let page = store.audit_page(&query).await.unwrap();
            let details: Vec<String> = page.entries.into_iter().map(|e| e.detail).collect();
            (page.total, details)
        }
    };
    assert_eq!(page(None, None, None, None, 0, 3).await.0, 8);
    assert_eq!(
        page(Some("clerk"), Some("export"), None, None, 0, 10).await,
        (3, vec!["more 4".into(), "more 2".into(), "more 1".into()])
    );
    // A day is the whole day (China Standard Time, as written); `to` includes its day.
    assert_eq!(
        page(None, None, Some("2024-01-02"), Some("2024-01-03"), 0, 10).await,
        (
            4,
            vec![
                "more 3".into(),
                "more 2".into(),
                "more 1".into(),
                "more 0".into()
            ]
        )
    );
    // The second page of two a page.
    assert_eq!(
        page(Some("clerk"), None, Some("2024-01-02"), None, 2, 2).await,
        (4, vec!["more 2".into(), "more 1".into()])
    );
    assert_eq!(
        page(Some("nobody"), None, None, None, 0, 10).await,
        (0, vec![])
    );
}

async fn sessions_are_saved_loaded_and_expire(db: &TestDb) {
    // Through the sessions' capability alone, as the code that uses it holds it.
    let store: &dyn UserStore = db.store();
    let mut a = SessionRecord {
        id: "a".into(),
        data: vec![0, 1, 2, 255],
        expiry: 100,
    };
    let b = SessionRecord {
        id: "b".into(),
        data: Vec::new(),
        expiry: 200,
    };
    store.session_save(&a).await.unwrap();
    store.session_save(&b).await.unwrap();
    assert_eq!(store.session_load("a").await.unwrap(), Some(a.clone()));
    a.data = b"{\"user\":\"clerk\"}".to_vec();
    a.expiry = 150;
    store.session_save(&a).await.unwrap();
    assert_eq!(store.session_load("a").await.unwrap(), Some(a.clone()));
    assert_eq!(store.sessions_delete_expired(150).await.unwrap(), 0);
    assert_eq!(store.sessions_delete_expired(151).await.unwrap(), 1);
    assert_eq!(store.session_load("a").await.unwrap(), None);
    store.session_delete("b").await.unwrap();
    store.session_delete("b").await.unwrap();
    assert_eq!(store.session_load("b").await.unwrap(), None);
}

async fn deadlines_from_the_store_match_the_generated_data(db: &TestDb) {
    let store = db.store();
    let data = dataset();
    store.apply_import(&dataset_batch(data)).await.unwrap();
    let from_store = deadlines(
        &store.courts().await.unwrap(),
        &store.cases().await.unwrap(),
        &store.events().await.unwrap(),
    );
    let expected = deadlines(&data.courts, &data.cases, &data.events);
    assert!(
        expected.len() > 1000,
        "a real list: {} rows",
        expected.len()
    );
    for status in ["overdue", "suspended", "ok"] {
        assert!(
            expected
                .iter()
                .any(|r| serde_json::to_value(r.status).unwrap() == status),
            "some {status} case"
        );
    }
    assert_eq!(from_store, expected);
}

async fn indicators_from_the_store_match_the_generated_data(db: &TestDb) {
    let store = db.store();
    let data = dataset();
    let outcome = store.apply_import(&dataset_batch(data)).await.unwrap();
    assert_eq!(outcome.cases.inserted, data.cases.len() as u64);
    assert_eq!(outcome.events.inserted, data.events.len() as u64);
    assert_eq!(
        store.counts().await.unwrap(),
        (
            data.courts.len() as u64,
            data.cases.len() as u64,
            data.events.len() as u64
        )
    );
    let expected = Snapshot::build(
        &data.courts,
        &data.cases,
        &data.events,
        calendar(),
        LimitSettings::default(),
    );
    let from_store = indicators(&snapshot_of(store).await);
    assert!(from_store == indicators(&expected), "the same indicators");
    let query = &indicator_queries()[0];
    let filed: u64 = compute(&expected, query)
        .unwrap()
        .iter()
        .map(|r| r.indicators.filed)
        .sum();
    assert!(filed > 1000, "cases filed in 2024: {filed}");
}

// ---------------------------------------------------------------------------------------------
// Both backends, the same bytes
// ---------------------------------------------------------------------------------------------

/// Everything a reader can get out of a store, as text.
async fn answers(store: &dyn Store) -> (String, String, String) {
    let indicators = indicators(&snapshot_of(store).await);
    let rows = deadlines(
        &store.courts().await.unwrap(),
        &store.cases().await.unwrap(),
        &store.events().await.unwrap(),
    );
    let deadlines = serde_json::to_string(&deadlines_document(d(DEADLINES_AS_OF), &rows)).unwrap();
    (store.dump().await.unwrap(), indicators, deadlines)
}

#[tokio::test]
async fn both_backends_give_the_same_bytes() {
    let Some(pg) = TestDb::open(Backend::Postgres).await else {
        return;
    };
    let sqlite = TestDb::open(Backend::Sqlite).await.unwrap();
    let data = dataset();
    // The generated province, then a second import that changes some cases, repeats events
    // and adds files of its own.
    let mut second = ImportBatch {
        courts: data.courts.clone(),
        cases: data.cases.iter().step_by(97).cloned().collect(),
        events: data.events.iter().step_by(31).cloned().collect(),
        log: vec![],
    };
    for (i, case) in second.cases.iter_mut().enumerate() {
        match i % 3 {
            0 => case.judge = Some(format!("法官{i}")),
            1 => case.cause = None,
            _ => {}
        }
    }
    // The same files (the import log names them) for both.
    let files = [
        courts_csv(sqlite.dir()),
        cases_csv(sqlite.dir()),
        events_csv(sqlite.dir()),
    ];
    for db in [&sqlite, &pg] {
        let store = db.store();
        let first = store.apply_import(&dataset_batch(data)).await.unwrap();
        assert_eq!(first.cases.inserted, data.cases.len() as u64);
        let outcome = store.apply_import(&second).await.unwrap();
        assert_eq!(outcome.events.inserted, 0);
        import(db, &files, OnError::Reject).await;
    }
    let (sqlite_answers, pg_answers) = (answers(sqlite.store()).await, answers(pg.store()).await);
    assert!(sqlite_answers.0.len() > 1_000_000, "a real dump");
    assert_eq!(
        section(&sqlite_answers.0, "data_version"),
        ["3"],
        "three imports, three versions"
    );
    // Compare without printing megabytes on failure.
    let first_difference = |a: &str, b: &str| {
        a.lines()
            .zip(b.lines())
            .enumerate()
            .find(|(_, (x, y))| x != y)
            .map(|(i, (x, y))| format!("line {}: sqlite {x:?}, postgres {y:?}", i + 1))
    };
    for (what, a, b) in [
        ("dump", &sqlite_answers.0, &pg_answers.0),
        ("indicators", &sqlite_answers.1, &pg_answers.1),
        ("deadlines", &sqlite_answers.2, &pg_answers.2),
    ] {
        assert!(
            a == b,
            "{what} differs: {:?} (sizes {} and {})",
            first_difference(a, b),
            a.len(),
            b.len()
        );
    }
    let changes = (
        sqlite.store().changes_since(1).await.unwrap(),
        pg.store().changes_since(1).await.unwrap(),
    );
    assert_eq!(changes.0.cases, changes.1.cases);
    assert_eq!(changes.0.events, changes.1.events);
    assert_eq!(changes.0.courts, changes.1.courts);
    sqlite.finish().await;
    pg.finish().await;
}
