//! Judicial suggestions (司法建议), `workflows.md` §3.1-3.2, after 最高人民法院《关于加强司法建议
//! 工作的规定》 (2023, "建议规定"): drafted, reviewed by the 审判委员会 (art. 7 ¶1), signed by the
//! president (art. 7 ¶2), issued, served, replied to within the period the court sets (art. 8,
//! "一般不超过两个月").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 类别 (建议规定 art. 1; others art. 12).
pub const KINDS: [&str; 2] = ["综合治理类", "其他"];
/// 单位类型 of the recipient.
pub const RECIPIENT_TYPES: [&str; 7] = [
    "党政机关",
    "行政机关",
    "行业监管机构",
    "行业协会",
    "企事业单位",
    "基层组织",
    "其他",
];
/// The default `suggestions.topics` (seed 000).
pub const DEFAULT_TOPICS: [&str; 10] = [
    "未成年人保护",
    "物业纠纷",
    "行政执法规范化",
    "金融风险",
    "劳动用工",
    "安全生产",
    "生态环境",
    "知识产权",
    "营商环境",
    "其他",
];
/// 采纳情况.
pub const ADOPTIONS: [&str; 3] = ["采纳", "部分采纳", "未采纳"];
/// The reply period when none is set (建议规定 art. 8: 一般不超过两个月).
pub const DEFAULT_REPLY_MONTHS: u32 = 2;

/// A 司法建议书编号 normalized: `法建〔YYYY〕N号` or `地名简称法建〔YYYY〕N号`, the brackets
/// （）, (), [] or 〔〕 written 〔〕, N without leading zeros (建议规定 art. 6 ¶2, annex 1 §二).
pub fn normalize_number(text: &str) -> Result<String, String> {
    let text: String = text.split_whitespace().collect();
    let bad =
        || format!("建议书编号“{text}”格式不对（应为 法建〔2023〕8号 或 地名简称法建〔2023〕8号）");
    let at = text.find("法建").ok_or_else(bad)?;
    let (prefix, rest) = (&text[..at], &text[at + "法建".len()..]);
    if prefix
        .chars()
        .any(|c| c.is_ascii() || c.is_ascii_punctuation())
    {
        return Err(bad());
    }
    let mut chars = rest.chars();
    let open = chars.next().ok_or_else(bad)?;
    if !matches!(open, '〔' | '（' | '(' | '[' | '［' | '【') {
        return Err(bad());
    }
    let rest = chars.as_str();
    let year: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if year.len() != 4 {
        return Err(bad());
    }
    let mut after = rest[4..].chars();
    let close = after.next().ok_or_else(bad)?;
    if !matches!(close, '〕' | '）' | ')' | ']' | '］' | '】') {
        return Err(bad());
    }
    let tail = after.as_str();
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || &tail[digits.len()..] != "号" {
        return Err(bad());
    }
    let n: u32 = digits.parse().map_err(|_| bad())?;
    if n == 0 {
        return Err(format!("建议书编号“{text}”的序号应为正整数"));
    }
    Ok(format!("{prefix}法建〔{year}〕{n}号"))
}

/// 司法建议.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Normalized by [`normalize_number`].
    pub suggestion_no: String,
    pub court_code: String,
    /// One of [`KINDS`] (default 综合治理类).
    pub kind: String,
    pub title: String,
    /// 被建议单位 (full name, art. 3).
    pub recipient: String,
    /// One of [`RECIPIENT_TYPES`].
    pub recipient_type: String,
    /// One of the configured topics.
    pub topic: String,
    /// The "一月一题" month, `YYYY-MM`.
    pub monthly_topic: Option<String>,
    pub cause: Option<String>,
    /// The cases that revealed the problem (normalized).
    pub case_numbers: Vec<String>,
    /// 抄送 (art. 9).
    pub cc: Option<String>,
    pub drafted_date: Option<NaiveDate>,
    /// 审判委员会审议 (art. 7 ¶1).
    pub committee_date: Option<NaiveDate>,
    /// 院长签发 (art. 7 ¶2).
    pub signed_date: Option<NaiveDate>,
    pub issued_date: Option<NaiveDate>,
    pub served_date: Option<NaiveDate>,
    /// The reply period in months (default 2, art. 8).
    pub reply_months: u32,
    /// The law that allows more than two months (art. 8).
    pub reply_basis: Option<String>,
    pub reply_date: Option<NaiveDate>,
    /// One of [`ADOPTIONS`].
    pub adoption: Option<String>,
    pub implemented: bool,
    /// 获上级肯定/批示.
    pub praised: bool,
    /// 撤回 (only before issue).
    pub withdrawn_date: Option<NaiveDate>,
    /// The letter's body (建议规定 annex 1 §三, annex 2): the importance of the field and what
    /// the recipient has done.
    #[serde(default)]
    pub background: Option<String>,
    /// The problems found in trial or enforcement work.
    #[serde(default)]
    pub findings: Option<String>,
    /// The suggestions, one per problem (one per line, or separated by ；).
    #[serde(default)]
    pub proposals: Option<String>,
    /// 联系人 and telephone (annex 1 §四).
    #[serde(default)]
    pub contact: Option<String>,
    /// 附件: the documents attached, one per line or separated by ；.
    #[serde(default)]
    pub annexes: Option<String>,
}

