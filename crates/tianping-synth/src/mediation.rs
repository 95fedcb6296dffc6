//! Synthetic mediation (`workflows.md` §1) for every basic court: a roster of organisations and
//! mediators, and each year's mediations with the shape the source reports describe — mostly
//! 委派 before 2025 and 委托 after (最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》,
//! in force 2025-01-01), about two in three succeeding, some extended or with an appraisal, some
//! failed and filed as cases, a few returned, and the latest ones still open (some overdue).

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use tianping_domain::{CaseRecord, CourtLevel, CourtRecord, TypeCode};
use tianping_workflow::mediation::model::{AgreementPath, CaseProcedure, EventKind};
use tianping_workflow::mediation::{
    Mediation, MediationEvent, MediationKind, MediationOrg, Mediator, Outcome,
};

use crate::SynthConfig;
use crate::random::{between, chance, stream};

/// The generated mediation data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediationData {
    pub orgs: Vec<MediationOrg>,
    pub mediators: Vec<Mediator>,
    pub mediations: Vec<Mediation>,
    pub events: Vec<MediationEvent>,
}

const ORG_KINDS: [(&str, &str); 4] = [
    ("人民调解委员会", "人民调解"),
    ("商事调解中心", "商事调解"),
    ("物业纠纷调解工作室", "行业调解"),
    ("劳动争议调解中心", "行政调解"),
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "淑华", "建国", "秀兰", "志强", "丽娟", "海燕", "国庆", "春梅", "立新", "玉珍", "文杰", "红霞",
];
const BACKGROUNDS: [&str; 6] = [
    "退休法律工作者",
    "人民陪审员",
    "律师",
    "专家学者",
    "法院专职调解员",
    "人大代表",
];
const CAUSES: [&str; 6] = [
    "民间借贷纠纷",
    "物业服务合同纠纷",
    "买卖合同纠纷",
    "机动车交通事故责任纠纷",
    "劳务合同纠纷",
    "离婚纠纷",
];
/// 擅长领域 of the organisations, one of the roster's words for each of [`CAUSES`].
const SPECIALITIES: [&str; 6] = [
    "金融消费",
    "物业",
    "中小企业",
    "道路交通",
    "劳动争议",
    "婚姻家庭",
];
const FAILURES: [&str; 4] = ["分歧较大", "无法联系", "明确拒绝", "对方拒绝调解"];
/// Mediations a basic court registers a year at the small scale.
const PER_YEAR: i64 = 120;

fn day(rng: &mut impl Rng, year: i32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year");
    first + Duration::days(rng.random_range(0..365))
}

/// A province-scale volume for benchmarks: about `mediations` mediations registered in the
/// config's last year (none in earlier years) and about `mediators` mediators, spread evenly
/// over the basic courts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediationVolume {
    pub mediations: usize,
    pub mediators: usize,
}

/// The mediation data of `config` for `courts`, linking 委托 mediations to the civil first-
/// instance cases of `cases`. The same config gives the same data.
pub fn generate_mediations(
    config: &SynthConfig,
    courts: &[CourtRecord],
    cases: &[CaseRecord],
) -> MediationData {
    generate_mediations_sized(config, courts, cases, None)
}

