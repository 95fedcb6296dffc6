//! Every message of an import is in Chinese: court staff read them on the import page and in the
//! rejects file. Files with one problem of each kind the checks know; every message, once the
//! values it quotes (“…”) and the column names of the exchange format are taken out, holds no
//! ASCII letter, and the rejects file carries the same reasons.

mod common;

use std::collections::BTreeMap;

use common::{errors, parse};
use tianping_exchange::{
    FileError, Kind, Layout, ParsedFile, RowError, read_bytes, read_file, write_rejects,
};

/// The column names of the exchange format (the files' own headers, which messages may name),
/// longest first so that `case_number` goes before `number`-like parts of others.
const COLUMNS: &[&str] = &[
    "origin_case_number",
    "recovered_amount",
    "date_of_decision",
    "date_of_filing",
    "foreign_related",
    "appeal_object",
    "received_date",
    "claim_amount",
    "closing_mode",
    "longer_limit",
    "parent_code",
    "case_number",
    "closed_date",
    "court_name",
    "filed_date",
    "disp_name",
    "type_name",
    "procedure",
    "est_code",
    "court_no",
    "desgname",
    "division",
    "dt_regis",
    "end_date",
    "months",
    "reason",
    "event",
    "judge",
    "level",
    "cause",
    "cino",
    "code",
    "name",
    "date",
    "days",
];

/// The names of file formats and encodings a file-level message may use, as a clerk sees them
/// on the file's name or in the "save as" dialog.
const FORMAT_NAMES: &[&str] = &[
    "GB18030", "UTF-16", "UTF-8", "eCourts", "97-2003", "Excel", ".xlsx", "XLSX", ".xls", "CSV",
    "WPS",
];

/// `message` without its quoted values (“…”) and without `allowed` words.
fn unquoted(message: &str, allowed: &[&str]) -> String {
    let mut rest = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '“' => quoted = true,
            '”' => quoted = false,
            _ if !quoted => rest.push(c),
            _ => {}
        }
    }
    assert!(!quoted, "a quote left open: {message}");
    for word in allowed {
        rest = rest.replace(word, "");
    }
    rest
}

/// `message` is Chinese: some Chinese characters, and no ASCII letter outside the quoted values
/// and the `allowed` words.
fn assert_chinese(message: &str, allowed: &[&str]) {
    let rest = unquoted(message, allowed);
    assert!(
        !rest.chars().any(|c| c.is_ascii_alphabetic()),
        "English left in {message:?} (without quotes and names: {rest:?})"
    );
    assert!(
        rest.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese in {message:?}"
    );
}

/// Every row error of `parsed`: the message, and the reason the rejects file gives.
fn assert_rows_chinese(parsed: &ParsedFile, values: &[&str]) {
    assert!(!parsed.errors.is_empty());
    let allowed: Vec<&str> = COLUMNS.iter().chain(values).copied().collect();
    for error in &parsed.errors {
        assert_chinese(&error.message, &allowed);
        assert_chinese(&error.reason(), &allowed);
    }
}

/// The text of a file error after its location (`file:row: `).
fn without_location(error: &FileError) -> String {
    let text = error.to_string();
    let after_file = text
        .strip_prefix(error.file())
        .unwrap_or_else(|| panic!("{text} starts with its file"));
    let (location, message) = after_file.split_once(": ").unwrap();
    assert!(
        location.is_empty() || location[1..].bytes().all(|b| b.is_ascii_digit()),
        "{text}"
    );
    message.to_owned()
}

fn file_error(name: &str, bytes: &[u8], kind: Option<Kind>, layout: Layout) -> FileError {
    match read_bytes(name, bytes, kind, layout) {
        Ok(parsed) => panic!(
            "{name}: expected a file error, read {} rows",
            parsed.total_rows
        ),
        Err(e) => e,
    }
}

const CASES_HEADER: &str = "case_number,procedure,cause,received_date,filed_date,division,judge,\
closed_date,closing_mode,claim_amount,recovered_amount,origin_case_number,foreign_related,\
longer_limit,appeal_object";

