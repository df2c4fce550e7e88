//! Scoring building blocks: threshold interpolation and status, the directional slope test, the
//! benchmarking normalisations and the weighted means.

use super::document::{anchor_fractions, threshold_points, KpiDef};
use super::{
    Aggregation, Inclusivity, KpiDirection, MissingKpiPolicy, NormalisationMethod, Status,
    ZeroPolicy, ZeroRangePolicy,
};
use crate::error::{CxkpiError, Result};
use crate::stats::{t_sf, NeumaierSum};
use serde::{Deserialize, Serialize};

/// Linear score between threshold points, capped to `[0, score_max]`.
///
/// `points` are in increasing order of goodness (increasing values when `increasing`, else decreasing) and
/// `anchors` are their fractions of `score_max` (0 for the first, 1 for the last). A value worse than the
/// first point scores 0, better than the last scores `score_max`.
///
/// ```
/// // red flag 0, threshold 20, target 40, stretch 60 on 0-10: 30 scores 5.
/// let s = cxkpi::composite::score_thresholds(30.0, &[0.0, 20.0, 40.0, 60.0], &[0.0, 1.0/3.0, 2.0/3.0, 1.0], 10.0, true);
/// assert!((s - 5.0).abs() < 1e-12);
/// ```
pub fn score_thresholds(
    x: f64,
    points: &[f64],
    anchors: &[f64],
    score_max: f64,
    increasing: bool,
) -> f64 {
    // Work on "goodness" coordinates g = x (increasing) or -x.
    let g = |v: f64| if increasing { v } else { -v };
    let gx = g(x);
    let n = points.len();
    if gx <= g(points[0]) {
        return anchors[0] * score_max;
    }
    if gx >= g(points[n - 1]) {
        return anchors[n - 1] * score_max;
    }
    // A value exactly at a threshold earns exactly that threshold's anchor.
    if let Some(i) = points.iter().position(|&p| p == x) {
        return anchors[i] * score_max;
    }
    for i in 1..n {
        let (lo, hi) = (g(points[i - 1]), g(points[i]));
        if gx <= hi {
            let f = anchors[i - 1] + (anchors[i] - anchors[i - 1]) * (gx - lo) / (hi - lo);
            return (f * score_max).clamp(0.0, score_max);
        }
    }
    anchors[n - 1] * score_max
}

/// The threshold scoring of one KPI, prepared once (points, anchors, orientation).
pub(crate) struct ThresholdScorer {
    points: Vec<f64>,
    anchors: Vec<f64>,
    increasing: bool,
    /// The centre of a closer-to-target KPI (its value is scored on |x - centre|).
    centre: Option<f64>,
}

impl ThresholdScorer {
    pub(crate) fn new(k: &KpiDef) -> ThresholdScorer {
        let points = threshold_points(k);
        let anchors = anchor_fractions(k, points.len());
        let (increasing, centre) = match k.direction {
            KpiDirection::Higher => (true, None),
            KpiDirection::Lower => (false, None),
            KpiDirection::Closer => (false, k.thresholds.and_then(|t| t.target)),
        };
        ThresholdScorer {
            points,
            anchors,
            increasing,
            centre,
        }
    }

    #[inline]
    pub(crate) fn score(&self, x: f64, score_max: f64) -> f64 {
        let v = match self.centre {
            Some(c) => (x - c).abs(),
            None => x,
        };
        score_thresholds(v, &self.points, &self.anchors, score_max, self.increasing)
    }
}

