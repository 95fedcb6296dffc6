//! The rules of the fee-refunds file (`workflows.md` §4.5), one test per rule.

use super::*;

fn cells(pairs: &[(&str, &str)]) -> Vec<String> {
    let columns = tianping_exchange::template_columns(Kind::FeeRefunds);
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

/// A good row changed by `with`: the first-instance case closed 2023-12-01.
fn row<'a>(with: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("refund_id", "TF2023-001"),
        ("case_number", "(2023)皖0202民初5号"),
        ("payer", "张某"),
        ("reason", "胜诉退费"),
        ("amount", "1,250.50"),
        ("document", "判决书"),
        ("effective_date", "2023-12-20"),
    ];
    for (k, v) in with {
        match pairs.iter_mut().find(|(name, _)| name == k) {
            Some(p) => p.1 = v,
            None => pairs.push((k, v)),
        }
    }
    pairs
}

fn known(n: &str) -> Option<CaseFacts> {
    let d = |s| tianping_domain::dates::parse_date(s).ok();
    match n {
        "（2023）皖0202民初5号" => Some(CaseFacts {
            court_code: "皖0202".into(),
            closed_date: d("2023-12-01"),
            second_instance: false,
            simple_procedure: Some(false),
        }),
        "（2023）皖02民终7号" => Some(CaseFacts {
            court_code: "皖02".into(),
            closed_date: d("2023-12-01"),
            second_instance: true,
            simple_procedure: None,
        }),
        "（2023）皖0202民初6号" => Some(CaseFacts {
            court_code: "皖0202".into(),
            closed_date: None,
            second_instance: false,
            simple_procedure: Some(true),
        }),
        _ => None,
    }
}

fn check(rows: &[Vec<(&str, &str)>]) -> CheckedFile {
    let rows: Vec<(usize, Vec<String>)> = rows
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 2, cells(p)))
        .collect();
    let file = TableFile {
        file: "fee_refunds.csv",
        kind: Kind::FeeRefunds,
        rows: &rows,
        refused: &[],
    };
    check_files(&[file], &Known { case: &known }).remove(0)
}

fn problems(with: &[(&str, &str)]) -> Vec<String> {
    check(&[row(with)])
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.column, p.message))
        .collect()
}

#[test]
fn a_good_row_passes_with_the_case_court_and_the_amount_in_fen() {
    let out = check(&[row(&[
        ("refunded_date", "2023-12-28"),
        ("refunded_amount", "500"),
    ])]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let r = &out.refunds[0].1;
    assert_eq!(r.case_number, "（2023）皖0202民初5号");
    assert_eq!(r.court_code, "皖0202");
    assert_eq!(r.amount, Money(125_050));
    assert_eq!(r.refunded_amount, Some(Money(50_000)));
    assert_eq!(r.fee_kind, "案件受理费");
}

#[test]
fn an_unknown_case_is_refused() {
    assert_eq!(
        problems(&[("case_number", "（2023）皖0202民初99号")]),
        [
            "case_number: 案号 （2023）皖0202民初99号：数据库和本次导入中都没有这个案件（退费须对应已有案件）"
        ]
    );
}

#[test]
fn the_document_takes_effect_after_the_case_is_closed() {
    assert_eq!(
        problems(&[("effective_date", "2023-11-30")]),
        ["effective_date: 生效日期 2023-11-30 早于案件结案日期 2023-12-01"]
    );
    assert_eq!(
        problems(&[("case_number", "（2023）皖0202民初6号")]),
        ["effective_date: 案件尚未结案，文书不能在 2023-12-20 生效（生效日期应在结案之后）"]
    );
}

#[test]
fn a_refund_comes_after_the_effective_date_and_never_exceeds_the_amount() {
    assert_eq!(
        problems(&[("refunded_date", "2023-12-19")]),
        ["refunded_date: 退费日期 2023-12-19 早于生效日期 2023-12-20"]
    );
    assert_eq!(
        problems(&[("refunded_date", "2023-12-28"), ("refunded_amount", "1300")]),
        ["refunded_amount: 已退金额 1300.00 元超过应退金额 1250.50 元"]
    );
    assert_eq!(
        problems(&[("refunded_amount", "100")]),
        ["refunded_amount: 填写了已退金额，但没有退费日期"]
    );
}

#[test]
fn the_amount_is_positive() {
    assert_eq!(
        problems(&[("amount", "0")]),
        ["amount: 应退金额应大于 0（“0”）"]
    );
    assert_eq!(problems(&[("amount", "-5")]).len(), 1);
}

#[test]
fn a_waived_refund_has_no_refund_date() {
    assert_eq!(
        problems(&[("waived", "是"), ("refunded_date", "2023-12-28")]),
        ["waived: 免退的退费不能同时有退费日期（免退即不再退还）"]
    );
    assert!(problems(&[("waived", "是")]).is_empty());
}

#[test]
fn a_remand_refund_needs_a_second_instance_case() {
    assert_eq!(
        problems(&[("reason", "发回重审")]),
        ["reason: 退费原因“发回重审”只适用于二审案件（诉讼费用交纳办法第二十七条第一款）"]
    );
    assert!(
        problems(&[
            ("reason", "发回重审"),
            ("case_number", "（2023）皖02民终7号")
        ])
        .is_empty()
    );
}

#[test]
fn a_simple_procedure_halving_on_another_procedure_is_a_warning() {
    let out = check(&[row(&[("reason", "简易程序减半")])]);
    assert!(out.problems.is_empty());
    assert_eq!(out.refunds.len(), 1);
    assert_eq!(out.warnings.len(), 1);
    assert!(out.warnings[0].message.contains("不是简易程序"));
}

#[test]
fn a_reason_outside_the_list_and_a_duplicate_id_are_refused() {
    assert_eq!(problems(&[("reason", "心情不好")]).len(), 1);
    let out = check(&[row(&[]), row(&[])]);
    assert_eq!(
        out.problems
            .iter()
            .map(|p| (p.row, p.message.clone()))
            .collect::<Vec<_>>(),
        [(3, "退费编号重复：TF2023-001 已在第 2 行出现".to_owned())]
    );
}
