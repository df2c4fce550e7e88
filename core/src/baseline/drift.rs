//! Drift between two distributions (a provider audit, two model versions, the composition of the sample in
//! two periods): the population stability index with declared binning and a named zero-handling policy,
//! the two-sample Kolmogorov-Smirnov test (exact and asymptotic p, the method recorded), the
//! Jensen-Shannon distance (base 2 or e, named) and the chi-square test of homogeneity with Cramér's V
//! (plain or bias-corrected).
//!
//! Conventions (each recorded in the result):
//! - PSI = Σ (c_i − r_i) · ln(c_i / r_i) over bins, with r_i and c_i the reference and current shares. A
//!   bin with a zero share makes the log undefined: `zero_policy = "epsilon"` replaces every zero share by
//!   `epsilon` (default 1e-4; the shares are not renormalised, the replaced bins are flagged) and
//!   `"error"` refuses. Bins from `edges` e_1 < … < e_k are (−∞, e_1), [e_1, e_2), …, [e_k, ∞) (left
//!   closed); `quantiles` takes the edges from the type-7 quantiles j/B of the reference (duplicates
//!   dropped); `categories` uses each distinct value as its own bin.
//! - KS: D = max |F_ref − F_cur| of the empirical CDFs. `exact` is the permutation probability
//!   P(D ≥ d) for continuous data (lattice-path count, as scipy's `ks_2samp(method='exact')`); `asymp`
//!   is Smirnov's limiting distribution Q_KS(√(n m/(n+m)) · D) (Kolmogorov's series, scipy
//!   `kstwobign.sf`; R ≤ 4.2 `ks.test(exact = FALSE)`). `auto` uses exact when n·m ≤ 1,000,000.
//! - Jensen-Shannon distance: √JSD with JSD = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2, after normalising the
//!   two vectors to sum 1; in bits (`base = "2"`, in [0, 1]) or nats (`base = "e"`).
//! - Chi-square of homogeneity on an r × c table of counts (Pearson, optionally with Yates' correction
//!   for 2 × 2); Cramér's V = √(χ² / (n · (min(r, c) − 1))); bias-corrected V after Bergsma (2013).

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------------
// PSI
// ---------------------------------------------------------------------------------------------------

/// How PSI bins are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PsiBinning {
    /// Edges of the reference's type-7 quantiles at j/`bins` (default).
    #[default]
    Quantiles,
    /// The given `edges`.
    Edges,
    /// Each distinct value (category code) is a bin.
    Categories,
}

/// What to do with a bin whose reference or current share is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ZeroPolicy {
    /// Replace a zero share by `epsilon` (recorded; shares are not renormalised).
    #[default]
    Epsilon,
    /// Refuse with an `invalid_argument` error naming the bin.
    Error,
}

/// Options of [`psi`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PsiOptions {
    /// `quantiles` (default), `edges` or `categories`.
    pub binning: PsiBinning,
    /// Number of quantile bins (default 10).
    pub bins: usize,
    /// Ascending interior edges for `binning = "edges"`.
    pub edges: Option<Vec<f64>>,
    /// `epsilon` (default) or `error`.
    pub zero_policy: ZeroPolicy,
    /// Replacement share for `zero_policy = "epsilon"` (default 1e-4).
    pub epsilon: f64,
}

impl Default for PsiOptions {
    fn default() -> Self {
        PsiOptions {
            binning: PsiBinning::Quantiles,
            bins: 10,
            edges: None,
            zero_policy: ZeroPolicy::Epsilon,
            epsilon: 1e-4,
        }
    }
}

