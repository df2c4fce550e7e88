//! STL (Cleveland et al. 1990) and MSTL (Bandara, Hyndman & Bergmeir 2021) on daily series, computed by the
//! `stlrs` crate with every parameter resolved here, so that a preset reproduces R `stl()` or statsmodels
//! `STL` / `MSTL` for the same parameters.
//!
//! Every parameter is exposed ([`StlOptions`]); the ones left `None` take the preset's default:
//!
//! | parameter | `r_stl` (R `stl(x, s.window = ns)`) | `statsmodels` (`STL(x, period, seasonal = ns)`) |
//! |---|---|---|
//! | seasonal_length | 7 (R requires it; `periodic` = 10n+1) | 7 |
//! | seasonal_degree | 0 (`periodic` forces 0) | 1 |
//! | trend_length | nextodd(ceil(1.5 p / (1 − 1.5 / ns))) | same (smallest odd ≥ it) |
//! | low_pass_length | nextodd(p) | smallest odd > p |
//! | trend_degree / low_pass_degree | 1 / trend_degree | 1 / 1 |
//! | jumps (s, t, l) | ceil(length / 10) | 1 |
//! | inner_loops | 2 (1 if robust) | 5 (2 if robust) |
//! | outer_loops | 0 (15 if robust) | 0 (15 if robust) |
//!
//! Windows are made odd and at least 3 as in the Fortran original. With `periodic = true` (R
//! `s.window = "periodic"`) the seasonal component is afterwards averaged per cycle position, as R does.
//! The resolved parameters are recorded in every result.
//!
//! ```
//! use cxkpi::baseline::stl::{stl, StlOptions, StlPreset};
//! let x: Vec<f64> = (0..56).map(|i| 40.0 + [3.0, 1.0, 0.0, -1.0, -2.0, -2.0, 1.0][i % 7] + 0.01 * i as f64).collect();
//! let r = stl(&x, &StlOptions { period: 7, preset: StlPreset::RStl, ..Default::default() }).unwrap();
//! assert_eq!(r.parameters.trend_length, 15);
//! assert!((r.seasonal[0] - 3.0).abs() < 0.2);
//! ```

use crate::baseline::series::{fill_missing, MissingDays};
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::stats::sum::NeumaierSum;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

option_enum! {
    /// Which package's defaults fill the parameters left unset.
    #[derive(Default)]
    StlPreset {
        /// R `stats::stl` defaults.
        RStl => "r_stl",
        /// statsmodels `STL` defaults.
        #[default]
        Statsmodels => "statsmodels",
    }
}

/// STL options: every parameter of the algorithm; `None` takes the preset's default (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StlOptions {
    /// Season length in days (7 = weekly pattern of daily data), at least 2.
    pub period: usize,
    /// Preset for the unset parameters.
    pub preset: StlPreset,
    /// Seasonal smoother length (odd, ≥ 3; even values are raised by one).
    pub seasonal_length: Option<usize>,
    /// R `s.window = "periodic"`: seasonal length 10n+1, degree 0, seasonal averaged per cycle position.
    pub periodic: bool,
    /// Trend smoother length.
    pub trend_length: Option<usize>,
    /// Low-pass filter length.
    pub low_pass_length: Option<usize>,
    /// Seasonal LOESS degree (0 or 1).
    pub seasonal_degree: Option<u8>,
    /// Trend LOESS degree (0 or 1).
    pub trend_degree: Option<u8>,
    /// Low-pass LOESS degree (0 or 1).
    pub low_pass_degree: Option<u8>,
    /// Seasonal smoother jump (LOESS every `jump` points, linear interpolation between).
    pub seasonal_jump: Option<usize>,
    /// Trend smoother jump.
    pub trend_jump: Option<usize>,
    /// Low-pass smoother jump.
    pub low_pass_jump: Option<usize>,
    /// Inner loop iterations.
    pub inner_loops: Option<usize>,
    /// Outer (robustness) iterations.
    pub outer_loops: Option<usize>,
    /// Robust fitting (bisquare weights on the remainder).
    pub robust: bool,
    /// Missing-day policy (NaN in the input).
    pub missing: MissingDays,
}

