//! The common record every detector (chart rule, changepoint confirmation, screen) emits, and that
//! [`crate::baseline::alerts`] turns into an explained, escalated alert.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which way a signal points relative to its centre line or baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalDirection {
    /// Above the centre line / baseline.
    Up,
    /// Below the centre line / baseline.
    Down,
    /// No single direction (e.g. a run of alternation, a drift statistic, unusually low variance).
    Neither,
}

/// How the baseline (centre line) that a signal is measured against was computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BaselineInfo {
    /// Method name, e.g. `"ewma"`, `"rolling_mean"`, `"stl"`, `"phase_one_mean"`.
    pub method: String,
    /// Named numeric parameters of the method (window, lambda, period, ...).
    pub parameters: BTreeMap<String, f64>,
    /// Indices of the points that were excluded from the baseline (event windows, missing days).
    pub excluded: Vec<usize>,
    /// Seasonal adjustment applied, if any (e.g. `"stl(period=7)"`).
    pub seasonal_adjustment: Option<String>,
}

/// One detection: the rule that fired, its parameters, where and by how much, and the points that
/// formed the pattern. Every field is data so that an alert can explain itself in any language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Stable rule id, e.g. `"western_electric_1"`, `"nelson_3"`, `"anhoej_runs"`, `"cusum_upper"`,
    /// `"ewma_limit"`, `"level_shift"`, `"top_box_inflation"`.
    pub rule: String,
    /// The rule's parameters (L, k, h, lambda, run length, ...).
    pub parameters: BTreeMap<String, f64>,
    /// Chart or detector that produced it, e.g. `"individuals"`, `"p"`, `"ewma"`, `"cusum"`.
    pub detector: String,
    /// Series / segment / unit label the signal belongs to, when known.
    pub series: Option<String>,
    /// Index of the point at which the rule fired.
    pub index: usize,
    /// Indices of the points that formed the pattern (ascending).
    pub points: Vec<usize>,
    /// Observed value (KPI units) at `index`.
    pub value: f64,
    /// Centre line / expected value at `index` (KPI units).
    pub center: f64,
    /// `value - center`, in KPI units.
    pub deviation: f64,
    /// Deviation in standard deviations (sigma of the chart at `index`), when defined.
    pub sigma: Option<f64>,
    /// Sample size behind the point, when known.
    pub n: Option<f64>,
    /// Standard error of the point, when known.
    pub se: Option<f64>,
    /// The rule's in-control false-alarm probability per point (or 1 / ARL0), when known.
    pub false_alarm_rate: Option<f64>,
    /// Direction of the signal.
    pub direction: SignalDirection,
    /// How the baseline was computed.
    pub baseline: BaselineInfo,
}
