//! The rules of the mediation files (`workflows.md` §1.5), one test per error, each asserting the
//! Chinese message court staff read.

use std::collections::HashMap;

use super::*;
use crate::mediation::model::{State, state_at};

fn d(text: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(text).unwrap()
}

/// The cells of a row of `kind`, in the order of the kind's columns, from (column, text) pairs.
/// One row as (column, text) pairs.
type Pairs<'a> = Vec<(&'a str, &'a str)>;

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

/// What the database holds in these tests.
struct Db {
    cases: HashMap<String, KnownCase>,
    orgs: HashMap<String, MediationOrg>,
    mediators: HashMap<String, Mediator>,
    mediations: HashMap<String, Mediation>,
    events: Vec<MediationEvent>,
    settings: MediationSettings,
}

fn org(id: &str) -> MediationOrg {
    MediationOrg {
        org_id: id.to_owned(),
        name: format!("{id} 调解委员会"),
        kind: "人民调解".to_owned(),
        court_code: "鲁0102".to_owned(),
        docking: None,
        specialities: vec![],
        charges_fee: false,
        status: "在册".to_owned(),
        joined_date: None,
        left_date: None,
    }
}

fn mediator(id: &str, org: Option<&str>) -> Mediator {
    Mediator {
        mediator_id: id.to_owned(),
        name: "王芳".to_owned(),
        org_id: org.map(str::to_owned),
        court_code: "鲁0102".to_owned(),
        background: None,
        specialities: vec![],
        resident: false,
        online: false,
        certificate_no: None,
        status: "在册".to_owned(),
        joined_date: None,
        left_date: None,
    }
}

fn case(filed: &str, closed: Option<&str>, procedure: Option<Procedure>) -> KnownCase {
    KnownCase {
        court_code: "鲁0102".to_owned(),
        filed_date: d(filed),
        closed_date: closed.map(d),
        procedure,
    }
}

impl Db {
    /// Courts 鲁0102 and 鲁01; organisations O1, O2; mediators MD1 (of O1), MD2 (of O2), MD3
    /// (individual); a few cases; the worked example of §1.3 (委派 accepted 2023-03-15 with an
    /// appraisal 2023-03-20…03-29) stored as `DB-1`.
    fn new() -> Db {
        let mut db = Db {
            cases: HashMap::new(),
            orgs: HashMap::new(),
            mediators: HashMap::new(),
            mediations: HashMap::new(),
            events: Vec::new(),
            settings: MediationSettings::default(),
        };
        for (number, case) in [
            (
                "（2024）鲁0102民初100号",
                case("2024-02-01", None, Some(Procedure::Simple)),
            ),
            (
                "（2024）鲁0102民初200号",
                case("2024-01-10", Some("2024-03-01"), None),
            ),
            ("（2024）鲁0102民初300号", case("2024-03-05", None, None)),
            (
                "（2024）鲁0102诉前调确5号",
                case("2024-04-01", Some("2024-04-02"), None),
            ),
            (
                "（2025）鲁0102民初7号",
                case("2025-02-20", None, Some(Procedure::Ordinary)),
            ),
        ] {
            db.cases.insert(number.to_owned(), case);
        }
        for id in ["O1", "O2"] {
            db.orgs.insert(id.to_owned(), org(id));
        }
        for (id, org) in [("MD1", Some("O1")), ("MD2", Some("O2")), ("MD3", None)] {
            db.mediators.insert(id.to_owned(), mediator(id, org));
        }
        let mut m =
            Mediation::registered("DB-1", "鲁0102", MediationKind::Delegated, d("2023-03-10"));
        m.referred_date = Some(d("2023-03-14"));
        m.accepted_date = Some(d("2023-03-15"));
        db.mediations.insert("DB-1".to_owned(), m);
        db.events.push(MediationEvent {
            mediation_id: "DB-1".to_owned(),
            kind: EventKind::Appraisal,
            date: d("2023-03-20"),
            end_date: Some(d("2023-03-29")),
            days: None,
            mediator_id: None,
            reason: None,
        });
        db
    }

