//! The mediation records as rows of the exchange files (`workflows.md` §1.5): the cells of each
//! record in the order of [`tianping_exchange::template_columns`], with the values the importer
//! reads back (dates ISO, amounts in yuan, yes/no as 是/否, lists separated by `;`, kinds and
//! outcomes by their Chinese names). The synthetic province writes its files with them, and a
//! record written and read back is the same record.

use chrono::NaiveDate;
use tianping_domain::Money;
use tianping_exchange::Kind;

use super::model::{Mediation, MediationEvent, MediationOrg, Mediator};

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_owned()
}

fn text(t: &Option<String>) -> String {
    t.clone().unwrap_or_default()
}

/// The cells of `kind`'s columns, each from `cell(column name)`.
fn row(kind: Kind, cell: impl Fn(&str) -> String) -> Vec<String> {
    tianping_exchange::template_columns(kind)
        .iter()
        .map(|c| cell(c.name))
        .collect()
}

/// A row of the mediation organisations file.
pub fn org_cells(o: &MediationOrg) -> Vec<String> {
    row(Kind::MediationOrgs, |column| match column {
        "org_id" => o.org_id.clone(),
        "name" => o.name.clone(),
        "kind" => o.kind.clone(),
        "court_code" => o.court_code.clone(),
        "docking" => text(&o.docking),
        "specialities" => o.specialities.join(";"),
        "charges_fee" => yes_no(o.charges_fee),
        "status" => o.status.clone(),
        "joined_date" => date(o.joined_date),
        "left_date" => date(o.left_date),
        other => unreachable!("mediation_orgs has no column {other}"),
    })
}

/// A row of the mediators file.
pub fn mediator_cells(m: &Mediator) -> Vec<String> {
    row(Kind::Mediators, |column| match column {
        "mediator_id" => m.mediator_id.clone(),
        "name" => m.name.clone(),
        "org_id" => text(&m.org_id),
        "court_code" => m.court_code.clone(),
        "background" => text(&m.background),
        "specialities" => m.specialities.join(";"),
        "resident" => yes_no(m.resident),
        "online" => yes_no(m.online),
        "certificate_no" => text(&m.certificate_no),
        "status" => m.status.clone(),
        "joined_date" => date(m.joined_date),
        "left_date" => date(m.left_date),
        other => unreachable!("mediators has no column {other}"),
    })
}

/// A row of the mediations file.
pub fn mediation_cells(m: &Mediation) -> Vec<String> {
    row(Kind::Mediations, |column| match column {
        "mediation_id" => m.mediation_id.clone(),
        "court_code" => m.court_code.clone(),
        "kind" => m.kind.name_zh().to_owned(),
        "case_number" => text(&m.case_number),
        "procedure" => m.procedure.map_or("", |p| p.name_zh()).to_owned(),
        "cause" => text(&m.cause),
        "claim_amount" => m
            .claim_amount
            .map(|fen| Money::from_yuan_cents(fen).to_string())
            .unwrap_or_default(),
        "registered_date" => m.registered_date.to_string(),
        "referred_date" => date(m.referred_date),
        "org_id" => text(&m.org_id),
        "mediator_id" => text(&m.mediator_id),
        "accepted_date" => date(m.accepted_date),
        "online" => yes_no(m.online),
        "outcome" => m.outcome.map_or("", |o| o.name_zh()).to_owned(),
        "concluded_date" => date(m.concluded_date),
        "agreement_path" => m.agreement_path.map_or("", |p| p.name_zh()).to_owned(),
        "performed" => m.performed.map(yes_no).unwrap_or_default(),
        "failure_reason" => text(&m.failure_reason),
        // Written only when it is not the default (坚持诉讼 unless said otherwise).
        "wants_suit" => {
            if m.wants_suit {
                String::new()
            } else {
                yes_no(false)
            }
        }
        "confirmation_case_number" => text(&m.confirmation_case_number),
        "document_case_number" => text(&m.document_case_number),
        "filed_case_number" => text(&m.filed_case_number),
        "filed_date" => date(m.filed_date),
        other => unreachable!("mediations has no column {other}"),
    })
}