impl Default for StlOptions {
    fn default() -> Self {
        StlOptions {
            period: 7,
            preset: StlPreset::Statsmodels,
            seasonal_length: None,
            periodic: false,
            trend_length: None,
            low_pass_length: None,
            seasonal_degree: None,
            trend_degree: None,
            low_pass_degree: None,
            seasonal_jump: None,
            trend_jump: None,
            low_pass_jump: None,
            inner_loops: None,
            outer_loops: None,
            robust: false,
            missing: MissingDays::Error,
        }
    }
}

/// The parameters STL actually ran with (all resolved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StlParameters {
    /// Preset that filled the unset parameters.
    pub preset: StlPreset,
    /// Season length.
    pub period: usize,
    /// Seasonal smoother length.
    pub seasonal_length: usize,
    /// Whether the R periodic averaging was applied.
    pub periodic: bool,
    /// Trend smoother length.
    pub trend_length: usize,
    /// Low-pass filter length.
    pub low_pass_length: usize,
    /// Seasonal degree.
    pub seasonal_degree: u8,
    /// Trend degree.
    pub trend_degree: u8,
    /// Low-pass degree.
    pub low_pass_degree: u8,
    /// Seasonal jump.
    pub seasonal_jump: usize,
    /// Trend jump.
    pub trend_jump: usize,
    /// Low-pass jump.
    pub low_pass_jump: usize,
    /// Inner loops.
    pub inner_loops: usize,
    /// Outer loops.
    pub outer_loops: usize,
    /// Robust fitting.
    pub robust: bool,
}

fn odd3(v: usize) -> usize {
    let v = v.max(3);
    if v.is_multiple_of(2) {
        v + 1
    } else {
        v
    }
}

fn degree(arg: &str, v: Option<u8>, default: u8) -> Result<u8> {
    let d = v.unwrap_or(default);
    if d > 1 {
        return Err(CxkpiError::invalid(arg, format!("must be 0 or 1, got {d}")));
    }
    Ok(d)
}

fn positive(arg: &str, v: Option<usize>, default: usize) -> Result<usize> {
    let j = v.unwrap_or(default);
    if j == 0 {
        return Err(CxkpiError::invalid(arg, "must be at least 1, got 0"));
    }
    Ok(j)
}

impl StlOptions {
    /// Checks the options (the series length is checked by [`stl`]).
    pub fn validate(&self) -> Result<()> {
        self.resolve(0).map(|_| ())
    }

    /// Resolves every parameter for a series of `n` days (n matters only for `periodic`).
    pub fn resolve(&self, n: usize) -> Result<StlParameters> {
        let p = self.period;
        if p < 2 {
            return Err(CxkpiError::invalid(
                "period",
                format!("must be at least 2, got {p}"),
            ));
        }
        let r = self.preset == StlPreset::RStl;
        let (ns, sdeg_default) = if self.periodic {
            (10 * n + 1, 0)
        } else {
            (self.seasonal_length.unwrap_or(7), if r { 0 } else { 1 })
        };
        if ns == 0 {
            return Err(CxkpiError::invalid("seasonal_length", "must be at least 3"));
        }
        let seasonal_degree = if self.periodic {
            0
        } else {
            degree("seasonal_degree", self.seasonal_degree, sdeg_default)?
        };
        let trend_degree = degree("trend_degree", self.trend_degree, 1)?;
        let low_pass_degree = degree(
            "low_pass_degree",
            self.low_pass_degree,
            if r { trend_degree } else { 1 },
        )?;
        // ceiling(1.5 p / (1 - 1.5 / ns)) in f64, as R and statsmodels compute it (from the unrounded ns).
        let t_default = (1.5 * p as f64 / (1.0 - 1.5 / ns as f64)).ceil() as usize;
        let l_default = if r { p } else { p + 1 };
        let seasonal_length = odd3(ns);
        let trend_length = odd3(self.trend_length.unwrap_or(t_default));
        let low_pass_length = odd3(self.low_pass_length.unwrap_or(l_default));
        let jump = |len: usize| if r { len.div_ceil(10) } else { 1 };
        // R computes the default jumps from the windows it passes (before the Fortran makes them odd).
        let s_jump_base = ns;
        let t_jump_base = self
            .trend_length
            .unwrap_or(if r { odd3(t_default) } else { t_default });
        let l_jump_base = self.low_pass_length.unwrap_or(if r { odd3(p) } else { p });
        Ok(StlParameters {
            preset: self.preset,
            period: p,
            seasonal_length,
            periodic: self.periodic,
            trend_length,
            low_pass_length,
            seasonal_degree,
            trend_degree,
            low_pass_degree,
            seasonal_jump: positive("seasonal_jump", self.seasonal_jump, jump(s_jump_base))?,
            trend_jump: positive("trend_jump", self.trend_jump, jump(t_jump_base))?,
            low_pass_jump: positive("low_pass_jump", self.low_pass_jump, jump(l_jump_base))?,
            inner_loops: positive(
                "inner_loops",
                self.inner_loops,
                match (r, self.robust) {
                    (true, true) => 1,
                    (true, false) => 2,
                    (false, true) => 2,
                    (false, false) => 5,
                },
            )?,
            outer_loops: self.outer_loops.unwrap_or(if self.robust { 15 } else { 0 }),
            robust: self.robust,
        })
    }
}