/// Status colour of a threshold KPI for value `x`.
pub(crate) fn kpi_status(k: &KpiDef, x: f64, inclusivity: Inclusivity) -> Status {
    let Some(t) = k.thresholds else {
        return Status::None;
    };
    // earns(level): the value is at least as good as `level` (inclusive) or strictly better (exclusive).
    let (v, up, levels) = match k.direction {
        KpiDirection::Higher => (x, true, [t.threshold, t.target, t.stretch]),
        KpiDirection::Lower => (x, false, [t.threshold, t.target, t.stretch]),
        // Closer: distances; within red_flag = amber, within threshold = green, within stretch = blue.
        KpiDirection::Closer => (
            (x - t.target.unwrap()).abs(),
            false,
            [t.red_flag, t.threshold, t.stretch],
        ),
    };
    let earns = |level: f64| match (inclusivity, up) {
        (Inclusivity::Inclusive, true) => v >= level,
        (Inclusivity::Exclusive, true) => v > level,
        (Inclusivity::Inclusive, false) => v <= level,
        (Inclusivity::Exclusive, false) => v < level,
    };
    let colours = [Status::Amber, Status::Green, Status::Blue];
    let mut status = Status::Red;
    for (lvl, c) in levels.iter().zip(colours) {
        if let Some(l) = lvl {
            if earns(*l) {
                status = c;
            } else {
                break;
            }
        }
    }
    // A KPI whose first declared level is missing (e.g. no threshold): earning a later level still counts.
    if status == Status::Red {
        for (lvl, c) in levels.iter().zip(colours).rev() {
            if let Some(l) = lvl {
                if earns(*l) {
                    return c;
                }
            }
        }
    }
    status
}

/// Status of a node score from the bands (fractions of `score_max`).
pub(crate) fn node_status(score: f64, bands: [f64; 3], score_max: f64, inc: Inclusivity) -> Status {
    let earns = |b: f64| match inc {
        Inclusivity::Inclusive => score >= b * score_max,
        Inclusivity::Exclusive => score > b * score_max,
    };
    if earns(bands[2]) {
        Status::Blue
    } else if earns(bands[1]) {
        Status::Green
    } else if earns(bands[0]) {
        Status::Amber
    } else {
        Status::Red
    }
}

/// The result of the directional slope test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlopeTest {
    /// OLS slope per period.
    pub slope: f64,
    /// Its standard error (None when the residuals are exactly zero).
    pub se: Option<f64>,
    /// t statistic (None when `se` is None).
    pub t: Option<f64>,
    /// n - 2.
    pub df: u32,
    /// One-sided p-value for improvement in the KPI's direction (0 or 1 for an exact line).
    pub p_improving: f64,
    /// One-sided p-value for worsening.
    pub p_worsening: f64,
    /// "improving", "worsening" or "no_trend".
    pub verdict: String,
}

/// OLS slope of `y` on 0, 1, ..., n-1 with a one-sided t-test in the KPI's `direction` at level `alpha`.
///
/// `verdict` is "improving" when p_improving < alpha, "worsening" when p_worsening < alpha, else
/// "no_trend". Same as R `summary(lm(y ~ seq_along(y)))` with `pt(t, n - 2, lower.tail = FALSE)`.
pub fn slope_test(y: &[f64], direction: KpiDirection, alpha: f64) -> Result<SlopeTest> {
    let n = y.len();
    if n < 3 {
        return Err(CxkpiError::InsufficientData {
            what: "the slope test".into(),
            n: n as u64,
            required: 3,
        });
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(CxkpiError::invalid(
            &format!("y[{i}]"),
            format!("must be finite, got {}", y[i]),
        ));
    }
    let nf = n as f64;
    let xbar = (nf - 1.0) / 2.0;
    let ybar = NeumaierSum::of(y) / nf;
    let mut sxx = NeumaierSum::default();
    let mut sxy = NeumaierSum::default();
    for (i, &v) in y.iter().enumerate() {
        let dx = i as f64 - xbar;
        sxx.add(dx * dx);
        sxy.add(dx * (v - ybar));
    }
    let b = sxy.value() / sxx.value();
    let a = ybar - b * xbar;
    let mut sse = NeumaierSum::default();
    for (i, &v) in y.iter().enumerate() {
        let r = v - (a + b * i as f64);
        sse.add(r * r);
    }
    let df = (n - 2) as u32;
    let s2 = sse.value() / df as f64;
    let sign = if direction == KpiDirection::Lower {
        -1.0
    } else {
        1.0
    };
    let (se, t, p_imp, p_wor) = if s2 > 0.0 {
        let se = (s2 / sxx.value()).sqrt();
        let t = b / se;
        (
            Some(se),
            Some(t),
            t_sf(sign * t, df as f64)?,
            t_sf(-sign * t, df as f64)?,
        )
    } else {
        let g = sign * b;
        let (pi, pw) = if g > 0.0 {
            (0.0, 1.0)
        } else if g < 0.0 {
            (1.0, 0.0)
        } else {
            (1.0, 1.0)
        };
        (None, None, pi, pw)
    };
    let verdict = if p_imp < alpha {
        "improving"
    } else if p_wor < alpha {
        "worsening"
    } else {
        "no_trend"
    };
    Ok(SlopeTest {
        slope: b,
        se,
        t,
        df,
        p_improving: p_imp,
        p_worsening: p_wor,
        verdict: verdict.into(),
    })
}

