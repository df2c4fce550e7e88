//! Ordinary least squares with several predictors (coefficients, SEs, t, p, intervals, R², adjusted R², F),
//! heteroskedasticity-robust covariances HC0-HC3, standardised coefficients, and driver analysis by
//! Shapley decomposition of R² (LMG).
//!
//! Method: Cholesky factorisation (nalgebra) of the scaled cross-product matrix of the centred design, one
//! step of iterative refinement, deterministic blocked accumulation (see `linalg`). HC covariances follow
//! MacKinnon & White (1985): HC0 e², HC1 e²·n/(n-p), HC2 e²/(1-h), HC3 e²/(1-h)².

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::t_crit;
use crate::stats::fdist::{f_sf, t_two_sided};
use crate::stats::linalg::{
    block_sum, dot_lanes, gram_block, gram_block_w, unpack, xb_block, xtv_block, Chol, Design,
    BLOCK,
};
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// Covariance estimator behind the coefficient table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CovType {
    /// σ²(XᵀX)⁻¹.
    #[default]
    #[serde(rename = "nonrobust", alias = "classical")]
    Nonrobust,
    /// White's estimator.
    #[serde(rename = "HC0", alias = "hc0")]
    Hc0,
    /// HC0 · n/(n-p).
    #[serde(rename = "HC1", alias = "hc1")]
    Hc1,
    /// e²/(1-h).
    #[serde(rename = "HC2", alias = "hc2")]
    Hc2,
    /// e²/(1-h)².
    #[serde(rename = "HC3", alias = "hc3")]
    Hc3,
}

impl CovType {
    /// The name recorded in results.
    pub fn name(self) -> &'static str {
        match self {
            CovType::Nonrobust => "nonrobust",
            CovType::Hc0 => "HC0",
            CovType::Hc1 => "HC1",
            CovType::Hc2 => "HC2",
            CovType::Hc3 => "HC3",
        }
    }
}

/// Options of [`ols`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OlsOptions {
    /// Fit an intercept (default true).
    pub intercept: bool,
    /// Covariance behind se, t, p and intervals (default `nonrobust`).
    pub cov_type: CovType,
    /// Also report the four HC standard errors in `robust_se` (default false).
    pub robust_se: bool,
    /// Confidence level of the intervals (default 0.95).
    pub confidence: f64,
    /// Predictor names (default x1, x2, …).
    pub names: Option<Vec<String>>,
}

impl Default for OlsOptions {
    fn default() -> Self {
        OlsOptions {
            intercept: true,
            cov_type: CovType::Nonrobust,
            robust_se: false,
            confidence: 0.95,
            names: None,
        }
    }
}

impl OlsOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check::confidence(self.confidence).map(|_| ())
    }
}

/// One row of a coefficient table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coefficient {
    /// `intercept` or the predictor's name.
    pub name: String,
    /// The estimate.
    pub estimate: f64,
    /// Its standard error under `cov_type`.
    pub se: f64,
    /// estimate / se (None when se = 0).
    pub t: Option<f64>,
    /// Two-sided p-value against t with the residual df (None when se = 0).
    pub p_value: Option<f64>,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// estimate · sd(x) / sd(y) (None for the intercept).
    pub standardized: Option<f64>,
}

/// The four heteroskedasticity-robust standard errors, in coefficient order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustSe {
    /// White (1980).
    pub hc0: Vec<f64>,
    /// HC0 · n/(n-p).
    pub hc1: Vec<f64>,
    /// None when a leverage equals 1.
    pub hc2: Option<Vec<f64>>,
    /// None when a leverage equals 1.
    pub hc3: Option<Vec<f64>>,
}

