//! The rules of the enforcement files (`workflows.md` §5.5), one test per rule.

use super::*;

fn cells(kind: Kind, pairs: &[(&str, &str)]) -> Vec<String> {
    let columns = tianping_exchange::template_columns(kind);
    for (name, _) in pairs {
        assert!(columns.iter().any(|c| c.name == *name), "no column {name}");
    }
    columns
        .iter()
        .map(|c| {
            pairs
                .iter()
                .find(|(name, _)| *name == c.name)
                .map_or(String::new(), |(_, t)| (*t).to_owned())
        })
        .collect()
}

fn d(s: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(s).unwrap()
}

fn known_case(n: &str) -> Option<CaseFacts> {
    match n {
        // Closed by 终本 on 2023-06-30.
        "（2023）皖0202执100号" => Some(CaseFacts {
            court_code: "皖0202".into(),
            filed_date: d("2023-01-10"),
            closed_date: Some(d("2023-06-30")),
            enforcement: true,
            terminated: true,
        }),
        // Closed by 执行完毕.
        "（2023）皖0202执101号" => Some(CaseFacts {
            court_code: "皖0202".into(),
            filed_date: d("2023-01-10"),
            closed_date: Some(d("2023-03-30")),
            enforcement: true,
            terminated: false,
        }),
        "（2023）皖0202民初1号" => Some(CaseFacts {
            court_code: "皖0202".into(),
            filed_date: d("2023-01-10"),
            closed_date: None,
            enforcement: false,
            terminated: false,
        }),
        _ => None,
    }
}

fn check(kind: Kind, rows: &[Vec<(&str, &str)>]) -> CheckedFile {
    let rows: Vec<(usize, Vec<String>)> = rows
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 2, cells(kind, p)))
        .collect();
    let file = TableFile {
        file: "f.csv",
        kind,
        rows: &rows,
        refused: &[],
    };
    let known = Known {
        court: &|c| c == "皖0202",
        case: &known_case,
    };
    check_files(&[file], &known).remove(0)
}

fn problems(kind: Kind, pairs: &[(&str, &str)]) -> Vec<String> {
    check(kind, &[pairs.to_vec()])
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.column, p.message))
        .collect()
}

fn with<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut pairs = base.to_vec();
    for (k, v) in changes {
        match pairs.iter_mut().find(|(name, _)| name == k) {
            Some(p) => p.1 = v,
            None => pairs.push((k, v)),
        }
    }
    pairs
}

const CHECK: [(&str, &str); 6] = [
    ("case_number", "(2023)皖0202执100号"),
    ("notice_date", "2023-01-12"),
    ("report_order_date", "2023-01-12"),
    ("report_verified", "是"),
    ("check_date", "2023-07-10"),
    ("verdict", "合格"),
];

#[test]
fn a_good_checklist_passes() {
    let out = check(Kind::TerminationChecks, &[CHECK.to_vec()]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.checks[0].1.case_number, "（2023）皖0202执100号");
}

#[test]
fn a_check_needs_a_case_closed_by_termination() {
    assert_eq!(
        problems(
            Kind::TerminationChecks,
            &with(&CHECK, &[("case_number", "（2023）皖0202执101号")])
        ),
        [
            "case_number: 案号 （2023）皖0202执101号 未以终结本次执行程序结案，不能记录终本核查或终本后查控"
        ]
    );
    assert_eq!(
        problems(
            Kind::TerminationChecks,
            &with(&CHECK, &[("case_number", "（2023）皖0202民初1号")])
        ),
        ["case_number: 案号 （2023）皖0202民初1号 不是执行案件（应为 执 或 执恢 类案件）"]
    );
}

#[test]
fn a_checklist_date_after_the_closing_is_refused() {
    assert_eq!(
        problems(
            Kind::TerminationChecks,
            &with(&CHECK, &[("notice_date", "2023-07-01")])
        ),
        ["notice_date: 执行通知日期 2023-07-01 晚于终本结案日期 2023-06-30"]
    );
    assert_eq!(
        problems(
            Kind::TerminationChecks,
            &with(&CHECK, &[("check_date", "2023-06-29")])
        ),
        ["check_date: 核查日期 2023-06-29 早于终本结案日期 2023-06-30（核查在结案之后）"]
    );
}

#[test]
fn a_search_before_the_termination_is_refused() {
    let search = [
        ("case_number", "（2023）皖0202执100号"),
        ("date", "2023-06-29"),
        ("found", "否"),
    ];
    assert_eq!(
        problems(Kind::PostTerminationSearches, &search),
        ["date: 查询日期 2023-06-29 早于终本结案日期 2023-06-30"]
    );
    let good = with(&search, &[("date", "2023-12-28")]);
    assert!(problems(Kind::PostTerminationSearches, &good).is_empty());
}

const LISTING: [(&str, &str); 8] = [
    ("listing_id", "SX-1"),
    ("case_number", "（2023）皖0202执100号"),
    ("person_name", "张某"),
    ("person_id", "340202198001011237"),
    ("person_type", "自然人"),
    ("grounds", "1;5"),
    ("decided_date", "2023-03-01"),
    ("term_extension_months", ""),
];

