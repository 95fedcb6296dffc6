//! The mediation exchange files (`workflows.md` §1.5, with the general rules of §0.9): the rows
//! of `mediation_orgs`, `mediators`, `mediations` and `mediation_events`, as the exchange reader
//! keeps them ([`tianping_exchange::ParsedFile::table`]), turned into records, every rule
//! checked.
//!
//! [`check_files`] is pure: what the database holds (courts, cases, the roster, mediations and
//! their events) comes in as [`Known`], and every problem goes out as a [`RowProblem`] (row, the
//! column's English name, the message in Chinese, like every import message). The files are
//! checked in the order of §0.9 — organisations, mediators, mediations, events — so that a row
//! may name what an earlier file of the same import brings; a row that names a record refused
//! in the same import is refused too, saying where.
//!
//! The state of an imported mediation is not stored: it is derived from its dates and events
//! (§1.2 "Import derivation", [`state_at`](super::model::state_at)).

use std::collections::HashMap;

use chrono::NaiveDate;
use tianping_domain::time_limit::MAX_EXTENSION_DAYS;
use tianping_domain::{CaseNumber, HolidayCalendar, Procedure};
use tianping_exchange::{Kind, values};

use super::actions::{ENTRUSTED_EXTENSION_CAP_DAYS, RETURN_REASONS};
use super::limits::{MediationSettings, mediation_deadline};
use super::model::{
    AgreementPath, CaseProcedure, EventKind, Mediation, MediationEvent, MediationKind,
    MediationOrg, Mediator, Outcome,
};

/// 组织类型 (特邀调解规定 art. 1, 6).
pub const ORG_KINDS: [&str; 5] = ["人民调解", "行政调解", "商事调解", "行业调解", "其他"];
/// 对接层级 of the 诉调对接 agreement.
pub const DOCKING_LEVELS: [&str; 4] = ["总对总", "省级", "市级", "本院"];
/// 擅长领域 (在线调解规则 art. 28, and the project's additions).
pub const SPECIALITIES: [&str; 13] = [
    "婚姻家庭",
    "劳动争议",
    "道路交通",
    "金融消费",
    "证券期货",
    "知识产权",
    "海事海商",
    "国际商事",
    "涉港澳台侨",
    "物业",
    "医疗",
    "中小企业",
    "其他",
];
/// 状态 of a roster entry (除名: 特邀调解规定 art. 28 ¶2).
pub const ROSTER_STATUSES: [&str; 4] = ["在册", "暂停", "除名", "退出"];
/// 身份类别 of a mediator (特邀调解规定 art. 6 ¶2).
pub const BACKGROUNDS: [&str; 10] = [
    "人大代表",
    "政协委员",
    "人民陪审员",
    "专家学者",
    "律师",
    "仲裁员",
    "退休法律工作者",
    "组织推荐",
    "法院专职调解员",
    "其他",
];
/// 调解不成原因 (在线调解规则 art. 25(3)-(8), art. 15 ¶2).
pub const FAILURE_REASONS: [&str; 7] = [
    "无法联系",
    "明确拒绝",
    "分歧较大",
    "期限届满",
    "拒绝签章",
    "对方拒绝调解",
    "其他",
];

/// The type code of the case number a court gives a pre-litigation mediation (诉前调解).
const PRE_LITIGATION_TYPE: &str = "民诉前调";
/// The type codes of a judicial confirmation (司法确认) of a mediation agreement.
const CONFIRMATION_TYPES: [&str; 2] = ["诉前调确", "民特"];
/// The type code of a mediation document (调解书) after a pre-litigation mediation.
const DOCUMENT_TYPE: &str = "诉前调书";
/// The 2025 opinion (最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》) is in force from
/// this day.
const OPINION_2025: &str = "最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》";

fn opinion_2025_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date")
}

/// A case the database or the same import holds, as far as a mediation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCase {
    pub court_code: String,
    pub filed_date: NaiveDate,
    pub closed_date: Option<NaiveDate>,
    pub procedure: Option<Procedure>,
}

