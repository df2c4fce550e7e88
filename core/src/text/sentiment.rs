//! Sentiment standardisation: scores of different providers and scales mapped to one -1..1 scale by a
//! declared method — linear from a declared source range, or isotonic calibration against a reference set
//! (weighted pool-adjacent-violators).

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};

/// What to do with a score outside the source range (linear) or the reference range (isotonic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutOfRange {
    /// An `out_of_scale` error naming the index (default).
    #[default]
    Error,
    /// Clamp to the end of the range (counted in `n_clipped`).
    Clip,
}

impl OutOfRange {
    fn name(self) -> &'static str {
        match self {
            OutOfRange::Error => "error",
            OutOfRange::Clip => "clip",
        }
    }
}

fn default_true() -> bool {
    true
}

/// Options of [`isotonic_fit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IsotonicOptions {
    /// Fit a non-decreasing (default) or non-increasing function.
    #[serde(default = "default_true")]
    pub increasing: bool,
    /// Prediction outside [min x, max x]: `clip` (default here: the end value, as scikit-learn's
    /// `out_of_bounds="clip"`) or `error`.
    pub out_of_range: OutOfRange,
}

impl Default for IsotonicOptions {
    fn default() -> Self {
        IsotonicOptions {
            increasing: true,
            out_of_range: OutOfRange::Clip,
        }
    }
}

/// A fitted isotonic calibration: a monotone step-free piecewise-linear map through (x, y).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IsotonicFit {
    /// Distinct reference scores, ascending.
    pub x: Vec<f64>,
    /// Fitted values at `x` (monotone).
    pub y: Vec<f64>,
    /// Total weight at each distinct x.
    pub weight: Vec<f64>,
    /// Reference points used.
    pub n: u64,
    /// Direction fitted.
    pub increasing: bool,
    /// `clip` or `error`.
    pub out_of_range: String,
    /// `weighted_mean`: tied x are first pooled into one point (weighted mean of y, summed weight), as
    /// scikit-learn's IsotonicRegression does; prediction interpolates linearly between the points.
    pub ties: String,
    /// `pool_adjacent_violators`.
    pub method: String,
}

impl IsotonicFit {
    /// The calibrated value of `v` (linear interpolation; outside the range: clip or error).
    /// Returns the value and whether it was clipped.
    pub fn predict_one(&self, v: f64, index: usize) -> Result<(f64, bool)> {
        let n = self.x.len();
        let (lo, hi) = (self.x[0], self.x[n - 1]);
        if v < lo || v > hi {
            return match self.out_of_range.as_str() {
                "clip" => Ok((if v < lo { self.y[0] } else { self.y[n - 1] }, true)),
                _ => Err(CxkpiError::OutOfScale {
                    arg: "scores".into(),
                    index,
                    value: v,
                    scale: format!("the reference range [{lo}, {hi}]"),
                }),
            };
        }
        // first x >= v
        let j = self.x.partition_point(|&a| a < v);
        if self.x[j] == v {
            return Ok((self.y[j], false));
        }
        let (x0, x1, y0, y1) = (self.x[j - 1], self.x[j], self.y[j - 1], self.y[j]);
        Ok((y0 + (v - x0) * (y1 - y0) / (x1 - x0), false))
    }

    /// Calibrated values of `scores` (NaN = missing → None).
    pub fn predict(&self, scores: &[f64]) -> Result<Vec<Option<f64>>> {
        scores
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if v.is_nan() {
                    Ok(None)
                } else {
                    self.predict_one(v, i).map(|r| Some(r.0))
                }
            })
            .collect()
    }
}

