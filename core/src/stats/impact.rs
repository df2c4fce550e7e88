//! Impact of a change: Welch, Student, paired and one-sample t-tests; difference-in-differences (2×2 cell
//! means, with its standard error from the regression y ~ treated + post + treated·post under a chosen
//! covariance, classical or HC0-HC3).

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::{t_crit, t_sf};
use crate::stats::fdist::t_two_sided;
use crate::stats::regression::{ols, CovType, OlsOptions};
use serde::{Deserialize, Serialize};

/// Which t-test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TTestKind {
    /// Unequal variances, Welch-Satterthwaite df (default).
    #[default]
    Welch,
    /// Pooled variance, n_x + n_y - 2 df.
    Student,
    /// Paired differences x - y.
    Paired,
    /// One sample against `mu`.
    OneSample,
}

/// Alternative hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Alternative {
    /// Difference ≠ mu.
    #[default]
    TwoSided,
    /// Difference < mu.
    Less,
    /// Difference > mu.
    Greater,
}

/// Options of [`t_test`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TTestOptions {
    /// `welch` (default), `student`, `paired` or `one_sample`.
    pub kind: TTestKind,
    /// `two_sided` (default), `less` or `greater`.
    pub alternative: Alternative,
    /// Hypothesised difference (default 0).
    pub mu: f64,
    /// Confidence level (default 0.95).
    pub confidence: f64,
}

impl Default for TTestOptions {
    fn default() -> Self {
        TTestOptions {
            kind: TTestKind::Welch,
            alternative: Alternative::TwoSided,
            mu: 0.0,
            confidence: 0.95,
        }
    }
}

/// Result of [`t_test`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTestResult {
    /// `welch`, `student`, `paired` or `one_sample`.
    pub kind: String,
    /// `two_sided`, `less` or `greater`.
    pub alternative: String,
    /// mean(x) - mean(y) (paired: mean of x - y; one sample: mean(x)).
    pub estimate: f64,
    /// Mean of x.
    pub mean_x: f64,
    /// Mean of y (None for one sample).
    pub mean_y: Option<f64>,
    /// Sizes.
    pub n_x: u64,
    /// Size of y (None for one sample).
    pub n_y: Option<u64>,
    /// Standard error of the estimate.
    pub se: f64,
    /// (estimate - mu) / se.
    pub t: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// p-value under `alternative`.
    pub p_value: f64,
    /// Lower confidence limit (None for `less`).
    pub lower: Option<f64>,
    /// Upper confidence limit (None for `greater`).
    pub upper: Option<f64>,
    /// Confidence level.
    pub confidence: f64,
    /// Hypothesised value.
    pub mu: f64,
}

fn var(xs: &[f64]) -> f64 {
    check::ss(xs, check::mean(xs)) / (xs.len() as f64 - 1.0)
}

