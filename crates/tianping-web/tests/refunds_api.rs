//! The court-fee refund API and pages (`workflows.md` §0.8, §4.6): staff read the refunds of
//! their scope, a judge those of their own cases, another court's answers 404 like an unknown id;
//! recording needs the finance duty and runs the file's rules (422 with the field); a part paid
//! keeps the refund owed, the rest completes it, each step audited; the case page lists its
//! refunds and the overview shows 退费及时率.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use tianping_domain::Money;
use tianping_domain::access::Role;
use tianping_store::DutyRecord;
use tianping_workflow::refunds::FeeRefund;

/// 皖0202: a refund on 张明's closed case (2023)皖0202民初3号, effective 2023-04-20 (due
/// 2023-05-05, the Friday after the May Day holiday); 鲁0102: one of its own.
async fn seeded() -> World {
    let world = world_app().await;
    let store = &world.store;
    let ours = FeeRefund::owed(
        "TF-1",
        "（2023）皖0202民初3号",
        "皖0202",
        "胜诉退费",
        Money(50_000),
        d("2023-04-20"),
    );
    let theirs = FeeRefund::owed(
        "TF-LU",
        "（2023）鲁0102民初1号",
        "鲁0102",
        "胜诉退费",
        Money(10_000),
        d("2023-04-20"),
    );
    store
        .apply_refund_batch(&[ours, theirs], &[])
        .await
        .unwrap();
    store
        .upsert_user(&user("caiwu", Role::Staff, Some("皖0202"), None))
        .await
        .unwrap();
    store
        .set_duties(&DutyRecord {
            username: "caiwu".into(),
            duties: vec!["finance".into()],
            mediator_id: None,
        })
        .await
        .unwrap();
    world
}

async fn post(client: &mut Client, path: &str, body: Value) -> Reply {
    let token = client.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    client
        .post_json_with(&uri(path), body, &[("x-csrf-token", &token)])
        .await
}

fn ids(reply: &Reply) -> Vec<String> {
    reply.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["refund_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn staff_and_judges_read_their_refunds_and_the_finance_office_pays_them() {
    let world = seeded().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let list = clerk.get("/api/v1/refunds/items?as_of=2023-12-31").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_eq!(ids(&list), ["TF-1"]);
    let shown = clerk
        .get("/api/v1/refunds/items/TF-1?as_of=2023-05-10")
        .await
        .json();
    assert_eq!(shown["amount"], "500.00");
    assert_eq!(shown["deadlines"][0]["before_roll_over"], "2023-05-05");
    assert_eq!(shown["deadlines"][0]["status"], "overdue");
    for id in ["TF-LU", "NOPE"] {
        assert_eq!(
            clerk
                .get(&format!("/api/v1/refunds/items/{id}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{id}"
        );
    }
    // 张明's case: the judge reads its refund.
    let mut judge = Client::signed_in(&world.app, "judge").await;
    assert_eq!(
        ids(&judge.get("/api/v1/refunds/items?as_of=2023-12-31").await),
        ["TF-1"]
    );
    // The clerk has no finance duty.
    assert_eq!(
        post(
            &mut clerk,
            "/api/v1/refunds/items/TF-1/actions",
            json!({"action": "refund"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let mut finance = Client::signed_in(&world.app, "caiwu").await;
    let part = post(
        &mut finance,
        "/api/v1/refunds/items/TF-1/actions",
        json!({"action": "refund", "amount": "200", "date": "2023-05-04"}),
    )
    .await;
    assert_eq!(part.status, StatusCode::OK, "{}", part.text());
    assert_eq!(
        (
            part.json()["state"].as_str(),
            part.json()["outstanding"].as_str()
        ),
        (Some("owed"), Some("300.00"))
    );
    let too_much = post(
        &mut finance,
        "/api/v1/refunds/items/TF-1/actions",
        json!({"action": "refund", "amount": "400", "date": "2023-05-05"}),
    )
    .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_much.json()["field"], "amount");
    let rest = post(
        &mut finance,
        "/api/v1/refunds/items/TF-1/actions",
        json!({"action": "refund", "date": "2023-05-05"}),
    )
    .await;
    assert_eq!(rest.json()["state"], "refunded");
    // Completed on the last day: on time.
    let shown = clerk.get("/api/v1/refunds/items/TF-1").await.json();
    assert_eq!(shown["deadlines"][0]["deadline"], "2023-05-05");
    assert_eq!(shown["deadlines"][0]["status"], "on_time");
    let actions: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["refund", "refund"]);
    let doc = clerk
        .get("/api/v1/refunds/indicators?period=2023Q2")
        .await
        .json();
    assert_eq!(doc["rows"][0]["indicators"]["on_time_rate"], 1.0);
    // The pages: the case lists its refund, the list and the indicators render, the overview
    // shows 退费及时率.
    let case = clerk.get(&uri("/cases/（2023）皖0202民初3号")).await.text();
    assert!(
        case.contains("case-refunds") && case.contains("TF-1"),
        "the case page"
    );
    assert!(
        clerk
            .get("/refunds?as_of=2023-12-31")
            .await
            .text()
            .contains("TF-1")
    );
    let panel = clerk.get("/refunds/indicators?period=2023").await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.text());
    let overview = clerk.get("/?period=2023Q2").await.text();
    assert!(
        overview.contains("refunds_on_time_rate"),
        "the overview card"
    );
    let page = finance.get("/refunds/TF-1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
}

#[tokio::test]
async fn recording_runs_the_rules_of_the_file() {
    let world = seeded().await;
    let mut finance = Client::signed_in(&world.app, "caiwu").await;
    let good = json!({"case_number": "（2023）皖0202民初3号", "payer": "原告", "reason": "胜诉退费",
        "amount": "120.5", "effective_date": "2023-04-25"});
    let mut pending = good.clone();
    pending["case_number"] = json!("（2023）皖0202民初1号");
    let reply = post(&mut finance, "/api/v1/refunds/items", pending).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["field"], "effective_date");
    let mut remand = good.clone();
    remand["reason"] = json!("发回重审");
    assert_eq!(
        post(&mut finance, "/api/v1/refunds/items", remand)
            .await
            .json()["field"],
        "reason"
    );
    let reply = post(&mut finance, "/api/v1/refunds/items", good).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["amount"], "120.50");
    assert!(
        reply.json()["refund_id"]
            .as_str()
            .unwrap()
            .starts_with("TF")
    );
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    assert_eq!(
        post(&mut clerk, "/api/v1/refunds/items", json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
