//! `tianping import` and `tianping refunds …` as a user runs them (`workflows.md` §4): the
//! fee-refunds file imports on its cases, `show` gives the 15-day deadline of §4.3, actions pay in
//! part and in full with their audit, `due` lists what is still owed, `indicators` gives the worked
//! example of §4.4 (97.00%); a bad file is refused whole with `file:row:column: message`, exit 2,
//! nothing stored.

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

/// 201 first-instance cases of 皖0202 closed 2023-06-01 (张明 the odd ones, 李娜 the even), one
/// pending.
fn cases() -> String {
    let mut text =
        String::from("case_number,procedure,filed_date,division,judge,closed_date,closing_mode\n");
    for k in 1..=201 {
        text.push_str(&format!(
            "（2023）皖0202民初{k}号,普通程序,2023-01-05,民一庭,{},2023-06-01,判决\n",
            if k % 2 == 1 { "张明" } else { "李娜" }
        ));
    }
    text.push_str("（2023）皖0202民初999号,普通程序,2023-01-05,民一庭,张明,,\n");
    text
}

/// §4.4's quarter: 200 refunds effective in June-August 2023 (deadlines in 2023Q3), 194 refunded
/// in full by their deadline, 6 three weeks late; and TF-X effective 2023-12-20 (§4.3: due
/// 2024-01-04), unpaid.
fn refunds() -> String {
    let mut text = String::from("退费编号,案号,退费对象,退费原因,应退金额,生效日期,退费日期\n");
    let day = |n: i64| {
        (chrono::NaiveDate::from_ymd_opt(2023, 6, 20).unwrap() + chrono::Duration::days(n))
            .to_string()
    };
    for k in 0..200i64 {
        let effective = k % 60;
        // 10 days after taking effect: on time; 36: late.
        let refunded = if k < 194 {
            effective + 10
        } else {
            effective + 36
        };
        text.push_str(&format!(
            "TF-{k:03},（2023）皖0202民初{}号,原告,胜诉退费,100,{},{}\n",
            k + 1,
            day(effective),
            day(refunded)
        ));
    }
    text.push_str("TF-X,（2023）皖0202民初201号,原告,调解撤诉减半,500.50,2023-12-20,\n");
    text
}

fn setup(dir: &Path) -> PathBuf {
    let db = dir.join("t.db");
    let files = [
        write(dir, "courts.csv", COURTS),
        write(dir, "cases.csv", &cases()),
        write(dir, "fee_refunds.csv", &refunds()),
    ];
    let output = tianping(&db).arg("import").args(&files).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    db
}

#[test]
fn import_show_act_due_and_the_worked_example() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let shown = json(&db, &["refunds", "show", "TF-X", "--as-of", "2023-12-31"]);
    assert_eq!(shown["state"], "owed");
    assert_eq!(shown["amount"], "500.50");
    assert_eq!(shown["court_code"], "皖0202");
    assert_eq!(shown["deadlines"][0]["deadline"], "2024-01-04");
    assert_eq!(shown["reason_source"], "诉讼费用交纳办法第十五条");
    // §4.4: 2023Q3, 200 due, 194 on time → 97.00%.
    let doc = json(
        &db,
        &[
            "refunds",
            "indicators",
            "--period",
            "2023Q3",
            "--as-of",
            "2023-12-31",
        ],
    );
    let i = &doc["rows"][0]["indicators"];
    assert_eq!(doc["rows"][0]["key"], "all");
    assert_eq!(
        (i["refunds_due"].as_u64(), i["refunded_on_time"].as_u64()),
        (Some(200), Some(194))
    );
    assert_eq!(i["on_time_rate"], 0.97);
    assert_eq!(i["amount_due"], 20000.0);
    // By judge: court/name keys.
    let by_judge = json(
        &db,
        &[
            "refunds",
            "indicators",
            "--period",
            "2023Q3",
            "--by",
            "judge",
        ],
    );
    let keys: Vec<&str> = by_judge["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["皖0202/张明", "皖0202/李娜"]);
    // Overdue on 2024-01-10, 500.50 owed; a part paid leaves 300.50.
    let due = json(
        &db,
        &[
            "refunds",
            "due",
            "--as-of",
            "2024-01-10",
            "--status",
            "overdue",
        ],
    );
    assert_eq!(due["rows"][0]["id"], "TF-X");
    let part = json(
        &db,
        &[
            "refunds",
            "act",
            "TF-X",
            "refund",
            "--amount",
            "200",
            "--date",
            "2024-01-12",
        ],
    );
    assert_eq!(
        (part["state"].as_str(), part["outstanding"].as_str()),
        (Some("owed"), Some("300.50"))
    );
    let whole = json(
        &db,
        &["refunds", "act", "TF-X", "refund", "--date", "2024-01-15"],
    );
    assert_eq!(whole["state"], "refunded");
    assert_eq!(whole["refunded_amount"], "500.50");
    let history = json(&db, &["refunds", "show", "TF-X"])["history"].clone();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["actor"], "cli:tester");
    // Refunded in full: nothing more to pay; a waiver of a refunded one is refused (exit 2).
    let output = tianping(&db)
        .args(["refunds", "act", "TF-X", "waive", "--note", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot waive from refunded"));
}

#[test]
fn a_bad_file_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let before = json(&db, &["refunds", "list", "--as-of", "2024-12-31"]);
    let bad = write(
        dir.path(),
        "bad.csv",
        "退费编号,案号,退费对象,退费原因,应退金额,生效日期,退费日期,已退金额,免退\n\
         B1,（2023）皖0202民初5号,原告,胜诉退费,100,2023-05-30,,,\n\
         B2,（2023）皖0202民初999号,原告,胜诉退费,100,2023-07-01,,,\n\
         B3,（2023）皖0202民初6号,原告,胜诉退费,100,2023-07-01,2023-06-30,,\n\
         B4,（2023）皖0202民初7号,原告,胜诉退费,100,2023-07-01,2023-07-05,150,\n\
         B5,（2023）皖0202民初8号,原告,胜诉退费,0,2023-07-01,,,\n\
         B6,（2023）皖0202民初9号,原告,胜诉退费,100,2023-07-01,2023-07-05,,是\n\
         B7,（2023）皖0202民初10号,原告,发回重审,100,2023-07-01,,,\n\
         B8,（2023）皖0202民初404号,原告,胜诉退费,100,2023-07-01,,,\n",
    );
    let output = tianping(&db).arg("import").arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "bad.csv:2:生效日期: 生效日期 2023-05-30 早于案件结案日期 2023-06-01",
        "bad.csv:3:生效日期: 案件尚未结案",
        "bad.csv:4:退费日期: 退费日期 2023-06-30 早于生效日期 2023-07-01",
        "bad.csv:5:已退金额: 已退金额 150.00 元超过应退金额 100.00 元",
        "bad.csv:6:应退金额: 应退金额应大于 0",
        "bad.csv:7:免退: 免退的退费不能同时有退费日期",
        "bad.csv:8:退费原因: 退费原因“发回重审”只适用于二审案件",
        "bad.csv:9:案号: 案号 （2023）皖0202民初404号：数据库和本次导入中都没有这个案件",
    ] {
        assert!(stderr.contains(expected), "{expected} not in\n{stderr}");
    }
    assert_eq!(
        json(&db, &["refunds", "list", "--as-of", "2024-12-31"]),
        before
    );
}
