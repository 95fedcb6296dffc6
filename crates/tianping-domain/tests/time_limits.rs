//! Hand-computed deadlines for every row of the time-limit table (time-limits.md), on the
//! official calendar. Each expected date was worked out by hand; the comment shows the working.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::dates::{add_days, parse_date};
use tianping_domain::time_limit::{
    AppealObject, CaseFacts, Deduction, Extension, Limit, LimitRule, LimitSettings, LimitSpan,
    NoLimitReason, PendingStatus, Procedure, ProcedureChange, Timing, compute_deadline, evaluate,
};

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn calendar() -> HolidayCalendar {
    HolidayCalendar::builtin()
}

fn facts(rule: LimitRule, procedure: Option<Procedure>, filed: &str) -> CaseFacts {
    let mut f = CaseFacts::new(Some(rule), d(filed));
    f.procedure = procedure;
    f
}

/// (normal deadline, deadline) with events counted up to `cutoff`.
fn deadlines_at(f: &CaseFacts, cutoff: &str) -> (NaiveDate, NaiveDate) {
    match compute_deadline(f, d(cutoff), &calendar(), &LimitSettings::default()) {
        Limit::Some(dl) => (dl.normal_deadline, dl.deadline),
        Limit::None(reason) => panic!("expected a deadline, got none: {reason:?}"),
    }
}

fn deadline(f: &CaseFacts) -> NaiveDate {
    deadlines_at(f, "2030-12-31").1
}

fn extend(f: &mut CaseFacts, approved: &str, months: u32, days: u32) {
    f.extensions.push(Extension {
        approved: d(approved),
        span: LimitSpan::new(months, days),
    });
}

fn deduct(f: &mut CaseFacts, start: &str, end: Option<&str>) {
    f.deductions.push(Deduction {
        start: d(start),
        end: end.map(d),
    });
}

use LimitRule::*;
use Procedure::*;

// --- civil_first -------------------------------------------------------------------------

#[test]
fn civil_first_ordinary_is_six_months() {
    // CPL 152: 2023-03-15 + 6 months = 2023-09-15, a Friday.
    assert_eq!(
        deadline(&facts(CivilFirst, None, "2023-03-15")),
        d("2023-09-15")
    );
    assert_eq!(
        deadline(&facts(CivilFirst, Some(Ordinary), "2023-03-15")),
        d("2023-09-15")
    );
}

#[test]
fn civil_first_extended_by_six_months_by_the_president() {
    let mut f = facts(CivilFirst, None, "2023-03-15");
    extend(&mut f, "2023-09-01", 6, 0);
    // Normal 2023-09-15; extended 2023-03-15 + 12 months = 2024-03-15, a Friday.
    assert_eq!(
        deadlines_at(&f, "2024-01-01"),
        (d("2023-09-15"), d("2024-03-15"))
    );
}

#[test]
fn month_end_clamping_filed_on_the_31st() {
    // 2023-08-31 + 6 months = 2024-02-29 (leap year; a Thursday and a working day).
    assert_eq!(
        deadline(&facts(CivilFirst, None, "2023-08-31")),
        d("2024-02-29")
    );
    // 2022-08-31 + 6 months = 2023-02-28, a Tuesday.
    assert_eq!(
        deadline(&facts(CivilFirst, None, "2022-08-31")),
        d("2023-02-28")
    );
}

#[test]
fn civil_first_simple_is_three_months_plus_one() {
    // CPL 164: 2023-03-15 + 3 months = 2023-06-15, a Thursday.
    let mut f = facts(CivilFirst, Some(Simple), "2023-03-15");
    assert_eq!(deadline(&f), d("2023-06-15"));
    // +1 month (president): 2023-07-15 is a Saturday -> Monday 2023-07-17.
    extend(&mut f, "2023-06-01", 1, 0);
    assert_eq!(
        deadlines_at(&f, "2023-06-02"),
        (d("2023-06-15"), d("2023-07-17"))
    );
}

