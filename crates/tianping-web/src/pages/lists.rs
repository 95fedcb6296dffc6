//! Lists: deadlines (审限预警, with the XLSX export), long-pending cases (长期未结) and the
//! year-end filing suppression signal (年底不立案).

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tianping_domain::dates::days_between;
use tianping_domain::time_limit::PendingStatus;
use tianping_metrics::DeadlineFilter;
use tianping_metrics::deadlines::{DeadlineRow, StatusFilter};

use super::courts::{reference_date, seg};
use super::nonempty;
use super::table::{Cell, TableQuery, filter_query, sort_rows, workbook, xlsx_response};
use super::{base, court_options};
use crate::auth::{CourtLevelUser, CurrentUser, SignalsView};
use crate::data::{CaseFilter, CaseState, Data};
use crate::scope::{CourtScope, authorize};
use crate::{AppState, WebError};

/// A deadline row as the pages show it.
#[derive(Debug, Serialize)]
pub struct DeadlineView {
    case_number: String,
    href: String,
    court_code: String,
    court_name: String,
    division: String,
    judge: String,
    filed_date: String,
    normal_deadline: String,
    deadline: String,
    deducted_days: i64,
    extended: bool,
    days_remaining: Option<i64>,
    status: &'static str,
    status_zh: &'static str,
    reason: String,
    age_days: i64,
    calendar_known: bool,
}

pub fn deadline_view(r: &DeadlineRow) -> DeadlineView {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    DeadlineView {
        href: format!("/cases/{}", seg(&r.case_number)),
        case_number: r.case_number.clone(),
        court_code: r.court_code.clone(),
        court_name: r.court_code.clone(),
        division: r.division.clone().unwrap_or_default(),
        judge: r.judge.clone().unwrap_or_default(),
        filed_date: r.filed_date.to_string(),
        normal_deadline: date(r.normal_deadline),
        deadline: date(r.deadline),
        deducted_days: r.deducted_days,
        extended: r.extended,
        days_remaining: r.days_remaining,
        status: r.status.id(),
        status_zh: r.status.name_zh(),
        reason: r.reason.clone(),
        age_days: r.age_days,
        calendar_known: r.calendar_known,
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct DeadlineParams {
    court: Option<String>,
    status: Option<String>,
    as_of: Option<String>,
    division: Option<String>,
    judge: Option<String>,
    /// Only cases whose deadline falls on or before this date ("due by Friday").
    due_by: Option<String>,
    /// Only cases of this type code (类型代字).
    type_code: Option<String>,
    /// Only cases whose cause (案由) contains this text.
    cause: Option<String>,
    /// The warning window of 临近审限 in days (default: the setting, 15).
    window: Option<String>,
    #[serde(flatten)]
    table: TableQuery,
}

struct DeadlineAnswer {
    scope: CourtScope,
    as_of: NaiveDate,
    status_text: String,
    window: i64,
    rows: Vec<DeadlineRow>,
}

/// A type code filter as typed (`民初`), checked against the code table.
pub fn type_code_param(text: Option<&str>) -> Result<Option<String>, WebError> {
    match text {
        None => Ok(None),
        Some(code) => match tianping_domain::TypeCode::lookup(code) {
            Some(t) => Ok(Some(t.as_str().to_owned())),
            None => Err(WebError::BadRequest(format!(
                "类型代字“{code}”不在类型代字表中"
            ))),
        },
    }
}

/// The judges (承办人) a list's filter offers: those with pending cases in the scope at `as_of`;
/// none (the filter is then a text box) when there are too many for a list to be of use.
fn judge_choices(data: &Data, scope: &CourtScope, as_of: NaiveDate) -> Vec<String> {
    const MAX_CHOICES: usize = 500;
    let names = data.scoped(scope).judge_names(&CaseFilter {
        state: Some(CaseState::Pending),
        as_of: Some(as_of),
        ..CaseFilter::default()
    });
    if names.len() > MAX_CHOICES {
        Vec::new()
    } else {
        names
    }
}

/// The warning window (临近审限) of a page: `window=` or the setting.
fn window_param(state: &AppState, text: Option<&str>) -> Result<i64, WebError> {
    match text {
        None => Ok(state.settings.due_soon_days),
        Some(t) => t
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=365).contains(n))
            .ok_or_else(|| WebError::BadRequest(format!("临近审限天数“{t}”应为 0 至 365 的整数"))),
    }
}

