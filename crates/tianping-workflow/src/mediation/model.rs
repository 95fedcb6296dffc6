//! The records of mediation (`workflows.md` §1.1): organisations and mediators of the roster,
//! mediations and their events, and the state a mediation is in at an as-of date (§1.2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 调解类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediationKind {
    /// 委派: the court refers a dispute before filing (特邀调解规定 art. 11).
    Delegated,
    /// 申请: a party applied online before filing (在线调解规则 art. 8-10).
    Applied,
    /// 委托: the court entrusts a filed case (特邀调解规定 art. 11).
    Entrusted,
}

impl MediationKind {
    pub fn parse(text: &str) -> Option<MediationKind> {
        match text.trim() {
            "委派" | "delegated" => Some(MediationKind::Delegated),
            "申请" | "applied" => Some(MediationKind::Applied),
            "委托" | "entrusted" => Some(MediationKind::Entrusted),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            MediationKind::Delegated => "委派",
            MediationKind::Applied => "申请",
            MediationKind::Entrusted => "委托",
        }
    }

    /// 委派 and 申请 are before filing (诉前).
    pub fn is_pre_litigation(self) -> bool {
        self != MediationKind::Entrusted
    }
}

/// 适用程序 of the case a 委托 mediation mediates: it decides 15 or 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseProcedure {
    /// 普通程序.
    Ordinary,
    /// 简易程序.
    Simple,
}

impl CaseProcedure {
    pub fn name_zh(self) -> &'static str {
        match self {
            CaseProcedure::Ordinary => "普通程序",
            CaseProcedure::Simple => "简易程序",
        }
    }

    pub fn parse(text: &str) -> Option<CaseProcedure> {
        match text.trim() {
            "普通程序" | "ordinary" => Some(CaseProcedure::Ordinary),
            "简易程序" | "simple" | "simplified" => Some(CaseProcedure::Simple),
            _ => None,
        }
    }
}

/// 调解结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 调解成功.
    Succeeded,
    /// 撤回: the parties settled and withdrew (在线调解规则 art. 25(2)).
    Withdrawn,
    /// 调解不成.
    Failed,
    /// 退回: the court returned the application before any acceptance (art. 9).
    Returned,
}

impl Outcome {
    pub fn parse(text: &str) -> Option<Outcome> {
        match text.trim() {
            "调解成功" | "succeeded" => Some(Outcome::Succeeded),
            "撤回" | "withdrawn" => Some(Outcome::Withdrawn),
            "调解不成" | "failed" => Some(Outcome::Failed),
            "退回" | "returned" => Some(Outcome::Returned),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Outcome::Succeeded => "调解成功",
            Outcome::Withdrawn => "撤回",
            Outcome::Failed => "调解不成",
            Outcome::Returned => "退回",
        }
    }

    /// "Concluded" never includes 退回 (§1.4).
    pub fn is_concluded(self) -> bool {
        self != Outcome::Returned
    }
}

/// 协议履行方式 of a successful mediation (在线调解规则 art. 20; 特邀调解规定 art. 19-20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementPath {
    /// 自动履行.
    Voluntary,
    /// 司法确认.
    JudicialConfirmation,
    /// 调解书.
    MediationDocument,
    /// 撤诉.
    SuitWithdrawn,
    /// 未定.
    Undecided,
}

impl AgreementPath {
    pub fn name_zh(self) -> &'static str {
        match self {
            AgreementPath::Voluntary => "自动履行",
            AgreementPath::JudicialConfirmation => "司法确认",
            AgreementPath::MediationDocument => "调解书",
            AgreementPath::SuitWithdrawn => "撤诉",
            AgreementPath::Undecided => "未定",
        }
    }

    pub fn parse(text: &str) -> Option<AgreementPath> {
        match text.trim() {
            "自动履行" => Some(AgreementPath::Voluntary),
            "司法确认" => Some(AgreementPath::JudicialConfirmation),
            "调解书" => Some(AgreementPath::MediationDocument),
            "撤诉" => Some(AgreementPath::SuitWithdrawn),
            "未定" => Some(AgreementPath::Undecided),
            _ => None,
        }
    }
}

/// 调解事件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 延长: days agreed by all parties (在线调解规则 art. 24 ¶1).
    Extension,
    /// 鉴定评估: an interval not counted (art. 26).
    Appraisal,
    /// 不予接受: the mediator refused or did not confirm (art. 12).
    NotAccepted,
    /// 更换调解员 (art. 14); the period is not restarted.
    MediatorChange,
}

impl EventKind {
    pub fn name_zh(self) -> &'static str {
        match self {
            EventKind::Extension => "延长",
            EventKind::Appraisal => "鉴定评估",
            EventKind::NotAccepted => "不予接受",
            EventKind::MediatorChange => "更换调解员",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        match text.trim() {
            "延长" => Some(EventKind::Extension),
            "鉴定评估" => Some(EventKind::Appraisal),
            "不予接受" => Some(EventKind::NotAccepted),
            "更换调解员" => Some(EventKind::MediatorChange),
            _ => None,
        }
    }
}

/// A mediation event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationEvent {
    pub mediation_id: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub days: Option<u32>,
    pub mediator_id: Option<String>,
    pub reason: Option<String>,
}

