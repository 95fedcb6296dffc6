//! The indicator engine on small hand-built fixtures, with the worked examples of the sources.

use std::sync::Arc;

use chrono::NaiveDate;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::{AppealObject, LimitSettings};
use tianping_domain::{
    CaseNumber, CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord, Money,
};
use tianping_metrics::{GroupBy, IndicatorQuery, IndicatorRow, Indicators, Snapshot, compute};

fn d(s: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(s).unwrap()
}

fn case(number: &str, filed: &str, closed: Option<(&str, ClosingMode)>) -> CaseRecord {
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
        division: None,
        judge: None,
        closed_date: closed.map(|(c, _)| d(c)),
        closing_mode: closed.map(|(_, m)| m),
        disposal: None,
        claim_amount: None,
        recovered_amount: None,
        origin_case_number: None,
        foreign_related: false,
        longer_limit: false,
        appeal_object: AppealObject::Judgment,
    }
}

fn courts() -> Vec<CourtRecord> {
    let court = |code: &str, name: &str, level, parent: Option<&str>| CourtRecord {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(Into::into),
    };
    vec![
        court("皖", "安徽省高级人民法院", CourtLevel::High, None),
        court(
            "皖02",
            "芜湖市中级人民法院",
            CourtLevel::Intermediate,
            Some("皖"),
        ),
        court(
            "皖0202",
            "芜湖市镜湖区人民法院",
            CourtLevel::Basic,
            Some("皖02"),
        ),
        court(
            "皖0203",
            "芜湖市弋江区人民法院",
            CourtLevel::Basic,
            Some("皖02"),
        ),
    ]
}

fn snapshot(cases: &[CaseRecord], events: &[EventRecord]) -> Snapshot {
    Snapshot::build(
        &courts(),
        cases,
        events,
        Arc::new(HolidayCalendar::builtin()),
        LimitSettings::default(),
    )
}

fn query(by: GroupBy, scope: Option<&str>) -> IndicatorQuery {
    IndicatorQuery {
        from: d("2023-01-01"),
        to: d("2023-12-31"),
        as_of: d("2023-12-31"),
        scope: scope.map(Into::into),
        by,
    }
}

fn one(snapshot: &Snapshot, scope: Option<&str>) -> Indicators {
    let rows = compute(snapshot, &query(GroupBy::None, scope)).unwrap();
    assert_eq!(rows.len(), 1);
    rows.into_iter().next().unwrap().indicators
}

fn numbered(prefix: &str, n: usize) -> String {
    format!("{prefix}{n}号")
}

#[test]
fn clearance_rate_worked_example_93_of_10_plus_99() {
    // 结案率 = 结案 ÷ (旧存 + 新收) = 93 ÷ (10 + 99) = 85.32%.
    let mut cases = Vec::new();
    for k in 1..=10 {
        // Carried over from 2022; all closed in 2023.
        cases.push(case(
            &numbered("（2022）皖0202民初", k),
            "2022-11-01",
            Some(("2023-02-01", ClosingMode::Judgment)),
        ));
    }
    for k in 1..=99 {
        let closed = (k <= 83).then_some(("2023-10-01", ClosingMode::Mediation));
        cases.push(case(
            &numbered("（2023）皖0202民初", k),
            "2023-03-01",
            closed,
        ));
    }
    let i = one(&snapshot(&cases, &[]), None);
    assert_eq!(
        (i.carried_over, i.filed, i.closed, i.pending_end),
        (10, 99, 93, 16)
    );
    assert_eq!(i.clearance_rate, Some(0.8532));
    assert_eq!(i.closure_ratio, Some(0.9394)); // 93 / 99
    assert_eq!(i.carried_over + i.filed - i.closed, i.pending_end);
}

