//! Weighted estimates that know how their weights were made: the mean score, the top-box share and the NPS,
//! overall and by domain, with Taylor-linearisation standard errors that account for the calibration (GREG
//! residuals, Deville & Särndal 1992), the fixed-weights standard error beside them, and both design-effect
//! conventions.
//!
//! The estimate of a domain D (the whole sample, or the rows of one level of `by`) is the ratio
//! ȳ_D = Σ_D w y / Σ_D w. Its linearised variable is u_i = 1[i ∈ D] (y_i − ȳ_D) / Ŵ_D. Calibration removes
//! from u the part the calibration model explains: e_i = w_i (u_i − x_i'β), where x_i are the model columns
//! (an intercept and the levels of every weighting variable; the crossed cells for post-stratification) and
//! β is the base-weight-weighted least-squares fit of u on x over *every* row of the sample. The variance is
//! n/(n−1) Σ (e_i − ē)², n = all rows of the sample (rows outside the domain or with a missing answer count
//! with u_i = 0), which is what R `survey` computes for `svymean`/`svyby` on a calibrated `svydesign(ids=~1)`.
//!
//! Linearisation conventions ([`Linearisation`]):
//! - `greg` (default): the exact projection above, for every weighting method.
//! - `r_survey`: R survey 4.1's own rule. Identical to `greg` for `calibrate()` and `postStratify()`; for
//!   `rake()`, R removes the margins by 10 backfitting sweeps of *unweighted* level means
//!   (`svyrecvar`), which equals the unweighted projection only in the limit. Use it to reproduce R.
//! - `fixed_weights`: no calibration term (β = 0): the weights are treated as fixed, as
//!   `svydesign(ids=~1, weights=~w)` does.
//!
//! Design effects, as R's `svymean(..., deff=TRUE)` and `deff="replace"`: the variance over the variance of
//! the same estimate under simple random sampling of n_D units, s²_w / n_D · (N̂ − n_D)/N̂ without replacement
//! (`deff`) and s²_w / n_D with replacement (`deff_replace`), s²_w = n_D/(n_D − 1) Σ_D w (y − ȳ)² / Ŵ_D.
//!
//! Everything is computed from per-cell moments (one pass over the rows to aggregate, the projection on the
//! cells), so the cost is O(n) plus the size of the model.

use super::{CellTable, WeightingResult};
use crate::error::{CxkpiError, Result};
use crate::metrics::mean::MeanSpec;
use crate::metrics::{BoxSide, BoxSpec, NpsBands};
use crate::options::{check_confidence, option_enum, OptionReader, Options};
use crate::scale::{check_value, is_valid, MissingPolicy, Scale, ValueCheck};
use crate::stats::{z_crit, NeumaierSum};

option_enum! {
    /// How the standard error accounts for the weighting.
    Linearisation {
        /// GREG residuals: the base-weight-weighted projection on the calibration model (default).
        Greg => "greg",
        /// R survey 4.1's rule: `greg` for calibrate and poststratify, 10 backfitting sweeps of unweighted
        /// level means for rake.
        RSurvey => "r_survey",
        /// Weights treated as fixed (no calibration term).
        FixedWeights => "fixed_weights",
    }
}

/// The estimate and how the answers are turned into the analysis variable.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignMetric {
    /// NPS on −100..100: the mean of 100 · (1[promoter] − 1[detractor]).
    Nps(NpsBands),
    /// Top- (or bottom-) k-box share on 0..1: the mean of the box indicator.
    TopBox(BoxSpec),
    /// Mean score (CES and other means).
    Mean(MeanSpec),
}

impl DesignMetric {
    fn name(&self) -> &'static str {
        match self {
            DesignMetric::Nps(_) => "nps",
            DesignMetric::TopBox(_) => "top_box",
            DesignMetric::Mean(_) => "mean",
        }
    }

    fn missing(&self) -> MissingPolicy {
        match self {
            DesignMetric::Nps(b) => b.missing,
            DesignMetric::TopBox(s) => s.missing,
            DesignMetric::Mean(s) => s.missing,
        }
    }

    fn check(&self) -> ValueCheck {
        match self {
            DesignMetric::Nps(b) => ValueCheck::Scale(Scale {
                min: b.scale_min,
                max: b.scale_max,
            }),
            DesignMetric::TopBox(s) => ValueCheck::Scale(Scale {
                min: s.scale_min,
                max: s.scale_max,
            }),
            DesignMetric::Mean(s) => s.scale.map_or(ValueCheck::Finite, ValueCheck::Scale),
        }
    }

    /// The analysis variable of a valid answer.
    #[inline]
    fn recode(&self, v: f64) -> f64 {
        match self {
            DesignMetric::Nps(b) => {
                if v >= b.promoter_min as f64 {
                    100.0
                } else if v <= b.detractor_max as f64 {
                    -100.0
                } else {
                    0.0
                }
            }
            DesignMetric::TopBox(s) => {
                let inside = match s.side {
                    BoxSide::Top => v > (s.scale_max - s.k as i32) as f64,
                    BoxSide::Bottom => v < (s.scale_min + s.k as i32) as f64,
                };
                if inside {
                    1.0
                } else {
                    0.0
                }
            }
            DesignMetric::Mean(_) => v,
        }
    }
}

/// Options of [`design_estimate`].
#[derive(Debug, Clone, PartialEq)]
pub struct DesignEstimateOptions {
    pub metric: DesignMetric,
    pub linearisation: Linearisation,
    pub confidence: f64,
}

