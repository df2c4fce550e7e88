//! Composite KPIs and the balanced scorecard (core module `composite`).
//!
//! Scorecard documents, values and options cross as dicts (converted to JSON values and parsed by the core
//! with serde, so the three languages validate them identically); results come back as dicts. Numeric
//! columns (normalise, aggregate, slope test) are float64 numpy arrays borrowed without a copy. The GIL is
//! released around every core call.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use serde_json::Value;

use cxkpi::composite::json as cj;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::slice;

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;

fn json_of(py: Python<'_>, o: &Obj<'_>, arg: &str) -> PyResult<Value> {
    py_to_json(o, arg).py(py)
}

fn opt_json(py: Python<'_>, o: Option<&Obj<'_>>, arg: &str) -> PyResult<Option<Value>> {
    o.map(|x| json_of(py, x, arg)).transpose()
}

/// Validates a scorecard dict and returns it with every default filled in.
#[pyfunction]
fn scorecard_check<'py>(py: Python<'py>, doc: Obj<'py>) -> PyResult<Obj<'py>> {
    let d = json_of(py, &doc, "scorecard")?;
    let v = py.detach(|| cj::scorecard_from_value(&d)).py(py)?;
    to_py(py, &v)
}

/// Reads a scorecard from JSON or TOML text (`format` "json" or "toml"); returns the normalised dict.
#[pyfunction]
fn scorecard_from_text<'py>(py: Python<'py>, text: &str, format: &str) -> PyResult<Obj<'py>> {
    let (t, f) = (text.to_string(), format.to_string());
    let v = py.detach(|| cj::scorecard_from_text(&t, &f)).py(py)?;
    to_py(py, &v)
}

/// Evaluates a scorecard on values (columns dict or nested {unit: {kpi: value}}).
#[pyfunction]
#[pyo3(signature = (doc, values, options=None))]
fn scorecard_evaluate<'py>(
    py: Python<'py>,
    doc: Obj<'py>,
    values: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let d = json_of(py, &doc, "scorecard")?;
    let v = json_of(py, &values, "values")?;
    let o = opt_json(py, options.as_ref(), "options")?;
    let r = py
        .detach(|| cj::evaluate_value(&d, &v, o.as_ref()))
        .py(py)?;
    to_py(py, &r)
}

/// The explanation chain of one unit's KPI or node in an evaluation result.
#[pyfunction]
fn scorecard_explain<'py>(
    py: Python<'py>,
    result: Obj<'py>,
    unit: &str,
    id: &str,
) -> PyResult<Obj<'py>> {
    let r = json_of(py, &result, "result")?;
    let (u, i) = (unit.to_string(), id.to_string());
    let v = py.detach(|| cj::explain_value(&r, &u, &i)).py(py)?;
    to_py(py, &v)
}

/// Monte Carlo (or exact) sensitivity of the composite.
#[pyfunction]
#[pyo3(signature = (doc, values, options=None))]
fn scorecard_sensitivity<'py>(
    py: Python<'py>,
    doc: Obj<'py>,
    values: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let d = json_of(py, &doc, "scorecard")?;
    let v = json_of(py, &values, "values")?;
    let o = opt_json(py, options.as_ref(), "options")?;
    let r = py
        .detach(|| cj::sensitivity_value(&d, &v, o.as_ref()))
        .py(py)?;
    to_py(py, &r)
}

/// Weight balance across perspectives and leading/lagging, with rule warnings.
#[pyfunction]
fn scorecard_balance<'py>(py: Python<'py>, doc: Obj<'py>) -> PyResult<Obj<'py>> {
    let d = json_of(py, &doc, "scorecard")?;
    let r = py.detach(|| cj::balance_value(&d)).py(py)?;
    to_py(py, &r)
}

/// Correlation matrix of the KPIs over history and flagged pairs.
#[pyfunction]
fn scorecard_redundancy<'py>(
    py: Python<'py>,
    doc: Obj<'py>,
    values: Obj<'py>,
) -> PyResult<Obj<'py>> {
    let d = json_of(py, &doc, "scorecard")?;
    let v = json_of(py, &values, "values")?;
    let r = py.detach(|| cj::redundancy_value(&d, &v)).py(py)?;
    to_py(py, &r)
}

/// Metric-myopia flags.
#[pyfunction]
fn scorecard_myopia<'py>(py: Python<'py>, doc: Obj<'py>, values: Obj<'py>) -> PyResult<Obj<'py>> {
    let d = json_of(py, &doc, "scorecard")?;
    let v = json_of(py, &values, "values")?;
    let r = py.detach(|| cj::myopia_value(&d, &v)).py(py)?;
    to_py(py, &r)
}

/// Benchmarking normalisation of one column (NaN = missing).
#[pyfunction]
#[pyo3(signature = (x, options=None))]
fn composite_normalise<'py>(
    py: Python<'py>,
    x: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = crate::options(py, options.as_ref())?;
    let xs = slice(&x);
    let r = py.detach(|| cj::normalise_value(&xs, &o)).py(py)?;
    to_py(py, &r)
}

/// Weighted arithmetic, geometric or harmonic mean with missing and zero policies.
#[pyfunction]
#[pyo3(signature = (values, weights, options=None))]
fn composite_aggregate<'py>(
    py: Python<'py>,
    values: Col<'py>,
    weights: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = crate::options(py, options.as_ref())?;
    let (v, w) = (slice(&values), slice(&weights));
    let r = py.detach(|| cj::aggregate_value(&v, &w, &o)).py(py)?;
    to_py(py, &r)
}

/// OLS slope test over periods.
#[pyfunction]
#[pyo3(signature = (y, options=None))]
fn composite_slope_test<'py>(
    py: Python<'py>,
    y: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = crate::options(py, options.as_ref())?;
    let ys = slice(&y);
    let r = py.detach(|| cj::slope_test_value(&ys, &o)).py(py)?;
    to_py(py, &r)
}

/// Weights suggested by OLS and the Shapley decomposition of R².
#[pyfunction]
fn composite_suggest_weights<'py>(
    py: Python<'py>,
    components: Obj<'py>,
    outcome: Obj<'py>,
) -> PyResult<Obj<'py>> {
    let c = json_of(py, &components, "components")?;
    let y = json_of(py, &outcome, "outcome")?;
    let r = py.detach(|| cj::suggest_weights_value(&c, &y)).py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scorecard_check, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_explain, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_balance, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_redundancy, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_myopia, m)?)?;
    m.add_function(wrap_pyfunction!(composite_normalise, m)?)?;
    m.add_function(wrap_pyfunction!(composite_aggregate, m)?)?;
    m.add_function(wrap_pyfunction!(composite_slope_test, m)?)?;
    m.add_function(wrap_pyfunction!(composite_suggest_weights, m)?)?;
    Ok(())
}
