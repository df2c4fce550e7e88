//! Control charts, run rules, average run lengths and calibrated thresholds (core modules
//! `baseline::charts`, `baseline::rules`, `baseline::arl`).
//!
//! Columns arrive as float64 numpy arrays borrowed without a copy; options are dicts parsed by the core with
//! serde (unknown keys are errors); the GIL is released around every core call; results go back as dicts of
//! the core's fields.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use serde_json::Value;

use cxkpi::baseline::{arl, charts, rules};
use cxkpi::stats::parse_options;
use cxkpi::CxkpiError;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::slice;

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;

fn json(py: Python<'_>, o: Option<&Obj<'_>>, arg: &str) -> PyResult<Value> {
    match o {
        None => Ok(Value::Null),
        Some(x) => py_to_json(x, arg).py(py),
    }
}

/// Individuals / moving-range chart.
#[pyfunction]
#[pyo3(signature = (x, options=None))]
fn charts_individuals<'py>(
    py: Python<'py>,
    x: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let x = slice(&x);
    let r = py
        .detach(|| charts::individuals_chart(&x, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// p chart (Laney p' with `laney=True`).
#[pyfunction]
#[pyo3(signature = (successes, sizes, options=None))]
fn charts_p<'py>(
    py: Python<'py>,
    successes: Col<'py>,
    sizes: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (s, n) = (slice(&successes), slice(&sizes));
    let r = py
        .detach(|| charts::p_chart(&s, &n, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// EWMA chart.
#[pyfunction]
#[pyo3(signature = (x, options=None))]
fn charts_ewma<'py>(py: Python<'py>, x: Col<'py>, options: Option<Obj<'py>>) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let x = slice(&x);
    let r = py
        .detach(|| charts::ewma_chart(&x, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Tabular CUSUM chart.
#[pyfunction]
#[pyo3(signature = (x, options=None))]
fn charts_cusum<'py>(
    py: Python<'py>,
    x: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let x = slice(&x);
    let r = py
        .detach(|| charts::cusum_chart(&x, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Funnel limits.
#[pyfunction]
#[pyo3(signature = (successes, sizes, options=None))]
fn charts_funnel<'py>(
    py: Python<'py>,
    successes: Col<'py>,
    sizes: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (s, n) = (slice(&successes), slice(&sizes));
    let r = py
        .detach(|| charts::funnel(&s, &n, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Run rules on a standardised series: a list of hit dicts.
#[pyfunction]
#[pyo3(signature = (z, options=None))]
fn charts_run_rules<'py>(
    py: Python<'py>,
    z: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let z = slice(&z);
    let r = py
        .detach(|| rules::evaluate_z(&z, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Run rules on a chart result (dict) as Signals.
#[pyfunction]
#[pyo3(signature = (chart, options=None))]
fn charts_chart_rules<'py>(
    py: Python<'py>,
    chart: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let c = py_to_json(&chart, "chart").py(py)?;
    let r = py
        .detach(|| {
            let chart: charts::ChartResult =
                serde_json::from_value(c).map_err(|e| CxkpiError::InvalidArgument {
                    arg: "chart".into(),
                    message: e.to_string(),
                })?;
            rules::evaluate(&chart, &parse_options(&o)?)
        })
        .py(py)?;
    to_py(py, &r)
}

/// Fused single-pass monitor.
#[pyfunction]
#[pyo3(signature = (x, options=None))]
fn charts_monitor<'py>(
    py: Python<'py>,
    x: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let x = slice(&x);
    let r = py
        .detach(|| charts::monitor(&x, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Average run length of a Shewhart, EWMA or CUSUM chart.
#[pyfunction]
#[pyo3(signature = (query=None))]
fn charts_arl<'py>(py: Python<'py>, query: Option<Obj<'py>>) -> PyResult<Obj<'py>> {
    let q = json(py, query.as_ref(), "query")?;
    let r = py.detach(|| arl::run_length(&parse_options(&q)?)).py(py)?;
    to_py(py, &r)
}

/// Threshold (L or h) for a false-alarm budget.
#[pyfunction]
#[pyo3(signature = (config=None))]
fn charts_calibrate<'py>(py: Python<'py>, config: Option<Obj<'py>>) -> PyResult<Obj<'py>> {
    let c = json(py, config.as_ref(), "config")?;
    let r = py.detach(|| arl::calibrate(&parse_options(&c)?)).py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(charts_individuals, m)?)?;
    m.add_function(wrap_pyfunction!(charts_p, m)?)?;
    m.add_function(wrap_pyfunction!(charts_ewma, m)?)?;
    m.add_function(wrap_pyfunction!(charts_cusum, m)?)?;
    m.add_function(wrap_pyfunction!(charts_funnel, m)?)?;
    m.add_function(wrap_pyfunction!(charts_run_rules, m)?)?;
    m.add_function(wrap_pyfunction!(charts_chart_rules, m)?)?;
    m.add_function(wrap_pyfunction!(charts_monitor, m)?)?;
    m.add_function(wrap_pyfunction!(charts_arl, m)?)?;
    m.add_function(wrap_pyfunction!(charts_calibrate, m)?)?;
    Ok(())
}
