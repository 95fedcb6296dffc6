//! `import_files` on SQLite writes the cases while their file is still being read, and a large
//! import into a database nobody else has open uses a rollback journal. These tests hold that
//! path to the plain one (`read_files` + `import_parsed`, which writes the checked batch at the
//! end): the same files give the same database, byte for byte, the same report and the same
//! refusals, including when the checks across files reject rows that were already written and
//! when a file's text is not UTF-8 only after thousands of rows.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tempfile::TempDir;
use tianping_exchange::{write_cases_csv, write_courts_csv, write_events_csv};
use tianping_store::import::{
    ImportError, ImportOptions, ImportReport, OnError, import_files, import_parsed, read_files,
};
use tianping_store::{CaseStore, MaintenanceStore, SqliteStore};
use tianping_synth::{Dataset, SynthConfig, generate};

/// About 60,000 cases: several chunks of the stream, and over the size of a large import.
fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| {
        generate(&SynthConfig {
            target_cases: Some(60_000),
            ..SynthConfig::small(11)
        })
    })
}

struct Files {
    dir: TempDir,
    courts: PathBuf,
    cases: PathBuf,
    events: PathBuf,
}

fn files() -> Files {
    let data = dataset();
    let dir = tempfile::tempdir().unwrap();
    let courts = dir.path().join("courts.csv");
    let cases = dir.path().join("cases.csv");
    let events = dir.path().join("events.csv");
    write_courts_csv(std::fs::File::create(&courts).unwrap(), &data.courts).unwrap();
    write_cases_csv(std::fs::File::create(&cases).unwrap(), &data.cases).unwrap();
    write_events_csv(std::fs::File::create(&events).unwrap(), &data.events).unwrap();
    Files {
        dir,
        courts,
        cases,
        events,
    }
}

fn options(on_error: OnError) -> ImportOptions {
    ImportOptions {
        on_error,
        user: "clerk".into(),
        at: "2026-12-01T09:00:00+08:00".into(),
        ..ImportOptions::default()
    }
}

/// A database file in `dir`, opened with `connections` connections.
async fn store(dir: &Path, name: &str, connections: u32) -> SqliteStore {
    SqliteStore::open_with(dir.join(name).to_str().unwrap(), connections)
        .await
        .unwrap()
}

/// What an import did, comparable across the two paths: the report (or the refusal with its
/// messages), the database's dump after it, and its journal mode.
async fn outcome(
    store: &SqliteStore,
    result: Result<ImportReport, ImportError>,
) -> (String, String, String) {
    let report = match result {
        Ok(report) => format!(
            "{}\n{:?}",
            serde_json::to_string(&report).unwrap(),
            report
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        ),
        Err(ImportError::Rejected { errors }) => format!(
            "rejected: {:?}",
            errors.iter().map(ToString::to_string).collect::<Vec<_>>()
        ),
        Err(other) => format!("failed: {other}"),
    };
    let journal: String = store
        .with_connection(|c| c.query_row("PRAGMA journal_mode", [], |row| row.get(0)))
        .await
        .unwrap();
    (report, store.dump().await.unwrap(), journal)
}

