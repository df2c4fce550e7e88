//! Governance (core module `governance`): registries of versioned definitions, lookups, stamps,
//! retirement, scale bridges.
//!
//! Registries and lineages cross as dicts (or JSON/TOML text) parsed by the core with serde, so the three
//! languages validate identically; overlap answers and values to bridge arrive as float64 numpy arrays
//! borrowed without a copy, and bridged values go back as a numpy array that takes over the core's vector.
//! The GIL is released around every core call that does real work.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyAny;
use serde_json::Value;

use cxkpi::governance::{json as gj, Registry};

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::{opt_slice, slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;

fn json(py: Python<'_>, o: &Obj<'_>, arg: &str) -> PyResult<Value> {
    py_to_json(o, arg).py(py)
}

fn registry(py: Python<'_>, o: &Obj<'_>) -> PyResult<Registry> {
    Registry::from_value(&json(py, o, "registry")?).py(py)
}

/// A registry read from JSON or TOML text (`format` "json" or "toml"); returns the validated document.
#[pyfunction]
fn governance_registry_from_text<'py>(
    py: Python<'py>,
    text: &str,
    format: &str,
) -> PyResult<Obj<'py>> {
    let r = gj::registry_from_text(text, format).py(py)?;
    to_py(py, &r)
}

/// A registry given as a dict, validated; returns the normalised document.
#[pyfunction]
fn governance_registry_check<'py>(py: Python<'py>, doc: Obj<'py>) -> PyResult<Obj<'py>> {
    let r = registry(py, &doc)?;
    to_py(py, &r)
}

/// The version of `id` in force on `date` (ISO date) in a registry dict.
#[pyfunction]
fn governance_in_force<'py>(
    py: Python<'py>,
    registry: Obj<'py>,
    id: &str,
    date: &str,
) -> PyResult<Obj<'py>> {
    let r = self::registry(py, &registry)?.in_force(id, date).py(py)?;
    to_py(py, &r)
}

/// Every version of `id` (drafts and retired ones included), as a list of definition dicts.
#[pyfunction]
fn governance_history<'py>(py: Python<'py>, registry: Obj<'py>, id: &str) -> PyResult<Obj<'py>> {
    let reg = self::registry(py, &registry)?;
    let h = reg.history(id).py(py)?;
    to_py(py, &h)
}

/// A new registry dict with `id` retired from `date` on.
#[pyfunction]
fn governance_retire<'py>(
    py: Python<'py>,
    registry: Obj<'py>,
    id: &str,
    date: &str,
    approver: &str,
    reason: &str,
) -> PyResult<Obj<'py>> {
    let r = self::registry(py, &registry)?
        .retire(id, date, approver, reason)
        .py(py)?;
    to_py(py, &r)
}

/// The stamp of a result for `date`: definition version in force and lineage (a dict or None).
#[pyfunction]
#[pyo3(signature = (registry, id, date, lineage=None))]
fn governance_stamp<'py>(
    py: Python<'py>,
    registry: Obj<'py>,
    id: &str,
    date: &str,
    lineage: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let reg = json(py, &registry, "registry")?;
    let l = match &lineage {
        None => Value::Null,
        Some(x) => json(py, x, "lineage")?,
    };
    let r = gj::stamp_value(&reg, id, date, Some(&l)).py(py)?;
    to_py(py, &r)
}

/// Fits a bridge: `method` (`linear`, `mean_sigma`, `equipercentile`), scales as `[min, max]`, overlap
/// answers as float64 arrays (NaN = missing; needed by `mean_sigma` and `equipercentile`).
#[pyfunction]
#[pyo3(signature = (method, from_scale, to_scale, old=None, new=None))]
fn governance_bridge_fit<'py>(
    py: Python<'py>,
    method: &str,
    from_scale: Obj<'py>,
    to_scale: Obj<'py>,
    old: Option<Col<'py>>,
    new: Option<Col<'py>>,
) -> PyResult<Obj<'py>> {
    let (f, t) = (
        json(py, &from_scale, "from_scale")?,
        json(py, &to_scale, "to_scale")?,
    );
    let (o, n) = (opt_slice(&old), opt_slice(&new));
    let b = py
        .detach(|| gj::fit_bridge(method, &f, &t, o.as_deref(), n.as_deref()))
        .py(py)?;
    to_py(py, &b)
}

/// Applies a fitted bridge (a dict) to float64 values (NaN stays missing); returns a float64 array.
#[pyfunction]
fn governance_bridge_apply<'py>(
    py: Python<'py>,
    bridge: Obj<'py>,
    values: Col<'py>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let b = gj::bridge_from_value(&json(py, &bridge, "bridge")?).py(py)?;
    let x = slice(&values);
    let out = py.detach(|| b.apply_all(&x)).py(py)?;
    Ok(PyArray1::from_vec(py, out))
}

/// A series put on the new scale with the break marked: `periods[i]` labels `values[i]`.
#[pyfunction]
fn governance_bridge_series<'py>(
    py: Python<'py>,
    bridge: Obj<'py>,
    periods: Vec<String>,
    values: Col<'py>,
    break_period: &str,
) -> PyResult<Obj<'py>> {
    let b = gj::bridge_from_value(&json(py, &bridge, "bridge")?).py(py)?;
    let x = slice(&values);
    let r = py
        .detach(|| b.bridge_series(&periods, &x, break_period))
        .py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(governance_registry_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(governance_registry_check, m)?)?;
    m.add_function(wrap_pyfunction!(governance_in_force, m)?)?;
    m.add_function(wrap_pyfunction!(governance_history, m)?)?;
    m.add_function(wrap_pyfunction!(governance_retire, m)?)?;
    m.add_function(wrap_pyfunction!(governance_stamp, m)?)?;
    m.add_function(wrap_pyfunction!(governance_bridge_fit, m)?)?;
    m.add_function(wrap_pyfunction!(governance_bridge_apply, m)?)?;
    m.add_function(wrap_pyfunction!(governance_bridge_series, m)?)?;
    Ok(())
}
