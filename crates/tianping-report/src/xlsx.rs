//! The bulletin as a workbook: a first sheet with the title and the summary, then one sheet per
//! table. Numbers are stored as numbers (rates as fractions with a percent format), values
//! outside their reference interval in red bold.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::bulletin::{Bulletin, Cell, Table};
use crate::format::Unit;

fn number_format(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "0",
        Unit::Rate => "0.00%",
        Unit::Days | Unit::Ratio => "0.00",
        Unit::Yuan => "#,##0.00",
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, used: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{clean}{n}");
        n += 1;
    }
    used.push(name.clone());
    name
}

/// Write the workbook into bytes.
pub fn render(bulletin: &Bulletin) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(16);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE8EEF5))
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let mut used = Vec::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name("通报摘要", &mut used))?;
    sheet.set_column_width(0, 110)?;
    sheet.write_string_with_format(0, 0, &bulletin.title, &title)?;
    sheet.write_string(
        1,
        0,
        format!("{}　{}", bulletin.issuer, bulletin.issued_zh()),
    )?;
    sheet.write_string(
        2,
        0,
        format!(
            "统计期间：{} 至 {}",
            bulletin.from.format("%Y-%m-%d"),
            bulletin.to.format("%Y-%m-%d")
        ),
    )?;
    for (i, paragraph) in bulletin.summary.iter().enumerate() {
        sheet.write_string_with_format(4 + i as u32, 0, paragraph, &wrap)?;
    }

    for table in bulletin.tables() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.sheet, &mut used))?;
        write_table(sheet, table, &title, &header)?;
    }
    workbook.save_to_buffer()
}

fn write_table(
    sheet: &mut rust_xlsxwriter::Worksheet,
    table: &Table,
    title: &Format,
    header: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &table.caption, title)?;
    for (c, text) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, text, header)?;
        let width = if c == 0 { 24.0 } else { 14.0 };
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_row_height(1, 32)?;
    sheet.set_freeze_panes(2, 1)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.cells.iter().enumerate() {
            write_cell(sheet, r, c as u16, cell, row.total)?;
        }
    }
    if let Some(note) = &table.note {
        sheet.write_string(table.rows.len() as u32 + 3, 0, note)?;
    }
    Ok(())
}

fn write_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    total: bool,
) -> Result<(), XlsxError> {
    let mut format = Format::new().set_border(FormatBorder::Thin);
    if total {
        format = format.set_bold();
    }
    if cell.outside {
        format = format
            .set_bold()
            .set_font_color(Color::RGB(0xC0392B))
            .set_background_color(Color::RGB(0xFDECEA));
    }
    match (cell.number, cell.unit) {
        (Some(value), Some(unit)) => {
            sheet.write_number_with_format(
                row,
                col,
                value,
                &format.set_num_format(number_format(unit)),
            )?;
        }
        _ => {
            sheet.write_string_with_format(row, col, &cell.text, &format)?;
        }
    }
    Ok(())
}
