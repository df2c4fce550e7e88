//! Average run lengths (ARL) of Shewhart, EWMA and tabular CUSUM charts, and thresholds calibrated to a
//! false-alarm budget.
//!
//! All ARLs are for independent normal observations standardised to mean 0 and sd 1 in control; `shift`
//! is the out-of-control mean in sd units (0 gives ARL0, anything else ARL1).
//!
//! - Shewhart: closed form, ARL = 1 / P(signal), P = Φ(-L-δ) + Φ(-L+δ) (two-sided).
//! - EWMA (two-sided, fixed asymptotic limits ±L·sqrt(λ/(2-λ))): the ARL integral equation of Crowder
//!   (1987) solved by Nyström's method with Gauss-Legendre nodes (as R `spc::xewma.arl`, whose `r` is our
//!   `nodes`), or the Markov chain of Lucas & Saccucci (1990) / Brook & Evans (1972) with `states` states.
//! - CUSUM (tabular, reference value k, decision interval h, both in sd units): the integral equation of
//!   Page (1954) with its atom at 0, solved by Nyström / Gauss-Legendre (`spc::xcusum.arl(method = "igl")`),
//!   or the Brook & Evans (1972) Markov chain (`method = "mc"`); two-sided via the Lucas & Crosier (1982)
//!   relation 1/ARL = 1/ARL⁺ + 1/ARL⁻.
//! - Calibration: from K charts checked T times a period and a budget of B false alarms a period (expected
//!   count) or a family-wise probability, the in-control ARL0 each chart needs, and the L or h that gives it
//!   (closed form for Shewhart, bisection on the ARL for EWMA and CUSUM), with the achieved ARL0.
//!
//! ```
//! use cxkpi::baseline::arl::{shewhart_arl, Sided};
//! // 3-sigma Shewhart chart: ARL0 = 1 / (2 Φ(-3)) = 370.398...
//! let arl0 = shewhart_arl(3.0, 0.0, Sided::Two).unwrap();
//! assert!((arl0 - 370.3983473395).abs() < 1e-6);
//! ```

use crate::error::{CxkpiError, Result};
use crate::stats::dist::normal_sf;
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// One- or two-sided chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sided {
    /// Upper side only (signals on increases).
    One,
    /// Both sides.
    #[default]
    Two,
}

/// Numerical method of an EWMA or CUSUM ARL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ArlMethod {
    /// Integral equation solved by Nyström's method on Gauss-Legendre nodes (R spc `igl`).
    #[default]
    IntegralEquation,
    /// Markov-chain approximation (Brook & Evans 1972; Lucas & Saccucci 1990 for EWMA).
    MarkovChain,
}

impl ArlMethod {
    fn name(self) -> &'static str {
        match self {
            ArlMethod::IntegralEquation => "integral_equation",
            ArlMethod::MarkovChain => "markov_chain",
        }
    }
}

/// Options of the EWMA and CUSUM ARL computations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ArlOptions {
    /// `integral_equation` (default) or `markov_chain`.
    pub method: ArlMethod,
    /// Quadrature nodes (integral equation; spc's `r`: 40 for EWMA, 30 for CUSUM) or Markov-chain states.
    /// `None` takes 40 (EWMA) / 30 (CUSUM) nodes, or 101 (EWMA) / 100 (CUSUM) states.
    pub nodes: Option<usize>,
    /// `two` (default) or `one` (upper side; CUSUM only).
    pub sided: Sided,
}

impl Default for ArlOptions {
    fn default() -> Self {
        ArlOptions {
            method: ArlMethod::IntegralEquation,
            nodes: None,
            sided: Sided::Two,
        }
    }
}

impl ArlOptions {
    /// Checks the node count.
    pub fn validate(&self) -> Result<()> {
        if let Some(n) = self.nodes {
            if !(4..=2000).contains(&n) {
                return Err(CxkpiError::invalid(
                    "nodes",
                    format!("must lie in 4..=2000, got {n}"),
                ));
            }
        }
        Ok(())
    }
}

