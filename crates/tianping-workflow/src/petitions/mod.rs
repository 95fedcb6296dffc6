//! Petitions (信访, 涉诉信访), `workflows.md` §2: registration at the reception desk, the time
//! limits of the 信访工作条例 (2022), matters and repeat petitions, links to cases (诉访分离) and
//! the indicators with 三降两升.

pub mod actions;
pub mod documents;
pub mod import;
pub mod indicators;
pub mod limits;
pub mod matters;
pub mod model;

pub use actions::{Action, act};
pub use indicators::{GroupBy, IndicatorQuery, IndicatorRow, PetitionIndicators, Sources};
pub use limits::{PetitionSettings, due_rows};
pub use matters::{MatterView, assign_matters, matter_views, repeats};
pub use model::{AckDecision, Channel, Matter, Petition, State, state_at};
