//! The overview of the user's court and the drill-down: court → courts below or divisions →
//! judges → cases.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use serde::Serialize;
use tianping_domain::{CourtLevel, CourtTable};
use tianping_metrics::assess::AssessSettings;
use tianping_metrics::catalogue::{self, Direction, IndicatorDef, Unit};
use tianping_metrics::deadlines::StatusFilter;
use tianping_metrics::{DeadlineFilter, GroupBy};
use tianping_metrics::{IndicatorRow, Indicators};
use tianping_report::charts::{
    Band, Bar, MonthFlow, ValueFormat, indicator_bar_chart, monthly_flow_chart,
};

use super::period::{Compare, PagePeriod, PeriodQuery};
use super::{base, breadcrumb};
use crate::auth::CurrentUser;
use crate::data::{CaseFilter, CaseState, Data};
use crate::scope::{CourtScope, authorize};
use crate::{AppState, WebError, today};

/// The key indicators of the overview, in the order of its cards. Name, unit and direction come
/// from the catalogue (`tianping_metrics::catalogue`).
pub const KEY_INDICATORS: [&str; 8] = [
    "filed",
    "closed",
    "clearance_rate",
    "within_limit_rate",
    "pending_over_12m",
    "acceptance_rate",
    "avg_duration_days",
    "recovered_amount",
];

/// The catalogue entry of an indicator the pages name (every id they use is one).
fn def(id: &str) -> &'static IndicatorDef {
    catalogue::lookup(id).unwrap_or_else(|| panic!("indicator {id} is not in the catalogue"))
}

/// A unit's number as the pages write it: yuan with thousands separators, the rest as the
/// catalogue writes it (`95.73%`, `1.60`, `86.50`, `1200`).
pub(super) fn value_text(unit: Unit, value: Option<f64>) -> String {
    match (unit, value) {
        (Unit::Yuan, Some(v)) => crate::templates::money_text(v),
        _ => catalogue::show(unit, value),
    }
}

pub(super) fn intervals() -> &'static AssessSettings {
    static SETTINGS: OnceLock<AssessSettings> = OnceLock::new();
    SETTINGS.get_or_init(AssessSettings::defaults)
}

pub(super) fn show_interval(id: &str, min: Option<f64>, max: Option<f64>) -> String {
    let show = |v: f64| value_text(def(id).unit, Some(v));
    match (min, max) {
        (Some(lo), Some(hi)) => format!("{}–{}", show(lo), show(hi)),
        (Some(lo), None) => format!("≥{}", show(lo)),
        (None, Some(hi)) => format!("≤{}", show(hi)),
        (None, None) => String::new(),
    }
}

/// The indicators of a court of `level` that fall outside their reference interval
/// (区间参考值), as "名称 数值（区间）".
pub fn outside_intervals(values: &Indicators, level: CourtLevel) -> Vec<String> {
    intervals()
        .intervals
        .iter()
        .filter(|i| i.level.is_none_or(|l| l == level))
        .filter(|i| intervals().judges(values, &i.indicator))
        .filter_map(|i| {
            let v = values.value(&i.indicator)?;
            let entry = catalogue::lookup(&i.indicator)?;
            (!i.contains(v)).then(|| {
                format!(
                    "{} {}（参考区间 {}）",
                    entry.zh,
                    value_text(entry.unit, Some(v)),
                    show_interval(&i.indicator, i.min, i.max)
                )
            })
        })
        .collect()
}

/// The interval of one indicator for a level, if the settings have one.
pub(super) fn interval_of(id: &str, level: CourtLevel) -> Option<(Option<f64>, Option<f64>)> {
    intervals()
        .intervals
        .iter()
        .find(|i| i.indicator == id && i.level.is_none_or(|l| l == level))
        .map(|i| (i.min, i.max))
}

