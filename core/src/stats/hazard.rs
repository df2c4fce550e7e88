//! Churn hazard by group (e.g. sentiment band): event rates per unit of exposure with exact Poisson
//! intervals, rate ratios against a reference group (exact conditional and Wald intervals, exact
//! conditional p-value), and the log-rank test across groups.
//!
//! Conventions:
//! - Rate: events / exposure, where exposure is the summed follow-up time of the group (the maximum
//!   likelihood estimate of a constant hazard). Exact interval as R `poisson.test(d, T)`:
//!   `[qchisq(α/2, 2d) / 2T, qchisq(1 - α/2, 2d + 2) / 2T]` (lower 0 when d = 0).
//! - Rate ratio of group g to the reference r: `(d_g / T_g) / (d_r / T_r)`. Exact conditional interval and
//!   p-value as R `poisson.test(c(d_g, d_r), c(T_g, T_r))`: conditional on d_g + d_r, d_g is binomial with
//!   π = T_g RR / (T_g RR + T_r); Clopper-Pearson limits on π are mapped to RR, and the two-sided p-value is
//!   R `binom.test`'s (sum of the probabilities not above the observed one, with R's relative tolerance
//!   1 + 1e-7). Wald interval on the log scale with se = sqrt(1/d_g + 1/d_r). Undefined quantities (no
//!   events in either group) are None.
//! - Log-rank: R `survdiff(Surv(time, event) ~ group)` (ρ = 0): observed and expected events per group,
//!   the hypergeometric variance, and χ² = (O - E)ᵀ V⁻ (O - E) on k - 1 degrees of freedom (the last group
//!   dropped, as the generalised inverse R uses for a full-rank V).

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::{beta_quantile, z_crit};
use crate::stats::sum::NeumaierSum;
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, Discrete, DiscreteCDF};
use statrs::function::gamma::{gamma_lr, gamma_ur, ln_gamma};

/// Options of [`hazard_by_group`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HazardOptions {
    /// Confidence level of the intervals (default 0.95).
    pub confidence: f64,
    /// Code of the reference group for the rate ratios (default: the smallest code).
    pub reference: Option<u32>,
}

impl Default for HazardOptions {
    fn default() -> Self {
        HazardOptions {
            confidence: 0.95,
            reference: None,
        }
    }
}

/// One group's events, exposure and rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupHazard {
    /// Group code.
    pub group: u32,
    /// Subjects.
    pub n: u64,
    /// Events (churns).
    pub events: u64,
    /// Summed follow-up time.
    pub exposure: f64,
    /// events / exposure.
    pub rate: f64,
    /// Exact Poisson lower limit of the rate.
    pub rate_lower: f64,
    /// Exact Poisson upper limit of the rate.
    pub rate_upper: f64,
    /// Rate ratio to the reference group (None for the reference itself or when undefined).
    pub rate_ratio: Option<f64>,
    /// Exact conditional lower limit of the ratio.
    pub ratio_lower: Option<f64>,
    /// Exact conditional upper limit of the ratio (None when infinite).
    pub ratio_upper: Option<f64>,
    /// Wald lower limit of the ratio, log scale.
    pub ratio_wald_lower: Option<f64>,
    /// Wald upper limit of the ratio, log scale.
    pub ratio_wald_upper: Option<f64>,
    /// Exact conditional two-sided p-value of RR = 1.
    pub ratio_p_value: Option<f64>,
    /// Observed events in the log-rank test (= events).
    pub observed: f64,
    /// Expected events under equal hazards (log-rank).
    pub expected: f64,
}

/// Result of [`hazard_by_group`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardByGroup {
    /// Groups in ascending code order.
    pub groups: Vec<GroupHazard>,
    /// The reference group of the rate ratios.
    pub reference: u32,
    /// Log-rank χ² (None with a single group).
    pub logrank_chisq: Option<f64>,
    /// Its degrees of freedom (groups - 1).
    pub logrank_df: u64,
    /// Its p-value.
    pub logrank_p_value: Option<f64>,
    /// Confidence level.
    pub confidence: f64,
    /// `exact_poisson` (rates), `exact_conditional` and `wald_log` (ratios), `logrank` (test).
    pub method: String,
}

