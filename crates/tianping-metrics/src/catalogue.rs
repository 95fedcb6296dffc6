//! The indicator catalogue (指标目录): every indicator of indicators.md with its Chinese name,
//! unit, direction and definition, in the order of [`INDICATOR_IDS`]. The web, the reports and
//! the API render from it; nothing guesses a unit from an id (案件比 1.60 is a ratio, not 160%).

#[cfg(doc)]
use crate::indicators::INDICATOR_IDS;
use crate::indicators::Indicators;

/// What kind of number an indicator is, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Cases (件): an integer.
    Count,
    /// A fraction shown as a percent with two decimals (0.9573 → 95.73%).
    Rate,
    /// A plain ratio with two decimals (案件比 1.45).
    Ratio,
    /// Days with two decimals.
    Days,
    /// Yuan with two decimals.
    Yuan,
}

/// Which way is better, for colouring changes and judging against reference intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (结案率).
    Higher,
    /// Less is better (超审限未结, 平均审理天数).
    Lower,
    /// A volume, neither good nor bad by itself (新收).
    Neither,
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndicatorDef {
    pub id: &'static str,
    /// The Chinese name (指标名称) as court reports write it.
    pub zh: &'static str,
    pub unit: Unit,
    pub direction: Direction,
    /// The definition in Chinese, as a bulletin's appendix prints it.
    pub definition: &'static str,
}

impl IndicatorDef {
    /// The name with its unit where the name does not say it, as a table's column or a
    /// bulletin writes it: 执行到位金额（元）, 结案周期估计（天）, 平均审理天数.
    pub fn label(&self) -> String {
        match self.unit {
            Unit::Yuan => format!("{}（元）", self.zh),
            Unit::Days if !self.zh.contains('天') => format!("{}（天）", self.zh),
            _ => self.zh.to_owned(),
        }
    }
}

const fn def(
    id: &'static str,
    zh: &'static str,
    unit: Unit,
    direction: Direction,
    definition: &'static str,
) -> IndicatorDef {
    IndicatorDef {
        id,
        zh,
        unit,
        direction,
        definition,
    }
}