fn deadline_answer(
    state: &AppState,
    user: &CurrentUser,
    data: &Data,
    p: &DeadlineParams,
) -> Result<DeadlineAnswer, WebError> {
    let scope = authorize(&user.user, nonempty(&p.court), data)?;
    let as_of = reference_date(data, nonempty(&p.as_of))?;
    let status_text = nonempty(&p.status).unwrap_or("").to_owned();
    let status = if status_text.is_empty() {
        StatusFilter::Limited
    } else {
        StatusFilter::parse(&status_text)
            .ok_or_else(|| WebError::BadRequest(format!("状态“{status_text}”不是可选的状态")))?
    };
    let due_by = nonempty(&p.due_by)
        .map(|text| {
            tianping_domain::dates::parse_date(text)
                .map_err(|e| WebError::BadRequest(format!("届满日期：{}", e.zh())))
        })
        .transpose()?;
    let window = window_param(state, nonempty(&p.window))?;
    let filter = DeadlineFilter {
        division: nonempty(&p.division).map(str::to_owned),
        judge: nonempty(&p.judge).map(str::to_owned),
        due_by,
        type_code: type_code_param(nonempty(&p.type_code))?,
        cause: nonempty(&p.cause).map(str::to_owned),
        due_soon_days: Some(window),
        ..DeadlineFilter::default()
    };
    let mut rows: Vec<DeadlineRow> = data
        .scoped(&scope)
        .deadlines(as_of, status, &filter)
        .to_vec();
    let sorting = p.table.sorting(DEADLINE_SORTS, false)?;
    sort_rows(&mut rows, &sorting, |key, a, b| match key {
        "case_number" => a.case_number.cmp(&b.case_number),
        "court" => a.court_code.cmp(&b.court_code),
        "division" => a.division.cmp(&b.division),
        "judge" => a.judge.cmp(&b.judge),
        "filed_date" => a.filed_date.cmp(&b.filed_date),
        "deadline" => a.deadline.cmp(&b.deadline),
        "deducted_days" => a.deducted_days.cmp(&b.deducted_days),
        "age_days" => a.age_days.cmp(&b.age_days),
        // The list's own order: fewest days left first.
        _ => std::cmp::Ordering::Equal,
    });
    Ok(DeadlineAnswer {
        scope,
        as_of,
        status_text,
        window,
        rows,
    })
}

/// The columns a deadline list sorts by; the first is its own order (most urgent first).
const DEADLINE_SORTS: &[&str] = &[
    "days_remaining",
    "case_number",
    "court",
    "division",
    "judge",
    "filed_date",
    "deadline",
    "deducted_days",
    "age_days",
];

const STATUS_OPTIONS: [(&str, &str); 7] = [
    ("", "全部（有审限）"),
    ("overdue", "超审限"),
    ("due_soon", "临近审限"),
    ("suspended", "扣审中"),
    ("ok", "正常"),
    ("no_limit", "不计审限"),
    ("all", "全部未结"),
];

/// The type codes offered by the list filters: those of the code table, by code.
pub fn type_code_options() -> Vec<minijinja::Value> {
    tianping_domain::TypeCode::all()
        .map(|t| context! { id => t.as_str(), zh => format!("{} {}", t.as_str(), t.info().meaning_zh) })
        .collect()
}

