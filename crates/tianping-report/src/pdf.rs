//! The bulletin as PDF, laid out by typst (`bulletin.typ`, compiled into the binary) with the
//! fonts installed on the system: no font ships with Tianping, and no package is downloaded.
//! Courts' Windows machines have the official faces (方正小标宋简体, 黑体, 楷体_GB2312,
//! 仿宋_GB2312); Linux servers have Noto CJK (`apt-get install fonts-noto-cjk`), which every font
//! list of the template falls back to. Without any Chinese font the PDF would be boxes, so the
//! renderer refuses and names the package instead.
//!
//! The system fonts are scanned once per process (a server renders many bulletins).

use std::sync::OnceLock;

use serde_json::{Value, json};
use typst_as_lib::TypstEngine;

use crate::RenderError;
use crate::bulletin::{Block, Bulletin, Table};

const TEMPLATE: &str = include_str!("bulletin.typ");
const LETTER_TEMPLATE: &str = include_str!("letter.typ");

/// A character of the body text; a font that has it has the bulletin's Chinese.
const PROBE: char = '审';

/// Where fonts are looked for besides the system's: a directory of TTF/OTF/TTC files, for a
/// server that may not install packages.
pub const FONT_DIR_VARIABLE: &str = "TIANPING_FONT_DIR";

/// `off` leaves the system's fonts out, so that only `TIANPING_FONT_DIR` is used (a court that
/// wants every bulletin in one controlled set of faces).
pub const SYSTEM_FONTS_VARIABLE: &str = "TIANPING_SYSTEM_FONTS";

fn system_fonts_wanted() -> bool {
    std::env::var(SYSTEM_FONTS_VARIABLE).map_or(true, |v| v != "off")
}

type Engine = TypstEngine<typst_as_lib::TypstTemplateMainFile>;

fn font_dirs() -> Vec<std::path::PathBuf> {
    std::env::var_os(FONT_DIR_VARIABLE)
        .map(|dir| vec![std::path::PathBuf::from(dir)])
        .unwrap_or_default()
}

/// Every family the template names (`bulletin.typ`), as typst reads a font's family: only these
/// are loaded.
const FAMILIES: &[&str] = &[
    "FZXiaoBiaoSong-B05S",
    "方正小标宋简体",
    "STZhongsong",
    "SimSun",
    "宋体",
    "SimHei",
    "黑体",
    "KaiTi_GB2312",
    "KaiTi",
    "楷体",
    "AR PL UKai CN",
    "FangSong_GB2312",
    "FangSong",
    "仿宋",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Noto Serif CJK",
    "Noto Sans CJK",
    "Source Han Serif SC",
    "Source Han Sans SC",
];

/// The installed faces of the template's families, read into memory once. (typst-as-lib's own
/// font search reads a font file again each time typst asks for the font, which made a
/// province bulletin take minutes.)
fn load_fonts() -> Vec<typst::text::Font> {
    use typst::foundations::Bytes;
    let mut found: Vec<(std::path::PathBuf, u32)> = Vec::new();
    let mut consider = |path: std::path::PathBuf, index: u32, info: &typst::text::FontInfo| {
        let wanted = FAMILIES.iter().any(|f| info.family.eq_ignore_ascii_case(f));
        if wanted && !found.iter().any(|(p, i)| *p == path && *i == index) {
            found.push((path, index));
        }
    };
    if system_fonts_wanted() {
        for (font, info) in typst_kit::fonts::system() {
            consider(font.path, font.index, &info);
        }
    }
    for dir in font_dirs() {
        for (font, info) in typst_kit::fonts::scan(&dir) {
            consider(font.path, font.index, &info);
        }
    }
    let mut files: Vec<(std::path::PathBuf, Bytes)> = Vec::new();
    let mut fonts = Vec::new();
    for (path, index) in found {
        let bytes = match files.iter().find(|(p, _)| *p == path) {
            Some((_, bytes)) => bytes.clone(),
            None => {
                let Ok(data) = std::fs::read(&path) else {
                    continue;
                };
                let bytes = Bytes::new(data);
                files.push((path, bytes.clone()));
                bytes
            }
        };
        fonts.extend(typst::text::Font::new(bytes, index));
    }
    fonts
}

/// The fonts, scanned and read once per process; an error names the package to install.
fn fonts() -> Result<&'static [typst::text::Font], RenderError> {
    static FONTS: OnceLock<Result<Vec<typst::text::Font>, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let fonts = load_fonts();
            if !fonts
                .iter()
                .any(|f| f.info().coverage.contains(PROBE as u32))
            {
                return Err(format!(
                    "no font with Chinese characters is installed, so the PDF cannot be written; \
                     install one (Debian/Ubuntu: `apt-get install fonts-noto-cjk`; RHEL/openEuler: \
                     `dnf install google-noto-serif-cjk-fonts`) or point {FONT_DIR_VARIABLE} at a \
                     directory of font files"
                ));
            }
            Ok(fonts)
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(|message| RenderError::Pdf(message.clone()))
}

