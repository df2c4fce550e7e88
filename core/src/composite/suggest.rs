//! Weights suggested from history: OLS of an outcome on the components, and the Shapley decomposition of
//! R² (LMG relative importance), offered with their uncertainty.

use crate::error::{CxkpiError, Result};
use crate::stats::regression::{ols, shapley_r2, OlsOptions};
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
    // One implementation of least squares and of the LMG decomposition: the stats module's.
    let x: Vec<&[f64]> = components.iter().map(Vec::as_slice).collect();
    let opts = OlsOptions {
        names: Some(names.to_vec()),
        ..OlsOptions::default()
    };
    let fit = ols(outcome, &x, &opts).map_err(|e| rename_arg(e, "components"))?;
    let r2 = fit.r_squared;
    if !(r2 > 0.0) {
        return Err(CxkpiError::invalid(
            "outcome",
            "R² is zero (constant outcome or no relation): no weights can be suggested",
        ));
    }
    let lmg = shapley_r2(outcome, &x, Some(names)).map_err(|e| rename_arg(e, "components"))?;
    let shapley: Vec<f64> = lmg.drivers.iter().map(|d| d.shapley).collect();
    let weights = shapley.iter().map(|v| v / r2).collect();
    let slopes = &fit.coefficients[1..];
    Ok(WeightSuggestion {
        names: names.to_vec(),
        n: n as u64,
        intercept: fit.coefficients[0].estimate,
        lower: slopes.iter().map(|c| c.lower).collect(),
        upper: slopes.iter().map(|c| c.upper).collect(),
        coefficients: slopes.iter().map(|c| c.estimate).collect(),
        std_errors: slopes.iter().map(|c| c.se).collect(),
        r_squared: r2,
        shapley,
        weights,
    })
}

/// Errors from the regression name its `x` argument; here the predictors are the scorecard's components.
fn rename_arg(e: CxkpiError, arg: &str) -> CxkpiError {
    match e {
        CxkpiError::InvalidArgument { arg: a, message } if a == "x" => {
            CxkpiError::InvalidArgument {
                arg: arg.into(),
                message,
            }
        }
        other => other,
    }
}