/// Result of [`ols`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OlsResult {
    /// Rows.
    pub n: u64,
    /// Parameters including the intercept.
    pub n_params: u64,
    /// Residual degrees of freedom n - p.
    pub df_resid: f64,
    /// Model degrees of freedom (p minus the intercept).
    pub df_model: f64,
    /// The coefficient table (intercept first).
    pub coefficients: Vec<Coefficient>,
    /// R² (centred when there is an intercept, uncentred otherwise).
    pub r_squared: f64,
    /// Adjusted R².
    pub adj_r_squared: f64,
    /// Overall F statistic (classical; None without predictors or with a perfect fit).
    pub f: Option<f64>,
    /// Its p-value.
    pub f_p_value: Option<f64>,
    /// Residual standard error sqrt(RSS / (n - p)).
    pub sigma: f64,
    /// Residual sum of squares.
    pub rss: f64,
    /// Total sum of squares.
    pub tss: f64,
    /// Gaussian log-likelihood at the MLE of σ².
    pub log_likelihood: f64,
    /// -2 logL + 2p.
    pub aic: f64,
    /// -2 logL + p ln n.
    pub bic: f64,
    /// Covariance estimator of the table.
    pub cov_type: String,
    /// Confidence level.
    pub confidence: f64,
    /// HC0-HC3 standard errors when requested.
    pub robust_se: Option<RobustSe>,
    /// The covariance matrix of the estimates under `cov_type` (row-major).
    pub cov: Vec<Vec<f64>>,
}

pub(crate) struct OlsCore {
    pub theta: DVector<f64>,
    pub cov_classical: DMatrix<f64>,
    pub hc: Option<[Option<DMatrix<f64>>; 4]>,
    pub rss: f64,
    pub tss: f64,
    /// Diagonal of the (centred) cross-product matrix: Σ(x - x̄)² per predictor with an intercept.
    pub gram_diag: Vec<f64>,
}

/// Which robust meats to accumulate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meats {
    /// None (classical covariance only).
    None,
    /// HC0 and HC1.
    Hc01,
    /// HC0-HC3 (needs the leverages).
    All,
}

