//! TypeScript declarations of the options objects and results (generated into `index.d.ts` with their
//! JSDoc). These structs are never converted at run time: options go through the core's
//! `XxxOptions::from_options` and results through serde, so the names here must match the core's fields
//! in camelCase (the `typings` test compares them with real results).
#![allow(dead_code)]

use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

// ------------------------------------------------------------------------------------------------------
// options

/// Options of `nps`, `npsFromCounts` (which ignores the scale and missing-value keys) and `npsPartial`
/// (bands and `missing` only). Every key is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct NpsOptions {
    /// Interval method (default `'adjusted_wald'`: Rocks 2016 adjusted Wald centred on the observed NPS).
    #[napi(ts_type = "'adjusted_wald' | 'wald' | 't' | 'bootstrap' | 'exact_bootstrap'")]
    pub interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
    /// Missing answers (NaN, null): `'exclude'` and count them in `nMissing` (default) or `'error'`.
    #[napi(ts_type = "'exclude' | 'error'")]
    pub missing: Option<String>,
    /// Answers at or above this are promoters (default 9).
    pub promoter_min: Option<i32>,
    /// Answers at or below this are detractors (default 6).
    pub detractor_max: Option<i32>,
    /// Lowest scale point (default 0).
    pub scale_min: Option<i32>,
    /// Highest scale point (default 10).
    pub scale_max: Option<i32>,
    /// Bootstrap replicates (default 2000).
    pub resamples: Option<u32>,
    /// Bootstrap seed (default 42); the same seed gives the same interval in Rust, Python and Node.
    pub seed: Option<u32>,
}

/// Options of `topBox` and `topBoxPartial` (scale, side, k, missing only). Every key is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct TopBoxOptions {
    /// Lowest scale point (default 1).
    pub scale_min: Option<i32>,
    /// Highest scale point (default 5).
    pub scale_max: Option<i32>,
    /// `'top'` (default: success = answer >= scaleMax - k + 1) or `'bottom'` (answer <= scaleMin + k - 1).
    #[napi(ts_type = "'top' | 'bottom'")]
    pub side: Option<String>,
    /// Number of boxes (default 2: top-2-box).
    pub k: Option<u32>,
    /// Proportion interval method (default `'wilson'`).
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
    /// Missing answers: `'exclude'` (default) or `'error'`.
    #[napi(ts_type = "'exclude' | 'error'")]
    pub missing: Option<String>,
}

/// Options of `shareFromCounts`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ShareOptions {
    /// Proportion interval method (default `'wilson'`).
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
}

/// Options of `proportionInterval`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ProportionOptions {
    /// Interval method (default `'wilson'`).
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub method: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
}

/// Options of `meanScore`, `ces` (default scale 1-7), `meanFromSummary` (interval, confidence, direction)
/// and `meanPartial` (scale, direction, missing).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct MeanOptions {
    /// Lowest scale point; when both ends are given, answers must be whole points of the scale
    /// (no scale by default for `meanScore`, 1-7 for `ces`).
    pub scale_min: Option<i32>,
    /// Highest scale point.
    pub scale_max: Option<i32>,
    /// Recorded with the result (default `'higher_is_better'`).
    #[napi(ts_type = "'higher_is_better' | 'lower_is_better'")]
    pub direction: Option<String>,
    /// `'auto'` (default: t with df n-1 unweighted, normal weighted), `'t'` or `'normal'`.
    #[napi(ts_type = "'auto' | 't' | 'normal'")]
    pub interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
    /// Missing values: `'exclude'` (default) or `'error'`.
    #[napi(ts_type = "'exclude' | 'error'")]
    pub missing: Option<String>,
}

/// Options of `churn` (and of `finishPartial` for a churn partial, without `customersEnd`).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ChurnOptions {
    /// Customers at the end of the period (needed for `base: 'average'`).
    pub customers_end: Option<f64>,
    /// Length of the measured period in months (default 1; 3 = quarterly).
    pub period_months: Option<f64>,
    /// Denominator: `'start'` (default) or `'average'` of start and end.
    #[napi(ts_type = "'start' | 'average'")]
    pub base: Option<String>,
    /// Interval method of the churn rate (default `'wilson'`; start base only).
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
}

