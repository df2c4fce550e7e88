//! Bindings of core `governance`: definition registries (`registry`, `definitionInForce`,
//! `definitionHistory`, `retireDefinition`, `stampResult`) and scale bridges (`fitBridge`, `applyBridge`,
//! `bridgeSeries`).
//!
//! A registry is an object with the document's own snake_case keys (as `registry` and `retireDefinition`
//! return it) or JSON / TOML text, parsed and validated by the core with serde. Overlap answers and values
//! to bridge are `Float64Array`s (borrowed, no copy) or arrays of numbers (`null` = missing); bridged values
//! come back as a `Float64Array`. Other results are plain objects with camelCase keys.

use napi::bindgen_prelude::Float64Array;
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use cxkpi::governance::{json as gj, Registry};

use crate::convert::{column, object, opt_column, Tree};
use crate::error::{guard, js, Res};
use crate::metrics::{arg, opt_arg, run};
use crate::quality::{doc_value, strings};

fn registry_of(v: Value) -> Res<Registry> {
    Ok(Registry::from_value(&doc_value(
        v,
        "registry",
        gj::registry_from_text,
    )?)?)
}

/// Reads and validates a registry of versioned, effective-dated definitions (an object with the document's
/// snake_case keys, or JSON / TOML text; format in docs/governance.md); returns the normalised document.
///
/// @example
/// const reg = registry({ definitions: [{ id: 'nps', version: 1, effective_from: '2025-01-01', status: 'active', owner: 'cx' }] })
/// reg.definitions[0].kind // 'metric'
#[napi(
    ts_args_type = "doc: string | Record<string, any>",
    ts_return_type = "Record<string, any>"
)]
pub fn registry(env: Env, doc: Value) -> napi::Result<Tree> {
    run(&env, || Tree::of_raw(&registry_of(doc)?))
}

/// The version of definition `id` in force on `date` (ISO date; intervals are [effectiveFrom,
/// effectiveTo)): `version` and the `definition`, or `version: null` with a `reason` (`before_first`,
/// `retired`, `ended`, `gap`). An unknown id is a `CXKPI_INVALID_ARGUMENT` error.
///
/// @example
/// definitionInForce(reg, 'nps', '2026-01-01').version // 2
#[napi(
    ts_args_type = "registry: string | Record<string, any>, id: string, date: string",
    ts_return_type = "{ id: string, date: string, version: number | null, status: string | null, reason: string, definition: Record<string, any> | null }"
)]
pub fn definition_in_force(
    env: Env,
    registry: Value,
    id: String,
    date: String,
) -> napi::Result<Tree> {
    run(&env, || {
        Tree::of(&registry_of(registry)?.in_force(&id, &date)?)
    })
}

/// Every version of definition `id`, drafts and retired ones included, in version order.
///
/// @example
/// definitionHistory(reg, 'nps').map((d) => d.version) // [1, 2]
#[napi(
    ts_args_type = "registry: string | Record<string, any>, id: string",
    ts_return_type = "Array<Record<string, any>>"
)]
pub fn definition_history(env: Env, registry: Value, id: String) -> napi::Result<Tree> {
    run(&env, || {
        let r = registry_of(registry)?;
        let h = r.history(&id)?;
        Tree::of(&h)
    })
}

/// A new registry (the document, snake_case keys) with `id` retired from `date` on; its history stays
/// readable.
///
/// @example
/// const next = retireDefinition(reg, 'nps', '2026-06-01', 'cfo', 'replaced by nps-v3')
/// definitionInForce(next, 'nps', '2026-06-01').reason // 'retired'
#[napi(
    ts_args_type = "registry: string | Record<string, any>, id: string, date: string, approver: string, reason: string",
    ts_return_type = "Record<string, any>"
)]
pub fn retire_definition(
    env: Env,
    registry: Value,
    id: String,
    date: String,
    approver: String,
    reason: String,
) -> napi::Result<Tree> {
    run(&env, || {
        Tree::of_raw(&registry_of(registry)?.retire(&id, &date, &approver, &reason)?)
    })
}

/// The stamp of a result computed for `date`: the definition version in force, its status and validity, and
/// the `lineage` (`{ sourceSystems, transformations, exclusionRules }`, optional).
///
/// @example
/// stampResult(reg, 'nps', '2026-03-31', { sourceSystems: ['survey-tool'] }).version // 2
#[napi(
    ts_args_type = "registry: string | Record<string, any>, id: string, date: string, lineage?: { sourceSystems?: ReadonlyArray<string>, transformations?: ReadonlyArray<string>, exclusionRules?: ReadonlyArray<Record<string, any>> } | null",
    ts_return_type = "{ definition: string, version: number, kind: string, status: string, asOf: string, effectiveFrom: string, effectiveTo: string | null, owner: string, approver: string | null, lineage: { sourceSystems: string[], transformations: string[], exclusionRules: Array<Record<string, any>> } }"
)]
pub fn stamp_result(
    env: Env,
    registry: Value,
    id: String,
    date: String,
    lineage: Option<Unknown>,
) -> napi::Result<Tree> {
    let l = opt_arg(&env, &lineage);
    run(&env, || {
        let lin = match l {
            Some(v) if !v.is_nullish() => Value::Object(object(Some(v), "lineage")?),
            _ => Value::Null,
        };
        let reg = doc_value(registry, "registry", gj::registry_from_text)?;
        Tree::of(&gj::stamp_value(&reg, &id, &date, Some(&lin))?)
    })
}