impl DesignEstimateOptions {
    /// `metric` is "nps", "top_box" or "mean" (alias "ces": the 1-7 scale); `o` holds that metric's scale
    /// and band options (as for [`crate::nps`], [`crate::top_box`], [`crate::mean_score`]; no `interval`:
    /// design-based intervals are normal), `linearisation` and `confidence`.
    pub fn from_options(metric: &str, o: &Options) -> Result<DesignEstimateOptions> {
        let mut r = OptionReader::new(o);
        let metric = match metric {
            "nps" => DesignMetric::Nps(NpsBands::read(&mut r)?),
            "top_box" => DesignMetric::TopBox(BoxSpec::read(&mut r)?),
            "mean" => DesignMetric::Mean(MeanSpec::read(&mut r, None)?),
            "ces" => DesignMetric::Mean(MeanSpec::read(&mut r, Some(Scale::CES))?),
            other => {
                return Err(CxkpiError::UnknownMethod {
                    arg: "metric".into(),
                    value: other.into(),
                    expected: "nps, top_box, mean, ces".into(),
                })
            }
        };
        let linearisation = r
            .enumeration("linearisation")?
            .unwrap_or(Linearisation::Greg);
        let confidence = check_confidence(r.f64("confidence")?.unwrap_or(0.95))?;
        r.finish()?;
        Ok(DesignEstimateOptions {
            metric,
            linearisation,
            confidence,
        })
    }
}

/// The estimate of one domain.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DomainEstimate {
    /// The level of `by` (`None` for the whole sample).
    pub level: Option<u32>,
    /// Rows of the domain with a valid answer.
    pub n: u64,
    /// Σ final weights of those rows.
    pub weight_sum: f64,
    /// `None` when the domain has no valid answer or its weights sum to 0.
    pub estimate: Option<f64>,
    /// Standard error under the chosen linearisation.
    pub se: Option<f64>,
    /// Standard error with the weights treated as fixed.
    pub se_fixed_weights: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// Design effect against simple random sampling without replacement (R `deff=TRUE`).
    pub deff: Option<f64>,
    /// Design effect against simple random sampling with replacement (R `deff="replace"`).
    pub deff_replace: Option<f64>,
}

/// A design-based estimate, overall and by domain.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DesignEstimate {
    /// "nps", "top_box" or "mean".
    pub metric: String,
    /// How the weights were made ("rake", "rake_trim", "calibrate", "poststratify").
    pub weighting_method: String,
    pub linearisation: Linearisation,
    pub confidence: f64,
    /// Rows of the sample (the n of the variance).
    pub n_rows: u64,
    /// Rows whose answer was missing (they stay in the sample with u = 0).
    pub n_missing: u64,
    pub overall: DomainEstimate,
    /// One entry per level of `by` (empty without `by`).
    pub by: Vec<DomainEstimate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    /// Intercept plus the levels of every variable (rake, calibrate).
    Margins,
    /// One column per crossed cell (poststratify).
    Crossed,
}

impl Model {
    fn of(method: &str) -> Result<Model> {
        match method {
            "rake" | "rake_trim" | "calibrate" => Ok(Model::Margins),
            "poststratify" => Ok(Model::Crossed),
            other => Err(CxkpiError::UnknownMethod {
                arg: "method".into(),
                value: other.into(),
                expected: "rake, rake_trim, calibrate, poststratify".into(),
            }),
        }
    }
}

/// A weighted sample and how its weights were made: the weighting variables' codes, the base weights, the
/// final weights and the method. Built once, used for any number of estimates.
#[derive(Debug, Clone)]
pub struct Design<'a> {
    cells: CellTable,
    model: Model,
    method: String,
    weights: &'a [f64],
    base: Option<&'a [f64]>,
}

impl<'a> Design<'a> {
    /// `codes[v]` are the codes of weighting variable v (levels `levels[v]`), `base` the base weights (1 when
    /// `None`), `weights` the final weights, `method` "rake", "rake_trim", "calibrate" or "poststratify".
    pub fn new(
        codes: &[&[u32]],
        levels: &[usize],
        base: Option<&'a [f64]>,
        weights: &'a [f64],
        method: &str,
    ) -> Result<Design<'a>> {
        let model = Model::of(method)?;
        if codes.len() != levels.len() {
            return Err(CxkpiError::LengthMismatch {
                arg: "levels".into(),
                len: levels.len(),
                other: "codes".into(),
                other_len: codes.len(),
            });
        }
        let cells = CellTable::build(codes, levels, base)?;
        if weights.len() != cells.n_rows {
            return Err(CxkpiError::LengthMismatch {
                arg: "weights".into(),
                len: weights.len(),
                other: "codes[0]".into(),
                other_len: cells.n_rows,
            });
        }
        for (i, &w) in weights.iter().enumerate() {
            crate::scale::check_weight(i, w)?;
        }
        Ok(Design {
            cells,
            model,
            method: method.into(),
            weights,
            base,
        })
    }

    /// The design of a weighting result: the same `codes` and `base` that were given to the fit.
    pub fn from_result(
        codes: &[&[u32]],
        base: Option<&'a [f64]>,
        result: &'a WeightingResult,
    ) -> Result<Design<'a>> {
        let levels: Vec<usize> = result.margins.iter().map(|m| m.target.len()).collect();
        Design::new(codes, &levels, base, &result.weights, &result.method)
    }

    /// Rows of the sample.
    pub fn n_rows(&self) -> usize {
        self.cells.n_rows
    }
}

