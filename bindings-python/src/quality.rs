//! Data quality (core module `quality`): validation rule sets, privacy suppression, view policies,
//! reconciliation.
//!
//! Validation is columnar: numeric columns arrive as float64 numpy arrays borrowed without a copy (the
//! Python layer converts ints, bools and datetimes once), text columns as lists of str (missing = ""); the
//! result's `keep` mask and `failed` bit sets go back as numpy arrays that take over the core's vectors (no
//! copy, no Python list of n items). The readable account of excluded rows is built lazily by the Python
//! layer from `failed`. Documents (rule sets, view policies) and records cross as dicts parsed by the core
//! with serde, so the three languages validate identically. The GIL is released around every core call.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyFloat, PyList, PyString};
use serde_json::Value;

use cxkpi::quality::{self as q, json as qj, Column, ResponseTable, RuleSet, ViewPolicy};
use cxkpi::CxkpiError;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::{options, slice, Slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;

fn json(py: Python<'_>, o: &Obj<'_>, arg: &str) -> PyResult<Value> {
    py_to_json(o, arg).py(py)
}

/// A rule set read from JSON or TOML text (`format` "json" or "toml"); returns the validated document.
#[pyfunction]
fn quality_rules_from_text<'py>(py: Python<'py>, text: &str, format: &str) -> PyResult<Obj<'py>> {
    let r = qj::rules_from_text(text, format).py(py)?;
    to_py(py, &r)
}

/// A rule set given as a dict, validated; returns the normalised document (every default filled in).
#[pyfunction]
fn quality_rules_check<'py>(py: Python<'py>, doc: Obj<'py>) -> PyResult<Obj<'py>> {
    let rs = RuleSet::from_value(&json(py, &doc, "rules")?).py(py)?;
    to_py(py, &rs)
}

/// A text column from a list: str as is, None and float NaN = "" (missing); anything else is an error
/// naming `columns.<name>[i]`.
fn text_column(py: Python<'_>, name: &str, list: &Bound<'_, PyList>) -> PyResult<Vec<String>> {
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        if let Ok(s) = item.cast::<PyString>() {
            out.push(s.to_cow()?.into_owned());
        } else if item.is_none() || item.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            out.push(String::new());
        } else {
            let shown = item
                .repr()
                .map(|r| r.to_string())
                .unwrap_or_else(|_| "?".into());
            return Err(CxkpiError::InvalidArgument {
                arg: format!("columns.{name}[{i}]"),
                message: format!("expected text in a text column (str, None or NaN), got {shown}"),
            })
            .py(py);
        }
    }
    Ok(out)
}

/// Validates the columns against a rule set (a dict, validated by the core): `num_names[i]` names the
/// float64 column `num_cols[i]` (NaN = missing), `text_names[j]` the text column `text_cols[j]` (a list
/// of str; None, NaN and "" = missing). Returns the core's `Validation` as a dict with `keep` (numpy bool) and `failed` (numpy
/// uint64, bit i = rules[i]) as arrays, plus `rule_set` and `rule_set_version`.
#[pyfunction]
#[pyo3(signature = (rules, num_names, num_cols, text_names, text_cols, n_rows))]
fn quality_validate<'py>(
    py: Python<'py>,
    rules: Obj<'py>,
    num_names: Vec<String>,
    num_cols: Vec<Col<'py>>,
    text_names: Vec<String>,
    text_cols: Vec<Bound<'py, PyList>>,
    n_rows: usize,
) -> PyResult<Obj<'py>> {
    let rs = RuleSet::from_value(&json(py, &rules, "rules")?).py(py)?;
    let text_cols: Vec<Vec<String>> = text_names
        .iter()
        .zip(&text_cols)
        .map(|(name, c)| text_column(py, name, c))
        .collect::<PyResult<_>>()?;
    if num_names.len() != num_cols.len() || text_names.len() != text_cols.len() {
        return Err(CxkpiError::InvalidArgument {
            arg: "columns".into(),
            message: "one name per column is needed".into(),
        })
        .py(py);
    }
    let nums: Vec<Slice<'_, f64>> = num_cols.iter().map(slice).collect();
    let mut v = py
        .detach(|| {
            let mut t = ResponseTable::new(n_rows);
            for (name, c) in num_names.iter().zip(&nums) {
                t.add(name, Column::Num(c))?;
            }
            for (name, c) in text_names.iter().zip(&text_cols) {
                t.add(name, Column::Text(c))?;
            }
            q::validate(&rs, &t)
        })
        .py(py)?;
    let keep = std::mem::take(&mut v.keep);
    let failed = std::mem::take(&mut v.failed);
    let obj = to_py(py, &v)?;
    {
        let d = obj.cast::<PyDict>()?;
        d.del_item("keep")?;
        d.del_item("failed")?;
        d.set_item("rule_set", rs.id.as_deref())?;
        d.set_item("rule_set_version", rs.version.as_deref())?;
        d.set_item("keep", PyArray1::from_vec(py, keep))?;
        d.set_item("failed", PyArray1::from_vec(py, failed))?;
    }
    Ok(obj)
}

