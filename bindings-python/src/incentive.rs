//! Incentive plans (core module `incentive`): evaluation, explanation, what-if, clawbacks and bulk payouts.
//!
//! Plans and inputs cross as dicts (converted to JSON values and parsed by the core with serde, so the three
//! languages validate them identically); results come back as dicts, bulk payouts as numpy arrays. The GIL is
//! released around every core call.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict};

use cxkpi::incentive::{ClawbackInput, EvaluationInput, IncentivePlan};
use cxkpi::CxkpiError;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::{opt_slice, slice, Slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;

fn plan_of(py: Python<'_>, plan: &Obj<'_>) -> PyResult<IncentivePlan> {
    let v = py_to_json(plan, "plan").py(py)?;
    py.detach(|| IncentivePlan::from_value(&v)).py(py)
}

fn input_of(py: Python<'_>, obj: Option<&Obj<'_>>, arg: &str) -> PyResult<EvaluationInput> {
    match obj {
        None => Ok(EvaluationInput::default()),
        Some(o) => {
            let v = py_to_json(o, arg).py(py)?;
            serde_json::from_value(v)
                .map_err(|e| CxkpiError::InvalidArgument {
                    arg: arg.into(),
                    message: format!("not valid evaluation inputs: {e}"),
                })
                .py(py)
        }
    }
}

/// Validates a plan dict and returns it normalised (every default filled in).
#[pyfunction]
fn incentive_plan_check<'py>(py: Python<'py>, plan: Obj<'py>) -> PyResult<Obj<'py>> {
    let p = plan_of(py, &plan)?;
    to_py(py, &p)
}

/// Reads a plan from JSON text; returns the normalised plan dict.
#[pyfunction]
fn incentive_plan_from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Obj<'py>> {
    let text = text.to_string();
    let p = py.detach(|| IncentivePlan::from_json(&text)).py(py)?;
    to_py(py, &p)
}

/// Reads a plan from TOML text; returns the normalised plan dict.
#[pyfunction]
fn incentive_plan_from_toml<'py>(py: Python<'py>, text: &str) -> PyResult<Obj<'py>> {
    let text = text.to_string();
    let p = py.detach(|| IncentivePlan::from_toml(&text)).py(py)?;
    to_py(py, &p)
}

/// Evaluates a plan on inputs (`{"values", "participant_values", "modifiers", "period"}`).
#[pyfunction]
#[pyo3(signature = (plan, inputs=None))]
fn incentive_evaluate<'py>(
    py: Python<'py>,
    plan: Obj<'py>,
    inputs: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let p = plan_of(py, &plan)?;
    let i = input_of(py, inputs.as_ref(), "inputs")?;
    let r = py.detach(|| p.evaluate(&i)).py(py)?;
    to_py(py, &r)
}

/// The explanation trail of one participant.
#[pyfunction]
fn incentive_explain<'py>(
    py: Python<'py>,
    plan: Obj<'py>,
    inputs: Option<Obj<'py>>,
    participant: &str,
) -> PyResult<Obj<'py>> {
    let p = plan_of(py, &plan)?;
    let i = input_of(py, inputs.as_ref(), "inputs")?;
    let id = participant.to_string();
    let r = py.detach(|| p.explain(&i, &id)).py(py)?;
    to_py(py, &r)
}

/// Base inputs vs base overlaid with changes.
#[pyfunction]
fn incentive_what_if<'py>(
    py: Python<'py>,
    plan: Obj<'py>,
    inputs: Option<Obj<'py>>,
    changes: Obj<'py>,
) -> PyResult<Obj<'py>> {
    let p = plan_of(py, &plan)?;
    let i = input_of(py, inputs.as_ref(), "inputs")?;
    let c = input_of(py, Some(&changes), "changes")?;
    let r = py.detach(|| p.what_if(&i, &c)).py(py)?;
    to_py(py, &r)
}

/// Clawback review (`{"as_of", "periods": [{"period", "reported", "restated"}]}`).
#[pyfunction]
fn incentive_clawback<'py>(
    py: Python<'py>,
    plan: Obj<'py>,
    review: Obj<'py>,
) -> PyResult<Obj<'py>> {
    let p = plan_of(py, &plan)?;
    let v = py_to_json(&review, "clawback").py(py)?;
    let c: ClawbackInput = serde_json::from_value(v)
        .map_err(|e| CxkpiError::InvalidArgument {
            arg: "clawback".into(),
            message: format!("not a valid clawback review: {e}"),
        })
        .py(py)?;
    let r = py.detach(|| p.clawback(&c)).py(py)?;
    to_py(py, &r)
}

/// Bulk payouts: one float64 column per plan KPI; factor and amount come back as numpy arrays.
#[pyfunction]
#[pyo3(signature = (plan, columns, target_bonus, modifiers=None, participation=None))]
fn incentive_evaluate_columns<'py>(
    py: Python<'py>,
    plan: Obj<'py>,
    columns: Vec<Col<'py>>,
    target_bonus: Col<'py>,
    modifiers: Option<Col<'py>>,
    participation: Option<Col<'py>>,
) -> PyResult<Obj<'py>> {
    let p = plan_of(py, &plan)?;
    let cols: Vec<Slice<'_, f64>> = columns.iter().map(slice).collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| &**c).collect();
    let tb = slice(&target_bonus);
    let (m, pr) = (opt_slice(&modifiers), opt_slice(&participation));
    let mut r = py
        .detach(|| p.evaluate_columns(&refs, &tb, m.as_deref(), pr.as_deref()))
        .py(py)?;
    let factor = std::mem::take(&mut r.factor);
    let amount = std::mem::take(&mut r.amount);
    let obj = to_py(py, &r)?;
    {
        let d = obj.cast::<PyDict>()?;
        d.set_item("factor", PyArray1::from_vec(py, factor))?;
        d.set_item("amount", PyArray1::from_vec(py, amount))?;
    }
    Ok(obj)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(incentive_plan_check, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_plan_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_plan_from_toml, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_explain, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_what_if, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_clawback, m)?)?;
    m.add_function(wrap_pyfunction!(incentive_evaluate_columns, m)?)?;
    Ok(())
}
