//! The CSV files follow the exchange format.

use std::collections::BTreeMap;

use tianping_synth::{SynthConfig, generate, generate_csv_files, write_csv_files};

fn read(path: &std::path::Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn csv_files_use_the_exchange_columns_and_spellings() {
    let config = SynthConfig {
        target_cases: Some(5_000),
        ..SynthConfig::small(8)
    };
    let data = generate(&config);
    let dir = tempfile::tempdir().unwrap();
    let [courts, cases, events] = write_csv_files(&data, dir.path()).unwrap();
    assert_eq!(courts.file_name().unwrap(), "courts.csv");
    assert_eq!(cases.file_name().unwrap(), "cases.csv");
    assert_eq!(events.file_name().unwrap(), "events.csv");
    let bytes = std::fs::read(&cases).unwrap();
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    assert!(std::str::from_utf8(&bytes).is_ok());

    let (header, rows) = read(&courts);
    assert_eq!(header, ["code", "name", "level", "parent_code"]);
    assert_eq!(rows.len(), data.courts.len());
    assert_eq!(rows[0]["code"], "鲁");
    assert_eq!(rows[0]["level"], "高级");
    assert_eq!(rows[0]["parent_code"], "");
    assert!(rows.iter().any(|r| r["level"] == "专门"));

    let (header, rows) = read(&cases);
    assert_eq!(
        header,
        [
            "case_number",
            "procedure",
            "cause",
            "received_date",
            "filed_date",
            "division",
            "judge",
            "closed_date",
            "closing_mode",
            "claim_amount",
            "recovered_amount",
            "origin_case_number",
            "foreign_related",
            "longer_limit",
            "appeal_object",
        ]
    );
    assert_eq!(rows.len(), data.cases.len());
    for (row, case) in rows.iter().zip(&data.cases) {
        assert_eq!(row["case_number"], case.case_number);
        assert_eq!(
            row["filed_date"],
            case.filed_date.format("%Y-%m-%d").to_string()
        );
        assert_eq!(row["procedure"], case.procedure.map_or("", |p| p.name_zh()));
        assert_eq!(
            row["closing_mode"],
            case.closing_mode.map_or("", |m| m.name_zh())
        );
        assert!(matches!(row["foreign_related"].as_str(), "true" | "false"));
        assert!(matches!(row["longer_limit"].as_str(), "true" | "false"));
        assert!(matches!(
            row["appeal_object"].as_str(),
            "" | "判决" | "裁定"
        ));
        for column in ["claim_amount", "recovered_amount"] {
            let text = &row[column];
            if !text.is_empty() {
                let (_, decimals) = text.split_once('.').expect("two decimals");
                assert_eq!(decimals.len(), 2, "{text}");
            }
        }
        assert_eq!(row["closed_date"].is_empty(), case.closed_date.is_none());
    }
    let appeals: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| r["case_number"].contains("民终"))
        .collect();
    assert!(appeals.iter().all(|r| !r["appeal_object"].is_empty()));

    let (header, rows) = read(&events);
    assert_eq!(
        header,
        [
            "case_number",
            "event",
            "date",
            "end_date",
            "months",
            "days",
            "reason"
        ]
    );
    assert_eq!(rows.len(), data.events.len());
    for row in &rows {
        assert!(
            ["延长审限", "扣除审限", "上诉", "申请再审", "转换程序"]
                .contains(&row["event"].as_str())
        );
    }
}

#[test]
fn generating_straight_to_csv_writes_the_same_files() {
    let config = SynthConfig {
        target_cases: Some(3_000),
        ..SynthConfig::small(4)
    };
    let held = tempfile::tempdir().unwrap();
    let streamed = tempfile::tempdir().unwrap();
    let a = write_csv_files(&generate(&config), held.path()).unwrap();
    let b = generate_csv_files(&config, streamed.path()).unwrap();
    for (fa, fb) in a.iter().zip(&b) {
        assert_eq!(std::fs::read(fa).unwrap(), std::fs::read(fb).unwrap());
    }
}