impl PsiOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.binning == PsiBinning::Quantiles && self.bins < 2 {
            return Err(CxkpiError::invalid(
                "bins",
                format!("must be at least 2, got {}", self.bins),
            ));
        }
        if !(self.epsilon > 0.0 && self.epsilon < 1.0) {
            return Err(CxkpiError::invalid(
                "epsilon",
                format!("must lie strictly between 0 and 1, got {}", self.epsilon),
            ));
        }
        match (&self.binning, &self.edges) {
            (PsiBinning::Edges, None) => {
                return Err(CxkpiError::invalid(
                    "edges",
                    "binning = \"edges\" needs the `edges` list",
                ))
            }
            (PsiBinning::Edges, Some(e)) => {
                if e.is_empty() {
                    return Err(CxkpiError::EmptyInput {
                        arg: "edges".into(),
                    });
                }
                check::finite("edges", e)?;
                for i in 1..e.len() {
                    if e[i] <= e[i - 1] {
                        return Err(CxkpiError::invalid(
                            "edges",
                            format!(
                                "must be strictly ascending: element {i} = {} follows {}",
                                e[i],
                                e[i - 1]
                            ),
                        ));
                    }
                }
            }
            (_, Some(_)) => {
                return Err(CxkpiError::invalid(
                    "edges",
                    "is only used with binning = \"edges\"",
                ))
            }
            _ => {}
        }
        Ok(())
    }
}

/// One PSI bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PsiBin {
    /// Lower edge (inclusive); None = −∞ (or a category bin).
    pub lower: Option<f64>,
    /// Upper edge (exclusive); None = +∞ (or a category bin).
    pub upper: Option<f64>,
    /// The category value for `categories` binning.
    pub category: Option<f64>,
    /// Reference rows in the bin.
    pub reference_count: u64,
    /// Current rows in the bin.
    pub current_count: u64,
    /// Reference share used (after zero replacement).
    pub reference_share: f64,
    /// Current share used (after zero replacement).
    pub current_share: f64,
    /// (c − r) · ln(c / r).
    pub contribution: f64,
    /// True when a zero share of this bin was replaced by epsilon.
    pub replaced: bool,
}

