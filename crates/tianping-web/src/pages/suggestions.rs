//! The judicial suggestion pages (`workflows.md` §3.6): `/suggestions` (the officer's drafting
//! form and the lists 待审议, 待签发, 待发出, 待答复, 逾期), `/suggestions/{no}` (the document's
//! data, its linked cases, the reply deadline step by step, the actions, the text of the letter
//! and its DOCX and PDF), `/suggestions/indicators` (the 一月一题 table by month with each month's
//! topic, by topic, the reply and adoption rates). The data and the rules are the API's
//! (`crate::suggestions`).

use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{Html, Response};
use minijinja::context;
use serde_json::{Map, Value, json};
use tianping_workflow::core::duties::Duty;
use tianping_workflow::suggestions::actions::TextFields;
use tianping_workflow::suggestions::model::{ADOPTIONS, KINDS, RECIPIENT_TYPES};

use super::courts::seg;
use super::{base, court_options};
use crate::api::Params;
use crate::auth::{CurrentUser, check_csrf};
use crate::mediation::actor_of;
use crate::scope::authorize;
use crate::suggestions::{ActionBody, indicators_for, listed, perform, register, show_value};
use crate::{AppState, WebError};

const STATES: [(&str, &str); 7] = [
    ("", "全部"),
    ("drafted", "待审议"),
    ("approved", "待签发"),
    ("signed", "待发出"),
    ("issued", "待答复"),
    ("overdue", "逾期未答复"),
    ("replied", "已答复"),
];

fn state_zh(id: &str) -> &'static str {
    match id {
        "drafted" => "待审议",
        "approved" => "待签发",
        "signed" => "待发出",
        "issued" => "待答复",
        "replied" => "已答复",
        "withdrawn" => "已撤回",
        _ => "",
    }
}

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
    let book = state.suggestion_book().await?;
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
            ("topic", params.get("topic")),
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
        .map(|(s, st)| {
            let due =
                tianping_workflow::suggestions::due_rows(s, as_of, &state.calendar, &book.settings);
            json!({
                "no": s.suggestion_no, "href": format!("/suggestions/{}", seg(&s.suggestion_no)),
                "court": courts.name_of(&s.court_code), "title": s.title,
                "recipient": s.recipient, "topic": s.topic,
                "monthly_topic": s.monthly_topic,
                "issued": s.issued_date, "reply": s.reply_date,
                "adoption": s.adoption,
                "state": st.id(), "state_zh": state_zh(st.id()),
                "deadline": due.first().map(|r| r.deadline.to_string()).unwrap_or_default(),
                "overdue": due.iter().any(|r| r.status == tianping_workflow::core::status::ItemStatus::Overdue),
            })
        })
        .collect();
    state.templates.render(
        "suggestions.html",
        context! {
            title => "司法建议",
            rows => shown,
            total => rows.len(),
            pager => pager,
            filters => filters,
            as_of => as_of.to_string(),
            today => state.today().to_string(),
            state_filter => params.get("status").unwrap_or(""),
            states => STATES.iter().map(|(id, zh)| context! { id => *id, zh => *zh }).collect::<Vec<_>>(),
            topic => params.get("topic").unwrap_or(""),
            topics => book.settings.topics.clone(),
            court => scope.court(),
            court_options => court_options(&data, &user_scope),
            can_draft => actor.has(Duty::SuggestionOfficer),
            kinds => KINDS,
            recipient_types => RECIPIENT_TYPES,
            ..minijinja::Value::from_serialize(base(&user, courts, "suggestions"))
        },
    )
}

