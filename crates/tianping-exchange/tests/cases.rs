//! Cases files in the Tianping layout: every rule, with the exact message.

mod common;

use common::{case_errors, d, errors, parse};
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{CaseRecord, ClosingMode, Money, Procedure, TypeCode};
use tianping_exchange::Kind;

const FULL_HEADER: &str = "case_number,procedure,cause,received_date,filed_date,division,judge,\
closed_date,closing_mode,claim_amount,recovered_amount,origin_case_number,foreign_related,\
longer_limit,appeal_object";

const H: &str = "case_number,filed_date,closed_date,closing_mode";

#[test]
fn a_complete_row_becomes_a_normalized_record() {
    let text = format!(
        "{FULL_HEADER}\n\
         (2023)鲁0102民初1234号,简易程序, 民间借贷纠纷 ,2023/3/10,2023-03-15,民一庭,张明,\
         2023年5月20日,调解结案,\"1,234.50\",,（2022）鲁0102民初88号之一,否,N,\n"
    );
    let parsed = parse("cases.csv", &text, None);
    assert_eq!(parsed.kind, Kind::Cases);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    assert_eq!(parsed.total_rows, 1);
    assert_eq!(
        parsed.cases,
        vec![(
            2,
            CaseRecord {
                case_number: "（2023）鲁0102民初1234号".into(),
                court_code: "鲁0102".into(),
                type_code: TypeCode::lookup("民初"),
                type_name: None,
                procedure: Some(Procedure::Simple),
                cause: Some("民间借贷纠纷".into()),
                received_date: Some(d("2023-03-10")),
                filed_date: d("2023-03-15"),
                division: Some("民一庭".into()),
                judge: Some("张明".into()),
                closed_date: Some(d("2023-05-20")),
                closing_mode: Some(ClosingMode::Mediation),
                disposal: None,
                claim_amount: Some(Money(123_450)),
                recovered_amount: None,
                origin_case_number: Some("（2022）鲁0102民初88号之一".into()),
                foreign_related: false,
                longer_limit: false,
                appeal_object: AppealObject::Judgment,
            }
        )]
    );
    assert!(parsed.warnings.is_empty());
}

#[test]
fn chinese_headers_and_messages_name_the_column_as_written() {
    let text = "案号,立案日期,结案日期,结案方式,执行到位金额,标的金额\n\
                （2023）鲁0102执88号,2023-01-05,2023-06-30,终本,3000,12.5万元\n\
                （2023）鲁0102执89号,2023-02-30,,,,\n";
    let parsed = parse("执行.csv", text, None);
    assert_eq!(parsed.kind, Kind::Cases);
    assert_eq!(
        errors(&parsed),
        ["执行.csv:3:立案日期: 日期“2023-02-30”不存在"]
    );
    let (_, case) = &parsed.cases[0];
    assert_eq!(case.closing_mode, Some(ClosingMode::TerminationOfThisRound));
    assert_eq!(case.recovered_amount, Some(Money(300_000)));
    assert_eq!(case.claim_amount, Some(Money(12_500_000)));
}

#[test]
fn malformed_and_unknown_case_numbers() {
    assert_eq!(
        case_errors(H, "(2023)鲁0102民初号,2023-03-01,,"),
        ["cases.csv:2:case_number: 案号“(2023)鲁0102民初号”无效：“号”字前缺少序号"]
    );
    assert_eq!(
        case_errors(H, "(2023)鲁0102民x1号,2023-03-01,,"),
        ["cases.csv:2:case_number: 案号“(2023)鲁0102民x1号”无效：类型代字无法识别：“民x”"]
    );
    assert_eq!(
        case_errors(H, "（2023）蒙01民初1号,2023-03-01,,"),
        [
            "cases.csv:2:case_number: 案号“（2023）蒙01民初1号”无效：法院代字有误：\
             案号规定写作“内”，不写“蒙”"
        ]
    );
    assert_eq!(
        case_errors(H, "2023鲁0102民初1号,2023-03-01,,"),
        ["cases.csv:2:case_number: 案号“2023鲁0102民初1号”无效：缺少年份括号"]
    );
    assert_eq!(
        case_errors(H, "（2014）民一终字第174号,2014-03-01,,"),
        [
            "cases.csv:2:case_number: “（2014）民一终字第174号”是 2016 年以前的旧式案号，\
             不含法院代字和类型代字"
        ]
    );
    assert_eq!(
        case_errors(H, ",2023-03-01,,"),
        ["cases.csv:2:case_number: 必填，不能为空"]
    );
}

