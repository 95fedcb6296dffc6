//! The data of the workflow modules (`workflows.md`): what they share ([`WorkflowStore`]:
//! settings, duties beside the roles, the workflow audit with before and after) and each
//! module's own records ([`MediationStore`]). Both are capabilities beside the others of this
//! crate, implemented by [`crate::SqliteStore`] and [`crate::PostgresStore`] with the same rows in
//! the same order.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tianping_workflow::enforcement::{
    DishonestListing, EnforcementAction, PostTerminationSearch, TerminationCheck,
};
use tianping_workflow::mediation::{Mediation, MediationEvent, MediationOrg, Mediator};
use tianping_workflow::petitions::{Matter, Petition};
use tianping_workflow::refunds::FeeRefund;
use tianping_workflow::suggestions::Suggestion;

use crate::{Result, StoreError};

/// A setting (设置) as stored: its key, its value as text, who changed it last and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingRecord {
    pub key: String,
    pub value: String,
    pub changed_at: String,
    pub changed_by: String,
}

/// A user's duties (职责, ids such as `mediation_clerk`) and the mediator the account is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyRecord {
    pub username: String,
    pub duties: Vec<String>,
    pub mediator_id: Option<String>,
}

/// One entry of the workflow audit (`workflows.md` §0.7): `kind` is `workflow_create`,
/// `workflow_update` or `workflow_action`; `before` and `after` hold the changed fields only, as
/// JSON objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowAuditEntry {
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub module: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

/// Settings, duties and the workflow audit.
#[async_trait]
pub trait WorkflowStore: Send + Sync {
    /// Every stored setting, by key (unset settings have their default and are not stored).
    async fn settings(&self) -> Result<Vec<SettingRecord>>;
    /// Store a setting and its audit entry in one transaction.
    async fn set_setting(&self, setting: &SettingRecord, audit: &WorkflowAuditEntry) -> Result<()>;
    /// Every user's duties, by username.
    async fn duties(&self) -> Result<Vec<DutyRecord>>;
    /// Replace a user's duties (an empty list removes them).
    async fn set_duties(&self, duties: &DutyRecord) -> Result<()>;
    async fn append_workflow_audit(&self, entry: &WorkflowAuditEntry) -> Result<()>;
    /// A number that grows with every committed change of the settings or the workflow records
    /// (imports, actions): a reader holding records of an older version reads them again.
    async fn workflow_version(&self) -> Result<i64>;
    /// The history of one record, oldest first.
    async fn workflow_history(
        &self,
        module: &str,
        entity_id: &str,
    ) -> Result<Vec<WorkflowAuditEntry>>;
}

/// A checked batch of mediation records (an import).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediationBatch {
    pub orgs: Vec<MediationOrg>,
    pub mediators: Vec<Mediator>,
    pub mediations: Vec<Mediation>,
    pub events: Vec<MediationEvent>,
}

/// How many rows a batch wrote: records inserted or updated (unchanged ones not counted), new
/// events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MediationOutcome {
    pub orgs: u64,
    pub mediators: u64,
    pub mediations: u64,
    pub events: u64,
}

/// One change of one mediation (an action or an edit), written in one transaction with its
/// audit entry: the record as it is now, an event the change writes, an event it closes
/// (`appraisal_end`: the open appraisal, replaced by the closed one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediationChange {
    pub mediation: Mediation,
    pub new_event: Option<MediationEvent>,
    pub closed_event: Option<(MediationEvent, MediationEvent)>,
    pub audit: WorkflowAuditEntry,
}

/// Mediation organisations, mediators, mediations and their events (`workflows.md` §1).
#[async_trait]
pub trait MediationStore: Send + Sync {
    /// Upsert the records by key and insert the events not stored yet, with the audit entries,
    /// in one transaction.
    async fn apply_mediation_batch(
        &self,
        batch: &MediationBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<MediationOutcome>;
    async fn mediation_orgs(&self) -> Result<Vec<MediationOrg>>;
    async fn mediators(&self) -> Result<Vec<Mediator>>;
    /// Every mediation, by id.
    async fn mediations(&self) -> Result<Vec<Mediation>>;
    /// Every event, by mediation id, then date, then kind.
    async fn mediation_events(&self) -> Result<Vec<MediationEvent>>;
    async fn save_mediation(&self, change: &MediationChange) -> Result<()>;
}

/// A checked batch of petition records (an import): matters, then petitions (their matters
/// assigned).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetitionBatch {
    pub matters: Vec<Matter>,
    pub petitions: Vec<Petition>,
}

/// How many records a petition batch inserted or changed (unchanged ones not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PetitionOutcome {
    pub matters: u64,
    pub petitions: u64,
}

/// One change of the petition records with its audit entry, written together: a petition
/// registered or acted on, or a matter created or resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionChange {
    pub petition: Option<Petition>,
    pub matter: Option<Matter>,
    pub audit: WorkflowAuditEntry,
}