/// Weighted pool-adjacent-violators on points already in x order: the non-decreasing fit minimising
/// Σ w (y - f)². Returns the fitted values.
pub fn pava(y: &[f64], w: &[f64]) -> Vec<f64> {
    // blocks: (Σ w·y, Σ w, number of points)
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(y.len());
    for (&yi, &wi) in y.iter().zip(w) {
        blocks.push((wi * yi, wi, 1));
        while blocks.len() > 1 {
            let (s1, w1, _) = blocks[blocks.len() - 2];
            let (s2, w2, _) = blocks[blocks.len() - 1];
            if s1 / w1 >= s2 / w2 {
                let last = blocks.pop().unwrap();
                let prev = blocks.last_mut().unwrap();
                prev.0 += last.0;
                prev.1 += last.1;
                prev.2 += last.2;
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(y.len());
    for (s, ww, c) in blocks {
        let m = s / ww;
        out.extend(std::iter::repeat_n(m, c));
    }
    out
}

/// Fits an isotonic calibration of `targets` on `scores` (reference set), with optional positive
/// weights. Ties in `scores` are pooled first (weighted mean target, summed weight), then weighted PAVA;
/// this is scikit-learn's `IsotonicRegression` (and R `isoreg` for unweighted data without ties).
///
/// ```
/// use cxkpi::text::{isotonic_fit, IsotonicOptions};
/// let f = isotonic_fit(&[1.0, 2.0, 3.0, 4.0], &[-0.5, 0.2, 0.0, 0.8], None, &IsotonicOptions::default()).unwrap();
/// assert_eq!(f.y, vec![-0.5, 0.1, 0.1, 0.8]);
/// assert_eq!(f.predict_one(2.5, 0).unwrap().0, 0.1);
/// ```
pub fn isotonic_fit(
    scores: &[f64],
    targets: &[f64],
    weights: Option<&[f64]>,
    options: &IsotonicOptions,
) -> Result<IsotonicFit> {
    let n = scores.len();
    crate::stats::check::same_len("targets", targets.len(), "scores", n)?;
    if n == 0 {
        return Err(CxkpiError::EmptyInput {
            arg: "scores".into(),
        });
    }
    crate::stats::check::finite("scores", scores)?;
    crate::stats::check::finite("targets", targets)?;
    if let Some(w) = weights {
        crate::stats::check::same_len("weights", w.len(), "scores", n)?;
        for (i, &x) in w.iter().enumerate() {
            if !x.is_finite() || x <= 0.0 {
                return Err(CxkpiError::InvalidWeight {
                    arg: "weights".into(),
                    index: i,
                    value: x,
                    reason: "isotonic weights must be finite and positive".into(),
                });
            }
        }
    }
    let sign = if options.increasing { 1.0 } else { -1.0 };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        scores[a]
            .total_cmp(&scores[b])
            .then(targets[a].total_cmp(&targets[b]))
    });
    let mut xs: Vec<f64> = Vec::new();
    let mut sy: Vec<f64> = Vec::new();
    let mut sw: Vec<f64> = Vec::new();
    for &i in &order {
        let w = weights.map_or(1.0, |w| w[i]);
        let y = sign * targets[i];
        if xs.last() == Some(&scores[i]) {
            let k = xs.len() - 1;
            sy[k] += w * y;
            sw[k] += w;
        } else {
            xs.push(scores[i]);
            sy.push(w * y);
            sw.push(w);
        }
    }
    let ym: Vec<f64> = sy.iter().zip(&sw).map(|(s, w)| s / w).collect();
    let fitted: Vec<f64> = pava(&ym, &sw).into_iter().map(|v| sign * v).collect();
    Ok(IsotonicFit {
        x: xs,
        y: fitted,
        weight: sw,
        n: n as u64,
        increasing: options.increasing,
        out_of_range: options.out_of_range.name().into(),
        ties: "weighted_mean".into(),
        method: "pool_adjacent_violators".into(),
    })
}

/// A declared mapping of one provider's sentiment scores onto the common -1..1 scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum SentimentScaleMethod {
    /// y = -1 + 2 (x - source_min) / (source_max - source_min); `source_min > source_max` declares a
    /// reversed scale (e.g. 1 = very positive … 5 = very negative).
    Linear {
        /// Source value that maps to -1.
        source_min: f64,
        /// Source value that maps to +1.
        source_max: f64,
        /// `error` (default) or `clip`.
        #[serde(default)]
        out_of_range: OutOfRange,
    },
    /// Isotonic calibration against a reference set: `reference_scores` (the provider's scores) and
    /// `reference_targets` (the common-scale truth, in -1..1, e.g. hand ratings), optional weights.
    Isotonic {
        /// Provider scores of the reference set.
        reference_scores: Vec<f64>,
        /// Target values on -1..1.
        reference_targets: Vec<f64>,
        /// Optional positive weights.
        #[serde(default)]
        reference_weights: Option<Vec<f64>>,
        /// `clip` (default) or `error` for scores outside the reference range.
        #[serde(default = "clip")]
        out_of_range: OutOfRange,
    },
}

fn clip() -> OutOfRange {
    OutOfRange::Clip
}

