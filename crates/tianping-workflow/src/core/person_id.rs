//! Person identifiers of the workflow files (`workflows.md` §0.9: `person_id`, `petitioner_id`),
//! checked by their check characters:
//!
//! - 居民身份证号 (GB 11643-1999): 17 digits with a valid birth date, then the check character:
//!   weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexes `10X98765432`;
//! - the 15-digit legacy 身份证号 (before 1999): digits, a valid birth date `YYMMDD` of 19YY;
//! - 统一社会信用代码 (GB 32100-2015): 18 characters of `0123456789ABCDEFGHJKLMNPQRTUWXY`,
//!   weights 3^(i−1) mod 31, check = 31 − sum mod 31 (31 → 0);
//! - 组织机构代码 (GB 11714-1997): 8 digits or capital letters (A-Z = 10-35), a hyphen allowed,
//!   then the check character: weights 3 7 9 10 5 8 4 2, check = 11 − sum mod 11 (10 → X,
//!   11 → 0).

use chrono::NaiveDate;
use serde::Serialize;

/// What kind of identifier a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonId {
    ResidentId,
    LegacyResidentId,
    CreditCode,
    OrganizationCode,
}

impl PersonId {
    pub fn name_zh(self) -> &'static str {
        match self {
            PersonId::ResidentId => "居民身份证号",
            PersonId::LegacyResidentId => "15位居民身份证号",
            PersonId::CreditCode => "统一社会信用代码",
            PersonId::OrganizationCode => "组织机构代码",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonIdError {
    #[error("{kind}“{text}”的校验位应为 {expected}")]
    CheckCharacter {
        kind: &'static str,
        text: String,
        expected: char,
    },
    #[error("居民身份证号“{0}”中的出生日期不存在")]
    BirthDate(String),
    #[error(
        "“{0}”不是居民身份证号、统一社会信用代码或组织机构代码（应为18位身份证号、15位旧身份证号、18位统一社会信用代码或9位组织机构代码）"
    )]
    Shape(String),
}

const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECKS: &[u8; 11] = b"10X98765432";
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

fn birth_date(year: &str, month: &str, day: &str) -> bool {
    match (year.parse(), month.parse(), day.parse()) {
        (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d).is_some(),
        _ => false,
    }
}

fn resident_check(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(RESIDENT_WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    RESIDENT_CHECKS[(sum % 11) as usize] as char
}

fn credit_check(body: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut weight = 1u32;
    for c in body.chars() {
        sum += CREDIT_ALPHABET.find(c)? as u32 * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    CREDIT_ALPHABET.chars().nth(check as usize)
}

fn org_check(body: &str) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in body.chars().zip(ORG_WEIGHTS) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return None,
        };
        sum += v * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10)?,
    })
}

/// Which identifier `text` is (trimmed; letters in capitals as the standards write them), or
/// why it is none.
pub fn check_person_id(text: &str) -> Result<PersonId, PersonIdError> {
    let t = text.trim();
    let bytes = t.as_bytes();
    let shape = || PersonIdError::Shape(t.to_owned());
    match bytes.len() {
        18 if bytes[..17].iter().all(u8::is_ascii_digit)
            && matches!(bytes[17], b'0'..=b'9' | b'X' | b'x') =>
        {
            // An 18-digit text may also be a credit code of digits only.
            let expected = resident_check(&bytes[..17]);
            let birth = birth_date(&t[6..10], &t[10..12], &t[12..14]);
            if birth && expected == (bytes[17] as char).to_ascii_uppercase() {
                return Ok(PersonId::ResidentId);
            }
            if credit_check(&t[..17]) == t[17..].chars().next() {
                return Ok(PersonId::CreditCode);
            }
            if !birth {
                return Err(PersonIdError::BirthDate(t.to_owned()));
            }
            Err(PersonIdError::CheckCharacter {
                kind: PersonId::ResidentId.name_zh(),
                text: t.to_owned(),
                expected,
            })
        }
        18 if t.chars().all(|c| CREDIT_ALPHABET.contains(c)) => {
            let expected = credit_check(&t[..17]).ok_or_else(shape)?;
            if t[17..].starts_with(expected) {
                Ok(PersonId::CreditCode)
            } else {
                Err(PersonIdError::CheckCharacter {
                    kind: PersonId::CreditCode.name_zh(),
                    text: t.to_owned(),
                    expected,
                })
            }
        }
        15 if bytes.iter().all(u8::is_ascii_digit) => {
            if birth_date(&format!("19{}", &t[6..8]), &t[8..10], &t[10..12]) {
                Ok(PersonId::LegacyResidentId)
            } else {
                Err(PersonIdError::BirthDate(t.to_owned()))
            }
        }
        9 | 10 => {
            let compact: String = t.chars().filter(|c| *c != '-').collect();
            if compact.len() != 9 || (bytes.len() == 10 && bytes[8] != b'-') {
                return Err(shape());
            }
            let expected = org_check(&compact[..8]).ok_or_else(shape)?;
            if compact[8..].starts_with(expected) {
                Ok(PersonId::OrganizationCode)
            } else {
                Err(PersonIdError::CheckCharacter {
                    kind: PersonId::OrganizationCode.name_zh(),
                    text: t.to_owned(),
                    expected,
                })
            }
        }
        _ => Err(shape()),
    }
}

