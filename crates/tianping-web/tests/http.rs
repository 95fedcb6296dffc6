//! Every route over HTTP (through the router, as a server on port 0 would answer): 401 without a
//! session, 403 outside the user's court, 200 inside it; CSRF, throttling, the audit log, import,
//! users; and the API's bodies byte for byte what the command line's functions print.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use tianping_domain::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_metrics::deadlines::{DeadlineQuery, StatusFilter, deadline_list};
use tianping_metrics::documents::{
    case_numbers_document, deadlines_document, indicators_document, signals_document, to_json_bytes,
};
use tianping_metrics::signals::{SignalSettings, year_end_signals};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_store::ImportBatch;

/// The data routes that take a court, for court `c`.
fn scoped_routes(c: &str) -> Vec<String> {
    vec![
        format!("/courts/{c}"),
        format!("/courts/{c}/divisions/民一庭"),
        format!("/courts/{c}/judges/张明"),
        format!("/cases?court={c}&status=all"),
        format!("/deadlines?court={c}&as_of=2023-09-20"),
        format!("/deadlines.xlsx?court={c}&as_of=2023-09-20"),
        format!("/long-pending?court={c}&as_of=2023-09-20"),
        format!("/signals?court={c}&year=2023"),
        format!("/reports/bulletin?court={c}&period=2023&format=html"),
        format!("/api/v1/indicators?from=2023-01-01&to=2023-09-20&scope={c}"),
        format!("/api/v1/indicators?from=2023-01-01&to=2023-09-20&scope={c}&by=judge"),
        format!("/api/v1/deadlines?as_of=2023-09-20&scope={c}"),
        format!("/api/v1/signals?year=2023&scope={c}"),
    ]
}

/// The GET routes without a court.
fn plain_routes() -> Vec<String> {
    [
        "/",
        "/cases",
        "/cases/（2023）皖0202民初1号",
        "/deadlines",
        "/deadlines.xlsx",
        "/long-pending",
        "/ranking",
        "/mediation",
        "/mediation/indicators",
        "/mediators",
        "/admin/settings",
        "/signals",
        "/reports/bulletin?period=2023",
        "/indicators",
        "/import",
        "/admin/users",
        "/admin/audit",
        "/api/v1/me",
        "/api/v1/indicators?from=2023-01-01&to=2023-12-31",
        "/api/v1/deadlines?as_of=2023-09-20",
        "/api/v1/signals?year=2023",
        "/api/v1/case-numbers/parse?q=(2023)皖0202民初1号",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

const POST_ROUTES: [&str; 5] = [
    "/logout",
    "/import",
    "/admin/users",
    "/admin/users/clerk0202",
    "/api/v1/logout",
];

#[tokio::test]
async fn every_route_answers_401_without_a_session() {
    let world = world_app().await;
    let mut anonymous = Client::new(&world.app);
    let mut routes = plain_routes();
    routes.extend(scoped_routes("皖0202"));
    for route in &routes {
        let reply = anonymous.get(route).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "GET {route}");
        if route.starts_with("/api/") {
            assert_eq!(reply.json()["error"], "请先登录", "{route}");
        } else {
            assert!(
                reply.text().contains("login?next="),
                "{route} leads to sign-in"
            );
        }
    }
    for route in POST_ROUTES {
        let reply = anonymous.post_form(route, &[("csrf", "x")]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "POST {route}");
    }
    // The sign-in page, the assets and the API's description are public.
    assert_eq!(anonymous.get("/login").await.status, StatusCode::OK);
    assert_eq!(
        anonymous.get("/static/app.css").await.status,
        StatusCode::OK
    );
    let openapi = anonymous.get("/api/v1/openapi.json").await;
    assert_eq!(openapi.status, StatusCode::OK);
    assert_eq!(openapi.json()["openapi"], "3.1.0");
    assert!(openapi.json()["paths"]["/indicators"].is_object());
}

#[tokio::test]
async fn a_basic_court_clerk_is_refused_a_sibling_court_and_the_whole_province() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    for outside in ["皖0102", "皖", "皖02", "鲁0102"] {
        for route in scoped_routes(outside) {
            let reply = clerk.get(&route).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "GET {route}");
            if route.starts_with("/api/") {
                assert!(
                    reply.json()["error"].as_str().unwrap().contains(outside),
                    "{route}: {}",
                    reply.text()
                );
            }
        }
    }
    // The administrators' pages; a case of another court is not found, as a missing one.
    for route in ["/admin/users", "/admin/audit"] {
        assert_eq!(
            clerk.get(route).await.status,
            StatusCode::FORBIDDEN,
            "{route}"
        );
    }
    assert_eq!(
        clerk.get("/cases/（2023）皖0102民初1号").await.status,
        StatusCode::NOT_FOUND
    );
    let csrf = clerk.csrf("/").await;
    let reply = clerk
        .post_form(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("username", "x"),
                ("password", "12345678"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_basic_court_clerk_sees_every_route_of_their_own_court() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let mut routes = scoped_routes("皖0202");
    routes.extend(
        plain_routes()
            .into_iter()
            .filter(|r| !r.starts_with("/admin")),
    );
    for route in routes {
        let reply = clerk.get(&route).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "GET {route}: {}",
            reply.text()
        );
    }
    let overview = clerk.get("/").await.text();
    assert!(overview.contains("芜湖市镜湖区人民法院"));
    assert!(overview.contains("审限内结案率"));
    assert!(
        overview.contains("<svg"),
        "the monthly chart is drawn on the server"
    );
}

