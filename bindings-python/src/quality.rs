//! Data quality (core module `quality`): validation rule sets, privacy suppression, view policies,
//! reconciliation. Documents, columns and options cross as dicts (converted to JSON values and parsed by the
//! core with serde, so the three languages validate identically); results come back as dicts. The GIL is
//! released around every core call.

use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;

type Obj<'py> = Bound<'py, PyAny>;

/// Runs one quality function (`validate`, `suppress`, `view_policy`, `reconcile`, `rules_from_text`,
/// `view_policy_from_text`) on a dict of inputs; returns the result dict.
#[pyfunction]
fn quality_call<'py>(py: Python<'py>, function: &str, input: Obj<'py>) -> PyResult<Obj<'py>> {
    let v = py_to_json(&input, "").py(py)?;
    let f = function.to_string();
    let r = py.detach(|| cxkpi::quality::json::call(&f, &v)).py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(quality_call, m)?)?;
    Ok(())
}
