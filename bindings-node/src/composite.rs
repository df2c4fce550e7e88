//! Bindings of core `composite`: the `Scorecard` class (`fromJson`, `fromToml`, `fromObject`) with
//! `evaluate` (returning a `ScorecardResult` with `toObject`, `toRows`, `explain`), `sensitivity`,
//! `balance`, `redundancy`, `myopia`; and the functions `compositeNormalise`, `compositeAggregate`,
//! `compositeSlopeTest`, `suggestWeights`.
//!
//! A scorecard object uses the document's own snake_case keys (the same JSON document in Rust, Python and
//! Node; KPI, node and unit ids are data and are never renamed). Values are `{ unit, kpi, period, value,
//! numerator?, denominator? }` columns or `{ unit: { kpi: value } }`. Results are plain objects with camelCase
//! field names; maps keyed by ids keep the ids as given.

use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use cxkpi::composite as cc;
use cxkpi::options::{OptionReader, Options};
use cxkpi::CxkpiError;

use crate::convert::{column, options, Tree};
use crate::error::{guard, js, Res};
use crate::metrics::{arg, opt_arg};

fn inv(arg: &str, message: impl Into<String>) -> CxkpiError {
    CxkpiError::InvalidArgument {
        arg: arg.into(),
        message: message.into(),
    }
}

fn values_of(v: &Value) -> Res<cc::Observations> {
    Ok(cc::Observations::from_value(v)?)
}

/// A balanced scorecard, validated by the core: KPIs with thresholds or goals, the tree of perspectives
/// and objectives, units, policies, balance rules and myopia links (see docs/scorecard.md).
///
/// @example
/// const sc = Scorecard.fromToml(fs.readFileSync('scorecard.toml', 'utf8'))
/// const r = sc.evaluate({ north: { nps: 32, aht: 410 } })
/// r.explain('north', 'aht')
#[napi]
pub struct Scorecard {
    inner: cc::Scorecard,
}

/// The evaluation of a scorecard: per unit the composite, status, rank and every KPI and node with the
/// chain raw -> normalised -> score -> weight -> contribution; roll-ups; policies; row counts.
#[napi]
pub struct ScorecardResult {
    inner: cc::ScorecardResult,
}

#[napi]
impl Scorecard {
    /// Reads and validates a scorecard from JSON text.
    #[napi(factory)]
    pub fn from_json(env: Env, text: String) -> napi::Result<Scorecard> {
        js(
            &env,
            guard(|| {
                Ok(Scorecard {
                    inner: cc::Scorecard::from_json(&text)?,
                })
            }),
        )
    }

    /// Reads and validates a scorecard from TOML text.
    #[napi(factory)]
    pub fn from_toml(env: Env, text: String) -> napi::Result<Scorecard> {
        js(
            &env,
            guard(|| {
                Ok(Scorecard {
                    inner: cc::Scorecard::from_toml(&text)?,
                })
            }),
        )
    }

    /// Reads and validates a scorecard from an object with the document's snake_case keys.
    #[napi(factory, ts_args_type = "doc: Record<string, unknown>")]
    pub fn from_object(env: Env, doc: Value) -> napi::Result<Scorecard> {
        js(
            &env,
            guard(|| {
                Ok(Scorecard {
                    inner: cc::Scorecard::from_value(&doc)?,
                })
            }),
        )
    }

    /// Scorecard id.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// Definition version.
    #[napi(getter)]
    pub fn version(&self) -> String {
        self.inner.version.clone()
    }

    /// The normalised document as JSON text (every default filled in).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The normalised document as an object (snake_case document keys).
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn to_object(&self, env: Env) -> napi::Result<Tree> {
        js(&env, guard(|| Tree::of_raw(&self.inner)))
    }

    /// Scores every unit. `values`: columns `{ unit, kpi, period?, value?, numerator?, denominator? }` or
    /// `{ unit: { kpi: value } }` / `{ unit: { kpi: { period: value } } }`; `options`: `{ asOf }`.
    #[napi(ts_args_type = "values: Record<string, any>, options?: { asOf?: string }")]
    pub fn evaluate(
        &self,
        env: Env,
        values: Value,
        options: Option<Unknown>,
    ) -> napi::Result<ScorecardResult> {
        let o = opt_arg(&env, &options);
        js(
            &env,
            guard(|| {
                let opts = cc::EvaluateOptions::from_options(&self::options(o)?)?;
                let r = self.inner.evaluate(&values_of(&values)?, &opts)?;
                Ok(ScorecardResult { inner: r })
            }),
        )
    }

