//! Importing the mediation files (`workflows.md` §1.5) on both backends: courts, cases and the
//! four mediation files in one import; a refused import writes nothing, neither cases nor
//! mediation records nor the import log; `--on-error skip` keeps the good rows; the problems of
//! an upload are listed without writing. PostgreSQL runs in a fresh schema on
//! `$TIANPING_TEST_PG` (default the local server); without a server the PostgreSQL half is
//! skipped unless CI is set.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Connection};
use tianping_exchange::{Layout, read_file};
use tianping_store::Store;
use tianping_store::import::{ImportError, ImportOptions, OnError, import_files, problems};
use tianping_workflow::mediation::{MediationKind, Outcome};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn options(on_error: OnError) -> ImportOptions {
    ImportOptions {
        on_error,
        at: "2024-01-01T00:00:00+08:00".into(),
        ..ImportOptions::default()
    }
}

const COURTS: &str = "code,name,level\n鲁0102,济南市历下区人民法院,基层\n";
const CASES: &str =
    "case_number,procedure,filed_date\n（2023）鲁0102民初100号,普通程序,2023-06-01\n";
const ORGS: &str = "org_id,name,kind,court_code\nO1,历下区人民调解委员会,人民调解,鲁0102\n";
const MEDIATORS: &str = "mediator_id,name,org_id,court_code\nMD1,王芳,O1,鲁0102\n";
const MEDIATIONS: &str = "mediation_id,court_code,kind,case_number,registered_date,referred_date,\
mediator_id,accepted_date,outcome,concluded_date\n\
WT-1,鲁0102,委托,（2023）鲁0102民初100号,2023-06-19,2023-06-20,MD1,2023-06-20,调解成功,2023-06-30\n\
（2023）鲁0102民诉前调1号,鲁0102,委派,,2023-03-10,2023-03-14,MD1,2023-03-15,,\n";
const EVENTS: &str = "mediation_id,event,date,days\nWT-1,延长,2023-07-01,10\n";

async fn story(store: Arc<dyn Store>, dir: &Path) {
    // A refused import (an event after the conclusion) writes nothing at all.
    let files = vec![
        write(dir, "events.csv", EVENTS),
        write(dir, "mediations.csv", MEDIATIONS),
        write(dir, "mediators.csv", MEDIATORS),
        write(dir, "orgs.csv", ORGS),
        write(dir, "cases.csv", CASES),
        write(dir, "courts.csv", COURTS),
    ];
    let errors = match import_files(store.as_ref(), &files, &options(OnError::Reject), None).await {
        Err(ImportError::Rejected { errors }) => errors,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let events = files[0].display();
    assert_eq!(
        shown,
        [format!(
            "{events}:2:date: “延长”事件的日期 2023-07-01 晚于调解的结束日期 2023-06-30"
        )]
    );
    assert!(store.cases().await.unwrap().is_empty());
    assert!(store.courts().await.unwrap().is_empty());
    assert!(store.mediations().await.unwrap().is_empty());
    assert!(store.import_log().await.unwrap().is_empty());

    // The same problems listed without writing, as the import page lists them.
    let parsed: Vec<(PathBuf, _)> = files
        .iter()
        .map(|p| {
            (
                p.clone(),
                read_file(p, None, Layout::Tianping, None).unwrap(),
            )
        })
        .collect();
    assert_eq!(problems(store.as_ref(), parsed).await.unwrap(), errors);

    // Skip: everything but the event.
    let report = import_files(store.as_ref(), &files, &options(OnError::Skip), None)
        .await
        .unwrap();
    let outcome = report.mediation.unwrap();
    assert_eq!(
        (
            outcome.orgs,
            outcome.mediators,
            outcome.mediations,
            outcome.events
        ),
        (1, 1, 2, 0)
    );
    assert_eq!(report.outcome.cases.inserted, 1);
    assert_eq!(store.import_log().await.unwrap().len(), 6);
    let mediations = store.mediations().await.unwrap();
    assert_eq!(mediations.len(), 2);
    let entrusted = mediations
        .iter()
        .find(|m| m.mediation_id == "WT-1")
        .unwrap();
    assert_eq!(entrusted.kind, MediationKind::Entrusted);
    assert_eq!(entrusted.outcome, Some(Outcome::Succeeded));
    assert_eq!(
        entrusted.case_number.as_deref(),
        Some("（2023）鲁0102民初100号")
    );
    assert!(std::path::Path::new(&format!("{}.rejects.csv", files[0].display())).exists());

    // An event within the period, against what is stored now.
    let good_event = write(
        dir,
        "more_events.csv",
        "调解案号,事件,日期,天数\n（2023）鲁0102民诉前调1号,延长,2023-04-01,10\n",
    );
    let report = import_files(
        store.as_ref(),
        std::slice::from_ref(&good_event),
        &options(OnError::Reject),
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.mediation.unwrap().events, 1);
    assert_eq!(store.mediation_events().await.unwrap().len(), 1);
}

/// The streamed import of a backend never takes a mediation file: it would count the rows
/// imported and write none of them.
#[tokio::test]
async fn a_backends_own_import_refuses_a_mediation_file_rather_than_drop_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = tianping_store::SqliteStore::open(":memory:").await.unwrap();
    let orgs = write(dir.path(), "orgs.csv", ORGS);
    let result =
        tianping_store::ImportStore::import_files(&store, &[orgs], &options(OnError::Reject), None)
            .await;
    assert!(matches!(result, Err(ImportError::Store(_))), "{result:?}");
}

#[tokio::test]
async fn the_mediation_files_import_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("import.db");
    let store = tianping_store::open(path.to_str().unwrap()).await.unwrap();
    story(store.clone(), dir.path()).await;
    store.close().await;
}

#[tokio::test]
async fn the_mediation_files_import_on_postgres() {
    let server = std::env::var("TIANPING_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let connected =
        tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&server)).await;
    let mut conn = match connected {
        Ok(Ok(conn)) => conn,
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL at {server} is unreachable ({other:?}) and CI is set"
            );
            eprintln!("skipped: no PostgreSQL at {server}");
            return;
        }
    };
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let schema = format!("mi_{}_{nanos}", std::process::id());
    sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let separator = if server.contains('?') { '&' } else { '?' };
    let url = format!("{server}{separator}options=-csearch_path%3D{schema}");
    let store = tianping_store::open(&url).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    story(store.clone(), dir.path()).await;
    store.close().await;
    sqlx::query(AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut conn)
        .await
        .unwrap();
}
