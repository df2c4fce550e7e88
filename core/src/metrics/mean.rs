//! Mean scores (CES and any rating or numeric score) with t or normal intervals.

use crate::error::{CxkpiError, Result};
use crate::options::{check_confidence, option_enum, OptionReader, Options};
use crate::scale::{non_empty, scale_histogram, scan, Direction, MissingPolicy, Scale, ValueCheck};
use crate::stats::{t_crit, z_crit, WeightedMoments};

option_enum! {
    /// Interval for a mean.
    MeanInterval {
        /// t (df = n − 1) when unweighted, normal when weighted (default).
        Auto => "auto",
        /// Student t with df = n − 1.
        T => "t",
        /// Normal quantile.
        Normal => "normal",
    }
}

impl Default for MeanInterval {
    fn default() -> Self {
        MeanInterval::Auto
    }
}

/// What values are accepted and how missing values are treated.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeanSpec {
    /// When set, answers must be whole points of this scale.
    pub scale: Option<Scale>,
    pub direction: Direction,
    pub missing: MissingPolicy,
}

impl Default for MeanSpec {
    fn default() -> Self {
        MeanSpec {
            scale: None,
            direction: Direction::HigherIsBetter,
            missing: MissingPolicy::Exclude,
        }
    }
}

impl MeanSpec {
    pub(crate) fn read(r: &mut OptionReader<'_>, default_scale: Option<Scale>) -> Result<MeanSpec> {
        let lo = r.i32("scale_min")?;
        let hi = r.i32("scale_max")?;
        let scale = match (lo, hi, default_scale) {
            (None, None, d) => d,
            (Some(a), Some(b), _) => Some(Scale::new(a, b)?),
            (Some(a), None, Some(d)) => Some(Scale::new(a, d.max)?),
            (None, Some(b), Some(d)) => Some(Scale::new(d.min, b)?),
            (Some(_), None, None) | (None, Some(_), None) => {
                return Err(CxkpiError::invalid(
                    "scale_min",
                    "give both scale_min and scale_max, or neither",
                ))
            }
        };
        Ok(MeanSpec {
            scale,
            direction: r.enumeration("direction")?.unwrap_or_default(),
            missing: r.enumeration("missing")?.unwrap_or_default(),
        })
    }

    fn check(&self) -> ValueCheck {
        match self.scale {
            Some(s) => ValueCheck::Scale(s),
            None => ValueCheck::Finite,
        }
    }
}

/// Interval options of a mean.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeanIntervalOptions {
    pub interval: MeanInterval,
    pub confidence: f64,
}

impl Default for MeanIntervalOptions {
    fn default() -> Self {
        MeanIntervalOptions {
            interval: MeanInterval::Auto,
            confidence: 0.95,
        }
    }
}

impl MeanIntervalOptions {
    pub(crate) fn read(r: &mut OptionReader<'_>) -> Result<MeanIntervalOptions> {
        let o = MeanIntervalOptions {
            interval: r.enumeration("interval")?.unwrap_or_default(),
            confidence: r.f64("confidence")?.unwrap_or(0.95),
        };
        check_confidence(o.confidence)?;
        Ok(o)
    }
}

/// Options of [`mean_score`] and [`ces`].
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct MeanOptions {
    pub spec: MeanSpec,
    pub interval: MeanIntervalOptions,
}

impl MeanOptions {
    /// Reads `scale_min`, `scale_max`, `direction`, `missing`, `interval`, `confidence` (no scale by default).
    pub fn from_options(o: &Options) -> Result<MeanOptions> {
        Self::read_with(o, None)
    }

    /// Like [`MeanOptions::from_options`] with the CES default scale 1-7.
    pub fn ces_from_options(o: &Options) -> Result<MeanOptions> {
        Self::read_with(o, Some(Scale::CES))
    }

