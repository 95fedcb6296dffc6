//! Vocabulary: causes of action (案由) with their typical claim amounts, divisions (承办部门) and
//! judges' names. Causes follow the SPC 《民事案件案由规定》 (2020) and the charge names of the
//! Criminal Law as court exports print them; weights roughly follow the shares basic courts
//! report (民间借贷, 买卖合同, 金融借款 and family/traffic cases lead civil intake; 危险驾驶, 盗窃,
//! 帮信 and 诈骗 lead criminal intake).

use std::collections::BTreeSet;

use rand::Rng;

use crate::geo::CourtKind;
use crate::random::{SynthRng, pick};

/// A civil cause of action.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cause {
    pub name: &'static str,
    pub weight: f64,
    /// Median claim amount in yuan (log-normal); 0 when the cause usually claims no money.
    pub median: f64,
    /// Share of cases of this cause that state a claim amount.
    pub p_claim: f64,
    /// Family, labour and personal-injury causes go to 民一庭, contract and commercial ones to
    /// 民二庭.
    pub family: bool,
}

const fn cause(name: &'static str, weight: f64, median: f64, p_claim: f64, family: bool) -> Cause {
    Cause {
        name,
        weight,
        median,
        p_claim,
        family,
    }
}

pub(crate) const CIVIL_BASIC: &[Cause] = &[
    cause("民间借贷纠纷", 12.0, 50_000.0, 1.0, false),
    cause("买卖合同纠纷", 10.0, 60_000.0, 1.0, false),
    cause("金融借款合同纠纷", 7.0, 110_000.0, 1.0, false),
    cause("信用卡纠纷", 5.0, 22_000.0, 1.0, false),
    cause("离婚纠纷", 8.0, 80_000.0, 0.35, true),
    cause("机动车交通事故责任纠纷", 8.0, 60_000.0, 1.0, true),
    cause("物业服务合同纠纷", 5.0, 4_000.0, 1.0, false),
    cause("房屋租赁合同纠纷", 3.5, 30_000.0, 1.0, false),
    cause("建设工程施工合同纠纷", 3.5, 260_000.0, 1.0, false),
    cause("劳动争议", 3.0, 30_000.0, 0.9, true),
    cause("追索劳动报酬纠纷", 2.5, 18_000.0, 1.0, true),
    cause("劳务合同纠纷", 3.0, 25_000.0, 1.0, false),
    cause("提供劳务者受害责任纠纷", 2.0, 80_000.0, 1.0, true),
    cause("生命权、身体权、健康权纠纷", 2.0, 35_000.0, 1.0, true),
    cause("服务合同纠纷", 2.0, 20_000.0, 1.0, false),
    cause("承揽合同纠纷", 2.0, 50_000.0, 1.0, false),
    cause("房屋买卖合同纠纷", 1.8, 180_000.0, 0.9, false),
    cause("租赁合同纠纷", 1.5, 40_000.0, 1.0, false),
    cause("保险纠纷", 1.5, 45_000.0, 1.0, false),
    cause("法定继承纠纷", 1.2, 150_000.0, 0.5, true),
    cause("抚养纠纷", 1.0, 30_000.0, 0.6, true),
    cause("赡养纠纷", 0.8, 10_000.0, 0.6, true),
    cause("相邻关系纠纷", 0.8, 10_000.0, 0.4, true),
    cause("不当得利纠纷", 1.0, 30_000.0, 1.0, false),
    cause("小额借款合同纠纷", 1.5, 8_000.0, 1.0, false),
    cause("供用热力合同纠纷", 1.0, 3_000.0, 1.0, false),
    cause("股权转让纠纷", 0.5, 400_000.0, 1.0, false),
    cause("合伙合同纠纷", 0.5, 100_000.0, 1.0, false),
    cause("医疗损害责任纠纷", 0.5, 150_000.0, 1.0, true),
    cause("婚约财产纠纷", 0.5, 60_000.0, 1.0, true),
    cause("排除妨害纠纷", 0.5, 0.0, 0.0, true),
    cause("融资租赁合同纠纷", 0.6, 150_000.0, 1.0, false),
    cause("委托合同纠纷", 0.8, 50_000.0, 1.0, false),
    cause("侵权责任纠纷", 0.8, 30_000.0, 1.0, true),
    cause("商品房预售合同纠纷", 0.6, 150_000.0, 1.0, false),
    cause("农村土地承包合同纠纷", 0.5, 20_000.0, 0.7, true),
];