impl StlParameters {
    fn to_stlrs(&self) -> stlrs::StlParams {
        let mut s = stlrs::params();
        s.seasonal_length(self.seasonal_length)
            .trend_length(self.trend_length)
            .low_pass_length(self.low_pass_length)
            .seasonal_degree(self.seasonal_degree as i32)
            .trend_degree(self.trend_degree as i32)
            .low_pass_degree(self.low_pass_degree as i32)
            .seasonal_jump(self.seasonal_jump)
            .trend_jump(self.trend_jump)
            .low_pass_jump(self.low_pass_jump)
            .inner_loops(self.inner_loops)
            .outer_loops(self.outer_loops)
            .robust(self.robust);
        s
    }
}

/// An STL decomposition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StlResult {
    /// Parameters STL ran with.
    pub parameters: StlParameters,
    /// Missing-day policy applied.
    pub missing: MissingDays,
    /// Indices that were missing and filled by interpolation before the fit.
    pub interpolated: Vec<usize>,
    /// Seasonal component.
    pub seasonal: Vec<f64>,
    /// Trend component.
    pub trend: Vec<f64>,
    /// Remainder = observed − seasonal − trend.
    pub remainder: Vec<f64>,
    /// Robustness weights (all 1 without robust fitting).
    pub weights: Vec<f64>,
    /// Seasonal strength max(0, 1 − var(R) / var(S + R)) (Wang, Smith & Hyndman 2006); `None` if var(S+R)=0.
    pub seasonal_strength: Option<f64>,
    /// Trend strength max(0, 1 − var(R) / var(T + R)); `None` if var(T+R) = 0.
    pub trend_strength: Option<f64>,
}

fn variance(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = xs.clone().count() as f64;
    let mut s = NeumaierSum::default();
    xs.clone().for_each(|x| s.add(x));
    let m = s.value() / n;
    let mut q = NeumaierSum::default();
    xs.for_each(|x| q.add((x - m) * (x - m)));
    q.value() / (n - 1.0)
}

fn strength(r: &[f64], c: &[f64]) -> Option<f64> {
    let vr = variance(r.iter().copied());
    let vcr = variance(r.iter().zip(c).map(|(a, b)| a + b));
    (vcr > 0.0).then(|| (1.0 - vr / vcr).max(0.0))
}

fn check_length(n: usize, p: usize, preset: StlPreset) -> Result<()> {
    // R: n > 2 * period; statsmodels and stlrs: n >= 2 * period.
    let required = if preset == StlPreset::RStl {
        2 * p + 1
    } else {
        2 * p
    };
    if n < required {
        return Err(CxkpiError::InsufficientData {
            what: format!("STL with period {p} (more than two full periods)"),
            n: n as u64,
            required: required as u64,
        });
    }
    Ok(())
}

