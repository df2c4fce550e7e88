//! Native part of the cxkpi Python package (`cxkpi._cxkpi`).
//!
//! Thin by design (DESIGN §6): numpy float64 / uint32 columns are borrowed without a copy, options arrive as a
//! dict that the core parses (`XxxOptions::from_options`), the GIL is released around every core call
//! (`py.detach`), results go back as dicts (serde -> Python) that the pure-Python layer wraps in result
//! classes, and every core error becomes the exception class of its kind. No logic that the core lacks lives
//! here. The pure-Python layer (python/cxkpi/) converts lists, pandas and polars columns once.

mod baseline;
mod charts;
mod composite;
mod convert;
mod errors;
mod governance;
mod incentive;
mod partials;
mod quality;
mod screens;
mod stats;
mod text;
mod weighting;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyList};

use cxkpi::options::Options;
use cxkpi::CxkpiError as CoreError;

use crate::convert::{py_to_json, py_to_options, to_py};
use crate::errors::IntoPy;

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;

/// A borrowed column: the numpy buffer itself when contiguous (the normal case: the Python layer hands over
/// C-contiguous float64), else one copy.
pub(crate) enum Slice<'a, T> {
    Borrowed(&'a [T]),
    Owned(Vec<T>),
}

impl<T> std::ops::Deref for Slice<'_, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Slice::Borrowed(s) => s,
            Slice::Owned(v) => v,
        }
    }
}

pub(crate) fn slice<'a, T: numpy::Element + Copy>(a: &'a PyReadonlyArray1<'_, T>) -> Slice<'a, T> {
    match a.as_slice() {
        Ok(s) => Slice::Borrowed(s),
        Err(_) => Slice::Owned(a.as_array().iter().copied().collect()),
    }
}

pub(crate) fn opt_slice<'a>(a: &'a Option<Col<'_>>) -> Option<Slice<'a, f64>> {
    a.as_ref().map(slice)
}

pub(crate) fn options(py: Python<'_>, o: Option<&Obj<'_>>) -> PyResult<Options> {
    py_to_options(o).py(py)
}

/// A non-negative whole count (Python int, numpy integer, or a float with an integral value).
fn count(py: Python<'_>, obj: &Obj<'_>, arg: &str) -> PyResult<u64> {
    if let Ok(v) = obj.extract::<u64>() {
        return Ok(v);
    }
    if let Ok(f) = obj.extract::<f64>() {
        if f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_992.0 {
            return Ok(f as u64);
        }
    }
    let shown = obj
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".into());
    Err(CoreError::InvalidArgument {
        arg: arg.to_string(),
        message: format!("must be a whole number >= 0, got {shown}"),
    })
    .py(py)
}

/// A result dict handed back from Python (for compare_*): deserialised with serde, as the core defines it.
fn result_from<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    obj: &Obj<'_>,
    arg: &str,
) -> PyResult<T> {
    let v = py_to_json(obj, arg).py(py)?;
    serde_json::from_value(v)
        .map_err(|e| CoreError::InvalidArgument {
            arg: arg.to_string(),
            message: format!("is not a valid result: {e}"),
        })
        .py(py)
}

/// The version of the cxkpi core this module was built from.
#[pyfunction]
fn version() -> &'static str {
    cxkpi::VERSION
}

#[pyfunction]
#[pyo3(signature = (scores, weights=None, options=None))]
fn nps<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::NpsOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let (s, w) = (slice(&scores), opt_slice(&weights));
    let r = py.detach(|| cxkpi::nps(&s, w.as_deref(), &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (promoters, passives, detractors, options=None))]
fn nps_from_counts<'py>(
    py: Python<'py>,
    promoters: Obj<'py>,
    passives: Obj<'py>,
    detractors: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (p, u, d) = (
        count(py, &promoters, "promoters")?,
        count(py, &passives, "passives")?,
        count(py, &detractors, "detractors")?,
    );
    let o = cxkpi::NpsOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::nps_from_counts(p, u, d, &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (scores, weights=None, options=None))]
