//! `tianping mediation`, `tianping mediators` and `tianping settings` as a user runs them, on a
//! database holding the worked examples of `workflows.md` §1.3-§1.6.

use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use serde_json::Value;
use tianping_store::MediationBatch;
use tianping_workflow::mediation::model::EventKind;
use tianping_workflow::mediation::{
    Mediation, MediationEvent, MediationKind, MediationOrg, Mediator, Outcome,
};

fn d(s: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(s).unwrap()
}

fn tianping(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tianping").unwrap();
    cmd.env_remove("TIANPING_HOLIDAYS")
        .env("TIANPING_DB", db)
        .env("USER", "tester");
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn mediation(id: usize, registered: &str, accepted: Option<&str>) -> Mediation {
    let mut m = Mediation::registered(
        &format!("M{id:04}"),
        "鲁0102",
        MediationKind::Delegated,
        d(registered),
    );
    m.referred_date = accepted.map(d);
    m.accepted_date = accepted.map(d);
    m
}

fn concluded(mut m: Mediation, outcome: Outcome, on: &str) -> Mediation {
    m.outcome = Some(outcome);
    m.concluded_date = Some(d(on));
    m
}

/// The worked example of §1.4 (鲁0102, 2023Q1 against 2022Q1), the due example of §1.6 and a
/// mediation registered and not yet referred.
fn seed(db: &Path) {
    let mut mediations = Vec::new();
    let mut id = 0;
    let mut next = || {
        id += 1;
        id
    };
    for k in 0..250 {
        let outcome = if k < 157 {
            Outcome::Succeeded
        } else {
            Outcome::Failed
        };
        let mut m = concluded(
            mediation(next(), "2022-01-04", Some("2022-01-04")),
            outcome,
            "2022-01-20",
        );
        if outcome == Outcome::Failed {
            m.failure_reason = Some("分歧较大".into());
        }
        mediations.push(m);
    }
    for _ in 0..40 {
        mediations.push(concluded(
            mediation(next(), "2022-12-20", Some("2023-01-03")),
            Outcome::Succeeded,
            "2023-01-20",
        ));
    }
    for _ in 0..10 {
        mediations.push(concluded(
            mediation(next(), "2023-01-05", None),
            Outcome::Returned,
            "2023-01-06",
        ));
    }
    for k in 0..240 {
        let (outcome, on) = match k {
            0..142 => (Outcome::Succeeded, "2023-01-20"),
            142..160 => (Outcome::Withdrawn, "2023-01-20"),
            160..212 => (Outcome::Failed, "2023-01-20"),
            _ => (Outcome::Failed, "2023-02-10"),
        };
        mediations.push(concluded(
            mediation(next(), "2023-01-03", Some("2023-01-03")),
            outcome,
            on,
        ));
    }
    for _ in 0..50 {
        mediations.push(mediation(next(), "2023-03-25", None));
    }
    // §1.6: 委派 accepted 2023-09-01, overdue on 2023-10-09.
    let mut due = Mediation::registered(
        "（2023）鲁0102民诉前调90号",
        "鲁0102",
        MediationKind::Delegated,
        d("2023-09-01"),
    );
    due.referred_date = Some(d("2023-09-01"));
    due.accepted_date = Some(d("2023-09-01"));
    due.mediator_id = Some("MD1".into());
    mediations.push(due);
    // Registered, to be assigned by the command line.
    mediations.push(Mediation::registered(
        "NEW-1",
        "鲁0102",
        MediationKind::Delegated,
        d("2023-10-09"),
    ));
    let batch = MediationBatch {
        orgs: vec![MediationOrg {
            org_id: "ORG1".into(),
            name: "历下区人民调解委员会".into(),
            kind: "人民调解".into(),
            court_code: "鲁0102".into(),
            docking: None,
            specialities: vec![],
            charges_fee: false,
            status: "在册".into(),
            joined_date: None,
            left_date: None,
        }],
        mediators: vec![Mediator {
            mediator_id: "MD1".into(),
            name: "王调解".into(),
            org_id: Some("ORG1".into()),
            court_code: "鲁0102".into(),
            background: None,
            specialities: vec![],
            resident: true,
            online: false,
            certificate_no: None,
            status: "在册".into(),
            joined_date: None,
            left_date: None,
        }],
        mediations,
        events: vec![MediationEvent {
            mediation_id: "M0001".into(),
            kind: EventKind::Appraisal,
            date: d("2022-01-06"),
            end_date: Some(d("2022-01-07")),
            days: None,
            mediator_id: None,
            reason: None,
        }],
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = tianping_store::open(db.to_str().unwrap()).await.unwrap();
        store.apply_mediation_batch(&batch, &[]).await.unwrap();
        store.close().await;
    });
}

