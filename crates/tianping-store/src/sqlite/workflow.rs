//! [`WorkflowStore`] and [`MediationStore`] on SQLite.

use crate::workflow::{
    EnforcementBatch, EnforcementRecords, EnforcementStore, TagStore, search_key,
};
use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::{Connection, Row, Transaction, TransactionBehavior, params};
use tianping_workflow::mediation::{Mediation, MediationEvent, MediationOrg, Mediator};
use tianping_workflow::petitions::{Matter, Petition};
use tianping_workflow::refunds::FeeRefund;
use tianping_workflow::suggestions::Suggestion;

use super::{SqliteStore, all};
use crate::Result;
use crate::workflow::{
    DutyRecord, MediationBatch, MediationChange, MediationOutcome, MediationStore, PetitionBatch,
    PetitionChange, PetitionOutcome, PetitionStore, RefundStore, SettingRecord, SuggestionStore,
    WorkflowAuditEntry, WorkflowStore, from_id, from_record, id_of, join_list, parse_day,
    split_list, to_record,
};

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn opt_day(r: &Row<'_>, i: usize) -> Result<Option<NaiveDate>> {
    let text: Option<String> = r.get(i)?;
    text.as_deref().map(parse_day).transpose()
}

fn insert_audit(c: &Connection, e: &WorkflowAuditEntry) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO workflow_audit (at, actor, kind, module, entity, entity_id, action, before, \
         after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        e.at,
        e.actor,
        e.kind,
        e.module,
        e.entity,
        e.entity_id,
        e.action,
        e.before,
        e.after
    ])?;
    Ok(())
}

fn audit_row(r: &Row<'_>) -> Result<WorkflowAuditEntry> {
    Ok(WorkflowAuditEntry {
        at: r.get(0)?,
        actor: r.get(1)?,
        kind: r.get(2)?,
        module: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        action: r.get(6)?,
        before: r.get(7)?,
        after: r.get(8)?,
    })
}

const ORG_COLUMNS: &str = "org_id, name, kind, court_code, docking, specialities, charges_fee, \
                           status, joined_date, left_date";
const MEDIATOR_COLUMNS: &str = "mediator_id, name, org_id, court_code, background, specialities, \
                                resident, online, certificate_no, status, joined_date, left_date";
const MEDIATION_COLUMNS: &str = "mediation_id, court_code, kind, case_number, procedure, cause, \
     claim_amount, registered_date, referred_date, org_id, mediator_id, accepted_date, online, \
     outcome, concluded_date, agreement_path, performed, failure_reason, wants_suit, \
     confirmation_case_number, document_case_number, filed_case_number, filed_date";
const EVENT_COLUMNS: &str = "mediation_id, kind, date, end_date, days, mediator_id, reason";

/// Upsert a row by its key, returning whether anything changed (a row equal to the stored one
/// writes nothing and counts as unchanged).
fn upsert(
    c: &Connection,
    table: &str,
    columns: &str,
    key: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<bool> {
    let names: Vec<&str> = columns.split(',').map(str::trim).collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = names
        .iter()
        .filter(|n| **n != key)
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    let differs: Vec<String> = names
        .iter()
        .filter(|n| **n != key)
        .map(|n| format!("{table}.{n} IS NOT excluded.{n}"))
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({columns}) VALUES ({}) ON CONFLICT ({key}) DO UPDATE SET {} WHERE {}",
        placeholders.join(", "),
        updates.join(", "),
        differs.join(" OR ")
    );
    Ok(c.prepare_cached(&sql)?.execute(values)? > 0)
}

fn write_org(c: &Connection, o: &MediationOrg) -> Result<bool> {
    upsert(
        c,
        "mediation_orgs",
        ORG_COLUMNS,
        "org_id",
        &[
            &o.org_id,
            &o.name,
            &o.kind,
            &o.court_code,
            &o.docking,
            &join_list(&o.specialities),
            &o.charges_fee,
            &o.status,
            &day(o.joined_date),
            &day(o.left_date),
        ],
    )
}