/// Every indicator, in the order of [`INDICATOR_IDS`].
pub const CATALOGUE: [IndicatorDef; 39] = [
    def(
        "filed",
        "新收",
        Unit::Count,
        Direction::Neither,
        "统计期间内立案的案件数",
    ),
    def(
        "closed",
        "已结",
        Unit::Count,
        Direction::Neither,
        "统计期间内结案的案件数",
    ),
    def(
        "carried_over",
        "旧存",
        Unit::Count,
        Direction::Neither,
        "统计期间开始前立案、期初尚未审结的案件数",
    ),
    def(
        "pending_end",
        "未结",
        Unit::Count,
        Direction::Neither,
        "截至统计期末尚未审结的案件数",
    ),
    def(
        "closure_ratio",
        "结收比",
        Unit::Rate,
        Direction::Higher,
        "已结 ÷ 新收",
    ),
    def(
        "clearance_rate",
        "结案率",
        Unit::Rate,
        Direction::Higher,
        "已结 ÷（旧存 + 新收）",
    ),
    def(
        "disposition_time_days",
        "结案周期估计",
        Unit::Days,
        Direction::Lower,
        "统计期间天数 × 未结 ÷ 已结（CEPEJ）",
    ),
    def(
        "avg_duration_days",
        "平均审理天数",
        Unit::Days,
        Direction::Lower,
        "已结案件（结案日期 − 立案日期 − 扣除天数）的平均值",
    ),
    def(
        "median_duration_days",
        "审理天数中位数",
        Unit::Days,
        Direction::Lower,
        "已结案件净审理天数的中位数",
    ),
    def(
        "limited_closed",
        "适用审限结案数",
        Unit::Count,
        Direction::Neither,
        "已结案件中适用法定审限的案件数",
    ),
    def(
        "within_limit_rate",
        "审限内结案率",
        Unit::Rate,
        Direction::Higher,
        "在审限（含经批准的延长）内审结的案件 ÷ 适用审限结案数",
    ),
    def(
        "within_normal_limit_rate",
        "正常审限内结案率",
        Unit::Rate,
        Direction::Higher,
        "在正常审限（不含延长）内审结的案件 ÷ 适用审限结案数",
    ),
    def(
        "extension_rate",
        "延长审限率",
        Unit::Rate,
        Direction::Lower,
        "经批准延长审限的结案数 ÷ 适用审限结案数",
    ),
    def(
        "overdue_pending",
        "超审限未结",
        Unit::Count,
        Direction::Lower,
        "期末未结且已超过审限届满日的案件数",
    ),
    def(
        "pending_over_12m",
        "超12个月未结",
        Unit::Count,
        Direction::Lower,
        "期末未结且立案已满12个月的案件数",
    ),
    def(
        "pending_over_18m",
        "超18个月未结",
        Unit::Count,
        Direction::Lower,
        "期末未结且立案已满18个月的案件数",
    ),
    def(
        "pending_over_36m",
        "超36个月未结",
        Unit::Count,
        Direction::Lower,
        "期末未结且立案已满36个月的案件数",
    ),
    def(
        "over_12m_ratio",
        "超12个月未结案件比",
        Unit::Rate,
        Direction::Lower,
        "超12个月未结 ÷ 未结",
    ),
    def(
        "first_closed",
        "一审结案数",
        Unit::Count,
        Direction::Neither,
        "已结一审案件数",
    ),
    def(
        "appealed",
        "上诉数",
        Unit::Count,
        Direction::Lower,
        "一审结案中截至统计截止日已上诉的案件数",
    ),
    def(
        "appeal_rate",
        "上诉率",
        Unit::Rate,
        Direction::Lower,
        "上诉数 ÷ 一审结案数",
    ),
    def(
        "acceptance_rate",
        "一审服判息诉率",
        Unit::Rate,
        Direction::Higher,
        "1 − 上诉数 ÷ 一审结案数",
    ),
    def(
        "reversed_remanded",
        "被改判发回重审数",
        Unit::Count,
        Direction::Lower,
        "一审结案中二审改判或发回重审的案件数",
    ),
    def(
        "reversal_remand_rate",
        "一审被改判发回重审率",
        Unit::Rate,
        Direction::Lower,
        "被改判发回重审数 ÷ 一审结案数",
    ),
    def(
        "mediation_withdrawal_rate",
        "调撤率",
        Unit::Rate,
        Direction::Higher,
        "民初结案中调解、撤诉结案的案件 ÷ 民初结案数",
    ),
    def(
        "enforcement_closed",
        "首执结案数",
        Unit::Count,
        Direction::Neither,
        "已结首次执行（执）案件数",
    ),
    def(
        "completion_rate",
        "执行完毕率",
        Unit::Rate,
        Direction::Higher,
        "执行完毕结案数 ÷ 首执结案数",
    ),
    def(
        "actual_enforcement_rate",
        "实际执行率",
        Unit::Rate,
        Direction::Higher,
        "（执行完毕 + 执行和解）÷ 首执结案数",
    ),
    def(
        "termination_rate",
        "首执终本率",
        Unit::Rate,
        Direction::Lower,
        "终结本次执行程序结案数 ÷ 首执结案数",
    ),
    def(
        "recovered_amount",
        "执行到位金额",
        Unit::Yuan,
        Direction::Higher,
        "已结执、执恢案件执行到位金额之和",
    ),
    def(
        "recovery_rate",
        "执行到位率",
        Unit::Rate,
        Direction::Higher,
        "执行到位金额 ÷ 申请执行标的金额（首执结案）",
    ),
    def(
        "case_matter_ratio",
        "案件比",
        Unit::Ratio,
        Direction::Lower,
        "（案 + 衍生案件）÷ 案，按新收案件计",
    ),
    def(
        "same_day_registration_rate",
        "当场立案率",
        Unit::Rate,
        Direction::Higher,
        "收到材料当日立案的案件 ÷ 有收案日期的新收案件",
    ),
    def(
        "registration_within_7d_rate",
        "7日内立案率",
        Unit::Rate,
        Direction::Higher,
        "收到材料7日内立案的案件 ÷ 有收案日期的新收案件",
    ),
    def(
        "age_0_6m",
        "未结6个月以内",
        Unit::Count,
        Direction::Neither,
        "期末未结、立案不满6个月的案件数",
    ),
    def(
        "age_6_12m",
        "未结6至12个月",
        Unit::Count,
        Direction::Neither,
        "期末未结、立案已满6个月不满12个月的案件数",
    ),
    def(
        "age_12_18m",
        "未结12至18个月",
        Unit::Count,
        Direction::Lower,
        "期末未结、立案已满12个月不满18个月的案件数",
    ),
    def(
        "age_18_36m",
        "未结18至36个月",
        Unit::Count,
        Direction::Lower,
        "期末未结、立案已满18个月不满36个月的案件数",
    ),
    def(
        "age_over_36m",
        "未结36个月以上",
        Unit::Count,
        Direction::Lower,
        "期末未结、立案已满36个月的案件数",
    ),
];