/// Churn hazard by group: rates, rate ratios and the log-rank test (see the module documentation for the
/// conventions). `time` is each customer's follow-up, `event` 1 if they churned at `time` (0 = still
/// active / censored), `group` their band code.
///
/// ```
/// use cxkpi::stats::hazard::{hazard_by_group, HazardOptions};
/// let months = [2.0, 5.0, 7.0, 12.0, 12.0, 3.0, 4.0, 6.0, 12.0, 1.0];
/// let churned = [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0];
/// let band = [0u32, 0, 0, 0, 0, 1, 1, 1, 1, 1]; // 0 = positive, 1 = negative sentiment
/// let h = hazard_by_group(&months, &churned, &band, &HazardOptions::default()).unwrap();
/// // negative band: 4 churns over 26 months; positive: 2 over 38
/// assert!((h.groups[1].rate - 4.0 / 26.0).abs() < 1e-15);
/// assert!(h.groups[1].rate_ratio.unwrap() > 2.0);
/// ```
pub fn hazard_by_group(
    time: &[f64],
    event: &[f64],
    group: &[u32],
    options: &HazardOptions,
) -> Result<HazardByGroup> {
    check::confidence(options.confidence)?;
    check::same_len("event", event.len(), "time", time.len())?;
    check::same_len("group", group.len(), "time", time.len())?;
    if time.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: "time".into() });
    }
    check::finite("time", time)?;
    for (i, &t) in time.iter().enumerate() {
        if t < 0.0 {
            return Err(CxkpiError::invalid(
                "time",
                format!("element {i} = {t}; times must be >= 0"),
            ));
        }
    }
    for (i, &e) in event.iter().enumerate() {
        if e.is_nan() {
            return Err(CxkpiError::MissingValue {
                arg: "event".into(),
                index: i,
            });
        }
        if e != 0.0 && e != 1.0 {
            return Err(CxkpiError::invalid(
                "event",
                format!("element {i} = {e}; events must be 0 or 1"),
            ));
        }
    }
    let mut codes: Vec<u32> = group.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let k = codes.len();
    let slot = |c: u32| codes.binary_search(&c).expect("code present");
    let reference = options.reference.unwrap_or(codes[0]);
    let r = codes.binary_search(&reference).map_err(|_| {
        CxkpiError::invalid(
            "reference",
            format!("group {reference} does not occur in `group`"),
        )
    })?;
    let mut n = vec![0u64; k];
    let mut d = vec![0u64; k];
    let mut expo = vec![NeumaierSum::default(); k];
    let gi: Vec<usize> = group.iter().map(|&c| slot(c)).collect();
    for i in 0..time.len() {
        n[gi[i]] += 1;
        d[gi[i]] += (event[i] == 1.0) as u64;
        expo[gi[i]].add(time[i]);
    }
    let exposure: Vec<f64> = expo.iter().map(|s| s.value()).collect();
    for (j, &t) in exposure.iter().enumerate() {
        if t <= 0.0 {
            return Err(CxkpiError::invalid(
                "time",
                format!(
                    "group {} has zero total follow-up: its rate is undefined",
                    codes[j]
                ),
            ));
        }
    }
    let alpha = 1.0 - options.confidence;
    let z = z_crit(options.confidence);
    let (observed, expected, chisq) = logrank(time, event, &gi, k)?;
    let groups = (0..k)
        .map(|j| {
            let (dj, tj) = (d[j] as f64, exposure[j]);
            let lower = if d[j] == 0 {
                0.0
            } else {
                gamma_quantile(alpha / 2.0, dj) / tj
            };
            let upper = gamma_quantile(1.0 - alpha / 2.0, dj + 1.0) / tj;
            let mut g = GroupHazard {
                group: codes[j],
                n: n[j],
                events: d[j],
                exposure: tj,
                rate: dj / tj,
                rate_lower: lower,
                rate_upper: upper,
                rate_ratio: None,
                ratio_lower: None,
                ratio_upper: None,
                ratio_wald_lower: None,
                ratio_wald_upper: None,
                ratio_p_value: None,
                observed: observed[j],
                expected: expected[j],
            };
            if j != r {
                ratio(&mut g, d[r], exposure[r], alpha, z);
            }
            g
        })
        .collect();
    let df = (k - 1) as u64;
    Ok(HazardByGroup {
        groups,
        reference,
        logrank_chisq: chisq,
        logrank_df: df,
        logrank_p_value: chisq.map(|c| gamma_ur(df as f64 / 2.0, c / 2.0)),
        confidence: options.confidence,
        method: "exact_poisson rates; exact_conditional and wald_log ratios; logrank".into(),
    })
}

