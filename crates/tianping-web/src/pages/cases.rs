//! Case lists and the case page: the case's fields, its event timeline and its deadline
//! explained step by step (base limit, extensions, deductions, holiday roll-over).

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::dates::{add_days, days_between};
use tianping_domain::time_limit::{Deadline, Limit, LimitRule, NoLimitReason, Timing};
use tianping_domain::{CaseRecord, EventKind, EventRecord};

use super::courts::{reference_date, seg};
use super::nonempty;
use super::table::{Cell, TableQuery, filter_query, sort_rows, workbook, xlsx_response};
use super::{base, breadcrumb, court_options};
use crate::auth::CurrentUser;
use crate::data::{CaseFilter, CaseState};
use crate::scope::authorize;
use crate::{AppState, WebError};

#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    court: Option<String>,
    division: Option<String>,
    judge: Option<String>,
    status: Option<String>,
    as_of: Option<String>,
    /// A case number, or a part of one, in any bracket style (the search box of every page).
    q: Option<String>,
    /// Only cases of this type code (类型代字).
    type_code: Option<String>,
    /// Only cases whose cause (案由) contains this text.
    cause: Option<String>,
    #[serde(flatten)]
    table: TableQuery,
}

#[derive(Debug, Serialize)]
struct CaseView {
    case_number: String,
    href: String,
    court_name: String,
    division: String,
    judge: String,
    cause: String,
    procedure: String,
    filed_date: String,
    closed_date: String,
    closing_mode: String,
}

/// The columns a case list sorts by; the first is its own order (newest filing first).
const CASE_SORTS: &[&str] = &[
    "filed_date",
    "case_number",
    "court",
    "division",
    "judge",
    "cause",
    "closed_date",
];

/// The columns of an exported case list (案由 and 适用程序 included).
pub const CASE_COLUMNS: [(&str, f64); 11] = [
    ("案号", 30.0),
    ("法院", 24.0),
    ("承办部门", 12.0),
    ("承办人", 10.0),
    ("类型代字", 10.0),
    ("案由", 20.0),
    ("适用程序", 10.0),
    ("立案日期", 12.0),
    ("结案日期", 12.0),
    ("结案方式", 10.0),
    ("案龄（天）", 10.0),
];

