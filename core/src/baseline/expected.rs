//! Expected values (baselines) with a band, event windows left out, and the counterfactual impact of
//! each event.
//!
//! Trailing methods give the expected value of day t from the **included** days before t (one step
//! ahead; day t itself never enters its own baseline). A day is included unless it is missing or inside
//! an event window whose policy leaves it out (see [`crate::baseline::events`]); excluded days still get
//! an expected value — the counterfactual — from the included history.
//!
//! | method | expected value of day t |
//! |---|---|
//! | `rolling_mean` | mean of the last `window` included days |
//! | `rolling_median` | median of the last `window` included days |
//! | `ewma` | e ← λ·x + (1 − λ)·e over the included days, started at the first included value |
//! | `seasonal_naive` | the most recent included day at the same phase (t − period, t − 2·period, …) |
//! | `stl` | trend + seasonal of an STL fit (two-sided) on the series with every excluded day replaced by linear interpolation between included days |
//!
//! A trailing baseline is defined once `min_periods` included days precede t (default `window`; for
//! `seasonal_naive` one same-phase day). Band = expected ± k·scale with the named band method:
//! `rolling_sd` (sample sd of the last `window` included values), `error_sd` (root mean square of the
//! last `window` one-step errors of included days), `residual_sd` (`stl` only: sample sd of the STL
//! remainder over the included days). Default band: `rolling_sd` for rolling and EWMA baselines,
//! `error_sd` for seasonal naive, `residual_sd` for STL.
//!
//! ```
//! use chrono::NaiveDate;
//! use cxkpi::baseline::events::EventCalendar;
//! use cxkpi::baseline::expected::{baseline, BaselineOptions, BaselineMethod};
//! let mut x: Vec<f64> = (0..40).map(|i| 40.0 + (i % 3) as f64).collect();
//! for v in &mut x[20..23] { *v -= 15.0; } // an outage
//! let cal = EventCalendar::from_json(r#"{"events": [{"name": "outage", "kind": "outage", "start": "2026-01-21", "end": "2026-01-23"}]}"#).unwrap();
//! let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let opts = BaselineOptions { method: BaselineMethod::RollingMean, window: 9, ..Default::default() };
//! let b = baseline(&x, start, &cal, &opts).unwrap();
//! assert_eq!(b.expected[21], Some(41.0)); // the outage days never enter the baseline
//! assert_eq!(b.impacts[0].impact_mean, Some(-15.0));
//! ```

use crate::baseline::changepoint::median;
use crate::baseline::events::{EventCalendar, EventKind, EventPolicy};
use crate::baseline::series::{format_date, interpolate_at};
use crate::baseline::stl::{stl, StlOptions};
use crate::baseline::BaselineInfo;
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::stats::sum::NeumaierSum;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

option_enum! {
    /// How the expected value is computed.
    #[derive(Default)]
    BaselineMethod {
        /// Exponentially weighted moving average.
        Ewma => "ewma",
        /// Mean of the trailing window.
        #[default]
        RollingMean => "rolling_mean",
        /// Median of the trailing window.
        RollingMedian => "rolling_median",
        /// Same phase one season earlier.
        SeasonalNaive => "seasonal_naive",
        /// STL trend + seasonal.
        Stl => "stl",
    }
}

option_enum! {
    /// How the band's scale is computed.
    BandMethod {
        /// Sample sd of the trailing window's included values.
        RollingSd => "rolling_sd",
        /// Root mean square of the trailing window's one-step errors.
        ErrorSd => "error_sd",
        /// Sample sd of the STL remainder over included days.
        ResidualSd => "residual_sd",
    }
}

/// Options of [`baseline`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BaselineOptions {
    /// Method.
    pub method: BaselineMethod,
    /// Trailing window in included days (rolling methods, and the band of every trailing method).
    pub window: usize,
    /// Included days needed before a trailing baseline is defined (default: `window`; `seasonal_naive`: 1).
    pub min_periods: Option<usize>,
    /// EWMA smoothing weight λ in (0, 1].
    pub lambda: f64,
    /// Season length (seasonal naive, STL).
    pub period: usize,
    /// Band half-width in band scales.
    pub k: f64,
    /// Band method (default per method, see the module docs).
    pub band: Option<BandMethod>,
    /// STL options for `stl` (its `period` is replaced by `period`).
    pub stl: StlOptions,
    /// Label of the series (copied into results).
    pub series: Option<String>,
}

