//! The petition exchange files (`workflows.md` §2.6, with the general rules of §0.9):
//! `petition_matters` and `petitions`, matters first (parents before children). [`check_files`]
//! is pure: what the database holds comes in as [`Known`], every problem goes out as a
//! [`RowProblem`] with its column and a Chinese message. A petition's matter is not assigned
//! here: the store assigns the blank ones (§2.4) over every petition once the files pass.

use std::collections::HashMap;

use chrono::NaiveDate;
use tianping_domain::dates::days_between;
use tianping_domain::{CaseNumber, HolidayCalendar};
use tianping_exchange::{Kind, values};

use super::limits::{
    MAX_EXTENSION_DAYS, PetitionSettings, REQUEST_WINDOW_DAYS, normal_handling_deadline,
};
use super::model::{
    AckDecision, Channel, Matter, NATURES, Petition, REPLY_FORMS, RESOLUTIONS, RESULTS, SOURCES,
};
use crate::core::person_id::check_person_id;
use crate::core::rows::{Found, Records, Row, word};
pub use crate::core::rows::{RowProblem, TableFile};

/// What the checks need of the database: each function answers for one key (court codes, case
/// numbers normalized, ids as stored).
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub court: &'a dyn Fn(&str) -> bool,
    /// Whether a case is in the database or the same import.
    pub case: &'a dyn Fn(&str) -> bool,
    pub petition: &'a dyn Fn(&str) -> Option<Petition>,
    pub matter: &'a dyn Fn(&str) -> Option<Matter>,
    /// The earliest received_date of the stored petitions of a matter.
    pub matter_first_petition: &'a dyn Fn(&str) -> Option<NaiveDate>,
}

impl std::fmt::Debug for Known<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Known")
    }
}

/// What the checks made of one file: the records of its good rows with their row numbers, the
/// problems of the others, and warnings about rows imported all the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedFile {
    pub matters: Vec<(usize, Matter)>,
    pub petitions: Vec<(usize, Petition)>,
    pub problems: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
}

struct Imported {
    matters: Records<Matter>,
    petitions: Records<Petition>,
}

/// Check the files of one import (matters before petitions, whatever their order); the result
/// lists the files in the order given.
pub fn check_files(
    files: &[TableFile<'_>],
    known: &Known<'_>,
    settings: &PetitionSettings,
    calendar: &HolidayCalendar,
) -> Vec<CheckedFile> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| u8::from(files[i].kind != Kind::PetitionMatters));
    let mut out = vec![CheckedFile::default(); files.len()];
    let mut import = Imported {
        matters: Records::new("事项编号", str::to_owned),
        petitions: Records::new("信访编号", str::to_owned),
    };
    for &i in &order {
        let file = &files[i];
        let names: Vec<&'static str> = tianping_exchange::template_columns(file.kind)
            .iter()
            .map(|c| c.name)
            .collect();
        for (row, key) in file.refused {
            let at = format!("{}:{row}", file.file);
            match file.kind {
                Kind::PetitionMatters => import.matters.refuse(key.trim().to_owned(), at),
                Kind::Petitions => import.petitions.refuse(key.trim().to_owned(), at),
                _ => {}
            }
        }
        let checked = &mut out[i];
        for (row, cells) in file.rows {
            let mut r = Row {
                names: &names,
                cells,
                row: *row,
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            match file.kind {
                Kind::PetitionMatters => {
                    let record = matter_row(&mut r, known);
                    if let Some(m) =
                        import
                            .matters
                            .take(&mut r, "matter_id", record, file.file, |m| {
                                m.matter_id.clone()
                            })
                    {
                        checked.matters.push((*row, m));
                    }
                }
                Kind::Petitions => {
                    let record = petition_row(&mut r, known, &import, settings, calendar);
                    if let Some(p) =
                        import
                            .petitions
                            .take(&mut r, "petition_id", record, file.file, |p| {
                                p.petition_id.clone()
                            })
                    {
                        checked.petitions.push((*row, p));
                    }
                }
                _ => {}
            }
            checked.problems.append(&mut r.problems);
            checked.warnings.append(&mut r.warnings);
        }
    }
    out
}

