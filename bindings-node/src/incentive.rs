//! Bindings of core `incentive` as plain functions that take the plan first: `incentivePlan` (validate and
//! normalise; JSON text, TOML text or an object), `incentiveEvaluate`, `incentiveExplain`, `incentiveWhatIf`,
//! `incentiveClawback` and `incentiveEvaluateColumns`. The plan argument is the plan as JSON text or as an
//! object; the core parses and validates it on every call (cheap next to an evaluation).
//!
//! A plan object uses the plan document's own snake_case keys (it is the same JSON document in Rust, Python
//! and Node; KPI, role and participant ids are data and are never renamed). Inputs may use camelCase or
//! snake_case for their own keys (`participantValues` or `participant_values`, `asOf` or `as_of`,
//! `fiscalYear` or `fiscal_year`); the maps keyed by ids (`values`, `participantValues`, `modifiers`) are
//! passed as given. Results are plain objects with camelCase keys, like every other cxkpi result in Node.

use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::{Map, Value};

use cxkpi::incentive as inc;
use cxkpi::CxkpiError;

use crate::convert::{camel_to_snake, column, opt_column, Column, Tree};
use crate::error::{guard, js, Res};
use crate::metrics::{arg, opt_arg};

/// Keys whose children are ids (kept as given); `participant_values` is keyed by ids two levels deep.
fn snake_keys(v: Value, opaque_depth: u8) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                let key = if opaque_depth > 0 {
                    k
                } else {
                    camel_to_snake(&k)
                };
                let child_depth = if opaque_depth > 0 {
                    opaque_depth - 1
                } else {
                    match key.as_str() {
                        "values" | "modifiers" | "weights" => 1,
                        "participant_values" => 2,
                        _ => 0,
                    }
                };
                out.insert(key, snake_keys(x, child_depth));
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            Value::Array(a.into_iter().map(|x| snake_keys(x, opaque_depth)).collect())
        }
        x => x,
    }
}

fn inputs(v: Option<Value>, argname: &str) -> Res<inc::EvaluationInput> {
    match v {
        None | Some(Value::Null) => Ok(inc::EvaluationInput::default()),
        Some(v) => serde_json::from_value(snake_keys(v, 0)).map_err(|e| {
            CxkpiError::InvalidArgument {
                arg: argname.into(),
                message: format!("not valid evaluation inputs: {e}"),
            }
            .into()
        }),
    }
}

fn plan_of(plan: &Value) -> Res<inc::IncentivePlan> {
    Ok(match plan {
        Value::String(text) => inc::IncentivePlan::from_json(text)?,
        Value::Object(_) => inc::IncentivePlan::from_value(plan)?,
        _ => {
            return Err(CxkpiError::InvalidArgument {
                arg: "plan".into(),
                message: "must be the plan as JSON text or as an object".into(),
            }
            .into())
        }
    })
}

/// Reads and validates an incentive plan and returns it normalised (every default filled in, snake_case
/// document keys). `plan` is JSON text, TOML text (with `format = 'toml'`) or an object with the plan
/// document's keys. The returned object can be passed as `plan` to the other `incentive*` functions.
///
/// @example
/// const plan = incentivePlan(fs.readFileSync('bonus_plan.toml', 'utf8'), 'toml')
#[napi(
    ts_args_type = "plan: string | Record<string, unknown>, format?: 'json' | 'toml'",
    ts_return_type = "Record<string, unknown>"
)]
pub fn incentive_plan(env: Env, plan: Value, format: Option<String>) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let p = match (format.as_deref(), &plan) {
                (Some("toml"), Value::String(text)) => inc::IncentivePlan::from_toml(text)?,
                (Some("toml"), _) => {
                    return Err(CxkpiError::InvalidArgument {
                        arg: "plan".into(),
                        message: "format 'toml' needs the plan as TOML text".into(),
                    }
                    .into())
                }
                (None | Some("json"), p) => plan_of(p)?,
                (Some(f), _) => {
                    return Err(CxkpiError::UnknownMethod {
                        arg: "format".into(),
                        value: f.into(),
                        expected: "json, toml".into(),
                    }
                    .into())
                }
            };
            Tree::of_raw(&p)
        }),
    )
}

/// Evaluates every participant of `plan` on `inputs = { values, participantValues, modifiers, period }`.
/// Returns `{ planId, planVersion, period, policies, participants: [{ participant, kpis, gates, weightedSum,
/// modifier, cappedBy, factor, participation, proratedFactor, amount, trail }], totalAmount, totalTarget }`.
///
/// @example
/// incentiveEvaluate(plan, { values: { revenue: 110, nps: 18 } }).participants[0].amount
#[napi(
    ts_args_type = "plan: string | Record<string, unknown>, inputs?: { values?: Record<string, number>, participantValues?: Record<string, Record<string, number>>, modifiers?: Record<string, number>, period?: { fiscalYear: number, quarter?: number } }",
    ts_return_type = "{ planId: string, planVersion: string, participants: Array<Record<string, any>>, totalAmount: number, [key: string]: any }"
)]
pub fn incentive_evaluate(env: Env, plan: Value, inputs: Option<Value>) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| Tree::of(&plan_of(&plan)?.evaluate(&self::inputs(inputs, "inputs")?)?)),
    )
}

