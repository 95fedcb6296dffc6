//! The printable 司法建议书 (judicial suggestion letter) after annex 1 (制作规范) and annex 2
//! (文书样式) of 最高人民法院《关于综合治理类司法建议工作若干问题的规定》 (法释〔2023〕11号):
//! 首部 — the title "××人民法院关于××的司法建议书", the number "××法建〔××××〕×号" and the
//! recipient's full name; 主文 — the importance of the field and what the recipient has done, the
//! problems found in trial or enforcement work, the suggestions one per problem, the reply period
//! ("在收到本建议书后…×个月内"); 尾部 — the annexes, the court's name and date (under the seal),
//! the contact person and 抄送 (art. 9).
//!
//! The letter is built from the stored record ([`SuggestionLetter::from_suggestion`]) and laid
//! out as DOCX (the page of GB/T 9704-2012, like the bulletin) or PDF (typst, `letter.typ`).
//! Where the record lacks a part of the body, the letter says so in brackets (（待填写：…）)
//! rather than inventing text: a draft printed for the 审判委员会 shows what is missing.

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BorderType, Paragraph, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableRow, WidthType,
};
use serde::Serialize;
use tianping_workflow::suggestions::Suggestion;

use crate::RenderError;
use crate::bulletin::date_zh;
use crate::docx::{
    BODY_FONT, SIZE_BODY, SIZE_PAGE_NUMBER, TEXT_WIDTH, blank, body, body_line, mm, official_page,
    run, title_paragraph,
};

/// The letter's text, part by part, as it is printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestionLetter {
    /// 标题: ××人民法院关于××的司法建议书.
    pub title: String,
    /// 司法建议书编号, normalized (〔〕).
    pub number: String,
    /// 被建议单位名称 followed by the full-width colon.
    pub addressee: String,
    /// 主文, paragraph by paragraph.
    pub paragraphs: Vec<String>,
    /// 附件, each line as printed (the first starts with 附件：).
    pub annexes: Vec<String>,
    /// 法院名称 over the date.
    pub court_name: String,
    /// 成文日期: the president's signature (建议规定 art. 7 ¶2), else the issue date; a blank
    /// "年　月　日" for a letter not yet signed.
    pub date: String,
    /// 联系人：… (annex 1 §四), if recorded.
    pub contact: Option<String>,
    /// 抄送：….。 (art. 9), if any.
    pub cc: Option<String>,
    /// Whether a part of the body is still missing (the letter is a draft).
    pub incomplete: bool,
}

/// Chinese numerals for the reply period and the numbering of suggestions (一 … 九十九).
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n - 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// The items of a multi-part field: one per line, or separated by ；/;.
fn items(text: &str) -> Vec<String> {
    text.split(['\n', '；', ';'])
        .map(|t| t.trim().trim_end_matches(['。', '，', ',']).trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['。', '！', '？', '：']) {
        text.to_owned()
    } else {
        format!("{text}。")
    }
}

