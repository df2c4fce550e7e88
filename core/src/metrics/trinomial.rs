//! The three-category outcome behind NPS (promoter / passive / detractor) and net sentiment
//! (positive / neutral / negative): sufficient statistics, the net score and its intervals on -1..1.

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::stats::{self, t_crit, z_crit, CategorySums};
use rand::{Rng, SeedableRng};

option_enum! {
    /// Interval method for a net score (NPS, net sentiment).
    NetInterval {
        /// Adjusted Wald (Rocks 2016): add 3/4 to each of the top and bottom counts and 3 to n for the SE,
        /// centred on the observed score (default). Limits of every method are clipped to [−1, 1].
        AdjustedWald => "adjusted_wald",
        /// Wald: the multinomial SE (linearisation SE when weighted), normal quantile.
        Wald => "wald",
        /// Student t on the −1/0/+1 recoding (df = n − 1).
        T => "t",
        /// Seeded percentile bootstrap.
        Bootstrap => "bootstrap",
        /// Exact bootstrap distribution (unweighted, n ≤ 2000).
        ExactBootstrap => "exact_bootstrap",
    }
}

impl Default for NetInterval {
    fn default() -> Self {
        NetInterval::AdjustedWald
    }
}

/// Largest n for the exact bootstrap (its support has (n+1)(n+2)/2 outcomes).
pub const EXACT_BOOTSTRAP_MAX_N: u64 = 2000;

/// Sufficient statistics of a three-category outcome coded +1 / 0 / −1.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trinomial {
    pub top: CategorySums,
    pub middle: CategorySums,
    pub bottom: CategorySums,
}

/// How to compute an interval for a net score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetIntervalSpec {
    pub method: NetInterval,
    pub confidence: f64,
    pub resamples: u32,
    pub seed: u64,
}

/// Point estimate, shares and interval of a net score on the −1..1 scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetEstimate {
    pub top: f64,
    pub middle: f64,
    pub bottom: f64,
    pub net: f64,
    pub n: u64,
    pub weight_sum: f64,
    pub effective_n: f64,
    pub se: f64,
    pub se_linearised: Option<f64>,
    pub lower: f64,
    pub upper: f64,
}

impl Trinomial {
    /// Adds one row coded +1, 0 or −1 with weight `w`.
    #[inline]
    pub fn add(&mut self, code: i8, w: f64) {
        match code {
            1 => self.top.add(w),
            0 => self.middle.add(w),
            _ => self.bottom.add(w),
        }
    }

    /// Adds one unweighted row (counts only; unweighted estimates read the counts).
    #[inline]
    pub fn add_count(&mut self, code: i8) {
        match code {
            1 => self.top.count += 1,
            0 => self.middle.count += 1,
            _ => self.bottom.count += 1,
        }
    }

    /// Adds the counts of a histogram of scale points, each point coded by `code(point)`.
    pub fn add_histogram(&mut self, hist: &[u64], first_point: i32, code: impl Fn(f64) -> i8) {
        let mut c = [0u64; 3];
        for (k, &n) in hist.iter().enumerate() {
            c[(code((first_point as i64 + k as i64) as f64) + 1) as usize] += n;
        }
        self.add_counts(c);
    }

    /// Adds counts kept as `[bottom, middle, top]` (indexed by code + 1) by a hot loop.
    pub fn add_counts(&mut self, c: [u64; 3]) {
        self.bottom.count += c[0];
        self.middle.count += c[1];
        self.top.count += c[2];
    }

    pub fn merge(&mut self, o: &Trinomial) {
        self.top.merge(&o.top);
        self.middle.merge(&o.middle);
        self.bottom.merge(&o.bottom);
    }

    pub fn from_counts(top: u64, middle: u64, bottom: u64) -> Trinomial {
        let cat = |c: u64| {
            let mut s = CategorySums {
                count: c,
                ..Default::default()
            };
            s.sum_w.add(c as f64);
            s.sum_w2.add(c as f64);
            s
        };
        Trinomial {
            top: cat(top),
            middle: cat(middle),
            bottom: cat(bottom),
        }
    }

    pub fn n(&self) -> u64 {
        self.top.count + self.middle.count + self.bottom.count
    }

    fn weight_sum(&self) -> f64 {
        let mut s = self.top.sum_w;
        s.merge(&self.middle.sum_w);
        s.merge(&self.bottom.sum_w);
        s.value()
    }

