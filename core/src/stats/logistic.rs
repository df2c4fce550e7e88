//! Logistic regression (binary outcome, logit link) by Newton-Raphson / IRLS with step halving, with a
//! convergence report, Wald inference and odds ratios.
//!
//! Convergence: stop when the largest relative coefficient step max|Δγ|/(1+|γ|) falls below `tol`
//! (default 1e-10), then evaluate the information matrix at the final estimate. Failure to converge within
//! `max_iter` (often complete or quasi-complete separation) is a `not_converged` error, never a silent
//! estimate.

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::z_crit;
use crate::stats::fdist::z_two_sided;
use crate::stats::linalg::{
    block_sum, gram_block_w, unpack, xb_block, xtv_block, Chol, Design, BLOCK,
};
use nalgebra::DVector;
use serde::{Deserialize, Serialize};

/// Options of [`logistic`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticOptions {
    /// Fit an intercept (default true).
    pub intercept: bool,
    /// Confidence level of the Wald intervals (default 0.95).
    pub confidence: f64,
    /// Relative step tolerance (default 1e-10).
    pub tol: f64,
    /// Iteration limit (default 50).
    pub max_iter: u32,
    /// Predictor names (default x1, x2, …).
    pub names: Option<Vec<String>>,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            intercept: true,
            confidence: 0.95,
            tol: 1e-10,
            max_iter: 50,
            names: None,
        }
    }
}

impl LogisticOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check::confidence(self.confidence)?;
        if !(self.tol > 0.0 && self.tol < 1.0) {
            return Err(CxkpiError::invalid(
                "tol",
                format!("must lie in (0, 1), got {}", self.tol),
            ));
        }
        if self.max_iter == 0 {
            return Err(CxkpiError::invalid("max_iter", "must be at least 1"));
        }
        Ok(())
    }
}

/// One row of a logistic coefficient table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticCoefficient {
    /// `intercept` or the predictor's name.
    pub name: String,
    /// Log-odds coefficient.
    pub estimate: f64,
    /// Standard error from the observed information.
    pub se: f64,
    /// Wald z.
    pub z: f64,
    /// Two-sided p-value of z.
    pub p_value: f64,
    /// Lower Wald limit of the coefficient.
    pub lower: f64,
    /// Upper Wald limit.
    pub upper: f64,
    /// exp(estimate).
    pub odds_ratio: f64,
    /// exp(lower).
    pub odds_ratio_lower: f64,
    /// exp(upper).
    pub odds_ratio_upper: f64,
}

/// Result of [`logistic`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticResult {
    /// Rows.
    pub n: u64,
    /// Rows with outcome 1.
    pub n_events: u64,
    /// The coefficient table (intercept first).
    pub coefficients: Vec<LogisticCoefficient>,
    /// Residual deviance -2 logL.
    pub deviance: f64,
    /// Deviance of the intercept-only model (or of p = 1/2 without an intercept).
    pub null_deviance: f64,
    /// Log-likelihood.
    pub log_likelihood: f64,
    /// -2 logL + 2p.
    pub aic: f64,
    /// McFadden's pseudo-R²: 1 - deviance / null deviance.
    pub pseudo_r_squared: f64,
    /// Likelihood-ratio chi-square against the null model.
    pub lr_chi2: f64,
    /// Its p-value (df = predictors).
    pub lr_p_value: f64,
    /// Newton iterations used.
    pub iterations: u32,
    /// Always true in a returned result (non-convergence is an error).
    pub converged: bool,
    /// Final max relative step.
    pub final_step: f64,
    /// Confidence level.
    pub confidence: f64,
    /// `newton_irls`.
    pub method: String,
    /// Covariance matrix of the estimates (row-major).
    pub cov: Vec<Vec<f64>>,
}

/// (μ, log(1 + e^η)) of a linear predictor η with one `exp` and one `ln_1p`, without overflow.
#[inline]
fn mu_and_log1pexp(eta: f64) -> (f64, f64) {
    let e = (-eta.abs()).exp();
    let mu = if eta >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    };
    (mu, eta.max(0.0) + e.ln_1p())
}