#[tokio::test]
async fn an_intermediate_court_clerk_drills_down_to_the_basic_courts_below_only() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk02").await;
    let overview = clerk.get("/").await.text();
    assert!(
        overview.contains("/courts/%E7%9A%960202"),
        "a link to the basic court below"
    );
    assert_eq!(clerk.get("/courts/皖0202").await.status, StatusCode::OK);
    assert_eq!(
        clerk.get("/courts/皖0102").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        clerk.get("/cases/（2023）皖0202民初1号").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_administrator_sees_every_court_and_no_scope_means_all() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let mut routes = plain_routes();
    for c in ["皖0102", "鲁0102"] {
        routes.extend(scoped_routes(c));
    }
    // The high court has no cases of its own, so no divisions: every other route.
    routes.extend(
        scoped_routes("皖")
            .into_iter()
            .filter(|r| !r.contains("/divisions/")),
    );
    for route in routes {
        let reply = admin.get(&route).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "GET {route}: {}",
            reply.text()
        );
    }
    let all = admin
        .get("/api/v1/indicators?from=2023-01-01&to=2023-12-31")
        .await
        .json();
    assert_eq!(all["scope"], serde_json::Value::Null);
    assert_eq!(all["rows"][0]["key"], "all");
}

#[tokio::test]
async fn a_judge_sees_only_their_own_cases() {
    let world = world_app().await;
    let mut judge = Client::signed_in(&world.app, "judge").await;
    let list = judge.get("/api/v1/deadlines?as_of=2023-09-20").await.json();
    let numbers: Vec<&str> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["case_number"].as_str().unwrap())
        .collect();
    // 张明's pending cases only: 民初1号 (overdue) and the 2022 case; not 李娜's 民初2号.
    assert_eq!(numbers.len(), 2, "{numbers:?}");
    assert!(
        numbers
            .iter()
            .all(|n| ["（2023）皖0202民初1号", "（2022）皖0202民初9号"].contains(n))
    );
    let own = judge
        .get("/api/v1/indicators?from=2023-01-01&to=2023-12-31")
        .await
        .json();
    // 张明 in 2023: filed 民初1号 and 民初3号; closed 民初3号.
    assert_eq!(own["rows"][0]["indicators"]["filed"], 2);
    assert_eq!(own["rows"][0]["indicators"]["closed"], 1);
    assert_eq!(
        judge.get("/cases/（2023）皖0202民初2号").await.status,
        StatusCode::NOT_FOUND,
        "a colleague's case is not found, as a missing one"
    );
    for route in [
        "/courts/皖0202/judges/李娜",
        "/signals",
        "/api/v1/signals?year=2023",
        "/reports/bulletin?period=2023",
        "/import",
        "/courts/皖0102",
    ] {
        assert_eq!(
            judge.get(route).await.status,
            StatusCode::FORBIDDEN,
            "{route}"
        );
    }
    assert_eq!(
        judge.get("/cases/（2023）皖0202民初1号").await.status,
        StatusCode::OK
    );
    assert_eq!(
        judge.get("/courts/皖0202/judges/张明").await.status,
        StatusCode::OK
    );
}