    fn weight2_sum(&self) -> f64 {
        let mut s = self.top.sum_w2;
        s.merge(&self.middle.sum_w2);
        s.merge(&self.bottom.sum_w2);
        s.value()
    }

    /// Estimates the net score and its interval. `weighted` selects the design-based formulas;
    /// `rows` (category codes and weights of the valid rows) is needed only for a weighted bootstrap.
    pub fn estimate(
        &self,
        weighted: bool,
        spec: &NetIntervalSpec,
        rows: Option<&[(i8, f64)]>,
    ) -> Result<NetEstimate> {
        let n = self.n();
        if n == 0 {
            return Err(CxkpiError::InsufficientData {
                what: "a net score".into(),
                n: 0,
                required: 1,
            });
        }
        let nf = n as f64;
        let (top, middle, bottom, sw, m) = if weighted {
            let sw = self.weight_sum();
            if sw <= 0.0 {
                return Err(CxkpiError::ZeroWeightSum {
                    arg: "weights".into(),
                    n,
                });
            }
            let m = sw * sw / self.weight2_sum();
            (
                self.top.sum_w.value() / sw,
                self.middle.sum_w.value() / sw,
                self.bottom.sum_w.value() / sw,
                sw,
                m,
            )
        } else {
            (
                self.top.count as f64 / nf,
                self.middle.count as f64 / nf,
                self.bottom.count as f64 / nf,
                nf,
                nf,
            )
        };
        let net = top - bottom;
        // Σw²(y−ȳ)² over the three codes.
        let ss = if weighted {
            self.top.sum_w2.value() * (1.0 - net).powi(2)
                + self.middle.sum_w2.value() * net * net
                + self.bottom.sum_w2.value() * (1.0 + net).powi(2)
        } else {
            self.top.count as f64 * (1.0 - net).powi(2)
                + self.middle.count as f64 * net * net
                + self.bottom.count as f64 * (1.0 + net).powi(2)
        };
        let se_lin = if n >= 2 {
            Some((nf / (nf - 1.0) * ss).sqrt() / sw)
        } else {
            None
        };
        let z = z_crit(spec.confidence);
        let (se, lower, upper) = match spec.method {
            NetInterval::AdjustedWald => {
                let ma = m + 3.0;
                let pa = (top * m + 0.75) / ma;
                let da = (bottom * m + 0.75) / ma;
                let se = ((pa + da - (pa - da).powi(2)) / ma).sqrt();
                (se, net - z * se, net + z * se)
            }
            NetInterval::Wald => {
                let se = if weighted {
                    se_lin.ok_or(CxkpiError::InsufficientData {
                        what: "a weighted Wald interval".into(),
                        n,
                        required: 2,
                    })?
                } else {
                    ((top + bottom - net * net).max(0.0) / nf).sqrt()
                };
                (se, net - z * se, net + z * se)
            }
            NetInterval::T => {
                let se = se_lin.ok_or(CxkpiError::InsufficientData {
                    what: "a t interval".into(),
                    n,
                    required: 2,
                })?;
                let t = t_crit(spec.confidence, nf - 1.0)?;
                (se, net - t * se, net + t * se)
            }
            NetInterval::Bootstrap => {
                let reps = if weighted {
                    let rows = rows.ok_or_else(|| CxkpiError::Unsupported {
                        message: "a weighted bootstrap needs the rows: compute it from the scores, not from a partial"
                            .into(),
                    })?;
                    bootstrap_weighted(rows, spec)
                } else {
                    bootstrap_counts(self.top.count, self.middle.count, n, spec)
                };
                percentile_interval(reps, spec.confidence)
            }
            NetInterval::ExactBootstrap => {
                if weighted {
                    return Err(CxkpiError::Unsupported {
                        message: "the exact bootstrap is defined for unweighted counts only".into(),
                    });
                }
                if n > EXACT_BOOTSTRAP_MAX_N {
                    return Err(CxkpiError::invalid(
                        "interval",
                        format!("exact_bootstrap supports n <= {EXACT_BOOTSTRAP_MAX_N}, got n = {n}; use bootstrap"),
                    ));
                }
                let (lo, hi) = exact_bootstrap(
                    self.top.count,
                    self.middle.count,
                    self.bottom.count,
                    spec.confidence,
                );
                let se = ((top + bottom - net * net).max(0.0) / nf).sqrt();
                (se, lo, hi)
            }
        };
        // A net score lives in [−1, 1]; a symmetric interval can cross that (e.g. small n), so it is clipped.
        let (lower, upper) = (lower.max(-1.0), upper.min(1.0));
        Ok(NetEstimate {
            top,
            middle,
            bottom,
            net,
            n,
            weight_sum: sw,
            effective_n: m,
            se,
            se_linearised: se_lin,
            lower,
            upper,
        })
    }
}

