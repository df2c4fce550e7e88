//! Drift, manipulation screens and alerts (core `baseline::{drift, screens, alerts}`).
//!
//! Columns arrive as float64 / uint32 numpy arrays borrowed without a copy; options, rates, coaching events,
//! signals and the alert ladder arrive as dicts / lists that the core parses with serde
//! (`deny_unknown_fields`), so the three languages validate them identically; the GIL is released around
//! every core call; results go back as dicts of the core's fields.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use serde_json::Value;

use cxkpi::baseline::signal::Signal;
use cxkpi::baseline::{alerts, drift, screens};
use cxkpi::stats::parse_options;
use cxkpi::CxkpiError;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::slice;

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;
type Codes<'py> = PyReadonlyArray1<'py, u32>;

fn json(py: Python<'_>, o: Option<&Obj<'_>>, arg: &str) -> PyResult<Value> {
    match o {
        None => Ok(Value::Null),
        Some(x) => py_to_json(x, arg).py(py),
    }
}

fn doc<T: serde::de::DeserializeOwned>(v: Value, arg: &str) -> Result<T, CxkpiError> {
    serde_json::from_value(v).map_err(|e| CxkpiError::InvalidArgument {
        arg: arg.to_string(),
        message: e.to_string(),
    })
}

/// Population stability index of `current` against `reference`.
#[pyfunction]
#[pyo3(signature = (reference, current, options=None))]
fn screens_psi<'py>(
    py: Python<'py>,
    reference: Col<'py>,
    current: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (a, b) = (slice(&reference), slice(&current));
    let r = py
        .detach(|| drift::psi(&a, &b, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Two-sample Kolmogorov-Smirnov test.
#[pyfunction]
#[pyo3(signature = (reference, current, options=None))]
fn screens_ks_2samp<'py>(
    py: Python<'py>,
    reference: Col<'py>,
    current: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (a, b) = (slice(&reference), slice(&current));
    let r = py
        .detach(|| drift::ks_2samp(&a, &b, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Jensen-Shannon distance of two count vectors.
#[pyfunction]
#[pyo3(signature = (p, q, options=None))]
fn screens_jensen_shannon<'py>(
    py: Python<'py>,
    p: Col<'py>,
    q: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (a, b) = (slice(&p), slice(&q));
    let r = py
        .detach(|| drift::jensen_shannon(&a, &b, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Chi-square test of homogeneity with Cramér's V; `rows[i]` is row i of the table of counts.
#[pyfunction]
#[pyo3(signature = (rows, options=None))]
fn screens_chi_square<'py>(
    py: Python<'py>,
    rows: Vec<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let s: Vec<_> = rows.iter().map(slice).collect();
    let refs: Vec<&[f64]> = s.iter().map(|c| &**c).collect();
    let r = py
        .detach(|| drift::chi_square(&refs, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Top-box inflation of each team against the pooled rest.
#[pyfunction]
#[pyo3(signature = (scores, teams, options=None))]
fn screens_top_box_inflation<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    teams: Codes<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (s, t) = (slice(&scores), slice(&teams));
    let r = py
        .detach(|| screens::top_box_inflation(&s, &t, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Unusually low variance of each team against the pooled rest.
#[pyfunction]
#[pyo3(signature = (values, teams, options=None))]
fn screens_low_variance<'py>(
    py: Python<'py>,
    values: Col<'py>,
    teams: Codes<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (s, t) = (slice(&values), slice(&teams));
    let r = py
        .detach(|| screens::low_variance(&s, &t, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Duplicated and near-duplicated verbatims.
#[pyfunction]
#[pyo3(signature = (texts, teams=None, options=None))]
fn screens_duplicate_verbatims<'py>(
    py: Python<'py>,
    texts: Vec<Option<String>>,
    teams: Option<Codes<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let t = teams.as_ref().map(slice);
    let refs: Vec<Option<&str>> = texts.iter().map(|s| s.as_deref()).collect();
    let r = py
        .detach(|| screens::duplicate_verbatims(&refs, t.as_deref(), &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Score jump together with a drop in the invitation / response rate.
#[pyfunction]
#[pyo3(signature = (scores, teams, period, rates, options=None))]
fn screens_selective_filtering<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    teams: Codes<'py>,
    period: Codes<'py>,
    rates: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let rates: Vec<screens::PeriodRates> =
        doc(py_to_json(&rates, "rates").py(py)?, "rates").py(py)?;
    let (s, t, p) = (slice(&scores), slice(&teams), slice(&period));
    let r = py
        .detach(|| screens::selective_filtering(&s, &t, &p, &rates, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Step right after a coaching date (difference-in-differences against uncoached peers).
#[pyfunction]
#[pyo3(signature = (values, teams, day, events, options=None))]
fn screens_coaching_step<'py>(
    py: Python<'py>,
    values: Col<'py>,
    teams: Codes<'py>,
    day: Col<'py>,
    events: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let events: Vec<screens::CoachingEvent> =
        doc(py_to_json(&events, "events").py(py)?, "events").py(py)?;
    let (s, t, d) = (slice(&values), slice(&teams), slice(&day));
    let r = py
        .detach(|| screens::coaching_step(&s, &t, &d, &events, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

/// Signals of a screen result dict (flagged findings only).
#[pyfunction]
fn screens_signals<'py>(py: Python<'py>, result: Obj<'py>) -> PyResult<Obj<'py>> {
    let v = py_to_json(&result, "result").py(py)?;
    let signals: Vec<Signal> = if v.get("clusters").is_some() {
        doc::<screens::DuplicateResult>(v, "result")
            .py(py)?
            .signals()
    } else {
        doc::<screens::ScreenResult>(v, "result").py(py)?.signals()
    };
    to_py(py, &signals)
}

/// Parses and validates an alert ladder (a dict, or TOML / JSON text).
#[pyfunction]
fn screens_alert_ladder<'py>(py: Python<'py>, ladder: Obj<'py>) -> PyResult<Obj<'py>> {
    let l = if let Ok(text) = ladder.extract::<String>() {
        let t = text.trim_start();
        if t.starts_with('{') {
            alerts::AlertLadder::from_json(&text)
        } else {
            alerts::AlertLadder::from_toml(&text)
        }
    } else {
        alerts::AlertLadder::from_value(&py_to_json(&ladder, "ladder").py(py)?)
    }
    .py(py)?;
    to_py(py, &l)
}

/// Alerts from signals with an escalation ladder.
#[pyfunction]
#[pyo3(signature = (signals, ladder=None, options=None))]
fn screens_build_alerts<'py>(
    py: Python<'py>,
    signals: Obj<'py>,
    ladder: Option<Obj<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let signals: Vec<Signal> = doc(py_to_json(&signals, "signals").py(py)?, "signals").py(py)?;
    let ladder = match ladder {
        None => alerts::AlertLadder::default(),
        Some(l) => alerts::AlertLadder::from_value(&py_to_json(&l, "ladder").py(py)?).py(py)?,
    };
    let r = py
        .detach(|| alerts::build_alerts(&signals, &ladder, &parse_options(&o)?))
        .py(py)?;
    to_py(py, &r)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(screens_psi, m)?)?;
    m.add_function(wrap_pyfunction!(screens_ks_2samp, m)?)?;
    m.add_function(wrap_pyfunction!(screens_jensen_shannon, m)?)?;
    m.add_function(wrap_pyfunction!(screens_chi_square, m)?)?;
    m.add_function(wrap_pyfunction!(screens_top_box_inflation, m)?)?;
    m.add_function(wrap_pyfunction!(screens_low_variance, m)?)?;
    m.add_function(wrap_pyfunction!(screens_duplicate_verbatims, m)?)?;
    m.add_function(wrap_pyfunction!(screens_selective_filtering, m)?)?;
    m.add_function(wrap_pyfunction!(screens_coaching_step, m)?)?;
    m.add_function(wrap_pyfunction!(screens_signals, m)?)?;
    m.add_function(wrap_pyfunction!(screens_alert_ladder, m)?)?;
    m.add_function(wrap_pyfunction!(screens_build_alerts, m)?)?;
    Ok(())
}
