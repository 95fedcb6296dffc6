//! The report model: a quality-and-efficiency bulletin (审判质效通报) for a scope and a period,
//! computed once from the snapshot with the same `compute` calls as `tianping indicators`, as
//! pure data (texts, tables, charts). Each format (`docx`, `xlsx`, `html`, `pdf`) only lays it out.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use tianping_domain::CourtLevel;
use tianping_domain::dates::add_months;
use tianping_domain::period::Period;
use tianping_domain::time_limit::PendingStatus;
use tianping_metrics::assess::{AssessSettings, assess};
use tianping_metrics::deadlines::DeadlineRow;
use tianping_metrics::indicators::QueryError;
use tianping_metrics::signals::{SignalSettings, year_end_signals};
use tianping_metrics::{GroupBy, IndicatorQuery, Indicators, Snapshot, compute};

use crate::charts::{self, Band, Bar, MonthFlow, ValueFormat};
use crate::format::{
    DEFINITIONS, Unit, amount_zh, change, definition, show, table_label, table_number, table_text,
};

/// How many cases the overdue and long-pending lists show (the total is always stated).
pub const LIST_LIMIT: usize = 100;

/// The indicator groups of the per-court tables: (title, indicator ids).
pub const GROUPS: [(&str, &[&str]); 5] = [
    (
        "收结案情况",
        &[
            "carried_over",
            "filed",
            "closed",
            "pending_end",
            "clearance_rate",
            "closure_ratio",
            "avg_duration_days",
        ],
    ),
    (
        "审限管理与长期未结案件情况",
        &[
            "limited_closed",
            "within_limit_rate",
            "extension_rate",
            "overdue_pending",
            "pending_over_12m",
            "pending_over_18m",
            "pending_over_36m",
            "over_12m_ratio",
        ],
    ),
    (
        "审判质量情况",
        &[
            "first_closed",
            "acceptance_rate",
            "appeal_rate",
            "reversal_remand_rate",
            "mediation_withdrawal_rate",
        ],
    ),
    (
        "执行工作情况",
        &[
            "enforcement_closed",
            "completion_rate",
            "actual_enforcement_rate",
            "termination_rate",
            "recovered_amount",
            "recovery_rate",
        ],
    ),
    (
        "立案工作情况",
        &[
            "case_matter_ratio",
            "same_day_registration_rate",
            "registration_within_7d_rate",
        ],
    ),
];

/// The indicators of the year-on-year table (表1), in order.
pub const KEY_INDICATORS: [&str; 16] = [
    "filed",
    "closed",
    "pending_end",
    "clearance_rate",
    "closure_ratio",
    "within_limit_rate",
    "overdue_pending",
    "pending_over_12m",
    "avg_duration_days",
    "acceptance_rate",
    "reversal_remand_rate",
    "mediation_withdrawal_rate",
    "actual_enforcement_rate",
    "termination_rate",
    "recovered_amount",
    "case_matter_ratio",
];

/// A row of the tables of section 二: key, label, the level whose intervals judge it (none for
/// a division), and its indicators by id.
type TableRowSource = (String, String, Option<CourtLevel>, BTreeMap<String, Value>);

/// The columns of a basic court's table by judge (承办人).
pub const JUDGE_COLUMNS: [&str; 6] = [
    "filed",
    "closed",
    "clearance_rate",
    "within_limit_rate",
    "overdue_pending",
    "avg_duration_days",
];

/// What the bulletin is asked for.
#[derive(Debug, Clone)]
pub struct BulletinRequest<'a> {
    pub period: Period,
    /// A court code: the court and every court below it; `None`: every court.
    pub scope: Option<&'a str>,
    pub settings: &'a AssessSettings,
    /// The date printed under the signature (成文日期).
    pub issued: NaiveDate,
    /// The pending cases at the end of the period (`deadline_list` with `StatusFilter::All` and
    /// `as_of` = the period's last day, over the same scope); `None` leaves the case lists out.
    pub pending: Option<&'a [DeadlineRow]>,
    /// What the document is issued as: its number (发文字号) and its colophon (版记).
    pub issue: IssueDetails,
    /// Pre-litigation mediation (诉前调解: 委派 and 申请) of the scope in the period and in the same
    /// period of the previous year, when the court keeps mediations (`workflows.md` §9 decision
    /// 5: beside 调撤率).
    pub pre_litigation: Option<(PreLitigation, PreLitigation)>,
    /// Petitions (信访) received and answered on time, now and a year before, when the courts
    /// keep petitions.
    pub petitions: Option<(PetitionFigures, PetitionFigures)>,
    /// Judicial suggestions (司法建议) issued and their 反馈率, now and a year before.
    pub suggestions: Option<(SuggestionFigures, SuggestionFigures)>,
    /// Court-fee refunds due and their 退费及时率, now and a year before, when the courts keep
    /// refunds.
    pub refunds: Option<(RefundFigures, RefundFigures)>,
}

/// The court-fee refund figures a bulletin reports (`workflows.md` §4.4; seed 002: 退费及时率).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RefundFigures {
    pub due: u64,
    pub on_time_rate: Option<f64>,
}

/// The refund figures of the courts `in_scope` for `period` and a year before (each known at
/// its own end); `None` when no refund of those courts is kept.
pub fn refund_figures(
    refunds: &[tianping_workflow::refunds::FeeRefund],
    period: Period,
    in_scope: &dyn Fn(&str) -> bool,
    calendar: &tianping_domain::HolidayCalendar,
    settings: &tianping_workflow::refunds::RefundSettings,
) -> Option<(RefundFigures, RefundFigures)> {
    use tianping_workflow::refunds::indicators::{GroupBy, IndicatorQuery, compute};
    if !refunds.iter().any(|r| in_scope(&r.court_code)) {
        return None;
    }
    let no_seat = |_: &str| None;
    let of = |p: Period| {
        let query = IndicatorQuery {
            from: p.first_day(),
            to: p.last_day(),
            as_of: p.last_day(),
            by: GroupBy::None,
            in_scope,
            seat: &no_seat,
        };
        compute(refunds, &query, "", calendar, settings)
            .first()
            .map_or_else(RefundFigures::default, |(_, i)| RefundFigures {
                due: i.refunds_due,
                on_time_rate: i.on_time_rate,
            })
    };
    Some((of(period), of(period.previous_year())))
}

