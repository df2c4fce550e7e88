//! Response scales, directions and the validation of raw answer columns.

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;

option_enum! {
    /// What to do with a missing answer (NaN).
    MissingPolicy {
        /// Exclude it and count it in `n_missing` (default).
        Exclude => "exclude",
        /// Fail with a `missing_value` error naming the index.
        Error => "error",
    }
}

impl Default for MissingPolicy {
    fn default() -> Self {
        MissingPolicy::Exclude
    }
}

option_enum! {
    /// Whether a higher score is better (e.g. CES 1-7 "very easy" = 7) or worse.
    Direction {
        HigherIsBetter => "higher_is_better",
        LowerIsBetter => "lower_is_better",
    }
}

impl Default for Direction {
    fn default() -> Self {
        Direction::HigherIsBetter
    }
}

/// A closed integer response scale such as 0-10 (NPS), 1-5 (CSAT) or 1-7 (CES).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scale {
    pub min: i32,
    pub max: i32,
}

impl Scale {
    /// The 0-10 likelihood-to-recommend scale.
    pub const NPS: Scale = Scale { min: 0, max: 10 };
    /// The 1-5 satisfaction scale.
    pub const CSAT: Scale = Scale { min: 1, max: 5 };
    /// The 1-7 customer-effort scale.
    pub const CES: Scale = Scale { min: 1, max: 7 };

    /// A scale from `min` to `max`; `min < max` is required.
    pub fn new(min: i32, max: i32) -> Result<Scale> {
        if min < max {
            Ok(Scale { min, max })
        } else {
            Err(CxkpiError::invalid(
                "scale_min",
                format!("scale_min ({min}) must be below scale_max ({max})"),
            ))
        }
    }

    fn label(&self) -> String {
        format!("{}..{}", self.min, self.max)
    }
}

/// What a value in an answer column must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueCheck {
    /// A whole point of the scale.
    Scale(Scale),
    /// Any finite number.
    Finite,
}

/// Counts of a scan over an answer column.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScanCounts {
    /// Rows with a valid answer.
    pub n: u64,
    /// Rows whose answer was missing (NaN) and excluded.
    pub n_missing: u64,
}

/// Checks that an optional weight column matches `len`.
pub(crate) fn check_lengths(arg: &str, len: usize, weights: Option<&[f64]>) -> Result<()> {
    if let Some(w) = weights {
        if w.len() != len {
            return Err(CxkpiError::LengthMismatch {
                arg: "weights".into(),
                len: w.len(),
                other: arg.into(),
                other_len: len,
            });
        }
    }
    Ok(())
}

#[inline]
pub(crate) fn check_weight(i: usize, w: f64) -> Result<f64> {
    if w >= 0.0 && w.is_finite() {
        Ok(w)
    } else {
        Err(invalid_weight(i, w))
    }
}

#[cold]
#[inline(never)]
fn invalid_weight(i: usize, w: f64) -> CxkpiError {
    {
        let reason = if w.is_nan() {
            "NaN"
        } else if w.is_infinite() {
            "infinite"
        } else {
            "negative"
        };
        CxkpiError::InvalidWeight {
            arg: "weights".into(),
            index: i,
            value: w,
            reason: reason.into(),
        }
    }
}

/// Whether an answer passes `check` (the hot-path predicate; [`check_value`] says why it fails).
#[inline(always)]
pub fn is_valid(v: f64, check: ValueCheck) -> bool {
    match check {
        ValueCheck::Finite => v.is_finite(),
        // A cast round trip, not `fract()`: `trunc` is a libm call on baseline x86-64.
        ValueCheck::Scale(s) => v >= s.min as f64 && v <= s.max as f64 && v == (v as i32) as f64,
    }
}

/// Checks one answer: a whole point of the scale, or any finite number; the error names the index.
#[inline]
pub fn check_value(arg: &str, i: usize, v: f64, check: ValueCheck) -> Result<()> {
    if is_valid(v, check) {
        Ok(())
    } else {
        Err(invalid_value(arg, i, v, check))
    }
}

#[cold]
#[inline(never)]
pub(crate) fn invalid_value(arg: &str, i: usize, v: f64, check: ValueCheck) -> CxkpiError {
    match check {
        ValueCheck::Scale(s) if v >= s.min as f64 && v <= s.max as f64 => CxkpiError::NonInteger {
            arg: arg.into(),
            index: i,
            value: v,
        },
        ValueCheck::Scale(s) => CxkpiError::OutOfScale {
            arg: arg.into(),
            index: i,
            value: v,
            scale: s.label(),
        },
        ValueCheck::Finite => CxkpiError::OutOfScale {
            arg: arg.into(),
            index: i,
            value: v,
            scale: "finite numbers".into(),
        },
    }
}

/// Validates an answer column (and its weights) and calls `f(index, value, weight)` for every valid row
/// in order. Missing answers (NaN) follow `missing`. Weights are validated on every row, including
/// rows whose answer is missing. Unweighted rows get weight 1.
pub fn scan<F: FnMut(usize, f64, f64)>(
    arg: &str,
    values: &[f64],
    weights: Option<&[f64]>,
    check: ValueCheck,
    missing: MissingPolicy,
    f: F,
) -> Result<ScanCounts> {
    scan_with_missing(arg, values, weights, check, missing, f, |_| {})
}