/// What the checks need to know beyond the files: each function answers for one key (court
/// codes, case numbers normalized, ids as stored). Courts and cases: those of the database and
/// of the same import; the roster, mediations and events: the database's (the files' own are
/// read here).
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub court: &'a dyn Fn(&str) -> bool,
    pub case: &'a dyn Fn(&str) -> Option<KnownCase>,
    pub org: &'a dyn Fn(&str) -> Option<MediationOrg>,
    pub mediator: &'a dyn Fn(&str) -> Option<Mediator>,
    pub mediation: &'a dyn Fn(&str) -> Option<Mediation>,
    /// The stored events of a mediation.
    pub events: &'a dyn Fn(&str) -> Vec<MediationEvent>,
}

impl std::fmt::Debug for Known<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Known")
    }
}

use crate::core::rows::{Found, Records, Row, word};
pub use crate::core::rows::{RowProblem, TableFile};

/// What the checks made of one file: the records of its good rows with their row numbers (only
/// the list of the file's kind is filled), the problems of the others, and warnings (about rows
/// that are imported all the same).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedFile {
    pub orgs: Vec<(usize, MediationOrg)>,
    pub mediators: Vec<(usize, Mediator)>,
    pub mediations: Vec<(usize, Mediation)>,
    pub events: Vec<(usize, MediationEvent)>,
    pub problems: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
}

/// The order of §0.9 within one import.
fn kind_rank(kind: Kind) -> u8 {
    match kind {
        Kind::MediationOrgs => 0,
        Kind::Mediators => 1,
        Kind::Mediations => 2,
        Kind::MediationEvents => 3,
        _ => 4,
    }
}

/// Check the files of one import; the result lists the files in the order given.
pub fn check_files(
    files: &[TableFile<'_>],
    known: &Known<'_>,
    settings: &MediationSettings,
    calendar: &HolidayCalendar,
) -> Vec<CheckedFile> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| kind_rank(files[i].kind));
    let mut out = vec![CheckedFile::default(); files.len()];
    let mut import = Imported::default();
    for &i in &order {
        let file = &files[i];
        let names: Vec<&'static str> = tianping_exchange::template_columns(file.kind)
            .iter()
            .map(|c| c.name)
            .collect();
        let refused_key = |key: &str| match file.kind {
            Kind::Mediations => mediation_key(key),
            _ => key.to_owned(),
        };
        for (row, key) in file.refused {
            let at = format!("{}:{row}", file.file);
            let key = refused_key(key);
            match file.kind {
                Kind::MediationOrgs => import.orgs.refuse(key, at),
                Kind::Mediators => import.mediators.refuse(key, at),
                Kind::Mediations => import.mediations.refuse(key, at),
                _ => {}
            }
        }
        let checked = &mut out[i];
        for (row, cells) in file.rows {
            let mut r = Row {
                names: &names,
                cells,
                row: *row,
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            let name = file.file;
            match file.kind {
                Kind::MediationOrgs => {
                    let record = org_row(&mut r, known);
                    if let Some(org) = import
                        .orgs
                        .take(&mut r, "org_id", record, name, |o| o.org_id.clone())
                    {
                        checked.orgs.push((*row, org));
                    }
                }
                Kind::Mediators => {
                    let record = mediator_row(&mut r, known, &import);
                    if let Some(m) =
                        import
                            .mediators
                            .take(&mut r, "mediator_id", record, name, |m| {
                                m.mediator_id.clone()
                            })
                    {
                        checked.mediators.push((*row, m));
                    }
                }
                Kind::Mediations => {
                    let record = mediation_row(&mut r, known, &import);
                    if let Some(m) =
                        import
                            .mediations
                            .take(&mut r, "mediation_id", record, name, |m| {
                                m.mediation_id.clone()
                            })
                    {
                        checked.mediations.push((*row, m));
                    }
                }
                Kind::MediationEvents => {
                    if let Some(e) = event_row(&mut r, known, &import) {
                        checked.events.push((*row, e));
                    }
                }
                _ => {}
            }
            checked.problems.append(&mut r.problems);
            checked.warnings.append(&mut r.warnings);
        }
    }
    check_events_against_mediations(&mut out, known, &import, settings, calendar);
    out
}

