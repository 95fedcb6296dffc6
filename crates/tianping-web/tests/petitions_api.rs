//! The petition API (`workflows.md` §0.8, §2.7): only the petition duties, leaders and
//! administrators read petitions (403 for other staff); a petition outside the scope is 404 like
//! an unknown one; identifiers are masked for leaders; registration at the reception desk runs
//! the file's rules (422 with the field), assigns the matter and is audited; actions need their
//! duty (an extension a leader's) and their state (409).

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use tianping_domain::access::Role;
use tianping_store::{DutyRecord, PetitionBatch};
use tianping_workflow::petitions::{Channel, Petition};

const ID: &str = "340202198001011237";

/// 皖0202: a letter received 2023-09-20 by the petitioner ID; 鲁0102: a visit of its own.
async fn seeded() -> World {
    let world = world_app().await;
    let store = &world.store;
    let mut letter = Petition::registered(
        "WH-1",
        "皖0202",
        d("2023-09-20"),
        Channel::Letter,
        "申诉求决",
        true,
    );
    letter.petitioner_id = Some(ID.into());
    letter.case_number = Some("（2023）皖0202民初1号".into());
    letter.matter_id = Some("WH-1".into());
    let mut visit = Petition::registered(
        "LU-1",
        "鲁0102",
        d("2023-09-21"),
        Channel::Visit,
        "咨询",
        false,
    );
    visit.matter_id = Some("LU-1".into());
    store
        .apply_petition_batch(
            &PetitionBatch {
                petitions: vec![letter, visit],
                ..PetitionBatch::default()
            },
            &[],
        )
        .await
        .unwrap();
    for (name, duties) in [
        ("xfban", vec!["petition_officer"]),
        ("yuanzhang", vec!["leader"]),
    ] {
        store
            .upsert_user(&user(name, Role::Staff, Some("皖0202"), None))
            .await
            .unwrap();
        store
            .set_duties(&DutyRecord {
                username: name.into(),
                duties: duties.into_iter().map(str::to_owned).collect(),
                mediator_id: None,
            })
            .await
            .unwrap();
    }
    world
}

