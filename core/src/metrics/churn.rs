//! Churn and retention rates from customer counts, annualised by compounding.

use crate::error::{CxkpiError, Result};
use crate::options::{check_confidence, option_enum, OptionReader, Options};
use crate::stats::{proportion_limits, ProportionMethod};

option_enum! {
    /// The denominator of a churn rate.
    ChurnBase {
        /// Customers at the start of the period (default).
        Start => "start",
        /// Average of start and end customers.
        Average => "average",
    }
}

/// Options of [`churn`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChurnOptions {
    pub customers_end: Option<f64>,
    /// Length of the measured period in months (1 = monthly, 3 = quarterly).
    pub period_months: f64,
    pub base: ChurnBase,
    pub interval: ProportionMethod,
    pub confidence: f64,
}

impl Default for ChurnOptions {
    fn default() -> Self {
        ChurnOptions {
            customers_end: None,
            period_months: 1.0,
            base: ChurnBase::Start,
            interval: ProportionMethod::Wilson,
            confidence: 0.95,
        }
    }
}

impl ChurnOptions {
    /// Reads `customers_end`, `period_months`, `base`, `interval`, `confidence`.
    pub fn from_options(o: &Options) -> Result<ChurnOptions> {
        let mut r = OptionReader::new(o);
        let d = ChurnOptions::default();
        let c = ChurnOptions {
            customers_end: r.f64("customers_end")?,
            period_months: r.f64("period_months")?.unwrap_or(d.period_months),
            base: r.enumeration("base")?.unwrap_or(d.base),
            interval: r.enumeration("interval")?.unwrap_or(d.interval),
            confidence: r.f64("confidence")?.unwrap_or(d.confidence),
        };
        r.finish()?;
        Ok(c)
    }
}

/// A churn rate with retention, annualised figures and (for the start base) an interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChurnResult {
    pub churn_rate: f64,
    pub retention_rate: f64,
    pub annualised_churn: f64,
    pub annualised_retention: f64,
    pub period_months: f64,
    pub base: ChurnBase,
    pub customers_start: f64,
    pub customers_end: Option<f64>,
    pub lost: f64,
    /// Interval for the churn rate (binomial: `lost` of `customers_start`); `None` for the average base.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub interval: ProportionMethod,
    pub confidence: f64,
}

fn count(arg: &str, v: f64) -> Result<f64> {
    if v >= 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(CxkpiError::invalid(
            arg,
            format!("must be a finite count >= 0, got {v}"),
        ))
    }
}

/// Churn over a period: `lost` customers out of `customers_start` (or the average base).
///
/// ```
/// use cxkpi::{churn, ChurnOptions};
/// // 20 of 1000 lost in a month: 2% monthly, 1 − 0.98^12 a year.
/// let r = churn(1000.0, 20.0, &ChurnOptions::default()).unwrap();
/// assert!((r.churn_rate - 0.02).abs() < 1e-15);
/// assert!((r.annualised_churn - (1.0 - 0.98f64.powi(12))).abs() < 1e-12);
/// ```
pub fn churn(customers_start: f64, lost: f64, opts: &ChurnOptions) -> Result<ChurnResult> {
    let start = count("customers_start", customers_start)?;
    let lost = count("lost", lost)?;
    check_confidence(opts.confidence)?;
    if start == 0.0 {
        return Err(CxkpiError::invalid("customers_start", "must be > 0"));
    }
    if lost > start {
        return Err(CxkpiError::invalid(
            "lost",
            format!("{lost} exceeds customers_start = {start}"),
        ));
    }
    if !(opts.period_months > 0.0 && opts.period_months.is_finite()) {
        return Err(CxkpiError::invalid(
            "period_months",
            format!("must be > 0, got {}", opts.period_months),
        ));
    }
    let end = opts
        .customers_end
        .map(|e| count("customers_end", e))
        .transpose()?;
    let (rate, lower, upper) = match opts.base {
        ChurnBase::Start => {
            let (lo, hi) = proportion_limits(lost, start, opts.confidence, opts.interval)?;
            (lost / start, Some(lo), Some(hi))
        }
        ChurnBase::Average => {
            let e = end.ok_or_else(|| {
                CxkpiError::invalid("customers_end", "the average base needs customers_end")
            })?;
            let avg = (start + e) / 2.0;
            if lost > avg {
                return Err(CxkpiError::invalid(
                    "lost",
                    format!("{lost} exceeds the average base {avg}"),
                ));
            }
            (lost / avg, None, None)
        }
    };
    let annual_ret = (1.0 - rate).powf(12.0 / opts.period_months);
    Ok(ChurnResult {
        churn_rate: rate,
        retention_rate: 1.0 - rate,
        annualised_churn: 1.0 - annual_ret,
        annualised_retention: annual_ret,
        period_months: opts.period_months,
        base: opts.base,
        customers_start: start,
        customers_end: end,
        lost,
        lower,
        upper,
        interval: opts.interval,
        confidence: opts.confidence,
    })
}

/// Converts a rate over `from_months` to the compounded rate over `to_months`: 1 − (1 − r)^(to/from).
///
/// ```
/// // 2% monthly churn is 1 − 0.98³ per quarter.
/// let q = cxkpi::convert_rate(0.02, 1.0, 3.0).unwrap();
/// assert!((q - (1.0 - 0.98f64.powi(3))).abs() < 1e-15);
/// ```
pub fn convert_rate(rate: f64, from_months: f64, to_months: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&rate) {
        return Err(CxkpiError::invalid(
            "rate",
            format!("must lie in [0, 1], got {rate}"),
        ));
    }
    for (arg, v) in [("from_months", from_months), ("to_months", to_months)] {
        if !(v > 0.0 && v.is_finite()) {
            return Err(CxkpiError::invalid(arg, format!("must be > 0, got {v}")));
        }
    }
    Ok(1.0 - (1.0 - rate).powf(to_months / from_months))
}

/// Mergeable churn counts (start, lost and end customers add across disjoint books).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChurnPartial {
    pub customers_start: f64,
    pub lost: f64,
    pub customers_end: Option<f64>,
}

impl ChurnPartial {
    pub fn new(
        customers_start: f64,
        lost: f64,
        customers_end: Option<f64>,
    ) -> Result<ChurnPartial> {
        count("customers_start", customers_start)?;
        count("lost", lost)?;
        if let Some(e) = customers_end {
            count("customers_end", e)?;
        }
        Ok(ChurnPartial {
            customers_start,
            lost,
            customers_end,
        })
    }

    pub fn merge(&mut self, o: &ChurnPartial) -> Result<()> {
        self.customers_start += o.customers_start;
        self.lost += o.lost;
        self.customers_end = match (self.customers_end, o.customers_end) {
            (Some(a), Some(b)) => Some(a + b),
            (None, None) => None,
            _ => {
                return Err(CxkpiError::IncompatiblePartials {
                    message: "one churn partial has customers_end and the other does not".into(),
                })
            }
        };
        Ok(())
    }

    /// Options as [`churn`] except `customers_end` (taken from the partial).
    pub fn finish(&self, opts: &Options) -> Result<ChurnResult> {
        let mut o = ChurnOptions::from_options(opts)?;
        if o.customers_end.is_some() {
            return Err(CxkpiError::invalid(
                "customers_end",
                "is part of the partial",
            ));
        }
        o.customers_end = self.customers_end;
        churn(self.customers_start, self.lost, &o)
    }
}
