//! The generated province looks like the published figures: case mix, closing modes, time
//! limits, appeals, enforcement, backlog, seasonality and the year-end hold-back signal.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use common::{code, events_by_case, mode_share, monthly_filings, share, small};
use tianping_domain::time_limit::{AppealObject, LimitSettings, PendingStatus, Timing, evaluate};
use tianping_domain::{CaseRecord, ClosingMode, EventKind, HolidayCalendar, Money, Procedure};

fn of_type<'a>(cases: &'a [CaseRecord], type_code: &str) -> Vec<&'a CaseRecord> {
    cases.iter().filter(|c| code(c) == type_code).collect()
}

fn assert_between(what: &str, value: f64, lo: f64, hi: f64) {
    assert!(
        (lo..=hi).contains(&value),
        "{what} = {value:.4}, expected {lo}..={hi}"
    );
}

#[test]
fn the_case_mix_resembles_published_figures() {
    let (_, data) = small();
    let total = data.cases.len();
    let count = |t: &str| of_type(&data.cases, t).len();
    let class = |id: &str| {
        data.cases
            .iter()
            .filter(|c| c.type_code.unwrap().class().id() == id)
            .count()
    };
    assert_between("民初 share", share(count("民初"), total), 0.48, 0.56);
    assert_between("执 share", share(count("执"), total), 0.19, 0.30);
    assert_between(
        "enforcement share",
        share(class("enforcement"), total),
        0.25,
        0.32,
    );
    assert_between("刑初 share", share(count("刑初"), total), 0.05, 0.08);
    assert_between("行初 share", share(count("行初"), total), 0.005, 0.03);
    assert_between("民终 share", share(count("民终"), total), 0.015, 0.05);
    for t in [
        "执恢",
        "执异",
        "执保",
        "刑终",
        "行终",
        "民申",
        "民特",
        "民诉前调",
        "诉前调确",
        "破",
    ] {
        assert!(count(t) > 0, "no {t} cases");
    }
    assert!(share(count("破"), total) < 0.005, "bankruptcy is rare");
}

#[test]
fn closing_modes_follow_the_usual_shares() {
    let (_, data) = small();
    let civil = of_type(&data.cases, "民初");
    assert_between(
        "民初 判决",
        mode_share(&civil, ClosingMode::Judgment),
        0.30,
        0.40,
    );
    assert_between(
        "民初 调解",
        mode_share(&civil, ClosingMode::Mediation),
        0.20,
        0.30,
    );
    assert_between(
        "民初 撤诉",
        mode_share(&civil, ClosingMode::Withdrawal),
        0.22,
        0.32,
    );
    let enforcement = of_type(&data.cases, "执");
    let completed = mode_share(&enforcement, ClosingMode::EnforcementCompleted);
    assert_between("执 执行完毕", completed, 0.35, 0.45);
    let termination = mode_share(&enforcement, ClosingMode::TerminationOfThisRound);
    assert_between("首执终本率", termination, 0.30, 0.40);
    let appeals = of_type(&data.cases, "民终");
    assert_between(
        "民终 维持",
        mode_share(&appeals, ClosingMode::Upheld),
        0.62,
        0.80,
    );
    assert_between(
        "民终 改判",
        mode_share(&appeals, ClosingMode::Amended),
        0.04,
        0.12,
    );
    assert_between(
        "民终 发回重审",
        mode_share(&appeals, ClosingMode::Remanded),
        0.01,
        0.06,
    );
    let criminal = of_type(&data.cases, "刑初");
    assert_between(
        "刑初 判决",
        mode_share(&criminal, ClosingMode::Judgment),
        0.88,
        0.97,
    );
}

