//! The bulletin as an official document (公文) after GB/T 9704-2012 "Layout key for official
//! documents of party and government organs": A4, margins top 37 mm, bottom 35 mm, left 28 mm,
//! right 26 mm; the issuing organ's mark in red 小标宋 over a red rule; the title in 小标宋 二号
//! (22 pt); first-level headings in 黑体 and second-level in 楷体, both 三号; body text in
//! 仿宋_GB2312 三号 (16 pt) on a fixed 28.95 pt line (22 lines a page); page numbers `— 1 —` in
//! 宋体 四号 at the foot. Every table is a real, editable Word table; each chart is a PNG picture
//! followed by the editable table of its figures.

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Footer, HeightRule, LineSpacing, LineSpacingType,
    PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType,
    Table as DocxTable, TableBorder, TableBorderPosition, TableBorders, TableCell, TableLayoutType,
    TableRow, VAlignType, WidthType,
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
pub(crate) const PAGE_W: u32 = 11906;
pub(crate) const PAGE_H: u32 = 16838;
pub(crate) const fn mm(v: f64) -> i32 {
    (v * 56.6929 + 0.5) as i32
}
pub(crate) const TEXT_WIDTH: usize = (PAGE_W as i32 - mm(28.0) - mm(26.0)) as usize;

/// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小五 9 pt.
const SIZE_TITLE: usize = 44;
pub(crate) const SIZE_BODY: usize = 32;
pub(crate) const SIZE_PAGE_NUMBER: usize = 28;
const SIZE_TABLE: usize = 18;
const SIZE_CAPTION: usize = 24;

const RED: &str = "FF0000";

pub(crate) fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// The body's fixed line: 28.95 pt.
pub(crate) fn body_line() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(579)
        .before(0)
        .after(0)
}

pub(crate) fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// Two characters of 三号 (16 pt = 320 twips each).
const FIRST_LINE: i32 = 640;

pub(crate) fn body(text: &str) -> Paragraph {
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
    .cant_split()
    // Marks the row for [`repeat_header_rows`], which makes it a repeated header row
    // (`w:tblHeader`, a property docx-rs does not write): an at-least-zero height changes
    // nothing else.
    .row_height(0.0)
    .height_rule(HeightRule::AtLeast);
    let mut rows = vec![header_row];
    if table.rows.is_empty() {
        // An empty table says so (无) rather than showing a header alone.
        rows.push(TableRow::new(vec![
            TableCell::new()
                .add_paragraph(cell_paragraph("无", false, None, AlignmentType::Center))
                .width(TEXT_WIDTH, WidthType::Dxa)
                .grid_span(widths.len()),
        ]));
    }
    for (i, row) in table.rows.iter().enumerate() {
        // The row before a total row keeps with it: a total row never starts a page alone.
        let keep = table.rows.get(i + 1).is_some_and(|next| next.total);
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
                            .add_paragraph(
                                cell_paragraph(
                                    &cell.text,
                                    row.total || cell.outside,
                                    cell.outside.then_some("C0392B"),
                                    align,
                                )
                                .keep_next(keep),
                            )
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
/// laid out as a one-cell table whose only border is the red bottom line; the document number
/// (发文字号), when there is one, sits centred between the mark and the rule (GB/T 9704-2012
/// 7.2.4), in 仿宋 三号.
fn masthead(issuer: &str, doc_number: Option<&str>) -> DocxTable {
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
    let mut cell = TableCell::new()
        .add_paragraph(mark)
        .width(TEXT_WIDTH, WidthType::Dxa);
    if let Some(number) = doc_number {
        cell = cell.add_paragraph(
            Paragraph::new()
                .add_run(run(number, BODY_FONT, SIZE_BODY))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(120).after(120)),
        );
    }
    DocxTable::new(vec![TableRow::new(vec![cell])])
        .set_grid(vec![TEXT_WIDTH])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(borders)
}

/// How wide a run of title text is, in full-width characters: CJK and full-width punctuation 1,
/// ASCII (the digits of a year) a little over a half, and a quarter for each change between the
/// two (Word and LibreOffice put a narrow space between Chinese and Latin text).
fn title_width(chars: &[char]) -> f64 {
    let mut width = 0.0;
    for (i, c) in chars.iter().enumerate() {
        width += if c.is_ascii() { 0.6 } else { 1.0 };
        if i > 0 && chars[i - 1].is_ascii() != c.is_ascii() {
            width += 0.25;
        }
    }
    width
}

/// The title's lines: as few as fit the text width, as even as possible, so that no line holds
/// a single character (a 孤字) and each line is short enough that the client does not wrap it
/// again. 二号 (22 pt) on the 156 mm text width: 20 full-width characters a line. A number is
/// never split, and no line starts with a closing mark.
pub fn title_lines(title: &str) -> Vec<String> {
    const PER_LINE: f64 = 20.0;
    let chars: Vec<char> = title.chars().collect();
    let width = title_width(&chars);
    if width <= PER_LINE {
        return vec![title.to_owned()];
    }
    let lines = (width / PER_LINE).ceil() as usize;
    let target = width / lines as f64;
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        if out.len() + 1 == lines {
            break;
        }
        let c = chars[i];
        let splits_number = c.is_ascii_digit() && chars[i - 1].is_ascii_digit();
        let closing = matches!(c, '，' | '。' | '、' | '）' | '》' | '”' | '的');
        if title_width(&chars[start..=i]) > target + 0.3 && !splits_number && !closing {
            out.push(chars[start..i].iter().collect::<String>());
            start = i;
        }
    }
    out.push(chars[start..].iter().collect());
    out
}

