//! Bridging an instrument change (a new scale or a reworded question) so trends stay comparable.

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::scale::Scale;
use crate::stats::sum::NeumaierSum;

option_enum! {
    /// How old-instrument values are mapped onto the new instrument's scale.
    BridgeMethod {
        /// Declared linear map of the scale ends: y = c + (x - a) (d - c) / (b - a).
        Linear => "linear",
        /// Linear equating from an overlap period: y = mean_new + (sd_new / sd_old) (x - mean_old), with
        /// population standard deviations (divisor n).
        MeanSigma => "mean_sigma",
        /// Equipercentile equating from an overlap period (Kolen & Brennan 2014, eqs 2.14-2.18: percentile
        /// ranks of the continuised old distribution, mapped through the inverse continuised new one).
        Equipercentile => "equipercentile",
    }
}

/// One old scale point and its equivalent on the new scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BridgePoint {
    pub from: f64,
    pub to: f64,
    /// Equipercentile: the percentile rank (0..1) of `from` in the old overlap distribution.
    pub percentile_rank: Option<f64>,
}

/// A fitted bridge from an old scale to a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bridge {
    pub method: BridgeMethod,
    pub from_scale: Scale,
    pub to_scale: Scale,
    /// Linear methods: y = intercept + slope x.
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    /// The conversion of every old scale point.
    pub table: Vec<BridgePoint>,
    /// Overlap answers used (0 for `linear`).
    pub n_old: u64,
    pub n_new: u64,
    /// Equipercentile: proportions of the old and new overlap answers per scale point.
    pub old_proportions: Vec<f64>,
    pub new_proportions: Vec<f64>,
}

fn scale_points(s: Scale) -> usize {
    (s.max - s.min + 1) as usize
}

fn proportions(arg: &str, x: &[f64], s: Scale) -> Result<(Vec<f64>, u64)> {
    let mut c = vec![0u64; scale_points(s)];
    let mut n = 0u64;
    for (i, &v) in x.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        crate::scale::check_value(arg, i, v, crate::scale::ValueCheck::Scale(s))?;
        c[(v as i32 - s.min) as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return Err(CxkpiError::InsufficientData {
            what: format!("an equipercentile bridge ({arg})"),
            n: 0,
            required: 1,
        });
    }
    Ok((c.iter().map(|&k| k as f64 / n as f64).collect(), n))
}

fn mean_sd(arg: &str, x: &[f64], s: Scale) -> Result<(f64, f64, u64)> {
    let mut sum = NeumaierSum::default();
    let mut n = 0u64;
    for (i, &v) in x.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        crate::scale::check_value(arg, i, v, crate::scale::ValueCheck::Scale(s))?;
        sum.add(v);
        n += 1;
    }
    if n < 2 {
        return Err(CxkpiError::InsufficientData {
            what: format!("a mean_sigma bridge ({arg})"),
            n,
            required: 2,
        });
    }
    let m = sum.value() / n as f64;
    let mut ss = NeumaierSum::default();
    for &v in x.iter().filter(|v| !v.is_nan()) {
        ss.add((v - m) * (v - m));
    }
    Ok((m, (ss.value() / n as f64).sqrt(), n))
}

impl Bridge {
    /// The declared linear map of `from` onto `to` (ends onto ends).
    ///
    /// ```
    /// use cxkpi::governance::Bridge;
    /// use cxkpi::Scale;
    /// let b = Bridge::linear(Scale::CSAT, Scale::CES).unwrap(); // 1-5 onto 1-7
    /// assert_eq!(b.apply(3.0).unwrap(), 4.0);
    /// ```
    pub fn linear(from: Scale, to: Scale) -> Result<Bridge> {
        Scale::new(from.min, from.max)?;
        Scale::new(to.min, to.max)?;
        let slope = (to.max - to.min) as f64 / (from.max - from.min) as f64;
        let intercept = to.min as f64 - slope * from.min as f64;
        Ok(Self::linear_like(
            BridgeMethod::Linear,
            from,
            to,
            slope,
            intercept,
            0,
            0,
        ))
    }

    fn linear_like(
        method: BridgeMethod,
        from: Scale,
        to: Scale,
        slope: f64,
        intercept: f64,
        n_old: u64,
        n_new: u64,
    ) -> Bridge {
        let table = (from.min..=from.max)
            .map(|x| BridgePoint {
                from: x as f64,
                to: intercept + slope * x as f64,
                percentile_rank: None,
            })
            .collect();
        Bridge {
            method,
            from_scale: from,
            to_scale: to,
            slope: Some(slope),
            intercept: Some(intercept),
            table,
            n_old,
            n_new,
            old_proportions: vec![],
            new_proportions: vec![],
        }
    }

