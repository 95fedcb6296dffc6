//! The SQLite store on its own: upserts, de-duplication, versions, canonical dumps.

use chrono::NaiveDate;
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{
    CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord, Money, TypeCode,
};
use tianping_store::{
    AuditStore, CaseStore, ImportBatch, ImportStore, MaintenanceStore, SqliteStore, UserStore,
    rusqlite,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(number: &str, filed: &str, closed: Option<&str>) -> CaseRecord {
    let parsed = tianping_domain::CaseNumber::parse(number).unwrap();
    CaseRecord {
        case_number: parsed.normalized(),
        court_code: parsed.court.to_string(),
        type_code: Some(parsed.type_code),
        type_name: None,
        procedure: None,
        cause: Some("民间借贷纠纷".into()),
        received_date: Some(d(filed)),
        filed_date: d(filed),
        division: Some("民一庭".into()),
        judge: Some("张明".into()),
        closed_date: closed.map(d),
        closing_mode: closed.map(|_| ClosingMode::Judgment),
        disposal: None,
        claim_amount: Some(Money(12_345_678)),
        recovered_amount: None,
        origin_case_number: None,
        foreign_related: false,
        longer_limit: false,
        appeal_object: AppealObject::Judgment,
    }
}

fn batch() -> ImportBatch {
    ImportBatch {
        courts: vec![CourtRecord {
            code: "皖0202".into(),
            name: "芜湖市镜湖区人民法院".into(),
            level: CourtLevel::Basic,
            parent_code: Some("皖02".into()),
        }],
        cases: vec![
            case("（2023）皖0202民初1号", "2023-03-01", Some("2023-06-01")),
            case("（2023）皖0202民初2号", "2023-03-02", None),
        ],
        events: vec![EventRecord {
            case_number: "（2023）皖0202民初2号".into(),
            kind: EventKind::Deduction,
            date: d("2023-04-01"),
            end_date: None,
            months: None,
            days: None,
            reason: Some("鉴定".into()),
        }],
        log: vec![],
    }
}

async fn memory_store() -> SqliteStore {
    SqliteStore::open(":memory:").await.unwrap()
}

#[tokio::test]
async fn stores_and_reads_back_every_field() {
    let store = memory_store().await;
    let outcome = store.apply_import(&batch()).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.events.inserted,
            outcome.courts.inserted
        ),
        (2, 1, 1)
    );
    assert_eq!(store.cases().await.unwrap(), batch().cases);
    assert_eq!(store.events().await.unwrap(), batch().events);
    assert_eq!(store.courts().await.unwrap(), batch().courts);
    assert_eq!(store.counts().await.unwrap(), (1, 2, 1));
    assert_eq!(
        TypeCode::lookup("民初"),
        store.cases().await.unwrap()[0].type_code
    );
}

#[tokio::test]
async fn applying_the_same_batch_twice_changes_nothing() {
    let store = memory_store().await;
    store.apply_import(&batch()).await.unwrap();
    let version = store.data_version().await.unwrap();
    let dump = store.dump().await.unwrap();
    let outcome = store.apply_import(&batch()).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.cases.updated,
            outcome.cases.unchanged
        ),
        (0, 0, 2)
    );
    assert_eq!((outcome.events.inserted, outcome.events.unchanged), (0, 1));
    assert_eq!(store.dump().await.unwrap(), dump);
    assert_eq!(
        store.data_version().await.unwrap(),
        version,
        "no change, no new version"
    );
}

#[tokio::test]
async fn a_changed_case_is_updated_and_the_version_moves() {
    let store = memory_store().await;
    store.apply_import(&batch()).await.unwrap();
    let version = store.data_version().await.unwrap();
    let mut changed = batch();
    changed.cases[1].closed_date = Some(d("2023-09-01"));
    changed.cases[1].closing_mode = Some(ClosingMode::Mediation);
    let outcome = store.apply_import(&changed).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.cases.updated,
            outcome.cases.unchanged
        ),
        (0, 1, 1)
    );
    assert_eq!(
        store.cases().await.unwrap()[1].closing_mode,
        Some(ClosingMode::Mediation)
    );
    assert_eq!(store.data_version().await.unwrap(), version + 1);
}