impl Default for BaselineOptions {
    fn default() -> Self {
        BaselineOptions {
            method: BaselineMethod::RollingMean,
            window: 28,
            min_periods: None,
            lambda: 0.2,
            period: 7,
            k: 2.0,
            band: None,
            stl: StlOptions::default(),
            series: None,
        }
    }
}

impl BaselineOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.window == 0 {
            return Err(CxkpiError::invalid("window", "must be at least 1"));
        }
        if let Some(m) = self.min_periods {
            if m == 0 {
                return Err(CxkpiError::invalid("min_periods", "must be at least 1"));
            }
        }
        if !(self.lambda > 0.0 && self.lambda <= 1.0) {
            return Err(CxkpiError::invalid(
                "lambda",
                format!("must lie in (0, 1], got {}", self.lambda),
            ));
        }
        if self.period < 1 {
            return Err(CxkpiError::invalid("period", "must be at least 1"));
        }
        if !(self.k.is_finite() && self.k >= 0.0) {
            return Err(CxkpiError::invalid(
                "k",
                format!("must be finite and >= 0, got {}", self.k),
            ));
        }
        let band = self.band_method();
        if (band == BandMethod::ResidualSd) != (self.method == BaselineMethod::Stl) {
            return Err(CxkpiError::Unsupported {
                message: format!(
                    "band \"{band}\" with method \"{}\": residual_sd goes with stl and only with stl",
                    self.method
                ),
            });
        }
        Ok(())
    }

    /// The band method in force.
    pub fn band_method(&self) -> BandMethod {
        self.band.unwrap_or(match self.method {
            BaselineMethod::SeasonalNaive => BandMethod::ErrorSd,
            BaselineMethod::Stl => BandMethod::ResidualSd,
            _ => BandMethod::RollingSd,
        })
    }

    fn min_periods(&self) -> usize {
        self.min_periods.unwrap_or(match self.method {
            BaselineMethod::SeasonalNaive => 1,
            _ => self.window,
        })
    }
}

/// A day left out of the baseline, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedDay {
    /// Index in the series.
    pub index: usize,
    /// Date.
    #[serde(with = "crate::baseline::series::iso_date")]
    pub date: NaiveDate,
    /// `"missing"` or the event's name.
    pub reason: String,
    /// The event's kind, for event days.
    pub kind: Option<EventKind>,
    /// The event's policy, for event days.
    pub policy: Option<EventPolicy>,
}

/// The measured impact of one event: observed minus counterfactual baseline over its days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventImpact {
    /// Event name.
    pub name: String,
    /// Kind.
    pub kind: EventKind,
    /// Policy applied.
    pub policy: EventPolicy,
    /// First index of the event inside the series (`None` if it lies outside).
    pub start_index: Option<usize>,
    /// Last index (inclusive).
    pub end_index: Option<usize>,
    /// Days of the event inside the series.
    pub days: usize,
    /// Days with both an observation and a counterfactual.
    pub days_measured: usize,
    /// Mean observed value over the measured days.
    pub observed_mean: Option<f64>,
    /// Mean counterfactual baseline over the measured days.
    pub counterfactual_mean: Option<f64>,
    /// Σ (observed − counterfactual).
    pub impact_sum: Option<f64>,
    /// Mean (observed − counterfactual).
    pub impact_mean: Option<f64>,
    /// Level shift applied after the event (`level_shift` policy): equals `impact_mean`.
    pub level_shift: Option<f64>,
}

/// A baseline with its band, the excluded days and the events' impacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineResult {
    /// Method used.
    pub method: BaselineMethod,
    /// Band method used.
    pub band: BandMethod,
    /// Series label.
    pub series: Option<String>,
    /// Date of day 0.
    #[serde(with = "crate::baseline::series::iso_date")]
    pub start: NaiveDate,
    /// Expected value per day (`None` before enough history).
    pub expected: Vec<Option<f64>>,
    /// Band scale per day (`None` where undefined).
    pub scale: Vec<Option<f64>>,
    /// expected − k·scale.
    pub lower: Vec<Option<f64>>,
    /// expected + k·scale.
    pub upper: Vec<Option<f64>>,
    /// Whether the day entered the baseline.
    pub included: Vec<bool>,
    /// Included days outside the band: `"above"` / `"below"`, else `None`.
    pub flag: Vec<Option<String>>,
    /// Days left out, and why.
    pub excluded: Vec<ExcludedDay>,
    /// One impact per event of the calendar (calendar order).
    pub impacts: Vec<EventImpact>,
    /// How the baseline was computed (for signals and alerts).
    pub info: BaselineInfo,
}