/// [`scan`] that also calls `on_missing(index)` for every excluded missing answer.
pub fn scan_with_missing<F: FnMut(usize, f64, f64), G: FnMut(usize)>(
    arg: &str,
    values: &[f64],
    weights: Option<&[f64]>,
    check: ValueCheck,
    missing: MissingPolicy,
    mut f: F,
    mut on_missing: G,
) -> Result<ScanCounts> {
    check_lengths(arg, values.len(), weights)?;
    let mut c = ScanCounts::default();
    match weights {
        None => {
            for (i, &v) in values.iter().enumerate() {
                if v.is_nan() {
                    if missing == MissingPolicy::Error {
                        return Err(CxkpiError::MissingValue {
                            arg: arg.into(),
                            index: i,
                        });
                    }
                    c.n_missing += 1;
                    on_missing(i);
                    continue;
                }
                if !is_valid(v, check) {
                    return Err(invalid_value(arg, i, v, check));
                }
                c.n += 1;
                f(i, v, 1.0);
            }
        }
        Some(ws) => {
            for (i, (&v, &w)) in values.iter().zip(ws).enumerate() {
                let w = check_weight(i, w)?;
                if v.is_nan() {
                    if missing == MissingPolicy::Error {
                        return Err(CxkpiError::MissingValue {
                            arg: arg.into(),
                            index: i,
                        });
                    }
                    c.n_missing += 1;
                    on_missing(i);
                    continue;
                }
                if !is_valid(v, check) {
                    return Err(invalid_value(arg, i, v, check));
                }
                c.n += 1;
                f(i, v, w);
            }
        }
    }
    Ok(c)
}

/// Fails with `empty_input` when a column has no element.
pub(crate) fn non_empty(arg: &str, values: &[f64]) -> Result<()> {
    if values.is_empty() {
        Err(CxkpiError::EmptyInput { arg: arg.into() })
    } else {
        Ok(())
    }
}

/// The histogram slot of an answer on a scale whose lowest point is `lo` and that has `bins` points: its
/// 0-based point, `bins` for a missing answer when `missing_ok`, `None` for anything else (then
/// [`bad_answer`] says why). One subtraction and a saturating cast round trip (NaN casts to 0 and fails
/// the round trip), no libm call: the hot path of every unweighted scale metric.
#[inline(always)]
pub(crate) fn histogram_slot(v: f64, lo: f64, bins: usize, missing_ok: bool) -> Option<usize> {
    let k = v - lo;
    let ki = k as i32;
    if ki as f64 == k && (ki as u32 as usize) < bins {
        Some(ki as usize)
    } else if missing_ok && v.is_nan() {
        Some(bins)
    } else {
        None
    }
}

/// The error for an answer [`histogram_slot`] rejected: missing (under the `error` policy), out of the
/// scale, or not a whole point.
#[cold]
pub(crate) fn bad_answer(arg: &str, i: usize, v: f64, scale: Scale) -> CxkpiError {
    if v.is_nan() {
        CxkpiError::MissingValue {
            arg: arg.into(),
            index: i,
        }
    } else {
        invalid_value(arg, i, v, ValueCheck::Scale(scale))
    }
}

/// Scales with at most this many points are counted with [`scale_histogram`].
pub const HISTOGRAM_MAX_BINS: usize = 1024;

impl Scale {
    /// Number of points of the scale.
    pub fn points(&self) -> usize {
        (self.max as i64 - self.min as i64 + 1) as usize
    }

    /// Whether unweighted answers on this scale are counted by histogram.
    pub fn histogram_friendly(&self) -> bool {
        self.points() <= HISTOGRAM_MAX_BINS
    }
}

/// Counts each point of an unweighted answer column: `hist[k]` = answers equal to `scale.min + k`.
/// Validation and errors are those of [`scan`] (first bad index first); missing answers follow
/// `missing` and are counted in the second return value.
///
/// This is the hot path of every unweighted scale metric: one pass, one increment per row, four
/// interleaved counters per bin so that runs of equal answers do not serialise on one memory location.
pub fn scale_histogram(
    arg: &str,
    values: &[f64],
    scale: Scale,
    missing: MissingPolicy,
) -> Result<(Vec<u64>, u64)> {
    let bins = scale.points();
    let lo = scale.min as f64;
    // Slot `bins` counts missing answers, so that the loop has a single, predictable branch.
    let mut lanes = vec![[0u64; 4]; bins + 1];
    let missing_ok = missing == MissingPolicy::Exclude;
    for (i, &v) in values.iter().enumerate() {
        let slot =
            histogram_slot(v, lo, bins, missing_ok).ok_or_else(|| bad_answer(arg, i, v, scale))?;
        lanes[slot][i & 3] += 1;
    }
    let mut hist: Vec<u64> = lanes.iter().map(|l| l.iter().sum()).collect();
    let n_missing = hist.pop().unwrap_or(0);
    Ok((hist, n_missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_counts_and_names_bad_values() {
        let (h, m) = scale_histogram(
            "s",
            &[1.0, 5.0, f64::NAN, 5.0, 3.0],
            Scale::CSAT,
            MissingPolicy::Exclude,
        )
        .unwrap();
        assert_eq!((h, m), (vec![1, 0, 1, 0, 2], 1));
        for (bad, kind) in [
            (0.0, "out_of_scale"),
            (6.0, "out_of_scale"),
            (2.5, "non_integer"),
            (-1.0, "out_of_scale"),
        ] {
            let e =
                scale_histogram("s", &[1.0, bad], Scale::CSAT, MissingPolicy::Exclude).unwrap_err();
            assert_eq!((e.kind(), e.details().index), (kind, Some(1)), "{bad}");
        }
        let e = scale_histogram("s", &[f64::NAN], Scale::CSAT, MissingPolicy::Error).unwrap_err();
        assert_eq!(e.kind(), "missing_value");
    }
}