/// Moments of the valid answers of one (cell, domain).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Bucket {
    count: u64,
    nonzero: u64,
    sd: f64,
    sdy: f64,
    sy: f64,
    sw: f64,
    swy: f64,
    sww: f64,
    swwy: f64,
    /// Σ w (y − mean_w)², Σ w² (y − mean_w²)² (second pass).
    m2w: f64,
    m2ww: f64,
    /// Smallest and largest answer (meaningful when count > 0): a domain whose answers are all equal has
    /// zero variance exactly, whatever the rounding of its moments.
    ymin: f64,
    ymax: f64,
}

impl Bucket {
    fn mean_w(&self) -> f64 {
        self.swy / self.sw
    }
    fn mean_ww(&self) -> f64 {
        self.swwy / self.sww
    }
    /// Adds another bucket's moments (Chan et al. for the second moments).
    fn merge(&mut self, o: &Bucket) {
        if o.count > 0 {
            if self.count == 0 {
                (self.ymin, self.ymax) = (o.ymin, o.ymax);
            } else {
                self.ymin = self.ymin.min(o.ymin);
                self.ymax = self.ymax.max(o.ymax);
            }
        }
        let m2w = merge_m2(self.sw, self.swy, self.m2w, o.sw, o.swy, o.m2w);
        let m2ww = merge_m2(self.sww, self.swwy, self.m2ww, o.sww, o.swwy, o.m2ww);
        self.count += o.count;
        self.nonzero += o.nonzero;
        self.sd += o.sd;
        self.sdy += o.sdy;
        self.sy += o.sy;
        self.sw += o.sw;
        self.swy += o.swy;
        self.sww += o.sww;
        self.swwy += o.swwy;
        self.m2w = m2w;
        self.m2ww = m2ww;
    }
}

fn merge_m2(wa: f64, sa: f64, m2a: f64, wb: f64, sb: f64, m2b: f64) -> f64 {
    if wa <= 0.0 {
        return m2b;
    }
    if wb <= 0.0 {
        return m2a;
    }
    let d = sb / wb - sa / wa;
    m2a + m2b + d * d * wa * wb / (wa + wb)
}

/// Per-cell totals over every row (valid or not).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct CellAll {
    count: u64,
    sd: f64,
    sw: f64,
    sww: f64,
}

impl CellAll {
    fn merge(&mut self, o: &CellAll) {
        self.count += o.count;
        self.sd += o.sd;
        self.sw += o.sw;
        self.sww += o.sww;
    }
}

/// Weighted mean, top-box share or NPS of `values` under `design`, overall and (with `by`, one code per row)
/// by domain, with calibration-aware standard errors. See the module documentation for the formulas.
///
/// ```
/// use cxkpi::weighting::{rake, design_estimate, Design, DesignEstimateOptions, WeightingOptions};
/// use cxkpi::Options;
/// let region = [0u32, 0, 0, 1, 1, 1, 1, 1];
/// let scores = [10.0, 9.0, 3.0, 8.0, 10.0, 6.0, 7.0, 9.0];
/// let fit = rake(&[&region], &[&[500.0, 500.0]], None, &WeightingOptions::default()).unwrap();
/// let design = Design::from_result(&[&region], None, &fit).unwrap();
/// let opts = DesignEstimateOptions::from_options("nps", &Options::new()).unwrap();
/// let r = design_estimate(&scores, &design, None, &opts).unwrap();
/// // NPS = 0.5 · (1/3) + 0.5 · (1/5) = 26.67 points; the SE accounts for the raking.
/// assert!((r.overall.estimate.unwrap() - 80.0 / 3.0).abs() < 1e-9);
/// assert!(r.overall.se.unwrap() < r.overall.se_fixed_weights.unwrap());
/// ```
pub fn design_estimate(
    values: &[f64],
    design: &Design<'_>,
    by: Option<&[u32]>,
    opts: &DesignEstimateOptions,
) -> Result<DesignEstimate> {
    check_confidence(opts.confidence)?;
    let n = design.cells.n_rows;
    if values.len() != n {
        return Err(CxkpiError::LengthMismatch {
            arg: "values".into(),
            len: values.len(),
            other: "the design's rows".into(),
            other_len: n,
        });
    }
    let n_domains = match by {
        None => 0,
        Some(b) => {
            if b.len() != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: "by".into(),
                    len: b.len(),
                    other: "values".into(),
                    other_len: n,
                });
            }
            b.iter().map(|&k| k as usize + 1).max().unwrap_or(0)
        }
    };
    let (buckets, all, n_missing) = accumulate(
        values,
        &design.cells.cell_of_row,
        design.cells.n_cells(),
        design.weights,
        design.base,
        by,
        n_domains,
        &opts.metric,
    )?;
    Ok(finish_moments(
        design, &buckets, &all, n_domains, n_missing, opts,
    ))
}

