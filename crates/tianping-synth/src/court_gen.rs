//! Generating the cases of one court.
//!
//! Courts are generated deepest first (basic courts, then intermediate and special courts, then
//! the high court). A court's cases are its own intake (drawn from its type mix and the seasonal
//! calendar) plus the requests that its lower courts sent up: appeals (上诉), retrial petitions
//! (申请再审) and enforcement reviews (执复). Within a court the work runs in phases, because
//! some cases derive from the outcome of others:
//! 1. cases that depend on nothing local: first instance, appeals, retrial reviews, mediation…
//!    and the decisions to appeal or petition, which become events and requests to the parent;
//! 2. preservation enforcement (执保) beside civil suits, and first enforcement (执), each linked
//!    to an effective civil judgment, mediation or confirmation of this court;
//! 3. resumed enforcement (执恢) after a 终本 closing, and objections (执异) against enforcement;
//! 4. bankruptcy cases opened on granted applications, retrials ordered by retrial reviews.
//!
//! Then the cases are sorted by filing date and numbered per type code and year, and records are
//! built. Everything draws from the court's own random stream.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use tianping_domain::dates::add_days;
use tianping_domain::time_limit::{AppealObject, LimitSettings};
use tianping_domain::{
    CaseRecord, ClosingMode, CourtRecord, EventKind, EventRecord, HolidayCalendar, Money, Procedure,
};

use crate::SynthConfig;
use crate::geo::{CourtKind, CourtSpec, PROVINCE, build_courts};
use crate::kinds::{Kind, closing_modes, primary_mix};
use crate::life::{Clock, EventDraft, Shape, plan};
use crate::random::{SynthRng, between, chance, lognormal, normal, pick, stream};
use crate::season::{Season, WorkDays};
use crate::vocab::{self, Role, Staff};

/// Derived cases (appeals, retrial reviews, 执保, 破, 民再…) per case of primary intake; used to
/// size the primary intake so that the total meets the target.
const DERIVED_PER_PRIMARY: f64 = 0.062;

/// Cases per year by default: a province of 150 courts receiving ~340,000 cases a year is about a
/// sixth of real Shandong (about 2 million a year), enough for realistic per-court volumes of a
/// few thousand while generating in seconds.
const PROVINCE_PER_YEAR: f64 = 337_500.0;
const SMALL_PER_YEAR: f64 = 12_500.0;

/// Year-on-year change in intake: 2023 rose (45.57 million cases nationally), later years
/// eased as pre-litigation mediation diverted disputes.
fn year_factor(year: i32) -> f64 {
    match year {
        2023 => 1.08,
        2024 => 1.05,
        2025 => 1.02,
        _ => 1.0,
    }
}

/// Everything shared by the courts' generators.
#[derive(Debug)]
pub(crate) struct World {
    pub seed: u64,
    pub first_year: i32,
    pub last_year: i32,
    pub end: NaiveDate,
    pub calendar: HolidayCalendar,
    pub work: WorkDays,
    pub season: Season,
    pub courts: Vec<CourtSpec>,
    pub holdback: Vec<bool>,
    /// Cases per unit of court weight in a year of factor 1.
    unit: f64,
}

impl World {
    pub(crate) fn new(config: &SynthConfig) -> World {
        let calendar = HolidayCalendar::builtin();
        let first_year = config.first_year;
        let last_year = config.last_year.max(first_year - 1);
        let start = NaiveDate::from_ymd_opt(first_year - 2, 1, 1).expect("year in range");
        let horizon = add_days(config.end_date.max(start), 365 * 8);
        let work = WorkDays::new(&calendar, start, horizon);
        let season = Season::new(&calendar, &work, first_year, last_year, config.end_date);
        let courts = build_courts(config.scale, config.seed);
        let holdback = choose_holdback(&courts, config.scale, config.seed);

        let coverage: f64 = (first_year..=last_year)
            .map(|y| year_factor(y) * season.coverage(y))
            .sum();
        let target = config.target_cases.map_or_else(
            || {
                let per_year = match config.scale {
                    crate::Scale::Small => SMALL_PER_YEAR,
                    crate::Scale::Province => PROVINCE_PER_YEAR,
                };
                per_year
                    * (first_year..=last_year)
                        .map(|y| season.coverage(y))
                        .sum::<f64>()
            },
            |n| n as f64,
        );
        let weights: f64 = courts.iter().map(|c| c.weight).sum();
        let primary = target / (1.0 + DERIVED_PER_PRIMARY);
        let unit = if coverage > 0.0 && weights > 0.0 {
            primary / (coverage * weights)
        } else {
            0.0
        };
        World {
            seed: config.seed,
            first_year,
            last_year,
            end: config.end_date,
            calendar,
            work,
            season,
            courts,
            holdback,
            unit,
        }
    }

    /// The order courts are generated in: deepest first, so every court's requests have
    /// arrived before its turn.
    pub(crate) fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.courts.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.courts[i].depth), i));
        order
    }

    pub(crate) fn court_record(&self, index: usize) -> CourtRecord {
        let spec = &self.courts[index];
        CourtRecord {
            code: spec.code.clone(),
            name: spec.name.clone(),
            level: spec.level,
            parent_code: spec.parent.map(|p| self.courts[p].code.clone()),
        }
    }

    fn clock(&self) -> Clock<'_> {
        Clock {
            calendar: &self.calendar,
            work: &self.work,
            end: self.end,
            settings: LimitSettings::default(),
        }
    }
}

