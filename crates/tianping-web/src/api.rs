//! The JSON API (`/api/v1`, interfaces.md): the same documents, byte for byte, as the command
//! line's `--format json` for the same question. Without a session every route answers 401; a
//! scope outside the user's court 403; no scope means the user's own court (administrators: all).

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tianping_domain::access::Role;
use tianping_metrics::deadlines::StatusFilter;
use tianping_metrics::documents::{
    CaseNumberResult, DeadlinesDocument, IndicatorsDocument, SignalsDocument,
    case_numbers_document, deadlines_document, indicators_document, signals_document,
    to_json_bytes,
};
use tianping_metrics::{DeadlineFilter, GroupBy};
use tianping_store::UserRecord;
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{
    CSRF_HEADER, ClientAddr, CourtLevelUser, CurrentUser, SignInError, SignalsView, check_csrf,
    csrf_token, sign_in, sign_out,
};
use crate::error::ErrorBody;
use crate::openapi::{BadRequest, Forbidden, Unauthenticated};
use crate::scope::authorize;
use crate::{AppState, WebError};

/// One route of the API: its method, its path under `/api/v1`, and its handler. [`routes`]
/// registers exactly these, and the tests hold each against the OpenAPI document
/// ([`crate::openapi`]), so no route goes undocumented.
#[derive(Debug)]
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

/// Every route of the API.
pub fn route_table() -> Vec<ApiRoute> {
    let route = |method: Method, path, handler| ApiRoute {
        method,
        path,
        handler,
    };
    vec![
        route(
            Method::POST,
            "/login",
            post(login).layer(DefaultBodyLimit::max(
                crate::request_limits::SIGN_IN_BODY_BYTES,
            )),
        ),
        route(Method::POST, "/logout", post(logout)),
        route(Method::GET, "/me", get(me)),
        route(Method::GET, "/indicators", get(indicators)),
        route(Method::GET, "/deadlines", get(deadlines)),
        route(Method::GET, "/signals", get(signals)),
        route(Method::GET, "/case-numbers/parse", get(parse_case_numbers)),
        route(Method::GET, "/openapi.json", get(crate::openapi::serve)),
        route(Method::GET, "/mediation/items", get(crate::mediation::list)),
        route(
            Method::POST,
            "/mediation/items",
            post(crate::mediation::create),
        ),
        route(
            Method::GET,
            "/mediation/items/{id}",
            get(crate::mediation::show),
        ),
        route(
            Method::POST,
            "/mediation/items/{id}/actions",
            post(crate::mediation::take_action),
        ),
        route(Method::GET, "/mediation/due", get(crate::mediation::due)),
        route(
            Method::GET,
            "/mediation/indicators",
            get(crate::mediation::indicators),
        ),
        route(Method::GET, "/petitions/items", get(crate::petitions::list)),
        route(
            Method::POST,
            "/petitions/items",
            post(crate::petitions::create),
        ),
        route(
            Method::GET,
            "/petitions/items/{id}",
            get(crate::petitions::show),
        ),
        route(
            Method::POST,
            "/petitions/items/{id}/actions",
            post(crate::petitions::take_action),
        ),
        route(Method::GET, "/petitions/due", get(crate::petitions::due)),
        route(
            Method::GET,
            "/petitions/indicators",
            get(crate::petitions::indicators),
        ),
        route(
            Method::GET,
            "/petitions/matters",
            get(crate::petitions::matters),
        ),
        route(
            Method::GET,
            "/suggestions/items",
            get(crate::suggestions::list),
        ),
        route(
            Method::POST,
            "/suggestions/items",
            post(crate::suggestions::create),
        ),
        route(
            Method::GET,
            "/suggestions/items/{no}",
            get(crate::suggestions::show),
        ),
        route(
            Method::POST,
            "/suggestions/items/{no}/actions",
            post(crate::suggestions::take_action),
        ),
        route(
            Method::GET,
            "/suggestions/items/{no}/letter",
            get(crate::suggestions::letter),
        ),
        route(
            Method::GET,
            "/suggestions/due",
            get(crate::suggestions::due),
        ),
        route(
            Method::GET,
            "/suggestions/indicators",
            get(crate::suggestions::indicators),
        ),
        route(Method::GET, "/refunds/items", get(crate::refunds::list)),
        route(Method::POST, "/refunds/items", post(crate::refunds::create)),
        route(
            Method::GET,
            "/refunds/items/{id}",
            get(crate::refunds::show),
        ),
        route(
            Method::POST,
            "/refunds/items/{id}/actions",
            post(crate::refunds::take_action),
        ),
        route(Method::GET, "/refunds/due", get(crate::refunds::due)),
        route(
            Method::GET,
            "/refunds/indicators",
            get(crate::refunds::indicators),
        ),
    ]
}