/// Result of [`psi`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PsiResult {
    /// The population stability index.
    pub psi: f64,
    /// The bins in ascending order.
    pub bins: Vec<PsiBin>,
    /// `quantiles`, `edges` or `categories`.
    pub binning: String,
    /// `epsilon` or `error`.
    pub zero_policy: String,
    /// The replacement share (None under `error`).
    pub epsilon: Option<f64>,
    /// Number of zero shares replaced.
    pub n_replaced: u64,
    /// Reference size.
    pub n_reference: u64,
    /// Current size.
    pub n_current: u64,
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// Population stability index of `current` against `reference`.
///
/// ```
/// use cxkpi::baseline::drift::{psi, PsiOptions, PsiBinning};
/// let reference = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
/// let current = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0];
/// let o = PsiOptions { binning: PsiBinning::Categories, ..PsiOptions::default() };
/// let r = psi(&reference, &current, &o).unwrap();
/// assert_eq!(r.bins.len(), 3);
/// assert!(r.psi > 0.0);
/// ```
pub fn psi(reference: &[f64], current: &[f64], options: &PsiOptions) -> Result<PsiResult> {
    options.validate()?;
    if reference.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "reference".into(),
        });
    }
    if current.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "current".into(),
        });
    }
    check::finite("reference", reference)?;
    check::finite("current", current)?;
    let mut bins: Vec<PsiBin> = Vec::new();
    let blank = |lower, upper, category| PsiBin {
        lower,
        upper,
        category,
        reference_count: 0,
        current_count: 0,
        reference_share: 0.0,
        current_share: 0.0,
        contribution: 0.0,
        replaced: false,
    };
    match options.binning {
        PsiBinning::Categories => {
            let mut cats = sorted(reference);
            cats.extend_from_slice(current);
            let mut cats = sorted(&cats);
            cats.dedup();
            for &c in &cats {
                bins.push(blank(None, None, Some(c)));
            }
            for &x in reference {
                let k = cats.binary_search_by(|c| c.total_cmp(&x)).unwrap_or(0);
                bins[k].reference_count += 1;
            }
            for &x in current {
                let k = cats.binary_search_by(|c| c.total_cmp(&x)).unwrap_or(0);
                bins[k].current_count += 1;
            }
        }
        PsiBinning::Edges | PsiBinning::Quantiles => {
            let edges: Vec<f64> = if options.binning == PsiBinning::Edges {
                options.edges.clone().unwrap_or_default()
            } else {
                let s = sorted(reference);
                let mut e: Vec<f64> = (1..options.bins)
                    .map(|j| crate::stats::quantile_sorted(&s, j as f64 / options.bins as f64))
                    .collect();
                e.dedup();
                e
            };
            for k in 0..=edges.len() {
                let lower = if k == 0 { None } else { Some(edges[k - 1]) };
                let upper = edges.get(k).copied();
                bins.push(blank(lower, upper, None));
            }
            // bin = number of edges <= x  ((-inf, e1) is bin 0, [e1, e2) bin 1, ...)
            let which = |x: f64| edges.partition_point(|&e| e <= x);
            for &x in reference {
                bins[which(x)].reference_count += 1;
            }
            for &x in current {
                bins[which(x)].current_count += 1;
            }
        }
    }
    let (nr, nc) = (reference.len() as f64, current.len() as f64);
    let mut total = NeumaierSum::default();
    let mut n_replaced = 0u64;
    for (k, b) in bins.iter_mut().enumerate() {
        let mut r = b.reference_count as f64 / nr;
        let mut c = b.current_count as f64 / nc;
        if r == 0.0 || c == 0.0 {
            if options.zero_policy == ZeroPolicy::Error {
                let which = if r == 0.0 { "reference" } else { "current" };
                return Err(CxkpiError::invalid(
                    "zero_policy",
                    format!(
                        "bin {k} has no {which} rows (share 0) and zero_policy = \"error\"; use \"epsilon\" or coarser bins"
                    ),
                ));
            }
            if r == 0.0 {
                r = options.epsilon;
                n_replaced += 1;
            }
            if c == 0.0 {
                c = options.epsilon;
                n_replaced += 1;
            }
            b.replaced = true;
        }
        b.reference_share = r;
        b.current_share = c;
        b.contribution = (c - r) * (c / r).ln();
        total.add(b.contribution);
    }
    Ok(PsiResult {
        psi: total.value().max(0.0),
        bins,
        binning: match options.binning {
            PsiBinning::Quantiles => "quantiles",
            PsiBinning::Edges => "edges",
            PsiBinning::Categories => "categories",
        }
        .into(),
        zero_policy: match options.zero_policy {
            ZeroPolicy::Epsilon => "epsilon",
            ZeroPolicy::Error => "error",
        }
        .into(),
        epsilon: (options.zero_policy == ZeroPolicy::Epsilon).then_some(options.epsilon),
        n_replaced,
        n_reference: reference.len() as u64,
        n_current: current.len() as u64,
    })
}

// ---------------------------------------------------------------------------------------------------
// Kolmogorov-Smirnov
// ---------------------------------------------------------------------------------------------------

/// p-value method of [`ks_2samp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KsMethod {
    /// `exact` when n·m ≤ 1,000,000, else `asymp` (default).
    #[default]
    Auto,
    /// Exact permutation probability (lattice paths).
    Exact,
    /// Smirnov's limiting (Kolmogorov) distribution.
    Asymp,
}

/// Options of [`ks_2samp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct KsOptions {
    /// `auto` (default), `exact` or `asymp`.
    pub method: KsMethod,
}

