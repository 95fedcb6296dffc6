//! The API's OpenAPI document (`GET /api/v1/openapi.json`), derived by utoipa from the handlers
//! of [`crate::api`] (their `#[utoipa::path]`s) and the types they answer with: the documents of
//! `tianping_metrics::documents`, the rows and enums behind them (feature `openapi` of
//! tianping-metrics and tianping-domain), the user and the error body of this crate. A field
//! added to a row shows in the document by itself; `tests/openapi.rs` holds real answers against
//! it, and every route of [`crate::api::route_table`] against its paths.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::error::ErrorBody;

const DESCRIPTION: &str = "The JSON API of Tianping (天平). Every answer is byte for byte what \
`tianping … --format json` prints for the same question (interfaces.md). Sign in with POST \
/api/v1/login; the session cookie `tianping_session` carries the session. Without a session \
every route answers 401; a scope outside the user's court answers 403; without `scope` the \
answer is for the user's own court (administrators: every court, key `all`). Judges get their \
own cases only. Errors answer `{\"error\": MESSAGE}`, the message in Chinese.";

/// No session, or its user is gone or disabled (请先登录).
#[derive(Debug, ToResponse)]
#[response(description = "没有会话（请先登录）")]
pub struct Unauthenticated(pub ErrorBody);

/// A scope outside the user's court.
#[derive(Debug, ToResponse)]
#[response(description = "超出本账号的法院范围")]
pub struct Forbidden(pub ErrorBody);

/// A parameter that cannot be read (the command line's exit code 2).
#[derive(Debug, ToResponse)]
#[response(description = "参数有误（命令行的退出码 2）")]
pub struct BadRequest(pub ErrorBody);

#[derive(OpenApi)]
#[openapi(
    info(title = "天平 Tianping API", version = "1", description = DESCRIPTION),
    servers((url = "/api/v1")),
    paths(
        crate::api::login,
        crate::api::logout,
        crate::api::me,
        crate::api::indicators,
        crate::api::deadlines,
        crate::api::signals,
        crate::api::parse_case_numbers,
        crate::mediation::list,
        crate::mediation::create,
        crate::mediation::show,
        crate::mediation::take_action,
        crate::mediation::due,
        crate::mediation::indicators,
        crate::petitions::list,
        crate::petitions::create,
        crate::petitions::show,
        crate::petitions::take_action,
        crate::petitions::due,
        crate::petitions::indicators,
        crate::petitions::matters,
        crate::suggestions::list,
        crate::suggestions::create,
        crate::suggestions::show,
        crate::suggestions::take_action,
        crate::suggestions::letter,
        crate::suggestions::due,
        crate::suggestions::indicators,
        crate::refunds::list,
        crate::refunds::create,
        crate::refunds::show,
        crate::refunds::take_action,
        crate::refunds::due,
        crate::refunds::indicators,
        serve,
    ),
    components(responses(Unauthenticated, Forbidden, BadRequest)),
    modifiers(&SessionCookie),
    security(("session" = [])),
)]
struct ApiDoc;

/// The session cookie as the security scheme `session`.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "tianping_session",
                "the session cookie that POST /login sets",
            ))),
        );
    }
}

/// The document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as served: pretty JSON, built once.
pub fn document_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut bytes = openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serializes")
            .into_bytes();
        bytes.push(b'\n');
        bytes
    })
}

/// `GET /api/v1/openapi.json`: the API's description (public, like the static assets).
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "tianping",
    summary = "This document",
    security(()),
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")),
)]
pub async fn serve() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        document_bytes(),
    )
        .into_response()
}