#[test]
fn dates_that_do_not_exist_or_are_not_dates() {
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,2023-02-29,,"),
        ["cases.csv:2:filed_date: 日期“2023-02-29”不存在"]
    );
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,,,"),
        ["cases.csv:2:filed_date: 必填，不能为空"]
    );
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,2023-03-01,3/15/2023,判决"),
        ["cases.csv:2:closed_date: “3/15/2023”不是日期（应为 2023-03-15 这样的格式）"]
    );
}

#[test]
fn closed_before_filed_and_received_after_filed() {
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,2023-03-01,2023-02-28,判决"),
        ["cases.csv:2:closed_date: 结案日期 2023-02-28 早于立案日期 2023-03-01"]
    );
    assert_eq!(
        case_errors(
            "case_number,received_date,filed_date",
            "（2023）鲁0102民初1号,2023-03-02,2023-03-01"
        ),
        ["cases.csv:2:received_date: 收案日期 2023-03-02 晚于立案日期 2023-03-01"]
    );
    // Closing on the filing day and receiving on it are fine.
    assert!(
        case_errors(
            "case_number,received_date,filed_date,closed_date,closing_mode",
            "（2023）鲁0102民初1号,2023-03-01,2023-03-01,2023-03-01,撤诉"
        )
        .is_empty()
    );
}

#[test]
fn closing_mode_and_closed_date_go_together() {
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,2023-03-01,2023-04-01,"),
        ["cases.csv:2:closing_mode: 有结案日期，但没有填写结案方式"]
    );
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,2023-03-01,,准许撤诉"),
        ["cases.csv:2:closing_mode: 填写了结案方式“撤诉”，但没有结案日期"]
    );
    assert_eq!(
        case_errors(H, "（2023）鲁0102民初1号,2023-03-01,2023-04-01,胜诉"),
        ["cases.csv:2:closing_mode: 结案方式“胜诉”无法识别"]
    );
    // Without a closing_mode column at all, the message names the column by its English name.
    assert_eq!(
        case_errors(
            "case_number,filed_date,closed_date",
            "（2023）鲁0102民初1号,2023-03-01,2023-04-01"
        ),
        ["cases.csv:2:closing_mode: 有结案日期，但没有填写结案方式"]
    );
}

#[test]
fn closing_mode_synonyms_map_to_the_vocabulary() {
    let text = format!(
        "{H}\n\
         （2023）鲁01民终1号,2023-03-01,2023-04-01,维持原判\n\
         （2023）鲁01民终2号,2023-03-01,2023-04-01,撤回上诉\n\
         （2023）鲁0102民初3号,2023-03-01,2023-04-01,撤回起诉\n\
         （2023）鲁0102民初4号,2023-03-01,2023-04-01,调解结案\n\
         （2023）鲁0102执5号,2023-03-01,2023-04-01,终本\n\
         （2023）鲁0102民初6号,2023-03-01,2023-04-01,准许撤诉\n\
         （2023）鲁0102民初7号,2023-03-01,2023-04-01,mediation\n"
    );
    let parsed = parse("cases.csv", &text, None);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    let modes: Vec<ClosingMode> = parsed
        .cases
        .iter()
        .map(|(_, c)| c.closing_mode.unwrap())
        .collect();
    assert_eq!(
        modes,
        [
            ClosingMode::Upheld,
            ClosingMode::Withdrawal,
            ClosingMode::Withdrawal,
            ClosingMode::Mediation,
            ClosingMode::TerminationOfThisRound,
            ClosingMode::Withdrawal,
            ClosingMode::Mediation,
        ]
    );
}