/// Options of `sentimentShare`, `sentimentFromCounts` and `sentimentPartial` (`missing` only).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct SentimentOptions {
    /// Interval of the net sentiment (default `'adjusted_wald'`, as for NPS).
    #[napi(ts_type = "'adjusted_wald' | 'wald' | 't' | 'bootstrap' | 'exact_bootstrap'")]
    pub interval: Option<String>,
    /// Interval method of the positive share and of the polarity (default `'wilson'`).
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub share_interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
    /// Missing labels: `'exclude'` (default) or `'error'`.
    #[napi(ts_type = "'exclude' | 'error'")]
    pub missing: Option<String>,
    /// Bootstrap replicates (default 2000).
    pub resamples: Option<u32>,
    /// Bootstrap seed (default 42).
    pub seed: Option<u32>,
}

/// Options of `compareNps`, `compareShares` and `compareMeans`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CompareOptions {
    /// NPS: `'adjusted_wald'` (default), `'wald'`, `'welch'`. Shares: `'newcombe'` (default), `'wald'`,
    /// `'agresti_caffo'`. Means: `'welch'` (default), `'student'`.
    #[napi(
        ts_type = "'adjusted_wald' | 'wald' | 'welch' | 'newcombe' | 'agresti_caffo' | 'student'"
    )]
    pub method: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
}

/// Options of `sampleSize` (besides the metric and the margin).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct SampleSizeOptions {
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
    /// Expected promoter share (NPS; default 0.5).
    pub promoters: Option<f64>,
    /// Expected detractor share (NPS; default 0.5, the worst case).
    pub detractors: Option<f64>,
    /// Expected share (share; default 0.5, the worst case).
    pub p: Option<f64>,
    /// Expected standard deviation (mean; required there).
    pub sd: Option<f64>,
    /// Size of the list or customer base (finite-population correction).
    pub population: Option<f64>,
    /// Expected response rate in (0, 1].
    pub response_rate: Option<f64>,
    /// Finite-population correction: `'exact'` (default) or `'simple'` (Cochran).
    #[napi(ts_type = "'exact' | 'simple'")]
    pub fpc: Option<String>,
}

/// Options of `finishPartial`: the interval options of the partial's metric.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct FinishOptions {
    /// Interval method of the metric (as in its own function's options).
    pub interval: Option<String>,
    /// Sentiment: interval method of the positive share and the polarity.
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub share_interval: Option<String>,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: Option<f64>,
    /// Bootstrap replicates (NPS, sentiment).
    pub resamples: Option<u32>,
    /// Bootstrap seed (NPS, sentiment).
    pub seed: Option<u32>,
    /// Churn: period length in months.
    pub period_months: Option<f64>,
    /// Churn: `'start'` or `'average'`.
    #[napi(ts_type = "'start' | 'average'")]
    pub base: Option<String>,
}

/// Options of `rake` (and `rakeAsync`). Every key is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct RakeOptions {
    /// Base (design) weights, one per row (default 1): a `Float64Array` (read without a copy) or numbers.
    #[napi(ts_type = "Float64Array | ReadonlyArray<number> | null")]
    pub base: Option<Vec<f64>>,
    /// Largest accepted relative margin error (default 1e-10).
    pub tolerance: Option<f64>,
    /// Most sweeps (default 1000).
    pub max_sweeps: Option<u32>,
    /// Not converged: throw `CXKPI_NOT_CONVERGED` (`'error'`, default) or return the weights with their
    /// `status` and errors (`'warn'`).
    #[napi(ts_type = "'error' | 'warn'")]
    pub on_nonconvergence: Option<String>,
    /// Targets are population counts (`'counts'`, default) or shares multiplied by `population`.
    #[napi(ts_type = "'counts' | 'shares'")]
    pub targets_as: Option<String>,
    /// Population total for shares (default: the sum of the base weights, or n).
    pub population: Option<f64>,
    /// A level with a target but no respondent: throw `CXKPI_EMPTY_LEVEL` (`'error'`, default), move its
    /// target to the nearest lower level (`'collapse'`, the next higher for the first level) or remove it
    /// and rescale every margin (`'drop'`); reported in `levelChanges` and `massLost`.
    #[napi(ts_type = "'error' | 'collapse' | 'drop'")]
    pub empty_level: Option<String>,
    /// Trim-then-rerake: cap the weights at this value (or multiple of the mean weight with
    /// `trimRelativeToMean`), rake again, repeat until the margins hold and no weight is outside
    /// (`method` `'rake_trim'`); at most `maxCycles` cycles (default 50), so it always ends.
    pub trim_upper: Option<f64>,
    /// Trim-then-rerake: raise the weights to this value (or multiple of the mean weight).
    pub trim_lower: Option<f64>,
    /// The trim bounds are multiples of the mean weight (default false).
    pub trim_relative_to_mean: Option<bool>,
    /// Most trim-then-rerake cycles (default 50).
    pub max_cycles: Option<u32>,
}

