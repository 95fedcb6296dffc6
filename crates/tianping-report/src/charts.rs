//! Charts as SVG text, drawn by hand: pure functions from figures to a string, the same for a web
//! page and a printed report. Every text is escaped; every bar carries a `<title>` with its exact
//! figure (the tooltip, and what a screen reader reads).
//!
//! The pictures are sized by `viewBox` and scale to their container; the font is the system's
//! Chinese font stack (no web fonts on a court intranet).

use std::fmt::Write;

/// The font stack of the pages, repeated here so that a chart saved on its own looks the same.
pub const FONT_STACK: &str =
    "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif";

const FILED_COLOUR: &str = "#3b6ea8";
const CLOSED_COLOUR: &str = "#d9822b";
const BAR_COLOUR: &str = "#3b6ea8";
const OUTSIDE_COLOUR: &str = "#c0392b";
const BAND_COLOUR: &str = "#2e8b57";

/// Text escaped for SVG (XML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One month of case flow: how many cases were filed (新收) and closed (已结).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFlow {
    /// `1月`, `2024-01`…
    pub label: String,
    pub filed: u64,
    pub closed: u64,
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * power >= max {
            return step * power;
        }
    }
    10.0 * power
}

/// Round ticks for a count axis from 0 to at least `max`: the step is 1, 2 or 5 times a power of
/// ten (at least 1: counts are whole), with at most five intervals; returns (step, top).
/// 4,300 cases: 0, 1000, 2000, 3000, 4000, 5000 — never 1250 or 3750.
pub fn count_ticks(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 4.0);
    }
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
        .max(1.0)
        .round();
    let top = (max / step).ceil().max(1.0) * step;
    (step, top)
}

/// Grouped bars, filed and closed side by side for each month, with a legend and a value axis.
pub fn monthly_flow_chart(title: &str, months: &[MonthFlow]) -> String {
    let (width, height) = (720.0, 280.0);
    let (left, right, top, bottom) = (56.0, 16.0, 40.0, 36.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = months
        .iter()
        .map(|m| m.filed.max(m.closed))
        .max()
        .unwrap_or(0) as f64;
    let (step, ceiling) = count_ticks(max);
    let intervals = (ceiling / step).round() as u32;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-monthly" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" font-family="{FONT_STACK}" font-size="12">"#,
        t = escape(title),
    );
    let _ = write!(
        svg,
        r#"<text x="{left}" y="18" font-size="14" font-weight="bold">{}</text>"#,
        escape(title)
    );
    // Legend.
    let legend_x = width - right - 150.0;
    let _ = write!(
        svg,
        r#"<rect x="{legend_x}" y="8" width="12" height="12" fill="{FILED_COLOUR}"/><text x="{}" y="18">新收</text><rect x="{}" y="8" width="12" height="12" fill="{CLOSED_COLOUR}"/><text x="{}" y="18">已结</text>"#,
        legend_x + 16.0,
        legend_x + 70.0,
        legend_x + 86.0
    );
    // Axis with a gridline at each round tick.
    for k in 0..=intervals {
        let value = step * f64::from(k);
        let y = top + plot_h - plot_h * value / ceiling;
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/><text class="tick" x="{}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            width - right,
            left - 6.0,
            y + 4.0,
            value.round()
        );
    }
    let n = months.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.36).min(28.0);
    for (i, m) in months.iter().enumerate() {
        let x0 = left + slot * i as f64 + slot / 2.0;
        for (j, (value, colour, name)) in [
            (m.filed, FILED_COLOUR, "新收"),
            (m.closed, CLOSED_COLOUR, "已结"),
        ]
        .into_iter()
        .enumerate()
        {
            let h = plot_h * value as f64 / ceiling;
            let x = if j == 0 { x0 - bar_w } else { x0 };
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{h:.1}" fill="{colour}"><title>{} {name} {value}</title></rect>"#,
                top + plot_h - h,
                escape(&m.label)
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{x0:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            height - bottom + 16.0,
            escape(&m.label)
        );
    }
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#888"/></svg>"##,
        top + plot_h,
        width - right,
        top + plot_h
    );
    svg
}

/// How the values of a bar chart are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// Fractions shown as percents with two decimals (0.9573 → 95.73%).
    Percent,
    /// Numbers with up to two decimals.
    Number,
}

impl ValueFormat {
    pub fn show(self, value: f64) -> String {
        match self {
            ValueFormat::Percent => format!("{:.2}%", value * 100.0),
            ValueFormat::Number if value.fract() == 0.0 => format!("{value:.0}"),
            ValueFormat::Number => format!("{value:.2}"),
        }
    }
}

/// One bar: a court (or division, judge) and its figure; `None` where the figure is undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// Where a click on the label leads (drill-down), if anywhere.
    pub href: Option<String>,
}

/// A reference interval (区间参考值): values inside `[low, high]` are in the normal range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub low: f64,
    pub high: f64,
}

