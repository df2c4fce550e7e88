//! JSON-level entry points shared by the Python and Node bindings (documents, values and options cross the
//! boundary as JSON values, so the three languages parse and validate identically).

use super::{
    balance, myopia, redundancy, sensitivity, slope_test, suggest_weights, Aggregation,
    EvaluateOptions, KpiDirection, MissingKpiPolicy, NormalisationMethod, Observations, Scorecard,
    ScorecardResult, SensitivityOptions, ZeroPolicy, ZeroRangePolicy,
};
use crate::error::{CxkpiError, Result};
use crate::options::{value_to_f64, OptionReader, Options};
use serde::Serialize;
use serde_json::Value;

fn to_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("results serialise")
}

fn options_of(v: Option<&Value>) -> Result<Options> {
    match v {
        None | Some(Value::Null) => Ok(Options::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(x) => Err(CxkpiError::invalid(
            "options",
            format!("expected an object, got {x}"),
        )),
    }
}

/// Parses a scorecard document given as text (`format` "json" or "toml") and returns it as a validated
/// JSON value with every default filled in.
pub fn scorecard_from_text(text: &str, format: &str) -> Result<Value> {
    let sc = match format {
        "json" => Scorecard::from_json(text)?,
        "toml" => Scorecard::from_toml(text)?,
        other => {
            return Err(CxkpiError::UnknownMethod {
                arg: "format".into(),
                value: other.into(),
                expected: "json, toml".into(),
            })
        }
    };
    Ok(to_value(&sc))
}

/// Validates a scorecard given as a JSON value and returns it with defaults filled in.
pub fn scorecard_from_value(doc: &Value) -> Result<Value> {
    Ok(to_value(&Scorecard::from_value(doc)?))
}

/// [`Scorecard::evaluate`] on JSON: `options` takes `as_of`.
pub fn evaluate_value(doc: &Value, values: &Value, options: Option<&Value>) -> Result<Value> {
    let sc = Scorecard::from_value(doc)?;
    let obs = Observations::from_value(values)?;
    let o = EvaluateOptions::from_options(&options_of(options)?)?;
    Ok(to_value(&sc.evaluate(&obs, &o)?))
}

/// [`ScorecardResult::explain`] on a result given as JSON.
pub fn explain_value(result: &Value, unit: &str, id: &str) -> Result<Value> {
    let r: ScorecardResult = serde_json::from_value(result.clone())
        .map_err(|e| CxkpiError::invalid("result", format!("not a scorecard result: {e}")))?;
    Ok(to_value(&r.explain(unit, id)?))
}

/// [`sensitivity`] on JSON.
pub fn sensitivity_value(doc: &Value, values: &Value, options: Option<&Value>) -> Result<Value> {
    let sc = Scorecard::from_value(doc)?;
    let obs = Observations::from_value(values)?;
    let o = SensitivityOptions::from_options(&options_of(options)?)?;
    Ok(to_value(&sensitivity(&sc, &obs, &o)?))
}

/// [`balance`] on JSON.
pub fn balance_value(doc: &Value) -> Result<Value> {
    Ok(to_value(&balance(&Scorecard::from_value(doc)?)?))
}

/// [`redundancy`] on JSON.
pub fn redundancy_value(doc: &Value, values: &Value) -> Result<Value> {
    let sc = Scorecard::from_value(doc)?;
    Ok(to_value(&redundancy(
        &sc,
        &Observations::from_value(values)?,
    )?))
}

/// [`myopia`] on JSON: `{"flags": [...]}`.
pub fn myopia_value(doc: &Value, values: &Value) -> Result<Value> {
    let sc = Scorecard::from_value(doc)?;
    let f = myopia(&sc, &Observations::from_value(values)?)?;
    Ok(serde_json::json!({ "flags": to_value(&f) }))
}

fn f64_list(v: &Value, arg: &str) -> Result<Vec<f64>> {
    let a = v
        .as_array()
        .ok_or_else(|| CxkpiError::invalid(arg, "expected an array of numbers"))?;
    a.iter()
        .enumerate()
        .map(|(i, x)| {
            if x.is_null() {
                Ok(f64::NAN)
            } else {
                value_to_f64(x).ok_or_else(|| {
                    CxkpiError::invalid(
                        &format!("{arg}[{i}]"),
                        format!("expected a number, got {x}"),
                    )
                })
            }
        })
        .collect()
}

fn opt_list(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().map(|&x| (!x.is_nan()).then_some(x)).collect()
}

/// [`super::normalise`] on a column (null/NaN = missing); options `method` (default min_max), `direction`
/// (higher), `zero_range` (error), `goalposts` [l, u], `target`. Returns `{"values": [...]}` with null for
/// missing.
pub fn normalise_value(x: &[f64], options: &Options) -> Result<Value> {
    let mut r = OptionReader::new(options);
    let method: NormalisationMethod = r.enumeration("method")?.unwrap_or_default();
    let direction: KpiDirection = r.enumeration("direction")?.unwrap_or_default();
    let zero_range: ZeroRangePolicy = r.enumeration("zero_range")?.unwrap_or_default();
    let goalposts = r.f64_pair("goalposts")?.map(|(a, b)| [a, b]);
    let target = r.f64("target")?;
    r.finish()?;
    if x.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: "x".into() });
    }
    if let Some(i) = x.iter().position(|v| v.is_infinite()) {
        return Err(CxkpiError::invalid(
            &format!("x[{i}]"),
            format!("must be finite, got {}", x[i]),
        ));
    }
    let v = super::normalise(x, method, direction, zero_range, goalposts, target, "x")?;
    Ok(serde_json::json!({ "values": opt_list(&v), "method": method.to_string() }))
}

