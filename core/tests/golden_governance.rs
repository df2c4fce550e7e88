//! The governance golden family: tests/golden/governance/*.json through the Rust API.
mod common;

use cxkpi::governance::json;
use cxkpi::Result;
use serde_json::Value;

fn s<'a>(input: &'a Value, k: &str) -> &'a str {
    input[k].as_str().unwrap()
}

fn run(function: &str, input: &Value) -> Result<Value> {
    let reg = &input["registry"];
    match function {
        "in_force" => json::in_force_value(reg, s(input, "id"), s(input, "date")),
        "history" => json::history_value(reg, s(input, "id")),
        "retire" => json::retire_value(
            reg,
            s(input, "id"),
            s(input, "date"),
            s(input, "approver"),
            s(input, "reason"),
        ),
        "stamp" => json::stamp_value(reg, s(input, "id"), s(input, "date"), input.get("lineage")),
        "bridge" => json::fit_bridge_value(&input["bridge"]),
        "apply_bridge" => json::apply_bridge_value(&input["bridge"], &input["values"]),
        "bridge_series" => {
            let periods: Vec<String> = input["periods"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_string())
                .collect();
            json::bridge_series_value(
                &input["bridge"],
                &periods,
                &input["values"],
                s(input, "break_period"),
            )
        }
        other => panic!("unknown golden function {other}"),
    }
}

#[test]
fn golden_governance() {
    common::run_family("governance", run, 1e-12)
}
