//! Association: Pearson and Spearman correlation with p-values and intervals, correlation matrices with
//! multiplicity-adjusted p-values (Holm, Benjamini-Hochberg).
//!
//! Conventions (each recorded in the result):
//! - p-value `t`: r·sqrt((n-2)/(1-r²)) against Student's t with n-2 df (exact for Pearson under bivariate
//!   normality; for Spearman an approximation, labelled `t_approximation`).
//! - p-value `exact_permutation`: all n! pairings enumerated; two-sided p = min(1, 2·min(P(R ≤ r), P(R ≥ r)))
//!   (scipy's `permutation_test` convention). `auto` uses it for Spearman when n ≤ 10, `t` otherwise.
//! - Intervals: Fisher z with se 1/sqrt(n-3) for Pearson; Bonett & Wright (2000) se sqrt((1+r²/2)/(n-3))
//!   for Spearman; None when n < 4.

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::z_crit;
use crate::stats::fdist::t_two_sided;
use serde::{Deserialize, Serialize};

/// Correlation coefficient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationMethod {
    /// Pearson product-moment correlation.
    #[default]
    Pearson,
    /// Spearman rank correlation (Pearson on average ranks).
    Spearman,
}

impl CorrelationMethod {
    fn name(self) -> &'static str {
        match self {
            CorrelationMethod::Pearson => "pearson",
            CorrelationMethod::Spearman => "spearman",
        }
    }
}

/// How the p-value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PValueMethod {
    /// `exact_permutation` for Spearman with n ≤ 10, `t` otherwise.
    #[default]
    Auto,
    /// Student t with n-2 df.
    T,
    /// Enumerate all n! permutations (n ≤ 10).
    ExactPermutation,
}

/// Largest n for which the exact permutation p-value is offered (10! = 3,628,800 pairings).
pub const EXACT_MAX_N: usize = 10;

/// Options of [`correlation`] and [`correlation_matrix`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorrelationOptions {
    /// `pearson` (default) or `spearman`.
    pub method: CorrelationMethod,
    /// `auto` (default), `t` or `exact_permutation`.
    pub p_method: PValueMethod,
    /// Confidence level of the interval (default 0.95).
    pub confidence: f64,
}

impl Default for CorrelationOptions {
    fn default() -> Self {
        CorrelationOptions {
            method: CorrelationMethod::Pearson,
            p_method: PValueMethod::Auto,
            confidence: 0.95,
        }
    }
}

impl CorrelationOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check::confidence(self.confidence).map(|_| ())
    }
}

/// Result of [`correlation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationResult {
    /// `pearson` or `spearman`.
    pub method: String,
    /// The coefficient.
    pub r: f64,
    /// Pairs used.
    pub n: u64,
    /// t statistic r·sqrt((n-2)/(1-r²)) (None when |r| = 1).
    pub t: Option<f64>,
    /// Degrees of freedom n-2.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `t`, `t_approximation` or `exact_permutation`.
    pub p_method: String,
    /// Lower confidence limit (None when n < 4).
    pub lower: Option<f64>,
    /// Upper confidence limit.
    pub upper: Option<f64>,
    /// Confidence level.
    pub confidence: f64,
    /// `fisher_z` or `bonett_wright`.
    pub interval_method: String,
}

/// Average ranks (1-based; ties share the mean of their ranks).
pub fn rank_average(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut ranks = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    ranks
}

fn pearson_r(x: &[f64], y: &[f64], xarg: &str, yarg: &str) -> Result<f64> {
    let mx = check::mean(x);
    let my = check::mean(y);
    let sxx = check::ss(x, mx);
    let syy = check::ss(y, my);
    for (s, a) in [(sxx, xarg), (syy, yarg)] {
        if s == 0.0 {
            return Err(CxkpiError::invalid(
                a,
                "has zero variance: the correlation is undefined",
            ));
        }
    }
    let r = check::sxy(x, mx, y, my) / (sxx.sqrt() * syy.sqrt());
    Ok(r.clamp(-1.0, 1.0))
}

/// Exact two-sided permutation p-value of Σ x·y over all pairings (Heap's algorithm).
fn exact_permutation_p(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    let stat = |y: &[f64]| -> f64 { x.iter().zip(y).map(|(a, b)| a * b).sum() };
    let mut yy = y.to_vec();
    let obs = stat(&yy);
    let gamma = 1e-12 * obs.abs().max(1e-300);
    let (mut le, mut ge, mut total) = (0u64, 0u64, 0u64);
    let mut count = |s: f64| {
        if s <= obs + gamma {
            le += 1;
        }
        if s >= obs - gamma {
            ge += 1;
        }
        total += 1;
    };
    count(obs);
    let mut c = vec![0usize; n];
    let mut i = 1;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                yy.swap(0, i);
            } else {
                yy.swap(c[i], i);
            }
            count(stat(&yy));
            c[i] += 1;
            i = 1;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    (2.0 * le.min(ge) as f64 / total as f64).min(1.0)
}

