//! The petition module over HTTP (`workflows.md` §0.8, §2.7): `GET /api/v1/petitions/items`,
//! `POST /api/v1/petitions/items` (registration at the reception desk),
//! `GET /api/v1/petitions/items/{id}`, `POST /api/v1/petitions/items/{id}/actions`,
//! `GET /api/v1/petitions/due`, `GET /api/v1/petitions/indicators`,
//! `GET /api/v1/petitions/matters` — the JSON of `tianping petitions …`.
//!
//! Who sees what (§0.6): only the petition officers (信访接待), leaders and administrators read
//! petitions (403 for anyone else); a petition belongs to its receiving court, a matter to the
//! court of its first petition, and one outside the user's scope answers 404 like an unknown id.
//! The petitioner's identifier is shown whole to petition officers and administrators only,
//! masked (first and last four characters) for leaders.

use std::collections::HashSet;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tianping_store::{PetitionBatch, PetitionChange};
use tianping_workflow::core::act::changed_fields;
use tianping_workflow::core::compare::Compare;
use tianping_workflow::core::duties::{Actor, Duty};
use tianping_workflow::core::rows::TableFile;
use tianping_workflow::petitions::actions::{Action, act, audit_fields, resolve_matter};
use tianping_workflow::petitions::documents::{
    due_document, indicators_document, list_document, matter_json, record_json, show_document,
};
use tianping_workflow::petitions::import::{Known, check_files};
use tianping_workflow::petitions::indicators::{GroupBy, IndicatorQuery, Sources};
use tianping_workflow::petitions::model::{AckDecision, Channel, Matter};
use tianping_workflow::petitions::{
    MatterView, Petition, PetitionSettings, State as PetitionState, assign_matters, due_rows,
    matter_views, repeats, state_at,
};

use crate::api::Params;
use crate::auth::{CSRF_HEADER, CurrentUser, check_csrf};
use crate::data::Data;
use crate::error::ErrorBody;
use crate::mediation::actor_of;
use crate::openapi::{BadRequest, Forbidden, Unauthenticated};
use crate::scope::{CourtScope, authorize};
use crate::workflow::{FormRow, action_date, as_of, audit, document, invalid, refused};
use crate::{AppState, WebError};

/// The petition records a request reads, judged: matters as the figures see them, repeats.
#[derive(Debug)]
pub struct Book {
    pub petitions: Vec<Petition>,
    pub matters: Vec<Matter>,
    pub views: Vec<MatterView>,
    pub repeats: HashSet<String>,
    pub settings: PetitionSettings,
    /// The receiving courts, and each petition's court as an index into them: a list's scope
    /// check is one array look-up per petition.
    courts: Vec<String>,
    court_ix: Vec<u16>,
    /// Each petition's received date, kept apart so that a list's pass over a province's
    /// petitions reads a few bytes of each rather than each whole record.
    received: Vec<NaiveDate>,
    /// Whether each petition is a repeat (§2.4).
    repeat: Vec<bool>,
    /// Each petition's state and whether it is overdue, by as-of date: computed once per book
    /// and day (the 超期 list of a province is every petition's deadlines).
    standings:
        std::sync::Mutex<std::collections::HashMap<NaiveDate, std::sync::Arc<Vec<Standing>>>>,
}

/// A petition's state at an as-of date and whether an obligation of it is overdue then.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    pub state: PetitionState,
    pub overdue: bool,
}

impl Book {
    pub async fn load(state: &AppState) -> Result<Book, WebError> {
        let records = tianping_store::load_petition_records(state.store.as_ref()).await?;
        let repeats = repeats(&records.petitions);
        let mut courts: Vec<String> = Vec::new();
        let mut court_ix = Vec::with_capacity(records.petitions.len());
        for p in &records.petitions {
            let at = match courts.iter().position(|c| *c == p.court_code) {
                Some(at) => at,
                None => {
                    courts.push(p.court_code.clone());
                    courts.len() - 1
                }
            };
            court_ix.push(u16::try_from(at).unwrap_or(u16::MAX));
        }
        let received = records.petitions.iter().map(|p| p.received_date).collect();
        Ok(Book {
            received,
            views: matter_views(&records.matters, &records.petitions),
            repeat: records
                .petitions
                .iter()
                .map(|p| repeats.contains(&p.petition_id))
                .collect(),
            repeats,
            settings: records.settings.petitions(),
            petitions: records.petitions,
            matters: records.matters,
            courts,
            court_ix,
            standings: Default::default(),
        })
    }

