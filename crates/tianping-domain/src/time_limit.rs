//! Statutory time limits (审限) and the deadline of a case (审限届满日).
//!
//! The computation follows the project specification `time-limits.md`, which fixes the semantics of
//! CPL art. 85, Civil Code arts. 201-203 and the 2000 SPC rules on trial time limits
//! (art. 8: the limit runs from the day after filing; art. 9: deductions):
//! 1. limit = months + days; base limit plus every extension dated on or before the cut-off
//!    (the closing date, or the as-of date while pending);
//! 2. `add_months(filed, M)` clamped to the month end, then `+ D` days;
//! 3. plus deducted days (merged inclusive intervals, only days after filing up to the cut-off);
//! 4. roll a rest day forward to the next working day (a deployment setting, on by default);
//! 5. 简易→普通 (civil): the new limit counts from the original filing date; criminal: from the day
//!    of the change decision.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::HolidayCalendar;
use crate::dates::{add_days, add_months, days_between};

/// The time-limit rule of a type code (`time_limit_rule` in the type-code table).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitRule {
    CivilFirst,
    CivilSecond,
    CivilSpecial,
    CivilRetrialReview,
    CivilRetrial,
    CriminalFirst,
    CriminalSecond,
    CriminalRetrial,
    AdminFirst,
    AdminSecond,
    AdminRetrial,
    Enforcement,
    PreLitigationMediation,
    /// 执行异议 (执异): CPL arts. 236, 238.
    EnforcementObjection,
    /// 执行复议 (执复): 执行程序解释 art. 8.
    EnforcementReconsideration,
}

impl LimitRule {
    pub const ALL: [LimitRule; 15] = [
        LimitRule::CivilFirst,
        LimitRule::CivilSecond,
        LimitRule::CivilSpecial,
        LimitRule::CivilRetrialReview,
        LimitRule::CivilRetrial,
        LimitRule::CriminalFirst,
        LimitRule::CriminalSecond,
        LimitRule::CriminalRetrial,
        LimitRule::AdminFirst,
        LimitRule::AdminSecond,
        LimitRule::AdminRetrial,
        LimitRule::Enforcement,
        LimitRule::PreLitigationMediation,
        LimitRule::EnforcementObjection,
        LimitRule::EnforcementReconsideration,
    ];

    pub fn id(self) -> &'static str {
        match self {
            LimitRule::CivilFirst => "civil_first",
            LimitRule::CivilSecond => "civil_second",
            LimitRule::CivilSpecial => "civil_special",
            LimitRule::CivilRetrialReview => "civil_retrial_review",
            LimitRule::CivilRetrial => "civil_retrial",
            LimitRule::CriminalFirst => "criminal_first",
            LimitRule::CriminalSecond => "criminal_second",
            LimitRule::CriminalRetrial => "criminal_retrial",
            LimitRule::AdminFirst => "admin_first",
            LimitRule::AdminSecond => "admin_second",
            LimitRule::AdminRetrial => "admin_retrial",
            LimitRule::Enforcement => "enforcement",
            LimitRule::PreLitigationMediation => "pre_litigation_mediation",
            LimitRule::EnforcementObjection => "enforcement_objection",
            LimitRule::EnforcementReconsideration => "enforcement_reconsideration",
        }
    }

    pub fn from_id(id: &str) -> Option<LimitRule> {
        LimitRule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The procedure a case follows when the data names none.
    pub fn default_procedure(self) -> Option<Procedure> {
        match self {
            LimitRule::CivilFirst | LimitRule::CriminalFirst | LimitRule::AdminFirst => {
                Some(Procedure::Ordinary)
            }
            LimitRule::CivilRetrial | LimitRule::AdminRetrial => Some(Procedure::FirstInstance),
            LimitRule::CivilSpecial => Some(Procedure::Special),
            _ => None,
        }
    }

    /// Whether `procedure` is one this rule knows. The importer refuses the others.
    pub fn accepts(self, procedure: Procedure) -> bool {
        use Procedure::*;
        match self {
            LimitRule::CivilFirst => matches!(procedure, Ordinary | Simple | SmallClaims),
            LimitRule::CriminalFirst => matches!(procedure, Ordinary | Simple | FastTrack),
            LimitRule::AdminFirst => matches!(procedure, Ordinary | Simple),
            LimitRule::CivilRetrial | LimitRule::AdminRetrial => {
                matches!(procedure, FirstInstance | SecondInstance)
            }
            LimitRule::CivilSpecial => procedure == Special,
            _ => false,
        }
    }

    /// Whether the limit counts from the day of a procedure-change decision rather than from
    /// filing. Criminal: yes (CrimPL interp.); civil and administrative: from the original filing
    /// date (2000 SPC rules art. 8).
    fn change_restarts_the_clock(self) -> bool {
        matches!(self, LimitRule::CriminalFirst)
    }
}

