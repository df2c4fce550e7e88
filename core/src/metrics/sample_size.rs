//! Sample-size planning: respondents needed for a target margin of error, with exact
//! finite-population inversion, invitations from a response rate, and the achievable margin when
//! the list is too small.

use crate::error::{CxkpiError, Result};
use crate::options::{check_confidence, option_enum, OptionReader, Options};
use crate::stats::z_crit;

option_enum! {
    /// The metric being planned.
    SampleMetric {
        /// NPS; margin in NPS points.
        Nps => "nps",
        /// A share; margin in 0..1.
        Share => "share",
        /// A mean; margin in score units.
        Mean => "mean",
    }
}

option_enum! {
    /// Finite-population correction.
    FpcMethod {
        /// Exact inversion of m = z·√(V/n · (N − n)/(N − 1)): n = N·n₀/(N − 1 + n₀) (default; this is
        /// also Cochran's n₀/(1 + (n₀ − 1)/N)).
        Exact => "exact",
        /// The common approximation n₀/(1 + n₀/N), i.e. the FPC (N − n)/N.
        Simple => "simple",
    }
}

/// Options of [`sample_size`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SampleSizeOptions {
    pub metric: SampleMetric,
    pub margin: f64,
    pub confidence: f64,
    /// Expected promoter share (NPS; default 0.5).
    pub promoters: f64,
    /// Expected detractor share (NPS; default 0.5: the worst case, V = 1).
    pub detractors: f64,
    /// Expected share (default 0.5: the worst case).
    pub p: f64,
    /// Expected SD (mean; required).
    pub sd: Option<f64>,
    /// Size of the list or customer base.
    pub population: Option<f64>,
    /// Expected response rate in (0, 1].
    pub response_rate: Option<f64>,
    pub fpc: FpcMethod,
}

impl SampleSizeOptions {
    /// Options for `metric` at `margin` with every other default.
    pub fn new(metric: SampleMetric, margin: f64) -> Self {
        SampleSizeOptions {
            metric,
            margin,
            confidence: 0.95,
            promoters: 0.5,
            detractors: 0.5,
            p: 0.5,
            sd: None,
            population: None,
            response_rate: None,
            fpc: FpcMethod::Exact,
        }
    }

    /// Reads `metric`, `margin` (both required), `confidence`, `promoters`, `detractors`, `p`, `sd`,
    /// `population`, `response_rate`, `fpc`.
    pub fn from_options(o: &Options) -> Result<SampleSizeOptions> {
        let mut r = OptionReader::new(o);
        let metric = r
            .enumeration("metric")?
            .ok_or_else(|| CxkpiError::invalid("metric", "is required"))?;
        let margin = r
            .f64("margin")?
            .ok_or_else(|| CxkpiError::invalid("margin", "is required"))?;
        let d = SampleSizeOptions::new(metric, margin);
        let s = SampleSizeOptions {
            confidence: r.f64("confidence")?.unwrap_or(d.confidence),
            promoters: r.f64("promoters")?.unwrap_or(d.promoters),
            detractors: r.f64("detractors")?.unwrap_or(d.detractors),
            p: r.f64("p")?.unwrap_or(d.p),
            sd: r.f64("sd")?,
            population: r.f64("population")?,
            response_rate: r.f64("response_rate")?,
            fpc: r.enumeration("fpc")?.unwrap_or(d.fpc),
            ..d
        };
        r.finish()?;
        Ok(s)
    }
}

/// How many respondents (and invitations) a margin of error needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SampleSizeResult {
    pub metric: SampleMetric,
    pub margin: f64,
    pub confidence: f64,
    /// Unit variance V (NPS in points², share p(1−p), mean sd²).
    pub variance: f64,
    /// z²V/m² (infinite population).
    pub n_infinite: f64,
    /// Respondents needed (after the finite-population correction), rounded up.
    pub n_required: u64,
    pub population: Option<f64>,
    pub response_rate: Option<f64>,
    /// Invitations to send: ⌈n_required / response_rate⌉ (the whole list when that is not enough).
    pub invitations: Option<u64>,
    /// Whether the list can yield `n_required` respondents.
    pub feasible: bool,
    /// Respondents the list can yield: ⌊population · response_rate⌋.
    pub max_respondents: Option<u64>,
    /// The margin achievable with `max_respondents` when not feasible.
    pub achievable_margin: Option<f64>,
    pub fpc: FpcMethod,
}

fn ceil_guarded(x: f64) -> u64 {
    // Guard against an exact integer landing a few ulps above itself.
    (x * (1.0 - 1e-12)).ceil().max(1.0) as u64
}

