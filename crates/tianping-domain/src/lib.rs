//! Tianping's court domain (法院业务领域), pure: no IO, no async, no database types.
//!
//! The pieces a court clerk's question passes through first:
//! - [`case_number`]: 案号, parsed, validated and normalized;
//! - [`type_code`]: 类型代字 from the official table, with class, instance and time-limit rule;
//! - [`court`]: 法院代字 and the court hierarchy;
//! - [`calendar`]: the State Council holiday calendar (法定节假日与调休);
//! - [`time_limit`]: statutory time limits (审限) and the deadline of a case.
//!
//! And [`clock`]: the courts' calendar day (China Standard Time), the one module that reads the
//! time, behind a trait that tests fix.
#![forbid(unsafe_code)]

pub mod access;
pub mod calendar;
pub mod case_number;
pub mod clock;
pub mod court;
pub mod dates;
pub mod period;
pub mod record;
pub mod time_limit;
pub mod type_code;

pub use calendar::HolidayCalendar;
pub use case_number::{CaseNumber, CaseNumberError, CaseNumberPart};
pub use court::{CourtCode, CourtLevel, CourtTable};
pub use record::{CaseRecord, ClosingMode, CourtRecord, EventKind, EventRecord, Money};
pub use time_limit::{LimitRule, Procedure};
pub use type_code::{CaseClass, Instance, TypeCode};