/// First-instance civil cases at intermediate and high courts: the largest ordinary disputes
/// (法发〔2021〕27号: from 100 or 500 million yuan up) and, whatever the amount, those the law or a
/// designation assigns them (company, securities, foreign-related and bankruptcy-derived suits,
/// 指定管辖). The medians mix both, and keep the enforcement amounts of the upper courts from
/// swamping the province's 执行到位金额 (nationally about 260,000 yuan per enforcement case).
pub(crate) const CIVIL_UPPER: &[Cause] = &[
    cause("金融借款合同纠纷", 10.0, 40_000_000.0, 1.0, false),
    cause("建设工程施工合同纠纷", 10.0, 50_000_000.0, 1.0, false),
    cause("买卖合同纠纷", 6.0, 30_000_000.0, 1.0, false),
    cause("合同纠纷", 6.0, 30_000_000.0, 1.0, false),
    cause("股权转让纠纷", 5.0, 60_000_000.0, 1.0, false),
    cause("民间借贷纠纷", 4.0, 30_000_000.0, 1.0, false),
    cause("融资租赁合同纠纷", 3.0, 30_000_000.0, 1.0, false),
    cause("票据纠纷", 2.0, 30_000_000.0, 1.0, false),
    cause("公司决议纠纷", 3.0, 0.0, 0.0, false),
    cause("股东资格确认纠纷", 2.0, 0.0, 0.0, false),
    cause("损害公司利益责任纠纷", 2.0, 10_000_000.0, 1.0, false),
    cause("证券虚假陈述责任纠纷", 3.0, 3_000_000.0, 1.0, false),
];

/// Maritime and maritime-commercial causes (青岛海事法院).
pub(crate) const CIVIL_MARITIME: &[Cause] = &[
    cause(
        "海上、通海水域货物运输合同纠纷",
        14.0,
        200_000.0,
        1.0,
        false,
    ),
    cause("船员劳务合同纠纷", 14.0, 60_000.0, 1.0, true),
    cause("海上、通海水域货运代理合同纠纷", 8.0, 150_000.0, 1.0, false),
    cause("船舶碰撞损害责任纠纷", 6.0, 800_000.0, 1.0, true),
    cause("海上、通海水域人身损害责任纠纷", 6.0, 300_000.0, 1.0, true),
    cause("海上保险合同纠纷", 6.0, 500_000.0, 1.0, false),
    cause("船舶修理合同纠纷", 5.0, 300_000.0, 1.0, false),
    cause("船舶买卖合同纠纷", 4.0, 1_500_000.0, 1.0, false),
    cause("船舶物料和备品供应合同纠纷", 4.0, 120_000.0, 1.0, false),
    cause("海上、通海水域养殖损害责任纠纷", 4.0, 400_000.0, 1.0, true),
    cause("航次租船合同纠纷", 3.0, 600_000.0, 1.0, false),
    cause("港口货物保管合同纠纷", 3.0, 250_000.0, 1.0, false),
    cause("船舶抵押合同纠纷", 2.0, 3_000_000.0, 1.0, false),
];

/// Civil cases of the railway transport courts.
pub(crate) const CIVIL_RAILWAY: &[Cause] = &[
    cause("铁路货物运输合同纠纷", 4.0, 150_000.0, 1.0, false),
    cause("铁路旅客运输合同纠纷", 3.0, 8_000.0, 1.0, false),
    cause("铁路运输人身损害责任纠纷", 3.0, 200_000.0, 1.0, true),
    cause("铁路运输财产损害责任纠纷", 2.0, 60_000.0, 1.0, true),
    cause("建设工程施工合同纠纷", 2.0, 1_500_000.0, 1.0, false),
];

