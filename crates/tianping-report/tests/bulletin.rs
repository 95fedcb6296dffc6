//! The bulletin in every format carries the figures of `compute` (what `tianping indicators`
//! prints) for the same scope and period, read back out of the DOCX XML, the XLSX cells and the
//! HTML; the structure (headings, table captions and headers) is pinned by a golden file; and
//! LibreOffice (a real client) opens the DOCX and the XLSX.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use tianping_domain::calendar::HolidayCalendar;
use tianping_domain::period::Period;
use tianping_domain::time_limit::LimitSettings;
use tianping_metrics::assess::AssessSettings;
use tianping_metrics::deadlines::{DeadlineQuery, DeadlineRow, StatusFilter, deadline_list};
use tianping_metrics::{GroupBy, IndicatorQuery, Snapshot, compute};
use tianping_report::bulletin::{Block, Bulletin, GROUPS};
use tianping_report::format::{definition, show, table_label, table_number, table_text};
use tianping_report::{BulletinRequest, ReportFormat, build, render};
use tianping_synth::{SynthConfig, generate};

const SCOPE: &str = "鲁";

struct Fixture {
    snapshot: Snapshot,
    pending: Vec<DeadlineRow>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let data = generate(&SynthConfig::small(7));
        let calendar = HolidayCalendar::builtin();
        let snapshot = Snapshot::build(
            &data.courts,
            &data.cases,
            &data.events,
            Arc::new(calendar.clone()),
            LimitSettings::default(),
        );
        let pending = deadline_list(
            &snapshot,
            &DeadlineQuery::new(
                NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
                Some(SCOPE),
                StatusFilter::All,
            ),
        );
        Fixture { snapshot, pending }
    })
}

fn bulletin(period: &str) -> Bulletin {
    let f = fixture();
    let settings = AssessSettings::defaults();
    build(
        &f.snapshot,
        &BulletinRequest {
            period: Period::parse(period).unwrap(),
            scope: Some(SCOPE),
            settings: &settings,
            issued: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
            pending: Some(&f.pending),
            issue: tianping_report::bulletin::IssueDetails {
                doc_number: Some("鲁高法(2025)3".to_owned()),
                copy_to: Some("省委政法委，省人大监察和司法委员会".to_owned()),
                printer: None,
                doc_prefix: Some("鲁高法".to_owned()),
            },
            pre_litigation: Some((
                tianping_report::bulletin::PreLitigation {
                    registered: 300,
                    succeeded: 182,
                    success_rate: Some(0.65),
                },
                tianping_report::bulletin::PreLitigation {
                    registered: 280,
                    succeeded: 157,
                    success_rate: Some(0.628),
                },
            )),
            petitions: None,
            suggestions: None,
            refunds: None,
        },
    )
    .unwrap()
}

/// What `tianping indicators --from 2024-01-01 --to 2024-12-31 --scope 鲁 --by court` answers,
/// plus the `--by none` row, as `(key, id) -> value`.
fn expected(period: &str) -> Vec<(Option<String>, &'static str, Option<f64>)> {
    let p = Period::parse(period).unwrap();
    let mut out = Vec::new();
    for (by, is_total) in [(GroupBy::Court, false), (GroupBy::None, true)] {
        let rows = compute(
            &fixture().snapshot,
            &IndicatorQuery {
                from: p.first_day(),
                to: p.last_day(),
                as_of: p.last_day(),
                scope: Some(SCOPE.to_owned()),
                by,
            },
        )
        .unwrap();
        for row in rows {
            let values = serde_json::to_value(&row.indicators).unwrap();
            for (_, ids) in GROUPS {
                for id in ids {
                    out.push((
                        (!is_total).then(|| row.key.clone()),
                        *id,
                        values[id].as_f64(),
                    ));
                }
            }
        }
    }
    out
}