/// Options of `calibrate` (and `calibrateAsync`): those of `rake` (`maxSweeps` counts Newton steps) plus
/// the distance and bounds. Every key is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CalibrateOptions {
    /// Base (design) weights, one per row (default 1).
    #[napi(ts_type = "Float64Array | ReadonlyArray<number> | null")]
    pub base: Option<Vec<f64>>,
    /// Calibration distance (R survey `calfun`): `'linear'` (GREG, default), `'raking'` (multiplicative)
    /// or `'logit'` (between `bounds`, which it requires).
    #[napi(ts_type = "'linear' | 'raking' | 'logit'")]
    pub distance: Option<String>,
    /// Bounds `[lo, hi]` on the adjustment g = w / base, 0 <= lo <= 1 <= hi.
    #[napi(ts_type = "readonly [number, number]")]
    pub bounds: Option<Vec<f64>>,
    /// Bounds `[lo, hi]` on the final weights (as R `bounds.const = TRUE`).
    #[napi(ts_type = "readonly [number, number]")]
    pub weight_bounds: Option<Vec<f64>>,
    /// Largest accepted relative margin error (default 1e-10).
    pub tolerance: Option<f64>,
    /// Most Newton steps (default 1000).
    pub max_sweeps: Option<u32>,
    /// Not converged: `'error'` (default) or `'warn'`.
    #[napi(ts_type = "'error' | 'warn'")]
    pub on_nonconvergence: Option<String>,
    /// `'counts'` (default) or `'shares'`.
    #[napi(ts_type = "'counts' | 'shares'")]
    pub targets_as: Option<String>,
    /// Population total for shares (default: the sum of the base weights, or n).
    pub population: Option<f64>,
    /// A level with a target but no respondent: `'error'` (default), `'collapse'` or `'drop'`.
    #[napi(ts_type = "'error' | 'collapse' | 'drop'")]
    pub empty_level: Option<String>,
}

/// Options of `poststratify`. Every key is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct PoststratifyOptions {
    /// The stratification variables, in the nesting order of the targets (may be left out when `data`
    /// has a single column).
    #[napi(ts_type = "string | ReadonlyArray<string>")]
    pub by: Option<Vec<String>>,
    /// Base (design) weights, one per row (default 1).
    #[napi(ts_type = "Float64Array | ReadonlyArray<number> | null")]
    pub base: Option<Vec<f64>>,
    /// `'counts'` (default) or `'shares'` (of `population`).
    #[napi(ts_type = "'counts' | 'shares'")]
    pub targets_as: Option<String>,
    /// Population total for shares (default: the sum of the base weights, or n).
    pub population: Option<f64>,
    /// A cell with a target but no respondent: `'error'` (default), `'collapse'` (into the nearest
    /// earlier cell in crossed order) or `'drop'`.
    #[napi(ts_type = "'error' | 'collapse' | 'drop'")]
    pub empty_level: Option<String>,
}

/// Options of `trimWeights`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct TrimOptions {
    /// Largest allowed weight (or multiple of the mean weight).
    pub upper: Option<f64>,
    /// Smallest allowed weight (or multiple of the mean weight).
    pub lower: Option<f64>,
    /// `upper` and `lower` are multiples of the mean weight (default false).
    pub relative_to_mean: Option<bool>,
}

// ------------------------------------------------------------------------------------------------------
// results

/// An NPS with its shares, counts, standard errors and interval.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct NpsResult {
    /// Net Promoter Score on -100..100.
    pub nps: f64,
    /// Share of promoters (0..1).
    pub promoters: f64,
    /// Share of passives (0..1).
    pub passives: f64,
    /// Share of detractors (0..1).
    pub detractors: f64,
    /// Valid answers used.
    pub n: f64,
    /// Missing answers excluded.
    pub n_missing: f64,
    /// Number of promoters.
    pub n_promoters: f64,
    /// Number of passives.
    pub n_passives: f64,
    /// Number of detractors.
    pub n_detractors: f64,
    /// Sum of weights over valid answers (n when unweighted).
    pub weight_sum: f64,
    /// Kish effective sample size (n when unweighted).
    pub effective_n: f64,
    /// Standard error used by the interval method, on -100..100.
    pub se: f64,
    /// Design-based (linearisation) SE on -100..100; null when n < 2.
    pub se_linearised: Option<f64>,
    /// Lower limit on -100..100.
    pub lower: f64,
    /// Upper limit on -100..100.
    pub upper: f64,
    /// Interval method used.
    #[napi(ts_type = "'adjusted_wald' | 'wald' | 't' | 'bootstrap' | 'exact_bootstrap'")]
    pub interval: String,
    /// Confidence level.
    pub confidence: f64,
    /// Whether weights were used.
    pub weighted: bool,
}

