//! The mediation API (`workflows.md` §0.8): who sees which records (a record outside the scope is
//! 404 like an unknown one; a mediator sees only their own), who may act (403 without the duty),
//! 409 for an action not allowed from the state, 422 with the field for a refused value, the CSRF
//! token, and the audit of every action with the fields before and after.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use tianping_domain::access::Role;
use tianping_store::{DutyRecord, MediationBatch};
use tianping_workflow::mediation::{Mediation, MediationKind};

/// 皖0202: a referred mediation of mediator MD1 and one of MD2; 鲁0102: one of its own.
async fn seeded() -> World {
    let world = world_app().await;
    let store = &world.store;
    let referred = |id: &str, court: &str, mediator: &str| {
        let mut m = Mediation::registered(id, court, MediationKind::Delegated, d("2023-09-01"));
        m.referred_date = Some(d("2023-09-01"));
        m.mediator_id = Some(mediator.into());
        m
    };
    store
        .apply_mediation_batch(
            &MediationBatch {
                mediations: vec![
                    referred("WH-1", "皖0202", "MD1"),
                    referred("WH-2", "皖0202", "MD2"),
                    referred("LU-1", "鲁0102", "MD9"),
                ],
                ..MediationBatch::default()
            },
            &[],
        )
        .await
        .unwrap();
    for (name, duties, mediator) in [
        ("tiaojie", vec!["mediator"], Some("MD1")),
        ("lian", vec!["mediation_clerk"], None),
    ] {
        store
            .upsert_user(&user(name, Role::Staff, Some("皖0202"), None))
            .await
            .unwrap();
        store
            .set_duties(&DutyRecord {
                username: name.into(),
                duties: duties.into_iter().map(str::to_owned).collect(),
                mediator_id: mediator.map(str::to_owned),
            })
            .await
            .unwrap();
    }
    world
}