fn phi(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Φ(x) through the accurate erfc (lower tail).
fn cdf(x: f64) -> f64 {
    normal_sf(-x)
}

fn finite(arg: &str, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CxkpiError::invalid(arg, format!("must be finite, got {v}")))
    }
}

fn positive(arg: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(CxkpiError::invalid(arg, format!("must be > 0, got {v}")))
    }
}

/// Gauss-Legendre nodes and weights on `[a, b]` (Newton iteration on the Legendre polynomial).
pub fn gauss_legendre(n: usize, a: f64, b: f64) -> (Vec<f64>, Vec<f64>) {
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    let m = n.div_ceil(2);
    let (xm, xl) = (0.5 * (b + a), 0.5 * (b - a));
    for i in 0..m {
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
        let mut dp = 1.0;
        for _ in 0..100 {
            let (mut p1, mut p2) = (1.0, 0.0);
            for j in 1..=n {
                let p3 = p2;
                p2 = p1;
                p1 = ((2.0 * j as f64 - 1.0) * z * p2 - (j as f64 - 1.0) * p3) / j as f64;
            }
            dp = n as f64 * (z * p1 - p2) / (z * z - 1.0);
            let z1 = z;
            z = z1 - p1 / dp;
            if (z - z1).abs() <= 1e-15 {
                break;
            }
        }
        x[i] = xm - xl * z;
        x[n - 1 - i] = xm + xl * z;
        w[i] = 2.0 * xl / ((1.0 - z * z) * dp * dp);
        w[n - 1 - i] = w[i];
    }
    (x, w)
}

/// Solves (I - Q) g = 1 for the expected steps to absorption; `q` is row-major n×n.
fn absorb(n: usize, q: Vec<f64>) -> Result<DVector<f64>> {
    let mut m = DMatrix::<f64>::from_row_slice(n, n, &q);
    m.neg_mut();
    for i in 0..n {
        m[(i, i)] += 1.0;
    }
    let ones = DVector::<f64>::from_element(n, 1.0);
    m.lu().solve(&ones).ok_or_else(|| CxkpiError::Unsupported {
        message: "ARL: the run-length system is singular (chart never signals)".into(),
    })
}

fn check_arl(arl: f64) -> Result<f64> {
    if arl.is_finite() && arl >= 1.0 - 1e-9 {
        Ok(arl)
    } else {
        Err(CxkpiError::Unsupported {
            message: format!(
                "ARL is not finite or below 1 ({arl}); the limits are too wide for double precision"
            ),
        })
    }
}

/// ARL of a Shewhart chart with limits ±`l` sd for a mean shift of `shift` sd (closed form).
///
/// Two-sided: 1 / (Φ(-l - shift) + Φ(-l + shift)); one-sided (upper): 1 / Φ(-l + shift).
pub fn shewhart_arl(l: f64, shift: f64, sided: Sided) -> Result<f64> {
    positive("l", l)?;
    finite("shift", shift)?;
    let p = shewhart_signal_probability(l, shift, sided);
    if p <= 0.0 {
        return Err(CxkpiError::Unsupported {
            message: format!("P(signal) underflows at l = {l}"),
        });
    }
    Ok(1.0 / p)
}

/// Probability that one point falls outside the Shewhart limits.
pub fn shewhart_signal_probability(l: f64, shift: f64, sided: Sided) -> f64 {
    match sided {
        Sided::Two => normal_sf(l - shift) + normal_sf(l + shift),
        Sided::One => normal_sf(l - shift),
    }
}