#[test]
fn civil_first_small_claims_is_two_months() {
    // CPL 168: 2023-03-15 + 2 months = 2023-05-15, a Monday.
    assert_eq!(
        deadline(&facts(CivilFirst, Some(SmallClaims), "2023-03-15")),
        d("2023-05-15")
    );
}

#[test]
fn foreign_related_civil_cases_have_no_limit() {
    // CPL 287: not bound by arts. 152 and 183.
    for rule in [CivilFirst, CivilSecond] {
        let mut f = facts(rule, None, "2023-03-15");
        f.foreign_related = true;
        let limit = compute_deadline(&f, d("2024-01-01"), &calendar(), &LimitSettings::default());
        assert_eq!(limit, Limit::None(NoLimitReason::ForeignRelated));
    }
    // The flag does not exempt a criminal case.
    let mut f = facts(CriminalFirst, None, "2023-03-15");
    f.foreign_related = true;
    assert!(
        compute_deadline(&f, d("2024-01-01"), &calendar(), &LimitSettings::default())
            .deadline()
            .is_some()
    );
}

#[test]
fn a_type_code_without_a_rule_has_no_limit() {
    let f = CaseFacts::new(None, d("2023-03-15"));
    let limit = compute_deadline(&f, d("2024-01-01"), &calendar(), &LimitSettings::default());
    assert_eq!(limit, Limit::None(NoLimitReason::NoRule));
    match evaluate(&f, d("2024-01-01"), &calendar(), &LimitSettings::default()) {
        Timing::Pending {
            status,
            days_remaining,
            ..
        } => {
            assert_eq!(status, PendingStatus::NoLimit);
            assert_eq!(days_remaining, None);
        }
        other => panic!("{other:?}"),
    }
}

// --- civil_second, special, retrial ------------------------------------------------------

#[test]
fn civil_second_is_three_months_for_judgments_and_30_days_for_rulings() {
    // CPL 183: 2023-05-10 + 3 months = 2023-08-10, a Thursday.
    let mut f = facts(CivilSecond, None, "2023-05-10");
    assert_eq!(deadline(&f), d("2023-08-10"));
    // Appeal against a ruling: 2023-05-10 + 30 days = 2023-06-09, a Friday.
    f.appeal_object = AppealObject::Ruling;
    assert_eq!(deadline(&f), d("2023-06-09"));
}

#[test]
fn civil_special_is_30_days_counted_from_the_day_after_filing() {
    // CPL 187; the specification's example: 2023-03-15 + 30 days = 2023-04-14 (day 1 is 03-16).
    assert_eq!(
        deadline(&facts(CivilSpecial, None, "2023-03-15")),
        d("2023-04-14")
    );
}

#[test]
fn an_extension_in_days_adds_days() {
    // 2023-03-15 + 30 + 15 days = 2023-04-29, a Labour Day holiday (04-29..05-03 off)
    // -> 2023-05-04.
    let mut f = facts(CivilSpecial, None, "2023-03-15");
    extend(&mut f, "2023-04-10", 0, 15);
    assert_eq!(
        deadlines_at(&f, "2023-04-20"),
        (d("2023-04-14"), d("2023-05-04"))
    );
}

#[test]
fn civil_retrial_review_is_three_months() {
    // CPL 215: 2023-01-10 + 3 months = 2023-04-10, a Monday.
    assert_eq!(
        deadline(&facts(CivilRetrialReview, None, "2023-01-10")),
        d("2023-04-10")
    );
}

#[test]
fn civil_retrial_follows_the_procedure_it_is_tried_under() {
    // Interp. 128: first-instance procedure 6 months (2023-07-10, Monday), second 3 months.
    assert_eq!(
        deadline(&facts(CivilRetrial, None, "2023-01-10")),
        d("2023-07-10")
    );
    assert_eq!(
        deadline(&facts(CivilRetrial, Some(FirstInstance), "2023-01-10")),
        d("2023-07-10")
    );
    assert_eq!(
        deadline(&facts(CivilRetrial, Some(SecondInstance), "2023-01-10")),
        d("2023-04-10")
    );
}