/// One row per problem of a cases row (some rows have two).
fn cases_file() -> String {
    let long_judge = "张".repeat(201);
    let rows = [
        "(2023)鲁0102民初1号,,,,15.03.2023,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初2号,,,,2023-13-01,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初3号,,,,0000-01-01,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初1号,,,,2023-03-01,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初4号,,,2023-03-05,2023-03-01,,,2023-02-01,判决,,,,,,".to_owned(),
        "（2023）鲁0102民初5号,,,,2023-03-01,,,,,-5,2000,,,,".to_owned(),
        "2023鲁0102民初6号,,,,2023-03-01,,,,,,,,,,".to_owned(),
        "（2014）民一终字第174号,,,,2014-03-01,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初7号,快速程序,,,2023-03-01,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初8号,速裁程序,,,2023-03-01,,,,,,,,,,".to_owned(),
        "（2023）鲁0102民初9号,,,,2023-03-01,,,2023-04-01,胜诉,,,,,,".to_owned(),
        "（2023）鲁0102民初10号,,,,2023-03-01,,,2023-04-01,,,,,,,".to_owned(),
        "（2023）鲁0102民初11号,,,,2023-03-01,,,,判决,,,,,,".to_owned(),
        "（2023）鲁0102民初12号,,,,2023-03-01,,,,,,,,maybe,yes,决定".to_owned(),
        format!("（2023）鲁0102民初13号,,,,,,{long_judge},,,,,,,,"),
        "（2023）鲁0102执14号,,,,2023-03-01,,,,,abc,1.234,,,,".to_owned(),
        "（2023）鲁0102执15号,,,,2023-03-01,,,,,1000000000000.01,,,,,".to_owned(),
        "（2023）鲁01民终16号,,,,2023-03-01,,,,,,,(2022)鲁0102民初,,,".to_owned(),
        "（2023）X0102民初17号,,,,2023-03-01,,,,,,,,,,".to_owned(),
        "（2023）蒙01民初18号,,,,2023-03-01,,,,,,,,,,".to_owned(),
    ];
    format!("{CASES_HEADER}\n{}\n", rows.join("\n"))
}

#[test]
fn every_problem_of_a_cases_row_is_told_in_chinese() {
    let parsed = parse("cases.csv", &cases_file(), None);
    assert_eq!(
        errors(&parsed),
        [
            "cases.csv:2:filed_date: “15.03.2023”不是日期（应为 2023-03-15 这样的格式）",
            "cases.csv:3:filed_date: 日期“2023-13-01”不存在",
            "cases.csv:4:filed_date: 日期 0000-01-01 超出可接受的范围（1949-10-01 至 2099-12-31）",
            "cases.csv:5:case_number: 案号重复：（2023）鲁0102民初1号 已在第 2 行出现",
            "cases.csv:6:received_date: 收案日期 2023-03-05 晚于立案日期 2023-03-01",
            "cases.csv:6:closed_date: 结案日期 2023-02-01 早于立案日期 2023-03-01",
            "cases.csv:7:claim_amount: 金额不能为负数：-5.00",
            "cases.csv:7:recovered_amount: 非执行案件（类型代字 民初）不应有执行到位金额：2000.00",
            "cases.csv:8:case_number: 案号“2023鲁0102民初6号”无效：缺少年份括号",
            "cases.csv:9:case_number: “（2014）民一终字第174号”是 2016 年以前的旧式案号，\
             不含法院代字和类型代字",
            "cases.csv:10:procedure: 适用程序“快速程序”无法识别（应为 普通程序、简易程序、\
             小额诉讼程序、速裁程序、特别程序、一审程序 或 二审程序）",
            "cases.csv:11:procedure: 类型代字为 民初 的案件不适用“速裁程序”（应为 普通程序、\
             简易程序 或 小额诉讼程序）",
            "cases.csv:12:closing_mode: 结案方式“胜诉”无法识别",
            "cases.csv:13:closing_mode: 有结案日期，但没有填写结案方式",
            "cases.csv:14:closing_mode: 填写了结案方式“判决”，但没有结案日期",
            "cases.csv:15:foreign_related: “maybe”无法识别为是或否（应填 是 或 否，也可填 1 或 0）",
            "cases.csv:15:appeal_object: 上诉对象“决定”无法识别（应为 判决 或 裁定）",
            "cases.csv:16:filed_date: 必填，不能为空",
            "cases.csv:16:judge: 内容过长：共 201 个字，一格最多 200 个字",
            "cases.csv:17:claim_amount: “abc”不是金额（应为 1234.50、1,234.50 或 12.5万元 这样的写法）",
            "cases.csv:17:recovered_amount: 金额“1.234”的小数位数过多（最多精确到分）",
            "cases.csv:18:claim_amount: 金额 1000000000000.01 超过上限 1000000000000.00 元（一万亿元）",
            "cases.csv:19:origin_case_number: 案号“(2022)鲁0102民初”无效：“号”字前缺少序号",
            "cases.csv:20:case_number: 案号“（2023）X0102民初17号”无效：法院代字无法识别：\
             “X”不是省级行政区的简称",
            "cases.csv:21:case_number: 案号“（2023）蒙01民初18号”无效：法院代字有误：\
             案号规定写作“内”，不写“蒙”",
        ]
    );
    assert_rows_chinese(&parsed, &[]);
}

