//! `tianping indicators` and `tianping signals`.

use std::process::ExitCode;

use serde_json::Value;
use tianping_domain::HolidayCalendar;
use tianping_metrics::documents::{indicators_document, signals_document};
use tianping_metrics::indicators::{INDICATOR_IDS, QueryError};
use tianping_metrics::signals::{SignalSettings, year_end_signals};
use tianping_metrics::{GroupBy, IndicatorQuery, compute};

use super::{BadInput, open_with_snapshot, parse_date_arg};
use crate::cli::{AssessArgs, IndicatorsArgs, SignalsArgs};
use crate::output::{Format, TextTable, write_json};

/// The indicators a table shows (all of them are in JSON and CSV).
const TABLE_COLUMNS: [(&str, &str); 11] = [
    ("filed", "新收"),
    ("closed", "已结"),
    ("carried_over", "旧存"),
    ("pending_end", "未结"),
    ("closure_ratio", "结收比"),
    ("clearance_rate", "结案率"),
    ("within_limit_rate", "审限内结案率"),
    ("pending_over_12m", "超12个月未结"),
    ("acceptance_rate", "服判息诉率"),
    ("termination_rate", "首执终本率"),
    ("recovered_amount", "执行到位金额(元)"),
];

const PERCENT: [&str; 15] = [
    "closure_ratio",
    "clearance_rate",
    "within_limit_rate",
    "within_normal_limit_rate",
    "extension_rate",
    "over_12m_ratio",
    "appeal_rate",
    "acceptance_rate",
    "reversal_remand_rate",
    "mediation_withdrawal_rate",
    "completion_rate",
    "actual_enforcement_rate",
    "termination_rate",
    "recovery_rate",
    "same_day_registration_rate",
];

/// How a value is shown in a table: rates as percents with two decimals, null as "—".
fn shown(id: &str, value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Number(n) if PERCENT.contains(&id) || id == "registration_within_7d_rate" => {
            format!("{:.2}%", n.as_f64().unwrap_or(0.0) * 100.0)
        }
        Value::Number(n) if id == "recovered_amount" => format!("{:.2}", n.as_f64().unwrap_or(0.0)),
        other => other.to_string(),
    }
}

