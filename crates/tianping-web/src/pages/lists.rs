//! Lists: deadlines (审限预警, with the XLSX export), long-pending cases (长期未结) and the
//! year-end filing suppression signal (年底不立案).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};
use tianping_domain::dates::days_between;
use tianping_domain::time_limit::PendingStatus;
use tianping_metrics::DeadlineFilter;
use tianping_metrics::deadlines::{DeadlineRow, StatusFilter};

use super::courts::{qv, reference_date, seg};
use super::nonempty;
use super::{base, court_options};
use crate::auth::{CourtLevelUser, CurrentUser, SignalsView};
use crate::data::Data;
use crate::scope::{CourtScope, authorize};
use crate::{AppState, WebError};

/// How many rows a list page shows; the export has them all.
const PAGE_ROWS: usize = 1000;

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
}

struct DeadlineAnswer {
    scope: CourtScope,
    as_of: NaiveDate,
    status_text: String,
    rows: Vec<DeadlineRow>,
}

fn deadline_answer(
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
        StatusFilter::parse(&status_text).ok_or_else(|| {
            WebError::BadRequest(format!("status: '{status_text}' 不是可选的状态"))
        })?
    };
    let due_by = nonempty(&p.due_by)
        .map(|text| {
            tianping_domain::dates::parse_date(text)
                .map_err(|e| WebError::BadRequest(format!("due_by: {e}")))
        })
        .transpose()?;
    let filter = DeadlineFilter {
        division: nonempty(&p.division).map(str::to_owned),
        judge: nonempty(&p.judge).map(str::to_owned),
        due_by,
        ..DeadlineFilter::default()
    };
    let rows: Vec<DeadlineRow> = data
        .scoped(&scope)
        .deadlines(as_of, status, &filter)
        .to_vec();
    Ok(DeadlineAnswer {
        scope,
        as_of,
        status_text,
        rows,
    })
}

const STATUS_OPTIONS: [(&str, &str); 7] = [
    ("", "全部（有审限）"),
    ("overdue", "超审限"),
    ("due_soon", "临近审限"),
    ("suspended", "扣审中"),
    ("ok", "正常"),
    ("no_limit", "不计审限"),
    ("all", "全部未结"),
];

pub async fn deadlines(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<DeadlineParams>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let answer = deadline_answer(&user, &data, &p)?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let count = |s: PendingStatus| answer.rows.iter().filter(|r| r.status == s).count();
    let counts = context! {
        overdue => count(PendingStatus::Overdue),
        due_soon => count(PendingStatus::DueSoon),
        suspended => count(PendingStatus::Suspended),
    };
    let rows: Vec<DeadlineView> = answer
        .rows
        .iter()
        .take(PAGE_ROWS)
        .map(|r| {
            let mut v = deadline_view(r);
            v.court_name = courts.name_of(&r.court_code).to_owned();
            v
        })
        .collect();
    let export = format!(
        "/deadlines.xlsx?court={}&status={}&as_of={}&division={}&judge={}&due_by={}",
        qv(answer.scope.court().unwrap_or("")),
        qv(&answer.status_text),
        answer.as_of,
        qv(nonempty(&p.division).unwrap_or("")),
        qv(nonempty(&p.judge).unwrap_or("")),
        qv(nonempty(&p.due_by).unwrap_or("")),
    );
    state.templates.render(
        "deadlines.html",
        context! {
            title => "审限预警",
            court => answer.scope.court(),
            court_name => answer.scope.court().map(|c| courts.name_of(c)),
            status => answer.status_text,
            as_of => answer.as_of.to_string(),
            division => nonempty(&p.division),
            judge => nonempty(&p.judge),
            due_by => nonempty(&p.due_by),
            total => answer.rows.len(),
            shown => rows.len(),
            counts => counts,
            rows => rows,
            export => export,
            court_options => court_options(&data, &user_scope),
            status_options => STATUS_OPTIONS.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
            ..minijinja::Value::from_serialize(base(&user, courts, "deadlines"))
        },
    )
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> WebError {
    WebError::Internal(format!("xlsx: {e}"))
}

/// The deadline list as an XLSX workbook (every row), recorded in the audit log.
pub async fn deadlines_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<DeadlineParams>,
) -> Result<Response, WebError> {
    let data = state.data().await?;
    let answer = deadline_answer(&user, &data, &p)?;
    let courts = data.courts();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("审限预警").map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    let header = [
        ("案号", 30.0),
        ("法院", 24.0),
        ("承办部门", 12.0),
        ("承办人", 10.0),
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
    for (col, (title, width)) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(xlsx_error)?;
        sheet
            .set_column_width(col as u16, *width)
            .map_err(xlsx_error)?;
    }
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for (i, r) in answer.rows.iter().enumerate() {
        let row = i as u32 + 1;
        let texts = [
            r.case_number.clone(),
            courts.name_of(&r.court_code).to_owned(),
            r.division.clone().unwrap_or_default(),
            r.judge.clone().unwrap_or_default(),
            r.filed_date.to_string(),
            date(r.normal_deadline),
            date(r.deadline),
        ];
        for (col, text) in texts.iter().enumerate() {
            sheet
                .write_string(row, col as u16, text)
                .map_err(xlsx_error)?;
        }
        sheet
            .write_number(row, 7, r.deducted_days as f64)
            .map_err(xlsx_error)?;
        sheet
            .write_string(row, 8, if r.extended { "是" } else { "" })
            .map_err(xlsx_error)?;
        if let Some(days) = r.days_remaining {
            sheet
                .write_number(row, 9, days as f64)
                .map_err(xlsx_error)?;
        }
        sheet
            .write_string(row, 10, r.status.name_zh())
            .map_err(xlsx_error)?;
        sheet.write_string(row, 11, &r.reason).map_err(xlsx_error)?;
        sheet
            .write_number(row, 12, r.age_days as f64)
            .map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
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
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"deadlines.xlsx\"; filename*=UTF-8''{}",
                    seg(&filename)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct LongPendingParams {
    court: Option<String>,
    months: Option<u32>,
    as_of: Option<String>,
}

#[derive(Debug, Serialize)]
struct LongPendingView {
    case_number: String,
    href: String,
    court_name: String,
    division: String,
    judge: String,
    cause: String,
    filed_date: String,
    age_days: i64,
}

pub async fn long_pending(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<LongPendingParams>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, nonempty(&p.court), &*data)?;
    let as_of = reference_date(&data, nonempty(&p.as_of))?;
    let months = p.months.unwrap_or(12);
    if !matches!(months, 12 | 18 | 36) {
        return Err(WebError::BadRequest("months: 12, 18 或 36".into()));
    }
    let view = data.scoped(&scope);
    let cases = view.long_pending(as_of, months);
    let rows: Vec<LongPendingView> = cases
        .iter()
        .take(PAGE_ROWS)
        .map(|&row| view.record(row))
        .map(|c| LongPendingView {
            href: format!("/cases/{}", seg(&c.case_number)),
            case_number: c.case_number.clone(),
            court_name: courts.name_of(&c.court_code).to_owned(),
            division: c.division.clone().unwrap_or_default(),
            judge: c.judge.clone().unwrap_or_default(),
            cause: c.cause.clone().unwrap_or_default(),
            filed_date: c.filed_date.to_string(),
            age_days: days_between(c.filed_date, as_of),
        })
        .collect();
    state.templates.render(
        "long_pending.html",
        context! {
            title => "长期未结案件",
            court => scope.court(),
            months => months,
            as_of => as_of.to_string(),
            total => cases.len(),
            shown => rows.len(),
            rows => rows,
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "long_pending"))
        },
    )
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
