//! Bindings of core `metrics`: NPS, top-box shares, means and CES, churn, sentiment, comparisons, sample
//! size, grouped metrics (each heavy call also as a promise computed off the event loop) and mergeable
//! partials as plain JSON objects.

use napi::bindgen_prelude::{AsyncTask, Task};
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::convert::{
    self, code_columns, column, count, labels, number, object, opt_column, string, Js, Tree,
};
use crate::error::{guard, invalid, js, to_js_error, Failure, Res};

pub(crate) fn arg(env: &Env, v: &Unknown<'_>) -> Js {
    Js::new(env, v)
}

pub(crate) fn opt_arg(env: &Env, v: &Option<Unknown<'_>>) -> Option<Js> {
    v.as_ref().map(|v| Js::new(env, v))
}

/// Runs a synchronous binding body: panics caught, failures thrown as `CXKPI_*` errors.
pub(crate) fn run(env: &Env, f: impl FnOnce() -> Res<Tree>) -> napi::Result<Tree> {
    js(env, guard(f))
}

/// Deserialises a result or partial object passed back from JS (camelCase keys) into a core type.
fn from_object<T: serde::de::DeserializeOwned>(
    map: Map<String, Value>,
    arg: &str,
    what: &str,
) -> Res<T> {
    serde_json::from_value(Value::Object(map))
        .map_err(|e| invalid(arg, format!("is not a valid {what}: {e}")))
}

// ------------------------------------------------------------------------------------------------------
// async machinery

pub(crate) type Work = Box<dyn FnOnce() -> Res<Tree> + Send>;

/// A computation run on the libuv thread pool. Argument errors found while preparing it are carried
/// through so that the promise rejects (never throws synchronously).
pub struct Job {
    work: Option<Res<Work>>,
}

impl Task for Job {
    type Output = Res<Tree>;
    type JsValue = Tree;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.work.take() {
            Some(Ok(work)) => guard(work),
            Some(Err(f)) => Err(f),
            None => Err(Failure::Panic("task computed twice".into())),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Tree> {
        output.map_err(|f| to_js_error(&env, f))
    }
}

/// Prepares the owned inputs on the JS thread (copying columns) and returns the task.
pub(crate) fn spawn(prepare: impl FnOnce() -> Res<Work>) -> AsyncTask<Job> {
    let work = guard(prepare);
    AsyncTask::new(Job { work: Some(work) })
}

// ------------------------------------------------------------------------------------------------------
// NPS

fn nps_core(scores: &[f64], weights: Option<&[f64]>, o: &Map<String, Value>) -> Res<Tree> {
    let opts = cxkpi::NpsOptions::from_options(o)?;
    Tree::of(&cxkpi::nps(scores, weights, &opts)?)
}

/// Net Promoter Score of 0-10 answers: % promoters (9-10) - % detractors (0-6) on -100..100, with counts,
/// shares, standard errors and an interval (adjusted Wald by default).
///
/// `scores`: a `Float64Array` (read without a copy) or an array of numbers; NaN, null or undefined
/// are missing answers (excluded and counted in `nMissing` unless `missing: 'error'`).
/// `weights`: optional survey weights of the same length (design-based SE and Kish effective n).
///
/// @example
/// const r = nps(new Float64Array([10, 9, 8, 6, 10, NaN, 3, 9]))
/// // r.nps = 25, r.nMissing = 1, r.lower / r.upper = 95% adjusted-Wald limits
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: NpsOptions",
    ts_return_type = "NpsResult"
)]
pub fn nps(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        nps_core(
            &s,
            w.as_deref(),
            &convert::options(opt_arg(&env, &options))?,
        )
    })
}

/// `nps` computed on the libuv thread pool (the columns are copied first). Resolves to the same result;
/// rejects with the same `CXKPI_*` errors.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: NpsOptions",
    ts_return_type = "Promise<NpsResult>"
)]
pub fn nps_async(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let s = column(arg(&env, &scores), "scores")?.into_owned();
        let w = opt_column(opt_arg(&env, &weights), "weights")?.map(|c| c.into_owned());
        let o = convert::options(opt_arg(&env, &options))?;
        Ok(Box::new(move || nps_core(&s, w.as_deref(), &o)))
    })
}