#[test]
fn acceptance_rate_worked_example_1_minus_4_of_93() {
    // 一审服判息诉率 = 1 − 上诉 ÷ 一审结案 = 1 − 4/93 = 95.70%.
    let mut cases = Vec::new();
    let mut events = Vec::new();
    for k in 1..=93 {
        let number = numbered("（2023）皖0202民初", k);
        cases.push(case(
            &number,
            "2023-02-01",
            Some(("2023-06-01", ClosingMode::Judgment)),
        ));
        if k <= 4 {
            events.push(EventRecord {
                case_number: CaseNumber::parse(&number).unwrap().normalized(),
                kind: EventKind::Appeal,
                date: d("2023-06-10"),
                end_date: None,
                months: None,
                days: None,
                reason: None,
            });
        }
    }
    let i = one(&snapshot(&cases, &events), None);
    assert_eq!((i.first_closed, i.appealed), (Some(93), Some(4)));
    assert_eq!(i.acceptance_rate, Some(0.957));
    assert_eq!(i.appeal_rate, Some(0.043));
}

#[test]
fn termination_rate_worked_example_2672_of_7673() {
    // 首执终本率 = 终本 ÷ 首执结案 = 2,672 ÷ 7,673 = 34.82%.
    let mut cases = Vec::new();
    for k in 1..=7673 {
        let mode = match k {
            1..=2672 => ClosingMode::TerminationOfThisRound,
            2673..=5000 => ClosingMode::EnforcementCompleted,
            5001..=5500 => ClosingMode::EnforcementSettlement,
            _ => ClosingMode::EnforcementTerminated,
        };
        let mut c = case(
            &numbered("（2023）皖0202执", k),
            "2023-01-10",
            Some(("2023-05-10", mode)),
        );
        c.claim_amount = Some(Money(10_000));
        c.recovered_amount = Some(Money(if mode == ClosingMode::EnforcementCompleted {
            10_000
        } else {
            0
        }));
        cases.push(c);
    }
    let i = one(&snapshot(&cases, &[]), None);
    assert_eq!(i.enforcement_closed, Some(7673));
    assert_eq!(i.termination_rate, Some(0.3482));
    assert_eq!(i.completion_rate, Some(0.3034)); // 2,328 / 7,673 = 0.30340
    assert_eq!(i.actual_enforcement_rate, Some(0.3686)); // 2,828 / 7,673 = 0.36856
    assert_eq!(i.recovered_amount, Some(232_800.0)); // 2,328 × 100 yuan
    assert_eq!(i.recovery_rate, Some(0.3034)); // 232,800 / 767,300
}

#[test]
fn rates_with_a_zero_denominator_are_null_not_zero() {
    let cases = vec![case("（2023）皖0202民初1号", "2023-03-01", None)];
    let i = one(&snapshot(&cases, &[]), None);
    assert_eq!(i.filed, 1);
    assert_eq!(i.closed, 0);
    assert_eq!(i.clearance_rate, Some(0.0));
    assert_eq!(i.within_limit_rate, None);
    assert_eq!(i.acceptance_rate, None);
    assert_eq!(i.termination_rate, None);
    assert_eq!(i.avg_duration_days, None);
    assert_eq!(i.median_duration_days, None);
    assert_eq!(i.disposition_time_days, None);
    assert_eq!(i.same_day_registration_rate, None);
    assert_eq!(i.limited_closed, Some(0));
    let empty = one(&snapshot(&[], &[]), None);
    assert_eq!(empty.closure_ratio, None);
}

