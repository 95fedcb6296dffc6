//! The bulletin as one self-contained HTML page: inline CSS, inline SVG charts, no scripts and no
//! outside resources (it is mailed around a court intranet and opened from disk).

use std::fmt::Write;

use crate::bulletin::{Block, Bulletin, Table};
use crate::charts::escape;

const STYLE: &str = r#"
.doc-number{text-align:center;margin:0}
.colophon{margin-top:3em;border-top:1.5px solid #000;border-bottom:1.5px solid #000;font-size:14pt}
.colophon p{margin:.2em 1em;display:flex;justify-content:space-between}
td.none{text-align:center}
body{font-family:'FangSong','仿宋','FangSong_GB2312','仿宋_GB2312','Noto Serif CJK SC','Source Han Serif SC',serif;
 font-size:16pt;line-height:1.75;color:#111;max-width:210mm;margin:2em auto;padding:0 26mm 0 28mm;background:#fff}
.issuer{font-family:'FZXiaoBiaoSong-B05S','方正小标宋简体','SimSun','宋体','Noto Serif CJK SC',serif;color:#c00;
 text-align:center;font-size:30pt;letter-spacing:.1em;margin:0 0 .2em}
.rule{border:0;border-top:2px solid #c00;margin:.2em 0 1.5em}
h1{font-family:'FZXiaoBiaoSong-B05S','方正小标宋简体','SimSun','宋体','Noto Serif CJK SC',serif;font-weight:normal;
 font-size:22pt;text-align:center;line-height:1.5;margin:1em 0}
h2{font-family:'SimHei','黑体','Noto Sans CJK SC',sans-serif;font-weight:normal;font-size:16pt;margin:1em 0 .3em}
h3{font-family:'KaiTi','楷体','KaiTi_GB2312','楷体_GB2312','Noto Serif CJK SC',serif;font-weight:normal;font-size:16pt;margin:.8em 0 .3em}
p{text-indent:2em;margin:0;text-align:justify}
p.addressee,p.sign{text-indent:0}
p.sign{text-align:right;margin-top:1em}
table{border-collapse:collapse;width:100%;font-size:10.5pt;line-height:1.4;margin:.3em 0 .2em;font-family:'SimSun','宋体','Noto Serif CJK SC',serif}
caption{font-family:'SimHei','黑体','Noto Sans CJK SC',sans-serif;font-size:12pt;padding:.3em 0}
th,td{border:1px solid #333;padding:2px 4px}
th{background:#eef2f7;font-weight:bold;text-align:center}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold}
td.outside{color:#c0392b;font-weight:bold;background:#fdecea}
.note{font-size:10.5pt;text-indent:0;color:#333}
figure{margin:.8em 0;text-align:center}
figure svg{max-width:100%;height:auto}
figcaption{font-family:'SimHei','黑体','Noto Sans CJK SC',sans-serif;font-size:12pt}
@media print{body{margin:0;padding:0}}
"#;

/// Write the page.
pub fn render(bulletin: &Bulletin) -> String {
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&bulletin.title)
    );
    let _ = write!(
        out,
        "<div class=\"issuer\">{}</div>\n{}<hr class=\"rule\">\n<h1>{}</h1>\n<p class=\"addressee\">{}</p>\n",
        escape(&bulletin.issuer),
        bulletin
            .doc_number
            .as_deref()
            .map(|n| format!("<p class=\"doc-number\">{}</p>\n", escape(n)))
            .unwrap_or_default(),
        crate::docx::title_lines(&bulletin.title)
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br>"),
        escape(&bulletin.addressee)
    );
    for section in &bulletin.sections {
        if section.heading.starts_with("附件") {
            let _ = write!(
                out,
                "<p>{}</p>\n<p class=\"sign\">{}<br>{}</p>\n",
                escape(&bulletin.closing),
                escape(&bulletin.issuer),
                escape(&bulletin.issued_zh())
            );
        }
        let _ = writeln!(out, "<h2>{}</h2>", escape(&section.heading));
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) => {
                    let _ = writeln!(out, "<p>{}</p>", escape(text));
                }
                Block::Subheading(text) => {
                    let _ = writeln!(out, "<h3>{}</h3>", escape(text));
                }
                Block::Table(table) => table_html(&mut out, table),
                Block::Chart(chart) => {
                    let _ = writeln!(
                        out,
                        "<figure>{}<figcaption>{}</figcaption></figure>",
                        chart.svg,
                        escape(&chart.caption)
                    );
                }
            }
        }
    }
    // 版记.
    out.push_str("<footer class=\"colophon\">");
    if let Some(copy_to) = &bulletin.copy_to {
        let _ = write!(
            out,
            "<p>抄送：{}。</p>",
            escape(copy_to.trim_end_matches('。'))
        );
    }
    let _ = writeln!(
        out,
        "<p><span>{}</span><span>{}印发</span></p></footer>",
        escape(&bulletin.printer),
        escape(&bulletin.issued_zh())
    );
    out.push_str("</body>\n</html>\n");
    out
}

fn table_html(out: &mut String, table: &Table) {
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(&table.caption)
    );
    for (header, id) in table.headers.iter().zip(&table.column_ids) {
        match id {
            Some(id) => {
                let _ = write!(
                    out,
                    "<th data-id=\"{}\">{}</th>",
                    escape(id),
                    escape(header)
                );
            }
            None => {
                let _ = write!(out, "<th>{}</th>", escape(header));
            }
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    if table.rows.is_empty() {
        let _ = writeln!(
            out,
            "<tr><td colspan=\"{}\" class=\"none\">无</td></tr>",
            table.headers.len().max(1)
        );
    }
    for row in &table.rows {
        match (&row.key, row.total) {
            (_, true) => out.push_str("<tr class=\"total\">"),
            (Some(key), false) => {
                let _ = write!(out, "<tr data-key=\"{}\">", escape(key));
            }
            (None, false) => out.push_str("<tr>"),
        }
        for cell in &row.cells {
            let mut classes = Vec::new();
            if cell.unit.is_some() {
                classes.push("n");
            }
            if cell.outside {
                classes.push("outside");
            }
            if classes.is_empty() {
                let _ = write!(out, "<td>{}</td>", escape(&cell.text));
            } else {
                let _ = write!(
                    out,
                    "<td class=\"{}\">{}</td>",
                    classes.join(" "),
                    escape(&cell.text)
                );
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(note) = &table.note {
        let _ = writeln!(out, "<p class=\"note\">注：{}</p>", escape(note));
    }
}