/// Fits by Cholesky with one refinement step (passes: Gram; residuals of the first solution, which give the
/// refinement and the RSS; a third pass for robust meats only); returns θ in the original coordinates.
pub(crate) fn fit_core(y: &[f64], d: &Design, meats: Meats) -> Result<OlsCore> {
    let n = d.n;
    let p = d.p;
    let pp = p * (p + 1) / 2;
    let ybar = if d.intercept { check::mean(y) } else { 0.0 };
    let yc = |i0: usize, bl: usize, out: &mut [f64]| {
        for (o, &v) in out[..bl].iter_mut().zip(&y[i0..i0 + bl]) {
            *o = v - ybar;
        }
    };
    // pass 1: Gram and Zᵀy
    let acc = block_sum(d, BLOCK, pp + p, |i0, bl, z, t, acc| {
        yc(i0, bl, t);
        gram_block(z, bl, p, &mut acc[..pp]);
        xtv_block(z, bl, &t[..bl], &mut acc[pp..]);
    });
    let g = unpack(p, &acc[..pp]);
    let gram_diag = (0..p).map(|j| g[(j, j)]).collect();
    let chol = Chol::new(&g, &d.names, "x")?;
    let gamma1: Vec<f64> = chol
        .solve(&DVector::from_column_slice(&acc[pp..]))
        .iter()
        .copied()
        .collect();
    // residuals y - ȳ - Zγ of a block into r (scratch `fit` of bl values)
    let resid = |i0: usize, bl: usize, z: &[f64], gam: &[f64], r: &mut [f64], fit: &mut [f64]| {
        xb_block(z, bl, gam, fit);
        for ((o, &v), &f) in r[..bl].iter_mut().zip(&y[i0..i0 + bl]).zip(&fit[..bl]) {
            *o = (v - ybar) - f;
        }
    };
    // pass 2: residuals r of the first solution: Zᵀr (refinement) and Σr²
    let zr = block_sum(d, 2 * BLOCK, p + 1, |i0, bl, z, t, acc| {
        let (r, fit) = t.split_at_mut(BLOCK);
        resid(i0, bl, z, &gamma1, r, fit);
        let r = &r[..bl];
        xtv_block(z, bl, r, &mut acc[..p]);
        acc[p] += dot_lanes(r, r);
    });
    let zr_v = DVector::from_column_slice(&zr[..p]);
    let delta = chol.solve(&zr_v);
    let gamma = DVector::from_column_slice(&gamma1) + &delta;
    // e = r - Zδ, so Σe² = Σr² - 2δᵀZᵀr + δᵀGδ = Σr² - δᵀZᵀr (Gδ = Zᵀr)
    let mut rss = (zr[p] - delta.dot(&zr_v)).max(0.0);
    let ginv = chol.inverse();
    let hc_sums = if meats == Meats::None {
        None
    } else {
        // pass 3: final residuals, HC meats (and leverages for HC2/HC3)
        let lev = meats == Meats::All;
        let gv: Vec<f64> = gamma.iter().copied().collect();
        let gi: Vec<f64> = ginv.iter().copied().collect(); // column-major = row-major (symmetric)
        let len = 2 + pp * if lev { 3 } else { 1 };
        // scratch: e, fit/tmp, e², w, h, weights
        let res = block_sum(d, 6 * BLOCK, len, |i0, bl, z, t, acc| {
            let (e, rest) = t.split_at_mut(BLOCK);
            let (tmp, rest) = rest.split_at_mut(BLOCK);
            let (e2, rest) = rest.split_at_mut(BLOCK);
            let (wv, rest) = rest.split_at_mut(BLOCK);
            let (h, rest) = rest.split_at_mut(BLOCK);
            let wt = &mut rest[..BLOCK];
            resid(i0, bl, z, &gv, e, tmp);
            for (q, &v) in e2[..bl].iter_mut().zip(&e[..bl]) {
                *q = v * v;
            }
            let e2 = &e2[..bl];
            acc[0] += e2.iter().sum::<f64>();
            gram_block_w(z, bl, p, e2, tmp, &mut acc[2..2 + pp]);
            if lev {
                // leverage h_i = z_iᵀ G⁻¹ z_i = Σ_a z_a (G⁻¹ z)_a
                let h = &mut h[..bl];
                h.fill(0.0);
                for a in 0..p {
                    xb_block(z, bl, &gi[a * p..(a + 1) * p], wv);
                    for ((hv, &x), &w) in h.iter_mut().zip(&z[a * bl..(a + 1) * bl]).zip(&wv[..bl])
                    {
                        *hv += x * w;
                    }
                }
                let mut singular = 0.0;
                for (k, hv) in h.iter_mut().enumerate() {
                    let om = 1.0 - *hv;
                    if om > 1e-12 {
                        *hv = om;
                    } else {
                        *hv = f64::INFINITY; // weight 0 below
                        singular += 1.0;
                    }
                    wt[k] = e2[k] / *hv;
                }
                acc[1] += singular;
                gram_block_w(z, bl, p, &wt[..bl], tmp, &mut acc[2 + pp..2 + 2 * pp]);
                for (k, w) in wt[..bl].iter_mut().enumerate() {
                    *w /= h[k];
                }
                gram_block_w(z, bl, p, &wt[..bl], tmp, &mut acc[2 + 2 * pp..2 + 3 * pp]);
            }
        });
        rss = res[0];
        Some((res, lev))
    };
    let tss = if d.intercept {
        check::ss(y, ybar)
    } else {
        check::ss(y, 0.0)
    };
    let a = d.back_transform();
    let mut theta = &a * &gamma;
    if d.intercept {
        theta[0] += ybar;
    }
    let df_resid = (n - p) as f64;
    let sigma2 = rss / df_resid;
    let cov_classical = &a * (&ginv * sigma2) * a.transpose();
    let hc = hc_sums.map(|(res, lev)| {
        let sandwich = |m: &[f64]| {
            let meat = unpack(p, m);
            &a * (&ginv * meat * &ginv) * a.transpose()
        };
        let hc0 = sandwich(&res[2..2 + pp]);
        let hc1 = &hc0 * (n as f64 / df_resid);
        let ok = lev && res[1] == 0.0;
        let hc2 = ok.then(|| sandwich(&res[2 + pp..2 + 2 * pp]));
        let hc3 = ok.then(|| sandwich(&res[2 + 2 * pp..2 + 3 * pp]));
        [Some(hc0), Some(hc1), hc2, hc3]
    });
    Ok(OlsCore {
        theta,
        cov_classical,
        hc,
        rss,
        tss,
        gram_diag,
    })
}