/// Parameters of a normalisation that are per KPI.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NormParams {
    pub goalposts: Option<[f64; 2]>,
    pub target: Option<f64>,
}

/// Normalises one KPI's values across units (NaN = missing, kept missing). Higher results are better:
/// a lower-is-better KPI is negated first (COINr's directions), a closer-to-target one becomes -|x - target|.
///
/// Returns the COINr-equivalent values (see [`NormalisationMethod`]); bounded methods are in [0, 1].
/// A zero range (or zero SD) follows `zero_range`.
///
/// ```
/// use cxkpi::composite::{normalise, NormalisationMethod, KpiDirection, ZeroRangePolicy};
/// let v = normalise(&[2.0, 4.0, 6.0], NormalisationMethod::MinMax, KpiDirection::Higher,
///                   ZeroRangePolicy::Error, None, None, "kpi").unwrap();
/// assert_eq!(v, vec![0.0, 0.5, 1.0]);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn normalise(
    x: &[f64],
    method: NormalisationMethod,
    direction: KpiDirection,
    zero_range: ZeroRangePolicy,
    goalposts: Option<[f64; 2]>,
    target: Option<f64>,
    kpi: &str,
) -> Result<Vec<f64>> {
    normalise_with(
        x,
        method,
        direction,
        zero_range,
        NormParams { goalposts, target },
        kpi,
    )
}