/// An identifier as the outputs show it to those without the petition duties (§0.6): the first
/// four and the last four characters, the rest as `*`.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 4 || i >= chars.len() - 4 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_standards_examples_pass() {
        // GB 11643-1999's example.
        assert_eq!(
            check_person_id("11010519491231002X"),
            Ok(PersonId::ResidentId)
        );
        assert_eq!(
            check_person_id("11010519491231002x"),
            Ok(PersonId::ResidentId)
        );
        // GB 11714's example, with and without the hyphen.
        assert_eq!(
            check_person_id("D2143569-X"),
            Ok(PersonId::OrganizationCode)
        );
        assert_eq!(check_person_id("D2143569X"), Ok(PersonId::OrganizationCode));
        // A credit code whose check character follows GB 32100.
        assert_eq!(
            check_person_id("91350100M000100Y43"),
            Ok(PersonId::CreditCode)
        );
        assert_eq!(
            check_person_id("110105491231002"),
            Ok(PersonId::LegacyResidentId)
        );
    }

    #[test]
    fn a_wrong_check_character_names_the_right_one() {
        assert_eq!(
            check_person_id("110105194912310021"),
            Err(PersonIdError::CheckCharacter {
                kind: "居民身份证号",
                text: "110105194912310021".into(),
                expected: 'X'
            })
        );
        assert!(matches!(
            check_person_id("91350100M000100Y44"),
            Err(PersonIdError::CheckCharacter { expected: '3', .. })
        ));
        assert!(matches!(
            check_person_id("D2143569-1"),
            Err(PersonIdError::CheckCharacter { expected: 'X', .. })
        ));
        assert!(matches!(
            check_person_id("110105194902301234"),
            Err(PersonIdError::BirthDate(_))
        ));
        for bad in [
            "",
            "12345",
            "ABCDEFGHIJKLMNOPQR",
            "11010519491231002Y",
            "D2143569--X",
        ] {
            assert!(check_person_id(bad).is_err(), "{bad}");
        }
        // The messages are Chinese.
        let message = check_person_id("110105194912310021")
            .unwrap_err()
            .to_string();
        assert_eq!(message, "居民身份证号“110105194912310021”的校验位应为 X");
    }

    #[test]
    fn masks_keep_four_characters_at_each_end() {
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
        assert_eq!(mask("D2143569X"), "D214*569X");
        assert_eq!(mask("1234"), "****");
    }

    proptest! {
        /// Any 17 digits with a valid birth date and the computed check character pass, and
        /// every other check character fails.
        #[test]
        fn computed_check_characters_pass_and_others_fail(
            area in 110000u32..660000,
            days in 0i64..40_000,
            seq in 0u32..1000,
        ) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            let body = format!("{area:06}{}{seq:03}", birth.format("%Y%m%d"));
            let check = resident_check(body.as_bytes());
            prop_assert_eq!(check_person_id(&format!("{body}{check}")), Ok(PersonId::ResidentId));
            for other in "0123456789X".chars().filter(|c| *c != check) {
                let id = format!("{body}{other}");
                // An all-digit text may still be a credit code by chance: then it is that.
                prop_assert!(check_person_id(&id) != Ok(PersonId::ResidentId), "{}", id);
            }
        }
    }
}