#[test]
fn the_rejects_file_carries_the_same_chinese_reasons() {
    let parsed = parse("cases.csv", &cases_file(), None);
    // A problem the importer found against the database, as it words it.
    let extra = [RowError {
        file: "cases.csv".into(),
        row: 2,
        column: Some("case_number".into()),
        message: "案号重复：（2023）鲁0102民初1号 也在 other.csv 第 9 行出现".into(),
    }];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.rejects.csv");
    let written = write_rejects(&path, &parsed, &extra).unwrap();
    assert_eq!(written, parsed.rejected_rows().len());

    let mut expected: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for error in parsed.errors.iter().chain(&extra) {
        expected.entry(error.row).or_default().push(error.reason());
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("reject_reason"));
    let reasons: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().iter().next_back().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = expected.into_values().map(|r| r.join("; ")).collect();
    assert_eq!(reasons, expected);
    assert_eq!(
        reasons[0],
        "filed_date: “15.03.2023”不是日期（应为 2023-03-15 这样的格式）; \
         case_number: 案号重复：（2023）鲁0102民初1号 也在 other.csv 第 9 行出现"
    );
    for reason in &reasons {
        for part in reason.split("; ") {
            assert_chinese(part, &[COLUMNS, &["other.csv"]].concat());
        }
    }
}

#[test]
fn every_problem_of_an_events_row_is_told_in_chinese() {
    let text = "case_number,event,date,end_date,months,days,reason\n\
                （2023）鲁0102民初1号,开庭,2023-04-01,,,,\n\
                （2023）鲁0102民初1号,延长审限,2023-04-01,,,,\n\
                （2023）鲁0102民初1号,延长审限,2023-04-01,,13,400,\n\
                （2023）鲁0102民初1号,延长审限,2023-04-01,2023-05-01,x,,\n\
                （2023）鲁0102民初1号,扣除审限,2023-04-10,2023-04-01,3,,鉴定\n\
                （2023）鲁0102民初1号,转换程序,2023-04-01,,,,\n\
                （2023）鲁0102民初1号,转换程序,2023-04-01,,,,因案情复杂\n\
                ,上诉,,,,,\n";
    let parsed = parse("events.csv", text, None);
    assert_eq!(
        errors(&parsed),
        [
            "events.csv:2:event: 事件“开庭”无法识别（应为 延长审限、扣除审限、上诉、申请再审 或 \
             转换程序）",
            "events.csv:3:months: 延长审限须填写大于 0 的月数或天数",
            "events.csv:4:months: 一次延长 13 个月，超过上限 12 个月",
            "events.csv:4:days: 一次延长 400 天，超过上限 366 天",
            "events.csv:5:end_date: 只有“扣除审限”事件才填结束日期，“延长审限”事件不填",
            "events.csv:5:months: “x”不是整数（应为 0 或正整数）",
            "events.csv:6:end_date: 扣除审限的结束日期 2023-04-01 早于开始日期 2023-04-10",
            "events.csv:6:months: 只有“延长审限”事件才填月数、天数，“扣除审限”事件不填",
            "events.csv:7:reason: “转换程序”事件须在事由中写明转换后的适用程序（如 普通程序）",
            "events.csv:8:reason: 适用程序“因案情复杂”无法识别（应为 普通程序、简易程序、\
             小额诉讼程序、速裁程序、特别程序、一审程序 或 二审程序）",
            "events.csv:9:case_number: 必填，不能为空",
            "events.csv:9:date: 必填，不能为空",
        ]
    );
    assert_rows_chinese(&parsed, &[]);
}