fn bootstrap_counts(n_top: u64, n_mid: u64, n: u64, spec: &NetIntervalSpec) -> Vec<f64> {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(spec.seed);
    let cut_mid = n_top + n_mid;
    (0..spec.resamples)
        .map(|_| {
            let mut net: i64 = 0;
            for _ in 0..n {
                let i = rng.random_range(0..n);
                if i < n_top {
                    net += 1;
                } else if i >= cut_mid {
                    net -= 1;
                }
            }
            net as f64 / n as f64
        })
        .collect()
}

fn bootstrap_weighted(rows: &[(i8, f64)], spec: &NetIntervalSpec) -> Vec<f64> {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(spec.seed);
    let n = rows.len();
    (0..spec.resamples)
        .map(|_| {
            let mut sw = stats::NeumaierSum::default();
            let mut swy = stats::NeumaierSum::default();
            for _ in 0..n {
                let (c, w) = rows[rng.random_range(0..n)];
                sw.add(w);
                swy.add(w * c as f64);
            }
            let s = sw.value();
            if s > 0.0 {
                swy.value() / s
            } else {
                0.0
            }
        })
        .collect()
}

/// (SD of the replicates, type-7 percentile limits).
fn percentile_interval(mut reps: Vec<f64>, confidence: f64) -> (f64, f64, f64) {
    reps.sort_by(f64::total_cmp);
    let k = reps.len() as f64;
    let mean = stats::NeumaierSum::of(&reps) / k;
    let ss: f64 =
        stats::NeumaierSum::of(&reps.iter().map(|r| (r - mean).powi(2)).collect::<Vec<_>>());
    let sd = (ss / (k - 1.0)).sqrt();
    let a = (1.0 - confidence) / 2.0;
    (
        sd,
        stats::quantile_sorted(&reps, a),
        stats::quantile_sorted(&reps, 1.0 - a),
    )
}

/// Exact bootstrap percentile limits: the multinomial(n; p, u, d) distribution of (a − c)/n, with
/// lower = min{v : F(v) ≥ α/2} and upper = min{v : F(v) ≥ 1 − α/2}.
fn exact_bootstrap(n_top: u64, n_mid: u64, n_bot: u64, confidence: f64) -> (f64, f64) {
    let n = (n_top + n_mid + n_bot) as usize;
    let nf = n as f64;
    let (p, u, d) = (n_top as f64 / nf, n_mid as f64 / nf, n_bot as f64 / nf);
    let mut ln_fact = vec![0.0f64; n + 1];
    for i in 1..=n {
        ln_fact[i] = ln_fact[i - 1] + (i as f64).ln();
    }
    let term = |k: usize, q: f64| if k == 0 { 0.0 } else { k as f64 * q.ln() };
    // prob[k + n] = P(a − c = k)
    let mut prob = vec![0.0f64; 2 * n + 1];
    for a in 0..=n {
        if a > 0 && p == 0.0 {
            break;
        }
        for c in 0..=(n - a) {
            if c > 0 && d == 0.0 {
                break;
            }
            let b = n - a - c;
            if b > 0 && u == 0.0 {
                continue;
            }
            let lp = ln_fact[n] - ln_fact[a] - ln_fact[b] - ln_fact[c]
                + term(a, p)
                + term(b, u)
                + term(c, d);
            prob[a + n - c] += lp.exp();
        }
    }
    let alpha = 1.0 - confidence;
    let (lo_level, hi_level) = (alpha / 2.0, 1.0 - alpha / 2.0);
    let mut cdf = stats::NeumaierSum::default();
    let (mut lo, mut hi) = (None, None);
    for (i, &pr) in prob.iter().enumerate() {
        cdf.add(pr);
        let v = (i as f64 - nf) / nf;
        if lo.is_none() && cdf.value() >= lo_level {
            lo = Some(v);
        }
        if hi.is_none() && cdf.value() >= hi_level {
            hi = Some(v);
            break;
        }
    }
    let last = 1.0;
    (lo.unwrap_or(last), hi.unwrap_or(last))
}