// --- criminal ---------------------------------------------------------------------------

#[test]
fn criminal_first_ordinary_rolls_over_national_day_to_the_make_up_saturday() {
    // CrimPL 208: 2023-06-30 + 3 months = 2023-09-30, inside the 09-29..10-06 holiday;
    // the next working day is Saturday 2023-10-07, a make-up working day.
    assert_eq!(
        deadline(&facts(CriminalFirst, None, "2023-06-30")),
        d("2023-10-07")
    );
}

#[test]
fn criminal_first_extension_by_the_court_above() {
    // +3 months: 2023-06-30 + 6 months = 2023-12-30, a Saturday; 2024-01-01 is New Year's Day
    // -> 2024-01-02.
    let mut f = facts(CriminalFirst, None, "2023-06-30");
    extend(&mut f, "2023-09-20", 3, 0);
    assert_eq!(
        deadlines_at(&f, "2023-10-01"),
        (d("2023-10-07"), d("2024-01-02"))
    );
}

#[test]
fn criminal_simple_is_20_days_or_one_and_a_half_months() {
    // CrimPL 220: 2023-03-01 + 20 days = 2023-03-21, a Tuesday.
    let mut f = facts(CriminalFirst, Some(Simple), "2023-03-01");
    assert_eq!(deadline(&f), d("2023-03-21"));
    // 一个半月 = 1 month + 15 days: 2023-04-01 + 15 = 2023-04-16, a Sunday -> 2023-04-17.
    f.longer_limit = true;
    assert_eq!(deadline(&f), d("2023-04-17"));
}

#[test]
fn criminal_fast_track_is_10_or_15_days() {
    // CrimPL 225: 2023-03-01 + 10 days = 2023-03-11, a Saturday -> Monday 2023-03-13.
    let mut f = facts(CriminalFirst, Some(FastTrack), "2023-03-01");
    assert_eq!(deadline(&f), d("2023-03-13"));
    // 15 days: 2023-03-16, a Thursday.
    f.longer_limit = true;
    assert_eq!(deadline(&f), d("2023-03-16"));
}

#[test]
fn criminal_second_is_two_months() {
    // CrimPL 243: 2023-03-01 + 2 months = 2023-05-01, Labour Day (04-29..05-03 off) -> 2023-05-04.
    assert_eq!(
        deadline(&facts(CriminalSecond, None, "2023-03-01")),
        d("2023-05-04")
    );
}

#[test]
fn criminal_retrial_is_three_months() {
    // CrimPL 258: 2023-02-28 + 3 months = 2023-05-28, a Sunday -> 2023-05-29.
    assert_eq!(
        deadline(&facts(CriminalRetrial, None, "2023-02-28")),
        d("2023-05-29")
    );
}

// --- administrative ---------------------------------------------------------------------

#[test]
fn admin_first_ordinary_is_six_months_and_simple_45_days() {
    // ALA 81: 2023-08-31 + 6 months = 2024-02-29.
    assert_eq!(
        deadline(&facts(AdminFirst, None, "2023-08-31")),
        d("2024-02-29")
    );
    // ALA 83: 2023-03-01 + 45 days = 2023-04-15, a Saturday -> 2023-04-17.
    assert_eq!(
        deadline(&facts(AdminFirst, Some(Simple), "2023-03-01")),
        d("2023-04-17")
    );
}

#[test]
fn admin_second_rolls_through_spring_festival_to_a_make_up_sunday() {
    // ALA 88: 2023-11-10 + 3 months = 2024-02-10, first day of the Spring Festival holiday
    // (02-10..02-17 off); Sunday 2024-02-18 is a make-up working day.
    assert_eq!(
        deadline(&facts(AdminSecond, None, "2023-11-10")),
        d("2024-02-18")
    );
}

#[test]
fn admin_retrial_follows_the_procedure_it_is_tried_under() {
    assert_eq!(
        deadline(&facts(AdminRetrial, None, "2023-01-10")),
        d("2023-07-10")
    );
    assert_eq!(
        deadline(&facts(AdminRetrial, Some(SecondInstance), "2023-01-10")),
        d("2023-04-10")
    );
}