#[test]
fn a_basic_court_case_appealed_to_and_reversed_by_the_intermediate_court() {
    let first = case(
        "（2023）皖0202民初1号",
        "2023-01-05",
        Some(("2023-04-01", ClosingMode::Judgment)),
    );
    let mut second = case(
        "（2023）皖02民终9号",
        "2023-05-01",
        Some(("2023-07-20", ClosingMode::Amended)),
    );
    second.origin_case_number = Some(first.case_number.clone());
    let other = case(
        "（2023）皖0202民初2号",
        "2023-01-05",
        Some(("2023-04-01", ClosingMode::Judgment)),
    );
    let snap = snapshot(&[first, second, other], &[]);
    let rows = compute(&snap, &query(GroupBy::Court, Some("皖02"))).unwrap();
    let basic = rows.iter().find(|r| r.key == "皖0202").unwrap();
    assert_eq!(basic.indicators.first_closed, Some(2));
    assert_eq!(basic.indicators.appealed, Some(1));
    assert_eq!(basic.indicators.reversed_remanded, Some(1));
    assert_eq!(basic.indicators.reversal_remand_rate, Some(0.5));
    let intermediate = rows.iter().find(|r| r.key == "皖02").unwrap();
    assert_eq!(intermediate.indicators.first_closed, Some(0));
    assert_eq!(intermediate.label, "芜湖市中级人民法院");

    // Known at the as-of date only: on 2023-06-30 the appeal was filed, the reversal not yet.
    let mut q = query(GroupBy::None, Some("皖0202"));
    q.to = d("2023-06-30");
    q.as_of = d("2023-06-30");
    let i = &compute(&snap, &q).unwrap()[0].indicators;
    assert_eq!((i.appealed, i.reversed_remanded), (Some(1), Some(0)));
    q.as_of = d("2023-04-30");
    let i = &compute(&snap, &q).unwrap()[0].indicators;
    assert_eq!(i.appealed, Some(0));
}

#[test]
fn a_second_instance_case_imported_later_updates_the_first_instance_court() {
    let first = case(
        "（2023）皖0202民初1号",
        "2023-01-05",
        Some(("2023-04-01", ClosingMode::Judgment)),
    );
    let mut snap = snapshot(std::slice::from_ref(&first), &[]);
    assert_eq!(one(&snap, None).appealed, Some(0));
    let mut second = case(
        "（2023）皖02民终9号",
        "2023-05-01",
        Some(("2023-07-20", ClosingMode::Remanded)),
    );
    second.origin_case_number = Some(first.case_number.clone());
    snap.apply(&[second], &[]);
    let i = one(&snap, Some("皖0202"));
    assert_eq!((i.appealed, i.reversed_remanded), (Some(1), Some(1)));
}

#[test]
fn overdue_pending_counts_open_deductions_up_to_the_end_of_the_period() {
    // Filed 2023-03-15: deadline 2023-09-15. An open deduction from 2023-09-01 keeps moving it:
    // at 2023-12-31 it has run 122 days -> 2024-01-15, so the case is not overdue.
    let a = case("（2023）皖0202民初1号", "2023-03-15", None);
    let b = case("（2023）皖0202民初2号", "2023-03-15", None);
    let events = vec![EventRecord {
        case_number: a.case_number.clone(),
        kind: EventKind::Deduction,
        date: d("2023-09-01"),
        end_date: None,
        months: None,
        days: None,
        reason: Some("鉴定".into()),
    }];
    let i = one(&snapshot(&[a, b], &events), None);
    assert_eq!(i.pending_end, 2);
    assert_eq!(i.overdue_pending, Some(1));
}

#[test]
fn within_limit_extension_and_durations_of_closed_cases() {
    // 1: closed on time. 2: closed late (deadline 2023-09-15). 3: extended 6 months, closed
    // within the extended limit but after the normal one.
    let c1 = case(
        "（2023）皖0202民初1号",
        "2023-03-15",
        Some(("2023-05-15", ClosingMode::Judgment)),
    );
    let c2 = case(
        "（2023）皖0202民初2号",
        "2023-03-15",
        Some(("2023-10-16", ClosingMode::Judgment)),
    );
    let c3 = case(
        "（2023）皖0202民初3号",
        "2023-03-15",
        Some(("2023-11-15", ClosingMode::Judgment)),
    );
    let ext = EventRecord {
        case_number: c3.case_number.clone(),
        kind: EventKind::Extension,
        date: d("2023-09-01"),
        end_date: None,
        months: Some(6),
        days: None,
        reason: None,
    };
    let i = one(&snapshot(&[c1, c2, c3], &[ext]), None);
    assert_eq!(i.limited_closed, Some(3));
    assert_eq!(i.within_limit_rate, Some(0.6667));
    assert_eq!(i.within_normal_limit_rate, Some(0.3333));
    assert_eq!(i.extension_rate, Some(0.3333));
    // Durations 61, 215, 245 days: mean 173.67, median 215.
    assert_eq!(i.avg_duration_days, Some(173.67));
    assert_eq!(i.median_duration_days, Some(215.0));
}