/// The procedure a case is tried under (适用程序).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// 普通程序
    Ordinary,
    /// 简易程序
    Simple,
    /// 小额诉讼程序
    SmallClaims,
    /// 速裁程序
    FastTrack,
    /// 特别程序
    Special,
    /// 一审程序 (a retrial tried under first-instance procedure)
    FirstInstance,
    /// 二审程序 (a retrial tried under second-instance procedure)
    SecondInstance,
}

impl Procedure {
    pub const ALL: [Procedure; 7] = [
        Procedure::Ordinary,
        Procedure::Simple,
        Procedure::SmallClaims,
        Procedure::FastTrack,
        Procedure::Special,
        Procedure::FirstInstance,
        Procedure::SecondInstance,
    ];

    /// The identifier used in JSON and in the database (`ordinary`, `simple`, …).
    pub fn id(self) -> &'static str {
        match self {
            Procedure::Ordinary => "ordinary",
            Procedure::Simple => "simple",
            Procedure::SmallClaims => "small_claims",
            Procedure::FastTrack => "fast_track",
            Procedure::Special => "special",
            Procedure::FirstInstance => "first_instance",
            Procedure::SecondInstance => "second_instance",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Procedure::Ordinary => "普通程序",
            Procedure::Simple => "简易程序",
            Procedure::SmallClaims => "小额诉讼程序",
            Procedure::FastTrack => "速裁程序",
            Procedure::Special => "特别程序",
            Procedure::FirstInstance => "一审程序",
            Procedure::SecondInstance => "二审程序",
        }
    }

    /// Reads the Chinese names of the exchange format, common short forms, and the English ids.
    pub fn parse(text: &str) -> Option<Procedure> {
        let text = text.trim();
        Procedure::ALL.into_iter().find(|p| {
            let zh = p.name_zh();
            text == zh
                || text == zh.trim_end_matches("程序")
                || text == zh.trim_end_matches("诉讼程序")
                || serde_json::to_value(p)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s == text))
                    == Some(true)
        })
    }
}

/// What a second-instance civil appeal is against (上诉对象).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealObject {
    /// 判决
    #[default]
    Judgment,
    /// 裁定
    Ruling,
}

impl AppealObject {
    pub fn id(self) -> &'static str {
        match self {
            AppealObject::Judgment => "judgment",
            AppealObject::Ruling => "ruling",
        }
    }

    /// 判决 / 裁定, or the English ids.
    pub fn parse(text: &str) -> Option<AppealObject> {
        match text.trim() {
            "判决" | "judgment" => Some(AppealObject::Judgment),
            "裁定" | "ruling" => Some(AppealObject::Ruling),
            _ => None,
        }
    }
}

/// The longest extension one imported event may carry, in months. The longest single approval
/// the statutes name is six months (CPL art. 152: 经本院院长批准，可以延长六个月); twelve leaves
/// room for an export that writes two approvals as one row. Anything longer is a typo, and
/// refused at import (an extension of 2,147,483,647 months once reached the date arithmetic).
pub const MAX_EXTENSION_MONTHS: u32 = 12;

/// The longest extension one imported event may carry, in days: a year, for the same reason.
pub const MAX_EXTENSION_DAYS: u32 = 366;

/// A length of time as the statutes write it: months plus days (一个半月 = 1 month + 15 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct LimitSpan {
    pub months: u32,
    pub days: u32,
}

impl LimitSpan {
    pub const fn months(months: u32) -> LimitSpan {
        LimitSpan { months, days: 0 }
    }

    pub const fn days(days: u32) -> LimitSpan {
        LimitSpan { months: 0, days }
    }