/// Standardised scores ([`standardise_sentiment`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardisedSentiment {
    /// Values on -1..1 (None for a missing score).
    pub values: Vec<Option<f64>>,
    /// Scores given.
    pub n: u64,
    /// Missing (NaN) scores.
    pub n_missing: u64,
    /// Scores clamped to the range (policy `clip`).
    pub n_clipped: u64,
    /// `linear` or `isotonic`.
    pub method: String,
    /// `error` or `clip`.
    pub out_of_range: String,
    /// The isotonic fit used (isotonic only).
    pub fit: Option<IsotonicFit>,
}

/// Maps `scores` onto -1..1 with the declared method. Missing scores (NaN) give None and are counted.
///
/// ```
/// use cxkpi::text::{standardise_sentiment, SentimentScaleMethod, OutOfRange};
/// let m = SentimentScaleMethod::Linear { source_min: 1.0, source_max: 5.0, out_of_range: OutOfRange::Error };
/// let r = standardise_sentiment(&[1.0, 3.0, 5.0, f64::NAN], &m).unwrap();
/// assert_eq!(r.values, vec![Some(-1.0), Some(0.0), Some(1.0), None]);
/// ```
pub fn standardise_sentiment(
    scores: &[f64],
    method: &SentimentScaleMethod,
) -> Result<StandardisedSentiment> {
    if scores.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "scores".into(),
        });
    }
    for (i, &s) in scores.iter().enumerate() {
        if s.is_infinite() {
            return Err(CxkpiError::invalid(
                "scores",
                format!("scores[{i}] = {s}; values must be finite (NaN = missing)"),
            ));
        }
    }
    let mut values = Vec::with_capacity(scores.len());
    let mut n_missing = 0u64;
    let mut n_clipped = 0u64;
    match method {
        SentimentScaleMethod::Linear {
            source_min,
            source_max,
            out_of_range,
        } => {
            let (a, b) = (*source_min, *source_max);
            if !a.is_finite() || !b.is_finite() || a == b {
                return Err(CxkpiError::invalid(
                    "source_min",
                    format!(
                        "the source range [{a}, {b}] must be finite with source_min != source_max"
                    ),
                ));
            }
            let (lo, hi) = (a.min(b), a.max(b));
            for (i, &s) in scores.iter().enumerate() {
                if s.is_nan() {
                    n_missing += 1;
                    values.push(None);
                    continue;
                }
                let mut x = s;
                if x < lo || x > hi {
                    match out_of_range {
                        OutOfRange::Error => {
                            return Err(CxkpiError::OutOfScale {
                                arg: "scores".into(),
                                index: i,
                                value: s,
                                scale: format!("the declared source range [{lo}, {hi}]"),
                            })
                        }
                        OutOfRange::Clip => {
                            n_clipped += 1;
                            x = x.clamp(lo, hi);
                        }
                    }
                }
                values.push(Some(-1.0 + 2.0 * (x - a) / (b - a)));
            }
            Ok(StandardisedSentiment {
                values,
                n: scores.len() as u64,
                n_missing,
                n_clipped,
                method: "linear".into(),
                out_of_range: out_of_range.name().into(),
                fit: None,
            })
        }
        SentimentScaleMethod::Isotonic {
            reference_scores,
            reference_targets,
            reference_weights,
            out_of_range,
        } => {
            for (i, &t) in reference_targets.iter().enumerate() {
                if t.is_finite() && !(-1.0..=1.0).contains(&t) {
                    return Err(CxkpiError::OutOfScale {
                        arg: "reference_targets".into(),
                        index: i,
                        value: t,
                        scale: "-1..1".into(),
                    });
                }
            }
            let fit = isotonic_fit(
                reference_scores,
                reference_targets,
                reference_weights.as_deref(),
                &IsotonicOptions {
                    increasing: true,
                    out_of_range: *out_of_range,
                },
            )?;
            for (i, &s) in scores.iter().enumerate() {
                if s.is_nan() {
                    n_missing += 1;
                    values.push(None);
                    continue;
                }
                let (v, clipped) = fit.predict_one(s, i)?;
                n_clipped += clipped as u64;
                values.push(Some(v));
            }
            Ok(StandardisedSentiment {
                values,
                n: scores.len() as u64,
                n_missing,
                n_clipped,
                method: "isotonic".into(),
                out_of_range: out_of_range.name().into(),
                fit: Some(fit),
            })
        }
    }
}