/// NPS from counts of promoters, passives and detractors (e.g. a published table), with the same
/// interval options as `nps`.
///
/// @example
/// npsFromCounts(60, 20, 20).nps // 40
#[napi(
    ts_args_type = "promoters: number, passives: number, detractors: number, options?: NpsOptions",
    ts_return_type = "NpsResult"
)]
pub fn nps_from_counts(
    env: Env,
    promoters: Unknown,
    passives: Unknown,
    detractors: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let p = count(Some(arg(&env, &promoters)), "promoters")?;
        let u = count(Some(arg(&env, &passives)), "passives")?;
        let d = count(Some(arg(&env, &detractors)), "detractors")?;
        let opts = cxkpi::NpsOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::nps_from_counts(p, u, d, &opts)?)
    })
}

// ------------------------------------------------------------------------------------------------------
// shares

fn top_box_core(scores: &[f64], weights: Option<&[f64]>, o: &Map<String, Value>) -> Res<Tree> {
    let opts = cxkpi::TopBoxOptions::from_options(o)?;
    Tree::of(&cxkpi::top_box(scores, weights, &opts)?)
}

/// Top-box share (CSAT): the share of answers in the top `k` boxes (default top-2 of 1-5), or the bottom
/// boxes with `side: 'bottom'`, with a proportion interval (Wilson by default).
///
/// @example
/// topBox([5, 4, 3, 5, 2]).share // 0.6
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: TopBoxOptions",
    ts_return_type = "ShareResult"
)]
pub fn top_box(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        top_box_core(
            &s,
            w.as_deref(),
            &convert::options(opt_arg(&env, &options))?,
        )
    })
}

/// `topBox` computed on the libuv thread pool.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: TopBoxOptions",
    ts_return_type = "Promise<ShareResult>"
)]
pub fn top_box_async(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let s = column(arg(&env, &scores), "scores")?.into_owned();
        let w = opt_column(opt_arg(&env, &weights), "weights")?.map(|c| c.into_owned());
        let o = convert::options(opt_arg(&env, &options))?;
        Ok(Box::new(move || top_box_core(&s, w.as_deref(), &o)))
    })
}

/// A share from counts: `successes` of `n` (whole numbers, 0 <= successes <= n, n >= 1).
///
/// @example
/// shareFromCounts(45, 60).share // 0.75
#[napi(
    ts_args_type = "successes: number, n: number, options?: ShareOptions",
    ts_return_type = "ShareResult"
)]
pub fn share_from_counts(
    env: Env,
    successes: Unknown,
    n: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = count(Some(arg(&env, &successes)), "successes")?;
        let n = count(Some(arg(&env, &n)), "n")?;
        let opts = cxkpi::ShareOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::share_from_counts(x, n, &opts)?)
    })
}

/// Confidence interval for a proportion x/n (x and n may be non-integer, e.g. effective counts):
/// `'wilson'` (default), `'wald'`, `'agresti_coull'`, `'clopper_pearson'`, `'jeffreys'`, `'wilson_cc'`.
///
/// @example
/// proportionInterval(8, 10, { method: 'clopper_pearson' })
#[napi(
    ts_args_type = "x: number, n: number, options?: ProportionOptions",
    ts_return_type = "Interval"
)]
pub fn proportion_interval(
    env: Env,
    x: Unknown,
    n: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = number(Some(arg(&env, &x)), "x")?;
        let n = number(Some(arg(&env, &n)), "n")?;
        let opts =
            cxkpi::ProportionOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::proportion_interval(x, n, &opts)?)
    })
}

// ------------------------------------------------------------------------------------------------------
// means

fn mean_core(values: &[f64], weights: Option<&[f64]>, o: &Map<String, Value>) -> Res<Tree> {
    let opts = cxkpi::MeanOptions::from_options(o)?;
    Tree::of(&cxkpi::mean_score(values, weights, &opts)?)
}