fn diag_sqrt(m: &DMatrix<f64>) -> Vec<f64> {
    (0..m.nrows()).map(|j| m[(j, j)].max(0.0).sqrt()).collect()
}

/// Ordinary least squares of `y` on the predictor columns `x` (one slice per predictor).
///
/// ```
/// use cxkpi::stats::regression::{ols, OlsOptions, CovType};
/// let csat = [3.9, 4.1, 4.4, 4.0, 4.6, 4.8, 4.2, 4.7];
/// let wait = [9.0, 7.0, 4.0, 8.0, 3.0, 1.0, 6.0, 2.0];
/// let fcr = [0.6, 0.7, 0.8, 0.6, 0.9, 0.9, 0.7, 0.8];
/// let opts = OlsOptions { cov_type: CovType::Hc3, ..OlsOptions::default() };
/// let fit = ols(&csat, &[&wait, &fcr], &opts).unwrap();
/// assert_eq!(fit.coefficients[0].name, "intercept");
/// assert!(fit.coefficients[1].estimate < 0.0 && fit.r_squared > 0.8);
/// ```
pub fn ols(y: &[f64], x: &[&[f64]], options: &OlsOptions) -> Result<OlsResult> {
    options.validate()?;
    check::finite("y", y)?;
    let d = Design::new(y.len(), x, options.intercept, options.names.as_deref())?;
    ols_design(y, &d, options)
}

/// [`ols`] with the predictors in one row-major table `x` of `y.len()` rows × `ncols` columns (e.g. a
/// C-ordered 2-D array), read in place without a transposed copy. Same results as [`ols`] on its columns,
/// to the last bit.
///
/// ```
/// use cxkpi::stats::regression::{ols, ols_rows, OlsOptions};
/// let y = [3.9, 4.1, 4.4, 4.0, 4.6, 4.8];
/// let rows = [9.0, 0.6, 7.0, 0.7, 4.0, 0.8, 8.0, 0.6, 3.0, 0.9, 1.0, 0.9];
/// let a = ols_rows(&y, &rows, 2, &OlsOptions::default()).unwrap();
/// let (w, f): (Vec<f64>, Vec<f64>) = rows.chunks(2).map(|r| (r[0], r[1])).unzip();
/// let b = ols(&y, &[&w, &f], &OlsOptions::default()).unwrap();
/// assert_eq!(a, b);
/// ```
pub fn ols_rows(y: &[f64], x: &[f64], ncols: usize, options: &OlsOptions) -> Result<OlsResult> {
    options.validate()?;
    check::finite("y", y)?;
    let d = Design::from_rows(
        y.len(),
        x,
        ncols,
        options.intercept,
        options.names.as_deref(),
    )?;
    ols_design(y, &d, options)
}

