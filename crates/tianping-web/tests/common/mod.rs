//! A small court world in a fresh SQLite database, users of every role, and a cookie-keeping
//! client that sends requests through the router (`tower::ServiceExt::oneshot`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::NaiveDate;
use tianping_domain::access::Role;
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{
    CaseNumber, CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord,
    HolidayCalendar, Money,
};
use tianping_store::{ImportBatch, Store, UserRecord, UserStore};
use tianping_web::{AppState, Settings, hash_password, router};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub fn d(s: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(s).unwrap()
}

pub fn court(code: &str, name: &str, level: CourtLevel, parent: Option<&str>) -> CourtRecord {
    CourtRecord {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(Into::into),
    }
}

pub fn case(number: &str, filed: &str, division: &str, judge: &str) -> CaseRecord {
    let n = CaseNumber::parse(number).unwrap();
    CaseRecord {
        case_number: n.normalized(),
        court_code: n.court.to_string(),
        type_code: Some(n.type_code),
        type_name: None,
        procedure: None,
        cause: Some("民间借贷纠纷".into()),
        received_date: Some(d(filed)),
        filed_date: d(filed),
        division: Some(division.into()),
        judge: Some(judge.into()),
        closed_date: None,
        closing_mode: None,
        disposal: None,
        claim_amount: None,
        recovered_amount: None,
        origin_case_number: None,
        foreign_related: false,
        longer_limit: false,
        appeal_object: AppealObject::Judgment,
    }
}

fn closed(mut c: CaseRecord, on: &str, mode: ClosingMode) -> CaseRecord {
    c.closed_date = Some(d(on));
    c.closing_mode = Some(mode);
    c
}

/// Two provinces: 皖 (high court) → 皖01, 皖02 (intermediate) → 皖0102, 皖0202 (basic); and 鲁.
pub fn world() -> ImportBatch {
    let courts = vec![
        court("皖", "安徽省高级人民法院", CourtLevel::High, None),
        court(
            "皖01",
            "合肥市中级人民法院",
            CourtLevel::Intermediate,
            Some("皖"),
        ),
        court(
            "皖02",
            "芜湖市中级人民法院",
            CourtLevel::Intermediate,
            Some("皖"),
        ),
        court(
            "皖0102",
            "合肥市瑶海区人民法院",
            CourtLevel::Basic,
            Some("皖01"),
        ),
        court(
            "皖0202",
            "芜湖市镜湖区人民法院",
            CourtLevel::Basic,
            Some("皖02"),
        ),
        court("鲁", "山东省高级人民法院", CourtLevel::High, None),
        court(
            "鲁01",
            "济南市中级人民法院",
            CourtLevel::Intermediate,
            Some("鲁"),
        ),
        court(
            "鲁0102",
            "济南市历下区人民法院",
            CourtLevel::Basic,
            Some("鲁01"),
        ),
    ];
    let mut enforcement = closed(
        case("（2023）皖0202执1号", "2023-02-01", "执行局", "王强"),
        "2023-06-01",
        ClosingMode::EnforcementCompleted,
    );
    enforcement.claim_amount = Some(Money(1_000_000));
    enforcement.recovered_amount = Some(Money(800_000));
    let mut appeal = closed(
        case("（2023）皖02民终1号", "2023-05-01", "民一庭", "钱多"),
        "2023-07-01",
        ClosingMode::Amended,
    );
    appeal.origin_case_number = Some("（2023）皖0202民初3号".into());
    let cases = vec![
        // Filed 2023-03-15, six months: deadline 2023-09-15, overdue on 2023-09-20.
        case("（2023）皖0202民初1号", "2023-03-15", "民一庭", "张明"),
        // Filed 2023-03-25: deadline 2023-09-25 (+3 months extension approved 2023-09-01).
        case("（2023）皖0202民初2号", "2023-03-25", "民一庭", "李娜"),
        closed(
            case("（2023）皖0202民初3号", "2023-01-10", "民一庭", "张明"),
            "2023-04-01",
            ClosingMode::Judgment,
        ),
        enforcement,
        // Pending since 2022: long pending, with a deduction.
        case("（2022）皖0202民初9号", "2022-05-10", "民二庭", "张明"),
        closed(
            case("（2022）皖0202民初8号", "2022-06-01", "民二庭", "李娜"),
            "2022-09-01",
            ClosingMode::Mediation,
        ),
        case("（2023）皖0102民初1号", "2023-03-15", "民一庭", "赵六"),
        appeal,
        case("（2023）鲁0102民初1号", "2023-03-15", "民一庭", "孙七"),
    ];
    let events = vec![
        EventRecord {
            case_number: "（2023）皖0202民初2号".into(),
            kind: EventKind::Extension,
            date: d("2023-09-01"),
            end_date: None,
            months: Some(3),
            days: None,
            reason: None,
        },
        EventRecord {
            case_number: "（2022）皖0202民初9号".into(),
            kind: EventKind::Deduction,
            date: d("2022-07-01"),
            end_date: Some(d("2022-07-31")),
            months: None,
            days: None,
            reason: Some("鉴定".into()),
        },
    ];
    ImportBatch {
        courts,
        cases,
        events,
        log: Vec::new(),
    }
}

