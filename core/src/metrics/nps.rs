//! Net Promoter Score: the share of promoters minus the share of detractors, on −100..100.

use super::trinomial::{NetInterval, NetIntervalSpec, Trinomial};
use crate::error::{CxkpiError, Result};
use crate::options::{check_confidence, OptionReader, Options};
use crate::scale::{non_empty, scale_histogram, scan, MissingPolicy, Scale, ValueCheck};

/// How answers are classified: the scale and the promoter / detractor bands.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NpsBands {
    /// Lowest scale point (0).
    pub scale_min: i32,
    /// Highest scale point (10).
    pub scale_max: i32,
    /// Answers at or above this are promoters (9).
    pub promoter_min: i32,
    /// Answers at or below this are detractors (6).
    pub detractor_max: i32,
    /// Missing-answer policy.
    pub missing: MissingPolicy,
}

impl Default for NpsBands {
    fn default() -> Self {
        NpsBands {
            scale_min: 0,
            scale_max: 10,
            promoter_min: 9,
            detractor_max: 6,
            missing: MissingPolicy::Exclude,
        }
    }
}

impl NpsBands {
    pub(crate) fn read(r: &mut OptionReader<'_>) -> Result<NpsBands> {
        let d = NpsBands::default();
        let b = NpsBands {
            scale_min: r.i32("scale_min")?.unwrap_or(d.scale_min),
            scale_max: r.i32("scale_max")?.unwrap_or(d.scale_max),
            promoter_min: r.i32("promoter_min")?.unwrap_or(d.promoter_min),
            detractor_max: r.i32("detractor_max")?.unwrap_or(d.detractor_max),
            missing: r.enumeration("missing")?.unwrap_or(d.missing),
        };
        b.validate()?;
        Ok(b)
    }

    /// Checks that the bands are ordered and inside the scale.
    pub fn validate(&self) -> Result<()> {
        Scale::new(self.scale_min, self.scale_max)?;
        if !(self.scale_min <= self.detractor_max
            && self.detractor_max < self.promoter_min
            && self.promoter_min <= self.scale_max)
        {
            return Err(CxkpiError::invalid(
                "promoter_min",
                format!(
                    "bands must satisfy scale_min ({}) <= detractor_max ({}) < promoter_min ({}) <= scale_max ({})",
                    self.scale_min, self.detractor_max, self.promoter_min, self.scale_max
                ),
            ));
        }
        Ok(())
    }

    /// Counts unweighted answers into `t` (a histogram of scale points, then classified); returns the
    /// number of missing answers.
    pub(crate) fn count_into(&self, t: &mut Trinomial, scores: &[f64]) -> Result<u64> {
        let scale = Scale {
            min: self.scale_min,
            max: self.scale_max,
        };
        if scale.histogram_friendly() {
            let (hist, n_missing) = scale_histogram("scores", scores, scale, self.missing)?;
            t.add_histogram(&hist, scale.min, |v| self.code(v));
            Ok(n_missing)
        } else {
            let mut counts = [0u64; 3];
            let c = scan(
                "scores",
                scores,
                None,
                ValueCheck::Scale(scale),
                self.missing,
                |_, v, _| {
                    counts[(self.code(v) + 1) as usize] += 1;
                },
            )?;
            t.add_counts(counts);
            Ok(c.n_missing)
        }
    }

    /// +1 promoter, 0 passive, −1 detractor (branch-free).
    #[inline]
    pub(crate) fn code(&self, v: f64) -> i8 {
        (v >= self.promoter_min as f64) as i8 - (v <= self.detractor_max as f64) as i8
    }
}

/// Interval settings shared by every net score.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetIntervalOptions {
    /// Interval method (default `adjusted_wald`).
    pub interval: NetInterval,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: f64,
    /// Bootstrap replicates (default 2000).
    pub resamples: u32,
    /// Bootstrap seed (default 42).
    pub seed: u64,
}

impl Default for NetIntervalOptions {
    fn default() -> Self {
        NetIntervalOptions {
            interval: NetInterval::AdjustedWald,
            confidence: 0.95,
            resamples: 2000,
            seed: 42,
        }
    }
}

impl NetIntervalOptions {
    pub(crate) fn read(r: &mut OptionReader<'_>, interval_key: &str) -> Result<NetIntervalOptions> {
        let d = NetIntervalOptions::default();
        let o = NetIntervalOptions {
            interval: r.enumeration(interval_key)?.unwrap_or(d.interval),
            confidence: r.f64("confidence")?.unwrap_or(d.confidence),
            resamples: match r.u64("resamples")? {
                None => d.resamples,
                Some(k) if (10..=10_000_000).contains(&k) => k as u32,
                Some(k) => {
                    return Err(CxkpiError::invalid(
                        "resamples",
                        format!("must lie in 10..=10000000, got {k}"),
                    ))
                }
            },
            seed: r.u64("seed")?.unwrap_or(d.seed),
        };
        check_confidence(o.confidence)?;
        Ok(o)
    }

