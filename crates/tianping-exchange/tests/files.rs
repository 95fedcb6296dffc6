//! File-level behaviour: kind detection, encodings, file errors, reading from disk.

mod common;

use common::{d, errors, parse};
use tianping_domain::ClosingMode;
use tianping_exchange::{FileError, Kind, Layout, read_bytes, read_file};

fn file_error(name: &str, bytes: &[u8], kind: Option<Kind>) -> String {
    match read_bytes(name, bytes, kind, Layout::Tianping) {
        Ok(parsed) => panic!("expected a file error, got {} rows", parsed.total_rows),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_kind_is_detected_from_the_headers() {
    for (header, kind) in [
        ("code,name,level", Kind::Courts),
        ("法院代字,法院名称,层级,上级法院代字", Kind::Courts),
        ("case_number,event,date", Kind::Events),
        ("案号,事件,日期", Kind::Events),
        ("case_number,filed_date", Kind::Cases),
        ("案号,立案日期,结案日期", Kind::Cases),
        ("\u{feff}Case_Number,Filed_Date", Kind::Cases),
    ] {
        let parsed = parse("x.csv", &format!("{header}\n"), None);
        assert_eq!(parsed.kind, kind, "{header}");
        assert_eq!(parsed.total_rows, 0);
    }
}

#[test]
fn an_undetectable_kind_names_the_headers_seen() {
    assert_eq!(
        file_error("x.csv", "案号,名称,备注\n1,2,3\n".as_bytes(), None),
        "x.csv:1: 无法从表头判断这是法院、案件还是事件文件（表头为：“案号”、“名称”、“备注”）；\
         请指定文件类型，或修正表头行"
    );
}

#[test]
fn missing_required_columns_are_named() {
    assert_eq!(
        file_error("cases.csv", "案号,结案日期\n".as_bytes(), Some(Kind::Cases)),
        "cases.csv:1: 缺少必需的列：filed_date（立案日期）"
    );
    assert_eq!(
        file_error("cases.csv", "cause\n".as_bytes(), Some(Kind::Cases)),
        "cases.csv:1: 缺少必需的列：case_number（案号）、filed_date（立案日期）"
    );
    assert_eq!(
        file_error("events.csv", "case_number,event\n".as_bytes(), None),
        "events.csv:1: 缺少必需的列：date（日期）"
    );
    let err = read_bytes("cases.csv", b"cause\n", Some(Kind::Cases), Layout::Tianping).unwrap_err();
    match err {
        FileError::MissingColumns { columns, kind, .. } => {
            assert_eq!(kind, Kind::Cases);
            assert_eq!(columns, ["case_number（案号）", "filed_date（立案日期）"]);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_column_given_twice_is_ambiguous() {
    assert_eq!(
        file_error(
            "cases.csv",
            "case_number,filed_date,立案日期\n".as_bytes(),
            None
        ),
        "cases.csv:1: 列 filed_date（立案日期）出现了两次（第 2 列和第 3 列），无法确定以哪一列为准"
    );
}

#[test]
fn empty_and_non_tabular_files() {
    assert_eq!(
        file_error("e.csv", b"", None),
        "e.csv: 文件为空：找不到表头行"
    );
    assert_eq!(
        file_error("e.csv", "\u{feff}\r\n\r\n,,\n".as_bytes(), None),
        "e.csv: 文件为空：找不到表头行"
    );
    assert_eq!(
        file_error("a.pdf", b"%PDF-1.7\n\x00\x01\x02", None),
        "a.pdf: 不是 CSV 或 XLSX 文件：内容不是文字（含二进制数据）"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("案号\t立案日期\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(
        file_error("unicode.txt", &utf16, None),
        "unicode.txt: 不是 CSV 或 XLSX 文件：这是 UTF-16 编码的文本（Excel 的“Unicode 文本”），\
         请另存为 CSV（UTF-8）或 .xlsx 文件"
    );
    assert_eq!(
        file_error(
            "old.xls",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
            None
        ),
        "old.xls: 不是 CSV 或 XLSX 文件：这是 Excel 97-2003 工作簿（.xls），请另存为 .xlsx 或 CSV 文件"
    );
    assert!(
        file_error("broken.xlsx", b"PK\x03\x04garbage", None)
            .starts_with("broken.xlsx: 无法读取 XLSX 工作簿：")
    );
    // 0xFF starts no character in UTF-8 nor in GB18030.
    assert_eq!(
        file_error(
            "bad.csv",
            b"case_number,filed_date\n\xff\xff,2023-01-01\n",
            None
        ),
        "bad.csv: 文字编码既不是 UTF-8，也不是 GB18030"
    );
}

#[test]
fn the_ecourts_layout_holds_cases_only() {
    let err = read_bytes(
        "x.csv",
        b"cino,est_code,dt_regis\n",
        Some(Kind::Events),
        Layout::EcourtsIndia,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.csv: eCourts（印度）格式的文件只含案件，不能作为事件文件读取"
    );
}

#[test]
fn gb18030_files_with_chinese_headers_and_dates_import() {
    let text = "案号,立案日期,结案日期,结案方式,承办人\r\n\
                （2023）鲁0102民初1号,2023年3月1日,2023年5月8日,维持原判,张明\r\n\
                （2023）鲁0102民初2号,2023年2月30日,,,李华\r\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test needs non-UTF-8 bytes"
    );
    let parsed = read_bytes("gb.csv", &bytes, None, Layout::Tianping).unwrap();
    assert_eq!(parsed.kind, Kind::Cases);
    assert_eq!(parsed.headers[0], "案号");
    assert_eq!(
        errors(&parsed),
        ["gb.csv:3:立案日期: 日期“2023年2月30日”不存在"]
    );
    let (row, case) = &parsed.cases[0];
    assert_eq!(*row, 2);
    assert_eq!(case.case_number, "（2023）鲁0102民初1号");
    assert_eq!(case.filed_date, d("2023-03-01"));
    assert_eq!(case.closed_date, Some(d("2023-05-08")));
    assert_eq!(case.closing_mode, Some(ClosingMode::Upheld));
    assert_eq!(case.judge.as_deref(), Some("张明"));
    // The raw cells are given back decoded.
    assert_eq!(parsed.raw_row(3).unwrap()[4], "李华");
}

#[test]
fn gb18030_is_detected_after_an_ascii_header() {
    let mut text = String::from("case_number,filed_date,judge\n");
    for i in 1..=3000 {
        text.push_str(&format!("(2023)鲁0102民初{i}号,2023-03-01,\n"));
    }
    text.push_str("(2023)鲁0102民初9999号,2023-03-01,张明\n");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let parsed = read_bytes("late.csv", &bytes, None, Layout::Tianping).unwrap();
    assert_eq!(parsed.cases.len(), 3001);
    assert_eq!(parsed.cases[3000].1.judge.as_deref(), Some("张明"));
    assert_eq!(parsed.cases[0].1.case_number, "（2023）鲁0102民初1号");
}

#[test]
fn utf8_files_with_a_bom_import() {
    let text = "\u{feff}case_number,filed_date\n（2023）鲁0102民初1号,2023-03-01\n";
    let parsed = read_bytes("bom.csv", text.as_bytes(), None, Layout::Tianping).unwrap();
    assert_eq!(parsed.headers, ["case_number", "filed_date"]);
    assert_eq!(parsed.cases.len(), 1);
    assert!(parsed.warnings.is_empty());
    assert_eq!(
        parsed.raw_row(2).unwrap(),
        ["（2023）鲁0102民初1号", "2023-03-01"]
    );
}

#[test]
fn extra_cells_and_unnamed_columns_are_ignored_with_a_warning() {
    let text = "case_number,filed_date,\n\
                （2023）鲁0102民初1号,2023-03-01,\n\
                （2023）鲁0102民初2号,2023-03-01,note,extra\n";
    let parsed = parse("cases.csv", text, None);
    assert_eq!(parsed.cases.len(), 2);
    assert_eq!(
        parsed.warnings,
        [
            "cases.csv: 第 3 行（可能还有其他行）的单元格比表头多，多出的单元格已忽略",
            "cases.csv: 有一列没有列名却有数据（首见于第 3 行），已忽略",
        ]
    );
}

#[test]
fn read_file_reads_from_disk_and_reports_progress() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.csv");
    let mut text = String::from("case_number,filed_date\n");
    for i in 1..=40_000 {
        text.push_str(&format!("（2023）鲁0102民初{i}号,2023-03-01\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let calls = std::sync::Mutex::new(Vec::new());
    let report = |done: u64, total: u64| calls.lock().unwrap().push((done, total));
    let parsed = read_file(&path, None, Layout::Tianping, Some(&report)).unwrap();
    assert_eq!(parsed.file, path.display().to_string());
    assert_eq!(parsed.total_rows, 40_000);
    assert_eq!(parsed.cases.len(), 40_000);
    let calls = calls.into_inner().unwrap();
    let total = text.len() as u64;
    assert!(calls.len() >= 2, "{calls:?}");
    assert!(calls.iter().all(|&(done, t)| t == total && done <= total));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(calls.last(), Some(&(total, total)));

    let missing = dir.path().join("missing.csv");
    let err = read_file(&missing, None, Layout::Tianping, None).unwrap_err();
    assert!(matches!(err, FileError::Io { .. }));
    assert_eq!(
        err.to_string(),
        format!("{}: 无法读取：找不到该文件", missing.display())
    );
}

/// A file of a megabyte or more is mapped rather than read into memory: it must read as the
/// same bytes given from memory do, raw rows (for the rejects file) included.
#[test]
fn a_mapped_file_reads_as_its_bytes_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.csv");
    let mut text = String::from("case_number,filed_date,cause\n");
    for i in 1..=40_000 {
        let cause = if i % 1000 == 0 {
            "\"借款, 担保\""
        } else {
            "民间借贷纠纷"
        };
        text.push_str(&format!("（2023）鲁0102民初{i}号,2023-03-01,{cause}\n"));
    }
    text.push_str("（2023）鲁0102民初7号,2023-02-30,\"a\nb\"\n");
    assert!(text.len() > 1 << 20);
    std::fs::write(&path, &text).unwrap();
    let mapped = read_file(&path, None, Layout::Tianping, None).unwrap();
    let owned = read_bytes(
        &path.display().to_string(),
        text.as_bytes(),
        None,
        Layout::Tianping,
    )
    .unwrap();
    assert_eq!(mapped.total_rows, 40_001);
    assert_eq!(mapped.cases, owned.cases);
    assert_eq!(mapped.cases[999].1.cause.as_deref(), Some("借款, 担保"));
    assert_eq!(errors(&mapped), errors(&owned));
    assert_eq!(errors(&mapped).len(), 2, "{:?}", errors(&mapped));
    let bad = mapped.raw_row(40_002).unwrap();
    assert_eq!(bad, ["（2023）鲁0102民初7号", "2023-02-30", "a\nb"]);
    assert_eq!(owned.raw_row(40_002).unwrap(), bad);
}

#[test]
fn kind_and_layout_parse() {
    assert_eq!(Kind::parse("cases"), Some(Kind::Cases));
    assert_eq!(Kind::parse(" Events "), Some(Kind::Events));
    assert_eq!(Kind::parse("法院"), Some(Kind::Courts));
    assert_eq!(Kind::parse("auto"), None);
    assert_eq!("courts".parse::<Kind>(), Ok(Kind::Courts));
    assert_eq!(Kind::Events.id(), "events");
    assert_eq!(Layout::parse("tianping"), Some(Layout::Tianping));
    assert_eq!(Layout::parse("ecourts-india"), Some(Layout::EcourtsIndia));
    assert_eq!(
        "njdg".parse::<Layout>(),
        Err("格式“njdg”无法识别（应为“tianping”或“ecourts-india”）".to_owned())
    );
    assert_eq!(
        "auto".parse::<Kind>(),
        Err("文件类型“auto”无法识别（应为 法院、案件 或 事件）".to_owned())
    );
    assert_eq!(Layout::EcourtsIndia.to_string(), "ecourts-india");
}
