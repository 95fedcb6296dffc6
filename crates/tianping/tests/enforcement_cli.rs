//! `tianping import` of the enforcement files (`workflows.md` §5.5) as a user runs it: the 终本
//! checklists, post-termination searches, dishonest listings and enforcement actions import on
//! their cases; a bad file is refused whole with `file:row:column: message`, exit 2, nothing
//! stored (a good row of it imports afterwards as new).

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

const COURTS: &str = "code,name,level,parent_code\n皖02,芜湖市中级人民法院,中级,\n皖0202,芜湖市镜湖区人民法院,基层,皖02\n";

/// 执100 closed by 终本 on 2023-06-30; 执101 completed.
const CASES: &str = "case_number,filed_date,closed_date,closing_mode\n\
（2023）皖0202执100号,2023-01-10,2023-06-30,终结本次执行程序\n\
（2023）皖0202执101号,2023-01-10,2023-03-30,执行完毕\n";

const CHECKS: &str = "案号,执行通知日期,报告财产令日期,财产报告已核查,核查日期,核查结论\n\
（2023）皖0202执100号,2023-01-12,2023-01-12,是,2023-07-10,合格\n";
const SEARCHES: &str = "案号,查询日期,发现财产\n（2023）皖0202执100号,2023-12-28,否\n";
const LISTINGS: &str = "失信编号,案号,被执行人,证件号码,主体类型,失信情形,决定日期\n\
SX-1,（2023）皖0202执100号,张某,340202198001011237,自然人,1;5,2023-03-01\n";
const ACTIONS: &str = "行动编号,法院代字,日期,名称,案件数,到位金额\nJZ-1,皖0202,2023-06-01,夏季集中执行,36,2000万元\n";

fn import(db: &Path, files: &[PathBuf]) -> (Option<i32>, Value, String) {
    let output = tianping(db)
        .arg("import")
        .args(files)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.code(),
        json,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_four_files_import_and_a_bad_one_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let base = [
        write(dir.path(), "courts.csv", COURTS),
        write(dir.path(), "cases.csv", CASES),
    ];
    let (code, _, stderr) = import(&db, &base);
    assert_eq!(code, Some(0), "{stderr}");
    let files = [
        write(dir.path(), "termination_checks.csv", CHECKS),
        write(dir.path(), "searches.csv", SEARCHES),
        write(dir.path(), "listings.csv", LISTINGS),
        write(dir.path(), "actions.csv", ACTIONS),
    ];
    let (code, json, stderr) = import(&db, &files);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json["enforcement"], 4, "{json}");
    let kinds: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "termination_checks",
            "post_termination_searches",
            "dishonest_listings",
            "enforcement_actions"
        ]
    );
    // Again: nothing changes.
    assert_eq!(import(&db, &files).1["enforcement"], 0);

    let bad = write(
        dir.path(),
        "bad_listings.csv",
        "失信编号,案号,被执行人,证件号码,主体类型,未成年人,失信情形,决定日期,延长月数,删除日期,删除原因\n\
         SX-2,（2023）皖0202执100号,李某,340202198001011237,自然人,否,1,2023-03-01,,,\n\
         SX-3,（2023）皖0202执100号,王某,340202198001011238,自然人,否,1,2023-03-01,,,\n\
         SX-4,（2023）皖0202执100号,赵某,340202198001011237,自然人,是,1,2023-03-01,,,\n\
         SX-5,（2023）皖0202执100号,钱某,340202198001011237,自然人,否,1;7,2023-03-01,,,\n\
         SX-6,（2023）皖0202执100号,孙某,340202198001011237,自然人,否,1,2023-03-01,6,,\n\
         SX-7,（2023）皖0202执100号,周某,340202198001011237,自然人,否,1,2023-03-01,,2024-03-01,期限届满\n\
         SX-8,（2023）皖0202民初1号,吴某,340202198001011237,自然人,否,1,2023-03-01,,,\n",
    );
    let (code, _, stderr) = import(&db, std::slice::from_ref(&bad));
    assert_eq!(code, Some(2));
    for expected in [
        "bad_listings.csv:3:证件号码: ",
        "bad_listings.csv:4:未成年人: 不得将未成年人纳入失信被执行人名单（失信规定第四条）",
        "bad_listings.csv:5:失信情形: 失信情形“7”应为 1 至 6",
        "bad_listings.csv:6:延长月数: 延长月数“6”应为 12 至 36",
        "bad_listings.csv:7:删除原因: 删除原因“期限届满”，但该名单没有纳入期限",
        "bad_listings.csv:8:案号: ",
    ] {
        assert!(stderr.contains(expected), "{expected} not in\n{stderr}");
    }
    // Nothing of the refused file was stored: its good row imports now as new.
    let good = write(
        dir.path(),
        "good_listing.csv",
        "失信编号,案号,被执行人,证件号码,主体类型,失信情形,决定日期\n\
         SX-2,（2023）皖0202执100号,李某,340202198001011237,自然人,1,2023-03-01\n",
    );
    assert_eq!(import(&db, &[good]).1["enforcement"], 1);
    // A check on a case not closed by 终本.
    let wrong = write(
        dir.path(),
        "wrong_check.csv",
        "案号,核查日期,核查结论\n（2023）皖0202执101号,2023-04-10,合格\n",
    );
    let (code, _, stderr) = import(&db, &[wrong]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains(
            "wrong_check.csv:2:案号: 案号 （2023）皖0202执101号 未以终结本次执行程序结案"
        ),
        "{stderr}"
    );
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