#[derive(Debug)]
struct Imported {
    orgs: Records<MediationOrg>,
    mediators: Records<Mediator>,
    mediations: Records<Mediation>,
}

impl Default for Imported {
    fn default() -> Self {
        Imported {
            orgs: Records::new("组织编号", str::to_owned),
            mediators: Records::new("调解员编号", str::to_owned),
            mediations: Records::new("调解案号", mediation_key),
        }
    }
}

/// A mediation id as stored: a case number normalized (`(2023)鲁0102民诉前调1号` →
/// `（2023）鲁0102民诉前调1号`), any other number as written.
fn mediation_key(text: &str) -> String {
    let text = text.trim();
    CaseNumber::parse(text).map_or_else(|_| text.to_owned(), |n| values::normalized(&n))
}

impl Row<'_> {
    /// `joined_date` ≤ `left_date`.
    fn roster_dates(&mut self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let joined = self.date("joined_date");
        let left = self.date("left_date");
        if let (Some(j), Some(l)) = (joined, left)
            && l < j
        {
            self.add("left_date", format!("退出日期 {l} 早于入册日期 {j}"));
        }
        (joined, left)
    }

    /// The org of `org_id` must be known; `None` when it is not (a problem recorded).
    fn org(
        &mut self,
        column: &'static str,
        known: &Known<'_>,
        import: &Imported,
    ) -> Option<String> {
        let id = self.free_text(column)?;
        match import.orgs.find(&id, known.org) {
            Found::Yes(_) => {}
            Found::Refused(at) => self.add(
                column,
                format!("调解组织 {id} 在本次导入中被拒绝（{at}），不能引用"),
            ),
            Found::No => self.add(
                column,
                format!("找不到调解组织 {id}：数据库和本次导入中都没有这个组织"),
            ),
        }
        Some(id)
    }

    /// The mediator of `column` if known (a problem recorded when it is not).
    fn mediator(
        &mut self,
        column: &'static str,
        known: &Known<'_>,
        import: &Imported,
    ) -> (Option<String>, Option<Mediator>) {
        let Some(id) = self.free_text(column) else {
            return (None, None);
        };
        let found = match import.mediators.find(&id, known.mediator) {
            Found::Yes(m) => Some(m),
            Found::Refused(at) => {
                self.add(
                    column,
                    format!("调解员 {id} 在本次导入中被拒绝（{at}），不能引用"),
                );
                None
            }
            Found::No => {
                self.add(
                    column,
                    format!("找不到调解员 {id}：数据库和本次导入中都没有这个调解员"),
                );
                None
            }
        };
        (Some(id), found)
    }
}

fn org_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<MediationOrg> {
    let org_id = r.required("org_id", values::text);
    let name = r.required("name", values::text);
    let kind = r.required("kind", |t| word(t, "组织类型", &ORG_KINDS));
    let court_code = r.court("court_code", known.court);
    let docking = r.choice("docking", "对接层级", &DOCKING_LEVELS);
    let specialities = r.list("specialities", "擅长领域", &SPECIALITIES);
    let charges_fee = r.boolean("charges_fee");
    let status = r.choice("status", "状态", &ROSTER_STATUSES);
    let (joined_date, left_date) = r.roster_dates();
    if !r.ok() {
        return None;
    }
    Some(MediationOrg {
        org_id: org_id?,
        name: name?,
        kind: kind?,
        court_code: court_code?,
        docking,
        specialities,
        charges_fee: charges_fee.unwrap_or(false),
        status: status.unwrap_or_else(|| "在册".to_owned()),
        joined_date,
        left_date,
    })
}

