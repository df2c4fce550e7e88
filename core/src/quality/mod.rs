//! Data quality: declarative response validation with a full exclusion account, privacy protection of
//! grouped outputs (minimum group size, complementary suppression, role-based view policies) and the
//! reconciliation of two sources of the same KPI.
//!
//! * [`RuleSet`] / [`validate`]: a serde rule set (JSON or TOML) over the columns of a response table;
//!   the result is a keep mask and, for every excluded row, the first rule (in declared order) that
//!   excluded it and every rule it failed, with totals by rule. Nothing is dropped silently and applying
//!   the rules to the kept rows excludes nothing more.
//! * [`suppress_one_way`] / [`suppress_two_way`]: small-cell suppression with complementary cells so that
//!   no suppressed cell can be recovered from a row or column total; [`ViewPolicy`]: which roles may see
//!   which grouping levels and fields.
//! * [`reconcile`]: per period and group, the divergence of two sources, its significance given the n on
//!   each side, and since when they diverge.
//!
//! Formats and conventions are documented in `docs/data-quality.md`.
//!
//! ```
//! use cxkpi::quality::{validate, Column, ResponseTable, RuleSet};
//! let rules = RuleSet::from_toml(r#"
//!     [[rules]]
//!     id = "scale"
//!     kind = "out_of_scale"
//!     columns = ["nps"]
//!     min = 0
//!     max = 10
//!     [[rules]]
//!     id = "speeders"
//!     kind = "speeder"
//!     duration = "seconds"
//!     min_seconds = 30
//! "#).unwrap();
//! let nps = [9.0, 11.0, 7.0, 10.0];
//! let secs = [200.0, 150.0, 12.0, 25.0];
//! let mut table = ResponseTable::new(4);
//! table.add("nps", Column::Num(&nps)).unwrap();
//! table.add("seconds", Column::Num(&secs)).unwrap();
//! let v = validate(&rules, &table).unwrap();
//! assert_eq!(v.keep, vec![true, false, false, false]);
//! assert_eq!(v.totals[0].n_excluded, 1); // row 1: 11 is outside 0..10
//! assert_eq!(v.totals[1].n_excluded, 2); // rows 2 and 3 are too fast
//! ```

// option_enum! types cannot derive Default (the macro fixes the derive list).
#![allow(clippy::needless_range_loop, clippy::derivable_impls)]

pub mod json;
mod privacy;
mod reconcile;
mod validate;

pub use privacy::{
    suppress_one_way, suppress_two_way, CellStatus, RoleView, SuppressionOptions,
    SuppressionResult, ViewDecision, ViewPolicy, ZeroCells,
};
pub use reconcile::{
    reconcile, DivergenceRule, GroupDivergence, KpiKind, ReconcileOptions, ReconcileRow,
    Reconciliation, ShareTest, SourceRecord, Unmatched,
};
pub use validate::{
    parse_instant, validate, Column, ExcludedRow, KeepPolicy, ResponseTable, Rule, RuleSet,
    RuleTotal, Validation, ValidationReport,
};
