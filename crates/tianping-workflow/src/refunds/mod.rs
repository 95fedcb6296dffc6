//! Court-fee refunds (诉讼费退费, `workflows.md` §4): the refunds a court owes when a judgment,
//! ruling or mediation document takes effect (诉讼费用交纳办法 art. 53 ¶2: "人民法院应当自法律文书
//! 生效之日起15日内退还有关当事人"), each with its statutory reason, paid in full or in part, or
//! waived by the payee (民诉解释 art. 207).

pub mod actions;
pub mod documents;
pub mod import;
pub mod indicators;
pub mod limits;
pub mod model;

pub use actions::{Action, act};
pub use indicators::{GroupBy, IndicatorQuery, RefundIndicators};
pub use limits::{RefundSettings, due_rows, refund_deadline};
pub use model::{FeeRefund, State, state_at};