fn sample_sd(v: &[f64]) -> Option<f64> {
    if v.len() < 2 {
        return None;
    }
    let m = NeumaierSum::of(v) / v.len() as f64;
    let mut q = NeumaierSum::default();
    v.iter().for_each(|x| q.add((x - m) * (x - m)));
    Some((q.value() / (v.len() - 1) as f64).sqrt())
}

fn rms(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut q = NeumaierSum::default();
    v.iter().for_each(|x| q.add(x * x));
    Some((q.value() / v.len() as f64).sqrt())
}

/// Per-day event assignment: (event index, policy) for the first event covering the day.
fn assign(cal: &EventCalendar, start: NaiveDate, n: usize) -> Vec<Option<usize>> {
    let mut at = vec![None; n];
    for (j, e) in cal.events.iter().enumerate() {
        if let Some((a, b)) = e.index_range(start, n) {
            for slot in at.iter_mut().take(b + 1).skip(a) {
                if slot.is_none() {
                    *slot = Some(j);
                }
            }
        }
    }
    at
}

/// Computes the baseline of `values` (NaN = missing day; day 0 is `start`) with the events of `calendar`.
pub fn baseline(
    values: &[f64],
    start: NaiveDate,
    calendar: &EventCalendar,
    opts: &BaselineOptions,
) -> Result<BaselineResult> {
    opts.validate()?;
    calendar.validate()?;
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "values".into(),
        });
    }
    if let Some(i) = values.iter().position(|x| x.is_infinite()) {
        return Err(CxkpiError::invalid(
            "values",
            format!(
                "element {i} is {}; values must be finite (NaN = missing day)",
                values[i]
            ),
        ));
    }
    let n = values.len();
    let at = assign(calendar, start, n);
    let date = |i: usize| start + Days::new(i as u64);
    let mut included = vec![true; n];
    let mut excluded = Vec::new();
    for i in 0..n {
        if values[i].is_nan() {
            included[i] = false;
            excluded.push(ExcludedDay {
                index: i,
                date: date(i),
                reason: "missing".into(),
                kind: None,
                policy: None,
            });
        } else if let Some(j) = at[i] {
            let e = &calendar.events[j];
            let pol = e.effective_policy();
            if pol != EventPolicy::Include {
                included[i] = false;
                excluded.push(ExcludedDay {
                    index: i,
                    date: date(i),
                    reason: e.name.clone(),
                    kind: Some(e.kind),
                    policy: Some(pol),
                });
            }
        }
    }
    // Event ends where a policy acts (level_shift / reset): index of the last day -> event.
    let mut actions: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (j, e) in calendar.events.iter().enumerate() {
        let pol = e.effective_policy();
        if matches!(pol, EventPolicy::LevelShift | EventPolicy::Reset) {
            if opts.method == BaselineMethod::Stl {
                return Err(CxkpiError::Unsupported {
                    message: format!(
                        "event \"{}\": policy {pol} needs a trailing baseline; with method stl use exclude",
                        e.name
                    ),
                });
            }
            if let Some((_, b)) = e.index_range(start, n) {
                actions.entry(b).or_default().push(j);
            }
        }
    }
    let band = opts.band_method();
    let mut expected = vec![None; n];
    let mut scale = vec![None; n];
    let mut level_shifts: BTreeMap<usize, f64> = BTreeMap::new();
    if opts.method == BaselineMethod::Stl {
        let obs: Vec<usize> = (0..n).filter(|&i| included[i]).collect();
        if obs.is_empty() {
            return Err(CxkpiError::InsufficientData {
                what: "stl baseline (included days)".into(),
                n: 0,
                required: 1,
            });
        }
        let targets: Vec<usize> = (0..n).filter(|&i| !included[i]).collect();
        let filled = interpolate_at(values, &targets, &obs);
        let so = StlOptions {
            period: opts.period,
            ..opts.stl.clone()
        };
        let fit = stl(&filled, &so)?;
        let rem: Vec<f64> = obs.iter().map(|&i| fit.remainder[i]).collect();
        let sd = sample_sd(&rem);
        for i in 0..n {
            expected[i] = Some(fit.trend[i] + fit.seasonal[i]);
            scale[i] = sd;
        }
    } else {
        // Working history: included values, shifted by level shifts, cleared by resets.
        let mut hist: Vec<(usize, f64)> = Vec::new(); // (day, working value)
        let mut errors: Vec<(usize, f64)> = Vec::new(); // (day, one-step error) of included days
        let mut ewma: Option<f64> = None;
        let mut seen = 0usize; // included days in the current history
        let w = opts.window;
        let minp = opts.min_periods();
        for t in 0..n {
            // expected of day t from the history before t
            let e = match opts.method {
                BaselineMethod::RollingMean | BaselineMethod::RollingMedian => {
                    let h = &hist[hist.len().saturating_sub(w)..];
                    if h.len() >= minp.min(w) && !h.is_empty() {
                        let v: Vec<f64> = h.iter().map(|p| p.1).collect();
                        Some(if opts.method == BaselineMethod::RollingMean {
                            NeumaierSum::of(&v) / v.len() as f64
                        } else {
                            median(&v)
                        })
                    } else {
                        None
                    }
                }
                BaselineMethod::Ewma => ewma.filter(|_| seen >= minp),
                BaselineMethod::SeasonalNaive => hist
                    .iter()
                    .rev()
                    .find(|p| (t - p.0) % opts.period == 0)
                    .map(|p| p.1)
                    .filter(|_| seen >= minp),
                BaselineMethod::Stl => unreachable!(),
            };
            expected[t] = e;
            let h = &hist[hist.len().saturating_sub(w)..];
            scale[t] = e.and(match band {
                BandMethod::RollingSd => {
                    let v: Vec<f64> = h.iter().map(|p| p.1).collect();
                    sample_sd(&v)
                }
                BandMethod::ErrorSd => {
                    let v: Vec<f64> = errors[errors.len().saturating_sub(w)..]
                        .iter()
                        .map(|p| p.1)
                        .collect();
                    rms(&v)
                }
                BandMethod::ResidualSd => None,
            });
            if included[t] {
                let x = values[t];
                if let Some(e) = e {
                    errors.push((t, x - e));
                }
                hist.push((t, x));
                seen += 1;
                ewma = Some(match ewma {
                    None => x,
                    Some(s) => opts.lambda * x + (1.0 - opts.lambda) * s,
                });
            }
            // policies acting at the end of an event window
            if let Some(js) = actions.get(&t) {
                for &j in js {
                    let ev = &calendar.events[j];
                    let (a, b) = ev.index_range(start, n).unwrap();
                    match ev.effective_policy() {
                        EventPolicy::Reset => {
                            hist.clear();
                            errors.clear();
                            ewma = None;
                            seen = 0;
                        }
                        EventPolicy::LevelShift => {
                            let d: Vec<f64> = (a..=b)
                                .filter_map(|i| {
                                    (!values[i].is_nan())
                                        .then_some(())
                                        .and(expected[i].map(|e| values[i] - e))
                                })
                                .collect();
                            if !d.is_empty() {
                                let delta = NeumaierSum::of(&d) / d.len() as f64;
                                level_shifts.insert(j, delta);
                                for p in hist.iter_mut() {
                                    if p.0 < a {
                                        p.1 += delta;
                                    }
                                }
                                if let Some(s) = ewma.as_mut() {
                                    *s += delta;
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let mut lower = vec![None; n];
    let mut upper = vec![None; n];
    let mut flag = vec![None; n];
    for i in 0..n {
        if let (Some(e), Some(s)) = (expected[i], scale[i]) {
            let (lo, hi) = (e - opts.k * s, e + opts.k * s);
            lower[i] = Some(lo);
            upper[i] = Some(hi);
            if included[i] {
                if values[i] > hi {
                    flag[i] = Some("above".to_string());
                } else if values[i] < lo {
                    flag[i] = Some("below".to_string());
                }
            }
        }
    }
    let impacts = calendar
        .events
        .iter()
        .enumerate()
        .map(|(j, ev)| {
            let range = ev.index_range(start, n);
            let (mut o, mut c, mut d) = (Vec::new(), Vec::new(), Vec::new());
            if let Some((a, b)) = range {
                for i in a..=b {
                    if let (false, Some(e)) = (values[i].is_nan(), expected[i]) {
                        o.push(values[i]);
                        c.push(e);
                        d.push(values[i] - e);
                    }
                }
            }
            let mean = |v: &[f64]| (!v.is_empty()).then(|| NeumaierSum::of(v) / v.len() as f64);
            EventImpact {
                name: ev.name.clone(),
                kind: ev.kind,
                policy: ev.effective_policy(),
                start_index: range.map(|r| r.0),
                end_index: range.map(|r| r.1),
                days: range.map_or(0, |(a, b)| b - a + 1),
                days_measured: d.len(),
                observed_mean: mean(&o),
                counterfactual_mean: mean(&c),
                impact_sum: (!d.is_empty()).then(|| NeumaierSum::of(&d)),
                impact_mean: mean(&d),
                level_shift: level_shifts.get(&j).copied(),
            }
        })
        .collect();
    let mut params = BTreeMap::new();
    params.insert("k".to_string(), opts.k);
    match opts.method {
        BaselineMethod::Ewma => {
            params.insert("lambda".into(), opts.lambda);
            params.insert("window".into(), opts.window as f64);
            params.insert("min_periods".into(), opts.min_periods() as f64);
        }
        BaselineMethod::Stl => {
            params.insert("period".into(), opts.period as f64);
        }
        BaselineMethod::SeasonalNaive => {
            params.insert("period".into(), opts.period as f64);
            params.insert("window".into(), opts.window as f64);
        }
        _ => {
            params.insert("window".into(), opts.window as f64);
            params.insert("min_periods".into(), opts.min_periods() as f64);
        }
    }
    let info = BaselineInfo {
        method: opts.method.to_string(),
        parameters: params,
        excluded: excluded.iter().map(|e| e.index).collect(),
        seasonal_adjustment: match opts.method {
            BaselineMethod::Stl => Some(format!(
                "stl(period={}, preset={})",
                opts.period, opts.stl.preset
            )),
            BaselineMethod::SeasonalNaive => {
                Some(format!("seasonal_naive(period={})", opts.period))
            }
            _ => None,
        },
    };
    let _ = format_date;
    Ok(BaselineResult {
        method: opts.method,
        band,
        series: opts.series.clone(),
        start,
        expected,
        scale,
        lower,
        upper,
        included,
        flag,
        excluded,
        impacts,
        info,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d0() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    #[test]
    fn ewma_hand() {
        // lambda 0.5: e after 2 = 2; after 4 -> 3; expected[2] = 3
        let b = baseline(
            &[2.0, 4.0, 10.0],
            d0(),
            &EventCalendar::default(),
            &BaselineOptions {
                method: BaselineMethod::Ewma,
                lambda: 0.5,
                window: 2,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(b.expected, vec![None, None, Some(3.0)]);
        assert_eq!(b.flag[2].as_deref(), Some("above"));
    }

    #[test]
    fn reset_and_shift() {
        let mut x = vec![10.0; 10];
        x.extend(vec![20.0; 10]);
        let cal = EventCalendar::from_json(
            r#"{"events":[{"name":"v2","kind":"launch","start":"2026-01-11","end":"2026-01-12"}]}"#,
        )
        .unwrap();
        let o = BaselineOptions {
            window: 5,
            ..Default::default()
        };
        let b = baseline(&x, d0(), &cal, &o).unwrap();
        assert_eq!(b.impacts[0].level_shift, Some(10.0));
        assert_eq!(b.expected[13], Some(20.0));
        let cal = EventCalendar::from_json(
            r#"{"events":[{"name":"v2","kind":"instrument_change","start":"2026-01-11","end":"2026-01-12"}]}"#,
        )
        .unwrap();
        let b = baseline(&x, d0(), &cal, &o).unwrap();
        assert_eq!(b.expected[13], None);
        assert_eq!(b.expected[17], Some(20.0));
    }
}