/// A share (top-box, bottom-box or any proportion) with its interval.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct ShareResult {
    /// The share in 0..1.
    pub share: f64,
    /// Successes (the weighted sum when weighted).
    pub successes: f64,
    /// Valid answers used.
    pub n: f64,
    /// Missing answers excluded.
    pub n_missing: f64,
    /// Sum of weights over valid answers (n when unweighted).
    pub weight_sum: f64,
    /// Kish effective sample size (n when unweighted).
    pub effective_n: f64,
    /// Standard error: sqrt(p(1-p)/n) unweighted, linearisation SE weighted; null when undefined.
    pub se: Option<f64>,
    /// Lower limit (0..1).
    pub lower: f64,
    /// Upper limit (0..1).
    pub upper: f64,
    /// Interval method used (weighted: applied with x = share * effectiveN, n = effectiveN).
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub interval: String,
    /// Confidence level.
    pub confidence: f64,
    /// Whether weights were used.
    pub weighted: bool,
}

/// A confidence interval for a proportion x/n.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct Interval {
    /// The point estimate x/n.
    pub estimate: f64,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// Method used.
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub method: String,
    /// Confidence level.
    pub confidence: f64,
}

/// A closed integer response scale, e.g. 1-7.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ScaleRange {
    /// Lowest scale point.
    pub min: i32,
    /// Highest scale point.
    pub max: i32,
}

/// A mean (mean score, CES) with its SD, SE and interval.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct MeanResult {
    /// The (weighted) mean.
    pub mean: f64,
    /// Sample SD (weighted: sqrt(sum w (y - mean)^2 / sum w * n / (n - 1))).
    pub sd: f64,
    /// Valid values used.
    pub n: f64,
    /// Missing values excluded.
    pub n_missing: f64,
    /// Sum of weights over valid values (n when unweighted).
    pub weight_sum: f64,
    /// Kish effective sample size (n when unweighted).
    pub effective_n: f64,
    /// s / sqrt(n) unweighted; linearisation SE weighted.
    pub se: f64,
    /// Degrees of freedom of a t interval; null for a normal interval.
    pub df: Option<f64>,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// The resolved interval method.
    #[napi(ts_type = "'t' | 'normal'")]
    pub interval: String,
    /// Confidence level.
    pub confidence: f64,
    /// Whether weights were used.
    pub weighted: bool,
    /// Whether a higher score is better (recorded, e.g. CES 7 = very easy).
    #[napi(ts_type = "'higher_is_better' | 'lower_is_better'")]
    pub direction: String,
    /// The scale the answers were checked against, null when none.
    #[napi(ts_type = "ScaleRange | null")]
    pub scale: Option<ScaleRange>,
}

/// A churn rate with retention, annualised figures and (for the start base) an interval.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct ChurnResult {
    /// lost / customersStart (start base) or lost / ((start + end) / 2) (average base).
    pub churn_rate: f64,
    /// 1 - churnRate.
    pub retention_rate: f64,
    /// 1 - (1 - churnRate)^(12 / periodMonths).
    pub annualised_churn: f64,
    /// 1 - annualisedChurn.
    pub annualised_retention: f64,
    /// Length of the measured period in months.
    pub period_months: f64,
    /// Denominator used.
    #[napi(ts_type = "'start' | 'average'")]
    pub base: String,
    /// Customers at the start of the period.
    pub customers_start: f64,
    /// Customers at the end, when given.
    pub customers_end: Option<f64>,
    /// Customers lost in the period.
    pub lost: f64,
    /// Lower limit of the churn rate (start base); null for the average base.
    pub lower: Option<f64>,
    /// Upper limit of the churn rate (start base); null for the average base.
    pub upper: Option<f64>,
    /// Interval method.
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub interval: String,
    /// Confidence level.
    pub confidence: f64,
}

