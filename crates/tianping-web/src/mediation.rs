//! The mediation module over HTTP (`workflows.md` §0.8): `GET /api/v1/mediation/items`,
//! `GET /api/v1/mediation/items/{id}`, `POST /api/v1/mediation/items/{id}/actions`,
//! `GET /api/v1/mediation/due`, `GET /api/v1/mediation/indicators` — the same JSON as
//! `tianping mediation list|show|due|indicators`.
//!
//! Who sees what: a record belongs to its `court_code`; a user sees the records of the courts in
//! their scope, a mediator (the duty without the clerk's) only their own, a judge only the 委托
//! mediations of their own cases. A record outside that answers 404, like an unknown id, so that
//! its existence is not revealed. Acting needs the duty the action names (403 without it); an
//! action not allowed from the state is 409, a refused value 422 with its field.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use tianping_domain::period::Period;
use tianping_store::{MediationChange, WorkflowAuditEntry};
use tianping_workflow::core::compare::Compare;
use tianping_workflow::core::duties::{Actor, Duty};
use tianping_workflow::core::status::ItemStatus;
use tianping_workflow::mediation::actions::{ActError, Action, act};
use tianping_workflow::mediation::documents::{
    due_document, indicators_document, list_document, record_json, show_document,
};
use tianping_workflow::mediation::indicators::{GroupBy, IndicatorQuery, KindFilter};
use tianping_workflow::mediation::limits::{MediationSettings, due_rows};
use tianping_workflow::mediation::model::{AgreementPath, MediationKind, Outcome};
use tianping_workflow::mediation::{Mediation, MediationEvent, State as MediationState, state_at};

use crate::api::Params;
use crate::auth::{CSRF_HEADER, CurrentUser, check_csrf};
use crate::data::Data;
use crate::error::ErrorBody;
use crate::openapi::{BadRequest, Forbidden, Unauthenticated};
use crate::scope::{CourtScope, authorize};
use crate::workflow::{action_date, as_of, document, invalid};
use crate::{AppState, WebError};

/// The actor a signed-in user is: their duties (administrators hold all), the mediator their
/// account is, the judge they are.
pub async fn actor_of(state: &AppState, user: &CurrentUser) -> Result<Actor, WebError> {
    let record = state
        .store
        .duties()
        .await?
        .into_iter()
        .find(|d| d.username == user.user.username);
    let duties = record
        .as_ref()
        .map(|r| r.duties.iter().filter_map(|d| Duty::parse(d)).collect())
        .unwrap_or_default();
    Ok(Actor {
        name: user.user.username.clone(),
        admin: user.is_admin(),
        duties,
        mediator_id: record.and_then(|r| r.mediator_id),
        judge: match (&user.user.court_code, &user.user.judge_name) {
            (Some(court), Some(name)) if user.role() == tianping_domain::access::Role::Judge => {
                Some((court.clone(), name.clone()))
            }
            _ => None,
        },
    })
}

/// The mediation records a request reads, with what is needed to judge them.
#[derive(Debug)]
pub struct Book {
    pub mediations: Vec<Mediation>,
    pub events: BTreeMap<String, Vec<MediationEvent>>,
    pub settings: MediationSettings,
    pub org_names: HashMap<String, String>,
    pub mediator_names: HashMap<String, String>,
    /// Figures already computed from this book (the overview's pre-litigation cards, by scope
    /// and period): the book lives until the records change, and so do they.
    pub memo:
        std::sync::Mutex<HashMap<String, Vec<tianping_workflow::mediation::MediationIndicators>>>,
    /// Indicator documents already computed from this book, by question and asker.
    pub documents: std::sync::Mutex<HashMap<String, Value>>,
    /// Every mediation's standing on a day, in the lists' order, by (day, case data version):
    /// the lists filter it instead of judging every record on every request.
    standings: std::sync::Mutex<HashMap<StandingKey, Arc<Standings>>>,
}

/// A day and a case data version.
type StandingKey = (NaiveDate, i64);

/// Every mediation's standing on a day, in the lists' order, with the positions of each court's
/// and each mediator's mediations in that order: a list of one court or one mediator gathers
/// its positions instead of looking at every mediation of the province.
#[derive(Debug, Default)]
pub struct Standings {
    pub list: Vec<Standing>,
    /// Every position, in order (the whole province's list without a copy per request).
    pub all: Vec<u32>,
    pub by_court: HashMap<String, Vec<u32>>,
    pub by_mediator: HashMap<String, Vec<u32>>,
    /// How many of each court's mediations are overdue.
    pub overdue_by_court: HashMap<String, usize>,
    /// The positions of the mediations in each state, and of the overdue ones (`overdue`).
    pub by_state: HashMap<&'static str, Vec<u32>>,
}