fn ces_core(values: &[f64], weights: Option<&[f64]>, o: &Map<String, Value>) -> Res<Tree> {
    let opts = cxkpi::MeanOptions::ces_from_options(o)?;
    Tree::of(&cxkpi::ces(values, weights, &opts)?)
}

/// Mean score with SD, SE and interval (t with df n-1 unweighted, normal weighted). With `scaleMin` and
/// `scaleMax`, answers must be whole points of that scale; without, any finite value is accepted.
///
/// @example
/// meanScore([4, 5, 3, 4], null, { scaleMin: 1, scaleMax: 5 }).mean // 4
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: MeanOptions",
    ts_return_type = "MeanResult"
)]
pub fn mean_score(
    env: Env,
    values: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &values), "values")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        mean_core(
            &s,
            w.as_deref(),
            &convert::options(opt_arg(&env, &options))?,
        )
    })
}

/// `meanScore` computed on the libuv thread pool.
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: MeanOptions",
    ts_return_type = "Promise<MeanResult>"
)]
pub fn mean_score_async(
    env: Env,
    values: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let s = column(arg(&env, &values), "values")?.into_owned();
        let w = opt_column(opt_arg(&env, &weights), "weights")?.map(|c| c.into_owned());
        let o = convert::options(opt_arg(&env, &options))?;
        Ok(Box::new(move || mean_core(&s, w.as_deref(), &o)))
    })
}

/// Customer Effort Score: the mean of 1-7 answers (by default higher = easier; the direction is
/// recorded in the result), with SD, SE and interval.
///
/// @example
/// ces([7, 6, 5, 7, 4]).mean // 5.8
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: MeanOptions",
    ts_return_type = "MeanResult"
)]
pub fn ces(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        ces_core(
            &s,
            w.as_deref(),
            &convert::options(opt_arg(&env, &options))?,
        )
    })
}

/// `ces` computed on the libuv thread pool.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: MeanOptions",
    ts_return_type = "Promise<MeanResult>"
)]
pub fn ces_async(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let s = column(arg(&env, &scores), "scores")?.into_owned();
        let w = opt_column(opt_arg(&env, &weights), "weights")?.map(|c| c.into_owned());
        let o = convert::options(opt_arg(&env, &options))?;
        Ok(Box::new(move || ces_core(&s, w.as_deref(), &o)))
    })
}

/// A mean result from published summary statistics (mean, SD, n), e.g. to compare with `compareMeans`.
///
/// @example
/// meanFromSummary(5.2, 1.3, 120)
#[napi(
    ts_args_type = "mean: number, sd: number, n: number, options?: MeanOptions",
    ts_return_type = "MeanResult"
)]
pub fn mean_from_summary(
    env: Env,
    mean: Unknown,
    sd: Unknown,
    n: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let m = number(Some(arg(&env, &mean)), "mean")?;
        let s = number(Some(arg(&env, &sd)), "sd")?;
        let n = count(Some(arg(&env, &n)), "n")?;
        let opts = cxkpi::MeanOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::mean_from_summary(m, s, n, &opts)?)
    })
}

// ------------------------------------------------------------------------------------------------------
// churn

/// Churn over a period: `lost` of `customersStart` (or of the average of start and end with
/// `base: 'average'`), with retention, annualised figures (compounded) and an interval (start base).
///
/// @example
/// churn(1000, 20).annualisedChurn // 1 - 0.98 ** 12
#[napi(
    ts_args_type = "customersStart: number, lost: number, options?: ChurnOptions",
    ts_return_type = "ChurnResult"
)]
pub fn churn(
    env: Env,
    customers_start: Unknown,
    lost: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = number(Some(arg(&env, &customers_start)), "customers_start")?;
        let l = number(Some(arg(&env, &lost)), "lost")?;
        let opts = cxkpi::ChurnOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::churn(s, l, &opts)?)
    })
}