#[tokio::test]
async fn events_differing_only_in_a_null_field_are_distinct_and_identical_ones_are_not() {
    let store = memory_store().await;
    let mut b = batch();
    let mut closed_interval = b.events[0].clone();
    closed_interval.end_date = Some(d("2023-04-10"));
    b.events.push(closed_interval);
    b.events.push(b.events[0].clone());
    let outcome = store.apply_import(&b).await.unwrap();
    assert_eq!((outcome.events.inserted, outcome.events.unchanged), (2, 1));
}

#[tokio::test]
async fn finds_which_case_numbers_exist() {
    let store = memory_store().await;
    store.apply_import(&batch()).await.unwrap();
    let asked: Vec<String> = (1..=1200)
        .map(|n| format!("（2023）皖0202民初{n}号"))
        .collect();
    let found = store.existing_case_numbers(&asked).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.contains("（2023）皖0202民初2号"));
}

#[tokio::test]
async fn a_database_file_is_created_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let url = path.to_str().unwrap().to_owned();
    {
        let store = SqliteStore::open(&url).await.unwrap();
        store.apply_import(&batch()).await.unwrap();
        store.close().await;
    }
    let store = SqliteStore::open(&url).await.unwrap();
    assert_eq!(store.counts().await.unwrap(), (1, 2, 1));
}

#[tokio::test]
async fn changes_since_a_version_return_only_what_an_import_wrote() {
    let store = memory_store().await;
    assert_eq!(store.data_version().await.unwrap(), 0);
    store.apply_import(&batch()).await.unwrap();
    let v1 = store.data_version().await.unwrap();
    let all = store.changes_since(0).await.unwrap();
    assert_eq!((all.version, all.cases.len(), all.events.len()), (v1, 2, 1));
    assert_eq!(all.courts.map(|c| c.len()), Some(1));
    // Nothing new: an empty change set at the same version.
    store.apply_import(&batch()).await.unwrap();
    let none = store.changes_since(v1).await.unwrap();
    assert_eq!(
        (none.version, none.cases.len(), none.events.len()),
        (v1, 0, 0)
    );
    assert!(none.courts.is_none());
    // One case changes: only it comes back.
    let mut changed = batch();
    changed.cases[0].judge = Some("王芳".into());
    store.apply_import(&changed).await.unwrap();
    let one = store.changes_since(v1).await.unwrap();
    assert_eq!(one.version, v1 + 1);
    assert_eq!(one.cases.len(), 1);
    assert_eq!(one.cases[0].judge.as_deref(), Some("王芳"));
}

#[tokio::test]
async fn users_are_created_read_and_updated() {
    use tianping_domain::access::Role;
    use tianping_store::UserRecord;
    let store = memory_store().await;
    let mut user = UserRecord {
        username: "clerk".into(),
        password_hash: "$argon2id$x".into(),
        role: Role::Staff,
        court_code: Some("皖0202".into()),
        judge_name: None,
        disabled: false,
        created_at: "2024-01-01T00:00:00+08:00".into(),
    };
    assert!(store.upsert_user(&user).await.unwrap());
    user.disabled = true;
    assert!(!store.upsert_user(&user).await.unwrap());
    assert_eq!(store.user("clerk").await.unwrap(), Some(user.clone()));
    assert_eq!(store.users().await.unwrap(), vec![user]);
    assert_eq!(store.user("nobody").await.unwrap(), None);
}