pub(crate) fn normalise_with(
    x: &[f64],
    method: NormalisationMethod,
    direction: KpiDirection,
    zero_range: ZeroRangePolicy,
    p: NormParams,
    kpi: &str,
) -> Result<Vec<f64>> {
    use NormalisationMethod as M;
    // Goalposts and distance-to-target work on the raw scale with an explicit direction (as COINr does).
    if method == M::Goalposts {
        let [l, u] = p.goalposts.ok_or_else(|| {
            CxkpiError::invalid("goalposts", format!("KPI \"{kpi}\" needs goalposts"))
        })?;
        return Ok(x
            .iter()
            .map(|&v| {
                if v.is_nan() {
                    return f64::NAN;
                }
                let f = match direction {
                    KpiDirection::Lower => (v - u) / (l - u),
                    _ => (v - l) / (u - l),
                };
                f.clamp(0.0, 1.0)
            })
            .collect());
    }
    let present: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.is_empty() {
        return Ok(x.to_vec());
    }
    let (mn, mx) = present
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let zero = |what: &str, constant: f64| -> Result<Vec<f64>> {
        match zero_range {
            ZeroRangePolicy::Error => Err(CxkpiError::invalid(
                &format!("kpi \"{kpi}\""),
                format!("{what}: {method} normalisation is undefined (zero_range policy: error; use constant or missing)"),
            )),
            ZeroRangePolicy::Constant => Ok(x
                .iter()
                .map(|v| if v.is_nan() { f64::NAN } else { constant })
                .collect()),
            ZeroRangePolicy::Missing => Ok(vec![f64::NAN; x.len()]),
        }
    };
    if method == M::DistanceToTarget {
        let t = p.target.ok_or_else(|| {
            CxkpiError::invalid("target", format!("KPI \"{kpi}\" needs a target"))
        })?;
        // COINr n_dist2targ: (x - min)/(targ - min), or (max - x)/(max - targ) for direction -1; capped at 1.
        let (denom, lower) = match direction {
            KpiDirection::Lower => (mx - t, true),
            _ => (t - mn, false),
        };
        if denom == 0.0 {
            return zero("the target equals the worst value", 0.5);
        }
        return Ok(x
            .iter()
            .map(|&v| {
                if v.is_nan() {
                    f64::NAN
                } else if lower {
                    ((mx - v) / denom).min(1.0)
                } else {
                    ((v - mn) / denom).min(1.0)
                }
            })
            .collect());
    }
    // Oriented values: higher is better.
    let o: Vec<f64> = x
        .iter()
        .map(|&v| match direction {
            KpiDirection::Higher => v,
            KpiDirection::Lower => -v,
            KpiDirection::Closer => match p.target {
                Some(t) => -(v - t).abs(),
                None => v,
            },
        })
        .map(|v| if v == 0.0 { 0.0 } else { v })
        .collect();
    if direction == KpiDirection::Closer && p.target.is_none() {
        return Err(CxkpiError::invalid(
            "target",
            format!("KPI \"{kpi}\" (closer to target) needs a target"),
        ));
    }
    let op: Vec<f64> = o.iter().copied().filter(|v| !v.is_nan()).collect();
    let (omn, omx) = op
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    match method {
        M::MinMax => {
            if omx == omn {
                return zero("all values are equal", 0.5);
            }
            Ok(o.iter().map(|&v| (v - omn) / (omx - omn)).collect())
        }
        M::DistanceToBest => {
            if omx == omn {
                return zero("all values are equal", 0.5);
            }
            Ok(o.iter().map(|&v| 1.0 - (omx - v) / (omx - omn)).collect())
        }
        M::ZScore => {
            if op.len() < 2 {
                return zero("fewer than two values", 0.0);
            }
            let n = op.len() as f64;
            let mean = NeumaierSum::of(&op) / n;
            let mut ss = NeumaierSum::default();
            for &v in &op {
                ss.add((v - mean) * (v - mean));
            }
            let sd = (ss.value() / (n - 1.0)).sqrt();
            if sd == 0.0 {
                return zero("the standard deviation is zero", 0.0);
            }
            Ok(o.iter().map(|&v| (v - mean) / sd).collect())
        }
        M::Rank => {
            // ties.method = "min": 1 + the number of present values strictly below.
            let mut sorted = op.clone();
            sorted.sort_by(f64::total_cmp);
            Ok(o.iter()
                .map(|&v| {
                    if v.is_nan() {
                        f64::NAN
                    } else {
                        (sorted.partition_point(|&s| s < v) + 1) as f64
                    }
                })
                .collect())
        }
        M::Goalposts | M::DistanceToTarget => unreachable!(),
    }
}

/// Whether a normalisation's output lies in [0, 1] (and is then multiplied by `score_max`).
pub(crate) fn bounded(method: NormalisationMethod) -> bool {
    !matches!(
        method,
        NormalisationMethod::ZScore | NormalisationMethod::Rank
    )
}

/// Weighted mean of `values` (NaN = missing) under a missing policy and a zero policy; `None` when every
/// value is missing (under `renormalise`). COINr: `a_amean(x, w)`, `a_gmean(x, w)`, `a_hmean(x, w)`
/// (which renormalise over non-missing values).
///
/// ```
/// use cxkpi::composite::{aggregate, Aggregation, MissingKpiPolicy, ZeroPolicy};
/// let g = aggregate(&[4.0, 9.0], &[1.0, 1.0], Aggregation::Geometric,
///                   MissingKpiPolicy::Renormalise, ZeroPolicy::Error).unwrap().unwrap();
/// assert!((g - 6.0).abs() < 1e-12);
/// ```
pub fn aggregate(
    values: &[f64],
    weights: &[f64],
    method: Aggregation,
    missing: MissingKpiPolicy,
    zero: ZeroPolicy,
) -> Result<Option<f64>> {
    if values.len() != weights.len() {
        return Err(CxkpiError::LengthMismatch {
            arg: "values".into(),
            len: values.len(),
            other: "weights".into(),
            other_len: weights.len(),
        });
    }
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "values".into(),
        });
    }
    for (i, &w) in weights.iter().enumerate() {
        if !w.is_finite() || w < 0.0 {
            return Err(CxkpiError::InvalidWeight {
                arg: "weights".into(),
                index: i,
                value: w,
                reason: "weights must be finite and >= 0".into(),
            });
        }
    }
    if weights.iter().all(|&w| w == 0.0) {
        return Err(CxkpiError::ZeroWeightSum {
            arg: "weights".into(),
            n: weights.len() as u64,
        });
    }
    let mut acc = MeanAcc::default();
    for (i, (&x, &w)) in values.iter().zip(weights).enumerate() {
        if x.is_infinite() {
            return Err(CxkpiError::invalid(
                &format!("values[{i}]"),
                format!("must be finite, got {x}"),
            ));
        }
        acc.push(x, w, method, missing, zero)
            .map_err(|m| CxkpiError::invalid(&format!("values[{i}]"), m))?;
    }
    Ok(acc.finish(method, missing))
}