/// A case as a row of an exported case list; the age counts to the closing date, or to `as_of`
/// for a pending case.
pub fn case_cells(
    c: &CaseRecord,
    courts: &tianping_domain::CourtTable,
    as_of: NaiveDate,
) -> Vec<Cell> {
    let end = c.closed_date.filter(|d| *d <= as_of).unwrap_or(as_of);
    vec![
        Cell::text(&c.case_number),
        Cell::text(courts.name_of(&c.court_code)),
        Cell::text(c.division.clone().unwrap_or_default()),
        Cell::text(c.judge.clone().unwrap_or_default()),
        Cell::text(c.type_code.map(|t| t.as_str()).unwrap_or_default()),
        Cell::text(c.cause.clone().unwrap_or_default()),
        Cell::text(c.procedure.map(|p| p.name_zh()).unwrap_or_default()),
        Cell::Date(c.filed_date),
        Cell::opt_date(c.closed_date),
        Cell::text(c.closing_mode.map(|m| m.name_zh()).unwrap_or_default()),
        Cell::Number(days_between(c.filed_date, end) as f64),
    ]
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> Result<Response, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, nonempty(&p.court), &*data)?;
    let q = nonempty(&p.q).map(str::to_owned);
    // A whole case number of a case in the scope opens that case.
    if let Some(text) = &q
        && tianping_domain::CaseNumber::parse(text).is_ok()
        && let Ok((case, _, _)) = data.scoped(&scope).case(text)
    {
        return Ok(super::see_other(&format!(
            "/cases/{}",
            seg(&case.case_number)
        )));
    }
    let as_of = reference_date(&data, nonempty(&p.as_of))?;
    let status = nonempty(&p.status).unwrap_or("pending");
    let state_filter = match status {
        "pending" => CaseState::Pending,
        "closed" => CaseState::Closed,
        "all" => CaseState::All,
        other => {
            return Err(WebError::BadRequest(format!(
                "状态“{other}”应为 pending（未结）、closed（已结）或 all（全部）"
            )));
        }
    };
    let division = nonempty(&p.division).map(str::to_owned);
    let judge = nonempty(&p.judge).map(str::to_owned);
    // Division and judge names belong to one court: with either, the court itself only.
    let exact = (division.is_some() || judge.is_some())
        .then(|| scope.court().map(str::to_owned))
        .flatten();
    let type_code = super::lists::type_code_param(nonempty(&p.type_code))?;
    let cause = nonempty(&p.cause).map(str::to_owned);
    let filter = CaseFilter {
        court: exact,
        division: division.clone(),
        judge: judge.clone(),
        state: Some(state_filter),
        as_of: Some(as_of),
        number: q.clone(),
        type_code: type_code.clone(),
        cause: cause.clone(),
    };
    let view = data.scoped(&scope);
    let cases = view.cases(&filter);
    let sorting = p.table.sorting(CASE_SORTS, true)?;
    let default_order = sorting.key == CASE_SORTS[0] && sorting.desc;
    let xlsx = p.table.wants_xlsx()?;
    // The list's own order needs no records; another order or the export reads them all.
    let records: Option<Vec<CaseRecord>> = (!default_order || xlsx).then(|| {
        let mut records: Vec<CaseRecord> = cases.iter().map(|&row| view.record(row)).collect();
        sort_rows(&mut records, &sorting, |key, a, b| match key {
            "case_number" => a.case_number.cmp(&b.case_number),
            "court" => a.court_code.cmp(&b.court_code),
            "division" => a.division.cmp(&b.division),
            "judge" => a.judge.cmp(&b.judge),
            "cause" => a.cause.cmp(&b.cause),
            "closed_date" => a.closed_date.cmp(&b.closed_date),
            _ => a
                .filed_date
                .cmp(&b.filed_date)
                .then_with(|| b.case_number.cmp(&a.case_number)),
        });
        records
    });
    if xlsx {
        let rows: Vec<Vec<Cell>> = records
            .unwrap_or_default()
            .iter()
            .map(|c| case_cells(c, courts, as_of))
            .collect();
        let bytes = workbook("案件列表", &CASE_COLUMNS, &rows)?;
        state
            .audit(
                user.username(),
                "export",
                format!(
                    "导出案件列表 XLSX：范围 {}，状态 {status}，截至 {as_of}，{} 行",
                    scope.key(),
                    rows.len()
                ),
            )
            .await?;
        let filename = format!("cases-{}-{as_of}.xlsx", scope.key());
        return Ok(xlsx_response(bytes, "cases.xlsx", &filename));
    }
    let pager = p.table.pager(cases.len())?;
    let shown: Vec<CaseRecord> = match &records {
        Some(records) => pager.slice(records).to_vec(),
        None => pager
            .slice(&cases)
            .iter()
            .map(|&row| view.record(row))
            .collect(),
    };
    let rows: Vec<CaseView> = shown
        .iter()
        .map(|c| CaseView {
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
            closed_date: c.closed_date.map(|d| d.to_string()).unwrap_or_default(),
            closing_mode: c
                .closing_mode
                .map(|m| m.name_zh().to_owned())
                .unwrap_or_default(),
        })
        .collect();
    let filters = filter_query(&[
        ("court", scope.court().map(str::to_owned)),
        ("division", division.clone()),
        ("judge", judge.clone()),
        ("status", Some(status.to_owned())),
        ("as_of", Some(as_of.to_string())),
        ("q", q.clone()),
        ("type_code", type_code.clone()),
        ("cause", cause.clone()),
    ]);
    let sort_query = format!(
        "sort={}&dir={}",
        sorting.key,
        if sorting.desc { "desc" } else { "asc" }
    );
    let crumbs = scope
        .court()
        .map(|c| breadcrumb(courts, &user_scope, c))
        .unwrap_or_default();
    let html = state.templates.render(
        "cases.html",
        context! {
            title => "案件列表",
            q => q,
            court => scope.court(),
            division => division,
            judge => judge,
            status => status,
            as_of => as_of.to_string(),
            type_code => type_code,
            cause => cause,
            type_codes => super::lists::type_code_options(),
            total => cases.len(),
            rows => rows,
            pager => pager,
            sorting => sorting,
            filters => filters,
            export => format!("/cases?{filters}&{sort_query}&format=xlsx"),
            crumbs => crumbs,
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "cases"))
        },
    )?;
    Ok(html.into_response())
}

