//! `tianping import` and `tianping suggestions …` as a user runs them (`workflows.md` §3): the
//! suggestions file imports with its numbers normalized, `show` gives the reply deadline of
//! §3.3, `due` lists the unreplied ones, actions move the state with their audit, `indicators`
//! gives the worked example of §3.4; a bad file is refused whole with `file:row:column:
//! message`, exit 2, nothing stored.

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

fn json(db: &Path, args: &[&str]) -> Value {
    let output = tianping(db)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

const COURTS: &str = "code,name,level,parent_code\n皖02,芜湖市中级人民法院,中级,\n皖0202,芜湖市镜湖区人民法院,基层,皖02\n";

/// §3.4's basic court in 2023: eight issued, seven replied by 2024-03-31 (5 采纳, 1 部分采纳,
/// 1 未采纳), the eighth issued 2023-11-28 and served 11-30 (§3.3: due 2024-01-30), unreplied.
fn suggestions() -> String {
    let mut text = String::from(
        "建议书编号,法院代字,标题,被建议单位,单位类型,主题,一月一题,审委会日期,签发日期,发出日期,送达日期,答复日期,采纳情况\n",
    );
    for k in 1..=8 {
        let month = k + 2;
        let (reply, adoption) = match k {
            1..=5 => ("2024-02-01", "采纳"),
            6 => ("2024-02-01", "部分采纳"),
            7 => ("2024-02-01", "未采纳"),
            _ => ("", ""),
        };
        let (issued, served) = if k == 8 {
            ("2023-11-28".to_owned(), "2023-11-30".to_owned())
        } else {
            (format!("2023-{month:02}-15"), format!("2023-{month:02}-17"))
        };
        text.push_str(&format!(
            "镜法建({}){k}号,皖0202,关于第{k}项问题的司法建议书,芜湖市镜湖区某局,行政机关,物业纠纷,2023-{month:02},2023-{month:02}-01,2023-{month:02}-02,{issued},{served},{reply},{adoption}\n",
            2023
        ));
    }
    text
}

fn setup(dir: &Path) -> PathBuf {
    let db = dir.join("t.db");
    let files = [
        write(dir, "courts.csv", COURTS),
        write(dir, "suggestions.csv", &suggestions()),
    ];
    let output = tianping(&db).arg("import").args(&files).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("司法建议：写入 8"));
    db
}

#[test]
fn import_show_due_and_the_worked_example() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    // Any bracket style finds the normalized number.
    let shown = json(
        &db,
        &[
            "suggestions",
            "show",
            "镜法建[2023]8号",
            "--as-of",
            "2024-01-20",
        ],
    );
    assert_eq!(shown["suggestion_no"], "镜法建〔2023〕8号");
    assert_eq!(shown["state"], "issued");
    assert_eq!(shown["deadlines"][0]["start_date"], "2023-11-30");
    assert_eq!(shown["deadlines"][0]["deadline"], "2024-01-30");
    assert_eq!(shown["deadlines"][0]["status"], "due_soon");
    let due = json(
        &db,
        &[
            "suggestions",
            "due",
            "--as-of",
            "2024-03-31",
            "--status",
            "overdue",
        ],
    );
    assert_eq!(due["module"], "suggestions");
    assert_eq!(due["rows"].as_array().unwrap().len(), 1);
    assert_eq!(due["rows"][0]["id"], "镜法建〔2023〕8号");
    let doc = json(
        &db,
        &[
            "suggestions",
            "indicators",
            "--period",
            "2023",
            "--as-of",
            "2024-03-31",
        ],
    );
    let i = &doc["rows"][0]["indicators"];
    assert_eq!(i["issued"], 8);
    assert_eq!(i["reply_rate"], 0.875);
    assert_eq!(i["adoption_rate"], 0.8571);
    assert_eq!(i["overdue_unreplied"], 1);
    // 一月一题: by month, each month labelled with its topic.
    let months = json(
        &db,
        &[
            "suggestions",
            "indicators",
            "--period",
            "2023",
            "--as-of",
            "2024-03-31",
            "--by",
            "month",
        ],
    );
    assert_eq!(months["rows"].as_array().unwrap().len(), 12);
    assert_eq!(months["rows"][2]["label"], "2023-03（物业纠纷）");
    // The reply arrives: replied, audited.
    let acted = json(
        &db,
        &[
            "suggestions",
            "act",
            "镜法建〔2023〕8号",
            "reply",
            "--adoption",
            "采纳",
            "--date",
            "2024-04-02",
        ],
    );
    assert_eq!(acted["state"], "replied");
    let shown = json(&db, &["suggestions", "show", "镜法建〔2023〕8号"]);
    assert_eq!(shown["history"][0]["action"], "reply");
    assert_eq!(shown["history"][0]["actor"], "cli:tester");
    let again = tianping(&db)
        .args([
            "suggestions",
            "act",
            "镜法建〔2023〕8号",
            "sign",
            "--date",
            "2024-04-03",
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("cannot sign from replied"));
}