/// Import `paths` both ways into fresh databases (the streamed one with `connections`); both
/// outcomes.
async fn both_ways(
    dir: &Path,
    paths: &[PathBuf],
    on_error: OnError,
    connections: u32,
) -> ((String, String, String), (String, String, String)) {
    let options = options(on_error);
    let streamed = store(dir, "streamed.db", connections).await;
    let result = import_files(&streamed, paths, &options, None).await;
    let streamed = outcome(&streamed, result).await;
    let plain = store(dir, "plain.db", 4).await;
    let result = match read_files(paths, &options, None) {
        Ok(files) => import_parsed(&plain, files, &options).await,
        Err(e) => Err(ImportError::File(e)),
    };
    let plain = outcome(&plain, result).await;
    (streamed, plain)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_import_gives_the_database_the_batch_gives() {
    let f = files();
    let paths = [f.events.clone(), f.cases.clone(), f.courts.clone()];
    let (streamed, plain) = both_ways(f.dir.path(), &paths, OnError::Reject, 1).await;
    assert_eq!(streamed, plain);
    let data = dataset();
    assert_eq!(
        streamed.1.lines().count(),
        data.courts.len() + data.cases.len() + data.events.len() + 3 + 5 + 1,
        "every record is in the dump"
    );
    // The rollback journal was used (the write-ahead log never held the rows; the plain path's
    // did) and the database is back in WAL mode.
    assert_eq!(streamed.2, "wal");
    assert!(!f.dir.path().join("streamed.db-journal").exists());
    // With the store still open (closing it folds and removes the log anyway): the rows never
    // went through the write-ahead log.
    let open = store(f.dir.path(), "journal.db", 1).await;
    import_files(&open, &paths, &options(OnError::Reject), None)
        .await
        .unwrap();
    assert!(wal_size(f.dir.path(), "journal.db") < 1 << 20);
    assert_eq!(open.counts().await.unwrap().1, data.cases.len() as u64);
}

#[tokio::test]
async fn a_second_open_connection_keeps_the_import_in_the_write_ahead_log() {
    let f = files();
    let dir = f.dir.path();
    let reader = store(dir, "shared.db", 4).await;
    // A reader holds the database open (as a running server does).
    assert_eq!(reader.counts().await.unwrap(), (0, 0, 0));
    let writer = store(dir, "shared.db", 1).await;
    let report = import_files(
        &writer,
        &[f.cases.clone(), f.courts.clone()],
        &options(OnError::Reject),
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.outcome.cases.inserted, dataset().cases.len() as u64);
    assert_eq!(
        reader.counts().await.unwrap().1,
        dataset().cases.len() as u64
    );
    let journal: String = reader
        .with_connection(|c| c.query_row("PRAGMA journal_mode", [], |row| row.get(0)))
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    assert!(
        wal_size(dir, "shared.db") > 8 << 20,
        "written through the log"
    );
}

fn wal_size(dir: &Path, name: &str) -> u64 {
    std::fs::metadata(dir.join(format!("{name}-wal"))).map_or(0, |m| m.len())
}

#[tokio::test]
async fn reimporting_streamed_files_changes_nothing() {
    let f = files();
    let paths = [f.courts.clone(), f.cases.clone(), f.events.clone()];
    let store = store(f.dir.path(), "again.db", 1).await;
    import_files(&store, &paths, &options(OnError::Reject), None)
        .await
        .unwrap();
    let before = store.dump().await.unwrap();
    let again = import_files(&store, &paths, &options(OnError::Reject), None)
        .await
        .unwrap();
    let cases = again.outcome.cases;
    assert_eq!((cases.inserted, cases.updated), (0, 0));
    assert_eq!(cases.unchanged, dataset().cases.len() as u64);
    assert_eq!(again.outcome.events.inserted, 0);
    let after = store.dump().await.unwrap();
    // Only the import log grew (by one line per file).
    let without_log = |dump: &str| {
        dump.lines()
            .filter(|l| !l.starts_with("2026-12-01T09:00:00"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_log(&after), without_log(&before));
    assert_eq!(after.lines().count(), before.lines().count() + 3);
}

/// Two case files naming one case: in skip mode the second file's row is rejected across
/// files after it was written; the written rows are rolled back and the checked batch is
/// written instead.
#[tokio::test]
async fn a_case_rejected_across_files_after_streaming_is_not_stored() {
    let f = files();
    let data = dataset();
    let second = f.dir.path().join("more-cases.csv");
    let mut repeated = data.cases[..20_000].to_vec();
    for case in &mut repeated[1..] {
        case.case_number = case.case_number.replacen('号', "0号", 1);
    }
    write_cases_csv(std::fs::File::create(&second).unwrap(), &repeated).unwrap();
    let paths = [f.cases.clone(), second];
    let (streamed, plain) = both_ways(f.dir.path(), &paths, OnError::Skip, 1).await;
    assert_eq!(streamed, plain);
    assert!(
        streamed.0.contains("\"rejected\":1"),
        "one row rejected: {}",
        &streamed.0[..400.min(streamed.0.len())]
    );
    // In reject mode the duplicate refuses the whole import and stores nothing.
    let dir = tempfile::tempdir().unwrap();
    let (streamed, plain) = both_ways(dir.path(), &paths, OnError::Reject, 1).await;
    assert_eq!(streamed, plain);
    assert!(streamed.0.starts_with("rejected: "), "{}", streamed.0);
    let duplicate = format!(
        ":case_number: 案号重复：{} 也在 {} 第 2 行出现",
        data.cases[0].case_number,
        f.cases.display()
    );
    assert!(streamed.0.contains(&duplicate), "{}", streamed.0);
}

/// A file that is UTF-8 for 10,000 rows and then not: it is read as GB18030 from the start (the
/// text is checked for UTF-8 as a whole before its first row). Whatever that gives, it is what
/// the batch path gives.
#[tokio::test]
async fn a_file_that_is_not_utf8_only_after_thousands_of_rows() {
    let f = files();
    let text = std::fs::read(&f.cases).unwrap();
    let cut = text
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(10_000)
        .unwrap()
        .0;
    let mut mixed = text[..=cut].to_vec();
    // A GB18030 byte pair (not UTF-8) in the cause of one more row.
    let row = std::str::from_utf8(&text[cut + 1..])
        .unwrap()
        .lines()
        .next()
        .unwrap();
    let (head, tail) = row.split_once(',').unwrap();
    mixed.extend_from_slice(head.as_bytes());
    mixed.extend_from_slice(b",\xc0\xeb\xbb\xe9");
    mixed.extend_from_slice(tail.split_once(',').unwrap().1.as_bytes());
    mixed.push(b'\n');
    let path = f.dir.path().join("mixed.csv");
    std::fs::write(&path, &mixed).unwrap();
    for on_error in [OnError::Skip, OnError::Reject] {
        let dir = tempfile::tempdir().unwrap();
        let (streamed, plain) =
            both_ways(dir.path(), std::slice::from_ref(&path), on_error, 1).await;
        assert_eq!(streamed, plain, "{on_error:?}");
    }
}

#[tokio::test]
async fn bad_rows_in_a_streamed_file_leave_the_database_as_it_was() {
    let f = files();
    let store = store(f.dir.path(), "kept.db", 1).await;
    import_files(
        &store,
        std::slice::from_ref(&f.courts),
        &options(OnError::Reject),
        None,
    )
    .await
    .unwrap();
    let before = store.dump().await.unwrap();
    // Rows 2 and 30,000 of the cases file are bad; everything before and after them is good
    // and was written while the file was read.
    let text = std::fs::read_to_string(&f.cases).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replacen('号', "号号", 1);
    lines[29_999] = lines[29_999].replacen(",20", ",2x", 1);
    let bad = f.dir.path().join("bad-cases.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let result = import_files(&store, &[bad], &options(OnError::Reject), None).await;
    let Err(ImportError::Rejected { errors }) = result else {
        panic!("refused");
    };
    let rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
    assert!(rows.contains(&2) && rows.contains(&30_000), "{rows:?}");
    assert_eq!(store.dump().await.unwrap(), before);
}

/// The same for a file whose first rows read the same as UTF-8 and as GB18030 (ASCII, as the
/// eCourts exports are): it imports, and each row once.
#[tokio::test]
async fn an_ascii_file_with_a_gb18030_row_at_the_end_imports_once() {
    // 12,000 ASCII rows (over the 8,192 of a chunk handed over while reading), in the columns
    // of the Indian exports.
    let mut mixed = b"cino,est_code,court_name,court_no,desgname,type_name,date_of_filing,\
        dt_regis,date_of_decision,disp_name\n"
        .to_vec();
    for i in 0..12_000 {
        let decided = if i % 3 == 0 { "2021-05-06" } else { "NA" };
        let disposal = if i % 3 == 0 { "Acquitted" } else { "NA" };
        mixed.extend_from_slice(
            format!(
                "HRGR01{i:010},HRGR0{},District and Sessions Court {},1,Judge,SC-ST,2020-01-02,\
                 2020-01-03,{decided},{disposal}\n",
                i % 5,
                i % 5
            )
            .as_bytes(),
        );
    }
    // One more row, of a court of its own, whose name is 人民法院 in GB18030.
    mixed.extend_from_slice(b"HRZZ010000000001,HRZZ01,\xc8\xcb\xc3\xf1\xb7\xa8\xd4\xba,1,Judge,");
    mixed.extend_from_slice(b"SC-ST,2020-01-02,2020-01-03,NA,NA\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ecourts-mixed.csv");
    std::fs::write(&path, &mixed).unwrap();
    let options = ImportOptions {
        layout: tianping_exchange::Layout::EcourtsIndia,
        ..options(OnError::Skip)
    };
    let streamed = store(dir.path(), "streamed.db", 1).await;
    let result = import_files(&streamed, std::slice::from_ref(&path), &options, None).await;
    let report = result.unwrap();
    let plain = store(dir.path(), "plain.db", 4).await;
    let files = read_files(std::slice::from_ref(&path), &options, None).unwrap();
    let plain_report = import_parsed(&plain, files, &options).await.unwrap();
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&plain_report).unwrap()
    );
    assert!(
        report.outcome.cases.inserted > 10_000,
        "{:?}",
        report.outcome
    );
    assert_eq!(report.outcome.cases.updated, 0);
    let dump = streamed.dump().await.unwrap();
    assert_eq!(dump, plain.dump().await.unwrap());
    assert!(dump.contains("人民法院"), "the last row read as GB18030");
}