    /// Each petition's standing at `as_of`, in the order of `petitions`.
    pub fn standings_at(
        &self,
        as_of: NaiveDate,
        calendar: &tianping_domain::HolidayCalendar,
    ) -> std::sync::Arc<Vec<Standing>> {
        if let Some(list) = self
            .standings
            .lock()
            .ok()
            .and_then(|m| m.get(&as_of).cloned())
        {
            return list;
        }
        let list: Vec<Standing> = self
            .petitions
            .iter()
            .map(|p| {
                let state = state_at(p, as_of);
                let overdue = p.received_date <= as_of
                    && state != PetitionState::Concluded
                    && due_rows(p, as_of, calendar, &self.settings)
                        .iter()
                        .any(|r| r.status == tianping_workflow::core::status::ItemStatus::Overdue);
                Standing { state, overdue }
            })
            .collect();
        let list = std::sync::Arc::new(list);
        if let Ok(mut memo) = self.standings.lock() {
            // A few dates at most are asked of one book; keep the memory bounded anyway.
            if memo.len() > 8 {
                memo.clear();
            }
            memo.insert(as_of, list.clone());
        }
        list
    }
}

/// The actor, if they may read petitions at all (403 otherwise), and whether identifiers are
/// shown to them whole.
pub async fn reader(state: &AppState, user: &CurrentUser) -> Result<(Actor, bool), WebError> {
    let actor = actor_of(state, user).await?;
    if !(actor.has(Duty::PetitionOfficer) || actor.has(Duty::Leader)) {
        return Err(WebError::Forbidden(
            "信访件仅信访接待、院领导和系统管理员可以查看".to_owned(),
        ));
    }
    let unmasked = actor.has(Duty::PetitionOfficer);
    Ok((actor, unmasked))
}

fn in_scope(scope: &CourtScope, data: &Data, court: &str) -> bool {
    scope.contains_court(data.courts(), court)
}

/// The petition `id` if the user's scope holds it; 404 otherwise.
fn find<'b>(
    book: &'b Book,
    id: &str,
    scope: &CourtScope,
    data: &Data,
) -> Result<&'b Petition, WebError> {
    book.petitions
        .iter()
        .find(|p| p.petition_id == id && in_scope(scope, data, &p.court_code))
        .ok_or_else(|| WebError::NotFound(format!("没有信访件 {id}，或不在本账号的范围内")))
}

/// `GET /api/v1/petitions/items`.
#[utoipa::path(
    get,
    path = "/petitions/items",
    tag = "petitions",
    summary = "Petitions in the user's scope with their state (tianping petitions list --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("as_of" = Option<String>, Query, description = "the date of the states (default today)"),
        ("status" = Option<String>, Query, description = "registered, handling, concluded or overdue"),
        ("channel" = Option<String>, Query, description = "来信, 来访, 网上信访, 来电 or 转办交办"),
        ("nature" = Option<String>, Query, description = "申诉求决, 检举控告, 建议意见, 咨询 or 其他"),
        ("matter" = Option<String>, Query, description = "a matter id"),
    ),
    responses(
        (status = 200, description = "{\"rows\": [record + state + repeat]}", body = serde_json::Value),
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
    let (_, unmasked) = reader(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let as_of = as_of(&params, &state)?;
    let book = state.petition_book().await?;
    let rows = listed(&book, &params, &scope, &data, as_of, &state)?;
    Ok(document(&list_document(&rows, unmasked)))
}

/// What a list query selects, judged petition by petition from the held book's compact
/// columns: the list (API) collects every match, the page only counts and then gathers its rows.
#[derive(Debug)]
pub struct Selection<'b> {
    book: &'b Book,
    wanted_courts: Vec<bool>,
    standings: std::sync::Arc<Vec<Standing>>,
    as_of: NaiveDate,
    /// `None` any; `Some(None)` overdue; `Some(Some(s))` the state `s`.
    wanted: Option<Option<PetitionState>>,
    channel: Option<Channel>,
    nature: Option<String>,
    matter: Option<String>,
}

