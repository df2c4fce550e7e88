//! JSON-level entry points shared by the Python and Node bindings and the golden runners (documents,
//! columns and options cross the boundary as JSON values, so the three languages parse and validate
//! identically).

use serde::Serialize;
use serde_json::Value;

use super::{
    reconcile, suppress_one_way, suppress_two_way, validate, Column, ReconcileOptions,
    ResponseTable, RuleSet, SourceRecord, SuppressionOptions, ViewPolicy,
};
use crate::error::{CxkpiError, Result};
use crate::options::{value_to_f64, Options};

pub(crate) fn to_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("results serialise")
}

pub(crate) fn options_of(v: Option<&Value>) -> Result<Options> {
    match v {
        None | Some(Value::Null) => Ok(Options::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(x) => Err(CxkpiError::invalid(
            "options",
            format!("expected an object, got {x}"),
        )),
    }
}

fn format_error(other: &str) -> CxkpiError {
    CxkpiError::UnknownMethod {
        arg: "format".into(),
        value: other.into(),
        expected: "json, toml".into(),
    }
}

/// Parses a rule set given as text (`format` "json" or "toml"); returns it as a validated JSON value.
pub fn rules_from_text(text: &str, format: &str) -> Result<Value> {
    Ok(to_value(&match format {
        "json" => RuleSet::from_json(text)?,
        "toml" => RuleSet::from_toml(text)?,
        other => return Err(format_error(other)),
    }))
}

/// Parses a view policy given as text (`format` "json" or "toml"); returns it as a validated JSON value.
pub fn view_policy_from_text(text: &str, format: &str) -> Result<Value> {
    Ok(to_value(&match format {
        "json" => ViewPolicy::from_json(text)?,
        "toml" => ViewPolicy::from_toml(text)?,
        other => return Err(format_error(other)),
    }))
}

/// Owned columns read from JSON: numbers (null = NaN) or text (null = "").
pub enum OwnedColumn {
    Num(Vec<f64>),
    Text(Vec<String>),
}

/// Reads a JSON object of columns (arrays of numbers/null or of strings/null).
pub fn columns_of(v: &Value) -> Result<Vec<(String, OwnedColumn)>> {
    let m = v
        .as_object()
        .ok_or_else(|| CxkpiError::invalid("columns", "expected an object of columns"))?;
    let mut out = Vec::new();
    for (name, col) in m {
        let a = col
            .as_array()
            .ok_or_else(|| CxkpiError::invalid(&format!("columns.{name}"), "expected an array"))?;
        let text = a.iter().any(|x| x.is_string() && value_to_f64(x).is_none());
        let c = if text {
            OwnedColumn::Text(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| match x {
                        Value::String(s) => Ok(s.clone()),
                        Value::Null => Ok(String::new()),
                        other => Err(CxkpiError::invalid(
                            &format!("columns.{name}[{i}]"),
                            format!("expected text in a text column, got {other}"),
                        )),
                    })
                    .collect::<Result<_>>()?,
            )
        } else {
            OwnedColumn::Num(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| {
                        if x.is_null() {
                            Ok(f64::NAN)
                        } else if let Some(b) = x.as_bool() {
                            Ok(if b { 1.0 } else { 0.0 })
                        } else {
                            value_to_f64(x).ok_or_else(|| {
                                CxkpiError::invalid(
                                    &format!("columns.{name}[{i}]"),
                                    format!("expected a number, got {x}"),
                                )
                            })
                        }
                    })
                    .collect::<Result<_>>()?,
            )
        };
        out.push((name.clone(), c));
    }
    Ok(out)
}

/// Builds a table over owned columns (all of equal length).
pub fn table_of(cols: &[(String, OwnedColumn)]) -> Result<ResponseTable<'_>> {
    let n = cols.first().map_or(0, |(_, c)| match c {
        OwnedColumn::Num(x) => x.len(),
        OwnedColumn::Text(x) => x.len(),
    });
    let mut t = ResponseTable::new(n);
    for (name, c) in cols {
        t.add(
            name,
            match c {
                OwnedColumn::Num(x) => Column::Num(x),
                OwnedColumn::Text(x) => Column::Text(x),
            },
        )?;
    }
    Ok(t)
}