/// [`super::aggregate`]: options `method` (arithmetic), `missing` (renormalise), `zero` (propagate).
/// Returns `{"value": number | null}`.
pub fn aggregate_value(values: &[f64], weights: &[f64], options: &Options) -> Result<Value> {
    let mut r = OptionReader::new(options);
    let method: Aggregation = r.enumeration("method")?.unwrap_or_default();
    let missing: MissingKpiPolicy = r.enumeration("missing")?.unwrap_or_default();
    let zero: ZeroPolicy = r.enumeration("zero")?.unwrap_or_default();
    r.finish()?;
    let v = super::aggregate(values, weights, method, missing, zero)?;
    Ok(serde_json::json!({ "value": v, "method": method.to_string() }))
}

/// [`slope_test`]: options `direction` (higher), `alpha` (0.05).
pub fn slope_test_value(y: &[f64], options: &Options) -> Result<Value> {
    let mut r = OptionReader::new(options);
    let direction: KpiDirection = r.enumeration("direction")?.unwrap_or_default();
    let alpha = r.f64("alpha")?.unwrap_or(0.05);
    r.finish()?;
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(CxkpiError::invalid(
            "alpha",
            format!("must lie in (0, 1), got {alpha}"),
        ));
    }
    if direction == KpiDirection::Closer {
        return Err(CxkpiError::invalid(
            "direction",
            "the slope test needs higher or lower",
        ));
    }
    Ok(to_value(&slope_test(y, direction, alpha)?))
}

/// [`suggest_weights`] with components given as `{name: [values]}` in key order, or as a list with names.
pub fn suggest_weights_value(components: &Value, outcome: &Value) -> Result<Value> {
    let (names, cols): (Vec<String>, Vec<Vec<f64>>) = match components {
        Value::Object(m) => {
            let mut names = Vec::new();
            let mut cols = Vec::new();
            for (k, v) in m {
                names.push(k.clone());
                cols.push(f64_list(v, &format!("components.{k}"))?);
            }
            (names, cols)
        }
        _ => {
            return Err(CxkpiError::invalid(
                "components",
                "expected an object {name: [values]}",
            ))
        }
    };
    let y = f64_list(outcome, "outcome")?;
    Ok(to_value(&suggest_weights(&cols, &names, &y)?))
}
