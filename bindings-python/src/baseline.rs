//! Series, decomposition, baselines, events, level shifts and period-over-period significance (core module
//! `baseline`: series, decompose, stl, expected, events, changepoint, significance).
//!
//! Value columns arrive as float64 numpy arrays borrowed without a copy (NaN = missing day); dates arrive as
//! ISO `YYYY-MM-DD` strings (the start of a series) or int64 days since 1970-01-01 (row-level dates, from
//! numpy datetime64[D]); options and event calendars are dicts parsed by the core with serde. The GIL is
//! released around every core call; results go back as dicts of the core's fields.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyList};
use serde_json::Value;

use cxkpi::baseline::{changepoint, decompose, events, expected, series, significance, stl};
use cxkpi::stats::parse_options;
use cxkpi::CxkpiError;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::{slice, Slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;
type Days64<'py> = PyReadonlyArray1<'py, i64>;

fn json(py: Python<'_>, o: Option<&Obj<'_>>, arg: &str) -> PyResult<Value> {
    match o {
        None => Ok(Value::Null),
        Some(x) => py_to_json(x, arg).py(py),
    }
}

/// STL of one series (options: period, preset, every STL parameter, missing).
#[pyfunction]
#[pyo3(signature = (values, options=None))]
fn baseline_stl<'py>(
    py: Python<'py>,
    values: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let v = slice(&values);
    let r = py.detach(|| stl::stl(&v, &parse_options(&o)?)).py(py)?;
    stl_to_py(py, r)
}

/// An STL result as a dict whose per-day components are numpy arrays (the vectors are moved, not copied).
fn stl_to_py(py: Python<'_>, mut r: stl::StlResult) -> PyResult<Obj<'_>> {
    let cols = [
        ("seasonal", std::mem::take(&mut r.seasonal)),
        ("trend", std::mem::take(&mut r.trend)),
        ("remainder", std::mem::take(&mut r.remainder)),
        ("weights", std::mem::take(&mut r.weights)),
    ];
    let obj = to_py(py, &r)?;
    {
        let d = obj.cast::<PyDict>()?;
        for (k, v) in cols {
            d.set_item(k, PyArray1::from_vec(py, v))?;
        }
    }
    Ok(obj)
}

/// STL of many series with the same options, in parallel across series.
#[pyfunction]
#[pyo3(signature = (series, options=None))]
fn baseline_stl_batch<'py>(
    py: Python<'py>,
    series: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let s: Vec<Slice<'_, f64>> = series.iter().map(slice).collect();
    let refs: Vec<&[f64]> = s.iter().map(|c| &**c).collect();
    let r = py
        .detach(|| stl::stl_batch(&refs, &parse_options(&o)?))
        .py(py)?;
    let out = PyList::empty(py);
    for one in r {
        out.append(stl_to_py(py, one)?)?;
    }
    Ok(out.into_any())
}

/// MSTL (statsmodels conventions).
#[pyfunction]
#[pyo3(signature = (values, options=None))]
fn baseline_mstl<'py>(
    py: Python<'py>,
    values: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let v = slice(&values);
    let r = py.detach(|| stl::mstl(&v, &parse_options(&o)?)).py(py)?;
    to_py(py, &r)
}

