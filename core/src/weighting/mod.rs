//! Survey weighting that corrects response bias: raking, post-stratification, bounded calibration and
//! trimming, solved on the table of distinct cells, with diagnostics.
//!
//! Every fit reports its status (`converged`, `max_iter`, `stalled`, `infeasible`), iterations, and the
//! achieved margins with the relative error of every level: weights that "converge" while margins are still
//! wrong cannot happen silently.

mod calibrate;
mod cells;
mod diagnostics;
mod estimate;
mod poststratify;
mod rake;
mod trim;

pub use calibrate::{calibrate, calibrate_cells};
pub use cells::{CellPartial, CellTable, CellWeights};
pub use diagnostics::{weight_diagnostics, WeightDiagnostics};
pub use estimate::{
    design_estimate, Design, DesignEstimate, DesignEstimateOptions, DesignMetric, DesignPartial,
    DomainEstimate, Linearisation,
};
pub use poststratify::poststratify;
pub use rake::{rake, rake_cells};
pub use trim::{trim_weights, TrimOptions, TrimResult};

use crate::error::{CxkpiError, Result};
use crate::options::{option_enum, OptionReader, Options};
use crate::stats::NeumaierSum;

option_enum! {
    /// How targets are given.
    TargetsAs {
        /// Population counts per level (default).
        Counts => "counts",
        /// Shares per level, multiplied by `population`.
        Shares => "shares",
    }
}

option_enum! {
    /// What to do with a target level that no respondent has.
    EmptyLevelPolicy {
        /// Fail with `empty_level` (default).
        Error => "error",
        /// Move its target to the nearest lower level (the next higher for level 0); reported.
        Collapse => "collapse",
        /// Remove it and rescale every margin to the new total; the mass lost is reported.
        Drop => "drop",
    }
}

option_enum! {
    /// The calibration distance (R survey `calfun`).
    Distance {
        /// Chi-square distance: g = 1 + x'λ (GREG); with bounds, truncated.
        Linear => "linear",
        /// Multiplicative: g = exp(x'λ) (raking); with bounds, truncated.
        Raking => "raking",
        /// Logit between bounds L < 1 < U (bounds required).
        Logit => "logit",
    }
}

option_enum! {
    /// What non-convergence does.
    OnNonConvergence {
        /// Fail with `not_converged` (default).
        Error => "error",
        /// Return the weights with their status and errors.
        Warn => "warn",
    }
}

option_enum! {
    /// The outcome of a fit.
    FitStatus {
        Converged => "converged",
        MaxIter => "max_iter",
        Stalled => "stalled",
        Infeasible => "infeasible",
    }
}

/// Options of [`rake`], [`poststratify`] and [`calibrate`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightingOptions {
    /// Largest accepted relative margin error (default 1e-10).
    pub tolerance: f64,
    /// Most sweeps (raking) or Newton steps (calibration) (default 1000).
    pub max_sweeps: u32,
    pub on_nonconvergence: OnNonConvergence,
    pub targets_as: TargetsAs,
    /// Population total for shares (default: Σ base weights, or n).
    pub population: Option<f64>,
    pub empty_level: EmptyLevelPolicy,
    /// Calibration distance (calibrate only; default linear).
    pub distance: Distance,
    /// Bounds (lo, hi) on the adjustment g = w / base.
    pub bounds: Option<(f64, f64)>,
    /// Bounds (lo, hi) on the final weights.
    pub weight_bounds: Option<(f64, f64)>,
    /// Rake only: cap weights at this value (or multiple of the mean weight) by trim-then-rerake cycles.
    pub trim_upper: Option<f64>,
    /// Rake only: raise weights to this value (or multiple of the mean weight) likewise.
    pub trim_lower: Option<f64>,
    /// The trim bounds are multiples of the mean weight.
    pub trim_relative_to_mean: bool,
    /// Most trim-then-rerake cycles (default 50): the cycle always ends.
    pub max_cycles: u32,
}

impl Default for WeightingOptions {
    fn default() -> Self {
        WeightingOptions {
            tolerance: 1e-10,
            max_sweeps: 1000,
            on_nonconvergence: OnNonConvergence::Error,
            targets_as: TargetsAs::Counts,
            population: None,
            empty_level: EmptyLevelPolicy::Error,
            distance: Distance::Linear,
            bounds: None,
            weight_bounds: None,
            trim_upper: None,
            trim_lower: None,
            trim_relative_to_mean: false,
            max_cycles: 50,
        }
    }
}

