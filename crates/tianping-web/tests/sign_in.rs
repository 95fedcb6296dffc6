//! Sign-in under attack, through the router: guesses counted before they are checked, growing
//! delays that slow an attacker without shutting out the owner, bounded names, passwords and
//! bodies, a sign-in page that stores nothing for an anonymous visitor, only local paths after
//! sign-in, sessions that end with the password, and an API sign-out that needs its token.

mod common;

use axum::http::StatusCode;
use common::*;

fn guess(username: &str) -> serde_json::Value {
    serde_json::json!({"username": username, "password": "a wrong guess"})
}

/// Audit entries with `action`.
async fn audited(world: &World, action: &str) -> usize {
    world
        .store
        .audit_log(10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_guesses_get_at_most_five_passwords_checked() {
    let world = world_app().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let mut guesser = Client::at(&world.app, "192.0.2.1");
        tasks.spawn(async move {
            guesser
                .post_json("/api/v1/login", guess("clerk0202"))
                .await
                .status
        });
    }
    let statuses = tasks.join_all().await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (5, 35), "{statuses:?}");
    assert_eq!(audited(&world, "sign_in_failed").await, 5);
    // One refusal recorded for the wait, not thirty-five.
    assert_eq!(audited(&world, "sign_in_refused").await, 1);
}

