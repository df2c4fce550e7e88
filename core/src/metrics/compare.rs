//! Comparisons of two independent results: the signed difference a − b, its SE, test and interval.

use super::mean::MeanResult;
use super::nps::NpsResult;
use super::share::ShareResult;
use crate::error::{CxkpiError, Result};
use crate::options::{check_confidence, option_enum, OptionEnum, OptionReader, Options};
use crate::stats::{normal_sf, proportion_limits, t_crit, t_sf, z_crit, ProportionMethod};

option_enum! {
    /// Test and interval for a difference. NPS: `adjusted_wald` (default), `wald`, `welch`.
    /// Shares: `newcombe` (default), `wald`, `agresti_caffo`. Means: `welch` (default), `student`.
    CompareMethod {
        AdjustedWald => "adjusted_wald",
        Wald => "wald",
        Welch => "welch",
        Newcombe => "newcombe",
        AgrestiCaffo => "agresti_caffo",
        Student => "student",
    }
}

/// Options of the `compare_*` functions; `method: None` takes the metric's default.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CompareOptions {
    pub method: Option<CompareMethod>,
    pub confidence: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            method: None,
            confidence: 0.95,
        }
    }
}

impl CompareOptions {
    /// Reads `method` and `confidence`.
    pub fn from_options(o: &Options) -> Result<CompareOptions> {
        let mut r = OptionReader::new(o);
        let c = CompareOptions {
            method: r.enumeration("method")?,
            confidence: r.f64("confidence")?.unwrap_or(0.95),
        };
        r.finish()?;
        check_confidence(c.confidence)?;
        Ok(c)
    }

    fn resolve(&self, default: CompareMethod, allowed: &[CompareMethod]) -> Result<CompareMethod> {
        let m = self.method.unwrap_or(default);
        if allowed.contains(&m) {
            Ok(m)
        } else {
            Err(CxkpiError::UnknownMethod {
                arg: "method".into(),
                value: m.as_str().into(),
                expected: allowed
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        }
    }
}

/// The difference a − b with its test and interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ComparisonResult {
    /// "nps", "share" or "mean".
    pub metric: String,
    pub estimate_a: f64,
    pub estimate_b: f64,
    /// a − b (NPS on −100..100).
    pub difference: f64,
    /// SE of the difference used by the test.
    pub se: f64,
    /// z or t statistic; `None` when the SE is zero.
    pub statistic: Option<f64>,
    /// Degrees of freedom for t tests; `None` for z tests.
    pub df: Option<f64>,
    /// Two-sided p-value; `None` when the SE is zero.
    pub p_value: Option<f64>,
    pub lower: f64,
    pub upper: f64,
    /// p < 1 − confidence (or, when p is undefined, the interval excludes 0).
    pub significant: bool,
    pub method: CompareMethod,
    pub confidence: f64,
}

/// SE, df, the centre of the test statistic and the interval limits (on the 0..1 or −1..1 scale).
struct Test {
    se: f64,
    df: Option<f64>,
    test_centre: f64,
    lower: f64,
    upper: f64,
}

impl Test {
    /// A symmetric interval `centre ± q·se`, with the test on the same centre.
    fn symmetric(centre: f64, se: f64, q: f64, df: Option<f64>) -> Test {
        Test {
            se,
            df,
            test_centre: centre,
            lower: centre - q * se,
            upper: centre + q * se,
        }
    }
}

fn build(
    metric: &str,
    a: f64,
    b: f64,
    scale: f64,
    m: CompareMethod,
    conf: f64,
    t: Test,
) -> Result<ComparisonResult> {
    let (statistic, p_value) = if t.se > 0.0 {
        let s = t.test_centre / t.se;
        let p = match t.df {
            Some(df) => 2.0 * t_sf(s.abs(), df)?,
            None => 2.0 * normal_sf(s.abs()),
        };
        (Some(s), Some(p.min(1.0)))
    } else {
        (None, None)
    };
    let (lower, upper) = (t.lower * scale, t.upper * scale);
    let significant = match p_value {
        Some(p) => p < 1.0 - conf,
        None => lower > 0.0 || upper < 0.0,
    };
    Ok(ComparisonResult {
        metric: metric.into(),
        estimate_a: a * scale,
        estimate_b: b * scale,
        difference: (a - b) * scale,
        se: t.se * scale,
        statistic,
        df: t.df,
        p_value,
        lower,
        upper,
        significant,
        method: m,
        confidence: conf,
    })
}

fn welch_df(va: f64, na: f64, vb: f64, nb: f64) -> f64 {
    (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0))
}

fn need(n: u64, what: &str, required: u64) -> Result<()> {
    if n < required {
        Err(CxkpiError::InsufficientData {
            what: what.into(),
            n,
            required,
        })
    } else {
        Ok(())
    }
}