/// The catalogue entry of an indicator id.
pub fn lookup(id: &str) -> Option<&'static IndicatorDef> {
    CATALOGUE.iter().find(|d| d.id == id)
}

/// A value as the pages and bulletins write it: `95.73%`, `1200`, `86.50`, `1.60`; `—` when
/// undefined.
pub fn show(unit: Unit, value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) => match unit {
            Unit::Count => format!("{v:.0}"),
            Unit::Rate => format!("{:.2}%", v * 100.0),
            Unit::Days | Unit::Yuan | Unit::Ratio => format!("{v:.2}"),
        },
    }
}

impl Indicators {
    /// The value of indicator `id` as a number (counts too), `None` where undefined or for an
    /// unknown id: what the catalogue's users read instead of a JSON round trip.
    pub fn value(&self, id: &str) -> Option<f64> {
        let count = |v: u64| Some(v as f64);
        let opt_count = |v: Option<u64>| v.map(|v| v as f64);
        match id {
            "filed" => count(self.filed),
            "closed" => count(self.closed),
            "carried_over" => count(self.carried_over),
            "pending_end" => count(self.pending_end),
            "closure_ratio" => self.closure_ratio,
            "clearance_rate" => self.clearance_rate,
            "disposition_time_days" => self.disposition_time_days,
            "avg_duration_days" => self.avg_duration_days,
            "median_duration_days" => self.median_duration_days,
            "limited_closed" => opt_count(self.limited_closed),
            "within_limit_rate" => self.within_limit_rate,
            "within_normal_limit_rate" => self.within_normal_limit_rate,
            "extension_rate" => self.extension_rate,
            "overdue_pending" => opt_count(self.overdue_pending),
            "pending_over_12m" => count(self.pending_over_12m),
            "pending_over_18m" => count(self.pending_over_18m),
            "pending_over_36m" => count(self.pending_over_36m),
            "over_12m_ratio" => self.over_12m_ratio,
            "first_closed" => opt_count(self.first_closed),
            "appealed" => opt_count(self.appealed),
            "appeal_rate" => self.appeal_rate,
            "acceptance_rate" => self.acceptance_rate,
            "reversed_remanded" => opt_count(self.reversed_remanded),
            "reversal_remand_rate" => self.reversal_remand_rate,
            "mediation_withdrawal_rate" => self.mediation_withdrawal_rate,
            "enforcement_closed" => opt_count(self.enforcement_closed),
            "completion_rate" => self.completion_rate,
            "actual_enforcement_rate" => self.actual_enforcement_rate,
            "termination_rate" => self.termination_rate,
            "recovered_amount" => self.recovered_amount,
            "recovery_rate" => self.recovery_rate,
            "case_matter_ratio" => self.case_matter_ratio,
            "same_day_registration_rate" => self.same_day_registration_rate,
            "registration_within_7d_rate" => self.registration_within_7d_rate,
            "age_0_6m" => count(self.age_0_6m),
            "age_6_12m" => count(self.age_6_12m),
            "age_12_18m" => count(self.age_12_18m),
            "age_18_36m" => count(self.age_18_36m),
            "age_over_36m" => count(self.age_over_36m),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::INDICATOR_IDS;

    #[test]
    fn the_catalogue_lists_every_indicator_in_the_order_of_the_json() {
        let ids: Vec<&str> = CATALOGUE.iter().map(|d| d.id).collect();
        assert_eq!(ids, INDICATOR_IDS);
    }

    #[test]
    fn every_value_reads_as_its_json_field() {
        // Distinct values in every field, so that a wrong arm shows.
        let mut ind = Indicators::default();
        let mut json = serde_json::to_value(&ind).unwrap();
        for (k, id) in INDICATOR_IDS.iter().enumerate() {
            json[*id] = serde_json::json!(k + 1);
        }
        ind = serde_json::from_value(json.clone()).unwrap();
        for id in INDICATOR_IDS {
            assert_eq!(ind.value(id), json[id].as_f64(), "{id}");
        }
        assert_eq!(ind.value("no_such_indicator"), None);
    }

    #[test]
    fn a_ratio_is_not_a_percent() {
        let ratio = lookup("case_matter_ratio").unwrap();
        assert_eq!(ratio.unit, Unit::Ratio);
        assert_eq!(show(ratio.unit, Some(1.6)), "1.60");
        assert_eq!(show(Unit::Rate, Some(0.9573)), "95.73%");
        assert_eq!(show(Unit::Count, Some(1200.0)), "1200");
        assert_eq!(show(Unit::Days, None), "—");
    }
}
