//! Hostile workbooks: each is refused with a clear message, quickly and in little memory.
//!
//! The workbooks are built here, part by part, as an attacker would build them (see `common::
//! zip`): a zip archive whose parts may lie about their size, and a deflate stream that expands
//! a few megabytes into a gigabyte of XML. How much memory a read takes is the rise of the
//! process's peak resident memory (`VmHWM`, reset before each read); the tests of this file run
//! one at a time for that.

mod common;

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use common::zip::{Part, deflated_repeats, zip};
use rust_xlsxwriter::Workbook;
use tianping_exchange::{FileError, Kind, Layout, ParsedFile, read_bytes};

/// What a read of a hostile workbook may add to the process's peak memory. A read that builds
/// what the workbook claims takes gigabytes.
const MEMORY_BOUND: u64 = 64 << 20;
/// How long it may take, in a debug build on a busy machine.
const TIME_BOUND: Duration = Duration::from_secs(10);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Read `bytes` as the web reads an upload; the result, and how far the process's peak
/// resident memory rose above what it was before.
fn read_measured(name: &str, bytes: &[u8]) -> (Result<ParsedFile, FileError>, u64, Duration) {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    // Writing 5 to clear_refs resets the peak to the resident memory of now (Linux 4.0 on).
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident memory");
    let before = status_bytes("VmRSS");
    let start = Instant::now();
    let result = read_bytes(name, bytes, None, Layout::Tianping);
    let elapsed = start.elapsed();
    let growth = status_bytes("VmHWM").saturating_sub(before);
    (result, growth, elapsed)
}

/// A `kB` line of /proc/self/status, in bytes.
fn status_bytes(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .unwrap();
    line.trim().trim_end_matches(" kB").parse::<u64>().unwrap() * 1024
}

/// The message of a refusal that came quickly and in little memory.
fn refused(name: &str, bytes: &[u8]) -> String {
    let (result, growth, elapsed) = read_measured(name, bytes);
    let message = match result {
        Ok(parsed) => panic!("read {} rows of a hostile workbook", parsed.total_rows),
        Err(e) => e.to_string(),
    };
    assert!(
        growth < MEMORY_BOUND,
        "peak memory rose {growth} bytes: {message}"
    );
    assert!(elapsed < TIME_BOUND, "took {elapsed:?}: {message}");
    message
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="cases" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

fn workbook_rels(sheet_target: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{sheet_target}"/></Relationships>"#
    )
}

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

/// A cell holding `text` as an inline string.
fn text_cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row of a cases file.
fn header_row() -> String {
    format!(
        "<row>{}{}</row>",
        text_cell("A1", "case_number"),
        text_cell("B1", "filed_date")
    )
}

/// A workbook of one sheet, `cases`, with `rows` (XML) after the header row, and `more` parts.
fn workbook_with(rows: &str, more: Vec<Part>) -> Vec<u8> {
    let sheet = format!("{SHEET_START}{}{rows}{SHEET_END}", header_row());
    let mut parts = vec![
        Part::stored("_rels/.rels", PACKAGE_RELS),
        Part::stored("xl/workbook.xml", WORKBOOK),
        Part::stored(
            "xl/_rels/workbook.xml.rels",
            workbook_rels("worksheets/sheet1.xml"),
        ),
        Part::stored("xl/worksheets/sheet1.xml", sheet),
    ];
    for part in more {
        parts.retain(|p| p.name != part.name);
        parts.push(part);
    }
    zip(&parts)
}