fn mediator_row(r: &mut Row<'_>, known: &Known<'_>, import: &Imported) -> Option<Mediator> {
    let mediator_id = r.required("mediator_id", values::text);
    let name = r.required("name", values::text);
    let org_id = r.org("org_id", known, import);
    let court_code = r.court("court_code", known.court);
    let background = r.choice("background", "身份类别", &BACKGROUNDS);
    let specialities = r.list("specialities", "擅长领域", &SPECIALITIES);
    let resident = r.boolean("resident");
    let online = r.boolean("online");
    let certificate_no = r.free_text("certificate_no");
    let status = r.choice("status", "状态", &ROSTER_STATUSES);
    let (joined_date, left_date) = r.roster_dates();
    if !r.ok() {
        return None;
    }
    Some(Mediator {
        mediator_id: mediator_id?,
        name: name?,
        org_id,
        court_code: court_code?,
        background,
        specialities,
        resident: resident.unwrap_or(false),
        online: online.unwrap_or(false),
        certificate_no,
        status: status.unwrap_or_else(|| "在册".to_owned()),
        joined_date,
        left_date,
    })
}

fn kind_of(text: &str) -> Result<MediationKind, String> {
    MediationKind::parse(text)
        .ok_or_else(|| format!("调解类型“{text}”无法识别（应为 委派、申请 或 委托）"))
}

fn procedure_of(text: &str) -> Result<CaseProcedure, String> {
    CaseProcedure::parse(text)
        .ok_or_else(|| format!("适用程序“{text}”无法识别（应为 普通程序 或 简易程序）"))
}

fn outcome_of(text: &str) -> Result<Outcome, String> {
    Outcome::parse(text)
        .ok_or_else(|| format!("调解结果“{text}”无法识别（应为 调解成功、撤回、调解不成 或 退回）"))
}

fn agreement_path_of(text: &str) -> Result<AgreementPath, String> {
    AgreementPath::parse(text).ok_or_else(|| {
        format!("协议履行方式“{text}”无法识别（应为 自动履行、司法确认、调解书、撤诉 或 未定）")
    })
}

fn event_kind_of(text: &str) -> Result<EventKind, String> {
    EventKind::parse(text).ok_or_else(|| {
        format!("事件“{text}”无法识别（应为 延长、鉴定评估、不予接受 或 更换调解员）")
    })
}

fn event_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Extension => "延长",
        EventKind::Appraisal => "鉴定评估",
        EventKind::NotAccepted => "不予接受",
        EventKind::MediatorChange => "更换调解员",
    }
}

/// The 15 or 7 days of a 委托 mediation follow the case's procedure when the row gives none:
/// 普通程序, or 简易程序 (小额诉讼程序 is a form of it, CPL art. 165).
fn case_procedure(procedure: Option<Procedure>) -> Option<CaseProcedure> {
    match procedure? {
        Procedure::Ordinary => Some(CaseProcedure::Ordinary),
        Procedure::Simple | Procedure::SmallClaims => Some(CaseProcedure::Simple),
        _ => None,
    }
}

/// A linked case number (§0.9 "(case, link)"): its type code one of `types` (when given); a
/// case found nowhere is imported as written, with a warning.
fn linked_case(
    r: &mut Row<'_>,
    column: &'static str,
    what: &str,
    types: &[&str],
    known: &Known<'_>,
) -> (Option<String>, Option<KnownCase>) {
    let Some(number) = r.case_number(column) else {
        return (None, None);
    };
    let normalized = values::normalized(&number);
    let type_code = number.type_code.as_str();
    if !types.is_empty() && !types.contains(&type_code) {
        r.add(
            column,
            format!(
                "{what}的类型代字应为 {}，{normalized} 的类型代字为 {type_code}",
                values::one_of(types)
            ),
        );
    }
    let case = (known.case)(&normalized);
    if case.is_none() {
        r.warn(
            column,
            format!("{what} {normalized}：数据库和本次导入中都没有这个案件，已按原样导入，未关联"),
        );
    }
    (Some(normalized), case)
}

