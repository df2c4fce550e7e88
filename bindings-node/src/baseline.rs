//! Bindings of core `baseline` (series, decompose, stl, expected, events, changepoint, significance): daily
//! series and aggregation, classical decomposition, STL / MSTL with the `r_stl` and `statsmodels` presets,
//! baselines with event calendars and counterfactual impacts, level shifts and period-over-period moves.
//!
//! Value columns are `Float64Array` (read without a copy) or arrays of numbers (NaN/null = missing day);
//! dates are ISO `YYYY-MM-DD` strings. Options objects use camelCase keys (`seasonalLength`, `trendJump`,
//! `persistDays`...) and are parsed by the core with serde, so they validate exactly as in Rust and Python.

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use cxkpi::baseline::{changepoint, decompose, events, expected, series, significance, stl};
use cxkpi::stats::parse_options;

use crate::convert::{column, object, options, string, Js, Tree};
use crate::error::{invalid, Res};
use crate::metrics::{arg, opt_arg, run, spawn, Job};

fn opts(v: Option<Js>) -> Res<Value> {
    Ok(Value::Object(options(v)?))
}

fn calendar(v: Option<Js>) -> Res<events::EventCalendar> {
    let j = match v {
        None => Value::Null,
        Some(v) if v.is_nullish() => Value::Null,
        Some(v) if v.is_array() => {
            let n = v.array_len();
            let mut out = Vec::with_capacity(n as usize);
            for i in 0..n {
                out.push(Value::Object(object(
                    Some(v.element(i)?),
                    &format!("events[{i}]"),
                )?));
            }
            Value::Array(out)
        }
        Some(v) => Value::Object(object(Some(v), "events")?),
    };
    Ok(events::EventCalendar::from_value(&j)?)
}

fn dates(v: Js, arg_name: &str) -> Res<Vec<series::Date>> {
    if !v.is_array() {
        return Err(invalid(arg_name, "must be an array of YYYY-MM-DD strings"));
    }
    let n = v.array_len();
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let s = v
            .element(i)?
            .string()
            .ok_or_else(|| invalid(arg_name, format!("element {i} must be a YYYY-MM-DD string")))?;
        out.push(series::parse_date(&format!("{arg_name}[{i}]"), &s)?);
    }
    Ok(out)
}

fn stl_core(values: &[f64], o: &Value) -> Res<Tree> {
    stl_tree(stl::stl(values, &parse_options(o)?)?)
}

/// An STL result whose per-day components are `Float64Array`s (the vectors are moved, not re-serialised).
fn stl_tree(mut r: stl::StlResult) -> Res<Tree> {
    let cols = [
        ("seasonal", std::mem::take(&mut r.seasonal)),
        ("trend", std::mem::take(&mut r.trend)),
        ("remainder", std::mem::take(&mut r.remainder)),
        ("weights", std::mem::take(&mut r.weights)),
    ];
    let mut t = Tree::of(&r)?;
    for (k, v) in cols {
        if let Some(f) = t.field_mut(k) {
            *f = Tree::F64s(v);
        }
    }
    Ok(t)
}

/// The columns of `stlBatch` (each copied, so that the async variant can own them).
fn series_columns(s: Js) -> Res<Vec<Vec<f64>>> {
    if !s.is_array() {
        return Err(invalid("series", "must be an array of columns"));
    }
    (0..s.array_len())
        .map(|i| Ok(column(s.element(i)?, &format!("series[{i}]"))?.into_owned()))
        .collect()
}

fn stl_batch_tree(refs: &[&[f64]], o: &Value) -> Res<Tree> {
    let rs = stl::stl_batch(refs, &parse_options(o)?)?;
    Ok(Tree::Seq(rs.into_iter().map(stl_tree).collect::<Res<_>>()?))
}

/// STL decomposition with every parameter exposed; unset ones take the preset's defaults (`preset`:
/// `'statsmodels'` (default) or `'r_stl'`, reproducing statsmodels `STL` / R `stl` for the same parameters).
///
/// @example
/// const r = stl(values, { period: 7, preset: 'r_stl', seasonalLength: 7 })
/// r.parameters.trendLength // 15
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, options?: { period?: number, preset?: 'statsmodels' | 'r_stl', seasonalLength?: number, periodic?: boolean, trendLength?: number, lowPassLength?: number, seasonalDegree?: number, trendDegree?: number, lowPassDegree?: number, seasonalJump?: number, trendJump?: number, lowPassJump?: number, innerLoops?: number, outerLoops?: number, robust?: boolean, missing?: 'error' | 'interpolate_linear' } | null",
    ts_return_type = "any"
)]
pub fn stl(env: Env, values: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &values), "values")?;
        stl_core(&v, &opts(opt_arg(&env, &options))?)
    })
}

