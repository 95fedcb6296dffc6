//! The bulletin as an official document (公文) after GB/T 9704-2012 "Layout key for official
//! documents of party and government organs": A4, margins top 37 mm, bottom 35 mm, left 28 mm,
//! right 26 mm; the issuing organ's mark in red 小标宋 over a red rule; the title in 小标宋 二号
//! (22 pt); first-level headings in 黑体 and second-level in 楷体, both 三号; body text in
//! 仿宋_GB2312 三号 (16 pt) on a fixed 28.95 pt line (22 lines a page); page numbers `— 1 —` in
//! 宋体 四号 at the foot. Every table is a real, editable Word table; each chart is a PNG picture
//! followed by the editable table of its figures.

use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType, Table as DocxTable, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::RenderError;
use crate::bulletin::{Block, Bulletin, Chart, Table};

/// The fonts of the standard, each with the font Word, WPS and LibreOffice fall back to where it
/// is not installed (declared in the font table).
pub const TITLE_FONT: &str = "方正小标宋简体";
pub const HEADING_FONT: &str = "黑体";
pub const SUBHEADING_FONT: &str = "楷体_GB2312";
pub const BODY_FONT: &str = "仿宋_GB2312";
pub const TABLE_FONT: &str = "宋体";
pub const LATIN_FONT: &str = "Times New Roman";

/// A4 in twentieths of a point, and the margins: 1 mm = 56.7 twips.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const fn mm(v: f64) -> i32 {
    (v * 56.6929 + 0.5) as i32
}
const TEXT_WIDTH: usize = (PAGE_W as i32 - mm(28.0) - mm(26.0)) as usize;

/// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小五 9 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_PAGE_NUMBER: usize = 28;
const SIZE_TABLE: usize = 18;
const SIZE_CAPTION: usize = 24;

const RED: &str = "FF0000";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// The body's fixed line: 28.95 pt.
fn body_line() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(579)
        .before(0)
        .after(0)
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// Two characters of 三号 (16 pt = 320 twips each).
const FIRST_LINE: i32 = 640;

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, SIZE_BODY))
        .line_spacing(body_line())
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .align(AlignmentType::Both)
}

fn heading(text: &str, font: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, font, SIZE_BODY))
        .line_spacing(body_line())
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .keep_next(true)
        .outline_lvl(if font == HEADING_FONT { 0 } else { 1 })
}

fn caption(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEADING_FONT, SIZE_CAPTION))
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(120).after(60))
        .keep_next(true)
}

fn note(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(&format!("注：{text}"), TABLE_FONT, SIZE_TABLE))
        .line_spacing(LineSpacing::new().before(40).after(120))
}

fn cell_paragraph(text: &str, bold: bool, colour: Option<&str>, align: AlignmentType) -> Paragraph {
    let mut r = run(text, TABLE_FONT, SIZE_TABLE);
    if bold {
        r = r.bold();
    }
    if let Some(c) = colour {
        r = r.color(c);
    }
    Paragraph::new().add_run(r).align(align).line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line(240)
            .before(0)
            .after(0),
    )
}

/// Column widths: the first (court, case number) wider, the rest equal.
fn grid(columns: usize, first_wide: bool) -> Vec<usize> {
    if columns <= 1 {
        return vec![TEXT_WIDTH];
    }
    let first = if first_wide {
        (TEXT_WIDTH * 26 / 100).max(TEXT_WIDTH / columns)
    } else {
        TEXT_WIDTH / columns
    };
    let rest = (TEXT_WIDTH - first) / (columns - 1);
    std::iter::once(first)
        .chain(std::iter::repeat_n(rest, columns - 1))
        .collect()
}

fn table(table: &Table) -> DocxTable {
    let widths = if table.headers.first().is_some_and(|h| h == "序号") {
        // Case lists: 序号 narrow, 案号 wide.
        let n = table.headers.len();
        let narrow = TEXT_WIDTH * 7 / 100;
        let wide = TEXT_WIDTH * 30 / 100;
        let rest = (TEXT_WIDTH - narrow - wide) / (n - 2);
        let mut w = vec![narrow, wide];
        w.extend(std::iter::repeat_n(rest, n - 2));
        w
    } else if table.headers.len() == 4 && table.headers[3] == "同比" {
        vec![
            TEXT_WIDTH * 28 / 100,
            TEXT_WIDTH * 19 / 100,
            TEXT_WIDTH * 19 / 100,
            TEXT_WIDTH * 34 / 100,
        ]
    } else if table.headers.len() == 3 && table.headers[1] == "计算方法" {
        vec![
            TEXT_WIDTH * 28 / 100,
            TEXT_WIDTH * 52 / 100,
            TEXT_WIDTH * 20 / 100,
        ]
    } else {
        grid(table.headers.len(), true)
    };
    let header_row = TableRow::new(
        table
            .headers
            .iter()
            .zip(&widths)
            .map(|(h, w)| {
                TableCell::new()
                    .add_paragraph(cell_paragraph(h, true, None, AlignmentType::Center))
                    .width(*w, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .shading(Shading::new().fill("E8EEF5"))
            })
            .collect(),
    )
    .cant_split();
    let mut rows = vec![header_row];
    for row in &table.rows {
        rows.push(
            TableRow::new(
                row.cells
                    .iter()
                    .zip(&widths)
                    .map(|(cell, w)| {
                        let align = if cell.unit.is_some() {
                            AlignmentType::Right
                        } else {
                            AlignmentType::Left
                        };
                        let mut c = TableCell::new()
                            .add_paragraph(cell_paragraph(
                                &cell.text,
                                row.total || cell.outside,
                                cell.outside.then_some("C0392B"),
                                align,
                            ))
                            .width(*w, WidthType::Dxa)
                            .vertical_align(VAlignType::Center);
                        if cell.outside {
                            c = c.shading(Shading::new().fill("FDECEA"));
                        }
                        c
                    })
                    .collect(),
            )
            .cant_split(),
        );
    }
    DocxTable::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(docx_rs::TableAlignmentType::Center)
}

/// The issuing organ's mark (发文机关标志) in red 小标宋 over the red rule (版头中的分隔线),
/// laid out as a one-cell table whose only border is the red bottom line.
fn masthead(issuer: &str) -> DocxTable {
    let mark = Paragraph::new()
        .add_run(
            Run::new()
                .add_text(issuer)
                .fonts(fonts(TITLE_FONT))
                .size(if issuer.chars().count() > 10 { 52 } else { 64 })
                .character_spacing(if issuer.chars().count() > 10 { 0 } else { 40 })
                .color(RED),
        )
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(240).after(240));
    let borders = TableBorders::with_empty().set(
        TableBorder::new(TableBorderPosition::Bottom)
            .border_type(BorderType::Single)
            .size(18)
            .color(RED),
    );
    DocxTable::new(vec![TableRow::new(vec![
        TableCell::new()
            .add_paragraph(mark)
            .width(TEXT_WIDTH, WidthType::Dxa),
    ])])
    .set_grid(vec![TEXT_WIDTH])
    .width(TEXT_WIDTH, WidthType::Dxa)
    .set_borders(borders)
}