/// The drafting form: the suggestions file's columns by their English names.
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
    let s = register(&state, &user, &body).await?;
    Ok(super::see_other(&format!(
        "/suggestions/{}",
        seg(&s.suggestion_no)
    )))
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(no): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let courts = data.courts();
    let scope = authorize(&user.user, None, courts)?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let book = state.suggestion_book().await?;
    let s = book.find(&no, &actor, &scope, &data)?;
    let doc = show_value(&state, &book, s, as_of).await?;
    let st = doc["state"].as_str().unwrap_or("").to_owned();
    let officer = actor.has(Duty::SuggestionOfficer);
    let mut actions: Vec<(&str, &str)> = Vec::new();
    match st.as_str() {
        "drafted" if officer => {
            actions.extend([("approve", "审委会审议通过"), ("withdraw", "撤回")])
        }
        "approved" => {
            if actor.has(Duty::Leader) {
                actions.push(("sign", "院长签发"));
            }
            if officer {
                actions.push(("withdraw", "撤回"));
            }
        }
        "signed" if officer => actions.push(("issue", "发出")),
        "issued" if officer => actions.extend([
            ("serve", "送达"),
            ("reply", "收到答复"),
            ("praised", "获上级肯定"),
        ]),
        "replied" if officer => {
            actions.extend([("implemented", "已落实"), ("praised", "获上级肯定")])
        }
        _ => {}
    }
    let cases: Vec<Value> = s
        .case_numbers
        .iter()
        .map(|n| {
            json!({
                "number": n,
                "href": data.scoped(&scope).record_of(n).map(|_| format!("/cases/{}", seg(n))),
            })
        })
        .collect();
    let history: Vec<Value> = doc["history"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            json!({
                "at": h["at"], "actor": h["actor"],
                "action": tianping_workflow::suggestions::actions::action_zh(
                    h["action"].as_str().unwrap_or("")
                ),
            })
        })
        .collect();
    let letter = tianping_report::letter::SuggestionLetter::from_suggestion(
        s,
        courts.name_of(&s.court_code),
    );
    let href = format!("/api/v1/suggestions/items/{}/letter", seg(&s.suggestion_no));
    state.templates.render(
        "suggestion.html",
        context! {
            title => format!("司法建议 {}", s.suggestion_no),
            no => s.suggestion_no.clone(),
            doc => doc,
            state_zh => state_zh(&st),
            court_name => courts.name_of(&s.court_code),
            as_of => as_of.to_string(),
            today => state.today().to_string(),
            actions => actions.into_iter().map(|(a, zh)| context! { id => a, zh => zh }).collect::<Vec<_>>(),
            adoptions => ADOPTIONS,
            cases => cases,
            history => history,
            letter => letter,
            docx_href => format!("{href}?format=docx"),
            pdf_href => format!("{href}?format=pdf"),
            pdf_built => tianping_report::PDF_BUILT,
            may_edit => officer && matches!(st.as_str(), "drafted" | "approved"),
            ..minijinja::Value::from_serialize(base(&user, courts, "suggestions"))
        },
    )
}

/// The action form of the suggestion page (and the text form, action `edit`).
#[derive(Debug, serde::Deserialize)]
pub struct ActionForm {
    csrf: String,
    action: String,
    date: Option<String>,
    note: Option<String>,
    reply_months: Option<String>,
    adoption: Option<String>,
    title: Option<String>,
    recipient: Option<String>,
    background: Option<String>,
    findings: Option<String>,
    proposals: Option<String>,
    contact: Option<String>,
    annexes: Option<String>,
    cc: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    check_csrf(&user.session, Some(&form.csrf)).await?;
    let blank = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let reply_months = match blank(&form.reply_months) {
        None => None,
        Some(t) => Some(t.trim().parse::<u32>().map_err(|_| WebError::Invalid {
            field: "reply_months".into(),
            message: format!("答复期限“{t}”应为正整数（月）"),
        })?),
    };
    let body = ActionBody {
        action: form.action.clone(),
        date: blank(&form.date),
        note: blank(&form.note),
        reply_months,
        adoption: blank(&form.adoption),
        // The text form sends every field: a blank one is cleared.
        text: TextFields {
            title: form.title,
            recipient: form.recipient,
            background: form.background,
            findings: form.findings,
            proposals: form.proposals,
            contact: form.contact,
            annexes: form.annexes,
            cc: form.cc,
        },
    };
    let next = perform(&state, &user, &no, &body).await?;
    Ok(super::see_other(&format!(
        "/suggestions/{}",
        seg(&next.suggestion_no)
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
    let page = super::period::IndicatorPage::read(&params, state.today(), "month")?;
    let book = state.suggestion_book().await?;
    let doc = indicators_for(&page.query(&page.by)?, &state, &actor, &scope, &data, &book)?;
    let total = indicators_for(&page.query("none")?, &state, &actor, &scope, &data, &book)?;
    state.templates.render(
        "suggestions_indicators.html",
        context! {
            title => "司法建议指标",
            doc => doc,
            total => total["rows"][0].clone(),
            period => page.period,
            period_zh => page.period_zh,
            by => page.by,
            compare => page.compare,
            court => scope.court(),
            periods => super::reports::bulletin_periods(page.reference),
            court_options => court_options(&data, &user_scope),
            ..minijinja::Value::from_serialize(base(&user, courts, "suggestions"))
        },
    )
}
