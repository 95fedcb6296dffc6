//! The workflow tables on both backends: settings, duties and the workflow audit; mediation
//! records written in a batch, read back the same (same rows, same order) on SQLite and
//! PostgreSQL, a batch written again changing nothing, and an action saved with its event and
//! audit entry in one go. PostgreSQL runs in a fresh schema on `$TIANPING_TEST_PG` (default the
//! local server); without a server the PostgreSQL half is skipped unless CI is set.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Connection};
use tianping_store::{
    DutyRecord, MediationBatch, MediationChange, MediationOutcome, SettingRecord, Store,
    WorkflowAuditEntry,
};
use tianping_workflow::mediation::model::{AgreementPath, CaseProcedure, EventKind};
use tianping_workflow::mediation::{
    Mediation, MediationEvent, MediationKind, MediationOrg, Mediator, Outcome,
};

fn d(s: &str) -> NaiveDate {
    tianping_domain::dates::parse_date(s).unwrap()
}

fn audit(action: &str, id: &str) -> WorkflowAuditEntry {
    WorkflowAuditEntry {
        at: "2023-09-01 09:00:00".into(),
        actor: "cli:test".into(),
        kind: "workflow_action".into(),
        module: "mediation".into(),
        entity: "mediation".into(),
        entity_id: id.into(),
        action: action.into(),
        before: "{}".into(),
        after: "{\"state\":\"referred\"}".into(),
    }
}

fn batch() -> MediationBatch {
    let org = MediationOrg {
        org_id: "ORG1".into(),
        name: "历下区人民调解委员会".into(),
        kind: "人民调解".into(),
        court_code: "鲁0102".into(),
        docking: Some("本院".into()),
        specialities: vec!["婚姻家庭".into(), "物业".into()],
        charges_fee: false,
        status: "在册".into(),
        joined_date: Some(d("2020-01-01")),
        left_date: None,
    };
    let mediator = Mediator {
        mediator_id: "MD1".into(),
        name: "王调解".into(),
        org_id: Some("ORG1".into()),
        court_code: "鲁0102".into(),
        background: Some("退休法律工作者".into()),
        specialities: vec!["物业".into()],
        resident: true,
        online: true,
        certificate_no: None,
        status: "在册".into(),
        joined_date: None,
        left_date: None,
    };
    let mut a = Mediation::registered(
        "（2023）鲁0102民诉前调90号",
        "鲁0102",
        MediationKind::Delegated,
        d("2023-03-15"),
    );
    a.referred_date = Some(d("2023-03-15"));
    a.accepted_date = Some(d("2023-03-15"));
    a.org_id = Some("ORG1".into());
    a.mediator_id = Some("MD1".into());
    a.outcome = Some(Outcome::Succeeded);
    a.concluded_date = Some(d("2023-05-05"));
    a.agreement_path = Some(AgreementPath::JudicialConfirmation);
    a.performed = Some(true);
    a.claim_amount = Some(1_234_500);
    let mut b = Mediation::registered("M-2", "鲁0102", MediationKind::Entrusted, d("2023-06-20"));
    b.case_number = Some("（2023）鲁0102民初77号".into());
    b.procedure = Some(CaseProcedure::Simple);
    b.referred_date = Some(d("2023-06-20"));
    b.accepted_date = Some(d("2023-06-20"));
    b.mediator_id = Some("MD1".into());
    let events = vec![
        MediationEvent {
            mediation_id: a.mediation_id.clone(),
            kind: EventKind::Appraisal,
            date: d("2023-03-20"),
            end_date: Some(d("2023-03-29")),
            days: None,
            mediator_id: None,
            reason: Some("房屋质量鉴定".into()),
        },
        MediationEvent {
            mediation_id: a.mediation_id.clone(),
            kind: EventKind::Extension,
            date: d("2023-04-20"),
            end_date: None,
            days: Some(15),
            mediator_id: None,
            reason: None,
        },
    ];
    MediationBatch {
        orgs: vec![org],
        mediators: vec![mediator],
        mediations: vec![a, b],
        events,
    }
}