/// Running state of one weighted mean.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MeanAcc {
    /// Σ w·f(x) over present components (f = x, ln x or 1/x).
    pub num: f64,
    /// Σ w over present components.
    pub den: f64,
    /// Σ w over all components.
    pub total: f64,
    /// A zero component was met (propagate).
    pub zero: bool,
    /// A component was missing (for the `error` policy the caller checks this).
    pub n_missing: u32,
    /// Smallest and largest component that entered the mean: the result is clamped into [lo, hi] so that
    /// rounding can never take a mean outside its components' range.
    pub lo: f64,
    pub hi: f64,
}

impl Default for MeanAcc {
    fn default() -> Self {
        MeanAcc {
            num: 0.0,
            den: 0.0,
            total: 0.0,
            zero: false,
            n_missing: 0,
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
        }
    }
}

impl MeanAcc {
    /// Adds one component. `Err(message)` for a missing value under `error`, a zero under `error`, or a
    /// negative value in a geometric/harmonic mean.
    #[inline]
    pub fn push(
        &mut self,
        x: f64,
        w: f64,
        method: Aggregation,
        missing: MissingKpiPolicy,
        zero: ZeroPolicy,
    ) -> std::result::Result<(), String> {
        if w == 0.0 {
            return Ok(());
        }
        self.total += w;
        let mut x = x;
        if x.is_nan() {
            self.n_missing += 1;
            match missing {
                MissingKpiPolicy::Renormalise => return Ok(()),
                MissingKpiPolicy::ZeroFill => x = 0.0,
                MissingKpiPolicy::Error => {
                    return Err("is missing and the missing-KPI policy is `error`".into())
                }
            }
        }
        if !(method != Aggregation::Arithmetic && x == 0.0 && zero == ZeroPolicy::Exclude) {
            self.lo = self.lo.min(x);
            self.hi = self.hi.max(x);
        }
        match method {
            Aggregation::Arithmetic => {
                self.num += w * x;
                self.den += w;
            }
            Aggregation::Geometric | Aggregation::Harmonic => {
                if x < 0.0 {
                    return Err(format!(
                        "= {x}: a {method} mean needs values >= 0 (use arithmetic, or a bounded normalisation)"
                    ));
                }
                if x == 0.0 {
                    match zero {
                        ZeroPolicy::Error => {
                            return Err(format!(
                                "is zero and the zero policy of the {method} mean is `error` (use propagate or exclude)"
                            ))
                        }
                        ZeroPolicy::Propagate => {
                            self.zero = true;
                            self.den += w;
                        }
                        ZeroPolicy::Exclude => self.total -= w,
                    }
                    return Ok(());
                }
                self.num += w * if method == Aggregation::Geometric {
                    x.ln()
                } else {
                    1.0 / x
                };
                self.den += w;
            }
        }
        Ok(())
    }