/// A case number of a link column (§0.9 "(case, link)"), normalized; a case found nowhere is
/// kept, with a warning.
fn linked_case(
    r: &mut Row<'_>,
    column: &'static str,
    what: &str,
    known: &Known<'_>,
) -> Option<String> {
    let number: CaseNumber = r.case_number(column)?;
    let normalized = values::normalized(&number);
    if !(known.case)(&normalized) {
        r.warn(
            column,
            format!("{what} {normalized}：数据库和本次导入中都没有这个案件，已按原样导入，未关联"),
        );
    }
    Some(normalized)
}

fn matter_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<Matter> {
    let matter_id = r.required("matter_id", values::text);
    let court_code = if r.text("court_code").is_empty() {
        None
    } else {
        r.court("court_code", known.court)
    };
    let case_number = linked_case(r, "case_number", "案号", known);
    let opened = r.date("opened_date");
    let resolved = r.date("resolved_date");
    let resolution = r.choice("resolution", "化解方式", &RESOLUTIONS);
    if let (Some(o), Some(res)) = (opened, resolved)
        && res < o
    {
        r.add("resolved_date", format!("化解日期 {res} 早于立案日期 {o}"));
    }
    if resolution.is_some() && resolved.is_none() && !r.failed("resolved_date") {
        r.add("resolution", "填写了化解方式，但没有化解日期".to_owned());
    }
    if let (Some(id), Some(o)) = (&matter_id, opened)
        && let Some(first) = (known.matter_first_petition)(id)
        && o > first
    {
        r.add(
            "opened_date",
            format!("事项 {id} 的立案日期 {o} 晚于其最早信访件的收到日期 {first}"),
        );
    }
    if !r.ok() {
        return None;
    }
    Some(Matter {
        matter_id: matter_id?,
        court_code,
        case_number,
        opened_date: opened,
        resolved_date: resolved,
        resolution,
    })
}

fn channel_of(text: &str) -> Result<Channel, String> {
    Channel::parse(text).ok_or_else(|| {
        format!("信访形式“{text}”无法识别（应为 来信、来访、网上信访、来电 或 转办交办）")
    })
}

fn decision_of(text: &str) -> Result<AckDecision, String> {
    AckDecision::parse(text).ok_or_else(|| {
        format!(
            "告知结果“{text}”无法识别（应为 {}）",
            values::one_of(&AckDecision::ALL.map(AckDecision::name_zh))
        )
    })
}

fn level_of(text: &str) -> Result<u8, String> {
    match text {
        "0" | "原办" => Ok(0),
        "1" | "复查" => Ok(1),
        "2" | "复核" => Ok(2),
        _ => Err(format!(
            "复查级别“{text}”无法识别（应为 0 原办、1 复查 或 2 复核）"
        )),
    }
}