fn read_pair(r: &mut OptionReader<'_>, key: &str) -> Result<Option<(f64, f64)>> {
    match r.f64_pair(key)? {
        None => Ok(None),
        Some((a, b)) if a.is_finite() && b.is_finite() && a < b => Ok(Some((a, b))),
        Some((a, b)) => Err(CxkpiError::invalid(
            key,
            format!("needs finite [lower, upper] with lower < upper, got [{a}, {b}]"),
        )),
    }
}

impl WeightingOptions {
    /// Reads `tolerance`, `max_sweeps`, `on_nonconvergence`, `targets_as`, `population`, `empty_level`,
    /// `distance`, `bounds` and `weight_bounds` (each `[lower, upper]`), `trim_upper`, `trim_lower`,
    /// `trim_relative_to_mean`, `max_cycles`.
    pub fn from_options(o: &Options) -> Result<WeightingOptions> {
        let mut r = OptionReader::new(o);
        let d = WeightingOptions::default();
        let w = WeightingOptions {
            tolerance: r.f64("tolerance")?.unwrap_or(d.tolerance),
            max_sweeps: match r.u64("max_sweeps")? {
                None => d.max_sweeps,
                Some(k) if (1..=1_000_000).contains(&k) => k as u32,
                Some(k) => {
                    return Err(CxkpiError::invalid(
                        "max_sweeps",
                        format!("must lie in 1..=1000000, got {k}"),
                    ))
                }
            },
            on_nonconvergence: r
                .enumeration("on_nonconvergence")?
                .unwrap_or(d.on_nonconvergence),
            targets_as: r.enumeration("targets_as")?.unwrap_or(d.targets_as),
            population: r.f64("population")?,
            empty_level: r.enumeration("empty_level")?.unwrap_or(d.empty_level),
            distance: r.enumeration("distance")?.unwrap_or(d.distance),
            bounds: read_pair(&mut r, "bounds")?,
            weight_bounds: read_pair(&mut r, "weight_bounds")?,
            trim_upper: r.f64("trim_upper")?,
            trim_lower: r.f64("trim_lower")?,
            trim_relative_to_mean: r.bool("trim_relative_to_mean")?.unwrap_or(false),
            max_cycles: match r.u64("max_cycles")? {
                None => d.max_cycles,
                Some(k) if (1..=10_000).contains(&k) => k as u32,
                Some(k) => {
                    return Err(CxkpiError::invalid(
                        "max_cycles",
                        format!("must lie in 1..=10000, got {k}"),
                    ))
                }
            },
        };
        r.finish()?;
        w.validate()?;
        Ok(w)
    }

    /// Refuses the calibration-only settings (distance, bounds) for raking and post-stratification, so that
    /// they are never accepted and then ignored.
    pub(crate) fn only_for(&self, method: &str) -> Result<()> {
        if method != "rake" && (self.trim_upper.is_some() || self.trim_lower.is_some()) {
            return Err(CxkpiError::invalid(
                "trim_upper",
                format!("{method} does not take trim bounds; use rake or trim_weights"),
            ));
        }
        if self.bounds.is_some() || self.weight_bounds.is_some() {
            return Err(CxkpiError::invalid(
                "bounds",
                format!("{method} does not take bounds; use calibrate"),
            ));
        }
        if self.distance != Distance::Linear {
            return Err(CxkpiError::invalid(
                "distance",
                format!("{method} does not take a distance; use calibrate"),
            ));
        }
        Ok(())
    }

    /// Checks the numeric settings.
    pub fn validate(&self) -> Result<()> {
        if !(self.tolerance > 0.0 && self.tolerance < 1.0) {
            return Err(CxkpiError::invalid(
                "tolerance",
                format!("must lie in (0, 1), got {}", self.tolerance),
            ));
        }
        if let Some(p) = self.population {
            if !(p > 0.0 && p.is_finite()) {
                return Err(CxkpiError::invalid(
                    "population",
                    format!("must be > 0, got {p}"),
                ));
            }
        }
        if let Some((lo, hi)) = self.bounds {
            if !(lo >= 0.0 && lo <= 1.0 && hi >= 1.0) {
                return Err(CxkpiError::invalid(
                    "bounds",
                    format!("need 0 <= lower <= 1 <= upper, got ({lo}, {hi})"),
                ));
            }
        }
        if self.distance == Distance::Logit {
            match self.bounds {
                Some((lo, hi)) if lo < 1.0 && hi > 1.0 => {}
                _ => {
                    return Err(CxkpiError::invalid(
                        "bounds",
                        "the logit distance needs bounds with lower < 1 < upper",
                    ))
                }
            }
        }
        Ok(())
    }
}

