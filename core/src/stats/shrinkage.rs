//! Empirical-Bayes shrinkage of agent- or team-level scores toward their group mean, with the share of
//! variance due to agents (the intraclass correlation), so a small n or a system-wide effect does not
//! decide an individual's review.
//!
//! Hyper-parameters by the one-way ANOVA (method of moments) estimator for unbalanced groups
//! (Searle, Casella & McCulloch 1992, §3.5): MSB, MSW, n0 = (N - Σn_i²/N)/(k-1),
//! τ² = max(0, (MSB - MSW)/n0), σ² = MSW, ICC = τ²/(τ² + σ²).
//! - `normal`: posterior mean μ + w_i(ȳ_i - μ), w_i = τ²/(τ² + σ²/n_i), μ the precision-weighted mean of
//!   the group means (the grand mean when τ² = 0); posterior sd sqrt(w_i σ²/n_i); normal interval.
//! - `beta_binomial` (0/1 outcomes such as top-box or promoter flags): prior Beta(a, b) with
//!   a + b = (1 - ICC)/ICC and mean p̂ = Σs/N; posterior Beta(s_i + a, n_i - s_i + b), equal-tailed interval.
//!   ICC = 0 shrinks every group to p̂ (a point prior; the interval collapses to p̂).
//!
//! The intervals are plug-in (they ignore the uncertainty of the hyper-parameters).

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::{beta_quantile, z_crit};
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};

/// Prior model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShrinkModel {
    /// Normal-normal on group means (scores, NPS points per respondent).
    #[default]
    Normal,
    /// Beta-binomial on 0/1 outcomes (top-box, promoter flags).
    BetaBinomial,
}

/// Options of [`shrink`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShrinkOptions {
    /// `normal` (default) or `beta_binomial`.
    pub model: ShrinkModel,
    /// Confidence (credibility) level of the intervals (default 0.95).
    pub confidence: f64,
}

impl Default for ShrinkOptions {
    fn default() -> Self {
        ShrinkOptions {
            model: ShrinkModel::Normal,
            confidence: 0.95,
        }
    }
}

/// One group's raw and shrunken score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShrunkGroup {
    /// Group code.
    pub group: u32,
    /// Responses.
    pub n: u64,
    /// Raw mean (share for `beta_binomial`).
    pub raw: f64,
    /// Posterior mean.
    pub shrunk: f64,
    /// Weight on the group's own data (1 = no shrinkage).
    pub weight: f64,
    /// Posterior standard deviation.
    pub sd: f64,
    /// Lower interval limit.
    pub lower: f64,
    /// Upper interval limit.
    pub upper: f64,
}

/// Result of [`shrink`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShrinkResult {
    /// `normal` or `beta_binomial`.
    pub model: String,
    /// `anova_moments`.
    pub method: String,
    /// Responses.
    pub n: u64,
    /// Groups.
    pub n_groups: u64,
    /// The mean the groups are shrunk toward.
    pub prior_mean: f64,
    /// τ²: variance of the true group means.
    pub between_variance: f64,
    /// σ²: within-group (response) variance.
    pub within_variance: f64,
    /// Share of variance due to groups: τ²/(τ² + σ²).
    pub icc: f64,
    /// Between-groups mean square.
    pub ms_between: f64,
    /// Within-groups mean square.
    pub ms_within: f64,
    /// n0 = (N - Σn_i²/N)/(k-1).
    pub n0: f64,
    /// Beta prior a (`beta_binomial` with ICC > 0).
    pub prior_a: Option<f64>,
    /// Beta prior b.
    pub prior_b: Option<f64>,
    /// One entry per group, ascending by code.
    pub groups: Vec<ShrunkGroup>,
    /// Interval level.
    pub confidence: f64,
}

