//! The case types the generator produces, with their intake mixes, closing modes, pace and
//! time-limit behaviour.
//!
//! Shares follow the published figures the seeds quote: civil first instance is about half of all
//! cases, enforcement a quarter to a third (首执终本率 around 35%: 2,672 ÷ 7,673 = 34.82%),
//! criminal first instance 5-8%; about 35% of 民初 end in a judgment and about half in mediation or
//! withdrawal (调撤率); about 70% of appeals are upheld.

use std::sync::LazyLock;

use tianping_domain::{ClosingMode, Procedure, TypeCode};

use crate::geo::CourtKind;

/// A type code the generator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    CivilFirst,
    CivilSecond,
    CivilRetrialReview,
    CivilRetrial,
    CivilSpecial,
    PaymentOrder,
    PreMediation,
    PreMediationConfirm,
    CriminalFirst,
    CriminalSecond,
    CriminalPetition,
    AdminFirst,
    AdminSecond,
    AdminPetition,
    Enforcement,
    EnforcementResumed,
    EnforcementPreservation,
    EnforcementObjection,
    EnforcementReview,
    BankruptcyApplication,
    Bankruptcy,
}

impl Kind {
    pub(crate) const ALL: [Kind; 21] = [
        Kind::CivilFirst,
        Kind::CivilSecond,
        Kind::CivilRetrialReview,
        Kind::CivilRetrial,
        Kind::CivilSpecial,
        Kind::PaymentOrder,
        Kind::PreMediation,
        Kind::PreMediationConfirm,
        Kind::CriminalFirst,
        Kind::CriminalSecond,
        Kind::CriminalPetition,
        Kind::AdminFirst,
        Kind::AdminSecond,
        Kind::AdminPetition,
        Kind::Enforcement,
        Kind::EnforcementResumed,
        Kind::EnforcementPreservation,
        Kind::EnforcementObjection,
        Kind::EnforcementReview,
        Kind::BankruptcyApplication,
        Kind::Bankruptcy,
    ];

    /// The type code (类型代字) as case numbers write it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::CivilFirst => "民初",
            Kind::CivilSecond => "民终",
            Kind::CivilRetrialReview => "民申",
            Kind::CivilRetrial => "民再",
            Kind::CivilSpecial => "民特",
            Kind::PaymentOrder => "民督",
            Kind::PreMediation => "民诉前调",
            Kind::PreMediationConfirm => "诉前调确",
            Kind::CriminalFirst => "刑初",
            Kind::CriminalSecond => "刑终",
            Kind::CriminalPetition => "刑申",
            Kind::AdminFirst => "行初",
            Kind::AdminSecond => "行终",
            Kind::AdminPetition => "行申",
            Kind::Enforcement => "执",
            Kind::EnforcementResumed => "执恢",
            Kind::EnforcementPreservation => "执保",
            Kind::EnforcementObjection => "执异",
            Kind::EnforcementReview => "执复",
            Kind::BankruptcyApplication => "破申",
            Kind::Bankruptcy => "破",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn type_code(self) -> TypeCode {
        static CODES: LazyLock<Vec<TypeCode>> = LazyLock::new(|| {
            Kind::ALL
                .iter()
                .map(|k| {
                    TypeCode::lookup(k.code())
                        .unwrap_or_else(|| panic!("type code {} is in the table", k.code()))
                })
                .collect()
        });
        CODES[self.index()]
    }

    /// First-instance kinds whose judgments can be appealed to the parent court.
    pub(crate) fn appeal_target(self) -> Option<Kind> {
        match self {
            Kind::CivilFirst => Some(Kind::CivilSecond),
            Kind::CriminalFirst => Some(Kind::CriminalSecond),
            Kind::AdminFirst => Some(Kind::AdminSecond),
            _ => None,
        }
    }

    /// The retrial review (再审审查) a party may ask the court above for.
    pub(crate) fn petition_target(self) -> Option<Kind> {
        match self {
            Kind::CivilFirst | Kind::CivilSecond => Some(Kind::CivilRetrialReview),
            Kind::CriminalFirst | Kind::CriminalSecond => Some(Kind::CriminalPetition),
            Kind::AdminFirst | Kind::AdminSecond => Some(Kind::AdminPetition),
            _ => None,
        }
    }
}