/// Fills the rate ratio of `g` against a reference with `d0` events over `t0`.
fn ratio(g: &mut GroupHazard, d0: u64, t0: f64, alpha: f64, z: f64) {
    let (d1, t1) = (g.events, g.exposure);
    let m = d1 + d0;
    if m == 0 {
        return;
    }
    let scale = t0 / t1;
    let to_rr = |p: f64| p / (1.0 - p) * scale;
    if d0 > 0 {
        g.rate_ratio = Some(d1 as f64 / t1 / (d0 as f64 / t0));
    }
    // Clopper-Pearson on π = d1 / m, mapped to RR.
    g.ratio_lower = Some(if d1 == 0 {
        0.0
    } else {
        to_rr(beta_quantile(alpha / 2.0, d1 as f64, (d0 + 1) as f64))
    });
    g.ratio_upper =
        (d0 > 0).then(|| to_rr(beta_quantile(1.0 - alpha / 2.0, (d1 + 1) as f64, d0 as f64)));
    if d1 > 0 && d0 > 0 {
        let l = (d1 as f64 / t1 / (d0 as f64 / t0)).ln();
        let se = (1.0 / d1 as f64 + 1.0 / d0 as f64).sqrt();
        g.ratio_wald_lower = Some((l - z * se).exp());
        g.ratio_wald_upper = Some((l + z * se).exp());
    }
    g.ratio_p_value = Some(binom_two_sided(d1, m, t1 / (t1 + t0)));
}

/// R `binom.test(x, n, p)$p.value` (two-sided), following its definition: the observed tail plus the
/// outcomes on the other side of the mean n·p whose probability is at most the observed one (relative
/// tolerance 1 + 1e-7).
fn binom_two_sided(x: u64, n: u64, p: f64) -> f64 {
    let b = Binomial::new(p, n).expect("0 < p < 1");
    let d = b.pmf(x) * (1.0 + 1e-7);
    let m = n as f64 * p;
    let xf = x as f64;
    let lower_tail = |k: u64| b.cdf(k); // P(X <= k)
    let upper_tail = |k: u64| b.sf(k); // P(X > k)
    let p = if xf == m {
        1.0
    } else if xf < m {
        let y = (m.ceil() as u64..=n).filter(|&i| b.pmf(i) <= d).count() as u64;
        lower_tail(x) + upper_tail(n - y)
    } else {
        let y = (0..=m.floor() as u64).filter(|&i| b.pmf(i) <= d).count() as u64;
        let left = if y == 0 { 0.0 } else { lower_tail(y - 1) };
        left + upper_tail(x - 1)
    };
    p.min(1.0)
}

