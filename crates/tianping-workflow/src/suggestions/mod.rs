//! Judicial suggestions (司法建议), `workflows.md` §3: numbering, the path from draft through
//! the 审判委员会 and the president's signature to issue, service and reply, the reply deadline
//! and the indicators with the 一月一题 table.

pub mod actions;
pub mod documents;
pub mod import;
pub mod indicators;
pub mod limits;
pub mod model;

pub use actions::{Action, act};
pub use indicators::{GroupBy, IndicatorQuery, SuggestionIndicators};
pub use limits::{SuggestionSettings, due_rows, reply_deadline};
pub use model::{State, Suggestion, normalize_number, state_at};