/// A court's row label in the court tables: its name, with （本院） when courts lie below it
/// (the row holds its own cases only).
fn row_label(table: &tianping_domain::CourtTable, code: &str) -> String {
    if table.children(code).is_empty() {
        table.name_of(code).to_owned()
    } else {
        format!("{}（本院）", table.name_of(code))
    }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The text of every paragraph of a DOCX body, a table cell being a paragraph of its own.
fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let xml = unzip(bytes, "word/document.xml");
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            for part in p.split("<w:t").skip(1) {
                let Some(start) = part.find('>') else {
                    continue;
                };
                let body = &part[start + 1..];
                if let Some(end) = body.find("</w:t>") {
                    text.push_str(&unescape(&body[..end]));
                }
            }
            text
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Rows of the per-court tables as `(first cell, cells)`, found in a flat list of cell texts by
/// the court names.
#[test]
fn the_docx_carries_the_figures_of_compute() {
    let b = bulletin("2024");
    let bytes = render(&b, ReportFormat::Docx).unwrap();
    let paragraphs = docx_paragraphs(&bytes);
    let text = paragraphs.join("\n");
    // The summary paragraph, word for word, and its figures.
    for s in &b.summary {
        assert!(text.contains(s.as_str()), "summary missing: {s}");
    }
    let c = &b.current;
    assert!(text.contains(&format!("审结{}件", c.closed)));
    // Pre-litigation mediation beside the case figures, in the words of the reports.
    assert!(
        text.contains(
            "诉前调解方面，登记300件，同比上升7.14%；调解成功182件，同比上升15.92%；\
             调解成功率65.00%，同比上升2.20个百分点。"
        ),
        "{text}"
    );
    assert!(text.contains(&format!(
        "结案率{}",
        show(definition("clearance_rate").unit, c.clearance_rate)
    )));
    // Each per-court table: after its caption, the header cells, then the rows in order.
    let expected = expected("2024");
    let table = fixture().snapshot.court_table();
    for (gi, (title, ids)) in GROUPS.iter().enumerate() {
        let caption = format!("表{} 各法院{title}", gi + 2);
        let at = paragraphs
            .iter()
            .position(|p| *p == caption)
            .unwrap_or_else(|| panic!("{caption}"));
        let width = ids.len() + 1;
        let mut cells = paragraphs[at + 1..].iter();
        let header: Vec<&String> = cells.by_ref().take(width).collect();
        assert_eq!(header[0], "法院");
        for (h, id) in header[1..].iter().zip(ids.iter()) {
            assert_eq!(h.as_str(), table_label(definition(id)));
        }
        let rows: Vec<Vec<&String>> = cells
            .collect::<Vec<_>>()
            .chunks(width)
            .take_while(|r| r.len() == width && !r[0].starts_with("注"))
            .map(|r| r.to_vec())
            .collect();
        let mut checked = 0;
        for (key, id, value) in expected.iter().filter(|(_, id, _)| ids.contains(id)) {
            let label = match key {
                Some(code) => row_label(table, code),
                None => format!("{}合计", b.area),
            };
            let row = rows
                .iter()
                .find(|r| *r[0] == label)
                .unwrap_or_else(|| panic!("no row {label} in {caption}"));
            let col = 1 + ids.iter().position(|i| i == id).unwrap();
            assert_eq!(
                row[col].as_str(),
                table_text(definition(id).unit, *value),
                "{label} {id}"
            );
            checked += 1;
        }
        assert!(
            checked > ids.len() * 5,
            "{caption}: {checked} figures checked"
        );
    }
}

#[test]
fn the_xlsx_stores_the_figures_of_compute_as_numbers() {
    let b = bulletin("2024");
    let bytes = render(&b, ReportFormat::Xlsx).unwrap();
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = workbook.sheet_names();
    let table_count = b.tables().count();
    assert_eq!(
        names.len(),
        table_count + 1,
        "a summary sheet and one sheet per table"
    );
    let expected = expected("2024");
    let table = fixture().snapshot.court_table();
    let mut checked = 0;
    for (title, ids) in GROUPS {
        let range = workbook
            .worksheet_range(&title.replace("情况", ""))
            .unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows[1][0], Data::String("法院".into()));
        for (key, id, value) in expected.iter().filter(|(_, id, _)| ids.contains(id)) {
            let label = match key {
                Some(code) => row_label(table, code),
                None => format!("{}合计", b.area),
            };
            let row = rows
                .iter()
                .find(|r| r[0] == Data::String(label.clone()))
                .unwrap_or_else(|| panic!("no row {label} in {title}"));
            let cell = &row[1 + ids.iter().position(|i| i == id).unwrap()];
            match value {
                Some(v) => assert_eq!(
                    cell,
                    &Data::Float(table_number(definition(id).unit, *v)),
                    "{label} {id}"
                ),
                None => assert_eq!(cell, &Data::String("—".into()), "{label} {id}"),
            }
            checked += 1;
        }
    }
    assert!(checked > 100);
    // Rates carry a percent format.
    let styles = unzip(&render(&b, ReportFormat::Xlsx).unwrap(), "xl/styles.xml");
    assert!(styles.contains("0.00%"));
}