/// The change against the same period last year, as the office writes it: rates in percentage
/// points ("同比下降2.30个百分点"), everything else in percent ("同比上升16.00%"). The class
/// says whether the change is good (`good`), bad (`bad`) or none (`flat`).
/// The change in the words of a comparison: 同比 against the same period a year earlier,
/// 环比 against the period just before.
pub fn change_text_as(
    compare: Compare,
    unit: Unit,
    now: Option<f64>,
    before: Option<f64>,
    lower_is_better: bool,
) -> (String, &'static str) {
    let word = compare.word();
    let earlier = match compare {
        Compare::Yoy => "去年同期",
        Compare::Prev => "上期",
    };
    let (Some(now), Some(before)) = (now, before) else {
        return (format!("{earlier}无可比数据"), "flat");
    };
    let class = |up: bool| if up != lower_is_better { "good" } else { "bad" };
    if unit == Unit::Rate {
        let points = (now - before) * 100.0;
        if points.abs() < 0.005 {
            return (format!("{word}持平"), "flat");
        }
        let dir = if points > 0.0 { "上升" } else { "下降" };
        return (
            format!("{word}{dir}{:.2}个百分点", points.abs()),
            class(points > 0.0),
        );
    }
    if before == 0.0 {
        return if now == 0.0 {
            (format!("{word}持平"), "flat")
        } else {
            (format!("{earlier}为0"), "flat")
        };
    }
    let percent = (now - before) / before * 100.0;
    if percent.abs() < 0.005 {
        return (format!("{word}持平"), "flat");
    }
    let dir = if percent > 0.0 { "上升" } else { "下降" };
    (
        format!("{word}{dir}{:.2}%", percent.abs()),
        class(percent > 0.0),
    )
}

#[derive(Debug, Serialize)]
struct Card {
    id: &'static str,
    label: String,
    value: String,
    before: String,
    change: String,
    class: &'static str,
    /// `in`, `out`, or absent when there is no interval.
    status: Option<&'static str>,
    interval: Option<String>,
}

fn cards(
    now: Option<&Indicators>,
    before: Option<&Indicators>,
    level: Option<CourtLevel>,
    compare: Compare,
) -> Vec<Card> {
    KEY_INDICATORS
        .iter()
        .map(|&id| {
            let entry = def(id);
            let v = now.and_then(|i| i.value(id));
            let b = before.and_then(|i| i.value(id));
            let lower = entry.direction == Direction::Lower;
            let (change, class) = change_text_as(compare, entry.unit, v, b, lower);
            let interval = level.and_then(|l| interval_of(id, l));
            let judged = now.is_none_or(|i| intervals().judges(i, id));
            let status = match (interval, v) {
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
            Card {
                id,
                label: entry.label(),
                value: value_text(entry.unit, v),
                before: value_text(entry.unit, b),
                change,
                class,
                status,
                interval: interval.map(|(min, max)| show_interval(id, min, max)),
            }
        })
        .collect()
}

/// A row of a drill-down table: a court, division or judge with its indicators.
#[derive(Debug, Serialize)]
struct Row {
    key: String,
    name: String,
    href: Option<String>,
    /// The deadline list of the row's overdue cases.
    overdue_href: Option<String>,
    /// `None` where the row has no cases in the period (the table shows "—").
    ind: Option<Indicators>,
    outside: Option<Vec<String>>,
}

/// A path segment, percent-encoded (court codes, division and judge names are Chinese).
pub fn seg(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query value, percent-encoded.
pub fn qv(text: &str) -> String {
    seg(text)
}

/// The reference date of a page: `?as_of=` or the data's reference date.
pub fn reference_date(data: &Data, as_of: Option<&str>) -> Result<NaiveDate, WebError> {
    match as_of.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => tianping_domain::dates::parse_date(text)
            .map_err(|e| WebError::BadRequest(format!("截至日期：{}", e.zh()))),
        None => Ok(data.reference_date(today())),
    }
}

/// The same day a year earlier (29 February becomes 28 February).
pub fn year_before(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year() - 1, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(date.year() - 1, date.month(), 28))
        .unwrap_or(date)
}

