//! What every list page shares: sorting by a column (`sort=`, `dir=asc|desc`), paging
//! (`page=`, `per_page=`, 200 rows a page by default, at most 1,000) and the export of the
//! whole list with the page's filters as an Excel workbook (`format=xlsx` on the page's URL):
//! numbers and dates as real cells, an autofilter and a frozen header row.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};

use super::courts::seg;
use crate::WebError;

pub const DEFAULT_PER_PAGE: usize = 200;
pub const MAX_PER_PAGE: usize = 1000;

/// The sorting, paging and format parameters of a list page.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct TableQuery {
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub format: Option<String>,
}

/// How a list is sorted: a column key the page offers and a direction.
#[derive(Debug, Clone, Serialize)]
pub struct Sorting {
    pub key: String,
    pub desc: bool,
}

/// One page of a list, as the template shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub total: usize,
    /// The first and last row shown, 1-based (0 and 0 for an empty list).
    pub first: usize,
    pub last: usize,
}

fn number(name: &str, text: Option<&str>, default: usize) -> Result<usize, WebError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| WebError::BadRequest(format!("{name}：“{t}”应为正整数"))),
    }
}

impl TableQuery {
    /// The sorting asked for, among `keys` (the first is the default with `default_desc`).
    pub fn sorting(&self, keys: &[&str], default_desc: bool) -> Result<Sorting, WebError> {
        let key = match self
            .sort
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => keys[0],
            Some(k) if keys.contains(&k) => k,
            Some(k) => {
                return Err(WebError::BadRequest(format!(
                    "sort：不能按“{k}”排序（可选：{}）",
                    keys.join("、")
                )));
            }
        };
        let desc = match self.dir.as_deref().map(str::trim) {
            None | Some("") => {
                if key == keys[0] {
                    default_desc
                } else {
                    false
                }
            }
            Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(WebError::BadRequest(format!(
                    "dir：“{other}”应为 asc（升序）或 desc（降序）"
                )));
            }
        };
        Ok(Sorting {
            key: key.to_owned(),
            desc,
        })
    }

    /// The page of `total` rows asked for; a page past the end shows the last one.
    pub fn pager(&self, total: usize) -> Result<Pager, WebError> {
        let per_page = number("per_page", self.per_page.as_deref(), DEFAULT_PER_PAGE)?;
        if per_page > MAX_PER_PAGE {
            return Err(WebError::BadRequest(format!(
                "per_page：每页最多 {MAX_PER_PAGE} 行（导出 Excel 含全部）"
            )));
        }
        let pages = total.div_ceil(per_page).max(1);
        let page = number("page", self.page.as_deref(), 1)?.min(pages);
        let first = (page - 1) * per_page;
        let last = (first + per_page).min(total);
        Ok(Pager {
            page,
            pages,
            per_page,
            total,
            first: if total == 0 { 0 } else { first + 1 },
            last,
        })
    }

    /// Whether the page's URL asks for the Excel workbook.
    pub fn wants_xlsx(&self) -> Result<bool, WebError> {
        match self.format.as_deref().map(str::trim) {
            None | Some("") | Some("html") => Ok(false),
            Some("xlsx") => Ok(true),
            Some(other) => Err(WebError::BadRequest(format!("format：“{other}”不是 xlsx"))),
        }
    }
}

impl Pager {
    /// The rows of this page, out of the whole sorted list.
    pub fn slice<'a, T>(&self, rows: &'a [T]) -> &'a [T] {
        if self.total == 0 {
            return &[];
        }
        &rows[self.first - 1..self.last]
    }
}

/// Sort `rows` by the key's comparison; ties keep their order (the list's own order).
pub fn sort_rows<T>(
    rows: &mut [T],
    sorting: &Sorting,
    compare: impl Fn(&str, &T, &T) -> std::cmp::Ordering,
) {
    rows.sort_by(|a, b| {
        let o = compare(&sorting.key, a, b);
        if sorting.desc { o.reverse() } else { o }
    });
}