/// The intake mix of cases that start at a court (appeals and derived cases come on top).
pub(crate) fn primary_mix(kind: CourtKind) -> &'static [(Kind, f64)] {
    use Kind::*;
    match kind {
        CourtKind::Basic => &[
            (CivilFirst, 0.565),
            (CivilSpecial, 0.025),
            (PaymentOrder, 0.004),
            (PreMediation, 0.03),
            (PreMediationConfirm, 0.01),
            (Enforcement, 0.245),
            (EnforcementResumed, 0.025),
            (EnforcementObjection, 0.012),
            (CriminalFirst, 0.068),
            (AdminFirst, 0.006),
            (BankruptcyApplication, 0.0004),
        ],
        CourtKind::Intermediate => &[
            (CivilFirst, 0.25),
            (CivilSpecial, 0.08),
            (CriminalFirst, 0.07),
            (AdminFirst, 0.12),
            // Upper courts designate most enforcement of their judgments to basic courts.
            (Enforcement, 0.12),
            (EnforcementResumed, 0.02),
            (EnforcementObjection, 0.10),
            (BankruptcyApplication, 0.02),
        ],
        CourtKind::High => &[
            (CivilFirst, 0.45),
            (AdminFirst, 0.15),
            (CriminalFirst, 0.05),
            (Enforcement, 0.10),
            (EnforcementObjection, 0.10),
        ],
        CourtKind::Maritime => &[
            (CivilFirst, 0.60),
            (CivilSpecial, 0.04),
            (PreMediation, 0.04),
            (Enforcement, 0.24),
            (EnforcementResumed, 0.02),
            (EnforcementObjection, 0.03),
        ],
        // Shandong's railway courts hear concentrated administrative cases besides railway
        // crimes and transport disputes.
        CourtKind::RailwayBasic => &[
            (AdminFirst, 0.35),
            (CriminalFirst, 0.25),
            (CivilFirst, 0.22),
            (Enforcement, 0.15),
            (EnforcementObjection, 0.03),
        ],
        CourtKind::RailwayIntermediate => &[
            (AdminFirst, 0.35),
            (CriminalFirst, 0.10),
            (CivilFirst, 0.20),
            (Enforcement, 0.25),
            (EnforcementObjection, 0.10),
        ],
    }
}

/// How fast a case closes within its limit: a triangular fraction (low, peak, high) of the time
/// the limit allows. Withdrawals come early, judgments late, 终本 near the six-month mark (the
/// property search must run its course first).
pub(crate) type Pace = (f64, f64, f64);

/// A closing mode, its weight, and its pace.
pub(crate) type ModeRow = (ClosingMode, f64, Pace);