#[test]
fn indicators_give_the_figures_of_the_worked_example_with_their_yoy_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    seed(&db);
    let doc = json_of(tianping(&db).args([
        "mediation",
        "indicators",
        "--period",
        "2023Q1",
        "--scope",
        "鲁0102",
        "--compare",
        "yoy",
        "--format",
        "json",
    ]));
    assert_eq!(doc["module"], "mediation");
    assert_eq!(
        (&doc["from"], &doc["to"], &doc["as_of"]),
        (
            &Value::from("2023-01-01"),
            &Value::from("2023-03-31"),
            &Value::from("2023-03-31")
        )
    );
    assert_eq!(
        (&doc["base_from"], &doc["base_to"]),
        (&Value::from("2022-01-01"), &Value::from("2022-03-31"))
    );
    let row = &doc["rows"][0];
    assert_eq!(row["key"], "鲁0102");
    let i = &row["indicators"];
    for (id, value) in [
        ("carried_over", 40),
        ("registered", 300),
        ("returned", 10),
        ("concluded", 280),
        ("succeeded", 182),
        ("withdrawn", 18),
        ("failed", 80),
        ("pending_end", 50),
        ("overdue_concluded", 28),
    ] {
        assert_eq!(i[id], value, "{id}");
    }
    assert_eq!(i["success_rate"], 0.65);
    assert_eq!(i["within_limit_rate"], 0.9);
    assert_eq!(row["base"]["succeeded"], 157);
    assert_eq!(row["base"]["success_rate"], 0.628);
    assert_eq!(row["change"]["succeeded"], 0.1592);
    assert_eq!(row["change"]["success_rate"], 0.022);
    // Every id in every row: no 司法确认; the 80 failed mediations of the quarter were due to be
    // filed as cases within 7 days and none was: 0.
    assert_eq!(i["confirmed"], 0);
    assert_eq!(i["filing_on_time_rate"], 0.0);
    assert!(i.as_object().unwrap().len() >= 18);
    // By month: the months of the quarter.
    let doc = json_of(tianping(&db).args([
        "mediation",
        "indicators",
        "--period",
        "2023Q1",
        "--by",
        "month",
        "--format",
        "json",
    ]));
    let keys: Vec<&str> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["2023-01", "2023-02", "2023-03"]);
}

#[test]
fn due_lists_the_example_row_and_act_moves_a_mediation_through_its_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    seed(&db);
    let doc = json_of(tianping(&db).args([
        "mediation",
        "due",
        "--as-of",
        "2023-10-09",
        "--status",
        "overdue",
        "--format",
        "json",
    ]));
    assert_eq!(doc["module"], "mediation");
    // The failed mediations never filed are overdue too (their filing obligations).
    let rows = doc["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["limit"] == "filing"));
    let row = rows
        .iter()
        .find(|r| r["id"] == "（2023）鲁0102民诉前调90号")
        .unwrap();
    assert_eq!(row["limit"], "mediation");
    assert_eq!(row["rule"], "委派调解30日");
    assert_eq!(row["source"], "人民法院在线调解规则第二十四条");
    assert_eq!(row["deadline"], "2023-10-07");
    assert_eq!(row["days_remaining"], -2);
    assert_eq!(row["status"], "overdue");
    assert_eq!(row["reason"], "超期2天");

    // Assign, then accept; accepting twice is refused with exit 2.
    let assigned = json_of(tianping(&db).args([
        "mediation",
        "act",
        "NEW-1",
        "assign",
        "--org",
        "ORG1",
        "--mediator",
        "MD1",
        "--date",
        "2023-10-09",
        "--format",
        "json",
    ]));
    assert_eq!(assigned["state"], "referred");
    let accepted = json_of(tianping(&db).args([
        "mediation",
        "act",
        "NEW-1",
        "accept",
        "--date",
        "2023-10-10",
        "--format",
        "json",
    ]));
    assert_eq!(accepted["state"], "mediating");
    let again = tianping(&db)
        .args([
            "mediation",
            "act",
            "NEW-1",
            "accept",
            "--date",
            "2023-10-11",
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("cannot accept from mediating"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // The history has both actions, with the state before and after.
    let shown = json_of(tianping(&db).args([
        "mediation",
        "show",
        "NEW-1",
        "--as-of",
        "2023-10-11",
        "--format",
        "json",
    ]));
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["action"], "assign");
    assert_eq!(history[0]["actor"], "cli:tester");
    let before: Value = serde_json::from_str(history[1]["before"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(history[1]["after"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&before["state"], &after["state"]),
        (&Value::from("referred"), &Value::from("mediating"))
    );
    assert_eq!(after["accepted_date"], "2023-10-10");
    // 10-10 + 30 days = 11-09.
    let deadline = shown["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["limit"] == "mediation" && d["base"].is_string())
        .unwrap();
    assert_eq!(deadline["deadline"], "2023-11-09");
    // An unknown mediation, an unknown action: exit 2.
    for args in [
        vec!["mediation", "act", "NOPE", "accept"],
        vec!["mediation", "act", "NEW-1", "dance"],
    ] {
        assert_eq!(
            tianping(&db).args(&args).output().unwrap().status.code(),
            Some(2)
        );
    }
}

#[test]
fn settings_are_checked_stored_and_audited_and_the_roster_counts_per_court() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    seed(&db);
    tianping(&db)
        .args(["settings", "set", "mediation.filing_days", "10"])
        .assert()
        .success();
    let bad = tianping(&db)
        .args(["settings", "set", "mediation.filing_days", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let doc = json_of(tianping(&db).args(["settings", "show", "--format", "json"]));
    let filing = doc["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "mediation.filing_days")
        .unwrap();
    assert_eq!(filing["value"], "10");
    assert_eq!(filing["default"], "7");
    assert_eq!(filing["changed_by"], "cli:tester");
    // The bulletin's 机关代字 per court.
    tianping(&db)
        .args(["settings", "set", "bulletin.doc_prefix.鲁0102", "历下法"])
        .assert()
        .success();
    let doc = json_of(tianping(&db).args(["settings", "show", "--format", "json"]));
    assert_eq!(doc["per_court"][0]["key"], "bulletin.doc_prefix.鲁0102");
    assert_eq!(doc["per_court"][0]["value"], "历下法");
    let roster = json_of(tianping(&db).args(["mediators", "list", "--format", "json"]));
    let row = &roster["rows"][0];
    assert_eq!(row["court_code"], "鲁0102");
    assert_eq!(
        (
            &row["orgs_active"],
            &row["mediators_active"],
            &row["resident"]
        ),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
}
