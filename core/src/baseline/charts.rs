//! Control charts: individuals / moving range, p and Laney p', EWMA with exact time-varying limits,
//! tabular CUSUM, and funnel limits for comparing units of different sizes.
//!
//! Every chart returns a [`ChartResult`]: per point the observed value, its standard error, its standardised
//! value `z` (the series that [`crate::baseline::rules`] reads), the plotted statistic with its centre and
//! limits, and the [`Signal`]s of the chart's own limit rule. Conventions (how the centre and sigma were
//! estimated, limit clipping, CUSUM reset) are named in `policies` and `estimation`.
//!
//! Constants for moving ranges of span 2 (standard normal X₁, X₂, R = |X₁ - X₂| ~ √2·|Z|):
//! d2 = E[R] = 2/√π = 1.1283791670955126, d3 = sd(R) = √(2 - 4/π) = 0.8525024664274217 (exact from
//! their integral definitions; the tabulated values 1.128 and 0.853 of ASTM / Montgomery Appendix VI agree).
//!
//! ```
//! use cxkpi::baseline::charts::{individuals_chart, IndividualsConfig};
//! let x = [10.0, 12.0, 11.0, 13.0, 12.0, 30.0];
//! // centre and sigma from the first five points (phase I), then monitor all six
//! let cfg = IndividualsConfig { reference: Some([0, 5]), ..Default::default() };
//! let chart = individuals_chart(&x, &cfg).unwrap();
//! assert_eq!(chart.center[0], 11.6);
//! assert_eq!(chart.signals.len(), 1);
//! assert_eq!(chart.signals[0].index, 5);
//! ```

use crate::baseline::arl::{self, ArlOptions, Sided};
use crate::baseline::signal::{BaselineInfo, Signal, SignalDirection};
use crate::error::{CxkpiError, Result};
use crate::stats::dist::normal_sf;
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// d2 for subgroups (moving ranges) of size 2: 2/√π.
pub const D2: f64 = std::f64::consts::FRAC_2_SQRT_PI;
/// d3 for subgroups (moving ranges) of size 2: √(2 - 4/π).
pub const D3: f64 = 0.8525024664274217;

/// A chart's points, limits and signals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartResult {
    /// `individuals`, `p`, `laney_p`, `ewma` or `cusum`.
    pub chart: String,
    /// Number of points.
    pub n_points: usize,
    /// The observation per point (KPI units; the share x/n for p charts).
    pub value: Vec<f64>,
    /// Standard deviation of one observation (σ; for p charts sqrt(p̄(1-p̄)/nᵢ), times σ_z for Laney).
    pub value_se: Vec<f64>,
    /// Standardised observation (value - centre) / value_se: the series run rules read.
    pub z: Vec<f64>,
    /// The plotted statistic (the value itself; the EWMA; the upper CUSUM C⁺ in KPI units).
    pub statistic: Vec<f64>,
    /// Lower CUSUM plotted downwards (-C⁻, KPI units); CUSUM only.
    pub statistic_lower: Option<Vec<f64>>,
    /// Centre line of the statistic (0 for CUSUM).
    pub center: Vec<f64>,
    /// Lower limit of the statistic (clipped to [0, 1] for p charts when `clip_limits`).
    pub lower: Vec<f64>,
    /// Upper limit of the statistic.
    pub upper: Vec<f64>,
    /// Moving ranges |xᵢ - xᵢ₋₁| (individuals only; first point null).
    pub moving_range: Option<Vec<Option<f64>>>,
    /// Upper limit of the moving-range chart, D4·MR̄ = (1 + 3·d3/d2)·MR̄ (individuals only).
    pub moving_range_upper: Option<f64>,
    /// Sample sizes (p charts).
    pub sizes: Option<Vec<f64>>,
    /// Signals of the chart's limit rule (run rules come from [`crate::baseline::rules`]).
    pub signals: Vec<Signal>,
    /// Chart parameters (l, lambda, k, h, ...).
    pub parameters: BTreeMap<String, f64>,
    /// How centre and sigma were obtained.
    pub estimation: Estimation,
    /// Named conventions used.
    pub policies: BTreeMap<String, String>,
    /// In-control false-alarm probability per point of the limit rule (1/ARL0 for EWMA and CUSUM, from the
    /// integral-equation ARL with fixed asymptotic limits).
    pub false_alarm_rate: Option<f64>,
}

/// Centre and sigma of a chart and where they came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimation {
    /// `given`, `phase_one_moving_range` (mean and MR̄/d2 of the reference window),
    /// `pooled_share` (Σx/Σn of the reference window) or a mix such as `given_mu_moving_range_sigma`.
    pub method: String,
    /// Half-open index window [start, end) used for estimation (all points when not given).
    pub reference: [usize; 2],
    /// Points used.
    pub n_used: usize,
    /// Centre (mean, or p̄ for p charts).
    pub mu: f64,
    /// Sigma of one observation (None for p charts: it varies with n).
    pub sigma: Option<f64>,
    /// Mean moving range of the reference window (of x, or of the z-scores for Laney p').
    pub mr_bar: Option<f64>,
    /// Laney's σ_z = MR̄(z)/d2 (Laney p' only).
    pub sigma_z: Option<f64>,
}

fn check_values(arg: &str, x: &[f64]) -> Result<()> {
    if x.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: arg.into() });
    }
    for (i, v) in x.iter().enumerate() {
        if v.is_nan() {
            return Err(CxkpiError::MissingValue {
                arg: arg.into(),
                index: i,
            });
        }
        if !v.is_finite() {
            return Err(CxkpiError::invalid(
                arg,
                format!("`{arg}[{i}]` = {v} is not finite"),
            ));
        }
    }
    Ok(())
}

fn check_l(l: f64) -> Result<()> {
    if l.is_finite() && l > 0.0 {
        Ok(())
    } else {
        Err(CxkpiError::invalid("l", format!("must be > 0, got {l}")))
    }
}

fn reference_window(reference: Option<[usize; 2]>, n: usize) -> Result<[usize; 2]> {
    match reference {
        None => Ok([0, n]),
        Some([a, b]) if a < b && b <= n => Ok([a, b]),
        Some([a, b]) => Err(CxkpiError::invalid(
            "reference",
            format!("[{a}, {b}) is not a non-empty window inside 0..{n}"),
        )),
    }
}

/// Mean and MR̄ of x[a..b] (MR̄ over consecutive pairs inside the window).
fn mean_and_mr(x: &[f64], w: [usize; 2]) -> (f64, Option<f64>) {
    let s = &x[w[0]..w[1]];
    let mean = NeumaierSum::of(s) / s.len() as f64;
    if s.len() < 2 {
        return (mean, None);
    }
    let mut mr = NeumaierSum::default();
    for i in 1..s.len() {
        mr.add((s[i] - s[i - 1]).abs());
    }
    (mean, Some(mr.value() / (s.len() - 1) as f64))
}

