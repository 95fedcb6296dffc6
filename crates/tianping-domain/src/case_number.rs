//! Case numbers (案号): `（` year `）` court code [知] type code sequence `号` [之N].
//!
//! Rules: SPC 《关于人民法院案件案号的若干规定》 (法〔2015〕137号, in force 2016-01-01) and its 2018
//! amendment (法〔2018〕335号). Brackets may be full-width （）, half-width () or 〔〕; the normalized
//! form uses full-width （）. Surrounding white space is ignored; full-width digits are read as
//! digits. Anything else that does not fit is refused, and the error names the wrong part.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

use crate::court::{CourtCode, CourtCodeError, SUPREME};
use crate::type_code::TypeCode;

/// The specialised-trial code (专门审判代字, since 2019) for intellectual-property cases.
pub const IP_SPECIAL_CODE: char = '知';

/// The part of a case number an error is about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseNumberPart {
    Year,
    Brackets,
    CourtCode,
    TypeCode,
    Sequence,
    /// The closing `号`.
    Hao,
    Suffix,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaseNumberError {
    #[error("empty case number")]
    Empty,
    #[error("missing year brackets")]
    MissingYearBrackets,
    #[error("missing closing bracket after the year")]
    MissingClosingBracket,
    #[error("year must be four digits, found '{0}'")]
    BadYear(String),
    #[error("year {0} is out of range (1949-2099)")]
    YearOutOfRange(u32),
    #[error("{0}")]
    CourtCode(#[from] CourtCodeError),
    #[error("court code missing after the year")]
    MissingCourtCode,
    #[error("unknown type code at '{0}'")]
    UnknownTypeCode(String),
    #[error("type code missing after the court code")]
    MissingTypeCode,
    #[error("sequence number missing before 号")]
    MissingSequence,
    #[error("sequence number must be a positive integer, found '{0}'")]
    BadSequence(String),
    #[error("missing 号 after the sequence number")]
    MissingHao,
    #[error("unexpected text after 号: '{0}' (only 之一, 之二… may follow)")]
    BadSuffix(String),
    #[error(
        "legacy case number written before 2016 ('{0}'): accepted as an identifier only, it carries no parsed fields"
    )]
    Legacy(String),
}

impl CaseNumberError {
    /// Which part of the number is wrong.
    pub fn part(&self) -> Option<CaseNumberPart> {
        use CaseNumberError::*;
        Some(match self {
            Empty | Legacy(_) => return None,
            MissingYearBrackets | MissingClosingBracket => CaseNumberPart::Brackets,
            BadYear(_) | YearOutOfRange(_) => CaseNumberPart::Year,
            CourtCode(_) | MissingCourtCode => CaseNumberPart::CourtCode,
            UnknownTypeCode(_) | MissingTypeCode => CaseNumberPart::TypeCode,
            MissingSequence | BadSequence(_) => CaseNumberPart::Sequence,
            MissingHao => CaseNumberPart::Hao,
            BadSuffix(_) => CaseNumberPart::Suffix,
        })
    }

    /// The reason in Chinese, as the import messages (read by court staff) give it:
    /// `缺少年份括号`. The English `Display` stays as it is: `case-number parse --format json`
    /// prints it as `"error"` (a documented contract).
    pub fn zh(&self) -> String {
        use CaseNumberError::*;
        match self {
            Empty => "案号为空".to_owned(),
            MissingYearBrackets => "缺少年份括号".to_owned(),
            MissingClosingBracket => "年份后缺少右括号".to_owned(),
            BadYear(found) => format!("年份应为四位数字，此处为“{found}”"),
            YearOutOfRange(year) => format!("年份 {year} 超出范围（应在 1949 至 2099 之间）"),
            CourtCode(e) => e.zh(),
            MissingCourtCode => "年份后缺少法院代字".to_owned(),
            UnknownTypeCode(at) => format!("类型代字无法识别：“{at}”"),
            MissingTypeCode => "法院代字后缺少类型代字".to_owned(),
            MissingSequence => "“号”字前缺少序号".to_owned(),
            BadSequence(found) => format!("序号应为正整数，此处为“{found}”"),
            MissingHao => "序号后缺少“号”字".to_owned(),
            BadSuffix(rest) => {
                format!("“号”字后有多余的文字“{rest}”（其后只能接 之一、之二 等）")
            }
            Legacy(text) => {
                format!("“{text}”是 2016 年以前的旧式案号，只能作为标识，不含法院代字和类型代字")
            }
        }
    }
}

