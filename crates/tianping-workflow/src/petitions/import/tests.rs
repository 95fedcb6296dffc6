//! The rules of the petition files (`workflows.md` §2.6), one test per rule, each asserting the
//! column and the Chinese message court staff read.

use super::*;
use crate::petitions::limits::PetitionSettings;

/// A valid 居民身份证号 (GB 11643 check character).
const ID: &str = "11010519491231002X";

/// A good petition row as (column, text) pairs, changed by `with`.
fn row<'a>(with: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("petition_id", "XF2023-0917"),
        ("court_code", "皖0202"),
        ("received_date", "2023-09-20"),
        ("channel", "来信"),
        ("nature", "申诉求决"),
        ("litigation_related", "是"),
    ];
    for (k, v) in with {
        match pairs.iter_mut().find(|(name, _)| name == k) {
            Some(p) => p.1 = v,
            None => pairs.push((k, v)),
        }
    }
    pairs
}

fn cells(kind: Kind, pairs: &[(&str, &str)]) -> Vec<String> {
    let columns = tianping_exchange::template_columns(kind);
    for (name, _) in pairs {
        assert!(columns.iter().any(|c| c.name == *name), "{kind}: no {name}");
    }
    columns
        .iter()
        .map(|c| {
            pairs
                .iter()
                .find(|(name, _)| *name == c.name)
                .map_or(String::new(), |(_, text)| (*text).to_owned())
        })
        .collect()
}

/// What the database holds: court 皖0202, one case, petition `OLD` (replied 2023-10-10) of
/// level 0 and matter `M1` about that case, opened 2023-09-01.
/// Files as (kind, rows of (column, text) pairs), rows numbered from 2.
type Files<'a> = [(Kind, Vec<Vec<(&'a str, &'a str)>>)];

fn check(files: &Files<'_>) -> Vec<CheckedFile> {
    let rows: Vec<Vec<(usize, Vec<String>)>> = files
        .iter()
        .map(|(kind, rows)| {
            rows.iter()
                .enumerate()
                .map(|(i, pairs)| (i + 2, cells(*kind, pairs)))
                .collect()
        })
        .collect();
    let names: Vec<String> = files.iter().map(|(k, _)| format!("{k}.csv")).collect();
    let tables: Vec<TableFile<'_>> = files
        .iter()
        .zip(&rows)
        .zip(&names)
        .map(|(((kind, _), rows), file)| TableFile {
            file,
            kind: *kind,
            rows,
            refused: &[],
        })
        .collect();
    let d = |s| tianping_domain::dates::parse_date(s).unwrap();
    let mut old = Petition::registered(
        "OLD",
        "皖0202",
        d("2023-09-01"),
        Channel::Letter,
        "申诉求决",
        true,
    );
    old.ack_date = Some(d("2023-09-05"));
    old.ack_decision = Some(AckDecision::Accepted);
    old.reply_date = Some(d("2023-10-10"));
    old.result = Some("解释说明".into());
    old.matter_id = Some("M1".into());
    let court = |c: &str| c == "皖0202";
    let case = |n: &str| n == "（2022）皖0202民初88号";
    let petition = move |id: &str| (id == "OLD").then(|| old.clone());
    let matter = |id: &str| {
        (id == "M1").then(|| Matter {
            case_number: Some("（2022）皖0202民初88号".into()),
            opened_date: Some(d("2023-09-01")),
            ..Matter::new("M1")
        })
    };
    let first = |id: &str| (id == "M1").then(|| d("2023-09-01"));
    let known = Known {
        court: &court,
        case: &case,
        petition: &petition,
        matter: &matter,
        matter_first_petition: &first,
    };
    check_files(
        &tables,
        &known,
        &PetitionSettings::default(),
        &HolidayCalendar::builtin(),
    )
}

/// The problems of one petitions row, as `column: message`.
fn problems(with: &[(&str, &str)]) -> Vec<String> {
    let out = check(&[(Kind::Petitions, vec![row(with)])]);
    out[0]
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.column, p.message))
        .collect()
}

fn warnings(with: &[(&str, &str)]) -> Vec<String> {
    let out = check(&[(Kind::Petitions, vec![row(with)])]);
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    out[0]
        .warnings
        .iter()
        .map(|p| format!("{}: {}", p.column, p.message))
        .collect()
}