fn mediation_row(r: &mut Row<'_>, known: &Known<'_>, import: &Imported) -> Option<Mediation> {
    let id_text = r.required("mediation_id", values::text);
    let id_number = id_text.as_deref().and_then(|t| CaseNumber::parse(t).ok());
    let mediation_id = id_text.as_deref().map(mediation_key);
    let court_code = r.court("court_code", known.court);
    let kind = r.required("kind", kind_of);
    let pre_litigation = kind.is_some_and(MediationKind::is_pre_litigation);

    // workflows.md §1.1: the 民诉前调 number when the court gave one.
    if pre_litigation
        && let Some(number) = &id_number
        && number.type_code.as_str() != PRE_LITIGATION_TYPE
    {
        r.add(
            "mediation_id",
            format!(
                "委派、申请调解的调解案号若为案号，类型代字应为 {PRE_LITIGATION_TYPE}，{} 的类型代字为 {}",
                values::normalized(number),
                number.type_code.as_str()
            ),
        );
    }

    let registered = r.required("registered_date", values::date);
    let referred = r.date("referred_date");
    let accepted = r.date("accepted_date");
    let concluded = r.date("concluded_date");
    // registered_date ≤ referred_date ≤ accepted_date ≤ concluded_date (§1.5); each date is
    // held to the latest of those before it.
    let mut latest: Option<(&str, NaiveDate)> = None;
    for (column, name, date) in [
        ("registered_date", "登记日期", registered),
        ("referred_date", "委派日期", referred),
        ("accepted_date", "接受日期", accepted),
        ("concluded_date", "结束日期", concluded),
    ] {
        let Some(date) = date else { continue };
        match latest {
            Some((before, at)) if date < at => {
                r.add(column, format!("{name} {date} 早于{before} {at}"));
            }
            _ => latest = Some((name, date)),
        }
    }

    // The case of a 委托 mediation: it must exist, be of the referring court, and be pending.
    let case_text = r.text("case_number");
    let case_number = r.case_number("case_number");
    let mut case_of_record = None;
    match kind {
        Some(MediationKind::Entrusted) if case_text.is_empty() => r.add(
            "case_number",
            "委托调解须填写案号（受托调解的案件，特邀调解规定第十一条）".to_owned(),
        ),
        Some(MediationKind::Delegated | MediationKind::Applied) if !case_text.is_empty() => r.add(
            "case_number",
            "只有委托调解才填案号：委派、申请调解在立案之前".to_owned(),
        ),
        _ => {}
    }
    let case_normalized = case_number.as_ref().map(values::normalized);
    if kind == Some(MediationKind::Entrusted)
        && let (Some(number), Some(normalized)) = (&case_number, &case_normalized)
    {
        if let Some(court) = &court_code
            && number.court.as_str() != court
        {
            r.add(
                "case_number",
                format!(
                    "案件 {normalized} 属于法院 {}，不是本行 court_code（法院代字）{court}",
                    number.court.as_str()
                ),
            );
        }
        match (known.case)(normalized) {
            None => r.add(
                "case_number",
                format!("找不到案件 {normalized}：数据库和本次导入中都没有这个案件"),
            ),
            Some(case) => {
                let since = referred
                    .map(|d| ("委派日期", d))
                    .or(registered.map(|d| ("登记日期", d)));
                if let (Some(closed), Some((name, since))) = (case.closed_date, since)
                    && closed < since
                {
                    r.add(
                        "case_number",
                        format!("案件 {normalized} 已于 {closed} 结案，早于{name} {since}"),
                    );
                }
                case_of_record = Some(case);
            }
        }
    }

    let procedure = r.optional("procedure", procedure_of);
    if procedure.is_some() && pre_litigation {
        r.add(
            "procedure",
            "只有委托调解才填适用程序（决定 15 日或 7 日的期限）".to_owned(),
        );
    }
    let procedure = procedure.or_else(|| {
        case_of_record
            .as_ref()
            .and_then(|c| case_procedure(c.procedure))
    });
    let cause = r.free_text("cause");
    let claim_amount = r.optional("claim_amount", values::amount);

    // Who mediates: known, and a mediator of an organisation belongs to `org_id`.
    let org_id = r.org("org_id", known, import);
    let (mediator_id, mediator) = r.mediator("mediator_id", known, import);
    if let (Some(org), Some(mediator)) = (&org_id, &mediator)
        && let Some(own) = &mediator.org_id
        && own != org
    {
        r.add(
            "mediator_id",
            format!(
                "调解员 {} 属于调解组织 {own}，不是本行 org_id（调解组织）{org}",
                mediator.mediator_id
            ),
        );
    }
    let online = r.boolean("online");

    // The outcome and its date come together; 调解不成 says why; 退回 comes before acceptance.
    let outcome = r.optional("outcome", outcome_of);
    if let Some(o) = outcome
        && r.text("concluded_date").is_empty()
    {
        r.add(
            "concluded_date",
            format!("填写了调解结果“{}”，但没有结束日期", o.name_zh()),
        );
    }
    if !r.text("concluded_date").is_empty() && r.text("outcome").is_empty() {
        r.add("outcome", "有结束日期，但没有填写调解结果".to_owned());
    }
    if outcome == Some(Outcome::Returned) && accepted.is_some() {
        r.add(
            "accepted_date",
            "退回的调解不应有接受日期：退回在调解组织或调解员接受之前（在线调解规则第九条）"
                .to_owned(),
        );
    }
    let failure_reason = match outcome {
        // The return's reason is kept where the failure's would be, as the `return` action
        // keeps it.
        Some(Outcome::Returned) => r.choice("failure_reason", "退回原因", &RETURN_REASONS),
        Some(Outcome::Failed) => {
            if r.text("failure_reason").is_empty() {
                r.add("failure_reason", "调解不成须填写调解不成原因".to_owned());
            }
            r.choice("failure_reason", "调解不成原因", &FAILURE_REASONS)
        }
        _ => {
            if !r.text("failure_reason").is_empty() {
                r.add(
                    "failure_reason",
                    "只有调解不成（或退回）才填调解不成原因".to_owned(),
                );
            }
            None
        }
    };
    let agreement_path = r.optional("agreement_path", agreement_path_of);
    if agreement_path.is_some() && outcome != Some(Outcome::Succeeded) {
        r.add("agreement_path", "只有调解成功才填协议履行方式".to_owned());
    }
    let agreement_path = match outcome {
        Some(Outcome::Succeeded) => Some(agreement_path.unwrap_or(AgreementPath::Undecided)),
        _ => agreement_path,
    };
    let performed = r.boolean("performed");
    let wants_suit = r.boolean("wants_suit");

    // The cases after the mediation (§0.9 "(case, link)").
    let (confirmation, _) = linked_case(
        r,
        "confirmation_case_number",
        "司法确认案号",
        &CONFIRMATION_TYPES,
        known,
    );
    let (document, _) = linked_case(
        r,
        "document_case_number",
        "调解书案号",
        if pre_litigation {
            &[DOCUMENT_TYPE]
        } else {
            &[]
        },
        known,
    );
    let (filed, filed_case) = linked_case(r, "filed_case_number", "立案案号", &[], known);
    if let (Some(filed), Some(case), Some(concluded)) = (&filed, &filed_case, concluded)
        && case.filed_date < concluded
    {
        r.add(
            "filed_case_number",
            format!(
                "立案案号 {filed} 的立案日期 {} 早于本调解的结束日期 {concluded}",
                case.filed_date
            ),
        );
    }
    let filed_date = r.date("filed_date");

    // §1.3: since 2025-01-01 a civil dispute is registered as a case first and no 诉前调 number
    // is given; a pre-litigation mediation registered since is imported, with a warning.
    if pre_litigation
        && let (Some(registered), Some(kind)) = (registered, kind)
        && registered >= opinion_2025_in_force()
    {
        r.warn(
            "registered_date",
            format!(
                "{}调解登记于 {registered}：2025 年 1 月 1 日起民事纠纷先登记立案，不再出具诉前调解案号（{OPINION_2025}），请核对；本行已导入",
                kind.name_zh()
            ),
        );
    }

    if !r.ok() {
        return None;
    }
    Some(Mediation {
        mediation_id: mediation_id?,
        court_code: court_code?,
        kind: kind?,
        case_number: case_normalized,
        procedure,
        cause,
        claim_amount: claim_amount.map(|m| m.fen()),
        registered_date: registered?,
        referred_date: referred,
        org_id,
        mediator_id,
        accepted_date: accepted,
        online: online.unwrap_or(false),
        outcome,
        concluded_date: concluded,
        agreement_path,
        performed,
        failure_reason,
        wants_suit: wants_suit.unwrap_or(true),
        confirmation_case_number: confirmation,
        document_case_number: document,
        filed_case_number: filed,
        filed_date,
    })
}

