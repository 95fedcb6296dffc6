//! Sign-in and sign-out pages. The sign-in page stores nothing for an anonymous visitor: its
//! CSRF token lives in a cookie of its own ([`crate::auth::sign_in_form_token`]).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use tower_sessions::Session;

use super::see_other;
use crate::auth::{
    ClientAddr, CsrfForm, CurrentUser, SignInError, SignInForm, sign_in, sign_in_form_token,
    sign_out,
};
use crate::{AppState, WebError};

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Where to go after sign-in: a path of this site only, else `/`. Browsers drop tabs and line
/// breaks from a URL and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave
/// the site as `//evil.example` does: a path must start with one `/` and hold no backslash,
/// whitespace or control character, neither as given nor once percent-decoded.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) && is_local_path(&percent_decoded(n)) => {
            percent_encode_non_ascii(n)
        }
        _ => "/".to_owned(),
    }
}

fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// `%XX` sequences decoded (others left as they are), invalid UTF-8 replaced.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `Location` header carries ASCII: other characters (a court's name typed into the address
/// bar) as their UTF-8 bytes, percent-encoded.
fn percent_encode_non_ascii(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
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
            account_failures => state.settings.throttle.account_failures,
            max_delay_minutes => state.settings.throttle.max_delay.as_secs().div_ceil(60),
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let (csrf, cookie) = sign_in_form_token(&state, &headers);
    let mut response =
        page(&state, &csrf, &safe_next(q.next.as_deref()), "", None)?.into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
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
    SignInForm { form, token }: SignInForm<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    match sign_in(&state, &session, &form.username, &form.password, addr).await {
        Ok(_) => Ok(see_other(&next)),
        Err(SignInError::Web(e)) => Err(e),
        Err(e) => {
            // An over-long name is not shown back.
            let username = match e {
                SignInError::TooLong => "",
                _ => form.username.trim(),
            };
            let html = page(&state, &token, &next, username, Some(e.message()))?;
            let mut response = (e.status(), html).into_response();
            if let Some((name, value)) = e.retry_after() {
                response.headers_mut().insert(name, value);
            }
            Ok(response)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_sign_in_only_a_path_of_this_site_is_followed() {
        let table = [
            // Kept: paths of this site.
            ("/deadlines", "/deadlines"),
            (
                "/cases?court=%E7%9A%96&status=all",
                "/cases?court=%E7%9A%96&status=all",
            ),
            ("/courts/皖0202", "/courts/%E7%9A%960202"),
            ("/%252F/evil.example", "/%252F/evil.example"),
            // Refused: another host, however spelled.
            ("//evil.example/", "/"),
            ("https://evil.example/", "/"),
            ("evil.example", "/"),
            ("", "/"),
            ("/\t/evil.example/", "/"),
            ("/\n/evil.example/", "/"),
            ("/\r/evil.example/", "/"),
            ("/ /evil.example/", "/"),
            ("/\\evil.example/", "/"),
            ("\\/evil.example/", "/"),
            ("/\u{0}/evil.example/", "/"),
            ("/\u{3000}/evil.example/", "/"),
            // The same once percent-decoded.
            ("/%09/evil.example/", "/"),
            ("/%0a/evil.example/", "/"),
            ("/%0D/evil.example/", "/"),
            ("/%20/evil.example/", "/"),
            ("/%5Cevil.example/", "/"),
            ("/%5cevil.example/", "/"),
            ("/%2F/evil.example/", "/"),
            ("/%2f%2fevil.example/", "/"),
            ("/%00/evil.example/", "/"),
            ("/%E3%80%80/evil.example/", "/"),
        ];
        for (next, goes_to) in table {
            assert_eq!(safe_next(Some(next)), goes_to, "next={next:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
