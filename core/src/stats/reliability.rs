//! Reliability: intraclass correlations (all six Shrout-Fleiss forms, with McGraw-Wong names), Cronbach's
//! alpha with the Feldt interval and alpha-if-item-deleted, standard error of measurement and minimal
//! detectable change, and a test-retest report.
//!
//! Conventions: `n` targets (rows) rated by `k` judges (columns, one slice each); two-way ANOVA mean
//! squares; F tests and exact F-based intervals as in Shrout & Fleiss (1979) and McGraw & Wong (1996)
//! (the ICC(A,1) interval uses Satterthwaite's approximate df, as both papers and R `psych::ICC` do).

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::dist::z_crit;
use crate::stats::fdist::{f_quantile, f_sf};
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};

/// Options of [`icc`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IccOptions {
    /// Confidence level of the intervals (default 0.95).
    pub confidence: f64,
}

impl Default for IccOptions {
    fn default() -> Self {
        IccOptions { confidence: 0.95 }
    }
}

impl IccOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check::confidence(self.confidence).map(|_| ())
    }
}

/// One intraclass correlation form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IccForm {
    /// Shrout-Fleiss name: `ICC(1,1)`, `ICC(2,1)`, `ICC(3,1)`, `ICC(1,k)`, `ICC(2,k)`, `ICC(3,k)`.
    pub shrout_fleiss: String,
    /// McGraw-Wong name: `ICC(1)`, `ICC(A,1)`, `ICC(C,1)`, `ICC(k)`, `ICC(A,k)`, `ICC(C,k)`.
    pub mcgraw_wong: String,
    /// `one_way_random`, `two_way_random` or `two_way_mixed`.
    pub model: String,
    /// `absolute_agreement` or `consistency`.
    pub definition: String,
    /// `single` (one judge) or `average` (mean of the k judges).
    pub unit: String,
    /// The coefficient.
    pub value: f64,
    /// F statistic testing ICC = 0 (None when the error mean square is zero).
    pub f: Option<f64>,
    /// Numerator degrees of freedom.
    pub df1: f64,
    /// Denominator degrees of freedom.
    pub df2: f64,
    /// Upper-tail p-value of `f`.
    pub p_value: Option<f64>,
    /// Lower confidence limit (exact F-based).
    pub lower: Option<f64>,
    /// Upper confidence limit.
    pub upper: Option<f64>,
}

/// Result of [`icc`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IccResult {
    /// Number of targets (rows).
    pub n_targets: u64,
    /// Number of judges (columns).
    pub n_judges: u64,
    /// Between-targets mean square.
    pub ms_rows: f64,
    /// Between-judges mean square.
    pub ms_columns: f64,
    /// Residual (interaction) mean square of the two-way model.
    pub ms_error: f64,
    /// Within-target mean square of the one-way model.
    pub ms_within: f64,
    /// The six forms in the order ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k).
    pub forms: Vec<IccForm>,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// `exact_f` (ICC(2,·) with Satterthwaite df).
    pub interval_method: String,
}

impl IccResult {
    /// The form with the given Shrout-Fleiss or McGraw-Wong name (e.g. `"ICC(2,1)"` or `"ICC(A,1)"`).
    pub fn form(&self, name: &str) -> Option<&IccForm> {
        self.forms
            .iter()
            .find(|f| f.shrout_fleiss == name || f.mcgraw_wong == name)
    }
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    if den > 0.0 {
        Some(num / den)
    } else {
        None
    }
}