/// The petition figures a bulletin reports (`workflows.md` §2.5).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PetitionFigures {
    pub received: u64,
    pub handling_on_time_rate: Option<f64>,
}

/// The judicial-suggestion figures a bulletin reports (§3.4).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SuggestionFigures {
    pub issued: u64,
    pub reply_rate: Option<f64>,
}

/// The petition figures of the courts `in_scope` for `period` and the same period a year
/// before (each known at its own end); `None` when no petition of those courts is kept.
pub fn petition_figures(
    petitions: &[tianping_workflow::petitions::Petition],
    matters: &[tianping_workflow::petitions::Matter],
    period: Period,
    in_scope: &dyn Fn(&str) -> bool,
    calendar: &tianping_domain::HolidayCalendar,
    settings: &tianping_workflow::petitions::PetitionSettings,
) -> Option<(PetitionFigures, PetitionFigures)> {
    use tianping_workflow::petitions::indicators::{GroupBy, IndicatorQuery, Sources, compute};
    if !petitions.iter().any(|p| in_scope(&p.court_code)) {
        return None;
    }
    let views = tianping_workflow::petitions::matter_views(matters, petitions);
    let repeats = tianping_workflow::petitions::repeats(petitions);
    let src = Sources {
        petitions,
        matters: &views,
        repeats: &repeats,
        calendar,
        settings,
    };
    let of = |p: Period| {
        let query = IndicatorQuery {
            from: p.first_day(),
            to: p.last_day(),
            as_of: p.last_day(),
            by: GroupBy::None,
            all_matters: false,
            in_scope,
        };
        let (_, rows) = compute(
            &src,
            &query,
            tianping_workflow::core::compare::Compare::None,
            "",
        );
        rows.first()
            .map_or_else(PetitionFigures::default, |r| PetitionFigures {
                received: r.indicators.received,
                handling_on_time_rate: r.indicators.handling_on_time_rate,
            })
    };
    Some((of(period), of(period.previous_year())))
}

/// The suggestion figures of the courts `in_scope` for `period` and a year before (each known
/// at its own end); `None` when no suggestion of those courts is kept.
pub fn suggestion_figures(
    suggestions: &[tianping_workflow::suggestions::Suggestion],
    period: Period,
    in_scope: &dyn Fn(&str) -> bool,
    calendar: &tianping_domain::HolidayCalendar,
    settings: &tianping_workflow::suggestions::SuggestionSettings,
) -> Option<(SuggestionFigures, SuggestionFigures)> {
    use tianping_workflow::suggestions::indicators::{GroupBy, IndicatorQuery, compute};
    if !suggestions.iter().any(|s| in_scope(&s.court_code)) {
        return None;
    }
    let of = |p: Period| {
        let query = IndicatorQuery {
            from: p.first_day(),
            to: p.last_day(),
            as_of: p.last_day(),
            by: GroupBy::None,
            in_scope,
        };
        compute(suggestions, &query, "", calendar, settings)
            .first()
            .map_or_else(SuggestionFigures::default, |(_, i)| SuggestionFigures {
                issued: i.issued,
                reply_rate: i.reply_rate,
            })
    };
    Some((of(period), of(period.previous_year())))
}

/// A count with its 同比, and a rate with its change in points.
fn count_and_rate(
    count_label: &str,
    unit: &str,
    (v, b): (u64, u64),
    rate_label: &str,
    (rate, before): (Option<f64>, Option<f64>),
) -> Vec<String> {
    let mut parts = vec![match change(Unit::Count, Some(v as f64), Some(b as f64)) {
        Some(c) => format!("{count_label}{v}{unit}，{c}"),
        None => format!("{count_label}{v}{unit}"),
    }];
    if let Some(r) = rate {
        let shown = show(Unit::Rate, Some(r));
        parts.push(match change(Unit::Rate, Some(r), before) {
            Some(c) => format!("{rate_label}{shown}，{c}"),
            None => format!("{rate_label}{shown}"),
        });
    }
    parts
}

/// `信访方面，收到信访…件，…；按期答复率…%，…。`
fn petitions_sentence(now: &PetitionFigures, before: &PetitionFigures) -> String {
    let parts = count_and_rate(
        "收到信访",
        "件",
        (now.received, before.received),
        "按期答复率",
        (now.handling_on_time_rate, before.handling_on_time_rate),
    );
    format!("信访方面，{}。", parts.join("；"))
}

/// `司法建议方面，发出司法建议…份，…；反馈率…%，…。`
fn suggestions_sentence(now: &SuggestionFigures, before: &SuggestionFigures) -> String {
    let parts = count_and_rate(
        "发出司法建议",
        "份",
        (now.issued, before.issued),
        "反馈率",
        (now.reply_rate, before.reply_rate),
    );
    format!("司法建议方面，{}。", parts.join("；"))
}

/// `诉讼费退费方面，应退费…件，…；退费及时率…%，…。`
fn refunds_sentence(now: &RefundFigures, before: &RefundFigures) -> String {
    let parts = count_and_rate(
        "应退费",
        "件",
        (now.due, before.due),
        "退费及时率",
        (now.on_time_rate, before.on_time_rate),
    );
    format!("诉讼费退费方面，{}。", parts.join("；"))
}

/// The pre-litigation mediation figures a bulletin reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PreLitigation {
    pub registered: u64,
    pub succeeded: u64,
    pub success_rate: Option<f64>,
}

/// The pre-litigation figures (委派 and 申请) of the courts `in_scope` for `period` and the same
/// period a year before; `None` when no mediation of those courts is kept at all.
pub fn pre_litigation(
    mediations: &[tianping_workflow::mediation::Mediation],
    events: &BTreeMap<String, Vec<tianping_workflow::mediation::MediationEvent>>,
    period: Period,
    in_scope: &dyn Fn(&str) -> bool,
    calendar: &tianping_domain::HolidayCalendar,
    settings: &tianping_workflow::mediation::MediationSettings,
) -> Option<(PreLitigation, PreLitigation)> {
    if !mediations.iter().any(|m| in_scope(&m.court_code)) {
        return None;
    }
    let of = |p: Period| {
        let i = tianping_workflow::mediation::indicators::figures(
            mediations,
            events,
            p.first_day(),
            p.last_day(),
            tianping_workflow::mediation::KindFilter::Pre,
            in_scope,
            calendar,
            settings,
        );
        PreLitigation {
            registered: i.registered,
            succeeded: i.succeeded,
            success_rate: i.success_rate,
        }
    };
    Some((of(period), of(period.previous_year())))
}

