//! The judicial-suggestion API and pages (`workflows.md` §0.8, §3.6): staff read the
//! suggestions of their scope, a judge only those naming one of their cases, another court's
//! answers 404 like an unknown number; drafting needs the officer's duty and runs the file's
//! rules (422 with the field), the path drafted → 审委会 → 签发 (a leader) → issued → served →
//! replied moves with its audit, the text changes only before signing (409 after), and the
//! 司法建议书 downloads as DOCX and PDF from the record.

mod common;

use axum::http::{StatusCode, header};
use common::*;
use serde_json::{Value, json};
use tianping_domain::access::Role;
use tianping_store::DutyRecord;
use tianping_workflow::suggestions::Suggestion;

const NO: &str = "镜法建〔2023〕1号";

/// 皖0202: one issued suggestion naming 张明's case; 鲁0102: one of its own.
async fn seeded() -> World {
    let world = world_app().await;
    let store = &world.store;
    let mut ours = Suggestion::drafted(
        NO,
        "皖0202",
        "芜湖市镜湖区人民法院关于物业管理的司法建议书",
        "芜湖市镜湖区住房和城乡建设局",
        "物业纠纷",
    );
    ours.case_numbers = vec!["（2023）皖0202民初1号".into()];
    ours.committee_date = Some(d("2023-11-01"));
    ours.signed_date = Some(d("2023-11-02"));
    ours.issued_date = Some(d("2023-11-28"));
    ours.served_date = Some(d("2023-11-30"));
    let theirs = Suggestion::drafted(
        "历下法建〔2023〕1号",
        "鲁0102",
        "济南市历下区人民法院关于劳动用工的司法建议书",
        "历下区人社局",
        "劳动用工",
    );
    let mut theirs = theirs;
    theirs.drafted_date = Some(d("2023-05-01"));
    store
        .apply_suggestion_batch(&[ours, theirs], &[])
        .await
        .unwrap();
    for (name, duties) in [
        ("yanjiushi", vec!["suggestion_officer"]),
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

async fn post(client: &mut Client, path: &str, body: Value) -> Reply {
    let token = client.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    client
        .post_json_with(&uri(path), body, &[("x-csrf-token", &token)])
        .await
}

fn numbers(reply: &Reply) -> Vec<String> {
    reply.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["suggestion_no"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn staff_read_their_scope_and_a_judge_the_suggestions_of_their_cases() {
    let world = seeded().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let list = clerk
        .get("/api/v1/suggestions/items?as_of=2023-12-31")
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_eq!(numbers(&list), [NO]);
    // §3.3: served 2023-11-30, two months: 2024-01-30.
    let shown = clerk
        .get(&uri(&format!(
            "/api/v1/suggestions/items/{NO}?as_of=2023-12-31"
        )))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json()["deadlines"][0]["deadline"], "2024-01-30");
    assert_eq!(shown.json()["state"], "issued");
    // Another court's and an unknown one: 404 alike, also in another bracket style.
    for no in ["历下法建〔2023〕1号", "镜法建〔2023〕9号"] {
        let reply = clerk
            .get(&uri(&format!("/api/v1/suggestions/items/{no}")))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{no}");
    }
    assert_eq!(
        clerk
            .get(&uri("/api/v1/suggestions/items/镜法建(2023)1号"))
            .await
            .status,
        StatusCode::OK
    );
    // 张明's case is named: the judge reads it; overdue on 2024-02-01.
    let mut judge = Client::signed_in(&world.app, "judge").await;
    assert_eq!(
        numbers(
            &judge
                .get("/api/v1/suggestions/items?as_of=2023-12-31")
                .await
        ),
        [NO]
    );
    let due = judge
        .get("/api/v1/suggestions/due?as_of=2024-02-01&status=overdue")
        .await;
    assert_eq!(due.json()["rows"][0]["id"], NO);
    let mut admin = Client::signed_in(&world.app, "admin").await;
    assert_eq!(
        numbers(
            &admin
                .get("/api/v1/suggestions/items?as_of=2023-12-31")
                .await
        ),
        ["历下法建〔2023〕1号", NO]
    );
    // The indicators by month carry the month's topic when 一月一题 is kept.
    let by_month = admin
        .get("/api/v1/suggestions/indicators?period=2023&by=month&as_of=2024-03-31")
        .await;
    assert_eq!(by_month.status, StatusCode::OK);
    let rows = by_month.json()["rows"].as_array().unwrap().clone();
    let november = rows.iter().find(|r| r["key"] == "2023-11").unwrap();
    assert_eq!(november["indicators"]["issued"], 1);
    // The pages: the list, the suggestion with its letter, the indicators.
    let page = clerk.get(&uri(&format!("/suggestions/{NO}"))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(
        text.contains("芜湖市镜湖区住房和城乡建设局："),
        "the letter"
    );
    assert!(text.contains("2024-01-30"));
    assert!(!text.contains("act-form"), "the clerk has no action");
    assert!(
        clerk
            .get("/suggestions?as_of=2023-12-31")
            .await
            .text()
            .contains(NO)
    );
    let panel = clerk.get("/suggestions/indicators?period=2023").await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.text());
}

#[tokio::test]
async fn a_draft_goes_to_its_reply_and_prints() {
    let world = seeded().await;
    let mut officer = Client::signed_in(&world.app, "yanjiushi").await;
    let mut leader = Client::signed_in(&world.app, "yuanzhang").await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let draft = json!({
        "title": "芜湖市镜湖区人民法院关于规范校外培训的司法建议书",
        "recipient": "芜湖市镜湖区教育局", "recipient_type": "行政机关", "topic": "未成年人保护",
        "drafted_date": "2024-01-05", "findings": "部分校外培训机构从业人员入职查询制度落实不到位。",
        "proposals": "督促落实入职查询制度\n加强日常巡查", "cc": "芜湖市镜湖区人民政府",
    });
    // Without the duty: 403; a topic outside the list: 422 naming the field.
    assert_eq!(
        post(&mut clerk, "/api/v1/suggestions/items", draft.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut bad = draft.clone();
    bad["topic"] = json!("天气");
    let reply = post(&mut officer, "/api/v1/suggestions/items", bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["field"], "topic");
    // No number: the court's next one.
    let reply = post(&mut officer, "/api/v1/suggestions/items", draft).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let no = reply.json()["suggestion_no"].as_str().unwrap().to_owned();
    assert_eq!(no, "镜法建〔2024〕1号");
    let act = format!("/api/v1/suggestions/items/{no}/actions");
    assert_eq!(
        post(
            &mut officer,
            &act,
            json!({"action": "approve", "date": "2024-01-10"})
        )
        .await
        .status,
        StatusCode::OK
    );
    // Signing is the president's (a leader's): 403 for the officer.
    assert_eq!(
        post(
            &mut officer,
            &act,
            json!({"action": "sign", "date": "2024-01-11"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The text may still change before signing.
    let edited = post(
        &mut officer,
        &act,
        json!({"action": "edit", "background": "未成年人保护工作关系千家万户。"}),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    assert_eq!(
        edited.json()["background"],
        "未成年人保护工作关系千家万户。"
    );
    assert_eq!(
        post(
            &mut leader,
            &act,
            json!({"action": "sign", "date": "2024-01-11"})
        )
        .await
        .status,
        StatusCode::OK
    );
    let refused = post(
        &mut officer,
        &act,
        json!({"action": "edit", "findings": "x"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    for body in [
        json!({"action": "issue", "date": "2024-01-15", "reply_months": 2}),
        json!({"action": "serve", "date": "2024-01-17"}),
        json!({"action": "reply", "date": "2024-03-01", "adoption": "部分采纳"}),
    ] {
        let reply = post(&mut officer, &act, body.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}: {}", reply.text());
    }
    let shown = officer
        .get(&uri(&format!("/api/v1/suggestions/items/{no}")))
        .await
        .json();
    assert_eq!(shown["state"], "replied");
    assert_eq!(shown["deadlines"][0]["deadline"], "2024-03-18");
    assert_eq!(shown["deadlines"][0]["status"], "on_time");
    let actions: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create", "approve", "edit", "sign", "issue", "serve", "reply"
        ]
    );
    // The letter, as DOCX and PDF.
    let docx = clerk
        .get(&uri(&format!(
            "/api/v1/suggestions/items/{no}/letter?format=docx"
        )))
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.body.starts_with(b"PK"));
    assert!(
        docx.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.body.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    for part in [
        "镜法建〔2024〕1号",
        "芜湖市镜湖区教育局：",
        "未成年人保护工作关系千家万户。",
        "一、督促落实入职查询制度。",
        "2024年1月11日",
        "抄送：芜湖市镜湖区人民政府。",
    ] {
        assert!(xml.contains(part), "{part}");
    }
    if tianping_report::PDF_BUILT {
        let pdf = clerk
            .get(&uri(&format!(
                "/api/v1/suggestions/items/{no}/letter?format=pdf"
            )))
            .await;
        if pdf.text().contains("no font with Chinese characters") {
            // The PDF needs a CJK font; CI installs one (fonts-noto-cjk).
            assert!(std::env::var_os("CI").is_none(), "{}", pdf.text());
        } else {
            assert_eq!(pdf.status, StatusCode::OK);
            assert!(pdf.body.starts_with(b"%PDF"));
        }
    }
}