fn ids(reply: &Reply) -> Vec<String> {
    reply.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["mediation_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn csrf_of(client: &mut Client) -> String {
    client.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn act(client: &mut Client, id: &str, body: Value) -> Reply {
    let token = csrf_of(client).await;
    client
        .post_json_with(
            &format!("/api/v1/mediation/items/{id}/actions"),
            body,
            &[("x-csrf-token", &token)],
        )
        .await
}

#[tokio::test]
async fn each_user_sees_the_mediations_of_their_scope_and_a_mediator_only_their_own() {
    let world = seeded().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let list = clerk.get("/api/v1/mediation/items?as_of=2023-09-30").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_eq!(ids(&list), ["WH-1", "WH-2"]);
    assert_eq!(list.json()["rows"][0]["state"], "referred");
    let mut mediator = Client::signed_in(&world.app, "tiaojie").await;
    assert_eq!(
        ids(&mediator
            .get("/api/v1/mediation/items?as_of=2023-09-30")
            .await),
        ["WH-1"]
    );
    // Another court's record and another mediator's: 404, as an unknown one.
    for (who, id) in [("clerk", "LU-1"), ("mediator", "WH-2"), ("clerk", "NOPE")] {
        let client = if who == "clerk" {
            &mut clerk
        } else {
            &mut mediator
        };
        let reply = client
            .get(&uri(&format!("/api/v1/mediation/items/{id}")))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
        assert!(
            reply.json()["error"]
                .as_str()
                .unwrap()
                .contains("不在本账号的范围内")
        );
    }
    let mut admin = Client::signed_in(&world.app, "admin").await;
    assert_eq!(
        ids(&admin.get("/api/v1/mediation/items?as_of=2023-09-30").await),
        ["LU-1", "WH-1", "WH-2"]
    );
    // Due: the referrals await acceptance (3 working days: 09-06).
    let due = clerk
        .get("/api/v1/mediation/due?as_of=2023-09-10&status=overdue")
        .await
        .json();
    assert_eq!(due["module"], "mediation");
    assert_eq!(due["rows"].as_array().unwrap().len(), 2);
    assert_eq!(due["rows"][0]["limit"], "accept");
    assert_eq!(due["rows"][0]["deadline"], "2023-09-06");
    // Without a session: 401.
    let mut anonymous = Client::new(&world.app);
    assert_eq!(
        anonymous.get("/api/v1/mediation/items").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn actions_need_the_duty_the_state_and_valid_values_and_are_audited() {
    let world = seeded().await;
    // Staff without the duty: 403.
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let reply = act(
        &mut clerk,
        "WH-1",
        json!({"action": "accept", "date": "2023-09-04"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
    // Without the CSRF token: 403, nothing done.
    let mut mediator = Client::signed_in(&world.app, "tiaojie").await;
    let reply = mediator
        .post_json(
            "/api/v1/mediation/items/WH-1/actions",
            json!({"action": "accept"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // The mediator accepts their own referral.
    let reply = act(
        &mut mediator,
        "WH-1",
        json!({"action": "accept", "date": "2023-09-04"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["state"], "mediating");
    assert_eq!(reply.json()["accepted_date"], "2023-09-04");
    // Again: not from 调解中 (409).
    let reply = act(
        &mut mediator,
        "WH-1",
        json!({"action": "accept", "date": "2023-09-05"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    // In Chinese alone (the command line keeps `cannot accept from mediating`).
    assert_eq!(reply.json()["error"], "当前状态“调解中”不能执行“接受”");
    // A refused value names its field (422).
    let reply = act(
        &mut mediator,
        "WH-1",
        json!({"action": "extend", "days": 0, "date": "2023-09-06"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["field"], "days");
    let reply = act(
        &mut mediator,
        "WH-1",
        json!({"action": "conclude", "outcome": "调解不成", "date": "2023-09-06"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["field"], "failure_reason");
    // Another mediator's record: 404 (not 403: its existence is not told).
    let reply = act(
        &mut mediator,
        "WH-2",
        json!({"action": "accept", "date": "2023-09-04"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The clerk with the duty assigns nothing more here but concludes.
    let mut lian = Client::signed_in(&world.app, "lian").await;
    let reply = act(
        &mut lian,
        "WH-1",
        json!({"action": "conclude", "outcome": "调解成功", "agreement_path": "司法确认",
               "date": "2023-09-20"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["state"], "succeeded");
    // Every action in the record's history, with who, and the fields before and after.
    let shown = lian
        .get("/api/v1/mediation/items/WH-1?as_of=2023-09-30")
        .await
        .json();
    let history = shown["history"].as_array().unwrap();
    let actions: Vec<(&str, &str)> = history
        .iter()
        .map(|h| (h["action"].as_str().unwrap(), h["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("accept", "tiaojie"), ("conclude", "lian")]);
    let after: Value = serde_json::from_str(history[1]["after"].as_str().unwrap()).unwrap();
    assert_eq!(after["outcome"], "succeeded");
    assert_eq!(after["state"], "succeeded");
    let before: Value = serde_json::from_str(history[1]["before"].as_str().unwrap()).unwrap();
    assert_eq!(before["state"], "mediating");
    assert_eq!(before["outcome"], Value::Null);
    // The indicators count it: one concluded, succeeded, 司法确认.
    let doc = lian
        .get("/api/v1/mediation/indicators?from=2023-09-01&to=2023-09-30")
        .await
        .json();
    let i = &doc["rows"][0]["indicators"];
    assert_eq!(
        (&i["concluded"], &i["succeeded"], &i["confirmed"]),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(doc["scope"], "皖0202");
}

#[tokio::test]
async fn the_pages_list_explain_and_act_on_mediations() {
    let world = seeded().await;
    // The mediator's list is 我的调解: their own mediation only.
    let mut mediator = Client::signed_in(&world.app, "tiaojie").await;
    let html = mediator.get("/mediation?as_of=2023-09-02").await.text();
    assert!(html.contains("我的调解"), "{html}");
    assert!(html.contains("data-id=\"WH-1\"") && !html.contains("data-id=\"WH-2\""));
    // Accept through the page's form; the page then explains the period step by step.
    let token = mediator.csrf("/mediation/WH-1").await;
    let reply = mediator
        .post_form(
            "/mediation/WH-1/act",
            &[
                ("csrf", &token),
                ("action", "accept"),
                ("date", "2023-09-04"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let page = mediator
        .get("/mediation/WH-1?as_of=2023-09-10")
        .await
        .text();
    assert!(page.contains("data-state=\"mediating\""), "{page}");
    assert!(page.contains("id=\"deadline-steps\""), "{page}");
    // 09-04 + 30 days = 10-04, in the National Day holiday: rolled to 10-07.
    assert!(page.contains("2023-10-04 → 2023-10-07"), "{page}");
    assert!(page.contains("委派调解30日"));
    // A refused action shows the Chinese message with its status.
    let reply = mediator
        .post_form(
            "/mediation/WH-1/act",
            &[
                ("csrf", &token),
                ("action", "accept"),
                ("date", "2023-09-05"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("当前状态“调解中”不能执行“接受”"));
    // The clerk's list with the state filter and the export.
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let html = clerk
        .get("/mediation?as_of=2023-09-10&state=mediating")
        .await
        .text();
    assert!(html.contains("data-id=\"WH-1\"") && !html.contains("data-id=\"WH-2\""));
    let xlsx = clerk.get("/mediation?as_of=2023-09-10&format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"));
    // The indicators page and the roster render.
    let html = clerk
        .get("/mediation/indicators?period=2023&by=court")
        .await
        .text();
    assert!(html.contains("id=\"mediation-indicators\""), "{html}");
    assert!(html.contains("data-key=\"皖0202\""), "{html}");
    let html = clerk.get("/mediators").await.text();
    assert!(html.contains("调解员名册"), "{html}");
    // Another court's mediation: 404 page in Chinese.
    let reply = clerk.get(&uri("/mediation/LU-1")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text().contains("不在本账号的范围内"));
}

/// The court's overview shows pre-litigation mediation beside the case figures (workflows.md
/// §9 decision 5), with the API's figures.
#[tokio::test]
async fn the_overview_shows_pre_litigation_mediation() {
    let world = seeded().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let html = clerk
        .get(&uri("/courts/皖0202?from=2023-01-01&to=2023-12-31"))
        .await
        .text();
    assert!(html.contains("id=\"pre-litigation\""), "{html}");
    let card = |id: &str| {
        let at = html.find(&format!("data-id=\"{id}\"")).unwrap();
        let rest = &html[at..];
        let v = rest.find("data-value>").unwrap() + "data-value>".len();
        rest[v..v + rest[v..].find('<').unwrap()].to_owned()
    };
    let api = clerk
        .get("/api/v1/mediation/indicators?from=2023-01-01&to=2023-12-31&kind=pre")
        .await
        .json();
    assert_eq!(
        card("pre_registered"),
        api["rows"][0]["indicators"]["registered"].to_string()
    );
    assert_eq!(card("pre_registered"), "2");
    // A court without mediations shows no such panel.
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let html = admin.get(&uri("/courts/皖0102?period=2023")).await.text();
    assert!(!html.contains("id=\"pre-litigation\""));
}

/// An administrator grants duties on the users page and changes settings on the settings page;
/// both are checked and audited, and refused to others.
#[tokio::test]
async fn duties_and_settings_are_kept_by_the_administrator() {
    let world = seeded().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let token = admin.csrf("/admin/users").await;
    let reply = admin
        .post_form(
            "/admin/users/clerk0202",
            &[
                ("csrf", &token),
                ("role", "staff"),
                ("court", "皖0202"),
                ("judge", ""),
                ("duties", "mediation_clerk"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let duties = world.store.duties().await.unwrap();
    let clerk = duties.iter().find(|d| d.username == "clerk0202").unwrap();
    assert_eq!(clerk.duties, ["mediation_clerk"]);
    assert!(admin.get("/admin/users").await.text().contains("诉调对接"));
    // The clerk may now act: the duty took effect.
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let reply = act(
        &mut clerk,
        "WH-2",
        json!({"action": "accept", "date": "2023-09-04"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    // An unknown duty is refused.
    let reply = admin
        .post_form(
            "/admin/users/clerk0202",
            &[
                ("csrf", &token),
                ("role", "staff"),
                ("court", "皖0202"),
                ("duties", "dancer"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("没有职责 dancer"));
    // Settings.
    let page = admin.get("/admin/settings").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let token = admin.csrf("/admin/settings").await;
    let reply = admin
        .post_form(
            "/admin/settings",
            &[
                ("csrf", &token),
                ("key", "mediation.filing_days"),
                ("value", "10"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let stored = world.store.settings().await.unwrap();
    assert_eq!(stored[0].key, "mediation.filing_days");
    assert_eq!(stored[0].value, "10");
    assert_eq!(stored[0].changed_by, "admin");
    let reply = admin
        .post_form(
            "/admin/settings",
            &[
                ("csrf", &token),
                ("key", "mediation.filing_days"),
                ("value", "soon"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("应为 0 至 3660 的天数"));
    let log = world.store.audit_log(5).await.unwrap();
    assert!(log.iter().any(|e| e.action == "setting_change"));
    // Not for staff.
    assert_eq!(
        clerk.get("/admin/settings").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The mediation desk registers a mediation from the list page; the id is generated, the
/// creation audited; without the duty the form is refused.
#[tokio::test]
async fn the_desk_registers_a_mediation_from_the_page() {
    let world = seeded().await;
    let mut lian = Client::signed_in(&world.app, "lian").await;
    let page = lian.get("/mediation").await.text();
    assert!(page.contains("id=\"register-form\""), "{page}");
    let token = csrf_in(&page).unwrap();
    let reply = lian
        .post_form(
            "/mediation",
            &[
                ("csrf", &token),
                ("court_code", "皖0202"),
                ("kind", "委派"),
                ("cause", "物业服务合同纠纷"),
                ("claim_amount", "12000.50"),
                ("registered_date", "2023-09-03"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let stored = world.store.mediations().await.unwrap();
    let new = stored
        .iter()
        .find(|m| m.mediation_id.starts_with("调2023皖0202"))
        .expect("a generated id");
    assert_eq!(new.mediation_id, "调2023皖020200001");
    assert_eq!(new.claim_amount, Some(1_200_050));
    assert!(location.starts_with("/mediation/"));
    let history = world
        .store
        .workflow_history("mediation", &new.mediation_id)
        .await
        .unwrap();
    assert_eq!(history[0].kind, "workflow_create");
    assert_eq!(history[0].actor, "lian");
    // 委托 without a case number: refused with the field.
    let reply = lian
        .post_form(
            "/mediation",
            &[("csrf", &token), ("court_code", "皖0202"), ("kind", "委托")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("委托调解须填写案号"));
    // A clerk without the duty sees no form and is refused.
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let page = clerk.get("/mediation").await.text();
    assert!(!page.contains("id=\"register-form\""));
    let token = clerk.csrf("/mediation").await;
    let reply = clerk
        .post_form("/mediation", &[("csrf", &token), ("kind", "委派")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

/// The import page takes the mediation files too, within the account's courts: a row of another
/// court, or an event of another court's mediation, refuses the upload.
#[tokio::test]
async fn mediation_files_import_from_the_page_within_the_scope() {
    let world = seeded().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let token = clerk.csrf("/import").await;
    let good = "调解案号,法院代字,调解类型,登记日期\nWH-9,皖0202,委派,2023-09-05\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("mediations.csv"), good.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.text().contains("调解案件"), "{}", reply.text());
    assert!(
        world
            .store
            .mediations()
            .await
            .unwrap()
            .iter()
            .any(|m| m.mediation_id == "WH-9")
    );
    let other = "调解案号,法院代字,调解类型,登记日期\nLU-9,鲁0102,委派,2023-09-05\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("mediations.csv"), other.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.text().contains("法院 鲁0102 超出本账号的范围"),
        "{}",
        reply.text()
    );
    let event = "调解案号,事件,日期,天数\nLU-1,延长,2023-09-10,5\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("files", Some("mediation_events.csv"), event.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.text().contains("法院 鲁0102 超出本账号的范围"),
        "{}",
        reply.text()
    );
    assert!(
        !world
            .store
            .mediations()
            .await
            .unwrap()
            .iter()
            .any(|m| m.mediation_id == "LU-9")
    );
    // Every mediation template reads back as its kind.
    for kind in [
        "mediation_orgs",
        "mediators",
        "mediations",
        "mediation_events",
    ] {
        let reply = clerk.get(&format!("/import/template/{kind}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{kind}");
        let parsed = tianping_exchange::read_bytes(
            "t.xlsx",
            &reply.body,
            None,
            tianping_exchange::Layout::Tianping,
        )
        .unwrap();
        assert_eq!(parsed.kind.id(), kind);
        assert!(parsed.errors.is_empty(), "{kind}: {:?}", parsed.errors);
    }
}