/// Sentiment shares, net sentiment and polarity with intervals.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct SentimentResult {
    /// Share of positive labels (0..1).
    pub positive_share: f64,
    /// Share of neutral labels (0..1).
    pub neutral_share: f64,
    /// Share of negative labels (0..1).
    pub negative_share: f64,
    /// Lower limit of the positive share (share interval).
    pub positive_lower: f64,
    /// Upper limit of the positive share (share interval).
    pub positive_upper: f64,
    /// (P - N) / (P + U + N) in -1..1.
    pub net_sentiment: f64,
    /// SE of the net sentiment used by its interval.
    pub net_se: f64,
    /// Lower limit of the net sentiment.
    pub net_lower: f64,
    /// Upper limit of the net sentiment.
    pub net_upper: f64,
    /// (P - N) / (P + N) in -1..1; null when there is no polar label.
    pub polarity: Option<f64>,
    /// 2L - 1 from the share interval of P / (P + N); null with polarity.
    pub polarity_lower: Option<f64>,
    /// 2U - 1 from the share interval of P / (P + N); null with polarity.
    pub polarity_upper: Option<f64>,
    /// Valid labels used.
    pub n: f64,
    /// Missing labels excluded.
    pub n_missing: f64,
    /// Number of positive labels.
    pub n_positive: f64,
    /// Number of neutral labels.
    pub n_neutral: f64,
    /// Number of negative labels.
    pub n_negative: f64,
    /// Sum of weights over valid labels (n when unweighted).
    pub weight_sum: f64,
    /// Kish effective sample size (n when unweighted).
    pub effective_n: f64,
    /// Interval method of the net sentiment.
    #[napi(ts_type = "'adjusted_wald' | 'wald' | 't' | 'bootstrap' | 'exact_bootstrap'")]
    pub interval: String,
    /// Interval method of the positive share and the polarity.
    #[napi(
        ts_type = "'wilson' | 'wald' | 'agresti_coull' | 'clopper_pearson' | 'jeffreys' | 'wilson_cc'"
    )]
    pub share_interval: String,
    /// Confidence level.
    pub confidence: f64,
    /// Whether weights were used.
    pub weighted: bool,
}

/// The difference a - b of two results with its test and interval.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct ComparisonResult {
    /// `'nps'`, `'share'` or `'mean'`.
    #[napi(ts_type = "'nps' | 'share' | 'mean'")]
    pub metric: String,
    /// Estimate of group a.
    pub estimate_a: f64,
    /// Estimate of group b.
    pub estimate_b: f64,
    /// a - b (NPS on -100..100).
    pub difference: f64,
    /// SE of the difference used by the test.
    pub se: f64,
    /// z or t statistic; null when the SE is zero.
    pub statistic: Option<f64>,
    /// Degrees of freedom for t tests; null for z tests.
    pub df: Option<f64>,
    /// Two-sided p-value; null when the SE is zero.
    pub p_value: Option<f64>,
    /// Lower limit of the difference.
    pub lower: f64,
    /// Upper limit of the difference.
    pub upper: f64,
    /// p < 1 - confidence (or, when p is undefined, the interval excludes 0).
    pub significant: bool,
    /// Method used.
    #[napi(
        ts_type = "'adjusted_wald' | 'wald' | 'welch' | 'newcombe' | 'agresti_caffo' | 'student'"
    )]
    pub method: String,
    /// Confidence level.
    pub confidence: f64,
}

/// How many respondents (and invitations) a margin of error needs.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct SampleSizeResult {
    /// The metric planned.
    #[napi(ts_type = "'nps' | 'share' | 'mean'")]
    pub metric: String,
    /// Margin of error (NPS points, share in 0..1, or score units).
    pub margin: f64,
    /// Confidence level.
    pub confidence: f64,
    /// Unit variance V (NPS in points^2, share p(1-p), mean sd^2).
    pub variance: f64,
    /// z^2 V / margin^2 (infinite population).
    pub n_infinite: f64,
    /// Respondents needed (after the finite-population correction), rounded up.
    pub n_required: f64,
    /// Size of the list, when given.
    pub population: Option<f64>,
    /// Expected response rate, when given.
    pub response_rate: Option<f64>,
    /// Invitations to send: ceil(nRequired / responseRate); null without a response rate.
    pub invitations: Option<f64>,
    /// Whether the list can yield nRequired respondents.
    pub feasible: bool,
    /// Respondents the list can yield: floor(population * responseRate); null without a population.
    pub max_respondents: Option<f64>,
    /// The margin achievable with maxRespondents when not feasible.
    pub achievable_margin: Option<f64>,
    /// Finite-population correction used.
    #[napi(ts_type = "'exact' | 'simple'")]
    pub fpc: String,
}