pub fn routes() -> Router<AppState> {
    route_table()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.handler))
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
                .map_err(|_| WebError::BadRequest("查询参数无法读取".to_owned())),
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
                    .map_err(|e| WebError::BadRequest(format!("{name}: {}", e.zh())))
            })
            .transpose()
    }

    pub fn required_date(&self, name: &str) -> Result<NaiveDate, WebError> {
        self.date(name)?
            .ok_or_else(|| WebError::BadRequest(format!("{name}：须给出日期（如 2024-12-31）")))
    }
}

/// The body of `POST /login`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The signed-in user, as `POST /login` and `GET /me` answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserAnswer {
    pub username: String,
    pub role: Role,
    /// The court a staff member or judge works in; `null` for administrators.
    pub court_code: Option<String>,
    /// The judge's name as the case data writes it (承办人); `null` but for judges.
    pub judge_name: Option<String>,
    /// The session's CSRF token, for `X-CSRF-Token` on `POST /logout`.
    pub csrf_token: String,
}

impl UserAnswer {
    fn new(user: &UserRecord, csrf_token: String) -> UserAnswer {
        UserAnswer {
            username: user.username.clone(),
            role: user.role,
            court_code: user.court_code.clone(),
            judge_name: user.judge_name.clone(),
            csrf_token,
        }
    }
}

/// The parameters of `GET /indicators`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorsParams {
    /// The period's first day.
    pub from: NaiveDate,
    /// The period's last day.
    pub to: NaiveDate,
    /// Linked outcomes known on this date (default: `to`).
    pub as_of: Option<NaiveDate>,
    /// A court code: that court and all below (default: the user's own court; administrators:
    /// every court).
    pub scope: Option<String>,
    /// How rows are grouped (default: `none`, one row).
    #[param(inline)]
    pub by: Option<GroupBy>,
}

impl IndicatorsParams {
    fn read(params: &Params) -> Result<IndicatorsParams, WebError> {
        let by = match params.get("by") {
            None => None,
            Some(text) => Some(GroupBy::parse(text).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "by: '{text}' is not one of none, court, division, judge, class, type_code"
                ))
            })?),
        };
        Ok(IndicatorsParams {
            from: params.required_date("from")?,
            to: params.required_date("to")?,
            as_of: params.date("as_of")?,
            scope: params.get("scope").map(str::to_owned),
            by,
        })
    }
}

/// The parameters of `GET /deadlines`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlinesParams {
    /// The date of the list (default: today, China Standard Time).
    pub as_of: Option<NaiveDate>,
    /// A court code (default: the user's own court).
    pub scope: Option<String>,
    /// `overdue`, `due_soon`, `suspended`, `ok`, `no_limit` or `all` (default: every case with a
    /// time limit).
    #[param(pattern = "^(overdue|due_soon|suspended|ok|no_limit|all|limited)$")]
    pub status: Option<String>,
    /// That court itself only, not the courts below it (within the scope; 403 outside).
    pub court: Option<String>,
    /// A division (庭室) by name; `未分配` picks the cases without one.
    pub division: Option<String>,
    /// A judge (承办人) by name; `未分配` picks the cases without one.
    pub judge: Option<String>,
    /// Only cases whose deadline falls on or before this date (overdue cases included).
    pub due_by: Option<NaiveDate>,
    /// Only cases with at most this many days left (overdue cases included).
    pub within: Option<i64>,
    /// Only cases of this type code (类型代字), e.g. `民初`.
    pub type_code: Option<String>,
    /// Only cases whose cause (案由) contains this text.
    pub cause: Option<String>,
    /// The warning window of `due_soon` (临近审限) in days (default 15).
    #[param(minimum = 0, maximum = 365)]
    pub window: Option<i64>,
}

