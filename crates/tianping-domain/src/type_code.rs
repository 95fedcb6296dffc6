//! Case type codes (类型代字) from 《人民法院案件类型及其代字标准》, compiled into the binary.
//!
//! The table is `data/case-types.csv`, a copy of the project specification's `case-types.csv`.
//! Each code carries its class (案件类别), its instance (审级) and its statutory time-limit rule.

use std::fmt;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::time_limit::LimitRule;

const TABLE: &str = include_str!("../data/case-types.csv");

/// The class (案件类别) a type code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseClass {
    Jurisdiction,
    Criminal,
    Civil,
    Administrative,
    Compensation,
    Interregional,
    International,
    Sanction,
    Preservation,
    Enforcement,
    Bankruptcy,
}

impl CaseClass {
    pub const ALL: [CaseClass; 11] = [
        CaseClass::Jurisdiction,
        CaseClass::Criminal,
        CaseClass::Civil,
        CaseClass::Administrative,
        CaseClass::Compensation,
        CaseClass::Interregional,
        CaseClass::International,
        CaseClass::Sanction,
        CaseClass::Preservation,
        CaseClass::Enforcement,
        CaseClass::Bankruptcy,
    ];

    /// The identifier used in JSON and in the CSV table (`civil`, `criminal`, …).
    pub fn id(self) -> &'static str {
        match self {
            CaseClass::Jurisdiction => "jurisdiction",
            CaseClass::Criminal => "criminal",
            CaseClass::Civil => "civil",
            CaseClass::Administrative => "administrative",
            CaseClass::Compensation => "compensation",
            CaseClass::Interregional => "interregional",
            CaseClass::International => "international",
            CaseClass::Sanction => "sanction",
            CaseClass::Preservation => "preservation",
            CaseClass::Enforcement => "enforcement",
            CaseClass::Bankruptcy => "bankruptcy",
        }
    }

    /// The Chinese name as the official table writes it.
    pub fn name_zh(self) -> &'static str {
        match self {
            CaseClass::Jurisdiction => "管辖",
            CaseClass::Criminal => "刑事",
            CaseClass::Civil => "民事",
            CaseClass::Administrative => "行政",
            CaseClass::Compensation => "国家赔偿与司法救助",
            CaseClass::Interregional => "区际司法协助",
            CaseClass::International => "国际司法协助",
            CaseClass::Sanction => "司法制裁",
            CaseClass::Preservation => "非诉保全审查",
            CaseClass::Enforcement => "执行",
            CaseClass::Bankruptcy => "强制清算与破产",
        }
    }

    pub fn from_id(id: &str) -> Option<CaseClass> {
        CaseClass::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// The instance or stage (审级/程序阶段) of a type code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Instance {
    First,
    Second,
    Supervision,
    Retrial,
    Review,
    Special,
    Other,
    PreLitigation,
    EnforcementFirst,
    EnforcementResumed,
    EnforcementPreservation,
    EnforcementReview,
}

impl Instance {
    pub const ALL: [Instance; 12] = [
        Instance::First,
        Instance::Second,
        Instance::Supervision,
        Instance::Retrial,
        Instance::Review,
        Instance::Special,
        Instance::Other,
        Instance::PreLitigation,
        Instance::EnforcementFirst,
        Instance::EnforcementResumed,
        Instance::EnforcementPreservation,
        Instance::EnforcementReview,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Instance::First => "first",
            Instance::Second => "second",
            Instance::Supervision => "supervision",
            Instance::Retrial => "retrial",
            Instance::Review => "review",
            Instance::Special => "special",
            Instance::Other => "other",
            Instance::PreLitigation => "pre_litigation",
            Instance::EnforcementFirst => "enforcement_first",
            Instance::EnforcementResumed => "enforcement_resumed",
            Instance::EnforcementPreservation => "enforcement_preservation",
            Instance::EnforcementReview => "enforcement_review",
        }
    }

    pub fn from_id(id: &str) -> Option<Instance> {
        Instance::ALL.into_iter().find(|i| i.id() == id)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Instance::First => "一审",
            Instance::Second => "二审",
            Instance::Supervision => "审判监督",
            Instance::Retrial => "再审",
            Instance::Review => "审查复核",
            Instance::Special => "特别程序及其他审查",
            Instance::Other => "其他",
            Instance::PreLitigation => "诉前调解",
            Instance::EnforcementFirst => "首次执行",
            Instance::EnforcementResumed => "恢复执行",
            Instance::EnforcementPreservation => "保全执行",
            Instance::EnforcementReview => "执行审查",
        }
    }
}