/// [`validate`] on JSON: the rule set and an object of columns; returns the [`super::ValidationReport`].
pub fn validate_value(rules: &Value, columns: &Value) -> Result<Value> {
    let rs = RuleSet::from_value(rules)?;
    let cols = columns_of(columns)?;
    let t = table_of(&cols)?;
    let v = validate(&rs, &t)?;
    Ok(to_value(&v.report(&rs)))
}

fn u64_list(v: &Value, arg: &str) -> Result<Vec<u64>> {
    let a = v
        .as_array()
        .ok_or_else(|| CxkpiError::invalid(arg, "expected an array of counts"))?;
    a.iter()
        .enumerate()
        .map(|(i, x)| {
            let f = value_to_f64(x).unwrap_or(f64::NAN);
            if f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 {
                Ok(f as u64)
            } else {
                Err(CxkpiError::invalid(
                    &format!("{arg}[{i}]"),
                    format!("{x} is not a count (a whole number >= 0)"),
                ))
            }
        })
        .collect()
}

/// Counts given as numbers (numpy arrays, typed arrays): each must be a whole number >= 0; an error names
/// `arg[i]` and the value. The bindings use it so that counts are checked exactly as [`suppress_value`]
/// checks a JSON list.
pub fn counts_of(x: &[f64], arg: &str) -> Result<Vec<u64>> {
    x.iter()
        .enumerate()
        .map(|(i, &f)| {
            if f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 {
                Ok(f as u64)
            } else {
                Err(CxkpiError::invalid(
                    &format!("{arg}[{i}]"),
                    format!("{f} is not a count (a whole number >= 0)"),
                ))
            }
        })
        .collect()
}

/// Suppression on JSON: `counts` is a list (one-way) or a list of lists (two-way); options
/// `min_group_size`, `complementary`, `zero_cells`.
pub fn suppress_value(counts: &Value, options: Option<&Value>) -> Result<Value> {
    let o = SuppressionOptions::from_options(&options_of(options)?)?;
    let a = counts
        .as_array()
        .ok_or_else(|| CxkpiError::invalid("counts", "expected a list or a list of lists"))?;
    if a.first().is_some_and(|x| x.is_array()) {
        let t: Vec<Vec<u64>> = a
            .iter()
            .enumerate()
            .map(|(i, r)| u64_list(r, &format!("counts[{i}]")))
            .collect::<Result<_>>()?;
        Ok(to_value(&suppress_two_way(&t, &o)?))
    } else {
        Ok(to_value(&suppress_one_way(
            &u64_list(counts, "counts")?,
            &o,
        )?))
    }
}

/// [`ViewPolicy::evaluate`] on JSON.
pub fn view_value(policy: &Value, role: &str, level: &str, fields: &[String]) -> Result<Value> {
    let p = ViewPolicy::from_value(policy)?;
    let f: Vec<&str> = fields.iter().map(String::as_str).collect();
    Ok(to_value(&p.evaluate(role, level, &f)?))
}

fn records(v: &Value, arg: &str) -> Result<Vec<SourceRecord>> {
    serde_json::from_value(v.clone())
        .map_err(|e| CxkpiError::invalid(arg, format!("expected a list of records: {e}")))
}

/// [`reconcile`] on JSON: two lists of `{period, group, value, n, se}` and options.
pub fn reconcile_value(a: &Value, b: &Value, options: Option<&Value>) -> Result<Value> {
    let o = ReconcileOptions::from_options(&options_of(options)?)?;
    Ok(to_value(&reconcile(
        &records(a, "a")?,
        &records(b, "b")?,
        &o,
    )?))
}

#[cfg(test)]
mod binding_helper_tests {
    use super::*;

    #[test]
    fn counts_of_checks_like_the_json_list() {
        assert_eq!(
            counts_of(&[0.0, 3.0, 12.0], "counts").unwrap(),
            vec![0, 3, 12]
        );
        for (bad, at) in [
            (vec![1.0, 2.5], "counts[1]"),
            (vec![-1.0], "counts[0]"),
            (vec![f64::NAN], "counts[0]"),
        ] {
            let e = counts_of(&bad, "counts").unwrap_err();
            assert_eq!(e.kind(), "invalid_argument");
            assert_eq!(e.details().arg.as_deref(), Some(at));
        }
        // the same verdict as the JSON path
        let v = serde_json::json!([1, 2.5]);
        assert_eq!(
            suppress_value(&v, None).unwrap_err().details().arg,
            counts_of(&[1.0, 2.5], "counts").unwrap_err().details().arg
        );
    }
}