fn event_row(r: &mut Row<'_>, known: &Known<'_>, import: &Imported) -> Option<MediationEvent> {
    let mediation_id = r
        .required("mediation_id", values::text)
        .map(|t| mediation_key(&t));
    let kind = r.required("event", event_kind_of);
    let date = r.required("date", values::date);
    let end_date = r.date("end_date");
    let days = r.optional("days", values::count);
    let (mediator_id, _) = r.mediator("mediator_id", known, import);
    let reason = r.free_text("reason");

    if let Some(end) = end_date {
        match kind {
            Some(EventKind::Appraisal) => {
                if let Some(start) = date
                    && end < start
                {
                    r.add(
                        "end_date",
                        format!("鉴定评估的结束日期 {end} 早于开始日期 {start}"),
                    );
                }
            }
            Some(other) => r.add(
                "end_date",
                format!(
                    "只有“鉴定评估”事件才填结束日期，“{}”事件不填",
                    event_name(other)
                ),
            ),
            None => {}
        }
    }
    match kind {
        // 在线调解规则 art. 24 ¶1: days agreed by all parties.
        Some(EventKind::Extension) => {
            if !r.failed("days") && days.unwrap_or(0) == 0 {
                r.add("days", "延长须填写大于 0 的天数".to_owned());
            }
            if let Some(d) = days
                && d > MAX_EXTENSION_DAYS
            {
                r.add(
                    "days",
                    format!("一次延长 {d} 天，超过上限 {MAX_EXTENSION_DAYS} 天"),
                );
            }
        }
        Some(other) if days.unwrap_or(0) > 0 => r.add(
            "days",
            format!("只有“延长”事件才填天数，“{}”事件不填", event_name(other)),
        ),
        _ => {}
    }
    if kind == Some(EventKind::MediatorChange) && r.text("mediator_id").is_empty() {
        r.add("mediator_id", "更换调解员须填写新的调解员".to_owned());
    }
    if let Some(id) = &mediation_id {
        match import.mediations.find(id, known.mediation) {
            Found::Yes(_) => {}
            Found::Refused(at) => r.add(
                "mediation_id",
                format!("调解案件 {id} 在本次导入中被拒绝（{at}），其事件不能导入"),
            ),
            Found::No => r.add(
                "mediation_id",
                format!("找不到调解案件 {id}：数据库和本次导入中都没有这个调解案件"),
            ),
        }
    }
    if !r.ok() {
        return None;
    }
    Some(MediationEvent {
        mediation_id: mediation_id?,
        kind: kind?,
        date: date?,
        end_date,
        days: days.filter(|_| kind == Some(EventKind::Extension)),
        mediator_id,
        reason,
    })
}

