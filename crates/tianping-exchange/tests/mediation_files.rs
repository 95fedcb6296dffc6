//! The mediation files of `workflows.md` §1.5 read as tables: told apart by their required
//! columns, English or Chinese headers, each valid row's cells kept for the workflow module.

mod common;

use common::{errors, parse};
use tianping_exchange::{Kind, Layout, peek_kind, template_columns};

#[test]
fn the_mediation_kinds_are_detected_by_their_required_columns() {
    for (header, kind) in [
        ("mediation_id,event,date", Kind::MediationEvents),
        ("调解案号,事件,日期,天数", Kind::MediationEvents),
        (
            "mediation_id,court_code,kind,registered_date",
            Kind::Mediations,
        ),
        ("调解案号,法院代字,调解类型,登记日期,案号", Kind::Mediations),
        ("mediator_id,name,court_code", Kind::Mediators),
        ("调解员编号,姓名,邀请法院,所属组织", Kind::Mediators),
        ("org_id,name,kind,court_code", Kind::MediationOrgs),
        ("组织编号,组织名称,组织类型,邀请法院", Kind::MediationOrgs),
        // Courts, cases and events as before.
        ("code,name,level", Kind::Courts),
        ("案号,事件,日期", Kind::Events),
        ("case_number,filed_date", Kind::Cases),
    ] {
        let parsed = parse("x.csv", &format!("{header}\n"), None);
        assert_eq!(parsed.kind, kind, "{header}");
    }
}

#[test]
fn the_kinds_are_named_by_their_file_names_and_in_chinese() {
    for (id, zh, kind) in [
        ("mediation_orgs", "调解组织", Kind::MediationOrgs),
        ("mediators", "调解员", Kind::Mediators),
        ("mediations", "调解案件", Kind::Mediations),
        ("mediation_events", "调解事件", Kind::MediationEvents),
    ] {
        assert_eq!(Kind::parse(id), Some(kind));
        assert_eq!(Kind::parse(zh), Some(kind));
        assert_eq!((kind.id(), kind.name_zh()), (id, zh));
        assert!(kind.is_table());
    }
    assert!(!Kind::Cases.is_table());
}

#[test]
fn each_valid_row_keeps_its_cells_in_the_order_of_the_columns() {
    // Column order is free; a column the file lacks reads as empty; cells are trimmed and a
    // spreadsheet's escape is undone.
    let parsed = parse(
        "orgs.csv",
        "组织类型,组织编号,组织名称,邀请法院,擅长领域\n\
         人民调解, O1 ,人民调解委员会,鲁0102,\"婚姻家庭\n物业\"\n\
         商事调解,O2,,鲁0102,\n\
         其他,O3,'=SUM,鲁0102,\n",
        None,
    );
    assert_eq!(parsed.kind, Kind::MediationOrgs);
    assert_eq!(parsed.total_rows, 3);
    let names: Vec<&str> = template_columns(Kind::MediationOrgs)
        .iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        [
            "org_id",
            "name",
            "kind",
            "court_code",
            "docking",
            "specialities",
            "charges_fee",
            "status",
            "joined_date",
            "left_date"
        ]
    );
    assert_eq!(
        parsed.table,
        vec![
            (
                2,
                vec![
                    "O1",
                    "人民调解委员会",
                    "人民调解",
                    "鲁0102",
                    "",
                    "婚姻家庭\n物业",
                    "",
                    "",
                    "",
                    ""
                ]
                .into_iter()
                .map(str::to_owned)
                .collect()
            ),
            (
                4,
                vec!["O3", "=SUM", "其他", "鲁0102", "", "", "", "", "", ""]
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            ),
        ]
    );
    // A blank required cell rejects its row, named by the header as written (a line break
    // inside a quoted cell does not start a row).
    assert_eq!(errors(&parsed), ["orgs.csv:3:组织名称: 必填，不能为空"]);
    assert_eq!(parsed.column_label("name"), "组织名称");
    // A column the file lacks is named as the file names the others: in Chinese here.
    assert_eq!(parsed.column_label("status"), "状态");
    assert_eq!(parsed.cell(3, "org_id").as_deref(), Some("O2"));
    assert_eq!(parsed.cell(3, "status"), None);
}

#[test]
fn a_missing_required_column_of_a_mediation_file_is_a_file_error() {
    let error = tianping_exchange::read_bytes(
        "m.csv",
        "调解案号,法院代字\n".as_bytes(),
        Some(Kind::Mediations),
        Layout::Tianping,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "m.csv:1: 缺少必需的列：kind（调解类型）、registered_date（登记日期）"
    );
}

#[test]
fn the_kind_of_a_file_is_told_from_its_header_alone() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("events.csv");
    // GB18030, as Chinese Excel saves CSV, and longer than what is peeked.
    let mut text = String::from("\n调解案号,事件,日期,天数\n");
    while text.len() < 200_000 {
        text.push_str("M1,延长,2024-03-01,5\n");
    }
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(&csv, &bytes).unwrap();
    assert_eq!(
        peek_kind(&csv, None, Layout::Tianping),
        Some(Kind::MediationEvents)
    );
    assert_eq!(
        peek_kind(&csv, Some(Kind::Cases), Layout::Tianping),
        Some(Kind::Cases)
    );
    assert_eq!(
        peek_kind(&csv, None, Layout::EcourtsIndia),
        Some(Kind::Cases)
    );

    let xlsx = dir.path().join("mediators.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["调解员编号", "姓名", "邀请法院"].iter().enumerate() {
        sheet.write_string(2, col as u16 + 1, *header).unwrap();
    }
    sheet.write_string(3, 1, "MD1").unwrap();
    workbook.save(&xlsx).unwrap();
    assert_eq!(
        peek_kind(&xlsx, None, Layout::Tianping),
        Some(Kind::Mediators)
    );

    let unknown = dir.path().join("x.csv");
    std::fs::write(&unknown, "a,b\n").unwrap();
    assert_eq!(peek_kind(&unknown, None, Layout::Tianping), None);
    assert_eq!(
        peek_kind(&dir.path().join("none.csv"), None, Layout::Tianping),
        None
    );
}

#[test]
fn every_template_reads_back_as_its_kind_without_problems() {
    for kind in Kind::ALL {
        let columns = template_columns(kind);
        let header: Vec<&str> = columns.iter().map(|c| c.header).collect();
        let example: Vec<String> = columns
            .iter()
            .map(|c| {
                if c.example.contains([',', '\n']) {
                    format!("\"{}\"", c.example)
                } else {
                    c.example.to_owned()
                }
            })
            .collect();
        let parsed = parse(
            "t.csv",
            &format!("{}\n{}\n", header.join(","), example.join(",")),
            None,
        );
        assert_eq!(parsed.kind, kind);
        assert!(parsed.is_clean(), "{kind}: {:?}", errors(&parsed));
    }
}
