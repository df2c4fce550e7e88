//! Bindings of core `stats`: reliability (`icc`, `cronbachAlpha`, `measurementError`, `testRetest`),
//! association (`correlation`, `correlationMatrix`, `pAdjust`), regression (`ols`, `shapleyR2`,
//! `logistic`), impact (`tTest`, `did`), survival (`kaplanMeier`, `retentionByCohort`, `hazardByGroup`) and `shrink`.
//!
//! Tables (ratings, items, correlation data) are an array of rows or an object of named columns;
//! predictors `x` are one column, an array of columns or an object of named columns. Options objects use
//! camelCase keys (`pMethod`, `covType`, `confType`, `robustSe`, `maxIter`) and are parsed by the core with
//! serde, so they validate exactly as in Rust and Python. Results are plain objects with camelCase keys.

use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::{Map, Value};

use cxkpi::stats::{
    association, before_after, hazard, impact, logistic, parse_options, regression, reliability,
    shrinkage, survival,
};

use crate::convert::{code_column, column, options, Js, Tree};
use crate::error::{invalid, Res};
use crate::metrics::{arg, opt_arg, run};

fn opts_value(v: Option<Js>) -> Res<(Value, Map<String, Value>)> {
    let m = options(v)?;
    Ok((Value::Object(m.clone()), m))
}

/// A table: array of rows (→ columns) or object of named columns. Returns the columns and their names.
fn table(v: Js, arg_name: &str) -> Res<(Vec<Vec<f64>>, Option<Vec<String>>)> {
    if v.is_array() {
        let n = v.array_len();
        let mut rows: Vec<Vec<f64>> = Vec::with_capacity(n as usize);
        for i in 0..n {
            rows.push(column(v.element(i)?, &format!("{arg_name}[{i}]"))?.into_owned());
        }
        let k = rows.first().map_or(0, |r| r.len());
        for (i, r) in rows.iter().enumerate() {
            if r.len() != k {
                return Err(invalid(
                    arg_name,
                    format!("row {i} has {} values but row 0 has {k}", r.len()),
                ));
            }
        }
        let cols = (0..k)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        return Ok((cols, None));
    }
    if v.type_of() == ValueType::Object {
        let keys = v.keys()?;
        let mut cols = Vec::with_capacity(keys.len());
        for k in &keys {
            cols.push(column(v.property(k)?, &format!("{arg_name}.{k}"))?.into_owned());
        }
        return Ok((cols, Some(keys)));
    }
    Err(invalid(
        arg_name,
        "must be an array of rows or an object of named columns",
    ))
}

/// Predictors: one column, an array of columns, or an object of named columns.
fn predictors(v: Js) -> Res<(Vec<Vec<f64>>, Option<Vec<String>>)> {
    if v.typed_array().is_some() {
        return Ok((vec![column(v, "x")?.into_owned()], None));
    }
    if v.is_array() {
        let n = v.array_len();
        let first_is_number = n > 0 && v.element(0)?.number().is_some();
        if n == 0 || first_is_number {
            return Ok((vec![column(v, "x")?.into_owned()], None));
        }
        let mut cols = Vec::with_capacity(n as usize);
        for j in 0..n {
            cols.push(column(v.element(j)?, &format!("x[{j}]"))?.into_owned());
        }
        return Ok((cols, None));
    }
    table(v, "x")
}

fn refs(cols: &[Vec<f64>]) -> Vec<&[f64]> {
    cols.iter().map(|c| c.as_slice()).collect()
}

/// `options.names` if given, else the names found in the data.
fn with_names(o: &mut Map<String, Value>, found: Option<Vec<String>>) {
    if !o.contains_key("names") {
        if let Some(n) = found {
            o.insert(
                "names".into(),
                Value::Array(n.into_iter().map(Value::String).collect()),
            );
        }
    }
}

