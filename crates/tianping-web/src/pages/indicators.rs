//! 《指标说明》: every indicator of the catalogue with its Chinese name, unit, direction,
//! definition and reference interval, generated from `tianping_metrics::catalogue` (the one
//! source the pages, the bulletins and the API use), so that it cannot drift from the figures.
//! Each indicator has an anchor (`/indicators#within_limit_rate`) the figures link to.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use serde::Serialize;
use tianping_metrics::catalogue::{CATALOGUE, Direction, Unit};

use super::base;
use crate::auth::CurrentUser;
use crate::{AppState, WebError};

#[derive(Debug, Serialize)]
struct Entry {
    id: &'static str,
    label: String,
    unit: &'static str,
    direction: &'static str,
    definition: &'static str,
    /// The default reference intervals, by court level where they differ.
    intervals: Vec<String>,
}

fn unit_zh(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "件",
        Unit::Rate => "百分比",
        Unit::Ratio => "比值",
        Unit::Days => "天",
        Unit::Yuan => "元",
    }
}

fn direction_zh(direction: Direction) -> &'static str {
    match direction {
        Direction::Higher => "越高越好",
        Direction::Lower => "越低越好",
        Direction::Neither => "不作高低评价",
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, WebError> {
    let data = state.data().await?;
    let settings = super::courts::intervals();
    let entries: Vec<Entry> = CATALOGUE
        .iter()
        .map(|def| Entry {
            id: def.id,
            label: def.label(),
            unit: unit_zh(def.unit),
            direction: direction_zh(def.direction),
            definition: def.definition,
            intervals: settings
                .intervals
                .iter()
                .filter(|i| i.indicator == def.id)
                .map(|i| {
                    let range = super::courts::show_interval(def.id, i.min, i.max);
                    match i.level {
                        Some(level) => format!("{}法院 {range}", level.name_zh()),
                        None => range,
                    }
                })
                .collect(),
        })
        .collect();
    state.templates.render(
        "indicators.html",
        context! {
            title => "指标说明",
            entries => entries,
            min_cases => settings.min_cases,
            ..minijinja::Value::from_serialize(base(&user, data.courts(), "indicators"))
        },
    )
}