fn top_courts(courts: &CourtTable) -> Vec<String> {
    courts
        .iter()
        .filter(|c| courts.parent_of(&c.code).is_none())
        .map(|c| c.code.clone())
        .collect()
}

fn first(rows: &[IndicatorRow]) -> Option<Indicators> {
    rows.first().map(|r| r.indicators.clone())
}

/// The overview of the user's own court (administrators: every court).
pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let user_scope = authorize(&user.user, None, data.courts())?;
    // An administrator of one province starts at its high court rather than at "all courts".
    let tops = top_courts(data.courts());
    let scope = match (user_scope.court(), tops.as_slice()) {
        (None, [only]) => user_scope.narrow(&*data, only)?,
        _ => user_scope.clone(),
    };
    court_page(&state, &user, &data, &user_scope, &scope, &q, "overview").await
}

/// One court: its figures, the courts below it, its divisions.
pub async fn court(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let user_scope = authorize(&user.user, None, data.courts())?;
    let scope = authorize(&user.user, Some(&code), &*data)?;
    court_page(&state, &user, &data, &user_scope, &scope, &q, "courts").await
}

/// The pre-litigation mediation figures of a page's scope and period, with their comparison;
/// `None` when the scope has no mediations at all.
async fn pre_litigation_figures(
    state: &AppState,
    data: &Data,
    scope: &CourtScope,
    period: &PagePeriod,
) -> Result<Option<Vec<Card>>, WebError> {
    use tianping_workflow::mediation::KindFilter;
    let book = state.mediation_book().await?;
    let courts = data.courts();
    let in_scope = |court: &str| scope.contains_court(courts, court);
    if !book.mediations.iter().any(|m| in_scope(&m.court_code)) {
        return Ok(None);
    }
    let figures = |from: NaiveDate, to: NaiveDate| {
        tianping_workflow::mediation::indicators::figures(
            &book.mediations,
            &book.events,
            from,
            to,
            KindFilter::Pre,
            &in_scope,
            &state.calendar,
            &book.settings,
        )
    };
    // Once per book (one refresh interval) for each scope and period: the overview is the
    // page everyone opens.
    let key = format!(
        "pre|{}|{}|{}|{}|{}",
        scope.key(),
        period.from,
        period.to,
        period.before_from,
        period.before_to
    );
    let cached = book
        .memo
        .lock()
        .ok()
        .and_then(|memo| memo.get(&key).cloned());
    let (now, before) = match cached {
        Some(pair) if pair.len() == 2 => (pair[0].clone(), pair[1].clone()),
        _ => {
            let now = figures(period.from, period.to);
            let before = figures(period.before_from, period.before_to);
            if let Ok(mut memo) = book.memo.lock() {
                memo.insert(key, vec![now.clone(), before.clone()]);
            }
            (now, before)
        }
    };
    let card = |id: &'static str, label: &str, unit: Unit, v: Option<f64>, b: Option<f64>| {
        let (change, class) = change_text_as(period.compare, unit, v, b, false);
        Card {
            id,
            label: label.to_owned(),
            value: value_text(unit, v),
            before: value_text(unit, b),
            change,
            class,
            status: None,
            interval: None,
        }
    };
    Ok(Some(vec![
        card(
            "pre_registered",
            "诉前调解登记",
            Unit::Count,
            Some(now.registered as f64),
            Some(before.registered as f64),
        ),
        card(
            "pre_succeeded",
            "诉前调解成功",
            Unit::Count,
            Some(now.succeeded as f64),
            Some(before.succeeded as f64),
        ),
        card(
            "pre_success_rate",
            "诉前调解成功率",
            Unit::Rate,
            now.success_rate,
            before.success_rate,
        ),
    ]))
}