/// The Chinese name of a time-limit rule.
pub fn rule_zh(rule: LimitRule) -> &'static str {
    match rule {
        LimitRule::CivilFirst => "民事一审",
        LimitRule::CivilSecond => "民事二审",
        LimitRule::CivilSpecial => "民事特别程序",
        LimitRule::CivilRetrialReview => "民事申请再审审查",
        LimitRule::CivilRetrial => "民事再审",
        LimitRule::CriminalFirst => "刑事一审",
        LimitRule::CriminalSecond => "刑事二审",
        LimitRule::CriminalRetrial => "刑事再审",
        LimitRule::AdminFirst => "行政一审",
        LimitRule::AdminSecond => "行政二审",
        LimitRule::AdminRetrial => "行政再审",
        LimitRule::Enforcement => "执行",
        LimitRule::PreLitigationMediation => "诉前调解",
        LimitRule::EnforcementObjection => "执行异议",
        LimitRule::EnforcementReconsideration => "执行复议",
    }
}

/// One line of the deadline's explanation.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Step {
    pub label: String,
    pub value: String,
    pub note: String,
}

fn step(label: &str, value: impl Into<String>, note: impl Into<String>) -> Step {
    Step {
        label: label.to_owned(),
        value: value.into(),
        note: note.into(),
    }
}

/// Why a date is a rest day: the notice's holiday name, or the weekend.
fn rest_day_name(calendar: &HolidayCalendar, date: NaiveDate) -> String {
    match calendar.special_day(date) {
        Some(day) if day.is_off_day => day.name.clone(),
        _ => "周末".to_owned(),
    }
}

fn rollover_note(calendar: &HolidayCalendar, unrolled: NaiveDate, rolled: NaiveDate) -> String {
    if unrolled == rolled {
        return format!("{unrolled} 为工作日，无需顺延");
    }
    let mut rest: Vec<String> = Vec::new();
    let mut day = unrolled;
    while day < rolled {
        rest.push(format!("{day}（{}）", rest_day_name(calendar, day)));
        day = add_days(day, 1);
    }
    format!("{} 为休息日，顺延至下一个工作日 {rolled}", rest.join("、"))
}

/// The deadline explained step by step, in the order the engine computes it
/// (docs/time-limits.md).
pub fn explain(deadline: &Deadline, filed: NaiveDate, calendar: &HolidayCalendar) -> Vec<Step> {
    let mut steps = Vec::new();
    steps.push(step(
        "审限规则",
        rule_zh(deadline.rule),
        deadline
            .procedure
            .map(|p| format!("适用{}", p.name_zh()))
            .unwrap_or_default(),
    ));
    steps.push(step(
        "起算日",
        deadline.start.to_string(),
        if deadline.start == filed {
            "立案之日，审限自次日起计算".to_owned()
        } else {
            "程序转换决定之日，审限自次日起重新计算".to_owned()
        },
    ));
    steps.push(step("基础审限", deadline.base.to_zh(), deadline.source));
    for ext in &deadline.extensions {
        steps.push(step(
            "延长审限",
            format!("+{}", ext.span.to_zh()),
            format!("{} 批准", ext.approved),
        ));
    }
    if deadline.extended() {
        steps.push(step(
            "合计审限",
            deadline.total.to_zh(),
            "基础审限加批准延长",
        ));
    }
    for (from, to) in &deadline.deductions {
        steps.push(step(
            "扣除期间",
            format!("{from} 至 {to}"),
            format!("{} 天", days_between(*from, *to) + 1),
        ));
    }
    steps.push(step(
        "扣除天数",
        format!("{} 天", deadline.deducted_days),
        if deadline.deductions.len() > 1 {
            "重叠或相接的期间已合并计算"
        } else {
            ""
        },
    ));
    steps.push(step(
        "顺延前届满日",
        deadline.unrolled.to_string(),
        format!(
            "{} 加 {}，再加扣除天数 {} 天",
            deadline.start,
            deadline.total.to_zh(),
            deadline.deducted_days
        ),
    ));
    steps.push(step(
        "节假日顺延",
        deadline.deadline.to_string(),
        rollover_note(calendar, deadline.unrolled, deadline.deadline),
    ));
    steps.push(step(
        "审限届满日",
        deadline.deadline.to_string(),
        if deadline.extended() {
            "含批准延长"
        } else {
            ""
        },
    ));
    steps.push(step(
        "正常审限届满日",
        deadline.normal_deadline.to_string(),
        format!(
            "不含延长：顺延前 {}；{}",
            deadline.normal_unrolled,
            rollover_note(calendar, deadline.normal_unrolled, deadline.normal_deadline)
        ),
    ));
    steps
}