/// STL of many series with the same options, in parallel across series; each result equals `stl`.
#[napi(
    ts_args_type = "series: ReadonlyArray<Float64Array | ReadonlyArray<number | null>>, options?: Record<string, unknown> | null",
    ts_return_type = "any[]"
)]
pub fn stl_batch(env: Env, series: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let cols = series_columns(arg(&env, &series))?;
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        stl_batch_tree(&refs, &opts(opt_arg(&env, &options))?)
    })
}

/// `stlBatch` on the libuv thread pool (columns copied first); resolves to the same results.
#[napi(
    ts_args_type = "series: ReadonlyArray<Float64Array | ReadonlyArray<number | null>>, options?: Record<string, unknown> | null",
    ts_return_type = "Promise<any[]>"
)]
pub fn stl_batch_async(env: Env, series: Unknown, options: Option<Unknown>) -> AsyncTask<Job> {
    spawn(|| {
        let cols = series_columns(arg(&env, &series))?;
        let o = opts(opt_arg(&env, &options))?;
        Ok(Box::new(move || {
            let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
            stl_batch_tree(&refs, &o)
        }))
    })
}

/// MSTL (statsmodels conventions): `periods`, `windows` (default 7 + 4i), `iterations` (2), `lambda`
/// (Box-Cox), `stl` (STL options for every component).
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, options?: { periods?: number[], windows?: number[] | null, iterations?: number, lambda?: number | null, stl?: Record<string, unknown> } | null",
    ts_return_type = "any"
)]
pub fn mstl(env: Env, values: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &values), "values")?;
        Tree::of(&stl::mstl(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Classical decomposition by centred moving averages (R `decompose` / statsmodels `seasonal_decompose`).
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, options?: { period?: number, model?: 'additive' | 'multiplicative', missing?: 'error' | 'interpolate_linear' } | null",
    ts_return_type = "any"
)]
pub fn decompose(env: Env, values: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &values), "values")?;
        Tree::of(&decompose::decompose(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Expected values with a band (`method`: `rolling_mean`, `rolling_median`, `ewma`, `seasonal_naive`, `stl`),
/// with the days of each event left out per its policy (`exclude`, `level_shift`, `reset`, `include`) and the
/// event's counterfactual impact. `start` is the ISO date of `values[0]`; `events` is an array of
/// `{name, kind, start, end, policy?}` or `{events: [...]}`.
///
/// @example
/// baseline(nps, '2026-03-02', [{ name: 'EMEA outage', kind: 'outage', start: '2026-04-21', end: '2026-04-25' }], { method: 'ewma' }).impacts[0].impactMean
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, start: string, events?: ReadonlyArray<{ name: string, kind: 'launch' | 'pr_crisis' | 'outage' | 'holiday' | 'instrument_change', start: string, end: string, policy?: 'exclude' | 'level_shift' | 'reset' | 'include' }> | { events: ReadonlyArray<Record<string, unknown>> } | null, options?: { method?: 'rolling_mean' | 'rolling_median' | 'ewma' | 'seasonal_naive' | 'stl', window?: number, minPeriods?: number, lambda?: number, period?: number, k?: number, band?: 'rolling_sd' | 'error_sd' | 'residual_sd', stl?: Record<string, unknown>, series?: string } | null",
    ts_return_type = "any"
)]
pub fn baseline(
    env: Env,
    values: Unknown,
    start: Unknown,
    events: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &values), "values")?;
        let s = string(Some(arg(&env, &start)), "start")?;
        let d = series::parse_date("start", &s)?;
        let cal = calendar(opt_arg(&env, &events))?;
        Tree::of(&expected::baseline(
            &v,
            d,
            &cal,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Validates an event calendar; returns it with every event's effective policy filled in.
#[napi(
    ts_args_type = "events: ReadonlyArray<Record<string, unknown>> | { events: ReadonlyArray<Record<string, unknown>> }",
    ts_return_type = "any"
)]
pub fn event_calendar(env: Env, events: Unknown) -> napi::Result<Tree> {
    run(&env, || {
        let mut cal = calendar(Some(arg(&env, &events)))?;
        for e in cal.events.iter_mut() {
            e.policy = Some(e.effective_policy());
        }
        Tree::of(&cal)
    })
}