/// One row of the official type-code table.
#[derive(Debug, PartialEq, Eq)]
pub struct TypeCodeInfo {
    pub code: String,
    pub class: CaseClass,
    pub instance: Instance,
    pub meaning_zh: String,
    /// `None`: no time limit; such cases stay out of every time-limit indicator.
    pub time_limit_rule: Option<LimitRule>,
}

struct Table {
    rows: Vec<TypeCodeInfo>,
    /// FxHash: every case number looks up its code, and the keys are the table's own.
    by_code: FxHashMap<String, usize>,
    /// In characters.
    longest: usize,
}

static TYPE_TABLE: LazyLock<Table> = LazyLock::new(|| {
    let rows: Vec<TypeCodeInfo> = TABLE
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| parse_row(line).unwrap_or_else(|e| panic!("case-types.csv: {e}: {line}")))
        .collect();
    // `longest_prefix` relies on this.
    assert!(
        rows.iter()
            .all(|r| !r.code.contains(|c: char| c.is_ascii())),
        "case-types.csv: a type code holds an ASCII character"
    );
    let by_code = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.clone(), i))
        .collect();
    let longest = rows
        .iter()
        .map(|r| r.code.chars().count())
        .max()
        .unwrap_or(0);
    Table {
        rows,
        by_code,
        longest,
    }
});

fn parse_row(line: &str) -> Result<TypeCodeInfo, String> {
    let fields: Vec<&str> = line.split(',').collect();
    let [code, class, _class_zh, instance, meaning_zh, rule] = fields[..] else {
        return Err(format!("expected 6 fields, found {}", fields.len()));
    };
    Ok(TypeCodeInfo {
        code: code.to_owned(),
        class: CaseClass::from_id(class).ok_or_else(|| format!("unknown class {class}"))?,
        instance: Instance::from_id(instance)
            .ok_or_else(|| format!("unknown instance {instance}"))?,
        meaning_zh: meaning_zh.to_owned(),
        time_limit_rule: match rule.trim() {
            "" => None,
            id => Some(LimitRule::from_id(id).ok_or_else(|| format!("unknown rule {id}"))?),
        },
    })
}

/// A type code from the official table. Cheap to copy; it cannot hold a code the table lacks.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeCode(u16);

impl TypeCode {
    /// Look up an exact code such as `民初` or `诉前调确`.
    pub fn lookup(code: &str) -> Option<TypeCode> {
        TYPE_TABLE.by_code.get(code).map(|&i| TypeCode(i as u16))
    }

    /// The longest type code at the start of `text`, with its length in bytes.
    /// Longest match matters: `民初` must not stop at a shorter prefix, `执恢` not at `执`.
    /// No code holds an ASCII character, so the candidates end before the first one (in a case
    /// number, the sequence number's digits).
    pub fn longest_prefix(text: &str) -> Option<(TypeCode, usize)> {
        let mut ends = [0usize; 8];
        let mut count = 0;
        for (i, c) in text.char_indices().take(TYPE_TABLE.longest.min(ends.len())) {
            if c.is_ascii() {
                break;
            }
            ends[count] = i + c.len_utf8();
            count += 1;
        }
        ends[..count]
            .iter()
            .rev()
            .find_map(|&end| TypeCode::lookup(&text[..end]).map(|code| (code, end)))
    }

    /// Every code of the table, in table order.
    pub fn all() -> impl Iterator<Item = TypeCode> {
        (0..TYPE_TABLE.rows.len()).map(|i| TypeCode(i as u16))
    }

