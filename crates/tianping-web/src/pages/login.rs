//! Sign-in and sign-out pages.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use tower_sessions::Session;

use super::see_other;
use crate::auth::{ClientAddr, CsrfForm, CurrentUser, csrf_token, sign_in, sign_out};
use crate::{AppState, WebError};

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a path of this site: never another host (`//host`, `https://…`).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn page(
    state: &AppState,
    csrf: &str,
    next: &str,
    username: &str,
    error: Option<String>,
) -> Result<axum::response::Html<String>, WebError> {
    state.templates.render(
        "login.html",
        context! {
            title => "登录",
            csrf => csrf,
            next => next,
            username => username,
            error => error,
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let csrf = csrf_token(&session).await?;
    Ok(page(&state, &csrf, &safe_next(q.next.as_deref()), "", None)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    ClientAddr(addr): ClientAddr,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    match sign_in(&state, &session, &form.username, &form.password, addr).await {
        Ok(_) => Ok(see_other(&next)),
        Err(e @ (WebError::Unauthenticated | WebError::TooManyRequests(_))) => {
            let status = e.status();
            let message = match e {
                WebError::Unauthenticated => "用户名或密码错误".to_owned(),
                other => other.to_string(),
            };
            let csrf = csrf_token(&session).await?;
            let html = page(&state, &csrf, &next, form.username.trim(), Some(message))?;
            Ok((status, html).into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {}

pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(_form): CsrfForm<LogoutForm>,
) -> Result<Response, WebError> {
    sign_out(&state, &user).await?;
    Ok(see_other("/login"))
}