impl KsOptions {
    /// Checks the options (nothing to check; kept for the house convention).
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Result of [`ks_2samp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KsResult {
    /// D = max |F_reference − F_current|.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Method actually used: `exact` or `asymp`.
    pub method: String,
    /// Value of the pooled sample at which D is attained (first such value).
    pub location: f64,
    /// +1 when F_reference > F_current there, −1 otherwise.
    pub sign: i32,
    /// Reference size.
    pub n_reference: u64,
    /// Current size.
    pub n_current: u64,
    /// True when a value occurs in both samples (the exact p then is conservative).
    pub ties_between_samples: bool,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// P(D ≥ h / lcm) for the two-sample KS statistic under H0 (no ties): 1 − P(every lattice point of the
/// path stays strictly inside |i·(m/g) − j·(n/g)| < h), with the path probability propagated row by row
/// (each step's probability is the share of the remaining draws), so no binomial coefficient overflows.
fn ks_exact_p(n: usize, m: usize, h: u64) -> f64 {
    let g = gcd(n as u64, m as u64);
    let (a, b) = (m as u64 / g, n as u64 / g);
    let inside = |i: usize, j: usize| -> bool {
        let d = (i as u64 * a) as i128 - (j as u64 * b) as i128;
        (d.unsigned_abs() as u64) < h
    };
    let total = (n + m) as f64;
    // prob[j] = P(path passes through (i, j) while staying inside)
    let mut prob = vec![0.0f64; m + 1];
    prob[0] = 1.0;
    for j in 1..=m {
        let left = (m - j + 1) as f64 / (total - (j - 1) as f64);
        prob[j] = if inside(0, j) {
            prob[j - 1] * left
        } else {
            0.0
        };
    }
    for i in 1..=n {
        let mut next = vec![0.0f64; m + 1];
        for j in 0..=m {
            if !inside(i, j) {
                continue;
            }
            let remaining_before_down = total - (i - 1 + j) as f64;
            let mut p = prob[j] * (n - i + 1) as f64 / remaining_before_down;
            if j > 0 {
                let remaining_before_right = total - (i + j - 1) as f64;
                p += next[j - 1] * (m - j + 1) as f64 / remaining_before_right;
            }
            next[j] = p;
        }
        prob = next;
    }
    (1.0 - prob[m]).clamp(0.0, 1.0)
}

/// Kolmogorov's limiting survival function Q(x) = P(K > x) = 2 Σ (−1)^(k−1) exp(−2k²x²); for small x
/// through the complementary theta series P(K ≤ x) = √(2π)/x Σ exp(−(2k−1)²π²/(8x²)).
pub fn kolmogorov_sf(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < 1.0 {
        let mut s = 0.0;
        let c = std::f64::consts::PI * std::f64::consts::PI / (8.0 * x * x);
        for k in 1..=20 {
            let t = (2 * k - 1) as f64;
            let term = (-t * t * c).exp();
            s += term;
            if term < 1e-300 {
                break;
            }
        }
        let cdf = (2.0 * std::f64::consts::PI).sqrt() / x * s;
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    let mut s = 0.0;
    for k in 1..=100 {
        let kf = k as f64;
        let term = (-2.0 * kf * kf * x * x).exp();
        if term == 0.0 {
            break;
        }
        s += if k % 2 == 1 { term } else { -term };
    }
    (2.0 * s).clamp(0.0, 1.0)
}

/// Two-sample Kolmogorov-Smirnov test of `reference` against `current` (two-sided).
///
/// ```
/// use cxkpi::baseline::drift::{ks_2samp, KsOptions};
/// let a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64];
/// let b = [0.97, 1.01, 1.38, 1.32, 2.07, 0.44, 1.99, 2.15, 0.08, 1.80];
/// let r = ks_2samp(&a, &b, &KsOptions::default()).unwrap();
/// assert_eq!(r.method, "exact");
/// // scipy.stats.ks_2samp(a, b, method='exact'): statistic 0.7, pvalue 0.012340600575894691
/// assert!((r.statistic - 0.7).abs() < 1e-12);
/// assert!((r.p_value - 0.012340600575894691).abs() < 1e-12);
/// ```
pub fn ks_2samp(reference: &[f64], current: &[f64], options: &KsOptions) -> Result<KsResult> {
    options.validate()?;
    if reference.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "reference".into(),
        });
    }
    if current.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "current".into(),
        });
    }
    check::finite("reference", reference)?;
    check::finite("current", current)?;
    let (x, y) = (sorted(reference), sorted(current));
    let (n, m) = (x.len(), y.len());
    let g = gcd(n as u64, m as u64);
    let (a, b) = (m as u64 / g, n as u64 / g); // i/n - j/m = (i·a - j·b) / lcm
    let lcm = (n as u64 / g) as f64 * m as f64;
    let (mut i, mut j) = (0usize, 0usize);
    let (mut best, mut loc, mut sign) = (0u64, x[0].min(y[0]), 1i32);
    let mut ties = false;
    while i < n || j < m {
        let v = if j >= m || (i < n && x[i] <= y[j]) {
            x[i]
        } else {
            y[j]
        };
        let (i0, j0) = (i, j);
        while i < n && x[i] == v {
            i += 1;
        }
        while j < m && y[j] == v {
            j += 1;
        }
        if i > i0 && j > j0 {
            ties = true;
        }
        let d = (i as u64 * a) as i128 - (j as u64 * b) as i128;
        let ad = d.unsigned_abs() as u64;
        if ad > best {
            best = ad;
            loc = v;
            sign = if d > 0 { 1 } else { -1 };
        }
    }
    let statistic = best as f64 / lcm;
    let exact = match options.method {
        KsMethod::Exact => true,
        KsMethod::Asymp => false,
        KsMethod::Auto => (n as f64) * (m as f64) <= 1e6,
    };
    let p_value = if best == 0 {
        1.0
    } else if exact {
        ks_exact_p(n, m, best)
    } else {
        let en = (n as f64) * (m as f64) / ((n + m) as f64);
        kolmogorov_sf(en.sqrt() * statistic)
    };
    Ok(KsResult {
        statistic,
        p_value,
        method: if exact { "exact" } else { "asymp" }.into(),
        location: loc,
        sign,
        n_reference: n as u64,
        n_current: m as u64,
        ties_between_samples: ties,
    })
}