pub(crate) fn closing_modes(kind: Kind, ruling_appeal: bool) -> &'static [ModeRow] {
    use ClosingMode::*;
    match kind {
        Kind::CivilFirst => &[
            (Judgment, 35.0, (0.12, 0.5, 1.0)),
            (Mediation, 25.0, (0.06, 0.3, 0.9)),
            (Withdrawal, 28.5, (0.03, 0.18, 0.7)),
            (DismissalOfSuit, 4.5, (0.1, 0.45, 0.95)),
            (Transfer, 2.5, (0.03, 0.15, 0.5)),
            (Termination, 1.0, (0.1, 0.5, 1.0)),
            (Other, 3.0, (0.05, 0.4, 1.0)),
        ],
        Kind::CivilSecond if ruling_appeal => &[
            (Upheld, 78.0, (0.2, 0.6, 1.0)),
            (Other, 14.0, (0.2, 0.6, 1.0)),
            (Withdrawal, 8.0, (0.05, 0.3, 0.9)),
        ],
        Kind::CivilSecond => &[
            (Upheld, 70.0, (0.2, 0.6, 1.0)),
            (Amended, 8.0, (0.3, 0.75, 1.0)),
            (Remanded, 3.0, (0.2, 0.6, 1.0)),
            (Withdrawal, 12.0, (0.05, 0.3, 0.9)),
            (Mediation, 6.0, (0.1, 0.5, 1.0)),
            (Other, 1.0, (0.1, 0.5, 1.0)),
        ],
        // 其他 here is 裁定再审 (retrial ordered).
        Kind::CivilRetrialReview => &[
            (ApplicationRejected, 82.0, (0.2, 0.7, 1.0)),
            (Withdrawal, 8.0, (0.05, 0.3, 0.8)),
            (Other, 10.0, (0.3, 0.8, 1.0)),
        ],
        Kind::CivilRetrial => &[
            (Amended, 45.0, (0.2, 0.65, 1.0)),
            (Upheld, 35.0, (0.2, 0.65, 1.0)),
            (Remanded, 12.0, (0.2, 0.6, 1.0)),
            (Mediation, 8.0, (0.1, 0.5, 1.0)),
        ],
        Kind::CivilSpecial => &[
            (Granted, 84.0, (0.05, 0.3, 0.9)),
            (ApplicationRejected, 12.0, (0.1, 0.5, 1.0)),
            (Withdrawal, 4.0, (0.05, 0.3, 0.9)),
        ],
        Kind::PaymentOrder => &[
            (Granted, 70.0, (0.0, 0.0, 0.0)),
            (Termination, 20.0, (0.0, 0.0, 0.0)),
            (ApplicationRejected, 10.0, (0.0, 0.0, 0.0)),
        ],
        // 终结: mediation failed, the dispute goes on to litigation.
        Kind::PreMediation => &[
            (Mediation, 58.0, (0.1, 0.55, 1.0)),
            (Withdrawal, 10.0, (0.05, 0.3, 0.9)),
            (Termination, 32.0, (0.3, 0.85, 1.0)),
        ],
        Kind::PreMediationConfirm => &[
            (Granted, 92.0, (0.0, 0.0, 0.0)),
            (ApplicationRejected, 8.0, (0.0, 0.0, 0.0)),
        ],
        Kind::CriminalFirst => &[
            (Judgment, 93.0, (0.25, 0.7, 1.0)),
            (Withdrawal, 2.5, (0.1, 0.5, 1.0)),
            (Termination, 1.0, (0.1, 0.5, 1.0)),
            (Transfer, 0.5, (0.05, 0.2, 0.6)),
            (Other, 3.0, (0.1, 0.5, 1.0)),
        ],
        Kind::CriminalSecond => &[
            (Upheld, 76.0, (0.2, 0.65, 1.0)),
            (Amended, 11.0, (0.3, 0.75, 1.0)),
            (Remanded, 4.0, (0.2, 0.6, 1.0)),
            (Withdrawal, 9.0, (0.05, 0.3, 0.9)),
        ],
        Kind::CriminalPetition | Kind::AdminPetition => &[
            (ApplicationRejected, 88.0, (0.0, 0.0, 0.0)),
            (Other, 12.0, (0.0, 0.0, 0.0)),
        ],
        Kind::AdminFirst => &[
            (Judgment, 45.0, (0.2, 0.65, 1.0)),
            (DismissalOfSuit, 25.0, (0.1, 0.45, 0.95)),
            (Withdrawal, 24.0, (0.05, 0.3, 0.85)),
            (Mediation, 3.0, (0.1, 0.5, 1.0)),
            (Other, 3.0, (0.1, 0.5, 1.0)),
        ],
        Kind::AdminSecond => &[
            (Upheld, 80.0, (0.2, 0.6, 1.0)),
            (Amended, 6.0, (0.3, 0.75, 1.0)),
            (Remanded, 3.0, (0.2, 0.6, 1.0)),
            (Withdrawal, 11.0, (0.05, 0.3, 0.9)),
        ],
        Kind::Enforcement => &[
            (EnforcementCompleted, 40.0, (0.03, 0.18, 0.85)),
            (TerminationOfThisRound, 35.0, (0.25, 0.7, 1.0)),
            (EnforcementSettlement, 10.0, (0.08, 0.4, 1.0)),
            (EnforcementTerminated, 10.0, (0.08, 0.4, 1.0)),
            (NonEnforcement, 1.0, (0.05, 0.3, 0.9)),
            (Cancelled, 2.0, (0.02, 0.15, 0.6)),
            (ApplicationRejected, 2.0, (0.05, 0.3, 0.9)),
        ],
        Kind::EnforcementResumed => &[
            (EnforcementCompleted, 30.0, (0.03, 0.18, 0.85)),
            (TerminationOfThisRound, 45.0, (0.25, 0.7, 1.0)),
            (EnforcementSettlement, 10.0, (0.08, 0.4, 1.0)),
            (EnforcementTerminated, 15.0, (0.08, 0.4, 1.0)),
        ],
        Kind::EnforcementPreservation => &[
            (EnforcementCompleted, 94.0, (0.0, 0.0, 0.0)),
            (Other, 6.0, (0.0, 0.0, 0.0)),
        ],
        // 准予: the objection or review succeeds.
        Kind::EnforcementObjection => &[
            (ApplicationRejected, 62.0, (0.0, 0.0, 0.0)),
            (Granted, 16.0, (0.0, 0.0, 0.0)),
            (Withdrawal, 16.0, (0.0, 0.0, 0.0)),
            (Other, 6.0, (0.0, 0.0, 0.0)),
        ],
        Kind::EnforcementReview => &[
            (ApplicationRejected, 72.0, (0.0, 0.0, 0.0)),
            (Granted, 18.0, (0.0, 0.0, 0.0)),
            (Other, 10.0, (0.0, 0.0, 0.0)),
        ],
        Kind::BankruptcyApplication => &[
            (Granted, 72.0, (0.0, 0.0, 0.0)),
            (ApplicationRejected, 18.0, (0.0, 0.0, 0.0)),
            (Withdrawal, 10.0, (0.0, 0.0, 0.0)),
        ],
        // 终结: 破产程序终结; 其他: reorganisation plan confirmed.
        Kind::Bankruptcy => &[
            (Termination, 85.0, (0.0, 0.0, 0.0)),
            (Other, 15.0, (0.0, 0.0, 0.0)),
        ],
    }
}

