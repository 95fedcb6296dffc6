//! Reference intervals (区间参考值) and the weak-court programme (脱薄): for each court of a level,
//! which indicators fall outside their interval, a weighted composite score, whether the court is
//! relatively weak (相对薄弱法院), and its change against a baseline period (脱薄前后对比).
//!
//! The SPC's 2024 indicator system judges courts against intervals, not by ranking; Tianping
//! therefore ranks only within "outside the interval" counts, and shows the score to break ties.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tianping_domain::CourtLevel;
use tianping_domain::period::Period;

use crate::indicators::{GroupBy, INDICATOR_IDS, IndicatorQuery, Indicators, QueryError, compute};
use crate::snapshot::Snapshot;

const DEFAULT_SETTINGS: &str = include_str!("../data/reference-intervals.toml");

/// One indicator's interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub indicator: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(default = "one")]
    pub weight: f64,
    /// Applies to courts of this level only (`basic`, `intermediate`, …); all levels when absent.
    pub level: Option<CourtLevel>,
}

fn one() -> f64 {
    1.0
}

impl Interval {
    pub fn contains(&self, value: f64) -> bool {
        self.min.is_none_or(|m| value >= m) && self.max.is_none_or(|m| value <= m)
    }

    /// 1 inside; outside, less the further out, relative to the interval's width (or to the
    /// bound itself for an open interval); never below 0.
    pub fn quality(&self, value: f64) -> f64 {
        if self.contains(value) {
            return 1.0;
        }
        let width = match (self.min, self.max) {
            (Some(lo), Some(hi)) if hi > lo => hi - lo,
            (Some(b), None) | (None, Some(b)) => b.abs().max(1e-9),
            _ => 1.0,
        };
        let distance = match (self.min, self.max) {
            (Some(lo), _) if value < lo => lo - value,
            (_, Some(hi)) if value > hi => value - hi,
            _ => 0.0,
        };
        (1.0 - distance / width).clamp(0.0, 1.0)
    }
}

/// The settings file (`data/reference-intervals.toml` holds the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessSettings {
    pub weak_share: f64,
    /// A rate over fewer cases than this is shown but not judged against its interval (a
    /// court with 12 first-instance judgments is not "outside" on one appeal too many).
    #[serde(default = "default_min_cases")]
    pub min_cases: u64,
    #[serde(rename = "interval")]
    pub intervals: Vec<Interval>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("reference intervals: {0}")]
    Toml(String),
    #[error("reference intervals: unknown indicator '{0}'")]
    UnknownIndicator(String),
    #[error("reference intervals: {0} has neither min nor max, or min > max")]
    BadBounds(String),
    #[error("reference intervals: weak_share must be between 0 and 1")]
    BadShare,
}

impl AssessSettings {
    pub fn defaults() -> AssessSettings {
        AssessSettings::parse(DEFAULT_SETTINGS).expect("built-in reference intervals are valid")
    }

    pub fn parse(text: &str) -> Result<AssessSettings, SettingsError> {
        let settings: AssessSettings =
            toml::from_str(text).map_err(|e| SettingsError::Toml(e.to_string()))?;
        for interval in &settings.intervals {
            if !INDICATOR_IDS.contains(&interval.indicator.as_str()) {
                return Err(SettingsError::UnknownIndicator(interval.indicator.clone()));
            }
            let bad = match (interval.min, interval.max) {
                (None, None) => true,
                (Some(lo), Some(hi)) => lo > hi,
                _ => false,
            };
            if bad || interval.weight < 0.0 {
                return Err(SettingsError::BadBounds(interval.indicator.clone()));
            }
        }
        if !(0.0..=1.0).contains(&settings.weak_share) {
            return Err(SettingsError::BadShare);
        }
        Ok(settings)
    }

    /// Whether indicator `id` of `indicators` is judged against its interval: a rate over fewer
    /// than `min_cases` cases is shown but not judged.
    pub fn judges(&self, indicators: &Indicators, id: &str) -> bool {
        rate_base(indicators, id).is_none_or(|n| n >= self.min_cases)
    }

    fn intervals_for(&self, level: CourtLevel) -> impl Iterator<Item = &Interval> {
        self.intervals
            .iter()
            .filter(move |i| i.level.is_none_or(|l| l == level))
    }
}

fn default_min_cases() -> u64 {
    30
}