#[test]
fn the_html_is_self_contained_and_carries_the_figures_of_compute() {
    let b = bulletin("2024");
    let html = String::from_utf8(render(&b, ReportFormat::Html).unwrap()).unwrap();
    assert!(html.contains("<style>"));
    assert!(html.contains("<svg"));
    for forbidden in ["<script", "<link", "src=\"http", "href=\"http", "@import"] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    for s in &b.summary {
        assert!(html.contains(&s.replace('"', "&quot;")), "summary missing");
    }
    for (key, id, value) in expected("2024") {
        let Some(code) = key else { continue };
        let start = html
            .find(&format!("<tr data-key=\"{code}\">"))
            .unwrap_or_else(|| panic!("{code}"));
        // The row of the group table that holds this indicator: find the table by its header.
        let _ = start;
        let group = GROUPS.iter().find(|(_, ids)| ids.contains(&id)).unwrap();
        let table_at = html.find(&format!("各法院{}</caption>", group.0)).unwrap();
        let row_at = table_at
            + html[table_at..]
                .find(&format!("<tr data-key=\"{code}\">"))
                .unwrap();
        let row_end = row_at + html[row_at..].find("</tr>").unwrap();
        let cells: Vec<&str> = html[row_at..row_end]
            .split("<td")
            .skip(1)
            .map(|c| {
                let c = &c[c.find('>').unwrap() + 1..];
                &c[..c.find("</td>").unwrap()]
            })
            .collect();
        let col = 1 + group.1.iter().position(|i| *i == id).unwrap();
        assert_eq!(
            cells[col],
            table_text(definition(id).unit, value),
            "{code} {id}"
        );
    }
}

#[test]
fn the_year_on_year_wording_follows_the_figures() {
    let b = bulletin("2024");
    let (c, p) = (&b.current, &b.previous);
    let first = &b.summary[0];
    assert!(first.starts_with("2024年，全省法院共受理案件"), "{first}");
    assert!(first.contains(&format!("共受理案件{}件", c.carried_over + c.filed)));
    let pp = ((c.clearance_rate.unwrap() - p.clearance_rate.unwrap()) * 10000.0).round() / 100.0;
    let wording = if pp > 0.0 {
        format!(
            "结案率{:.2}%，同比上升{pp:.2}个百分点",
            c.clearance_rate.unwrap() * 100.0
        )
    } else if pp < 0.0 {
        format!(
            "结案率{:.2}%，同比下降{:.2}个百分点",
            c.clearance_rate.unwrap() * 100.0,
            -pp
        )
    } else {
        format!(
            "结案率{:.2}%，与去年同期持平",
            c.clearance_rate.unwrap() * 100.0
        )
    };
    assert!(first.contains(&wording), "{first} / {wording}");
    let pct = ((c.closed as f64 - p.closed as f64) / p.closed as f64 * 10000.0).round() / 100.0;
    let closed = if pct > 0.0 {
        format!("审结{}件，同比上升{pct:.2}%", c.closed)
    } else {
        format!("审结{}件，同比下降{:.2}%", c.closed, -pct)
    };
    assert!(first.contains(&closed), "{first} / {closed}");
}

/// The document's structure: headings, table captions and headers, in order.
fn structure(b: &Bulletin) -> String {
    let mut out = format!("title: {}\nissuer: {}\n", b.title, b.issuer);
    for section in &b.sections {
        out.push_str(&format!("# {}\n", section.heading));
        for block in &section.blocks {
            match block {
                Block::Paragraph(_) => out.push_str("  paragraph\n"),
                Block::Subheading(h) => out.push_str(&format!("  ## {h}\n")),
                Block::Table(t) => out.push_str(&format!(
                    "  table {} | {}\n",
                    t.caption,
                    t.headers.join(" | ")
                )),
                Block::Chart(c) => out.push_str(&format!(
                    "  chart {} | {}\n",
                    c.caption,
                    c.data.headers.join(" | ")
                )),
            }
        }
    }
    out
}

