//! Petitions (信访件) and matters (信访事项), `workflows.md` §2.1-2.2, after the 信访工作条例
//! (2022): a petition is registered when received, acknowledged (告知, art. 23), handled and
//! replied to (art. 32, 34); a 复查 (art. 35) or 复核 (art. 36) request is a new petition of a
//! higher `review_level` naming the petition whose reply it contests.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 信访形式 (条例 art. 17), and 转办交办 for items forwarded by another organ (art. 22-23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    #[serde(rename = "来信")]
    Letter,
    #[serde(rename = "来访")]
    Visit,
    #[serde(rename = "网上信访")]
    Online,
    #[serde(rename = "来电")]
    Phone,
    #[serde(rename = "转办交办")]
    Forwarded,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Letter,
        Channel::Visit,
        Channel::Online,
        Channel::Phone,
        Channel::Forwarded,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            Channel::Letter => "来信",
            Channel::Visit => "来访",
            Channel::Online => "网上信访",
            Channel::Phone => "来电",
            Channel::Forwarded => "转办交办",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        let text = text.trim();
        Channel::ALL
            .into_iter()
            .find(|c| c.name_zh() == text)
            .or(match text {
                "网上" => Some(Channel::Online),
                "转办" | "交办" => Some(Channel::Forwarded),
                _ => None,
            })
    }
}

/// 告知结果 of the acknowledgement (条例 art. 23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AckDecision {
    #[serde(rename = "受理")]
    Accepted,
    #[serde(rename = "不予受理")]
    NotAccepted,
    #[serde(rename = "转送")]
    Transferred,
    #[serde(rename = "导入诉讼程序")]
    IntoLitigation,
    #[serde(rename = "告知向有权机关提出")]
    ToCompetentOrgan,
    #[serde(rename = "退回交办机关")]
    ReturnedToSender,
}

impl AckDecision {
    pub const ALL: [AckDecision; 6] = [
        AckDecision::Accepted,
        AckDecision::NotAccepted,
        AckDecision::Transferred,
        AckDecision::IntoLitigation,
        AckDecision::ToCompetentOrgan,
        AckDecision::ReturnedToSender,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            AckDecision::Accepted => "受理",
            AckDecision::NotAccepted => "不予受理",
            AckDecision::Transferred => "转送",
            AckDecision::IntoLitigation => "导入诉讼程序",
            AckDecision::ToCompetentOrgan => "告知向有权机关提出",
            AckDecision::ReturnedToSender => "退回交办机关",
        }
    }

    pub fn parse(text: &str) -> Option<AckDecision> {
        let text = text.trim();
        AckDecision::ALL.into_iter().find(|d| d.name_zh() == text)
    }
}

/// 信访来源 of a forwarded item (条例 art. 22-23).
pub const SOURCES: [&str; 6] = [
    "党委政府信访部门",
    "上级法院",
    "人大",
    "政法委",
    "纪检监察",
    "其他",
];
/// 性质 (条例 art. 29-31).
pub const NATURES: [&str; 5] = ["申诉求决", "检举控告", "建议意见", "咨询", "其他"];
/// 答复方式.
pub const REPLY_FORMS: [&str; 4] = ["书面", "当面", "电话", "网上"];
/// 处理结果 (条例 art. 32; a non-受理 acknowledgement's result is its decision).
pub const RESULTS: [&str; 10] = [
    "支持",
    "部分支持",
    "解释说明",
    "不予支持",
    "导入诉讼程序",
    "转送",
    "不予受理",
    "告知向有权机关提出",
    "退回交办机关",
    "撤回",
];
/// 化解方式 of a matter.
pub const RESOLUTIONS: [&str; 5] = [
    "息诉罢访",
    "导入诉讼程序后审结",
    "依法终结",
    "司法救助",
    "其他",
];
/// More visitors than this make a 集体访 (条例 art. 20 ¶3: 多人… 推选代表，代表人数不超过5人).
pub const COLLECTIVE_VISIT_PERSONS: u32 = 5;

/// 信访件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub petition_id: String,
    /// The receiving court.
    pub court_code: String,
    /// 收到日期 (a forwarded item: the day this court received it).
    pub received_date: NaiveDate,
    pub channel: Channel,
    /// 来源 (转办交办 only), one of [`SOURCES`].
    pub source: Option<String>,
    /// 交办机关指定的办结报告期限 (art. 22(3)).
    pub assigned_deadline: Option<NaiveDate>,
    /// 信访人证件号, checked (§0.9); masked in every output but to the petition duties.
    pub petitioner_id: Option<String>,
    pub petitioner_name: Option<String>,
    /// 姓名（名称）、住址不清: no acknowledgement is owed (art. 23 ¶2).
    pub anonymous: bool,
    /// 来访人数.
    pub persons: u32,
    /// One of [`NATURES`].
    pub nature: String,
    /// 涉诉.
    pub litigation_related: bool,
    /// The case complained of (normalized).
    pub case_number: Option<String>,
    /// The 信访事项 (assigned by §2.4 when blank on entry).
    pub matter_id: Option<String>,
    /// Received by a 院领导.
    pub leader_received: bool,
    /// 0 原办, 1 复查 (art. 35), 2 复核 (art. 36).
    pub review_level: u8,
    /// The item whose reply a 复查/复核 contests.
    pub original_petition_id: Option<String>,
    pub ack_date: Option<NaiveDate>,
    pub ack_decision: Option<AckDecision>,
    /// 受理日期 (default the ack_date of a 受理 acknowledgement).
    pub accepted_date: Option<NaiveDate>,
    /// Days of the extension (≤ 30, art. 34) and the day it was approved.
    pub extension_days: Option<u32>,
    pub extension_date: Option<NaiveDate>,
    pub reply_date: Option<NaiveDate>,
    /// One of [`REPLY_FORMS`].
    pub reply_form: Option<String>,
    /// One of [`RESULTS`].
    pub result: Option<String>,
    /// 听证 of a 复核 (art. 36 ¶2: not counted).
    pub hearing_start: Option<NaiveDate>,
    pub hearing_end: Option<NaiveDate>,
    /// The 申诉/再审/执行监督 case the item was led into (诉访分离).
    pub diverted_case_number: Option<String>,
    /// 承办部门.
    pub handler: Option<String>,
}