#[test]
fn civil_first_instance_is_mostly_simple_procedure() {
    let (_, data) = small();
    let civil = of_type(&data.cases, "民初");
    let with = |p: Procedure| civil.iter().filter(|c| c.procedure == Some(p)).count();
    assert_between(
        "简易程序",
        share(with(Procedure::Simple), civil.len()),
        0.55,
        0.72,
    );
    assert_between(
        "小额诉讼程序",
        share(with(Procedure::SmallClaims), civil.len()),
        0.07,
        0.13,
    );
    // Small claims are money claims up to about 50,000 yuan.
    for case in civil
        .iter()
        .filter(|c| c.procedure == Some(Procedure::SmallClaims))
    {
        assert!(case.claim_amount.is_some_and(|m| m <= Money(5_000_000)));
    }
    let foreign = civil.iter().filter(|c| c.foreign_related).count();
    assert_between("涉外", share(foreign, civil.len()), 0.001, 0.05);
    // Only basic courts use the simple procedure (CPL art. 160).
    let basic: BTreeSet<&str> = data
        .courts
        .iter()
        .filter(|c| c.level == tianping_domain::CourtLevel::Basic)
        .map(|c| c.code.as_str())
        .collect();
    for case in civil
        .iter()
        .filter(|c| c.procedure == Some(Procedure::Simple))
    {
        assert!(
            basic.contains(case.court_code.as_str()),
            "{}",
            case.case_number
        );
    }
    let changes = data
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ProcedureChange && e.reason.as_deref() == Some("普通程序"))
        .count();
    assert!(changes > 100, "{changes} procedure changes");
    let criminal = of_type(&data.cases, "刑初");
    for p in [Procedure::Ordinary, Procedure::Simple, Procedure::FastTrack] {
        assert!(criminal.iter().any(|c| c.procedure == Some(p)));
    }
    assert!(criminal.iter().any(|c| c.longer_limit));
}

/// 审限内结案率 by the domain engine, as the indicators define it.
#[test]
fn most_cases_close_within_the_statutory_limit() {
    let (config, data) = small();
    let events = events_by_case(data);
    let calendar = HolidayCalendar::builtin();
    let settings = LimitSettings::default();
    let (mut limited, mut within, mut within_normal, mut extended) = (0usize, 0, 0, 0);
    let mut statuses: BTreeMap<PendingStatus, usize> = BTreeMap::new();
    for case in &data.cases {
        let case_events = events
            .get(case.case_number.as_str())
            .into_iter()
            .flatten()
            .copied();
        match evaluate(
            &case.facts(case_events),
            config.end_date,
            &calendar,
            &settings,
        ) {
            Timing::Closed {
                within_limit: Some(w),
                within_normal_limit: Some(wn),
                limit,
                ..
            } => {
                limited += 1;
                within += usize::from(w);
                within_normal += usize::from(wn);
                extended += usize::from(limit.deadline().unwrap().extended());
            }
            Timing::Pending { status, .. } => *statuses.entry(status).or_default() += 1,
            _ => {}
        }
    }
    assert_between("审限内结案率", share(within, limited), 0.95, 0.99);
    assert!(within_normal < within, "extensions matter");
    assert_between("延长审限率", share(extended, limited), 0.01, 0.10);
    for status in [
        PendingStatus::Overdue,
        PendingStatus::Suspended,
        PendingStatus::DueSoon,
        PendingStatus::Ok,
    ] {
        assert!(
            statuses.get(&status).copied().unwrap_or(0) > 0,
            "no pending {status:?}"
        );
    }
}

