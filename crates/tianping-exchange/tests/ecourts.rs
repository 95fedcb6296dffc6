//! The Indian eCourts CIS/NJDG layout, on the real Haryana POCSO fixture and on small files.

mod common;

use std::path::PathBuf;

use common::{d, errors};
use tianping_domain::{ClosingMode, CourtLevel};
use tianping_exchange::{Kind, Layout, read_bytes, read_file};

fn haryana() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ecourts-india/haryana-pocso-cases.csv");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} not found", path.display());
        None
    }
}

#[test]
fn the_haryana_fixture_parses_with_two_rows_rejected() {
    let Some(path) = haryana() else { return };
    let parsed = read_file(&path, None, Layout::EcourtsIndia, None).unwrap();
    let file = path.display().to_string();
    assert_eq!(parsed.kind, Kind::Cases);
    assert_eq!(parsed.total_rows, 4631);
    assert_eq!(parsed.cases.len(), 4629);
    // The only rule the real data breaks: a receipt (date_of_filing) after registration.
    assert_eq!(
        errors(&parsed),
        [
            format!(
                "{file}:3087:date_of_filing: 起诉日期 2020-01-30 晚于登记日期 2020-01-27（dt_regis 列）"
            ),
            format!(
                "{file}:3865:date_of_filing: 起诉日期 2018-11-16 晚于登记日期 2018-11-15（dt_regis 列）"
            ),
        ]
    );
    assert_eq!(parsed.warnings.len(), 1);
    assert!(
        parsed.warnings[0].contains("有 48 列未使用：“archive”、“case_no”、"),
        "{}",
        parsed.warnings[0]
    );

    // The first row: pending.
    let (row, case) = &parsed.cases[0];
    assert_eq!(*row, 2);
    assert_eq!(case.case_number, "HRGR010188122018");
    assert_eq!(case.court_code, "HRGR01");
    assert_eq!(case.type_code, None);
    assert_eq!(case.type_name.as_deref(), Some("SC-ST"));
    assert_eq!(case.received_date, Some(d("2018-12-19")));
    assert_eq!(case.filed_date, d("2018-12-19"));
    assert_eq!(
        (case.closed_date, case.closing_mode, &case.disposal),
        (None, None, &None)
    );
    assert_eq!(
        case.judge.as_deref(),
        Some("Additional District and Sessions Judge #26")
    );
    assert_eq!(case.division, None);

    // Row 7: decided, disposal kept as written, closing mode Other.
    let (_, case) = parsed.cases.iter().find(|(r, _)| *r == 7).unwrap();
    assert_eq!(case.case_number, "HRFT010003412019");
    assert_eq!(case.closed_date, Some(d("2019-09-21")));
    assert_eq!(case.closing_mode, Some(ClosingMode::Other));
    assert_eq!(case.disposal.as_deref(), Some("ACQUITTED"));

    let decided = parsed
        .cases
        .iter()
        .filter(|(_, c)| c.closed_date.is_some())
        .count();
    assert_eq!(decided, 3045);
    assert!(
        parsed
            .cases
            .iter()
            .all(|(_, c)| c.closed_date.is_some() == c.closing_mode.is_some())
    );

    // One court per establishment, named after its first row, spaces collapsed.
    assert_eq!(parsed.courts.len(), 18);
    let (row, court) = &parsed.courts[1];
    assert_eq!(*row, 3);
    assert_eq!(court.code, "HRFT01");
    assert_eq!(court.name, "District and Sessions Courts, Fatehabad");
    assert_eq!(court.level, CourtLevel::Basic);
    assert_eq!(court.parent_code, None);

    // The raw cells of a rejected row are there for the rejects file.
    let raw = parsed.raw_row(3087).unwrap();
    assert_eq!(raw.len(), parsed.headers.len());
    assert_eq!(raw[0], "HRPL010005462020");
}

const EH: &str = "cino,est_code,court_name,court_no,desgname,type_name,date_of_filing,dt_regis,\
date_of_decision,disp_name,purpose_name";

fn ecourts(rows: &[&str]) -> tianping_exchange::ParsedFile {
    let text = format!("{EH}\n{}\n", rows.join("\n"));
    read_bytes("in.csv", text.as_bytes(), None, Layout::EcourtsIndia).unwrap()
}

#[test]
fn ecourts_rules() {
    let parsed = ecourts(&[
        "DLND010000012020,DLND01,Patiala House,5,Sessions Judge,SC,2020-01-02,2020-01-03,2019-12-31,CONVICTED,NA",
        "DLND010000022020,DLND01,Patiala House,5,Sessions Judge,SC,2020-01-02,NA,NA,NA,Evidence",
        "DLND010000032020,DLND01,Patiala House,NA,NA,SC,NA,2020-02-30,NA,ACQUITTED,NA",
        "DLND010000012020,NA,NA,NA,NA,NA,NA,2020-01-03,NA,NA,NA",
        "NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA",
        "DLND010000042020,DLND01,Patiala House,NA,NA,NA,NA,2020-01-05,2020-01-05,NA,NA",
    ]);
    assert_eq!(
        errors(&parsed),
        [
            "in.csv:2:date_of_decision: 裁判日期 2019-12-31 早于登记日期 2020-01-03（dt_regis 列）",
            "in.csv:3:dt_regis: 必填，不能为空",
            "in.csv:4:dt_regis: 日期“2020-02-30”不存在",
            "in.csv:4:disp_name: 填写了处理结果“ACQUITTED”，但没有裁判日期（date_of_decision 列）",
            "in.csv:5:cino: 案号重复：DLND010000012020 已在第 2 行出现",
            "in.csv:5:est_code: 必填，不能为空",
        ]
    );
    // A row of NA only is blank.
    assert_eq!(parsed.total_rows, 5);
    let (row, case) = &parsed.cases[0];
    assert_eq!(*row, 7);
    assert_eq!(case.closing_mode, Some(ClosingMode::Other));
    assert_eq!(case.disposal, None);
    assert_eq!(case.judge, None);
    assert_eq!(case.type_name, None);
    assert_eq!(parsed.courts.len(), 1);
    assert_eq!(parsed.courts[0].0, 7);
    assert_eq!(parsed.courts[0].1.name, "Patiala House");
}

#[test]
fn an_ecourts_file_read_in_the_tianping_layout_gets_a_hint() {
    let err = read_bytes(
        "in.csv",
        b"cino,est_code,dt_regis\n",
        None,
        Layout::Tianping,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.csv:1: 无法从表头判断这是法院、案件还是事件文件（表头为：“cino”、“est_code”、\
         “dt_regis”）；这些列像是印度 eCourts 系统的导出文件：请按 eCourts（印度）格式读取"
    );
}

#[test]
fn ecourts_missing_columns() {
    let err = read_bytes(
        "in.csv",
        b"cino,court_name\nX,Y\n",
        Some(Kind::Cases),
        Layout::EcourtsIndia,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.csv:1: 缺少必需的列：est_code、dt_regis"
    );
}
