//! Weights suggested from history: OLS of an outcome on the components, and the Shapley decomposition of
//! R² (LMG relative importance), offered with their uncertainty.

use crate::error::{CxkpiError, Result};
use crate::stats::{t_crit, NeumaierSum};
use serde::{Deserialize, Serialize};

/// Suggested weights for components from their relation to an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightSuggestion {
    pub names: Vec<String>,
    pub n: u64,
    pub intercept: f64,
    /// OLS slopes.
    pub coefficients: Vec<f64>,
    pub std_errors: Vec<f64>,
    /// 95% t intervals of the slopes (df = n - p - 1).
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub r_squared: f64,
    /// Shapley (LMG) shares of R²: they sum to `r_squared`.
    pub shapley: Vec<f64>,
    /// Suggested weights: `shapley / r_squared` (sum to 1).
    pub weights: Vec<f64>,
}

/// R² of the OLS of `y` on the columns `cols` of `x` (with intercept) and, when `full`, the fit.
fn ols(x: &[Vec<f64>], y: &[f64], cols: &[usize]) -> Result<(f64, Vec<f64>, Vec<Vec<f64>>, f64)> {
    let n = y.len();
    let p = cols.len();
    let my = NeumaierSum::of(y) / n as f64;
    let yc: Vec<f64> = y.iter().map(|v| v - my).collect();
    let mut sst = NeumaierSum::default();
    yc.iter().for_each(|v| sst.add(v * v));
    let sst = sst.value();
    if p == 0 {
        return Ok((0.0, Vec::new(), Vec::new(), sst));
    }
    let xc: Vec<Vec<f64>> = cols
        .iter()
        .map(|&j| {
            let m = NeumaierSum::of(&x[j]) / n as f64;
            x[j].iter().map(|v| v - m).collect()
        })
        .collect();
    // Normal equations A b = c, inverted by Gauss-Jordan with partial pivoting.
    let mut a = vec![vec![0.0; 2 * p]; p];
    let mut cvec = vec![0.0; p];
    for i in 0..p {
        for j in 0..p {
            let mut s = NeumaierSum::default();
            for r in 0..n {
                s.add(xc[i][r] * xc[j][r]);
            }
            a[i][j] = s.value();
        }
        a[i][p + i] = 1.0;
        let mut s = NeumaierSum::default();
        for r in 0..n {
            s.add(xc[i][r] * yc[r]);
        }
        cvec[i] = s.value();
    }
    let scale = (0..p).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    for col in 0..p {
        let piv = (col..p)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap();
        if a[piv][col].abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE) {
            return Err(CxkpiError::invalid(
                "components",
                "the components are collinear (or constant): the regression has no unique solution",
            ));
        }
        a.swap(piv, col);
        let d = a[col][col];
        a[col].iter_mut().for_each(|v| *v /= d);
        for i in 0..p {
            if i != col {
                let f = a[i][col];
                if f != 0.0 {
                    for j in 0..2 * p {
                        a[i][j] -= f * a[col][j];
                    }
                }
            }
        }
    }
    let inv: Vec<Vec<f64>> = a.iter().map(|r| r[p..].to_vec()).collect();
    let b: Vec<f64> = (0..p)
        .map(|i| (0..p).map(|j| inv[i][j] * cvec[j]).sum())
        .collect();
    let mut sse = NeumaierSum::default();
    for r in 0..n {
        let fit: f64 = (0..p).map(|i| b[i] * xc[i][r]).sum();
        let e = yc[r] - fit;
        sse.add(e * e);
    }
    Ok((1.0 - sse.value() / sst, b, inv, sse.value()))
}

