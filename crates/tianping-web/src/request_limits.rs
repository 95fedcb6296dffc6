//! What one request may take: bytes of body and time. Bodies are bounded by route (a sign-in, a
//! form, an upload); time by the connection (headers), by the gap between body bytes, and by the
//! whole request. An upload may take longer than anything else, since its size is bounded on its
//! own ([`crate::Settings::max_upload_bytes`]).

use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ErrorMessage;

/// The body of a sign-in (the page's form or the API's JSON): a username and a password, bounded
/// themselves ([`crate::users::MAX_USERNAME_CHARS`], [`crate::users::MAX_PASSWORD_BYTES`]), fit
/// many times over. Anyone can send one, so it is the smallest.
pub const SIGN_IN_BODY_BYTES: usize = 16 * 1024;

/// Every other body but the upload's: the forms are a few short fields.
pub const FORM_BODY_BYTES: usize = 64 * 1024;

/// The route whose POST is an upload: it keeps [`crate::Settings::max_upload_bytes`] and
/// [`Timeouts::upload`].
pub const UPLOAD_PATH: &str = "/import";

/// How long the server waits on a client.
#[derive(Debug, Clone)]
pub struct Timeouts {
    /// From the first byte of a request (or the end of the previous answer on a kept-alive
    /// connection) to the end of its headers; then the connection is closed. Against clients that
    /// open connections and send a request slowly or never.
    pub header_read: Duration,
    /// The longest pause between two pieces of a body; then reading it fails (400).
    pub body_idle: Duration,
    /// A whole request, body and answer; then 408 and the connection is closed.
    pub request: Duration,
    /// A whole upload (`POST /import`): reading up to the upload limit over a slow link, checking
    /// and storing it.
    pub upload: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(10),
            body_idle: Duration::from_secs(30),
            request: Duration::from_secs(60),
            upload: Duration::from_secs(10 * 60),
        }
    }
}

/// Answer 408 when a request takes longer than its time limit (the upload's or everyone else's).
/// The work of a dropped request stops at its next await; blocking work already handed to a
/// thread finishes there unobserved.
pub async fn time_limit(State(timeouts): State<Timeouts>, req: Request, next: Next) -> Response {
    let limit = if req.method() == Method::POST && req.uri().path() == UPLOAD_PATH {
        timeouts.upload
    } else {
        timeouts.request
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            let message = format!("请求超时：{} 秒内未能完成，请重试", limit.as_secs());
            let mut response = (
                StatusCode::REQUEST_TIMEOUT,
                // The client may still be sending: the connection cannot carry another request.
                [(header::CONNECTION, "close")],
                Json(serde_json::json!({ "error": message.clone() })),
            )
                .into_response();
            response.extensions_mut().insert(ErrorMessage(message));
            response
        }
    }
}
