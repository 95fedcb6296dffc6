//! `tianping import` and `tianping petitions …` as a user runs them (`workflows.md` §2): the
//! petition files import (Chinese headers), matters are assigned and repeats found, `show`
//! gives the worked example of §2.7 with every deadline step by step, `due` lists the open
//! obligations, actions move the state and are audited, `indicators` gives the figures; a bad
//! file is refused with `file:row:column: message`, exit 2, nothing stored.

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
const CASES: &str = "case_number,filed_date,closed_date,closing_mode\n（2022）皖0202民初88号,2022-03-01,2022-08-01,判决\n";

/// The §2.7 worked example (XF2023-0917: received 2023-09-20, accepted 09-28, extended 30 days
/// on 11-20, replied 12-20), a repeat of the same person about the same case, an anonymous
/// visit of seven, and one still waiting for its acknowledgement.
const PETITIONS: &str = "\
信访编号,法院代字,收到日期,信访形式,信访人证件号,匿名,人数,性质,涉诉,案号,告知日期,告知结果,受理日期,延期天数,延期日期,答复日期,答复方式,处理结果,院领导接访
XF2023-0917,皖0202,2023-09-20,来信,340202198001011237,否,1,申诉求决,是,（2022）皖0202民初88号,2023-09-28,受理,2023-09-28,30,2023-11-20,2023-12-20,书面,解释说明,否
XF2023-1201,皖0202,2023-12-01,来访,340202198001011237,否,2,申诉求决,是,(2022)皖0202民初88号,2023-12-04,受理,,,,,,,是
XF2023-1105,皖0202,2023-11-05,来访,,是,7,建议意见,否,,,,,,,,,,否
XF2023-1220,皖0202,2023-12-20,网上信访,,否,1,咨询,否,,,,,,,,,,否
";

fn setup(dir: &Path) -> PathBuf {
    let db = dir.join("t.db");
    let files = [
        write(dir, "courts.csv", COURTS),
        write(dir, "cases.csv", CASES),
        write(dir, "petitions.csv", PETITIONS),
    ];
    let output = tianping(&db).arg("import").args(&files).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("信访件：写入 4"), "{text}");
    db
}

#[test]
fn the_worked_example_shows_every_deadline_and_its_matter() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let shown = json(
        &db,
        &["petitions", "show", "XF2023-0917", "--as-of", "2024-01-31"],
    );
    assert_eq!(shown["state"], "concluded");
    assert_eq!(shown["matter_id"], "XF2023-0917");
    assert_eq!(shown["repeat"], false);
    // The command line is trusted: the identifier unmasked.
    assert_eq!(shown["petitioner_id"], "340202198001011237");
    let deadlines = shown["deadlines"].as_array().unwrap();
    let ack = &deadlines[0];
    assert_eq!(
        (
            &ack["limit"],
            &ack["base"],
            &ack["before_roll_over"],
            &ack["deadline"],
            &ack["status"]
        ),
        (
            &"ack".into(),
            &"15日".into(),
            &"2023-10-05".into(),
            &"2023-10-07".into(),
            &"on_time".into()
        )
    );
    let handling = &deadlines[1];
    assert_eq!(handling["limit"], "handling");
    assert_eq!(handling["base"], "60日");
    assert_eq!(handling["extension"], "30日");
    assert_eq!(handling["deadline"], "2023-12-27");
    assert_eq!(handling["status"], "on_time");
    // The repeat joined the first petition's matter (same person, same case, within 365 days).
    let repeat = json(
        &db,
        &["petitions", "show", "XF2023-1201", "--as-of", "2024-01-31"],
    );
    assert_eq!(repeat["matter_id"], "XF2023-0917");
    assert_eq!(repeat["repeat"], true);
    assert_eq!(
        shown["matter"]["petitions"],
        serde_json::json!(["XF2023-0917", "XF2023-1201"])
    );
}

