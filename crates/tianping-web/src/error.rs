//! The one error type of the web layer, and the one place where errors become HTTP statuses.
//!
//! Every error response carries a JSON body `{"error": MESSAGE}`; the outermost middleware
//! (`pages::error_shapes`) turns it into a Chinese HTML page with the same status for every path
//! outside `/api/`, and gives the framework's own rejections (plain English text) the same two
//! shapes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tianping_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No session, or the session's user no longer exists or is disabled.
    #[error("请先登录")]
    Unauthenticated,
    /// Signed in, but the court (or case) asked for is outside the user's scope, or the page is
    /// for administrators only.
    #[error("{0}")]
    Forbidden(String),
    /// A parameter that cannot be read (a date, a code, a missing field).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed input whose content is refused (an import file with errors).
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    NotFound(String),
    /// An action not allowed from the record's state (409).
    #[error("{0}")]
    Conflict(String),
    /// A value a workflow rule refuses (422), naming the field: `{"error", "field"}`.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// A form without a valid CSRF token.
    #[error("表单已过期或来源不明，请刷新页面后重试")]
    Csrf,
    /// A request target (path or query string) longer than any page links to.
    #[error("{0}")]
    UriTooLong(String),
    /// Sign-in throttling.
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Internal(String),
}

impl WebError {
    /// The status of each error: this is the only place that chooses one.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn forbidden_scope(code: &str) -> WebError {
        WebError::Forbidden(format!("无权查看 {code}：超出本账号的法院范围"))
    }
}

/// The body of every error answer of the API: `{"error": MESSAGE}`, the message in Chinese;
/// a refused workflow value also names its `field`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The message of an error response, for the pages' middleware.
#[derive(Debug, Clone)]
pub struct ErrorMessage(pub String);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            // Details of internal failures go to the server's log, not to the browser.
            WebError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                "服务器内部错误".to_owned()
            }
            other => other.to_string(),
        };
        let field = match &self {
            WebError::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: message.clone(),
                field,
            }),
        )
            .into_response();
        response.extensions_mut().insert(ErrorMessage(message));
        response
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Internal(format!("store: {e}"))
    }
}

impl From<tower_sessions::session::Error> for WebError {
    fn from(e: tower_sessions::session::Error) -> Self {
        WebError::Internal(format!("session: {e}"))
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {e:#}"))
    }
}
