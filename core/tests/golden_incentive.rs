//! Golden cases of the incentive family (`tests/golden/incentive/*.json`), hand-derived; see each `source`.
mod common;

use cxkpi::incentive::{ClawbackInput, EvaluationInput, IncentivePlan};
use cxkpi::options::value_to_f64;
use cxkpi::{CxkpiError, Result};
use serde_json::Value;

fn plan(input: &Value) -> Result<IncentivePlan> {
    IncentivePlan::from_value(&input["plan"])
}

fn inputs(v: &Value) -> Result<EvaluationInput> {
    EvaluationInput::from_value(v)
}

fn to_value<T: serde::Serialize>(x: &T) -> Result<Value> {
    Ok(serde_json::to_value(x).expect("results serialise"))
}

fn column(v: &Value, arg: &str) -> Result<Vec<f64>> {
    v.as_array()
        .ok_or_else(|| CxkpiError::InvalidArgument {
            arg: arg.into(),
            message: "expected an array".into(),
        })?
        .iter()
        .map(|x| {
            value_to_f64(x).ok_or_else(|| CxkpiError::InvalidArgument {
                arg: arg.into(),
                message: format!("not a number: {x}"),
            })
        })
        .collect()
}

fn run(function: &str, input: &Value) -> Result<Value> {
    match function {
        "incentive_evaluate" => to_value(&plan(input)?.evaluate(&inputs(&input["inputs"])?)?),
        "incentive_evaluate_toml" => {
            let p = IncentivePlan::from_toml(input["toml"].as_str().unwrap())?;
            to_value(&p.evaluate(&inputs(&input["inputs"])?)?)
        }
        "incentive_explain" => {
            let p = plan(input)?;
            to_value(&p.explain(
                &inputs(&input["inputs"])?,
                input["participant"].as_str().unwrap(),
            )?)
        }
        "incentive_what_if" => {
            let p = plan(input)?;
            to_value(&p.what_if(&inputs(&input["inputs"])?, &inputs(&input["changes"])?)?)
        }
        "incentive_clawback" => {
            let p = plan(input)?;
            let c: ClawbackInput = serde_json::from_value(input["clawback"].clone()).unwrap();
            to_value(&p.clawback(&c)?)
        }
        "incentive_bulk" => {
            let p = plan(input)?;
            let cols: Vec<Vec<f64>> = input["columns"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(k, c)| column(c, &format!("columns[{k}]")))
                .collect::<Result<_>>()?;
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            let tb = column(&input["target_bonus"], "target_bonus")?;
            let opt = |k: &str| -> Result<Option<Vec<f64>>> {
                match input.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => column(v, k).map(Some),
                }
            };
            let (m, pr) = (opt("modifiers")?, opt("participation")?);
            to_value(&p.evaluate_columns(&refs, &tb, m.as_deref(), pr.as_deref())?)
        }
        other => panic!("unknown golden function {other}"),
    }
}

#[test]
fn golden_incentive() {
    common::run_family("incentive", run, 1e-12)
}
