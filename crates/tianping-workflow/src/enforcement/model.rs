//! The records of enforcement (`workflows.md` §5.1) and the seven conditions of a 终本 case.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tianping_domain::Money;
use tianping_domain::dates::add_months;

/// 纳入失信 on the checklist (C2).
pub const DISHONEST_CHOICES: [&str; 2] = ["已纳入", "不符合条件"];
/// 财产线索 (C3).
pub const CLUE_CHOICES: [&str; 2] = ["已核查", "无线索"];
/// 下落查找 (C5).
pub const WHEREABOUTS_CHOICES: [&str; 2] = ["已查找", "不适用"];
/// 强制措施 (C5).
pub const SANCTION_CHOICES: [&str; 2] = ["已采取", "不适用"];
/// 审批方式 (C7, 民诉解释 art. 517 ¶1).
pub const APPROVALS: [&str; 2] = ["申请执行人签字确认", "合议庭审查院长批准"];
/// 核查结论.
pub const VERDICTS: [&str; 2] = ["合格", "不合格"];

/// 终本核查: the checklist of one case closed by 终结本次执行程序, keyed by its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationCheck {
    pub case_number: String,
    pub court_code: String,
    /// 执行通知 (C1, art. 2).
    pub notice_date: Option<NaiveDate>,
    /// 报告财产令 (C1, art. 2).
    pub report_order_date: Option<NaiveDate>,
    /// The report was checked (C1, art. 2(2)).
    pub report_verified: bool,
    /// 限制消费令 (C2).
    pub consumption_ban_date: Option<NaiveDate>,
    /// One of [`DISHONEST_CHOICES`] (C2).
    pub dishonest: Option<String>,
    /// 网络执行查控 (C3, art. 3).
    pub network_search_date: Option<NaiveDate>,
    /// One of [`CLUE_CHOICES`] (C3).
    pub clues: Option<String>,
    /// One of [`WHEREABOUTS_CHOICES`] (C5).
    pub whereabouts: Option<String>,
    /// One of [`SANCTION_CHOICES`] (C5).
    pub sanctions: Option<String>,
    /// 告知申请执行人并听取意见 (C6, art. 5).
    pub applicant_informed_date: Option<NaiveDate>,
    /// One of [`APPROVALS`] (C7).
    pub approval: Option<String>,
    pub check_date: Option<NaiveDate>,
    pub checker: Option<String>,
    /// One of [`VERDICTS`].
    pub verdict: Option<String>,
    pub flaws: Option<String>,
}

/// What the conditions need of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminatedCase {
    pub filed_date: NaiveDate,
    pub closed_date: NaiveDate,
}

/// One condition of 终本规定 art. 1 (and arts. 2, 3, 5; 民诉解释 art. 517) on a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `C1` … `C7`.
    pub id: &'static str,
    pub name_zh: &'static str,
    pub source: &'static str,
    pub met: bool,
    /// Why it is not met (empty when it is).
    pub missing: String,
}

/// The seven conditions of `check` on `case`, in order.
pub fn conditions(check: &TerminationCheck, case: TerminatedCase) -> [Condition; 7] {
    let mut missing: Vec<&str>;
    let make = |id, name_zh, source, parts: Vec<&str>| Condition {
        id,
        name_zh,
        source,
        met: parts.is_empty(),
        missing: parts.join("、"),
    };
    missing = Vec::new();
    if check.notice_date.is_none() {
        missing.push("执行通知");
    }
    if check.report_order_date.is_none() {
        missing.push("报告财产令");
    }
    if !check.report_verified {
        missing.push("财产报告核查");
    }
    let c1 = make(
        "C1",
        "已发出执行通知、责令报告财产并核查",
        "终本规定第一条第（一）项、第二条",
        missing,
    );
    missing = Vec::new();
    if check.consumption_ban_date.is_none() {
        missing.push("限制消费令");
    }
    if check.dishonest.is_none() {
        missing.push("纳入失信名单（或不符合条件）");
    }
    let c2 = make(
        "C2",
        "已限制消费，符合条件的已纳入失信名单",
        "终本规定第一条第（二）项",
        missing,
    );
    missing = Vec::new();
    if check.network_search_date.is_none() {
        missing.push("网络执行查控");
    }
    if check.clues.is_none() {
        missing.push("财产线索核查");
    }
    let c3 = make(
        "C3",
        "已穷尽财产调查措施",
        "终本规定第一条第（三）项、第三条",
        missing,
    );
    // 自执行案件立案之日起已超过三个月: closed after the day three months on.
    let three_months = add_months(case.filed_date, 3);
    let c4 = make(
        "C4",
        "自立案之日起已超过三个月",
        "终本规定第一条第（四）项",
        if case.closed_date > three_months {
            Vec::new()
        } else {
            vec!["立案未满三个月"]
        },
    );
    missing = Vec::new();
    if check.whereabouts.is_none() {
        missing.push("下落不明的依法查找");
    }
    if check.sanctions.is_none() {
        missing.push("妨害执行的强制措施");
    }
    let c5 = make(
        "C5",
        "下落不明的已查找，妨害执行的已采取强制措施",
        "终本规定第一条第（五）项",
        missing,
    );
    let c6 = make(
        "C6",
        "已告知申请执行人并听取意见",
        "终本规定第五条",
        if check.applicant_informed_date.is_some() {
            Vec::new()
        } else {
            vec!["告知申请执行人"]
        },
    );
    let c7 = make(
        "C7",
        "申请执行人签字确认或合议庭审查院长批准",
        "民诉解释第五百一十七条第一款",
        if check.approval.is_some() {
            Vec::new()
        } else {
            vec!["审批"]
        },
    );
    [c1, c2, c3, c4, c5, c6, c7]
}

