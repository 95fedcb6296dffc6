//! Every generated record is valid exchange data, the courts form a real-looking province, and
//! generation is deterministic.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use common::{code, court_code, date, seed, small, violations};
use tianping_domain::{CaseNumber, CourtLevel};
use tianping_synth::{
    Scale, SynthConfig, courts, december_holdback_courts, generate, generate_streaming,
    write_csv_files,
};

#[test]
fn every_record_of_the_small_province_passes_the_exchange_rules() {
    let (config, data) = small();
    let problems = violations(data, config.end_date);
    assert!(
        problems.is_empty(),
        "{} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(20)]
    );
}

#[test]
fn small_scale_has_the_volume_asked_for() {
    let (_, data) = small();
    // 12,500 a year over four years.
    assert!(
        (45_000..=55_000).contains(&data.cases.len()),
        "{}",
        data.cases.len()
    );
    assert!(data.events.len() > 5_000);
}

#[test]
fn every_case_number_parses_and_names_a_listed_court() {
    let (_, data) = small();
    let listed: BTreeSet<&str> = data.courts.iter().map(|c| c.code.as_str()).collect();
    for case in &data.cases {
        let parsed = CaseNumber::parse(&case.case_number).unwrap();
        assert_eq!(parsed.to_string(), case.case_number);
        assert_eq!(parsed.court.as_str(), case.court_code);
        assert!(
            listed.contains(parsed.court.as_str()),
            "{}",
            case.case_number
        );
    }
}

#[test]
fn case_numbers_run_from_one_per_court_type_and_year_in_filing_order() {
    let (_, data) = small();
    type Run = Vec<(u32, chrono::NaiveDate)>;
    let mut runs: BTreeMap<(String, &str, u16), Run> = BTreeMap::new();
    for case in &data.cases {
        let n = CaseNumber::parse(&case.case_number).unwrap();
        runs.entry((case.court_code.clone(), code(case), n.year))
            .or_default()
            .push((n.seq, case.filed_date));
    }
    for (key, mut run) in runs {
        run.sort();
        for (i, (seq, _)) in run.iter().enumerate() {
            assert_eq!(*seq as usize, i + 1, "{key:?} has a gap or duplicate");
        }
        assert!(
            run.windows(2).all(|w| w[0].1 <= w[1].1),
            "{key:?} is not numbered in filing order"
        );
    }
}

#[test]
fn the_small_province_is_a_tree_under_the_high_court() {
    let (_, data) = small();
    let codes: BTreeSet<&str> = data.courts.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes.len(), data.courts.len(), "court codes repeat");
    let tops: Vec<&str> = data
        .courts
        .iter()
        .filter(|c| c.parent_code.is_none())
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(tops, ["鲁"]);
    let count = |level| data.courts.iter().filter(|c| c.level == level).count();
    assert_eq!(count(CourtLevel::High), 1);
    assert_eq!(count(CourtLevel::Intermediate), 3);
    assert_eq!(count(CourtLevel::Basic), 12);
    assert_eq!(count(CourtLevel::Special), 1);
    for court in &data.courts {
        let parsed = court_code(&court.code);
        assert_eq!(court.level, parsed.derived_level(), "{}", court.code);
        if let Some(parent) = &court.parent_code {
            assert!(
                codes.contains(parent.as_str()),
                "{} has an unknown parent",
                court.code
            );
            assert_eq!(
                parsed.derived_parent().unwrap().as_str(),
                parent,
                "{}",
                court.code
            );
        }
    }
    let name = |code: &str| {
        data.courts
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .name
            .as_str()
    };
    assert_eq!(name("鲁"), "山东省高级人民法院");
    assert_eq!(name("鲁01"), "济南市中级人民法院");
    assert_eq!(name("鲁0102"), "济南市历下区人民法院");
    assert_eq!(name("鲁1082"), "荣成市人民法院");
    assert_eq!(name("鲁0523"), "广饶县人民法院");
    assert_eq!(name("鲁72"), "青岛海事法院");
}

#[test]
fn the_province_has_every_prefecture_and_the_special_courts() {
    let courts = courts(&SynthConfig::province(1));
    let count = |level| courts.iter().filter(|c| c.level == level).count();
    assert_eq!(count(CourtLevel::High), 1);
    assert_eq!(count(CourtLevel::Intermediate), 16);
    assert!(
        (130..=150).contains(&count(CourtLevel::Basic)),
        "{}",
        count(CourtLevel::Basic)
    );
    let find = |code: &str| courts.iter().find(|c| c.code == code).unwrap();
    assert_eq!(find("鲁71").name, "济南铁路运输中级法院");
    assert_eq!(find("鲁71").level, CourtLevel::Special);
    assert_eq!(find("鲁7101").name, "济南铁路运输法院");
    assert_eq!(find("鲁7101").parent_code.as_deref(), Some("鲁71"));
    assert_eq!(find("鲁72").name, "青岛海事法院");
    assert_eq!(find("鲁72").parent_code.as_deref(), Some("鲁"));
    assert_eq!(find("鲁02").name, "青岛市中级人民法院");
    assert_eq!(find("鲁0281").name, "胶州市人民法院");
    assert_eq!(find("鲁1725").name, "郓城县人民法院");
    for court in &courts {
        assert!(court.name.ends_with("法院"), "{}", court.name);
        assert_eq!(court.parent_code.is_none(), court.code == "鲁");
    }
}