#[test]
fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
    let c1 = case(
        "（2023）皖0202民初1号",
        "2023-03-01",
        Some(("2023-03-11", ClosingMode::Withdrawal)),
    );
    let c2 = case(
        "（2023）皖0202民初2号",
        "2023-03-01",
        Some(("2023-03-21", ClosingMode::Mediation)),
    );
    let i = one(&snapshot(&[c1, c2], &[]), None);
    assert_eq!(i.median_duration_days, Some(15.0));
    assert_eq!(i.mediation_withdrawal_rate, Some(1.0));
}

#[test]
fn ageing_buckets_and_long_pending_use_month_boundaries() {
    let cases = vec![
        case("（2023）皖0202民初1号", "2023-07-01", None), // +6 months = 2024-01-01: 0-6m
        case("（2023）皖0202民初2号", "2023-06-30", None), // +6 months = 2023-12-30 < 12-31: 6-12m
        case("（2022）皖0202民初1号", "2022-12-31", None), // 12 months exactly: 6-12m
        case("（2022）皖0202民初2号", "2022-06-01", None), // 18-36m? 2022-06-01+18m = 2023-12-01 < 12-31: 18-36m
        case("（2020）皖0202民初1号", "2020-12-30", None), // over 36m
    ];
    let i = one(&snapshot(&cases, &[]), None);
    assert_eq!(
        [
            i.age_0_6m,
            i.age_6_12m,
            i.age_12_18m,
            i.age_18_36m,
            i.age_over_36m
        ],
        [1, 2, 0, 1, 1]
    );
    assert_eq!(
        (i.pending_over_12m, i.pending_over_18m, i.pending_over_36m),
        (2, 2, 1)
    );
    assert_eq!(i.over_12m_ratio, Some(0.4));
}

#[test]
fn registration_rates_and_case_matter_ratio() {
    let mut a = case("（2023）皖0202民初1号", "2023-03-01", None);
    a.received_date = Some(d("2023-03-01"));
    let mut b = case("（2023）皖0202民初2号", "2023-03-10", None);
    b.received_date = Some(d("2023-03-01"));
    let c = case("（2023）皖0202执1号", "2023-03-10", None);
    let e = case("（2023）皖02民终1号", "2023-03-10", None);
    let i = one(&snapshot(&[a, b, c, e], &[]), None);
    assert_eq!(i.same_day_registration_rate, Some(0.5));
    assert_eq!(i.registration_within_7d_rate, Some(0.5));
    // 案 = 2 first-instance; derived = 执 + 民终 = 2: (2 + 2) / 2.
    assert_eq!(i.case_matter_ratio, Some(2.0));
}

#[test]
fn the_flow_identity_holds_for_every_group_of_every_grouping() {
    let mut cases = Vec::new();
    for k in 1..=40 {
        let mut c = case(
            &numbered(
                if k % 3 == 0 {
                    "（2022）皖0203民初"
                } else {
                    "（2022）皖0202执"
                },
                k,
            ),
            if k % 2 == 0 {
                "2022-06-01"
            } else {
                "2022-12-15"
            },
            match k % 4 {
                0 => Some(("2023-03-01", ClosingMode::Judgment)),
                1 => Some(("2022-12-20", ClosingMode::EnforcementCompleted)),
                2 => Some(("2024-02-01", ClosingMode::Withdrawal)),
                _ => None,
            },
        );
        c.judge = (k % 5 != 0).then(|| format!("法官{}", k % 3));
        c.division = Some(if k % 2 == 0 { "民一庭" } else { "执行局" }.into());
        cases.push(c);
    }
    for k in 1..=30 {
        let c = case(
            &numbered("（2023）皖0202民初", k),
            "2023-05-01",
            (k % 2 == 0).then_some(("2023-08-01", ClosingMode::Mediation)),
        );
        cases.push(c);
    }
    let snap = snapshot(&cases, &[]);
    for by in [
        GroupBy::None,
        GroupBy::Court,
        GroupBy::Division,
        GroupBy::Judge,
        GroupBy::Class,
        GroupBy::TypeCode,
    ] {
        let rows: Vec<IndicatorRow> = compute(&snap, &query(by, None)).unwrap();
        assert!(!rows.is_empty());
        let mut keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        let sorted = keys.clone();
        keys.sort();
        assert_eq!(keys, sorted, "rows sorted by key for {by:?}");
        let mut total = 0;
        for row in &rows {
            let i = &row.indicators;
            assert_eq!(
                i.carried_over + i.filed - i.closed,
                i.pending_end,
                "{by:?} {}",
                row.key
            );
            total += i.pending_end;
        }
        assert_eq!(total, one(&snap, None).pending_end);
    }
    let judges = compute(&snap, &query(GroupBy::Judge, None)).unwrap();
    assert!(judges.iter().any(|r| r.key == "皖0202/未填写"));
    assert!(judges.iter().any(|r| r.key == "皖0202/法官1"));
}

