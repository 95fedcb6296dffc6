//! The rejects file, and writing records back out.

mod common;

use common::{d, errors, parse};
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{
    CaseRecord, ClosingMode, CourtLevel, CourtRecord, EventKind, EventRecord, Money, Procedure,
    TypeCode,
};
use tianping_exchange::{
    Kind, Layout, RowError, read_bytes, write_cases_csv, write_courts_csv, write_events_csv,
    write_rejects,
};

#[test]
fn the_rejects_file_holds_the_bad_rows_with_their_reasons() {
    let text = "案号,立案日期,结案日期,结案方式, 备注 \n\
                （2023）鲁0102民初1号,2023-03-01,,,ok\n\
                （2023）鲁0102民初2号,2023-02-30,2023-01-01,,\"有,逗号\"\n\
                \n\
                （2023）鲁0102民初3号,2023-03-01,,\n\
                （2023）鲁0102民初4号,2023-03-01,2023-04-01,改判,x,extra\n";
    let parsed = parse("cases.csv", text, None);
    assert_eq!(
        errors(&parsed),
        [
            "cases.csv:3:立案日期: 日期“2023-02-30”不存在",
            "cases.csv:3:结案方式: 有结案日期，但没有填写结案方式",
        ]
    );
    // Problems found by the caller, e.g. against the database.
    let extra = [
        RowError {
            file: "cases.csv".into(),
            row: 6,
            column: Some("案号".into()),
            message: "案号重复：（2023）鲁0102民初4号 也在 other.csv 第 9 行出现".into(),
        },
        RowError {
            file: "cases.csv".into(),
            row: 3,
            column: None,
            message: "法院 鲁0102 不在法院表中".into(),
        },
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.rejects.csv");
    assert_eq!(write_rejects(&path, &parsed, &extra).unwrap(), 2);
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        "\u{feff}案号,立案日期,结案日期,结案方式, 备注 ,reject_reason\n\
         （2023）鲁0102民初2号,2023-02-30,2023-01-01,,\"有,逗号\",\
         立案日期: 日期“2023-02-30”不存在; \
         结案方式: 有结案日期，但没有填写结案方式; \
         法院 鲁0102 不在法院表中\n\
         （2023）鲁0102民初4号,2023-03-01,2023-04-01,改判,x,\
         案号: 案号重复：（2023）鲁0102民初4号 也在 other.csv 第 9 行出现\n"
    );
    // Row 5 is short of cells: raw_row gives what the file has.
    assert_eq!(
        parsed.raw_row(5).unwrap(),
        ["（2023）鲁0102民初3号", "2023-03-01", "", ""]
    );
    assert_eq!(parsed.raw_row(1), None);
    assert_eq!(parsed.raw_row(4), None);
    assert_eq!(parsed.raw_row(7), None);
}

#[test]
fn a_rejects_file_of_a_clean_file_has_only_the_header() {
    let parsed = parse(
        "ok.csv",
        "case_number,filed_date\n（2023）鲁0102民初1号,2023-03-01\n",
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.rejects.csv");
    assert_eq!(write_rejects(&path, &parsed, &[]).unwrap(), 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "\u{feff}case_number,filed_date,reject_reason\n"
    );
}

fn sample_cases() -> Vec<CaseRecord> {
    let base = CaseRecord {
        case_number: "（2023）鲁0102民初1号".into(),
        court_code: "鲁0102".into(),
        type_code: TypeCode::lookup("民初"),
        type_name: None,
        procedure: None,
        cause: None,
        received_date: None,
        filed_date: d("2023-03-01"),
        division: None,
        judge: None,
        closed_date: None,
        closing_mode: None,
        disposal: None,
        claim_amount: None,
        recovered_amount: None,
        origin_case_number: None,
        foreign_related: false,
        longer_limit: false,
        appeal_object: AppealObject::Judgment,
    };
    vec![
        base.clone(),
        CaseRecord {
            case_number: "（2023）鲁0102执12号".into(),
            type_code: TypeCode::lookup("执"),
            cause: Some("借款合同纠纷, \"民间\"".into()),
            received_date: Some(d("2023-02-27")),
            division: Some("执行局".into()),
            judge: Some("王五".into()),
            closed_date: Some(d("2023-08-31")),
            closing_mode: Some(ClosingMode::TerminationOfThisRound),
            claim_amount: Some(Money(123_456_789)),
            recovered_amount: Some(Money(5)),
            origin_case_number: Some("（2022）鲁0102民初88号之一".into()),
            ..base.clone()
        },
        CaseRecord {
            case_number: "（2023）鲁01民终7号".into(),
            court_code: "鲁01".into(),
            type_code: TypeCode::lookup("民终"),
            closed_date: Some(d("2023-05-01")),
            closing_mode: Some(ClosingMode::Upheld),
            foreign_related: true,
            appeal_object: AppealObject::Ruling,
            ..base.clone()
        },
        CaseRecord {
            case_number: "（2023）鲁0102刑初3号".into(),
            type_code: TypeCode::lookup("刑初"),
            procedure: Some(Procedure::FastTrack),
            longer_limit: true,
            ..base
        },
    ]
}

#[test]
fn cases_round_trip_through_the_exchange_format() {
    let cases = sample_cases();
    let mut bytes = Vec::new();
    assert_eq!(write_cases_csv(&mut bytes, &cases).unwrap(), 4);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("case_number,procedure,cause,received_date,filed_date,"));
    assert!(text.contains(",1234567.89,0.05,"));
    let parsed = read_bytes("round.csv", &bytes, None, Layout::Tianping).unwrap();
    assert_eq!(parsed.kind, Kind::Cases);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    let back: Vec<CaseRecord> = parsed.cases.into_iter().map(|(_, c)| c).collect();
    assert_eq!(back, cases);
    // Owned records are accepted too.
    let mut again = Vec::new();
    write_cases_csv(&mut again, cases).unwrap();
    assert_eq!(again, bytes);
}