    /// Monte Carlo (seeded Pcg64) or exact sensitivity of every unit's composite, rank and status.
    /// `options`: `{ draws, seed, weightSpread, aggregations, normalisations, exact, asOf }`.
    #[napi(
        ts_args_type = "values: Record<string, any>, options?: { draws?: number, seed?: number, weightSpread?: number, aggregations?: string[], normalisations?: string[], exact?: boolean, asOf?: string }",
        ts_return_type = "{ draws: number, exact: boolean, units: Record<string, Record<string, any>>, [key: string]: any }"
    )]
    pub fn sensitivity(
        &self,
        env: Env,
        values: Value,
        options: Option<Unknown>,
    ) -> napi::Result<Tree> {
        let o = opt_arg(&env, &options);
        js(
            &env,
            guard(|| {
                let opts = cc::SensitivityOptions::from_options(&self::options(o)?)?;
                Tree::of(&cc::sensitivity(&self.inner, &values_of(&values)?, &opts)?)
            }),
        )
    }

    /// Share of weight per perspective and leading/lagging, with the broken balance rules.
    #[napi(
        ts_return_type = "{ kpiWeights: Record<string, number>, perspectiveShares: Record<string, number>, indicatorShares: Record<string, number>, warnings: Array<Record<string, any>> }"
    )]
    pub fn balance(&self, env: Env) -> napi::Result<Tree> {
        js(&env, guard(|| Tree::of(&cc::balance(&self.inner)?)))
    }

    /// Correlation matrix of the KPIs over history and the flagged pairs.
    #[napi(
        ts_args_type = "values: Record<string, any>",
        ts_return_type = "{ kpis: string[], matrix: Array<Array<number | null>>, flagged: Array<Record<string, any>>, [key: string]: any }"
    )]
    pub fn redundancy(&self, env: Env, values: Value) -> napi::Result<Tree> {
        js(
            &env,
            guard(|| Tree::of(&cc::redundancy(&self.inner, &values_of(&values)?)?)),
        )
    }

    /// Units where a KPI improved while its linked KPI worsened.
    #[napi(
        ts_args_type = "values: Record<string, any>",
        ts_return_type = "Array<Record<string, any>>"
    )]
    pub fn myopia(&self, env: Env, values: Value) -> napi::Result<Tree> {
        js(
            &env,
            guard(|| Tree::of(&cc::myopia(&self.inner, &values_of(&values)?)?)),
        )
    }
}

#[napi]
impl ScorecardResult {
    /// The whole result as a plain object (camelCase field names; ids kept as given).
    #[napi(
        ts_return_type = "{ scorecardId: string, version: string, root: string, units: Record<string, Record<string, any>>, rollups: Record<string, any>, policies: Record<string, any>, counts: Record<string, number>, [key: string]: any }"
    )]
    pub fn to_object(&self, env: Env) -> napi::Result<Tree> {
        js(&env, guard(|| Tree::of(&self.inner)))
    }

    /// unit id -> composite (null when undefined).
    #[napi(ts_return_type = "Record<string, number | null>")]
    pub fn composites(&self, env: Env) -> napi::Result<Tree> {
        js(
            &env,
            guard(|| {
                let m: std::collections::BTreeMap<&str, Option<f64>> = self
                    .inner
                    .units
                    .iter()
                    .map(|(u, r)| (u.as_str(), r.composite))
                    .collect();
                Tree::of(&m)
            }),
        )
    }

    /// One row per (unit, KPI or node): the table form (Python's `to_frame()`).
    #[napi(ts_return_type = "Array<Record<string, any>>")]
    pub fn to_rows(&self, env: Env) -> napi::Result<Tree> {
        js(
            &env,
            guard(|| {
                #[derive(serde::Serialize)]
                struct Row<'a> {
                    unit: &'a str,
                    id: &'a str,
                    #[serde(flatten)]
                    item: &'a cc::ItemResult,
                }
                let rows: Vec<Row<'_>> = self
                    .inner
                    .units
                    .iter()
                    .flat_map(|(u, r)| {
                        r.items.iter().map(move |(i, it)| Row {
                            unit: u,
                            id: i,
                            item: it,
                        })
                    })
                    .collect();
                Tree::of(&rows)
            }),
        )
    }

    /// The chain from `kpi` (a KPI or node id) of `unit` up to the root, one step per level.
    #[napi(
        ts_return_type = "Array<{ id: string, kind: string, score: number | null, contribution: number | null, text: string, [key: string]: any }>"
    )]
    pub fn explain(&self, env: Env, unit: String, kpi: String) -> napi::Result<Tree> {
        js(&env, guard(|| Tree::of(&self.inner.explain(&unit, &kpi)?)))
    }
}