#[test]
fn extensions_and_deductions_look_like_court_practice() {
    let (config, data) = small();
    let cases: BTreeMap<&str, &CaseRecord> = data
        .cases
        .iter()
        .map(|c| (c.case_number.as_str(), c))
        .collect();
    let mut reasons = BTreeSet::new();
    let mut open = 0;
    for event in &data.events {
        let case = cases[event.case_number.as_str()];
        match event.kind {
            EventKind::Extension => {
                let months = event.months.unwrap_or(0);
                match (code(case), case.procedure) {
                    ("民初", Some(Procedure::Ordinary)) => assert_eq!(months, 6),
                    // Simple and small claims: +1 month; +6 once changed to the ordinary
                    // procedure.
                    ("民初", Some(Procedure::Simple | Procedure::SmallClaims)) => {
                        let changed = data.events.iter().any(|e| {
                            e.case_number == case.case_number
                                && e.kind == EventKind::ProcedureChange
                                && e.date < event.date
                        });
                        assert_eq!(months, if changed { 6 } else { 1 });
                    }
                    ("执" | "执恢", _) => assert_eq!(months, 3),
                    _ => {}
                }
            }
            EventKind::Deduction => {
                reasons.insert(event.reason.clone().unwrap());
                if event.end_date.is_none() {
                    open += 1;
                    assert!(case.closed_date.is_none());
                    assert!(event.date <= config.end_date);
                }
            }
            _ => {}
        }
    }
    for reason in ["公告", "鉴定", "管辖异议", "评估", "中止"] {
        assert!(reasons.contains(reason), "no deduction for {reason}");
    }
    assert!(open > 0, "some pending cases are suspended");
}

#[test]
fn a_realistic_backlog_remains_at_the_end_date() {
    let (config, data) = small();
    let end = config.end_date;
    let pending: Vec<&CaseRecord> = data
        .cases
        .iter()
        .filter(|c| c.closed_date.is_none())
        .collect();
    let last_year = data
        .cases
        .iter()
        .filter(|c| c.filed_date.year() == end.year())
        .count();
    assert_between(
        "backlog ÷ last year's intake",
        share(pending.len(), last_year),
        0.10,
        0.20,
    );
    let over = |months: u32| {
        pending
            .iter()
            .filter(|c| end > tianping_domain::dates::add_months(c.filed_date, months))
            .count()
    };
    let (m12, m18, m36) = (over(12), over(18), over(36));
    assert!(m12 > m18 && m18 > m36 && m36 > 0, "{m12} {m18} {m36}");
    assert!(
        share(m12, pending.len()) < 0.08,
        "long pending cases are few"
    );
}

#[test]
fn appeals_link_to_first_instance_judgments_of_the_court_below() {
    let (_, data) = small();
    let cases: BTreeMap<&str, &CaseRecord> = data
        .cases
        .iter()
        .map(|c| (c.case_number.as_str(), c))
        .collect();
    let parents: BTreeMap<&str, &str> = data
        .courts
        .iter()
        .filter_map(|c| Some((c.code.as_str(), c.parent_code.as_deref()?)))
        .collect();
    let events = events_by_case(data);
    let mut linked = 0;
    for second in data
        .cases
        .iter()
        .filter(|c| matches!(code(c), "民终" | "刑终" | "行终"))
    {
        let origin = cases[second.origin_case_number.as_deref().expect("an origin")];
        let first = code(origin);
        assert_eq!(
            &first[3..],
            "初",
            "{} appeals {}",
            second.case_number,
            origin.case_number
        );
        assert_eq!(first[..3], code(second)[..3], "same class");
        assert_eq!(parents[origin.court_code.as_str()], second.court_code);
        let closed = origin.closed_date.unwrap();
        let expected_mode = match second.appeal_object {
            AppealObject::Judgment if code(second) != "行终" => vec![ClosingMode::Judgment],
            _ => vec![ClosingMode::Judgment, ClosingMode::DismissalOfSuit],
        };
        assert!(expected_mode.contains(&origin.closing_mode.unwrap()));
        let appeal = events[origin.case_number.as_str()]
            .iter()
            .find(|e| e.kind == EventKind::Appeal)
            .expect("an appeal event on the judgment");
        // CPL art. 171: within 15 days of the judgment.
        assert!(appeal.date > closed && appeal.date <= closed + chrono::Days::new(15));
        assert!(appeal.date < second.filed_date);
        assert_eq!(origin.cause, second.cause);
        linked += 1;
    }
    assert!(linked > 500, "{linked}");
    // 8-15% of first-instance judgments are appealed.
    let judgments = data
        .cases
        .iter()
        .filter(|c| {
            matches!(code(c), "民初" | "刑初" | "行初")
                && c.closing_mode == Some(ClosingMode::Judgment)
        })
        .count();
    let appealed = data
        .cases
        .iter()
        .filter(|c| c.closing_mode == Some(ClosingMode::Judgment))
        .filter(|c| {
            events
                .get(c.case_number.as_str())
                .is_some_and(|e| e.iter().any(|e| e.kind == EventKind::Appeal))
        })
        .count();
    assert_between("上诉率", share(appealed, judgments), 0.08, 0.15);
    // Retrial reviews link to effective decisions and carry a petition event.
    for review in data.cases.iter().filter(|c| code(c) == "民申") {
        let origin = cases[review.origin_case_number.as_deref().unwrap()];
        assert!(matches!(code(origin), "民初" | "民终"));
        assert!(
            events[origin.case_number.as_str()]
                .iter()
                .any(|e| e.kind == EventKind::RetrialApplication)
        );
    }
}

