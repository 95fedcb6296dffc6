//! Printing rows as an aligned table (Chinese labels), JSON or CSV.

use std::io::Write;

use clap::ValueEnum;
use tianping_exchange::spreadsheet_safe;
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

    /// The rows as CSV, every cell through [`spreadsheet_safe`]: `--format csv` output is meant
    /// for spreadsheets, and the cells hold text from imported files and from the command line.
    pub fn write_csv(&self, out: impl Write, header: &[&str]) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(header)?;
        for row in &self.rows {
            let cells: Vec<_> = row.iter().map(|cell| spreadsheet_safe(cell)).collect();
            writer.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// The same bytes the HTTP API answers (`tianping_metrics::documents::to_json_bytes`).
pub fn write_json(out: &mut impl Write, value: &serde_json::Value) -> std::io::Result<()> {
    out.write_all(&tianping_metrics::documents::to_json_bytes(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_of(rows: Vec<Vec<&str>>) -> String {
        let mut table = TextTable::new(vec!["a", "b"]);
        for row in rows {
            table.push(row.into_iter().map(str::to_owned).collect());
        }
        let mut out = Vec::new();
        table.write_csv(&mut out, &["a", "b"]).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_written_as_text() {
        let csv = csv_of(vec![
            vec![
                "=HYPERLINK(\"http://evil.example\")",
                "+1+cmd|' /C calc'!A0",
            ],
            vec!["-2+3", "@SUM(A1:A9)"],
            vec!["\tindented", "\rreturn"],
        ]);
        assert_eq!(
            csv,
            "a,b\n\
             \"'=HYPERLINK(\"\"http://evil.example\"\")\",'+1+cmd|' /C calc'!A0\n\
             '-2+3,'@SUM(A1:A9)\n\
             '\tindented,\"'\rreturn\"\n"
        );
    }

    #[test]
    fn numbers_and_ordinary_text_are_written_as_they_are() {
        let csv = csv_of(vec![
            vec!["-5", "+1.25"],
            vec!["-0.5", "1e-5"],
            vec!["（2023）皖0202民初1号", "张明"],
            vec!["a=b", ""],
        ]);
        assert_eq!(
            csv,
            "a,b\n-5,+1.25\n-0.5,1e-5\n（2023）皖0202民初1号,张明\na=b,\n"
        );
    }

    #[test]
    fn only_whole_numbers_count_as_numbers() {
        for number in ["-5", "+1.25", "-.5", "-5.", "-1e-5", "+2E+3"] {
            assert_eq!(spreadsheet_safe(number), number);
        }
        for text in [
            "-", "+", "-.", "-inf", "-NaN", "-1-1", "-1e", "--1", "-1.2.3", "- 1",
        ] {
            assert_eq!(spreadsheet_safe(text), format!("'{text}"));
        }
    }
}
