//! `tianping calendar`: the holiday calendar the deadlines use, and checking a new notice.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use tianping_domain::HolidayCalendar;

use super::{BadInput, load_calendar};
use crate::cli::CalendarCommand;
use crate::output::{Format, TextTable, write_json};

/// Load a notice file: holiday-cn JSON (`.json`) or Tianping's calendar CSV (anything else).
pub fn load_file(calendar: &mut HolidayCalendar, path: &Path) -> anyhow::Result<Vec<i32>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let years = if is_json {
        vec![
            calendar
                .load_notice_json(&text)
                .map_err(|e| BadInput(format!("{}: {e}", path.display())))?,
        ]
    } else {
        calendar
            .load_csv(&text)
            .map_err(|e| BadInput(format!("{}: {e}", path.display())))?
    };
    Ok(years)
}

pub fn run(command: CalendarCommand, extra: &[std::path::PathBuf]) -> anyhow::Result<ExitCode> {
    match command {
        CalendarCommand::Show { year, format } => {
            let calendar = load_calendar(extra)?;
            show(&calendar, year, format.format)?;
        }
        CalendarCommand::Check { file } => {
            let mut calendar = HolidayCalendar::weekends_only();
            let years = load_file(&mut calendar, &file)?;
            for year in years {
                let entries = calendar.notice_entries(year);
                let off = entries.iter().filter(|(_, d)| d.is_off_day).count();
                println!(
                    "{}: {year}年 通知有效：放假 {off} 天，调休上班 {} 天",
                    file.display(),
                    entries.len() - off
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(calendar: &HolidayCalendar, year: i32, format: Format) -> anyhow::Result<()> {
    let known = calendar.knows_year(year);
    let entries = calendar.notice_entries(year);
    let rows: Vec<(NaiveDate, bool, String)> = entries
        .iter()
        .map(|(d, s)| (*d, s.is_off_day, s.name.clone()))
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => write_json(
            &mut out,
            &json!({
                "year": year,
                "known": known,
                "days": rows.iter().map(|(d, off, name)| json!({"date": d, "is_off_day": off, "name": name})).collect::<Vec<_>>(),
            }),
        )?,
        Format::Table | Format::Csv => {
            let mut table = TextTable::new(vec!["日期", "星期", "安排", "节日"]);
            for (date, off, name) in &rows {
                let weekday = ["一", "二", "三", "四", "五", "六", "日"]
                    [date.weekday().num_days_from_monday() as usize];
                table.push(vec![
                    date.to_string(),
                    format!("周{weekday}"),
                    if *off { "放假" } else { "调休上班" }.into(),
                    name.clone(),
                ]);
            }
            if format == Format::Csv {
                table.write_csv(&mut out, &["date", "weekday", "is_off_day", "name"])?;
            } else {
                if !known {
                    println!(
                        "{year}年的国务院节假日安排尚未载入：只按周末计算。可用 TIANPING_HOLIDAYS 载入通知。"
                    );
                }
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(())
}