#[test]
fn enforcement_enforces_judgments_and_recovers_money_realistically() {
    let (_, data) = small();
    let cases: BTreeMap<&str, &CaseRecord> = data
        .cases
        .iter()
        .map(|c| (c.case_number.as_str(), c))
        .collect();
    let enforcement = of_type(&data.cases, "执");
    let mut local = 0;
    for case in &enforcement {
        let origin = case.origin_case_number.as_deref().expect("an origin");
        assert!(case.claim_amount.is_some_and(|m| m.fen() > 0));
        if let Some(source) = cases.get(origin) {
            local += 1;
            assert_eq!(source.court_code, case.court_code);
            assert!(matches!(
                source.closing_mode,
                Some(ClosingMode::Judgment | ClosingMode::Mediation | ClosingMode::Granted)
            ));
            assert!(source.closed_date.unwrap() < case.filed_date);
        } else {
            // Judgments from before the generated years.
            let n = tianping_domain::CaseNumber::parse(origin).unwrap();
            assert!(i32::from(n.year) < 2022);
        }
        match (case.closing_mode, case.recovered_amount) {
            (Some(ClosingMode::EnforcementCompleted), Some(r)) => {
                assert_eq!(Some(r), case.claim_amount)
            }
            (Some(_), Some(r)) => assert!(Some(r) <= case.claim_amount),
            (Some(_), None) => panic!("closed enforcement without recovered amount"),
            (None, _) => {}
        }
    }
    assert!(
        share(local, enforcement.len()) > 0.8,
        "most enforce generated judgments"
    );
    let mut claims: Vec<i64> = enforcement
        .iter()
        .filter_map(|c| c.claim_amount)
        .map(|m| m.fen())
        .collect();
    claims.sort_unstable();
    let median = claims[claims.len() / 2] as f64 / 100.0;
    assert_between("median 申请执行标的 (yuan)", median, 30_000.0, 70_000.0);
    assert!(
        *claims.last().unwrap() > 100_000_000,
        "a long tail to millions"
    );
    let terminated: Vec<&&CaseRecord> = enforcement
        .iter()
        .filter(|c| c.closing_mode == Some(ClosingMode::TerminationOfThisRound))
        .collect();
    let nothing = terminated
        .iter()
        .filter(|c| c.recovered_amount == Some(Money(0)))
        .count();
    assert!(
        share(nothing, terminated.len()) > 0.6,
        "终本 mostly recovers nothing"
    );
    for resumed in of_type(&data.cases, "执恢") {
        if let Some(source) = cases.get(resumed.origin_case_number.as_deref().unwrap()) {
            assert_eq!(
                source.closing_mode,
                Some(ClosingMode::TerminationOfThisRound)
            );
        }
    }
}