impl TerminationCheck {
    /// C1 ∧ … ∧ C7.
    pub fn auto_qualified(&self, case: TerminatedCase) -> bool {
        conditions(self, case).iter().all(|c| c.met)
    }

    /// Whether the reviewer's verdict differs from the conditions (a 合格 with a condition
    /// missing, or a 不合格 with all met); `None` without a verdict.
    pub fn disagrees(&self, case: TerminatedCase) -> Option<bool> {
        let expected = if self.auto_qualified(case) {
            "合格"
        } else {
            "不合格"
        };
        self.verdict.as_deref().map(|v| v != expected)
    }
}

/// 终本后查控: one search of a 终本 case's assets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostTerminationSearch {
    pub case_number: String,
    pub court_code: String,
    pub date: NaiveDate,
    pub found: bool,
}

/// 失信情形 of 失信规定 art. 1.
pub const GROUNDS: [&str; 6] = [
    "有履行能力而拒不履行生效法律文书确定义务",
    "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    "违反财产报告制度",
    "违反限制消费令",
    "无正当理由拒不履行执行和解协议",
];

/// 主体类型 (失信规定 art. 6).
pub const PERSON_TYPES: [&str; 3] = ["自然人", "法人", "非法人组织"];

/// 删除原因 with their source.
pub const REMOVAL_REASONS: [(&str, &str); 10] = [
    ("履行完毕", "失信规定第十条第一款第（一）项"),
    ("和解履行完毕", "失信规定第十条第一款第（二）项"),
    ("申请执行人申请删除", "失信规定第十条第一款第（三）项"),
    ("终本后两次查询无财产", "失信规定第十条第一款第（四）项"),
    ("中止执行", "失信规定第十条第一款第（五）项"),
    ("不予执行", "失信规定第十条第一款第（六）项"),
    ("终结执行", "失信规定第十条第一款第（七）项"),
    ("期限届满", "失信规定第十条第二款"),
    ("提前删除", "失信规定第二条第二款"),
    ("撤销", "失信规定第九条、第十二条"),
];

/// The removals that are credit repair (信用修复).
pub const REPAIR_REASONS: [&str; 4] =
    ["履行完毕", "和解履行完毕", "申请执行人申请删除", "提前删除"];

/// 失信被执行人名单 entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DishonestListing {
    pub listing_id: String,
    pub case_number: String,
    pub court_code: String,
    pub person_name: String,
    pub person_id: String,
    /// One of [`PERSON_TYPES`].
    pub person_type: String,
    pub minor: bool,
    /// The grounds of art. 1, 1-6.
    pub grounds: Vec<u8>,
    pub applied_date: Option<NaiveDate>,
    pub decided_date: NaiveDate,
    /// 12-36 (art. 2 ¶1).
    pub term_extension_months: Option<u32>,
    pub condition_date: Option<NaiveDate>,
    pub correction_applied_date: Option<NaiveDate>,
    pub correction_decided_date: Option<NaiveDate>,
    pub removal_date: Option<NaiveDate>,
    /// One of [`REMOVAL_REASONS`].
    pub removal_reason: Option<String>,
}

impl DishonestListing {
    /// 24 months when a ground of 2-6 is among the grounds (art. 2 ¶1); none for ground 1 alone.
    pub fn term_months(&self) -> Option<u32> {
        self.grounds
            .iter()
            .any(|g| (2..=6).contains(g))
            .then_some(24)
    }