#[test]
fn the_structure_matches_the_golden_file() {
    let b = bulletin("2024");
    let actual = structure(&b);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/bulletin-2024.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .expect("tests/golden/bulletin-2024.txt (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(actual, golden);
    // The DOCX holds those tables as real Word tables (two more: the masthead and the
    // colophon), in A4 with the margins of GB/T 9704-2012 and the fonts of the standard; each
    // table's header row repeats on every page it runs onto.
    let xml = unzip(
        &render(&b, ReportFormat::Docx).unwrap(),
        "word/document.xml",
    );
    assert_eq!(xml.matches("<w:tbl>").count(), b.tables().count() + 2);
    assert_eq!(xml.matches("<w:tblHeader />").count(), b.tables().count());
    // Issued as it comes out: the document number, normalized, and the colophon (版记).
    assert!(xml.contains(">鲁高法〔2025〕3号<"), "发文字号");
    assert!(
        xml.contains(">抄送：省委政法委，省人大监察和司法委员会。<"),
        "抄送"
    );
    assert!(xml.contains(">山东省高级人民法院办公室<"), "印发机关");
    assert!(xml.contains(">2025年1月10日印发<"), "印发日期");
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for margin in [
        r#"w:top="2098""#,
        r#"w:bottom="1984""#,
        r#"w:left="1587""#,
        r#"w:right="1474""#,
    ] {
        assert!(xml.contains(margin), "{margin}");
    }
    for font in ["方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"] {
        assert!(xml.contains(&format!("w:eastAsia=\"{font}\"")), "{font}");
    }
    assert!(xml.contains(r#"<w:sz w:val="32" />"#), "三号 body");
    let footer = unzip(&render(&b, ReportFormat::Docx).unwrap(), "word/footer1.xml");
    assert!(footer.contains("PAGE"), "page numbers");
    // Values outside the reference interval are marked.
    assert!(
        b.tables()
            .flat_map(|t| &t.rows)
            .flat_map(|r| &r.cells)
            .any(|c| c.outside)
    );
    assert!(xml.contains("C0392B"));
}

/// LibreOffice converts the DOCX to text and the XLSX to CSV, and the figures are in the result.
/// Fails when `soffice` is missing under CI; prints "skipped" otherwise.
#[test]
fn libreoffice_opens_the_docx_and_the_xlsx() {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice is missing (apt-get install libreoffice-writer libreoffice-calc)"
        );
        eprintln!("skipped: soffice is not installed");
        return;
    };
    let b = bulletin("2024");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bulletin.docx"),
        render(&b, ReportFormat::Docx).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bulletin.xlsx"),
        render(&b, ReportFormat::Xlsx).unwrap(),
    )
    .unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    // CSV: comma, double quote, UTF-8 (76), cells as shown, every sheet into its own file (-1).
    let csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";
    for (file, to) in [("bulletin.docx", "txt:Text"), ("bulletin.xlsx", csv)] {
        let status = std::process::Command::new(soffice)
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                to,
                "--outdir",
            ])
            .arg(dir.path())
            .arg(dir.path().join(file))
            .status()
            .unwrap();
        assert!(status.success(), "{file}");
    }
    let text = std::fs::read_to_string(dir.path().join("bulletin.txt")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    assert!(text.replace(['\r', '\n'], "").contains(&b.title));
    for s in &b.summary {
        assert!(
            text.contains(s.as_str()),
            "summary missing from LibreOffice's text: {s}"
        );
    }
    let c = &b.current;
    for figure in [
        c.filed.to_string(),
        c.closed.to_string(),
        show(definition("within_limit_rate").unit, c.within_limit_rate),
    ] {
        assert!(text.contains(&figure), "{figure}");
    }
    // Every sheet as LibreOffice reads it: the summary, and the case-flow table with the
    // percent format applied to the stored fractions.
    let summary = std::fs::read_to_string(dir.path().join("bulletin-通报摘要.csv")).unwrap();
    assert!(summary.contains(&b.title));
    assert!(summary.contains(&format!("审结{}件", c.closed)));
    let flow = std::fs::read_to_string(dir.path().join("bulletin-收结案.csv")).unwrap();
    let total = format!(
        "{}合计,{},{},{},{},{},{}",
        b.area,
        c.carried_over,
        c.filed,
        c.closed,
        c.pending_end,
        show(definition("clearance_rate").unit, c.clearance_rate),
        show(definition("closure_ratio").unit, c.closure_ratio),
    );
    assert!(flow.contains(&total), "{total} not in\n{flow}");
}