/// `enforcement list|show|due`: the listing with its 24-month term and removal deadline (the
/// worked example of §5.3: decided 2022-03-10 → removal by 2024-03-13), and the first search
/// after the 终本 of 2023-06-30 due 2024-01-02.
#[test]
fn listings_and_their_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cases = "case_number,filed_date,closed_date,closing_mode\n\
（2021）皖0202执1号,2021-11-10,2023-06-30,终结本次执行程序\n";
    let listings = "失信编号,案号,被执行人,证件号码,主体类型,失信情形,决定日期\n\
SX-9,（2021）皖0202执1号,某公司,91350100M000100Y43,法人,1;2,2022-03-10\n";
    let files = [
        write(dir.path(), "courts.csv", COURTS),
        write(dir.path(), "cases.csv", cases),
        write(dir.path(), "listings.csv", listings),
    ];
    let (code, _, stderr) = import(&db, &files);
    assert_eq!(code, Some(0), "{stderr}");
    let list = json(&db, &["enforcement", "list", "--as-of", "2024-03-01"]);
    assert_eq!(list["rows"][0]["state"], "active");
    assert_eq!(list["rows"][0]["term_end"], "2024-03-10");
    assert_eq!(list["rows"][0]["removal_deadline"], "2024-03-13");
    let shown = json(
        &db,
        &["enforcement", "show", "SX-9", "--as-of", "2024-03-14"],
    );
    assert_eq!(shown["deadlines"][0]["limit"], "removal");
    assert_eq!(shown["deadlines"][0]["status"], "overdue");
    let due = json(&db, &["enforcement", "due", "--as-of", "2023-12-01"]);
    let search = due["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["limit"] == "search")
        .unwrap();
    assert_eq!(search["deadline"], "2024-01-02");
    assert_eq!(search["id"], "（2021）皖0202执1号");
    // The indicators: one 终本 of one first-enforcement case closed in 2023; the listing active.
    let doc = json(&db, &["enforcement", "indicators", "--period", "2023"]);
    let i = &doc["rows"][0]["indicators"];
    assert_eq!(doc["rows"][0]["key"], "all");
    assert_eq!(
        (i["enforcement_closed"].as_u64(), i["terminated"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(i["termination_rate"], 1.0);
    assert_eq!(i["listings_active_end"], 1);
    assert_eq!(i["searches_overdue"], 0);
    let by_type = json(
        &db,
        &[
            "enforcement",
            "indicators",
            "--period",
            "2022",
            "--by",
            "person_type",
        ],
    );
    assert_eq!(by_type["rows"][0]["key"], "法人");
    assert_eq!(by_type["rows"][0]["indicators"]["dishonest_listed"], 1);
    assert!(by_type["rows"][0]["indicators"]["enforcement_closed"].is_null());
    // A tag: the case tagged 涉民营企业账款 counts under --tag, an untagged question counts none.
    let tags = write(
        dir.path(),
        "tags.csv",
        "案号,标签\n（2021）皖0202执1号,涉民营企业账款\n",
    );
    let (code, json_out, stderr) = import(&db, &[tags]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json_out["case_tags"], 1);
    let tagged = json(
        &db,
        &[
            "enforcement",
            "indicators",
            "--period",
            "2023",
            "--tag",
            "涉民营企业账款",
        ],
    );
    assert_eq!(tagged["rows"][0]["indicators"]["enforcement_closed"], 1);
    assert_eq!(tagged["tag"], "涉民营企业账款");
    let other = json(
        &db,
        &[
            "enforcement",
            "indicators",
            "--period",
            "2023",
            "--tag",
            "长期未结督办",
        ],
    );
    assert_eq!(other["rows"][0]["indicators"]["enforcement_closed"], 0);
    // A tag on a case the database lacks: refused.
    let bad_tags = write(
        dir.path(),
        "bad_tags.csv",
        "案号,标签\n（2021）皖0202执9号,x\n",
    );
    let (code, _, stderr) = import(&db, &[bad_tags]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains(
            "bad_tags.csv:2:案号: 案号 （2021）皖0202执9号：数据库和本次导入中都没有这个案件"
        ),
        "{stderr}"
    );
    let output = tianping(&db)
        .args(["enforcement", "list", "--status", "late"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