/// Empirical-Bayes shrinkage of group scores (`values[i]` answered about group `groups[i]`).
///
/// ```
/// use cxkpi::stats::shrinkage::{shrink, ShrinkOptions, ShrinkModel};
/// // top-box flags of three agents' contacts
/// let flag = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0];
/// let agent = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2];
/// let opts = ShrinkOptions { model: ShrinkModel::BetaBinomial, ..ShrinkOptions::default() };
/// let r = shrink(&flag, &agent, &opts).unwrap();
/// assert_eq!(r.groups.len(), 3);
/// ```
pub fn shrink(values: &[f64], groups: &[u32], options: &ShrinkOptions) -> Result<ShrinkResult> {
    check::confidence(options.confidence)?;
    check::same_len("groups", groups.len(), "values", values.len())?;
    check::finite("values", values)?;
    if options.model == ShrinkModel::BetaBinomial {
        for (i, &v) in values.iter().enumerate() {
            if v != 0.0 && v != 1.0 {
                return Err(CxkpiError::invalid(
                    "values",
                    format!("element {i} = {v}; the beta-binomial model needs 0/1 outcomes"),
                ));
            }
        }
    }
    let mut codes: Vec<u32> = groups.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let k = codes.len();
    check::at_least("shrink (groups)", k, 2)?;
    let nn = values.len();
    check::at_least("shrink (responses, more than the groups)", nn, k + 1)?;
    let pos = |g: u32| codes.binary_search(&g).unwrap();
    let mut sums = vec![NeumaierSum::default(); k];
    let mut ns = vec![0u64; k];
    for (&v, &g) in values.iter().zip(groups) {
        let j = pos(g);
        sums[j].add(v);
        ns[j] += 1;
    }
    let means: Vec<f64> = (0..k).map(|j| sums[j].value() / ns[j] as f64).collect();
    let nf = nn as f64;
    let kf = k as f64;
    let grand = check::mean(values);
    let mut ssb = NeumaierSum::default();
    for j in 0..k {
        ssb.add(ns[j] as f64 * (means[j] - grand) * (means[j] - grand));
    }
    let mut ssw = NeumaierSum::default();
    for (&v, &g) in values.iter().zip(groups) {
        let d = v - means[pos(g)];
        ssw.add(d * d);
    }
    let msb = ssb.value() / (kf - 1.0);
    let msw = ssw.value() / (nf - kf);
    let mut sn2 = NeumaierSum::default();
    for &n in &ns {
        sn2.add((n * n) as f64);
    }
    let n0 = (nf - sn2.value() / nf) / (kf - 1.0);
    if msb == 0.0 && msw == 0.0 {
        return Err(CxkpiError::invalid(
            "values",
            "all values are equal (zero variance): nothing to shrink",
        ));
    }
    let tau2 = ((msb - msw) / n0).max(0.0);
    let sigma2 = msw;
    let icc = tau2 / (tau2 + sigma2);
    let conf = options.confidence;
    let a = 1.0 - conf;
    let (prior_mean, prior_a, prior_b, out) = match options.model {
        ShrinkModel::Normal => {
            let mu = if tau2 > 0.0 {
                let mut num = NeumaierSum::default();
                let mut den = NeumaierSum::default();
                for j in 0..k {
                    let w = 1.0 / (tau2 + sigma2 / ns[j] as f64);
                    num.add(w * means[j]);
                    den.add(w);
                }
                num.value() / den.value()
            } else {
                grand
            };
            let z = z_crit(conf);
            let out: Vec<ShrunkGroup> = (0..k)
                .map(|j| {
                    let v = sigma2 / ns[j] as f64;
                    let w = if tau2 + v > 0.0 {
                        tau2 / (tau2 + v)
                    } else {
                        1.0
                    };
                    let shrunk = mu + w * (means[j] - mu);
                    let sd = (w * v).sqrt();
                    ShrunkGroup {
                        group: codes[j],
                        n: ns[j],
                        raw: means[j],
                        shrunk,
                        weight: w,
                        sd,
                        lower: shrunk - z * sd,
                        upper: shrunk + z * sd,
                    }
                })
                .collect();
            (mu, None, None, out)
        }
        ShrinkModel::BetaBinomial => {
            let p = grand;
            if icc > 0.0 {
                let m = (1.0 - icc) / icc;
                let (pa, pb) = (p * m, (1.0 - p) * m);
                let out = (0..k)
                    .map(|j| {
                        let s = sums[j].value();
                        let n = ns[j] as f64;
                        let (qa, qb) = (s + pa, n - s + pb);
                        let mean = qa / (qa + qb);
                        let var = qa * qb / ((qa + qb) * (qa + qb) * (qa + qb + 1.0));
                        ShrunkGroup {
                            group: codes[j],
                            n: ns[j],
                            raw: means[j],
                            shrunk: mean,
                            weight: n / (n + m),
                            sd: var.sqrt(),
                            lower: beta_quantile(a / 2.0, qa, qb),
                            upper: beta_quantile(1.0 - a / 2.0, qa, qb),
                        }
                    })
                    .collect();
                (p, Some(pa), Some(pb), out)
            } else {
                let out = (0..k)
                    .map(|j| ShrunkGroup {
                        group: codes[j],
                        n: ns[j],
                        raw: means[j],
                        shrunk: p,
                        weight: 0.0,
                        sd: 0.0,
                        lower: p,
                        upper: p,
                    })
                    .collect();
                (p, None, None, out)
            }
        }
    };
    Ok(ShrinkResult {
        model: match options.model {
            ShrinkModel::Normal => "normal",
            ShrinkModel::BetaBinomial => "beta_binomial",
        }
        .into(),
        method: "anova_moments".into(),
        n: nn as u64,
        n_groups: k as u64,
        prior_mean,
        between_variance: tau2,
        within_variance: sigma2,
        icc,
        ms_between: msb,
        ms_within: msw,
        n0,
        prior_a,
        prior_b,
        groups: out,
        confidence: conf,
    })
}