/// All six intraclass correlations of `n` targets rated by `k` judges; `judges[j][i]` is judge j's
/// rating of target i.
///
/// ```
/// use cxkpi::stats::reliability::{icc, IccOptions};
/// // Shrout & Fleiss (1979), Table 2: 6 targets, 4 judges (one slice per judge).
/// let j1 = [9.0, 6.0, 8.0, 7.0, 10.0, 6.0];
/// let j2 = [2.0, 1.0, 4.0, 1.0, 5.0, 2.0];
/// let j3 = [5.0, 3.0, 6.0, 2.0, 6.0, 4.0];
/// let j4 = [8.0, 2.0, 8.0, 6.0, 9.0, 7.0];
/// let r = icc(&[&j1, &j2, &j3, &j4], &IccOptions::default()).unwrap();
/// let icc21 = r.form("ICC(A,1)").unwrap();
/// assert_eq!(icc21.shrout_fleiss, "ICC(2,1)");
/// assert!((icc21.value - 0.28976).abs() < 1e-5); // the paper's .29
/// ```
pub fn icc(judges: &[&[f64]], options: &IccOptions) -> Result<IccResult> {
    options.validate()?;
    let n = check::columns("judges", judges)?;
    let k = judges.len();
    check::at_least("icc (judges)", k, 2)?;
    check::at_least("icc (targets)", n, 2)?;
    let nf = n as f64;
    let kf = k as f64;
    let mut all = NeumaierSum::default();
    for c in judges {
        for &x in c.iter() {
            all.add(x);
        }
    }
    let gm = all.value() / (nf * kf);
    let row_means: Vec<f64> = (0..n)
        .map(|i| {
            let mut s = NeumaierSum::default();
            for c in judges {
                s.add(c[i]);
            }
            s.value() / kf
        })
        .collect();
    let col_means: Vec<f64> = judges.iter().map(|c| check::mean(c)).collect();
    let mut sst = NeumaierSum::default();
    for c in judges {
        for &x in c.iter() {
            sst.add((x - gm) * (x - gm));
        }
    }
    let sst = sst.value();
    if sst == 0.0 {
        return Err(CxkpiError::invalid(
            "judges",
            "all ratings are equal (zero variance): the intraclass correlation is undefined",
        ));
    }
    let ssr = kf * check::ss(&row_means, gm);
    let ssc = nf * check::ss(&col_means, gm);
    // residual: sum of (x - row mean - col mean + gm)^2 computed directly (no cancellation)
    let mut sse = NeumaierSum::default();
    let mut ssw = NeumaierSum::default();
    for (j, c) in judges.iter().enumerate() {
        for (i, &x) in c.iter().enumerate() {
            let e = x - row_means[i] - col_means[j] + gm;
            sse.add(e * e);
            let w = x - row_means[i];
            ssw.add(w * w);
        }
    }
    let msr = ssr / (nf - 1.0);
    let msc = ssc / (kf - 1.0);
    let df_e = (nf - 1.0) * (kf - 1.0);
    let df_w = nf * (kf - 1.0);
    let mse = sse.value() / df_e;
    let msw = ssw.value() / df_w;
    let conf = options.confidence;
    let a = 1.0 - conf;

    let d2 = msr + (kf - 1.0) * mse + kf * (msc - mse) / nf;
    let d2k = msr + (msc - mse) / nf;
    if msr == 0.0 || d2 == 0.0 || d2k == 0.0 {
        return Err(CxkpiError::invalid(
            "judges",
            format!(
                "the targets do not differ enough to define every ICC form (between-targets mean square {msr}): an ICC denominator is 0"
            ),
        ));
    }
    let icc1 = (msr - msw) / (msr + (kf - 1.0) * msw);
    let icc2 = (msr - mse) / d2;
    let icc3 = (msr - mse) / (msr + (kf - 1.0) * mse);
    let icc1k = (msr - msw) / msr;
    let icc2k = (msr - mse) / d2k;
    let icc3k = (msr - mse) / msr;

    let f1 = ratio(msr, msw);
    let f3 = ratio(msr, mse);
    let p1 = f1.map(|f| f_sf(f, nf - 1.0, df_w));
    let p3 = f3.map(|f| f_sf(f, nf - 1.0, df_e));
    // one-way
    let (l1, u1, l1k, u1k) = match f1 {
        Some(f) => {
            let fl = f / f_quantile(1.0 - a / 2.0, nf - 1.0, df_w);
            let fu = f * f_quantile(1.0 - a / 2.0, df_w, nf - 1.0);
            (
                Some((fl - 1.0) / (fl + kf - 1.0)),
                Some((fu - 1.0) / (fu + kf - 1.0)),
                Some(1.0 - 1.0 / fl),
                Some(1.0 - 1.0 / fu),
            )
        }
        None => (None, None, None, None),
    };
    let (l3, u3, l3k, u3k) = match f3 {
        Some(f) => {
            let fl = f / f_quantile(1.0 - a / 2.0, nf - 1.0, df_e);
            let fu = f * f_quantile(1.0 - a / 2.0, df_e, nf - 1.0);
            (
                Some((fl - 1.0) / (fl + kf - 1.0)),
                Some((fu - 1.0) / (fu + kf - 1.0)),
                Some(1.0 - 1.0 / fl),
                Some(1.0 - 1.0 / fu),
            )
        }
        None => (None, None, None, None),
    };
    // two-way random, absolute agreement: Satterthwaite df (McGraw & Wong 1996, Table 7)
    let (l2, u2) = if mse > 0.0 {
        let fj = msc / mse;
        let vn = (kf - 1.0)
            * (nf - 1.0)
            * (kf * icc2 * fj + nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2).powi(2);
        let vd = (nf - 1.0) * kf * kf * icc2 * icc2 * fj * fj
            + (nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2).powi(2);
        let v = vn / vd;
        let fu = f_quantile(1.0 - a / 2.0, nf - 1.0, v);
        let fl = f_quantile(1.0 - a / 2.0, v, nf - 1.0);
        let c = kf * nf - kf - nf;
        let l = nf * (msr - fu * mse) / (fu * (kf * msc + c * mse) + nf * msr);
        let u = nf * (fl * msr - mse) / (kf * msc + c * mse + nf * fl * msr);
        (Some(l), Some(u))
    } else {
        (None, None)
    };
    // single → average measure; below -1/(k-1) the map has its pole and the limit is unbounded: None
    // (R psych::ICC reports the spurious transformed value there)
    let avg = |x: Option<f64>| {
        x.filter(|&l| 1.0 + l * (kf - 1.0) > 0.0)
            .map(|l| l * kf / (1.0 + l * (kf - 1.0)))
    };
    let form = |sf: &str,
                mw: &str,
                model: &str,
                def: &str,
                unit: &str,
                value: f64,
                f: Option<f64>,
                df2: f64,
                p: Option<f64>,
                lower: Option<f64>,
                upper: Option<f64>| IccForm {
        shrout_fleiss: sf.into(),
        mcgraw_wong: mw.into(),
        model: model.into(),
        definition: def.into(),
        unit: unit.into(),
        value,
        f,
        df1: nf - 1.0,
        df2,
        p_value: p,
        lower,
        upper,
    };
    let forms = vec![
        form(
            "ICC(1,1)",
            "ICC(1)",
            "one_way_random",
            "absolute_agreement",
            "single",
            icc1,
            f1,
            df_w,
            p1,
            l1,
            u1,
        ),
        form(
            "ICC(2,1)",
            "ICC(A,1)",
            "two_way_random",
            "absolute_agreement",
            "single",
            icc2,
            f3,
            df_e,
            p3,
            l2,
            u2,
        ),
        form(
            "ICC(3,1)",
            "ICC(C,1)",
            "two_way_mixed",
            "consistency",
            "single",
            icc3,
            f3,
            df_e,
            p3,
            l3,
            u3,
        ),
        form(
            "ICC(1,k)",
            "ICC(k)",
            "one_way_random",
            "absolute_agreement",
            "average",
            icc1k,
            f1,
            df_w,
            p1,
            l1k,
            u1k,
        ),
        form(
            "ICC(2,k)",
            "ICC(A,k)",
            "two_way_random",
            "absolute_agreement",
            "average",
            icc2k,
            f3,
            df_e,
            p3,
            avg(l2),
            avg(u2),
        ),
        form(
            "ICC(3,k)",
            "ICC(C,k)",
            "two_way_mixed",
            "consistency",
            "average",
            icc3k,
            f3,
            df_e,
            p3,
            l3k,
            u3k,
        ),
    ];
    Ok(IccResult {
        n_targets: n as u64,
        n_judges: k as u64,
        ms_rows: msr,
        ms_columns: msc,
        ms_error: mse,
        ms_within: msw,
        forms,
        confidence: conf,
        interval_method: "exact_f".into(),
    })
}