/// Centre and sigma from the config or the reference window.
fn phase_one(
    x: &[f64],
    mu: Option<f64>,
    sigma: Option<f64>,
    reference: Option<[usize; 2]>,
) -> Result<Estimation> {
    let w = reference_window(reference, x.len())?;
    if let Some(m) = mu {
        if !m.is_finite() {
            return Err(CxkpiError::invalid(
                "mu",
                format!("must be finite, got {m}"),
            ));
        }
    }
    if let Some(s) = sigma {
        if !(s.is_finite() && s > 0.0) {
            return Err(CxkpiError::invalid(
                "sigma",
                format!("must be > 0, got {s}"),
            ));
        }
    }
    // the window's mean and moving range only when a parameter is to be estimated (with both given, two
    // compensated passes over the series would be wasted)
    let (mean, mr) = if mu.is_some() && sigma.is_some() {
        (0.0, None)
    } else {
        mean_and_mr(x, w)
    };
    let sig = match sigma {
        Some(s) => s,
        None => {
            let mr = mr.ok_or_else(|| CxkpiError::InsufficientData {
                what: "a moving-range sigma estimate (reference window)".into(),
                n: (w[1] - w[0]) as u64,
                required: 2,
            })?;
            if mr <= 0.0 {
                return Err(CxkpiError::Unsupported {
                    message: format!(
                        "sigma estimate is 0: the reference window [{}, {}) is constant; give `sigma`",
                        w[0], w[1]
                    ),
                });
            }
            mr / D2
        }
    };
    let method = match (mu.is_some(), sigma.is_some()) {
        (true, true) => "given",
        (false, false) => "phase_one_moving_range",
        (true, false) => "given_mu_moving_range_sigma",
        (false, true) => "phase_one_mean_given_sigma",
    };
    let uses_window = mu.is_none() || sigma.is_none();
    Ok(Estimation {
        method: method.into(),
        reference: w,
        n_used: if uses_window { w[1] - w[0] } else { 0 },
        mu: mu.unwrap_or(mean),
        sigma: Some(sig),
        mr_bar: if sigma.is_none() { mr } else { None },
        sigma_z: None,
    })
}

fn baseline_info(method: &str, est: &Estimation, params: &BTreeMap<String, f64>) -> BaselineInfo {
    let mut p = params.clone();
    p.insert("reference_start".into(), est.reference[0] as f64);
    p.insert("reference_end".into(), est.reference[1] as f64);
    p.insert("mu".into(), est.mu);
    if let Some(s) = est.sigma {
        p.insert("sigma".into(), s);
    }
    BaselineInfo {
        method: format!("{method}:{}", est.method),
        parameters: p,
        excluded: Vec::new(),
        seasonal_adjustment: None,
    }
}

struct SignalParts<'a> {
    rule: &'a str,
    detector: &'a str,
    series: &'a Option<String>,
    params: &'a BTreeMap<String, f64>,
    baseline: &'a BaselineInfo,
    far: Option<f64>,
}

impl SignalParts<'_> {
    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        index: usize,
        points: Vec<usize>,
        value: f64,
        center: f64,
        sd: f64,
        n: Option<f64>,
        se: Option<f64>,
    ) -> Signal {
        let deviation = value - center;
        Signal {
            rule: self.rule.into(),
            parameters: self.params.clone(),
            detector: self.detector.into(),
            series: self.series.clone(),
            index,
            points,
            value,
            center,
            deviation,
            sigma: if sd > 0.0 { Some(deviation / sd) } else { None },
            n,
            se,
            false_alarm_rate: self.far,
            direction: if deviation > 0.0 {
                SignalDirection::Up
            } else if deviation < 0.0 {
                SignalDirection::Down
            } else {
                SignalDirection::Neither
            },
            baseline: self.baseline.clone(),
        }
    }
}

fn policies(items: &[(&str, &str)]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Individuals / moving range

/// Options of [`individuals_chart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IndividualsConfig {
    /// Limits at centre ± l·σ (default 3).
    pub l: f64,
    /// Known centre; else the mean of the reference window.
    pub mu: Option<f64>,
    /// Known sigma; else MR̄/d2 of the reference window.
    pub sigma: Option<f64>,
    /// Phase I window [start, end) (default: all points).
    pub reference: Option<[usize; 2]>,
    /// Series label copied into the signals.
    pub series: Option<String>,
}

impl Default for IndividualsConfig {
    fn default() -> Self {
        IndividualsConfig {
            l: 3.0,
            mu: None,
            sigma: None,
            reference: None,
            series: None,
        }
    }
}

impl IndividualsConfig {
    /// Checks `l`.
    pub fn validate(&self) -> Result<()> {
        check_l(self.l)
    }
}

/// Individuals (X) chart with its moving-range chart.
///
/// Centre μ and σ are given or estimated on the reference window (mean, MR̄/d2 with d2 = 2/√π); limits
/// μ ± l·σ; a point strictly outside is a `shewhart_limit` signal with false-alarm rate 2Φ(-l). The MR chart's
/// upper limit is D4·MR̄ = (1 + 3 d3/d2)·MR̄ (its lower limit is 0); it is reported, not signalled.
pub fn individuals_chart(x: &[f64], config: &IndividualsConfig) -> Result<ChartResult> {
    config.validate()?;
    check_values("x", x)?;
    let est = phase_one(x, config.mu, config.sigma, config.reference)?;
    let (mu, sigma) = (est.mu, est.sigma.unwrap_or(1.0));
    let n = x.len();
    let mut params = BTreeMap::new();
    params.insert("l".to_string(), config.l);
    let far = arl::shewhart_signal_probability(config.l, 0.0, Sided::Two);
    let base = baseline_info("individuals", &est, &params);
    let parts = SignalParts {
        rule: "shewhart_limit",
        detector: "individuals",
        series: &config.series,
        params: &params,
        baseline: &base,
        far: Some(far),
    };
    let (lo, hi) = (mu - config.l * sigma, mu + config.l * sigma);
    let mut signals = Vec::new();
    // columns as straight maps (vectorised), then the rare signals
    let z: Vec<f64> = x.iter().map(|&v| (v - mu) / sigma).collect();
    let mut mr = Vec::with_capacity(n);
    mr.push(None);
    mr.extend(x.windows(2).map(|w| Some((w[1] - w[0]).abs())));
    for (i, &v) in x.iter().enumerate() {
        if v > hi || v < lo {
            signals.push(parts.make(i, vec![i], v, mu, sigma, None, Some(sigma)));
        }
    }
    let mr_bar = est.mr_bar.unwrap_or(D2 * sigma);
    Ok(ChartResult {
        chart: "individuals".into(),
        n_points: n,
        value: x.to_vec(),
        value_se: vec![sigma; n],
        z,
        statistic: x.to_vec(),
        statistic_lower: None,
        center: vec![mu; n],
        lower: vec![lo; n],
        upper: vec![hi; n],
        moving_range: Some(mr),
        moving_range_upper: Some((1.0 + 3.0 * D3 / D2) * mr_bar),
        sizes: None,
        signals,
        parameters: params,
        estimation: est,
        policies: policies(&[("limit", "strictly_outside")]),
        false_alarm_rate: Some(far),
    })
}

// ---------------------------------------------------------------------------------------------------------
// p and Laney p'