// ---------------------------------------------------------------------------------------------------
// Jensen-Shannon
// ---------------------------------------------------------------------------------------------------

/// Logarithm base of [`jensen_shannon`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum JsBase {
    /// Bits: the distance lies in [0, 1] (default).
    #[default]
    #[serde(rename = "2")]
    Two,
    /// Nats: the distance lies in [0, √ln 2].
    #[serde(rename = "e")]
    E,
}

/// Options of [`jensen_shannon`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct JsOptions {
    /// `"2"` (default) or `"e"`.
    pub base: JsBase,
}

impl JsOptions {
    /// Checks the options (nothing to check; kept for the house convention).
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Result of [`jensen_shannon`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsResult {
    /// √JSD in the chosen base.
    pub distance: f64,
    /// JSD (the divergence, distance²).
    pub divergence: f64,
    /// `"2"` or `"e"`.
    pub base: String,
    /// The normalised p.
    pub p: Vec<f64>,
    /// The normalised q.
    pub q: Vec<f64>,
}

fn normalised(arg: &str, v: &[f64]) -> Result<Vec<f64>> {
    if v.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: arg.into() });
    }
    check::finite(arg, v)?;
    for (i, &x) in v.iter().enumerate() {
        if x < 0.0 {
            return Err(CxkpiError::invalid(
                arg,
                format!("element {i} = {x} is negative; counts and shares must be >= 0"),
            ));
        }
    }
    let s = NeumaierSum::of(v);
    if s <= 0.0 {
        return Err(CxkpiError::ZeroWeightSum {
            arg: arg.into(),
            n: v.len() as u64,
        });
    }
    Ok(v.iter().map(|x| x / s).collect())
}

