//! Sentiment shares: percent positive, net sentiment (P − N)/(P + U + N) and polarity (P − N)/(P + N).

use super::nps::NetIntervalOptions;
use super::trinomial::Trinomial;
use crate::error::{CxkpiError, Result};
use crate::options::{OptionReader, Options};
use crate::scale::{non_empty, scale_histogram, scan, MissingPolicy, Scale, ValueCheck};
use crate::stats::{proportion_limits, ProportionMethod};

/// Parses text labels into codes: "positive" → 1, "neutral" → 0, "negative" → −1 (case and surrounding
/// space ignored); `None` → NaN (missing). Anything else is an `out_of_scale` error naming the index.
pub fn parse_sentiment_labels(labels: &[Option<&str>]) -> Result<Vec<f64>> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| match l {
            None => Ok(f64::NAN),
            Some(s) => match s.trim().to_ascii_lowercase().as_str() {
                "positive" => Ok(1.0),
                "neutral" => Ok(0.0),
                "negative" => Ok(-1.0),
                "" => Ok(f64::NAN),
                _ => Err(CxkpiError::OutOfScale {
                    arg: "labels".into(),
                    index: i,
                    value: f64::NAN,
                    scale: format!("positive/neutral/negative (got \"{s}\")"),
                }),
            },
        })
        .collect()
}

/// Options of [`sentiment_share`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SentimentOptions {
    pub missing: MissingPolicy,
    /// Interval of the net sentiment (as for NPS; default adjusted Wald).
    pub net: NetIntervalOptions,
    /// Interval method of the positive share and of the polarity (default Wilson).
    pub share_interval: ProportionMethod,
}

impl Default for SentimentOptions {
    fn default() -> Self {
        SentimentOptions {
            missing: MissingPolicy::Exclude,
            net: NetIntervalOptions::default(),
            share_interval: ProportionMethod::Wilson,
        }
    }
}

impl SentimentOptions {
    /// Reads `missing`, `interval`, `share_interval`, `confidence`, `resamples`, `seed`.
    pub fn from_options(o: &Options) -> Result<SentimentOptions> {
        let mut r = OptionReader::new(o);
        let missing = r.enumeration("missing")?.unwrap_or_default();
        let (net, share_interval) = read_intervals(&mut r)?;
        r.finish()?;
        Ok(SentimentOptions {
            missing,
            net,
            share_interval,
        })
    }
}

fn read_intervals(r: &mut OptionReader<'_>) -> Result<(NetIntervalOptions, ProportionMethod)> {
    let net = NetIntervalOptions::read(r, "interval")?;
    let share_interval = r.enumeration("share_interval")?.unwrap_or_default();
    Ok((net, share_interval))
}

/// Sentiment shares with intervals.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SentimentResult {
    pub positive_share: f64,
    pub neutral_share: f64,
    pub negative_share: f64,
    pub positive_lower: f64,
    pub positive_upper: f64,
    /// (P − N)/(P + U + N) in −1..1.
    pub net_sentiment: f64,
    pub net_se: f64,
    pub net_lower: f64,
    pub net_upper: f64,
    /// (P − N)/(P + N) in −1..1; `None` when there is no polar answer.
    pub polarity: Option<f64>,
    pub polarity_lower: Option<f64>,
    pub polarity_upper: Option<f64>,
    pub n: u64,
    pub n_missing: u64,
    pub n_positive: u64,
    pub n_neutral: u64,
    pub n_negative: u64,
    pub weight_sum: f64,
    pub effective_n: f64,
    pub interval: super::trinomial::NetInterval,
    pub share_interval: ProportionMethod,
    pub confidence: f64,
    pub weighted: bool,
}

fn finish_sentiment(
    t: &Trinomial,
    n_missing: u64,
    weighted: bool,
    net: &NetIntervalOptions,
    share_interval: ProportionMethod,
    rows: Option<&[(i8, f64)]>,
) -> Result<SentimentResult> {
    let e = t.estimate(weighted, &net.spec(), rows)?;
    let conf = net.confidence;
    let m = e.effective_n;
    let (pl, pu) = proportion_limits(e.top * m, m, conf, share_interval)?;
    let polar = e.top + e.bottom;
    let (polarity, plo, phi) = if polar > 0.0 {
        // Effective polar count: m·(p + d); the positive share among polar answers p/(p + d).
        let mp = m * polar;
        let q = e.top / polar;
        let (lo, hi) = proportion_limits(q * mp, mp, conf, share_interval)?;
        (
            Some((e.top - e.bottom) / polar),
            Some(2.0 * lo - 1.0),
            Some(2.0 * hi - 1.0),
        )
    } else {
        (None, None, None)
    };
    Ok(SentimentResult {
        positive_share: e.top,
        neutral_share: e.middle,
        negative_share: e.bottom,
        positive_lower: pl,
        positive_upper: pu,
        net_sentiment: e.net,
        net_se: e.se,
        net_lower: e.lower,
        net_upper: e.upper,
        polarity,
        polarity_lower: plo,
        polarity_upper: phi,
        n: e.n,
        n_missing,
        n_positive: t.top.count,
        n_neutral: t.middle.count,
        n_negative: t.bottom.count,
        weight_sum: e.weight_sum,
        effective_n: m,
        interval: net.interval,
        share_interval,
        confidence: conf,
        weighted,
    })
}