/// ARL of a two-sided EWMA chart with smoothing `lambda` and fixed asymptotic limits
/// ±`l`·sqrt(λ/(2-λ)), started at the centre line, for a mean shift `shift` (sd units).
///
/// Same parametrisation as R `spc::xewma.arl(l = lambda, c = l, mu = shift, sided = "two")`.
///
/// ```
/// use cxkpi::baseline::arl::{ewma_arl, ArlOptions};
/// // R: spc::xewma.arl(0.1, 2.814, 0, sided = "two") (40 nodes)
/// let arl0 = ewma_arl(0.1, 2.814, 0.0, &ArlOptions::default()).unwrap();
/// assert!(arl0 > 490.0 && arl0 < 510.0);
/// ```
pub fn ewma_arl(lambda: f64, l: f64, shift: f64, options: &ArlOptions) -> Result<f64> {
    options.validate()?;
    if !(lambda > 0.0 && lambda <= 1.0) {
        return Err(CxkpiError::invalid(
            "lambda",
            format!("must lie in (0, 1], got {lambda}"),
        ));
    }
    positive("l", l)?;
    finite("shift", shift)?;
    if options.sided == Sided::One {
        return Err(CxkpiError::Unsupported {
            message: "EWMA ARL: only the two-sided chart is implemented (sided = \"two\")".into(),
        });
    }
    let c = l * (lambda / (2.0 - lambda)).sqrt();
    let arl = match options.method {
        ArlMethod::IntegralEquation => {
            let n = options.nodes.unwrap_or(40);
            let (z, w) = gauss_legendre(n, -c, c);
            let mut q = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..n {
                    q[i * n + j] =
                        w[j] / lambda * phi((z[j] - (1.0 - lambda) * z[i]) / lambda - shift);
                }
            }
            let g = absorb(n, q)?;
            let mut s = 1.0;
            for j in 0..n {
                s += w[j] / lambda * phi(z[j] / lambda - shift) * g[j];
            }
            s
        }
        ArlMethod::MarkovChain => {
            let mut n = options.nodes.unwrap_or(101);
            if n.is_multiple_of(2) {
                n += 1; // odd, so that the centre line is a state's midpoint
            }
            let d = 2.0 * c / n as f64;
            let mid = |i: usize| -c + (i as f64 + 0.5) * d;
            let mut q = vec![0.0; n * n];
            for i in 0..n {
                let from = (1.0 - lambda) * mid(i);
                for j in 0..n {
                    let hi = (mid(j) + 0.5 * d - from) / lambda - shift;
                    let lo = (mid(j) - 0.5 * d - from) / lambda - shift;
                    q[i * n + j] = cdf(hi) - cdf(lo);
                }
            }
            let g = absorb(n, q)?;
            g[n / 2]
        }
    };
    check_arl(arl)
}

/// ARL of the upper one-sided tabular CUSUM with reference value `k` and decision interval `h` (sd units),
/// started at 0, for a mean shift `shift`.
fn cusum_upper_arl(
    k: f64,
    h: f64,
    shift: f64,
    method: ArlMethod,
    nodes: Option<usize>,
) -> Result<f64> {
    match method {
        ArlMethod::IntegralEquation => {
            // L(x) = 1 + L(0) Φ(k - x - μ) + ∫_0^h L(y) φ(y - x + k - μ) dy; unknowns L(z_1..z_n), L(0).
            let n = nodes.unwrap_or(30);
            let (z, w) = gauss_legendre(n, 0.0, h);
            let m = n + 1;
            let mut q = vec![0.0; m * m];
            for i in 0..m {
                let x = if i < n { z[i] } else { 0.0 };
                for j in 0..n {
                    q[i * m + j] = w[j] * phi(z[j] - x + k - shift);
                }
                q[i * m + n] = cdf(k - x - shift);
            }
            let g = absorb(m, q)?;
            Ok(g[n])
        }
        ArlMethod::MarkovChain => {
            // Brook & Evans: r states, width w = 2h/(2r-1), state i at i·w; state 0 = [0, w/2).
            let r = nodes.unwrap_or(100);
            let w = 2.0 * h / (2.0 * r as f64 - 1.0);
            let mut q = vec![0.0; r * r];
            for i in 0..r {
                let c = i as f64 * w;
                q[i * r] = cdf(0.5 * w - c + k - shift);
                for j in 1..r {
                    let hi = (j as f64 + 0.5) * w - c + k - shift;
                    let lo = (j as f64 - 0.5) * w - c + k - shift;
                    q[i * r + j] = cdf(hi) - cdf(lo);
                }
            }
            let g = absorb(r, q)?;
            Ok(g[0])
        }
    }
}