fn fit_one(x: &[f64], par: &StlParameters) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let fit = par
        .to_stlrs()
        .fit(x, par.period)
        .map_err(|e| CxkpiError::invalid("options", format!("stl: {e}")))?;
    let (mut seasonal, trend, _rem, weights) = fit.into_parts();
    if par.periodic {
        let p = par.period;
        let mut sums = vec![NeumaierSum::default(); p];
        let mut counts = vec![0usize; p];
        for (i, &s) in seasonal.iter().enumerate() {
            sums[i % p].add(s);
            counts[i % p] += 1;
        }
        let means: Vec<f64> = (0..p).map(|j| sums[j].value() / counts[j] as f64).collect();
        for (i, s) in seasonal.iter_mut().enumerate() {
            *s = means[i % p];
        }
    }
    Ok((seasonal, trend, weights))
}

/// STL of `values` (NaN = missing day, handled by `opts.missing`).
pub fn stl(values: &[f64], opts: &StlOptions) -> Result<StlResult> {
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "values".into(),
        });
    }
    let par = opts.resolve(values.len())?;
    check_length(values.len(), par.period, par.preset)?;
    let (x, interpolated) = fill_missing("values", values, opts.missing)?;
    let (seasonal, trend, weights) = fit_one(&x, &par)?;
    let remainder: Vec<f64> = (0..x.len())
        .map(|i| x[i] - seasonal[i] - trend[i])
        .collect();
    Ok(StlResult {
        seasonal_strength: strength(&remainder, &seasonal),
        trend_strength: strength(&remainder, &trend),
        parameters: par,
        missing: opts.missing,
        interpolated,
        seasonal,
        trend,
        remainder,
        weights,
    })
}

/// STL of many series with the same options, in parallel across series (rayon); results in input order,
/// each identical to [`stl`] on that series. The first error (lowest series index) is returned with the
/// series index in its message.
pub fn stl_batch(series: &[&[f64]], opts: &StlOptions) -> Result<Vec<StlResult>> {
    opts.validate()?;
    let out: Vec<Result<StlResult>> = series.par_iter().map(|s| stl(s, opts)).collect();
    out.into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| match e {
                CxkpiError::MissingValue { index, .. } => CxkpiError::MissingValue {
                    arg: format!("series[{i}]"),
                    index,
                },
                other => CxkpiError::invalid(&format!("series[{i}]"), other.to_string()),
            })
        })
        .collect()
}

/// MSTL options (statsmodels `MSTL` conventions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MstlOptions {
    /// Season lengths (e.g. `[7, 365]`); sorted ascending (with their windows) before fitting.
    pub periods: Vec<usize>,
    /// Seasonal smoother length per period; default `7 + 4 i` for the i-th (1-based) sorted period.
    pub windows: Option<Vec<usize>>,
    /// Iterations of the backfitting loop (1 when there is a single period), default 2.
    pub iterations: usize,
    /// Box-Cox λ applied first (`None` = no transform; 0 = log); values must then be positive.
    pub lambda: Option<f64>,
    /// STL options for every component (its `period` and `seasonal_length` are set per component).
    pub stl: StlOptions,
}

impl Default for MstlOptions {
    fn default() -> Self {
        MstlOptions {
            periods: vec![7],
            windows: None,
            iterations: 2,
            lambda: None,
            stl: StlOptions::default(),
        }
    }
}

impl MstlOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.periods.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "periods".into(),
            });
        }
        if let Some(w) = &self.windows {
            if w.len() != self.periods.len() {
                return Err(CxkpiError::LengthMismatch {
                    arg: "windows".into(),
                    len: w.len(),
                    other: "periods".into(),
                    other_len: self.periods.len(),
                });
            }
        }
        if self.iterations == 0 {
            return Err(CxkpiError::invalid("iterations", "must be at least 1"));
        }
        if let Some(l) = self.lambda {
            if !l.is_finite() {
                return Err(CxkpiError::invalid(
                    "lambda",
                    format!("must be finite, got {l}"),
                ));
            }
        }
        for &p in &self.periods {
            StlOptions {
                period: p,
                ..self.stl.clone()
            }
            .validate()?;
        }
        Ok(())
    }
}