fn write_mediator(c: &Connection, m: &Mediator) -> Result<bool> {
    upsert(
        c,
        "mediators",
        MEDIATOR_COLUMNS,
        "mediator_id",
        &[
            &m.mediator_id,
            &m.name,
            &m.org_id,
            &m.court_code,
            &m.background,
            &join_list(&m.specialities),
            &m.resident,
            &m.online,
            &m.certificate_no,
            &m.status,
            &day(m.joined_date),
            &day(m.left_date),
        ],
    )
}

fn write_mediation(c: &Connection, m: &Mediation) -> Result<bool> {
    upsert(
        c,
        "mediations",
        MEDIATION_COLUMNS,
        "mediation_id",
        &[
            &m.mediation_id,
            &m.court_code,
            &id_of(&m.kind),
            &m.case_number,
            &m.procedure.map(|p| id_of(&p)),
            &m.cause,
            &m.claim_amount,
            &m.registered_date.to_string(),
            &day(m.referred_date),
            &m.org_id,
            &m.mediator_id,
            &day(m.accepted_date),
            &m.online,
            &m.outcome.map(|o| id_of(&o)),
            &day(m.concluded_date),
            &m.agreement_path.map(|p| id_of(&p)),
            &m.performed,
            &m.failure_reason,
            &m.wants_suit,
            &m.confirmation_case_number,
            &m.document_case_number,
            &m.filed_case_number,
            &day(m.filed_date),
        ],
    )
}

fn write_event(c: &Connection, e: &MediationEvent) -> Result<bool> {
    let sql = format!(
        "INSERT INTO mediation_events ({EVENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT DO NOTHING"
    );
    Ok(c.prepare_cached(&sql)?.execute(params![
        e.mediation_id,
        id_of(&e.kind),
        e.date.to_string(),
        day(e.end_date),
        e.days,
        e.mediator_id,
        e.reason
    ])? > 0)
}

fn delete_event(c: &Connection, e: &MediationEvent) -> Result<()> {
    c.prepare_cached(
        "DELETE FROM mediation_events WHERE mediation_id = ?1 AND kind = ?2 AND date = ?3 \
         AND end_date IS ?4 AND days IS ?5 AND mediator_id IS ?6 AND reason IS ?7",
    )?
    .execute(params![
        e.mediation_id,
        id_of(&e.kind),
        e.date.to_string(),
        day(e.end_date),
        e.days,
        e.mediator_id,
        e.reason
    ])?;
    Ok(())
}

/// Run `work` in one immediate transaction on the writer connection, counting it as a change
/// of the workflow records ([`WorkflowStore::workflow_version`]).
fn in_transaction<T>(c: &Connection, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = Transaction::new_unchecked(c, TransactionBehavior::Immediate)?;
    let out = work(&tx)?;
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('workflow_version', 1) \
         ON CONFLICT (key) DO UPDATE SET value = value + 1",
    )?
    .execute([])?;
    tx.commit()?;
    Ok(out)
}

#[async_trait]
impl WorkflowStore for SqliteStore {
    async fn settings(&self) -> Result<Vec<SettingRecord>> {
        self.read(|c| {
            all(
                c,
                "SELECT key, value, changed_at, changed_by FROM settings ORDER BY key",
                [],
                |r| {
                    Ok(SettingRecord {
                        key: r.get(0)?,
                        value: r.get(1)?,
                        changed_at: r.get(2)?,
                        changed_by: r.get(3)?,
                    })
                },
            )
        })
        .await
    }

    async fn set_setting(&self, setting: &SettingRecord, audit: &WorkflowAuditEntry) -> Result<()> {
        let (s, a) = (setting.clone(), audit.clone());
        self.write(move |c| {
            in_transaction(c, |tx| {
                tx.prepare_cached(
                    "INSERT INTO settings (key, value, changed_at, changed_by) VALUES \
                     (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
                     changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                )?
                .execute(params![s.key, s.value, s.changed_at, s.changed_by])?;
                insert_audit(tx, &a)
            })
        })
        .await
    }

