//! Court-fee refunds over HTTP (`workflows.md` §0.8, §4.6): `GET /api/v1/refunds/items`,
//! `POST /api/v1/refunds/items` (an owed refund, by the finance office),
//! `GET /api/v1/refunds/items/{id}`, `POST /api/v1/refunds/items/{id}/actions`,
//! `GET /api/v1/refunds/due`, `GET /api/v1/refunds/indicators` — the JSON of
//! `tianping refunds …`.
//!
//! Who sees what (§0.6): staff, leaders and administrators read the refunds of their scope; a
//! judge those of their own cases. A refund the user may not read answers 404 like an unknown
//! id. The finance office (duty `finance`) records, refunds and waives; administrators reopen.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tianping_domain::Money;
use tianping_workflow::core::compare::Compare;
use tianping_workflow::core::duties::{Actor, Duty};
use tianping_workflow::core::rows::TableFile;
use tianping_workflow::core::status::ItemStatus;
use tianping_workflow::refunds::actions::{Action, act, audit_fields};
use tianping_workflow::refunds::documents::{
    due_document, indicators_document, list_document, record_json, show_document,
};
use tianping_workflow::refunds::import::{CaseFacts, Known, check_files};
use tianping_workflow::refunds::indicators::{GroupBy, IndicatorQuery};
use tianping_workflow::refunds::{
    FeeRefund, RefundSettings, State as RefundState, due_rows, state_at,
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

/// The refunds a request reads, with the settings in force.
#[derive(Debug)]
pub struct Book {
    pub refunds: Vec<FeeRefund>,
    pub settings: RefundSettings,
}

impl Book {
    pub async fn load(state: &AppState) -> Result<Book, WebError> {
        let stored = state.store.settings().await?;
        let settings = tianping_workflow::core::settings::Settings::from_stored(
            stored.into_iter().map(|s| (s.key, s.value)),
        );
        Ok(Book {
            refunds: state.store.refunds().await?,
            settings: settings.refunds(),
        })
    }

    /// The refund `id`, if the user may read it; 404 otherwise.
    pub fn find(
        &self,
        id: &str,
        actor: &Actor,
        scope: &CourtScope,
        data: &Data,
    ) -> Result<&FeeRefund, WebError> {
        self.refunds
            .iter()
            .find(|r| r.refund_id == id && visible(r, actor, scope, data))
            .ok_or_else(|| WebError::NotFound(format!("没有退费记录 {id}，或不在本账号的范围内")))
    }
}

/// Whether `actor` with `scope` may read refund `r`: in scope, and for a judge only on their own
/// cases.
pub fn visible(r: &FeeRefund, actor: &Actor, scope: &CourtScope, data: &Data) -> bool {
    if !scope.contains_court(data.courts(), &r.court_code) {
        return false;
    }
    match &actor.judge {
        Some((court, name)) if !actor.admin => data
            .scoped(scope)
            .record_of(&r.case_number)
            .is_some_and(|c| &c.court_code == court && c.judge.as_deref() == Some(name)),
        _ => true,
    }
}

/// The refunds a list query selects, by id: `status` a state or `overdue`, `case`, `reason`.
pub fn listed<'b>(
    book: &'b Book,
    params: &Params,
    actor: &Actor,
    scope: &CourtScope,
    data: &Data,
    as_of: NaiveDate,
    state: &AppState,
) -> Result<Vec<(&'b FeeRefund, RefundState)>, WebError> {
    let (wanted, overdue) = match params.get("status") {
        None | Some("") => (None, false),
        Some("overdue") => (None, true),
        Some(t) => (
            Some(RefundState::parse(t).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "status：“{t}”应为 owed、refunded、waived 或 overdue"
                ))
            })?),
            false,
        ),
    };
    let case = match params.get("case").filter(|c| !c.is_empty()) {
        Some(t) => Some(
            tianping_domain::CaseNumber::parse(t)
                .map_err(|e| WebError::BadRequest(format!("case：{}", e.zh())))?
                .normalized(),
        ),
        None => None,
    };
    let reason = params.get("reason").filter(|r| !r.is_empty());
    Ok(book
        .refunds
        .iter()
        .filter(|r| r.effective_date <= as_of)
        .filter(|r| case.as_ref().is_none_or(|c| &r.case_number == c))
        .filter(|r| reason.is_none_or(|t| r.reason == t))
        .filter(|r| visible(r, actor, scope, data))
        .map(|r| (r, state_at(r, as_of)))
        .filter(|(_, st)| wanted.is_none_or(|w| w == *st))
        .filter(|(r, _)| {
            !overdue
                || due_rows(r, as_of, &state.calendar, &book.settings)
                    .iter()
                    .any(|d| d.status == ItemStatus::Overdue)
        })
        .collect())
}