/// t-test of a difference in means (`y` is None for `one_sample`).
///
/// ```
/// use cxkpi::stats::impact::{t_test, TTestOptions};
/// let before = [7.1, 6.8, 7.4, 6.9, 7.0, 7.2];
/// let after = [7.6, 7.9, 7.3, 8.1, 7.7, 7.8, 7.5];
/// let r = t_test(&after, Some(&before), &TTestOptions::default()).unwrap();
/// assert_eq!(r.kind, "welch");
/// assert!(r.p_value < 0.001);
/// ```
pub fn t_test(x: &[f64], y: Option<&[f64]>, options: &TTestOptions) -> Result<TTestResult> {
    check::confidence(options.confidence)?;
    if !options.mu.is_finite() {
        return Err(CxkpiError::invalid("mu", "must be finite"));
    }
    check::finite("x", x)?;
    if let Some(y) = y {
        check::finite("y", y)?;
    }
    let need_y = options.kind != TTestKind::OneSample;
    let y = match (y, need_y) {
        (Some(y), true) => Some(y),
        (None, false) => None,
        (None, true) => {
            return Err(CxkpiError::invalid(
                "y",
                "a two-sample or paired t-test needs `y`",
            ))
        }
        (Some(_), false) => {
            return Err(CxkpiError::invalid("y", "a one-sample t-test takes no `y`"))
        }
    };
    let mx = if x.is_empty() { 0.0 } else { check::mean(x) };
    let (estimate, se, df, my) = match options.kind {
        TTestKind::OneSample => {
            check::at_least("one-sample t-test (x)", x.len(), 2)?;
            let n = x.len() as f64;
            (mx, (var(x) / n).sqrt(), n - 1.0, None)
        }
        TTestKind::Paired => {
            let y = y.unwrap();
            check::same_len("y", y.len(), "x", x.len())?;
            check::at_least("paired t-test (pairs)", x.len(), 2)?;
            let dif: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
            let n = dif.len() as f64;
            (
                check::mean(&dif),
                (var(&dif) / n).sqrt(),
                n - 1.0,
                Some(check::mean(y)),
            )
        }
        TTestKind::Welch | TTestKind::Student => {
            let y = y.unwrap();
            let min = if options.kind == TTestKind::Welch {
                2
            } else {
                1
            };
            check::at_least("t-test (x)", x.len(), min)?;
            check::at_least("t-test (y)", y.len(), min)?;
            check::at_least("t-test (x and y)", x.len() + y.len(), 3)?;
            let my = check::mean(y);
            let nx = x.len() as f64;
            let ny = y.len() as f64;
            let ssx = check::ss(x, mx);
            let ssy = check::ss(y, my);
            if options.kind == TTestKind::Welch {
                let vx = ssx / (nx - 1.0) / nx;
                let vy = ssy / (ny - 1.0) / ny;
                let se2 = vx + vy;
                let df = se2 * se2 / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
                (mx - my, se2.sqrt(), df, Some(my))
            } else {
                let df = nx + ny - 2.0;
                let sp2 = (ssx + ssy) / df;
                (mx - my, (sp2 * (1.0 / nx + 1.0 / ny)).sqrt(), df, Some(my))
            }
        }
    };
    if se == 0.0 || !se.is_finite() || !df.is_finite() {
        return Err(CxkpiError::invalid(
            "x",
            "the data have zero variance: the t statistic is undefined",
        ));
    }
    let t = (estimate - options.mu) / se;
    let (p_value, lower, upper) = match options.alternative {
        Alternative::TwoSided => {
            let q = t_crit(options.confidence, df)?;
            (
                t_two_sided(t, df),
                Some(estimate - q * se),
                Some(estimate + q * se),
            )
        }
        Alternative::Less => {
            let q = t_crit(1.0 - 2.0 * (1.0 - options.confidence), df)?;
            (t_sf(-t, df)?, None, Some(estimate + q * se))
        }
        Alternative::Greater => {
            let q = t_crit(1.0 - 2.0 * (1.0 - options.confidence), df)?;
            (t_sf(t, df)?, Some(estimate - q * se), None)
        }
    };
    let kind = match options.kind {
        TTestKind::Welch => "welch",
        TTestKind::Student => "student",
        TTestKind::Paired => "paired",
        TTestKind::OneSample => "one_sample",
    };
    let alternative = match options.alternative {
        Alternative::TwoSided => "two_sided",
        Alternative::Less => "less",
        Alternative::Greater => "greater",
    };
    Ok(TTestResult {
        kind: kind.into(),
        alternative: alternative.into(),
        estimate,
        mean_x: mx,
        mean_y: my,
        n_x: x.len() as u64,
        n_y: y.map(|y| y.len() as u64),
        se,
        t,
        df,
        p_value,
        lower,
        upper,
        confidence: options.confidence,
        mu: options.mu,
    })
}

/// Options of [`did`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DidOptions {
    /// Covariance of the regression SE (default `nonrobust`; `HC0`-`HC3`).
    pub cov_type: CovType,
    /// Confidence level (default 0.95).
    pub confidence: f64,
}

impl Default for DidOptions {
    fn default() -> Self {
        DidOptions {
            cov_type: CovType::Nonrobust,
            confidence: 0.95,
        }
    }
}

