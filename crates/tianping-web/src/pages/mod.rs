//! The server-rendered pages (Chinese). Every page but sign-in takes a [`CurrentUser`] (401
//! without a session) and reads data only through a [`crate::scope::CourtScope`].

mod admin;
mod cases;
pub(crate) mod courts;
mod import;
mod indicators;
mod lists;
mod login;
mod mediation;
mod period;
mod petitions;
mod ranking;
mod refunds;
mod reports;
mod suggestions;
mod table;

pub(crate) use courts::KEY_INDICATORS;
use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Serialize;
use tianping_domain::CourtTable;
use tianping_domain::access::Role;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::data::Data;
use crate::error::ErrorMessage;
use crate::scope::CourtScope;

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(login::form)
                .post(login::submit)
                .layer(DefaultBodyLimit::max(
                    crate::request_limits::SIGN_IN_BODY_BYTES,
                )),
        )
        .route("/logout", post(login::logout))
        .route("/", get(courts::overview))
        .route("/courts/{code}", get(courts::court))
        .route("/courts/{code}/divisions/{division}", get(courts::division))
        .route("/courts/{code}/judges/{judge}", get(courts::judge))
        .route("/cases", get(cases::list))
        .route("/cases/{case_number}", get(cases::detail))
        .route("/deadlines", get(lists::deadlines))
        .route("/deadlines.xlsx", get(lists::deadlines_xlsx))
        .route("/long-pending", get(lists::long_pending))
        .route("/signals", get(lists::signals))
        .route("/ranking", get(ranking::page))
        .route("/mediation", get(mediation::list).post(mediation::register))
        .route("/mediation/indicators", get(mediation::indicators))
        .route("/mediation/{id}", get(mediation::detail))
        .route("/mediation/{id}/act", post(mediation::act))
        .route("/mediators", get(mediation::roster))
        .route("/petitions", get(petitions::list).post(petitions::create))
        .route("/petitions/indicators", get(petitions::indicators))
        .route("/petitions/{id}", get(petitions::detail))
        .route("/petitions/{id}/act", post(petitions::act))
        .route(
            "/suggestions",
            get(suggestions::list).post(suggestions::create),
        )
        .route("/suggestions/indicators", get(suggestions::indicators))
        .route("/suggestions/{no}", get(suggestions::detail))
        .route("/suggestions/{no}/act", post(suggestions::act))
        .route("/refunds", get(refunds::list).post(refunds::create))
        .route("/refunds/indicators", get(refunds::indicators))
        .route("/refunds/{id}", get(refunds::detail))
        .route("/refunds/{id}/act", post(refunds::act))
        .route("/reports/bulletin", get(reports::bulletin))
        .route("/indicators", get(indicators::page))
        .route(
            crate::request_limits::UPLOAD_PATH,
            get(import::form)
                .post(import::upload)
                .layer(DefaultBodyLimit::max(state.settings.max_upload_bytes)),
        )
        .route("/import/template/{kind}", get(import::template))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route("/admin/users/{username}", post(admin::change_user))
        .route("/admin/audit", get(admin::audit))
        .route(
            "/admin/settings",
            get(admin::settings).post(admin::set_setting),
        )
}

/// The Chinese message of an error the framework answered by itself (its text is English).
fn framework_message(status: StatusCode, api: bool) -> &'static str {
    match status.as_u16() {
        400 => "请求的参数或格式有误",
        401 => "请先登录",
        403 => "无权访问",
        404 if api => "没有这个接口",
        404 => "页面不存在",
        405 => "不支持此请求方法",
        408 => "请求超时，请重试",
        413 => "请求内容过大",
        414 => "网址过长",
        415 => "不支持此内容类型",
        422 => "请求的内容无法处理",
        429 => "请求过于频繁，请稍后再试",
        431 => "请求头过大",
        503 => "服务暂时不可用，请稍后再试",
        500..=599 => "服务器内部错误",
        _ => "请求有误",
    }
}

/// Whether a response is already a page or a JSON document (the import's list of errors, the
/// users page with its message): those pass as they are.
fn is_document(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"))
}