    /// Check files given as (kind, rows of (column, text) pairs), rows numbered from 2.
    fn check(&self, files: &[(Kind, Vec<Pairs<'_>>)]) -> Vec<CheckedFile> {
        let rows: Vec<Vec<(usize, Vec<String>)>> = files
            .iter()
            .map(|(kind, rows)| {
                rows.iter()
                    .enumerate()
                    .map(|(i, pairs)| (i + 2, cells(*kind, pairs)))
                    .collect()
            })
            .collect();
        let names: Vec<String> = files
            .iter()
            .map(|(kind, _)| format!("{kind}.csv"))
            .collect();
        let tables: Vec<TableFile<'_>> = files
            .iter()
            .zip(&rows)
            .zip(&names)
            .map(|(((kind, _), rows), name)| TableFile {
                file: name,
                kind: *kind,
                rows,
                refused: &[],
            })
            .collect();
        let court = |code: &str| ["鲁0102", "鲁01"].contains(&code);
        let case = |n: &str| self.cases.get(n).cloned();
        let org = |id: &str| self.orgs.get(id).cloned();
        let mediator = |id: &str| self.mediators.get(id).cloned();
        let mediation = |id: &str| self.mediations.get(id).cloned();
        let events = |id: &str| {
            self.events
                .iter()
                .filter(|e| e.mediation_id == id)
                .cloned()
                .collect()
        };
        let known = Known {
            court: &court,
            case: &case,
            org: &org,
            mediator: &mediator,
            mediation: &mediation,
            events: &events,
        };
        check_files(&tables, &known, &self.settings, &HolidayCalendar::builtin())
    }

    /// The problems of one mediations row, as `column: message`.
    fn mediation_problems(&self, pairs: &[(&str, &str)]) -> Vec<String> {
        problems(&self.check(&[(Kind::Mediations, vec![pairs.to_vec()])])[0])
    }

    /// The problems of events rows (of mediations stored or given).
    fn event_problems(
        &self,
        mediations: Vec<Vec<(&str, &str)>>,
        events: Vec<Vec<(&str, &str)>>,
    ) -> Vec<String> {
        let checked = self.check(&[
            (Kind::Mediations, mediations),
            (Kind::MediationEvents, events),
        ]);
        assert!(checked[0].problems.is_empty(), "{:?}", checked[0].problems);
        problems(&checked[1])
    }
}

fn problems(checked: &CheckedFile) -> Vec<String> {
    checked
        .problems
        .iter()
        .map(|p| format!("{}:{}: {}", p.row, p.column, p.message))
        .collect()
}

/// A 委派 mediation registered 2024-03-01, referred to MD1 of O1 on 03-01, accepted 03-04.
fn delegated() -> Vec<(&'static str, &'static str)> {
    vec![
        ("mediation_id", "（2024）鲁0102民诉前调1号"),
        ("court_code", "鲁0102"),
        ("kind", "委派"),
        ("registered_date", "2024-03-01"),
        ("referred_date", "2024-03-01"),
        ("org_id", "O1"),
        ("mediator_id", "MD1"),
        ("accepted_date", "2024-03-04"),
    ]
}

/// `base` with some columns replaced or added.
fn with(
    base: Vec<(&'static str, &'static str)>,
    changes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    let mut row: Vec<(&str, &str)> = base
        .into_iter()
        .filter(|(name, _)| !changes.iter().any(|(c, _)| c == name))
        .collect();
    row.extend(changes.iter().copied());
    row
}

#[test]
fn a_good_set_of_the_four_files_gives_records_in_the_order_of_the_import() {
    let db = Db::new();
    // The events file first, the roster last: checked organisations → mediators → mediations →
    // events all the same.
    let checked = db.check(&[
        (
            Kind::MediationEvents,
            vec![vec![
                ("mediation_id", "(2024)鲁0102民诉前调2号"),
                ("event", "延长"),
                ("date", "2024-03-20"),
                ("days", "10"),
            ]],
        ),
        (
            Kind::Mediations,
            vec![vec![
                ("mediation_id", "(2024)鲁0102民诉前调2号"),
                ("court_code", "鲁0102"),
                ("kind", "委派"),
                ("registered_date", "2024/3/1"),
                ("referred_date", "2024年3月1日"),
                ("org_id", "N1"),
                ("mediator_id", "NM1"),
                ("accepted_date", "2024-03-04"),
                ("claim_amount", "1,234.50"),
                ("online", "是"),
                ("outcome", "调解成功"),
                ("concluded_date", "2024-04-10"),
            ]],
        ),
        (
            Kind::Mediators,
            vec![vec![
                ("mediator_id", "NM1"),
                ("name", "李华"),
                ("org_id", "N1"),
                ("court_code", "鲁0102"),
                ("specialities", "婚姻家庭；物业\n医疗"),
                ("resident", "Y"),
            ]],
        ),
        (
            Kind::MediationOrgs,
            vec![vec![
                ("org_id", "N1"),
                ("name", "新调解中心"),
                ("kind", "商事调解"),
                ("court_code", "鲁0102"),
                ("charges_fee", "1"),
            ]],
        ),
    ]);
    for file in &checked {
        assert!(file.problems.is_empty(), "{:?}", file.problems);
    }
    let org = &checked[3].orgs[0].1;
    assert_eq!((org.kind.as_str(), org.charges_fee), ("商事调解", true));
    assert_eq!(org.status, "在册");
    let mediator = &checked[2].mediators[0].1;
    assert_eq!(mediator.specialities, ["婚姻家庭", "物业", "医疗"]);
    assert!(mediator.resident);
    let (row, m) = &checked[1].mediations[0];
    assert_eq!(*row, 2);
    // The id is a case number: stored normalized, and so is the event's.
    assert_eq!(m.mediation_id, "（2024）鲁0102民诉前调2号");
    assert_eq!(m.claim_amount, Some(123_450));
    assert_eq!(m.registered_date, d("2024-03-01"));
    assert_eq!(m.agreement_path, Some(AgreementPath::Undecided));
    assert!(m.wants_suit && m.online);
    let event = &checked[0].events[0].1;
    assert_eq!(event.mediation_id, m.mediation_id);
    assert_eq!(event.days, Some(10));
    assert_eq!(state_at(m, &[], d("2024-12-31")), State::Succeeded);
}

#[test]
fn dates_out_of_order_are_refused_at_the_later_date() {
    let db = Db::new();
    assert_eq!(
        db.mediation_problems(&with(
            delegated(),
            &[
                ("referred_date", "2024-02-28"),
                ("accepted_date", "2024-02-29")
            ]
        )),
        [
            "2:referred_date: 委派日期 2024-02-28 早于登记日期 2024-03-01",
            "2:accepted_date: 接受日期 2024-02-29 早于登记日期 2024-03-01",
        ]
    );
    assert_eq!(
        db.mediation_problems(&with(
            delegated(),
            &[
                ("accepted_date", "2024-03-04"),
                ("outcome", "撤回"),
                ("concluded_date", "2024-03-03")
            ]
        )),
        ["2:concluded_date: 结束日期 2024-03-03 早于接受日期 2024-03-04"]
    );
}

#[test]
fn an_outcome_and_its_date_come_together() {
    let db = Db::new();
    assert_eq!(
        db.mediation_problems(&with(delegated(), &[("outcome", "调解成功")])),
        ["2:concluded_date: 填写了调解结果“调解成功”，但没有结束日期"]
    );
    assert_eq!(
        db.mediation_problems(&with(delegated(), &[("concluded_date", "2024-03-20")])),
        ["2:outcome: 有结束日期，但没有填写调解结果"]
    );
    assert_eq!(
        db.mediation_problems(&with(
            delegated(),
            &[("outcome", "成功了"), ("concluded_date", "2024-03-20")]
        )),
        ["2:outcome: 调解结果“成功了”无法识别（应为 调解成功、撤回、调解不成 或 退回）"]
    );
}

#[test]
fn a_failure_says_why() {
    let db = Db::new();
    let failed = with(
        delegated(),
        &[("outcome", "调解不成"), ("concluded_date", "2024-03-20")],
    );
    assert_eq!(
        db.mediation_problems(&failed),
        ["2:failure_reason: 调解不成须填写调解不成原因"]
    );
    assert_eq!(
        db.mediation_problems(&with(failed.clone(), &[("failure_reason", "吵架")])),
        [
            "2:failure_reason: 调解不成原因“吵架”无法识别（应为 无法联系、明确拒绝、分歧较大、\
             期限届满、拒绝签章、对方拒绝调解 或 其他）"
        ]
    );
    assert!(
        db.mediation_problems(&with(failed, &[("failure_reason", "分歧较大")]))
            .is_empty()
    );
}

#[test]
fn a_returned_mediation_was_never_accepted() {
    let db = Db::new();
    let returned = with(
        delegated(),
        &[
            ("outcome", "退回"),
            ("concluded_date", "2024-03-05"),
            ("failure_reason", "无管辖权"),
        ],
    );
    assert_eq!(
        db.mediation_problems(&returned),
        [
            "2:accepted_date: 退回的调解不应有接受日期：退回在调解组织或调解员接受之前（在线调解规则第九条）"
        ]
    );
    let returned: Vec<_> = returned
        .into_iter()
        .filter(|(name, _)| *name != "accepted_date" && *name != "mediator_id" && *name != "org_id")
        .filter(|(name, _)| *name != "referred_date")
        .collect();
    let checked = db.check(&[(Kind::Mediations, vec![returned])]);
    let m = &checked[0].mediations[0].1;
    assert_eq!(m.failure_reason.as_deref(), Some("无管辖权"));
    assert_eq!(state_at(m, &[], d("2024-03-31")), State::Returned);
}

#[test]
fn a_mediator_of_another_organisation_is_refused() {
    let db = Db::new();
    assert_eq!(
        db.mediation_problems(&with(delegated(), &[("mediator_id", "MD2")])),
        ["2:mediator_id: 调解员 MD2 属于调解组织 O2，不是本行 org_id（调解组织）O1"]
    );
    // An individual mediator, or a mediator without an organisation given, is fine.
    assert!(
        db.mediation_problems(&with(delegated(), &[("mediator_id", "MD3")]))
            .is_empty()
    );
}

#[test]
fn an_unknown_organisation_or_mediator_is_refused() {
    let db = Db::new();
    assert_eq!(
        db.mediation_problems(&with(
            delegated(),
            &[("org_id", "O9"), ("mediator_id", "MD9")]
        )),
        [
            "2:org_id: 找不到调解组织 O9：数据库和本次导入中都没有这个组织",
            "2:mediator_id: 找不到调解员 MD9：数据库和本次导入中都没有这个调解员",
        ]
    );
    let checked = db.check(&[(
        Kind::Mediators,
        vec![vec![
            ("mediator_id", "MD9"),
            ("name", "赵六"),
            ("org_id", "O9"),
            ("court_code", "鲁0109"),
        ]],
    )]);
    assert_eq!(
        problems(&checked[0]),
        [
            "2:org_id: 找不到调解组织 O9：数据库和本次导入中都没有这个组织",
            "2:court_code: 找不到法院 鲁0109：数据库和本次导入中都没有这个法院",
        ]
    );
}

#[test]
fn a_row_naming_a_record_refused_in_the_same_import_is_refused_too() {
    let db = Db::new();
    let checked = db.check(&[
        (
            Kind::MediationOrgs,
            vec![vec![
                ("org_id", "N1"),
                ("name", "新调解中心"),
                ("kind", "民间调解"),
                ("court_code", "鲁0102"),
            ]],
        ),
        (
            Kind::Mediators,
            vec![vec![
                ("mediator_id", "NM1"),
                ("name", "李华"),
                ("org_id", "N1"),
                ("court_code", "鲁0102"),
            ]],
        ),
        (
            Kind::Mediations,
            vec![with(
                delegated(),
                &[("org_id", "O1"), ("mediator_id", "NM1")],
            )],
        ),
        (
            Kind::MediationEvents,
            vec![vec![
                ("mediation_id", "（2024）鲁0102民诉前调1号"),
                ("event", "鉴定评估"),
                ("date", "2024-03-10"),
            ]],
        ),
    ]);
    assert_eq!(
        problems(&checked[0]),
        [
            "2:kind: 组织类型“民间调解”无法识别（应为 人民调解、行政调解、商事调解、行业调解 或 其他）"
        ]
    );
    assert_eq!(
        problems(&checked[1]),
        ["2:org_id: 调解组织 N1 在本次导入中被拒绝（mediation_orgs.csv:2），不能引用"]
    );
    assert_eq!(
        problems(&checked[2]),
        ["2:mediator_id: 调解员 NM1 在本次导入中被拒绝（mediators.csv:2），不能引用"]
    );
    assert_eq!(
        problems(&checked[3]),
        [
            "2:mediation_id: 调解案件 （2024）鲁0102民诉前调1号 在本次导入中被拒绝（mediations.csv:2），其事件不能导入"
        ]
    );
}

#[test]
fn a_key_given_twice_in_one_import_is_refused_the_second_time() {
    let db = Db::new();
    let checked = db.check(&[(
        Kind::Mediations,
        vec![
            delegated(),
            with(delegated(), &[("mediation_id", "(2024)鲁0102民诉前调1号")]),
        ],
    )]);
    assert_eq!(
        problems(&checked[0]),
        ["3:mediation_id: 调解案号重复：（2024）鲁0102民诉前调1号 已在第 2 行出现"]
    );
}

#[test]
fn an_entrusted_mediation_needs_a_pending_case_of_its_court() {
    let db = Db::new();
    let entrusted = |case: &'static str| {
        vec![
            ("mediation_id", "WT-1"),
            ("court_code", "鲁0102"),
            ("kind", "委托"),
            ("case_number", case),
            ("registered_date", "2024-03-02"),
            ("referred_date", "2024-03-02"),
        ]
    };
    assert_eq!(
        db.mediation_problems(&entrusted("")),
        ["2:case_number: 委托调解须填写案号（受托调解的案件，特邀调解规定第十一条）"]
    );
    assert_eq!(
        db.mediation_problems(&with(
            entrusted("（2024）鲁0102民初100号"),
            &[("court_code", "鲁01")]
        )),
        [
            "2:case_number: 案件 （2024）鲁0102民初100号 属于法院 鲁0102，不是本行 court_code（法院代字）鲁01"
        ]
    );
    assert_eq!(
        db.mediation_problems(&entrusted("（2024）鲁0102民初200号")),
        [
            "2:case_number: 案件 （2024）鲁0102民初200号 已于 2024-03-01 结案，早于委派日期 2024-03-02"
        ]
    );
    assert_eq!(
        db.mediation_problems(&entrusted("（2024）鲁0102民初999号")),
        ["2:case_number: 找不到案件 （2024）鲁0102民初999号：数据库和本次导入中都没有这个案件"]
    );
    // A pending case: the procedure comes from the case when the row gives none (简易程序: 7
    // days).
    let checked = db.check(&[(Kind::Mediations, vec![entrusted("(2024)鲁0102民初100号")])]);
    let m = &checked[0].mediations[0].1;
    assert_eq!(m.case_number.as_deref(), Some("（2024）鲁0102民初100号"));
    assert_eq!(m.procedure, Some(CaseProcedure::Simple));
    // A pre-litigation mediation has no case yet.
    assert_eq!(
        db.mediation_problems(&with(
            delegated(),
            &[("case_number", "（2024）鲁0102民初100号")]
        )),
        ["2:case_number: 只有委托调解才填案号：委派、申请调解在立案之前"]
    );
}

#[test]
fn a_pre_litigation_mediation_numbered_as_a_case_has_the_type_code_of_one() {
    let db = Db::new();
    assert_eq!(
        db.mediation_problems(&with(
            delegated(),
            &[("mediation_id", "（2024）鲁0102民初5号")]
        )),
        [
            "2:mediation_id: 委派、申请调解的调解案号若为案号，类型代字应为 民诉前调，\
             （2024）鲁0102民初5号 的类型代字为 民初"
        ]
    );
    // The platform's own number is not a case number and is kept as written.
    let checked = db.check(&[(
        Kind::Mediations,
        vec![with(delegated(), &[("mediation_id", "TJ-2024-0001")])],
    )]);
    assert_eq!(checked[0].mediations[0].1.mediation_id, "TJ-2024-0001");
}

#[test]
fn the_cases_after_a_mediation_have_the_type_codes_of_their_kind() {
    let db = Db::new();
    let succeeded = with(
        delegated(),
        &[
            ("outcome", "调解成功"),
            ("concluded_date", "2024-03-20"),
            ("agreement_path", "司法确认"),
        ],
    );
    assert_eq!(
        db.mediation_problems(&with(
            succeeded.clone(),
            &[("confirmation_case_number", "（2024）鲁0102民初100号")]
        )),
        [
            "2:confirmation_case_number: 司法确认案号的类型代字应为 诉前调确 或 民特，\
             （2024）鲁0102民初100号 的类型代字为 民初"
        ]
    );
    assert_eq!(
        db.mediation_problems(&with(
            succeeded.clone(),
            &[("document_case_number", "（2024）鲁0102诉前调确5号")]
        )),
        [
            "2:document_case_number: 调解书案号的类型代字应为 诉前调书，\
             （2024）鲁0102诉前调确5号 的类型代字为 诉前调确"
        ]
    );
    // A linked case found nowhere is imported as written, with a warning.
    let checked = db.check(&[(
        Kind::Mediations,
        vec![with(
            succeeded,
            &[("confirmation_case_number", "（2024）鲁0102民特8号")],
        )],
    )]);
    assert!(checked[0].problems.is_empty());
    assert_eq!(
        checked[0].mediations[0]
            .1
            .confirmation_case_number
            .as_deref(),
        Some("（2024）鲁0102民特8号")
    );
    assert_eq!(
        checked[0].warnings[0].message,
        "司法确认案号 （2024）鲁0102民特8号：数据库和本次导入中都没有这个案件，已按原样导入，未关联"
    );
}

#[test]
fn a_case_filed_after_a_failure_is_filed_after_it() {
    let db = Db::new();
    let failed = with(
        delegated(),
        &[
            ("outcome", "调解不成"),
            ("concluded_date", "2024-03-08"),
            ("failure_reason", "分歧较大"),
            ("filed_case_number", "（2024）鲁0102民初300号"),
        ],
    );
    // The case was filed 2024-03-05.
    assert_eq!(
        db.mediation_problems(&failed),
        [
            "2:filed_case_number: 立案案号 （2024）鲁0102民初300号 的立案日期 2024-03-05 \
             早于本调解的结束日期 2024-03-08"
        ]
    );
    assert!(
        db.mediation_problems(&with(failed, &[("concluded_date", "2024-03-05")]))
            .is_empty()
    );
}

#[test]
fn an_extension_needs_days() {
    let db = Db::new();
    let problems = db.event_problems(
        vec![delegated()],
        vec![
            vec![
                ("mediation_id", "（2024）鲁0102民诉前调1号"),
                ("event", "延长"),
                ("date", "2024-03-10"),
            ],
            vec![
                ("mediation_id", "（2024）鲁0102民诉前调1号"),
                ("event", "延长"),
                ("date", "2024-03-10"),
                ("days", "0"),
            ],
            vec![
                ("mediation_id", "（2024）鲁0102民诉前调1号"),
                ("event", "延长"),
                ("date", "2024-03-10"),
                ("days", "-5"),
            ],
        ],
    );
    assert_eq!(
        problems,
        [
            "2:days: 延长须填写大于 0 的天数",
            "3:days: 延长须填写大于 0 的天数",
            "4:days: “-5”不是整数（应为 0 或正整数）",
        ]
    );
}

/// §1.3's worked example: 委派 accepted 2023-03-15, 鉴定评估 2023-03-20…03-29 (10 days): the
/// deadline before any extension is 03-15 + 30 + 10 = 2023-04-24. An extension agreed on 04-20
/// is in time; one agreed on 04-25 comes after the period expired.
#[test]
fn an_extension_is_agreed_before_the_period_expires() {
    let db = Db::new();
    let extension = |date: &'static str| {
        vec![
            ("mediation_id", "DB-1"),
            ("event", "延长"),
            ("date", date),
            ("days", "15"),
        ]
    };
    assert!(
        db.event_problems(vec![], vec![extension("2023-04-20")])
            .is_empty()
    );
    assert_eq!(
        db.event_problems(vec![], vec![extension("2023-04-25")]),
        ["2:date: 延长须在调解期限届满前：调解期限已于 2023-04-24 届满，延长日期为 2023-04-25"]
    );
    // After an extension of 15 days agreed on 04-20 the deadline is 05-09: a second one on
    // 05-08 is in time.
    assert!(
        db.event_problems(
            vec![],
            vec![extension("2023-04-20"), extension("2023-05-08")]
        )
        .is_empty()
    );
}

