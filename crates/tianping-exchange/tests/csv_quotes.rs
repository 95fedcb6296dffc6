//! Quotes in CSV files: a quote left open is an error, not the rest of the file read as one
//! cell; quoted cells spanning lines read as before.

mod common;

use common::{d, errors, parse};
use tianping_exchange::{FileError, Kind, Layout, read_bytes, read_file};

fn file_error(name: &str, text: &str) -> FileError {
    match read_bytes(name, text.as_bytes(), Some(Kind::Cases), Layout::Tianping) {
        Ok(parsed) => panic!(
            "expected a file error, got {} cases: {:?}",
            parsed.cases.len(),
            parsed.cases
        ),
        Err(e) => e,
    }
}

/// The csv reader takes a quote that never closes to run to the end of the text: row 3 became a
/// case whose judge was the rest of the file, and rows 4 and 5 were gone.
#[test]
fn an_unclosed_quote_in_the_middle_of_a_cases_file_is_an_error_naming_the_row_it_opened_in() {
    let text = "case_number,filed_date,judge,closed_date\n\
                （2023）鲁0102民初1号,2023-03-01,张明,2023-05-01\n\
                （2023）鲁0102民初2号,2023-03-01,\"李华,2023-05-01\n\
                （2023）鲁0102民初3号,2023-03-01,王芳,2023-06-01\n\
                （2023）鲁0102民初4号,2023-03-01,赵强,2023-06-01\n";
    let error = file_error("cases.csv", text);
    assert_eq!(
        error.to_string(),
        "cases.csv:3: 第 3 行第 3 列（judge）的引号没有闭合，其后的全部内容会被读成一格：\
         请补上或删去该引号"
    );
    assert!(matches!(
        error,
        FileError::UnterminatedQuote {
            row: 3,
            opened_row: 3,
            column: 3,
            ..
        }
    ));
}

#[test]
fn the_row_of_an_unclosed_quote_counts_the_lines_of_the_cells_before_it() {
    let text = "case_number,filed_date,cause,judge\r\n\r\n\
                （2023）鲁0102民初1号,2023-03-01,\"合同\r\n纠纷\",\"张明\r\n\
                （2023）鲁0102民初2号,2023-03-01,,\r\n";
    assert_eq!(
        file_error("cases.csv", text).to_string(),
        "cases.csv:3: 第 4 行第 4 列（judge）的引号没有闭合，其后的全部内容会被读成一格：\
         请补上或删去该引号"
    );
}

#[test]
fn an_unclosed_quote_in_the_header_names_the_column_by_its_number() {
    let text = "case_number,\"filed_date\n（2023）鲁0102民初1号,2023-03-01\n";
    assert_eq!(
        file_error("cases.csv", text).to_string(),
        "cases.csv:1: 第 1 行第 2 列的引号没有闭合，其后的全部内容会被读成一格：请补上或删去该引号"
    );
}

/// The quote-free lines before it are split without the csv reader (and the file is mapped):
/// the quote is found where the csv reader takes over.
#[test]
fn an_unclosed_quote_after_many_quote_free_lines_is_found() {
    let mut text = String::from("case_number,filed_date,judge\n");
    for i in 1..=40_000 {
        text.push_str(&format!("（2023）鲁0102民初{i}号,2023-03-01,张明\n"));
    }
    text.push_str("（2023）鲁0102民初40001号,2023-03-01,\"李华\n");
    text.push_str("（2023）鲁0102民初40002号,2023-03-01,王芳\n");
    assert!(text.len() > 1 << 20, "mapped, not read");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.csv");
    std::fs::write(&path, &text).unwrap();
    let error = read_file(&path, None, Layout::Tianping, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}:40002: 第 40002 行第 3 列（judge）的引号没有闭合，其后的全部内容会被读成一格：\
             请补上或删去该引号",
            path.display()
        )
    );
}

