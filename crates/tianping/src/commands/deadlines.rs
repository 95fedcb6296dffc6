//! `tianping deadlines`: pending cases with their statutory deadlines.

use std::process::ExitCode;

use tianping_domain::HolidayCalendar;
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter, deadline_list};
use tianping_metrics::documents::deadlines_document;

use super::{BadInput, open_with_snapshot, parse_date_arg, today};
use crate::cli::DeadlinesArgs;
use crate::output::{Format, TextTable, write_json};

pub async fn run(args: DeadlinesArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = match &args.as_of {
        Some(text) => Some(parse_date_arg("--as-of", text)?),
        None => None,
    };
    let status = match &args.status {
        Some(text) => StatusFilter::parse(text).ok_or_else(|| {
            BadInput(format!(
                "--status: '{text}' is not one of overdue, due_soon, suspended, ok, no_limit, all"
            ))
        })?,
        None => StatusFilter::Limited,
    };
    let due_by = match &args.due_by {
        Some(text) => Some(parse_date_arg("--due-by", text)?),
        None => None,
    };
    let (store, snapshot) = open_with_snapshot(&args.db.db, calendar.clone()).await?;
    store.close().await;
    // The pages' rule: today, or the last day the data knows when it stops earlier.
    let as_of = as_of.unwrap_or_else(|| snapshot.reference_date(today()));
    let courts = snapshot.court_table();
    for (option, code) in [("--scope", &args.scope), ("--court", &args.court)] {
        if let Some(code) = code
            && !snapshot.knows_court(code)
        {
            return Err(BadInput(format!("{option}: unknown court '{code}'")).into());
        }
    }
    if let Some(code) = &args.type_code
        && tianping_domain::TypeCode::lookup(code).is_none()
    {
        return Err(BadInput(format!("--type-code: unknown type code '{code}'")).into());
    }
    let query = DeadlineQuery {
        type_code: args.type_code.as_deref(),
        cause: args.cause.as_deref(),
        due_soon_days: args.window,
        court: args.court.as_deref(),
        division: args.division.as_deref(),
        judge_name: args.judge.as_deref(),
        due_by,
        within_days: args.within,
        ..DeadlineQuery::new(as_of, args.scope.as_deref(), status)
    };
    let rows = deadline_list(&snapshot, &query);

    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &deadlines_document(as_of, &rows))?,
        format => {
            let mut table = TextTable::new(vec![
                "案号",
                "法院",
                "承办人",
                "立案日期",
                "审限届满日",
                "剩余天数",
                "状态",
                "说明",
            ]);
            let opt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            for r in &rows {
                table.push(vec![
                    r.case_number.clone(),
                    courts.name_of(&r.court_code).to_owned(),
                    r.judge.clone().unwrap_or_default(),
                    r.filed_date.to_string(),
                    opt(r.deadline),
                    r.days_remaining.map(|d| d.to_string()).unwrap_or_default(),
                    if format == Format::Csv {
                        r.status.id()
                    } else {
                        r.status.name_zh()
                    }
                    .to_owned(),
                    r.reason.clone(),
                ]);
            }
            if format == Format::Csv {
                table.write_csv(
                    &mut out,
                    &[
                        "case_number",
                        "court",
                        "judge",
                        "filed_date",
                        "deadline",
                        "days_remaining",
                        "status",
                        "reason",
                    ],
                )?;
            } else {
                table.write_aligned(&mut out)?;
                eprintln!("{} 件未结案件（截至 {as_of}）", rows.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
