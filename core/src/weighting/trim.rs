//! Trimming: cap extreme weights and give the excess to the untrimmed units, until none is outside.

use super::weight_diagnostics;
use super::WeightDiagnostics;
use crate::error::{CxkpiError, Result};
use crate::options::{OptionReader, Options};
use crate::scale::check_weight;
use crate::stats::NeumaierSum;

/// Options of [`trim_weights`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrimOptions {
    /// Largest allowed weight (or multiple of the mean weight).
    pub upper: Option<f64>,
    /// Smallest allowed weight (or multiple of the mean weight).
    pub lower: Option<f64>,
    /// Bounds are multiples of the mean weight.
    pub relative_to_mean: bool,
    /// Most redistribution rounds (default 1000).
    pub max_iter: u32,
}

impl Default for TrimOptions {
    fn default() -> Self {
        TrimOptions {
            upper: None,
            lower: None,
            relative_to_mean: false,
            max_iter: 1000,
        }
    }
}

impl TrimOptions {
    /// Reads `upper`, `lower`, `relative_to_mean`, `max_iter`.
    pub fn from_options(o: &Options) -> Result<TrimOptions> {
        let mut r = OptionReader::new(o);
        let t = TrimOptions {
            upper: r.f64("upper")?,
            lower: r.f64("lower")?,
            relative_to_mean: r.bool("relative_to_mean")?.unwrap_or(false),
            max_iter: r
                .u64("max_iter")?
                .map_or(1000, |k| k.min(u32::MAX as u64) as u32),
        };
        r.finish()?;
        Ok(t)
    }
}

/// Trimmed weights and what trimming did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrimResult {
    pub weights: Vec<f64>,
    /// The absolute bounds applied.
    pub upper: Option<f64>,
    pub lower: Option<f64>,
    pub n_at_upper: u64,
    pub n_at_lower: u64,
    pub iterations: u32,
    /// Σ weights, preserved.
    pub total: f64,
    pub diagnostics_before: WeightDiagnostics,
    pub diagnostics: WeightDiagnostics,
}

/// Caps weights at `upper` / raises them to `lower` and redistributes the difference over the units
/// strictly inside the bounds in proportion to their weights, repeating until no weight is outside (the
/// total is preserved). Bounds that cannot hold the total are `infeasible`.
///
/// ```
/// use cxkpi::weighting::{trim_weights, TrimOptions};
/// let t = trim_weights(&[1.0, 1.0, 1.0, 5.0], &TrimOptions { upper: Some(3.0), ..Default::default() }).unwrap();
/// // The 2 units above the cap go to the other three: 3 + 3 · 5/3 = 8, the original total.
/// assert_eq!(t.weights, vec![5.0 / 3.0, 5.0 / 3.0, 5.0 / 3.0, 3.0]);
/// ```
pub fn trim_weights(weights: &[f64], opts: &TrimOptions) -> Result<TrimResult> {
    let before = weight_diagnostics(weights, None)?;
    for (i, &w) in weights.iter().enumerate() {
        check_weight(i, w)?;
    }
    let n = weights.len() as f64;
    let total = before.sum;
    let scale = if opts.relative_to_mean {
        total / n
    } else {
        1.0
    };
    let upper = opts.upper.map(|u| u * scale);
    let lower = opts.lower.map(|l| l * scale);
    if let Some(u) = upper {
        if !(u > 0.0) || u * n < total * (1.0 - 1e-12) {
            return Err(CxkpiError::Infeasible {
                message: format!("upper bound {u} × {n} units cannot hold the total {total}"),
            });
        }
    }
    if let Some(l) = lower {
        if !(l >= 0.0) || l * n > total * (1.0 + 1e-12) {
            return Err(CxkpiError::Infeasible {
                message: format!("lower bound {l} × {n} units exceeds the total {total}"),
            });
        }
    }
    if let (Some(l), Some(u)) = (lower, upper) {
        if l > u {
            return Err(CxkpiError::Infeasible {
                message: format!("lower bound {l} exceeds upper bound {u}"),
            });
        }
    }
    let mut w = weights.to_vec();
    let mut iterations = 0;
    loop {
        // Units pinned at a bound stay there; the rest share what the bounds took or gave.
        let mut pinned_mass = NeumaierSum::default();
        let mut free_mass = NeumaierSum::default();
        let mut outside = false;
        for x in w.iter_mut() {
            if let Some(u) = upper {
                if *x >= u {
                    outside |= *x > u;
                    *x = u;
                    pinned_mass.add(u);
                    continue;
                }
            }
            if let Some(l) = lower {
                if *x <= l {
                    outside |= *x < l;
                    *x = l;
                    pinned_mass.add(l);
                    continue;
                }
            }
            free_mass.add(*x);
        }
        if !outside {
            break;
        }
        iterations += 1;
        if iterations > opts.max_iter {
            return Err(CxkpiError::NotConverged {
                method: "trim_weights".into(),
                iterations: opts.max_iter,
                max_rel_error: f64::NAN,
                tolerance: 0.0,
            });
        }
        let free = free_mass.value();
        if free <= 0.0 {
            return Err(CxkpiError::Infeasible {
                message: "every unit is at a bound and the total cannot be kept".into(),
            });
        }
        let f = (total - pinned_mass.value()) / free;
        for x in w.iter_mut() {
            let at_bound = upper.is_some_and(|u| *x == u) || lower.is_some_and(|l| *x == l);
            if !at_bound {
                *x *= f;
            }
        }
    }
    let n_at_upper = upper.map_or(0, |u| w.iter().filter(|&&x| x == u).count() as u64);
    let n_at_lower = lower.map_or(0, |l| w.iter().filter(|&&x| x == l).count() as u64);
    let diagnostics = weight_diagnostics(&w, None)?;
    Ok(TrimResult {
        total: diagnostics.sum,
        weights: w,
        upper,
        lower,
        n_at_upper,
        n_at_lower,
        iterations,
        diagnostics_before: before,
        diagnostics,
    })
}
