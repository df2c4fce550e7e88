//! Bindings of core `baseline::{drift, screens, alerts}`: drift measures (`psi`, `ks2samp`,
//! `jensenShannon`, `chiSquare`), manipulation screens (`topBoxInflation`, `lowVariance`,
//! `duplicateVerbatims`, `selectiveFiltering`, `coachingStep`, `screenSignals`) and explained alerts
//! (`alertLadder`, `buildAlerts`).
//!
//! Columns are `Float64Array` / plain arrays (teams and periods `Uint32Array` or arrays of integers);
//! options objects use camelCase keys; documents (rates, coaching events, signals, the ladder) are plain
//! objects whose camelCase keys are turned into the core's snake_case names and parsed by the core with
//! serde, so they validate exactly as in Rust and Python. Results are plain objects with camelCase keys.

use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::{Map, Value};

use cxkpi::baseline::signal::Signal;
use cxkpi::baseline::{alerts, drift, screens};
use cxkpi::stats::parse_options;
use cxkpi::CxkpiError;

use crate::convert::{camel_to_snake, code_column, column, options, Js, Tree};
use crate::error::{invalid, Res};
use crate::metrics::{arg, opt_arg, run};

fn opts(v: Option<Js>) -> Res<Value> {
    Ok(Value::Object(options(v)?))
}

/// camelCase keys -> snake_case, recursively (documents passed from JS).
fn snake_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (camel_to_snake(&k), snake_keys(x)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

fn doc<T: serde::de::DeserializeOwned>(v: Value, arg_name: &str) -> Res<T> {
    serde_json::from_value(snake_keys(v)).map_err(|e| {
        CxkpiError::InvalidArgument {
            arg: arg_name.to_string(),
            message: e.to_string(),
        }
        .into()
    })
}

fn texts(v: Js) -> Res<Vec<Option<String>>> {
    if !v.is_array() {
        return Err(invalid("texts", "must be an array of strings (or null)"));
    }
    let n = v.array_len();
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let e = v.element(i)?;
        if e.is_nullish() {
            out.push(None);
        } else if let Some(s) = e.string() {
            out.push(Some(s));
        } else {
            return Err(invalid(&format!("texts[{i}]"), "must be a string or null"));
        }
    }
    Ok(out)
}

/// Population stability index Σ (c − r)·ln(c / r) of `current` against `reference`. `binning`:
/// `quantiles` (default, `bins` type-7 quantile bins of the reference), `edges` (interior `edges`:
/// (−∞, e1), [e1, e2), …, [ek, ∞)) or `categories`; `zeroPolicy`: `epsilon` (default; a zero share becomes
/// `epsilon` = 1e-4, recorded) or `error`.
///
/// @example
/// psi([1, 1, 2, 3], [1, 2, 3, 3], { binning: 'categories' }).psi
#[napi(
    ts_args_type = "reference: Float64Array | ReadonlyArray<number>, current: Float64Array | ReadonlyArray<number>, options?: { binning?: 'quantiles' | 'edges' | 'categories', bins?: number, edges?: ReadonlyArray<number>, zeroPolicy?: 'epsilon' | 'error', epsilon?: number } | null",
    ts_return_type = "any"
)]
pub fn psi(
    env: Env,
    reference: Unknown,
    current: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &reference), "reference")?;
        let b = column(arg(&env, &current), "current")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&drift::psi(&a, &b, &parse_options(&o)?)?)
    })
}

/// Two-sample Kolmogorov-Smirnov test: D and its two-sided p, `method` `exact` (lattice paths, as scipy
/// `method='exact'`), `asymp` (Smirnov's limiting distribution) or `auto` (exact when n·m ≤ 1e6); the
/// method used is recorded.
#[napi(
    js_name = "ks2samp",
    ts_args_type = "reference: Float64Array | ReadonlyArray<number>, current: Float64Array | ReadonlyArray<number>, options?: { method?: 'auto' | 'exact' | 'asymp' } | null",
    ts_return_type = "any"
)]
pub fn ks_2samp(
    env: Env,
    reference: Unknown,
    current: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &reference), "reference")?;
        let b = column(arg(&env, &current), "current")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&drift::ks_2samp(&a, &b, &parse_options(&o)?)?)
    })
}

