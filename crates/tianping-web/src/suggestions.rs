//! Judicial suggestions over HTTP (`workflows.md` §0.8, §3.6): `GET /api/v1/suggestions/items`,
//! `POST /api/v1/suggestions/items` (a draft, by a suggestion officer),
//! `GET /api/v1/suggestions/items/{no}`, `POST /api/v1/suggestions/items/{no}/actions`,
//! `GET /api/v1/suggestions/items/{no}/letter?format=docx|pdf` (the printable 司法建议书),
//! `GET /api/v1/suggestions/due`, `GET /api/v1/suggestions/indicators` — the JSON of
//! `tianping suggestions …`.
//!
//! Who sees what (§0.6): staff, leaders and administrators read the suggestions of their scope;
//! a judge reads those that name one of their own cases. A suggestion outside what the user may
//! read answers 404 like an unknown number. Suggestion officers draft, record the committee,
//! issue, serve and record replies; leaders sign.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tianping_workflow::core::compare::Compare;
use tianping_workflow::core::duties::{Actor, Duty};
use tianping_workflow::core::rows::TableFile;
use tianping_workflow::suggestions::actions::{Action, TextFields, act, audit_fields, edit_text};
use tianping_workflow::suggestions::documents::{
    due_document, indicators_document, list_document, month_label, record_json, show_document,
};
use tianping_workflow::suggestions::import::{Known, check_files};
use tianping_workflow::suggestions::indicators::{GroupBy, IndicatorQuery};
use tianping_workflow::suggestions::{
    State as SuggestionState, Suggestion, SuggestionSettings, due_rows, normalize_number, state_at,
};

use crate::api::Params;
use crate::auth::{CSRF_HEADER, CurrentUser, check_csrf};
use crate::data::Data;
use crate::error::ErrorBody;
use crate::mediation::actor_of;
use crate::openapi::{BadRequest, Forbidden, Unauthenticated};
use crate::scope::{CourtScope, authorize};
use crate::workflow::{FormRow, action_date, as_of, audit, document, invalid, refused};
use crate::{AppState, WebError};

/// The suggestions a request reads, with the settings in force.
#[derive(Debug)]
pub struct Book {
    pub suggestions: Vec<Suggestion>,
    pub settings: SuggestionSettings,
}

impl Book {
    pub async fn load(state: &AppState) -> Result<Book, WebError> {
        let stored = state.store.settings().await?;
        let settings = tianping_workflow::core::settings::Settings::from_stored(
            stored.into_iter().map(|s| (s.key, s.value)),
        );
        Ok(Book {
            suggestions: state.store.suggestions().await?,
            settings: settings.suggestions(),
        })
    }

    /// The suggestion `no` (any bracket style), if the user may read it; 404 otherwise.
    pub fn find(
        &self,
        no: &str,
        actor: &Actor,
        scope: &CourtScope,
        data: &Data,
    ) -> Result<&Suggestion, WebError> {
        let key = normalize_number(no).unwrap_or_else(|_| no.to_owned());
        self.suggestions
            .iter()
            .find(|s| s.suggestion_no == key && visible(s, actor, scope, data))
            .ok_or_else(|| WebError::NotFound(format!("没有司法建议 {no}，或不在本账号的范围内")))
    }
}

/// Whether `actor` with `scope` may read suggestion `s`: in scope, and for a judge only when it
/// names one of their own cases.
pub fn visible(s: &Suggestion, actor: &Actor, scope: &CourtScope, data: &Data) -> bool {
    if !scope.contains_court(data.courts(), &s.court_code) {
        return false;
    }
    match &actor.judge {
        Some((court, name)) if !actor.admin => s.case_numbers.iter().any(|n| {
            data.scoped(scope)
                .record_of(n)
                .is_some_and(|c| &c.court_code == court && c.judge.as_deref() == Some(name))
        }),
        _ => true,
    }
}

/// The list's status filter: a state, or `overdue` (a reply past its deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    State(SuggestionState),
    Overdue,
}

pub fn wanted(params: &Params) -> Result<Option<Wanted>, WebError> {
    match params.get("status") {
        None | Some("") => Ok(None),
        Some("overdue") => Ok(Some(Wanted::Overdue)),
        Some(t) => SuggestionState::parse(t)
            .map(|s| Some(Wanted::State(s)))
            .ok_or_else(|| {
                WebError::BadRequest(format!(
                    "status：“{t}”应为 drafted、approved、signed、issued、replied、withdrawn 或 overdue"
                ))
            }),
    }
}

