//! Governance: a registry of versioned, effective-dated metric and survey-instrument definitions (status,
//! owner, approver, change reason), the definition in force on any date, result stamps with the definition
//! version and lineage, retirement that keeps history readable, and bridges across instrument changes.
//!
//! Effective dates are half-open intervals `[effective_from, effective_to)`: a version is in force from its
//! first day up to, not including, `effective_to`, so a successor that starts on that same day does not
//! overlap it. Overlapping non-draft versions of one id are an error. Formats: `docs/governance.md`.
//!
//! ```
//! use cxkpi::governance::{Lineage, Registry};
//! let reg = Registry::from_toml(r#"
//!     [[definitions]]
//!     id = "csat"
//!     kind = "metric"
//!     version = 1
//!     effective_from = "2025-01-01"
//!     status = "active"
//!     owner = "cx-analytics"
//!     approver = "head-of-cx"
//!     spec = { top_box = [4, 5], scale = "1-5" }
//! "#).unwrap();
//! let lineage = Lineage { source_systems: vec!["survey-tool".into()], ..Default::default() };
//! let stamp = reg.stamp("csat", "2026-03-31", lineage).unwrap();
//! assert_eq!(stamp.version, 1);
//! ```

// option_enum! types cannot derive Default (the macro fixes the derive list).
#![allow(clippy::derivable_impls)]

mod bridge;
pub mod json;
mod registry;

pub use bridge::{Bridge, BridgeMethod, BridgePoint, BridgedPoint, BridgedSeries};
pub use registry::{
    parse_date, Definition, DefinitionKind, ExclusionApplied, Lineage, Lookup, Registry,
    Retirement, Stamp, Status,
};