/// The CLI's way of answering (crates/tianping/src/commands): everything from the store.
async fn cli_bytes(world: &World) -> Vec<(String, Vec<u8>)> {
    let store = world.store.as_ref();
    let courts_list = store.courts().await.unwrap();
    let cases = store.cases().await.unwrap();
    let events = store.events().await.unwrap();
    let calendar = HolidayCalendar::builtin();
    let snapshot = Snapshot::build(
        &courts_list,
        &cases,
        &events,
        Arc::new(calendar.clone()),
        LimitSettings::default(),
    );
    let mut out = Vec::new();
    for (scope, status, status_text) in [
        (None, StatusFilter::Limited, ""),
        (Some("皖0202"), StatusFilter::All, "&status=all"),
        (
            Some("皖"),
            StatusFilter::parse("overdue").unwrap(),
            "&status=overdue",
        ),
    ] {
        let rows = deadline_list(
            &snapshot,
            &DeadlineQuery::new(d("2023-09-20"), scope, status),
        );
        let scope_param = scope.map(|s| format!("&scope={s}")).unwrap_or_default();
        out.push((
            format!("/api/v1/deadlines?as_of=2023-09-20{scope_param}{status_text}"),
            to_json_bytes(&deadlines_document(d("2023-09-20"), &rows)),
        ));
    }
    for (scope, by) in [
        (None, GroupBy::None),
        (Some("皖"), GroupBy::Court),
        (Some("皖0202"), GroupBy::Judge),
        (Some("皖0202"), GroupBy::Division),
        (Some("皖02"), GroupBy::TypeCode),
    ] {
        let query = IndicatorQuery {
            from: d("2023-01-01"),
            to: d("2023-12-31"),
            as_of: d("2023-12-31"),
            scope: scope.map(str::to_owned),
            by,
        };
        let rows = compute(&snapshot, &query).unwrap();
        let scope_param = scope.map(|s| format!("&scope={s}")).unwrap_or_default();
        out.push((
            format!(
                "/api/v1/indicators?from=2023-01-01&to=2023-12-31{scope_param}&by={}",
                by.id()
            ),
            to_json_bytes(&indicators_document(&query, &rows)),
        ));
    }
    let rows = year_end_signals(&snapshot, 2023, Some("皖"), &SignalSettings::default());
    out.push((
        "/api/v1/signals?year=2023&scope=皖".to_owned(),
        to_json_bytes(&signals_document(2023, &rows)),
    ));
    out.push((
        "/api/v1/case-numbers/parse?q=(2023)皖0202民初1号&q=2023鲁民初1号".to_owned(),
        to_json_bytes(&case_numbers_document(&[
            "(2023)皖0202民初1号",
            "2023鲁民初1号",
        ])),
    ));
    out
}

#[tokio::test]
async fn the_api_answers_byte_for_byte_what_the_command_line_prints() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    for (route, expected) in cli_bytes(&world).await {
        let reply = admin.get(&route).await;
        assert_eq!(reply.status, StatusCode::OK, "{route}");
        assert_eq!(
            reply.headers["content-type"], "application/json; charset=utf-8",
            "{route}"
        );
        assert_eq!(
            reply.text(),
            String::from_utf8(expected).unwrap(),
            "{route}"
        );
    }
}

#[tokio::test]
async fn without_a_scope_a_clerk_gets_the_answer_for_their_own_court() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    for (mine, explicit) in [
        (
            "/api/v1/deadlines?as_of=2023-09-20",
            "/api/v1/deadlines?as_of=2023-09-20&scope=皖0202",
        ),
        (
            "/api/v1/indicators?from=2023-01-01&to=2023-12-31&by=judge",
            "/api/v1/indicators?from=2023-01-01&to=2023-12-31&by=judge&scope=皖0202",
        ),
    ] {
        let a = clerk.get(mine).await;
        let b = admin.get(explicit).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.body, b.body, "{mine}");
    }
}

