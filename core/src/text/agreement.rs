//! Agreement between sentiment providers and with the survey answer: Cohen's kappa (unweighted, linear or
//! quadratic weights) with its large-sample standard error, Pearson/Spearman correlation and Bland-Altman
//! bias and limits of agreement with their confidence intervals.

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::stats::association::{
    correlation, CorrelationMethod, CorrelationOptions, CorrelationResult,
};
use crate::stats::check;
use crate::stats::dist::{t_crit, z_crit};
use crate::stats::sum::NeumaierSum;

/// Agreement weights of Cohen's kappa.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KappaWeights {
    /// Unweighted (exact agreement only), default.
    #[default]
    None,
    /// w_ij = 1 - |i - j| / (k - 1) (Cicchetti-Allison; vcd "Equal-Spacing"; sklearn `weights="linear"`).
    Linear,
    /// w_ij = 1 - (i - j)² / (k - 1)² (Fleiss-Cohen; sklearn `weights="quadratic"`).
    Quadratic,
}

impl KappaWeights {
    fn name(self) -> &'static str {
        match self {
            KappaWeights::None => "none",
            KappaWeights::Linear => "linear",
            KappaWeights::Quadratic => "quadratic",
        }
    }
}

/// Options of [`cohen_kappa`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KappaOptions {
    /// `none` (default), `linear` or `quadratic`.
    pub weights: KappaWeights,
    /// Number of ordered categories k (codes 0..k-1); default: largest code + 1.
    pub n_categories: Option<u32>,
    /// Confidence level of the interval (default 0.95).
    pub confidence: f64,
}

impl Default for KappaOptions {
    fn default() -> Self {
        KappaOptions {
            weights: KappaWeights::None,
            n_categories: None,
            confidence: 0.95,
        }
    }
}

/// Cohen's kappa of two raters ([`cohen_kappa`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KappaResult {
    /// κ = (p_o - p_e) / (1 - p_e) (None when p_e = 1: both raters use one category).
    pub kappa: Option<f64>,
    /// Large-sample standard error (None with kappa).
    pub se: Option<f64>,
    /// kappa - z·se.
    pub lower: Option<f64>,
    /// kappa + z·se.
    pub upper: Option<f64>,
    /// Confidence level.
    pub confidence: f64,
    /// Weighted observed agreement Σ w_ij p_ij.
    pub p_observed: f64,
    /// Weighted chance agreement Σ w_ij p_i. p_.j.
    pub p_expected: f64,
    /// Pairs.
    pub n: u64,
    /// Categories k.
    pub n_categories: u32,
    /// `none`, `linear` or `quadratic`.
    pub weights: String,
    /// `fleiss_cohen_everitt_1969` (the non-null asymptotic variance; as R vcd::Kappa).
    pub se_method: String,
    /// Counts: `confusion[i][j]` = pairs with a = i and b = j.
    pub confusion: Vec<Vec<u64>>,
}