fn conf(o: &Map<String, Value>) -> Res<f64> {
    for k in o.keys() {
        if k != "confidence" {
            return Err(invalid(
                "options",
                format!("unknown option `{k}`, expected `confidence`"),
            ));
        }
    }
    match o.get("confidence") {
        None | Some(Value::Null) => Ok(0.95),
        Some(v) => v
            .as_f64()
            .ok_or_else(|| invalid("confidence", "must be a number")),
    }
}

/// All six intraclass correlations: Shrout-Fleiss ICC(1,1), (2,1), (3,1), (1,k), (2,k), (3,k) with their
/// McGraw-Wong names ICC(1), ICC(A,1), ICC(C,1), ICC(k), ICC(A,k), ICC(C,k), F tests and exact intervals.
/// `ratings`: rows = targets, columns = judges (array of rows or object of judge columns).
///
/// @example
/// icc([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]).forms[1].value // 0.2898 (ICC(2,1))
#[napi(
    ts_args_type = "ratings: ReadonlyArray<ReadonlyArray<number> | Float64Array> | Record<string, ReadonlyArray<number> | Float64Array>, options?: { confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn icc(env: Env, ratings: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let (cols, _) = table(arg(&env, &ratings), "ratings")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&reliability::icc(&refs(&cols), &parse_options(&o)?)?)
    })
}

/// Cronbach's alpha with the Feldt interval, standardised alpha and alpha-if-item-deleted. `items`: rows =
/// respondents, columns = items.
#[napi(
    ts_args_type = "items: ReadonlyArray<ReadonlyArray<number> | Float64Array> | Record<string, ReadonlyArray<number> | Float64Array>, options?: { confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn cronbach_alpha(env: Env, items: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let (cols, _) = table(arg(&env, &items), "items")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&reliability::cronbach_alpha(
            &refs(&cols),
            &parse_options(&o)?,
        )?)
    })
}

/// Standard error of measurement sd·sqrt(1 - reliability) and minimal detectable change z·sqrt(2)·SEM.
#[napi(
    ts_args_type = "sd: number, reliability: number, options?: { confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn measurement_error(
    env: Env,
    sd: f64,
    reliability: f64,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let (_, m) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&reliability::measurement_error(sd, reliability, conf(&m)?)?)
    })
}

/// Test-retest reliability of one instrument measured twice: ICC(A,1), ICC(C,1), mean change, SEM, MDC.
#[napi(
    ts_args_type = "test: Float64Array | ReadonlyArray<number>, retest: Float64Array | ReadonlyArray<number>, options?: { confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn test_retest(
    env: Env,
    test: Unknown,
    retest: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &test), "test")?;
        let b = column(arg(&env, &retest), "retest")?;
        let (_, m) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&reliability::test_retest(&a, &b, conf(&m)?)?)
    })
}

/// Pearson (default) or Spearman correlation with its p-value (`pMethod`: `auto`, `t`,
/// `exact_permutation`) and interval (Fisher z; Bonett-Wright for Spearman).
///
/// @example
/// correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], { method: 'spearman' }).pMethod // 'exact_permutation'
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, y: Float64Array | ReadonlyArray<number>, options?: { method?: 'pearson' | 'spearman', pMethod?: 'auto' | 't' | 'exact_permutation', confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn correlation(
    env: Env,
    x: Unknown,
    y: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &x), "x")?;
        let b = column(arg(&env, &y), "y")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&association::correlation(&a, &b, &parse_options(&o)?)?)
    })
}