/// Converts a rate over `fromMonths` to the compounded rate over `toMonths`: 1 - (1 - rate)^(to/from).
///
/// @example
/// convertRate(0.02, 1, 12) // monthly 2% -> yearly 21.5%
#[napi(ts_args_type = "rate: number, fromMonths: number, toMonths: number")]
pub fn convert_rate(
    env: Env,
    rate: Unknown,
    from_months: Unknown,
    to_months: Unknown,
) -> napi::Result<f64> {
    js(
        &env,
        guard(|| {
            let r = number(Some(arg(&env, &rate)), "rate")?;
            let f = number(Some(arg(&env, &from_months)), "from_months")?;
            let t = number(Some(arg(&env, &to_months)), "to_months")?;
            Ok(cxkpi::convert_rate(r, f, t)?)
        }),
    )
}

// ------------------------------------------------------------------------------------------------------
// sentiment

fn sentiment_core(labels: &[f64], weights: Option<&[f64]>, o: &Map<String, Value>) -> Res<Tree> {
    let opts = cxkpi::SentimentOptions::from_options(o)?;
    Tree::of(&cxkpi::sentiment_share(labels, weights, &opts)?)
}

/// Sentiment shares, net sentiment (P - N)/(P + U + N) and polarity (P - N)/(P + N), with intervals.
///
/// `labels`: codes (+1 positive, 0 neutral, -1 negative; NaN or null missing) as a `Float64Array` or
/// number array, or strings `'positive'`, `'neutral'`, `'negative'` (case-insensitive; null missing).
///
/// @example
/// sentimentShare(['positive', 'negative', 'neutral', null, 'Positive']).netSentiment // 0.25
#[napi(
    ts_args_type = "labels: Float64Array | ReadonlyArray<number | null> | ReadonlyArray<string | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: SentimentOptions",
    ts_return_type = "SentimentResult"
)]
pub fn sentiment_share(
    env: Env,
    labels: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let l = convert::labels(arg(&env, &labels), "labels")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        sentiment_core(
            &l,
            w.as_deref(),
            &convert::options(opt_arg(&env, &options))?,
        )
    })
}

/// `sentimentShare` computed on the libuv thread pool.
#[napi(
    ts_args_type = "labels: Float64Array | ReadonlyArray<number | null> | ReadonlyArray<string | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: SentimentOptions",
    ts_return_type = "Promise<SentimentResult>"
)]
pub fn sentiment_share_async(
    env: Env,
    labels: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let l = convert::labels(arg(&env, &labels), "labels")?.into_owned();
        let w = opt_column(opt_arg(&env, &weights), "weights")?.map(|c| c.into_owned());
        let o = convert::options(opt_arg(&env, &options))?;
        Ok(Box::new(move || sentiment_core(&l, w.as_deref(), &o)))
    })
}

/// Sentiment shares from counts of positive, neutral and negative labels.
#[napi(
    ts_args_type = "positive: number, neutral: number, negative: number, options?: SentimentOptions",
    ts_return_type = "SentimentResult"
)]
pub fn sentiment_from_counts(
    env: Env,
    positive: Unknown,
    neutral: Unknown,
    negative: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let p = count(Some(arg(&env, &positive)), "positive")?;
        let u = count(Some(arg(&env, &neutral)), "neutral")?;
        let n = count(Some(arg(&env, &negative)), "negative")?;
        let opts =
            cxkpi::SentimentOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::sentiment_from_counts(p, u, n, &opts)?)
    })
}

// ------------------------------------------------------------------------------------------------------
// comparisons

/// Compares two NPS results (a - b on -100..100): adjusted-Wald z test and interval by default (Lewis &
/// Sauro), or `'wald'`, `'welch'`. Pass the objects returned by `nps`/`npsFromCounts` (or parsed JSON).
///
/// @example
/// compareNps(npsFromCounts(60, 20, 20), npsFromCounts(40, 30, 30)).significant // true
#[napi(
    ts_args_type = "a: NpsResult, b: NpsResult, options?: CompareOptions",
    ts_return_type = "ComparisonResult"
)]
pub fn compare_nps(
    env: Env,
    a: Unknown,
    b: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a: cxkpi::NpsResult = from_object(object(Some(arg(&env, &a)), "a")?, "a", "NpsResult")?;
        let b: cxkpi::NpsResult = from_object(object(Some(arg(&env, &b)), "b")?, "b", "NpsResult")?;
        let opts =
            cxkpi::CompareOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::compare_nps(&a, &b, &opts)?)
    })
}