    async fn duties(&self) -> Result<Vec<DutyRecord>> {
        self.read(|c| {
            all(
                c,
                "SELECT username, duties, mediator_id FROM user_duties ORDER BY username",
                [],
                |r| {
                    let duties: String = r.get(1)?;
                    Ok(DutyRecord {
                        username: r.get(0)?,
                        duties: split_list(&duties),
                        mediator_id: r.get(2)?,
                    })
                },
            )
        })
        .await
    }

    async fn set_duties(&self, duties: &DutyRecord) -> Result<()> {
        let d = duties.clone();
        self.write(move |c| {
            if d.duties.is_empty() && d.mediator_id.is_none() {
                c.prepare_cached("DELETE FROM user_duties WHERE username = ?1")?
                    .execute([&d.username])?;
            } else {
                c.prepare_cached(
                    "INSERT INTO user_duties (username, duties, mediator_id) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (username) DO UPDATE SET duties = excluded.duties, \
                     mediator_id = excluded.mediator_id",
                )?
                .execute(params![
                    d.username,
                    join_list(&d.duties),
                    d.mediator_id
                ])?;
            }
            Ok(())
        })
        .await
    }

    async fn append_workflow_audit(&self, entry: &WorkflowAuditEntry) -> Result<()> {
        let e = entry.clone();
        self.write(move |c| insert_audit(c, &e)).await
    }

    async fn workflow_version(&self) -> Result<i64> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT coalesce((SELECT value FROM meta WHERE key = 'workflow_version'), 0)",
            )?
            .query_row([], |r| r.get(0))?)
        })
        .await
    }

    async fn workflow_history(
        &self,
        module: &str,
        entity_id: &str,
    ) -> Result<Vec<WorkflowAuditEntry>> {
        let (module, id) = (module.to_owned(), entity_id.to_owned());
        self.read(move |c| {
            all(
                c,
                "SELECT at, actor, kind, module, entity, entity_id, action, before, after \
                 FROM workflow_audit WHERE module = ?1 AND entity_id = ?2 ORDER BY id",
                [&module, &id],
                audit_row,
            )
        })
        .await
    }
}

fn org_row(r: &Row<'_>) -> Result<MediationOrg> {
    let specialities: String = r.get(5)?;
    Ok(MediationOrg {
        org_id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        court_code: r.get(3)?,
        docking: r.get(4)?,
        specialities: split_list(&specialities),
        charges_fee: r.get(6)?,
        status: r.get(7)?,
        joined_date: opt_day(r, 8)?,
        left_date: opt_day(r, 9)?,
    })
}

fn mediator_row(r: &Row<'_>) -> Result<Mediator> {
    let specialities: String = r.get(5)?;
    Ok(Mediator {
        mediator_id: r.get(0)?,
        name: r.get(1)?,
        org_id: r.get(2)?,
        court_code: r.get(3)?,
        background: r.get(4)?,
        specialities: split_list(&specialities),
        resident: r.get(6)?,
        online: r.get(7)?,
        certificate_no: r.get(8)?,
        status: r.get(9)?,
        joined_date: opt_day(r, 10)?,
        left_date: opt_day(r, 11)?,
    })
}

fn opt_id<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> Result<Option<T>> {
    let text: Option<String> = r.get(i)?;
    text.as_deref().map(from_id).transpose()
}

