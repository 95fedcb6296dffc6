//! Sign-in, sessions and CSRF: argon2id password hashes, the [`CurrentUser`] extractor (401
//! without a session), [`AdminUser`] (403 for everyone else), sign-in with its throttle
//! ([`crate::throttle`]), and the two ways a page handler reads a posted form: [`CsrfForm`]
//! (the session's token) and [`SignInForm`] (the sign-in form's token, without a session).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tianping_domain::access::Role;
use tianping_store::UserRecord;
use tokio::sync::Semaphore;
use tower_sessions::Session;
use tower_sessions::cookie::{Cookie, SameSite};

pub use crate::throttle::ThrottlePolicy;
use crate::throttle::{Throttle, retry_after_secs, wait_text};
use crate::users::{MAX_PASSWORD_BYTES, MAX_USERNAME_CHARS};
use crate::{AppState, WebError};

/// The header that carries the session's CSRF token on the API's writes (`POST /api/v1/logout`).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Session keys.
const USER_KEY: &str = "user";
const CSRF_KEY: &str = "csrf";
const STAMP_KEY: &str = "stamp";

fn argon2() -> Argon2<'static> {
    // argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// An argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Whether `password` matches the PHC string `hash`. A malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the username does not exist, so that the answer takes as long
/// as for a real user.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("tianping-no-such-user"))
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compare in time independent of where the strings differ.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Sign-in's own state: the throttle, the permits to check a password, and the key that signs
/// the sign-in form's CSRF tokens.
pub struct SignIns {
    pub(crate) throttle: Throttle,
    /// argon2 takes 19 MiB and tens of milliseconds a check: only this many run at once (one
    /// per core), the others wait their turn, so a crowd of sign-ins cannot take the memory.
    checking: Arc<Semaphore>,
    /// Drawn at start: a restart makes open sign-in forms stale (the page asks to reload).
    form_key: [u8; 32],
}

impl std::fmt::Debug for SignIns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIns")
            .field("throttle", &self.throttle)
            .finish_non_exhaustive()
    }
}

/// The cookie that carries the sign-in form's token, and how long a token serves.
const SIGN_IN_COOKIE: &str = "tianping_signin";
const SIGN_IN_TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 3600);

fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl SignIns {
    pub fn new(policy: ThrottlePolicy) -> SignIns {
        let mut form_key = [0u8; 32];
        rand::rng().fill_bytes(&mut form_key);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        SignIns {
            throttle: Throttle::new(policy),
            checking: Arc::new(Semaphore::new(cores)),
            form_key,
        }
    }

    fn form_tag(&self, payload: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.form_key).expect("HMAC takes a key of any length");
        mac.update(b"tianping sign-in form\0");
        mac.update(payload.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// A new token for the sign-in form: `ISSUED.NONCE.TAG`, the tag an HMAC of the rest under
    /// the server's key.
    fn new_form_token(&self) -> String {
        let mut nonce = [0u8; 16];
        rand::rng().fill_bytes(&mut nonce);
        let payload = format!("{}.{}", unix_secs(), hex(&nonce));
        let tag = self.form_tag(&payload);
        format!("{payload}.{tag}")
    }

    /// How old `token` is, when this server issued it and it has not expired.
    fn form_token_age(&self, token: &str) -> Option<Duration> {
        let (payload, tag) = token.rsplit_once('.')?;
        let (issued, _nonce) = payload.split_once('.')?;
        let issued: u64 = issued.parse().ok()?;
        if !constant_time_eq(&self.form_tag(payload), tag) {
            return None;
        }
        let age = Duration::from_secs(unix_secs().checked_sub(issued)?);
        (age <= SIGN_IN_TOKEN_LIFETIME).then_some(age)
    }
}

/// A cookie's value from the request's `Cookie` headers.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// The sign-in form's CSRF token, kept in a cookie and not in a session: an anonymous visitor
/// leaves nothing in the store (the double-submit pattern, with a token the server signed, so
/// that a cookie planted by a neighbouring site does not pass). Returns the token and, when it is
/// new, the `Set-Cookie` value to send. A token the browser already has is kept while it has
/// more than an hour to serve, so that two open sign-in tabs both work.
pub fn sign_in_form_token(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    let serves = SIGN_IN_TOKEN_LIFETIME - Duration::from_secs(3600);
    if let Some(token) = cookie_value(headers, SIGN_IN_COOKIE)
        && state
            .sign_ins
            .form_token_age(&token)
            .is_some_and(|age| age < serves)
    {
        return (token, None);
    }
    let token = state.sign_ins.new_form_token();
    let cookie = Cookie::build((SIGN_IN_COOKIE, token.clone()))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.secure_cookies)
        .build();
    let value = HeaderValue::from_str(&cookie.to_string()).ok();
    (token, value)
}