/// Options of [`cronbach_alpha`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlphaOptions {
    /// Confidence level of the Feldt interval (default 0.95).
    pub confidence: f64,
}

impl Default for AlphaOptions {
    fn default() -> Self {
        AlphaOptions { confidence: 0.95 }
    }
}

impl AlphaOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check::confidence(self.confidence).map(|_| ())
    }
}

/// Result of [`cronbach_alpha`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlphaResult {
    /// Cronbach's (raw) alpha: k/(k-1) (1 - Σ var(item) / var(total)).
    pub alpha: f64,
    /// Standardised alpha from the mean inter-item correlation (None if an item has zero variance).
    pub standardized_alpha: Option<f64>,
    /// Respondents.
    pub n: u64,
    /// Items.
    pub k: u64,
    /// Feldt (1965) lower limit.
    pub lower: f64,
    /// Feldt upper limit.
    pub upper: f64,
    /// Confidence level.
    pub confidence: f64,
    /// `feldt`.
    pub interval_method: String,
    /// Alpha of the remaining items when item j is dropped (None when fewer than 2 would remain or they
    /// have a zero-variance total).
    pub alpha_if_deleted: Vec<Option<f64>>,
}

fn raw_alpha(items: &[&[f64]], skip: Option<usize>) -> Option<f64> {
    let n = items[0].len();
    let cols: Vec<&[f64]> = items
        .iter()
        .enumerate()
        .filter(|(j, _)| Some(*j) != skip)
        .map(|(_, c)| *c)
        .collect();
    let k = cols.len() as f64;
    if cols.len() < 2 {
        return None;
    }
    let mut sum_var = NeumaierSum::default();
    for c in &cols {
        let m = check::mean(c);
        sum_var.add(check::ss(c, m) / (n as f64 - 1.0));
    }
    let total: Vec<f64> = (0..n)
        .map(|i| {
            let mut s = NeumaierSum::default();
            for c in &cols {
                s.add(c[i]);
            }
            s.value()
        })
        .collect();
    let tm = check::mean(&total);
    let tv = check::ss(&total, tm) / (n as f64 - 1.0);
    if tv <= 0.0 {
        return None;
    }
    Some(k / (k - 1.0) * (1.0 - sum_var.value() / tv))
}