fn persons_of(text: &str) -> Result<u32, String> {
    match values::count(text) {
        Ok(0) => Err("人数至少为 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("人数“{text}”应为不小于 1 的整数")),
    }
}

fn person_id(text: &str) -> Result<String, String> {
    let id = text.trim().to_uppercase();
    check_person_id(&id).map(|_| id).map_err(|e| e.to_string())
}

#[allow(clippy::too_many_lines)]
fn petition_row(
    r: &mut Row<'_>,
    known: &Known<'_>,
    import: &Imported,
    settings: &PetitionSettings,
    calendar: &HolidayCalendar,
) -> Option<Petition> {
    let petition_id = r.required("petition_id", values::text);
    let court_code = r.court("court_code", known.court);
    let received = r.required("received_date", values::date);
    let channel = r.required("channel", channel_of);
    let source = r.choice("source", "来源", &SOURCES);
    if channel == Some(Channel::Forwarded) && source.is_none() && !r.failed("source") {
        r.add("source", "转办交办件须填写来源（交办机关）".to_owned());
    }
    let assigned_deadline = r.date("assigned_deadline");
    let petitioner_id = r.optional("petitioner_id", person_id);
    let petitioner_name = r.free_text("petitioner_name");
    let anonymous = r.boolean("anonymous").unwrap_or(false);
    if anonymous && petitioner_id.is_some() {
        r.warn(
            "anonymous",
            "标为匿名，但填写了信访人证件号：按匿名处理，不计告知期限".to_owned(),
        );
    }
    let persons = r.optional("persons", persons_of).unwrap_or(1);
    let nature = r.required("nature", |t| word(t, "性质", &NATURES));
    let litigation_related = r.required("litigation_related", values::boolean);
    let case_number = linked_case(r, "case_number", "案号", known);
    let matter_id = r.free_text("matter_id");
    let leader_received = r.boolean("leader_received").unwrap_or(false);
    let review_level = r.optional("review_level", level_of).unwrap_or(0);
    let original = r.free_text("original_petition_id");
    let ack_date = r.date("ack_date");
    let ack_decision = r.optional("ack_decision", decision_of);
    let accepted_given = r.date("accepted_date");
    let extension_days = r.optional("extension_days", values::count);
    let extension_date = r.date("extension_date");
    let reply_date = r.date("reply_date");
    let reply_form = r.choice("reply_form", "答复方式", &REPLY_FORMS);
    let result = r.choice("result", "处理结果", &RESULTS);
    let hearing_start = r.date("hearing_start");
    let hearing_end = r.date("hearing_end");
    let diverted = linked_case(r, "diverted_case_number", "导入案号", known);
    let handler = r.free_text("handler");

    // The dates in order: received ≤ acknowledged ≤ accepted ≤ replied.
    if let Some(received) = received {
        for (column, name, date) in [
            ("ack_date", "告知日期", ack_date),
            ("accepted_date", "受理日期", accepted_given),
            ("reply_date", "答复日期", reply_date),
        ] {
            if let Some(date) = date
                && date < received
            {
                r.add(column, format!("{name} {date} 早于收到日期 {received}"));
            }
        }
    }
    if let (Some(ack), Some(accepted)) = (ack_date, accepted_given)
        && accepted < ack
    {
        r.add(
            "accepted_date",
            format!("受理日期 {accepted} 早于告知日期 {ack}"),
        );
    }
    let accepted = accepted_given.or(match (ack_date, ack_decision) {
        (Some(d), Some(AckDecision::Accepted)) => Some(d),
        _ => None,
    });
    if let (Some(accepted), Some(reply)) = (accepted, reply_date)
        && reply < accepted
    {
        r.add(
            "reply_date",
            format!("答复日期 {reply} 早于受理日期 {accepted}"),
        );
    }
    if ack_decision.is_some() && ack_date.is_none() && !r.failed("ack_date") {
        r.add("ack_date", "填写了告知结果，但没有告知日期".to_owned());
    }
    // A non-受理 acknowledgement is the reply: it stands for reply_date and result.
    let refusal = ack_decision.is_some_and(|d| d != AckDecision::Accepted);
    if result.is_some() && reply_date.is_none() && !refusal && !r.failed("reply_date") {
        r.add("result", "填写了处理结果，但没有答复日期".to_owned());
    }
    if reply_date.is_some() && result.is_none() && !r.failed("result") {
        r.add("reply_date", "填写了答复日期，但没有处理结果".to_owned());
    }
    if ack_decision == Some(AckDecision::Accepted) && result.as_deref() == Some("不予受理") {
        r.add(
            "result",
            "告知结果为受理，处理结果不能为不予受理".to_owned(),
        );
    }

    // The extension (条例 art. 34): 1-30 days, of an accepted item, approved within the 60 days.
    if let Some(days) = extension_days {
        if days == 0 || days > MAX_EXTENSION_DAYS {
            r.add(
                "extension_days",
                format!("延期天数 {days} 应在 1 至 {MAX_EXTENSION_DAYS} 日之间（信访工作条例第三十四条）"),
            );
        }
        if accepted.is_none() {
            r.add("extension_days", "没有受理日期的信访件不能延期".to_owned());
        }
    }
    if let (Some(date), Some(accepted_on)) = (extension_date, accepted) {
        let mut probe = Petition::registered("", "", accepted_on, Channel::Letter, "", false);
        probe.accepted_date = Some(accepted_on);
        if let Some(deadline) = normal_handling_deadline(&probe, calendar, settings)
            && date > deadline
        {
            r.add(
                "extension_date",
                format!("延期日期 {date} 晚于60日办理期限 {deadline}（延期须在期限届满前批准）"),
            );
        }
    }

    // 复查 / 复核: the original exists, is one level lower, and was replied to before.
    if review_level > 0 {
        match &original {
            None => r.add(
                "original_petition_id",
                format!("复查、复核件（复查级别 {review_level}）须填写原信访编号"),
            ),
            Some(id) => match import.petitions.find(id, known.petition) {
                Found::No => r.add(
                    "original_petition_id",
                    format!("找不到原信访件 {id}：数据库和本次导入中都没有"),
                ),
                Found::Refused(at) => r.add(
                    "original_petition_id",
                    format!("原信访件 {id} 在本次导入中被拒绝（{at}），不能引用"),
                ),
                Found::Yes(o) => {
                    if o.review_level + 1 != review_level {
                        r.add(
                            "original_petition_id",
                            format!(
                                "原信访件 {id} 的复查级别为 {}，本件为 {review_level}，应相差一级",
                                o.review_level
                            ),
                        );
                    }
                    if let Some(received) = received {
                        match o.concluded_at(NaiveDate::MAX).filter(|d| *d < received) {
                            None => r.add(
                                "original_petition_id",
                                format!("原信访件 {id} 在本件收到日期 {received} 之前没有答复"),
                            ),
                            Some(replied)
                                if days_between(replied, received) > REQUEST_WINDOW_DAYS =>
                            {
                                r.warn(
                                    "received_date",
                                    format!(
                                        "收到日期 {received} 距原件答复日期 {replied} 超过{REQUEST_WINDOW_DAYS}日（信访工作条例第三十五、三十六条），请核对；本行已导入"
                                    ),
                                );
                            }
                            Some(_) => {}
                        }
                    }
                }
            },
        }
    }

    // The matter it names: the same case, opened no later than this petition.
    if let Some(id) = &matter_id {
        let matter = match import.matters.find(id, known.matter) {
            Found::Yes(m) => Some(m),
            Found::Refused(at) => {
                r.add(
                    "matter_id",
                    format!("信访事项 {id} 在本次导入中被拒绝（{at}），不能引用"),
                );
                None
            }
            Found::No => None,
        };
        if let Some(m) = matter {
            if let (Some(mine), Some(theirs)) = (&case_number, &m.case_number)
                && mine != theirs
            {
                r.add(
                    "matter_id",
                    format!("信访事项 {id} 的案号为 {theirs}，与本件案号 {mine} 不同"),
                );
            }
            if let (Some(opened), Some(received)) = (m.opened_date, received)
                && opened > received
            {
                r.add(
                    "matter_id",
                    format!("信访事项 {id} 的立案日期 {opened} 晚于本件的收到日期 {received}"),
                );
            }
        }
    }
    if !r.ok() {
        return None;
    }
    Some(Petition {
        petition_id: petition_id?,
        court_code: court_code?,
        received_date: received?,
        channel: channel?,
        source,
        assigned_deadline,
        petitioner_id,
        petitioner_name,
        anonymous,
        persons,
        nature: nature?,
        litigation_related: litigation_related?,
        case_number,
        matter_id,
        leader_received,
        review_level,
        original_petition_id: original,
        ack_date,
        ack_decision,
        accepted_date: accepted_given,
        extension_days,
        extension_date,
        reply_date,
        reply_form,
        result: result.or_else(|| {
            ack_decision
                .filter(|_| refusal)
                .map(|d| d.name_zh().to_owned())
        }),
        hearing_start,
        hearing_end,
        diverted_case_number: diverted,
        handler,
    })
}

/// The stored petitions of every matter, earliest received first: what
/// [`Known::matter_first_petition`] answers.
pub fn first_petitions(petitions: &[Petition]) -> HashMap<String, NaiveDate> {
    let mut first: HashMap<String, NaiveDate> = HashMap::new();
    for p in petitions {
        if let Some(m) = &p.matter_id {
            first
                .entry(m.clone())
                .and_modify(|d| *d = (*d).min(p.received_date))
                .or_insert(p.received_date);
        }
    }
    first
}

#[cfg(test)]
mod tests;