/// Password-derived stamp kept in the session at sign-in: a session whose stamp is not the
/// account's current one (the password changed since) is signed out. A digest of the salted
/// hash, so the session table holds nothing to guess passwords against.
fn password_stamp(password_hash: &str) -> String {
    hex(&Sha256::digest(password_hash.as_bytes())[..16])
}

/// The signed-in user, read from the session and checked against the store on every request
/// (a disabled account is out at once). Extracting it answers 401 without a session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRecord,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
    pub session: Session,
}

impl CurrentUser {
    pub fn username(&self) -> &str {
        &self.user.username
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

/// The session's CSRF token, created when the session has none.
pub async fn csrf_token(session: &Session) -> Result<String, WebError> {
    if let Some(token) = session.get::<String>(CSRF_KEY).await? {
        return Ok(token);
    }
    let token = random_token();
    session.insert(CSRF_KEY, &token).await?;
    Ok(token)
}

/// Refuse a form whose token is not the session's.
pub async fn check_csrf(session: &Session, provided: Option<&str>) -> Result<(), WebError> {
    let expected = session.get::<String>(CSRF_KEY).await?;
    match (expected, provided) {
        (Some(expected), Some(provided)) if constant_time_eq(&expected, provided) => Ok(()),
        _ => Err(WebError::Csrf),
    }
}

fn session_of(parts: &Parts) -> Result<Session, WebError> {
    parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| WebError::Internal("the session layer is missing".into()))
}

impl<S> FromRequestParts<S> for CurrentUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let session = session_of(parts)?;
        let Some(username) = session.get::<String>(USER_KEY).await? else {
            return Err(WebError::Unauthenticated);
        };
        let Some(user) = state.store.user(&username).await? else {
            session.flush().await?;
            return Err(WebError::Unauthenticated);
        };
        // A disabled account, or a password changed since this session signed in: out at once.
        let stamp = session.get::<String>(STAMP_KEY).await?;
        if user.disabled || stamp.as_deref() != Some(password_stamp(&user.password_hash).as_str()) {
            session.flush().await?;
            return Err(WebError::Unauthenticated);
        }
        let csrf = csrf_token(&session).await?;
        // The request's log line names the user.
        if let Some(slot) = parts.extensions.get::<crate::request_log::RequestUser>() {
            slot.set(&user.username);
        }
        Ok(CurrentUser {
            user,
            csrf,
            session,
        })
    }
}

/// A signed-in administrator; anyone else gets 403.
#[derive(Debug, Clone)]
pub struct AdminUser(pub CurrentUser);

impl<S> FromRequestParts<S> for AdminUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if !user.is_admin() {
            return Err(WebError::Forbidden("仅系统管理员可以使用此功能".into()));
        }
        Ok(AdminUser(user))
    }
}

/// A court-level view: figures about courts (signals, bulletins) or changes to a court's data
/// (imports). Each view names itself and the words judges are refused with.
pub trait CourtLevelView: Send + Sync + 'static {
    /// Why a judge's account may not use the view (the 403's message).
    const REFUSAL: &'static str;
}

/// A signed-in user of a court-level view `V`: the trial-management office or an
/// administrator. A judge's account, which sees only its own cases, gets 403 with `V`'s words
/// before the handler runs: the handler cannot forget the check.
#[derive(Debug, Clone)]
pub struct CourtLevelUser<V> {
    user: CurrentUser,
    view: std::marker::PhantomData<V>,
}