/// The p-quantile of Gamma(shape, 1): statrs' inverse refined by Newton steps on the regularised
/// incomplete gamma (so that `gamma_lr(shape, q) = p` to rounding).
fn gamma_quantile(p: f64, shape: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Gamma};
    let mut q = Gamma::new(shape, 1.0)
        .expect("shape > 0")
        .inverse_cdf(p)
        .max(f64::MIN_POSITIVE);
    let lg = ln_gamma(shape);
    for _ in 0..8 {
        let f = gamma_lr(shape, q) - p;
        let dens = ((shape - 1.0) * q.ln() - q - lg).exp();
        if dens <= 0.0 || !dens.is_finite() {
            break;
        }
        let step = f / dens;
        let next = (q - step).max(q / 2.0);
        if (next - q).abs() <= 1e-15 * q {
            q = next;
            break;
        }
        q = next;
    }
    q
}

/// Observed and expected events per group and the log-rank χ² (None with one group).
fn logrank(
    time: &[f64],
    event: &[f64],
    gi: &[usize],
    k: usize,
) -> Result<(Vec<f64>, Vec<f64>, Option<f64>)> {
    let mut idx: Vec<usize> = (0..time.len()).collect();
    idx.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    let mut at_risk = vec![0f64; k];
    for &g in gi {
        at_risk[g] += 1.0;
    }
    let mut obs = vec![0f64; k];
    let mut exp = vec![NeumaierSum::default(); k];
    let mut var = vec![NeumaierSum::default(); k * k];
    let mut dg = vec![0f64; k];
    let mut leave = vec![0f64; k];
    let mut i = 0;
    while i < idx.len() {
        let t = time[idx[i]];
        dg.iter_mut().for_each(|v| *v = 0.0);
        leave.iter_mut().for_each(|v| *v = 0.0);
        while i < idx.len() && time[idx[i]] == t {
            let g = gi[idx[i]];
            if event[idx[i]] == 1.0 {
                dg[g] += 1.0;
            }
            leave[g] += 1.0;
            i += 1;
        }
        let dt: f64 = dg.iter().sum();
        let nt: f64 = at_risk.iter().sum();
        if dt > 0.0 {
            for a in 0..k {
                obs[a] += dg[a];
                exp[a].add(dt * at_risk[a] / nt);
            }
            if nt > 1.0 {
                let f = dt * (nt - dt) / (nt - 1.0);
                for a in 0..k {
                    for b in 0..k {
                        let delta = if a == b { 1.0 } else { 0.0 };
                        var[a * k + b].add(f * at_risk[a] / nt * (delta - at_risk[b] / nt));
                    }
                }
            }
        }
        for a in 0..k {
            at_risk[a] -= leave[a];
        }
    }
    let expected: Vec<f64> = exp.iter().map(|s| s.value()).collect();
    if k < 2 {
        return Ok((obs, expected, None));
    }
    let m = k - 1;
    let v = DMatrix::from_fn(m, m, |a, b| var[a * k + b].value());
    let diff = DVector::from_fn(m, |a, _| obs[a] - expected[a]);
    let chol = v.cholesky().ok_or_else(|| {
        CxkpiError::invalid(
            "group",
            "the log-rank variance matrix is singular (a group has no subject at risk at any event time)",
        )
    })?;
    let sol = chol.solve(&diff);
    Ok((obs, expected, Some(diff.dot(&sol))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_quantile_matches_r() {
        // R: qchisq(0.025, 2 * 4) / 2 = 1.089865..., qchisq(0.975, 2 * 5) / 2 = 9.153519...
        let lo = gamma_quantile(0.025, 4.0);
        assert!((gamma_lr(4.0, lo) - 0.025).abs() < 1e-15);
        let hi = gamma_quantile(0.975, 5.0);
        assert!((gamma_lr(5.0, hi) - 0.975).abs() < 1e-15);
    }

    #[test]
    fn binom_two_sided_symmetric_case() {
        // binom.test(3, 10, 0.5): P(X <= 3) + P(X >= 7) = 2 * 176 / 1024
        assert!((binom_two_sided(3, 10, 0.5) - 352.0 / 1024.0).abs() < 1e-15);
    }
}