/// The attacker's tools work: the stream inflates to its text, checksum included.
#[test]
fn hand_built_parts_inflate_to_their_text() {
    use std::io::Read;
    let (data, size) = deflated_repeats(b"<a>", "中x".as_bytes(), 1000, b"</a>");
    let text = format!("<a>{}</a>", "中x".repeat(1000));
    assert_eq!(size, text.len() as u64);
    let mut part = Part::deflated("a.xml", data, size);
    part.crc = common::zip::crc32(text.as_bytes());
    let bytes = zip(&[part, Part::stored("b.txt", "b")]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut inflated = String::new();
    archive
        .by_name("a.xml")
        .unwrap()
        .read_to_string(&mut inflated)
        .unwrap();
    assert_eq!(inflated, text);
}

#[test]
fn the_hand_built_workbook_reads() {
    let row = format!(
        "<row>{}{}</row>",
        text_cell("A2", "（2023）鲁0102民初1号"),
        text_cell("B2", "2023-03-01")
    );
    let bytes = workbook_with(&row, Vec::new());
    let (parsed, _, _) = read_measured("cases.xlsx", &bytes);
    let parsed = parsed.unwrap();
    assert_eq!(parsed.kind, Kind::Cases);
    assert_eq!(parsed.cases.len(), 1);
    assert_eq!(parsed.cases[0].0, 2);
}

/// 1.5 kilobytes that claim a sheet of 17 billion cells: calamine's grid of them was 512 GiB.
#[test]
fn a_cell_at_xfd1048576_is_refused_without_building_the_sheet_as_a_grid() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "case_number").unwrap();
    sheet.write_string(0, 1, "filed_date").unwrap();
    sheet.write_number(1_048_575, 16_383, 1.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    assert!(bytes.len() < 8 << 10, "{} bytes", bytes.len());
    assert_eq!(
        refused("wide.xlsx", &bytes),
        "wide.xlsx: XLSX 工作簿超出可读取的范围：工作表“Sheet1”：单元格 XFD1048576 在 IV 列\
         （第 256 列）右侧，超出了读取的最后一列；交换表最多 20 列"
    );
}

#[test]
fn a_cell_below_the_last_row_of_a_sheet_is_refused() {
    let bytes = workbook_with(
        &format!("<row r=\"2000000\">{}</row>", text_cell("A2000000", "x")),
        Vec::new(),
    );
    assert_eq!(
        refused("deep.xlsx", &bytes),
        "deep.xlsx: XLSX 工作簿超出可读取的范围：工作表“cases”：单元格 A2000000 在第 1048576 行\
         之下，超出了工作表的最后一行"
    );
}

/// Within the limits, a far cell costs its row, not the rows and columns before it.
#[test]
fn a_stray_cell_at_the_last_row_reads_in_little_memory() {
    let bytes = workbook_with(
        &format!(
            "<row r=\"1048576\">{}</row>",
            text_cell("IV1048576", "note")
        ),
        Vec::new(),
    );
    let (parsed, growth, _) = read_measured("stray.xlsx", &bytes);
    let parsed = parsed.unwrap();
    assert!(growth < MEMORY_BOUND, "peak memory rose {growth} bytes");
    assert_eq!(parsed.total_rows, 1);
    let row = parsed.raw_row(1_048_576).unwrap();
    assert_eq!(row.len(), 256);
    assert_eq!(row[255], "note");
    assert_eq!(
        parsed.warnings,
        ["stray.xlsx: 第 1048576 行（可能还有其他行）的单元格比表头多，多出的单元格已忽略"]
    );
}

/// Cells out of order (Excel writes them in order; a hand-made file need not) read in order,
/// and a cell given twice keeps its last value, as calamine's grid kept it.
#[test]
fn cells_out_of_order_read_in_row_and_column_order() {
    let rows = format!(
        "<row r=\"3\">{}{}</row><row r=\"2\">{}{}{}</row>",
        text_cell("B3", "2023-03-03"),
        text_cell("A3", "（2023）鲁0102民初3号"),
        text_cell("A2", "（2023）鲁0102民初1号"),
        text_cell("A2", "（2023）鲁0102民初2号"),
        text_cell("B2", "2023-03-02"),
    );
    let (parsed, _, _) = read_measured("order.xlsx", &workbook_with(&rows, Vec::new()));
    let parsed = parsed.unwrap();
    let cases: Vec<(usize, &str)> = parsed
        .cases
        .iter()
        .map(|(row, case)| (*row, case.case_number.as_str()))
        .collect();
    assert_eq!(
        cases,
        [(2, "（2023）鲁0102民初2号"), (3, "（2023）鲁0102民初3号")]
    );
}