impl<V> CourtLevelUser<V> {
    /// The user, checked.
    pub fn into_user(self) -> CurrentUser {
        self.user
    }
}

impl<S, V> FromRequestParts<S> for CourtLevelUser<V>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    V: CourtLevelView,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role() == Role::Judge {
            return Err(WebError::Forbidden(V::REFUSAL.into()));
        }
        Ok(CourtLevelUser {
            user,
            view: std::marker::PhantomData,
        })
    }
}

/// The ranking of the courts of a level (排名与区间).
#[derive(Debug, Clone, Copy)]
pub struct RankingView;

impl CourtLevelView for RankingView {
    const REFUSAL: &'static str = "法院排名是法院层面的统计，仅对审管办和管理员开放";
}

/// The year-end filing signal (年底不立案), page and API.
#[derive(Debug, Clone, Copy)]
pub struct SignalsView;

impl CourtLevelView for SignalsView {
    const REFUSAL: &'static str = "年底立案信号是法院层面的统计，仅对审管办和管理员开放";
}

/// The bulletin download (质效通报).
#[derive(Debug, Clone, Copy)]
pub struct BulletinView;

impl CourtLevelView for BulletinView {
    const REFUSAL: &'static str = "通报按法院统计，法官账号不能下载";
}

/// The import page and upload.
#[derive(Debug, Clone, Copy)]
pub struct ImportView;

impl CourtLevelView for ImportView {
    const REFUSAL: &'static str = "法官账号不能导入数据";
}

/// Why a posted form was refused.
#[derive(Debug)]
pub enum FormRejection {
    /// Beyond its route's body limit (413), refused before anything else reads it.
    TooLarge,
    Web(WebError),
}

impl From<WebError> for FormRejection {
    fn from(e: WebError) -> Self {
        FormRejection::Web(e)
    }
}

impl IntoResponse for FormRejection {
    fn into_response(self) -> Response {
        match self {
            FormRejection::TooLarge => {
                error_response(StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大".to_owned())
            }
            FormRejection::Web(e) => e.into_response(),
        }
    }
}

/// A posted body within its route's limit.
async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, FormRejection> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            FormRejection::TooLarge
        } else {
            WebError::BadRequest(format!("读取表单失败：{e}")).into()
        }
    })
}

/// The `csrf` field of a URL-encoded form.
fn form_token(bytes: &[u8]) -> Result<Option<String>, FormRejection> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| WebError::BadRequest(format!("表单格式错误：{e}")))?;
    Ok(fields
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v))
}

fn form_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, FormRejection> {
    serde_urlencoded::from_bytes(bytes)
        .map_err(|e| WebError::BadRequest(format!("表单内容有误：{e}")).into())
}

/// A posted URL-encoded form whose `csrf` field matched the session's token. Page handlers read
/// forms only through this (or [`SignInForm`]), so none can forget the check.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let session = req
            .extensions()
            .get::<Session>()
            .cloned()
            .ok_or_else(|| WebError::Internal("the session layer is missing".into()))?;
        let bytes = read_body(req, state).await?;
        let token = form_token(&bytes)?;
        check_csrf(&session, token.as_deref()).await?;
        Ok(CsrfForm(form_value(&bytes)?))
    }
}

/// The posted sign-in form, whose `csrf` field matched the sign-in cookie and carries the
/// server's signature ([`sign_in_form_token`]); `token` serves the form again after a failure.
#[derive(Debug)]
pub struct SignInForm<T> {
    pub form: T,
    pub token: String,
}

impl<S, T> FromRequest<S> for SignInForm<T>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    T: DeserializeOwned,
{
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let cookie = cookie_value(req.headers(), SIGN_IN_COOKIE);
        let bytes = read_body(req, state).await?;
        match (cookie, form_token(&bytes)?) {
            (Some(cookie), Some(token))
                if constant_time_eq(&cookie, &token)
                    && app.sign_ins.form_token_age(&token).is_some() =>
            {
                Ok(SignInForm {
                    form: form_value(&bytes)?,
                    token,
                })
            }
            _ => Err(WebError::Csrf.into()),
        }
    }
}