#[test]
fn extensions_above_the_setting_are_refused() {
    let mut db = Db::new();
    db.settings.max_extension_days = Some(30);
    let extension = |date: &'static str, days: &'static str| {
        vec![
            ("mediation_id", "（2024）鲁0102民诉前调1号"),
            ("event", "延长"),
            ("date", date),
            ("days", days),
        ]
    };
    // Accepted 2024-03-04: 20 days on 03-10, then 15 more on 03-20 make 35.
    assert_eq!(
        db.event_problems(
            vec![delegated()],
            vec![extension("2024-03-10", "20"), extension("2024-03-20", "15")]
        ),
        ["3:days: 延长合计 35 天，超过设置“mediation.max_extension_days”的上限 30 天"]
    );
    db.settings.max_extension_days = None;
    assert!(
        db.event_problems(
            vec![delegated()],
            vec![extension("2024-03-10", "20"), extension("2024-03-20", "15")]
        )
        .is_empty()
    );
}

/// The 2025 opinion: a 委托 mediation accepted since 2025-01-01 is extended by at most 30 days in
/// all. Accepted 2025-03-03 (普通程序, the case's): deadline 03-18; 20 days agreed 03-10 (deadline
/// 04-07), 15 more agreed 03-20 make 35.
#[test]
fn an_entrusted_mediation_accepted_since_2025_is_extended_by_30_days_at_most() {
    let db = Db::new();
    let entrusted = vec![
        ("mediation_id", "WT-2025"),
        ("court_code", "鲁0102"),
        ("kind", "委托"),
        ("case_number", "（2025）鲁0102民初7号"),
        ("registered_date", "2025-03-01"),
        ("referred_date", "2025-03-01"),
        ("mediator_id", "MD3"),
        ("accepted_date", "2025-03-03"),
    ];
    let extension = |date: &'static str, days: &'static str| {
        vec![
            ("mediation_id", "WT-2025"),
            ("event", "延长"),
            ("date", date),
            ("days", days),
        ]
    };
    assert_eq!(
        db.event_problems(
            vec![entrusted.clone()],
            vec![extension("2025-03-10", "20"), extension("2025-03-20", "15")]
        ),
        [
            "3:days: 委托调解延长合计 35 天，超过 30 天（最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》）"
        ]
    );
    assert!(
        db.event_problems(
            vec![entrusted],
            vec![extension("2025-03-10", "20"), extension("2025-03-20", "10")]
        )
        .is_empty()
    );
}

