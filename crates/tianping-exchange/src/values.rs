//! Reading single cells: dates, amounts, yes/no, counts and the domain vocabularies. Each parser
//! returns the message a [`RowError`](crate::RowError) carries, in Chinese. Public so that the
//! workflow modules read the cells of their files ([`crate::ParsedFile::table`]) with the same
//! spellings and messages.

use chrono::NaiveDate;
use tianping_domain::case_number::CaseNumberError;
use tianping_domain::dates::{check_accepted, parse_date};
use tianping_domain::time_limit::AppealObject;
use tianping_domain::{CaseNumber, ClosingMode, EventKind, Money, Procedure};

/// A date in any spelling of the exchange format.
///
/// ISO `YYYY-MM-DD`, what most exports and every XLSX date cell (after conversion) write, is read
/// without allocating; everything else, and every refusal, goes through
/// [`tianping_domain::dates::parse_date`] so that the messages are the domain's (in Chinese:
/// [`DateError::zh`](tianping_domain::dates::DateError::zh)).
pub fn date(text: &str) -> Result<NaiveDate, String> {
    let b = text.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |acc, &d| {
                d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
            })
        };
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10))
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return check_accepted(date).map_err(|e| e.zh());
        }
    }
    parse_date(text)
        .and_then(check_accepted)
        .map_err(|e| e.zh())
}

/// The largest amount a cell may hold: one trillion yuan (一万亿元), in fen. The largest claims
/// courts see are some orders of magnitude smaller; the bound keeps the sums of a whole country's
/// cases far from the range of the 64-bit fen counters.
pub const MAX_AMOUNT_FEN: i64 = 1_000_000_000_000 * 100;

/// The longest free text (a cause, a division, a judge's or a court's name, a reason) a cell may
/// hold, in characters. Real ones are a few dozen at most; an unbounded cell would be kept in
/// memory and in every page and report that shows it.
pub const MAX_TEXT_CHARS: usize = 200;

/// Free text of at most [`MAX_TEXT_CHARS`] characters.
pub fn text(text: &str) -> Result<String, String> {
    // A text of at most MAX_TEXT_CHARS bytes has at most as many characters: no count needed.
    if text.len() > MAX_TEXT_CHARS {
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(format!(
                "内容过长：共 {chars} 个字，一格最多 {MAX_TEXT_CHARS} 个字"
            ));
        }
    }
    Ok(text.to_owned())
}

/// An amount in yuan (`1,234.50`, `12.5万元`); negative amounts are refused.
///
/// Plain `1234`, `1234.5` and `1234.50` are read without allocating; everything else goes
/// through [`Money::parse`].
pub fn amount(text: &str) -> Result<Money, String> {
    let money = match plain_amount(text) {
        Some(money) => money,
        None => Money::parse(text).map_err(|e| amount_refused(text, &e))?,
    };
    if money.fen() < 0 {
        return Err(format!("金额不能为负数：{money}"));
    }
    if money.fen() > MAX_AMOUNT_FEN {
        return Err(format!(
            "金额 {money} 超过上限 1000000000000.00 元（一万亿元）"
        ));
    }
    Ok(money)
}

/// Why [`Money::parse`] refused `text`, in Chinese. `Money::parse` (whose only caller is this
/// crate) says it in English, in one of three texts, told apart here by their endings; the test
/// `amounts_booleans_and_counts` holds each of them to its reason.
fn amount_refused(text: &str, english: &str) -> String {
    let raw = text.trim();
    if english.ends_with("has more decimals than fen allow") {
        format!("金额“{raw}”的小数位数过多（最多精确到分）")
    } else if english.ends_with("is too large") {
        format!("金额“{raw}”过大")
    } else {
        format!("“{raw}”不是金额（应为 1234.50、1,234.50 或 12.5万元 这样的写法）")
    }
}

/// Digits with at most two decimals, nothing else: the common case, and always a valid amount.
fn plain_amount(text: &str) -> Option<Money> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 15 || frac.len() > 2 || !digits(int) || !digits(frac) {
        return None;
    }
    let int: i64 = int.parse().ok()?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(Money(int * 100 + frac))
}

/// `是/否`, `true/false`, `1/0`, `Y/N` (and `yes/no`), case-insensitive.
pub fn boolean(text: &str) -> Result<bool, String> {
    const YES: [&str; 5] = ["是", "true", "1", "y", "yes"];
    const NO: [&str; 5] = ["否", "false", "0", "n", "no"];
    if YES.iter().any(|y| text.eq_ignore_ascii_case(y)) {
        Ok(true)
    } else if NO.iter().any(|n| text.eq_ignore_ascii_case(n)) {
        Ok(false)
    } else {
        Err(format!(
            "“{text}”无法识别为是或否（应填 是 或 否，也可填 1 或 0）"
        ))
    }
}