/// Jensen-Shannon distance between two count (or share) vectors over the same categories.
///
/// ```
/// use cxkpi::baseline::drift::{jensen_shannon, JsOptions};
/// let r = jensen_shannon(&[1.0, 0.0], &[0.0, 1.0], &JsOptions::default()).unwrap();
/// assert!((r.distance - 1.0).abs() < 1e-15);
/// ```
pub fn jensen_shannon(p: &[f64], q: &[f64], options: &JsOptions) -> Result<JsResult> {
    options.validate()?;
    check::same_len("q", q.len(), "p", p.len())?;
    let p = normalised("p", p)?;
    let q = normalised("q", q)?;
    let rel = |a: f64, m: f64| if a > 0.0 { a * (a / m).ln() } else { 0.0 };
    let mut left = NeumaierSum::default();
    let mut right = NeumaierSum::default();
    for (&a, &b) in p.iter().zip(&q) {
        let m = (a + b) / 2.0;
        left.add(rel(a, m));
        right.add(rel(b, m));
    }
    let mut js = (left.value() + right.value()) / 2.0;
    if options.base == JsBase::Two {
        js /= std::f64::consts::LN_2;
    }
    let js = js.max(0.0);
    Ok(JsResult {
        distance: js.sqrt(),
        divergence: js,
        base: if options.base == JsBase::Two {
            "2"
        } else {
            "e"
        }
        .into(),
        p,
        q,
    })
}

// ---------------------------------------------------------------------------------------------------
// Chi-square of homogeneity with Cramér's V
// ---------------------------------------------------------------------------------------------------

/// Options of [`chi_square`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ChiSquareOptions {
    /// Yates' continuity correction for a 2 × 2 table (default false; scipy's default is true).
    pub yates: bool,
    /// Also report the bias-corrected V (Bergsma 2013) as `cramers_v_corrected` (default false).
    pub bias_corrected: bool,
}