/// The PDF's text in content order (`pdftotext -raw`), every blank taken out: wrapped cells and
/// lines join up again, so a table row reads as its cells one after another.
#[cfg(feature = "pdf")]
fn pdf_text_without_blanks(pdf: &[u8]) -> Option<String> {
    let found = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is missing (apt-get install poppler-utils)"
        );
        eprintln!("skipped: pdftotext is not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulletin.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed on the PDF");
    let text = String::from_utf8(out.stdout).unwrap();
    Some(text.chars().filter(|c| !c.is_whitespace()).collect())
}

/// The text without the page numbers (`—3—`) that a paragraph or table running onto the next
/// page has in it.
#[cfg(feature = "pdf")]
fn without_page_numbers(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('—') {
        joined.push_str(&rest[..at]);
        let after = &rest[at + '—'.len_utf8()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('—') {
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            joined.push('—');
            rest = after;
        }
    }
    joined.push_str(rest);
    joined
}

/// Every row of every per-court table, and the summary, are in the PDF as typst laid them out:
/// the figures equal `compute`.
#[cfg(feature = "pdf")]
#[test]
fn the_pdf_carries_the_figures_of_compute() {
    let b = bulletin("2024");
    let pdf = render(&b, ReportFormat::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    let Some(with_page_numbers) = pdf_text_without_blanks(&pdf) else {
        return;
    };
    // Page numbers in the official form.
    assert!(
        with_page_numbers.contains("—1—") && with_page_numbers.contains("—2—"),
        "page numbers"
    );
    let text = without_page_numbers(&with_page_numbers);
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(text.contains(&squeeze(&b.title)), "title");
    assert!(text.contains(&squeeze(&b.issuer)), "issuing court");
    for s in &b.summary {
        assert!(text.contains(&squeeze(s)), "summary missing: {s}");
    }
    let expected = expected("2024");
    let table = fixture().snapshot.court_table();
    let mut rows_checked = 0;
    for (gi, (title, ids)) in GROUPS.iter().enumerate() {
        assert!(
            text.contains(&format!("表{}各法院{title}", gi + 2)),
            "{title}"
        );
        let mut labels: Vec<Option<String>> = expected.iter().map(|(k, _, _)| k.clone()).collect();
        labels.dedup();
        for key in labels {
            let label = match &key {
                Some(code) => row_label(table, code),
                None => format!("{}合计", b.area),
            };
            let row: String = std::iter::once(label.clone())
                .chain(ids.iter().map(|id| {
                    let value = expected
                        .iter()
                        .find(|(k, i, _)| *k == key && i == id)
                        .map(|(_, _, v)| *v)
                        .unwrap();
                    table_text(definition(id).unit, value)
                }))
                .collect();
            assert!(text.contains(&squeeze(&row)), "{title}: row {row} missing");
            rows_checked += 1;
        }
    }
    assert!(
        rows_checked > 5 * GROUPS.len(),
        "{rows_checked} rows checked"
    );
}

/// The PDF embeds (subsets of) the Chinese faces it uses, as `pdffonts` lists them: the file
/// reads the same on a machine without those fonts.
#[cfg(feature = "pdf")]
#[test]
fn the_pdf_embeds_its_chinese_fonts() {
    let pdf = render(&bulletin("2024Q4"), ReportFormat::Pdf).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulletin.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Ok(out) = std::process::Command::new("pdffonts").arg(&path).output() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdffonts is missing (apt-get install poppler-utils)"
        );
        eprintln!("skipped: pdffonts is not installed");
        return;
    };
    let listing = String::from_utf8(out.stdout).unwrap();
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "fonts listed:\n{listing}");
    for font in &fonts {
        let columns: Vec<&str> = font.split_whitespace().collect();
        // name type… encoding emb sub uni object generation: `emb` is the fourth from the end.
        assert_eq!(columns[columns.len() - 5], "yes", "embedded: {font}");
    }
    assert!(
        fonts
            .iter()
            .any(|f| f.contains("CJK") || f.contains("Song") || f.contains("Fang")),
        "a Chinese face among\n{listing}"
    );
}