#[test]
fn an_appraisal_ends_after_it_starts() {
    let db = Db::new();
    assert_eq!(
        db.event_problems(
            vec![delegated()],
            vec![vec![
                ("mediation_id", "（2024）鲁0102民诉前调1号"),
                ("event", "鉴定评估"),
                ("date", "2024-03-10"),
                ("end_date", "2024-03-09"),
            ]]
        ),
        ["2:end_date: 鉴定评估的结束日期 2024-03-09 早于开始日期 2024-03-10"]
    );
}

#[test]
fn events_fall_within_the_mediation_except_a_refusal() {
    let db = Db::new();
    let concluded = with(
        delegated(),
        &[("outcome", "撤回"), ("concluded_date", "2024-03-20")],
    );
    let event = |kind: &'static str, date: &'static str| {
        vec![
            ("mediation_id", "（2024）鲁0102民诉前调1号"),
            ("event", kind),
            ("date", date),
            ("mediator_id", "MD1"),
        ]
    };
    assert_eq!(
        db.event_problems(
            vec![concluded],
            vec![
                event("鉴定评估", "2024-03-03"),
                event("更换调解员", "2024-03-21"),
                event("不予接受", "2024-03-02"),
            ]
        ),
        [
            "2:date: “鉴定评估”事件的日期 2024-03-03 早于调解的接受日期 2024-03-04",
            "3:date: “更换调解员”事件的日期 2024-03-21 晚于调解的结束日期 2024-03-20",
        ]
    );
    // Not accepted at all: only a refusal may be recorded.
    let referred: Vec<_> = delegated()
        .into_iter()
        .filter(|(name, _)| *name != "accepted_date")
        .collect();
    assert_eq!(
        db.event_problems(vec![referred], vec![event("鉴定评估", "2024-03-05")]),
        [
            "2:date: 调解案件 （2024）鲁0102民诉前调1号 没有接受日期，不能有“鉴定评估”事件：除“不予接受”外，事件都在接受之后"
        ]
    );
}