/// Options of [`p_chart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PChartConfig {
    /// Limits at p̄ ± l·σᵢ (default 3).
    pub l: f64,
    /// Known centre share; else Σx/Σn over the reference window.
    pub p0: Option<f64>,
    /// Phase I window [start, end) (default: all points).
    pub reference: Option<[usize; 2]>,
    /// Laney p' (σᵢ inflated by σ_z = MR̄(z)/d2 of the reference window's z-scores); default false.
    pub laney: bool,
    /// Clip limits to [0, 1] (default true).
    pub clip_limits: bool,
    /// Series label copied into the signals.
    pub series: Option<String>,
}

impl Default for PChartConfig {
    fn default() -> Self {
        PChartConfig {
            l: 3.0,
            p0: None,
            reference: None,
            laney: false,
            clip_limits: true,
            series: None,
        }
    }
}

impl PChartConfig {
    /// Checks `l` and `p0`.
    pub fn validate(&self) -> Result<()> {
        check_l(self.l)?;
        if let Some(p) = self.p0 {
            if !(p > 0.0 && p < 1.0) {
                return Err(CxkpiError::invalid(
                    "p0",
                    format!("must lie strictly between 0 and 1, got {p}"),
                ));
            }
        }
        Ok(())
    }
}

fn check_counts(successes: &[f64], sizes: &[f64]) -> Result<()> {
    check_values("successes", successes)?;
    check_values("sizes", sizes)?;
    if successes.len() != sizes.len() {
        return Err(CxkpiError::LengthMismatch {
            arg: "successes".into(),
            len: successes.len(),
            other: "sizes".into(),
            other_len: sizes.len(),
        });
    }
    for (i, (&x, &n)) in successes.iter().zip(sizes).enumerate() {
        if n <= 0.0 {
            return Err(CxkpiError::invalid(
                "sizes",
                format!("`sizes[{i}]` = {n} must be > 0"),
            ));
        }
        if x < 0.0 || x > n {
            return Err(CxkpiError::invalid(
                "successes",
                format!("`successes[{i}]` = {x} must lie in [0, sizes[{i}] = {n}]"),
            ));
        }
    }
    Ok(())
}

/// p chart for shares with varying sample sizes, or Laney's p' chart (`laney = true`).
///
/// pᵢ = xᵢ/nᵢ, p̄ = p0 or Σx/Σn over the reference window, σᵢ = sqrt(p̄(1-p̄)/nᵢ); Laney (2002):
/// zᵢ = (pᵢ - p̄)/σᵢ, σ_z = MR̄(z over the reference window)/d2, limits p̄ ± l·σᵢ·σ_z. Limits are clipped to
/// [0, 1] by default (`clip_limits`). Reference: Montgomery, *Introduction to Statistical Quality Control*,
/// §7.2; Laney, D. B. (2002), "Improved control charts for attributes", Quality Engineering 14(4).
pub fn p_chart(successes: &[f64], sizes: &[f64], config: &PChartConfig) -> Result<ChartResult> {
    config.validate()?;
    check_counts(successes, sizes)?;
    let n = sizes.len();
    let w = reference_window(config.reference, n)?;
    let pbar = match config.p0 {
        Some(p) => p,
        None => {
            let x = NeumaierSum::of(&successes[w[0]..w[1]]);
            let m = NeumaierSum::of(&sizes[w[0]..w[1]]);
            x / m
        }
    };
    if !(pbar > 0.0 && pbar < 1.0) {
        return Err(CxkpiError::Unsupported {
            message: format!(
                "p chart: the centre share p̄ = {pbar} of the reference window [{}, {}) leaves no variation; give `p0`",
                w[0], w[1]
            ),
        });
    }
    let value: Vec<f64> = successes.iter().zip(sizes).map(|(x, m)| x / m).collect();
    let mut se: Vec<f64> = sizes
        .iter()
        .map(|m| (pbar * (1.0 - pbar) / m).sqrt())
        .collect();
    let mut z: Vec<f64> = value.iter().zip(&se).map(|(p, s)| (p - pbar) / s).collect();
    let (mut mr_bar, mut sigma_z) = (None, None);
    if config.laney {
        if w[1] - w[0] < 2 {
            return Err(CxkpiError::InsufficientData {
                what: "Laney p' (moving range of z-scores in the reference window)".into(),
                n: (w[1] - w[0]) as u64,
                required: 2,
            });
        }
        let mut s = NeumaierSum::default();
        for i in w[0] + 1..w[1] {
            s.add((z[i] - z[i - 1]).abs());
        }
        let mr = s.value() / (w[1] - w[0] - 1) as f64;
        let sz = mr / D2;
        if sz <= 0.0 {
            return Err(CxkpiError::Unsupported {
                message: "Laney p': sigma_z is 0 (all z-scores equal in the reference window)"
                    .into(),
            });
        }
        for i in 0..n {
            se[i] *= sz;
            z[i] /= sz;
        }
        mr_bar = Some(mr);
        sigma_z = Some(sz);
    }
    let chart = if config.laney { "laney_p" } else { "p" };
    let est = Estimation {
        method: if config.p0.is_some() {
            "given".into()
        } else {
            "pooled_share".into()
        },
        reference: w,
        n_used: if config.p0.is_some() && !config.laney {
            0
        } else {
            w[1] - w[0]
        },
        mu: pbar,
        sigma: None,
        mr_bar,
        sigma_z,
    };
    let mut params = BTreeMap::new();
    params.insert("l".to_string(), config.l);
    if let Some(s) = sigma_z {
        params.insert("sigma_z".to_string(), s);
    }
    let far = arl::shewhart_signal_probability(config.l, 0.0, Sided::Two);
    let base = baseline_info(chart, &est, &params);
    let parts = SignalParts {
        rule: "shewhart_limit",
        detector: chart,
        series: &config.series,
        params: &params,
        baseline: &base,
        far: Some(far),
    };
    let mut lower = Vec::with_capacity(n);
    let mut upper = Vec::with_capacity(n);
    let mut signals = Vec::new();
    for i in 0..n {
        let (mut lo, mut hi) = (pbar - config.l * se[i], pbar + config.l * se[i]);
        if config.clip_limits {
            lo = lo.max(0.0);
            hi = hi.min(1.0);
        }
        lower.push(lo);
        upper.push(hi);
        if value[i] > hi || value[i] < lo {
            signals.push(parts.make(
                i,
                vec![i],
                value[i],
                pbar,
                se[i],
                Some(sizes[i]),
                Some(se[i]),
            ));
        }
    }
    Ok(ChartResult {
        chart: chart.into(),
        n_points: n,
        statistic: value.clone(),
        value,
        value_se: se,
        z,
        statistic_lower: None,
        center: vec![pbar; n],
        lower,
        upper,
        moving_range: None,
        moving_range_upper: None,
        sizes: Some(sizes.to_vec()),
        signals,
        parameters: params,
        estimation: est,
        policies: policies(&[
            ("limit", "strictly_outside"),
            (
                "clip_limits",
                if config.clip_limits { "0_1" } else { "none" },
            ),
        ]),
        false_alarm_rate: Some(far),
    })
}

// ---------------------------------------------------------------------------------------------------------
// EWMA

/// Limits of an EWMA chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EwmaLimits {
    /// Exact limits μ ± L·σ·sqrt(λ/(2-λ)·(1-(1-λ)^(2t))) for point t = 1, 2, ...
    #[default]
    TimeVarying,
    /// Asymptotic limits μ ± L·σ·sqrt(λ/(2-λ)).
    Asymptotic,
}

