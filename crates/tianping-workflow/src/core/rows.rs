//! What every module's import checks share (`workflows.md` §0.9): the rows of a file as the
//! exchange reader kept them, one row being checked with its problems and warnings (each naming
//! its column, in Chinese like every import message), the records an import brings so far with
//! the keys it refused, and the common cell rules (dates, yes/no, words of a list, courts that
//! must exist, case numbers).

use std::collections::HashMap;

use chrono::NaiveDate;
use tianping_domain::{CaseNumber, CourtCode};
use tianping_exchange::{Kind, values};

/// One file's rows as the reader kept them.
#[derive(Debug, Clone, Copy)]
pub struct TableFile<'a> {
    /// The file's name, as messages name it.
    pub file: &'a str,
    pub kind: Kind,
    /// Each row without a problem of the reader's, with its cells in the order of
    /// [`tianping_exchange::template_columns`].
    pub rows: &'a [(usize, Vec<String>)],
    /// The rows the reader refused, with their key cell as written (`org_id`, `mediator_id`,
    /// `mediation_id`): what names them is refused too.
    pub refused: &'a [(usize, String)],
}

/// A problem of one row: the column's English name (the caller writes the header as the file
/// has it) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: &'static str,
    pub message: String,
}

/// The records of one kind this import brings so far (with the file and row of each), and the
/// keys it refused (with `file:row`).
#[derive(Debug)]
pub(crate) struct Records<T> {
    /// `组织编号`, `调解员编号`, `调解案号`: what a duplicate key is called.
    key_name: &'static str,
    /// How a key cell as written becomes a key (a mediation id that is a case number is
    /// normalized).
    key_of: fn(&str) -> String,
    good: HashMap<String, (T, String, usize)>,
    refused: HashMap<String, String>,
}

/// Where a key was found.
pub(crate) enum Found<T> {
    Yes(T),
    /// Refused in this import, at `file:row`.
    Refused(String),
    No,
}

impl<T: Clone> Records<T> {
    pub(crate) fn new(key_name: &'static str, key_of: fn(&str) -> String) -> Records<T> {
        Records {
            key_name,
            key_of,
            good: HashMap::new(),
            refused: HashMap::new(),
        }
    }

    pub(crate) fn refuse(&mut self, key: String, at: String) {
        self.refused.entry(key).or_insert(at);
    }

    /// Keep the record of a row without problems (a key given twice in the import is a problem
    /// of the later row, as a case number is); remember the key of a refused row.
    pub(crate) fn take(
        &mut self,
        r: &mut Row<'_>,
        column: &'static str,
        record: Option<T>,
        file: &str,
        key: impl Fn(&T) -> String,
    ) -> Option<T> {
        if let Some(record) = &record {
            let id = key(record);
            if let Some((_, first_file, first_row)) = self.good.get(&id) {
                let message = if first_file == file {
                    format!("{}重复：{id} 已在第 {first_row} 行出现", self.key_name)
                } else {
                    format!(
                        "{}重复：{id} 也在 {first_file} 第 {first_row} 行出现",
                        self.key_name
                    )
                };
                r.add(column, message);
            }
        }
        match record {
            Some(record) if r.ok() => {
                self.good
                    .insert(key(&record), (record.clone(), file.to_owned(), r.row));
                Some(record)
            }
            _ => {
                let id = (self.key_of)(r.text(column));
                if !id.is_empty() && !self.good.contains_key(&id) {
                    self.refuse(id, format!("{file}:{}", r.row));
                }
                None
            }
        }
    }

    /// The record of `key`: this import's, else refused here, else the database's.
    pub(crate) fn find(&self, key: &str, stored: &dyn Fn(&str) -> Option<T>) -> Found<T> {
        if let Some((record, _, _)) = self.good.get(key) {
            Found::Yes(record.clone())
        } else if let Some(at) = self.refused.get(key) {
            Found::Refused(at.clone())
        } else {
            stored(key).map_or(Found::No, Found::Yes)
        }
    }
}

/// One row being checked.
pub(crate) struct Row<'a> {
    pub(crate) names: &'a [&'static str],
    pub(crate) cells: &'a [String],
    pub(crate) row: usize,
    pub(crate) problems: Vec<RowProblem>,
    pub(crate) warnings: Vec<RowProblem>,
}

impl<'a> Row<'a> {
    pub(crate) fn text(&self, name: &str) -> &'a str {
        self.names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.cells.get(i))
            .map_or("", |s| s.trim())
    }

    pub(crate) fn add(&mut self, column: &'static str, message: String) {
        self.problems.push(RowProblem {
            row: self.row,
            column,
            message,
        });
    }

    pub(crate) fn warn(&mut self, column: &'static str, message: String) {
        self.warnings.push(RowProblem {
            row: self.row,
            column,
            message,
        });
    }

    pub(crate) fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether a problem of `column` was found.
    pub(crate) fn failed(&self, column: &str) -> bool {
        self.problems.iter().any(|p| p.column == column)
    }

    pub(crate) fn optional<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.text(column);
        if text.is_empty() {
            return None;
        }
        parse(text).map_err(|e| self.add(column, e)).ok()
    }

    pub(crate) fn required<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.text(column).is_empty() {
            self.add(column, "必填，不能为空".to_owned());
            return None;
        }
        self.optional(column, parse)
    }

    pub(crate) fn free_text(&mut self, column: &'static str) -> Option<String> {
        self.optional(column, values::text)
    }

    /// One word of `allowed`.
    pub(crate) fn choice(
        &mut self,
        column: &'static str,
        what: &str,
        allowed: &[&str],
    ) -> Option<String> {
        self.optional(column, |t| word(t, what, allowed))
    }

    /// A list cell (§0.9), each item one word of `allowed`.
    pub(crate) fn list(
        &mut self,
        column: &'static str,
        what: &str,
        allowed: &[&str],
    ) -> Vec<String> {
        let items = values::list(self.text(column));
        let mut kept = Vec::new();
        for item in items {
            match word(&item, what, allowed) {
                Ok(item) if !kept.contains(&item) => kept.push(item),
                Ok(_) => {}
                Err(message) => self.add(column, message),
            }
        }
        kept
    }

    pub(crate) fn boolean(&mut self, column: &'static str) -> Option<bool> {
        self.optional(column, values::boolean)
    }

    pub(crate) fn date(&mut self, column: &'static str) -> Option<NaiveDate> {
        self.optional(column, values::date)
    }

    /// A court code that must exist (`exists`: in the database or the same import).
    pub(crate) fn court(
        &mut self,
        column: &'static str,
        exists: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        let code = self.required(column, |t| {
            CourtCode::parse(t)
                .map(|c| c.as_str().to_owned())
                .map_err(|e| e.zh())
        })?;
        if !exists(&code) {
            self.add(
                column,
                format!("找不到法院 {code}：数据库和本次导入中都没有这个法院"),
            );
        }
        Some(code)
    }

    /// A case number (§0.9 "(case)"), normalized.
    pub(crate) fn case_number(&mut self, column: &'static str) -> Option<CaseNumber> {
        self.optional(column, values::case_number)
    }
}

/// `text` if it is one of `allowed`; else `组织类型“x”无法识别（应为 …）`.
pub(crate) fn word(text: &str, what: &str, allowed: &[&str]) -> Result<String, String> {
    let text = text.trim();
    if allowed.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "{what}“{text}”无法识别（应为 {}）",
            values::one_of(allowed)
        ))
    }
}
