//! The office's routine on the pages: any period with 同比 or 环比, the list filters (承办人,
//! 类型代字, 案由, the 临近审限 window), sorting, paging, the Excel export of every list with the
//! page's filters, the ranking of the courts of a level, and a judge's own overview.

mod common;

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use common::*;

/// The first sheet of a workbook: its rows of cells.
fn sheet(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn column(rows: &[Vec<Data>], title: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| *c == Data::String(title.to_owned()))
        .unwrap_or_else(|| panic!("no column {title}: {:?}", rows[0]))
}

/// The text of the card `id` on an overview.
fn card(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("data-id=\"{id}\""))
        .unwrap_or_else(|| panic!("no card {id}"));
    let end = html[start..]
        .find("</div>\n  </div>")
        .map_or(html.len(), |e| start + e);
    html[start..end].to_owned()
}

#[tokio::test]
async fn a_quarter_compared_with_the_quarter_before_shows_its_figures_in_the_words_of_the_reports()
{
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk02").await;
    let reply = clerk
        .get(&uri("/courts/皖02?period=2023Q2&compare=prev"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = reply.text();
    assert!(html.contains("2023年第二季度"), "{html}");
    assert!(html.contains("2023-04-01 至 2023-06-30"), "{html}");
    assert!(
        html.contains("与上期 2023-01-01 至 2023-03-31 相比"),
        "{html}"
    );
    // 皖02 and 皖0202: filed in Q2 one case (民终1号), in Q1 four.
    let filed = card(&html, "filed");
    assert!(filed.contains("data-value>1<"), "{filed}");
    assert!(filed.contains("环比下降75.00%"), "{filed}");
    assert!(filed.contains("上期 4"), "{filed}");
    // The same figures as the API for the same days.
    let api = clerk
        .get(&uri(
            "/api/v1/indicators?from=2023-04-01&to=2023-06-30&scope=皖02",
        ))
        .await
        .json();
    assert_eq!(api["rows"][0]["indicators"]["filed"], 1);
    // The picker keeps the period and the comparison; links down keep them too.
    assert!(
        html.contains("<option value=\"2023Q2\" selected>"),
        "{html}"
    );
    assert!(html.contains("<option value=\"prev\" selected>"), "{html}");
    assert!(
        html.contains("period=2023Q2&amp;compare=prev")
            || html.contains("period=2023Q2&compare=prev")
    );
    // 同比 by default.
    let html = clerk.get(&uri("/courts/皖02?period=2023Q2")).await.text();
    assert!(card(&html, "filed").contains("去年同期"), "{html}");
    // A bad period is refused in Chinese, before any figure.
    for bad in [
        "period=2023Q5",
        "period=2023&from=2023-01-01&to=2023-02-01",
        "from=2023-01-01",
        "compare=mom",
    ] {
        let reply = clerk.get(&uri(&format!("/courts/皖02?{bad}"))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            reply.text().contains("统计期间") || reply.text().contains("compare"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_deadline_list_filters_by_judge_type_code_and_cause_sorts_pages_and_exports_what_it_shows()
 {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let all = clerk.get("/deadlines?as_of=2023-09-20").await.text();
    assert!(all.contains("（2023）皖0202民初2号"), "{all}");
    // 承办人: 张明's cases only, and the select offers the court's judges.
    let html = clerk
        .get(&uri("/deadlines?as_of=2023-09-20&judge=张明"))
        .await
        .text();
    assert!(
        html.contains("data-case=\"（2023）皖0202民初1号\"")
            && html.contains("data-case=\"（2022）皖0202民初9号\"")
    );
    assert!(
        !html.contains("data-case=\"（2023）皖0202民初2号\""),
        "{html}"
    );
    assert!(html.contains("<option value=\"李娜\""), "{html}");
    // 类型代字 and 案由.
    let html = clerk
        .get(&uri("/deadlines?as_of=2023-09-20&type_code=执"))
        .await
        .text();
    assert!(
        !html.contains("data-case=\"（2023）皖0202民初1号\""),
        "{html}"
    );
    let html = clerk
        .get(&uri("/deadlines?as_of=2023-09-20&cause=借贷"))
        .await
        .text();
    assert!(
        html.contains("data-case=\"（2023）皖0202民初1号\""),
        "{html}"
    );
    let html = clerk
        .get(&uri("/deadlines?as_of=2023-09-20&cause=离婚"))
        .await
        .text();
    assert!(html.contains("没有符合条件的案件"), "{html}");
    let reply = clerk.get(&uri("/deadlines?type_code=民民")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("类型代字“民民”不在类型代字表中"));
    // The warning window: on 2023-09-01 民初1号 (due 2023-09-15) is due soon within 15 days,
    // not within 10.
    let due_soon =
        |html: &str| html.contains("class=\"due_soon\" data-case=\"（2023）皖0202民初1号\"");
    assert!(due_soon(
        &clerk.get("/deadlines?as_of=2023-09-01").await.text()
    ));
    assert!(!due_soon(
        &clerk
            .get("/deadlines?as_of=2023-09-01&window=10")
            .await
            .text()
    ));
    assert_eq!(
        clerk.get("/deadlines?window=999").await.status,
        StatusCode::BAD_REQUEST
    );
    // Sorting by case number, descending; paging one row a page.
    let order = |html: &str| -> Vec<String> {
        html.match_indices("data-case=\"")
            .map(|(i, m)| {
                let rest = &html[i + m.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
            .collect()
    };
    let sorted = order(
        &clerk
            .get("/deadlines?as_of=2023-09-20&sort=case_number&dir=desc")
            .await
            .text(),
    );
    let mut expected = sorted.clone();
    expected.sort();
    expected.reverse();
    assert_eq!(sorted, expected);
    assert!(sorted.len() >= 3);
    let mut paged = Vec::new();
    for page in 1..=sorted.len() {
        let html = clerk
            .get(&format!(
                "/deadlines?as_of=2023-09-20&sort=case_number&dir=desc&per_page=1&page={page}"
            ))
            .await
            .text();
        paged.extend(order(&html));
    }
    assert_eq!(paged, sorted);
    assert_eq!(
        clerk.get("/deadlines?sort=colour").await.status,
        StatusCode::BAD_REQUEST
    );
    // The export: the page's filters and order, every row, dates and numbers as cells.
    let reply = clerk
        .get(&uri(
            "/deadlines?as_of=2023-09-20&judge=张明&sort=case_number&dir=desc&format=xlsx",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let rows = sheet(&reply.body);
    let number = column(&rows, "案号");
    let exported: Vec<String> = rows[1..].iter().map(|r| r[number].to_string()).collect();
    assert_eq!(exported, ["（2023）皖0202民初1号", "（2022）皖0202民初9号"]);
    assert_eq!(rows[1][column(&rows, "案由")].to_string(), "民间借贷纠纷");
    assert!(
        matches!(rows[1][column(&rows, "立案日期")], Data::DateTime(_)),
        "{:?}",
        rows[1]
    );
    assert!(matches!(rows[1][column(&rows, "剩余天数")], Data::Float(_)));
}

#[tokio::test]
async fn case_and_long_pending_lists_filter_sort_and_export() {
    let world = world_app().await;
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let html = clerk
        .get(&uri("/cases?status=all&type_code=执"))
        .await
        .text();
    assert!(
        html.contains(">（2023）皖0202执1号<") && !html.contains(">（2023）皖0202民初1号<"),
        "{html}"
    );
    let reply = clerk
        .get(&uri(
            "/cases?status=all&sort=case_number&dir=asc&format=xlsx",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let rows = sheet(&reply.body);
    let numbers: Vec<String> = rows[1..]
        .iter()
        .map(|r| r[column(&rows, "案号")].to_string())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted);
    assert_eq!(numbers.len(), 6, "皖0202's six cases");
    column(&rows, "适用程序");
    // Long pending: the 2022 case, also by 承办人, and its export.
    let html = clerk
        .get(&uri("/long-pending?as_of=2023-09-20&judge=李娜"))
        .await
        .text();
    assert!(!html.contains(">（2022）皖0202民初9号<"), "{html}");
    let reply = clerk
        .get(&uri(
            "/long-pending?as_of=2023-09-20&judge=张明&format=xlsx",
        ))
        .await;
    let rows = sheet(&reply.body);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0].to_string(), "（2022）皖0202民初9号");
    let log = world.store.audit_log(10).await.unwrap();
    assert!(log.iter().any(|e| e.detail.starts_with("导出长期未结案件")));
}

#[tokio::test]
async fn the_ranking_shows_every_court_of_a_level_with_the_figures_of_the_api() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let reply = admin
        .get(&uri(
            "/ranking?court=皖&level=basic&indicator=filed&period=2023",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = reply.text();
    let api = admin
        .get(&uri(
            "/api/v1/indicators?from=2023-01-01&to=2023-12-31&scope=皖&by=court",
        ))
        .await
        .json();
    let filed_of = |code: &str| {
        api["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == code)
            .map(|r| r["indicators"]["filed"].as_u64().unwrap())
            .unwrap()
    };
    // Basic courts only, most cases first (filed: higher is better), with the API's figures.
    let a = html.find("data-court=\"皖0202\"").expect("皖0202");
    let b = html.find("data-court=\"皖0102\"").expect("皖0102");
    assert!(filed_of("皖0202") > filed_of("皖0102") && a < b, "{html}");
    assert!(
        !html.contains("data-court=\"皖02\""),
        "no intermediate court"
    );
    assert!(
        html.contains(&format!(">{}<", filed_of("皖0202"))),
        "{html}"
    );
    // The export has the same rows.
    let rows = sheet(
        &admin
            .get(&uri(
                "/ranking?court=皖&level=basic&indicator=filed&period=2023&format=xlsx",
            ))
            .await
            .body,
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][column(&rows, "法院代码")].to_string(), "皖0202");
    // A clerk of 皖02 sees its own basic court only; a judge is refused.
    let mut clerk = Client::signed_in(&world.app, "clerk02").await;
    let html = clerk.get("/ranking?period=2023").await.text();
    assert!(html.contains("data-court=\"皖0202\"") && !html.contains("data-court=\"皖0102\""));
    let mut judge = Client::signed_in(&world.app, "judge").await;
    assert_eq!(judge.get("/ranking").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.get("/ranking?indicator=speed").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_judges_overview_shows_the_judges_own_cases_and_no_court_tables() {
    let world = world_app().await;
    let mut judge = Client::signed_in(&world.app, "judge").await;
    let html = judge.get("/?as_of=2023-09-20").await.text();
    assert!(html.contains("承办人 张明 本人案件"), "{html}");
    assert!(html.contains("id=\"my-cases\""), "{html}");
    assert!(html.contains("（2023）皖0202民初1号"), "{html}");
    assert!(!html.contains("id=\"divisions\""), "{html}");
    assert!(
        !html.contains("参考 "),
        "no reference intervals for a judge: {html}"
    );
    assert!(!html.contains("id=\"bulletin-form\""));
}