#[test]
fn every_problem_of_a_courts_row_is_told_in_chinese() {
    let text = "code,name,level,parent_code\n\
                蒙01,呼和浩特市中级人民法院,中级,内\n\
                鲁012,,省级,X\n\
                鲁01,济南市中级人民法院,中级,鲁01\n\
                鲁01,济南中院,中级,鲁\n\
                鲁0100,某某法院,基层,鲁01\n\
                ,某某法院,high,\n";
    let parsed = parse("courts.csv", text, None);
    assert_eq!(
        errors(&parsed),
        [
            "courts.csv:2:code: 法院代字有误：案号规定写作“内”，不写“蒙”",
            "courts.csv:3:code: 法院代字“鲁012”有误：应为省级简称后接 2 位或 4 位数字",
            "courts.csv:3:name: 必填，不能为空",
            "courts.csv:3:level: 层级“省级”无法识别（应为 高级、中级、基层 或 专门）",
            "courts.csv:3:parent_code: 法院代字无法识别：“X”不是省级行政区的简称",
            "courts.csv:4:parent_code: 法院 鲁01 不能是自己的上级法院",
            "courts.csv:5:code: 法院代字重复：鲁01 已在第 4 行出现",
            "courts.csv:6:code: 法院代字“鲁0100”有误：含“00”，没有法院使用这样的代字",
            "courts.csv:7:code: 必填，不能为空",
        ]
    );
    assert_rows_chinese(&parsed, &[]);
}

#[test]
fn every_problem_of_an_ecourts_row_is_told_in_chinese() {
    let text = "cino,est_code,court_name,court_no,desgname,type_name,date_of_filing,dt_regis,\
                date_of_decision,disp_name\n\
                DLND010000012020,DLND01,Patiala House,5,Sessions Judge,SC,2020-01-05,2020-01-03,2019-12-31,CONVICTED\n\
                DLND010000022020,DLND01,Patiala House,5,Sessions Judge,SC,NA,2020-01-03,NA,ACQUITTED\n\
                DLND010000012020,NA,NA,NA,NA,NA,NA,2020-02-30,NA,NA\n";
    let parsed = read_bytes("in.csv", text.as_bytes(), None, Layout::EcourtsIndia).unwrap();
    assert_eq!(
        errors(&parsed),
        [
            "in.csv:2:date_of_filing: 起诉日期 2020-01-05 晚于登记日期 2020-01-03（dt_regis 列）",
            "in.csv:2:date_of_decision: 裁判日期 2019-12-31 早于登记日期 2020-01-03（dt_regis 列）",
            "in.csv:3:disp_name: 填写了处理结果“ACQUITTED”，但没有裁判日期（date_of_decision 列）",
            "in.csv:4:cino: 案号重复：DLND010000012020 已在第 2 行出现",
            "in.csv:4:est_code: 必填，不能为空",
            "in.csv:4:dt_regis: 日期“2020-02-30”不存在",
        ]
    );
    // The CNR of the file is a value of its own, written as it is.
    assert_rows_chinese(&parsed, &["DLND010000012020"]);
}