/// Cohen's kappa between two ratings of the same items, coded 0..k-1 (ordered when weighted).
///
/// Variance (Fleiss, Cohen & Everitt 1969): var = [Σ p_ij (w_ij - (w̄_i. + w̄_.j)(1-κ))² -
/// (κ - p_e(1-κ))²] / (n (1-p_e)²), w̄_i. = Σ_j w_ij p_.j, w̄_.j = Σ_i w_ij p_i.; a value below 0 from
/// rounding is set to 0. Interval κ ± z·se with the exact normal quantile.
///
/// ```
/// use cxkpi::text::{cohen_kappa, KappaOptions};
/// let a = [0, 1, 2, 2, 1, 0, 2, 1];
/// let b = [0, 1, 2, 1, 1, 0, 2, 2];
/// let k = cohen_kappa(&a, &b, &KappaOptions::default()).unwrap();
/// assert!((k.p_observed - 0.75).abs() < 1e-15);
/// ```
#[allow(clippy::needless_range_loop)] // i, j index the k x k matrix and both margins
pub fn cohen_kappa(a: &[u32], b: &[u32], options: &KappaOptions) -> Result<KappaResult> {
    let z = z_crit(check::confidence(options.confidence)?);
    check::same_len("b", b.len(), "a", a.len())?;
    let n = a.len();
    if n == 0 {
        return Err(CxkpiError::EmptyInput { arg: "a".into() });
    }
    let max = a.iter().chain(b).copied().max().unwrap_or(0);
    let k = match options.n_categories {
        Some(k) => {
            if k == 0 {
                return Err(CxkpiError::invalid("n_categories", "must be at least 1"));
            }
            for (arg, xs) in [("a", a), ("b", b)] {
                if let Some(i) = xs.iter().position(|&c| c >= k) {
                    return Err(CxkpiError::OutOfScale {
                        arg: arg.into(),
                        index: i,
                        value: xs[i] as f64,
                        scale: format!("codes 0..{}", k - 1),
                    });
                }
            }
            k
        }
        None => max + 1,
    } as usize;
    if k > 1000 {
        return Err(CxkpiError::invalid(
            "n_categories",
            format!("{k} categories; at most 1000 are supported"),
        ));
    }
    let mut conf = vec![vec![0u64; k]; k];
    for (&x, &y) in a.iter().zip(b) {
        conf[x as usize][y as usize] += 1;
    }
    let nf = n as f64;
    let w = |i: usize, j: usize| -> f64 {
        let d = (i as f64 - j as f64).abs();
        let km1 = (k as f64 - 1.0).max(1.0);
        match options.weights {
            KappaWeights::None => (i == j) as u8 as f64,
            KappaWeights::Linear => 1.0 - d / km1,
            KappaWeights::Quadratic => 1.0 - (d * d) / (km1 * km1),
        }
    };
    let p = |i: usize, j: usize| conf[i][j] as f64 / nf;
    let row: Vec<f64> = (0..k)
        .map(|i| conf[i].iter().sum::<u64>() as f64 / nf)
        .collect();
    let col: Vec<f64> = (0..k)
        .map(|j| (0..k).map(|i| conf[i][j]).sum::<u64>() as f64 / nf)
        .collect();
    let mut po = NeumaierSum::default();
    let mut pe = NeumaierSum::default();
    for i in 0..k {
        for j in 0..k {
            po.add(w(i, j) * p(i, j));
            pe.add(w(i, j) * row[i] * col[j]);
        }
    }
    let (po, pe) = (po.value(), pe.value());
    let (kappa, se) = if pe < 1.0 {
        let kap = (po - pe) / (1.0 - pe);
        let wbar_i: Vec<f64> = (0..k)
            .map(|i| (0..k).map(|j| w(i, j) * col[j]).sum())
            .collect();
        let wbar_j: Vec<f64> = (0..k)
            .map(|j| (0..k).map(|i| w(i, j) * row[i]).sum())
            .collect();
        let mut s = NeumaierSum::default();
        for i in 0..k {
            for j in 0..k {
                if conf[i][j] > 0 {
                    let d = w(i, j) - (wbar_i[i] + wbar_j[j]) * (1.0 - kap);
                    s.add(p(i, j) * d * d);
                }
            }
        }
        let t = kap - pe * (1.0 - kap);
        let var = ((s.value() - t * t) / (nf * (1.0 - pe) * (1.0 - pe))).max(0.0);
        (Some(kap), Some(var.sqrt()))
    } else {
        (None, None)
    };
    Ok(KappaResult {
        kappa,
        se,
        lower: kappa.zip(se).map(|(k, s)| k - z * s),
        upper: kappa.zip(se).map(|(k, s)| k + z * s),
        confidence: options.confidence,
        p_observed: po,
        p_expected: pe,
        n: n as u64,
        n_categories: k as u32,
        weights: options.weights.name().into(),
        se_method: "fleiss_cohen_everitt_1969".into(),
        confusion: conf,
    })
}

/// Options of [`bland_altman`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlandAltmanOptions {
    /// Share of differences the limits of agreement should cover (default 0.95: bias ± z₀.₉₇₅·sd with the
    /// exact normal quantile 1.959964…).
    pub coverage: f64,
    /// Confidence level of the intervals of the bias and of the limits (default 0.95).
    pub confidence: f64,
}