#[test]
fn a_complete_row_passes_and_keeps_every_field() {
    let out = check(&[(
        Kind::Petitions,
        vec![row(&[
            ("petitioner_id", "11010519491231002x"),
            ("case_number", "(2022)皖0202民初88号"),
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("extension_days", "30"),
            ("extension_date", "2023-11-20"),
            ("reply_date", "2023-12-20"),
            ("reply_form", "书面"),
            ("result", "解释说明"),
        ])],
    )]);
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    let p = &out[0].petitions[0].1;
    assert_eq!(p.petitioner_id.as_deref(), Some(ID));
    assert_eq!(p.case_number.as_deref(), Some("（2022）皖0202民初88号"));
    assert_eq!(p.extension_days, Some(30));
    assert_eq!(p.persons, 1);
}

#[test]
fn dates_out_of_order_are_refused() {
    assert_eq!(
        problems(&[("ack_date", "2023-09-19"), ("ack_decision", "受理")]),
        ["ack_date: 告知日期 2023-09-19 早于收到日期 2023-09-20"]
    );
    assert_eq!(
        problems(&[("ack_date", "2023-09-28"), ("accepted_date", "2023-09-25")]),
        ["accepted_date: 受理日期 2023-09-25 早于告知日期 2023-09-28"]
    );
    assert_eq!(
        problems(&[
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("reply_date", "2023-09-27"),
            ("result", "支持"),
        ]),
        ["reply_date: 答复日期 2023-09-27 早于受理日期 2023-09-28"]
    );
}

#[test]
fn extensions_are_bounded_need_an_acceptance_and_come_in_time() {
    assert_eq!(
        problems(&[
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("extension_days", "31")
        ]),
        ["extension_days: 延期天数 31 应在 1 至 30 日之间（信访工作条例第三十四条）"]
    );
    assert_eq!(
        problems(&[
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("extension_days", "0")
        ]),
        ["extension_days: 延期天数 0 应在 1 至 30 日之间（信访工作条例第三十四条）"]
    );
    assert_eq!(
        problems(&[("extension_days", "10")]),
        ["extension_days: 没有受理日期的信访件不能延期"]
    );
    assert_eq!(
        problems(&[
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("extension_days", "10"),
            ("extension_date", "2023-11-28"),
        ]),
        [
            "extension_date: 延期日期 2023-11-28 晚于60日办理期限 2023-11-27（延期须在期限届满前批准）"
        ]
    );
}

#[test]
fn a_result_needs_a_reply_and_the_reverse_except_for_refusals() {
    assert_eq!(
        problems(&[("result", "支持")]),
        ["result: 填写了处理结果，但没有答复日期"]
    );
    assert_eq!(
        problems(&[
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("reply_date", "2023-10-20")
        ]),
        ["reply_date: 填写了答复日期，但没有处理结果"]
    );
    // A refusal is its own reply: no reply date needed, its result is the decision.
    let out = check(&[(
        Kind::Petitions,
        vec![row(&[
            ("ack_date", "2023-09-25"),
            ("ack_decision", "不予受理"),
        ])],
    )]);
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    assert_eq!(out[0].petitions[0].1.result.as_deref(), Some("不予受理"));
    assert_eq!(
        problems(&[
            ("ack_date", "2023-09-28"),
            ("ack_decision", "受理"),
            ("reply_date", "2023-10-20"),
            ("result", "不予受理"),
        ]),
        ["result: 告知结果为受理，处理结果不能为不予受理"]
    );
}

#[test]
fn reviews_name_a_known_original_one_level_lower_replied_before() {
    assert_eq!(
        problems(&[("review_level", "1")]),
        ["original_petition_id: 复查、复核件（复查级别 1）须填写原信访编号"]
    );
    assert_eq!(
        problems(&[("review_level", "1"), ("original_petition_id", "NOPE")]),
        ["original_petition_id: 找不到原信访件 NOPE：数据库和本次导入中都没有"]
    );
    assert_eq!(
        problems(&[
            ("review_level", "2"),
            ("original_petition_id", "OLD"),
            ("received_date", "2023-10-20")
        ]),
        ["original_petition_id: 原信访件 OLD 的复查级别为 0，本件为 2，应相差一级"]
    );
    assert_eq!(
        problems(&[
            ("review_level", "1"),
            ("original_petition_id", "OLD"),
            ("received_date", "2023-10-05")
        ]),
        ["original_petition_id: 原信访件 OLD 在本件收到日期 2023-10-05 之前没有答复"]
    );
    // More than 30 days after the reply: imported, with a warning.
    assert_eq!(
        warnings(&[
            ("review_level", "1"),
            ("original_petition_id", "OLD"),
            ("received_date", "2023-12-01")
        ]),
        [
            "received_date: 收到日期 2023-12-01 距原件答复日期 2023-10-10 超过30日（信访工作条例第三十五、三十六条），请核对；本行已导入"
        ]
    );
}