pub fn user(username: &str, role: Role, court: Option<&str>, judge: Option<&str>) -> UserRecord {
    UserRecord {
        username: username.into(),
        password_hash: hash_password(PASSWORD),
        role,
        court_code: court.map(Into::into),
        judge_name: judge.map(Into::into),
        disabled: false,
        created_at: "2024-01-01T00:00:00+08:00".into(),
    }
}

pub struct World {
    pub dir: tempfile::TempDir,
    pub store: Arc<dyn Store>,
    pub state: AppState,
    pub app: Router,
}

/// The world with users: `admin`; `clerk0202` (staff of 皖0202); `clerk02` (staff of 皖02);
/// `judge` (张明 of 皖0202); `gone` (disabled).
pub async fn world_app() -> World {
    world_app_with(Settings {
        // Every request looks at the store's version: changes show at once.
        refresh_interval: Duration::ZERO,
        ..Settings::default()
    })
    .await
}

/// The world with other settings.
pub async fn world_app_with(settings: Settings) -> World {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db");
    let store = tianping_store::open(db.to_str().unwrap()).await.unwrap();
    store.apply_import(&world()).await.unwrap();
    for u in [
        user("admin", Role::Admin, None, None),
        user("clerk0202", Role::Staff, Some("皖0202"), None),
        user("clerk02", Role::Staff, Some("皖02"), None),
        user("judge", Role::Judge, Some("皖0202"), Some("张明")),
        UserRecord {
            disabled: true,
            ..user("gone", Role::Staff, Some("皖0202"), None)
        },
    ] {
        store.upsert_user(&u).await.unwrap();
    }
    let state = AppState::new(store.clone(), HolidayCalendar::builtin(), settings)
        .await
        .unwrap();
    let app = router(state.clone());
    World {
        dir,
        store,
        state,
        app,
    }
}

/// Percent-encode what a URI cannot carry (Chinese characters, brackets).
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        if c.is_ascii() && !matches!(c, ' ' | '"' | '<' | '>' | '`' | '{' | '}') {
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

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// A browser of sorts: keeps its cookies between requests, and may say which address it comes
/// from (as the server's connection information would).
pub struct Client {
    pub app: Router,
    pub cookies: BTreeMap<String, String>,
    pub addr: Option<SocketAddr>,
}

impl Client {
    pub fn new(app: &Router) -> Client {
        Client {
            app: app.clone(),
            cookies: BTreeMap::new(),
            addr: None,
        }
    }

    /// A client at `ip`.
    pub fn at(app: &Router, ip: &str) -> Client {
        Client {
            addr: Some(SocketAddr::new(ip.parse().unwrap(), 50000)),
            ..Client::new(app)
        }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Reply {
        if !self.cookies.is_empty() {
            let header = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut()
                .insert(header::COOKIE, header.parse().unwrap());
        }
        if let Some(addr) = self.addr {
            req.extensions_mut().insert(ConnectInfo(addr));
        }
        let response = self.app.clone().oneshot(req).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let req = Request::builder()
            .uri(uri(path))
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn post_json(&mut self, path: &str, value: serde_json::Value) -> Reply {
        self.post_json_with(path, value, &[]).await
    }

    /// A JSON POST with more headers.
    pub async fn post_json_with(
        &mut self,
        path: &str,
        value: serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(uri(path))
            .header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        self.send(req.body(Body::from(value.to_string())).unwrap())
            .await
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Reply {
        let boundary = "----tianping-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        for (name, file_name, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file_name {
                Some(f) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri(path))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Sign in through the JSON API.
    pub async fn sign_in(&mut self, username: &str) -> Reply {
        self.post_json(
            "/api/v1/login",
            serde_json::json!({"username": username, "password": PASSWORD}),
        )
        .await
    }

    pub async fn signed_in(app: &Router, username: &str) -> Client {
        let mut client = Client::new(app);
        let reply = client.sign_in(username).await;
        assert_eq!(reply.status, StatusCode::OK, "{username}: {}", reply.text());
        client
    }

    /// The CSRF token of a page's forms.
    pub async fn csrf(&mut self, page: &str) -> String {
        let html = self.get(page).await.text();
        csrf_in(&html).unwrap_or_else(|| panic!("no csrf token on {page}"))
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let len = html[at..].find('"')?;
    Some(html[at..at + len].to_owned())
}

/// How many sessions the store holds (counted by deleting them all: call at a test's end, or
/// sign in again after).
pub async fn stored_sessions(store: &dyn UserStore) -> u64 {
    store.sessions_delete_expired(i64::MAX).await.unwrap()
}