/// The explanation of one participant's payout: `{ participant, lines, payout }` (`lines` reads as the trail
/// value -> attainment -> curve payout -> weight -> gates and caps -> modifier -> amount).
///
/// @example
/// for (const line of incentiveExplain(plan, 'ceo', { values }).lines) console.log(line)
#[napi(
    ts_args_type = "plan: string | Record<string, unknown>, participant: string, inputs?: { values?: Record<string, number>, participantValues?: Record<string, Record<string, number>>, modifiers?: Record<string, number>, period?: { fiscalYear: number, quarter?: number } }",
    ts_return_type = "{ participant: string, lines: string[], payout: Record<string, any> }"
)]
pub fn incentive_explain(
    env: Env,
    plan: Value,
    participant: String,
    inputs: Option<Value>,
) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            Tree::of(&plan_of(&plan)?.explain(&self::inputs(inputs, "inputs")?, &participant)?)
        }),
    )
}

/// What-if: evaluates `inputs` and `inputs` with `changes` laid over it; returns `{ changes, effects,
/// totalDelta, base, scenario }`.
///
/// @example
/// incentiveWhatIf(plan, { values: { nps: 11 } }, { values }).totalDelta
#[napi(
    ts_args_type = "plan: string | Record<string, unknown>, changes: { values?: Record<string, number>, participantValues?: Record<string, Record<string, number>>, modifiers?: Record<string, number>, period?: { fiscalYear: number, quarter?: number } }, inputs?: { values?: Record<string, number>, participantValues?: Record<string, Record<string, number>>, modifiers?: Record<string, number>, period?: { fiscalYear: number, quarter?: number } }",
    ts_return_type = "{ changes: string[], effects: Array<Record<string, any>>, totalDelta: number, [key: string]: any }"
)]
pub fn incentive_what_if(
    env: Env,
    plan: Value,
    changes: Value,
    inputs: Option<Value>,
) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let base = self::inputs(inputs, "inputs")?;
            let ch = self::inputs(Some(changes), "changes")?;
            Tree::of(&plan_of(&plan)?.what_if(&base, &ch)?)
        }),
    )
}

/// Clawback review: `restated` is one entry per period, `{ period: { fiscalYear, quarter }, reported:
/// { values }, restated: { values } }`; `asOf` is the date the restatement was required (ISO), which ends the
/// look-back window. Returns `{ lines, participants, totalRecoverable, lookbackStart, ... }`.
///
/// @example
/// incentiveClawback(plan, [{ period: { fiscalYear: 2025, quarter: 2 }, reported: { values }, restated: { values: { nps: 11 } } }], '2026-02-15')
#[napi(
    ts_args_type = "plan: string | Record<string, unknown>, restated: Array<Record<string, any>>, asOf: string",
    ts_return_type = "{ totalRecoverable: number, lines: Array<Record<string, any>>, participants: Array<Record<string, any>>, [key: string]: any }"
)]
pub fn incentive_clawback(
    env: Env,
    plan: Value,
    restated: Value,
    as_of: String,
) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let mut m = Map::new();
            m.insert("as_of".into(), Value::String(as_of.clone()));
            m.insert("periods".into(), snake_keys(restated.clone(), 0));
            let review: inc::ClawbackInput =
                serde_json::from_value(Value::Object(m)).map_err(|e| {
                    CxkpiError::InvalidArgument {
                        arg: "restated".into(),
                        message: format!("not a valid clawback review: {e}"),
                    }
                })?;
            Tree::of(&plan_of(&plan)?.clawback(&review)?)
        }),
    )
}

/// Bulk payouts, one column per plan KPI in plan order (Float64Array used without a copy, or plain arrays),
/// plan weights, no roles; returns `{ factor: Float64Array, amount: Float64Array, totalAmount }` with the
/// same bits as `incentiveEvaluate`.
///
/// @example
/// incentiveEvaluateColumns(plan, [revenue, nps], targetBonus).amount
#[napi(
    ts_args_type = "plan: string | Record<string, unknown>, columns: Array<Float64Array | number[]>, targetBonus: Float64Array | number[], modifiers?: Float64Array | number[] | null, participation?: Float64Array | number[] | null",
    ts_return_type = "{ factor: Float64Array, amount: Float64Array, totalAmount: number }"
)]
pub fn incentive_evaluate_columns(
    env: Env,
    plan: Value,
    columns: Vec<Unknown>,
    target_bonus: Unknown,
    modifiers: Option<Unknown>,
    participation: Option<Unknown>,
) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let p = plan_of(&plan)?;
            let cols: Vec<Column<'_>> = columns
                .iter()
                .enumerate()
                .map(|(k, c)| column(arg(&env, c), &format!("columns[{k}]")))
                .collect::<Res<_>>()?;
            let refs: Vec<&[f64]> = cols.iter().map(|c| &**c).collect();
            let tb = column(arg(&env, &target_bonus), "target_bonus")?;
            let m = opt_column(opt_arg(&env, &modifiers), "modifiers")?;
            let pr = opt_column(opt_arg(&env, &participation), "participation")?;
            let r = p.evaluate_columns(&refs, &tb, m.as_deref(), pr.as_deref())?;
            let mut t = Tree::of(&r)?;
            t.typed_field("factor");
            t.typed_field("amount");
            Ok(t)
        }),
    )
}