/// Achieved margins of one weighting variable.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MarginReport {
    pub variable: usize,
    pub target: Vec<f64>,
    /// Σ base weights by level before weighting.
    pub before: Vec<f64>,
    /// Σ final weights by level.
    pub after: Vec<f64>,
    /// (after − target) / target; `None` where the target is 0.
    pub rel_error: Vec<Option<f64>>,
    /// Absolute standardised mean difference of the level's indicator between the sample (base weights) and
    /// the population: |p − π| / √(π(1 − π)), π the target share; `None` where π is 0 or 1.
    pub asmd_before: Vec<Option<f64>>,
    /// The same with the final weights (≈ 0 once the margins hold).
    pub asmd_after: Vec<Option<f64>>,
    /// Kish effective n of the level's respondents under the final weights (`None` without respondents).
    pub kish_n: Vec<Option<f64>>,
    /// Kish design effect n·Σw²/(Σw)² of the level's respondents (the cost of weighting in that domain).
    pub deff_kish: Vec<Option<f64>>,
}

/// A level whose target was collapsed into a neighbour or dropped.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LevelChange {
    pub variable: usize,
    pub level: usize,
    /// "collapsed" or "dropped".
    pub action: String,
    /// The level that received its target (collapse).
    pub into: Option<usize>,
    pub target: f64,
}

/// Weights with the account of how they were made.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightingResult {
    /// "rake", "poststratify" or "calibrate".
    pub method: String,
    pub distance: Option<Distance>,
    /// Final weight of every row.
    pub weights: Vec<f64>,
    /// Adjustment g = w / base of every cell (cells in key-tuple order).
    pub g: Vec<f64>,
    pub n_cells: usize,
    pub status: FitStatus,
    /// Sweeps (raking) or Newton iterations (calibration).
    pub iterations: u32,
    pub max_rel_error: f64,
    pub tolerance: f64,
    pub margins: Vec<MarginReport>,
    pub level_changes: Vec<LevelChange>,
    /// Target mass removed by dropped levels.
    pub mass_lost: f64,
    /// Rows whose adjustment (or weight, with `weight_bounds`) sits at the lower / upper calibration bound,
    /// within 1e-9 relative (0 without bounds).
    pub n_at_lower: u64,
    pub n_at_upper: u64,
    pub diagnostics: WeightDiagnostics,
}

/// Targets after validation: one vector per variable, all with the same total.
#[derive(Debug, Clone)]
pub(crate) struct Targets {
    pub per_var: Vec<Vec<f64>>,
    pub changes: Vec<LevelChange>,
    pub mass_lost: f64,
}