// --- enforcement, mediation ---------------------------------------------------------------

#[test]
fn enforcement_is_six_months_plus_three() {
    // 2000 rules art. 5: 2023-04-03 + 6 months = 2023-10-03 (holiday) -> 2023-10-07.
    let mut f = facts(Enforcement, None, "2023-04-03");
    assert_eq!(deadline(&f), d("2023-10-07"));
    // +3 months (president): 2024-01-03, a Wednesday.
    extend(&mut f, "2023-09-20", 3, 0);
    assert_eq!(
        deadlines_at(&f, "2023-09-20"),
        (d("2023-10-07"), d("2024-01-03"))
    );
}

#[test]
fn pre_litigation_mediation_is_30_days() {
    // Online mediation rules art. 24: 2023-09-01 + 30 days = 2023-10-01 (holiday) -> 2023-10-07.
    assert_eq!(
        deadline(&facts(PreLitigationMediation, None, "2023-09-01")),
        d("2023-10-07")
    );
}

#[test]
fn enforcement_objection_is_15_days_from_receipt() {
    // CPL arts. 236, 238: 2024-03-01 (a Friday) + 15 days = 2024-03-16, a Saturday -> Monday
    // 2024-03-18.
    assert_eq!(
        deadline(&facts(EnforcementObjection, None, "2024-03-01")),
        d("2024-03-18")
    );
}

#[test]
fn enforcement_reconsideration_is_30_days_extendable_by_30() {
    // 执行程序解释 art. 8: 2024-05-06 + 30 days = 2024-06-05, a Wednesday.
    let mut f = facts(EnforcementReconsideration, None, "2024-05-06");
    assert_eq!(deadline(&f), d("2024-06-05"));
    // +30 days (president), approved 2024-05-30: 2024-06-05 + 30 days = 2024-07-05, a Friday.
    extend(&mut f, "2024-05-30", 0, 30);
    assert_eq!(
        deadlines_at(&f, "2024-06-01"),
        (d("2024-06-05"), d("2024-07-05"))
    );
}

// --- holiday roll-over --------------------------------------------------------------------

