//! Court codes (法院代字) and the court hierarchy.
//!
//! Rules: SPC 《关于人民法院案件案号的若干规定》 (2015, amended 2018). The Supreme People's Court is
//! `最高法`; a high court is its province's one-character short name; an intermediate court adds two
//! digits, a basic court four, taken from the GB/T 2260 area code. Two-digit codes 71-95 are
//! special courts (71 railway, 72 maritime, 73 IP, 74 financial/oilfield, 75-80 forestry,
//! 81-85 reclamation, 87-95 cross-region); 96-99 are county-area intermediate courts.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::record::CourtRecord;
use thiserror::Error;

/// The Supreme People's Court's code.
pub const SUPREME: &str = "最高法";

/// Province short names used as high-court codes, with the province's name.
/// Note 内 (not 蒙), 云 (not 滇), 黔 (not 贵); 军 the PLA Military Court, 兵 the XPCC branch.
pub const PROVINCES: [(char, &str); 33] = [
    ('京', "北京市"),
    ('津', "天津市"),
    ('冀', "河北省"),
    ('晋', "山西省"),
    ('内', "内蒙古自治区"),
    ('辽', "辽宁省"),
    ('吉', "吉林省"),
    ('黑', "黑龙江省"),
    ('沪', "上海市"),
    ('苏', "江苏省"),
    ('浙', "浙江省"),
    ('皖', "安徽省"),
    ('闽', "福建省"),
    ('赣', "江西省"),
    ('鲁', "山东省"),
    ('豫', "河南省"),
    ('鄂', "湖北省"),
    ('湘', "湖南省"),
    ('粤', "广东省"),
    ('桂', "广西壮族自治区"),
    ('琼', "海南省"),
    ('渝', "重庆市"),
    ('川', "四川省"),
    ('黔', "贵州省"),
    ('云', "云南省"),
    ('藏', "西藏自治区"),
    ('陕', "陕西省"),
    ('甘', "甘肃省"),
    ('青', "青海省"),
    ('宁', "宁夏回族自治区"),
    ('新', "新疆维吾尔自治区"),
    ('军', "中国人民解放军军事法院"),
    ('兵', "新疆生产建设兵团分院"),
];

/// Common wrong short names and what the case-number rules use instead.
const WRONG_PROVINCE_NAMES: [(char, char); 4] =
    [('蒙', '内'), ('滇', '云'), ('贵', '黔'), ('秦', '陕')];

pub fn is_province(c: char) -> bool {
    PROVINCES.iter().any(|&(p, _)| p == c)
}

/// The level (层级) of a court.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourtLevel {
    Supreme,
    High,
    Intermediate,
    Basic,
    Special,
}

impl CourtLevel {
    pub fn id(self) -> &'static str {
        match self {
            CourtLevel::Supreme => "supreme",
            CourtLevel::High => "high",
            CourtLevel::Intermediate => "intermediate",
            CourtLevel::Basic => "basic",
            CourtLevel::Special => "special",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CourtLevel::Supreme => "最高",
            CourtLevel::High => "高级",
            CourtLevel::Intermediate => "中级",
            CourtLevel::Basic => "基层",
            CourtLevel::Special => "专门",
        }
    }

    /// Accepts the Chinese names of the exchange format and the English ids.
    pub fn parse(text: &str) -> Option<CourtLevel> {
        Some(match text.trim() {
            "最高" | "最高法院" | "supreme" => CourtLevel::Supreme,
            "高级" | "高院" | "high" => CourtLevel::High,
            "中级" | "中院" | "intermediate" => CourtLevel::Intermediate,
            "基层" | "basic" => CourtLevel::Basic,
            "专门" | "special" => CourtLevel::Special,
            _ => return None,
        })
    }
}

/// What is wrong with a court code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CourtCodeError {
    #[error("court code is empty")]
    Empty,
    #[error("court code: unknown province short name '{0}'")]
    UnknownProvince(char),
    #[error("court code: '{wrong}' is not a court code; the case-number rules write '{right}'")]
    WrongProvinceName { wrong: char, right: char },
    #[error("court code: '{0}' must be a province name followed by 2 or 4 digits")]
    BadDigits(String),
    #[error("court code: '{0}' has a 00 part, which no court uses")]
    ZeroPart(String),
}

/// A validated court code: `最高法`, `鲁`, `鲁01`, `鲁0102`, `鲁72`, `陕7102`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CourtCode(String);