/// Each chart is in the DOCX as a picture (PNG, drawn from the same SVG as the HTML and the PDF),
/// inline in the text, followed by the editable table of its figures.
#[test]
fn the_docx_shows_each_chart_as_a_picture() {
    let b = bulletin("2024");
    let charts: Vec<_> = b
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|block| match block {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(charts.len() >= 2, "monthly flow and the rate by court");
    let bytes = render(&b, ReportFormat::Docx).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let media: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    assert_eq!(media.len(), charts.len(), "{media:?}");
    for name in &media {
        let mut png = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut png)
            .unwrap();
        assert_eq!(&png[1..4], b"PNG", "{name}");
        // The IHDR chunk: width and height, big-endian, at bytes 16..24.
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!(width, 1800, "720 SVG units at 2.5 pixels each");
        assert!(height > 300, "{name}: {width}×{height}");
    }
    let document = unzip(&bytes, "word/document.xml");
    assert_eq!(document.matches("<w:drawing>").count(), charts.len());
    let paragraphs = docx_paragraphs(&bytes);
    // Each chart is titled once: in its picture (the SVG it is drawn from), not again in a
    // caption; the editable table under it is its data.
    for chart in &charts {
        assert!(chart.svg.contains(&chart.caption), "{}", chart.caption);
        assert!(!paragraphs.contains(&chart.caption), "{}", chart.caption);
    }
    assert_eq!(
        paragraphs.iter().filter(|p| *p == "上图数据").count(),
        charts.len(),
        "the figures' table after each picture"
    );
}

/// A court with courts below it has two sets of figures: its own cases (本院) and its whole
/// 辖区. The bulletin's court tables hold the court alone, and say so; the web's court tables
/// hold the 辖区 and say that.
#[test]
fn a_court_row_with_courts_below_is_labelled_as_the_court_alone() {
    let b = bulletin("2024");
    let table = fixture().snapshot.court_table();
    let mut upper = 0;
    let mut lower = 0;
    let court_tables = b
        .tables()
        .filter(|t| GROUPS.iter().any(|(title, _)| t.caption.contains(title)));
    for row in court_tables.flat_map(|t| &t.rows) {
        let Some(key) = row.key.as_deref() else {
            continue;
        };
        let Some(court) = table.get(key) else {
            continue;
        };
        let name = &row.cells[0].text;
        if table.children(key).is_empty() {
            assert_eq!(name, &court.name, "{key}");
            lower += 1;
        } else {
            assert_eq!(name, &format!("{}（本院）", court.name), "{key}");
            upper += 1;
        }
    }
    assert!(
        upper > 0 && lower > 0,
        "{upper} upper, {lower} lower court rows"
    );
}

/// The bulletin as LibreOffice lays it out (DOCX → PDF), read back page by page with
/// `pdftotext -layout`: no line of the title holds a single character, a case list's header
/// row repeats on every page its rows run onto, and no page is blank. Fails when `soffice` or
/// `pdftotext` is missing under CI; prints "skipped" otherwise.
#[test]
fn libreoffice_lays_the_docx_out_as_issued() {
    let tools = ["soffice", "pdftotext"].map(|name| {
        std::process::Command::new(name)
            .arg(if name == "soffice" { "--version" } else { "-v" })
            .output()
            .is_ok()
    });
    if tools.contains(&false) {
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice or pdftotext is missing (apt-get install libreoffice-writer poppler-utils)"
        );
        eprintln!("skipped: soffice or pdftotext is not installed");
        return;
    }
    let b = bulletin("2024");
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("bulletin.docx");
    std::fs::write(&docx, render(&b, ReportFormat::Docx).unwrap()).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let status = std::process::Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&docx)
        .status()
        .unwrap();
    assert!(status.success());
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(dir.path().join("bulletin.pdf"))
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.is_empty()).collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    // No blank page: every page holds more than its page number.
    for (i, page) in pages.iter().enumerate() {
        let words: String = page
            .lines()
            .map(str::trim)
            .filter(|l| !(l.is_empty() || (l.starts_with('—') && l.ends_with('—'))))
            .collect();
        assert!(!words.is_empty(), "page {} is blank", i + 1);
    }
    // The title: its lines join up to the title, and none is a single character.
    let title_chars: std::collections::HashSet<char> = b.title.chars().collect();
    let title_lines: Vec<String> = pages[0]
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty() && l.chars().all(|c| title_chars.contains(&c)))
        .collect();
    assert_eq!(title_lines.concat(), b.title, "{:?}", pages[0]);
    assert!(title_lines.len() >= 2, "the title runs over two lines here");
    for line in &title_lines {
        assert!(
            line.chars().count() > 1,
            "a lone character: {title_lines:?}"
        );
    }
    // Every page that shows rows of a case list (序号 then a case number) shows its header.
    let mut continued = 0;
    for (i, page) in pages.iter().enumerate() {
        let rows = page
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                let digits = l.chars().take_while(char::is_ascii_digit).count();
                digits > 0 && l[digits..].trim_start().starts_with('（')
            })
            .count();
        if rows > 0 {
            assert!(
                page.contains("序号"),
                "page {}: rows without a header",
                i + 1
            );
            if !page.contains("清单") {
                continued += 1;
            }
        }
    }
    assert!(continued > 0, "a case list runs over a page");
    // The colophon closes the document.
    assert!(pages.last().unwrap().contains("印发"));
}