/// Petitions and matters (`workflows.md` §2). Each record is stored whole (JSON of its exchange
/// columns) with its key and the columns the scope looks up.
#[async_trait]
pub trait PetitionStore: Send + Sync {
    /// Upsert the records by key with the audit entries, in one transaction.
    async fn apply_petition_batch(
        &self,
        batch: &PetitionBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<PetitionOutcome>;
    /// Every petition, by id.
    async fn petitions(&self) -> Result<Vec<Petition>>;
    /// Every stored matter, by id.
    async fn petition_matters(&self) -> Result<Vec<Matter>>;
    async fn save_petition(&self, change: &PetitionChange) -> Result<()>;
}

/// Judicial suggestions (`workflows.md` §3), each stored whole with its key and court.
#[async_trait]
pub trait SuggestionStore: Send + Sync {
    /// Upsert by key with the audit entries, in one transaction; how many changed.
    async fn apply_suggestion_batch(
        &self,
        suggestions: &[Suggestion],
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64>;
    /// Every suggestion, by number.
    async fn suggestions(&self) -> Result<Vec<Suggestion>>;
}

/// Court-fee refunds (`workflows.md` §4), each stored whole with its key, court and case.
#[async_trait]
pub trait RefundStore: Send + Sync {
    /// Upsert by key with the audit entries, in one transaction; how many changed.
    async fn apply_refund_batch(
        &self,
        refunds: &[FeeRefund],
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64>;
    /// Every refund, by id.
    async fn refunds(&self) -> Result<Vec<FeeRefund>>;
    /// The refunds a question about the days from `since` on can count (by id): those effective
    /// since, those paid since, and those not paid in full (no refund date, or an amount
    /// recorded: a partial payment). Older refunds paid in full are left in the database.
    async fn refunds_since(&self, since: NaiveDate) -> Result<Vec<FeeRefund>>;
}

/// The enforcement records of one import or action (`workflows.md` §5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnforcementBatch {
    pub checks: Vec<TerminationCheck>,
    pub searches: Vec<PostTerminationSearch>,
    pub listings: Vec<DishonestListing>,
    pub actions: Vec<EnforcementAction>,
}

/// Every enforcement record, as a command or a page reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnforcementRecords {
    pub checks: Vec<TerminationCheck>,
    pub searches: Vec<PostTerminationSearch>,
    pub listings: Vec<DishonestListing>,
    pub actions: Vec<EnforcementAction>,
}

/// Enforcement records (`workflows.md` §5), each stored whole with its key and court.
#[async_trait]
pub trait EnforcementStore: Send + Sync {
    /// Upsert by key with the audit entries, in one transaction; how many changed.
    async fn apply_enforcement_batch(
        &self,
        batch: &EnforcementBatch,
        audit: &[WorkflowAuditEntry],
    ) -> Result<u64>;
    /// Every enforcement record, each kind by key.
    async fn enforcement_records(&self) -> Result<EnforcementRecords>;
}

/// Case tags (`workflows.md` §0.9).
#[async_trait]
pub trait TagStore: Send + Sync {
    /// Add `(case number, tag)` pairs (a pair already there is left); how many were new.
    async fn add_case_tags(&self, tags: &[(String, String)]) -> Result<u64>;
    /// Every pair, by case number and tag.
    async fn case_tags(&self) -> Result<Vec<(String, String)>>;
}

/// The key of a post-termination search: its case and date.
pub fn search_key(s: &PostTerminationSearch) -> String {
    format!("{} {}", s.case_number, s.date)
}

/// The JSON a record is stored as, and back.
pub(crate) fn to_record<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub(crate) fn from_record<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("record: {e}")))
}

/// What the petition commands and pages read, in one go: the petitions (their matters
/// assigned), the stored matters, and the settings in force.
#[derive(Debug, Clone, Default)]
pub struct PetitionRecords {
    pub petitions: Vec<Petition>,
    pub matters: Vec<Matter>,
    pub settings: tianping_workflow::core::settings::Settings,
}

/// Read [`PetitionRecords`] from a store.
pub async fn load_petition_records(store: &dyn crate::Store) -> Result<PetitionRecords> {
    Ok(PetitionRecords {
        petitions: store.petitions().await?,
        matters: store.petition_matters().await?,
        settings: tianping_workflow::core::settings::Settings::from_stored(
            store
                .settings()
                .await?
                .into_iter()
                .map(|s| (s.key, s.value)),
        ),
    })
}

/// What the mediation commands, pages and reports read, in one go: the records, the events by
/// mediation (each in date order), the settings in force, and the names of the organisations
/// and mediators.
#[derive(Debug, Clone, Default)]
pub struct MediationRecords {
    pub mediations: Vec<Mediation>,
    pub events: std::collections::BTreeMap<String, Vec<MediationEvent>>,
    pub settings: tianping_workflow::core::settings::Settings,
    pub org_names: std::collections::HashMap<String, String>,
    pub mediator_names: std::collections::HashMap<String, String>,
}

/// Read [`MediationRecords`] from a store.
pub async fn load_mediation_records(store: &dyn crate::Store) -> Result<MediationRecords> {
    let mut events: std::collections::BTreeMap<String, Vec<MediationEvent>> =
        std::collections::BTreeMap::new();
    for e in store.mediation_events().await? {
        events.entry(e.mediation_id.clone()).or_default().push(e);
    }
    Ok(MediationRecords {
        mediations: store.mediations().await?,
        events,
        settings: tianping_workflow::core::settings::Settings::from_stored(
            store
                .settings()
                .await?
                .into_iter()
                .map(|s| (s.key, s.value)),
        ),
        org_names: store
            .mediation_orgs()
            .await?
            .into_iter()
            .map(|o| (o.org_id, o.name))
            .collect(),
        mediator_names: store
            .mediators()
            .await?
            .into_iter()
            .map(|m| (m.mediator_id, m.name))
            .collect(),
    })
}

/// An enum's English id, as its serde name (`delegated`, `succeeded`).
pub(crate) fn id_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// The enum of an English id.
pub(crate) fn from_id<T: DeserializeOwned>(id: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(id.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("unknown value '{id}': {e}")))
}

/// A list as one text cell: items joined by `；`.
pub(crate) fn join_list(items: &[String]) -> String {
    items.join("；")
}

pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split('；')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) fn parse_day(text: &str) -> Result<NaiveDate> {
    tianping_domain::dates::parse_date(text)
        .map_err(|e| StoreError::Corrupt(format!("date '{text}': {e}")))
}
