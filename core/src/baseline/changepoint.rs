//! Level shifts in a daily series: one change by exact least squares, several by binary segmentation or
//! PELT (Killick, Fearnhead & Eckley 2012), and the confirmation rule that turns a detected change into a
//! [`Signal`] (rule `"level_shift"`).
//!
//! Model: piecewise-constant mean with normal noise of standard deviation σ. The cost of a segment is its
//! sum of squared deviations from its mean divided by σ² (−2 log-likelihood up to a constant).
//!
//! - `least_squares`: the single split minimising the total SSE (exhaustive over every admissible split).
//! - `binary_segmentation`: repeatedly split the segment whose best split lowers the cost most, while the
//!   gain exceeds the penalty (and at most `max_changes` changes).
//! - `pelt`: the exact minimiser of total cost + penalty × number of changes (optimal partitioning with
//!   PELT pruning), every segment at least `min_size` days.
//!
//! Penalties (per change, in cost units): `bic` = 2 ln n (two parameters per change: a new mean and a
//! location), `mbic` = 3 ln n with ln(segment length) added to each segment's cost (after Zhang & Siegmund
//! 2007 and R `changepoint`'s MBIC; PELT prunes with K = −ln n for it), `manual` = `penalty_value`.
//!
//! σ: `sigma` if given, else `mad_diff`: 1.4826 · MAD of the first differences / √2 (robust to the shifts).
//!
//! Confirmation rule: a change at day τ is confirmed when the new level persists at least `persist_days`
//! (the segment after τ is that long) and |shift| ≥ the minimal detectable change
//! `(z_{1−α/2} + z_{power}) · σ · √(1/n_before + 1/n_after)` of the two adjacent segments.
//!
//! ```
//! use cxkpi::baseline::changepoint::{detect_changes, ChangepointOptions, ChangeMethod};
//! let mut x = vec![40.0; 30];
//! x.extend(vec![46.0; 30]);
//! for (i, v) in x.iter_mut().enumerate() { *v += [0.5, -0.5, 0.3, -0.3][i % 4]; }
//! let r = detect_changes(&x, &ChangepointOptions { method: ChangeMethod::Pelt, ..Default::default() }).unwrap();
//! assert_eq!(r.changepoints, vec![30]);
//! assert_eq!(r.signals.len(), 1);
//! ```

use crate::baseline::series::{fill_missing, MissingDays};
use crate::baseline::{BaselineInfo, Signal, SignalDirection};
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::stats::dist::z_crit;
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

option_enum! {
    /// Search method.
    #[derive(Default)]
    ChangeMethod {
        /// One change, exact least squares.
        LeastSquares => "least_squares",
        /// Binary segmentation.
        BinarySegmentation => "binary_segmentation",
        /// PELT (exact optimal partitioning with pruning).
        #[default]
        Pelt => "pelt",
    }
}

option_enum! {
    /// Penalty per change.
    #[derive(Default)]
    Penalty {
        /// 2 ln n.
        #[default]
        Bic => "bic",
        /// 3 ln n plus ln(segment length) in each segment's cost.
        Mbic => "mbic",
        /// `penalty_value`.
        Manual => "manual",
    }
}

/// Options of [`detect_changes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChangepointOptions {
    /// Search method.
    pub method: ChangeMethod,
    /// Penalty (binary segmentation and PELT).
    pub penalty: Penalty,
    /// Penalty per change when `penalty` is `manual`.
    pub penalty_value: Option<f64>,
    /// Noise standard deviation; `None` estimates it (`mad_diff`).
    pub sigma: Option<f64>,
    /// Minimal segment length in days (≥ 1, default 2).
    pub min_size: usize,
    /// At most this many changes (binary segmentation; default 10).
    pub max_changes: usize,
    /// Confirmation: the new level must last at least this many days (default 7).
    pub persist_days: usize,
    /// Confirmation: significance level of the minimal detectable change (default 0.05).
    pub alpha: f64,
    /// Confirmation: power of the minimal detectable change (default 0.8).
    pub power: f64,
    /// Label copied into the signals' `series`.
    pub series: Option<String>,
    /// Missing-day policy.
    pub missing: MissingDays,
}

impl Default for ChangepointOptions {
    fn default() -> Self {
        ChangepointOptions {
            method: ChangeMethod::Pelt,
            penalty: Penalty::Bic,
            penalty_value: None,
            sigma: None,
            min_size: 2,
            max_changes: 10,
            persist_days: 7,
            alpha: 0.05,
            power: 0.8,
            series: None,
            missing: MissingDays::Error,
        }
    }
}

