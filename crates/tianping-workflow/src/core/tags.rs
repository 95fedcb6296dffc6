//! The case-tags file (案件标签, `workflows.md` §0.9): `case_number` (case, must exist) and
//! `tag` (e.g. 涉民营企业账款, 长期未结督办), keyed by both; used by `--tag` filters.

use std::collections::HashMap;

use tianping_exchange::{Kind, values};

use super::rows::{Row, RowProblem, TableFile};

/// What the checks made of one file: `(row, (case number, tag))`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedFile {
    pub tags: Vec<(usize, (String, String))>,
    pub problems: Vec<RowProblem>,
}

/// Check the case-tags files of one import; `case` says whether a case is in the database or
/// the same import.
pub fn check_files(files: &[TableFile<'_>], case: &dyn Fn(&str) -> bool) -> Vec<CheckedFile> {
    let mut seen: HashMap<(String, String), String> = HashMap::new();
    let mut out = Vec::new();
    for file in files {
        let mut checked = CheckedFile::default();
        if file.kind != Kind::CaseTags {
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
            let number = r.required("case_number", |t| {
                values::case_number(t).map(|n| values::normalized(&n))
            });
            let tag = r.required("tag", |t| {
                let t = values::text(t)?;
                if t.chars().count() > 30 {
                    Err(format!("标签“{t}”过长（至多 30 个字）"))
                } else {
                    Ok(t)
                }
            });
            if let Some(n) = &number
                && !case(n)
            {
                r.add(
                    "case_number",
                    format!("案号 {n}：数据库和本次导入中都没有这个案件"),
                );
            }
            if let (Some(n), Some(t)) = (&number, &tag) {
                let key = (n.clone(), t.clone());
                match seen.get(&key) {
                    Some(at) => r.add("tag", format!("标签重复：{n} {t} 已在 {at} 出现")),
                    None => {
                        seen.insert(key, format!("{}:{}", file.file, row));
                    }
                }
            }
            if r.ok()
                && let (Some(n), Some(t)) = (number, tag)
            {
                checked.tags.push((*row, (n, t)));
            }
            checked.problems.append(&mut r.problems);
        }
        out.push(checked);
    }
    out
}