/// The suggestions a list query selects, by number.
pub fn listed<'b>(
    book: &'b Book,
    params: &Params,
    actor: &Actor,
    scope: &CourtScope,
    data: &Data,
    as_of: NaiveDate,
    state: &AppState,
) -> Result<Vec<(&'b Suggestion, SuggestionState)>, WebError> {
    let wanted = wanted(params)?;
    let topic = params.get("topic").filter(|t| !t.is_empty());
    // Each court's scope check once.
    let mut courts: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    let judge = actor.judge.is_some() && !actor.admin;
    Ok(book
        .suggestions
        .iter()
        .filter(|s| s.registered().is_some_and(|r| r <= as_of))
        .filter(|s| topic.is_none_or(|t| s.topic == t))
        .filter(|s| {
            *courts
                .entry(s.court_code.as_str())
                .or_insert_with(|| scope.contains_court(data.courts(), &s.court_code))
                && (!judge || visible(s, actor, scope, data))
        })
        .map(|s| (s, state_at(s, as_of)))
        .filter(|(s, st)| match wanted {
            None => true,
            Some(Wanted::State(w)) => w == *st,
            Some(Wanted::Overdue) => due_rows(s, as_of, &state.calendar, &book.settings)
                .iter()
                .any(|r| r.status == tianping_workflow::core::status::ItemStatus::Overdue),
        })
        .collect())
}