/// The courts that hold back December registrations (年底不立案): large basic courts, chosen
/// from the seed; three at province scale, one at small scale.
fn choose_holdback(courts: &[CourtSpec], scale: crate::Scale, seed: u64) -> Vec<bool> {
    let mut candidates: Vec<usize> = (0..courts.len())
        .filter(|&i| courts[i].kind == CourtKind::Basic)
        .collect();
    // The larger half, so that the signal stands out of the noise.
    candidates.sort_by(|&a, &b| {
        courts[b]
            .weight
            .total_cmp(&courts[a].weight)
            .then(a.cmp(&b))
    });
    candidates.truncate(candidates.len().div_ceil(2));
    candidates.sort_unstable();
    let wanted = match scale {
        crate::Scale::Small => 1,
        crate::Scale::Province => 3,
    };
    let mut rng = stream(seed, 1, 0);
    let mut flags = vec![false; courts.len()];
    for _ in 0..wanted.min(candidates.len()) {
        let pick = candidates.remove(rng.random_range(0..candidates.len()));
        flags[pick] = true;
    }
    flags
}

/// A case sent to the parent court: an appeal, a retrial petition or an enforcement review.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    kind: Kind,
    /// The day the party acted: appeal lodged, petition filed, review applied for.
    date: NaiveDate,
    origin: String,
    cause: &'static str,
    family: bool,
    claim: Option<Money>,
    foreign_related: bool,
    appeal_object: AppealObject,
}

#[derive(Debug, Clone)]
enum Origin {
    None,
    Local(usize),
    External(String),
}

/// A case before it has a number.
#[derive(Debug, Clone)]
struct Draft {
    kind: Kind,
    received: NaiveDate,
    filed: NaiveDate,
    procedure: Option<Procedure>,
    cause: &'static str,
    family: bool,
    division: usize,
    judge: u16,
    closed: Option<NaiveDate>,
    mode: Option<ClosingMode>,
    claim: Option<Money>,
    recovered: Option<Money>,
    origin: Origin,
    foreign_related: bool,
    longer_limit: bool,
    appeal_object: AppealObject,
    /// An appeal was lodged: the judgment did not take effect here.
    appealed: bool,
    events: Vec<EventDraft>,
    seq: u32,
}

impl Draft {
    fn new(kind: Kind, received: NaiveDate, filed: NaiveDate) -> Draft {
        Draft {
            kind,
            received,
            filed,
            procedure: None,
            cause: "",
            family: false,
            division: 0,
            judge: 0,
            closed: None,
            mode: None,
            claim: None,
            recovered: None,
            origin: Origin::None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
            appealed: false,
            events: Vec::new(),
            seq: 0,
        }
    }
}

/// A request waiting for this court's case numbers.
#[derive(Debug, Clone, Copy)]
struct Outgoing {
    draft: usize,
    kind: Kind,
    date: NaiveDate,
    appeal_object: AppealObject,
}

/// The cases of one court, with their events, and the requests for its parent.
pub(crate) struct CourtOutput {
    pub cases: Vec<(CaseRecord, Vec<EventRecord>)>,
    pub requests: Vec<Request>,
}

pub(crate) fn generate_court(world: &World, court: usize, inbox: Vec<Request>) -> CourtOutput {
    let mut generator = CourtGenerator::new(world, court);
    generator.intake();
    generator.receive(inbox);
    // Phase 1.
    for i in 0..generator.drafts.len() {
        if !matches!(
            generator.drafts[i].kind,
            Kind::Enforcement | Kind::EnforcementResumed | Kind::EnforcementObjection
        ) {
            generator.fill(i);
            generator.decide_onward(i);
        }
    }
    // Phase 2.
    generator.derive_preservation();
    generator.link_enforcement();
    // Phase 3.
    generator.link_resumed();
    generator.link_objections();
    // Phase 4.
    generator.derive_follow_ups();
    generator.number();
    generator.build()
}

struct CourtGenerator<'w> {
    world: &'w World,
    spec: &'w CourtSpec,
    holdback: bool,
    rng: SynthRng,
    staff: Staff,
    clock: Clock<'w>,
    drafts: Vec<Draft>,
    outgoing: Vec<Outgoing>,
}

