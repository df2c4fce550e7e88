//! # cxkpi
//!
//! Customer-experience KPIs computed exactly, fast and explainably: NPS, CSAT (top-box), CES and mean
//! scores, churn and retention, sentiment shares — weighted or not, with standard errors, intervals,
//! comparisons, sample-size planning, grouped computation and mergeable partials. The same core runs
//! behind the Python and Node bindings, so the same inputs give bit-identical numbers in all three.
//!
//! ```
//! use cxkpi::{nps, NpsOptions};
//! let scores = [10.0, 9.0, 8.0, 6.0, 10.0, f64::NAN, 3.0, 9.0];
//! let r = nps(&scores, None, &NpsOptions::default()).unwrap();
//! println!("NPS {:+.1} [{:+.1}, {:+.1}] n = {} ({} missing)", r.nps, r.lower, r.upper, r.n, r.n_missing);
//! assert_eq!(r.n_missing, 1);
//! ```
//!
//! Conventions (each one a named, switchable policy) are listed in `docs/metrics.md`.
//!
//! ## From the README
#![doc = include_str!("../../README.md")]

pub mod baseline;
pub mod composite;
pub mod error;
pub mod governance;
pub mod incentive;
pub mod metrics;
pub mod options;
pub mod quality;
pub mod scale;
pub mod stats;
pub mod text;
pub mod weighting;

pub use error::{CxkpiError, Result};
pub use metrics::*;
pub use options::Options;
pub use scale::{Direction, MissingPolicy, Scale};

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The examples of `docs/rust.md`, run as doc tests so the guide cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../../docs/rust.md")]
pub struct RustGuide;

/// The examples of `docs/weighting.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/weighting.md")]
pub struct WeightingGuide;

/// The examples of `docs/incentives.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/incentives.md")]
pub struct IncentivesGuide;

/// The examples of `docs/scorecard.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/scorecard.md")]
pub struct ScorecardGuide;

/// The examples of `docs/baselines.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/baselines.md")]
pub struct BaselinesGuide;

/// The examples of `docs/control-charts.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/control-charts.md")]
pub struct ControlChartsGuide;

/// The examples of `docs/alerts.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/alerts.md")]
pub struct AlertsGuide;

/// The examples of `docs/data-quality.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/data-quality.md")]
pub struct DataQualityGuide;

/// The examples of `docs/governance.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/governance.md")]
pub struct GovernanceGuide;

/// The examples of `docs/text.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/text.md")]
pub struct TextGuide;

/// The examples of `docs/statistics.md`, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/statistics.md")]
pub struct StatisticsGuide;
