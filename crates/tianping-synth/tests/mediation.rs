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

/// The synthetic mediation records written as exchange rows pass every rule of the importer
/// (`workflows.md` §1.5) against the synthetic courts and cases: what the demo stores and what
/// the benchmark imports are data a court could have sent. The province-scale roster (many
/// organisations per court) is checked too.
#[test]
fn synthetic_mediation_files_pass_every_import_rule() {
    use std::collections::HashMap;
    use tianping_exchange::Kind;
    use tianping_synth::{MediationVolume, generate_mediations_sized};
    use tianping_workflow::mediation::export::{
        event_cells, mediation_cells, mediator_cells, org_cells,
    };
    use tianping_workflow::mediation::import::{Known, KnownCase, TableFile, check_files};

    let config = SynthConfig::small(11);
    let data = generate(&config);
    let courts: std::collections::HashSet<&str> =
        data.courts.iter().map(|c| c.code.as_str()).collect();
    let cases: HashMap<&str, KnownCase> = data
        .cases
        .iter()
        .map(|c| {
            (
                c.case_number.as_str(),
                KnownCase {
                    court_code: c.court_code.clone(),
                    filed_date: c.filed_date,
                    closed_date: c.closed_date,
                    procedure: c.procedure,
                },
            )
        })
        .collect();
    let court = |c: &str| courts.contains(c);
    let case = |n: &str| cases.get(n).cloned();
    let known = Known {
        court: &court,
        case: &case,
        org: &|_| None,
        mediator: &|_| None,
        mediation: &|_| None,
        events: &|_| Vec::new(),
    };
    let volume = MediationVolume {
        mediations: 20_000,
        mediators: 3_000,
    };
    for sized in [None, Some(volume)] {
        let m = generate_mediations_sized(&config, &data.courts, &data.cases, sized);
        let rows = |cells: Vec<Vec<String>>| -> Vec<(usize, Vec<String>)> {
            cells
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i + 2, r))
                .collect()
        };
        let files = [
            (
                Kind::MediationOrgs,
                rows(m.orgs.iter().map(org_cells).collect()),
            ),
            (
                Kind::Mediators,
                rows(m.mediators.iter().map(mediator_cells).collect()),
            ),
            (
                Kind::Mediations,
                rows(m.mediations.iter().map(mediation_cells).collect()),
            ),
            (
                Kind::MediationEvents,
                rows(m.events.iter().map(event_cells).collect()),
            ),
        ];
        let tables: Vec<TableFile<'_>> = files
            .iter()
            .map(|(kind, rows)| TableFile {
                file: kind.id(),
                kind: *kind,
                rows,
                refused: &[],
            })
            .collect();
        let checked = check_files(
            &tables,
            &known,
            &MediationSettings::default(),
            &HolidayCalendar::builtin(),
        );
        for (file, c) in files.iter().zip(&checked) {
            assert!(
                c.problems.is_empty(),
                "{} ({}): {:?}",
                file.0,
                if sized.is_some() {
                    "province volume"
                } else {
                    "demo"
                },
                &c.problems[..c.problems.len().min(5)]
            );
        }
        assert_eq!(checked[2].mediations.len(), m.mediations.len());
    }
}

