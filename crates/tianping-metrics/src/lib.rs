//! Tianping's computations over case data held in memory: the columnar snapshot, the indicator
//! engine and deadline lists. Pure: no IO, no async, no database types.
#![forbid(unsafe_code)]

pub mod assess;
mod cache;
pub mod catalogue;
pub mod deadlines;
pub mod documents;
pub mod indicators;
pub mod scope;
pub mod signals;
pub mod snapshot;

pub use indicators::{
    GroupBy, IndicatorQuery, IndicatorRow, Indicators, JudgeFilter, compute, compute_for_judge,
};
pub use scope::{CaseFilter, CaseScope, CaseState, DeadlineFilter, ScopedCases};
pub use snapshot::{CaseBookBuilder, Snapshot};