    pub const fn new(months: u32, days: u32) -> LimitSpan {
        LimitSpan { months, days }
    }

    /// Month parts add up, day parts add up (saturating: a span beyond any calendar stays the
    /// longest span, whose end [`add_months`] saturates at the calendar's last day).
    pub fn plus(self, other: LimitSpan) -> LimitSpan {
        LimitSpan {
            months: self.months.saturating_add(other.months),
            days: self.days.saturating_add(other.days),
        }
    }

    /// The end of the span counted from `start` (day 1 is the day after `start`).
    pub fn end_from(self, start: NaiveDate) -> NaiveDate {
        add_days(add_months(start, self.months), i64::from(self.days))
    }

    /// `6个月`, `30日`, `1个月15日`.
    pub fn to_zh(self) -> String {
        match (self.months, self.days) {
            (0, d) => format!("{d}日"),
            (m, 0) => format!("{m}个月"),
            (m, d) => format!("{m}个月{d}日"),
        }
    }
}

/// An approved extension of the limit (延长审限), counted from its approval date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub approved: NaiveDate,
    pub span: LimitSpan,
}

/// A deduction (审限扣除), inclusive; `end: None` while it still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A change of procedure (程序转换), e.g. 简易→普通, decided on `decided`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureChange {
    pub decided: NaiveDate,
    pub to: Procedure,
}

/// The facts of a case that its deadline depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub rule: Option<LimitRule>,
    pub procedure: Option<Procedure>,
    pub foreign_related: bool,
    /// 适用较长审限: criminal summary (可能判处三年以上) and fast-track (一年以上) cases.
    pub longer_limit: bool,
    pub appeal_object: AppealObject,
    pub filed: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub extensions: Vec<Extension>,
    pub deductions: Vec<Deduction>,
    pub procedure_changes: Vec<ProcedureChange>,
}

impl CaseFacts {
    /// A case with no procedure, flags or events yet.
    pub fn new(rule: Option<LimitRule>, filed: NaiveDate) -> CaseFacts {
        CaseFacts {
            rule,
            procedure: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
            filed,
            closed: None,
            extensions: Vec::new(),
            deductions: Vec::new(),
            procedure_changes: Vec::new(),
        }
    }
}

/// Deployment settings of the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitSettings {
    /// Move a deadline that falls on a rest day to the next working day.
    pub holiday_rollover: bool,
    /// 临近审限: days before the deadline. 15 days: an extension must be requested 15 days
    /// before expiry (2019 SPC rules on extensions, art. 1).
    pub due_soon_days: i64,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            holiday_rollover: true,
            due_soon_days: 15,
        }
    }
}

/// Why a case has no deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoLimitReason {
    /// The type code carries no time limit.
    NoRule,
    /// CPL art. 287: foreign-related civil cases are not bound by arts. 152 and 183.
    ForeignRelated,
}