#[test]
fn filings_dip_at_the_spring_festival_and_peak_in_spring() {
    let (_, data) = small();
    let held: BTreeSet<&str> = data
        .december_holdback_courts
        .iter()
        .map(String::as_str)
        .collect();
    let mut by_month = [0usize; 12];
    for case in data
        .cases
        .iter()
        .filter(|c| !held.contains(c.court_code.as_str()))
    {
        by_month[case.filed_date.month0() as usize] += 1;
    }
    let mean = by_month.iter().sum::<usize>() as f64 / 12.0;
    let ratio = |m: usize| by_month[m - 1] as f64 / mean;
    assert!(ratio(2) < 0.9, "February {:.2}", ratio(2));
    assert!(
        ratio(3) > 1.05 && ratio(4) > 1.0,
        "March {:.2} April {:.2}",
        ratio(3),
        ratio(4)
    );
    assert!(ratio(10) < 1.0, "October {:.2}", ratio(10));
    // Courts that do not hold back register as many in December as in other months.
    assert!(
        (0.85..1.15).contains(&ratio(12)),
        "December {:.2}",
        ratio(12)
    );
    // Registration on the spot for most cases, within 7 days for the others.
    let normal: Vec<&CaseRecord> = data
        .cases
        .iter()
        .filter(|c| !held.contains(c.court_code.as_str()))
        .collect();
    let same_day = normal
        .iter()
        .filter(|c| c.received_date == Some(c.filed_date))
        .count();
    assert_between("当场立案率", share(same_day, normal.len()), 0.90, 0.98);
    let within_7 = normal
        .iter()
        .filter(|c| (c.filed_date - c.received_date.unwrap()).num_days() <= 7)
        .count();
    assert_eq!(within_7, normal.len());
}

/// The year-end filing suppression signal of `indicators.md`, court by court.
#[test]
fn holdback_courts_show_the_december_signal_and_the_others_do_not() {
    let (config, data) = small();
    assert_eq!(data.december_holdback_courts.len(), 1);
    let monthly = monthly_filings(data);
    for year in config.first_year..config.last_year {
        for court in &data.courts {
            let c = court.code.as_str();
            let months: Vec<usize> = (1..=12)
                .map(|m| monthly.get(&(c, year, m)).copied().unwrap_or(0))
                .collect();
            let jan_nov = months[..11].iter().sum::<usize>() as f64 / 11.0;
            if jan_nov < 40.0 {
                continue; // too few filings for a monthly pattern
            }
            let dec_ratio = months[11] as f64 / jan_nov;
            let lag = |dec: bool| {
                let lags: Vec<i64> = data
                    .cases
                    .iter()
                    .filter(|k| k.court_code == c)
                    .filter_map(|k| {
                        let r = k.received_date?;
                        (r.year() == year && (r.month() == 12) == dec)
                            .then(|| (k.filed_date - r).num_days())
                    })
                    .collect();
                lags.iter().sum::<i64>() as f64 / lags.len().max(1) as f64
            };
            let (dec_lag, base_lag) = (lag(true), lag(false));
            let flagged = dec_ratio < 0.6 && dec_lag > base_lag + 7.0;
            let held = data.december_holdback_courts.iter().any(|h| h == c);
            assert_eq!(
                flagged, held,
                "{c} {year}: dec_ratio {dec_ratio:.2}, lag {dec_lag:.1} vs {base_lag:.1}"
            );
            if !held && jan_nov >= 100.0 {
                assert!(dec_ratio > 0.6, "{c} {year}: December {dec_ratio:.2}");
            }
        }
    }
}

#[test]
fn holdback_courts_file_december_materials_in_january() {
    let (_, data) = small();
    let court = data.december_holdback_courts[0].as_str();
    let held: Vec<&CaseRecord> = data
        .cases
        .iter()
        .filter(|c| c.court_code == court)
        .filter(|c| c.received_date.is_some_and(|r| r.month() == 12) && c.filed_date.month() == 1)
        .collect();
    assert!(held.len() > 100, "{}", held.len());
    for case in held {
        let received = case.received_date.unwrap();
        assert_eq!(case.filed_date.year(), received.year() + 1);
        assert!(case.filed_date <= NaiveDate::from_ymd_opt(received.year() + 1, 1, 20).unwrap());
        assert!(
            case.case_number
                .starts_with(&format!("（{}）", received.year() + 1))
        );
    }
}