#[test]
fn persons_forwarded_sources_and_anonymous_items() {
    assert_eq!(problems(&[("persons", "0")]), ["persons: 人数至少为 1"]);
    assert_eq!(
        problems(&[("channel", "转办交办")]),
        ["source: 转办交办件须填写来源（交办机关）"]
    );
    assert_eq!(
        warnings(&[("anonymous", "是"), ("petitioner_id", ID)]),
        ["anonymous: 标为匿名，但填写了信访人证件号：按匿名处理，不计告知期限"]
    );
}

#[test]
fn identifiers_with_a_wrong_check_character_are_refused() {
    let out = problems(&[("petitioner_id", "110105194912310021")]);
    assert_eq!(out.len(), 1);
    assert!(out[0].starts_with("petitioner_id: "), "{out:?}");
    assert!(out[0].contains("校验位应为 X"), "{out:?}");
    // A 统一社会信用代码 passes.
    assert!(problems(&[("petitioner_id", "91350100M000100Y43")]).is_empty());
}

#[test]
fn a_petition_and_its_matter_agree_on_the_case_and_the_dates() {
    assert_eq!(
        problems(&[
            ("matter_id", "M1"),
            ("case_number", "（2023）皖0202民初5号")
        ]),
        [
            "matter_id: 信访事项 M1 的案号为 （2022）皖0202民初88号，与本件案号 （2023）皖0202民初5号 不同"
        ]
    );
    assert_eq!(
        problems(&[("matter_id", "M1"), ("received_date", "2023-08-01")]),
        ["matter_id: 信访事项 M1 的立案日期 2023-09-01 晚于本件的收到日期 2023-08-01"]
    );
}

#[test]
fn matters_are_checked_against_their_petitions_and_their_own_dates() {
    let out = check(&[(
        Kind::PetitionMatters,
        vec![
            vec![("matter_id", "M1"), ("opened_date", "2023-09-10")],
            vec![
                ("matter_id", "M2"),
                ("opened_date", "2023-05-01"),
                ("resolved_date", "2023-04-01"),
                ("resolution", "息诉罢访"),
            ],
            vec![("matter_id", "M3"), ("resolution", "握手言和")],
        ],
    )]);
    let found: Vec<String> = out[0]
        .problems
        .iter()
        .map(|p| format!("{}:{}: {}", p.row, p.column, p.message))
        .collect();
    assert_eq!(
        found,
        [
            "2:opened_date: 事项 M1 的立案日期 2023-09-10 晚于其最早信访件的收到日期 2023-09-01",
            "3:resolved_date: 化解日期 2023-04-01 早于立案日期 2023-05-01",
            "4:resolution: 化解方式“握手言和”无法识别（应为 息诉罢访、导入诉讼程序后审结、依法终结、司法救助 或 其他）",
        ]
    );
}

#[test]
fn a_petition_naming_a_matter_of_the_same_import_sees_it() {
    let out = check(&[
        (
            Kind::Petitions,
            vec![row(&[("matter_id", "M9"), ("received_date", "2023-01-05")])],
        ),
        (
            Kind::PetitionMatters,
            vec![vec![("matter_id", "M9"), ("opened_date", "2023-02-01")]],
        ),
    ]);
    assert_eq!(
        out[0]
            .problems
            .iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>(),
        ["信访事项 M9 的立案日期 2023-02-01 晚于本件的收到日期 2023-01-05"]
    );
}

#[test]
fn a_duplicate_id_is_refused_on_its_second_row() {
    let out = check(&[(Kind::Petitions, vec![row(&[]), row(&[])])]);
    assert_eq!(
        out[0]
            .problems
            .iter()
            .map(|p| (p.row, p.message.clone()))
            .collect::<Vec<_>>(),
        [(3, "信访编号重复：XF2023-0917 已在第 2 行出现".to_owned())]
    );
}

#[test]
fn words_outside_their_lists_are_refused() {
    assert_eq!(
        problems(&[("channel", "传真")]),
        ["channel: 信访形式“传真”无法识别（应为 来信、来访、网上信访、来电 或 转办交办）"]
    );
    assert_eq!(
        problems(&[("review_level", "3")]),
        ["review_level: 复查级别“3”无法识别（应为 0 原办、1 复查 或 2 复核）"]
    );
    let nature = problems(&[("nature", "求助")]);
    assert_eq!(nature.len(), 1);
    assert!(
        nature[0].starts_with("nature: 性质“求助”无法识别"),
        "{nature:?}"
    );
}