/// The parameters of `GET /signals`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignalsParams {
    /// The year, `YYYY`.
    #[param(minimum = 1949, maximum = 2099)]
    pub year: i32,
    /// A court code (default: the user's own court).
    pub scope: Option<String>,
}

/// The parameters of `GET /case-numbers/parse`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseNumbersParams {
    /// A case number; repeat for several (`?q=…&q=…`).
    #[param(style = Form, explode)]
    pub q: Vec<String>,
}

/// `POST /api/v1/login`: the user and the session's CSRF token (for `POST /api/v1/logout`).
#[utoipa::path(
    post,
    path = "/login",
    tag = "tianping",
    summary = "Sign in; sets the session cookie",
    security(()),
    request_body = Credentials,
    responses(
        (status = 200, description = "signed in", body = UserAnswer),
        (status = 400, description = "a username over 64 characters or a password over 1024 bytes", body = ErrorBody),
        (status = 401, description = "wrong username or password, or a disabled account (用户名或密码错误)", body = ErrorBody),
        (status = 413, description = "a body over 16 KiB", body = ErrorBody),
        (status = 429, description = "too many failed sign-ins from this address (5 on one account or 20 on any; the wait doubles with each further failure, up to 15 minutes)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait"))),
    )
)]
pub(crate) async fn login(
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
    Ok(Json(UserAnswer::new(&user, csrf)).into_response())
}