pub async fn deadlines(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<DeadlineParams>,
) -> Result<Response, WebError> {
    if p.table.wants_xlsx()? {
        return deadlines_export(&state, &user, &p).await;
    }
    let data = state.data().await?;
    let answer = deadline_answer(&state, &user, &data, &p)?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let count = |s: PendingStatus| answer.rows.iter().filter(|r| r.status == s).count();
    let counts = context! {
        overdue => count(PendingStatus::Overdue),
        due_soon => count(PendingStatus::DueSoon),
        suspended => count(PendingStatus::Suspended),
    };
    let pager = p.table.pager(answer.rows.len())?;
    let rows: Vec<DeadlineView> = pager
        .slice(&answer.rows)
        .iter()
        .map(|r| {
            let mut v = deadline_view(r);
            v.court_name = courts.name_of(&r.court_code).to_owned();
            v
        })
        .collect();
    let window_text =
        (answer.window != state.settings.due_soon_days).then(|| answer.window.to_string());
    let filters = filter_query(&[
        ("court", answer.scope.court().map(str::to_owned)),
        ("status", Some(answer.status_text.clone())),
        ("as_of", Some(answer.as_of.to_string())),
        ("division", p.division.clone()),
        ("judge", p.judge.clone()),
        ("due_by", p.due_by.clone()),
        ("type_code", p.type_code.clone()),
        ("cause", p.cause.clone()),
        ("window", window_text),
    ]);
    let sorting = p.table.sorting(DEADLINE_SORTS, false)?;
    let sort_query = format!(
        "sort={}&dir={}",
        sorting.key,
        if sorting.desc { "desc" } else { "asc" }
    );
    let export = format!("/deadlines?{filters}&{sort_query}&format=xlsx");
    let judges = judge_choices(&data, &answer.scope, answer.as_of);
    state
        .templates
        .render(
            "deadlines.html",
            context! {
                title => "审限预警",
                court => answer.scope.court(),
                court_name => answer.scope.court().map(|c| courts.name_of(c)),
                status => answer.status_text,
                as_of => answer.as_of.to_string(),
                division => nonempty(&p.division),
                judge => nonempty(&p.judge),
                judges => judges,
                due_by => nonempty(&p.due_by),
                type_code => nonempty(&p.type_code),
                cause => nonempty(&p.cause),
                window => answer.window,
                type_codes => type_code_options(),
                total => answer.rows.len(),
                shown => rows.len(),
                pager => pager,
                sorting => sorting,
                filters => filters,
                counts => counts,
                rows => rows,
                export => export,
                court_options => court_options(&data, &user_scope),
                status_options => STATUS_OPTIONS.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
                ..minijinja::Value::from_serialize(base(&user, courts, "deadlines"))
            },
        )
        .map(IntoResponse::into_response)
}

/// The old address of the export: the same as `/deadlines?format=xlsx`.
pub async fn deadlines_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<DeadlineParams>,
) -> Result<Response, WebError> {
    deadlines_export(&state, &user, &p).await
}