impl Default for BlandAltmanOptions {
    fn default() -> Self {
        BlandAltmanOptions {
            coverage: 0.95,
            confidence: 0.95,
        }
    }
}

/// Bland-Altman agreement of two measurements ([`bland_altman`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlandAltmanResult {
    /// Pairs used.
    pub n: u64,
    /// Pairs with a missing value (excluded).
    pub n_missing: u64,
    /// Mean difference a - b.
    pub bias: f64,
    /// Standard deviation of the differences (n - 1).
    pub sd: f64,
    /// bias - z·sd.
    pub lower_loa: f64,
    /// bias + z·sd.
    pub upper_loa: f64,
    /// The multiplier z (normal quantile of (1 + coverage)/2).
    pub loa_z: f64,
    /// sd / sqrt(n).
    pub se_bias: f64,
    /// sd · sqrt(1/n + z²/(2(n-1))) (Bland & Altman 1999).
    pub se_loa: f64,
    /// Student t quantile with n - 1 df used for the intervals.
    pub t_crit: f64,
    /// Interval of the bias.
    pub bias_lower: f64,
    /// Interval of the bias.
    pub bias_upper: f64,
    /// Interval of the lower limit.
    pub lower_loa_lower: f64,
    /// Interval of the lower limit.
    pub lower_loa_upper: f64,
    /// Interval of the upper limit.
    pub upper_loa_lower: f64,
    /// Interval of the upper limit.
    pub upper_loa_upper: f64,
    /// Coverage of the limits.
    pub coverage: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// `bland_altman_1999`.
    pub method: String,
}

/// Pairs where both values are present; infinities are errors.
fn complete_pairs(a: &[f64], b: &[f64]) -> Result<(Vec<f64>, Vec<f64>, u64)> {
    check::same_len("b", b.len(), "a", a.len())?;
    let mut xa = Vec::with_capacity(a.len());
    let mut xb = Vec::with_capacity(a.len());
    let mut miss = 0u64;
    for (i, (&x, &y)) in a.iter().zip(b).enumerate() {
        for (arg, v) in [("a", x), ("b", y)] {
            if v.is_infinite() {
                return Err(CxkpiError::invalid(
                    arg,
                    format!("{arg}[{i}] = {v}; values must be finite (NaN = missing)"),
                ));
            }
        }
        if x.is_nan() || y.is_nan() {
            miss += 1;
        } else {
            xa.push(x);
            xb.push(y);
        }
    }
    Ok((xa, xb, miss))
}

/// Bland-Altman analysis of `a - b`: bias, limits of agreement bias ± z·sd and their confidence
/// intervals (Bland & Altman 1999: se(bias) = sd/√n, se(limit) ≈ sd·√(1/n + z²/(2(n-1))), intervals with
/// Student t on n-1 df). Pairs with a missing value (NaN) are excluded and counted.
///
/// ```
/// use cxkpi::text::{bland_altman, BlandAltmanOptions};
/// let r = bland_altman(&[0.2, 0.5, -0.1, 0.8], &[0.1, 0.3, -0.3, 0.4], &BlandAltmanOptions::default()).unwrap();
/// assert!((r.bias - 0.225).abs() < 1e-12);
/// ```
pub fn bland_altman(
    a: &[f64],
    b: &[f64],
    options: &BlandAltmanOptions,
) -> Result<BlandAltmanResult> {
    check::confidence(options.confidence)?;
    if !(options.coverage > 0.0 && options.coverage < 1.0) {
        return Err(CxkpiError::invalid(
            "coverage",
            format!("{} must lie strictly between 0 and 1", options.coverage),
        ));
    }
    let (xa, xb, miss) = complete_pairs(a, b)?;
    let n = xa.len();
    check::at_least("Bland-Altman limits", n, 2)?;
    let d: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| x - y).collect();
    let bias = check::mean(&d);
    let sd = (check::ss(&d, bias) / (n as f64 - 1.0)).sqrt();
    let z = z_crit(options.coverage);
    let nf = n as f64;
    let se_bias = sd / nf.sqrt();
    let se_loa = sd * (1.0 / nf + z * z / (2.0 * (nf - 1.0))).sqrt();
    let t = t_crit(options.confidence, nf - 1.0)?;
    let (lo, hi) = (bias - z * sd, bias + z * sd);
    Ok(BlandAltmanResult {
        n: n as u64,
        n_missing: miss,
        bias,
        sd,
        lower_loa: lo,
        upper_loa: hi,
        loa_z: z,
        se_bias,
        se_loa,
        t_crit: t,
        bias_lower: bias - t * se_bias,
        bias_upper: bias + t * se_bias,
        lower_loa_lower: lo - t * se_loa,
        lower_loa_upper: lo + t * se_loa,
        upper_loa_lower: hi - t * se_loa,
        upper_loa_upper: hi + t * se_loa,
        coverage: options.coverage,
        confidence: options.confidence,
        method: "bland_altman_1999".into(),
    })
}

