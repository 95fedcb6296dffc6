//! Sign-in, sessions and CSRF: argon2id password hashes, the [`CurrentUser`] extractor (401
//! without a session), [`AdminUser`] (403 for everyone else), sign-in throttling, and
//! [`CsrfForm`], the only way a page handler reads a posted form.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use rand::RngCore;
use serde::de::DeserializeOwned;
use tianping_domain::access::Role;
use tianping_store::UserRecord;
use tower_sessions::Session;

use crate::{AppState, WebError};

/// Session keys.
const USER_KEY: &str = "user";
const CSRF_KEY: &str = "csrf";

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

/// Failed sign-ins per username and per address, kept in memory.
#[derive(Debug)]
pub struct Throttle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    max: usize,
    window: Duration,
}

impl Throttle {
    pub fn new(max: usize, window: Duration) -> Throttle {
        Throttle {
            failures: Mutex::new(HashMap::new()),
            max,
            window,
        }
    }

    fn keys(username: &str, addr: Option<SocketAddr>) -> Vec<(String, usize)> {
        let mut keys = vec![(format!("user:{username}"), 1)];
        if let Some(addr) = addr {
            // One address may serve several people (a shared office machine): a higher limit.
            keys.push((format!("ip:{}", addr.ip()), 4));
        }
        keys
    }

    /// `Some(wait)` when sign-in is refused now.
    pub fn refused(&self, username: &str, addr: Option<SocketAddr>) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle lock");
        let mut wait = None;
        for (key, factor) in Throttle::keys(username, addr) {
            if let Some(list) = map.get_mut(&key) {
                while list.front().is_some_and(|t| now - *t > self.window) {
                    list.pop_front();
                }
                if list.len() >= self.max * factor {
                    let until = list[list.len() - self.max * factor] + self.window;
                    wait = Some(until.saturating_duration_since(now));
                }
            }
        }
        wait
    }

    pub fn failed(&self, username: &str, addr: Option<SocketAddr>) {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() > 100_000 {
            map.retain(|_, list| list.back().is_some_and(|t| now - *t <= self.window));
        }
        for (key, _) in Throttle::keys(username, addr) {
            map.entry(key).or_default().push_back(now);
        }
    }

    pub fn succeeded(&self, username: &str) {
        let mut map = self.failures.lock().expect("throttle lock");
        map.remove(&format!("user:{username}"));
    }
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
        if user.disabled {
            session.flush().await?;
            return Err(WebError::Unauthenticated);
        }
        let csrf = csrf_token(&session).await?;
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

/// A posted URL-encoded form whose `csrf` field matched the session's token. Page handlers read
/// forms only through this, so none can forget the check.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = session_of(&parts)?;
        let _ = &mut parts;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| WebError::BadRequest(format!("读取表单失败：{e}")))?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::BadRequest(format!("表单格式错误：{e}")))?;
        let token = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        check_csrf(&session, token).await?;
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::BadRequest(format!("表单内容有误：{e}")))?;
        Ok(CsrfForm(value))
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

/// Check a username and password, with throttling and the audit log; on success the session
/// gets a new id (no fixation) and the user's name.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    username: &str,
    password: &str,
    addr: Option<SocketAddr>,
) -> Result<UserRecord, WebError> {
    let username = username.trim();
    let from = addr.map_or_else(String::new, |a| format!("，来自 {}", a.ip()));
    if let Some(wait) = state.throttle.refused(username, addr) {
        state
            .audit(
                username,
                "sign_in_refused",
                format!("登录过于频繁被拒绝{from}"),
            )
            .await?;
        return Err(WebError::TooManyRequests(format!(
            "登录失败次数过多，请 {} 分钟后再试",
            wait.as_secs().div_ceil(60).max(1)
        )));
    }
    let user = state.store.user(username).await?;
    let password_owned = password.to_owned();
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password_owned, &hash))
        .await
        .map_err(|e| WebError::Internal(format!("password check: {e}")))?;
    match user {
        Some(user) if matches && !user.disabled => {
            state.throttle.succeeded(username);
            session.cycle_id().await?;
            session.insert(USER_KEY, &user.username).await?;
            session.insert(CSRF_KEY, random_token()).await?;
            state
                .audit(&user.username, "sign_in", format!("登录成功{from}"))
                .await?;
            Ok(user)
        }
        other => {
            state.throttle.failed(username, addr);
            let why = match other {
                None => "用户不存在",
                Some(u) if u.disabled => "账号已停用",
                Some(_) => "密码错误",
            };
            state
                .audit(username, "sign_in_failed", format!("登录失败：{why}{from}"))
                .await?;
            Err(WebError::Unauthenticated)
        }
    }
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
    fn five_failures_within_the_window_refuse_the_username() {
        let throttle = Throttle::new(5, Duration::from_secs(900));
        for _ in 0..4 {
            throttle.failed("clerk", None);
        }
        assert!(throttle.refused("clerk", None).is_none());
        throttle.failed("clerk", None);
        let wait = throttle.refused("clerk", None).expect("refused after 5");
        assert!(wait <= Duration::from_secs(900) && wait > Duration::from_secs(890));
        assert!(throttle.refused("someone-else", None).is_none());
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let throttle = Throttle::new(2, Duration::from_millis(30));
        throttle.failed("clerk", None);
        throttle.failed("clerk", None);
        assert!(throttle.refused("clerk", None).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(throttle.refused("clerk", None).is_none());
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
