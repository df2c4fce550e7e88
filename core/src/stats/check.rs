//! Input checks shared by the validation statistics (correlation, regression, reliability, tests,
//! survival, shrinkage): finite values, equal lengths, enough rows, options parsed with serde.

use crate::error::{CxkpiError, Result};
use crate::stats::sum::NeumaierSum;

/// Every value finite: NaN is a `missing_value` error, ±Infinity an `invalid_argument` naming the index.
pub(crate) fn finite(arg: &str, xs: &[f64]) -> Result<()> {
    for (i, &x) in xs.iter().enumerate() {
        if x.is_nan() {
            return Err(CxkpiError::MissingValue {
                arg: arg.to_string(),
                index: i,
            });
        }
        if x.is_infinite() {
            return Err(CxkpiError::invalid(
                arg,
                format!("element {i} is {x}; values must be finite"),
            ));
        }
    }
    Ok(())
}

/// `xs` has length `len` (the length of `other`).
pub(crate) fn same_len(arg: &str, xs: usize, other: &str, len: usize) -> Result<()> {
    if xs != len {
        return Err(CxkpiError::LengthMismatch {
            arg: arg.to_string(),
            len: xs,
            other: other.to_string(),
            other_len: len,
        });
    }
    Ok(())
}

/// At least `required` observations.
pub(crate) fn at_least(what: &str, n: usize, required: usize) -> Result<()> {
    if n < required {
        return Err(CxkpiError::InsufficientData {
            what: what.to_string(),
            n: n as u64,
            required: required as u64,
        });
    }
    Ok(())
}

/// Columns `cols` (named `arg[j]`) all finite and of one length; returns that length.
pub(crate) fn columns(arg: &str, cols: &[&[f64]]) -> Result<usize> {
    if cols.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: arg.to_string(),
        });
    }
    let n = cols[0].len();
    for (j, c) in cols.iter().enumerate() {
        let name = format!("{arg}[{j}]");
        same_len(&name, c.len(), &format!("{arg}[0]"), n)?;
        finite(&name, c)?;
    }
    Ok(n)
}

/// Compensated mean.
pub(crate) fn mean(xs: &[f64]) -> f64 {
    NeumaierSum::of(xs) / xs.len() as f64
}

/// Compensated sum of squared deviations from `m`.
pub(crate) fn ss(xs: &[f64], m: f64) -> f64 {
    let mut s = NeumaierSum::default();
    for &x in xs {
        let d = x - m;
        s.add(d * d);
    }
    s.value()
}

/// Compensated cross-product of deviations.
pub(crate) fn sxy(xs: &[f64], mx: f64, ys: &[f64], my: f64) -> f64 {
    let mut s = NeumaierSum::default();
    for (&x, &y) in xs.iter().zip(ys) {
        s.add((x - mx) * (y - my));
    }
    s.value()
}

/// Parses an options document (JSON object, `null` = defaults) into a serde config struct, mapping serde's
/// message onto `invalid_argument` with `arg` = `options`.
pub fn parse_options<T: serde::de::DeserializeOwned + Default>(v: &serde_json::Value) -> Result<T> {
    if v.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(v.clone()).map_err(|e| CxkpiError::invalid("options", e.to_string()))
}

/// Checks a confidence level (0 < c < 1).
pub(crate) fn confidence(c: f64) -> Result<f64> {
    crate::options::check_confidence(c)
}