/// ARL of a tabular CUSUM with reference value `k` and decision interval `h` (both in sd units), started
/// at 0 (no head start), for a mean shift `shift` (sd units).
///
/// One-sided (upper) as R `spc::xcusum.arl(k, h, mu = shift, sided = "one", method = "igl" | "mc", r)`;
/// two-sided by the Lucas & Crosier (1982) relation 1/ARL = 1/ARL⁺(δ) + 1/ARL⁺(-δ).
///
/// ```
/// use cxkpi::baseline::arl::{cusum_arl, ArlOptions, Sided};
/// let opts = ArlOptions { sided: Sided::One, ..ArlOptions::default() };
/// // k = 0.5, h = 5: ARL0 ≈ 930.9 (Montgomery, Table 9.3 gives 938.2 by Siegmund's approximation)
/// let arl0 = cusum_arl(0.5, 5.0, 0.0, &opts).unwrap();
/// assert!(arl0 > 900.0 && arl0 < 960.0);
/// ```
pub fn cusum_arl(k: f64, h: f64, shift: f64, options: &ArlOptions) -> Result<f64> {
    options.validate()?;
    if !(k.is_finite() && k >= 0.0) {
        return Err(CxkpiError::invalid("k", format!("must be >= 0, got {k}")));
    }
    positive("h", h)?;
    finite("shift", shift)?;
    let up = cusum_upper_arl(k, h, shift, options.method, options.nodes)?;
    let arl = match options.sided {
        Sided::One => up,
        Sided::Two => {
            let down = cusum_upper_arl(k, h, -shift, options.method, options.nodes)?;
            1.0 / (1.0 / up + 1.0 / down)
        }
    };
    check_arl(arl)
}

/// One ARL request as data (what the Python and Node `average_run_length` functions take).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ArlQuery {
    /// `shewhart` (default), `ewma` or `cusum`.
    pub chart: CalibratedChart,
    /// Limit width L (Shewhart, EWMA; default 3).
    pub l: f64,
    /// EWMA smoothing (default 0.2).
    pub lambda: f64,
    /// CUSUM reference value (default 0.5).
    pub k: f64,
    /// CUSUM decision interval (default 4).
    pub h: f64,
    /// Mean shift in sd units (default 0: ARL0).
    pub shift: f64,
    /// `two` (default) or `one`.
    pub sided: Sided,
    /// `integral_equation` (default) or `markov_chain` (EWMA, CUSUM).
    pub method: ArlMethod,
    /// Nodes or states (see [`ArlOptions::nodes`]).
    pub nodes: Option<usize>,
}

impl Default for ArlQuery {
    fn default() -> Self {
        ArlQuery {
            chart: CalibratedChart::Shewhart,
            l: 3.0,
            lambda: 0.2,
            k: 0.5,
            h: 4.0,
            shift: 0.0,
            sided: Sided::Two,
            method: ArlMethod::IntegralEquation,
            nodes: None,
        }
    }
}

/// The answer to an [`ArlQuery`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArlResult {
    /// Average run length.
    pub arl: f64,
    /// 1 / arl: the per-point signal probability of an equivalent geometric run length.
    pub signal_rate: f64,
    /// `shewhart`, `ewma` or `cusum`.
    pub chart: String,
    /// `closed_form` or the ARL method with its node count.
    pub method: String,
    /// `one` or `two`.
    pub sided: String,
    /// The shift (sd units).
    pub shift: f64,
}

/// Runs an [`ArlQuery`].
///
/// ```
/// use cxkpi::baseline::arl::{run_length, ArlQuery, CalibratedChart};
/// let q = ArlQuery { chart: CalibratedChart::Cusum, k: 0.5, h: 4.0, ..Default::default() };
/// let r = run_length(&q).unwrap();
/// assert!(r.arl > 160.0 && r.arl < 175.0); // two-sided k = 0.5, h = 4: about 168
/// ```
pub fn run_length(q: &ArlQuery) -> Result<ArlResult> {
    let opts = ArlOptions {
        method: q.method,
        nodes: q.nodes,
        sided: q.sided,
    };
    let (arl, method, chart) = match q.chart {
        CalibratedChart::Shewhart => (
            shewhart_arl(q.l, q.shift, q.sided)?,
            "closed_form".to_string(),
            "shewhart",
        ),
        CalibratedChart::Ewma => (
            ewma_arl(q.lambda, q.l, q.shift, &opts)?,
            method_name(&opts, true),
            "ewma",
        ),
        CalibratedChart::Cusum => (
            cusum_arl(q.k, q.h, q.shift, &opts)?,
            method_name(&opts, false),
            "cusum",
        ),
    };
    Ok(ArlResult {
        arl,
        signal_rate: 1.0 / arl,
        chart: chart.into(),
        method,
        sided: match q.sided {
            Sided::One => "one",
            Sided::Two => "two",
        }
        .into(),
        shift: q.shift,
    })
}