/// Compares two shares (a - b): Newcombe hybrid score interval with a pooled z test by default, or
/// `'wald'`, `'agresti_caffo'`.
#[napi(
    ts_args_type = "a: ShareResult, b: ShareResult, options?: CompareOptions",
    ts_return_type = "ComparisonResult"
)]
pub fn compare_shares(
    env: Env,
    a: Unknown,
    b: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a: cxkpi::ShareResult =
            from_object(object(Some(arg(&env, &a)), "a")?, "a", "ShareResult")?;
        let b: cxkpi::ShareResult =
            from_object(object(Some(arg(&env, &b)), "b")?, "b", "ShareResult")?;
        let opts =
            cxkpi::CompareOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::compare_shares(&a, &b, &opts)?)
    })
}

/// Compares two means (a - b): Welch t test by default, or `'student'`.
#[napi(
    ts_args_type = "a: MeanResult, b: MeanResult, options?: CompareOptions",
    ts_return_type = "ComparisonResult"
)]
pub fn compare_means(
    env: Env,
    a: Unknown,
    b: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let a: cxkpi::MeanResult =
            from_object(object(Some(arg(&env, &a)), "a")?, "a", "MeanResult")?;
        let b: cxkpi::MeanResult =
            from_object(object(Some(arg(&env, &b)), "b")?, "b", "MeanResult")?;
        let opts =
            cxkpi::CompareOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        Tree::of(&cxkpi::compare_means(&a, &b, &opts)?)
    })
}

// ------------------------------------------------------------------------------------------------------
// sample size

/// Respondents (and invitations) needed for a margin of error: `metric` `'nps'` (margin in NPS points),
/// `'share'` (margin in 0..1) or `'mean'` (margin in score units, `sd` required), with an optional
/// finite population and response rate.
///
/// @example
/// sampleSize('share', 0.05).nRequired // 385
#[napi(
    ts_args_type = "metric: 'nps' | 'share' | 'mean', margin: number, options?: SampleSizeOptions",
    ts_return_type = "SampleSizeResult"
)]
pub fn sample_size(
    env: Env,
    metric: Unknown,
    margin: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let metric = string(Some(arg(&env, &metric)), "metric")?;
        let margin = number(Some(arg(&env, &margin)), "margin")?;
        let mut o = convert::options(opt_arg(&env, &options))?;
        o.insert("metric".into(), Value::String(metric));
        o.insert("margin".into(), convert::json_number(margin));
        let opts = cxkpi::SampleSizeOptions::from_options(&o)?;
        Tree::of(&cxkpi::sample_size(&opts)?)
    })
}

// ------------------------------------------------------------------------------------------------------
// grouped

fn grouped_values<'a>(metric: &str, v: Js) -> Res<convert::Column<'a>> {
    if metric == "sentiment" {
        labels(v, "values")
    } else {
        column(v, "values")
    }
}

fn grouped_core(
    metric: &str,
    values: &[f64],
    keys: &[&[u32]],
    weights: Option<&[f64]>,
    o: &Map<String, Value>,
) -> Res<Tree> {
    Tree::of(&cxkpi::grouped(metric, values, keys, weights, o)?)
}