pub(crate) const CRIMINAL_BASIC: &[(&str, f64)] = &[
    ("危险驾驶罪", 16.0),
    ("盗窃罪", 12.0),
    ("帮助信息网络犯罪活动罪", 10.0),
    ("诈骗罪", 9.0),
    ("故意伤害罪", 6.0),
    ("掩饰、隐瞒犯罪所得、犯罪所得收益罪", 5.0),
    ("交通肇事罪", 4.0),
    ("开设赌场罪", 4.0),
    ("寻衅滋事罪", 3.0),
    ("妨害公务罪", 2.0),
    ("信用卡诈骗罪", 2.0),
    ("走私、贩卖、运输、制造毒品罪", 2.0),
    ("拒不执行判决、裁定罪", 1.5),
    ("非法吸收公众存款罪", 1.5),
    ("侵犯公民个人信息罪", 1.0),
    ("拒不支付劳动报酬罪", 1.0),
    ("聚众斗殴罪", 1.0),
    ("组织、领导传销活动罪", 1.0),
    ("合同诈骗罪", 1.0),
    ("职务侵占罪", 1.0),
    ("非法经营罪", 1.0),
    ("赌博罪", 1.0),
    ("故意毁坏财物罪", 0.7),
    ("污染环境罪", 0.5),
    ("非法捕捞水产品罪", 0.5),
    ("抢劫罪", 0.5),
    ("强奸罪", 0.5),
    ("非法持有毒品罪", 0.5),
    ("容留他人吸毒罪", 0.5),
    ("失火罪", 0.3),
];

/// Crimes tried at first instance by intermediate courts (CrimPL art. 21: those that may carry
/// life imprisonment or death) and the large official-corruption cases assigned to them.
pub(crate) const CRIMINAL_UPPER: &[(&str, f64)] = &[
    ("故意杀人罪", 3.0),
    ("受贿罪", 3.0),
    ("走私、贩卖、运输、制造毒品罪", 3.0),
    ("故意伤害罪", 2.0),
    ("贪污罪", 1.5),
    ("抢劫罪", 1.5),
    ("组织、领导、参加黑社会性质组织罪", 1.0),
    ("集资诈骗罪", 1.0),
    ("强奸罪", 1.0),
    ("绑架罪", 0.5),
];

pub(crate) const CRIMINAL_RAILWAY: &[(&str, f64)] = &[
    ("盗窃罪", 4.0),
    ("诈骗罪", 3.0),
    ("帮助信息网络犯罪活动罪", 3.0),
    ("非法携带枪支、弹药、管制刀具、危险物品危及公共安全罪", 1.5),
    ("倒卖车票、船票罪", 1.0),
    ("走私、贩卖、运输、制造毒品罪", 1.0),
    ("破坏交通设施罪", 0.5),
];

pub(crate) const ADMINISTRATIVE: &[(&str, f64)] = &[
    ("行政处罚", 20.0),
    ("政府信息公开", 10.0),
    ("履行法定职责", 10.0),
    ("行政强制", 10.0),
    ("房屋征收补偿", 8.0),
    ("行政复议", 8.0),
    ("工伤认定", 6.0),
    ("行政登记", 5.0),
    ("行政协议", 5.0),
    ("行政确认", 4.0),
    ("行政赔偿", 3.0),
    ("行政许可", 3.0),
    ("社会保障行政管理", 3.0),
    ("行政裁决", 2.0),
];

/// 民特 at basic courts: mostly judicial confirmation of mediation agreements.
pub(crate) const SPECIAL_BASIC: &[(&str, f64)] = &[
    (CONFIRM_MEDIATION, 60.0),
    (REALISE_SECURITY, 15.0),
    ("申请认定公民无民事行为能力", 8.0),
    ("申请宣告公民失踪", 4.0),
    ("申请宣告公民死亡", 3.0),
    ("申请指定遗产管理人", 3.0),
    ("申请确认仲裁协议效力", 3.0),
    ("申请认定财产无主", 1.0),
];

