//! `tianping case-number parse`.

use std::io::Write;
use std::process::ExitCode;

use serde_json::Value;
use tianping_domain::CaseNumber;
use tianping_metrics::documents::case_number_json;

use super::BadInput;
use crate::cli::ParseArgs;
use crate::output::{Format, TextTable, write_json};

const CSV_HEADER: [&str; 12] = [
    "input",
    "valid",
    "normalized",
    "year",
    "court_code",
    "special_code",
    "type_code",
    "class",
    "instance",
    "seq",
    "suffix",
    "error",
];
const TABLE_HEADER: [&str; 12] = [
    "输入",
    "有效",
    "规范案号",
    "年度",
    "法院代字",
    "专门审判",
    "类型代字",
    "案件类别",
    "审级",
    "序号",
    "后缀",
    "错误",
];

fn cell(value: &Value, key: &str) -> String {
    match &value[key] {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

pub fn parse(args: ParseArgs) -> anyhow::Result<ExitCode> {
    let results: Vec<Value> = args
        .case_numbers
        .iter()
        .map(|s| case_number_json(s))
        .collect();
    let invalid = results.iter().filter(|r| r["valid"] == false).count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &Value::Array(results.clone()))?,
        Format::Csv | Format::Table => {
            let mut table = TextTable::new(TABLE_HEADER.to_vec());
            for r in &results {
                let mut row: Vec<String> = CSV_HEADER.iter().map(|k| cell(r, k)).collect();
                if args.format.format == Format::Table {
                    row[1] = if r["valid"] == true { "是" } else { "否" }.into();
                    if let Ok(n) = CaseNumber::parse(&row[0]) {
                        row[7] = n.type_code.class().name_zh().into();
                        row[8] = n.type_code.instance().name_zh().into();
                    }
                }
                table.push(row);
            }
            if args.format.format == Format::Csv {
                table.write_csv(&mut out, &CSV_HEADER)?;
            } else {
                table.write_aligned(&mut out)?;
            }
        }
    }
    out.flush()?;
    if invalid > 0 {
        let first = results.iter().find(|r| r["valid"] == false).unwrap();
        return Err(BadInput(format!(
            "{invalid} of {} case numbers are invalid; first: {}: {}",
            results.len(),
            cell(first, "input"),
            cell(first, "error")
        ))
        .into());
    }
    Ok(ExitCode::SUCCESS)
}