impl SuggestionLetter {
    /// The letter of `s`, issued by the court named `court_name`.
    pub fn from_suggestion(s: &Suggestion, court_name: &str) -> SuggestionLetter {
        let mut incomplete = false;
        let mut missing = |what: &str| {
            incomplete = true;
            format!("（待填写：{what}）")
        };
        let mut paragraphs = Vec::new();
        match s.background.as_deref().map(str::trim) {
            Some(b) if !b.is_empty() => paragraphs.push(sentence(b)),
            _ => paragraphs.push(missing(
                "抓好相关领域工作的重要性，被建议单位已采取的主要举措及成效",
            )),
        }
        let findings = match s.findings.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => sentence(f),
            _ => {
                let source = if s.case_numbers.is_empty() {
                    "我院在审判执行工作中".to_owned()
                } else {
                    let shown: Vec<&str> =
                        s.case_numbers.iter().take(3).map(String::as_str).collect();
                    let more = if s.case_numbers.len() > 3 { "等" } else { "" };
                    format!("我院在审理{}{more}案件中", shown.join("、"))
                };
                format!("{source}，发现{}。", missing("需要重视和解决的问题"))
            }
        };
        paragraphs.push(if findings.contains("特建议") {
            findings
        } else {
            format!("{findings}为此，特建议：")
        });
        let proposals = items(s.proposals.as_deref().unwrap_or(""));
        match proposals.len() {
            0 => paragraphs.push(missing("建议的具体事项，与问题一一对应")),
            1 => paragraphs.push(sentence(&proposals[0])),
            _ => {
                for (i, p) in proposals.iter().enumerate() {
                    paragraphs.push(format!("{}、{}", chinese_number(i as u32 + 1), sentence(p)));
                }
            }
        }
        let months = match s.reply_months {
            2 => "两".to_owned(),
            m => chinese_number(m),
        };
        let field = s.topic.trim_end_matches("问题");
        paragraphs.push(format!(
            "请你单位在收到本建议书后及时研究，采取有力措施推进{field}问题治理，并在{months}个月内向我院书面反馈工作进展情况。我院将积极支持、配合你单位做好相关工作，共同推进{field}领域的治理工作。"
        ));
        let annex_items = items(s.annexes.as_deref().unwrap_or(""));
        let annexes = match annex_items.len() {
            0 => Vec::new(),
            1 => vec![format!("附件：{}", annex_items[0])],
            _ => annex_items
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    if i == 0 {
                        format!("附件：1.{a}")
                    } else {
                        format!("{}.{a}", i + 1)
                    }
                })
                .collect(),
        };
        let date: Option<NaiveDate> = s.signed_date.or(s.issued_date);
        SuggestionLetter {
            title: s.title.clone(),
            number: s.suggestion_no.clone(),
            addressee: format!("{}：", s.recipient.trim()),
            paragraphs,
            annexes,
            court_name: court_name.to_owned(),
            date: date.map_or_else(|| "　　年　　月　　日".to_owned(), date_zh),
            contact: s
                .contact
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| format!("联系人：{c}")),
            cc: s
                .cc
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| format!("抄送：{}。", c.trim_end_matches('。'))),
            incomplete,
        }
    }

    /// The file name users get: the number and the recipient.
    pub fn file_stem(&self) -> String {
        format!(
            "{}（{}）",
            self.number,
            self.addressee.trim_end_matches('：')
        )
    }

    /// The whole text, line by line (tests, and a plain-text preview).
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![
            self.title.clone(),
            self.number.clone(),
            self.addressee.clone(),
        ];
        out.extend(self.paragraphs.iter().cloned());
        out.extend(self.annexes.iter().cloned());
        out.push(self.court_name.clone());
        out.push(self.date.clone());
        out.extend(self.contact.iter().cloned());
        out.extend(self.cc.iter().cloned());
        out
    }
}

/// The letter's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterFormat {
    Docx,
    Pdf,
}

impl LetterFormat {
    pub fn parse(text: &str) -> Option<LetterFormat> {
        match text {
            "docx" => Some(LetterFormat::Docx),
            "pdf" => Some(LetterFormat::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            LetterFormat::Docx => "docx",
            LetterFormat::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            LetterFormat::Docx => crate::ReportFormat::Docx.content_type(),
            LetterFormat::Pdf => crate::ReportFormat::Pdf.content_type(),
        }
    }
}

/// Lay the letter out in `format`.
pub fn render(letter: &SuggestionLetter, format: LetterFormat) -> Result<Vec<u8>, RenderError> {
    match format {
        LetterFormat::Docx => docx(letter),
        #[cfg(feature = "pdf")]
        LetterFormat::Pdf => crate::pdf::render_letter(letter),
        #[cfg(not(feature = "pdf"))]
        LetterFormat::Pdf => Err(RenderError::PdfNotBuilt),
    }
}

fn right(text: &str, indent_mm: f64) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, SIZE_BODY))
        .align(AlignmentType::Right)
        .indent(None, None, Some(mm(indent_mm)), None)
        .line_spacing(body_line())
}

fn flush_left(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, SIZE_BODY))
        .line_spacing(body_line())
}

/// The 抄送 line between two rules at the foot (GB/T 9704-2012 8, 版记).
fn cc_block(text: &str) -> docx_rs::Table {
    let rule = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(8)
            .color("000000")
    };
    let line = Paragraph::new()
        .add_run(run(text, BODY_FONT, SIZE_PAGE_NUMBER))
        .line_spacing(body_line())
        .indent(Some(mm(7.0)), None, Some(mm(7.0)), None);
    docx_rs::Table::new(vec![TableRow::new(vec![
        TableCell::new()
            .add_paragraph(line)
            .width(TEXT_WIDTH, WidthType::Dxa),
    ])])
    .set_grid(vec![TEXT_WIDTH])
    .width(TEXT_WIDTH, WidthType::Dxa)
    .set_borders(
        TableBorders::with_empty()
            .set(rule(TableBorderPosition::Top))
            .set(rule(TableBorderPosition::Bottom)),
    )
}