/// The items of a list cell (`workflows.md` §0.9): separated by `;`, `；` or a line break,
/// each trimmed; blank items are left out.
pub fn list(text: &str) -> Vec<String> {
    text.split([';', '；', '\n', '\r'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A non-negative whole number (months, days).
pub fn count(text: &str) -> Result<u32, String> {
    if !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse()
    {
        return Ok(n);
    }
    Err(format!("“{text}”不是整数（应为 0 或正整数）"))
}

pub fn procedure(text: &str) -> Result<Procedure, String> {
    Procedure::ALL
        .into_iter()
        .find(|p| p.name_zh() == text)
        .or_else(|| Procedure::parse(text))
        .ok_or_else(|| {
            let names: Vec<&str> = Procedure::ALL.iter().map(|p| p.name_zh()).collect();
            format!("适用程序“{text}”无法识别（应为 {}）", one_of(&names))
        })
}

pub fn closing_mode(text: &str) -> Result<ClosingMode, String> {
    ClosingMode::parse(text).ok_or_else(|| format!("结案方式“{text}”无法识别"))
}

pub fn event_kind(text: &str) -> Result<EventKind, String> {
    EventKind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.name_zh()).collect();
        format!("事件“{text}”无法识别（应为 {}）", one_of(&names))
    })
}

/// 判决 (judgment, the default) or 裁定 (ruling).
pub fn appeal_object(text: &str) -> Result<AppealObject, String> {
    match text {
        "判决" => Ok(AppealObject::Judgment),
        "裁定" => Ok(AppealObject::Ruling),
        _ if text.eq_ignore_ascii_case("judgment") => Ok(AppealObject::Judgment),
        _ if text.eq_ignore_ascii_case("ruling") => Ok(AppealObject::Ruling),
        _ => Err(format!("上诉对象“{text}”无法识别（应为 判决 或 裁定）")),
    }
}

/// `甲、乙 或 丙`: the choices a message offers.
pub fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [first @ .., last] => format!("{} 或 {last}", first.join("、")),
    }
}

/// The normalized spelling of a case number, as [`CaseNumber::normalized`] writes it, built
/// without the formatting machinery (a million rows spend noticeable time there).
pub fn normalized(n: &CaseNumber) -> String {
    fn push_number(out: &mut String, mut value: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        for &d in &digits[i..] {
            out.push(char::from(d));
        }
    }
    let mut out = String::with_capacity(48);
    out.push('（');
    push_number(&mut out, u32::from(n.year));
    out.push('）');
    out.push_str(n.court.as_str());
    if let Some(c) = n.special_code {
        out.push(c);
    }
    out.push_str(n.type_code.as_str());
    push_number(&mut out, n.seq);
    out.push('号');
    if let Some(suffix) = &n.suffix {
        out.push_str(suffix);
    }
    debug_assert_eq!(out, n.normalized());
    out
}

/// A 2016-layout case number.
///
/// A pre-2016 number (（2014）民一终字第174号) is refused here: Tianping takes a case's court and
/// type code, and with them its time limit, from its number, and such a number carries neither.
pub fn case_number(text: &str) -> Result<CaseNumber, String> {
    CaseNumber::parse(text).map_err(|e| match e {
        CaseNumberError::Legacy(_) => {
            format!("“{text}”是 2016 年以前的旧式案号，不含法院代字和类型代字")
        }
        other => invalid_case_number(text, &other),
    })
}

/// `案号“…”无效：缺少年份括号`.
fn invalid_case_number(text: &str, error: &CaseNumberError) -> String {
    format!("案号“{text}”无效：{}", error.zh())
}

/// The origin of a case (原审案号): a 2016-layout number is normalized; a pre-2016 number is kept
/// as written, since an appeal, retrial or enforcement case today may well derive from a case
/// decided before 2016.
pub fn origin_case_number(text: &str) -> Result<String, String> {
    match CaseNumber::parse(text) {
        Ok(n) => Ok(normalized(&n)),
        Err(CaseNumberError::Legacy(_)) => Ok(text.to_owned()),
        Err(other) => Err(invalid_case_number(text, &other)),
    }
}