/// One row per group, as columns (index g is the same group in every column).
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct GroupedResult {
    /// The metric computed per group.
    #[napi(ts_type = "'nps' | 'top_box' | 'mean' | 'ces' | 'sentiment'")]
    pub metric: String,
    /// Key codes of each group: `keys[j][g]` is key column j of group g; groups ordered by key tuple.
    pub keys: Vec<Vec<u32>>,
    /// Valid rows per group.
    pub n: Vec<f64>,
    /// Missing rows per group.
    pub n_missing: Vec<f64>,
    /// NPS (-100..100), share (0..1), mean, or net sentiment (-1..1); NaN when status is not 'ok'.
    pub estimate: Vec<f64>,
    /// The SE used by the interval; NaN when undefined.
    pub se: Vec<f64>,
    /// Lower limits (NaN when undefined).
    pub lower: Vec<f64>,
    /// Upper limits (NaN when undefined).
    pub upper: Vec<f64>,
    /// Kish effective sample size per group.
    pub effective_n: Vec<f64>,
    /// Sum of weights per group.
    pub weight_sum: Vec<f64>,
    /// `'ok'` or the error kind that made the group's estimate undefined (e.g. `'insufficient_data'`).
    pub status: Vec<String>,
    /// Empty for 'ok', else the error message.
    pub message: Vec<String>,
}

/// How spread out a set of weights is, and what it costs in precision.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct WeightDiagnostics {
    /// Number of weights.
    pub n: f64,
    /// Sum of the weights.
    pub sum: f64,
    /// Mean weight.
    pub mean: f64,
    /// Smallest weight.
    pub min: f64,
    /// Largest weight.
    pub max: f64,
    /// max / min; null when a weight is zero.
    pub ratio: Option<f64>,
    /// Type-7 quantiles at 1, 5, 25, 50, 75, 95 and 99 %.
    pub quantiles: Vec<f64>,
    /// Coefficient of variation (population SD / mean).
    pub cv: f64,
    /// Kish effective sample size (Σw)² / Σw².
    pub kish_n: f64,
    /// Kish design effect n Σw² / (Σw)² = 1 + cv².
    pub deff_kish: f64,
    /// The same for the adjustment w / base; null without base weights.
    pub adjustment_deff: Option<f64>,
}

/// The achieved margins of one weighting variable (post-stratification: of one `by` variable).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct MarginReport {
    /// Position of the variable in the targets' key order (or in `by`).
    pub variable: f64,
    /// Name of the variable.
    pub name: String,
    /// Level labels in level order; present when the targets were keyed by label.
    pub levels: Option<Vec<String>>,
    /// Target of each level (as counts; after collapsing or dropping empty levels).
    pub target: Vec<f64>,
    /// Sum of the base weights by level before weighting.
    pub before: Vec<f64>,
    /// Sum of the final weights by level.
    pub after: Vec<f64>,
    /// (after - target) / target by level (null where the target is 0).
    pub rel_error: Vec<f64>,
    /// Absolute standardised mean difference of each level's indicator between the sample (base weights)
    /// and the population, |p - π| / √(π(1 - π)) (null where π is 0 or 1).
    pub asmd_before: Vec<f64>,
    /// The same with the final weights.
    pub asmd_after: Vec<f64>,
    /// Kish effective n of each level's respondents under the final weights.
    pub kish_n: Vec<f64>,
    /// Kish design effect of each level's respondents (the cost of weighting in that domain).
    pub deff_kish: Vec<f64>,
}

/// A level (post-stratification: a crossed cell) whose target was collapsed into a neighbour or dropped.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct LevelChange {
    /// Position of the variable (post-stratification: 0).
    pub variable: f64,
    /// Name of the variable (post-stratification: the `by` names joined by `|`).
    pub name: String,
    /// Code of the level (post-stratification: index of the cell in crossed order).
    pub level: f64,
    /// Label of the level (post-stratification: the cell's labels joined by `|`); present when the
    /// targets were keyed by label.
    pub label: Option<String>,
    /// What happened.
    #[napi(ts_type = "'collapsed' | 'dropped'")]
    pub action: String,
    /// The level that received the target (collapse); null when dropped.
    #[napi(ts_type = "number | null")]
    pub into: f64,
    /// Label of `into`; present (null when dropped) when the targets were keyed by label.
    #[napi(ts_type = "string | null")]
    pub into_label: Option<String>,
    /// The target that was moved or removed.
    pub target: f64,
}