/// How a false-alarm budget is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BudgetPolicy {
    /// `false_alarms` is the expected number of false alarms per period across all charts:
    /// ARL0 = charts × checks_per_period / false_alarms.
    #[default]
    ExpectedCount,
    /// `false_alarms` is the probability of at least one false alarm per period across all charts; each check
    /// then may alarm with α = 1 - (1 - p)^(1 / (charts × checks_per_period)) and ARL0 = 1/α (geometric
    /// run length, exact for Shewhart, an approximation for EWMA / CUSUM).
    Familywise,
}

/// Which chart to calibrate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CalibratedChart {
    /// Shewhart limits ±L sd (individuals, p).
    #[default]
    Shewhart,
    /// EWMA with `lambda`; solve for L.
    Ewma,
    /// Tabular CUSUM with `k`; solve for h.
    Cusum,
}

/// A false-alarm budget and the chart to calibrate to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalibrationConfig {
    /// `shewhart` (default), `ewma` or `cusum`.
    pub chart: CalibratedChart,
    /// Number of charts monitored (K), e.g. 2000 segments.
    pub charts: f64,
    /// Checks (points) per chart per period, e.g. 30 daily checks a month.
    pub checks_per_period: f64,
    /// Allowed false alarms per period (expected count, default 1) or family-wise probability.
    pub false_alarms: f64,
    /// `expected_count` (default) or `familywise`.
    pub policy: BudgetPolicy,
    /// EWMA smoothing (default 0.2).
    pub lambda: f64,
    /// CUSUM reference value in sd units (default 0.5).
    pub k: f64,
    /// Shift (sd units) at which ARL1 is reported (default 1).
    pub shift: f64,
    /// ARL method and resolution for EWMA / CUSUM; `sided` applies to all three charts.
    pub arl: ArlOptions,
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        CalibrationConfig {
            chart: CalibratedChart::Shewhart,
            charts: 1.0,
            checks_per_period: 1.0,
            false_alarms: 1.0,
            policy: BudgetPolicy::ExpectedCount,
            lambda: 0.2,
            k: 0.5,
            shift: 1.0,
            arl: ArlOptions::default(),
        }
    }
}

impl CalibrationConfig {
    /// Checks every field.
    pub fn validate(&self) -> Result<()> {
        positive("charts", self.charts)?;
        positive("checks_per_period", self.checks_per_period)?;
        positive("false_alarms", self.false_alarms)?;
        if self.policy == BudgetPolicy::Familywise && self.false_alarms >= 1.0 {
            return Err(CxkpiError::invalid(
                "false_alarms",
                format!(
                    "a family-wise probability must lie in (0, 1), got {}",
                    self.false_alarms
                ),
            ));
        }
        if !(self.lambda > 0.0 && self.lambda <= 1.0) {
            return Err(CxkpiError::invalid(
                "lambda",
                format!("must lie in (0, 1], got {}", self.lambda),
            ));
        }
        if !(self.k.is_finite() && self.k >= 0.0) {
            return Err(CxkpiError::invalid(
                "k",
                format!("must be >= 0, got {}", self.k),
            ));
        }
        finite("shift", self.shift)?;
        self.arl.validate()?;
        if self.chart == CalibratedChart::Ewma && self.arl.sided == Sided::One {
            return Err(CxkpiError::Unsupported {
                message: "EWMA calibration: only the two-sided chart is implemented".into(),
            });
        }
        Ok(())
    }