async fn story(store: Arc<dyn Store>) {
    // Settings and duties.
    assert!(store.settings().await.unwrap().is_empty());
    assert_eq!(store.workflow_version().await.unwrap(), 0);
    let setting = SettingRecord {
        key: "mediation.filing_days".into(),
        value: "10".into(),
        changed_at: "2023-09-01 09:00:00".into(),
        changed_by: "admin".into(),
    };
    store
        .set_setting(&setting, &audit("set", "mediation.filing_days"))
        .await
        .unwrap();
    assert_eq!(store.settings().await.unwrap(), vec![setting]);
    // Every committed change of settings or records moves the version (readers reload on it).
    let after_setting = store.workflow_version().await.unwrap();
    assert!(after_setting > 0);
    let duties = DutyRecord {
        username: "wang".into(),
        duties: vec!["mediator".into()],
        mediator_id: Some("MD1".into()),
    };
    store.set_duties(&duties).await.unwrap();
    assert_eq!(store.duties().await.unwrap(), vec![duties.clone()]);
    store
        .set_duties(&DutyRecord {
            duties: vec![],
            mediator_id: None,
            ..duties
        })
        .await
        .unwrap();
    assert!(store.duties().await.unwrap().is_empty());

    // A batch, read back as written; written again, nothing changes.
    let b = batch();
    let written = store
        .apply_mediation_batch(&b, &[audit("create", "M-2")])
        .await
        .unwrap();
    assert_eq!(
        written,
        MediationOutcome {
            orgs: 1,
            mediators: 1,
            mediations: 2,
            events: 2
        }
    );
    assert_eq!(store.mediation_orgs().await.unwrap(), b.orgs);
    assert_eq!(store.mediators().await.unwrap(), b.mediators);
    let mut expected = b.mediations.clone();
    expected.sort_by(|x, y| x.mediation_id.cmp(&y.mediation_id));
    assert_eq!(store.mediations().await.unwrap(), expected);
    assert_eq!(store.mediation_events().await.unwrap(), b.events);
    let after_batch = store.workflow_version().await.unwrap();
    assert!(after_batch > after_setting);
    assert_eq!(
        store.apply_mediation_batch(&b, &[]).await.unwrap(),
        MediationOutcome::default()
    );

    // An action: an appraisal of M-2 started, then ended (the open event replaced).
    let mediation = b.mediations[1].clone();
    let open = MediationEvent {
        mediation_id: "M-2".into(),
        kind: EventKind::Appraisal,
        date: d("2023-06-22"),
        end_date: None,
        days: None,
        mediator_id: None,
        reason: None,
    };
    store
        .save_mediation(&MediationChange {
            mediation: mediation.clone(),
            new_event: Some(open.clone()),
            closed_event: None,
            audit: audit("appraisal_start", "M-2"),
        })
        .await
        .unwrap();
    let closed = MediationEvent {
        end_date: Some(d("2023-06-25")),
        ..open.clone()
    };
    let mut concluded = mediation;
    concluded.outcome = Some(Outcome::Failed);
    concluded.concluded_date = Some(d("2023-06-26"));
    concluded.failure_reason = Some("分歧较大".into());
    store
        .save_mediation(&MediationChange {
            mediation: concluded.clone(),
            new_event: None,
            closed_event: Some((open, closed.clone())),
            audit: audit("appraisal_end", "M-2"),
        })
        .await
        .unwrap();
    let events: Vec<MediationEvent> = store
        .mediation_events()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.mediation_id == "M-2")
        .collect();
    assert_eq!(events, vec![closed]);
    assert!(store.workflow_version().await.unwrap() > after_batch);
    let stored = store.mediations().await.unwrap();
    assert_eq!(
        stored.iter().find(|m| m.mediation_id == "M-2"),
        Some(&concluded)
    );
    // The history of M-2, oldest first.
    let history = store.workflow_history("mediation", "M-2").await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "appraisal_start", "appraisal_end"]);

    // Petitions and matters, kept whole: read back the same on both backends, in key order; an
    // unchanged batch writes nothing; a change and its audit entry together.
    use tianping_store::{PetitionBatch, PetitionChange, PetitionOutcome};
    use tianping_workflow::petitions::model::{AckDecision, Channel, Matter, Petition};
    let mut first = Petition::registered(
        "XF-2",
        "鲁0102",
        d("2023-09-20"),
        Channel::Visit,
        "申诉求决",
        true,
    );
    first.petitioner_id = Some("11010519491231002X".into());
    first.persons = 7;
    first.ack_date = Some(d("2023-09-28"));
    first.ack_decision = Some(AckDecision::Accepted);
    first.matter_id = Some("XF-2".into());
    let mut second = Petition::registered(
        "XF-10",
        "鲁0102",
        d("2023-10-02"),
        Channel::Letter,
        "咨询",
        false,
    );
    second.matter_id = Some("XF-10".into());
    let matter = Matter {
        resolved_date: Some(d("2024-01-10")),
        resolution: Some("息诉罢访".into()),
        ..Matter::new("XF-2")
    };
    let batch = PetitionBatch {
        matters: vec![matter.clone()],
        petitions: vec![first.clone(), second.clone()],
    };
    let version = store.workflow_version().await.unwrap();
    assert_eq!(
        store.apply_petition_batch(&batch, &[]).await.unwrap(),
        PetitionOutcome {
            matters: 1,
            petitions: 2
        }
    );
    assert!(store.workflow_version().await.unwrap() > version);
    assert_eq!(
        store.petitions().await.unwrap(),
        vec![second.clone(), first.clone()]
    );
    assert_eq!(store.petition_matters().await.unwrap(), vec![matter]);
    assert_eq!(
        store.apply_petition_batch(&batch, &[]).await.unwrap(),
        PetitionOutcome::default()
    );
    let mut replied = first.clone();
    replied.reply_date = Some(d("2023-11-20"));
    replied.result = Some("解释说明".into());
    replied.reply_form = Some("书面".into());
    store
        .save_petition(&PetitionChange {
            petition: Some(replied.clone()),
            matter: None,
            audit: WorkflowAuditEntry {
                module: "petitions".into(),
                entity: "petition".into(),
                ..audit("reply", "XF-2")
            },
        })
        .await
        .unwrap();
    assert_eq!(store.petitions().await.unwrap()[1], replied);
    assert_eq!(
        store
            .workflow_history("petitions", "XF-2")
            .await
            .unwrap()
            .len(),
        1
    );

    // Suggestions the same.
    use tianping_workflow::suggestions::Suggestion;
    let mut issued = Suggestion::drafted(
        "历下法建〔2023〕8号",
        "鲁0102",
        "关于加强物业管理的司法建议书",
        "历下区住建局",
        "物业纠纷",
    );
    issued.committee_date = Some(d("2023-11-01"));
    issued.signed_date = Some(d("2023-11-02"));
    issued.issued_date = Some(d("2023-11-28"));
    issued.case_numbers = vec!["（2023）鲁0102民初1号".into()];
    let draft = Suggestion::drafted("历下法建〔2023〕10号", "鲁0102", "t", "r", "其他");
    assert_eq!(
        store
            .apply_suggestion_batch(&[issued.clone(), draft.clone()], &[])
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store.suggestions().await.unwrap(),
        vec![draft.clone(), issued.clone()]
    );
    assert_eq!(
        store.apply_suggestion_batch(&[issued], &[]).await.unwrap(),
        0
    );

    // Refunds and enforcement records the same: amounts exact, keys in order, an unchanged
    // record written again changes nothing.
    use tianping_domain::Money;
    use tianping_workflow::enforcement::{
        DishonestListing, EnforcementAction, PostTerminationSearch,
    };
    use tianping_workflow::refunds::FeeRefund;
    let mut refund = FeeRefund::owed(
        "TF-2",
        "（2023）鲁0102民初1号",
        "鲁0102",
        "调解撤诉减半",
        Money(125_050),
        d("2023-12-20"),
    );
    refund.refunded_date = Some(d("2023-12-25"));
    refund.refunded_amount = Some(Money(50_000));
    let first = FeeRefund::owed(
        "TF-1",
        "（2023）鲁0102民初1号",
        "鲁0102",
        "胜诉退费",
        Money(1),
        d("2023-12-20"),
    );
    assert_eq!(
        store
            .apply_refund_batch(&[refund.clone(), first.clone()], &[])
            .await
            .unwrap(),
        2
    );
    assert_eq!(store.refunds().await.unwrap(), vec![first, refund.clone()]);
    assert_eq!(
        store
            .apply_refund_batch(&[refund.clone()], &[])
            .await
            .unwrap(),
        0
    );
    // Since 2024: the unpaid TF-1 and the partly paid TF-2; a refund paid in full in 2023 is
    // left out.
    let mut paid = FeeRefund::owed(
        "TF-0",
        "（2023）鲁0102民初1号",
        "鲁0102",
        "胜诉退费",
        Money(100),
        d("2023-06-20"),
    );
    paid.refunded_date = Some(d("2023-06-25"));
    store
        .apply_refund_batch(&[paid.clone()], &[])
        .await
        .unwrap();
    let since: Vec<String> = store
        .refunds_since(d("2024-01-01"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.refund_id)
        .collect();
    assert_eq!(since, ["TF-1", "TF-2"]);
    assert_eq!(store.refunds_since(d("2023-06-01")).await.unwrap().len(), 3);
    let batch = tianping_store::EnforcementBatch {
        checks: Vec::new(),
        searches: vec![PostTerminationSearch {
            case_number: "（2023）鲁0102执1号".into(),
            court_code: "鲁0102".into(),
            date: d("2023-12-28"),
            found: false,
        }],
        listings: vec![DishonestListing {
            listing_id: "SX-1".into(),
            case_number: "（2023）鲁0102执1号".into(),
            court_code: "鲁0102".into(),
            person_name: "某公司".into(),
            person_id: "91350100M000100Y43".into(),
            person_type: "法人".into(),
            minor: false,
            grounds: vec![1, 4],
            applied_date: None,
            decided_date: d("2023-03-01"),
            term_extension_months: Some(12),
            condition_date: None,
            correction_applied_date: None,
            correction_decided_date: None,
            removal_date: None,
            removal_reason: None,
        }],
        actions: vec![EnforcementAction {
            action_id: "JZ-1".into(),
            court_code: "鲁0102".into(),
            date: d("2023-06-01"),
            title: "夏季集中执行".into(),
            case_count: 36,
            recovered_amount: Money(2_000_000_000),
        }],
    };
    assert_eq!(store.apply_enforcement_batch(&batch, &[]).await.unwrap(), 3);
    let back = store.enforcement_records().await.unwrap();
    assert_eq!(
        (back.searches, back.listings, back.actions),
        (
            batch.searches.clone(),
            batch.listings.clone(),
            batch.actions.clone()
        )
    );
    assert_eq!(store.apply_enforcement_batch(&batch, &[]).await.unwrap(), 0);
}

#[tokio::test]
async fn the_workflow_tables_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workflow.db");
    let store = tianping_store::open(path.to_str().unwrap()).await.unwrap();
    story(store.clone()).await;
    store.close().await;
}

#[tokio::test]
async fn the_workflow_tables_on_postgres() {
    let server = std::env::var("TIANPING_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let connected =
        tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&server)).await;
    let mut conn = match connected {
        Ok(Ok(conn)) => conn,
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL at {server} is unreachable ({other:?}) and CI is set"
            );
            eprintln!("skipped: no PostgreSQL at {server}");
            return;
        }
    };
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let schema = format!("wf_{}_{nanos}", std::process::id());
    sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let separator = if server.contains('?') { '&' } else { '?' };
    let url = format!("{server}{separator}options=-csearch_path%3D{schema}");
    let store = tianping_store::open(&url).await.unwrap();
    story(store.clone()).await;
    store.close().await;
    sqlx::query(AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut conn)
        .await
        .unwrap();
}