/// Correlation of `x` and `y` with its p-value and interval.
///
/// ```
/// use cxkpi::stats::association::{correlation, CorrelationOptions};
/// let sentiment = [0.1, 0.4, 0.35, 0.8, 0.6, 0.9];
/// let nps = [-20.0, 10.0, 0.0, 40.0, 30.0, 55.0];
/// let r = correlation(&sentiment, &nps, &CorrelationOptions::default()).unwrap();
/// assert!(r.r > 0.9 && r.p_value < 0.05);
/// ```
pub fn correlation(
    x: &[f64],
    y: &[f64],
    options: &CorrelationOptions,
) -> Result<CorrelationResult> {
    options.validate()?;
    check::same_len("y", y.len(), "x", x.len())?;
    check::finite("x", x)?;
    check::finite("y", y)?;
    let n = x.len();
    check::at_least("correlation", n, 3)?;
    let (xs, ys) = match options.method {
        CorrelationMethod::Pearson => (x.to_vec(), y.to_vec()),
        CorrelationMethod::Spearman => (rank_average(x), rank_average(y)),
    };
    let r = pearson_r(&xs, &ys, "x", "y")?;
    let nf = n as f64;
    let df = nf - 2.0;
    let t = if r.abs() < 1.0 {
        Some(r * (df / ((1.0 - r) * (1.0 + r))).sqrt())
    } else {
        None
    };
    let exact = match options.p_method {
        PValueMethod::ExactPermutation => {
            if n > EXACT_MAX_N {
                return Err(CxkpiError::Unsupported {
                    message: format!(
                        "exact permutation p-values are offered for n <= {EXACT_MAX_N}, got n = {n}; use p_method \"t\""
                    ),
                });
            }
            true
        }
        PValueMethod::T => false,
        PValueMethod::Auto => options.method == CorrelationMethod::Spearman && n <= EXACT_MAX_N,
    };
    let (p_value, p_method) = if exact {
        (exact_permutation_p(&xs, &ys), "exact_permutation")
    } else {
        let p = match t {
            Some(t) => t_two_sided(t, df),
            None => 0.0,
        };
        let label = match options.method {
            CorrelationMethod::Pearson => "t",
            CorrelationMethod::Spearman => "t_approximation",
        };
        (p, label)
    };
    let (lower, upper, interval_method) = {
        let im = match options.method {
            CorrelationMethod::Pearson => "fisher_z",
            CorrelationMethod::Spearman => "bonett_wright",
        };
        if n >= 4 {
            let z = r.atanh();
            let var = match options.method {
                CorrelationMethod::Pearson => 1.0 / (nf - 3.0),
                CorrelationMethod::Spearman => (1.0 + r * r / 2.0) / (nf - 3.0),
            };
            let h = z_crit(options.confidence) * var.sqrt();
            if z.is_finite() {
                (Some((z - h).tanh()), Some((z + h).tanh()), im)
            } else {
                (Some(r), Some(r), im)
            }
        } else {
            (None, None, im)
        }
    };
    Ok(CorrelationResult {
        method: options.method.name().into(),
        r,
        n: n as u64,
        t,
        df,
        p_value,
        p_method: p_method.into(),
        lower,
        upper,
        confidence: options.confidence,
        interval_method: interval_method.into(),
    })
}

/// Multiplicity adjustment of p-values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PAdjust {
    /// Holm (1979) step-down, family-wise error.
    Holm,
    /// Benjamini & Hochberg (1995) step-up, false discovery rate.
    #[serde(alias = "bh", alias = "fdr")]
    BenjaminiHochberg,
    /// Bonferroni.
    Bonferroni,
}

