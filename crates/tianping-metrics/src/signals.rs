//! The year-end filing suppression signal (年底不立案): a court chasing the yearly 结收比 stops
//! registering in December and registers in January. Per court and year Y:
//! `dec_ratio` = December filings ÷ mean monthly filings January-November; `dec_lag_days` = mean
//! (filed − received) of cases received in December; `base_lag_days` = the same for cases
//! received January-November. Flagged when `dec_ratio < 0.6` and
//! `dec_lag_days > base_lag_days + 7` (both thresholds are settings).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tianping_domain::TypeCode;
use tianping_domain::dates::{from_day_number, to_day_number};

use crate::snapshot::{NEVER, Snapshot, flag};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SignalSettings {
    pub max_dec_ratio: f64,
    pub min_extra_lag_days: f64,
}

impl Default for SignalSettings {
    fn default() -> Self {
        SignalSettings {
            max_dec_ratio: 0.6,
            min_extra_lag_days: 7.0,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalRow {
    pub court_code: String,
    pub dec_ratio: Option<f64>,
    pub dec_lag_days: Option<f64>,
    pub base_lag_days: Option<f64>,
    pub flagged: bool,
    /// Additions to the contract: the court's name and the counts behind the ratio.
    pub court_name: String,
    pub dec_filed: u64,
    pub jan_nov_filed: u64,
}

#[derive(Default, Clone)]
struct Acc {
    monthly: [u64; 12],
    dec_lag: (i64, u64),
    base_lag: (i64, u64),
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

/// One row per court of the scope with filings or receipts in year `year`, sorted by court code.
pub fn year_end_signals(
    snapshot: &Snapshot,
    year: i32,
    scope: Option<&str>,
    settings: &SignalSettings,
) -> Vec<SignalRow> {
    let scope_id = match scope {
        Some(code) => match snapshot.court_lookup(code) {
            Some(id) => Some(id),
            None => return Vec::new(),
        },
        None => None,
    };
    let start = to_day_number(NaiveDate::from_ymd_opt(year, 1, 1).unwrap());
    let end = to_day_number(NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
    let december = to_day_number(NaiveDate::from_ymd_opt(year, 12, 1).unwrap());
    let mut accs: Vec<Option<Acc>> = vec![None; snapshot.court_ancestors.len()];
    for i in 0..snapshot.len() {
        let court = snapshot.court[i];
        if scope_id.is_some_and(|s| !snapshot.court_within(court, s)) {
            continue;
        }
        // A pre-litigation mediation is not a filing of a lawsuit (indicators.md, "Case sets").
        if TypeCode::from_index(snapshot.type_code[i]).is_some_and(|t| !t.in_indicator_case_sets())
        {
            continue;
        }
        let filed = snapshot.filed[i];
        let received = snapshot.received[i];
        let has_received = snapshot.flags[i] & flag::HAS_RECEIVED != 0 && received != NEVER;
        let filed_in_year = (start..=end).contains(&filed);
        let received_in_year = has_received && (start..=end).contains(&received);
        if !filed_in_year && !received_in_year {
            continue;
        }
        let acc = accs[court as usize].get_or_insert_with(Acc::default);
        if filed_in_year {
            acc.monthly[from_day_number(filed).month0() as usize] += 1;
        }
        if received_in_year {
            let lag = i64::from(filed - received);
            let bucket = if received >= december {
                &mut acc.dec_lag
            } else {
                &mut acc.base_lag
            };
            bucket.0 += lag;
            bucket.1 += 1;
        }
    }
    let mut rows: Vec<SignalRow> = accs
        .into_iter()
        .enumerate()
        .filter_map(|(court, acc)| acc.map(|acc| (court as u32, acc)))
        .map(|(court, acc)| {
            let jan_nov: u64 = acc.monthly[..11].iter().sum();
            let dec = acc.monthly[11];
            let mean = jan_nov as f64 / 11.0;
            let dec_ratio = (jan_nov > 0).then(|| round(dec as f64 / mean, 4));
            let lag = |(sum, n): (i64, u64)| (n > 0).then(|| round(sum as f64 / n as f64, 2));
            let dec_lag_days = lag(acc.dec_lag);
            let base_lag_days = lag(acc.base_lag);
            let flagged = match (dec_ratio, dec_lag_days, base_lag_days) {
                (Some(r), Some(dl), Some(bl)) => {
                    r < settings.max_dec_ratio && dl > bl + settings.min_extra_lag_days
                }
                _ => false,
            };
            let code = snapshot.court_codes.get(court).to_owned();
            SignalRow {
                court_name: snapshot.court_table().name_of(&code).to_owned(),
                court_code: code,
                dec_ratio,
                dec_lag_days,
                base_lag_days,
                flagged,
                dec_filed: dec,
                jan_nov_filed: jan_nov,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.court_code.cmp(&b.court_code));
    rows
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use tianping_domain::calendar::HolidayCalendar;
    use tianping_domain::time_limit::{AppealObject, LimitSettings};
    use tianping_domain::{CaseNumber, CaseRecord};

    fn case(number: String, received: NaiveDate, filed: NaiveDate) -> CaseRecord {
        let n = CaseNumber::parse(&number).unwrap();
        CaseRecord {
            case_number: n.normalized(),
            court_code: n.court.to_string(),
            type_code: Some(n.type_code),
            type_name: None,
            procedure: None,
            cause: None,
            received_date: Some(received),
            filed_date: filed,
            division: None,
            judge: None,
            closed_date: None,
            closing_mode: None,
            disposal: None,
            claim_amount: None,
            recovered_amount: None,
            origin_case_number: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
        }
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn flags_a_court_that_holds_back_december_registrations_and_not_a_normal_one() {
        let mut cases = Vec::new();
        let mut seq = 0;
        for (court, holds_back) in [("皖0202", true), ("皖0203", false)] {
            for month in 1..=12 {
                for k in 0..10 {
                    seq += 1;
                    let received = ymd(2023, month, 1 + k);
                    // The holding court files December receipts in January; others the same day.
                    let filed = if holds_back && month == 12 && k < 7 {
                        ymd(2024, 1, 3)
                    } else {
                        received
                    };
                    let year = filed.year();
                    cases.push(case(
                        format!("（{year}）{court}民初{seq}号"),
                        received,
                        filed,
                    ));
                }
            }
        }
        let snapshot = Snapshot::build(
            &[],
            &cases,
            &[],
            Arc::new(HolidayCalendar::builtin()),
            LimitSettings::default(),
        );
        let rows = year_end_signals(&snapshot, 2023, None, &SignalSettings::default());
        assert_eq!(rows.len(), 2);
        let held = &rows[0];
        assert_eq!(held.court_code, "皖0202");
        // December: 3 filings against a mean of 10.
        assert_eq!(held.dec_ratio, Some(0.3));
        assert_eq!(held.base_lag_days, Some(0.0));
        assert!(held.dec_lag_days.unwrap() > 7.0);
        assert!(held.flagged);
        let normal = &rows[1];
        assert_eq!(normal.dec_ratio, Some(1.0));
        assert!(!normal.flagged);
        let scoped = year_end_signals(&snapshot, 2023, Some("皖0203"), &SignalSettings::default());
        assert_eq!(scoped.len(), 1);
    }
}