/// `诉前调解方面，登记…件，…；调解成功…件，…；调解成功率…%，…。`
fn pre_litigation_sentence(now: &PreLitigation, before: &PreLitigation) -> String {
    let count =
        |label: &str, v: u64, b: u64| match change(Unit::Count, Some(v as f64), Some(b as f64)) {
            Some(c) => format!("{label}{v}件，{c}"),
            None => format!("{label}{v}件"),
        };
    let mut parts = vec![
        count("登记", now.registered, before.registered),
        count("调解成功", now.succeeded, before.succeeded),
    ];
    if let Some(rate) = now.success_rate {
        let shown = show(Unit::Rate, Some(rate));
        parts.push(match change(Unit::Rate, Some(rate), before.success_rate) {
            Some(c) => format!("调解成功率{shown}，{c}"),
            None => format!("调解成功率{shown}"),
        });
    }
    format!("诉前调解方面，{}。", parts.join("；"))
}

/// The parts of an official document (公文, GB/T 9704-2012) the office fills in when it issues
/// the bulletin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueDetails {
    /// 发文字号, e.g. `鲁高法〔2025〕12号`, printed under the issuing organ's mark; none: left out.
    pub doc_number: Option<String>,
    /// 抄送机关 (the colophon's first line), e.g. `省委政法委，省人大监察和司法委员会`.
    pub copy_to: Option<String>,
    /// 印发机关; default: the issuing court's office (`山东省高级人民法院办公室`).
    pub printer: Option<String>,
    /// The issuing court's 机关代字 (the setting `bulletin.doc_prefix.<court>`): a document
    /// number given as a sequence number alone (`12`) becomes `鲁高法〔2026〕12号`, the year being
    /// the issue date's.
    pub doc_prefix: Option<String>,
}

#[cfg(test)]
mod doc_number_tests {
    use super::*;

    #[test]
    fn a_sequence_number_takes_the_courts_prefix_and_the_issue_year() {
        assert_eq!(
            compose_doc_number("12", Some("鲁高法"), 2026),
            "鲁高法〔2026〕12号"
        );
        assert_eq!(
            compose_doc_number("鲁高法(2025)3", Some("鲁高法"), 2026),
            "鲁高法〔2025〕3号"
        );
        assert_eq!(compose_doc_number("12", None, 2026), "12号");
        assert_eq!(compose_doc_number(" ", Some("鲁高法"), 2026), "");
    }
}

/// 发文字号 from what the office gives: a whole number (`12`) with the court's prefix and the
/// issue year, or a whole number as it is written (normalized).
pub fn compose_doc_number(given: &str, prefix: Option<&str>, year: i32) -> String {
    let given = given.trim();
    match prefix {
        Some(prefix) if !given.is_empty() && given.chars().all(|c| c.is_ascii_digit()) => {
            format!("{prefix}〔{year}〕{given}号")
        }
        _ => normalize_doc_number(given),
    }
}

/// 发文字号 as the office writes it: `鲁高法〔2025〕12号`. Any brackets around the year become
/// 〔〕 (GB/T 9704-2012 7.2.4: the year in 六角括号); a missing 号 is added.
pub fn normalize_doc_number(text: &str) -> String {
    let mut out: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '(' | '（' | '[' | '［' | '【' | '﹝' => '〔',
            ')' | '）' | ']' | '］' | '】' | '﹞' => '〕',
            c => c,
        })
        .collect();
    if !out.is_empty() && !out.ends_with('号') {
        out.push('号');
    }
    out
}

/// One cell: the text every format shows, the number a spreadsheet stores, and whether the
/// value is outside its reference interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: Option<f64>,
    pub unit: Option<Unit>,
    pub outside: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: None,
            unit: None,
            outside: false,
        }
    }

    pub fn value(unit: Unit, value: Option<f64>) -> Cell {
        Cell {
            text: table_text(unit, value),
            number: value.map(|v| table_number(unit, v)),
            unit: Some(unit),
            outside: false,
        }
    }
}

/// A table: its caption, a short sheet name, the column headers (with the indicator id where a
/// column is one), and rows (with the court code where a row is one court).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub caption: String,
    pub sheet: String,
    pub headers: Vec<String>,
    pub column_ids: Vec<Option<String>>,
    pub rows: Vec<Row>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: Option<String>,
    pub cells: Vec<Cell>,
    /// A total row (全辖合计), set in bold.
    pub total: bool,
}

/// An SVG chart with its caption and the figures it draws (for formats that cannot show SVG).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub caption: String,
    pub svg: String,
    /// The figures drawn, as a table (DOCX shows this editable table in place of the picture).
    pub data: Table,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// A third-level heading (（一）…), 楷体 in the official layout.
    Subheading(String),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `一、总体情况`.
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// The bulletin.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulletin {
    /// The issuing court (发文机关), e.g. 山东省高级人民法院.
    pub issuer: String,
    /// `关于2024年全省法院审判执行质效情况的通报`.
    pub title: String,
    /// The addressees (主送机关), e.g. `全省各级人民法院：`.
    pub addressee: String,
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub scope: Option<String>,
    /// `全省法院`, `全市法院`, `本院`, `全部法院`.
    pub area: String,
    pub issued: NaiveDate,
    /// The scope's figures for the period and the same period of the previous year.
    pub current: Indicators,
    pub previous: Indicators,
    /// The summary paragraphs (in section 一 too).
    pub summary: Vec<String>,
    pub sections: Vec<Section>,
    /// The closing line before the signature (特此通报。).
    pub closing: String,
    /// 发文字号, normalized.
    pub doc_number: Option<String>,
    /// 版记: 抄送 (if any), 印发机关 and 印发日期 (the issue date).
    pub copy_to: Option<String>,
    pub printer: String,
}

