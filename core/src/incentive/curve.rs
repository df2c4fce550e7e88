//! Payout curves: the map from one KPI value to a payout factor (1.0 = target payout).
//!
//! Every curve is written in the KPI's own units and read in the KPI's direction: for a lower-is-better KPI
//! (churn, handling time) the points run from the worst acceptable value down to the best one. Internally a
//! value `x` is placed on the "goodness" axis `s = x` (higher is better) or `s = -x` (lower is better); the
//! negation is exact, so `(-x) - (-a)` is bit-for-bit `a - x` and hand derivations carry over unchanged.

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::scale::Direction;
use serde::{Deserialize, Serialize};

/// One point of a linear or stepped curve: at `value` the curve pays `payout` (a factor of the target payout).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurvePoint {
    /// The KPI value (in the KPI's units).
    pub value: f64,
    /// The payout factor at that value (1.0 = 100% of target).
    pub payout: f64,
}

/// One tier of an accelerated curve: from `from` on, each unit of the KPI pays `rate`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateTier {
    /// Where the tier starts (in the KPI's units; the first tier's `from` is where payout starts at 0).
    pub from: f64,
    /// Payout factor per unit of KPI progress inside this tier.
    pub rate: f64,
}

option_enum! {
    /// How an accelerated curve applies its tier rates.
    AcceleratorMode {
        /// Each rate applies only to the slice of progress inside its tier (tax-bracket style).
        Marginal => "marginal",
        /// The rate of the highest tier reached applies to the whole progress from the start.
        Whole => "whole",
    }
}

// The option_enum! macro owns the derives, so Default is written out.
#[allow(clippy::derivable_impls)]
impl Default for AcceleratorMode {
    fn default() -> Self {
        AcceleratorMode::Marginal
    }
}

fn default_threshold_payout() -> f64 {
    0.5
}
fn default_target_payout() -> f64 {
    1.0
}
fn default_maximum_payout() -> f64 {
    2.0
}

/// A payout curve. Below the first point (the threshold) every curve pays 0; a value exactly at a point earns
/// that point (threshold inclusivity `inclusive`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Curve {
    /// Threshold / target / maximum with linear interpolation between them (the slopes below and above the
    /// target may differ); flat at `maximum_payout` beyond the maximum.
    ThresholdTargetMaximum {
        /// The value where payout starts.
        threshold: f64,
        /// The value that pays `target_payout`.
        target: f64,
        /// The value where payout stops rising.
        maximum: f64,
        /// Payout at the threshold (default 0.5).
        #[serde(default = "default_threshold_payout")]
        threshold_payout: f64,
        /// Payout at the target (default 1.0).
        #[serde(default = "default_target_payout")]
        target_payout: f64,
        /// Payout at and beyond the maximum (default 2.0).
        #[serde(default = "default_maximum_payout")]
        maximum_payout: f64,
    },
    /// Piecewise linear through any number of points (ordered from worst to best value); flat after the last.
    Linear {
        /// The points, from the threshold to the maximum.
        points: Vec<CurvePoint>,
    },
    /// Stepped tiers: the payout of the best tier reached, no interpolation.
    Stepped {
        /// The tiers, from the lowest (worst) to the highest (best).
        tiers: Vec<CurvePoint>,
    },
    /// Accelerators: a payout rate per unit of progress that rises tier by tier.
    Accelerated {
        /// Whole or marginal application of the rates.
        #[serde(default)]
        mode: AcceleratorMode,
        /// The tiers; the first one's `from` is where payout starts (0 below it).
        tiers: Vec<RateTier>,
    },
}

impl Default for Curve {
    fn default() -> Self {
        Curve::ThresholdTargetMaximum {
            threshold: 0.0,
            target: 1.0,
            maximum: 2.0,
            threshold_payout: 0.5,
            target_payout: 1.0,
            maximum_payout: 2.0,
        }
    }
}