// Kept here, beside `CaseNumberError::zh`, which writes a case number's court part with it.
impl CourtCodeError {
    /// The reason in Chinese, as the import messages give it; `Display` stays English (it is
    /// part of `CaseNumberError`'s, and so of the `case-number parse` JSON).
    pub fn zh(&self) -> String {
        match self {
            CourtCodeError::Empty => "法院代字为空".to_owned(),
            CourtCodeError::UnknownProvince(c) => {
                format!("法院代字无法识别：“{c}”不是省级行政区的简称")
            }
            CourtCodeError::WrongProvinceName { wrong, right } => {
                format!("法院代字有误：案号规定写作“{right}”，不写“{wrong}”")
            }
            CourtCodeError::BadDigits(code) => {
                format!("法院代字“{code}”有误：应为省级简称后接 2 位或 4 位数字")
            }
            CourtCodeError::ZeroPart(code) => {
                format!("法院代字“{code}”有误：含“00”，没有法院使用这样的代字")
            }
        }
    }
}

/// A parsed, valid case number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseNumber {
    pub year: u16,
    pub court: CourtCode,
    /// `Some('知')` for the 2019 specialised-trial code.
    pub special_code: Option<char>,
    pub type_code: TypeCode,
    pub seq: u32,
    /// `之一`, `之二`…: a later ruling in the same case.
    pub suffix: Option<String>,
}

const OPENING: [char; 4] = ['（', '(', '〔', '['];
const CLOSING: [char; 4] = ['）', ')', '〕', ']'];
const CHINESE_NUMERALS: &str = "一二三四五六七八九十百零〇";

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}'
}

/// Full-width digits (０-９) to ASCII; everything else unchanged.
fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            other => other,
        })
        .collect()
}

impl CaseNumber {
    pub fn parse(input: &str) -> Result<CaseNumber, CaseNumberError> {
        let text = ascii_digits(input.trim_matches(is_space));
        let text = text.as_str();
        if text.is_empty() {
            return Err(CaseNumberError::Empty);
        }
        if text.contains("字第") {
            return Err(CaseNumberError::Legacy(text.to_owned()));
        }

        // Year in brackets.
        let mut rest = match text.chars().next() {
            Some(c) if OPENING.contains(&c) => &text[c.len_utf8()..],
            _ => return Err(CaseNumberError::MissingYearBrackets),
        };
        let year_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let year_text = &rest[..year_len];
        rest = &rest[year_len..];
        match rest.chars().next() {
            Some(c) if CLOSING.contains(&c) => {
                if year_text.len() != 4 {
                    return Err(CaseNumberError::BadYear(year_text.to_owned()));
                }
                rest = &rest[c.len_utf8()..];
            }
            _ if year_text.len() != 4 => {
                let shown: String = rest.chars().take_while(|c| !CLOSING.contains(c)).collect();
                return Err(CaseNumberError::BadYear(format!("{year_text}{shown}")));
            }
            _ => return Err(CaseNumberError::MissingClosingBracket),
        }
        let year: u32 = year_text.parse().unwrap();
        if !(1949..=2099).contains(&year) {
            return Err(CaseNumberError::YearOutOfRange(year));
        }
        let rest = rest.trim_start_matches(is_space);

        // Court code: 最高法, or a province name and its digits.
        let (court, rest) = if let Some(after) = rest.strip_prefix(SUPREME) {
            (CourtCode::parse(SUPREME)?, after)
        } else {
            let first = rest
                .chars()
                .next()
                .ok_or(CaseNumberError::MissingCourtCode)?;
            if first.is_ascii_digit() {
                return Err(CaseNumberError::MissingCourtCode);
            }
            let digits_start = first.len_utf8();
            let digits_len = rest[digits_start..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len() - digits_start);
            let end = digits_start + digits_len;
            (CourtCode::parse(&rest[..end])?, &rest[end..])
        };

        // Optional specialised-trial code, then the longest type code.
        let (special_code, rest) = match rest.strip_prefix(IP_SPECIAL_CODE) {
            Some(after) => (Some(IP_SPECIAL_CODE), after),
            None => (None, rest),
        };
        if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(CaseNumberError::MissingTypeCode);
        }
        let Some((type_code, len)) = TypeCode::longest_prefix(rest) else {
            let shown: String = rest.chars().take_while(|c| !c.is_ascii_digit()).collect();
            return Err(CaseNumberError::UnknownTypeCode(shown));
        };
        let rest = &rest[len..];

