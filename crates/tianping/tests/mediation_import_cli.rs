//! `tianping import` with the mediation exchange files (`workflows.md` §1.5) as a user runs it:
//! a good set of the four files (CSV with Chinese or English headers, one workbook) imports, and
//! `tianping mediation list` shows the records in the states derived from their dates and events;
//! a bad file is refused as a whole with every problem as `file:row:column: message`, exit 2, the
//! database unchanged; `--on-error skip` stores the good rows and writes the rejects file.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn tianping(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS")
        .env("TIANPING_DB", db)
        .env("USER", "tester");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The database file's bytes, hashed.
fn file_bytes(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(path).unwrap_or_default().hash(&mut hasher);
    hasher.finish()
}

/// `tianping mediation list --format json` as of the end of 2023.
fn list(db: &Path) -> Value {
    let output = tianping(db)
        .args([
            "mediation",
            "list",
            "--as-of",
            "2023-12-31",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A minimal XLSX workbook with one sheet of text cells (inline strings), as a spreadsheet
/// program saves one.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    fn column(i: usize) -> char {
        char::from(b'A' + i as u8)
    }
    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, cells) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, text) in cells.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            sheet.push_str(&format!(
                r#"<c r="{}{}" t="inlineStr"><is><t>{}</t></is></c>"#,
                column(c),
                r + 1,
                escape(text)
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="调解员" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const COURTS: &str = "code,name,level,parent_code\n\
鲁01,济南市中级人民法院,中级,\n\
鲁0102,济南市历下区人民法院,基层,鲁01\n";

/// A case being mediated (委托) and the case filed after a failed mediation.
const CASES: &str = "案号,适用程序,立案日期\n\
（2023）鲁0102民初100号,简易程序,2023-06-01\n\
（2023）鲁0102民初300号,,2023-10-20\n";

/// The organisations, with Chinese headers.
const ORGS: &str = "组织编号,组织名称,组织类型,邀请法院,对接层级,擅长领域,是否收费\n\
O1,历下区人民调解委员会,人民调解,鲁0102,本院,婚姻家庭；物业,否\n";

/// The mediations, with Chinese headers: the worked example of §1.3 (委派 accepted 2023-03-15,
/// still mediating), a failure filed as a case, an application not yet referred, a 委托
/// mediation of a case with 简易程序, and a referral the mediator declined.
const MEDIATIONS: &str = "调解案号,法院代字,调解类型,案号,登记日期,委派日期,调解组织,调解员,接受日期,\
调解结果,结束日期,调解不成原因,立案案号,标的金额\n\
(2023)鲁0102民诉前调1号,鲁0102,委派,,2023-03-10,2023-03-14,O1,MD1,2023-03-15,,,,,12.5万元\n\
（2023）鲁0102民诉前调2号,鲁0102,委派,,2023-09-01,2023-09-01,O1,MD1,2023-09-01,调解不成,\
2023-10-10,分歧较大,（2023）鲁0102民初300号,\n\
（2023）鲁0102民诉前调3号,鲁0102,申请,,2023-09-04,,,,,,,,,\n\
WT-1,鲁0102,委托,（2023）鲁0102民初100号,2023-06-19,2023-06-20,,MD2,2023-06-20,调解成功,\
2023-06-26,,,\n\
（2023）鲁0102民诉前调4号,鲁0102,委派,,2023-09-04,2023-09-05,,MD2,,,,,,\n";

/// The events, with English headers.
const EVENTS: &str = "mediation_id,event,date,end_date,days,mediator_id,reason\n\
（2023）鲁0102民诉前调1号,鉴定评估,2023-03-20,2023-03-29,,,\n\
（2023）鲁0102民诉前调1号,延长,2023-04-20,,15,,\n\
（2023）鲁0102民诉前调4号,不予接受,2023-09-06,,,MD2,利益冲突\n";

/// The four files and the courts and cases they name, in no particular order (the import
/// orders them).
fn good_files(dir: &Path) -> Vec<PathBuf> {
    let mediators = dir.join("mediators.xlsx");
    std::fs::write(
        &mediators,
        workbook(&[
            &[
                "调解员编号",
                "姓名",
                "所属组织",
                "邀请法院",
                "身份类别",
                "驻院",
                "擅长领域",
            ],
            &[
                "MD1",
                "王芳",
                "O1",
                "鲁0102",
                "人民陪审员",
                "是",
                "婚姻家庭",
            ],
            &["MD2", "李强", "", "鲁0102", "律师", "否", ""],
        ]),
    )
    .unwrap();
    vec![
        write(dir, "events.csv", EVENTS),
        write(dir, "mediations.csv", MEDIATIONS),
        mediators,
        write(dir, "orgs.csv", ORGS),
        write(dir, "cases.csv", CASES),
        write(dir, "courts.csv", COURTS),
    ]
}

#[test]
fn the_four_files_import_and_the_states_are_derived_from_their_dates_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let files = good_files(dir.path());
    let output = tianping(&db)
        .args(["import", "--format", "json"])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // The files in import order, with their kinds told from their headers.
    let kinds: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "courts",
            "cases",
            "mediation_orgs",
            "mediators",
            "mediations",
            "mediation_events"
        ]
    );
    assert_eq!(report["outcome"]["cases"]["inserted"], 2);
    assert_eq!(
        report["mediation"],
        serde_json::json!({"orgs": 1, "mediators": 2, "mediations": 5, "events": 3})
    );

    let listed = list(&db);
    let rows = listed["rows"].as_array().unwrap();
    let state = |id: &str| -> &str {
        rows.iter()
            .find(|r| r["mediation_id"] == id)
            .unwrap_or_else(|| panic!("{id} not listed: {listed}"))["state"]
            .as_str()
            .unwrap()
    };
    assert_eq!(rows.len(), 5);
    // The id written with ASCII brackets is stored normalized.
    assert_eq!(state("（2023）鲁0102民诉前调1号"), "mediating");
    assert_eq!(state("（2023）鲁0102民诉前调2号"), "failed");
    assert_eq!(state("（2023）鲁0102民诉前调3号"), "registered");
    assert_eq!(state("WT-1"), "succeeded");
    // Referred, then declined, never accepted: back to registered (§1.2 "Import derivation").
    assert_eq!(state("（2023）鲁0102民诉前调4号"), "registered");
    let first = rows
        .iter()
        .find(|r| r["mediation_id"] == "（2023）鲁0102民诉前调1号")
        .unwrap();
    assert_eq!(first["claim_amount"], 12_500_000);
    assert_eq!(first["org_id"], "O1");
    let entrusted = rows.iter().find(|r| r["mediation_id"] == "WT-1").unwrap();
    // The procedure of the case being mediated; a success without a path is 未定.
    assert_eq!(entrusted["procedure"], "simple");
    assert_eq!(entrusted["agreement_path"], "undecided");

    // §1.3's worked example: normal deadline 2023-04-24, with the 15 days 2023-05-09.
    let output = tianping(&db)
        .args([
            "mediation",
            "show",
            "（2023）鲁0102民诉前调1号",
            "--as-of",
            "2023-04-30",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let shown: Value = serde_json::from_slice(&output.stdout).unwrap();
    let period = shown["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["limit"] == "mediation" && d.get("normal_deadline").is_some())
        .unwrap();
    assert_eq!(period["normal_deadline"], "2023-04-24");
    assert_eq!(period["deadline"], "2023-05-09");

    // The roster.
    let output = tianping(&db)
        .args([
            "mediators",
            "list",
            "--as-of",
            "2023-12-31",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let roster: Value = serde_json::from_slice(&output.stdout).unwrap();
    let court = &roster["rows"][0];
    assert_eq!(court["court_code"], "鲁0102");
    assert_eq!(
        (
            &court["orgs_active"],
            &court["mediators_active"],
            &court["resident"]
        ),
        (&1.into(), &2.into(), &1.into())
    );

    // Importing the same files again changes nothing.
    let output = tianping(&db)
        .args(["import", "--format", "json"])
        .args(&files)
        .output()
        .unwrap();
    assert!(output.status.success());
    let again: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        again["mediation"],
        serde_json::json!({"orgs": 0, "mediators": 0, "mediations": 0, "events": 0})
    );
    assert_eq!(list(&db), listed);
}

/// A mediations file and an events file breaking rules of §1.5, against the good set stored.
const BAD_MEDIATIONS: &str = "调解案号,法院代字,调解类型,案号,登记日期,委派日期,调解组织,调解员,接受日期,调解结果,结束日期,调解不成原因\n\
（2023）鲁0102民初5号,鲁0102,委派,,2023-03-10,2023-03-08,O1,MD1,2023-03-15,调解不成,2023-03-20,\n\
X-2,鲁0102,委托,,2023-06-19,,,,,,,\n\
X-3,鲁0102,委派,,2023-06-19,,O9,,,,,\n\
X-4,鲁0102,申请,,2023-06-19,,,,,,,\n";

const BAD_EVENTS: &str = "mediation_id,event,date,end_date,days\n\
（2023）鲁0102民诉前调1号,延长,2023-05-20,,5\n\
NOPE,鉴定评估,2023-05-20,2023-05-01,\n\
X-4,不予接受,2023-06-20,,\n";

#[test]
fn a_bad_file_is_refused_with_every_problem_and_the_database_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    tianping(&db)
        .arg("import")
        .args(good_files(dir.path()))
        .assert()
        .success();
    let before = list(&db);
    let bytes = file_bytes(&db);
    let bad = write(dir.path(), "bad.csv", BAD_MEDIATIONS);
    let bad_events = write(dir.path(), "bad_events.csv", BAD_EVENTS);

    let output = tianping(&db)
        .arg("import")
        .arg(&bad)
        .arg(&bad_events)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let (m, e) = (bad.display().to_string(), bad_events.display().to_string());
    for line in [
        format!(
            "{m}:2:调解案号: 委派、申请调解的调解案号若为案号，类型代字应为 民诉前调，\
             （2023）鲁0102民初5号 的类型代字为 民初"
        ),
        format!("{m}:2:委派日期: 委派日期 2023-03-08 早于登记日期 2023-03-10"),
        format!("{m}:2:调解不成原因: 调解不成须填写调解不成原因"),
        format!("{m}:3:案号: 委托调解须填写案号（受托调解的案件，特邀调解规定第十一条）"),
        format!("{m}:4:调解组织: 找不到调解组织 O9：数据库和本次导入中都没有这个组织"),
        format!(
            "{e}:2:date: 延长须在调解期限届满前：调解期限已于 2023-05-09 届满，延长日期为 2023-05-20"
        ),
        format!("{e}:3:end_date: 鉴定评估的结束日期 2023-05-01 早于开始日期 2023-05-20"),
        format!("{e}:3:mediation_id: 找不到调解案件 NOPE：数据库和本次导入中都没有这个调解案件"),
    ] {
        assert!(stderr.lines().any(|l| l == line), "{line}\n---\n{stderr}");
    }
    // The good rows of the bad files are not stored either.
    assert!(!stderr.contains(&format!("{m}:5:")), "{stderr}");
    assert!(!stderr.contains(&format!("{e}:4:")), "{stderr}");
    assert_eq!(list(&db), before);
    assert_eq!(file_bytes(&db), bytes, "database file unchanged");
}

#[test]
fn skip_stores_the_good_rows_and_writes_the_rejects_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    tianping(&db)
        .arg("import")
        .args(good_files(dir.path()))
        .assert()
        .success();
    let bad = write(dir.path(), "bad.csv", BAD_MEDIATIONS);
    let bad_events = write(dir.path(), "bad_events.csv", BAD_EVENTS);
    let output = tianping(&db)
        .args(["import", "--on-error", "skip", "--format", "json"])
        .arg(&bad)
        .arg(&bad_events)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(
        (&files[0]["imported"], &files[0]["rejected"]),
        (&1.into(), &3.into())
    );
    assert_eq!(
        (&files[1]["imported"], &files[1]["rejected"]),
        (&1.into(), &2.into())
    );
    assert_eq!(
        report["mediation"],
        serde_json::json!({"orgs": 0, "mediators": 0, "mediations": 1, "events": 1})
    );

    let rejects = std::fs::read_to_string(dir.path().join("bad.csv.rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines.len(), 4, "{rejects}");
    assert!(lines[0].ends_with(",reject_reason"), "{rejects}");
    assert!(
        lines[3].starts_with("X-3,")
            && lines[3].ends_with("调解组织: 找不到调解组织 O9：数据库和本次导入中都没有这个组织"),
        "{rejects}"
    );
    let rejects = std::fs::read_to_string(dir.path().join("bad_events.csv.rejects.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 3, "{rejects}");

    // The good row is stored: an application, referred nowhere and declined, is registered.
    let listed = list(&db);
    let x4 = listed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["mediation_id"] == "X-4")
        .unwrap();
    assert_eq!(x4["state"], "registered");
    assert_eq!(listed["rows"].as_array().unwrap().len(), 6);
}

#[test]
fn the_kind_may_be_given_and_a_mediation_file_of_another_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let courts = write(dir.path(), "courts.csv", COURTS);
    tianping(&db).arg("import").arg(&courts).assert().success();
    let orgs = write(dir.path(), "orgs.csv", ORGS);
    tianping(&db)
        .args(["import", "--kind", "mediation_orgs"])
        .arg(&orgs)
        .assert()
        .success();
    let output = tianping(&db)
        .args(["import", "--kind", "mediations"])
        .arg(&orgs)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{}:1: 缺少必需的列：mediation_id（调解案号）、court_code（法院代字）、\
             kind（调解类型）、registered_date（登记日期）",
            orgs.display()
        )),
        "{stderr}"
    );
}