/// Cronbach's alpha of `k` items (one slice per item, one element per respondent), with the Feldt
/// interval and alpha-if-item-deleted.
///
/// ```
/// use cxkpi::stats::reliability::{cronbach_alpha, AlphaOptions};
/// let q1 = [4.0, 5.0, 3.0, 4.0, 2.0, 5.0];
/// let q2 = [4.0, 4.0, 3.0, 5.0, 2.0, 4.0];
/// let q3 = [3.0, 5.0, 2.0, 4.0, 3.0, 5.0];
/// let r = cronbach_alpha(&[&q1, &q2, &q3], &AlphaOptions::default()).unwrap();
/// assert!(r.lower < r.alpha && r.alpha < r.upper);
/// ```
pub fn cronbach_alpha(items: &[&[f64]], options: &AlphaOptions) -> Result<AlphaResult> {
    options.validate()?;
    let n = check::columns("items", items)?;
    let k = items.len();
    check::at_least("cronbach_alpha (items)", k, 2)?;
    check::at_least("cronbach_alpha (respondents)", n, 2)?;
    let alpha = raw_alpha(items, None).ok_or_else(|| {
        CxkpiError::invalid(
            "items",
            "the total score has zero variance: alpha is undefined",
        )
    })?;
    let nf = n as f64;
    let kf = k as f64;
    // standardised alpha from the mean off-diagonal correlation
    let means: Vec<f64> = items.iter().map(|c| check::mean(c)).collect();
    let sds: Vec<f64> = items
        .iter()
        .zip(&means)
        .map(|(c, &m)| check::ss(c, m).sqrt())
        .collect();
    let standardized_alpha = if sds.iter().all(|&s| s > 0.0) {
        let mut rs = NeumaierSum::default();
        for a in 0..k {
            for b in (a + 1)..k {
                rs.add(check::sxy(items[a], means[a], items[b], means[b]) / (sds[a] * sds[b]));
            }
        }
        let rbar = rs.value() / (kf * (kf - 1.0) / 2.0);
        Some(kf * rbar / (1.0 + (kf - 1.0) * rbar))
    } else {
        None
    };
    let a = 1.0 - options.confidence;
    let d1 = nf - 1.0;
    let d2 = (nf - 1.0) * (kf - 1.0);
    let lower = 1.0 - (1.0 - alpha) * f_quantile(1.0 - a / 2.0, d1, d2);
    let upper = 1.0 - (1.0 - alpha) * f_quantile(a / 2.0, d1, d2);
    let alpha_if_deleted = (0..k).map(|j| raw_alpha(items, Some(j))).collect();
    Ok(AlphaResult {
        alpha,
        standardized_alpha,
        n: n as u64,
        k: k as u64,
        lower,
        upper,
        confidence: options.confidence,
        interval_method: "feldt".into(),
        alpha_if_deleted,
    })
}

