//! Weight diagnostics: spread, Kish effective n and design effect.

use crate::error::{CxkpiError, Result};
use crate::scale::check_weight;
use crate::stats::{quantile_sorted, NeumaierSum};

/// Probabilities of the reported weight quantiles.
pub const QUANTILE_PROBS: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/// How spread out a set of weights is, and what it costs in precision.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightDiagnostics {
    pub n: u64,
    pub sum: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// max / min (`None` when a weight is zero).
    pub ratio: Option<f64>,
    /// Type-7 quantiles at [`QUANTILE_PROBS`].
    pub quantiles: Vec<f64>,
    /// Coefficient of variation (population SD / mean).
    pub cv: f64,
    /// Kish effective sample size (Σw)² / Σw².
    pub kish_n: f64,
    /// Kish design effect n · Σw² / (Σw)² = 1 + cv².
    pub deff_kish: f64,
    /// The same for the adjustment w / base when base weights are given.
    pub adjustment_deff: Option<f64>,
}

/// Diagnostics of `weights` (and of the adjustment `weights / base` when `base` is given).
///
/// ```
/// let d = cxkpi::weighting::weight_diagnostics(&[1.0, 1.0, 2.0, 4.0], None).unwrap();
/// assert_eq!(d.kish_n, 64.0 / 22.0);
/// assert_eq!(d.ratio, Some(4.0));
/// ```
pub fn weight_diagnostics(weights: &[f64], base: Option<&[f64]>) -> Result<WeightDiagnostics> {
    if weights.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "weights".into(),
        });
    }
    for (i, &w) in weights.iter().enumerate() {
        check_weight(i, w)?;
    }
    let n = weights.len() as f64;
    let sum = NeumaierSum::of(weights);
    if sum <= 0.0 {
        return Err(CxkpiError::ZeroWeightSum {
            arg: "weights".into(),
            n: weights.len() as u64,
        });
    }
    let mut sum2 = NeumaierSum::default();
    weights.iter().for_each(|w| sum2.add(w * w));
    let sum2 = sum2.value();
    let mut sorted = weights.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let mean = sum / n;
    let mut ss = NeumaierSum::default();
    weights.iter().for_each(|w| ss.add((w - mean) * (w - mean)));
    let var = ss.value() / n;
    let adjustment_deff = match base {
        None => None,
        Some(b) => {
            if b.len() != weights.len() {
                return Err(CxkpiError::LengthMismatch {
                    arg: "base".into(),
                    len: b.len(),
                    other: "weights".into(),
                    other_len: weights.len(),
                });
            }
            let g: Vec<f64> = weights
                .iter()
                .zip(b)
                .filter(|(_, &b)| b > 0.0)
                .map(|(w, b)| w / b)
                .collect();
            let s = NeumaierSum::of(&g);
            let s2 = NeumaierSum::of(&g.iter().map(|x| x * x).collect::<Vec<_>>());
            Some(g.len() as f64 * s2 / (s * s))
        }
    };
    Ok(WeightDiagnostics {
        n: weights.len() as u64,
        sum,
        mean,
        min,
        max,
        ratio: (min > 0.0).then(|| max / min),
        quantiles: QUANTILE_PROBS
            .iter()
            .map(|&p| quantile_sorted(&sorted, p))
            .collect(),
        cv: var.sqrt() / mean,
        kish_n: sum * sum / sum2,
        deff_kish: n * sum2 / (sum * sum),
        adjustment_deff,
    })
}

/// The diagnostics of weights that take the value `values[c]` on `counts[c]` rows (unit base weights),
/// computed on the cell table without expanding it: the same quantities as [`weight_diagnostics`].
pub(crate) fn from_cells(values: &[f64], counts: &[u64]) -> WeightDiagnostics {
    let n: u64 = counts.iter().sum();
    let nf = n as f64;
    let mut sum = NeumaierSum::default();
    let mut sum2 = NeumaierSum::default();
    for (&v, &c) in values.iter().zip(counts) {
        sum.add(v * c as f64);
        sum2.add(v * v * c as f64);
    }
    let (sum, sum2) = (sum.value(), sum2.value());
    let mean = sum / nf;
    let mut ss = NeumaierSum::default();
    for (&v, &c) in values.iter().zip(counts) {
        ss.add((v - mean) * (v - mean) * c as f64);
    }
    let mut order: Vec<usize> = (0..values.len()).filter(|&k| counts[k] > 0).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    // The value at 0-based sorted row position r.
    let at = |r: u64| -> f64 {
        let mut seen = 0;
        for &k in &order {
            seen += counts[k];
            if r < seen {
                return values[k];
            }
        }
        values[*order.last().expect("n > 0")]
    };
    let quantile = |p: f64| {
        let h = (nf - 1.0) * p;
        let lo = h.floor();
        let (a, b) = (at(lo as u64), at(h.ceil() as u64));
        a + (h - lo) * (b - a)
    };
    let (min, max) = (values[order[0]], values[*order.last().expect("n > 0")]);
    WeightDiagnostics {
        n,
        sum,
        mean,
        min,
        max,
        ratio: (min > 0.0).then(|| max / min),
        quantiles: QUANTILE_PROBS.iter().map(|&p| quantile(p)).collect(),
        cv: (ss.value() / nf).sqrt() / mean,
        kish_n: sum * sum / sum2,
        deff_kish: nf * sum2 / (sum * sum),
        adjustment_deff: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_diagnostics_equal_row_diagnostics() {
        let values = [2.5, 0.75, 1.0, 4.0];
        let counts = [3u64, 5, 0, 2];
        let rows: Vec<f64> = values
            .iter()
            .zip(&counts)
            .flat_map(|(&v, &c)| std::iter::repeat_n(v, c as usize))
            .collect();
        let a = from_cells(&values, &counts);
        let b = weight_diagnostics(&rows, None).unwrap();
        assert_eq!((a.n, a.min, a.max, a.ratio), (b.n, b.min, b.max, b.ratio));
        for (x, y) in [
            (a.sum, b.sum),
            (a.kish_n, b.kish_n),
            (a.deff_kish, b.deff_kish),
            (a.cv, b.cv),
            (a.mean, b.mean),
        ]
        .into_iter()
        .chain(a.quantiles.iter().copied().zip(b.quantiles.iter().copied()))
        {
            assert!((x - y).abs() <= 1e-14 * y.abs().max(1.0), "{x} vs {y}");
        }
    }
}
