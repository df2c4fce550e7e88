//! JSON-level entry points shared by the Python and Node bindings and the golden runners.

use serde_json::Value;

use super::{Bridge, BridgeMethod, Lineage, Registry};
use crate::error::{CxkpiError, Result};
use crate::options::{value_to_f64, OptionEnum};
use crate::quality::json::to_value;
use crate::scale::Scale;

/// Parses a registry given as text (`format` "json" or "toml"); returns it validated as JSON.
pub fn registry_from_text(text: &str, format: &str) -> Result<Value> {
    Ok(to_value(&match format {
        "json" => Registry::from_json(text)?,
        "toml" => Registry::from_toml(text)?,
        other => {
            return Err(CxkpiError::UnknownMethod {
                arg: "format".into(),
                value: other.into(),
                expected: "json, toml".into(),
            })
        }
    }))
}

/// [`Registry::in_force`] on JSON.
pub fn in_force_value(registry: &Value, id: &str, date: &str) -> Result<Value> {
    Ok(to_value(
        &Registry::from_value(registry)?.in_force(id, date)?,
    ))
}

/// [`Registry::history`] on JSON: `{"versions": [...]}`.
pub fn history_value(registry: &Value, id: &str) -> Result<Value> {
    let r = Registry::from_value(registry)?;
    Ok(serde_json::json!({ "versions": to_value(&r.history(id)?) }))
}

/// [`Registry::retire`] on JSON: returns the new registry.
pub fn retire_value(
    registry: &Value,
    id: &str,
    date: &str,
    approver: &str,
    reason: &str,
) -> Result<Value> {
    Ok(to_value(
        &Registry::from_value(registry)?.retire(id, date, approver, reason)?,
    ))
}

/// [`Registry::stamp`] on JSON (`lineage` null = empty).
pub fn stamp_value(
    registry: &Value,
    id: &str,
    date: &str,
    lineage: Option<&Value>,
) -> Result<Value> {
    let l: Lineage = match lineage {
        None | Some(Value::Null) => Lineage::default(),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("lineage", format!("not a valid lineage: {e}")))?,
    };
    Ok(to_value(
        &Registry::from_value(registry)?.stamp(id, date, l)?,
    ))
}

fn scale_of(v: &Value, arg: &str) -> Result<Scale> {
    let pair = |a: &Value, b: &Value| -> Option<(i32, i32)> {
        Some((a.as_i64()? as i32, b.as_i64()? as i32))
    };
    let p = match v {
        Value::Array(a) if a.len() == 2 => pair(&a[0], &a[1]),
        Value::Object(m) => m.get("min").zip(m.get("max")).and_then(|(a, b)| pair(a, b)),
        _ => None,
    }
    .ok_or_else(|| {
        CxkpiError::invalid(arg, format!("expected [min, max] or {{min, max}}, got {v}"))
    })?;
    Scale::new(p.0, p.1)
        .map_err(|_| CxkpiError::invalid(arg, format!("min ({}) must be below max ({})", p.0, p.1)))
}