        // Sequence and 号.
        let seq_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (seq_text, rest) = rest.split_at(seq_len);
        if seq_text.is_empty() {
            return match rest.chars().next() {
                None | Some('号') => Err(CaseNumberError::MissingSequence),
                Some(_) => {
                    let shown: String = rest.chars().take_while(|&c| c != '号').collect();
                    Err(CaseNumberError::UnknownTypeCode(format!(
                        "{}{shown}",
                        type_code.as_str()
                    )))
                }
            };
        }
        let seq: u32 = match seq_text.parse() {
            Ok(n) if n > 0 => n,
            _ => return Err(CaseNumberError::BadSequence(seq_text.to_owned())),
        };
        let rest = rest.strip_prefix('号').ok_or(CaseNumberError::MissingHao)?;

        // Optional 之N suffix.
        let suffix = match rest {
            "" => None,
            s if s.starts_with('之')
                && s.chars().count() > 1
                && s.chars().skip(1).all(|c| CHINESE_NUMERALS.contains(c)) =>
            {
                Some(s.to_owned())
            }
            other => return Err(CaseNumberError::BadSuffix(other.to_owned())),
        };

        Ok(CaseNumber {
            year: year as u16,
            court,
            special_code,
            type_code,
            seq,
            suffix,
        })
    }

    /// The canonical spelling: full-width brackets, no spaces, no leading zeros.
    pub fn normalized(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "（{}）{}", self.year, self.court)?;
        if let Some(c) = self.special_code {
            write!(f, "{c}")?;
        }
        write!(f, "{}{}号", self.type_code, self.seq)?;
        if let Some(s) = &self.suffix {
            f.write_str(s)?;
        }
        Ok(())
    }
}

impl FromStr for CaseNumber {
    type Err = CaseNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseNumber::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::type_code::{CaseClass, Instance};
    use proptest::prelude::*;