/// `GET /api/v1/suggestions/items`.
#[utoipa::path(
    get,
    path = "/suggestions/items",
    tag = "suggestions",
    summary = "Judicial suggestions the user may read, with their state (tianping suggestions list --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("as_of" = Option<String>, Query, description = "the date of the states (default today)"),
        ("status" = Option<String>, Query, description = "drafted, approved, signed, issued, replied, withdrawn or overdue"),
        ("topic" = Option<String>, Query, description = "one of the configured topics"),
    ),
    responses(
        (status = 200, description = "{\"rows\": [record + state]}", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let as_of = as_of(&params, &state)?;
    let book = state.suggestion_book().await?;
    let rows = listed(&book, &params, &actor, &scope, &data, as_of, &state)?;
    Ok(document(&list_document(&rows)))
}

/// The `show` document of suggestion `no` (the API and the page).
pub async fn show_value(
    state: &AppState,
    book: &Book,
    s: &Suggestion,
    as_of: NaiveDate,
) -> Result<Value, WebError> {
    let history = state
        .store
        .workflow_history("suggestions", &s.suggestion_no)
        .await?;
    Ok(show_document(
        s,
        as_of,
        &state.calendar,
        &book.settings,
        serde_json::to_value(&history).map_err(|e| WebError::Internal(e.to_string()))?,
    ))
}

/// `GET /api/v1/suggestions/items/{no}`.
#[utoipa::path(
    get,
    path = "/suggestions/items/{no}",
    tag = "suggestions",
    summary = "One suggestion: fields, state, the reply deadline step by step, history (tianping suggestions show)",
    params(
        ("no" = String, Path, description = "the suggestion number, any bracket style"),
        ("as_of" = Option<String>, Query, description = "the date of the state (default today)"),
    ),
    responses(
        (status = 200, description = "the record", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "unknown, or not readable by the user (not told apart)", body = ErrorBody),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(no): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let as_of = as_of(&params, &state)?;
    let book = state.suggestion_book().await?;
    let s = book.find(&no, &actor, &scope, &data)?;
    Ok(document(&show_value(&state, &book, s, as_of).await?))
}

/// `GET /api/v1/suggestions/items/{no}/letter`.
#[utoipa::path(
    get,
    path = "/suggestions/items/{no}/letter",
    tag = "suggestions",
    summary = "The printable 司法建议书 (annex 1-2 of the 2023 rules) as DOCX or PDF (tianping suggestions letter)",
    params(
        ("no" = String, Path, description = "the suggestion number, any bracket style"),
        ("format" = Option<String>, Query, description = "docx (default) or pdf"),
    ),
    responses(
        (status = 200, description = "the file, as an attachment", content_type = "application/octet-stream"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "unknown, or not readable by the user", body = ErrorBody),
    )
)]
pub(crate) async fn letter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(no): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    use tianping_report::letter::{LetterFormat, SuggestionLetter, render};
    let params = Params::parse(raw.as_deref())?;
    let format = params.get("format").unwrap_or("docx");
    let format = LetterFormat::parse(format)
        .ok_or_else(|| WebError::BadRequest(format!("format：“{format}”应为 docx 或 pdf")))?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let book = state.suggestion_book().await?;
    let s = book.find(&no, &actor, &scope, &data)?.clone();
    let letter = SuggestionLetter::from_suggestion(&s, data.courts().name_of(&s.court_code));
    // Typst lays out for a while: off the request threads.
    let bytes = tokio::task::spawn_blocking({
        let letter = letter.clone();
        move || render(&letter, format)
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("{}.{}", letter.file_stem(), format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"suggestion.{}\"; filename*=UTF-8''{}",
                    format.extension(),
                    crate::pages::courts::seg(&name)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The body of `POST /api/v1/suggestions/items/{no}/actions`; `edit` takes the text fields.
#[derive(Debug, Deserialize, Default)]
pub struct ActionBody {
    pub action: String,
    pub date: Option<String>,
    pub note: Option<String>,
    pub reply_months: Option<u32>,
    pub adoption: Option<String>,
    #[serde(flatten)]
    pub text: TextFields,
}

fn action_of(body: &ActionBody) -> Result<Option<Action>, WebError> {
    let text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    Ok(Some(match body.action.as_str() {
        "approve" => Action::Approve,
        "sign" => Action::Sign,
        "issue" => Action::Issue {
            reply_months: body.reply_months,
        },
        "serve" => Action::Serve,
        "reply" => Action::Reply {
            adoption: text(&body.adoption)
                .ok_or_else(|| invalid("adoption", "收到答复须填写采纳情况".to_owned()))?,
        },
        "implemented" => Action::Implemented,
        "praised" => Action::Praised,
        "withdraw" => Action::Withdraw {
            note: text(&body.note).ok_or_else(|| invalid("note", "撤回须写明理由".to_owned()))?,
        },
        "edit" => return Ok(None),
        other => {
            return Err(WebError::BadRequest(format!(
                "action：“{other}”不是可执行的操作（approve、sign、issue、serve、reply、implemented、praised、withdraw、edit）"
            )));
        }
    }))
}

/// Take an action as `user` on suggestion `no`; the record as it is afterwards. Shared by the
/// API and the page's forms. Reads the store afresh (not the held records): another server may
/// have acted a moment ago.
pub async fn perform(
    state: &AppState,
    user: &CurrentUser,
    no: &str,
    body: &ActionBody,
) -> Result<Suggestion, WebError> {
    let actor = actor_of(state, user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let book = Book::load(state).await?;
    let s = book.find(no, &actor, &scope, &data)?;
    let today = state.today();
    let (next, name, kind) = match action_of(body)? {
        None => (
            edit_text(s, &body.text, &actor).map_err(refused)?,
            "edit",
            "workflow_update",
        ),
        Some(action) => {
            let date = action_date(body.date.as_deref(), today)?;
            let next = act(s, &action, date, today, &actor).map_err(refused)?;
            (next, action.name(), "workflow_action")
        }
    };
    let fields = audit_fields(s, &next, body.note.as_deref());
    state
        .store
        .apply_suggestion_batch(
            std::slice::from_ref(&next),
            &[audit(
                user,
                state,
                ("suggestions", "suggestion"),
                &next.suggestion_no,
                kind,
                name,
                fields,
            )],
        )
        .await?;
    state.forget_workflow_books().await;
    Ok(next)
}

/// `POST /api/v1/suggestions/items/{no}/actions`.
#[utoipa::path(
    post,
    path = "/suggestions/items/{no}/actions",
    tag = "suggestions",
    summary = "Take an action (approve, sign, issue, serve, reply, implemented, praised, withdraw; edit changes the text before signing); header x-csrf-token",
    params(("no" = String, Path, description = "the suggestion number")),
    request_body(content = serde_json::Value, description = "{\"action\", \"date\", \"note\", \"reply_months\", \"adoption\"}; edit: {\"title\", \"recipient\", \"background\", \"findings\", \"proposals\", \"contact\", \"annexes\", \"cc\"}"),
    responses(
        (status = 200, description = "the record afterwards", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "missing duty or CSRF token", body = ErrorBody),
        (status = 404, description = "unknown, or not readable by the user", body = ErrorBody),
        (status = 409, description = "not allowed from the record's state", body = ErrorBody),
        (status = 422, description = "a refused value: {\"error\", \"field\"}", body = ErrorBody),
    )
)]
pub(crate) async fn take_action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(no): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ActionBody>,
) -> Result<Response, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    let next = perform(&state, &user, &no, &body).await?;
    Ok(document(&record_json(
        &next,
        state_at(&next, state.today()),
    )))
}