/// The document before packing (tests read its XML).
pub fn docx_document(letter: &SuggestionLetter) -> docx_rs::Docx {
    let mut doc = official_page()
        .add_paragraph(title_paragraph(&letter.title))
        .add_paragraph(blank())
        .add_paragraph(right(&letter.number, 0.0))
        .add_paragraph(blank())
        .add_paragraph(flush_left(&letter.addressee));
    for p in &letter.paragraphs {
        doc = doc.add_paragraph(body(p));
    }
    if !letter.annexes.is_empty() {
        doc = doc.add_paragraph(blank());
        for (i, a) in letter.annexes.iter().enumerate() {
            // 附件 lines after the first align with the first item (after 附件：, three characters).
            let p = if i == 0 {
                body(a)
            } else {
                body(a).indent(Some(mm(5.6 * 5.0)), None, None, None)
            };
            doc = doc.add_paragraph(p);
        }
    }
    // Room for the seal above the court's name and the date (annex 2: （院印）).
    doc = doc
        .add_paragraph(blank())
        .add_paragraph(blank())
        .add_paragraph(right(&letter.court_name, 8.0))
        .add_paragraph(right(&letter.date, 12.0));
    if let Some(contact) = &letter.contact {
        doc = doc.add_paragraph(blank()).add_paragraph(body(contact));
    }
    if let Some(cc) = &letter.cc {
        doc = doc.add_paragraph(blank()).add_table(cc_block(cc));
    }
    doc
}

fn docx(letter: &SuggestionLetter) -> Result<Vec<u8>, RenderError> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx_document(letter)
        .build()
        .pack(&mut out)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Suggestion {
        let mut s = Suggestion::drafted(
            "历下法建〔2023〕8号",
            "鲁0102",
            "济南市历下区人民法院关于加强住宅小区物业管理的司法建议书",
            "济南市历下区住房和城乡建设局",
            "物业纠纷",
        );
        s.background = Some("物业管理事关群众切身利益".into());
        s.findings =
            Some("我院在审理物业服务合同纠纷案件中发现，部分企业收费项目公示不全。".into());
        s.proposals = Some("督促企业公示收费项目；建立诉前联动化解机制".into());
        s.annexes = Some("典型案例3件\n调研报告".into());
        s.contact = Some("王某某 0531-86000000".into());
        s.cc = Some("济南市历下区人民政府".into());
        s.committee_date = NaiveDate::from_ymd_opt(2023, 11, 1);
        s.signed_date = NaiveDate::from_ymd_opt(2023, 11, 2);
        s
    }

    #[test]
    fn the_letter_follows_the_model_of_annex_2() {
        let letter = SuggestionLetter::from_suggestion(&sample(), "济南市历下区人民法院");
        assert!(!letter.incomplete);
        assert_eq!(letter.addressee, "济南市历下区住房和城乡建设局：");
        assert_eq!(
            letter.paragraphs,
            [
                "物业管理事关群众切身利益。",
                "我院在审理物业服务合同纠纷案件中发现，部分企业收费项目公示不全。为此，特建议：",
                "一、督促企业公示收费项目。",
                "二、建立诉前联动化解机制。",
                "请你单位在收到本建议书后及时研究，采取有力措施推进物业纠纷问题治理，并在两个月内向我院书面反馈工作进展情况。我院将积极支持、配合你单位做好相关工作，共同推进物业纠纷领域的治理工作。",
            ]
        );
        assert_eq!(letter.annexes, ["附件：1.典型案例3件", "2.调研报告"]);
        assert_eq!(letter.date, "2023年11月2日");
        assert_eq!(
            letter.contact.as_deref(),
            Some("联系人：王某某 0531-86000000")
        );
        assert_eq!(letter.cc.as_deref(), Some("抄送：济南市历下区人民政府。"));
    }

    #[test]
    fn a_letter_without_its_body_says_what_is_missing() {
        let mut s = sample();
        s.background = None;
        s.findings = None;
        s.proposals = None;
        s.signed_date = None;
        s.reply_months = 3;
        s.case_numbers = vec!["（2023）鲁0102民初100号".into()];
        let letter = SuggestionLetter::from_suggestion(&s, "济南市历下区人民法院");
        assert!(letter.incomplete);
        assert!(letter.paragraphs[0].starts_with("（待填写："));
        assert!(
            letter.paragraphs[1]
                .starts_with("我院在审理（2023）鲁0102民初100号案件中，发现（待填写："),
            "{}",
            letter.paragraphs[1]
        );
        assert!(letter.paragraphs[3].contains("在三个月内"));
        assert_eq!(letter.date, "　　年　　月　　日");
    }

    #[test]
    fn chinese_numbers() {
        for (n, zh) in [
            (1, "一"),
            (2, "二"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (35, "三十五"),
        ] {
            assert_eq!(chinese_number(n), zh);
        }
    }

    #[test]
    fn the_docx_holds_every_part_in_order() {
        let letter = SuggestionLetter::from_suggestion(&sample(), "济南市历下区人民法院");
        let xml = String::from_utf8(docx_document(&letter).build().document).expect("utf-8");
        let mut at = 0;
        for line in letter.lines() {
            // The title may be broken over lines; its first characters are enough.
            let probe: String = line.chars().take(8).collect();
            let found = xml[at..]
                .find(&probe)
                .unwrap_or_else(|| panic!("{probe} after {at}"));
            at += found;
        }
    }
}