/// Any metric by one or more integer key columns in one pass: one row per distinct key combination
/// (ordered by key tuple), as columns. `metric`: `'nps'`, `'top_box'`, `'mean'`, `'ces'` or
/// `'sentiment'`; `options` are that metric's options. `keys`: an array of `Uint32Array` (read without a
/// copy) or arrays of whole numbers, each as long as `values`. A group whose estimate is undefined has
/// `status` set to the error kind and NaN estimates instead of failing the whole call.
///
/// @example
/// const g = grouped('nps', scores, [regionCodes, quarterCodes])
/// // g.keys[0][i], g.keys[1][i], g.estimate[i], g.lower[i], g.upper[i], g.n[i]
#[napi(
    ts_args_type = "metric: 'nps' | 'top_box' | 'mean' | 'ces' | 'sentiment', values: Float64Array | ReadonlyArray<number | null> | ReadonlyArray<string | null>, keys: ReadonlyArray<Uint32Array | ReadonlyArray<number>>, weights?: Float64Array | ReadonlyArray<number> | null, options?: NpsOptions | TopBoxOptions | MeanOptions | SentimentOptions",
    ts_return_type = "GroupedResult"
)]
pub fn grouped(
    env: Env,
    metric: Unknown,
    values: Unknown,
    keys: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let m = string(Some(arg(&env, &metric)), "metric")?;
        let v = grouped_values(&m, arg(&env, &values))?;
        let k = code_columns(arg(&env, &keys), "keys")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        let o = convert::options(opt_arg(&env, &options))?;
        let key_refs: Vec<&[u32]> = k.iter().map(|c| &**c).collect();
        grouped_core(&m, &v, &key_refs, w.as_deref(), &o)
    })
}

/// `grouped` computed on the libuv thread pool (the columns are copied first).
#[napi(
    ts_args_type = "metric: 'nps' | 'top_box' | 'mean' | 'ces' | 'sentiment', values: Float64Array | ReadonlyArray<number | null> | ReadonlyArray<string | null>, keys: ReadonlyArray<Uint32Array | ReadonlyArray<number>>, weights?: Float64Array | ReadonlyArray<number> | null, options?: NpsOptions | TopBoxOptions | MeanOptions | SentimentOptions",
    ts_return_type = "Promise<GroupedResult>"
)]
pub fn grouped_async(
    env: Env,
    metric: Unknown,
    values: Unknown,
    keys: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let m = string(Some(arg(&env, &metric)), "metric")?;
        let v = grouped_values(&m, arg(&env, &values))?.into_owned();
        let k: Vec<Vec<u32>> = code_columns(arg(&env, &keys), "keys")?
            .into_iter()
            .map(|c| c.into_owned())
            .collect();
        let w = opt_column(opt_arg(&env, &weights), "weights")?.map(|c| c.into_owned());
        let o = convert::options(opt_arg(&env, &options))?;
        Ok(Box::new(move || {
            let key_refs: Vec<&[u32]> = k.iter().map(|c| c.as_slice()).collect();
            grouped_core(&m, &v, &key_refs, w.as_deref(), &o)
        }))
    })
}

// ------------------------------------------------------------------------------------------------------
// partials

const PARTIAL_TAG: &str = "metric";

/// A partial as JS: the core's serde form (snake_case fields, the same JSON Rust and Python read and
/// write) tagged with its metric (which Rust and Python ignore).
fn tagged<T: serde::Serialize>(metric: &str, p: &T) -> Res<Tree> {
    Ok(Tree::of_raw(p)?.with_field(PARTIAL_TAG, Tree::Str(metric.to_string())))
}

/// The metric of an untagged partial (e.g. one written by Python's `to_json()` or Rust's serde), told
/// by the fields only that metric's partial has.
fn infer_metric(map: &Map<String, Value>) -> Option<&'static str> {
    let has = |k: &str| map.contains_key(k);
    if has("bands") {
        Some("nps")
    } else if has("spec") && has("sums") {
        Some("top_box")
    } else if has("moments") {
        Some("mean")
    } else if has("customers_start") {
        Some("churn")
    } else if has("sums") && has("missing") {
        Some("sentiment")
    } else {
        None
    }
}