/// `GET /api/v1/refunds/items`.
#[utoipa::path(
    get,
    path = "/refunds/items",
    tag = "refunds",
    summary = "Court-fee refunds the user may read, with their state (tianping refunds list --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("as_of" = Option<String>, Query, description = "the date of the states (default today)"),
        ("status" = Option<String>, Query, description = "owed, refunded, waived or overdue"),
        ("case" = Option<String>, Query, description = "the refunds of one case"),
        ("reason" = Option<String>, Query, description = "one of the reasons of workflows.md §4.1"),
    ),
    responses(
        (status = 200, description = "{\"rows\": [record + state + outstanding]}", body = serde_json::Value),
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
    let book = state.refund_book().await?;
    let rows = listed(&book, &params, &actor, &scope, &data, as_of, &state)?;
    Ok(document(&list_document(&rows, as_of)))
}

/// The `show` document of a refund (the API and the page).
pub async fn show_value(
    state: &AppState,
    book: &Book,
    r: &FeeRefund,
    as_of: NaiveDate,
) -> Result<Value, WebError> {
    let history = state
        .store
        .workflow_history("refunds", &r.refund_id)
        .await?;
    Ok(show_document(
        r,
        as_of,
        &state.calendar,
        &book.settings,
        serde_json::to_value(&history).map_err(|e| WebError::Internal(e.to_string()))?,
    ))
}

/// `GET /api/v1/refunds/items/{id}`.
#[utoipa::path(
    get,
    path = "/refunds/items/{id}",
    tag = "refunds",
    summary = "One refund: fields, state, the 15-day deadline step by step, history (tianping refunds show)",
    params(
        ("id" = String, Path, description = "the refund id"),
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
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let actor = actor_of(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let as_of = as_of(&params, &state)?;
    let book = state.refund_book().await?;
    let r = book.find(&id, &actor, &scope, &data)?;
    Ok(document(&show_value(&state, &book, r, as_of).await?))
}

/// The body of `POST /api/v1/refunds/items/{id}/actions`.
#[derive(Debug, Deserialize, Default)]
pub struct ActionBody {
    pub action: String,
    pub date: Option<String>,
    pub note: Option<String>,
    /// refund: yuan, as the files write amounts (default: all that is still owed).
    pub amount: Option<String>,
}

fn action_of(body: &ActionBody) -> Result<Action, WebError> {
    let text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let note = || text(&body.note).ok_or_else(|| invalid("note", "须写明理由".to_owned()));
    Ok(match body.action.as_str() {
        "refund" => Action::Refund {
            amount: match text(&body.amount) {
                Some(t) => Some(
                    Money::parse(&t).map_err(|e| invalid("amount", format!("金额“{t}”：{e}")))?,
                ),
                None => None,
            },
        },
        "waive" => Action::Waive { note: note()? },
        "reopen" => Action::Reopen { note: note()? },
        other => {
            return Err(WebError::BadRequest(format!(
                "action：“{other}”不是可执行的操作（refund、waive、reopen）"
            )));
        }
    })
}

/// Take an action as `user` on refund `id`; the record afterwards. Reads the store afresh.
pub async fn perform(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    body: &ActionBody,
) -> Result<FeeRefund, WebError> {
    let actor = actor_of(state, user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let book = Book::load(state).await?;
    let r = book.find(id, &actor, &scope, &data)?;
    let today = state.today();
    let action = action_of(body)?;
    let date = action_date(body.date.as_deref(), today)?;
    let next = act(r, &action, date, today, &actor).map_err(refused)?;
    let fields = audit_fields(r, &next, body.note.as_deref());
    state
        .store
        .apply_refund_batch(
            std::slice::from_ref(&next),
            &[audit(
                user,
                state,
                ("refunds", "fee_refund"),
                &next.refund_id,
                "workflow_action",
                action.name(),
                fields,
            )],
        )
        .await?;
    state.forget_workflow_books().await;
    Ok(next)
}

/// `POST /api/v1/refunds/items/{id}/actions`.
#[utoipa::path(
    post,
    path = "/refunds/items/{id}/actions",
    tag = "refunds",
    summary = "Take an action (refund with an optional amount, waive, reopen); header x-csrf-token",
    params(("id" = String, Path, description = "the refund id")),
    request_body(content = serde_json::Value, description = "{\"action\", \"date\", \"note\", \"amount\"}"),
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
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ActionBody>,
) -> Result<Response, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    let next = perform(&state, &user, &id, &body).await?;
    let today = state.today();
    Ok(document(&record_json(&next, state_at(&next, today), today)))
}

