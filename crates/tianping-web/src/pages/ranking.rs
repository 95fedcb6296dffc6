//! `/ranking` (法院排名): every court of one level within the user's scope on one indicator, for
//! any period, with the indicator's reference interval (区间参考值) and the courts `tianping
//! assess` marks 相对薄弱 (the weak-court programme, 脱薄). The order is by the indicator, best
//! first by its direction; the page never ranks blindly: a rate over too few cases is shown
//! but not judged, and the weak mark comes from all intervals together, not from one figure.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tianping_domain::CourtLevel;
use tianping_metrics::assess::{AssessSettings, assess_between, rate_base};
use tianping_metrics::catalogue::{self, CATALOGUE, Direction};
use tianping_report::charts::{Band, Bar, ValueFormat, indicator_bar_chart};

use super::courts::{interval_of, intervals, qv, seg, show_interval, value_text};
use super::period::{PagePeriod, PeriodQuery};
use super::table::{Cell, filter_query, workbook, xlsx_response};
use super::{base, court_options, nonempty};
use crate::auth::{CourtLevelUser, CourtLevelView, RankingView};
use crate::scope::authorize;
use crate::{AppState, WebError};

#[derive(Debug, Deserialize, Default)]
pub struct RankingParams {
    court: Option<String>,
    level: Option<String>,
    indicator: Option<String>,
    format: Option<String>,
    #[serde(flatten)]
    period: PeriodQuery,
}

#[derive(Debug, Serialize)]
struct RankingRow {
    place: Option<usize>,
    code: String,
    name: String,
    href: String,
    value: String,
    raw: Option<f64>,
    base: Option<u64>,
    /// `in`, `out`, `few` (not judged: too few cases) or absent (no interval).
    status: Option<&'static str>,
    outside_count: usize,
    score: f64,
    weak: bool,
}

const LEVELS: [CourtLevel; 4] = [
    CourtLevel::High,
    CourtLevel::Intermediate,
    CourtLevel::Basic,
    CourtLevel::Special,
];