/// Options of [`ewma_chart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EwmaConfig {
    /// Smoothing λ in (0, 1] (default 0.2).
    pub lambda: f64,
    /// Limit width L (default 3).
    pub l: f64,
    /// Known centre (also the EWMA start value z₀); else the reference-window mean.
    pub mu: Option<f64>,
    /// Known sigma; else MR̄/d2 of the reference window.
    pub sigma: Option<f64>,
    /// Phase I window [start, end) (default: all points).
    pub reference: Option<[usize; 2]>,
    /// `time_varying` (default) or `asymptotic`.
    pub limits: EwmaLimits,
    /// Series label copied into the signals.
    pub series: Option<String>,
}

impl Default for EwmaConfig {
    fn default() -> Self {
        EwmaConfig {
            lambda: 0.2,
            l: 3.0,
            mu: None,
            sigma: None,
            reference: None,
            limits: EwmaLimits::TimeVarying,
            series: None,
        }
    }
}

impl EwmaConfig {
    /// Checks λ and L.
    pub fn validate(&self) -> Result<()> {
        check_l(self.l)?;
        if !(self.lambda > 0.0 && self.lambda <= 1.0) {
            return Err(CxkpiError::invalid(
                "lambda",
                format!("must lie in (0, 1], got {}", self.lambda),
            ));
        }
        Ok(())
    }
}

/// EWMA chart: zₜ = λxₜ + (1-λ)zₜ₋₁, z₀ = μ, limits μ ± L·σ_zₜ with the exact
/// σ_zₜ = σ·sqrt(λ/(2-λ)·(1-(1-λ)^(2t))) (Montgomery §9.2) or the asymptotic width.
///
/// A signal (`ewma_limit`) is an EWMA strictly outside its limits; its value is the EWMA, its sigma the
/// EWMA's deviation in units of σ_zₜ. The false-alarm rate is 1/ARL0 of the fixed-limit chart (integral
/// equation, 40 Gauss-Legendre nodes; the time-varying limits make early false alarms slightly likelier).
pub fn ewma_chart(x: &[f64], config: &EwmaConfig) -> Result<ChartResult> {
    config.validate()?;
    check_values("x", x)?;
    let est = phase_one(x, config.mu, config.sigma, config.reference)?;
    let (mu, sigma) = (est.mu, est.sigma.unwrap_or(1.0));
    let lam = config.lambda;
    let n = x.len();
    let mut params = BTreeMap::new();
    params.insert("l".to_string(), config.l);
    params.insert("lambda".to_string(), lam);
    let far = arl::ewma_arl(lam, config.l, 0.0, &ArlOptions::default())
        .ok()
        .map(|a| 1.0 / a);
    let base = baseline_info("ewma", &est, &params);
    let parts = SignalParts {
        rule: "ewma_limit",
        detector: "ewma",
        series: &config.series,
        params: &params,
        baseline: &base,
        far,
    };
    let asym = lam / (2.0 - lam);
    let mut stat = Vec::with_capacity(n);
    let mut lower = Vec::with_capacity(n);
    let mut upper = Vec::with_capacity(n);
    let z: Vec<f64> = x.iter().map(|&v| (v - mu) / sigma).collect();
    let mut signals = Vec::new();
    let mut e = mu;
    let om = 1.0 - lam;
    let q = om * om;
    let mut qt = 1.0; // (1-λ)^(2t)
    let mut i = 0;
    // Time-varying limits while 1 - qt differs from 1; qt only decreases, so once 1 - qt is exactly 1 the
    // width sigma·sqrt(asym·(1 - qt)) is the constant sigma·sqrt(asym), the asymptotic width.
    while i < n && config.limits == EwmaLimits::TimeVarying && 1.0 - qt != 1.0 {
        e = lam * x[i] + om * e;
        qt *= q;
        let sd = sigma * (asym * (1.0 - qt)).sqrt();
        let (lo, hi) = (mu - config.l * sd, mu + config.l * sd);
        stat.push(e);
        lower.push(lo);
        upper.push(hi);
        if e > hi || e < lo {
            signals.push(parts.make(i, vec![i], e, mu, sd, None, Some(sd)));
        }
        i += 1;
    }
    let start = i;
    let sd = sigma * asym.sqrt();
    let (lo, hi) = (mu - config.l * sd, mu + config.l * sd);
    stat.extend(x[start..].iter().map(|&v| {
        e = lam * v + om * e;
        e
    }));
    lower.resize(n, lo);
    upper.resize(n, hi);
    for (i, &e) in stat.iter().enumerate().skip(start) {
        if e > hi || e < lo {
            signals.push(parts.make(i, vec![i], e, mu, sd, None, Some(sd)));
        }
    }
    Ok(ChartResult {
        chart: "ewma".into(),
        n_points: n,
        value: x.to_vec(),
        value_se: vec![sigma; n],
        z,
        statistic: stat,
        statistic_lower: None,
        center: vec![mu; n],
        lower,
        upper,
        moving_range: None,
        moving_range_upper: None,
        sizes: None,
        signals,
        parameters: params,
        estimation: est,
        policies: policies(&[
            (
                "limits",
                match config.limits {
                    EwmaLimits::TimeVarying => "time_varying",
                    EwmaLimits::Asymptotic => "asymptotic",
                },
            ),
            ("start", "z0_equals_mu"),
            ("limit", "strictly_outside"),
        ]),
        false_alarm_rate: far,
    })
}

// ---------------------------------------------------------------------------------------------------------
// CUSUM

/// What a CUSUM does after it signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CusumReset {
    /// The signalling side restarts from its head start (default; each signal is a new run).
    #[default]
    AfterSignal,
    /// Never reset: the sums keep accumulating and every point beyond h signals (qcc's display).
    None,
}

/// Options of [`cusum_chart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CusumConfig {
    /// Reference value k in sigma units (default 0.5: tuned to a 1-sigma shift).
    pub k: f64,
    /// Decision interval h in sigma units (default 4).
    pub h: f64,
    /// Fast-initial-response head start in sigma units (default 0; both sides start here).
    pub headstart: f64,
    /// Known target; else the reference-window mean.
    pub mu: Option<f64>,
    /// Known sigma; else MR̄/d2 of the reference window.
    pub sigma: Option<f64>,
    /// Phase I window [start, end) (default: all points).
    pub reference: Option<[usize; 2]>,
    /// `after_signal` (default) or `none`.
    pub reset: CusumReset,
    /// Series label copied into the signals.
    pub series: Option<String>,
}

impl Default for CusumConfig {
    fn default() -> Self {
        CusumConfig {
            k: 0.5,
            h: 4.0,
            headstart: 0.0,
            mu: None,
            sigma: None,
            reference: None,
            reset: CusumReset::AfterSignal,
            series: None,
        }
    }
}

impl CusumConfig {
    /// Checks k, h and the head start.
    pub fn validate(&self) -> Result<()> {
        if !(self.k.is_finite() && self.k >= 0.0) {
            return Err(CxkpiError::invalid(
                "k",
                format!("must be >= 0, got {}", self.k),
            ));
        }
        if !(self.h.is_finite() && self.h > 0.0) {
            return Err(CxkpiError::invalid(
                "h",
                format!("must be > 0, got {}", self.h),
            ));
        }
        if !(self.headstart >= 0.0 && self.headstart < self.h) {
            return Err(CxkpiError::invalid(
                "headstart",
                format!("must lie in [0, h = {}), got {}", self.h, self.headstart),
            ));
        }
        Ok(())
    }
}

