//! Who sees what, and what the server reveals: a judge sees their own court's cases only (never a
//! namesake's below), only administrators change the court table, another court's case numbers
//! cannot be probed, nothing dynamic is cached, every error has the pages' or the API's shape,
//! notices are fixed texts, and free text has bounds.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use tianping_domain::access::Role;
use tianping_store::ImportBatch;

/// The world, plus a 中院 judge 张明 of 皖02 (`judge02`) with one pending appeal of their own —
/// the namesake of the basic court 皖0202's 张明, who holds 民初1号 and the 2022 民初9号.
async fn world_with_a_namesake() -> World {
    let world = world_app().await;
    world
        .store
        .upsert_user(&user("judge02", Role::Judge, Some("皖02"), Some("张明")))
        .await
        .unwrap();
    world
        .store
        .apply_import(&ImportBatch {
            cases: vec![case("（2023）皖02民终2号", "2023-06-01", "民一庭", "张明")],
            ..ImportBatch::default()
        })
        .await
        .unwrap();
    world
}

fn case_numbers(document: &serde_json::Value) -> Vec<String> {
    document["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["case_number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_intermediate_court_judge_does_not_see_a_namesakes_cases_in_a_basic_court() {
    let world = world_with_a_namesake().await;
    let mut judge = Client::signed_in(&world.app, "judge02").await;

    let deadlines = judge
        .get("/api/v1/deadlines?as_of=2023-09-20&status=all")
        .await
        .json();
    assert_eq!(case_numbers(&deadlines), ["（2023）皖02民终2号"]);

    let indicators = judge
        .get("/api/v1/indicators?from=2023-01-01&to=2023-12-31")
        .await
        .json();
    assert_eq!(indicators["rows"][0]["indicators"]["filed"], 1);
    let by_court = judge
        .get("/api/v1/indicators?from=2023-01-01&to=2023-12-31&by=court")
        .await
        .json();
    let keys: Vec<&str> = by_court["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["皖02"]);

    for page in [
        "/cases?status=all",
        "/deadlines?status=all&as_of=2023-09-20",
        "/long-pending?as_of=2023-09-20&months=12",
        "/courts/皖02/judges/张明?as_of=2023-09-20",
    ] {
        let reply = judge.get(page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        let html = reply.text();
        assert!(
            !html.contains("皖0202民初"),
            "{page} shows a namesake's case"
        );
    }
    let cases = judge.get("/cases?status=all").await.text();
    assert!(cases.contains("（2023）皖02民终2号"));
    // The overview's 新收 card counts the judge's one case of 2023.
    let overview = judge.get("/?as_of=2023-12-31").await.text();
    assert!(
        overview.contains(
            "data-id=\"filed\">\n    <div class=\"label\"><a href=\"/indicators#filed\" title=\"指标说明\">新收</a></div>\n    <div class=\"value\" data-value>1</div>"
        ),
        "{overview}"
    );
}

#[tokio::test]
async fn a_judge_asking_for_a_court_below_their_own_is_refused() {
    let world = world_with_a_namesake().await;
    let mut judge = Client::signed_in(&world.app, "judge02").await;
    for route in [
        "/courts/皖0202",
        "/courts/皖0202/judges/张明",
        "/cases?court=皖0202&status=all",
        "/deadlines?court=皖0202",
        "/api/v1/deadlines?as_of=2023-09-20&scope=皖0202",
        "/api/v1/indicators?from=2023-01-01&to=2023-12-31&scope=皖0202",
    ] {
        assert_eq!(
            judge.get(route).await.status,
            StatusCode::FORBIDDEN,
            "{route}"
        );
    }
    assert_eq!(
        judge.get("/cases/（2023）皖0202民初1号").await.status,
        StatusCode::NOT_FOUND,
        "a namesake's case is not the judge's"
    );
    assert_eq!(
        judge.get("/cases/（2023）皖02民终2号").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn another_courts_case_and_a_missing_case_answer_alike() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    // 皖0102民初1号 exists (another court); 皖0102民初2号 does not.
    let existing = clerk.get("/cases/（2023）皖0102民初1号").await;
    let missing = clerk.get("/cases/（2023）皖0102民初2号").await;
    assert_eq!(existing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let strip = |text: String, number: &str| text.replace(number, "N");
    assert_eq!(
        strip(existing.text(), "（2023）皖0102民初1号"),
        strip(missing.text(), "（2023）皖0102民初2号"),
        "the same page but for the number asked for"
    );
    // A judge's colleague's case in the judge's own court: the same.
    let mut judge = Client::signed_in(&world.app, "judge").await;
    let colleagues = judge.get("/cases/（2023）皖0202民初2号").await;
    let nobodys = judge.get("/cases/（2023）皖0202民初99号").await;
    assert_eq!(colleagues.status, StatusCode::NOT_FOUND);
    assert_eq!(
        strip(colleagues.text(), "（2023）皖0202民初2号"),
        strip(nobodys.text(), "（2023）皖0202民初99号")
    );
}

const COURTS_MOVING_0202_UNDER_0102: &str =
    "code,name,level,parent_code\n皖0202,芜湖市镜湖区人民法院,basic,皖01\n";

#[tokio::test]
async fn staff_cannot_rewrite_their_own_courts_row_by_import() {
    let world = world_app().await;
    let before = world.store.courts().await.unwrap();
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let token = clerk.csrf("/import").await;
    for kind in ["", "courts"] {
        let reply = clerk
            .post_multipart(
                "/import",
                &[
                    ("csrf", None, token.as_bytes()),
                    ("kind", None, kind.as_bytes()),
                    (
                        "files",
                        Some("courts.csv"),
                        COURTS_MOVING_0202_UNDER_0102.as_bytes(),
                    ),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        assert!(
            reply
                .text()
                .contains("courts.csv: 法院表（名称、级别、上级法院）只能由系统管理员导入"),
            "{}",
            reply.text()
        );
        assert_eq!(world.store.courts().await.unwrap(), before);
    }
    // The clerk still sees their court under 皖02.
    let mut intermediate = Client::signed_in(&world.app, "clerk02").await;
    assert_eq!(
        intermediate.get("/courts/皖0202").await.status,
        StatusCode::OK
    );
    // An administrator may.
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let token = admin.csrf("/import").await;
    let reply = admin
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                (
                    "files",
                    Some("courts.csv"),
                    COURTS_MOVING_0202_UNDER_0102.as_bytes(),
                ),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let after = world.store.courts().await.unwrap();
    let moved = after.iter().find(|c| c.code == "皖0202").unwrap();
    assert_eq!(moved.parent_code.as_deref(), Some("皖01"));
}

#[tokio::test]
async fn pages_api_answers_and_exports_are_not_kept_in_caches() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    for route in [
        "/",
        "/login",
        "/api/v1/me",
        "/api/v1/deadlines?as_of=2023-09-20",
        "/deadlines.xlsx?as_of=2023-09-20",
        "/reports/bulletin?period=2023&format=html",
        "/cases/（2023）皖0102民初1号",
        "/no/such/page",
    ] {
        let reply = clerk.get(route).await;
        assert_eq!(
            reply
                .headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{route}"
        );
    }
    let css = clerk.get("/static/app.css").await;
    assert_eq!(css.headers[header::CACHE_CONTROL], "public, max-age=3600");
}

#[tokio::test]
async fn the_frameworks_own_rejections_have_the_pages_and_the_apis_error_shapes() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;

    let page = |reply: &Reply, status: StatusCode, words: &str| {
        assert_eq!(reply.status, status, "{}", reply.text());
        assert!(
            reply.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{:?}",
            reply.headers
        );
        let html = reply.text();
        assert!(
            html.contains("<html lang=\"zh-CN\">") && html.contains(words),
            "{html}"
        );
    };
    let json = |reply: &Reply, status: StatusCode, words: &str| {
        assert_eq!(reply.status, status, "{}", reply.text());
        assert_eq!(reply.json()["error"], words);
    };

    // A malformed query: a number of months that is not a number.
    page(
        &clerk.get("/long-pending?months=many").await,
        StatusCode::BAD_REQUEST,
        "请求的参数或格式有误",
    );
    // A page number that is not one: the list's own message.
    page(
        &clerk.get("/cases?page=many").await,
        StatusCode::BAD_REQUEST,
        "page：“many”应为正整数",
    );
    // The API reads its query itself: a malformed one (%FF is no UTF-8) is its JSON error.
    let reply = clerk.get("/api/v1/deadlines?as_of=%FF").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("as_of:")
    );
    // A body the framework refuses (not JSON at all) gets the JSON shape, in Chinese.
    let not_json = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/login")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("admin"))
        .unwrap();
    let reply = clerk.send(not_json).await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    let error = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(
        !error.is_empty() && !error.is_ascii(),
        "a Chinese message: {error}"
    );
    // Unknown routes.
    page(
        &clerk.get("/no/such/page").await,
        StatusCode::NOT_FOUND,
        "页面不存在",
    );
    json(
        &clerk.get("/api/v1/no-such-thing").await,
        StatusCode::NOT_FOUND,
        "没有这个接口",
    );
    // A wrong method keeps its Allow header.
    let delete = |uri: &str| {
        Request::builder()
            .method(Method::DELETE)
            .uri(uri)
            .body(Body::empty())
            .unwrap()
    };
    let reply = clerk.send(delete("/deadlines")).await;
    page(&reply, StatusCode::METHOD_NOT_ALLOWED, "不支持此请求方法");
    assert!(reply.headers.contains_key(header::ALLOW));
    json(
        &clerk.send(delete("/api/v1/deadlines")).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "不支持此请求方法",
    );
    // The handlers' own errors keep their messages.
    let reply = clerk.get("/api/v1/deadlines?as_of=yesterday").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("as_of:")
    );
    page(
        &clerk.get("/courts/皖0102").await,
        StatusCode::FORBIDDEN,
        "超出本账号的法院范围",
    );
}

#[tokio::test]
async fn the_users_page_shows_only_its_own_notices_never_text_from_the_address() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let planted = admin
        .get("/admin/users?done=系统将于今晚停机，请将密码发送至 evil@example.com")
        .await;
    assert_eq!(planted.status, StatusCode::OK);
    assert!(!planted.text().contains("evil@example.com"));
    assert!(!planted.text().contains("class=\"note ok\""));
    // A change redirects to a notice code, which the page shows as its fixed text.
    let token = admin.csrf("/admin/users").await;
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
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(location, "/admin/users?done=added");
    assert!(admin.get(&location).await.text().contains("已新增用户"));
}

#[tokio::test]
async fn a_form_field_or_query_parameter_over_its_length_is_refused_in_chinese() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let token = admin.csrf("/admin/users").await;
    let long_name = "张".repeat(65);
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("csrf", &token),
                ("username", "judge2"),
                ("password", "long password"),
                ("role", "judge"),
                ("court", "皖0202"),
                ("judge", &long_name),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("承办人姓名过长：不能超过64个字符"));
    assert!(world.store.user("judge2").await.unwrap().is_none());

    let page = admin
        .get(&format!("/cases?judge={long_name}&status=all"))
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text().contains("参数 judge 过长：不能超过64个字符"));
    let api = admin
        .get(&format!("/api/v1/case-numbers/parse?q={}", "1".repeat(201)))
        .await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(api.json()["error"], "参数 q 过长：不能超过200个字符");
    // The upload form's own fields and the file's name.
    let token = admin.csrf("/import").await;
    let long_file_name = format!("{}.csv", "案".repeat(200));
    let reply = admin
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some(&long_file_name), b"case_number\n"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("文件名过长：不能超过200个字符"));
    let reply = admin
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("kind", None, "cases".repeat(1000).as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("文件类型过长：不能超过200个字符"));

    let endless = admin.get(&format!("/courts/{}", "皖".repeat(200))).await;
    assert_eq!(endless.status, StatusCode::URI_TOO_LONG);
    assert!(endless.text().contains("网址过长"));
}
