//! What the HTTP handlers of the workflow modules share (`workflows.md` §0.8): the JSON answer,
//! the as-of date of a query, the statuses of a refused action (409, 403, 422 with the field),
//! the date of an action (today when blank), the audit entry of a change (§0.7), and a record
//! registered through a form read cell by cell as its exchange file's row, so that the file's
//! rules check it.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use tianping_exchange::{Kind, TemplateColumn};
use tianping_store::WorkflowAuditEntry;
use tianping_workflow::core::act::ActError;

use crate::api::Params;
use crate::auth::CurrentUser;
use crate::{AppState, WebError};

/// A JSON document as the API answers it.
pub(crate) fn document(value: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        tianping_metrics::documents::to_json_bytes(value),
    )
        .into_response()
}

/// The query's `as_of`, today without one.
pub(crate) fn as_of(params: &Params, state: &AppState) -> Result<NaiveDate, WebError> {
    Ok(params.date("as_of")?.unwrap_or_else(|| state.today()))
}

/// 422: a value of `field` breaks a rule.
pub(crate) fn invalid(field: &str, message: String) -> WebError {
    WebError::Invalid {
        field: field.to_owned(),
        message,
    }
}

/// An action's refusal as its status: 409 not from this state, 403 without the duty, 422 a value.
pub(crate) fn refused(e: ActError) -> WebError {
    match e {
        ActError::NotAllowed { .. } => WebError::Conflict(e.message_zh()),
        ActError::Forbidden(message) => WebError::Forbidden(message),
        ActError::Invalid { field, message } => invalid(field, message),
    }
}

/// The date of an action: the body's `date`, today when blank.
pub(crate) fn action_date(text: Option<&str>, today: NaiveDate) -> Result<NaiveDate, WebError> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => tianping_domain::dates::parse_date(t)
            .map_err(|e| invalid("date", format!("日期：{}", e.zh()))),
        None => Ok(today),
    }
}

/// What an audit entry is about: the module and the kind of record.
pub(crate) type Audited = (&'static str, &'static str);

/// The audit entry of a change by `user` (§0.7).
pub(crate) fn audit(
    user: &CurrentUser,
    state: &AppState,
    (module, entity): Audited,
    id: &str,
    kind: &str,
    action: &str,
    (before, after): (Value, Value),
) -> WorkflowAuditEntry {
    WorkflowAuditEntry {
        at: state.now_text(),
        actor: user.user.username.clone(),
        kind: kind.into(),
        module: module.into(),
        entity: entity.into(),
        entity_id: id.to_owned(),
        action: action.into(),
        before: before.to_string(),
        after: after.to_string(),
    }
}

/// A form's or a JSON body's fields as one row of the exchange file of `kind`: the cells in
/// the file's column order, by the columns' English names.
#[derive(Debug)]
pub(crate) struct FormRow {
    columns: Vec<TemplateColumn>,
    pub cells: Vec<String>,
}

impl FormRow {
    pub(crate) fn new(kind: Kind, body: &Map<String, Value>) -> FormRow {
        let text = |name: &str| -> String {
            match body.get(name) {
                Some(Value::String(s)) => s.trim().to_owned(),
                Some(Value::Bool(b)) => if *b { "是" } else { "否" }.to_owned(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            }
        };
        let columns = tianping_exchange::template_columns(kind);
        let cells = columns.iter().map(|c| text(c.name)).collect();
        FormRow { columns, cells }
    }

    fn at(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    pub(crate) fn get(&self, name: &str) -> &str {
        &self.cells[self.at(name)]
    }

    pub(crate) fn set(&mut self, name: &str, value: String) {
        let at = self.at(name);
        self.cells[at] = value;
    }

    /// Set `name` to `value` when the body left it blank.
    pub(crate) fn default(&mut self, name: &str, value: impl FnOnce() -> String) {
        if self.get(name).is_empty() {
            self.set(name, value());
        }
    }
}