    /// CES defaults: 1-7, higher is easier.
    pub fn ces() -> MeanOptions {
        MeanOptions {
            spec: MeanSpec {
                scale: Some(Scale::CES),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn read_with(o: &Options, default_scale: Option<Scale>) -> Result<MeanOptions> {
        let mut r = OptionReader::new(o);
        let spec = MeanSpec::read(&mut r, default_scale)?;
        let interval = MeanIntervalOptions::read(&mut r)?;
        r.finish()?;
        Ok(MeanOptions { spec, interval })
    }
}

/// A mean with its SD, SE and interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeanResult {
    pub mean: f64,
    /// Sample SD (weighted: √(Σw(y−ȳ)²/Σw · n/(n−1))).
    pub sd: f64,
    pub n: u64,
    pub n_missing: u64,
    pub weight_sum: f64,
    pub effective_n: f64,
    /// s/√n unweighted; linearisation SE weighted.
    pub se: f64,
    /// Degrees of freedom of a t interval; `None` for a normal interval.
    pub df: Option<f64>,
    pub lower: f64,
    pub upper: f64,
    /// `t` or `normal` (the resolved method).
    pub interval: MeanInterval,
    pub confidence: f64,
    pub weighted: bool,
    pub direction: Direction,
    /// The scale the answers were checked against, if any.
    pub scale: Option<Scale>,
}

fn finish_mean(
    m: &WeightedMoments,
    n_missing: u64,
    weighted: bool,
    spec: &MeanSpec,
    o: &MeanIntervalOptions,
) -> Result<MeanResult> {
    if m.n < 2 {
        return Err(CxkpiError::InsufficientData {
            what: "a mean with a standard error".into(),
            n: m.n,
            required: 2,
        });
    }
    if weighted && m.sum_w <= 0.0 {
        return Err(CxkpiError::ZeroWeightSum {
            arg: "weights".into(),
            n: m.n,
        });
    }
    let se = m.se_linearised();
    let method = match (o.interval, weighted) {
        (MeanInterval::Auto, false) => MeanInterval::T,
        (MeanInterval::Auto, true) => MeanInterval::Normal,
        (x, _) => x,
    };
    let (df, q) = match method {
        MeanInterval::Normal => (None, z_crit(o.confidence)),
        _ => {
            let df = m.n as f64 - 1.0;
            (Some(df), t_crit(o.confidence, df)?)
        }
    };
    Ok(MeanResult {
        mean: m.mean,
        sd: m.sd(),
        n: m.n,
        n_missing,
        weight_sum: m.sum_w,
        effective_n: m.effective_n(),
        se,
        df,
        lower: m.mean - q * se,
        upper: m.mean + q * se,
        interval: method,
        confidence: o.confidence,
        weighted,
        direction: spec.direction,
        scale: spec.scale,
    })
}

/// Mean of a score column with its interval.
///
/// ```
/// use cxkpi::{mean_score, MeanOptions};
/// let r = mean_score(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], None, &MeanOptions::default()).unwrap();
/// assert_eq!(r.mean, 5.0);
/// assert!((r.sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-14);
/// ```
pub fn mean_score(
    values: &[f64],
    weights: Option<&[f64]>,
    opts: &MeanOptions,
) -> Result<MeanResult> {
    non_empty("values", values)?;
    let mut p = MeanPartial::empty(opts.spec, weights.is_some());
    p.add_named("values", values, weights)?;
    p.finish_with(&opts.interval)
}

/// Customer Effort Score: the mean of 1-7 answers (by default higher = easier); the direction is recorded.
pub fn ces(scores: &[f64], weights: Option<&[f64]>, opts: &MeanOptions) -> Result<MeanResult> {
    non_empty("scores", scores)?;
    let mut p = MeanPartial::empty(opts.spec, weights.is_some());
    p.add_named("scores", scores, weights)?;
    p.finish_with(&opts.interval)
}

/// A mean result from published summary statistics (mean, SD, n).
pub fn mean_from_summary(mean: f64, sd: f64, n: u64, opts: &MeanOptions) -> Result<MeanResult> {
    if !mean.is_finite() {
        return Err(CxkpiError::invalid(
            "mean",
            format!("must be finite, got {mean}"),
        ));
    }
    if !(sd >= 0.0 && sd.is_finite()) {
        return Err(CxkpiError::invalid(
            "sd",
            format!("must be finite and >= 0, got {sd}"),
        ));
    }
    let nf = n as f64;
    let m2 = if n >= 2 { sd * sd * (nf - 1.0) } else { 0.0 };
    let m = WeightedMoments {
        n,
        sum_w: nf,
        sum_w2: nf,
        mean,
        m2,
        b: 0.0,
        c: m2,
    };
    finish_mean(&m, 0, false, &opts.spec, &opts.interval)
}

/// Mergeable partial mean.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeanPartial {
    pub spec: MeanSpec,
    pub weighted: bool,
    pub n_missing: u64,
    pub moments: WeightedMoments,
}

impl MeanPartial {
    /// Accumulates a shard. Options: `scale_min`, `scale_max`, `direction`, `missing`.
    pub fn from_values(
        values: &[f64],
        weights: Option<&[f64]>,
        opts: &Options,
    ) -> Result<MeanPartial> {
        let mut r = OptionReader::new(opts);
        let spec = MeanSpec::read(&mut r, None)?;
        r.finish()?;
        let mut p = MeanPartial::empty(spec, weights.is_some());
        p.add(values, weights)?;
        Ok(p)
    }

    pub fn empty(spec: MeanSpec, weighted: bool) -> MeanPartial {
        MeanPartial {
            spec,
            weighted,
            n_missing: 0,
            moments: WeightedMoments::default(),
        }
    }

    pub fn add(&mut self, values: &[f64], weights: Option<&[f64]>) -> Result<()> {
        self.add_named("values", values, weights)
    }

    fn add_named(&mut self, arg: &str, values: &[f64], weights: Option<&[f64]>) -> Result<()> {
        if weights.is_some() != self.weighted {
            return Err(CxkpiError::IncompatiblePartials {
                message: "a weighted and an unweighted mean cannot be combined".into(),
            });
        }
        let n_missing = match (weights, self.spec.scale) {
            (None, Some(scale)) if scale.histogram_friendly() => {
                let (hist, n_missing) = scale_histogram(arg, values, scale, self.spec.missing)?;
                self.moments
                    .merge(&WeightedMoments::from_histogram(&hist, scale.min as f64));
                n_missing
            }
            _ => {
                let m = &mut self.moments;
                scan(
                    arg,
                    values,
                    weights,
                    self.spec.check(),
                    self.spec.missing,
                    |_, v, w| m.add(v, w),
                )?
                .n_missing
            }
        };
        self.n_missing += n_missing;
        Ok(())
    }

    pub fn merge(&mut self, o: &MeanPartial) -> Result<()> {
        if o.spec != self.spec || o.weighted != self.weighted {
            return Err(CxkpiError::IncompatiblePartials {
                message: format!(
                    "mean partials differ in scale or weighting ({:?} vs {:?})",
                    self.spec, o.spec
                ),
            });
        }
        self.n_missing += o.n_missing;
        self.moments.merge(&o.moments);
        Ok(())
    }

    /// Options: `interval`, `confidence`.
    pub fn finish(&self, opts: &Options) -> Result<MeanResult> {
        let mut r = OptionReader::new(opts);
        let o = MeanIntervalOptions::read(&mut r)?;
        r.finish()?;
        self.finish_with(&o)
    }

    pub fn finish_with(&self, o: &MeanIntervalOptions) -> Result<MeanResult> {
        finish_mean(&self.moments, self.n_missing, self.weighted, &self.spec, o)
    }
}