/// One pass (two, for the second moments) over the rows: the moments of every (cell, domain) bucket and the
/// totals of every cell. Bucket layout: [cell][0 = whole sample, 1.. = domain levels].
#[allow(clippy::too_many_arguments)]
fn accumulate(
    values: &[f64],
    cell_of: &[u32],
    n_cells: usize,
    w: &[f64],
    base: Option<&[f64]>,
    by: Option<&[u32]>,
    n_domains: usize,
    metric: &DesignMetric,
) -> Result<(Vec<Bucket>, Vec<CellAll>, u64)> {
    let n = values.len();
    let check = metric.check();
    let missing = metric.missing();
    let stride = n_domains + 1;
    let mut buckets = vec![Bucket::default(); n_cells * stride];
    let mut all = vec![CellAll::default(); n_cells];
    let mut n_missing = 0u64;
    let d_of = |i: usize| base.map_or(1.0, |b| b[i]);
    // Pass 1: sums.
    for i in 0..n {
        let c = cell_of[i] as usize;
        let (wi, di) = (w[i], d_of(i));
        let a = &mut all[c];
        a.count += 1;
        a.sd += di;
        a.sw += wi;
        a.sww += wi * wi;
        let v = values[i];
        if v.is_nan() {
            if missing == MissingPolicy::Error {
                return Err(CxkpiError::MissingValue {
                    arg: "values".into(),
                    index: i,
                });
            }
            n_missing += 1;
            continue;
        }
        if !is_valid(v, check) {
            check_value("values", i, v, check)?;
        }
        let y = metric.recode(v);
        let add = |b: &mut Bucket| {
            if b.count == 0 {
                (b.ymin, b.ymax) = (y, y);
            } else {
                b.ymin = b.ymin.min(y);
                b.ymax = b.ymax.max(y);
            }
            b.count += 1;
            b.nonzero += (wi != 0.0) as u64;
            b.sd += di;
            b.sdy += di * y;
            b.sy += y;
            b.sw += wi;
            b.swy += wi * y;
            b.sww += wi * wi;
            b.swwy += wi * wi * y;
        };
        add(&mut buckets[c * stride]);
        if let Some(b) = by {
            add(&mut buckets[c * stride + 1 + b[i] as usize]);
        }
    }
    // Pass 2: second moments about each bucket's own means.
    let means: Vec<(f64, f64)> = buckets.iter().map(|b| (b.mean_w(), b.mean_ww())).collect();
    for i in 0..n {
        let v = values[i];
        if v.is_nan() {
            continue;
        }
        let y = metric.recode(v);
        let wi = w[i];
        let c = cell_of[i] as usize;
        let mut add = |k: usize| {
            let (mw, mww) = means[k];
            let b = &mut buckets[k];
            if b.sw > 0.0 {
                b.m2w += wi * (y - mw) * (y - mw);
            }
            if b.sww > 0.0 {
                b.m2ww += wi * wi * (y - mww) * (y - mww);
            }
        };
        add(c * stride);
        if let Some(b) = by {
            add(c * stride + 1 + b[i] as usize);
        }
    }
    Ok((buckets, all, n_missing))
}

/// The estimates from the moments: the projection on the design's model, domain by domain.
fn finish_moments(
    design: &Design<'_>,
    buckets: &[Bucket],
    all: &[CellAll],
    n_domains: usize,
    n_missing: u64,
    opts: &DesignEstimateOptions,
) -> DesignEstimate {
    let n_cells = design.cells.n_cells();
    let stride = n_domains + 1;
    let n = all.iter().map(|c| c.count).sum::<u64>();
    let model = ModelFit::new(design);
    let domain = |k: usize, level: Option<u32>| -> DomainEstimate {
        let bk: Vec<Bucket> = (0..n_cells).map(|c| buckets[c * stride + k]).collect();
        estimate_domain(&bk, all, design, &model, opts, n, level)
    };
    let overall = domain(0, None);
    let by_est = (0..n_domains)
        .map(|k| domain(k + 1, Some(k as u32)))
        .collect();
    DesignEstimate {
        metric: opts.metric.name().into(),
        weighting_method: design.method.clone(),
        linearisation: opts.linearisation,
        confidence: opts.confidence,
        n_rows: n,
        n_missing,
        overall,
        by: by_est,
    }
}

/// Mergeable per-cell aggregate of a shard for design-based estimates: the moments of every (cell of the
/// weighting variables, domain) and the totals of every cell. Shards (days, partitions, workers) build their
/// own from their rows and the weights of the shared fit ([`super::CellWeights::apply`]), the partials merge
/// in any order (serde JSON between workers), and [`DesignPartial::finish`] gives the estimates with
/// calibration-aware SEs of the union, without the rows. Equal to [`design_estimate`] on the whole up to
/// the rounding of the merge order.
///
/// ```
/// use cxkpi::weighting::{design_estimate, rake, Design, DesignEstimateOptions, DesignPartial, WeightingOptions};
/// use cxkpi::Options;
/// let seg = [0u32, 0, 1, 1, 1, 0, 1, 1];
/// let ltr = [10.0, 9.0, 3.0, 8.0, 10.0, 6.0, 9.0, 7.0];
/// let fit = rake(&[&seg], &[&[300.0, 700.0]], None, &WeightingOptions::default()).unwrap();
/// let o = DesignEstimateOptions::from_options("nps", &Options::new()).unwrap();
/// let (w1, w2) = fit.weights.split_at(5);
/// let mut p = DesignPartial::from_rows(&ltr[..5], &[&seg[..5]], &[2], None, w1, None, &o).unwrap();
/// p.merge(&DesignPartial::from_rows(&ltr[5..], &[&seg[5..]], &[2], None, w2, None, &o).unwrap()).unwrap();
/// let merged = p.finish("rake", &o).unwrap();
/// let whole = design_estimate(&ltr, &Design::from_result(&[&seg], None, &fit).unwrap(), None, &o).unwrap();
/// assert!((merged.overall.se.unwrap() - whole.overall.se.unwrap()).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DesignPartial {
    metric: DesignMetric,
    levels: Vec<usize>,
    /// `keys[c]`: the level of every weighting variable in cell c; sorted.
    keys: Vec<Vec<u32>>,
    n_domains: usize,
    buckets: Vec<Bucket>,
    all: Vec<CellAll>,
    n_missing: u64,
}