/// The number of cases a rate is taken over (its denominator), for the rates whose
/// denominator is a count the indicators carry; `None` for the others (judged whatever their
/// base: a ratio of amounts, or a base the indicators do not carry).
pub fn rate_base(indicators: &Indicators, id: &str) -> Option<u64> {
    let i = indicators;
    match id {
        "closure_ratio" => Some(i.filed),
        "clearance_rate" => Some(i.carried_over + i.filed),
        "within_limit_rate" | "within_normal_limit_rate" | "extension_rate" => i.limited_closed,
        "over_12m_ratio" => Some(i.pending_end),
        "appeal_rate" | "acceptance_rate" | "reversal_remand_rate" => i.first_closed,
        "completion_rate" | "actual_enforcement_rate" | "termination_rate" => i.enforcement_closed,
        _ => None,
    }
}

/// The value of an indicator by id, as a number (`None` when undefined).
pub fn indicator_value(indicators: &Indicators, id: &str) -> Option<f64> {
    indicators.value(id)
}

/// One indicator outside its interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outside {
    pub indicator: String,
    pub value: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A court's standing in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub outside: Vec<Outside>,
    pub outside_count: usize,
    /// 0-100: the weighted share of indicators inside their interval, with partial credit for
    /// values near it.
    pub score: f64,
    pub weak: bool,
    /// Rates over fewer cases than `min_cases`: shown, not judged (ids).
    pub not_judged: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessRow {
    pub court_code: String,
    pub court_name: String,
    pub level: CourtLevel,
    #[serde(flatten)]
    pub standing: Standing,
    /// 1 = most indicators outside (then lowest score) within the level.
    pub rank: usize,
    pub baseline: Option<Standing>,
    pub score_change: Option<f64>,
    pub outside_change: Option<i64>,
    pub indicators: Indicators,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub period: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub baseline: Option<String>,
    pub level: CourtLevel,
    pub scope: Option<String>,
    pub rows: Vec<AssessRow>,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn standing(indicators: &Indicators, level: CourtLevel, settings: &AssessSettings) -> Standing {
    let mut outside = Vec::new();
    let mut not_judged = Vec::new();
    let (mut weighted, mut total) = (0.0, 0.0);
    for interval in settings.intervals_for(level) {
        let Some(value) = indicator_value(indicators, &interval.indicator) else {
            continue;
        };
        if !settings.judges(indicators, &interval.indicator) {
            not_judged.push(interval.indicator.clone());
            continue;
        }
        total += interval.weight;
        weighted += interval.weight * interval.quality(value);
        if !interval.contains(value) {
            outside.push(Outside {
                indicator: interval.indicator.clone(),
                value,
                min: interval.min,
                max: interval.max,
            });
        }
    }
    let score = if total > 0.0 {
        round2(100.0 * weighted / total)
    } else {
        100.0
    };
    Standing {
        outside_count: outside.len(),
        outside,
        score,
        weak: false,
        not_judged,
    }
}

/// Mark the weak courts: the `weak_share` of courts (at least one) with the most indicators
/// outside, then the lowest score; courts with nothing outside are never weak. Returns ranks.
fn mark_weak(standings: &mut [(String, Standing)], share: f64) -> BTreeMap<String, usize> {
    let mut order: Vec<usize> = (0..standings.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (&standings[a].1, &standings[b].1);
        sb.outside_count
            .cmp(&sa.outside_count)
            .then(sa.score.total_cmp(&sb.score))
            .then_with(|| standings[a].0.cmp(&standings[b].0))
    });
    // "Relatively" weak needs peers: a level with one court (the only 海事法院) has none.
    let weak_count = if standings.len() < 2 || share <= 0.0 {
        0
    } else {
        ((standings.len() as f64 * share).ceil() as usize).max(1)
    };
    let mut ranks = BTreeMap::new();
    for (rank, &i) in order.iter().enumerate() {
        if rank < weak_count && standings[i].1.outside_count > 0 {
            standings[i].1.weak = true;
        }
        ranks.insert(standings[i].0.clone(), rank + 1);
    }
    ranks
}

fn standings_for(
    snapshot: &Snapshot,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    scope: Option<&str>,
    level: CourtLevel,
    settings: &AssessSettings,
) -> Result<Vec<(String, Indicators, Standing)>, QueryError> {
    let query = IndicatorQuery {
        from,
        to,
        as_of: to,
        scope: scope.map(str::to_owned),
        by: GroupBy::Court,
    };
    let rows = compute(snapshot, &query)?;
    let table = snapshot.court_table();
    Ok(rows
        .into_iter()
        .filter(|r| table.level_of(&r.key) == level)
        .map(|r| {
            let s = standing(&r.indicators, level, settings);
            (r.key, r.indicators, s)
        })
        .collect())
}

