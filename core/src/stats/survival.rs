//! Kaplan-Meier survival curves with Greenwood variance and log-log (default), log or plain intervals;
//! retention by signup cohort.
//!
//! Conventions (as R `survival::survfit`): one row per distinct time (event or censoring), events before
//! censorings at tied times; σ²(t) = Σ d/(n(n-d)) (Greenwood, on the log scale);
//! log-log: S^exp(±z σ / log S); log: S·exp(±z σ), capped at 1; plain: S(1 ± z σ), clipped to [0, 1].
//! Limits that are undefined (S = 0, or σ infinite after the last subject dies) are None. Median: the
//! first time with S ≤ 0.5; when S equals 0.5 exactly on a step, the midpoint to the next event time.

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::z_crit;
use serde::{Deserialize, Serialize};

/// Interval type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConfType {
    /// exp(-exp(log(-log S) ± zσ/log S)) (default; always inside (0, 1)); also spelled `log-log`.
    #[default]
    #[serde(alias = "log-log")]
    LogLog,
    /// exp(log S ± zσ), upper capped at 1.
    Log,
    /// S ± zσS, clipped to [0, 1].
    Plain,
}

impl ConfType {
    fn name(self) -> &'static str {
        match self {
            ConfType::LogLog => "log-log",
            ConfType::Log => "log",
            ConfType::Plain => "plain",
        }
    }
}

/// Options of [`kaplan_meier`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KaplanMeierOptions {
    /// `log_log` (default), `log` or `plain`.
    pub conf_type: ConfType,
    /// Confidence level (default 0.95).
    pub confidence: f64,
}

impl Default for KaplanMeierOptions {
    fn default() -> Self {
        KaplanMeierOptions {
            conf_type: ConfType::LogLog,
            confidence: 0.95,
        }
    }
}

/// One step of the curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmRow {
    /// Time.
    pub time: f64,
    /// At risk just before `time`.
    pub n_risk: u64,
    /// Events at `time`.
    pub n_event: u64,
    /// Censorings at `time`.
    pub n_censor: u64,
    /// S(time).
    pub survival: f64,
    /// Greenwood standard error of S: S·σ (None when σ is infinite).
    pub std_err: Option<f64>,
    /// Lower limit.
    pub lower: Option<f64>,
    /// Upper limit.
    pub upper: Option<f64>,
}

/// Result of [`kaplan_meier`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    /// Subjects.
    pub n: u64,
    /// Events.
    pub n_events: u64,
    /// One row per distinct time.
    pub rows: Vec<KmRow>,
    /// Median survival time (None if S never reaches 0.5).
    pub median: Option<f64>,
    /// `log-log`, `log` or `plain`.
    pub conf_type: String,
    /// Confidence level.
    pub confidence: f64,
}

/// Kaplan-Meier estimate from follow-up `time` and `event` (1 = event, 0 = censored).
///
/// ```
/// use cxkpi::stats::survival::{kaplan_meier, KaplanMeierOptions};
/// let months = [3.0, 5.0, 5.0, 8.0, 12.0, 12.0, 15.0];
/// let churned = [1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
/// let km = kaplan_meier(&months, &churned, &KaplanMeierOptions::default()).unwrap();
/// assert!((km.rows[0].survival - 6.0 / 7.0).abs() < 1e-15);
/// ```
pub fn kaplan_meier(
    time: &[f64],
    event: &[f64],
    options: &KaplanMeierOptions,
) -> Result<KaplanMeier> {
    check::confidence(options.confidence)?;
    check::same_len("event", event.len(), "time", time.len())?;
    check::finite("time", time)?;
    if time.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: "time".into() });
    }
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
    let mut idx: Vec<usize> = (0..time.len()).collect();
    idx.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    let z = z_crit(options.confidence);
    let mut at_risk = time.len() as u64;
    let mut s = 1.0f64;
    let mut gw = crate::stats::sum::NeumaierSum::default();
    let mut gw_inf = false;
    let mut rows = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let t = time[idx[i]];
        let mut d = 0u64;
        let mut c = 0u64;
        while i < idx.len() && time[idx[i]] == t {
            if event[idx[i]] == 1.0 {
                d += 1;
            } else {
                c += 1;
            }
            i += 1;
        }
        let nr = at_risk;
        if d > 0 {
            let (nf, df) = (nr as f64, d as f64);
            s *= 1.0 - df / nf;
            if d == nr {
                gw_inf = true;
            } else {
                gw.add(df / (nf * (nf - df)));
            }
        }
        let sigma = if gw_inf {
            None
        } else {
            Some(gw.value().sqrt())
        };
        let (lower, upper) = limits(s, sigma, z, options.conf_type);
        rows.push(KmRow {
            time: t,
            n_risk: nr,
            n_event: d,
            n_censor: c,
            survival: s,
            std_err: sigma.map(|sg| s * sg),
            lower,
            upper,
        });
        at_risk -= d + c;
    }
    // median
    let mut median = None;
    for (k, r) in rows.iter().enumerate() {
        if r.n_event > 0 && r.survival <= 0.5 {
            if r.survival == 0.5 {
                median = rows[k + 1..]
                    .iter()
                    .find(|q| q.n_event > 0)
                    .map(|q| (r.time + q.time) / 2.0)
                    .or(Some(r.time));
            } else {
                median = Some(r.time);
            }
            break;
        }
    }
    Ok(KaplanMeier {
        n: time.len() as u64,
        n_events: event.iter().filter(|&&e| e == 1.0).count() as u64,
        rows,
        median,
        conf_type: options.conf_type.name().into(),
        confidence: options.confidence,
    })
}