fn csv_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub async fn run(args: IndicatorsArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    let from = parse_date_arg("--from", &args.from)?;
    let to = parse_date_arg("--to", &args.to)?;
    let as_of = match &args.as_of {
        Some(text) => parse_date_arg("--as-of", text)?,
        None => to,
    };
    let by = GroupBy::parse(&args.by).ok_or_else(|| {
        BadInput(format!(
            "--by: '{}' is not one of none, court, division, judge, class, type_code",
            args.by
        ))
    })?;
    let (store, snapshot) = open_with_snapshot(&args.db.db, calendar).await?;
    store.close().await;
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        scope: args.scope.clone(),
        by,
    };
    let rows = compute(&snapshot, &query).map_err(|e| match e {
        QueryError::EmptyPeriod { .. } => BadInput(e.to_string()),
        QueryError::UnknownScope(_) => BadInput(format!("--scope: {e}")),
    })?;
    let value = indicators_document(&query, &rows);
    // The process ends right after printing: freeing a million-case snapshot is wasted time.
    std::mem::forget(snapshot);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &value)?,
        Format::Csv => {
            let mut header = vec!["key", "label"];
            header.extend(INDICATOR_IDS);
            let mut table = TextTable::new(header.clone());
            for row in value["rows"].as_array().unwrap() {
                let mut cells = vec![
                    csv_cell(&row["key"]).trim_matches('"').to_owned(),
                    row["label"].as_str().unwrap_or("").to_owned(),
                ];
                cells.extend(
                    INDICATOR_IDS
                        .iter()
                        .map(|id| csv_cell(&row["indicators"][id])),
                );
                table.push(cells);
            }
            table.write_csv(&mut out, &header)?;
        }
        Format::Table => {
            let mut header = vec!["代码", "名称"];
            header.extend(TABLE_COLUMNS.iter().map(|(_, zh)| *zh));
            let mut table = TextTable::new(header);
            for row in value["rows"].as_array().unwrap() {
                let mut cells = vec![
                    row["key"].as_str().unwrap_or("").to_owned(),
                    row["label"].as_str().unwrap_or("").to_owned(),
                ];
                cells.extend(
                    TABLE_COLUMNS
                        .iter()
                        .map(|(id, _)| shown(id, &row["indicators"][id])),
                );
                table.push(cells);
            }
            println!("统计期间 {from} 至 {to}（关联结果截至 {as_of}）");
            table.write_aligned(&mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn signals(args: SignalsArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    if !(1949..=2099).contains(&args.year) {
        return Err(BadInput(format!("--year: {} is out of range", args.year)).into());
    }
    let (store, snapshot) = open_with_snapshot(&args.db.db, calendar).await?;
    store.close().await;
    if let Some(scope) = &args.scope
        && !snapshot.knows_court(scope)
    {
        return Err(BadInput(format!("--scope: unknown court '{scope}'")).into());
    }
    let rows = year_end_signals(
        &snapshot,
        args.year,
        args.scope.as_deref(),
        &SignalSettings::default(),
    );
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &signals_document(args.year, &rows))?,
        format => {
            let mut table = TextTable::new(vec![
                "法院代字",
                "法院",
                "12月立案比",
                "12月立案间隔",
                "1-11月立案间隔",
                "预警",
            ]);
            let num = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into());
            for r in &rows {
                table.push(vec![
                    r.court_code.clone(),
                    r.court_name.clone(),
                    num(r.dec_ratio),
                    num(r.dec_lag_days),
                    num(r.base_lag_days),
                    if r.flagged { "是" } else { "" }.to_owned(),
                ]);
            }
            if format == Format::Csv {
                table.write_csv(
                    &mut out,
                    &[
                        "court_code",
                        "court_name",
                        "dec_ratio",
                        "dec_lag_days",
                        "base_lag_days",
                        "flagged",
                    ],
                )?;
            } else {
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn assess(args: AssessArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    use tianping_domain::CourtLevel;
    use tianping_domain::period::Period;
    use tianping_metrics::assess::{AssessSettings, assess};

    let period = Period::parse(&args.period).map_err(|e| BadInput(format!("--period: {e}")))?;
    let baseline = args
        .baseline
        .as_deref()
        .map(Period::parse)
        .transpose()
        .map_err(|e| BadInput(format!("--baseline: {e}")))?;
    let level = CourtLevel::parse(&args.level).ok_or_else(|| {
        BadInput(format!(
            "--level: '{}' is not one of basic, intermediate, high, special",
            args.level
        ))
    })?;
    let settings = match &args.intervals {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| BadInput(format!("--intervals {}: {e}", path.display())))?;
            AssessSettings::parse(&text)
                .map_err(|e| BadInput(format!("--intervals {}: {e}", path.display())))?
        }
        None => AssessSettings::defaults(),
    };
    let (store, snapshot) = open_with_snapshot(&args.db.db, calendar).await?;
    store.close().await;
    let result = assess(
        &snapshot,
        period,
        baseline,
        args.scope.as_deref(),
        level,
        &settings,
    )
    .map_err(|e| BadInput(format!("--scope: {e}")))?;
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &serde_json::to_value(&result)?)?,
        format => {
            let mut table = TextTable::new(vec![
                "法院代字",
                "法院",
                "区间外指标数",
                "综合得分",
                "相对薄弱",
                "排序",
                "得分变化",
                "区间外指标",
            ]);
            for r in &result.rows {
                table.push(vec![
                    r.court_code.clone(),
                    r.court_name.clone(),
                    r.standing.outside_count.to_string(),
                    format!("{:.2}", r.standing.score),
                    if r.standing.weak { "是" } else { "" }.to_owned(),
                    r.rank.to_string(),
                    r.score_change
                        .map(|c| format!("{c:+.2}"))
                        .unwrap_or_default(),
                    r.standing
                        .outside
                        .iter()
                        .map(|o| o.indicator.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
            if format == Format::Csv {
                table.write_csv(
                    &mut out,
                    &[
                        "court_code",
                        "court_name",
                        "outside_count",
                        "score",
                        "weak",
                        "rank",
                        "score_change",
                        "outside",
                    ],
                )?;
            } else {
                println!("{}（{} 至 {}）", period.to_zh(), result.from, result.to);
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
