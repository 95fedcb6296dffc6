//! The enforcement exchange files (`workflows.md` §5.5, with the general rules of §0.9):
//! `termination_checks`, `post_termination_searches`, `dishonest_listings` and
//! `enforcement_actions`. Pure: what the database holds comes in as [`Known`]; every problem goes
//! out as a [`RowProblem`].

use chrono::NaiveDate;
use tianping_exchange::{Kind, values};

use super::model::{
    APPROVALS, CLUE_CHOICES, DISHONEST_CHOICES, DishonestListing, EnforcementAction, PERSON_TYPES,
    PostTerminationSearch, REMOVAL_REASONS, SANCTION_CHOICES, TerminationCheck, VERDICTS,
    WHEREABOUTS_CHOICES,
};
use crate::core::person_id::check_person_id;
use crate::core::rows::{Records, Row, word};
pub use crate::core::rows::{RowProblem, TableFile};

/// What the checks need to know of an enforcement case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub court_code: String,
    pub filed_date: NaiveDate,
    pub closed_date: Option<NaiveDate>,
    /// 执 or 执恢 (首次执行, 恢复执行).
    pub enforcement: bool,
    /// Closed by 终结本次执行程序.
    pub terminated: bool,
}

/// What the checks need of the database.
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub court: &'a dyn Fn(&str) -> bool,
    /// A case in the database or the same import.
    pub case: &'a dyn Fn(&str) -> Option<CaseFacts>,
}

impl std::fmt::Debug for Known<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Known")
    }
}

/// What the checks made of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedFile {
    pub checks: Vec<(usize, TerminationCheck)>,
    pub searches: Vec<(usize, PostTerminationSearch)>,
    pub listings: Vec<(usize, DishonestListing)>,
    pub actions: Vec<(usize, EnforcementAction)>,
    pub problems: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
}

fn plain(text: &str) -> String {
    text.trim().to_owned()
}

fn case_key(text: &str) -> String {
    values::case_number(text).map_or_else(|_| text.trim().to_owned(), |n| values::normalized(&n))
}

fn person_id(text: &str) -> Result<String, String> {
    let id = text.trim().to_uppercase();
    check_person_id(&id).map(|_| id).map_err(|e| e.to_string())
}