impl Petition {
    /// A new registered petition with nothing else known.
    pub fn registered(
        id: &str,
        court_code: &str,
        received: NaiveDate,
        channel: Channel,
        nature: &str,
        litigation_related: bool,
    ) -> Petition {
        Petition {
            petition_id: id.to_owned(),
            court_code: court_code.to_owned(),
            received_date: received,
            channel,
            source: None,
            assigned_deadline: None,
            petitioner_id: None,
            petitioner_name: None,
            anonymous: false,
            persons: 1,
            nature: nature.to_owned(),
            litigation_related,
            case_number: None,
            matter_id: None,
            leader_received: false,
            review_level: 0,
            original_petition_id: None,
            ack_date: None,
            ack_decision: None,
            accepted_date: None,
            extension_days: None,
            extension_date: None,
            reply_date: None,
            reply_form: None,
            result: None,
            hearing_start: None,
            hearing_end: None,
            diverted_case_number: None,
            handler: None,
        }
    }

    /// The acknowledgement as known at `as_of`.
    pub fn ack_at(&self, as_of: NaiveDate) -> Option<(NaiveDate, Option<AckDecision>)> {
        self.ack_date
            .filter(|d| *d <= as_of)
            .map(|d| (d, self.ack_decision))
    }

    /// 受理日期 known at `as_of`: the given one, else the date of a 受理 acknowledgement.
    pub fn accepted_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        self.accepted_date
            .or(match (self.ack_date, self.ack_decision) {
                (Some(d), Some(AckDecision::Accepted)) => Some(d),
                _ => None,
            })
            .filter(|d| *d <= as_of)
    }

    /// The day the petition was concluded, known at `as_of`: its reply, or an acknowledgement
    /// other than 受理 (whose notice is the reply).
    pub fn concluded_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        if let Some(reply) = self.reply_date.filter(|d| *d <= as_of) {
            return Some(reply);
        }
        match self.ack_at(as_of) {
            Some((d, Some(decision))) if decision != AckDecision::Accepted => Some(d),
            _ => None,
        }
    }

    /// The extension days approved by `as_of`.
    pub fn extension_at(&self, as_of: NaiveDate) -> u32 {
        match (self.extension_days, self.extension_date) {
            (Some(days), Some(date)) if date <= as_of => days,
            // An extension imported without its date counts from the start.
            (Some(days), None) => days,
            _ => 0,
        }
    }

    /// 集体访: a visit of more than five people.
    pub fn is_collective_visit(&self) -> bool {
        self.channel == Channel::Visit && self.persons > COLLECTIVE_VISIT_PERSONS
    }
}

/// The state of a petition (§2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Registered,
    Handling,
    Concluded,
}

impl State {
    pub fn id(self) -> &'static str {
        match self {
            State::Registered => "registered",
            State::Handling => "handling",
            State::Concluded => "concluded",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            State::Registered => "待告知",
            State::Handling => "办理中",
            State::Concluded => "已办结",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        match text {
            "registered" => Some(State::Registered),
            "handling" => Some(State::Handling),
            "concluded" => Some(State::Concluded),
            _ => None,
        }
    }
}

/// The state at `as_of`, derived from the dates (§2.2 "Import derivation"): a reply or a
/// non-受理 acknowledgement concludes, an acceptance starts the handling.
pub fn state_at(p: &Petition, as_of: NaiveDate) -> State {
    if p.concluded_at(as_of).is_some() {
        State::Concluded
    } else if p.accepted_at(as_of).is_some() {
        State::Handling
    } else {
        State::Registered
    }
}

/// 信访事项 / 涉诉信访案件 as stored: what the files and the actions give. Its court, opening
/// date and 涉诉 flag default from its petitions ([`super::matters::MatterView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matter {
    pub matter_id: String,
    /// The court of its first petition when not given.
    pub court_code: Option<String>,
    pub case_number: Option<String>,
    /// Given for a legacy backlog; else the earliest received_date of its petitions.
    pub opened_date: Option<NaiveDate>,
    /// 化解日期.
    pub resolved_date: Option<NaiveDate>,
    /// One of [`RESOLUTIONS`].
    pub resolution: Option<String>,
}

impl Matter {
    pub fn new(id: &str) -> Matter {
        Matter {
            matter_id: id.to_owned(),
            court_code: None,
            case_number: None,
            opened_date: None,
            resolved_date: None,
            resolution: None,
        }
    }
}