impl CourtCode {
    pub fn parse(text: &str) -> Result<CourtCode, CourtCodeError> {
        let text = text.trim();
        if text == SUPREME {
            return Ok(CourtCode(SUPREME.to_owned()));
        }
        let mut chars = text.chars();
        let first = chars.next().ok_or(CourtCodeError::Empty)?;
        if !is_province(first) {
            if let Some(&(wrong, right)) = WRONG_PROVINCE_NAMES.iter().find(|(w, _)| *w == first) {
                return Err(CourtCodeError::WrongProvinceName { wrong, right });
            }
            return Err(CourtCodeError::UnknownProvince(first));
        }
        let digits: String = chars.collect();
        if !(digits.is_empty() || digits.len() == 2 || digits.len() == 4)
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(CourtCodeError::BadDigits(text.to_owned()));
        }
        if digits.as_bytes().chunks(2).any(|pair| pair == b"00") {
            return Err(CourtCodeError::ZeroPart(text.to_owned()));
        }
        Ok(CourtCode(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_supreme(&self) -> bool {
        self.0 == SUPREME
    }

    /// The province character, `None` for the Supreme People's Court.
    pub fn province(&self) -> Option<char> {
        (!self.is_supreme()).then(|| self.0.chars().next().unwrap())
    }

    fn digits(&self) -> &str {
        match self.province() {
            Some(p) => &self.0[p.len_utf8()..],
            None => "",
        }
    }

    /// The level the code itself implies; a court table may say otherwise.
    pub fn derived_level(&self) -> CourtLevel {
        if self.is_supreme() {
            return CourtLevel::Supreme;
        }
        let digits = self.digits();
        let district: u32 = digits.get(..2).and_then(|d| d.parse().ok()).unwrap_or(0);
        let special = (71..=95).contains(&district);
        match digits.len() {
            0 => CourtLevel::High,
            _ if special => CourtLevel::Special,
            2 => CourtLevel::Intermediate,
            _ => CourtLevel::Basic,
        }
    }

    /// The parent the code itself implies: 鲁0102 → 鲁01 → 鲁 → 最高法; 鲁72 → 鲁; 陕7102 → 陕71.
    pub fn derived_parent(&self) -> Option<CourtCode> {
        let province = self.province()?;
        let digits = self.digits();
        Some(match digits.len() {
            0 => CourtCode(SUPREME.to_owned()),
            2 => CourtCode(province.to_string()),
            _ => CourtCode(format!("{province}{}", &digits[..2])),
        })
    }
}

impl fmt::Display for CourtCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CourtCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CourtCode({})", self.0)
    }
}

impl FromStr for CourtCode {
    type Err = CourtCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CourtCode::parse(s)
    }
}

impl Serialize for CourtCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CourtCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CourtCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The known courts (法院表), keyed by code. Codes are Chinese court codes or, for foreign
/// layouts, establishment codes. Where the table names a parent it overrides the parent derived
/// from a Chinese code; a court the table lists without a parent is a top court.
#[derive(Debug, Clone, Default)]
pub struct CourtTable {
    courts: BTreeMap<String, CourtRecord>,
}

impl CourtTable {
    pub fn new() -> CourtTable {
        CourtTable::default()
    }

    pub fn from_records(records: impl IntoIterator<Item = CourtRecord>) -> CourtTable {
        let mut table = CourtTable::new();
        for record in records {
            table.insert(record);
        }
        table
    }

    pub fn insert(&mut self, court: CourtRecord) {
        self.courts.insert(court.code.clone(), court);
    }

    pub fn get(&self, code: &str) -> Option<&CourtRecord> {
        self.courts.get(code)
    }

    pub fn len(&self) -> usize {
        self.courts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.courts.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &CourtRecord> {
        self.courts.values()
    }

    /// The parent of a court: the table's when the table knows the court, else the one derived
    /// from a Chinese court code; `None` for a top court or an unknown foreign code.
    pub fn parent_of(&self, code: &str) -> Option<String> {
        match self.courts.get(code) {
            Some(court) => court.parent_code.clone(),
            None => CourtCode::parse(code).ok()?.derived_parent().map(|c| c.0),
        }
    }

    /// The table's level, else the level the code implies (basic for unknown foreign codes).
    pub fn level_of(&self, code: &str) -> CourtLevel {
        match self.courts.get(code) {
            Some(court) => court.level,
            None => CourtCode::parse(code).map_or(CourtLevel::Basic, |c| c.derived_level()),
        }
    }

    /// The table's name, else the code itself.
    pub fn name_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.courts.get(code).map_or(code, |c| c.name.as_str())
    }

    /// The court and its ancestors, nearest first. Stops on a cycle in a bad table.
    pub fn ancestors(&self, code: &str) -> Vec<String> {
        let mut chain = vec![code.to_owned()];
        while let Some(parent) = self.parent_of(chain.last().unwrap()) {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
        }
        chain
    }

    /// Whether `code` is `scope` or any court below it.
    pub fn is_within(&self, code: &str, scope: &str) -> bool {
        code == scope || self.ancestors(code).iter().any(|c| c == scope)
    }

