//! Fuzz-style property tests: arbitrary bytes, and well-formed files of arbitrary cells (dates
//! of year 0 and 9999, counts of 2^31, negative amounts, long texts, quotes, byte order marks,
//! GB18030), thrown at the readers as every kind and layout. Every read ends in a success or a
//! file error, never a panic, and the process stays within a bound of memory.

mod common;

use std::io::Read;
use std::sync::OnceLock;

use common::zip::{Part, zip};
use proptest::prelude::*;
use proptest::sample::select;
use rust_xlsxwriter::{ExcelDateTime, Workbook};
use tianping_exchange::{Kind, Layout, ParsedFile, read_bytes};

/// What the whole test process may hold at its peak: reads of a few kilobytes each, a few at a
/// time. A read that builds what a workbook claims takes gigabytes.
const PROCESS_MEMORY_BOUND: u64 = 1 << 30;

/// Read `bytes` as every kind and layout; each read succeeds consistently or fails with a
/// message about the file.
fn read_every_way(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    for kind in [
        None,
        Some(Kind::Courts),
        Some(Kind::Cases),
        Some(Kind::Events),
    ] {
        for layout in [Layout::Tianping, Layout::EcourtsIndia] {
            match read_bytes(name, bytes, kind, layout) {
                Ok(parsed) => consistent(&parsed)?,
                Err(e) => prop_assert!(e.to_string().starts_with(name), "{e}"),
            }
        }
    }
    let peak = peak_memory();
    prop_assert!(peak < PROCESS_MEMORY_BOUND, "peak memory {peak} bytes");
    Ok(())
}

/// What every successful read promises: records and problems are of rows it read, and each
/// problem's row can be given back as written (for the rejects file).
fn consistent(parsed: &ParsedFile) -> Result<(), TestCaseError> {
    let records = parsed
        .courts
        .len()
        .max(parsed.cases.len() + parsed.events.len());
    prop_assert!(records <= parsed.total_rows);
    for error in &parsed.errors {
        prop_assert!(error.to_string().starts_with(&parsed.file));
        prop_assert!(parsed.raw_cells(error.row).is_some(), "{error}");
    }
    for (row, _) in &parsed.cases {
        prop_assert!(parsed.raw_cells(*row).is_some());
    }
    Ok(())
}

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Cell texts that have broken readers and checks before, or might.
const TEXTS: &[&str] = &[
    "",
    " ",
    "NA",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2023-02-29",
    "2024-02-29",
    "2023-13-01",
    "2023年2月30日",
    "2023/4/1",
    "1900-02-29",
    "-2023-01-01",
    "2023-03-01 25:61:61",
    "0",
    "-1",
    "1.5",
    "100000000",
    "2147483647",
    "2147483648",
    "-2147483648",
    "4294967296",
    "9223372036854775807",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "inf",
    "-0.01",
    "1,234.50",
    "12.5万元",
    "-99999999999999999.99",
    "是",
    "否",
    "延长审限",
    "扣除审限",
    "延长",
    "上诉",
    "判决",
    "维持原判",
    "执行完毕",
    "简易程序",
    "（2023）鲁0102民初1号",
    "（2023）鲁0102民初1号",
    "（2023）鲁0102执100号",
    "(2014)民一终字第174号",
    "SD0102",
    "基层",
    "中院",
    "\"",
    "\"\"",
    "a\"b",
    "\"unclosed",
    "\n",
    "\r\n",
    "a,b",
    "\u{feff}",
    "中文",
    "\u{0}",
];