/// Small-cell suppression of a one-way table of counts (float64 array of whole numbers >= 0); options
/// `min_group_size`, `complementary`, `zero_cells`.
#[pyfunction]
#[pyo3(signature = (counts, options=None))]
fn quality_suppress_one_way<'py>(
    py: Python<'py>,
    counts: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = q::SuppressionOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let c = slice(&counts);
    let r = py
        .detach(|| q::suppress_one_way(&qj::counts_of(&c, "counts")?, &o))
        .py(py)?;
    to_py(py, &r)
}

/// Small-cell suppression of a two-way table of counts given as its rows (float64 arrays of whole numbers
/// >= 0; rows of unequal length are a `length_mismatch`), published with its margins; options as for the
/// one-way table.
#[pyfunction]
#[pyo3(signature = (rows, options=None))]
fn quality_suppress_two_way<'py>(
    py: Python<'py>,
    rows: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = q::SuppressionOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let rows: Vec<Slice<'_, f64>> = rows.iter().map(slice).collect();
    let r = py
        .detach(|| {
            let t = rows
                .iter()
                .enumerate()
                .map(|(i, row)| qj::counts_of(row, &format!("counts[{i}]")))
                .collect::<cxkpi::Result<Vec<_>>>()?;
            q::suppress_two_way(&t, &o)
        })
        .py(py)?;
    to_py(py, &r)
}

/// A view policy read from JSON or TOML text; returns the validated document.
#[pyfunction]
fn quality_view_policy_from_text<'py>(
    py: Python<'py>,
    text: &str,
    format: &str,
) -> PyResult<Obj<'py>> {
    let r = qj::view_policy_from_text(text, format).py(py)?;
    to_py(py, &r)
}

/// A view policy given as a dict, validated; returns the normalised document.
#[pyfunction]
fn quality_view_policy_check<'py>(py: Python<'py>, doc: Obj<'py>) -> PyResult<Obj<'py>> {
    let p = ViewPolicy::from_value(&json(py, &doc, "policy")?).py(py)?;
    to_py(py, &p)
}

/// What `role` may see of `fields` at grouping `level` under a view policy (a dict).
#[pyfunction]
#[pyo3(signature = (policy, role, level, fields=Vec::new()))]
fn quality_view_policy_evaluate<'py>(
    py: Python<'py>,
    policy: Obj<'py>,
    role: &str,
    level: &str,
    fields: Vec<String>,
) -> PyResult<Obj<'py>> {
    let p = json(py, &policy, "policy")?;
    let r = qj::view_value(&p, role, level, &fields).py(py)?;
    to_py(py, &r)
}

/// Reconciles two sources: lists of `{period, group, value, n, se}` dicts; options `kind`, `tolerance`,
/// `alpha`, `share_test`, `rule`, `periods`.
#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn quality_reconcile<'py>(
    py: Python<'py>,
    a: Obj<'py>,
    b: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (a, b) = (json(py, &a, "a")?, json(py, &b, "b")?);
    let o = match &options {
        None => Value::Null,
        Some(x) => json(py, x, "options")?,
    };
    let r = py.detach(|| qj::reconcile_value(&a, &b, Some(&o))).py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(quality_rules_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(quality_rules_check, m)?)?;
    m.add_function(wrap_pyfunction!(quality_validate, m)?)?;
    m.add_function(wrap_pyfunction!(quality_suppress_one_way, m)?)?;
    m.add_function(wrap_pyfunction!(quality_suppress_two_way, m)?)?;
    m.add_function(wrap_pyfunction!(quality_view_policy_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(quality_view_policy_check, m)?)?;
    m.add_function(wrap_pyfunction!(quality_view_policy_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(quality_reconcile, m)?)?;
    Ok(())
}