const SENTIMENT_SCALE: ValueCheck = ValueCheck::Scale(Scale { min: -1, max: 1 });

/// Counts unweighted label codes into `t`; returns the number of missing labels.
fn count_labels(t: &mut Trinomial, labels: &[f64], missing: MissingPolicy) -> Result<u64> {
    let (hist, n_missing) = scale_histogram("labels", labels, Scale { min: -1, max: 1 }, missing)?;
    t.add_counts([hist[0], hist[1], hist[2]]);
    Ok(n_missing)
}

/// Sentiment shares from label codes (+1 positive, 0 neutral, −1 negative, NaN missing).
///
/// ```
/// use cxkpi::{sentiment_share, SentimentOptions};
/// let r = sentiment_share(&[1.0, 1.0, 0.0, -1.0, f64::NAN], None, &SentimentOptions::default()).unwrap();
/// assert_eq!((r.n, r.n_missing), (4, 1));
/// assert!((r.net_sentiment - 0.25).abs() < 1e-15); // (2 − 1) / 4
/// assert_eq!(r.polarity, Some(1.0 / 3.0));        // (2 − 1) / 3
/// ```
pub fn sentiment_share(
    labels: &[f64],
    weights: Option<&[f64]>,
    opts: &SentimentOptions,
) -> Result<SentimentResult> {
    non_empty("labels", labels)?;
    let keep_rows =
        weights.is_some() && opts.net.interval == super::trinomial::NetInterval::Bootstrap;
    let mut rows = Vec::new();
    let mut t = Trinomial::default();
    let n_missing = match weights {
        Some(_) => {
            scan(
                "labels",
                labels,
                weights,
                SENTIMENT_SCALE,
                opts.missing,
                |_, v, w| {
                    let code = v as i8;
                    t.add(code, w);
                    if keep_rows {
                        rows.push((code, w));
                    }
                },
            )?
            .n_missing
        }
        None => count_labels(&mut t, labels, opts.missing)?,
    };
    finish_sentiment(
        &t,
        n_missing,
        weights.is_some(),
        &opts.net,
        opts.share_interval,
        keep_rows.then_some(rows.as_slice()),
    )
}

/// Sentiment shares from counts.
pub fn sentiment_from_counts(
    positive: u64,
    neutral: u64,
    negative: u64,
    opts: &SentimentOptions,
) -> Result<SentimentResult> {
    let t = Trinomial::from_counts(positive, neutral, negative);
    finish_sentiment(&t, 0, false, &opts.net, opts.share_interval, None)
}

/// Mergeable partial sentiment counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SentimentPartial {
    pub missing: MissingPolicy,
    pub weighted: bool,
    pub n_missing: u64,
    pub sums: Trinomial,
}

impl SentimentPartial {
    /// Accumulates a shard of label codes. Options: `missing`.
    pub fn from_labels(
        labels: &[f64],
        weights: Option<&[f64]>,
        opts: &Options,
    ) -> Result<SentimentPartial> {
        let mut r = OptionReader::new(opts);
        let missing = r.enumeration("missing")?.unwrap_or_default();
        r.finish()?;
        let mut p = SentimentPartial {
            missing,
            weighted: weights.is_some(),
            n_missing: 0,
            sums: Trinomial::default(),
        };
        let sums = &mut p.sums;
        p.n_missing = match weights {
            Some(_) => {
                scan(
                    "labels",
                    labels,
                    weights,
                    SENTIMENT_SCALE,
                    missing,
                    |_, v, w| sums.add(v as i8, w),
                )?
                .n_missing
            }
            None => count_labels(sums, labels, missing)?,
        };
        Ok(p)
    }

    pub fn merge(&mut self, o: &SentimentPartial) -> Result<()> {
        if o.weighted != self.weighted || o.missing != self.missing {
            return Err(CxkpiError::IncompatiblePartials {
                message: "sentiment partials differ in weighting or missing-value policy".into(),
            });
        }
        self.n_missing += o.n_missing;
        self.sums.merge(&o.sums);
        Ok(())
    }

    /// Options: `interval`, `share_interval`, `confidence`, `resamples`, `seed`.
    pub fn finish(&self, opts: &Options) -> Result<SentimentResult> {
        let mut r = OptionReader::new(opts);
        let (net, share_interval) = read_intervals(&mut r)?;
        r.finish()?;
        finish_sentiment(
            &self.sums,
            self.n_missing,
            self.weighted,
            &net,
            share_interval,
            None,
        )
    }
}
