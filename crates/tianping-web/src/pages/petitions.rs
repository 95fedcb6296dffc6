//! The petition pages (`workflows.md` §2.7), for the petition officers, leaders and
//! administrators only: `/petitions` (the reception desk's registration form and the lists 待告知,
//! 办理中, 超期), `/petitions/{id}` (the petition's deadlines step by step, its matter with every
//! petition of it, its history, the actions) and `/petitions/indicators` (the figures by month,
//! channel or court and the 三降两升 panel against the base period). The data and the rules are
//! the API's (`crate::petitions`).

use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{Html, Response};
use minijinja::context;
use serde_json::{Map, Value};
use tianping_workflow::core::duties::Duty;
use tianping_workflow::petitions::model::{NATURES, REPLY_FORMS, RESOLUTIONS, RESULTS};

use super::courts::seg;
use super::{base, court_options};
use crate::api::Params;
use crate::auth::{CurrentUser, check_csrf};
use crate::petitions::{
    ActionBody, Book, Selection, indicators_for, perform, reader, register, show_value,
};
use crate::scope::authorize;
use crate::{AppState, WebError};

const STATES: [(&str, &str); 5] = [
    ("", "全部"),
    ("registered", "待告知"),
    ("handling", "办理中"),
    ("overdue", "超期"),
    ("concluded", "已办结"),
];

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let (actor, unmasked) = reader(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(
        &user.user,
        params.get("court").filter(|c| !c.is_empty()),
        &*data,
    )?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let book = state.petition_book().await?;
    let selection = Selection::new(&book, &params, &scope, &data, as_of, &state)?;
    let total = selection.count();
    // The most recent first, a page at a time.
    let pager = super::table::TableQuery {
        page: params.get("page").map(str::to_owned),
        // 100 rows a page, the most recent first: the list is looked at, not read through.
        per_page: Some(params.get("per_page").unwrap_or("100").to_owned()),
        ..super::table::TableQuery::default()
    }
    .pager(total)?;
    // The page's rows by their positions among the selected (in id order), newest first.
    let end = total.saturating_sub((pager.page - 1) * pager.per_page);
    let rows = selection.rows_in(end.saturating_sub(pager.per_page)..end);
    let filters = serde_urlencoded::to_string(
        [
            ("court", params.get("court")),
            ("status", params.get("status")),
            ("channel", params.get("channel")),
            ("nature", params.get("nature")),
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
        .map(|(p, st, repeat)| {
            let due = tianping_workflow::petitions::due_rows(p, as_of, &state.calendar, &book.settings);
            let first = due.first();
            serde_json::json!({
                "id": p.petition_id, "href": format!("/petitions/{}", seg(&p.petition_id)),
                "court": courts.name_of(&p.court_code), "received": p.received_date,
                "channel": p.channel.name_zh(), "nature": p.nature,
                "petitioner": p.petitioner_name.clone().unwrap_or_default(),
                "litigation": p.litigation_related, "repeat": repeat,
                "state": st.id(), "state_zh": st.name_zh(),
                "deadline": first.map(|r| r.deadline.to_string()).unwrap_or_default(),
                "due": first.map(|r| format!("{}：{}", r.rule, r.reason)).unwrap_or_default(),
                "overdue": due.iter().any(|r| r.status == tianping_workflow::core::status::ItemStatus::Overdue),
            })
        })
        .collect();
    let _ = unmasked;
    state.templates.render(
        "petitions.html",
        context! {
            title => "信访",
            rows => shown,
            total => total,
            pager => pager,
            filters => filters,
            as_of => as_of.to_string(),
            today => state.today().to_string(),
            state_filter => params.get("status").unwrap_or(""),
            states => STATES.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
            court => scope.court(),
            court_options => court_options(&data, &user_scope),
            can_register => actor.has(Duty::PetitionOfficer),
            natures => NATURES,
            ..minijinja::Value::from_serialize(base(&user, courts, "petitions"))
        },
    )
}

/// The registration form: the petitions file's columns by their English names.
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
    let p = register(&state, &user, &body).await?;
    Ok(super::see_other(&format!(
        "/petitions/{}",
        seg(&p.petition_id)
    )))
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let (actor, unmasked) = reader(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let scope = authorize(&user.user, None, courts)?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let book = state.petition_book().await?;
    let doc = show_value(&state, &book, &id, &scope, &data, as_of, unmasked).await?;
    let matter_rows: Vec<Value> = doc["matter"]["petitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pid| {
            book.petitions
                .iter()
                .find(|p| Some(p.petition_id.as_str()) == pid.as_str())
        })
        .map(|p| {
            let level = ["原办", "复查", "复核"][usize::from(p.review_level.min(2))];
            serde_json::json!({
                "id": p.petition_id, "href": format!("/petitions/{}", seg(&p.petition_id)),
                "received": p.received_date, "channel": p.channel.name_zh(),
                "level": level,
                "state": tianping_workflow::petitions::state_at(p, as_of).name_zh(),
                "result": p.result.clone().unwrap_or_default(),
            })
        })
        .collect();
    let state_id = doc["state"].as_str().unwrap_or("").to_owned();
    let actions: Vec<(&str, &str)> = match state_id.as_str() {
        "registered" => vec![
            ("acknowledge", "告知"),
            ("object", "退回交办机关"),
            ("link", "关联案件"),
        ],
        "handling" => vec![
            ("reply", "答复"),
            ("extend", "延期（院领导）"),
            ("link", "关联案件"),
        ],
        _ if actor.admin => vec![("reopen", "重新打开"), ("link", "关联案件")],
        _ => vec![("link", "关联案件")],
    };
    let case_href = doc["case_number"]
        .as_str()
        .map(|n| format!("/cases/{}", seg(n)));
    // The history in Chinese: each action by its name (登记, 告知, 延期, 答复 …).
    let history: Vec<Value> = doc["history"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            serde_json::json!({
                "at": h["at"],
                "actor": h["actor"],
                "action": tianping_workflow::petitions::actions::action_zh(
                    h["action"].as_str().unwrap_or("")
                ),
            })
        })
        .collect();
    state.templates.render(
        "petition.html",
        context! {
            title => format!("信访件 {id}"),
            id => id,
            doc => doc,
            as_of => as_of.to_string(),
            today => state.today().to_string(),
            court_name => courts.name_of(doc_court(&book, &id)),
            matter_rows => matter_rows,
            actions => actions.into_iter().map(|(a, zh)| context! { id => a, zh => zh }).collect::<Vec<_>>(),
            results => RESULTS,
            forms => REPLY_FORMS,
            resolutions => RESOLUTIONS,
            case_href => case_href,
            history => history,
            may_resolve => actor.has(Duty::PetitionOfficer) || actor.has(Duty::Leader),
            ..minijinja::Value::from_serialize(base(&user, courts, "petitions"))
        },
    )
}