#[test]
fn events_and_courts_round_trip() {
    let n = "（2023）鲁0102民初1号".to_owned();
    let events = vec![
        EventRecord {
            case_number: n.clone(),
            kind: EventKind::Extension,
            date: d("2023-08-20"),
            end_date: None,
            months: Some(3),
            days: Some(10),
            reason: None,
        },
        EventRecord {
            case_number: n.clone(),
            kind: EventKind::Deduction,
            date: d("2023-04-01"),
            end_date: Some(d("2023-04-30")),
            months: None,
            days: None,
            reason: Some("公告".into()),
        },
        EventRecord {
            case_number: n,
            kind: EventKind::ProcedureChange,
            date: d("2023-03-20"),
            end_date: None,
            months: None,
            days: None,
            reason: Some("普通程序".into()),
        },
    ];
    let mut bytes = Vec::new();
    write_events_csv(&mut bytes, &events).unwrap();
    let parsed = read_bytes("e.csv", &bytes, None, Layout::Tianping).unwrap();
    assert_eq!(parsed.kind, Kind::Events);
    assert_eq!(
        parsed
            .events
            .into_iter()
            .map(|(_, e)| e)
            .collect::<Vec<_>>(),
        events
    );

    let courts = vec![
        CourtRecord {
            code: "鲁".into(),
            name: "山东省高级人民法院".into(),
            level: CourtLevel::High,
            parent_code: None,
        },
        CourtRecord {
            code: "鲁01".into(),
            name: "济南市中级人民法院".into(),
            level: CourtLevel::Intermediate,
            parent_code: Some("鲁".into()),
        },
    ];
    let mut bytes = Vec::new();
    write_courts_csv(&mut bytes, courts.iter()).unwrap();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        "code,name,level,parent_code\n鲁,山东省高级人民法院,高级,\n鲁01,济南市中级人民法院,中级,鲁\n"
    );
    let parsed = read_bytes("c.csv", &bytes, None, Layout::Tianping).unwrap();
    assert_eq!(
        parsed
            .courts
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>(),
        courts
    );
}

#[test]
fn a_rejects_file_runs_no_formula_in_a_spreadsheet_and_imports_back_as_written() {
    // A judge cell that a spreadsheet would run, on a row rejected for its date.
    let text = "case_number,filed_date,judge,cause\n\
                （2023）鲁0102民初1号,2023-02-30,=HYPERLINK(\"http://x.example\"),@SUM(A1)\n";
    let parsed = parse("cases.csv", text, None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rejects.csv");
    write_rejects(&path, &parsed, &[]).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("'=HYPERLINK") && written.contains(",'@SUM(A1),"),
        "{written}"
    );
    assert!(!written.contains(",=HYPERLINK") && !written.contains(",@SUM"));
    // The clerk corrects the date and imports the rejects file: the original texts come back.
    let corrected = written.replace("2023-02-30", "2023-02-28");
    let again = read_bytes("rejects.csv", corrected.as_bytes(), None, Layout::Tianping).unwrap();
    assert_eq!(errors(&again), Vec::<String>::new());
    let (_, case) = &again.cases[0];
    assert_eq!(
        case.judge.as_deref(),
        Some("=HYPERLINK(\"http://x.example\")")
    );
    assert_eq!(case.cause.as_deref(), Some("@SUM(A1)"));
}