impl<'b> Selection<'b> {
    pub fn new(
        book: &'b Book,
        params: &Params,
        scope: &CourtScope,
        data: &Data,
        as_of: NaiveDate,
        state: &AppState,
    ) -> Result<Selection<'b>, WebError> {
        let wanted = match params.get("status") {
            None | Some("") => None,
            Some("overdue") => Some(None),
            Some(t) => Some(Some(PetitionState::parse(t).ok_or_else(|| {
                WebError::BadRequest(format!("status：“{t}”不是可选的状态"))
            })?)),
        };
        let channel = match params.get("channel").filter(|c| !c.is_empty()) {
            None => None,
            Some(t) => Some(
                Channel::parse(t)
                    .ok_or_else(|| WebError::BadRequest(format!("channel：“{t}”不是信访形式")))?,
            ),
        };
        Ok(Selection {
            book,
            // The courts of the scope, once; then one look-up per petition.
            wanted_courts: book
                .courts
                .iter()
                .map(|c| in_scope(scope, data, c))
                .collect(),
            standings: book.standings_at(as_of, &state.calendar),
            as_of,
            wanted,
            channel,
            nature: params
                .get("nature")
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            matter: params.get("matter").map(str::to_owned),
        })
    }

    /// The state of petition `i` if the query selects it.
    pub fn matches(&self, i: usize) -> Option<PetitionState> {
        let book = self.book;
        if !self
            .wanted_courts
            .get(usize::from(book.court_ix[i]))
            .copied()
            .unwrap_or(false)
            || book.received[i] > self.as_of
        {
            return None;
        }
        if self.channel.is_some() || self.nature.is_some() || self.matter.is_some() {
            let p = &book.petitions[i];
            if self.channel.is_some_and(|c| p.channel != c)
                || self.nature.as_ref().is_some_and(|n| p.nature != *n)
                || self
                    .matter
                    .as_ref()
                    .is_some_and(|m| p.matter_id.as_deref() != Some(m))
            {
                return None;
            }
        }
        let standing = self.standings[i];
        match self.wanted {
            Some(None) if !standing.overdue => None,
            Some(Some(s)) if s != standing.state => None,
            _ => Some(standing.state),
        }
    }

    /// How many petitions the query selects.
    pub fn count(&self) -> usize {
        (0..self.book.petitions.len())
            .filter(|&i| self.matches(i).is_some())
            .count()
    }

    /// The selected petitions whose positions among the selected (in id order) are in `range`.
    pub fn rows_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> Vec<(&'b Petition, PetitionState, bool)> {
        let mut out = Vec::with_capacity(range.len().min(self.book.petitions.len()));
        let mut position = 0;
        for i in 0..self.book.petitions.len() {
            if position >= range.end {
                break;
            }
            if let Some(st) = self.matches(i) {
                if position >= range.start {
                    out.push((&self.book.petitions[i], st, self.book.repeat[i]));
                }
                position += 1;
            }
        }
        out
    }
}

/// The petitions a list query selects: `(petition, state, repeat)` in id order.
pub fn listed<'b>(
    book: &'b Book,
    params: &Params,
    scope: &CourtScope,
    data: &Data,
    as_of: NaiveDate,
    state: &AppState,
) -> Result<Vec<(&'b Petition, PetitionState, bool)>, WebError> {
    let selection = Selection::new(book, params, scope, data, as_of, state)?;
    Ok(selection.rows_in(0..usize::MAX))
}

