//! The import page's second mode: skip the bad rows, store the rest, and hand the bad rows back
//! as a rejects file (the rows as they were, with their reasons) to correct and import again.

mod common;

use axum::http::StatusCode;
use common::*;

/// The bytes of a `data:` address (percent-encoded).
fn data_url_bytes(href: &str) -> Vec<u8> {
    let body = href
        .strip_prefix("data:text/csv;charset=utf-8,")
        .expect("a CSV data address");
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&body[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[tokio::test]
async fn skipping_bad_rows_stores_the_good_ones_and_returns_the_bad_ones_to_download() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let token = clerk.csrf("/import").await;
    let (_, cases_before, _) = world.store.counts().await.unwrap();
    let file = "case_number,filed_date,judge\n\
                （2023）皖0202民初60号,2023-08-01,张明\n\
                （2023）皖0202民初61号,2023-13-01,李娜\n\
                （2023）皖0202民初62号,2023-08-02,李娜\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("on_error", None, b"skip"),
                ("files", Some("cases.csv"), file.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = reply.text();
    let (_, cases_after, _) = world.store.counts().await.unwrap();
    assert_eq!(
        cases_after,
        cases_before + 2,
        "the two good rows are stored"
    );
    assert!(html.contains("跳过有问题的行 1 行"), "{html}");
    assert!(html.contains("cases.csv:3:filed_date:"), "{html}");
    // The rejects file: the header, then the bad row as it was, with its reason.
    let at = html
        .find("class=\"rejects\" href=\"")
        .expect("a rejects link")
        + 22;
    // As an attribute the address is HTML-escaped (`/` as `&#x2f;`); the browser unescapes it.
    let href = html[at..at + html[at..].find('"').unwrap()]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    let csv = String::from_utf8(data_url_bytes(&href)).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0].starts_with("case_number,filed_date,judge"),
        "{csv}"
    );
    assert!(
        lines[1].starts_with("（2023）皖0202民初61号,2023-13-01,李娜"),
        "{csv}"
    );
    assert!(html.contains("download=\"cases.退回.csv\""));
    // The cases are on the pages at once.
    let list = clerk.get(&uri("/cases?q=民初62&status=all")).await.text();
    assert!(list.contains("（2023）皖0202民初62号"), "{list}");
    // A row of another court still refuses the whole import, skip or not.
    let other = "case_number,filed_date,judge\n\
                 （2023）皖0202民初63号,2023-08-01,张明\n\
                 （2023）皖0102民初63号,2023-08-01,赵六\n";
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("on_error", None, b"skip"),
                ("files", Some("other.csv"), other.as_bytes()),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert!(reply.text().contains("超出本账号的范围"));
    assert_eq!(world.store.counts().await.unwrap().1, cases_after);
    // An unknown mode is refused in Chinese.
    let reply = clerk
        .post_multipart(
            "/import",
            &[
                ("csrf", None, token.as_bytes()),
                ("on_error", None, b"sometimes"),
                ("files", Some("cases.csv"), file.as_bytes()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("出错处理"));
}

/// Each template downloads as an XLSX workbook that the importer reads back as its kind, the
/// example row without a problem.
#[tokio::test]
async fn the_templates_are_workbooks_the_importer_reads_back_clean() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    for (kind, header) in [
        ("courts", "法院代字"),
        ("cases", "案号"),
        ("events", "事件"),
    ] {
        let reply = admin.get(&format!("/import/template/{kind}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{kind}");
        assert!(
            reply.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("{kind}-template.xlsx"))
        );
        let parsed = tianping_exchange::read_bytes(
            "template.xlsx",
            &reply.body,
            None,
            tianping_exchange::Layout::Tianping,
        )
        .unwrap();
        assert_eq!(parsed.kind.id(), kind);
        assert!(
            parsed.headers.iter().any(|h| h == header),
            "{:?}",
            parsed.headers
        );
        assert!(parsed.errors.is_empty(), "{kind}: {:?}", parsed.errors);
        assert_eq!(parsed.total_rows, 1, "the example row");
    }
    assert_eq!(
        admin.get("/import/template/judges").await.status,
        StatusCode::NOT_FOUND
    );
    // The import page links them.
    assert!(
        admin
            .get("/import")
            .await
            .text()
            .contains("/import/template/cases")
    );
    let mut judge = Client::signed_in(&world.app, "judge").await;
    assert_eq!(
        judge.get("/import/template/cases").await.status,
        StatusCode::FORBIDDEN
    );
}
