//! How figures are written in a bulletin: the units of the indicators, their Chinese names and
//! definitions, and the change against the same period of the previous year (同比) in the words
//! court reports use. Two decimals everywhere: `95.73%`, `同比上升16.00%`, `上升2.30个百分点`.

pub use tianping_metrics::catalogue::{CATALOGUE as DEFINITIONS, IndicatorDef, Unit, show};

/// The catalogue entry of an indicator id the bulletin shows (every id it names is one).
pub fn definition(id: &str) -> &'static IndicatorDef {
    tianping_metrics::catalogue::lookup(id)
        .unwrap_or_else(|| panic!("no definition for indicator {id}"))
}

/// An indicator's column or row label in a table: amounts are in 万元 there, so that a
/// province's figures never wrap in a narrow column (`执行到位金额（万元）`).
pub fn table_label(def: &IndicatorDef) -> String {
    match def.unit {
        Unit::Yuan => format!("{}（万元）", def.zh),
        _ => def.label(),
    }
}

/// The number a table stores for a value: amounts in 万元, the rest as they are.
pub fn table_number(unit: Unit, value: f64) -> f64 {
    match unit {
        Unit::Yuan => value / 1e4,
        _ => value,
    }
}

/// A value as a table writes it: amounts in 万元 with two decimals (`3456.78`), the rest as
/// [`show`] writes them.
pub fn table_text(unit: Unit, value: Option<f64>) -> String {
    match (unit, value) {
        (Unit::Yuan, Some(v)) => format!("{:.2}", v / 1e4),
        _ => show(unit, value),
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
            change(Unit::Yuan, Some(5.0), Some(5.0)).as_deref(),
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
    fn tables_write_amounts_in_ten_thousands_of_yuan() {
        assert_eq!(table_text(Unit::Yuan, Some(123_456_789.0)), "12345.68");
        assert_eq!(table_number(Unit::Yuan, 34_567_800.0), 3456.78);
        assert_eq!(table_text(Unit::Rate, Some(0.9573)), "95.73%");
        assert_eq!(table_text(Unit::Yuan, None), "—");
        assert_eq!(
            table_label(definition("recovered_amount")),
            "执行到位金额（万元）"
        );
    }
}