/// Check the enforcement files of one import.
pub fn check_files(files: &[TableFile<'_>], known: &Known<'_>) -> Vec<CheckedFile> {
    let mut checks: Records<TerminationCheck> = Records::new("终本核查案号", case_key);
    let mut searches: Records<PostTerminationSearch> = Records::new("查控记录", plain);
    let mut listings: Records<DishonestListing> = Records::new("失信编号", plain);
    let mut actions: Records<EnforcementAction> = Records::new("行动编号", plain);
    let mut out = Vec::new();
    for file in files {
        let mut checked = CheckedFile::default();
        if file.kind.module() != Some("enforcement") {
            out.push(checked);
            continue;
        }
        let names: Vec<&'static str> = tianping_exchange::template_columns(file.kind)
            .iter()
            .map(|c| c.name)
            .collect();
        for (row, cells) in file.rows {
            let mut r = Row {
                names: &names,
                cells,
                row: *row,
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            match file.kind {
                Kind::TerminationChecks => {
                    let record = check_row(&mut r, known);
                    if let Some(c) = checks.take(&mut r, "case_number", record, file.file, |c| {
                        c.case_number.clone()
                    }) {
                        checked.checks.push((*row, c));
                    }
                }
                Kind::PostTerminationSearches => {
                    let record = search_row(&mut r, known);
                    if let Some(s) = searches.take(&mut r, "date", record, file.file, |s| {
                        format!("{} {}", s.case_number, s.date)
                    }) {
                        checked.searches.push((*row, s));
                    }
                }
                Kind::DishonestListings => {
                    let record = listing_row(&mut r, known);
                    if let Some(l) = listings.take(&mut r, "listing_id", record, file.file, |l| {
                        l.listing_id.clone()
                    }) {
                        checked.listings.push((*row, l));
                    }
                }
                _ => {
                    let record = action_row(&mut r, known);
                    if let Some(a) = actions.take(&mut r, "action_id", record, file.file, |a| {
                        a.action_id.clone()
                    }) {
                        checked.actions.push((*row, a));
                    }
                }
            }
            checked.problems.append(&mut r.problems);
            checked.warnings.append(&mut r.warnings);
        }
        out.push(checked);
    }
    out
}

/// The case of a row: it must exist and be an enforcement case (执, 执恢).
fn enforcement_case(r: &mut Row<'_>, known: &Known<'_>) -> Option<(String, CaseFacts)> {
    let number = r.case_number("case_number").map(|n| values::normalized(&n));
    if number.is_none() && !r.failed("case_number") {
        r.add("case_number", "必填，不能为空".to_owned());
    }
    let number = number?;
    match (known.case)(&number) {
        None => {
            r.add(
                "case_number",
                format!("案号 {number}：数据库和本次导入中都没有这个案件"),
            );
            None
        }
        Some(f) if !f.enforcement => {
            r.add(
                "case_number",
                format!("案号 {number} 不是执行案件（应为 执 或 执恢 类案件）"),
            );
            None
        }
        Some(f) => Some((number, f)),
    }
}

/// The case of a 终本 record: an enforcement case closed by 终结本次执行程序; its closing date.
fn terminated_case(r: &mut Row<'_>, known: &Known<'_>) -> Option<(String, CaseFacts, NaiveDate)> {
    let (number, facts) = enforcement_case(r, known)?;
    match facts.closed_date {
        Some(closed) if facts.terminated => Some((number, facts, closed)),
        _ => {
            r.add(
                "case_number",
                format!("案号 {number} 未以终结本次执行程序结案，不能记录终本核查或终本后查控"),
            );
            None
        }
    }
}

fn check_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<TerminationCheck> {
    let case = terminated_case(r, known);
    let mut dates = Vec::new();
    let mut date = |r: &mut Row<'_>, column: &'static str, name: &'static str| {
        let d = r.date(column);
        if let Some(d) = d {
            dates.push((column, name, d));
        }
        d
    };
    let notice_date = date(r, "notice_date", "执行通知日期");
    let report_order_date = date(r, "report_order_date", "报告财产令日期");
    let report_verified = r.boolean("report_verified").unwrap_or(false);
    let consumption_ban_date = date(r, "consumption_ban_date", "限制消费令日期");
    let dishonest = r.choice("dishonest", "纳入失信", &DISHONEST_CHOICES);
    let network_search_date = date(r, "network_search_date", "网络查控日期");
    let clues = r.choice("clues", "财产线索", &CLUE_CHOICES);
    let whereabouts = r.choice("whereabouts", "下落查找", &WHEREABOUTS_CHOICES);
    let sanctions = r.choice("sanctions", "强制措施", &SANCTION_CHOICES);
    let applicant_informed_date = date(r, "applicant_informed_date", "告知申请执行人日期");
    let approval = r.choice("approval", "审批方式", &APPROVALS);
    let check_date = r.date("check_date");
    let checker = r.free_text("checker");
    let verdict = r.choice("verdict", "核查结论", &VERDICTS);
    let flaws = r.free_text("flaws");
    if let Some((_, _, closed)) = &case {
        // Every step precedes the 终本 (终本规定 arts. 1-5); the check follows it.
        for (column, name, d) in &dates {
            if d > closed {
                r.add(column, format!("{name} {d} 晚于终本结案日期 {closed}"));
            }
        }
        if let Some(c) = check_date
            && c < *closed
        {
            r.add(
                "check_date",
                format!("核查日期 {c} 早于终本结案日期 {closed}（核查在结案之后）"),
            );
        }
    }
    if verdict.is_some() && check_date.is_none() && !r.failed("check_date") {
        r.add("verdict", "填写了核查结论，但没有核查日期".to_owned());
    }
    if !r.ok() {
        return None;
    }
    let (case_number, facts, _) = case?;
    Some(TerminationCheck {
        case_number,
        court_code: facts.court_code,
        notice_date,
        report_order_date,
        report_verified,
        consumption_ban_date,
        dishonest,
        network_search_date,
        clues,
        whereabouts,
        sanctions,
        applicant_informed_date,
        approval,
        check_date,
        checker,
        verdict,
        flaws,
    })
}

fn search_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<PostTerminationSearch> {
    let case = terminated_case(r, known);
    let date = r.required("date", values::date);
    let found = r.boolean("found").unwrap_or(false);
    if let (Some((_, _, closed)), Some(d)) = (&case, date)
        && d < *closed
    {
        r.add("date", format!("查询日期 {d} 早于终本结案日期 {closed}"));
    }
    if !r.ok() {
        return None;
    }
    let (case_number, facts, _) = case?;
    Some(PostTerminationSearch {
        case_number,
        court_code: facts.court_code,
        date: date?,
        found,
    })
}

fn grounds_of(text: &str) -> Result<Vec<u8>, String> {
    let mut grounds = Vec::new();
    for item in values::list(&text.replace(['，', ','], ";")) {
        match item.trim().parse::<u8>() {
            Ok(g) if (1..=6).contains(&g) => {
                if !grounds.contains(&g) {
                    grounds.push(g);
                }
            }
            _ => {
                return Err(format!(
                    "失信情形“{item}”应为 1 至 6（失信被执行人名单规定第一条各项）"
                ));
            }
        }
    }
    if grounds.is_empty() {
        return Err("失信情形不能为空".to_owned());
    }
    grounds.sort_unstable();
    Ok(grounds)
}

fn listing_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<DishonestListing> {
    let id = r.required("listing_id", values::text);
    let case = enforcement_case(r, known);
    let person_name = r.required("person_name", values::text);
    let person_id = r.required("person_id", person_id);
    let person_type = r.required("person_type", |t| word(t, "主体类型", &PERSON_TYPES));
    let minor = r.boolean("minor").unwrap_or(false);
    let grounds = r.required("grounds", grounds_of);
    let applied_date = r.date("applied_date");
    let decided_date = r.required("decided_date", values::date);
    let term_extension_months = r.optional("term_extension_months", |t| {
        values::count(t)
            .ok()
            .filter(|m| (12..=36).contains(m))
            .ok_or_else(|| format!("延长月数“{t}”应为 12 至 36（失信规定第二条第一款）"))
    });
    let condition_date = r.date("condition_date");
    let correction_applied_date = r.date("correction_applied_date");
    let correction_decided_date = r.date("correction_decided_date");
    let removal_date = r.date("removal_date");
    let reasons: Vec<&str> = REMOVAL_REASONS.iter().map(|(reason, _)| *reason).collect();
    let removal_reason = r.choice("removal_reason", "删除原因", &reasons);
    if minor {
        r.add(
            "minor",
            "不得将未成年人纳入失信被执行人名单（失信规定第四条）".to_owned(),
        );
    }
    if let (Some((_, f)), Some(d)) = (&case, decided_date)
        && d < f.filed_date
    {
        r.add(
            "decided_date",
            format!("决定日期 {d} 早于执行案件立案日期 {}", f.filed_date),
        );
    }
    if let (Some(removed), Some(decided)) = (removal_date, decided_date)
        && removed < decided
    {
        r.add(
            "removal_date",
            format!("删除日期 {removed} 早于决定日期 {decided}"),
        );
    }
    match (removal_date.is_some(), removal_reason.is_some()) {
        (true, false) if !r.failed("removal_reason") => {
            r.add("removal_reason", "有删除日期，须填写删除原因".to_owned());
        }
        (false, true) if !r.failed("removal_date") => {
            r.add("removal_date", "填写了删除原因，但没有删除日期".to_owned());
        }
        _ => {}
    }
    if !r.ok() {
        return None;
    }
    let (case_number, facts) = case?;
    let listing = DishonestListing {
        listing_id: id?,
        case_number,
        court_code: facts.court_code,
        person_name: person_name?,
        person_id: person_id?,
        person_type: person_type?,
        minor,
        grounds: grounds?,
        applied_date,
        decided_date: decided_date?,
        term_extension_months,
        condition_date,
        correction_applied_date,
        correction_decided_date,
        removal_date,
        removal_reason,
    };
    // 期限届满 needs a term that has ended (art. 10 ¶2).
    if listing.removal_reason.as_deref() == Some("期限届满") {
        match (listing.term_end(), listing.removal_date) {
            (None, _) => r.add(
                "removal_reason",
                "删除原因“期限届满”，但该名单没有纳入期限（仅有失信情形第一项）".to_owned(),
            ),
            (Some(end), Some(removed)) if removed < end => r.add(
                "removal_reason",
                format!("删除原因“期限届满”，但删除日期 {removed} 早于期限届满日 {end}"),
            ),
            _ => {}
        }
    }
    // A termed listing removed under an art. 10 ¶1 reason: the ground is 提前删除 (art. 10 ¶2,
    // art. 2 ¶2).
    if listing.term_end().is_some()
        && listing
            .removal_reason
            .as_deref()
            .is_some_and(|reason| REMOVAL_REASONS[..7].iter().any(|(r, _)| *r == reason))
    {
        r.warn(
            "removal_reason",
            "有纳入期限的名单不适用失信规定第十条第一款（第十条第二款），提前删除应按第二条第二款处理；本行已导入".to_owned(),
        );
    }
    r.ok().then_some(listing)
}

fn action_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<EnforcementAction> {
    let id = r.required("action_id", values::text);
    let court = r.court("court_code", known.court);
    let date = r.required("date", values::date);
    let title = r.required("title", values::text);
    let case_count = r.optional("case_count", values::count).unwrap_or(0);
    let recovered = r
        .optional("recovered_amount", values::amount)
        .unwrap_or_default();
    if !r.ok() {
        return None;
    }
    Some(EnforcementAction {
        action_id: id?,
        court_code: court?,
        date: date?,
        title: title?,
        case_count: u64::from(case_count),
        recovered_amount: recovered,
    })
}

#[cfg(test)]
mod tests;