/// Validates and prepares margin targets against the cells (shares → counts, totals agree, empty and
/// zero levels).
pub(crate) fn prepare_targets(
    cells: &CellTable,
    targets: &[&[f64]],
    opts: &WeightingOptions,
) -> Result<Targets> {
    let base_total = NeumaierSum::of(&cells.base_total);
    let scale = match opts.targets_as {
        TargetsAs::Counts => 1.0,
        TargetsAs::Shares => opts.population.unwrap_or(base_total),
    };
    let mut per_var: Vec<Vec<f64>> = Vec::with_capacity(targets.len());
    for (v, t) in targets.iter().enumerate() {
        for (l, &x) in t.iter().enumerate() {
            if !(x >= 0.0 && x.is_finite()) {
                return Err(CxkpiError::invalid(
                    &format!("targets[{v}][{l}]"),
                    format!("must be a finite number >= 0, got {x}"),
                ));
            }
        }
        per_var.push(t.iter().map(|x| x * scale).collect());
    }
    // Sampled levels need positive targets; empty levels follow the policy.
    let mut changes = Vec::new();
    let mut mass_lost = 0.0;
    for v in 0..per_var.len() {
        let before = cells.margin(v, &cells.base_total);
        let counts = cells.margin(
            v,
            &cells.count.iter().map(|&c| c as f64).collect::<Vec<_>>(),
        );
        for l in 0..per_var[v].len() {
            if counts[l] > 0.0 && per_var[v][l] <= 0.0 {
                return Err(CxkpiError::invalid(
                    &format!("targets[{v}][{l}]"),
                    format!(
                        "level {l} of variable {v} has {} respondents but a target of {}",
                        counts[l], per_var[v][l]
                    ),
                ));
            }
            if counts[l] > 0.0 && before[l] <= 0.0 {
                return Err(CxkpiError::ZeroWeightSum {
                    arg: format!("base (variable {v}, level {l})"),
                    n: counts[l] as u64,
                });
            }
        }
        for l in 0..per_var[v].len() {
            let t = per_var[v][l];
            if counts[l] == 0.0 && t > 0.0 {
                match opts.empty_level {
                    EmptyLevelPolicy::Error => {
                        return Err(CxkpiError::EmptyLevel {
                            variable: v,
                            level: l,
                            target: t,
                        });
                    }
                    EmptyLevelPolicy::Collapse => {
                        let into = (0..l)
                            .rev()
                            .chain(l + 1..per_var[v].len())
                            .find(|&k| counts[k] > 0.0);
                        let Some(k) = into else {
                            return Err(CxkpiError::EmptyLevel {
                                variable: v,
                                level: l,
                                target: t,
                            });
                        };
                        per_var[v][k] += t;
                        per_var[v][l] = 0.0;
                        changes.push(LevelChange {
                            variable: v,
                            level: l,
                            action: "collapsed".into(),
                            into: Some(k),
                            target: t,
                        });
                    }
                    EmptyLevelPolicy::Drop => {
                        per_var[v][l] = 0.0;
                        mass_lost += t;
                        changes.push(LevelChange {
                            variable: v,
                            level: l,
                            action: "dropped".into(),
                            into: None,
                            target: t,
                        });
                    }
                }
            }
        }
    }
    // Totals must agree (after drops, every margin is rescaled to the smallest consistent total).
    let totals: Vec<f64> = per_var.iter().map(|t| NeumaierSum::of(t)).collect();
    if mass_lost > 0.0 {
        let reference = totals.iter().cloned().fold(f64::INFINITY, f64::min);
        for (t, &tot) in per_var.iter_mut().zip(&totals) {
            t.iter_mut().for_each(|x| *x *= reference / tot);
        }
    } else {
        for (v, &tot) in totals.iter().enumerate().skip(1) {
            if (tot - totals[0]).abs() > 1e-8 * totals[0].abs().max(tot.abs()) {
                return Err(CxkpiError::InconsistentMargins {
                    first: 0,
                    first_total: totals[0],
                    other: v,
                    other_total: tot,
                });
            }
        }
    }
    Ok(Targets {
        per_var,
        changes,
        mass_lost,
    })
}

/// Builds the margin reports and the largest relative error for cell adjustments `g`.
pub(crate) fn report(cells: &CellTable, targets: &Targets, g: &[f64]) -> (Vec<MarginReport>, f64) {
    let mass: Vec<f64> = cells.base_total.iter().zip(g).map(|(w, g)| w * g).collect();
    let mut worst: f64 = 0.0;
    let margins = (0..targets.per_var.len())
        .map(|v| {
            let after = cells.margin(v, &mass);
            let target = targets.per_var[v].clone();
            // Undefined (None) for a level whose target is 0 (collapsed, dropped or never sampled).
            let rel_error: Vec<Option<f64>> = after
                .iter()
                .zip(&target)
                .map(|(a, t)| (*t > 0.0).then(|| (a - t) / t))
                .collect();
            worst = rel_error
                .iter()
                .flatten()
                .fold(worst, |m, e| m.max(e.abs()));
            let asmd = |mass: &[f64]| -> Vec<Option<f64>> {
                let (total_t, total_m) = (NeumaierSum::of(&target), NeumaierSum::of(mass));
                target
                    .iter()
                    .zip(mass)
                    .map(|(t, m)| {
                        let pi = t / total_t;
                        (pi > 0.0 && pi < 1.0 && total_m > 0.0)
                            .then(|| (m / total_m - pi).abs() / (pi * (1.0 - pi)).sqrt())
                    })
                    .collect()
            };
            let before = cells.margin(v, &cells.base_total);
            let (asmd_before, asmd_after) = (asmd(&before), asmd(&after));
            // Per domain (level): Σw = Σ_c g_c·B_c, Σw² = Σ_c g_c²·B2_c over the level's cells.
            let sq: Vec<f64> = cells
                .base_sq_total
                .iter()
                .zip(g)
                .map(|(b2, g)| b2 * g * g)
                .collect();
            let sum_w2 = cells.margin(v, &sq);
            let n_level = cells.margin(
                v,
                &cells.count.iter().map(|&c| c as f64).collect::<Vec<_>>(),
            );
            let kish_n: Vec<Option<f64>> = after
                .iter()
                .zip(&sum_w2)
                .map(|(s, s2)| (*s2 > 0.0).then(|| s * s / s2))
                .collect();
            let deff_kish: Vec<Option<f64>> = kish_n
                .iter()
                .zip(&n_level)
                .map(|(k, n)| k.filter(|&k| k > 0.0).map(|k| n / k))
                .collect();
            MarginReport {
                variable: v,
                asmd_before,
                asmd_after,
                kish_n,
                deff_kish,
                before,
                after,
                target,
                rel_error,
            }
        })
        .collect();
    (margins, worst)
}

