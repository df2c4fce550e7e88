//! Open-text feedback (core module `text`): theme taxonomies and tagging, impact, trend, validation and
//! version mapping; sentiment standardisation and agreement.
//!
//! Documents (taxonomy, taxonomy map, scale method) and options arrive as dicts (or JSON/TOML text) and are
//! parsed by the core with serde (`deny_unknown_fields`), so the three languages validate them identically.
//! Verbatims arrive as a list of str; columns as float64 arrays, rating codes as uint32. The GIL is released
//! around every core call; results go back as dicts of the core's fields.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use serde::de::DeserializeOwned;
use serde_json::Value;

use cxkpi::text::{self, Taxonomy, TaxonomyMap, ThemeTagger, ThemeTags};
use cxkpi::CxkpiError;

use crate::convert::{py_to_json, to_py};
use crate::errors::IntoPy;
use crate::{slice, Slice};

type Obj<'py> = Bound<'py, PyAny>;
type Col<'py> = PyReadonlyArray1<'py, f64>;
type Codes<'py> = PyReadonlyArray1<'py, u32>;

fn json(py: Python<'_>, o: Option<&Obj<'_>>, arg: &str) -> PyResult<Value> {
    match o {
        None => Ok(Value::Null),
        Some(x) => py_to_json(x, arg).py(py),
    }
}

fn doc<T: DeserializeOwned>(v: &Value, arg: &str) -> Result<T, CxkpiError> {
    serde_json::from_value(v.clone()).map_err(|e| CxkpiError::InvalidArgument {
        arg: arg.to_string(),
        message: e.to_string(),
    })
}

fn taxonomy(py: Python<'_>, o: &Obj<'_>) -> PyResult<Taxonomy> {
    let v = py_to_json(o, "taxonomy").py(py)?;
    Taxonomy::from_value(&v).py(py)
}

fn tags(py: Python<'_>, o: &Obj<'_>) -> PyResult<ThemeTags> {
    let v = py_to_json(o, "tags").py(py)?;
    doc::<ThemeTags>(&v, "tags").py(py)
}

/// Parses and validates a taxonomy given as JSON or TOML text (`format` = "json" or "toml") or as a dict
/// (`format` = "dict"); returns the document as a dict with every default filled in.
#[pyfunction]
fn text_parse_taxonomy<'py>(
    py: Python<'py>,
    document: Obj<'py>,
    format: &str,
) -> PyResult<Obj<'py>> {
    let t = match format {
        "json" => Taxonomy::from_json(&document.extract::<String>()?),
        "toml" => Taxonomy::from_toml(&document.extract::<String>()?),
        "dict" => Taxonomy::from_value(&py_to_json(&document, "taxonomy").py(py)?),
        other => Err(CxkpiError::UnknownMethod {
            arg: "format".into(),
            value: other.into(),
            expected: "json, toml, dict".into(),
        }),
    }
    .py(py)?;
    to_py(py, &t)
}

/// Tags verbatims with a taxonomy (dict); `languages` (optional) selects each verbatim's negation cues.
#[pyfunction]
#[pyo3(signature = (taxonomy_doc, verbatims, languages=None))]
fn text_tag_themes<'py>(
    py: Python<'py>,
    taxonomy_doc: Obj<'py>,
    verbatims: Vec<String>,
    languages: Option<Vec<String>>,
) -> PyResult<Obj<'py>> {
    let tax = taxonomy(py, &taxonomy_doc)?;
    let res = py
        .detach(|| {
            let tagger = ThemeTagger::new(&tax)?;
            match &languages {
                Some(l) => tagger.tag_with_languages(&verbatims, l),
                None => tagger.tag(&verbatims),
            }
        })
        .py(py)?;
    to_py(py, &res)
}

/// Theme frequency and trend by period.
#[pyfunction]
fn text_theme_trend<'py>(
    py: Python<'py>,
    tags_doc: Obj<'py>,
    periods: Vec<i64>,
) -> PyResult<Obj<'py>> {
    let t = tags(py, &tags_doc)?;
    let res = py.detach(|| text::theme_trend(&t, &periods)).py(py)?;
    to_py(py, &res)
}

/// Theme impact ranking.
#[pyfunction]
#[pyo3(signature = (tags_doc, sentiment, value=None, options=None))]
fn text_theme_impact<'py>(
    py: Python<'py>,
    tags_doc: Obj<'py>,
    sentiment: Col<'py>,
    value: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let t = tags(py, &tags_doc)?;
    let o = json(py, options.as_ref(), "options")?;
    let s: Slice<'_, f64> = slice(&sentiment);
    let v: Option<Slice<'_, f64>> = value.as_ref().map(slice);
    let res = py
        .detach(|| text::theme_impact(&t, &s, v.as_deref(), &text::parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Precision, recall, F1 and kappa per theme against hand labels (theme ids per verbatim).
#[pyfunction]
fn text_validate_taxonomy<'py>(
    py: Python<'py>,
    taxonomy_doc: Obj<'py>,
    tags_doc: Obj<'py>,
    labels: Vec<Vec<String>>,
) -> PyResult<Obj<'py>> {
    let tax = taxonomy(py, &taxonomy_doc)?;
    let t = tags(py, &tags_doc)?;
    let res = py
        .detach(|| text::validate_taxonomy(&tax, &t, &labels))
        .py(py)?;
    to_py(py, &res)
}