/// The header names of every kind and layout, English and Chinese.
const HEADERS: &[&str] = &[
    "case_number",
    "案号",
    "filed_date",
    "立案日期",
    "closed_date",
    "结案日期",
    "closing_mode",
    "procedure",
    "cause",
    "judge",
    "claim_amount",
    "recovered_amount",
    "origin_case_number",
    "foreign_related",
    "longer_limit",
    "appeal_object",
    "received_date",
    "division",
    "event",
    "事件",
    "date",
    "日期",
    "end_date",
    "months",
    "days",
    "月数",
    "天数",
    "reason",
    "code",
    "name",
    "level",
    "parent_code",
    "cino",
    "est_code",
    "dt_regis",
    "date_of_filing",
    "date_of_decision",
    "disp_name",
    "",
    "unknown",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(TEXTS).prop_map(str::to_owned),
        2 => "\\PC{0,12}",
        1 => "[0-9]{1,30}",
        1 => (0u32..=9999, 0u32..=13, 0u32..=32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (1usize..5000).prop_map(|n| "长".repeat(n)),
    ]
}

/// A header of the columns of some kind (a few of every kind, in any order) and rows of cells.
fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (
        proptest::collection::vec(select(HEADERS), 1..10),
        proptest::collection::vec(proptest::collection::vec(cell(), 0..12), 0..25),
    )
        .prop_map(|(headers, rows)| (headers.into_iter().map(str::to_owned).collect(), rows))
}

/// How a table becomes CSV bytes.
#[derive(Debug, Clone, Copy)]
struct CsvForm {
    /// Quote cells as a CSV writer does; else join them with commas as they are (quotes and
    /// line breaks in cells then break the file, as a careless export does).
    quoted: bool,
    crlf: bool,
    bom: bool,
    gb18030: bool,
}

fn csv_form() -> impl Strategy<Value = CsvForm> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(quoted, crlf, bom, gb18030)| CsvForm {
            quoted,
            crlf,
            bom,
            gb18030,
        },
    )
}

fn csv_bytes(headers: &[String], rows: &[Vec<String>], form: CsvForm) -> Vec<u8> {
    let line = |cells: &[String]| -> String {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| {
                if form.quoted && c.contains(['"', ',', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        cells.join(",")
    };
    let end = if form.crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if form.bom && !form.gb18030 {
        text.push('\u{feff}');
    }
    text.push_str(&line(headers));
    for row in rows {
        text.push_str(end);
        text.push_str(&line(row));
    }
    if form.gb18030 {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    }
}

/// A workbook of the table, cells typed as a spreadsheet types them, on a sheet named after a
/// kind or not, with a second sheet sometimes; `far` adds a cell far out in the sheet.
fn xlsx_bytes(
    headers: &[String],
    rows: &[Vec<String>],
    sheet_name: &str,
    second_sheet: bool,
    far: Option<(u32, u16)>,
) -> Vec<u8> {
    let mut workbook = Workbook::new();
    if second_sheet {
        workbook.add_worksheet().set_name("说明").unwrap();
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).unwrap();
    // rust_xlsxwriter refuses what Excel refuses (control characters aside, strings over
    // 32,767 characters); such cells are left out.
    for (c, header) in headers.iter().enumerate() {
        let _ = sheet.write_string(0, c as u16, header);
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, text) in row.iter().enumerate() {
            let c = c as u16;
            let date = text
                .split('-')
                .map(str::parse::<u16>)
                .collect::<Result<Vec<_>, _>>()
                .ok()
                .filter(|p| p.len() == 3)
                .and_then(|p| ExcelDateTime::from_ymd(p[0], p[1] as u8, p[2] as u8).ok());
            let _ = match (text.parse::<f64>(), text.as_str(), date) {
                (_, _, Some(date)) => sheet.write_datetime(r, c, date).map(|_| ()),
                (Ok(n), _, _) if n.is_finite() => sheet.write_number(r, c, n).map(|_| ()),
                (_, "是", _) => sheet.write_boolean(r, c, true).map(|_| ()),
                _ => sheet.write_string(r, c, text).map(|_| ()),
            };
        }
    }
    if let Some((r, c)) = far {
        let _ = sheet.write_string(r, c, "far");
    }
    workbook.save_to_buffer().unwrap()
}

/// The parts of a workbook, inflated.
fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            part.read_to_end(&mut data).unwrap();
            (part.name().unwrap().to_string(), data)
        })
        .collect()
}

