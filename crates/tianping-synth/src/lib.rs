//! Synthetic court data (模拟数据) for Tianping's demo, tests and benchmarks: a realistic
//! province with its courts, several years of cases and their events.
//!
//! The province is Shandong (鲁): the high court, the intermediate courts of its real
//! prefectures, the basic courts of its real districts and counties (GB/T 2260 codes), a maritime
//! court and the railway transport courts. Cases come in the mix the published work reports show
//! (civil first instance about half, enforcement about a third, criminal first instance 5-8%),
//! with seasonal filing, appeals linked to the judgments they attack, enforcement linked to the
//! judgments it enforces, and durations planned against the statutory time limits with the
//! domain's own engine, so that about 98% close within the limit. A few courts hold back
//! December registrations (年底不立案), which the year-end signal should find.
//!
//! Output is deterministic: the same configuration gives the same records, byte for byte. Every
//! record satisfies the exchange format's validation rules.
//!
//! ```
//! let config = tianping_synth::SynthConfig {
//!     target_cases: Some(2_000),
//!     ..tianping_synth::SynthConfig::small(7)
//! };
//! let data = tianping_synth::generate(&config);
//! assert!(data.cases.len() > 1_500);
//! ```
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tianping_domain::{CaseRecord, CourtRecord, EventRecord};

mod court_gen;
mod csv_out;
mod geo;
mod kinds;
mod life;
mod mediation;
mod petitions;
mod random;
mod refunds;
mod season;
mod suggestions;
mod vocab;

pub use csv_out::{
    CsvSink, record_cells, write_csv_files, write_mediation_csv_files, write_petition_csv_files,
    write_refund_csv_file, write_suggestion_csv_file,
};
pub use mediation::{
    MediationData, MediationVolume, generate_mediations, generate_mediations_sized,
};
pub use petitions::{PetitionData, generate_petitions, generate_petitions_sized};
pub use refunds::generate_refunds;
pub use suggestions::{generate_suggestions, generate_suggestions_sized};

use court_gen::{World, generate_court};

/// How large a province to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// The high court, three intermediate courts with four basic courts each, and the maritime
    /// court; about 12,500 cases a year. For tests and quick demos.
    Small,
    /// The whole province: 16 intermediate courts, 136 basic courts, the maritime court and the
    /// railway courts; about 340,000 cases a year.
    Province,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    pub seed: u64,
    pub scale: Scale,
    /// Cases are received in the years `first_year..=last_year` (materials received late in
    /// `last_year` may be registered early in the next year).
    pub first_year: i32,
    pub last_year: i32,
    /// Nothing is filed or closed after this date; cases pending then stay open, events after it
    /// are not generated.
    pub end_date: NaiveDate,
    /// Total number of cases to aim at (within a percent or two), overriding the scale's yearly
    /// volume; e.g. `Some(1_000_000)` for benchmarks.
    pub target_cases: Option<usize>,
}

impl SynthConfig {
    /// Small scale, 2022-2025, ending 2025-12-31: about 50,000 cases.
    pub fn small(seed: u64) -> SynthConfig {
        SynthConfig {
            seed,
            scale: Scale::Small,
            first_year: 2022,
            last_year: 2025,
            end_date: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            target_cases: None,
        }
    }

    /// Province scale, 2022-2025, ending 2025-12-31: about 1.35 million cases.
    pub fn province(seed: u64) -> SynthConfig {
        SynthConfig {
            scale: Scale::Province,
            ..SynthConfig::small(seed)
        }
    }
}

/// A generated province.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Parents before children: the high court first.
    pub courts: Vec<CourtRecord>,
    /// Court by court (lower courts first), each court's cases in filing order.
    pub cases: Vec<CaseRecord>,
    /// Grouped by case, in the order of `cases`, each case's events in date order.
    pub events: Vec<EventRecord>,
    /// Codes of the courts that hold back December registrations (see
    /// [`december_holdback_courts`]).
    pub december_holdback_courts: Vec<String>,
}