pub async fn page(
    State(state): State<AppState>,
    court_user: CourtLevelUser<RankingView>,
    Query(p): Query<RankingParams>,
) -> Result<Response, WebError> {
    let user = court_user.into_user();
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, nonempty(&p.court), &*data)?;
    let period = PagePeriod::read(&p.period, &data)?;
    let level = match nonempty(&p.level) {
        None => CourtLevel::Basic,
        Some(text) => CourtLevel::parse(text)
            .filter(|l| LEVELS.contains(l))
            .ok_or_else(|| {
                WebError::BadRequest(format!(
                    "层级“{text}”应为 high（高级）、intermediate（中级）、basic（基层）或 special（专门）"
                ))
            })?,
    };
    let indicator_id = nonempty(&p.indicator).unwrap_or("within_limit_rate");
    let def = catalogue::lookup(indicator_id)
        .ok_or_else(|| WebError::BadRequest(format!("指标“{indicator_id}”不在指标目录中")))?;
    let xlsx = match nonempty(&p.format) {
        None | Some("html") => false,
        Some("xlsx") => true,
        Some(other) => {
            return Err(WebError::BadRequest(format!("format：“{other}”不是 xlsx")));
        }
    };
    let snapshot = data
        .scoped(&scope)
        .snapshot_for_reports()
        .ok_or_else(|| WebError::Forbidden(<RankingView as CourtLevelView>::REFUSAL.to_owned()))?;
    let settings: &AssessSettings = intervals();
    let assessed = assess_between(
        snapshot,
        (period.from, period.to),
        scope.court(),
        level,
        settings,
    )
    .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let interval = interval_of(def.id, level);
    let mut rows: Vec<RankingRow> = assessed
        .iter()
        .map(|r| {
            let raw = r.indicators.value(def.id);
            let judged = settings.judges(&r.indicators, def.id);
            let status = match (interval, raw) {
                (Some(_), Some(_)) if !judged => Some("few"),
                (Some((min, max)), Some(v)) => Some(
                    if min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m) {
                        "in"
                    } else {
                        "out"
                    },
                ),
                _ => None,
            };
            RankingRow {
                place: None,
                code: r.court_code.clone(),
                name: r.court_name.clone(),
                href: format!("/courts/{}?{}", seg(&r.court_code), period.query()),
                value: value_text(def.unit, raw),
                raw,
                base: rate_base(&r.indicators, def.id),
                status,
                outside_count: r.standing.outside_count,
                score: r.standing.score,
                weak: r.standing.weak,
            }
        })
        .collect();
    // Best first by the indicator's direction; courts without a value last, by code.
    let better_first = |a: f64, b: f64| match def.direction {
        Direction::Lower => a.total_cmp(&b),
        _ => b.total_cmp(&a),
    };
    rows.sort_by(|a, b| match (a.raw, b.raw) {
        (Some(x), Some(y)) => better_first(x, y).then_with(|| a.code.cmp(&b.code)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.code.cmp(&b.code),
    });
    // Equal values share a place (1, 2, 2, 4).
    let mut last: Option<(f64, usize)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        if let Some(v) = row.raw {
            let place = match last {
                Some((prev, place)) if prev == v => place,
                _ => i + 1,
            };
            row.place = Some(place);
            last = Some((v, place));
        }
    }
    let interval_text = interval.map(|(min, max)| show_interval(def.id, min, max));
    let scope_name = scope
        .court()
        .map_or("全部法院", |c| courts.name_of(c))
        .to_owned();
    if xlsx {
        let columns = [
            ("名次", 8.0),
            ("法院", 28.0),
            ("法院代码", 10.0),
            (def.zh, 14.0),
            ("计算基数（件）", 14.0),
            ("参考区间", 16.0),
            ("区间状态", 12.0),
            ("超出区间指标数", 14.0),
            ("综合得分", 10.0),
            ("相对薄弱", 10.0),
        ];
        let cells: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| {
                vec![
                    Cell::opt_number(r.place.map(|p| p as f64)),
                    Cell::text(&r.name),
                    Cell::text(&r.code),
                    match (def.unit, r.raw) {
                        (catalogue::Unit::Rate, Some(v)) => Cell::Percent(v),
                        (_, v) => Cell::opt_number(v),
                    },
                    Cell::opt_number(r.base.map(|b| b as f64)),
                    Cell::text(interval_text.clone().unwrap_or_default()),
                    Cell::text(status_zh(r.status)),
                    Cell::Number(r.outside_count as f64),
                    Cell::Number(r.score),
                    Cell::text(if r.weak { "是" } else { "" }),
                ]
            })
            .collect();
        let bytes = workbook("法院排名", &columns, &cells)?;
        state
            .audit(
                user.username(),
                "export",
                format!(
                    "导出法院排名 XLSX：范围 {}，{}法院，{}，{}",
                    scope.key(),
                    level.name_zh(),
                    def.zh,
                    period.label
                ),
            )
            .await?;
        let filename = format!("ranking-{}-{}-{}.xlsx", scope.key(), level.id(), def.id);
        return Ok(xlsx_response(bytes, "ranking.xlsx", &filename));
    }
    let chart = (!rows.is_empty()).then(|| {
        let bars: Vec<Bar> = rows
            .iter()
            .map(|r| Bar {
                label: r.name.clone(),
                value: r.raw,
                href: Some(r.href.clone()),
            })
            .collect();
        let format = match def.unit {
            catalogue::Unit::Rate => ValueFormat::Percent,
            _ => ValueFormat::Number,
        };
        let band = interval.map(|(min, max)| Band {
            low: min.unwrap_or(0.0),
            high: max.unwrap_or(if def.unit == catalogue::Unit::Rate {
                1.0
            } else {
                f64::MAX
            }),
        });
        indicator_bar_chart(
            &format!("{}{}法院{}", scope_name, level.name_zh(), def.zh),
            &bars,
            format,
            band.filter(|b| b.high < f64::MAX),
        )
    });
    let filters = filter_query(&[
        ("court", scope.court().map(str::to_owned)),
        ("level", Some(level.id().to_owned())),
        ("indicator", Some(def.id.to_owned())),
    ]);
    let weak: Vec<&str> = rows
        .iter()
        .filter(|r| r.weak)
        .map(|r| r.name.as_str())
        .collect();
    let levels: Vec<minijinja::Value> = LEVELS
        .iter()
        .map(|l| context! { id => l.id(), zh => format!("{}法院", l.name_zh()) })
        .collect();
    let indicators: Vec<minijinja::Value> = CATALOGUE
        .iter()
        .map(|d| context! { id => d.id, zh => d.zh })
        .collect();
    state
        .templates
        .render(
            "ranking.html",
            context! {
                title => "法院排名",
                court => scope.court(),
                scope_name => scope_name,
                level => level.id(),
                level_zh => level.name_zh(),
                indicator => def.id,
                indicator_zh => def.zh,
                interval => interval_text,
                min_cases => settings.min_cases,
                weak_share => (settings.weak_share * 100.0).round(),
                rows => rows,
                weak => weak,
                chart => chart,
                levels => levels,
                indicators => indicators,
                page_period => &period,
                period_choices => period.choices(),
                export => format!("/ranking?{filters}&{}&format=xlsx", period.query()),
                indicator_href => format!("/indicators#{}", qv(def.id)),
                court_options => court_options(&data, &user_scope),
                ..minijinja::Value::from_serialize(base(&user, courts, "ranking"))
            },
        )
        .map(IntoResponse::into_response)
}

fn status_zh(status: Option<&str>) -> &'static str {
    match status {
        Some("in") => "区间内",
        Some("out") => "超出区间",
        Some("few") => "案件过少，不作评判",
        _ => "",
    }
}