/// `GET /api/v1/petitions/items/{id}`.
#[utoipa::path(
    get,
    path = "/petitions/items/{id}",
    tag = "petitions",
    summary = "One petition: state, deadlines step by step, matter, history (tianping petitions show)",
    params(
        ("id" = String, Path, description = "the petition id"),
        ("as_of" = Option<String>, Query, description = "the date of the state (default today)"),
    ),
    responses(
        (status = 200, description = "the record", body = serde_json::Value),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, description = "unknown, or outside the user's scope (not told apart)", body = ErrorBody),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    let (_, unmasked) = reader(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let as_of = as_of(&params, &state)?;
    let book = state.petition_book().await?;
    Ok(document(
        &show_value(&state, &book, &id, &scope, &data, as_of, unmasked).await?,
    ))
}

/// The `show` document of petition `id` (the API and the page).
pub async fn show_value(
    state: &AppState,
    book: &Book,
    id: &str,
    scope: &CourtScope,
    data: &Data,
    as_of: NaiveDate,
    unmasked: bool,
) -> Result<Value, WebError> {
    let p = find(book, id, scope, data)?;
    let history = state.store.workflow_history("petitions", id).await?;
    let matter = p
        .matter_id
        .as_deref()
        .and_then(|m| book.views.iter().find(|v| v.matter_id == m));
    Ok(show_document(
        p,
        state_at(p, as_of),
        book.repeats.contains(&p.petition_id),
        matter,
        as_of,
        &state.calendar,
        &book.settings,
        serde_json::to_value(&history).map_err(|e| WebError::Internal(e.to_string()))?,
        unmasked,
    ))
}

/// The body of `POST /api/v1/petitions/items/{id}/actions`.
#[derive(Debug, Deserialize, Default)]
pub struct ActionBody {
    pub action: String,
    pub date: Option<String>,
    pub note: Option<String>,
    pub decision: Option<String>,
    pub form: Option<String>,
    pub reason: Option<String>,
    pub days: Option<u32>,
    pub result: Option<String>,
    pub case_number: Option<String>,
    pub diverted_case_number: Option<String>,
    pub resolution: Option<String>,
}

fn case_of(field: &str, text: &Option<String>) -> Result<Option<String>, WebError> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => tianping_domain::CaseNumber::parse(t)
            .map(|n| Some(n.normalized()))
            .map_err(|e| invalid(field, format!("案号“{t}”：{e}"))),
    }
}

/// The action a body names, or why it names none.
fn action_of(body: &ActionBody) -> Result<Action, WebError> {
    let need = |v: &Option<String>, field: &str| {
        v.clone()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| invalid(field, format!("“{}”须填写 {field}", body.action)))
    };
    Ok(match body.action.as_str() {
        "acknowledge" => {
            let text = need(&body.decision, "decision")?;
            let decision = AckDecision::parse(&text)
                .ok_or_else(|| invalid("decision", format!("告知结果“{text}”无法识别")))?;
            Action::Acknowledge {
                decision,
                form: body.form.clone().filter(|f| !f.trim().is_empty()),
            }
        }
        "object" => Action::Object {
            reason: need(&body.reason, "reason")?,
        },
        "extend" => Action::Extend {
            days: body
                .days
                .ok_or_else(|| invalid("days", "延期须填写天数".to_owned()))?,
            reason: need(&body.reason, "reason")?,
        },
        "reply" => Action::Reply {
            result: need(&body.result, "result")?,
            form: need(&body.form, "form")?,
        },
        "link" => Action::Link {
            case_number: case_of("case_number", &body.case_number)?,
            diverted_case_number: case_of("diverted_case_number", &body.diverted_case_number)?,
        },
        "reopen" => Action::Reopen {
            note: need(&body.note, "note")?,
        },
        other => {
            return Err(WebError::BadRequest(format!(
                "action：“{other}”不是可执行的操作（acknowledge、object、extend、reply、link、reopen、resolve_matter）"
            )));
        }
    })
}