#[test]
fn an_event_of_an_unknown_mediation_is_refused() {
    let db = Db::new();
    assert_eq!(
        db.event_problems(
            vec![],
            vec![vec![
                ("mediation_id", "M-404"),
                ("event", "不予接受"),
                ("date", "2024-03-02"),
            ]]
        ),
        ["2:mediation_id: 找不到调解案件 M-404：数据库和本次导入中都没有这个调解案件"]
    );
}

#[test]
fn a_refusal_after_the_latest_referral_sends_the_mediation_back_to_registered() {
    let db = Db::new();
    let referred: Vec<_> = delegated()
        .into_iter()
        .filter(|(name, _)| *name != "accepted_date")
        .collect();
    let checked = db.check(&[
        (Kind::Mediations, vec![referred]),
        (
            Kind::MediationEvents,
            vec![vec![
                ("mediation_id", "（2024）鲁0102民诉前调1号"),
                ("event", "不予接受"),
                ("date", "2024-03-02"),
                ("reason", "利益冲突"),
            ]],
        ),
    ]);
    let m = &checked[0].mediations[0].1;
    let events: Vec<MediationEvent> = checked[1].events.iter().map(|(_, e)| e.clone()).collect();
    assert_eq!(state_at(m, &events, d("2024-03-31")), State::Registered);
    assert_eq!(state_at(m, &[], d("2024-03-31")), State::Referred);
}

