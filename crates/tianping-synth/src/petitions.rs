//! Synthetic petitions (`workflows.md` §2) for every court: letters, visits (some collective,
//! some received by a court leader), online and phone petitions and items forwarded by other
//! organs; most about a case of the court (涉诉), some repeats of the same person about the same
//! case, acknowledgements mostly within the 15 days, acceptances handled within the 60 days (a
//! few extended, a few late, the latest still open), an occasional 复查; and matters, most 涉诉
//! ones resolved within the year. Identifiers carry a right GB 11643 check character.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use tianping_domain::{CaseRecord, CourtRecord};
use tianping_workflow::petitions::model::{AckDecision, Channel, Matter, Petition};

use crate::SynthConfig;
use crate::random::{SynthRng, chance, stream};

/// The generated petition data: matters (with their resolutions) and petitions (their matters
/// assigned by `workflows.md` §2.4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetitionData {
    pub matters: Vec<Matter>,
    pub petitions: Vec<Petition>,
}

const NAMES: [&str; 10] = [
    "王某", "李某", "张某", "刘某", "陈某", "杨某", "赵某", "黄某", "周某", "吴某",
];
const HANDLERS: [&str; 4] = ["立案庭", "审判监督庭", "执行局", "信访办"];
const RESULTS: [&str; 4] = ["解释说明", "不予支持", "部分支持", "支持"];
/// Petitions a court receives a year at the demo's scale.
const PER_YEAR: i64 = 40;

