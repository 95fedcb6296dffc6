//! `tianping import`, `deadlines` and `demo` run as a user runs them.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn tianping(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS").env("TIANPING_DB", db);
    cmd
}

/// The database file's bytes, hashed (a mismatch should not print megabytes).
fn file_bytes(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(path).unwrap_or_default().hash(&mut hasher);
    hasher.finish()
}

const GOOD: &str = "case_number,filed_date,closed_date,closing_mode,judge\n\
（2023）皖0202民初1号,2023-03-15,,,张明\n\
（2023）皖0202民初2号,2023-03-15,2023-05-01,判决,张明\n";

#[test]
fn a_bad_file_exits_2_names_every_bad_row_and_leaves_the_database_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    tianping(&db).args(["import"]).arg(&good).assert().success();
    let before = file_bytes(&db);
    assert!(
        !Path::new(&format!("{}-wal", db.display())).exists(),
        "log folded in at exit"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "case_number,filed_date,closed_date,closing_mode\n\
         （2023）皖0202民x3号,2023-03-15,,\n\
         （2023）皖0202民初4号,2023-03-15,,\n\
         （2023）皖0202民初5号,2023-03-15,,\n\
         （2023）皖0202民初6号,2023-03-15,2023-03-01,判决\n",
    )
    .unwrap();
    let output = tianping(&db).args(["import"]).arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let shown = bad.display().to_string();
    assert!(
        stderr.contains(&format!(
            "{shown}:2:case_number: 案号“（2023）皖0202民x3号”无效：类型代字无法识别：“民x”"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{shown}:5:closed_date: 结案日期 2023-03-01 早于立案日期 2023-03-15"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(&format!("{shown}:3:")), "{stderr}");
    assert_eq!(file_bytes(&db), before, "database file unchanged");
    assert!(!Path::new(&format!("{}-wal", db.display())).exists());
}

#[test]
fn deadlines_json_lists_pending_cases_with_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    tianping(&db).args(["import"]).arg(&good).assert().success();
    let output = tianping(&db)
        .args(["deadlines", "--as-of", "2023-09-20", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["as_of"], "2023-09-20");
    let rows = value["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    for field in [
        "case_number",
        "court_code",
        "rule",
        "filed_date",
        "normal_deadline",
        "deadline",
        "deducted_days",
        "extended",
        "days_remaining",
        "status",
        "age_days",
    ] {
        assert!(row.get(field).is_some(), "missing {field}");
    }
    assert_eq!(row["case_number"], "（2023）皖0202民初1号");
    assert_eq!(row["rule"], "civil_first");
    assert_eq!(row["deadline"], "2023-09-15");
    assert_eq!(row["days_remaining"], -5);
    assert_eq!(row["status"], "overdue");
    assert_eq!(row["age_days"], 189);
}

#[test]
fn deadlines_refuses_a_bad_date_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = tianping(&dir.path().join("t.db"))
        .args(["deadlines", "--as-of", "2023-02-30"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("--as-of")
    );
}

#[test]
fn demo_creates_a_database_whose_deadlines_can_be_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let output = tianping(&db).args(["demo", "--no-serve"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = tianping(&db)
        .args([
            "deadlines",
            "--as-of",
            "2024-03-31",
            "--format",
            "json",
            "--status",
            "all",
        ])
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = value["rows"].as_array().unwrap();
    assert!(rows.len() > 100, "a realistic backlog, got {}", rows.len());
    let statuses: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    for status in ["overdue", "due_soon", "ok"] {
        assert!(
            statuses.contains(status),
            "no {status} case in {statuses:?}"
        );
    }
}

#[test]
fn the_haryana_ecourts_file_imports_with_skip_and_lists_the_rows_that_break_the_rules() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ecourts-india/haryana-pocso-cases.csv");
    if !source.exists() {
        eprintln!("skipped: {} not found", source.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("haryana.csv");
    std::fs::copy(&source, &file).unwrap();
    // Without --on-error skip the file is refused whole.
    let output = tianping(&db)
        .args(["import", "--layout", "ecourts-india"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    let output = tianping(&db)
        .args([
            "import",
            "--layout",
            "ecourts-india",
            "--on-error",
            "skip",
            "--format",
            "json",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let cases = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "cases")
        .unwrap();
    assert_eq!(cases["rows"], 4631);
    assert_eq!(cases["imported"], 4629);
    assert_eq!(cases["rejected"], 2);
    let rejects = std::fs::read_to_string(format!("{}.rejects.csv", file.display())).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines.len(), 3, "header and two rejected rows");
    assert!(lines[0].ends_with("reject_reason"));
    assert!(
        lines[1]
            .contains("date_of_filing: 起诉日期 2020-01-30 晚于登记日期 2020-01-27（dt_regis 列）"),
        "{}",
        lines[1]
    );

    // The international indicators apply to them.
    let output = tianping(&db)
        .args([
            "indicators",
            "--from",
            "2019-01-01",
            "--to",
            "2019-12-31",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let i = &value["rows"][0]["indicators"];
    assert!(i["filed"].as_u64().unwrap() > 100);
    assert!(i["closure_ratio"].is_number());
    assert!(i["within_limit_rate"].is_null());
}

#[test]
fn indicators_signals_and_assess_answer_on_the_demo_province() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let status = tianping(&db)
        .args(["demo", "--no-serve"])
        .output()
        .unwrap()
        .status;
    assert!(status.success());

    let json = |args: &[&str]| -> Value {
        let output = tianping(&db)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let by_court = json(&[
        "indicators",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--by",
        "court",
    ]);
    let rows = by_court["rows"].as_array().unwrap();
    assert!(rows.len() >= 10);
    let keys: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for row in rows {
        let i = &row["indicators"];
        let n = |k: &str| i[k].as_u64().unwrap();
        assert_eq!(
            n("carried_over") + n("filed") - n("closed"),
            n("pending_end"),
            "{}",
            row["key"]
        );
        assert_eq!(i.as_object().unwrap().len(), 39);
    }

    let signals = json(&["signals", "--year", "2024"]);
    let flagged: Vec<&str> = signals["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["flagged"] == true)
        .map(|r| r["court_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        flagged.len(),
        1,
        "the demo's one hold-back court: {flagged:?}"
    );

    let assessment = json(&["assess", "--period", "2025", "--baseline", "2024"]);
    let rows = assessment["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["level"] == "basic"));
    assert!(rows.iter().any(|r| r["weak"] == true));
    assert!(
        rows.iter()
            .all(|r| r["baseline"].is_object() && r["score_change"].is_number())
    );

    let output = tianping(&db)
        .args(["assess", "--period", "2025Q5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = tianping(&db)
        .args([
            "indicators",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--scope",
            "X9",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    // Without --as-of the list is as of the last day the data knows when it stops before
    // today (the demo stops at the end of 2025), as the pages are.
    let list = json(&["deadlines"]);
    assert_eq!(list["as_of"], "2025-12-31");
    assert!(!list["rows"].as_array().unwrap().is_empty());

    // A well-formed code of no court of the province (鲁9999) is a mistake, not an empty
    // table, in every command that takes a court; a court of the province is answered.
    let year = ["--from", "2024-01-01", "--to", "2024-12-31"];
    let commands: [Vec<&str>; 6] = [
        [&["indicators"][..], &year[..]].concat(),
        vec!["deadlines", "--as-of", "2024-12-31"],
        vec!["signals", "--year", "2024"],
        vec!["assess", "--period", "2024"],
        vec!["report", "--period", "2024", "--format", "html", "-o"],
        vec!["deadlines", "--as-of", "2024-12-31", "--court"],
    ];
    let out = dir.path().join("bulletin.html");
    for command in &commands {
        let mut args: Vec<&str> = command.clone();
        if command[0] == "report" {
            args.push(out.to_str().unwrap());
        }
        let with = |code: &'static str| {
            let mut args = args.clone();
            if args.last() != Some(&"--court") {
                args.push("--scope");
            }
            args.push(code);
            tianping(&db).args(&args).output().unwrap()
        };
        let unknown = with("鲁9999");
        assert_eq!(unknown.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&unknown.stderr).contains("鲁9999"),
            "{args:?}: {}",
            String::from_utf8_lossy(&unknown.stderr)
        );
        assert!(!out.exists(), "no bulletin for an unknown court");
        let known = with("鲁01");
        let _ = std::fs::remove_file(&out);
        assert_eq!(
            known.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&known.stderr)
        );
    }
}

#[test]
fn report_writes_a_bulletin_in_each_format_and_refuses_bad_periods() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    assert!(
        tianping(&db)
            .args(["demo", "--no-serve"])
            .output()
            .unwrap()
            .status
            .success()
    );
    for format in ["docx", "pdf", "xlsx", "html"] {
        let out = dir.path().join(format!("bulletin.{format}"));
        let output = tianping(&db)
            .args([
                "report", "--period", "2024", "--scope", "鲁", "--format", format, "-o",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.len() > 10_000, "{format}: {} bytes", bytes.len());
        if format == "html" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("审限内结案率"));
            // Self-contained: no stylesheet, script or image fetched from anywhere.
            for outside in [
                "src=\"http",
                "href=\"http",
                "<link",
                "<script src",
                "url(http",
            ] {
                assert!(!text.contains(outside), "{outside}");
            }
        } else if format == "pdf" {
            assert_eq!(&bytes[..5], b"%PDF-", "a PDF file");
        } else {
            assert_eq!(&bytes[..2], b"PK", "{format} is a zip package");
        }
    }
    // Without any Chinese font the PDF would be boxes: refused, naming the package to install,
    // and nothing is written.
    let out = dir.path().join("no-font.pdf");
    let empty_fonts = tempfile::tempdir().unwrap();
    let output = tianping(&db)
        .args(["report", "--period", "2024", "--format", "pdf", "-o"])
        .arg(&out)
        .env("TIANPING_SYSTEM_FONTS", "off")
        .env("TIANPING_FONT_DIR", empty_fonts.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no font with Chinese characters") && stderr.contains("fonts-noto-cjk"),
        "{stderr}"
    );
    assert!(!out.exists(), "no file written");
    let output = tianping(&db)
        .args(["report", "--period", "2024Q5", "--format", "docx", "-o"])
        .arg(dir.path().join("x.docx"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// Issue 14: a database that already holds an absurd extension (written before the import
/// checked lengths, or by another tool) is read by every command without a panic, and the same
/// extension in an events file is refused with its file, row and column.
#[test]
fn an_absurd_extension_already_stored_is_read_without_a_panic_and_refused_at_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    tianping(&db).args(["import"]).arg(&good).assert().success();

    // Written straight into the store, as an older version would have accepted it.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = tianping_store::SqliteStore::open(db.to_str().unwrap())
                .await
                .unwrap();
            use tianping_store::{ImportStore, MaintenanceStore};
            let date = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
            store
                .apply_import(&tianping_store::ImportBatch {
                    events: vec![tianping_domain::EventRecord {
                        case_number: "（2023）皖0202民初1号".into(),
                        kind: tianping_domain::EventKind::Extension,
                        date,
                        end_date: None,
                        months: Some(2_147_483_647),
                        days: Some(100_000_000),
                        reason: None,
                    }],
                    ..Default::default()
                })
                .await
                .unwrap();
            store.close().await;
        });

    let output = tianping(&db)
        .args(["deadlines", "--as-of", "2024-01-01", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let row = &json["rows"][0];
    assert_eq!(row["case_number"], "（2023）皖0202民初1号");
    // Extended beyond any calendar: never due, never overdue.
    assert_eq!(row["status"], "ok");
    assert_eq!(row["extended"], true);
    tianping(&db)
        .args(["indicators", "--from", "2023-01-01", "--to", "2023-12-31"])
        .args(["--by", "court", "--format", "json"])
        .assert()
        .success();

    let events = dir.path().join("events.csv");
    std::fs::write(
        &events,
        "case_number,event,date,months,days\n（2023）皖0202民初2号,延长审限,2023-04-01,,100000000\n",
    )
    .unwrap();
    let output = tianping(&db)
        .args(["import"])
        .arg(&events)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{}:2:days: 一次延长 100000000 天，超过上限 366 天",
            events.display()
        )),
        "{stderr}"
    );
}
