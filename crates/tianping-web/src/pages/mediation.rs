//! The mediation pages (`workflows.md` §1.7): `/mediation` (the list with its filters and the
//! Excel export; for a mediator 我的调解), `/mediation/{id}` (fields, events, the deadline step
//! by step, the actions the user may take), `/mediation/indicators` (the table by court,
//! organisation, mediator or kind, a monthly chart, 同比/环比) and `/mediators` (the roster with
//! each mediator's record). The data and the rules are the API's (`crate::mediation`).

use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use minijinja::context;
use serde::Serialize;
use tianping_report::charts::{MonthFlow, monthly_flow_chart};
use tianping_workflow::core::duties::Duty;
use tianping_workflow::mediation::indicators::KindFilter;
use tianping_workflow::mediation::limits::{due_rows, mediation_deadline, mediation_limit};
use tianping_workflow::mediation::{Mediation, State as MediationState, state_at};

use super::courts::seg;
use super::table::{Cell, TableQuery, workbook, xlsx_response};
use super::{base, court_options};
use crate::api::Params;
use crate::auth::{CurrentUser, check_csrf};
use crate::mediation::{ActionBody, Book, Standing, actor_of, perform, visible};
use crate::scope::authorize;
use crate::{AppState, WebError};

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    href: String,
    court: String,
    kind: &'static str,
    registered: String,
    mediator: String,
    state: &'static str,
    state_zh: &'static str,
    deadline: String,
    days_left: Option<i64>,
    overdue: bool,
    due: String,
}

