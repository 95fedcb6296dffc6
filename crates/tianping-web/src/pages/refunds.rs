//! The court-fee refund pages (`workflows.md` §4.6): `/refunds` (the finance office's form for a
//! refund owed, and the refunds with their days left, overdue in red) and `/refunds/{id}` (the
//! record, its 15-day deadline step by step, the actions), `/refunds/indicators` (退费及时率 by
//! court, month, reason, division or judge, with 同比). The data and the rules are the API's
//! (`crate::refunds`).

use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{Html, Response};
use minijinja::context;
use serde_json::{Map, Value, json};
use tianping_workflow::core::duties::Duty;
use tianping_workflow::core::status::ItemStatus;
use tianping_workflow::refunds::model::{DOCUMENTS, FEE_KINDS, REASONS};

use super::courts::seg;
use super::{base, court_options};
use crate::api::Params;
use crate::auth::{CurrentUser, check_csrf};
use crate::mediation::actor_of;
use crate::refunds::{ActionBody, indicators_for, listed, perform, register, show_value};
use crate::scope::authorize;
use crate::{AppState, WebError};

const STATES: [(&str, &str); 5] = [
    ("", "全部"),
    ("owed", "待退费"),
    ("overdue", "逾期未退"),
    ("refunded", "已退费"),
    ("waived", "免退"),
];

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(
        &user.user,
        params.get("court").filter(|c| !c.is_empty()),
        &*data,
    )?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let book = state.refund_book().await?;
    let rows = listed(&book, &params, &actor, &scope, &data, as_of, &state)?;
    // The most recent first, a page at a time.
    let pager = super::table::TableQuery {
        page: params.get("page").map(str::to_owned),
        // 100 rows a page, the most recent first: the list is looked at, not read through.
        per_page: Some(params.get("per_page").unwrap_or("100").to_owned()),
        ..super::table::TableQuery::default()
    }
    .pager(rows.len())?;
    let filters = serde_urlencoded::to_string(
        [
            ("court", params.get("court")),
            ("status", params.get("status")),
            ("reason", params.get("reason")),
            ("case", params.get("case")),
            ("as_of", params.get("as_of")),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let shown: Vec<Value> = rows
        .iter()
        .rev()
        .skip((pager.page - 1) * pager.per_page)
        .take(pager.per_page)
        .map(|(r, st)| {
            let due =
                tianping_workflow::refunds::due_rows(r, as_of, &state.calendar, &book.settings);
            let first = due.first();
            json!({
                "id": r.refund_id, "href": format!("/refunds/{}", seg(&r.refund_id)),
                "court": courts.name_of(&r.court_code), "case": r.case_number,
                "case_href": format!("/cases/{}", seg(&r.case_number)),
                "payer": r.payer, "reason": r.reason, "amount": r.amount.to_string(),
                "outstanding": r.outstanding_at(as_of).to_string(),
                "effective": r.effective_date, "refunded": r.refunded_date,
                "state": st.id(), "state_zh": st.name_zh(),
                "deadline": first.map(|d| d.deadline.to_string()).unwrap_or_default(),
                "left": first.map(|d| d.reason.clone()).unwrap_or_default(),
                "overdue": due.iter().any(|d| d.status == ItemStatus::Overdue),
            })
        })
        .collect();
    state.templates.render(
        "refunds.html",
        context! {
            title => "诉讼费退费",
            rows => shown,
            total => rows.len(),
            pager => pager,
            filters => filters,
            as_of => as_of.to_string(),
            today => state.today().to_string(),
            state_filter => params.get("status").unwrap_or(""),
            states => STATES.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
            reason => params.get("reason").unwrap_or(""),
            reasons => REASONS.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
            fee_kinds => FEE_KINDS,
            documents => DOCUMENTS,
            court => scope.court(),
            court_options => court_options(&data, &user_scope),
            can_record => actor.has(Duty::Finance),
            ..minijinja::Value::from_serialize(base(&user, courts, "refunds"))
        },
    )
}

/// The form of a refund owed: the fee-refunds file's columns by their English names.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    check_csrf(&user.session, Some(&csrf)).await?;
    let body: Map<String, Value> = form
        .into_iter()
        .filter(|(k, v)| k != "csrf" && !v.trim().is_empty())
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let r = register(&state, &user, &body).await?;
    Ok(super::see_other(&format!("/refunds/{}", seg(&r.refund_id))))
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let scope = authorize(&user.user, None, courts)?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let book = state.refund_book().await?;
    let r = book.find(&id, &actor, &scope, &data)?;
    let doc = show_value(&state, &book, r, as_of).await?;
    let st = doc["state"].as_str().unwrap_or("").to_owned();
    let mut actions: Vec<(&str, &str)> = Vec::new();
    if actor.has(Duty::Finance) && st == "owed" {
        actions.push(("refund", "退费"));
        if r.refunded_date.is_none() {
            actions.push(("waive", "免退"));
        }
    }
    if actor.admin && st != "owed" {
        actions.push(("reopen", "重新打开"));
    }
    let history: Vec<Value> = doc["history"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            json!({
                "at": h["at"], "actor": h["actor"],
                "action": tianping_workflow::refunds::actions::action_zh(
                    h["action"].as_str().unwrap_or("")
                ),
            })
        })
        .collect();
    state.templates.render(
        "refund.html",
        context! {
            title => format!("退费 {}", r.refund_id),
            id => r.refund_id.clone(),
            doc => doc,
            state_zh => tianping_workflow::refunds::state_at(r, as_of).name_zh(),
            court_name => courts.name_of(&r.court_code),
            case_href => data.scoped(&scope).record_of(&r.case_number).map(|_| format!("/cases/{}", seg(&r.case_number))),
            as_of => as_of.to_string(),
            today => state.today().to_string(),
            actions => actions.into_iter().map(|(a, zh)| context! { id => a, zh => zh }).collect::<Vec<_>>(),
            history => history,
            ..minijinja::Value::from_serialize(base(&user, courts, "refunds"))
        },
    )
}

/// The action form of the refund page.
#[derive(Debug, serde::Deserialize)]
pub struct ActionForm {
    csrf: String,
    action: String,
    date: Option<String>,
    note: Option<String>,
    amount: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    check_csrf(&user.session, Some(&form.csrf)).await?;
    let blank = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let body = ActionBody {
        action: form.action.clone(),
        date: blank(&form.date),
        note: blank(&form.note),
        amount: blank(&form.amount),
    };
    let next = perform(&state, &user, &id, &body).await?;
    Ok(super::see_other(&format!(
        "/refunds/{}",
        seg(&next.refund_id)
    )))
}

pub async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(
        &user.user,
        params.get("court").filter(|c| !c.is_empty()),
        &*data,
    )?;
    let page = super::period::IndicatorPage::read(&params, state.today(), "court")?;
    let book = state.refund_book().await?;
    let doc = indicators_for(&page.query(&page.by)?, &state, &actor, &scope, &data, &book)?;
    let total = indicators_for(&page.query("none")?, &state, &actor, &scope, &data, &book)?;
    state.templates.render(
        "refunds_indicators.html",
        context! {
            title => "退费指标",
            doc => doc,
            total => total["rows"][0].clone(),
            period => page.period,
            period_zh => page.period_zh,
            by => page.by,
            compare => page.compare,
            court => scope.court(),
            periods => super::reports::bulletin_periods(page.reference),
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "refunds"))
        },
    )
}
