//! The composite golden family: tests/golden/composite/*.json through the Rust API.
mod common;

use cxkpi::composite::json;
use cxkpi::options::{value_to_f64, Options};
use cxkpi::Result;
use serde_json::Value;

fn opts(input: &Value, skip: &[&str]) -> Options {
    input
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !skip.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| value_to_f64(x).unwrap_or(f64::NAN))
                .collect()
        })
        .unwrap_or_default()
}

fn run(function: &str, input: &Value) -> Result<Value> {
    let doc = &input["scorecard"];
    let values = &input["values"];
    match function {
        "evaluate_scorecard" => json::evaluate_value(doc, values, input.get("options")),
        "scorecard_from_toml" => json::scorecard_from_text(input["toml"].as_str().unwrap(), "toml"),
        "explain" => {
            let r = json::evaluate_value(doc, values, input.get("options"))?;
            let steps = json::explain_value(
                &r,
                input["unit"].as_str().unwrap(),
                input["kpi"].as_str().unwrap(),
            )?;
            Ok(serde_json::json!({ "steps": steps }))
        }
        "sensitivity" => json::sensitivity_value(doc, values, input.get("options")),
        "balance" => json::balance_value(doc),
        "redundancy" => json::redundancy_value(doc, values),
        "myopia" => json::myopia_value(doc, values),
        "normalise" => json::normalise_value(&nums(&input["x"]), &opts(input, &["x"])),
        "aggregate" => json::aggregate_value(
            &nums(&input["values"]),
            &nums(&input["weights"]),
            &opts(input, &["values", "weights"]),
        ),
        "slope_test" => json::slope_test_value(&nums(&input["y"]), &opts(input, &["y"])),
        "suggest_weights" => json::suggest_weights_value(&input["components"], &input["outcome"]),
        other => panic!("unknown golden function {other}"),
    }
}

#[test]
fn golden_composite() {
    common::run_family("composite", run, 1e-12)
}