/// The client's address when the server runs with connection info (not under `oneshot` tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| *addr),
        ))
    }
}

/// Why a sign-in did not succeed.
#[derive(Debug)]
pub enum SignInError {
    /// Wrong username or password, or a disabled account: one answer for all three (401).
    Refused,
    /// Too many failures from this address: wait this long (429, `Retry-After`).
    Throttled(Duration),
    /// A username or password longer than any account may have, refused unread (400).
    TooLong,
    Web(WebError),
}

impl SignInError {
    pub fn status(&self) -> StatusCode {
        match self {
            SignInError::Refused => StatusCode::UNAUTHORIZED,
            SignInError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            SignInError::TooLong => StatusCode::BAD_REQUEST,
            SignInError::Web(e) => e.status(),
        }
    }

    /// What the user reads.
    pub fn message(&self) -> String {
        match self {
            SignInError::Refused => "用户名或密码错误".to_owned(),
            SignInError::Throttled(wait) => {
                format!("登录失败次数过多，请 {}后再试", wait_text(*wait))
            }
            SignInError::TooLong => format!(
                "用户名不超过 {MAX_USERNAME_CHARS} 个字符，密码不超过 {MAX_PASSWORD_BYTES} 字节"
            ),
            SignInError::Web(e) => e.to_string(),
        }
    }

    /// The `Retry-After` header of a throttled answer.
    pub fn retry_after(&self) -> Option<(HeaderName, HeaderValue)> {
        match self {
            SignInError::Throttled(wait) => Some((
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_secs(*wait)),
            )),
            _ => None,
        }
    }
}

impl From<WebError> for SignInError {
    fn from(e: WebError) -> Self {
        SignInError::Web(e)
    }
}

impl From<tianping_store::StoreError> for SignInError {
    fn from(e: tianping_store::StoreError) -> Self {
        SignInError::Web(e.into())
    }
}

impl From<tower_sessions::session::Error> for SignInError {
    fn from(e: tower_sessions::session::Error) -> Self {
        SignInError::Web(e.into())
    }
}

/// An error response of the usual shape (`{"error": MESSAGE}`, and the message for the pages'
/// middleware) with a status `WebError` does not choose.
fn error_response(status: StatusCode, message: String) -> Response {
    let mut response = WebError::BadRequest(message).into_response();
    *response.status_mut() = status;
    response
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after();
        let mut response = match self {
            SignInError::Web(e) => return e.into_response(),
            other => error_response(status, other.message()),
        };
        if let Some((name, value)) = retry_after {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// Check a username and password, with throttling and the audit log; on success the session
/// gets a new id (no fixation), the user's name, a CSRF token and the password's stamp.
///
/// The order is the defence: lengths first (an over-long name is neither kept nor logged), then
/// the throttle counts the attempt (so that concurrent guesses cannot all pass its check), then
/// the password is checked, one argon2 per core at a time.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    username: &str,
    password: &str,
    addr: Option<SocketAddr>,
) -> Result<UserRecord, SignInError> {
    let username = username.trim();
    if username.chars().count() > MAX_USERNAME_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(SignInError::TooLong);
    }
    let from = addr.map_or_else(String::new, |a| format!("，来自 {}", a.ip()));
    if let Err(refusal) = state.sign_ins.throttle.reserve(username, addr) {
        if refusal.audit {
            state
                .audit(
                    username,
                    "sign_in_refused",
                    format!(
                        "登录过于频繁被拒绝，须等待 {}{from}",
                        wait_text(refusal.wait)
                    ),
                )
                .await?;
        }
        return Err(SignInError::Throttled(refusal.wait));
    }
    let user = state.store.user(username).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    let permit = state
        .sign_ins
        .checking
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| WebError::Internal(format!("password check: {e}")))?;
    let password_owned = password.to_owned();
    // The permit goes with the check: a request abandoned meanwhile still holds it until argon2
    // is done.
    let matches = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify_password(&password_owned, &hash)
    })
    .await
    .map_err(|e| WebError::Internal(format!("password check: {e}")))?;
    match user {
        Some(user) if matches && !user.disabled => {
            state.sign_ins.throttle.succeeded(username, addr);
            session.cycle_id().await?;
            session.insert(USER_KEY, &user.username).await?;
            session.insert(CSRF_KEY, random_token()).await?;
            session
                .insert(STAMP_KEY, password_stamp(&user.password_hash))
                .await?;
            state
                .audit(&user.username, "sign_in", format!("登录成功{from}"))
                .await?;
            Ok(user)
        }
        other => {
            let why = match other {
                None => "用户不存在",
                Some(u) if u.disabled => "账号已停用",
                Some(_) => "密码错误",
            };
            state
                .audit(username, "sign_in_failed", format!("登录失败：{why}{from}"))
                .await?;
            Err(SignInError::Refused)
        }
    }
}