impl Bulletin {
    /// Every table, in document order (with the figures of each chart, after the chart).
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Chart(c) => Some(&c.data),
                _ => None,
            })
    }

    /// `2025年1月5日`.
    pub fn issued_zh(&self) -> String {
        date_zh(self.issued)
    }

    /// The file name users get: `2024年全省法院审判执行质效通报`.
    pub fn file_stem(&self) -> String {
        format!("{}{}审判执行质效通报", self.period.to_zh(), self.area)
    }
}

pub fn date_zh(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

const CHINESE_NUMBERS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn values_of(indicators: &Indicators) -> BTreeMap<String, Value> {
    match serde_json::to_value(indicators) {
        Ok(Value::Object(map)) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

fn get(values: &BTreeMap<String, Value>, id: &str) -> Option<f64> {
    values.get(id).and_then(Value::as_f64)
}

fn area_of(level: Option<CourtLevel>) -> (&'static str, &'static str) {
    match level {
        Some(CourtLevel::Supreme) => ("全国法院", "全国各级人民法院："),
        Some(CourtLevel::High) => ("全省法院", "全省各级人民法院："),
        Some(CourtLevel::Intermediate) => ("全市法院", "全市各基层人民法院，本院各部门："),
        Some(_) => ("本院", "院内各部门："),
        None => ("全部法院", "各级人民法院："),
    }
}

fn query(period: Period, scope: Option<&str>, by: GroupBy) -> IndicatorQuery {
    IndicatorQuery {
        from: period.first_day(),
        to: period.last_day(),
        as_of: period.last_day(),
        scope: scope.map(str::to_owned),
        by,
    }
}

fn one(snapshot: &Snapshot, period: Period, scope: Option<&str>) -> Result<Indicators, QueryError> {
    Ok(compute(snapshot, &query(period, scope, GroupBy::None))?
        .into_iter()
        .next()
        .map(|r| r.indicators)
        .unwrap_or_default())
}

/// A clause `审限内结案率98.12%，同比上升0.30个百分点` (without the change when there is none).
fn clause(
    label: &str,
    id: &str,
    cur: &BTreeMap<String, Value>,
    prev: &BTreeMap<String, Value>,
) -> Option<String> {
    let def = definition(id);
    let value = get(cur, id)?;
    let shown = match def.unit {
        Unit::Count => format!("{}件", show(Unit::Count, Some(value))),
        Unit::Yuan => amount_zh(value),
        Unit::Days => format!("{}天", show(Unit::Days, Some(value))),
        unit => show(unit, Some(value)),
    };
    Some(match change(def.unit, Some(value), get(prev, id)) {
        Some(c) => format!("{label}{shown}，{c}"),
        None => format!("{label}{shown}"),
    })
}

fn sentence(opening: &str, clauses: Vec<Option<String>>) -> Option<String> {
    let parts: Vec<String> = clauses.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| format!("{opening}{}。", parts.join("；")))
}

fn summary(area: &str, period: Period, cur: &Indicators, prev: &Indicators) -> Vec<String> {
    let (c, p) = (values_of(cur), values_of(prev));
    let received = (cur.carried_over + cur.filed) as f64;
    let received_before = (prev.carried_over + prev.filed) as f64;
    let mut first = format!(
        "{}，{area}共受理案件{}件",
        period.to_zh(),
        show(Unit::Count, Some(received))
    );
    if let Some(ch) = change(Unit::Count, Some(received), Some(received_before)) {
        first.push_str(&format!("，{ch}"));
    }
    first.push_str(&format!(
        "，其中旧存{}件、新收{}件",
        cur.carried_over, cur.filed
    ));
    if let Some(ch) = change(Unit::Count, Some(cur.filed as f64), Some(prev.filed as f64)) {
        first.push_str(&format!("，新收案件{ch}"));
    }
    first.push('；');
    let rest = [
        clause("审结", "closed", &c, &p),
        clause("结案率", "clearance_rate", &c, &p),
        clause("结收比", "closure_ratio", &c, &p),
        clause("期末未结", "pending_end", &c, &p),
    ];
    first.push_str(&rest.into_iter().flatten().collect::<Vec<_>>().join("；"));
    first.push('。');
    let mut out = vec![first];
    out.extend(sentence(
        "审判效率方面，",
        vec![
            clause("审限内结案率", "within_limit_rate", &c, &p),
            clause("超审限未结", "overdue_pending", &c, &p),
            clause("超12个月未结", "pending_over_12m", &c, &p).map(|text| {
                match get(&c, "over_12m_ratio") {
                    Some(r) => format!("{text}，占未结案件的{}", show(Unit::Rate, Some(r))),
                    None => text,
                }
            }),
            clause("平均审理天数", "avg_duration_days", &c, &p),
        ],
    ));
    out.extend(sentence(
        "审判质量方面，",
        vec![
            clause("一审服判息诉率", "acceptance_rate", &c, &p),
            clause("一审被改判发回重审率", "reversal_remand_rate", &c, &p),
            clause("调撤率", "mediation_withdrawal_rate", &c, &p),
        ],
    ));
    out.extend(sentence(
        "执行工作方面，",
        vec![
            clause("首执结案", "enforcement_closed", &c, &p),
            clause("实际执行率", "actual_enforcement_rate", &c, &p),
            clause("首执终本率", "termination_rate", &c, &p),
            clause("执行到位金额", "recovered_amount", &c, &p),
        ],
    ));
    out
}

fn intervals_for<'a>(
    settings: &'a AssessSettings,
    level: CourtLevel,
    id: &'a str,
) -> impl Iterator<Item = &'a tianping_metrics::assess::Interval> {
    settings
        .intervals
        .iter()
        .filter(move |i| i.indicator == id && i.level.is_none_or(|l| l == level))
}

fn interval_text(settings: &AssessSettings, id: &str) -> Option<String> {
    let unit = definition(id).unit;
    let i = settings
        .intervals
        .iter()
        .find(|i| i.indicator == id && i.level.is_none())?;
    Some(match (i.min, i.max) {
        (Some(lo), Some(hi)) => format!("{}～{}", show(unit, Some(lo)), show(unit, Some(hi))),
        (Some(lo), None) => format!("≥{}", show(unit, Some(lo))),
        (None, Some(hi)) => format!("≤{}", show(unit, Some(hi))),
        (None, None) => return None,
    })
}

