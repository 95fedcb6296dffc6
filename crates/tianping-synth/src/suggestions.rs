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

/// The letter's body for a topic (建议规定 annex 2): the background, the problems found, the
/// suggestions (one per problem, separated by ；).
fn body_of(topic: &str) -> (&'static str, &'static str, &'static str) {
    match topic {
        "未成年人保护" => (
            "未成年人保护工作关系千家万户。近年来，贵单位持续开展校园安全专项整治，取得明显成效。",
            "我院在审理涉未成年人案件中发现，部分学校周边网吧、酒吧违规接纳未成年人，校外培训机构从业人员入职查询制度落实不到位。",
            "加强对学校周边经营场所的日常巡查，依法查处违规接纳未成年人的行为；督促校外培训机构落实从业人员入职查询制度",
        ),
        "物业纠纷" => (
            "物业管理事关群众切身利益和基层社会治理。贵单位近年来推进物业服务规范化建设，取得积极成效。",
            "我院在审理物业服务合同纠纷案件中发现，部分物业服务企业收费项目公示不全，业主委员会成立率低，矛盾纠纷难以在诉前化解。",
            "督促物业服务企业按规定公示收费项目和标准；指导符合条件的小区依法成立业主委员会；建立物业纠纷诉前联动化解机制",
        ),
        "行政执法规范化" => (
            "严格规范公正文明执法是法治政府建设的重要内容。贵单位近年来全面推行行政执法三项制度，执法水平不断提高。",
            "我院在审理行政案件中发现，部分执法案卷程序性材料缺失，送达不规范，行政处罚决定书说理不充分。",
            "完善执法案卷归档和评查制度；规范法律文书送达程序；加强执法人员法律知识培训，提高文书说理水平",
        ),
        "金融风险" => (
            "防范化解金融风险是经济工作的重要任务。贵单位持续加强金融监管，辖区金融秩序总体平稳。",
            "我院在审理金融借款合同纠纷案件中发现，部分机构贷前审查流于形式，格式条款提示说明义务履行不到位。",
            "督促金融机构严格落实贷前审查制度；规范格式合同条款的提示和说明；加强金融消费者权益保护宣传",
        ),
        "劳动用工" => (
            "劳动关系和谐稳定关系民生福祉。贵单位持续开展根治欠薪专项行动，取得积极成效。",
            "我院在审理劳动争议案件中发现，部分用人单位未依法签订书面劳动合同，新就业形态劳动者权益保障不足。",
            "加大劳动合同签订情况的检查力度；探索新就业形态劳动者权益保障机制；完善劳动争议调裁审衔接",
        ),
        "安全生产" => (
            "安全生产事关人民群众生命财产安全。贵单位持续开展安全生产专项整治，事故总量持续下降。",
            "我院在审理涉安全生产案件中发现，部分企业安全培训记录不全，隐患排查整改不闭环。",
            "督促企业落实安全生产培训和记录制度；建立隐患排查整改闭环管理机制",
        ),
        "生态环境" => (
            "生态环境保护是功在当代、利在千秋的事业。贵单位持续开展环境污染防治攻坚，生态环境质量持续改善。",
            "我院在审理环境资源案件中发现，部分企业危险废物处置台账不全，非法倾倒问题时有发生。",
            "加强危险废物产生、转移、处置全过程监管；健全生态环境损害赔偿与公益诉讼衔接机制",
        ),
        "知识产权" => (
            "知识产权保护是激励创新的基本手段。贵单位持续加强知识产权行政保护，营造了良好的创新环境。",
            "我院在审理知识产权案件中发现，部分市场主体商标侵权屡禁不止，电商平台对侵权商品处置不及时。",
            "加强对重点市场和电商平台的巡查；建立侵权线索移送和行政执法与司法衔接机制",
        ),
        _ => (
            "优化营商环境是推动高质量发展的重要保障。贵单位近年来持续深化放管服改革，营商环境不断优化。",
            "我院在审理涉企案件中发现，部分政府采购和工程项目存在拖欠中小企业账款问题，影响企业经营。",
            "开展拖欠中小企业账款专项清理；建立防范和化解拖欠长效机制",
        ),
    }
}

/// The suggestions of `config` for every court of `courts`.
pub fn generate_suggestions(config: &SynthConfig, courts: &[CourtRecord]) -> Vec<Suggestion> {
    generate_suggestions_sized(config, courts, None)
}

/// [`generate_suggestions`] with about `last_year` suggestions drafted in the last year over
/// all courts (a benchmark's province-scale year); the earlier years keep the demo's volume.
pub fn generate_suggestions_sized(
    config: &SynthConfig,
    courts: &[CourtRecord],
    last_year: Option<usize>,
) -> Vec<Suggestion> {
    let per_court = last_year.map(|n| (n / courts.len().max(1)).max(1) as u32);
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
            let per_year = match per_court {
                Some(n) if year == config.last_year => n,
                _ => per_year,
            };
            let mut n = 0;
            // More than one a month only at a benchmark's volume (the demo's draws unchanged).
            let months =
                (1..=12u32).flat_map(|m| std::iter::repeat_n(m, per_year.div_ceil(12) as usize));
            for month in months {
                if n >= per_year || !chance(&mut rng, (f64::from(per_year) / 12.0).min(1.0)) {
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
                let (background, findings, proposals) = body_of(topic);
                s.background = Some(background.to_owned());
                s.findings = Some(findings.to_owned());
                s.proposals = Some(proposals.to_owned());
                // Not drawn from `rng`: the dates and outcomes stay those of earlier demos.
                let names = ["王某某", "李某某", "张某某", "刘某某", "陈某某"];
                s.contact = Some(format!(
                    "{} 研究室 0{}-{}",
                    names[(ci + n as usize) % names.len()],
                    531 + ci % 300,
                    86_000_000 + ci * 17 + n as usize
                ));
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