/// Accumulates one shard of NPS answers into a mergeable partial: a plain object
/// (`{ metric: 'nps', ... }`) that survives `JSON.stringify`/`JSON.parse` exactly and is the same JSON
/// that Rust (serde) and Python (`to_json()`) read and write. Options: the bands, scale and `missing` of
/// `NpsOptions` (interval options go to `finishPartial`).
///
/// @example
/// const a = npsPartial(shard1), b = npsPartial(shard2)
/// const whole = finishPartial(mergePartials(JSON.parse(JSON.stringify(a)), b)) // = nps(shard1 ++ shard2)
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: NpsOptions",
    ts_return_type = "MetricPartial & { metric: 'nps' }"
)]
pub fn nps_partial(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        let o = convert::options(opt_arg(&env, &options))?;
        tagged(
            "nps",
            &cxkpi::NpsPartial::from_scores(&s, w.as_deref(), &o)?,
        )
    })
}

/// Accumulates one shard of answers into a mergeable top-box partial. Options: scale, `side`, `k`,
/// `missing` of `TopBoxOptions`.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: TopBoxOptions",
    ts_return_type = "MetricPartial & { metric: 'top_box' }"
)]
pub fn top_box_partial(
    env: Env,
    scores: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        let o = convert::options(opt_arg(&env, &options))?;
        tagged(
            "top_box",
            &cxkpi::TopBoxPartial::from_scores(&s, w.as_deref(), &o)?,
        )
    })
}

/// Accumulates one shard of values into a mergeable mean partial. Options: scale, `direction`,
/// `missing` of `MeanOptions`.
#[napi(
    ts_args_type = "values: Float64Array | ReadonlyArray<number | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: MeanOptions",
    ts_return_type = "MetricPartial & { metric: 'mean' }"
)]
pub fn mean_partial(
    env: Env,
    values: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &values), "values")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        let o = convert::options(opt_arg(&env, &options))?;
        tagged(
            "mean",
            &cxkpi::MeanPartial::from_values(&s, w.as_deref(), &o)?,
        )
    })
}

/// Accumulates one shard of sentiment labels (codes or strings) into a mergeable partial. Options:
/// `missing`.
#[napi(
    ts_args_type = "labels: Float64Array | ReadonlyArray<number | null> | ReadonlyArray<string | null>, weights?: Float64Array | ReadonlyArray<number> | null, options?: SentimentOptions",
    ts_return_type = "MetricPartial & { metric: 'sentiment' }"
)]
pub fn sentiment_partial(
    env: Env,
    labels: Unknown,
    weights: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let l = convert::labels(arg(&env, &labels), "labels")?;
        let w = opt_column(opt_arg(&env, &weights), "weights")?;
        let o = convert::options(opt_arg(&env, &options))?;
        tagged(
            "sentiment",
            &cxkpi::SentimentPartial::from_labels(&l, w.as_deref(), &o)?,
        )
    })
}

/// A mergeable churn partial of one book of customers: start, lost and (optionally) end customers add
/// up across disjoint books.
#[napi(
    ts_args_type = "customersStart: number, lost: number, customersEnd?: number | null",
    ts_return_type = "MetricPartial & { metric: 'churn' }"
)]
pub fn churn_partial(
    env: Env,
    customers_start: Unknown,
    lost: Unknown,
    customers_end: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let s = number(Some(arg(&env, &customers_start)), "customers_start")?;
        let l = number(Some(arg(&env, &lost)), "lost")?;
        let e = match opt_arg(&env, &customers_end) {
            Some(v) if !v.is_nullish() => Some(number(Some(v), "customers_end")?),
            _ => None,
        };
        tagged("churn", &cxkpi::ChurnPartial::new(s, l, e)?)
    })
}

/// A partial read back from JS, by metric.
enum AnyPartial {
    Nps(cxkpi::NpsPartial),
    TopBox(cxkpi::TopBoxPartial),
    Mean(cxkpi::MeanPartial),
    Sentiment(cxkpi::SentimentPartial),
    Churn(cxkpi::ChurnPartial),
}

