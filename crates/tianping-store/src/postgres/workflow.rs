//! [`WorkflowStore`] and [`MediationStore`] on PostgreSQL: the rows and order of the SQLite
//! implementation (keys in the "C" collation).

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use tianping_workflow::mediation::{Mediation, MediationEvent, MediationOrg, Mediator};
use tianping_workflow::petitions::{Matter, Petition};
use tianping_workflow::refunds::FeeRefund;
use tianping_workflow::suggestions::Suggestion;

use super::PostgresStore;
use crate::Result;
use crate::workflow::TagStore;
use crate::workflow::{
    DutyRecord, EnforcementBatch, EnforcementRecords, EnforcementStore, MediationBatch,
    MediationChange, MediationOutcome, MediationStore, PetitionBatch, PetitionChange,
    PetitionOutcome, PetitionStore, RefundStore, SettingRecord, SuggestionStore,
    WorkflowAuditEntry, WorkflowStore, from_id, from_record, id_of, join_list, search_key,
    split_list, to_record,
};

/// Count the transaction as a change of the workflow records
/// ([`WorkflowStore::workflow_version`]).
async fn bump_version(c: &mut PgConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ('workflow_version', 1) \
         ON CONFLICT (key) DO UPDATE SET value = meta.value + 1",
    )
    .execute(c)
    .await?;
    Ok(())
}

async fn insert_audit(c: &mut PgConnection, e: &WorkflowAuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO workflow_audit (at, actor, kind, module, entity, entity_id, action, before, \
         after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&e.at)
    .bind(&e.actor)
    .bind(&e.kind)
    .bind(&e.module)
    .bind(&e.entity)
    .bind(&e.entity_id)
    .bind(&e.action)
    .bind(&e.before)
    .bind(&e.after)
    .execute(c)
    .await?;
    Ok(())
}

