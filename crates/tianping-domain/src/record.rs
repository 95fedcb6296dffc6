//! The records Tianping holds: courts, cases and events, as plain validated values.
//!
//! These are what the exchange files (`exchange-format.md`) become after checking, what the store
//! keeps, and what the synthetic data generator produces. A case is identified by its
//! `case_number`: the normalized 案号 for Chinese cases, the CNR (`cino`) for eCourts cases.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::court::CourtLevel;
use crate::time_limit::{
    AppealObject, CaseFacts, Deduction, Extension, LimitSpan, Procedure, ProcedureChange,
};
use crate::type_code::TypeCode;

/// An amount of money in fen (分, 0.01 yuan), exact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Money(pub i64);

impl Money {
    pub fn from_yuan_cents(fen: i64) -> Money {
        Money(fen)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn yuan(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Parse the amount spellings of the exchange format: `1234.5`, `1,234.50`, `12.5万元`,
    /// `1234元`, `￥1,234`. At most two decimals of yuan (four for 万元). Negative amounts are
    /// returned as negative: the caller decides whether they are allowed.
    pub fn parse(text: &str) -> Result<Money, String> {
        let raw = text.trim();
        let mut s: String = raw
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' ' | '￥' | '¥'))
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
                '．' => '.',
                '－' => '-',
                other => other,
            })
            .collect();
        let mut scale_wan = false;
        if let Some(stripped) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')) {
            s = stripped.to_owned();
            scale_wan = true;
        } else if let Some(stripped) = s.strip_suffix('元') {
            s = stripped.to_owned();
        }
        let bad = || format!("'{raw}' is not an amount (expected 1234.50, 1,234.50 or 12.5万元)");
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        if int_part.is_empty() && frac_part.is_empty()
            || !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let max_frac = if scale_wan { 6 } else { 2 };
        if frac_part.len() > max_frac {
            return Err(format!("'{raw}' has more decimals than fen allow"));
        }
        let int: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| bad())?
        };
        let mut frac: i64 = if frac_part.is_empty() {
            0
        } else {
            frac_part.parse().unwrap()
        };
        frac *= 10i64.pow((max_frac - frac_part.len()) as u32);
        let fen = if scale_wan {
            // 1万元 = 1,000,000 fen; six decimals of 万 are whole fen.
            int.checked_mul(1_000_000).and_then(|v| v.checked_add(frac))
        } else {
            int.checked_mul(100).and_then(|v| v.checked_add(frac))
        }
        .ok_or_else(|| format!("'{raw}' is too large"))?;
        Ok(Money(if negative { -fen } else { fen }))
    }
}

impl fmt::Display for Money {
    /// Yuan with two decimals: `1234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

/// How a case was closed (结案方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosingMode {
    Judgment,
    Mediation,
    Withdrawal,
    DismissalOfSuit,
    NotAccepted,
    Transfer,
    Termination,
    Upheld,
    Amended,
    Remanded,
    EnforcementCompleted,
    EnforcementSettlement,
    TerminationOfThisRound,
    EnforcementTerminated,
    NonEnforcement,
    ApplicationRejected,
    Cancelled,
    Granted,
    Other,
}

impl ClosingMode {
    pub const ALL: [ClosingMode; 19] = [
        ClosingMode::Judgment,
        ClosingMode::Mediation,
        ClosingMode::Withdrawal,
        ClosingMode::DismissalOfSuit,
        ClosingMode::NotAccepted,
        ClosingMode::Transfer,
        ClosingMode::Termination,
        ClosingMode::Upheld,
        ClosingMode::Amended,
        ClosingMode::Remanded,
        ClosingMode::EnforcementCompleted,
        ClosingMode::EnforcementSettlement,
        ClosingMode::TerminationOfThisRound,
        ClosingMode::EnforcementTerminated,
        ClosingMode::NonEnforcement,
        ClosingMode::ApplicationRejected,
        ClosingMode::Cancelled,
        ClosingMode::Granted,
        ClosingMode::Other,
    ];