#[tokio::test]
async fn the_audit_log_only_grows() {
    use tianping_store::AuditEntry;
    let store = memory_store().await;
    for action in ["sign_in", "import"] {
        let entry = AuditEntry {
            at: "2024-01-01T00:00:00+08:00".into(),
            username: "clerk".into(),
            action: action.into(),
            detail: String::new(),
        };
        store.append_audit(&entry).await.unwrap();
    }
    let log = store.audit_log(10).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["import", "sign_in"]
    );
    let update = store
        .with_connection(|c| c.execute("UPDATE audit_log SET action = 'x'", []))
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = store
        .with_connection(|c| c.execute("DELETE FROM audit_log", []))
        .await;
    assert!(delete.is_err());
    assert_eq!(store.audit_log(10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn sessions_are_saved_loaded_and_expire() {
    use tianping_store::SessionRecord;
    let store = memory_store().await;
    let s = SessionRecord {
        id: "abc".into(),
        data: vec![1, 2, 3],
        expiry: 100,
    };
    store.session_save(&s).await.unwrap();
    assert_eq!(store.session_load("abc").await.unwrap(), Some(s));
    assert_eq!(store.sessions_delete_expired(50).await.unwrap(), 0);
    assert_eq!(store.sessions_delete_expired(101).await.unwrap(), 1);
    assert_eq!(store.session_load("abc").await.unwrap(), None);
}

#[tokio::test]
async fn control_characters_in_text_are_stored_and_read_back_byte_for_byte() {
    let store = memory_store().await;
    let mut b = batch();
    let judge = "张\u{1f}明\u{1e}\u{1d}\t\n\r\0";
    b.cases[0].judge = Some(judge.into());
    b.cases[0].cause = None;
    b.events[0].reason = Some("\u{1d}".into());
    store.apply_import(&b).await.unwrap();
    let cases = store.cases().await.unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].judge.as_deref(), Some(judge));
    assert_eq!(cases[0].cause, None);
    assert_eq!(cases[1], batch().cases[1]);
    assert_eq!(
        store.events().await.unwrap()[0].reason.as_deref(),
        Some("\u{1d}")
    );
}

#[tokio::test]
async fn bulk_reads_cross_chunk_boundaries_in_key_order() {
    let store = memory_store().await;
    let mut b = batch();
    b.cases = (1..=45_001)
        .map(|n| case(&format!("（2023）皖0202民初{n}号"), "2023-03-01", None))
        .collect();
    b.events.clear();
    store.apply_import(&b).await.unwrap();
    let cases = store.cases().await.unwrap();
    assert_eq!(cases.len(), 45_001);
    assert!(
        cases
            .windows(2)
            .all(|w| w[0].case_number < w[1].case_number)
    );
}

#[tokio::test]
async fn a_case_number_repeated_within_a_batch_ends_as_its_last_row() {
    // 1,300 cases: the insert statement runs over 512 rows at a time, so the repeat (row 701 of
    // row 101's number) lands in another run than its first row.
    let store = memory_store().await;
    let mut b = batch();
    b.cases = (1..=1_299)
        .map(|n| case(&format!("（2023）皖0202民初{n}号"), "2023-03-01", None))
        .collect();
    let mut repeat = case("（2023）皖0202民初101号", "2023-03-01", Some("2023-05-04"));
    repeat.judge = Some("李华".into());
    b.cases.insert(700, repeat.clone());
    // And one within the same run as its first row (150 and 201).
    let mut near = case("（2023）皖0202民初150号", "2023-03-01", None);
    near.cause = Some("买卖合同纠纷".into());
    b.cases.insert(200, near.clone());
    b.events.clear();
    let outcome = store.apply_import(&b).await.unwrap();
    assert_eq!(
        (
            outcome.cases.inserted,
            outcome.cases.updated,
            outcome.cases.unchanged
        ),
        (1_299, 2, 0)
    );
    let cases = store.cases().await.unwrap();
    assert_eq!(cases.len(), 1_299);
    for last in [&repeat, &near] {
        let stored = cases
            .iter()
            .find(|c| c.case_number == last.case_number)
            .unwrap();
        assert_eq!(stored, last);
    }
    // Every other case is stored as given.
    let given: Vec<&CaseRecord> = b
        .cases
        .iter()
        .filter(|c| c.case_number != repeat.case_number && c.case_number != near.case_number)
        .collect();
    assert_eq!(cases.len() - 2, given.len());
    assert!(given.iter().all(|g| cases.contains(*g)));
}

/// `_sqlx_migrations` as sqlx created it in the databases it migrated (before the store moved
/// to rusqlite).
const SQLX_MIGRATIONS: &str = "CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

const MIGRATIONS: [&str; 2] = [
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_versions_users_audit.sql"),
];