impl Standings {
    /// How many mediations of the courts within `scope` are overdue.
    pub fn overdue_in(&self, courts: &tianping_domain::CourtTable, scope: Option<&str>) -> usize {
        self.overdue_by_court
            .iter()
            .filter(|(court, _)| scope.is_none_or(|code| courts.is_within(court, code)))
            .map(|(_, n)| n)
            .sum()
    }

    /// The positions of the mediations of the courts within `scope` (every court: `None`), in
    /// the list's order.
    pub fn of_scope(&self, courts: &tianping_domain::CourtTable, scope: Option<&str>) -> Vec<u32> {
        match scope {
            None => (0..self.list.len() as u32).collect(),
            Some(code) => {
                let mut positions: Vec<u32> = self
                    .by_court
                    .iter()
                    .filter(|(court, _)| courts.is_within(court, code))
                    .flat_map(|(_, p)| p.iter().copied())
                    .collect();
                positions.sort_unstable();
                positions
            }
        }
    }
}

/// What the lists show of one mediation on a day.
#[derive(Debug, Clone)]
pub struct Standing {
    /// Index into [`Book::mediations`].
    pub index: usize,
    pub kind: MediationKind,
    pub state: MediationState,
    /// Any time limit of the mediation passed while it is open.
    pub overdue: bool,
    /// The first open time limit: its deadline, days left, and rule with its reason.
    pub deadline: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub due: String,
}

/// How many days' standings a book keeps (a list asked for many `as_of` days forgets the oldest).
const STANDING_DAYS: usize = 8;