/// The petition, suggestion and refund figures of a page's scope and period (the reports' 信访
/// totals and 按期答复率, 司法建议 issued and 反馈率, 退费及时率), each with its comparison: petitions only for
/// those who may read them (§0.6), each module only when the scope keeps its records.
async fn workflow_figures(
    state: &AppState,
    user: &CurrentUser,
    data: &Data,
    scope: &CourtScope,
    period: &PagePeriod,
) -> Result<Vec<Card>, WebError> {
    let courts = data.courts();
    let in_scope = |court: &str| scope.contains_court(courts, court);
    let card = |id: &'static str, label: &str, unit: Unit, v: Option<f64>, b: Option<f64>| {
        let (change, class) = change_text_as(period.compare, unit, v, b, false);
        Card {
            id,
            label: label.to_owned(),
            value: value_text(unit, v),
            before: value_text(unit, b),
            change,
            class,
            status: None,
            interval: None,
        }
    };
    let mut cards = Vec::new();
    let actor = crate::mediation::actor_of(state, user).await?;
    let reads_petitions = actor.has(tianping_workflow::core::duties::Duty::PetitionOfficer)
        || actor.has(tianping_workflow::core::duties::Duty::Leader);
    if reads_petitions {
        use tianping_workflow::petitions::indicators::{GroupBy, IndicatorQuery, Sources, compute};
        let book = state.petition_book().await?;
        if book.petitions.iter().any(|p| in_scope(&p.court_code)) {
            let src = Sources {
                petitions: &book.petitions,
                matters: &book.views,
                repeats: &book.repeats,
                calendar: &state.calendar,
                settings: &book.settings,
            };
            let of = |from: NaiveDate, to: NaiveDate| {
                let query = IndicatorQuery {
                    from,
                    to,
                    as_of: to,
                    by: GroupBy::None,
                    all_matters: false,
                    in_scope: &in_scope,
                };
                compute(
                    &src,
                    &query,
                    tianping_workflow::core::compare::Compare::None,
                    "",
                )
                .1
                .into_iter()
                .next()
                .map(|r| r.indicators)
            };
            let (now, before) = (
                of(period.from, period.to),
                of(period.before_from, period.before_to),
            );
            cards.push(card(
                "petitions_received",
                "信访总量",
                Unit::Count,
                now.as_ref().map(|i| i.received as f64),
                before.as_ref().map(|i| i.received as f64),
            ));
            cards.push(card(
                "petitions_on_time",
                "信访按期答复率",
                Unit::Rate,
                now.as_ref().and_then(|i| i.handling_on_time_rate),
                before.as_ref().and_then(|i| i.handling_on_time_rate),
            ));
        }
    }
    {
        use tianping_workflow::suggestions::indicators::{GroupBy, IndicatorQuery, compute};
        let book = state.suggestion_book().await?;
        if book.suggestions.iter().any(|s| in_scope(&s.court_code)) {
            let of = |from: NaiveDate, to: NaiveDate| {
                let query = IndicatorQuery {
                    from,
                    to,
                    as_of: to,
                    by: GroupBy::None,
                    in_scope: &in_scope,
                };
                compute(
                    &book.suggestions,
                    &query,
                    "",
                    &state.calendar,
                    &book.settings,
                )
                .into_iter()
                .next()
                .map(|(_, i)| i)
            };
            let (now, before) = (
                of(period.from, period.to),
                of(period.before_from, period.before_to),
            );
            cards.push(card(
                "suggestions_issued",
                "司法建议发出",
                Unit::Count,
                now.as_ref().map(|i| i.issued as f64),
                before.as_ref().map(|i| i.issued as f64),
            ));
            cards.push(card(
                "suggestions_reply_rate",
                "司法建议反馈率",
                Unit::Rate,
                now.as_ref().and_then(|i| i.reply_rate),
                before.as_ref().and_then(|i| i.reply_rate),
            ));
        }
    }
    {
        use tianping_workflow::refunds::indicators::{GroupBy, IndicatorQuery, compute};
        let book = state.refund_book().await?;
        if book.refunds.iter().any(|r| in_scope(&r.court_code)) {
            let no_seat = |_: &str| None;
            let of = |from: NaiveDate, to: NaiveDate| {
                let query = IndicatorQuery {
                    from,
                    to,
                    as_of: to,
                    by: GroupBy::None,
                    in_scope: &in_scope,
                    seat: &no_seat,
                };
                compute(&book.refunds, &query, "", &state.calendar, &book.settings)
                    .into_iter()
                    .next()
                    .map(|(_, i)| i)
            };
            let (now, before) = (
                of(period.from, period.to),
                of(period.before_from, period.before_to),
            );
            cards.push(card(
                "refunds_on_time_rate",
                "退费及时率",
                Unit::Rate,
                now.as_ref().and_then(|i| i.on_time_rate),
                before.as_ref().and_then(|i| i.on_time_rate),
            ));
        }
    }
    Ok(cards)
}