/// Jensen-Shannon distance √JSD of two count (or share) vectors; `base` `'2'` (bits, default) or `'e'`.
///
/// @example
/// jensenShannon([1, 0], [0, 1]).distance // 1
#[napi(
    ts_args_type = "p: Float64Array | ReadonlyArray<number>, q: Float64Array | ReadonlyArray<number>, options?: { base?: '2' | 'e' } | null",
    ts_return_type = "any"
)]
pub fn jensen_shannon(
    env: Env,
    p: Unknown,
    q: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &p), "p")?;
        let b = column(arg(&env, &q), "q")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&drift::jensen_shannon(&a, &b, &parse_options(&o)?)?)
    })
}

/// Chi-square test of homogeneity of the rows of a table of counts (array of rows) with Cramér's V;
/// `yates` (2 × 2 continuity correction), `biasCorrected` (Bergsma's V).
#[napi(
    ts_args_type = "table: ReadonlyArray<ReadonlyArray<number> | Float64Array>, options?: { yates?: boolean, biasCorrected?: boolean } | null",
    ts_return_type = "any"
)]
pub fn chi_square(env: Env, table: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let t = arg(&env, &table);
        if !t.is_array() {
            return Err(invalid("table", "must be an array of rows"));
        }
        let mut rows = Vec::with_capacity(t.array_len() as usize);
        for i in 0..t.array_len() {
            rows.push(column(t.element(i)?, &format!("table[{i}]"))?.into_owned());
        }
        let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&drift::chi_square(&refs, &parse_options(&o)?)?)
    })
}

/// Top-box inflation: each team's top-box share (score ≥ `topMin`, default 9) against the pooled rest,
/// one-sided (`test` `fisher_exact` or `z`), with Holm and BH adjusted p; `flagged` by `adjust` at `alpha`.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number>, teams: Uint32Array | ReadonlyArray<number>, options?: { topMin?: number, test?: 'fisher_exact' | 'z', adjust?: 'holm' | 'benjamini_hochberg', alpha?: number, teamLabels?: string[] } | null",
    ts_return_type = "any"
)]
pub fn top_box_inflation(
    env: Env,
    scores: Unknown,
    teams: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let t = code_column(arg(&env, &teams), "teams")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&screens::top_box_inflation(&s, &t, &parse_options(&o)?)?)
    })
}

/// Unusually low variance: each team's spread against the pooled rest, one-sided (`test`
/// `brown_forsythe` (default), `levene` or `f_ratio`); effect = variance ratio.
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number>, teams: Uint32Array | ReadonlyArray<number>, options?: { test?: 'brown_forsythe' | 'levene' | 'f_ratio', adjust?: 'holm' | 'benjamini_hochberg', alpha?: number, teamLabels?: string[] } | null",
    ts_return_type = "any"
)]
pub fn low_variance(
    env: Env,
    values: Unknown,
    teams: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &values), "values")?;
        let t = code_column(arg(&env, &teams), "teams")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&screens::low_variance(&s, &t, &parse_options(&o)?)?)
    })
}

/// Duplicated verbatims (identical after NFKC, lower case, punctuation to spaces) and near-duplicates
/// (Jaccard of character `shingle`-grams ≥ `threshold`; `candidates` `all_pairs` or `minhash_lsh`,
/// verified exactly) as clusters of row indices; with `teams`, each team's clustered share against the rest.
#[napi(
    ts_args_type = "texts: ReadonlyArray<string | null>, teams?: Uint32Array | ReadonlyArray<number> | null, options?: { shingle?: number, threshold?: number, minChars?: number, candidates?: 'auto' | 'all_pairs' | 'minhash_lsh', bands?: number, rowsPerBand?: number, seed?: number, adjust?: 'holm' | 'benjamini_hochberg', alpha?: number, teamLabels?: string[] } | null",
    ts_return_type = "any"
)]
pub fn duplicate_verbatims(
    env: Env,
    texts_in: Unknown,
    teams: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let tx = texts(arg(&env, &texts_in))?;
        let refs: Vec<Option<&str>> = tx.iter().map(|s| s.as_deref()).collect();
        let t = match opt_arg(&env, &teams) {
            Some(v) if !v.is_nullish() => Some(code_column(v, "teams")?.into_owned()),
            _ => None,
        };
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&screens::duplicate_verbatims(
            &refs,
            t.as_deref(),
            &parse_options(&o)?,
        )?)
    })
}

