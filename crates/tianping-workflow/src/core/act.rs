//! What taking an action shares across the modules (`workflows.md` §0.8): why an action is
//! refused (409 not from this state, 403 without the duty, 422 a value breaking a rule), and the
//! fields an action changed, as the audit records them (§0.7).

use serde::Serialize;
use serde_json::{Map, Value};

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ActError {
    /// 409: not from this state.
    #[error("cannot {action} from {state}（当前状态“{state_zh}”不能执行此操作）")]
    NotAllowed {
        action: &'static str,
        action_zh: &'static str,
        state: &'static str,
        state_zh: &'static str,
    },
    /// 403: the actor lacks the duty, or the record is not theirs.
    #[error("{0}")]
    Forbidden(String),
    /// 422 (exit 2): a value breaks a rule.
    #[error("{field}：{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
}

impl ActError {
    /// The message in Chinese alone, for the web (the command line keeps `cannot ACTION from
    /// STATE`, the contract of workflows.md §0.8).
    pub fn message_zh(&self) -> String {
        match self {
            ActError::NotAllowed {
                action_zh,
                state_zh,
                ..
            } => format!("当前状态“{state_zh}”不能执行“{action_zh}”"),
            other => other.to_string(),
        }
    }
}

/// A 422 refusal of `field`.
pub fn invalid(field: &'static str, message: impl Into<String>) -> ActError {
    ActError::Invalid {
        field,
        message: message.into(),
    }
}

/// The fields of `after` that differ from `before` (both serialized to objects): the old values
/// and the new ones, as the audit keeps them.
pub fn changed_fields<T: Serialize>(
    before: &T,
    after: &T,
) -> (Map<String, Value>, Map<String, Value>) {
    let to_map = |v: &T| match serde_json::to_value(v) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let (b, a) = (to_map(before), to_map(after));
    let (mut old, mut new) = (Map::new(), Map::new());
    for (k, v) in &a {
        if b.get(k) != Some(v) {
            old.insert(k.clone(), b.get(k).cloned().unwrap_or(Value::Null));
            new.insert(k.clone(), v.clone());
        }
    }
    (old, new)
}