#[test]
fn a_pre_litigation_mediation_registered_since_2025_is_imported_with_a_warning() {
    let db = Db::new();
    let checked = db.check(&[(
        Kind::Mediations,
        vec![vec![
            ("mediation_id", "TJ-2025-1"),
            ("court_code", "鲁0102"),
            ("kind", "申请"),
            ("registered_date", "2025-01-02"),
        ]],
    )]);
    assert!(checked[0].problems.is_empty());
    assert_eq!(checked[0].mediations.len(), 1);
    assert_eq!(
        checked[0].warnings,
        [RowProblem {
            row: 2,
            column: "registered_date",
            message: "申请调解登记于 2025-01-02：2025 年 1 月 1 日起民事纠纷先登记立案，不再出具\
                      诉前调解案号（最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》），\
                      请核对；本行已导入"
                .to_owned(),
        }]
    );
}

#[test]
fn the_roster_values_are_words_of_their_lists() {
    let db = Db::new();
    let checked = db.check(&[
        (
            Kind::MediationOrgs,
            vec![vec![
                ("org_id", "N1"),
                ("name", "新调解中心"),
                ("kind", "人民调解"),
                ("court_code", "鲁0102"),
                ("docking", "县级"),
                ("specialities", "婚姻家庭;炒股"),
                ("charges_fee", "也许"),
                ("status", "休息"),
                ("joined_date", "2024-05-01"),
                ("left_date", "2024-04-01"),
            ]],
        ),
        (
            Kind::Mediators,
            vec![vec![
                ("mediator_id", "NM1"),
                ("name", "李华"),
                ("court_code", "鲁0102"),
                ("background", "网红"),
            ]],
        ),
    ]);
    assert_eq!(
        problems(&checked[0]),
        [
            "2:docking: 对接层级“县级”无法识别（应为 总对总、省级、市级 或 本院）",
            "2:specialities: 擅长领域“炒股”无法识别（应为 婚姻家庭、劳动争议、道路交通、金融消费、\
             证券期货、知识产权、海事海商、国际商事、涉港澳台侨、物业、医疗、中小企业 或 其他）",
            "2:charges_fee: “也许”无法识别为是或否（应填 是 或 否，也可填 1 或 0）",
            "2:status: 状态“休息”无法识别（应为 在册、暂停、除名 或 退出）",
            "2:left_date: 退出日期 2024-04-01 早于入册日期 2024-05-01",
        ]
    );
    assert_eq!(
        problems(&checked[1]),
        [
            "2:background: 身份类别“网红”无法识别（应为 人大代表、政协委员、人民陪审员、专家学者、\
             律师、仲裁员、退休法律工作者、组织推荐、法院专职调解员 或 其他）"
        ]
    );
}