#[test]
fn a_deadline_on_a_make_up_working_weekend_does_not_roll() {
    // 2023-09-07 + 30 days = 2023-10-07, a Saturday that the 2023 notice makes a working day.
    let f = facts(CivilSpecial, None, "2023-09-07");
    match compute_deadline(&f, d("2023-09-08"), &calendar(), &LimitSettings::default()) {
        Limit::Some(dl) => {
            assert_eq!(dl.unrolled, d("2023-10-07"));
            assert_eq!(dl.deadline, d("2023-10-07"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn roll_over_can_be_switched_off() {
    let settings = LimitSettings {
        holiday_rollover: false,
        ..LimitSettings::default()
    };
    let f = facts(CriminalFirst, None, "2023-06-30");
    let dl = compute_deadline(&f, d("2023-07-01"), &calendar(), &settings);
    assert_eq!(dl.deadline().unwrap().deadline, d("2023-09-30"));
}

#[test]
fn a_year_the_calendar_does_not_know_falls_back_to_weekends_and_says_so() {
    // 2027 has no published notice in the bundled data: 2027-10-01 is a Friday, not rolled.
    let f = facts(CivilFirst, None, "2027-04-01");
    let limit = compute_deadline(&f, d("2027-04-02"), &calendar(), &LimitSettings::default());
    let dl = limit.deadline().unwrap();
    assert_eq!(dl.deadline, d("2027-10-01"));
    assert!(!dl.calendar_known);
    let known = compute_deadline(
        &facts(CivilFirst, None, "2023-03-15"),
        d("2023-04-01"),
        &calendar(),
        &LimitSettings::default(),
    );
    assert!(known.deadline().unwrap().calendar_known);
}

// --- deductions ----------------------------------------------------------------------------

#[test]
fn overlapping_deductions_are_merged_before_counting() {
    // [02-01, 02-10] and [02-05, 02-20] merge to [02-01, 02-20] = 20 days.
    // 2023-01-10 + 6 months = 2023-07-10, + 20 days = 2023-07-30, a Sunday -> 2023-07-31.
    let mut f = facts(CivilFirst, None, "2023-01-10");
    deduct(&mut f, "2023-02-01", Some("2023-02-10"));
    deduct(&mut f, "2023-02-05", Some("2023-02-20"));
    f.closed = Some(d("2023-07-25"));
    let limit = compute_deadline(&f, d("2023-07-25"), &calendar(), &LimitSettings::default());
    let dl = limit.deadline().unwrap();
    assert_eq!(dl.deducted_days, 20);
    assert_eq!(
        (dl.normal_deadline, dl.deadline),
        (d("2023-07-31"), d("2023-07-31"))
    );
    match evaluate(&f, d("2023-12-31"), &calendar(), &LimitSettings::default()) {
        // 2023-01-10 -> 2023-07-25 is 196 days, minus 20 deducted.
        Timing::Closed {
            within_limit,
            net_duration_days,
            ..
        } => {
            assert_eq!(within_limit, Some(true));
            assert_eq!(net_duration_days, 176);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_open_deduction_runs_to_the_as_of_date_and_suspends_the_case() {
    // Open from 2023-03-01; at 2023-03-31 it has run 31 days: 2023-07-10 + 31 = 2023-08-10.
    let mut f = facts(CivilFirst, None, "2023-01-10");
    deduct(&mut f, "2023-03-01", None);
    match evaluate(&f, d("2023-03-31"), &calendar(), &LimitSettings::default()) {
        Timing::Pending {
            limit,
            status,
            days_remaining,
            age_days,
            ..
        } => {
            assert_eq!(limit.deadline().unwrap().deducted_days, 31);
            assert_eq!(limit.deadline().unwrap().deadline, d("2023-08-10"));
            assert_eq!(status, PendingStatus::Suspended);
            assert_eq!(days_remaining, Some(132));
            assert_eq!(age_days, 80);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_open_deduction_of_a_closed_case_runs_to_the_closing_date() {
    // [03-01, open], closed 2023-03-20: 20 days.
    let mut f = facts(CivilFirst, None, "2023-01-10");
    deduct(&mut f, "2023-03-01", None);
    f.closed = Some(d("2023-03-20"));
    let dl = compute_deadline(&f, d("2023-03-20"), &calendar(), &LimitSettings::default());
    assert_eq!(dl.deadline().unwrap().deducted_days, 20);
}

#[test]
fn only_days_after_filing_are_deducted() {
    // [01-05, 01-12] with filing on 01-10: 01-11 and 01-12 count.
    let mut f = facts(CivilFirst, None, "2023-01-10");
    deduct(&mut f, "2023-01-05", Some("2023-01-12"));
    let dl = compute_deadline(&f, d("2023-02-01"), &calendar(), &LimitSettings::default());
    assert_eq!(dl.deadline().unwrap().deducted_days, 2);
}

#[test]
fn events_after_the_cut_off_do_not_count_yet() {
    let mut f = facts(CivilFirst, None, "2023-03-15");
    extend(&mut f, "2023-09-01", 6, 0);
    deduct(&mut f, "2023-05-01", Some("2023-05-10"));
    // At 2023-04-30 neither the extension nor the deduction has begun.
    assert_eq!(
        deadlines_at(&f, "2023-04-30"),
        (d("2023-09-15"), d("2023-09-15"))
    );
    // At 2023-05-05 five deducted days: 2023-09-20, a Wednesday.
    assert_eq!(
        deadlines_at(&f, "2023-05-05"),
        (d("2023-09-20"), d("2023-09-20"))
    );
    // A case closed on 2023-08-31 never saw the extension approved on 09-01.
    f.closed = Some(d("2023-08-31"));
    match evaluate(&f, d("2023-12-31"), &calendar(), &LimitSettings::default()) {
        Timing::Closed { limit, .. } => assert!(!limit.deadline().unwrap().extended()),
        other => panic!("{other:?}"),
    }
}

// --- procedure change -------------------------------------------------------------------

#[test]
fn civil_simple_to_ordinary_counts_from_the_original_filing_date() {
    let mut f = facts(CivilFirst, Some(Simple), "2023-03-15");
    f.procedure_changes.push(ProcedureChange {
        decided: d("2023-05-20"),
        to: Ordinary,
    });
    // Before the change: the simple limit, 2023-06-15.
    assert_eq!(deadlines_at(&f, "2023-05-01").1, d("2023-06-15"));
    // After: six months from filing (2000 rules art. 8), 2023-09-15.
    assert_eq!(deadlines_at(&f, "2023-05-21").1, d("2023-09-15"));
}

#[test]
fn criminal_simple_to_ordinary_counts_from_the_change_decision() {
    let mut f = facts(CriminalFirst, Some(Simple), "2023-03-01");
    f.procedure_changes.push(ProcedureChange {
        decided: d("2023-03-10"),
        to: Ordinary,
    });
    // 2023-03-10 + 3 months = 2023-06-10, a Saturday -> 2023-06-12.
    assert_eq!(deadlines_at(&f, "2023-03-11").1, d("2023-06-12"));
}

// --- status at an as-of date --------------------------------------------------------------

fn status_at(f: &CaseFacts, as_of: &str) -> PendingStatus {
    match evaluate(f, d(as_of), &calendar(), &LimitSettings::default()) {
        Timing::Pending { status, .. } => status,
        other => panic!("{other:?}"),
    }
}

#[test]
fn status_boundaries_of_the_due_soon_window() {
    // Deadline 2023-09-15.
    let f = facts(CivilFirst, None, "2023-03-15");
    assert_eq!(status_at(&f, "2023-08-30"), PendingStatus::Ok); // 16 days left
    assert_eq!(status_at(&f, "2023-08-31"), PendingStatus::DueSoon); // 15 days left
    assert_eq!(status_at(&f, "2023-09-15"), PendingStatus::DueSoon); // 0 days left
    assert_eq!(status_at(&f, "2023-09-16"), PendingStatus::Overdue);
}

#[test]
fn overdue_outranks_suspended_and_suspended_outranks_due_soon() {
    let mut f = facts(CivilFirst, None, "2023-03-15");
    deduct(&mut f, "2023-10-01", None); // starts after the deadline has passed
    assert_eq!(status_at(&f, "2023-10-05"), PendingStatus::Overdue);
    let mut g = facts(CivilFirst, None, "2023-03-15");
    deduct(&mut g, "2023-09-01", Some("2023-09-03"));
    // On 09-02 the deduction has run 2 days: deadline 2023-09-17 (Sunday) -> 09-18; 16 days
    // left, but the case is suspended first.
    assert_eq!(status_at(&g, "2023-09-02"), PendingStatus::Suspended);
}

#[test]
fn long_pending_thresholds_use_month_boundaries() {
    let f = facts(CivilFirst, None, "2022-03-31");
    let over = |as_of: &str| match evaluate(&f, d(as_of), &calendar(), &LimitSettings::default()) {
        Timing::Pending {
            over_12m,
            over_18m,
            over_36m,
            ..
        } => (over_12m, over_18m, over_36m),
        other => panic!("{other:?}"),
    };
    assert_eq!(over("2023-03-31"), (false, false, false));
    assert_eq!(over("2023-04-01"), (true, false, false));
    assert_eq!(over("2023-10-01"), (true, true, false));
    assert_eq!(over("2025-04-01"), (true, true, true));
}

#[test]
fn a_case_closed_after_the_as_of_date_is_pending_then() {
    let mut f = facts(CivilFirst, None, "2023-03-15");
    f.closed = Some(d("2023-10-01"));
    assert_eq!(status_at(&f, "2023-09-20"), PendingStatus::Overdue);
    assert!(matches!(
        evaluate(&f, d("2023-03-14"), &calendar(), &LimitSettings::default()),
        Timing::NotYetFiled
    ));
}

#[test]
fn closed_within_the_extended_but_not_the_normal_limit() {
    let mut f = facts(CivilFirst, None, "2023-03-15");
    extend(&mut f, "2023-09-01", 6, 0);
    f.closed = Some(d("2023-12-01"));
    match evaluate(&f, d("2023-12-31"), &calendar(), &LimitSettings::default()) {
        Timing::Closed {
            within_limit,
            within_normal_limit,
            net_duration_days,
            ..
        } => {
            assert_eq!(within_limit, Some(true));
            assert_eq!(within_normal_limit, Some(false));
            assert_eq!(net_duration_days, 261);
        }
        other => panic!("{other:?}"),
    }
}

// --- properties ---------------------------------------------------------------------------

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..7000).prop_map(|n| add_days(d("2008-01-01"), n))
}

fn any_facts() -> impl Strategy<Value = CaseFacts> {
    (
        prop::sample::select(LimitRule::ALL.to_vec()),
        prop::option::of(prop::sample::select(Procedure::ALL.to_vec())),
        any::<bool>(),
        any::<bool>(),
        any_date(),
        prop::collection::vec((0i64..400, 0u32..7, 0u32..40), 0..3),
        prop::collection::vec((0i64..400, prop::option::of(0i64..120)), 0..3),
    )
        .prop_map(|(rule, procedure, longer, ruling, filed, exts, deds)| {
            let mut f = CaseFacts::new(Some(rule), filed);
            f.procedure = procedure;
            f.longer_limit = longer;
            if ruling {
                f.appeal_object = AppealObject::Ruling;
            }
            f.extensions = exts
                .into_iter()
                .map(|(at, m, dd)| Extension {
                    approved: add_days(filed, at),
                    span: LimitSpan::new(m, dd),
                })
                .collect();
            f.deductions = deds
                .into_iter()
                .map(|(at, len)| Deduction {
                    start: add_days(filed, at - 30),
                    end: len.map(|l| add_days(filed, at - 30 + l)),
                })
                .collect();
            f
        })
}

fn limit_of(f: &CaseFacts, cutoff: NaiveDate) -> (NaiveDate, NaiveDate) {
    let dl = compute_deadline(f, cutoff, &calendar(), &LimitSettings::default());
    let dl = dl.deadline().unwrap();
    (dl.normal_deadline, dl.deadline)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn adding_an_extension_never_moves_a_deadline_earlier(
        f in any_facts(), at in 0i64..400, m in 0u32..7, days in 0u32..40, cut in 0i64..800,
    ) {
        let cutoff = add_days(f.filed, cut);
        let before = limit_of(&f, cutoff);
        let mut g = f.clone();
        g.extensions.push(Extension { approved: add_days(f.filed, at), span: LimitSpan::new(m, days) });
        let after = limit_of(&g, cutoff);
        prop_assert!(after.1 >= before.1);
        prop_assert_eq!(after.0, before.0, "extensions do not touch the normal deadline");
    }

    #[test]
    fn adding_a_deduction_never_moves_a_deadline_earlier(
        f in any_facts(), at in -30i64..400, len in prop::option::of(0i64..200), cut in 0i64..800,
    ) {
        let cutoff = add_days(f.filed, cut);
        let before = limit_of(&f, cutoff);
        let mut g = f.clone();
        g.deductions.push(Deduction { start: add_days(f.filed, at), end: len.map(|l| add_days(f.filed, at + l)) });
        let after = limit_of(&g, cutoff);
        prop_assert!(after.0 >= before.0);
        prop_assert!(after.1 >= before.1);
    }

    #[test]
    fn the_extended_deadline_is_never_before_the_normal_one_nor_before_filing(f in any_facts(), cut in 0i64..800) {
        let (normal, extended) = limit_of(&f, add_days(f.filed, cut));
        prop_assert!(extended >= normal);
        prop_assert!(normal > f.filed);
    }

    #[test]
    fn a_rolled_deadline_is_a_working_day_no_more_than_ten_days_late(f in any_facts(), cut in 0i64..800) {
        let dl = compute_deadline(&f, add_days(f.filed, cut), &calendar(), &LimitSettings::default());
        let dl = dl.deadline().unwrap();
        prop_assert!(!calendar().is_rest_day(dl.deadline));
        prop_assert!(dl.deadline >= dl.unrolled);
        // The longest run of rest days in the official calendar is 10: the 2020 Spring Festival
        // holiday, extended for the epidemic (2020-01-24..02-02).
        prop_assert!((dl.deadline - dl.unrolled).num_days() <= 10);
    }

    #[test]
    fn deducted_days_never_exceed_the_days_since_filing(f in any_facts(), cut in 0i64..800) {
        let cutoff = add_days(f.filed, cut);
        let dl = compute_deadline(&f, cutoff, &calendar(), &LimitSettings::default());
        prop_assert!(dl.deadline().unwrap().deducted_days <= cut);
    }
}

#[test]
fn an_absurd_extension_stored_before_the_import_checked_it_gives_a_distant_deadline_not_a_panic() {
    // Issue 14: one extension of 2,147,483,647 months (or 100,000,000 days) made every command
    // that read the data exit 101. The arithmetic saturates: the case is simply not due.
    for (months, days) in [(2_147_483_647, 0), (0, 100_000_000), (u32::MAX, u32::MAX)] {
        let mut f = facts(CivilFirst, None, "2023-03-15");
        extend(&mut f, "2023-08-20", months, days);
        extend(&mut f, "2023-08-21", months, days);
        let (normal, extended) = deadlines_at(&f, "2024-01-01");
        assert_eq!(normal, d("2023-09-15"));
        assert!(extended.year() > 9999, "{extended}");
        match evaluate(&f, d("2024-01-01"), &calendar(), &LimitSettings::default()) {
            Timing::Pending { status, .. } => assert_eq!(status, PendingStatus::Ok),
            other => panic!("expected a pending case, got {other:?}"),
        }
    }
}

/// Any date chrono can hold, from its first day to its last.
fn wild_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        any::<i32>().prop_map(tianping_domain::dates::from_day_number),
        (-1000i32..100_000).prop_map(tianping_domain::dates::from_day_number),
    ]
}

fn wild_facts() -> impl Strategy<Value = CaseFacts> {
    (
        prop::sample::select(LimitRule::ALL.to_vec()),
        wild_date(),
        prop::option::of(wild_date()),
        prop::collection::vec((wild_date(), any::<u32>(), any::<u32>()), 0..4),
        prop::collection::vec((wild_date(), prop::option::of(wild_date())), 0..4),
        prop::collection::vec(wild_date(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(rule, filed, closed, exts, deds, changes, flag)| {
            let mut f = CaseFacts::new(Some(rule), filed);
            f.closed = closed;
            f.longer_limit = flag;
            f.foreign_related = !flag;
            f.extensions = exts
                .into_iter()
                .map(|(approved, m, dd)| Extension {
                    approved,
                    span: LimitSpan::new(m, dd),
                })
                .collect();
            f.deductions = deds
                .into_iter()
                .map(|(start, end)| Deduction { start, end })
                .collect();
            f.procedure_changes = changes
                .into_iter()
                .map(|decided| ProcedureChange {
                    decided,
                    to: Ordinary,
                })
                .collect();
            f
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Whatever a database holds (dates at the calendar's ends, extensions of any length), the
    /// engine answers and never panics.
    #[test]
    fn no_stored_facts_make_the_deadline_engine_panic(f in wild_facts(), as_of in wild_date()) {
        let calendar = calendar();
        let settings = LimitSettings::default();
        let _ = evaluate(&f, as_of, &calendar, &settings);
        if let Limit::Some(dl) = compute_deadline(&f, as_of, &calendar, &settings) {
            prop_assert!(dl.deadline >= dl.unrolled);
        }
    }
}
