//! Bindings of core `baseline::charts`, `baseline::rules` and `baseline::arl`: individuals / moving-range,
//! p and Laney p', EWMA (exact time-varying limits), tabular CUSUM and funnel limits; Western Electric, Nelson
//! and Anhøj run rules; average run lengths and thresholds calibrated to a false-alarm budget.
//!
//! Columns are `Float64Array` (read without a copy) or arrays of numbers. Options objects use camelCase keys
//! (`clipLimits`, `checksPerPeriod`, `westernElectric_1`...) or snake_case, and are parsed by the core with
//! serde, so they validate exactly as in Rust and Python. Results carry the core's fields in camelCase.

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use cxkpi::baseline::{arl, charts, rules};
use cxkpi::stats::parse_options;

use crate::convert::{column, object, options, Tree};
use crate::error::{invalid, Res};
use crate::metrics::{arg, opt_arg, run, spawn, Job};

fn opts(v: Option<crate::convert::Js>) -> Res<Value> {
    Ok(Value::Object(options(v)?))
}

/// Individuals (X) chart with its moving-range chart: centre and sigma given (`mu`, `sigma`) or estimated on
/// the `reference` window [start, end) as the mean and MR̄/d2 (d2 = 2/√π); limits centre ± l·σ.
///
/// @example
/// individualsChart(x, { reference: [0, 60] }).signals // points strictly outside the 3-sigma limits
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, options?: { l?: number, mu?: number | null, sigma?: number | null, reference?: [number, number] | null, series?: string | null } | null",
    ts_return_type = "any"
)]
pub fn individuals_chart(env: Env, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &x), "x")?;
        Tree::of(&charts::individuals_chart(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// p chart for shares with varying sample sizes; `laney: true` gives Laney's p' chart (σ inflated by σ_z, the
/// moving range of the z-scores over d2).
#[napi(
    ts_args_type = "successes: Float64Array | ReadonlyArray<number>, sizes: Float64Array | ReadonlyArray<number>, options?: { l?: number, p0?: number | null, reference?: [number, number] | null, laney?: boolean, clipLimits?: boolean, series?: string | null } | null",
    ts_return_type = "any"
)]
pub fn p_chart(
    env: Env,
    successes: Unknown,
    sizes: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &successes), "successes")?;
        let n = column(arg(&env, &sizes), "sizes")?;
        Tree::of(&charts::p_chart(
            &s,
            &n,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// EWMA chart zₜ = λxₜ + (1-λ)zₜ₋₁ with exact time-varying limits (or `limits: 'asymptotic'`).
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, options?: { lambda?: number, l?: number, mu?: number | null, sigma?: number | null, reference?: [number, number] | null, limits?: 'time_varying' | 'asymptotic', series?: string | null } | null",
    ts_return_type = "any"
)]
pub fn ewma_chart(env: Env, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &x), "x")?;
        Tree::of(&charts::ewma_chart(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Tabular CUSUM with reference value `k` and decision interval `h` in sigma units; `reset: 'after_signal'`
/// (default) or `'none'`.
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, options?: { k?: number, h?: number, headstart?: number, mu?: number | null, sigma?: number | null, reference?: [number, number] | null, reset?: 'after_signal' | 'none', series?: string | null } | null",
    ts_return_type = "any"
)]
pub fn cusum_chart(env: Env, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &x), "x")?;
        Tree::of(&charts::cusum_chart(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Funnel limits (Spiegelhalter 2005) for shares of units of different sizes: `method` `'normal'` or
/// `'binomial'` (exact, interpolated), optional multiplicative overdispersion.
#[napi(
    ts_args_type = "successes: Float64Array | ReadonlyArray<number>, sizes: Float64Array | ReadonlyArray<number>, options?: { target?: number | null, levels?: number[], method?: 'normal' | 'binomial', overdispersion?: 'none' | 'multiplicative', winsorize?: number, labels?: string[] | null } | null",
    ts_return_type = "any"
)]
pub fn funnel_limits(
    env: Env,
    successes: Unknown,
    sizes: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &successes), "successes")?;
        let n = column(arg(&env, &sizes), "sizes")?;
        Tree::of(&charts::funnel(
            &s,
            &n,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Run rules on a standardised series z: an array of hits `{rule, index, points, direction, parameters,
/// falseAlarmRate}`. Switch rules with `westernElectric_1`..`_4`, `nelson_1`..`_8`, `anhoejRuns`,
/// `anhoejCrossings`; `firing: 'every_point' | 'first_in_episode'`.
#[napi(
    ts_args_type = "z: Float64Array | ReadonlyArray<number>, options?: Record<string, boolean | string> | null",
    ts_return_type = "any[]"
)]
pub fn run_rules(env: Env, z: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &z), "z")?;
        Tree::of(&rules::evaluate_z(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Run rules on a chart result (as returned by the chart functions), as Signals with value, centre,
/// deviation, sigma, n and SE.
#[napi(
    ts_args_type = "chart: Record<string, unknown>, options?: Record<string, boolean | string> | null",
    ts_return_type = "any[]"
)]
pub fn chart_rules(env: Env, chart: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let c = Value::Object(object(Some(arg(&env, &chart)), "chart")?);
        let chart: charts::ChartResult =
            serde_json::from_value(c).map_err(|e| invalid("chart", e.to_string()))?;
        Tree::of(&rules::evaluate(
            &chart,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Individuals limits, run rules, EWMA and CUSUM in one pass with no allocation per point (`mu`, `sigma`
/// required; `rules` selects the run rules; `maxHits` caps the hits kept).
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, options?: { mu?: number, sigma?: number, l?: number, lambda?: number, ewmaL?: number, k?: number, h?: number, rules?: Record<string, boolean | string>, maxHits?: number } | null",
    ts_return_type = "any"
)]
pub fn chart_monitor(env: Env, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &x), "x")?;
        Tree::of(&charts::monitor(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// `chartMonitor` on the libuv thread pool (the column is copied first).
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, options?: Record<string, unknown> | null",
    ts_return_type = "Promise<any>"
)]
pub fn chart_monitor_async(env: Env, x: Unknown, options: Option<Unknown>) -> AsyncTask<Job> {
    spawn(|| {
        let v = column(arg(&env, &x), "x")?.into_owned();
        let o = opts(opt_arg(&env, &options))?;
        Ok(Box::new(move || {
            Tree::of(&charts::monitor(&v, &parse_options(&o)?)?)
        }))
    })
}

/// Average run length: `chart` `'shewhart'` (closed form), `'ewma'` or `'cusum'` (integral equation as R
/// spc, or `method: 'markov_chain'`), with `l`, `lambda`, `k`, `h`, `shift`, `sided`, `nodes`.
///
/// @example
/// averageRunLength({ chart: 'ewma', lambda: 0.1, l: 2.7 }).arl // 368.99... (R spc::xewma.arl(0.1, 2.7, 0, sided = "two"))
#[napi(
    ts_args_type = "query?: { chart?: 'shewhart' | 'ewma' | 'cusum', l?: number, lambda?: number, k?: number, h?: number, shift?: number, sided?: 'one' | 'two', method?: 'integral_equation' | 'markov_chain', nodes?: number | null } | null",
    ts_return_type = "any"
)]
pub fn average_run_length(env: Env, query: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        Tree::of(&arl::run_length(&parse_options(&opts(opt_arg(
            &env, &query,
        ))?)?)?)
    })
}

/// The L (Shewhart, EWMA) or h (CUSUM) that meets a false-alarm budget: `charts` checked
/// `checksPerPeriod` times per period, at most `falseAlarms` per period (`policy: 'expected_count'`) or that
/// family-wise probability (`'familywise'`).
#[napi(
    ts_args_type = "config?: { chart?: 'shewhart' | 'ewma' | 'cusum', charts?: number, checksPerPeriod?: number, falseAlarms?: number, policy?: 'expected_count' | 'familywise', lambda?: number, k?: number, shift?: number, arl?: { method?: 'integral_equation' | 'markov_chain', nodes?: number | null, sided?: 'one' | 'two' } } | null",
    ts_return_type = "any"
)]
pub fn calibrate_threshold(env: Env, config: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        Tree::of(&arl::calibrate(&parse_options(&opts(opt_arg(
            &env, &config,
        ))?)?)?)
    })
}