/// Selective filtering: a rise in scores (after vs before, Welch one-sided) together with a fall in the
/// team's invitation / response rate (pooled z one-sided); p = the larger (intersection-union). `period`:
/// 0 before, 1 after; `rates`: `[{ team, beforeNumerator, beforeDenominator, afterNumerator,
/// afterDenominator }]`.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number>, teams: Uint32Array | ReadonlyArray<number>, period: Uint32Array | ReadonlyArray<number>, rates: ReadonlyArray<{ team: number, beforeNumerator: number, beforeDenominator: number, afterNumerator: number, afterDenominator: number }>, options?: { adjust?: 'holm' | 'benjamini_hochberg', alpha?: number, teamLabels?: string[] } | null",
    ts_return_type = "any"
)]
pub fn selective_filtering(
    env: Env,
    scores: Unknown,
    teams: Unknown,
    period: Unknown,
    rates: Value,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let t = code_column(arg(&env, &teams), "teams")?;
        let p = code_column(arg(&env, &period), "period")?;
        let r: Vec<screens::PeriodRates> = doc(rates, "rates")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&screens::selective_filtering(
            &s,
            &t,
            &p,
            &r,
            &parse_options(&o)?,
        )?)
    })
}

/// A step right after each coaching `events` entry (`{ team, day }`): the team's rows in
/// [day − windowBefore, day) and [day, day + windowAfter) against teams not coached in that window, as a
/// difference-in-differences with its regression SE (`covType` `nonrobust` or `HC0`-`HC3`).
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number>, teams: Uint32Array | ReadonlyArray<number>, day: Float64Array | ReadonlyArray<number>, events: ReadonlyArray<{ team: number, day: number }>, options?: { windowBefore?: number, windowAfter?: number, covType?: string, adjust?: 'holm' | 'benjamini_hochberg', alpha?: number, teamLabels?: string[] } | null",
    ts_return_type = "any"
)]
pub fn coaching_step(
    env: Env,
    values: Unknown,
    teams: Unknown,
    day: Unknown,
    events: Value,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &values), "values")?;
        let t = code_column(arg(&env, &teams), "teams")?;
        let d = column(arg(&env, &day), "day")?;
        let ev: Vec<screens::CoachingEvent> = doc(events, "events")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&screens::coaching_step(
            &s,
            &t,
            &d,
            &ev,
            &parse_options(&o)?,
        )?)
    })
}

/// The flagged findings of a screen result (as returned by a screen function) as signals for
/// `buildAlerts`.
#[napi(ts_args_type = "result: Record<string, any>", ts_return_type = "any[]")]
pub fn screen_signals(env: Env, result: Value) -> napi::Result<Tree> {
    run(&env, || {
        let v = snake_keys(result);
        let s: Vec<Signal> = if v.get("clusters").is_some() {
            doc::<screens::DuplicateResult>(v, "result")?.signals()
        } else {
            doc::<screens::ScreenResult>(v, "result")?.signals()
        };
        Tree::of(&s)
    })
}

fn ladder_of(v: Value) -> Res<alerts::AlertLadder> {
    Ok(match v {
        Value::String(text) => {
            if text.trim_start().starts_with('{') {
                alerts::AlertLadder::from_json(&text)?
            } else {
                alerts::AlertLadder::from_toml(&text)?
            }
        }
        Value::Null => alerts::AlertLadder::default(),
        other => alerts::AlertLadder::from_value(&snake_keys(other))?,
    })
}

/// Parses and validates an escalation ladder (an object, or TOML / JSON text); returns it as an object.
#[napi(
    ts_args_type = "ladder: string | Record<string, any>",
    ts_return_type = "any"
)]
pub fn alert_ladder(env: Env, ladder: Value) -> napi::Result<Tree> {
    run(&env, || Tree::of(&ladder_of(ladder)?))
}

/// Explained, escalated alerts from signals (objects with the core's `Signal` fields, e.g. from
/// `screenSignals` or a chart) and a ladder (object or TOML/JSON text; null = the default four-level
/// ladder). Options: `kpi`, `unit`, `dates` (names of the positions), `raisedAt` (acknowledgement deadlines),
/// `minLevel`, `decimals`.
#[napi(
    ts_args_type = "signals: ReadonlyArray<Record<string, any>>, ladder?: string | Record<string, any> | null, options?: { kpi?: string, unit?: string, dates?: string[], raisedAt?: string, minLevel?: number, decimals?: number } | null",
    ts_return_type = "any"
)]
pub fn build_alerts(
    env: Env,
    signals: Value,
    ladder: Option<Value>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s: Vec<Signal> = doc(signals, "signals")?;
        let l = ladder_of(ladder.unwrap_or(Value::Null))?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&alerts::build_alerts(&s, &l, &parse_options(&o)?)?)
    })
}