const STATES: [(&str, &str); 9] = [
    ("", "全部"),
    ("registered", "已登记"),
    ("referred", "已委派"),
    ("mediating", "调解中"),
    ("succeeded", "调解成功"),
    ("withdrawn", "撤回"),
    ("failed", "调解不成"),
    ("returned", "退回"),
    ("overdue", "超期"),
];

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, params.get("court"), &*data)?;
    let actor = actor_of(&state, &user).await?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let wanted = params.get("state").unwrap_or("");
    if !STATES.iter().any(|(id, _)| *id == wanted) {
        return Err(WebError::BadRequest(format!(
            "状态“{wanted}”不是可选的状态"
        )));
    }
    let kind = match params.get("kind") {
        None => KindFilter::All,
        Some(t) => KindFilter::parse(t).ok_or_else(|| {
            WebError::BadRequest(format!("类型“{t}”应为 委派、申请、委托 或 pre"))
        })?,
    };
    let mine = actor.has(Duty::Mediator) && !actor.has(Duty::MediationClerk);
    let book = state.mediation_book().await?;
    let standings = book.standings(&data, as_of, &state.calendar);
    let org = params.get("org");
    let mediator = params.get("mediator");
    // The candidates: a mediator's own, else those of the scope's courts, in the list's order
    // (gathered from the standings' indexes, not by looking at every mediation); then the
    // filters, on what each standing holds.
    use std::borrow::Cow;
    let candidates: Cow<'_, [u32]> = if mine {
        Cow::Borrowed(
            actor
                .mediator_id
                .as_ref()
                .and_then(|id| standings.by_mediator.get(id))
                .map_or(&[][..], Vec::as_slice),
        )
    } else if !wanted.is_empty() && scope.court().is_none() {
        // Every court, one state: that state's positions.
        Cow::Borrowed(
            standings
                .by_state
                .get(wanted)
                .map_or(&[][..], Vec::as_slice),
        )
    } else if scope.court().is_none() {
        Cow::Borrowed(&standings.all)
    } else {
        Cow::Owned(standings.of_scope(courts, scope.court()))
    };
    let sees_all = actor.admin || actor.has(Duty::MediationClerk);
    let unfiltered = !mine
        && sees_all
        && wanted.is_empty()
        && kind == KindFilter::All
        && org.is_none()
        && mediator.is_none();
    let (chosen, overdue_count): (Cow<'_, [u32]>, usize) = if unfiltered {
        // The whole scope: its count of overdue items is kept per court.
        let overdue = standings.overdue_in(courts, scope.court());
        (candidates, overdue)
    } else {
        let chosen: Vec<u32> = candidates
            .iter()
            .copied()
            .filter(|&p| {
                let s = &standings.list[p as usize];
                if !(kind.admits(s.kind)
                    && match wanted {
                        "" => true,
                        "overdue" => s.overdue,
                        w => w == s.state.id(),
                    })
                {
                    return false;
                }
                if org.is_none() && mediator.is_none() && sees_all {
                    return true;
                }
                let m = &book.mediations[s.index];
                org.is_none_or(|o| m.org_id.as_deref() == Some(o))
                    && mediator.is_none_or(|o| m.mediator_id.as_deref() == Some(o))
                    && (sees_all || visible(m, &actor, &scope, &data))
            })
            .collect();
        let overdue = chosen
            .iter()
            .filter(|&&p| standings.list[p as usize].overdue)
            .count();
        (Cow::Owned(chosen), overdue)
    };
    let row_of = |s: &Standing| {
        let m = &book.mediations[s.index];
        Row {
            id: m.mediation_id.clone(),
            href: format!("/mediation/{}", seg(&m.mediation_id)),
            court: courts.name_of(&m.court_code).to_owned(),
            kind: m.kind.name_zh(),
            registered: m.registered_date.to_string(),
            mediator: m
                .mediator_id
                .as_deref()
                .map(|id| {
                    book.mediator_names
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| id.to_owned())
                })
                .unwrap_or_default(),
            state: s.state.id(),
            state_zh: s.state.name_zh(),
            deadline: s.deadline.map(|d| d.to_string()).unwrap_or_default(),
            days_left: s.days_left,
            overdue: s.overdue,
            due: s.due.clone(),
        }
    };
    let table = TableQuery {
        page: params.get("page").map(str::to_owned),
        per_page: params.get("per_page").map(str::to_owned),
        format: params.get("format").map(str::to_owned),
        ..TableQuery::default()
    };
    if table.wants_xlsx()? {
        let columns = [
            ("调解编号", 30.0),
            ("法院", 24.0),
            ("类型", 8.0),
            ("登记日期", 12.0),
            ("调解员", 10.0),
            ("状态", 10.0),
            ("届满日", 12.0),
            ("剩余天数", 10.0),
            ("说明", 30.0),
        ];
        let cells: Vec<Vec<Cell>> = chosen
            .iter()
            .map(|&p| row_of(&standings.list[p as usize]))
            .map(|r| {
                vec![
                    Cell::text(&r.id),
                    Cell::text(&r.court),
                    Cell::text(r.kind),
                    Cell::text(&r.registered),
                    Cell::text(&r.mediator),
                    Cell::text(r.state_zh),
                    Cell::text(&r.deadline),
                    Cell::opt_number(r.days_left.map(|d| d as f64)),
                    Cell::text(&r.due),
                ]
            })
            .collect();
        let bytes = workbook("调解案件", &columns, &cells)?;
        state
            .audit(
                user.username(),
                "export",
                format!("导出调解案件 XLSX：{} 行", cells.len()),
            )
            .await?;
        return Ok(xlsx_response(bytes, "mediation.xlsx", "调解案件.xlsx"));
    }
    let pager = table.pager(chosen.len())?;
    let shown: Vec<Row> = pager
        .slice(&chosen)
        .iter()
        .map(|&p| row_of(&standings.list[p as usize]))
        .collect();
    let filters = serde_urlencoded::to_string(
        [
            ("court", params.get("court")),
            ("state", params.get("state")),
            ("kind", params.get("kind")),
            ("as_of", params.get("as_of")),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let can_register = actor.has(Duty::MediationClerk);
    state
        .templates
        .render(
            "mediation_list.html",
            context! {
                title => if mine { "我的调解" } else { "诉前调解" },
                mine => mine,
                can_register => can_register,
                today => state.today().to_string(),
                rows => shown,
                total => chosen.len(),
                overdue => overdue_count,
                pager => pager,
                court => scope.court(),
                state_filter => wanted,
                kind => params.get("kind"),
                as_of => as_of.to_string(),
                states => STATES.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
                export => format!("/mediation?{filters}&format=xlsx"),
                filters => filters,
                court_options => court_options(&data, &user_scope),
                ..minijinja::Value::from_serialize(base(&user, courts, "mediation"))
            },
        )
        .map(IntoResponse::into_response)
}

#[derive(Debug, Serialize)]
struct Field {
    label: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct Step {
    label: String,
    value: String,
    note: String,
}

/// The actions the page offers in each state (the rules decide on submission).
fn actions_for(state: MediationState) -> Vec<(&'static str, &'static str)> {
    match state {
        MediationState::Registered => vec![("assign", "委派"), ("return", "退回")],
        MediationState::Referred => vec![("accept", "接受"), ("decline", "不予接受")],
        MediationState::Mediating => vec![
            ("extend", "延长"),
            ("appraisal_start", "开始鉴定评估"),
            ("appraisal_end", "结束鉴定评估"),
            ("change_mediator", "更换调解员"),
            ("conclude", "结束调解"),
        ],
        MediationState::Succeeded | MediationState::Withdrawn | MediationState::Failed => {
            vec![("link", "关联案件"), ("reopen", "重新打开")]
        }
        MediationState::Returned => vec![("reopen", "重新打开")],
    }
}

fn fields_of(m: &Mediation, book: &Book, courts: &tianping_domain::CourtTable) -> Vec<Field> {
    let name = |map: &std::collections::HashMap<String, String>, id: &Option<String>| {
        id.as_deref()
            .map(|i| {
                map.get(i)
                    .map_or_else(|| i.to_owned(), |n| format!("{n}（{i}）"))
            })
            .unwrap_or_default()
    };
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        Field {
            label: "法院",
            value: courts.name_of(&m.court_code).to_owned(),
        },
        Field {
            label: "调解类型",
            value: m.kind.name_zh().to_owned(),
        },
        Field {
            label: "案号",
            value: m.case_number.clone().unwrap_or_default(),
        },
        Field {
            label: "案由",
            value: m.cause.clone().unwrap_or_default(),
        },
        Field {
            label: "标的金额（元）",
            value: m
                .claim_amount
                .map(|f| format!("{:.2}", f as f64 / 100.0))
                .unwrap_or_default(),
        },
        Field {
            label: "登记日期",
            value: m.registered_date.to_string(),
        },
        Field {
            label: "委派日期",
            value: date(m.referred_date),
        },
        Field {
            label: "调解组织",
            value: name(&book.org_names, &m.org_id),
        },
        Field {
            label: "调解员",
            value: name(&book.mediator_names, &m.mediator_id),
        },
        Field {
            label: "接受日期",
            value: date(m.accepted_date),
        },
        Field {
            label: "调解结果",
            value: m
                .outcome
                .map(|o| o.name_zh().to_owned())
                .unwrap_or_default(),
        },
        Field {
            label: "结束日期",
            value: date(m.concluded_date),
        },
        Field {
            label: "调解不成原因",
            value: m.failure_reason.clone().unwrap_or_default(),
        },
        Field {
            label: "司法确认案号",
            value: m.confirmation_case_number.clone().unwrap_or_default(),
        },
        Field {
            label: "立案案号",
            value: m.filed_case_number.clone().unwrap_or_default(),
        },
    ]
    .into_iter()
    .filter(|f| !f.value.is_empty())
    .collect()
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let courts = data.courts();
    let scope = authorize(&user.user, None, &*data)?;
    let actor = actor_of(&state, &user).await?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let book = state.mediation_book().await?;
    let m = book
        .mediations
        .iter()
        .find(|m| m.mediation_id == id && visible(m, &actor, &scope, &data))
        .ok_or_else(|| WebError::NotFound(format!("没有调解 {id}，或不在本账号的范围内")))?;
    let events = book.events_of(&m.mediation_id);
    let st = state_at(m, events, as_of);
    let view = data.scoped(&scope);
    let filed = |n: &str| view.record_of(n).map(|c| c.filed_date);
    let due = due_rows(m, events, as_of, &state.calendar, &book.settings, &filed);
    // The mediation period step by step.
    let cutoff = m.concluded_date.filter(|d| *d <= as_of).unwrap_or(as_of);
    let mut steps = Vec::new();
    if let Some(d) = mediation_deadline(m, events, cutoff, &state.calendar, &book.settings) {
        let (days, rule, source) = mediation_limit(m);
        steps.push(Step {
            label: "起算".into(),
            value: d.start_date.to_string(),
            note: "接受（签字接收）之日，次日起算".into(),
        });
        steps.push(Step {
            label: "期限".into(),
            value: format!("{days}日"),
            note: format!("{rule}（{source}）"),
        });
        if d.excluded_days > 0 {
            steps.push(Step {
                label: "鉴定评估不计入".into(),
                value: format!("{}日", d.excluded_days),
                note: d
                    .excluded
                    .iter()
                    .map(|(s, e)| format!("{s} 至 {e}"))
                    .collect::<Vec<_>>()
                    .join("；"),
            });
        }
        steps.push(Step {
            label: "正常届满日".into(),
            value: d.normal_deadline.to_string(),
            note: String::new(),
        });
        if d.extension_days > 0 {
            steps.push(Step {
                label: "延长".into(),
                value: format!("{}日", d.extension_days),
                note: "各方当事人同意延长".into(),
            });
        }
        if d.before_roll_over != d.deadline {
            steps.push(Step {
                label: "顺延".into(),
                value: format!("{} → {}", d.before_roll_over, d.deadline),
                note: "届满日为休息日，顺延至下一个工作日（民事诉讼法第八十五条）".into(),
            });
        }
        steps.push(Step {
            label: "届满日".into(),
            value: d.deadline.to_string(),
            note: match m.concluded_date.filter(|c| *c <= as_of) {
                Some(c) if c <= d.deadline => format!("{c} 结束，期限内办结"),
                Some(c) => format!("{c} 结束，超期办结"),
                None => String::new(),
            },
        });
    }
    let history = state.store.workflow_history("mediation", &id).await?;
    let history: Vec<minijinja::Value> = history
        .iter()
        .map(|h| {
            context! {
                at => h.at,
                actor => h.actor,
                action => tianping_workflow::mediation::actions::action_zh(&h.action),
            }
        })
        .collect();
    let may_act = actor.admin
        || actor.has(Duty::MediationClerk)
        || (actor.has(Duty::Mediator) && actor.mediator_id == m.mediator_id)
        || actor.judge.is_some();
    state.templates.render(
        "mediation.html",
        context! {
            title => format!("调解 {}", m.mediation_id),
            id => m.mediation_id,
            state => st.id(),
            state_zh => st.name_zh(),
            as_of => as_of.to_string(),
            fields => fields_of(m, &book, courts),
            events => events.iter().map(|e| context! {
                date => e.date.to_string(),
                end_date => e.end_date.map(|d| d.to_string()),
                kind => match e.kind {
                    tianping_workflow::mediation::model::EventKind::Extension => "延长",
                    tianping_workflow::mediation::model::EventKind::Appraisal => "鉴定评估",
                    tianping_workflow::mediation::model::EventKind::NotAccepted => "不予接受",
                    tianping_workflow::mediation::model::EventKind::MediatorChange => "更换调解员",
                },
                days => e.days,
                reason => e.reason,
            }).collect::<Vec<_>>(),
            due => due.iter().map(|r| context! {
                rule => r.rule, deadline => r.deadline.to_string(), reason => r.reason,
                status => r.status.id(), source => r.source,
            }).collect::<Vec<_>>(),
            steps => steps,
            history => history,
            actions => if may_act { actions_for(st) } else { Vec::new() }
                .into_iter().map(|(id, zh)| context! { id => id, zh => zh }).collect::<Vec<_>>(),
            today => state.today().to_string(),
            case_href => m.case_number.as_deref().map(|n| format!("/cases/{}", seg(n))),
            ..minijinja::Value::from_serialize(base(&user, courts, "mediation"))
        },
    )
}

/// The form of an action on the page.
#[derive(Debug, serde::Deserialize)]
pub struct ActionForm {
    csrf: String,
    action: String,
    date: Option<String>,
    note: Option<String>,
    org_id: Option<String>,
    mediator_id: Option<String>,
    reason: Option<String>,
    days: Option<String>,
    outcome: Option<String>,
    agreement_path: Option<String>,
    failure_reason: Option<String>,
    performed: Option<String>,
    filed: Option<String>,
    confirmation: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    check_csrf(&user.session, Some(&form.csrf)).await?;
    let blank = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let days = match blank(&form.days) {
        None => None,
        Some(t) => Some(t.trim().parse::<u32>().map_err(|_| WebError::Invalid {
            field: "days".into(),
            message: format!("天数“{t}”应为正整数"),
        })?),
    };
    let body = ActionBody {
        action: form.action.clone(),
        date: blank(&form.date),
        note: blank(&form.note),
        org_id: blank(&form.org_id),
        mediator_id: blank(&form.mediator_id),
        reason: blank(&form.reason),
        days,
        outcome: blank(&form.outcome),
        agreement_path: blank(&form.agreement_path),
        failure_reason: blank(&form.failure_reason),
        performed: form.performed.is_some(),
        confirmation: blank(&form.confirmation),
        document: None,
        filed: blank(&form.filed),
    };
    perform(&state, &user, &id, &body).await?;
    Ok(super::see_other(&format!("/mediation/{}", seg(&id))))
}

pub async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let mut params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, params.get("court"), &*data)?;
    let actor = actor_of(&state, &user).await?;
    let reference = state.today();
    // Default: this year to date, by court, 同比.
    let period = params
        .get("period")
        .map(str::to_owned)
        .unwrap_or_else(|| reference.year().to_string());
    let by = params.get("by").unwrap_or("court").to_owned();
    let compare = params.get("compare").unwrap_or("yoy").to_owned();
    let parsed = tianping_domain::period::Period::parse(&period)
        .map_err(|_| WebError::BadRequest(format!("统计期间“{period}”无法识别")))?;
    let to = parsed.last_day().min(reference.max(parsed.first_day()));
    let mut query: Vec<(String, String)> = vec![
        ("from".into(), parsed.first_day().to_string()),
        ("to".into(), to.to_string()),
        ("by".into(), by.clone()),
        ("compare".into(), compare.clone()),
    ];
    if let Some(k) = params.get("kind") {
        query.push(("kind".into(), k.to_owned()));
    }
    params = Params::parse(Some(
        &serde_urlencoded::to_string(&query).unwrap_or_default(),
    ))?;
    let book = state.mediation_book().await?;
    let doc = crate::mediation::indicators_for(&params, &state, &scope, &actor, &data, &book)?;
    // Monthly registered / succeeded of the period.
    let mut monthly_params = query.clone();
    monthly_params.retain(|(k, _)| k != "by" && k != "compare");
    monthly_params.push(("by".into(), "month".into()));
    let monthly = crate::mediation::indicators_for(
        &Params::parse(Some(
            &serde_urlencoded::to_string(&monthly_params).unwrap_or_default(),
        ))?,
        &state,
        &scope,
        &actor,
        &data,
        &book,
    )?;
    let months: Vec<MonthFlow> = monthly["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| MonthFlow {
                    label: format!(
                        "{}月",
                        r["key"]
                            .as_str()
                            .unwrap_or("")
                            .get(5..)
                            .unwrap_or("")
                            .trim_start_matches('0')
                    ),
                    filed: r["indicators"]["registered"].as_u64().unwrap_or(0),
                    closed: r["indicators"]["succeeded"].as_u64().unwrap_or(0),
                })
                .collect()
        })
        .unwrap_or_default();
    let chart = monthly_flow_chart(&format!("{}各月登记与调解成功", parsed.to_zh()), &months)
        .replace(">新收<", ">登记<")
        .replace(">已结<", ">调解成功<");
    state.templates.render(
        "mediation_indicators.html",
        context! {
            title => "调解指标",
            doc => doc,
            period => period,
            period_zh => parsed.to_zh(),
            by => by,
            compare => compare,
            court => scope.court(),
            chart => chart,
            periods => super::reports::bulletin_periods(reference),
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "mediation"))
        },
    )
}