/// A row of the mediation events file.
pub fn event_cells(e: &MediationEvent) -> Vec<String> {
    row(Kind::MediationEvents, |column| match column {
        "mediation_id" => e.mediation_id.clone(),
        "event" => e.kind.name_zh().to_owned(),
        "date" => e.date.to_string(),
        "end_date" => date(e.end_date),
        "days" => e.days.map(|d| d.to_string()).unwrap_or_default(),
        "mediator_id" => text(&e.mediator_id),
        "reason" => text(&e.reason),
        other => unreachable!("mediation_events has no column {other}"),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tianping_domain::HolidayCalendar;

    use super::*;
    use crate::mediation::import::{Known, KnownCase, TableFile, check_files};
    use crate::mediation::limits::MediationSettings;
    use crate::mediation::model::{
        AgreementPath, CaseProcedure, EventKind, MediationKind, Outcome,
    };

    fn records<T: Clone>(rows: &[(usize, T)]) -> Vec<T> {
        rows.iter().map(|(_, r)| r.clone()).collect()
    }

    fn d(text: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(text).unwrap()
    }

    /// Records with every field of each file filled (and some left empty), written as rows and
    /// checked by the importer: the importer returns the same records, with no problem.
    #[test]
    fn records_written_as_rows_read_back_the_same() {
        let org = MediationOrg {
            org_id: "O1".into(),
            name: "历下区人民调解委员会".into(),
            kind: "人民调解".into(),
            court_code: "鲁0102".into(),
            docking: Some("本院".into()),
            specialities: vec!["婚姻家庭".into(), "物业".into()],
            charges_fee: true,
            status: "在册".into(),
            joined_date: Some(d("2020-01-01")),
            left_date: None,
        };
        let mediator = Mediator {
            mediator_id: "MD1".into(),
            name: "王调解".into(),
            org_id: Some("O1".into()),
            court_code: "鲁0102".into(),
            background: Some("律师".into()),
            specialities: vec!["物业".into()],
            resident: true,
            online: false,
            certificate_no: Some("TJ-001".into()),
            status: "在册".into(),
            joined_date: Some(d("2020-02-01")),
            left_date: None,
        };
        let mut entrusted = Mediation::registered(
            "调2025鲁010200001",
            "鲁0102",
            MediationKind::Entrusted,
            d("2025-03-03"),
        );
        entrusted.case_number = Some("（2025）鲁0102民初7号".into());
        entrusted.procedure = Some(CaseProcedure::Simple);
        entrusted.cause = Some("物业服务合同纠纷".into());
        entrusted.claim_amount = Some(1_234_556);
        entrusted.referred_date = Some(d("2025-03-03"));
        entrusted.org_id = Some("O1".into());
        entrusted.mediator_id = Some("MD1".into());
        entrusted.accepted_date = Some(d("2025-03-04"));
        entrusted.online = true;
        entrusted.outcome = Some(Outcome::Succeeded);
        entrusted.concluded_date = Some(d("2025-03-10"));
        entrusted.agreement_path = Some(AgreementPath::SuitWithdrawn);
        entrusted.performed = Some(true);
        let mut failed = Mediation::registered(
            "（2024）鲁0102民诉前调8号",
            "鲁0102",
            MediationKind::Delegated,
            d("2024-05-06"),
        );
        failed.referred_date = Some(d("2024-05-07"));
        failed.mediator_id = Some("MD1".into());
        failed.org_id = Some("O1".into());
        failed.accepted_date = Some(d("2024-05-08"));
        failed.outcome = Some(Outcome::Failed);
        failed.concluded_date = Some(d("2024-05-30"));
        failed.failure_reason = Some("分歧较大".into());
        failed.wants_suit = false;
        let events = vec![
            MediationEvent {
                mediation_id: failed.mediation_id.clone(),
                kind: EventKind::Appraisal,
                date: d("2024-05-10"),
                end_date: Some(d("2024-05-14")),
                days: None,
                mediator_id: None,
                reason: Some("鉴定评估".into()),
            },
            MediationEvent {
                mediation_id: failed.mediation_id.clone(),
                kind: EventKind::Extension,
                date: d("2024-05-28"),
                end_date: None,
                days: Some(10),
                mediator_id: None,
                reason: Some("双方同意延长".into()),
            },
        ];
        let files = [
            (Kind::MediationOrgs, vec![org_cells(&org)]),
            (Kind::Mediators, vec![mediator_cells(&mediator)]),
            (
                Kind::Mediations,
                vec![mediation_cells(&entrusted), mediation_cells(&failed)],
            ),
            (
                Kind::MediationEvents,
                events.iter().map(event_cells).collect(),
            ),
        ];
        let rows: Vec<Vec<(usize, Vec<String>)>> = files
            .iter()
            .map(|(_, rows)| {
                rows.iter()
                    .cloned()
                    .enumerate()
                    .map(|(i, r)| (i + 2, r))
                    .collect()
            })
            .collect();
        let names: Vec<String> = files.iter().map(|(k, _)| format!("{k}.csv")).collect();
        let tables: Vec<TableFile<'_>> = files
            .iter()
            .zip(&rows)
            .zip(&names)
            .map(|(((kind, _), rows), file)| TableFile {
                file,
                kind: *kind,
                rows,
                refused: &[],
            })
            .collect();
        let cases: HashMap<&str, KnownCase> = HashMap::from([(
            "（2025）鲁0102民初7号",
            KnownCase {
                court_code: "鲁0102".into(),
                filed_date: d("2025-03-01"),
                closed_date: None,
                procedure: None,
            },
        )]);
        let court = |code: &str| code == "鲁0102";
        let case = |n: &str| cases.get(n).cloned();
        let known = Known {
            court: &court,
            case: &case,
            org: &|_| None,
            mediator: &|_| None,
            mediation: &|_| None,
            events: &|_| Vec::new(),
        };
        let checked = check_files(
            &tables,
            &known,
            &MediationSettings::default(),
            &HolidayCalendar::builtin(),
        );
        for file in &checked {
            assert!(file.problems.is_empty(), "{:?}", file.problems);
        }
        assert_eq!(records(&checked[0].orgs), vec![org]);
        assert_eq!(records(&checked[1].mediators), vec![mediator]);
        assert_eq!(records(&checked[2].mediations), vec![entrusted, failed]);
        assert_eq!(records(&checked[3].events), events);
    }
}