fn ols_design(y: &[f64], d: &Design, options: &OlsOptions) -> Result<OlsResult> {
    let n = d.n;
    let p = d.p;
    check::at_least("ols (rows, more than the parameters)", n, p + 1)?;
    let meats = if options.robust_se || matches!(options.cov_type, CovType::Hc2 | CovType::Hc3) {
        Meats::All
    } else if options.cov_type != CovType::Nonrobust {
        Meats::Hc01
    } else {
        Meats::None
    };
    let core = fit_core(y, d, meats)?;
    let df_resid = (n - p) as f64;
    let df_model = (p - usize::from(d.intercept)) as f64;
    let cov = match (options.cov_type, &core.hc) {
        (CovType::Nonrobust, _) => core.cov_classical.clone(),
        (ct, Some(hc)) => {
            let idx = match ct {
                CovType::Hc0 => 0,
                CovType::Hc1 => 1,
                CovType::Hc2 => 2,
                _ => 3,
            };
            hc[idx].clone().ok_or_else(|| CxkpiError::Unsupported {
                message: format!(
                    "{} is undefined: an observation has leverage 1 (use HC0 or HC1)",
                    ct.name()
                ),
            })?
        }
        _ => unreachable!("robust meats are computed for robust cov types"),
    };
    let se = diag_sqrt(&cov);
    let tq = t_crit(options.confidence, df_resid)?;
    let sy = if d.intercept {
        core.tss.sqrt()
    } else {
        check::ss(y, check::mean(y)).sqrt()
    };
    let coefficients = (0..p)
        .map(|j| {
            let est = core.theta[j];
            let (t, pv) = if se[j] > 0.0 {
                let t = est / se[j];
                (Some(t), Some(t_two_sided(t, df_resid)))
            } else {
                (None, None)
            };
            let standardized = if d.intercept && j == 0 {
                None
            } else {
                let sx = if d.intercept {
                    core.gram_diag[j].sqrt()
                } else {
                    d.column_ss(j).sqrt()
                };
                (sy > 0.0).then(|| est * sx / sy)
            };
            Coefficient {
                name: d.names[j].clone(),
                estimate: est,
                se: se[j],
                t,
                p_value: pv,
                lower: est - tq * se[j],
                upper: est + tq * se[j],
                standardized,
            }
        })
        .collect();
    let (rss, tss) = (core.rss, core.tss);
    if tss == 0.0 {
        return Err(CxkpiError::invalid(
            "y",
            "has zero variance: R² is undefined",
        ));
    }
    let r2 = 1.0 - rss / tss;
    let dfi = if d.intercept { 1.0 } else { 0.0 };
    let adj = 1.0 - (1.0 - r2) * (n as f64 - dfi) / df_resid;
    let (f, fp) = if df_model > 0.0 && rss > 0.0 {
        let f = ((tss - rss) / df_model) / (rss / df_resid);
        (Some(f), Some(f_sf(f, df_model, df_resid)))
    } else {
        (None, None)
    };
    let nf = n as f64;
    let ll = -nf / 2.0 * ((2.0 * std::f64::consts::PI).ln() + (rss / nf).ln() + 1.0);
    let robust_se = core
        .hc
        .as_ref()
        .filter(|_| options.robust_se)
        .map(|hc| RobustSe {
            hc0: diag_sqrt(hc[0].as_ref().unwrap()),
            hc1: diag_sqrt(hc[1].as_ref().unwrap()),
            hc2: hc[2].as_ref().map(diag_sqrt),
            hc3: hc[3].as_ref().map(diag_sqrt),
        });
    Ok(OlsResult {
        n: n as u64,
        n_params: p as u64,
        df_resid,
        df_model,
        coefficients,
        r_squared: r2,
        adj_r_squared: adj,
        f,
        f_p_value: fp,
        sigma: (rss / df_resid).sqrt(),
        rss,
        tss,
        log_likelihood: ll,
        aic: -2.0 * ll + 2.0 * p as f64,
        bic: -2.0 * ll + p as f64 * nf.ln(),
        cov_type: options.cov_type.name().into(),
        confidence: options.confidence,
        robust_se,
        cov: (0..p)
            .map(|a| (0..p).map(|b| cov[(a, b)]).collect())
            .collect(),
    })
}

/// One predictor's share of R².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverImportance {
    /// Predictor name.
    pub name: String,
    /// Shapley value: the average increase in R² from adding it, over all orders.
    pub shapley: f64,
    /// shapley / R² (sums to 1).
    pub share: f64,
}

/// Result of [`shapley_r2`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapleyR2 {
    /// R² of the full model (with intercept).
    pub r_squared: f64,
    /// One entry per predictor, in input order.
    pub drivers: Vec<DriverImportance>,
    /// `shapley_lmg`.
    pub method: String,
}

/// Largest number of predictors for [`shapley_r2`] (2^m sub-models are fitted).
pub const SHAPLEY_MAX_PREDICTORS: usize = 15;

