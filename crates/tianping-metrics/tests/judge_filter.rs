//! A judge's own view: indicators over the cases whose 承办人 is the judge; and the shared JSON
//! bytes of the CLI and the HTTP API.

use std::sync::Arc;

use chrono::NaiveDate;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::{AppealObject, LimitSettings};
use tianping_domain::{CaseNumber, CaseRecord, ClosingMode, CourtLevel, CourtRecord};
use tianping_metrics::documents::{indicators_document, to_json_bytes};
use tianping_metrics::{
    GroupBy, IndicatorQuery, JudgeFilter, Snapshot, compute, compute_for_judge,
};

fn d(s: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(s).unwrap()
}

fn case(number: &str, judge: Option<&str>, filed: &str, closed: Option<&str>) -> CaseRecord {
    let n = CaseNumber::parse(number).unwrap();
    CaseRecord {
        case_number: n.normalized(),
        court_code: n.court.to_string(),
        type_code: Some(n.type_code),
        type_name: None,
        procedure: None,
        cause: None,
        received_date: None,
        filed_date: d(filed),
        division: Some("民一庭".into()),
        judge: judge.map(Into::into),
        closed_date: closed.map(d),
        closing_mode: closed.map(|_| ClosingMode::Judgment),
        disposal: None,
        claim_amount: None,
        recovered_amount: None,
        origin_case_number: None,
        foreign_related: false,
        longer_limit: false,
        appeal_object: AppealObject::Judgment,
    }
}

fn snapshot() -> Snapshot {
    let courts = vec![CourtRecord {
        code: "皖0202".into(),
        name: "芜湖市镜湖区人民法院".into(),
        level: CourtLevel::Basic,
        parent_code: None,
    }];
    let cases = vec![
        case(
            "（2023）皖0202民初1号",
            Some("张明"),
            "2023-02-01",
            Some("2023-03-01"),
        ),
        case("（2023）皖0202民初2号", Some("张明"), "2023-02-01", None),
        case(
            "（2023）皖0202民初3号",
            Some("李娜"),
            "2023-02-01",
            Some("2023-04-01"),
        ),
        case("（2023）皖0202民初4号", None, "2023-02-01", None),
    ];
    Snapshot::build(
        &courts,
        &cases,
        &[],
        Arc::new(HolidayCalendar::builtin()),
        LimitSettings::default(),
    )
}

fn judge<'a>(court: &'a str, name: &'a str) -> JudgeFilter<'a> {
    JudgeFilter { court, name }
}

fn query() -> IndicatorQuery {
    IndicatorQuery {
        from: d("2023-01-01"),
        to: d("2023-12-31"),
        as_of: d("2023-12-31"),
        scope: Some("皖0202".into()),
        by: GroupBy::None,
    }
}

#[test]
fn a_judge_sees_the_indicators_of_their_own_cases_only() {
    let snapshot = snapshot();
    let rows = compute_for_judge(&snapshot, &query(), Some(judge("皖0202", "张明"))).unwrap();
    assert_eq!(rows.len(), 1);
    // 张明: 民初1号 closed, 民初2号 pending: 2 filed, 1 closed, 1 pending.
    assert_eq!(rows[0].key, "皖0202");
    assert_eq!(rows[0].indicators.filed, 2);
    assert_eq!(rows[0].indicators.closed, 1);
    assert_eq!(rows[0].indicators.pending_end, 1);
    // The whole court: 4 filed, 2 closed.
    let all = compute(&snapshot, &query()).unwrap();
    assert_eq!(all[0].indicators.filed, 4);
    assert_eq!(
        compute_for_judge(&snapshot, &query(), None).unwrap()[0].indicators,
        all[0].indicators
    );
}

#[test]
fn a_judge_name_no_case_carries_gives_the_empty_answer() {
    let snapshot = snapshot();
    let rows = compute_for_judge(&snapshot, &query(), Some(judge("皖0202", "王五"))).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].indicators.filed, 0);
    assert_eq!(rows[0].indicators.closure_ratio, None);
}

#[test]
fn a_judge_of_an_intermediate_court_does_not_count_a_namesakes_cases_in_a_court_below() {
    let courts = vec![
        CourtRecord {
            code: "皖02".into(),
            name: "芜湖市中级人民法院".into(),
            level: CourtLevel::Intermediate,
            parent_code: None,
        },
        CourtRecord {
            code: "皖0202".into(),
            name: "芜湖市镜湖区人民法院".into(),
            level: CourtLevel::Basic,
            parent_code: Some("皖02".into()),
        },
    ];
    let cases = vec![
        case("（2023）皖02民终1号", Some("张明"), "2023-02-01", None),
        // The basic court's 张明 is another person.
        case("（2023）皖0202民初1号", Some("张明"), "2023-02-01", None),
        case("（2023）皖0202民初2号", Some("张明"), "2023-03-01", None),
    ];
    let snapshot = Snapshot::build(
        &courts,
        &cases,
        &[],
        Arc::new(HolidayCalendar::builtin()),
        LimitSettings::default(),
    );
    let query = IndicatorQuery {
        scope: Some("皖02".into()),
        ..query()
    };
    let own = compute_for_judge(&snapshot, &query, Some(judge("皖02", "张明"))).unwrap();
    assert_eq!(own[0].indicators.filed, 1, "the 中院 judge's one appeal");
    let basic = compute_for_judge(
        &snapshot,
        &IndicatorQuery {
            by: GroupBy::Court,
            ..query.clone()
        },
        Some(judge("皖0202", "张明")),
    )
    .unwrap();
    assert_eq!(
        basic
            .iter()
            .map(|r| (r.key.as_str(), r.indicators.filed))
            .collect::<Vec<_>>(),
        vec![("皖0202", 2)],
        "the basic court's 张明 has the two first-instance cases"
    );
}

#[test]
fn documents_print_as_pretty_json_with_a_final_newline() {
    let snapshot = snapshot();
    let rows = compute(&snapshot, &query()).unwrap();
    let value = indicators_document(&query(), &rows);
    let bytes = to_json_bytes(&value);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("{\n  \"from\": \"2023-01-01\",\n"));
    assert!(text.ends_with("}\n"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        value
    );
}