/// A basic court has no courts below: its bulletin's tables are by 庭室 and by 承办人 (what
/// `tianping indicators --by division|judge` answers), not a court table of one row; an empty
/// table says 无.
#[test]
fn a_basic_courts_bulletin_has_tables_by_division_and_by_judge() {
    let f = fixture();
    let table = f.snapshot.court_table();
    let basic = table
        .iter()
        .filter(|c| c.level == tianping_domain::CourtLevel::Basic && c.code.starts_with(SCOPE))
        .map(|c| c.code.clone())
        .min()
        .unwrap();
    let settings = AssessSettings::defaults();
    let b = build(
        &f.snapshot,
        &BulletinRequest {
            period: Period::Year(2024),
            scope: Some(&basic),
            settings: &settings,
            issued: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
            pending: None,
            issue: Default::default(),
            pre_litigation: None,
            petitions: None,
            suggestions: None,
            refunds: None,
        },
    )
    .unwrap();
    assert_eq!(b.sections[1].heading, "二、各庭室及承办人主要指标情况");
    let by = |g: GroupBy| {
        compute(
            &f.snapshot,
            &IndicatorQuery {
                from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
                as_of: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
                scope: Some(basic.clone()),
                by: g,
            },
        )
        .unwrap()
    };
    let divisions = by(GroupBy::Division);
    let judges = by(GroupBy::Judge);
    assert!(divisions.len() >= 2 && judges.len() >= 2);
    let flow = b
        .tables()
        .find(|t| t.caption.ends_with("各庭室收结案情况"))
        .expect("a table by division");
    assert_eq!(flow.headers[0], "庭室");
    assert_eq!(
        flow.rows.len(),
        divisions.len() + 1,
        "the divisions and 本院合计"
    );
    for d in &divisions {
        let row = flow
            .rows
            .iter()
            .find(|r| r.key.as_deref() == Some(d.key.as_str()))
            .unwrap();
        assert_eq!(row.cells[2].number, Some(d.indicators.filed as f64));
    }
    let by_judge = b
        .tables()
        .find(|t| t.caption.ends_with("各承办人主要指标"))
        .expect("a table by judge");
    assert_eq!(by_judge.rows.len(), judges.len() + 1);
    assert!(
        b.tables().all(|t| t.headers[0] != "法院"
            || t.caption.contains("薄弱")
            || t.caption.contains("年底")),
        "no court table"
    );
    // The weak-court table of a basic court is empty: the document says 无.
    let empty = b
        .tables()
        .find(|t| t.rows.is_empty())
        .expect("an empty table");
    let docx = render(&b, ReportFormat::Docx).unwrap();
    let paragraphs = docx_paragraphs(&docx);
    let at = paragraphs.iter().position(|p| *p == empty.caption).unwrap();
    assert_eq!(paragraphs[at + 1 + empty.headers.len()], "无");
    assert!(
        render(&b, ReportFormat::Html)
            .unwrap()
            .windows("无</td>".len())
            .any(|w| w == "无</td>".as_bytes())
    );
}