/// The deadline list as an XLSX workbook (every row, the page's filters and order), recorded in
/// the audit log.
async fn deadlines_export(
    state: &AppState,
    user: &CurrentUser,
    p: &DeadlineParams,
) -> Result<Response, WebError> {
    let data = state.data().await?;
    let answer = deadline_answer(state, user, &data, p)?;
    let courts = data.courts();
    let view = data.scoped(&answer.scope);
    let columns = [
        ("案号", 30.0),
        ("法院", 24.0),
        ("承办部门", 12.0),
        ("承办人", 10.0),
        ("案由", 20.0),
        ("适用程序", 10.0),
        ("立案日期", 12.0),
        ("正常审限届满日", 14.0),
        ("审限届满日", 12.0),
        ("扣除天数", 10.0),
        ("延长审限", 10.0),
        ("剩余天数", 10.0),
        ("状态", 10.0),
        ("说明", 28.0),
        ("案龄（天）", 10.0),
    ];
    let rows: Vec<Vec<Cell>> = answer
        .rows
        .iter()
        .map(|r| {
            let record = view.record_of(&r.case_number);
            vec![
                Cell::text(&r.case_number),
                Cell::text(courts.name_of(&r.court_code)),
                Cell::text(r.division.clone().unwrap_or_default()),
                Cell::text(r.judge.clone().unwrap_or_default()),
                Cell::text(
                    record
                        .as_ref()
                        .and_then(|c| c.cause.clone())
                        .unwrap_or_default(),
                ),
                Cell::text(
                    record
                        .as_ref()
                        .and_then(|c| c.procedure)
                        .map(|p| p.name_zh())
                        .unwrap_or_default(),
                ),
                Cell::Date(r.filed_date),
                Cell::opt_date(r.normal_deadline),
                Cell::opt_date(r.deadline),
                Cell::Number(r.deducted_days as f64),
                Cell::text(if r.extended { "是" } else { "" }),
                Cell::opt_number(r.days_remaining.map(|d| d as f64)),
                Cell::text(r.status.name_zh()),
                Cell::text(&r.reason),
                Cell::Number(r.age_days as f64),
            ]
        })
        .collect();
    let bytes = workbook("审限预警", &columns, &rows)?;
    state
        .audit(
            user.username(),
            "export",
            format!(
                "导出审限预警 XLSX：范围 {}，状态 {}，截至 {}，{} 行",
                answer.scope.key(),
                if answer.status_text.is_empty() {
                    "有审限"
                } else {
                    &answer.status_text
                },
                answer.as_of,
                answer.rows.len()
            ),
        )
        .await?;
    let filename = format!("deadlines-{}-{}.xlsx", answer.scope.key(), answer.as_of);
    Ok(xlsx_response(bytes, "deadlines.xlsx", &filename))
}

#[derive(Debug, Deserialize, Default)]
pub struct LongPendingParams {
    court: Option<String>,
    months: Option<u32>,
    as_of: Option<String>,
    division: Option<String>,
    judge: Option<String>,
    type_code: Option<String>,
    cause: Option<String>,
    #[serde(flatten)]
    table: TableQuery,
}

#[derive(Debug, Serialize)]
struct LongPendingView {
    case_number: String,
    href: String,
    court_name: String,
    division: String,
    judge: String,
    cause: String,
    procedure: String,
    filed_date: String,
    age_days: i64,
}

/// The columns a long-pending list sorts by; the first is its own order (oldest first).
const LONG_PENDING_SORTS: &[&str] = &[
    "age_days",
    "case_number",
    "court",
    "division",
    "judge",
    "cause",
];