/// calamine subtracts a dimension's start from its end; one that ends before it starts made
/// it panic where overflow is checked (as in tests; a release build wraps and reads on), and the
/// panic went through the reader.
#[test]
fn a_dimension_ending_before_it_starts_is_an_unreadable_workbook_not_a_crash() {
    let sheet = format!(
        "{}<dimension ref=\"B2:A1\"/><sheetData>{}</sheetData></worksheet>",
        SHEET_START.trim_end_matches("<sheetData>"),
        header_row()
    );
    let bytes = workbook_with("", vec![Part::stored("xl/worksheets/sheet1.xml", sheet)]);
    let (result, _, _) = read_measured("dim.xlsx", &bytes);
    match result {
        Err(e) => assert_eq!(
            e.to_string(),
            "dim.xlsx: 无法读取 XLSX 工作簿：其内容无法解析，请用 Excel 或 WPS 打开后重新保存"
        ),
        // Where overflow wraps, the header reads and no row follows.
        Ok(parsed) => assert_eq!(parsed.total_rows, 0),
    }
}

/// The sheet XML of `rows` rows of one number cell each, repeated by the deflate stream: a
/// workbook of a few megabytes that expands to `rows` × 32 bytes of XML.
fn rows_bomb(rows: u64, declared: Option<u64>) -> Vec<u8> {
    const ROW: &[u8] = b"<row><c t=\"n\"><v>1</v></c></row>";
    assert_eq!(ROW.len(), 32);
    let start = format!("{SHEET_START}{}", header_row());
    let (data, size) = deflated_repeats(start.as_bytes(), ROW, rows, SHEET_END.as_bytes());
    let sheet = Part::deflated("xl/worksheets/sheet1.xml", data, declared.unwrap_or(size));
    workbook_with("", vec![sheet])
}

/// The 1.35 GB of XML of the issue, in 10.5 MB (calamine kept every cell of it, then the
/// grid).
#[test]
fn a_gigabyte_of_xml_in_ten_megabytes_is_refused_before_it_is_inflated() {
    let bytes = rows_bomb(42_187_500, None);
    assert!(bytes.len() < 11 << 20, "{} bytes", bytes.len());
    let message = refused("bomb.xlsx", &bytes);
    assert!(
        message.starts_with("bomb.xlsx: XLSX 工作簿超出可读取的范围：各部件解压后共 1350001"),
        "{message}"
    );
    assert!(
        message.ends_with(
            "（其大小的 100 倍，至少 16777216 字节，至多 2147483648 字节；正常导出的工作簿解压后\
             约为原来的十倍）"
        ),
        "{message}"
    );
}

/// The sizes a workbook declares bound what is inflated: a part that inflates further fails
/// (the zip crate stops it), so the check of the declared sizes cannot be lied past.
#[test]
fn a_part_that_inflates_past_its_declared_size_is_refused() {
    let bytes = rows_bomb(42_187_500, Some(100_000));
    let message = refused("liar.xlsx", &bytes);
    assert_eq!(
        message,
        "liar.xlsx: 无法读取 XLSX 工作簿：工作表“cases”无法读取"
    );
    // What the zip reader said is the error's source, for whoever debugs the workbook.
    let (result, _, _) = read_measured("liar.xlsx", &bytes);
    let error = result.err().unwrap();
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        source.contains("larger than its declared uncompressed size"),
        "{source}"
    );
}

#[test]
fn a_workbook_of_too_many_parts_is_refused() {
    let mut parts: Vec<Part> = (0..10_001)
        .map(|i| Part::stored(&format!("x/{i}"), ""))
        .collect();
    parts.push(Part::stored("_rels/.rels", PACKAGE_RELS));
    assert_eq!(
        refused("parts.xlsx", &zip(&parts)),
        "parts.xlsx: XLSX 工作簿超出可读取的范围：压缩包内有 10002 个部件，超过上限 10000 个"
    );
}