/// Compares two NPS results (a − b, on −100..100).
///
/// ```
/// use cxkpi::{compare_nps, nps_from_counts, CompareOptions, NpsOptions};
/// let a = nps_from_counts(60, 20, 20, &NpsOptions::default()).unwrap();
/// let b = nps_from_counts(40, 30, 30, &NpsOptions::default()).unwrap();
/// let c = compare_nps(&a, &b, &CompareOptions::default()).unwrap();
/// assert!((c.difference - 30.0).abs() < 1e-12);
/// assert!(c.significant);
/// ```
pub fn compare_nps(
    a: &NpsResult,
    b: &NpsResult,
    opts: &CompareOptions,
) -> Result<ComparisonResult> {
    use CompareMethod::*;
    let m = opts.resolve(AdjustedWald, &[AdjustedWald, Wald, Welch])?;
    let conf = opts.confidence;
    let (pa, da, pb, db) = (a.promoters, a.detractors, b.promoters, b.detractors);
    let diff = (a.nps - b.nps) / 100.0;
    let t = match m {
        AdjustedWald => {
            // Each group's adjusted-Wald variance (3/4 added to promoters and detractors, 3 to n), as
            // for the single interval (Lewis & Sauro, MeasuringU 2021); observed difference.
            let var = |p: f64, d: f64, n: f64| {
                let na = n + 3.0;
                let (p2, d2) = ((p * n + 0.75) / na, (d * n + 0.75) / na);
                (p2 + d2 - (p2 - d2).powi(2)) / na
            };
            let se = (var(pa, da, a.effective_n) + var(pb, db, b.effective_n)).sqrt();
            Test::symmetric(diff, se, z_crit(conf), None)
        }
        Wald => {
            let var = |r: &NpsResult| -> Result<f64> {
                if r.weighted {
                    let s = r.se_linearised.ok_or(CxkpiError::InsufficientData {
                        what: "a weighted Wald comparison".into(),
                        n: r.n,
                        required: 2,
                    })? / 100.0;
                    Ok(s * s)
                } else {
                    Ok(
                        (r.promoters + r.detractors - (r.promoters - r.detractors).powi(2))
                            / r.n as f64,
                    )
                }
            };
            let se = (var(a)? + var(b)?).sqrt();
            Test::symmetric(diff, se, z_crit(conf), None)
        }
        _ => {
            need(a.n.min(b.n), "a Welch comparison", 2)?;
            let va = (a.se_linearised.unwrap_or(0.0) / 100.0).powi(2);
            let vb = (b.se_linearised.unwrap_or(0.0) / 100.0).powi(2);
            let se = (va + vb).sqrt();
            let df = welch_df(va, a.n as f64, vb, b.n as f64);
            let q = if se > 0.0 { t_crit(conf, df)? } else { 0.0 };
            Test::symmetric(diff, se, q, (se > 0.0).then_some(df))
        }
    };
    build("nps", a.nps / 100.0, b.nps / 100.0, 100.0, m, conf, t)
}

/// Compares two shares (a − b).
pub fn compare_shares(
    a: &ShareResult,
    b: &ShareResult,
    opts: &CompareOptions,
) -> Result<ComparisonResult> {
    use CompareMethod::*;
    let m = opts.resolve(Newcombe, &[Newcombe, Wald, AgrestiCaffo])?;
    let conf = opts.confidence;
    let z = z_crit(conf);
    let (p1, p2) = (a.share, b.share);
    // Effective counts (the counts themselves when unweighted).
    let (n1, n2) = (a.effective_n, b.effective_n);
    let (x1, x2) = (p1 * n1, p2 * n2);
    let diff = p1 - p2;
    let t = match m {
        Newcombe => {
            let (l1, u1) = proportion_limits(x1, n1, conf, ProportionMethod::Wilson)?;
            let (l2, u2) = proportion_limits(x2, n2, conf, ProportionMethod::Wilson)?;
            let lo = diff - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
            let hi = diff + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
            let pool = (x1 + x2) / (n1 + n2);
            let se0 = (pool * (1.0 - pool) * (1.0 / n1 + 1.0 / n2)).sqrt();
            // Newcombe's hybrid score interval is asymmetric; the test is the pooled z test.
            Test {
                se: se0,
                df: None,
                test_centre: diff,
                lower: lo,
                upper: hi,
            }
        }
        Wald => {
            let var = |r: &ShareResult| -> Result<f64> {
                if r.weighted {
                    let s = r.se.ok_or(CxkpiError::InsufficientData {
                        what: "a weighted Wald comparison".into(),
                        n: r.n,
                        required: 2,
                    })?;
                    Ok(s * s)
                } else {
                    Ok(r.share * (1.0 - r.share) / r.n as f64)
                }
            };
            let se = (var(a)? + var(b)?).sqrt();
            Test::symmetric(diff, se, z, None)
        }
        _ => {
            let (q1, q2) = ((x1 + 1.0) / (n1 + 2.0), (x2 + 1.0) / (n2 + 2.0));
            let se = (q1 * (1.0 - q1) / (n1 + 2.0) + q2 * (1.0 - q2) / (n2 + 2.0)).sqrt();
            Test::symmetric(q1 - q2, se, z, None)
        }
    };
    build("share", p1, p2, 1.0, m, conf, t)
}

/// Compares two means (a − b): Welch (default) or Student.
pub fn compare_means(
    a: &MeanResult,
    b: &MeanResult,
    opts: &CompareOptions,
) -> Result<ComparisonResult> {
    use CompareMethod::*;
    let m = opts.resolve(Welch, &[Welch, Student])?;
    let conf = opts.confidence;
    need(a.n.min(b.n), "a comparison of means", 2)?;
    let (na, nb) = (a.n as f64, b.n as f64);
    let diff = a.mean - b.mean;
    let (se, df) = match m {
        Welch => {
            let (va, vb) = (a.se * a.se, b.se * b.se);
            ((va + vb).sqrt(), welch_df(va, na, vb, nb))
        }
        _ => {
            if a.weighted || b.weighted {
                return Err(CxkpiError::Unsupported {
                    message: "Student's pooled t test is for unweighted means; use welch".into(),
                });
            }
            let sp2 = ((na - 1.0) * a.sd * a.sd + (nb - 1.0) * b.sd * b.sd) / (na + nb - 2.0);
            ((sp2 * (1.0 / na + 1.0 / nb)).sqrt(), na + nb - 2.0)
        }
    };
    let q = if se > 0.0 { t_crit(conf, df)? } else { 0.0 };
    build(
        "mean",
        a.mean,
        b.mean,
        1.0,
        m,
        conf,
        Test::symmetric(diff, se, q, (se > 0.0).then_some(df)),
    )
}