fn audit_row(r: &PgRow) -> Result<WorkflowAuditEntry> {
    Ok(WorkflowAuditEntry {
        at: r.try_get(0)?,
        actor: r.try_get(1)?,
        kind: r.try_get(2)?,
        module: r.try_get(3)?,
        entity: r.try_get(4)?,
        entity_id: r.try_get(5)?,
        action: r.try_get(6)?,
        before: r.try_get(7)?,
        after: r.try_get(8)?,
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

/// `INSERT … ON CONFLICT (key) DO UPDATE … WHERE anything differs`: a row equal to the stored
/// one writes nothing.
fn upsert_sql(table: &str, columns: &str, key: &str) -> String {
    let names: Vec<&str> = columns.split(',').map(str::trim).collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let others: Vec<&&str> = names.iter().filter(|n| **n != key).collect();
    format!(
        "INSERT INTO {table} ({columns}) VALUES ({}) ON CONFLICT ({key}) DO UPDATE SET {} WHERE {}",
        placeholders.join(", "),
        others
            .iter()
            .map(|n| format!("{n} = excluded.{n}"))
            .collect::<Vec<_>>()
            .join(", "),
        others
            .iter()
            .map(|n| format!("{table}.{n} IS DISTINCT FROM excluded.{n}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    )
}

async fn write_org(c: &mut PgConnection, o: &MediationOrg) -> Result<bool> {
    let sql = upsert_sql("mediation_orgs", ORG_COLUMNS, "org_id");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&o.org_id)
        .bind(&o.name)
        .bind(&o.kind)
        .bind(&o.court_code)
        .bind(&o.docking)
        .bind(join_list(&o.specialities))
        .bind(o.charges_fee)
        .bind(&o.status)
        .bind(o.joined_date)
        .bind(o.left_date)
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

async fn write_mediator(c: &mut PgConnection, m: &Mediator) -> Result<bool> {
    let sql = upsert_sql("mediators", MEDIATOR_COLUMNS, "mediator_id");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&m.mediator_id)
        .bind(&m.name)
        .bind(&m.org_id)
        .bind(&m.court_code)
        .bind(&m.background)
        .bind(join_list(&m.specialities))
        .bind(m.resident)
        .bind(m.online)
        .bind(&m.certificate_no)
        .bind(&m.status)
        .bind(m.joined_date)
        .bind(m.left_date)
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

async fn write_mediation(c: &mut PgConnection, m: &Mediation) -> Result<bool> {
    let sql = upsert_sql("mediations", MEDIATION_COLUMNS, "mediation_id");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&m.mediation_id)
        .bind(&m.court_code)
        .bind(id_of(&m.kind))
        .bind(&m.case_number)
        .bind(m.procedure.map(|p| id_of(&p)))
        .bind(&m.cause)
        .bind(m.claim_amount)
        .bind(m.registered_date)
        .bind(m.referred_date)
        .bind(&m.org_id)
        .bind(&m.mediator_id)
        .bind(m.accepted_date)
        .bind(m.online)
        .bind(m.outcome.map(|o| id_of(&o)))
        .bind(m.concluded_date)
        .bind(m.agreement_path.map(|p| id_of(&p)))
        .bind(m.performed)
        .bind(&m.failure_reason)
        .bind(m.wants_suit)
        .bind(&m.confirmation_case_number)
        .bind(&m.document_case_number)
        .bind(&m.filed_case_number)
        .bind(m.filed_date)
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

async fn write_event(c: &mut PgConnection, e: &MediationEvent) -> Result<bool> {
    let sql = format!(
        "INSERT INTO mediation_events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT DO NOTHING"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&e.mediation_id)
        .bind(id_of(&e.kind))
        .bind(e.date)
        .bind(e.end_date)
        .bind(e.days.map(i64::from))
        .bind(&e.mediator_id)
        .bind(&e.reason)
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

async fn delete_event(c: &mut PgConnection, e: &MediationEvent) -> Result<()> {
    sqlx::query(
        "DELETE FROM mediation_events WHERE mediation_id = $1 AND kind = $2 AND date = $3 \
         AND end_date IS NOT DISTINCT FROM $4 AND days IS NOT DISTINCT FROM $5 \
         AND mediator_id IS NOT DISTINCT FROM $6 AND reason IS NOT DISTINCT FROM $7",
    )
    .bind(&e.mediation_id)
    .bind(id_of(&e.kind))
    .bind(e.date)
    .bind(e.end_date)
    .bind(e.days.map(i64::from))
    .bind(&e.mediator_id)
    .bind(&e.reason)
    .execute(c)
    .await?;
    Ok(())
}

#[async_trait]
impl WorkflowStore for PostgresStore {
    async fn settings(&self) -> Result<Vec<SettingRecord>> {
        let rows =
            sqlx::query("SELECT key, value, changed_at, changed_by FROM settings ORDER BY key")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(SettingRecord {
                    key: r.try_get(0)?,
                    value: r.try_get(1)?,
                    changed_at: r.try_get(2)?,
                    changed_by: r.try_get(3)?,
                })
            })
            .collect()
    }

    async fn set_setting(&self, setting: &SettingRecord, audit: &WorkflowAuditEntry) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, changed_at, changed_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
             changed_at = excluded.changed_at, changed_by = excluded.changed_by",
        )
        .bind(&setting.key)
        .bind(&setting.value)
        .bind(&setting.changed_at)
        .bind(&setting.changed_by)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit).await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn duties(&self) -> Result<Vec<DutyRecord>> {
        let rows =
            sqlx::query("SELECT username, duties, mediator_id FROM user_duties ORDER BY username")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let duties: String = r.try_get(1)?;
                Ok(DutyRecord {
                    username: r.try_get(0)?,
                    duties: split_list(&duties),
                    mediator_id: r.try_get(2)?,
                })
            })
            .collect()
    }

    async fn set_duties(&self, d: &DutyRecord) -> Result<()> {
        if d.duties.is_empty() && d.mediator_id.is_none() {
            sqlx::query("DELETE FROM user_duties WHERE username = $1")
                .bind(&d.username)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO user_duties (username, duties, mediator_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (username) DO UPDATE SET duties = excluded.duties, \
                 mediator_id = excluded.mediator_id",
            )
            .bind(&d.username)
            .bind(join_list(&d.duties))
            .bind(&d.mediator_id)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    async fn append_workflow_audit(&self, entry: &WorkflowAuditEntry) -> Result<()> {
        let mut c = self.pool.acquire().await?;
        insert_audit(&mut c, entry).await
    }

    async fn workflow_version(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT coalesce((SELECT value FROM meta WHERE key = 'workflow_version'), 0)",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn workflow_history(
        &self,
        module: &str,
        entity_id: &str,
    ) -> Result<Vec<WorkflowAuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, actor, kind, module, entity, entity_id, action, before, after \
             FROM workflow_audit WHERE module = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(module)
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(audit_row).collect()
    }
}

fn opt_id<T: serde::de::DeserializeOwned>(r: &PgRow, i: usize) -> Result<Option<T>> {
    let text: Option<String> = r.try_get(i)?;
    text.as_deref().map(from_id).transpose()
}

fn org_row(r: &PgRow) -> Result<MediationOrg> {
    let specialities: String = r.try_get(5)?;
    Ok(MediationOrg {
        org_id: r.try_get(0)?,
        name: r.try_get(1)?,
        kind: r.try_get(2)?,
        court_code: r.try_get(3)?,
        docking: r.try_get(4)?,
        specialities: split_list(&specialities),
        charges_fee: r.try_get(6)?,
        status: r.try_get(7)?,
        joined_date: r.try_get(8)?,
        left_date: r.try_get(9)?,
    })
}

fn mediator_row(r: &PgRow) -> Result<Mediator> {
    let specialities: String = r.try_get(5)?;
    Ok(Mediator {
        mediator_id: r.try_get(0)?,
        name: r.try_get(1)?,
        org_id: r.try_get(2)?,
        court_code: r.try_get(3)?,
        background: r.try_get(4)?,
        specialities: split_list(&specialities),
        resident: r.try_get(6)?,
        online: r.try_get(7)?,
        certificate_no: r.try_get(8)?,
        status: r.try_get(9)?,
        joined_date: r.try_get(10)?,
        left_date: r.try_get(11)?,
    })
}

fn mediation_row(r: &PgRow) -> Result<Mediation> {
    let kind: String = r.try_get(2)?;
    Ok(Mediation {
        mediation_id: r.try_get(0)?,
        court_code: r.try_get(1)?,
        kind: from_id(&kind)?,
        case_number: r.try_get(3)?,
        procedure: opt_id(r, 4)?,
        cause: r.try_get(5)?,
        claim_amount: r.try_get(6)?,
        registered_date: r.try_get(7)?,
        referred_date: r.try_get(8)?,
        org_id: r.try_get(9)?,
        mediator_id: r.try_get(10)?,
        accepted_date: r.try_get(11)?,
        online: r.try_get(12)?,
        outcome: opt_id(r, 13)?,
        concluded_date: r.try_get(14)?,
        agreement_path: opt_id(r, 15)?,
        performed: r.try_get(16)?,
        failure_reason: r.try_get(17)?,
        wants_suit: r.try_get(18)?,
        confirmation_case_number: r.try_get(19)?,
        document_case_number: r.try_get(20)?,
        filed_case_number: r.try_get(21)?,
        filed_date: r.try_get(22)?,
    })
}

fn event_row(r: &PgRow) -> Result<MediationEvent> {
    let kind: String = r.try_get(1)?;
    let days: Option<i64> = r.try_get(4)?;
    Ok(MediationEvent {
        mediation_id: r.try_get(0)?,
        kind: from_id(&kind)?,
        date: r.try_get(2)?,
        end_date: r.try_get(3)?,
        days: days.and_then(|d| u32::try_from(d).ok()),
        mediator_id: r.try_get(5)?,
        reason: r.try_get(6)?,
    })
}

#[async_trait]
impl MediationStore for PostgresStore {
    async fn apply_mediation_batch(
        &self,
        batch: &MediationBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<MediationOutcome> {
        let mut tx = self.pool.begin().await?;
        let mut out = MediationOutcome::default();
        for o in &batch.orgs {
            out.orgs += u64::from(write_org(&mut tx, o).await?);
        }
        for m in &batch.mediators {
            out.mediators += u64::from(write_mediator(&mut tx, m).await?);
        }
        for m in &batch.mediations {
            out.mediations += u64::from(write_mediation(&mut tx, m).await?);
        }
        for e in &batch.events {
            out.events += u64::from(write_event(&mut tx, e).await?);
        }
        for a in audit {
            insert_audit(&mut tx, a).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn mediation_orgs(&self) -> Result<Vec<MediationOrg>> {
        let sql = format!("SELECT {ORG_COLUMNS} FROM mediation_orgs ORDER BY org_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(org_row).collect()
    }

    async fn mediators(&self) -> Result<Vec<Mediator>> {
        let sql = format!("SELECT {MEDIATOR_COLUMNS} FROM mediators ORDER BY mediator_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(mediator_row).collect()
    }

    async fn mediations(&self) -> Result<Vec<Mediation>> {
        let sql = format!("SELECT {MEDIATION_COLUMNS} FROM mediations ORDER BY mediation_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(mediation_row).collect()
    }

    async fn mediation_events(&self) -> Result<Vec<MediationEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM mediation_events ORDER BY mediation_id, date, kind, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(event_row).collect()
    }

    async fn save_mediation(&self, change: &MediationChange) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        write_mediation(&mut tx, &change.mediation).await?;
        if let Some(e) = &change.new_event {
            write_event(&mut tx, e).await?;
        }
        if let Some((old, new)) = &change.closed_event {
            delete_event(&mut tx, old).await?;
            write_event(&mut tx, new).await?;
        }
        insert_audit(&mut tx, &change.audit).await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn write_matter(c: &mut PgConnection, m: &Matter) -> Result<bool> {
    let sql = upsert_sql(
        "petition_matters",
        "matter_id, court_code, record",
        "matter_id",
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&m.matter_id)
        .bind(&m.court_code)
        .bind(to_record(m))
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

async fn write_petition(c: &mut PgConnection, p: &Petition) -> Result<bool> {
    let sql = upsert_sql(
        "petitions",
        "petition_id, court_code, received_date, matter_id, record",
        "petition_id",
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&p.petition_id)
        .bind(&p.court_code)
        .bind(p.received_date.to_string())
        .bind(&p.matter_id)
        .bind(to_record(p))
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

async fn records<T: serde::de::DeserializeOwned>(
    store: &PostgresStore,
    sql: &'static str,
) -> Result<Vec<T>> {
    let rows = sqlx::query(sql).fetch_all(&store.pool).await?;
    rows.iter()
        .map(|r| {
            let text: String = r.try_get(0)?;
            from_record(&text)
        })
        .collect()
}

#[async_trait]
impl PetitionStore for PostgresStore {
    async fn apply_petition_batch(
        &self,
        batch: &PetitionBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<PetitionOutcome> {
        let mut tx = self.pool.begin().await?;
        let mut out = PetitionOutcome::default();
        for m in &batch.matters {
            out.matters += u64::from(write_matter(&mut tx, m).await?);
        }
        for p in &batch.petitions {
            out.petitions += u64::from(write_petition(&mut tx, p).await?);
        }
        for a in audit {
            insert_audit(&mut tx, a).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn petitions(&self) -> Result<Vec<Petition>> {
        records(
            self,
            "SELECT record FROM petitions ORDER BY petition_id COLLATE \"C\"",
        )
        .await
    }

    async fn petition_matters(&self) -> Result<Vec<Matter>> {
        records(
            self,
            "SELECT record FROM petition_matters ORDER BY matter_id COLLATE \"C\"",
        )
        .await
    }

    async fn save_petition(&self, change: &PetitionChange) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if let Some(m) = &change.matter {
            write_matter(&mut tx, m).await?;
        }
        if let Some(p) = &change.petition {
            write_petition(&mut tx, p).await?;
        }
        insert_audit(&mut tx, &change.audit).await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl SuggestionStore for PostgresStore {
    async fn apply_suggestion_batch(
        &self,
        suggestions: &[Suggestion],
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let sql = upsert_sql(
            "suggestions",
            "suggestion_no, court_code, record",
            "suggestion_no",
        );
        let mut changed = 0;
        for s in suggestions {
            changed += sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&s.suggestion_no)
                .bind(&s.court_code)
                .bind(to_record(s))
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        for a in audit {
            insert_audit(&mut tx, a).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn suggestions(&self) -> Result<Vec<Suggestion>> {
        records(
            self,
            "SELECT record FROM suggestions ORDER BY suggestion_no COLLATE \"C\"",
        )
        .await
    }
}

#[async_trait]
impl RefundStore for PostgresStore {
    async fn apply_refund_batch(
        &self,
        refunds: &[FeeRefund],
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let sql = upsert_sql(
            "fee_refunds",
            "refund_id, court_code, case_number, record",
            "refund_id",
        );
        let mut changed = 0;
        for r in refunds {
            changed += sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&r.refund_id)
                .bind(&r.court_code)
                .bind(&r.case_number)
                .bind(to_record(r))
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        for a in audit {
            insert_audit(&mut tx, a).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn refunds_since(&self, since: chrono::NaiveDate) -> Result<Vec<FeeRefund>> {
        let rows = sqlx::query(
            "SELECT record FROM fee_refunds \
             WHERE record::jsonb->>'effective_date' >= $1 \
                OR record::jsonb->>'refunded_date' IS NULL \
                OR record::jsonb->>'refunded_date' >= $1 \
                OR record::jsonb->>'refunded_amount' IS NOT NULL \
             ORDER BY refund_id COLLATE \"C\"",
        )
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get(0)?;
                from_record(&text)
            })
            .collect()
    }

    async fn refunds(&self) -> Result<Vec<FeeRefund>> {
        records(
            self,
            "SELECT record FROM fee_refunds ORDER BY refund_id COLLATE \"C\"",
        )
        .await
    }
}

#[async_trait]
impl EnforcementStore for PostgresStore {
    async fn apply_enforcement_batch(
        &self,
        batch: &EnforcementBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut changed = 0;
        let mut put = async |table: &str, columns: &str, key: &str, values: Vec<String>| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(upsert_sql(table, columns, key)));
            for v in values {
                query = query.bind(v);
            }
            query.execute(&mut *tx).await.map(|r| r.rows_affected())
        };
        for r in &batch.checks {
            changed += put(
                "termination_checks",
                "case_number, court_code, record",
                "case_number",
                vec![r.case_number.clone(), r.court_code.clone(), to_record(r)],
            )
            .await?;
        }
        for r in &batch.searches {
            changed += put(
                "post_termination_searches",
                "search_key, court_code, case_number, record",
                "search_key",
                vec![
                    search_key(r),
                    r.court_code.clone(),
                    r.case_number.clone(),
                    to_record(r),
                ],
            )
            .await?;
        }
        for r in &batch.listings {
            changed += put(
                "dishonest_listings",
                "listing_id, court_code, case_number, record",
                "listing_id",
                vec![
                    r.listing_id.clone(),
                    r.court_code.clone(),
                    r.case_number.clone(),
                    to_record(r),
                ],
            )
            .await?;
        }
        for r in &batch.actions {
            changed += put(
                "enforcement_actions",
                "action_id, court_code, record",
                "action_id",
                vec![r.action_id.clone(), r.court_code.clone(), to_record(r)],
            )
            .await?;
        }
        for a in audit {
            insert_audit(&mut tx, a).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn enforcement_records(&self) -> Result<EnforcementRecords> {
        Ok(EnforcementRecords {
            checks: records(
                self,
                "SELECT record FROM termination_checks ORDER BY case_number COLLATE \"C\"",
            )
            .await?,
            searches: records(
                self,
                "SELECT record FROM post_termination_searches ORDER BY search_key COLLATE \"C\"",
            )
            .await?,
            listings: records(
                self,
                "SELECT record FROM dishonest_listings ORDER BY listing_id COLLATE \"C\"",
            )
            .await?,
            actions: records(
                self,
                "SELECT record FROM enforcement_actions ORDER BY action_id COLLATE \"C\"",
            )
            .await?,
        })
    }
}

#[async_trait]
impl TagStore for PostgresStore {
    async fn add_case_tags(&self, tags: &[(String, String)]) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for (case, tag) in tags {
            added += sqlx::query(
                "INSERT INTO case_tags (case_number, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(case)
            .bind(tag)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn case_tags(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT case_number, tag FROM case_tags ORDER BY case_number COLLATE \"C\", tag COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
