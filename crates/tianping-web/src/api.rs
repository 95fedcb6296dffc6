//! The JSON API (`/api/v1`, interfaces.md): the same documents, byte for byte, as the command
//! line's `--format json` for the same question. Without a session every route answers 401; a
//! scope outside the user's court 403; no scope means the user's own court (administrators: all).

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};
use tianping_domain::access::Role;
use tianping_metrics::GroupBy;
use tianping_metrics::deadlines::StatusFilter;
use tianping_metrics::documents::{
    case_numbers_document, deadlines_document, indicators_document, signals_document, to_json_bytes,
};
use tower_sessions::Session;

use crate::auth::{
    CSRF_HEADER, ClientAddr, CurrentUser, SignInError, check_csrf, csrf_token, sign_in, sign_out,
};
use crate::data::Data;
use crate::scope::authorize;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            post(login).layer(DefaultBodyLimit::max(
                crate::request_limits::SIGN_IN_BODY_BYTES,
            )),
        )
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/indicators", get(indicators))
        .route("/deadlines", get(deadlines))
        .route("/signals", get(signals))
        .route("/case-numbers/parse", get(parse_case_numbers))
        .route("/openapi.json", get(crate::assets::openapi))
}

/// A document as the CLI prints it.
fn document(value: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        to_json_bytes(value),
    )
        .into_response()
}

/// The query string's parameters, in order (a parameter may repeat).
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Params, WebError> {
        match raw {
            None => Ok(Params::default()),
            Some(raw) => serde_urlencoded::from_str(raw)
                .map(Params)
                .map_err(|e| WebError::BadRequest(format!("query string: {e}"))),
        }
    }

    /// The last non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, WebError> {
        self.get(name)
            .map(|text| {
                tianping_domain::dates::parse_date(text)
                    .map_err(|e| WebError::BadRequest(format!("{name}: {e}")))
            })
            .transpose()
    }

    pub fn required_date(&self, name: &str) -> Result<NaiveDate, WebError> {
        self.date(name)?.ok_or_else(|| {
            WebError::BadRequest(format!("{name} is required (a date such as 2024-12-31)"))
        })
    }
}

#[derive(Debug, Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

/// `POST /api/v1/login`: the user and the session's CSRF token (for `POST /api/v1/logout`).
async fn login(
    State(state): State<AppState>,
    session: Session,
    ClientAddr(addr): ClientAddr,
    Json(credentials): Json<Credentials>,
) -> Result<Response, SignInError> {
    let user = sign_in(
        &state,
        &session,
        &credentials.username,
        &credentials.password,
        addr,
    )
    .await?;
    let csrf = csrf_token(&session).await?;
    Ok(Json(json!({
        "username": user.username,
        "role": user.role,
        "court_code": user.court_code,
        "judge_name": user.judge_name,
        "csrf_token": csrf,
    }))
    .into_response())
}

/// `POST /api/v1/logout` with the session's token in `X-CSRF-Token`: a page of another site
/// cannot sign the user out.
async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<StatusCode, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    sign_out(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(user: CurrentUser) -> Json<Value> {
    Json(json!({
        "username": user.user.username,
        "role": user.user.role,
        "court_code": user.user.court_code,
        "judge_name": user.user.judge_name,
        "csrf_token": user.csrf,
    }))
}

/// `GET /api/v1/indicators?from=&to=&as_of=&scope=&by=`.
async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let from = params.required_date("from")?;
    let to = params.required_date("to")?;
    let as_of = params.date("as_of")?.unwrap_or(to);
    let by_text = params.get("by").unwrap_or("none");
    let by = GroupBy::parse(by_text).ok_or_else(|| {
        WebError::BadRequest(format!(
            "by: '{by_text}' is not one of none, court, division, judge, class, type_code"
        ))
    })?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), data.courts())?;
    let query = Data::query(&scope, from, to, as_of, by);
    let rows = data.indicators(&scope, &query)?;
    Ok(document(&indicators_document(&query, &rows)))
}

/// `GET /api/v1/deadlines?as_of=&scope=&status=`.
async fn deadlines(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let as_of = params.date("as_of")?.unwrap_or_else(|| state.today());
    let status = match params.get("status") {
        Some(text) => StatusFilter::parse(text).ok_or_else(|| {
            WebError::BadRequest(format!(
                "status: '{text}' is not one of overdue, due_soon, suspended, ok, no_limit, all"
            ))
        })?,
        None => StatusFilter::Limited,
    };
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), data.courts())?;
    let rows = data.deadlines(&scope, as_of, status);
    Ok(document(&deadlines_document(as_of, &rows)))
}

/// `GET /api/v1/signals?year=&scope=`. A court-level view: not for judges.
async fn signals(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let year: i32 = params
        .get("year")
        .ok_or_else(|| WebError::BadRequest("year is required".into()))?
        .parse()
        .map_err(|_| WebError::BadRequest("year: not a year".into()))?;
    if !(1949..=2099).contains(&year) {
        return Err(WebError::BadRequest(format!(
            "year: {year} is out of range"
        )));
    }
    if user.role() == Role::Judge {
        return Err(WebError::Forbidden(
            "年底立案信号是法院层面的统计，仅对审管办和管理员开放".into(),
        ));
    }
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), data.courts())?;
    let rows = data.signals(&scope, year);
    Ok(document(&signals_document(year, &rows)))
}

/// `GET /api/v1/case-numbers/parse?q=…&q=…`: one object per `q`, in order.
async fn parse_case_numbers(
    _user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let inputs = params.all("q");
    if inputs.is_empty() {
        return Err(WebError::BadRequest(
            "q is required (one or more case numbers)".into(),
        ));
    }
    Ok(document(&case_numbers_document(&inputs)))
}