/// Adjusted p-values, in the input order (as R `p.adjust`).
///
/// ```
/// use cxkpi::stats::association::{p_adjust, PAdjust};
/// let p = p_adjust(&[0.01, 0.04, 0.03], PAdjust::Holm).unwrap();
/// assert!((p[0] - 0.03).abs() < 1e-15 && (p[1] - 0.06).abs() < 1e-15);
/// ```
pub fn p_adjust(p: &[f64], method: PAdjust) -> Result<Vec<f64>> {
    for (i, &x) in p.iter().enumerate() {
        if !(0.0..=1.0).contains(&x) {
            return Err(CxkpiError::invalid(
                "p",
                format!("element {i} = {x} is not a probability"),
            ));
        }
    }
    let m = p.len();
    let mf = m as f64;
    let mut idx: Vec<usize> = (0..m).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    match method {
        PAdjust::Bonferroni => {
            for i in 0..m {
                out[i] = (p[i] * mf).min(1.0);
            }
        }
        PAdjust::Holm => {
            let mut run: f64 = 0.0;
            for (rank, &i) in idx.iter().enumerate() {
                run = run.max(((mf - rank as f64) * p[i]).min(1.0));
                out[i] = run;
            }
        }
        PAdjust::BenjaminiHochberg => {
            let mut run: f64 = 1.0;
            for (rank, &i) in idx.iter().enumerate().rev() {
                run = run.min((mf / (rank as f64 + 1.0) * p[i]).min(1.0));
                out[i] = run;
            }
        }
    }
    Ok(out)
}

/// One pair of a correlation matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationPair {
    /// Index of the first column.
    pub i: u64,
    /// Index of the second column.
    pub j: u64,
    /// Name of the first column.
    pub name_i: String,
    /// Name of the second column.
    pub name_j: String,
    /// The coefficient.
    pub r: f64,
    /// Unadjusted two-sided p-value.
    pub p_value: f64,
    /// Holm-adjusted p-value over all pairs.
    pub p_holm: f64,
    /// Benjamini-Hochberg-adjusted p-value over all pairs.
    pub p_bh: f64,
    /// Lower confidence limit.
    pub lower: Option<f64>,
    /// Upper confidence limit.
    pub upper: Option<f64>,
}

/// Result of [`correlation_matrix`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationMatrix {
    /// `pearson` or `spearman`.
    pub method: String,
    /// `t`, `t_approximation` or `exact_permutation`.
    pub p_method: String,
    /// Rows.
    pub n: u64,
    /// Column names.
    pub names: Vec<String>,
    /// The k×k matrix (row-major, unit diagonal).
    pub r: Vec<Vec<f64>>,
    /// The k(k-1)/2 pairs in order (0,1), (0,2), …, (k-2,k-1).
    pub pairs: Vec<CorrelationPair>,
}

/// Pairwise correlations of `columns`, with Holm and Benjamini-Hochberg adjusted p-values over the
/// k(k-1)/2 pairs. `names` defaults to `x0, x1, …`.
pub fn correlation_matrix(
    columns: &[&[f64]],
    names: Option<&[String]>,
    options: &CorrelationOptions,
) -> Result<CorrelationMatrix> {
    options.validate()?;
    let n = check::columns("columns", columns)?;
    let k = columns.len();
    check::at_least("correlation_matrix (columns)", k, 2)?;
    let names: Vec<String> = match names {
        Some(nm) => {
            check::same_len("names", nm.len(), "columns", k)?;
            nm.to_vec()
        }
        None => (0..k).map(|j| format!("x{j}")).collect(),
    };
    let mut r = vec![vec![1.0; k]; k];
    let mut pairs = Vec::with_capacity(k * (k - 1) / 2);
    let mut p_method = String::new();
    for i in 0..k {
        for j in (i + 1)..k {
            let c = correlation(columns[i], columns[j], options).map_err(|e| match e {
                CxkpiError::InvalidArgument { message, .. } => CxkpiError::invalid(
                    "columns",
                    format!("pair ({}, {}): {message}", names[i], names[j]),
                ),
                other => other,
            })?;
            r[i][j] = c.r;
            r[j][i] = c.r;
            p_method = c.p_method.clone();
            pairs.push(CorrelationPair {
                i: i as u64,
                j: j as u64,
                name_i: names[i].clone(),
                name_j: names[j].clone(),
                r: c.r,
                p_value: c.p_value,
                p_holm: 0.0,
                p_bh: 0.0,
                lower: c.lower,
                upper: c.upper,
            });
        }
    }
    let ps: Vec<f64> = pairs.iter().map(|p| p.p_value).collect();
    let holm = p_adjust(&ps, PAdjust::Holm)?;
    let bh = p_adjust(&ps, PAdjust::BenjaminiHochberg)?;
    for (q, (h, b)) in pairs.iter_mut().zip(holm.into_iter().zip(bh)) {
        q.p_holm = h;
        q.p_bh = b;
    }
    Ok(CorrelationMatrix {
        method: options.method.name().into(),
        p_method,
        n: n as u64,
        names,
        r,
        pairs,
    })
}