fn doc_court<'b>(book: &'b Book, id: &str) -> &'b str {
    book.petitions
        .iter()
        .find(|p| p.petition_id == id)
        .map_or("", |p| p.court_code.as_str())
}

/// The action form of the petition page; `resolve_matter` acts on the petition's matter.
#[derive(Debug, serde::Deserialize)]
pub struct ActionForm {
    csrf: String,
    action: String,
    date: Option<String>,
    note: Option<String>,
    decision: Option<String>,
    form: Option<String>,
    reason: Option<String>,
    days: Option<String>,
    result: Option<String>,
    case_number: Option<String>,
    diverted_case_number: Option<String>,
    resolution: Option<String>,
    matter_id: Option<String>,
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
        decision: blank(&form.decision),
        form: blank(&form.form),
        reason: blank(&form.reason),
        days,
        result: blank(&form.result),
        case_number: blank(&form.case_number),
        diverted_case_number: blank(&form.diverted_case_number),
        resolution: blank(&form.resolution),
    };
    let target = if form.action == "resolve_matter" {
        blank(&form.matter_id).unwrap_or_else(|| id.clone())
    } else {
        id.clone()
    };
    perform(&state, &user, &target, &body).await?;
    Ok(super::see_other(&format!("/petitions/{}", seg(&id))))
}

pub async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    reader(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(
        &user.user,
        params.get("court").filter(|c| !c.is_empty()),
        &*data,
    )?;
    let page = super::period::IndicatorPage::read(&params, state.today(), "month")?;
    let book = state.petition_book().await?;
    let doc = indicators_for(&page.query(&page.by)?, &state, &scope, &data, &book)?;
    let total = indicators_for(&page.query("none")?, &state, &scope, &data, &book)?;
    state.templates.render(
        "petitions_indicators.html",
        context! {
            title => "信访指标",
            doc => doc,
            total => total["rows"][0].clone(),
            total_doc => total,
            period => page.period,
            period_zh => page.period_zh,
            by => page.by,
            compare => page.compare,
            court => scope.court(),
            periods => super::reports::bulletin_periods(page.reference),
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "petitions"))
        },
    )
}