async fn court_page(
    state: &AppState,
    user: &CurrentUser,
    data: &Data,
    user_scope: &CourtScope,
    scope: &CourtScope,
    q: &PeriodQuery,
    nav: &'static str,
) -> Result<Html<String>, WebError> {
    let courts = data.courts();
    let period = PagePeriod::read(q, data)?;
    let (from, to) = (period.from, period.to);
    let (from_before, to_before) = (period.before_from, period.before_to);
    let now_rows = data.scoped(scope).indicators(from, to, to, GroupBy::None)?;
    let before_rows =
        data.scoped(scope)
            .indicators(from_before, to_before, to_before, GroupBy::None)?;
    // A judge's own figures are not judged against a court's reference intervals.
    let level = scope
        .court()
        .filter(|_| scope.judge().is_none())
        .map(|c| courts.level_of(c));
    let now = first(&now_rows);
    let cards = cards(
        now.as_ref(),
        first(&before_rows).as_ref(),
        level,
        period.compare,
    );
    let outside_self = level
        .zip(now.as_ref())
        .map(|(l, now)| outside_intervals(now, l));

    // The courts directly below (not for judges: their view is their own cases).
    let child_codes: Vec<String> = if scope.judge().is_some() {
        Vec::new()
    } else {
        match scope.court() {
            Some(code) => courts
                .children(code)
                .iter()
                .map(|c| c.code.clone())
                .collect(),
            None => top_courts(courts),
        }
    };
    let mut children: Vec<Row> = Vec::new();
    for code in &child_codes {
        let child = scope.narrow(courts, code)?;
        let rows = data
            .scoped(&child)
            .indicators(from, to, to, GroupBy::None)?;
        let ind = first(&rows);
        let outside = ind
            .as_ref()
            .map(|ind| outside_intervals(ind, courts.level_of(code)))
            .unwrap_or_default();
        // A court with courts below it is counted with them here: say so, since the same
        // court's row in a bulletin is the court alone (本院).
        let name = if courts.children(code).is_empty() {
            courts.name_of(code).to_owned()
        } else {
            format!("{}（辖区合计）", courts.name_of(code))
        };
        children.push(Row {
            key: code.clone(),
            name,
            href: Some(format!("/courts/{}?{}", seg(code), period.query())),
            overdue_href: Some(format!(
                "/deadlines?court={}&status=overdue&as_of={to}",
                qv(code)
            )),
            ind,
            outside: Some(outside),
        });
    }
    // The court's own cases and its divisions.
    let mut own: Option<Row> = None;
    let mut divisions: Vec<Row> = Vec::new();
    if let Some(code) = scope.court() {
        if !children.is_empty() {
            let by_court = data
                .scoped(scope)
                .indicators(from, to, to, GroupBy::Court)?;
            if let Some(r) = by_court.iter().find(|r| r.key == code) {
                own = Some(Row {
                    key: code.to_owned(),
                    name: format!("{}（本院）", courts.name_of(code)),
                    href: None,
                    overdue_href: None,
                    ind: Some(r.indicators.clone()),
                    outside: None,
                });
            }
        }
        // A judge's overview is about the judge's own cases: no table of divisions.
        let by_division = if scope.judge().is_some() {
            Vec::new()
        } else {
            data.scoped(scope)
                .indicators(from, to, to, GroupBy::Division)?
                .to_vec()
        };
        let prefix = format!("{code}/");
        for r in by_division.iter().filter(|r| r.key.starts_with(&prefix)) {
            let division = &r.key[prefix.len()..];
            divisions.push(Row {
                key: r.key.clone(),
                name: division.to_owned(),
                href: Some(format!(
                    "/courts/{}/divisions/{}?{}",
                    seg(code),
                    seg(division),
                    period.query()
                )),
                overdue_href: None,
                ind: Some(r.indicators.clone()),
                outside: None,
            });
        }
    }

    // Charts: monthly flow of the year; 审限内结案率 of the courts below against its interval.
    let monthly = data.scoped(scope).monthly_flow(to.year(), to);
    let months: Vec<MonthFlow> = monthly
        .iter()
        .take(to.month() as usize)
        .enumerate()
        .map(|(i, (filed, closed))| MonthFlow {
            label: format!("{}月", i + 1),
            filed: *filed,
            closed: *closed,
        })
        .collect();
    let monthly_svg = monthly_flow_chart(&format!("{}年各月新收与已结", to.year()), &months);
    let bars_svg = (!children.is_empty()).then(|| {
        let bars: Vec<Bar> = children
            .iter()
            .map(|row| Bar {
                label: row.name.clone(),
                value: row.ind.as_ref().and_then(|i| i.within_limit_rate),
                href: row.href.clone(),
            })
            .collect();
        let child_level = courts.level_of(&children[0].key);
        let band = interval_of("within_limit_rate", child_level).map(|(min, max)| Band {
            low: min.unwrap_or(0.0),
            high: max.unwrap_or(1.0),
        });
        indicator_bar_chart("下辖法院审限内结案率", &bars, ValueFormat::Percent, band)
    });

    // Pre-litigation mediation (委派 and 申请) beside the case figures (workflows.md §9 decision
    // 5): registered, succeeded and the success rate, against the compared period.
    let pre_litigation = if scope.judge().is_none() {
        pre_litigation_figures(state, data, scope, &period).await?
    } else {
        None
    };
    let workflow_cards = if scope.judge().is_none() {
        workflow_figures(state, user, data, scope, &period).await?
    } else {
        Vec::new()
    };
    // A judge's overview lists the judge's own cases that need action: overdue and due soon.
    let my_cases: Vec<super::lists::DeadlineView> = if scope.judge().is_some() {
        data.scoped(scope)
            .deadlines(
                period.reference,
                StatusFilter::All,
                &DeadlineFilter::default(),
            )
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    tianping_domain::time_limit::PendingStatus::Overdue
                        | tianping_domain::time_limit::PendingStatus::DueSoon
                )
            })
            .map(super::lists::deadline_view)
            .collect()
    } else {
        Vec::new()
    };
    let title = match scope.court() {
        Some(code) => courts.name_of(code).to_owned(),
        None => "全部法院".to_owned(),
    };
    let crumbs = scope
        .court()
        .map(|code| breadcrumb(courts, user_scope, code))
        .unwrap_or_default();
    let scope_code = scope.court().map(str::to_owned);
    state.templates.render(
        "overview.html",
        context! {
            title => title,
            scope_code => scope_code,
            pdf => tianping_report::PDF_BUILT,
            min_cases => intervals().min_cases,
            periods => super::reports::bulletin_periods(period.reference),
            bulletin_period => period.period.clone(),
            page_period => &period,
            period_choices => period.choices(),
            scope_key => scope.key(),
            my_cases => my_cases,
            pre_litigation => pre_litigation,
            workflow_cards => workflow_cards,
            judge => scope.judge(),
            level_zh => level.map(|l| l.name_zh()),
            from => from.to_string(),
            to => to.to_string(),
            from_before => from_before.to_string(),
            to_before => to_before.to_string(),
            cards => cards,
            outside_self => outside_self,
            children => children,
            own => own,
            divisions => divisions,
            monthly_svg => monthly_svg,
            bars_svg => bars_svg,
            crumbs => crumbs,
            overdue_href => format!("/deadlines?court={}&status=overdue&as_of={to}", qv(scope.court().unwrap_or(""))),
            ..minijinja::Value::from_serialize(base(user, courts, nav))
        },
    )
}