/// Record a refund owed (the finance office): the body's fields are checked by the rules of the
/// fee-refunds file (§4.5).
pub async fn register(
    state: &AppState,
    user: &CurrentUser,
    body: &Map<String, Value>,
) -> Result<FeeRefund, WebError> {
    let actor = actor_of(state, user).await?;
    if !actor.has(Duty::Finance) {
        return Err(WebError::Forbidden("登记退费需要诉讼费管理职责".to_owned()));
    }
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let today = state.today();
    let book = Book::load(state).await?;
    let mut row = FormRow::new(tianping_exchange::Kind::FeeRefunds, body);
    for later in ["refunded_date", "refunded_amount", "waived"] {
        if !row.get(later).is_empty() {
            return Err(invalid(
                later,
                "登记时只记应退费用；退费、免退请在退费页面办理".to_owned(),
            ));
        }
    }
    if row.get("refund_id").is_empty() {
        let year = chrono::Datelike::year(&today);
        let court = user.user.court_code.clone().unwrap_or_default();
        let n = book
            .refunds
            .iter()
            .filter(|r| r.refund_id.starts_with(&format!("TF{year}{court}")))
            .count()
            + 1;
        row.set("refund_id", format!("TF{year}{court}{n:05}"));
    }
    if book
        .refunds
        .iter()
        .any(|r| r.refund_id == row.get("refund_id"))
    {
        return Err(WebError::Conflict(format!(
            "退费编号 {} 已存在",
            row.get("refund_id")
        )));
    }
    let rows = vec![(1usize, row.cells)];
    let file = TableFile {
        file: "登记",
        kind: tianping_exchange::Kind::FeeRefunds,
        rows: &rows,
        refused: &[],
    };
    let mut checked = {
        let view = data.scoped(&scope);
        let case = |n: &str| {
            view.record_of(n).map(|c| CaseFacts {
                court_code: c.court_code.clone(),
                closed_date: c.closed_date,
                second_instance: c
                    .type_code
                    .is_some_and(|t| t.instance() == tianping_domain::type_code::Instance::Second),
                simple_procedure: c
                    .procedure
                    .map(|p| p == tianping_domain::time_limit::Procedure::Simple),
            })
        };
        check_files(&[file], &Known { case: &case }).remove(0)
    };
    if let Some(problem) = checked.problems.first() {
        return Err(invalid(problem.column, problem.message.clone()));
    }
    let (_, r) = checked.refunds.remove(0);
    if r.effective_date > today {
        return Err(invalid(
            "effective_date",
            format!("生效日期 {} 晚于今天 {today}", r.effective_date),
        ));
    }
    let after = serde_json::to_value(&r).map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store
        .apply_refund_batch(
            std::slice::from_ref(&r),
            &[audit(
                user,
                state,
                ("refunds", "fee_refund"),
                &r.refund_id,
                "workflow_create",
                "create",
                (json!({}), after),
            )],
        )
        .await?;
    state.forget_workflow_books().await;
    Ok(r)
}

