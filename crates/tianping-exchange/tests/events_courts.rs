//! Events and courts files.

mod common;

use common::{d, errors, parse};
use tianping_domain::{CourtLevel, CourtRecord, EventKind, EventRecord};
use tianping_exchange::Kind;

const EH: &str = "case_number,event,date,end_date,months,days,reason";

fn event_errors(row: &str) -> Vec<String> {
    errors(&parse("events.csv", &format!("{EH}\n{row}\n"), None))
}

#[test]
fn valid_events_become_records() {
    let text = format!(
        "{EH}\n\
         (2023)鲁0102民初1号,延长审限,2023-08-20,,3,,\n\
         （2023）鲁0102民初1号,扣除审限,2023/4/1,2023/4/30,,,公告\n\
         （2023）鲁0102民初1号,扣除,2023-05-01,,,,鉴定\n\
         （2023）鲁0102民初1号,转换程序,2023-03-20,,,,普通\n\
         （2023）鲁0102民初1号,上诉,2023-09-01,,0,,\n"
    );
    let parsed = parse("events.csv", &text, None);
    assert_eq!(parsed.kind, Kind::Events);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    let n = "（2023）鲁0102民初1号".to_owned();
    let event = |kind, date, end_date: Option<&str>, months, reason: Option<&str>| EventRecord {
        case_number: n.clone(),
        kind,
        date: d(date),
        end_date: end_date.map(d),
        months,
        days: None,
        reason: reason.map(str::to_owned),
    };
    assert_eq!(
        parsed.events,
        vec![
            (
                2,
                event(EventKind::Extension, "2023-08-20", None, Some(3), None)
            ),
            (
                3,
                event(
                    EventKind::Deduction,
                    "2023-04-01",
                    Some("2023-04-30"),
                    None,
                    Some("公告")
                )
            ),
            (
                4,
                event(EventKind::Deduction, "2023-05-01", None, None, Some("鉴定"))
            ),
            // The new procedure is stored by its full name.
            (
                5,
                event(
                    EventKind::ProcedureChange,
                    "2023-03-20",
                    None,
                    None,
                    Some("普通程序")
                )
            ),
            (
                6,
                event(EventKind::Appeal, "2023-09-01", None, Some(0), None)
            ),
        ]
    );
}

#[test]
fn a_deduction_ending_before_it_starts() {
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,扣除审限,2023-04-10,2023-04-01,,,鉴定"),
        ["events.csv:2:end_date: 扣除审限的结束日期 2023-04-01 早于开始日期 2023-04-10"]
    );
}

#[test]
fn an_end_date_only_for_deductions() {
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,2023-05-01,3,,"),
        ["events.csv:2:end_date: 只有“扣除审限”事件才填结束日期，“延长审限”事件不填"]
    );
}

#[test]
fn extension_lengths() {
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,,,"),
        ["events.csv:2:months: 延长审限须填写大于 0 的月数或天数"]
    );
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,0,0,"),
        ["events.csv:2:months: 延长审限须填写大于 0 的月数或天数"]
    );
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,-1,1.5,"),
        [
            "events.csv:2:months: “-1”不是整数（应为 0 或正整数）",
            "events.csv:2:days: “1.5”不是整数（应为 0 或正整数）",
        ]
    );
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,扣除审限,2023-04-10,,3,,公告"),
        ["events.csv:2:months: 只有“延长审限”事件才填月数、天数，“扣除审限”事件不填"]
    );
    assert!(event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,,15,").is_empty());
}

#[test]
fn procedure_changes_name_the_new_procedure() {
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,转换程序,2023-04-10,,,,"),
        ["events.csv:2:reason: “转换程序”事件须在事由中写明转换后的适用程序（如 普通程序）"]
    );
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,转换程序,2023-04-10,,,,因案情复杂"),
        [
            "events.csv:2:reason: 适用程序“因案情复杂”无法识别（应为 普通程序、简易程序、\
             小额诉讼程序、速裁程序、特别程序、一审程序 或 二审程序）"
        ]
    );
}

#[test]
fn unknown_events_missing_dates_and_bad_case_numbers() {
    assert_eq!(
        event_errors("（2023）鲁0102民初,开庭,,,,,"),
        [
            "events.csv:2:case_number: 案号“（2023）鲁0102民初”无效：“号”字前缺少序号",
            "events.csv:2:event: 事件“开庭”无法识别（应为 延长审限、扣除审限、上诉、申请再审 或 \
             转换程序）",
            "events.csv:2:date: 必填，不能为空",
        ]
    );
}

