//! How figures are written in a bulletin: the units of the indicators, their Chinese names and
//! definitions, and the change against the same period of the previous year (同比) in the words
//! court reports use. Two decimals everywhere: `95.73%`, `同比上升16.00%`, `上升2.30个百分点`.

/// What kind of number an indicator is, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Cases (件): an integer.
    Count,
    /// A fraction shown as a percent with two decimals (0.9573 → 95.73%).
    Rate,
    /// Days with two decimals.
    Days,
    /// Yuan with two decimals.
    Amount,
    /// A plain ratio with two decimals (案件比 1.45).
    Ratio,
}

/// One indicator: its id (indicators.md), Chinese name, unit and definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorDef {
    pub id: &'static str,
    pub zh: &'static str,
    pub unit: Unit,
    pub definition: &'static str,
}

const fn d(
    id: &'static str,
    zh: &'static str,
    unit: Unit,
    definition: &'static str,
) -> IndicatorDef {
    IndicatorDef {
        id,
        zh,
        unit,
        definition,
    }
}

/// Every indicator a bulletin shows, in the order of indicators.md.
pub const DEFINITIONS: [IndicatorDef; 34] = [
    d("filed", "新收", Unit::Count, "统计期间内立案的案件数"),
    d("closed", "已结", Unit::Count, "统计期间内结案的案件数"),
    d(
        "carried_over",
        "旧存",
        Unit::Count,
        "统计期间开始前立案、期初尚未审结的案件数",
    ),
    d(
        "pending_end",
        "未结",
        Unit::Count,
        "截至统计期末尚未审结的案件数",
    ),
    d("closure_ratio", "结收比", Unit::Rate, "已结 ÷ 新收"),
    d(
        "clearance_rate",
        "结案率",
        Unit::Rate,
        "已结 ÷（旧存 + 新收）",
    ),
    d(
        "disposition_time_days",
        "结案周期估计（天）",
        Unit::Days,
        "统计期间天数 × 未结 ÷ 已结（CEPEJ）",
    ),
    d(
        "avg_duration_days",
        "平均审理天数",
        Unit::Days,
        "已结案件（结案日期 − 立案日期 − 扣除天数）的平均值",
    ),
    d(
        "median_duration_days",
        "审理天数中位数",
        Unit::Days,
        "已结案件净审理天数的中位数",
    ),
    d(
        "limited_closed",
        "适用审限结案数",
        Unit::Count,
        "已结案件中适用法定审限的案件数",
    ),
    d(
        "within_limit_rate",
        "审限内结案率",
        Unit::Rate,
        "在审限（含经批准的延长）内审结的案件 ÷ 适用审限结案数",
    ),
    d(
        "within_normal_limit_rate",
        "正常审限内结案率",
        Unit::Rate,
        "在正常审限（不含延长）内审结的案件 ÷ 适用审限结案数",
    ),
    d(
        "extension_rate",
        "延长审限率",
        Unit::Rate,
        "经批准延长审限的结案数 ÷ 适用审限结案数",
    ),
    d(
        "overdue_pending",
        "超审限未结",
        Unit::Count,
        "期末未结且已超过审限届满日的案件数",
    ),
    d(
        "pending_over_12m",
        "超12个月未结",
        Unit::Count,
        "期末未结且立案已满12个月的案件数",
    ),
    d(
        "pending_over_18m",
        "超18个月未结",
        Unit::Count,
        "期末未结且立案已满18个月的案件数",
    ),
    d(
        "pending_over_36m",
        "超36个月未结",
        Unit::Count,
        "期末未结且立案已满36个月的案件数",
    ),
    d(
        "over_12m_ratio",
        "超12个月未结案件比",
        Unit::Rate,
        "超12个月未结 ÷ 未结",
    ),
    d("first_closed", "一审结案数", Unit::Count, "已结一审案件数"),
    d(
        "appealed",
        "上诉数",
        Unit::Count,
        "一审结案中截至统计截止日已上诉的案件数",
    ),
    d("appeal_rate", "上诉率", Unit::Rate, "上诉数 ÷ 一审结案数"),
    d(
        "acceptance_rate",
        "一审服判息诉率",
        Unit::Rate,
        "1 − 上诉数 ÷ 一审结案数",
    ),
    d(
        "reversed_remanded",
        "被改判发回重审数",
        Unit::Count,
        "一审结案中二审改判或发回重审的案件数",
    ),
    d(
        "reversal_remand_rate",
        "一审被改判发回重审率",
        Unit::Rate,
        "被改判发回重审数 ÷ 一审结案数",
    ),
    d(
        "mediation_withdrawal_rate",
        "调撤率",
        Unit::Rate,
        "民初结案中调解、撤诉结案的案件 ÷ 民初结案数",
    ),
    d(
        "enforcement_closed",
        "首执结案数",
        Unit::Count,
        "已结首次执行（执）案件数",
    ),
    d(
        "completion_rate",
        "执行完毕率",
        Unit::Rate,
        "执行完毕结案数 ÷ 首执结案数",
    ),
    d(
        "actual_enforcement_rate",
        "实际执行率",
        Unit::Rate,
        "（执行完毕 + 执行和解）÷ 首执结案数",
    ),
    d(
        "termination_rate",
        "首执终本率",
        Unit::Rate,
        "终结本次执行程序结案数 ÷ 首执结案数",
    ),
    d(
        "recovered_amount",
        "执行到位金额（元）",
        Unit::Amount,
        "已结执、执恢案件执行到位金额之和",
    ),
    d(
        "recovery_rate",
        "执行到位率",
        Unit::Rate,
        "执行到位金额 ÷ 申请执行标的金额（首执结案）",
    ),
    d(
        "case_matter_ratio",
        "案件比",
        Unit::Ratio,
        "（案 + 衍生案件）÷ 案，按新收案件计",
    ),
    d(
        "same_day_registration_rate",
        "当场立案率",
        Unit::Rate,
        "收到材料当日立案的案件 ÷ 有收案日期的新收案件",
    ),
    d(
        "registration_within_7d_rate",
        "7日内立案率",
        Unit::Rate,
        "收到材料7日内立案的案件 ÷ 有收案日期的新收案件",
    ),
];