/// Tabular CUSUM (Montgomery §9.1): C⁺ₜ = max(0, xₜ - (μ + Kσ... ) + C⁺ₜ₋₁) with K = kσ,
/// C⁻ₜ = max(0, (μ - kσ) - xₜ + C⁻ₜ₋₁); a side signals when its sum exceeds H = hσ (`cusum_upper`,
/// `cusum_lower`).
///
/// Each signal's `points` are the points since that side's sum last left 0 (N⁺ of them), its `value` is
/// Montgomery's estimate of the new mean μ + kσ + C⁺/N⁺ (μ - kσ - C⁻/N⁻ below), so `deviation` is the
/// estimated shift in KPI units and `sigma` that shift in σ. The false-alarm rate is 1/ARL0 of the
/// two-sided chart (integral equation, 30 nodes, Lucas-Crosier; without head start).
pub fn cusum_chart(x: &[f64], config: &CusumConfig) -> Result<ChartResult> {
    config.validate()?;
    check_values("x", x)?;
    let est = phase_one(x, config.mu, config.sigma, config.reference)?;
    let (mu, sigma) = (est.mu, est.sigma.unwrap_or(1.0));
    let n = x.len();
    let mut params = BTreeMap::new();
    params.insert("k".to_string(), config.k);
    params.insert("h".to_string(), config.h);
    params.insert("headstart".to_string(), config.headstart);
    let far = arl::cusum_arl(config.k, config.h, 0.0, &ArlOptions::default())
        .ok()
        .map(|a| 1.0 / a);
    let base = baseline_info("cusum", &est, &params);
    let up = SignalParts {
        rule: "cusum_upper",
        detector: "cusum",
        series: &config.series,
        params: &params,
        baseline: &base,
        far,
    };
    let down = SignalParts {
        rule: "cusum_lower",
        ..up
    };
    let (kk, hh, hs) = (config.k * sigma, config.h * sigma, config.headstart * sigma);
    let (mut cp, mut cm) = (hs, hs);
    // start index of the current excursion of each side
    let (mut sp, mut sm) = (0usize, 0usize);
    let mut stat = Vec::with_capacity(n);
    let mut stat_lo = Vec::with_capacity(n);
    let z: Vec<f64> = x.iter().map(|&v| (v - mu) / sigma).collect();
    let mut signals = Vec::new();
    for (i, &v) in x.iter().enumerate() {
        if cp <= 0.0 {
            sp = i;
        }
        if cm <= 0.0 {
            sm = i;
        }
        cp = (cp + v - mu - kk).max(0.0);
        cm = (cm + mu - kk - v).max(0.0);
        stat.push(cp);
        stat_lo.push(-cm);
        if cp > hh {
            let np = (i - sp + 1) as f64;
            let est_mean = mu + kk + cp / np;
            signals.push(up.make(
                i,
                (sp..=i).collect(),
                est_mean,
                mu,
                sigma,
                None,
                Some(sigma),
            ));
            if config.reset == CusumReset::AfterSignal {
                cp = hs;
                sp = i + 1;
            }
        }
        if cm > hh {
            let nm = (i - sm + 1) as f64;
            let est_mean = mu - kk - cm / nm;
            signals.push(down.make(
                i,
                (sm..=i).collect(),
                est_mean,
                mu,
                sigma,
                None,
                Some(sigma),
            ));
            if config.reset == CusumReset::AfterSignal {
                cm = hs;
                sm = i + 1;
            }
        }
    }
    Ok(ChartResult {
        chart: "cusum".into(),
        n_points: n,
        value: x.to_vec(),
        value_se: vec![sigma; n],
        z,
        statistic: stat,
        statistic_lower: Some(stat_lo),
        center: vec![0.0; n],
        lower: vec![-hh; n],
        upper: vec![hh; n],
        moving_range: None,
        moving_range_upper: None,
        sizes: None,
        signals,
        parameters: params,
        estimation: est,
        policies: policies(&[
            (
                "reset",
                match config.reset {
                    CusumReset::AfterSignal => "after_signal",
                    CusumReset::None => "none",
                },
            ),
            ("limit", "strictly_above_h"),
            ("units", "statistic_in_kpi_units"),
        ]),
        false_alarm_rate: far,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Funnel

/// How funnel limits are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FunnelMethod {
    /// p0 ± z·sqrt(φ·p0(1-p0)/n) (normal approximation; φ = 1 unless overdispersion is on).
    #[default]
    Normal,
    /// Exact binomial quantiles with Spiegelhalter's (2005) interpolation: r = qbinom(P, n, p0),
    /// α = (F(r) - P)/(F(r) - F(r-1)), limit = (r - α)/n. Requires whole-number sizes and no overdispersion.
    Binomial,
}

/// Overdispersion handling of a funnel plot (Spiegelhalter 2005, §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Overdispersion {
    /// φ = 1 (default).
    #[default]
    None,
    /// Multiplicative φ = mean of winsorised zᵢ² (normal method only), applied when φ > 1.
    Multiplicative,
}

/// Options of [`funnel`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FunnelConfig {
    /// Target share; else the pooled Σx/Σn.
    pub target: Option<f64>,
    /// Two-sided coverage of the limit bands (default [0.95, 0.998], Spiegelhalter's "2 and 3 sigma").
    pub levels: Vec<f64>,
    /// `normal` (default) or `binomial`.
    pub method: FunnelMethod,
    /// `none` (default) or `multiplicative`.
    pub overdispersion: Overdispersion,
    /// Fraction winsorised at each end of the z-scores before estimating φ (default 0.1).
    pub winsorize: f64,
    /// Unit labels (teams, agents), copied into the signals' `series`.
    pub labels: Option<Vec<String>>,
}

impl Default for FunnelConfig {
    fn default() -> Self {
        FunnelConfig {
            target: None,
            levels: vec![0.95, 0.998],
            method: FunnelMethod::Normal,
            overdispersion: Overdispersion::None,
            winsorize: 0.1,
            labels: None,
        }
    }
}

impl FunnelConfig {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        if let Some(p) = self.target {
            if !(p > 0.0 && p < 1.0) {
                return Err(CxkpiError::invalid(
                    "target",
                    format!("must lie strictly between 0 and 1, got {p}"),
                ));
            }
        }
        if self.levels.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "levels".into(),
            });
        }
        for &c in &self.levels {
            crate::options::check_confidence(c)?;
        }
        if !(0.0..0.5).contains(&self.winsorize) {
            return Err(CxkpiError::invalid(
                "winsorize",
                format!("must lie in [0, 0.5), got {}", self.winsorize),
            ));
        }
        if self.method == FunnelMethod::Binomial && self.overdispersion != Overdispersion::None {
            return Err(CxkpiError::Unsupported {
                message: "funnel: overdispersion is only offered with method = \"normal\"".into(),
            });
        }
        Ok(())
    }
}