    pub fn info(self) -> &'static TypeCodeInfo {
        &TYPE_TABLE.rows[self.0 as usize]
    }

    pub fn as_str(self) -> &'static str {
        &self.info().code
    }

    pub fn class(self) -> CaseClass {
        self.info().class
    }

    pub fn instance(self) -> Instance {
        self.info().instance
    }

    pub fn time_limit_rule(self) -> Option<LimitRule> {
        self.info().time_limit_rule
    }

    /// Whether cases of this code belong to the case sets of the indicators (indicators.md,
    /// "Case sets"). A pre-litigation mediation (民诉前调) is not a lawsuit: courts report it
    /// apart, as 诉前调解, and it keeps only its deadline in the deadline lists.
    pub fn in_indicator_case_sets(self) -> bool {
        self.time_limit_rule() != Some(LimitRule::PreLitigationMediation)
    }

    /// The table's dense index of this code (0..number of codes), for columnar storage.
    pub fn index(self) -> u16 {
        self.0
    }

    pub fn from_index(index: u16) -> Option<TypeCode> {
        ((index as usize) < TYPE_TABLE.rows.len()).then_some(TypeCode(index))
    }
}

impl fmt::Debug for TypeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TypeCode({})", self.as_str())
    }
}

impl fmt::Display for TypeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TypeCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TypeCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TypeCode::lookup(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown type code {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_official_table_is_compiled_in() {
        let data_rows = TABLE
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(TypeCode::all().count(), data_rows);
        for line in TABLE.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let code = line.split(',').next().unwrap();
            let tc = TypeCode::lookup(code).unwrap();
            assert_eq!(tc.as_str(), code);
            assert!(line.contains(tc.class().name_zh()), "{line}");
        }
    }

    #[test]
    fn the_table_matches_the_specification_copy() {
        // The spec's table is the source; the crate's copy must not drift from it.
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/domain/case-types.csv");
        if let Ok(text) = std::fs::read_to_string(spec) {
            assert_eq!(text.trim(), TABLE.trim());
        }
    }

    #[test]
    fn only_pre_litigation_mediation_stays_out_of_the_indicator_case_sets() {
        let outside: Vec<&str> = TypeCode::all()
            .filter(|t| !t.in_indicator_case_sets())
            .map(|t| t.as_str())
            .collect();
        assert_eq!(outside, ["民诉前调"]);
    }

    #[test]
    fn codes_carry_class_instance_and_rule() {
        let c = TypeCode::lookup("民初").unwrap();
        assert_eq!(
            (c.class(), c.instance()),
            (CaseClass::Civil, Instance::First)
        );
        assert_eq!(c.time_limit_rule(), Some(LimitRule::CivilFirst));
        let e = TypeCode::lookup("执恢").unwrap();
        assert_eq!(e.instance(), Instance::EnforcementResumed);
        assert_eq!(e.time_limit_rule(), Some(LimitRule::Enforcement));
        assert_eq!(TypeCode::lookup("刑核").unwrap().time_limit_rule(), None);
        assert_eq!(
            TypeCode::lookup("民诉前调").unwrap().time_limit_rule(),
            Some(LimitRule::PreLitigationMediation)
        );
        assert_eq!(
            TypeCode::lookup("民破").unwrap().class(),
            CaseClass::Bankruptcy
        );
    }

    #[test]
    fn longest_prefix_prefers_the_longest_code() {
        assert_eq!(
            TypeCode::longest_prefix("执恢12号").unwrap().0.as_str(),
            "执恢"
        );
        assert_eq!(TypeCode::longest_prefix("执12号").unwrap().0.as_str(), "执");
        assert_eq!(
            TypeCode::longest_prefix("诉前调确5号").unwrap().0.as_str(),
            "诉前调确"
        );
        assert_eq!(
            TypeCode::longest_prefix("刑医解3号").unwrap().0.as_str(),
            "刑医解"
        );
        assert_eq!(
            TypeCode::longest_prefix("民辖终3号").unwrap().0.as_str(),
            "民辖终"
        );
        assert!(TypeCode::longest_prefix("民x3号").is_none());
    }

    #[test]
    fn index_round_trips() {
        for tc in TypeCode::all() {
            assert_eq!(TypeCode::from_index(tc.index()), Some(tc));
        }
        assert_eq!(TypeCode::from_index(9999), None);
    }
}
