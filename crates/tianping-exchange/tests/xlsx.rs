//! XLSX files written with rust_xlsxwriter: real date cells, number cells, booleans, sheets.

mod common;

use common::{d, errors};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tianping_domain::{ClosingMode, EventKind, Money};
use tianping_exchange::{Kind, Layout, read_bytes, read_file};

fn date(y: u16, m: u8, day: u8) -> ExcelDateTime {
    ExcelDateTime::from_ymd(y, m, day).unwrap()
}

/// A workbook with a notes sheet first and the cases on a sheet named 案件.
fn cases_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date_format = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let notes = workbook.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "导出说明").unwrap();

    let sheet = workbook.add_worksheet();
    sheet.set_name("案件").unwrap();
    let headers = [
        "案号",
        "立案日期",
        "结案日期",
        "结案方式",
        "标的金额",
        "执行到位金额",
        "涉外",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // Row 2: an enforcement case, dates as date cells, amounts as numbers.
    sheet.write_string(1, 0, "（2023）鲁0102执100号").unwrap();
    sheet
        .write_datetime_with_format(1, 1, date(2023, 3, 15), &date_format)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 2, date(2023, 9, 1), &date_format)
        .unwrap();
    sheet.write_string(1, 3, "执行完毕").unwrap();
    sheet.write_number(1, 4, 1234.5).unwrap();
    sheet.write_number(1, 5, 3.0).unwrap();
    sheet.write_boolean(1, 6, false).unwrap();
    // Row 3 left blank. Row 4: a date typed as text, an amount with fen.
    sheet.write_string(3, 0, "(2023)鲁0102民初7号").unwrap();
    sheet.write_string(3, 1, "2023/4/1").unwrap();
    sheet.write_number(3, 4, 0.07).unwrap();
    // Row 5: a date cell that does not come after filing, a negative number.
    sheet.write_string(4, 0, "（2023）鲁0102民初8号").unwrap();
    sheet
        .write_datetime_with_format(4, 1, date(2023, 5, 1), &date_format)
        .unwrap();
    sheet
        .write_datetime_with_format(4, 2, date(2023, 4, 30), &date_format)
        .unwrap();
    sheet.write_string(4, 3, "判决").unwrap();
    sheet.write_number(4, 4, -20.25).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn xlsx_date_and_number_cells_import() {
    let bytes = cases_workbook();
    let parsed = read_bytes("案件.xlsx", &bytes, Some(Kind::Cases), Layout::Tianping).unwrap();
    assert_eq!(parsed.sheet.as_deref(), Some("案件"));
    assert_eq!(parsed.total_rows, 3);
    assert_eq!(
        errors(&parsed),
        [
            "案件.xlsx:5:结案日期: 结案日期 2023-04-30 早于立案日期 2023-05-01",
            "案件.xlsx:5:标的金额: 金额不能为负数：-20.25",
        ]
    );
    assert_eq!(
        parsed.warnings,
        [
            "案件.xlsx: 无法识别的列“备注”，已忽略",
            "案件.xlsx: 只读取了工作表“案件”，未读取：“说明”",
        ]
    );
    let (row, case) = &parsed.cases[0];
    assert_eq!(*row, 2);
    assert_eq!(case.filed_date, d("2023-03-15"));
    assert_eq!(case.closed_date, Some(d("2023-09-01")));
    assert_eq!(case.closing_mode, Some(ClosingMode::EnforcementCompleted));
    assert_eq!(case.claim_amount, Some(Money(123_450)));
    assert_eq!(case.recovered_amount, Some(Money(300)));
    assert!(!case.foreign_related);
    let (row, case) = &parsed.cases[1];
    assert_eq!(*row, 4);
    assert_eq!(case.case_number, "（2023）鲁0102民初7号");
    assert_eq!(case.filed_date, d("2023-04-01"));
    assert_eq!(case.claim_amount, Some(Money(7)));
    // Raw cells as the checks saw them: dates ISO, numbers as Excel shows them.
    assert_eq!(
        parsed.raw_row(2).unwrap(),
        [
            "（2023）鲁0102执100号",
            "2023-03-15",
            "2023-09-01",
            "执行完毕",
            "1234.5",
            "3",
            "false",
            ""
        ]
    );
    assert_eq!(parsed.raw_row(3), None);
}

#[test]
fn without_a_kind_the_first_sheet_is_read() {
    let bytes = cases_workbook();
    let err = read_bytes("案件.xlsx", &bytes, None, Layout::Tianping).unwrap_err();
    assert_eq!(
        err.to_string(),
        "案件.xlsx:1: 无法从表头判断这是法院、案件还是事件文件（表头为：“导出说明”）；\
         请指定文件类型，或修正表头行"
    );
    let err = read_bytes("案件.xlsx", &bytes, Some(Kind::Events), Layout::Tianping).unwrap_err();
    assert_eq!(
        err.to_string(),
        "案件.xlsx:1: 工作表“说明”缺少必需的列：case_number（案号）、event（事件）、date（日期）"
    );
}

#[test]
fn xlsx_events_with_number_cells_from_disk() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("events").unwrap();
    let fmt = Format::new().set_num_format("yyyy-mm-dd");
    // The table starts at B3, as some exports do: row numbers follow the sheet.
    for (c, h) in ["case_number", "event", "date", "months", "days"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, 1 + c as u16, *h).unwrap();
    }
    sheet.write_string(3, 1, "（2023）鲁0102民初1号").unwrap();
    sheet.write_string(3, 2, "延长审限").unwrap();
    sheet
        .write_datetime_with_format(3, 3, date(2023, 8, 20), &fmt)
        .unwrap();
    sheet.write_number(3, 4, 3.0).unwrap();
    sheet.write_string(4, 1, "（2023）鲁0102民初1号").unwrap();
    sheet.write_string(4, 2, "延长审限").unwrap();
    sheet
        .write_datetime_with_format(4, 3, date(2023, 9, 20), &fmt)
        .unwrap();
    sheet.write_number(4, 5, 1.5).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.xlsx");
    workbook.save(&path).unwrap();

    let calls = std::sync::atomic::AtomicUsize::new(0);
    let report = |_: u64, _: u64| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let parsed = read_file(&path, None, Layout::Tianping, Some(&report)).unwrap();
    assert!(calls.into_inner() > 0);
    assert_eq!(parsed.kind, Kind::Events);
    let file = path.display().to_string();
    assert_eq!(
        errors(&parsed),
        [format!("{file}:5:days: “1.5”不是整数（应为 0 或正整数）")]
    );
    let (row, event) = &parsed.events[0];
    assert_eq!(*row, 4);
    assert_eq!(event.kind, EventKind::Extension);
    assert_eq!(event.date, d("2023-08-20"));
    assert_eq!(event.months, Some(3));
}

#[test]
fn an_empty_worksheet_is_an_empty_file() {
    let mut workbook = Workbook::new();
    workbook.add_worksheet();
    let bytes = workbook.save_to_buffer().unwrap();
    let err = read_bytes("e.xlsx", &bytes, None, Layout::Tianping).unwrap_err();
    assert_eq!(err.to_string(), "e.xlsx: 工作表“Sheet1”为空：找不到表头行");
}
