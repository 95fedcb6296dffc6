//! A second, independent computation of the flow counts and rates in plain SQL over the store,
//! checked against the indicator engine on the synthetic demo province.

use std::collections::BTreeMap;
use std::sync::Arc;

use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::time_limit::LimitSettings;
use tianping_domain::{Instance, TypeCode};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_store::{CaseStore, ImportBatch, ImportStore, SqliteStore, rusqlite};
use tianping_synth::{SynthConfig, generate};

fn codes_of(instances: &[Instance]) -> String {
    TypeCode::all()
        .filter(|t| instances.contains(&t.instance()))
        .map(|t| format!("'{}'", t.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

#[tokio::test]
async fn plain_sql_agrees_with_the_engine_on_the_demo_province() {
    let data = generate(&SynthConfig::small(11));
    let store = SqliteStore::open(":memory:").await.unwrap();
    let batch = ImportBatch {
        courts: data.courts.clone(),
        cases: data.cases.clone(),
        events: data.events.clone(),
        log: vec![],
    };
    store.apply_import(&batch).await.unwrap();

    let snapshot = Snapshot::build(
        &store.courts().await.unwrap(),
        &store.cases().await.unwrap(),
        &store.events().await.unwrap(),
        Arc::new(HolidayCalendar::builtin()),
        LimitSettings::default(),
    );
    let first = codes_of(&[Instance::First]);
    let second = codes_of(&[Instance::Second]);
    for (from, to) in [
        ("2024-01-01", "2024-12-31"),
        ("2023-04-01", "2023-06-30"),
        ("2025-12-01", "2025-12-31"),
    ] {
        let sql = format!(
            "SELECT c.court_code AS court,
               sum(c.filed_date BETWEEN ?1 AND ?2) AS filed,
               sum(c.closed_date BETWEEN ?1 AND ?2) AS closed,
               sum(c.filed_date < ?1 AND (c.closed_date IS NULL OR c.closed_date >= ?1)) AS carried_over,
               sum(c.filed_date <= ?2 AND (c.closed_date IS NULL OR c.closed_date > ?2)) AS pending_end,
               sum(c.closed_date BETWEEN ?1 AND ?2 AND c.type_code IN ({first})) AS first_closed,
               sum(c.closed_date BETWEEN ?1 AND ?2 AND c.type_code IN ({first}) AND (
                   EXISTS (SELECT 1 FROM events e WHERE e.case_number = c.case_number
                           AND e.kind = 'appeal' AND e.date <= ?2)
                   OR EXISTS (SELECT 1 FROM cases s WHERE s.origin_case_number = c.case_number
                           AND s.type_code IN ({second}) AND s.filed_date <= ?2))) AS appealed,
               sum(c.closed_date BETWEEN ?1 AND ?2 AND c.type_code = '民初') AS civil_first_closed,
               sum(c.closed_date BETWEEN ?1 AND ?2 AND c.type_code = '民初'
                   AND c.closing_mode IN ('mediation', 'withdrawal')) AS mediated,
               sum(c.closed_date BETWEEN ?1 AND ?2 AND c.type_code = '执') AS enforcement_closed,
               sum(c.closed_date BETWEEN ?1 AND ?2 AND c.type_code = '执'
                   AND c.closing_mode = 'termination_of_this_round') AS terminated,
               coalesce(sum(CASE WHEN c.closed_date BETWEEN ?1 AND ?2 AND c.type_code IN ('执', '执恢')
                   THEN c.recovered_amount END), 0) AS recovered_fen,
               sum(c.filed_date BETWEEN ?1 AND ?2 AND c.received_date IS NOT NULL) AS with_received,
               sum(c.filed_date BETWEEN ?1 AND ?2 AND c.received_date = c.filed_date) AS same_day
             FROM cases c
             -- A pre-litigation mediation is in no indicator (indicators.md, \"Case sets\").
             WHERE c.type_code IS NOT '民诉前调'
             GROUP BY c.court_code ORDER BY c.court_code"
        );
        let rows: Vec<(String, Vec<i64>)> = store
            .with_connection(move |c| {
                let mut statement = c.prepare(&sql)?;
                let rows = statement.query_map([from, to], |row| {
                    let values = (1..=13)
                        .map(|i| Ok(row.get::<_, Option<i64>>(i)?.unwrap_or(0)))
                        .collect::<rusqlite::Result<Vec<i64>>>()?;
                    Ok((row.get(0)?, values))
                })?;
                rows.collect()
            })
            .await
            .unwrap();
        let mut by_sql: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (court, values) in rows {
            if values[..4].iter().any(|v| *v > 0) {
                by_sql.insert(court, values);
            }
        }
        let query = IndicatorQuery {
            from: from.parse().unwrap(),
            to: to.parse().unwrap(),
            as_of: to.parse().unwrap(),
            scope: None,
            by: GroupBy::Court,
        };
        let engine = compute(&snapshot, &query).unwrap();
        assert_eq!(engine.len(), by_sql.len(), "{from}..{to}: same courts");
        for row in &engine {
            let s = &by_sql[&row.key];
            let i = &row.indicators;
            let what = format!("{from}..{to} {}", row.key);
            assert_eq!(
                [i.filed, i.closed, i.carried_over, i.pending_end],
                [s[0], s[1], s[2], s[3]].map(|v| v as u64),
                "{what}"
            );
            assert_eq!(i.first_closed, Some(s[4] as u64), "{what}");
            assert_eq!(i.appealed, Some(s[5] as u64), "{what}");
            let rate = |n: i64, d: i64| (d > 0).then(|| round4(n as f64 / d as f64));
            assert_eq!(i.clearance_rate, rate(s[1], s[2] + s[0]), "{what}");
            assert_eq!(i.closure_ratio, rate(s[1], s[0]), "{what}");
            assert_eq!(
                i.acceptance_rate,
                (s[4] > 0).then(|| round4(1.0 - s[5] as f64 / s[4] as f64)),
                "{what}"
            );
            assert_eq!(i.mediation_withdrawal_rate, rate(s[7], s[6]), "{what}");
            assert_eq!(i.enforcement_closed, Some(s[8] as u64), "{what}");
            assert_eq!(i.termination_rate, rate(s[9], s[8]), "{what}");
            assert_eq!(i.recovered_amount, Some(s[10] as f64 / 100.0), "{what}");
            assert_eq!(i.same_day_registration_rate, rate(s[12], s[11]), "{what}");
        }
        let total: u64 = engine.iter().map(|r| r.indicators.filed).sum();
        assert!(total > 0, "{from}..{to}: data in the period");
    }
}
