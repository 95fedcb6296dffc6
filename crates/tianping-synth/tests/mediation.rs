//! The synthetic mediations: deterministic, consistent (dates in order, outcomes with their
//! dates), of every kind and outcome, and the §1.4 identity holds for every court and year.

use std::collections::BTreeMap;

use tianping_domain::HolidayCalendar;
use tianping_synth::{SynthConfig, generate, generate_mediations};
use tianping_workflow::mediation::indicators::{GroupBy, IndicatorQuery, KindFilter, compute};
use tianping_workflow::mediation::{MediationEvent, MediationKind, MediationSettings, Outcome};

#[test]
fn synthetic_mediations_are_deterministic_consistent_and_varied() {
    let config = SynthConfig::small(7);
    let data = generate(&config);
    let a = generate_mediations(&config, &data.courts, &data.cases);
    let b = generate_mediations(&config, &data.courts, &data.cases);
    assert_eq!(a, b, "the same seed gives the same data");
    assert!(a.mediations.len() > 1000, "{}", a.mediations.len());
    assert!(!a.orgs.is_empty() && a.mediators.len() >= 3 * a.orgs.len());
    for m in &a.mediations {
        let dates = [
            Some(m.registered_date),
            m.referred_date,
            m.accepted_date,
            m.concluded_date,
        ];
        let known: Vec<_> = dates.iter().flatten().collect();
        assert!(known.windows(2).all(|w| w[0] <= w[1]), "{m:?}");
        assert_eq!(m.outcome.is_some(), m.concluded_date.is_some());
        assert!(m.concluded_date.is_none_or(|d| d <= config.end_date));
        if m.kind == MediationKind::Entrusted {
            assert!(m.case_number.is_some());
        }
        if m.outcome == Some(Outcome::Failed) {
            assert!(m.failure_reason.is_some());
        }
    }
    for kind in [
        MediationKind::Delegated,
        MediationKind::Applied,
        MediationKind::Entrusted,
    ] {
        assert!(a.mediations.iter().any(|m| m.kind == kind), "{kind:?}");
    }
    for outcome in [
        Outcome::Succeeded,
        Outcome::Withdrawn,
        Outcome::Failed,
        Outcome::Returned,
    ] {
        assert!(a.mediations.iter().any(|m| m.outcome == Some(outcome)));
    }
    assert!(
        a.mediations.iter().any(|m| m.outcome.is_none()),
        "open ones"
    );
    // The identity of §1.4, court by court, year by year; and some mediations run late.
    let mut events: BTreeMap<String, Vec<MediationEvent>> = BTreeMap::new();
    for e in &a.events {
        events
            .entry(e.mediation_id.clone())
            .or_default()
            .push(e.clone());
    }
    let everywhere = |_: &str| true;
    for year in config.first_year..=config.last_year {
        let q = IndicatorQuery {
            from: chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
            as_of: chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
            by: GroupBy::Court,
            kind: KindFilter::All,
            in_scope: &everywhere,
            case_filed: &|_| None,
        };
        let rows = compute(
            &a.mediations,
            &events,
            &q,
            "",
            &HolidayCalendar::builtin(),
            &MediationSettings::default(),
        );
        assert!(!rows.is_empty());
        for r in &rows {
            let i = &r.indicators;
            assert_eq!(
                i.carried_over + i.registered - i.concluded - i.returned,
                i.pending_end,
                "{year} {}",
                r.key
            );
            let rate = i.success_rate.unwrap();
            assert!((0.5..0.8).contains(&rate), "{year} {}: {rate}", r.key);
        }
        assert!(
            rows.iter()
                .map(|r| r.indicators.overdue_concluded)
                .sum::<u64>()
                > 0
        );
    }
}
