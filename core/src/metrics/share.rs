//! Top-box and bottom-box shares (CSAT = top-2-box of 1-5) and intervals for any proportion.

use crate::error::{CxkpiError, Result};
use crate::options::{check_confidence, option_enum, OptionReader, Options};
use crate::scale::{non_empty, scale_histogram, scan, MissingPolicy, Scale, ValueCheck};
use crate::stats::{proportion_limits, CategorySums, ProportionMethod};

option_enum! {
    /// Which end of the scale counts as a success.
    BoxSide {
        Top => "top",
        Bottom => "bottom",
    }
}

/// Which answers count: the scale, the side and how many points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BoxSpec {
    pub scale_min: i32,
    pub scale_max: i32,
    pub side: BoxSide,
    pub k: u32,
    pub missing: MissingPolicy,
}

impl Default for BoxSpec {
    fn default() -> Self {
        BoxSpec {
            scale_min: 1,
            scale_max: 5,
            side: BoxSide::Top,
            k: 2,
            missing: MissingPolicy::Exclude,
        }
    }
}

impl BoxSpec {
    pub(crate) fn read(r: &mut OptionReader<'_>) -> Result<BoxSpec> {
        let d = BoxSpec::default();
        let s = BoxSpec {
            scale_min: r.i32("scale_min")?.unwrap_or(d.scale_min),
            scale_max: r.i32("scale_max")?.unwrap_or(d.scale_max),
            side: r.enumeration("side")?.unwrap_or(d.side),
            k: match r.u64("k")? {
                None => d.k,
                Some(k) => u32::try_from(k)
                    .map_err(|_| CxkpiError::invalid("k", format!("{k} is too large")))?,
            },
            missing: r.enumeration("missing")?.unwrap_or(d.missing),
        };
        s.validate()?;
        Ok(s)
    }

    /// k must leave at least one scale point outside the box.
    pub fn validate(&self) -> Result<()> {
        Scale::new(self.scale_min, self.scale_max)?;
        let points = (self.scale_max - self.scale_min) as u32;
        if self.k == 0 || self.k > points {
            return Err(CxkpiError::invalid(
                "k",
                format!(
                    "must lie in 1..={points} for the scale {}..{}, got {}",
                    self.scale_min, self.scale_max, self.k
                ),
            ));
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn hit(&self, v: f64) -> bool {
        match self.side {
            BoxSide::Top => v >= (self.scale_max - self.k as i32 + 1) as f64,
            BoxSide::Bottom => v <= (self.scale_min + self.k as i32 - 1) as f64,
        }
    }
}

/// Interval options of a share.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShareOptions {
    pub interval: ProportionMethod,
    pub confidence: f64,
}

impl Default for ShareOptions {
    fn default() -> Self {
        ShareOptions {
            interval: ProportionMethod::Wilson,
            confidence: 0.95,
        }
    }
}

impl ShareOptions {
    pub(crate) fn read(r: &mut OptionReader<'_>, key: &str) -> Result<ShareOptions> {
        let d = ShareOptions::default();
        let o = ShareOptions {
            interval: r.enumeration(key)?.unwrap_or(d.interval),
            confidence: r.f64("confidence")?.unwrap_or(d.confidence),
        };
        check_confidence(o.confidence)?;
        Ok(o)
    }

    /// Reads `interval` and `confidence`.
    pub fn from_options(o: &Options) -> Result<ShareOptions> {
        let mut r = OptionReader::new(o);
        let s = ShareOptions::read(&mut r, "interval")?;
        r.finish()?;
        Ok(s)
    }
}

/// Options of [`top_box`].
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TopBoxOptions {
    pub spec: BoxSpec,
    pub share: ShareOptions,
}

impl TopBoxOptions {
    /// Reads `scale_min`, `scale_max`, `side`, `k`, `missing`, `interval`, `confidence`.
    pub fn from_options(o: &Options) -> Result<TopBoxOptions> {
        let mut r = OptionReader::new(o);
        let spec = BoxSpec::read(&mut r)?;
        let share = ShareOptions::read(&mut r, "interval")?;
        r.finish()?;
        Ok(TopBoxOptions { spec, share })
    }
}

/// A share (top-box, bottom-box or any proportion) with its interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShareResult {
    /// The share in 0..1.
    pub share: f64,
    /// Successes (Σw of successes when weighted).
    pub successes: f64,
    /// Valid answers used.
    pub n: u64,
    /// Missing answers excluded.
    pub n_missing: u64,
    pub weight_sum: f64,
    pub effective_n: f64,
    /// Unweighted: √(p(1−p)/n); weighted: linearisation SE (`None` when n < 2).
    pub se: Option<f64>,
    pub lower: f64,
    pub upper: f64,
    pub interval: ProportionMethod,
    pub confidence: f64,
    pub weighted: bool,
}