/// Collapse runs of white space to one space (eCourts names are written with double spaces).
pub fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_every_spelling() {
        for text in [
            "2023-03-15",
            "2023/3/15",
            "2023.3.15",
            "2023年3月15日",
            "2023-03-15 10:00:00",
        ] {
            assert_eq!(date(text), Ok(d(2023, 3, 15)), "{text}");
        }
        assert_eq!(date("2023-02-29"), Err("日期“2023-02-29”不存在".to_owned()));
        assert_eq!(date("2023-13-01"), Err("日期“2023-13-01”不存在".to_owned()));
        assert_eq!(
            date("15.03.2023"),
            Err("“15.03.2023”不是日期（应为 2023-03-15 这样的格式）".to_owned())
        );
        assert!(date("20x3-03-15").unwrap_err().contains("不是日期"));
        assert_eq!(
            date("0000-01-01"),
            Err("日期 0000-01-01 超出可接受的范围（1949-10-01 至 2099-12-31）".to_owned())
        );
    }

    #[test]
    fn amounts_booleans_and_counts() {
        assert_eq!(amount("1,234.50"), Ok(Money(123_450)));
        assert_eq!(amount("12.5万元"), Ok(Money(12_500_000)));
        assert_eq!(amount("-5"), Err("金额不能为负数：-5.00".to_owned()));
        // Money::parse's three refusals, each with its own reason.
        assert_eq!(
            amount("abc"),
            Err("“abc”不是金额（应为 1234.50、1,234.50 或 12.5万元 这样的写法）".to_owned())
        );
        assert_eq!(
            amount("1,234.567"),
            Err("金额“1,234.567”的小数位数过多（最多精确到分）".to_owned())
        );
        assert_eq!(
            amount("9000000000000000000万元"),
            Err("金额“9000000000000000000万元”过大".to_owned())
        );
        assert_eq!(
            amount("1000000000000.01"),
            Err("金额 1000000000000.01 超过上限 1000000000000.00 元（一万亿元）".to_owned())
        );
        for (text, fen) in [
            ("0", 0),
            ("7", 700),
            ("1234.5", 123_450),
            ("0.07", 7),
            ("12.", 1200),
        ] {
            assert_eq!(amount(text), Ok(Money(fen)), "{text}");
            assert_eq!(Money::parse(text), Ok(Money(fen)), "{text}");
        }
        assert!(amount("1.234").is_err());
        assert!(amount(".5").is_ok_and(|m| m == Money(50)));
        for yes in ["是", "true", "TRUE", "1", "y", "Y"] {
            assert_eq!(boolean(yes), Ok(true), "{yes}");
        }
        for no in ["否", "false", "False", "0", "n", "N"] {
            assert_eq!(boolean(no), Ok(false), "{no}");
        }
        assert_eq!(
            boolean("maybe"),
            Err("“maybe”无法识别为是或否（应填 是 或 否，也可填 1 或 0）".to_owned())
        );
        assert_eq!(count("3"), Ok(3));
        assert_eq!(count("0"), Ok(0));
        assert_eq!(
            count("-1"),
            Err("“-1”不是整数（应为 0 或正整数）".to_owned())
        );
        assert!(count("1.5").is_err());
        assert!(count("").is_err());
    }

    #[test]
    fn list_cells_split_at_semicolons_and_line_breaks() {
        assert_eq!(
            list(" 婚姻家庭；道路交通;\r\n物业\n\n；"),
            vec!["婚姻家庭", "道路交通", "物业"]
        );
        assert!(list(" ； ").is_empty());
    }

    #[test]
    fn vocabularies() {
        assert_eq!(procedure("简易程序"), Ok(Procedure::Simple));
        assert_eq!(procedure("简易"), Ok(Procedure::Simple));
        assert_eq!(procedure("fast_track"), Ok(Procedure::FastTrack));
        assert_eq!(
            procedure("快速程序").unwrap_err(),
            "适用程序“快速程序”无法识别（应为 普通程序、简易程序、小额诉讼程序、速裁程序、\
             特别程序、一审程序 或 二审程序）"
        );
        assert_eq!(
            closing_mode("终本"),
            Ok(ClosingMode::TerminationOfThisRound)
        );
        assert_eq!(appeal_object("裁定"), Ok(AppealObject::Ruling));
        assert_eq!(
            appeal_object("决定"),
            Err("上诉对象“决定”无法识别（应为 判决 或 裁定）".to_owned())
        );
        assert_eq!(
            closing_mode("结了"),
            Err("结案方式“结了”无法识别".to_owned())
        );
        assert_eq!(
            origin_case_number("(2014)民一终字第174号").unwrap(),
            "(2014)民一终字第174号"
        );
        assert_eq!(
            origin_case_number("(2023)鲁01民终5号").unwrap(),
            "（2023）鲁01民终5号"
        );
        assert_eq!(
            case_number("（2014）民一终字第174号").unwrap_err(),
            "“（2014）民一终字第174号”是 2016 年以前的旧式案号，不含法院代字和类型代字"
        );
        assert_eq!(
            case_number("2023鲁0102民初1号").unwrap_err(),
            "案号“2023鲁0102民初1号”无效：缺少年份括号"
        );
        assert_eq!(
            one_of(&["高级", "中级", "基层", "专门"]),
            "高级、中级、基层 或 专门"
        );
        for text in [
            "(2021)最高法知民终892号",
            "（2023）鲁01民终567号之十二",
            "（2023）最高法刑核12345678号",
        ] {
            let n = CaseNumber::parse(text).unwrap();
            assert_eq!(normalized(&n), n.normalized());
        }
        assert_eq!(
            collapse_spaces(" District  and Sessions\tCourts "),
            "District and Sessions Courts"
        );
    }
}