    /// The in-control ARL0 each chart needs under the budget.
    pub fn target_arl0(&self) -> f64 {
        let checks = self.charts * self.checks_per_period;
        match self.policy {
            BudgetPolicy::ExpectedCount => checks / self.false_alarms,
            BudgetPolicy::Familywise => {
                // α = 1 - (1-p)^(1/checks), via log1p / expm1 for small p
                let alpha = -((-self.false_alarms).ln_1p() / checks).exp_m1();
                1.0 / alpha
            }
        }
    }
}

/// The threshold that meets a false-alarm budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// `shewhart`, `ewma` or `cusum`.
    pub chart: String,
    /// `expected_count` or `familywise`.
    pub policy: String,
    /// The ARL0 each chart needs.
    pub target_arl0: f64,
    /// 1 / target_arl0: the allowed false-alarm rate per check per chart.
    pub per_check_rate: f64,
    /// The threshold: L (Shewhart, EWMA; sd units of the point / asymptotic EWMA sd) or h (CUSUM, sd units).
    pub threshold: f64,
    /// `l` or `h`.
    pub threshold_name: String,
    /// The ARL0 at `threshold` (equals the target up to the root finder's tolerance, 1e-12 relative).
    pub arl0: f64,
    /// ARL at `shift`.
    pub arl1: f64,
    /// The shift (sd units) for `arl1`.
    pub shift: f64,
    /// Expected false alarms per period across all charts at `threshold`: charts × checks / arl0.
    pub expected_false_alarms_per_period: f64,
    /// `closed_form`, or the ARL method with its node count (`integral_equation(40)`, `markov_chain(101)`).
    pub method: String,
    /// `one` or `two`.
    pub sided: String,
}

/// Finds the L (Shewhart / EWMA) or h (CUSUM) that gives the ARL0 a false-alarm budget requires.
///
/// Example: 2,000 segment charts checked daily, at most one false escalation a month (30 days) in
/// expectation: each chart needs ARL0 = 60,000 days; a two-sided Shewhart chart then needs
/// L = Φ⁻¹(1 - 1/120000) = 4.3...
///
/// ```
/// use cxkpi::baseline::arl::{calibrate, CalibrationConfig};
/// let cfg = CalibrationConfig { charts: 2000.0, checks_per_period: 30.0, ..Default::default() };
/// let c = calibrate(&cfg).unwrap();
/// assert!((c.target_arl0 - 60000.0).abs() < 1e-9);
/// assert!((c.arl0 - 60000.0).abs() < 1e-6);
/// println!("L = {:.4}", c.threshold);
/// ```
pub fn calibrate(config: &CalibrationConfig) -> Result<Calibration> {
    config.validate()?;
    let target = config.target_arl0();
    let sided = config.arl.sided;
    if target < 1.0 {
        return Err(CxkpiError::Infeasible {
            message: format!(
                "the budget allows more than one false alarm per check (target ARL0 = {target})"
            ),
        });
    }
    let opts = &config.arl;
    let (threshold, name, method) = match config.chart {
        CalibratedChart::Shewhart => {
            let alpha = 1.0 / target;
            let p = match sided {
                Sided::Two => alpha / 2.0,
                Sided::One => alpha,
            };
            (normal_upper_quantile(p), "l", "closed_form".to_string())
        }
        CalibratedChart::Ewma => {
            let f = |l: f64| ewma_arl(config.lambda, l, 0.0, opts);
            (
                solve_increasing(f, target, 0.05, 12.0)?,
                "l",
                method_name(opts, true),
            )
        }
        CalibratedChart::Cusum => {
            let f = |h: f64| cusum_arl(config.k, h, 0.0, opts);
            (
                solve_increasing(f, target, 0.01, 60.0)?,
                "h",
                method_name(opts, false),
            )
        }
    };
    let arl_at = |shift: f64| match config.chart {
        CalibratedChart::Shewhart => shewhart_arl(threshold, shift, sided),
        CalibratedChart::Ewma => ewma_arl(config.lambda, threshold, shift, opts),
        CalibratedChart::Cusum => cusum_arl(config.k, threshold, shift, opts),
    };
    let arl0 = arl_at(0.0)?;
    let arl1 = arl_at(config.shift)?;
    Ok(Calibration {
        chart: match config.chart {
            CalibratedChart::Shewhart => "shewhart",
            CalibratedChart::Ewma => "ewma",
            CalibratedChart::Cusum => "cusum",
        }
        .into(),
        policy: match config.policy {
            BudgetPolicy::ExpectedCount => "expected_count",
            BudgetPolicy::Familywise => "familywise",
        }
        .into(),
        target_arl0: target,
        per_check_rate: 1.0 / target,
        threshold,
        threshold_name: name.into(),
        arl0,
        arl1,
        shift: config.shift,
        expected_false_alarms_per_period: config.charts * config.checks_per_period / arl0,
        method,
        sided: match sided {
            Sided::One => "one",
            Sided::Two => "two",
        }
        .into(),
    })
}

