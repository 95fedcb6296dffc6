//! What every workflow module shares (`workflows.md` §0).

pub mod act;
pub mod compare;
pub mod days;
pub mod due;
pub mod duties;
pub mod figures;
pub mod person_id;
pub mod rows;
pub mod settings;
pub mod status;
pub mod tags;
pub mod yuan;

pub use compare::{Compare, base_period, change};
pub use days::{ObligationDeadline, add_working_days, obligation_deadline};
pub use duties::{Actor, Duty};
pub use person_id::{PersonId, PersonIdError, check_person_id, mask};
pub use status::{ItemStatus, status_at};
