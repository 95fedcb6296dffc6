//! What the workflow modules' commands share (`workflows.md` §0.8): the trusted command-line
//! actor, the settings in force, the as-of date, the period of `indicators`, `--compare`, the
//! `due` statuses and the tables `due` and `indicators` print.

use std::io::Write;

use chrono::NaiveDate;
use serde_json::Value;
use tianping_domain::CourtTable;
use tianping_domain::period::Period;
use tianping_store::Store;
use tianping_workflow::core::compare::Compare;
use tianping_workflow::core::due::DueRow;
use tianping_workflow::core::duties::Actor;
use tianping_workflow::core::settings::Settings;
use tianping_workflow::core::status::ItemStatus;

use super::{BadInput, parse_date_arg, today};
use crate::output::{Format, TextTable};

/// The command line is trusted (like `import`): every duty, recorded as `cli:$USER`.
pub fn cli_actor() -> Actor {
    Actor::cli(&std::env::var("USER").unwrap_or_else(|_| "?".into()))
}

pub async fn stored_settings(store: &dyn Store) -> anyhow::Result<Settings> {
    Ok(Settings::from_stored(
        store
            .settings()
            .await?
            .into_iter()
            .map(|s| (s.key, s.value)),
    ))
}

/// `--as-of`, default today.
pub fn as_of_arg(text: Option<&String>) -> Result<NaiveDate, BadInput> {
    match text {
        Some(t) => parse_date_arg("--as-of", t),
        None => Ok(today()),
    }
}

/// The period and as-of date of `indicators`: `--period`, or `--from` and `--to`; `--as-of`
/// defaults to the end and may not come before it (§0.1).
pub fn period_args(
    period: Option<&String>,
    from: Option<&String>,
    to: Option<&String>,
    as_of: Option<&String>,
) -> Result<(NaiveDate, NaiveDate, NaiveDate), BadInput> {
    let (from, to) = match (period, from, to) {
        (Some(p), None, None) => {
            let p = Period::parse(p).map_err(|e| BadInput(format!("--period: {e}")))?;
            (p.first_day(), p.last_day())
        }
        (None, Some(f), Some(t)) => (parse_date_arg("--from", f)?, parse_date_arg("--to", t)?),
        _ => return Err(BadInput("give --period, or --from and --to".into())),
    };
    if to < from {
        return Err(BadInput(format!("--to {to} is before --from {from}")));
    }
    let as_of = match as_of {
        Some(t) => parse_date_arg("--as-of", t)?,
        None => to,
    };
    if as_of < to {
        return Err(BadInput(format!("--as-of {as_of} is before --to {to}")));
    }
    Ok((from, to, as_of))
}

pub fn compare_arg(text: &str) -> Result<Compare, BadInput> {
    Compare::parse(text)
        .ok_or_else(|| BadInput(format!("--compare: '{text}' is not none, yoy or prev")))
}

/// `due --status`: `None` for every open obligation.
pub fn due_status_arg(text: Option<&str>) -> Result<Option<ItemStatus>, BadInput> {
    Ok(match text {
        None | Some("all") => None,
        Some("overdue") => Some(ItemStatus::Overdue),
        Some("due_soon") => Some(ItemStatus::DueSoon),
        Some("suspended") => Some(ItemStatus::Suspended),
        Some(t) => {
            return Err(BadInput(format!(
                "--status: '{t}' is not overdue, due_soon, suspended or all"
            )));
        }
    })
}

/// The `due` rows as a table (or CSV), the record's id under `id_header`.
pub fn write_due(
    mut out: impl Write,
    rows: &[DueRow],
    format: Format,
    id_header: &'static str,
    courts: &CourtTable,
) -> anyhow::Result<()> {
    let mut table = TextTable::new(vec![
        id_header,
        "法院",
        "期限",
        "起算日",
        "届满日",
        "剩余天数",
        "状态",
        "说明",
    ]);
    for r in rows {
        table.push(vec![
            r.id.clone(),
            courts.name_of(&r.court_code).to_owned(),
            r.rule.clone(),
            r.start_date.to_string(),
            r.deadline.to_string(),
            r.days_remaining.to_string(),
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
            out,
            &[
                "id",
                "court_code",
                "rule",
                "start_date",
                "deadline",
                "days_remaining",
                "status",
                "reason",
            ],
        )?;
    } else {
        table.write_aligned(&mut out)?;
    }
    Ok(())
}

/// The rows of an indicators document as a table of the chosen ids: rates as percents with
/// two decimals, averages with two, a missing value as `—` (CSV: the values as they are).
pub fn write_indicator_rows(
    mut out: impl Write,
    rows: &[Value],
    ids: &[(&'static str, &'static str)],
    format: Format,
) -> anyhow::Result<()> {
    let mut header = vec!["分组"];
    header.extend(ids.iter().map(|(_, zh)| *zh));
    let mut table = TextTable::new(header);
    for r in rows {
        let mut cells = vec![r["label"].as_str().unwrap_or("").to_owned()];
        for (id, _) in ids {
            let v = &r["indicators"][*id];
            cells.push(match (id.ends_with("_rate"), v.as_f64()) {
                _ if v.is_boolean() => if v == &Value::Bool(true) {
                    "是"
                } else {
                    "否"
                }
                .to_owned(),
                (_, None) => "—".to_owned(),
                (true, Some(x)) if format == Format::Table => format!("{:.2}%", x * 100.0),
                (false, Some(x)) if id.starts_with("avg_") && format == Format::Table => {
                    format!("{x:.2}")
                }
                (_, Some(_)) => v.to_string(),
            });
        }
        table.push(cells);
    }
    if format == Format::Csv {
        let mut header = vec!["key"];
        header.extend(ids.iter().map(|(id, _)| *id));
        table.write_csv(out, &header)?;
    } else {
        table.write_aligned(&mut out)?;
    }
    Ok(())
}