struct Numbering {
    table: usize,
    chart: usize,
}

impl Numbering {
    fn table(&mut self, title: &str) -> String {
        self.table += 1;
        format!("表{} {title}", self.table)
    }

    fn chart(&mut self, title: &str) -> String {
        self.chart += 1;
        format!("图{} {title}", self.chart)
    }
}

/// Build the bulletin.
pub fn build(snapshot: &Snapshot, request: &BulletinRequest<'_>) -> Result<Bulletin, QueryError> {
    let period = request.period;
    let scope = request.scope;
    let table = snapshot.court_table();
    if let Some(code) = scope
        && !snapshot.knows_court(code)
    {
        return Err(QueryError::UnknownScope(code.to_owned()));
    }
    let scope_level = scope.map(|c| table.level_of(c));
    let (area, addressee) = area_of(scope_level);
    let issuer = match scope {
        Some(code) => table.name_of(code).to_owned(),
        None => "审判管理办公室".to_owned(),
    };
    let current = one(snapshot, period, scope)?;
    let previous = one(snapshot, period.previous_year(), scope)?;
    let mut summary_paragraphs = summary(area, period, &current, &previous);
    if let Some((now, before)) = &request.pre_litigation {
        summary_paragraphs.push(pre_litigation_sentence(now, before));
    }
    if let Some((now, before)) = &request.petitions {
        summary_paragraphs.push(petitions_sentence(now, before));
    }
    if let Some((now, before)) = &request.suggestions {
        summary_paragraphs.push(suggestions_sentence(now, before));
    }
    if let Some((now, before)) = &request.refunds {
        summary_paragraphs.push(refunds_sentence(now, before));
    }
    let mut numbering = Numbering { table: 0, chart: 0 };
    let mut sections = Vec::new();

    // 一、总体情况
    let (cur_values, prev_values) = (values_of(&current), values_of(&previous));
    let mut blocks: Vec<Block> = summary_paragraphs
        .iter()
        .cloned()
        .map(Block::Paragraph)
        .collect();
    let prev_zh = period.previous_year().to_zh();
    blocks.push(Block::Table(Table {
        caption: numbering.table(&format!("{area}主要指标同比情况")),
        sheet: "主要指标同比".to_owned(),
        headers: vec![
            "指标".to_owned(),
            period.to_zh(),
            prev_zh.clone(),
            "同比".to_owned(),
        ],
        column_ids: vec![None; 4],
        rows: KEY_INDICATORS
            .iter()
            .map(|id| {
                let def = definition(id);
                let (c, p) = (get(&cur_values, id), get(&prev_values, id));
                Row {
                    key: Some((*id).to_owned()),
                    cells: vec![
                        Cell::text(table_label(def)),
                        Cell::value(def.unit, c),
                        Cell::value(def.unit, p),
                        Cell::text(change(def.unit, c, p).unwrap_or_else(|| "—".to_owned())),
                    ],
                    total: false,
                }
            })
            .collect(),
        note: None,
    }));
    let months: Vec<MonthFlow> = (0..period.months())
        .map(|i| {
            let first = add_months(period.first_day(), i);
            let month = Period::Month(first.year(), first.month() as u8);
            let m = one(snapshot, month, scope)?;
            Ok(MonthFlow {
                label: format!("{}月", first.month()),
                filed: m.filed,
                closed: m.closed,
            })
        })
        .collect::<Result<_, QueryError>>()?;
    let caption = numbering.chart(&format!("{}{area}分月收结案情况", period.to_zh()));
    blocks.push(Block::Chart(Chart {
        svg: charts::monthly_flow_chart(&caption, &months),
        data: Table {
            caption: caption.clone(),
            sheet: "分月收结案".to_owned(),
            headers: ["月份", "新收", "已结"].map(String::from).to_vec(),
            column_ids: vec![None, Some("filed".to_owned()), Some("closed".to_owned())],
            rows: months
                .iter()
                .map(|m| Row {
                    key: None,
                    cells: vec![
                        Cell::text(m.label.clone()),
                        Cell::value(Unit::Count, Some(m.filed as f64)),
                        Cell::value(Unit::Count, Some(m.closed as f64)),
                    ],
                    total: false,
                })
                .collect(),
            note: None,
        },
        caption,
    }));
    sections.push(Section {
        heading: "一、总体情况".to_owned(),
        blocks,
    });

    // 二、各法院主要指标情况 — or, for a court with no courts below (a basic court, whose
    // court table would be one row), its divisions (庭室) and judges (承办人).
    let leaf = scope.is_some_and(|code| table.children(code).is_empty());
    let by = if leaf {
        GroupBy::Division
    } else {
        GroupBy::Court
    };
    let rows = compute(snapshot, &query(period, scope, by))?;
    // (key, label, the level whose intervals judge the row: none for divisions)
    let court_values: Vec<TableRowSource> = rows
        .iter()
        .map(|r| {
            if leaf {
                let division = r.key.split_once('/').map_or(r.key.as_str(), |(_, d)| d);
                return (
                    r.key.clone(),
                    division.to_owned(),
                    None,
                    values_of(&r.indicators),
                );
            }
            // A court's row holds its own cases (本院); a court with courts below says so,
            // since the web's court tables count a court with the courts below (辖区合计).
            let label = if table.children(&r.key).is_empty() {
                r.label.clone()
            } else {
                format!("{}（本院）", r.label)
            };
            (
                r.key.clone(),
                label,
                Some(table.level_of(&r.key)),
                values_of(&r.indicators),
            )
        })
        .collect();
    let row_kind = if leaf { "庭室" } else { "法院" };
    let mut blocks = vec![Block::Paragraph(if leaf {
        format!(
            "本院各庭室及承办人{}主要指标见下表；合计行为本院数据。",
            period.to_zh()
        )
    } else {
        format!(
            "各法院（含{}本级）{}主要指标见下表。对照区间参考值，区间外的数值以红色加粗标示；合计行为{area}数据。",
            if scope.is_some() {
                issuer.as_str()
            } else {
                "各院"
            },
            period.to_zh()
        )
    })];
    let mut outside_total = 0usize;
    for (gi, (title, ids)) in GROUPS.iter().enumerate() {
        let mut headers = vec![row_kind.to_owned()];
        headers.extend(ids.iter().map(|id| table_label(definition(id))));
        let mut column_ids = vec![None];
        column_ids.extend(ids.iter().map(|id| Some((*id).to_owned())));
        let mut table_rows: Vec<Row> = court_values
            .iter()
            .map(|(code, name, level, values)| {
                // A rate over too few cases is shown but not judged (`AssessSettings::judges`).
                let typed: Option<tianping_metrics::Indicators> = serde_json::to_value(values)
                    .ok()
                    .and_then(|v| serde_json::from_value(v).ok());
                Row {
                    key: Some(code.clone()),
                    cells: std::iter::once(Cell::text(name.clone()))
                        .chain(ids.iter().map(|id| {
                            let def = definition(id);
                            let value = get(values, id);
                            let mut cell = Cell::value(def.unit, value);
                            cell.outside = value.is_some_and(|v| {
                                level.is_some_and(|level| {
                                    typed
                                        .as_ref()
                                        .is_none_or(|t| request.settings.judges(t, id))
                                        && intervals_for(request.settings, level, id)
                                            .any(|i| !i.contains(v))
                                })
                            });
                            if cell.outside {
                                outside_total += 1;
                            }
                            cell
                        }))
                        .collect(),
                    total: false,
                }
            })
            .collect();
        table_rows.push(Row {
            key: None,
            cells: std::iter::once(Cell::text(format!("{area}合计")))
                .chain(
                    ids.iter()
                        .map(|id| Cell::value(definition(id).unit, get(&cur_values, id))),
                )
                .collect(),
            total: true,
        });
        let intervals: Vec<String> = ids
            .iter()
            .filter_map(|id| {
                interval_text(request.settings, id)
                    .map(|t| format!("{}{t}", definition(id).label()))
            })
            .collect();
        blocks.push(Block::Subheading(format!(
            "（{}）{title}",
            CHINESE_NUMBERS[gi]
        )));
        blocks.push(Block::Table(Table {
            caption: numbering.table(&format!("各{row_kind}{title}")),
            sheet: title.replace("情况", ""),
            headers,
            column_ids,
            rows: table_rows,
            note: (!intervals.is_empty() && !leaf)
                .then(|| format!("区间参考值：{}。", intervals.join("；"))),
        }));
    }
    if leaf {
        // The judges: the figures a division head reads per judge.
        let judges = compute(snapshot, &query(period, scope, GroupBy::Judge))?;
        let mut headers = vec!["承办人".to_owned()];
        headers.extend(JUDGE_COLUMNS.iter().map(|id| table_label(definition(id))));
        let mut column_ids = vec![None];
        column_ids.extend(JUDGE_COLUMNS.iter().map(|id| Some((*id).to_owned())));
        let mut judge_rows: Vec<Row> = judges
            .iter()
            .map(|r| {
                let values = values_of(&r.indicators);
                let name = r.key.split_once('/').map_or(r.key.as_str(), |(_, n)| n);
                Row {
                    key: Some(r.key.clone()),
                    cells: std::iter::once(Cell::text(name))
                        .chain(
                            JUDGE_COLUMNS
                                .iter()
                                .map(|id| Cell::value(definition(id).unit, get(&values, id))),
                        )
                        .collect(),
                    total: false,
                }
            })
            .collect();
        judge_rows.push(Row {
            key: None,
            cells: std::iter::once(Cell::text(format!("{area}合计")))
                .chain(
                    JUDGE_COLUMNS
                        .iter()
                        .map(|id| Cell::value(definition(id).unit, get(&cur_values, id))),
                )
                .collect(),
            total: true,
        });
        blocks.push(Block::Subheading(format!(
            "（{}）各承办人主要指标",
            CHINESE_NUMBERS[GROUPS.len()]
        )));
        blocks.push(Block::Table(Table {
            caption: numbering.table("各承办人主要指标"),
            sheet: "各承办人".to_owned(),
            headers,
            column_ids,
            rows: judge_rows,
            note: None,
        }));
    }
    blocks.insert(
        1,
        Block::Paragraph(format!(
            "各表共有{outside_total}项指标值处于区间参考值之外。"
        )),
    );
    // Indicators by court: the courts directly below the scope, each with its own courts below.
    let children: Vec<(String, String)> = match scope {
        Some(code) => table
            .children(code)
            .into_iter()
            .map(|c| (c.code.to_string(), c.name.clone()))
            .collect(),
        None => table
            .iter()
            .filter(|c| table.parent_of(c.code.as_str()).is_none())
            .map(|c| (c.code.to_string(), c.name.clone()))
            .collect(),
    };
    if !children.is_empty() {
        let mut bars = Vec::new();
        for (code, name) in &children {
            let figures = one(snapshot, period, Some(code))?;
            bars.push(Bar {
                label: name.clone(),
                value: figures.within_limit_rate,
                href: None,
            });
        }
        let band = request
            .settings
            .intervals
            .iter()
            .find(|i| i.indicator == "within_limit_rate" && i.level.is_none())
            .map(|i| Band {
                low: i.min.unwrap_or(0.0),
                high: i.max.unwrap_or(1.0),
            });
        let caption = numbering.chart("各辖区审限内结案率");
        blocks.push(Block::Chart(Chart {
            svg: charts::indicator_bar_chart(&caption, &bars, ValueFormat::Percent, band),
            data: Table {
                caption: caption.clone(),
                sheet: "各辖区审限内结案率".to_owned(),
                headers: ["辖区", "审限内结案率"].map(String::from).to_vec(),
                column_ids: vec![None, Some("within_limit_rate".to_owned())],
                rows: bars
                    .iter()
                    .zip(&children)
                    .map(|(b, (code, _))| Row {
                        key: Some(code.clone()),
                        cells: vec![
                            Cell::text(b.label.clone()),
                            Cell::value(Unit::Rate, b.value),
                        ],
                        total: false,
                    })
                    .collect(),
                note: None,
            },
            caption,
        }));
    }
    sections.push(Section {
        heading: if leaf {
            "二、各庭室及承办人主要指标情况".to_owned()
        } else {
            "二、各法院主要指标情况".to_owned()
        },
        blocks,
    });

    // 三、超审限及长期未结案件
    let mut blocks = Vec::new();
    match request.pending {
        Some(pending) => {
            let to = period.last_day();
            let mut overdue: Vec<&DeadlineRow> = pending
                .iter()
                .filter(|r| r.status == PendingStatus::Overdue)
                .collect();
            overdue.sort_by(|a, b| {
                a.days_remaining
                    .cmp(&b.days_remaining)
                    .then_with(|| a.case_number.cmp(&b.case_number))
            });
            let mut long: Vec<&DeadlineRow> = pending
                .iter()
                .filter(|r| to > add_months(r.filed_date, 12))
                .collect();
            long.sort_by(|a, b| {
                a.filed_date
                    .cmp(&b.filed_date)
                    .then_with(|| a.case_number.cmp(&b.case_number))
            });
            blocks.push(Block::Paragraph(format!(
                "截至{}，{area}超审限未结案件{}件，立案超过12个月仍未审结的长期未结案件{}件。{}",
                date_zh(to),
                overdue.len(),
                long.len(),
                if overdue.len() > LIST_LIMIT || long.len() > LIST_LIMIT {
                    format!("下表各列出其中时间最长的{LIST_LIMIT}件，请各院逐案核查、限期清理。")
                } else {
                    "请各院逐案核查、限期清理。".to_owned()
                }
            )));
            blocks.push(Block::Subheading("（一）超审限未结案件".to_owned()));
            blocks.push(Block::Table(case_table(
                numbering.table("超审限未结案件清单"),
                "超审限未结",
                table,
                &overdue,
                true,
                to,
            )));
            blocks.push(Block::Subheading("（二）长期未结案件".to_owned()));
            blocks.push(Block::Table(case_table(
                numbering.table("超12个月未结案件清单"),
                "长期未结",
                table,
                &long,
                false,
                to,
            )));
        }
        None => blocks.push(Block::Paragraph(
            "本通报未附案件明细（生成时未提供未结案件清单）。".to_owned(),
        )),
    }
    sections.push(Section {
        heading: "三、超审限及长期未结案件".to_owned(),
        blocks,
    });

    // 四、相对薄弱法院和年底不立案监测
    let mut blocks = Vec::new();
    let levels: Vec<CourtLevel> = [
        CourtLevel::Intermediate,
        CourtLevel::Basic,
        CourtLevel::Special,
    ]
    .into_iter()
    .filter(|l| scope_level != Some(*l) || scope.is_none())
    .filter(|l| {
        court_values
            .iter()
            .any(|(_, _, level, _)| *level == Some(*l))
    })
    .collect();
    blocks.push(Block::Subheading("（一）相对薄弱法院".to_owned()));
    let mut weak_rows = Vec::new();
    for level in levels {
        let assessment = assess(
            snapshot,
            period,
            Some(period.previous_year()),
            scope,
            level,
            request.settings,
        )?;
        for row in assessment.rows.iter().filter(|r| r.standing.weak) {
            let names: Vec<String> = row
                .standing
                .outside
                .iter()
                .map(|o| definition(&o.indicator).label())
                .collect();
            weak_rows.push(Row {
                key: Some(row.court_code.clone()),
                cells: vec![
                    Cell::text(row.court_name.clone()),
                    Cell::text(level.name_zh()),
                    Cell::value(Unit::Count, Some(row.standing.outside_count as f64)),
                    Cell::value(Unit::Ratio, Some(row.standing.score)),
                    match row.score_change {
                        Some(c) => Cell::value(Unit::Ratio, Some(c)),
                        None => Cell::text("—"),
                    },
                    Cell::text(names.join("、")),
                ],
                total: false,
            });
        }
    }
    blocks.push(Block::Paragraph(if weak_rows.is_empty() {
        format!("{}，{area}没有被识别为相对薄弱的法院。", period.to_zh())
    } else {
        format!(
            "按区间参考值评估，同一层级中区间外指标最多（并列时综合得分较低）的法院识别为相对薄弱法院。{}，{area}共有{}个相对薄弱法院：{}。",
            period.to_zh(),
            weak_rows.len(),
            weak_rows
                .iter()
                .map(|r| r.cells[0].text.clone())
                .collect::<Vec<_>>()
                .join("、")
        )
    }));
    blocks.push(Block::Table(Table {
        caption: numbering.table("相对薄弱法院"),
        sheet: "相对薄弱法院".to_owned(),
        headers: [
            "法院",
            "层级",
            "区间外指标数",
            "综合得分",
            "得分同比变化",
            "区间外指标",
        ]
        .map(String::from)
        .to_vec(),
        column_ids: vec![None; 6],
        rows: weak_rows,
        note: Some("综合得分为各指标落入区间参考值程度的加权得分（0～100）。".to_owned()),
    }));
    blocks.push(Block::Subheading("（二）年底不立案监测".to_owned()));
    if period.last_day().month() == 12 {
        let signals = year_end_signals(snapshot, period.year(), scope, &SignalSettings::default());
        let flagged: Vec<_> = signals.iter().filter(|s| s.flagged).collect();
        blocks.push(Block::Paragraph(if flagged.is_empty() {
            format!(
                "{}年12月，{area}未发现12月立案量明显偏低且收案至立案间隔明显延长的法院。",
                period.year()
            )
        } else {
            format!(
                "{}年12月，{}等{}个法院12月立案量不足1至11月月均的60%，且收案至立案平均间隔较1至11月延长7天以上，存在年底不立案的迹象，请相关法院说明情况并立即整改。",
                period.year(),
                flagged
                    .iter()
                    .map(|s| s.court_name.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                flagged.len()
            )
        }));
        blocks.push(Block::Table(Table {
            caption: numbering.table("年底不立案预警法院"),
            sheet: "年底不立案预警".to_owned(),
            headers: [
                "法院",
                "12月立案数",
                "1至11月立案数",
                "12月立案÷月均",
                "12月收案至立案平均天数",
                "1至11月收案至立案平均天数",
            ]
            .map(String::from)
            .to_vec(),
            column_ids: vec![None; 6],
            rows: flagged
                .iter()
                .map(|s| Row {
                    key: Some(s.court_code.clone()),
                    cells: vec![
                        Cell::text(s.court_name.clone()),
                        Cell::value(Unit::Count, Some(s.dec_filed as f64)),
                        Cell::value(Unit::Count, Some(s.jan_nov_filed as f64)),
                        Cell::value(Unit::Ratio, s.dec_ratio),
                        Cell::value(Unit::Days, s.dec_lag_days),
                        Cell::value(Unit::Days, s.base_lag_days),
                    ],
                    total: false,
                })
                .collect(),
            note: None,
        }));
    } else {
        blocks.push(Block::Paragraph(
            "年底不立案监测按自然年度进行，适用于截至12月的统计期间，本期不适用。".to_owned(),
        ));
    }
    sections.push(Section {
        heading: "四、相对薄弱法院和年底不立案监测".to_owned(),
        blocks,
    });

    // 附件：指标说明
    sections.push(Section {
        heading: "附件：指标说明".to_owned(),
        blocks: vec![
            Block::Paragraph(format!(
                "统计期间为{}至{}（均含当日），上诉、改判发回等关联结果以{}为统计截止日。比率的分母为0时不计算，以“—”表示。",
                date_zh(period.first_day()),
                date_zh(period.last_day()),
                date_zh(period.last_day()),
            )),
            Block::Table(Table {
                caption: numbering.table("指标说明"),
                sheet: "指标说明".to_owned(),
                headers: ["指标", "计算方法", "区间参考值"].map(String::from).to_vec(),
                column_ids: vec![None; 3],
                rows: DEFINITIONS
                    .iter()
                    .map(|d| Row {
                        key: Some(d.id.to_owned()),
                        cells: vec![
                            Cell::text(d.label()),
                            Cell::text(d.definition),
                            Cell::text(
                                interval_text(request.settings, d.id)
                                    .unwrap_or_else(|| "—".to_owned()),
                            ),
                        ],
                        total: false,
                    })
                    .collect(),
                note: None,
            }),
        ],
    });

    let issuer_for_printer = issuer.clone();
    Ok(Bulletin {
        title: format!("关于{}{area}审判执行质效情况的通报", period.to_zh()),
        issuer,
        addressee: addressee.to_owned(),
        period,
        from: period.first_day(),
        to: period.last_day(),
        scope: scope.map(str::to_owned),
        area: area.to_owned(),
        issued: request.issued,
        current,
        previous,
        summary: summary_paragraphs,
        sections,
        closing: "特此通报。".to_owned(),
        doc_number: request
            .issue
            .doc_number
            .as_deref()
            .map(|n| {
                compose_doc_number(
                    n,
                    request.issue.doc_prefix.as_deref(),
                    request.issued.year(),
                )
            })
            .filter(|n| !n.is_empty()),
        copy_to: request
            .issue
            .copy_to
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
        printer: request
            .issue
            .printer
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map_or_else(
                || {
                    if issuer_for_printer.ends_with("办公室") {
                        issuer_for_printer.clone()
                    } else {
                        format!("{issuer_for_printer}办公室")
                    }
                },
                str::to_owned,
            ),
    })
}

fn case_table(
    caption: String,
    sheet: &str,
    courts: &tianping_domain::CourtTable,
    rows: &[&DeadlineRow],
    overdue: bool,
    to: NaiveDate,
) -> Table {
    let mut headers: Vec<String> = ["序号", "案号", "法院", "承办人", "立案日期"]
        .map(String::from)
        .to_vec();
    if overdue {
        headers.extend(["审限届满日", "超审限天数"].map(String::from));
    } else {
        headers.extend(["案龄（天）", "审限状态"].map(String::from));
    }
    Table {
        caption,
        sheet: sheet.to_owned(),
        column_ids: vec![None; headers.len()],
        headers,
        rows: rows
            .iter()
            .take(LIST_LIMIT)
            .enumerate()
            .map(|(i, r)| {
                let mut cells = vec![
                    Cell::value(Unit::Count, Some((i + 1) as f64)),
                    Cell::text(r.case_number.clone()),
                    Cell::text(courts.name_of(&r.court_code)),
                    Cell::text(r.judge.clone().unwrap_or_default()),
                    Cell::text(r.filed_date.to_string()),
                ];
                if overdue {
                    cells.push(Cell::text(
                        r.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    ));
                    cells.push(Cell::value(
                        Unit::Count,
                        r.days_remaining.map(|d| (-d) as f64),
                    ));
                } else {
                    cells.push(Cell::value(
                        Unit::Count,
                        Some((to - r.filed_date).num_days() as f64),
                    ));
                    cells.push(Cell::text(r.status.name_zh()));
                }
                Row {
                    key: Some(r.case_number.clone()),
                    cells,
                    total: false,
                }
            })
            .collect(),
        note: None,
    }
}

#[cfg(test)]
mod workflow_sentences {
    use super::*;

    /// The 信访 and 司法建议 sentences: counts with their 同比, rates with their change in points.
    #[test]
    fn petitions_and_suggestions_are_told_with_their_year_on_year_change() {
        let p = petitions_sentence(
            &PetitionFigures {
                received: 360,
                handling_on_time_rate: Some(0.975),
            },
            &PetitionFigures {
                received: 400,
                handling_on_time_rate: Some(0.95),
            },
        );
        assert!(
            p.starts_with("信访方面，收到信访360件，同比下降10.00%；按期答复率97.50%"),
            "{p}"
        );
        let s = suggestions_sentence(
            &SuggestionFigures {
                issued: 8,
                reply_rate: Some(0.875),
            },
            &SuggestionFigures {
                issued: 0,
                reply_rate: None,
            },
        );
        assert_eq!(s, "司法建议方面，发出司法建议8份；反馈率87.50%。");
        let r = refunds_sentence(
            &RefundFigures {
                due: 200,
                on_time_rate: Some(0.97),
            },
            &RefundFigures {
                due: 180,
                on_time_rate: Some(0.95),
            },
        );
        assert!(
            r.starts_with("诉讼费退费方面，应退费200件，同比上升11.11%；退费及时率97.00%"),
            "{r}"
        );
    }
}