/// Horizontal bars, one per item, with the value written at the end of each bar. With a band,
/// the interval is shaded and bars outside it are drawn in red.
pub fn indicator_bar_chart(
    title: &str,
    bars: &[Bar],
    format: ValueFormat,
    band: Option<Band>,
) -> String {
    let row_h = 24.0;
    let (left, right, top, bottom) = (190.0, 80.0, 34.0, 12.0);
    let width = 720.0;
    let height = top + bottom + row_h * bars.len().max(1) as f64;
    let plot_w = width - left - right;
    let max = bars
        .iter()
        .filter_map(|b| b.value)
        .chain(band.map(|b| b.high))
        .fold(0.0_f64, f64::max);
    let ceiling = match format {
        ValueFormat::Percent if max <= 1.0 => 1.0,
        _ => nice_ceiling(max),
    };
    // Rates that all lie high up (审限内结案率 around 98%) would draw bars of equal length: the
    // axis then starts at a round five percent below the lowest value, and says so.
    let min = bars
        .iter()
        .filter_map(|b| b.value)
        .chain(band.map(|b| b.low))
        .fold(f64::INFINITY, f64::min);
    let floor = if format == ValueFormat::Percent && ceiling == 1.0 && min.is_finite() && min > 0.5
    {
        (((min - 0.02) * 20.0).floor() / 20.0).max(0.0)
    } else {
        0.0
    };
    let scale = |v: f64| plot_w * ((v - floor).max(0.0) / (ceiling - floor)).min(1.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" font-family="{FONT_STACK}" font-size="12">"#,
        t = escape(title)
    );
    let _ = write!(
        svg,
        r#"<text x="8" y="18" font-size="14" font-weight="bold">{}</text>"#,
        escape(title)
    );
    let _ = write!(
        svg,
        r##"<text class="axis" x="{left}" y="{:.1}" font-size="10" fill="#888">{}</text><text class="axis" x="{:.1}" y="{:.1}" font-size="10" fill="#888" text-anchor="end">{}</text>"##,
        top - 8.0,
        format.show(floor),
        left + plot_w,
        top - 8.0,
        format.show(ceiling)
    );
    if let Some(band) = band {
        let x = left + scale(band.low);
        let w = (scale(band.high) - scale(band.low)).max(1.0);
        let _ = write!(
            svg,
            r#"<rect class="band" x="{x:.1}" y="{}" width="{w:.1}" height="{:.1}" fill="{BAND_COLOUR}" fill-opacity="0.12"><title>参考区间 {} – {}</title></rect>"#,
            top - 4.0,
            row_h * bars.len().max(1) as f64 + 4.0,
            format.show(band.low),
            format.show(band.high)
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let label = escape(&bar.label);
        let label_svg = format!(
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#222">{label}</text>"##,
            left - 8.0,
            y + 15.0
        );
        match &bar.href {
            Some(href) => {
                let _ = write!(svg, r#"<a href="{}">{label_svg}</a>"#, escape(href));
            }
            None => svg.push_str(&label_svg),
        }
        match bar.value {
            Some(value) => {
                let outside = band.is_some_and(|b| value < b.low || value > b.high);
                let colour = if outside { OUTSIDE_COLOUR } else { BAR_COLOUR };
                let w = scale(value).max(1.0);
                let shown = format.show(value);
                let _ = write!(
                    svg,
                    r##"<rect class="bar" x="{left}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{colour}"><title>{label} {shown}</title></rect><text x="{:.1}" y="{:.1}" fill="#222">{shown}</text>"##,
                    y + 3.0,
                    row_h - 8.0,
                    left + w + 6.0,
                    y + 15.0
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<text x="{:.1}" y="{:.1}" fill="#888">—</text>"##,
                    left + 6.0,
                    y + 15.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    fn months(n: usize) -> Vec<MonthFlow> {
        (1..=n)
            .map(|m| MonthFlow {
                label: format!("{m}月"),
                filed: 10 * m as u64,
                closed: 8 * m as u64,
            })
            .collect()
    }

    #[test]
    fn the_monthly_chart_has_two_bars_a_month_and_a_label_for_each() {
        let svg = monthly_flow_chart("2024年新收与已结", &months(12));
        assert_eq!(count(&svg, r#"<rect class="bar""#), 24);
        assert!(svg.contains(">12月</text>"));
        assert!(svg.contains("<title>3月 新收 30</title>"));
        assert!(svg.contains("<title>3月 已结 24</title>"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn the_tallest_bar_fills_the_plot_when_the_maximum_is_a_nice_number() {
        // 12月 filed 120 cases; the axis runs to 150 in steps of 50 (1, 2, 5 × 10^n).
        let svg = monthly_flow_chart("t", &months(12));
        assert!(
            svg.contains(">150</text>") && !svg.contains(">200</text>"),
            "axis top 150"
        );
        assert_eq!(nice_ceiling(120.0), 200.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.2), 5.0);
    }

    #[test]
    fn count_axes_have_round_ticks() {
        assert_eq!(count_ticks(4_300.0), (1_000.0, 5_000.0));
        assert_eq!(count_ticks(100.0), (20.0, 100.0));
        assert_eq!(count_ticks(7.0), (2.0, 8.0));
        assert_eq!(count_ticks(3.0), (1.0, 3.0));
        assert_eq!(count_ticks(0.0), (1.0, 4.0));
        for max in [1.0, 9.0, 37.0, 1_234.0, 98_765.0, 2_500_001.0] {
            let (step, top) = count_ticks(max);
            let power = 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].contains(&(step / power)),
                "{max}: step {step}"
            );
            assert!(top >= max && top / step <= 6.0, "{max}: {step} {top}");
        }
        // The chart's tick labels are those multiples.
        let svg = monthly_flow_chart(
            "t",
            &[MonthFlow {
                label: "1月".into(),
                filed: 4_300,
                closed: 3_100,
            }],
        );
        let ticks: Vec<&str> = svg
            .split("class=\"tick\"")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
            .collect();
        assert_eq!(ticks, ["0", "1000", "2000", "3000", "4000", "5000"]);
    }

    #[test]
    fn an_empty_year_draws_an_empty_chart() {
        let svg = monthly_flow_chart("空", &[]);
        assert_eq!(count(&svg, r#"class="bar""#), 0);
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let svg = indicator_bar_chart(
            "结案率 <测试> & \"引号\"",
            &[Bar {
                label: "<script>alert('x')</script>".into(),
                value: Some(0.5),
                href: Some("/courts/皖0202?a=1&b=2".into()),
            }],
            ValueFormat::Percent,
            None,
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(svg.contains("结案率 &lt;测试&gt; &amp; &quot;引号&quot;"));
        assert!(svg.contains(r#"href="/courts/皖0202?a=1&amp;b=2""#));
        let monthly = monthly_flow_chart(
            "a<b",
            &[MonthFlow {
                label: "&".into(),
                filed: 1,
                closed: 0,
            }],
        );
        assert!(monthly.contains(">&amp;</text>") && monthly.contains("a&lt;b"));
    }

    #[test]
    fn the_bar_chart_draws_one_bar_per_defined_value_and_marks_those_outside_the_band() {
        let bars = vec![
            Bar {
                label: "镜湖区".into(),
                value: Some(0.95),
                href: None,
            },
            Bar {
                label: "弋江区".into(),
                value: Some(0.70),
                href: None,
            },
            Bar {
                label: "鸠江区".into(),
                value: None,
                href: None,
            },
        ];
        let svg = indicator_bar_chart(
            "审限内结案率",
            &bars,
            ValueFormat::Percent,
            Some(Band {
                low: 0.9,
                high: 1.0,
            }),
        );
        assert_eq!(count(&svg, r#"<rect class="bar""#), 2, "no bar for null");
        assert_eq!(count(&svg, r#"class="band""#), 1);
        assert_eq!(count(&svg, OUTSIDE_COLOUR), 1, "70% lies outside 90%–100%");
        assert!(svg.contains("<title>镜湖区 95.00%</title>"));
        assert!(svg.contains(">—</text>"));
        assert!(svg.contains("参考区间 90.00% – 100.00%"));
    }

    #[test]
    fn high_rates_get_an_axis_that_starts_below_the_lowest_value() {
        let bars = vec![
            Bar {
                label: "甲".into(),
                value: Some(0.9874),
                href: None,
            },
            Bar {
                label: "乙".into(),
                value: Some(0.9794),
                href: None,
            },
        ];
        // Lowest 97.94% (band from 95%): 95% − 2 points = 93% → the axis starts at 90.00%.
        let svg = indicator_bar_chart(
            "审限内结案率",
            &bars,
            ValueFormat::Percent,
            Some(Band {
                low: 0.95,
                high: 1.0,
            }),
        );
        assert!(
            svg.contains(">90.00%</text>") && svg.contains(">100.00%</text>"),
            "{svg}"
        );
        // Low rates keep the axis at zero.
        let low = indicator_bar_chart(
            "r",
            &bars[..1]
                .iter()
                .map(|b| Bar {
                    value: Some(0.3),
                    ..b.clone()
                })
                .collect::<Vec<_>>(),
            ValueFormat::Percent,
            None,
        );
        assert!(low.contains(">0.00%</text>"));
    }

    #[test]
    fn values_are_written_as_the_office_reads_them() {
        assert_eq!(ValueFormat::Percent.show(0.9573), "95.73%");
        assert_eq!(ValueFormat::Number.show(12.0), "12");
        assert_eq!(ValueFormat::Number.show(12.345), "12.35");
    }
}
