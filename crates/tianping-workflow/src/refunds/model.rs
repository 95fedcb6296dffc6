//! The refund record (`workflows.md` §4.2) and its reasons (§4.1, each with its source).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tianping_domain::Money;

/// 退费原因 with the article that makes the refund owed (§4.1).
pub const REASONS: [(&str, &str); 11] = [
    (
        "胜诉退费",
        "诉讼费用交纳办法第二十九条；民诉解释第二百零七条",
    ),
    ("调解撤诉减半", "诉讼费用交纳办法第十五条"),
    ("简易程序减半", "诉讼费用交纳办法第十六条"),
    ("不予受理驳回起诉", "诉讼费用交纳办法第二十七条第二款"),
    ("发回重审", "诉讼费用交纳办法第二十七条第一款"),
    ("移送刑事", "诉讼费用交纳办法第二十五条"),
    ("减少诉讼请求", "诉讼费用交纳办法第二十一条第二项"),
    ("按撤诉处理退半", "民诉解释第一百九十九条第二款"),
    ("司法救助减免", "诉讼费用交纳办法第四十四条至第五十一条"),
    ("多交误交", "本系统约定"),
    ("其他", "本系统约定"),
];

/// 费用种类.
pub const FEE_KINDS: [&str; 3] = ["案件受理费", "申请费", "其他"];
/// 文书类型 (the document whose taking effect starts the 15 days).
pub const DOCUMENTS: [&str; 3] = ["判决书", "裁定书", "调解书"];

/// The source of a reason, if it is one of [`REASONS`].
pub fn reason_source(reason: &str) -> Option<&'static str> {
    REASONS.iter().find(|(r, _)| *r == reason).map(|(_, s)| *s)
}

/// 诉讼费退费.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRefund {
    pub refund_id: String,
    /// The case (normalized); the court is the case's.
    pub case_number: String,
    pub court_code: String,
    /// 退费对象: the party refunded.
    pub payer: String,
    /// One of [`FEE_KINDS`].
    pub fee_kind: String,
    /// One of [`REASONS`].
    pub reason: String,
    /// 应退金额 (> 0).
    #[serde(with = "crate::core::yuan")]
    pub amount: Money,
    /// One of [`DOCUMENTS`].
    pub document: Option<String>,
    /// 法律文书生效日期.
    pub effective_date: NaiveDate,
    /// The day the payee's bank account was received.
    pub account_date: Option<NaiveDate>,
    pub refunded_date: Option<NaiveDate>,
    /// 已退金额 (default the whole amount once refunded).
    #[serde(with = "crate::core::yuan::option", default)]
    pub refunded_amount: Option<Money>,
    /// 免退: the payee declined, or agreed to be paid by the losing party (民诉解释 art. 207).
    pub waived: bool,
    /// The day the waiver was recorded (`waive`), if known.
    #[serde(default)]
    pub waived_date: Option<NaiveDate>,
    pub note: Option<String>,
}

impl FeeRefund {
    /// A refund owed from `effective_date`, nothing paid yet.
    pub fn owed(
        id: &str,
        case_number: &str,
        court_code: &str,
        reason: &str,
        amount: Money,
        effective_date: NaiveDate,
    ) -> FeeRefund {
        FeeRefund {
            refund_id: id.to_owned(),
            case_number: case_number.to_owned(),
            court_code: court_code.to_owned(),
            payer: String::new(),
            fee_kind: FEE_KINDS[0].to_owned(),
            reason: reason.to_owned(),
            amount,
            document: None,
            effective_date,
            account_date: None,
            refunded_date: None,
            refunded_amount: None,
            waived: false,
            waived_date: None,
            note: None,
        }
    }

    /// What has been paid back (the whole amount when refunded without a stated amount).
    pub fn paid(&self) -> Money {
        match (self.refunded_date, self.refunded_amount) {
            (_, Some(a)) => a,
            (Some(_), None) => self.amount,
            (None, None) => Money(0),
        }
    }

    /// The day it was refunded in full, if it was by `as_of`.
    pub fn refunded_in_full_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        self.refunded_date
            .filter(|d| *d <= as_of && self.paid().fen() >= self.amount.fen())
    }

    /// What is still owed at `as_of` (nothing once waived).
    pub fn outstanding_at(&self, as_of: NaiveDate) -> Money {
        if self.waived_at(as_of) {
            return Money(0);
        }
        let paid = if self.refunded_date.is_some_and(|d| d <= as_of) {
            self.paid().fen()
        } else {
            0
        };
        Money((self.amount.fen() - paid).max(0))
    }

    /// Whether the waiver is known at `as_of` (a waiver without a date counts from the start).
    pub fn waived_at(&self, as_of: NaiveDate) -> bool {
        self.waived && self.waived_date.is_none_or(|d| d <= as_of)
    }
}

/// The state of a refund (§4.2): `owed → refunded`, `owed → waived`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Owed,
    Refunded,
    Waived,
}

impl State {
    pub fn id(self) -> &'static str {
        match self {
            State::Owed => "owed",
            State::Refunded => "refunded",
            State::Waived => "waived",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            State::Owed => "待退费",
            State::Refunded => "已退费",
            State::Waived => "免退",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [State::Owed, State::Refunded, State::Waived]
            .into_iter()
            .find(|s| s.id() == text)
    }
}

/// The state at `as_of`: refunded once paid in full, waived once waived, else owed (a partial
/// refund stays owed).
pub fn state_at(r: &FeeRefund, as_of: NaiveDate) -> State {
    if r.waived_at(as_of) {
        State::Waived
    } else if r.refunded_in_full_at(as_of).is_some() {
        State::Refunded
    } else {
        State::Owed
    }
}
