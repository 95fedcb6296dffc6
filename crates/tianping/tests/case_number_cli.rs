//! The `case-number parse` contract of interfaces.md, run as a user runs it.

use assert_cmd::Command;
use serde_json::{Value, json};

fn tianping() -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS");
    cmd
}

fn parse_json(args: &[&str]) -> (Value, i32) {
    let output = tianping()
        .args(["case-number", "parse", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    (value, output.status.code().unwrap())
}

#[test]
fn json_output_has_the_contract_shape() {
    let (value, code) = parse_json(&["(2023)鲁0102民初1234号"]);
    assert_eq!(code, 0);
    assert_eq!(
        value,
        json!([{"input": "(2023)鲁0102民初1234号", "valid": true, "normalized": "（2023）鲁0102民初1234号",
            "year": 2023, "court_code": "鲁0102", "special_code": null, "type_code": "民初",
            "class": "civil", "instance": "first", "seq": 1234, "suffix": null}])
    );
}

#[test]
fn the_readme_example_parses_the_ip_special_code() {
    let (value, code) = parse_json(&["（2021）最高法知民终892号"]);
    assert_eq!(code, 0);
    let row = &value[0];
    assert_eq!(row["court_code"], "最高法");
    assert_eq!(row["special_code"], "知");
    assert_eq!(row["type_code"], "民终");
    assert_eq!(row["instance"], "second");
    assert_eq!(row["seq"], 892);
}

#[test]
fn one_invalid_input_gives_exit_code_2_and_keeps_the_order() {
    let output = tianping()
        .args([
            "case-number",
            "parse",
            "--format",
            "json",
            "（2023）鲁01民终5号之一",
            "2023鲁民初1号",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value[0]["suffix"], "之一");
    assert_eq!(
        value[1],
        json!({"input": "2023鲁民初1号", "valid": false,
        "error": "missing year brackets", "error_part": "brackets"})
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("2023鲁民初1号: missing year brackets"),
        "{stderr}"
    );
}

#[test]
fn legacy_numbers_are_flagged() {
    let (value, code) = parse_json(&["（2014）民一终字第174号"]);
    assert_eq!(code, 2);
    assert_eq!(value[0]["legacy"], true);
    assert_eq!(value[0]["valid"], false);
}

#[test]
fn table_output_uses_chinese_labels() {
    let output = tianping()
        .args(["case-number", "parse", "〔2023〕鲁0102执恢88号"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("输入"), "{text}");
    assert!(text.contains("（2023）鲁0102执恢88号"), "{text}");
    assert!(text.contains("恢复执行"), "{text}");
}

#[test]
fn csv_output_has_a_header_and_a_row_per_input() {
    let output = tianping()
        .args([
            "case-number",
            "parse",
            "--format",
            "csv",
            "（2023）京0491民初1号",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "input,valid,normalized,year,court_code,special_code,type_code,class,instance,seq,suffix,error"
    );
    assert_eq!(
        lines[1],
        "（2023）京0491民初1号,true,（2023）京0491民初1号,2023,京0491,,民初,civil,first,1,,"
    );
}

#[test]
fn an_administrator_loads_a_newer_holiday_notice() {
    let dir = std::env::temp_dir().join(format!("tianping-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notice = dir.join("2027.json");
    std::fs::write(
        &notice,
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
    )
    .unwrap();
    let output = tianping()
        .args(["calendar", "check"])
        .arg(&notice)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let output = tianping()
        .env("TIANPING_HOLIDAYS", &notice)
        .args(["calendar", "show", "--year", "2027", "--format", "json"])
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["known"], true);
    assert_eq!(value["days"][0]["date"], "2027-01-01");

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"year":2027,"days":[{"name":"x","date":"2027-02-30","isOffDay":true}]}"#,
    )
    .unwrap();
    let output = tianping()
        .args(["calendar", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("2027-02-30")
    );
}