fn read_partial(v: Js, arg: &str) -> Res<AnyPartial> {
    let mut map = object(Some(v), arg)?;
    let metric = match map.remove(PARTIAL_TAG) {
        Some(Value::String(s)) => s,
        Some(_) => return Err(invalid(&format!("{arg}.metric"), "must be a string")),
        None => match infer_metric(&map) {
            Some(m) => m.to_string(),
            None => return Err(invalid(arg, "is not a cxkpi partial; make it with npsPartial, topBoxPartial, meanPartial, sentimentPartial or churnPartial")),
        },
    };
    Ok(match metric.as_str() {
        "nps" => AnyPartial::Nps(from_object(map, arg, "NPS partial")?),
        "top_box" => AnyPartial::TopBox(from_object(map, arg, "top-box partial")?),
        "mean" => AnyPartial::Mean(from_object(map, arg, "mean partial")?),
        "sentiment" => AnyPartial::Sentiment(from_object(map, arg, "sentiment partial")?),
        "churn" => AnyPartial::Churn(from_object(map, arg, "churn partial")?),
        other => {
            return Err(Failure::Core(cxkpi::CxkpiError::UnknownMethod {
                arg: format!("{arg}.metric"),
                value: other.to_string(),
                expected: "nps, top_box, mean, sentiment, churn".into(),
            }))
        }
    })
}

fn mismatch() -> Failure {
    Failure::Core(cxkpi::CxkpiError::IncompatiblePartials {
        message: "partials of different metrics cannot be merged".into(),
    })
}

/// Merges two partials of the same metric and settings (neither input is modified); merging the
/// partials of disjoint shards equals computing on all rows. Partials may come straight from
/// `npsPartial` & co., from `JSON.parse`, or from Python/Rust JSON (untagged: the metric is recognised by
/// its fields). Different metrics or settings: `CXKPI_INCOMPATIBLE_PARTIALS`.
#[napi(
    ts_generic_types = "P extends MetricPartial",
    ts_args_type = "a: P, b: P",
    ts_return_type = "P"
)]
pub fn merge_partials(env: Env, a: Unknown, b: Unknown) -> napi::Result<Tree> {
    run(&env, || {
        let pa = read_partial(arg(&env, &a), "a")?;
        let pb = read_partial(arg(&env, &b), "b")?;
        match (pa, pb) {
            (AnyPartial::Nps(mut x), AnyPartial::Nps(y)) => {
                x.merge(&y)?;
                tagged("nps", &x)
            }
            (AnyPartial::TopBox(mut x), AnyPartial::TopBox(y)) => {
                x.merge(&y)?;
                tagged("top_box", &x)
            }
            (AnyPartial::Mean(mut x), AnyPartial::Mean(y)) => {
                x.merge(&y)?;
                tagged("mean", &x)
            }
            (AnyPartial::Sentiment(mut x), AnyPartial::Sentiment(y)) => {
                x.merge(&y)?;
                tagged("sentiment", &x)
            }
            (AnyPartial::Churn(mut x), AnyPartial::Churn(y)) => {
                x.merge(&y)?;
                tagged("churn", &x)
            }
            _ => Err(mismatch()),
        }
    })
}

/// Finishes a partial into the result of its metric (`NpsResult`, `ShareResult`, `MeanResult`,
/// `SentimentResult` or `ChurnResult`), with that metric's interval options.
#[napi(
    ts_generic_types = "P extends MetricPartial",
    ts_args_type = "partial: P, options?: FinishOptions",
    ts_return_type = "P extends { metric: infer M extends keyof PartialResults } ? PartialResults[M] : PartialResults[keyof PartialResults]"
)]
pub fn finish_partial(env: Env, partial: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let p = read_partial(arg(&env, &partial), "partial")?;
        let o = convert::options(opt_arg(&env, &options))?;
        match p {
            AnyPartial::Nps(x) => Tree::of(&x.finish(&o)?),
            AnyPartial::TopBox(x) => Tree::of(&x.finish(&o)?),
            AnyPartial::Mean(x) => Tree::of(&x.finish(&o)?),
            AnyPartial::Sentiment(x) => Tree::of(&x.finish(&o)?),
            AnyPartial::Churn(x) => Tree::of(&x.finish(&o)?),
        }
    })
}