fn mediation_row(r: &Row<'_>) -> Result<Mediation> {
    let kind: String = r.get(2)?;
    let registered: String = r.get(7)?;
    Ok(Mediation {
        mediation_id: r.get(0)?,
        court_code: r.get(1)?,
        kind: from_id(&kind)?,
        case_number: r.get(3)?,
        procedure: opt_id(r, 4)?,
        cause: r.get(5)?,
        claim_amount: r.get(6)?,
        registered_date: parse_day(&registered)?,
        referred_date: opt_day(r, 8)?,
        org_id: r.get(9)?,
        mediator_id: r.get(10)?,
        accepted_date: opt_day(r, 11)?,
        online: r.get(12)?,
        outcome: opt_id(r, 13)?,
        concluded_date: opt_day(r, 14)?,
        agreement_path: opt_id(r, 15)?,
        performed: r.get(16)?,
        failure_reason: r.get(17)?,
        wants_suit: r.get(18)?,
        confirmation_case_number: r.get(19)?,
        document_case_number: r.get(20)?,
        filed_case_number: r.get(21)?,
        filed_date: opt_day(r, 22)?,
    })
}

fn event_row(r: &Row<'_>) -> Result<MediationEvent> {
    let kind: String = r.get(1)?;
    let date: String = r.get(2)?;
    Ok(MediationEvent {
        mediation_id: r.get(0)?,
        kind: from_id(&kind)?,
        date: parse_day(&date)?,
        end_date: opt_day(r, 3)?,
        days: r.get(4)?,
        mediator_id: r.get(5)?,
        reason: r.get(6)?,
    })
}

