//! Governance (core module `governance`): registries of versioned definitions, lookups, stamps,
//! retirement, scale bridges. Documents, values and options cross as dicts (converted to JSON values and parsed by the
//! core with serde, so the three languages validate identically); results come back as dicts. The GIL is
//! released around every core call.

use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;

type Obj<'py> = Bound<'py, PyAny>;

/// Runs one governance function (`in_force`, `history`, `retire`, `stamp`, `bridge`, `apply_bridge`,
/// `bridge_series`, `registry_from_text`) on a dict of inputs; returns the result dict.
#[pyfunction]
fn governance_call<'py>(py: Python<'py>, function: &str, input: Obj<'py>) -> PyResult<Obj<'py>> {
    let v = py_to_json(&input, "").py(py)?;
    let f = function.to_string();
    let r = py.detach(|| cxkpi::governance::json::call(&f, &v)).py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(governance_call, m)?)?;
    Ok(())
}
