//! The rules of the suggestions file (`workflows.md` §3.5), one test per rule.

use super::*;

fn cells(pairs: &[(&str, &str)]) -> Vec<String> {
    let columns = tianping_exchange::template_columns(Kind::Suggestions);
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

/// A good row changed by `with`.
fn row<'a>(with: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("suggestion_no", "镜法建(2023)8号"),
        ("court_code", "皖0202"),
        (
            "title",
            "芜湖市镜湖区人民法院关于加强住宅小区物业管理的司法建议书",
        ),
        ("recipient", "芜湖市镜湖区住房和城乡建设局"),
        ("recipient_type", "行政机关"),
        ("topic", "物业纠纷"),
        ("committee_date", "2023-11-01"),
        ("signed_date", "2023-11-02"),
        ("issued_date", "2023-11-28"),
    ];
    for (k, v) in with {
        match pairs.iter_mut().find(|(name, _)| name == k) {
            Some(p) => p.1 = v,
            None => pairs.push((k, v)),
        }
    }
    pairs
}

fn check(rows: &[Vec<(&str, &str)>]) -> CheckedFile {
    let rows: Vec<(usize, Vec<String>)> = rows
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 2, cells(p)))
        .collect();
    let file = TableFile {
        file: "suggestions.csv",
        kind: Kind::Suggestions,
        rows: &rows,
        refused: &[],
    };
    let known = Known {
        court: &|c| c == "皖0202",
        case: &|n| n == "（2023）皖0202民初5号",
    };
    check_files(&[file], &known, &SuggestionSettings::default()).remove(0)
}

fn problems(with: &[(&str, &str)]) -> Vec<String> {
    check(&[row(with)])
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.column, p.message))
        .collect()
}

#[test]
fn a_good_row_passes_with_its_number_normalized() {
    let out = check(&[row(&[
        ("case_numbers", "(2023)皖0202民初5号；（2023）皖0202民初6号"),
        ("reply_date", "2024-01-10"),
        ("adoption", "采纳"),
        ("served_date", "2023-11-30"),
    ])]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let s = &out.suggestions[0].1;
    assert_eq!(s.suggestion_no, "镜法建〔2023〕8号");
    assert_eq!(
        s.case_numbers,
        ["（2023）皖0202民初5号", "（2023）皖0202民初6号"]
    );
    assert_eq!(s.reply_months, 2);
    // The second case is not known: linked with a warning.
    assert_eq!(out.warnings.len(), 1);
}

#[test]
fn a_malformed_or_duplicate_number_is_refused() {
    assert_eq!(
        problems(&[("suggestion_no", "镜法建2023-8")]),
        [
            "suggestion_no: 建议书编号“镜法建2023-8”格式不对（应为 法建〔2023〕8号 或 地名简称法建〔2023〕8号）"
        ]
    );
    let out = check(&[row(&[]), row(&[("suggestion_no", "镜法建〔2023〕8号")])]);
    assert_eq!(
        out.problems
            .iter()
            .map(|p| (p.row, p.message.clone()))
            .collect::<Vec<_>>(),
        [(
            3,
            "建议书编号重复：镜法建〔2023〕8号 已在第 2 行出现".to_owned()
        )]
    );
}

#[test]
fn issuing_needs_the_committee_and_the_signature_in_order() {
    assert_eq!(
        problems(&[("committee_date", "")]),
        ["committee_date: 已发出的司法建议须填写审委会日期（建议规定第七条第一款）"]
    );
    assert_eq!(
        problems(&[("signed_date", "")]),
        ["signed_date: 已发出的司法建议须填写签发日期（建议规定第七条第二款）"]
    );
    assert_eq!(
        problems(&[("issued_date", "2023-11-01")]),
        ["issued_date: 发出日期 2023-11-01 早于签发日期 2023-11-02"]
    );
    assert_eq!(
        problems(&[("signed_date", "2023-10-30"), ("issued_date", "2023-11-05")]),
        ["signed_date: 签发日期 2023-10-30 早于审委会日期 2023-11-01"]
    );
}

#[test]
fn service_and_reply_come_after_the_issue_and_a_reply_has_its_adoption() {
    assert_eq!(
        problems(&[("served_date", "2023-11-27")]),
        ["served_date: 送达日期 2023-11-27 早于发出日期 2023-11-28"]
    );
    assert_eq!(
        problems(&[("reply_date", "2023-11-20"), ("adoption", "采纳")]),
        ["reply_date: 答复日期 2023-11-20 早于发出日期 2023-11-28"]
    );
    assert_eq!(
        problems(&[("adoption", "采纳")]),
        ["adoption: 填写了采纳情况，但没有答复日期"]
    );
    assert_eq!(
        problems(&[("reply_date", "2024-01-10")]),
        ["reply_date: 填写了答复日期，但没有采纳情况"]
    );
}

#[test]
fn reply_months_topics_and_monthly_topics_are_checked() {
    assert_eq!(
        problems(&[("reply_months", "0")]),
        ["reply_months: 答复期限（月）应至少为 1"]
    );
    let out = check(&[row(&[("reply_months", "3")])]);
    assert!(out.problems.is_empty());
    assert_eq!(
        out.warnings[0].message,
        "答复期限 3 个月超过两个月，但没有填写期限依据（建议规定第八条），请核对；本行已导入"
    );
    assert!(
        check(&[row(&[("reply_months", "3"), ("reply_basis", "某法第十条")])])
            .warnings
            .is_empty()
    );
    let topic = problems(&[("topic", "交通安全")]);
    assert_eq!(topic.len(), 1);
    assert!(
        topic[0].starts_with("topic: 主题“交通安全”无法识别"),
        "{topic:?}"
    );
    assert_eq!(
        problems(&[("monthly_topic", "2023/11")]),
        ["monthly_topic: 一月一题“2023/11”应写为 年-月，如 2023-11"]
    );
    assert!(problems(&[("monthly_topic", "2023-11")]).is_empty());
}