impl DesignPartial {
    /// The aggregate of one shard: its answers, its weighting variables' codes (`levels[v]` levels each),
    /// base weights, final weights (the shared fit applied to the shard), and domain codes.
    pub fn from_rows(
        values: &[f64],
        codes: &[&[u32]],
        levels: &[usize],
        base: Option<&[f64]>,
        weights: &[f64],
        by: Option<&[u32]>,
        opts: &DesignEstimateOptions,
    ) -> Result<DesignPartial> {
        if codes.len() != levels.len() {
            return Err(CxkpiError::LengthMismatch {
                arg: "levels".into(),
                len: levels.len(),
                other: "codes".into(),
                other_len: codes.len(),
            });
        }
        if !codes.is_empty()
            && codes.iter().all(|c| c.is_empty())
            && values.is_empty()
            && weights.is_empty()
        {
            // A shard without rows (a day without answers): the neutral element of `merge`.
            return Ok(DesignPartial {
                metric: opts.metric,
                levels: levels.to_vec(),
                keys: Vec::new(),
                n_domains: 0,
                buckets: Vec::new(),
                all: Vec::new(),
                n_missing: 0,
            });
        }
        let cells = CellTable::build(codes, levels, base)?;
        let n = cells.n_rows;
        for (arg, len) in [("values", values.len()), ("weights", weights.len())] {
            if len != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: arg.into(),
                    len,
                    other: "codes[0]".into(),
                    other_len: n,
                });
            }
        }
        for (i, &w) in weights.iter().enumerate() {
            crate::scale::check_weight(i, w)?;
        }
        let n_domains = match by {
            None => 0,
            Some(b) if b.len() != n => {
                return Err(CxkpiError::LengthMismatch {
                    arg: "by".into(),
                    len: b.len(),
                    other: "values".into(),
                    other_len: n,
                })
            }
            Some(b) => b.iter().map(|&k| k as usize + 1).max().unwrap_or(0),
        };
        let (buckets, all, n_missing) = accumulate(
            values,
            &cells.cell_of_row,
            cells.n_cells(),
            weights,
            base,
            by,
            n_domains,
            &opts.metric,
        )?;
        let keys = (0..cells.n_cells())
            .map(|c| (0..levels.len()).map(|v| cells.cell_levels[v][c]).collect())
            .collect();
        Ok(DesignPartial {
            metric: opts.metric,
            levels: levels.to_vec(),
            keys,
            n_domains,
            buckets,
            all,
            n_missing,
        })
    }

    /// Adds another shard (same metric and weighting variables; domains may differ in number).
    pub fn merge(&mut self, other: &DesignPartial) -> Result<()> {
        if self.metric != other.metric || self.levels != other.levels {
            return Err(CxkpiError::IncompatiblePartials {
                message: "design partials must share the metric (and its scale options) and the weighting \
                          variables' levels"
                    .into(),
            });
        }
        let nd = self.n_domains.max(other.n_domains);
        let (s1, s2, s) = (self.n_domains + 1, other.n_domains + 1, nd + 1);
        let mut keys = Vec::new();
        let mut buckets = Vec::new();
        let mut all = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.keys.len() || j < other.keys.len() {
            let take_self =
                j >= other.keys.len() || (i < self.keys.len() && self.keys[i] <= other.keys[j]);
            let take_other =
                i >= self.keys.len() || (j < other.keys.len() && other.keys[j] <= self.keys[i]);
            let mut row = vec![Bucket::default(); s];
            let mut tot = CellAll::default();
            if take_self {
                row[..s1].copy_from_slice(&self.buckets[i * s1..(i + 1) * s1]);
                tot.merge(&self.all[i]);
                keys.push(self.keys[i].clone());
            } else {
                keys.push(other.keys[j].clone());
            }
            if take_other {
                for (k, b) in other.buckets[j * s2..(j + 1) * s2].iter().enumerate() {
                    row[k].merge(b);
                }
                tot.merge(&other.all[j]);
            }
            buckets.extend(row);
            all.push(tot);
            i += take_self as usize;
            j += take_other as usize;
        }
        self.keys = keys;
        self.buckets = buckets;
        self.all = all;
        self.n_domains = nd;
        self.n_missing += other.n_missing;
        Ok(())
    }

    /// The estimates of the union of the shards, for weights made by `method` ("rake", "rake_trim",
    /// "calibrate", "poststratify"); `opts.metric` must be the partials' metric.
    pub fn finish(&self, method: &str, opts: &DesignEstimateOptions) -> Result<DesignEstimate> {
        if opts.metric != self.metric {
            return Err(CxkpiError::IncompatiblePartials {
                message: "the options' metric differs from the partial's".into(),
            });
        }
        let model = Model::of(method)?;
        let cells = CellTable::from_keys(
            &self.levels,
            &self.keys,
            self.all.iter().map(|c| c.sd).collect(),
            Vec::new(),
            self.all.iter().map(|c| c.count).collect(),
        );
        let design = Design {
            cells,
            model,
            method: method.into(),
            weights: &[],
            base: None,
        };
        Ok(finish_moments(
            &design,
            &self.buckets,
            &self.all,
            self.n_domains,
            self.n_missing,
            opts,
        ))
    }
}

/// The factored normal equations of the margins model (intercept + treatment dummies), or nothing for the
/// crossed model.
struct ModelFit {
    /// Column of each (variable, level): `None` for level 0 (the reference) — index into β.
    col: Vec<Vec<Option<usize>>>,
    p: usize,
    /// Row-reduced normal matrix (upper triangle) and the kept pivots.
    a: Vec<Vec<f64>>,
    kept: Vec<bool>,
}