pub async fn roster(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let scope = authorize(&user.user, None, courts)?;
    let actor = actor_of(&state, &user).await?;
    let book = state.mediation_book().await?;
    let orgs = state.store.mediation_orgs().await?;
    let mediators = state.store.mediators().await?;
    let year_start =
        chrono::NaiveDate::from_ymd_opt(state.today().year(), 1, 1).unwrap_or(state.today());
    let today = state.today();
    // Each mediator's record (业绩档案, 特邀调解规定 art. 10) this year: received, concluded,
    // succeeded, declined — counted in one pass over the mediations and one over the events.
    let this_year = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| d >= year_start && d <= today);
    #[derive(Default)]
    struct Record {
        received: usize,
        concluded: usize,
        succeeded: usize,
        declined: usize,
    }
    let mut records: std::collections::HashMap<&str, Record> = std::collections::HashMap::new();
    for m in &book.mediations {
        let Some(id) = m.mediator_id.as_deref() else {
            continue;
        };
        if !visible(m, &actor, &scope, &data) {
            continue;
        }
        let r = records.entry(id).or_default();
        r.received += usize::from(this_year(m.referred_date));
        if m.outcome.is_some_and(|o| o.is_concluded()) && this_year(m.concluded_date) {
            r.concluded += 1;
            r.succeeded +=
                usize::from(m.outcome == Some(tianping_workflow::mediation::Outcome::Succeeded));
        }
    }
    for e in book.events.values().flatten() {
        if e.kind == tianping_workflow::mediation::model::EventKind::NotAccepted
            && this_year(Some(e.date))
            && let Some(id) = e.mediator_id.as_deref()
        {
            records.entry(id).or_default().declined += 1;
        }
    }
    let none = Record::default();
    let rows: Vec<minijinja::Value> = mediators
        .iter()
        .filter(|m| scope.contains_court(courts, &m.court_code))
        .map(|md| {
            let r = records.get(md.mediator_id.as_str()).unwrap_or(&none);
            context! {
                id => md.mediator_id,
                name => md.name,
                org => md.org_id.as_deref().and_then(|o| book.org_names.get(o)).cloned().unwrap_or_else(|| "个人".to_owned()),
                court => courts.name_of(&md.court_code),
                background => md.background,
                resident => md.resident,
                status => md.status,
                received => r.received,
                concluded => r.concluded,
                succeeded => r.succeeded,
                rate => (r.concluded > 0).then(|| format!("{:.2}%", r.succeeded as f64 * 100.0 / r.concluded as f64)),
                declined => r.declined,
                href => format!("/mediation?mediator={}", seg(&md.mediator_id)),
            }
        })
        .collect();
    let orgs: Vec<minijinja::Value> = orgs
        .iter()
        .filter(|o| scope.contains_court(courts, &o.court_code))
        .map(|o| context! { id => o.org_id, name => o.name, kind => o.kind, court => courts.name_of(&o.court_code), status => o.status })
        .collect();
    state.templates.render(
        "mediators.html",
        context! {
            title => "调解员名册",
            year => state.today().year(),
            mediators => rows,
            orgs => orgs,
            ..minijinja::Value::from_serialize(base(&user, courts, "mediators"))
        },
    )
}

/// The registration form of the list page (登记调解).
#[derive(Debug, serde::Deserialize)]
pub struct RegisterForm {
    csrf: String,
    mediation_id: Option<String>,
    court_code: Option<String>,
    kind: String,
    case_number: Option<String>,
    cause: Option<String>,
    claim_amount: Option<String>,
    registered_date: Option<String>,
}

pub async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<RegisterForm>,
) -> Result<Response, WebError> {
    check_csrf(&user.session, Some(&form.csrf)).await?;
    let body = crate::mediation::CreateBody {
        mediation_id: form.mediation_id,
        court_code: form.court_code,
        kind: form.kind,
        case_number: form.case_number,
        procedure: None,
        cause: form.cause,
        claim_amount: form.claim_amount,
        registered_date: form.registered_date,
    };
    let m = crate::mediation::register(&state, &user, &body).await?;
    Ok(super::see_other(&format!(
        "/mediation/{}",
        seg(&m.mediation_id)
    )))
}