fn limits(s: f64, sigma: Option<f64>, z: f64, ct: ConfType) -> (Option<f64>, Option<f64>) {
    let Some(sg) = sigma else {
        return (None, None);
    };
    if s <= 0.0 {
        return (None, None);
    }
    match ct {
        ConfType::Log => {
            let ls = s.ln();
            (
                Some((ls - z * sg).exp()),
                Some((ls + z * sg).exp().min(1.0)),
            )
        }
        ConfType::Plain => (
            Some((s - z * sg * s).max(0.0)),
            Some((s + z * sg * s).min(1.0)),
        ),
        ConfType::LogLog => {
            if s >= 1.0 {
                // σ = 0 at S = 1: a degenerate interval [1, 1]
                return (Some(1.0), Some(1.0));
            }
            let ll = (-s.ln()).ln();
            let w = z * sg / s.ln();
            // S^exp(w) for one side, S^exp(-w) for the other (log S < 0 so w < 0)
            let a = (-(ll + w).exp()).exp();
            let b = (-(ll - w).exp()).exp();
            (Some(a.min(b)), Some(a.max(b)))
        }
    }
}

/// Retention of one signup cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRetention {
    /// Cohort code (signup period).
    pub cohort: u32,
    /// Customers in the cohort.
    pub n: u64,
    /// retention[t] = share still active t periods after signup, for t = 0..=horizon; None where period
    /// cohort + t lies after `observed_until` (not yet observable).
    pub retention: Vec<Option<f64>>,
}

/// Retention curves by signup cohort. `cohort[i]` is customer i's signup period; `churn_period[i]` the
/// period in which the customer churned (NaN = still active). A customer counts as retained at t if they
/// have not churned by period cohort + t (churn at cohort + t means not retained at t). Cohorts are
/// returned in ascending order.
pub fn retention_by_cohort(
    cohort: &[u32],
    churn_period: &[f64],
    observed_until: u32,
    horizon: u32,
) -> Result<Vec<CohortRetention>> {
    check::same_len("churn_period", churn_period.len(), "cohort", cohort.len())?;
    if cohort.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "cohort".into(),
        });
    }
    for (i, (&c, &p)) in cohort.iter().zip(churn_period).enumerate() {
        if c > observed_until {
            return Err(CxkpiError::invalid(
                "cohort",
                format!("element {i} = {c} is after observed_until = {observed_until}"),
            ));
        }
        if !p.is_nan() && (p.fract() != 0.0 || p < c as f64 || p.is_infinite()) {
            return Err(CxkpiError::invalid(
                "churn_period",
                format!(
                    "element {i} = {p} must be NaN (active) or a whole period >= its cohort {c}"
                ),
            ));
        }
    }
    let mut codes: Vec<u32> = cohort.to_vec();
    codes.sort_unstable();
    codes.dedup();
    Ok(codes
        .into_iter()
        .map(|c| {
            let members: Vec<f64> = cohort
                .iter()
                .zip(churn_period)
                .filter(|(&k, _)| k == c)
                .map(|(_, &p)| p)
                .collect();
            let n = members.len();
            let retention = (0..=horizon)
                .map(|t| {
                    let period = c as u64 + t as u64;
                    if period > observed_until as u64 {
                        return None;
                    }
                    let kept = members
                        .iter()
                        .filter(|&&p| p.is_nan() || p > period as f64)
                        .count();
                    Some(kept as f64 / n as f64)
                })
                .collect();
            CohortRetention {
                cohort: c,
                n: n as u64,
                retention,
            }
        })
        .collect())
}