#[test]
fn amounts_must_not_be_negative_and_recovery_is_for_enforcement() {
    let h = "case_number,filed_date,claim_amount,recovered_amount";
    assert_eq!(
        case_errors(h, "（2023）鲁0102执1号,2023-03-01,-100,"),
        ["cases.csv:2:claim_amount: 金额不能为负数：-100.00"]
    );
    assert_eq!(
        case_errors(h, "（2023）鲁0102执1号,2023-03-01,abc,1.234"),
        [
            "cases.csv:2:claim_amount: “abc”不是金额（应为 1234.50、1,234.50 或 12.5万元 这样的写法）",
            "cases.csv:2:recovered_amount: 金额“1.234”的小数位数过多（最多精确到分）",
        ]
    );
    assert_eq!(
        case_errors(h, "（2023）鲁0102民初1号,2023-03-01,5000,2000"),
        ["cases.csv:2:recovered_amount: 非执行案件（类型代字 民初）不应有执行到位金额：2000.00"]
    );
    // Enforcement cases of every kind (执, 执恢, 执保…) may carry a recovery; a zero recovery on
    // another case is no recovery.
    let parsed = parse(
        "cases.csv",
        &format!(
            "{h}\n（2023）鲁0102执恢1号,2023-03-01,5000,2000\n（2023）鲁0102民初2号,2023-03-01,5000,0\n"
        ),
        None,
    );
    assert_eq!(errors(&parsed), Vec::<String>::new());
    assert_eq!(parsed.cases[0].1.recovered_amount, Some(Money(200_000)));
    assert_eq!(parsed.cases[1].1.recovered_amount, None);
}

#[test]
fn procedures_must_fit_the_time_limit_rule_of_the_type_code() {
    let h = "case_number,filed_date,procedure";
    assert_eq!(
        case_errors(h, "（2023）鲁0102民初1号,2023-03-01,速裁程序"),
        [
            "cases.csv:2:procedure: 类型代字为 民初 的案件不适用“速裁程序”（应为 普通程序、\
             简易程序 或 小额诉讼程序）"
        ]
    );
    assert_eq!(
        case_errors(h, "（2023）鲁0102民初1号,2023-03-01,快速程序"),
        [
            "cases.csv:2:procedure: 适用程序“快速程序”无法识别（应为 普通程序、简易程序、\
             小额诉讼程序、速裁程序、特别程序、一审程序 或 二审程序）"
        ]
    );
    let text = format!(
        "{h}\n\
         （2023）鲁0102刑初1号,2023-03-01,速裁\n\
         （2023）鲁0102民初2号,2023-03-01,小额诉讼程序\n\
         （2023）鲁01民再3号,2023-03-01,二审程序\n\
         （2023）最高法刑核12345678号,2023-03-01,普通程序\n\
         （2023）鲁0102民初4号,2023-03-01,\n\
         （2023）鲁01民终5号,2023-03-01,二审程序\n"
    );
    let parsed = parse("cases.csv", &text, None);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    let procedures: Vec<Option<Procedure>> =
        parsed.cases.iter().map(|(_, c)| c.procedure).collect();
    // 刑核 has no time-limit rule: the recorded procedure is kept as it is.
    assert_eq!(
        procedures,
        [
            Some(Procedure::FastTrack),
            Some(Procedure::SmallClaims),
            Some(Procedure::SecondInstance),
            Some(Procedure::Ordinary),
            None,
            // A rule with one fixed limit (民终) keeps what the export says; it changes nothing.
            Some(Procedure::SecondInstance),
        ]
    );
}

#[test]
fn duplicate_case_numbers_report_the_second_row_naming_the_first() {
    let text = format!(
        "{H}\n\
         (2023)鲁0102民初1号,2023-03-01,,\n\
         （2023）鲁0102民初2号,2023-03-01,,\n\
         （2023）鲁0102民初1号,2023-03-02,,\n"
    );
    let parsed = parse("cases.csv", &text, None);
    assert_eq!(
        errors(&parsed),
        ["cases.csv:4:case_number: 案号重复：（2023）鲁0102民初1号 已在第 2 行出现"]
    );
    assert_eq!(
        parsed.cases.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        [2, 3]
    );
}