    /// Linear (mean-sigma) equating from overlap answers of the old and new instrument (NaN = missing).
    pub fn mean_sigma(old: &[f64], new: &[f64], from: Scale, to: Scale) -> Result<Bridge> {
        Scale::new(from.min, from.max)?;
        Scale::new(to.min, to.max)?;
        let (mx, sx, nx) = mean_sd("old", old, from)?;
        let (my, sy, ny) = mean_sd("new", new, to)?;
        if sx == 0.0 {
            return Err(CxkpiError::invalid(
                "old",
                "every overlap answer is the same: the standard deviation is zero",
            ));
        }
        let slope = sy / sx;
        let intercept = my - slope * mx;
        Ok(Self::linear_like(
            BridgeMethod::MeanSigma,
            from,
            to,
            slope,
            intercept,
            nx,
            ny,
        ))
    }

    /// Equipercentile equating from overlap answers (whole scale points; NaN = missing) of the old
    /// instrument (`old`, scale `from`) and the new one (`new`, scale `to`), randomly equivalent groups.
    ///
    /// P(x) = F(x* - 1) + (x - (x* - 0.5)) f(x*) for x* the nearest point; then
    /// y = (P - G(y* - 1)) / g(y*) + y* - 0.5 with y* the smallest new point whose cumulative share G(y*)
    /// exceeds P (y = max + 0.5 if none). Values are defined on [min - 0.5, max + 0.5].
    ///
    /// ```
    /// use cxkpi::governance::Bridge;
    /// use cxkpi::Scale;
    /// // Old 1-3: one answer each; new 1-5: 1,2,3,4,5 one each. P(2) = 1/3 + 0.5/3 = 0.5;
    /// // G(3) = 0.6 > 0.5 first, so y = (0.5 - 0.4) / 0.2 + 2.5 = 3.
    /// let b = Bridge::equipercentile(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0, 5.0],
    ///                                Scale::new(1, 3).unwrap(), Scale::CSAT).unwrap();
    /// assert!((b.apply(2.0).unwrap() - 3.0).abs() < 1e-12);
    /// ```
    pub fn equipercentile(old: &[f64], new: &[f64], from: Scale, to: Scale) -> Result<Bridge> {
        Scale::new(from.min, from.max)?;
        Scale::new(to.min, to.max)?;
        let (f, nx) = proportions("old", old, from)?;
        let (g, ny) = proportions("new", new, to)?;
        let mut b = Bridge {
            method: BridgeMethod::Equipercentile,
            from_scale: from,
            to_scale: to,
            slope: None,
            intercept: None,
            table: vec![],
            n_old: nx,
            n_new: ny,
            old_proportions: f,
            new_proportions: g,
        };
        b.table = (from.min..=from.max)
            .map(|x| {
                let p = b.percentile_rank(x as f64);
                BridgePoint {
                    from: x as f64,
                    to: b.inverse_new(p),
                    percentile_rank: Some(p),
                }
            })
            .collect();
        Ok(b)
    }

    /// Cumulative share of the first `k` points (k may be 0) of a proportion vector.
    fn cum(p: &[f64], k: usize) -> f64 {
        let mut s = NeumaierSum::default();
        for &x in &p[..k] {
            s.add(x);
        }
        s.value()
    }

    fn percentile_rank(&self, x: f64) -> f64 {
        let f = &self.old_proportions;
        let lo = self.from_scale.min as f64;
        if x >= self.from_scale.max as f64 + 0.5 {
            return 1.0;
        }
        // x* = nearest point, with [x* - 0.5, x* + 0.5).
        let k = ((x - lo) + 0.5).floor() as usize;
        let below = Self::cum(f, k);
        below + (x - (lo + k as f64 - 0.5)) * f[k]
    }

    fn inverse_new(&self, p: f64) -> f64 {
        let g = &self.new_proportions;
        let lo = self.to_scale.min as f64;
        let mut cum = 0.0;
        let mut s = NeumaierSum::default();
        for (k, &gk) in g.iter().enumerate() {
            s.add(gk);
            let next = s.value();
            if next > p && gk > 0.0 {
                return (p - cum) / gk + (lo + k as f64 - 0.5);
            }
            cum = next;
        }
        self.to_scale.max as f64 + 0.5
    }