/// The standings of the courts of `level` within `scope` from `from` to `to` (a page's period
/// stopped at its reference date), weak courts marked and ranked as [`assess`] does, without a
/// baseline: what the ranking page shows.
pub fn assess_between(
    snapshot: &Snapshot,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    scope: Option<&str>,
    level: CourtLevel,
    settings: &AssessSettings,
) -> Result<Vec<AssessRow>, QueryError> {
    let current = standings_for(snapshot, (from, to), scope, level, settings)?;
    let mut marked: Vec<(String, Standing)> = current
        .iter()
        .map(|(code, _, s)| (code.clone(), s.clone()))
        .collect();
    let ranks = mark_weak(&mut marked, settings.weak_share);
    let table = snapshot.court_table();
    Ok(current
        .into_iter()
        .zip(marked)
        .map(|((code, indicators, _), (_, standing))| AssessRow {
            court_name: table.name_of(&code).to_owned(),
            level,
            rank: ranks[&code],
            score_change: None,
            outside_change: None,
            baseline: None,
            standing,
            indicators,
            court_code: code,
        })
        .collect())
}

/// Assess the courts of `level` within `scope` for `period`, against `baseline` if given.
pub fn assess(
    snapshot: &Snapshot,
    period: Period,
    baseline: Option<Period>,
    scope: Option<&str>,
    level: CourtLevel,
    settings: &AssessSettings,
) -> Result<Assessment, QueryError> {
    let days = |p: Period| (p.first_day(), p.last_day());
    let current = standings_for(snapshot, days(period), scope, level, settings)?;
    let mut marked: Vec<(String, Standing)> = current
        .iter()
        .map(|(code, _, s)| (code.clone(), s.clone()))
        .collect();
    let ranks = mark_weak(&mut marked, settings.weak_share);
    let base: BTreeMap<String, Standing> = match baseline {
        Some(b) => {
            let mut list: Vec<(String, Standing)> =
                standings_for(snapshot, days(b), scope, level, settings)?
                    .into_iter()
                    .map(|(code, _, s)| (code, s))
                    .collect();
            mark_weak(&mut list, settings.weak_share);
            list.into_iter().collect()
        }
        None => BTreeMap::new(),
    };
    let table = snapshot.court_table();
    let rows = current
        .into_iter()
        .zip(marked)
        .map(|((code, indicators, _), (_, standing))| {
            let before = base.get(&code).cloned();
            AssessRow {
                court_name: table.name_of(&code).to_owned(),
                level,
                rank: ranks[&code],
                score_change: before.as_ref().map(|b| round2(standing.score - b.score)),
                outside_change: before
                    .as_ref()
                    .map(|b| standing.outside_count as i64 - b.outside_count as i64),
                baseline: before,
                standing,
                indicators,
                court_code: code,
            }
        })
        .collect();
    Ok(Assessment {
        period: period.to_string(),
        from: period.first_day(),
        to: period.last_day(),
        baseline: baseline.map(|b| b.to_string()),
        level,
        scope: scope.map(str::to_owned),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(min: Option<f64>, max: Option<f64>) -> Interval {
        Interval {
            indicator: "within_limit_rate".into(),
            min,
            max,
            weight: 1.0,
            level: None,
        }
    }

    #[test]
    fn the_default_settings_parse_and_name_known_indicators() {
        let s = AssessSettings::defaults();
        assert!(s.intervals.len() >= 10);
        assert!(
            s.intervals
                .iter()
                .any(|i| i.indicator == "within_limit_rate")
        );
        assert_eq!(s.weak_share, 0.1);
    }

    #[test]
    fn bad_settings_are_refused_with_the_reason() {
        let unknown = "weak_share = 0.1\n[[interval]]\nindicator = \"speed\"\nmin = 1\n";
        assert_eq!(
            AssessSettings::parse(unknown),
            Err(SettingsError::UnknownIndicator("speed".into()))
        );
        let no_bounds = "weak_share = 0.1\n[[interval]]\nindicator = \"closure_ratio\"\n";
        assert!(matches!(
            AssessSettings::parse(no_bounds),
            Err(SettingsError::BadBounds(_))
        ));
        assert!(matches!(
            AssessSettings::parse("weak_share = 2\ninterval = []"),
            Err(SettingsError::BadShare)
        ));
        assert!(matches!(
            AssessSettings::parse("nonsense"),
            Err(SettingsError::Toml(_))
        ));
    }

    #[test]
    fn quality_is_full_inside_and_falls_off_outside() {
        let closed = interval(Some(0.2), Some(0.4));
        assert_eq!(closed.quality(0.3), 1.0);
        assert!((closed.quality(0.5) - 0.5).abs() < 1e-9); // 0.1 beyond a 0.2-wide interval
        assert_eq!(closed.quality(0.9), 0.0);
        let at_least = interval(Some(0.95), None);
        assert!(at_least.contains(1.0));
        assert!(!at_least.contains(0.9));
        assert!(at_least.quality(0.9) > 0.9);
    }

    #[test]
    fn the_weak_share_takes_the_most_outside_then_the_lowest_score() {
        let s = |outside_count, score| Standing {
            outside: vec![],
            outside_count,
            score,
            weak: false,
            not_judged: vec![],
        };
        let mut list: Vec<(String, Standing)> = vec![
            ("A".into(), s(1, 90.0)),
            ("B".into(), s(3, 70.0)),
            ("C".into(), s(3, 60.0)),
            ("D".into(), s(0, 100.0)),
            ("E".into(), s(2, 80.0)),
        ];
        let ranks = mark_weak(&mut list, 0.3); // ceil(1.5) = 2 courts
        let weak: Vec<&str> = list
            .iter()
            .filter(|(_, s)| s.weak)
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(weak, ["B", "C"]);
        assert_eq!(
            (ranks["C"], ranks["B"], ranks["E"], ranks["D"]),
            (1, 2, 3, 5)
        );
        // Nobody outside: nobody weak.
        let mut fine = vec![("A".to_owned(), s(0, 100.0)), ("B".to_owned(), s(0, 90.0))];
        mark_weak(&mut fine, 0.5);
        assert!(!fine.iter().any(|(_, s)| s.weak));
        // The only court of its level (the one 海事法院) is never "relatively" weak, however
        // many indicators lie outside: it has no peers.
        let mut alone = vec![("海事".to_owned(), s(5, 10.0))];
        let ranks = mark_weak(&mut alone, 0.1);
        assert!(!alone[0].1.weak);
        assert_eq!(ranks["海事"], 1);
        // Two courts: the worse one can be.
        let mut pair = vec![("A".to_owned(), s(5, 10.0)), ("B".to_owned(), s(0, 100.0))];
        mark_weak(&mut pair, 0.1);
        assert!(pair[0].1.weak && !pair[1].1.weak);
    }

    #[test]
    fn a_rate_over_too_few_cases_is_shown_but_not_judged() {
        let settings = AssessSettings::defaults();
        assert_eq!(settings.min_cases, 30, "the default");
        // 29 first-instance cases closed, 10 appealed: 服判息诉率 65.5%, far below 85%; over
        // 30 cases the same share is judged.
        let few = Indicators {
            first_closed: Some(29),
            appealed: Some(10),
            acceptance_rate: Some(1.0 - 10.0 / 29.0),
            ..Indicators::default()
        };
        let judged = |ind: &Indicators| standing(ind, CourtLevel::Basic, &settings);
        let s = judged(&few);
        assert!(s.not_judged.contains(&"acceptance_rate".to_owned()));
        assert!(!s.outside.iter().any(|o| o.indicator == "acceptance_rate"));
        let many = Indicators {
            first_closed: Some(290),
            appealed: Some(100),
            acceptance_rate: Some(1.0 - 100.0 / 290.0),
            ..Indicators::default()
        };
        let s = judged(&many);
        assert!(!s.not_judged.contains(&"acceptance_rate".to_owned()));
        assert!(s.outside.iter().any(|o| o.indicator == "acceptance_rate"));
        // The setting is read from the file, and defaults when absent.
        let strict = AssessSettings::parse(
            "weak_share = 0.1\nmin_cases = 500\n[[interval]]\nindicator = \"acceptance_rate\"\nmin = 0.85\n",
        )
        .unwrap();
        assert_eq!(strict.min_cases, 500);
        assert!(
            standing(&many, CourtLevel::Basic, &strict)
                .not_judged
                .contains(&"acceptance_rate".to_owned())
        );
    }
}