/// An 18-character 居民身份证号 with its GB 11643 check character.
fn person_id(rng: &mut SynthRng, region: u32) -> String {
    let birth = NaiveDate::from_ymd_opt(rng.random_range(1950..2000), 1, 1).expect("a date")
        + Duration::days(rng.random_range(0..365));
    let body = format!(
        "{region:06}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month(),
        birth.day(),
        rng.random_range(1..999)
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// The petition data of `config` for every court of `courts`, about the cases of `cases`.
pub fn generate_petitions(
    config: &SynthConfig,
    courts: &[CourtRecord],
    cases: &[CaseRecord],
) -> PetitionData {
    generate_petitions_sized(config, courts, cases, None)
}

/// [`generate_petitions`] with about `last_year` petitions in the last year over all courts (a
/// benchmark's province-scale year); the earlier years keep the demo's volume.
pub fn generate_petitions_sized(
    config: &SynthConfig,
    courts: &[CourtRecord],
    cases: &[CaseRecord],
    last_year: Option<usize>,
) -> PetitionData {
    let per_court = last_year.map(|n| (n / courts.len().max(1)) as i64);
    let mut data = PetitionData::default();
    let mut by_court: std::collections::HashMap<&str, Vec<&CaseRecord>> =
        std::collections::HashMap::new();
    for c in cases.iter().filter(|c| c.closed_date.is_some()) {
        by_court.entry(c.court_code.as_str()).or_default().push(c);
    }
    let end = config.end_date;
    for (ci, court) in courts.iter().enumerate() {
        let mut rng = stream(config.seed, 0x7065_7469, ci as u64);
        let code = court.code.as_str();
        let closed = by_court.get(code).map(Vec::as_slice).unwrap_or_default();
        // The people who petition this court, each about one case.
        let mut people: Vec<(String, String, Option<String>)> = Vec::new();
        let mut seq = 0;
        for year in config.first_year..=config.last_year {
            let base = match per_court {
                Some(n) if year == config.last_year => n,
                _ => PER_YEAR,
            };
            let count = base + rng.random_range(-8..=8);
            for _ in 0..count {
                seq += 1;
                let received = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year")
                    + Duration::days(rng.random_range(0..365));
                if received > end {
                    continue;
                }
                let channel = match rng.random_range(0..20) {
                    0..=6 => Channel::Letter,
                    7..=12 => Channel::Visit,
                    13..=16 => Channel::Online,
                    17 => Channel::Phone,
                    _ => Channel::Forwarded,
                };
                let id = format!("XF{year}{code}{seq:04}");
                let litigation = chance(&mut rng, 0.7) && !closed.is_empty();
                let nature = if litigation {
                    "申诉求决"
                } else {
                    ["建议意见", "咨询", "检举控告", "其他"][rng.random_range(0..4)]
                };
                let mut p = Petition::registered(&id, code, received, channel, nature, litigation);
                // A repeat: one of the court's earlier petitioners about the same case.
                let repeat = litigation && !people.is_empty() && chance(&mut rng, 0.12);
                if repeat {
                    let (pid, name, case) = people[rng.random_range(0..people.len())].clone();
                    p.petitioner_id = Some(pid);
                    p.petitioner_name = Some(name);
                    p.case_number = case;
                } else if chance(&mut rng, 0.05) {
                    p.anonymous = true;
                } else {
                    let pid = person_id(&mut rng, 370_102 + (ci as u32 % 90));
                    let name = NAMES[rng.random_range(0..NAMES.len())].to_owned();
                    p.petitioner_id = Some(pid.clone());
                    p.petitioner_name = Some(name.clone());
                    if litigation {
                        let case = closed[rng.random_range(0..closed.len())];
                        p.case_number = Some(case.case_number.clone());
                    }
                    people.push((pid, name, p.case_number.clone()));
                }
                if !litigation {
                    p.case_number = None;
                }
                if channel == Channel::Visit {
                    p.persons = if chance(&mut rng, 0.08) {
                        rng.random_range(6..15)
                    } else {
                        rng.random_range(1..4)
                    };
                    p.leader_received = chance(&mut rng, 0.25);
                }
                if channel == Channel::Forwarded {
                    p.source = Some(
                        ["党委政府信访部门", "上级法院", "人大", "政法委"][rng.random_range(0..4)]
                            .to_owned(),
                    );
                }
                p.handler = Some(HANDLERS[rng.random_range(0..HANDLERS.len())].to_owned());
                // The acknowledgement: mostly within 15 days, a few late.
                let ack = received
                    + Duration::days(if chance(&mut rng, 0.95) {
                        rng.random_range(1..13)
                    } else {
                        rng.random_range(16..25)
                    });
                if ack <= end && !p.anonymous {
                    p.ack_date = Some(ack);
                    if litigation || chance(&mut rng, 0.5) {
                        p.ack_decision = Some(AckDecision::Accepted);
                        let took = if chance(&mut rng, 0.9) {
                            rng.random_range(10..58)
                        } else {
                            rng.random_range(62..85)
                        };
                        if took > 58 && chance(&mut rng, 0.5) {
                            p.extension_days = Some(30);
                            p.extension_date = Some(ack + Duration::days(50));
                        }
                        let reply = ack + Duration::days(took);
                        if reply <= end {
                            p.reply_date = Some(reply);
                            p.reply_form =
                                Some(["书面", "当面", "电话"][rng.random_range(0..3)].to_owned());
                            p.result = Some(RESULTS[rng.random_range(0..RESULTS.len())].to_owned());
                        }
                        if p.extension_date.is_some_and(|d| d > end) {
                            p.extension_days = None;
                            p.extension_date = None;
                        }
                    } else {
                        let decision = [
                            AckDecision::NotAccepted,
                            AckDecision::ToCompetentOrgan,
                            AckDecision::Transferred,
                        ][rng.random_range(0..3)];
                        p.ack_decision = Some(decision);
                        p.reply_form = Some("书面".to_owned());
                        p.result = Some(decision.name_zh().to_owned());
                    }
                }
                data.petitions.push(p);
            }
        }
    }
    tianping_workflow::petitions::assign_matters(&mut data.petitions, 365);
    // Matters: most 涉诉 ones resolved some weeks after their last reply.
    let mut last_reply: std::collections::BTreeMap<String, (NaiveDate, bool)> =
        std::collections::BTreeMap::new();
    for p in &data.petitions {
        let Some(m) = &p.matter_id else { continue };
        let entry = last_reply
            .entry(m.clone())
            .or_insert((p.received_date, p.litigation_related));
        entry.0 = entry.0.max(p.reply_date.unwrap_or(NaiveDate::MAX));
        entry.1 |= p.litigation_related;
    }
    let mut rng = stream(config.seed, 0x6D61_7474, 0);
    for (id, (last, litigation)) in last_reply {
        if litigation && last < end && chance(&mut rng, 0.7) {
            let resolved = last + Duration::days(rng.random_range(5..90));
            if resolved <= end {
                data.matters.push(Matter {
                    resolved_date: Some(resolved),
                    resolution: Some(
                        ["息诉罢访", "导入诉讼程序后审结", "依法终结", "司法救助"]
                            [rng.random_range(0..4)]
                        .to_owned(),
                    ),
                    ..Matter::new(&id)
                });
            }
        }
    }
    data.petitions
        .sort_by(|a, b| a.petition_id.cmp(&b.petition_id));
    data
}
