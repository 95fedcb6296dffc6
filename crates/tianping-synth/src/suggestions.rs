//! Synthetic judicial suggestions (`workflows.md` §3) for every court: a few a year (the basic
//! courts one most months, "一月一题"), each through the 审判委员会 and the president's signature
//! to issue and service, most replied within the two months (a few late, the latest still
//! waiting), adopted mostly in whole or in part, some praised by a higher authority.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use tianping_domain::{CourtLevel, CourtRecord};
use tianping_workflow::suggestions::Suggestion;
use tianping_workflow::suggestions::model::{DEFAULT_TOPICS, RECIPIENT_TYPES};

use crate::SynthConfig;
use crate::random::{chance, stream};

const RECIPIENTS: [(&str, &str); 6] = [
    ("住房和城乡建设局", "行政机关"),
    ("市场监督管理局", "行政机关"),
    ("人力资源和社会保障局", "行政机关"),
    ("教育局", "行政机关"),
    ("街道办事处", "基层组织"),
    ("物业管理协会", "行业协会"),
];

/// The suggestions of `config` for every court of `courts`.
pub fn generate_suggestions(config: &SynthConfig, courts: &[CourtRecord]) -> Vec<Suggestion> {
    let mut out = Vec::new();
    let end = config.end_date;
    for (ci, court) in courts.iter().enumerate() {
        let mut rng = stream(config.seed, 0x7375_6767, ci as u64);
        let place = court.name.trim_end_matches("人民法院");
        let place = place.trim_end_matches("高级").trim_end_matches("中级");
        let per_year = match court.level {
            CourtLevel::Basic => 9,
            _ => 5,
        };
        for year in config.first_year..=config.last_year {
            let mut n = 0;
            for month in 1..=12u32 {
                if n >= per_year || !chance(&mut rng, f64::from(per_year) / 12.0) {
                    continue;
                }
                n += 1;
                let drafted =
                    NaiveDate::from_ymd_opt(year, month, rng.random_range(1..=15)).expect("a date");
                if drafted > end {
                    continue;
                }
                let topic = DEFAULT_TOPICS[rng.random_range(0..DEFAULT_TOPICS.len() - 1)];
                let (recipient, kind) = RECIPIENTS[rng.random_range(0..RECIPIENTS.len())];
                let recipient_type = RECIPIENT_TYPES
                    .iter()
                    .find(|t| **t == kind)
                    .copied()
                    .unwrap_or("其他");
                let mut s = Suggestion::drafted(
                    &format!("{place}法建〔{year}〕{n}号"),
                    &court.code,
                    &format!("{}关于{topic}问题的司法建议书", court.name),
                    &format!("{place}{recipient}"),
                    topic,
                );
                s.recipient_type = recipient_type.to_owned();
                s.drafted_date = Some(drafted);
                if court.level == CourtLevel::Basic {
                    s.monthly_topic = Some(format!("{year}-{month:02}"));
                }
                let mut day = drafted;
                let mut step = |rng: &mut crate::random::SynthRng, lo: i64, hi: i64| {
                    day += Duration::days(rng.random_range(lo..=hi));
                    (day <= end).then_some(day)
                };
                s.committee_date = step(&mut rng, 3, 10);
                s.signed_date = s.committee_date.and_then(|_| step(&mut rng, 1, 3));
                s.issued_date = s.signed_date.and_then(|_| step(&mut rng, 2, 7));
                s.served_date = s.issued_date.and_then(|_| step(&mut rng, 1, 3));
                if let Some(served) = s.served_date {
                    let reply = served
                        + Duration::days(if chance(&mut rng, 0.88) {
                            rng.random_range(15..58)
                        } else {
                            rng.random_range(65..100)
                        });
                    if reply <= end && chance(&mut rng, 0.95) {
                        s.reply_date = Some(reply);
                        s.adoption = Some(
                            match rng.random_range(0..10) {
                                0..=5 => "采纳",
                                6..=8 => "部分采纳",
                                _ => "未采纳",
                            }
                            .to_owned(),
                        );
                        s.implemented =
                            s.adoption.as_deref() != Some("未采纳") && chance(&mut rng, 0.8);
                    }
                    s.praised = chance(&mut rng, 0.1);
                }
                out.push(s);
            }
        }
    }
    out.sort_by(|a, b| a.suggestion_no.cmp(&b.suggestion_no));
    out
}