/// [`generate_mediations`] at the demo's volume (`None`: about 120 mediations a year and six to
/// nine mediators per basic court) or at `volume`.
pub fn generate_mediations_sized(
    config: &SynthConfig,
    courts: &[CourtRecord],
    cases: &[CaseRecord],
    volume: Option<MediationVolume>,
) -> MediationData {
    let mut data = MediationData::default();
    let civil_first = TypeCode::lookup("民初");
    let basic = courts
        .iter()
        .filter(|c| c.level == CourtLevel::Basic)
        .count()
        .max(1);
    // Per basic court: mediations a year, organisations, mediators per organisation.
    let (per_year, years) = match volume {
        None => (PER_YEAR, config.first_year..=config.last_year),
        Some(v) => (
            (v.mediations / basic) as i64,
            config.last_year..=config.last_year,
        ),
    };
    let roster = |ci: usize| match volume {
        None => (2 + ci % 2, 3),
        Some(v) => {
            let per_court = (v.mediators / basic).max(1);
            let orgs = (per_court / 25).clamp(1, 40);
            (orgs, per_court.div_ceil(orgs))
        }
    };
    // The civil first-instance cases of each court by filing year, for 委托 mediations.
    let mut civil: std::collections::HashMap<(&str, i32), Vec<&CaseRecord>> =
        std::collections::HashMap::new();
    for c in cases.iter().filter(|c| c.type_code == civil_first) {
        civil
            .entry((c.court_code.as_str(), c.filed_date.year()))
            .or_default()
            .push(c);
    }
    for (ci, court) in courts
        .iter()
        .filter(|c| c.level == CourtLevel::Basic)
        .enumerate()
    {
        let mut rng = stream(config.seed, 0x6D65_6469, ci as u64);
        let code = &court.code;
        // The roster.
        let mut mediator_ids = Vec::new();
        let (org_count, per_org) = roster(ci);
        for oi in 0..org_count {
            let (suffix, kind) = &ORG_KINDS[oi % ORG_KINDS.len()];
            let org_id = format!("{code}-ORG{}", oi + 1);
            let name = if oi < ORG_KINDS.len() {
                format!("{}{suffix}", court.name.trim_end_matches("人民法院"))
            } else {
                format!(
                    "{}第{}{suffix}",
                    court.name.trim_end_matches("人民法院"),
                    oi / ORG_KINDS.len() + 1
                )
            };
            data.orgs.push(MediationOrg {
                org_id: org_id.clone(),
                name,
                kind: (*kind).to_owned(),
                court_code: code.clone(),
                docking: Some("本院".to_owned()),
                specialities: vec![SPECIALITIES[oi % SPECIALITIES.len()].to_owned()],
                charges_fee: *kind == "商事调解",
                status: "在册".to_owned(),
                joined_date: NaiveDate::from_ymd_opt(config.first_year - 1, 3, 1),
                left_date: None,
            });
            for mi in 0..per_org {
                // The demo's ids (鲁0102-M11) are what its accounts name; at volume a dash keeps
                // organisation and mediator apart (M1-11 is not M11-1).
                let id = if volume.is_none() {
                    format!("{code}-M{}{}", oi + 1, mi + 1)
                } else {
                    format!("{code}-M{}-{}", oi + 1, mi + 1)
                };
                let name = format!(
                    "{}{}",
                    SURNAMES[rng.random_range(0..SURNAMES.len())],
                    GIVEN[rng.random_range(0..GIVEN.len())]
                );
                data.mediators.push(Mediator {
                    mediator_id: id.clone(),
                    name,
                    org_id: Some(org_id.clone()),
                    court_code: code.clone(),
                    background: Some(
                        BACKGROUNDS[rng.random_range(0..BACKGROUNDS.len())].to_owned(),
                    ),
                    specialities: vec![],
                    resident: mi == 0,
                    online: chance(&mut rng, 0.7),
                    certificate_no: None,
                    status: "在册".to_owned(),
                    joined_date: NaiveDate::from_ymd_opt(config.first_year - 1, 6, 1),
                    left_date: None,
                });
                mediator_ids.push((id, org_id.clone()));
            }
        }
        let mut seq = 0;
        for year in years.clone() {
            let count = per_year + between(&mut rng, -per_year / 6, per_year / 6);
            for _ in 0..count {
                seq += 1;
                let since_2025 = year >= 2025;
                let roll = rng.random::<f64>();
                let kind = match (since_2025, roll) {
                    (false, r) if r < 0.7 => MediationKind::Delegated,
                    (false, r) if r < 0.9 => MediationKind::Applied,
                    (false, _) => MediationKind::Entrusted,
                    (true, r) if r < 0.8 => MediationKind::Entrusted,
                    (true, r) if r < 0.95 => MediationKind::Delegated,
                    (true, _) => MediationKind::Applied,
                };
                let mut registered = day(&mut rng, year);
                let mut case_number = None;
                let mut procedure = None;
                if kind == MediationKind::Entrusted {
                    let Some(near) = civil.get(&(code.as_str(), year)) else {
                        continue;
                    };
                    let case = near[rng.random_range(0..near.len())];
                    registered = case.filed_date + Duration::days(between(&mut rng, 1, 10));
                    // A case closed before its mediation could be referred is not mediated.
                    if case
                        .closed_date
                        .is_some_and(|closed| closed < registered + Duration::days(3))
                    {
                        continue;
                    }
                    case_number = Some(case.case_number.clone());
                    procedure = Some(match case.procedure {
                        Some(tianping_domain::Procedure::Simple) => CaseProcedure::Simple,
                        _ => CaseProcedure::Ordinary,
                    });
                }
                if registered > config.end_date {
                    continue;
                }
                let id = if kind.is_pre_litigation() && !since_2025 {
                    format!("（{year}）{code}民诉前调{seq}号")
                } else {
                    format!("调{year}{code}{seq:05}")
                };
                let (mediator_id, org_id) =
                    mediator_ids[rng.random_range(0..mediator_ids.len())].clone();
                let mut m = Mediation::registered(&id, code, kind, registered);
                m.case_number = case_number;
                m.procedure = procedure;
                m.cause = Some(CAUSES[rng.random_range(0..CAUSES.len())].to_owned());
                m.claim_amount = Some(between(&mut rng, 5_000, 300_000) * 100);
                m.online = chance(&mut rng, 0.6);
                let end = config.end_date;
                // 退回 before any referral.
                if kind != MediationKind::Entrusted && chance(&mut rng, 0.04) {
                    let back = registered + Duration::days(between(&mut rng, 1, 3));
                    if back <= end {
                        m.outcome = Some(Outcome::Returned);
                        m.concluded_date = Some(back);
                        m.failure_reason = Some("不适宜调解".to_owned());
                    }
                    data.mediations.push(m);
                    continue;
                }
                let referred = registered + Duration::days(between(&mut rng, 0, 3));
                if referred > end {
                    data.mediations.push(m);
                    continue;
                }
                m.referred_date = Some(referred);
                m.org_id = Some(org_id);
                m.mediator_id = Some(mediator_id);
                let accepted = referred + Duration::days(between(&mut rng, 0, 4));
                if accepted > end {
                    data.mediations.push(m);
                    continue;
                }
                m.accepted_date = Some(accepted);
                let limit: i64 = match (kind, procedure) {
                    (MediationKind::Entrusted, Some(CaseProcedure::Simple)) => 7,
                    (MediationKind::Entrusted, _) => 15,
                    _ => 30,
                };
                let mut allowed = limit;
                if chance(&mut rng, 0.06) {
                    let start = accepted + Duration::days(between(&mut rng, 2, limit / 2));
                    let length = between(&mut rng, 5, 15);
                    data.events.push(MediationEvent {
                        mediation_id: id.clone(),
                        kind: EventKind::Appraisal,
                        date: start,
                        end_date: Some(start + Duration::days(length - 1)),
                        days: None,
                        mediator_id: None,
                        reason: Some("鉴定评估".to_owned()),
                    });
                    allowed += length;
                }
                if chance(&mut rng, 0.1) {
                    let days = between(&mut rng, 7, 15);
                    data.events.push(MediationEvent {
                        mediation_id: id.clone(),
                        kind: EventKind::Extension,
                        date: accepted + Duration::days(limit - 2),
                        end_date: None,
                        days: Some(days as u32),
                        mediator_id: None,
                        reason: Some("双方同意延长".to_owned()),
                    });
                    allowed += days;
                }
                // Most conclude in time; some run late (超期).
                let took = if chance(&mut rng, 0.88) {
                    between(&mut rng, 3, allowed.max(4) - 1)
                } else {
                    allowed + between(&mut rng, 3, 25)
                };
                let concluded = accepted + Duration::days(took);
                if concluded > end {
                    data.mediations.push(m);
                    continue;
                }
                let roll = rng.random::<f64>();
                let outcome = if roll < 0.66 {
                    Outcome::Succeeded
                } else if roll < 0.72 {
                    Outcome::Withdrawn
                } else {
                    Outcome::Failed
                };
                m.outcome = Some(outcome);
                m.concluded_date = Some(concluded);
                match outcome {
                    Outcome::Succeeded => {
                        let path = match rng.random_range(0..10) {
                            0..=4 => AgreementPath::Voluntary,
                            5..=7 => AgreementPath::JudicialConfirmation,
                            8 => AgreementPath::MediationDocument,
                            _ => AgreementPath::SuitWithdrawn,
                        };
                        m.agreement_path = Some(path);
                        m.performed = Some(chance(&mut rng, 0.8));
                    }
                    Outcome::Failed => {
                        m.failure_reason =
                            Some(FAILURES[rng.random_range(0..FAILURES.len())].to_owned());
                        // Three in four sue (a few filed late); the others give up.
                        if kind.is_pre_litigation() && chance(&mut rng, 0.75) {
                            let filed = concluded + Duration::days(between(&mut rng, 1, 12));
                            if filed <= end {
                                m.filed_case_number = Some(format!(
                                    "（{}）{code}民初{}号",
                                    filed.year(),
                                    90_000 + seq
                                ));
                                m.filed_date = Some(filed);
                            }
                        } else {
                            m.wants_suit = false;
                        }
                    }
                    _ => {}
                }
                data.mediations.push(m);
            }
        }
    }
    // An event happens while its mediation runs: one the mediation ended before (or the data's
    // end) is not kept, as no court could record it.
    let last_day: std::collections::HashMap<&str, NaiveDate> = data
        .mediations
        .iter()
        .map(|m| {
            (
                m.mediation_id.as_str(),
                m.concluded_date.unwrap_or(config.end_date),
            )
        })
        .collect();
    data.events.retain(|e| {
        last_day
            .get(e.mediation_id.as_str())
            .is_some_and(|last| e.date <= *last && e.end_date.is_none_or(|end| end <= *last))
    });
    data.mediations
        .sort_by(|a, b| a.mediation_id.cmp(&b.mediation_id));
    data
}
