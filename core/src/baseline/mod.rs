//! Dynamic baselines, control charts, anomaly and manipulation screens, drift between sources, and
//! alerts that explain themselves.
//!
//! - Series and baselines: [`series`] (daily series with explicit missing days), [`decompose`] (classical
//!   additive / multiplicative decomposition), [`stl`] (STL and MSTL with presets reproducing R `stl` and
//!   statsmodels `STL`), [`expected`] (EWMA, rolling mean / median, seasonal naive and decomposition-based
//!   expected values with a band), [`events`] (event calendar and per-event baseline policies),
//!   [`changepoint`] (level shifts), [`significance`] (period-over-period moves in plain words).
//! - Control charts: [`charts`] (individuals / moving range, p and Laney p', EWMA, tabular CUSUM, funnel
//!   limits), [`rules`] (Western Electric, Nelson, Anhøj), [`arl`] (average run lengths and thresholds
//!   calibrated to a false-alarm budget).
//! - Screens and alerts: [`drift`] (PSI, KS, Jensen-Shannon, chi-square with Cramér's V), [`screens`]
//!   (manipulation screens reported as evidence, never as a verdict), [`alerts`] (escalation ladder as
//!   configuration), built on the common [`signal::Signal`] that every detector emits.

pub mod signal;

pub mod changepoint;
pub mod decompose;
pub mod events;
pub mod expected;
pub mod series;
pub mod significance;
pub mod stl;

pub mod arl;
pub mod charts;
pub mod rules;

pub mod alerts;
pub mod drift;
pub mod screens;

pub use signal::{BaselineInfo, Signal, SignalDirection};