/// A validated curve on the goodness axis (`s`), ready to evaluate quickly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Compiled {
    /// Piecewise linear: (s, payout), strictly increasing s.
    Linear(Vec<(f64, f64)>),
    /// Stepped: (s, payout), strictly increasing s.
    Stepped(Vec<(f64, f64)>),
    /// Accelerated: (s, rate), strictly increasing s.
    Accelerated(AcceleratorMode, Vec<(f64, f64)>),
}

#[inline]
fn axis(direction: Direction, x: f64) -> f64 {
    match direction {
        Direction::HigherIsBetter => x,
        Direction::LowerIsBetter => -x,
    }
}

fn check_finite(arg: &str, v: f64) -> Result<()> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(CxkpiError::invalid(
            arg,
            format!("must be a finite number, got {v}"),
        ))
    }
}

fn ordered(arg: &str, direction: Direction, pts: &[(f64, f64)]) -> Result<()> {
    for (i, w) in pts.windows(2).enumerate() {
        if w[1].0 <= w[0].0 {
            let (a, b) = (axis(direction, w[0].0), axis(direction, w[1].0));
            let want = match direction {
                Direction::HigherIsBetter => "strictly increasing (higher_is_better)",
                Direction::LowerIsBetter => "strictly decreasing (lower_is_better)",
            };
            return Err(CxkpiError::invalid(
                arg,
                format!(
                    "point {} ({a}) and point {} ({b}) are out of order: values must be {want}",
                    i,
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

impl Curve {
    /// Validates the curve for `direction` and compiles it; `arg` names it in errors (e.g. `kpis[2].curve`).
    pub(crate) fn compile(&self, arg: &str, direction: Direction) -> Result<Compiled> {
        let pts_of = |pts: &[CurvePoint], what: &str| -> Result<Vec<(f64, f64)>> {
            if pts.is_empty() {
                return Err(CxkpiError::EmptyInput {
                    arg: format!("{arg}.{what}"),
                });
            }
            let mut out = Vec::with_capacity(pts.len());
            for (i, p) in pts.iter().enumerate() {
                check_finite(&format!("{arg}.{what}[{i}].value"), p.value)?;
                check_finite(&format!("{arg}.{what}[{i}].payout"), p.payout)?;
                if p.payout < 0.0 {
                    return Err(CxkpiError::invalid(
                        &format!("{arg}.{what}[{i}].payout"),
                        format!("must be >= 0, got {}", p.payout),
                    ));
                }
                out.push((axis(direction, p.value), p.payout));
            }
            ordered(&format!("{arg}.{what}"), direction, &out)?;
            Ok(out)
        };
        match self {
            Curve::ThresholdTargetMaximum {
                threshold,
                target,
                maximum,
                threshold_payout,
                target_payout,
                maximum_payout,
            } => {
                let pts = [
                    CurvePoint {
                        value: *threshold,
                        payout: *threshold_payout,
                    },
                    CurvePoint {
                        value: *target,
                        payout: *target_payout,
                    },
                    CurvePoint {
                        value: *maximum,
                        payout: *maximum_payout,
                    },
                ];
                pts_of(&pts, "threshold_target_maximum").map(Compiled::Linear)
            }
            Curve::Linear { points } => pts_of(points, "points").map(Compiled::Linear),
            Curve::Stepped { tiers } => pts_of(tiers, "tiers").map(Compiled::Stepped),
            Curve::Accelerated { mode, tiers } => {
                let pts: Vec<CurvePoint> = tiers
                    .iter()
                    .map(|t| CurvePoint {
                        value: t.from,
                        payout: t.rate,
                    })
                    .collect();
                let c = pts_of(&pts, "tiers").map_err(|e| match e {
                    CxkpiError::InvalidArgument { arg, message } => CxkpiError::InvalidArgument {
                        arg: arg.replace(".value", ".from").replace(".payout", ".rate"),
                        message,
                    },
                    e => e,
                })?;
                Ok(Compiled::Accelerated(*mode, c))
            }
        }
    }

    /// The target value of the curve, where it has one (threshold/target/maximum only).
    pub(crate) fn target(&self) -> Option<f64> {
        match self {
            Curve::ThresholdTargetMaximum { target, .. } => Some(*target),
            _ => None,
        }
    }
}

impl Compiled {
    /// The payout factor for the KPI value `x` (finite) read in `direction`.
    #[inline]
    pub(crate) fn payout(&self, direction: Direction, x: f64) -> f64 {
        let s = axis(direction, x);
        match self {
            Compiled::Linear(p) => linear(p, s),
            Compiled::Stepped(p) => stepped(p, s),
            Compiled::Accelerated(AcceleratorMode::Whole, t) => whole(t, s),
            Compiled::Accelerated(AcceleratorMode::Marginal, t) => marginal(t, s),
        }
    }

    /// `out[i] = min(payout(xs[i]), cap)`, the curve dispatched once for the whole column (same arithmetic as
    /// [`Compiled::payout`] followed by the KPI cap, so the same bits).
    pub(crate) fn payout_column(
        &self,
        direction: Direction,
        cap: Option<f64>,
        xs: &[f64],
        out: &mut [f64],
    ) {
        fn run(
            direction: Direction,
            cap: Option<f64>,
            xs: &[f64],
            out: &mut [f64],
            f: impl Fn(f64) -> f64,
        ) {
            let c = cap.unwrap_or(f64::INFINITY);
            for (o, &x) in out.iter_mut().zip(xs) {
                let p = f(axis(direction, x));
                *o = if p > c { c } else { p };
            }
        }
        match self {
            Compiled::Linear(p) => run(direction, cap, xs, out, |s| linear(p, s)),
            Compiled::Stepped(p) => run(direction, cap, xs, out, |s| stepped(p, s)),
            Compiled::Accelerated(AcceleratorMode::Whole, t) => {
                run(direction, cap, xs, out, |s| whole(t, s))
            }
            Compiled::Accelerated(AcceleratorMode::Marginal, t) => {
                run(direction, cap, xs, out, |s| marginal(t, s))
            }
        }
    }

    /// True when the curve never pays less for a better value.
    pub(crate) fn is_monotone(&self) -> bool {
        match self {
            Compiled::Linear(p) | Compiled::Stepped(p) => p.windows(2).all(|w| w[1].1 >= w[0].1),
            Compiled::Accelerated(_, t) => match t.first() {
                // Whole mode can fall at a tier boundary only if a rate falls; marginal needs rates >= 0.
                Some(_) => t.windows(2).all(|w| w[1].1 >= w[0].1),
                None => true,
            },
        }
    }

    /// The largest payout the curve can give, if bounded.
    pub(crate) fn max_payout(&self) -> Option<f64> {
        match self {
            Compiled::Linear(p) | Compiled::Stepped(p) => {
                Some(p.iter().fold(0.0_f64, |m, &(_, v)| m.max(v)))
            }
            Compiled::Accelerated(_, t) => {
                if t.iter().all(|&(_, r)| r == 0.0) {
                    Some(0.0)
                } else {
                    None
                }
            }
        }
    }
}

#[inline]
fn linear(p: &[(f64, f64)], s: f64) -> f64 {
    if s < p[0].0 {
        return 0.0;
    }
    let last = p[p.len() - 1];
    if s >= last.0 {
        return last.1;
    }
    // p.len() >= 2 here; find the segment [p[i], p[i+1]) holding s.
    let mut i = 0;
    while s >= p[i + 1].0 {
        i += 1;
    }
    let (s0, p0) = p[i];
    let (s1, p1) = p[i + 1];
    p0 + (p1 - p0) * ((s - s0) / (s1 - s0))
}

#[inline]
fn stepped(p: &[(f64, f64)], s: f64) -> f64 {
    let mut out = 0.0;
    for &(t, pay) in p {
        if s >= t {
            out = pay;
        } else {
            break;
        }
    }
    out
}

#[inline]
fn whole(t: &[(f64, f64)], s: f64) -> f64 {
    if s < t[0].0 {
        return 0.0;
    }
    let mut rate = t[0].1;
    for &(from, r) in &t[1..] {
        if s >= from {
            rate = r;
        } else {
            break;
        }
    }
    rate * (s - t[0].0)
}

#[inline]
fn marginal(t: &[(f64, f64)], s: f64) -> f64 {
    if s < t[0].0 {
        return 0.0;
    }
    let mut total = 0.0;
    for (k, &(from, r)) in t.iter().enumerate() {
        if s < from {
            break;
        }
        let end = match t.get(k + 1) {
            Some(&(next, _)) if s > next => next,
            _ => s,
        };
        total += r * (end - from);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lin(points: &[(f64, f64)]) -> Curve {
        Curve::Linear {
            points: points
                .iter()
                .map(|&(value, payout)| CurvePoint { value, payout })
                .collect(),
        }
    }

    #[test]
    fn threshold_target_maximum_asymmetric() {
        // 80 -> 0.5, 100 -> 1.0, 120 -> 2.0: slope 0.025 below target, 0.05 above.
        let c = Curve::ThresholdTargetMaximum {
            threshold: 80.0,
            target: 100.0,
            maximum: 120.0,
            threshold_payout: 0.5,
            target_payout: 1.0,
            maximum_payout: 2.0,
        }
        .compile("c", Direction::HigherIsBetter)
        .unwrap();
        let d = Direction::HigherIsBetter;
        assert_eq!(c.payout(d, 79.999), 0.0);
        assert_eq!(c.payout(d, 80.0), 0.5);
        assert_eq!(c.payout(d, 90.0), 0.75);
        assert_eq!(c.payout(d, 100.0), 1.0);
        assert_eq!(c.payout(d, 110.0), 1.5);
        assert_eq!(c.payout(d, 150.0), 2.0);
    }

    #[test]
    fn lower_is_better_and_ordering() {
        let d = Direction::LowerIsBetter;
        // churn: 10% -> 0.5, 8% -> 1.0, 6% -> 1.5
        let c = lin(&[(10.0, 0.5), (8.0, 1.0), (6.0, 1.5)])
            .compile("c", d)
            .unwrap();
        assert_eq!(c.payout(d, 11.0), 0.0);
        assert_eq!(c.payout(d, 10.0), 0.5);
        assert_eq!(c.payout(d, 9.0), 0.75);
        assert_eq!(c.payout(d, 7.0), 1.25);
        assert_eq!(c.payout(d, 2.0), 1.5);
        let e = lin(&[(6.0, 0.5), (8.0, 1.0)])
            .compile("kpis[0].curve", d)
            .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
        assert!(e.to_string().contains("strictly decreasing"), "{e}");
    }

    #[test]
    fn stepped_and_accelerated() {
        let d = Direction::HigherIsBetter;
        let st = Curve::Stepped {
            tiers: vec![
                CurvePoint {
                    value: 90.0,
                    payout: 0.5,
                },
                CurvePoint {
                    value: 100.0,
                    payout: 1.0,
                },
                CurvePoint {
                    value: 110.0,
                    payout: 1.5,
                },
            ],
        }
        .compile("c", d)
        .unwrap();
        assert_eq!(st.payout(d, 89.0), 0.0);
        assert_eq!(st.payout(d, 99.0), 0.5);
        assert_eq!(st.payout(d, 110.0), 1.5);
        let tiers = vec![
            RateTier {
                from: 0.0,
                rate: 1.0,
            },
            RateTier {
                from: 1.0,
                rate: 2.0,
            },
        ];
        let m = Curve::Accelerated {
            mode: AcceleratorMode::Marginal,
            tiers: tiers.clone(),
        }
        .compile("c", d)
        .unwrap();
        let w = Curve::Accelerated {
            mode: AcceleratorMode::Whole,
            tiers,
        }
        .compile("c", d)
        .unwrap();
        assert_eq!(m.payout(d, 1.5), 2.0); // 1*1 + 0.5*2
        assert_eq!(w.payout(d, 1.5), 3.0); // 1.5*2
        assert_eq!(m.payout(d, 0.5), 0.5);
        assert_eq!(w.payout(d, 0.5), 0.5);
    }
}