/// The definition of an indicator by id.
pub fn definition(id: &str) -> &'static IndicatorDef {
    DEFINITIONS
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no definition for indicator {id}"))
}

/// A value as a bulletin writes it: `95.73%`, `12345`, `86.50`; `—` when undefined.
pub fn show(unit: Unit, value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) => match unit {
            Unit::Count => format!("{v:.0}"),
            Unit::Rate => format!("{:.2}%", v * 100.0),
            Unit::Days | Unit::Amount | Unit::Ratio => format!("{v:.2}"),
        },
    }
}

/// A yuan amount in 万元 or 亿元 for prose: `3456.78万元`, `12.35亿元`.
pub fn amount_zh(yuan: f64) -> String {
    if yuan.abs() >= 1e8 {
        format!("{:.2}亿元", yuan / 1e8)
    } else {
        format!("{:.2}万元", yuan / 1e4)
    }
}

/// The change against the same period of the previous year (同比):
/// counts, amounts and days as a relative change (`同比上升16.00%`, `同比下降3.20%`), rates
/// as percentage points (`同比上升2.30个百分点`); `与去年同期持平` when the two decimals are
/// equal; `None` when there is nothing to compare with (no previous figure, or a previous
/// count of 0).
pub fn change(unit: Unit, current: Option<f64>, previous: Option<f64>) -> Option<String> {
    let (cur, prev) = (current?, previous?);
    let (delta, suffix) = match unit {
        Unit::Rate => ((cur - prev) * 100.0, "个百分点"),
        _ if prev == 0.0 => return None,
        _ => ((cur - prev) / prev.abs() * 100.0, "%"),
    };
    let rounded = (delta * 100.0).round() / 100.0;
    Some(if rounded == 0.0 {
        "与去年同期持平".to_owned()
    } else if rounded > 0.0 {
        format!("同比上升{rounded:.2}{suffix}")
    } else {
        format!("同比下降{:.2}{suffix}", -rounded)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_change_as_percents_with_two_decimals() {
        assert_eq!(
            change(Unit::Count, Some(116.0), Some(100.0)).as_deref(),
            Some("同比上升16.00%")
        );
        assert_eq!(
            change(Unit::Count, Some(968.0), Some(1000.0)).as_deref(),
            Some("同比下降3.20%")
        );
        assert_eq!(
            change(Unit::Amount, Some(5.0), Some(5.0)).as_deref(),
            Some("与去年同期持平")
        );
        assert_eq!(change(Unit::Count, Some(5.0), Some(0.0)), None);
        assert_eq!(change(Unit::Count, Some(5.0), None), None);
    }

    #[test]
    fn rates_change_in_percentage_points() {
        assert_eq!(
            change(Unit::Rate, Some(0.9573), Some(0.9343)).as_deref(),
            Some("同比上升2.30个百分点")
        );
        assert_eq!(
            change(Unit::Rate, Some(0.9), Some(0.923)).as_deref(),
            Some("同比下降2.30个百分点")
        );
        assert_eq!(
            change(Unit::Rate, Some(0.9), Some(0.9)).as_deref(),
            Some("与去年同期持平")
        );
    }

    #[test]
    fn values_are_written_with_two_decimals() {
        assert_eq!(show(Unit::Rate, Some(0.9573)), "95.73%");
        assert_eq!(show(Unit::Rate, Some(1.0)), "100.00%");
        assert_eq!(show(Unit::Count, Some(1200.0)), "1200");
        assert_eq!(show(Unit::Days, Some(86.5)), "86.50");
        assert_eq!(show(Unit::Rate, None), "—");
        assert_eq!(amount_zh(123_456_789.0), "1.23亿元");
        assert_eq!(amount_zh(34_567_800.0), "3456.78万元");
    }

    #[test]
    fn every_definition_names_a_known_indicator() {
        for def in DEFINITIONS {
            assert!(
                tianping_metrics::indicators::INDICATOR_IDS.contains(&def.id),
                "{}",
                def.id
            );
        }
    }
}