fn separation(iterations: u32, step: f64, tol: f64) -> CxkpiError {
    CxkpiError::NotConverged {
        method: "logistic regression (Newton-IRLS; complete or quasi-complete separation?)".into(),
        iterations,
        max_rel_error: step,
        tolerance: tol,
    }
}

/// Logistic regression of a 0/1 outcome `y` on predictor columns `x`.
///
/// ```
/// use cxkpi::stats::logistic::{logistic, LogisticOptions};
/// let churned = [1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0];
/// let sentiment = [-0.8, -0.5, 0.2, -0.1, 0.6, 0.3, 0.9, 0.1, -0.3, 0.5];
/// let fit = logistic(&churned, &[&sentiment], &LogisticOptions::default()).unwrap();
/// assert!(fit.coefficients[1].odds_ratio < 1.0); // happier customers churn less
/// ```
pub fn logistic(y: &[f64], x: &[&[f64]], options: &LogisticOptions) -> Result<LogisticResult> {
    check_outcome(y, options)?;
    let d = Design::new(y.len(), x, options.intercept, options.names.as_deref())?;
    logistic_design(y, &d, options)
}

/// [`logistic`] with the predictors in one row-major table `x` of `y.len()` rows × `ncols` columns (e.g. a
/// C-ordered 2-D array), read in place. Same results as [`logistic`] on its columns, to the last bit.
pub fn logistic_rows(
    y: &[f64],
    x: &[f64],
    ncols: usize,
    options: &LogisticOptions,
) -> Result<LogisticResult> {
    check_outcome(y, options)?;
    let d = Design::from_rows(
        y.len(),
        x,
        ncols,
        options.intercept,
        options.names.as_deref(),
    )?;
    logistic_design(y, &d, options)
}

fn check_outcome(y: &[f64], options: &LogisticOptions) -> Result<()> {
    options.validate()?;
    for (i, &v) in y.iter().enumerate() {
        if v.is_nan() {
            return Err(CxkpiError::MissingValue {
                arg: "y".into(),
                index: i,
            });
        }
        if v != 0.0 && v != 1.0 {
            return Err(CxkpiError::invalid(
                "y",
                format!("element {i} = {v}; the outcome must be 0 or 1"),
            ));
        }
    }
    Ok(())
}