/// One cell of the 2×2 table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DidCell {
    /// Rows in the cell.
    pub n: u64,
    /// Mean outcome.
    pub mean: f64,
}

/// Result of [`did`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DidResult {
    /// (treated post − treated pre) − (control post − control pre).
    pub estimate: f64,
    /// Its standard error from the regression.
    pub se: f64,
    /// estimate / se (None when se = 0).
    pub t: Option<f64>,
    /// Residual df n − 4.
    pub df: f64,
    /// Two-sided p-value (None when se = 0).
    pub p_value: Option<f64>,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// Control, before.
    pub control_pre: DidCell,
    /// Control, after.
    pub control_post: DidCell,
    /// Treated, before.
    pub treated_pre: DidCell,
    /// Treated, after.
    pub treated_post: DidCell,
    /// Covariance used for the SE.
    pub cov_type: String,
    /// Confidence level.
    pub confidence: f64,
}

fn flags(arg: &str, v: &[f64]) -> Result<()> {
    for (i, &x) in v.iter().enumerate() {
        if x.is_nan() {
            return Err(CxkpiError::MissingValue {
                arg: arg.into(),
                index: i,
            });
        }
        if x != 0.0 && x != 1.0 {
            return Err(CxkpiError::invalid(
                arg,
                format!("element {i} = {x}; flags must be 0 or 1"),
            ));
        }
    }
    Ok(())
}

/// Difference-in-differences of `y` with 0/1 flags `treated` and `post`.
///
/// ```
/// use cxkpi::stats::impact::{did, DidOptions};
/// let y = [70.0, 72.0, 71.0, 79.0, 80.0, 81.0, 70.0, 71.0, 72.0, 74.0, 73.0, 75.0];
/// let treated = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
/// let post = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
/// let r = did(&y, &treated, &post, &DidOptions::default()).unwrap();
/// assert!((r.estimate - 6.0).abs() < 1e-12);
/// ```
pub fn did(y: &[f64], treated: &[f64], post: &[f64], options: &DidOptions) -> Result<DidResult> {
    check::finite("y", y)?;
    check::same_len("treated", treated.len(), "y", y.len())?;
    check::same_len("post", post.len(), "y", y.len())?;
    flags("treated", treated)?;
    flags("post", post)?;
    let mut cells = [(0u64, crate::stats::sum::NeumaierSum::default()); 4];
    for i in 0..y.len() {
        let c = (treated[i] as usize) * 2 + post[i] as usize;
        cells[c].0 += 1;
        cells[c].1.add(y[i]);
    }
    let labels = ["control_pre", "control_post", "treated_pre", "treated_post"];
    for (c, l) in cells.iter().zip(labels) {
        if c.0 == 0 {
            return Err(CxkpiError::InsufficientData {
                what: format!("did cell {l}"),
                n: 0,
                required: 1,
            });
        }
    }
    let inter: Vec<f64> = treated.iter().zip(post).map(|(a, b)| a * b).collect();
    let fit = ols(
        y,
        &[treated, post, &inter],
        &OlsOptions {
            cov_type: options.cov_type,
            confidence: options.confidence,
            names: Some(vec!["treated".into(), "post".into(), "treated:post".into()]),
            ..OlsOptions::default()
        },
    )?;
    let c = &fit.coefficients[3];
    let cell = |k: usize| DidCell {
        n: cells[k].0,
        mean: cells[k].1.value() / cells[k].0 as f64,
    };
    let (cp, cq, tp, tq) = (cell(0), cell(1), cell(2), cell(3));
    Ok(DidResult {
        estimate: (tq.mean - tp.mean) - (cq.mean - cp.mean),
        se: c.se,
        t: c.t,
        df: fit.df_resid,
        p_value: c.p_value,
        lower: c.lower,
        upper: c.upper,
        control_pre: cp,
        control_post: cq,
        treated_pre: tp,
        treated_post: tq,
        cov_type: options.cov_type.name().into(),
        confidence: options.confidence,
    })
}