fn blank() -> Paragraph {
    Paragraph::new()
        .add_run(run("", BODY_FONT, SIZE_BODY))
        .line_spacing(body_line())
}

/// Build the document (before packing); the golden tests read its XML.
pub fn document(bulletin: &Bulletin) -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(run("— ", TABLE_FONT, SIZE_PAGE_NUMBER))
            .add_page_num(PageNum::new())
            .add_run(run(" —", TABLE_FONT, SIZE_PAGE_NUMBER))
            .size(SIZE_PAGE_NUMBER)
            .fonts(fonts(TABLE_FONT))
            .align(AlignmentType::Center),
    );
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0) - mm(7.0)),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(SIZE_BODY)
        .footer(footer)
        .add_table(masthead(&bulletin.issuer))
        .add_paragraph(blank())
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&bulletin.title, TITLE_FONT, SIZE_TITLE))
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(700)
                        .before(0)
                        .after(0),
                ),
        )
        .add_paragraph(blank())
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&bulletin.addressee, BODY_FONT, SIZE_BODY))
                .line_spacing(body_line()),
        );
    for section in &bulletin.sections {
        let appendix = section.heading.starts_with("附件");
        if appendix {
            doc = doc
                .add_paragraph(body(&bulletin.closing))
                .add_paragraph(blank())
                .add_paragraph(
                    Paragraph::new()
                        .add_run(run(&bulletin.issuer, BODY_FONT, SIZE_BODY))
                        .align(AlignmentType::Right)
                        .indent(None, None, Some(mm(8.0)), None)
                        .line_spacing(body_line()),
                )
                .add_paragraph(
                    Paragraph::new()
                        .add_run(run(&bulletin.issued_zh(), BODY_FONT, SIZE_BODY))
                        .align(AlignmentType::Right)
                        .indent(None, None, Some(mm(16.0)), None)
                        .line_spacing(body_line()),
                );
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(run(&section.heading, HEADING_FONT, SIZE_BODY))
                    .line_spacing(body_line())
                    .page_break_before(true)
                    .outline_lvl(0),
            );
        } else {
            doc = doc.add_paragraph(heading(&section.heading, HEADING_FONT));
        }
        for block in &section.blocks {
            doc = match block {
                Block::Paragraph(text) => doc.add_paragraph(body(text)),
                Block::Subheading(text) => doc.add_paragraph(heading(text, SUBHEADING_FONT)),
                Block::Table(t) => add_table(doc, t),
                Block::Chart(chart) => add_chart(doc, chart),
            };
        }
    }
    doc
}

fn add_table(doc: Docx, t: &Table) -> Docx {
    let doc = doc.add_paragraph(caption(&t.caption)).add_table(table(t));
    match &t.note {
        Some(n) => doc.add_paragraph(note(n)),
        None => doc.add_paragraph(
            Paragraph::new()
                .add_run(run("", TABLE_FONT, SIZE_TABLE))
                .line_spacing(LineSpacing::new().before(0).after(120)),
        ),
    }
}

/// A chart: its picture (PNG, the width of the text) with the caption under it, then the
/// figures it draws as an editable table. Where the picture cannot be drawn, the table alone.
fn add_chart(doc: Docx, chart: &Chart) -> Docx {
    let Some(picture) = crate::png::render(&chart.svg) else {
        return add_table(doc, &chart.data);
    };
    // EMU: 914,400 an inch, 1,440 twips an inch.
    let width_emu = TEXT_WIDTH as u64 * 635;
    let height_emu = width_emu * u64::from(picture.height) / u64::from(picture.width.max(1));
    let pic = Pic::new_with_dimensions(picture.png, picture.width, picture.height)
        .size(width_emu as u32, height_emu as u32);
    let data = Table {
        caption: format!("{}（数据）", chart.data.caption),
        ..chart.data.clone()
    };
    let doc = doc
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_image(pic))
                .align(AlignmentType::Center)
                .keep_next(true),
        )
        .add_paragraph(caption(&chart.caption));
    add_table(doc, &data)
}

/// Write the DOCX file into bytes.
pub fn render(bulletin: &Bulletin) -> Result<Vec<u8>, RenderError> {
    let mut out = std::io::Cursor::new(Vec::new());
    document(bulletin)
        .build()
        .pack(&mut out)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