/// A cases workbook with a shared string, a date format and a second sheet: what the mutations
/// start from.
fn seed_workbook() -> &'static [(String, Vec<u8>)] {
    static PARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PARTS.get_or_init(|| {
        let headers: Vec<String> = ["case_number", "filed_date", "closed_date", "claim_amount"]
            .map(str::to_owned)
            .to_vec();
        let rows = vec![
            [
                "（2023）鲁0102民初1号",
                "2023-03-01",
                "2023-05-01",
                "1234.5",
            ]
            .map(str::to_owned)
            .to_vec(),
            ["（2023）鲁0102民初2号", "2023-03-02", "", "是"]
                .map(str::to_owned)
                .to_vec(),
        ];
        parts_of(&xlsx_bytes(&headers, &rows, "案件", true, None))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_read_or_fail_cleanly(
        prefix in select(vec![&b""[..], b"PK\x03\x04", b"\xEF\xBB\xBF", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"case_number,filed_date\n"]),
        body in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [prefix, &body[..]].concat();
        read_every_way("fuzz.csv", &bytes)?;
    }
}

/// Pieces of CSV text, bytes that are not UTF-8 among them.
const PIECES: &[&[u8]] = &[
    b",",
    b",",
    b"\"",
    b"\"",
    b"\r",
    b"\n",
    b"\r\n",
    b" ",
    b"a",
    b"0",
    b"-",
    b"2023-03-01",
    b"\xE4\xB8\xAD",
    b"\xFF",
    b"\x81\x30\x81\x30",
    b"\xEF\xBB\xBF",
    b"NA",
    b"case_number",
    b"filed_date",
    b"event",
    b"date",
    b"months",
    b"days",
    b"code",
    b"name",
    b"level",
    b"cino",
    b"est_code",
    b"dt_regis",
    "（2023）鲁0102民初1号".as_bytes(),
    "延长审限".as_bytes(),
    b"2147483647",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn pieces_of_csv_read_or_fail_cleanly(pieces in proptest::collection::vec(select(PIECES), 0..200)) {
        read_every_way("fuzz.csv", &pieces.concat())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn csv_of_arbitrary_cells_reads_or_fails_cleanly((headers, rows) in table(), form in csv_form()) {
        read_every_way("fuzz.csv", &csv_bytes(&headers, &rows, form))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn xlsx_of_arbitrary_cells_reads_or_fails_cleanly(
        (headers, rows) in table(),
        sheet_name in select(vec!["Sheet1", "cases", "案件", "events", "事件", "法院", "courts"]),
        second_sheet in any::<bool>(),
        far in proptest::option::of((0u32..1_048_576, 0u16..16_384)),
    ) {
        read_every_way("fuzz.xlsx", &xlsx_bytes(&headers, &rows, sheet_name, second_sheet, far))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Bytes of one XML part changed, the archive rebuilt with true checksums, so that calamine
    /// parses the broken XML rather than the zip crate refusing a checksum.
    #[test]
    fn xlsx_with_mutated_xml_reads_or_fails_cleanly(
        part in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
    ) {
        let mut parts = seed_workbook().to_vec();
        let victim = part.index(parts.len());
        let data = &mut parts[victim].1;
        for (at, byte, how) in edits {
            let i = at.index(data.len() + 1);
            match how {
                0 if i < data.len() => data[i] = byte,
                1 => data.insert(i, byte),
                _ => data.truncate(i),
            }
        }
        let parts: Vec<Part> = parts.iter().map(|(name, data)| Part::stored(name, data)).collect();
        read_every_way("fuzz.xlsx", &zip(&parts))?;
    }

    /// Bytes of the archive itself changed.
    #[test]
    fn xlsx_with_mutated_zip_bytes_reads_or_fails_cleanly(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<proptest::sample::Index>()),
    ) {
        let parts: Vec<Part> =
            seed_workbook().iter().map(|(name, data)| Part::stored(name, data)).collect();
        let mut bytes = zip(&parts);
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()).max(4));
        }
        bytes[..4].copy_from_slice(b"PK\x03\x04");
        read_every_way("fuzz.xlsx", &bytes)?;
    }
}