/// Weights with the account of how they were made: the fit's status, iterations, achieved margins with
/// the relative error of every level, level changes and weight diagnostics.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct WeightingResult {
    /// Which fit made the weights (`'rake_trim'`: rake with trim-then-rerake cycles).
    #[napi(ts_type = "'rake' | 'rake_trim' | 'calibrate' | 'poststratify'")]
    pub method: String,
    /// Calibration distance; null for rake and poststratify.
    #[napi(ts_type = "'linear' | 'raking' | 'logit'")]
    pub distance: Option<String>,
    /// Final weight of every row.
    pub weights: Float64Array,
    /// Adjustment g = w / base of every distinct cell of the data (cells ordered by level tuple).
    pub g: Vec<f64>,
    /// Number of distinct cells in the data.
    pub n_cells: f64,
    /// `'converged'`, or (with `onNonconvergence: 'warn'`) `'max_iter'`, `'stalled'` or `'infeasible'`.
    #[napi(ts_type = "'converged' | 'max_iter' | 'stalled' | 'infeasible'")]
    pub status: String,
    /// Sweeps (raking) or Newton iterations (calibration); 1 for post-stratification.
    pub iterations: f64,
    /// Largest |relative margin error| over all levels.
    pub max_rel_error: f64,
    /// The tolerance the fit was held to.
    pub tolerance: f64,
    /// Achieved margins of every variable.
    pub margins: Vec<MarginReport>,
    /// Empty levels collapsed or dropped (`emptyLevel`).
    pub level_changes: Vec<LevelChange>,
    /// Target mass removed by dropped levels.
    pub mass_lost: f64,
    /// Rows whose adjustment (or weight, with `weightBounds`) sits at the lower calibration bound.
    pub n_at_lower: f64,
    /// Rows at the upper calibration bound.
    pub n_at_upper: f64,
    /// Diagnostics of the final weights.
    pub diagnostics: WeightDiagnostics,
}

/// Trimmed weights and what trimming did.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct TrimResult {
    /// The trimmed weights (same total as the input).
    pub weights: Float64Array,
    /// Absolute upper bound applied; null when none.
    pub upper: Option<f64>,
    /// Absolute lower bound applied; null when none.
    pub lower: Option<f64>,
    /// Weights at the upper bound.
    pub n_at_upper: f64,
    /// Weights at the lower bound.
    pub n_at_lower: f64,
    /// Breakpoints of the total as a function of the common factor crossed by the exact solve.
    pub iterations: f64,
    /// Sum of the weights (preserved).
    pub total: f64,
    /// Diagnostics of the input weights.
    pub diagnostics_before: WeightDiagnostics,
    /// Diagnostics of the trimmed weights.
    pub diagnostics: WeightDiagnostics,
}

/// A mergeable partial: plain JSON data tagged with its metric. Keep it, send it, store it
/// (`JSON.stringify`), merge it with `mergePartials` and finish it with `finishPartial`. Its other
/// fields are the core's sufficient statistics in the core's own snake_case form (the same JSON as
/// Rust's serde and Python's `to_json()`, so partials move between languages); do not edit them.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct MetricPartial {
    /// Which metric the partial accumulates.
    #[napi(ts_type = "'nps' | 'top_box' | 'mean' | 'sentiment' | 'churn'")]
    pub metric: String,
}

/// The result type `finishPartial` returns for a partial of each metric.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct PartialResults {
    /// NPS partial -> NpsResult.
    #[napi(ts_type = "NpsResult")]
    pub nps: String,
    /// Top-box partial -> ShareResult.
    #[napi(ts_type = "ShareResult")]
    pub top_box: String,
    /// Mean partial -> MeanResult.
    #[napi(ts_type = "MeanResult")]
    pub mean: String,
    /// Sentiment partial -> SentimentResult.
    #[napi(ts_type = "SentimentResult")]
    pub sentiment: String,
    /// Churn partial -> ChurnResult.
    #[napi(ts_type = "ChurnResult")]
    pub churn: String,
}

/// What every error thrown (or rejected) by cxkpi carries: it is a plain JS `Error` with these extra
/// properties, e.g. `catch (e) { if (e.code === 'CXKPI_OUT_OF_SCALE') console.log(e.arg, e.index, e.value) }`.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct CxkpiError {
    /// `'CXKPI_' + kind.toUpperCase()`, e.g. `'CXKPI_OUT_OF_SCALE'` (`'CXKPI_PANIC'`: an internal bug, please report).
    pub code: String,
    /// The core's stable error kind.
    #[napi(
        ts_type = "'empty_input' | 'missing_value' | 'out_of_scale' | 'non_integer' | 'length_mismatch' | 'invalid_weight' | 'zero_weight_sum' | 'invalid_confidence' | 'unknown_method' | 'invalid_argument' | 'insufficient_data' | 'incompatible_partials' | 'unsupported' | 'inconsistent_margins' | 'empty_level' | 'infeasible' | 'not_converged' | 'panic'"
    )]
    pub kind: String,
    /// What was wrong and where, naming the argument, the index and the offending value.
    pub message: String,
    /// The argument or option at fault (camelCase), when known.
    pub arg: Option<String>,
    /// The index into the column at fault, when known.
    pub index: Option<f64>,
    /// The offending value, when known.
    pub value: Option<f64>,
    /// `{ arg, index, value }` together.
    #[napi(ts_type = "{ arg: string | null; index: number | null; value: number | null }")]
    pub details: String,
}