/// calamine reserves room for as many strings as the shared strings declare before it reads
/// one: 10^15 of them aborted the process.
#[test]
fn shared_strings_declaring_a_quadrillion_strings_are_refused() {
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000000"><si><t>x</t></si></sst>"#;
    let bytes = workbook_with("", vec![Part::stored("xl/sharedStrings.xml", strings)]);
    assert_eq!(
        refused("count.xlsx", &bytes),
        "count.xlsx: XLSX 工作簿超出可读取的范围：部件“xl/sharedStrings.xml”声明有 \
         1000000000000000 个共享字符串，但其内容最多只容得下 7 个"
    );
}

/// calamine copies a cell format's number format into its style: one number format of a
/// megabyte and a thousand cell formats made a gigabyte of copies.
#[test]
fn styles_that_copy_a_long_number_format_into_every_cell_format_are_refused() {
    let code = "0".repeat(1 << 20);
    let formats = r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0"/>"#.repeat(1000);
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="{code}"/></numFmts><cellXfs count="1000">{formats}</cellXfs></styleSheet>"#
    );
    let bytes = workbook_with("", vec![Part::stored("xl/styles.xml", styles)]);
    let message = refused("styles.xlsx", &bytes);
    assert!(
        message.starts_with(
            "styles.xlsx: XLSX 工作簿超出可读取的范围：读取其样式、共享字符串和工作表列表约需 "
        ),
        "{message}"
    );
    assert!(message.contains("最长的属性值 1048576 字节"), "{message}");
}

/// calamine makes each sheet's path of its relationship's target: a target of a megabyte and
/// a thousand sheets naming it made a gigabyte of paths.
#[test]
fn a_sheet_list_that_copies_a_long_path_into_every_sheet_is_refused() {
    let target = format!("worksheets/{}.xml", "s".repeat(1 << 20));
    let sheets: String = (0..1000)
        .map(|i| format!(r#"<sheet name="s{i}" sheetId="{i}" r:id="rId1"/>"#))
        .collect();
    let workbook = WORKBOOK.replace(r#"<sheet name="cases" sheetId="1" r:id="rId1"/>"#, &sheets);
    let bytes = workbook_with(
        "",
        vec![
            Part::stored("xl/workbook.xml", workbook),
            Part::stored("xl/_rels/workbook.xml.rels", workbook_rels(&target)),
        ],
    );
    let message = refused("sheets.xlsx", &bytes);
    assert!(
        message.contains("字节内存") && message.contains("最长的属性值 1048"),
        "{message}"
    );
}

#[test]
fn a_part_read_whole_beyond_16_mib_is_refused() {
    let (data, size) = deflated_repeats(b"<styleSheet>", b" ", 17 << 20, b"</styleSheet>");
    // Stored noise, so that the workbook may expand beyond 16 MiB as a whole.
    let noise: Vec<u8> = (0..400_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let bytes = workbook_with(
        "",
        vec![
            Part::deflated("xl/styles.xml", data, size),
            Part::stored("docProps/thumbnail.jpeg", noise),
        ],
    );
    assert_eq!(
        refused("big.xlsx", &bytes),
        format!(
            "big.xlsx: XLSX 工作簿超出可读取的范围：部件“xl/styles.xml”解压后有 {size} 字节，\
             超过整体读取的部件的上限 16777216 字节"
        )
    );
}

/// Each target of the package relationships names parts the check reads: a million of them
/// would make the check itself the cost.
#[test]
fn package_relationships_of_too_many_targets_are_refused() {
    let relationships: String = (0..1001)
        .map(|i| format!(r#"<Relationship Id="r{i}" Type="t" Target="f{i}/workbook.xml"/>"#))
        .collect();
    let rels = PACKAGE_RELS.replace(
        "</Relationships>",
        &format!("{relationships}</Relationships>"),
    );
    let bytes = workbook_with("", vec![Part::stored("_rels/.rels", rels)]);
    assert_eq!(
        refused("rels.xlsx", &bytes),
        "rels.xlsx: XLSX 工作簿超出可读取的范围：包关系部件“_rels/.rels”指向的目标超过 1000 个"
    );
}