/// One band of funnel limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelBand {
    /// Two-sided coverage, e.g. 0.998.
    pub level: f64,
    /// Standard normal quantile of (1 + level)/2.
    pub z: f64,
    /// Lower limit per unit (clipped at 0).
    pub lower: Vec<f64>,
    /// Upper limit per unit (clipped at 1).
    pub upper: Vec<f64>,
}

/// Funnel limits for units (agents, teams, regions) of different sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelResult {
    /// Share per unit.
    pub value: Vec<f64>,
    /// Sizes per unit.
    pub sizes: Vec<f64>,
    /// Target share.
    pub target: f64,
    /// `given` or `pooled_share`.
    pub target_method: String,
    /// `normal` or `binomial`.
    pub method: String,
    /// (pᵢ - p0)/sqrt(p0(1-p0)/nᵢ), before any overdispersion.
    pub z: Vec<f64>,
    /// Overdispersion factor used (1 without overdispersion).
    pub phi: f64,
    /// φ as estimated (mean winsorised z²), when overdispersion is on.
    pub phi_estimated: Option<f64>,
    /// Bands, in the order of `levels`.
    pub bands: Vec<FunnelBand>,
    /// Units strictly outside a band: one signal per unit, for the widest band it lies outside.
    pub signals: Vec<Signal>,
}

fn binom_cdf(r: f64, n: f64, p: f64) -> f64 {
    if r < 0.0 {
        0.0
    } else if r >= n {
        1.0
    } else {
        // P(X <= r) = I_{1-p}(n - r, r + 1)
        statrs::function::beta::beta_reg(n - r, r + 1.0, 1.0 - p)
    }
}

/// R's qbinom: smallest r with F(r) >= prob (with R's 64-ulp fuzz).
pub(crate) fn binom_quantile(prob: f64, n: f64, p: f64) -> f64 {
    let target = prob * (1.0 - 64.0 * f64::EPSILON);
    let (mut lo, mut hi) = (0.0f64, n);
    if binom_cdf(0.0, n, p) >= target {
        return 0.0;
    }
    // F(lo) < target <= F(hi)
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if binom_cdf(mid, n, p) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

fn binomial_limit(prob: f64, n: f64, p: f64) -> f64 {
    let r = binom_quantile(prob, n, p);
    let fr = binom_cdf(r, n, p);
    let fr1 = binom_cdf(r - 1.0, n, p);
    let alpha = if fr > fr1 {
        (fr - prob) / (fr - fr1)
    } else {
        0.0
    };
    ((r - alpha) / n).clamp(0.0, 1.0)
}

/// Funnel limits (Spiegelhalter 2005, "Funnel plots for comparing institutional performance", Statistics
/// in Medicine 24) for shares xᵢ/nᵢ of units of different sizes against a target p0.
///
/// ```
/// use cxkpi::baseline::charts::{funnel, FunnelConfig};
/// let f = funnel(&[45.0, 300.0, 20.0], &[100.0, 500.0, 80.0], &FunnelConfig::default()).unwrap();
/// assert_eq!(f.target, 365.0 / 680.0);
/// assert_eq!(f.bands.len(), 2);
/// ```
pub fn funnel(successes: &[f64], sizes: &[f64], config: &FunnelConfig) -> Result<FunnelResult> {
    config.validate()?;
    check_counts(successes, sizes)?;
    let m = sizes.len();
    if let Some(l) = &config.labels {
        if l.len() != m {
            return Err(CxkpiError::LengthMismatch {
                arg: "labels".into(),
                len: l.len(),
                other: "sizes".into(),
                other_len: m,
            });
        }
    }
    if config.method == FunnelMethod::Binomial {
        if let Some(i) = sizes.iter().position(|n| n.fract() != 0.0) {
            return Err(CxkpiError::NonInteger {
                arg: "sizes".into(),
                index: i,
                value: sizes[i],
            });
        }
    }
    let (p0, target_method) = match config.target {
        Some(t) => (t, "given"),
        None => (
            NeumaierSum::of(successes) / NeumaierSum::of(sizes),
            "pooled_share",
        ),
    };
    if !(p0 > 0.0 && p0 < 1.0) {
        return Err(CxkpiError::Unsupported {
            message: format!("funnel: target share {p0} leaves no variation; give `target`"),
        });
    }
    let value: Vec<f64> = successes.iter().zip(sizes).map(|(x, n)| x / n).collect();
    let se: Vec<f64> = sizes.iter().map(|n| (p0 * (1.0 - p0) / n).sqrt()).collect();
    let z: Vec<f64> = value.iter().zip(&se).map(|(p, s)| (p - p0) / s).collect();
    let (phi, phi_est) = match config.overdispersion {
        Overdispersion::None => (1.0, None),
        Overdispersion::Multiplicative => {
            let mut s = z.clone();
            s.sort_by(|a, b| a.total_cmp(b));
            let g = (config.winsorize * m as f64).floor() as usize;
            if 2 * g >= m {
                return Err(CxkpiError::InsufficientData {
                    what: "funnel overdispersion (winsorised z-scores)".into(),
                    n: m as u64,
                    required: (2 * g + 1) as u64,
                });
            }
            let (lo, hi) = (s[g], s[m - 1 - g]);
            let mut acc = NeumaierSum::default();
            for v in &z {
                let w = v.clamp(lo, hi);
                acc.add(w * w);
            }
            let est = acc.value() / m as f64;
            (est.max(1.0), Some(est))
        }
    };
    let mut bands = Vec::with_capacity(config.levels.len());
    for &level in &config.levels {
        let zq = arl::normal_upper_quantile((1.0 - level) / 2.0);
        let (mut lower, mut upper) = (Vec::with_capacity(m), Vec::with_capacity(m));
        for i in 0..m {
            match config.method {
                FunnelMethod::Normal => {
                    let w = zq * (phi.sqrt() * se[i]);
                    lower.push((p0 - w).max(0.0));
                    upper.push((p0 + w).min(1.0));
                }
                FunnelMethod::Binomial => {
                    lower.push(binomial_limit((1.0 - level) / 2.0, sizes[i], p0));
                    upper.push(binomial_limit((1.0 + level) / 2.0, sizes[i], p0));
                }
            }
        }
        bands.push(FunnelBand {
            level,
            z: zq,
            lower,
            upper,
        });
    }
    // signals: for each unit the widest band (largest level) it lies outside
    let mut order: Vec<usize> = (0..bands.len()).collect();
    order.sort_by(|&a, &b| bands[b].level.total_cmp(&bands[a].level));
    let est = Estimation {
        method: target_method.into(),
        reference: [0, m],
        n_used: m,
        mu: p0,
        sigma: None,
        mr_bar: None,
        sigma_z: None,
    };
    let mut signals = Vec::new();
    for i in 0..m {
        if let Some(&b) = order
            .iter()
            .find(|&&b| value[i] > bands[b].upper[i] || value[i] < bands[b].lower[i])
        {
            let mut params = BTreeMap::new();
            params.insert("level".to_string(), bands[b].level);
            params.insert("z".to_string(), bands[b].z);
            params.insert("phi".to_string(), phi);
            let base = baseline_info("funnel", &est, &params);
            let series = config.labels.as_ref().map(|l| l[i].clone());
            let parts = SignalParts {
                rule: "funnel_limit",
                detector: "funnel",
                series: &series,
                params: &params,
                baseline: &base,
                far: Some(1.0 - bands[b].level),
            };
            let sd = phi.sqrt() * se[i];
            signals.push(parts.make(i, vec![i], value[i], p0, sd, Some(sizes[i]), Some(sd)));
        }
    }
    Ok(FunnelResult {
        value,
        sizes: sizes.to_vec(),
        target: p0,
        target_method: target_method.into(),
        method: match config.method {
            FunnelMethod::Normal => "normal",
            FunnelMethod::Binomial => "binomial",
        }
        .into(),
        z,
        phi,
        phi_estimated: phi_est,
        bands,
        signals,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Fused monitor

/// Options of [`monitor`]: one call computing the individuals limit rule, the run rules, an EWMA and a
/// two-sided CUSUM on the same standardised series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitorConfig {
    /// In-control mean (required: phase I happens before monitoring; see [`individuals_chart`]).
    pub mu: f64,
    /// In-control sigma of one point (required, > 0).
    pub sigma: f64,
    /// Shewhart limit in sigma (default 3).
    pub l: f64,
    /// EWMA smoothing (default 0.2).
    pub lambda: f64,
    /// EWMA limit width (default 3; exact time-varying limits).
    pub ewma_l: f64,
    /// CUSUM reference value (sigma units, default 0.5).
    pub k: f64,
    /// CUSUM decision interval (sigma units, default 4; reset after a signal).
    pub h: f64,
    /// Run rules to evaluate.
    pub rules: crate::baseline::rules::RulesConfig,
    /// How many hits to keep (in index order; counts are always complete). Default 1000.
    pub max_hits: usize,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        MonitorConfig {
            mu: 0.0,
            sigma: 1.0,
            l: 3.0,
            lambda: 0.2,
            ewma_l: 3.0,
            k: 0.5,
            h: 4.0,
            rules: crate::baseline::rules::RulesConfig::default(),
            max_hits: 1000,
        }
    }
}

impl MonitorConfig {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        check_l(self.l)?;
        if !self.mu.is_finite() {
            return Err(CxkpiError::invalid(
                "mu",
                format!("must be finite, got {}", self.mu),
            ));
        }
        if !(self.sigma.is_finite() && self.sigma > 0.0) {
            return Err(CxkpiError::invalid(
                "sigma",
                format!("must be > 0, got {}", self.sigma),
            ));
        }
        EwmaConfig {
            lambda: self.lambda,
            l: self.ewma_l,
            ..Default::default()
        }
        .validate()?;
        CusumConfig {
            k: self.k,
            h: self.h,
            ..Default::default()
        }
        .validate()
    }
}

/// One hit of [`monitor`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorHit {
    /// Rule id (`shewhart_limit`, `ewma_limit`, `cusum_upper`, `cusum_lower` or a run-rule id).
    pub rule: String,
    /// Index of the point.
    pub index: usize,
}