impl ChiSquareOptions {
    /// Checks the options (nothing to check; kept for the house convention).
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Result of [`chi_square`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChiSquareResult {
    /// Pearson's χ² (with Yates' correction when applied).
    pub statistic: f64,
    /// Degrees of freedom (r − 1)(c − 1).
    pub df: u64,
    /// Upper-tail p-value.
    pub p_value: f64,
    /// Cramér's V (computed from the uncorrected χ²).
    pub cramers_v: f64,
    /// Bias-corrected V (None unless requested).
    pub cramers_v_corrected: Option<f64>,
    /// True when Yates' correction was applied.
    pub yates: bool,
    /// Total count.
    pub n: f64,
    /// Expected counts, row by row.
    pub expected: Vec<Vec<f64>>,
    /// Smallest expected count (the usual rule of thumb wants ≥ 5).
    pub min_expected: f64,
}

/// Upper tail of the chi-square distribution with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    statrs::function::gamma::gamma_ur(df / 2.0, x / 2.0)
}

/// Chi-square test of homogeneity of the rows of a table of counts (rows = samples or groups, columns =
/// categories), with Cramér's V.
///
/// ```
/// use cxkpi::baseline::drift::{chi_square, ChiSquareOptions};
/// let t: [&[f64]; 2] = [&[30.0, 50.0, 20.0], &[20.0, 50.0, 30.0]];
/// let r = chi_square(&t, &ChiSquareOptions::default()).unwrap();
/// assert_eq!(r.df, 2);
/// assert!((r.statistic - 4.0).abs() < 1e-12);
/// ```
pub fn chi_square(table: &[&[f64]], options: &ChiSquareOptions) -> Result<ChiSquareResult> {
    options.validate()?;
    if table.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "table".into(),
        });
    }
    let r = table.len();
    let c = table[0].len();
    for (i, row) in table.iter().enumerate() {
        let name = format!("table[{i}]");
        check::same_len(&name, row.len(), "table[0]", c)?;
        check::finite(&name, row)?;
        for (j, &x) in row.iter().enumerate() {
            if x < 0.0 {
                return Err(CxkpiError::invalid(
                    &name,
                    format!("element {j} = {x} is negative; counts must be >= 0"),
                ));
            }
        }
    }
    if r < 2 || c < 2 {
        return Err(CxkpiError::invalid(
            "table",
            format!("needs at least 2 rows and 2 columns, got {r} x {c}"),
        ));
    }
    let rows: Vec<f64> = table.iter().map(|row| NeumaierSum::of(row)).collect();
    let cols: Vec<f64> = (0..c)
        .map(|j| {
            let mut s = NeumaierSum::default();
            for row in table {
                s.add(row[j]);
            }
            s.value()
        })
        .collect();
    let n = NeumaierSum::of(&rows);
    for (i, &s) in rows.iter().enumerate() {
        if s == 0.0 {
            return Err(CxkpiError::invalid(
                "table",
                format!("row {i} sums to zero: every expected count in it would be 0"),
            ));
        }
    }
    for (j, &s) in cols.iter().enumerate() {
        if s == 0.0 {
            return Err(CxkpiError::invalid(
                "table",
                format!("column {j} sums to zero: every expected count in it would be 0"),
            ));
        }
    }
    let yates = options.yates && r == 2 && c == 2;
    let mut chi = NeumaierSum::default();
    let mut plain = NeumaierSum::default();
    let mut expected = vec![vec![0.0; c]; r];
    let mut min_expected = f64::INFINITY;
    for i in 0..r {
        for j in 0..c {
            let e = rows[i] * cols[j] / n;
            expected[i][j] = e;
            min_expected = min_expected.min(e);
            let d = table[i][j] - e;
            plain.add(d * d / e);
            if yates {
                // scipy: the correction is at most |O - E| (never flips the sign)
                let dd = (d.abs() - 0.5).max(0.0);
                chi.add(dd * dd / e);
            }
        }
    }
    let plain = plain.value();
    let statistic = if yates { chi.value() } else { plain };
    let df = ((r - 1) * (c - 1)) as u64;
    let k = r.min(c) as f64;
    let cramers_v = (plain / (n * (k - 1.0))).sqrt();
    let cramers_v_corrected = options.bias_corrected.then(|| {
        let (rf, cf) = (r as f64, c as f64);
        let phi2 = plain / n;
        let phi2c = (phi2 - (rf - 1.0) * (cf - 1.0) / (n - 1.0)).max(0.0);
        let rc = rf - (rf - 1.0) * (rf - 1.0) / (n - 1.0);
        let cc = cf - (cf - 1.0) * (cf - 1.0) / (n - 1.0);
        let den = (rc - 1.0).min(cc - 1.0);
        if den > 0.0 {
            (phi2c / den).sqrt()
        } else {
            0.0
        }
    });
    Ok(ChiSquareResult {
        statistic,
        df,
        p_value: chi2_sf(statistic, df as f64),
        cramers_v,
        cramers_v_corrected,
        yates,
        n,
        expected,
        min_expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ks_exact_small_by_enumeration() {
        // n = m = 2: 6 equally likely orderings; D = 1 only for xxyy and yyxx -> P(D >= 1) = 1/3.
        assert!((ks_exact_p(2, 2, 2) - 1.0 / 3.0).abs() < 1e-15);
        // D >= 1/2 always -> 1
        assert!((ks_exact_p(2, 2, 1) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn kolmogorov_series_meet() {
        // both series agree at the switch point x = 1: Q(1) = 0.26999967167735456 (scipy kstwobign.sf(1))
        assert!((kolmogorov_sf(1.0) - 0.269_999_671_677_354_56).abs() < 1e-15);
        assert!((kolmogorov_sf(0.999_999_999) - kolmogorov_sf(1.0)).abs() < 1e-8);
    }

    #[test]
    fn chi_square_hand() {
        // expected 25/50/25 in both rows: chi2 = 2*(25/25 + 0 + 25/25)... = 4
        let t: [&[f64]; 2] = [&[30.0, 50.0, 20.0], &[20.0, 50.0, 30.0]];
        let r = chi_square(&t, &ChiSquareOptions::default()).unwrap();
        assert!((r.statistic - 4.0).abs() < 1e-12);
        assert!((r.cramers_v - (4.0f64 / 200.0).sqrt()).abs() < 1e-15);
    }
}
