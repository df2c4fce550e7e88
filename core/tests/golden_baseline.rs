//! Golden cases of the series-and-baseline part of `cxkpi::baseline` (tests/golden/baseline/*.json): STL and
//! MSTL (R stl / statsmodels presets), classical decomposition, trailing baselines with event windows and
//! counterfactual impacts, level-shift detection and period-over-period significance.

mod common;
use common::{floats, to_value};

use cxkpi::baseline::{changepoint, decompose, events, expected, series, significance, stl};
use cxkpi::stats::parse_options as opts;
use cxkpi::Result;
use serde_json::Value;

fn null() -> Value {
    Value::Null
}

fn run(function: &str, input: &Value) -> Result<Value> {
    let o = input.get("options").cloned().unwrap_or_else(null);
    match function {
        "stl" => to_value(stl::stl(&floats(&input["values"]), &opts(&o)?)),
        "mstl" => to_value(stl::mstl(&floats(&input["values"]), &opts(&o)?)),
        "decompose" => to_value(decompose::decompose(&floats(&input["values"]), &opts(&o)?)),
        "baseline" => {
            let start = series::parse_date("start", input["start"].as_str().unwrap())?;
            let cal = events::EventCalendar::from_value(input.get("events").unwrap_or(&null()))?;
            to_value(expected::baseline(
                &floats(&input["values"]),
                start,
                &cal,
                &opts(&o)?,
            ))
        }
        "detect_changes" => to_value(changepoint::detect_changes(
            &floats(&input["values"]),
            &opts(&o)?,
        )),
        "period_move" => {
            let mo: significance::MoveOptions = opts(&o)?;
            if input.get("before_values").is_some() {
                to_value(significance::period_move_from_values(
                    &floats(&input["before_values"]),
                    &floats(&input["after_values"]),
                    &mo,
                ))
            } else {
                let b: significance::PeriodSummary =
                    serde_json::from_value(input["before"].clone()).map_err(|e| {
                        cxkpi::CxkpiError::Unsupported {
                            message: e.to_string(),
                        }
                    })?;
                let a: significance::PeriodSummary = serde_json::from_value(input["after"].clone())
                    .map_err(|e| cxkpi::CxkpiError::Unsupported {
                        message: e.to_string(),
                    })?;
                to_value(significance::period_move(&b, &a, &mo))
            }
        }
        other => panic!("unknown function {other}"),
    }
}

#[test]
fn golden_baseline() {
    common::run_family("baseline", run, 1e-10)
}