/// Counts and first hits of [`monitor`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorSummary {
    /// Points processed.
    pub n_points: usize,
    /// Hits per rule id (every enabled rule listed, zero included).
    pub counts: BTreeMap<String, u64>,
    /// The first `max_hits` hits in index order.
    pub hits: Vec<MonitorHit>,
    /// True when more hits occurred than were kept.
    pub truncated: bool,
    /// Final EWMA (KPI units).
    pub ewma: f64,
    /// Final upper and lower CUSUM sums (KPI units, both >= 0).
    pub cusum: [f64; 2],
}

const MONITOR_EXTRA: [&str; 4] = ["shewhart_limit", "ewma_limit", "cusum_upper", "cusum_lower"];

/// Individuals limits, run rules, EWMA and CUSUM over `x` with no allocation per point (only the kept hits
/// allocate). Anhøj rules are evaluated at the end on the whole series.
///
/// Two passes, run side by side on long series (rayon), each exact on its own: the run rules and the
/// Shewhart limit evaluated bit-parallel on blocks of 64 points (the same hits as the point-by-point
/// [`crate::baseline::rules::RuleState`]), and the EWMA and CUSUM recurrences in their serial order. The
/// result does not depend on the number of threads: the passes share nothing, and their hit lists are
/// merged in (index, rule) order.
///
/// ```
/// use cxkpi::baseline::charts::{monitor, MonitorConfig};
/// let x: Vec<f64> = (0..100).map(|i| if i < 80 { (i % 5) as f64 - 2.0 } else { 3.5 }).collect();
/// let s = monitor(&x, &MonitorConfig { sigma: 1.5, ..Default::default() }).unwrap();
/// assert!(s.counts["cusum_upper"] > 0);
/// ```
pub fn monitor(x: &[f64], config: &MonitorConfig) -> Result<MonitorSummary> {
    use crate::baseline::rules::{self, block_rules, RULE_IDS};
    config.validate()?;
    if x.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: "x".into() });
    }
    let enabled = config.rules.mask();
    let (mu, inv) = (config.mu, 1.0 / config.sigma);
    let cap = config.max_hits;
    // The run rules (with the Shewhart limit and the NaN check) and the EWMA/CUSUM recurrences read the
    // series independently: two passes, run side by side on long series. Each is exact on its own and
    // neither depends on how the work is scheduled.
    let rules_pass = || block_rules(x, mu, inv, config.l, &config.rules, cap);
    let chain_pass = || ewma_cusum_pass(x, config, cap);
    let (r, c) = if x.len() >= PARALLEL_MIN_POINTS {
        rayon::join(rules_pass, chain_pass)
    } else {
        (rules_pass(), chain_pass())
    };
    if let Some(i) = r.nan_at {
        return Err(CxkpiError::MissingValue {
            arg: "x".into(),
            index: i,
        });
    }
    let mut counts = [0u64; 18];
    for (b, n) in counts.iter_mut().enumerate() {
        *n = r.counts[b] + c.counts[b];
    }
    let total: u64 = counts.iter().sum();
    let truncated = total > cap as u64;
    // both hit lists are the first `cap` of their own rules in (index, bit) order: merge them
    let mut hits: Vec<(u8, usize)> = Vec::with_capacity(r.hits.len() + c.hits.len());
    let (mut a, mut b) = (r.hits.iter().peekable(), c.hits.iter().peekable());
    while hits.len() < cap {
        let next = match (a.peek(), b.peek()) {
            (Some(&&p), Some(&&q)) => {
                if (p.1, p.0) < (q.1, q.0) {
                    a.next();
                    p
                } else {
                    b.next();
                    q
                }
            }
            (Some(&&p), None) => {
                a.next();
                p
            }
            (None, Some(&&q)) => {
                b.next();
                q
            }
            (None, None) => break,
        };
        hits.push(next);
    }
    let an = r.anhoej;
    let n_use = an.useful;
    if enabled & (1 << 12) != 0 && n_use > 0 && an.longest_run > rules::anhoej_run_limit(n_use) {
        counts[12] += 1;
        hits.push((12, an.longest_run_end));
    }
    if enabled & (1 << 13) != 0 && n_use >= 2 && an.crossings < rules::anhoej_crossings_limit(n_use)
    {
        counts[13] += 1;
        hits.push((13, x.len() - 1));
    }
    let name = |b: usize| {
        if b < 14 {
            RULE_IDS[b]
        } else {
            MONITOR_EXTRA[b - 14]
        }
    };
    let mut map = BTreeMap::new();
    for (b, &n) in counts.iter().enumerate() {
        if b >= 14 || enabled & (1 << b) != 0 {
            map.insert(name(b).to_string(), n);
        }
    }
    Ok(MonitorSummary {
        n_points: x.len(),
        counts: map,
        hits: hits
            .into_iter()
            .map(|(b, i)| MonitorHit {
                rule: name(b as usize).into(),
                index: i,
            })
            .collect(),
        truncated,
        ewma: mu + c.e * config.sigma,
        cusum: [c.cp * config.sigma, c.cm * config.sigma],
    })
}

