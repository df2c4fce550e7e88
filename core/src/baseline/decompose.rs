//! Classical seasonal decomposition by moving averages, additive or multiplicative, following R
//! `decompose()` and statsmodels `seasonal_decompose()` (two-sided filter, no trend extrapolation).
//!
//! - Trend: the centred moving average of order `period`; for an even period the 2×m average (weights
//!   1/(2m) at both ends, 1/m inside). The first and last `period / 2` days have no trend (`None`).
//! - Seasonal figure: for each phase j = 0..period-1 (phase of day i is `i % period`, the first day being
//!   phase 0), the mean of the detrended values (x − trend, or x / trend) over the days that have a trend;
//!   then centred: minus its mean (additive) or divided by its mean (multiplicative).
//! - Remainder: x − trend − seasonal, or x / (trend · seasonal); `None` where the trend is `None`.
//!
//! Missing days (NaN) follow a named [`MissingDays`] policy: `error` (default) or `interpolate_linear`,
//! with the filled indices recorded in the result.
//!
//! ```
//! use cxkpi::baseline::decompose::{decompose, DecomposeOptions, DecomposeModel};
//! let x: Vec<f64> = (0..28).map(|i| 40.0 + 0.1 * i as f64 + [3.0, 1.0, 0.0, -1.0, -2.0, -2.0, 1.0][i % 7]).collect();
//! let d = decompose(&x, &DecomposeOptions { period: 7, ..Default::default() }).unwrap();
//! assert!((d.figure[0] - 3.0).abs() < 1e-9);
//! assert_eq!(d.trend[0], None);
//! ```

use crate::baseline::series::{fill_missing, MissingDays};
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};

option_enum! {
    /// How the seasonal component combines with the trend.
    #[derive(Default)]
    DecomposeModel {
        /// x = trend + seasonal + remainder.
        #[default]
        Additive => "additive",
        /// x = trend · seasonal · remainder (values must be positive).
        Multiplicative => "multiplicative",
    }
}

/// Options of [`decompose`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecomposeOptions {
    /// Season length in days (7 for a weekly pattern in daily data), at least 2.
    pub period: usize,
    /// Additive (default) or multiplicative.
    pub model: DecomposeModel,
    /// Missing-day policy.
    pub missing: MissingDays,
}

impl Default for DecomposeOptions {
    fn default() -> Self {
        DecomposeOptions {
            period: 7,
            model: DecomposeModel::Additive,
            missing: MissingDays::Error,
        }
    }
}

impl DecomposeOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.period < 2 {
            return Err(CxkpiError::invalid(
                "period",
                format!("must be at least 2, got {}", self.period),
            ));
        }
        Ok(())
    }
}

/// A classical decomposition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decomposition {
    /// Model used.
    pub model: DecomposeModel,
    /// Season length.
    pub period: usize,
    /// Missing-day policy applied.
    pub missing: MissingDays,
    /// Indices that were missing and filled by interpolation.
    pub interpolated: Vec<usize>,
    /// The series decomposed (after filling).
    pub observed: Vec<f64>,
    /// Centred moving average; `None` at both ends.
    pub trend: Vec<Option<f64>>,
    /// Seasonal component, day by day (the figure repeated).
    pub seasonal: Vec<f64>,
    /// Remainder; `None` where the trend is `None`.
    pub remainder: Vec<Option<f64>>,
    /// The centred seasonal figure, phase 0..period-1 (phase 0 = the first day).
    pub figure: Vec<f64>,
}

/// Centred moving average of order `period` (2×m for even `period`); `None` within period/2 of the ends.
pub fn centred_moving_average(x: &[f64], period: usize) -> Vec<Option<f64>> {
    let n = x.len();
    let h = period / 2;
    let mut out = vec![None; n];
    if n < 2 * h + 1 {
        return out;
    }
    let m = period as f64;
    for (t, o) in out.iter_mut().enumerate().take(n - h).skip(h) {
        let mut s = NeumaierSum::default();
        if period % 2 == 1 {
            for &v in &x[t - h..=t + h] {
                s.add(v);
            }
            *o = Some(s.value() / m);
        } else {
            s.add(0.5 * x[t - h]);
            for &v in &x[t - h + 1..t + h] {
                s.add(v);
            }
            s.add(0.5 * x[t + h]);
            *o = Some(s.value() / m);
        }
    }
    out
}

/// Classical decomposition of `values` (NaN = missing day).
pub fn decompose(values: &[f64], opts: &DecomposeOptions) -> Result<Decomposition> {
    opts.validate()?;
    let p = opts.period;
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "values".into(),
        });
    }
    if values.len() < 2 * p {
        return Err(CxkpiError::InsufficientData {
            what: format!("classical decomposition with period {p} (two full periods)"),
            n: values.len() as u64,
            required: 2 * p as u64,
        });
    }
    let (x, interpolated) = fill_missing("values", values, opts.missing)?;
    let mult = opts.model == DecomposeModel::Multiplicative;
    if mult {
        if let Some(i) = x.iter().position(|&v| v <= 0.0) {
            return Err(CxkpiError::invalid(
                "values",
                format!(
                    "element {i} is {}; the multiplicative model needs positive values",
                    x[i]
                ),
            ));
        }
    }
    let trend = centred_moving_average(&x, p);
    let mut sums = vec![NeumaierSum::default(); p];
    let mut counts = vec![0usize; p];
    for (i, t) in trend.iter().enumerate() {
        if let Some(t) = t {
            let d = if mult { x[i] / t } else { x[i] - t };
            sums[i % p].add(d);
            counts[i % p] += 1;
        }
    }
    let mut figure: Vec<f64> = (0..p).map(|j| sums[j].value() / counts[j] as f64).collect();
    let centre = NeumaierSum::of(&figure) / p as f64;
    for f in figure.iter_mut() {
        if mult {
            *f /= centre;
        } else {
            *f -= centre;
        }
    }
    let seasonal: Vec<f64> = (0..x.len()).map(|i| figure[i % p]).collect();
    let remainder = trend
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.map(|t| {
                if mult {
                    x[i] / seasonal[i] / t
                } else {
                    x[i] - t - seasonal[i]
                }
            })
        })
        .collect();
    Ok(Decomposition {
        model: opts.model,
        period: p,
        missing: opts.missing,
        interpolated,
        observed: x,
        trend,
        seasonal,
        remainder,
        figure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_period_weights() {
        // 2x4 MA at t=2 of 1..8: (0.5*1 + 2 + 3 + 4 + 0.5*5)/4 = 3
        let x: Vec<f64> = (1..=8).map(|v| v as f64).collect();
        let t = centred_moving_average(&x, 4);
        assert_eq!(t[1], None);
        assert_eq!(t[2], Some(3.0));
        assert_eq!(t[5], Some(6.0));
        assert_eq!(t[6], None);
    }

    #[test]
    fn multiplicative_needs_positive() {
        let mut x = vec![1.0; 14];
        x[3] = 0.0;
        let o = DecomposeOptions {
            model: DecomposeModel::Multiplicative,
            ..Default::default()
        };
        assert_eq!(decompose(&x, &o).unwrap_err().kind(), "invalid_argument");
    }
}
