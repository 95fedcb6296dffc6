//! Importing exchange files: whole or nothing, every problem named, idempotent.

use std::path::{Path, PathBuf};

use tianping_exchange::RowError;
use tianping_store::import::{ImportError, ImportOptions, OnError, import_files};
use tianping_store::{CaseStore, ImportStore, MaintenanceStore, SqliteStore};

const CASES_HEADER: &str = "case_number,procedure,filed_date,received_date,closed_date,closing_mode,claim_amount,recovered_amount";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn good_cases() -> String {
    format!(
        "{CASES_HEADER}\n\
         （2023）皖0202民初1号,简易程序,2023-03-01,2023-03-01,2023-05-01,判决,10000,\n\
         （2023）皖0202民初2号,,2023-03-02,2023-03-01,,,5000,\n\
         （2023）皖0202执3号,,2023-04-02,,2023-08-01,终本,50000,0\n"
    )
}

async fn store() -> SqliteStore {
    SqliteStore::open(":memory:").await.unwrap()
}

fn options(on_error: OnError) -> ImportOptions {
    ImportOptions {
        on_error,
        at: "2024-01-01T00:00:00+08:00".into(),
        ..ImportOptions::default()
    }
}

fn rejected(result: Result<tianping_store::import::ImportReport, ImportError>) -> Vec<RowError> {
    match result {
        Err(ImportError::Rejected { errors }) => errors,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_good_file_imports_and_reimporting_it_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = write(dir.path(), "cases.csv", &good_cases());
    let store = store().await;
    let report = import_files(
        &store,
        std::slice::from_ref(&cases),
        &options(OnError::Reject),
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.outcome.cases.inserted, 3);
    assert_eq!(report.files[0].imported, 3);
    let before = store.cases().await.unwrap();
    let report = import_files(&store, &[cases], &options(OnError::Reject), None)
        .await
        .unwrap();
    assert_eq!(
        (report.outcome.cases.inserted, report.outcome.cases.updated),
        (0, 0)
    );
    assert_eq!(store.cases().await.unwrap(), before);
}

#[tokio::test]
async fn bad_rows_2_and_5_are_both_reported_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = store().await;
    let seed = write(dir.path(), "seed.csv", &good_cases());
    import_files(&store, &[seed], &options(OnError::Reject), None)
        .await
        .unwrap();
    let dump = store.dump().await.unwrap();

    let text = format!(
        "{CASES_HEADER}\n\
         （2023）皖0202民初10号,,2023-02-30,,,,,\n\
         （2023）皖0202民初11号,,2023-03-01,,,,,\n\
         （2023）皖0202民初12号,,2023-03-01,,,,,\n\
         （2023）皖0202民初13号,,2023-03-01,,,,,\n\
         （2023）皖0202民初14号,,2023-05-01,,2023-04-01,判决,,\n"
    );
    let bad = write(dir.path(), "bad.csv", &text);
    let errors = rejected(import_files(&store, &[bad], &options(OnError::Reject), None).await);
    let rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![2, 6], "{errors:?}");
    assert!(
        errors[0].to_string().starts_with(&format!(
            "{}:2:filed_date:",
            dir.path().join("bad.csv").display()
        )),
        "{}",
        errors[0]
    );
    assert_eq!(
        store.dump().await.unwrap(),
        dump,
        "nothing stored, nothing logged"
    );
}

#[tokio::test]
async fn an_event_for_an_unknown_case_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = store().await;
    let events = write(
        dir.path(),
        "events.csv",
        "case_number,event,date,end_date,months,days,reason\n（2023）皖0202民初99号,扣除审限,2023-04-01,,,,鉴定\n",
    );
    let errors = rejected(
        import_files(
            &store,
            std::slice::from_ref(&events),
            &options(OnError::Reject),
            None,
        )
        .await,
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 2);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{}:2:case_number: 找不到案件 （2023）皖0202民初99号：数据库和本次导入中都没有这个案件",
            events.display()
        )
    );
}

#[tokio::test]
async fn events_may_name_cases_of_the_same_import_or_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = store().await;
    let cases = write(dir.path(), "cases.csv", &good_cases());
    let events = write(
        dir.path(),
        "events.csv",
        "事件,案号,日期,结束日期,月数,天数,事由\n扣除审限,（2023）皖0202民初2号,2023-04-01,2023-04-20,,,鉴定\n",
    );
    // Events listed first on the command line: courts, cases, events are applied in that order.
    let report = import_files(
        &store,
        &[events.clone(), cases],
        &options(OnError::Reject),
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.outcome.events.inserted, 1);
    // And later on their own, against the database: already there.
    let report = import_files(&store, &[events], &options(OnError::Reject), None)
        .await
        .unwrap();
    assert_eq!(
        (
            report.outcome.events.inserted,
            report.outcome.events.unchanged
        ),
        (0, 1)
    );
}

#[tokio::test]
async fn skip_mode_stores_the_good_rows_and_writes_the_rejects_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let store = store().await;
    let text = format!(
        "{CASES_HEADER}\n\
         （2023）皖0202民初1号,,2023-03-01,,,,,\n\
         （2023）皖0202民初2号,,2023-03-01,,,,-5,\n\
         （2023）皖0202民初3号,,2023-03-01,,,,,\n"
    );
    let cases = write(dir.path(), "cases.csv", &text);
    let events = write(
        dir.path(),
        "events.csv",
        "case_number,event,date,end_date,months,days,reason\n\
         （2023）皖0202民初2号,延长审限,2023-08-01,,6,,\n\
         （2023）皖0202民初3号,延长审限,2023-08-01,,6,,\n",
    );
    let report = import_files(
        &store,
        &[cases.clone(), events.clone()],
        &options(OnError::Skip),
        None,
    )
    .await
    .unwrap();
    assert_eq!(store.counts().await.unwrap().1, 2);
    assert_eq!(
        store.counts().await.unwrap().2,
        1,
        "the rejected case's event is rejected too"
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
    let rejected_case = format!(
        "case_number: 案件 （2023）皖0202民初2号 在本次导入中被拒绝（{}:3），其事件不能导入",
        cases.display()
    );
    assert!(rejects.contains(&rejected_case), "{rejects}");
    let log = store.import_log().await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].imported, log[0].rejected), (2, 1));
}

#[tokio::test]
async fn a_case_number_twice_in_one_import_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = store().await;
    let a = write(dir.path(), "a.csv", &good_cases());
    let b = write(dir.path(), "b.csv", &good_cases());
    let errors = rejected(
        import_files(
            &store,
            &[a.clone(), b.clone()],
            &options(OnError::Reject),
            None,
        )
        .await,
    );
    assert_eq!(errors.len(), 3);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{}:2:case_number: 案号重复：（2023）皖0202民初1号 也在 {} 第 2 行出现",
            b.display(),
            a.display()
        )
    );
}