fn nums(v: Option<&Value>, arg: &str) -> Result<Vec<f64>> {
    let a = v
        .and_then(Value::as_array)
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

/// Fits a bridge from a spec `{method, from_scale, to_scale, old?, new?}` (overlap answers for
/// `mean_sigma` and `equipercentile`).
pub fn bridge_value(spec: &Value) -> Result<Bridge> {
    let m = spec
        .as_object()
        .ok_or_else(|| CxkpiError::invalid("bridge", "expected an object"))?;
    for k in m.keys() {
        if !["method", "from_scale", "to_scale", "old", "new"].contains(&k.as_str()) {
            return Err(CxkpiError::invalid(
                k,
                "unknown key; expected method, from_scale, to_scale, old, new",
            ));
        }
    }
    let method = match m.get("method").and_then(Value::as_str) {
        Some(s) => BridgeMethod::parse("method", s)?,
        None => return Err(CxkpiError::invalid("method", "a bridge needs a method")),
    };
    let from = scale_of(m.get("from_scale").unwrap_or(&Value::Null), "from_scale")?;
    let to = scale_of(m.get("to_scale").unwrap_or(&Value::Null), "to_scale")?;
    match method {
        BridgeMethod::Linear => Bridge::linear(from, to),
        BridgeMethod::MeanSigma => Bridge::mean_sigma(
            &nums(m.get("old"), "old")?,
            &nums(m.get("new"), "new")?,
            from,
            to,
        ),
        BridgeMethod::Equipercentile => Bridge::equipercentile(
            &nums(m.get("old"), "old")?,
            &nums(m.get("new"), "new")?,
            from,
            to,
        ),
    }
}

/// Fits a bridge from its parts: `method` (`linear`, `mean_sigma`, `equipercentile`), the scales as JSON
/// (`[min, max]` or `{min, max}`) and the overlap answers as slices (needed by `mean_sigma` and
/// `equipercentile`, NaN = missing). The same checks as [`bridge_value`], without putting the answers
/// through JSON (the bindings pass numpy / typed arrays).
pub fn fit_bridge(
    method: &str,
    from_scale: &Value,
    to_scale: &Value,
    old: Option<&[f64]>,
    new: Option<&[f64]>,
) -> Result<Bridge> {
    let method = BridgeMethod::parse("method", method)?;
    let from = scale_of(from_scale, "from_scale")?;
    let to = scale_of(to_scale, "to_scale")?;
    fn need<'a>(x: Option<&'a [f64]>, arg: &str) -> Result<&'a [f64]> {
        x.ok_or_else(|| CxkpiError::invalid(arg, "expected an array of numbers"))
    }
    match method {
        BridgeMethod::Linear => Bridge::linear(from, to),
        BridgeMethod::MeanSigma => {
            Bridge::mean_sigma(need(old, "old")?, need(new, "new")?, from, to)
        }
        BridgeMethod::Equipercentile => {
            Bridge::equipercentile(need(old, "old")?, need(new, "new")?, from, to)
        }
    }
}

/// A fitted bridge given as JSON (as [`fit_bridge_value`] returns it), or a spec to fit (see
/// [`bridge_value`]).
pub fn bridge_from_value(v: &Value) -> Result<Bridge> {
    bridge_of(v)
}

/// Fits a bridge (see [`bridge_value`]) and returns it as JSON.
pub fn fit_bridge_value(spec: &Value) -> Result<Value> {
    Ok(to_value(&bridge_value(spec)?))
}

fn bridge_of(v: &Value) -> Result<Bridge> {
    if v.get("table").is_some() {
        serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("bridge", format!("not a fitted bridge: {e}")))
    } else {
        bridge_value(v)
    }
}

/// Applies a bridge (fitted, or a spec to fit) to values: `{"values": [...]}` (null for missing).
pub fn apply_bridge_value(bridge: &Value, values: &Value) -> Result<Value> {
    let b = bridge_of(bridge)?;
    let out = b.apply_all(&nums(Some(values), "values")?)?;
    let v: Vec<Option<f64>> = out.iter().map(|&x| (!x.is_nan()).then_some(x)).collect();
    Ok(serde_json::json!({ "values": v }))
}

/// [`Bridge::bridge_series`] on JSON.
pub fn bridge_series_value(
    bridge: &Value,
    periods: &[String],
    values: &Value,
    break_period: &str,
) -> Result<Value> {
    let b = bridge_of(bridge)?;
    Ok(to_value(&b.bridge_series(
        periods,
        &nums(Some(values), "values")?,
        break_period,
    )?))
}

#[cfg(test)]
mod binding_helper_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fit_bridge_equals_the_json_spec() {
        let old = [1.0, 2.0, 2.0, 3.0, f64::NAN];
        let new = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0];
        let a = fit_bridge(
            "equipercentile",
            &json!([1, 3]),
            &json!({"min": 1, "max": 5}),
            Some(&old),
            Some(&new),
        )
        .unwrap();
        let b = bridge_value(
            &json!({"method": "equipercentile", "from_scale": [1, 3], "to_scale": [1, 5],
            "old": [1, 2, 2, 3, null], "new": [1, 2, 3, 4, 5, 5]}),
        )
        .unwrap();
        assert_eq!(a, b);
        let fitted = bridge_from_value(
            &fit_bridge_value(
                &json!({"method": "linear", "from_scale": [1, 5], "to_scale": [1, 7]}),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            fitted,
            fit_bridge("linear", &json!([1, 5]), &json!([1, 7]), None, None).unwrap()
        );
        assert_eq!(
            fit_bridge("cubic", &json!([1, 5]), &json!([1, 7]), None, None)
                .unwrap_err()
                .kind(),
            "unknown_method"
        );
        let e = fit_bridge(
            "mean_sigma",
            &json!([1, 5]),
            &json!([1, 7]),
            None,
            Some(&new),
        )
        .unwrap_err();
        assert_eq!(e.details().arg.as_deref(), Some("old"));
    }
}