/// The checks of events against their mediation (§1.5): dated within the period (except 不予接受);
/// an extension agreed on or before the deadline then in force, within the setting's cap and,
/// for a 委托 mediation accepted since 2025, within 30 days in all. The stored events count too.
fn check_events_against_mediations(
    out: &mut [CheckedFile],
    known: &Known<'_>,
    import: &Imported,
    settings: &MediationSettings,
    calendar: &HolidayCalendar,
) {
    // Every good event of the import, by mediation: (file, its index in the file's list).
    let mut by_mediation: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (f, checked) in out.iter().enumerate() {
        for (i, (_, event)) in checked.events.iter().enumerate() {
            by_mediation
                .entry(event.mediation_id.clone())
                .or_default()
                .push((f, i));
        }
    }
    let mut refused: Vec<(usize, usize, &'static str, String)> = Vec::new();
    let mut ids: Vec<&String> = by_mediation.keys().collect();
    ids.sort();
    for id in ids {
        let Found::Yes(m) = import.mediations.find(id, known.mediation) else {
            continue;
        };
        let imported = &by_mediation[id];
        // The mediation's events: the stored ones, then the imported ones not stored already
        // (an event is its fields: the same event twice is one).
        let mut all: Vec<MediationEvent> = (known.events)(id);
        // Where each imported event is in `all`.
        let mut position: Vec<usize> = Vec::with_capacity(imported.len());
        for &(f, i) in imported {
            let event = &out[f].events[i].1;
            match all.iter().position(|e| e == event) {
                Some(p) => position.push(p),
                None => {
                    all.push(event.clone());
                    position.push(all.len() - 1);
                }
            }
        }
        // The extensions in date order, with their running total.
        let mut extensions: Vec<usize> = (0..all.len())
            .filter(|&p| all[p].kind == EventKind::Extension)
            .collect();
        extensions.sort_by_key(|&p| (all[p].date, p));
        let mut total_at: HashMap<usize, u32> = HashMap::new();
        let mut total = 0u32;
        for &p in &extensions {
            total = total.saturating_add(all[p].days.unwrap_or(0));
            total_at.insert(p, total);
        }
        let since_2025 = m.kind == MediationKind::Entrusted
            && m.accepted_date
                .is_some_and(|a| a >= opinion_2025_in_force());

        for (k, &(f, i)) in imported.iter().enumerate() {
            let (row, event) = &out[f].events[i];
            let mut problem = |column: &'static str, message: String| {
                refused.push((f, *row, column, message));
            };
            let name = event_name(event.kind);
            if event.kind != EventKind::NotAccepted {
                match m.accepted_date {
                    None => problem(
                        "date",
                        format!(
                            "调解案件 {id} 没有接受日期，不能有“{name}”事件：除“不予接受”外，事件都在接受之后"
                        ),
                    ),
                    Some(accepted) if event.date < accepted => problem(
                        "date",
                        format!(
                            "“{name}”事件的日期 {} 早于调解的接受日期 {accepted}",
                            event.date
                        ),
                    ),
                    _ => {}
                }
                if let Some(concluded) = m.concluded_date
                    && event.date > concluded
                {
                    problem(
                        "date",
                        format!(
                            "“{name}”事件的日期 {} 晚于调解的结束日期 {concluded}",
                            event.date
                        ),
                    );
                }
            }
            if event.kind != EventKind::Extension {
                continue;
            }
            let p = position[k];
            // 在线调解规则 art. 25(6): a period expired without an agreed extension ends the
            // mediation; the deadline as of the extension's date, without this extension.
            let others: Vec<MediationEvent> = all
                .iter()
                .enumerate()
                .filter(|(q, _)| *q != p)
                .map(|(_, e)| e.clone())
                .collect();
            if m.accepted_date.is_some_and(|a| a <= event.date)
                && let Some(d) = mediation_deadline(&m, &others, event.date, calendar, settings)
                && event.date > d.deadline
            {
                problem(
                    "date",
                    format!(
                        "延长须在调解期限届满前：调解期限已于 {} 届满，延长日期为 {}",
                        d.deadline, event.date
                    ),
                );
            }
            let total = total_at.get(&p).copied().unwrap_or(0);
            if let Some(cap) = settings.max_extension_days
                && total > cap
            {
                problem(
                    "days",
                    format!(
                        "延长合计 {total} 天，超过设置“mediation.max_extension_days”的上限 {cap} 天"
                    ),
                );
            }
            if since_2025 && total > ENTRUSTED_EXTENSION_CAP_DAYS {
                problem(
                    "days",
                    format!(
                        "委托调解延长合计 {total} 天，超过 {ENTRUSTED_EXTENSION_CAP_DAYS} 天（{OPINION_2025}）"
                    ),
                );
            }
        }
    }
    if refused.is_empty() {
        return;
    }
    for (f, row, column, message) in refused {
        out[f].problems.push(RowProblem {
            row,
            column,
            message,
        });
    }
    for checked in out.iter_mut() {
        let bad: std::collections::HashSet<usize> =
            checked.problems.iter().map(|p| p.row).collect();
        checked.events.retain(|(row, _)| !bad.contains(row));
        checked.problems.sort_by_key(|p| p.row);
    }
}

#[cfg(test)]
mod tests;