const CH: &str = "code,name,level,parent_code";

#[test]
fn valid_courts_become_records() {
    let text = format!(
        "{CH}\n鲁,山东省高级人民法院,高级,\n鲁01,济南市中级人民法院,中级,鲁\n\
         鲁0102, 济南市历下区人民法院 ,基层,鲁01\n鲁72,青岛海事法院,专门,鲁\n"
    );
    let parsed = parse("courts.csv", &text, None);
    assert_eq!(parsed.kind, Kind::Courts);
    assert_eq!(errors(&parsed), Vec::<String>::new());
    assert_eq!(
        parsed.courts[2],
        (
            4,
            CourtRecord {
                code: "鲁0102".into(),
                name: "济南市历下区人民法院".into(),
                level: CourtLevel::Basic,
                parent_code: Some("鲁01".into()),
            }
        )
    );
    assert_eq!(parsed.courts[0].1.parent_code, None);
    assert_eq!(parsed.courts[3].1.level, CourtLevel::Special);
}

#[test]
fn bad_court_rows() {
    let text = "法院代字,法院名称,层级,上级法院代字\n\
                蒙01,呼和浩特市中级人民法院,中级,内\n\
                鲁012,,省级,X\n\
                鲁01,济南市中级人民法院,中级,鲁01\n\
                鲁01,济南中院,中级,鲁\n";
    let parsed = parse("法院.csv", text, None);
    assert_eq!(
        errors(&parsed),
        [
            "法院.csv:2:法院代字: 法院代字有误：案号规定写作“内”，不写“蒙”",
            "法院.csv:3:法院代字: 法院代字“鲁012”有误：应为省级简称后接 2 位或 4 位数字",
            "法院.csv:3:法院名称: 必填，不能为空",
            "法院.csv:3:层级: 层级“省级”无法识别（应为 高级、中级、基层 或 专门）",
            "法院.csv:3:上级法院代字: 法院代字无法识别：“X”不是省级行政区的简称",
            "法院.csv:4:上级法院代字: 法院 鲁01 不能是自己的上级法院",
            "法院.csv:5:法院代字: 法院代字重复：鲁01 已在第 4 行出现",
        ]
    );
    assert!(parsed.courts.is_empty());
}

#[test]
fn extensions_longer_than_one_approval_may_grant_are_refused() {
    // Issue 14: `days=100000000` and `months=2147483647` once passed the import and then made
    // every command that read the data panic in the date arithmetic.
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,,100000000,"),
        ["events.csv:2:days: 一次延长 100000000 天，超过上限 366 天"]
    );
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,2147483647,,"),
        ["events.csv:2:months: 一次延长 2147483647 个月，超过上限 12 个月"]
    );
    // A number beyond 32 bits is not a count at all.
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,99999999999,,"),
        ["events.csv:2:months: “99999999999”不是整数（应为 0 或正整数）"]
    );
    // The bounds themselves are accepted: two six-month approvals in one row, a year of days.
    assert!(event_errors("（2023）鲁0102民初1号,延长审限,2023-04-10,,12,366,").is_empty());
}

#[test]
fn event_dates_outside_the_accepted_window_are_refused() {
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,扣除审限,2023-04-10,9999-12-31,,,鉴定"),
        ["events.csv:2:end_date: 日期 9999-12-31 超出可接受的范围（1949-10-01 至 2099-12-31）"]
    );
    assert_eq!(
        event_errors("（2023）鲁0102民初1号,扣除审限,0000-01-01,,,,鉴定"),
        ["events.csv:2:date: 日期 0000-01-01 超出可接受的范围（1949-10-01 至 2099-12-31）"]
    );
}

#[test]
fn court_names_longer_than_a_cell_may_hold_are_refused() {
    let name = "法".repeat(201);
    let parsed = parse(
        "courts.csv",
        &format!("code,name,level\n鲁01,{name},中级\n"),
        None,
    );
    assert_eq!(
        errors(&parsed),
        ["courts.csv:2:name: 内容过长：共 201 个字，一格最多 200 个字"]
    );
}