#[test]
fn courts_have_divisions_and_five_to_forty_judges_with_plausible_names() {
    let (_, data) = small();
    let mut judges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut divisions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for case in &data.cases {
        judges
            .entry(case.court_code.as_str())
            .or_default()
            .insert(case.judge.as_deref().unwrap());
        divisions
            .entry(case.court_code.as_str())
            .or_default()
            .insert(case.division.as_deref().unwrap());
    }
    for (court, names) in &judges {
        assert!(
            (5..=40).contains(&names.len()),
            "{court}: {} judges",
            names.len()
        );
        for name in names {
            let chars = name.chars().count();
            assert!((2..=3).contains(&chars), "{court}: odd judge name {name}");
        }
    }
    let basic = &divisions["鲁0102"];
    for expected in ["民一庭", "民二庭", "刑事审判庭", "执行局", "立案庭"] {
        assert!(
            basic.contains(expected),
            "鲁0102 lacks {expected}: {basic:?}"
        );
    }
    assert!(basic.iter().any(|d| d.ends_with("人民法庭")), "{basic:?}");
    assert!(divisions["鲁01"].contains("审判监督庭"));
    // Division by type: enforcement in the enforcement bureau, crimes in a criminal division.
    for case in &data.cases {
        let division = case.division.as_deref().unwrap();
        match code(case) {
            "执" => assert_eq!(division, "执行局"),
            "刑初" | "刑终" => assert!(division.starts_with('刑'), "{division}"),
            _ => {}
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let config = SynthConfig {
        target_cases: Some(4_000),
        ..SynthConfig::small(99)
    };
    let a = generate(&config);
    let b = generate(&config);
    assert_eq!(a, b);
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let files_a = write_csv_files(&a, dir_a.path()).unwrap();
    let files_b = write_csv_files(&b, dir_b.path()).unwrap();
    for (fa, fb) in files_a.iter().zip(&files_b) {
        assert_eq!(std::fs::read(fa).unwrap(), std::fs::read(fb).unwrap());
    }
    let other = generate(&SynthConfig {
        seed: 100,
        ..config.clone()
    });
    assert_ne!(a.cases, other.cases);
    assert_eq!(a.courts.len(), other.courts.len());
}

#[test]
fn streaming_yields_what_generate_holds() {
    let config = SynthConfig {
        target_cases: Some(3_000),
        ..SynthConfig::small(5)
    };
    let data = generate(&config);
    let mut courts = Vec::new();
    let mut cases = Vec::new();
    let mut events = Vec::new();
    generate_streaming(
        &config,
        |c| courts.push(c.clone()),
        |c, e| {
            assert!(e.iter().all(|ev| ev.case_number == c.case_number));
            cases.push(c.clone());
            events.extend_from_slice(e);
        },
    );
    assert_eq!(courts, data.courts);
    assert_eq!(cases, data.cases);
    assert_eq!(events, data.events);
    assert_eq!(
        data.december_holdback_courts,
        december_holdback_courts(&config)
    );
}

#[test]
fn target_cases_overrides_the_volume() {
    for target in [10_000, 25_000] {
        let data = generate(&SynthConfig {
            target_cases: Some(target),
            ..SynthConfig::small(seed())
        });
        let n = data.cases.len() as f64;
        assert!((n / target as f64 - 1.0).abs() < 0.04, "{target}: got {n}");
    }
}

#[test]
fn an_end_date_inside_a_year_cuts_everything_there() {
    let config = SynthConfig {
        last_year: 2024,
        end_date: date("2024-06-30"),
        target_cases: Some(8_000),
        ..SynthConfig::small(11)
    };
    let data = generate(&config);
    assert!(violations(&data, config.end_date).is_empty());
    assert!(data.cases.iter().all(|c| c.filed_date <= config.end_date));
    assert!(data.cases.iter().any(|c| c.filed_date.year() == 2024));
    let pending = data
        .cases
        .iter()
        .filter(|c| c.closed_date.is_none())
        .count();
    assert!(pending > 0);
}

#[test]
fn province_scale_with_a_small_target_keeps_every_court_busy() {
    let config = SynthConfig {
        target_cases: Some(60_000),
        ..SynthConfig::province(3)
    };
    assert_eq!(config.scale, Scale::Province);
    let data = generate(&config);
    assert!(violations(&data, config.end_date).is_empty());
    let busy: BTreeSet<&str> = data.cases.iter().map(|c| c.court_code.as_str()).collect();
    assert_eq!(busy.len(), data.courts.len(), "every court has cases");
    assert_eq!(data.december_holdback_courts.len(), 3);
}