/// Sufficient statistics of a binary outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Binomial {
    pub hit: CategorySums,
    pub miss: CategorySums,
}

impl Binomial {
    #[inline]
    pub fn add(&mut self, hit: bool, w: f64) {
        if hit {
            self.hit.add(w)
        } else {
            self.miss.add(w)
        }
    }

    /// Adds one unweighted row (counts only).
    #[inline]
    pub fn add_count(&mut self, hit: bool) {
        if hit {
            self.hit.count += 1
        } else {
            self.miss.count += 1
        }
    }

    /// Adds the counts of a histogram of scale points, each point a hit or not by `hit(point)`.
    pub fn add_histogram(&mut self, hist: &[u64], first_point: i32, hit: impl Fn(f64) -> bool) {
        for (k, &n) in hist.iter().enumerate() {
            if hit((first_point as i64 + k as i64) as f64) {
                self.hit.count += n
            } else {
                self.miss.count += n
            }
        }
    }

    pub fn merge(&mut self, o: &Binomial) {
        self.hit.merge(&o.hit);
        self.miss.merge(&o.miss);
    }

    pub fn n(&self) -> u64 {
        self.hit.count + self.miss.count
    }

    /// The share and its interval.
    pub fn finish(&self, n_missing: u64, weighted: bool, o: &ShareOptions) -> Result<ShareResult> {
        let n = self.n();
        if n == 0 {
            return Err(CxkpiError::InsufficientData {
                what: "a share".into(),
                n: 0,
                required: 1,
            });
        }
        let nf = n as f64;
        let (share, successes, sw, m, se, lower, upper) = if weighted {
            let mut sw = self.hit.sum_w;
            sw.merge(&self.miss.sum_w);
            let sw = sw.value();
            if sw <= 0.0 {
                return Err(CxkpiError::ZeroWeightSum {
                    arg: "weights".into(),
                    n,
                });
            }
            let mut sw2 = self.hit.sum_w2;
            sw2.merge(&self.miss.sum_w2);
            let m = sw * sw / sw2.value();
            let x = self.hit.sum_w.value();
            let p = x / sw;
            let ss = self.hit.sum_w2.value() * (1.0 - p).powi(2) + self.miss.sum_w2.value() * p * p;
            let se = (n >= 2).then(|| (nf / (nf - 1.0) * ss).sqrt() / sw);
            let (lo, hi) = proportion_limits(p * m, m, o.confidence, o.interval)?;
            (p, x, sw, m, se, lo, hi)
        } else {
            let x = self.hit.count as f64;
            let p = x / nf;
            let (lo, hi) = proportion_limits(x, nf, o.confidence, o.interval)?;
            (p, x, nf, nf, Some((p * (1.0 - p) / nf).sqrt()), lo, hi)
        };
        Ok(ShareResult {
            share,
            successes,
            n,
            n_missing,
            weight_sum: sw,
            effective_n: m,
            se,
            lower,
            upper,
            interval: o.interval,
            confidence: o.confidence,
            weighted,
        })
    }
}

/// Top-box (or bottom-box) share: CSAT is the top-2-box share of 1-5 answers (the default).
///
/// ```
/// use cxkpi::{top_box, TopBoxOptions};
/// // 4 of 6 answers are 4 or 5.
/// let r = top_box(&[5.0, 4.0, 3.0, 4.0, 1.0, 5.0], None, &TopBoxOptions::default()).unwrap();
/// assert!((r.share - 4.0 / 6.0).abs() < 1e-15);
/// ```
pub fn top_box(
    scores: &[f64],
    weights: Option<&[f64]>,
    opts: &TopBoxOptions,
) -> Result<ShareResult> {
    non_empty("scores", scores)?;
    let mut p = TopBoxPartial::empty(opts.spec, weights.is_some());
    p.add(scores, weights)?;
    p.finish_with(&opts.share)
}

/// A share from counts: `successes` out of `n`.
pub fn share_from_counts(successes: u64, n: u64, opts: &ShareOptions) -> Result<ShareResult> {
    if n == 0 {
        return Err(CxkpiError::invalid("n", "must be at least 1"));
    }
    if successes > n {
        return Err(CxkpiError::invalid(
            "successes",
            format!("{successes} exceeds n = {n}"),
        ));
    }
    let mut b = Binomial::default();
    b.hit.count = successes;
    b.hit.sum_w.add(successes as f64);
    b.hit.sum_w2.add(successes as f64);
    b.miss.count = n - successes;
    b.miss.sum_w.add((n - successes) as f64);
    b.miss.sum_w2.add((n - successes) as f64);
    b.finish(0, false, opts)
}

/// An interval for a proportion.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: ProportionMethod,
    pub confidence: f64,
}