/// Pairwise correlations of the columns of `data` (array of rows or object of named columns) with Holm and
/// Benjamini-Hochberg adjusted p-values; `options.names` names array-of-rows columns.
#[napi(
    ts_args_type = "data: ReadonlyArray<ReadonlyArray<number> | Float64Array> | Record<string, ReadonlyArray<number> | Float64Array>, options?: { names?: string[], method?: 'pearson' | 'spearman', pMethod?: 'auto' | 't' | 'exact_permutation', confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn correlation_matrix(env: Env, data: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let (cols, found) = table(arg(&env, &data), "data")?;
        let (_, mut m) = opts_value(opt_arg(&env, &options))?;
        let names: Option<Vec<String>> = match m.remove("names") {
            Some(Value::Array(a)) => Some(
                a.into_iter()
                    .map(|v| match v {
                        Value::String(s) => Ok(s),
                        other => Err(invalid("names", format!("must be strings, got {other}"))),
                    })
                    .collect::<Res<Vec<String>>>()?,
            ),
            Some(Value::Null) | None => found,
            Some(_) => return Err(invalid("names", "must be an array of strings")),
        };
        let o = Value::Object(m);
        Tree::of(&association::correlation_matrix(
            &refs(&cols),
            names.as_deref(),
            &parse_options(&o)?,
        )?)
    })
}

/// Multiplicity-adjusted p-values in input order, as R `p.adjust` (`holm` (default),
/// `benjamini_hochberg`/`bh`, `bonferroni`).
#[napi(
    ts_args_type = "p: Float64Array | ReadonlyArray<number>, method?: 'holm' | 'benjamini_hochberg' | 'bh' | 'fdr' | 'bonferroni' | null",
    ts_return_type = "number[]"
)]
pub fn p_adjust(env: Env, p: Unknown, method: Option<String>) -> napi::Result<Tree> {
    run(&env, || {
        let ps = column(arg(&env, &p), "p")?;
        let name = method.clone().unwrap_or_else(|| "holm".into());
        let m: association::PAdjust =
            serde_json::from_value(Value::String(name.clone())).map_err(|_| {
                cxkpi::CxkpiError::UnknownMethod {
                    arg: "method".into(),
                    value: name,
                    expected: "holm, benjamini_hochberg (bh, fdr), bonferroni".into(),
                }
            })?;
        Tree::of(&association::p_adjust(&ps, m)?)
    })
}

/// Ordinary least squares: coefficient table (estimate, se, t, p, interval, standardised), R², adjusted R²,
/// F, log-likelihood, AIC/BIC; `covType` `nonrobust` or `HC0`-`HC3`; `robustSe: true` adds all four HC SEs.
///
/// @example
/// ols(csat, { wait, fcr }, { covType: 'HC3' }).coefficients[1].estimate
#[napi(
    ts_args_type = "y: Float64Array | ReadonlyArray<number>, x: Float64Array | ReadonlyArray<number> | ReadonlyArray<Float64Array | ReadonlyArray<number>> | Record<string, Float64Array | ReadonlyArray<number>>, options?: { names?: string[], intercept?: boolean, covType?: 'nonrobust' | 'HC0' | 'HC1' | 'HC2' | 'HC3', robustSe?: boolean, confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn ols(env: Env, y: Unknown, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let ys = column(arg(&env, &y), "y")?;
        let (cols, found) = predictors(arg(&env, &x))?;
        let (_, mut m) = opts_value(opt_arg(&env, &options))?;
        with_names(&mut m, found);
        let o = Value::Object(m);
        Tree::of(&regression::ols(&ys, &refs(&cols), &parse_options(&o)?)?)
    })
}

/// Driver importance: the Shapley (LMG) decomposition of R² over the predictors.
#[napi(
    ts_args_type = "y: Float64Array | ReadonlyArray<number>, x: ReadonlyArray<Float64Array | ReadonlyArray<number>> | Record<string, Float64Array | ReadonlyArray<number>>, options?: { names?: string[] } | null",
    ts_return_type = "any"
)]
pub fn shapley_r2(
    env: Env,
    y: Unknown,
    x: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let ys = column(arg(&env, &y), "y")?;
        let (cols, found) = predictors(arg(&env, &x))?;
        let (_, mut m) = opts_value(opt_arg(&env, &options))?;
        with_names(&mut m, found);
        let names: Option<Vec<String>> = match m.remove("names") {
            Some(v) => Some(
                serde_json::from_value(v)
                    .map_err(|_| invalid("names", "must be an array of strings"))?,
            ),
            None => None,
        };
        if let Some(k) = m.keys().next() {
            return Err(invalid(
                "options",
                format!("unknown option `{k}`, expected `names`"),
            ));
        }
        Tree::of(&regression::shapley_r2(
            &ys,
            &refs(&cols),
            names.as_deref(),
        )?)
    })
}