    /// The mean (None when nothing is present).
    #[inline]
    pub fn finish(&self, method: Aggregation, missing: MissingKpiPolicy) -> Option<f64> {
        let den = match missing {
            MissingKpiPolicy::ZeroFill => self.total,
            _ => self.den,
        };
        if den <= 0.0 {
            return None;
        }
        if self.zero {
            return Some(0.0);
        }
        let m = match method {
            Aggregation::Arithmetic => self.num / den,
            Aggregation::Geometric => (self.num / den).exp(),
            Aggregation::Harmonic => den / self.num,
        };
        Some(if self.lo <= self.hi {
            m.clamp(self.lo, self.hi)
        } else {
            m
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THIRDS: [f64; 4] = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];

    #[test]
    fn threshold_interpolation_and_caps() {
        let p = [0.0, 20.0, 40.0, 60.0];
        assert_eq!(score_thresholds(-5.0, &p, &THIRDS, 10.0, true), 0.0);
        assert_eq!(score_thresholds(70.0, &p, &THIRDS, 10.0, true), 10.0);
        assert!((score_thresholds(50.0, &p, &THIRDS, 10.0, true) - 25.0 / 3.0).abs() < 1e-12);
        assert!((score_thresholds(40.0, &p, &THIRDS, 100.0, true) - 200.0 / 3.0).abs() < 1e-12);
        // lower is better: 600 red flag, 300 target (two points)
        let q = [600.0, 300.0];
        assert_eq!(score_thresholds(450.0, &q, &[0.0, 1.0], 10.0, false), 5.0);
        assert_eq!(score_thresholds(200.0, &q, &[0.0, 1.0], 10.0, false), 10.0);
        assert_eq!(score_thresholds(700.0, &q, &[0.0, 1.0], 10.0, false), 0.0);
    }

    #[test]
    fn means() {
        let r = aggregate(
            &[2.0, f64::NAN, 8.0],
            &[1.0, 1.0, 1.0],
            Aggregation::Geometric,
            MissingKpiPolicy::Renormalise,
            ZeroPolicy::Error,
        )
        .unwrap()
        .unwrap();
        assert!((r - 4.0).abs() < 1e-12);
        let h = aggregate(
            &[2.0, 6.0],
            &[1.0, 1.0],
            Aggregation::Harmonic,
            MissingKpiPolicy::Renormalise,
            ZeroPolicy::Error,
        )
        .unwrap()
        .unwrap();
        assert!((h - 3.0).abs() < 1e-12);
        let z = aggregate(
            &[0.0, 6.0],
            &[1.0, 1.0],
            Aggregation::Geometric,
            MissingKpiPolicy::Renormalise,
            ZeroPolicy::Error,
        );
        assert_eq!(z.unwrap_err().kind(), "invalid_argument");
        let zf = aggregate(
            &[f64::NAN, 6.0],
            &[1.0, 2.0],
            Aggregation::Arithmetic,
            MissingKpiPolicy::ZeroFill,
            ZeroPolicy::Error,
        )
        .unwrap()
        .unwrap();
        assert_eq!(zf, 4.0);
    }

    #[test]
    fn slope() {
        // y = 1, 2, 4: slope 1.5; R lm: se = 0.2886751345948129, t = 5.196152422706632
        let s = slope_test(&[1.0, 2.0, 4.0], KpiDirection::Higher, 0.05).unwrap();
        assert!((s.slope - 1.5).abs() < 1e-12);
        assert!((s.se.unwrap() - 0.288_675_134_594_812_9).abs() < 1e-12);
        assert_eq!(s.verdict, "no_trend"); // p = 0.0605 with df 1
        let e = slope_test(&[1.0, 2.0, 3.0, 4.0], KpiDirection::Lower, 0.05).unwrap();
        assert_eq!(e.verdict, "worsening");
    }

    #[test]
    fn rank_ties_min() {
        let r = normalise(
            &[3.0, 1.0, 3.0, f64::NAN, 2.0],
            NormalisationMethod::Rank,
            KpiDirection::Higher,
            ZeroRangePolicy::Error,
            None,
            None,
            "k",
        )
        .unwrap();
        assert_eq!(&r[..3], &[3.0, 1.0, 3.0]);
        assert!(r[3].is_nan());
        assert_eq!(r[4], 2.0);
    }
}