#[test]
fn scope_takes_the_court_and_everything_below() {
    let cases = vec![
        case("（2023）皖0202民初1号", "2023-03-01", None),
        case("（2023）皖0203民初1号", "2023-03-01", None),
        case("（2023）皖02民终1号", "2023-03-01", None),
        case("（2023）皖0102民初1号", "2023-03-01", None),
    ];
    let snap = snapshot(&cases, &[]);
    assert_eq!(one(&snap, Some("皖02")).filed, 3);
    assert_eq!(one(&snap, Some("皖0202")).filed, 1);
    assert_eq!(one(&snap, Some("皖")).filed, 4);
    assert_eq!(one(&snap, None).filed, 4);
    let rows = compute(&snap, &query(GroupBy::None, Some("皖02"))).unwrap();
    assert_eq!(
        (rows[0].key.as_str(), rows[0].label.as_str()),
        ("皖02", "芜湖市中级人民法院")
    );
    assert_eq!(
        compute(&snap, &query(GroupBy::None, None)).unwrap()[0].key,
        "all"
    );
    assert!(compute(&snap, &query(GroupBy::None, Some("X9"))).is_err());
}

#[test]
fn cases_without_a_type_code_get_the_international_indicators_only() {
    let mut foreign = case(
        "（2023）皖0202民初1号",
        "2019-03-01",
        Some(("2023-03-01", ClosingMode::Other)),
    );
    foreign.case_number = "HRGR010188122018".into();
    foreign.court_code = "HRGR01".into();
    foreign.type_code = None;
    foreign.type_name = Some("SC-ST".into());
    let snap = snapshot(&[foreign], &[]);
    let i = one(&snap, None);
    assert_eq!(i.closed, 1);
    assert_eq!(i.avg_duration_days, Some(1461.0));
    assert_eq!(i.limited_closed, None);
    assert_eq!(i.within_limit_rate, None);
    assert_eq!(i.first_closed, None);
    assert_eq!(i.recovered_amount, None);
    let by_type = compute(&snap, &query(GroupBy::TypeCode, None)).unwrap();
    assert_eq!(by_type[0].key, "SC-ST");
    let by_class = compute(&snap, &query(GroupBy::Class, None)).unwrap();
    assert_eq!(by_class[0].key, "unclassified");
}

#[test]
fn every_indicator_id_is_present_in_the_json_of_every_row() {
    let snap = snapshot(&[case("（2023）皖0202民初1号", "2023-03-01", None)], &[]);
    let rows = compute(&snap, &query(GroupBy::Court, None)).unwrap();
    let json = serde_json::to_value(&rows[0].indicators).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, tianping_metrics::indicators::INDICATOR_IDS.to_vec());
}