fn top_box<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::TopBoxOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let (s, w) = (slice(&scores), opt_slice(&weights));
    let r = py.detach(|| cxkpi::top_box(&s, w.as_deref(), &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (successes, n, options=None))]
fn share_from_counts<'py>(
    py: Python<'py>,
    successes: Obj<'py>,
    n: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (x, n) = (count(py, &successes, "successes")?, count(py, &n, "n")?);
    let o = cxkpi::ShareOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::share_from_counts(x, n, &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (x, n, options=None))]
fn proportion_interval<'py>(
    py: Python<'py>,
    x: f64,
    n: f64,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::ProportionOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::proportion_interval(x, n, &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (values, weights=None, options=None))]
fn mean_score<'py>(
    py: Python<'py>,
    values: Col<'py>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::MeanOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let (s, w) = (slice(&values), opt_slice(&weights));
    let r = py
        .detach(|| cxkpi::mean_score(&s, w.as_deref(), &o))
        .py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (scores, weights=None, options=None))]
fn ces<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::MeanOptions::ces_from_options(&self::options(py, options.as_ref())?).py(py)?;
    let (s, w) = (slice(&scores), opt_slice(&weights));
    let r = py.detach(|| cxkpi::ces(&s, w.as_deref(), &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (mean, sd, n, options=None))]
fn mean_from_summary<'py>(
    py: Python<'py>,
    mean: f64,
    sd: f64,
    n: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let n = count(py, &n, "n")?;
    let o = cxkpi::MeanOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py
        .detach(|| cxkpi::mean_from_summary(mean, sd, n, &o))
        .py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (customers_start, lost, options=None))]
fn churn<'py>(
    py: Python<'py>,
    customers_start: f64,
    lost: f64,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::ChurnOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py
        .detach(|| cxkpi::churn(customers_start, lost, &o))
        .py(py)?;
    to_py(py, &r)
}

#[pyfunction]
fn convert_rate(py: Python<'_>, rate: f64, from_months: f64, to_months: f64) -> PyResult<f64> {
    cxkpi::convert_rate(rate, from_months, to_months).py(py)
}

#[pyfunction]
#[pyo3(signature = (labels, weights=None, options=None))]
fn sentiment_share<'py>(
    py: Python<'py>,
    labels: Col<'py>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = cxkpi::SentimentOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let (s, w) = (slice(&labels), opt_slice(&weights));
    let r = py
        .detach(|| cxkpi::sentiment_share(&s, w.as_deref(), &o))
        .py(py)?;
    to_py(py, &r)
}

/// Text labels (str or None) -> float64 codes (+1, 0, -1, NaN), parsed by the core.
#[pyfunction]
fn parse_sentiment_labels<'py>(
    py: Python<'py>,
    labels: Bound<'py, PyList>,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    let mut owned: Vec<Option<String>> = Vec::with_capacity(labels.len());
    for (i, item) in labels.iter().enumerate() {
        if item.is_none() {
            owned.push(None);
        } else {
            let s: String = item.extract().map_err(|_| {
                errors::to_pyerr(
                    py,
                    CoreError::InvalidArgument {
                        arg: format!("labels[{i}]"),
                        message: "must be a string or None".into(),
                    },
                )
            })?;
            owned.push(Some(s));
        }
    }
    let refs: Vec<Option<&str>> = owned.iter().map(|s| s.as_deref()).collect();
    let codes = py.detach(|| cxkpi::parse_sentiment_labels(&refs)).py(py)?;
    Ok(numpy::PyArray1::from_vec(py, codes))
}

