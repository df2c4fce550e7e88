//! Before/after comparison of a KPI around an intervention date (a change made in response to feedback,
//! a coaching day, a process fix).
//!
//! Rows are split by date into a *before* window `[intervention − window_before, intervention)` and an
//! *after* window `[intervention + gap, intervention + gap + window_after)`, where `gap` days right after the
//! intervention are left out as a transition (default 0) and an absent window length means "every day on
//! that side". Rows in neither window (the gap, or outside the windows) are counted in `n_outside`; missing
//! values (NaN) inside a window are counted in `n_missing`; nothing is dropped silently.
//!
//! The move is judged twice: by the baseline module's period-over-period helper
//! ([`crate::baseline::significance::period_move`]: normal z on the two means with SE s/√n, the minimal
//! detectable change at these n, and a plain-words sentence) and by Welch's t-test (after − before) from
//! [`crate::stats::impact::t_test`]. Dates are days since 1970-01-01 (numpy `datetime64[D]` as integers).

use crate::baseline::significance::{period_move, summarise, MoveOptions, PeriodMove};
use crate::error::{CxkpiError, Result};
use crate::stats::impact::{t_test, TTestOptions, TTestResult};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Options of [`before_after`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BeforeAfterOptions {
    /// The intervention date, ISO `YYYY-MM-DD` (required).
    pub intervention: String,
    /// Days in the before window (None: every earlier day).
    pub window_before: Option<u32>,
    /// Days in the after window (None: every later day).
    pub window_after: Option<u32>,
    /// Transition days after the intervention left out of both windows (default 0).
    pub gap: u32,
    /// Two-sided level (default 0.05); the t-test interval uses 1 − alpha.
    pub alpha: f64,
    /// Power of the minimal detectable change (default 0.8).
    pub power: f64,
    /// Unit word in the sentence (default `points`).
    pub units: String,
}

impl Default for BeforeAfterOptions {
    fn default() -> Self {
        BeforeAfterOptions {
            intervention: String::new(),
            window_before: None,
            window_after: None,
            gap: 0,
            alpha: 0.05,
            power: 0.8,
            units: "points".into(),
        }
    }
}

/// Result of [`before_after`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeforeAfter {
    /// The intervention date.
    pub intervention: String,
    /// First and last day (ISO) of the before window that hold data.
    pub before_first: String,
    /// Last day of the before window that holds data.
    pub before_last: String,
    /// First day of the after window that holds data.
    pub after_first: String,
    /// Last day of the after window that holds data.
    pub after_last: String,
    /// Values used before.
    pub n_before: u64,
    /// Values used after.
    pub n_after: u64,
    /// Missing values (NaN) inside the windows.
    pub n_missing: u64,
    /// Rows outside both windows (the transition gap, or beyond a window).
    pub n_outside: u64,
    /// The period-over-period move (normal z, MDC, words).
    pub period_move: PeriodMove,
    /// Welch's t-test of after − before.
    pub welch: TTestResult,
    /// Same as `period_move.words`, for convenience.
    pub words: String,
}

const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!("valid epoch"),
};

fn iso(day: i64) -> String {
    EPOCH
        .checked_add_signed(chrono::Duration::days(day))
        .map_or_else(|| format!("day {day}"), |d| d.to_string())
}

/// Days since 1970-01-01 of ISO dates `YYYY-MM-DD` (for bindings that receive dates as text); the first
/// invalid date is an `invalid_argument` naming its index.
pub fn parse_days(dates: &[String]) -> Result<Vec<i64>> {
    dates
        .iter()
        .enumerate()
        .map(|(i, s)| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| (d - EPOCH).num_days())
                .map_err(|_| {
                    CxkpiError::invalid(
                        "days",
                        format!("element {i} = {s:?} is not an ISO date YYYY-MM-DD"),
                    )
                })
        })
        .collect()
}

/// Before/after comparison of `values` dated `days` (days since 1970-01-01) around `options.intervention`.
///
/// ```
/// use cxkpi::stats::before_after::{before_after, BeforeAfterOptions};
/// // CSAT by day: 2025-03-01 is day 20148; a fix went live on 2025-03-05 (day 20152)
/// let days = [20148, 20149, 20150, 20151, 20152, 20153, 20154, 20155];
/// let csat = [3.9, 4.0, 3.8, 4.1, 4.4, 4.5, 4.3, 4.6];
/// let o = BeforeAfterOptions { intervention: "2025-03-05".into(), ..Default::default() };
/// let r = before_after(&csat, &days, &o).unwrap();
/// assert_eq!((r.n_before, r.n_after), (4, 4));
/// assert!(r.period_move.significant && r.welch.p_value < 0.05);
/// ```
pub fn before_after(
    values: &[f64],
    days: &[i64],
    options: &BeforeAfterOptions,
) -> Result<BeforeAfter> {
    if days.len() != values.len() {
        return Err(CxkpiError::LengthMismatch {
            arg: "days".into(),
            len: days.len(),
            other: "values".into(),
            other_len: values.len(),
        });
    }
    let t0 = NaiveDate::parse_from_str(&options.intervention, "%Y-%m-%d").map_err(|_| {
        CxkpiError::invalid(
            "intervention",
            format!(
                "must be an ISO date YYYY-MM-DD, got {:?}",
                options.intervention
            ),
        )
    })?;
    let mo = MoveOptions {
        alpha: options.alpha,
        power: options.power,
        units: options.units.clone(),
    };
    mo.validate()?;
    let t0 = (t0 - EPOCH).num_days();
    let b_start = options.window_before.map(|w| t0 - i64::from(w));
    let a_start = t0 + i64::from(options.gap);
    let a_end = options.window_after.map(|w| a_start + i64::from(w));
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let (mut missing, mut outside) = (0u64, 0u64);
    let (mut bf, mut bl, mut af, mut al) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    for (i, (&v, &d)) in values.iter().zip(days).enumerate() {
        if v.is_infinite() {
            return Err(CxkpiError::invalid(
                "values",
                format!("element {i} = {v}; values must be finite (NaN marks a missing value)"),
            ));
        }
        let is_before = d < t0 && b_start.is_none_or(|s| d >= s);
        let is_after = d >= a_start && a_end.is_none_or(|e| d < e);
        if !(is_before || is_after) {
            outside += 1;
            continue;
        }
        if v.is_nan() {
            missing += 1;
            continue;
        }
        if is_before {
            before.push(v);
            bf = bf.min(d);
            bl = bl.max(d);
        } else {
            after.push(v);
            af = af.min(d);
            al = al.max(d);
        }
    }
    let pm = period_move(
        &summarise("before", &before)?,
        &summarise("after", &after)?,
        &mo,
    )?;
    let welch = t_test(
        &after,
        Some(&before),
        &TTestOptions {
            confidence: 1.0 - options.alpha,
            ..TTestOptions::default()
        },
    )?;
    Ok(BeforeAfter {
        intervention: options.intervention.clone(),
        before_first: iso(bf),
        before_last: iso(bl),
        after_first: iso(af),
        after_last: iso(al),
        n_before: before.len() as u64,
        n_after: after.len() as u64,
        n_missing: missing,
        n_outside: outside,
        words: pm.words.clone(),
        period_move: pm,
        welch,
    })
}