/// 民特 at intermediate courts: judicial review of arbitration.
pub(crate) const SPECIAL_UPPER: &[(&str, f64)] = &[
    ("申请撤销仲裁裁决", 50.0),
    ("申请确认仲裁协议效力", 30.0),
    (REALISE_SECURITY, 10.0),
];

pub(crate) const CONFIRM_MEDIATION: &str = "申请司法确认调解协议";
pub(crate) const REALISE_SECURITY: &str = "申请实现担保物权";
pub(crate) const PAYMENT_ORDER: &str = "申请支付令";
pub(crate) const OBJECTIONS: &[(&str, f64)] = &[("执行行为异议", 60.0), ("案外人执行异议", 40.0)];
pub(crate) const ENFORCEMENT_REVIEW: &str = "执行复议";
pub(crate) const BANKRUPTCY_APPLICATIONS: &[(&str, f64)] =
    &[("申请破产清算", 80.0), ("申请破产重整", 20.0)];

/// The bankruptcy case opened on a granted application.
pub(crate) fn bankruptcy_cause(application: &str) -> &'static str {
    if application.ends_with("重整") {
        "破产重整"
    } else {
        "破产清算"
    }
}

pub(crate) fn civil_causes(kind: CourtKind) -> &'static [Cause] {
    match kind {
        CourtKind::Basic => CIVIL_BASIC,
        CourtKind::Maritime => CIVIL_MARITIME,
        CourtKind::RailwayBasic | CourtKind::RailwayIntermediate => CIVIL_RAILWAY,
        CourtKind::Intermediate | CourtKind::High => CIVIL_UPPER,
    }
}

pub(crate) fn criminal_causes(kind: CourtKind) -> &'static [(&'static str, f64)] {
    match kind {
        CourtKind::Basic => CRIMINAL_BASIC,
        CourtKind::RailwayBasic | CourtKind::RailwayIntermediate => CRIMINAL_RAILWAY,
        _ => CRIMINAL_UPPER,
    }
}

pub(crate) fn pick_name(rng: &mut SynthRng, items: &'static [(&'static str, f64)]) -> &'static str {
    pick(rng, items, |(_, w)| *w).0
}

/// What a division does; cases are routed to divisions by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Filing,
    Mediation,
    CivilFamily,
    CivilCommercial,
    /// 民四庭 of the high court: foreign-related and maritime appeals.
    CivilForeign,
    /// The single civil division of a railway court.
    Civil,
    Tribunal,
    MaritimeCommercial,
    MaritimeTort,
    Criminal,
    Administrative,
    Supervision,
    Enforcement,
    EnforcementAdjudication,
    Bankruptcy,
}

/// Division names and roles, with the relative number of judges each gets.
fn divisions_of(kind: CourtKind) -> &'static [(&'static str, Role, f64)] {
    use Role::*;
    match kind {
        CourtKind::Basic => &[
            ("立案庭", Filing, 0.8),
            ("诉前调解中心", Mediation, 0.8),
            ("民一庭", CivilFamily, 2.6),
            ("民二庭", CivilCommercial, 2.6),
            ("刑事审判庭", Criminal, 1.4),
            ("行政审判庭", Administrative, 0.5),
            ("执行局", Enforcement, 3.0),
            ("执行裁决庭", EnforcementAdjudication, 0.5),
        ],
        CourtKind::Intermediate => &[
            ("立案庭", Filing, 0.8),
            ("民一庭", CivilFamily, 2.0),
            ("民二庭", CivilCommercial, 2.0),
            ("刑一庭", Criminal, 1.0),
            ("刑二庭", Criminal, 1.0),
            ("行政审判庭", Administrative, 1.0),
            ("审判监督庭", Supervision, 1.0),
            ("执行局", Enforcement, 1.6),
            ("执行裁决庭", EnforcementAdjudication, 0.8),
            ("清算与破产审判庭", Bankruptcy, 0.6),
        ],
        CourtKind::High => &[
            ("立案庭", Filing, 0.8),
            ("民一庭", CivilFamily, 2.0),
            ("民二庭", CivilCommercial, 2.0),
            ("民四庭", CivilForeign, 1.0),
            ("刑一庭", Criminal, 1.0),
            ("刑二庭", Criminal, 1.0),
            ("行政审判庭", Administrative, 1.2),
            ("审判监督庭", Supervision, 1.6),
            ("执行局", Enforcement, 1.2),
        ],
        CourtKind::Maritime => &[
            ("立案庭", Filing, 0.8),
            ("海商审判庭", MaritimeCommercial, 2.0),
            ("海事审判庭", MaritimeTort, 1.6),
            ("执行局", Enforcement, 1.6),
        ],
        CourtKind::RailwayBasic | CourtKind::RailwayIntermediate => &[
            ("立案庭", Filing, 0.6),
            ("刑事审判庭", Criminal, 1.2),
            ("行政审判庭", Administrative, 1.6),
            ("民事审判庭", Civil, 1.0),
            ("执行局", Enforcement, 1.0),
        ],
    }
}