/// Counts per old theme carried into the new taxonomy by a declared map.
#[pyfunction]
fn text_map_theme_counts<'py>(
    py: Python<'py>,
    old: Obj<'py>,
    new: Obj<'py>,
    map: Obj<'py>,
    counts: Col<'py>,
) -> PyResult<Obj<'py>> {
    let old = taxonomy(py, &old)?;
    let new = taxonomy(py, &new)?;
    let mv = py_to_json(&map, "map").py(py)?;
    let m: TaxonomyMap = doc(&mv, "map").py(py)?;
    let c = slice(&counts);
    let res = py.detach(|| m.map_counts(&old, &new, &c)).py(py)?;
    to_py(py, &res)
}

/// Scores onto -1..1 by a declared method (dict with `method`: linear or isotonic).
#[pyfunction]
fn text_standardise_sentiment<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    method: Obj<'py>,
) -> PyResult<Obj<'py>> {
    let mv = py_to_json(&method, "method").py(py)?;
    let m: text::SentimentScaleMethod = doc(&mv, "method").py(py)?;
    let s = slice(&scores);
    let res = py.detach(|| text::standardise_sentiment(&s, &m)).py(py)?;
    to_py(py, &res)
}

/// Isotonic (PAVA) fit of targets on scores.
#[pyfunction]
#[pyo3(signature = (scores, targets, weights=None, options=None))]
fn text_isotonic_fit<'py>(
    py: Python<'py>,
    scores: Col<'py>,
    targets: Col<'py>,
    weights: Option<Col<'py>>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (x, y) = (slice(&scores), slice(&targets));
    let w: Option<Slice<'_, f64>> = weights.as_ref().map(slice);
    let res = py
        .detach(|| text::isotonic_fit(&x, &y, w.as_deref(), &text::parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Calibrated values of `scores` under a fit (the dict returned by `text_isotonic_fit`).
#[pyfunction]
fn text_isotonic_predict<'py>(
    py: Python<'py>,
    fit: Obj<'py>,
    scores: Col<'py>,
) -> PyResult<Obj<'py>> {
    let fv = py_to_json(&fit, "fit").py(py)?;
    let f: text::IsotonicFit = doc(&fv, "fit").py(py)?;
    let s = slice(&scores);
    let res = py.detach(|| f.predict(&s)).py(py)?;
    to_py(py, &res)
}

/// Cohen's kappa of two code columns.
#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn text_cohen_kappa<'py>(
    py: Python<'py>,
    a: Codes<'py>,
    b: Codes<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (x, y) = (slice(&a), slice(&b));
    let res = py
        .detach(|| text::cohen_kappa(&x, &y, &text::parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Bland-Altman bias and limits of agreement.
#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn text_bland_altman<'py>(
    py: Python<'py>,
    a: Col<'py>,
    b: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (x, y) = (slice(&a), slice(&b));
    let res = py
        .detach(|| text::bland_altman(&x, &y, &text::parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Correlation and Bland-Altman agreement of two providers.
#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn text_provider_agreement<'py>(
    py: Python<'py>,
    a: Col<'py>,
    b: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (x, y) = (slice(&a), slice(&b));
    let res = py
        .detach(|| text::provider_agreement(&x, &y, &text::parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// Agreement of text sentiment with the 0-10 survey answer.
#[pyfunction]
#[pyo3(signature = (sentiment, scores, options=None))]
fn text_sentiment_survey_agreement<'py>(
    py: Python<'py>,
    sentiment: Col<'py>,
    scores: Col<'py>,
    options: Option<Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let o = json(py, options.as_ref(), "options")?;
    let (x, y) = (slice(&sentiment), slice(&scores));
    let res = py
        .detach(|| text::sentiment_survey_agreement(&x, &y, &text::parse_options(&o)?))
        .py(py)?;
    to_py(py, &res)
}

/// The folded form of a text (case and accent folding, separators normalised).
#[pyfunction]
fn text_fold(text: &str) -> String {
    text::fold(text)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(text_parse_taxonomy, m)?)?;
    m.add_function(wrap_pyfunction!(text_tag_themes, m)?)?;
    m.add_function(wrap_pyfunction!(text_theme_trend, m)?)?;
    m.add_function(wrap_pyfunction!(text_theme_impact, m)?)?;
    m.add_function(wrap_pyfunction!(text_validate_taxonomy, m)?)?;
    m.add_function(wrap_pyfunction!(text_map_theme_counts, m)?)?;
    m.add_function(wrap_pyfunction!(text_standardise_sentiment, m)?)?;
    m.add_function(wrap_pyfunction!(text_isotonic_fit, m)?)?;
    m.add_function(wrap_pyfunction!(text_isotonic_predict, m)?)?;
    m.add_function(wrap_pyfunction!(text_cohen_kappa, m)?)?;
    m.add_function(wrap_pyfunction!(text_bland_altman, m)?)?;
    m.add_function(wrap_pyfunction!(text_provider_agreement, m)?)?;
    m.add_function(wrap_pyfunction!(text_sentiment_survey_agreement, m)?)?;
    m.add_function(wrap_pyfunction!(text_fold, m)?)?;
    Ok(())
}