/// A division of a court: its figures and its judges.
pub async fn division(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, division)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, Some(&code), &*data)?;
    let period = PagePeriod::read(&q, &data)?;
    let (from, to) = (period.from, period.to);
    let key = format!("{code}/{division}");
    let by_division = data
        .scoped(&scope)
        .indicators(from, to, to, GroupBy::Division)?;
    let Some(row) = by_division.iter().find(|r| r.key == key) else {
        return Err(WebError::NotFound(format!(
            "{} 在 {from} 至 {to} 没有 {division} 的案件",
            courts.name_of(&code)
        )));
    };
    // The judges who hold cases of this division; each judge's figures cover their cases in
    // the court.
    let filter = CaseFilter {
        court: Some(code.clone()),
        division: Some(division.clone()),
        ..CaseFilter::default()
    };
    let judges: BTreeSet<String> = data
        .scoped(&scope)
        .judge_names(&filter)
        .into_iter()
        .collect();
    let by_judge = data
        .scoped(&scope)
        .indicators(from, to, to, GroupBy::Judge)?;
    let prefix = format!("{code}/");
    let rows: Vec<Row> = by_judge
        .iter()
        .filter(|r| r.key.starts_with(&prefix) && judges.contains(&r.key[prefix.len()..]))
        .map(|r| {
            let judge = &r.key[prefix.len()..];
            Row {
                key: r.key.clone(),
                name: judge.to_owned(),
                href: Some(format!(
                    "/courts/{}/judges/{}?{}",
                    seg(&code),
                    seg(judge),
                    period.query()
                )),
                overdue_href: None,
                ind: Some(r.indicators.clone()),
                outside: None,
            }
        })
        .collect();
    let mut crumbs = breadcrumb(courts, &user_scope, &code);
    crumbs.push((String::new(), division.clone()));
    state.templates.render(
        "division.html",
        context! {
            title => format!("{} {division}", courts.name_of(&code)),
            court_code => code,
            court_name => courts.name_of(&code),
            division => division,
            from => from.to_string(),
            to => to.to_string(),
            page_period => &period,
            period_choices => period.choices(),
            ind => &row.indicators,
            judges => rows,
            crumbs => crumbs,
            cases_href => format!("/cases?court={}&division={}&status=pending", qv(&code), qv(&division)),
            ..minijinja::Value::from_serialize(base(&user, courts, "courts"))
        },
    )
}