#[derive(Debug, Serialize)]
struct TimelineEntry {
    date: String,
    kind: String,
    text: String,
}

fn event_text(e: &EventRecord) -> String {
    match e.kind {
        EventKind::Extension => format!(
            "批准延长审限 {}",
            tianping_domain::time_limit::LimitSpan::new(e.months.unwrap_or(0), e.days.unwrap_or(0))
                .to_zh()
        ),
        EventKind::Deduction => {
            let until = e
                .end_date
                .map_or_else(|| "（尚未结束）".to_owned(), |d| format!("至 {d}"));
            let reason = e
                .reason
                .as_deref()
                .map(|r| format!("，{r}"))
                .unwrap_or_default();
            format!("审限扣除自 {} {until}{reason}", e.date)
        }
        EventKind::ProcedureChange => format!(
            "转换程序{}",
            e.reason
                .as_deref()
                .map(|r| format!("为{r}"))
                .unwrap_or_default()
        ),
        EventKind::Appeal => "当事人上诉".to_owned(),
        EventKind::RetrialApplication => "当事人申请再审".to_owned(),
    }
}

fn timeline(case: &CaseRecord, events: &[EventRecord]) -> Vec<TimelineEntry> {
    let mut entries: Vec<(NaiveDate, u8, TimelineEntry)> = Vec::new();
    if let Some(received) = case.received_date {
        entries.push((
            received,
            0,
            TimelineEntry {
                date: received.to_string(),
                kind: "收案".into(),
                text: "收到起诉（申请）材料".into(),
            },
        ));
    }
    entries.push((
        case.filed_date,
        1,
        TimelineEntry {
            date: case.filed_date.to_string(),
            kind: "立案".into(),
            text: "立案受理".into(),
        },
    ));
    for e in events {
        entries.push((
            e.date,
            2,
            TimelineEntry {
                date: e.date.to_string(),
                kind: e.kind.name_zh().into(),
                text: event_text(e),
            },
        ));
    }
    if let Some(closed) = case.closed_date {
        entries.push((
            closed,
            3,
            TimelineEntry {
                date: closed.to_string(),
                kind: "结案".into(),
                text: case
                    .closing_mode
                    .map(|m| format!("以{}方式结案", m.name_zh()))
                    .unwrap_or_else(|| "结案".into()),
            },
        ));
    }
    entries.sort_by_key(|(d, order, _)| (*d, *order));
    entries.into_iter().map(|(_, _, e)| e).collect()
}