/// An MSTL decomposition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MstlResult {
    /// Periods, ascending (the order of `seasonal`).
    pub periods: Vec<usize>,
    /// Resolved STL parameters per period (last iteration).
    pub parameters: Vec<StlParameters>,
    /// Iterations run.
    pub iterations: usize,
    /// Box-Cox λ applied, if any.
    pub lambda: Option<f64>,
    /// Indices that were missing and filled by interpolation.
    pub interpolated: Vec<usize>,
    /// One seasonal component per period.
    pub seasonal: Vec<Vec<f64>>,
    /// Trend (from the last STL fit).
    pub trend: Vec<f64>,
    /// Remainder = (transformed) observed − Σ seasonal − trend.
    pub remainder: Vec<f64>,
    /// Robustness weights of the last STL fit.
    pub weights: Vec<f64>,
}

/// MSTL of `values` (statsmodels `MSTL` conventions: periods sorted, windows `7 + 4 i`, 2 iterations, trend
/// from the last fit).
pub fn mstl(values: &[f64], opts: &MstlOptions) -> Result<MstlResult> {
    opts.validate()?;
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "values".into(),
        });
    }
    let n = values.len();
    let mut pw: Vec<(usize, Option<usize>)> = opts
        .periods
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, opts.windows.as_ref().map(|w| w[i])))
        .collect();
    pw.sort();
    for &(p, _) in &pw {
        check_length(n, p, opts.stl.preset)?;
    }
    let (x, interpolated) = fill_missing("values", values, opts.stl.missing)?;
    let mut deseas: Vec<f64> = match opts.lambda {
        None => x,
        Some(l) => {
            if let Some(i) = x.iter().position(|&v| v <= 0.0) {
                return Err(CxkpiError::invalid(
                    "values",
                    format!("element {i} is {}; Box-Cox needs positive values", x[i]),
                ));
            }
            x.iter()
                .map(|&v| {
                    if l == 0.0 {
                        v.ln()
                    } else {
                        (v.powf(l) - 1.0) / l
                    }
                })
                .collect()
        }
    };
    let k = pw.len();
    let iterations = if k == 1 { 1 } else { opts.iterations };
    let mut seasonal = vec![vec![0.0; n]; k];
    let mut params = Vec::with_capacity(k);
    let mut trend = vec![0.0; n];
    let mut weights = vec![1.0; n];
    for it in 0..iterations {
        for (i, &(p, w)) in pw.iter().enumerate() {
            for (d, s) in deseas.iter_mut().zip(&seasonal[i]) {
                *d += *s;
            }
            let o = StlOptions {
                period: p,
                seasonal_length: Some(w.unwrap_or(7 + 4 * (i + 1))),
                periodic: false,
                missing: MissingDays::Error,
                ..opts.stl.clone()
            };
            let par = o.resolve(n)?;
            let (s, t, wt) = fit_one(&deseas, &par)?;
            seasonal[i] = s;
            trend = t;
            weights = wt;
            for (d, s) in deseas.iter_mut().zip(&seasonal[i]) {
                *d -= *s;
            }
            if it == iterations - 1 {
                params.push(par);
            }
        }
    }
    let remainder = deseas.iter().zip(&trend).map(|(d, t)| d - t).collect();
    Ok(MstlResult {
        periods: pw.iter().map(|&(p, _)| p).collect(),
        parameters: params,
        iterations,
        lambda: opts.lambda,
        interpolated,
        seasonal,
        trend,
        remainder,
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_presets() {
        let r = StlOptions {
            period: 7,
            preset: StlPreset::RStl,
            ..Default::default()
        }
        .resolve(100)
        .unwrap();
        assert_eq!(
            (
                r.seasonal_length,
                r.seasonal_degree,
                r.trend_length,
                r.low_pass_length
            ),
            (7, 0, 15, 7)
        );
        assert_eq!((r.seasonal_jump, r.trend_jump, r.low_pass_jump), (1, 2, 1));
        assert_eq!((r.inner_loops, r.outer_loops), (2, 0));
        let s = StlOptions::default().resolve(100).unwrap();
        assert_eq!(
            (
                s.seasonal_length,
                s.seasonal_degree,
                s.trend_length,
                s.low_pass_length
            ),
            (7, 1, 15, 9)
        );
        assert_eq!((s.inner_loops, s.seasonal_jump), (5, 1));
    }

    #[test]
    fn short_series_is_typed() {
        let e = stl(&[1.0; 10], &StlOptions::default()).unwrap_err();
        assert_eq!(e.kind(), "insufficient_data");
    }
}