    pub(crate) fn spec(&self) -> NetIntervalSpec {
        NetIntervalSpec {
            method: self.interval,
            confidence: self.confidence,
            resamples: self.resamples,
            seed: self.seed,
        }
    }
}

/// Options of [`nps`].
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct NpsOptions {
    pub bands: NpsBands,
    pub interval: NetIntervalOptions,
}

impl NpsOptions {
    /// Reads `interval`, `confidence`, `missing`, `promoter_min`, `detractor_max`, `scale_min`,
    /// `scale_max`, `resamples`, `seed`; unknown keys are errors.
    pub fn from_options(o: &Options) -> Result<NpsOptions> {
        let mut r = OptionReader::new(o);
        let bands = NpsBands::read(&mut r)?;
        let interval = NetIntervalOptions::read(&mut r, "interval")?;
        r.finish()?;
        Ok(NpsOptions { bands, interval })
    }
}

/// An NPS with its shares, counts, standard errors and interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NpsResult {
    /// Net Promoter Score on −100..100.
    pub nps: f64,
    /// Share of promoters (0..1).
    pub promoters: f64,
    /// Share of passives (0..1).
    pub passives: f64,
    /// Share of detractors (0..1).
    pub detractors: f64,
    /// Valid answers used.
    pub n: u64,
    /// Missing answers excluded.
    pub n_missing: u64,
    pub n_promoters: u64,
    pub n_passives: u64,
    pub n_detractors: u64,
    /// Σw over valid answers (n when unweighted).
    pub weight_sum: f64,
    /// Kish effective sample size (n when unweighted).
    pub effective_n: f64,
    /// Standard error used by the interval method, on −100..100.
    pub se: f64,
    /// Design-based (linearisation) SE on −100..100; for unweighted data s/√n of the −1/0/+1 recoding.
    /// `None` when n < 2.
    pub se_linearised: Option<f64>,
    /// Lower limit on −100..100.
    pub lower: f64,
    /// Upper limit on −100..100.
    pub upper: f64,
    /// Interval method used.
    pub interval: NetInterval,
    /// Confidence level.
    pub confidence: f64,
    /// Whether weights were used.
    pub weighted: bool,
}

fn finish_nps(
    t: &Trinomial,
    n_missing: u64,
    weighted: bool,
    o: &NetIntervalOptions,
    rows: Option<&[(i8, f64)]>,
) -> Result<NpsResult> {
    let e = t.estimate(weighted, &o.spec(), rows)?;
    Ok(NpsResult {
        nps: 100.0 * e.net,
        promoters: e.top,
        passives: e.middle,
        detractors: e.bottom,
        n: e.n,
        n_missing,
        n_promoters: t.top.count,
        n_passives: t.middle.count,
        n_detractors: t.bottom.count,
        weight_sum: e.weight_sum,
        effective_n: e.effective_n,
        se: 100.0 * e.se,
        se_linearised: e.se_linearised.map(|s| 100.0 * s),
        lower: 100.0 * e.lower,
        upper: 100.0 * e.upper,
        interval: o.interval,
        confidence: o.confidence,
        weighted,
    })
}

/// Net Promoter Score of 0-10 answers, optionally weighted.
///
/// ```
/// use cxkpi::{nps, NpsOptions};
/// // 5 promoters, 3 passives, 2 detractors: NPS = 50% − 20% = 30.
/// let scores = [10.0, 9.0, 9.0, 10.0, 9.0, 8.0, 7.0, 8.0, 3.0, 6.0];
/// let r = nps(&scores, None, &NpsOptions::default()).unwrap();
/// assert!((r.nps - 30.0).abs() < 1e-12);
/// assert_eq!((r.n, r.n_promoters, r.n_detractors), (10, 5, 2));
/// assert!(r.lower < 30.0 && 30.0 < r.upper);
/// ```
pub fn nps(scores: &[f64], weights: Option<&[f64]>, opts: &NpsOptions) -> Result<NpsResult> {
    non_empty("scores", scores)?;
    let bands = &opts.bands;
    let keep_rows = weights.is_some() && opts.interval.interval == NetInterval::Bootstrap;
    let mut rows: Vec<(i8, f64)> = Vec::new();
    let mut t = Trinomial::default();
    let n_missing = match weights {
        Some(_) => {
            let check = ValueCheck::Scale(Scale {
                min: bands.scale_min,
                max: bands.scale_max,
            });
            scan(
                "scores",
                scores,
                weights,
                check,
                bands.missing,
                |_, v, w| {
                    let code = bands.code(v);
                    t.add(code, w);
                    if keep_rows {
                        rows.push((code, w));
                    }
                },
            )?
            .n_missing
        }
        None => bands.count_into(&mut t, scores)?,
    };
    finish_nps(
        &t,
        n_missing,
        weights.is_some(),
        &opts.interval,
        keep_rows.then_some(rows.as_slice()),
    )
}