/// After `changed`'s password was set: when it is the signed-in user's own account, their
/// session takes the new stamp and stays; every other session of the account is signed out at
/// its next request (and its row deleted then, or by the expiry sweep).
pub async fn password_changed(current: &CurrentUser, changed: &UserRecord) -> Result<(), WebError> {
    if current.user.username == changed.username {
        current
            .session
            .insert(STAMP_KEY, password_stamp(&changed.password_hash))
            .await?;
    }
    Ok(())
}

/// End the session and record it.
pub async fn sign_out(state: &AppState, user: &CurrentUser) -> Result<(), WebError> {
    state
        .audit(user.username(), "sign_out", "退出登录".to_owned())
        .await?;
    user.session.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_argon2id_hash_only() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash, hash_password("correct horse"), "salted");
    }

    #[test]
    fn a_sign_in_form_token_holds_only_as_this_server_signed_it_and_for_twelve_hours() {
        let sign_ins = SignIns::new(ThrottlePolicy::default());
        let token = sign_ins.new_form_token();
        assert!(sign_ins.form_token_age(&token).is_some());
        // Another server (or this one after a restart) did not sign it.
        assert!(
            SignIns::new(ThrottlePolicy::default())
                .form_token_age(&token)
                .is_none()
        );
        // Any change breaks the signature.
        let (payload, tag) = token.rsplit_once('.').unwrap();
        let flipped = if tag.ends_with('0') { "1" } else { "0" };
        let tampered = format!("{payload}.{}{flipped}", &tag[..tag.len() - 1]);
        assert!(sign_ins.form_token_age(&tampered).is_none());
        let (issued, nonce) = payload.split_once('.').unwrap();
        let earlier: u64 = issued.parse::<u64>().unwrap() - 1;
        assert!(
            sign_ins
                .form_token_age(&format!("{earlier}.{nonce}.{tag}"))
                .is_none()
        );
        assert!(sign_ins.form_token_age("").is_none());
        assert!(sign_ins.form_token_age("1.2.3").is_none());
        // Signed, but older than its lifetime.
        let old = format!("{}.{nonce}", unix_secs() - 12 * 3600 - 1);
        let old = format!("{old}.{}", sign_ins.form_tag(&old));
        assert!(sign_ins.form_token_age(&old).is_none());
        let fresh = format!("{}.{nonce}", unix_secs() - 11 * 3600);
        let fresh = format!("{fresh}.{}", sign_ins.form_tag(&fresh));
        assert!(sign_ins.form_token_age(&fresh).is_some());
    }

    #[test]
    fn a_password_stamp_changes_with_the_hash_and_does_not_hold_it() {
        let hash = hash_password("correct horse");
        let stamp = password_stamp(&hash);
        assert_eq!(stamp, password_stamp(&hash));
        assert_ne!(stamp, password_stamp(&hash_password("correct horse")));
        assert_eq!(stamp.len(), 32);
        assert!(!hash.contains(&stamp));
    }

    #[test]
    fn tokens_are_long_random_hex_and_compare_exactly() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_token());
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &random_token()));
        assert!(!constant_time_eq("ab", "abc"));
    }
}
