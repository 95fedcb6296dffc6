//! The fee-refunds exchange file (`workflows.md` §4.5, with the general rules of §0.9). Pure:
//! what the database holds comes in as [`Known`]; every problem goes out as a [`RowProblem`].

use chrono::NaiveDate;
use tianping_domain::Money;
use tianping_exchange::{Kind, values};

use super::model::{DOCUMENTS, FEE_KINDS, FeeRefund, REASONS};
use crate::core::rows::{Records, Row, word};
pub use crate::core::rows::{RowProblem, TableFile};

/// What the checks need to know of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub court_code: String,
    pub closed_date: Option<NaiveDate>,
    /// 二审 (the refund of the second-instance fee on 发回重审, 办法 art. 27 ¶1).
    pub second_instance: bool,
    /// Tried under 简易程序 (办法 art. 16), if the procedure is known.
    pub simple_procedure: Option<bool>,
}

/// What the checks need of the database.
#[derive(Clone, Copy)]
pub struct Known<'a> {
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
    pub refunds: Vec<(usize, FeeRefund)>,
    pub problems: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
}

fn id_key(text: &str) -> String {
    text.trim().to_owned()
}

/// Check the fee-refund files of one import.
pub fn check_files(files: &[TableFile<'_>], known: &Known<'_>) -> Vec<CheckedFile> {
    let mut records: Records<FeeRefund> = Records::new("退费编号", id_key);
    let mut out = Vec::new();
    for file in files {
        let mut checked = CheckedFile::default();
        if file.kind != Kind::FeeRefunds {
            out.push(checked);
            continue;
        }
        let names: Vec<&'static str> = tianping_exchange::template_columns(file.kind)
            .iter()
            .map(|c| c.name)
            .collect();
        for (row, key) in file.refused {
            records.refuse(id_key(key), format!("{}:{row}", file.file));
        }
        for (row, cells) in file.rows {
            let mut r = Row {
                names: &names,
                cells,
                row: *row,
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            let record = refund_row(&mut r, known);
            if let Some(f) = records.take(&mut r, "refund_id", record, file.file, |f| {
                f.refund_id.clone()
            }) {
                checked.refunds.push((*row, f));
            }
            checked.problems.append(&mut r.problems);
            checked.warnings.append(&mut r.warnings);
        }
        out.push(checked);
    }
    out
}

fn positive(text: &str) -> Result<Money, String> {
    let money = values::amount(text)?;
    if money.fen() <= 0 {
        return Err(format!("应退金额应大于 0（“{text}”）"));
    }
    Ok(money)
}

fn refund_row(r: &mut Row<'_>, known: &Known<'_>) -> Option<FeeRefund> {
    let id = r.required("refund_id", values::text);
    let number = r.case_number("case_number").map(|n| values::normalized(&n));
    let facts = number.as_deref().and_then(|n| (known.case)(n));
    if let Some(n) = &number
        && facts.is_none()
    {
        r.add(
            "case_number",
            format!("案号 {n}：数据库和本次导入中都没有这个案件（退费须对应已有案件）"),
        );
    }
    let payer = r.required("payer", values::text);
    let fee_kind = r
        .choice("fee_kind", "费用种类", &FEE_KINDS)
        .unwrap_or_else(|| FEE_KINDS[0].to_owned());
    let reasons: Vec<&str> = REASONS.iter().map(|(reason, _)| *reason).collect();
    let reason = r.required("reason", |t| word(t, "退费原因", &reasons));
    let amount = r.required("amount", positive);
    let document = r.choice("document", "文书类型", &DOCUMENTS);
    let effective = r.required("effective_date", |t| {
        tianping_domain::dates::parse_date(t).map_err(|e| e.zh())
    });
    let account = r.date("account_date");
    let refunded = r.date("refunded_date");
    let refunded_amount = r.optional("refunded_amount", values::amount);
    let waived = r.boolean("waived").unwrap_or(false);
    let note = r.free_text("note");

    if let (Some(f), Some(e)) = (&facts, effective) {
        match f.closed_date {
            None => r.add(
                "effective_date",
                format!("案件尚未结案，文书不能在 {e} 生效（生效日期应在结案之后）"),
            ),
            Some(c) if e < c => r.add(
                "effective_date",
                format!("生效日期 {e} 早于案件结案日期 {c}"),
            ),
            _ => {}
        }
        match reason.as_deref() {
            Some("发回重审") if !f.second_instance => r.add(
                "reason",
                "退费原因“发回重审”只适用于二审案件（诉讼费用交纳办法第二十七条第一款）".to_owned(),
            ),
            Some("简易程序减半") if f.simple_procedure == Some(false) => r.warn(
                "reason",
                "退费原因“简易程序减半”，但案件不是简易程序（诉讼费用交纳办法第十六条），请核对；本行已导入".to_owned(),
            ),
            _ => {}
        }
    }
    if let (Some(d), Some(e)) = (refunded, effective)
        && d < e
    {
        r.add("refunded_date", format!("退费日期 {d} 早于生效日期 {e}"));
    }
    if let (Some(paid), Some(owed)) = (refunded_amount, amount)
        && paid.fen() > owed.fen()
    {
        r.add(
            "refunded_amount",
            format!("已退金额 {paid} 元超过应退金额 {owed} 元"),
        );
    }
    if refunded_amount.is_some() && refunded.is_none() && !r.failed("refunded_date") {
        r.add(
            "refunded_amount",
            "填写了已退金额，但没有退费日期".to_owned(),
        );
    }
    if waived && refunded.is_some() {
        r.add(
            "waived",
            "免退的退费不能同时有退费日期（免退即不再退还）".to_owned(),
        );
    }
    if !r.ok() {
        return None;
    }
    let facts = facts?;
    Some(FeeRefund {
        refund_id: id?,
        case_number: number?,
        court_code: facts.court_code,
        payer: payer?,
        fee_kind,
        reason: reason?,
        amount: amount?,
        document,
        effective_date: effective?,
        account_date: account,
        refunded_date: refunded,
        refunded_amount,
        waived,
        waived_date: None,
        note,
    })
}

#[cfg(test)]
mod tests;