/// A query string of the page's filters (empty values left out), to which the templates add
/// `sort`, `dir`, `page` or `format`.
pub fn filter_query(pairs: &[(&str, Option<String>)]) -> String {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (*k, v))
        })
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// A cell of an exported table.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A rate (0.9573) shown as 95.73%.
    Percent(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    pub fn opt_number(n: Option<f64>) -> Cell {
        n.map_or(Cell::Empty, Cell::Number)
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> WebError {
    WebError::Internal(format!("xlsx: {e}"))
}

/// A workbook of one sheet: bold frozen header, autofilter over the whole table, dates as
/// dates (`yyyy-mm-dd`), numbers as numbers.
pub fn workbook(
    sheet_name: &str,
    columns: &[(&str, f64)],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, WebError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let percent = Format::new().set_num_format("0.00%");
    for (col, (title, width)) in columns.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *title, &bold)
            .map_err(xlsx_error)?;
        sheet.set_column_width(col, *width).map_err(xlsx_error)?;
    }
    for (i, cells) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) if !t.is_empty() => {
                    sheet.write_string(row, col, t).map_err(xlsx_error)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(row, col, *n).map_err(xlsx_error)?;
                }
                Cell::Percent(n) => {
                    sheet
                        .write_number_with_format(row, col, *n, &percent)
                        .map_err(xlsx_error)?;
                }
                Cell::Date(d) => {
                    let excel = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        chrono::Datelike::year(d) as u16,
                        chrono::Datelike::month(d) as u8,
                        chrono::Datelike::day(d) as u8,
                    )
                    .map_err(xlsx_error)?;
                    sheet
                        .write_datetime_with_format(row, col, &excel, &date)
                        .map_err(xlsx_error)?;
                }
                Cell::Text(_) | Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    if !columns.is_empty() {
        sheet
            .autofilter(0, 0, rows.len() as u32, columns.len() as u16 - 1)
            .map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The workbook as a download named `filename` (ASCII `fallback` for old clients).
pub fn xlsx_response(bytes: Vec<u8>, fallback: &str, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
                    seg(filename)
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(page: Option<&str>, per_page: Option<&str>) -> TableQuery {
        TableQuery {
            page: page.map(str::to_owned),
            per_page: per_page.map(str::to_owned),
            ..TableQuery::default()
        }
    }

    #[test]
    fn pages_cover_every_row_once_and_a_page_past_the_end_shows_the_last() {
        let rows: Vec<usize> = (0..2_345).collect();
        let mut seen = Vec::new();
        let first = q(None, None).pager(rows.len()).unwrap();
        assert_eq!((first.pages, first.per_page), (12, 200));
        for page in 1..=first.pages {
            let p = q(Some(&page.to_string()), None).pager(rows.len()).unwrap();
            seen.extend_from_slice(p.slice(&rows));
        }
        assert_eq!(seen, rows);
        let last = q(Some("99"), None).pager(rows.len()).unwrap();
        assert_eq!((last.page, last.first, last.last), (12, 2_201, 2_345));
        let empty = q(None, None).pager(0).unwrap();
        assert_eq!((empty.pages, empty.first, empty.last), (1, 0, 0));
        assert!(empty.slice(&rows[..0]).is_empty());
    }

    #[test]
    fn bad_paging_and_sorting_are_refused_in_chinese() {
        assert!(q(Some("0"), None).pager(10).is_err());
        assert!(q(Some("x"), None).pager(10).is_err());
        assert!(q(None, Some("1001")).pager(10).is_err());
        let bad = TableQuery {
            sort: Some("nope".into()),
            ..TableQuery::default()
        };
        assert!(bad.sorting(&["a", "b"], false).is_err());
        let ok = TableQuery {
            sort: Some("b".into()),
            dir: Some("desc".into()),
            ..TableQuery::default()
        };
        let s = ok.sorting(&["a", "b"], false).unwrap();
        assert_eq!((s.key.as_str(), s.desc), ("b", true));
    }
}