/// A quote left open that a quote rows later closes makes one record of the rows between; the
/// record then has more cells than the header, and a cell spanning lines.
#[test]
fn a_quote_left_open_and_closed_rows_later_is_an_error() {
    let text = "case_number,filed_date,judge\n\
                （2023）鲁0102民初1号,2023-03-01,\"张明\n\
                （2023）鲁0102民初2号,2023-03-01,李华\n\
                （2023）鲁0102民初3号,2023-03-01,\"王芳\",\"备注\"\n\
                （2023）鲁0102民初4号,2023-03-01,赵强\n";
    let error = file_error("cases.csv", text);
    assert_eq!(
        error.to_string(),
        "cases.csv:2: 一个带引号的单元格从第 2 行延续到第 4 行，似乎包含了文件中的多行：\
         可能是第 2 行第 3 列（judge）的引号没有闭合；请补上或删去该引号"
    );
}

/// Closed rows later, the quote can leave the record as wide as the header: row 2 became a
/// case closed on row 4's date, its judge the text of rows 2 to 4, and rows 3 and 4 were gone.
/// The quote that closed it opened a cell of row 4: that cell's text follows it.
#[test]
fn a_quote_left_open_that_leaves_the_row_as_wide_as_the_header_is_an_error() {
    let text = "case_number,filed_date,judge,closed_date\n\
                （2023）鲁0102民初1号,2023-03-01,\"张明,2023-05-01\n\
                （2023）鲁0102民初2号,2023-03-01,李华,2023-05-01\n\
                （2023）鲁0102民初3号,2023-03-01,\"王芳\",2023-06-01\n\
                （2023）鲁0102民初4号,2023-03-01,赵强,2023-06-01\n";
    assert!(matches!(
        file_error("cases.csv", text),
        FileError::RunawayQuote {
            row: 2,
            opened_row: 2,
            closed_row: 4,
            column: 3,
            ..
        }
    ));
}

/// A note spanning lines, with commas, is not taken for rows, nor a quote after the text of a
/// cell (a hand-written `5"`).
#[test]
fn a_note_spanning_lines_with_commas_reads() {
    let text = "case_number,event,date,end_date,months,days,reason\n\
                （2023）鲁0102民初1号,延长审限,2023-08-20,,3,,\"案情复杂, 经院长批准,\n\
                理由: 鉴定, 公告, 调查, 评估, 审计, 拍卖\"\n\
                （2023）鲁0102民初2号,延长审限,2023-08-20,,3,,屏幕 5\" 的照片\n";
    let parsed = parse("events.csv", text, None);
    assert_eq!(parsed.events.len(), 2, "{:?}", errors(&parsed));
}

#[test]
fn quoted_cells_spanning_lines_still_read() {
    let text = "case_number,filed_date,cause,judge\r\n\
                （2023）鲁0102民初1号,2023-03-01,\"合同纠纷,\r\n\"\"买卖\"\"\",张明\r\n\
                （2023）鲁0102民初2号,2023-03-01,O\"Brien,李华\r\n\
                （2023）鲁0102民初3号,2023-03-01,\"a\nb\nc\",\"王\n芳\"";
    let parsed = parse("cases.csv", text, Some(Kind::Cases));
    assert_eq!(errors(&parsed), Vec::<String>::new());
    let cases: Vec<(usize, Option<&str>, Option<&str>)> = parsed
        .cases
        .iter()
        .map(|(row, case)| (*row, case.cause.as_deref(), case.judge.as_deref()))
        .collect();
    assert_eq!(
        cases,
        [
            (2, Some("合同纠纷,\r\n\"买卖\""), Some("张明")),
            (3, Some("O\"Brien"), Some("李华")),
            (4, Some("a\nb\nc"), Some("王\n芳")),
        ]
    );
    assert_eq!(parsed.cases[2].1.filed_date, d("2023-03-01"));
}

/// A cell spanning lines in a row with more cells than the header, where no quote is left
/// open, is the same telltale; the message says what to look at.
#[test]
fn extra_cells_beside_a_cell_spanning_lines_are_taken_for_a_quote_left_open() {
    let text = "case_number,filed_date\n（2023）鲁0102民初1号,\"2023-03-01\n\",extra\n";
    assert!(matches!(
        file_error("cases.csv", text),
        FileError::RunawayQuote {
            row: 2,
            opened_row: 2,
            closed_row: 3,
            column: 2,
            ..
        }
    ));
    // Extra cells that are empty are not.
    let text = "case_number,filed_date\n（2023）鲁0102民初1号,\"2023-03-01\n\",,\n";
    assert_eq!(parse("cases.csv", text, None).cases.len(), 1);
}

