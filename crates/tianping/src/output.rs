//! Printing rows as an aligned table (Chinese labels), JSON or CSV.

use std::io::Write;

use clap::ValueEnum;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Rows of text cells under a header, printed as aligned columns or CSV.
#[derive(Debug)]
pub struct TextTable {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new(header: Vec<&'static str>) -> TextTable {
        TextTable {
            header,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    /// Columns padded to their display width (a Chinese character is two columns wide).
    pub fn write_aligned(&self, out: &mut impl Write) -> std::io::Result<()> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                text.push_str(cell);
                if i + 1 < cells.len() {
                    text.push_str(&" ".repeat(w - cell.width()));
                }
            }
            text
        };
        writeln!(out, "{}", line(self.header.clone()))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
        }
        Ok(())
    }

    pub fn write_csv(&self, out: impl Write, header: &[&str]) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(header)?;
        for row in &self.rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// The same bytes the HTTP API answers (`tianping_metrics::documents::to_json_bytes`).
pub fn write_json(out: &mut impl Write, value: &serde_json::Value) -> std::io::Result<()> {
    out.write_all(&tianping_metrics::documents::to_json_bytes(value))
}
