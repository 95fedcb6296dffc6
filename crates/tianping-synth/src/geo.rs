//! The synthetic province: Shandong (鲁), with its real prefectures, districts and courts.
//!
//! Shandong is used because it has every kind of court the case-number rules know below the
//! high court: 16 intermediate courts, 136 basic courts, a maritime court (鲁72 青岛海事法院) and a
//! railway transport intermediate court (鲁71 济南铁路运输中级法院) with two basic railway courts.
//! Court codes follow GB/T 2260: the intermediate court of area 3701 is 鲁01, the basic court of
//! area 370102 is 鲁0102 (SPC 案号规定, 2018 amendment). Names are written the way the courts write
//! them: 济南市历下区人民法院 for a district, 平阴县人民法院 for a county, 胶州市人民法院 for a
//! county-level city.

use tianping_domain::CourtLevel;

use crate::Scale;
use crate::random::{lognormal, stream};

/// The province's one-character short name, the high court's code.
pub(crate) const PROVINCE: &str = "鲁";
const HIGH_COURT_NAME: &str = "山东省高级人民法院";

/// What kind of court a court is; decides its case mix, divisions and causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CourtKind {
    High,
    Intermediate,
    Basic,
    RailwayIntermediate,
    RailwayBasic,
    Maritime,
}

impl CourtKind {
    /// Only basic courts may use the simple and small-claims procedures (CPL art. 160) and have
    /// people's tribunals (人民法庭).
    pub(crate) fn is_basic(self) -> bool {
        matches!(self, CourtKind::Basic | CourtKind::RailwayBasic)
    }
}

/// One court of the synthetic province.
#[derive(Debug, Clone)]
pub(crate) struct CourtSpec {
    pub code: String,
    pub name: String,
    pub level: CourtLevel,
    /// Index of the parent in the court list; `None` for the high court.
    pub parent: Option<usize>,
    pub kind: CourtKind,
    /// Relative yearly intake of cases that start at this court (not appeals from below).
    pub weight: f64,
    /// 0 for the high court, 1 for courts directly below it, 2 below those. Cases are generated
    /// deepest first so that appeals reach a court before it is generated.
    pub depth: u8,
}

/// A prefecture-level city: its two-digit area code, its name, and its county-level areas
/// (two-digit code, name).
struct City {
    code: &'static str,
    name: &'static str,
    areas: &'static [(&'static str, &'static str)],
}