/// A row of cells as a CSV writer writes it (quotes doubled, cells with commas, quotes or line
/// breaks quoted), without its line end.
fn written(cells: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(cells).unwrap();
    let mut line = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    line.pop();
    line
}

fn cell() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::string::string_regex("[a\"\n\r, 中]{0,8}").unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Whatever the cells hold, a file a CSV writer wrote has no quote left open.
    #[test]
    fn files_a_csv_writer_wrote_have_no_quote_left_open(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..3), 0..12),
    ) {
        let mut text = String::from("case_number,filed_date,judge\n");
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = std::iter::once(format!("r{i}")).chain(row.iter().cloned()).collect();
            text.push_str(&written(&cells));
            text.push('\n');
        }
        match read_bytes("w.csv", text.as_bytes(), Some(Kind::Cases), Layout::Tianping) {
            Ok(parsed) => proptest::prop_assert_eq!(parsed.total_rows, rows.len()),
            Err(e) => proptest::prop_assert!(false, "{e}\n{text:?}"),
        }
    }

    /// And a last row whose cell opens a quote that never closes is found, in its row and
    /// column, whatever the rows before it hold.
    #[test]
    fn a_quote_opened_in_the_last_row_and_never_closed_is_found(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..3), 0..12),
        column in 1usize..3,
        rest in "[a\n\r, 中]{0,20}",
    ) {
        let mut text = String::from("case_number,filed_date,judge\n");
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = std::iter::once(format!("r{i}")).chain(row.iter().cloned()).collect();
            text.push_str(&written(&cells));
            text.push('\n');
        }
        text.push_str("last");
        text.push_str(&",".repeat(column));
        text.push('"');
        text.push_str(&rest);
        let row = rows.len() + 2;
        match read_bytes("w.csv", text.as_bytes(), Some(Kind::Cases), Layout::Tianping) {
            Err(FileError::UnterminatedQuote { row: r, opened_row, column: c, .. }) => {
                proptest::prop_assert_eq!((r, opened_row, c), (row, row, column + 1));
            }
            other => proptest::prop_assert!(false, "{other:?}\n{text:?}"),
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// A quote left open in any row is found, whether it runs to the end or a quoted cell of
    /// a later row closes it (cells that start with a letter, so that the closing quote is
    /// followed by text).
    #[test]
    fn a_quote_left_open_in_any_row_is_found(
        before in proptest::collection::vec(proptest::collection::vec("[a中][a\"\n, ]{0,6}", 0..3), 0..6),
        open in "[a\n, 中]{0,10}",
        after in proptest::collection::vec(proptest::collection::vec("[a中][a\"\n, ]{0,6}", 0..3), 0..6),
    ) {
        let mut text = String::from("case_number,filed_date,judge\n");
        let push = |i: usize, row: &[String], text: &mut String| {
            let cells: Vec<String> = std::iter::once(format!("r{i}")).chain(row.iter().cloned()).collect();
            text.push_str(&written(&cells));
            text.push('\n');
        };
        for (i, row) in before.iter().enumerate() {
            push(i, row, &mut text);
        }
        text.push_str("open,\"");
        text.push_str(&open);
        text.push('\n');
        for (i, row) in after.iter().enumerate() {
            push(i, row, &mut text);
        }
        let row = before.len() + 2;
        match read_bytes("w.csv", text.as_bytes(), Some(Kind::Cases), Layout::Tianping) {
            Err(FileError::UnterminatedQuote { opened_row, column, .. })
            | Err(FileError::RunawayQuote { opened_row, column, .. }) => {
                proptest::prop_assert_eq!((opened_row, column), (row, 2));
            }
            other => proptest::prop_assert!(false, "{other:?}\n{text:?}"),
        }
    }
}
