//! The suggestions exchange file (`workflows.md` §3.5, with the general rules of §0.9). Pure:
//! what the database holds comes in as [`Known`]; every problem goes out as a [`RowProblem`].

use tianping_exchange::{Kind, values};

use super::limits::SuggestionSettings;
use super::model::{
    ADOPTIONS, DEFAULT_REPLY_MONTHS, KINDS, RECIPIENT_TYPES, Suggestion, normalize_number,
};
use crate::core::rows::{Records, Row, word};
pub use crate::core::rows::{RowProblem, TableFile};

/// What the checks need of the database.
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub court: &'a dyn Fn(&str) -> bool,
    /// Whether a case is in the database or the same import.
    pub case: &'a dyn Fn(&str) -> bool,
}

impl std::fmt::Debug for Known<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Known")
    }
}

/// What the checks made of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedFile {
    pub suggestions: Vec<(usize, Suggestion)>,
    pub problems: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
}

fn number_key(text: &str) -> String {
    normalize_number(text).unwrap_or_else(|_| text.trim().to_owned())
}

/// Check the suggestions files of one import.
pub fn check_files(
    files: &[TableFile<'_>],
    known: &Known<'_>,
    settings: &SuggestionSettings,
) -> Vec<CheckedFile> {
    let mut records: Records<Suggestion> = Records::new("建议书编号", number_key);
    let mut out = Vec::new();
    for file in files {
        let mut checked = CheckedFile::default();
        if file.kind != Kind::Suggestions {
            out.push(checked);
            continue;
        }
        let names: Vec<&'static str> = tianping_exchange::template_columns(file.kind)
            .iter()
            .map(|c| c.name)
            .collect();
        for (row, key) in file.refused {
            records.refuse(number_key(key), format!("{}:{row}", file.file));
        }
        for (row, cells) in file.rows {
            let mut r = Row {
                names: &names,
                cells,
                row: *row,
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            let record = suggestion_row(&mut r, known, settings);
            if let Some(s) = records.take(&mut r, "suggestion_no", record, file.file, |s| {
                s.suggestion_no.clone()
            }) {
                checked.suggestions.push((*row, s));
            }
            checked.problems.append(&mut r.problems);
            checked.warnings.append(&mut r.warnings);
        }
        out.push(checked);
    }
    out
}

fn month_of(text: &str) -> Result<String, String> {
    let ok = text.len() == 7
        && text.as_bytes()[4] == b'-'
        && text[..4].bytes().all(|b| b.is_ascii_digit())
        && text[5..]
            .parse::<u32>()
            .is_ok_and(|m| (1..=12).contains(&m));
    if ok {
        Ok(text.to_owned())
    } else {
        Err(format!("一月一题“{text}”应写为 年-月，如 2023-11"))
    }
}

fn months_of(text: &str) -> Result<u32, String> {
    match values::count(text) {
        Ok(0) => Err("答复期限（月）应至少为 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("答复期限（月）“{text}”应为正整数")),
    }
}

fn suggestion_row(
    r: &mut Row<'_>,
    known: &Known<'_>,
    settings: &SuggestionSettings,
) -> Option<Suggestion> {
    let number = r.required("suggestion_no", normalize_number);
    let court_code = r.court("court_code", known.court);
    let kind = r
        .choice("kind", "类别", &KINDS)
        .unwrap_or_else(|| KINDS[0].to_owned());
    let title = r.required("title", values::text);
    let recipient = r.required("recipient", values::text);
    let recipient_type = r.required("recipient_type", |t| word(t, "单位类型", &RECIPIENT_TYPES));
    let topics: Vec<&str> = settings.topics.iter().map(String::as_str).collect();
    let topic = r.required("topic", |t| word(t, "主题", &topics));
    let monthly_topic = r.optional("monthly_topic", month_of);
    let cause = r.free_text("cause");
    let mut case_numbers = Vec::new();
    for item in values::list(r.text("case_numbers")) {
        match values::case_number(&item) {
            Ok(n) => {
                let normalized = values::normalized(&n);
                if !(known.case)(&normalized) {
                    r.warn(
                        "case_numbers",
                        format!("关联案号 {normalized}：数据库和本次导入中都没有这个案件，已按原样导入，未关联"),
                    );
                }
                case_numbers.push(normalized);
            }
            Err(message) => r.add("case_numbers", message),
        }
    }
    let cc = r.free_text("cc");
    let drafted = r.date("drafted_date");
    let committee = r.date("committee_date");
    let signed = r.date("signed_date");
    let issued = r.date("issued_date");
    let served = r.date("served_date");
    let reply_months = r.optional("reply_months", months_of);
    let reply_basis = r.free_text("reply_basis");
    let reply = r.date("reply_date");
    let adoption = r.choice("adoption", "采纳情况", &ADOPTIONS);
    let implemented = r.boolean("implemented").unwrap_or(false);
    let praised = r.boolean("praised").unwrap_or(false);
    let withdrawn = r.date("withdrawn_date");
    let background = r.free_text("background");
    let findings = r.free_text("findings");
    let proposals = r.free_text("proposals");
    let contact = r.free_text("contact");
    let annexes = r.free_text("annexes");

    // 审委会 → 签发 → 发出 (建议规定 art. 7-8), then service and reply.
    if let Some(i) = issued {
        if committee.is_none() && !r.failed("committee_date") {
            r.add(
                "committee_date",
                "已发出的司法建议须填写审委会日期（建议规定第七条第一款）".to_owned(),
            );
        }
        if signed.is_none() && !r.failed("signed_date") {
            r.add(
                "signed_date",
                "已发出的司法建议须填写签发日期（建议规定第七条第二款）".to_owned(),
            );
        }
        if let Some(s) = signed
            && i < s
        {
            r.add("issued_date", format!("发出日期 {i} 早于签发日期 {s}"));
        }
    }
    if let (Some(c), Some(s)) = (committee, signed)
        && s < c
    {
        r.add("signed_date", format!("签发日期 {s} 早于审委会日期 {c}"));
    }
    for (column, name, date) in [
        ("served_date", "送达日期", served),
        ("reply_date", "答复日期", reply),
    ] {
        match (date, issued) {
            (Some(d), Some(i)) if d < i => r.add(column, format!("{name} {d} 早于发出日期 {i}")),
            (Some(_), None) if !r.failed("issued_date") => {
                r.add(column, format!("填写了{name}，但没有发出日期"));
            }
            _ => {}
        }
    }
    if adoption.is_some() && reply.is_none() && !r.failed("reply_date") {
        r.add("adoption", "填写了采纳情况，但没有答复日期".to_owned());
    }
    if reply.is_some() && adoption.is_none() && !r.failed("adoption") {
        r.add("reply_date", "填写了答复日期，但没有采纳情况".to_owned());
    }
    if withdrawn.is_some() && issued.is_some() {
        r.add(
            "withdrawn_date",
            "已发出的司法建议不能撤回（只能在发出前撤回）".to_owned(),
        );
    }
    if let Some(m) = reply_months
        && m > 2
        && reply_basis.is_none()
    {
        r.warn(
            "reply_months",
            format!("答复期限 {m} 个月超过两个月，但没有填写期限依据（建议规定第八条），请核对；本行已导入"),
        );
    }
    if !r.ok() {
        return None;
    }
    Some(Suggestion {
        suggestion_no: number?,
        court_code: court_code?,
        kind,
        title: title?,
        recipient: recipient?,
        recipient_type: recipient_type?,
        topic: topic?,
        monthly_topic,
        cause,
        case_numbers,
        cc,
        drafted_date: drafted,
        committee_date: committee,
        signed_date: signed,
        issued_date: issued,
        served_date: served,
        reply_months: reply_months.unwrap_or(DEFAULT_REPLY_MONTHS),
        reply_basis,
        reply_date: reply,
        adoption,
        implemented,
        praised,
        withdrawn_date: withdrawn,
        background,
        findings,
        proposals,
        contact,
        annexes,
    })
}

#[cfg(test)]
mod tests;
