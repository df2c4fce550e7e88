//! Survey weighting (core module `weighting`): raking, calibration, post-stratification, trimming and weight
//! diagnostics.
//!
//! Level-code columns arrive as uint32 numpy arrays and targets, base weights and weights as float64 arrays,
//! all borrowed without a copy (the Python layer maps labels to codes once, by the targets' level order).
//! Options are a dict read by `WeightingOptions::from_options` / `TrimOptions::from_options`; the GIL is
//! released around the fit. Results come back as dicts with the per-row `weights` (and the per-cell `g`) as
//! numpy float64 arrays that take over the core's vectors (no copy, no Python list of n floats).

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict};

use cxkpi::weighting::{self as w, TrimOptions, WeightingOptions};

use crate::convert::to_py;
use crate::errors::IntoPy;
use crate::{opt_slice, options, slice, Slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;
type Codes<'py> = PyReadonlyArray1<'py, u32>;
/// `rake` or `calibrate`.
type MarginFit = fn(
    &[&[u32]],
    &[&[f64]],
    Option<&[f64]>,
    &WeightingOptions,
) -> cxkpi::Result<w::WeightingResult>;

/// The result serialised to a dict, with the given vectors (taken out of it before serialising) set as
/// numpy arrays.
fn with_arrays<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
    arrays: Vec<(&str, Vec<f64>)>,
) -> PyResult<Obj<'py>> {
    let obj = to_py(py, value)?;
    {
        let d = obj.cast::<PyDict>()?;
        for (key, v) in arrays {
            d.set_item(key, PyArray1::from_vec(py, v))?;
        }
    }
    Ok(obj)
}

fn weighting_result<'py>(py: Python<'py>, mut r: w::WeightingResult) -> PyResult<Obj<'py>> {
    let weights = std::mem::take(&mut r.weights);
    let g = std::mem::take(&mut r.g);
    with_arrays(py, &r, vec![("weights", weights), ("g", g)])
}

/// Borrowed code columns and their slices.
fn code_slices<'a>(codes: &'a [Codes<'_>]) -> Vec<Slice<'a, u32>> {
    codes.iter().map(slice).collect()
}

fn margin_fit<'py>(
    py: Python<'py>,
    codes: Vec<Codes<'py>>,
    targets: Vec<Col<'py>>,
    base: Option<Col<'py>>,
    opts: Option<Obj<'py>>,
    fit: MarginFit,
) -> PyResult<Obj<'py>> {
    let o = WeightingOptions::from_options(&options(py, opts.as_ref())?).py(py)?;
    let code_cols = code_slices(&codes);
    let code_refs: Vec<&[u32]> = code_cols.iter().map(|c| &**c).collect();
    let target_cols: Vec<Slice<'_, f64>> = targets.iter().map(slice).collect();
    let target_refs: Vec<&[f64]> = target_cols.iter().map(|t| &**t).collect();
    let b = opt_slice(&base);
    let r = py
        .detach(|| fit(&code_refs, &target_refs, b.as_deref(), &o))
        .py(py)?;
    weighting_result(py, r)
}

/// Rake (IPF on the cells) to the margins: `codes[v]` level codes of variable v, `targets[v]` its targets.
#[pyfunction]
#[pyo3(signature = (codes, targets, base=None, options=None))]
fn rake<'py>(
    py: Python<'py>,
    codes: Vec<Codes<'py>>,
    targets: Vec<Col<'py>>,
    base: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    margin_fit(py, codes, targets, base, options, w::rake)
}

/// Calibrate to the margins with the distance (and bounds) of the options.
#[pyfunction]
#[pyo3(signature = (codes, targets, base=None, options=None))]
fn calibrate<'py>(
    py: Python<'py>,
    codes: Vec<Codes<'py>>,
    targets: Vec<Col<'py>>,
    base: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    margin_fit(py, codes, targets, base, options, w::calibrate)
}

/// Post-stratify on the crossed variables: `levels[v]` levels of variable v, `cell_targets` one target per
/// crossed cell, first variable most significant.
#[pyfunction]
#[pyo3(signature = (codes, levels, cell_targets, base=None, options=None))]
fn poststratify<'py>(
    py: Python<'py>,
    codes: Vec<Codes<'py>>,
    levels: Vec<usize>,
    cell_targets: Col<'py>,
    base: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = WeightingOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let code_cols = code_slices(&codes);
    let code_refs: Vec<&[u32]> = code_cols.iter().map(|c| &**c).collect();
    let (t, b) = (slice(&cell_targets), opt_slice(&base));
    let r = py
        .detach(|| w::poststratify(&code_refs, &levels, &t, b.as_deref(), &o))
        .py(py)?;
    weighting_result(py, r)
}

/// Trim weights to bounds, redistributing the excess (total preserved).
#[pyfunction]
#[pyo3(signature = (weights, options=None))]
fn trim_weights<'py>(
    py: Python<'py>,
    weights: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = TrimOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let x = slice(&weights);
    let mut r = py.detach(|| w::trim_weights(&x, &o)).py(py)?;
    let trimmed = std::mem::take(&mut r.weights);
    with_arrays(py, &r, vec![("weights", trimmed)])
}

/// Spread, Kish effective n and design effect of weights (and of weights / base).
#[pyfunction]
#[pyo3(signature = (weights, base=None))]
fn weight_diagnostics<'py>(
    py: Python<'py>,
    weights: Col<'py>,
    base: Option<Col<'py>>,
) -> PyResult<Obj<'py>> {
    let (x, b) = (slice(&weights), opt_slice(&base));
    let r = py
        .detach(|| w::weight_diagnostics(&x, b.as_deref()))
        .py(py)?;
    to_py(py, &r)
}

/// Weighted mean / top-box share / NPS under a weighting design, overall and by the domain codes `by`, with
/// calibration-aware (GREG) standard errors: `codes`, `levels` and `base` as given to the fit, `weights` the
/// fit's weights, `method` the fit's method; `options` the metric's scale options, `linearisation`,
/// `confidence`.
#[pyfunction]
#[pyo3(signature = (metric, values, codes, levels, base, weights, method, by=None, options=None))]
#[allow(clippy::too_many_arguments)]
fn design_estimate<'py>(
    py: Python<'py>,
    metric: &str,
    values: Col<'py>,
    codes: Vec<Codes<'py>>,
    levels: Vec<usize>,
    base: Option<Col<'py>>,
    weights: Col<'py>,
    method: &str,
    by: Option<Codes<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = w::DesignEstimateOptions::from_options(metric, &self::options(py, options.as_ref())?)
        .py(py)?;
    let code_cols = code_slices(&codes);
    let code_refs: Vec<&[u32]> = code_cols.iter().map(|c| &**c).collect();
    let (v, wt, b) = (slice(&values), slice(&weights), opt_slice(&base));
    let by = by.as_ref().map(slice);
    let r = py
        .detach(|| {
            let design = w::Design::new(&code_refs, &levels, b.as_deref(), &wt, method)?;
            w::design_estimate(&v, &design, by.as_deref(), &o)
        })
        .py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(design_estimate, m)?)?;
    m.add_function(wrap_pyfunction!(rake, m)?)?;
    m.add_function(wrap_pyfunction!(calibrate, m)?)?;
    m.add_function(wrap_pyfunction!(poststratify, m)?)?;
    m.add_function(wrap_pyfunction!(trim_weights, m)?)?;
    m.add_function(wrap_pyfunction!(weight_diagnostics, m)?)?;
    Ok(())
}