/// Township names for people's tribunals (人民法庭) of basic courts.
const TRIBUNAL_PLACES: &[&str] = &[
    "城关",
    "龙山",
    "城南",
    "城北",
    "东关",
    "西关",
    "开发区",
    "高新区",
    "新城",
    "王村",
    "马山",
    "柳林",
    "桃园",
    "杨庄",
    "石桥",
    "双山",
    "白云",
    "青龙",
    "凤凰",
    "金岭",
    "黄河",
    "明水",
    "埠村",
    "普集",
    "相公",
    "官庄",
    "刁镇",
    "白泉",
    "港沟",
    "仲宫",
    "柳埠",
    "唐王",
    "郭店",
    "孝里",
    "归德",
    "万德",
    "崮山",
    "张夏",
    "文祖",
    "大王",
    "稻庄",
    "花官",
    "辛店",
    "朱台",
];

/// Outposts of the maritime court (派出法庭).
const MARITIME_TRIBUNALS: &[&str] = &["烟台法庭", "威海法庭", "日照法庭", "东营法庭"];

/// Common surnames, weighted; 于, 曲, 宫, 丛 and 鞠 are common on the Jiaodong peninsula.
const SURNAMES: &[(&str, f64)] = &[
    ("王", 9.0),
    ("张", 8.0),
    ("李", 8.0),
    ("刘", 6.5),
    ("孙", 4.0),
    ("陈", 3.5),
    ("杨", 3.0),
    ("赵", 3.0),
    ("于", 2.5),
    ("徐", 2.2),
    ("马", 2.0),
    ("高", 2.0),
    ("周", 1.8),
    ("吴", 1.5),
    ("朱", 1.5),
    ("郭", 1.5),
    ("胡", 1.3),
    ("宋", 1.3),
    ("韩", 1.2),
    ("曹", 1.1),
    ("田", 1.1),
    ("董", 1.0),
    ("姜", 1.0),
    ("崔", 1.0),
    ("林", 0.9),
    ("何", 0.8),
    ("魏", 0.8),
    ("孔", 0.8),
    ("丁", 0.8),
    ("程", 0.7),
    ("许", 0.7),
    ("吕", 0.7),
    ("邢", 0.6),
    ("曲", 0.6),
    ("宫", 0.4),
    ("丛", 0.3),
    ("鞠", 0.3),
    ("隋", 0.3),
    ("袁", 0.6),
    ("冯", 0.6),
    ("毛", 0.5),
    ("杜", 0.6),
    ("石", 0.5),
    ("贾", 0.5),
    ("侯", 0.5),
    ("薛", 0.5),
    ("范", 0.5),
    ("尹", 0.4),
    ("秦", 0.4),
    ("蒋", 0.4),
    ("谢", 0.4),
    ("潘", 0.4),
    ("彭", 0.4),
    ("郑", 0.6),
    ("梁", 0.5),
    ("任", 0.5),
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "英", "华", "玉", "萍", "红", "建", "文", "辉", "鹏", "宇", "浩", "凯",
    "健", "俊", "帆", "旭", "宁", "婷", "雪", "琳", "晨", "欣", "怡", "佳", "倩", "颖", "璐", "斌",
    "波", "峰", "亮", "飞", "海", "鑫", "晓", "志", "国", "东", "成", "立", "新", "春", "梅", "兰",
    "云", "丹", "阳", "慧", "莉", "燕", "楠", "博", "振", "彬", "毅", "哲", "瑞", "昊", "蕊", "悦",
    "琪", "晶", "冰", "蕾", "荣", "庆", "德", "茂", "勤", "雯",
];