/// Options of [`proportion_interval`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProportionOptions {
    pub method: ProportionMethod,
    pub confidence: f64,
}

impl Default for ProportionOptions {
    fn default() -> Self {
        ProportionOptions {
            method: ProportionMethod::Wilson,
            confidence: 0.95,
        }
    }
}

impl ProportionOptions {
    /// Reads `method` and `confidence`.
    pub fn from_options(o: &Options) -> Result<ProportionOptions> {
        let mut r = OptionReader::new(o);
        let s = ShareOptions::read(&mut r, "method")?;
        r.finish()?;
        Ok(ProportionOptions {
            method: s.interval,
            confidence: s.confidence,
        })
    }

    /// A method at a confidence level.
    pub fn new(method: ProportionMethod, confidence: f64) -> Self {
        ProportionOptions { method, confidence }
    }
}

/// Interval for the proportion `x / n` (real `x`, `n` allowed: effective counts).
///
/// ```
/// use cxkpi::{proportion_interval, ProportionOptions, stats::ProportionMethod};
/// let i = proportion_interval(0.0, 10.0, &ProportionOptions::new(ProportionMethod::ClopperPearson, 0.95)).unwrap();
/// // Clopper-Pearson upper limit at x = 0 is 1 − (α/2)^(1/n).
/// assert!((i.upper - (1.0 - 0.025f64.powf(0.1))).abs() < 1e-12);
/// ```
pub fn proportion_interval(x: f64, n: f64, opts: &ProportionOptions) -> Result<Interval> {
    check_confidence(opts.confidence)?;
    let (lower, upper) = proportion_limits(x, n, opts.confidence, opts.method)?;
    Ok(Interval {
        estimate: x / n,
        lower,
        upper,
        method: opts.method,
        confidence: opts.confidence,
    })
}

/// Mergeable partial top-box share.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TopBoxPartial {
    pub spec: BoxSpec,
    pub weighted: bool,
    pub n_missing: u64,
    pub sums: Binomial,
}

impl TopBoxPartial {
    /// Accumulates a shard. Options: `scale_min`, `scale_max`, `side`, `k`, `missing`.
    pub fn from_scores(
        scores: &[f64],
        weights: Option<&[f64]>,
        opts: &Options,
    ) -> Result<TopBoxPartial> {
        let mut r = OptionReader::new(opts);
        let spec = BoxSpec::read(&mut r)?;
        r.finish()?;
        let mut p = TopBoxPartial::empty(spec, weights.is_some());
        p.add(scores, weights)?;
        Ok(p)
    }

    pub fn empty(spec: BoxSpec, weighted: bool) -> TopBoxPartial {
        TopBoxPartial {
            spec,
            weighted,
            n_missing: 0,
            sums: Binomial::default(),
        }
    }

    pub fn add(&mut self, scores: &[f64], weights: Option<&[f64]>) -> Result<()> {
        if weights.is_some() != self.weighted {
            return Err(CxkpiError::IncompatiblePartials {
                message: "a weighted and an unweighted share cannot be combined".into(),
            });
        }
        let spec = self.spec;
        let sums = &mut self.sums;
        let scale = Scale {
            min: spec.scale_min,
            max: spec.scale_max,
        };
        let check = ValueCheck::Scale(scale);
        let n_missing = match weights {
            Some(_) => {
                scan("scores", scores, weights, check, spec.missing, |_, v, w| {
                    sums.add(spec.hit(v), w)
                })?
                .n_missing
            }
            None if scale.histogram_friendly() => {
                let (hist, n_missing) = scale_histogram("scores", scores, scale, spec.missing)?;
                sums.add_histogram(&hist, scale.min, |v| spec.hit(v));
                n_missing
            }
            None => {
                scan("scores", scores, None, check, spec.missing, |_, v, _| {
                    sums.add_count(spec.hit(v))
                })?
                .n_missing
            }
        };
        self.n_missing += n_missing;
        Ok(())
    }

    pub fn merge(&mut self, o: &TopBoxPartial) -> Result<()> {
        if o.spec != self.spec || o.weighted != self.weighted {
            return Err(CxkpiError::IncompatiblePartials {
                message: format!(
                    "share partials differ in box or weighting ({:?} vs {:?})",
                    self.spec, o.spec
                ),
            });
        }
        self.n_missing += o.n_missing;
        self.sums.merge(&o.sums);
        Ok(())
    }

    /// Options: `interval`, `confidence`.
    pub fn finish(&self, opts: &Options) -> Result<ShareResult> {
        self.finish_with(&ShareOptions::from_options(opts)?)
    }

    pub fn finish_with(&self, o: &ShareOptions) -> Result<ShareResult> {
        self.sums.finish(self.n_missing, self.weighted, o)
    }
}