#[derive(Debug, Deserialize, Default)]
pub struct DetailParams {
    as_of: Option<String>,
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    Query(p): Query<DetailParams>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let scope = authorize(&user.user, None, courts)?;
    let view = data.scoped(&scope);
    let (case, events, row) = view.case(&number)?;
    let (case, events) = (&case, events.as_slice());
    let as_of = reference_date(&data, p.as_of.as_deref())?;
    let timing = view.timing(row, as_of);
    let calendar = data.calendar();
    let (limit, summary, status_class) = match &timing {
        Timing::NotYetFiled => (None, format!("截至 {as_of} 尚未立案"), "ok"),
        Timing::Pending {
            limit,
            status,
            days_remaining,
            age_days,
            ..
        } => {
            let text = match days_remaining {
                Some(d) if *d < 0 => format!("未结，超审限 {} 天（案龄 {age_days} 天）", -d),
                Some(d) => format!(
                    "未结，距审限届满 {d} 天，{}（案龄 {age_days} 天）",
                    status.name_zh()
                ),
                None => format!("未结，不计审限（案龄 {age_days} 天）"),
            };
            (Some(limit), text, status.id())
        }
        Timing::Closed {
            limit,
            closed,
            within_limit,
            net_duration_days,
            ..
        } => {
            let text = match within_limit {
                Some(true) => format!("{closed} 结案，在审限内；净审理天数 {net_duration_days} 天"),
                Some(false) => {
                    format!("{closed} 结案，超出审限；净审理天数 {net_duration_days} 天")
                }
                None => format!("{closed} 结案，不计审限；净审理天数 {net_duration_days} 天"),
            };
            let class = if *within_limit == Some(false) {
                "overdue"
            } else {
                "ok"
            };
            (Some(limit), text, class)
        }
    };
    let (steps, no_limit, calendar_known) = match limit {
        Some(Limit::Some(deadline)) => (
            explain(deadline, case.filed_date, calendar),
            None,
            deadline.calendar_known,
        ),
        Some(Limit::None(NoLimitReason::ForeignRelated)) => (
            Vec::new(),
            Some("涉外民事案件，不受审限限制（民事诉讼法第287条）".to_owned()),
            true,
        ),
        Some(Limit::None(NoLimitReason::NoRule)) => (
            Vec::new(),
            Some(if case.type_code.is_none() {
                "无类型代字，不计审限".to_owned()
            } else {
                "该类案件无法定审限".to_owned()
            }),
            true,
        ),
        None => (Vec::new(), None, true),
    };
    let fields: Vec<(&str, String)> = vec![
        ("案号", case.case_number.clone()),
        ("法院", courts.name_of(&case.court_code).to_owned()),
        (
            "类型代字",
            case.type_code
                .map(|t| format!("{}（{}）", t.as_str(), t.info().meaning_zh))
                .or_else(|| case.type_name.clone())
                .unwrap_or_default(),
        ),
        (
            "适用程序",
            case.procedure
                .map(|p| p.name_zh().to_owned())
                .unwrap_or_default(),
        ),
        ("案由", case.cause.clone().unwrap_or_default()),
        ("承办部门", case.division.clone().unwrap_or_default()),
        ("承办人", case.judge.clone().unwrap_or_default()),
        (
            "收案日期",
            case.received_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        ("立案日期", case.filed_date.to_string()),
        (
            "结案日期",
            case.closed_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "结案方式",
            case.closing_mode
                .map(|m| m.name_zh().to_owned())
                .or_else(|| case.disposal.clone())
                .unwrap_or_default(),
        ),
        (
            "标的金额（元）",
            case.claim_amount
                .map(|m| crate::templates::money_text(m.yuan()))
                .unwrap_or_default(),
        ),
        (
            "执行到位金额（元）",
            case.recovered_amount
                .map(|m| crate::templates::money_text(m.yuan()))
                .unwrap_or_default(),
        ),
        (
            "原审案号",
            case.origin_case_number.clone().unwrap_or_default(),
        ),
        (
            "涉外",
            if case.foreign_related { "是" } else { "" }.to_owned(),
        ),
    ];
    let fields: Vec<_> = fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| context! { label => k, value => v })
        .collect();
    let origin_href = case
        .origin_case_number
        .as_deref()
        .map(|o| format!("/cases/{}", seg(o)));
    let user_scope = authorize(&user.user, None, courts)?;
    let crumbs = breadcrumb(courts, &user_scope, &case.court_code);
    // The case's court-fee refunds (workflows.md §4.6): whoever reads the case reads them.
    let refund_book = state.refund_book().await?;
    let refunds: Vec<serde_json::Value> = refund_book
        .refunds
        .iter()
        .filter(|r| r.case_number == case.case_number)
        .map(|r| {
            let due = tianping_workflow::refunds::due_rows(
                r,
                as_of,
                &state.calendar,
                &refund_book.settings,
            );
            serde_json::json!({
                "id": r.refund_id, "href": format!("/refunds/{}", seg(&r.refund_id)),
                "payer": r.payer, "reason": r.reason, "amount": r.amount.to_string(),
                "outstanding": r.outstanding_at(as_of).to_string(),
                "effective": r.effective_date,
                "state": tianping_workflow::refunds::state_at(r, as_of).name_zh(),
                "deadline": due.first().map(|d| d.deadline.to_string()).unwrap_or_default(),
                "left": due.first().map(|d| d.reason.clone()).unwrap_or_default(),
            })
        })
        .collect();
    state.templates.render(
        "case.html",
        context! {
            title => case.case_number.clone(),
            case_number => case.case_number.clone(),
            court_code => case.court_code.clone(),
            fields => fields,
            timeline => timeline(case, events),
            as_of => as_of.to_string(),
            summary => summary,
            status_class => status_class,
            steps => steps,
            no_limit => no_limit,
            calendar_known => calendar_known,
            origin_href => origin_href,
            judge_href => case.judge.as_deref().map(|j| format!("/courts/{}/judges/{}", seg(&case.court_code), seg(j))),
            crumbs => crumbs,
            refunds => refunds,
            ..minijinja::Value::from_serialize(base(&user, courts, "cases"))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tianping_domain::time_limit::{
        CaseFacts, Deduction, Extension, LimitSettings, LimitSpan, compute_deadline,
    };

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    #[test]
    fn the_explanation_walks_through_every_step_to_the_rolled_deadline() {
        // 民事一审普通程序, filed 2023-03-31: six months → 2023-09-30; +3 months extension →
        // 2023-12-31 (add_months keeps the day, clamped: 2023-12-31); deductions 06-01..06-10
        // and 06-05..06-20 merge into 06-01..06-20 = 20 days → 2024-01-20, a Saturday → rolled
        // to Monday 2024-01-22.
        let mut facts = CaseFacts::new(Some(LimitRule::CivilFirst), d("2023-03-31"));
        facts.extensions.push(Extension {
            approved: d("2023-09-01"),
            span: LimitSpan::months(3),
        });
        facts.deductions.push(Deduction {
            start: d("2023-06-01"),
            end: Some(d("2023-06-10")),
        });
        facts.deductions.push(Deduction {
            start: d("2023-06-05"),
            end: Some(d("2023-06-20")),
        });
        let calendar = HolidayCalendar::builtin();
        let Limit::Some(deadline) = compute_deadline(
            &facts,
            d("2023-12-01"),
            &calendar,
            &LimitSettings::default(),
        ) else {
            panic!("civil first instance has a limit");
        };
        let steps = explain(&deadline, d("2023-03-31"), &calendar);
        let find = |label: &str| steps.iter().find(|s| s.label == label).unwrap();
        assert_eq!(find("基础审限").value, "6个月");
        assert_eq!(find("基础审限").note, "民事诉讼法第152条");
        assert_eq!(find("延长审限").value, "+3个月");
        assert_eq!(find("合计审限").value, "9个月");
        assert_eq!(find("扣除期间").value, "2023-06-01 至 2023-06-20");
        assert_eq!(find("扣除天数").value, "20 天");
        assert_eq!(find("顺延前届满日").value, "2024-01-20");
        assert_eq!(find("审限届满日").value, "2024-01-22");
        assert_eq!(
            find("节假日顺延").note,
            "2024-01-20（周末）、2024-01-21（周末） 为休息日，顺延至下一个工作日 2024-01-22"
        );
    }

    #[test]
    fn a_deadline_on_a_working_day_does_not_roll() {
        let calendar = HolidayCalendar::builtin();
        // 2023-09-15 is a Friday.
        assert_eq!(
            rollover_note(&calendar, d("2023-09-15"), d("2023-09-15")),
            "2023-09-15 为工作日，无需顺延"
        );
        // 2023-10-01 is National Day: the notice names it.
        assert!(rest_day_name(&calendar, d("2023-10-02")).contains("国庆"));
    }
}