    fn parse(s: &str) -> CaseNumber {
        CaseNumber::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_the_examples_of_the_specification() {
        let n = parse("(2023)鲁0102民初1234号");
        assert_eq!(n.normalized(), "（2023）鲁0102民初1234号");
        assert_eq!(
            (n.year, n.court.as_str(), n.type_code.as_str(), n.seq),
            (2023, "鲁0102", "民初", 1234)
        );
        assert_eq!(
            (n.type_code.class(), n.type_code.instance()),
            (CaseClass::Civil, Instance::First)
        );
        assert_eq!(n.special_code, None);
        assert_eq!(n.suffix, None);

        let n = parse("（2021）最高法知民终892号");
        assert_eq!(n.court.as_str(), "最高法");
        assert_eq!(n.special_code, Some('知'));
        assert_eq!(n.type_code.as_str(), "民终");
        assert_eq!(n.seq, 892);
        assert_eq!(n.normalized(), "（2021）最高法知民终892号");

        assert_eq!(parse("（2020）陕7102刑初5号").court.as_str(), "陕7102");
        assert_eq!(parse("（2022）京0491民初100号").court.as_str(), "京0491");
        assert_eq!(parse("（2023）沪74民终1号").court.as_str(), "沪74");
        assert_eq!(
            CaseNumber::parse("2023鲁民初1号").unwrap_err().to_string(),
            "missing year brackets"
        );
    }

    #[test]
    fn accepts_real_world_variants() {
        for s in [
            "（2023）鲁0102民初1234号",
            "(2023)鲁0102民初1234号",
            "〔2023〕鲁0102民初1234号",
            "  （2023）鲁0102民初1234号 ",
            "\u{3000}(2023) 鲁0102民初1234号\t",
            "（２０２３）鲁０１０２民初１２３４号",
            "（2023）鲁0102民初01234号",
        ] {
            assert_eq!(parse(s).normalized(), "（2023）鲁0102民初1234号", "{s}");
        }
        let n = parse("（2023）鲁01民终567号之一");
        assert_eq!(n.suffix.as_deref(), Some("之一"));
        assert_eq!(n.normalized(), "（2023）鲁01民终567号之一");
        assert_eq!(
            parse("（2023）鲁01民终567号之十二").suffix.as_deref(),
            Some("之十二")
        );

        assert_eq!(
            parse("（2023）鲁0102诉前调确5号").type_code.as_str(),
            "诉前调确"
        );
        assert_eq!(
            parse("（2023）鲁0102诉前调书5号").type_code.as_str(),
            "诉前调书"
        );
        assert_eq!(
            parse("（2022）粤0304民诉前调12345号").type_code.as_str(),
            "民诉前调"
        );
        assert_eq!(parse("（2016）苏05民破3号").type_code.as_str(), "民破");
        assert_eq!(parse("（2023）鲁0102执恢88号").type_code.as_str(), "执恢");
        assert_eq!(parse("（2023）鲁0102执88号").type_code.as_str(), "执");
        assert_eq!(parse("（2023）最高法刑核12345678号").seq, 12_345_678);
        assert_eq!(parse("（2023）内01民初1号").court.as_str(), "内01");
    }

    fn error_of(s: &str) -> CaseNumberError {
        CaseNumber::parse(s).expect_err(s)
    }

    #[test]
    fn refuses_malformed_numbers_naming_the_wrong_part() {
        let cases: [(&str, CaseNumberPart); 14] = [
            ("2023鲁0102民初1号", CaseNumberPart::Brackets),
            ("（2023鲁0102民初1号", CaseNumberPart::Brackets),
            ("（23）鲁0102民初1号", CaseNumberPart::Year),
            ("（2O23）鲁0102民初1号", CaseNumberPart::Year),
            ("（1800）鲁0102民初1号", CaseNumberPart::Year),
            ("（2023）X0102民初1号", CaseNumberPart::CourtCode),
            ("（2023）鲁012民初1号", CaseNumberPart::CourtCode),
            ("（2023）0102民初1号", CaseNumberPart::CourtCode),
            ("（2023）鲁0102民x1号", CaseNumberPart::TypeCode),
            ("（2023）鲁0102甲1号", CaseNumberPart::TypeCode),
            ("（2023）鲁0102民初号", CaseNumberPart::Sequence),
            ("（2023）鲁0102民初0号", CaseNumberPart::Sequence),
            ("（2023）鲁0102民初12", CaseNumberPart::Hao),
            ("（2023）鲁0102民初12号之x", CaseNumberPart::Suffix),
        ];
        for (input, part) in cases {
            let err = error_of(input);
            assert_eq!(err.part(), Some(part), "{input}: {err}");
        }
        assert_eq!(error_of(""), CaseNumberError::Empty);
        assert_eq!(
            error_of("（2023）蒙01民初1号").to_string(),
            "court code: '蒙' is not a court code; the case-number rules write '内'"
        );
        assert!(error_of("（2023）鲁0102民x1号").to_string().contains("民x"));
    }

    #[test]
    fn every_error_has_a_chinese_reason_and_keeps_its_english_display() {
        assert_eq!(error_of("2023鲁0102民初1号").zh(), "缺少年份括号");
        // The JSON contract of `case-number parse` (interfaces.md) keeps the English text.
        assert_eq!(
            error_of("2023鲁0102民初1号").to_string(),
            "missing year brackets"
        );
        assert_eq!(error_of("（2023鲁0102民初1号").zh(), "年份后缺少右括号");
        assert_eq!(
            error_of("（23）鲁0102民初1号").zh(),
            "年份应为四位数字，此处为“23”"
        );
        assert_eq!(
            error_of("（1800）鲁0102民初1号").zh(),
            "年份 1800 超出范围（应在 1949 至 2099 之间）"
        );
        assert_eq!(
            error_of("（2023）蒙01民初1号").zh(),
            "法院代字有误：案号规定写作“内”，不写“蒙”"
        );
        assert_eq!(
            error_of("（2023）X0102民初1号").zh(),
            "法院代字无法识别：“X”不是省级行政区的简称"
        );
        assert_eq!(
            error_of("（2023）鲁012民初1号").zh(),
            "法院代字“鲁012”有误：应为省级简称后接 2 位或 4 位数字"
        );
        assert_eq!(error_of("（2023）0102民初1号").zh(), "年份后缺少法院代字");
        assert_eq!(
            error_of("（2023）鲁0102民x1号").zh(),
            "类型代字无法识别：“民x”"
        );
        assert_eq!(error_of("（2023）鲁0102民初号").zh(), "“号”字前缺少序号");
        assert_eq!(
            error_of("（2023）鲁0102民初0号").zh(),
            "序号应为正整数，此处为“0”"
        );
        assert_eq!(error_of("（2023）鲁0102民初12").zh(), "序号后缺少“号”字");
        assert_eq!(
            error_of("（2023）鲁0102民初12号之x").zh(),
            "“号”字后有多余的文字“之x”（其后只能接 之一、之二 等）"
        );
        assert_eq!(error_of("").zh(), "案号为空");
        assert!(
            error_of("（2014）民一终字第174号")
                .zh()
                .contains("2016 年以前")
        );
    }

    #[test]
    fn legacy_numbers_are_recognized_but_carry_no_fields() {
        let err = error_of("（2014）民一终字第174号");
        assert!(matches!(err, CaseNumberError::Legacy(_)));
        assert_eq!(err.part(), None);
    }

    fn any_case_number() -> impl Strategy<Value = CaseNumber> {
        let court = prop_oneof![
            Just("最高法".to_owned()),
            (0usize..33).prop_map(|i| crate::court::PROVINCES[i].0.to_string()),
            (0usize..33, 1u32..100)
                .prop_map(|(i, n)| format!("{}{n:02}", crate::court::PROVINCES[i].0)),
            (0usize..33, 1u32..100, 1u32..100)
                .prop_map(|(i, a, b)| format!("{}{a:02}{b:02}", crate::court::PROVINCES[i].0)),
        ];
        let type_count = TypeCode::all().count() as u16;
        (
            2016u16..2099,
            court,
            any::<bool>(),
            0..type_count,
            1u32..100_000_000,
            prop::option::of(prop::sample::select(vec![
                "之一",
                "之二",
                "之十",
                "之二十一",
            ])),
        )
            .prop_map(|(year, court, ip, tc, seq, suffix)| CaseNumber {
                year,
                court: CourtCode::parse(&court).unwrap(),
                special_code: ip.then_some(IP_SPECIAL_CODE),
                type_code: TypeCode::from_index(tc).unwrap(),
                seq,
                suffix: suffix.map(str::to_owned),
            })
    }

    proptest! {
        #[test]
        fn normalize_parse_round_trips(n in any_case_number(), half_width in any::<bool>(), pad in any::<bool>()) {
            let mut text = n.normalized();
            if half_width {
                text = text.replace('（', "(").replace('）', ")");
            }
            if pad {
                text = format!("  {text} ");
            }
            let parsed = CaseNumber::parse(&text).unwrap();
            prop_assert_eq!(&parsed, &n);
            prop_assert_eq!(CaseNumber::parse(&parsed.normalized()).unwrap().normalized(), n.normalized());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = CaseNumber::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(n in any_case_number(), cut in 0usize..40, junk in "[（）()0-9号之民初执a-z]{0,3}") {
            let text = n.normalized();
            let cut_at = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
            let mangled = format!("{}{}{}", &text[..cut_at], junk, &text[cut_at..]);
            if let Ok(parsed) = CaseNumber::parse(&mangled) {
                prop_assert_eq!(CaseNumber::parse(&parsed.normalized()).unwrap(), parsed);
            }
        }
    }
}