fn read_enum<E: cxkpi::options::OptionEnum + Default>(
    r: &mut OptionReader<'_>,
    key: &str,
) -> Res<E> {
    Ok(r.enumeration(key)?.unwrap_or_default())
}

/// Benchmarking normalisation of one column (COINr n_minmax, n_zscore, n_rank, n_goalposts, n_dist2targ,
/// n_dist2max equivalents). `options`: `{ method, direction, zeroRange, goalposts: [l, u], target }`.
/// Missing values (NaN) stay missing (null).
#[napi(
    ts_args_type = "x: Float64Array | number[], options?: { method?: string, direction?: string, zeroRange?: string, goalposts?: [number, number], target?: number }",
    ts_return_type = "{ values: Array<number | null>, method: string }"
)]
pub fn composite_normalise(env: Env, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let xs = column(arg(&env, &x), "x")?;
            let o: Options = self::options(opt_arg(&env, &options))?;
            let v = cc::json::normalise_value(&xs, &o)?;
            Tree::of(&v)
        }),
    )
}

/// Weighted arithmetic, geometric or harmonic mean (COINr a_amean, a_gmean, a_hmean) with missing and zero
/// policies. `options`: `{ method, missing, zero }`. Returns `{ value: number | null, method }`.
#[napi(
    ts_args_type = "values: Float64Array | number[], weights: Float64Array | number[], options?: { method?: string, missing?: string, zero?: string }",
    ts_return_type = "{ value: number | null, method: string }"
)]
pub fn composite_aggregate(
    env: Env,
    values: Unknown,
    weights: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let v = column(arg(&env, &values), "values")?;
            let w = column(arg(&env, &weights), "weights")?;
            let o: Options = self::options(opt_arg(&env, &options))?;
            Tree::of(&cc::json::aggregate_value(&v, &w, &o)?)
        }),
    )
}

/// OLS slope of `y` over periods 0..n-1 with a one-sided t-test in the KPI's direction.
/// `options`: `{ direction: 'higher' | 'lower', alpha }`.
#[napi(
    ts_args_type = "y: Float64Array | number[], options?: { direction?: string, alpha?: number }",
    ts_return_type = "{ slope: number, se: number | null, t: number | null, df: number, pImproving: number, pWorsening: number, verdict: string }"
)]
pub fn composite_slope_test(env: Env, y: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let ys = column(arg(&env, &y), "y")?;
            let o: Options = self::options(opt_arg(&env, &options))?;
            let mut r = OptionReader::new(&o);
            let direction: cc::KpiDirection = read_enum(&mut r, "direction")?;
            let alpha = r.f64("alpha")?.unwrap_or(0.05);
            r.finish()?;
            if !(alpha > 0.0 && alpha < 1.0) {
                return Err(inv("alpha", format!("must lie in (0, 1), got {alpha}")).into());
            }
            if direction == cc::KpiDirection::Closer {
                return Err(inv("direction", "the slope test needs higher or lower").into());
            }
            Tree::of(&cc::slope_test(&ys, direction, alpha)?)
        }),
    )
}

/// OLS of `outcome` on the components (`{ name: values }`) and the Shapley (LMG) decomposition of R²;
/// `weights` are the Shapley shares divided by R².
#[napi(
    ts_args_type = "components: Record<string, number[]>, outcome: number[]",
    ts_return_type = "{ names: string[], coefficients: number[], stdErrors: number[], rSquared: number, shapley: number[], weights: number[], [key: string]: any }"
)]
pub fn suggest_weights(env: Env, components: Value, outcome: Value) -> napi::Result<Tree> {
    js(
        &env,
        guard(|| {
            let v = cc::json::suggest_weights_value(&components, &outcome)?;
            let s: cc::WeightSuggestion =
                serde_json::from_value(v).map_err(|e| inv("result", e.to_string()))?;
            Tree::of(&s)
        }),
    )
}