#[test]
fn an_extension_approved_after_the_end_of_the_period_does_not_count_yet() {
    // Filed 2023-03-15: deadline 2023-09-15. An extension approved on 2023-09-25 moves it to
    // 2024-03-15, but at the end of a period ending 2023-09-20 the case was overdue.
    let a = case("（2023）皖0202民初1号", "2023-03-15", None);
    let events = vec![EventRecord {
        case_number: a.case_number.clone(),
        kind: EventKind::Extension,
        date: d("2023-09-25"),
        end_date: None,
        months: Some(6),
        days: None,
        reason: None,
    }];
    let snap = snapshot(&[a], &events);
    let at = |to: &str| {
        let q = IndicatorQuery {
            from: d("2023-01-01"),
            to: d(to),
            as_of: d(to),
            scope: None,
            by: GroupBy::None,
        };
        compute(&snap, &q).unwrap()[0].indicators.overdue_pending
    };
    assert_eq!(at("2023-09-20"), Some(1));
    assert_eq!(at("2023-12-31"), Some(0));
    assert_eq!(at("2024-03-18"), Some(1));
}

#[test]
fn a_court_row_counts_case_matter_ratio_over_its_whole_jurisdiction() {
    // 镜湖区: 2 民初 (案) and 1 执 (derived); 弋江区: 1 民初; 中院: 2 民终 and 1 执 of its own.
    let cases = [
        case("（2023）皖0202民初1号", "2023-03-01", None),
        case("（2023）皖0202民初2号", "2023-03-01", None),
        case("（2023）皖0202执1号", "2023-05-01", None),
        case("（2023）皖0203民初1号", "2023-03-01", None),
        case("（2023）皖02民终1号", "2023-06-01", None),
        case("（2023）皖02民终2号", "2023-06-01", None),
        case("（2023）皖02执1号", "2023-06-01", None),
    ];
    let rows = compute(&snapshot(&cases, &[]), &query(GroupBy::Court, None)).unwrap();
    let ratio = |key: &str| {
        rows.iter()
            .find(|r| r.key == key)
            .unwrap()
            .indicators
            .case_matter_ratio
    };
    // 中院's 辖区: 案 = 3 (the basic courts' 民初), derived = 1 执 + 2 民终 + 1 执 = 4:
    // (3 + 4) / 3 = 2.3333. Its own cases alone have no 案 at all (the old answer: null).
    assert_eq!(ratio("皖02"), Some(2.3333));
    // A basic court has no courts below it: its own cases. 镜湖区 (2 + 1) / 2 = 1.5.
    assert_eq!(ratio("皖0202"), Some(1.5));
    assert_eq!(ratio("皖0203"), Some(1.0));
    // Grouped otherwise, the ratio stays over the group's own cases: the whole scope here.
    assert_eq!(
        one(&snapshot(&cases, &[]), None).case_matter_ratio,
        Some(2.3333)
    );
}

#[test]
fn a_pre_litigation_mediation_is_in_no_indicator_but_keeps_its_deadline() {
    let lawsuit = case("（2023）皖0202民初1号", "2023-03-01", None);
    let mediations = [
        case("（2023）皖0202民诉前调1号", "2023-03-01", None),
        case(
            "（2023）皖0202民诉前调2号",
            "2023-03-01",
            Some(("2023-03-20", ClosingMode::Mediation)),
        ),
    ];
    let with = snapshot(
        &[
            lawsuit.clone(),
            mediations[0].clone(),
            mediations[1].clone(),
        ],
        &[],
    );
    let without = snapshot(std::slice::from_ref(&lawsuit), &[]);
    for by in [
        GroupBy::None,
        GroupBy::Court,
        GroupBy::Class,
        GroupBy::TypeCode,
    ] {
        let a = compute(&with, &query(by, None)).unwrap();
        let b = compute(&without, &query(by, None)).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap(),
            "{by:?}"
        );
    }
    // The pending mediation is still on the deadline list (30 days from 2023-03-01); the one
    // closed on 2023-03-20 is not pending any more.
    let list = tianping_metrics::deadlines::deadline_list(
        &with,
        &tianping_metrics::deadlines::DeadlineQuery::new(
            d("2023-03-25"),
            None,
            tianping_metrics::deadlines::StatusFilter::All,
        ),
    );
    let mut numbers: Vec<&str> = list.iter().map(|r| r.case_number.as_str()).collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        ["（2023）皖0202民初1号", "（2023）皖0202民诉前调1号"]
    );
}