    /// The vocabulary of the exchange format.
    pub fn name_zh(self) -> &'static str {
        match self {
            ClosingMode::Judgment => "判决",
            ClosingMode::Mediation => "调解",
            ClosingMode::Withdrawal => "撤诉",
            ClosingMode::DismissalOfSuit => "驳回起诉",
            ClosingMode::NotAccepted => "不予受理",
            ClosingMode::Transfer => "移送",
            ClosingMode::Termination => "终结",
            ClosingMode::Upheld => "维持",
            ClosingMode::Amended => "改判",
            ClosingMode::Remanded => "发回重审",
            ClosingMode::EnforcementCompleted => "执行完毕",
            ClosingMode::EnforcementSettlement => "执行和解",
            ClosingMode::TerminationOfThisRound => "终结本次执行程序",
            ClosingMode::EnforcementTerminated => "终结执行",
            ClosingMode::NonEnforcement => "不予执行",
            ClosingMode::ApplicationRejected => "驳回申请",
            ClosingMode::Cancelled => "销案",
            ClosingMode::Granted => "准予",
            ClosingMode::Other => "其他",
        }
    }

    /// The vocabulary plus the common synonyms (维持原判 → 维持, 准许撤诉/撤回起诉/撤回上诉 → 撤诉,
    /// 终本 → 终结本次执行程序, 调解结案 → 调解) and the English ids.
    pub fn parse(text: &str) -> Option<ClosingMode> {
        let text = text.trim();
        let synonym = match text {
            "维持原判" | "驳回上诉，维持原判" | "驳回上诉维持原判" => {
                Some(ClosingMode::Upheld)
            }
            "准许撤诉" | "撤回起诉" | "撤回上诉" | "准予撤诉" | "按撤诉处理" => {
                Some(ClosingMode::Withdrawal)
            }
            "终本" => Some(ClosingMode::TerminationOfThisRound),
            "调解结案" | "调解书" => Some(ClosingMode::Mediation),
            "判决结案" => Some(ClosingMode::Judgment),
            _ => None,
        };
        synonym.or_else(|| {
            ClosingMode::ALL
                .into_iter()
                .find(|m| m.name_zh() == text || m.id() == text)
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            ClosingMode::Judgment => "judgment",
            ClosingMode::Mediation => "mediation",
            ClosingMode::Withdrawal => "withdrawal",
            ClosingMode::DismissalOfSuit => "dismissal_of_suit",
            ClosingMode::NotAccepted => "not_accepted",
            ClosingMode::Transfer => "transfer",
            ClosingMode::Termination => "termination",
            ClosingMode::Upheld => "upheld",
            ClosingMode::Amended => "amended",
            ClosingMode::Remanded => "remanded",
            ClosingMode::EnforcementCompleted => "enforcement_completed",
            ClosingMode::EnforcementSettlement => "enforcement_settlement",
            ClosingMode::TerminationOfThisRound => "termination_of_this_round",
            ClosingMode::EnforcementTerminated => "enforcement_terminated",
            ClosingMode::NonEnforcement => "non_enforcement",
            ClosingMode::ApplicationRejected => "application_rejected",
            ClosingMode::Cancelled => "cancelled",
            ClosingMode::Granted => "granted",
            ClosingMode::Other => "other",
        }
    }
}

/// A court as the court table and the store hold it. `code` is a Chinese court code (鲁0102) or,
/// for foreign layouts, the establishment code (HRGR01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourtRecord {
    pub code: String,
    pub name: String,
    pub level: CourtLevel,
    pub parent_code: Option<String>,
}

/// A case as imported and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    /// Normalized 案号, or the foreign case id (eCourts CNR).
    pub case_number: String,
    /// The court code inside the case number, or the foreign establishment code.
    pub court_code: String,
    /// `None` for cases without a Chinese type code (foreign layouts).
    pub type_code: Option<TypeCode>,
    /// The foreign layout's case type (eCourts `type_name`).
    pub type_name: Option<String>,
    pub procedure: Option<Procedure>,
    pub cause: Option<String>,
    pub received_date: Option<NaiveDate>,
    pub filed_date: NaiveDate,
    pub division: Option<String>,
    pub judge: Option<String>,
    pub closed_date: Option<NaiveDate>,
    pub closing_mode: Option<ClosingMode>,
    /// The foreign layout's disposal text (eCourts `disp_name`), kept as written.
    pub disposal: Option<String>,
    pub claim_amount: Option<Money>,
    pub recovered_amount: Option<Money>,
    pub origin_case_number: Option<String>,
    pub foreign_related: bool,
    pub longer_limit: bool,
    pub appeal_object: AppealObject,
}

/// The kind of a case event (事件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 延长审限
    Extension,
    /// 扣除审限
    Deduction,
    /// 上诉
    Appeal,
    /// 申请再审
    RetrialApplication,
    /// 转换程序
    ProcedureChange,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Extension,
        EventKind::Deduction,
        EventKind::Appeal,
        EventKind::RetrialApplication,
        EventKind::ProcedureChange,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            EventKind::Extension => "延长审限",
            EventKind::Deduction => "扣除审限",
            EventKind::Appeal => "上诉",
            EventKind::RetrialApplication => "申请再审",
            EventKind::ProcedureChange => "转换程序",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            EventKind::Extension => "extension",
            EventKind::Deduction => "deduction",
            EventKind::Appeal => "appeal",
            EventKind::RetrialApplication => "retrial_application",
            EventKind::ProcedureChange => "procedure_change",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        let text = text.trim();
        match text {
            "延长" | "审限延长" => return Some(EventKind::Extension),
            "扣除" | "审限扣除" => return Some(EventKind::Deduction),
            "程序转换" => return Some(EventKind::ProcedureChange),
            _ => {}
        }
        EventKind::ALL
            .into_iter()
            .find(|k| k.name_zh() == text || k.id() == text)
    }
}