impl<'w> CourtGenerator<'w> {
    fn new(world: &'w World, court: usize) -> CourtGenerator<'w> {
        let spec = &world.courts[court];
        let mut rng = stream(world.seed, 2, court as u64);
        // Upper courts receive about as many appeals as they have intake of their own.
        let upper = matches!(
            spec.kind,
            CourtKind::Intermediate | CourtKind::High | CourtKind::RailwayIntermediate
        );
        let yearly = world.unit * spec.weight * if upper { 2.5 } else { 1.05 };
        let staff = Staff::new(spec.kind, yearly, &mut rng);
        CourtGenerator {
            world,
            spec,
            holdback: world.holdback[court],
            rng,
            staff,
            clock: world.clock(),
            drafts: Vec::new(),
            outgoing: Vec::new(),
        }
    }

    fn end(&self) -> NaiveDate {
        self.world.end
    }

    /// The court's own intake, year by year.
    fn intake(&mut self) {
        let mix = primary_mix(self.spec.kind);
        for year in self.world.first_year..=self.world.last_year {
            let expected = self.world.unit * self.spec.weight * year_factor(year);
            let wobble = 1.0 + 0.03 * normal(&mut self.rng);
            let count = (expected * wobble).round().max(0.0) as usize;
            for _ in 0..count {
                let kind = pick(&mut self.rng, mix, |(_, w)| *w).0;
                let received = self.world.season.sample(year, &mut self.rng);
                let filed = self.registration(kind, received);
                if filed <= self.end() {
                    self.drafts.push(Draft::new(kind, received, filed));
                }
            }
        }
    }

    /// The registration date of materials received on `received`: the same day for most cases
    /// (当场立案), else within 7 days (2015 SPC registration rules). A hold-back court registers
    /// most materials received from 5 December on only in January.
    fn registration(&mut self, kind: Kind, received: NaiveDate) -> NaiveDate {
        let held = !matches!(kind, Kind::CriminalFirst);
        if self.holdback
            && held
            && received.month() == 12
            && received.day() >= 5
            && chance(&mut self.rng, 0.9)
        {
            let january = NaiveDate::from_ymd_opt(received.year() + 1, 1, 1).unwrap();
            let days = self.world.work.working_days_from(january, 10);
            let index = (self.rng.random::<f64>().powf(1.6) * days.len() as f64) as usize;
            return days[index.min(days.len() - 1)];
        }
        // The SPC reports over 95% of cases registered on the spot since the 2015 reform.
        let same_day = if kind == Kind::CriminalFirst {
            0.97
        } else {
            0.95
        };
        self.lagged(received, same_day)
    }

    /// `received`, or with probability `1 - same_day` a working day 1-7 calendar days later.
    fn lagged(&mut self, received: NaiveDate, same_day: f64) -> NaiveDate {
        if chance(&mut self.rng, same_day) {
            return received;
        }
        const LAG: [(i64, f64); 7] = [
            (1, 30.0),
            (2, 22.0),
            (3, 16.0),
            (4, 12.0),
            (5, 9.0),
            (6, 6.0),
            (7, 5.0),
        ];
        let lag = pick(&mut self.rng, &LAG, |(_, w)| *w).0;
        self.world
            .work
            .prev_working(add_days(received, lag))
            .max(received)
    }

    /// Cases sent up by the courts below.
    fn receive(&mut self, inbox: Vec<Request>) {
        for request in inbox {
            let work = &self.world.work;
            let (received, filed) = match request.kind {
                // The file travels from the first-instance court (民诉法解释 art. 318 ff.).
                Kind::CivilSecond | Kind::CriminalSecond | Kind::AdminSecond => {
                    let arrived = add_days(request.date, between(&mut self.rng, 10, 45));
                    let received = work.next_working(arrived);
                    (received, self.lagged(received, 0.6))
                }
                Kind::EnforcementReview => {
                    let arrived = add_days(request.date, between(&mut self.rng, 1, 5));
                    let received = work.next_working(arrived);
                    (received, self.lagged(received, 0.7))
                }
                // Petitions are lodged with the court above directly.
                _ => {
                    let received = work.next_working(request.date);
                    (received, self.lagged(received, 0.5))
                }
            };
            if filed > self.end() {
                continue;
            }
            let mut draft = Draft::new(request.kind, received, filed);
            draft.cause = request.cause;
            draft.family = request.family;
            draft.claim = request.claim;
            draft.foreign_related = request.foreign_related;
            draft.appeal_object = request.appeal_object;
            draft.origin = Origin::External(request.origin);
            self.drafts.push(draft);
        }
    }

    /// Attributes, division, judge, closing mode and life of draft `i`.
    fn fill(&mut self, i: usize) {
        self.attributes(i);
        self.assign(i);
        let draft = &self.drafts[i];
        let ruling = draft.appeal_object == AppealObject::Ruling;
        let &(mode, _, pace) = pick(
            &mut self.rng,
            closing_modes(draft.kind, ruling),
            |(_, w, _)| *w,
        );
        let shape = Shape {
            kind: draft.kind,
            rule: draft.kind.type_code().time_limit_rule(),
            procedure: draft.procedure,
            filed: draft.filed,
            foreign_related: draft.foreign_related,
            longer_limit: draft.longer_limit,
            appeal_object: draft.appeal_object,
            pace,
        };
        let (kind, claim) = (draft.kind, draft.claim.unwrap_or_default());
        let life = plan(&self.clock, &shape, &mut self.rng);
        let recovered = match (kind, life.closed) {
            (Kind::Enforcement | Kind::EnforcementResumed, Some(_)) => {
                Some(self.recovered(mode, claim))
            }
            _ => None,
        };
        let draft = &mut self.drafts[i];
        draft.closed = life.closed;
        draft.mode = life.closed.map(|_| mode);
        draft.events = life.events;
        draft.recovered = recovered;
    }

    /// Procedure, cause, claim and flags by type, for what the intake or the link left open.
    fn attributes(&mut self, i: usize) {
        let court = self.spec.kind;
        let kind = self.drafts[i].kind;
        let rng = &mut self.rng;
        let draft = &mut self.drafts[i];
        match kind {
            Kind::CivilFirst | Kind::PreMediation => {
                if draft.cause.is_empty() {
                    let cause = *pick(rng, vocab::civil_causes(court), |c| c.weight);
                    draft.cause = cause.name;
                    draft.family = cause.family;
                    if cause.median > 0.0 && chance(rng, cause.p_claim) {
                        draft.claim = Some(amount(rng, cause.median, 1.2));
                    }
                }
                if kind == Kind::CivilFirst {
                    let p_foreign = match court {
                        CourtKind::Maritime => 0.15,
                        CourtKind::Basic | CourtKind::RailwayBasic => 0.004,
                        _ => 0.05,
                    };
                    draft.foreign_related = chance(rng, p_foreign);
                    draft.procedure = Some(civil_procedure(rng, court, draft));
                }
            }
            Kind::CivilRetrial => draft.procedure = Some(Procedure::SecondInstance),
            Kind::CivilSpecial => {
                let list = if court.is_basic() {
                    vocab::SPECIAL_BASIC
                } else {
                    vocab::SPECIAL_UPPER
                };
                draft.cause = vocab::pick_name(rng, list);
                draft.procedure = Some(Procedure::Special);
                if matches!(
                    draft.cause,
                    vocab::CONFIRM_MEDIATION | vocab::REALISE_SECURITY
                ) {
                    draft.claim = Some(amount(rng, 40_000.0, 1.0));
                }
            }
            Kind::PaymentOrder => {
                draft.cause = vocab::PAYMENT_ORDER;
                draft.claim = Some(amount(rng, 30_000.0, 1.0));
            }
            Kind::PreMediationConfirm => {
                draft.cause = vocab::CONFIRM_MEDIATION;
                draft.claim = Some(amount(rng, 30_000.0, 1.1));
            }
            Kind::CriminalFirst => {
                draft.cause = vocab::pick_name(rng, vocab::criminal_causes(court));
                let procedure = if court.is_basic() {
                    let r = rng.random::<f64>();
                    if r < 0.3 {
                        Procedure::FastTrack
                    } else if r < 0.7 {
                        Procedure::Simple
                    } else {
                        Procedure::Ordinary
                    }
                } else {
                    Procedure::Ordinary
                };
                // CrimPL arts. 220 and 225: the longer limits where the sentence may exceed
                // three years (simple) or one year (fast track).
                draft.longer_limit = match procedure {
                    Procedure::Simple => chance(rng, 0.25),
                    Procedure::FastTrack => chance(rng, 0.15),
                    _ => false,
                };
                draft.procedure = Some(procedure);
            }
            Kind::AdminFirst => {
                draft.cause = vocab::pick_name(rng, vocab::ADMINISTRATIVE);
                let simple = court.is_basic() && chance(rng, 0.15);
                draft.procedure = Some(if simple {
                    Procedure::Simple
                } else {
                    Procedure::Ordinary
                });
            }
            Kind::BankruptcyApplication => {
                draft.cause = vocab::pick_name(rng, vocab::BANKRUPTCY_APPLICATIONS);
            }
            Kind::EnforcementObjection if draft.cause.is_empty() => {
                draft.cause = vocab::pick_name(rng, vocab::OBJECTIONS);
            }
            Kind::EnforcementReview => draft.cause = vocab::ENFORCEMENT_REVIEW,
            _ => {}
        }
    }

    /// The division by type and cause, and one of its judges.
    fn assign(&mut self, i: usize) {
        use Role::*;
        let draft = &self.drafts[i];
        let civil = |family: bool| if family { CivilFamily } else { CivilCommercial };
        let staff = &self.staff;
        let tribunals: Vec<usize> = staff.all_with(Tribunal).collect();
        let maritime_code = format!("{PROVINCE}72");
        let from_maritime =
            matches!(&draft.origin, Origin::External(o) if o.contains(&maritime_code));
        let division = match draft.kind {
            Kind::CivilFirst | Kind::CivilSecond => match self.spec.kind {
                CourtKind::Maritime if !tribunals.is_empty() && chance(&mut self.rng, 0.25) => {
                    tribunals[self.rng.random_range(0..tribunals.len())]
                }
                CourtKind::Maritime if draft.family => staff.division(&[MaritimeTort]),
                CourtKind::Maritime => staff.division(&[MaritimeCommercial]),
                CourtKind::Basic if !tribunals.is_empty() && chance(&mut self.rng, 0.3) => {
                    tribunals[self.rng.random_range(0..tribunals.len())]
                }
                // 民四庭 of the high court hears foreign-related and maritime appeals.
                _ if draft.foreign_related || from_maritime => {
                    staff.division(&[CivilForeign, civil(draft.family), Civil])
                }
                _ => staff.division(&[civil(draft.family), Civil]),
            },
            Kind::CivilRetrialReview | Kind::CivilRetrial => {
                staff.division(&[Supervision, civil(draft.family), Civil])
            }
            Kind::CriminalPetition => staff.division(&[Supervision, Criminal]),
            Kind::AdminPetition => staff.division(&[Supervision, Administrative]),
            Kind::CivilSpecial | Kind::PaymentOrder | Kind::PreMediationConfirm => {
                staff.division(&[Filing])
            }
            Kind::PreMediation => staff.division(&[Mediation, Filing]),
            Kind::CriminalFirst | Kind::CriminalSecond => {
                let criminal: Vec<usize> = staff.all_with(Criminal).collect();
                if criminal.is_empty() {
                    0
                } else {
                    criminal[self.rng.random_range(0..criminal.len())]
                }
            }
            Kind::AdminFirst | Kind::AdminSecond => staff.division(&[Administrative]),
            Kind::Enforcement | Kind::EnforcementResumed | Kind::EnforcementPreservation => {
                staff.division(&[Enforcement])
            }
            Kind::EnforcementObjection | Kind::EnforcementReview => {
                staff.division(&[EnforcementAdjudication, Enforcement])
            }
            Kind::BankruptcyApplication | Kind::Bankruptcy => {
                staff.division(&[Bankruptcy, CivilCommercial, MaritimeCommercial, Civil])
            }
        };
        let judges = &staff.divisions[division].judges;
        let judge = judges[self.rng.random_range(0..judges.len())];
        let draft = &mut self.drafts[i];
        draft.division = division;
        draft.judge = judge;
    }

    /// 执行到位金额: all of it when enforcement is completed, part of it on settlement, mostly
    /// nothing when this round ends without property found (终本).
    fn recovered(&mut self, mode: ClosingMode, claim: Money) -> Money {
        let share = match mode {
            ClosingMode::EnforcementCompleted => 1.0,
            ClosingMode::EnforcementSettlement => self.rng.random_range(0.3..0.9),
            ClosingMode::TerminationOfThisRound if chance(&mut self.rng, 0.75) => 0.0,
            ClosingMode::TerminationOfThisRound => self.rng.random_range(0.01..0.3),
            ClosingMode::EnforcementTerminated if chance(&mut self.rng, 0.5) => 0.0,
            ClosingMode::EnforcementTerminated => self.rng.random_range(0.0..0.5),
            _ => 0.0,
        };
        if share >= 1.0 {
            claim
        } else {
            Money((claim.fen() as f64 * share).round() as i64)
        }
    }

    /// Appeals and retrial petitions against what draft `i` decided, as events on it and
    /// requests to the parent court. The Supreme People's Court is not generated, so the high
    /// court sends nothing up.
    fn decide_onward(&mut self, i: usize) {
        if self.spec.parent.is_none() {
            return;
        }
        let draft = &self.drafts[i];
        let (Some(closed), Some(mode)) = (draft.closed, draft.mode) else {
            return;
        };
        let kind = draft.kind;
        match kind {
            Kind::CivilFirst | Kind::CriminalFirst | Kind::AdminFirst => {
                // CPL art. 171: 15 days against a judgment, 10 against a ruling; CrimPL art.
                // 230: 10 days; ALA art. 85: 15 days.
                let (p, object, window) = match (kind, mode) {
                    (Kind::CivilFirst, ClosingMode::Judgment) => {
                        let p = if draft.foreign_related { 0.25 } else { 0.13 };
                        (p, AppealObject::Judgment, 15)
                    }
                    (Kind::CivilFirst, ClosingMode::DismissalOfSuit) => {
                        (0.2, AppealObject::Ruling, 10)
                    }
                    (Kind::CriminalFirst, ClosingMode::Judgment) => {
                        (0.08, AppealObject::Judgment, 10)
                    }
                    (Kind::AdminFirst, ClosingMode::Judgment) => (0.35, AppealObject::Judgment, 15),
                    (Kind::AdminFirst, ClosingMode::DismissalOfSuit) => {
                        (0.3, AppealObject::Judgment, 10)
                    }
                    _ => (0.0, AppealObject::Judgment, 0),
                };
                if p > 0.0 && chance(&mut self.rng, p) {
                    let date = add_days(closed, between(&mut self.rng, 2, window));
                    if date <= self.end() {
                        let target = kind.appeal_target().expect("first instance");
                        self.drafts[i]
                            .events
                            .push(EventDraft::on(EventKind::Appeal, date));
                        self.drafts[i].appealed = true;
                        self.outgoing.push(Outgoing {
                            draft: i,
                            kind: target,
                            date,
                            appeal_object: object,
                        });
                    }
                    return;
                }
                if mode == ClosingMode::Judgment {
                    let p = match kind {
                        Kind::CivilFirst => 0.02,
                        Kind::CriminalFirst => 0.004,
                        _ => 0.03,
                    };
                    self.petition(i, p, closed);
                }
            }
            Kind::CivilSecond | Kind::CriminalSecond | Kind::AdminSecond
                if matches!(mode, ClosingMode::Upheld | ClosingMode::Amended)
                    && draft.appeal_object == AppealObject::Judgment =>
            {
                let p = match kind {
                    Kind::CivilSecond => 0.06,
                    Kind::CriminalSecond => 0.03,
                    _ => 0.10,
                };
                self.petition(i, p, closed);
            }
            // 执复: within 10 days of the ruling on the objection (执行程序解释 art. 5).
            Kind::EnforcementObjection
                if mode == ClosingMode::ApplicationRejected && chance(&mut self.rng, 0.12) =>
            {
                let date = add_days(closed, between(&mut self.rng, 2, 10));
                if date <= self.end() {
                    self.outgoing.push(Outgoing {
                        draft: i,
                        kind: Kind::EnforcementReview,
                        date,
                        appeal_object: AppealObject::Judgment,
                    });
                }
            }
            _ => {}
        }
    }

    /// A retrial petition (申请再审) within six months of the decision taking effect (CPL art.
    /// 216), lodged with the court above.
    fn petition(&mut self, i: usize, p: f64, closed: NaiveDate) {
        if !chance(&mut self.rng, p) {
            return;
        }
        let date = self
            .world
            .work
            .next_working(add_days(closed, between(&mut self.rng, 30, 180)));
        if date > self.end() {
            return;
        }
        let kind = self.drafts[i]
            .kind
            .petition_target()
            .expect("a petitionable kind");
        self.drafts[i]
            .events
            .push(EventDraft::on(EventKind::RetrialApplication, date));
        self.outgoing.push(Outgoing {
            draft: i,
            kind,
            date,
            appeal_object: AppealObject::Judgment,
        });
    }

    fn push_derived(&mut self, mut draft: Draft, origin: usize) {
        draft.origin = Origin::Local(origin);
        let i = self.drafts.len();
        self.drafts.push(draft);
        self.fill(i);
    }

    /// 执保: property preserved during a civil suit is enforced as its own case, filed days after
    /// the suit; larger claims (and ship arrests at the maritime court) are preserved more often.
    fn derive_preservation(&mut self) {
        for i in 0..self.drafts.len() {
            let source = &self.drafts[i];
            let Some(claim) = source.claim else { continue };
            if source.kind != Kind::CivilFirst {
                continue;
            }
            let mut p = if claim.fen() >= 10_000_000 {
                0.08
            } else {
                0.018
            };
            if self.spec.kind == CourtKind::Maritime {
                p *= 2.5;
            }
            if !chance(&mut self.rng, p) {
                continue;
            }
            let filed = self
                .world
                .work
                .next_working(add_days(source.filed, between(&mut self.rng, 0, 12)));
            if filed > self.end() {
                continue;
            }
            let mut draft = Draft::new(Kind::EnforcementPreservation, filed, filed);
            draft.cause = source.cause;
            draft.family = source.family;
            draft.claim = Some(claim);
            self.push_derived(draft, i);
        }
    }

    /// 执: each application is linked to an effective judgment, mediation, confirmation or
    /// payment order of this court, mostly a recent one; the applied amount is what was awarded.
    /// Applications whose origin predates the generated years refer to an earlier case number.
    fn link_enforcement(&mut self) {
        let mut candidates: Vec<(NaiveDate, usize)> = self
            .drafts
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let closed = d.closed?;
                d.claim?;
                if d.appealed {
                    return None;
                }
                // Effective after the appeal period and the time given to perform.
                let wait = match (d.kind, d.mode?) {
                    (Kind::CivilFirst, ClosingMode::Judgment) => 30,
                    (Kind::CivilFirst, ClosingMode::Mediation) => 10,
                    (Kind::CivilSpecial, ClosingMode::Granted) => 10,
                    (Kind::PaymentOrder, ClosingMode::Granted) => 20,
                    (Kind::PreMediationConfirm, ClosingMode::Granted) => 10,
                    _ => return None,
                };
                Some((add_days(closed, wait), i))
            })
            .collect();
        candidates.sort();
        let mut applications: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| self.drafts[i].kind == Kind::Enforcement)
            .collect();
        applications.sort_by_key(|&i| (self.drafts[i].filed, i));
        let mut pool: Vec<usize> = Vec::new();
        let mut next = 0;
        for e in applications {
            let filed = self.drafts[e].filed;
            while next < candidates.len() && candidates[next].0 <= filed {
                pool.push(candidates[next].1);
                next += 1;
            }
            let origin = if pool.is_empty() {
                None
            } else if chance(&mut self.rng, 0.2) {
                Some(pool.remove(self.rng.random_range(0..pool.len())))
            } else {
                let recent = pool.len().min(64);
                Some(pool.remove(pool.len() - 1 - self.rng.random_range(0..recent)))
            };
            match origin {
                Some(o) => {
                    let source = &self.drafts[o];
                    let (lo, hi) = match source.mode {
                        // Judgments add interest, costs and late-performance interest (迟延履行
                        // 金) to part of what was claimed.
                        Some(ClosingMode::Judgment) => (0.75, 1.3),
                        Some(ClosingMode::Mediation) => (0.6, 1.1),
                        _ => (0.9, 1.15),
                    };
                    let awarded = source.claim.unwrap_or_default().fen() as f64;
                    let share = self.rng.random_range(lo..hi);
                    let (cause, family) = (source.cause, source.family);
                    let draft = &mut self.drafts[e];
                    draft.origin = Origin::Local(o);
                    draft.cause = cause;
                    draft.family = family;
                    draft.claim = Some(Money(((awarded * share).round() as i64).max(100)));
                }
                None => self.unlinked_enforcement(e, "民初"),
            }
            self.fill(e);
        }
    }

    /// An enforcement case whose origin lies before the generated years.
    fn unlinked_enforcement(&mut self, e: usize, origin_code: &str) {
        let cause = *pick(&mut self.rng, vocab::civil_causes(self.spec.kind), |c| {
            c.weight
        });
        let origin = self.earlier_number(origin_code);
        let claim = amount(&mut self.rng, 50_000.0, 1.3);
        let draft = &mut self.drafts[e];
        draft.origin = Origin::External(origin);
        draft.cause = cause.name;
        draft.family = cause.family;
        draft.claim = Some(claim);
    }

    /// A plausible number of this court from a year before the generated ones, so it can never
    /// collide with a generated number.
    fn earlier_number(&mut self, code: &str) -> String {
        let year = self.world.first_year - between(&mut self.rng, 1, 2) as i32;
        let top = (self.world.unit * self.spec.weight * 0.5).max(50.0) as i64;
        let seq = between(&mut self.rng, 1, top);
        format!("（{year}）{}{code}{seq}号", self.spec.code)
    }

    /// 执恢: enforcement resumed, months or years after a 终本 closing, when property turns up.
    fn link_resumed(&mut self) {
        let mut candidates: Vec<(NaiveDate, usize)> = self
            .drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.kind == Kind::Enforcement && d.mode == Some(ClosingMode::TerminationOfThisRound)
            })
            .filter_map(|(i, d)| Some((add_days(d.closed?, 90), i)))
            .collect();
        candidates.sort();
        let mut resumed: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| self.drafts[i].kind == Kind::EnforcementResumed)
            .collect();
        resumed.sort_by_key(|&i| (self.drafts[i].filed, i));
        let mut pool: Vec<usize> = Vec::new();
        let mut next = 0;
        for r in resumed {
            let filed = self.drafts[r].filed;
            while next < candidates.len() && candidates[next].0 <= filed {
                pool.push(candidates[next].1);
                next += 1;
            }
            if pool.is_empty() {
                self.unlinked_enforcement(r, "执");
            } else {
                let o = pool.remove(self.rng.random_range(0..pool.len()));
                let source = &self.drafts[o];
                let remaining = source.claim.unwrap_or_default().fen()
                    - source.recovered.unwrap_or_default().fen();
                let (cause, family) = (source.cause, source.family);
                let draft = &mut self.drafts[r];
                draft.origin = Origin::Local(o);
                draft.cause = cause;
                draft.family = family;
                draft.claim = Some(Money(remaining.max(100)));
            }
            self.fill(r);
        }
    }

    /// 执异: an objection against an enforcement case of this court that is running (or just
    /// ended) when the objection is filed.
    fn link_objections(&mut self) {
        let mut running: Vec<(NaiveDate, usize)> = self
            .drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| matches!(d.kind, Kind::Enforcement | Kind::EnforcementResumed))
            .map(|(i, d)| (d.filed, i))
            .collect();
        running.sort();
        let objections: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| self.drafts[i].kind == Kind::EnforcementObjection)
            .collect();
        for o in objections {
            let filed = self.drafts[o].filed;
            let from = add_days(filed, -400);
            let to = add_days(filed, -7);
            let lo = running.partition_point(|(f, _)| *f < from);
            let hi = running.partition_point(|(f, _)| *f <= to);
            let mut origin = None;
            if lo < hi {
                for _ in 0..8 {
                    let (_, c) = running[self.rng.random_range(lo..hi)];
                    let open = self.drafts[c]
                        .closed
                        .is_none_or(|closed| closed >= add_days(filed, -20));
                    if open {
                        origin = Some(c);
                        break;
                    }
                }
                if origin.is_none() {
                    origin = Some(running[self.rng.random_range(lo..hi)].1);
                }
            }
            self.drafts[o].origin = match origin {
                Some(c) => Origin::Local(c),
                None => Origin::External(self.earlier_number("执")),
            };
            self.fill(o);
            self.decide_onward(o);
        }
    }

    /// 破 opened on a granted 破申; 民再 on a retrial ordered by a 民申 (提审, heard under the
    /// second-instance procedure, CPL art. 218).
    fn derive_follow_ups(&mut self) {
        for i in 0..self.drafts.len() {
            let source = &self.drafts[i];
            let (Some(closed), Some(mode)) = (source.closed, source.mode) else {
                continue;
            };
            let (kind, wait) = match (source.kind, mode) {
                (Kind::BankruptcyApplication, ClosingMode::Granted) => (Kind::Bankruptcy, (0, 5)),
                (Kind::CivilRetrialReview, ClosingMode::Other) => (Kind::CivilRetrial, (7, 30)),
                _ => continue,
            };
            let filed = self
                .world
                .work
                .next_working(add_days(closed, between(&mut self.rng, wait.0, wait.1)));
            if filed > self.end() {
                continue;
            }
            let source = &self.drafts[i];
            let mut draft = Draft::new(kind, filed, filed);
            draft.family = source.family;
            draft.claim = source.claim;
            draft.foreign_related = source.foreign_related;
            if kind == Kind::Bankruptcy {
                draft.cause = vocab::bankruptcy_cause(source.cause);
                self.push_derived(draft, i);
            } else {
                // The retrial is of the judgment the review was about.
                draft.cause = source.cause;
                draft.origin = source.origin.clone();
                let at = self.drafts.len();
                self.drafts.push(draft);
                self.fill(at);
            }
        }
    }

    /// Sequence numbers per type code and year, in filing order (案号规定: numbering restarts
    /// each year for each type code).
    fn number(&mut self) {
        let mut order: Vec<usize> = (0..self.drafts.len()).collect();
        order.sort_by_key(|&i| {
            let d = &self.drafts[i];
            (d.filed, d.received, d.kind, i)
        });
        let mut counters: BTreeMap<(Kind, i32), u32> = BTreeMap::new();
        for &i in &order {
            let d = &self.drafts[i];
            let counter = counters.entry((d.kind, d.filed.year())).or_insert(0);
            *counter += 1;
            self.drafts[i].seq = *counter;
        }
    }

    fn case_number(&self, i: usize) -> String {
        let d = &self.drafts[i];
        format!(
            "（{}）{}{}{}号",
            d.filed.year(),
            self.spec.code,
            d.kind.code(),
            d.seq
        )
    }

    /// Records in filing order, and the requests for the parent court.
    fn build(self) -> CourtOutput {
        let numbers: Vec<String> = (0..self.drafts.len())
            .map(|i| self.case_number(i))
            .collect();
        let mut order: Vec<usize> = (0..self.drafts.len()).collect();
        order.sort_by_key(|&i| {
            let d = &self.drafts[i];
            (d.filed, d.kind, d.seq)
        });
        let mut cases = Vec::with_capacity(order.len());
        for i in order {
            let d = &self.drafts[i];
            let number = &numbers[i];
            let record = CaseRecord {
                case_number: number.clone(),
                court_code: self.spec.code.clone(),
                type_code: Some(d.kind.type_code()),
                type_name: None,
                procedure: d.procedure,
                cause: (!d.cause.is_empty()).then(|| d.cause.to_owned()),
                received_date: Some(d.received),
                filed_date: d.filed,
                division: Some(self.staff.divisions[d.division].name.clone()),
                judge: Some(self.staff.judges[d.judge as usize].clone()),
                closed_date: d.closed,
                closing_mode: d.mode,
                disposal: None,
                claim_amount: d.claim,
                recovered_amount: d.recovered,
                origin_case_number: match &d.origin {
                    Origin::None => None,
                    Origin::Local(j) => Some(numbers[*j].clone()),
                    Origin::External(s) => Some(s.clone()),
                },
                foreign_related: d.foreign_related,
                longer_limit: d.longer_limit,
                appeal_object: d.appeal_object,
            };
            let mut events: Vec<EventRecord> = d
                .events
                .iter()
                .map(|e| EventRecord {
                    case_number: number.clone(),
                    kind: e.kind,
                    date: e.date,
                    end_date: e.end,
                    months: e.months,
                    days: e.days,
                    reason: e.reason.map(str::to_owned),
                })
                .collect();
            events.sort_by_key(|e| (e.date, e.kind));
            cases.push((record, events));
        }
        let requests = self
            .outgoing
            .iter()
            .map(|out| {
                let d = &self.drafts[out.draft];
                Request {
                    kind: out.kind,
                    date: out.date,
                    origin: numbers[out.draft].clone(),
                    cause: d.cause,
                    family: d.family,
                    claim: d.claim,
                    foreign_related: d.foreign_related,
                    appeal_object: out.appeal_object,
                }
            })
            .collect();
        CourtOutput { cases, requests }
    }
}