/// Agreement of two providers' standardised scores ([`provider_agreement`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderAgreement {
    /// Pairs used.
    pub n: u64,
    /// Pairs with a missing value (excluded).
    pub n_missing: u64,
    /// Pearson correlation (crate::stats::association).
    pub pearson: CorrelationResult,
    /// Spearman correlation.
    pub spearman: CorrelationResult,
    /// Bland-Altman bias and limits.
    pub bland_altman: BlandAltmanResult,
}

/// Pearson and Spearman correlation and Bland-Altman agreement of two providers' scores on the same
/// verbatims (standardise both first). Pairs with a missing value are excluded and counted.
///
/// ```
/// use cxkpi::text::{provider_agreement, BlandAltmanOptions};
/// let a = [0.9, 0.1, -0.6, 0.4, -0.2];
/// let b = [0.7, 0.0, -0.8, 0.5, f64::NAN];
/// let r = provider_agreement(&a, &b, &BlandAltmanOptions::default()).unwrap();
/// assert_eq!((r.n, r.n_missing), (4, 1));
/// ```
pub fn provider_agreement(
    a: &[f64],
    b: &[f64],
    options: &BlandAltmanOptions,
) -> Result<ProviderAgreement> {
    let (xa, xb, miss) = complete_pairs(a, b)?;
    let co = |m| CorrelationOptions {
        method: m,
        confidence: options.confidence,
        ..CorrelationOptions::default()
    };
    let pearson = correlation(&xa, &xb, &co(CorrelationMethod::Pearson))?;
    let spearman = correlation(&xa, &xb, &co(CorrelationMethod::Spearman))?;
    let mut ba = bland_altman(&xa, &xb, options)?;
    ba.n_missing = miss;
    Ok(ProviderAgreement {
        n: xa.len() as u64,
        n_missing: miss,
        pearson,
        spearman,
        bland_altman: ba,
    })
}

/// Options of [`sentiment_survey_agreement`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SurveyAgreementOptions {
    /// Sentiment strictly inside (lower, upper) is neutral; ≤ lower negative; ≥ upper positive
    /// (default [-0.05, 0.05], the VADER convention).
    pub neutral_band: [f64; 2],
    /// Highest score of a detractor (default 6).
    pub detractor_max: f64,
    /// Highest score of a passive (default 8); higher scores are promoters.
    pub passive_max: f64,
    /// Lowest and highest valid survey score (default [0, 10]).
    pub scale: [f64; 2],
    /// Confidence level (default 0.95).
    pub confidence: f64,
}

impl Default for SurveyAgreementOptions {
    fn default() -> Self {
        SurveyAgreementOptions {
            neutral_band: [-0.05, 0.05],
            detractor_max: 6.0,
            passive_max: 8.0,
            scale: [0.0, 10.0],
            confidence: 0.95,
        }
    }
}

/// Agreement of text sentiment with the survey answer ([`sentiment_survey_agreement`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyAgreement {
    /// Pairs used.
    pub n: u64,
    /// Pairs with a missing sentiment or score (excluded).
    pub n_missing: u64,
    /// Category order of both ratings: negative/detractor, neutral/passive, positive/promoter.
    pub categories: Vec<String>,
    /// Unweighted kappa between sentiment category and NPS category (its `confusion` has sentiment rows
    /// and NPS-category columns).
    pub kappa: KappaResult,
    /// Linear-weighted kappa (the categories are ordered).
    pub weighted_kappa: KappaResult,
    /// Spearman correlation of the sentiment value with the raw score.
    pub spearman: CorrelationResult,
    /// The neutral band used.
    pub neutral_band: [f64; 2],
}

