//! Validation and linkage statistics (core module `stats`): reliability, association, regression, logistic
//! regression, impact tests, survival and shrinkage.
//!
//! Columns arrive as float64 numpy arrays (group codes as uint32) borrowed without a copy; options are a dict
//! parsed by the core with serde (`deny_unknown_fields`), so the three languages validate them identically;
//! the GIL is released around every core call; results go back as dicts of the core's fields.

use numpy::{PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyAny;
use serde_json::Value;

use cxkpi::stats::{association, impact, logistic, parse_options, regression, reliability};
use cxkpi::stats::{before_after, hazard, shrinkage, survival};

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::{slice, Slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;
type Codes<'py> = PyReadonlyArray1<'py, u32>;
type Table<'py> = PyReadonlyArray2<'py, f64>;

fn opts(py: Python<'_>, o: Option<&Obj<'_>>) -> PyResult<Value> {
    match o {
        None => Ok(Value::Null),
        Some(x) => py_to_json(x, "options").py(py),
    }
}

fn slices<'a>(cols: &'a [Col<'_>]) -> Vec<Slice<'a, f64>> {
    cols.iter().map(slice).collect()
}

/// A C-ordered 2-D array as its row-major buffer and column count (the Python layer only sends C-contiguous
/// float64 tables here).
fn table<'a>(x: &'a Table<'_>) -> PyResult<(&'a [f64], usize)> {
    let ncols = x.shape()[1];
    let data = x.as_slice().map_err(|_| {
        pyo3::exceptions::PyValueError::new_err("x: expected a C-contiguous float64 2-D array")
    })?;
    Ok((data, ncols))
}

fn refs<'a>(s: &'a [Slice<'_, f64>]) -> Vec<&'a [f64]> {
    s.iter().map(|c| &**c).collect()
}

/// All six ICC forms; `columns[j]` holds judge j's ratings of the targets.
#[pyfunction]
#[pyo3(signature = (columns, options=None))]
fn stats_icc<'py>(
    py: Python<'py>,
    columns: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let s = slices(&columns);
    let r = refs(&s);
    let res = py
        .detach(|| reliability::icc(&r, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Cronbach's alpha; `columns[j]` holds item j's answers.
#[pyfunction]
#[pyo3(signature = (columns, options=None))]
fn stats_cronbach_alpha<'py>(
    py: Python<'py>,
    columns: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let s = slices(&columns);
    let r = refs(&s);
    let res = py
        .detach(|| reliability::cronbach_alpha(&r, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// SEM and MDC.
#[pyfunction]
fn stats_measurement_error<'py>(
    py: Python<'py>,
    sd: f64,
    reliability: f64,
    confidence: f64,
) -> PyResult<Obj<'py>> {
    let res = reliability::measurement_error(sd, reliability, confidence).py(py)?;
    to_py(py, &res)
}

/// Test-retest report.
#[pyfunction]
fn stats_test_retest<'py>(
    py: Python<'py>,
    test: Col<'py>,
    retest: Col<'py>,
    confidence: f64,
) -> PyResult<Obj<'py>> {
    let (a, b) = (slice(&test), slice(&retest));
    let res = py
        .detach(|| reliability::test_retest(&a, &b, confidence))
        .py(py)?;
    to_py(py, &res)
}

/// Pearson or Spearman correlation.
#[pyfunction]
#[pyo3(signature = (x, y, options=None))]
fn stats_correlation<'py>(
    py: Python<'py>,
    x: Col<'py>,
    y: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let (a, b) = (slice(&x), slice(&y));
    let res = py
        .detach(|| association::correlation(&a, &b, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Correlation matrix with Holm and BH adjusted p-values.
#[pyfunction]
#[pyo3(signature = (columns, names=None, options=None))]
fn stats_correlation_matrix<'py>(
    py: Python<'py>,
    columns: Vec<Col<'py>>,
    names: Option<Vec<String>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let s = slices(&columns);
    let r = refs(&s);
    let res = py
        .detach(|| association::correlation_matrix(&r, names.as_deref(), &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Multiplicity-adjusted p-values (`method`: holm, benjamini_hochberg / bh, bonferroni).
#[pyfunction]
fn stats_p_adjust<'py>(py: Python<'py>, p: Col<'py>, method: &str) -> PyResult<Obj<'py>> {
    let m: association::PAdjust = serde_json::from_value(Value::String(method.to_string()))
        .map_err(|_| cxkpi::CxkpiError::UnknownMethod {
            arg: "method".into(),
            value: method.into(),
            expected: "holm, benjamini_hochberg (bh, fdr), bonferroni".into(),
        })
        .py(py)?;
    let s = slice(&p);
    let res = association::p_adjust(&s, m).py(py)?;
    to_py(py, &res)
}

/// Ordinary least squares.
#[pyfunction]
#[pyo3(signature = (y, x, options=None))]
fn stats_ols<'py>(
    py: Python<'py>,
    y: Col<'py>,
    x: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let ys = slice(&y);
    let s = slices(&x);
    let r = refs(&s);
    let res = py
        .detach(|| regression::ols(&ys, &r, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// OLS with the predictors in one C-ordered 2-D array (rows × predictors), read in place.
#[pyfunction]
#[pyo3(signature = (y, x, options=None))]
fn stats_ols_rows<'py>(
    py: Python<'py>,
    y: Col<'py>,
    x: Table<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let ys = slice(&y);
    let (data, ncols) = table(&x)?;
    let res = py
        .detach(|| regression::ols_rows(&ys, data, ncols, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Shapley decomposition of R².
#[pyfunction]
#[pyo3(signature = (y, x, names=None))]
fn stats_shapley_r2<'py>(
    py: Python<'py>,
    y: Col<'py>,
    x: Vec<Col<'py>>,
    names: Option<Vec<String>>,
) -> PyResult<Obj<'py>> {
    let ys = slice(&y);
    let s = slices(&x);
    let r = refs(&s);
    let res = py
        .detach(|| regression::shapley_r2(&ys, &r, names.as_deref()))
        .py(py)?;
    to_py(py, &res)
}

/// Logistic regression.
#[pyfunction]
#[pyo3(signature = (y, x, options=None))]
fn stats_logistic<'py>(
    py: Python<'py>,
    y: Col<'py>,
    x: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let ys = slice(&y);
    let s = slices(&x);
    let r = refs(&s);
    let res = py
        .detach(|| logistic::logistic(&ys, &r, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Logistic regression with the predictors in one C-ordered 2-D array, read in place.
#[pyfunction]
#[pyo3(signature = (y, x, options=None))]
fn stats_logistic_rows<'py>(
    py: Python<'py>,
    y: Col<'py>,
    x: Table<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let ys = slice(&y);
    let (data, ncols) = table(&x)?;
    let res = py
        .detach(|| logistic::logistic_rows(&ys, data, ncols, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// t-test (`y` None for one sample).
#[pyfunction]
#[pyo3(signature = (x, y=None, options=None))]
fn stats_t_test<'py>(
    py: Python<'py>,
    x: Col<'py>,
    y: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let xs = slice(&x);
    let ys = y.as_ref().map(slice);
    let res = py
        .detach(|| impact::t_test(&xs, ys.as_deref(), &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Difference-in-differences.
#[pyfunction]
#[pyo3(signature = (y, treated, post, options=None))]
fn stats_did<'py>(
    py: Python<'py>,
    y: Col<'py>,
    treated: Col<'py>,
    post: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let (a, b, c) = (slice(&y), slice(&treated), slice(&post));
    let res = py
        .detach(|| impact::did(&a, &b, &c, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Kaplan-Meier curve.
#[pyfunction]
#[pyo3(signature = (time, event, options=None))]
fn stats_kaplan_meier<'py>(
    py: Python<'py>,
    time: Col<'py>,
    event: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let (a, b) = (slice(&time), slice(&event));
    let res = py
        .detach(|| survival::kaplan_meier(&a, &b, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Churn hazard by group: exact Poisson rates, rate ratios and the log-rank test.
#[pyfunction]
#[pyo3(signature = (time, event, group, options=None))]
fn stats_hazard_by_group<'py>(
    py: Python<'py>,
    time: Col<'py>,
    event: Col<'py>,
    group: Codes<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let (a, b, g) = (slice(&time), slice(&event), slice(&group));
    let res = py
        .detach(|| hazard::hazard_by_group(&a, &b, &g, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// KPI before/after an intervention date; `days` are days since 1970-01-01.
#[pyfunction]
#[pyo3(signature = (values, days, options=None))]
fn stats_before_after<'py>(
    py: Python<'py>,
    values: Col<'py>,
    days: PyReadonlyArray1<'py, i64>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let (a, d) = (slice(&values), slice(&days));
    let res = py
        .detach(|| before_after::before_after(&a, &d, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Retention by signup cohort.
#[pyfunction]
fn stats_retention_by_cohort<'py>(
    py: Python<'py>,
    cohort: Codes<'py>,
    churn_period: Col<'py>,
    observed_until: u32,
    horizon: u32,
) -> PyResult<Obj<'py>> {
    let (a, b) = (slice(&cohort), slice(&churn_period));
    let res = py
        .detach(|| survival::retention_by_cohort(&a, &b, observed_until, horizon))
        .py(py)?;
    to_py(py, &res)
}

/// Empirical-Bayes shrinkage of group scores.
#[pyfunction]
#[pyo3(signature = (values, groups, options=None))]
fn stats_shrink<'py>(
    py: Python<'py>,
    values: Col<'py>,
    groups: Codes<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = opts(py, options.as_ref())?;
    let (a, b) = (slice(&values), slice(&groups));
    let res = py
        .detach(|| shrinkage::shrink(&a, &b, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(stats_icc, m)?)?;
    m.add_function(wrap_pyfunction!(stats_cronbach_alpha, m)?)?;
    m.add_function(wrap_pyfunction!(stats_measurement_error, m)?)?;
    m.add_function(wrap_pyfunction!(stats_test_retest, m)?)?;
    m.add_function(wrap_pyfunction!(stats_correlation, m)?)?;
    m.add_function(wrap_pyfunction!(stats_correlation_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(stats_p_adjust, m)?)?;
    m.add_function(wrap_pyfunction!(stats_ols, m)?)?;
    m.add_function(wrap_pyfunction!(stats_ols_rows, m)?)?;
    m.add_function(wrap_pyfunction!(stats_logistic_rows, m)?)?;
    m.add_function(wrap_pyfunction!(stats_shapley_r2, m)?)?;
    m.add_function(wrap_pyfunction!(stats_logistic, m)?)?;
    m.add_function(wrap_pyfunction!(stats_t_test, m)?)?;
    m.add_function(wrap_pyfunction!(stats_did, m)?)?;
    m.add_function(wrap_pyfunction!(stats_kaplan_meier, m)?)?;
    m.add_function(wrap_pyfunction!(stats_retention_by_cohort, m)?)?;
    m.add_function(wrap_pyfunction!(stats_hazard_by_group, m)?)?;
    m.add_function(wrap_pyfunction!(stats_before_after, m)?)?;
    m.add_function(wrap_pyfunction!(stats_shrink, m)?)?;
    Ok(())
}