// ------------------------------------------------------------------------------------------------------
// design-based estimates

/// What `designEstimate` needs to know about how the weights were made: the fit's `data` (and `base`)
/// and its result.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct WeightingDesign {
    /// The same data object that was given to the fit (only the weighting variables are read).
    #[napi(ts_type = "WeightingData")]
    pub data: Float64Array,
    /// The fit's result (`rake`, `calibrate` or `poststratify`).
    pub weighting: WeightingResult,
    /// The base weights given to the fit, if any.
    #[napi(ts_type = "Float64Array | ReadonlyArray<number> | null")]
    pub base: Option<Float64Array>,
}

/// Options of `designEstimate`. Every key is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct DesignEstimateOptions {
    /// Domain code of every row (`Uint32Array` or whole numbers): estimates by domain, each on the whole
    /// sample (as R's `svyby`).
    #[napi(ts_type = "Uint32Array | ReadonlyArray<number> | null")]
    pub by: Option<Float64Array>,
    /// `'greg'` (default: GREG residuals on the calibration model), `'r_survey'` (R survey's own rule:
    /// 10 backfitting sweeps for raking) or `'fixed_weights'` (weights treated as fixed).
    #[napi(ts_type = "'greg' | 'r_survey' | 'fixed_weights'")]
    pub linearisation: Option<String>,
    /// Confidence level of the normal interval (default 0.95).
    pub confidence: Option<f64>,
    /// Missing answers: `'exclude'` (default: they stay in the sample with no contribution) or `'error'`.
    #[napi(ts_type = "'exclude' | 'error'")]
    pub missing: Option<String>,
    /// Scale of the answers (NPS 0-10, top-box 1-5, CES 1-7; a mean has no scale unless given).
    pub scale_min: Option<i32>,
    pub scale_max: Option<i32>,
    /// NPS bands (default 9 and 6).
    pub promoter_min: Option<i32>,
    pub detractor_max: Option<i32>,
    /// Top-box side and size (default `'top'`, 2).
    #[napi(ts_type = "'top' | 'bottom'")]
    pub side: Option<String>,
    pub k: Option<u32>,
    /// Mean and CES: the direction recorded (default `'higher_is_better'`).
    #[napi(ts_type = "'higher_is_better' | 'lower_is_better'")]
    pub direction: Option<String>,
}

/// The estimate of one domain (or of the whole sample).
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct DomainEstimate {
    /// The domain code (null for the whole sample).
    pub level: Option<u32>,
    /// Rows of the domain with a valid answer.
    pub n: f64,
    /// Σ final weights of those rows.
    pub weight_sum: f64,
    /// Null when the domain has no valid answer or its weights sum to 0.
    pub estimate: Option<f64>,
    /// Standard error under the chosen linearisation.
    pub se: Option<f64>,
    /// Standard error with the weights treated as fixed.
    pub se_fixed_weights: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// Design effect against SRS without replacement (R `deff=TRUE`).
    pub deff: Option<f64>,
    /// Design effect against SRS with replacement (R `deff="replace"`).
    pub deff_replace: Option<f64>,
}

/// A design-based estimate, overall and by domain.
#[napi(
    object,
    object_to_js = false,
    object_from_js = false,
    use_nullable = true
)]
pub struct DesignEstimate {
    #[napi(ts_type = "'nps' | 'top_box' | 'mean'")]
    pub metric: String,
    /// How the weights were made.
    #[napi(ts_type = "'rake' | 'rake_trim' | 'calibrate' | 'poststratify'")]
    pub weighting_method: String,
    #[napi(ts_type = "'greg' | 'r_survey' | 'fixed_weights'")]
    pub linearisation: String,
    pub confidence: f64,
    /// Rows of the sample (the n of the variance).
    pub n_rows: f64,
    /// Rows whose answer was missing (they stay in the sample).
    pub n_missing: f64,
    pub overall: DomainEstimate,
    /// One entry per domain code (empty without `by`).
    pub by: Vec<DomainEstimate>,
}