impl Book {
    pub async fn load(state: &AppState) -> Result<Book, WebError> {
        let records = tianping_store::load_mediation_records(state.store.as_ref()).await?;
        Ok(Book {
            settings: records.settings.mediation(),
            mediations: records.mediations,
            events: records.events,
            org_names: records.org_names,
            mediator_names: records.mediator_names,
            memo: std::sync::Mutex::new(HashMap::new()),
            documents: std::sync::Mutex::new(HashMap::new()),
            standings: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// The standing on `as_of` of every mediation registered by then, open items by their first
    /// deadline, then the rest newest first; computed once per day and case data version.
    pub fn standings(
        &self,
        data: &Data,
        as_of: NaiveDate,
        calendar: &tianping_domain::HolidayCalendar,
    ) -> Arc<Standings> {
        let key = (as_of, data.version());
        if let Some(found) = self.standings.lock().expect("standings").get(&key) {
            return found.clone();
        }
        let filed = |n: &str| data.filed_date_of(n);
        let mut all: Vec<Standing> = self
            .mediations
            .iter()
            .enumerate()
            .filter(|(_, m)| m.registered_date <= as_of)
            .map(|(index, m)| {
                let events = self.events_of(&m.mediation_id);
                let due = due_rows(m, events, as_of, calendar, &self.settings, &filed);
                let first = due.first();
                Standing {
                    index,
                    kind: m.kind,
                    state: state_at(m, events, as_of),
                    overdue: due.iter().any(|r| r.status == ItemStatus::Overdue),
                    deadline: first.map(|r| r.deadline),
                    days_left: first.map(|r| r.days_remaining),
                    due: first
                        .map(|r| format!("{}：{}", r.rule, r.reason))
                        .unwrap_or_default(),
                }
            })
            .collect();
        all.sort_by(|a, b| {
            let registered = |s: &Standing| self.mediations[s.index].registered_date;
            (
                a.deadline.is_none(),
                a.deadline,
                std::cmp::Reverse(registered(a)),
            )
                .cmp(&(
                    b.deadline.is_none(),
                    b.deadline,
                    std::cmp::Reverse(registered(b)),
                ))
        });
        let mut standings = Standings::default();
        for (position, s) in all.iter().enumerate() {
            let m = &self.mediations[s.index];
            standings
                .by_court
                .entry(m.court_code.clone())
                .or_default()
                .push(position as u32);
            standings
                .by_state
                .entry(s.state.id())
                .or_default()
                .push(position as u32);
            if s.overdue {
                *standings
                    .overdue_by_court
                    .entry(m.court_code.clone())
                    .or_default() += 1;
                standings
                    .by_state
                    .entry("overdue")
                    .or_default()
                    .push(position as u32);
            }
            if let Some(mediator) = &m.mediator_id {
                standings
                    .by_mediator
                    .entry(mediator.clone())
                    .or_default()
                    .push(position as u32);
            }
        }
        standings.all = (0..all.len() as u32).collect();
        standings.list = all;
        let all = Arc::new(standings);
        let mut memo = self.standings.lock().expect("standings");
        if memo.len() >= STANDING_DAYS {
            memo.clear();
        }
        memo.insert(key, all.clone());
        all
    }

    pub fn events_of(&self, id: &str) -> &[MediationEvent] {
        self.events.get(id).map(Vec::as_slice).unwrap_or_default()
    }
}

/// Whether `actor` with `scope` may see mediation `m`.
pub fn visible(m: &Mediation, actor: &Actor, scope: &CourtScope, data: &Data) -> bool {
    if !scope.contains_court(data.courts(), &m.court_code) {
        return false;
    }
    if actor.admin || actor.has(Duty::MediationClerk) {
        return true;
    }
    if let Some((court, name)) = &actor.judge {
        // A judge: the 委托 mediations of their own cases.
        return m.kind == MediationKind::Entrusted
            && m.case_number.as_deref().is_some_and(|n| {
                data.scoped(scope)
                    .record_of(n)
                    .is_some_and(|c| &c.court_code == court && c.judge.as_deref() == Some(name))
            });
    }
    if actor.has(Duty::Mediator) {
        return actor.mediator_id.is_some() && actor.mediator_id == m.mediator_id;
    }
    true
}

/// The scope a request asks for (`scope=`, default the user's).
fn scope_of(params: &Params, user: &CurrentUser, data: &Data) -> Result<CourtScope, WebError> {
    authorize(&user.user, params.get("scope"), data)
}

fn filed_lookup<'a>(
    data: &'a Data,
    scope: &'a CourtScope,
) -> impl Fn(&str) -> Option<NaiveDate> + 'a {
    let view = data.scoped(scope);
    move |n: &str| view.record_of(n).map(|c| c.filed_date)
}

/// `GET /api/v1/mediation/items`.
#[utoipa::path(
    get,
    path = "/mediation/items",
    tag = "mediation",
    summary = "Mediations the user may see, with their state (tianping mediation list --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("as_of" = Option<String>, Query, description = "the date of the states (default today)"),
        ("status" = Option<String>, Query, description = "registered, referred, mediating, succeeded, withdrawn, failed, returned or overdue"),
        ("kind" = Option<String>, Query, description = "委派, 申请, 委托 or pre"),
        ("org" = Option<String>, Query, description = "an organisation id"),
        ("mediator" = Option<String>, Query, description = "a mediator id"),
    ),
    responses(
        (status = 200, description = "{\"rows\": [record + state]}", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let scope = scope_of(&params, &user, &data)?;
    let actor = actor_of(&state, &user).await?;
    let as_of = as_of(&params, &state)?;
    let wanted = match params.get("status") {
        None => None,
        Some("overdue") => Some(None),
        Some(t) => Some(Some(MediationState::parse(t).ok_or_else(|| {
            WebError::BadRequest(format!("status：“{t}”不是可选的状态"))
        })?)),
    };
    let kind = match params.get("kind") {
        None => KindFilter::All,
        Some(t) => KindFilter::parse(t).ok_or_else(|| {
            WebError::BadRequest(format!("kind：“{t}”应为 委派、申请、委托 或 pre"))
        })?,
    };
    let book = state.mediation_book().await?;
    let filed = filed_lookup(&data, &scope);
    let calendar = &state.calendar;
    let mut rows = Vec::new();
    for m in &book.mediations {
        if m.registered_date > as_of
            || !visible(m, &actor, &scope, &data)
            || !kind.admits(m.kind)
            || params
                .get("org")
                .is_some_and(|o| m.org_id.as_deref() != Some(o))
            || params
                .get("mediator")
                .is_some_and(|o| m.mediator_id.as_deref() != Some(o))
        {
            continue;
        }
        let events = book.events_of(&m.mediation_id);
        let st = state_at(m, events, as_of);
        match wanted {
            Some(None) => {
                let overdue = due_rows(m, events, as_of, calendar, &book.settings, &filed)
                    .iter()
                    .any(|r| r.status == ItemStatus::Overdue);
                if !overdue {
                    continue;
                }
            }
            Some(Some(s)) if s != st => continue,
            _ => {}
        }
        rows.push((m, st));
    }
    Ok(document(&list_document(&rows)))
}

/// The record `id` if the user may see it; 404 otherwise, the same answer as an unknown id.
fn find<'b>(
    book: &'b Book,
    id: &str,
    actor: &Actor,
    scope: &CourtScope,
    data: &Data,
) -> Result<&'b Mediation, WebError> {
    book.mediations
        .iter()
        .find(|m| m.mediation_id == id && visible(m, actor, scope, data))
        .ok_or_else(|| WebError::NotFound(format!("没有调解 {id}，或不在本账号的范围内")))
}