/// GB/T 2260 codes of Shandong's 16 prefecture-level cities and 136 county-level areas (after
/// the 2019 merger of 莱芜 into 济南, code 3712 is no longer used).
const CITIES: [City; 16] = [
    City {
        code: "01",
        name: "济南",
        areas: &[
            ("02", "历下区"),
            ("03", "市中区"),
            ("04", "槐荫区"),
            ("05", "天桥区"),
            ("12", "历城区"),
            ("13", "长清区"),
            ("14", "章丘区"),
            ("15", "济阳区"),
            ("16", "莱芜区"),
            ("17", "钢城区"),
            ("24", "平阴县"),
            ("26", "商河县"),
        ],
    },
    City {
        code: "02",
        name: "青岛",
        areas: &[
            ("02", "市南区"),
            ("03", "市北区"),
            ("11", "黄岛区"),
            ("12", "崂山区"),
            ("13", "李沧区"),
            ("14", "城阳区"),
            ("15", "即墨区"),
            ("81", "胶州市"),
            ("83", "平度市"),
            ("85", "莱西市"),
        ],
    },
    City {
        code: "03",
        name: "淄博",
        areas: &[
            ("02", "淄川区"),
            ("03", "张店区"),
            ("04", "博山区"),
            ("05", "临淄区"),
            ("06", "周村区"),
            ("21", "桓台县"),
            ("22", "高青县"),
            ("23", "沂源县"),
        ],
    },
    City {
        code: "04",
        name: "枣庄",
        areas: &[
            ("02", "市中区"),
            ("03", "薛城区"),
            ("04", "峄城区"),
            ("05", "台儿庄区"),
            ("06", "山亭区"),
            ("81", "滕州市"),
        ],
    },
    City {
        code: "05",
        name: "东营",
        areas: &[
            ("02", "东营区"),
            ("03", "河口区"),
            ("05", "垦利区"),
            ("22", "利津县"),
            ("23", "广饶县"),
        ],
    },
    City {
        code: "06",
        name: "烟台",
        areas: &[
            ("02", "芝罘区"),
            ("11", "福山区"),
            ("12", "牟平区"),
            ("13", "莱山区"),
            ("14", "蓬莱区"),
            ("81", "龙口市"),
            ("82", "莱阳市"),
            ("83", "莱州市"),
            ("85", "招远市"),
            ("86", "栖霞市"),
            ("87", "海阳市"),
        ],
    },
    City {
        code: "07",
        name: "潍坊",
        areas: &[
            ("02", "潍城区"),
            ("03", "寒亭区"),
            ("04", "坊子区"),
            ("05", "奎文区"),
            ("24", "临朐县"),
            ("25", "昌乐县"),
            ("81", "青州市"),
            ("82", "诸城市"),
            ("83", "寿光市"),
            ("84", "安丘市"),
            ("85", "高密市"),
            ("86", "昌邑市"),
        ],
    },
    City {
        code: "08",
        name: "济宁",
        areas: &[
            ("11", "任城区"),
            ("12", "兖州区"),
            ("26", "微山县"),
            ("27", "鱼台县"),
            ("28", "金乡县"),
            ("29", "嘉祥县"),
            ("30", "汶上县"),
            ("31", "泗水县"),
            ("32", "梁山县"),
            ("81", "曲阜市"),
            ("83", "邹城市"),
        ],
    },
    City {
        code: "09",
        name: "泰安",
        areas: &[
            ("02", "泰山区"),
            ("11", "岱岳区"),
            ("21", "宁阳县"),
            ("23", "东平县"),
            ("82", "新泰市"),
            ("83", "肥城市"),
        ],
    },
    City {
        code: "10",
        name: "威海",
        areas: &[
            ("02", "环翠区"),
            ("03", "文登区"),
            ("82", "荣成市"),
            ("83", "乳山市"),
        ],
    },
    City {
        code: "11",
        name: "日照",
        areas: &[
            ("02", "东港区"),
            ("03", "岚山区"),
            ("21", "五莲县"),
            ("22", "莒县"),
        ],
    },
    City {
        code: "13",
        name: "临沂",
        areas: &[
            ("02", "兰山区"),
            ("11", "罗庄区"),
            ("12", "河东区"),
            ("21", "沂南县"),
            ("22", "郯城县"),
            ("23", "沂水县"),
            ("24", "兰陵县"),
            ("25", "费县"),
            ("26", "平邑县"),
            ("27", "莒南县"),
            ("28", "蒙阴县"),
            ("29", "临沭县"),
        ],
    },
    City {
        code: "14",
        name: "德州",
        areas: &[
            ("02", "德城区"),
            ("03", "陵城区"),
            ("22", "宁津县"),
            ("23", "庆云县"),
            ("24", "临邑县"),
            ("25", "齐河县"),
            ("26", "平原县"),
            ("27", "夏津县"),
            ("28", "武城县"),
            ("81", "乐陵市"),
            ("82", "禹城市"),
        ],
    },
    City {
        code: "15",
        name: "聊城",
        areas: &[
            ("02", "东昌府区"),
            ("03", "茌平区"),
            ("21", "阳谷县"),
            ("22", "莘县"),
            ("24", "东阿县"),
            ("25", "冠县"),
            ("26", "高唐县"),
            ("81", "临清市"),
        ],
    },
    City {
        code: "16",
        name: "滨州",
        areas: &[
            ("02", "滨城区"),
            ("03", "沾化区"),
            ("21", "惠民县"),
            ("22", "阳信县"),
            ("23", "无棣县"),
            ("25", "博兴县"),
            ("81", "邹平市"),
        ],
    },
    City {
        code: "17",
        name: "菏泽",
        areas: &[
            ("02", "牡丹区"),
            ("03", "定陶区"),
            ("21", "曹县"),
            ("22", "单县"),
            ("23", "成武县"),
            ("24", "巨野县"),
            ("25", "郓城县"),
            ("26", "鄄城县"),
            ("28", "东明县"),
        ],
    },
];

/// Small scale: three intermediate courts with four basic courts each, and the maritime court.
const SMALL_SELECTION: [(&str, [&str; 4]); 3] = [
    ("01", ["02", "03", "12", "14"]),
    ("05", ["02", "03", "05", "23"]),
    ("10", ["02", "03", "82", "83"]),
];