#[tokio::test]
async fn failures_from_one_address_slow_that_address_but_not_the_owner_at_another() {
    let world = world_app().await;
    let mut attacker = Client::at(&world.app, "203.0.113.66");
    for _ in 0..5 {
        let reply = attacker.post_json("/api/v1/login", guess("admin")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.json()["error"], "用户名或密码错误");
    }
    // The attacker's address now waits, even with the right password...
    let reply = attacker.sign_in("admin").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.headers["retry-after"], "30");
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("登录失败次数过多，请 30 秒后再试")
    );
    // ...and the page says so, with the same status.
    let mut attackers_browser = Client::at(&world.app, "203.0.113.66");
    let token = attackers_browser.csrf("/login").await;
    let reply = attackers_browser
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "admin"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.text().contains("登录失败次数过多，请 30 秒后再试"));
    // The owner, at their own address, signs in.
    let mut owner = Client::at(&world.app, "10.20.30.40");
    assert_eq!(owner.sign_in("admin").await.status, StatusCode::OK);
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_slowed_after_twenty_failures() {
    let world = world_app().await;
    let mut sprayer = Client::at(&world.app, "198.51.100.23");
    for i in 0..20 {
        let reply = sprayer
            .post_json("/api/v1/login", guess(&format!("user{i}")))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let reply = sprayer.post_json("/api/v1/login", guess("judge")).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.headers["retry-after"], "30");
    // Elsewhere, the judge is not slowed.
    let mut judge = Client::at(&world.app, "10.0.0.8");
    assert_eq!(judge.sign_in("judge").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_overlong_username_or_password_is_refused_unread_and_unrecorded() {
    let world = world_app().await;
    let entries_before = world.store.audit_log(10_000).await.unwrap().len();
    let mut client = Client::at(&world.app, "192.0.2.9");
    let long_name = "名".repeat(65);
    let reply = client
        .post_json(
            "/api/v1/login",
            serde_json::json!({"username": long_name, "password": PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.json()["error"].as_str().unwrap().contains("不超过"));
    let long_password = "p".repeat(1025);
    let reply = client
        .post_json(
            "/api/v1/login",
            serde_json::json!({"username": "admin", "password": long_password}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // Through the form too, and the name is not shown back.
    let token = client.csrf("/login").await;
    let reply = client
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", &long_name),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.text().contains(&long_name));
    // Neither the audit log nor the throttle saw them: the owner signs in from here at once.
    assert_eq!(
        world.store.audit_log(10_000).await.unwrap().len(),
        entries_before
    );
    // Names of 64 characters are still names.
    let reply = client
        .post_json("/api/v1/login", guess(&"名".repeat(64)))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(client.sign_in("admin").await.status, StatusCode::OK);
}

#[tokio::test]
async fn large_bodies_are_refused_before_a_token_is_read_except_the_uploads() {
    let world = world_app().await;
    let mut browser = Client::new(&world.app);
    let token = browser.csrf("/login").await;
    // A sign-in of 20 KiB: beyond its 16 KiB, refused before the CSRF check (no 403).
    let padding = "x".repeat(20 * 1024);
    let reply = browser
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "admin"),
                ("password", PASSWORD),
                ("padding", &padding),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.text().contains("提交的内容过大"));
    let reply = browser
        .post_json(
            "/api/v1/login",
            serde_json::json!({"username": "admin", "password": PASSWORD, "padding": padding}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Other forms take 64 KiB.
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let token = admin.csrf("/admin/users").await;
    let padding = "x".repeat(65 * 1024);
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("csrf", &token),
                ("username", "padded"),
                ("password", "long password"),
                ("role", "admin"),
                ("padding", &padding),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(world.store.user("padded").await.unwrap().is_none());
    // The upload keeps its own limit: a file of a megabyte is read and checked.
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let token = clerk.csrf("/import").await;
    let mut file = b"case_number,court_code,filed_date\n".to_vec();
    while file.len() < 1024 * 1024 {
        file.extend_from_slice("（2023）皖0202民初1号,皖0202,2023-03-15\n".as_bytes());
    }
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("kind", None, b"cases"),
                ("files", Some("cases.csv"), &file),
            ],
        )
        .await;
    assert_ne!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_ne!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
}

#[tokio::test]
async fn anonymous_visits_to_the_sign_in_page_store_no_session() {
    let world = world_app().await;
    stored_sessions(world.store.as_ref()).await;
    for _ in 0..20 {
        let mut visitor = Client::new(&world.app);
        let reply = visitor.get("/login").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(!visitor.cookies.contains_key("tianping_session"));
    }
    // A failed sign-in stores none either.
    let mut browser = Client::new(&world.app);
    let token = browser.csrf("/login").await;
    let reply = browser
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "admin"),
                ("password", "nope"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.text().contains("用户名或密码错误"));
    assert_eq!(stored_sessions(world.store.as_ref()).await, 0);
    // The form still signs in, with the token the failed attempt's page carries.
    let token = csrf_in(&reply.text()).unwrap();
    let reply = browser
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("username", "admin"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/").await.status, StatusCode::OK);
    assert_eq!(stored_sessions(world.store.as_ref()).await, 1);
}

/// The sign-in form as `client` posts it with `token`, for the administrator.
async fn sign_in_form(client: &mut Client, token: &str) -> StatusCode {
    client
        .post_form(
            "/login",
            &[
                ("csrf", token),
                ("username", "admin"),
                ("password", PASSWORD),
            ],
        )
        .await
        .status
}

#[tokio::test]
async fn a_forged_sign_in_form_is_refused() {
    let world = world_app().await;
    // The attacker's own valid token, in a form posted from the victim's browser (without a
    // sign-in cookie, then with its own): refused.
    let mut attacker = Client::new(&world.app);
    let attackers_token = attacker.csrf("/login").await;
    let mut victim = Client::new(&world.app);
    assert_eq!(
        sign_in_form(&mut victim, &attackers_token).await,
        StatusCode::FORBIDDEN
    );
    victim.get("/login").await;
    assert_eq!(
        sign_in_form(&mut victim, &attackers_token).await,
        StatusCode::FORBIDDEN
    );
    // No token, or a wrong one: refused.
    assert_eq!(sign_in_form(&mut victim, "").await, StatusCode::FORBIDDEN);
    assert_eq!(
        sign_in_form(&mut victim, &"0".repeat(64)).await,
        StatusCode::FORBIDDEN
    );
    // A planted cookie with a made-up token of the right shape: refused (the server did not
    // sign it).
    let mut planted = Client::new(&world.app);
    let issued = attackers_token.split('.').next().unwrap();
    let forged = format!("{issued}.{}.{}", "0".repeat(32), "0".repeat(64));
    planted
        .cookies
        .insert("tianping_signin".into(), forged.clone());
    assert_eq!(
        sign_in_form(&mut planted, &forged).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(audited(&world, "sign_in").await, 0);
    // The attacker's own browser, with its cookie and token: signs in.
    assert_eq!(
        sign_in_form(&mut attacker, &attackers_token).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(audited(&world, "sign_in").await, 1);
}

#[tokio::test]
async fn after_sign_in_the_browser_goes_only_to_a_path_of_this_site() {
    let world = world_app().await;
    for next in [
        "/\t/evil.example/",
        "/%09/evil.example/",
        "/\\evil.example/",
        "/%5Cevil.example",
        "//evil.example/",
        "https://evil.example/",
    ] {
        let mut browser = Client::new(&world.app);
        let page = browser
            .get(&format!(
                "/login?{}",
                serde_urlencoded::to_string([("next", next)]).unwrap()
            ))
            .await
            .text();
        // (The template escapes `/` as `&#x2f;`.)
        assert!(
            page.contains("name=\"next\" value=\"&#x2f;\""),
            "next={next:?} is not carried to the form"
        );
        let token = csrf_in(&page).unwrap();
        let reply = browser
            .post_form(
                "/login",
                &[
                    ("csrf", &token),
                    ("username", "admin"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.headers["location"], "/", "next={next:?}");
    }
}

#[tokio::test]
async fn a_password_reset_signs_out_every_other_session_of_the_account() {
    let world = world_app().await;
    let mut at_desk = Client::signed_in(&world.app, "clerk0202").await;
    let mut at_home = Client::signed_in(&world.app, "clerk0202").await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let mut admins_laptop = Client::signed_in(&world.app, "admin").await;
    let token = admin.csrf("/admin/users").await;
    let reply = admin
        .post_form(
            "/admin/users/clerk0202",
            &[
                ("csrf", &token),
                ("role", "staff"),
                ("court", "皖0202"),
                ("judge", ""),
                ("password", "a new password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(at_desk.get("/").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        at_home.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    // The new password signs in.
    let reply = at_desk
        .post_json(
            "/api/v1/login",
            serde_json::json!({"username": "clerk0202", "password": "a new password"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    // An administrator who resets their own password stays signed in here, not elsewhere.
    let reply = admin
        .post_form(
            "/admin/users/admin",
            &[
                ("csrf", &token),
                ("role", "admin"),
                ("password", "another new password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    assert_eq!(
        admins_laptop.get("/").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_password_set_from_the_command_line_signs_the_account_out_too() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    // As `tianping user add` does for an existing account.
    let mut account = world.store.user("clerk0202").await.unwrap().unwrap();
    account.password_hash = tianping_web::hash_password("changed on the server");
    world.store.upsert_user(&account).await.unwrap();
    assert_eq!(clerk.get("/").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_apis_sign_out_needs_the_sessions_csrf_token() {
    let world = world_app().await;
    let mut client = Client::new(&world.app);
    let signed_in = client.sign_in("clerk0202").await;
    let token = signed_in.json()["csrf_token"].as_str().unwrap().to_owned();
    assert_eq!(client.get("/api/v1/me").await.json()["csrf_token"], token);
    for headers in [vec![], vec![("x-csrf-token", "0".repeat(64))]] {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = client
            .post_json_with("/api/v1/logout", serde_json::json!({}), &headers)
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(client.get("/api/v1/me").await.status, StatusCode::OK);
    }
    let reply = client
        .post_json_with(
            "/api/v1/logout",
            serde_json::json!({}),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        client.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}