#[test]
fn due_actions_and_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    // On 2024-01-10: XF2023-1220's acknowledgement (12-20 + 15 = 2024-01-04) is overdue; the
    // anonymous visit owes none; XF2023-1201 is being handled (60 days from 12-04: 2024-02-02).
    let due = json(&db, &["petitions", "due", "--as-of", "2024-01-10"]);
    let rows: Vec<(String, String, String)> = due["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["limit"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("XF2023-1220".into(), "ack".into(), "overdue".into()),
            ("XF2023-1201".into(), "handling".into(), "ok".into()),
        ]
    );
    assert_eq!(due["module"], "petitions");

    // Acknowledge the overdue one by a refusal: concluded, audited with before and after.
    let acted = json(
        &db,
        &[
            "petitions",
            "act",
            "XF2023-1220",
            "acknowledge",
            "--decision",
            "告知向有权机关提出",
            "--form",
            "网上",
            "--date",
            "2024-01-08",
        ],
    );
    assert_eq!(acted["state"], "concluded");
    assert_eq!(acted["result"], "告知向有权机关提出");
    let shown = json(
        &db,
        &["petitions", "show", "XF2023-1220", "--as-of", "2024-01-31"],
    );
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["action"], "acknowledge");
    assert_eq!(history[0]["actor"], "cli:tester");
    assert!(
        history[0]["before"]
            .as_str()
            .unwrap()
            .contains("\"registered\"")
    );
    assert!(
        history[0]["after"]
            .as_str()
            .unwrap()
            .contains("\"concluded\"")
    );
    // Not from this state: exit 2 with the contract's words.
    let again = tianping(&db)
        .args([
            "petitions",
            "act",
            "XF2023-1220",
            "reply",
            "--result",
            "支持",
            "--form",
            "书面",
            "--date",
            "2024-01-09",
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("cannot reply from concluded"));

    // The fourth quarter: four received, one repeat; two acknowledgements fell due in Q4
    // (XF2023-0917's on 10-07, on time; XF2023-1201's on 12-18 — acknowledged 12-04).
    let doc = json(
        &db,
        &[
            "petitions",
            "indicators",
            "--period",
            "2023Q4",
            "--as-of",
            "2024-01-31",
        ],
    );
    let i = &doc["rows"][0]["indicators"];
    assert_eq!(doc["module"], "petitions");
    assert_eq!(i["received"], 3);
    assert_eq!(i["repeat"], 1);
    assert_eq!(i["visitors"], 9);
    assert_eq!(i["collective_visits"], 1);
    assert_eq!(i["ack_on_time_rate"], 1.0);
    assert_eq!(i["handling_on_time_rate"], 1.0);
    // 涉诉 matters: one, opened 2023-09-20 (in Q4? no: in Q3), so Q4 starts with it in stock.
    assert_eq!(i["matter_stock_start"], 1);
    assert_eq!(i["matter_new"], 0);

    // Resolve the matter; the matters list shows it resolved.
    let resolved = json(
        &db,
        &[
            "petitions",
            "act",
            "XF2023-0917",
            "resolve-matter",
            "--resolution",
            "息诉罢访",
            "--date",
            "2024-01-15",
        ],
    );
    assert_eq!(resolved["resolved_date"], "2024-01-15");
    let matters = json(
        &db,
        &[
            "petitions",
            "matters",
            "--status",
            "resolved",
            "--as-of",
            "2024-01-31",
        ],
    );
    assert_eq!(matters["rows"].as_array().unwrap().len(), 1);
    assert_eq!(matters["rows"][0]["petitions"], 2);
}

#[test]
fn a_bad_file_is_refused_whole_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let before = json(&db, &["petitions", "list"]);
    let bad = write(
        dir.path(),
        "bad.csv",
        "信访编号,法院代字,收到日期,信访形式,信访人证件号,性质,涉诉,人数\n\
         XF-A,皖0202,2024-01-02,来信,340202198001011231,申诉求决,是,1\n\
         XF-B,皖0202,2024-01-02,转办交办,,申诉求决,是,0\n\
         XF-C,皖0202,2024-01-03,来信,,申诉求决,是,1\n",
    );
    let output = tianping(&db).arg("import").arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.csv:2:信访人证件号: "), "{stderr}");
    assert!(
        stderr.contains("bad.csv:3:来源: 转办交办件须填写来源（交办机关）"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.csv:3:人数: 人数至少为 1"), "{stderr}");
    // The good third row was not stored either.
    assert_eq!(json(&db, &["petitions", "list"]), before);
    assert_eq!(before["rows"].as_array().unwrap().len(), 4);
}