/// Every message is Chinese (`docs/import.md`): without the values it quotes (“…”), the case
/// numbers, dates and ids it names, and the format's column and setting names, none has an
/// ASCII letter.
#[test]
fn every_message_is_in_chinese() {
    let db = Db::new();
    let mut messages: Vec<String> = Vec::new();
    let mut collect = |checked: Vec<CheckedFile>| {
        for file in checked {
            for p in file.problems.iter().chain(&file.warnings) {
                messages.push(p.message.clone());
            }
        }
    };
    collect(db.check(&[(
        Kind::Mediations,
        vec![
            with(delegated(), &[("mediator_id", "MD2"), ("outcome", "退回")]),
            with(delegated(), &[("mediation_id", "（2024）鲁0102民初5号")]),
            with(delegated(), &[("case_number", "x")]),
            with(
                delegated(),
                &[("registered_date", "2025-02-01"), ("referred_date", "")],
            ),
        ],
    )]));
    collect(db.check(&[(
        Kind::MediationEvents,
        vec![vec![
            ("mediation_id", "DB-1"),
            ("event", "延长"),
            ("date", "2023-04-25"),
            ("days", "5"),
        ]],
    )]));
    assert!(messages.len() >= 6, "{messages:?}");
    let allowed = ["org_id", "court_code", "mediation.max_extension_days"];
    for message in messages {
        let mut rest = String::new();
        let mut quoted = false;
        for c in message.chars() {
            match c {
                '“' => quoted = true,
                '”' => quoted = false,
                _ if !quoted => rest.push(c),
                _ => {}
            }
        }
        for word in allowed {
            rest = rest.replace(word, "");
        }
        // Ids of the fixtures (MD2, O1, DB-1) are values named without quotes.
        for id in ["MD2", "O1", "O2", "DB-1"] {
            rest = rest.replace(id, "");
        }
        assert!(
            !rest.chars().any(|c| c.is_ascii_alphabetic()),
            "not Chinese: {message}"
        );
    }
}