/// The courts of the province `config` describes, without generating cases.
pub fn courts(config: &SynthConfig) -> Vec<CourtRecord> {
    let courts = geo::build_courts(config.scale, config.seed);
    courts
        .iter()
        .map(|c| CourtRecord {
            code: c.code.clone(),
            name: c.name.clone(),
            level: c.level,
            parent_code: c.parent.map(|p| courts[p].code.clone()),
        })
        .collect()
}

/// The courts that hold back December registrations (年底不立案) under `config`: basic courts
/// chosen from the seed (three at province scale, one at small scale). Materials they receive
/// from 5 December on are mostly registered in the first working days of January, so their
/// December filings fall below 0.6 of their January-November monthly mean and the received→filed
/// lag of December receipts rises to weeks. In the last generated year those registrations
/// would fall after the end date and are missing.
pub fn december_holdback_courts(config: &SynthConfig) -> Vec<String> {
    let world = World::new(config);
    holdback_codes(&world)
}

fn holdback_codes(world: &World) -> Vec<String> {
    world
        .courts
        .iter()
        .zip(&world.holdback)
        .filter(|(_, held)| **held)
        .map(|(c, _)| c.code.clone())
        .collect()
}

/// Generate the province in memory.
pub fn generate(config: &SynthConfig) -> Dataset {
    let world = World::new(config);
    let mut dataset = Dataset {
        december_holdback_courts: holdback_codes(&world),
        ..Dataset::default()
    };
    run(
        &world,
        |court| dataset.courts.push(court.clone()),
        |case, events| {
            dataset.cases.push(case.clone());
            dataset.events.extend_from_slice(events);
        },
    );
    dataset
}

/// Generate the province court by court without holding it: `on_court` sees every court first
/// (parents before children), then `on_case` sees every case with its events. Memory stays at
/// one court's cases plus the appeals travelling up. The calls are the same, in the same order,
/// as the contents of [`generate`]'s [`Dataset`].
pub fn generate_streaming(
    config: &SynthConfig,
    on_court: impl FnMut(&CourtRecord),
    on_case: impl FnMut(&CaseRecord, &[EventRecord]),
) {
    run(&World::new(config), on_court, on_case);
}

fn run(
    world: &World,
    mut on_court: impl FnMut(&CourtRecord),
    mut on_case: impl FnMut(&CaseRecord, &[EventRecord]),
) {
    for index in 0..world.courts.len() {
        on_court(&world.court_record(index));
    }
    let mut inbox: Vec<Vec<court_gen::Request>> = vec![Vec::new(); world.courts.len()];
    for index in world.order() {
        let requests = std::mem::take(&mut inbox[index]);
        let output = generate_court(world, index, requests);
        for (case, events) in &output.cases {
            on_case(case, events);
        }
        if let Some(parent) = world.courts[index].parent {
            inbox[parent].extend(output.requests);
        }
    }
}

/// Generate straight into `courts.csv`, `cases.csv` and `events.csv` in `dir`, without holding
/// the cases in memory; for benchmark files of millions of cases.
pub fn generate_csv_files(config: &SynthConfig, dir: &Path) -> io::Result<[PathBuf; 3]> {
    // Both callbacks write to the sink; the first error stops the writing.
    let sink = RefCell::new((CsvSink::create(dir)?, Ok(())));
    let write = |f: &mut dyn FnMut(&mut CsvSink) -> io::Result<()>| {
        let mut guard = sink.borrow_mut();
        let (sink, result) = &mut *guard;
        if result.is_ok() {
            *result = f(sink);
        }
    };
    generate_streaming(
        config,
        |court| write(&mut |sink| sink.write_court(court)),
        |case, events| {
            write(&mut |sink| {
                sink.write_case(case)?;
                events.iter().try_for_each(|event| sink.write_event(event))
            })
        },
    );
    let (sink, result) = sink.into_inner();
    result?;
    sink.finish()
}
