//! `tianping enforcement`: the enforcement records (`workflows.md` §5.6) on the database — the
//! dishonest listings (`list`, `show`) and every open obligation (`due`: removals, decisions,
//! corrections and the searches after a 终本).

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::{Value, json};
use tianping_domain::type_code::Instance;
use tianping_domain::{ClosingMode, CourtTable, HolidayCalendar};
use tianping_store::{EnforcementRecords, Store};
use tianping_workflow::core::due::DueRow;
use tianping_workflow::enforcement::indicators::{
    CaseKind, EnforcementCase, GroupBy, IndicatorQuery, Sources, indicators_document,
};
use tianping_workflow::enforcement::model::REMOVAL_REASONS;
use tianping_workflow::enforcement::{
    DishonestListing, EnforcementSettings, listing_due_rows, removal_deadline, search_due_rows,
};

use super::workflow::{
    as_of_arg, compare_arg, due_status_arg, period_args, write_due, write_indicator_rows,
};
use super::{BadInput, open_store};
use crate::cli::{
    EnforcementCommand, EnforcementIndicatorsArgs, EnforcementListArgs, MediationDueArgs,
    MediationShowArgs,
};
use crate::output::{Format, TextTable, write_json};

/// A 终本 case as the search obligation needs it: court, closing date, the day a 执恢 case of it
/// was filed (if one was).
struct Terminated {
    court_code: String,
    closed_date: NaiveDate,
    resumed_filed: Option<NaiveDate>,
}

struct Book {
    courts: CourtTable,
    records: EnforcementRecords,
    settings: EnforcementSettings,
}

async fn book(store: &dyn Store) -> anyhow::Result<Book> {
    Ok(Book {
        courts: CourtTable::from_records(store.courts().await?),
        records: store.enforcement_records().await?,
        settings: super::workflow::stored_settings(store).await?.enforcement(),
    })
}

/// The enforcement cases closed by 终本, with the filing of a 执恢 case of each.
async fn terminated_cases(store: &dyn Store) -> anyhow::Result<HashMap<String, Terminated>> {
    let cases = store.cases().await?;
    let mut resumed: HashMap<String, NaiveDate> = HashMap::new();
    for c in &cases {
        if c.type_code.map(|t| t.instance()) == Some(Instance::EnforcementResumed)
            && let Some(origin) = &c.origin_case_number
        {
            let day = resumed.entry(origin.clone()).or_insert(c.filed_date);
            *day = (*day).min(c.filed_date);
        }
    }
    Ok(cases
        .into_iter()
        .filter(|c| c.closing_mode == Some(ClosingMode::TerminationOfThisRound))
        .filter_map(|c| {
            let closed_date = c.closed_date?;
            Some((
                c.case_number.clone(),
                Terminated {
                    resumed_filed: resumed.get(&c.case_number).copied(),
                    court_code: c.court_code,
                    closed_date,
                },
            ))
        })
        .collect())
}

impl Book {
    fn in_scope(&self, scope: Option<&str>, court: &str) -> bool {
        scope.is_none_or(|s| court == s || self.courts.is_within(court, s))
    }

    fn check_scope(&self, scope: Option<&str>) -> Result<(), BadInput> {
        match scope {
            Some(code) if self.courts.get(code).is_none() => {
                Err(BadInput(format!("--scope: unknown court '{code}'")))
            }
            _ => Ok(()),
        }
    }
}

pub async fn run(
    command: EnforcementCommand,
    calendar: HolidayCalendar,
) -> anyhow::Result<ExitCode> {
    match command {
        EnforcementCommand::List(args) => list(args, &calendar).await,
        EnforcementCommand::Show(args) => show(args, &calendar).await,
        EnforcementCommand::Due(args) => due(args, &calendar).await,
        EnforcementCommand::Indicators(args) => indicators(args, &calendar).await,
    }
}

/// A listing's state at `as_of` (`active`, `removed`) with the removal deadline.
fn listing_json(l: &DishonestListing, as_of: NaiveDate, calendar: &HolidayCalendar) -> Value {
    let mut value = serde_json::to_value(l).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert(
            "state".into(),
            json!(if l.active_on(as_of) {
                "active"
            } else {
                "removed"
            }),
        );
        map.insert("term_months".into(), json!(l.term_months()));
        map.insert("term_end".into(), json!(l.term_end()));
        map.insert(
            "removal_deadline".into(),
            json!(removal_deadline(l, calendar).map(|(d, _)| d.deadline)),
        );
        map.insert("credit_repair".into(), json!(l.is_repair()));
    }
    value
}