impl ChangepointOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.min_size == 0 {
            return Err(CxkpiError::invalid("min_size", "must be at least 1"));
        }
        if let Some(s) = self.sigma {
            if !(s.is_finite() && s > 0.0) {
                return Err(CxkpiError::invalid(
                    "sigma",
                    format!("must be > 0, got {s}"),
                ));
            }
        }
        match (self.penalty, self.penalty_value) {
            (Penalty::Manual, None) => {
                return Err(CxkpiError::invalid(
                    "penalty_value",
                    "is required when penalty is \"manual\"",
                ))
            }
            (Penalty::Manual, Some(v)) if !(v.is_finite() && v >= 0.0) => {
                return Err(CxkpiError::invalid(
                    "penalty_value",
                    format!("must be finite and >= 0, got {v}"),
                ))
            }
            (Penalty::Bic | Penalty::Mbic, Some(_)) => {
                return Err(CxkpiError::invalid(
                    "penalty_value",
                    "is only used with penalty \"manual\"",
                ))
            }
            _ => {}
        }
        for (arg, v) in [("alpha", self.alpha), ("power", self.power)] {
            if !(v > 0.0 && v < 1.0) {
                return Err(CxkpiError::invalid(
                    arg,
                    format!("must lie strictly between 0 and 1, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// One segment of constant level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// First day (index).
    pub start: usize,
    /// One past the last day.
    pub end: usize,
    /// Days in the segment.
    pub n: usize,
    /// Mean level.
    pub mean: f64,
}

/// The confirmation check of one change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    /// First day of the new level.
    pub index: usize,
    /// New mean − old mean.
    pub shift: f64,
    /// SE of the shift, σ √(1/n_before + 1/n_after).
    pub se: f64,
    /// Minimal detectable change at these segment lengths.
    pub mdc: f64,
    /// Days the new level lasted (length of the segment after the change).
    pub persisted_days: usize,
    /// Both conditions hold.
    pub confirmed: bool,
    /// Why (not) confirmed, in words.
    pub reason: String,
}

/// Detected level shifts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangepointResult {
    /// Method used.
    pub method: ChangeMethod,
    /// Penalty kind (unused by `least_squares`).
    pub penalty: Penalty,
    /// Penalty per change in cost units (`None` for `least_squares`).
    pub penalty_value: Option<f64>,
    /// σ used.
    pub sigma: f64,
    /// `"given"` or `"mad_diff"`.
    pub sigma_method: String,
    /// Minimal segment length.
    pub min_size: usize,
    /// Indices of the first day of each new level, ascending.
    pub changepoints: Vec<usize>,
    /// Segments between the changes.
    pub segments: Vec<Segment>,
    /// Total SSE of the segmentation (KPI units squared).
    pub sse: f64,
    /// Indices filled by interpolation (missing days).
    pub interpolated: Vec<usize>,
    /// Confirmation of every change.
    pub confirmations: Vec<Confirmation>,
    /// One `level_shift` signal per confirmed change.
    pub signals: Vec<Signal>,
}

/// Prefix sums of centred values for O(1) segment SSE.
struct Prefix {
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl Prefix {
    fn new(x: &[f64]) -> Self {
        let m = NeumaierSum::of(x) / x.len() as f64;
        let mut s1 = Vec::with_capacity(x.len() + 1);
        let mut s2 = Vec::with_capacity(x.len() + 1);
        let (mut a, mut b) = (NeumaierSum::default(), NeumaierSum::default());
        s1.push(0.0);
        s2.push(0.0);
        for &v in x {
            let d = v - m;
            a.add(d);
            b.add(d * d);
            s1.push(a.value());
            s2.push(b.value());
        }
        Prefix { s1, s2 }
    }

    /// SSE of x[a..b].
    fn sse(&self, a: usize, b: usize) -> f64 {
        let n = (b - a) as f64;
        let s = self.s1[b] - self.s1[a];
        ((self.s2[b] - self.s2[a]) - s * s / n).max(0.0)
    }
}

fn seg_mean(x: &[f64]) -> f64 {
    NeumaierSum::of(x) / x.len() as f64
}

fn seg_sse(x: &[f64]) -> f64 {
    let m = seg_mean(x);
    let mut s = NeumaierSum::default();
    x.iter().for_each(|v| s.add((v - m) * (v - m)));
    s.value()
}

/// σ̂ = 1.4826 · MAD(diff(x)) / √2.
pub fn sigma_mad_diff(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let d: Vec<f64> = x.windows(2).map(|w| w[1] - w[0]).collect();
    let med = median(&d);
    let dev: Vec<f64> = d.iter().map(|v| (v - med).abs()).collect();
    1.4826 * median(&dev) / std::f64::consts::SQRT_2
}

pub(crate) fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

/// Best single split of x[a..b] with segments ≥ m: (split, gain in SSE).
fn best_split(p: &Prefix, a: usize, b: usize, m: usize) -> Option<(usize, f64)> {
    if b - a < 2 * m {
        return None;
    }
    let whole = p.sse(a, b);
    let mut best: Option<(usize, f64)> = None;
    for k in a + m..=b - m {
        let c = p.sse(a, k) + p.sse(k, b);
        if best.is_none_or(|(_, bc)| c < bc) {
            best = Some((k, c));
        }
    }
    best.map(|(k, c)| (k, whole - c))
}

/// Detects level shifts in `values` (NaN = missing day, per `opts.missing`) and confirms them.
pub fn detect_changes(values: &[f64], opts: &ChangepointOptions) -> Result<ChangepointResult> {
    opts.validate()?;
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "values".into(),
        });
    }
    let (x, interpolated) = fill_missing("values", values, opts.missing)?;
    let n = x.len();
    let m = opts.min_size;
    if n < 2 * m {
        return Err(CxkpiError::InsufficientData {
            what: format!("level-shift detection with min_size {m}"),
            n: n as u64,
            required: 2 * m as u64,
        });
    }
    let (sigma, sigma_method) = match opts.sigma {
        Some(s) => (s, "given"),
        None => {
            let s = sigma_mad_diff(&x);
            if s <= 0.0 {
                return Err(CxkpiError::invalid(
                    "sigma",
                    "the mad_diff estimate is 0 (the series has no day-to-day noise); give sigma",
                ));
            }
            (s, "mad_diff")
        }
    };
    let s2 = sigma * sigma;
    let nf = n as f64;
    let pen = match opts.penalty {
        Penalty::Bic => 2.0 * nf.ln(),
        Penalty::Mbic => 3.0 * nf.ln(),
        Penalty::Manual => opts.penalty_value.unwrap_or(0.0),
    };
    let mbic = opts.penalty == Penalty::Mbic;
    let p = Prefix::new(&x);
    let seg_cost = |a: usize, b: usize| {
        let c = p.sse(a, b) / s2;
        if mbic {
            c + ((b - a) as f64).ln()
        } else {
            c
        }
    };
    let mut cps: Vec<usize> = match opts.method {
        ChangeMethod::LeastSquares => best_split(&p, 0, n, m)
            .map(|(k, _)| vec![k])
            .unwrap_or_default(),
        ChangeMethod::BinarySegmentation => {
            let mut cps: Vec<usize> = Vec::new();
            while cps.len() < opts.max_changes {
                let mut bounds = vec![0];
                bounds.extend(cps.iter().copied());
                bounds.push(n);
                let mut best: Option<(usize, f64)> = None;
                for w in bounds.windows(2) {
                    if let Some((k, _)) = best_split(&p, w[0], w[1], m) {
                        let gain = seg_cost(w[0], w[1]) - seg_cost(w[0], k) - seg_cost(k, w[1]);
                        if best.is_none_or(|(_, g)| gain > g) {
                            best = Some((k, gain));
                        }
                    }
                }
                match best {
                    Some((k, g)) if g > pen => {
                        cps.push(k);
                        cps.sort_unstable();
                    }
                    _ => break,
                }
            }
            cps
        }
        ChangeMethod::Pelt => {
            // f[t] = min over admissible s of f[s] + cost(s, t) + pen; f[0] = -pen.
            let mut f = vec![f64::INFINITY; n + 1];
            let mut last = vec![0usize; n + 1];
            f[0] = -pen;
            let mut cand: Vec<usize> = vec![0];
            for t in m..=n {
                if t >= 2 * m {
                    // s = t - m becomes admissible once a segment of length m can end at it.
                    let s = t - m;
                    if s >= m {
                        cand.push(s);
                    }
                }
                let mut best = f64::INFINITY;
                let mut arg = 0;
                let mut vals = Vec::with_capacity(cand.len());
                for &s in &cand {
                    let v = if t - s >= m && f[s].is_finite() {
                        f[s] + seg_cost(s, t)
                    } else {
                        f64::INFINITY
                    };
                    vals.push(v);
                    if v + pen < best {
                        best = v + pen;
                        arg = s;
                    }
                }
                f[t] = best;
                last[t] = arg;
                // prune: keep s with f[s] + cost(s, t) + K <= f[t]. K = 0 for the squared-error cost; with MBIC's
                // ln(length) per segment, ln a + ln b <= ln(a + b) + ln n, so K = -ln n keeps the pruning exact.
                let keep: Vec<usize> = cand
                    .iter()
                    .zip(&vals)
                    .filter(|(_, &v)| {
                        !v.is_finite() || v <= best + if mbic { nf.ln() } else { 0.0 }
                    })
                    .map(|(&s, _)| s)
                    .collect();
                cand = keep;
            }
            let mut cps = Vec::new();
            let mut t = n;
            while t > 0 {
                let s = last[t];
                if s > 0 {
                    cps.push(s);
                }
                t = s;
            }
            cps.reverse();
            cps
        }
    };
    cps.dedup();
    let mut bounds = vec![0];
    bounds.extend(cps.iter().copied());
    bounds.push(n);
    let segments: Vec<Segment> = bounds
        .windows(2)
        .map(|w| Segment {
            start: w[0],
            end: w[1],
            n: w[1] - w[0],
            mean: seg_mean(&x[w[0]..w[1]]),
        })
        .collect();
    let mut sse = NeumaierSum::default();
    for s in &segments {
        sse.add(seg_sse(&x[s.start..s.end]));
    }
    let zsum = z_crit(1.0 - opts.alpha) + {
        use statrs::distribution::{ContinuousCDF, Normal};
        Normal::new(0.0, 1.0).unwrap().inverse_cdf(opts.power)
    };
    let method_name = opts.method.to_string();
    let mut confirmations = Vec::new();
    let mut signals = Vec::new();
    for (j, &cp) in cps.iter().enumerate() {
        let (b, a) = (&segments[j], &segments[j + 1]);
        let shift = a.mean - b.mean;
        let se = sigma * (1.0 / b.n as f64 + 1.0 / a.n as f64).sqrt();
        let mdc = zsum * se;
        let persists = a.n >= opts.persist_days;
        let big = shift.abs() >= mdc;
        let confirmed = persists && big;
        let reason = match (persists, big) {
            (true, true) => format!(
                "confirmed: shift {shift:+.3} lasted {} days (>= {}) and |shift| >= MDC {mdc:.3}",
                a.n, opts.persist_days
            ),
            (false, _) => format!(
                "not confirmed: the new level lasted {} days (< {})",
                a.n, opts.persist_days
            ),
            (true, false) => format!(
                "not confirmed: |shift| {:.3} is below the minimal detectable change {mdc:.3}",
                shift.abs()
            ),
        };
        confirmations.push(Confirmation {
            index: cp,
            shift,
            se,
            mdc,
            persisted_days: a.n,
            confirmed,
            reason,
        });
        if confirmed {
            let mut params = BTreeMap::new();
            params.insert("persist_days".into(), opts.persist_days as f64);
            params.insert("alpha".into(), opts.alpha);
            params.insert("power".into(), opts.power);
            params.insert("mdc".into(), mdc);
            params.insert("sigma".into(), sigma);
            params.insert("min_size".into(), m as f64);
            if opts.method != ChangeMethod::LeastSquares {
                params.insert("penalty".into(), pen);
            }
            let mut bp = BTreeMap::new();
            bp.insert("segment_start".into(), b.start as f64);
            bp.insert("segment_days".into(), b.n as f64);
            signals.push(Signal {
                rule: "level_shift".into(),
                parameters: params,
                detector: method_name.clone(),
                series: opts.series.clone(),
                index: cp,
                points: (a.start..a.start + opts.persist_days.max(1).min(a.n)).collect(),
                value: a.mean,
                center: b.mean,
                deviation: shift,
                sigma: Some(shift / sigma),
                n: Some(a.n as f64),
                se: Some(se),
                false_alarm_rate: None,
                direction: if shift > 0.0 {
                    SignalDirection::Up
                } else {
                    SignalDirection::Down
                },
                baseline: BaselineInfo {
                    method: "segment_mean".into(),
                    parameters: bp,
                    excluded: interpolated.clone(),
                    seasonal_adjustment: None,
                },
            });
        }
    }
    Ok(ChangepointResult {
        method: opts.method,
        penalty: opts.penalty,
        penalty_value: (opts.method != ChangeMethod::LeastSquares).then_some(pen),
        sigma,
        sigma_method: sigma_method.into(),
        min_size: m,
        changepoints: cps,
        segments,
        sse: sse.value(),
        interpolated,
        confirmations,
        signals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_hand() {
        // 1,1,1,5,5 -> split at 3: SSE 0.
        let r = detect_changes(
            &[1.0, 1.0, 1.0, 5.0, 5.0],
            &ChangepointOptions {
                method: ChangeMethod::LeastSquares,
                sigma: Some(1.0),
                min_size: 1,
                persist_days: 2,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(r.changepoints, vec![3]);
        assert_eq!(r.sse, 0.0);
        // se = sqrt(1/3 + 1/2); mdc = 2.801585... * se = 2.557 < 4 -> confirmed
        assert!(r.confirmations[0].confirmed);
    }
}