/// Agreement of a verbatim's sentiment (-1..1) with the same response's 0-10 recommendation score:
/// sentiment → negative / neutral / positive by `neutral_band`, score → detractor / passive / promoter,
/// then unweighted and linear-weighted kappa, and the Spearman correlation of the raw values.
///
/// ```
/// use cxkpi::text::{sentiment_survey_agreement, SurveyAgreementOptions};
/// let s = [-0.8, -0.3, 0.0, 0.02, 0.6, 0.9, 0.7, -0.5];
/// let nps = [2.0, 5.0, 7.0, 8.0, 9.0, 10.0, 8.0, 6.0];
/// let r = sentiment_survey_agreement(&s, &nps, &SurveyAgreementOptions::default()).unwrap();
/// assert!(r.kappa.kappa.unwrap() > 0.6);
/// ```
pub fn sentiment_survey_agreement(
    sentiment: &[f64],
    scores: &[f64],
    options: &SurveyAgreementOptions,
) -> Result<SurveyAgreement> {
    check::confidence(options.confidence)?;
    let [nl, nu] = options.neutral_band;
    if !(nl.is_finite() && nu.is_finite() && nl <= nu) {
        return Err(CxkpiError::invalid(
            "neutral_band",
            format!("[{nl}, {nu}] must be finite with lower <= upper"),
        ));
    }
    let [smin, smax] = options.scale;
    if !(smin.is_finite()
        && smax.is_finite()
        && smin <= options.detractor_max
        && options.detractor_max < options.passive_max
        && options.passive_max < smax)
    {
        return Err(CxkpiError::invalid(
            "detractor_max",
            format!(
                "need scale min {smin} <= detractor_max {} < passive_max {} < scale max {smax}",
                options.detractor_max, options.passive_max
            ),
        ));
    }
    let (xs, ys, miss) = complete_pairs(sentiment, scores)?;
    let mut a = Vec::with_capacity(xs.len());
    let mut b = Vec::with_capacity(xs.len());
    // indices into the original arrays for error messages
    let mut orig = (0..sentiment.len()).filter(|&i| !(sentiment[i].is_nan() || scores[i].is_nan()));
    for (&s, &y) in xs.iter().zip(&ys) {
        let i = orig.next().unwrap_or(0);
        if !(-1.0..=1.0).contains(&s) {
            return Err(CxkpiError::OutOfScale {
                arg: "sentiment".into(),
                index: i,
                value: s,
                scale: "-1..1".into(),
            });
        }
        if y < smin || y > smax {
            return Err(CxkpiError::OutOfScale {
                arg: "scores".into(),
                index: i,
                value: y,
                scale: format!("{smin}..{smax}"),
            });
        }
        if y.fract() != 0.0 {
            return Err(CxkpiError::NonInteger {
                arg: "scores".into(),
                index: i,
                value: y,
            });
        }
        a.push(if s <= nl {
            0
        } else if s >= nu {
            2
        } else {
            1
        });
        b.push(if y <= options.detractor_max {
            0
        } else if y <= options.passive_max {
            1
        } else {
            2
        });
    }
    let ko = |w| KappaOptions {
        weights: w,
        n_categories: Some(3),
        confidence: options.confidence,
    };
    let kappa = cohen_kappa(&a, &b, &ko(KappaWeights::None))?;
    let weighted_kappa = cohen_kappa(&a, &b, &ko(KappaWeights::Linear))?;
    let spearman = correlation(
        &xs,
        &ys,
        &CorrelationOptions {
            method: CorrelationMethod::Spearman,
            confidence: options.confidence,
            ..CorrelationOptions::default()
        },
    )?;
    Ok(SurveyAgreement {
        n: xs.len() as u64,
        n_missing: miss,
        categories: vec![
            "negative/detractor".into(),
            "neutral/passive".into(),
            "positive/promoter".into(),
        ],
        kappa,
        weighted_kappa,
        spearman,
        neutral_band: options.neutral_band,
    })
}