/// The next free number of `court` in `year`: the court's own prefix (地名简称法建) with one
/// more than its highest number that year; `None` when the court has no number to follow.
fn next_number(book: &Book, court: &str, year: i32) -> Option<String> {
    let marker = format!("法建〔{year}〕");
    let prefix = book
        .suggestions
        .iter()
        .filter(|s| s.court_code == court)
        .filter_map(|s| {
            s.suggestion_no
                .find("法建〔")
                .map(|at| &s.suggestion_no[..at])
        })
        .next_back()?;
    let highest = book
        .suggestions
        .iter()
        .filter(|s| s.court_code == court)
        .filter_map(|s| {
            let rest = s.suggestion_no.split_once(&marker)?.1;
            rest.trim_end_matches('号').parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0);
    Some(format!("{prefix}法建〔{year}〕{}号", highest + 1))
}

/// Register a draft suggestion (a suggestion officer): the body's fields are checked by the
/// rules of the suggestions file (§3.5).
pub async fn register(
    state: &AppState,
    user: &CurrentUser,
    body: &Map<String, Value>,
) -> Result<Suggestion, WebError> {
    let actor = actor_of(state, user).await?;
    if !actor.has(Duty::SuggestionOfficer) {
        return Err(WebError::Forbidden(
            "起草司法建议需要司法建议管理职责".to_owned(),
        ));
    }
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let today = state.today();
    let book = Book::load(state).await?;
    let mut row = FormRow::new(tianping_exchange::Kind::Suggestions, body);
    row.default("court_code", || {
        user.user.court_code.clone().unwrap_or_default()
    });
    row.default("drafted_date", || today.to_string());
    // A draft: the later dates come by the actions.
    for later in [
        "committee_date",
        "signed_date",
        "issued_date",
        "served_date",
        "reply_date",
        "adoption",
        "withdrawn_date",
    ] {
        if !row.get(later).is_empty() {
            return Err(invalid(
                later,
                "起草时只登记文稿；审议、签发、发出和答复请在建议页面逐步办理".to_owned(),
            ));
        }
    }
    let court = row.get("court_code").to_owned();
    if !scope.contains_court(data.courts(), &court) {
        return Err(WebError::Forbidden(format!(
            "法院 {court} 不在本账号的范围内"
        )));
    }
    if row.get("suggestion_no").is_empty() {
        // The number's year is the document's year (文书年度): the drafting date's.
        let year = tianping_domain::dates::parse_date(row.get("drafted_date")).map_or(today, |d| d);
        let next = next_number(&book, &court, chrono::Datelike::year(&year)).ok_or_else(|| {
            invalid(
                "suggestion_no",
                "本院还没有司法建议书编号可以接续，请填写编号（如 历下法建〔2026〕1号）".to_owned(),
            )
        })?;
        row.set("suggestion_no", next);
    }
    let number = normalize_number(row.get("suggestion_no"))
        .map_err(|message| invalid("suggestion_no", message))?;
    if book.suggestions.iter().any(|s| s.suggestion_no == number) {
        return Err(WebError::Conflict(format!("建议书编号 {number} 已存在")));
    }
    let rows = vec![(1usize, row.cells)];
    let file = TableFile {
        file: "起草",
        kind: tianping_exchange::Kind::Suggestions,
        rows: &rows,
        refused: &[],
    };
    let mut checked = {
        let court = |c: &str| data.courts().get(c).is_some();
        let view = data.scoped(&scope);
        let case = |n: &str| view.record_of(n).is_some();
        let known = Known {
            court: &court,
            case: &case,
        };
        check_files(&[file], &known, &book.settings).remove(0)
    };
    if let Some(problem) = checked.problems.first() {
        return Err(invalid(problem.column, problem.message.clone()));
    }
    let (_, s) = checked.suggestions.remove(0);
    if s.drafted_date.is_some_and(|d| d > today) {
        return Err(invalid("drafted_date", format!("起草日期晚于今天 {today}")));
    }
    let after = serde_json::to_value(&s).map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store
        .apply_suggestion_batch(
            std::slice::from_ref(&s),
            &[audit(
                user,
                state,
                ("suggestions", "suggestion"),
                &s.suggestion_no,
                "workflow_create",
                "create",
                (json!({}), after),
            )],
        )
        .await?;
    state.forget_workflow_books().await;
    Ok(s)
}

/// `POST /api/v1/suggestions/items`.
#[utoipa::path(
    post,
    path = "/suggestions/items",
    tag = "suggestions",
    summary = "Draft a suggestion (起草; a suggestion officer); header x-csrf-token",
    request_body(content = serde_json::Value, description = "the columns of the suggestions file by their English names (workflows.md §3.5) up to drafted_date; suggestion_no blank: the court's next number; court_code default the user's; drafted_date default today"),
    responses(
        (status = 201, description = "the drafted record", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "missing duty, CSRF token or a court outside the scope", body = ErrorBody),
        (status = 409, description = "the number exists", body = ErrorBody),
        (status = 422, description = "a refused value: {\"error\", \"field\"}", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    let s = register(&state, &user, &body).await?;
    let mut response = document(&record_json(&s, SuggestionState::Drafted));
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// `GET /api/v1/suggestions/due`.
#[utoipa::path(
    get,
    path = "/suggestions/due",
    tag = "suggestions",
    summary = "Suggestions waiting for their reply, with the deadline (tianping suggestions due --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("as_of" = Option<String>, Query, description = "default today"),
        ("status" = Option<String>, Query, description = "overdue, due_soon, suspended or all"),
    ),
    responses(
        (status = 200, description = "{\"as_of\", \"module\", \"rows\"}", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn due(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let as_of = as_of(&params, &state)?;
    let wanted = crate::mediation::due_status(&params)?;
    let book = state.suggestion_book().await?;
    let mut rows: Vec<_> = book
        .suggestions
        .iter()
        .filter(|s| visible(s, &actor, &scope, &data))
        .flat_map(|s| due_rows(s, as_of, &state.calendar, &book.settings))
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    Ok(document(&due_document(as_of, &rows)))
}

/// The indicators document for a query string (the API and the page).
pub fn indicators_for(
    params: &Params,
    state: &AppState,
    actor: &Actor,
    scope: &CourtScope,
    data: &Data,
    book: &Book,
) -> Result<Value, WebError> {
    let (from, to, as_of) = crate::mediation::indicator_period(params, state)?;
    let by = GroupBy::parse(params.get("by").unwrap_or("none")).ok_or_else(|| {
        WebError::BadRequest("by 应为 none、court、month、topic、recipient_type 或 kind".to_owned())
    })?;
    let compare = Compare::parse(params.get("compare").unwrap_or("none"))
        .ok_or_else(|| WebError::BadRequest("compare 应为 none、yoy 或 prev".to_owned()))?;
    // A judge's figures are those of the suggestions they may read.
    let readable: Vec<Suggestion> = if actor.judge.is_some() && !actor.admin {
        book.suggestions
            .iter()
            .filter(|s| visible(s, actor, scope, data))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let suggestions: &[Suggestion] = if actor.judge.is_some() && !actor.admin {
        &readable
    } else {
        &book.suggestions
    };
    let in_scope = |court: &str| scope.contains_court(data.courts(), court);
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        in_scope: &in_scope,
    };
    let courts = data.courts();
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope
                .court()
                .map_or("全部法院".to_owned(), |c| courts.name_of(c).to_owned()),
            GroupBy::Court => courts.name_of(key).to_owned(),
            GroupBy::Month => month_label(suggestions, key, &in_scope),
            _ => key.to_owned(),
        }
    };
    Ok(indicators_document(
        suggestions,
        &query,
        compare,
        scope.court(),
        &label,
        &state.calendar,
        &book.settings,
    ))
}

/// `GET /api/v1/suggestions/indicators`.
#[utoipa::path(
    get,
    path = "/suggestions/indicators",
    tag = "suggestions",
    summary = "The indicators of workflows.md §3.4; by month the 一月一题 table (tianping suggestions indicators --format json)",
    params(
        ("period" = Option<String>, Query, description = "2023, 2023H1, 2023Q4 or 2023-12"),
        ("from" = Option<String>, Query, description = "with to, instead of period"),
        ("to" = Option<String>, Query, description = "with from"),
        ("as_of" = Option<String>, Query, description = "default the end of the period"),
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("by" = Option<String>, Query, description = "none, court, month, topic, recipient_type or kind"),
        ("compare" = Option<String>, Query, description = "none, yoy or prev"),
    ),
    responses(
        (status = 200, description = "the indicators document", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let book = state.suggestion_book().await?;
    Ok(document(&indicators_for(
        &params, &state, &actor, &scope, &data, &book,
    )?))
}
