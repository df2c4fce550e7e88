//! The quality golden family: tests/golden/quality/*.json through the Rust API.
mod common;

use cxkpi::quality::json;
use cxkpi::Result;
use serde_json::Value;

fn rest(input: &Value, skip: &[&str]) -> Value {
    Value::Object(
        input
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| !skip.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn run(function: &str, input: &Value) -> Result<Value> {
    match function {
        "validate" => json::validate_value(&input["rules"], &input["columns"]),
        "suppress" => json::suppress_value(&input["counts"], Some(&rest(input, &["counts"]))),
        "view_policy" => {
            let fields: Vec<String> = input["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            json::view_value(
                &input["policy"],
                input["role"].as_str().unwrap(),
                input["level"].as_str().unwrap(),
                &fields,
            )
        }
        "reconcile" => {
            json::reconcile_value(&input["a"], &input["b"], Some(&rest(input, &["a", "b"])))
        }
        other => panic!("unknown golden function {other}"),
    }
}

#[test]
fn golden_quality() {
    common::run_family("quality", run, 1e-12)
}