/// Median and spread (log-normal, days) of cases without a time limit.
pub(crate) fn unlimited_duration(kind: Kind) -> (f64, f64) {
    match kind {
        Kind::PaymentOrder => (14.0, 0.5),
        Kind::PreMediationConfirm => (7.0, 0.5),
        Kind::CriminalPetition => (80.0, 0.6),
        Kind::AdminPetition => (90.0, 0.6),
        Kind::EnforcementPreservation => (6.0, 0.7),
        Kind::EnforcementObjection => (30.0, 0.5),
        Kind::EnforcementReview => (35.0, 0.5),
        Kind::BankruptcyApplication => (45.0, 0.6),
        Kind::Bankruptcy => (420.0, 0.7),
        // Foreign-related civil cases (CPL art. 287: no limit); service abroad takes months.
        _ => (170.0, 0.55),
    }
}

/// A deduction reason (扣除审限事由) with its weight and its length range in days.
pub(crate) type ReasonRow = (&'static str, f64, i64, i64);

/// 公告: service by public notice, 30 days (CPL art. 95) plus handling; 鉴定: expert appraisal;
/// 管辖异议: jurisdiction objection and its appeal; 评估: valuation before auction; 中止: stay.
const CIVIL_REASONS: &[ReasonRow] = &[
    ("公告", 35.0, 30, 45),
    ("鉴定", 30.0, 25, 150),
    ("管辖异议", 12.0, 15, 45),
    ("评估", 6.0, 20, 90),
    ("审计", 4.0, 30, 120),
    ("中止", 8.0, 30, 240),
    ("和解", 3.0, 10, 45),
    ("其他", 2.0, 10, 60),
];
/// A defendant who cannot be found is not tried under the simple procedure (民诉法解释 art. 257),
/// so simple cases carry no 公告 deduction.
const SIMPLE_REASONS: &[ReasonRow] = &[
    ("鉴定", 60.0, 20, 90),
    ("管辖异议", 25.0, 15, 40),
    ("评估", 10.0, 20, 60),
    ("其他", 5.0, 10, 40),
];
const APPEAL_REASONS: &[ReasonRow] = &[
    ("鉴定", 50.0, 25, 120),
    ("中止", 30.0, 30, 180),
    ("其他", 20.0, 10, 60),
];
const CRIMINAL_REASONS: &[ReasonRow] = &[
    ("鉴定", 60.0, 20, 90),
    ("中止", 25.0, 30, 180),
    ("其他", 15.0, 10, 60),
];
const ADMIN_REASONS: &[ReasonRow] = &[
    ("鉴定", 35.0, 25, 120),
    ("中止", 30.0, 30, 200),
    ("公告", 20.0, 30, 45),
    ("其他", 15.0, 10, 60),
];
/// Enforcement: valuation and auction, settlement periods, notices, stays.
const ENFORCEMENT_REASONS: &[ReasonRow] = &[
    ("评估", 40.0, 20, 90),
    ("和解", 30.0, 15, 90),
    ("公告", 15.0, 30, 45),
    ("中止", 10.0, 30, 240),
    ("其他", 5.0, 10, 60),
];
/// Declaring a person missing needs a notice of three months (CPL art. 192).
const SPECIAL_REASONS: &[ReasonRow] = &[("公告", 80.0, 90, 100), ("鉴定", 20.0, 20, 60)];
const SHORT_REASONS: &[ReasonRow] = &[("鉴定", 70.0, 15, 60), ("其他", 30.0, 10, 30)];

/// How a type behaves against its time limit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LimitBehaviour {
    /// Share of cases with a deduction.
    pub p_deduction: f64,
    pub reasons: &'static [ReasonRow],
    /// Share of cases that run long and get an extension approved.
    pub p_extension: f64,
    /// What one approval grants: months and days.
    pub extension: (u32, u32),
    /// Share of cases closed after their deadline.
    pub p_overdue: f64,
    /// Share of cases that stay open for more than a year (stays, untraceable parties).
    pub p_stuck: f64,
    /// Share of simple/small-claims/fast-track cases changed to the ordinary procedure.
    pub p_convert: f64,
}