/// 调解案件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mediation {
    pub mediation_id: String,
    pub court_code: String,
    pub kind: MediationKind,
    /// The pending case being mediated (委托 only).
    pub case_number: Option<String>,
    /// 委托: decides 15 / 7 days; default the case's procedure, else 普通程序.
    pub procedure: Option<CaseProcedure>,
    pub cause: Option<String>,
    /// In fen.
    pub claim_amount: Option<i64>,
    pub registered_date: NaiveDate,
    pub referred_date: Option<NaiveDate>,
    pub org_id: Option<String>,
    pub mediator_id: Option<String>,
    /// 确认接受 / 签字接收: the start of the period.
    pub accepted_date: Option<NaiveDate>,
    pub online: bool,
    pub outcome: Option<Outcome>,
    pub concluded_date: Option<NaiveDate>,
    pub agreement_path: Option<AgreementPath>,
    pub performed: Option<bool>,
    pub failure_reason: Option<String>,
    /// 当事人坚持诉讼 (default true).
    pub wants_suit: bool,
    pub confirmation_case_number: Option<String>,
    pub document_case_number: Option<String>,
    pub filed_case_number: Option<String>,
    /// The filing date of `filed_case_number`, used when the case is not in the database.
    pub filed_date: Option<NaiveDate>,
}

impl Mediation {
    /// A new registered mediation with nothing else known.
    pub fn registered(
        id: &str,
        court_code: &str,
        kind: MediationKind,
        registered: NaiveDate,
    ) -> Mediation {
        Mediation {
            mediation_id: id.to_owned(),
            court_code: court_code.to_owned(),
            kind,
            case_number: None,
            procedure: None,
            cause: None,
            claim_amount: None,
            registered_date: registered,
            referred_date: None,
            org_id: None,
            mediator_id: None,
            accepted_date: None,
            online: false,
            outcome: None,
            concluded_date: None,
            agreement_path: None,
            performed: None,
            failure_reason: None,
            wants_suit: true,
            confirmation_case_number: None,
            document_case_number: None,
            filed_case_number: None,
            filed_date: None,
        }
    }

    /// A date field as known at `as_of`: a date after it has not happened yet (§0.1).
    pub fn known(date: Option<NaiveDate>, as_of: NaiveDate) -> Option<NaiveDate> {
        date.filter(|d| *d <= as_of)
    }

    /// The outcome and its date, as known at `as_of`.
    pub fn finished(&self, as_of: NaiveDate) -> Option<(Outcome, NaiveDate)> {
        match (self.outcome, Mediation::known(self.concluded_date, as_of)) {
            (Some(o), Some(d)) => Some((o, d)),
            _ => None,
        }
    }
}

/// The state of a mediation (§1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Registered,
    Referred,
    Mediating,
    Succeeded,
    Withdrawn,
    Failed,
    Returned,
}

impl State {
    pub fn id(self) -> &'static str {
        match self {
            State::Registered => "registered",
            State::Referred => "referred",
            State::Mediating => "mediating",
            State::Succeeded => "succeeded",
            State::Withdrawn => "withdrawn",
            State::Failed => "failed",
            State::Returned => "returned",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            State::Registered => "已登记",
            State::Referred => "已委派",
            State::Mediating => "调解中",
            State::Succeeded => "调解成功",
            State::Withdrawn => "撤回",
            State::Failed => "调解不成",
            State::Returned => "退回",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [
            State::Registered,
            State::Referred,
            State::Mediating,
            State::Succeeded,
            State::Withdrawn,
            State::Failed,
            State::Returned,
        ]
        .into_iter()
        .find(|s| s.id() == text)
    }

    pub fn is_open(self) -> bool {
        matches!(self, State::Registered | State::Referred | State::Mediating)
    }
}

/// The state at `as_of`, derived from the dates known then (§1.2 "Import derivation"): an
/// outcome → its state; accepted → mediating; referred and not declined since → referred; else
/// registered.
pub fn state_at(m: &Mediation, events: &[MediationEvent], as_of: NaiveDate) -> State {
    if let Some((outcome, _)) = m.finished(as_of) {
        return match outcome {
            Outcome::Succeeded => State::Succeeded,
            Outcome::Withdrawn => State::Withdrawn,
            Outcome::Failed => State::Failed,
            Outcome::Returned => State::Returned,
        };
    }
    if Mediation::known(m.accepted_date, as_of).is_some() {
        return State::Mediating;
    }
    match Mediation::known(m.referred_date, as_of) {
        Some(referred) => {
            let declined = events
                .iter()
                .any(|e| e.kind == EventKind::NotAccepted && e.date >= referred && e.date <= as_of);
            if declined {
                State::Registered
            } else {
                State::Referred
            }
        }
        None => State::Registered,
    }
}

/// 特邀调解组织 (特邀调解规定 art. 1, 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationOrg {
    pub org_id: String,
    pub name: String,
    /// 人民调解, 行政调解, 商事调解, 行业调解, 其他.
    pub kind: String,
    /// The inviting court (在线调解规则 art. 5 ¶2).
    pub court_code: String,
    /// 总对总, 省级, 市级, 本院.
    pub docking: Option<String>,
    pub specialities: Vec<String>,
    pub charges_fee: bool,
    /// 在册, 暂停, 除名, 退出.
    pub status: String,
    pub joined_date: Option<NaiveDate>,
    pub left_date: Option<NaiveDate>,
}

/// 调解员 (特邀调解员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mediator {
    pub mediator_id: String,
    pub name: String,
    /// None: an individual 特邀调解员.
    pub org_id: Option<String>,
    pub court_code: String,
    /// 人大代表, 政协委员, 人民陪审员, 专家学者, 律师, 仲裁员, 退休法律工作者, 组织推荐, 法院专职调解员, 其他.
    pub background: Option<String>,
    pub specialities: Vec<String>,
    /// 驻院.
    pub resident: bool,
    /// 入驻人民法院调解平台.
    pub online: bool,
    pub certificate_no: Option<String>,
    pub status: String,
    pub joined_date: Option<NaiveDate>,
    pub left_date: Option<NaiveDate>,
}

/// The statuses of a roster entry that count as active (在册).
pub fn roster_active(status: &str) -> bool {
    status == "在册"
}