/// Level shifts: `least_squares` (one change), `binary_segmentation` or `pelt` with penalty `bic`, `mbic` or
/// `manual` (`penaltyValue`); a change is confirmed (and emitted in `signals`, rule `level_shift`) when it
/// persists `persistDays` and exceeds the minimal detectable change.
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, options?: { method?: 'least_squares' | 'binary_segmentation' | 'pelt', penalty?: 'bic' | 'mbic' | 'manual', penaltyValue?: number, sigma?: number, minSize?: number, maxChanges?: number, persistDays?: number, alpha?: number, power?: number, series?: string, missing?: 'error' | 'interpolate_linear' } | null",
    ts_return_type = "any"
)]
pub fn detect_changes(env: Env, values: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let v = column(arg(&env, &values), "values")?;
        Tree::of(&changepoint::detect_changes(
            &v,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

fn summary(v: Js, a: &str) -> Res<significance::PeriodSummary> {
    let m = object(Some(v), a)?;
    serde_json::from_value(Value::Object(m))
        .map_err(|e| invalid(a, format!("expected {{estimate, se, n}}: {e}")))
}

/// Significance of a period-over-period move from two `{estimate, se, n}` summaries: move, SE, z, p, the
/// minimal detectable change at `alpha`/`power`, and a sentence (`words`).
///
/// @example
/// periodMove({ estimate: 42, se: 1.5, n: 600 }, { estimate: 37.8, se: 1.5, n: 600 }).words
/// // 'significant drop of 4.2 points (p = 0.048, n = 600 per period)'
#[napi(
    ts_args_type = "before: { estimate: number, se: number, n: number }, after: { estimate: number, se: number, n: number }, options?: { alpha?: number, power?: number, units?: string } | null",
    ts_return_type = "any"
)]
pub fn period_move(
    env: Env,
    before: Unknown,
    after: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let b = summary(arg(&env, &before), "before")?;
        let a = summary(arg(&env, &after), "after")?;
        Tree::of(&significance::period_move(
            &b,
            &a,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// `periodMove` from the raw values of each period (mean and s/√n; NaN skipped).
#[napi(
    ts_args_type = "before: Float64Array | ReadonlyArray<number | null>, after: Float64Array | ReadonlyArray<number | null>, options?: { alpha?: number, power?: number, units?: string } | null",
    ts_return_type = "any"
)]
pub fn period_move_from_values(
    env: Env,
    before: Unknown,
    after: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let b = column(arg(&env, &before), "before")?;
        let a = column(arg(&env, &after), "after")?;
        Tree::of(&significance::period_move_from_values(
            &b,
            &a,
            &parse_options(&opts(opt_arg(&env, &options))?)?,
        )?)
    })
}

/// Row-level answers aggregated to one value per day (`stat`: `mean`, `sum`, `count`, `nps`, `top_box`);
/// `dates` are ISO strings, days without answers are `null`.
#[napi(
    ts_args_type = "dates: ReadonlyArray<string>, values: Float64Array | ReadonlyArray<number | null>, stat?: 'mean' | 'sum' | 'count' | 'nps' | 'top_box'",
    ts_return_type = "any"
)]
pub fn aggregate_daily(
    env: Env,
    dates_: Unknown,
    values: Unknown,
    stat: Option<String>,
) -> napi::Result<Tree> {
    run(&env, || {
        let d = dates(arg(&env, &dates_), "dates")?;
        let v = column(arg(&env, &values), "values")?;
        let st = <series::DailyStat as cxkpi::options::OptionEnum>::parse(
            "stat",
            stat.as_deref().unwrap_or("mean"),
        )?;
        Tree::of(&series::aggregate_daily(&d, &v, st)?)
    })
}

/// A daily series from (date, value) pairs in any order: gaps reported, duplicate dates refused.
#[napi(
    ts_args_type = "dates: ReadonlyArray<string>, values: Float64Array | ReadonlyArray<number | null>",
    ts_return_type = "any"
)]
pub fn daily_series(env: Env, dates_: Unknown, values: Unknown) -> napi::Result<Tree> {
    run(&env, || {
        let d = dates(arg(&env, &dates_), "dates")?;
        let v = column(arg(&env, &values), "values")?;
        if d.len() != v.len() {
            return Err(cxkpi::CxkpiError::LengthMismatch {
                arg: "values".into(),
                len: v.len(),
                other: "dates".into(),
                other_len: d.len(),
            }
            .into());
        }
        let pairs: Vec<_> = d.into_iter().zip(v.iter().copied()).collect();
        Tree::of(&series::DailySeries::from_pairs(&pairs)?)
    })
}