/// `GET /api/v1/mediation/items/{id}`.
#[utoipa::path(
    get,
    path = "/mediation/items/{id}",
    tag = "mediation",
    summary = "One mediation: state, deadlines step by step, events, history (tianping mediation show)",
    params(
        ("id" = String, Path, description = "the mediation id"),
        ("as_of" = Option<String>, Query, description = "the date of the state (default today)"),
    ),
    responses(
        (status = 200, description = "the record", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "unknown, or outside the user's reach (not told apart)", body = ErrorBody),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let actor = actor_of(&state, &user).await?;
    let as_of = as_of(&params, &state)?;
    let book = state.mediation_book().await?;
    let m = find(&book, &id, &actor, &scope, &data)?;
    let events = book.events_of(&m.mediation_id);
    let filed = filed_lookup(&data, &scope);
    let due = due_rows(m, events, as_of, &state.calendar, &book.settings, &filed);
    let history = state.store.workflow_history("mediation", &id).await?;
    Ok(document(&show_document(
        m,
        events,
        state_at(m, events, as_of),
        &due,
        as_of,
        &state.calendar,
        &book.settings,
        serde_json::to_value(&history).map_err(|e| WebError::Internal(e.to_string()))?,
    )))
}

/// The body of `POST /api/v1/mediation/items/{id}/actions`.
#[derive(Debug, Deserialize, Default)]
pub struct ActionBody {
    pub action: String,
    pub date: Option<String>,
    pub note: Option<String>,
    pub org_id: Option<String>,
    pub mediator_id: Option<String>,
    pub reason: Option<String>,
    pub days: Option<u32>,
    pub outcome: Option<String>,
    pub agreement_path: Option<String>,
    pub failure_reason: Option<String>,
    #[serde(default)]
    pub performed: bool,
    pub confirmation: Option<String>,
    pub document: Option<String>,
    pub filed: Option<String>,
}

/// The action a body names, or why it names none.
pub fn action_of(body: &ActionBody) -> Result<Action, WebError> {
    let need = |v: &Option<String>, field: &str| {
        v.clone()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| invalid(field, format!("“{}”须填写 {field}", body.action)))
    };
    Ok(match body.action.as_str() {
        "assign" => Action::Assign {
            org_id: body.org_id.clone(),
            mediator_id: body.mediator_id.clone(),
        },
        "return" => Action::Return {
            reason: need(&body.reason, "reason")?,
        },
        "decline" => Action::Decline {
            reason: need(&body.reason, "reason")?,
        },
        "accept" => Action::Accept,
        "extend" => Action::Extend {
            days: body
                .days
                .ok_or_else(|| invalid("days", "延长须填写天数".to_owned()))?,
        },
        "appraisal_start" => Action::AppraisalStart,
        "appraisal_end" => Action::AppraisalEnd,
        "change_mediator" => Action::ChangeMediator {
            mediator_id: need(&body.mediator_id, "mediator_id")?,
        },
        "conclude" => {
            let text = need(&body.outcome, "outcome")?;
            Action::Conclude {
                outcome: Outcome::parse(&text).ok_or_else(|| {
                    invalid(
                        "outcome",
                        format!("调解结果“{text}”应为 调解成功、撤回 或 调解不成"),
                    )
                })?,
                agreement_path: match &body.agreement_path {
                    None => None,
                    Some(p) => Some(AgreementPath::parse(p).ok_or_else(|| {
                        invalid(
                            "agreement_path",
                            format!(
                                "协议履行方式“{p}”应为 自动履行、司法确认、调解书、撤诉 或 未定"
                            ),
                        )
                    })?),
                },
                failure_reason: body.failure_reason.clone(),
                performed: body.performed,
            }
        }
        "link" => Action::Link {
            confirmation: body.confirmation.clone(),
            document: body.document.clone(),
            filed: body.filed.clone(),
        },
        "reopen" => Action::Reopen {
            note: need(&body.note, "note")?,
        },
        other => {
            return Err(WebError::BadRequest(format!("没有“{other}”这个操作")));
        }
    })
}