fn engine() -> Result<&'static Engine, RenderError> {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    let fonts = fonts()?;
    Ok(ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .fonts(fonts.iter().cloned())
            .build()
    }))
}

fn letter_engine() -> Result<&'static Engine, RenderError> {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    let fonts = fonts()?;
    Ok(ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(LETTER_TEMPLATE)
            .fonts(fonts.iter().cloned())
            .build()
    }))
}

/// Compile `engine`'s template with `data` as `sys.inputs.<name>` into a PDF.
fn compile(engine: &Engine, name: &str, data: &Value, what: &str) -> Result<Vec<u8>, RenderError> {
    let data = data.to_string();
    let inputs = typst::foundations::Dict::from_iter([(
        name.into(),
        typst::foundations::Value::Str(data.as_str().into()),
    )]);
    let compiled = engine.compile_with_input(inputs);
    let document = compiled
        .output
        .map_err(|e| RenderError::Pdf(format!("laying out the {what}: {e}")))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(|d| d.message.to_string()).collect();
        RenderError::Pdf(format!("writing the PDF: {}", messages.join("; ")))
    })
}

/// Write the 司法建议书 as PDF (`letter.typ`).
pub fn render_letter(letter: &crate::letter::SuggestionLetter) -> Result<Vec<u8>, RenderError> {
    let mut data = serde_json::to_value(letter).map_err(|e| RenderError::Pdf(e.to_string()))?;
    if let Value::Object(map) = &mut data {
        map.insert(
            "title_lines".into(),
            json!(crate::docx::title_lines(&letter.title)),
        );
    }
    compile(letter_engine()?, "letter", &data, "letter")
}

/// Write the PDF.
pub fn render(bulletin: &Bulletin) -> Result<Vec<u8>, RenderError> {
    compile(engine()?, "bulletin", &document_json(bulletin), "bulletin")
}

/// The bulletin as the JSON the template reads.
fn document_json(bulletin: &Bulletin) -> Value {
    let sections: Vec<Value> = bulletin
        .sections
        .iter()
        .map(|section| {
            let blocks: Vec<Value> = section
                .blocks
                .iter()
                .map(|block| match block {
                    Block::Paragraph(text) => json!({"kind": "paragraph", "text": text}),
                    Block::Subheading(text) => json!({"kind": "subheading", "text": text}),
                    Block::Table(table) => json!({"kind": "table", "table": table_json(table)}),
                    Block::Chart(chart) => {
                        json!({"kind": "chart", "caption": chart.caption, "svg": chart.svg})
                    }
                })
                .collect();
            json!({"heading": section.heading, "blocks": blocks})
        })
        .collect();
    json!({
        "issuer": bulletin.issuer,
        "title": bulletin.title,
        "title_lines": crate::docx::title_lines(&bulletin.title),
        "doc_number": bulletin.doc_number,
        "copy_to": bulletin.copy_to.as_deref().map(|c| c.trim_end_matches('。').to_owned() + "。"),
        "printer": bulletin.printer,
        "addressee": bulletin.addressee,
        "closing": bulletin.closing,
        "issued": bulletin.issued_zh(),
        "sections": sections,
    })
}

fn table_json(table: &Table) -> Value {
    let numeric: Vec<bool> = (0..table.headers.len())
        .map(|i| {
            table
                .rows
                .iter()
                .any(|row| row.cells.get(i).is_some_and(|c| c.unit.is_some()))
        })
        .collect();
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<Value> = row
                .cells
                .iter()
                .map(|c| json!({"text": c.text, "outside": c.outside}))
                .collect();
            json!({"total": row.total, "cells": cells})
        })
        .collect();
    json!({
        "caption": table.caption,
        "headers": table.headers,
        "numeric": numeric,
        "rows": rows,
        "note": table.note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `FAMILIES` decides which installed faces are loaded: a family the template names but the
    /// list lacks would never be used.
    #[test]
    fn every_family_the_template_names_is_loaded() {
        let mut named = 0;
        for line in TEMPLATE
            .lines()
            .chain(LETTER_TEMPLATE.lines())
            .filter(|l| l.starts_with("#let ") && l.contains("-font = ("))
        {
            for family in line.split('"').skip(1).step_by(2) {
                assert!(FAMILIES.contains(&family), "{family} is not in FAMILIES");
                named += 1;
            }
        }
        assert!(named > 20, "{named} families read from the template");
    }
}