/// OLS of `outcome` on `components` (one vector per component) and the Shapley decomposition of R².
///
/// Matches R `lm(y ~ x1 + ... + xp)` for the coefficients and `relaimpo::calc.relimp(type = "lmg")` for
/// the shares. At most 12 components (the decomposition visits every subset).
///
/// ```
/// use cxkpi::composite::suggest_weights;
/// let x1 = vec![1.0, 2.0, 3.0, 4.0, 5.0];
/// let y = vec![2.0, 4.1, 5.9, 8.2, 9.9];
/// let s = suggest_weights(&[x1], &["a".into()], &y).unwrap();
/// assert!((s.weights[0] - 1.0).abs() < 1e-12);
/// ```
pub fn suggest_weights(
    components: &[Vec<f64>],
    names: &[String],
    outcome: &[f64],
) -> Result<WeightSuggestion> {
    let p = components.len();
    let n = outcome.len();
    if p == 0 {
        return Err(CxkpiError::EmptyInput {
            arg: "components".into(),
        });
    }
    if p > 12 {
        return Err(CxkpiError::invalid(
            "components",
            format!(
                "at most 12 components (the Shapley decomposition visits 2^p subsets), got {p}"
            ),
        ));
    }
    if names.len() != p {
        return Err(CxkpiError::LengthMismatch {
            arg: "names".into(),
            len: names.len(),
            other: "components".into(),
            other_len: p,
        });
    }
    for (j, c) in components.iter().enumerate() {
        if c.len() != n {
            return Err(CxkpiError::LengthMismatch {
                arg: format!("components[{j}]"),
                len: c.len(),
                other: "outcome".into(),
                other_len: n,
            });
        }
        if let Some(i) = c.iter().position(|v| !v.is_finite()) {
            return Err(CxkpiError::invalid(
                &format!("components[{j}][{i}]"),
                format!("must be finite, got {}", c[i]),
            ));
        }
    }
    if let Some(i) = outcome.iter().position(|v| !v.is_finite()) {
        return Err(CxkpiError::invalid(
            &format!("outcome[{i}]"),
            format!("must be finite, got {}", outcome[i]),
        ));
    }
    if n < p + 2 {
        return Err(CxkpiError::InsufficientData {
            what: format!("a regression on {p} components"),
            n: n as u64,
            required: (p + 2) as u64,
        });
    }
    let all: Vec<usize> = (0..p).collect();
    let (r2, b, inv, sse) = ols(components, outcome, &all)?;
    if !(r2 > 0.0) {
        return Err(CxkpiError::invalid(
            "outcome",
            "R² is zero (constant outcome or no relation): no weights can be suggested",
        ));
    }
    let df = (n - p - 1) as f64;
    let sigma2 = sse / df;
    let tc = t_crit(0.95, df)?;
    let se: Vec<f64> = (0..p).map(|i| (sigma2 * inv[i][i]).sqrt()).collect();
    let my = NeumaierSum::of(outcome) / n as f64;
    let intercept = my
        - (0..p)
            .map(|j| b[j] * NeumaierSum::of(&components[j]) / n as f64)
            .sum::<f64>();
    // R² of every subset.
    let mut r2s = vec![0.0; 1 << p];
    for mask in 1..(1usize << p) {
        let cols: Vec<usize> = (0..p).filter(|j| mask >> j & 1 == 1).collect();
        r2s[mask] = ols(components, outcome, &cols)?.0;
    }
    let fact = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let mut shapley = vec![0.0; p];
    for (j, sh) in shapley.iter_mut().enumerate() {
        let mut acc = NeumaierSum::default();
        for mask in 0..(1usize << p) {
            if mask >> j & 1 == 1 {
                continue;
            }
            let s = mask.count_ones() as usize;
            let w = fact(s) * fact(p - s - 1) / fact(p);
            acc.add(w * (r2s[mask | 1 << j] - r2s[mask]));
        }
        *sh = acc.value();
    }
    let weights = shapley.iter().map(|v| v / r2).collect();
    Ok(WeightSuggestion {
        names: names.to_vec(),
        n: n as u64,
        intercept,
        lower: (0..p).map(|i| b[i] - tc * se[i]).collect(),
        upper: (0..p).map(|i| b[i] + tc * se[i]).collect(),
        coefficients: b,
        std_errors: se,
        r_squared: r2,
        shapley,
        weights,
    })
}
