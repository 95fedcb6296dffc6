//! The printable 司法建议书 (annex 1-2 of the 2023 rules): LibreOffice opens the DOCX and reads
//! every part in order; the PDF carries the same text in order.

use chrono::NaiveDate;
use tianping_report::letter::{LetterFormat, SuggestionLetter, render};
use tianping_workflow::suggestions::Suggestion;

fn suggestion() -> Suggestion {
    let mut s = Suggestion::drafted(
        "历下法建〔2023〕8号",
        "鲁0102",
        "济南市历下区人民法院关于加强住宅小区物业管理的司法建议书",
        "济南市历下区住房和城乡建设局",
        "物业纠纷",
    );
    s.background = Some("物业管理事关群众切身利益和基层社会治理。贵单位近年来推进物业服务规范化建设，取得积极成效。".into());
    s.findings = Some("我院在审理物业服务合同纠纷案件中发现，部分物业服务企业收费项目公示不全，业主委员会成立率低。".into());
    s.proposals = Some("督促物业服务企业按规定公示收费项目和标准\n指导符合条件的小区依法成立业主委员会\n建立物业纠纷诉前联动化解机制".into());
    s.annexes = Some("物业纠纷典型案例3件".into());
    s.contact = Some("王某某 0531-86000000".into());
    s.cc = Some("济南市历下区人民政府".into());
    s.case_numbers = vec!["（2023）鲁0102民初100号".into()];
    s.committee_date = NaiveDate::from_ymd_opt(2023, 11, 1);
    s.signed_date = NaiveDate::from_ymd_opt(2023, 11, 2);
    s.issued_date = NaiveDate::from_ymd_opt(2023, 11, 28);
    s
}

fn letter() -> SuggestionLetter {
    SuggestionLetter::from_suggestion(&suggestion(), "济南市历下区人民法院")
}

fn without_blanks(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}' && *c != '\u{3000}')
        .collect()
}

/// Every line of the letter, found in `text` one after another.
fn assert_in_order(text: &str, letter: &SuggestionLetter) {
    let text = without_blanks(text);
    let mut at = 0;
    for line in letter.lines() {
        let line = without_blanks(&line);
        match text[at..].find(&line) {
            Some(found) => at += found + line.len(),
            None => panic!("“{line}” is missing (or out of order) after byte {at} of\n{text}"),
        }
    }
}

#[test]
fn the_letter_is_the_model_of_annex_2_filled_from_the_record() {
    let l = letter();
    assert!(!l.incomplete);
    assert_eq!(l.number, "历下法建〔2023〕8号");
    assert_eq!(
        &l.paragraphs[2..5],
        [
            "一、督促物业服务企业按规定公示收费项目和标准。",
            "二、指导符合条件的小区依法成立业主委员会。",
            "三、建立物业纠纷诉前联动化解机制。",
        ]
    );
    assert_eq!(l.annexes, ["附件：物业纠纷典型案例3件"]);
    assert_eq!(l.date, "2023年11月2日");
    assert_eq!(
        l.file_stem(),
        "历下法建〔2023〕8号（济南市历下区住房和城乡建设局）"
    );
}

/// LibreOffice converts the DOCX to text, and every part of the letter is there in order.
/// Fails when `soffice` is missing under CI; prints "skipped" otherwise.
#[test]
fn libreoffice_opens_the_letter() {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice is missing (apt-get install libreoffice-writer)"
        );
        eprintln!("skipped: soffice is not installed");
        return;
    };
    let l = letter();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("letter.docx"),
        render(&l, LetterFormat::Docx).unwrap(),
    )
    .unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let status = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(dir.path().join("letter.docx"))
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(dir.path().join("letter.txt")).unwrap();
    assert_in_order(&text, &l);
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_has_every_part_in_order() {
    let pdf = render(&letter(), LetterFormat::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
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
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // The page number (— 1 —) sits at the foot, after the text.
    assert_in_order(&text, &letter());
}