/// Series shorter than this are monitored on the calling thread only.
const PARALLEL_MIN_POINTS: usize = 1 << 15;

/// Output of [`ewma_cusum_pass`].
struct ChainOut {
    /// Hits per bit (15 EWMA, 16 and 17 CUSUM upper and lower).
    counts: [u64; 18],
    /// The first `cap` of those hits as (bit, index), in index then bit order.
    hits: Vec<(u8, usize)>,
    /// Final EWMA of z.
    e: f64,
    /// Final upper and lower CUSUM of z.
    cp: f64,
    cm: f64,
}

/// Constants of the EWMA and CUSUM recurrences of [`monitor`].
#[derive(Clone, Copy)]
struct ChainParams {
    mu: f64,
    inv: f64,
    lam: f64,
    om: f64,
    q: f64,
    /// L²·λ/(2-λ): the limit is `l2a * (1 - qt)`, evaluated left to right as in L²·λ/(2-λ)·(1-qt).
    l2a: f64,
    k: f64,
    h: f64,
}

/// Running values of the recurrences (z units) and qt = (1-λ)^(2t).
#[derive(Clone, Copy)]
struct ChainState {
    e: f64,
    cp: f64,
    cm: f64,
    qt: f64,
}

/// One block (at most 64 points) while 1 - qt differs from 1 (the limit still changes with t). Returns
/// the EWMA, CUSUM-upper and CUSUM-lower signal words of the block.
#[inline(never)]
fn chain_block_warmup(xs: &[f64], p: ChainParams, s: &mut ChainState) -> [u64; 3] {
    let (mut e, mut cp, mut cm, mut qt) = (s.e, s.cp, s.cm, s.qt);
    let (mut fe, mut fp, mut fm) = (0u64, 0u64, 0u64);
    for (j, &v) in xs.iter().enumerate() {
        let z = (v - p.mu) * p.inv;
        e = p.lam * z + p.om * e;
        if qt > 0.0 {
            qt *= p.q;
        }
        fe |= ((e * e > p.l2a * (1.0 - qt)) as u64) << j;
        cp = (cp + z - p.k).max(0.0);
        cm = (cm - z - p.k).max(0.0);
        let up = cp > p.h;
        let dn = cm > p.h;
        fp |= (up as u64) << j;
        fm |= (dn as u64) << j;
        if up {
            cp = 0.0;
        }
        if dn {
            cm = 0.0;
        }
    }
    *s = ChainState { e, cp, cm, qt };
    [fe, fp, fm]
}

/// One block (at most 64 points) once 1 - qt is exactly 1: (1-λ)^(2t) only decreases, so it stays 1 and
/// the limit is the constant `l2a * 1.0` (qt itself no longer matters). A separate function without calls,
/// so the recurrences stay in registers; the resets are loop exits (branches), not selects on the critical
/// path.
#[inline(never)]
fn chain_block_steady(xs: &[f64], p: ChainParams, s: &mut ChainState) -> [u64; 3] {
    let (mut e, mut cp, mut cm) = (s.e, s.cp, s.cm);
    let thr = p.l2a * 1.0;
    let (mut fe, mut fp, mut fm) = (0u64, 0u64, 0u64);
    let n = xs.len();
    let mut j = 0;
    while j < n {
        while j < n {
            let z = (xs[j] - p.mu) * p.inv;
            e = p.lam * z + p.om * e;
            fe |= ((e * e > thr) as u64) << j;
            cp = (cp + z - p.k).max(0.0);
            cm = (cm - z - p.k).max(0.0);
            j += 1;
            if (cp > p.h) | (cm > p.h) {
                break;
            }
        }
        if cp > p.h {
            fp |= 1 << (j - 1);
            cp = 0.0;
        }
        if cm > p.h {
            fm |= 1 << (j - 1);
            cm = 0.0;
        }
    }
    s.e = e;
    s.cp = cp;
    s.cm = cm;
    [fe, fp, fm]
}

/// The EWMA and CUSUM recurrences of [`monitor`] on z = (x - mu) * inv: e = λz + (1-λ)e with the exact
/// time-varying limit e² > L²·λ/(2-λ)·(1-(1-λ)^(2t)); C⁺ = max(C⁺ + z - k, 0), C⁻ = max(C⁻ - z - k, 0), each
/// reset to 0 after exceeding h. Serial dependency chains, evaluated in exactly this order.
fn ewma_cusum_pass(x: &[f64], config: &MonitorConfig, cap: usize) -> ChainOut {
    let lam = config.lambda;
    let om = 1.0 - lam;
    let asym = lam / (2.0 - lam);
    let l2 = config.ewma_l * config.ewma_l;
    let p = ChainParams {
        mu: config.mu,
        inv: 1.0 / config.sigma,
        lam,
        om,
        q: om * om,
        l2a: l2 * asym,
        k: config.k,
        h: config.h,
    };
    let mut st = ChainState {
        e: 0.0,
        cp: 0.0,
        cm: 0.0,
        qt: 1.0,
    };
    let mut out = ChainOut {
        counts: [0; 18],
        hits: Vec::new(),
        e: 0.0,
        cp: 0.0,
        cm: 0.0,
    };
    // Blocks of 64 points; a block's signals are bit words, and the (rare) hits are listed after it.
    for (bi, xs) in x.chunks(64).enumerate() {
        let words = if 1.0 - st.qt != 1.0 {
            chain_block_warmup(xs, p, &mut st)
        } else {
            chain_block_steady(xs, p, &mut st)
        };
        let any = words[0] | words[1] | words[2];
        if any != 0 {
            for (c, w) in out.counts[15..].iter_mut().zip(&words) {
                *c += w.count_ones() as u64;
            }
            let mut g = any;
            while g != 0 && out.hits.len() < cap {
                let j = g.trailing_zeros();
                g &= g - 1;
                for (b, w) in (15u8..).zip(&words) {
                    if (w >> j) & 1 == 1 && out.hits.len() < cap {
                        out.hits.push((b, bi * 64 + j as usize));
                    }
                }
            }
        }
    }
    out.e = st.e;
    out.cp = st.cp;
    out.cm = st.cm;
    out
}

/// In-control probability that a normal point lies strictly outside ±l: 2Φ(-l) (helper for docs).
pub fn two_sided_tail(l: f64) -> f64 {
    2.0 * normal_sf(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d2_d3_from_definitions() {
        assert_eq!(D2, 2.0 / std::f64::consts::PI.sqrt());
        assert!((D3 - (2.0 - 4.0 / std::f64::consts::PI).sqrt()).abs() < 1e-16);
    }
}