/// The body of `POST /api/v1/mediation/items` (登记): the exchange columns' English names.
#[derive(Debug, Deserialize, Default)]
pub struct CreateBody {
    /// Blank: the platform's number `调{年}{法院代字}{序号}`.
    pub mediation_id: Option<String>,
    /// Default: the user's own court.
    pub court_code: Option<String>,
    pub kind: String,
    pub case_number: Option<String>,
    pub procedure: Option<String>,
    pub cause: Option<String>,
    /// Yuan, two decimals at most.
    pub claim_amount: Option<String>,
    /// Default: today.
    pub registered_date: Option<String>,
}

/// Register a mediation as `user` (the mediation desk's duty): checked, stored, audited.
pub async fn register(
    state: &AppState,
    user: &CurrentUser,
    body: &CreateBody,
) -> Result<Mediation, WebError> {
    use tianping_workflow::mediation::model::CaseProcedure;
    let actor = actor_of(state, user).await?;
    if !actor.has(Duty::MediationClerk) {
        return Err(WebError::Forbidden(
            "没有登记调解的职责（需要诉调对接职责）".to_owned(),
        ));
    }
    let data = state.data().await?;
    fn blank(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let court = blank(&body.court_code)
        .map(str::to_owned)
        .or_else(|| user.user.court_code.clone())
        .ok_or_else(|| invalid("court_code", "须指定法院".to_owned()))?;
    let scope = authorize(&user.user, Some(&court), &*data)?;
    let kind = MediationKind::parse(&body.kind).ok_or_else(|| {
        invalid(
            "kind",
            format!("调解类型“{}”应为 委派、申请 或 委托", body.kind),
        )
    })?;
    let today = state.today();
    let registered = match blank(&body.registered_date) {
        Some(t) => tianping_domain::dates::parse_date(t)
            .map_err(|e| invalid("registered_date", format!("登记日期：{}", e.zh())))?,
        None => today,
    };
    if registered > today {
        return Err(invalid(
            "registered_date",
            format!("登记日期 {registered} 晚于今天"),
        ));
    }
    let mut case_number = None;
    let mut procedure = match blank(&body.procedure) {
        None => None,
        Some(p) => Some(CaseProcedure::parse(p).ok_or_else(|| {
            invalid(
                "procedure",
                format!("适用程序“{p}”应为 普通程序 或 简易程序"),
            )
        })?),
    };
    match (kind, blank(&body.case_number)) {
        (MediationKind::Entrusted, None) => {
            return Err(invalid("case_number", "委托调解须填写案号".to_owned()));
        }
        (_, Some(text)) => {
            let number = tianping_domain::CaseNumber::parse(text)
                .map_err(|e| invalid("case_number", format!("案号“{text}”无效：{}", e.zh())))?
                .normalized();
            let record = data.scoped(&scope).record_of(&number).ok_or_else(|| {
                invalid(
                    "case_number",
                    format!("没有案件 {number}，或不在本账号的范围内"),
                )
            })?;
            if record.court_code != court {
                return Err(invalid(
                    "case_number",
                    format!("案件 {number} 不是 {court} 的案件"),
                ));
            }
            if procedure.is_none() {
                procedure = Some(match record.procedure {
                    Some(tianping_domain::Procedure::Simple) => CaseProcedure::Simple,
                    _ => CaseProcedure::Ordinary,
                });
            }
            case_number = Some(number);
        }
        _ => {}
    }
    let claim_amount = match blank(&body.claim_amount) {
        None => None,
        Some(t) => Some(
            tianping_domain::Money::parse(t)
                .map_err(|_| invalid("claim_amount", format!("标的金额“{t}”应为元，至多两位小数")))?
                .0,
        ),
    };
    let book = state.mediation_book().await?;
    let id = match blank(&body.mediation_id) {
        Some(id) => {
            if book.mediations.iter().any(|m| m.mediation_id == id) {
                return Err(WebError::Conflict(format!("调解编号 {id} 已存在")));
            }
            id.to_owned()
        }
        None => {
            let prefix = format!("调{}{court}", chrono::Datelike::year(&registered));
            let next = book
                .mediations
                .iter()
                .filter_map(|m| m.mediation_id.strip_prefix(&prefix))
                .filter_map(|n| n.parse::<u32>().ok())
                .max()
                .unwrap_or(0)
                + 1;
            format!("{prefix}{next:05}")
        }
    };
    let mut m = Mediation::registered(&id, &court, kind, registered);
    m.case_number = case_number;
    m.procedure = procedure;
    m.cause = blank(&body.cause).map(str::to_owned);
    m.claim_amount = claim_amount;
    let after = serde_json::to_value(&m).unwrap_or(Value::Null);
    state
        .store
        .apply_mediation_batch(
            &tianping_store::MediationBatch {
                mediations: vec![m.clone()],
                ..Default::default()
            },
            &[WorkflowAuditEntry {
                at: state.now_text(),
                actor: user.user.username.clone(),
                kind: "workflow_create".into(),
                module: "mediation".into(),
                entity: "mediation".into(),
                entity_id: id.clone(),
                action: "create".into(),
                before: "{}".into(),
                after: after.to_string(),
            }],
        )
        .await?;
    state.forget_workflow_books().await;
    Ok(m)
}

/// `POST /api/v1/mediation/items`.
#[utoipa::path(
    post,
    path = "/mediation/items",
    tag = "mediation",
    summary = "Register a mediation (登记; the mediation desk's duty); header x-csrf-token",
    request_body(content = serde_json::Value, description = "{\"mediation_id\" (blank: generated), \"court_code\", \"kind\" (委派, 申请, 委托), \"case_number\" (委托), \"procedure\", \"cause\", \"claim_amount\", \"registered_date\"}"),
    responses(
        (status = 201, description = "the registered record", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "missing duty, CSRF token or a court outside the scope", body = ErrorBody),
        (status = 409, description = "the id exists", body = ErrorBody),
        (status = 422, description = "a refused value: {\"error\", \"field\"}", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(body): Json<CreateBody>,
) -> Result<Response, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    let m = register(&state, &user, &body).await?;
    let mut response = document(&record_json(&m, MediationState::Registered));
    *response.status_mut() = axum::http::StatusCode::CREATED;
    Ok(response)
}

/// Take an action as `user` on record `id`; the record as it is afterwards. Shared by the API
/// and the pages' forms.
pub async fn perform(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    body: &ActionBody,
) -> Result<(Mediation, MediationState), WebError> {
    let action = action_of(body)?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let actor = actor_of(state, user).await?;
    let book = state.mediation_book().await?;
    let m = find(&book, id, &actor, &scope, &data)?;
    let today = state.today();
    let date = action_date(body.date.as_deref(), today)?;
    let events = book.events_of(&m.mediation_id);
    let case_judge = |n: &str| {
        data.scoped(&scope)
            .record_of(n)
            .and_then(|c| c.judge.map(|j| (c.court_code, j)))
    };
    let acted = act(
        m,
        events,
        &action,
        date,
        today,
        &actor,
        &state.calendar,
        &book.settings,
        &case_judge,
    )
    .map_err(|e| match e {
        ActError::NotAllowed { .. } => WebError::Conflict(e.message_zh()),
        ActError::Forbidden(message) => WebError::Forbidden(message),
        ActError::Invalid { field, message } => invalid(field, message),
    })?;
    let (before, after) = acted.audit_fields(m, events, today, body.note.as_deref());
    let after_state = state_at(&acted.mediation, &acted.events_after(events), today);
    state
        .store
        .save_mediation(&MediationChange {
            mediation: acted.mediation.clone(),
            new_event: acted.event.clone(),
            closed_event: acted.closed_event.clone(),
            audit: WorkflowAuditEntry {
                at: state.now_text(),
                actor: user.user.username.clone(),
                kind: "workflow_action".into(),
                module: "mediation".into(),
                entity: "mediation".into(),
                entity_id: m.mediation_id.clone(),
                action: action.name().into(),
                before: before.to_string(),
                after: after.to_string(),
            },
        })
        .await?;
    state.forget_workflow_books().await;
    Ok((acted.mediation, after_state))
}

/// `POST /api/v1/mediation/items/{id}/actions`.
#[utoipa::path(
    post,
    path = "/mediation/items/{id}/actions",
    tag = "mediation",
    summary = "Take an action (assign, return, decline, accept, extend, appraisal_start, appraisal_end, change_mediator, conclude, link, reopen); header x-csrf-token",
    params(("id" = String, Path, description = "the mediation id")),
    request_body(content = serde_json::Value, description = "{\"action\", \"date\", \"note\", \"org_id\", \"mediator_id\", \"reason\", \"days\", \"outcome\", \"agreement_path\", \"failure_reason\", \"performed\", \"confirmation\", \"document\", \"filed\"}"),
    responses(
        (status = 200, description = "the record after the action", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "missing duty or CSRF token", body = ErrorBody),
        (status = 404, description = "unknown, or outside the user's reach", body = ErrorBody),
        (status = 409, description = "not allowed from the record's state", body = ErrorBody),
        (status = 422, description = "a refused value: {\"error\", \"field\"}", body = ErrorBody),
    )
)]
pub(crate) async fn take_action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ActionBody>,
) -> Result<Response, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    let (m, st) = perform(&state, &user, &id, &body).await?;
    Ok(document(&record_json(&m, st)))
}