/// Assembles a result, turning non-convergence into an error unless the options say "warn".
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    method: &str,
    distance: Option<Distance>,
    cells: &CellTable,
    targets: &Targets,
    g: Vec<f64>,
    status: FitStatus,
    iterations: u32,
    base: Option<&[f64]>,
    opts: &WeightingOptions,
) -> Result<WeightingResult> {
    let (margins, max_rel_error) = report(cells, targets, &g);
    if status != FitStatus::Converged && opts.on_nonconvergence == OnNonConvergence::Error {
        return Err(match status {
            FitStatus::Infeasible => CxkpiError::Infeasible { message: format!("{method}: the targets cannot be met under the bounds (largest relative margin error {max_rel_error:.3e})") },
            _ => CxkpiError::NotConverged { method: method.into(), iterations, max_rel_error, tolerance: opts.tolerance },
        });
    }
    // Rows at a calibration bound (within 1e-9 relative): on g (`bounds`) or on the weight itself (`weight_bounds`, where every
    // row of a cell has the same base weight).
    let at_bounds = if opts.bounds.is_some() || opts.weight_bounds.is_some() {
        let near = |x: f64, b: f64| (x - b).abs() <= 1e-9 * b.abs().max(1e-300);
        (0..cells.n_cells()).fold((0u64, 0u64), |(lo_n, hi_n), c| {
            let unit = cells.base_total[c] / cells.count[c] as f64;
            let (gl, gh) = opts.bounds.unwrap_or((f64::NAN, f64::NAN));
            let (wl, wh) = opts.weight_bounds.unwrap_or((f64::NAN, f64::NAN));
            let low = near(g[c], gl) || near(unit * g[c], wl);
            let high = near(g[c], gh) || near(unit * g[c], wh);
            (
                lo_n + if low { cells.count[c] } else { 0 },
                hi_n + if high { cells.count[c] } else { 0 },
            )
        })
    } else {
        (0, 0)
    };
    let weights = cells.expand(&g, base);
    let diagnostics = match base {
        // Unit base weights: every row of a cell has the weight g[c]; no need to sort the rows.
        None => diagnostics::from_cells(&g, &cells.count),
        Some(_) => weight_diagnostics(&weights, base)?,
    };
    Ok(WeightingResult {
        method: method.into(),
        distance,
        weights,
        n_cells: cells.n_cells(),
        g,
        status,
        iterations,
        max_rel_error,
        tolerance: opts.tolerance,
        margins,
        level_changes: targets.changes.clone(),
        mass_lost: targets.mass_lost,
        n_at_lower: at_bounds.0,
        n_at_upper: at_bounds.1,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_report_asmd_and_units_at_bounds() {
        // Level 1 of `a`: 1 of 4 respondents (p = 0.25) for a population share π = 0.5:
        // ASMD before = |0.25 − 0.5| / √(0.25) = 0.5 (hand).
        let a = [0u32, 0, 0, 1];
        let r = rake(&[&a], &[&[50.0, 50.0]], None, &WeightingOptions::default()).unwrap();
        let m = &r.margins[0];
        assert_eq!(m.asmd_before, vec![Some(0.5), Some(0.5)]);
        assert!(m.asmd_after.iter().all(|x| x.unwrap() < 1e-12));
        // Every row of a level has the same weight: Kish n = the level's count, deff = 1.
        assert_eq!(m.deff_kish, vec![Some(1.0), Some(1.0)]);
        assert!(
            (m.kish_n[0].unwrap() - 3.0).abs() < 1e-12
                && (m.kish_n[1].unwrap() - 1.0).abs() < 1e-12
        );
        assert_eq!((r.n_at_lower, r.n_at_upper), (0, 0));
        // Targets 1.5 and 2 with g in [0.5, 2]: the 3 level-0 rows need g = 0.5 and the level-1 row g = 2,
        // both on a bound.
        let o = WeightingOptions {
            distance: Distance::Linear,
            bounds: Some((0.5, 2.0)),
            ..Default::default()
        };
        let r = calibrate(&[&a], &[&[1.5, 2.0]], None, &o).unwrap();
        assert_eq!((r.n_at_lower, r.n_at_upper), (3, 1));
    }
}