/// Logistic regression of a 0/1 outcome (Newton-IRLS) with Wald intervals and odds ratios; separation or
/// any failure to converge throws `CXKPI_NOT_CONVERGED`.
///
/// @example
/// logistic(churned, { sentiment }).coefficients[1].oddsRatio
#[napi(
    ts_args_type = "y: Float64Array | ReadonlyArray<number>, x: Float64Array | ReadonlyArray<number> | ReadonlyArray<Float64Array | ReadonlyArray<number>> | Record<string, Float64Array | ReadonlyArray<number>>, options?: { names?: string[], intercept?: boolean, confidence?: number, tol?: number, maxIter?: number } | null",
    ts_return_type = "any"
)]
pub fn logistic(env: Env, y: Unknown, x: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let ys = column(arg(&env, &y), "y")?;
        let (cols, found) = predictors(arg(&env, &x))?;
        let (_, mut m) = opts_value(opt_arg(&env, &options))?;
        with_names(&mut m, found);
        let o = Value::Object(m);
        Tree::of(&logistic::logistic(&ys, &refs(&cols), &parse_options(&o)?)?)
    })
}

/// Welch (default), Student, paired or one-sample t-test of mean(x) - mean(y).
#[napi(
    ts_args_type = "x: Float64Array | ReadonlyArray<number>, y?: Float64Array | ReadonlyArray<number> | null, options?: { kind?: 'welch' | 'student' | 'paired' | 'one_sample', alternative?: 'two_sided' | 'less' | 'greater', mu?: number, confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn t_test(
    env: Env,
    x: Unknown,
    y: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let xs = column(arg(&env, &x), "x")?;
        let ys = match opt_arg(&env, &y) {
            Some(v) if !v.is_nullish() => Some(column(v, "y")?),
            _ => None,
        };
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&impact::t_test(&xs, ys.as_deref(), &parse_options(&o)?)?)
    })
}

/// Difference-in-differences with 0/1 `treated` and `post` flags; SE from y ~ treated + post +
/// treated·post (`covType` `nonrobust` or `HC0`-`HC3`).
#[napi(
    ts_args_type = "y: Float64Array | ReadonlyArray<number>, treated: Float64Array | ReadonlyArray<number>, post: Float64Array | ReadonlyArray<number>, options?: { covType?: 'nonrobust' | 'HC0' | 'HC1' | 'HC2' | 'HC3', confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn did(
    env: Env,
    y: Unknown,
    treated: Unknown,
    post: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &y), "y")?;
        let b = column(arg(&env, &treated), "treated")?;
        let c = column(arg(&env, &post), "post")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&impact::did(&a, &b, &c, &parse_options(&o)?)?)
    })
}

/// Kaplan-Meier curve with Greenwood SE and `log_log` (default), `log` or `plain` intervals, and the median.
#[napi(
    ts_args_type = "time: Float64Array | ReadonlyArray<number>, event: Float64Array | ReadonlyArray<number>, options?: { confType?: 'log_log' | 'log' | 'plain', confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn kaplan_meier(
    env: Env,
    time: Unknown,
    event: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &time), "time")?;
        let b = column(arg(&env, &event), "event")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&survival::kaplan_meier(&a, &b, &parse_options(&o)?)?)
    })
}