impl Suggestion {
    /// A new drafted suggestion with nothing else known.
    pub fn drafted(no: &str, court: &str, title: &str, recipient: &str, topic: &str) -> Suggestion {
        Suggestion {
            suggestion_no: no.to_owned(),
            court_code: court.to_owned(),
            kind: KINDS[0].to_owned(),
            title: title.to_owned(),
            recipient: recipient.to_owned(),
            recipient_type: "行政机关".to_owned(),
            topic: topic.to_owned(),
            monthly_topic: None,
            cause: None,
            case_numbers: Vec::new(),
            cc: None,
            drafted_date: None,
            committee_date: None,
            signed_date: None,
            issued_date: None,
            served_date: None,
            reply_months: DEFAULT_REPLY_MONTHS,
            reply_basis: None,
            reply_date: None,
            adoption: None,
            implemented: false,
            praised: false,
            withdrawn_date: None,
            background: None,
            findings: None,
            proposals: None,
            contact: None,
            annexes: None,
        }
    }

    /// The registration date (§0.1): the earliest of its dates.
    pub fn registered(&self) -> Option<NaiveDate> {
        [
            self.drafted_date,
            self.committee_date,
            self.signed_date,
            self.issued_date,
            self.served_date,
            self.reply_date,
            self.withdrawn_date,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn known(d: Option<NaiveDate>, as_of: NaiveDate) -> Option<NaiveDate> {
        d.filter(|d| *d <= as_of)
    }

    pub fn issued_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        Self::known(self.issued_date, as_of)
    }

    pub fn replied_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        Self::known(self.reply_date, as_of)
    }

    pub fn served_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        Self::known(self.served_date, as_of)
    }
}

/// The state of a suggestion (§3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Drafted,
    Approved,
    Signed,
    Issued,
    Replied,
    Withdrawn,
}

impl State {
    pub fn id(self) -> &'static str {
        match self {
            State::Drafted => "drafted",
            State::Approved => "approved",
            State::Signed => "signed",
            State::Issued => "issued",
            State::Replied => "replied",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            State::Drafted => "起草",
            State::Approved => "待签发",
            State::Signed => "已签发",
            State::Issued => "待答复",
            State::Replied => "已答复",
            State::Withdrawn => "撤回",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [
            State::Drafted,
            State::Approved,
            State::Signed,
            State::Issued,
            State::Replied,
            State::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.id() == text)
    }
}

/// The state at `as_of`, from the dates (§3.2 "Import derivation").
pub fn state_at(s: &Suggestion, as_of: NaiveDate) -> State {
    let known = |d: Option<NaiveDate>| d.is_some_and(|d| d <= as_of);
    if known(s.withdrawn_date) {
        State::Withdrawn
    } else if known(s.reply_date) {
        State::Replied
    } else if known(s.issued_date) {
        State::Issued
    } else if known(s.signed_date) {
        State::Signed
    } else if known(s.committee_date) {
        State::Approved
    } else {
        State::Drafted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalized_to_the_official_brackets() {
        for (written, normal) in [
            ("法建〔2023〕8号", "法建〔2023〕8号"),
            ("法建(2023)8号", "法建〔2023〕8号"),
            ("芜法建（2023）08号", "芜法建〔2023〕8号"),
            ("镜法建[2024]12号", "镜法建〔2024〕12号"),
            (" 镜法建 〔2024〕 12号 ", "镜法建〔2024〕12号"),
        ] {
            assert_eq!(
                normalize_number(written).as_deref(),
                Ok(normal),
                "{written}"
            );
        }
        for bad in [
            "法建2023-8",
            "法建〔23〕8号",
            "法建〔2023〕号",
            "法建〔2023〕0号",
            "X法建〔2023〕8号",
            "法建〔2023〕8",
        ] {
            assert!(normalize_number(bad).is_err(), "{bad}");
        }
    }
}