/// Fits a bridge across an instrument change: `method` `'linear'` (scale endpoints), `'mean_sigma'` or
/// `'equipercentile'` (from overlap answers `oldAnswers` on the old instrument and `newAnswers` on the new one;
/// `Float64Array` borrowed or arrays of numbers, `null`/NaN = missing); scales as `[min, max]`. Returns the
/// fitted bridge (its `table` maps every old scale point), which `applyBridge` and `bridgeSeries` take.
///
/// @example
/// const b = fitBridge('linear', [1, 5], [1, 7])
/// b.table[2].to // 4
#[napi(
    ts_args_type = "method: 'linear' | 'mean_sigma' | 'equipercentile', fromScale: [number, number] | { min: number, max: number }, toScale: [number, number] | { min: number, max: number }, oldAnswers?: Float64Array | ReadonlyArray<number | null> | null, newAnswers?: Float64Array | ReadonlyArray<number | null> | null",
    ts_return_type = "{ method: string, fromScale: { min: number, max: number }, toScale: { min: number, max: number }, table: Array<{ from: number, to: number, percentileRank?: number | null }>, [key: string]: any }"
)]
pub fn fit_bridge(
    env: Env,
    method: String,
    from_scale: Value,
    to_scale: Value,
    old_answers: Option<Unknown>,
    new_answers: Option<Unknown>,
) -> napi::Result<Tree> {
    let (o, n) = (opt_arg(&env, &old_answers), opt_arg(&env, &new_answers));
    run(&env, || {
        let o = opt_column(o, "old")?;
        let n = opt_column(n, "new")?;
        Tree::of(&gj::fit_bridge(
            &method,
            &from_scale,
            &to_scale,
            o.as_deref(),
            n.as_deref(),
        )?)
    })
}

fn bridge_of(v: Option<crate::convert::Js>) -> Res<cxkpi::governance::Bridge> {
    Ok(gj::bridge_from_value(&Value::Object(object(v, "bridge")?))?)
}

/// Maps old-scale values through a fitted bridge (from `fitBridge`); NaN/`null` stay missing (NaN). A
/// `Float64Array` is read without a copy; the result is a new `Float64Array`.
///
/// @example
/// applyBridge(fitBridge('linear', [1, 5], [1, 7]), Float64Array.from([1, 3, NaN])) // Float64Array [1, 4, NaN]
#[napi(
    ts_args_type = "bridge: Record<string, any>, values: Float64Array | ReadonlyArray<number | null>"
)]
pub fn apply_bridge(env: Env, bridge: Unknown, values: Unknown) -> napi::Result<Float64Array> {
    let (b, v) = (arg(&env, &bridge), arg(&env, &values));
    js(
        &env,
        guard(|| {
            let b = bridge_of(Some(b))?;
            let x = column(v, "values")?;
            Ok(Float64Array::new(b.apply_all(&x)?))
        }),
    )
}

/// A series put on the new scale: `values[i]` of period `periods[i]`; periods before `breakPeriod` are
/// bridged, the break is marked (`breakBefore`).
///
/// @example
/// bridgeSeries(fitBridge('linear', [1, 5], [1, 7]), ['Q1', 'Q2'], [4, 5.5], 'Q2').points[1].breakBefore // true
#[napi(
    ts_args_type = "bridge: Record<string, any>, periods: ReadonlyArray<string>, values: Float64Array | ReadonlyArray<number | null>, breakPeriod: string",
    ts_return_type = "{ method: string, breakPeriod: string, points: Array<{ period: string, raw: number | null, value: number | null, instrument: 'old' | 'new', bridged: boolean, breakBefore: boolean }> }"
)]
pub fn bridge_series(
    env: Env,
    bridge: Unknown,
    periods: Unknown,
    values: Unknown,
    break_period: String,
) -> napi::Result<Tree> {
    let (b, p, v) = (arg(&env, &bridge), arg(&env, &periods), arg(&env, &values));
    run(&env, || {
        let b = bridge_of(Some(b))?;
        let periods = strings(p, "periods")?;
        let x = column(v, "values")?;
        Tree::of(&b.bridge_series(&periods, &x, &break_period)?)
    })
}