/// An event of a case. `reason` is the deduction reason, or for 转换程序 the new procedure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventRecord {
    pub case_number: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub months: Option<u32>,
    pub days: Option<u32>,
    pub reason: Option<String>,
}

impl EventRecord {
    /// The order every store lists events in: by case number, date, kind id, then the optional
    /// fields with the empty ones first (`ORDER BY … NULLS FIRST` on PostgreSQL).
    pub fn store_order(&self, other: &EventRecord) -> std::cmp::Ordering {
        (&self.case_number, self.date, self.kind.id(), self.end_date)
            .cmp(&(
                &other.case_number,
                other.date,
                other.kind.id(),
                other.end_date,
            ))
            .then_with(|| {
                (self.months, self.days, &self.reason).cmp(&(
                    other.months,
                    other.days,
                    &other.reason,
                ))
            })
    }
}

impl CaseRecord {
    /// The facts the time-limit engine needs, from this case and its events.
    pub fn facts<'a>(&self, events: impl IntoIterator<Item = &'a EventRecord>) -> CaseFacts {
        let mut facts = CaseFacts::new(
            self.type_code.and_then(TypeCode::time_limit_rule),
            self.filed_date,
        );
        facts.procedure = self.procedure;
        facts.foreign_related = self.foreign_related;
        facts.longer_limit = self.longer_limit;
        facts.appeal_object = self.appeal_object;
        facts.closed = self.closed_date;
        for event in events {
            match event.kind {
                EventKind::Extension => facts.extensions.push(Extension {
                    approved: event.date,
                    span: LimitSpan::new(event.months.unwrap_or(0), event.days.unwrap_or(0)),
                }),
                EventKind::Deduction => facts.deductions.push(Deduction {
                    start: event.date,
                    end: event.end_date,
                }),
                EventKind::ProcedureChange => {
                    if let Some(to) = event.reason.as_deref().and_then(Procedure::parse) {
                        facts.procedure_changes.push(ProcedureChange {
                            decided: event.date,
                            to,
                        });
                    }
                }
                EventKind::Appeal | EventKind::RetrialApplication => {}
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_in_the_spellings_offices_write() {
        assert_eq!(Money::parse("1234.5"), Ok(Money(123_450)));
        assert_eq!(Money::parse("1,234.50"), Ok(Money(123_450)));
        assert_eq!(Money::parse("12.5万元"), Ok(Money(12_500_000)));
        assert_eq!(Money::parse("12.5万"), Ok(Money(12_500_000)));
        assert_eq!(Money::parse("3万元"), Ok(Money(3_000_000)));
        assert_eq!(Money::parse("1234元"), Ok(Money(123_400)));
        assert_eq!(Money::parse("￥1,234"), Ok(Money(123_400)));
        assert_eq!(Money::parse("0.01"), Ok(Money(1)));
        assert_eq!(Money::parse("-5"), Ok(Money(-500)));
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("abc").is_err());
        assert!(Money::parse("").is_err());
        assert!(Money::parse("1.2.3").is_err());
        assert_eq!(Money(123_450).to_string(), "1234.50");
        assert_eq!(Money(-5).to_string(), "-0.05");
    }

    #[test]
    fn closing_modes_map_their_synonyms() {
        assert_eq!(ClosingMode::parse("维持原判"), Some(ClosingMode::Upheld));
        assert_eq!(
            ClosingMode::parse("准许撤诉"),
            Some(ClosingMode::Withdrawal)
        );
        assert_eq!(
            ClosingMode::parse("撤回起诉"),
            Some(ClosingMode::Withdrawal)
        );
        assert_eq!(
            ClosingMode::parse("撤回上诉"),
            Some(ClosingMode::Withdrawal)
        );
        assert_eq!(
            ClosingMode::parse("终本"),
            Some(ClosingMode::TerminationOfThisRound)
        );
        assert_eq!(ClosingMode::parse("调解结案"), Some(ClosingMode::Mediation));
        for mode in ClosingMode::ALL {
            assert_eq!(ClosingMode::parse(mode.name_zh()), Some(mode));
            assert_eq!(ClosingMode::parse(mode.id()), Some(mode));
        }
        assert_eq!(ClosingMode::parse("胜诉"), None);
    }

    #[test]
    fn event_kinds_parse() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.name_zh()), Some(kind));
        }
        assert_eq!(EventKind::parse("开庭"), None);
    }
}