/// The procedure of a civil first-instance case. Only basic courts use the simple and
/// small-claims procedures (CPL art. 160); small claims need a money claim up to about half the
/// province's average yearly wage (CPL art. 165; about 50,000 yuan in Shandong) and exclude
/// personal-status disputes; foreign-related cases are tried under the ordinary procedure.
fn civil_procedure(rng: &mut SynthRng, court: CourtKind, draft: &Draft) -> Procedure {
    if draft.foreign_related || !court.is_basic() {
        return Procedure::Ordinary;
    }
    let small_ok = !draft.family && draft.claim.is_some_and(|c| c.fen() <= 5_000_000);
    let r = rng.random::<f64>();
    match () {
        _ if small_ok && r < 0.3 => Procedure::SmallClaims,
        _ if small_ok && r < 0.92 => Procedure::Simple,
        _ if !small_ok && r < 0.7 => Procedure::Simple,
        _ => Procedure::Ordinary,
    }
}

/// A log-normal amount around `median` yuan.
fn amount(rng: &mut SynthRng, median: f64, sigma: f64) -> Money {
    let yuan = lognormal(rng, median, sigma);
    money(rng, yuan)
}

/// An amount in yuan as parties state it: mostly whole yuan, sometimes with fen; at least 1 yuan.
fn money(rng: &mut SynthRng, yuan: f64) -> Money {
    let yuan = yuan.clamp(1.0, 1e11);
    if chance(rng, 0.7) {
        Money(yuan.round() as i64 * 100)
    } else {
        Money((yuan * 100.0).round() as i64)
    }
}