    /// Maps one old-scale value (NaN stays NaN). Linear methods accept any value within the old scale;
    /// equipercentile accepts [min - 0.5, max + 0.5] (the continuised scale). Anything else is out of scale.
    pub fn apply(&self, x: f64) -> Result<f64> {
        self.apply_at("value", 0, x)
    }

    fn apply_at(&self, arg: &str, i: usize, x: f64) -> Result<f64> {
        if x.is_nan() {
            return Ok(x);
        }
        let (lo, hi) = (self.from_scale.min as f64, self.from_scale.max as f64);
        let pad = if self.method == BridgeMethod::Equipercentile {
            0.5
        } else {
            0.0
        };
        if !(x >= lo - pad && x <= hi + pad) {
            return Err(CxkpiError::OutOfScale {
                arg: arg.into(),
                index: i,
                value: x,
                scale: format!("{}..{}", lo - pad, hi + pad),
            });
        }
        Ok(match self.method {
            BridgeMethod::Equipercentile => {
                if x == x.round() {
                    self.table[(x - lo) as usize].to
                } else {
                    self.inverse_new(self.percentile_rank(x))
                }
            }
            _ => self.intercept.unwrap() + self.slope.unwrap() * x,
        })
    }

    /// Maps a column of old-scale values (NaN stays NaN); the error names the index.
    pub fn apply_all(&self, x: &[f64]) -> Result<Vec<f64>> {
        x.iter()
            .enumerate()
            .map(|(i, &v)| self.apply_at("values", i, v))
            .collect()
    }

    /// Puts a series that changed instrument at `break_period` on the new scale: values of the periods
    /// before it are mapped with the bridge (a mean mapped by a linear bridge is exact; by an
    /// equipercentile bridge it is the conversion of the mean, not the mean of converted answers — map the
    /// answers for that), values from it on are kept; the first new period is marked as the break.
    ///
    /// ```
    /// use cxkpi::governance::Bridge;
    /// use cxkpi::Scale;
    /// let b = Bridge::linear(Scale::CSAT, Scale::CES).unwrap();
    /// let s = b.bridge_series(&["Q1".into(), "Q2".into(), "Q3".into()], &[4.0, 3.5, 5.5], "Q3").unwrap();
    /// assert_eq!(s.points[0].value, Some(5.5));
    /// assert!(s.points[2].break_before && !s.points[2].bridged);
    /// ```
    pub fn bridge_series(
        &self,
        periods: &[String],
        values: &[f64],
        break_period: &str,
    ) -> Result<BridgedSeries> {
        if periods.len() != values.len() {
            return Err(CxkpiError::LengthMismatch {
                arg: "values".into(),
                len: values.len(),
                other: "periods".into(),
                other_len: periods.len(),
            });
        }
        let b = periods
            .iter()
            .position(|p| p == break_period)
            .ok_or_else(|| {
                CxkpiError::invalid(
                    "break_period",
                    format!("\"{break_period}\" is not one of the periods"),
                )
            })?;
        let mut points = Vec::with_capacity(periods.len());
        for (i, (p, &v)) in periods.iter().zip(values).enumerate() {
            let old = i < b;
            let mapped = if old {
                self.apply_at("values", i, v)?
            } else {
                v
            };
            points.push(BridgedPoint {
                period: p.clone(),
                raw: (!v.is_nan()).then_some(v),
                value: (!mapped.is_nan()).then_some(mapped),
                instrument: if old { "old" } else { "new" }.into(),
                bridged: old,
                break_before: i == b,
            });
        }
        Ok(BridgedSeries {
            method: self.method,
            break_period: break_period.into(),
            points,
        })
    }
}

/// One period of a [`BridgedSeries`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BridgedPoint {
    pub period: String,
    /// The value as measured (null if missing).
    pub raw: Option<f64>,
    /// The value on the new scale (null if missing).
    pub value: Option<f64>,
    /// `old` or `new`.
    pub instrument: String,
    /// Whether `value` was mapped by the bridge.
    pub bridged: bool,
    /// Whether the instrument changed at this period (the break).
    pub break_before: bool,
}

/// A series put on one scale across an instrument change, with the break marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BridgedSeries {
    pub method: BridgeMethod,
    pub break_period: String,
    pub points: Vec<BridgedPoint>,
}