#[pyfunction]
#[pyo3(signature = (positive, neutral, negative, options=None))]
fn sentiment_from_counts<'py>(
    py: Python<'py>,
    positive: Obj<'py>,
    neutral: Obj<'py>,
    negative: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (p, u, n) = (
        count(py, &positive, "positive")?,
        count(py, &neutral, "neutral")?,
        count(py, &negative, "negative")?,
    );
    let o = cxkpi::SentimentOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py
        .detach(|| cxkpi::sentiment_from_counts(p, u, n, &o))
        .py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn compare_nps<'py>(
    py: Python<'py>,
    a: Obj<'py>,
    b: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (a, b): (cxkpi::NpsResult, cxkpi::NpsResult) =
        (result_from(py, &a, "a")?, result_from(py, &b, "b")?);
    let o = cxkpi::CompareOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::compare_nps(&a, &b, &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn compare_shares<'py>(
    py: Python<'py>,
    a: Obj<'py>,
    b: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (a, b): (cxkpi::ShareResult, cxkpi::ShareResult) =
        (result_from(py, &a, "a")?, result_from(py, &b, "b")?);
    let o = cxkpi::CompareOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::compare_shares(&a, &b, &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn compare_means<'py>(
    py: Python<'py>,
    a: Obj<'py>,
    b: Obj<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let (a, b): (cxkpi::MeanResult, cxkpi::MeanResult) =
        (result_from(py, &a, "a")?, result_from(py, &b, "b")?);
    let o = cxkpi::CompareOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::compare_means(&a, &b, &o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (options=None))]
fn sample_size<'py>(py: Python<'py>, options: Option<Obj<'py>>) -> PyResult<Obj<'py>> {
    let o = cxkpi::SampleSizeOptions::from_options(&self::options(py, options.as_ref())?).py(py)?;
    let r = py.detach(|| cxkpi::sample_size(&o)).py(py)?;
    to_py(py, &r)
}

#[pyfunction]
#[pyo3(signature = (metric, values, keys, weights=None, options=None))]
fn grouped<'py>(
    py: Python<'py>,
    metric: &str,
    values: Col<'py>,
    keys: Vec<PyReadonlyArray1<'py, u32>>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = self::options(py, options.as_ref())?;
    let (v, w) = (slice(&values), opt_slice(&weights));
    let key_slices: Vec<Slice<'_, u32>> = keys.iter().map(slice).collect();
    let key_refs: Vec<&[u32]> = key_slices.iter().map(|k| &**k).collect();
    let metric = metric.to_string();
    let r = py
        .detach(|| cxkpi::grouped(&metric, &v, &key_refs, w.as_deref(), &o))
        .py(py)?;
    to_py(py, &r)
}

#[pymodule]
fn _cxkpi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", cxkpi::VERSION)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(nps, m)?)?;
    m.add_function(wrap_pyfunction!(nps_from_counts, m)?)?;
    m.add_function(wrap_pyfunction!(top_box, m)?)?;
    m.add_function(wrap_pyfunction!(share_from_counts, m)?)?;
    m.add_function(wrap_pyfunction!(proportion_interval, m)?)?;
    m.add_function(wrap_pyfunction!(mean_score, m)?)?;
    m.add_function(wrap_pyfunction!(ces, m)?)?;
    m.add_function(wrap_pyfunction!(mean_from_summary, m)?)?;
    m.add_function(wrap_pyfunction!(churn, m)?)?;
    m.add_function(wrap_pyfunction!(convert_rate, m)?)?;
    m.add_function(wrap_pyfunction!(sentiment_share, m)?)?;
    m.add_function(wrap_pyfunction!(parse_sentiment_labels, m)?)?;
    m.add_function(wrap_pyfunction!(sentiment_from_counts, m)?)?;
    m.add_function(wrap_pyfunction!(compare_nps, m)?)?;
    m.add_function(wrap_pyfunction!(compare_shares, m)?)?;
    m.add_function(wrap_pyfunction!(compare_means, m)?)?;
    m.add_function(wrap_pyfunction!(sample_size, m)?)?;
    m.add_function(wrap_pyfunction!(grouped, m)?)?;
    partials::register(m)?;
    weighting::register(m)?;
    incentive::register(m)?;
    composite::register(m)?;
    stats::register(m)?;
    text::register(m)?;
    quality::register(m)?;
    governance::register(m)?;
    baseline::register(m)?;
    charts::register(m)?;
    screens::register(m)?;
    errors::register(m)?;
    Ok(())
}