/// Every error answer in one of two shapes, whoever made it: a Chinese HTML page with the
/// error's status for the pages, `{"error": MESSAGE}` for the API (`/api/`). Errors of the
/// handlers carry their message ([`ErrorMessage`]); the framework's own rejections (an unknown
/// route, a wrong method, a query or body it cannot read, a body over the limit) are English
/// plain text and get the Chinese message of their status. Without a session the page says so
/// and leads to sign-in (status 401). The headers stay (`Allow` of a 405, the session cookie).
pub async fn error_shapes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(req).await;
    let status = response.status();
    let message = match response.extensions().get::<ErrorMessage>() {
        Some(_) if api => return response,
        Some(ErrorMessage(message)) => message.clone(),
        None if (status.is_client_error() || status.is_server_error())
            && !is_document(&response) =>
        {
            framework_message(status, api).to_owned()
        }
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let (content_type, body) = if api {
        (
            "application/json",
            serde_json::to_string(&crate::error::ErrorBody {
                error: message.clone(),
                field: None,
            })
            .expect("an error body always serializes"),
        )
    } else {
        let login = (status == StatusCode::UNAUTHORIZED).then(|| {
            format!(
                "/login?next={}",
                serde_urlencoded::to_string([("v", &target)])
                    .unwrap_or_default()
                    .trim_start_matches("v=")
            )
        });
        let page = state.templates.render(
            "error.html",
            context! {
                status => status.as_u16(),
                message => message,
                login => login,
            },
        );
        match page {
            Ok(Html(html)) => ("text/html; charset=utf-8", html),
            Err(_) => ("text/plain; charset=utf-8", message.clone()),
        }
    };
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    parts.extensions.insert(ErrorMessage(message));
    Response::from_parts(parts, Body::from(body))
}

/// Who is signed in, for the page header.
#[derive(Debug, Serialize)]
pub struct Me {
    username: String,
    role: &'static str,
    role_zh: &'static str,
    court_code: Option<String>,
    court_name: Option<String>,
    judge_name: Option<String>,
    is_admin: bool,
    can_import: bool,
    can_see_signals: bool,
}

/// The header's context: the user, the CSRF token for the sign-out form, the active menu item.
#[derive(Debug, Serialize)]
pub struct Base {
    me: Me,
    csrf: String,
    nav: &'static str,
}

pub fn base(user: &CurrentUser, courts: &CourtTable, nav: &'static str) -> Base {
    let u = &user.user;
    Base {
        me: Me {
            username: u.username.clone(),
            role: u.role.id(),
            role_zh: u.role.name_zh(),
            court_name: u
                .court_code
                .as_deref()
                .map(|c| courts.name_of(c).to_owned()),
            court_code: u.court_code.clone(),
            judge_name: u.judge_name.clone(),
            is_admin: u.role == Role::Admin,
            can_import: u.role != Role::Judge,
            can_see_signals: u.role != Role::Judge,
        },
        csrf: user.csrf.clone(),
        nav,
    }
}

/// One court for a select box, indented by depth.
#[derive(Debug, Serialize)]
pub struct CourtOption {
    code: String,
    name: String,
    depth: usize,
}

/// The courts of the scope, parents before children, for filters.
pub fn court_options(data: &Data, scope: &CourtScope) -> Vec<CourtOption> {
    let courts = data.courts();
    // Each court's children in code order, found in one pass over the table (asking the table
    // for each court's children would look at every court once per court).
    let mut children: HashMap<String, Vec<&str>> = HashMap::new();
    let mut tops = Vec::new();
    for c in courts.iter() {
        match courts.parent_of(&c.code) {
            Some(parent) if courts.get(&parent).is_some() => {
                children.entry(parent).or_default().push(&c.code);
            }
            _ => tops.push(c.code.as_str()),
        }
    }
    fn walk(
        courts: &CourtTable,
        children: &HashMap<String, Vec<&str>>,
        code: &str,
        depth: usize,
        out: &mut Vec<CourtOption>,
    ) {
        out.push(CourtOption {
            code: code.to_owned(),
            name: courts.name_of(code).to_owned(),
            depth,
        });
        for child in children.get(code).into_iter().flatten() {
            walk(courts, children, child, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    match scope.court() {
        Some(code) => walk(courts, &children, code, 0, &mut out),
        None => {
            for top in tops {
                walk(courts, &children, top, 0, &mut out);
            }
        }
    }
    out
}

/// Links from the top of the user's scope down to `code`: (code, name).
pub fn breadcrumb(
    courts: &CourtTable,
    user_scope: &CourtScope,
    code: &str,
) -> Vec<(String, String)> {
    let mut chain: Vec<(String, String)> = courts
        .ancestors(code)
        .into_iter()
        .filter(|c| user_scope.contains_court(courts, c))
        .map(|c| {
            let name = courts.name_of(&c).to_owned();
            (c, name)
        })
        .collect();
    chain.reverse();
    chain
}

/// A redirect after a POST (303: the browser follows with GET).
pub fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// A query parameter's value, trimmed; `None` when absent or blank.
fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