#[test]
fn a_bad_file_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let before = json(&db, &["suggestions", "list"]);
    let bad = write(
        dir.path(),
        "bad.csv",
        "建议书编号,法院代字,标题,被建议单位,单位类型,主题,审委会日期,签发日期,发出日期,答复期限（月）\n\
         镜法建〔2024〕1号,皖0202,t,r,行政机关,物业纠纷,2024-01-05,2024-01-03,2024-01-06,2\n\
         镜法建2024-2,皖0202,t,r,行政机关,物业纠纷,,,,2\n\
         镜法建〔2024〕3号,皖0202,t,r,行政机关,交通安全,,,,0\n",
    );
    let output = tianping(&db).arg("import").arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.csv:2:签发日期: 签发日期 2024-01-03 早于审委会日期 2024-01-05"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.csv:3:建议书编号: 建议书编号“镜法建2024-2”格式不对"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.csv:4:主题: 主题“交通安全”无法识别"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.csv:4:答复期限（月）: 答复期限（月）应至少为 1"),
        "{stderr}"
    );
    assert_eq!(json(&db, &["suggestions", "list"]), before);
}

/// `suggestions letter` writes the 司法建议书 of a stored suggestion (any bracket style of its
/// number): a DOCX whose document names the number and the recipient, a PDF; an unknown number
/// or format is exit 2 and writes nothing.
#[test]
fn the_letter_is_written_from_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let docx = dir.path().join("letter.docx");
    let output = tianping(&db)
        .args(["suggestions", "letter", "镜法建〔2023〕3号", "-o"])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The file has no body text (the import had none): the command says so.
    assert!(String::from_utf8_lossy(&output.stderr).contains("待填写"));
    let bytes = std::fs::read(&docx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    for part in [
        "镜法建〔2023〕3号",
        "芜湖市镜湖区某局：",
        "芜湖市镜湖区人民法院",
        "2023年5月2日",
        "两个月内",
    ] {
        assert!(xml.contains(part), "{part}");
    }
    if cfg!(feature = "pdf") {
        let pdf = dir.path().join("letter.pdf");
        let output = tianping(&db)
            .args([
                "suggestions",
                "letter",
                "镜法建(2023)3号",
                "--format",
                "pdf",
                "-o",
            ])
            .arg(&pdf)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("no font with Chinese characters") {
            // The PDF needs a CJK font; CI installs one (fonts-noto-cjk).
            assert!(std::env::var_os("CI").is_none(), "{stderr}");
            eprintln!("skipped: no CJK font installed");
        } else {
            assert!(output.status.success(), "{stderr}");
            assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
        }
    }
    for (args, message) in [
        (["镜法建〔2023〕99号", "docx"], "no suggestion"),
        (["镜法建〔2023〕3号", "odt"], "--format"),
    ] {
        let out = dir.path().join("refused.docx");
        let output = tianping(&db)
            .args(["suggestions", "letter", args[0], "--format", args[1], "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(message));
        assert!(!out.exists());
    }
}