/// The title paragraph: its lines joined by line breaks.
pub(crate) fn title_paragraph(title: &str) -> Paragraph {
    let mut r = Run::new().fonts(fonts(TITLE_FONT)).size(SIZE_TITLE);
    for (i, line) in title_lines(title).iter().enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    Paragraph::new()
        .add_run(r)
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(700)
                .before(0)
                .after(0),
        )
}

/// The colophon (版记, GB/T 9704-2012 8): at the foot of the last page, between a thick first
/// rule and a thick last rule, 抄送 (if any) and then 印发机关 on the left with 印发日期 on the
/// right, in 仿宋 四号.
fn colophon(bulletin: &Bulletin) -> DocxTable {
    let line = |left: &str, right: &str| {
        let mut p = Paragraph::new()
            .add_run(run(left, BODY_FONT, SIZE_PAGE_NUMBER))
            .line_spacing(body_line())
            .indent(Some(mm(7.0)), None, Some(mm(7.0)), None);
        if !right.is_empty() {
            p = p
                .add_tab(
                    docx_rs::Tab::new()
                        .val(docx_rs::TabValueType::Right)
                        .pos(TEXT_WIDTH - mm(14.0) as usize),
                )
                .add_run(
                    Run::new()
                        .add_tab()
                        .add_text(right)
                        .fonts(fonts(BODY_FONT))
                        .size(SIZE_PAGE_NUMBER),
                );
        }
        p
    };
    let thick = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(8)
            .color("000000")
    };
    let thin = TableBorder::new(TableBorderPosition::InsideH)
        .border_type(BorderType::Single)
        .size(4)
        .color("000000");
    let mut rows = Vec::new();
    if let Some(copy_to) = &bulletin.copy_to {
        let text = if copy_to.ends_with('。') {
            format!("抄送：{copy_to}")
        } else {
            format!("抄送：{copy_to}。")
        };
        rows.push(TableRow::new(vec![
            TableCell::new()
                .add_paragraph(line(&text, ""))
                .width(TEXT_WIDTH, WidthType::Dxa),
        ]));
    }
    rows.push(TableRow::new(vec![
        TableCell::new()
            .add_paragraph(line(
                &bulletin.printer,
                &format!("{}印发", bulletin.issued_zh()),
            ))
            .width(TEXT_WIDTH, WidthType::Dxa),
    ]));
    DocxTable::new(rows)
        .set_grid(vec![TEXT_WIDTH])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(
            TableBorders::with_empty()
                .set(thick(TableBorderPosition::Top))
                .set(thick(TableBorderPosition::Bottom))
                .set(thin),
        )
}

pub(crate) fn blank() -> Paragraph {
    Paragraph::new()
        .add_run(run("", BODY_FONT, SIZE_BODY))
        .line_spacing(body_line())
}

/// An empty official document (GB/T 9704-2012): A4, the standard's margins and fonts, the
/// page number `— 1 —` at the foot.
pub(crate) fn official_page() -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(run("— ", TABLE_FONT, SIZE_PAGE_NUMBER))
            .add_page_num(PageNum::new())
            .add_run(run(" —", TABLE_FONT, SIZE_PAGE_NUMBER))
            .size(SIZE_PAGE_NUMBER)
            .fonts(fonts(TABLE_FONT))
            .align(AlignmentType::Center),
    );
    Docx::new()
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
}

/// Build the document (before packing); the golden tests read its XML.
pub fn document(bulletin: &Bulletin) -> Docx {
    let mut doc = official_page()
        .add_table(masthead(&bulletin.issuer, bulletin.doc_number.as_deref()))
        .add_paragraph(blank())
        .add_paragraph(title_paragraph(&bulletin.title))
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
    doc.add_paragraph(blank()).add_table(colophon(bulletin))
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
    // The picture carries the chart's title (drawn in it); the figures under it are captioned
    // as its data, so that the title appears once.
    let data = Table {
        caption: "上图数据".to_owned(),
        ..chart.data.clone()
    };
    let doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_image(pic))
            .align(AlignmentType::Center)
            .keep_next(true),
    );
    add_table(doc, &data)
}

/// Write the DOCX file into bytes.
pub fn render(bulletin: &Bulletin) -> Result<Vec<u8>, RenderError> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut xml = document(bulletin).build();
    xml.document = repeat_header_rows(&xml.document);
    xml.pack(&mut out)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// The height docx-rs writes for a header row (see [`table`]).
const HEADER_MARK: &str = r#"<w:trHeight w:val="0" w:hRule="atLeast" />"#;

/// Every table's header row repeats at the top of each page the table runs onto
/// (`<w:tblHeader/>` in the row's properties).
pub fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(document)
        .replace(HEADER_MARK, &format!("{HEADER_MARK}<w:tblHeader />"))
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_breaks_evenly_and_never_leaves_one_character_alone() {
        assert_eq!(
            title_lines("关于2024年全省法院审判执行质效情况的通报"),
            ["关于2024年全省法院", "审判执行质效情况的通报"]
        );
        assert_eq!(title_lines("关于审判质效的通报"), ["关于审判质效的通报"]);
        for title in [
            "关于2025年第三季度全省法院审判执行质效情况的通报",
            "关于2025年12月全市法院审判执行质效情况的通报",
            "关于2025年上半年全部法院审判执行质效情况的通报",
        ] {
            let lines = title_lines(title);
            assert_eq!(lines.concat(), title);
            for line in &lines {
                let chars: Vec<char> = line.chars().collect();
                assert!(chars.len() > 1 && title_width(&chars) <= 20.0, "{lines:?}");
            }
        }
    }
}