#[test]
fn origin_case_numbers_are_checked_and_normalized() {
    let h = "case_number,filed_date,origin_case_number";
    assert_eq!(
        case_errors(h, "（2023）鲁01民终1号,2023-03-01,(2022)鲁0102民初"),
        ["cases.csv:2:origin_case_number: 案号“(2022)鲁0102民初”无效：“号”字前缺少序号"]
    );
    let parsed = parse(
        "cases.csv",
        &format!(
            "{h}\n（2023）鲁01民终1号,2023-03-01,(2022)鲁0102民初9号\n\
             （2023）鲁0102执2号,2023-03-01,（2014）民一终字第174号\n"
        ),
        None,
    );
    assert_eq!(errors(&parsed), Vec::<String>::new());
    assert_eq!(
        parsed.cases[0].1.origin_case_number.as_deref(),
        Some("（2022）鲁0102民初9号")
    );
    // A case decided before 2016 may well be the origin of an enforcement case today.
    assert_eq!(
        parsed.cases[1].1.origin_case_number.as_deref(),
        Some("（2014）民一终字第174号")
    );
}

#[test]
fn booleans_and_appeal_objects() {
    let h = "case_number,filed_date,foreign_related,longer_limit,appeal_object";
    let text = format!(
        "{h}\n\
         （2023）鲁01民终1号,2023-03-01,是,Y,裁定\n\
         （2023）鲁01民终2号,2023-03-01,TRUE,1,判决\n\
         （2023）鲁01民终3号,2023-03-01,否,n,\n\
         （2023）鲁01民终4号,2023-03-01,maybe,0,决定\n"
    );
    let parsed = parse("cases.csv", &text, None);
    assert_eq!(
        errors(&parsed),
        [
            "cases.csv:5:foreign_related: “maybe”无法识别为是或否（应填 是 或 否，也可填 1 或 0）",
            "cases.csv:5:appeal_object: 上诉对象“决定”无法识别（应为 判决 或 裁定）",
        ]
    );
    let flags: Vec<(bool, bool, AppealObject)> = parsed
        .cases
        .iter()
        .map(|(_, c)| (c.foreign_related, c.longer_limit, c.appeal_object))
        .collect();
    assert_eq!(
        flags,
        [
            (true, true, AppealObject::Ruling),
            (true, true, AppealObject::Judgment),
            (false, false, AppealObject::Judgment),
        ]
    );
}

#[test]
fn every_error_of_a_row_is_reported_in_column_order() {
    // Columns in an unusual order: the errors follow the file's column order.
    let text = "closing_mode,filed_date,claim_amount,case_number\n\
                ,2023-02-30,-5,（2023）鲁0102民x1号\n";
    let parsed = parse("cases.csv", text, None);
    assert_eq!(
        errors(&parsed),
        [
            "cases.csv:2:filed_date: 日期“2023-02-30”不存在",
            "cases.csv:2:claim_amount: 金额不能为负数：-5.00",
            "cases.csv:2:case_number: 案号“（2023）鲁0102民x1号”无效：类型代字无法识别：“民x”",
        ]
    );
    assert!(parsed.cases.is_empty());
    assert_eq!(parsed.rejected_rows().into_iter().collect::<Vec<_>>(), [2]);
}

