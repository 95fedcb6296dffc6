//! Pre-litigation and specially-invited mediation (诉前调解 / 委派 / 申请 / 委托 / 特邀调解,
//! `workflows.md` §1): the records, their states, their time limits and the indicators.

pub mod actions;
pub mod documents;
pub mod export;
pub mod import;
pub mod indicators;
pub mod limits;
pub mod model;

pub use actions::{ActError, Action, act};
pub use indicators::{GroupBy, IndicatorQuery, IndicatorRow, KindFilter, MediationIndicators};
pub use limits::{DueRow, MediationSettings, due_rows, mediation_deadline};
pub use model::{
    Mediation, MediationEvent, MediationKind, MediationOrg, Mediator, Outcome, State, state_at,
};