/// Standard error of measurement and minimal detectable change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasurementError {
    /// The standard deviation used.
    pub sd: f64,
    /// The reliability coefficient used (e.g. an ICC or alpha).
    pub reliability: f64,
    /// SEM = sd · sqrt(1 - reliability).
    pub sem: f64,
    /// MDC = z · sqrt(2) · SEM (z the two-sided normal quantile of `confidence`).
    pub mdc: f64,
    /// Confidence level of the MDC.
    pub confidence: f64,
}

/// SEM = sd·√(1 − r) and MDC = z·√2·SEM (Weir 2005). `reliability` must lie in [0, 1] and `sd` be ≥ 0.
///
/// ```
/// let m = cxkpi::stats::reliability::measurement_error(10.0, 0.84, 0.95).unwrap();
/// assert!((m.sem - 4.0).abs() < 1e-12);
/// ```
pub fn measurement_error(sd: f64, reliability: f64, confidence: f64) -> Result<MeasurementError> {
    check::confidence(confidence)?;
    if !(sd.is_finite() && sd >= 0.0) {
        return Err(CxkpiError::invalid(
            "sd",
            format!("must be finite and >= 0, got {sd}"),
        ));
    }
    if !(0.0..=1.0).contains(&reliability) {
        return Err(CxkpiError::invalid(
            "reliability",
            format!("must lie in [0, 1], got {reliability}"),
        ));
    }
    let sem = sd * (1.0 - reliability).sqrt();
    Ok(MeasurementError {
        sd,
        reliability,
        sem,
        mdc: z_crit(confidence) * std::f64::consts::SQRT_2 * sem,
        confidence,
    })
}

/// Test-retest report for one instrument measured twice on the same respondents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestRetest {
    /// Respondents.
    pub n: u64,
    /// ICC(A,1) = ICC(2,1): absolute agreement of single scores (the recommended retest coefficient).
    pub icc_agreement: IccForm,
    /// ICC(C,1) = ICC(3,1): consistency.
    pub icc_consistency: IccForm,
    /// Mean of retest − test.
    pub mean_difference: f64,
    /// Pooled SD of the two occasions: sqrt((var(test) + var(retest)) / 2).
    pub sd_pooled: f64,
    /// SEM and MDC from `sd_pooled` and ICC(A,1) (None if that ICC is negative).
    pub measurement_error: Option<MeasurementError>,
}

/// Test-retest reliability: ICC(A,1) and ICC(C,1), mean change, SEM and MDC (Weir 2005).
pub fn test_retest(test: &[f64], retest: &[f64], confidence: f64) -> Result<TestRetest> {
    check::same_len("retest", retest.len(), "test", test.len())?;
    let r = icc(&[test, retest], &IccOptions { confidence })?;
    let n = test.len() as f64;
    let mt = check::mean(test);
    let mr = check::mean(retest);
    let vt = check::ss(test, mt) / (n - 1.0);
    let vr = check::ss(retest, mr) / (n - 1.0);
    let sd_pooled = ((vt + vr) / 2.0).sqrt();
    let agreement = r.forms[1].clone();
    let me = if (0.0..=1.0).contains(&agreement.value) {
        Some(measurement_error(sd_pooled, agreement.value, confidence)?)
    } else {
        None
    };
    let diffs: Vec<f64> = test.iter().zip(retest).map(|(a, b)| b - a).collect();
    Ok(TestRetest {
        n: test.len() as u64,
        icc_agreement: agreement,
        icc_consistency: r.forms[2].clone(),
        mean_difference: check::mean(&diffs),
        sd_pooled,
        measurement_error: me,
    })
}