fn method_name(opts: &ArlOptions, ewma: bool) -> String {
    let n = opts.nodes.unwrap_or(match (opts.method, ewma) {
        (ArlMethod::IntegralEquation, true) => 40,
        (ArlMethod::IntegralEquation, false) => 30,
        (ArlMethod::MarkovChain, true) => 101,
        (ArlMethod::MarkovChain, false) => 100,
    });
    let n = if ewma && opts.method == ArlMethod::MarkovChain && n.is_multiple_of(2) {
        n + 1
    } else {
        n
    };
    format!("{}({n})", opts.method.name())
}

/// x with P(Z > x) = p, polished by Newton steps on the accurate erfc-based tail.
pub(crate) fn normal_upper_quantile(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    let mut x = -Normal::new(0.0, 1.0).expect("normal").inverse_cdf(p);
    for _ in 0..4 {
        let f = normal_sf(x) - p;
        let d = phi(x);
        if d <= 0.0 {
            break;
        }
        let step = f / d;
        x += step;
        if step.abs() <= 1e-16 * x.abs() {
            break;
        }
    }
    x
}

/// Root of log f(x) = log target for an increasing f on [lo, hi], by bisection to full precision.
fn solve_increasing(f: impl Fn(f64) -> Result<f64>, target: f64, lo: f64, hi: f64) -> Result<f64> {
    let (mut a, mut b) = (lo, hi);
    let fa = f(a)?;
    if fa > target {
        return Err(CxkpiError::Infeasible {
            message: format!(
                "target ARL0 {target} is below the ARL0 {fa} at the smallest threshold {lo}"
            ),
        });
    }
    let fb = f(b).unwrap_or(f64::INFINITY);
    if fb < target {
        return Err(CxkpiError::Infeasible {
            message: format!(
                "target ARL0 {target} is above the ARL0 {fb} at the largest threshold {hi}"
            ),
        });
    }
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        match f(m) {
            Ok(v) if v < target => a = m,
            _ => b = m,
        }
        if b - a <= 1e-15 * b {
            break;
        }
    }
    // the end whose ARL is closer to the target
    let (va, vb) = (f(a)?, f(b).unwrap_or(f64::INFINITY));
    Ok(if (va - target).abs() <= (vb - target).abs() {
        a
    } else {
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_integrates_polynomials() {
        let (x, w) = gauss_legendre(5, 0.0, 2.0);
        let s: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(9)).sum();
        assert!((s - 2f64.powi(10) / 10.0).abs() < 1e-10);
    }

    #[test]
    fn shewhart_closed_form() {
        // 1/(2*pnorm(-3)) in R: 370.3983473395
        assert!((shewhart_arl(3.0, 0.0, Sided::Two).unwrap() - 370.398347339475).abs() < 1e-8);
    }

    #[test]
    fn markov_chain_approaches_integral_equation() {
        let ie = ewma_arl(0.1, 2.7, 0.0, &ArlOptions::default()).unwrap();
        let mc = ewma_arl(
            0.1,
            2.7,
            0.0,
            &ArlOptions {
                method: ArlMethod::MarkovChain,
                nodes: Some(401),
                ..Default::default()
            },
        )
        .unwrap();
        assert!((ie - mc).abs() / ie < 1e-3, "{ie} {mc}");
    }
}