/// `POST /api/v1/logout` with the session's token in `X-CSRF-Token`: a page of another site
/// cannot sign the user out.
#[utoipa::path(
    post,
    path = "/logout",
    tag = "tianping",
    summary = "End the session",
    params(("X-CSRF-Token" = String, Header,
        description = "the session's CSRF token (csrf_token of the sign-in answer or of GET /me)")),
    responses(
        (status = 204, description = "signed out"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "no or a wrong X-CSRF-Token", body = ErrorBody),
    )
)]
pub(crate) async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<StatusCode, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    sign_out(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/me`: the signed-in user.
#[utoipa::path(
    get,
    path = "/me",
    tag = "tianping",
    summary = "The signed-in user",
    responses(
        (status = 200, description = "the user", body = UserAnswer),
        (status = 401, response = Unauthenticated),
    )
)]
pub(crate) async fn me(user: CurrentUser) -> Json<UserAnswer> {
    Json(UserAnswer::new(&user.user, user.csrf))
}

/// `GET /api/v1/indicators?from=&to=&as_of=&scope=&by=`.
#[utoipa::path(
    get,
    path = "/indicators",
    tag = "tianping",
    summary = "Indicators for a period, scope and grouping (tianping indicators --format json)",
    params(IndicatorsParams),
    responses(
        (status = 200, description = "the document", body = IndicatorsDocument),
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
    let q = IndicatorsParams::read(&Params::parse(raw.as_deref())?)?;
    let as_of = q.as_of.unwrap_or(q.to);
    let by = q.by.unwrap_or(GroupBy::None);
    let data = state.data().await?;
    let scope = authorize(&user.user, q.scope.as_deref(), &*data)?;
    let rows = data.scoped(&scope).indicators(q.from, q.to, as_of, by)?;
    let query = tianping_metrics::IndicatorQuery {
        from: q.from,
        to: q.to,
        as_of,
        scope: scope.court().map(str::to_owned),
        by,
    };
    Ok(document(&indicators_document(&query, &rows)))
}

/// `GET /api/v1/deadlines?as_of=&scope=&status=`, and Tianping's filters `court` (the court
/// itself), `division`, `judge`, `due_by` (deadline on or before) and `within` (days left).
#[utoipa::path(
    get,
    path = "/deadlines",
    tag = "tianping",
    summary = "Pending cases with their deadlines (tianping deadlines --format json)",
    params(DeadlinesParams),
    responses(
        (status = 200, description = "the document", body = DeadlinesDocument),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn deadlines(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let q = DeadlinesParams {
        as_of: params.date("as_of")?,
        scope: params.get("scope").map(str::to_owned),
        status: params.get("status").map(str::to_owned),
        court: params.get("court").map(str::to_owned),
        division: params.get("division").map(str::to_owned),
        judge: params.get("judge").map(str::to_owned),
        due_by: params.date("due_by")?,
        within: params
            .get("within")
            .map(|text| {
                text.parse::<i64>().map_err(|_| {
                    WebError::BadRequest(format!("within: '{text}' is not a number of days"))
                })
            })
            .transpose()?,
        type_code: params.get("type_code").map(str::to_owned),
        cause: params.get("cause").map(str::to_owned),
        window: params
            .get("window")
            .map(|text| {
                text.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=365).contains(n))
                    .ok_or_else(|| {
                        WebError::BadRequest(format!(
                            "window: '{text}' is not a number of days from 0 to 365"
                        ))
                    })
            })
            .transpose()?,
    };
    if let Some(code) = &q.type_code
        && tianping_domain::TypeCode::lookup(code).is_none()
    {
        return Err(WebError::BadRequest(format!(
            "type_code: unknown type code '{code}'"
        )));
    }
    let status = match q.status.as_deref() {
        Some(text) => StatusFilter::parse(text).ok_or_else(|| {
            WebError::BadRequest(format!(
                "status: '{text}' is not one of overdue, due_soon, suspended, ok, no_limit, all"
            ))
        })?,
        None => StatusFilter::Limited,
    };
    let data = state.data().await?;
    // The pages' and the CLI's rule: today, or the last day the data knows when it stops
    // earlier.
    let as_of = q
        .as_of
        .unwrap_or_else(|| data.reference_date(state.today()));
    let scope = authorize(&user.user, q.scope.as_deref(), &*data)?;
    let court = match q.court.as_deref() {
        // The court itself must lie within the scope (403 otherwise), as a scope would.
        Some(code) => scope.narrow(&*data, code)?.court().map(str::to_owned),
        None => None,
    };
    let filter = DeadlineFilter {
        court,
        division: q.division,
        judge: q.judge,
        due_by: q.due_by,
        within_days: q.within,
        type_code: q.type_code,
        cause: q.cause,
        due_soon_days: Some(q.window.unwrap_or(state.settings.due_soon_days)),
    };
    let rows = data.scoped(&scope).deadlines(as_of, status, &filter);
    Ok(document(&deadlines_document(as_of, &rows)))
}

/// `GET /api/v1/signals?year=&scope=`. A court-level view: not for judges.
#[utoipa::path(
    get,
    path = "/signals",
    tag = "tianping",
    summary = "Year-end filing suppression signal per court (tianping signals --format json); not for judges",
    params(SignalsParams),
    responses(
        (status = 200, description = "the document", body = SignalsDocument),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "outside the user's court, or a judge (a court-level view)", body = ErrorBody),
    )
)]
pub(crate) async fn signals(
    State(state): State<AppState>,
    court_user: CourtLevelUser<SignalsView>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let user = court_user.into_user();
    let params = Params::parse(raw.as_deref())?;
    let q = SignalsParams {
        year: params
            .get("year")
            .ok_or_else(|| WebError::BadRequest("year is required".into()))?
            .parse()
            .map_err(|_| WebError::BadRequest("year: not a year".into()))?,
        scope: params.get("scope").map(str::to_owned),
    };
    let year = q.year;
    if !(1949..=2099).contains(&year) {
        return Err(WebError::BadRequest(format!(
            "year: {year} is out of range"
        )));
    }
    let data = state.data().await?;
    let scope = authorize(&user.user, q.scope.as_deref(), &*data)?;
    let rows = data.scoped(&scope).signals(year);
    Ok(document(&signals_document(year, &rows)))
}

/// `GET /api/v1/case-numbers/parse?q=…&q=…`: one object per `q`, in order.
#[utoipa::path(
    get,
    path = "/case-numbers/parse",
    tag = "tianping",
    summary = "Parse case numbers (tianping case-number parse --format json)",
    params(CaseNumbersParams),
    responses(
        (status = 200, description = "one object per q, in order", body = Vec<CaseNumberResult>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
    )
)]
pub(crate) async fn parse_case_numbers(
    _user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let q = CaseNumbersParams {
        q: params.all("q").into_iter().map(str::to_owned).collect(),
    };
    let inputs = q.q;
    if inputs.is_empty() {
        return Err(WebError::BadRequest(
            "q is required (one or more case numbers)".into(),
        ));
    }
    Ok(document(&case_numbers_document(&inputs)))
}