/// NPS from counts of promoters, passives and detractors.
pub fn nps_from_counts(
    promoters: u64,
    passives: u64,
    detractors: u64,
    opts: &NpsOptions,
) -> Result<NpsResult> {
    let t = Trinomial::from_counts(promoters, passives, detractors);
    finish_nps(&t, 0, false, &opts.interval, None)
}

/// Mergeable partial NPS: the counts and weight sums of a shard of rows.
///
/// ```
/// use cxkpi::{nps, NpsOptions, NpsPartial, options::Options};
/// let a = [10.0, 9.0, 3.0];
/// let b = [8.0, 10.0, 0.0, 9.0];
/// let mut p = NpsPartial::from_scores(&a, None, &Options::new()).unwrap();
/// p.merge(&NpsPartial::from_scores(&b, None, &Options::new()).unwrap()).unwrap();
/// let whole: Vec<f64> = a.iter().chain(&b).copied().collect();
/// assert_eq!(p.finish(&Options::new()).unwrap(), nps(&whole, None, &NpsOptions::default()).unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NpsPartial {
    pub bands: NpsBands,
    pub weighted: bool,
    pub n_missing: u64,
    pub sums: Trinomial,
}

impl NpsPartial {
    /// Accumulates a shard. Options: `scale_min`, `scale_max`, `promoter_min`, `detractor_max`, `missing`.
    pub fn from_scores(
        scores: &[f64],
        weights: Option<&[f64]>,
        opts: &Options,
    ) -> Result<NpsPartial> {
        let mut r = OptionReader::new(opts);
        let bands = NpsBands::read(&mut r)?;
        r.finish()?;
        let mut p = NpsPartial::empty(bands, weights.is_some());
        p.add(scores, weights)?;
        Ok(p)
    }

    /// An empty partial.
    pub fn empty(bands: NpsBands, weighted: bool) -> NpsPartial {
        NpsPartial {
            bands,
            weighted,
            n_missing: 0,
            sums: Trinomial::default(),
        }
    }

    /// Adds rows (an empty slice is allowed in a partial).
    pub fn add(&mut self, scores: &[f64], weights: Option<&[f64]>) -> Result<()> {
        if weights.is_some() != self.weighted {
            return Err(CxkpiError::IncompatiblePartials {
                message: "a weighted and an unweighted NPS cannot be combined".into(),
            });
        }
        let bands = self.bands;
        let sums = &mut self.sums;
        let n_missing = match weights {
            Some(_) => {
                let check = ValueCheck::Scale(Scale {
                    min: bands.scale_min,
                    max: bands.scale_max,
                });
                scan(
                    "scores",
                    scores,
                    weights,
                    check,
                    bands.missing,
                    |_, v, w| sums.add(bands.code(v), w),
                )?
                .n_missing
            }
            None => bands.count_into(sums, scores)?,
        };
        self.n_missing += n_missing;
        Ok(())
    }

    /// Adds another shard's partial.
    pub fn merge(&mut self, o: &NpsPartial) -> Result<()> {
        if o.bands != self.bands || o.weighted != self.weighted {
            return Err(CxkpiError::IncompatiblePartials {
                message: format!(
                    "NPS partials differ in bands or weighting ({:?}, weighted {} vs {:?}, weighted {})",
                    self.bands, self.weighted, o.bands, o.weighted
                ),
            });
        }
        self.n_missing += o.n_missing;
        self.sums.merge(&o.sums);
        Ok(())
    }

    /// Final NPS. Options: `interval`, `confidence`, `resamples`, `seed`.
    pub fn finish(&self, opts: &Options) -> Result<NpsResult> {
        let mut r = OptionReader::new(opts);
        let o = NetIntervalOptions::read(&mut r, "interval")?;
        r.finish()?;
        self.finish_with(&o)
    }

    /// Final NPS with typed interval options.
    pub fn finish_with(&self, o: &NetIntervalOptions) -> Result<NpsResult> {
        finish_nps(&self.sums, self.n_missing, self.weighted, o, None)
    }
}