impl ModelFit {
    fn new(design: &Design<'_>) -> ModelFit {
        let cells = &design.cells;
        let mut col = Vec::new();
        let mut p = 1;
        for &l in &cells.levels {
            let mut cv = vec![None];
            for _ in 1..l {
                cv.push(Some(p));
                p += 1;
            }
            col.push(cv);
        }
        let mut fit = ModelFit {
            col,
            p,
            a: vec![vec![0.0; p]; p],
            kept: vec![true; p],
        };
        if design.model == Model::Crossed {
            return fit;
        }
        // A = Σ_c D_c x_c x_c' over every row (D_c = Σ base weights of the cell).
        for c in 0..cells.n_cells() {
            let dc = cells.base_total[c];
            let xs = fit.columns(cells, c);
            for &j in &xs {
                for &k in &xs {
                    fit.a[j][k] += dc;
                }
            }
        }
        // Gaussian elimination in column order; a pivot that has (relatively) vanished marks a column that
        // the earlier ones span (an empty level, or confounded levels): it is dropped, which leaves the
        // projection unchanged.
        let diag: Vec<f64> = (0..p).map(|j| fit.a[j][j]).collect();
        for k in 0..p {
            let piv = fit.a[k][k];
            if !(piv > 1e-10 * diag[k].max(f64::MIN_POSITIVE)) {
                fit.kept[k] = false;
                continue;
            }
            for i in k + 1..p {
                let f = fit.a[i][k] / piv;
                if f != 0.0 {
                    for j in k..p {
                        fit.a[i][j] -= f * fit.a[k][j];
                    }
                }
            }
        }
        fit
    }

    /// The model columns of cell c (intercept first).
    fn columns(&self, cells: &CellTable, c: usize) -> Vec<usize> {
        let mut xs = vec![0];
        for (v, cv) in self.col.iter().enumerate() {
            if let Some(j) = cv[cells.cell_levels[v][c] as usize] {
                xs.push(j);
            }
        }
        xs
    }

    /// β of the normal equations A β = rhs (dropped columns get 0).
    fn solve(&self, rhs: &[f64]) -> Vec<f64> {
        let p = self.p;
        // Forward elimination of the right-hand side with the stored multipliers (recomputed from the
        // reduced matrix: a[i][k] below the diagonal is unchanged, the multiplier is a[i][k] / a[k][k] at
        // the time of elimination, i.e. the reduced a[k][i] / a[k][k] by symmetry of the original).
        let mut b = rhs.to_vec();
        for k in 0..p {
            if !self.kept[k] {
                continue;
            }
            for i in k + 1..p {
                let f = self.a[k][i] / self.a[k][k];
                b[i] -= f * b[k];
            }
        }
        let mut beta = vec![0.0; p];
        for k in (0..p).rev() {
            if !self.kept[k] {
                continue;
            }
            let mut s = b[k];
            for j in k + 1..p {
                s -= self.a[k][j] * beta[j];
            }
            beta[k] = s / self.a[k][k];
        }
        beta
    }
}

/// How much of u the calibration model explains in each cell (a_c), by convention.
fn projection(
    bk: &[Bucket],
    all: &[CellAll],
    design: &Design<'_>,
    model: &ModelFit,
    lin: Linearisation,
    ybar: f64,
    wsum: f64,
) -> Vec<f64> {
    let cells = &design.cells;
    let nc = cells.n_cells();
    // T_c = Σ_{D∩c} d u (base-weighted), Tu_c = Σ_{D∩c} u (unweighted).
    let t: Vec<f64> = bk.iter().map(|b| (b.sdy - ybar * b.sd) / wsum).collect();
    match (lin, design.model) {
        (Linearisation::FixedWeights, _) => vec![0.0; nc],
        (_, Model::Crossed) => (0..nc)
            .map(|c| {
                let dc = cells.base_total[c];
                if dc > 0.0 {
                    t[c] / dc
                } else {
                    0.0
                }
            })
            .collect(),
        (Linearisation::RSurvey, Model::Margins) if design.method.starts_with("rake") => {
            // R svyrecvar: 10 sweeps of x ← x − w · ave(x / w, margin) over the margins in order.
            let tu: Vec<f64> = bk
                .iter()
                .map(|b| (b.sy - ybar * b.count as f64) / wsum)
                .collect();
            let mut a = vec![0.0; nc];
            for _ in 0..10 {
                for v in 0..cells.levels.len() {
                    let l = cells.levels[v];
                    let (mut num, mut den) = (vec![0.0; l], vec![0.0; l]);
                    for c in 0..nc {
                        let k = cells.cell_levels[v][c] as usize;
                        num[k] += tu[c] - all[c].count as f64 * a[c];
                        den[k] += all[c].count as f64;
                    }
                    for c in 0..nc {
                        let k = cells.cell_levels[v][c] as usize;
                        if den[k] > 0.0 {
                            a[c] += num[k] / den[k];
                        }
                    }
                }
            }
            a
        }
        _ => {
            let mut rhs = vec![0.0; model.p];
            for c in 0..nc {
                for j in model.columns(cells, c) {
                    rhs[j] += t[c];
                }
            }
            let beta = model.solve(&rhs);
            (0..nc)
                .map(|c| model.columns(cells, c).iter().map(|&j| beta[j]).sum())
                .collect()
        }
    }
}