async fn list(args: EnforcementListArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let wanted = match args.status.as_deref() {
        None => None,
        Some("active") => Some(true),
        Some("removed") => Some(false),
        Some(t) => {
            return Err(BadInput(format!("--status: '{t}' is not active or removed")).into());
        }
    };
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let rows: Vec<&DishonestListing> = b
        .records
        .listings
        .iter()
        .filter(|l| l.decided_date <= as_of)
        .filter(|l| b.in_scope(args.scope.as_deref(), &l.court_code))
        .filter(|l| wanted.is_none_or(|w| l.active_on(as_of) == w))
        .filter(|l| {
            args.person_type
                .as_ref()
                .is_none_or(|t| &l.person_type == t)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(
            &mut out,
            &json!({"rows": rows.iter().map(|l| listing_json(l, as_of, calendar)).collect::<Vec<_>>()}),
        )?,
        f => {
            let mut table = TextTable::new(vec![
                "失信编号",
                "法院",
                "案号",
                "被执行人",
                "主体类型",
                "决定日期",
                "删除日期",
                "状态",
            ]);
            for l in &rows {
                let active = l.active_on(as_of);
                table.push(vec![
                    l.listing_id.clone(),
                    b.courts.name_of(&l.court_code).to_owned(),
                    l.case_number.clone(),
                    l.person_name.clone(),
                    l.person_type.clone(),
                    l.decided_date.to_string(),
                    l.removal_date.map(|d| d.to_string()).unwrap_or_default(),
                    match (f, active) {
                        (Format::Csv, true) => "active",
                        (Format::Csv, false) => "removed",
                        (_, true) => "在册",
                        (_, false) => "已删除",
                    }
                    .to_owned(),
                ]);
            }
            if f == Format::Csv {
                table.write_csv(
                    out,
                    &[
                        "listing_id",
                        "court_code",
                        "case_number",
                        "person_name",
                        "person_type",
                        "decided_date",
                        "removal_date",
                        "state",
                    ],
                )?;
            } else {
                table.write_aligned(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(args: MediationShowArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let history = store
        .workflow_history("enforcement", args.id.trim())
        .await?;
    store.close().await;
    let l = b
        .records
        .listings
        .iter()
        .find(|l| l.listing_id == args.id.trim())
        .ok_or_else(|| BadInput(format!("no listing '{}'", args.id)))?;
    let mut value = listing_json(l, as_of, calendar);
    if let Value::Object(map) = &mut value {
        map.insert(
            "deadlines".into(),
            json!(
                listing_due_rows(l, as_of, calendar, &b.settings)
                    .iter()
                    .map(tianping_workflow::core::due::due_json)
                    .collect::<Vec<_>>()
            ),
        );
        map.insert(
            "removal_source".into(),
            json!(l.removal_reason.as_deref().and_then(|r| {
                REMOVAL_REASONS
                    .iter()
                    .find(|(reason, _)| *reason == r)
                    .map(|(_, source)| *source)
            })),
        );
        map.insert("history".into(), serde_json::to_value(&history)?);
    }
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &value)?,
        _ => {
            writeln!(
                out,
                "{}  {}  {}（{}）  {}",
                l.listing_id,
                l.case_number,
                l.person_name,
                l.person_type,
                if l.active_on(as_of) {
                    "在册"
                } else {
                    "已删除"
                }
            )?;
            writeln!(
                out,
                "决定 {}；期限 {}",
                l.decided_date,
                l.term_end()
                    .map_or("无（仅第一项情形）".to_owned(), |e| format!(
                        "至 {e}"
                    ))
            )?;
            for d in value["deadlines"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "{}：{} 起，届满 {}（{}）",
                    d["rule"].as_str().unwrap_or(""),
                    d["start_date"].as_str().unwrap_or(""),
                    d["deadline"].as_str().unwrap_or(""),
                    d["reason"].as_str().unwrap_or("")
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn due(args: MediationDueArgs, calendar: &HolidayCalendar) -> anyhow::Result<ExitCode> {
    let as_of = as_of_arg(args.as_of.as_ref())?;
    let wanted = due_status_arg(args.status.as_deref())?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let terminated = terminated_cases(&*store).await?;
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let scope = args.scope.as_deref();
    let mut searches: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for s in &b.records.searches {
        searches
            .entry(s.case_number.as_str())
            .or_default()
            .push(s.date);
    }
    let mut rows: Vec<DueRow> = b
        .records
        .listings
        .iter()
        .filter(|l| b.in_scope(scope, &l.court_code))
        .flat_map(|l| listing_due_rows(l, as_of, calendar, &b.settings))
        .collect();
    for (number, t) in &terminated {
        if !b.in_scope(scope, &t.court_code) {
            continue;
        }
        rows.extend(search_due_rows(
            number,
            &t.court_code,
            t.closed_date,
            searches.get(number.as_str()).map_or(&[], Vec::as_slice),
            t.resumed_filed,
            as_of,
            calendar,
            &b.settings,
        ));
    }
    rows.retain(|r| wanted.is_none_or(|w| r.status == w));
    tianping_workflow::core::due::sort_due(&mut rows);
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(
            &mut out,
            &tianping_workflow::core::due::due_document("enforcement", as_of, &rows),
        )?,
        f => write_due(out, &rows, f, "失信编号/案号", &b.courts)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The enforcement cases of the store as the indicators read them.
fn enforcement_cases(cases: Vec<tianping_domain::CaseRecord>) -> Vec<EnforcementCase> {
    cases
        .into_iter()
        .filter_map(|c| {
            let kind = match c.type_code.map(|t| t.instance())? {
                Instance::EnforcementFirst => CaseKind::First,
                Instance::EnforcementResumed => CaseKind::Resumed,
                Instance::EnforcementPreservation => CaseKind::Preservation,
                _ => return None,
            };
            let mode = c.closing_mode;
            Some(EnforcementCase {
                kind,
                filed_date: c.filed_date,
                closed_date: c.closed_date,
                terminated: mode == Some(ClosingMode::TerminationOfThisRound),
                completed: mode == Some(ClosingMode::EnforcementCompleted),
                actual: matches!(
                    mode,
                    Some(ClosingMode::EnforcementCompleted | ClosingMode::EnforcementSettlement)
                ),
                origin_case_number: c.origin_case_number,
                recovered_fen: c.recovered_amount.map_or(0, |m| m.fen()),
                claim_fen: c.claim_amount.map_or(0, |m| m.fen()),
                tags: Vec::new(),
                case_number: c.case_number,
                court_code: c.court_code,
                division: c.division,
                judge: c.judge,
            })
        })
        .collect()
}

async fn indicators(
    args: EnforcementIndicatorsArgs,
    calendar: &HolidayCalendar,
) -> anyhow::Result<ExitCode> {
    let (from, to, as_of) = period_args(
        args.period.as_ref(),
        args.from.as_ref(),
        args.to.as_ref(),
        args.as_of.as_ref(),
    )?;
    let by = GroupBy::parse(&args.by).ok_or_else(|| {
        BadInput(format!(
            "--by: '{}' is not none, court, division, judge or person_type",
            args.by
        ))
    })?;
    let compare = compare_arg(&args.compare)?;
    let store = open_store(&args.db.db).await?;
    let b = book(&*store).await?;
    let mut cases = enforcement_cases(store.cases().await?);
    if args.tag.is_some() {
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        for (case, tag) in store.case_tags().await? {
            tags.entry(case).or_default().push(tag);
        }
        for c in &mut cases {
            if let Some(t) = tags.remove(&c.case_number) {
                c.tags = t;
            }
        }
    }
    store.close().await;
    b.check_scope(args.scope.as_deref())?;
    let scope = args.scope.as_deref();
    let in_scope = |court: &str| b.in_scope(scope, court);
    let src = Sources {
        cases: &cases,
        checks: &b.records.checks,
        searches: &b.records.searches,
        listings: &b.records.listings,
        actions: &b.records.actions,
        calendar,
        settings: &b.settings,
    };
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        in_scope: &in_scope,
        tag: args.tag.as_deref(),
    };
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope.map_or("全部法院".to_owned(), |c| {
                b.courts.name_of(c).to_owned()
            }),
            GroupBy::Court => b.courts.name_of(key).to_owned(),
            GroupBy::Division | GroupBy::Judge => match key.split_once('/') {
                Some((court, name)) => format!("{} {name}", b.courts.name_of(court)),
                None => key.to_owned(),
            },
            GroupBy::PersonType => key.to_owned(),
        }
    };
    let document = indicators_document(&src, &query, compare, scope, &label);
    let rows = document["rows"].as_array().cloned().unwrap_or_default();
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => write_json(&mut out, &document)?,
        f => write_indicator_rows(
            out,
            &rows,
            &[
                ("enforcement_closed", "首执结案"),
                ("termination_rate", "首执终本率"),
                ("terminated", "终本结案"),
                ("termination_qualified_rate", "终本合格率"),
                ("resumed_filed", "执恢新收"),
                ("searches_overdue", "查控逾期"),
                ("dishonest_listed", "新纳入失信"),
                ("dishonest_removed", "删除失信"),
                ("repair_removals", "信用修复"),
                ("persons_exited", "移出失信人数"),
                ("removal_on_time_rate", "按期删除率"),
                ("removal_overdue", "逾期未删除"),
            ],
            f,
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