/// Relative importance of drivers: the Shapley decomposition of R² (Lindeman, Merenda & Gold 1980;
/// Grömping 2006), with an intercept in every sub-model.
///
/// ```
/// use cxkpi::stats::regression::shapley_r2;
/// let y = [3.0, 4.0, 5.0, 4.5, 6.0, 7.5, 6.5];
/// let a = [1.0, 2.0, 3.0, 2.0, 4.0, 5.0, 5.0];
/// let b = [2.0, 1.0, 3.0, 4.0, 3.0, 6.0, 4.0];
/// let s = shapley_r2(&y, &[&a, &b], None).unwrap();
/// let total: f64 = s.drivers.iter().map(|d| d.shapley).sum();
/// assert!((total - s.r_squared).abs() < 1e-12);
/// ```
pub fn shapley_r2(y: &[f64], x: &[&[f64]], names: Option<&[String]>) -> Result<ShapleyR2> {
    check::finite("y", y)?;
    let m = x.len();
    if m == 0 {
        return Err(CxkpiError::EmptyInput { arg: "x".into() });
    }
    if m > SHAPLEY_MAX_PREDICTORS {
        return Err(CxkpiError::Unsupported {
            message: format!(
                "shapley_r2 fits 2^m sub-models; at most {SHAPLEY_MAX_PREDICTORS} predictors, got {m}"
            ),
        });
    }
    let d = Design::new(y.len(), x, true, names)?;
    let n = d.n;
    check::at_least("shapley_r2 (rows, more than the parameters)", n, m + 2)?;
    let ybar = check::mean(y);
    let tss = check::ss(y, ybar);
    if tss == 0.0 {
        return Err(CxkpiError::invalid(
            "y",
            "has zero variance: R² is undefined",
        ));
    }
    // centred cross-products of the predictors (without the ones column) and with y
    let pp = m * (m + 1) / 2;
    let acc = block_sum(&d, BLOCK, pp + m, |i0, bl, z, t, acc| {
        for (o, &v) in t[..bl].iter_mut().zip(&y[i0..i0 + bl]) {
            *o = v - ybar;
        }
        // the predictors without the ones column
        let zx = &z[bl..];
        gram_block(zx, bl, m, &mut acc[..pp]);
        xtv_block(zx, bl, &t[..bl], &mut acc[pp..]);
    });
    let g = unpack(m, &acc[..pp]);
    let gy = &acc[pp..];
    // check the full design once (names the collinear column)
    Chol::new(&g, &d.names[1..], "x")?;
    let nsub = 1usize << m;
    let mut r2 = vec![0.0; nsub];
    for (mask, slot) in r2.iter_mut().enumerate().skip(1) {
        let idx: Vec<usize> = (0..m).filter(|j| mask >> j & 1 == 1).collect();
        let k = idx.len();
        let sub = DMatrix::from_fn(k, k, |a, b| g[(idx[a], idx[b])]);
        let b = DVector::from_iterator(k, idx.iter().map(|&j| gy[j]));
        let sub_names: Vec<String> = idx.iter().map(|&j| d.names[j + 1].clone()).collect();
        let beta = Chol::new(&sub, &sub_names, "x")?.solve(&b);
        *slot = beta.dot(&b) / tss;
    }
    // Shapley weights |S|! (m - |S| - 1)! / m!
    let mut fact = vec![1.0f64; m + 1];
    for i in 1..=m {
        fact[i] = fact[i - 1] * i as f64;
    }
    let full = r2[nsub - 1];
    let drivers = (0..m)
        .map(|j| {
            let mut s = crate::stats::sum::NeumaierSum::default();
            for mask in 0..nsub {
                if mask >> j & 1 == 1 {
                    continue;
                }
                let size = mask.count_ones() as usize;
                let w = fact[size] * fact[m - size - 1] / fact[m];
                s.add(w * (r2[mask | 1 << j] - r2[mask]));
            }
            let v = s.value();
            DriverImportance {
                name: d.names[j + 1].clone(),
                shapley: v,
                share: if full > 0.0 { v / full } else { 0.0 },
            }
        })
        .collect();
    Ok(ShapleyR2 {
        r_squared: full,
        drivers,
        method: "shapley_lmg".into(),
    })
}