/// n/(n−1) Σ (e − ē)² from the per-cell moments, for the projection `a`.
fn variance(bk: &[Bucket], all: &[CellAll], a: &[f64], ybar: f64, wsum: f64, n: u64) -> f64 {
    let mut sq = NeumaierSum::default();
    let mut sum = NeumaierSum::default();
    for ((b, c), &ac) in bk.iter().zip(all).zip(a) {
        // Rows of the domain in the cell: e = (w / Ŵ)(y − (ȳ + Ŵ a)).
        if b.sww > 0.0 {
            let shift = b.mean_ww() - (ybar + wsum * ac);
            sq.add((b.m2ww + b.sww * shift * shift) / (wsum * wsum));
        }
        // Rows outside the domain (or missing): e = −w a.
        sq.add(ac * ac * (c.sww - b.sww).max(0.0));
        sum.add((b.swy - ybar * b.sw) / wsum - ac * c.sw);
    }
    let (sq, sum, n) = (sq.value(), sum.value(), n as f64);
    (n / (n - 1.0) * (sq - sum * sum / n)).max(0.0)
}

fn estimate_domain(
    bk: &[Bucket],
    all: &[CellAll],
    design: &Design<'_>,
    model: &ModelFit,
    opts: &DesignEstimateOptions,
    n_rows: u64,
    level: Option<u32>,
) -> DomainEstimate {
    let count: u64 = bk.iter().map(|b| b.count).sum();
    let nonzero: u64 = bk.iter().map(|b| b.nonzero).sum();
    let wsum = NeumaierSum::of(&bk.iter().map(|b| b.sw).collect::<Vec<_>>());
    let mut out = DomainEstimate {
        level,
        n: count,
        weight_sum: wsum,
        estimate: None,
        se: None,
        se_fixed_weights: None,
        lower: None,
        upper: None,
        deff: None,
        deff_replace: None,
    };
    if count == 0 || wsum <= 0.0 {
        return out;
    }
    let ybar = NeumaierSum::of(&bk.iter().map(|b| b.swy).collect::<Vec<_>>()) / wsum;
    out.estimate = Some(ybar);
    // All answers equal: the estimate is that value and its variance is zero exactly (the design effect,
    // a ratio of two zero variances, is undefined). Without this, rounding noise of order 1e-15 would stand
    // for both and give an arbitrary design effect.
    let with_answers = bk.iter().filter(|b| b.count > 0);
    let lo = with_answers
        .clone()
        .map(|b| b.ymin)
        .fold(f64::INFINITY, f64::min);
    let hi = with_answers
        .map(|b| b.ymax)
        .fold(f64::NEG_INFINITY, f64::max);
    if lo == hi {
        out.estimate = Some(lo);
        if n_rows >= 2 {
            (out.se, out.se_fixed_weights) = (Some(0.0), Some(0.0));
            (out.lower, out.upper) = (Some(lo), Some(lo));
        }
        return out;
    }
    if n_rows < 2 {
        return out;
    }
    let a = projection(bk, all, design, model, opts.linearisation, ybar, wsum);
    let v = variance(bk, all, &a, ybar, wsum, n_rows);
    let v_fixed = variance(bk, all, &vec![0.0; a.len()], ybar, wsum, n_rows);
    let se = v.sqrt();
    let z = z_crit(opts.confidence);
    out.se = Some(se);
    out.se_fixed_weights = Some(v_fixed.sqrt());
    out.lower = Some(ybar - z * se);
    out.upper = Some(ybar + z * se);
    // Design effects against SRS of the domain's n (rows with a non-zero weight), as R svymean.
    if nonzero >= 2 {
        let m2 = NeumaierSum::of(
            &bk.iter()
                .filter(|b| b.sw > 0.0)
                .map(|b| {
                    let s = b.mean_w() - ybar;
                    b.m2w + b.sw * s * s
                })
                .collect::<Vec<_>>(),
        );
        let nd = nonzero as f64;
        let s2 = nd / (nd - 1.0) * m2 / wsum;
        let v_rep = s2 / nd;
        if v_rep > 0.0 {
            out.deff_replace = Some(v / v_rep);
            if wsum > nd {
                out.deff = Some(v / (v_rep * (wsum - nd) / wsum));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weighting::{calibrate, poststratify, rake, WeightingOptions};

    fn opts(metric: &str, lin: &str) -> DesignEstimateOptions {
        let mut o = Options::new();
        o.insert("linearisation".into(), lin.into());
        DesignEstimateOptions::from_options(metric, &o).unwrap()
    }

    /// Direct row-by-row computation of the GREG variance with an explicit least-squares solve (normal
    /// equations on the full dummy matrix via the crossed-cell route for one variable).
    #[test]
    fn one_variable_greg_equals_poststratification_by_hand() {
        // One variable: raking = post-stratification; a_c = Σ_c d u / Σ_c d (cell mean of u).
        let g = [0u32, 0, 0, 1, 1, 1, 1, 1];
        let y = [10.0, 9.0, 3.0, 8.0, 10.0, 6.0, 7.0, 9.0];
        let fit = rake(
            &[&g],
            &[&[500.0, 500.0]],
            None,
            &WeightingOptions::default(),
        )
        .unwrap();
        let d = Design::from_result(&[&g], None, &fit).unwrap();
        let r = design_estimate(&y, &d, None, &opts("mean", "greg")).unwrap();
        // By hand: w = 500/3 for group 0, 100 for group 1; Ŵ = 1000.
        let w: Vec<f64> = g
            .iter()
            .map(|&k| if k == 0 { 500.0 / 3.0 } else { 100.0 })
            .collect();
        let ybar: f64 = w.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / 1000.0;
        let u: Vec<f64> = y.iter().map(|v| (v - ybar) / 1000.0).collect();
        let mean_u = |k: u32| {
            let (s, c) = g
                .iter()
                .zip(&u)
                .filter(|(&gg, _)| gg == k)
                .fold((0.0, 0.0), |(s, c), (_, x)| (s + x, c + 1.0));
            s / c
        };
        let e: Vec<f64> = (0..8).map(|i| w[i] * (u[i] - mean_u(g[i]))).collect();
        let ebar = e.iter().sum::<f64>() / 8.0;
        let v = 8.0 / 7.0 * e.iter().map(|x| (x - ebar) * (x - ebar)).sum::<f64>();
        assert!((r.overall.estimate.unwrap() - ybar).abs() < 1e-12);
        assert!((r.overall.se.unwrap() - v.sqrt()).abs() < 1e-12 * v.sqrt());
        // Fixed weights: e = w u.
        let e: Vec<f64> = (0..8).map(|i| w[i] * u[i]).collect();
        let ebar = e.iter().sum::<f64>() / 8.0;
        let vf = 8.0 / 7.0 * e.iter().map(|x| (x - ebar) * (x - ebar)).sum::<f64>();
        assert!((r.overall.se_fixed_weights.unwrap() - vf.sqrt()).abs() < 1e-12 * vf.sqrt());
        // The same through poststratify, and through calibrate (linear).
        let p = poststratify(
            &[&g],
            &[2],
            &[500.0, 500.0],
            None,
            &WeightingOptions::default(),
        )
        .unwrap();
        let dp = Design::from_result(&[&g], None, &p).unwrap();
        let rp = design_estimate(&y, &dp, None, &opts("mean", "greg")).unwrap();
        assert!((rp.overall.se.unwrap() - v.sqrt()).abs() < 1e-12 * v.sqrt());
        let c = calibrate(
            &[&g],
            &[&[500.0, 500.0]],
            None,
            &WeightingOptions::default(),
        )
        .unwrap();
        let dc = Design::from_result(&[&g], None, &c).unwrap();
        let rc = design_estimate(&y, &dc, None, &opts("mean", "greg")).unwrap();
        assert!((rc.overall.se.unwrap() - v.sqrt()).abs() < 1e-12 * v.sqrt());
    }

    #[test]
    fn backfitting_converges_to_the_projection_with_equal_base_weights() {
        // Two crossed margins, equal base weights: R's backfitting (unweighted means) converges to the
        // unweighted projection = greg; after 10 sweeps they are close but need not be equal.
        let a = [0u32, 0, 1, 1, 0, 1, 0, 1, 1, 0];
        let b = [0u32, 1, 0, 1, 1, 0, 0, 1, 0, 1];
        let y = [9.0, 10.0, 3.0, 7.0, 8.0, 10.0, 6.0, 9.0, 2.0, 10.0];
        let fit = rake(
            &[&a, &b],
            &[&[60.0, 40.0], &[30.0, 70.0]],
            None,
            &WeightingOptions::default(),
        )
        .unwrap();
        let d = Design::from_result(&[&a, &b], None, &fit).unwrap();
        let g = design_estimate(&y, &d, None, &opts("nps", "greg")).unwrap();
        let r = design_estimate(&y, &d, None, &opts("nps", "r_survey")).unwrap();
        let (sg, sr) = (g.overall.se.unwrap(), r.overall.se.unwrap());
        assert!((sg - sr).abs() < 1e-3 * sg, "{sg} vs {sr}");
        assert_eq!(g.overall.estimate, r.overall.estimate);
    }

    #[test]
    fn domains_and_missing_answers() {
        let g = [0u32, 0, 0, 1, 1, 1, 1, 1];
        let y = [10.0, f64::NAN, 3.0, 8.0, 10.0, 6.0, 7.0, 9.0];
        let by = [0u32, 1, 1, 0, 1, 0, 1, 1];
        let fit = rake(
            &[&g],
            &[&[500.0, 500.0]],
            None,
            &WeightingOptions::default(),
        )
        .unwrap();
        let d = Design::from_result(&[&g], None, &fit).unwrap();
        let r = design_estimate(&y, &d, Some(&by), &opts("top_box", "greg"));
        // top_box defaults to a 1-5 scale: 10 is out of scale.
        assert_eq!(r.unwrap_err().kind(), "out_of_scale");
        let r = design_estimate(&y, &d, Some(&by), &opts("nps", "greg")).unwrap();
        assert_eq!(r.n_missing, 1);
        assert_eq!(r.by.len(), 2);
        assert_eq!(r.by[0].n + r.by[1].n, 7);
        assert!(r.by.iter().all(|x| x.se.unwrap() > 0.0));
    }

    #[test]
    fn errors_name_the_problem() {
        let g = [0u32, 1];
        let fit = rake(&[&g], &[&[1.0, 1.0]], None, &WeightingOptions::default()).unwrap();
        let d = Design::from_result(&[&g], None, &fit).unwrap();
        let e = design_estimate(&[1.0], &d, None, &opts("mean", "greg")).unwrap_err();
        assert_eq!(e.kind(), "length_mismatch");
        let e = DesignEstimateOptions::from_options("median", &Options::new()).unwrap_err();
        assert_eq!(e.kind(), "unknown_method");
        let e = Design::new(&[&g], &[2], None, &[1.0, -1.0], "rake").unwrap_err();
        assert_eq!(e.kind(), "invalid_weight");
    }
}
