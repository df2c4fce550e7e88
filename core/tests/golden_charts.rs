//! Golden cases of the control charts, run rules, ARLs and calibrated thresholds
//! (tests/golden/charts/*.json; derivation in tests/golden/charts/derive/).

mod common;
use common::{floats, split};

use cxkpi::baseline::{arl, charts, rules};
use cxkpi::stats::parse_options;
use cxkpi::Result;
use serde_json::Value;

fn with_count<T: serde::Serialize>(r: Result<T>, list: &str, count: &str) -> Result<Value> {
    r.map(|x| {
        let mut v = serde_json::to_value(x).unwrap();
        let n = v[list].as_array().map_or(0, |a| a.len());
        v.as_object_mut()
            .unwrap()
            .insert(count.into(), Value::from(n as f64));
        v
    })
}

fn run(function: &str, input: &Value) -> Result<Value> {
    match function {
        "individuals_chart" | "ewma_chart" | "cusum_chart" => {
            let (d, o) = split(input, &["x"]);
            let x = floats(&d["x"]);
            match function {
                "individuals_chart" => with_count(
                    charts::individuals_chart(&x, &parse_options(&o)?),
                    "signals",
                    "n_signals",
                ),
                "ewma_chart" => with_count(
                    charts::ewma_chart(&x, &parse_options(&o)?),
                    "signals",
                    "n_signals",
                ),
                _ => with_count(
                    charts::cusum_chart(&x, &parse_options(&o)?),
                    "signals",
                    "n_signals",
                ),
            }
        }
        "p_chart" | "funnel" => {
            let (d, o) = split(input, &["successes", "sizes"]);
            let (s, n) = (floats(&d["successes"]), floats(&d["sizes"]));
            if function == "p_chart" {
                with_count(
                    charts::p_chart(&s, &n, &parse_options(&o)?),
                    "signals",
                    "n_signals",
                )
            } else {
                with_count(
                    charts::funnel(&s, &n, &parse_options(&o)?),
                    "signals",
                    "n_signals",
                )
            }
        }
        "run_rules" => {
            let (d, o) = split(input, &["z"]);
            let hits = rules::evaluate_z(&floats(&d["z"]), &parse_options(&o)?)?;
            let n = hits.len();
            Ok(serde_json::json!({ "n_hits": n as f64, "hits": hits }))
        }
        "arl" => Ok(serde_json::to_value(arl::run_length(&parse_options(input)?)?).unwrap()),
        "calibrate" => Ok(serde_json::to_value(arl::calibrate(&parse_options(input)?)?).unwrap()),
        other => panic!("unknown golden function {other}"),
    }
}

#[test]
fn golden_charts() {
    common::run_family("charts", run, 1e-12)
}