async fn csrf_of(client: &mut Client) -> String {
    client.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn post(client: &mut Client, path: &str, body: Value) -> Reply {
    let token = csrf_of(client).await;
    client
        .post_json_with(path, body, &[("x-csrf-token", &token)])
        .await
}

fn ids(reply: &Reply) -> Vec<String> {
    reply.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["petition_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn only_the_petition_duties_read_petitions_and_leaders_see_identifiers_masked() {
    let world = seeded().await;
    // Staff without a petition duty: 403 on every petition route.
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    for path in [
        "/api/v1/petitions/items",
        "/api/v1/petitions/items/WH-1",
        "/api/v1/petitions/due",
        "/api/v1/petitions/indicators?period=2023",
        "/api/v1/petitions/matters",
    ] {
        assert_eq!(
            clerk.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut officer = Client::signed_in(&world.app, "xfban").await;
    let list = officer
        .get("/api/v1/petitions/items?as_of=2023-12-31")
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_eq!(ids(&list), ["WH-1"]);
    assert_eq!(list.json()["rows"][0]["petitioner_id"], ID);
    let mut leader = Client::signed_in(&world.app, "yuanzhang").await;
    let shown = leader
        .get("/api/v1/petitions/items/WH-1?as_of=2023-12-31")
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json()["petitioner_id"], "3402**********1237");
    assert_eq!(shown.json()["deadlines"][0]["deadline"], "2023-10-07");
    // Another court's petition and an unknown one: 404 alike.
    for id in ["LU-1", "NOPE"] {
        let reply = officer
            .get(&uri(&format!("/api/v1/petitions/items/{id}")))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
    }
    let mut admin = Client::signed_in(&world.app, "admin").await;
    assert_eq!(
        ids(&admin.get("/api/v1/petitions/items?as_of=2023-12-31").await),
        ["LU-1", "WH-1"]
    );
    let due = officer
        .get("/api/v1/petitions/due?as_of=2023-10-10&status=overdue")
        .await
        .json();
    assert_eq!(due["module"], "petitions");
    assert_eq!(due["rows"][0]["id"], "WH-1");
    assert_eq!(due["rows"][0]["limit"], "ack");
}

#[tokio::test]
async fn registration_checks_assigns_the_matter_and_actions_are_audited() {
    let world = seeded().await;
    let mut officer = Client::signed_in(&world.app, "xfban").await;
    // A bad identifier: 422 naming the field, nothing stored.
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items",
        json!({"petition_id": "WH-2", "received_date": "2023-10-08", "channel": "来访",
               "nature": "申诉求决", "litigation_related": true, "petitioner_id": "340202198001011231",
               "case_number": "(2023)皖0202民初1号"}),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert_eq!(reply.json()["field"], "petitioner_id");
    // The same person about the same case: a repeat in WH-1's matter.
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items",
        json!({"petition_id": "WH-2", "received_date": "2023-10-08", "channel": "来访",
               "nature": "申诉求决", "litigation_related": true, "petitioner_id": ID,
               "persons": 2, "case_number": "(2023)皖0202民初1号"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["court_code"], "皖0202");
    assert_eq!(reply.json()["matter_id"], "WH-1");
    let shown = officer
        .get("/api/v1/petitions/items/WH-2?as_of=2023-12-31")
        .await
        .json();
    assert_eq!(shown["repeat"], true);
    assert_eq!(shown["history"][0]["action"], "create");
    // Acknowledged by the officer; an extension is a leader's.
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items/WH-2/actions",
        json!({"action": "acknowledge", "decision": "受理", "date": "2023-10-10"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["state"], "handling");
    let extend =
        json!({"action": "extend", "days": 30, "reason": "案情复杂", "date": "2023-11-01"});
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items/WH-2/actions",
        extend.clone(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut leader = Client::signed_in(&world.app, "yuanzhang").await;
    let reply = post(&mut leader, "/api/v1/petitions/items/WH-2/actions", extend).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["extension_days"], 30);
    // Not from this state: 409 in Chinese; a missing field: 422.
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items/WH-2/actions",
        json!({"action": "acknowledge", "decision": "受理", "date": "2023-11-02"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.json()["error"], "当前状态“办理中”不能执行“告知”");
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items/WH-2/actions",
        json!({"action": "reply", "result": "支持", "date": "2023-11-20"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["field"], "form");
    // Replied; the history holds every step with the state before and after.
    let reply = post(
        &mut officer,
        "/api/v1/petitions/items/WH-2/actions",
        json!({"action": "reply", "result": "解释说明", "form": "书面", "date": "2023-11-20"}),
    )
    .await;
    assert_eq!(reply.json()["state"], "concluded");
    let history = officer.get("/api/v1/petitions/items/WH-2").await.json()["history"].clone();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "acknowledge", "extend", "reply"]);
    // The page tells the history in Chinese.
    let page = officer.get("/petitions/WH-2").await.text();
    assert!(
        page.contains("告知") && page.contains("延期") && page.contains("答复"),
        "{page}"
    );
    assert!(!page.contains(">acknowledge<"), "{page}");
    // The list and the indicators page with its 三降两升 panel render; staff without the duty
    // are refused the pages as the API.
    let list = officer.get("/petitions?as_of=2023-12-31").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert!(list.text().contains("WH-2") && list.text().contains("来信来访登记"));
    let panel = officer.get("/petitions/indicators?period=2023").await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.text());
    assert!(panel.text().contains("三降两升"));
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    assert_eq!(clerk.get("/petitions").await.status, StatusCode::FORBIDDEN);
    assert!(history[3]["before"].as_str().unwrap().contains("handling"));
    // The matter resolved by the leader; the indicators see it.
    let reply = post(
        &mut leader,
        "/api/v1/petitions/items/WH-1/actions",
        json!({"action": "resolve_matter", "resolution": "息诉罢访", "date": "2023-12-01"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["state"], "resolved");
    let doc = officer
        .get("/api/v1/petitions/indicators?period=2023Q4")
        .await
        .json();
    let i = &doc["rows"][0]["indicators"];
    assert_eq!(i["received"], 1);
    assert_eq!(i["repeat"], 1);
    assert_eq!(i["matter_resolved"], 1);
    assert_eq!(i["handling_on_time_rate"], Value::Null);
}

/// §0.6: the petitioner's identifier appears whole to the petition officer only; on every
/// petition route — API, pages and the overview — a leader sees at most the masked form.
#[tokio::test]
async fn the_identifier_is_masked_on_every_route_for_a_leader() {
    let world = seeded().await;
    let masked = "3402**********1237";
    let mut leader = Client::signed_in(&world.app, "yuanzhang").await;
    let routes = [
        "/api/v1/petitions/items?as_of=2023-12-31",
        "/api/v1/petitions/items/WH-1?as_of=2023-12-31",
        "/api/v1/petitions/due?as_of=2023-10-10",
        "/api/v1/petitions/indicators?period=2023",
        "/api/v1/petitions/indicators?period=2023&by=court&compare=yoy",
        "/api/v1/petitions/matters?as_of=2023-12-31",
        "/petitions?as_of=2023-12-31",
        "/petitions?as_of=2023-12-31&status=registered",
        "/petitions/WH-1?as_of=2023-12-31",
        "/petitions/indicators?period=2023",
        "/?period=2023",
    ];
    let mut shown_masked = 0;
    for path in routes {
        let reply = leader.get(&uri(path)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
        let body = reply.text();
        assert!(!body.contains(ID), "{path} shows the identifier whole");
        shown_masked += usize::from(body.contains(masked));
    }
    // The list and the petition (API and page) name the petitioner by the masked identifier.
    assert!(shown_masked >= 3, "{shown_masked}");
    // The petition officer sees it whole on the petition's page.
    let mut officer = Client::signed_in(&world.app, "xfban").await;
    assert!(
        officer
            .get(&uri("/petitions/WH-1?as_of=2023-12-31"))
            .await
            .text()
            .contains(ID)
    );
}