#[test]
fn bad_rows_two_and_five_are_both_reported_and_left_out() {
    let text = format!(
        "{H}\n\
         （2023）鲁0102民初1号,2023-13-01,,\n\
         （2023）鲁0102民初2号,2023-03-01,,\n\
         （2023）鲁0102民初3号,2023-03-01,2023-04-01,判决\n\
         （2023）鲁0102民初4号,2023-03-01,2023-01-01,判决\n"
    );
    let parsed = parse("cases.csv", &text, None);
    assert_eq!(
        errors(&parsed),
        [
            "cases.csv:2:filed_date: 日期“2023-13-01”不存在",
            "cases.csv:5:closed_date: 结案日期 2023-01-01 早于立案日期 2023-03-01",
        ]
    );
    assert_eq!(
        parsed.cases.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(parsed.total_rows, 4);
    assert_eq!(
        parsed.rejected_rows().into_iter().collect::<Vec<_>>(),
        [2, 5]
    );
}

#[test]
fn blank_rows_are_skipped_but_keep_their_row_number() {
    let text = "case_number,filed_date\r\n\
                （2023）鲁0102民初1号,2023-03-01\r\n\
                \r\n\
                ,\r\n\
                \"  \",\r\n\
                （2023）鲁0102民初2号,2023-3-32\r\n";
    let parsed = parse("cases.csv", text, None);
    assert_eq!(parsed.total_rows, 2);
    assert_eq!(
        errors(&parsed),
        ["cases.csv:6:filed_date: 日期“2023-3-32”不存在"]
    );
}

#[test]
fn header_names_are_trimmed_and_english_ones_case_insensitive() {
    let text = " Case_Number ,FILED_DATE, 立案日期x ,notes\n（2023）鲁0102民初1号,2023-03-01,a,b\n";
    let parsed = parse("cases.csv", text, None);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    assert_eq!(parsed.cases.len(), 1);
    assert_eq!(
        parsed.warnings,
        [
            "cases.csv: 无法识别的列“立案日期x”，已忽略",
            "cases.csv: 无法识别的列“notes”，已忽略",
        ]
    );
    assert_eq!(parsed.headers[0], " Case_Number ");
}

#[test]
fn cells_are_trimmed_and_quoted_cells_may_hold_commas_and_line_breaks() {
    let text = "case_number,filed_date,cause\n  （2023）鲁0102民初1号 , 2023-03-01 ,\"合同纠纷,\n买卖\"\n\
                （2023）鲁0102民初2号,2023-13-01,\n";
    let parsed = parse("cases.csv", text, None);
    assert_eq!(parsed.cases[0].1.cause.as_deref(), Some("合同纠纷,\n买卖"));
    assert_eq!(parsed.cases[0].1.filed_date, d("2023-03-01"));
    // The quoted line break does not shift the row numbers: a spreadsheet shows one row.
    assert_eq!(
        errors(&parsed),
        ["cases.csv:3:filed_date: 日期“2023-13-01”不存在"]
    );
}

#[test]
fn dates_outside_the_accepted_window_are_refused_in_every_spelling() {
    for (cell, shown) in [
        ("0000-01-01", "0000-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("1949/9/30", "1949-09-30"),
        ("2100年1月1日", "2100-01-01"),
    ] {
        assert_eq!(
            case_errors(H, &format!("（2023）鲁0102民初1号,{cell},,")),
            [format!(
                "cases.csv:2:filed_date: 日期 {shown} 超出可接受的范围（1949-10-01 至 2099-12-31）"
            )],
            "{cell}"
        );
    }
    // The window's ends are inside it.
    assert!(case_errors(H, "（2023）鲁0102民初1号,1949-10-01,2099-12-31,判决").is_empty());
}

#[test]
fn amounts_beyond_one_trillion_yuan_and_over_long_texts_are_refused() {
    assert_eq!(
        case_errors(
            "case_number,filed_date,claim_amount",
            "（2023）鲁0102执1号,2023-03-01,1000000000000.01"
        ),
        [
            "cases.csv:2:claim_amount: 金额 1000000000000.01 超过上限 1000000000000.00 元（一万亿元）"
        ]
    );
    // 100,000,001 万元 is 10,000 yuan over the bound.
    assert_eq!(
        case_errors(
            "case_number,filed_date,claim_amount",
            "（2023）鲁0102执1号,2023-03-01,100000001万元"
        ),
        [
            "cases.csv:2:claim_amount: 金额 1000000010000.00 超过上限 1000000000000.00 元（一万亿元）"
        ]
    );
    assert!(
        case_errors(
            "case_number,filed_date,claim_amount",
            "（2023）鲁0102执1号,2023-03-01,1000000000000"
        )
        .is_empty()
    );
    let judge = "张".repeat(201);
    assert_eq!(
        case_errors(
            "case_number,filed_date,judge",
            &format!("（2023）鲁0102民初1号,2023-03-01,{judge}")
        ),
        ["cases.csv:2:judge: 内容过长：共 201 个字，一格最多 200 个字"]
    );
    // 200 characters of three bytes each are fine.
    assert!(
        case_errors(
            "case_number,filed_date,judge",
            &format!("（2023）鲁0102民初1号,2023-03-01,{}", "张".repeat(200))
        )
        .is_empty()
    );
}