const fn behaviour(
    p_deduction: f64,
    reasons: &'static [ReasonRow],
    p_extension: f64,
    extension: (u32, u32),
    p_overdue: f64,
    p_stuck: f64,
    p_convert: f64,
) -> LimitBehaviour {
    LimitBehaviour {
        p_deduction,
        reasons,
        p_extension,
        extension,
        p_overdue,
        p_stuck,
        p_convert,
    }
}

/// Extensions follow who may approve what: civil ordinary +6 months by the president (CPL 152),
/// simple and small claims +1 month (民诉法解释 258, CPL 168), criminal ordinary +3 months by
/// the court above (CrimPL 208), criminal appeals +2 months (CrimPL 243), enforcement +3 months
/// (2000 SPC rules art. 5); limits without a statutory figure use 3 months or 30 days.
pub(crate) fn limit_behaviour(kind: Kind, procedure: Option<Procedure>) -> LimitBehaviour {
    use Procedure::*;
    match (kind, procedure) {
        (Kind::CivilFirst, Some(Simple)) => {
            behaviour(0.05, SIMPLE_REASONS, 0.03, (1, 0), 0.012, 0.001, 0.06)
        }
        (Kind::CivilFirst, Some(SmallClaims)) => {
            behaviour(0.02, SHORT_REASONS, 0.02, (1, 0), 0.01, 0.0, 0.03)
        }
        (Kind::CivilFirst, _) => behaviour(0.16, CIVIL_REASONS, 0.09, (6, 0), 0.015, 0.006, 0.0),
        (Kind::CivilSecond, _) => behaviour(0.05, APPEAL_REASONS, 0.06, (3, 0), 0.015, 0.002, 0.0),
        (Kind::CivilRetrialReview, _) => {
            behaviour(0.02, APPEAL_REASONS, 0.05, (3, 0), 0.02, 0.002, 0.0)
        }
        (Kind::CivilRetrial, _) => behaviour(0.1, APPEAL_REASONS, 0.12, (3, 0), 0.025, 0.005, 0.0),
        (Kind::CivilSpecial, _) => behaviour(0.03, SPECIAL_REASONS, 0.02, (0, 30), 0.01, 0.0, 0.0),
        (Kind::PreMediation, _) => behaviour(0.02, SHORT_REASONS, 0.06, (0, 30), 0.04, 0.0, 0.0),
        (Kind::CriminalFirst, Some(Simple | FastTrack)) => {
            behaviour(0.0, CRIMINAL_REASONS, 0.0, (0, 0), 0.01, 0.0, 0.04)
        }
        (Kind::CriminalFirst, _) => {
            behaviour(0.03, CRIMINAL_REASONS, 0.05, (3, 0), 0.01, 0.002, 0.0)
        }
        (Kind::CriminalSecond, _) => {
            behaviour(0.02, CRIMINAL_REASONS, 0.06, (2, 0), 0.01, 0.001, 0.0)
        }
        (Kind::AdminFirst, Some(Simple)) => {
            behaviour(0.0, ADMIN_REASONS, 0.0, (0, 0), 0.01, 0.0, 0.05)
        }
        (Kind::AdminFirst, _) => behaviour(0.06, ADMIN_REASONS, 0.08, (3, 0), 0.02, 0.003, 0.0),
        (Kind::AdminSecond, _) => behaviour(0.03, ADMIN_REASONS, 0.05, (3, 0), 0.015, 0.001, 0.0),
        (Kind::Enforcement | Kind::EnforcementResumed, _) => {
            behaviour(0.12, ENFORCEMENT_REASONS, 0.08, (3, 0), 0.02, 0.006, 0.0)
        }
        _ => behaviour(0.0, SHORT_REASONS, 0.0, (0, 0), 0.0, 0.0, 0.0),
    }
}