pub async fn long_pending(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<LongPendingParams>,
) -> Result<Response, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, nonempty(&p.court), &*data)?;
    let as_of = reference_date(&data, nonempty(&p.as_of))?;
    let months = p.months.unwrap_or(12);
    if !matches!(months, 12 | 18 | 36) {
        return Err(WebError::BadRequest("未结月数应为 12、18 或 36".into()));
    }
    let division = nonempty(&p.division).map(str::to_owned);
    let judge = nonempty(&p.judge).map(str::to_owned);
    let type_code = type_code_param(nonempty(&p.type_code))?;
    let cause = nonempty(&p.cause).map(str::to_owned);
    let filter = CaseFilter {
        // Division and judge names belong to one court: with either, the court itself only.
        court: (division.is_some() || judge.is_some())
            .then(|| scope.court().map(str::to_owned))
            .flatten(),
        division: division.clone(),
        judge: judge.clone(),
        type_code: type_code.clone(),
        cause: cause.clone(),
        ..CaseFilter::default()
    };
    let view = data.scoped(&scope);
    let mut records: Vec<tianping_domain::CaseRecord> = view
        .long_pending(as_of, months, &filter)
        .iter()
        .map(|&row| view.record(row))
        .collect();
    let sorting = p.table.sorting(LONG_PENDING_SORTS, true)?;
    sort_rows(&mut records, &sorting, |key, a, b| match key {
        "case_number" => a.case_number.cmp(&b.case_number),
        "court" => a.court_code.cmp(&b.court_code),
        "division" => a.division.cmp(&b.division),
        "judge" => a.judge.cmp(&b.judge),
        "cause" => a.cause.cmp(&b.cause),
        // Age: the earlier the filing, the older.
        _ => b
            .filed_date
            .cmp(&a.filed_date)
            .then_with(|| b.case_number.cmp(&a.case_number)),
    });
    if p.table.wants_xlsx()? {
        let rows: Vec<Vec<Cell>> = records
            .iter()
            .map(|c| super::cases::case_cells(c, courts, as_of))
            .collect();
        let bytes = workbook("长期未结案件", &super::cases::CASE_COLUMNS, &rows)?;
        state
            .audit(
                user.username(),
                "export",
                format!(
                    "导出长期未结案件 XLSX：范围 {}，超过 {months} 个月，截至 {as_of}，{} 行",
                    scope.key(),
                    rows.len()
                ),
            )
            .await?;
        let filename = format!("long-pending-{}-{as_of}.xlsx", scope.key());
        return Ok(xlsx_response(bytes, "long-pending.xlsx", &filename));
    }
    let pager = p.table.pager(records.len())?;
    let rows: Vec<LongPendingView> = pager
        .slice(&records)
        .iter()
        .map(|c| LongPendingView {
            href: format!("/cases/{}", seg(&c.case_number)),
            case_number: c.case_number.clone(),
            court_name: courts.name_of(&c.court_code).to_owned(),
            division: c.division.clone().unwrap_or_default(),
            judge: c.judge.clone().unwrap_or_default(),
            cause: c.cause.clone().unwrap_or_default(),
            procedure: c
                .procedure
                .map(|p| p.name_zh())
                .unwrap_or_default()
                .to_owned(),
            filed_date: c.filed_date.to_string(),
            age_days: days_between(c.filed_date, as_of),
        })
        .collect();
    let filters = filter_query(&[
        ("court", scope.court().map(str::to_owned)),
        ("months", Some(months.to_string())),
        ("as_of", Some(as_of.to_string())),
        ("division", division.clone()),
        ("judge", judge.clone()),
        ("type_code", type_code.clone()),
        ("cause", cause.clone()),
    ]);
    let sort_query = format!(
        "sort={}&dir={}",
        sorting.key,
        if sorting.desc { "desc" } else { "asc" }
    );
    let judges = judge_choices(&data, &scope, as_of);
    state
        .templates
        .render(
            "long_pending.html",
            context! {
                title => "长期未结案件",
                court => scope.court(),
                months => months,
                as_of => as_of.to_string(),
                division => division,
                judge => judge,
                judges => judges,
                type_code => type_code,
                cause => cause,
                type_codes => type_code_options(),
                total => records.len(),
                shown => rows.len(),
                pager => pager,
                sorting => sorting,
                filters => filters,
                export => format!("/long-pending?{filters}&{sort_query}&format=xlsx"),
                rows => rows,
                court_options => court_options(&data, &user_scope),
                ..minijinja::Value::from_serialize(base(&user, courts, "long_pending"))
            },
        )
        .map(IntoResponse::into_response)
}

#[derive(Debug, Deserialize, Default)]
pub struct SignalParams {
    court: Option<String>,
    year: Option<i32>,
}

pub async fn signals(
    State(state): State<AppState>,
    court_user: CourtLevelUser<SignalsView>,
    Query(p): Query<SignalParams>,
) -> Result<Html<String>, WebError> {
    let user = court_user.into_user();
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, nonempty(&p.court), &*data)?;
    let reference = data.reference_date(crate::today());
    // The last whole year the data covers.
    let default_year = if reference.month() == 12 && reference.day() == 31 {
        reference.year()
    } else {
        reference.year() - 1
    };
    let year = p.year.unwrap_or(default_year);
    if !(1949..=2099).contains(&year) {
        return Err(WebError::BadRequest(format!("year: {year} 超出范围")));
    }
    let rows = data.scoped(&scope).signals(year);
    let flagged = rows.iter().filter(|r| r.flagged).count();
    state.templates.render(
        "signals.html",
        context! {
            title => "年底立案信号",
            court => scope.court(),
            year => year,
            rows => rows,
            flagged => flagged,
            years => (year - 4..=default_year.max(year)).rev().collect::<Vec<_>>(),
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "signals"))
        },
    )
}