/// `POST /api/v1/refunds/items`.
#[utoipa::path(
    post,
    path = "/refunds/items",
    tag = "refunds",
    summary = "Record a refund owed (登记; the finance office); header x-csrf-token",
    request_body(content = serde_json::Value, description = "the columns of the fee-refunds file by their English names (workflows.md §4.5) up to account_date; refund_id blank: generated"),
    responses(
        (status = 201, description = "the recorded refund", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "missing duty or CSRF token", body = ErrorBody),
        (status = 409, description = "the id exists", body = ErrorBody),
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
    let r = register(&state, &user, &body).await?;
    let today = state.today();
    let mut response = document(&record_json(&r, state_at(&r, today), today));
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// `GET /api/v1/refunds/due`.
#[utoipa::path(
    get,
    path = "/refunds/due",
    tag = "refunds",
    summary = "Refunds still owed, with their deadline (tianping refunds due --format json)",
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
    let book = state.refund_book().await?;
    let mut rows: Vec<_> = book
        .refunds
        .iter()
        .filter(|r| visible(r, &actor, &scope, &data))
        .flat_map(|r| due_rows(r, as_of, &state.calendar, &book.settings))
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
        WebError::BadRequest("by 应为 none、court、division、judge、reason 或 month".to_owned())
    })?;
    let compare = Compare::parse(params.get("compare").unwrap_or("none"))
        .ok_or_else(|| WebError::BadRequest("compare 应为 none、yoy 或 prev".to_owned()))?;
    let judge = actor.judge.is_some() && !actor.admin;
    let readable: Vec<FeeRefund> = if judge {
        book.refunds
            .iter()
            .filter(|r| visible(r, actor, scope, data))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let refunds: &[FeeRefund] = if judge { &readable } else { &book.refunds };
    let in_scope = |court: &str| scope.contains_court(data.courts(), court);
    let view = data.scoped(scope);
    let seat = |n: &str| {
        view.record_of(n)
            .map(|c| (c.division.clone(), c.judge.clone()))
    };
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        in_scope: &in_scope,
        seat: &seat,
    };
    let courts = data.courts();
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope
                .court()
                .map_or("全部法院".to_owned(), |c| courts.name_of(c).to_owned()),
            GroupBy::Court => courts.name_of(key).to_owned(),
            GroupBy::Division | GroupBy::Judge => match key.split_once('/') {
                Some((court, name)) => format!("{} {name}", courts.name_of(court)),
                None => key.to_owned(),
            },
            _ => key.to_owned(),
        }
    };
    Ok(indicators_document(
        refunds,
        &query,
        compare,
        scope.court(),
        &label,
        &state.calendar,
        &book.settings,
    ))
}

/// `GET /api/v1/refunds/indicators`.
#[utoipa::path(
    get,
    path = "/refunds/indicators",
    tag = "refunds",
    summary = "The indicators of workflows.md §4.4 (退费及时率) (tianping refunds indicators --format json)",
    params(
        ("period" = Option<String>, Query, description = "2023, 2023H1, 2023Q4 or 2023-12"),
        ("from" = Option<String>, Query, description = "with to, instead of period"),
        ("to" = Option<String>, Query, description = "with from"),
        ("as_of" = Option<String>, Query, description = "default the end of the period"),
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("by" = Option<String>, Query, description = "none, court, division, judge, reason or month"),
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
    let book = state.refund_book().await?;
    Ok(document(&indicators_for(
        &params, &state, &actor, &scope, &data, &book,
    )?))
}