fn logistic_design(y: &[f64], d: &Design, options: &LogisticOptions) -> Result<LogisticResult> {
    let n = d.n;
    let p = d.p;
    check::at_least("logistic (rows, more than the parameters)", n, p + 1)?;
    let events = y.iter().filter(|&&v| v == 1.0).count();
    if events == 0 || events == n {
        return Err(CxkpiError::invalid(
            "y",
            format!(
                "all {n} outcomes are {}: the model is not estimable",
                if events == 0 { 0 } else { 1 }
            ),
        ));
    }
    let ybar = events as f64 / n as f64;
    let pp = p * (p + 1) / 2;
    let mut gamma = DVector::zeros(p);
    if d.intercept {
        gamma[0] = (ybar / (1.0 - ybar)).ln();
    }
    // one pass at γ: deviance, information XᵀWX and score Xᵀ(y - μ)
    let eval = |g: &DVector<f64>| -> (f64, Vec<f64>) {
        let gv: Vec<f64> = g.iter().copied().collect();
        let mut acc = block_sum(d, 3 * BLOCK, 1 + pp + p, |i0, bl, z, t, acc| {
            let (eta, rest) = t.split_at_mut(BLOCK);
            let (wt, r) = rest.split_at_mut(BLOCK);
            xb_block(z, bl, &gv, eta);
            let mut nll = 0.0;
            for k in 0..bl {
                let e = eta[k];
                let (mu, l1pe) = mu_and_log1pexp(e);
                let yi = y[i0 + k];
                // -log-lik contribution: log(1 + e^eta) - y eta
                nll += l1pe - yi * e;
                wt[k] = mu * (1.0 - mu);
                r[k] = yi - mu;
            }
            acc[0] += nll;
            // eta is free again: scratch of the weighted Gram
            gram_block_w(z, bl, p, &wt[..bl], eta, &mut acc[1..1 + pp]);
            xtv_block(z, bl, &r[..bl], &mut acc[1 + pp..]);
        });
        let dev = 2.0 * acc[0];
        acc.remove(0);
        (dev, acc)
    };
    let (mut dev, mut acc) = eval(&gamma);
    let mut iterations = 0u32;
    let mut step_rel = f64::INFINITY;
    let mut converged = false;
    while iterations < options.max_iter {
        iterations += 1;
        let h = unpack(p, &acc[..pp]);
        // a singular design shows at the first iteration (constant weights); later, a singular information
        // matrix means fitted probabilities collapsed to 0/1: separation
        let chol = match Chol::new(&h, &d.names, "x") {
            Ok(c) => c,
            Err(e) if iterations == 1 => return Err(e),
            Err(_) => return Err(separation(iterations, step_rel, options.tol)),
        };
        let mut delta = chol.solve(&DVector::from_column_slice(&acc[pp..]));
        let mut cand = &gamma + &delta;
        let (mut cand_dev, mut cand_acc) = eval(&cand);
        let mut halvings = 0;
        // NaN-safe: a NaN deviance also counts as "not better"
        while (cand_dev.is_nan() || cand_dev > dev * (1.0 + 1e-15) + 1e-300) && halvings < 30 {
            delta *= 0.5;
            cand = &gamma + &delta;
            (cand_dev, cand_acc) = eval(&cand);
            halvings += 1;
        }
        step_rel = (0..p)
            .map(|j| delta[j].abs() / (1.0 + cand[j].abs()))
            .fold(0.0, f64::max);
        gamma = cand;
        dev = cand_dev;
        acc = cand_acc;
        if step_rel < options.tol {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(separation(iterations, step_rel, options.tol));
    }
    // the information at the final estimate (from the last pass)
    let h = unpack(p, &acc[..pp]);
    let chol =
        Chol::new(&h, &d.names, "x").map_err(|_| separation(iterations, step_rel, options.tol))?;
    let a = d.back_transform();
    let theta = &a * &gamma;
    let cov = &a * chol.inverse() * a.transpose();
    let zq = z_crit(options.confidence);
    let coefficients = (0..p)
        .map(|j| {
            let est = theta[j];
            let se = cov[(j, j)].max(0.0).sqrt();
            let z = est / se;
            let lower = est - zq * se;
            let upper = est + zq * se;
            LogisticCoefficient {
                name: d.names[j].clone(),
                estimate: est,
                se,
                z,
                p_value: z_two_sided(z),
                lower,
                upper,
                odds_ratio: est.exp(),
                odds_ratio_lower: lower.exp(),
                odds_ratio_upper: upper.exp(),
            }
        })
        .collect();
    let null_dev = if d.intercept {
        let e = events as f64;
        let ne = (n - events) as f64;
        -2.0 * (e * ybar.ln() + ne * (1.0 - ybar).ln())
    } else {
        2.0 * n as f64 * std::f64::consts::LN_2
    };
    let df_model = (p - usize::from(d.intercept)) as f64;
    let lr = (null_dev - dev).max(0.0);
    let lr_p = if df_model > 0.0 {
        statrs::function::gamma::gamma_ur(df_model / 2.0, lr / 2.0)
    } else {
        1.0
    };
    Ok(LogisticResult {
        n: n as u64,
        n_events: events as u64,
        coefficients,
        deviance: dev,
        null_deviance: null_dev,
        log_likelihood: -dev / 2.0,
        aic: dev + 2.0 * p as f64,
        pseudo_r_squared: 1.0 - dev / null_dev,
        lr_chi2: lr,
        lr_p_value: lr_p,
        iterations,
        converged,
        final_step: step_rel,
        confidence: options.confidence,
        method: "newton_irls".into(),
        cov: (0..p)
            .map(|r| (0..p).map(|c| cov[(r, c)]).collect())
            .collect(),
    })
}