#[test]
fn a_good_listing_passes_with_its_term() {
    let out = check(Kind::DishonestListings, &[LISTING.to_vec()]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let l = &out.listings[0].1;
    assert_eq!(l.grounds, [1, 5]);
    assert_eq!(l.term_months(), Some(24));
}

#[test]
fn grounds_outside_one_to_six_are_refused() {
    assert_eq!(
        problems(
            Kind::DishonestListings,
            &with(&LISTING, &[("grounds", "1;7")])
        ),
        ["grounds: 失信情形“7”应为 1 至 6（失信被执行人名单规定第一条各项）"]
    );
}

#[test]
fn a_minor_can_never_be_listed() {
    assert_eq!(
        problems(Kind::DishonestListings, &with(&LISTING, &[("minor", "是")])),
        ["minor: 不得将未成年人纳入失信被执行人名单（失信规定第四条）"]
    );
}

#[test]
fn a_decision_before_the_filing_is_refused() {
    assert_eq!(
        problems(
            Kind::DishonestListings,
            &with(&LISTING, &[("decided_date", "2023-01-09")])
        ),
        ["decided_date: 决定日期 2023-01-09 早于执行案件立案日期 2023-01-10"]
    );
}

#[test]
fn a_removal_follows_the_decision_and_has_its_reason() {
    assert_eq!(
        problems(
            Kind::DishonestListings,
            &with(
                &LISTING,
                &[
                    ("removal_date", "2023-02-01"),
                    ("removal_reason", "履行完毕")
                ]
            )
        ),
        ["removal_date: 删除日期 2023-02-01 早于决定日期 2023-03-01"]
    );
    assert_eq!(
        problems(
            Kind::DishonestListings,
            &with(&LISTING, &[("removal_date", "2023-05-01")])
        ),
        ["removal_reason: 有删除日期，须填写删除原因"]
    );
    assert_eq!(
        problems(
            Kind::DishonestListings,
            &with(&LISTING, &[("removal_reason", "履行完毕")])
        ),
        ["removal_date: 填写了删除原因，但没有删除日期"]
    );
}

#[test]
fn expiry_needs_a_term_that_has_ended() {
    let only_one = with(
        &LISTING,
        &[
            ("grounds", "1"),
            ("removal_date", "2025-03-05"),
            ("removal_reason", "期限届满"),
        ],
    );
    assert_eq!(
        problems(Kind::DishonestListings, &only_one),
        ["removal_reason: 删除原因“期限届满”，但该名单没有纳入期限（仅有失信情形第一项）"]
    );
    let early = with(
        &LISTING,
        &[
            ("removal_date", "2024-03-01"),
            ("removal_reason", "期限届满"),
        ],
    );
    assert_eq!(
        problems(Kind::DishonestListings, &early),
        ["removal_reason: 删除原因“期限届满”，但删除日期 2024-03-01 早于期限届满日 2025-03-01"]
    );
    let on_time = with(
        &LISTING,
        &[
            ("removal_date", "2025-03-03"),
            ("removal_reason", "期限届满"),
        ],
    );
    assert!(problems(Kind::DishonestListings, &on_time).is_empty());
}

#[test]
fn an_extension_is_twelve_to_thirty_six_months() {
    assert_eq!(
        problems(
            Kind::DishonestListings,
            &with(&LISTING, &[("term_extension_months", "6")])
        ),
        ["term_extension_months: 延长月数“6”应为 12 至 36（失信规定第二条第一款）"]
    );
    assert!(
        problems(
            Kind::DishonestListings,
            &with(&LISTING, &[("term_extension_months", "12")])
        )
        .is_empty()
    );
}

#[test]
fn a_person_id_with_a_wrong_check_character_is_refused() {
    let p = problems(
        Kind::DishonestListings,
        &with(&LISTING, &[("person_id", "340202198001011238")]),
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("person_id: "), "{p:?}");
    // A credit code with a wrong check character too (GB 32100).
    let p = problems(
        Kind::DishonestListings,
        &with(
            &LISTING,
            &[("person_id", "91350100M000100Y4A"), ("person_type", "法人")],
        ),
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        problems(
            Kind::DishonestListings,
            &with(
                &LISTING,
                &[("person_id", "91350100M000100Y43"), ("person_type", "法人")]
            )
        )
        .is_empty()
    );
}

#[test]
fn a_termed_listing_removed_under_article_ten_one_is_a_warning() {
    let out = check(
        Kind::DishonestListings,
        &[with(
            &LISTING,
            &[
                ("removal_date", "2023-09-01"),
                ("removal_reason", "履行完毕"),
            ],
        )],
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.listings.len(), 1);
}

#[test]
fn an_action_needs_its_court() {
    let action = [
        ("action_id", "JZ-1"),
        ("court_code", "皖0202"),
        ("date", "2023-06-01"),
        ("title", "夏季集中执行"),
        ("case_count", "36"),
        ("recovered_amount", "2000万元"),
    ];
    let out = check(Kind::EnforcementActions, &[action.to_vec()]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        out.actions[0].1.recovered_amount,
        tianping_domain::Money(2_000_000_000)
    );
    assert_eq!(
        problems(
            Kind::EnforcementActions,
            &with(&action, &[("court_code", "皖0299")])
        )
        .len(),
        1
    );
}