/// The base limit of a rule under a procedure, with its legal source.
pub fn base_limit(
    rule: LimitRule,
    procedure: Procedure,
    longer_limit: bool,
    appeal_object: AppealObject,
) -> (LimitSpan, &'static str) {
    use LimitRule::*;
    use Procedure::*;
    match (rule, procedure) {
        (CivilFirst, Simple) => (LimitSpan::months(3), "民事诉讼法第164条"),
        (CivilFirst, SmallClaims) => (LimitSpan::months(2), "民事诉讼法第168条"),
        (CivilFirst, _) => (LimitSpan::months(6), "民事诉讼法第152条"),
        (CivilSecond, _) if appeal_object == AppealObject::Ruling => {
            (LimitSpan::days(30), "民事诉讼法第183条")
        }
        (CivilSecond, _) => (LimitSpan::months(3), "民事诉讼法第183条"),
        (CivilSpecial, _) => (LimitSpan::days(30), "民事诉讼法第187条"),
        (CivilRetrialReview, _) => (LimitSpan::months(3), "民事诉讼法第215条"),
        (CivilRetrial, SecondInstance) => (LimitSpan::months(3), "民诉法解释第128条"),
        (CivilRetrial, _) => (LimitSpan::months(6), "民诉法解释第128条"),
        // CrimPL 220: 20 days; 一个半月 where the sentence may exceed three years.
        (CriminalFirst, Simple) if longer_limit => (LimitSpan::new(1, 15), "刑事诉讼法第220条"),
        (CriminalFirst, Simple) => (LimitSpan::days(20), "刑事诉讼法第220条"),
        // CrimPL 225: 10 days; 15 days where the sentence may exceed one year.
        (CriminalFirst, FastTrack) if longer_limit => (LimitSpan::days(15), "刑事诉讼法第225条"),
        (CriminalFirst, FastTrack) => (LimitSpan::days(10), "刑事诉讼法第225条"),
        (CriminalFirst, _) => (LimitSpan::months(3), "刑事诉讼法第208条"),
        (CriminalSecond, _) => (LimitSpan::months(2), "刑事诉讼法第243条"),
        (CriminalRetrial, _) => (LimitSpan::months(3), "刑事诉讼法第258条"),
        (AdminFirst, Simple) => (LimitSpan::days(45), "行政诉讼法第83条"),
        (AdminFirst, _) => (LimitSpan::months(6), "行政诉讼法第81条"),
        (AdminSecond, _) => (LimitSpan::months(3), "行政诉讼法第88条"),
        (AdminRetrial, SecondInstance) => (LimitSpan::months(3), "行政诉讼法第88条"),
        (AdminRetrial, _) => (LimitSpan::months(6), "行政诉讼法第81条"),
        (Enforcement, _) => (LimitSpan::months(6), "2000年审限规定第5条"),
        (PreLitigationMediation, _) => (LimitSpan::days(30), "在线调解规则第24条"),
        // CPL arts. 236, 238: 自收到书面异议之日起十五日内审查 (the filing date is the receipt).
        (EnforcementObjection, _) => (LimitSpan::days(15), "民事诉讼法第236条、第238条"),
        // 执行程序解释 art. 8: 三十日内审查完毕; 院长 may extend by at most thirty days.
        (EnforcementReconsideration, _) => (LimitSpan::days(30), "执行程序解释第8条"),
    }
}

/// A computed deadline with every step that led to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub rule: LimitRule,
    pub procedure: Option<Procedure>,
    /// The day the limit counts from: the filing date, or for criminal cases whose procedure
    /// changed, the day of the change decision.
    pub start: NaiveDate,
    pub base: LimitSpan,
    pub source: &'static str,
    /// Extensions dated on or before the cut-off, in date order.
    pub extensions: Vec<Extension>,
    pub total: LimitSpan,
    /// Merged deductions, clipped to (start, cut-off].
    pub deductions: Vec<(NaiveDate, NaiveDate)>,
    pub deducted_days: i64,
    /// Before the holiday roll-over.
    pub normal_unrolled: NaiveDate,
    pub unrolled: NaiveDate,
    /// 正常审限届满日: without extensions.
    pub normal_deadline: NaiveDate,
    /// 审限届满日: with the extensions counted.
    pub deadline: NaiveDate,
    /// False when a day looked at for the roll-over lies in a year the calendar does not know
    /// (weekends only were used there).
    pub calendar_known: bool,
}

impl Deadline {
    pub fn extended(&self) -> bool {
        !self.extensions.is_empty()
    }
}

/// The deadline of a case, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    None(NoLimitReason),
    Some(Deadline),
}

impl Limit {
    pub fn deadline(&self) -> Option<&Deadline> {
        match self {
            Limit::Some(d) => Some(d),
            Limit::None(_) => None,
        }
    }
}