    /// The courts directly below `code` that the table knows, in code order.
    pub fn children(&self, code: &str) -> Vec<&CourtRecord> {
        self.courts
            .values()
            .filter(|c| self.parent_of(&c.code).as_deref() == Some(code))
            .collect()
    }

    /// For each court the table knows and each of their ancestors, the known courts it
    /// contains (itself included).
    pub fn descendants_index(&self) -> HashMap<String, Vec<String>> {
        let mut index: HashMap<String, Vec<String>> = HashMap::new();
        for court in self.courts.values() {
            for ancestor in self.ancestors(&court.code) {
                index.entry(ancestor).or_default().push(court.code.clone());
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> CourtCode {
        CourtCode::parse(s).unwrap()
    }

    #[test]
    fn derives_the_parent_from_the_code() {
        assert_eq!(code("鲁0102").derived_parent(), Some(code("鲁01")));
        assert_eq!(code("鲁01").derived_parent(), Some(code("鲁")));
        assert_eq!(code("鲁72").derived_parent(), Some(code("鲁")));
        assert_eq!(code("陕7102").derived_parent(), Some(code("陕71")));
        assert_eq!(code("鲁").derived_parent(), Some(code("最高法")));
        assert_eq!(code("最高法").derived_parent(), None);
    }

    #[test]
    fn derives_the_level_from_the_code() {
        assert_eq!(code("最高法").derived_level(), CourtLevel::Supreme);
        assert_eq!(code("鲁").derived_level(), CourtLevel::High);
        assert_eq!(code("鲁01").derived_level(), CourtLevel::Intermediate);
        assert_eq!(code("鲁0102").derived_level(), CourtLevel::Basic);
        assert_eq!(code("鲁72").derived_level(), CourtLevel::Special);
        assert_eq!(code("陕7102").derived_level(), CourtLevel::Special);
        assert_eq!(code("新96").derived_level(), CourtLevel::Intermediate);
        assert_eq!(code("京0491").derived_level(), CourtLevel::Basic);
    }

    #[test]
    fn refuses_malformed_codes_with_the_reason() {
        assert_eq!(CourtCode::parse(""), Err(CourtCodeError::Empty));
        assert_eq!(
            CourtCode::parse("X01"),
            Err(CourtCodeError::UnknownProvince('X'))
        );
        assert_eq!(
            CourtCode::parse("蒙01"),
            Err(CourtCodeError::WrongProvinceName {
                wrong: '蒙',
                right: '内'
            })
        );
        assert!(matches!(
            CourtCode::parse("鲁012"),
            Err(CourtCodeError::BadDigits(_))
        ));
        assert!(matches!(
            CourtCode::parse("鲁0a"),
            Err(CourtCodeError::BadDigits(_))
        ));
        assert!(matches!(
            CourtCode::parse("鲁0100"),
            Err(CourtCodeError::ZeroPart(_))
        ));
        assert!(CourtCode::parse(" 鲁0102 ").is_ok());
    }

    #[test]
    fn a_court_table_overrides_the_derived_parent() {
        let mut table = CourtTable::new();
        // 京0491 (Beijing Internet Court) hangs under 京04 by its code; a table may place it elsewhere.
        table.insert(CourtRecord {
            code: "京0491".into(),
            name: "北京互联网法院".into(),
            level: CourtLevel::Basic,
            parent_code: Some("京".into()),
        });
        assert_eq!(table.parent_of("京0491").as_deref(), Some("京"));
        assert_eq!(table.parent_of("京0101").as_deref(), Some("京01"));
        assert!(table.is_within("京0491", "京"));
        assert!(!table.is_within("京0491", "京04"));
        assert_eq!(table.name_of("京0491"), "北京互联网法院");
        assert_eq!(table.name_of("京0101"), "京0101");
    }

    #[test]
    fn scope_contains_the_court_itself_and_everything_below() {
        let table = CourtTable::new();
        assert!(table.is_within("皖0202", "皖02"));
        assert!(table.is_within("皖0202", "皖"));
        assert!(table.is_within("皖0202", "皖0202"));
        assert!(!table.is_within("皖0102", "皖0202"));
        assert!(!table.is_within("皖", "皖0202"));
        assert_eq!(table.ancestors("皖0202").len(), 4);
        // A foreign establishment code the table does not know has no parent.
        assert_eq!(table.ancestors("HRGR01"), vec!["HRGR01".to_owned()]);
    }

    #[test]
    fn a_cyclic_table_does_not_loop() {
        let mut table = CourtTable::new();
        for (c, p) in [("鲁01", "鲁02"), ("鲁02", "鲁01")] {
            table.insert(CourtRecord {
                code: c.into(),
                name: c.into(),
                level: CourtLevel::Intermediate,
                parent_code: Some(p.into()),
            });
        }
        assert_eq!(table.ancestors("鲁01").len(), 2);
    }
}