fn share(arg: &str, v: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(CxkpiError::invalid(
            arg,
            format!("must lie in [0, 1], got {v}"),
        ))
    }
}

/// Respondents needed for a margin of error.
///
/// ```
/// use cxkpi::{sample_size, SampleSizeOptions, SampleMetric};
/// // The textbook 385: p = 0.5, ±5 points, 95%.
/// let r = sample_size(&SampleSizeOptions::new(SampleMetric::Share, 0.05)).unwrap();
/// assert_eq!(r.n_required, 385);
/// ```
pub fn sample_size(o: &SampleSizeOptions) -> Result<SampleSizeResult> {
    check_confidence(o.confidence)?;
    if !(o.margin > 0.0 && o.margin.is_finite()) {
        return Err(CxkpiError::invalid(
            "margin",
            format!("must be > 0, got {}", o.margin),
        ));
    }
    let v = match o.metric {
        SampleMetric::Nps => {
            let (p, d) = (
                share("promoters", o.promoters)?,
                share("detractors", o.detractors)?,
            );
            if p + d > 1.0 {
                return Err(CxkpiError::invalid(
                    "detractors",
                    format!("promoters + detractors = {} exceeds 1", p + d),
                ));
            }
            (p + d - (p - d).powi(2)) * 10_000.0
        }
        SampleMetric::Share => {
            if o.margin >= 1.0 {
                return Err(CxkpiError::invalid(
                    "margin",
                    "a share's margin is in 0..1 (e.g. 0.05)",
                ));
            }
            let p = share("p", o.p)?;
            p * (1.0 - p)
        }
        SampleMetric::Mean => {
            let sd =
                o.sd.ok_or_else(|| CxkpiError::invalid("sd", "is required for a mean"))?;
            if !(sd > 0.0 && sd.is_finite()) {
                return Err(CxkpiError::invalid("sd", format!("must be > 0, got {sd}")));
            }
            sd * sd
        }
    };
    if v == 0.0 {
        return Err(CxkpiError::invalid(
            "p",
            "the expected variance is zero: any n gives a zero margin",
        ));
    }
    if let Some(rr) = o.response_rate {
        if !(rr > 0.0 && rr <= 1.0) {
            return Err(CxkpiError::invalid(
                "response_rate",
                format!("must lie in (0, 1], got {rr}"),
            ));
        }
    }
    let z = z_crit(o.confidence);
    let m2 = o.margin * o.margin;
    let n0 = z * z * v / m2;
    let (n, max_resp) = match o.population {
        None => (n0, None),
        Some(pop) => {
            if !(pop >= 1.0 && pop.is_finite() && pop.fract() == 0.0) {
                return Err(CxkpiError::invalid(
                    "population",
                    format!("must be a whole number >= 1, got {pop}"),
                ));
            }
            let n = if pop == 1.0 {
                1.0
            } else {
                match o.fpc {
                    FpcMethod::Exact => pop * z * z * v / ((pop - 1.0) * m2 + z * z * v),
                    FpcMethod::Simple => n0 / (1.0 + n0 / pop),
                }
            };
            (
                n,
                Some((pop * o.response_rate.unwrap_or(1.0)).floor() as u64),
            )
        }
    };
    let n_required = ceil_guarded(n);
    let feasible = max_resp.is_none_or(|m| n_required <= m);
    let achievable_margin = match (feasible, max_resp, o.population) {
        (false, Some(k), Some(pop)) if k >= 1 => {
            let k = k as f64;
            Some(match o.fpc {
                FpcMethod::Exact => {
                    if pop == 1.0 {
                        0.0
                    } else {
                        z * (v / k * (pop - k) / (pop - 1.0)).sqrt()
                    }
                }
                FpcMethod::Simple => {
                    // Invert n = n0 / (1 + n0/N) for n0, then m = z√(V/n0).
                    let n0k = k * pop / (pop - k);
                    if n0k.is_finite() {
                        z * (v / n0k).sqrt()
                    } else {
                        0.0
                    }
                }
            })
        }
        _ => None,
    };
    let invitations = o.response_rate.map(|rr| {
        let inv = ceil_guarded(n_required as f64 / rr);
        match o.population {
            Some(pop) if !feasible || inv as f64 > pop => pop as u64,
            _ => inv,
        }
    });
    Ok(SampleSizeResult {
        metric: o.metric,
        margin: o.margin,
        confidence: o.confidence,
        variance: v,
        n_infinite: n0,
        n_required,
        population: o.population,
        response_rate: o.response_rate,
        invitations,
        feasible,
        max_respondents: max_resp,
        achievable_margin,
        fpc: o.fpc,
    })
}