/// Classical additive / multiplicative decomposition.
#[pyfunction]
#[pyo3(signature = (values, options=None))]
fn baseline_decompose<'py>(
    py: Python<'py>,
    values: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let v = slice(&values);
    let r = py
        .detach(|| decompose::decompose(&v, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Baseline (expected values with a band) with an event calendar; `start` is the ISO date of day 0.
#[pyfunction]
#[pyo3(signature = (values, start, events=None, options=None))]
fn baseline_expected<'py>(
    py: Python<'py>,
    values: Col<'py>,
    start: &str,
    events: Option<Obj<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let e = json(py, events.as_ref(), "events")?;
    let v = slice(&values);
    let r = py
        .detach(|| {
            let start = series::parse_date("start", start)?;
            let cal = events::EventCalendar::from_value(&e)?;
            expected::baseline(&v, start, &cal, &parse_options(&o)?)
        })
        .py(py)?;
    to_py(py, &r)
}

/// Validates an event calendar document and returns it normalised (effective policies filled in).
#[pyfunction]
fn baseline_event_calendar<'py>(py: Python<'py>, events: Obj<'py>) -> PyResult<Obj<'py>> {
    let e = json(py, Some(&events), "events")?;
    let cal = events::EventCalendar::from_value(&e).py(py)?;
    let mut out = cal.clone();
    for ev in out.events.iter_mut() {
        ev.policy = Some(ev.effective_policy());
    }
    to_py(py, &out)
}

/// Level shifts (least squares / binary segmentation / PELT) with the confirmation rule.
#[pyfunction]
#[pyo3(signature = (values, options=None))]
fn baseline_detect_changes<'py>(
    py: Python<'py>,
    values: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let v = slice(&values);
    let r = py
        .detach(|| changepoint::detect_changes(&v, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Significance of a period-over-period move from two summaries {estimate, se, n}.
#[pyfunction]
#[pyo3(signature = (before, after, options=None))]
fn baseline_period_move<'py>(
    py: Python<'py>,
    before: Obj<'py>,
    after: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let b = json(py, Some(&before), "before")?;
    let a = json(py, Some(&after), "after")?;
    let parse = |arg: &str, v: Value| -> Result<significance::PeriodSummary, CxkpiError> {
        serde_json::from_value(v).map_err(|e| CxkpiError::InvalidArgument {
            arg: arg.into(),
            message: format!("expected {{estimate, se, n}}: {e}"),
        })
    };
    let r = (|| {
        significance::period_move(
            &parse("before", b)?,
            &parse("after", a)?,
            &parse_options(&o)?,
        )
    })()
    .py(py)?;
    to_py(py, &r)
}

/// Significance of a period-over-period move from the raw values of each period.
#[pyfunction]
#[pyo3(signature = (before, after, options=None))]
fn baseline_period_move_from_values<'py>(
    py: Python<'py>,
    before: Col<'py>,
    after: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (b, a) = (slice(&before), slice(&after));
    let r = py
        .detach(|| significance::period_move_from_values(&b, &a, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Row-level answers aggregated per day; `days` = int64 days since 1970-01-01.
#[pyfunction]
fn baseline_aggregate_daily<'py>(
    py: Python<'py>,
    days: Days64<'py>,
    values: Col<'py>,
    stat: &str,
) -> PyResult<Obj<'py>> {
    let d = slice(&days);
    let v = slice(&values);
    let r = py
        .detach(|| {
            let stat = <series::DailyStat as cxkpi::options::OptionEnum>::parse("stat", stat)?;
            let dates = d
                .iter()
                .enumerate()
                .map(|(i, &x)| series::epoch_day("dates", i, x))
                .collect::<Result<Vec<_>, _>>()?;
            series::aggregate_daily(&dates, &v, stat)
        })
        .py(py)?;
    to_py(py, &r)
}

/// A daily series from (date, value) pairs: gaps reported, duplicate dates refused.
#[pyfunction]
fn baseline_daily_series<'py>(
    py: Python<'py>,
    days: Days64<'py>,
    values: Col<'py>,
) -> PyResult<Obj<'py>> {
    let d = slice(&days);
    let v = slice(&values);
    let r = py
        .detach(|| {
            if d.len() != v.len() {
                return Err(CxkpiError::LengthMismatch {
                    arg: "values".into(),
                    len: v.len(),
                    other: "dates".into(),
                    other_len: d.len(),
                });
            }
            let pairs = d
                .iter()
                .zip(v.iter())
                .enumerate()
                .map(|(i, (&x, &y))| series::epoch_day("dates", i, x).map(|dd| (dd, y)))
                .collect::<Result<Vec<_>, _>>()?;
            series::DailySeries::from_pairs(&pairs)
        })
        .py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(baseline_stl, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_stl_batch, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_mstl, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_decompose, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_expected, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_event_calendar, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_detect_changes, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_period_move, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_period_move_from_values, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_aggregate_daily, m)?)?;
    m.add_function(wrap_pyfunction!(baseline_daily_series, m)?)?;
    Ok(())
}
