//! The workflow modules (`../shared/domain/workflows.md`) on one shared core. This crate is pure:
//! no IO, no clock, no database. [`core`] holds what all eight modules share (§0 of the
//! specification): day counting on the holiday calendar (D1-D5), the deadline of an obligation
//! with its steps, the status of an item against its deadline at an as-of date, the base period
//! of a comparison (同比 / 环比) and the change against it, and the check characters of person
//! identifiers. Each module is a folder of its own on this core.
#![forbid(unsafe_code)]

pub mod core;
pub mod enforcement;
pub mod mediation;
pub mod petitions;
pub mod refunds;
pub mod suggestions;