#[async_trait]
impl MediationStore for SqliteStore {
    async fn apply_mediation_batch(
        &self,
        batch: &MediationBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<MediationOutcome> {
        let (batch, audit) = (batch.clone(), audit.to_vec());
        self.write(move |c| {
            in_transaction(c, |tx| {
                let mut out = MediationOutcome::default();
                for o in &batch.orgs {
                    out.orgs += u64::from(write_org(tx, o)?);
                }
                for m in &batch.mediators {
                    out.mediators += u64::from(write_mediator(tx, m)?);
                }
                for m in &batch.mediations {
                    out.mediations += u64::from(write_mediation(tx, m)?);
                }
                for e in &batch.events {
                    out.events += u64::from(write_event(tx, e)?);
                }
                for a in &audit {
                    insert_audit(tx, a)?;
                }
                Ok(out)
            })
        })
        .await
    }

    async fn mediation_orgs(&self) -> Result<Vec<MediationOrg>> {
        self.read(|c| {
            all(
                c,
                &format!("SELECT {ORG_COLUMNS} FROM mediation_orgs ORDER BY org_id"),
                [],
                org_row,
            )
        })
        .await
    }

    async fn mediators(&self) -> Result<Vec<Mediator>> {
        self.read(|c| {
            all(
                c,
                &format!("SELECT {MEDIATOR_COLUMNS} FROM mediators ORDER BY mediator_id"),
                [],
                mediator_row,
            )
        })
        .await
    }

    async fn mediations(&self) -> Result<Vec<Mediation>> {
        self.read(|c| {
            // Sized first: a province's year is hundreds of thousands of large records, and a
            // list grown by doubling would copy them again and again.
            let count: usize = c
                .prepare_cached("SELECT count(*) FROM mediations")?
                .query_row([], |r| r.get::<_, i64>(0))? as usize;
            let mut statement = c.prepare_cached(&format!(
                "SELECT {MEDIATION_COLUMNS} FROM mediations ORDER BY mediation_id"
            ))?;
            let mut rows = statement.query([])?;
            let mut out = Vec::with_capacity(count);
            while let Some(row) = rows.next()? {
                out.push(mediation_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn mediation_events(&self) -> Result<Vec<MediationEvent>> {
        self.read(|c| {
            all(
                c,
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM mediation_events \
                     ORDER BY mediation_id, date, kind, id"
                ),
                [],
                event_row,
            )
        })
        .await
    }

    async fn save_mediation(&self, change: &MediationChange) -> Result<()> {
        let change = change.clone();
        self.write(move |c| {
            in_transaction(c, |tx| {
                write_mediation(tx, &change.mediation)?;
                if let Some(e) = &change.new_event {
                    write_event(tx, e)?;
                }
                if let Some((old, new)) = &change.closed_event {
                    delete_event(tx, old)?;
                    write_event(tx, new)?;
                }
                insert_audit(tx, &change.audit)
            })
        })
        .await
    }
}

fn write_matter(c: &Connection, m: &Matter) -> Result<bool> {
    upsert(
        c,
        "petition_matters",
        "matter_id, court_code, record",
        "matter_id",
        &[&m.matter_id, &m.court_code, &to_record(m)],
    )
}

fn write_petition(c: &Connection, p: &Petition) -> Result<bool> {
    upsert(
        c,
        "petitions",
        "petition_id, court_code, received_date, matter_id, record",
        "petition_id",
        &[
            &p.petition_id,
            &p.court_code,
            &p.received_date.to_string(),
            &p.matter_id,
            &to_record(p),
        ],
    )
}

fn records<T: serde::de::DeserializeOwned>(c: &Connection, sql: &str) -> Result<Vec<T>> {
    all(c, sql, [], |r| {
        let text: String = r.get(0)?;
        from_record(&text)
    })
}

#[async_trait]
impl PetitionStore for SqliteStore {
    async fn apply_petition_batch(
        &self,
        batch: &PetitionBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<PetitionOutcome> {
        let (batch, audit) = (batch.clone(), audit.to_vec());
        self.write(move |c| {
            in_transaction(c, |tx| {
                let mut out = PetitionOutcome::default();
                for m in &batch.matters {
                    out.matters += u64::from(write_matter(tx, m)?);
                }
                for p in &batch.petitions {
                    out.petitions += u64::from(write_petition(tx, p)?);
                }
                for a in &audit {
                    insert_audit(tx, a)?;
                }
                Ok(out)
            })
        })
        .await
    }

    async fn petitions(&self) -> Result<Vec<Petition>> {
        self.read(|c| records(c, "SELECT record FROM petitions ORDER BY petition_id"))
            .await
    }

    async fn petition_matters(&self) -> Result<Vec<Matter>> {
        self.read(|c| records(c, "SELECT record FROM petition_matters ORDER BY matter_id"))
            .await
    }

    async fn save_petition(&self, change: &PetitionChange) -> Result<()> {
        let change = change.clone();
        self.write(move |c| {
            in_transaction(c, |tx| {
                if let Some(m) = &change.matter {
                    write_matter(tx, m)?;
                }
                if let Some(p) = &change.petition {
                    write_petition(tx, p)?;
                }
                insert_audit(tx, &change.audit)
            })
        })
        .await
    }
}

#[async_trait]
impl SuggestionStore for SqliteStore {
    async fn apply_suggestion_batch(
        &self,
        suggestions: &[Suggestion],
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64> {
        let (list, audit) = (suggestions.to_vec(), audit.to_vec());
        self.write(move |c| {
            in_transaction(c, |tx| {
                let mut changed = 0;
                for s in &list {
                    changed += u64::from(upsert(
                        tx,
                        "suggestions",
                        "suggestion_no, court_code, record",
                        "suggestion_no",
                        &[&s.suggestion_no, &s.court_code, &to_record(s)],
                    )?);
                }
                for a in &audit {
                    insert_audit(tx, a)?;
                }
                Ok(changed)
            })
        })
        .await
    }

    async fn suggestions(&self) -> Result<Vec<Suggestion>> {
        self.read(|c| records(c, "SELECT record FROM suggestions ORDER BY suggestion_no"))
            .await
    }
}

#[async_trait]
impl RefundStore for SqliteStore {
    async fn apply_refund_batch(
        &self,
        refunds: &[FeeRefund],
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64> {
        let (list, audit) = (refunds.to_vec(), audit.to_vec());
        self.write(move |c| {
            in_transaction(c, |tx| {
                let mut changed = 0;
                for r in &list {
                    changed += u64::from(upsert(
                        tx,
                        "fee_refunds",
                        "refund_id, court_code, case_number, record",
                        "refund_id",
                        &[&r.refund_id, &r.court_code, &r.case_number, &to_record(r)],
                    )?);
                }
                for a in &audit {
                    insert_audit(tx, a)?;
                }
                Ok(changed)
            })
        })
        .await
    }

    async fn refunds(&self) -> Result<Vec<FeeRefund>> {
        self.read(|c| records(c, "SELECT record FROM fee_refunds ORDER BY refund_id"))
            .await
    }

    async fn refunds_since(&self, since: chrono::NaiveDate) -> Result<Vec<FeeRefund>> {
        let since = since.to_string();
        self.read(move |c| {
            crate::sqlite::all_rows(
                c,
                "SELECT record FROM fee_refunds \
                 WHERE json_extract(record, '$.effective_date') >= ?1 \
                    OR json_extract(record, '$.refunded_date') IS NULL \
                    OR json_extract(record, '$.refunded_date') >= ?1 \
                    OR json_extract(record, '$.refunded_amount') IS NOT NULL \
                 ORDER BY refund_id",
                [since.as_str()],
                |r| {
                    let text: String = r.get(0)?;
                    from_record(&text)
                },
            )
        })
        .await
    }
}

#[async_trait]
impl EnforcementStore for SqliteStore {
    async fn apply_enforcement_batch(
        &self,
        batch: &EnforcementBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64> {
        let (batch, audit) = (batch.clone(), audit.to_vec());
        self.write(move |c| {
            in_transaction(c, |tx| {
                let mut changed = 0;
                for r in &batch.checks {
                    changed += u64::from(upsert(
                        tx,
                        "termination_checks",
                        "case_number, court_code, record",
                        "case_number",
                        &[&r.case_number, &r.court_code, &to_record(r)],
                    )?);
                }
                for r in &batch.searches {
                    changed += u64::from(upsert(
                        tx,
                        "post_termination_searches",
                        "search_key, court_code, case_number, record",
                        "search_key",
                        &[&search_key(r), &r.court_code, &r.case_number, &to_record(r)],
                    )?);
                }
                for r in &batch.listings {
                    changed += u64::from(upsert(
                        tx,
                        "dishonest_listings",
                        "listing_id, court_code, case_number, record",
                        "listing_id",
                        &[&r.listing_id, &r.court_code, &r.case_number, &to_record(r)],
                    )?);
                }
                for r in &batch.actions {
                    changed += u64::from(upsert(
                        tx,
                        "enforcement_actions",
                        "action_id, court_code, record",
                        "action_id",
                        &[&r.action_id, &r.court_code, &to_record(r)],
                    )?);
                }
                for a in &audit {
                    insert_audit(tx, a)?;
                }
                Ok(changed)
            })
        })
        .await
    }

    async fn enforcement_records(&self) -> Result<EnforcementRecords> {
        self.read(|c| {
            Ok(EnforcementRecords {
                checks: records(
                    c,
                    "SELECT record FROM termination_checks ORDER BY case_number",
                )?,
                searches: records(
                    c,
                    "SELECT record FROM post_termination_searches ORDER BY search_key",
                )?,
                listings: records(
                    c,
                    "SELECT record FROM dishonest_listings ORDER BY listing_id",
                )?,
                actions: records(
                    c,
                    "SELECT record FROM enforcement_actions ORDER BY action_id",
                )?,
            })
        })
        .await
    }
}

#[async_trait]
impl TagStore for SqliteStore {
    async fn add_case_tags(&self, tags: &[(String, String)]) -> Result<u64> {
        let tags = tags.to_vec();
        self.write(move |c| {
            in_transaction(c, |tx| {
                let mut added = 0;
                for (case, tag) in &tags {
                    added += tx.execute(
                        "INSERT INTO case_tags (case_number, tag) VALUES (?1, ?2) \
                         ON CONFLICT DO NOTHING",
                        [case, tag],
                    )? as u64;
                }
                Ok(added)
            })
        })
        .await
    }

    async fn case_tags(&self) -> Result<Vec<(String, String)>> {
        self.read(|c| {
            crate::sqlite::all_rows(
                c,
                "SELECT case_number, tag FROM case_tags ORDER BY case_number, tag",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .await
    }
}