/// Relative intake of a basic court by the kind of area it serves: the urban districts of the
/// two large cities receive the most, counties the least (seed reports: a district court with
/// 16,742 new cases a year against a few thousand in rural counties).
fn area_weight(city_code: &str, area_code: &str, area_name: &str) -> f64 {
    let big_city = matches!(city_code, "01" | "02");
    let district = area_name.ends_with('区');
    let county_city = area_name.ends_with('市');
    match () {
        _ if district && big_city => 1.75,
        _ if district && area_code.as_bytes()[0] == b'0' => 1.25,
        _ if district => 1.05,
        _ if county_city => 1.3,
        _ => 0.85,
    }
}

/// The court name as the court writes it.
fn basic_court_name(city: &str, area: &str) -> String {
    if area.ends_with('区') {
        format!("{city}市{area}人民法院")
    } else {
        format!("{area}人民法院")
    }
}

/// The courts of the synthetic province, parents before children: the high court, then each
/// intermediate court followed by its basic courts, then the special courts.
pub(crate) fn build_courts(scale: Scale, seed: u64) -> Vec<CourtSpec> {
    let mut courts = vec![CourtSpec {
        code: PROVINCE.to_owned(),
        name: HIGH_COURT_NAME.to_owned(),
        level: CourtLevel::High,
        parent: None,
        kind: CourtKind::High,
        weight: 0.0,
        depth: 0,
    }];
    let mut jitter = stream(seed, 0, 0);
    for city in &CITIES {
        let areas: Vec<&(&str, &str)> = match scale {
            Scale::Province => city.areas.iter().collect(),
            Scale::Small => match SMALL_SELECTION.iter().find(|(c, _)| *c == city.code) {
                Some((_, picked)) => city
                    .areas
                    .iter()
                    .filter(|(code, _)| picked.contains(code))
                    .collect(),
                None => continue,
            },
        };
        let intermediate = courts.len();
        courts.push(CourtSpec {
            code: format!("{PROVINCE}{}", city.code),
            name: format!("{}市中级人民法院", city.name),
            level: CourtLevel::Intermediate,
            parent: Some(0),
            kind: CourtKind::Intermediate,
            weight: 0.0,
            depth: 1,
        });
        let mut children = 0.0;
        for (area_code, area_name) in areas {
            let weight =
                area_weight(city.code, area_code, area_name) * lognormal(&mut jitter, 1.0, 0.25);
            children += weight;
            courts.push(CourtSpec {
                code: format!("{PROVINCE}{}{area_code}", city.code),
                name: basic_court_name(city.name, area_name),
                level: CourtLevel::Basic,
                parent: Some(intermediate),
                kind: CourtKind::Basic,
                weight,
                depth: 2,
            });
        }
        // An intermediate court's own first-instance and enforcement intake is a few percent of
        // what its basic courts receive; its appeals come on top.
        courts[intermediate].weight = 0.05 * children;
    }
    let basic_total: f64 = courts.iter().map(|c| c.weight).sum();
    let basic_count = courts
        .iter()
        .filter(|c| c.kind == CourtKind::Basic)
        .count()
        .max(1);
    let mean_basic = basic_total / basic_count as f64;

    if scale == Scale::Province {
        // Special courts (SPC 案号规定: 71 railway transport, 72 maritime).
        let railway = courts.len();
        courts.push(CourtSpec {
            code: format!("{PROVINCE}71"),
            name: "济南铁路运输中级法院".to_owned(),
            level: CourtLevel::Special,
            parent: Some(0),
            kind: CourtKind::RailwayIntermediate,
            weight: 0.08 * mean_basic,
            depth: 1,
        });
        for (code, name) in [("01", "济南铁路运输法院"), ("02", "青岛铁路运输法院")]
        {
            courts.push(CourtSpec {
                code: format!("{PROVINCE}71{code}"),
                name: name.to_owned(),
                level: CourtLevel::Special,
                parent: Some(railway),
                kind: CourtKind::RailwayBasic,
                weight: 0.4 * mean_basic,
                depth: 2,
            });
        }
    }
    courts.push(CourtSpec {
        code: format!("{PROVINCE}72"),
        name: "青岛海事法院".to_owned(),
        level: CourtLevel::Special,
        parent: Some(0),
        kind: CourtKind::Maritime,
        weight: 0.7 * mean_basic,
        depth: 1,
    });
    // The high court's own intake (first instance of the largest cases, enforcement of its own
    // judgments) is small; most of its work is appeals and retrial reviews from below.
    courts[0].weight = 0.004 * basic_total;
    courts
}