/// A judge of a court: figures and pending cases with their deadlines.
pub async fn judge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, judge)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let courts = data.courts();
    let user_scope = authorize(&user.user, None, courts)?;
    let scope = authorize(&user.user, Some(&code), &*data)?;
    if scope.judge().is_some_and(|own| own != judge) {
        return Err(WebError::Forbidden("法官账号只能查看本人的案件".into()));
    }
    let period = PagePeriod::read(&q, &data)?;
    let (from, to) = (period.from, period.to);
    let key = format!("{code}/{judge}");
    let by_judge = data
        .scoped(&scope)
        .indicators(from, to, to, GroupBy::Judge)?;
    let ind = by_judge
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.indicators.clone());
    let view = data.scoped(&scope);
    let rows = view.deadlines(
        to,
        StatusFilter::All,
        &DeadlineFilter {
            court: Some(code.clone()),
            judge: Some(judge.clone()),
            ..DeadlineFilter::default()
        },
    );
    let pending = view
        .cases(&CaseFilter {
            court: Some(code.clone()),
            judge: Some(judge.clone()),
            state: Some(CaseState::Pending),
            as_of: Some(to),
            ..CaseFilter::default()
        })
        .len();
    let mut crumbs = breadcrumb(courts, &user_scope, &code);
    crumbs.push((String::new(), judge.clone()));
    state.templates.render(
        "judge.html",
        context! {
            title => format!("{} {judge}", courts.name_of(&code)),
            court_code => code,
            court_name => courts.name_of(&code),
            judge_name => judge,
            from => from.to_string(),
            to => to.to_string(),
            page_period => &period,
            period_choices => period.choices(),
            ind => ind,
            rows => rows.iter().map(super::lists::deadline_view).collect::<Vec<_>>(),
            pending => pending,
            crumbs => crumbs,
            cases_href => format!("/cases?court={}&judge={}&status=all", qv(&code), qv(&judge)),
            ..minijinja::Value::from_serialize(base(&user, courts, "courts"))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_written_in_percent_or_percentage_points() {
        // 1160 filed against 1000: +16%.
        assert_eq!(
            change_text_as(Compare::Yoy, Unit::Count, Some(1160.0), Some(1000.0), false),
            ("同比上升16.00%".to_owned(), "good")
        );
        // 审限内结案率 95.00% against 97.30%: 2.30 points down.
        assert_eq!(
            change_text_as(Compare::Yoy, Unit::Rate, Some(0.95), Some(0.973), false),
            ("同比下降2.30个百分点".to_owned(), "bad")
        );
        // Fewer long-pending cases is good.
        assert_eq!(
            change_text_as(Compare::Yoy, Unit::Count, Some(90.0), Some(100.0), true),
            ("同比下降10.00%".to_owned(), "good")
        );
        assert_eq!(
            change_text_as(Compare::Yoy, Unit::Rate, None, Some(0.9), false).0,
            "去年同期无可比数据"
        );
        assert_eq!(
            change_text_as(Compare::Yoy, Unit::Count, Some(5.0), Some(0.0), false).0,
            "去年同期为0"
        );
        assert_eq!(
            change_text_as(Compare::Yoy, Unit::Count, Some(7.0), Some(7.0), false).0,
            "同比持平"
        );
    }

    #[test]
    fn the_same_day_last_year_of_29_february_is_28_february() {
        let d = |s| tianping_domain::dates::parse_date(s).unwrap();
        assert_eq!(year_before(d("2024-02-29")), d("2023-02-28"));
        assert_eq!(year_before(d("2025-12-31")), d("2024-12-31"));
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(seg("皖0202"), "%E7%9A%960202");
        assert_eq!(seg("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn indicators_outside_their_interval_are_named_with_the_interval() {
        let values = Indicators {
            within_limit_rate: Some(0.9),
            acceptance_rate: Some(0.99),
            ..Indicators::default()
        };
        let outside = outside_intervals(&values, CourtLevel::Basic);
        assert!(
            outside
                .iter()
                .any(|s| s.starts_with("审限内结案率 90.00%（参考区间 ≥95.00%")),
            "{outside:?}"
        );
        assert!(!outside.iter().any(|s| s.starts_with("一审服判息诉率")));
    }

    #[test]
    fn a_ratio_outside_its_interval_is_written_as_a_ratio_not_a_percent() {
        // 案件比 1.75 used to read "175.00%" (its interval "≤160.00%"): the unit was guessed
        // from the id's suffix.
        let values = Indicators {
            case_matter_ratio: Some(1.75),
            ..Indicators::default()
        };
        let outside = outside_intervals(&values, CourtLevel::Basic);
        let line = outside
            .iter()
            .find(|s| s.starts_with("案件比"))
            .expect("1.75 lies above the default interval (at most 1.60)");
        assert!(line.starts_with("案件比 1.75（参考区间 ≤1.60）"), "{line}");
        assert!(!line.contains('%'), "{line}");
    }
}