/// An XLSX workbook of `sheets`, each with its rows of texts.
fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn every_file_error_is_told_in_chinese() {
    let tianping = Layout::Tianping;
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("案号\t立案日期\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let empty_sheet = workbook(&[("Sheet1", &[])]);
    let wrong_sheet = workbook(&[("说明", &[&["导出说明"]])]);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.csv");
    let errors: Vec<(FileError, &str)> = vec![
        (
            file_error("c.csv", b"cause\n", Some(Kind::Cases), tianping),
            "缺少必需的列：case_number（案号）、filed_date（立案日期）",
        ),
        (
            file_error(
                "c.csv",
                "case_number,filed_date,立案日期\n".as_bytes(),
                None,
                tianping,
            ),
            "列 filed_date（立案日期）出现了两次（第 2 列和第 3 列），无法确定以哪一列为准",
        ),
        (
            file_error("c.csv", "案号,名称,备注\n".as_bytes(), None, tianping),
            "无法从表头判断这是法院、案件还是事件文件（表头为：“案号”、“名称”、“备注”）；\
             请指定文件类型，或修正表头行",
        ),
        (
            file_error("c.csv", b"cino,est_code,dt_regis\n", None, tianping),
            "无法从表头判断这是法院、案件还是事件文件（表头为：“cino”、“est_code”、“dt_regis”）；\
             这些列像是印度 eCourts 系统的导出文件：请按 eCourts（印度）格式读取",
        ),
        (
            file_error("c.csv", b"", None, tianping),
            "文件为空：找不到表头行",
        ),
        (
            file_error(
                "c.csv",
                b"case_number,filed_date\n\xff\xff,2023-01-01\n",
                None,
                tianping,
            ),
            "文字编码既不是 UTF-8，也不是 GB18030",
        ),
        (
            file_error("c.pdf", b"%PDF-1.7\n\x00\x01", None, tianping),
            "不是 CSV 或 XLSX 文件：内容不是文字（含二进制数据）",
        ),
        (
            file_error("c.txt", &utf16, None, tianping),
            "不是 CSV 或 XLSX 文件：这是 UTF-16 编码的文本（Excel 的“Unicode 文本”），\
             请另存为 CSV（UTF-8）或 .xlsx 文件",
        ),
        (
            file_error(
                "c.xls",
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
                None,
                tianping,
            ),
            "不是 CSV 或 XLSX 文件：这是 Excel 97-2003 工作簿（.xls），请另存为 .xlsx 或 CSV 文件",
        ),
        (
            file_error(
                "c.csv",
                "case_number,filed_date,judge\n（2023）鲁0102民初1号,2023-03-01,\"张明\n"
                    .as_bytes(),
                None,
                tianping,
            ),
            "第 2 行第 3 列（judge）的引号没有闭合，其后的全部内容会被读成一格：请补上或删去该引号",
        ),
        (
            file_error(
                "c.csv",
                "case_number,filed_date,judge\n\
                 （2023）鲁0102民初1号,2023-03-01,\"张明\n\
                 （2023）鲁0102民初2号,2023-03-01,\"王芳\",\"备注\"\n"
                    .as_bytes(),
                None,
                tianping,
            ),
            "一个带引号的单元格从第 2 行延续到第 3 行，似乎包含了文件中的多行：\
             可能是第 2 行第 3 列（judge）的引号没有闭合；请补上或删去该引号",
        ),
        (
            file_error(
                "c.csv",
                b"cino,est_code,dt_regis\n",
                Some(Kind::Events),
                Layout::EcourtsIndia,
            ),
            "eCourts（印度）格式的文件只含案件，不能作为事件文件读取",
        ),
        (
            file_error("c.xlsx", b"PK\x03\x04garbage", None, tianping),
            "无法读取 XLSX 工作簿：压缩包结构已损坏",
        ),
        (
            file_error("c.xlsx", &empty_sheet, None, tianping),
            "工作表“Sheet1”为空：找不到表头行",
        ),
        (
            file_error("c.xlsx", &wrong_sheet, Some(Kind::Events), tianping),
            "工作表“说明”缺少必需的列：case_number（案号）、event（事件）、date（日期）",
        ),
        (
            read_file(&missing, None, tianping, None).unwrap_err(),
            "无法读取：找不到该文件",
        ),
    ];
    let allowed: Vec<&str> = COLUMNS.iter().chain(FORMAT_NAMES).copied().collect();
    for (error, expected) in &errors {
        let message = without_location(error);
        assert_eq!(message, *expected);
        assert_chinese(&message, &allowed);
    }
    // The readers' own choices, as the import page and the command line refuse them.
    for refusal in [
        "njdg".parse::<Layout>().unwrap_err(),
        "auto".parse::<Kind>().unwrap_err(),
    ] {
        assert_chinese(&refusal, &[]);
    }
}

#[test]
fn the_warnings_are_in_chinese_too() {
    let parsed = parse(
        "c.csv",
        "case_number,filed_date,备注x,\n\
         （2023）鲁0102民初1号,2023-03-01,,x,extra\n",
        None,
    );
    let sheets = workbook(&[
        ("案件", &[&["case_number", "filed_date"]]),
        ("Sheet2", &[&["x"]]),
    ]);
    let read = read_bytes("c.xlsx", &sheets, Some(Kind::Cases), Layout::Tianping).unwrap();
    let ecourts = read_bytes(
        "e.csv",
        b"cino,est_code,dt_regis,purpose_name\nX1,E1,2020-01-03,NA\n",
        None,
        Layout::EcourtsIndia,
    )
    .unwrap();
    let warnings: Vec<&String> = parsed
        .warnings
        .iter()
        .chain(&read.warnings)
        .chain(&ecourts.warnings)
        .collect();
    assert_eq!(
        warnings,
        [
            "c.csv: 无法识别的列“备注x”，已忽略",
            "c.csv: 第 2 行（可能还有其他行）的单元格比表头多，多出的单元格已忽略",
            "c.csv: 有一列没有列名却有数据（首见于第 2 行），已忽略",
            "c.xlsx: 只读取了工作表“案件”，未读取：“Sheet2”",
            "e.csv: 有 1 列未使用：“purpose_name”",
        ]
    );
    for warning in warnings {
        let (_, message) = warning.split_once(": ").unwrap();
        assert_chinese(message, &[]);
    }
}