/// A division of a court with its judges (indices into the court's judge list).
#[derive(Debug, Clone)]
pub(crate) struct Division {
    pub name: String,
    pub role: Role,
    pub judges: Vec<u16>,
}

/// The divisions and judges of one court.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub divisions: Vec<Division>,
    pub judges: Vec<String>,
}

impl Staff {
    /// Divisions and 5-40 judges for a court expected to receive `yearly_cases` a year: about one
    /// judge (员额法官) per 100-120 cases, at least one per division.
    pub(crate) fn new(kind: CourtKind, yearly_cases: f64, rng: &mut SynthRng) -> Staff {
        let mut plan: Vec<(String, Role, f64)> = divisions_of(kind)
            .iter()
            .map(|(name, role, w)| ((*name).to_owned(), *role, *w))
            .collect();
        if kind == CourtKind::Basic {
            let count = 1 + (yearly_cases / 1500.0).min(2.0) as usize;
            let mut places: Vec<&str> = Vec::with_capacity(count);
            while places.len() < count {
                let place = TRIBUNAL_PLACES[rng.random_range(0..TRIBUNAL_PLACES.len())];
                if !places.contains(&place) {
                    places.push(place);
                }
            }
            for place in places {
                plan.push((format!("{place}人民法庭"), Role::Tribunal, 1.2));
            }
        } else if kind == CourtKind::Maritime {
            for place in &MARITIME_TRIBUNALS[..2] {
                plan.push(((*place).to_owned(), Role::Tribunal, 1.0));
            }
        }
        let total_weight: f64 = plan.iter().map(|(_, _, w)| w).sum();
        let wanted = (yearly_cases / 110.0).round().clamp(5.0, 40.0);
        let mut counts: Vec<usize> = plan
            .iter()
            .map(|(_, _, w)| ((wanted * w / total_weight).round() as usize).max(1))
            .collect();
        // Keep within 40 judges: trim the largest divisions.
        while counts.iter().sum::<usize>() > 40 {
            let largest = (0..counts.len())
                .max_by_key(|&i| (counts[i], usize::MAX - i))
                .unwrap();
            counts[largest] -= 1;
        }
        let mut taken = BTreeSet::new();
        let mut judges = Vec::new();
        let mut divisions = Vec::new();
        for ((name, role, _), count) in plan.into_iter().zip(counts) {
            let mut members = Vec::with_capacity(count);
            for _ in 0..count {
                let name = unique_name(rng, &mut taken);
                members.push(judges.len() as u16);
                judges.push(name);
            }
            divisions.push(Division {
                name,
                role,
                judges: members,
            });
        }
        Staff { divisions, judges }
    }

    /// The first division with one of `roles` (in order of preference).
    pub(crate) fn division(&self, roles: &[Role]) -> usize {
        roles
            .iter()
            .find_map(|role| self.divisions.iter().position(|d| d.role == *role))
            .unwrap_or(0)
    }

    /// Every division with `role`.
    pub(crate) fn all_with(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        self.divisions
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.role == role)
            .map(|(i, _)| i)
    }
}

/// A judge's name not yet used in the court: a common surname and one or two given-name
/// characters.
fn unique_name(rng: &mut SynthRng, taken: &mut BTreeSet<String>) -> String {
    loop {
        let surname = pick(rng, SURNAMES, |(_, w)| *w).0;
        let mut name = surname.to_owned();
        name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
        if rng.random::<f64>() < 0.65 {
            name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
        }
        if taken.insert(name.clone()) {
            return name;
        }
    }
}
