//! Golden cases of the validation and linkage statistics (tests/golden/stats/*.json): reliability,
//! association, regression, logistic regression, impact tests, survival and shrinkage.

mod common;
use common::{floats, split, to_value};

use cxkpi::options::value_to_f64;
use cxkpi::stats::{
    association, before_after, hazard, impact, logistic, regression, reliability, shrinkage,
    survival,
};
use cxkpi::Result;
use serde_json::Value;

/// Rows × columns JSON matrix → one Vec per column.
fn columns_of_rows(v: &Value) -> Vec<Vec<f64>> {
    let rows: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(floats).collect();
    let k = rows.first().map_or(0, |r| r.len());
    (0..k)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect()
}

fn list_of_columns(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(floats).collect()
}

fn run(function: &str, input: &Value) -> Result<Value> {
    use cxkpi::stats::parse_options as opts;
    match function {
        "icc" => {
            let (d, o) = split(input, &["ratings"]);
            let cols = columns_of_rows(&d["ratings"]);
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            to_value(reliability::icc(&refs, &opts(&o)?))
        }
        "cronbach_alpha" => {
            let (d, o) = split(input, &["items"]);
            let cols = columns_of_rows(&d["items"]);
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            to_value(reliability::cronbach_alpha(&refs, &opts(&o)?))
        }
        "measurement_error" => {
            let conf = input
                .get("confidence")
                .and_then(value_to_f64)
                .unwrap_or(0.95);
            to_value(reliability::measurement_error(
                value_to_f64(&input["sd"]).unwrap(),
                value_to_f64(&input["reliability"]).unwrap(),
                conf,
            ))
        }
        "test_retest" => {
            let conf = input
                .get("confidence")
                .and_then(value_to_f64)
                .unwrap_or(0.95);
            to_value(reliability::test_retest(
                &floats(&input["test"]),
                &floats(&input["retest"]),
                conf,
            ))
        }
        "correlation" => {
            let (d, o) = split(input, &["x", "y"]);
            to_value(association::correlation(
                &floats(&d["x"]),
                &floats(&d["y"]),
                &opts(&o)?,
            ))
        }
        "correlation_matrix" => {
            let (d, o) = split(input, &["columns", "names"]);
            let cols = list_of_columns(&d["columns"]);
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            let names: Option<Vec<String>> = d
                .get("names")
                .map(|v| serde_json::from_value(v.clone()).unwrap());
            to_value(association::correlation_matrix(
                &refs,
                names.as_deref(),
                &opts(&o)?,
            ))
        }
        "p_adjust" => {
            let m: association::PAdjust = serde_json::from_value(input["method"].clone()).unwrap();
            to_value(association::p_adjust(&floats(&input["p"]), m))
        }
        "ols" => {
            let (d, o) = split(input, &["y", "x"]);
            let cols = list_of_columns(&d["x"]);
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            to_value(regression::ols(&floats(&d["y"]), &refs, &opts(&o)?))
        }
        "shapley_r2" => {
            let cols = list_of_columns(&input["x"]);
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            to_value(regression::shapley_r2(&floats(&input["y"]), &refs, None))
        }
        "logistic" => {
            let (d, o) = split(input, &["y", "x"]);
            let cols = list_of_columns(&d["x"]);
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            to_value(logistic::logistic(&floats(&d["y"]), &refs, &opts(&o)?))
        }
        "t_test" => {
            let (d, o) = split(input, &["x", "y"]);
            let y = d.get("y").map(floats);
            to_value(impact::t_test(&floats(&d["x"]), y.as_deref(), &opts(&o)?))
        }
        "did" => {
            let (d, o) = split(input, &["y", "treated", "post"]);
            to_value(impact::did(
                &floats(&d["y"]),
                &floats(&d["treated"]),
                &floats(&d["post"]),
                &opts(&o)?,
            ))
        }
        "kaplan_meier" => {
            let (d, o) = split(input, &["time", "event"]);
            to_value(survival::kaplan_meier(
                &floats(&d["time"]),
                &floats(&d["event"]),
                &opts(&o)?,
            ))
        }
        "before_after" => {
            let (d, o) = split(input, &["values", "days"]);
            let days: Vec<i64> = d["days"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            to_value(before_after::before_after(
                &floats(&d["values"]),
                &days,
                &opts(&o)?,
            ))
        }
        "hazard_by_group" => {
            let (d, o) = split(input, &["time", "event", "group"]);
            let group: Vec<u32> = d["group"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as u32)
                .collect();
            to_value(hazard::hazard_by_group(
                &floats(&d["time"]),
                &floats(&d["event"]),
                &group,
                &opts(&o)?,
            ))
        }
        "retention_by_cohort" => {
            let cohort: Vec<u32> = input["cohort"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as u32)
                .collect();
            to_value(survival::retention_by_cohort(
                &cohort,
                &floats(&input["churn_period"]),
                input["observed_until"].as_u64().unwrap() as u32,
                input["horizon"].as_u64().unwrap() as u32,
            ))
        }
        "shrink" => {
            let (d, o) = split(input, &["values", "groups"]);
            let groups: Vec<u32> = d["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as u32)
                .collect();
            to_value(shrinkage::shrink(
                &floats(&d["values"]),
                &groups,
                &opts(&o)?,
            ))
        }
        other => panic!("unknown function {other}"),
    }
}

#[test]
fn golden_stats() {
    common::run_family("stats", run, 1e-12)
}