/// `GET /api/v1/mediation/due`.
#[utoipa::path(
    get,
    path = "/mediation/due",
    tag = "mediation",
    summary = "Open obligations with their deadlines (tianping mediation due --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code"),
        ("as_of" = Option<String>, Query, description = "default today"),
        ("status" = Option<String>, Query, description = "overdue, due_soon, suspended or all"),
    ),
    responses(
        (status = 200, description = "{\"as_of\", \"module\", \"rows\"}", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn due(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let scope = scope_of(&params, &user, &data)?;
    let actor = actor_of(&state, &user).await?;
    let as_of = as_of(&params, &state)?;
    let wanted = due_status(&params)?;
    let book = state.mediation_book().await?;
    let filed = filed_lookup(&data, &scope);
    let mut rows: Vec<_> = book
        .mediations
        .iter()
        .filter(|m| visible(m, &actor, &scope, &data))
        .flat_map(|m| {
            due_rows(
                m,
                book.events_of(&m.mediation_id),
                as_of,
                &state.calendar,
                &book.settings,
                &filed,
            )
        })
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    Ok(document(&due_document(as_of, &rows)))
}

/// `due?status=`: every open obligation (`None`), or those overdue, due soon or suspended.
pub(crate) fn due_status(params: &Params) -> Result<Option<ItemStatus>, WebError> {
    Ok(match params.get("status") {
        None | Some("all") => None,
        Some("overdue") => Some(ItemStatus::Overdue),
        Some("due_soon") => Some(ItemStatus::DueSoon),
        Some("suspended") => Some(ItemStatus::Suspended),
        Some(t) => {
            return Err(WebError::BadRequest(format!(
                "status：“{t}”应为 overdue、due_soon、suspended 或 all"
            )));
        }
    })
}

/// The period and as-of date of an indicators question (§0.1): `period`, or `from` and `to`,
/// or neither (this year up to today); `as_of` defaults to the end and may not precede it.
pub(crate) fn indicator_period(
    params: &Params,
    state: &AppState,
) -> Result<(NaiveDate, NaiveDate, NaiveDate), WebError> {
    let (from, to) = match (params.get("period"), params.get("from"), params.get("to")) {
        (Some(p), None, None) => {
            let p = Period::parse(p)
                .map_err(|_| WebError::BadRequest(format!("period：“{p}”不是统计期间")))?;
            (p.first_day(), p.last_day())
        }
        (None, Some(_), Some(_)) => (params.required_date("from")?, params.required_date("to")?),
        // Neither: the year of today, up to today.
        (None, None, None) => {
            let today = state.today();
            (
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today),
                today,
            )
        }
        _ => {
            return Err(WebError::BadRequest(
                "须给出 period，或同时给出 from 和 to".to_owned(),
            ));
        }
    };
    if to < from {
        return Err(WebError::BadRequest(format!("to {to} 早于 from {from}")));
    }
    let as_of = params.date("as_of")?.unwrap_or(to);
    if as_of < to {
        return Err(WebError::BadRequest(format!("as_of {as_of} 早于 to {to}")));
    }
    Ok((from, to, as_of))
}

/// The indicators document for a query string (the API and the indicators page).
pub fn indicators_for(
    params: &Params,
    state: &AppState,
    user_scope: &CourtScope,
    actor: &Actor,
    data: &Data,
    book: &Book,
) -> Result<Value, WebError> {
    let (from, to, as_of) = indicator_period(params, state)?;
    let by = GroupBy::parse(params.get("by").unwrap_or("none")).ok_or_else(|| {
        WebError::BadRequest("by 应为 none、court、org、mediator、kind 或 month".to_owned())
    })?;
    let compare = Compare::parse(params.get("compare").unwrap_or("none"))
        .ok_or_else(|| WebError::BadRequest("compare 应为 none、yoy 或 prev".to_owned()))?;
    let kind = match params.get("kind") {
        None => KindFilter::All,
        Some(t) => KindFilter::parse(t).ok_or_else(|| {
            WebError::BadRequest(format!("kind：“{t}”应为 委派、申请、委托 或 pre"))
        })?,
    };
    // The same question asked again while the records are unchanged: the document computed
    // the first time (keyed by who asks, since a mediator or a judge sees fewer records).
    let key = format!(
        "{}|{}|{}|{from}|{to}|{as_of}|{}|{}|{}",
        data.version(),
        actor.name,
        user_scope.key(),
        by.id(),
        params.get("compare").unwrap_or("none"),
        params.get("kind").unwrap_or("all"),
    );
    if let Some(found) = book.documents.lock().expect("documents").get(&key) {
        return Ok(found.clone());
    }
    // Who sees every record of the scope needs no copy of them: the scope filters.
    let sees_all = actor.admin || actor.has(Duty::MediationClerk);
    let mine: std::borrow::Cow<'_, [Mediation]> = if sees_all {
        std::borrow::Cow::Borrowed(&book.mediations)
    } else {
        std::borrow::Cow::Owned(
            book.mediations
                .iter()
                .filter(|m| visible(m, actor, user_scope, data))
                .cloned()
                .collect(),
        )
    };
    let scope = user_scope.court();
    let courts = data.courts();
    // The courts within the scope, found once (not per mediation).
    let within: std::collections::HashSet<&str> = courts
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| scope.is_none_or(|s| courts.is_within(c, s)))
        .collect();
    let in_scope =
        |court: &str| scope.is_none_or(|s| within.contains(court) || courts.is_within(court, s));
    let filed = filed_lookup(data, user_scope);
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        kind,
        in_scope: &in_scope,
        case_filed: &filed,
    };
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => {
                scope.map_or("全部法院".to_owned(), |c| courts.name_of(c).to_owned())
            }
            GroupBy::Court => courts.name_of(key).to_owned(),
            GroupBy::Org => book
                .org_names
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned()),
            GroupBy::Mediator => book
                .mediator_names
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned()),
            GroupBy::Kind | GroupBy::Month => key.to_owned(),
        }
    };
    let document = indicators_document(
        &mine,
        &book.events,
        &query,
        compare,
        scope,
        &label,
        &state.calendar,
        &book.settings,
    );
    let mut memo = book.documents.lock().expect("documents");
    if memo.len() >= 64 {
        memo.clear();
    }
    memo.insert(key, document.clone());
    Ok(document)
}

/// `GET /api/v1/mediation/indicators`.
#[utoipa::path(
    get,
    path = "/mediation/indicators",
    tag = "mediation",
    summary = "The indicators of workflows.md §1.4 (tianping mediation indicators --format json)",
    params(
        ("period" = Option<String>, Query, description = "2025, 2025H1, 2025Q3 or 2025-07 (or from and to; neither: this year to date)"),
        ("from" = Option<String>, Query, description = "first day"),
        ("to" = Option<String>, Query, description = "last day"),
        ("as_of" = Option<String>, Query, description = "default: to"),
        ("scope" = Option<String>, Query, description = "a court code"),
        ("by" = Option<String>, Query, description = "none, court, org, mediator, kind or month"),
        ("compare" = Option<String>, Query, description = "none, yoy or prev"),
        ("kind" = Option<String>, Query, description = "委派, 申请, 委托 or pre"),
    ),
    responses(
        (status = 200, description = "the indicators document", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let data = state.data().await?;
    let scope = scope_of(&params, &user, &data)?;
    let actor = actor_of(&state, &user).await?;
    let book = state.mediation_book().await?;
    Ok(document(&indicators_for(
        &params, &state, &scope, &actor, &data, &book,
    )?))
}