/// A database file as sqlx left it after applying the first `applied` migrations, with a case
/// in it.
fn database_migrated_by_sqlx(path: &std::path::Path, applied: usize) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;")
        .unwrap();
    c.execute_batch(SQLX_MIGRATIONS).unwrap();
    for (i, sql) in MIGRATIONS.iter().take(applied).enumerate() {
        c.execute_batch(sql).unwrap();
        c.execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (?1, 'm', TRUE, x'00', 1)",
            [i as i64 + 1],
        )
        .unwrap();
    }
    c.execute(
        "INSERT INTO cases (case_number, court_code, filed_date) \
         VALUES ('（2023）皖0202民初9号', '皖0202', '2023-03-01')",
        [],
    )
    .unwrap();
}

#[tokio::test]
async fn a_database_migrated_by_sqlx_is_adopted_once_and_brought_up_to_date() {
    for applied in [1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        database_migrated_by_sqlx(&path, applied);
        let url = path.to_str().unwrap().to_owned();
        for _ in 0..2 {
            let store = SqliteStore::open(&url).await.unwrap();
            assert_eq!(store.counts().await.unwrap(), (0, 1, 0), "{applied}");
            let user_version: i64 = store
                .with_connection(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
                .await
                .unwrap();
            // Brought up to date: the latest migration.
            assert_eq!(user_version, tianping_store::SQLITE_SCHEMA_VERSION);
            store.close().await;
        }
        let store = SqliteStore::open(&url).await.unwrap();
        store.apply_import(&batch()).await.unwrap();
        assert_eq!(store.counts().await.unwrap().1, 3);
        assert_eq!(store.data_version().await.unwrap(), 1);
        // sqlx's record stays as it was.
        let recorded: i64 = store
            .with_connection(|c| {
                c.query_row("SELECT count(*) FROM _sqlx_migrations", [], |r| r.get(0))
            })
            .await
            .unwrap();
        assert_eq!(recorded, applied as i64);
    }
}

#[tokio::test]
async fn a_database_of_a_newer_schema_or_a_failed_sqlx_migration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    {
        let store = SqliteStore::open(newer.to_str().unwrap()).await.unwrap();
        store
            .with_connection(|c| {
                c.execute_batch(&format!(
                    "PRAGMA user_version = {}",
                    tianping_store::SQLITE_SCHEMA_VERSION + 1
                ))
            })
            .await
            .unwrap();
        store.close().await;
    }
    let refused = SqliteStore::open(newer.to_str().unwrap())
        .await
        .unwrap_err();
    let newer_version = format!("version {}", tianping_store::SQLITE_SCHEMA_VERSION + 1);
    assert!(refused.to_string().contains(&newer_version), "{refused}");

    let failed = dir.path().join("failed.db");
    database_migrated_by_sqlx(&failed, 1);
    rusqlite::Connection::open(&failed)
        .unwrap()
        .execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (2, 'm', FALSE, x'00', 1)",
            [],
        )
        .unwrap();
    let refused = SqliteStore::open(failed.to_str().unwrap())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("failed"), "{refused}");
}

/// New databases get the same schema as those sqlx migrated, once brought up to date.
#[tokio::test]
async fn a_new_database_has_the_schema_of_the_migration_files() {
    let schema = |c: &rusqlite::Connection| -> rusqlite::Result<Vec<String>> {
        let mut statement = c.prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL \
             AND name NOT LIKE '_sqlx%' ORDER BY name",
        )?;
        statement.query_map([], |r| r.get(0))?.collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    database_migrated_by_sqlx(&old, 2);
    // Opening applies the migrations sqlx never knew (0003 on).
    SqliteStore::open(old.to_str().unwrap())
        .await
        .unwrap()
        .close()
        .await;
    let expected = schema(&rusqlite::Connection::open(&old).unwrap()).unwrap();
    let store = SqliteStore::open(dir.path().join("new.db").to_str().unwrap())
        .await
        .unwrap();
    let page_size: i64 = store
        .with_connection(|c| c.query_row("PRAGMA page_size", [], |r| r.get(0)))
        .await
        .unwrap();
    assert_eq!(page_size, 16384);
    assert_eq!(store.with_connection(schema).await.unwrap(), expected);
}

#[tokio::test]
async fn a_closed_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap())
        .await
        .unwrap();
    store.close().await;
    let refused = store.counts().await.unwrap_err();
    assert!(
        matches!(refused, tianping_store::StoreError::Closed),
        "{refused}"
    );
    assert!(store.apply_import(&batch()).await.is_err());
}