/// A KPI before and after an intervention date: the before window `[intervention - windowBefore,
/// intervention)` and the after window `[intervention + gap, intervention + gap + windowAfter)` (absent: every
/// day on that side). Returns the period move (z test, minimal detectable change, plain words) and Welch's
/// t-test (after - before). `days`: ISO date strings, or days since 1970-01-01 as numbers.
///
/// @example
/// beforeAfter(csat, ['2025-03-01', '2025-03-02', ...], { intervention: '2025-03-05', gap: 2 }).words
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number>, days: ReadonlyArray<string> | Float64Array | ReadonlyArray<number>, options: { intervention: string, windowBefore?: number, windowAfter?: number, gap?: number, alpha?: number, power?: number, units?: string }",
    ts_return_type = "any"
)]
pub fn before_after(
    env: Env,
    values: Unknown,
    days: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &values), "values")?;
        let js = arg(&env, &days);
        let is_text = js.is_array() && js.array_len() > 0 && js.element(0)?.string().is_some();
        let d: Vec<i64> = if is_text {
            let mut text = Vec::with_capacity(js.array_len() as usize);
            for i in 0..js.array_len() {
                text.push(js.element(i)?.string().ok_or_else(|| {
                    invalid("days", format!("element {i} is not an ISO date string"))
                })?);
            }
            before_after::parse_days(&text)?
        } else {
            let col = column(js, "days")?;
            let mut out = Vec::with_capacity(col.len());
            for (i, &v) in col.iter().enumerate() {
                if v.fract() != 0.0 || !v.is_finite() {
                    return Err(invalid(
                        "days",
                        format!("element {i} = {v} is not a whole day number"),
                    ));
                }
                out.push(v as i64);
            }
            out
        };
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&before_after::before_after(&a, &d, &parse_options(&o)?)?)
    })
}

/// Churn hazard by group (e.g. sentiment band): events per unit of follow-up with exact Poisson intervals,
/// rate ratios against `reference` (default: the smallest code) with exact conditional and Wald intervals
/// and the exact conditional p-value, and the log-rank test across groups.
///
/// @example
/// hazardByGroup(months, churned, bandCodes, { reference: 0 }).groups.map(g => g.rateRatio)
#[napi(
    ts_args_type = "time: Float64Array | ReadonlyArray<number>, event: Float64Array | ReadonlyArray<number>, group: Uint32Array | ReadonlyArray<number>, options?: { reference?: number, confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn hazard_by_group(
    env: Env,
    time: Unknown,
    event: Unknown,
    group: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &time), "time")?;
        let b = column(arg(&env, &event), "event")?;
        let g = code_column(arg(&env, &group), "group")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&hazard::hazard_by_group(&a, &b, &g, &parse_options(&o)?)?)
    })
}

/// Retention by signup cohort: share of each cohort still active t periods after signup (null when not
/// yet observable). `churnPeriod` NaN = still active.
#[napi(
    ts_args_type = "cohort: Uint32Array | ReadonlyArray<number>, churnPeriod: Float64Array | ReadonlyArray<number>, observedUntil: number, horizon: number",
    ts_return_type = "any[]"
)]
pub fn retention_by_cohort(
    env: Env,
    cohort: Unknown,
    churn_period: Unknown,
    observed_until: u32,
    horizon: u32,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = code_column(arg(&env, &cohort), "cohort")?;
        let b = column(arg(&env, &churn_period), "churnPeriod")?;
        Tree::of(&survival::retention_by_cohort(
            &a,
            &b,
            observed_until,
            horizon,
        )?)
    })
}

/// Empirical-Bayes shrinkage of group (agent/team) scores toward the prior mean with the ICC (share of
/// variance due to groups); `model` `normal` (scores) or `beta_binomial` (0/1 flags).
///
/// @example
/// shrink(csat, agentCodes).groups.map(g => g.shrunk)
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number>, groups: Uint32Array | ReadonlyArray<number>, options?: { model?: 'normal' | 'beta_binomial', confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn shrink(
    env: Env,
    values: Unknown,
    groups: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a = column(arg(&env, &values), "values")?;
        let g = code_column(arg(&env, &groups), "groups")?;
        let (o, _) = opts_value(opt_arg(&env, &options))?;
        Tree::of(&shrinkage::shrink(&a, &g, &parse_options(&o)?)?)
    })
}