/// The synthetic petitions and suggestions pass every rule of their files (`workflows.md`
/// §2.6, §3.5) against the synthetic courts and cases.
#[test]
fn synthetic_petitions_and_suggestions_pass_every_import_rule() {
    use tianping_exchange::Kind;
    use tianping_synth::{generate_petitions, generate_suggestions};
    use tianping_workflow::core::rows::TableFile;

    let config = SynthConfig::small(13);
    let data = generate(&config);
    let courts: std::collections::HashSet<&str> =
        data.courts.iter().map(|c| c.code.as_str()).collect();
    let cases: std::collections::HashSet<&str> =
        data.cases.iter().map(|c| c.case_number.as_str()).collect();
    let court = |c: &str| courts.contains(c);
    let case = |n: &str| cases.contains(n);
    use tianping_synth::record_cells as cells;
    let petitions = generate_petitions(&config, &data.courts, &data.cases);
    assert!(
        petitions.petitions.len() > 1000,
        "{}",
        petitions.petitions.len()
    );
    let rows: Vec<(usize, Vec<String>)> = petitions
        .petitions
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 2, cells(Kind::Petitions, p)))
        .collect();
    let known = tianping_workflow::petitions::import::Known {
        court: &court,
        case: &case,
        petition: &|_| None,
        matter: &|_| None,
        matter_first_petition: &|_| None,
    };
    let file = TableFile {
        file: "petitions.csv",
        kind: Kind::Petitions,
        rows: &rows,
        refused: &[],
    };
    let checked = tianping_workflow::petitions::import::check_files(
        &[file],
        &known,
        &tianping_workflow::petitions::PetitionSettings::default(),
        &HolidayCalendar::builtin(),
    );
    assert!(
        checked[0].problems.is_empty(),
        "{:?}",
        &checked[0].problems[..checked[0].problems.len().min(5)]
    );
    assert!(petitions.petitions.iter().any(|p| p.is_collective_visit()));
    assert!(!petitions.matters.is_empty());

    let suggestions = generate_suggestions(&config, &data.courts);
    assert!(suggestions.len() > 200, "{}", suggestions.len());
    let rows: Vec<(usize, Vec<String>)> = suggestions
        .iter()
        .enumerate()
        .map(|(i, s)| (i + 2, cells(Kind::Suggestions, s)))
        .collect();
    let file = TableFile {
        file: "suggestions.csv",
        kind: Kind::Suggestions,
        rows: &rows,
        refused: &[],
    };
    let known = tianping_workflow::suggestions::import::Known {
        court: &court,
        case: &case,
    };
    let checked = tianping_workflow::suggestions::import::check_files(
        &[file],
        &known,
        &tianping_workflow::suggestions::SuggestionSettings::default(),
    );
    assert!(
        checked[0].problems.is_empty(),
        "{:?}",
        &checked[0].problems[..checked[0].problems.len().min(5)]
    );
    assert_eq!(checked[0].suggestions.len(), suggestions.len());

    // Court-fee refunds on the closed cases: every row passes the rules of §4.5.
    let refunds = tianping_synth::generate_refunds(&config, &data.cases, 0.6);
    assert!(refunds.len() > 500, "{}", refunds.len());
    let by_number: std::collections::HashMap<&str, &tianping_domain::CaseRecord> = data
        .cases
        .iter()
        .map(|c| (c.case_number.as_str(), c))
        .collect();
    let rows: Vec<(usize, Vec<String>)> = refunds
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 2, cells(Kind::FeeRefunds, r)))
        .collect();
    let file = TableFile {
        file: "fee_refunds.csv",
        kind: Kind::FeeRefunds,
        rows: &rows,
        refused: &[],
    };
    let facts = |n: &str| {
        by_number
            .get(n)
            .map(|c| tianping_workflow::refunds::import::CaseFacts {
                court_code: c.court_code.clone(),
                closed_date: c.closed_date,
                second_instance: c
                    .type_code
                    .is_some_and(|t| t.instance() == tianping_domain::type_code::Instance::Second),
                simple_procedure: c
                    .procedure
                    .map(|p| p == tianping_domain::time_limit::Procedure::Simple),
            })
    };
    let checked = tianping_workflow::refunds::import::check_files(
        &[file],
        &tianping_workflow::refunds::import::Known { case: &facts },
    );
    assert!(
        checked[0].problems.is_empty(),
        "{:?}",
        &checked[0].problems[..checked[0].problems.len().min(5)]
    );
    assert_eq!(checked[0].refunds.len(), refunds.len());
    // Most refunded on time, some late, some waived, some in part.
    assert!(refunds.iter().any(|r| r.waived));
    assert!(refunds.iter().any(|r| r.refunded_amount.is_some()));
}
