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
}

impl Default for TrimOptions {
    fn default() -> Self {
        TrimOptions {
            upper: None,
            lower: None,
            relative_to_mean: false,
        }
    }
}

impl TrimOptions {
    /// Reads `upper`, `lower`, `relative_to_mean`.
    pub fn from_options(o: &Options) -> Result<TrimOptions> {
        let mut r = OptionReader::new(o);
        let t = TrimOptions {
            upper: r.f64("upper")?,
            lower: r.f64("lower")?,
            relative_to_mean: r.bool("relative_to_mean")?.unwrap_or(false),
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
    /// Breakpoints of the total as a function of the common factor crossed by the exact solve.
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
    let (lo, hi) = (lower.unwrap_or(0.0), upper.unwrap_or(f64::INFINITY));
    let (f, iterations) = common_factor(weights, None, lo, hi, total)?;
    let w: Vec<f64> = weights.iter().map(|&x| (f * x).clamp(lo, hi)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_raised_to_the_lower_bound_is_lifted_again() {
        // The excess cut at 3 lifts the four small units from 1.2 to 1.75: hand, (10 − 3) / 4.
        let t = trim_weights(
            &[1.0, 1.0, 1.0, 1.0, 6.0],
            &TrimOptions {
                lower: Some(1.2),
                upper: Some(3.0),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(t.weights, vec![1.75, 1.75, 1.75, 1.75, 3.0]);
        assert_eq!((t.n_at_lower, t.n_at_upper), (0, 1));
    }
}

/// The factor f with Σ m_i · clip(f · x_i, lo, hi) = total (m_i = `counts[i]`, 1 when `None`).
///
/// The trimmed weights are clip(f · w_i, lower, upper): units inside the bounds keep their proportions, the
/// rest sit at a bound. This is the fixed point of "cap, give the excess to the others in proportion,
/// repeat", found directly, so a unit raised to the lower bound is lifted again when the excess cut at the
/// top makes room for it. The total is a non-decreasing piecewise-linear function of f: its breakpoints
/// are walked in order. Returns f and the number of breakpoints crossed.
pub(crate) fn common_factor(
    values: &[f64],
    counts: Option<&[u64]>,
    lo: f64,
    hi: f64,
    total: f64,
) -> Result<(f64, u32)> {
    // (f, true = leaves the lower bound / false = reaches the upper bound, value, multiplicity)
    let mut events: Vec<(f64, bool, f64, f64)> = Vec::with_capacity(2 * values.len());
    let (mut at_lo, mut at_hi, mut free) = (0.0f64, 0.0f64, NeumaierSum::default());
    for (i, &x) in values.iter().enumerate() {
        let m = counts.map_or(1.0, |c| c[i] as f64);
        if m == 0.0 {
            continue;
        }
        if x == 0.0 {
            at_lo += m; // stays at the lower bound (or 0) whatever f is
            continue;
        }
        if lo > 0.0 {
            at_lo += m;
            events.push((lo / x, true, x, m));
        } else {
            free.add(m * x);
        }
        if hi.is_finite() {
            events.push((hi / x, false, x, m));
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut crossed = 0u32;
    let mut k = 0;
    loop {
        // On this segment: total(f) = at_lo·lo + at_hi·hi + f·free.
        let a = at_lo * lo + if at_hi > 0.0 { at_hi * hi } else { 0.0 };
        let next = events.get(k).map_or(f64::INFINITY, |e| e.0);
        let b = free.value();
        if b > 0.0 {
            let cand = (total - a) / b;
            let prev = if k == 0 { 0.0 } else { events[k - 1].0 };
            if cand >= prev && cand <= next {
                return Ok((cand, crossed));
            }
        }
        if k >= events.len() {
            return Err(CxkpiError::Infeasible {
                message: format!("no common factor keeps the total {total} within [{lo}, {hi}]"),
            });
        }
        while k < events.len() && events[k].0 == next {
            let (_, leaves_lo, x, m) = events[k];
            if leaves_lo {
                at_lo -= m;
                free.add(m * x);
            } else {
                free.add(-m * x);
                at_hi += m;
            }
            k += 1;
            crossed += 1;
        }
    }
}