    /// The day the term ends: `add_months(decided_date, term + extension)`.
    pub fn term_end(&self) -> Option<NaiveDate> {
        self.term_months().map(|t| {
            add_months(
                self.decided_date,
                t + self.term_extension_months.unwrap_or(0),
            )
        })
    }

    /// On the list on day `d`.
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.decided_date <= d && self.removal_date.is_none_or(|r| r > d)
    }

    /// A removal that is credit repair.
    pub fn is_repair(&self) -> bool {
        self.removal_reason
            .as_deref()
            .is_some_and(|r| REPAIR_REASONS.contains(&r))
    }
}

/// 集中执行行动.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnforcementAction {
    pub action_id: String,
    pub court_code: String,
    pub date: NaiveDate,
    pub title: String,
    pub case_count: u64,
    #[serde(with = "crate::core::yuan")]
    pub recovered_amount: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn full_check() -> TerminationCheck {
        TerminationCheck {
            case_number: "（2023）皖0202执100号".into(),
            court_code: "皖0202".into(),
            notice_date: Some(d("2023-01-12")),
            report_order_date: Some(d("2023-01-12")),
            report_verified: true,
            consumption_ban_date: Some(d("2023-01-20")),
            dishonest: Some("已纳入".into()),
            network_search_date: Some(d("2023-01-15")),
            clues: Some("无线索".into()),
            whereabouts: Some("不适用".into()),
            sanctions: Some("不适用".into()),
            applicant_informed_date: Some(d("2023-04-01")),
            approval: Some("申请执行人签字确认".into()),
            check_date: Some(d("2023-05-10")),
            checker: Some("审管办".into()),
            verdict: Some("合格".into()),
            flaws: None,
        }
    }

    /// §5.1 C4: filed 2023-01-10 → a 终本 on or after 2023-04-11 passes; 2023-04-10 fails.
    #[test]
    fn three_months_from_filing_is_the_fourth_condition() {
        let check = full_check();
        let on = |closed| TerminatedCase {
            filed_date: d("2023-01-10"),
            closed_date: d(closed),
        };
        assert!(conditions(&check, on("2023-04-11"))[3].met);
        let early = conditions(&check, on("2023-04-10"));
        assert!(!early[3].met);
        assert_eq!(early[3].missing, "立案未满三个月");
        assert!(check.auto_qualified(on("2023-04-11")));
        assert_eq!(check.disagrees(on("2023-04-11")), Some(false));
        // The reviewer said 合格 though C4 fails: they disagree.
        assert_eq!(check.disagrees(on("2023-04-10")), Some(true));
    }

    #[test]
    fn a_missing_item_fails_its_condition_and_is_named() {
        let case = TerminatedCase {
            filed_date: d("2023-01-10"),
            closed_date: d("2023-05-01"),
        };
        let mut check = full_check();
        check.report_verified = false;
        check.applicant_informed_date = None;
        let c = conditions(&check, case);
        let failed: Vec<&str> = c.iter().filter(|c| !c.met).map(|c| c.id).collect();
        assert_eq!(failed, ["C1", "C6"]);
        assert_eq!(c[0].missing, "财产报告核查");
        assert!(!check.auto_qualified(case));
        assert_eq!(check.disagrees(case), Some(true));
        check.verdict = None;
        assert_eq!(check.disagrees(case), None);
    }

    #[test]
    fn the_term_follows_the_grounds_and_a_listing_is_active_until_removed() {
        let mut l = DishonestListing {
            listing_id: "SX1".into(),
            case_number: "（2021）皖0202执1号".into(),
            court_code: "皖0202".into(),
            person_name: "某公司".into(),
            person_id: "91340200MA2N000000".into(),
            person_type: "法人".into(),
            minor: false,
            grounds: vec![1],
            applied_date: None,
            decided_date: d("2022-03-10"),
            term_extension_months: None,
            condition_date: None,
            correction_applied_date: None,
            correction_decided_date: None,
            removal_date: None,
            removal_reason: None,
        };
        assert_eq!(l.term_months(), None);
        l.grounds = vec![1, 5];
        assert_eq!(l.term_end(), Some(d("2024-03-10")));
        l.term_extension_months = Some(12);
        assert_eq!(l.term_end(), Some(d("2025-03-10")));
        assert!(l.active_on(d("2022-03-10")) && !l.active_on(d("2022-03-09")));
        l.removal_date = Some(d("2023-01-05"));
        l.removal_reason = Some("履行完毕".into());
        assert!(l.active_on(d("2023-01-04")) && !l.active_on(d("2023-01-05")));
        assert!(l.is_repair());
    }
}