/// Merge inclusive intervals and clip them to `[from, to]`; returns the merged intervals.
pub fn merge_intervals(
    intervals: impl IntoIterator<Item = (NaiveDate, NaiveDate)>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut clipped: Vec<(NaiveDate, NaiveDate)> = intervals
        .into_iter()
        .map(|(s, e)| (s.max(from), e.min(to)))
        .filter(|(s, e)| s <= e)
        .collect();
    clipped.sort();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(clipped.len());
    for (s, e) in clipped {
        match merged.last_mut() {
            Some(last) if s <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The deadline of `facts` with events counted up to `cutoff` (the closing date, or the as-of
/// date while pending).
pub fn compute_deadline(
    facts: &CaseFacts,
    cutoff: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &LimitSettings,
) -> Limit {
    let Some(rule) = facts.rule else {
        return Limit::None(NoLimitReason::NoRule);
    };
    // CPL art. 287: foreign-related civil cases are exempt from arts. 152 (first instance) and
    // 183 (second instance).
    if facts.foreign_related && matches!(rule, LimitRule::CivilFirst | LimitRule::CivilSecond) {
        return Limit::None(NoLimitReason::ForeignRelated);
    }

    // Step 5: the procedure in force at the cut-off; a change dated later does not count yet.
    let given = facts
        .procedure
        .filter(|p| rule.accepts(*p))
        .or(rule.default_procedure());
    let last_change = facts
        .procedure_changes
        .iter()
        .filter(|c| c.decided <= cutoff && rule.accepts(c.to))
        .max_by_key(|c| c.decided);
    let procedure = last_change.map(|c| c.to).or(given);
    let start = match last_change {
        Some(change) if rule.change_restarts_the_clock() => change.decided.max(facts.filed),
        _ => facts.filed,
    };
    let (base, source) = base_limit(
        rule,
        procedure.unwrap_or(Procedure::Ordinary),
        facts.longer_limit,
        facts.appeal_object,
    );

    // Step 1: extensions dated on or before the cut-off.
    let mut extensions: Vec<Extension> = facts
        .extensions
        .iter()
        .filter(|e| e.approved <= cutoff)
        .copied()
        .collect();
    extensions.sort_by_key(|e| e.approved);
    let total = extensions.iter().fold(base, |acc, e| acc.plus(e.span));

    // Step 3: deducted days after the start, up to the cut-off; open intervals run to the cut-off.
    let deductions = merge_intervals(
        facts
            .deductions
            .iter()
            .map(|d| (d.start, d.end.unwrap_or(cutoff))),
        start.succ_opt().unwrap_or(start),
        cutoff,
    );
    let deducted_days: i64 = deductions
        .iter()
        .map(|(s, e)| days_between(*s, *e) + 1)
        .sum();

    // Steps 2 and 4.
    let normal_unrolled = add_days(base.end_from(start), deducted_days);
    let unrolled = add_days(total.end_from(start), deducted_days);
    let (normal_deadline, deadline, calendar_known) = if settings.holiday_rollover {
        let (n, n_known) = calendar.next_working_day(normal_unrolled);
        let (d, d_known) = calendar.next_working_day(unrolled);
        (n, d, n_known && d_known)
    } else {
        let known =
            calendar.knows_year(normal_unrolled.year()) && calendar.knows_year(unrolled.year());
        (normal_unrolled, unrolled, known)
    };

    Limit::Some(Deadline {
        rule,
        procedure,
        start,
        base,
        source,
        extensions,
        total,
        deductions,
        deducted_days,
        normal_unrolled,
        unrolled,
        normal_deadline,
        deadline,
        calendar_known,
    })
}

/// The state of a pending case at an as-of date; exactly one, checked in this order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingStatus {
    /// 超审限: the as-of date is past the deadline.
    Overdue,
    /// 扣审中: a deduction covers the as-of date.
    Suspended,
    /// 临近审限: 0 ≤ deadline − as-of ≤ the due-soon window.
    DueSoon,
    Ok,
    /// The case has no time limit.
    NoLimit,
}

impl PendingStatus {
    pub fn id(self) -> &'static str {
        match self {
            PendingStatus::Overdue => "overdue",
            PendingStatus::Suspended => "suspended",
            PendingStatus::DueSoon => "due_soon",
            PendingStatus::Ok => "ok",
            PendingStatus::NoLimit => "no_limit",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PendingStatus::Overdue => "超审限",
            PendingStatus::Suspended => "扣审中",
            PendingStatus::DueSoon => "临近审限",
            PendingStatus::Ok => "正常",
            PendingStatus::NoLimit => "不计审限",
        }
    }

    pub fn parse(text: &str) -> Option<PendingStatus> {
        [
            PendingStatus::Overdue,
            PendingStatus::Suspended,
            PendingStatus::DueSoon,
            PendingStatus::Ok,
            PendingStatus::NoLimit,
        ]
        .into_iter()
        .find(|s| s.id() == text || s.name_zh() == text)
    }
}

/// A case seen at an as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// Filed after the as-of date: not yet a case.
    NotYetFiled,
    Pending {
        limit: Limit,
        status: PendingStatus,
        days_remaining: Option<i64>,
        age_days: i64,
        /// 超12/18/36个月未结.
        over_12m: bool,
        over_18m: bool,
        over_36m: bool,
    },
    Closed {
        limit: Limit,
        closed: NaiveDate,
        /// `None` without a limit.
        within_limit: Option<bool>,
        within_normal_limit: Option<bool>,
        /// closed − filed − deducted days.
        net_duration_days: i64,
    },
}

/// Whether a pending case is over `months` months old at `as_of` (长期未结).
pub fn pending_over_months(filed: NaiveDate, as_of: NaiveDate, months: u32) -> bool {
    as_of > add_months(filed, months)
}

/// Everything the deadline lists and indicators need to know about a case at `as_of`.
pub fn evaluate(
    facts: &CaseFacts,
    as_of: NaiveDate,
    calendar: &HolidayCalendar,
    settings: &LimitSettings,
) -> Timing {
    if facts.filed > as_of {
        return Timing::NotYetFiled;
    }
    match facts.closed {
        Some(closed) if closed <= as_of => {
            let limit = compute_deadline(facts, closed, calendar, settings);
            let deducted = limit.deadline().map_or_else(
                || {
                    merge_intervals(
                        facts
                            .deductions
                            .iter()
                            .map(|d| (d.start, d.end.unwrap_or(closed))),
                        facts.filed.succ_opt().unwrap_or(facts.filed),
                        closed,
                    )
                    .iter()
                    .map(|(s, e)| days_between(*s, *e) + 1)
                    .sum()
                },
                |d| d.deducted_days,
            );
            Timing::Closed {
                within_limit: limit.deadline().map(|d| closed <= d.deadline),
                within_normal_limit: limit.deadline().map(|d| closed <= d.normal_deadline),
                net_duration_days: days_between(facts.filed, closed) - deducted,
                limit,
                closed,
            }
        }
        _ => {
            let limit = compute_deadline(facts, as_of, calendar, settings);
            let days_remaining = limit.deadline().map(|d| days_between(as_of, d.deadline));
            let suspended = facts
                .deductions
                .iter()
                .any(|d| d.start <= as_of && d.end.is_none_or(|end| as_of <= end));
            let status = match days_remaining {
                None => PendingStatus::NoLimit,
                Some(r) if r < 0 => PendingStatus::Overdue,
                Some(_) if suspended => PendingStatus::Suspended,
                Some(r) if r <= settings.due_soon_days => PendingStatus::DueSoon,
                Some(_) => PendingStatus::Ok,
            };
            Timing::Pending {
                limit,
                status,
                days_remaining,
                age_days: days_between(facts.filed, as_of),
                over_12m: pending_over_months(facts.filed, as_of, 12),
                over_18m: pending_over_months(facts.filed, as_of, 18),
                over_36m: pending_over_months(facts.filed, as_of, 36),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procedure_names_parse_in_chinese_and_english() {
        assert_eq!(Procedure::parse("简易程序"), Some(Procedure::Simple));
        assert_eq!(Procedure::parse("简易"), Some(Procedure::Simple));
        assert_eq!(
            Procedure::parse("小额诉讼程序"),
            Some(Procedure::SmallClaims)
        );
        assert_eq!(Procedure::parse("小额"), Some(Procedure::SmallClaims));
        assert_eq!(
            Procedure::parse("二审程序"),
            Some(Procedure::SecondInstance)
        );
        assert_eq!(Procedure::parse("fast_track"), Some(Procedure::FastTrack));
        assert_eq!(Procedure::parse("快速"), None);
    }

    #[test]
    fn every_rule_has_an_id_that_round_trips() {
        for rule in LimitRule::ALL {
            assert_eq!(LimitRule::from_id(rule.id()), Some(rule));
        }
    }

    #[test]
    fn spans_print_the_way_the_statutes_write_them() {
        assert_eq!(LimitSpan::new(1, 15).to_zh(), "1个月15日");
        assert_eq!(LimitSpan::months(6).to_zh(), "6个月");
        assert_eq!(LimitSpan::days(30).to_zh(), "30日");
    }
}