/// Take an action as `user` on petition `id` (or `resolve_matter` on matter `id`); the record
/// as it is afterwards. Shared by the API and the page's forms.
pub async fn perform(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    body: &ActionBody,
) -> Result<Value, WebError> {
    let (actor, unmasked) = reader(state, user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let book = Book::load(state).await?;
    let today = state.today();
    let date = action_date(body.date.as_deref(), today)?;
    if body.action == "resolve_matter" {
        let view = book
            .views
            .iter()
            .find(|v| v.matter_id == id && in_scope(&scope, &data, &v.court_code))
            .ok_or_else(|| {
                WebError::NotFound(format!("没有信访事项 {id}，或不在本账号的范围内"))
            })?;
        let stored = book
            .matters
            .iter()
            .find(|m| m.matter_id == id)
            .cloned()
            .unwrap_or_else(|| Matter::new(id));
        let resolution = body
            .resolution
            .clone()
            .ok_or_else(|| invalid("resolution", "化解须填写化解方式".to_owned()))?;
        let resolved = resolve_matter(&stored, view.opened_date, &resolution, date, today, &actor)
            .map_err(refused)?;
        let (before, after) = changed_fields(&stored, &resolved);
        state
            .store
            .save_petition(&PetitionChange {
                petition: None,
                matter: Some(resolved),
                audit: audit(
                    user,
                    state,
                    ("petitions", "petition_matter"),
                    id,
                    "workflow_action",
                    "resolve_matter",
                    (before.into(), after.into()),
                ),
            })
            .await?;
        state.forget_workflow_books().await;
        let book = Book::load(state).await?;
        let view = book
            .views
            .iter()
            .find(|v| v.matter_id == id)
            .ok_or_else(|| WebError::Internal(format!("matter {id} not read back")))?;
        return Ok(matter_json(view, today));
    }
    let action = action_of(body)?;
    let p = find(&book, id, &scope, &data)?;
    let next = act(
        p,
        &action,
        date,
        today,
        &actor,
        &state.calendar,
        &book.settings,
    )
    .map_err(refused)?;
    state
        .store
        .save_petition(&PetitionChange {
            petition: Some(next.clone()),
            matter: None,
            audit: audit(
                user,
                state,
                ("petitions", "petition"),
                id,
                "workflow_action",
                action.name(),
                audit_fields(p, &next, today, body.note.as_deref()),
            ),
        })
        .await?;
    state.forget_workflow_books().await;
    Ok(record_json(
        &next,
        state_at(&next, today),
        book.repeats.contains(&next.petition_id),
        unmasked,
    ))
}

/// `POST /api/v1/petitions/items/{id}/actions`.
#[utoipa::path(
    post,
    path = "/petitions/items/{id}/actions",
    tag = "petitions",
    summary = "Take an action (acknowledge, object, extend, reply, link, reopen; resolve_matter on a matter id); header x-csrf-token",
    params(("id" = String, Path, description = "the petition id (a matter id for resolve_matter)")),
    request_body(content = serde_json::Value, description = "{\"action\", \"date\", \"note\", \"decision\", \"form\", \"reason\", \"days\", \"result\", \"case_number\", \"diverted_case_number\", \"resolution\"}"),
    responses(
        (status = 200, description = "the record afterwards", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "missing duty or CSRF token", body = ErrorBody),
        (status = 404, description = "unknown, or outside the user's scope", body = ErrorBody),
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
    Ok(document(&perform(&state, &user, &id, &body).await?))
}

/// Register a petition (the reception desk, a petition officer): the body's fields are checked
/// by the rules of the petitions file (§2.6) and the petition gets its matter (§2.4).
pub async fn register(
    state: &AppState,
    user: &CurrentUser,
    body: &Map<String, Value>,
) -> Result<Petition, WebError> {
    let (actor, _) = reader(state, user).await?;
    if !actor.has(Duty::PetitionOfficer) {
        return Err(WebError::Forbidden("登记信访件需要信访接待职责".to_owned()));
    }
    let data = state.data().await?;
    let scope = authorize(&user.user, None, &*data)?;
    let today = state.today();
    let mut row = FormRow::new(tianping_exchange::Kind::Petitions, body);
    row.default("court_code", || {
        user.user.court_code.clone().unwrap_or_default()
    });
    row.default("received_date", || today.to_string());
    if row.get("petition_id").is_empty() {
        let court = row.get("court_code").to_owned();
        let year = today.format("%Y");
        let taken = state.petition_book().await?.petitions.len() + 1;
        row.set("petition_id", format!("XF{year}{court}{taken:05}"));
    }
    if !scope.contains_court(data.courts(), row.get("court_code")) {
        return Err(WebError::Forbidden(format!(
            "法院 {} 不在本账号的范围内",
            row.get("court_code")
        )));
    }
    let book = Book::load(state).await?;
    if book
        .petitions
        .iter()
        .any(|p| p.petition_id == row.get("petition_id"))
    {
        return Err(WebError::Conflict(format!(
            "信访编号 {} 已存在",
            row.get("petition_id")
        )));
    }
    let rows = vec![(1usize, row.cells)];
    let file = TableFile {
        file: "登记",
        kind: tianping_exchange::Kind::Petitions,
        rows: &rows,
        refused: &[],
    };
    // The checks hold borrowed closures: done before anything is awaited.
    let mut checked = {
        let court = |c: &str| data.courts().get(c).is_some();
        let view = data.scoped(&scope);
        let case = |n: &str| view.record_of(n).is_some();
        let petition = |id: &str| book.petitions.iter().find(|p| p.petition_id == id).cloned();
        let matter = |id: &str| book.matters.iter().find(|m| m.matter_id == id).cloned();
        let first = |id: &str| {
            book.petitions
                .iter()
                .filter(|p| p.matter_id.as_deref() == Some(id))
                .map(|p| p.received_date)
                .min()
        };
        let known = Known {
            court: &court,
            case: &case,
            petition: &petition,
            matter: &matter,
            matter_first_petition: &first,
        };
        let checked = check_files(&[file], &known, &book.settings, &state.calendar).remove(0);
        if let Some(problem) = checked.problems.first() {
            return Err(invalid(problem.column, problem.message.clone()));
        }
        checked
    };
    let (_, mut p) = checked.petitions.remove(0);
    if p.received_date > today {
        return Err(invalid(
            "received_date",
            format!("收到日期 {} 晚于今天 {today}", p.received_date),
        ));
    }
    let mut all = book.petitions.clone();
    all.push(p.clone());
    assign_matters(&mut all, book.settings.repeat_window_days);
    p.matter_id = all.last().and_then(|q| q.matter_id.clone());
    let after = serde_json::to_value(&p).map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store
        .apply_petition_batch(
            &PetitionBatch {
                petitions: vec![p.clone()],
                ..Default::default()
            },
            &[audit(
                user,
                state,
                ("petitions", "petition"),
                &p.petition_id,
                "workflow_create",
                "create",
                (json!({}), after),
            )],
        )
        .await?;
    state.forget_workflow_books().await;
    Ok(p)
}

/// `POST /api/v1/petitions/items`.
#[utoipa::path(
    post,
    path = "/petitions/items",
    tag = "petitions",
    summary = "Register a petition (登记; a petition officer); header x-csrf-token",
    request_body(content = serde_json::Value, description = "the columns of the petitions file by their English names (workflows.md §2.6); petition_id blank: generated; court_code default the user's; received_date default today"),
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
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, WebError> {
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    check_csrf(&user.session, token).await?;
    let p = register(&state, &user, &body).await?;
    let unmasked = reader(&state, &user).await?.1;
    let mut response = document(&record_json(&p, PetitionState::Registered, false, unmasked));
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// `GET /api/v1/petitions/due`.
#[utoipa::path(
    get,
    path = "/petitions/due",
    tag = "petitions",
    summary = "Open obligations with their deadlines (tianping petitions due --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
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
    reader(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let as_of = as_of(&params, &state)?;
    let wanted = crate::mediation::due_status(&params)?;
    let book = state.petition_book().await?;
    let mut rows: Vec<_> = book
        .petitions
        .iter()
        .filter(|p| in_scope(&scope, &data, &p.court_code))
        .flat_map(|p| due_rows(p, as_of, &state.calendar, &book.settings))
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect();
    tianping_workflow::core::due::sort_due(&mut rows);
    Ok(document(&due_document(as_of, &rows)))
}

/// The indicators document for a query string (the API and the page).
pub fn indicators_for(
    params: &Params,
    state: &AppState,
    scope: &CourtScope,
    data: &Data,
    book: &Book,
) -> Result<Value, WebError> {
    let (from, to, as_of) = crate::mediation::indicator_period(params, state)?;
    let by = GroupBy::parse(params.get("by").unwrap_or("none")).ok_or_else(|| {
        WebError::BadRequest("by 应为 none、court、channel、nature 或 month".to_owned())
    })?;
    let compare = Compare::parse(params.get("compare").unwrap_or("none"))
        .ok_or_else(|| WebError::BadRequest("compare 应为 none、yoy 或 prev".to_owned()))?;
    let in_scope = |court: &str| scope.contains_court(data.courts(), court);
    let query = IndicatorQuery {
        from,
        to,
        as_of,
        by,
        all_matters: params
            .get("all_matters")
            .is_some_and(|v| v == "true" || v == "1"),
        in_scope: &in_scope,
    };
    let src = Sources {
        petitions: &book.petitions,
        matters: &book.views,
        repeats: &book.repeats,
        calendar: &state.calendar,
        settings: &book.settings,
    };
    let courts = data.courts();
    let label = |key: &str| -> String {
        match by {
            GroupBy::None => scope
                .court()
                .map_or("全部法院".to_owned(), |c| courts.name_of(c).to_owned()),
            GroupBy::Court => courts.name_of(key).to_owned(),
            _ => key.to_owned(),
        }
    };
    Ok(indicators_document(
        &src,
        &query,
        compare,
        scope.court(),
        &label,
    ))
}

/// `GET /api/v1/petitions/indicators`.
#[utoipa::path(
    get,
    path = "/petitions/indicators",
    tag = "petitions",
    summary = "The indicators of workflows.md §2.5 with 三降两升 (tianping petitions indicators --format json)",
    params(
        ("period" = Option<String>, Query, description = "2023, 2023H1, 2023Q4 or 2023-12"),
        ("from" = Option<String>, Query, description = "with to, instead of period"),
        ("to" = Option<String>, Query, description = "with from"),
        ("as_of" = Option<String>, Query, description = "default the end of the period"),
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("by" = Option<String>, Query, description = "none, court, channel, nature or month"),
        ("compare" = Option<String>, Query, description = "none, yoy or prev"),
        ("all_matters" = Option<bool>, Query, description = "count every matter, not only the 涉诉 ones"),
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
    reader(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let book = state.petition_book().await?;
    Ok(document(&indicators_for(
        &params, &state, &scope, &data, &book,
    )?))
}

/// `GET /api/v1/petitions/matters`.
#[utoipa::path(
    get,
    path = "/petitions/matters",
    tag = "petitions",
    summary = "Matters (信访事项) in the user's scope (tianping petitions matters --format json)",
    params(
        ("scope" = Option<String>, Query, description = "a court code within the user's court"),
        ("as_of" = Option<String>, Query, description = "default today"),
        ("status" = Option<String>, Query, description = "open or resolved"),
    ),
    responses(
        (status = 200, description = "{\"as_of\", \"rows\"}", body = serde_json::Value),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
    )
)]
pub(crate) async fn matters(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(raw.as_deref())?;
    reader(&state, &user).await?;
    let data = state.data().await?;
    let scope = authorize(&user.user, params.get("scope"), &*data)?;
    let as_of = as_of(&params, &state)?;
    let wanted = match params.get("status") {
        None => None,
        Some("open") => Some(false),
        Some("resolved") => Some(true),
        Some(t) => {
            return Err(WebError::BadRequest(format!(
                "status：“{t}”应为 open 或 resolved"
            )));
        }
    };
    let book = state.petition_book().await?;
    let rows: Vec<Value> = book
        .views
        .iter()
        .filter(|m| m.opened_date <= as_of && in_scope(&scope, &data, &m.court_code))
        .filter(|m| wanted.is_none_or(|w| m.resolved_at(as_of).is_some() == w))
        .map(|m| matter_json(m, as_of))
        .collect();
    Ok(document(&json!({"as_of": as_of, "rows": rows})))
}