#[tokio::test]
async fn bad_parameters_are_400_with_the_reason() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    for (route, words) in [
        ("/api/v1/indicators?to=2023-12-31", "from：须给出日期"),
        (
            "/api/v1/indicators?from=2023-12-31&to=2023-01-01",
            "is after",
        ),
        (
            "/api/v1/indicators?from=2023-01-01&to=2023-12-31&by=month",
            "by:",
        ),
        ("/api/v1/deadlines?status=late", "status:"),
        ("/api/v1/deadlines?as_of=yesterday", "as_of:"),
        ("/api/v1/deadlines?scope=no-such-court", "unknown court"),
        // Well-formed, but no court of the data: an error, not an empty answer.
        (
            "/api/v1/deadlines?scope=皖9999",
            "没有法院代码为 皖9999 的法院",
        ),
        (
            "/api/v1/indicators?from=2023-01-01&to=2023-12-31&scope=皖9999",
            "皖9999",
        ),
        ("/api/v1/signals?year=2023&scope=皖9999", "皖9999"),
        ("/api/v1/deadlines?court=皖9999", "皖9999"),
        ("/api/v1/signals", "year is required"),
        ("/api/v1/case-numbers/parse", "q is required"),
    ] {
        let reply = admin.get(route).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{route}");
        assert!(
            reply.json()["error"].as_str().unwrap().contains(words),
            "{route}: {}",
            reply.text()
        );
    }
    assert_eq!(
        admin.get("/cases/（2023）皖0202民初777号").await.status,
        StatusCode::NOT_FOUND
    );
    // The pages too: 400 with the code named, in Chinese.
    for route in [
        "/deadlines?court=皖9999",
        "/cases?court=皖9999",
        "/long-pending?court=皖9999",
        "/courts/皖9999",
    ] {
        let reply = admin.get(route).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{route}");
        assert!(
            reply.text().contains("没有法院代码为 皖9999 的法院"),
            "{route}"
        );
    }
    // A court of the data answers.
    assert_eq!(
        admin.get("/deadlines?court=皖0202").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn forms_without_the_sessions_csrf_token_are_refused() {
    let world = world_app().await;
    // Sign-in form: without a token, then with a wrong one.
    let mut browser = Client::new(&world.app);
    let token = browser.csrf("/login").await;
    for bad in [
        "",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let reply = browser
            .post_form(
                "/login",
                &[("csrf", bad), ("username", "admin"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(reply.text().contains("表单已过期"));
    }
    let reply = browser
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", "/deadlines"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers["location"], "/deadlines");
    // The token changes at sign-in: the old one no longer works.
    let reply = browser
        .post_form(
            "/admin/users",
            &[
                ("csrf", &token),
                ("username", "mallory"),
                ("password", "12345678"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(world.store.user("mallory").await.unwrap().is_none());
    // Sign-out and import refuse a missing token too.
    assert_eq!(
        browser.post_form("/logout", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = browser
        .post_multipart("/import", &[("files", Some("cases.csv"), b"case_number\n")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // Still signed in.
    assert_eq!(browser.get("/").await.status, StatusCode::OK);
    // A redirect only to this site.
    let mut other = Client::new(&world.app);
    let token = other.csrf("/login").await;
    let reply = other
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(reply.headers["location"], "/");
}

#[tokio::test]
async fn sign_in_is_throttled_after_five_failures_and_every_attempt_is_audited() {
    let world = world_app().await;
    let mut guesser = Client::new(&world.app);
    for _ in 0..5 {
        let reply = guesser
            .post_json(
                "/api/v1/login",
                serde_json::json!({"username": "clerk0202", "password": "guess"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, for the first delay.
    let reply = guesser.sign_in("clerk0202").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.headers["retry-after"], "30");
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("请 30 秒后再试")
    );
    // Another user is not affected.
    assert_eq!(guesser.sign_in("clerk02").await.status, StatusCode::OK);
    let log = world.store.audit_log(100).await.unwrap();
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("sign_in_failed"), 5);
    assert_eq!(count("sign_in_refused"), 1);
    assert_eq!(count("sign_in"), 1);
    // The form says so too, with status 429.
    let mut browser = Client::new(&world.app);
    let token = browser.csrf("/login").await;
    let reply = browser
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "clerk0202"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.text().contains("登录失败次数过多"));
}

#[tokio::test]
async fn wrong_passwords_and_disabled_accounts_do_not_sign_in() {
    let world = world_app().await;
    let mut client = Client::new(&world.app);
    let reply = client
        .post_json(
            "/api/v1/login",
            serde_json::json!({"username": "admin", "password": "wrong"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        client.sign_in("gone").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client.sign_in("nobody").await.status,
        StatusCode::UNAUTHORIZED
    );
    let cookie = |reply: &Reply| reply.headers["set-cookie"].to_str().unwrap().to_owned();
    let reply = client.sign_in("admin").await;
    let token = reply.json()["csrf_token"].as_str().unwrap().to_owned();
    let set = cookie(&reply);
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    assert!(!set.contains("Secure"), "plain HTTP by default: {set}");
    // Sign-out ends the session.
    let api_logout = client
        .post_json_with(
            "/api/v1/logout",
            serde_json::json!({}),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(api_logout.status, StatusCode::NO_CONTENT);
    assert_eq!(
        client.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn administrators_add_change_and_disable_users_and_it_is_audited() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let token = admin.csrf("/admin/users").await;
    // Staff without a court is refused, with the reason, and nothing is stored.
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("csrf", &token),
                ("username", "newclerk"),
                ("password", "long password"),
                ("role", "staff"),
                ("court", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // In Chinese, without command-line flags.
    assert!(reply.text().contains("工作人员账号须指定所在法院"));
    assert!(!reply.text().contains("--court"));
    assert!(world.store.user("newclerk").await.unwrap().is_none());
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("csrf", &token),
                ("username", "newclerk"),
                ("password", "long password"),
                ("role", "staff"),
                ("court", "皖0102"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let stored = world.store.user("newclerk").await.unwrap().unwrap();
    assert_eq!(stored.court_code.as_deref(), Some("皖0102"));
    let mut newclerk = Client::new(&world.app);
    let reply = newclerk
        .post_json(
            "/api/v1/login",
            serde_json::json!({"username": "newclerk", "password": "long password"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(newclerk.get("/courts/皖0102").await.status, StatusCode::OK);
    // Disable: the open session ends at once.
    let reply = admin
        .post_form(
            "/admin/users/newclerk",
            &[
                ("csrf", &token),
                ("role", "staff"),
                ("court", "皖0102"),
                ("judge", ""),
                ("disabled", "1"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(newclerk.get("/").await.status, StatusCode::UNAUTHORIZED);
    // An administrator cannot disable themselves.
    let reply = admin
        .post_form(
            "/admin/users/admin",
            &[("csrf", &token), ("role", "admin"), ("disabled", "1")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let audit = admin.get("/admin/audit").await.text();
    assert!(audit.contains("user_add") && audit.contains("新增用户 newclerk"));
    assert!(audit.contains("user_change") && audit.contains("停用"));
    assert!(audit.contains("sign_in"));
    // In Chinese: the actions' names, times as the office writes them.
    assert!(audit.contains("<td>新增用户</td>") && audit.contains("<td>修改用户</td>"));
    assert!(audit.contains("<td>登录</td>"));
    let time = regex_lite_time(&audit);
    assert!(time, "a time like 2026-12-07 09:04:35: {audit}");
    assert!(!audit.contains("+08:00"));
    // Filtered by action and user: only those rows, counted.
    let changes = admin
        .get("/admin/audit?action=user_change&user=admin")
        .await
        .text();
    assert!(changes.contains("<td>修改用户</td>"));
    assert!(!changes.contains("<td>登录</td>") && !changes.contains("<td>新增用户</td>"));
    assert!(changes.contains("共 "));
    // A filter that is not an action is a mistake, said in Chinese.
    let bad = admin.get("/admin/audit?action=drop_table").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("没有“drop_table”这一类操作"));
    let bad = admin.get("/admin/audit?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("起始日期"));
}

/// Whether the page holds a cell `YYYY-MM-DD HH:MM:SS`.
fn regex_lite_time(page: &str) -> bool {
    page.split("<td>").any(|cell| {
        let b = cell.as_bytes();
        b.len() >= 19
            && b[..19].iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                10 => *c == b' ',
                13 | 16 => *c == b':',
                _ => c.is_ascii_digit(),
            })
    })
}

#[tokio::test]
async fn the_deadline_export_is_an_xlsx_workbook_and_is_audited() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let reply = clerk
        .get("/deadlines.xlsx?status=overdue&as_of=2023-09-20")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(reply.body.starts_with(b"PK"), "a zip container");
    let log = world.store.audit_log(10).await.unwrap();
    let export = log.iter().find(|e| e.action == "export").unwrap();
    assert_eq!(export.username, "clerk0202");
    // 皖0202 on 2023-09-20: 民初1号 and the 2022 case are overdue; 民初2号 was extended.
    assert!(
        export.detail.contains("皖0202") && export.detail.contains("2 行"),
        "{}",
        export.detail
    );
}

#[tokio::test]
async fn an_import_with_errors_stores_nothing_and_shows_every_error() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let token = clerk.csrf("/import").await;
    let before = world.store.counts().await.unwrap();
    let bad = "case_number,filed_date,judge\n（2023）皖0202民初50号,2023-13-01,张明\n（2023）皖0202民初51号,,李娜\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("cases.csv"), bad.as_bytes()),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let html = reply.text();
    assert!(
        html.contains("cases.csv:2:filed_date: 日期“2023-13-01”不存在"),
        "{html}"
    );
    assert!(
        html.contains("cases.csv:3:filed_date: 必填，不能为空"),
        "{html}"
    );
    assert!(html.contains("未写入任何数据"));
    assert_eq!(world.store.counts().await.unwrap(), before);
    // A row of another court is outside a clerk's scope.
    let other = "case_number,filed_date,judge\n（2023）皖0102民初50号,2023-08-01,赵六\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("other.csv"), other.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .text()
            .contains("other.csv:2:court_code: 法院 皖0102 超出本账号的范围")
    );
    assert_eq!(world.store.counts().await.unwrap(), before);
    // A row of another court does not hide the other rows' problems: all are listed, and
    // counted, in file and row order.
    let mixed = "case_number,filed_date,judge\n（2023）皖0102民初50号,2023-08-01,赵六\n\
                 （2023）皖0202民初52号,2023-13-01,张明\n（2023）皖0202民初52号,2023-08-02,张明\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("mixed.csv"), mixed.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = reply.text();
    assert!(
        html.contains("mixed.csv:2:court_code: 法院 皖0102 超出本账号的范围"),
        "{html}"
    );
    assert!(
        html.contains("mixed.csv:3:filed_date: 日期“2023-13-01”不存在"),
        "{html}"
    );
    assert!(
        html.contains("mixed.csv:4:case_number: 案号重复：（2023）皖0202民初52号 已在第 3 行出现"),
        "the duplicate: {html}"
    );
    assert!(html.contains("（共 3 处）"), "{html}");
    assert_eq!(world.store.counts().await.unwrap(), before);
}

#[tokio::test]
async fn a_good_import_is_stored_shown_at_once_and_audited() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let token = clerk.csrf("/import").await;
    let good = "案号,立案日期,承办部门,承办人\n（2023）皖0202民初60号,2023-03-01,民一庭,张明\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("new.csv"), good.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.text().contains("导入成功"));
    let list = clerk
        .get("/api/v1/deadlines?as_of=2023-09-20&status=overdue")
        .await
        .json();
    assert!(
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["case_number"] == "（2023）皖0202民初60号"),
        "the new case is on the list at once"
    );
    let log = world.store.audit_log(10).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "import" && e.username == "clerk0202")
    );
}

#[tokio::test]
async fn changes_written_to_the_store_by_others_are_picked_up_incrementally() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let route = "/api/v1/indicators?from=2023-01-01&to=2023-12-31&scope=鲁";
    assert_eq!(
        admin.get(route).await.json()["rows"][0]["indicators"]["filed"],
        1
    );
    // Another process (the CLI's import) adds a case.
    world
        .store
        .apply_import(&ImportBatch {
            cases: vec![case(
                "（2023）鲁0102民初2号",
                "2023-04-01",
                "民一庭",
                "孙七",
            )],
            ..ImportBatch::default()
        })
        .await
        .unwrap();
    assert_eq!(
        admin.get(route).await.json()["rows"][0]["indicators"]["filed"],
        2
    );
}

#[tokio::test]
async fn the_case_page_explains_the_deadline_step_by_step() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let html = clerk
        .get("/cases/（2023）皖0202民初2号?as_of=2023-09-20")
        .await
        .text();
    // Filed 2023-03-25; six months → 2023-09-25; +3 months approved 2023-09-01 → 2023-12-25.
    assert!(
        html.contains("基础审限") && html.contains("6个月") && html.contains("民事诉讼法第152条")
    );
    assert!(html.contains("+3个月") && html.contains("2023-09-01 批准"));
    assert!(html.contains("2023-12-25"));
    assert!(
        html.contains("延长审限"),
        "the timeline lists the extension"
    );
    // The 2022 case: a deduction of 31 days (2022-07-01..31).
    let html = clerk.get("/cases/（2022）皖0202民初9号").await.text();
    assert!(html.contains("2022-07-01 至 2022-07-31") && html.contains("31 天"));
}

#[tokio::test]
async fn the_indicator_notes_are_the_catalogue_and_every_card_links_to_its_note() {
    let world = world_app().await;
    let mut judge = Client::signed_in(&world.app, "judge").await;
    let page = judge.get("/indicators").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for def in tianping_metrics::catalogue::CATALOGUE.iter() {
        assert!(
            html.contains(&format!("<tr id=\"{}\">", def.id)),
            "{}",
            def.id
        );
        assert!(html.contains(def.definition), "{}", def.id);
    }
    // 件案比 is a ratio, not a percent; 审限内结案率 has its interval.
    let row = |id: &str| {
        html.split(&format!("<tr id=\"{id}\">"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap()
            .to_owned()
    };
    assert!(row("case_matter_ratio").contains("<td>比值</td>"));
    assert!(row("within_limit_rate").contains("≥95.00%"));
    assert!(row("overdue_pending").contains("越低越好"));
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let overview = clerk.get("/").await.text();
    for id in tianping_web::KEY_INDICATOR_IDS {
        assert!(
            overview.contains(&format!("href=\"/indicators#{id}\"")),
            "{id}"
        );
    }
}

/// Every page's search box finds a case by its number in any bracket style, whole (the case
/// opens) or in part (the list of matching cases of the scope).
#[tokio::test]
async fn a_case_number_is_found_in_any_bracket_style_whole_or_in_part() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    assert!(
        clerk.get("/").await.text().contains("name=\"q\""),
        "the search box"
    );
    // Whole, half-width brackets and full-width digits: straight to the case.
    let reply = clerk
        .get("/cases?q=(２０２３)皖0202民初1号&status=all")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.headers["location"],
        "/cases/%EF%BC%882023%EF%BC%89%E7%9A%960202%E6%B0%91%E5%88%9D1%E5%8F%B7"
    );
    // In part: every case of the scope whose number contains it, and no other court's.
    let list = clerk.get("/cases?q=〔2023〕皖0202民初1&status=all").await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("（2023）皖0202民初1号"), "{html}");
    // The links' texts that are case numbers (the rows of the list).
    let listed: Vec<&str> = html
        .split("</a>")
        .filter_map(|s| s.rsplit('>').next())
        .filter(|s| s.starts_with('（'))
        .collect();
    assert!(!listed.is_empty());
    assert!(
        listed.iter().all(|n| n.contains("（2023）皖0202民初1")),
        "{listed:?}"
    );
    // Another court's case is not found, whole or in part, and says nothing of existing.
    let other = clerk.get("/cases?q=(2023)皖0102民初1号&status=all").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.text().contains("皖0102民初1号</a>"));
}

/// The web's court tables count a court with the courts below it, and say so (辖区合计);
/// the bulletin's rows are the court alone (本院).
#[tokio::test]
async fn a_court_with_courts_below_is_labelled_as_its_whole_area() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let overview = admin.get("/courts/皖").await.text();
    assert!(overview.contains("（辖区合计）"), "{overview}");
    let basic = admin.get("/courts/皖02").await.text();
    assert!(
        !basic.contains("（辖区合计）"),
        "basic courts have no area: {basic}"
    );
    let bulletin = admin
        .get("/reports/bulletin?period=2023&format=html&court=皖")
        .await
        .text();
    assert!(bulletin.contains("（本院）"), "{bulletin}");
}

#[tokio::test]
async fn the_pages_show_the_apis_figures() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    // The reference date is the last day the data knows: 2023-07-01.
    let html = clerk.get("/").await.text();
    assert!(
        html.contains("统计期间 <b>2023年（截至7月1日）</b>（2023-01-01 至 2023-07-01；"),
        "{html}"
    );
    let api = clerk
        .get("/api/v1/indicators?from=2023-01-01&to=2023-07-01")
        .await
        .json();
    let filed = api["rows"][0]["indicators"]["filed"].as_u64().unwrap();
    let card = format!(
        "data-id=\"filed\">\n    <div class=\"label\"><a href=\"/indicators#filed\" title=\"指标说明\">新收</a></div>\n    <div class=\"value\" data-value>{filed}</div>"
    );
    assert!(html.contains(&card), "card shows {filed}: {html}");
    // A rate over fewer than 30 cases is shown but not judged against its interval.
    let indicators = &api["rows"][0]["indicators"];
    for (id, base) in [
        ("within_limit_rate", "limited_closed"),
        ("acceptance_rate", "first_closed"),
    ] {
        let Some(n) = indicators[base].as_u64() else {
            continue;
        };
        let card = html
            .split(&format!("data-id=\"{id}\""))
            .nth(1)
            .and_then(|rest| rest.split("data-id=").next())
            .unwrap_or_else(|| panic!("a card for {id}: {html}"));
        assert_eq!(
            card.contains("案件数少于 30 件，不作评判"),
            n < 30,
            "{id} over {n} cases: {card}"
        );
        assert_eq!(
            card.contains("超出区间") || card.contains("区间内"),
            n >= 30
        );
    }
    let deadlines = clerk
        .get("/deadlines?status=overdue&as_of=2023-09-20")
        .await
        .text();
    let api = clerk
        .get("/api/v1/deadlines?as_of=2023-09-20&status=overdue")
        .await
        .json();
    let total = api["rows"].as_array().unwrap().len();
    assert!(deadlines.contains(&format!("<b id=\"total\">{total}</b>")));
}

#[tokio::test]
async fn the_bulletin_downloads_in_each_format_within_the_scope_and_is_audited() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    // The overview offers the bulletin of any period of the year it shows (the world's data
    // stops on 2023-07-01) and of the year before; the year it shows comes first, and is what
    // the download gives without a period.
    let overview = clerk.get("/").await.text();
    let form = overview
        .split("id=\"bulletin-form\"")
        .nth(1)
        .and_then(|rest| rest.split("</form>").next())
        .expect("a bulletin form");
    let options: Vec<&str> = form
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split('"').next())
        .filter(|v| v.starts_with("20"))
        .collect();
    assert_eq!(options.first(), Some(&"2023"), "{form}");
    for offered in [
        "2023H2", "2023Q3", "2023-07", "2023-01", "2022", "2022Q4", "2022H1",
    ] {
        assert!(options.contains(&offered), "{offered}: {options:?}");
    }
    for not_begun in ["2023Q4", "2023-08", "2022-12"] {
        assert!(!options.contains(&not_begun), "{not_begun}: {options:?}");
    }
    let default = clerk.get("/reports/bulletin?format=html").await;
    assert_eq!(default.status, StatusCode::OK);
    let chosen = clerk.get("/reports/bulletin?period=2023&format=html").await;
    assert_eq!(default.text(), chosen.text(), "the year the page shows");
    for (format, media) in [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("html", "text/html; charset=utf-8"),
    ] {
        let reply = clerk
            .get(&format!("/reports/bulletin?period=2023&format={format}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{format}: {}", reply.text());
        assert_eq!(reply.headers["content-type"], media);
        assert!(
            reply.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
    }
    let html = clerk
        .get("/reports/bulletin?period=2023&format=html")
        .await
        .text();
    assert!(
        html.contains("芜湖市镜湖区人民法院"),
        "the clerk's own court"
    );
    assert_eq!(
        clerk.get("/reports/bulletin?period=2023Q5").await.status,
        StatusCode::BAD_REQUEST
    );
    let pdf = clerk.get("/reports/bulletin?period=2023&format=pdf").await;
    if tianping_report::PDF_BUILT {
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
        assert_eq!(pdf.headers["content-type"], "application/pdf");
        assert!(pdf.body.starts_with(b"%PDF-"), "a PDF file");
    } else {
        assert_eq!(
            pdf.status,
            StatusCode::BAD_REQUEST,
            "no PDF writer built in"
        );
    }
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let audit = admin.get("/admin/audit").await.text();
    assert!(audit.contains("通报"), "downloads are audited");
}

/// The settings' clock is the application's "today" (China Standard Time) and the audit log's
/// time: a fixed clock fixes both.
#[tokio::test]
async fn a_fixed_clock_sets_today_and_the_audit_logs_time() {
    use tianping_domain::clock::FixedClock;
    let world = world_app_with(tianping_web::Settings {
        refresh_interval: std::time::Duration::ZERO,
        clock: Arc::new(FixedClock::at(d("2023-05-02"), 7, 30, 0)),
        ..tianping_web::Settings::default()
    })
    .await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    // Without as_of, the deadline list is for today: the clock's day in Beijing (07:30 there is
    // still the 1st in UTC).
    let reply = clerk.get("/api/v1/deadlines").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["as_of"], "2023-05-02");
    // Once today is past the data's last day, the list is as of that day, as the pages' are.
    let later = world_app_with(tianping_web::Settings {
        refresh_interval: std::time::Duration::ZERO,
        clock: Arc::new(FixedClock::at(d("2026-12-07"), 9, 0, 0)),
        ..tianping_web::Settings::default()
    })
    .await;
    let mut late_clerk = Client::signed_in(&later.app, "clerk0202").await;
    let as_of = late_clerk.get("/api/v1/deadlines").await.json()["as_of"].clone();
    let page = late_clerk.get("/deadlines").await.text();
    assert_ne!(as_of, "2026-12-07");
    assert!(
        page.contains(&format!("value=\"{}\"", as_of.as_str().unwrap())),
        "the page's as-of date is the API's {as_of}"
    );
    let audit = world.store.audit_log(10).await.unwrap();
    let sign_in = audit
        .iter()
        .find(|e| e.username == "clerk0202")
        .expect("the sign-in is in the audit log");
    assert_eq!(sign_in.at, "2023-05-02T07:30:00+08:00");
    // The pages read the same clock: their reference date is today while the data goes on past
    // it (the world's data runs into September 2023).
    let page = clerk.get("/long-pending").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("2023-05-02"),
        "the page is as of the clock's day"
    );
}
